//! DEV-007 — the device's primary user holds an entitling license.

use super::shared::{md_evidence, user_entitlement, user_label, Entitlement};
use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev, RState};
use crate::input::lenient::F;
use crate::model::Resource;
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-007",
    title: "Primary user holds an entitling license",
    scope: "device",
    what: "The device's primary user (managedDevices.userId) is in the users export and holds an entitling license with the Windows Enterprise plan enabled. A device without a primary user (shared) is advisory.",
    why: "Windows Autopatch is licensed per user: the Windows Enterprise E3+ entitlement must be assigned to the device's users.",
    evidence: "managedDevices: userId, userPrincipalName; users: assignedLicenses / licenseAssignmentStates",
    fix: "Assign an entitling license (Microsoft 365 E3/E5, Windows Enterprise E3/E5) to the user named in the evidence, or set the right primary user in Intune.",
    source: "Prerequisites › Licensing (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(m) = d.md else {
        return super::dev_001_missing(DOC.id, d);
    };
    let md_ev = || md_evidence(cx, m, "userId");
    let uid: &str = match &m.user_id {
        F::Val(v) if !crate::util::is_nil_guid(v) => v,
        F::Val(_) | F::Null => {
            return Finding::advisory(DOC.id, "no primary user (shared device): licensing cannot be tied to a user")
                .with(md_ev().value("(none)"))
                .fix("Shared devices need every signed-in user licensed; set a primary user if the device has one.")
        }
        F::Bad(b) => return Finding::error(DOC.id, format!("userId is unusable: {}", b.describe())).with(md_ev()),
        F::Absent => return Finding::not_evaluated(DOC.id, Reason::MissingInput, "the export has no userId").with(md_ev().note("add userId to $select")),
    };
    let ev = || md_ev().value(uid.to_string());
    if let Some(f) = cx.unusable(
        DOC.id,
        Resource::Users,
        "the primary user's license cannot be checked",
    ) {
        return f.with(ev());
    }
    let Some(u) = cx.users.get(uid) else {
        let (reason, why) = match cx.state(Resource::Users) {
            RState::Truncated { .. } => (
                Reason::TruncatedInput,
                "the users export stops early and does not contain the primary user",
            ),
            _ => (
                Reason::MissingInput,
                "the primary user is not in the users export",
            ),
        };
        return Finding::not_evaluated(DOC.id, reason, why)
            .with(ev().note(m.upn.text().unwrap_or("").to_string()));
    };
    let entitlement = user_entitlement(cx, u);
    // Status first (`Cx::quiet`): a ready finding that will not be listed needs no text.
    if cx.quiet()
        && matches!(
            entitlement,
            Entitlement::Entitled {
                autopatch_plan_disabled: false,
                ..
            }
        )
    {
        return Finding::ready(DOC.id, "");
    }
    let uev = Evidence::new("users")
        .id(uid)
        .name(user_label(u))
        .field("assignedLicenses")
        .at_src(u.src);
    match entitlement {
        Entitlement::Entitled {
            sku,
            autopatch_plan_disabled: false,
        } => Finding::ready(
            DOC.id,
            format!("primary user {} holds {sku}", user_label(u)),
        )
        .with(uev.value(sku.to_string())),
        Entitlement::Entitled {
            sku,
            autopatch_plan_disabled: true,
        } => Finding::advisory(
            DOC.id,
            format!(
                "primary user {} holds {sku}, but the Windows Autopatch service plan is disabled",
                user_label(u)
            ),
        )
        .with(uev.value(sku.to_string()))
        .fix("Enable the Windows Autopatch service plan in the user's license assignment."),
        Entitlement::NotEntitled(why) => Finding::not_ready(
            DOC.id,
            format!(
                "primary user {} holds no entitling license ({why})",
                user_label(u)
            ),
        )
        .with(ev())
        .with(uev.value(why.to_string()).required("an entitling license")),
        Entitlement::Unknown(why) if why.starts_with("the users export has no") => {
            Finding::not_evaluated(DOC.id, Reason::MissingInput, why.to_string()).with(uev)
        }
        Entitlement::Unknown(why) => Finding::error(
            DOC.id,
            format!("the user's license data is unusable: {why}"),
        )
        .with(uev),
    }
}
