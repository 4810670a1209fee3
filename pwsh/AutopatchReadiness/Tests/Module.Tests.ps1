# The module as a whole: manifest, exports, help, formats.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $global:ApContractCommands = @(
        'Compare-AutopatchReadinessReport'
        'Export-AutopatchReadinessSnapshot'
        'Get-AutopatchReadinessRule'
        'Test-AutopatchDeviceReadiness'
        'Test-AutopatchReadiness'
    )
}

Describe 'AutopatchReadiness module' {
    It 'has a valid manifest for Windows PowerShell 5.1 and PowerShell 7' {
        $manifest = Test-ModuleManifest -Path (Join-Path (Split-Path -Parent $PSScriptRoot) 'AutopatchReadiness.psd1')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.CompatiblePSEditions | Should -Contain 'Desktop'
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'exports exactly the cmdlets of the contract' {
        $exported = @((Get-Module -Name 'AutopatchReadiness').ExportedFunctions.Keys | Sort-Object)
        ($exported -join ',') | Should -Be (($global:ApContractCommands | Sort-Object) -join ',')
        @((Get-Module -Name 'AutopatchReadiness').ExportedAliases.Keys).Count | Should -Be 0
    }

    It 'keeps its helpers private' {
        Get-Command -Name 'Invoke-ApEngine' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Command -Name 'Get-ApProperty' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'documents <_> with a synopsis, a description, every parameter and an example' -ForEach @(
        'Compare-AutopatchReadinessReport'
        'Export-AutopatchReadinessSnapshot'
        'Get-AutopatchReadinessRule'
        'Test-AutopatchDeviceReadiness'
        'Test-AutopatchReadiness'
    ) {
        $commandName = $_
        $help = Get-Help -Name $commandName -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$commandName*"
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        $common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
        $command = Get-Command -Name $commandName
        foreach ($parameter in $command.Parameters.Keys) {
            if ($common -contains $parameter) { continue }
            $documented = @($help.Parameters.Parameter | Where-Object { $_.Name -eq $parameter })
            $documented.Count | Should -Be 1 -Because "-$parameter needs help"
            ($documented[0].Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'loads table views for its object types' {
        foreach ($typeName in @('AutopatchReadiness.Finding', 'AutopatchReadiness.Summary', 'AutopatchReadiness.Rule', 'AutopatchReadiness.Change', 'AutopatchReadiness.Snapshot')) {
            Get-FormatData -TypeName $typeName | Should -Not -BeNullOrEmpty -Because "$typeName has a view"
        }
    }

    It 'never calls exit or Write-Host in module code' {
        $moduleRoot = Split-Path -Parent $PSScriptRoot
        $testsFolder = Join-Path $moduleRoot 'Tests'
        $files = @(Get-ChildItem -Path $moduleRoot -Recurse -Include '*.ps1', '*.psm1' | Where-Object { -not $_.FullName.StartsWith($testsFolder) })
        $files.Count | Should -BeGreaterThan 5
        foreach ($file in $files) {
            $tokens = $null
            $parseErrors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$parseErrors)
            @($parseErrors).Count | Should -Be 0 -Because $file.Name
            $exits = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.ExitStatementAst] }, $true)
            @($exits).Count | Should -Be 0 -Because "$($file.Name) must not exit"
            $hosts = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'Write-Host' }, $true)
            @($hosts).Count | Should -Be 0 -Because "$($file.Name) must not use Write-Host"
        }
    }
}
