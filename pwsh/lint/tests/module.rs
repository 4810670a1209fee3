//! The real module: every PowerShell file under pwsh/ parses, and the module passes every check.

use std::collections::BTreeSet;
use std::path::PathBuf;

use apready_pwsh_lint::{
    functions, lint_module, manifest_exports, powershell_files, syntax_problems,
};

fn pwsh_dir() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let manifest_dir = manifest_dir.canonicalize().unwrap_or(manifest_dir);
    manifest_dir
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or(manifest_dir)
}

fn module_dir() -> PathBuf {
    pwsh_dir().join("AutopatchReadiness")
}

fn read(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path);
    assert!(
        text.is_ok(),
        "cannot read {}: {:?}",
        path.display(),
        text.as_ref().err()
    );
    text.unwrap_or_default()
}

#[test]
fn every_powershell_file_under_pwsh_parses_without_error_or_missing_nodes() {
    let files = powershell_files(&pwsh_dir());
    assert!(
        files.len() >= 10,
        "expected the module's files under {}, found {files:?}",
        pwsh_dir().display()
    );
    let mut problems = Vec::new();
    for file in &files {
        let name = file
            .strip_prefix(pwsh_dir())
            .unwrap_or(file)
            .display()
            .to_string();
        problems.extend(
            syntax_problems(&name, &read(file))
                .into_iter()
                .map(|p| p.to_string()),
        );
    }
    assert!(
        problems.is_empty(),
        "syntax problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_module_passes_every_check() {
    let problems: Vec<String> = lint_module(&module_dir())
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert!(
        problems.is_empty(),
        "lint problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_manifest_exports_exactly_the_contract_cmdlets() {
    let manifest = read(&module_dir().join("AutopatchReadiness.psd1"));
    let exports: BTreeSet<String> = manifest_exports(&manifest)
        .unwrap_or_default()
        .into_iter()
        .collect();
    let contract: BTreeSet<String> = [
        "Export-AutopatchReadinessSnapshot",
        "Test-AutopatchReadiness",
        "Test-AutopatchDeviceReadiness",
        "Get-AutopatchReadinessRule",
        "Compare-AutopatchReadinessReport",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(exports, contract);

    let mut defined = BTreeSet::new();
    for file in powershell_files(&module_dir().join("Public")) {
        for def in functions(&read(&file)).unwrap_or_default() {
            if def.top_level {
                defined.insert(def.name);
            }
        }
    }
    assert_eq!(defined, contract);
}

#[test]
fn pester_tests_and_their_workflow_exist() {
    let tests: Vec<PathBuf> = powershell_files(&module_dir().join("Tests"))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".Tests.ps1"))
        .collect();
    assert!(tests.len() >= 3, "Pester test files: {tests:?}");
    let workflow = pwsh_dir()
        .join("..")
        .join(".github")
        .join("workflows")
        .join("pester.yml");
    let text = read(&workflow);
    assert!(text.contains("windows-latest"));
    assert!(
        text.contains("pwsh") && text.contains("powershell"),
        "the workflow runs both shells"
    );
    assert!(text.contains("Invoke-Pester"));
}
