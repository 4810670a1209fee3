# Shared set-up for the Pester 5 tests, dot-sourced from each test file's BeforeAll.
# - imports the module from this repository;
# - defines stand-ins for commands that may be missing on the test machine (so that Mock can
#   replace them): Microsoft.Graph.Authentication's cmdlets, Get-CimInstance, dsregcmd;
# - a fake Microsoft Graph (routes of canned pages and errors) and a fake apready engine, kept in
#   global variables so that mock bodies, tests and helpers all see the same state.

$moduleManifest = Join-Path (Split-Path -Parent $PSScriptRoot) 'AutopatchReadiness.psd1'
Get-Module -Name 'AutopatchReadiness' | Remove-Module -Force
Import-Module -Name $moduleManifest -Force

if (-not (Get-Command -Name 'Invoke-MgGraphRequest' -ErrorAction SilentlyContinue)) {
    function global:Invoke-MgGraphRequest {
        [CmdletBinding()]
        param(
            [string]$Method,
            [uri]$Uri,
            [string]$OutputType
        )
        throw 'Invoke-MgGraphRequest stand-in: the tests mock it.'
    }
}
if (-not (Get-Command -Name 'Get-MgContext' -ErrorAction SilentlyContinue)) {
    function global:Get-MgContext {
        [CmdletBinding()]
        param()
    }
}
if (-not (Get-Command -Name 'Get-MgEnvironment' -ErrorAction SilentlyContinue)) {
    function global:Get-MgEnvironment {
        [CmdletBinding()]
        param([string]$Name)
    }
}
if (-not (Get-Command -Name 'Get-CimInstance' -ErrorAction SilentlyContinue)) {
    function global:Get-CimInstance {
        [CmdletBinding()]
        param([string]$ClassName, [string]$Namespace)
        throw 'Get-CimInstance stand-in: the tests mock it.'
    }
}
# A function shadows dsregcmd.exe, so the tests never run the real one and can mock it anywhere.
# Its parameter takes the native-style arguments (/status), also once Pester has mocked it.
function global:dsregcmd {
    param(
        [Parameter(ValueFromRemainingArguments = $true)]
        [string[]]$Arguments
    )
    throw ('dsregcmd stand-in ({0}): the tests mock it.' -f ($Arguments -join ' '))
}

if (-not ('ApTestGraphException' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
public class ApTestGraphException : Exception
{
    public ApTestGraphException(string message, object response) : base(message)
    {
        Response = response;
    }
    public object Response { get; private set; }
}
'@
}

function New-TestGraphError {
    # An exception shaped like the one Invoke-MgGraphRequest throws for an HTTP error: a message
    # "Response status code does not indicate success: ..." and a Response with StatusCode and
    # Headers.
    param(
        [int]$StatusCode,
        [string]$RetryAfter
    )
    $headers = @{}
    if ($RetryAfter) { $headers['Retry-After'] = $RetryAfter }
    $reasons = @{
        401 = 'Unauthorized (Unauthorized)'
        403 = 'Forbidden (Forbidden)'
        429 = 'TooManyRequests (Too Many Requests)'
        500 = 'InternalServerError (Internal Server Error)'
        503 = 'ServiceUnavailable (Service Unavailable)'
    }
    $message = 'Response status code does not indicate success: {0}.' -f $reasons[$StatusCode]
    $response = @{ StatusCode = $StatusCode; Headers = $headers }
    return (New-Object -TypeName 'ApTestGraphException' -ArgumentList $message, $response)
}

function Initialize-FakeGraph {
    $global:ApFakeGraph = @{
        Routes = New-Object System.Collections.ArrayList
        Calls  = New-Object System.Collections.ArrayList
    }
}

function Add-FakeGraphRoute {
    # Requests whose URL is -like $Like get $Response in turn (the last one repeats). A response
    # that is an exception is thrown. Routes are tried in the order they were added.
    param(
        [string]$Like,
        [object[]]$Response
    )
    [void]$global:ApFakeGraph.Routes.Add(@{ Like = $Like; Responses = $Response; Index = 0 })
}

# The body of the Invoke-MgGraphRequest mock.
$global:ApFakeGraphMock = {
    $requested = [string]$Uri
    if ($Uri -is [uri]) { $requested = $Uri.OriginalString }
    [void]$global:ApFakeGraph.Calls.Add($requested)
    foreach ($route in $global:ApFakeGraph.Routes) {
        if ($requested -like $route.Like) {
            $index = [Math]::Min($route.Index, $route.Responses.Count - 1)
            $route.Index = $route.Index + 1
            $answer = $route.Responses[$index]
            if ($answer -is [System.Exception]) { throw $answer }
            return $answer
        }
    }
    throw ('The fake Graph has no route for ' + $requested)
}

$global:ApBase = 'https://graph.microsoft.com'
$global:ApUrl = @{
    ManagedDevices     = $global:ApBase + '/v1.0/deviceManagement/managedDevices?$select=id,deviceName,operatingSystem,osVersion,managedDeviceOwnerType,managementAgent,lastSyncDateTime,enrolledDateTime,azureADDeviceId,deviceEnrollmentType,serialNumber,model,manufacturer,configurationManagerClientEnabledFeatures,complianceState,userId,userPrincipalName'
    ManagedDevicesNext = $global:ApBase + '/v1.0/deviceManagement/managedDevices?$select=id,deviceName&$skiptoken=md-page-2'
    ManagedDevicesBeta = $global:ApBase + '/beta/deviceManagement/managedDevices?$select=id,deviceName,operatingSystem,osVersion,managedDeviceOwnerType,managementAgent,lastSyncDateTime,enrolledDateTime,azureADDeviceId,deviceEnrollmentType,serialNumber,model,manufacturer,configurationManagerClientEnabledFeatures,complianceState,userId,userPrincipalName,joinType,skuFamily,skuNumber,processorArchitecture,configurationManagerClientInformation'
    Devices            = $global:ApBase + '/v1.0/devices?$select=id,deviceId,displayName,accountEnabled,operatingSystem,operatingSystemVersion,trustType,approximateLastSignInDateTime,registrationDateTime,profileType&$top=999'
    SubscribedSkus     = $global:ApBase + '/v1.0/subscribedSkus?$select=id,skuId,skuPartNumber,capabilityStatus,appliesTo,prepaidUnits,consumedUnits,servicePlans'
    Users              = $global:ApBase + '/v1.0/users?$select=id,userPrincipalName,displayName,userType,accountEnabled,assignedLicenses,licenseAssignmentStates&$top=999'
    UsersNext          = $global:ApBase + '/v1.0/users?$select=id,userPrincipalName&$top=999&$skiptoken=users-page-2'
    Organization       = $global:ApBase + '/v1.0/organization?$select=id,displayName,onPremisesSyncEnabled,onPremisesLastSyncDateTime,verifiedDomains'
    OrganizationMdm    = $global:ApBase + '/v1.0/organization/0f1e2d3c-0000-4000-8000-000000000001?$select=mobileDeviceManagementAuthority'
    OnPremSync         = $global:ApBase + '/beta/directory/onPremisesSynchronization'
}

$global:ApPage = @{
    ManagedDevices1 = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices","value":[{"id":"md-1","deviceName":"PC-001","operatingSystem":"Windows","managementAgent":"mdm","lastSyncDateTime":"2026-11-20T08:00:00Z"}],"@odata.nextLink":"' + $global:ApUrl.ManagedDevicesNext + '"}'
    ManagedDevices2 = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices","value":[{"id":"md-2","deviceName":"PC-002 \u00e9","operatingSystem":"Windows","managementAgent":"configurationManagerClientMdm"}]}'
    ManagedDevicesBeta = '{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices","value":[{"id":"md-1","skuNumber":4,"processorArchitecture":"x64","joinType":"azureADJoined"}]}'
    Devices         = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#devices","value":[{"id":"obj-1","deviceId":"dev-1","accountEnabled":true,"trustType":"AzureAd"}]}'
    SubscribedSkus  = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#subscribedSkus","value":[{"skuId":"05e9a617-0261-4cee-bb44-138d3ef5d965","skuPartNumber":"SPE_E3","capabilityStatus":"Enabled","prepaidUnits":{"enabled":50},"consumedUnits":40,"servicePlans":[]}]}'
    Users1          = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"user-1","userPrincipalName":"a@contoso.example","assignedLicenses":[]}],"@odata.nextLink":"' + $global:ApUrl.UsersNext + '"}'
    Users2          = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"user-2","userPrincipalName":"b@contoso.example","assignedLicenses":[]}]}'
    Organization    = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#organization","value":[{"id":"0f1e2d3c-0000-4000-8000-000000000001","displayName":"Contoso","onPremisesSyncEnabled":null}]}'
    OrganizationMdm = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#organization/$entity","mobileDeviceManagementAuthority":"intune"}'
    OnPremSync      = '{"@odata.context":"https://graph.microsoft.com/beta/$metadata#directory/onPremisesSynchronization","value":[{"id":"sync-1","configuration":{"synchronizationClientVersion":"2.3.20.0"}}]}'
}

function Add-FakeTenant {
    # Routes for a complete, healthy tenant: managedDevices and users span two pages.
    param([switch]$IncludeBeta)
    Add-FakeGraphRoute -Like '*/v1.0/deviceManagement/managedDevices*skiptoken=md-page-2*' -Response @($global:ApPage.ManagedDevices2)
    Add-FakeGraphRoute -Like '*/v1.0/deviceManagement/managedDevices[?]*' -Response @($global:ApPage.ManagedDevices1)
    Add-FakeGraphRoute -Like '*/beta/deviceManagement/managedDevices[?]*' -Response @($global:ApPage.ManagedDevicesBeta)
    Add-FakeGraphRoute -Like '*/v1.0/devices[?]*' -Response @($global:ApPage.Devices)
    Add-FakeGraphRoute -Like '*/v1.0/subscribedSkus[?]*' -Response @($global:ApPage.SubscribedSkus)
    Add-FakeGraphRoute -Like '*/v1.0/users*skiptoken=users-page-2*' -Response @($global:ApPage.Users2)
    Add-FakeGraphRoute -Like '*/v1.0/users[?]*' -Response @($global:ApPage.Users1)
    Add-FakeGraphRoute -Like '*/v1.0/organization/*' -Response @($global:ApPage.OrganizationMdm)
    Add-FakeGraphRoute -Like '*/v1.0/organization[?]*' -Response @($global:ApPage.Organization)
    Add-FakeGraphRoute -Like '*/beta/directory/onPremisesSynchronization*' -Response @($global:ApPage.OnPremSync)
}

$global:ApAllScopes = @(
    'DeviceManagementManagedDevices.Read.All'
    'Device.Read.All'
    'Organization.Read.All'
    'User.Read.All'
    'DeviceManagementServiceConfig.Read.All'
    'OnPremDirectorySynchronization.Read.All'
)

function New-TestContext {
    param([string[]]$Scopes = $global:ApAllScopes)
    return [pscustomobject]@{
        Account     = 'admin@contoso.example'
        AuthType    = 'Delegated'
        Environment = 'Global'
        TenantId    = '0f1e2d3c-0000-4000-8000-000000000001'
        Scopes      = $Scopes
    }
}

function Read-TestBundle {
    param([string]$Path)
    $text = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8)
    return [pscustomobject]@{
        Text = $text
        Json = ($text | ConvertFrom-Json)
    }
}

# The fake apready engine: writes canned output to the --output file of each call and returns an
# exit code. Reports follow apready.report/1 (contract.md).
$global:ApReportJson = @'
{
  "schema": "apready.report/1",
  "tool": {"name": "apready", "version": "0.1.0"},
  "profile": "2022-05",
  "as_of": "2022-06-01T00:00:00Z",
  "verdict": "not_ready",
  "tenant": {"id": "0f1e2d3c-0000-4000-8000-000000000001", "name": "Contoso"},
  "inputs": [{"file": "snapshot.json", "resource": "users", "api": "v1.0", "records": 2, "pages": 1, "truncated": true, "encoding": "utf-8"}],
  "checks": [
    {"id": "LIC-001", "scope": "tenant", "status": "ready", "message": "Microsoft 365 E3 is licensed", "evidence": [{"resource": "subscribedSkus", "value": "SPE_E3"}], "remediation": "", "source": "2022-05 prerequisites: Licensing"},
    {"id": "LIC-002", "scope": "tenant", "status": "not_evaluated", "reason": "truncated_input", "message": "users export stops early", "evidence": [], "remediation": "Collect again with -Resume", "source": "2022-05 prerequisites: Licensing"},
    {"id": "NET-001", "scope": "tenant", "status": "not_ready", "message": "mmdls.microsoft.com unreachable", "evidence": [], "remediation": "Allow the endpoint", "source": "2022-05 prerequisites: Network"}
  ],
  "coverage": [{"reason": "needs_device_evidence", "checks": ["DEV-008"], "how_to_supply": "run Test-AutopatchDeviceReadiness"}],
  "devices": {"total": 2, "ready": 1, "advisory": 0, "not_ready": 1, "error": 0, "out_of_scope": 3,
    "items": [
      {"id": "md-1", "name": "PC-001", "verdict": "not_ready", "findings": [
        {"id": "DEV-003", "status": "not_ready", "message": "last synced 40 days ago", "evidence": [{"resource": "managedDevices", "field": "lastSyncDateTime", "value": "2022-04-22T00:00:00Z"}], "remediation": "Sync the device", "source": "2022-05 prerequisites: Device"},
        {"id": "DEV-001", "status": "ready", "message": "MDM enrolled", "evidence": [], "remediation": "", "source": "2022-05 prerequisites: Device"}
      ]},
      {"id": "md-2", "name": "PC-002", "verdict": "ready", "findings": [
        {"id": "DEV-003", "status": "ready", "message": "synced 2 days ago", "evidence": [], "remediation": "", "source": "2022-05 prerequisites: Device"}
      ]}
    ]}
}
'@

$global:ApRulesJson = @'
{
  "schema": "apready.rules/1",
  "profile": "2022-05",
  "title": "Windows Autopatch prerequisites as published on 2022-05-30",
  "endpoints": ["mmdcustomer.microsoft.com", "mmdls.microsoft.com"],
  "rules": [
    {"id": "LIC-001", "title": "Windows Enterprise E3 or higher is licensed", "scope": "tenant", "what": "Looks for an entitling SKU.", "why": "Autopatch needs it.", "evidence": "subscribedSkus", "fix": "Buy or assign a licence.", "source": "prerequisites 2022-05", "profiles": ["2022-05"]},
    {"id": "DEV-003", "title": "In contact with Intune in the last 28 days", "scope": "device", "what": "Compares lastSyncDateTime with as_of.", "why": "Stale devices cannot register.", "evidence": "managedDevices.lastSyncDateTime", "fix": "Sync the device.", "source": "prerequisites 2022-05", "profiles": ["2022-05"]}
  ]
}
'@

$global:ApDiffJson = @'
{
  "schema": "apready.diff/1",
  "verdict": {"before": "advisory", "after": "not_ready"},
  "changes": [
    {"kind": "status", "scope": "device", "check_id": "DEV-003", "device": "PC-001", "device_id": "md-1", "before": "ready", "after": "not_ready", "message": "last synced 40 days ago"}
  ]
}
'@

function Initialize-FakeEngine {
    param(
        [int]$ExitCode = 2,
        [string]$Report = $global:ApReportJson,
        [string]$StdErr = ''
    )
    $global:ApFakeEngine = @{
        Calls    = New-Object System.Collections.ArrayList
        ExitCode = $ExitCode
        Report   = $Report
        Rules    = $global:ApRulesJson
        Diff     = $global:ApDiffJson
        StdErr   = $StdErr
    }
}

# The body of the Invoke-ApEngine mock.
$global:ApFakeEngineMock = {
    $list = @($ArgumentList)
    [void]$global:ApFakeEngine.Calls.Add($list)
    $outputIndex = [Array]::IndexOf($list, '--output')
    $formatIndex = [Array]::IndexOf($list, '--format')
    $format = 'text'
    if ($formatIndex -ge 0) { $format = $list[$formatIndex + 1] }
    $body = $null
    $code = 0
    if ($list[0] -eq 'check') {
        $code = $global:ApFakeEngine.ExitCode
        if ($format -eq 'html') { $body = '<!DOCTYPE html><html><body>report</body></html>' }
        else { $body = $global:ApFakeEngine.Report }
    }
    elseif ($list[0] -eq 'rules') { $body = $global:ApFakeEngine.Rules }
    elseif ($list[0] -eq 'diff') { $body = $global:ApFakeEngine.Diff }
    if ($outputIndex -ge 0 -and $null -ne $body) {
        [System.IO.File]::WriteAllText($list[$outputIndex + 1], $body)
    }
    return [pscustomobject]@{ ExitCode = $code; StdOut = ''; StdErr = $global:ApFakeEngine.StdErr; Engine = 'fake-apready' }
}

function Get-LastEngineCall {
    # The last argument list the fake engine received whose first argument is $Command.
    param([string]$Command)
    $found = $null
    foreach ($call in $global:ApFakeEngine.Calls) {
        if ($call[0] -eq $Command) { $found = $call }
    }
    return , $found
}

function Get-EngineCallCount {
    param([string]$Command)
    $count = 0
    foreach ($call in $global:ApFakeEngine.Calls) {
        if ($call[0] -eq $Command) { $count++ }
    }
    return $count
}

function Get-ArgumentValue {
    # The value following $Name in an argument list.
    param([object[]]$Arguments, [string]$Name)
    $index = [Array]::IndexOf($Arguments, $Name)
    if ($index -lt 0) { return $null }
    return $Arguments[$index + 1]
}
