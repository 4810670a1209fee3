# Small helpers shared by the module. Everything here must run on Windows PowerShell 5.1 and
# PowerShell 7: no ternary, no null-coalescing, no pipeline chains, no PowerShell 7-only parameters.

function Get-ApProperty {
    # Returns the value of the first property (or dictionary key) in $Name that exists on
    # $InputObject. Emits nothing when none exists or the value is $null, so that
    # @(Get-ApProperty ...) is an empty array and not an array holding one $null.
    param(
        $InputObject,
        [string[]]$Name
    )
    if ($null -eq $InputObject) { return }
    foreach ($n in $Name) {
        if ($InputObject -is [System.Collections.IDictionary]) {
            if ($InputObject.Contains($n)) {
                $value = $InputObject[$n]
                if ($null -ne $value) { return $value }
                return
            }
        }
        else {
            $property = $InputObject.PSObject.Properties[$n]
            if ($null -ne $property) {
                $value = $property.Value
                if ($null -ne $value) { return $value }
                return
            }
        }
    }
}

function ConvertTo-ApJsonString {
    # A JSON string literal (quotes included) for $Value, or the literal null.
    param($Value)
    if ($null -eq $Value) { return 'null' }
    $text = [string]$Value
    $builder = New-Object System.Text.StringBuilder ($text.Length + 2)
    [void]$builder.Append('"')
    foreach ($ch in $text.ToCharArray()) {
        $code = [int]$ch
        if ($code -eq 34) { [void]$builder.Append('\"') }
        elseif ($code -eq 92) { [void]$builder.Append('\\') }
        elseif ($code -eq 10) { [void]$builder.Append('\n') }
        elseif ($code -eq 13) { [void]$builder.Append('\r') }
        elseif ($code -eq 9) { [void]$builder.Append('\t') }
        elseif ($code -lt 32) { [void]$builder.Append(('\u{0:x4}' -f $code)) }
        else { [void]$builder.Append($ch) }
    }
    [void]$builder.Append('"')
    return $builder.ToString()
}

function ConvertTo-ApJson {
    # Compact JSON for collector-built values (device evidence, state). Never used for Graph pages,
    # which are stored verbatim.
    param($InputObject)
    return (ConvertTo-Json -InputObject $InputObject -Depth 20 -Compress)
}

function Get-ApUtcTimestamp {
    param([datetime]$Date = [datetime]::UtcNow)
    return $Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
}

function Get-ApUtf8Encoding {
    # UTF-8 without a byte order mark (Windows PowerShell's -Encoding UTF8 would write one).
    return (New-Object System.Text.UTF8Encoding $false)
}

function Write-ApTextFile {
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [AllowEmptyString()][string]$Text
    )
    [System.IO.File]::WriteAllText($Path, $Text, (Get-ApUtf8Encoding))
}

function Read-ApTextFile {
    param([Parameter(Mandatory = $true)][string]$Path)
    # UTF8Encoding also honours a UTF-8 or UTF-16 byte order mark when reading.
    return [System.IO.File]::ReadAllText($Path, (Get-ApUtf8Encoding))
}

function Read-ApJsonFile {
    # Parses a JSON file and returns its top-level value unchanged: a one-element array stays an
    # array. (Windows PowerShell and PowerShell 7 enumerate a top-level array differently, so the
    # document is wrapped in an object and the value is taken back out of it.)
    param([Parameter(Mandatory = $true)][string]$Path)
    $text = Read-ApTextFile -Path $Path
    $wrapper = ConvertFrom-Json -InputObject ('{"v":' + $text + "`n}")
    return , $wrapper.v
}

function Move-ApFile {
    # Replaces $Destination with $Source (same folder, so close to atomic).
    param(
        [Parameter(Mandatory = $true)][string]$Source,
        [Parameter(Mandatory = $true)][string]$Destination
    )
    if ([System.IO.File]::Exists($Destination)) {
        [System.IO.File]::Delete($Destination)
    }
    [System.IO.File]::Move($Source, $Destination)
}

function Resolve-ApPath {
    # A provider path for a file that may not exist yet, relative to the PowerShell location
    # (not the process working directory, which .NET file APIs would use).
    param([Parameter(Mandatory = $true)][string]$Path)
    return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

function New-ApTemporaryPath {
    param([string]$Extension = '.json')
    $name = 'AutopatchReadiness-{0}{1}' -f ([guid]::NewGuid().ToString('N')), $Extension
    return (Join-Path ([System.IO.Path]::GetTempPath()) $name)
}

function Remove-ApFile {
    param([string]$Path)
    if ($Path -and [System.IO.File]::Exists($Path)) {
        try { [System.IO.File]::Delete($Path) } catch { Write-Verbose ('Could not delete {0}: {1}' -f $Path, $_.Exception.Message) }
    }
}

function Get-ApHostDescription {
    $name = 'powershell'
    if ($PSVersionTable.PSEdition -eq 'Core') { $name = 'pwsh' }
    return ('{0} {1}' -f $name, $PSVersionTable.PSVersion.ToString())
}

function Get-ApInnermostMessage {
    param($Exception)
    $ex = $Exception
    if ($ex -is [System.Management.Automation.ErrorRecord]) { $ex = $ex.Exception }
    $message = $null
    $depth = 0
    while ($null -ne $ex -and $depth -lt 10) {
        if ($ex.Message) { $message = $ex.Message }
        $ex = $ex.InnerException
        $depth++
    }
    return $message
}

function Format-ApAsOf {
    param([datetime]$AsOf)
    return (Get-ApUtcTimestamp -Date $AsOf)
}
