//! Evaluates the whole sample tenant (tests/data/sample-tenant/*.json) and compares the report
//! with tests/data/sample-tenant/expected-2022-05.toml (derived from EXPECTED.md) and, under profile
//! `current`, with tests/data/sample-tenant/expected-current.toml (derived from EXPECTED.md and the
//! `current` rules; the reasons are comments in that file).

use apready_tests::{
    build_inputs, data_root, load_case_file, options_json, render_failures, run_case, Case,
};

fn expectations_file(file: &str) -> Case {
    let path = data_root().join("sample-tenant").join(file);
    match load_case_file(&path) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

fn expectations() -> Case {
    expectations_file("expected-2022-05.toml")
}

fn expectations_current() -> Case {
    expectations_file("expected-current.toml")
}

fn matches(case: &Case, what: &str) {
    let outcome = run_case(case);
    let failures = render_failures(std::slice::from_ref(&outcome));
    println!(
        "sample tenant ({}): {} mismatches",
        case.profile,
        outcome.mismatches.len()
    );
    assert!(
        outcome.passed(),
        "sample tenant differs from {what}:\n{failures}"
    );
}

#[test]
fn sample_tenant_matches_expected_md() {
    matches(&expectations(), "EXPECTED.md");
}

#[test]
fn sample_tenant_matches_expected_current() {
    let case = expectations_current();
    assert_eq!(case.profile, "current");
    matches(&case, "expected-current.toml");
}

fn report(case: &Case) -> serde_json::Value {
    let inputs = match build_inputs(case) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    let report = apready_core::check_json(&inputs, &options_json(case));
    match serde_json::from_slice(&report) {
        Ok(v) => v,
        Err(e) => panic!("report is not JSON: {e}"),
    }
}

fn lists_every_in_scope_device(case: &Case, file: &str) {
    let v = report(case);
    let items = v["devices"]["items"]
        .as_array()
        .map(|a| a.len())
        .unwrap_or(0);
    assert_eq!(
        items,
        case.expect.devices.len(),
        "profile {}: devices.items should hold exactly the {} in-scope devices of {file}",
        case.profile,
        case.expect.devices.len()
    );
}

#[test]
fn sample_tenant_lists_every_in_scope_device() {
    lists_every_in_scope_device(&expectations(), "EXPECTED.md");
}

#[test]
fn sample_tenant_current_lists_every_in_scope_device() {
    lists_every_in_scope_device(&expectations_current(), "expected-current.toml");
}

/// Both expectation files describe the same tenant: same inputs, same as_of, same devices.
#[test]
fn sample_tenant_expectations_describe_the_same_tenant() {
    let old = expectations();
    let cur = expectations_current();
    assert_eq!(old.inputs, cur.inputs);
    assert_eq!(old.as_of, cur.as_of);
    assert_eq!(old.expect.device_count, cur.expect.device_count);
    assert_eq!(old.expect.out_of_scope, cur.expect.out_of_scope);
    let a: Vec<&String> = old.expect.devices.keys().collect();
    let b: Vec<&String> = cur.expect.devices.keys().collect();
    assert_eq!(a, b, "the two expectation files list different devices");
}

/// The acceptance example of issue 9: a corporate Windows Pro laptop (CPH-LT-1024, skuNumber 48) is
/// not ready under 2022-05 (Enterprise only) and ready under current — in the engine's reports, not
/// only in the expectation files.
#[test]
fn pro_device_is_not_ready_in_2022_05_and_ready_in_current() {
    let find = |v: &serde_json::Value, name: &str| -> (String, String) {
        let items = v["devices"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let Some(d) = items.iter().find(|d| d["name"] == name) else {
            panic!("{name} is not in the report");
        };
        let dev004 = d["findings"]
            .as_array()
            .and_then(|f| f.iter().find(|x| x["id"] == "DEV-004"))
            .and_then(|x| x["status"].as_str())
            .unwrap_or("(none)")
            .to_string();
        (d["verdict"].as_str().unwrap_or("").to_string(), dev004)
    };
    let old_case = expectations();
    let mut cur_case = old_case.clone();
    cur_case.profile = "current".to_string();
    let old = report(&old_case);
    let cur = report(&cur_case);
    assert_eq!(old["profile"], "2022-05", "the report states its profile");
    assert_eq!(cur["profile"], "current", "the report states its profile");
    let (v_old, f_old) = find(&old, "CPH-LT-1024");
    let (v_cur, f_cur) = find(&cur, "CPH-LT-1024");
    assert_eq!(
        (v_old.as_str(), f_old.as_str()),
        ("not_ready", "not_ready"),
        "2022-05"
    );
    assert_eq!(
        (v_cur.as_str(), f_cur.as_str()),
        ("ready", "ready"),
        "current"
    );
}

fn report_is_deterministic(case: &Case) {
    let inputs = match build_inputs(case) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    let opts = options_json(case);
    let first = apready_core::check_json(&inputs, &opts);
    let second = apready_core::check_json(&inputs, &opts);
    assert!(
        first == second,
        "profile {}: two runs on the same inputs gave different reports",
        case.profile
    );
    let mut reversed: Vec<apready_core::Input> = Vec::new();
    for i in inputs.iter().rev() {
        reversed.push(apready_core::Input {
            path: i.path.clone(),
            bytes: i.bytes.clone(),
        });
    }
    let third = apready_core::check_json(&reversed, &opts);
    assert!(
        first == third,
        "profile {}: the report depends on the order of the input files",
        case.profile
    );
}

/// The report is a pure function of the inputs: the same inputs give the same bytes, whatever the
/// order the files were handed over in (a browser drop or a folder walk may order them differently).
#[test]
fn sample_tenant_report_is_deterministic() {
    report_is_deterministic(&expectations());
}

/// The same under profile `current` (built from the 2022-05 expectations: same inputs, same as_of).
#[test]
fn sample_tenant_current_report_is_deterministic() {
    let mut case = expectations();
    case.profile = "current".to_string();
    report_is_deterministic(&case);
}
