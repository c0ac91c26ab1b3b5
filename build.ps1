#!/usr/bin/env pwsh
# The one entry point for building vdm on Windows (and anywhere PowerShell runs). Same verbs as build.sh:
#   build | test | publish | serve | format | check | docs | bench
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

function Publish {
  $versionArgs = if ($env:VDM_VERSION) { @("-p:Version=$($env:VDM_VERSION)") } else { @() }
  Invoke-Checked dotnet (@("publish", "vdm.csproj", "-c", "Release", "-r", (Get-Rid), "-o", "dist", "-p:TreatWarningsAsErrors=true") + $versionArgs + $Rest)
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
  "publish" { Publish }
  "serve" { Publish-IfStale; & $Binary server start @Rest; exit $LASTEXITCODE }
  "format" { Invoke-Checked dotnet (@("format", "vdm.slnx") + $Rest) }
  "check" {
    Invoke-Checked dotnet @("format", "vdm.slnx", "--verify-no-changes")
    Invoke-Checked dotnet @("build", "vdm.slnx", "-c", "Release", "-p:TreatWarningsAsErrors=true")
  }
  "docs" { Generate-Docs }
  "bench" { Invoke-Checked dotnet (@("run", "-c", "Release", "--project", "tests/Vdm.Benchmarks", "--", "--filter", "*") + $Rest) }
  default {
    Get-Content $PSCommandPath | Select-Object -Skip 1 -First 2 | ForEach-Object { $_ -replace '^# ?', '' }
    if ($Verb) { exit 2 }
  }
}
