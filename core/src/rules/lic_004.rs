//! LIC-004 — Microsoft Intune is licensed.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::report::Finding;

pub const DOC: RuleDoc = RuleDoc {
    id: "LIC-004",
    title: "Microsoft Intune is licensed",
    scope: "tenant",
    what: "An active SKU carries an enabled Microsoft Intune service plan (matched by service-plan GUID).",
    why: "Windows Autopatch manages devices through Intune; the page requires Microsoft Intune.",
    evidence: "subscribedSkus: servicePlans[].servicePlanId, provisioningStatus; capabilityStatus",
    fix: "Subscribe to Microsoft Intune (included in Microsoft 365 E3/E5 and EMS E3/E5) and make sure its service plan is provisioned.",
    source: "Prerequisites › Licensing (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    super::shared_plan::check(cx, DOC.id, &["intune"], "a Microsoft Intune service plan")
}
