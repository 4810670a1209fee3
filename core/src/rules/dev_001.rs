//! DEV-001 — the device is managed by Intune (MDM enrolled or co-managed).

use super::shared::md_evidence;
use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev};
use crate::input::lenient::F;
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-001",
    title: "Managed by Intune (enrolled or co-managed)",
    scope: "device",
    what: "managementAgent is mdm, easMdm, configurationManagerClientMdm, configurationManagerClientMdmEas or microsoft365ManagedMdm. ConfigMgr-only (configurationManagerClient), EAS-only, the legacy PC agent, Defender-only (msSense), Jamf and unknown agents fail; so does an active Windows device known to Entra ID with no Intune record.",
    why: "Windows Autopatch devices must be managed by Microsoft Intune; devices managed only by Configuration Manager are not supported.",
    evidence: "managedDevices: managementAgent; devices (Entra-only records signed in within 28 days)",
    fix: "Enroll the device in Intune (automatic MDM enrollment via Entra join / hybrid join, or co-management from ConfigMgr).",
    source: "Prerequisites › Device management (2022-05-30)",
    profiles: SEED,
};

const READY: &[&str] = &[
    "mdm",
    "easMdm",
    "configurationManagerClientMdm",
    "configurationManagerClientMdmEas",
    "microsoft365ManagedMdm",
];
const NOT_READY: &[&str] = &[
    "configurationManagerClient",
    "eas",
    "intuneClient",
    "easIntuneClient",
    "msSense",
    "jamf",
    "unknown",
];

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(m) = d.md else {
        if let Some(e) = d.entra {
            return Finding::not_ready(
                DOC.id,
                "known to Entra ID and active, but has no Intune record: it cannot register",
            )
            .with(
                Evidence::new("devices")
                    .id(e.device_id.text().unwrap_or(""))
                    .name(e.name.text().unwrap_or(""))
                    .field("deviceId")
                    .value("no managedDevices record with this azureADDeviceId")
                    .required("enrolled in Intune")
                    .at_src(e.src),
            );
        }
        return Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            "no Intune record was supplied for this device",
        )
        .with(
            Evidence::new("managedDevices")
                .note(crate::model::Resource::ManagedDevices.how_to_export()),
        );
    };
    if cx.quiet() {
        if let F::Val(a) = &m.agent {
            if READY.iter().any(|r| r.eq_ignore_ascii_case(a)) {
                return Finding::ready(DOC.id, "");
            }
        }
    }
    let ev = md_evidence(cx, m, "managementAgent");
    match &m.agent {
        F::Val(a) => {
            let ev = ev.value(a.to_string());
            if READY.iter().any(|r| r.eq_ignore_ascii_case(a)) {
                Finding::ready(DOC.id, format!("managed by Intune ({a})")).with(ev)
            } else if NOT_READY.iter().any(|r| r.eq_ignore_ascii_case(a)) {
                let why = if a.eq_ignore_ascii_case("configurationManagerClient") {
                    "managed by Configuration Manager only (not co-managed)".to_string()
                } else {
                    format!("not managed by Intune MDM (managementAgent {a})")
                };
                Finding::not_ready(DOC.id, why).with(ev.required("mdm or co-managed"))
            } else {
                Finding::advisory(DOC.id, format!("unrecognised management agent \"{a}\""))
                    .with(ev.required("mdm or co-managed"))
            }
        }
        F::Bad(b) => Finding::error(
            DOC.id,
            format!("managementAgent is unusable: {}", b.describe()),
        )
        .with(ev),
        _ => Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            "the export has no managementAgent for this device",
        )
        .with(ev.note("add managementAgent to $select")),
    }
}
