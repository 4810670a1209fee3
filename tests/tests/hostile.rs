//! The hostile-input corpus (`tests/hostile/manifest.toml`): every entry runs natively through
//! `apready_core::run` and, when `target/release/apready` exists, through the wasmtime host with
//! `--max-memory` and `--timeout`. Each must give its expected outcome — a located `error` or a
//! correct verdict — and the wasmtime host must never print a panic or a backtrace.
//!
//! Durations are printed (`cargo test -p apready-tests --test hostile -- --nocapture`), never
//! asserted. Entries marked `heavy` (the 1 GB string, generated here, never committed) run in
//! their own test, `hostile_heavy_entries` (~8 s), natively only when the machine has the
//! memory.
//! `APREADY_HOSTILE=<substring>` limits a run to matching entry names.
//!
//! Keys and generators: `tests/hostile/README.md`. Output safety of every format is tested in
//! `core/tests/hostile.rs` (device names) and `core/tests/prop.rs` (every other field).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use apready_core::{run, Input};
use serde_json::Value;

const MANIFEST: &str = "hostile/manifest.toml";

fn hostile_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("hostile")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

// ------------------------------------------------------------------------------------ manifest

#[derive(Debug, Clone)]
enum Source {
    File(PathBuf),
    Generate { kind: String, n: u64 },
}

#[derive(Debug, Clone)]
struct InputSpec {
    path: String,
    source: Source,
}

#[derive(Debug, Clone, Default)]
struct InputExpect {
    /// Substrings the input's `error` must contain (an empty list: no error expected).
    error: Option<Vec<String>>,
    records: Option<u64>,
    pages: Option<u64>,
    truncated: Option<bool>,
    resource: Option<String>,
    /// A substring one of the input's problems must contain.
    problem: Option<String>,
    /// At most this many problems listed.
    problems_at_most: Option<u64>,
}

#[derive(Debug, Clone, Default)]
struct Expect {
    exit_code: i32,
    verdict: Option<String>,
    checks: BTreeMap<String, String>,
    devices: BTreeMap<String, String>,
    device_count: Option<u64>,
    inputs: BTreeMap<String, InputExpect>,
    /// Substrings the output must contain (usage errors: the message).
    output: Vec<String>,
}

#[derive(Debug, Clone)]
struct WasmExpect {
    exit_code: i32,
    max_memory: u64,
    timeout: u64,
    /// Substrings stderr must contain.
    stderr: Vec<String>,
    /// The host prints a report that meets the entry's expectations (false: the host stops
    /// before the engine runs, e.g. an input over the memory cap).
    report: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    what: String,
    inputs: Vec<InputSpec>,
    options: serde_json::Map<String, Value>,
    expect: Expect,
    wasm: WasmExpect,
    heavy: bool,
    /// Free memory (MiB) the native run needs; skipped (with a note) when the machine has less.
    native_mib: u64,
    /// Run natively too (false: only the host's limits are under test).
    native: bool,
}

fn strs(v: Option<&toml::Value>, ctx: &str) -> Result<Vec<String>, String> {
    match v {
        None => Ok(Vec::new()),
        Some(toml::Value::String(s)) => Ok(vec![s.clone()]),
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{ctx}: expected strings"))
            })
            .collect(),
        Some(other) => Err(format!(
            "{ctx}: expected a string or strings, found {other}"
        )),
    }
}

fn keys(t: &toml::Table, allowed: &[&str], ctx: &str) -> Result<(), String> {
    for k in t.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(format!("{ctx}: unknown key {k:?} (allowed: {allowed:?})"));
        }
    }
    Ok(())
}

fn int(t: &toml::Table, k: &str, ctx: &str) -> Result<Option<u64>, String> {
    match t.get(k) {
        None => Ok(None),
        Some(toml::Value::Integer(i)) if *i >= 0 => Ok(Some(*i as u64)),
        Some(other) => Err(format!(
            "{ctx}: {k} must be a non-negative integer, found {other}"
        )),
    }
}

fn string_map(v: Option<&toml::Value>, ctx: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if let Some(v) = v {
        let t = v
            .as_table()
            .ok_or_else(|| format!("{ctx}: expected a table"))?;
        for (k, v) in t {
            let s = v
                .as_str()
                .ok_or_else(|| format!("{ctx}.{k}: expected a string"))?;
            out.insert(k.clone(), s.to_string());
        }
    }
    Ok(out)
}

fn load_manifest() -> Result<Vec<Entry>, String> {
    let file = hostile_root().join("manifest.toml");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{MANIFEST}: {e}"))?;
    let root: toml::Table = toml::from_str(&text).map_err(|e| format!("{MANIFEST}: {e}"))?;
    keys(&root, &["as_of", "entry"], MANIFEST)?;
    let as_of = root
        .get("as_of")
        .and_then(|v| v.as_str())
        .ok_or_else(|| format!("{MANIFEST}: as_of is required"))?
        .to_string();
    let entries = root
        .get("entry")
        .and_then(|v| v.as_array())
        .ok_or_else(|| format!("{MANIFEST}: no [[entry]]"))?;
    let mut out = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for e in entries {
        let t = e
            .as_table()
            .ok_or_else(|| format!("{MANIFEST}: an entry is not a table"))?;
        let name = t
            .get("name")
            .and_then(|v| v.as_str())
            .ok_or_else(|| format!("{MANIFEST}: an entry has no name"))?
            .to_string();
        let ctx = format!("{MANIFEST} entry {name}");
        if !names.insert(name.clone()) {
            return Err(format!("{ctx}: duplicate name"));
        }
        keys(
            t,
            &[
                "name",
                "what",
                "inputs",
                "options",
                "expect",
                "wasm",
                "heavy",
                "native_mib",
                "native",
            ],
            &ctx,
        )?;
        let what = t
            .get("what")
            .and_then(|v| v.as_str())
            .ok_or_else(|| format!("{ctx}: `what` is required"))?
            .to_string();
        let mut inputs = Vec::new();
        for i in t
            .get("inputs")
            .and_then(|v| v.as_array())
            .ok_or_else(|| format!("{ctx}: inputs must be an array"))?
        {
            let it = i
                .as_table()
                .ok_or_else(|| format!("{ctx}: an input is not a table"))?;
            keys(it, &["path", "file", "generate", "n"], &ctx)?;
            let source = match (it.get("file"), it.get("generate")) {
                (Some(f), None) => {
                    let f = f
                        .as_str()
                        .ok_or_else(|| format!("{ctx}: file must be a string"))?;
                    let p = hostile_root().join("files").join(f);
                    if !p.is_file() {
                        return Err(format!("{ctx}: no file {}", p.display()));
                    }
                    Source::File(p)
                }
                (None, Some(g)) => Source::Generate {
                    kind: g
                        .as_str()
                        .ok_or_else(|| format!("{ctx}: generate must be a string"))?
                        .to_string(),
                    n: int(it, "n", &ctx)?.ok_or_else(|| format!("{ctx}: generate needs n"))?,
                },
                _ => {
                    return Err(format!(
                        "{ctx}: an input needs exactly one of file, generate"
                    ))
                }
            };
            let path = match (it.get("path").and_then(|v| v.as_str()), &source) {
                (Some(p), _) => p.to_string(),
                (None, Source::File(_)) => it
                    .get("file")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string(),
                (None, Source::Generate { .. }) => {
                    return Err(format!("{ctx}: a generated input needs a path"))
                }
            };
            inputs.push(InputSpec { path, source });
        }
        let mut options = serde_json::Map::new();
        options.insert("as_of".into(), Value::String(as_of.clone()));
        if let Some(o) = t.get("options") {
            let ot = o
                .as_table()
                .ok_or_else(|| format!("{ctx}: options must be a table"))?;
            for (k, v) in ot {
                let s = v
                    .as_str()
                    .ok_or_else(|| format!("{ctx}: option {k} must be a string"))?;
                options.insert(k.clone(), Value::String(s.to_string()));
            }
        }
        let et = t
            .get("expect")
            .and_then(|v| v.as_table())
            .ok_or_else(|| format!("{ctx}: [expect] is required"))?;
        keys(
            et,
            &[
                "exit_code",
                "verdict",
                "checks",
                "devices",
                "device_count",
                "inputs",
                "output",
            ],
            &ctx,
        )?;
        let exit_code = int(et, "exit_code", &ctx)?
            .ok_or_else(|| format!("{ctx}: expect.exit_code is required"))?
            as i32;
        let mut expect = Expect {
            exit_code,
            verdict: et
                .get("verdict")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            checks: string_map(et.get("checks"), &ctx)?,
            devices: string_map(et.get("devices"), &ctx)?,
            device_count: int(et, "device_count", &ctx)?,
            output: strs(et.get("output"), &ctx)?,
            ..Expect::default()
        };
        if let Some(it) = et.get("inputs") {
            let it = it
                .as_table()
                .ok_or_else(|| format!("{ctx}: expect.inputs must be a table"))?;
            for (path, v) in it {
                let vt = v
                    .as_table()
                    .ok_or_else(|| format!("{ctx}: expect.inputs.{path} must be a table"))?;
                let ictx = format!("{ctx} expect.inputs.{path}");
                keys(
                    vt,
                    &[
                        "error",
                        "records",
                        "pages",
                        "truncated",
                        "resource",
                        "problem",
                        "problems_at_most",
                    ],
                    &ictx,
                )?;
                if !inputs.iter().any(|i| &i.path == path) {
                    return Err(format!("{ictx}: not an input of the entry"));
                }
                expect.inputs.insert(
                    path.clone(),
                    InputExpect {
                        error: match vt.get("error") {
                            None => None,
                            Some(toml::Value::Boolean(false)) => Some(Vec::new()),
                            v => Some(strs(v, &ictx)?),
                        },
                        records: int(vt, "records", &ictx)?,
                        pages: int(vt, "pages", &ictx)?,
                        truncated: vt.get("truncated").and_then(|v| v.as_bool()),
                        resource: vt
                            .get("resource")
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                        problem: vt
                            .get("problem")
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                        problems_at_most: int(vt, "problems_at_most", &ictx)?,
                    },
                );
            }
        }
        let wt = match t.get("wasm") {
            Some(w) => w
                .as_table()
                .cloned()
                .ok_or_else(|| format!("{ctx}: wasm must be a table"))?,
            None => toml::Table::new(),
        };
        keys(
            &wt,
            &["exit_code", "max_memory", "timeout", "stderr", "report"],
            &ctx,
        )?;
        let wasm = WasmExpect {
            exit_code: int(&wt, "exit_code", &ctx)?.map_or(exit_code, |c| c as i32),
            max_memory: int(&wt, "max_memory", &ctx)?.unwrap_or(256),
            timeout: int(&wt, "timeout", &ctx)?.unwrap_or(60),
            stderr: strs(wt.get("stderr"), &ctx)?,
            report: wt.get("report").and_then(|v| v.as_bool()).unwrap_or(true),
        };
        out.push(Entry {
            name,
            what,
            inputs,
            options,
            expect,
            wasm,
            heavy: t.get("heavy").and_then(|v| v.as_bool()).unwrap_or(false),
            native_mib: int(t, "native_mib", &ctx)?.unwrap_or(0),
            native: t.get("native").and_then(|v| v.as_bool()).unwrap_or(true),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------- generators

const MD_CONTEXT: &str =
    "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices";

fn record_head() -> String {
    format!(
        "{{\"@odata.context\":\"{MD_CONTEXT}\",\"value\":[{{\"id\":\"00000000-0000-4000-8000-000000000001\",\"operatingSystem\":\"Windows\",\"managementAgent\":\"mdm\",\"deviceName\":"
    )
}

/// The bytes of a generated input. Every generator writes valid JSON syntax unless its name
/// says otherwise, so the failure is the property under test, not a typo.
fn generate(kind: &str, n: u64) -> Result<Vec<u8>, String> {
    let n = usize::try_from(n).map_err(|e| e.to_string())?;
    let mut v: Vec<u8> = Vec::new();
    match kind {
        // [[[[…]]]]
        "nested-arrays" => {
            v.resize(n, b'[');
            v.resize(2 * n, b']');
        }
        // {"a":{"a":…0…}}
        "nested-objects" => {
            v.reserve(6 * n + 1);
            for _ in 0..n {
                v.extend_from_slice(b"{\"a\":");
            }
            v.push(b'0');
            v.resize(v.len() + n, b'}');
        }
        // A page whose one record's deviceName is an array nested n deep.
        "nested-in-record" => {
            v.extend_from_slice(record_head().as_bytes());
            v.resize(v.len() + n, b'[');
            v.resize(v.len() + n, b']');
            v.extend_from_slice(b"}]}");
        }
        // A page whose one record's configurationManagerClientEnabledFeatures (an object the
        // reader descends into) is an array nested n deep: the nesting limit applies.
        "nested-in-features" => {
            v.extend_from_slice(record_head().as_bytes());
            v.extend_from_slice(b"\"x\",\"configurationManagerClientEnabledFeatures\":");
            v.resize(v.len() + n, b'[');
            v.resize(v.len() + n, b']');
            v.extend_from_slice(b"}]}");
        }
        // A page whose one record's deviceName is a string of n bytes.
        "big-string" => {
            v.reserve(n + 256);
            v.extend_from_slice(record_head().as_bytes());
            v.push(b'"');
            v.resize(v.len() + n, b'A');
            v.extend_from_slice(b"\"}]}");
        }
        // A page whose value holds n empty objects.
        "empty-objects" => {
            v.reserve(3 * n + 128);
            v.extend_from_slice(
                format!("{{\"@odata.context\":\"{MD_CONTEXT}\",\"value\":[").as_bytes(),
            );
            for i in 0..n {
                if i > 0 {
                    v.push(b',');
                }
                v.extend_from_slice(b"{}");
            }
            v.extend_from_slice(b"]}");
        }
        // A page whose value holds n numbers (no records at all).
        "numbers-in-value" => {
            v.reserve(2 * n + 128);
            v.extend_from_slice(
                format!("{{\"@odata.context\":\"{MD_CONTEXT}\",\"value\":[").as_bytes(),
            );
            for i in 0..n {
                if i > 0 {
                    v.push(b',');
                }
                v.push(b'1');
            }
            v.extend_from_slice(b"]}");
        }
        // A top-level array (PowerShell's shape) of n empty objects.
        "empty-objects-array" => {
            v.reserve(3 * n + 2);
            v.push(b'[');
            for i in 0..n {
                if i > 0 {
                    v.push(b',');
                }
                v.extend_from_slice(b"{}");
            }
            v.push(b']');
        }
        // n records with one unusable member each (a number for deviceName).
        "bad-members" => {
            v.extend_from_slice(
                format!("{{\"@odata.context\":\"{MD_CONTEXT}\",\"value\":[").as_bytes(),
            );
            for i in 0..n {
                if i > 0 {
                    v.push(b',');
                }
                v.extend_from_slice(
                    format!(
                        "{{\"id\":\"00000000-0000-4000-8000-{i:012}\",\"operatingSystem\":\"Windows\",\"deviceName\":{i}}}"
                    )
                    .as_bytes(),
                );
            }
            v.extend_from_slice(b"]}");
        }
        other => return Err(format!("unknown generator {other:?}")),
    }
    Ok(v)
}

fn materialise(entry: &Entry) -> Result<Vec<Input>, String> {
    entry
        .inputs
        .iter()
        .map(|i| {
            let bytes = match &i.source {
                Source::File(p) => std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?,
                Source::Generate { kind, n } => generate(kind, *n)?,
            };
            Ok(Input {
                path: i.path.clone(),
                bytes,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------- comparison

fn item_status(item: &Value) -> String {
    let s = item.get("status").and_then(Value::as_str).unwrap_or("?");
    match item.get("reason").and_then(Value::as_str) {
        Some(r) => format!("{s}:{r}"),
        None => s.to_string(),
    }
}

fn status_matches(expected: &str, item: &Value) -> bool {
    let actual = item_status(item);
    if expected.contains(':') {
        actual == expected
    } else {
        actual.split(':').next() == Some(expected)
    }
}

/// What differs between the entry's expectations and the native outcome.
fn compare(entry: &Entry, exit_code: i32, output: &[u8]) -> Vec<String> {
    let mut m = Vec::new();
    let e = &entry.expect;
    if exit_code != e.exit_code {
        m.push(format!("exit code {exit_code}, expected {}", e.exit_code));
    }
    let text = String::from_utf8_lossy(output);
    for s in &e.output {
        if !text.contains(s.as_str()) {
            m.push(format!("the output does not contain {s:?}"));
        }
    }
    if exit_code == 64 {
        return m;
    }
    let report: Value = match serde_json::from_slice(output) {
        Ok(v) => v,
        Err(err) => {
            m.push(format!("the report is not JSON: {err}"));
            return m;
        }
    };
    let verdict = report.get("verdict").and_then(Value::as_str).unwrap_or("");
    if !["ready", "advisory", "not_ready", "error"].contains(&verdict) {
        m.push(format!("no verdict in the report ({verdict:?})"));
    }
    if let Some(v) = &e.verdict {
        if v != verdict {
            m.push(format!("verdict {verdict}, expected {v}"));
        }
    }
    let checks = report
        .get("checks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (id, want) in &e.checks {
        match checks
            .iter()
            .find(|c| c.get("id").and_then(Value::as_str) == Some(id))
        {
            Some(c) if status_matches(want, c) => {}
            Some(c) => m.push(format!("{id} is {}, expected {want}", item_status(c))),
            None => m.push(format!("{id} is not in the report")),
        }
    }
    let devices = report
        .pointer("/devices/items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(n) = e.device_count {
        let total = report.pointer("/devices/total").and_then(Value::as_u64);
        if total != Some(n) {
            m.push(format!("devices.total {total:?}, expected {n}"));
        }
    }
    for (name, want) in &e.devices {
        match devices
            .iter()
            .find(|d| d.get("name").and_then(Value::as_str) == Some(name))
        {
            Some(d) => {
                let v = d.get("verdict").and_then(Value::as_str).unwrap_or("");
                if v != want {
                    m.push(format!("device {name} is {v}, expected {want}"));
                }
            }
            None => m.push(format!("device {name} is not in the report")),
        }
    }
    let inputs = report
        .get("inputs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for spec in &entry.inputs {
        if !inputs
            .iter()
            .any(|i| i.get("file").and_then(Value::as_str) == Some(spec.path.as_str()))
        {
            m.push(format!("input {} is not in the report's inputs", spec.path));
        }
    }
    for (path, ie) in &e.inputs {
        let Some(i) = inputs
            .iter()
            .find(|i| i.get("file").and_then(Value::as_str) == Some(path.as_str()))
        else {
            continue;
        };
        let error = i.get("error").and_then(Value::as_str);
        match (&ie.error, error) {
            (Some(want), None) if !want.is_empty() => m.push(format!(
                "{path}: no error, expected one containing {want:?}"
            )),
            (Some(want), Some(got)) if want.is_empty() => {
                m.push(format!("{path}: error {got:?}, expected none"))
            }
            (Some(want), Some(got)) => {
                for s in want {
                    if !got.contains(s.as_str()) {
                        m.push(format!("{path}: error {got:?} does not contain {s:?}"));
                    }
                }
            }
            _ => {}
        }
        let num = |k: &str| i.get(k).and_then(Value::as_u64);
        if let Some(r) = ie.records {
            if num("records") != Some(r) {
                m.push(format!(
                    "{path}: records {:?}, expected {r}",
                    num("records")
                ));
            }
        }
        if let Some(p) = ie.pages {
            if num("pages") != Some(p) {
                m.push(format!("{path}: pages {:?}, expected {p}", num("pages")));
            }
        }
        if let Some(t) = ie.truncated {
            let got = i.get("truncated").and_then(Value::as_bool);
            if got != Some(t) {
                m.push(format!("{path}: truncated {got:?}, expected {t}"));
            }
        }
        if let Some(r) = &ie.resource {
            let got = i.get("resource").and_then(Value::as_str);
            if got != Some(r.as_str()) {
                m.push(format!("{path}: resource {got:?}, expected {r}"));
            }
        }
        let problems: Vec<&str> = i
            .get("problems")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(p) = &ie.problem {
            if !problems.iter().any(|x| x.contains(p.as_str())) {
                let first: Vec<&&str> = problems.iter().take(3).collect();
                m.push(format!(
                    "{path}: no problem contains {p:?} ({} problems, first: {first:?})",
                    problems.len()
                ));
            }
        }
        if let Some(n) = ie.problems_at_most {
            if problems.len() as u64 > n {
                m.push(format!(
                    "{path}: {} problems listed, expected at most {n}",
                    problems.len()
                ));
            }
        }
    }
    m
}

/// One line about a report, for the printed table.
fn summary(exit_code: i32, output: &[u8]) -> String {
    let Ok(report) = serde_json::from_slice::<Value>(output) else {
        let text = String::from_utf8_lossy(output);
        return format!(
            "exit {exit_code}: {}",
            text.trim().chars().take(160).collect::<String>()
        );
    };
    let verdict = report.get("verdict").and_then(Value::as_str).unwrap_or("?");
    let first_error = report
        .get("inputs")
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find_map(|i| i.get("error").and_then(Value::as_str))
        })
        .map(|e| e.chars().take(140).collect::<String>());
    match first_error {
        Some(e) => format!("exit {exit_code} {verdict}: {e}"),
        None => format!("exit {exit_code} {verdict}"),
    }
}

fn selected(entries: Vec<Entry>, heavy: bool) -> Vec<Entry> {
    let filter = std::env::var("APREADY_HOSTILE")
        .ok()
        .filter(|f| !f.is_empty());
    entries
        .into_iter()
        .filter(|e| e.heavy == heavy)
        .filter(|e| filter.as_ref().is_none_or(|f| e.name.contains(f.as_str())))
        .collect()
}

/// MiB of memory available now (Linux), else `None`.
fn available_mib() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

fn run_native(entry: &Entry) -> Result<(i32, Vec<u8>, Duration), String> {
    let inputs = materialise(entry)?;
    let options = Value::Object(entry.options.clone()).to_string();
    let started = Instant::now();
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(&inputs, options.as_bytes())
    }))
    .map_err(|_| "the engine panicked".to_string())?;
    Ok((out.exit_code, out.output, started.elapsed()))
}

fn native(entries: &[Entry]) -> Vec<String> {
    let mut failures = Vec::new();
    for entry in entries {
        if !entry.native {
            continue;
        }
        if entry.native_mib > 0 {
            match available_mib() {
                Some(free) if free >= entry.native_mib => {}
                free => {
                    println!(
                        "{:<44} native skipped: needs {} MiB free, {free:?} available",
                        entry.name, entry.native_mib
                    );
                    continue;
                }
            }
        }
        match run_native(entry) {
            Ok((code, output, took)) => {
                println!(
                    "{:<44} native {:>8.1} ms  {}",
                    entry.name,
                    took.as_secs_f64() * 1000.0,
                    summary(code, &output)
                );
                for m in compare(entry, code, &output) {
                    failures.push(format!("{} ({}): {m}", entry.name, entry.what));
                }
            }
            Err(e) => failures.push(format!("{} ({}): {e}", entry.name, entry.what)),
        }
    }
    failures
}

// ------------------------------------------------------------------------------------ wasmtime

fn host_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("APREADY_BIN") {
        return Some(PathBuf::from(p));
    }
    let exe = if cfg!(windows) {
        "apready.exe"
    } else {
        "apready"
    };
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let p = target.join("release").join(exe);
    p.is_file().then_some(p)
}

/// Text that means the host (or the engine inside it) crashed rather than reported.
const CRASH_TEXT: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "stack backtrace",
    "wasm backtrace",
    "error while executing at wasm",
    "thread 'main'",
];

/// The host's compiled-engine cache for these runs (not the user's cache folder).
fn cache_dir() -> PathBuf {
    std::env::temp_dir().join("apready-hostile-engine-cache")
}

/// Compare the host's JSON report with the native one byte for byte (the parity suite's
/// property) only when asked: `APREADY_HOSTILE_PARITY=1`. A host built before the last core
/// change would otherwise fail here for the wrong reason.
fn parity_wanted() -> bool {
    std::env::var_os("APREADY_HOSTILE_PARITY").is_some_and(|v| !v.is_empty() && v != "0")
}

fn write_inputs(dir: &Path, entry: &Entry) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for spec in &entry.inputs {
        let path = dir.join(&spec.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        match &spec.source {
            Source::File(src) => {
                std::fs::copy(src, &path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Source::Generate { kind, n } => {
                let bytes = generate(kind, *n)?;
                std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(())
}

fn run_wasm(bin: &Path, entry: &Entry, native_report: Option<&[u8]>) -> Vec<String> {
    let mut failures = Vec::new();
    let dir = std::env::temp_dir().join(format!(
        "apready-hostile-{}-{}",
        std::process::id(),
        entry.name
    ));
    if let Err(e) = write_inputs(&dir, entry) {
        return vec![format!("{}: cannot write the inputs: {e}", entry.name)];
    }
    let mut cmd = Command::new(bin);
    cmd.arg("check")
        .arg(&dir)
        .args(["--format", "json", "--quiet"])
        .args(["--max-memory", &entry.wasm.max_memory.to_string()])
        .args(["--timeout", &entry.wasm.timeout.to_string()])
        .env_remove("RUST_BACKTRACE")
        .env("APREADY_CACHE_DIR", cache_dir());
    for (k, v) in &entry.options {
        let flag = match k.as_str() {
            "as_of" => "--as-of",
            "profile" => "--profile",
            "configmgr_version" => "--configmgr-version",
            "sync_client_version" => "--sync-client-version",
            "fail_on_devices" => "--fail-on-devices",
            other => {
                failures.push(format!("{}: option {other} has no flag here", entry.name));
                continue;
            }
        };
        cmd.arg(flag).arg(v.as_str().unwrap_or_default());
    }
    let started = Instant::now();
    let out = cmd.output();
    let took = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    let out = match out {
        Ok(o) => o,
        Err(e) => return vec![format!("{}: cannot run {}: {e}", entry.name, bin.display())],
    };
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!(
        "{:<44} wasm   {:>8.1} ms  exit {code}{}",
        entry.name,
        took.as_secs_f64() * 1000.0,
        stderr
            .lines()
            .next()
            .map(|l| format!(": {}", l.chars().take(150).collect::<String>()))
            .unwrap_or_default()
    );
    if code != entry.wasm.exit_code {
        failures.push(format!(
            "{}: wasmtime host exit {code}, expected {}; stderr: {stderr}",
            entry.name, entry.wasm.exit_code
        ));
    }
    for t in CRASH_TEXT {
        if stderr.contains(t) {
            failures.push(format!("{}: stderr holds {t:?}: {stderr}", entry.name));
        }
    }
    for s in &entry.wasm.stderr {
        if !stderr.contains(s.as_str()) {
            failures.push(format!(
                "{}: stderr does not contain {s:?}: {stderr}",
                entry.name
            ));
        }
    }
    if entry.wasm.report {
        for m in compare(entry, code, &out.stdout) {
            failures.push(format!("{} (wasmtime host): {m}", entry.name));
        }
        if let Some(native) = native_report {
            if out.stdout != native {
                failures.push(format!(
                    "{}: the wasmtime report differs from the native one",
                    entry.name
                ));
            }
        }
    }
    failures
}

fn wasm(entries: &[Entry], with_native: bool) -> Vec<String> {
    let Some(bin) = host_binary() else {
        println!(
            "note: no wasmtime host at target/release/apready (cargo build --release -p apready, \
             or APREADY_BIN=<path>): the wasmtime half of the hostile corpus is skipped"
        );
        return Vec::new();
    };
    let mut failures = Vec::new();
    for entry in entries {
        let native_report = if with_native && entry.wasm.report && parity_wanted() {
            run_native(entry).ok().map(|(_, out, _)| out)
        } else {
            None
        };
        failures.extend(run_wasm(&bin, entry, native_report.as_deref()));
    }
    failures
}

fn manifest() -> Vec<Entry> {
    match load_manifest() {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn hostile_corpus_natively() {
    let entries = selected(manifest(), false);
    assert!(!entries.is_empty(), "no hostile entry selected");
    let failures = native(&entries);
    println!("hostile corpus: {} entries natively", entries.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn hostile_corpus_in_the_wasmtime_host() {
    let entries = selected(manifest(), false);
    let failures = wasm(&entries, true);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn hostile_heavy_entries() {
    let entries = selected(manifest(), true);
    let mut failures = native(&entries);
    failures.extend(wasm(&entries, false));
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// `manifest.json` is `manifest.toml` as JSON, for hosts without a TOML reader (the page's
/// Node and Chromium tests). `APREADY_BLESS=1` rewrites it.
#[test]
fn manifest_json_twin_is_in_sync() {
    let root = hostile_root();
    let text = std::fs::read_to_string(root.join("manifest.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let mut want = serde_json::to_string_pretty(&table).unwrap();
    want.push('\n');
    let path = root.join("manifest.json");
    if std::env::var_os("APREADY_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &want).unwrap();
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "tests/hostile/manifest.json is not manifest.toml as JSON: run \
         APREADY_BLESS=1 cargo test -p apready-tests --test hostile manifest_json"
    );
}

/// Every committed file under tests/hostile/files/ is used by an entry (no stray corpus).
#[test]
fn every_hostile_file_is_in_the_manifest() {
    let entries = manifest();
    let used: std::collections::BTreeSet<PathBuf> = entries
        .iter()
        .flat_map(|e| e.inputs.iter())
        .filter_map(|i| match &i.source {
            Source::File(p) => Some(p.clone()),
            Source::Generate { .. } => None,
        })
        .collect();
    let mut stray = Vec::new();
    let mut stack = vec![hostile_root().join("files")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !used.contains(&p) {
                stray.push(p.display().to_string());
            }
        }
    }
    assert!(
        stray.is_empty(),
        "files no manifest entry uses:\n{}",
        stray.join("\n")
    );
}
