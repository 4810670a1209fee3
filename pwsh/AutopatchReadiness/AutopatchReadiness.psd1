@{
    RootModule           = 'AutopatchReadiness.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0c7f2e-6a51-4d8e-9a3c-2f4e8d1b7c60'
    Author               = 'apready contributors'
    CompanyName          = 'apready'
    Copyright            = '(c) apready contributors. MIT License.'
    Description          = 'Windows Autopatch readiness: collects Microsoft Graph and device evidence (read-only) into a snapshot bundle and evaluates it with the apready engine.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # Microsoft.Graph.Authentication is needed only by the collecting cmdlets, and is checked when
    # they run (with an install hint), so device checks and report comparisons work without it.
    RequiredModules      = @()
    FormatsToProcess     = @('AutopatchReadiness.format.ps1xml')
    FunctionsToExport    = @(
        'Compare-AutopatchReadinessReport'
        'Export-AutopatchReadinessSnapshot'
        'Get-AutopatchReadinessRule'
        'Test-AutopatchDeviceReadiness'
        'Test-AutopatchReadiness'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags                       = @('Autopatch', 'Intune', 'WindowsUpdate', 'Readiness', 'MicrosoftGraph', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows')
            LicenseUri                 = 'https://example.invalid/apready/LICENSE'
            ProjectUri                 = 'https://example.invalid/apready'
        }
    }
}
