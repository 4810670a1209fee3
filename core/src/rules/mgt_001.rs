//! MGT-001 — Intune is the MDM authority, or co-management is turned on.

use super::{RuleDoc, SEED};
use crate::engine::{Cx, RState};
use crate::input::lenient::F;
use crate::model::Resource;
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "MGT-001",
    title: "Intune is the MDM authority, or co-management is on",
    scope: "tenant",
    what: "organization.mobileDeviceManagementAuthority is intune, or at least one in-scope device is co-managed (managementAgent configurationManagerClientMdm or configurationManagerClientMdmEas).",
    why: "Windows Autopatch devices must be managed by Microsoft Intune: Intune must be the MDM authority, or co-management must be turned on and enabled on the target devices.",
    evidence: "organization: mobileDeviceManagementAuthority; managedDevices: managementAgent",
    fix: "Set Intune as the MDM authority (Intune admin center → Tenant administration), or enable co-management in Configuration Manager (Administration → Cloud Services → Co-management).",
    source: "Prerequisites › Device management (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    let org = cx.org.as_ref();
    let co: Vec<_> = cx.co_managed().take(3).collect();
    let auth_ev = org.map(|o| {
        Evidence::new("organization")
            .id(o.id.text().unwrap_or(""))
            .field("mobileDeviceManagementAuthority")
            .at_src(o.src)
    });
    if let Some(o) = org {
        if let F::Val(a) = &o.mdm_authority {
            if a.eq_ignore_ascii_case("intune") {
                return Finding::ready(DOC.id, "Intune is the MDM authority").with(
                    auth_ev
                        .unwrap_or_else(|| Evidence::new("organization"))
                        .value(a.to_string()),
                );
            }
        }
    }
    if !co.is_empty() {
        let names: Vec<String> = co.iter().map(|d| super::shared::dev_label(d)).collect();
        let n = cx.co_managed().count();
        let mut f = Finding::ready(
            DOC.id,
            format!("co-management is on ({n} co-managed device(s))"),
        )
        .with(
            Evidence::new("managedDevices")
                .field("managementAgent")
                .value("configurationManagerClientMdm")
                .note(format!("e.g. {}", names.join(", "))),
        );
        if let Some(e) = auth_ev {
            if let Some(a) = org.and_then(|o| o.mdm_authority.str()) {
                f = f.with(e.value(a.to_string()));
            }
        }
        return f;
    }
    let Some(o) = org else {
        if let Some(f) = cx.unusable(
            DOC.id,
            Resource::Organization,
            "the MDM authority cannot be checked",
        ) {
            return f;
        }
        return Finding::not_evaluated(DOC.id, Reason::MissingInput, "no organization record");
    };
    let ev = auth_ev.unwrap_or_else(|| Evidence::new("organization"));
    let devices_state = cx.state(Resource::ManagedDevices);
    match &o.mdm_authority {
        F::Val(a) => {
            let known = ["sccm", "office365", "unknown"].iter().any(|k| a.eq_ignore_ascii_case(k));
            if !known {
                return Finding::advisory(DOC.id, format!("unrecognised MDM authority value \"{a}\" and no co-managed device")).with(ev.value(a.to_string()));
            }
            if let RState::Truncated { .. } = devices_state {
                return Finding::not_evaluated(DOC.id, Reason::TruncatedInput, format!("MDM authority is {a} and the managedDevices export stops early, so co-managed devices may be missing"))
                    .with(ev.value(a.to_string()));
            }
            if devices_state == RState::Missing {
                return Finding::not_evaluated(DOC.id, Reason::MissingInput, format!("MDM authority is {a}; without the managedDevices export co-management cannot be seen"))
                    .with(ev.value(a.to_string()));
            }
            Finding::not_ready(DOC.id, format!("the MDM authority is {a} and no in-scope device is co-managed"))
                .with(ev.value(a.to_string()).required("intune, or co-managed devices"))
        }
        F::Bad(b) => Finding::error(DOC.id, format!("mobileDeviceManagementAuthority is unusable: {}", b.describe())).with(ev),
        _ => Finding::not_evaluated(DOC.id, Reason::MissingInput, "the MDM authority was not supplied and no device is co-managed")
            .with(ev.note("GET https://graph.microsoft.com/v1.0/organization/{id}?$select=mobileDeviceManagementAuthority (DeviceManagementServiceConfig.Read.All)")),
    }
}
