# The bridge to the apready engine. The module never judges evidence: it hands the engine a
# bundle by path, reads the engine's JSON report from a file and turns it into objects.

$script:ApExitCodes = @{
    0  = 'ready'
    1  = 'advisory'
    2  = 'not_ready'
    3  = 'error'
    64 = 'usage'
}

function Get-ApPlatform {
    # Operating system and processor architecture of this process's machine, in a way that works
    # on Windows PowerShell 5.1 (Windows only, no $IsWindows) and PowerShell 7 (any OS).
    $os = 'win'
    if ($PSVersionTable.PSEdition -eq 'Core') {
        if (Get-Variable -Name IsLinux -ValueOnly -ErrorAction SilentlyContinue) { $os = 'linux' }
        elseif (Get-Variable -Name IsMacOS -ValueOnly -ErrorAction SilentlyContinue) { $os = 'osx' }
    }

    $arch = 'unknown'
    if ($os -eq 'win') {
        # PROCESSOR_ARCHITEW6432 is set for a 32-bit process on a 64-bit Windows.
        $raw = $env:PROCESSOR_ARCHITEW6432
        if (-not $raw) { $raw = $env:PROCESSOR_ARCHITECTURE }
        switch ([string]$raw) {
            'AMD64' { $arch = 'x64' }
            'ARM64' { $arch = 'arm64' }
            'x86' { $arch = 'x86' }
            default { $arch = ([string]$raw).ToLowerInvariant() }
        }
    }
    else {
        $raw = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString()
        switch ($raw) {
            'X64' { $arch = 'x64' }
            'Arm64' { $arch = 'arm64' }
            default { $arch = $raw.ToLowerInvariant() }
        }
    }
    return [pscustomobject]@{ Os = $os; Architecture = $arch }
}

function Get-ApEngineRid {
    # Runtime identifiers to look for, best first. An arm64 Windows or macOS machine can also run
    # the x64 build under emulation.
    param($Platform = (Get-ApPlatform))
    $rid = '{0}-{1}' -f $Platform.Os, $Platform.Architecture
    $candidates = New-Object System.Collections.Generic.List[string]
    $candidates.Add($rid)
    if ($Platform.Architecture -eq 'arm64' -and $Platform.Os -ne 'linux') {
        $candidates.Add(('{0}-x64' -f $Platform.Os))
    }
    return $candidates.ToArray()
}

function Get-ApEnginePath {
    # Where apready is: $env:APREADY_ENGINE (an explicit override), else
    # <module folder>/bin/<rid>/apready[.exe], else an apready found on PATH.
    param($Platform = (Get-ApPlatform))
    if ($env:APREADY_ENGINE) {
        if (Test-Path -LiteralPath $env:APREADY_ENGINE -PathType Leaf) { return $env:APREADY_ENGINE }
        throw ("APREADY_ENGINE is set to '{0}', which is not a file." -f $env:APREADY_ENGINE)
    }
    $looked = New-Object System.Collections.Generic.List[string]
    foreach ($rid in (Get-ApEngineRid -Platform $Platform)) {
        $exe = 'apready'
        if ($rid -like 'win-*') { $exe = 'apready.exe' }
        $candidate = Join-Path (Join-Path (Join-Path $script:ApModuleRoot 'bin') $rid) $exe
        $looked.Add($candidate)
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    $onPath = Find-ApEngineOnPath
    if ($onPath) { return $onPath }
    throw ("The apready engine for this platform ({0}-{1}) was not found. Looked in: {2}. Install the module package that ships the engine, or set APREADY_ENGINE to the path of an apready executable." -f $Platform.Os, $Platform.Architecture, ($looked -join '; '))
}

function Find-ApEngineOnPath {
    # The full path of an apready executable on PATH, or nothing.
    $command = Get-Command -Name 'apready' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -ne $command) { return $command.Path }
}

function ConvertTo-ApNativeArgument {
    # Quotes one argument for a Windows command line (the rules CommandLineToArgvW and the Rust
    # runtime follow; .NET on Linux and macOS splits ProcessStartInfo.Arguments the same way).
    param([AllowEmptyString()][string]$Argument)
    if ($Argument.Length -gt 0 -and $Argument -notmatch '[\s"]') { return $Argument }
    $builder = New-Object System.Text.StringBuilder
    [void]$builder.Append('"')
    $backslashes = 0
    foreach ($ch in $Argument.ToCharArray()) {
        if ([int]$ch -eq 92) {
            $backslashes++
            continue
        }
        if ([int]$ch -eq 34) {
            [void]$builder.Append([char]92, (2 * $backslashes + 1))
        }
        elseif ($backslashes -gt 0) {
            [void]$builder.Append([char]92, $backslashes)
        }
        [void]$builder.Append($ch)
        $backslashes = 0
    }
    if ($backslashes -gt 0) {
        [void]$builder.Append([char]92, (2 * $backslashes))
    }
    [void]$builder.Append('"')
    return $builder.ToString()
}

function Invoke-ApEngine {
    # The one place that starts apready. Returns ExitCode, StdOut and StdErr; never throws for a
    # non-zero exit code. Reports are always read from the --output file, never from stdout
    # (Windows PowerShell decodes a native command's stdout with the console code page).
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string[]]$ArgumentList)

    $engine = Get-ApEnginePath
    $quoted = foreach ($argument in $ArgumentList) { ConvertTo-ApNativeArgument -Argument $argument }
    $utf8 = Get-ApUtf8Encoding

    $startInfo = New-Object System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $engine
    $startInfo.Arguments = (@($quoted) -join ' ')
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.StandardOutputEncoding = $utf8
    $startInfo.StandardErrorEncoding = $utf8
    $startInfo.EnvironmentVariables['NO_COLOR'] = '1'

    Write-Verbose ('apready {0}' -f $startInfo.Arguments)
    $process = New-Object System.Diagnostics.Process
    $process.StartInfo = $startInfo
    try {
        [void]$process.Start()
        # Read both streams concurrently so that neither pipe can fill up and block the engine.
        $stdoutTask = $process.StandardOutput.ReadToEndAsync()
        $stderrTask = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        $result = [pscustomobject]@{
            ExitCode = $process.ExitCode
            StdOut   = $stdoutTask.Result
            StdErr   = $stderrTask.Result
            Engine   = $engine
        }
    }
    finally {
        $process.Dispose()
    }
    return $result
}

function Get-ApVerdictFromExitCode {
    param([int]$ExitCode)
    if ($script:ApExitCodes.ContainsKey($ExitCode)) { return $script:ApExitCodes[$ExitCode] }
    return 'error'
}

function Invoke-ApEngineJson {
    # Runs apready with --format json --output <temp file> and returns the parsed JSON plus the
    # exit code. A usage error (exit 64) is a terminating error; any other exit code is returned.
    param(
        [Parameter(Mandatory = $true)][string[]]$ArgumentList,
        [string]$OutputPath
    )
    $keep = $true
    if (-not $OutputPath) {
        $OutputPath = New-ApTemporaryPath -Extension '.json'
        $keep = $false
    }
    Remove-ApFile -Path $OutputPath
    $arguments = @($ArgumentList) + @('--format', 'json', '--output', $OutputPath)
    try {
        $run = Invoke-ApEngine -ArgumentList $arguments
        $stderr = ([string]$run.StdErr).Trim()
        if ($run.ExitCode -eq 64) {
            throw ('apready rejected the request (exit code 64, usage): {0}' -f $stderr)
        }
        $json = $null
        if ([System.IO.File]::Exists($OutputPath)) {
            $json = Read-ApJsonFile -Path $OutputPath
        }
        return [pscustomobject]@{
            ExitCode   = $run.ExitCode
            Verdict    = Get-ApVerdictFromExitCode -ExitCode $run.ExitCode
            Json       = $json
            StdErr     = $stderr
            OutputPath = $OutputPath
        }
    }
    finally {
        if (-not $keep) { Remove-ApFile -Path $OutputPath }
    }
}

function Invoke-ApCheck {
    # apready check <bundle>... --format json --output <file> [--profile P] [--as-of T], and a
    # second run with --format html when an HTML report is asked for.
    param(
        [Parameter(Mandatory = $true)][string[]]$InputPath,
        [string]$Profile,
        [string]$AsOf,
        [string]$JsonReportPath,
        [string]$HtmlReportPath
    )
    $common = New-Object System.Collections.Generic.List[string]
    $common.Add('check')
    foreach ($p in $InputPath) { $common.Add($p) }
    if ($Profile) { $common.Add('--profile'); $common.Add($Profile) }
    if ($AsOf) { $common.Add('--as-of'); $common.Add($AsOf) }

    $result = Invoke-ApEngineJson -ArgumentList $common.ToArray() -OutputPath $JsonReportPath
    if ($HtmlReportPath) {
        $html = @($common.ToArray()) + @('--format', 'html', '--output', $HtmlReportPath)
        $htmlRun = Invoke-ApEngine -ArgumentList $html
        if ($htmlRun.ExitCode -ne $result.ExitCode -or -not [System.IO.File]::Exists($HtmlReportPath)) {
            Write-Warning ('The HTML report run ended with exit code {0}: {1}' -f $htmlRun.ExitCode, ([string]$htmlRun.StdErr).Trim())
        }
    }
    return $result
}

function New-ApFinding {
    param(
        $Source,
        [string]$Scope,
        [string]$Device,
        [string]$DeviceId
    )
    $findingScope = Get-ApProperty $Source 'scope'
    if (-not $findingScope) { $findingScope = $Scope }
    $deviceName = $null
    $deviceKey = $null
    if ($Device) { $deviceName = $Device }
    if ($DeviceId) { $deviceKey = $DeviceId }
    return [pscustomobject]@{
        PSTypeName  = 'AutopatchReadiness.Finding'
        CheckId     = Get-ApProperty $Source 'id'
        Scope       = $findingScope
        Device      = $deviceName
        DeviceId    = $deviceKey
        Status      = Get-ApProperty $Source 'status'
        Reason      = Get-ApProperty $Source 'reason'
        Message     = Get-ApProperty $Source 'message'
        Remediation = Get-ApProperty $Source 'remediation'
        Source      = Get-ApProperty $Source 'source'
        Evidence    = @(Get-ApProperty $Source 'evidence')
    }
}

function ConvertTo-ApTimestampText {
    # PowerShell 7's ConvertFrom-Json turns ISO 8601 strings into DateTime; give them back as text.
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [datetime]) { return (Get-ApUtcTimestamp -Date $Value) }
    return [string]$Value
}

function ConvertFrom-ApReport {
    # Turns an apready JSON report (apready.report/1) into finding objects and one summary object.
    param(
        [Parameter(Mandatory = $true)]$Run,
        [string]$ReportPath,
        [string]$JsonReportPath,
        [string[]]$SnapshotPath,
        [switch]$DeviceOnly
    )
    $report = $Run.Json
    if ($null -eq $report) {
        $message = 'apready wrote no report (exit code {0}). {1}' -f $Run.ExitCode, $Run.StdErr
        Write-Error -Message $message -Category InvalidResult -ErrorId 'AutopatchReadiness.EngineFailed'
        return [pscustomobject]@{
            PSTypeName        = 'AutopatchReadiness.Summary'
            Verdict           = 'error'
            ReportVerdict     = 'error'
            Profile           = $null
            AsOf              = $null
            TenantId          = $null
            TenantName        = $null
            DevicesTotal      = 0
            DevicesReady      = 0
            DevicesAdvisory   = 0
            DevicesNotReady   = 0
            DevicesError      = 0
            DevicesOutOfScope = 0
            Truncated         = $true
            Coverage          = @()
            Message           = $message
            ExitCode          = $Run.ExitCode
            ReportPath        = $null
            JsonReportPath    = $null
            SnapshotPath      = $SnapshotPath
        }
    }

    foreach ($check in @(Get-ApProperty $report 'checks')) {
        if ($DeviceOnly -and (Get-ApProperty $check 'status') -eq 'not_evaluated') { continue }
        New-ApFinding -Source $check -Scope 'tenant'
    }

    $devices = Get-ApProperty $report 'devices'
    $items = @(Get-ApProperty $devices 'items')
    foreach ($item in $items) {
        $name = Get-ApProperty $item 'name'
        $id = Get-ApProperty $item 'id'
        foreach ($finding in @(Get-ApProperty $item 'findings')) {
            New-ApFinding -Source $finding -Scope 'device' -Device $name -DeviceId $id
        }
    }

    $truncated = $false
    foreach ($inputEntry in @(Get-ApProperty $report 'inputs')) {
        if ((Get-ApProperty $inputEntry 'truncated') -eq $true) { $truncated = $true }
    }

    $reportVerdict = Get-ApProperty $report 'verdict'
    if (-not $reportVerdict) { $reportVerdict = $Run.Verdict }
    $verdict = $reportVerdict
    if ($DeviceOnly -and $items.Count -eq 1) {
        # For one device the useful answer is that device's verdict; tenant checks lack Graph data.
        $deviceVerdict = Get-ApProperty $items[0] 'verdict'
        if ($deviceVerdict) { $verdict = $deviceVerdict }
    }

    $tenant = Get-ApProperty $report 'tenant'
    $htmlPath = $null
    if ($ReportPath -and [System.IO.File]::Exists($ReportPath)) { $htmlPath = $ReportPath }
    $jsonPath = $null
    if ($JsonReportPath -and [System.IO.File]::Exists($JsonReportPath)) { $jsonPath = $JsonReportPath }

    return [pscustomobject]@{
        PSTypeName        = 'AutopatchReadiness.Summary'
        Verdict           = $verdict
        ReportVerdict     = $reportVerdict
        Profile           = Get-ApProperty $report 'profile'
        AsOf              = ConvertTo-ApTimestampText (Get-ApProperty $report 'as_of')
        TenantId          = Get-ApProperty $tenant 'id'
        TenantName        = Get-ApProperty $tenant 'name'
        DevicesTotal      = [int](Get-ApProperty $devices 'total')
        DevicesReady      = [int](Get-ApProperty $devices 'ready')
        DevicesAdvisory   = [int](Get-ApProperty $devices 'advisory')
        DevicesNotReady   = [int](Get-ApProperty $devices 'not_ready')
        DevicesError      = [int](Get-ApProperty $devices 'error')
        DevicesOutOfScope = [int](Get-ApProperty $devices 'out_of_scope')
        Truncated         = $truncated
        Coverage          = @(Get-ApProperty $report 'coverage')
        Message           = $Run.StdErr
        ExitCode          = $Run.ExitCode
        ReportPath        = $htmlPath
        JsonReportPath    = $jsonPath
        SnapshotPath      = $SnapshotPath
    }
}

function Get-ApEngineCatalog {
    # apready rules --format json [--profile P], parsed.
    param([string]$Profile)
    $arguments = New-Object System.Collections.Generic.List[string]
    $arguments.Add('rules')
    if ($Profile) { $arguments.Add('--profile'); $arguments.Add($Profile) }
    $run = Invoke-ApEngineJson -ArgumentList $arguments.ToArray()
    if ($run.ExitCode -ne 0 -or $null -eq $run.Json) {
        throw ('apready rules failed (exit code {0}): {1}' -f $run.ExitCode, $run.StdErr)
    }
    return $run.Json
}

function Get-ApCatalogRule {
    # The rule list inside a catalogue document, whatever its top-level shape.
    param($Catalog)
    if ($Catalog -is [System.Array]) { return $Catalog }
    $rules = @(Get-ApProperty $Catalog @('rules', 'checks'))
    return $rules
}
