//! `apready diff` through `command()`: exit 0 when nothing changed, 1 when something changed
//! (or the reports cannot be compared), 64 on bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apready_core::command;
use common::*;
use serde_json::{json, Value};

fn report_at(profile: &str, as_of: &str, key: Option<&str>) -> String {
    let r =
        apready_core::evaluate(&load(&data("sample-tenant")), &options(profile, as_of)).unwrap();
    String::from_utf8(render(&r, "json", key)).unwrap()
}

fn diff(old: &str, new: &str, format: &str) -> apready_core::Outcome {
    command(
        serde_json::to_string(&json!({"op": "diff", "old": old, "new": new, "format": format}))
            .unwrap()
            .as_bytes(),
    )
}

#[test]
fn the_same_report_has_no_changes() {
    let a = report_at(PROFILE, AS_OF, None);
    let o = diff(&a, &a, "text");
    assert_eq!(o.exit_code, 0);
    assert!(String::from_utf8(o.output).unwrap().contains("No changes."));
    // A later as_of alone, with nothing else different, is not a change.
    let v: Value = serde_json::from_slice(&diff(&a, &a, "json").output).unwrap();
    assert_eq!(v["schema"], "apready.diff/1");
    assert_eq!(v["changed"], false);
    assert_eq!(v["comparable"], true);
}

#[test]
fn a_month_later_devices_fall_out_of_the_window() {
    let a = report_at(PROFILE, AS_OF, None);
    let b = report_at(PROFILE, "2022-07-15T00:00:00Z", None);
    let o = diff(&a, &b, "json");
    assert_eq!(o.exit_code, 1);
    let v: Value = serde_json::from_slice(&o.output).unwrap();
    assert_eq!(v["changed"], true);
    let changed = v["devices"]["changed"].as_array().unwrap();
    assert!(!changed.is_empty());
    // A device that was ready a month ago and has not synced since is now not ready (DEV-003).
    assert!(changed.iter().any(|d| d["old_verdict"] == "ready"
        && d["new_verdict"] == "not_ready"
        && d["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "DEV-003" && f["new"]["status"] == "not_ready")));
    assert!(v["devices"]["added"].as_array().unwrap().is_empty());

    let text = String::from_utf8(diff(&a, &b, "text").output).unwrap();
    assert!(text.contains("Devices changed ("), "{text}");
    assert!(text.contains("DEV-003 ready → not_ready"), "{text}");
    let md = String::from_utf8(diff(&a, &b, "md").output).unwrap();
    assert!(md.starts_with("# Windows Autopatch readiness: what changed"));
    assert!(md.contains("## Devices changed ("));
}

#[test]
fn redacted_reports_diff_under_the_same_key() {
    let a = report_at(PROFILE, AS_OF, Some(TEST_KEY));
    let b = report_at(PROFILE, "2022-07-15T00:00:00Z", Some(TEST_KEY));
    let v: Value = serde_json::from_slice(&diff(&a, &b, "json").output).unwrap();
    assert_eq!(v["comparable"], true);
    assert!(!v["devices"]["changed"].as_array().unwrap().is_empty());
    assert!(v["devices"]["added"].as_array().unwrap().is_empty());
    // Under another key the pseudonyms differ: said so, not listed as added and removed.
    let c = report_at(PROFILE, AS_OF, Some("another key"));
    let o = diff(&a, &c, "json");
    assert_eq!(o.exit_code, 1);
    let v: Value = serde_json::from_slice(&o.output).unwrap();
    assert_eq!(v["comparable"], false);
    assert!(v["devices"]["removed"].as_array().unwrap().is_empty());
    assert!(v["notes"][0].as_str().unwrap().contains("different keys"));
    // One redacted, one not: the same.
    let plain = report_at(PROFILE, AS_OF, None);
    let v: Value = serde_json::from_slice(&diff(&plain, &a, "json").output).unwrap();
    assert_eq!(v["comparable"], false);
}

#[test]
fn different_profiles_say_so() {
    let a = report_at(PROFILE, AS_OF, None);
    let Some(other) = apready_core::profile::ALL.iter().find(|p| p.id != PROFILE) else {
        // Only one profile exists: simulate a second by renaming it.
        let mut v: Value = serde_json::from_str(&a).unwrap();
        v["profile"] = "current".into();
        let b = v.to_string();
        let o = diff(&a, &b, "text");
        assert_eq!(o.exit_code, 1);
        assert!(String::from_utf8(o.output)
            .unwrap()
            .contains("different profiles"));
        return;
    };
    let b = report_at(other.id, AS_OF, None);
    let o = diff(&a, &b, "json");
    assert_eq!(o.exit_code, 1);
    let v: Value = serde_json::from_slice(&o.output).unwrap();
    assert_eq!(v["comparable"], false);
    assert!(v["notes"][0]
        .as_str()
        .unwrap()
        .contains("different profiles"));
    assert!(v["checks"].as_array().unwrap().is_empty());
    assert!(v["devices"]["changed"].as_array().unwrap().is_empty());
    let text = String::from_utf8(diff(&a, &b, "text").output).unwrap();
    assert!(
        text.contains("note: the reports use different profiles"),
        "{text}"
    );
}

#[test]
fn bad_input_is_a_usage_error() {
    let a = report_at(PROFILE, AS_OF, None);
    for (old, new) in [
        ("not json", a.as_str()),
        (a.as_str(), "{}"),
        (
            a.as_str(),
            r#"{"schema":"apready.usage-error/1","error":"x"}"#,
        ),
        (a.as_str(), r#"{"schema":"apready.report/1"}"#),
    ] {
        assert_eq!(diff(old, new, "text").exit_code, 64, "{new:.60}");
    }
    assert_eq!(diff(&a, &a, "html").exit_code, 64);
    assert_eq!(command(br#"{"op":"diff","old":"{}"}"#).exit_code, 64);
}

#[test]
fn markdown_diff_escapes_names() {
    let r = hostile();
    let a = String::from_utf8(render(&r, "json", None)).unwrap();
    let later = apready_core::evaluate(
        &load(&data("hostile-names")),
        &options(PROFILE, "2022-08-01T00:00:00Z"),
    )
    .unwrap();
    let b = String::from_utf8(render(&later, "json", None)).unwrap();
    let o = diff(&a, &b, "md");
    assert_eq!(o.exit_code, 1);
    let md = String::from_utf8(o.output).unwrap();
    assert!(!md.contains("<script") && !md.contains("<img"), "{md}");
}
