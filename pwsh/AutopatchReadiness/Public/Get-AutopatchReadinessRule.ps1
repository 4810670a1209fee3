function Get-AutopatchReadinessRule {
    <#
    .SYNOPSIS
    Lists the Windows Autopatch readiness checks the engine applies.

    .DESCRIPTION
    Get-AutopatchReadinessRule asks the apready engine for its catalogue (apready rules) and returns
    one AutopatchReadiness.Rule per check: its stable ID, scope (tenant or device), title, what it
    checks, why it matters, the evidence it reads, how to fix a failure and the source of the
    requirement, with the engine's full definition in the Definition property. -Id filters by
    check ID and accepts wildcards.

    .PARAMETER Id
    Check IDs to return, such as LIC-001 or DEV-*. All checks when omitted.

    .PARAMETER Profile
    The requirements profile (2022-05 or current). The engine's default applies when omitted.

    .EXAMPLE
    Get-AutopatchReadinessRule

    Lists every check of the default profile.

    .EXAMPLE
    Get-AutopatchReadinessRule -Id DEV-* -Profile 2022-05 | Format-List Id, Title, Description, Remediation

    Shows the device checks of the 2022-05 profile with their documentation.

    .OUTPUTS
    AutopatchReadiness.Rule

    .LINK
    Test-AutopatchReadiness
    #>
    [CmdletBinding()]
    [OutputType('AutopatchReadiness.Rule')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string[]]$Id,

        [string]$Profile
    )

    $catalog = Get-ApEngineCatalog -Profile $Profile
    $catalogProfile = Get-ApProperty $catalog 'profile'
    if ($null -ne $catalogProfile -and $catalogProfile -isnot [string]) {
        $catalogProfile = Get-ApProperty $catalogProfile @('id', 'name')
    }
    $found = New-Object System.Collections.Generic.List[string]

    foreach ($rule in @(Get-ApCatalogRule -Catalog $catalog)) {
        $ruleId = [string](Get-ApProperty $rule @('id', 'check_id'))
        if ($Id) {
            $matched = $false
            foreach ($pattern in $Id) {
                if ($ruleId -like $pattern) {
                    $matched = $true
                    $found.Add($pattern)
                }
            }
            if (-not $matched) { continue }
        }
        $ruleProfile = Get-ApProperty $rule 'profile'
        if ($null -eq $ruleProfile) { $ruleProfile = $catalogProfile }
        [pscustomobject]@{
            PSTypeName  = 'AutopatchReadiness.Rule'
            Id          = $ruleId
            Scope       = Get-ApProperty $rule 'scope'
            Title       = Get-ApProperty $rule @('title', 'name', 'requirement', 'summary')
            Profile     = $ruleProfile
            Description = Get-ApProperty $rule @('what', 'description', 'doc')
            Why         = Get-ApProperty $rule 'why'
            Evidence    = Get-ApProperty $rule 'evidence'
            Remediation = Get-ApProperty $rule @('fix', 'remediation', 'how_to_fix')
            Source      = Get-ApProperty $rule 'source'
            Profiles    = @(Get-ApProperty $rule 'profiles')
            Definition  = $rule
        }
    }

    foreach ($pattern in @($Id)) {
        if (-not $pattern) { continue }
        if (-not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern) -and -not $found.Contains($pattern)) {
            Write-Error -Message ('No readiness check has the ID {0}.' -f $pattern) -Category ObjectNotFound -ErrorId 'AutopatchReadiness.RuleNotFound' -TargetObject $pattern
        }
    }
}
