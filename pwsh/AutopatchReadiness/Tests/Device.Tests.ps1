# Test-AutopatchDeviceReadiness with CIM, dsregcmd, the registry, the probes and the engine mocked:
# the raw evidence lands in the bundle unparsed, and the engine's answer comes back as objects.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $global:ApDsregLines = @(
        '+----------------------------------------------------------------------+'
        '| Device State                                                         |'
        '+----------------------------------------------------------------------+'
        ''
        '             AzureAdJoined : YES'
        '          EnterpriseJoined : NO'
        '              DomainJoined : YES'
        '                DomainName : CONTOSO'
        ''
        '+----------------------------------------------------------------------+'
        '| Device Details                                                       |'
        '+----------------------------------------------------------------------+'
        ''
        '                  DeviceId : 6c1a1c62-0000-4000-8000-00000000d001'
        '          DeviceAuthStatus : SUCCESS'
    )
}

Describe 'Test-AutopatchDeviceReadiness' {
    BeforeEach {
        Initialize-FakeEngine -ExitCode 1
        $global:ApDeviceReport = $global:ApReportJson.Replace('"verdict": "not_ready",', '"verdict": "advisory",')
        $global:ApFakeEngine.Report = $global:ApDeviceReport

        Mock -ModuleName AutopatchReadiness -CommandName Get-ApPlatform -MockWith { [pscustomobject]@{ Os = 'win'; Architecture = 'x64' } }
        Mock -ModuleName AutopatchReadiness -CommandName Invoke-ApEngine -MockWith $global:ApFakeEngineMock
        Mock -ModuleName AutopatchReadiness -CommandName Write-Progress -MockWith { return }
        Mock -ModuleName AutopatchReadiness -CommandName Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' } -MockWith {
            [pscustomobject]@{ OperatingSystemSKU = [uint32]4; OSArchitecture = '64-bit'; Version = '10.0.19045'; BuildNumber = '19045'; Caption = 'Microsoft Windows 10 Enterprise' }
        }
        Mock -ModuleName AutopatchReadiness -CommandName Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_BIOS' } -MockWith {
            [pscustomobject]@{ SerialNumber = '5CG1234XYZ' }
        }
        Mock -ModuleName AutopatchReadiness -CommandName Get-CimInstance -ParameterFilter { $ClassName -eq 'SMS_Client' } -MockWith {
            [pscustomobject]@{ ClientVersion = '5.00.9078.1006' }
        }
        Mock -ModuleName AutopatchReadiness -CommandName dsregcmd -MockWith { $global:ApDsregLines }
        Mock -ModuleName AutopatchReadiness -CommandName Get-ApWinHttpProxy -MockWith { "Current WinHTTP proxy settings:`n`n    Direct access (no proxy server)." }
        Mock -ModuleName AutopatchReadiness -CommandName Get-ApRegistryValue -MockWith {
            if ($Name -eq 'WUServer') {
                return [pscustomobject][ordered]@{ path = $Path; name = $Name; type = 'REG_SZ'; value = 'http://wsus:8530'; present = $true }
            }
            if ($Name -eq 'CoManagementFlags') {
                return [pscustomobject][ordered]@{ path = $Path; name = $Name; type = 'REG_QWORD'; value = [uint64]8193; present = $true }
            }
            return [pscustomobject][ordered]@{ path = $Path; name = $Name; present = $false }
        }
        Mock -ModuleName AutopatchReadiness -CommandName Invoke-ApEndpointProbe -MockWith {
            [pscustomobject][ordered]@{
                host  = $HostName
                port  = $Port
                proxy = $null
                dns   = [ordered]@{ ok = $true; addresses = @('20.190.1.1'); error = $null }
                tcp   = [ordered]@{ ok = $true; error = $null }
                tls   = [ordered]@{ ok = $true; protocol = 'Tls12'; error = $null }
            }
        }
        $bundlePath = Join-Path $TestDrive ('device-{0}.json' -f ([guid]::NewGuid().ToString('N')))
    }

    It 'writes the raw device evidence into a bundle with devices[] only' {
        $null = Test-AutopatchDeviceReadiness -SnapshotPath $bundlePath

        $bundle = Read-TestBundle -Path $bundlePath
        $bundle.Json.schema | Should -Be 'apready.snapshot/1'
        $bundle.Json.complete | Should -BeTrue
        @($bundle.Json.graph).Count | Should -Be 0
        @($bundle.Json.devices).Count | Should -Be 1
        $device = $bundle.Json.devices[0]
        $device.os.OperatingSystemSKU | Should -Be 4
        $device.os.OSArchitecture | Should -Be '64-bit'
        $device.os.Version | Should -Be '10.0.19045'
        $device.os.BuildNumber | Should -Be '19045'
        $device.serial_number | Should -Be '5CG1234XYZ'
        $device.configmgr_client_version | Should -Be '5.00.9078.1006'
        $device.computer_name | Should -Be $env:COMPUTERNAME
        # dsregcmd's text is kept whole and unparsed.
        $device.dsregcmd | Should -Be ($global:ApDsregLines -join "`n")
        $device.winhttp_proxy | Should -BeLike '*Direct access*'

        $registry = @($device.registry)
        $registry.Count | Should -Be 8
        $wsus = $registry | Where-Object { $_.name -eq 'WUServer' }
        $wsus.path | Should -Be 'HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'
        $wsus.type | Should -Be 'REG_SZ'
        $wsus.value | Should -Be 'http://wsus:8530'
        ($registry | Where-Object { $_.name -eq 'CoManagementFlags' }).value | Should -Be 8193
        ($registry | Where-Object { $_.name -eq 'NoAutoUpdate' }).present | Should -BeFalse
        @($registry | ForEach-Object { $_.name }) | Should -Contain 'AllowTelemetry'
        @($registry | ForEach-Object { $_.name }) | Should -Contain 'DoNotConnectToWindowsUpdateInternetLocations'
        @($registry | ForEach-Object { $_.name }) | Should -Contain 'UseWUServer'

        Should -Invoke -ModuleName AutopatchReadiness -CommandName dsregcmd -Times 1 -Exactly
    }

    It 'probes each endpoint the engine lists for the profile' {
        $null = Test-AutopatchDeviceReadiness -SnapshotPath $bundlePath -Profile '2022-05' -TimeoutSeconds 3
        $bundle = Read-TestBundle -Path $bundlePath
        $probes = @($bundle.Json.devices[0].probes)
        $probes.Count | Should -Be 2
        (@($probes | ForEach-Object { $_.host }) -join ',') | Should -Be 'mmdcustomer.microsoft.com,mmdls.microsoft.com'
        $probes[0].port | Should -Be 443
        $probes[0].tls.protocol | Should -Be 'Tls12'
        Should -Invoke -ModuleName AutopatchReadiness -CommandName Invoke-ApEndpointProbe -ParameterFilter { $TimeoutSeconds -eq 3 -and $Port -eq 443 } -Times 2 -Exactly
        $rulesCall = Get-LastEngineCall -Command 'rules'
        Get-ArgumentValue -Arguments $rulesCall -Name '--profile' | Should -Be '2022-05'
    }

    It 'falls back to the endpoint list shipped with the module when the engine lists none' {
        $global:ApFakeEngine.Rules = '{"schema":"apready.rules/1","profile":"current","rules":[]}'
        $null = Test-AutopatchDeviceReadiness -SnapshotPath $bundlePath -Profile 'current'
        $bundle = Read-TestBundle -Path $bundlePath
        $hosts = @($bundle.Json.devices[0].probes | ForEach-Object { $_.host })
        $hosts | Should -Contain 'devicelistenerprod.microsoft.com'
        $hosts | Should -Contain 'services.autopatch.microsoft.com'
        $hosts | Should -Not -Contain 'logcollection.mmd.microsoft.com'
        $hosts.Count | Should -Be 6
    }

    It 'leaves probes out entirely with -SkipNetwork (not an empty list, which would read as unreachable)' {
        $null = Test-AutopatchDeviceReadiness -SnapshotPath $bundlePath -SkipNetwork
        $bundle = Read-TestBundle -Path $bundlePath
        $bundle.Json.devices[0].PSObject.Properties.Name | Should -Not -Contain 'probes'
        Should -Invoke -ModuleName AutopatchReadiness -CommandName Invoke-ApEndpointProbe -Times 0 -Exactly
    }

    It 'returns the device findings and a summary whose verdict is the device verdict, without throwing' {
        $output = @(Test-AutopatchDeviceReadiness -SkipNetwork)
        $summary = @($output | Where-Object { $_.PSObject.TypeNames -contains 'AutopatchReadiness.Summary' })
        $findings = @($output | Where-Object { $_.PSObject.TypeNames -contains 'AutopatchReadiness.Finding' })
        $summary.Count | Should -Be 1
        # Two device items in the canned report: the summary keeps the report verdict then.
        $summary[0].ReportVerdict | Should -Be 'advisory'
        $summary[0].ExitCode | Should -Be 1
        # Tenant checks that were not evaluated (no Graph data here) are left out.
        @($findings | Where-Object { $_.CheckId -eq 'LIC-002' }).Count | Should -Be 0
        @($findings | Where-Object { $_.Scope -eq 'device' }).Count | Should -Be 3

        $checkCall = Get-LastEngineCall -Command 'check'
        $checkCall[0] | Should -Be 'check'
        Get-ArgumentValue -Arguments $checkCall -Name '--format' | Should -Be 'json'
        Get-ArgumentValue -Arguments $checkCall -Name '--output' | Should -Not -BeNullOrEmpty
    }

    It 'uses the single device verdict as the summary verdict' {
        $global:ApFakeEngine.Report = '{"schema":"apready.report/1","profile":"2022-05","as_of":"2026-11-28T00:00:00Z","verdict":"advisory","checks":[],"devices":{"total":1,"ready":0,"advisory":0,"not_ready":1,"error":0,"out_of_scope":0,"items":[{"id":"6c1a1c62-0000-4000-8000-00000000d001","name":"LAPTOP-0042","verdict":"not_ready","findings":[{"id":"DEV-009","status":"not_ready","message":"mmdls.microsoft.com: TLS handshake failed","evidence":[],"remediation":"Allow TLS 1.2","source":"2022-05"}]}]}}'
        $global:ApFakeEngine.ExitCode = 1
        $output = @(Test-AutopatchDeviceReadiness -SkipNetwork)
        $summary = $output | Where-Object { $_.PSObject.TypeNames -contains 'AutopatchReadiness.Summary' }
        $summary.Verdict | Should -Be 'not_ready'
        $summary.ReportVerdict | Should -Be 'advisory'
        $finding = $output | Where-Object { $_.CheckId -eq 'DEV-009' }
        $finding.Device | Should -Be 'LAPTOP-0042'
        $finding.Status | Should -Be 'not_ready'
    }

    It 'removes its temporary bundle when no -SnapshotPath is given' {
        $null = Test-AutopatchDeviceReadiness -SkipNetwork
        $checkCall = Get-LastEngineCall -Command 'check'
        $temporaryBundle = $checkCall[1]
        Test-Path -LiteralPath $temporaryBundle | Should -BeFalse
    }

    It 'refuses to run on an operating system other than Windows' {
        Mock -ModuleName AutopatchReadiness -CommandName Get-ApPlatform -MockWith { [pscustomobject]@{ Os = 'linux'; Architecture = 'x64' } }
        { Test-AutopatchDeviceReadiness -SkipNetwork } | Should -Throw -ExpectedMessage '*Windows only*'
    }
}

Describe 'Registry reads' -Skip:($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows) {
    It 'reads a present value with its registry type and reports an absent one as present = false' {
        $values = InModuleScope AutopatchReadiness -ScriptBlock {
            Get-ApRegistryValue -Path 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -Name 'CurrentBuild'
            Get-ApRegistryValue -Path 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -Name 'NoSuchValueForAutopatchTests'
            Get-ApRegistryValue -Path 'HKLM\SOFTWARE\NoSuchKeyForAutopatchTests' -Name 'Anything'
        }
        $values[0].present | Should -BeTrue
        $values[0].type | Should -Be 'REG_SZ'
        $values[0].value | Should -Match '^\d+$'
        $values[1].present | Should -BeFalse
        $values[2].present | Should -BeFalse
    }
}
