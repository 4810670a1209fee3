//! Profiles: the parameters of the rules as one revision of the prerequisites page states
//! them. Rule code reads parameters from here; a new profile is data, not code.

pub mod licensing;
pub mod tables;

use crate::time::{date, Instant};

/// How a Windows edition (OperatingSystemSKU / Graph beta skuNumber) fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditionClass {
    Supported,
    /// Registers, with a caveat.
    Advisory(&'static str),
    NotSupported,
}

pub struct Edition {
    pub sku: i64,
    pub name: &'static str,
    pub class: EditionClass,
}

/// A co-management workload Autopatch needs moved to (Pilot) Intune.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    WindowsUpdate,
    DeviceConfiguration,
    OfficeApps,
}

impl Workload {
    pub fn name(self) -> &'static str {
        match self {
            Workload::WindowsUpdate => "Windows Update policies",
            Workload::DeviceConfiguration => "Device configuration",
            Workload::OfficeApps => "Office Click-to-Run apps",
        }
    }
    pub fn graph_field(self) -> &'static str {
        match self {
            Workload::WindowsUpdate => {
                "configurationManagerClientEnabledFeatures.windowsUpdateForBusiness"
            }
            Workload::DeviceConfiguration => {
                "configurationManagerClientEnabledFeatures.deviceConfiguration"
            }
            Workload::OfficeApps => "configurationManagerClientEnabledFeatures.officeApps (beta)",
        }
    }
    /// The CoManagementFlags bit (community-documented).
    pub fn flag(self) -> u64 {
        match self {
            Workload::WindowsUpdate => 16,
            Workload::DeviceConfiguration => 8,
            Workload::OfficeApps => 128,
        }
    }
}

pub struct Profile {
    pub id: &'static str,
    pub title: &'static str,
    /// When the rule data of this profile was last reviewed against its sources.
    pub reviewed: &'static str,
    /// The page revision this profile encodes.
    pub page_revision: &'static str,
    pub page_source: &'static str,
    pub entitling_families: &'static [licensing::Family],
    pub contact_days: i64,
    pub near_miss_days: i64,
    /// Product heuristic: a directory sync older than this looks stalled.
    pub sync_stale_days: i64,
    pub entra_active_days: i64,
    pub editions: &'static [Edition],
    pub endpoints: &'static [&'static str],
    pub endpoints_source: &'static str,
    pub workloads: &'static [Workload],
}

impl Profile {
    pub fn edition(&self, sku: i64) -> (EditionClass, &'static str) {
        match self.editions.iter().find(|e| e.sku == sku) {
            Some(e) => (e.class, e.name),
            None => (EditionClass::NotSupported, tables::edition_name(sku)),
        }
    }
    pub fn reviewed_instant(&self) -> Instant {
        date(self.reviewed)
    }
}

pub const P2022_05: Profile = Profile {
    id: "2022-05",
    title: "Windows Autopatch prerequisites as published on 2022-05-30",
    reviewed: "2026-11-28",
    page_revision: "2022-05-30",
    page_source: "learn.microsoft.com/windows/deployment/windows-autopatch/prepare/windows-autopatch-prerequisites (ms.date 05/30/2022)",
    entitling_families: &[
        licensing::Family::M365E3,
        licensing::Family::M365E5,
        licensing::Family::WinE3,
        licensing::Family::WinE5,
    ],
    contact_days: 28,
    near_miss_days: 21,
    sync_stale_days: 3,
    entra_active_days: 28,
    editions: &[
        Edition { sku: 4, name: "Enterprise", class: EditionClass::Supported },
        Edition { sku: 27, name: "Enterprise N", class: EditionClass::Supported },
        Edition {
            sku: 125,
            name: "Enterprise LTSC",
            class: EditionClass::Advisory("LTSC is not named by the 2022-05 page; LTSC devices get quality updates only"),
        },
        Edition {
            sku: 126,
            name: "Enterprise N LTSC",
            class: EditionClass::Advisory("LTSC is not named by the 2022-05 page; LTSC devices get quality updates only"),
        },
        Edition {
            sku: 175,
            name: "Enterprise multi-session",
            class: EditionClass::Advisory("multi-session (Azure Virtual Desktop) is not named by the prerequisites page"),
        },
    ],
    endpoints: &[
        "mmdcustomer.microsoft.com",
        "mmdls.microsoft.com",
        "logcollection.mmd.microsoft.com",
        "support.mmd.microsoft.com",
    ],
    endpoints_source: "Configure your network (2022 revision): the four Windows Autopatch service hosts",
    workloads: &[Workload::WindowsUpdate, Workload::DeviceConfiguration, Workload::OfficeApps],
};

pub const ALL: &[&Profile] = &[&P2022_05];
pub const DEFAULT: &str = "2022-05";

pub fn find(id: &str) -> Option<&'static Profile> {
    ALL.iter().copied().find(|p| p.id == id)
}
