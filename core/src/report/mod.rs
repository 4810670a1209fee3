//! The report (`apready.report/1`, contract.md) and its writers.

pub mod csv;
pub mod diff;
pub mod html;
pub mod junit;
pub mod md;
pub mod redact;
pub mod text;
pub mod view;

use serde::Serialize;

use crate::status::{Reason, Status, Verdict};

pub const SCHEMA: &str = "apready.report/1";
/// The formats a report renders in.
pub const FORMATS: &[&str] = &["json", "text", "html", "csv", "md", "junit"];

/// The report in one of [`FORMATS`] (JSON for anything else).
pub fn write(r: &Report, format: &str) -> Vec<u8> {
    match format {
        "text" => text::render(r).into_bytes(),
        "html" => html::render(r).into_bytes(),
        "csv" => csv::render(r).into_bytes(),
        "md" => md::render(r).into_bytes(),
        "junit" => junit::render(r).into_bytes(),
        _ => r.to_json(),
    }
}
/// How a redacted report's pseudonyms were made (see [`redact`]).
pub const REDACTION_METHOD: &str = "hmac-sha256";

/// How a report was redacted: the method and the key's fingerprint (never the key).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Redaction {
    pub method: &'static str,
    /// The first 8 hex characters of SHA-256 of the key.
    pub fingerprint: String,
}

/// Text that is usually a constant of the rule (borrowed, free to build) and sometimes
/// formatted (owned).
pub type Text = std::borrow::Cow<'static, str>;

/// One piece of evidence a finding used.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
///
/// Strings are boxed (`Box<str>`, two words, not `String`'s three): a 1M-device report keeps
/// about a million evidence items.
pub struct Evidence {
    pub resource: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_id: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_name: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<Text>,
    /// Shared: a device's findings about one record all point at the same place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<std::rc::Rc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Box<str>>,
    /// Where the record came from, rendered into `location` only when the finding is kept
    /// (a large tenant's report leaves most device findings out: they never pay for it).
    #[serde(skip)]
    pub src: Option<crate::model::Src>,
}

impl Evidence {
    pub fn new(resource: &'static str) -> Self {
        Evidence {
            resource,
            ..Default::default()
        }
    }
    pub fn id(mut self, id: impl Into<String>) -> Self {
        let s = id.into();
        if !s.is_empty() {
            self.object_id = Some(s.into_boxed_str());
        }
        self
    }
    pub fn name(mut self, name: impl Into<String>) -> Self {
        let s = name.into();
        if !s.is_empty() {
            self.object_name = Some(s.into_boxed_str());
        }
        self
    }
    pub fn field(mut self, f: impl Into<Text>) -> Self {
        self.field = Some(f.into());
        self
    }
    pub fn value(mut self, v: impl Into<String>) -> Self {
        self.value = Some(v.into().into_boxed_str());
        self
    }
    pub fn required(mut self, v: impl Into<Text>) -> Self {
        self.required = Some(v.into());
        self
    }
    pub fn at(mut self, loc: impl Into<String>) -> Self {
        let s = loc.into();
        if !s.is_empty() {
            self.location = Some(s.into());
        }
        self
    }
    /// The record's location, rendered later (see [`Evidence::src`]).
    pub fn at_src(mut self, src: crate::model::Src) -> Self {
        self.src = Some(src);
        self
    }
    pub fn note(mut self, n: impl Into<String>) -> Self {
        self.note = Some(n.into().into_boxed_str());
        self
    }
}

/// A check's result, for the tenant or one device.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'static str>,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    pub message: Text,
    pub evidence: Vec<Evidence>,
    /// Usually the rule's own fix text (borrowed, not copied per device).
    pub remediation: std::borrow::Cow<'static, str>,
    /// The rule's source line, shared by every finding of the rule.
    pub source: Shared,
}

/// Text shared by many findings (a rule's source line): empty costs nothing, a copy is a
/// reference count. Serialized as the text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shared(Option<std::rc::Rc<str>>);

impl std::ops::Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }
}

impl From<std::rc::Rc<str>> for Shared {
    fn from(r: std::rc::Rc<str>) -> Self {
        Shared(Some(r))
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Self {
        Shared((!s.is_empty()).then(|| s.into()))
    }
}

impl Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl Finding {
    pub fn new(id: &'static str, status: Status, message: impl Into<Text>) -> Self {
        Finding {
            id,
            scope: None,
            status,
            reason: None,
            message: message.into(),
            evidence: Vec::new(),
            remediation: std::borrow::Cow::Borrowed(""),
            source: Shared::default(),
        }
    }
    pub fn ready(id: &'static str, message: impl Into<Text>) -> Self {
        Self::new(id, Status::Ready, message)
    }
    pub fn advisory(id: &'static str, message: impl Into<Text>) -> Self {
        Self::new(id, Status::Advisory, message)
    }
    pub fn not_ready(id: &'static str, message: impl Into<Text>) -> Self {
        Self::new(id, Status::NotReady, message)
    }
    pub fn error(id: &'static str, message: impl Into<Text>) -> Self {
        Self::new(id, Status::Error, message)
    }
    pub fn not_applicable(id: &'static str, message: impl Into<Text>) -> Self {
        Self::new(id, Status::NotApplicable, message)
    }
    pub fn info(id: &'static str, message: impl Into<Text>) -> Self {
        Self::new(id, Status::Info, message)
    }
    pub fn not_evaluated(id: &'static str, reason: Reason, message: impl Into<Text>) -> Self {
        let mut f = Self::new(id, Status::NotEvaluated, message);
        f.reason = Some(reason);
        f
    }
    pub fn with(mut self, e: Evidence) -> Self {
        // Findings carry one or two evidence items: room for exactly one more, not the four a
        // growing `Vec` starts with (an `Evidence` is ~200 bytes, and a large report keeps
        // hundreds of thousands of findings).
        self.evidence.reserve_exact(1);
        self.evidence.push(e);
        self
    }
    pub fn with_all(mut self, e: impl IntoIterator<Item = Evidence>) -> Self {
        self.evidence.extend(e);
        self
    }
    pub fn fix(mut self, text: impl Into<String>) -> Self {
        self.remediation = std::borrow::Cow::Owned(text.into());
        self
    }
    pub fn rollup(&self) -> Option<Verdict> {
        crate::status::rollup(self.status, self.reason)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Tenant {
    pub id: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputEntry {
    pub file: String,
    pub resource: Option<&'static str>,
    pub api: &'static str,
    pub records: u64,
    pub pages: u32,
    pub truncated: bool,
    pub encoding: &'static str,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Coverage {
    pub reason: Reason,
    pub checks: Vec<&'static str>,
    pub devices: u64,
    pub how_to_supply: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeviceItem {
    /// Kept inside the item up to 38 bytes (every GUID, nearly every name): at a million
    /// devices two heap strings each were ~100 MB with the allocator's overhead.
    pub id: crate::input::lenient::Str,
    pub name: crate::input::lenient::Str,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Devices {
    /// `all`: every finding of every device; `failing`: only findings that need attention
    /// (large tenants, or `--device-findings failing`).
    pub detail: &'static str,
    pub total: u64,
    pub ready: u64,
    pub advisory: u64,
    pub not_ready: u64,
    pub error: u64,
    pub out_of_scope: u64,
    pub items: Vec<DeviceItem>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    pub profile: &'static str,
    pub rules_reviewed: &'static str,
    pub as_of: String,
    pub as_of_source: &'static str,
    pub verdict: Verdict,
    pub redacted: bool,
    /// Present when `redacted`: how, and under which key (its fingerprint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redaction: Option<Redaction>,
    pub tenant: Tenant,
    pub inputs: Vec<InputEntry>,
    pub checks: Vec<Finding>,
    pub coverage: Vec<Coverage>,
    pub devices: Devices,
    /// Every identifier taken from the inputs (names, ids, UPNs, serial numbers, tenant,
    /// file names): what redaction must replace. Not part of the report itself.
    #[serde(skip)]
    pub identifiers: Vec<String>,
}

impl Report {
    /// Exit code: the verdict, raised by device results when asked (`--fail-on-devices`).
    pub fn exit_code(&self, fail_on_devices: Option<Verdict>) -> i32 {
        let mut v = self.verdict;
        match fail_on_devices {
            Some(Verdict::Advisory) => {
                if self.devices.not_ready > 0 {
                    v = v.worst(Verdict::NotReady);
                } else if self.devices.advisory > 0 {
                    v = v.worst(Verdict::Advisory);
                }
            }
            Some(Verdict::NotReady) if self.devices.not_ready > 0 => v = v.worst(Verdict::NotReady),
            _ => {}
        }
        v.exit_code()
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec(self).unwrap_or_else(|e| {
            format!("{{\"schema\":\"{SCHEMA}\",\"verdict\":\"error\",\"error\":\"{e}\"}}")
                .into_bytes()
        });
        out.push(b'\n');
        out
    }
}
