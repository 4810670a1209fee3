# Export-AutopatchReadinessSnapshot against a fake Microsoft Graph: paging, throttling, transient
# errors, a page that keeps failing, -Resume, scopes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Export-AutopatchReadinessSnapshot' {
    BeforeEach {
        Initialize-FakeGraph
        $global:ApTestContext = New-TestContext
        Mock -ModuleName AutopatchReadiness -CommandName Assert-ApGraphModule -MockWith { return }
        Mock -ModuleName AutopatchReadiness -CommandName Test-ApGraphJsonOutput -MockWith { $true }
        Mock -ModuleName AutopatchReadiness -CommandName Get-MgContext -MockWith { $global:ApTestContext }
        Mock -ModuleName AutopatchReadiness -CommandName Start-Sleep -MockWith { return }
        Mock -ModuleName AutopatchReadiness -CommandName Write-Progress -MockWith { return }
        Mock -ModuleName AutopatchReadiness -CommandName Invoke-MgGraphRequest -MockWith $global:ApFakeGraphMock
        $bundlePath = Join-Path $TestDrive ('snapshot-{0}.json' -f ([guid]::NewGuid().ToString('N')))
    }

    Context 'a healthy tenant' {
        It 'follows every @odata.nextLink verbatim and stores each page exactly as Graph returned it' {
            Add-FakeTenant
            $result = Export-AutopatchReadinessSnapshot -Path $bundlePath

            $result.Complete | Should -BeTrue
            $result.Pages | Should -Be 8
            $result.PSObject.TypeNames | Should -Contain 'AutopatchReadiness.Snapshot'

            $calls = @($global:ApFakeGraph.Calls)
            $calls | Should -Contain $global:ApUrl.ManagedDevices
            $calls | Should -Contain $global:ApUrl.ManagedDevicesNext
            $calls | Should -Contain $global:ApUrl.UsersNext
            $calls.Count | Should -Be 8

            $bundle = Read-TestBundle -Path $bundlePath
            $bundle.Json.schema | Should -Be 'apready.snapshot/1'
            $bundle.Json.complete | Should -BeTrue
            @($bundle.Json.problems).Count | Should -Be 0
            $bundle.Json.collector.name | Should -Be 'AutopatchReadiness'
            $bundle.Json.collected_at | Should -Not -BeNullOrEmpty
            @($bundle.Json.graph).Count | Should -Be 8
            $bundle.Json.graph[0].request | Should -Be $global:ApUrl.ManagedDevices
            $bundle.Json.graph[1].request | Should -Be $global:ApUrl.ManagedDevicesNext
            $bundle.Json.graph[1].page.value[0].id | Should -Be 'md-2'
            # Verbatim: the page text is in the bundle byte for byte (escapes included).
            $bundle.Text.Contains($global:ApPage.ManagedDevices1) | Should -BeTrue
            $bundle.Text.Contains($global:ApPage.ManagedDevices2) | Should -BeTrue
            $bundle.Text.Contains($global:ApPage.OrganizationMdm) | Should -BeTrue

            # Finished collections leave no work folder behind.
            Test-Path -LiteralPath ($bundlePath + '.parts') | Should -BeFalse
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Start-Sleep -Times 0 -Exactly
        }

        It 'asks for exactly the fields the rules use, v1.0 only without -IncludeBeta' {
            Add-FakeTenant
            $null = Export-AutopatchReadinessSnapshot -Path $bundlePath
            $calls = @($global:ApFakeGraph.Calls)
            $calls | Should -Contain $global:ApUrl.ManagedDevices
            $calls | Should -Contain $global:ApUrl.Devices
            $calls | Should -Contain $global:ApUrl.SubscribedSkus
            $calls | Should -Contain $global:ApUrl.Users
            $calls | Should -Contain $global:ApUrl.Organization
            $calls | Should -Contain $global:ApUrl.OrganizationMdm
            @($calls | Where-Object { $_ -like '*/beta/*' }).Count | Should -Be 0
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Invoke-MgGraphRequest -ParameterFilter { $OutputType -eq 'Json' -and $Method -eq 'GET' } -Times 8 -Exactly
        }

        It 'adds the beta-only fields and directory synchronisation with -IncludeBeta' {
            Add-FakeTenant
            $result = Export-AutopatchReadinessSnapshot -Path $bundlePath -IncludeBeta
            $result.Complete | Should -BeTrue
            $calls = @($global:ApFakeGraph.Calls)
            $calls | Should -Contain $global:ApUrl.ManagedDevicesBeta
            $calls | Should -Contain $global:ApUrl.OnPremSync
            $bundle = Read-TestBundle -Path $bundlePath
            @($bundle.Json.graph).Count | Should -Be 10
        }
    }

    Context 'throttling and transient errors' {
        It 'waits for Retry-After (fractional seconds) after a 429 and then retries' {
            Add-FakeGraphRoute -Like '*/v1.0/subscribedSkus[?]*' -Response @((New-TestGraphError -StatusCode 429 -RetryAfter '1.5'), $global:ApPage.SubscribedSkus)
            Add-FakeTenant
            $result = Export-AutopatchReadinessSnapshot -Path $bundlePath

            $result.Complete | Should -BeTrue
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Start-Sleep -ParameterFilter { $Milliseconds -eq 1500 } -Times 1 -Exactly
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Start-Sleep -Times 1 -Exactly
            @($global:ApFakeGraph.Calls | Where-Object { $_ -eq $global:ApUrl.SubscribedSkus }).Count | Should -Be 2
            $bundle = Read-TestBundle -Path $bundlePath
            @($bundle.Json.graph | Where-Object { $_.request -eq $global:ApUrl.SubscribedSkus }).Count | Should -Be 1
        }

        It 'backs off exponentially with jitter after a 503 and then succeeds' {
            Add-FakeGraphRoute -Like '*/v1.0/devices[?]*' -Response @((New-TestGraphError -StatusCode 503), $global:ApPage.Devices)
            Add-FakeTenant
            $result = Export-AutopatchReadinessSnapshot -Path $bundlePath

            $result.Complete | Should -BeTrue
            # First retry: 2 s base plus up to 2 s of jitter.
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Start-Sleep -ParameterFilter { $Milliseconds -ge 2000 -and $Milliseconds -le 4000 } -Times 1 -Exactly
            $bundle = Read-TestBundle -Path $bundlePath
            $bundle.Json.complete | Should -BeTrue
            @($bundle.Json.graph | Where-Object { $_.request -eq $global:ApUrl.Devices }).Count | Should -Be 1
        }

        It 'stops a resource whose page still fails after the retries, records it and marks the bundle incomplete' {
            Add-FakeGraphRoute -Like '*/v1.0/users*skiptoken=users-page-2*' -Response @((New-TestGraphError -StatusCode 503))
            Add-FakeTenant
            $result = Export-AutopatchReadinessSnapshot -Path $bundlePath -MaxRetry 2 -WarningVariable warnings -WarningAction SilentlyContinue

            $result.Complete | Should -BeFalse
            $result.WorkDirectory | Should -Be ($bundlePath + '.parts')
            Test-Path -LiteralPath ($bundlePath + '.parts') | Should -BeTrue
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Start-Sleep -Times 2 -Exactly
            @($global:ApFakeGraph.Calls | Where-Object { $_ -eq $global:ApUrl.UsersNext }).Count | Should -Be 3

            $bundle = Read-TestBundle -Path $bundlePath
            $bundle.Json.complete | Should -BeFalse
            $problems = @($bundle.Json.problems)
            $problems.Count | Should -Be 1
            $problems[0].request | Should -Be $global:ApUrl.UsersNext
            $problems[0].message | Should -BeLike '*503*after 2 retries*'
            # The other resources were still read; the first users page is kept.
            @($bundle.Json.graph | Where-Object { $_.request -eq $global:ApUrl.OrganizationMdm }).Count | Should -Be 1
            @($bundle.Json.graph | Where-Object { $_.request -eq $global:ApUrl.Users }).Count | Should -Be 1
            @($warnings | Where-Object { "$_" -like '*-Resume*' }).Count | Should -BeGreaterThan 0
        }

        It 'continues from the saved @odata.nextLink with -Resume' {
            Add-FakeGraphRoute -Like '*/v1.0/users*skiptoken=users-page-2*' -Response @((New-TestGraphError -StatusCode 503))
            Add-FakeTenant
            $first = Export-AutopatchReadinessSnapshot -Path $bundlePath -MaxRetry 1 -WarningAction SilentlyContinue
            $first.Complete | Should -BeFalse

            Initialize-FakeGraph
            Add-FakeTenant
            $second = Export-AutopatchReadinessSnapshot -Path $bundlePath -Resume

            $second.Complete | Should -BeTrue
            # Only the page that failed was asked for again.
            $global:ApFakeGraph.Calls.Count | Should -Be 1
            $global:ApFakeGraph.Calls[0] | Should -Be $global:ApUrl.UsersNext
            $bundle = Read-TestBundle -Path $bundlePath
            $bundle.Json.complete | Should -BeTrue
            @($bundle.Json.problems).Count | Should -Be 0
            @($bundle.Json.graph).Count | Should -Be 8
            @($bundle.Json.graph | Where-Object { $_.request -eq $global:ApUrl.Users }).Count | Should -Be 1
            @($bundle.Json.graph | Where-Object { $_.request -eq $global:ApUrl.UsersNext }).Count | Should -Be 1
            Test-Path -LiteralPath ($bundlePath + '.parts') | Should -BeFalse
        }

        It 'stops the whole collection on an expired sign-in, with a clear problem and no ready-looking bundle' {
            Add-FakeGraphRoute -Like '*/v1.0/deviceManagement/managedDevices[?]*' -Response @((New-TestGraphError -StatusCode 401))
            Add-FakeTenant
            $result = Export-AutopatchReadinessSnapshot -Path $bundlePath -WarningAction SilentlyContinue

            $result.Complete | Should -BeFalse
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Invoke-MgGraphRequest -Times 1 -Exactly
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Start-Sleep -Times 0 -Exactly
            $bundle = Read-TestBundle -Path $bundlePath
            $bundle.Json.complete | Should -BeFalse
            @($bundle.Json.graph).Count | Should -Be 0
            $problems = @($bundle.Json.problems)
            $problems[0].message | Should -BeLike '*401*Connect-MgGraph*'
            @($problems | Where-Object { $_.message -like '*authentication failure*' }).Count | Should -BeGreaterThan 3
        }
    }

    Context 'scopes' {
        It 'stops before any request and names the missing scopes' {
            $global:ApTestContext = New-TestContext -Scopes @('DeviceManagementManagedDevices.Read.All', 'Organization.Read.All', 'DeviceManagementServiceConfig.Read.All')
            { Export-AutopatchReadinessSnapshot -Path $bundlePath } | Should -Throw -ExpectedMessage '*Device.Read.All*User.Read.All*'
            Should -Invoke -ModuleName AutopatchReadiness -CommandName Invoke-MgGraphRequest -Times 0 -Exactly
            Test-Path -LiteralPath $bundlePath | Should -BeFalse
        }

        It 'asks for OnPremDirectorySynchronization.Read.All only with -IncludeBeta' {
            $global:ApTestContext = New-TestContext -Scopes @('DeviceManagementManagedDevices.Read.All', 'Device.Read.All', 'Organization.Read.All', 'User.Read.All', 'DeviceManagementServiceConfig.Read.All')
            Add-FakeTenant
            (Export-AutopatchReadinessSnapshot -Path $bundlePath).Complete | Should -BeTrue
            { Export-AutopatchReadinessSnapshot -Path $bundlePath -IncludeBeta } | Should -Throw -ExpectedMessage '*OnPremDirectorySynchronization.Read.All*'
        }

        It 'tells the admin to connect first when there is no Graph session' {
            $global:ApTestContext = $null
            { Export-AutopatchReadinessSnapshot -Path $bundlePath } | Should -Throw -ExpectedMessage '*Connect-MgGraph -Scopes*'
        }

        It 'accepts a broader read permission in place of a least-privilege one' {
            $global:ApTestContext = New-TestContext -Scopes @('DeviceManagementManagedDevices.Read.All', 'Directory.Read.All', 'DeviceManagementServiceConfig.Read.All')
            Add-FakeTenant
            (Export-AutopatchReadinessSnapshot -Path $bundlePath).Complete | Should -BeTrue
        }

        It 'collects what it can with -AllowMissingScope and marks the rest as problems' {
            $global:ApTestContext = New-TestContext -Scopes @('DeviceManagementManagedDevices.Read.All', 'Organization.Read.All', 'User.Read.All', 'DeviceManagementServiceConfig.Read.All')
            Add-FakeTenant
            $result = Export-AutopatchReadinessSnapshot -Path $bundlePath -AllowMissingScope -WarningAction SilentlyContinue
            $result.Complete | Should -BeFalse
            @($global:ApFakeGraph.Calls | Where-Object { $_ -like '*/v1.0/devices*' }).Count | Should -Be 0
            $bundle = Read-TestBundle -Path $bundlePath
            $bundle.Json.complete | Should -BeFalse
            @($bundle.Json.problems | Where-Object { $_.message -like '*Device.Read.All*' }).Count | Should -Be 1
        }
    }
}

Describe 'Graph error decoding' {
    It 'reads the status code and a fractional Retry-After from the exception' {
        $errorObject = New-TestGraphError -StatusCode 429 -RetryAfter '2.128'
        $info = InModuleScope AutopatchReadiness -Parameters @{ Failure = $errorObject } -ScriptBlock {
            param($Failure)
            Get-ApHttpErrorInfo -ErrorRecord $Failure
        }
        $info.StatusCode | Should -Be 429
        $info.RetryAfter | Should -Be 2.128
        $info.Authentication | Should -BeFalse
    }

    It 'reads the status from the message when there is no response object' {
        $info = InModuleScope AutopatchReadiness -ScriptBlock {
            Get-ApHttpErrorInfo -ErrorRecord ([System.Exception]::new('Response status code does not indicate success: ServiceUnavailable (Service Unavailable).'))
        }
        $info.StatusCode | Should -Be 503
    }

    It 'reads an HTTP-date Retry-After' {
        $seconds = InModuleScope AutopatchReadiness -ScriptBlock {
            ConvertFrom-ApRetryAfterValue -Value ([datetimeoffset]::UtcNow.AddSeconds(30).ToString('r', [System.Globalization.CultureInfo]::InvariantCulture))
        }
        $seconds | Should -BeGreaterThan 25
        $seconds | Should -BeLessOrEqual 30
    }

    It 'takes the @odata.nextLink from a page' {
        $info = InModuleScope AutopatchReadiness -ScriptBlock {
            Get-ApPageInfo -Content '{"value":[{"id":"a"},{"id":"b"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=X%2bY"}'
        }
        $info.NextLink | Should -Be 'https://graph.microsoft.com/v1.0/users?$skiptoken=X%2bY'
        $info.Records | Should -Be 2
        $info.IsJson | Should -BeTrue
    }
}
