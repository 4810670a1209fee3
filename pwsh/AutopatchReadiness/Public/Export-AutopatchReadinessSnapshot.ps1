function Export-AutopatchReadinessSnapshot {
    <#
    .SYNOPSIS
    Reads the tenant through Microsoft Graph into a snapshot bundle for the apready engine.

    .DESCRIPTION
    Export-AutopatchReadinessSnapshot reads, read-only, what the Windows Autopatch readiness checks
    need: Intune managed devices, Microsoft Entra devices, subscribed SKUs, users' licences, the
    organization and its MDM authority (and, with -IncludeBeta, the beta-only device fields and
    the Microsoft Entra Connect client version). It uses Invoke-MgGraphRequest from
    Microsoft.Graph.Authentication, asks only for the fields the rules use ($select), follows every
    @odata.nextLink, waits for Retry-After on HTTP 429 and backs off on transient 5xx/408 errors.

    The scopes of the current Graph session are checked first; a missing scope stops the command
    with a message that names it. Each page is written to disk as it arrives, exactly as Graph
    returned it, into the work folder "<Path>.parts"; the bundle (apready.snapshot/1) is assembled
    at the end. When a page still fails after its retries, that resource stops, the failure is
    recorded in the bundle's problems and the bundle is marked "complete": false, so the report
    marks the affected checks as truncated instead of ready. The work folder is then kept, and
    -Resume continues from the last saved @odata.nextLink.

    The module never interprets Graph data: the apready engine does (Test-AutopatchReadiness).

    .PARAMETER Path
    The bundle file to write (JSON, UTF-8). Its folder must exist.

    .PARAMETER IncludeBeta
    Also reads the beta managedDevices fields (joinType, skuFamily, skuNumber,
    processorArchitecture, configurationManagerClientInformation) and beta
    directory/onPremisesSynchronization. Needs OnPremDirectorySynchronization.Read.All as well.

    .PARAMETER IncludeThisDevice
    Also records this Windows device's local evidence (as Test-AutopatchDeviceReadiness does).

    .PARAMETER Resume
    Continues an interrupted or partly failed collection for the same -Path from the saved
    @odata.nextLink of each unfinished resource. Use the same -IncludeBeta as the first run.
    When there is nothing to resume, a new collection starts (so a scheduled task can always
    pass -Resume).

    .PARAMETER AllowMissingScope
    Collects what the granted scopes allow instead of stopping; resources whose scope is missing
    are recorded as problems and the bundle is marked incomplete.

    .PARAMETER MaxRetry
    Retries per page for HTTP 429, 408, 5xx and network failures (default 5).

    .PARAMETER Profile
    Readiness profile whose endpoint list is probed with -IncludeThisDevice (2022-05 or current).

    .PARAMETER SkipNetwork
    With -IncludeThisDevice: do not probe the service endpoints.

    .PARAMETER TimeoutSeconds
    With -IncludeThisDevice: timeout of each DNS, TCP and TLS probe step (default 10).

    .EXAMPLE
    Connect-MgGraph -Scopes DeviceManagementManagedDevices.Read.All,Device.Read.All,Organization.Read.All,User.Read.All,DeviceManagementServiceConfig.Read.All
    Export-AutopatchReadinessSnapshot -Path .\contoso-snapshot.json

    Collects the tenant into contoso-snapshot.json with the least-privilege read-only scopes.

    .EXAMPLE
    Export-AutopatchReadinessSnapshot -Path .\contoso-snapshot.json -IncludeBeta -Resume

    Continues a collection that stopped (throttling that outlasted the retries, an expired sign-in,
    Ctrl+C) from where it stopped.

    .OUTPUTS
    AutopatchReadiness.Snapshot: the bundle path, whether it is complete, pages, records and problems.

    .LINK
    Test-AutopatchReadiness
    #>
    [CmdletBinding()]
    [OutputType('AutopatchReadiness.Snapshot')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string]$Path,

        [switch]$IncludeBeta,

        [switch]$IncludeThisDevice,

        [switch]$Resume,

        [switch]$AllowMissingScope,

        [ValidateRange(0, 20)]
        [int]$MaxRetry = 5,

        [string]$Profile,

        [switch]$SkipNetwork,

        [ValidateRange(1, 120)]
        [int]$TimeoutSeconds = 10
    )

    $bundlePath = Resolve-ApPath -Path $Path
    $parent = [System.IO.Path]::GetDirectoryName($bundlePath)
    if ($parent -and -not [System.IO.Directory]::Exists($parent)) {
        throw ('The folder of -Path does not exist: {0}' -f $parent)
    }
    $workDirectory = Get-ApWorkDirectory -BundlePath $bundlePath

    Assert-ApGraphModule
    $session = Get-ApGraphContext -IncludeBeta:$IncludeBeta -AllowMissingScope:$AllowMissingScope
    $baseUri = Get-ApGraphBaseUri -Context $session.Context
    $useJsonOutput = Test-ApGraphJsonOutput

    $state = $null
    if ($Resume) {
        $state = Read-ApCollectionState -WorkDirectory $workDirectory
        if ($null -eq $state) {
            Write-Verbose ('There is no interrupted collection in {0}; starting a new one.' -f $workDirectory)
        }
        elseif ([bool]$state.include_beta -ne [bool]$IncludeBeta) {
            throw ('The interrupted collection in {0} was started with -IncludeBeta:${1}. Run again with the same -IncludeBeta, or without -Resume to start over.' -f $workDirectory, ([bool]$state.include_beta))
        }
        else {
            foreach ($resource in @($state.resources)) {
                if ($resource.status -ne 'done') {
                    $resource.status = 'pending'
                    $resource.problem = $null
                }
            }
            Write-Verbose ('Resuming the collection in {0}' -f $workDirectory)
        }
    }
    elseif ([System.IO.Directory]::Exists($workDirectory)) {
        Write-Warning ('An unfinished collection was found in {0}; starting over. Use -Resume to continue it instead.' -f $workDirectory)
    }

    if ($null -eq $state) {
        if ([System.IO.Directory]::Exists($workDirectory)) {
            Remove-Item -LiteralPath $workDirectory -Recurse -Force
        }
        [void][System.IO.Directory]::CreateDirectory($workDirectory)
        $resources = Get-ApGraphResource -BaseUri $baseUri -IncludeBeta:$IncludeBeta
        $state = New-ApCollectionState -BundlePath $bundlePath -BaseUri $baseUri -Resource $resources -IncludeBeta:$IncludeBeta
    }

    foreach ($resource in @($state.resources)) {
        if ($resource.status -ne 'done' -and @($session.Missing) -contains $resource.scope) {
            $resource.status = 'skipped'
            $resource.problem = 'not read: the Microsoft Graph session lacks the scope {0}' -f $resource.scope
        }
    }
    Save-ApCollectionState -WorkDirectory $workDirectory -State $state

    $devices = @()
    $finished = $false
    $complete = $false
    $problems = @()
    $stopReason = $null
    $activity = 'Reading Microsoft Graph'
    try {
        $resourceList = @($state.resources)
        $position = 0
        foreach ($resource in $resourceList) {
            $position++
            if ($resource.status -ne 'pending') { continue }
            if ($null -ne $stopReason) {
                $resource.status = 'failed'
                $resource.problem = 'not read: {0}' -f $stopReason
                Save-ApCollectionState -WorkDirectory $workDirectory -State $state
                continue
            }
            if (-not $resource.next_request) {
                $resource.status = 'failed'
                $resource.problem = 'not read: the organization id is unknown because the organization request did not succeed'
                Save-ApCollectionState -WorkDirectory $workDirectory -State $state
                continue
            }

            $resource.status = 'running'
            $seenLinks = @{}
            while ($resource.next_request) {
                $request = [string]$resource.next_request
                # The token goes with every request: never follow a link (from a response or a
                # resumed state file) to a host other than the Graph endpoint being collected.
                if (-not (Test-ApGraphLink -Uri $request -BaseUri ([string]$state.graph_base))) {
                    $resource.status = 'failed'
                    $resource.problem = ('refused to follow a link to another host: {0}' -f $request)
                    Save-ApCollectionState -WorkDirectory $workDirectory -State $state
                    Write-Warning ('{0}: {1}' -f $resource.name, $resource.problem)
                    break
                }
                if ($seenLinks.ContainsKey($request)) {
                    $resource.status = 'failed'
                    $resource.problem = 'Graph returned an @odata.nextLink seen before; stopped to avoid a loop'
                    Save-ApCollectionState -WorkDirectory $workDirectory -State $state
                    Write-Warning ('{0}: {1}' -f $resource.name, $resource.problem)
                    break
                }
                $seenLinks[$request] = $true
                $status = '{0} ({1}): page {2}, {3} records so far' -f $resource.name, $resource.api, ([int]$resource.pages + 1), [int]$resource.records
                Write-Progress -Id 1 -Activity $activity -Status $status -PercentComplete ([int](100 * ($position - 1) / $resourceList.Count))

                $result = Invoke-ApGraphPage -Uri $request -MaxRetry $MaxRetry -UseJsonOutput:$useJsonOutput
                if (-not $result.Ok) {
                    $resource.status = 'failed'
                    $resource.problem = $result.Message
                    Save-ApCollectionState -WorkDirectory $workDirectory -State $state
                    Write-Warning ('{0}: stopped at page {1}: {2}' -f $resource.name, ([int]$resource.pages + 1), $result.Message)
                    if ($result.Fatal) { $stopReason = 'the collection stopped after an authentication failure' }
                    break
                }

                $page = Get-ApPageInfo -Content $result.Content
                [void](Save-ApGraphPage -WorkDirectory $workDirectory -Number ([int]$state.next_page) -Request $request -Content $result.Content -IsJson $page.IsJson)
                $state.next_page = [int]$state.next_page + 1
                $resource.pages = [int]$resource.pages + 1
                if ($page.Records -gt 0) { $resource.records = [int]$resource.records + $page.Records }

                if ($resource.name -eq 'organization') {
                    foreach ($dependent in @($state.resources)) {
                        if ($dependent.name -eq 'organizationMdm' -and $dependent.status -eq 'pending' -and -not $dependent.next_request) {
                            $dependent.next_request = Get-ApOrganizationMdmUri -BaseUri $state.graph_base -OrganizationPage $result.Content
                        }
                    }
                }

                if (-not $page.IsJson) {
                    $resource.status = 'failed'
                    $resource.problem = 'the response is not JSON; it was kept as text in the bundle'
                    $resource.next_request = $null
                }
                elseif ($page.NextLink -and $page.NextLink -eq $request) {
                    $resource.status = 'failed'
                    $resource.problem = 'Graph returned the same @odata.nextLink again; stopped to avoid a loop'
                }
                elseif ($page.NextLink) {
                    $resource.next_request = $page.NextLink
                }
                else {
                    $resource.next_request = $null
                    $resource.status = 'done'
                }
                Save-ApCollectionState -WorkDirectory $workDirectory -State $state
                if ($resource.status -eq 'failed') {
                    Write-Warning ('{0}: {1}' -f $resource.name, $resource.problem)
                    break
                }
            }
        }

        if ($IncludeThisDevice) {
            if ((Get-ApPlatform).Os -eq 'win') {
                $devices = @(Get-ApDeviceEvidence -Profile $Profile -SkipNetwork:$SkipNetwork -TimeoutSeconds $TimeoutSeconds)
            }
            else {
                Write-Warning '-IncludeThisDevice reads Windows device state; this is not Windows, so no device evidence was recorded.'
            }
        }
        $finished = $true
    }
    finally {
        Write-Progress -Id 1 -Activity $activity -Completed
        $problems = @(Get-ApStateProblem -State $state)
        if (-not $finished) {
            $problems += [pscustomobject]@{
                request = 'collection'
                message = 'The collection was interrupted before it finished; run Export-AutopatchReadinessSnapshot again with -Resume to continue it.'
            }
        }
        $complete = $finished -and (Test-ApStateComplete -State $state)
        try {
            Write-ApSnapshotBundle -Path $bundlePath -WorkDirectory $workDirectory -Complete $complete -Problem $problems -Device $devices
        }
        catch {
            Write-Warning ('The snapshot bundle could not be written: {0}' -f $_.Exception.Message)
        }
    }

    if ($complete) {
        Remove-Item -LiteralPath $workDirectory -Recurse -Force -ErrorAction SilentlyContinue
    }
    else {
        Write-Warning ('The snapshot is incomplete ({0} problem(s)): the report will show the affected checks as not evaluated (truncated input), never as ready. Fix the cause and run again with -Resume to continue from {1}.' -f $problems.Count, $workDirectory)
    }

    $totalRecords = 0
    $resourceSummary = foreach ($resource in @($state.resources)) {
        if ([int]$resource.records -gt 0) { $totalRecords += [int]$resource.records }
        [pscustomobject]@{
            Name    = $resource.name
            Api     = $resource.api
            Status  = $resource.status
            Pages   = [int]$resource.pages
            Records = [int]$resource.records
        }
    }
    $workFolder = $null
    if (-not $complete) { $workFolder = $workDirectory }

    [pscustomobject]@{
        PSTypeName    = 'AutopatchReadiness.Snapshot'
        Path          = $bundlePath
        Complete      = $complete
        Pages         = [int]$state.next_page - 1
        Records       = $totalRecords
        Devices       = @($devices).Count
        Problems      = @($problems | ForEach-Object { '{0}: {1}' -f $_.request, $_.message })
        Resources     = @($resourceSummary)
        WorkDirectory = $workFolder
    }
}
