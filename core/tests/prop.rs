//! Property tests (proptest) of the engine's entry point, `apready_core::run`:
//!
//! 1. **Round trip.** Generated `managedDevices`, `devices` and `users` pages, serialized with
//!    serde_json from typed structs (compact or pretty, UTF-8 with or without BOM, or UTF-16LE),
//!    split into page chains: the report's `inputs[]` counts exactly the generated records and
//!    pages, no chain is truncated, and every Windows device id is in `devices.items`.
//! 2. **Monotone verdicts.** Making one device worse (an older `lastSyncDateTime`, owner
//!    `personal`, agent `configurationManagerClient`) never makes the tenant verdict or any
//!    other device's verdict better, and never makes that device's verdict better.
//! 3. **Hostile text in every field, every format.** Payloads aimed at HTML/JS contexts, CSV
//!    formulas, Markdown links and raw HTML, XML special and invalid characters and terminals,
//!    placed in the tenant name, device names, agent and OS values, serial numbers, UPNs,
//!    a Graph error message and the file names (the per-format tests in `hostile.rs` cover
//!    device names from a fixed file; these cover every other field that reaches a report).
//!
//! Verdict order (checks.md): ready < advisory < error < not_ready.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use apready_core::{run, Input};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::Value;

const AS_OF: &str = "2022-06-15T00:00:00Z";
/// 2022-06-15T00:00:00Z in seconds since the Unix epoch.
const AS_OF_SECS: i64 = 1_655_251_200;
const V1: &str = "https://graph.microsoft.com/v1.0/$metadata#";

// ------------------------------------------------------------------------------ Graph shapes

#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
struct ManagedDevice {
    id: String,
    device_name: String,
    operating_system: String,
    os_version: String,
    managed_device_owner_type: String,
    management_agent: String,
    last_sync_date_time: String,
    #[serde(rename = "azureADDeviceId")]
    azure_ad_device_id: String,
    serial_number: String,
    user_id: Option<String>,
    user_principal_name: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
struct EntraDevice {
    id: String,
    device_id: String,
    display_name: String,
    account_enabled: bool,
    operating_system: String,
    operating_system_version: String,
    trust_type: Option<String>,
    approximate_last_sign_in_date_time: String,
}

#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
struct AssignedLicense {
    sku_id: String,
    disabled_plans: Vec<String>,
}

#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    display_name: String,
    user_principal_name: String,
    account_enabled: bool,
    assigned_licenses: Vec<AssignedLicense>,
}

#[derive(Serialize)]
struct Page<'a, T> {
    #[serde(rename = "@odata.context")]
    context: String,
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    next_link: Option<String>,
    value: &'a [T],
}

/// How a file is written.
#[derive(Debug, Clone, Copy)]
enum Encoding {
    Compact,
    Pretty,
    Utf8Bom,
    Utf16Le,
}

fn encode(v: &impl Serialize, enc: Encoding) -> Vec<u8> {
    let text = match enc {
        Encoding::Pretty => serde_json::to_string_pretty(v).unwrap(),
        _ => serde_json::to_string(v).unwrap(),
    };
    match enc {
        Encoding::Compact | Encoding::Pretty => text.into_bytes(),
        Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Encoding::Utf16Le => {
            let mut out = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
            out
        }
    }
}

/// The records as a chain of pages of `per_page` records (at least one page), each but the
/// last with an `@odata.nextLink`: `(file name, bytes, records in it)`.
fn pages<T: Serialize>(
    resource: &str,
    context: &str,
    records: &[T],
    per_page: usize,
    enc: Encoding,
) -> Vec<(String, Vec<u8>, usize)> {
    let chunks: Vec<&[T]> = if records.is_empty() {
        vec![&records[..0]]
    } else {
        records.chunks(per_page.max(1)).collect()
    };
    let last = chunks.len() - 1;
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let page = Page {
                context: format!("{V1}{context}"),
                next_link: (i < last).then(|| {
                    format!(
                        "https://graph.microsoft.com/v1.0/{context}?$skiptoken=p{}",
                        i + 1
                    )
                }),
                value: chunk,
            };
            (
                format!("{resource}.page{}.json", i + 1),
                encode(&page, enc),
                chunk.len(),
            )
        })
        .collect()
}

fn guid(salt: u32, kind: u16, i: usize) -> String {
    format!("{salt:08x}-{kind:04x}-4000-8000-{i:012x}")
}

fn stamp(secs_before_as_of: i64) -> String {
    let t = AS_OF_SECS - secs_before_as_of;
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

const AGENTS: &[&str] = &[
    "mdm",
    "easMdm",
    "configurationManagerClientMdm",
    "configurationManagerClientMdmEas",
    "microsoft365ManagedMdm",
    "configurationManagerClient",
    "eas",
    "intuneClient",
    "msSense",
    "jamf",
    "unknown",
    "somethingNew",
];
const OWNERS: &[&str] = &["company", "personal", "unknown"];
const OS_VERSIONS: &[&str] = &[
    "10.0.19045.2006",
    "10.0.22000.675",
    "10.0.22621.1702",
    "10.0.17763.1",
    "10.0.14393.0",
    "6.3.9600.20367",
];
const SKUS: &[&str] = &[
    "05e9a617-0261-4cee-bb44-138d3ef5d965", // Microsoft 365 E3
    "06ebc4ee-1bb5-47dd-8120-11324bc54e06", // Microsoft 365 E5
    "18181a46-0d4e-45cd-891e-60aabd171b4e", // Office 365 E1
    "6fd2c87f-b296-42f0-b197-1e91e994b900", // Office 365 E3
];

/// A device as generated (the parts that the worsening operations touch are explicit).
#[derive(Debug, Clone)]
struct DeviceSpec {
    name: String,
    windows: bool,
    os_version: usize,
    owner: usize,
    agent: usize,
    /// Seconds before `as_of` of the last sync.
    sync_age: i64,
    has_user: bool,
    entra: bool,
}

fn device_spec() -> impl Strategy<Value = DeviceSpec> {
    (
        "[A-Za-z0-9 ._-]{1,20}",
        prop::bool::weighted(0.85),
        0..OS_VERSIONS.len(),
        0..OWNERS.len(),
        0..AGENTS.len(),
        0i64..(60 * 86_400),
        any::<bool>(),
        prop::bool::weighted(0.7),
    )
        .prop_map(
            |(name, windows, os_version, owner, agent, sync_age, has_user, entra)| DeviceSpec {
                name,
                windows,
                os_version,
                owner,
                agent,
                sync_age,
                has_user,
                entra,
            },
        )
}

#[derive(Debug, Clone)]
struct Tenant {
    salt: u32,
    devices: Vec<DeviceSpec>,
    /// Entra devices with no Intune record.
    entra_only: usize,
    users: Vec<usize>,
    per_page: usize,
    encoding: Encoding,
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Compact),
        Just(Encoding::Pretty),
        Just(Encoding::Utf8Bom),
        Just(Encoding::Utf16Le),
    ]
}

fn tenant(max_devices: usize) -> impl Strategy<Value = Tenant> {
    (
        any::<u32>(),
        prop::collection::vec(device_spec(), 0..max_devices),
        0usize..5,
        prop::collection::vec(0..SKUS.len() + 1, 0..12),
        1usize..12,
        encoding(),
    )
        .prop_map(
            |(salt, devices, entra_only, users, per_page, encoding)| Tenant {
                salt,
                devices,
                entra_only,
                users,
                per_page,
                encoding,
            },
        )
}

impl Tenant {
    fn managed(&self) -> Vec<ManagedDevice> {
        self.devices
            .iter()
            .enumerate()
            .map(|(i, d)| ManagedDevice {
                id: guid(self.salt, 1, i),
                device_name: d.name.clone(),
                operating_system: if d.windows { "Windows" } else { "iOS" }.into(),
                os_version: OS_VERSIONS[d.os_version].into(),
                managed_device_owner_type: OWNERS[d.owner].into(),
                management_agent: AGENTS[d.agent].into(),
                last_sync_date_time: stamp(d.sync_age),
                azure_ad_device_id: guid(self.salt, 2, i),
                serial_number: format!("SN{i:06}"),
                user_id: (d.has_user && !self.users.is_empty())
                    .then(|| guid(self.salt, 3, i % self.users.len())),
                user_principal_name: None,
            })
            .collect()
    }

    fn entra(&self) -> Vec<EntraDevice> {
        let linked = self
            .devices
            .iter()
            .enumerate()
            .filter(|(_, d)| d.entra)
            .map(|(i, d)| EntraDevice {
                id: guid(self.salt, 4, i),
                device_id: guid(self.salt, 2, i),
                display_name: d.name.clone(),
                account_enabled: true,
                operating_system: "Windows".into(),
                operating_system_version: OS_VERSIONS[d.os_version].into(),
                trust_type: Some("AzureAd".into()),
                approximate_last_sign_in_date_time: stamp(d.sync_age),
            });
        let only = (0..self.entra_only).map(|j| EntraDevice {
            id: guid(self.salt, 5, j),
            device_id: guid(self.salt, 6, j),
            display_name: format!("ENTRA-ONLY-{j}"),
            account_enabled: j % 2 == 0,
            operating_system: "Windows".into(),
            operating_system_version: "10.0.19045.2006".into(),
            trust_type: Some("AzureAd".into()),
            approximate_last_sign_in_date_time: stamp(86_400 * (j as i64 + 1)),
        });
        linked.chain(only).collect()
    }

    fn users(&self) -> Vec<User> {
        self.users
            .iter()
            .enumerate()
            .map(|(i, sku)| User {
                id: guid(self.salt, 3, i),
                display_name: format!("User {i}"),
                user_principal_name: format!("user{i}@contoso.example"),
                account_enabled: true,
                assigned_licenses: SKUS
                    .get(*sku)
                    .map(|s| {
                        vec![AssignedLicense {
                            sku_id: (*s).into(),
                            disabled_plans: Vec::new(),
                        }]
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Every page file: `(path, bytes, records)`.
    fn files(&self) -> Vec<(String, Vec<u8>, usize)> {
        let mut f = pages(
            "managedDevices",
            "deviceManagement/managedDevices",
            &self.managed(),
            self.per_page,
            self.encoding,
        );
        f.extend(pages(
            "devices",
            "devices",
            &self.entra(),
            self.per_page,
            self.encoding,
        ));
        f.extend(pages(
            "users",
            "users",
            &self.users(),
            self.per_page,
            self.encoding,
        ));
        f
    }

    fn inputs(&self) -> Vec<Input> {
        self.files()
            .into_iter()
            .map(|(path, bytes, _)| Input { path, bytes })
            .collect()
    }
}

fn report(inputs: &[Input], options: &str) -> Value {
    let out = run(inputs, options.as_bytes());
    assert!(
        (0..=3).contains(&out.exit_code),
        "exit {}: {}",
        out.exit_code,
        String::from_utf8_lossy(&out.output)
    );
    serde_json::from_slice(&out.output).unwrap()
}

fn options() -> String {
    format!(r#"{{"as_of":"{AS_OF}"}}"#)
}

fn rank(v: &str) -> u8 {
    match v {
        "ready" => 0,
        "advisory" => 1,
        "error" => 2,
        "not_ready" => 3,
        other => panic!("unknown verdict {other}"),
    }
}

fn device_verdicts(r: &Value) -> BTreeMap<String, String> {
    r["devices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------- 1. round trip

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_pages_round_trip(t in tenant(40)) {
        let files = t.files();
        let inputs = t.inputs();
        let r = report(&inputs, &options());
        let listed = r["inputs"].as_array().unwrap();
        prop_assert_eq!(listed.len(), files.len());
        for (path, _, n) in &files {
            let entry = listed
                .iter()
                .find(|i| i["file"].as_str() == Some(path.as_str()))
                .unwrap_or_else(|| panic!("{path} not in inputs[]"));
            prop_assert!(entry.get("error").is_none(), "{path}: {}", entry["error"]);
            prop_assert_eq!(entry["records"].as_u64(), Some(*n as u64), "{}", path);
            prop_assert_eq!(entry["pages"].as_u64(), Some(1), "{}", path);
            prop_assert_eq!(entry["truncated"].as_bool(), Some(false), "{}", path);
        }
        let ids = device_verdicts(&r);
        let managed = t.managed();
        for (m, d) in managed.iter().zip(&t.devices) {
            if d.windows {
                prop_assert!(ids.contains_key(&m.id), "device {} not in devices.items", m.id);
            } else {
                prop_assert!(!ids.contains_key(&m.id), "non-Windows {} listed", m.id);
            }
        }
        let windows = t.devices.iter().filter(|d| d.windows).count() as u64;
        prop_assert!(r["devices"]["total"].as_u64().unwrap() >= windows);
        let non_windows = t.devices.len() as u64 - windows;
        prop_assert!(r["devices"]["out_of_scope"].as_u64().unwrap() >= non_windows);
        let checks = r["checks"].as_array().unwrap();
        let inp = checks.iter().find(|c| c["id"] == "INP-001").unwrap();
        prop_assert_eq!(inp["status"].as_str(), Some("ready"));
    }
}

// ---------------------------------------------------------------------------------- 2. monotone

#[derive(Debug, Clone)]
enum Worse {
    /// Last sync this many more seconds ago.
    OlderSync(i64),
    Personal,
    ConfigMgrOnly,
}

fn worse() -> impl Strategy<Value = Worse> {
    prop_oneof![
        (1i64..(90 * 86_400)).prop_map(Worse::OlderSync),
        Just(Worse::Personal),
        Just(Worse::ConfigMgrOnly),
    ]
}

fn apply(d: &mut DeviceSpec, w: &Worse) {
    match w {
        Worse::OlderSync(s) => d.sync_age += s,
        Worse::Personal => d.owner = 1,
        Worse::ConfigMgrOnly => d.agent = 5,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn making_one_device_worse_never_makes_anything_better(
        t in tenant(16).prop_filter("a device to worsen", |t| !t.devices.is_empty()),
        pick in any::<prop::sample::Index>(),
        w in worse(),
    ) {
        let k = pick.index(t.devices.len());
        let before = report(&t.inputs(), &options());
        let mut worse_t = t.clone();
        apply(&mut worse_t.devices[k], &w);
        let after = report(&worse_t.inputs(), &options());

        let (vb, va) = (before["verdict"].as_str().unwrap(), after["verdict"].as_str().unwrap());
        // (A single tenant check may improve — the last co-managed device turning
        // ConfigMgr-only makes CM-001 not_applicable — but never the verdict.)
        prop_assert!(rank(va) >= rank(vb), "tenant verdict {vb} -> {va} after {w:?} on device {k}");
        let (db, da) = (device_verdicts(&before), device_verdicts(&after));
        let target = guid(t.salt, 1, k);
        for (id, v) in &db {
            if let Some(a) = da.get(id) {
                prop_assert!(
                    rank(a) >= rank(v),
                    "device {id}{}: {v} -> {a} after {w:?} on device {k}",
                    if *id == target { " (the one made worse)" } else { "" }
                );
            }
        }
        // The device keeps its place in the report (worsening never drops it from scope).
        prop_assert_eq!(db.contains_key(&target), da.contains_key(&target));
    }
}

// --------------------------------------------------------------------------- 3. hostile text

/// Payloads for every output context.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    "\" onmouseover=\"alert(1)",
    "</title><script>x</script>",
    "</style><x-inj>",
    "javascript:alert(1)",
    "<!-- comment -->",
    "]]><x-inj/><![CDATA[",
    "&amp;&lt;&#0;&#x1;",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\tTAB",
    "\rCR",
    "[click](https://evil.example)",
    "![img](https://evil.example/x.png)",
    "<https://evil.example>",
    "| a | b |",
    "\n# INJ-HEADING\n",
    "`code` *em* _u_ ~~s~~",
    "{{7*7}} ${7*7}",
    "\u{1b}[31mRED\u{1b}[0m\u{7}",
    "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}",
    "\u{202e}gnp.exe\u{2066}\u{200f}",
    "\u{fffe}\u{ffff}\u{feff}",
    "\u{d7ff}\u{e000}\u{10ffff}",
    "\\",
];

fn payload() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(PAYLOADS).prop_map(str::to_string),
        1 => (prop::sample::select(PAYLOADS), prop::sample::select(PAYLOADS), "\\PC{0,6}")
            .prop_map(|(a, b, c)| format!("{a}{c}{b}")),
        1 => "[\\x00-\\x7f<>&\"'=+@|\\[\\]()`*_#\\\\\u{202e}\u{fffe}]{1,24}",
    ]
}

/// A file name from a payload: what a browser or a folder may call a file.
fn file_name(p: &str, suffix: &str) -> String {
    let clean: String = p
        .chars()
        .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
        .take(40)
        .collect();
    format!("{clean}{suffix}")
}

fn hostile_inputs(p: &[String]) -> Vec<Input> {
    let org = serde_json::json!({
        "@odata.context": format!("{V1}organization"),
        "value": [{
            "id": "11111111-2222-4333-8444-555555555555",
            "displayName": p[0],
            "onPremisesSyncEnabled": null,
            "mobileDeviceManagementAuthority": p[1],
        }]
    });
    let md: Vec<Value> = (0..3)
        .map(|i| {
            serde_json::json!({
                "id": guid(7, 1, i),
                "deviceName": p[(2 + i) % p.len()],
                "operatingSystem": "Windows",
                "osVersion": if i == 0 { p[3].as_str() } else { "10.0.19045.2006" },
                "managedDeviceOwnerType": if i == 1 { p[4].as_str() } else { "company" },
                "managementAgent": if i == 2 { p[5].as_str() } else { "mdm" },
                "lastSyncDateTime": if i == 0 { p[6].as_str() } else { "2022-06-14T00:00:00Z" },
                "azureADDeviceId": guid(7, 2, i),
                "serialNumber": p[7],
                "userPrincipalName": p[1],
            })
        })
        .collect();
    let page = serde_json::json!({
        "@odata.context": format!("{V1}deviceManagement/managedDevices"),
        "value": md,
    });
    let graph_error = serde_json::json!({
        "error": { "code": p[2], "message": p[3] }
    });
    let unknown_schema = serde_json::json!({ "schema": p[4], "graph": [] });
    vec![
        Input {
            path: file_name(&p[0], ".organization.json"),
            bytes: serde_json::to_vec(&org).unwrap(),
        },
        Input {
            path: file_name(&p[1], ".managedDevices.json"),
            bytes: serde_json::to_vec(&page).unwrap(),
        },
        Input {
            path: file_name(&p[2], ".users.json"),
            bytes: serde_json::to_vec(&graph_error).unwrap(),
        },
        Input {
            path: file_name(&p[5], ".snapshot.json"),
            bytes: serde_json::to_vec(&unknown_schema).unwrap(),
        },
    ]
}

fn render(inputs: &[Input], format: &str, redact: bool) -> String {
    let options = if redact {
        format!(r#"{{"as_of":"{AS_OF}","format":"{format}","redact_key":"k"}}"#)
    } else {
        format!(r#"{{"as_of":"{AS_OF}","format":"{format}"}}"#)
    };
    let out = run(inputs, options.as_bytes());
    assert!((0..=3).contains(&out.exit_code), "exit {}", out.exit_code);
    String::from_utf8(out.output).unwrap()
}

fn check_html(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "<svg", "<x-inj", "<![cdata[", "<!--"] {
        assert!(!lower.contains(bad), "raw {bad:?} in the HTML");
    }
    // Every '<' opens one of the writer's own tags or a comment-free closing tag.
    const TAGS: &[&str] = &[
        "!doctype", "html", "head", "meta", "title", "style", "body", "main", "div", "span", "b",
        "i", "h1", "h2", "h3", "p", "br", "wbr", "nav", "a", "section", "article", "header",
        "footer", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "code", "bdi",
        "details", "summary", "dl", "dt", "dd", "small", "strong", "em", "ol", "time", "abbr",
    ];
    // Attributes the writer uses: a value that broke out of its quotes would add another.
    const ATTRS: &[&str] = &[
        "lang",
        "charset",
        "http-equiv",
        "content",
        "name",
        "class",
        "id",
        "href",
        "style",
        "title",
        "colspan",
        "rowspan",
        "scope",
        "role",
        "open",
        "datetime",
        "dir",
        "translate",
    ];
    let mut rest = html;
    let mut at = 0;
    while let Some(i) = rest.find('<') {
        let tag_text = &rest[i + 1..];
        let end = tag_text.find('>').expect("an unclosed tag");
        let tag = &tag_text[..end];
        let bare = tag.strip_prefix('/').unwrap_or(tag);
        let name: String = bare
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected markup <{name}… at {}: {:?}",
            at + i,
            &tag[..tag.len().min(60)]
        );
        if name != "!doctype" {
            for a in attribute_names(bare) {
                assert!(
                    ATTRS.contains(&a.as_str()) || a.starts_with("data-") || a.starts_with("aria-"),
                    "attribute {a:?} in <{}>",
                    &tag[..tag.len().min(80)]
                );
            }
        }
        at += i + 1 + end + 1;
        rest = &tag_text[end + 1..];
    }
    for (i, _) in html.match_indices("href=\"") {
        assert!(
            html[i + 6..].starts_with('#'),
            "a link that leaves the page at {i}"
        );
    }
}

/// Attribute names of a tag's text (values are double-quoted).
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_value = false;
    let mut word = String::new();
    for c in tag.chars().skip_while(|c| !c.is_whitespace()) {
        if in_value {
            if c == '"' {
                in_value = false;
            }
            continue;
        }
        match c {
            '"' => in_value = true,
            '=' => names.push(std::mem::take(&mut word).to_ascii_lowercase()),
            '/' => {}
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    names.push(std::mem::take(&mut word).to_ascii_lowercase());
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        names.push(word.to_ascii_lowercase());
    }
    names
}

fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            '"' => panic!("bare quote inside an unquoted field: {field:?}"),
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\r' | '\n' => panic!("bare line break outside quotes after {field:?}"),
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(field.is_empty() && row.is_empty(), "last record lacks CRLF");
    rows
}

fn check_csv(csv: &str) {
    let rows = parse_csv(csv);
    let width = rows[0].len();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.len(), width, "row {i} has {} fields", r.len());
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "row {i}: cell {cell:?} could run as a formula"
            );
        }
    }
}

fn check_md(md: &str) {
    let lower = md.to_ascii_lowercase();
    for bad in ["<script", "<svg", "<x-inj", "<!--", "<https:"] {
        assert!(!lower.contains(bad), "raw {bad:?} in the Markdown");
    }
    for (i, _) in md.match_indices("](") {
        assert!(
            i > 0 && md.as_bytes()[i - 1] == b'\\',
            "a Markdown link at {i}"
        );
    }
    let mut columns = None;
    for line in md.lines() {
        let heading = line.trim_start().trim_start_matches('#').trim_start();
        assert!(
            !heading.starts_with("INJ-HEADING"),
            "an injected heading: {line}"
        );
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let bare = line
            .char_indices()
            .filter(|(i, c)| *c == '|' && (*i == 0 || line.as_bytes()[i - 1] != b'\\'))
            .count();
        match columns {
            None => columns = Some(bare),
            Some(n) => assert_eq!(bare, n, "table row with extra cells: {line}"),
        }
    }
}

fn check_junit(xml: &str) {
    for c in xml.chars() {
        assert!(
            matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}'),
            "U+{:04X} is not allowed in XML 1.0",
            u32::from(c)
        );
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                for a in e.attributes() {
                    a.unwrap().unescape_value().unwrap();
                }
            }
            Ok(quick_xml::events::Event::Empty(e)) => {
                for a in e.attributes() {
                    a.unwrap().unescape_value().unwrap();
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.decode().unwrap();
            }
            Ok(quick_xml::events::Event::CData(_)) => panic!("CDATA in the JUnit output"),
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
}

fn check_text(text: &str) {
    for c in text.chars() {
        assert!(
            !c.is_control() || c == '\n',
            "control character U+{:04X} in the text summary",
            u32::from(c)
        );
        assert!(
            !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
            "bidi control U+{:04X} in the text summary",
            u32::from(c)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn hostile_text_in_every_field_stays_inert_in_every_format(
        p in prop::collection::vec(payload(), 8),
        redact in any::<bool>(),
    ) {
        let inputs = hostile_inputs(&p);
        let json = render(&inputs, "json", redact);
        let v: Value = serde_json::from_str(&json).unwrap();
        prop_assert!(v["verdict"].is_string());
        if !redact {
            // JSON keeps the names exactly (escaping is the JSON writer's).
            let names: Vec<&str> = v["devices"]["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|d| d["name"].as_str())
                .collect();
            for i in 0..3 {
                let want = p[(2 + i) % p.len()].trim();
                prop_assert!(
                    want.is_empty() || names.iter().any(|n| n.trim() == want),
                    "device name {want:?} not kept in {names:?}"
                );
            }
        }
        check_html(&render(&inputs, "html", redact));
        check_csv(&render(&inputs, "csv", redact));
        check_md(&render(&inputs, "md", redact));
        check_junit(&render(&inputs, "junit", redact));
        check_text(&render(&inputs, "text", redact));
    }
}

/// Every payload at once, unredacted: a fixed case that runs even when proptest's sampling
/// would not combine them.
#[test]
fn every_payload_in_every_field() {
    for chunk in PAYLOADS.chunks(8) {
        let mut p: Vec<String> = chunk.iter().map(|s| s.to_string()).collect();
        while p.len() < 8 {
            p.push(PAYLOADS[p.len()].to_string());
        }
        let inputs = hostile_inputs(&p);
        check_html(&render(&inputs, "html", false));
        check_csv(&render(&inputs, "csv", false));
        check_md(&render(&inputs, "md", false));
        check_junit(&render(&inputs, "junit", false));
        check_text(&render(&inputs, "text", false));
    }
}
