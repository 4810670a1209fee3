//! The evidence model: typed records parsed from the inputs, each remembering where it came
//! from, and the inventory of what was supplied.

use std::collections::BTreeMap;

use crate::input::lenient::{Str, F};
use crate::time::{Instant, Stamp};

/// A string value shared by every record that carries it (OS names and versions, ownership,
/// management agent, model, manufacturer, …: a few hundred distinct values over a million
/// records), so each distinct value is stored once.
///
/// A thin pointer (one word, to a shared boxed `str`), not an `Rc<str>` (two words): records
/// hold a dozen of these fields, so at a million records the second word is ~100 MB; the
/// extra hop to the text is paid only when a rule reads a value.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(std::rc::Rc<Box<str>>);

impl std::ops::Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Sym {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Sym {
    fn from(s: &str) -> Self {
        Sym(std::rc::Rc::new(s.into()))
    }
}

impl AsRef<str> for Sym {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self.0, f)
    }
}

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        std::fmt::Display::fmt(&**self.0, f)
    }
}

/// The distinct values of the shared fields read so far.
#[derive(Debug, Default)]
pub struct Strings(crate::util::Set<Sym>);

impl Strings {
    /// Above this many distinct values new ones are not remembered (values that do not repeat
    /// gain nothing, and a hostile input cannot grow the set without bound).
    const MAX: usize = 1 << 16;

    /// The shared copy of `s` (a value seen before costs no allocation).
    pub fn get_str(&mut self, s: &str) -> Sym {
        if let Some(x) = self.0.get(s) {
            return x.clone();
        }
        let r: Sym = Sym::from(s);
        if self.0.len() < Self::MAX {
            self.0.insert(r.clone());
        }
        r
    }

    pub fn f(&mut self, f: F<Str>) -> F<Sym> {
        match f {
            F::Val(v) => F::Val(self.get_str(&v)),
            F::Absent => F::Absent,
            F::Null => F::Null,
            F::Bad(b) => F::Bad(b),
        }
    }
}

/// A Graph resource the engine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    ManagedDevices,
    Devices,
    SubscribedSkus,
    Users,
    Organization,
    OnPremisesSynchronization,
    DeviceEvidence,
}

impl Resource {
    pub fn name(self) -> &'static str {
        match self {
            Resource::ManagedDevices => "managedDevices",
            Resource::Devices => "devices",
            Resource::SubscribedSkus => "subscribedSkus",
            Resource::Users => "users",
            Resource::Organization => "organization",
            Resource::OnPremisesSynchronization => "onPremisesSynchronization",
            Resource::DeviceEvidence => "deviceEvidence",
        }
    }
    pub const GRAPH: [Resource; 6] = [
        Resource::ManagedDevices,
        Resource::Devices,
        Resource::SubscribedSkus,
        Resource::Users,
        Resource::Organization,
        Resource::OnPremisesSynchronization,
    ];
    /// The request (or cmdlet) that produces this export, for coverage and help texts.
    pub fn how_to_export(self) -> &'static str {
        match self {
            Resource::ManagedDevices => "GET https://graph.microsoft.com/v1.0/deviceManagement/managedDevices?$select=id,deviceName,operatingSystem,osVersion,managedDeviceOwnerType,managementAgent,lastSyncDateTime,azureADDeviceId,serialNumber,model,manufacturer,configurationManagerClientEnabledFeatures,userId,userPrincipalName (beta adds skuNumber,skuFamily,processorArchitecture,joinType,configurationManagerClientInformation) — every page",
            Resource::Devices => "GET https://graph.microsoft.com/v1.0/devices?$select=id,deviceId,displayName,accountEnabled,operatingSystem,operatingSystemVersion,trustType,approximateLastSignInDateTime,profileType — every page",
            Resource::SubscribedSkus => "GET https://graph.microsoft.com/v1.0/subscribedSkus?$select=skuId,skuPartNumber,capabilityStatus,appliesTo,prepaidUnits,consumedUnits,servicePlans",
            Resource::Users => "GET https://graph.microsoft.com/v1.0/users?$select=id,userPrincipalName,displayName,accountEnabled,assignedLicenses,licenseAssignmentStates — every page",
            Resource::Organization => "GET https://graph.microsoft.com/v1.0/organization?$select=id,displayName,onPremisesSyncEnabled,onPremisesLastSyncDateTime,mobileDeviceManagementAuthority",
            Resource::OnPremisesSynchronization => "GET https://graph.microsoft.com/beta/directory/onPremisesSynchronization (or pass --sync-client-version)",
            Resource::DeviceEvidence => "run Test-AutopatchDeviceReadiness (module AutopatchReadiness) on the device, or Export-AutopatchReadinessSnapshot -IncludeThisDevice",
        }
    }
}

/// The API version a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Api {
    V1,
    Beta,
    Unknown,
}

impl Api {
    pub fn name(self) -> &'static str {
        match self {
            Api::V1 => "v1.0",
            Api::Beta => "beta",
            Api::Unknown => "unknown",
        }
    }
}

/// Where a record came from: a location prefix (file and JSON path of the array) and an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Src {
    pub loc: u32,
    pub index: u32,
    pub file: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Features {
    pub windows_update: F<bool>,
    pub device_configuration: F<bool>,
    pub office_apps: F<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct ManagedDevice {
    pub src: Src,
    pub api: Option<Api>,
    pub id: F<Str>,
    pub name: F<Str>,
    pub os: F<Sym>,
    pub os_version: F<Sym>,
    pub owner_type: F<Sym>,
    pub agent: F<Sym>,
    pub last_sync: F<Stamp>,
    pub aad_id: F<Str>,
    pub serial: F<Str>,
    pub model: F<Sym>,
    pub manufacturer: F<Sym>,
    pub features: F<Features>,
    pub join_type: F<Sym>,
    pub sku_family: F<Sym>,
    pub sku_number: F<i64>,
    pub arch: F<Sym>,
    pub cm_client_version: F<Sym>,
    pub user_id: F<Str>,
    pub upn: F<Str>,
}

impl ManagedDevice {
    /// Field-by-field merge; `other` (beta) wins where it has the field.
    pub fn merge(&mut self, o: ManagedDevice) {
        if o.api == Some(Api::Beta) {
            self.api = Some(Api::Beta);
        }
        self.name.merge(o.name);
        self.os.merge(o.os);
        self.os_version.merge(o.os_version);
        self.owner_type.merge(o.owner_type);
        self.agent.merge(o.agent);
        self.last_sync.merge(o.last_sync);
        self.aad_id.merge(o.aad_id);
        self.serial.merge(o.serial);
        self.model.merge(o.model);
        self.manufacturer.merge(o.manufacturer);
        match (&mut self.features, o.features) {
            (F::Val(mine), F::Val(theirs)) => {
                mine.windows_update.merge(theirs.windows_update);
                mine.device_configuration.merge(theirs.device_configuration);
                mine.office_apps.merge(theirs.office_apps);
            }
            (mine, theirs) => mine.merge(theirs),
        }
        self.join_type.merge(o.join_type);
        self.sku_family.merge(o.sku_family);
        self.sku_number.merge(o.sku_number);
        self.arch.merge(o.arch);
        self.cm_client_version.merge(o.cm_client_version);
        self.user_id.merge(o.user_id);
        self.upn.merge(o.upn);
    }
}

#[derive(Debug, Clone, Default)]
pub struct EntraDevice {
    pub src: Src,
    pub id: F<Str>,
    pub device_id: F<Str>,
    pub name: F<Str>,
    pub enabled: F<bool>,
    pub os: F<Sym>,
    pub os_version: F<Sym>,
    pub trust_type: F<Sym>,
    pub last_sign_in: F<Stamp>,
}

#[derive(Debug, Clone, Default)]
pub struct ServicePlan {
    pub id: F<Str>,
    pub name: F<Str>,
    pub status: F<Str>,
}

#[derive(Debug, Clone, Default)]
pub struct Prepaid {
    pub enabled: F<i64>,
    pub warning: F<i64>,
    pub suspended: F<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Sku {
    pub src: Src,
    pub sku_id: F<Str>,
    pub part_number: F<Str>,
    pub capability: F<Str>,
    pub consumed: F<i64>,
    pub prepaid: F<Prepaid>,
    pub plans: F<Vec<F<ServicePlan>>>,
}

#[derive(Debug, Clone, Default)]
pub struct License {
    pub sku_id: F<Str>,
    pub disabled_plans: F<Vec<F<Str>>>,
    pub state: F<Str>,
}

#[derive(Debug, Clone, Default)]
pub struct User {
    pub src: Src,
    pub id: F<Str>,
    pub upn: F<Str>,
    pub name: F<Str>,
    pub assigned: F<Vec<F<License>>>,
    pub states: F<Vec<F<License>>>,
}

#[derive(Debug, Clone, Default)]
pub struct Organization {
    pub src: Src,
    pub id: F<Str>,
    pub name: F<Str>,
    pub sync_enabled: F<bool>,
    pub last_sync: F<Stamp>,
    pub mdm_authority: F<Str>,
}

#[derive(Debug, Clone, Default)]
pub struct SyncInfo {
    pub src: Src,
    pub client_version: F<Str>,
}

/// Parsed `dsregcmd /status` output.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dsreg {
    pub azure_ad_joined: Option<bool>,
    pub domain_joined: Option<bool>,
    pub enterprise_joined: Option<bool>,
    pub workplace_joined: Option<bool>,
    pub device_id: Option<Box<str>>,
    pub device_auth_status: Option<Box<str>>,
    pub tenant_id: Option<Box<str>>,
    pub tenant_name: Option<Box<str>>,
}

#[derive(Debug, Clone, Default)]
pub struct ProbeStep {
    pub ok: F<bool>,
    pub error: F<Str>,
}

#[derive(Debug, Clone, Default)]
pub struct Probe {
    pub host: F<Str>,
    pub dns: F<ProbeStep>,
    pub tcp: F<ProbeStep>,
    pub tls: F<ProbeStep>,
    pub proxy: F<Str>,
}

#[derive(Debug, Clone, Default)]
pub struct RegValue {
    pub path: F<Str>,
    pub name: F<Str>,
    pub value: F<Str>,
    pub number: F<i64>,
    pub present: F<bool>,
    /// The collector could not read the value (access denied, …).
    pub error: F<Str>,
}

#[derive(Debug, Clone, Default)]
pub struct OsInfo {
    pub sku: F<i64>,
    pub arch: F<Str>,
    pub version: F<Str>,
    pub caption: F<Str>,
}

/// Evidence read on one Windows device (a snapshot bundle's `devices[]` entry).
#[derive(Debug, Clone, Default)]
pub struct DeviceLocal {
    pub src: Src,
    pub computer_name: F<Str>,
    pub serial: F<Str>,
    pub os: F<OsInfo>,
    pub dsreg_text: F<Str>,
    pub dsreg: Option<Dsreg>,
    pub registry: F<Vec<F<RegValue>>>,
    pub cm_client_version: F<Str>,
    pub probes: F<Vec<F<Probe>>>,
}

impl DeviceLocal {
    /// Members whose value could not be used, with why.
    pub fn bad_fields(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut check = |name: &'static str, b: Option<&crate::input::lenient::Bad>| {
            if let Some(b) = b {
                out.push((name, b.describe()));
            }
        };
        check("computer_name", self.computer_name.bad());
        check("serial_number", self.serial.bad());
        check("os", self.os.bad());
        check("dsregcmd", self.dsreg_text.bad());
        check("registry", self.registry.bad());
        check("configmgr_client_version", self.cm_client_version.bad());
        check("probes", self.probes.bad());
        if let F::Val(os) = &self.os {
            check("os.OperatingSystemSKU", os.sku.bad());
            check("os.OSArchitecture", os.arch.bad());
        }
        out
    }

    /// A registry value that is set, by name (case-insensitive), under a path suffix.
    pub fn reg(&self, path_suffix: &str, name: &str) -> Option<&RegValue> {
        self.reg_entry(path_suffix, name)
            .filter(|r| r.present.val().copied() != Some(false) && r.error.text().is_none())
    }

    /// The collector's entry for a registry value (set, absent, or unreadable).
    pub fn reg_entry(&self, path_suffix: &str, name: &str) -> Option<&RegValue> {
        let regs = self.registry.val()?;
        regs.iter().filter_map(|r| r.val()).find(|r| {
            r.name.str().is_some_and(|n| n.eq_ignore_ascii_case(name))
                && r.path.str().is_none_or(|p| {
                    p.to_ascii_lowercase()
                        .trim_end_matches('\\')
                        .ends_with(&path_suffix.to_ascii_lowercase())
                })
        })
    }
}

/// One page chain: the pages of one resource from one API version.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    pub pages: u32,
    pub terminal: u32,
    pub records: u64,
    /// Records supplied without Graph page wrappers (merged arrays, PowerShell output).
    pub unpaged: bool,
}

impl Chain {
    pub fn complete(&self) -> bool {
        self.unpaged || self.terminal == 1
    }
}

/// Inventory entry for one input file.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub path: String,
    pub encoding: &'static str,
    pub resource: Option<Resource>,
    pub api: Api,
    pub records: u64,
    pub pages: u32,
    pub next_links: u32,
    pub kind: &'static str,
    pub problems: Vec<String>,
    /// The file could not be used at all.
    pub unusable: Option<String>,
    pub tenant_hint: Option<Box<str>>,
    /// Record members whose value could not be used (wrong type, depth-truncated, unparsable).
    pub bad_fields: u32,
    /// What this file adds to the page chains: (resource, api, pages, terminal pages,
    /// records, unpaged). The store's `chains` are the sum over usable files.
    pub chain_updates: Vec<ChainUpdate>,
    /// The snapshot time a bundle carried (latest `collectedAt`), and whether the bundle said
    /// its collection was incomplete.
    pub bundle_time: Option<Instant>,
    pub bundle_incomplete: bool,
}

/// One file's contribution to a page chain: (resource, api, pages, terminal pages, records,
/// unpaged).
pub type ChainUpdate = (Resource, Api, u32, u32, u64, bool);

/// Everything the inputs supplied.
#[derive(Debug, Default)]
pub struct Store {
    pub files: Vec<FileInfo>,
    pub locs: Vec<String>,
    pub managed: Vec<ManagedDevice>,
    pub entra: Vec<EntraDevice>,
    pub skus: Vec<Sku>,
    pub users: Vec<User>,
    pub orgs: Vec<Organization>,
    pub syncs: Vec<SyncInfo>,
    pub locals: Vec<DeviceLocal>,
    pub chains: BTreeMap<(Resource, Api), Chain>,
    /// Resources a file of which was unusable, with the file names.
    pub damaged: BTreeMap<Resource, Vec<String>>,
    pub bundle_time: Option<Instant>,
    pub bundle_incomplete: bool,
    /// Tenant ids seen in inputs (organization ids, dsregcmd TenantId), with where.
    pub tenant_ids: BTreeMap<String, Vec<String>>,
    /// Scope list (device or user ids), when one was supplied.
    pub scope: Option<std::collections::BTreeSet<String>>,
    /// The shared string values (see [`Sym`]).
    pub strings: Strings,
}

/// A record that remembers where it came from.
pub trait Sourced {
    fn src(&self) -> Src;
    fn src_mut(&mut self) -> &mut Src;
}
macro_rules! sourced {
    ($($t:ty),*) => {$(
        impl Sourced for $t {
            fn src(&self) -> Src {
                self.src
            }
            fn src_mut(&mut self) -> &mut Src {
                &mut self.src
            }
        }
    )*};
}
sourced!(
    ManagedDevice,
    EntraDevice,
    Sku,
    User,
    Organization,
    SyncInfo,
    DeviceLocal
);

/// Calls a generic function on every record vector of a store.
macro_rules! each_records {
    ($s:expr, $go:ident, $arg:expr) => {
        $go(&mut $s.managed, $arg);
        $go(&mut $s.entra, $arg);
        $go(&mut $s.skus, $arg);
        $go(&mut $s.users, $arg);
        $go(&mut $s.orgs, $arg);
        $go(&mut $s.syncs, $arg);
        $go(&mut $s.locals, $arg);
    };
}

impl Store {
    /// Recomputes `chains`, `damaged`, `tenant_ids` and the bundle fields from the files.
    pub fn rebuild_aggregates(&mut self) {
        self.chains.clear();
        self.damaged.clear();
        self.tenant_ids.clear();
        self.bundle_time = None;
        self.bundle_incomplete = false;
        for f in &self.files {
            if f.unusable.is_some() {
                if let (Some(r), false) = (f.resource, f.kind == "scope") {
                    self.damaged.entry(r).or_default().push(f.path.clone());
                }
                continue;
            }
            for &(r, api, pages, terminal, records, unpaged) in &f.chain_updates {
                let c = self.chains.entry((r, api)).or_default();
                c.pages += pages;
                c.terminal += terminal;
                c.records += records;
                c.unpaged |= unpaged;
            }
            if let Some(t) = &f.tenant_hint {
                self.tenant_ids
                    .entry(t.to_string())
                    .or_default()
                    .push(f.path.clone());
            }
            if let Some(t) = f.bundle_time {
                self.bundle_time = Some(self.bundle_time.map_or(t, |b| b.max(t)));
            }
            self.bundle_incomplete |= f.bundle_incomplete;
        }
    }

    /// Renumbers the files of every record (`new_index[old]`) and restores file order in
    /// every record vector (records of one file keep their order: by location, then index,
    /// which is the order the parser met them in).
    pub fn renumber_files(&mut self, new_index: &[u32]) {
        fn go<T: Sourced>(v: &mut Vec<T>, new_index: &[u32]) {
            for r in v.iter_mut() {
                let s = r.src_mut();
                s.file = new_index.get(s.file as usize).copied().unwrap_or(s.file);
            }
            let key = |r: &T| {
                let s = r.src();
                (s.file, s.loc, s.index)
            };
            if !v.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
                v.sort_unstable_by_key(key);
            }
        }
        each_records!(self, go, new_index);
    }

    /// How many records of each kind (managed, entra, skus, users, orgs, syncs, locals).
    pub fn record_counts(&self) -> [usize; 7] {
        [
            self.managed.len(),
            self.entra.len(),
            self.skus.len(),
            self.users.len(),
            self.orgs.len(),
            self.syncs.len(),
            self.locals.len(),
        ]
    }

    /// Drops the records added after `counts` ([`Store::record_counts`]) were taken.
    pub fn truncate_records(&mut self, counts: [usize; 7]) {
        self.managed.truncate(counts[0]);
        self.entra.truncate(counts[1]);
        self.skus.truncate(counts[2]);
        self.users.truncate(counts[3]);
        self.orgs.truncate(counts[4]);
        self.syncs.truncate(counts[5]);
        self.locals.truncate(counts[6]);
    }

    /// Gives back the spare capacity of the record vectors (a vector that grew by doubling
    /// can be half empty: 1.08M Entra records in room for 2.1M).
    pub fn shrink(&mut self) {
        fn go<T>(v: &mut Vec<T>, _: ()) {
            if v.capacity() > v.len() + v.len() / 16 {
                v.shrink_to_fit();
            }
        }
        each_records!(self, go, ());
    }

    /// Keeps the records and files whose `new_index[file]` is not `u32::MAX`, renumbered.
    pub fn retain_files(&mut self, new_index: &[u32]) {
        fn go<T: Sourced>(v: &mut Vec<T>, new_index: &[u32]) {
            v.retain_mut(|r| {
                let s = r.src_mut();
                match new_index.get(s.file as usize) {
                    Some(&n) if n != u32::MAX => {
                        s.file = n;
                        true
                    }
                    _ => false,
                }
            });
        }
        each_records!(self, go, new_index);
        let mut i = 0;
        self.files.retain(|_| {
            let keep = new_index.get(i).is_some_and(|&n| n != u32::MAX);
            i += 1;
            keep
        });
    }

    pub fn location(&self, src: Src) -> String {
        match self.locs.get(src.loc as usize) {
            Some(prefix) => format!("{prefix}[{}]", src.index),
            None => String::new(),
        }
    }
    pub fn file_name(&self, src: Src) -> &str {
        self.files
            .get(src.file as usize)
            .map(|f| f.path.as_str())
            .unwrap_or("")
    }
}
