#!/usr/bin/env bash
# The one entry point for building vdm. Usage: ./build.sh <verb> [args]
#   build    compile everything (debug)
#   test     publish the binary if stale, run every test project, end with "N passed, M failed"
#   publish  native AOT publish to ./dist/vdm (any trim/AOT warning fails it); VDM_VERSION=x.y.z sets the version
#   serve    publish if stale, then run "vdm server start" with the remaining arguments
#   format   apply dotnet format
#   check    verify formatting, then build with the analyzers (warnings are errors)
#   docs     regenerate .env.example and the README's variable table from the code
#   bench    the microbenchmarks, the load test, then the side-by-side harness against the peers, when present
#            bench micro [args]  only the BenchmarkDotNet microbenchmarks of the conversion
#            bench load [args]   only the load test: 2,000 slow streams through dist/vdm, published if stale
#                                (peak RSS, streams intact; "bench load --help" lists its options)
#            bench peers [args]  only the harness: VDM_BENCH_HARNESS (default ../shared/bench)/run.sh --vdm dist/vdm
#                                (nginx upstream, wrk, nginx hop, claude-code-router, Portkey; "--quick" for a short run)
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rid() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=osx ;;
    *) echo "build.sh: unsupported OS $(uname -s); use build.ps1 on Windows" >&2; exit 2 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "build.sh: unsupported CPU $(uname -m)" >&2; exit 2 ;;
  esac
  echo "$os-$arch"
}

version_args() {
  if [[ -n "${VDM_VERSION:-}" ]]; then echo "-p:Version=$VDM_VERSION"; fi
}

publish() {
  # shellcheck disable=SC2046
  dotnet publish vdm.csproj -c Release -r "$(rid)" -o dist -p:TreatWarningsAsErrors=true $(version_args) "$@"
  rm -f dist/*.dbg
  echo "published dist/vdm ($(du -h dist/vdm | cut -f1))"
}

# The binary is stale when any input of the product build is newer than it.
publish_if_stale() {
  if [[ ! -x dist/vdm ]] || [[ -n "$(find Program.cs vdm.csproj global.json Cli Gateway Conversion -newer dist/vdm -print -quit)" ]]; then
    publish
  fi
}

# Runs every test project and prints "N passed, M failed" from Microsoft.Testing.Platform's summaries.
run_tests() {
  publish_if_stale
  local log status=0
  log="$(mktemp)"
  VDM_BINARY="$PWD/dist/vdm" dotnet test --solution vdm.slnx "$@" 2>&1 | tee "$log" || status=$?
  local passed failed
  passed=$(awk '/^[[:space:]]*succeeded:/ { n += $2 } END { print n + 0 }' "$log")
  failed=$(awk '/^[[:space:]]*failed:/ { n += $2 } END { print n + 0 }' "$log")
  rm -f "$log"
  if [[ "$status" -ne 0 && "$failed" -eq 0 ]]; then
    # A build error or a crashed test host: no test failed, but the run did.
    failed=1
  fi
  echo "$passed passed, $failed failed"
  return "$status"
}

bench() {
  case "${1:-}" in
    micro) shift && bench_micro "$@" ;;
    load) shift && bench_load "$@" ;;
    peers) shift && bench_peers "$@" ;;
    *) bench_micro "$@" && bench_load && bench_peers ;;
  esac
}

# The harness lives outside the repository (it installs nginx, wrk and the peers): run it when it is there.
bench_peers() {
  local harness="${VDM_BENCH_HARNESS:-../shared/bench}"
  if [[ ! -x "$harness/run.sh" ]]; then
    echo "bench peers: no harness at $harness (set VDM_BENCH_HARNESS to its directory); skipped" >&2
    return 0
  fi
  publish_if_stale
  "$harness/run.sh" --vdm "$PWD/dist/vdm" "$@"
}

bench_micro() {
  dotnet run -c Release --project tests/Vdm.Benchmarks -- --filter '*' "$@"
}

# The load test measures the published binary, not a debug build: what users run is what must hold the streams.
bench_load() {
  publish_if_stale
  dotnet run -c Release --project tests/Vdm.Load -- --vdm dist/vdm "$@"
}

docs() {
  dotnet build vdm.csproj -v quiet -nologo >/dev/null
  local vdm=bin/Debug/net10.0/vdm
  "$vdm" config env >.env.example
  local table
  table="$(mktemp)"
  "$vdm" config env --format markdown >"$table"
  awk -v table="$table" '
    /<!-- variables:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /<!-- variables:end -->/ { skip = 0 }
    !skip { print }
  ' README.md >README.md.tmp && mv README.md.tmp README.md
  rm -f "$table"
  echo "regenerated .env.example and the README variable table"
}

verb="${1:-}"
[[ $# -gt 0 ]] && shift
case "$verb" in
  build) dotnet build vdm.slnx "$@" ;;
  test) run_tests "$@" ;;
  publish) publish "$@" ;;
  serve) publish_if_stale && exec ./dist/vdm server start "$@" ;;
  format) dotnet format vdm.slnx "$@" ;;
  check)
    dotnet format vdm.slnx --verify-no-changes
    dotnet build vdm.slnx -c Release -p:TreatWarningsAsErrors=true
    ;;
  docs) docs ;;
  bench) bench "$@" ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    [[ -z "$verb" ]] && exit 0 || exit 2
    ;;
esac
