function Test-AutopatchReadiness {
    <#
    .SYNOPSIS
    Checks a tenant's Windows Autopatch readiness and returns one object per finding plus a summary.

    .DESCRIPTION
    Test-AutopatchReadiness runs the apready engine (apready check) on one or more snapshot bundles
    or Graph export folders and turns its JSON report into PowerShell objects: one
    AutopatchReadiness.Finding per tenant check and per device finding, then one
    AutopatchReadiness.Summary with the verdict, the profile, the as-of instant and the device
    counts. Without -SnapshotPath it first collects the tenant with
    Export-AutopatchReadinessSnapshot (into a file in the temporary folder, named in the summary).

    A tenant that is not ready is a result, not an error: the command does not throw for it and
    never exits the session. The summary's ExitCode is the engine's (0 ready, 1 advisory,
    2 not_ready, 3 error). Only usage errors (a missing file, an unknown profile) are terminating.

    .PARAMETER SnapshotPath
    Snapshot bundles, Graph export files or folders to evaluate together (for example a tenant
    bundle and device bundles written by Test-AutopatchDeviceReadiness -SnapshotPath).

    .PARAMETER Profile
    The requirements profile: 2022-05 (the prerequisites page as published on 2022-05-30) or
    current. The engine's default applies when omitted; the summary names the profile used.

    .PARAMETER AsOf
    The instant the time-based checks are judged at (default: the snapshot's collection time).

    .PARAMETER ReportPath
    Also writes the self-contained HTML readiness page to this file.

    .PARAMETER JsonReportPath
    Keeps the engine's JSON report (apready.report/1) in this file, for
    Compare-AutopatchReadinessReport or other tools.

    .PARAMETER IncludeBeta
    When collecting (no -SnapshotPath): also read the beta-only fields.

    .PARAMETER IncludeThisDevice
    When collecting (no -SnapshotPath): also record this device's local evidence.

    .PARAMETER SkipNetwork
    With -IncludeThisDevice: do not probe the service endpoints.

    .EXAMPLE
    Connect-MgGraph -Scopes DeviceManagementManagedDevices.Read.All,Device.Read.All,Organization.Read.All,User.Read.All,DeviceManagementServiceConfig.Read.All
    Test-AutopatchReadiness -ReportPath .\ready.html

    Collects the tenant, evaluates it with the default profile, writes ready.html and lists the
    findings and the summary.

    .EXAMPLE
    Test-AutopatchReadiness -SnapshotPath .\contoso-snapshot.json -Profile 2022-05 -AsOf '2022-06-01T00:00:00Z' |
        Where-Object { $_.Status -eq 'not_ready' } |
        Format-Table CheckId, Device, Message

    Evaluates a saved snapshot and shows only what is not ready.

    .EXAMPLE
    $result = Test-AutopatchReadiness -SnapshotPath .\contoso-snapshot.json -JsonReportPath .\week-48.json
    $summary = $result | Where-Object { $_.PSObject.TypeNames -contains 'AutopatchReadiness.Summary' }
    $summary.Verdict

    Keeps the JSON report for a later Compare-AutopatchReadinessReport and reads the verdict.

    .OUTPUTS
    AutopatchReadiness.Finding, AutopatchReadiness.Summary

    .LINK
    Export-AutopatchReadinessSnapshot

    .LINK
    Compare-AutopatchReadinessReport
    #>
    [CmdletBinding()]
    [OutputType('AutopatchReadiness.Finding', 'AutopatchReadiness.Summary')]
    param(
        [Parameter(Position = 0)]
        [string[]]$SnapshotPath,

        [string]$Profile,

        [datetime]$AsOf,

        [string]$ReportPath,

        [string]$JsonReportPath,

        [switch]$IncludeBeta,

        [switch]$IncludeThisDevice,

        [switch]$SkipNetwork
    )

    $inputs = New-Object System.Collections.Generic.List[string]
    if ($SnapshotPath) {
        foreach ($item in $SnapshotPath) {
            $resolved = Resolve-ApPath -Path $item
            if (-not (Test-Path -LiteralPath $resolved)) {
                throw ('Snapshot not found: {0}' -f $resolved)
            }
            $inputs.Add($resolved)
        }
    }
    else {
        $collectPath = Join-Path ([System.IO.Path]::GetTempPath()) ('AutopatchReadiness-snapshot-{0}.json' -f (Get-Date -Format 'yyyyMMdd-HHmmss'))
        $snapshot = Export-AutopatchReadinessSnapshot -Path $collectPath -IncludeBeta:$IncludeBeta -IncludeThisDevice:$IncludeThisDevice -Profile $Profile -SkipNetwork:$SkipNetwork
        $inputs.Add([string]$snapshot.Path)
    }

    $asOfText = $null
    if ($PSBoundParameters.ContainsKey('AsOf')) { $asOfText = Format-ApAsOf -AsOf $AsOf }
    $htmlPath = $null
    if ($ReportPath) { $htmlPath = Resolve-ApPath -Path $ReportPath }
    $jsonPath = $null
    if ($JsonReportPath) { $jsonPath = Resolve-ApPath -Path $JsonReportPath }

    $run = Invoke-ApCheck -InputPath $inputs.ToArray() -Profile $Profile -AsOf $asOfText -JsonReportPath $jsonPath -HtmlReportPath $htmlPath
    ConvertFrom-ApReport -Run $run -ReportPath $htmlPath -JsonReportPath $jsonPath -SnapshotPath $inputs.ToArray()
}
