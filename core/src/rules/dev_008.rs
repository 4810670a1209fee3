//! DEV-008 — the device is connected to the internet.

use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev};
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-008",
    title: "Connected to the internet",
    scope: "device",
    what: "At least one probed endpoint was reached end to end (DNS, TCP 443, TLS 1.2) from the device.",
    why: "Devices must be connected to the internet.",
    evidence: "device evidence: endpoint probes (Test-AutopatchDeviceReadiness)",
    fix: "Connect the device to a network with internet access (check proxy settings: netsh winhttp show proxy).",
    source: "Prerequisites › Device management (2022-05-30)",
    profiles: SEED,
};

pub fn check(_cx: &Cx, d: &Dev) -> Finding {
    let Some(l) = d.local else {
        return Finding::not_evaluated(
            DOC.id,
            Reason::NeedsDeviceEvidence,
            "not checked — no device evidence (run Test-AutopatchDeviceReadiness on the device)",
        );
    };
    let all = super::dev_009::all_results(l);
    if all.is_empty() {
        return Finding::not_evaluated(
            DOC.id,
            Reason::NeedsDeviceEvidence,
            "the device evidence has no endpoint probes (collected with -SkipNetwork?)",
        );
    }
    let ok: Vec<&String> = all
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|(h, _)| h)
        .collect();
    let ev = Evidence::new("deviceEvidence")
        .name(d.name)
        .field("probes")
        .at_src(l.src);
    if ok.is_empty() {
        return Finding::not_ready(
            DOC.id,
            format!("none of the {} probed endpoints was reached", all.len()),
        )
        .with(ev.value("0 reached").required("at least one"));
    }
    Finding::ready(
        DOC.id,
        format!("{} of {} probed endpoints reached", ok.len(), all.len()),
    )
    .with(ev.value(format!("{} reached", ok.len())))
}
