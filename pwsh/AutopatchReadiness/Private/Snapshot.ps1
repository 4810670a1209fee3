# The snapshot bundle (docs/snapshot-bundle.md, schema apready.snapshot/1) and the work folder that
# makes a collection resumable. Each Graph page is written to its own file in the work folder the
# moment it arrives, already in the bundle's graph[] entry shape:
#     {"request":"<url>","page":<the response body, verbatim>}
# state.json records, per resource, the next URL to ask for. The bundle is assembled from the page
# files at the end (or when the collection stops early, with "complete": false).

$script:ApSnapshotSchema = 'apready.snapshot/1'
$script:ApStateSchema = 'apready.collection-state/1'

function Get-ApWorkDirectory {
    param([Parameter(Mandatory = $true)][string]$BundlePath)
    return ($BundlePath + '.parts')
}

function New-ApCollectionState {
    param(
        [Parameter(Mandatory = $true)][string]$BundlePath,
        [Parameter(Mandatory = $true)][string]$BaseUri,
        [Parameter(Mandatory = $true)][object[]]$Resource,
        [switch]$IncludeBeta
    )
    $resources = foreach ($r in $Resource) {
        [pscustomobject]@{
            name         = $r.name
            api          = $r.api
            scope        = $r.scope
            status       = 'pending'
            next_request = $r.first_request
            pages        = 0
            records      = 0
            problem      = $null
        }
    }
    return [pscustomobject]@{
        schema       = $script:ApStateSchema
        bundle       = $BundlePath
        graph_base   = $BaseUri
        include_beta = [bool]$IncludeBeta
        started_at   = Get-ApUtcTimestamp
        next_page    = 1
        resources    = @($resources)
    }
}

function Save-ApCollectionState {
    param(
        [Parameter(Mandatory = $true)][string]$WorkDirectory,
        [Parameter(Mandatory = $true)]$State
    )
    $path = Join-Path $WorkDirectory 'state.json'
    $temporary = $path + '.tmp'
    Write-ApTextFile -Path $temporary -Text (ConvertTo-Json -InputObject $State -Depth 10)
    Move-ApFile -Source $temporary -Destination $path
}

function Read-ApCollectionState {
    param([Parameter(Mandatory = $true)][string]$WorkDirectory)
    $path = Join-Path $WorkDirectory 'state.json'
    if (-not [System.IO.File]::Exists($path)) { return $null }
    $state = Read-ApJsonFile -Path $path
    if ((Get-ApProperty $state 'schema') -ne $script:ApStateSchema) {
        throw ('{0} was not written by this version of AutopatchReadiness; remove the folder {1} and collect again.' -f $path, $WorkDirectory)
    }
    $state.resources = @($state.resources)
    return $state
}

function Save-ApGraphPage {
    # Writes one page file, named by its sequence number so that the bundle keeps arrival order.
    param(
        [Parameter(Mandatory = $true)][string]$WorkDirectory,
        [Parameter(Mandatory = $true)][int]$Number,
        [Parameter(Mandatory = $true)][string]$Request,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Content,
        [bool]$IsJson = $true
    )
    $path = Join-Path $WorkDirectory ('page-{0:D6}.json' -f $Number)
    if ($IsJson) {
        $entry = '{"request":' + (ConvertTo-ApJsonString $Request) + ',"page":' + $Content + '}'
    }
    else {
        # Not JSON (an HTML error page from a proxy, say): kept as text so the bundle stays valid.
        $entry = '{"request":' + (ConvertTo-ApJsonString $Request) + ',"page":null,"page_text":' + (ConvertTo-ApJsonString $Content) + '}'
    }
    Write-ApTextFile -Path $path -Text $entry
    return $path
}

function Get-ApStateProblem {
    # The problems[] of the bundle: each resource that failed or was skipped.
    param([Parameter(Mandatory = $true)]$State)
    foreach ($r in @($State.resources)) {
        if ($r.problem) {
            $request = $r.next_request
            if (-not $request) { $request = $r.name }
            [pscustomobject]@{ request = [string]$request; message = [string]$r.problem }
        }
    }
}

function Test-ApStateComplete {
    param([Parameter(Mandatory = $true)]$State)
    foreach ($r in @($State.resources)) {
        if ($r.status -ne 'done') { return $false }
    }
    return $true
}

function Write-ApSnapshotBundle {
    # Assembles the bundle: header, problems, every page file in arrival order, device evidence.
    # Streams through a writer so that a large tenant never sits in memory as one string.
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [string]$WorkDirectory,
        [bool]$Complete,
        [object[]]$Problem = @(),
        [object[]]$Device = @()
    )
    $temporary = $Path + '.tmp'
    $encoding = Get-ApUtf8Encoding
    $writer = New-Object System.IO.StreamWriter -ArgumentList $temporary, $false, $encoding
    try {
        $writer.Write('{"schema":' + (ConvertTo-ApJsonString $script:ApSnapshotSchema))
        $writer.Write(',"collected_at":' + (ConvertTo-ApJsonString (Get-ApUtcTimestamp)))
        $writer.Write(',"collector":{"name":"AutopatchReadiness","version":' + (ConvertTo-ApJsonString $script:ApModuleVersion) + ',"host":' + (ConvertTo-ApJsonString (Get-ApHostDescription)) + '}')
        if ($Complete) { $writer.Write(',"complete":true') } else { $writer.Write(',"complete":false') }

        $writer.Write(',"problems":[')
        $first = $true
        foreach ($p in @($Problem)) {
            if ($null -eq $p) { continue }
            if (-not $first) { $writer.Write(',') }
            $writer.Write('{"request":' + (ConvertTo-ApJsonString (Get-ApProperty $p 'request')) + ',"message":' + (ConvertTo-ApJsonString (Get-ApProperty $p 'message')) + '}')
            $first = $false
        }

        $writer.Write('],"graph":[')
        $first = $true
        if ($WorkDirectory -and [System.IO.Directory]::Exists($WorkDirectory)) {
            $pages = @(Get-ChildItem -LiteralPath $WorkDirectory -Filter 'page-*.json' -File | Sort-Object -Property Name)
            foreach ($page in $pages) {
                if (-not $first) { $writer.Write(',') }
                $writer.Write((Read-ApTextFile -Path $page.FullName))
                $first = $false
            }
        }

        $writer.Write('],"devices":[')
        $first = $true
        foreach ($d in @($Device)) {
            if ($null -eq $d) { continue }
            if (-not $first) { $writer.Write(',') }
            $writer.Write((ConvertTo-ApJson -InputObject $d))
            $first = $false
        }
        $writer.Write(']}')
    }
    finally {
        $writer.Dispose()
    }
    Move-ApFile -Source $temporary -Destination $Path
}
