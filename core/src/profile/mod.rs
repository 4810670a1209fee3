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
    /// Hosts every device must reach; `a|b` means either (the EU Data Boundary variant).
    pub endpoints: &'static [&'static str],
    /// Wildcard hosts the page lists that a probe cannot name; checked when probed.
    pub optional_endpoints: &'static [&'static str],
    pub endpoints_source: &'static str,
    pub workloads: &'static [Workload],
    /// Entitling families whose licence excludes Autopatch support requests (advisory note).
    pub support_limited_families: &'static [licensing::Family],
    /// The lowest Windows build (10.0.<build>) accepted, when the profile names one.
    pub min_build: Option<u32>,
    /// Windows Update policy values that conflict with Autopatch (device registry).
    pub wu_conflicts: &'static [WuPolicy],
    /// Every parameter with the page revision it comes from and its source.
    pub params: &'static [Param],
}

/// A Windows Update policy registry value and how Autopatch treats it.
pub struct WuPolicy {
    pub path: &'static str,
    pub name: &'static str,
    /// `true`: Microsoft's conflicting-configurations list (not ready); `false`: community-only (advisory).
    pub documented: bool,
}

/// One profile parameter, its value, the revision it comes from and its source.
#[derive(serde::Serialize)]
pub struct Param {
    pub name: &'static str,
    pub value: &'static str,
    pub revision: &'static str,
    pub source: &'static str,
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
    optional_endpoints: &[],
    endpoints_source: "Configure your network (2022 revision): the four Windows Autopatch service hosts",
    workloads: &[Workload::WindowsUpdate, Workload::DeviceConfiguration, Workload::OfficeApps],
    support_limited_families: &[],
    min_build: None,
    wu_conflicts: &[],
    params: &[
        Param { name: "licenses", value: "Windows 10/11 Enterprise E3, E5; Microsoft 365 E3, E5 (any variant)", revision: "2022-05-30", source: "Prerequisites › More about licenses" },
        Param { name: "editions", value: "Windows 10/11 Enterprise (SKU 4, 27), 64-bit", revision: "2022-05-30", source: "Prerequisites › More about licenses" },
        Param { name: "contact window", value: "28 days", revision: "2022-05-30", source: "Prerequisites › Device management" },
        Param { name: "workloads", value: "Windows Update, Device configuration, Office Click-to-Run apps", revision: "2022-05-30", source: "Prerequisites › Co-management requirements" },
        Param { name: "endpoints", value: "mmdcustomer, mmdls, logcollection.mmd, support.mmd (.microsoft.com)", revision: "2022", source: "Configure your network (2022 rendering)" },
        Param { name: "sync staleness", value: "3 days", revision: "product heuristic", source: "apready" },
    ],
};

pub const CURRENT: Profile = Profile {
    id: "current",
    title: "Windows Autopatch prerequisites as published today (page revision 2025-03-31)",
    reviewed: "2026-11-28",
    page_revision: "2025-03-31",
    page_source: "windows-itpro-docs windows-autopatch-prerequisites.md (ms.date 03/31/2025), register-devices and conflicting-configurations articles",
    entitling_families: &[
        licensing::Family::M365E3,
        licensing::Family::M365E5,
        licensing::Family::WinE3,
        licensing::Family::WinE5,
        licensing::Family::M365F3,
        licensing::Family::M365A3,
        licensing::Family::M365A5,
        licensing::Family::WinA3,
        licensing::Family::WinA5,
        licensing::Family::BusinessPremium,
    ],
    contact_days: 28,
    near_miss_days: 21,
    sync_stale_days: 3,
    entra_active_days: 28,
    editions: &[
        Edition { sku: 4, name: "Enterprise", class: EditionClass::Supported },
        Edition { sku: 27, name: "Enterprise N", class: EditionClass::Supported },
        Edition { sku: 48, name: "Pro", class: EditionClass::Supported },
        Edition { sku: 49, name: "Pro N", class: EditionClass::Supported },
        Edition { sku: 161, name: "Pro for Workstations", class: EditionClass::Supported },
        Edition { sku: 162, name: "Pro for Workstations N", class: EditionClass::Supported },
        Edition { sku: 121, name: "Education", class: EditionClass::Supported },
        Edition { sku: 122, name: "Education N", class: EditionClass::Supported },
        Edition { sku: 164, name: "Pro Education", class: EditionClass::Supported },
        Edition { sku: 165, name: "Pro Education N", class: EditionClass::Supported },
        Edition { sku: 188, name: "IoT Enterprise", class: EditionClass::Supported },
        Edition { sku: 125, name: "Enterprise LTSC", class: EditionClass::Advisory("LTSC registers but gets quality updates only (no feature updates)") },
        Edition { sku: 126, name: "Enterprise N LTSC", class: EditionClass::Advisory("LTSC registers but gets quality updates only (no feature updates)") },
        Edition { sku: 191, name: "IoT Enterprise LTSC", class: EditionClass::Advisory("LTSC registers but gets quality updates only (no feature updates)") },
        Edition { sku: 175, name: "Enterprise multi-session", class: EditionClass::Advisory("multi-session (Azure Virtual Desktop) is not named by the prerequisites page") },
    ],
    endpoints: &[
        "mmdcustomer.microsoft.com",
        "mmdls.microsoft.com",
        "devicelistenerprod.microsoft.com|devicelistenprod.eudb.microsoft.com",
        "login.windows.net",
        "device.autopatch.microsoft.com",
        "services.autopatch.microsoft.com",
    ],
    optional_endpoints: &["payloadprod*.blob.core.windows.net", "*.webpubsub.azure.com"],
    endpoints_source: "Configure your network (ms.date 03/31/2025): devicelistenprod.eudb.microsoft.com replaces devicelistenerprod for EU Data Boundary tenants; wildcard hosts are checked when probed",
    workloads: &[Workload::WindowsUpdate, Workload::DeviceConfiguration, Workload::OfficeApps],
    support_limited_families: &[
        licensing::Family::BusinessPremium,
        licensing::Family::M365A3,
        licensing::Family::M365A5,
        licensing::Family::WinA3,
        licensing::Family::WinA5,
    ],
    min_build: Some(17763),
    wu_conflicts: &[
        WuPolicy { path: "WindowsUpdate", name: "DoNotConnectToWindowsUpdateInternetLocations", documented: true },
        WuPolicy { path: "WindowsUpdate", name: "DisableWindowsUpdateAccess", documented: true },
        WuPolicy { path: "WindowsUpdate\\AU", name: "NoAutoUpdate", documented: true },
        WuPolicy { path: "WindowsUpdate", name: "WUServer", documented: false },
        WuPolicy { path: "WindowsUpdate", name: "WUStatusServer", documented: false },
        WuPolicy { path: "WindowsUpdate\\AU", name: "UseWUServer", documented: false },
    ],
    params: &[
        Param { name: "licenses", value: "Microsoft 365 Business Premium; Windows 10/11 Education A3/A5 (Microsoft 365 A3/A5); Windows 10/11 Enterprise E3/E5 (Microsoft 365 F3/E3/E5); Windows 10/11 Enterprise E3/E5 VDA; plus Entra ID P1/P2 and Intune", revision: "2025-03-31", source: "Prerequisites › Licensing" },
        Param { name: "support requests", value: "not included with Business Premium and A3+", revision: "2025-03-31", source: "Prerequisites › Licensing" },
        Param { name: "editions", value: "Pro, Pro for Workstations, Education, Pro Education, Enterprise, IoT Enterprise (64-bit); LTSC: quality updates only", revision: "2024-10-30", source: "Prerequisites › Windows editions" },
        Param { name: "build floor", value: "10.0.17763 (1809); later revisions require a currently serviced release", revision: "2024-01-11", source: "Prerequisites (last revision printing the number)" },
        Param { name: "contact window", value: "28 days", revision: "2025-03-31", source: "Prerequisites › Device management" },
        Param { name: "workloads", value: "Windows Update, Device configuration, Office Click-to-Run apps", revision: "2025-03-31", source: "Prerequisites › Co-management requirements (a 2026 third-party reading names only two: UNVERIFIED)" },
        Param { name: "serial, model, manufacturer", value: "must be present; serial numbers unique", revision: "2022-06-30", source: "Prerequisites; Register devices" },
        Param { name: "join state", value: "Entra joined or hybrid joined; no dual-state (stale registered) record", revision: "2022-06-30", source: "Register devices" },
        Param { name: "Windows Update policies", value: "DoNotConnectToWindowsUpdateInternetLocations, DisableWindowsUpdateAccess, AU\\NoAutoUpdate conflict; WUServer, WUStatusServer, AU\\UseWUServer community-reported only", revision: "2025-03-31", source: "Conflicting configurations (ms.date 03/31/2025); community remediation scripts" },
        Param { name: "diagnostic data", value: "at least Required (AllowTelemetry ≥ 1)", revision: "2024-09-16", source: "Prerequisites › Diagnostic data; registry location community-sourced" },
        Param { name: "endpoints", value: "mmdcustomer, mmdls, devicelistenerprod (EU: devicelistenprod.eudb), device.autopatch, services.autopatch (.microsoft.com), login.windows.net; payloadprod*.blob.core.windows.net, *.webpubsub.azure.com", revision: "2025-03-31", source: "Configure your network" },
        Param { name: "ConfigMgr / Entra Connect support", value: "dated tables shipped with the rules (apready explain CM-001, IDN-002)", revision: "2026-11-28", source: "memdocs; entra-docs version history" },
    ],
};

pub const ALL: &[&Profile] = &[&CURRENT, &P2022_05];
pub const DEFAULT: &str = "current";

pub fn find(id: &str) -> Option<&'static Profile> {
    ALL.iter().copied().find(|p| p.id == id)
}
