//! DEV-002 — the device is corporate-owned.

use super::shared::md_evidence;
use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev};
use crate::input::lenient::F;
use crate::report::Finding;
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-002",
    title: "Corporate-owned",
    scope: "device",
    what: "managedDeviceOwnerType is company; personal (BYOD) fails, unknown is advisory.",
    why: "Windows bring-your-own devices are blocked during device registration prerequisite checks.",
    evidence: "managedDevices: managedDeviceOwnerType",
    fix: "If the device belongs to the organisation, change its ownership to Corporate in Intune (Devices → the device → Properties → Device ownership), or enroll it as corporate (Autopilot, device enrollment manager, corporate identifiers).",
    source: "Prerequisites › Device management (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(m) = d.md else {
        return super::dev_001_missing(DOC.id, d);
    };
    if cx.quiet()
        && m.owner_type
            .str()
            .is_some_and(|v| v.eq_ignore_ascii_case("company"))
    {
        return Finding::ready(DOC.id, "");
    }
    let ev = md_evidence(cx, m, "managedDeviceOwnerType");
    match &m.owner_type {
        F::Val(v) if v.eq_ignore_ascii_case("company") => {
            Finding::ready(DOC.id, "corporate-owned").with(ev.value(v.to_string()))
        }
        F::Val(v) if v.eq_ignore_ascii_case("personal") => {
            Finding::not_ready(DOC.id, "personal (BYOD) device: Autopatch blocks it")
                .with(ev.value(v.to_string()).required("company"))
        }
        F::Val(v) if v.eq_ignore_ascii_case("unknown") => {
            Finding::advisory(DOC.id, "ownership is unknown: set it to Corporate")
                .with(ev.value(v.to_string()).required("company"))
        }
        F::Val(v) => Finding::advisory(DOC.id, format!("unrecognised ownership value \"{v}\""))
            .with(ev.value(v.to_string()).required("company")),
        F::Bad(b) => Finding::error(
            DOC.id,
            format!("managedDeviceOwnerType is unusable: {}", b.describe()),
        )
        .with(ev),
        _ => Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            "the export has no managedDeviceOwnerType for this device",
        )
        .with(ev),
    }
}
