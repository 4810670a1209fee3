//! The page's view of a report (`report::view`) is the report with each device's findings
//! reduced to the non-ready ones as `{id, status, message}`, field for field, split into a
//! head (`devices.listed` in place of `devices.items`) and the device rows read in slices;
//! `device_json` gives one device exactly as the full report lists it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apready_core::report::view::{device_json, view_head_json, view_items_json};
use common::*;
use serde_json::{json, Value};

#[test]
fn the_view_is_the_report_with_brief_device_findings() {
    for profile in ["2022-05", "current"] {
        let report =
            apready_core::evaluate(&load(&data("sample-tenant")), &options(profile, AS_OF))
                .unwrap();
        let mut full: Value = serde_json::from_slice(&report.to_json()).unwrap();
        let mut view: Value = serde_json::from_slice(&view_head_json(&report)).unwrap();
        let listed = view["devices"]["listed"].as_u64().unwrap() as usize;
        // The rows in slices of 7 (the last one short), then past the end: nothing.
        let mut rows = Vec::new();
        for start in (0..listed).step_by(7) {
            let slice: Value = serde_json::from_slice(&view_items_json(&report, start, 7)).unwrap();
            let slice = slice.as_array().unwrap();
            assert_eq!(slice.len(), 7.min(listed - start));
            rows.extend(slice.iter().cloned());
        }
        for start in [listed, listed + 1, usize::MAX] {
            assert_eq!(view_items_json(&report, start, 7), b"[]", "{start}");
        }
        assert_eq!(view_items_json(&report, 0, 0), b"[]");
        let devices = view["devices"].as_object_mut().unwrap();
        devices.remove("listed");
        devices.insert("items".into(), Value::Array(rows));
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
        assert_eq!(listed, n);
        assert_eq!(view, full, "{profile}");
        assert!(device_json(&report, n).is_none());
    }
}
