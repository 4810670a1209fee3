//! The JSON Schema of `apready.report/1` (docs/schema/apready.report-1.schema.json) holds for
//! the report of the sample tenant (both profiles, plain and redacted), the hostile names, and
//! every case under tests/cases/*/ (each case folder's inputs evaluated with its profile, as_of
//! and options; the case runner crate is not used).
//!
//! The schema lets consumers ignore fields added later; this test validates a strict copy with
//! `additionalProperties: false` on every object, so every field the tool writes is declared.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use apready_core::{Input, Options};
use common::*;
use serde_json::Value;

fn schema() -> Value {
    let path = root().join("docs/schema/apready.report-1.schema.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// Every object schema with `properties` (and no `additionalProperties` or
/// `unevaluatedProperties` of its own) gets `additionalProperties: false`.
fn strict(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let used_in_all_of = m.contains_key("unevaluatedProperties");
            if m.contains_key("properties")
                && !m.contains_key("additionalProperties")
                && !used_in_all_of
                && !m.contains_key("if")
            {
                m.insert("additionalProperties".into(), Value::Bool(false));
            }
            for (k, x) in m.iter_mut() {
                // Conditions describe part of an object; closing them would change their meaning.
                if k != "if" && k != "not" {
                    strict(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strict),
        _ => {}
    }
}

struct Check {
    validator: jsonschema::Validator,
    failures: Vec<String>,
    count: usize,
}

impl Check {
    fn new() -> Check {
        let mut s = schema();
        assert!(
            jsonschema::meta::is_valid(&s),
            "the schema is not a valid draft 2020-12 schema"
        );
        strict(&mut s);
        Check {
            validator: jsonschema::draft202012::new(&s).unwrap(),
            failures: Vec::new(),
            count: 0,
        }
    }

    fn report(&mut self, what: &str, json: &[u8]) {
        self.count += 1;
        let v: Value = match serde_json::from_slice(json) {
            Ok(v) => v,
            Err(e) => {
                self.failures.push(format!("{what}: not JSON: {e}"));
                return;
            }
        };
        for e in self.validator.iter_errors(&v).take(5) {
            self.failures
                .push(format!("{what}: {} at {}", e, e.instance_path()));
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} reports do not match the schema:\n{}",
            self.failures.len(),
            self.count,
            self.failures.join("\n")
        );
    }
}

#[test]
fn schema_file_is_valid_draft_2020_12() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(jsonschema::meta::is_valid(&s));
    // The enums say what checks.md says.
    assert_eq!(
        s["$defs"]["status"]["enum"],
        serde_json::json!([
            "ready",
            "advisory",
            "not_ready",
            "error",
            "not_evaluated",
            "not_applicable",
            "info"
        ])
    );
    assert_eq!(
        s["$defs"]["verdict"]["enum"],
        serde_json::json!(["ready", "advisory", "not_ready", "error"])
    );
    assert_eq!(
        s["$defs"]["reason"]["enum"],
        serde_json::json!([
            "missing_input",
            "beta_only_field",
            "truncated_input",
            "needs_device_evidence"
        ])
    );
}

#[test]
fn the_strict_schema_rejects_undeclared_fields_and_bad_values() {
    let c = Check::new();
    let good: Value = serde_json::from_slice(&render(&sample(), "json", None)).unwrap();
    assert!(c.validator.is_valid(&good));
    let mut extra = good.clone();
    extra["devices"]["items"][0]["bogus"] = Value::Bool(true);
    assert!(!c.validator.is_valid(&extra), "an undeclared field passes");
    let mut status = good.clone();
    status["checks"][0]["status"] = "fine".into();
    assert!(!c.validator.is_valid(&status), "an unknown status passes");
    let mut reason = good.clone();
    reason["checks"][0]["reason"] = "missing_input".into();
    assert!(
        !c.validator.is_valid(&reason),
        "a reason on a ready finding passes"
    );
    let mut missing = good;
    missing.as_object_mut().unwrap().remove("verdict");
    assert!(
        !c.validator.is_valid(&missing),
        "a report without a verdict passes"
    );
}

#[test]
fn sample_and_hostile_reports_match_the_schema() {
    let mut c = Check::new();
    let sample = load(&data("sample-tenant"));
    for p in apready_core::profile::ALL {
        let r = apready_core::evaluate(&sample, &options(p.id, AS_OF)).unwrap();
        c.report(
            &format!("sample-tenant ({})", p.id),
            &render(&r, "json", None),
        );
        c.report(
            &format!("sample-tenant ({}, redacted)", p.id),
            &render(&r, "json", Some(TEST_KEY)),
        );
    }
    let h = hostile();
    c.report("hostile-names", &render(&h, "json", None));
    c.report(
        "hostile-names (redacted)",
        &render(&h, "json", Some(TEST_KEY)),
    );
    // Nothing at all, and garbage.
    c.report("no inputs", &apready_core::check_json(&[], b"{}"));
    let junk = vec![Input {
        path: "junk.json".into(),
        bytes: b"{not json".to_vec(),
    }];
    c.report("junk", &apready_core::check_json(&junk, b"{}"));
    // The golden report too (what the repository shows).
    let golden = root().join("tests/golden/report.json");
    if let Ok(bytes) = std::fs::read(&golden) {
        c.report("tests/golden/report.json", &bytes);
    }
    if let Ok(bytes) = std::fs::read(root().join("tests/golden/report.redacted.json")) {
        c.report("tests/golden/report.redacted.json", &bytes);
    }
    c.finish();
}

fn push_file(path: String, file: &Path, out: &mut Vec<Input>) {
    out.push(Input {
        path,
        bytes: std::fs::read(file).unwrap(),
    });
}

/// A case's inputs, named as the case runner names them (tests/src/lib.rs).
fn case_inputs(dir: &Path, names: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for n in names {
        let p = dir.join(n);
        let inside = !n.split('/').any(|c| c == "..");
        if p.is_dir() {
            for i in load(&p) {
                let path = if inside {
                    format!("{}/{}", n.trim_end_matches('/'), i.path)
                } else {
                    i.path
                };
                out.push(Input { path, ..i });
            }
        } else if inside {
            push_file(n.clone(), &p, &mut out);
        } else {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            push_file(name, &p, &mut out);
        }
    }
    out
}

fn cases() -> Vec<PathBuf> {
    let dir = root().join("tests/cases");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    v.sort();
    v
}

#[test]
fn every_case_report_matches_the_schema() {
    let mut c = Check::new();
    let list = cases();
    for dir in &list {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(dir.join("case.toml")).unwrap();
        let case: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => panic!("{name}/case.toml: {e}"),
        };
        let get = |k: &str| case.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let inputs: Vec<String> = case
            .get("inputs")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let opts = Options {
            profile: get("profile"),
            as_of: get("as_of"),
            configmgr_version: get("configmgr_version"),
            sync_client_version: get("sync_client_version"),
            ..Default::default()
        };
        let files = case_inputs(dir, &inputs);
        match apready_core::evaluate(&files, &opts) {
            Ok(r) => {
                c.report(&name, &render(&r, "json", None));
                c.report(
                    &format!("{name} (redacted)"),
                    &render(&r, "json", Some(TEST_KEY)),
                );
            }
            Err(e) => c.failures.push(format!("{name}: usage error {}", e.0)),
        }
    }
    c.finish();
}
