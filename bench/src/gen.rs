//! The synthetic tenant: raw Microsoft Graph pages for N Intune devices, with the Entra device
//! records, users, SKUs and organization that go with them, deterministic by seed.
//!
//! Shapes: what an admin gets from Graph (Explorer or `Invoke-MgGraphRequest`) with a `$select`
//! of the fields the checks read — one beta managedDevices chain of 1000-record pages (beta,
//! because skuNumber, processorArchitecture, officeApps and the ConfigMgr client version exist
//! only there), Entra `devices` and `users` chains of 999-record pages, compact JSON as Graph
//! writes it, and the sample tenant's `subscribedSkus`, `organization` and beta
//! `onPremisesSynchronization` pages. Every page but the last of a chain carries an
//! `@odata.nextLink` (Intune's `LastDeviceId` skiptoken, the directory's opaque one). Values
//! have realistic lengths (GUIDs, names, UPNs, serial numbers by manufacturer, 7-digit
//! fractions on a quarter of the timestamps). About 0.95 KB per device.
//!
//! The failure mix is the sample tenant's, exactly: devices are drawn from a deck of the 58
//! archetypes of the sample (20 healthy, 4 healthy co-managed, one of each failure, 10 out of
//! scope), reshuffled for every 58 slots, so every block of 52 Intune records has the sample's
//! proportions. Each archetype knows its expected device verdict, so a generated tenant comes
//! with its expected counts ([`Manifest`]).

use std::fmt::Write as _;
use std::path::Path;

/// The evaluation instant every generated timestamp is relative to.
pub const AS_OF: &str = "2022-06-15T00:00:00Z";
const AS_OF_UNIX: i64 = 1_655_251_200;
const DAY: i64 = 86_400;

const DOMAIN: &str = "contosopharma.com";
const SPE_E3: &str = "05e9a617-0261-4cee-bb44-138d3ef5d965";
const STANDARDPACK: &str = "18181a46-0d4e-45cd-891e-60aabd171b4e";
const POWER_BI_STANDARD: &str = "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235";
const P_WIN_ENT: &str = "21b439ba-a0ca-424f-a6cc-52f954a5b111";
const CM_CLIENT_VERSION: &str = "5.00.9078.1006";

/// splitmix64: small, fast, and the same on every platform.
#[derive(Clone)]
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift; the tiny bias does not matter here.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
    pub fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len() as u64) as usize]
    }
    /// A lower-case GUID, version-4 shaped.
    pub fn guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let mut s = String::with_capacity(36);
        hex_into(&mut s, a >> 32, 8);
        s.push('-');
        hex_into(&mut s, (a >> 16) & 0xffff, 4);
        s.push('-');
        hex_into(&mut s, 0x4000 | (a & 0x0fff), 4);
        s.push('-');
        hex_into(&mut s, 0x8000 | ((b >> 48) & 0x3fff), 4);
        s.push('-');
        hex_into(&mut s, b & 0xffff_ffff_ffff, 12);
        s
    }
}

fn hex_into(s: &mut String, v: u64, digits: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for i in (0..digits).rev() {
        s.push(HEX[((v >> (i * 4)) & 0xf) as usize] as char);
    }
}

/// RFC 3339 UTC with whole seconds.
pub fn stamp_into(out: &mut String, unix: i64) {
    stamp(out, unix, None)
}

/// RFC 3339 UTC with whole seconds, or with 7 fraction digits as Intune often writes.
fn stamp(out: &mut String, unix: i64, fraction: Option<u32>) {
    let days = unix.div_euclid(DAY);
    let secs = unix.rem_euclid(DAY);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    );
    if let Some(f) = fraction {
        let _ = write!(out, ".{f:07}");
    }
    out.push('Z');
}

/// The device archetypes of the sample tenant (tests/data/sample-tenant/EXPECTED.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Healthy,
    CoManaged,
    CoManagedNoWufb,
    CoManagedNoOffice,
    ConfigMgrOnly,
    PersonalPro,
    Stale40,
    Near24,
    NeverSynced,
    Pro,
    X86,
    Arm64,
    Ltsc,
    MultiSession,
    Win81,
    EntraDeleted,
    EntraDisabled,
    NilAad,
    DuplicatePair,
    UserE1,
    Kiosk,
    GhostUser,
    WinPlanDisabled,
    UnknownAgent,
    OwnerUnknown,
    EntraOnlyInScope,
    // Out of scope
    Ios,
    Android,
    MacOs,
    EntraOnlyStale,
    EntraOnlyDisabled,
    EntraOnlyWorkplace,
    EntraOnlyServer,
    EntraOnlyIpad,
}

/// (archetype, copies in a deck of 58) — the sample tenant's mix.
pub const DECK: &[(Kind, u32)] = &[
    (Kind::Healthy, 20),
    (Kind::CoManaged, 4),
    (Kind::CoManagedNoWufb, 1),
    (Kind::CoManagedNoOffice, 1),
    (Kind::ConfigMgrOnly, 1),
    (Kind::PersonalPro, 1),
    (Kind::Stale40, 1),
    (Kind::Near24, 1),
    (Kind::NeverSynced, 1),
    (Kind::Pro, 1),
    (Kind::X86, 1),
    (Kind::Arm64, 1),
    (Kind::Ltsc, 1),
    (Kind::MultiSession, 1),
    (Kind::Win81, 1),
    (Kind::EntraDeleted, 1),
    (Kind::EntraDisabled, 1),
    (Kind::NilAad, 1),
    (Kind::DuplicatePair, 1),
    (Kind::UserE1, 1),
    (Kind::Kiosk, 1),
    (Kind::GhostUser, 1),
    (Kind::WinPlanDisabled, 1),
    (Kind::UnknownAgent, 1),
    (Kind::OwnerUnknown, 1),
    (Kind::EntraOnlyInScope, 1),
    (Kind::Ios, 2),
    (Kind::Android, 1),
    (Kind::MacOs, 1),
    (Kind::EntraOnlyStale, 2),
    (Kind::EntraOnlyDisabled, 1),
    (Kind::EntraOnlyWorkplace, 1),
    (Kind::EntraOnlyServer, 1),
    (Kind::EntraOnlyIpad, 1),
];

/// Expected device verdicts an archetype contributes (`r` ready, `a` advisory, `n` not
/// ready, `o` out of scope).
pub fn expected(kind: Kind) -> &'static str {
    use Kind::*;
    match kind {
        Healthy | CoManaged => "r",
        CoManagedNoWufb | CoManagedNoOffice | ConfigMgrOnly | PersonalPro | Stale40
        | NeverSynced | Pro | X86 | Win81 | EntraDeleted | EntraDisabled | NilAad | UserE1
        | WinPlanDisabled | EntraOnlyInScope => "n",
        Near24 | Arm64 | Ltsc | MultiSession | Kiosk | GhostUser | UnknownAgent | OwnerUnknown => {
            "a"
        }
        DuplicatePair => "na",
        Ios | Android | MacOs | EntraOnlyStale | EntraOnlyDisabled | EntraOnlyWorkplace
        | EntraOnlyServer | EntraOnlyIpad => "o",
    }
}

/// Intune records an archetype writes.
pub fn intune_records(kind: Kind) -> u64 {
    use Kind::*;
    match kind {
        DuplicatePair => 2,
        EntraOnlyInScope | EntraOnlyStale | EntraOnlyDisabled | EntraOnlyWorkplace
        | EntraOnlyServer | EntraOnlyIpad => 0,
        _ => 1,
    }
}

/// What was generated and what the engine should find.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub seed: u64,
    pub as_of: String,
    pub intune_records: u64,
    pub entra_records: u64,
    pub users: u64,
    pub files: u64,
    pub bytes: u64,
    /// Expected device counts (in scope: ready + advisory + not_ready).
    pub ready: u64,
    pub advisory: u64,
    pub not_ready: u64,
    pub out_of_scope: u64,
}

impl Manifest {
    pub fn devices(&self) -> u64 {
        self.ready + self.advisory + self.not_ready
    }
}

/// A chain of Graph pages being written: one file per page.
struct Chain<'a> {
    dir: &'a Path,
    file_prefix: &'static str,
    context: &'static str,
    next_base: &'static str,
    page_size: usize,
    directory_token: bool,
    page: Vec<u8>,
    in_page: usize,
    pages: u32,
    records: u64,
    bytes: u64,
    last_token: String,
}

impl<'a> Chain<'a> {
    fn new(
        dir: &'a Path,
        file_prefix: &'static str,
        context: &'static str,
        next_base: &'static str,
        page_size: usize,
        directory_token: bool,
    ) -> Self {
        Chain {
            dir,
            file_prefix,
            context,
            next_base,
            page_size,
            directory_token,
            page: Vec::with_capacity(page_size * 700),
            in_page: 0,
            pages: 0,
            records: 0,
            bytes: 0,
            last_token: String::new(),
        }
    }

    /// Adds one compact JSON record; `token` names it in the next page's skiptoken.
    fn push(&mut self, record: &str, token: &str, rng: &mut Rng) -> std::io::Result<()> {
        if self.in_page == self.page_size {
            self.flush(true, rng)?;
        }
        if self.in_page > 0 {
            self.page.push(b',');
        }
        self.page.extend_from_slice(record.as_bytes());
        self.in_page += 1;
        self.records += 1;
        self.last_token.clear();
        self.last_token.push_str(token);
        Ok(())
    }

    fn flush(&mut self, more: bool, rng: &mut Rng) -> std::io::Result<()> {
        self.pages += 1;
        let mut head = String::with_capacity(600);
        head.push_str("{\"@odata.context\":\"");
        head.push_str(self.context);
        head.push('"');
        if more {
            head.push_str(",\"@odata.nextLink\":\"");
            head.push_str(self.next_base);
            head.push_str("&$skiptoken=");
            if self.directory_token {
                // Directory skiptokens are opaque base64-ish blobs of ~200 characters.
                const B64: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                head.push_str("RFNwdAIAAQAAAC");
                for _ in 0..180 {
                    head.push(B64[rng.below(B64.len() as u64) as usize] as char);
                }
            } else {
                // Intune's: LastDeviceName='…',LastDeviceId='…', URL-encoded.
                head.push_str("LastDeviceId%3d%27");
                head.push_str(&self.last_token);
                head.push_str("%27");
            }
            head.push('"');
        }
        head.push_str(",\"value\":[");
        let mut file = Vec::with_capacity(head.len() + self.page.len() + 3);
        file.extend_from_slice(head.as_bytes());
        file.extend_from_slice(&self.page);
        file.extend_from_slice(b"]}");
        let name = format!("{}.page{:05}.json", self.file_prefix, self.pages);
        std::fs::write(self.dir.join(name), &file)?;
        self.bytes += file.len() as u64;
        self.page.clear();
        self.in_page = 0;
        Ok(())
    }

    fn finish(mut self, rng: &mut Rng) -> std::io::Result<(u64, u32, u64)> {
        if self.in_page > 0 || self.pages == 0 {
            self.flush(false, rng)?;
        }
        Ok((self.records, self.pages, self.bytes))
    }
}

const GIVEN: &[&str] = &[
    "amelie", "bruno", "carla", "daniel", "elena", "felix", "grace", "hannah", "ivan", "julia",
    "kenji", "laura", "marco", "nina", "oliver", "paula", "quentin", "rita", "samuel", "tanja",
    "ursula", "viktor", "wendy", "xavier", "yasmin", "zoe", "adrian", "beatrice", "cedric",
    "diana", "emil", "fatima", "georg", "helena", "isaac", "jana", "karl", "nadia", "omar",
    "petra",
];
const SURNAME: &[&str] = &[
    "favre",
    "keller",
    "rossi",
    "meier",
    "popescu",
    "brunner",
    "okafor",
    "schmid",
    "petrov",
    "weber",
    "tanaka",
    "fischer",
    "bianchi",
    "huber",
    "wright",
    "garcia",
    "moreau",
    "lehmann",
    "baumann",
    "graf",
    "frei",
    "novak",
    "chen",
    "dubois",
    "haddad",
    "steiner",
    "vogel",
    "roth",
    "muller",
    "kovac",
    "suter",
    "rahman",
    "widmer",
    "berg",
    "levi",
    "kessler",
    "zimmermann",
    "benali",
    "aziz",
    "wolf",
];
/// Serial-number styles of the usual manufacturers (Dell, HP, Lenovo, Microsoft).
const SERIAL_STYLES: &[u8] = &[0, 1, 2, 3, 0, 1, 0, 2];
const OSV: &[&str] = &[
    "10.0.19044.1706",
    "10.0.22000.675",
    "10.0.19043.1706",
    "10.0.19044.1682",
    "10.0.22000.708",
];

struct Person {
    id: String,
    upn: String,
}

fn serial(rng: &mut Rng, style: u8) -> String {
    const ALNUM: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut s = String::with_capacity(12);
    let (prefix, n, digits_only) = match style {
        0 => ("", 7, false),
        1 => ("5CG", 7, false),
        2 => ("PF", 6, false),
        _ => ("0", 11, true),
    };
    s.push_str(prefix);
    for _ in 0..n {
        let c = if digits_only {
            b'0' + rng.below(10) as u8
        } else {
            ALNUM[rng.below(ALNUM.len() as u64) as usize]
        };
        s.push(c as char);
    }
    s
}

/// Generates a tenant of `devices` Intune records into `out` (created; existing page files of
/// a previous run are removed first).
pub fn generate(devices: u64, seed: u64, out: &Path) -> std::io::Result<Manifest> {
    std::fs::create_dir_all(out)?;
    for e in std::fs::read_dir(out)? {
        let p = e?.path();
        if p.extension().is_some_and(|x| x == "json") {
            std::fs::remove_file(p)?;
        }
    }
    let mut rng = Rng::new(seed);
    let mut tokens = Rng::new(seed.wrapping_add(0x5eed));
    let mut beta = Chain::new(
        out,
        "managedDevices-beta",
        "https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices(id,deviceName,operatingSystem,osVersion,managedDeviceOwnerType,managementAgent,lastSyncDateTime,azureADDeviceId,serialNumber,userId,userPrincipalName,skuNumber,processorArchitecture,configurationManagerClientEnabledFeatures,configurationManagerClientInformation)",
        "https://graph.microsoft.com/beta/deviceManagement/managedDevices?$select=id,deviceName,operatingSystem,osVersion,managedDeviceOwnerType,managementAgent,lastSyncDateTime,azureADDeviceId,serialNumber,userId,userPrincipalName,skuNumber,processorArchitecture,configurationManagerClientEnabledFeatures,configurationManagerClientInformation&$top=1000",
        1000,
        false,
    );
    let mut entra = Chain::new(
        out,
        "devices",
        "https://graph.microsoft.com/v1.0/$metadata#devices(id,deviceId,displayName,accountEnabled,operatingSystem,trustType,approximateLastSignInDateTime)",
        "https://graph.microsoft.com/v1.0/devices?$select=id,deviceId,displayName,accountEnabled,operatingSystem,trustType,approximateLastSignInDateTime&$top=999",
        999,
        true,
    );
    let mut users = Chain::new(
        out,
        "users",
        "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,assignedLicenses)",
        "https://graph.microsoft.com/v1.0/users?$select=id,userPrincipalName,assignedLicenses&$top=999",
        999,
        true,
    );

    let mut m = Manifest {
        seed,
        as_of: AS_OF.to_string(),
        ..Default::default()
    };
    let mut deck: Vec<Kind> = DECK
        .iter()
        .flat_map(|(k, n)| std::iter::repeat_n(*k, *n as usize))
        .collect();
    let mut deck_pos = deck.len();
    let mut slot: u64 = 0;
    let mut rec = String::with_capacity(2048);
    let mut e3_users: u64 = 0;
    let mut e1_users: u64 = 0;
    while m.intune_records < devices {
        if deck_pos == deck.len() {
            // Fisher–Yates: every block of 58 slots holds the sample's mix exactly.
            for i in (1..deck.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                deck.swap(i, j);
            }
            deck_pos = 0;
        }
        let kind = deck[deck_pos];
        deck_pos += 1;
        if m.intune_records + intune_records(kind) > devices {
            continue;
        }
        slot += 1;
        for c in expected(kind).chars() {
            match c {
                'r' => m.ready += 1,
                'a' => m.advisory += 1,
                'n' => m.not_ready += 1,
                _ => m.out_of_scope += 1,
            }
        }
        m.intune_records += intune_records(kind);
        let number = 100_000 + slot;
        let mut d = DeviceSpec::new(kind, number, &mut rng);

        // The primary user and their licenses.
        let user = if d.has_user {
            let gi = rng.below(GIVEN.len() as u64) as usize;
            let si = rng.below(SURNAME.len() as u64) as usize;
            let p = Person {
                id: rng.guid(),
                upn: format!("{}.{}{}@{DOMAIN}", GIVEN[gi], SURNAME[si], number),
            };
            Some(p)
        } else {
            None
        };
        if let Some(p) = &user {
            if kind != Kind::GhostUser {
                let lic = match kind {
                    Kind::UserE1 => {
                        e1_users += 1;
                        Lic::E1
                    }
                    Kind::WinPlanDisabled => {
                        e3_users += 1;
                        Lic::E3WinDisabled
                    }
                    _ if rng.below(10) == 0 => {
                        e3_users += 1;
                        Lic::E3PlusBi
                    }
                    _ => {
                        e3_users += 1;
                        Lic::E3
                    }
                };
                user_record(&mut rec, p, lic);
                users.push(&rec, "", &mut tokens)?;
            }
        }
        // Users without a Windows device (admins, service accounts, mobile-only staff).
        if slot.is_multiple_of(20) {
            let gi = rng.below(GIVEN.len() as u64) as usize;
            let si = rng.below(SURNAME.len() as u64) as usize;
            let p = Person {
                id: rng.guid(),
                upn: format!("{}.{}.m{}@{DOMAIN}", GIVEN[gi], SURNAME[si], number),
            };
            e3_users += 1;
            user_record(&mut rec, &p, Lic::E3);
            users.push(&rec, "", &mut tokens)?;
        }

        let records = intune_records(kind);
        for r in 0..records {
            if r == 1 {
                // The newer Intune record of a re-enrolled device: same Entra id.
                d.intune_id = rng.guid();
                d.last_sync = AS_OF_UNIX - 12 * 3600 - rng.below(3600) as i64;
                d.serial = serial(&mut rng, d.serial_style);
            }
            md_record(&mut rec, &d, user.as_ref(), &mut rng);
            beta.push(&rec, &d.intune_id, &mut tokens)?;
        }
        if d.entra_record {
            entra_record(&mut rec, &d);
            entra.push(&rec, "", &mut tokens)?;
        }
    }

    let (n, p2, b2) = beta.finish(&mut tokens)?;
    let (ne, p3, b3) = entra.finish(&mut tokens)?;
    let (nu, p4, b4) = users.finish(&mut tokens)?;
    m.intune_records = n;
    m.entra_records = ne;
    m.users = nu;
    m.files = u64::from(p2 + p3 + p4);
    m.bytes = b2 + b3 + b4;

    // The small tenant-wide exports: the sample's, with seat counts scaled to the tenant.
    let mut skus: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/data/sample-tenant/subscribedSkus.json"
    ))?;
    if let Some(list) = skus.get_mut("value").and_then(|v| v.as_array_mut()) {
        for s in list {
            let id = s.get("skuId").and_then(|v| v.as_str()).unwrap_or("");
            let (consumed, enabled) = match id {
                SPE_E3 => (e3_users, e3_users + e3_users / 5 + 10),
                STANDARDPACK => (e1_users, e1_users + e1_users / 2 + 10),
                POWER_BI_STANDARD => (e3_users / 10, 1_000_000),
                _ => (1, 10_000),
            };
            s["consumedUnits"] = consumed.into();
            s["prepaidUnits"]["enabled"] = enabled.into();
        }
    }
    let small = [
        ("subscribedSkus.json", serde_json::to_vec(&skus)?),
        (
            "organization.json",
            include_bytes!("../../tests/data/sample-tenant/organization.json").to_vec(),
        ),
        (
            "onPremisesSynchronization-beta.json",
            include_bytes!("../../tests/data/sample-tenant/onPremisesSynchronization-beta.json")
                .to_vec(),
        ),
    ];
    for (name, bytes) in small {
        std::fs::write(out.join(name), &bytes)?;
        m.files += 1;
        m.bytes += bytes.len() as u64;
    }
    // TOML, like the sample tenant's expectations: hosts read `.json` inputs only.
    let manifest = toml::to_string(&m).map_err(std::io::Error::other)?;
    std::fs::write(out.join("manifest.toml"), manifest)?;
    Ok(m)
}

#[derive(Clone, Copy)]
enum Lic {
    E3,
    E3PlusBi,
    E3WinDisabled,
    E1,
}

fn user_record(out: &mut String, p: &Person, lic: Lic) {
    out.clear();
    let _ = write!(
        out,
        "{{\"id\":\"{}\",\"userPrincipalName\":\"{}\",\"assignedLicenses\":",
        p.id, p.upn
    );
    let _ = match lic {
        Lic::E3 => write!(out, "[{{\"disabledPlans\":[],\"skuId\":\"{SPE_E3}\"}}]}}"),
        Lic::E3PlusBi => write!(
            out,
            "[{{\"disabledPlans\":[],\"skuId\":\"{SPE_E3}\"}},{{\"disabledPlans\":[],\"skuId\":\"{POWER_BI_STANDARD}\"}}]}}"
        ),
        Lic::E3WinDisabled => write!(
            out,
            "[{{\"disabledPlans\":[\"{P_WIN_ENT}\"],\"skuId\":\"{SPE_E3}\"}}]}}"
        ),
        Lic::E1 => write!(out, "[{{\"disabledPlans\":[],\"skuId\":\"{STANDARDPACK}\"}}]}}"),
    };
}

/// Everything one slot's records are written from.
struct DeviceSpec {
    intune_id: String,
    aad_id: String,
    entra_object_id: String,
    name: String,
    os: &'static str,
    os_version: &'static str,
    owner: &'static str,
    agent: &'static str,
    last_sync: i64,
    never: bool,
    serial_style: u8,
    serial: String,
    has_user: bool,
    sku: u32,
    arch: &'static str,
    /// None: not a ConfigMgr client; Some((wufb, devcfg, office)).
    features: Option<(bool, bool, bool)>,
    entra_record: bool,
    entra_enabled: bool,
    entra_trust: &'static str,
    entra_os: &'static str,
    entra_sign_in: i64,
}

impl DeviceSpec {
    fn new(kind: Kind, number: u64, rng: &mut Rng) -> Self {
        use Kind::*;
        let serial_style = *rng.pick(SERIAL_STYLES);
        let recent = AS_OF_UNIX - 3600 - rng.below(6 * DAY as u64) as i64;
        let prefix = match kind {
            CoManaged | CoManagedNoWufb | CoManagedNoOffice | ConfigMgrOnly | Win81 => "CPH-DT-",
            X86 | Ltsc => "CPH-LAB-",
            MultiSession => "CPH-AVD-",
            Kiosk => "CPH-KSK-",
            _ => "CPH-LT-",
        };
        let name = match kind {
            PersonalPro => {
                let mut s = String::from("DESKTOP-");
                for _ in 0..7 {
                    const A: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
                    s.push(A[rng.below(A.len() as u64) as usize] as char);
                }
                s
            }
            Ios => format!("iPhone {number}"),
            Android => format!("SM-G991B {number}"),
            MacOs => format!("CPH-MAC-{number}"),
            EntraOnlyServer => format!("CPH-SRV-{number}"),
            EntraOnlyIpad => format!("iPad {number}"),
            _ => format!("{prefix}{number}"),
        };
        let serial = serial(rng, serial_style);
        let mut d = DeviceSpec {
            intune_id: rng.guid(),
            aad_id: rng.guid(),
            entra_object_id: rng.guid(),
            name,
            os: "Windows",
            os_version: OSV[rng.below(OSV.len() as u64) as usize],
            owner: "company",
            agent: "mdm",
            last_sync: recent,
            never: false,
            serial_style,
            serial,
            has_user: true,
            sku: 4,
            arch: "x64",
            features: None,
            entra_record: true,
            entra_enabled: true,
            entra_trust: if rng.below(3) == 0 {
                "ServerAd"
            } else {
                "AzureAd"
            },
            entra_os: "Windows",
            entra_sign_in: recent - rng.below(DAY as u64) as i64,
        };
        match kind {
            Healthy | EntraDeleted | EntraDisabled | NilAad | UserE1 | GhostUser
            | WinPlanDisabled => {}
            CoManaged => {
                d.agent = if rng.below(4) == 0 {
                    "configurationManagerClientMdmEas"
                } else {
                    "configurationManagerClientMdm"
                };
                d.features = Some((true, true, true));
                d.entra_trust = "ServerAd";
            }
            CoManagedNoWufb => {
                d.agent = "configurationManagerClientMdm";
                d.features = Some((false, true, true));
                d.entra_trust = "ServerAd";
            }
            CoManagedNoOffice => {
                d.agent = "configurationManagerClientMdm";
                d.features = Some((true, true, false));
                d.entra_trust = "ServerAd";
            }
            ConfigMgrOnly => {
                d.agent = "configurationManagerClient";
                d.features = Some((false, false, false));
                d.entra_trust = "ServerAd";
            }
            PersonalPro => {
                d.owner = "personal";
                d.sku = 48;
                d.entra_trust = "Workplace";
            }
            Stale40 => d.last_sync = AS_OF_UNIX - 40 * DAY - 3 * 3600,
            Near24 => d.last_sync = AS_OF_UNIX - 24 * DAY - 6 * 3600,
            NeverSynced => d.never = true,
            Pro => d.sku = 48,
            X86 => d.arch = "x86",
            Arm64 => d.arch = "arM64",
            Ltsc => d.sku = 125,
            MultiSession => {
                d.sku = 175;
                d.has_user = false;
            }
            Win81 => {
                d.os_version = "6.3.9600.20367";
            }
            Kiosk => d.has_user = false,
            UnknownAgent => d.agent = "windowsManagementCloudApi",
            OwnerUnknown => d.owner = "unknown",
            DuplicatePair => d.last_sync = AS_OF_UNIX - 45 * DAY - 5 * 3600,
            EntraOnlyInScope => d.entra_trust = "ServerAd",
            Ios => {
                d.os = "iOS";
                d.os_version = "15.5";
                d.entra_os = "iOS";
                d.entra_trust = "Workplace";
                d.owner = "personal";
            }
            Android => {
                d.os = "Android";
                d.os_version = "12";
                d.entra_os = "Android";
                d.entra_trust = "Workplace";
            }
            MacOs => {
                d.os = "macOS";
                d.os_version = "12.4 (21F79)";
                d.entra_os = "MacMDM";
                d.entra_trust = "Workplace";
            }
            EntraOnlyStale => d.entra_sign_in = AS_OF_UNIX - (100 + rng.below(200) as i64) * DAY,
            EntraOnlyDisabled => d.entra_enabled = false,
            EntraOnlyWorkplace => d.entra_trust = "Workplace",
            EntraOnlyServer => {
                d.entra_os = "Windows Server";
                d.entra_trust = "ServerAd";
            }
            EntraOnlyIpad => {
                d.entra_os = "iPadOS";
                d.entra_trust = "Workplace";
            }
        }
        match kind {
            EntraDeleted | NilAad => d.entra_record = false,
            EntraDisabled => d.entra_enabled = false,
            _ => {}
        }
        if kind == NilAad {
            d.aad_id = "00000000-0000-0000-0000-000000000000".into();
        }
        d
    }
}

fn md_record(out: &mut String, d: &DeviceSpec, user: Option<&Person>, rng: &mut Rng) {
    out.clear();
    let _ = write!(
        out,
        "{{\"id\":\"{}\",\"deviceName\":\"{}\",\"operatingSystem\":\"{}\",\"osVersion\":\"{}\",\"managedDeviceOwnerType\":\"{}\",\"managementAgent\":\"{}\",\"lastSyncDateTime\":\"",
        d.intune_id, d.name, d.os, d.os_version, d.owner, d.agent
    );
    if d.never {
        out.push_str("0001-01-01T00:00:00Z");
    } else {
        let fraction = (rng.below(4) == 0).then(|| rng.below(10_000_000) as u32);
        stamp(out, d.last_sync, fraction);
    }
    let _ = write!(
        out,
        "\",\"azureADDeviceId\":\"{}\",\"serialNumber\":\"{}\",\"userId\":\"",
        d.aad_id, d.serial
    );
    if let Some(u) = user {
        out.push_str(&u.id);
    }
    out.push_str("\",\"userPrincipalName\":");
    match user {
        Some(u) => {
            out.push('"');
            out.push_str(&u.upn);
            out.push('"');
        }
        None => out.push_str("null"),
    }
    if d.os == "Windows" {
        let _ = write!(
            out,
            ",\"skuNumber\":{},\"processorArchitecture\":\"{}\"",
            d.sku, d.arch
        );
    } else {
        out.push_str(",\"skuNumber\":0,\"processorArchitecture\":\"arM64\"");
    }
    out.push_str(",\"configurationManagerClientEnabledFeatures\":");
    match d.features {
        None => out.push_str("null,\"configurationManagerClientInformation\":null"),
        Some((wufb, devcfg, office)) => {
            let cm = d.agent != "configurationManagerClient";
            let _ = write!(
                out,
                "{{\"inventory\":{cm},\"modernApps\":{cm},\"resourceAccess\":{cm},\"deviceConfiguration\":{devcfg},\"compliancePolicy\":{cm},\"windowsUpdateForBusiness\":{wufb},\"endpointProtection\":{cm},\"officeApps\":{office}}},\"configurationManagerClientInformation\":{{\"clientIdentifier\":\"GUID:"
            );
            out.push_str(&rng.guid().to_ascii_uppercase());
            let _ = write!(
                out,
                "\",\"isBlocked\":false,\"clientVersion\":\"{CM_CLIENT_VERSION}\"}}"
            );
        }
    }
    out.push('}');
}

fn entra_record(out: &mut String, d: &DeviceSpec) {
    out.clear();
    let _ = write!(
        out,
        "{{\"id\":\"{}\",\"deviceId\":\"{}\",\"displayName\":\"{}\",\"accountEnabled\":{},\"operatingSystem\":\"{}\",\"trustType\":\"{}\",\"approximateLastSignInDateTime\":\"",
        d.entra_object_id, d.aad_id, d.name, d.entra_enabled, d.entra_os, d.entra_trust
    );
    stamp(out, d.entra_sign_in, None);
    out.push_str("\"}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_guids() {
        let mut s = String::new();
        stamp(&mut s, AS_OF_UNIX, None);
        assert_eq!(s, AS_OF);
        s.clear();
        stamp(&mut s, 1_654_041_600 + 3661, Some(1234567));
        assert_eq!(s, "2022-06-01T01:01:01.1234567Z");
        let g = Rng::new(1).guid();
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
        assert_eq!(DECK.iter().map(|(_, n)| n).sum::<u32>(), 58);
    }
}
