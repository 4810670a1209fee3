//! CM-002 — ConfigMgr is cloud-attached and co-managing devices.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::model::Resource;
use crate::report::{Evidence, Finding};

pub const DOC: RuleDoc = RuleDoc {
    id: "CM-002",
    title: "Configuration Manager is cloud-attached (co-management)",
    scope: "tenant",
    what: "Where Configuration Manager clients exist, some in-scope devices are co-managed (managementAgent configurationManagerClientMdm / configurationManagerClientMdmEas), which shows ConfigMgr is internet-connected and cloud-attached.",
    why: "The page requires ConfigMgr to be connected to the internet, cloud-attached with Intune and co-managed.",
    evidence: "managedDevices: managementAgent",
    fix: "Enable co-management (ConfigMgr console → Administration → Cloud Services → Co-management) and tenant attach, and target the devices you plan to register.",
    source: "Prerequisites › Co-management requirements (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    if let Some(f) = cx.unusable(
        DOC.id,
        Resource::ManagedDevices,
        "co-management cannot be seen",
    ) {
        return f;
    }
    let co = cx.co_managed().count();
    let only = cx.configmgr_only().count();
    let ev = Evidence::new("managedDevices")
        .field("managementAgent")
        .value(format!("{co} co-managed, {only} ConfigMgr-only"));
    if co > 0 {
        return Finding::ready(DOC.id, format!("{co} in-scope device(s) are co-managed")).with(ev);
    }
    if only > 0 {
        return Finding::advisory(DOC.id, format!("{only} device(s) are managed by Configuration Manager only and none is co-managed: ConfigMgr is not cloud-attached for them"))
            .with(ev.required("co-managed devices"));
    }
    Finding::not_applicable(DOC.id, "no Configuration Manager client in the tenant")
}
