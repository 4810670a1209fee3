//! LIC-001 — Windows Enterprise E3 or higher is licensed in the tenant.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::input::lenient::F;
use crate::model::Resource;
use crate::report::{Evidence, Finding};

pub const DOC: RuleDoc = RuleDoc {
    id: "LIC-001",
    title: "An entitling license is subscribed",
    scope: "tenant",
    what: "The tenant subscribes to a product that entitles Windows Autopatch, active with enabled seats (2022-05: Windows 10/11 Enterprise E3 or E5, Microsoft 365 E3 or E5, any variant; current adds Microsoft 365 F3, Business Premium and Education A3/A5 — the last two without support requests, shown as an advisory).",
    why: "Windows Autopatch is included with Windows Enterprise E3 or higher; without it the service cannot be used.",
    evidence: "subscribedSkus: skuId (matched by GUID against the profile's license table), capabilityStatus, prepaidUnits.enabled, consumedUnits",
    fix: "Buy or renew Windows 10/11 Enterprise E3/E5 or Microsoft 365 E3/E5 (Microsoft 365 admin center → Billing → Your products); restore a subscription in Warning state before it is suspended.",
    source: "Prerequisites › Licensing; More about licenses (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    if let Some(f) = cx.unusable(
        DOC.id,
        Resource::SubscribedSkus,
        "licenses cannot be checked",
    ) {
        return f;
    }
    let fam = cx.profile.entitling_families;
    let mut evidence = Vec::new();
    let mut active_free = false;
    // An active entitling SKU that includes Autopatch support requests.
    let mut full_tier = false;
    let mut active_full = false;
    let mut warning = false;
    let mut pending = false;
    let mut free_seats: i64 = 0;
    let mut errors = Vec::new();
    for s in &cx.ev.skus {
        let Some(sku) = s.sku_id.text() else {
            if let Some(b) = s.sku_id.bad() {
                errors.push(
                    Evidence::new("subscribedSkus")
                        .field("skuId")
                        .at_src(s.src)
                        .note(b.describe()),
                );
            }
            continue;
        };
        let Some(row) = cx.lic.entitling(sku, fam) else {
            continue;
        };
        let status = match &s.capability {
            F::Val(v) => v.to_string(),
            F::Bad(b) => {
                errors.push(
                    Evidence::new("subscribedSkus")
                        .id(sku)
                        .name(&*row.part_number)
                        .field("capabilityStatus")
                        .at_src(s.src)
                        .note(b.describe()),
                );
                continue;
            }
            _ => String::new(),
        };
        let enabled = match &s.prepaid {
            F::Val(p) => p.enabled.val().copied().unwrap_or(0),
            _ => 0,
        };
        let consumed = s.consumed.val().copied().unwrap_or(0);
        let win_plans: Vec<&str> = cx
            .lic
            .plans_of(sku, "windows-enterprise-entitlement")
            .collect();
        // The SKU counts only while its Windows Enterprise service plan is provisioned
        // (Success; Pending* is advisory). Without servicePlans in the export, the SKU's
        // capabilityStatus decides alone.
        let mut plan_off: Option<String> = None;
        if let F::Val(plans) = &s.plans {
            for p in plans.iter().filter_map(|p| p.val()) {
                if !p.id.text().is_some_and(|id| win_plans.contains(&id)) {
                    continue;
                }
                match p.status.str() {
                    Some(st) if st.starts_with("Pending") => pending = true,
                    Some(st) if !st.eq_ignore_ascii_case("Success") => {
                        plan_off = Some(st.to_string())
                    }
                    _ => {}
                }
            }
        }
        let ev = Evidence::new("subscribedSkus")
            .id(sku)
            .name(s.part_number.text().unwrap_or(&row.part_number).to_string())
            .field("capabilityStatus, prepaidUnits.enabled, consumedUnits")
            .value(format!("{status}, {enabled} enabled, {consumed} consumed"))
            .required("Enabled with enabled units > 0")
            .at_src(s.src)
            .note(format!("{} (license table: {})", row.product, row.source));
        if let Some(st) = plan_off {
            evidence.push(ev.note(format!(
                "the Windows Enterprise service plan is {st}: not counted"
            )));
            continue;
        }
        evidence.push(ev);
        if status.eq_ignore_ascii_case("Enabled") && enabled > 0 {
            if !cx.profile.support_limited_families.contains(&row.family) {
                full_tier = true;
            }
            if consumed < enabled {
                active_free = true;
                free_seats += enabled - consumed;
            } else {
                active_full = true;
            }
        } else if status.eq_ignore_ascii_case("Warning") {
            warning = true;
        }
    }
    if !errors.is_empty() && !active_free && !active_full {
        return Finding::error(DOC.id, "a subscribedSkus record has an unusable value")
            .with_all(errors);
    }
    if active_free {
        let unlicensed = unlicensed_candidates(cx);
        if unlicensed > 0 && (free_seats as u64) < unlicensed {
            return Finding::advisory(
                DOC.id,
                format!("an entitling license is active, but {free_seats} free seat(s) are fewer than the {unlicensed} device user(s) who still need one"),
            )
            .with_all(evidence)
            .fix("Buy more seats of the entitling product before assigning licenses to the remaining users.");
        }
        if pending {
            return Finding::advisory(DOC.id, "an entitling license is active, but its Windows Enterprise service plan is still being provisioned")
                .with_all(evidence);
        }
        if !full_tier {
            return Finding::advisory(
                DOC.id,
                "entitled through Microsoft 365 Business Premium or Education A3/A5 only: every feature works, but these licenses do not include Windows Autopatch support requests",
            )
            .with_all(evidence)
            .fix("Nothing is required to register devices; for Autopatch support requests, license Windows Enterprise E3/E5 (or Microsoft 365 F3/E3/E5).");
        }
        return Finding::ready(DOC.id, "an entitling license is active with free seats")
            .with_all(evidence);
    }
    if active_full {
        return Finding::advisory(
            DOC.id,
            "an entitling license is active, but every seat is consumed",
        )
        .with_all(evidence);
    }
    if warning {
        return Finding::advisory(DOC.id, "the entitling license is in Warning (grace) state: it will be suspended unless renewed").with_all(evidence);
    }
    let msg = if evidence.is_empty() {
        format!(
            "no subscription entitles Windows Autopatch under profile {} (see apready explain LIC-001 for the products)",
            cx.profile.id
        )
    } else {
        "the entitling subscriptions are suspended, locked out, deleted or have no enabled seats"
            .to_string()
    };
    Finding::not_ready(DOC.id, msg).with_all(evidence).with(
        Evidence::new("subscribedSkus")
            .field("skuId")
            .required("an entitling SKU of the profile's license table"),
    )
}

/// In-scope device users who hold no entitling license (0 when users were not supplied).
fn unlicensed_candidates(cx: &Cx) -> u64 {
    if cx.state(Resource::Users) != crate::engine::RState::Complete {
        return 0;
    }
    let mut seen = crate::util::set(cx.devices.len());
    for d in &cx.devices {
        if let Some(uid) = d.md.and_then(|m| m.user_id.text()) {
            if let Some(u) = cx.users.get(uid) {
                if !matches!(
                    super::shared::user_entitlement(cx, u),
                    super::shared::Entitlement::Entitled { .. }
                ) {
                    seen.insert(uid);
                }
            }
        }
    }
    seen.len() as u64
}
