//! The union record: one visitor that reads any record of any supported resource (and the
//! page, bundle and Graph-error wrappers) member by member, case-insensitively, so Graph's
//! camelCase and the PowerShell SDK's PascalCase land in the same typed fields.

use serde::de::{IgnoredAny, MapAccess};

use super::lenient::*;
use crate::model::*;
use crate::time::Stamp;

pub const MANAGEMENT_AGENT: &[(i64, &str)] = &[
    (1, "eas"),
    (2, "mdm"),
    (3, "easMdm"),
    (4, "intuneClient"),
    (5, "easIntuneClient"),
    (8, "configurationManagerClient"),
    (10, "configurationManagerClientMdm"),
    (11, "configurationManagerClientMdmEas"),
    (16, "unknown"),
    (32, "jamf"),
    (64, "googleCloudDevicePolicyController"),
    (258, "microsoft365ManagedMdm"),
    (512, "windowsManagementCloudApi"),
    (1024, "msSense"),
    (2048, "intuneAosp"),
    (8192, "google"),
    (8193, "unknownFutureValue"),
];
pub const OWNER_TYPE: &[(i64, &str)] = &[(0, "unknown"), (1, "company"), (2, "personal")];
pub const JOIN_TYPE: &[(i64, &str)] = &[
    (0, "unknown"),
    (1, "azureADJoined"),
    (2, "azureADRegistered"),
    (3, "hybridAzureADJoined"),
];
pub const ARCH: &[(i64, &str)] = &[
    (0, "unknown"),
    (1, "x86"),
    (2, "x64"),
    (3, "arm"),
    (4, "arM64"),
];
pub const MDM_AUTHORITY: &[(i64, &str)] =
    &[(0, "unknown"), (1, "intune"), (2, "sccm"), (3, "office365")];
pub const CAPABILITY: &[(i64, &str)] = &[];

/// A member name the readers know, from its ASCII-lower-cased key: record fields and the
/// page, bundle and Graph-error wrappers' members.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Member {
    Id,
    DeviceName,
    Os,
    OsVersion,
    OwnerType,
    Agent,
    LastSync,
    AadId,
    AadIdLong,
    Serial,
    Model,
    Manufacturer,
    Features,
    JoinType,
    SkuFamily,
    SkuNumber,
    Arch,
    CmInfo,
    UserId,
    Upn,
    DeviceId,
    DisplayName,
    Enabled,
    OsVersionEntra,
    TrustType,
    LastSignIn,
    SkuId,
    PartNumber,
    Capability,
    Consumed,
    Prepaid,
    Plans,
    Assigned,
    States,
    SyncEnabled,
    OrgLastSync,
    MdmAuthority,
    VerifiedDomains,
    TenantType,
    CountryLetterCode,
    AssignedPlans,
    Configuration,
    SyncFeatures,
    Error,
    Context,
    ContextBare,
    NextLink,
    NextLinkBare,
    OdataType,
    Schema,
    Value,
    Graph,
    Devices,
    CollectedAt,
    Complete,
    Problems,
}

impl Member {
    /// Every member with its lower-cased name.
    pub const ALL: &'static [(&'static str, Member)] = &[
        ("id", Member::Id),
        ("devicename", Member::DeviceName),
        ("operatingsystem", Member::Os),
        ("osversion", Member::OsVersion),
        ("manageddeviceownertype", Member::OwnerType),
        ("managementagent", Member::Agent),
        ("lastsyncdatetime", Member::LastSync),
        ("azureaddeviceid", Member::AadId),
        ("azureactivedirectorydeviceid", Member::AadIdLong),
        ("serialnumber", Member::Serial),
        ("model", Member::Model),
        ("manufacturer", Member::Manufacturer),
        (
            "configurationmanagerclientenabledfeatures",
            Member::Features,
        ),
        ("jointype", Member::JoinType),
        ("skufamily", Member::SkuFamily),
        ("skunumber", Member::SkuNumber),
        ("processorarchitecture", Member::Arch),
        ("configurationmanagerclientinformation", Member::CmInfo),
        ("userid", Member::UserId),
        ("userprincipalname", Member::Upn),
        ("deviceid", Member::DeviceId),
        ("displayname", Member::DisplayName),
        ("accountenabled", Member::Enabled),
        ("operatingsystemversion", Member::OsVersionEntra),
        ("trusttype", Member::TrustType),
        ("approximatelastsignindatetime", Member::LastSignIn),
        ("skuid", Member::SkuId),
        ("skupartnumber", Member::PartNumber),
        ("capabilitystatus", Member::Capability),
        ("consumedunits", Member::Consumed),
        ("prepaidunits", Member::Prepaid),
        ("serviceplans", Member::Plans),
        ("assignedlicenses", Member::Assigned),
        ("licenseassignmentstates", Member::States),
        ("onpremisessyncenabled", Member::SyncEnabled),
        ("onpremiseslastsyncdatetime", Member::OrgLastSync),
        ("mobiledevicemanagementauthority", Member::MdmAuthority),
        ("verifieddomains", Member::VerifiedDomains),
        ("tenanttype", Member::TenantType),
        ("countrylettercode", Member::CountryLetterCode),
        ("assignedplans", Member::AssignedPlans),
        ("configuration", Member::Configuration),
        ("features", Member::SyncFeatures),
        ("error", Member::Error),
        ("@odata.context", Member::Context),
        ("odata.context", Member::ContextBare),
        ("@odata.nextlink", Member::NextLink),
        ("odata.nextlink", Member::NextLinkBare),
        ("@odata.type", Member::OdataType),
        ("schema", Member::Schema),
        ("value", Member::Value),
        ("graph", Member::Graph),
        ("devices", Member::Devices),
        ("collected_at", Member::CollectedAt),
        ("complete", Member::Complete),
        ("problems", Member::Problems),
    ];

    /// The member a lower-cased key names: dispatched on the key's length first, so a key is
    /// compared with at most the few names of its length (not ~55 in a row).
    pub fn of(key: &[u8]) -> Option<Member> {
        use Member::*;
        Some(match key.len() {
            2 if key == b"id" => Id,
            5 => match key {
                b"model" => Model,
                b"skuid" => SkuId,
                b"error" => Error,
                b"value" => Value,
                b"graph" => Graph,
                _ => return None,
            },
            6 => match key {
                b"userid" => UserId,
                b"schema" => Schema,
                _ => return None,
            },
            7 if key == b"devices" => Devices,
            8 => match key {
                b"jointype" => JoinType,
                b"deviceid" => DeviceId,
                b"features" => SyncFeatures,
                b"complete" => Complete,
                b"problems" => Problems,
                _ => return None,
            },
            9 => match key {
                b"osversion" => OsVersion,
                b"skufamily" => SkuFamily,
                b"skunumber" => SkuNumber,
                b"trusttype" => TrustType,
                _ => return None,
            },
            10 => match key {
                b"devicename" => DeviceName,
                b"tenanttype" => TenantType,
                _ => return None,
            },
            11 => match key {
                b"displayname" => DisplayName,
                b"@odata.type" => OdataType,
                _ => return None,
            },
            12 => match key {
                b"serialnumber" => Serial,
                b"manufacturer" => Manufacturer,
                b"prepaidunits" => Prepaid,
                b"serviceplans" => Plans,
                b"collected_at" => CollectedAt,
                _ => return None,
            },
            13 => match key {
                b"skupartnumber" => PartNumber,
                b"consumedunits" => Consumed,
                b"assignedplans" => AssignedPlans,
                b"configuration" => Configuration,
                b"odata.context" => ContextBare,
                _ => return None,
            },
            14 => match key {
                b"accountenabled" => Enabled,
                b"@odata.context" => Context,
                b"odata.nextlink" => NextLinkBare,
                _ => return None,
            },
            15 => match key {
                b"operatingsystem" => Os,
                b"managementagent" => Agent,
                b"azureaddeviceid" => AadId,
                b"verifieddomains" => VerifiedDomains,
                b"@odata.nextlink" => NextLink,
                _ => return None,
            },
            16 => match key {
                b"lastsyncdatetime" => LastSync,
                b"capabilitystatus" => Capability,
                b"assignedlicenses" => Assigned,
                _ => return None,
            },
            17 => match key {
                b"userprincipalname" => Upn,
                b"countrylettercode" => CountryLetterCode,
                _ => return None,
            },
            21 => match key {
                b"processorarchitecture" => Arch,
                b"onpremisessyncenabled" => SyncEnabled,
                _ => return None,
            },
            22 => match key {
                b"manageddeviceownertype" => OwnerType,
                b"operatingsystemversion" => OsVersionEntra,
                _ => return None,
            },
            23 if key == b"licenseassignmentstates" => States,
            26 if key == b"onpremiseslastsyncdatetime" => OrgLastSync,
            28 if key == b"azureactivedirectorydeviceid" => AadIdLong,
            29 if key == b"approximatelastsignindatetime" => LastSignIn,
            31 if key == b"mobiledevicemanagementauthority" => MdmAuthority,
            37 if key == b"configurationmanagerclientinformation" => CmInfo,
            41 if key == b"configurationmanagerclientenabledfeatures" => Features,
            _ => return None,
        })
    }

    /// The lower-cased name (as problems quote it): `ALL` is in declaration order.
    pub fn name(self) -> &'static str {
        Member::ALL.get(self as usize).map_or("", |(n, _)| n)
    }
}

/// Every member any supported record can carry.
#[derive(Default)]
pub struct Raw {
    pub id: F<Str>,
    pub device_name: F<Str>,
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
    pub cm_info: F<CmInfo>,
    pub user_id: F<Str>,
    pub upn: F<Str>,
    // Entra device
    pub device_id: F<Str>,
    pub display_name: F<Str>,
    pub enabled: F<bool>,
    pub os_version_entra: F<Sym>,
    pub trust_type: F<Sym>,
    pub last_sign_in: F<Stamp>,
    // SKU
    pub sku_id: F<Str>,
    pub part_number: F<Str>,
    pub capability: F<Str>,
    pub consumed: F<i64>,
    pub prepaid: F<Prepaid>,
    pub plans: F<Vec<F<ServicePlan>>>,
    // user
    pub assigned: F<Vec<F<License>>>,
    pub states: F<Vec<F<License>>>,
    // organization
    pub sync_enabled: F<bool>,
    pub org_last_sync: F<Stamp>,
    pub mdm_authority: F<Str>,
    pub org_marker: bool,
    // directory sync
    pub sync_config: F<SyncConfig>,
    pub sync_marker: bool,
    // Graph error body
    pub error: F<GraphError>,
    // page / bundle
    pub context: F<Str>,
    pub next_link: F<Str>,
    pub schema: F<Str>,
    pub odata_type: F<Str>,
    /// Number of data members read (for "an empty object").
    pub members: u32,
    /// Members whose value could not be used: (member name, why).
    pub bad: Vec<(String, String)>,
}

#[derive(Default, Debug, Clone)]
pub struct CmInfo {
    pub client_version: F<Str>,
}
impl ObjFields for CmInfo {
    const EXPECTED: &'static str = "an object (configurationManagerClientInformation)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"clientversion" => self.client_version = map.next_value_seed(StrSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

#[derive(Default, Debug, Clone)]
pub struct SyncConfig {
    pub client_version: F<Str>,
}
impl ObjFields for SyncConfig {
    const EXPECTED: &'static str = "an object (onPremisesSynchronization.configuration)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"synchronizationclientversion" => {
                self.client_version = map.next_value_seed(StrSeed)?
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

#[derive(Default, Debug, Clone)]
pub struct GraphError {
    pub code: F<Str>,
    pub message: F<Str>,
}
impl ObjFields for GraphError {
    const EXPECTED: &'static str = "an object (error)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"code" => self.code = map.next_value_seed(StrSeed)?,
            b"message" => self.message = map.next_value_seed(StrSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ObjFields for Features {
    const EXPECTED: &'static str = "an object (configurationManagerClientEnabledFeatures)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"windowsupdateforbusiness" => self.windows_update = map.next_value_seed(BoolSeed)?,
            b"deviceconfiguration" => self.device_configuration = map.next_value_seed(BoolSeed)?,
            b"officeapps" => self.office_apps = map.next_value_seed(BoolSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ObjFields for Prepaid {
    const EXPECTED: &'static str = "an object (prepaidUnits)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"enabled" => self.enabled = map.next_value_seed(IntSeed)?,
            b"warning" => self.warning = map.next_value_seed(IntSeed)?,
            b"suspended" => self.suspended = map.next_value_seed(IntSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ObjFields for ServicePlan {
    const EXPECTED: &'static str = "an object (servicePlanInfo)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"serviceplanid" => self.id = map.next_value_seed(IdSeed)?,
            b"serviceplanname" => self.name = map.next_value_seed(StrSeed)?,
            b"provisioningstatus" => self.status = map.next_value_seed(StrSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ObjFields for License {
    const EXPECTED: &'static str = "an object (assignedLicense)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"skuid" => self.sku_id = map.next_value_seed(IdSeed)?,
            b"disabledplans" => self.disabled_plans = map.next_value_seed(ArrSeed(IdSeed))?,
            b"state" => self.state = map.next_value_seed(StrSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

fn sym(st: &mut Strings) -> SymSeed<'_> {
    SymSeed { st, table: None }
}

fn sym_enum<'s>(st: &'s mut Strings, table: &'static [(i64, &'static str)]) -> SymSeed<'s> {
    SymSeed {
        st,
        table: Some(table),
    }
}

/// Moves a field out of the (reused) record, leaving it absent.
fn take<T>(f: &mut F<T>) -> F<T> {
    std::mem::replace(f, F::Absent)
}

impl Raw {
    /// Reads one member of a record. Returns `false` for a member this reader does not know
    /// (the caller handles wrapper members such as `value`, `graph`, `devices`).
    pub fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: Member,
        map: &mut A,
        st: &mut Strings,
    ) -> Result<bool, A::Error> {
        let known = self.read(key, map, st)?;
        if known {
            use Member as M;
            if !matches!(
                key,
                M::Context
                    | M::ContextBare
                    | M::NextLink
                    | M::NextLinkBare
                    | M::OdataType
                    | M::Schema
            ) {
                self.members += 1;
            }
            if let Some(why) = self.bad_of(key) {
                self.bad.push((key.name().to_owned(), why));
            }
        }
        Ok(known)
    }

    /// The problem of the member just read, if its value is unusable.
    fn bad_of(&self, key: Member) -> Option<String> {
        fn d<T>(f: &F<T>) -> Option<String> {
            f.bad().map(Bad::describe)
        }
        fn list<T>(f: &F<Vec<F<T>>>) -> Option<String> {
            d(f).or_else(|| f.val().and_then(|v| v.iter().find_map(|p| d(p))))
        }
        use Member as M;
        match key {
            M::Id => d(&self.id),
            M::DeviceName => d(&self.device_name),
            M::Os => d(&self.os),
            M::OsVersion => d(&self.os_version),
            M::OwnerType => d(&self.owner_type),
            M::Agent => d(&self.agent),
            M::LastSync => d(&self.last_sync),
            M::AadId | M::AadIdLong => d(&self.aad_id),
            M::Serial => d(&self.serial),
            M::Model => d(&self.model),
            M::Manufacturer => d(&self.manufacturer),
            M::Features => d(&self.features).or_else(|| {
                self.features.val().and_then(|f| {
                    d(&f.windows_update)
                        .or(d(&f.device_configuration))
                        .or(d(&f.office_apps))
                })
            }),
            M::JoinType => d(&self.join_type),
            M::SkuFamily => d(&self.sku_family),
            M::SkuNumber => d(&self.sku_number),
            M::Arch => d(&self.arch),
            M::CmInfo => d(&self.cm_info),
            M::UserId => d(&self.user_id),
            M::Upn => d(&self.upn),
            M::DeviceId => d(&self.device_id),
            M::DisplayName => d(&self.display_name),
            M::Enabled => d(&self.enabled),
            M::OsVersionEntra => d(&self.os_version_entra),
            M::TrustType => d(&self.trust_type),
            M::LastSignIn => d(&self.last_sign_in),
            M::SkuId => d(&self.sku_id),
            M::PartNumber => d(&self.part_number),
            M::Capability => d(&self.capability),
            M::Consumed => d(&self.consumed),
            M::Prepaid => d(&self.prepaid),
            M::Plans => list(&self.plans),
            M::Assigned => list(&self.assigned),
            M::States => list(&self.states),
            M::SyncEnabled => d(&self.sync_enabled),
            M::OrgLastSync => d(&self.org_last_sync),
            M::MdmAuthority => d(&self.mdm_authority),
            M::Configuration => d(&self.sync_config),
            _ => None,
        }
    }

    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        key: Member,
        map: &mut A,
        st: &mut Strings,
    ) -> Result<bool, A::Error> {
        use Member as M;
        match key {
            M::Id => self.id = map.next_value_seed(IdSeed)?,
            M::DeviceName => self.device_name = map.next_value_seed(StrSeed)?,
            M::Os => self.os = map.next_value_seed(sym(st))?,
            M::OsVersion => self.os_version = map.next_value_seed(sym(st))?,
            M::OwnerType => self.owner_type = map.next_value_seed(sym_enum(st, OWNER_TYPE))?,
            M::Agent => self.agent = map.next_value_seed(sym_enum(st, MANAGEMENT_AGENT))?,
            M::LastSync => self.last_sync = map.next_value_seed(StampSeed)?,
            M::AadId => self.aad_id = map.next_value_seed(IdSeed)?,
            M::AadIdLong => {
                let v = map.next_value_seed(IdSeed)?;
                if self.aad_id.is_missing() {
                    self.aad_id = v;
                }
            }
            M::Serial => self.serial = map.next_value_seed(StrSeed)?,
            M::Model => self.model = map.next_value_seed(sym(st))?,
            M::Manufacturer => self.manufacturer = map.next_value_seed(sym(st))?,
            M::Features => self.features = map.next_value_seed(ObjSeed::<Features>::new())?,
            M::JoinType => self.join_type = map.next_value_seed(sym_enum(st, JOIN_TYPE))?,
            M::SkuFamily => self.sku_family = map.next_value_seed(sym(st))?,
            M::SkuNumber => self.sku_number = map.next_value_seed(IntSeed)?,
            M::Arch => self.arch = map.next_value_seed(sym_enum(st, ARCH))?,
            M::CmInfo => self.cm_info = map.next_value_seed(ObjSeed::<CmInfo>::new())?,
            M::UserId => self.user_id = map.next_value_seed(IdSeed)?,
            M::Upn => self.upn = map.next_value_seed(StrSeed)?,
            M::DeviceId => self.device_id = map.next_value_seed(IdSeed)?,
            M::DisplayName => self.display_name = map.next_value_seed(StrSeed)?,
            M::Enabled => self.enabled = map.next_value_seed(BoolSeed)?,
            M::OsVersionEntra => self.os_version_entra = map.next_value_seed(sym(st))?,
            M::TrustType => self.trust_type = map.next_value_seed(sym(st))?,
            M::LastSignIn => self.last_sign_in = map.next_value_seed(StampSeed)?,
            M::SkuId => self.sku_id = map.next_value_seed(IdSeed)?,
            M::PartNumber => self.part_number = map.next_value_seed(StrSeed)?,
            M::Capability => self.capability = map.next_value_seed(EnumSeed(CAPABILITY))?,
            M::Consumed => self.consumed = map.next_value_seed(IntSeed)?,
            M::Prepaid => self.prepaid = map.next_value_seed(ObjSeed::<Prepaid>::new())?,
            M::Plans => self.plans = map.next_value_seed(ArrSeed(ObjSeed::<ServicePlan>::new()))?,
            M::Assigned => {
                self.assigned = map.next_value_seed(ArrSeed(ObjSeed::<License>::new()))?
            }
            M::States => self.states = map.next_value_seed(ArrSeed(ObjSeed::<License>::new()))?,
            M::SyncEnabled => {
                self.org_marker = true;
                self.sync_enabled = map.next_value_seed(BoolSeed)?
            }
            M::OrgLastSync => {
                self.org_marker = true;
                self.org_last_sync = map.next_value_seed(StampSeed)?
            }
            M::MdmAuthority => {
                self.org_marker = true;
                self.mdm_authority = map.next_value_seed(EnumSeed(MDM_AUTHORITY))?
            }
            M::VerifiedDomains | M::TenantType | M::CountryLetterCode | M::AssignedPlans => {
                self.org_marker = true;
                map.next_value::<IgnoredAny>()?;
            }
            M::Configuration => {
                self.sync_marker = true;
                self.sync_config = map.next_value_seed(ObjSeed::<SyncConfig>::new())?
            }
            M::SyncFeatures => {
                self.sync_marker = true;
                map.next_value::<IgnoredAny>()?;
            }
            M::Error => self.error = map.next_value_seed(ObjSeed::<GraphError>::new())?,
            M::Context | M::ContextBare => self.context = map.next_value_seed(StrSeed)?,
            M::NextLink | M::NextLinkBare => self.next_link = map.next_value_seed(StrSeed)?,
            M::OdataType => self.odata_type = map.next_value_seed(StrSeed)?,
            M::Schema => self.schema = map.next_value_seed(StrSeed)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Which resource a record's members say it is.
    pub fn classify(&self) -> Option<Resource> {
        if !self.agent.is_absent()
            || !self.owner_type.is_absent()
            || !self.aad_id.is_absent()
            || !self.last_sync.is_absent()
            || !self.device_name.is_absent()
            || !self.features.is_absent()
        {
            return Some(Resource::ManagedDevices);
        }
        if !self.device_id.is_absent()
            && (!self.trust_type.is_absent()
                || !self.enabled.is_absent()
                || !self.last_sign_in.is_absent())
        {
            return Some(Resource::Devices);
        }
        if !self.sku_id.is_absent()
            && (!self.plans.is_absent()
                || !self.capability.is_absent()
                || !self.prepaid.is_absent())
        {
            return Some(Resource::SubscribedSkus);
        }
        if !self.assigned.is_absent() || !self.states.is_absent() || !self.upn.is_absent() {
            return Some(Resource::Users);
        }
        if self.org_marker {
            return Some(Resource::Organization);
        }
        if self.sync_marker {
            return Some(Resource::OnPremisesSynchronization);
        }
        if !self.device_id.is_absent() {
            return Some(Resource::Devices);
        }
        None
    }

    pub fn into_managed(&mut self, src: Src, api: Api, st: &mut Strings) -> ManagedDevice {
        let cm = match take(&mut self.cm_info) {
            F::Val(c) => c.client_version,
            F::Absent => F::Absent,
            F::Null => F::Null,
            F::Bad(b) => F::Bad(b),
        };
        ManagedDevice {
            src,
            api: Some(api),
            id: take(&mut self.id),
            name: take(&mut self.device_name),
            os: take(&mut self.os),
            os_version: take(&mut self.os_version),
            owner_type: take(&mut self.owner_type),
            agent: take(&mut self.agent),
            last_sync: take(&mut self.last_sync),
            aad_id: take(&mut self.aad_id),
            serial: take(&mut self.serial),
            model: take(&mut self.model),
            manufacturer: take(&mut self.manufacturer),
            features: take(&mut self.features),
            join_type: take(&mut self.join_type),
            sku_family: take(&mut self.sku_family),
            sku_number: take(&mut self.sku_number),
            arch: take(&mut self.arch),
            cm_client_version: st.f(cm),
            user_id: take(&mut self.user_id),
            upn: take(&mut self.upn),
        }
    }

    pub fn into_entra(&mut self, src: Src) -> EntraDevice {
        EntraDevice {
            src,
            id: take(&mut self.id),
            device_id: take(&mut self.device_id),
            name: take(&mut self.display_name),
            enabled: take(&mut self.enabled),
            os: take(&mut self.os),
            os_version: take(&mut self.os_version_entra),
            trust_type: take(&mut self.trust_type),
            last_sign_in: take(&mut self.last_sign_in),
        }
    }

    pub fn into_sku(&mut self, src: Src) -> Sku {
        Sku {
            src,
            sku_id: take(&mut self.sku_id),
            part_number: take(&mut self.part_number),
            capability: take(&mut self.capability),
            consumed: take(&mut self.consumed),
            prepaid: take(&mut self.prepaid),
            plans: take(&mut self.plans),
        }
    }

    pub fn into_user(&mut self, src: Src) -> User {
        User {
            src,
            id: take(&mut self.id),
            upn: take(&mut self.upn),
            name: take(&mut self.display_name),
            assigned: take(&mut self.assigned),
            states: take(&mut self.states),
        }
    }

    pub fn into_org(&mut self, src: Src) -> Organization {
        Organization {
            src,
            id: take(&mut self.id),
            name: take(&mut self.display_name),
            sync_enabled: take(&mut self.sync_enabled),
            last_sync: take(&mut self.org_last_sync),
            mdm_authority: take(&mut self.mdm_authority),
        }
    }

    pub fn into_sync(&mut self, src: Src) -> SyncInfo {
        let client_version = match take(&mut self.sync_config) {
            F::Val(c) => c.client_version,
            F::Absent => F::Absent,
            F::Null => F::Null,
            F::Bad(b) => F::Bad(b),
        };
        SyncInfo {
            src,
            client_version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Member;

    #[test]
    fn every_member_name_is_recognised_and_named_back() {
        for (i, &(name, m)) in Member::ALL.iter().enumerate() {
            assert_eq!(m as usize, i, "ALL is in declaration order");
            assert_eq!(Member::of(name.as_bytes()), Some(m), "{name}");
            assert_eq!(m.name(), name);
            assert_eq!(
                name,
                name.to_ascii_lowercase(),
                "names are lower-cased keys"
            );
        }
        for miss in [
            "",
            "i",
            "ids",
            "devicenamex",
            "odata.type",
            "@odata.count",
            "valuex",
        ] {
            assert_eq!(Member::of(miss.as_bytes()), None, "{miss}");
        }
    }
}
