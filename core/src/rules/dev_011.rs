//! DEV-011 — no other device shares the serial number (profile `current`).

use super::shared::md_evidence;
use super::RuleDoc;
use crate::engine::{Cx, Dev, RState};
use crate::model::Resource;
use crate::report::Finding;
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-011",
    title: "Serial number is unique",
    scope: "device",
    what: "No other in-scope Intune record has the same serial number (compared trimmed and case-insensitively).",
    why: "Devices with duplicated serial numbers fail Windows Autopatch registration.",
    evidence: "managedDevices: serialNumber, over every in-scope Windows record",
    fix: "Retire stale Intune records of re-enrolled devices; give cloned virtual machines unique serial numbers.",
    source: "Register devices (2022-06-30 onward)",
    profiles: &["current"],
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(m) = d.md else {
        return super::dev_001_missing(DOC.id, d);
    };
    let Some(sn) = m.serial.text() else {
        return Finding::not_applicable(DOC.id, "no serial number (see DEV-010)");
    };
    let n = cx
        .serials
        .get(&crate::util::Caseless::new(sn))
        .copied()
        .unwrap_or(1);
    let ev = md_evidence(cx, m, "serialNumber").value(sn.to_string());
    if n > 1 {
        let same_entra = if d.duplicates > 0 {
            " (the same Entra device has several Intune records: see DEV-006)"
        } else {
            ""
        };
        return Finding::not_ready(
            DOC.id,
            format!("{n} Intune records share serial number {sn}{same_entra}"),
        )
        .with(ev.required("unique"));
    }
    if let RState::Truncated { .. } = cx.state(Resource::ManagedDevices) {
        return Finding::not_evaluated(
            DOC.id,
            Reason::TruncatedInput,
            "unique among the records seen, but the managedDevices export stops early",
        )
        .with(ev);
    }
    Finding::ready(DOC.id, "no other device has this serial number").with(ev)
}
