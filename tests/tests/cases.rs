//! Runs every case folder under `tests/cases/` against apready-core and reports all failures
//! together. `APREADY_CASE=<substring>` limits the run to matching case names.

use std::collections::{BTreeMap, BTreeSet};

use apready_tests::{
    case_dirs, cases_root, load_case_dir, render_failures, run_case_dir, summary_line,
    DEVICE_CHECKS, TENANT_CHECKS,
};

/// Device checks that exist only in profile `current` (checks.md, "Profile current").
const CURRENT_ONLY_CHECKS: &[&str] = &[
    "DEV-010", "DEV-011", "DEV-012", "DEV-013", "DEV-014", "DEV-015",
];

#[test]
fn every_case_matches_the_catalogue() {
    let root = cases_root();
    let dirs = match case_dirs(&root) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let filter = std::env::var("APREADY_CASE").ok().filter(|f| !f.is_empty());
    let selected: Vec<_> = dirs
        .iter()
        .filter(|d| match &filter {
            Some(f) => d
                .file_name()
                .map(|n| n.to_string_lossy().contains(f.as_str()))
                .unwrap_or(false),
            None => true,
        })
        .collect();
    assert!(
        !selected.is_empty(),
        "no case folder found under {} (filter {:?})",
        root.display(),
        filter
    );
    let outcomes: Vec<_> = selected.iter().map(|d| run_case_dir(d)).collect();
    let failures = render_failures(&outcomes);
    if !failures.is_empty() {
        eprintln!("{failures}");
    }
    let line = summary_line("cases", &outcomes);
    println!("{line}");
    eprintln!("{line}");
    assert!(outcomes.iter().all(|o| o.passed()), "{line}\n{failures}");
}

/// Every check of the 2022-05 catalogue has at least one case expecting `ready`, one expecting
/// `not_ready`, and one expecting `not_evaluated` or `error` — except where the catalogue has no
/// such outcome (listed below with the reason).
#[test]
fn every_check_has_ready_not_ready_and_not_evaluated_cases() {
    // (check, outcome class) pairs the catalogue cannot produce:
    let impossible: &[(&str, &str)] = &[
        ("INP-001", "not_ready"), // ready or error only
        ("IDN-001", "not_ready"), // ready or advisory ("the sync looks stalled"); never not_ready
        ("PRV-001", "ready"),     // always info
        ("PRV-001", "not_ready"),
        ("PRV-001", "not_evaluated/error"),
        ("CM-002", "not_ready"), // ready, advisory (ConfigMgr-only) or not_applicable; never not_ready
    ];
    let dirs = match case_dirs(&cases_root()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let mut seen: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    let mut broken = Vec::new();
    for d in &dirs {
        let case = match load_case_dir(d) {
            Ok(c) => c,
            Err(e) => {
                broken.push(e);
                continue;
            }
        };
        let mut note = |id: &str, status: &str| {
            let class = match status {
                "ready" => "ready",
                "not_ready" => "not_ready",
                "not_evaluated" | "error" => "not_evaluated/error",
                _ => return,
            };
            seen.entry(id.to_string()).or_default().insert(class);
        };
        for (id, e) in &case.expect.checks {
            note(id, &e.status);
        }
        for dev in case.expect.devices.values() {
            for (id, e) in &dev.findings {
                note(id, &e.status);
            }
        }
    }
    assert!(broken.is_empty(), "malformed cases:\n{}", broken.join("\n"));
    let mut missing = Vec::new();
    for id in TENANT_CHECKS.iter().chain(DEVICE_CHECKS.iter()) {
        for class in ["ready", "not_ready", "not_evaluated/error"] {
            if impossible.contains(&(*id, class)) {
                continue;
            }
            if !seen.get(*id).map(|s| s.contains(class)).unwrap_or(false) {
                missing.push(format!("{id}: no case expects {class}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "catalogue coverage gaps:\n{}",
        missing.join("\n")
    );
}

/// Every check that exists only in profile `current` has, among the cases run with profile `current`,
/// at least one expecting `ready`, one expecting `not_ready` and one expecting `not_evaluated` or
/// `error`; and no case of another profile expects one of them to be anything but `not_applicable`
/// (the rule does not run there).
#[test]
fn every_current_only_check_has_ready_not_ready_and_not_evaluated_cases() {
    let dirs = match case_dirs(&cases_root()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let mut seen: BTreeMap<&str, BTreeSet<&'static str>> = BTreeMap::new();
    let mut broken = Vec::new();
    let mut misplaced = Vec::new();
    for d in &dirs {
        let case = match load_case_dir(d) {
            Ok(c) => c,
            Err(e) => {
                broken.push(e);
                continue;
            }
        };
        for dev in case.expect.devices.values() {
            for (id, e) in &dev.findings {
                let Some(known) = CURRENT_ONLY_CHECKS.iter().find(|c| **c == id.as_str()) else {
                    continue;
                };
                if case.profile != "current" {
                    if e.status != "not_applicable" {
                        misplaced.push(format!(
                            "{}: {id} expected under profile {}",
                            case.name, case.profile
                        ));
                    }
                    continue;
                }
                let class = match e.status.as_str() {
                    "ready" => "ready",
                    "not_ready" => "not_ready",
                    "not_evaluated" | "error" => "not_evaluated/error",
                    _ => continue,
                };
                seen.entry(known).or_default().insert(class);
            }
        }
    }
    assert!(broken.is_empty(), "malformed cases:\n{}", broken.join("\n"));
    assert!(misplaced.is_empty(), "{}", misplaced.join("\n"));
    let mut missing = Vec::new();
    for id in CURRENT_ONLY_CHECKS {
        for class in ["ready", "not_ready", "not_evaluated/error"] {
            if !seen.get(id).is_some_and(|s| s.contains(class)) {
                missing.push(format!("{id}: no profile-current case expects {class}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "coverage gaps of profile current:\n{}",
        missing.join("\n")
    );
}
