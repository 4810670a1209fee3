//! The page's view of a report (`report::view`) is the report with each device's findings
//! reduced to the non-ready ones as `{id, status, message}`, field for field; `device_json`
//! gives one device exactly as the full report lists it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apready_core::report::view::{device_json, view_json};
use common::*;
use serde_json::{json, Value};

#[test]
fn the_view_is_the_report_with_brief_device_findings() {
    for profile in ["2022-05", "current"] {
        let report =
            apready_core::evaluate(&load(&data("sample-tenant")), &options(profile, AS_OF))
                .unwrap();
        let mut full: Value = serde_json::from_slice(&report.to_json()).unwrap();
        let view: Value = serde_json::from_slice(&view_json(&report)).unwrap();
        let items = full["devices"]["items"].as_array_mut().unwrap();
        assert!(!items.is_empty());
        for (i, d) in items.iter_mut().enumerate() {
            let one: Value = serde_json::from_slice(&device_json(&report, i).unwrap()).unwrap();
            assert_eq!(&one, d, "device {i}");
            let briefs: Vec<Value> = d["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["status"] != "ready")
                .map(|f| json!({"id": f["id"], "status": f["status"], "message": f["message"]}))
                .collect();
            *d = json!({"index": i, "id": d["id"], "name": d["name"], "verdict": d["verdict"], "findings": briefs});
        }
        let n = items.len();
        assert_eq!(view, full, "{profile}");
        assert!(device_json(&report, n).is_none());
    }
}
