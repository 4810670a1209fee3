//! Data-driven tests for `apready-core`.
//!
//! A *case* is a folder under `tests/cases/<name>/` holding a `case.toml` and the input files it
//! names. The case file says which inputs to feed, with which profile and `as_of`, and what the
//! report must contain:
//!
//! ```toml
//! description = "DEV-003: 40 days without contact is not ready; 24 days is advisory"
//! profile = "2022-05"
//! as_of = "2022-06-15T00:00:00Z"
//! inputs = ["managedDevices.json", "../../data/sample-tenant/subscribedSkus.json"]
//! # optional: configmgr_version = "5.00.9078.1006", sync_client_version = "2.1.1.0",
//! #           fail_on_devices = "not_ready"   (passed to exit_code)
//! [expect]
//! verdict = "not_ready"          # optional
//! exit_code = 2                  # optional
//! device_count = 2               # optional: devices.total (in-scope devices)
//! out_of_scope = 0               # optional: devices.out_of_scope
//! [expect.checks]
//! "LIC-001" = "ready"
//! "NET-001" = "not_evaluated:needs_device_evidence"   # "status:reason"
//! [expect.devices."LAPTOP-0042"]  # device name, or "id:<device id>" when names repeat
//! verdict = "not_ready"
//! "DEV-003" = "not_ready"
//! [expect.inputs."managedDevices.json"]
//! resource = "managedDevices"
//! records = 2
//! pages = 1
//! truncated = false
//! ```
//!
//! Rules the runner applies:
//! - Input paths are relative to the case folder. A folder stands for every file in it
//!   (recursively, sorted), except `*.md` and `*.toml`, which are documentation and expectations,
//!   never exports. The `path` handed to the engine is the file's path relative to the case folder
//!   with `/` separators; for a file outside the case folder it is the file name only, and for a
//!   folder outside the case folder the path relative to that folder.
//! - Every file in a case folder must be named by `inputs` (directly or through a folder), apart
//!   from `case.toml` and `*.md` notes: a stray file is a malformed case.
//! - Only what a case lists is compared. A status without a reason matches any reason; a status
//!   with a reason must match both.
//! - A device finding that is absent from the report matches an expected `not_applicable` (the
//!   contract does not say whether not-applicable findings are listed); anything else that is
//!   absent is a mismatch.
//! - A malformed case (unknown key, bad status or reason spelling, missing file, …) is a failure,
//!   never a skip.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

/// Every status a finding may carry (checks.md, "Statuses").
pub const STATUSES: &[&str] = &[
    "ready",
    "advisory",
    "not_ready",
    "error",
    "not_evaluated",
    "not_applicable",
    "info",
];
/// Every reason a `not_evaluated` finding may carry.
pub const REASONS: &[&str] = &[
    "missing_input",
    "beta_only_field",
    "truncated_input",
    "needs_device_evidence",
];
/// Overall and device verdicts.
pub const VERDICTS: &[&str] = &["ready", "advisory", "not_ready", "error"];
/// Tenant checks of profile 2022-05.
pub const TENANT_CHECKS: &[&str] = &[
    "INP-001", "LIC-001", "LIC-002", "LIC-003", "LIC-004", "IDN-001", "IDN-002", "MGT-001",
    "NET-001", "PRV-001", "CM-001", "CM-002", "CM-003", "CM-004", "CM-005",
];
/// Device checks of profile 2022-05.
pub const DEVICE_CHECKS: &[&str] = &[
    "DEV-001", "DEV-002", "DEV-003", "DEV-004", "DEV-005", "DEV-006", "DEV-007", "DEV-008",
    "DEV-009", "DEV-010", "DEV-011", "DEV-012", "DEV-013", "DEV-014", "DEV-015",
];

/// An expected status, optionally with the reason of a `not_evaluated` finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub status: String,
    pub reason: Option<String>,
}

impl Expected {
    pub fn parse(s: &str) -> Result<Expected, String> {
        let (status, reason) = match s.split_once(':') {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (s.trim(), None),
        };
        if !STATUSES.contains(&status) {
            return Err(format!(
                "unknown status {status:?} (one of {})",
                STATUSES.join(", ")
            ));
        }
        if let Some(r) = reason {
            if !REASONS.contains(&r) {
                return Err(format!(
                    "unknown reason {r:?} (one of {})",
                    REASONS.join(", ")
                ));
            }
            if status != "not_evaluated" {
                return Err(format!(
                    "a reason is only allowed with not_evaluated, not with {status}"
                ));
            }
        }
        Ok(Expected {
            status: status.to_string(),
            reason: reason.map(str::to_string),
        })
    }

    pub fn text(&self) -> String {
        match &self.reason {
            Some(r) => format!("{}:{}", self.status, r),
            None => self.status.clone(),
        }
    }
}

/// What the report's `inputs[]` entry of one file must say.
#[derive(Debug, Clone, Default)]
pub struct InputExpect {
    pub resource: Option<String>,
    pub api: Option<String>,
    pub encoding: Option<String>,
    pub records: Option<u64>,
    pub pages: Option<u64>,
    pub truncated: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct DeviceExpect {
    pub verdict: Option<String>,
    pub findings: BTreeMap<String, Expected>,
}

#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub verdict: Option<String>,
    pub exit_code: Option<i32>,
    pub device_count: Option<u64>,
    pub out_of_scope: Option<u64>,
    pub checks: BTreeMap<String, Expected>,
    pub devices: BTreeMap<String, DeviceExpect>,
    pub inputs: BTreeMap<String, InputExpect>,
}

#[derive(Debug, Clone)]
pub struct Case {
    /// Folder name (or the expectation file's stem for a file outside `cases/`).
    pub name: String,
    /// The folder input paths are relative to.
    pub dir: PathBuf,
    /// The TOML file.
    pub file: PathBuf,
    pub description: String,
    pub profile: String,
    pub as_of: String,
    pub inputs: Vec<String>,
    pub configmgr_version: Option<String>,
    pub sync_client_version: Option<String>,
    pub fail_on_devices: Option<String>,
    pub expect: Expect,
}

/// One difference between a case and the report.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub case: String,
    /// What was compared, e.g. `check LIC-001`, `device CPH-LT-1021 DEV-003`, `verdict`.
    pub subject: String,
    pub expected: String,
    pub actual: String,
    /// The report's message for that finding, when there is one.
    pub message: String,
}

/// The result of running one case.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: String,
    pub description: String,
    /// The case could not be run (malformed case, unreadable input, engine panic, report not JSON).
    pub broken: Option<String>,
    pub mismatches: Vec<Mismatch>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.broken.is_none() && self.mismatches.is_empty()
    }
}

// ------------------------------------------------------------------------------------------ paths

/// `tests/` (this crate's folder).
pub fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/cases/`.
pub fn cases_root() -> PathBuf {
    crate_root().join("cases")
}

/// `tests/data/`.
pub fn data_root() -> PathBuf {
    crate_root().join("data")
}

/// Every case folder under `root`, sorted by name.
pub fn case_dirs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut dirs = Vec::new();
    let rd = std::fs::read_dir(root).map_err(|e| format!("cannot read {}: {e}", root.display()))?;
    for entry in rd {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", root.display()))?;
        let p = entry.path();
        if p.is_dir() {
            dirs.push(p);
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// Lexical normalisation (no file system access): removes `.` and folds `..`.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut entries = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        entries.push(entry.path());
    }
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

fn is_doc_or_expectation(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("md") | Some("toml")
    )
}

// ------------------------------------------------------------------------------------------ loading

fn get_str(t: &toml::Table, key: &str, ctx: &str) -> Result<Option<String>, String> {
    match t.get(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "{ctx}: `{key}` must be a string, found {}",
            other.type_str()
        )),
    }
}

fn get_u64(t: &toml::Table, key: &str, ctx: &str) -> Result<Option<u64>, String> {
    match t.get(key) {
        None => Ok(None),
        Some(toml::Value::Integer(i)) if *i >= 0 => Ok(Some(*i as u64)),
        Some(other) => Err(format!(
            "{ctx}: `{key}` must be a non-negative integer, found {other}"
        )),
    }
}

fn check_keys(t: &toml::Table, allowed: &[&str], ctx: &str) -> Result<(), String> {
    for k in t.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(format!(
                "{ctx}: unknown key `{k}` (allowed: {})",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

fn is_check_id(s: &str) -> bool {
    let Some((prefix, num)) = s.split_once('-') else {
        return false;
    };
    !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && num.len() == 3
        && num.chars().all(|c| c.is_ascii_digit())
}

fn parse_verdict(v: &toml::Value, ctx: &str) -> Result<String, String> {
    match v {
        toml::Value::String(s) if VERDICTS.contains(&s.as_str()) => Ok(s.clone()),
        other => Err(format!(
            "{ctx}: verdict must be one of {}, found {other}",
            VERDICTS.join(", ")
        )),
    }
}

/// Loads a case from a folder holding `case.toml`.
pub fn load_case_dir(dir: &Path) -> Result<Case, String> {
    let file = dir.join("case.toml");
    let mut case = load_case_file(&file)?;
    case.name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(case)
}

/// Loads a case (or an expectations file in the same format) from a TOML file; inputs are
/// relative to the file's folder.
pub fn load_case_file(file: &Path) -> Result<Case, String> {
    let ctx = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| format!("{ctx}: cannot read: {e}"))?;
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{ctx}: not valid TOML: {e}"))?;
    check_keys(
        &table,
        &[
            "description",
            "profile",
            "as_of",
            "inputs",
            "configmgr_version",
            "sync_client_version",
            "fail_on_devices",
            "expect",
        ],
        &ctx,
    )?;
    let description = get_str(&table, "description", &ctx)?
        .ok_or_else(|| format!("{ctx}: `description` is required"))?;
    let profile =
        get_str(&table, "profile", &ctx)?.ok_or_else(|| format!("{ctx}: `profile` is required"))?;
    if profile != "2022-05" && profile != "current" {
        return Err(format!(
            "{ctx}: profile must be \"2022-05\" or \"current\", found {profile:?}"
        ));
    }
    let as_of =
        get_str(&table, "as_of", &ctx)?.ok_or_else(|| format!("{ctx}: `as_of` is required"))?;
    if !(as_of.len() >= 20 && as_of.as_bytes().get(10) == Some(&b'T')) {
        return Err(format!(
            "{ctx}: as_of must be an RFC 3339 instant, found {as_of:?}"
        ));
    }
    let inputs = match table.get("inputs") {
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|v| match v {
                toml::Value::String(s) => Ok(s.clone()),
                other => Err(format!("{ctx}: inputs must be strings, found {other}")),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(other) => return Err(format!("{ctx}: `inputs` must be an array, found {other}")),
        None => return Err(format!("{ctx}: `inputs` is required (use [] for none)")),
    };
    let fail_on_devices = get_str(&table, "fail_on_devices", &ctx)?;
    if let Some(f) = &fail_on_devices {
        if f != "advisory" && f != "not_ready" {
            return Err(format!(
                "{ctx}: fail_on_devices must be \"advisory\" or \"not_ready\""
            ));
        }
    }
    let expect_t = match table.get("expect") {
        Some(toml::Value::Table(t)) => t.clone(),
        Some(_) => return Err(format!("{ctx}: `expect` must be a table")),
        None => return Err(format!("{ctx}: an [expect] table is required")),
    };
    let expect = parse_expect(&expect_t, &ctx)?;
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = file
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Case {
        name,
        dir,
        file: file.to_path_buf(),
        description,
        profile,
        as_of,
        inputs,
        configmgr_version: get_str(&table, "configmgr_version", &ctx)?,
        sync_client_version: get_str(&table, "sync_client_version", &ctx)?,
        fail_on_devices,
        expect,
    })
}

fn parse_expect(t: &toml::Table, ctx: &str) -> Result<Expect, String> {
    let ctx = format!("{ctx} [expect]");
    check_keys(
        t,
        &[
            "verdict",
            "exit_code",
            "device_count",
            "out_of_scope",
            "checks",
            "devices",
            "inputs",
        ],
        &ctx,
    )?;
    let mut e = Expect::default();
    if let Some(v) = t.get("verdict") {
        e.verdict = Some(parse_verdict(v, &ctx)?);
    }
    if let Some(v) = t.get("exit_code") {
        match v {
            toml::Value::Integer(i) if [0, 1, 2, 3, 64].contains(i) => {
                e.exit_code = Some(*i as i32)
            }
            other => {
                return Err(format!(
                    "{ctx}: exit_code must be 0, 1, 2, 3 or 64, found {other}"
                ))
            }
        }
    }
    e.device_count = get_u64(t, "device_count", &ctx)?;
    e.out_of_scope = get_u64(t, "out_of_scope", &ctx)?;
    if let Some(v) = t.get("checks") {
        let toml::Value::Table(ct) = v else {
            return Err(format!("{ctx}: checks must be a table"));
        };
        for (id, st) in ct {
            if !TENANT_CHECKS.contains(&id.as_str()) {
                return Err(format!(
                    "{ctx}.checks: {id:?} is not a tenant check of the catalogue"
                ));
            }
            let toml::Value::String(s) = st else {
                return Err(format!(
                    "{ctx}.checks.{id}: expected a string such as \"ready\""
                ));
            };
            let ex = Expected::parse(s).map_err(|m| format!("{ctx}.checks.{id}: {m}"))?;
            e.checks.insert(id.clone(), ex);
        }
    }
    if let Some(v) = t.get("devices") {
        let toml::Value::Table(dt) = v else {
            return Err(format!("{ctx}: devices must be a table"));
        };
        for (key, body) in dt {
            let dctx = format!("{ctx}.devices.{key:?}");
            let toml::Value::Table(bt) = body else {
                return Err(format!("{dctx}: must be a table"));
            };
            let mut de = DeviceExpect::default();
            for (k, v) in bt {
                if k == "verdict" {
                    de.verdict = Some(parse_verdict(v, &dctx)?);
                } else if is_check_id(k) {
                    if !DEVICE_CHECKS.contains(&k.as_str()) {
                        return Err(format!(
                            "{dctx}: {k:?} is not a device check of the catalogue"
                        ));
                    }
                    let toml::Value::String(s) = v else {
                        return Err(format!("{dctx}.{k}: expected a string"));
                    };
                    de.findings.insert(
                        k.clone(),
                        Expected::parse(s).map_err(|m| format!("{dctx}.{k}: {m}"))?,
                    );
                } else {
                    return Err(format!(
                        "{dctx}: unknown key `{k}` (verdict or a DEV-nnn check id)"
                    ));
                }
            }
            if de.verdict.is_none() && de.findings.is_empty() {
                return Err(format!("{dctx}: lists nothing to compare"));
            }
            e.devices.insert(key.clone(), de);
        }
    }
    if let Some(v) = t.get("inputs") {
        let toml::Value::Table(it) = v else {
            return Err(format!("{ctx}: inputs must be a table"));
        };
        for (file, body) in it {
            let ictx = format!("{ctx}.inputs.{file:?}");
            let toml::Value::Table(bt) = body else {
                return Err(format!("{ictx}: must be a table"));
            };
            check_keys(
                bt,
                &[
                    "resource",
                    "api",
                    "encoding",
                    "records",
                    "pages",
                    "truncated",
                ],
                &ictx,
            )?;
            let truncated = match bt.get("truncated") {
                None => None,
                Some(toml::Value::Boolean(b)) => Some(*b),
                Some(other) => {
                    return Err(format!(
                        "{ictx}: truncated must be a boolean, found {other}"
                    ))
                }
            };
            e.inputs.insert(
                file.clone(),
                InputExpect {
                    resource: get_str(bt, "resource", &ictx)?,
                    api: get_str(bt, "api", &ictx)?,
                    encoding: get_str(bt, "encoding", &ictx)?,
                    records: get_u64(bt, "records", &ictx)?,
                    pages: get_u64(bt, "pages", &ictx)?,
                    truncated,
                },
            );
        }
    }
    Ok(e)
}

// ------------------------------------------------------------------------------------------ inputs

/// Reads the case's inputs as the engine receives them (see the module doc for the naming rule).
pub fn build_inputs(case: &Case) -> Result<Vec<apready_core::Input>, String> {
    let ctx = case.file.display().to_string();
    let case_dir = normalize(&case.dir);
    let mut named: Vec<(String, PathBuf)> = Vec::new();
    for entry in &case.inputs {
        if entry.contains('\\') {
            return Err(format!("{ctx}: input {entry:?} must use '/' separators"));
        }
        let p = normalize(&case.dir.join(entry));
        let inside = p.starts_with(&case_dir);
        if p.is_dir() {
            let mut files = Vec::new();
            files_under(&p, &mut files)?;
            let mut any = false;
            for f in files {
                if is_doc_or_expectation(&f) {
                    continue;
                }
                let base = if inside { &case_dir } else { &p };
                let rel = f
                    .strip_prefix(base)
                    .map_err(|_| format!("{ctx}: cannot name {}", f.display()))?;
                named.push((slash_path(rel), f.clone()));
                any = true;
            }
            if !any {
                return Err(format!("{ctx}: input folder {entry:?} holds no input file"));
            }
        } else if p.is_file() {
            let name = if inside {
                let rel = p
                    .strip_prefix(&case_dir)
                    .map_err(|_| format!("{ctx}: cannot name {entry}"))?;
                slash_path(rel)
            } else {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            named.push((name, p.clone()));
        } else {
            return Err(format!(
                "{ctx}: input {entry:?} does not exist ({})",
                p.display()
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (name, _) in &named {
        if !seen.insert(name.clone()) {
            return Err(format!("{ctx}: two inputs would both be named {name:?}"));
        }
    }
    // every file of the case folder must be used (case.toml and *.md notes excepted)
    if case
        .file
        .file_name()
        .map(|n| n == "case.toml")
        .unwrap_or(false)
    {
        let used: BTreeSet<PathBuf> = named.iter().map(|(_, p)| p.clone()).collect();
        let mut all = Vec::new();
        files_under(&case_dir, &mut all)?;
        for f in all {
            let is_case_file = f.file_name().map(|n| n == "case.toml").unwrap_or(false);
            let is_note = f.extension().map(|e| e == "md").unwrap_or(false);
            if !is_case_file && !is_note && !used.contains(&normalize(&f)) {
                return Err(format!(
                    "{ctx}: file {} is in the case folder but not named by `inputs`",
                    f.display()
                ));
            }
        }
    }
    let mut out = Vec::new();
    for (name, p) in named {
        let bytes =
            std::fs::read(&p).map_err(|e| format!("{ctx}: cannot read {}: {e}", p.display()))?;
        out.push(apready_core::Input { path: name, bytes });
    }
    Ok(out)
}

/// The options document the engine takes.
pub fn options_json(case: &Case) -> Vec<u8> {
    let v = serde_json::json!({
        "profile": case.profile,
        "as_of": case.as_of,
        "configmgr_version": case.configmgr_version,
        "sync_client_version": case.sync_client_version,
    });
    v.to_string().into_bytes()
}

// ------------------------------------------------------------------------------------------ running

/// Runs the engine on a case and compares the report with the case's expectations.
pub fn run_case(case: &Case) -> Outcome {
    let mut outcome = Outcome {
        case: case.name.clone(),
        description: case.description.clone(),
        broken: None,
        mismatches: Vec::new(),
    };
    let inputs = match build_inputs(case) {
        Ok(i) => i,
        Err(e) => {
            outcome.broken = Some(format!("malformed case: {e}"));
            return outcome;
        }
    };
    let opts = options_json(case);
    let report = match catch_unwind(AssertUnwindSafe(|| {
        apready_core::check_json(&inputs, &opts)
    })) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(no message)".to_string());
            outcome.broken = Some(format!("the engine panicked: {msg}"));
            return outcome;
        }
    };
    let exit = match catch_unwind(AssertUnwindSafe(|| {
        apready_core::exit_code(&report, case.fail_on_devices.as_deref())
    })) {
        Ok(c) => Some(c),
        Err(_) => {
            outcome.broken = Some("exit_code panicked".to_string());
            return outcome;
        }
    };
    match compare(case, &report, exit) {
        Ok(m) => outcome.mismatches = m,
        Err(e) => outcome.broken = Some(e),
    }
    outcome
}

/// Loads and runs the case in `dir`; a malformed case gives a broken outcome.
pub fn run_case_dir(dir: &Path) -> Outcome {
    match load_case_dir(dir) {
        Ok(case) => run_case(&case),
        Err(e) => Outcome {
            case: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            description: String::new(),
            broken: Some(format!("malformed case: {e}")),
            mismatches: Vec::new(),
        },
    }
}

fn s(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(absent)".to_string(),
        Some(Value::String(x)) => x.clone(),
        Some(other) => other.to_string(),
    }
}

fn status_text(item: &Value) -> String {
    let st = s(item.get("status"));
    match item.get("reason").and_then(Value::as_str) {
        Some(r) if !r.is_empty() => format!("{st}:{r}"),
        _ => st,
    }
}

fn status_matches(exp: &Expected, item: &Value) -> bool {
    if item.get("status").and_then(Value::as_str) != Some(exp.status.as_str()) {
        return false;
    }
    match &exp.reason {
        None => true,
        Some(r) => item.get("reason").and_then(Value::as_str) == Some(r.as_str()),
    }
}

fn message_of(item: &Value) -> String {
    item.get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Compares a report with the case. `exit` is the engine's exit code for it (when computed).
pub fn compare(case: &Case, report: &[u8], exit: Option<i32>) -> Result<Vec<Mismatch>, String> {
    let v: Value = serde_json::from_slice(report).map_err(|e| {
        let head = String::from_utf8_lossy(&report[..report.len().min(200)]).into_owned();
        format!("the report is not JSON ({e}); it starts with {head:?}")
    })?;
    let mut out = Vec::new();
    let mut push = |subject: String, expected: String, actual: String, message: String| {
        out.push(Mismatch {
            case: case.name.clone(),
            subject,
            expected,
            actual,
            message,
        });
    };
    let e = &case.expect;
    if let Some(want) = &e.verdict {
        let got = s(v.get("verdict"));
        if &got != want {
            push("verdict".into(), want.clone(), got, String::new());
        }
    }
    if let (Some(want), Some(got)) = (e.exit_code, exit) {
        if want != got {
            push(
                "exit code".into(),
                want.to_string(),
                got.to_string(),
                String::new(),
            );
        }
    }
    let devices = v.get("devices");
    if let Some(want) = e.device_count {
        let got = devices.and_then(|d| d.get("total")).and_then(Value::as_u64);
        if got != Some(want) {
            push(
                "devices.total".into(),
                want.to_string(),
                s(devices.and_then(|d| d.get("total"))),
                String::new(),
            );
        }
    }
    if let Some(want) = e.out_of_scope {
        let got = devices
            .and_then(|d| d.get("out_of_scope"))
            .and_then(Value::as_u64);
        if got != Some(want) {
            push(
                "devices.out_of_scope".into(),
                want.to_string(),
                s(devices.and_then(|d| d.get("out_of_scope"))),
                String::new(),
            );
        }
    }
    let empty = Vec::new();
    let checks = v.get("checks").and_then(Value::as_array).unwrap_or(&empty);
    for (id, want) in &e.checks {
        let found: Vec<&Value> = checks
            .iter()
            .filter(|c| c.get("id").and_then(Value::as_str) == Some(id.as_str()))
            .collect();
        match found.as_slice() {
            [] => push(
                format!("check {id}"),
                want.text(),
                "(absent from checks[])".into(),
                String::new(),
            ),
            [one] => {
                if !status_matches(want, one) {
                    push(
                        format!("check {id}"),
                        want.text(),
                        status_text(one),
                        message_of(one),
                    );
                }
            }
            many => push(
                format!("check {id}"),
                want.text(),
                format!("{} entries in checks[]", many.len()),
                String::new(),
            ),
        }
    }
    let items = devices
        .and_then(|d| d.get("items"))
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    for (key, want) in &e.devices {
        let matched: Vec<&Value> = if let Some(id) = key.strip_prefix("id:") {
            items
                .iter()
                .filter(|i| {
                    i.get("id")
                        .and_then(Value::as_str)
                        .map(|x| x.eq_ignore_ascii_case(id))
                        .unwrap_or(false)
                })
                .collect()
        } else {
            items
                .iter()
                .filter(|i| i.get("name").and_then(Value::as_str) == Some(key.as_str()))
                .collect()
        };
        let item = match matched.as_slice() {
            [] => {
                push(
                    format!("device {key}"),
                    "present in devices.items".into(),
                    "(absent)".into(),
                    String::new(),
                );
                continue;
            }
            [one] => *one,
            many => {
                push(
                    format!("device {key}"),
                    "exactly one device with that name".into(),
                    format!("{} devices (key the case by \"id:<id>\")", many.len()),
                    String::new(),
                );
                continue;
            }
        };
        if let Some(wv) = &want.verdict {
            let got = s(item.get("verdict"));
            if &got != wv {
                push(
                    format!("device {key} verdict"),
                    wv.clone(),
                    got,
                    String::new(),
                );
            }
        }
        let findings = item
            .get("findings")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        for (cid, wf) in &want.findings {
            let f: Vec<&Value> = findings
                .iter()
                .filter(|x| x.get("id").and_then(Value::as_str) == Some(cid.as_str()))
                .collect();
            match f.as_slice() {
                [] if wf.status == "not_applicable" => {}
                [] => push(
                    format!("device {key} {cid}"),
                    wf.text(),
                    "(no finding)".into(),
                    String::new(),
                ),
                [one] => {
                    if !status_matches(wf, one) {
                        push(
                            format!("device {key} {cid}"),
                            wf.text(),
                            status_text(one),
                            message_of(one),
                        );
                    }
                }
                many => push(
                    format!("device {key} {cid}"),
                    wf.text(),
                    format!("{} findings with that id", many.len()),
                    String::new(),
                ),
            }
        }
    }
    let inputs = v.get("inputs").and_then(Value::as_array).unwrap_or(&empty);
    for (file, want) in &e.inputs {
        let Some(entry) = inputs
            .iter()
            .find(|i| i.get("file").and_then(Value::as_str) == Some(file.as_str()))
        else {
            push(
                format!("input {file}"),
                "listed in inputs[]".into(),
                "(absent)".into(),
                String::new(),
            );
            continue;
        };
        let mut diffs = Vec::new();
        for (field, w) in [
            ("resource", &want.resource),
            ("api", &want.api),
            ("encoding", &want.encoding),
        ] {
            if let Some(w) = w {
                let got = s(entry.get(field));
                if &got != w {
                    diffs.push((format!("input {file} {field}"), w.clone(), got));
                }
            }
        }
        for (field, w) in [("records", want.records), ("pages", want.pages)] {
            if let Some(w) = w {
                if entry.get(field).and_then(Value::as_u64) != Some(w) {
                    diffs.push((
                        format!("input {file} {field}"),
                        w.to_string(),
                        s(entry.get(field)),
                    ));
                }
            }
        }
        if let Some(w) = want.truncated {
            if entry.get("truncated").and_then(Value::as_bool) != Some(w) {
                diffs.push((
                    format!("input {file} truncated"),
                    w.to_string(),
                    s(entry.get("truncated")),
                ));
            }
        }
        for (subject, w, g) in diffs {
            push(subject, w, g, String::new());
        }
    }
    Ok(out)
}

// ------------------------------------------------------------------------------------------ output

/// A readable account of every failing outcome.
pub fn render_failures(outcomes: &[Outcome]) -> String {
    let mut w = String::new();
    for o in outcomes.iter().filter(|o| !o.passed()) {
        let _ = writeln!(w, "FAIL {} — {}", o.case, o.description);
        if let Some(b) = &o.broken {
            let _ = writeln!(w, "    {b}");
        }
        for m in &o.mismatches {
            let _ = write!(
                w,
                "    {}: expected {}, got {}",
                m.subject, m.expected, m.actual
            );
            if !m.message.is_empty() {
                let _ = write!(w, " — {:?}", m.message);
            }
            let _ = writeln!(w);
        }
    }
    w
}

/// `cases: N passed, M failed`
pub fn summary_line(label: &str, outcomes: &[Outcome]) -> String {
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    format!(
        "{label}: {} passed, {} failed",
        passed,
        outcomes.len() - passed
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_case(name: &str, toml_text: &str, files: &[(&str, &[u8])]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("apready-tests-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("case.toml"), toml_text).unwrap();
        for (f, bytes) in files {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        dir
    }

    const HEAD: &str =
        "description = \"x\"\nprofile = \"2022-05\"\nas_of = \"2022-06-15T00:00:00Z\"\n";

    #[test]
    fn expected_status_parsing() {
        assert_eq!(Expected::parse("ready").unwrap().text(), "ready");
        assert_eq!(
            Expected::parse("not_evaluated:missing_input").unwrap(),
            Expected {
                status: "not_evaluated".into(),
                reason: Some("missing_input".into())
            }
        );
        assert!(Expected::parse("notready").is_err());
        assert!(Expected::parse("not_evaluated:missing").is_err());
        assert!(Expected::parse("ready:missing_input").is_err());
    }

    #[test]
    fn malformed_cases_are_rejected() {
        let bad = [
            (
                "unknown-key",
                format!("{HEAD}inputs = []\nfoo = 1\n[expect]\n"),
            ),
            ("no-expect", format!("{HEAD}inputs = []\n")),
            ("no-inputs", format!("{HEAD}[expect]\n")),
            (
                "bad-status",
                format!("{HEAD}inputs = []\n[expect.checks]\n\"LIC-001\" = \"redy\"\n"),
            ),
            (
                "bad-check",
                format!("{HEAD}inputs = []\n[expect.checks]\n\"LIC-009\" = \"ready\"\n"),
            ),
            (
                "dev-in-checks",
                format!("{HEAD}inputs = []\n[expect.checks]\n\"DEV-001\" = \"ready\"\n"),
            ),
            (
                "bad-device-key",
                format!("{HEAD}inputs = []\n[expect.devices.\"PC\"]\nstatus = \"ready\"\n"),
            ),
            (
                "bad-verdict",
                format!("{HEAD}inputs = []\n[expect]\nverdict = \"not_evaluated\"\n"),
            ),
            (
                "bad-exit",
                format!("{HEAD}inputs = []\n[expect]\nexit_code = 5\n"),
            ),
        ];
        for (name, text) in bad {
            let dir = temp_case(name, &text, &[]);
            assert!(load_case_dir(&dir).is_err(), "{name} should be rejected");
        }
        // a missing input file and a stray file both break the case
        let dir = temp_case(
            "missing-file",
            &format!("{HEAD}inputs = [\"a.json\"]\n[expect]\n"),
            &[],
        );
        let case = load_case_dir(&dir).unwrap();
        assert!(build_inputs(&case).is_err());
        assert!(!run_case(&case).passed());
        let dir = temp_case(
            "stray-file",
            &format!("{HEAD}inputs = []\n[expect]\n"),
            &[("b.json", b"{}")],
        );
        let case = load_case_dir(&dir).unwrap();
        assert!(build_inputs(&case).is_err());
    }

    #[test]
    fn input_naming() {
        let dir = temp_case(
            "naming",
            &format!("{HEAD}inputs = [\"pages\", \"x.json\"]\n[expect]\n"),
            &[
                ("pages/p1.json", b"1"),
                ("pages/sub/p2.json", b"2"),
                ("pages/notes.md", b"#"),
                ("x.json", b"3"),
            ],
        );
        let case = load_case_dir(&dir).unwrap();
        let names: Vec<String> = build_inputs(&case)
            .unwrap()
            .into_iter()
            .map(|i| i.path)
            .collect();
        assert_eq!(names, vec!["pages/p1.json", "pages/sub/p2.json", "x.json"]);
        // outside the case folder: file name only / path relative to the named folder
        let outside = temp_case("outside", "", &[("o.json", b"{}"), ("deep/d.json", b"{}")]);
        let text = format!(
            "{HEAD}inputs = [\"../{}/o.json\", \"../{}/deep\"]\n[expect]\n",
            outside.file_name().unwrap().to_string_lossy(),
            outside.file_name().unwrap().to_string_lossy()
        );
        let dir = temp_case("uses-outside", &text, &[]);
        let case = load_case_dir(&dir).unwrap();
        let names: Vec<String> = build_inputs(&case)
            .unwrap()
            .into_iter()
            .map(|i| i.path)
            .collect();
        assert_eq!(names, vec!["o.json", "d.json"]);
    }

    #[test]
    fn comparison_finds_each_kind_of_difference() {
        let text = format!(
            "{HEAD}inputs = []\n[expect]\nverdict = \"advisory\"\nexit_code = 1\ndevice_count = 2\nout_of_scope = 1\n\
             [expect.checks]\n\"LIC-001\" = \"ready\"\n\"NET-001\" = \"not_evaluated:needs_device_evidence\"\n\
             [expect.devices.\"PC-1\"]\nverdict = \"not_ready\"\n\"DEV-003\" = \"not_ready\"\n\"DEV-005\" = \"not_applicable\"\n\
             [expect.devices.\"id:ABC\"]\n\"DEV-001\" = \"ready\"\n\
             [expect.inputs.\"m.json\"]\nresource = \"managedDevices\"\nrecords = 2\ntruncated = false\n"
        );
        let dir = temp_case("compare", &text, &[]);
        let case = load_case_dir(&dir).unwrap();
        let good = serde_json::json!({
            "verdict": "advisory",
            "checks": [{"id": "LIC-001", "status": "ready"},
                       {"id": "NET-001", "status": "not_evaluated", "reason": "needs_device_evidence"}],
            "devices": {"total": 2, "out_of_scope": 1, "items": [
                {"id": "x1", "name": "PC-1", "verdict": "not_ready",
                 "findings": [{"id": "DEV-003", "status": "not_ready"}]},
                {"id": "abc", "name": "PC-1b", "verdict": "ready",
                 "findings": [{"id": "DEV-001", "status": "ready"}]}]},
            "inputs": [{"file": "m.json", "resource": "managedDevices", "records": 2, "truncated": false}]
        });
        let m = compare(&case, good.to_string().as_bytes(), Some(1)).unwrap();
        assert!(m.is_empty(), "{m:?}");
        let bad = serde_json::json!({
            "verdict": "ready",
            "checks": [{"id": "NET-001", "status": "not_evaluated", "reason": "missing_input"}],
            "devices": {"total": 3, "out_of_scope": 0, "items": [
                {"id": "x1", "name": "PC-1", "verdict": "advisory",
                 "findings": [{"id": "DEV-003", "status": "advisory", "message": "falls out on 2022-06-19"},
                              {"id": "DEV-005", "status": "ready"}]}]},
            "inputs": [{"file": "m.json", "resource": "users", "records": 1, "truncated": true}]
        });
        let m = compare(&case, bad.to_string().as_bytes(), Some(0)).unwrap();
        let subjects: Vec<&str> = m.iter().map(|x| x.subject.as_str()).collect();
        for want in [
            "verdict",
            "exit code",
            "devices.total",
            "devices.out_of_scope",
            "check LIC-001",
            "check NET-001",
            "device PC-1",
            "device PC-1 verdict",
            "device PC-1 DEV-003",
            "device PC-1 DEV-005",
            "device id:ABC",
            "input m.json resource",
            "input m.json records",
            "input m.json truncated",
        ] {
            assert!(
                subjects.iter().any(|s| s.starts_with(want)),
                "missing {want} in {subjects:?}"
            );
        }
        assert!(m.iter().any(|x| x.message.contains("falls out")));
        assert!(compare(&case, b"not json", None).is_err());
    }
}
