# Evidence read on this Windows device. Raw values only: the engine parses dsregcmd's text, decodes
# the co-management flags and judges the registry values and probe results.

$script:ApRegistryValueList = @(
    @{ Path = 'HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'; Name = 'DoNotConnectToWindowsUpdateInternetLocations' }
    @{ Path = 'HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'; Name = 'DisableWindowsUpdateAccess' }
    @{ Path = 'HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'; Name = 'WUServer' }
    @{ Path = 'HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'; Name = 'WUStatusServer' }
    @{ Path = 'HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU'; Name = 'NoAutoUpdate' }
    @{ Path = 'HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU'; Name = 'UseWUServer' }
    @{ Path = 'HKLM\SOFTWARE\Microsoft\CCM'; Name = 'CoManagementFlags' }
    @{ Path = 'HKLM\SOFTWARE\Policies\Microsoft\Windows\DataCollection'; Name = 'AllowTelemetry' }
)

function Get-ApRegistryValue {
    # One HKLM value, read from the 64-bit view. Absent values are returned with present = false.
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][string]$Name
    )
    $subKey = $Path -replace '^HKLM\\', ''
    $baseKey = $null
    $key = $null
    $kind = $null
    $value = $null
    $failure = $null
    try {
        $baseKey = [Microsoft.Win32.RegistryKey]::OpenBaseKey([Microsoft.Win32.RegistryHive]::LocalMachine, [Microsoft.Win32.RegistryView]::Registry64)
        $key = $baseKey.OpenSubKey($subKey, $false)
        if ($null -ne $key -and (@($key.GetValueNames()) -contains $Name)) {
            $kind = $key.GetValueKind($Name)
            $value = $key.GetValue($Name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
        }
    }
    catch {
        $failure = $_.Exception.Message
    }
    finally {
        if ($null -ne $key) { $key.Close() }
        if ($null -ne $baseKey) { $baseKey.Close() }
    }

    if ($null -eq $kind) {
        $absent = [ordered]@{ path = $Path; name = $Name; present = $false }
        if ($failure) { $absent['error'] = $failure }
        return [pscustomobject]$absent
    }

    $typeName = 'REG_' + $kind.ToString().ToUpperInvariant()
    switch ($kind.ToString()) {
        'String' { $typeName = 'REG_SZ' }
        'ExpandString' { $typeName = 'REG_EXPAND_SZ' }
        'MultiString' { $typeName = 'REG_MULTI_SZ' }
        'DWord' {
            $typeName = 'REG_DWORD'
            # GetValue returns a signed Int32; report the stored unsigned number.
            $value = [System.BitConverter]::ToUInt32([System.BitConverter]::GetBytes([int32]$value), 0)
        }
        'QWord' {
            $typeName = 'REG_QWORD'
            $value = [System.BitConverter]::ToUInt64([System.BitConverter]::GetBytes([int64]$value), 0)
        }
        'Binary' {
            $typeName = 'REG_BINARY'
            $value = ([System.BitConverter]::ToString([byte[]]$value)) -replace '-', ''
        }
        default { $value = [string]$value }
    }
    return [pscustomobject][ordered]@{ path = $Path; name = $Name; type = $typeName; value = $value; present = $true }
}

function Get-ApDsregStatus {
    # The complete raw text of dsregcmd /status (or $null when it cannot run).
    try {
        $lines = dsregcmd /status
        return ((@($lines) | ForEach-Object { [string]$_ }) -join "`n")
    }
    catch {
        Write-Verbose ('dsregcmd /status failed: {0}' -f $_.Exception.Message)
        return $null
    }
}

function Get-ApWinHttpProxy {
    # The raw text of netsh winhttp show proxy (the proxy Windows services use).
    try {
        $lines = netsh winhttp show proxy
        return ((@($lines) | ForEach-Object { [string]$_ }) -join "`n")
    }
    catch {
        Write-Verbose ('netsh winhttp show proxy failed: {0}' -f $_.Exception.Message)
        return $null
    }
}

function Get-ApConfigMgrClientVersion {
    # SMS_Client.ClientVersion from root\ccm, verbatim; $null when there is no ConfigMgr client.
    try {
        $client = Get-CimInstance -Namespace 'root\ccm' -ClassName 'SMS_Client' -ErrorAction Stop | Select-Object -First 1
        if ($null -ne $client) { return [string](Get-ApProperty $client 'ClientVersion') }
    }
    catch {
        Write-Verbose ('No ConfigMgr client (root\ccm SMS_Client): {0}' -f $_.Exception.Message)
    }
    return $null
}

function Invoke-ApEndpointProbe {
    # DNS, TCP and TLS 1.2 steps for one endpoint, each with its own timeout. A step that was not
    # attempted (because an earlier one failed) is $null.
    param(
        [Parameter(Mandatory = $true)][string]$HostName,
        [int]$Port = 443,
        [int]$TimeoutSeconds = 10
    )
    $milliseconds = $TimeoutSeconds * 1000
    $dns = [ordered]@{ ok = $false; addresses = @(); error = $null }
    $tcp = $null
    $tls = $null

    try {
        $lookup = [System.Net.Dns]::GetHostAddressesAsync($HostName)
        if ($lookup.Wait($milliseconds)) {
            $dns.addresses = @($lookup.Result | ForEach-Object { $_.IPAddressToString })
            if ($dns.addresses.Count -gt 0) { $dns.ok = $true } else { $dns.error = 'no addresses' }
        }
        else {
            $dns.error = 'timed out after {0} s' -f $TimeoutSeconds
        }
    }
    catch {
        $dns.error = Get-ApInnermostMessage -Exception $_
    }

    if ($dns.ok) {
        $tcp = [ordered]@{ ok = $false; error = $null }
        $client = New-Object System.Net.Sockets.TcpClient
        try {
            $connect = $client.BeginConnect($HostName, $Port, $null, $null)
            if ($connect.AsyncWaitHandle.WaitOne($milliseconds)) {
                $client.EndConnect($connect)
                $tcp.ok = $true
            }
            else {
                $tcp.error = 'timed out after {0} s' -f $TimeoutSeconds
            }
        }
        catch {
            $tcp.error = Get-ApInnermostMessage -Exception $_
        }

        if ($tcp.ok) {
            $tls = [ordered]@{ ok = $false; protocol = $null; error = $null }
            $ssl = $null
            try {
                $stream = $client.GetStream()
                $ssl = New-Object System.Net.Security.SslStream -ArgumentList $stream, $false
                $handshake = $ssl.AuthenticateAsClientAsync($HostName, $null, [System.Security.Authentication.SslProtocols]::Tls12, $false)
                if ($handshake.Wait($milliseconds)) {
                    $tls.ok = $true
                    $tls.protocol = $ssl.SslProtocol.ToString()
                }
                else {
                    $tls.error = 'timed out after {0} s' -f $TimeoutSeconds
                }
            }
            catch {
                $tls.error = Get-ApInnermostMessage -Exception $_
            }
            finally {
                if ($null -ne $ssl) { $ssl.Dispose() }
            }
        }
        $client.Close()
    }

    return [pscustomobject][ordered]@{
        host  = $HostName
        port  = $Port
        proxy = $null
        dns   = $dns
        tcp   = $tcp
        tls   = $tls
    }
}

function Get-ApProfileEndpoint {
    # Host names to probe. First the engine's catalogue (it is the source of truth for each profile);
    # else Data/Endpoints.psd1: the named profile's list, or the union of all profiles when none is
    # named (so whichever profile the engine applies finds its endpoints probed).
    param([string]$Profile)
    $hosts = New-Object System.Collections.Generic.List[string]
    try {
        $catalog = Get-ApEngineCatalog -Profile $Profile
        # Accepted shapes: {"endpoints": [...]}, {"profile": {"endpoints": [...]}},
        # {"profiles": [{"id": "...", "endpoints": [...]}]}, or a rule carrying "endpoints"
        # (or "parameters": {"endpoints": [...]}). An entry is a host name, 'a|b' (either), or {"host": "..."}.
        $candidates = @(Get-ApProperty $catalog 'endpoints')
        if ($candidates.Count -eq 0) {
            $profileInfo = Get-ApProperty $catalog 'profile'
            if ($profileInfo -isnot [string]) { $candidates = @(Get-ApProperty $profileInfo 'endpoints') }
        }
        if ($candidates.Count -eq 0) {
            foreach ($entry in @(Get-ApProperty $catalog 'profiles')) {
                $entryId = [string](Get-ApProperty $entry @('id', 'name'))
                if (-not $Profile -or $entryId -eq $Profile) { $candidates += @(Get-ApProperty $entry 'endpoints') }
            }
        }
        if ($candidates.Count -eq 0) {
            foreach ($rule in @(Get-ApCatalogRule -Catalog $catalog)) {
                $candidates += @(Get-ApProperty $rule 'endpoints')
                $candidates += @(Get-ApProperty (Get-ApProperty $rule 'parameters') 'endpoints')
            }
        }
        foreach ($candidate in $candidates) {
            $name = $candidate
            if ($candidate -isnot [string]) { $name = Get-ApProperty $candidate @('host', 'name', 'url') }
            # An entry 'a|b' names alternatives (the EU Data Boundary host): probe both.
            foreach ($part in ([string]$name).Split('|')) {
                $part = $part.Trim()
                if ($part -and $part -notmatch '\*' -and -not $hosts.Contains($part)) { $hosts.Add($part) }
            }
        }
    }
    catch {
        Write-Verbose ('The engine did not list endpoints: {0}' -f $_.Exception.Message)
    }
    if ($hosts.Count -gt 0) { return $hosts.ToArray() }

    $data = Import-PowerShellDataFile -Path (Join-Path (Join-Path $script:ApModuleRoot 'Data') 'Endpoints.psd1')
    $profiles = $data.Profiles
    $names = @($profiles.Keys | Sort-Object)
    if ($Profile -and $profiles.ContainsKey($Profile)) { $names = @($Profile) }
    foreach ($n in $names) {
        foreach ($h in @($profiles[$n])) {
            if (-not $hosts.Contains($h)) { $hosts.Add($h) }
        }
    }
    return $hosts.ToArray()
}

function Get-ApDeviceEvidence {
    # One devices[] entry of the snapshot bundle for this device.
    param(
        [string]$Profile,
        [switch]$SkipNetwork,
        [int]$TimeoutSeconds = 10
    )
    $problems = New-Object System.Collections.Generic.List[string]

    $os = $null
    try {
        $osInfo = Get-CimInstance -ClassName 'Win32_OperatingSystem' -ErrorAction Stop | Select-Object -First 1
        $sku = Get-ApProperty $osInfo 'OperatingSystemSKU'
        if ($null -ne $sku) { $sku = [int64]$sku }
        $os = [ordered]@{
            OperatingSystemSKU = $sku
            OSArchitecture     = [string](Get-ApProperty $osInfo 'OSArchitecture')
            Version            = [string](Get-ApProperty $osInfo 'Version')
            BuildNumber        = [string](Get-ApProperty $osInfo 'BuildNumber')
            Caption            = [string](Get-ApProperty $osInfo 'Caption')
        }
    }
    catch {
        $problems.Add(('Win32_OperatingSystem: {0}' -f $_.Exception.Message))
    }

    $serial = $null
    try {
        $bios = Get-CimInstance -ClassName 'Win32_BIOS' -ErrorAction Stop | Select-Object -First 1
        $serial = [string](Get-ApProperty $bios 'SerialNumber')
    }
    catch {
        $problems.Add(('Win32_BIOS: {0}' -f $_.Exception.Message))
    }

    $dsregcmd = Get-ApDsregStatus
    if ($null -eq $dsregcmd) { $problems.Add('dsregcmd /status could not be run') }

    $registry = foreach ($entry in $script:ApRegistryValueList) {
        Get-ApRegistryValue -Path $entry.Path -Name $entry.Name
    }

    $evidence = [ordered]@{
        collected_at             = Get-ApUtcTimestamp
        computer_name            = $env:COMPUTERNAME
        serial_number            = $serial
        os                       = $os
        dsregcmd                 = $dsregcmd
        registry                 = @($registry)
        configmgr_client_version = Get-ApConfigMgrClientVersion
        winhttp_proxy            = Get-ApWinHttpProxy
    }

    if (-not $SkipNetwork) {
        # Without -SkipNetwork every endpoint gets a probe. With it, probes[] is left out entirely:
        # an empty list would read as "reached nothing".
        $endpoints = @(Get-ApProfileEndpoint -Profile $Profile)
        $probes = New-Object System.Collections.Generic.List[object]
        $index = 0
        foreach ($endpoint in $endpoints) {
            $index++
            Write-Progress -Id 2 -Activity 'Probing Windows Autopatch endpoints' -Status $endpoint -PercentComplete ([int](100 * ($index - 1) / [Math]::Max(1, $endpoints.Count)))
            $probes.Add((Invoke-ApEndpointProbe -HostName $endpoint -Port 443 -TimeoutSeconds $TimeoutSeconds))
        }
        Write-Progress -Id 2 -Activity 'Probing Windows Autopatch endpoints' -Completed
        $evidence['probes'] = $probes.ToArray()
    }
    if ($problems.Count -gt 0) { $evidence['collection_problems'] = $problems.ToArray() }
    return $evidence
}
