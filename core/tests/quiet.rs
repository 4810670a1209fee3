//! The status-first protocol (`Cx::quiet`): when a report lists only the device findings that
//! need attention, rules may skip building text for the others and are run again when their
//! finding is listed. This proves it never changes a report: for every case folder and the
//! sample, under both profiles, the `failing` report equals the `all` report with the device
//! findings that do not need attention left out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apready_core::Loader;
use common::*;
use serde_json::Value;

fn report(l: &mut Loader, profile: &str, detail: &str) -> Value {
    let opts = format!(
        r#"{{"profile":"{profile}","as_of":"{AS_OF}","format":"json","device_findings":"{detail}"}}"#
    );
    serde_json::from_slice(&l.run(opts.as_bytes()).output).unwrap()
}

fn needs_attention(f: &Value) -> bool {
    match f["status"].as_str().unwrap() {
        "not_ready" | "error" | "advisory" => true,
        "not_evaluated" => f["reason"].as_str() != Some("needs_device_evidence"),
        _ => false,
    }
}

#[test]
fn failing_detail_is_the_full_report_filtered() {
    let (mut compared, mut listed, mut dropped) = (0, 0usize, 0usize);
    for dir in all_folders() {
        let inputs = load(&dir);
        let mut l = Loader::new();
        for i in &inputs {
            l.add(&i.path, &i.bytes);
        }
        for profile in ["2022-05", "current"] {
            let mut all = report(&mut l, profile, "all");
            let failing = report(&mut l, profile, "failing");
            all["devices"]["detail"] = Value::from("failing");
            for item in all["devices"]["items"].as_array_mut().unwrap() {
                let fs = item["findings"].as_array_mut().unwrap();
                let before = fs.len();
                fs.retain(needs_attention);
                listed += fs.len();
                dropped += before - fs.len();
            }
            assert!(
                all == failing,
                "{} ({profile}): the failing-detail report differs from the full one filtered",
                dir.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 300, "only {compared} reports compared");
    assert!(
        listed > 500 && dropped > 2000,
        "{listed} listed, {dropped} dropped"
    );
    println!(
        "quiet: {compared} reports equal; {listed} device findings listed, {dropped} left out"
    );
}
