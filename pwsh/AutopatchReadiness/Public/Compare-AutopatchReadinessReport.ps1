function Compare-AutopatchReadinessReport {
    <#
    .SYNOPSIS
    Shows what changed between two readiness reports.

    .DESCRIPTION
    Compare-AutopatchReadinessReport runs apready diff on two JSON reports (written by
    Test-AutopatchReadiness -JsonReportPath or apready check --format json) and returns one
    AutopatchReadiness.Change per difference: a check or a device whose status changed, a device
    that appeared or disappeared, a change of verdict. Use it after a weekly snapshot to see what
    got better or worse.

    .PARAMETER ReferencePath
    The older report (JSON).

    .PARAMETER DifferencePath
    The newer report (JSON).

    .EXAMPLE
    Compare-AutopatchReadinessReport -ReferencePath .\week-47.json -DifferencePath .\week-48.json

    Lists what changed between two weekly runs.

    .EXAMPLE
    Compare-AutopatchReadinessReport .\week-47.json .\week-48.json | Where-Object { $_.After -eq 'not_ready' }

    Shows only what became not ready.

    .OUTPUTS
    AutopatchReadiness.Change

    .LINK
    Test-AutopatchReadiness
    #>
    [CmdletBinding()]
    [OutputType('AutopatchReadiness.Change')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string]$ReferencePath,

        [Parameter(Mandatory = $true, Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string]$DifferencePath
    )

    $reference = Resolve-ApPath -Path $ReferencePath
    $difference = Resolve-ApPath -Path $DifferencePath
    foreach ($file in @($reference, $difference)) {
        if (-not (Test-Path -LiteralPath $file -PathType Leaf)) {
            throw ('Report not found: {0}' -f $file)
        }
    }

    $run = Invoke-ApEngineJson -ArgumentList @('diff', $reference, $difference)
    if ($null -eq $run.Json) {
        Write-Error -Message ('apready diff wrote no result (exit code {0}): {1}' -f $run.ExitCode, $run.StdErr) -Category InvalidResult -ErrorId 'AutopatchReadiness.DiffFailed'
        return
    }
    $diff = $run.Json

    $verdict = Get-ApProperty $diff 'verdict'
    if ($null -ne $verdict -and $verdict -isnot [string]) {
        $before = Get-ApProperty $verdict @('before', 'old', 'from')
        $after = Get-ApProperty $verdict @('after', 'new', 'to')
        if ($null -ne $before -and $before -ne $after) {
            [pscustomobject]@{
                PSTypeName = 'AutopatchReadiness.Change'
                Kind       = 'verdict'
                Scope      = 'tenant'
                CheckId    = $null
                Device     = $null
                DeviceId   = $null
                Before     = $before
                After      = $after
                Message    = Get-ApProperty $verdict 'message'
                Detail     = $verdict
            }
        }
    }

    $changes = @()
    if ($diff -is [System.Array]) { $changes = $diff }
    else { $changes = @(Get-ApProperty $diff @('changes', 'items', 'differences')) }
    foreach ($change in $changes) {
        [pscustomobject]@{
            PSTypeName = 'AutopatchReadiness.Change'
            Kind       = Get-ApProperty $change @('kind', 'change', 'type')
            Scope      = Get-ApProperty $change 'scope'
            CheckId    = Get-ApProperty $change @('check_id', 'check', 'id')
            Device     = Get-ApProperty $change @('device', 'device_name', 'name')
            DeviceId   = Get-ApProperty $change 'device_id'
            Before     = Get-ApProperty $change @('before', 'old', 'from', 'old_status')
            After      = Get-ApProperty $change @('after', 'new', 'to', 'new_status')
            Message    = Get-ApProperty $change 'message'
            Detail     = $change
        }
    }
}
