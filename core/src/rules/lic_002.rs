//! LIC-002 — the entitlement is assigned to the users of the devices.

use super::shared::{list_first, smallest_first, user_entitlement, user_label, Entitlement};
use super::{RuleDoc, SEED};
use crate::engine::{Cx, RState};
use crate::model::Resource;
use crate::model::User;
use crate::report::{Evidence, Finding};
use crate::status::Reason;
use std::rc::Rc;

pub const DOC: RuleDoc = RuleDoc {
    id: "LIC-002",
    title: "Device users hold an entitling license",
    scope: "tenant",
    what: "Every primary user of an in-scope device holds an entitling license whose Windows Enterprise service plan is not disabled.",
    why: "Windows Autopatch requires Windows Enterprise E3 or higher to be assigned to your users (user-based licensing).",
    evidence: "users: assignedLicenses or licenseAssignmentStates (state Active/ActiveWithError), disabledPlans; managedDevices: userId",
    fix: "Assign Microsoft 365 E3/E5 or Windows Enterprise E3/E5 to the users listed (directly or through a licensing group) and make sure the Windows Enterprise service plan is not disabled.",
    source: "Prerequisites › Licensing (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    if let Some(f) = cx.unusable(
        DOC.id,
        Resource::ManagedDevices,
        "the users of the devices cannot all be known",
    ) {
        return f;
    }
    if let Some(f) = cx.unusable(DOC.id, Resource::Users, "user licenses cannot be checked") {
        return f;
    }
    // Distinct users of in-scope Intune devices, with their device counts.
    // Devices per primary user. Hashed, not ordered: only the heads of the lists below are
    // shown, and they are put in user-id order on their own.
    let mut users: crate::util::Map<&str, u32> = crate::util::map(cx.devices.len());
    for d in &cx.devices {
        if let Some(uid) = d.md.and_then(|m| m.user_id.text()) {
            *users.entry(uid).or_insert(0) += 1;
        }
    }
    if users.is_empty() {
        return Finding::not_applicable(DOC.id, "no in-scope device has a primary user");
    }
    let mut entitled = 0usize;
    let mut missing: Vec<&str> = Vec::new();
    let mut unlicensed: Vec<(&str, &User, u32, Rc<str>)> = Vec::new();
    let mut plan_off: Vec<(&str, &User)> = Vec::new();
    let mut errors: Vec<(&str, &User, Rc<str>)> = Vec::new();
    for (&uid, &n) in &users {
        match cx.users.get(uid) {
            None => missing.push(uid),
            Some(u) => match user_entitlement(cx, u) {
                Entitlement::Entitled {
                    autopatch_plan_disabled,
                    ..
                } => {
                    entitled += 1;
                    if autopatch_plan_disabled {
                        plan_off.push((uid, u));
                    }
                }
                Entitlement::NotEntitled(why) => unlicensed.push((uid, u, n, why)),
                Entitlement::Unknown(why) => errors.push((uid, u, why)),
            },
        }
    }
    let total = users.len();
    const SHOWN: usize = 50;
    const NAMED: usize = 5;
    smallest_first(&mut unlicensed, SHOWN, |x| x.0);
    smallest_first(&mut missing, NAMED, |x| *x);
    smallest_first(&mut plan_off, NAMED, |x| x.0);
    errors.sort_unstable_by_key(|x| x.0);
    let missing_named: Vec<String> = missing.iter().take(NAMED).map(|m| m.to_string()).collect();
    let missing_list = list_first(&missing_named, missing.len(), NAMED);
    let errors: Vec<Evidence> = errors
        .into_iter()
        .map(|(uid, u, why)| {
            Evidence::new("users")
                .id(uid)
                .name(user_label(u))
                .field("assignedLicenses")
                .at_src(u.src)
                .note(why.to_string())
        })
        .collect();
    let mut ev: Vec<Evidence> = unlicensed
        .iter()
        .take(SHOWN)
        .map(|(_, u, n, why)| {
            Evidence::new("users")
                .name(user_label(u))
                .field("assignedLicenses")
                .value(why.to_string())
                .required("an entitling license")
                .note(format!("primary user of {n} device(s)"))
        })
        .collect();
    if !errors.is_empty() {
        return Finding::error(
            DOC.id,
            format!("{} user record(s) have unusable license data", errors.len()),
        )
        .with_all(errors);
    }
    if entitled == 0 && unlicensed.is_empty() {
        let reason = if matches!(cx.state(Resource::Users), RState::Truncated { .. }) {
            Reason::TruncatedInput
        } else {
            Reason::MissingInput
        };
        return Finding::not_evaluated(
            DOC.id,
            reason,
            format!("none of the {total} device user(s) is in the users export"),
        )
        .with(Evidence::new("users").note(format!("missing: {missing_list}")));
    }
    if !unlicensed.is_empty() {
        let names: Vec<String> = unlicensed
            .iter()
            .take(NAMED)
            .map(|(_, u, _, _)| user_label(u))
            .collect();
        let devices: u32 = unlicensed.iter().map(|(_, _, n, _)| *n).sum();
        if entitled == 0 {
            return Finding::not_ready(
                DOC.id,
                format!("none of the {total} device user(s) holds an entitling license"),
            )
            .with_all(ev);
        }
        return Finding::advisory(
            DOC.id,
            format!(
                "{} of {total} device user(s) hold no entitling license ({devices} device(s)): {}",
                unlicensed.len(),
                list_first(&names, unlicensed.len(), NAMED)
            ),
        )
        .with_all(ev);
    }
    if !missing.is_empty() {
        ev.push(Evidence::new("users").note(format!("not in the users export: {missing_list}")));
        return Finding::advisory(
            DOC.id,
            format!(
                "{} device user(s) are not in the users export; the other {entitled} are licensed",
                missing.len()
            ),
        )
        .with_all(ev);
    }
    if !plan_off.is_empty() {
        return Finding::advisory(DOC.id, format!("every device user is licensed, but the Windows Autopatch service plan is disabled for {}", list_first(&plan_off.iter().take(NAMED).map(|(_, u)| user_label(u)).collect::<Vec<_>>(), plan_off.len(), NAMED)))
            .with(Evidence::new("users").field("disabledPlans").value("Windows_Autopatch"))
            .fix("Enable the Windows Autopatch service plan on the users' license assignment.");
    }
    Finding::ready(
        DOC.id,
        format!("all {total} device user(s) hold an entitling license"),
    )
    .with(
        Evidence::new("users")
            .field("assignedLicenses")
            .value(format!("{entitled} entitled")),
    )
}
