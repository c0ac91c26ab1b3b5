#!/usr/bin/env pwsh
# The one entry point for building vdm on Windows (and anywhere PowerShell runs). Same verbs as build.sh:
#   build | test | publish | serve | format | check | docs | bench [micro|load|peers]
#   (bench: the microbenchmarks, the load test (Linux's /proc), then the peer harness if present; "bench micro|load|peers" runs one)
param(
  [Parameter(Position = 0)][string]$Verb = "",
  [Parameter(Position = 1, ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"
$env:DOTNET_NOLOGO = "1"

function Get-Rid {
  $arch = if ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq "Arm64") { "arm64" } else { "x64" }
  if ($IsLinux) { return "linux-$arch" }
  if ($IsMacOS) { return "osx-$arch" }
  return "win-$arch"
}

$Binary = if ($IsLinux -or $IsMacOS) { "dist/vdm" } else { "dist/vdm.exe" }

function Invoke-Checked([string]$Command, [string[]]$Arguments) {
  & $Command @Arguments
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

# Extra arguments are the publish verb's own: a publish made because the binary is stale gets none (not the test's
# or the benchmark's arguments).
function Publish([string[]]$Arguments = @()) {
  $versionArgs = if ($env:VDM_VERSION) { @("-p:Version=$($env:VDM_VERSION)") } else { @() }
  Invoke-Checked dotnet (@("publish", "vdm.csproj", "-c", "Release", "-r", (Get-Rid), "-o", "dist", "-p:TreatWarningsAsErrors=true") + $versionArgs + $Arguments)
  Remove-Item -Force -ErrorAction SilentlyContinue dist/*.dbg, dist/*.pdb
  Write-Host "published $Binary"
}

function Publish-IfStale {
  if (-not (Test-Path $Binary)) { Publish; return }
  $built = (Get-Item $Binary).LastWriteTimeUtc
  $inputs = @("Program.cs", "vdm.csproj", "global.json") + (Get-ChildItem -Recurse -File Cli, Gateway, Conversion | ForEach-Object FullName)
  if ($inputs | Where-Object { (Get-Item $_).LastWriteTimeUtc -gt $built }) { Publish }
}

function Run-Tests {
  Publish-IfStale
  $env:VDM_BINARY = (Resolve-Path $Binary).Path
  $output = & dotnet test --solution vdm.slnx @Rest 2>&1 | ForEach-Object { Write-Host $_; "$_" }
  $status = $LASTEXITCODE
  $passed = 0; $failed = 0
  foreach ($line in $output) {
    if ("$line" -match '^\s*succeeded:\s*(\d+)') { $passed += [int]$Matches[1] }
    if ("$line" -match '^\s*failed:\s*(\d+)') { $failed += [int]$Matches[1] }
  }
  if ($status -ne 0 -and $failed -eq 0) { $failed = 1 }
  Write-Host "$passed passed, $failed failed"
  exit $status
}

function Invoke-MicroBenchmarks([string[]]$Arguments = @()) {
  Invoke-Checked dotnet (@("run", "-c", "Release", "--project", "tests/Vdm.Benchmarks", "--", "--filter", "*") + $Arguments)
}

# The load test measures the published binary, not a debug build: what users run is what must hold the streams.
function Invoke-LoadTest([string[]]$Arguments = @()) {
  Publish-IfStale
  Invoke-Checked dotnet (@("run", "-c", "Release", "--project", "tests/Vdm.Load", "--", "--vdm", $Binary) + $Arguments)
}

# The side-by-side harness (nginx, wrk, the peers) lives outside the repository and needs bash: run it when it is there.
function Invoke-PeerBenchmark([string[]]$Arguments = @()) {
  $harness = if ($env:VDM_BENCH_HARNESS) { $env:VDM_BENCH_HARNESS } else { "../shared/bench" }
  if (-not (Test-Path "$harness/run.sh")) {
    Write-Host "bench peers: no harness at $harness (set VDM_BENCH_HARNESS to its directory); skipped"
    return
  }
  Publish-IfStale
  Invoke-Checked bash (@("$harness/run.sh", "--vdm", (Resolve-Path $Binary).Path) + $Arguments)
}

function Invoke-Bench {
  # Named apart from $Rest: PowerShell names are case-insensitive, so a $rest here would hide the script's $Rest.
  $part = if ($Rest.Count -gt 0) { $Rest[0] } else { "" }
  $partArgs = @($Rest | Select-Object -Skip 1)
  switch ($part) {
    "micro" { Invoke-MicroBenchmarks $partArgs }
    "load" { Invoke-LoadTest $partArgs }
    "peers" { Invoke-PeerBenchmark $partArgs }
    default { Invoke-MicroBenchmarks $Rest; Invoke-LoadTest; Invoke-PeerBenchmark }
  }
}

function Generate-Docs {
  Invoke-Checked dotnet @("build", "vdm.csproj", "-v", "quiet", "-nologo")
  $vdm = if ($IsLinux -or $IsMacOS) { "bin/Debug/net10.0/vdm" } else { "bin/Debug/net10.0/vdm.exe" }
  $envFile = (& $vdm config env) -join "`n"
  [System.IO.File]::WriteAllText("$PWD/.env.example", $envFile + "`n")
  $table = (& $vdm config env --format markdown) -join "`n"
  $readme = [System.IO.File]::ReadAllText("$PWD/README.md")
  $pattern = '(?s)(<!-- variables:begin -->\n).*?(<!-- variables:end -->)'
  $readme = [regex]::Replace($readme, $pattern, { param($m) $m.Groups[1].Value + $table + "`n" + $m.Groups[2].Value })
  [System.IO.File]::WriteAllText("$PWD/README.md", $readme)
  Write-Host "regenerated .env.example and the README variable table"
}

switch ($Verb) {
  "build" { Invoke-Checked dotnet (@("build", "vdm.slnx") + $Rest) }
  "test" { Run-Tests }
  "publish" { Publish $Rest }
  "serve" { Publish-IfStale; & $Binary server start @Rest; exit $LASTEXITCODE }
  "format" { Invoke-Checked dotnet (@("format", "vdm.slnx") + $Rest) }
  "check" {
    Invoke-Checked dotnet @("format", "vdm.slnx", "--verify-no-changes")
    Invoke-Checked dotnet @("build", "vdm.slnx", "-c", "Release", "-p:TreatWarningsAsErrors=true")
  }
  "docs" { Generate-Docs }
  "bench" { Invoke-Bench }
  default {
    Get-Content $PSCommandPath | Select-Object -Skip 1 -First 3 | ForEach-Object { $_ -replace '^# ?', '' }
    if ($Verb) { exit 2 }
  }
}
