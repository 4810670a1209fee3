//! DEV-012 — no stale duplicate (dual-state) Entra record for the machine (profile `current`).

use super::RuleDoc;
use crate::engine::{Cx, Dev};
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-012",
    title: "No stale duplicate Entra ID record (dual state)",
    scope: "device",
    what: "The machine has one Entra ID device record: no second record with the same display name that is only Entra registered (trustType Workplace) next to its joined or hybrid-joined record.",
    why: "A hybrid-joined device that also keeps an old Entra registered record (dual state) fails the Intune or Cloud-Attached registration check.",
    evidence: "devices: displayName, deviceId, trustType (records joined on displayName — a heuristic, names are not unique)",
    fix: "Delete the stale Entra registered record (Entra admin center → Devices), and block Entra registration on hybrid-joined devices (registry BlockAADWorkplaceJoin).",
    source: "Register devices (2022-06-30 onward)",
    profiles: &["current"],
};

fn is_workplace(t: Option<&str>) -> bool {
    t.is_some_and(|t| t.eq_ignore_ascii_case("Workplace"))
}

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(e) = d.entra else {
        if let Some(f) = cx.unusable(
            DOC.id,
            crate::model::Resource::Devices,
            "Entra ID records cannot be checked",
        ) {
            return f;
        }
        return Finding::not_applicable(DOC.id, "no Entra ID record (see DEV-006)");
    };
    let Some(name) = e.name.text() else {
        return Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            "the devices export has no displayName",
        );
    };
    let own = e.device_id.text();
    let others: Vec<_> = cx
        .entra_by_name
        .get(&crate::util::Caseless::new(name))
        .map(|v| v.iter().filter(|x| x.device_id.text() != own).collect())
        .unwrap_or_default();
    let stale: Vec<_> = others
        .iter()
        .filter(|x| is_workplace(x.trust_type.text()))
        .collect();
    let own_workplace = is_workplace(e.trust_type.text());
    let joined_other = others.iter().any(|x| !is_workplace(x.trust_type.text()));
    let ev_of = |x: &crate::model::EntraDevice| {
        Evidence::new("devices")
            .id(x.device_id.text().unwrap_or(""))
            .name(x.name.text().unwrap_or(""))
            .field("trustType")
            .value(x.trust_type.text().unwrap_or("?").to_string())
            .at_src(x.src)
    };
    if own_workplace && joined_other {
        return Finding::not_ready(DOC.id, "the Intune record points at a stale Entra registered record while a joined record exists for the same machine")
            .with(ev_of(e))
            .with_all(others.iter().map(|x| ev_of(x)));
    }
    if !stale.is_empty() && !own_workplace {
        return Finding::not_ready(
            DOC.id,
            format!(
                "dual state: {} stale Entra registered record(s) share this device's name",
                stale.len()
            ),
        )
        .with(ev_of(e))
        .with_all(stale.iter().map(|x| ev_of(x)));
    }
    Finding::ready(DOC.id, "one Entra ID record for this machine").with(ev_of(e))
}
