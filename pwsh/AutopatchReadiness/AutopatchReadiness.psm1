# AutopatchReadiness: collects Microsoft Graph and device evidence into a snapshot bundle and asks
# the apready engine for the verdict. This file only loads the functions; each lives in its own file.

$script:ApModuleRoot = $PSScriptRoot
$script:ApModuleVersion = '0.0.0'
$manifestPath = Join-Path $PSScriptRoot 'AutopatchReadiness.psd1'
if (Test-Path -LiteralPath $manifestPath) {
    $manifest = Import-PowerShellDataFile -Path $manifestPath
    $script:ApModuleVersion = [string]$manifest.ModuleVersion
}

foreach ($folder in @('Private', 'Public')) {
    $directory = Join-Path $PSScriptRoot $folder
    if (-not (Test-Path -LiteralPath $directory)) { continue }
    foreach ($file in @(Get-ChildItem -LiteralPath $directory -Filter '*.ps1' -File | Sort-Object -Property Name)) {
        . $file.FullName
    }
}

$publicFunctions = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1' -File | ForEach-Object { $_.BaseName })
Export-ModuleMember -Function $publicFunctions
