//! Redaction (`--redact <KEY-FILE>`): every identifier taken from the inputs becomes a stable
//! keyed pseudonym, in every string of the report.
//!
//! - The pseudonym is `HMAC-SHA-256(key, "apready-redact/1" ‖ 0 ‖ lowercase(identifier))`,
//!   cut to 12 hex characters (48 bits: no collisions in practice even for a million devices),
//!   behind a prefix chosen by the identifier's shape: a GUID → `id-…`, anything with `@` →
//!   `user-…@redacted.invalid`, an input file → `file-….json` (the extension is kept), a device
//!   name → `dev-…`, anything else → `name-…`. The same identifier under the same key gives the
//!   same pseudonym in every run, so redacted reports still diff.
//! - Identifiers are found with one Aho-Corasick automaton (leftmost-longest, ASCII
//!   case-insensitive, like the GUIDs and names it replaces), so the work is linear in the size
//!   of the report whatever the number of identifiers. Identifiers shorter than
//!   [`SHORT`] characters only match as a whole word, so a device called `PC` does not eat every
//!   `PC` inside other words.
//! - After that, anything still shaped like a GUID or an e-mail address is replaced as well
//!   (object ids and UPNs the engine did not list, the tenant id inside a subscribed SKU id…).
//! - The key itself never appears in the report: only its fingerprint (the first 8 hex
//!   characters of SHA-256 of the key), so two people can tell whether they used the same key.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{Coverage, DeviceItem, Evidence, Finding, InputEntry, Redaction, Report, Tenant};

/// Identifiers shorter than this (in characters) only match as whole words.
pub const SHORT: usize = 4;
/// Distinct strings remembered while redacting one report.
const MEMO_ENTRIES: usize = 1 << 16;
/// Hex characters of the keyed hash in a pseudonym.
const HASH_HEX: usize = 12;
const DOMAIN: &[u8] = b"apready-redact/1\0";
/// The pseudonymous mail domain (RFC 2606 reserves `.invalid`).
pub const MAIL_DOMAIN: &str = "redacted.invalid";

/// The key's fingerprint: the first 8 hex characters of SHA-256(key).
pub fn fingerprint(key: &[u8]) -> String {
    let digest = Sha256::digest(key);
    hex(&digest[..4])
}

fn hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(H[usize::from(b >> 4)]));
        s.push(char::from(H[usize::from(b & 15)]));
    }
    s
}

/// What an identifier looks like; decides the pseudonym's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Guid,
    User,
    File,
    Device,
    Name,
    /// A host name in a URL or `host:port` (proxies, WSUS servers).
    Host,
}

/// `8-4-4-4-12` hexadecimal digits, optionally in braces.
pub fn is_guid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    guid_at(s.as_bytes(), 0)
}

fn guid_at(b: &[u8], i: usize) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let Some(window) = b.get(i..i + 36) else {
        return false;
    };
    let mut p = 0;
    for (g, len) in GROUPS.iter().enumerate() {
        if g > 0 {
            if window[p] != b'-' {
                return false;
            }
            p += 1;
        }
        if !window[p..p + len].iter().all(u8::is_ascii_hexdigit) {
            return false;
        }
        p += len;
    }
    true
}

/// The keyed pseudonym of one identifier.
pub struct Pseudonymizer {
    mac: Option<Hmac<Sha256>>,
}

impl Pseudonymizer {
    pub fn new(key: &[u8]) -> Self {
        Pseudonymizer {
            mac: Hmac::<Sha256>::new_from_slice(key).ok(),
        }
    }

    fn hash(&self, identifier: &str) -> String {
        let lower = identifier.to_ascii_lowercase();
        match &self.mac {
            Some(m) => {
                let mut m = m.clone();
                m.update(DOMAIN);
                m.update(lower.as_bytes());
                let out = m.finalize().into_bytes();
                let mut h = hex(&out);
                h.truncate(HASH_HEX);
                h
            }
            // HMAC accepts keys of any length; this branch is unreachable in practice, and
            // still never leaks the identifier.
            None => {
                let mut h = hex(&Sha256::digest([DOMAIN, lower.as_bytes()].concat()));
                h.truncate(HASH_HEX);
                h
            }
        }
    }

    pub fn pseudonym(&self, identifier: &str, kind: Kind) -> String {
        let h = self.hash(identifier);
        match kind {
            Kind::Guid => format!("id-{h}"),
            Kind::User => format!("user-{h}@{MAIL_DOMAIN}"),
            Kind::File => match extension(identifier) {
                Some(ext) => format!("file-{h}.{ext}"),
                None => format!("file-{h}"),
            },
            Kind::Device => format!("dev-{h}"),
            Kind::Name => format!("name-{h}"),
            Kind::Host => format!("host-{h}.{MAIL_DOMAIN}"),
        }
    }
}

/// A short, plain extension (`json`, `txt`) worth keeping on a pseudonymous file name.
fn extension(path: &str) -> Option<String> {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (stem, ext) = base.rsplit_once('.')?;
    (!stem.is_empty()
        && (1..=8).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
    .then(|| ext.to_ascii_lowercase())
}

/// Replaces identifiers in text. Built once per report.
pub struct Redactor {
    ac: Option<AhoCorasick>,
    /// Per pattern: its pseudonym and whether it must match as a whole word.
    targets: Vec<(String, bool)>,
    names: Pseudonymizer,
}

impl Redactor {
    /// `identifiers` with the kind of each (see [`Kind`]).
    pub fn new(key: &[u8], identifiers: impl IntoIterator<Item = (String, Kind)>) -> Redactor {
        let names = Pseudonymizer::new(key);
        let mut seen: HashSet<String> = HashSet::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets = Vec::new();
        for (id, kind) in identifiers {
            if id.trim().is_empty() {
                continue;
            }
            // Matching is ASCII case-insensitive: one pattern per case-folded identifier.
            if !seen.insert(id.to_ascii_lowercase()) {
                continue;
            }
            let short = id.chars().count() < SHORT;
            targets.push((names.pseudonym(&id, kind), short));
            patterns.push(id);
        }
        // A DFA searches fastest but grows with the patterns; past a few thousand the
        // noncontiguous NFA builds and searches faster than the other automata.
        let kind = (patterns.len() > 5_000).then_some(AhoCorasickKind::NoncontiguousNFA);
        let ac = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .kind(kind)
                .build(&patterns)
                .ok()
        };
        Redactor { ac, targets, names }
    }

    /// The text with every identifier, GUID, e-mail address and non-Microsoft host name
    /// replaced.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let first = self.identifiers(s);
        let second = match catch_all(&first, &self.names) {
            Cow::Borrowed(_) => first,
            Cow::Owned(o) => Cow::Owned(o),
        };
        match hosts(&second, &self.names) {
            Cow::Borrowed(_) => second,
            Cow::Owned(o) => Cow::Owned(o),
        }
    }

    pub fn string(&self, s: &str) -> String {
        self.text(s).into_owned()
    }

    fn identifiers<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let Some(ac) = &self.ac else {
            return Cow::Borrowed(s);
        };
        let bytes = s.as_bytes();
        let mut out: Option<String> = None;
        let mut last = 0;
        let mut pos = 0;
        while pos < s.len() {
            let Some(m) = ac.find(Input::new(s).span(pos..s.len())) else {
                break;
            };
            let (start, end) = (m.start(), m.end());
            let Some((pseudonym, short)) = self.targets.get(m.pattern().as_usize()) else {
                break;
            };
            let before = start.checked_sub(1).and_then(|i| bytes.get(i));
            let whole_word = !before.is_some_and(|b| is_word(*b))
                && !bytes.get(end).is_some_and(|b| is_word(*b));
            if *short && !whole_word {
                // Try again one character further on.
                pos = start
                    + s.get(start..)
                        .and_then(|r| r.chars().next())
                        .map_or(1, char::len_utf8);
                continue;
            }
            let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
            o.push_str(s.get(last..start).unwrap_or(""));
            o.push_str(pseudonym);
            last = end;
            pos = end.max(start + 1);
        }
        match out {
            None => Cow::Borrowed(s),
            Some(mut o) => {
                o.push_str(s.get(last..).unwrap_or(""));
                Cow::Owned(o)
            }
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_local_part(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

fn is_domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Replaces whatever still looks like a GUID or an e-mail address.
fn catch_all<'a>(s: &'a str, names: &Pseudonymizer) -> Cow<'a, str> {
    let b = s.as_bytes();
    if !(b.contains(&b'@') || (b.len() >= 36 && b.contains(&b'-'))) {
        return Cow::Borrowed(s);
    }
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_hexdigit() && guid_at(b, i) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
            o.push_str(s.get(last..i).unwrap_or(""));
            o.push_str(&names.pseudonym(s.get(i..i + 36).unwrap_or(""), Kind::Guid));
            i += 36;
            last = i;
            continue;
        }
        if b[i] == b'@' {
            let mut l = i;
            while l > last && is_local_part(b[l - 1]) {
                l -= 1;
            }
            let mut r = i + 1;
            while r < b.len() && is_domain(b[r]) {
                r += 1;
            }
            while r > i + 1 && matches!(b[r - 1], b'.' | b'-') {
                r -= 1;
            }
            let domain = s.get(i + 1..r).unwrap_or("");
            if l < i
                && domain.contains('.')
                && !domain.eq_ignore_ascii_case(MAIL_DOMAIN)
                && !domain.starts_with('.')
            {
                let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
                o.push_str(s.get(last..l).unwrap_or(""));
                o.push_str(&names.pseudonym(s.get(l..r).unwrap_or(""), Kind::User));
                last = r;
                i = r;
                continue;
            }
        }
        i += 1;
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(s.get(last..).unwrap_or(""));
            Cow::Owned(o)
        }
    }
}

/// Public service domains that stay readable (the endpoints a device must reach).
pub const KEPT_DOMAINS: &[&str] = &[
    "microsoft.com",
    "windows.com",
    "windows.net",
    "microsoftonline.com",
    "windowsupdate.com",
    "office.com",
    "office.net",
    "office365.com",
    "live.com",
    "azure.com",
    "azure.net",
    "azureedge.net",
    "msftauth.net",
    "msauth.net",
    "msedge.net",
    "aka.ms",
    "digicert.com",
    "msocsp.com",
    MAIL_DOMAIN,
];

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

fn kept_host(h: &str) -> bool {
    let h = h.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost"
        || h.parse::<std::net::IpAddr>().is_ok()
        || h.split('.').all(|l| l.bytes().all(|b| b.is_ascii_digit()))
        || KEPT_DOMAINS
            .iter()
            .any(|d| h == *d || h.strip_suffix(d).is_some_and(|p| p.ends_with('.')))
}

/// Host names in URLs (`scheme://host`) and before a port (`host.domain:8080`), unless they
/// are public Microsoft service domains or IP addresses.
fn hosts<'a>(s: &'a str, names: &Pseudonymizer) -> Cow<'a, str> {
    let b = s.as_bytes();
    if !b.contains(&b':') {
        return Cow::Borrowed(s);
    }
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if !is_host_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_host_byte(b[i]) {
            i += 1;
        }
        let host = s.get(start..i).unwrap_or("");
        let url = start >= 3 && b.get(start - 3..start) == Some(b"://".as_slice());
        let port = b.get(i) == Some(&b':') && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        let before_ok = start == 0 || !matches!(b[start - 1], b'@' | b'_');
        let candidate = (url && host.bytes().any(|c| c.is_ascii_alphabetic()))
            || (port && before_ok && host.contains('.') && !host.starts_with('.'));
        if candidate && !kept_host(host) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
            o.push_str(s.get(last..start).unwrap_or(""));
            o.push_str(&names.pseudonym(host, Kind::Host));
            last = i;
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(s.get(last..).unwrap_or(""));
            Cow::Owned(o)
        }
    }
}

impl Report {
    /// The report with every identifier taken from the inputs replaced by a keyed pseudonym
    /// (see the module documentation), `redacted` set and the key's fingerprint recorded.
    pub fn redact(&self, key: &[u8]) -> Report {
        let files: HashSet<&str> = self.inputs.iter().map(|i| i.file.as_str()).collect();
        let devices: HashSet<&str> = self.devices.items.iter().map(|d| &*d.name).collect();
        let mut all: Vec<(String, Kind)> = Vec::with_capacity(self.identifiers.len() + 2);
        let kinded = |id: &str| -> Kind {
            if is_guid(id) {
                Kind::Guid
            } else if id.contains('@') {
                Kind::User
            } else if files.contains(id) {
                Kind::File
            } else if devices.contains(id) {
                Kind::Device
            } else {
                Kind::Name
            }
        };
        for id in &self.identifiers {
            all.push((id.clone(), kinded(id)));
        }
        // The report's own identifying fields, in case the engine did not list them.
        for id in [&self.tenant.id, &self.tenant.name].into_iter().flatten() {
            all.push((id.clone(), kinded(id)));
        }
        for f in &self.inputs {
            all.push((f.file.clone(), Kind::File));
        }
        for d in &self.devices.items {
            all.push((d.id.to_string(), kinded(&d.id)));
            all.push((d.name.to_string(), kinded(&d.name)));
        }
        // Longest first, so that a name containing another is replaced whole.
        all.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let r = Redactor::new(key, all);
        self.redact_with(&r, fingerprint(key))
    }

    fn redact_with<'a>(&'a self, r: &Redactor, fingerprint: String) -> Report {
        // Most strings repeat across devices (fixes, sources, "corporate-owned"): each distinct
        // string is scanned once. The memo is bounded; repeated strings show up early.
        let memo: RefCell<HashMap<&'a str, String>> = RefCell::new(HashMap::new());
        let s = |x: &'a str| -> String {
            if let Some(v) = memo.borrow().get(x) {
                return v.clone();
            }
            let v = r.string(x);
            let mut m = memo.borrow_mut();
            if m.len() < MEMO_ENTRIES {
                m.insert(x, v.clone());
            }
            v
        };
        let o = |x: &'a Option<String>| x.as_deref().map(s);
        let ob = |x: &'a Option<Box<str>>| x.as_deref().map(|x| s(x).into_boxed_str());
        let evidence = |e: &'a Evidence| Evidence {
            resource: e.resource,
            object_id: ob(&e.object_id),
            object_name: ob(&e.object_name),
            field: e.field.as_deref().map(|x| s(x).into()),
            value: ob(&e.value),
            required: e.required.as_deref().map(|x| s(x).into()),
            location: e.location.as_deref().map(|x| s(x).into()),
            note: ob(&e.note),
            src: None,
        };
        let finding = |f: &'a Finding| Finding {
            id: f.id,
            scope: f.scope,
            status: f.status,
            reason: f.reason,
            message: s(&f.message).into(),
            evidence: f.evidence.iter().map(evidence).collect(),
            remediation: s(&f.remediation).into(),
            source: s(&f.source).into(),
        };
        Report {
            schema: self.schema,
            tool: self.tool.clone(),
            profile: self.profile,
            rules_reviewed: self.rules_reviewed,
            as_of: self.as_of.clone(),
            as_of_source: self.as_of_source,
            verdict: self.verdict,
            redacted: true,
            redaction: Some(Redaction {
                method: super::REDACTION_METHOD,
                fingerprint,
            }),
            tenant: Tenant {
                id: o(&self.tenant.id),
                name: o(&self.tenant.name),
            },
            inputs: self
                .inputs
                .iter()
                .map(|i| InputEntry {
                    file: s(&i.file),
                    resource: i.resource,
                    api: i.api,
                    records: i.records,
                    pages: i.pages,
                    truncated: i.truncated,
                    encoding: i.encoding,
                    kind: i.kind,
                    error: o(&i.error),
                    problems: i.problems.iter().map(|p| s(p)).collect(),
                })
                .collect(),
            checks: self.checks.iter().map(finding).collect(),
            coverage: self
                .coverage
                .iter()
                .map(|c| Coverage {
                    reason: c.reason,
                    checks: c.checks.clone(),
                    devices: c.devices,
                    how_to_supply: s(&c.how_to_supply),
                })
                .collect(),
            devices: super::Devices {
                detail: self.devices.detail,
                total: self.devices.total,
                ready: self.devices.ready,
                advisory: self.devices.advisory,
                not_ready: self.devices.not_ready,
                error: self.devices.error,
                out_of_scope: self.devices.out_of_scope,
                items: self
                    .devices
                    .items
                    .iter()
                    .map(|d| DeviceItem {
                        id: s(&d.id).into(),
                        name: s(&d.name).into(),
                        verdict: d.verdict,
                        findings: d.findings.iter().map(finding).collect(),
                    })
                    .collect(),
            },
            identifiers: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(ids: &[(&str, Kind)]) -> Redactor {
        Redactor::new(
            b"test key",
            ids.iter()
                .map(|(s, k)| (s.to_string(), *k))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn fingerprint_is_sha256_prefix() {
        // SHA-256("abc") = ba7816bf…
        assert_eq!(fingerprint(b"abc"), "ba7816bf");
    }

    #[test]
    fn stable_and_keyed() {
        let a = Pseudonymizer::new(b"k1");
        let b = Pseudonymizer::new(b"k2");
        let x = a.pseudonym("CPH-LT-1002", Kind::Device);
        assert_eq!(x, a.pseudonym("CPH-LT-1002", Kind::Device));
        assert_eq!(x, a.pseudonym("cph-lt-1002", Kind::Device));
        assert_ne!(x, b.pseudonym("CPH-LT-1002", Kind::Device));
        assert!(x.starts_with("dev-") && x.len() == 4 + HASH_HEX);
        assert!(a
            .pseudonym("a@b.com", Kind::User)
            .ends_with("@redacted.invalid"));
        assert!(a
            .pseudonym("x/users.page1.json", Kind::File)
            .ends_with(".json"));
    }

    #[test]
    fn replaces_longest_first_and_case_insensitively() {
        let red = r(&[
            ("CPH-LT-10021", Kind::Device),
            ("CPH-LT-1002", Kind::Device),
        ]);
        let out = red.string("cph-lt-1002 and CPH-LT-10021.");
        assert!(!out.to_lowercase().contains("cph-lt"), "{out}");
        let p1 = Pseudonymizer::new(b"test key").pseudonym("CPH-LT-1002", Kind::Device);
        let p2 = Pseudonymizer::new(b"test key").pseudonym("CPH-LT-10021", Kind::Device);
        assert_eq!(out, format!("{p1} and {p2}."));
    }

    #[test]
    fn short_identifiers_match_whole_words_only() {
        let red = r(&[("PC", Kind::Device)]);
        assert_eq!(red.string("PCs and EPCOT"), "PCs and EPCOT");
        let out = red.string("device PC: x");
        assert!(
            out.starts_with("device dev-") && out.ends_with(": x"),
            "{out}"
        );
    }

    #[test]
    fn catch_all_guids_and_mail() {
        let red = r(&[]);
        let out = red.string(
            "sku 3C8E1B5A-6F2D-4E7A-9B41-0D5C2A7E8F13_05e9a617-0261-4cee-bb44-138d3ef5d965 for ann.lee@contoso.com.",
        );
        assert!(!out.contains("3C8E") && !out.contains("05e9a617"), "{out}");
        assert!(
            !out.contains("ann.lee") && !out.contains("contoso"),
            "{out}"
        );
        assert!(out.ends_with("@redacted.invalid."), "{out}");
        // Idempotent on its own output.
        assert_eq!(red.string(&out), out);
    }

    #[test]
    fn catch_all_hosts() {
        let red = r(&[]);
        let out = red.string(
            "WUServer = http://wsus01.corp.contoso.com:8530 via proxy.corp.contoso.com:8080, not mmdls.microsoft.com:443 or http://10.0.0.1:80 at 12:30",
        );
        assert!(!out.contains("contoso"), "{out}");
        assert!(out.contains("mmdls.microsoft.com:443"), "{out}");
        assert!(
            out.contains("http://10.0.0.1:80") && out.contains("12:30"),
            "{out}"
        );
        assert!(
            out.contains("http://host-") && out.contains(".redacted.invalid:8530"),
            "{out}"
        );
        assert_eq!(red.string(&out), out);
    }

    #[test]
    fn many_identifiers_use_the_same_rules() {
        let ids: Vec<(String, Kind)> = (0..6000)
            .map(|i| (format!("HOST-{i:05}"), Kind::Device))
            .chain([("PC".to_string(), Kind::Device)])
            .collect();
        let red = Redactor::new(b"test key", ids);
        let out = red.string("host-00042 and HOST-05999, PCs and PC.");
        assert!(!out.to_ascii_lowercase().contains("host-0"), "{out}");
        assert!(out.contains("PCs and dev-"), "{out}");
    }

    #[test]
    fn non_ascii_text_is_safe() {
        let red = r(&[("名前", Kind::Name), ("ab", Kind::Name)]);
        let out = red.string("x 名前 y ab 🙂ab");
        assert!(!out.contains("名前"));
        assert!(out.contains("🙂ab"));
    }
}
