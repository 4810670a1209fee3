# Microsoft Graph collection: scopes, request list, one page with retries. Pages are kept as the
# exact text Graph returned; nothing here reads a record's meaning.

$script:ApManagedDeviceFields = 'id,deviceName,operatingSystem,osVersion,managedDeviceOwnerType,managementAgent,lastSyncDateTime,enrolledDateTime,azureADDeviceId,deviceEnrollmentType,serialNumber,model,manufacturer,configurationManagerClientEnabledFeatures,complianceState,userId,userPrincipalName'
$script:ApManagedDeviceBetaFields = 'joinType,skuFamily,skuNumber,processorArchitecture,configurationManagerClientInformation'
$script:ApDeviceFields = 'id,deviceId,displayName,accountEnabled,operatingSystem,operatingSystemVersion,trustType,approximateLastSignInDateTime,registrationDateTime,profileType'
$script:ApSubscribedSkuFields = 'id,skuId,skuPartNumber,capabilityStatus,appliesTo,prepaidUnits,consumedUnits,servicePlans'
$script:ApUserFields = 'id,userPrincipalName,displayName,userType,accountEnabled,assignedLicenses,licenseAssignmentStates'
$script:ApOrganizationFields = 'id,displayName,onPremisesSyncEnabled,onPremisesLastSyncDateTime,verifiedDomains'

# Least-privilege, read-only. AlsoAccepted lists broader permissions that cover the same read, so
# an admin already connected with them is not turned away.
$script:ApScopeCatalog = @(
    [pscustomobject]@{
        Scope        = 'DeviceManagementManagedDevices.Read.All'
        AlsoAccepted = @('DeviceManagementManagedDevices.ReadWrite.All')
        BetaOnly     = $false
        Reason       = 'Intune managed devices (management agent, ownership, last sync, co-management workloads, OS version).'
    }
    [pscustomobject]@{
        Scope        = 'Device.Read.All'
        AlsoAccepted = @('Directory.Read.All', 'Directory.ReadWrite.All')
        BetaOnly     = $false
        Reason       = 'Microsoft Entra device records (join type, enabled state, last sign-in) to match Intune devices.'
    }
    [pscustomobject]@{
        Scope        = 'Organization.Read.All'
        AlsoAccepted = @('Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All')
        BetaOnly     = $false
        Reason       = 'Subscribed SKUs (licences) and the organization (directory synchronisation state).'
    }
    [pscustomobject]@{
        Scope        = 'User.Read.All'
        AlsoAccepted = @('User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All')
        BetaOnly     = $false
        Reason       = 'Licences assigned to the primary users of devices (assignedLicenses, licenseAssignmentStates).'
    }
    [pscustomobject]@{
        Scope        = 'DeviceManagementServiceConfig.Read.All'
        AlsoAccepted = @('DeviceManagementServiceConfig.ReadWrite.All')
        BetaOnly     = $false
        Reason       = 'The mobile device management authority of the organization (Intune view).'
    }
    [pscustomobject]@{
        Scope        = 'OnPremDirectorySynchronization.Read.All'
        AlsoAccepted = @('OnPremDirectorySynchronization.ReadWrite.All')
        BetaOnly     = $true
        Reason       = 'Microsoft Entra Connect client version (beta directory/onPremisesSynchronization; only with -IncludeBeta).'
    }
)

$script:ApTransientStatusCodes = @(408, 429, 500, 502, 503, 504)

$script:ApStatusNames = @{
    'BadRequest'          = 400
    'Unauthorized'        = 401
    'Forbidden'           = 403
    'NotFound'            = 404
    'RequestTimeout'      = 408
    'TooManyRequests'     = 429
    'InternalServerError' = 500
    'BadGateway'          = 502
    'ServiceUnavailable'  = 503
    'GatewayTimeout'      = 504
}

function Get-ApRequiredScope {
    param([switch]$IncludeBeta)
    foreach ($entry in $script:ApScopeCatalog) {
        if ($entry.BetaOnly -and -not $IncludeBeta) { continue }
        $entry
    }
}

function Assert-ApGraphModule {
    # Microsoft.Graph.Authentication is needed only to collect; the other cmdlets work without it.
    if (Get-Command -Name 'Invoke-MgGraphRequest' -ErrorAction SilentlyContinue) { return }
    try {
        Import-Module -Name 'Microsoft.Graph.Authentication' -ErrorAction Stop
    }
    catch {
        throw ('Microsoft.Graph.Authentication is not installed. Install it with: Install-Module Microsoft.Graph.Authentication -Scope CurrentUser ({0})' -f $_.Exception.Message)
    }
}

function Test-ApGraphJsonOutput {
    # True when Invoke-MgGraphRequest can return the response body as raw JSON text.
    $command = Get-Command -Name 'Invoke-MgGraphRequest' -ErrorAction SilentlyContinue
    if ($null -eq $command) { return $false }
    if ($null -eq $command.Parameters -or -not $command.Parameters.ContainsKey('OutputType')) { return $false }
    $type = $command.Parameters['OutputType'].ParameterType
    if ($type.IsEnum) { return ([System.Enum]::GetNames($type) -contains 'Json') }
    return $false
}

function Get-ApGraphContext {
    # Checks the Microsoft Graph session up front. Returns the context and the required scopes it
    # lacks; throws when it lacks any, unless -AllowMissingScope.
    param(
        [switch]$IncludeBeta,
        [switch]$AllowMissingScope
    )
    $required = @(Get-ApRequiredScope -IncludeBeta:$IncludeBeta)
    $connectHint = 'Connect-MgGraph -Scopes ' + ((@($required | ForEach-Object { $_.Scope })) -join ',')
    $context = Get-MgContext
    if ($null -eq $context) {
        throw ('Not connected to Microsoft Graph. Connect first with read-only scopes: {0}' -f $connectHint)
    }
    $granted = @(Get-ApProperty $context 'Scopes') | ForEach-Object { ([string]$_).Trim() }
    $missing = New-Object System.Collections.Generic.List[string]
    foreach ($entry in $required) {
        $ok = $false
        foreach ($candidate in (@($entry.Scope) + @($entry.AlsoAccepted))) {
            if (@($granted) -contains $candidate) { $ok = $true }
        }
        if (-not $ok) { $missing.Add($entry.Scope) }
    }
    if ($missing.Count -gt 0 -and -not $AllowMissingScope) {
        $account = Get-ApProperty $context @('Account', 'AppName', 'ClientId')
        throw ('The Microsoft Graph session ({0}) lacks the scope(s): {1}. Reconnect with: {2} (all read-only), or run with -AllowMissingScope to collect only what these scopes allow.' -f $account, ($missing -join ', '), $connectHint)
    }
    return [pscustomobject]@{
        Context = $context
        Missing = $missing.ToArray()
    }
}

function Get-ApGraphBaseUri {
    # https://graph.microsoft.com, or the national cloud's Graph endpoint of the current session.
    param($Context)
    $environment = [string](Get-ApProperty $Context 'Environment')
    if (-not $environment -or $environment -eq 'Global') { return 'https://graph.microsoft.com' }
    try {
        $mgEnvironment = Get-MgEnvironment -Name $environment -ErrorAction Stop
        $endpoint = [string](Get-ApProperty $mgEnvironment 'GraphEndpoint')
        if ($endpoint) { return $endpoint.TrimEnd('/') }
    }
    catch {
        Write-Verbose ('Get-MgEnvironment failed: {0}' -f $_.Exception.Message)
    }
    return 'https://graph.microsoft.com'
}

function Get-ApGraphResource {
    # The requests of one collection, in order. Each has a name, the scope it needs and the first
    # URL; organizationMdm's URL is filled in once the organization id is known.
    param(
        [Parameter(Mandatory = $true)][string]$BaseUri,
        [switch]$IncludeBeta
    )
    $list = New-Object System.Collections.Generic.List[object]
    $list.Add([pscustomobject]@{ name = 'managedDevices'; api = 'v1.0'; scope = 'DeviceManagementManagedDevices.Read.All'; first_request = ($BaseUri + '/v1.0/deviceManagement/managedDevices?$select=' + $script:ApManagedDeviceFields) })
    if ($IncludeBeta) {
        $list.Add([pscustomobject]@{ name = 'managedDevicesBeta'; api = 'beta'; scope = 'DeviceManagementManagedDevices.Read.All'; first_request = ($BaseUri + '/beta/deviceManagement/managedDevices?$select=' + $script:ApManagedDeviceFields + ',' + $script:ApManagedDeviceBetaFields) })
    }
    $list.Add([pscustomobject]@{ name = 'devices'; api = 'v1.0'; scope = 'Device.Read.All'; first_request = ($BaseUri + '/v1.0/devices?$select=' + $script:ApDeviceFields + '&$top=999') })
    $list.Add([pscustomobject]@{ name = 'subscribedSkus'; api = 'v1.0'; scope = 'Organization.Read.All'; first_request = ($BaseUri + '/v1.0/subscribedSkus?$select=' + $script:ApSubscribedSkuFields) })
    $list.Add([pscustomobject]@{ name = 'users'; api = 'v1.0'; scope = 'User.Read.All'; first_request = ($BaseUri + '/v1.0/users?$select=' + $script:ApUserFields + '&$top=999') })
    $list.Add([pscustomobject]@{ name = 'organization'; api = 'v1.0'; scope = 'Organization.Read.All'; first_request = ($BaseUri + '/v1.0/organization?$select=' + $script:ApOrganizationFields) })
    $list.Add([pscustomobject]@{ name = 'organizationMdm'; api = 'v1.0'; scope = 'DeviceManagementServiceConfig.Read.All'; first_request = $null })
    if ($IncludeBeta) {
        $list.Add([pscustomobject]@{ name = 'onPremisesSynchronization'; api = 'beta'; scope = 'OnPremDirectorySynchronization.Read.All'; first_request = ($BaseUri + '/beta/directory/onPremisesSynchronization') })
    }
    return $list.ToArray()
}

function Get-ApOrganizationMdmUri {
    # organization/{id}?$select=mobileDeviceManagementAuthority, from the organization page text.
    param(
        [Parameter(Mandatory = $true)][string]$BaseUri,
        [Parameter(Mandatory = $true)][string]$OrganizationPage
    )
    $id = $null
    try {
        $parsed = ConvertFrom-Json -InputObject $OrganizationPage
        $first = @(Get-ApProperty $parsed 'value') | Select-Object -First 1
        if ($null -ne $first) { $id = Get-ApProperty $first 'id' }
        else { $id = Get-ApProperty $parsed 'id' }
    }
    catch {
        Write-Verbose ('The organization page is not readable JSON: {0}' -f $_.Exception.Message)
    }
    if (-not $id) { return $null }
    return ($BaseUri + '/v1.0/organization/' + [System.Uri]::EscapeDataString([string]$id) + '?$select=mobileDeviceManagementAuthority')
}

function Get-ApPageInfo {
    # The @odata.nextLink of a page and how many records it holds (for progress only).
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Content)
    $nextLink = $null
    $records = -1
    $isJson = $false
    $trimmed = $Content.Trim()
    if ($trimmed.StartsWith('{') -and $trimmed.EndsWith('}')) { $isJson = $true }
    try {
        $parsed = ConvertFrom-Json -InputObject $Content
        $isJson = $true
        $nextLink = Get-ApProperty $parsed '@odata.nextLink'
        $valueProperty = $parsed.PSObject.Properties['value']
        if ($null -ne $valueProperty) { $records = @($valueProperty.Value).Count }
        else { $records = 1 }
    }
    catch {
        # Windows PowerShell refuses some valid JSON (keys differing only in case): fall back to
        # finding the top-level link in the text.
        $match = [regex]::Match($Content, '"@odata\.nextLink"\s*:\s*"((?:[^"\\]|\\.)*)"')
        if ($match.Success) {
            $nextLink = ConvertFrom-Json -InputObject ('"' + $match.Groups[1].Value + '"')
        }
    }
    return [pscustomobject]@{
        NextLink = [string]$nextLink
        Records  = $records
        IsJson   = $isJson
    }
}

function ConvertTo-ApStatusCode {
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [int]) { return $Value }
    if ($Value -is [System.Enum]) { return [int]$Value }
    $text = ([string]$Value).Trim()
    $number = 0
    if ([int]::TryParse($text, [ref]$number)) { return $number }
    if ($script:ApStatusNames.ContainsKey($text)) { return $script:ApStatusNames[$text] }
    return $null
}

function ConvertFrom-ApRetryAfterValue {
    # Retry-After is seconds (Graph may send a fraction such as 2.128) or an HTTP date.
    param([string]$Value)
    if (-not $Value) { return $null }
    $text = $Value.Trim()
    $seconds = 0.0
    if ([double]::TryParse($text, [System.Globalization.NumberStyles]::Float, [System.Globalization.CultureInfo]::InvariantCulture, [ref]$seconds)) {
        if ($seconds -lt 0) { $seconds = 0 }
        return $seconds
    }
    $date = [datetimeoffset]::MinValue
    if ([datetimeoffset]::TryParse($text, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AssumeUniversal, [ref]$date)) {
        $seconds = ($date - [datetimeoffset]::UtcNow).TotalSeconds
        if ($seconds -lt 0) { $seconds = 0 }
        return $seconds
    }
    return $null
}

function Get-ApRetryAfter {
    # Seconds to wait from a response's Retry-After header, or $null.
    param($Response)
    $headers = Get-ApProperty $Response 'Headers'
    if ($null -eq $headers) { return $null }
    if ($headers -is [System.Collections.IDictionary]) {
        foreach ($key in @($headers.Keys)) {
            if ([string]$key -eq 'Retry-After') {
                return (ConvertFrom-ApRetryAfterValue -Value ([string](@($headers[$key]) | Select-Object -First 1)))
            }
        }
        return $null
    }
    # System.Net.Http.Headers.HttpResponseHeaders
    $typed = $headers.PSObject.Properties['RetryAfter']
    if ($null -ne $typed -and $null -ne $typed.Value) {
        $delta = Get-ApProperty $typed.Value 'Delta'
        if ($null -ne $delta) { return ([timespan]$delta).TotalSeconds }
        $date = Get-ApProperty $typed.Value 'Date'
        if ($null -ne $date) {
            $seconds = ([datetimeoffset]$date - [datetimeoffset]::UtcNow).TotalSeconds
            if ($seconds -lt 0) { $seconds = 0 }
            return $seconds
        }
    }
    # A fractional value is not a valid typed RetryAfter: read the raw header text.
    try {
        $values = $null
        if ($headers.TryGetValues('Retry-After', [ref]$values)) {
            return (ConvertFrom-ApRetryAfterValue -Value ([string](@($values) | Select-Object -First 1)))
        }
    }
    catch {
        Write-Verbose ('Retry-After could not be read: {0}' -f $_.Exception.Message)
    }
    return $null
}

function Get-ApHttpErrorInfo {
    # What a failed Invoke-MgGraphRequest call tells: HTTP status, Retry-After, whether it is a
    # transport failure (no response) or an authentication failure.
    param([Parameter(Mandatory = $true)]$ErrorRecord)
    $status = $null
    $retryAfter = $null
    $transport = $false
    $authentication = $false
    $messages = New-Object System.Collections.Generic.List[string]

    $exception = $ErrorRecord
    if ($ErrorRecord -is [System.Management.Automation.ErrorRecord]) { $exception = $ErrorRecord.Exception }
    $depth = 0
    while ($null -ne $exception -and $depth -lt 10) {
        if ($exception.Message) { $messages.Add([string]$exception.Message) }
        $typeName = $exception.GetType().FullName
        if ($typeName -match 'HttpRequestException|TaskCanceledException|TimeoutException|IOException|SocketException|WebException') { $transport = $true }
        if ($typeName -match 'Msal|AuthenticationFailed|CredentialUnavailable') { $authentication = $true }
        $responseProperty = $exception.PSObject.Properties['Response']
        if ($null -ne $responseProperty -and $null -ne $responseProperty.Value) {
            $response = $responseProperty.Value
            if ($null -eq $status) { $status = ConvertTo-ApStatusCode -Value (Get-ApProperty $response 'StatusCode') }
            if ($null -eq $retryAfter) { $retryAfter = Get-ApRetryAfter -Response $response }
        }
        if ($null -eq $status) {
            $statusProperty = $exception.PSObject.Properties['StatusCode']
            if ($null -ne $statusProperty) { $status = ConvertTo-ApStatusCode -Value $statusProperty.Value }
        }
        $exception = $exception.InnerException
        $depth++
    }

    $details = $null
    if ($ErrorRecord -is [System.Management.Automation.ErrorRecord] -and $null -ne $ErrorRecord.ErrorDetails) {
        $details = [string]$ErrorRecord.ErrorDetails.Message
    }
    $allText = (@($messages) + @($details)) -join ' '
    if ($null -eq $status) {
        $match = [regex]::Match($allText, '(?i)status code[^0-9]{0,40}(\d{3})\b')
        if ($match.Success) { $status = [int]$match.Groups[1].Value }
    }
    if ($null -eq $status) {
        foreach ($name in $script:ApStatusNames.Keys) {
            if ($allText -match ('\b' + $name + '\b')) { $status = $script:ApStatusNames[$name] }
        }
    }
    if ($null -ne $status) { $transport = $false }
    if ($status -eq 401 -or $allText -match 'InvalidAuthenticationToken|token (has )?expired') { $authentication = $true }

    $message = $null
    if ($messages.Count -gt 0) { $message = $messages[$messages.Count - 1] }
    if ($details) {
        try {
            $body = ConvertFrom-Json -InputObject $details
            $graphError = Get-ApProperty $body 'error'
            $code = Get-ApProperty $graphError 'code'
            $text = Get-ApProperty $graphError 'message'
            if ($code -or $text) { $message = ('{0}: {1}' -f $code, $text) }
        }
        catch {
            Write-Verbose 'The error body is not JSON.'
        }
    }

    return [pscustomobject]@{
        StatusCode     = $status
        RetryAfter     = $retryAfter
        Transport      = $transport
        Authentication = $authentication
        Message        = $message
    }
}

function Get-ApBackoffDelay {
    # Exponential backoff with jitter, in seconds.
    param(
        [int]$Attempt,
        [double]$BaseSeconds = 2,
        [double]$MaxSeconds = 60
    )
    $delay = $BaseSeconds * [Math]::Pow(2, $Attempt)
    if ($delay -gt $MaxSeconds) { $delay = $MaxSeconds }
    $jitter = (Get-Random -Minimum 0 -Maximum 1000) / 1000.0 * $BaseSeconds
    return ($delay + $jitter)
}

function Invoke-ApGraphPage {
    # GET one Graph URL, verbatim. 429 waits for Retry-After (fractions honoured); 408 and 5xx and
    # transport failures back off exponentially with jitter; at most $MaxRetry retries.
    # Returns Ok, Content (the response body text), StatusCode, Attempts, Message, Fatal.
    param(
        [Parameter(Mandatory = $true)][string]$Uri,
        [int]$MaxRetry = 5,
        [switch]$UseJsonOutput
    )
    $attempt = 0
    while ($true) {
        try {
            if ($UseJsonOutput) {
                $content = Invoke-MgGraphRequest -Method GET -Uri $Uri -OutputType Json -ErrorAction Stop
            }
            else {
                $content = Invoke-MgGraphRequest -Method GET -Uri $Uri -ErrorAction Stop
            }
            if ($content -isnot [string]) {
                $content = ConvertTo-Json -InputObject $content -Depth 20 -Compress
            }
            return [pscustomobject]@{
                Ok         = $true
                Content    = $content
                StatusCode = 200
                Attempts   = $attempt + 1
                Message    = $null
                Fatal      = $false
            }
        }
        catch {
            $info = Get-ApHttpErrorInfo -ErrorRecord $_
            $retryable = $false
            if ($null -ne $info.StatusCode) {
                if ($script:ApTransientStatusCodes -contains $info.StatusCode) { $retryable = $true }
            }
            elseif ($info.Transport) {
                $retryable = $true
            }
            if ($info.Authentication) { $retryable = $false }

            if (-not $retryable -or $attempt -ge $MaxRetry) {
                $statusText = 'no HTTP response'
                if ($null -ne $info.StatusCode) { $statusText = 'HTTP {0}' -f $info.StatusCode }
                $summary = $statusText
                if ($retryable) { $summary = '{0} after {1} retries' -f $statusText, $attempt }
                if ($info.Message) { $summary = '{0}: {1}' -f $summary, $info.Message }
                if ($info.Authentication) { $summary = $summary + ' (sign in again with Connect-MgGraph, then run with -Resume)' }
                elseif ($info.StatusCode -eq 403) { $summary = $summary + ' (the signed-in account or app lacks the permission or role to read this)' }
                return [pscustomobject]@{
                    Ok         = $false
                    Content    = $null
                    StatusCode = $info.StatusCode
                    Attempts   = $attempt + 1
                    Message    = $summary
                    Fatal      = [bool]$info.Authentication
                }
            }

            if ($info.StatusCode -eq 429 -and $null -ne $info.RetryAfter) {
                $delay = [double]$info.RetryAfter
            }
            else {
                $delay = Get-ApBackoffDelay -Attempt $attempt
            }
            $milliseconds = [int][Math]::Ceiling($delay * 1000)
            Write-Verbose ('{0} for {1}; retry {2} of {3} in {4} ms' -f $info.StatusCode, $Uri, ($attempt + 1), $MaxRetry, $milliseconds)
            Start-Sleep -Milliseconds $milliseconds
            $attempt++
        }
    }
}

function Test-ApGraphLink {
    # True when Uri is an https URL on the same host as BaseUri (the Graph endpoint collected).
    param([string]$Uri, [string]$BaseUri)
    $target = $null
    $base = $null
    if (-not [System.Uri]::TryCreate($Uri, [System.UriKind]::Absolute, [ref]$target)) { return $false }
    if (-not [System.Uri]::TryCreate($BaseUri, [System.UriKind]::Absolute, [ref]$base)) { return $false }
    return ($target.Scheme -eq 'https') -and ($target.Host -eq $base.Host)
}
