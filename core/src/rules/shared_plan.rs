//! The service-plan decision shared by LIC-003 and LIC-004.

use crate::engine::Cx;
use crate::input::lenient::F;
use crate::model::Resource;
use crate::report::{Evidence, Finding};

pub fn check(cx: &Cx, id: &'static str, roles: &[&str], what: &str) -> Finding {
    if let Some(f) = cx.unusable(
        id,
        Resource::SubscribedSkus,
        "service plans cannot be checked",
    ) {
        return f;
    }
    let mut ready: Vec<Evidence> = Vec::new();
    let mut weak: Vec<Evidence> = Vec::new();
    let mut errors: Vec<Evidence> = Vec::new();
    for s in &cx.ev.skus {
        let cap = s.capability.str().unwrap_or("");
        let plans = match &s.plans {
            F::Val(p) => p,
            F::Bad(b) => {
                errors.push(
                    Evidence::new("subscribedSkus")
                        .id(s.sku_id.text().unwrap_or(""))
                        .field("servicePlans")
                        .at_src(s.src)
                        .note(b.describe()),
                );
                continue;
            }
            _ => continue,
        };
        for p in plans {
            let plan = match p {
                F::Val(p) => p,
                F::Bad(b) => {
                    errors.push(
                        Evidence::new("subscribedSkus")
                            .id(s.sku_id.text().unwrap_or(""))
                            .field("servicePlans")
                            .at_src(s.src)
                            .note(b.describe()),
                    );
                    continue;
                }
                _ => continue,
            };
            let Some(pid) = plan.id.text() else { continue };
            if !cx.lic.plan_has_role(pid, roles) {
                continue;
            }
            let status = plan.status.str().unwrap_or("");
            let ev = Evidence::new("subscribedSkus")
                .id(s.sku_id.text().unwrap_or(""))
                .name(s.part_number.text().unwrap_or(""))
                .field("servicePlans[].provisioningStatus, capabilityStatus")
                .value(format!(
                    "{} {status}, SKU {cap}",
                    plan.name.text().unwrap_or(pid)
                ))
                .required("Success on an Enabled SKU")
                .at_src(s.src);
            let sku_ok = cap.eq_ignore_ascii_case("Enabled");
            let sku_warn = cap.eq_ignore_ascii_case("Warning");
            let plan_ok = status.eq_ignore_ascii_case("Success");
            let plan_pending = status.starts_with("Pending");
            if sku_ok && plan_ok {
                ready.push(ev);
            } else if (sku_ok || sku_warn) && (plan_ok || plan_pending) {
                weak.push(ev);
            }
        }
    }
    if !ready.is_empty() {
        ready.truncate(5);
        return Finding::ready(id, format!("{what} is enabled on an active subscription"))
            .with_all(ready);
    }
    if !weak.is_empty() {
        return Finding::advisory(id, format!("{what} exists but its subscription is in Warning state or the plan is still being provisioned")).with_all(weak);
    }
    if !errors.is_empty() {
        return Finding::error(id, "a subscribedSkus record has unusable service plans")
            .with_all(errors);
    }
    Finding::not_ready(id, format!("no active subscription carries {what}")).with(
        Evidence::new("subscribedSkus")
            .field("servicePlans[].servicePlanId")
            .required(what.to_string()),
    )
}
