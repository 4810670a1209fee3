//! LIC-003 — Entra ID (Azure AD) Premium P1 or P2 is licensed.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::report::Finding;

pub const DOC: RuleDoc = RuleDoc {
    id: "LIC-003",
    title: "Azure AD (Entra ID) Premium is licensed",
    scope: "tenant",
    what: "An active SKU carries an enabled Entra ID P1 or P2 service plan (matched by service-plan GUID).",
    why: "Windows Autopatch requires Azure Active Directory Premium in addition to the Windows license.",
    evidence: "subscribedSkus: servicePlans[].servicePlanId, provisioningStatus; capabilityStatus",
    fix: "Subscribe to Microsoft Entra ID P1 or P2 (included in Microsoft 365 E3/E5 and EMS E3/E5) and make sure its service plan is provisioned.",
    source: "Prerequisites › Licensing (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    super::shared_plan::check(
        cx,
        DOC.id,
        &["entra-id-p1", "entra-id-p2"],
        "an Entra ID P1 or P2 service plan",
    )
}
