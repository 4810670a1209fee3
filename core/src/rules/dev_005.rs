//! DEV-005 — a co-managed device has the required workloads moved to Intune.

use super::shared::{workload_state, WorkloadState};
use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev};
use crate::profile::Workload;
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-005",
    title: "Co-managed: required workloads moved to Intune",
    scope: "device",
    what: "For a co-managed device, the Windows Update policies, Device configuration and Office Click-to-Run apps workloads are set to Pilot Intune or Intune; the missing ones are named. Not applicable to devices that are not co-managed.",
    why: "At a minimum the Windows Update, Device configuration and Office Click-to-Run apps workloads must be set to Pilot Intune or Intune.",
    evidence: "managedDevices: configurationManagerClientEnabledFeatures (officeApps is beta-only); or the device's CoManagementFlags",
    fix: "Move the named workloads to Pilot Intune or Intune in the ConfigMgr co-management properties and add the device to the pilot collection.",
    source: "Prerequisites › Device management; Co-management requirements (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let flags = d
        .local
        .and_then(|l| l.reg("CCM", "CoManagementFlags"))
        .and_then(|r| r.number.val().copied());
    let co = d.is_co_managed() || (d.md.is_none() && flags.is_some_and(|f| f != 0));
    if !co {
        if d.md.is_none() && d.entra.is_none() && d.local.is_some() && flags.is_none() {
            return Finding::not_applicable(DOC.id, "no co-management flags on the device");
        }
        return Finding::not_applicable(DOC.id, "not co-managed");
    }
    // Status first (see `Cx::quiet`): every workload moved is ready, without evidence.
    if cx.quiet()
        && cx
            .profile
            .workloads
            .iter()
            .all(|w| matches!(workload_state(d, *w), WorkloadState::Moved(_)))
    {
        return Finding::ready(DOC.id, "");
    }
    let mut missing: Vec<&str> = Vec::new();
    let mut unknown: Vec<Workload> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    let mut ev = Vec::new();
    for w in cx.profile.workloads {
        match workload_state(d, *w) {
            WorkloadState::Moved(src) => ev.push(
                Evidence::new(src_res(src))
                    .name(d.name)
                    .field(w.graph_field())
                    .value("true"),
            ),
            WorkloadState::NotMoved(src) => {
                missing.push(w.name());
                ev.push(
                    Evidence::new(src_res(src))
                        .name(d.name)
                        .field(w.graph_field())
                        .value("false")
                        .required("true (Pilot Intune or Intune)"),
                );
            }
            WorkloadState::Unknown => unknown.push(*w),
            WorkloadState::Bad(b) => bad.push(b),
        }
    }
    if let Some(m) = d.md {
        for e in ev.iter_mut() {
            if e.resource == "managedDevices" {
                e.object_id = m.id.text().map(Into::into);
                e.location = Some(cx.loc(m.src).into());
            }
        }
    }
    if !bad.is_empty() {
        return Finding::error(
            DOC.id,
            format!(
                "co-management workload data is unusable: {}",
                bad.join("; ")
            ),
        )
        .with_all(ev);
    }
    if !missing.is_empty() {
        return Finding::not_ready(
            DOC.id,
            format!(
                "workloads still managed by Configuration Manager: {}",
                missing.join(", ")
            ),
        )
        .with_all(ev);
    }
    if !unknown.is_empty() {
        let names: Vec<&str> = unknown.iter().map(|w| w.name()).collect();
        let reason = if unknown.iter().all(|w| *w == Workload::OfficeApps) {
            Reason::BetaOnlyField
        } else {
            Reason::MissingInput
        };
        return Finding::not_evaluated(
            DOC.id,
            reason,
            format!("workload setting not supplied: {}", names.join(", ")),
        )
        .with_all(ev);
    }
    Finding::ready(DOC.id, "all required workloads point to Intune").with_all(ev)
}

fn src_res(src: &str) -> &'static str {
    if src == "managedDevices" {
        "managedDevices"
    } else {
        "deviceEvidence"
    }
}
