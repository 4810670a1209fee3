//! The aggregate decision of CM-003, CM-004 and CM-005 over co-managed devices.

use super::shared::{dev_label, list, workload_state, WorkloadState};
use crate::engine::Cx;
use crate::model::Resource;
use crate::profile::Workload;
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub fn check(cx: &Cx, id: &'static str, w: Workload) -> Finding {
    if let Some(f) = cx.unusable(
        id,
        Resource::ManagedDevices,
        "co-management workloads cannot be checked",
    ) {
        return f;
    }
    let co: Vec<_> = cx.co_managed().collect();
    if co.is_empty() {
        let only = cx.configmgr_only().count();
        return Finding::not_applicable(
            id,
            if only > 0 {
                "no device is co-managed (ConfigMgr-only devices are covered by DEV-001)"
            } else {
                "no device is co-managed"
            },
        );
    }
    let mut moved = 0usize;
    let mut not_moved: Vec<String> = Vec::new();
    let mut unknown = 0usize;
    for d in &co {
        match workload_state(d, w) {
            WorkloadState::Moved(_) => moved += 1,
            WorkloadState::NotMoved(_) => not_moved.push(dev_label(d)),
            WorkloadState::Unknown | WorkloadState::Bad(_) => unknown += 1,
        }
    }
    let ev = Evidence::new("managedDevices")
        .field(w.graph_field())
        .value(format!(
            "{moved} moved, {} not moved, {unknown} unknown of {} co-managed",
            not_moved.len(),
            co.len()
        ))
        .required("true (Pilot Intune or Intune)");
    if moved + not_moved.len() == 0 {
        let reason = if w == Workload::OfficeApps {
            Reason::BetaOnlyField
        } else {
            Reason::MissingInput
        };
        return Finding::not_evaluated(
            id,
            reason,
            format!(
                "the {} workload setting was not supplied for any co-managed device",
                w.name()
            ),
        )
        .with(ev);
    }
    if not_moved.is_empty() {
        let mut f = Finding::ready(id, format!("the {} workload is set to (Pilot) Intune on every co-managed device with data ({moved})", w.name())).with(ev);
        if unknown > 0 {
            f = f.with(Evidence::new("managedDevices").note(format!(
                "{unknown} co-managed device(s) without the setting"
            )));
        }
        return f;
    }
    if moved == 0 {
        return Finding::not_ready(id, format!("the {} workload is still managed by Configuration Manager on every co-managed device", w.name()))
            .with(ev.note(list(&not_moved, 5)));
    }
    Finding::advisory(
        id,
        format!(
            "the {} workload is not moved on {} of {} co-managed device(s): {}",
            w.name(),
            not_moved.len(),
            co.len(),
            list(&not_moved, 5)
        ),
    )
    .with(ev)
}
