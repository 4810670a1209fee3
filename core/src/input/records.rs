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
        key: &[u8],
        map: &mut A,
        st: &mut Strings,
    ) -> Result<bool, A::Error> {
        let known = self.read(key, map, st)?;
        if known {
            if !key.starts_with(b"@") && !key.starts_with(b"odata.") && key != b"schema" {
                self.members += 1;
            }
            if let Some(why) = self.bad_of(key) {
                self.bad
                    .push((String::from_utf8_lossy(key).into_owned(), why));
            }
        }
        Ok(known)
    }

    /// The problem of the member just read, if its value is unusable.
    fn bad_of(&self, key: &[u8]) -> Option<String> {
        fn d<T>(f: &F<T>) -> Option<String> {
            f.bad().map(Bad::describe)
        }
        fn list<T>(f: &F<Vec<F<T>>>) -> Option<String> {
            d(f).or_else(|| f.val().and_then(|v| v.iter().find_map(|p| d(p))))
        }
        match key {
            b"id" => d(&self.id),
            b"devicename" => d(&self.device_name),
            b"operatingsystem" => d(&self.os),
            b"osversion" => d(&self.os_version),
            b"manageddeviceownertype" => d(&self.owner_type),
            b"managementagent" => d(&self.agent),
            b"lastsyncdatetime" => d(&self.last_sync),
            b"azureaddeviceid" | b"azureactivedirectorydeviceid" => d(&self.aad_id),
            b"serialnumber" => d(&self.serial),
            b"model" => d(&self.model),
            b"manufacturer" => d(&self.manufacturer),
            b"configurationmanagerclientenabledfeatures" => d(&self.features).or_else(|| {
                self.features.val().and_then(|f| {
                    d(&f.windows_update)
                        .or(d(&f.device_configuration))
                        .or(d(&f.office_apps))
                })
            }),
            b"jointype" => d(&self.join_type),
            b"skufamily" => d(&self.sku_family),
            b"skunumber" => d(&self.sku_number),
            b"processorarchitecture" => d(&self.arch),
            b"configurationmanagerclientinformation" => d(&self.cm_info),
            b"userid" => d(&self.user_id),
            b"userprincipalname" => d(&self.upn),
            b"deviceid" => d(&self.device_id),
            b"displayname" => d(&self.display_name),
            b"accountenabled" => d(&self.enabled),
            b"operatingsystemversion" => d(&self.os_version_entra),
            b"trusttype" => d(&self.trust_type),
            b"approximatelastsignindatetime" => d(&self.last_sign_in),
            b"skuid" => d(&self.sku_id),
            b"skupartnumber" => d(&self.part_number),
            b"capabilitystatus" => d(&self.capability),
            b"consumedunits" => d(&self.consumed),
            b"prepaidunits" => d(&self.prepaid),
            b"serviceplans" => list(&self.plans),
            b"assignedlicenses" => list(&self.assigned),
            b"licenseassignmentstates" => list(&self.states),
            b"onpremisessyncenabled" => d(&self.sync_enabled),
            b"onpremiseslastsyncdatetime" => d(&self.org_last_sync),
            b"mobiledevicemanagementauthority" => d(&self.mdm_authority),
            b"configuration" => d(&self.sync_config),
            _ => None,
        }
    }

    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        key: &[u8],
        map: &mut A,
        st: &mut Strings,
    ) -> Result<bool, A::Error> {
        match key {
            b"id" => self.id = map.next_value_seed(IdSeed)?,
            b"devicename" => self.device_name = map.next_value_seed(StrSeed)?,
            b"operatingsystem" => self.os = map.next_value_seed(sym(st))?,
            b"osversion" => self.os_version = map.next_value_seed(sym(st))?,
            b"manageddeviceownertype" => {
                self.owner_type = map.next_value_seed(sym_enum(st, OWNER_TYPE))?
            }
            b"managementagent" => {
                self.agent = map.next_value_seed(sym_enum(st, MANAGEMENT_AGENT))?
            }
            b"lastsyncdatetime" => self.last_sync = map.next_value_seed(StampSeed)?,
            b"azureaddeviceid" => self.aad_id = map.next_value_seed(IdSeed)?,
            b"azureactivedirectorydeviceid" => {
                let v = map.next_value_seed(IdSeed)?;
                if self.aad_id.is_missing() {
                    self.aad_id = v;
                }
            }
            b"serialnumber" => self.serial = map.next_value_seed(StrSeed)?,
            b"model" => self.model = map.next_value_seed(sym(st))?,
            b"manufacturer" => self.manufacturer = map.next_value_seed(sym(st))?,
            b"configurationmanagerclientenabledfeatures" => {
                self.features = map.next_value_seed(ObjSeed::<Features>::new())?
            }
            b"jointype" => self.join_type = map.next_value_seed(sym_enum(st, JOIN_TYPE))?,
            b"skufamily" => self.sku_family = map.next_value_seed(sym(st))?,
            b"skunumber" => self.sku_number = map.next_value_seed(IntSeed)?,
            b"processorarchitecture" => self.arch = map.next_value_seed(sym_enum(st, ARCH))?,
            b"configurationmanagerclientinformation" => {
                self.cm_info = map.next_value_seed(ObjSeed::<CmInfo>::new())?
            }
            b"userid" => self.user_id = map.next_value_seed(IdSeed)?,
            b"userprincipalname" => self.upn = map.next_value_seed(StrSeed)?,
            b"deviceid" => self.device_id = map.next_value_seed(IdSeed)?,
            b"displayname" => self.display_name = map.next_value_seed(StrSeed)?,
            b"accountenabled" => self.enabled = map.next_value_seed(BoolSeed)?,
            b"operatingsystemversion" => self.os_version_entra = map.next_value_seed(sym(st))?,
            b"trusttype" => self.trust_type = map.next_value_seed(sym(st))?,
            b"approximatelastsignindatetime" => {
                self.last_sign_in = map.next_value_seed(StampSeed)?
            }
            b"skuid" => self.sku_id = map.next_value_seed(IdSeed)?,
            b"skupartnumber" => self.part_number = map.next_value_seed(StrSeed)?,
            b"capabilitystatus" => self.capability = map.next_value_seed(EnumSeed(CAPABILITY))?,
            b"consumedunits" => self.consumed = map.next_value_seed(IntSeed)?,
            b"prepaidunits" => self.prepaid = map.next_value_seed(ObjSeed::<Prepaid>::new())?,
            b"serviceplans" => {
                self.plans = map.next_value_seed(ArrSeed(ObjSeed::<ServicePlan>::new()))?
            }
            b"assignedlicenses" => {
                self.assigned = map.next_value_seed(ArrSeed(ObjSeed::<License>::new()))?
            }
            b"licenseassignmentstates" => {
                self.states = map.next_value_seed(ArrSeed(ObjSeed::<License>::new()))?
            }
            b"onpremisessyncenabled" => {
                self.org_marker = true;
                self.sync_enabled = map.next_value_seed(BoolSeed)?
            }
            b"onpremiseslastsyncdatetime" => {
                self.org_marker = true;
                self.org_last_sync = map.next_value_seed(StampSeed)?
            }
            b"mobiledevicemanagementauthority" => {
                self.org_marker = true;
                self.mdm_authority = map.next_value_seed(EnumSeed(MDM_AUTHORITY))?
            }
            b"verifieddomains" | b"tenanttype" | b"countrylettercode" | b"assignedplans" => {
                self.org_marker = true;
                map.next_value::<IgnoredAny>()?;
            }
            b"configuration" => {
                self.sync_marker = true;
                self.sync_config = map.next_value_seed(ObjSeed::<SyncConfig>::new())?
            }
            b"features" => {
                self.sync_marker = true;
                map.next_value::<IgnoredAny>()?;
            }
            b"error" => self.error = map.next_value_seed(ObjSeed::<GraphError>::new())?,
            b"@odata.context" | b"odata.context" => self.context = map.next_value_seed(StrSeed)?,
            b"@odata.nextlink" | b"odata.nextlink" => {
                self.next_link = map.next_value_seed(StrSeed)?
            }
            b"@odata.type" => self.odata_type = map.next_value_seed(StrSeed)?,
            b"schema" => self.schema = map.next_value_seed(StrSeed)?,
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
