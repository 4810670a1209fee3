//! Redaction: no identifier from the inputs survives in any format of a redacted report.
//!
//! The identifiers are collected from the input files themselves, independently of the
//! engine's own list: every GUID, device name, user name, UPN and mail address, serial number,
//! tenant name and verified domain, host name in a URL or proxy setting, the values `dsregcmd`
//! prints about the device and tenant, and every input file name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::Value;

/// Keys whose string values identify a device, a user or the tenant.
const KEYS: &[&str] = &[
    "id",
    "deviceid",
    "azureaddeviceid",
    "userid",
    "devicename",
    "displayname",
    "userprincipalname",
    "emailaddress",
    "mail",
    "serialnumber",
    "serial_number",
    "userdisplayname",
    "manageddevicename",
    "computer_name",
    "computername",
    "tenantid",
    "tenant_id",
    "tenantname",
    "tenant_name",
];

/// `dsregcmd /status` lines whose value identifies the device, the user or the tenant.
const DSREG: &[&str] = &[
    "DeviceId",
    "TenantId",
    "TenantName",
    "UserEmail",
    "Executing Account Name",
    "DeviceCertificateValidity",
    "KeySignTest",
    "WorkplaceDeviceId",
    "WorkplaceTenantId",
    "WorkplaceTenantName",
];

fn is_hex_guid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn guids(s: &str, out: &mut BTreeSet<String>) {
    let b = s.as_bytes();
    for i in 0..b.len().saturating_sub(35) {
        if is_hex_guid(&b[i..i + 36]) {
            out.insert(s[i..i + 36].to_string());
        }
    }
}

fn mails(s: &str, out: &mut BTreeSet<String>) {
    for w in s.split(|c: char| c.is_whitespace() || "\"'<>(),;".contains(c)) {
        if let Some((l, d)) = w.split_once('@') {
            if !l.is_empty() && d.contains('.') {
                out.insert(w.trim_end_matches('.').to_string());
                out.insert(d.trim_end_matches('.').to_string());
            }
        }
    }
}

fn hosts(s: &str, out: &mut BTreeSet<String>) {
    let mut rest = s;
    while let Some(i) = rest.find("://") {
        let h: String = rest[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .collect();
        let lower = h.to_ascii_lowercase();
        let public = [
            "microsoft.com",
            "windows.net",
            "microsoftonline.com",
            "office.com",
            "windowsupdate.com",
        ]
        .iter()
        .any(|d| lower == *d || lower.ends_with(&format!(".{d}")));
        if h.contains('.') && !public && !h.chars().all(|c| c.is_ascii_digit() || c == '.') {
            out.insert(h);
        }
        rest = &rest[i + 3..];
    }
}

fn walk(v: &Value, key: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k.eq_ignore_ascii_case("verifiedDomains") {
                    for d in x.as_array().into_iter().flatten() {
                        if let Some(n) = d.get("name").and_then(Value::as_str) {
                            out.insert(n.to_string());
                        }
                    }
                }
                walk(x, k, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, key, out)),
        Value::String(s) => {
            let k = key.to_ascii_lowercase();
            let hostile = s.contains('\n') || s.contains('\r');
            if KEYS.contains(&k.as_str()) && !s.trim().is_empty() && !hostile {
                out.insert(s.trim().to_string());
            }
            if k == "dsregcmd" {
                for line in s.lines() {
                    if let Some((name, value)) = line.trim().trim_matches('|').split_once(" : ") {
                        let value = value.trim().trim_end_matches('|').trim();
                        if DSREG.contains(&name.trim())
                            && !value.is_empty()
                            && value != "NO"
                            && value != "YES"
                        {
                            out.insert(value.to_string());
                        }
                    }
                }
            }
            guids(s, out);
            mails(s, out);
            hosts(s, out);
        }
        _ => {}
    }
}

/// Identifiers of every input file under `dir` (see the module documentation).
fn identifiers(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for input in load(dir) {
        out.insert(input.path.clone());
        let text = String::from_utf8_lossy(&input.bytes);
        let text = text.trim_start_matches('\u{feff}');
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            walk(&v, "", &mut out);
        }
    }
    // Very short values (a 3-letter name) only match as whole words; see redact::SHORT.
    out.retain(|s| s.chars().count() >= 4);
    out
}

/// The forms an identifier takes in each format's escaping.
fn forms(id: &str) -> Vec<String> {
    let mut v = vec![id.to_lowercase()];
    let html = id
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let xml = html.replace('\'', "&apos;");
    let md = apready_core::report::md::esc(id);
    let csv = id.replace('"', "\"\"");
    for f in [html, xml, md, csv] {
        let f = f.to_lowercase();
        if !v.contains(&f) {
            v.push(f);
        }
    }
    v
}

fn assert_no_leak(folder: &str) {
    let dir = data(folder);
    let ids = identifiers(&dir);
    let report = evaluate(&load(&dir));
    assert!(
        ids.len() > 5,
        "too few identifiers found in {folder}: {ids:?}"
    );
    // The check is meaningful: the plain report does carry them.
    let plain = String::from_utf8(render(&report, "json", None))
        .unwrap()
        .to_lowercase();
    let seen = ids
        .iter()
        .filter(|i| plain.contains(&i.to_lowercase()))
        .count();
    assert!(
        seen * 2 > ids.len().min(40),
        "only {seen} of {} identifiers appear in the plain report",
        ids.len()
    );

    let mut leaks = Vec::new();
    for format in formats() {
        let out = render(&report, format, Some(TEST_KEY));
        let text = String::from_utf8(out).unwrap().to_lowercase();
        for id in &ids {
            for f in forms(id) {
                if text.contains(&f) {
                    leaks.push(format!("{format}: {id:?}"));
                    break;
                }
            }
        }
        assert!(
            !text.contains(&TEST_KEY.to_lowercase()),
            "{format} contains the key"
        );
    }
    assert!(
        leaks.is_empty(),
        "identifiers left in redacted output:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn sample_tenant_leaves_no_identifier_in_any_format() {
    assert_no_leak("sample-tenant");
}

#[test]
fn hostile_names_leave_no_identifier_in_any_format() {
    assert_no_leak("hostile-names");
}

#[test]
fn pseudonyms_are_stable_and_keyed() {
    let r = sample();
    let a = render(&r, "json", Some(TEST_KEY));
    let again = render(&sample(), "json", Some(TEST_KEY));
    assert_eq!(a, again, "same key, same input: same bytes");
    let other = render(&r, "json", Some("another key"));
    assert_ne!(a, other);

    let v: Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(v["redacted"], true);
    let fp = v["redaction"]["fingerprint"].as_str().unwrap();
    assert_eq!(
        fp,
        apready_core::report::redact::fingerprint(TEST_KEY.as_bytes())
    );
    assert_eq!(v["redaction"]["method"], "hmac-sha256");

    // Devices keep their pseudonyms across runs and formats, so redacted reports still diff.
    let names: Vec<&str> = v["devices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().all(|n| n.starts_with("dev-")), "{names:?}");
    let ids: Vec<&str> = v["devices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(ids.iter().all(|n| n.starts_with("id-")), "{ids:?}");
    let html = String::from_utf8(render(&r, "html", Some(TEST_KEY))).unwrap();
    assert!(html.contains(names[0]) && html.contains(fp));

    // The plain report is untouched.
    let plain: Value = serde_json::from_slice(&render(&r, "json", None)).unwrap();
    assert_eq!(plain["redacted"], false);
    assert!(plain.get("redaction").is_none());
}

#[test]
fn an_empty_key_is_a_usage_error() {
    let r = sample();
    assert!(apready_core::render(&r, "json", Some(b"")).is_err());
    let out = apready_core::run(
        &load(&data("hostile-names")),
        br#"{"profile":"2022-05","as_of":"2022-06-15T00:00:00Z","format":"html","redact_key":""}"#,
    );
    assert_eq!(out.exit_code, 64);
}

#[test]
fn run_and_check_json_redact_with_the_options_key() {
    let inputs = load(&data("sample-tenant"));
    let opts = format!(
        r#"{{"profile":"2022-05","as_of":"2022-06-15T00:00:00Z","format":"json","redact_key":"{TEST_KEY}"}}"#
    );
    let a = apready_core::run(&inputs, opts.as_bytes()).output;
    let b = apready_core::check_json(&inputs, opts.as_bytes());
    assert_eq!(a, b);
    assert_eq!(a, render(&sample(), "json", Some(TEST_KEY)));
    assert!(!String::from_utf8(a).unwrap().contains("Contoso"));
}
