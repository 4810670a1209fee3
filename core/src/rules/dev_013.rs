//! DEV-013 — Entra joined or hybrid joined, not merely registered (profile `current`).

use super::RuleDoc;
use crate::engine::{Cx, Dev};
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-013",
    title: "Entra joined or hybrid joined",
    scope: "device",
    what: "The device is Microsoft Entra joined (trustType AzureAd) or hybrid joined (ServerAd), not only Entra registered (Workplace); from the Entra record, else Graph beta joinType, else dsregcmd /status.",
    why: "Windows Autopatch registers devices that are Entra joined or hybrid joined; registered (BYOD-style) devices are not supported.",
    evidence: "devices: trustType; managedDevices (beta): joinType; dsregcmd: AzureAdJoined, DomainJoined, WorkplaceJoined",
    fix: "Join the device to Microsoft Entra ID (Settings → Accounts → Access work or school → Join this device to Microsoft Entra ID) or complete hybrid join through Entra Connect.",
    source: "Register devices (2022-05-31 onward)",
    profiles: &["current"],
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    if let Some(e) = d.entra {
        if let Some(t) = e.trust_type.text() {
            let ev = Evidence::new("devices")
                .id(e.device_id.text().unwrap_or(""))
                .name(e.name.text().unwrap_or(""))
                .field("trustType")
                .value(t.to_string())
                .required("AzureAd or ServerAd")
                .at_src(e.src);
            return if t.eq_ignore_ascii_case("AzureAd") {
                Finding::ready(DOC.id, "Entra joined").with(ev)
            } else if t.eq_ignore_ascii_case("ServerAd") {
                Finding::ready(DOC.id, "hybrid joined").with(ev)
            } else if t.eq_ignore_ascii_case("Workplace") {
                Finding::not_ready(DOC.id, "only Entra registered (Workplace), not joined").with(ev)
            } else {
                Finding::advisory(DOC.id, format!("unrecognised trustType \"{t}\"")).with(ev)
            };
        }
    }
    if let Some(m) = d.md {
        if let Some(j) = m.join_type.text() {
            let ev = super::shared::md_evidence(cx, m, "joinType (beta)").value(j.to_string());
            let l = j.to_ascii_lowercase();
            return match l.as_str() {
                "azureadjoined" => Finding::ready(DOC.id, "Entra joined").with(ev),
                "hybridazureadjoined" => Finding::ready(DOC.id, "hybrid joined").with(ev),
                "azureadregistered" => {
                    Finding::not_ready(DOC.id, "only Entra registered, not joined").with(ev)
                }
                "unknown" => Finding::not_evaluated(
                    DOC.id,
                    Reason::MissingInput,
                    "Intune reports the join type as unknown",
                )
                .with(ev),
                _ => Finding::advisory(DOC.id, format!("unrecognised joinType \"{j}\"")).with(ev),
            };
        }
    }
    if let Some(ds) = d.local.and_then(|l| l.dsreg.as_ref()) {
        let ev = Evidence::new("deviceEvidence")
            .name(d.name)
            .field("dsregcmd AzureAdJoined, DomainJoined, WorkplaceJoined");
        return match (ds.azure_ad_joined, ds.domain_joined) {
            (Some(true), Some(true)) => {
                Finding::ready(DOC.id, "hybrid joined").with(ev.value("YES, YES"))
            }
            (Some(true), _) => Finding::ready(DOC.id, "Entra joined").with(ev.value("YES")),
            (Some(false), Some(true)) => {
                Finding::not_ready(DOC.id, "domain joined only: hybrid join is not complete")
                    .with(ev.value("NO, YES"))
            }
            (Some(false), _) if ds.workplace_joined == Some(true) => Finding::not_ready(
                DOC.id,
                "only Entra registered (WorkplaceJoined), not joined",
            )
            .with(ev.value("NO")),
            (Some(false), _) => {
                Finding::not_ready(DOC.id, "not joined to Microsoft Entra ID").with(ev.value("NO"))
            }
            _ => Finding::not_evaluated(
                DOC.id,
                Reason::MissingInput,
                "dsregcmd output has no join state",
            )
            .with(ev),
        };
    }
    if let Some(f) = cx.unusable(
        DOC.id,
        crate::model::Resource::Devices,
        "the join state cannot be checked",
    ) {
        return f;
    }
    Finding::not_evaluated(
        DOC.id,
        Reason::MissingInput,
        "no Entra ID record, beta joinType or dsregcmd output for this device",
    )
}
