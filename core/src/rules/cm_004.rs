//! CM-004 — Device configuration workload is Pilot Intune or Intune.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::profile::Workload;
use crate::report::Finding;

pub const DOC: RuleDoc = RuleDoc {
    id: "CM-004",
    title: "Device configuration workload is Pilot Intune or Intune",
    scope: "tenant",
    what: "Over all co-managed in-scope devices, the Device configuration workload points to Intune (Graph reports Pilot Intune and Intune alike as true): ready if all, advisory if some (listed), not ready if none.",
    why: "At a minimum the Windows Update, Device configuration and Office Click-to-Run apps workloads must be set to Pilot Intune or Intune.",
    evidence: "managedDevices: configurationManagerClientEnabledFeatures.deviceConfiguration; or the device's CoManagementFlags",
    fix: "In the ConfigMgr console (Administration → Cloud Services → Co-management → Properties → Workloads) move Device configuration to Pilot Intune or Intune, and put the devices in the pilot collection.",
    source: "Prerequisites › Device management; Co-management requirements (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    super::cm_workload::check(cx, DOC.id, Workload::DeviceConfiguration)
}
