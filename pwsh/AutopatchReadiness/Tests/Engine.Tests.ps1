# The bridge to apready: locating the engine, quoting arguments, reading the report from the
# --output file, exit codes as results, rules and diff.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Engine location' {
    It 'maps the platform to a runtime identifier, with x64 emulation as the fallback for arm64' {
        InModuleScope AutopatchReadiness -ScriptBlock {
            (Get-ApEngineRid -Platform ([pscustomobject]@{ Os = 'win'; Architecture = 'x64' })) -join ',' | Should -Be 'win-x64'
            (Get-ApEngineRid -Platform ([pscustomobject]@{ Os = 'win'; Architecture = 'arm64' })) -join ',' | Should -Be 'win-arm64,win-x64'
            (Get-ApEngineRid -Platform ([pscustomobject]@{ Os = 'linux'; Architecture = 'arm64' })) -join ',' | Should -Be 'linux-arm64'
            (Get-ApEngineRid -Platform ([pscustomobject]@{ Os = 'osx'; Architecture = 'arm64' })) -join ',' | Should -Be 'osx-arm64,osx-x64'
        }
    }

    It 'detects this machine in Windows PowerShell 5.1 and PowerShell 7 alike' {
        $platform = InModuleScope AutopatchReadiness -ScriptBlock { Get-ApPlatform }
        @('win', 'linux', 'osx') | Should -Contain $platform.Os
        @('x64', 'arm64', 'x86') | Should -Contain $platform.Architecture
        if ($PSVersionTable.PSEdition -eq 'Desktop') { $platform.Os | Should -Be 'win' }
    }

    It 'finds apready under <module>/bin/<rid>/' {
        $root = Join-Path $TestDrive 'module'
        $bin = Join-Path (Join-Path $root 'bin') 'win-x64'
        $null = New-Item -ItemType Directory -Path $bin -Force
        $exe = Join-Path $bin 'apready.exe'
        Set-Content -LiteralPath $exe -Value 'fake'
        $found = InModuleScope AutopatchReadiness -Parameters @{ Root = $root } -ScriptBlock {
            param($Root)
            $saved = $script:ApModuleRoot
            $savedOverride = $env:APREADY_ENGINE
            try {
                $script:ApModuleRoot = $Root
                $env:APREADY_ENGINE = $null
                Get-ApEnginePath -Platform ([pscustomobject]@{ Os = 'win'; Architecture = 'x64' })
            }
            finally {
                $script:ApModuleRoot = $saved
                $env:APREADY_ENGINE = $savedOverride
            }
        }
        $found | Should -Be $exe
    }

    It 'says where it looked when the engine is missing' {
        $root = Join-Path $TestDrive 'empty-module'
        $null = New-Item -ItemType Directory -Path $root -Force
        Mock -ModuleName AutopatchReadiness -CommandName Find-ApEngineOnPath -MockWith { return }
        {
            InModuleScope AutopatchReadiness -Parameters @{ Root = $root } -ScriptBlock {
                param($Root)
                $saved = $script:ApModuleRoot
                $savedOverride = $env:APREADY_ENGINE
                try {
                    $script:ApModuleRoot = $Root
                    $env:APREADY_ENGINE = $null
                    Get-ApEnginePath -Platform ([pscustomobject]@{ Os = 'linux'; Architecture = 'x64' })
                }
                finally {
                    $script:ApModuleRoot = $saved
                    $env:APREADY_ENGINE = $savedOverride
                }
            }
        } | Should -Throw -ExpectedMessage '*linux-x64*APREADY_ENGINE*'
    }

    It 'quotes arguments for the native command line' {
        InModuleScope AutopatchReadiness -ScriptBlock {
            ConvertTo-ApNativeArgument -Argument 'check' | Should -Be 'check'
            ConvertTo-ApNativeArgument -Argument 'C:\Users\a b\snap.json' | Should -Be '"C:\Users\a b\snap.json"'
            ConvertTo-ApNativeArgument -Argument 'C:\dir with space\' | Should -Be '"C:\dir with space\\"'
            ConvertTo-ApNativeArgument -Argument 'say "hi"' | Should -Be '"say \"hi\""'
            ConvertTo-ApNativeArgument -Argument 'a\"b' | Should -Be '"a\\\"b"'
            ConvertTo-ApNativeArgument -Argument '' | Should -Be '""'
        }
    }

    It 'maps exit codes to results' {
        InModuleScope AutopatchReadiness -ScriptBlock {
            Get-ApVerdictFromExitCode -ExitCode 0 | Should -Be 'ready'
            Get-ApVerdictFromExitCode -ExitCode 1 | Should -Be 'advisory'
            Get-ApVerdictFromExitCode -ExitCode 2 | Should -Be 'not_ready'
            Get-ApVerdictFromExitCode -ExitCode 3 | Should -Be 'error'
            Get-ApVerdictFromExitCode -ExitCode 64 | Should -Be 'usage'
            Get-ApVerdictFromExitCode -ExitCode 101 | Should -Be 'error'
        }
    }
}

Describe 'Test-AutopatchReadiness' {
    BeforeEach {
        Initialize-FakeEngine -ExitCode 2
        Mock -ModuleName AutopatchReadiness -CommandName Invoke-ApEngine -MockWith $global:ApFakeEngineMock
        $snapshot = Join-Path $TestDrive 'snapshot.json'
        Set-Content -LiteralPath $snapshot -Value '{"schema":"apready.snapshot/1","graph":[],"devices":[]}'
    }

    It 'returns one object per finding and a summary for a not-ready tenant, without throwing' {
        $output = @(Test-AutopatchReadiness -SnapshotPath $snapshot -Profile '2022-05' -AsOf '2022-06-01T00:00:00Z')

        $findings = @($output | Where-Object { $_.PSObject.TypeNames -contains 'AutopatchReadiness.Finding' })
        $summaries = @($output | Where-Object { $_.PSObject.TypeNames -contains 'AutopatchReadiness.Summary' })
        $findings.Count | Should -Be 6
        $summaries.Count | Should -Be 1
        $output[-1].PSObject.TypeNames | Should -Contain 'AutopatchReadiness.Summary'

        $summary = $summaries[0]
        $summary.Verdict | Should -Be 'not_ready'
        $summary.ExitCode | Should -Be 2
        $summary.Profile | Should -Be '2022-05'
        $summary.AsOf | Should -Be '2022-06-01T00:00:00Z'
        $summary.TenantName | Should -Be 'Contoso'
        $summary.DevicesTotal | Should -Be 2
        $summary.DevicesNotReady | Should -Be 1
        $summary.DevicesOutOfScope | Should -Be 3
        $summary.Truncated | Should -BeTrue
        @($summary.SnapshotPath).Count | Should -Be 1
        $summary.SnapshotPath[0] | Should -Be $snapshot

        $tenant = $findings | Where-Object { $_.CheckId -eq 'LIC-002' }
        $tenant.Scope | Should -Be 'tenant'
        $tenant.Status | Should -Be 'not_evaluated'
        $tenant.Reason | Should -Be 'truncated_input'
        $tenant.Device | Should -BeNullOrEmpty

        $device = $findings | Where-Object { $_.CheckId -eq 'DEV-003' -and $_.DeviceId -eq 'md-1' }
        $device.Scope | Should -Be 'device'
        $device.Device | Should -Be 'PC-001'
        $device.Status | Should -Be 'not_ready'
        $device.Remediation | Should -Be 'Sync the device'
        @($device.Evidence).Count | Should -Be 1
        $device.Evidence[0].field | Should -Be 'lastSyncDateTime'

        $call = Get-LastEngineCall -Command 'check'
        $call[1] | Should -Be $snapshot
        Get-ArgumentValue -Arguments $call -Name '--format' | Should -Be 'json'
        Get-ArgumentValue -Arguments $call -Name '--profile' | Should -Be '2022-05'
        Get-ArgumentValue -Arguments $call -Name '--as-of' | Should -Be '2022-06-01T00:00:00Z'
        Get-ArgumentValue -Arguments $call -Name '--output' | Should -Not -BeNullOrEmpty
    }

    It 'reads the report from the --output file and removes that temporary file' {
        $null = Test-AutopatchReadiness -SnapshotPath $snapshot
        $call = Get-LastEngineCall -Command 'check'
        $output = Get-ArgumentValue -Arguments $call -Name '--output'
        Test-Path -LiteralPath $output | Should -BeFalse
        $call | Should -Not -Contain '--profile'
        $call | Should -Not -Contain '--as-of'
    }

    It 'keeps the JSON report with -JsonReportPath and writes the HTML page with -ReportPath' {
        $html = Join-Path $TestDrive 'ready.html'
        $json = Join-Path $TestDrive 'ready.json'
        $output = @(Test-AutopatchReadiness -SnapshotPath $snapshot -ReportPath $html -JsonReportPath $json)
        Get-EngineCallCount -Command 'check' | Should -Be 2
        $summary = $output[-1]
        $summary.ReportPath | Should -Be $html
        $summary.JsonReportPath | Should -Be $json
        Test-Path -LiteralPath $html | Should -BeTrue
        Test-Path -LiteralPath $json | Should -BeTrue
        $htmlCall = Get-LastEngineCall -Command 'check'
        Get-ArgumentValue -Arguments $htmlCall -Name '--format' | Should -Be 'html'
        Get-ArgumentValue -Arguments $htmlCall -Name '--output' | Should -Be $html
    }

    It 'treats ready and advisory as results too' {
        $global:ApFakeEngine.ExitCode = 0
        $global:ApFakeEngine.Report = '{"schema":"apready.report/1","profile":"2022-05","as_of":"2022-06-01T00:00:00Z","verdict":"ready","checks":[{"id":"PRV-001","scope":"tenant","status":"info","message":"privacy","evidence":[],"remediation":"","source":"2022-05"}],"devices":{"total":0,"ready":0,"advisory":0,"not_ready":0,"error":0,"out_of_scope":0,"items":[]}}'
        $output = @(Test-AutopatchReadiness -SnapshotPath $snapshot)
        $output.Count | Should -Be 2
        $output[-1].Verdict | Should -Be 'ready'
        $output[-1].ExitCode | Should -Be 0
    }

    It 'turns an engine usage error (exit code 64) into a terminating error' {
        $global:ApFakeEngine.ExitCode = 64
        $global:ApFakeEngine.StdErr = "error: invalid value 'nope' for '--profile'"
        { Test-AutopatchReadiness -SnapshotPath $snapshot -Profile 'nope' } | Should -Throw -ExpectedMessage '*64*--profile*'
    }

    It 'reports an engine failure without a report as an error result, not an exception' {
        $global:ApFakeEngine.ExitCode = 3
        $global:ApFakeEngine.Report = $null
        $global:ApFakeEngine.StdErr = 'the wasm module trapped'
        $output = @(Test-AutopatchReadiness -SnapshotPath $snapshot -ErrorAction SilentlyContinue -ErrorVariable engineErrors)
        $output.Count | Should -Be 1
        $output[0].Verdict | Should -Be 'error'
        $output[0].ExitCode | Should -Be 3
        @($engineErrors).Count | Should -Be 1
        "$($engineErrors[0])" | Should -BeLike '*trapped*'
    }

    It 'stops with a clear message when a snapshot does not exist' {
        { Test-AutopatchReadiness -SnapshotPath (Join-Path $TestDrive 'missing.json') } | Should -Throw -ExpectedMessage '*Snapshot not found*'
        Get-EngineCallCount -Command 'check' | Should -Be 0
    }

    It 'collects first when no snapshot is given' {
        Mock -ModuleName AutopatchReadiness -CommandName Export-AutopatchReadinessSnapshot -MockWith {
            [System.IO.File]::WriteAllText($Path, '{"schema":"apready.snapshot/1"}')
            [pscustomobject]@{ PSTypeName = 'AutopatchReadiness.Snapshot'; Path = $Path; Complete = $true }
        }
        $output = @(Test-AutopatchReadiness -IncludeBeta)
        Should -Invoke -ModuleName AutopatchReadiness -CommandName Export-AutopatchReadinessSnapshot -ParameterFilter { $IncludeBeta } -Times 1 -Exactly
        $call = Get-LastEngineCall -Command 'check'
        $call[1] | Should -BeLike '*AutopatchReadiness-snapshot-*.json'
        $output[-1].SnapshotPath[0] | Should -Be $call[1]
        Remove-Item -LiteralPath $call[1] -ErrorAction SilentlyContinue
    }

    It 'passes several inputs together' {
        $device = Join-Path $TestDrive 'device.json'
        Set-Content -LiteralPath $device -Value '{"schema":"apready.snapshot/1","devices":[]}'
        $null = Test-AutopatchReadiness -SnapshotPath $snapshot, $device
        $call = Get-LastEngineCall -Command 'check'
        $call[1] | Should -Be $snapshot
        $call[2] | Should -Be $device
    }
}

Describe 'Get-AutopatchReadinessRule' {
    BeforeEach {
        Initialize-FakeEngine
        Mock -ModuleName AutopatchReadiness -CommandName Invoke-ApEngine -MockWith $global:ApFakeEngineMock
    }

    It 'lists the catalogue' {
        $rules = @(Get-AutopatchReadinessRule)
        $rules.Count | Should -Be 2
        $rules[0].PSObject.TypeNames | Should -Contain 'AutopatchReadiness.Rule'
        $rules[0].Id | Should -Be 'LIC-001'
        $rules[0].Profile | Should -Be '2022-05'
        $call = Get-LastEngineCall -Command 'rules'
        Get-ArgumentValue -Arguments $call -Name '--format' | Should -Be 'json'
        $call | Should -Not -Contain '--profile'
    }

    It 'filters by -Id with wildcards and passes -Profile' {
        $rules = @(Get-AutopatchReadinessRule -Id 'DEV-*' -Profile '2022-05')
        $rules.Count | Should -Be 1
        $rules[0].Id | Should -Be 'DEV-003'
        $rules[0].Scope | Should -Be 'device'
        $rules[0].Title | Should -Be 'In contact with Intune in the last 28 days'
        $rules[0].Remediation | Should -Be 'Sync the device.'
        Get-ArgumentValue -Arguments (Get-LastEngineCall -Command 'rules') -Name '--profile' | Should -Be '2022-05'
    }

    It 'writes a non-terminating error for an unknown ID' {
        $rules = @(Get-AutopatchReadinessRule -Id 'XYZ-999' -ErrorAction SilentlyContinue -ErrorVariable ruleErrors)
        $rules.Count | Should -Be 0
        "$($ruleErrors[0])" | Should -BeLike '*XYZ-999*'
    }
}

Describe 'Compare-AutopatchReadinessReport' {
    BeforeEach {
        Initialize-FakeEngine
        Mock -ModuleName AutopatchReadiness -CommandName Invoke-ApEngine -MockWith $global:ApFakeEngineMock
        $old = Join-Path $TestDrive 'week-47.json'
        $new = Join-Path $TestDrive 'week-48.json'
        Set-Content -LiteralPath $old -Value '{}'
        Set-Content -LiteralPath $new -Value '{}'
    }

    It 'runs apready diff and returns one object per change' {
        $changes = @(Compare-AutopatchReadinessReport -ReferencePath $old -DifferencePath $new)
        $changes.Count | Should -Be 2
        $changes[0].Kind | Should -Be 'verdict'
        $changes[0].Before | Should -Be 'advisory'
        $changes[0].After | Should -Be 'not_ready'
        $changes[1].PSObject.TypeNames | Should -Contain 'AutopatchReadiness.Change'
        $changes[1].CheckId | Should -Be 'DEV-003'
        $changes[1].Device | Should -Be 'PC-001'
        $changes[1].After | Should -Be 'not_ready'
        $call = Get-LastEngineCall -Command 'diff'
        $call[1] | Should -Be $old
        $call[2] | Should -Be $new
        Get-ArgumentValue -Arguments $call -Name '--format' | Should -Be 'json'
    }

    It 'stops when a report is missing' {
        { Compare-AutopatchReadinessReport -ReferencePath (Join-Path $TestDrive 'nope.json') -DifferencePath $new } | Should -Throw -ExpectedMessage '*Report not found*'
    }
}

Describe 'JSON helpers' {
    It 'writes JSON string literals that parse back to the same text' {
        $text = "a `"quoted`" back\slash`ttab`r`nnew line $([char]1) $([char]0x00e9)"
        $literal = InModuleScope AutopatchReadiness -Parameters @{ Text = $text } -ScriptBlock {
            param($Text)
            ConvertTo-ApJsonString -Value $Text
        }
        ('{"v":' + $literal + '}' | ConvertFrom-Json).v | Should -BeExactly $text
        InModuleScope AutopatchReadiness -ScriptBlock { ConvertTo-ApJsonString -Value $null } | Should -Be 'null'
    }

    It 'keeps a one-element top-level array an array' {
        $path = Join-Path $TestDrive 'one.json'
        [System.IO.File]::WriteAllText($path, '[{"id":"only"}]')
        $count = InModuleScope AutopatchReadiness -Parameters @{ Path = $path } -ScriptBlock {
            param($Path)
            $value = Read-ApJsonFile -Path $Path
            $value -is [System.Array]
            @($value).Count
        }
        $count[0] | Should -BeTrue
        $count[1] | Should -Be 1
    }
}
