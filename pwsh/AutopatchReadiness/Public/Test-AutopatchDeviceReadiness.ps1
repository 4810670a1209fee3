function Test-AutopatchDeviceReadiness {
    <#
    .SYNOPSIS
    Checks this Windows device's Windows Autopatch readiness with the same engine as the tenant check.

    .DESCRIPTION
    Test-AutopatchDeviceReadiness reads this device's raw evidence: the OS SKU number, version and
    architecture (Win32_OperatingSystem), the BIOS serial number, the complete text of
    dsregcmd /status, the Windows Update policy values, CoManagementFlags and AllowTelemetry from
    the registry, the ConfigMgr client version (SMS_Client in root\ccm, when present), the WinHTTP
    proxy, and a DNS, TCP 443 and TLS 1.2 probe of each Windows Autopatch service endpoint of the
    profile. It writes them, unparsed, into a snapshot bundle with devices[] only and evaluates it
    with apready check. The engine parses dsregcmd's text and decides; this command only reports.

    It returns the device findings, the tenant checks that device evidence can decide (network
    reach), and a summary whose Verdict is this device's verdict (ReportVerdict is the report's
    overall verdict, which lacks the tenant's Graph data here). It never throws for a device that
    is not ready. Run it in the signed-in user's session for the user-state part of dsregcmd.

    .PARAMETER SkipNetwork
    Does not probe the endpoints; network checks are then reported as not evaluated.

    .PARAMETER TimeoutSeconds
    Timeout of each probe step (DNS, TCP connect, TLS handshake), default 10 seconds.

    .PARAMETER Profile
    The requirements profile (2022-05 or current); decides which endpoints are probed. The
    engine's default applies when omitted, and every endpoint either profile names is probed.

    .PARAMETER AsOf
    The instant the checks are judged at (default: now).

    .PARAMETER SnapshotPath
    Keeps the device bundle in this file (to evaluate later together with a tenant snapshot, for
    example with Test-AutopatchReadiness -SnapshotPath tenant.json, device1.json, device2.json).

    .PARAMETER ReportPath
    Also writes the HTML readiness page to this file.

    .PARAMETER JsonReportPath
    Keeps the engine's JSON report in this file.

    .EXAMPLE
    Test-AutopatchDeviceReadiness

    Probes the endpoints and lists this device's findings and its verdict.

    .EXAMPLE
    Test-AutopatchDeviceReadiness -SkipNetwork -SnapshotPath "\\server\autopatch\$env:COMPUTERNAME.json"

    Records this device's evidence to a share without touching the network probes, for a later
    evaluation together with the tenant snapshot.

    .OUTPUTS
    AutopatchReadiness.Finding, AutopatchReadiness.Summary

    .LINK
    Test-AutopatchReadiness
    #>
    [CmdletBinding()]
    [OutputType('AutopatchReadiness.Finding', 'AutopatchReadiness.Summary')]
    param(
        [switch]$SkipNetwork,

        [ValidateRange(1, 120)]
        [int]$TimeoutSeconds = 10,

        [string]$Profile,

        [datetime]$AsOf,

        [string]$SnapshotPath,

        [string]$ReportPath,

        [string]$JsonReportPath
    )

    $platform = Get-ApPlatform
    if ($platform.Os -ne 'win') {
        throw 'Test-AutopatchDeviceReadiness reads Windows device state (CIM, registry, dsregcmd) and runs on Windows only.'
    }

    $keepBundle = $false
    if ($SnapshotPath) {
        $bundlePath = Resolve-ApPath -Path $SnapshotPath
        $keepBundle = $true
    }
    else {
        $bundlePath = New-ApTemporaryPath -Extension '.json'
    }

    $evidence = Get-ApDeviceEvidence -Profile $Profile -SkipNetwork:$SkipNetwork -TimeoutSeconds $TimeoutSeconds
    Write-ApSnapshotBundle -Path $bundlePath -Complete $true -Device @($evidence)

    $asOfText = $null
    if ($PSBoundParameters.ContainsKey('AsOf')) { $asOfText = Format-ApAsOf -AsOf $AsOf }
    $htmlPath = $null
    if ($ReportPath) { $htmlPath = Resolve-ApPath -Path $ReportPath }
    $jsonPath = $null
    if ($JsonReportPath) { $jsonPath = Resolve-ApPath -Path $JsonReportPath }

    try {
        $run = Invoke-ApCheck -InputPath @($bundlePath) -Profile $Profile -AsOf $asOfText -JsonReportPath $jsonPath -HtmlReportPath $htmlPath
        $kept = $null
        if ($keepBundle) { $kept = @($bundlePath) }
        ConvertFrom-ApReport -Run $run -ReportPath $htmlPath -JsonReportPath $jsonPath -SnapshotPath $kept -DeviceOnly
    }
    finally {
        if (-not $keepBundle) { Remove-ApFile -Path $bundlePath }
    }
}
