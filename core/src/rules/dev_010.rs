//! DEV-010 — serial number, model and manufacturer are present (profile `current`).

use super::shared::md_evidence;
use super::RuleDoc;
use crate::engine::{Cx, Dev};
use crate::input::lenient::F;
use crate::report::Finding;
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-010",
    title: "Serial number, model and manufacturer present",
    scope: "device",
    what: "The Intune record carries a serial number, a model and a manufacturer.",
    why: "Since the 2022-06-30 revision, devices without a serial number, model or manufacturer (emulators, some virtual machines) fail the registration prerequisite check.",
    evidence: "managedDevices: serialNumber, model, manufacturer",
    fix: "Make sure the hardware reports its identity (BIOS/UEFI serial number, SMBIOS model and manufacturer) and that the device has synced with Intune since; virtual machines need a unique serial number.",
    source: "Prerequisites (2022-06-30 onward); Register devices",
    profiles: &["current"],
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(m) = d.md else {
        return super::dev_001_missing(DOC.id, d);
    };
    let fields = [
        ("serialNumber", m.serial.as_str_f()),
        ("model", m.model.as_str_f()),
        ("manufacturer", m.manufacturer.as_str_f()),
    ];
    let mut missing = Vec::new();
    let mut absent = Vec::new();
    let mut ev = Vec::new();
    for (name, f) in fields {
        match f {
            F::Val(v) if !v.trim().is_empty() => {
                ev.push(md_evidence(cx, m, name).value(v.to_string()))
            }
            F::Absent => absent.push(name),
            F::Bad(b) => {
                return Finding::error(DOC.id, format!("{name} is unusable: {}", b.describe()))
                    .with(md_evidence(cx, m, name))
            }
            _ => {
                missing.push(name);
                ev.push(
                    md_evidence(cx, m, name)
                        .value("(empty)")
                        .required("present"),
                );
            }
        }
    }
    if !missing.is_empty() {
        return Finding::not_ready(DOC.id, format!("missing {}", missing.join(", "))).with_all(ev);
    }
    if !absent.is_empty() {
        return Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            format!("the export has no {}", absent.join(", ")),
        )
        .with_all(ev)
        .with(
            crate::report::Evidence::new("managedDevices")
                .note("add serialNumber,model,manufacturer to $select"),
        );
    }
    Finding::ready(DOC.id, "serial number, model and manufacturer are present").with_all(ev)
}
