//! DEV-015 — diagnostic data at least Required (profile `current`).

use super::RuleDoc;
use crate::engine::{Cx, Dev};
use crate::report::{Evidence, Finding};

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-015",
    title: "Diagnostic data at least Required",
    scope: "device",
    what: "The AllowTelemetry policy (HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection) is not 0 (Security / off); 1 Required, 2 Enhanced and 3 Optional pass. With no policy value the device uses its default, which is at least Required. An unreadable value is advisory.",
    why: "Since 2024-09, Autopatch deployment protections and driver updates need at least the Required diagnostic data level.",
    evidence: "device evidence: registry AllowTelemetry (location community-sourced; value meanings per the Windows policy documentation)",
    fix: "Set the diagnostic data policy to Required or higher (Intune settings catalog: System → Allow Telemetry, or the Group Policy 'Allow Diagnostic Data').",
    source: "Prerequisites › Diagnostic data (2024-09-16)",
    profiles: &["current"],
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let l = match super::shared::device_registry(cx, d, DOC.id) {
        Ok(l) => l,
        Err(f) => return f,
    };
    let ev = Evidence::new("deviceEvidence")
        .name(d.name)
        .field("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection\\AllowTelemetry")
        .required("1 (Required) or higher")
        .at_src(l.src);
    if let Some(err) = l
        .reg_entry("DataCollection", "AllowTelemetry")
        .and_then(|r| r.error.text())
    {
        return Finding::advisory(
            DOC.id,
            format!(
                "the diagnostic data policy could not be read: {}",
                crate::util::clip(err, 120)
            ),
        )
        .with(ev.value("(unreadable)"));
    }
    let Some(r) = l.reg("DataCollection", "AllowTelemetry") else {
        return Finding::ready(
            DOC.id,
            "no diagnostic data policy: the device default is at least Required",
        )
        .with(ev.value("(not set)"));
    };
    match r.number.val() {
        Some(0) => Finding::not_ready(
            DOC.id,
            "diagnostic data is off (AllowTelemetry 0, Security level)",
        )
        .with(ev.value("0")),
        Some(n) if (1..=3).contains(n) => {
            Finding::ready(DOC.id, format!("diagnostic data level {n}"))
                .with(ev.value(n.to_string()))
        }
        _ => Finding::advisory(
            DOC.id,
            format!(
                "unrecognised AllowTelemetry value \"{}\"",
                r.value.str().unwrap_or("?")
            ),
        )
        .with(ev.value(r.value.str().unwrap_or("?").to_string())),
    }
}
