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
    if cx.quiet() {
        if let F::Val(v) = &m.user_id {
            let ready = !crate::util::is_nil_guid(v)
                && cx.unusable(DOC.id, Resource::Users, "").is_none()
                && cx.users.get(&**v).is_some_and(|u| {
                    matches!(
                        user_entitlement(cx, u),
                        Entitlement::Entitled {
                            autopatch_plan_disabled: false,
                            ..
                        }
                    )
                });
            if ready {
                return Finding::ready(DOC.id, "");
            }
        }
    }
    let ev = md_evidence(cx, m, "userId");
    let uid = match &m.user_id {
        F::Val(v) if !crate::util::is_nil_guid(v) => v.to_string(),
        F::Val(_) | F::Null => {
            return Finding::advisory(DOC.id, "no primary user (shared device): licensing cannot be tied to a user")
                .with(ev.value("(none)"))
                .fix("Shared devices need every signed-in user licensed; set a primary user if the device has one.")
        }
        F::Bad(b) => return Finding::error(DOC.id, format!("userId is unusable: {}", b.describe())).with(ev),
        F::Absent => return Finding::not_evaluated(DOC.id, Reason::MissingInput, "the export has no userId").with(ev.note("add userId to $select")),
    };
    let ev = ev.value(uid.clone());
    if let Some(f) = cx.unusable(
        DOC.id,
        Resource::Users,
        "the primary user's license cannot be checked",
    ) {
        return f.with(ev);
    }
    let Some(u) = cx.users.get(uid.as_str()) else {
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
            .with(ev.note(m.upn.text().unwrap_or("").to_string()));
    };
    let uev = Evidence::new("users")
        .id(uid.clone())
        .name(user_label(u))
        .field("assignedLicenses")
        .at_src(u.src);
    match user_entitlement(cx, u) {
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
        .with(ev)
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
