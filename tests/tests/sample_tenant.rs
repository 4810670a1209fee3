//! Evaluates the whole sample tenant (tests/data/sample-tenant/*.json) and compares the report
//! with tests/data/sample-tenant/expected-2022-05.toml, derived from EXPECTED.md.

use apready_tests::{
    build_inputs, data_root, load_case_file, options_json, render_failures, run_case,
};

fn expectations() -> apready_tests::Case {
    let file = data_root()
        .join("sample-tenant")
        .join("expected-2022-05.toml");
    match load_case_file(&file) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn sample_tenant_matches_expected_md() {
    let case = expectations();
    let outcome = run_case(&case);
    let failures = render_failures(std::slice::from_ref(&outcome));
    println!("sample tenant: {} mismatches", outcome.mismatches.len());
    assert!(
        outcome.passed(),
        "sample tenant differs from EXPECTED.md:\n{failures}"
    );
}

#[test]
fn sample_tenant_lists_every_in_scope_device() {
    let case = expectations();
    let inputs = match build_inputs(&case) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    let report = apready_core::check_json(&inputs, &options_json(&case));
    let v: serde_json::Value = match serde_json::from_slice(&report) {
        Ok(v) => v,
        Err(e) => panic!("report is not JSON: {e}"),
    };
    let items = v["devices"]["items"]
        .as_array()
        .map(|a| a.len())
        .unwrap_or(0);
    assert_eq!(
        items,
        case.expect.devices.len(),
        "devices.items should hold exactly the {} in-scope devices of EXPECTED.md",
        case.expect.devices.len()
    );
}

/// The report is a pure function of the inputs: the same inputs give the same bytes, whatever the
/// order the files were handed over in (a browser drop or a folder walk may order them differently).
#[test]
fn sample_tenant_report_is_deterministic() {
    let case = expectations();
    let inputs = match build_inputs(&case) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    let opts = options_json(&case);
    let first = apready_core::check_json(&inputs, &opts);
    let second = apready_core::check_json(&inputs, &opts);
    assert!(
        first == second,
        "two runs on the same inputs gave different reports"
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
        "the report depends on the order of the input files"
    );
}
