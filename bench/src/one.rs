//! One measurement of one engine on one tenant folder, run in its own process (so that peak
//! memory is that engine's alone): `apready-bench one <engine> <dir>` prints a [`Sample`] as
//! one JSON line.
//!
//! In-process engines report `VmHWM` of this process; engines that are other programs
//! (`apready`, node, Chromium, jq) report the largest `ru_maxrss` among the waited-for
//! descendants (`getrusage(RUSAGE_CHILDREN)`; this process has no other children).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::{gen, input_files, read_inputs, root, stream_inputs, Counts};

/// Every engine, in table order.
pub const ENGINES: &[&str] = &[
    "read", "lexer", "serde", "parse", "evaluate", "native", "wasmtime", "node", "chromium",
    "regorus", "jq",
];

/// What one run measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Sample {
    pub engine: String,
    pub ok: bool,
    /// Why it did not run or failed; or a remark.
    pub note: String,
    /// Input bytes (every `.json` file of the folder).
    pub bytes: u64,
    /// Wall time: start-up, reading the input and evaluating (for the page: from handing the
    /// files to the page to the verdict element appearing).
    pub wall_s: f64,
    /// Time inside the engine without start-up and reading, where the engine can tell.
    pub eval_s: Option<f64>,
    pub peak_rss_kb: u64,
    /// CPU time (user + system) of the engine's process(es): steadier than wall time on a
    /// shared machine.
    #[serde(default)]
    pub cpu_s: f64,
    pub output_bytes: u64,
    pub counts: Option<Counts>,
}

impl Sample {
    fn new(engine: &str, bytes: u64) -> Self {
        Sample {
            engine: engine.to_string(),
            bytes,
            ..Default::default()
        }
    }
    fn fail(mut self, note: impl Into<String>) -> Self {
        self.ok = false;
        self.note = note.into();
        self
    }
}

/// `VmHWM` (peak resident set) of this process, in KiB.
pub fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn rusage(who: libc::c_int) -> libc::rusage {
    // SAFETY: getrusage writes into the struct we pass; no other invariants.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(who, &mut ru);
        ru
    }
}

fn cpu_of(ru: &libc::rusage) -> f64 {
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(ru.ru_utime) + t(ru.ru_stime)
}

/// CPU time of this process so far.
pub fn self_cpu_s() -> f64 {
    cpu_of(&rusage(libc::RUSAGE_SELF))
}

/// CPU time of the waited-for descendants.
pub fn children_cpu_s() -> f64 {
    cpu_of(&rusage(libc::RUSAGE_CHILDREN))
}

/// The largest peak RSS among waited-for descendants, in KiB.
pub fn children_maxrss_kb() -> u64 {
    // SAFETY: getrusage writes into the struct we pass; no other invariants.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) == 0 {
            ru.ru_maxrss.max(0) as u64
        } else {
            0
        }
    }
}

/// Caps this process's address space (for peers that may need more memory than the machine
/// can spare); an allocation past it fails and the process aborts, which the parent reports.
pub fn cap_memory(bytes: u64) {
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct; failure only means no cap.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

/// Address-space cap for engines that may need more memory than a shared machine can spare
/// (the native core, regorus, jq): `BENCH_MEM_GB`, default 12 GiB. Not applied to wasmtime,
/// Node and Chromium, which reserve large virtual ranges and are bounded by wasm32's 4 GiB.
pub fn peer_cap() -> u64 {
    std::env::var("BENCH_MEM_GB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(12)
        << 30
}

fn options(format: &str) -> String {
    serde_json::json!({ "format": format, "as_of": gen::AS_OF, "profile": "2022-05" }).to_string()
}

pub fn run(engine: &str, dir: &Path, format: &str) -> Sample {
    let bytes: u64 = input_files(dir)
        .map(|v| v.iter().map(|f| f.2).sum())
        .unwrap_or(0);
    let s = Sample::new(engine, bytes);
    if matches!(engine, "parse" | "evaluate" | "native" | "regorus") {
        cap_memory(peer_cap());
    }
    let mut s = match engine {
        "read" => read(s, dir),
        "parse" => parse(s, dir),
        "evaluate" => evaluate(s, dir),
        "lexer" => lexer(s, dir),
        "serde" => serde_floor(s, dir),
        "native" => native(s, dir, format),
        "wasmtime" => wasmtime(s, dir, format),
        "node" => node(s, dir, format),
        "chromium" => chromium(s, dir),
        "regorus" => regorus(s, dir),
        "jq" => jq(s, dir),
        other => s.fail(format!("unknown engine {other}")),
    };
    s.cpu_s = if matches!(engine, "wasmtime" | "node" | "chromium" | "jq") {
        children_cpu_s()
    } else {
        self_cpu_s()
    };
    s
}

/// The core's typed streaming parse alone (`apready_core::input::load`): every file into the
/// evidence model, no rules, no report.
fn parse(mut s: Sample, dir: &Path) -> Sample {
    let t = Instant::now();
    let (mut loader, read_s) = match stream_inputs(dir) {
        Ok(l) => l,
        Err(e) => return s.fail(e.to_string()),
    };
    loader.prepare(None);
    let store = loader.store();
    s.eval_s = Some(t.elapsed().as_secs_f64() - read_s);
    s.wall_s = t.elapsed().as_secs_f64();
    s.output_bytes = (store.managed.len() + store.entra.len() + store.users.len()) as u64;
    s.ok = true;
    s.peak_rss_kb = vm_hwm_kb();
    s.note = format!(
        "{} Intune, {} Entra, {} user records",
        store.managed.len(),
        store.entra.len(),
        store.users.len()
    );
    s
}

/// Parse + join + rules into the in-memory report (`apready_core::evaluate`), not rendered.
fn evaluate(mut s: Sample, dir: &Path) -> Sample {
    let t = Instant::now();
    let (mut loader, read_s) = match stream_inputs(dir) {
        Ok(l) => l,
        Err(e) => return s.fail(e.to_string()),
    };
    let opts = apready_core::Options {
        as_of: Some(gen::AS_OF.into()),
        profile: Some("2022-05".into()),
        ..Default::default()
    };
    match loader.evaluate(&opts, false) {
        Ok(r) => {
            s.eval_s = Some(t.elapsed().as_secs_f64() - read_s);
            s.wall_s = t.elapsed().as_secs_f64();
            s.peak_rss_kb = vm_hwm_kb();
            let d = &r.devices;
            s.counts = Some(Counts {
                verdict: r.verdict.as_str().to_string(),
                total: d.total,
                ready: d.ready,
                advisory: d.advisory,
                not_ready: d.not_ready,
                error: d.error,
                out_of_scope: d.out_of_scope,
            });
            s.output_bytes = d.items.iter().map(|i| i.findings.len() as u64).sum();
            s.ok = true;
            // Dropping a report of millions of strings is part of the cost.
            drop(r);
            s.wall_s = t.elapsed().as_secs_f64();
        }
        Err(e) => return s.fail(e.0),
    }
    s
}

/// Reading the bytes: every file into memory, as the hosts do before evaluating.
fn read(mut s: Sample, dir: &Path) -> Sample {
    let t = Instant::now();
    match read_inputs(dir) {
        Ok(inputs) => {
            s.wall_s = t.elapsed().as_secs_f64();
            s.output_bytes = inputs.iter().map(|i| i.bytes.len() as u64).sum();
            s.ok = true;
        }
        Err(e) => return s.fail(e.to_string()),
    }
    s.peak_rss_kb = vm_hwm_kb();
    s
}

/// The lexer floor: simd-json validating every file into its tape (no tree, no typed
/// records), file by file.
fn lexer(mut s: Sample, dir: &Path) -> Sample {
    let t = Instant::now();
    let mut lex = 0.0;
    let mut nodes = 0u64;
    let files = match input_files(dir) {
        Ok(f) => f,
        Err(e) => return s.fail(e.to_string()),
    };
    let mut buffers = simd_json::Buffers::default();
    for (_, path, _) in files {
        let mut b = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => return s.fail(e.to_string()),
        };
        let t1 = Instant::now();
        match simd_json::to_tape_with_buffers(&mut b, &mut buffers) {
            Ok(tape) => nodes += tape.0.len() as u64,
            Err(e) => return s.fail(format!("{}: {e}", path.display())),
        }
        lex += t1.elapsed().as_secs_f64();
    }
    s.wall_s = t.elapsed().as_secs_f64();
    s.eval_s = Some(lex);
    s.output_bytes = nodes;
    s.ok = true;
    s.peak_rss_kb = vm_hwm_kb();
    s
}

/// serde_json's scalar lexer skipping every value (`IgnoredAny`): the floor of the parser the
/// core is built on.
fn serde_floor(mut s: Sample, dir: &Path) -> Sample {
    let t = Instant::now();
    let files = match input_files(dir) {
        Ok(f) => f,
        Err(e) => return s.fail(e.to_string()),
    };
    let mut lex = 0.0;
    for (_, path, _) in files {
        let b = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => return s.fail(e.to_string()),
        };
        let t1 = Instant::now();
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&b) {
            return s.fail(format!("{}: {e}", path.display()));
        }
        lex += t1.elapsed().as_secs_f64();
    }
    s.wall_s = t.elapsed().as_secs_f64();
    s.eval_s = Some(lex);
    s.ok = true;
    s.peak_rss_kb = vm_hwm_kb();
    s
}

/// The core in this process, as a native host runs it: each file read, handed to the core's
/// `Loader` (parsed at once) and dropped; then `Loader::run_once` (records dropped before the
/// report is rendered).
fn native(mut s: Sample, dir: &Path, format: &str) -> Sample {
    let t = Instant::now();
    let (mut loader, read_s) = match stream_inputs(dir) {
        Ok(l) => l,
        Err(e) => return s.fail(e.to_string()),
    };
    let out = loader.run_once(options(format).as_bytes());
    s.eval_s = Some(t.elapsed().as_secs_f64() - read_s);
    drop(loader);
    s.wall_s = t.elapsed().as_secs_f64();
    s.peak_rss_kb = vm_hwm_kb();
    s.output_bytes = out.output.len() as u64;
    s.counts = Counts::from_output(&out.output[..out.output.len().min(1 << 20)]);
    s.ok = (0..=3).contains(&out.exit_code);
    if !s.ok {
        s.note = format!(
            "exit {}: {}",
            out.exit_code,
            String::from_utf8_lossy(&out.output[..out.output.len().min(300)])
        );
    }
    s
}

/// Runs a program, streaming its stdout (the head kept for the counts, the rest counted),
/// and measures wall time and the peak RSS of its process tree.
fn spawn(mut s: Sample, mut cmd: Command, mem_cap: Option<u64>) -> (Sample, Vec<u8>) {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(cap) = mem_cap {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls (setrlimit) between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: cap as libc::rlim_t,
                    rlim_max: cap as libc::rlim_t,
                };
                libc::setrlimit(libc::RLIMIT_AS, &lim);
                Ok(())
            });
        }
    }
    let t = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return (s.fail(format!("cannot start: {e}")), Vec::new()),
    };
    let mut stderr = child.stderr.take();
    let err_thread = std::thread::spawn(move || {
        let mut e = Vec::new();
        if let Some(se) = stderr.as_mut() {
            let _ = se.read_to_end(&mut e);
        }
        e
    });
    let mut head = Vec::new();
    let mut total = 0u64;
    if let Some(mut out) = child.stdout.take() {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            match out.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total += n as u64;
                    if head.len() < (4 << 20) {
                        head.extend_from_slice(&buf[..n.min((4 << 20) - head.len())]);
                    }
                }
            }
        }
    }
    let status = child.wait();
    s.wall_s = t.elapsed().as_secs_f64();
    s.peak_rss_kb = children_maxrss_kb();
    s.output_bytes = total;
    let err = err_thread.join().unwrap_or_default();
    match status {
        Ok(st) => {
            let code = st.code();
            s.ok = matches!(code, Some(0..=3));
            if !s.ok {
                let tail = String::from_utf8_lossy(&err[err.len().saturating_sub(400)..]);
                s.note = format!("exit {:?}: {}", code, tail.trim());
                use std::os::unix::process::ExitStatusExt;
                if let Some(sig) = st.signal() {
                    s.note = format!("killed by signal {sig}: {}", tail.trim());
                }
            }
        }
        Err(e) => s = s.fail(e.to_string()),
    }
    if total == 0 && s.note.is_empty() {
        let tail = String::from_utf8_lossy(&err[err.len().saturating_sub(400)..]);
        s.note = format!("no output; stderr: {}", tail.trim());
    }
    (s, head)
}

/// The `apready` command: the core's host-ABI wasm in wasmtime.
fn wasmtime(s: Sample, dir: &Path, format: &str) -> Sample {
    let bin = root().join("target/release/apready");
    if !bin.exists() {
        return s.fail("target/release/apready is not built (cargo xtask build)");
    }
    let mut cmd = Command::new(bin);
    // The host's default memory cap for the guest is 512 MiB; give it wasm32's whole 4 GiB.
    cmd.env("APREADY_MAX_MEMORY_MB", "4096")
        .arg("check")
        .arg(dir)
        .args([
            "--format",
            format,
            "--as-of",
            gen::AS_OF,
            "--profile",
            "2022-05",
        ]);
    let (mut s, head) = spawn(s, cmd, None);
    s.counts = Counts::from_output(&head);
    if s.ok && s.counts.is_none() {
        let note = format!("no report: {}", s.note);
        s = s.fail(note);
    }
    s
}

/// The glue the page uses (`web/dist`'s wasm-bindgen module), else the host-ABI wasm.
fn node_engine() -> Option<(PathBuf, &'static str)> {
    let r = root();
    for (p, kind) in [
        (r.join("web/build/pkg/apready.js"), "bindgen"),
        (r.join("target/apready-host.wasm"), "host-abi"),
    ] {
        if p.exists() {
            return Some((p, kind));
        }
    }
    None
}

/// The same wasm in Node's V8.
fn node(s: Sample, dir: &Path, format: &str) -> Sample {
    let Some((artefact, kind)) = node_engine() else {
        return s.fail("no wasm artefact (cargo xtask wasm)");
    };
    let script = root().join("bench/node/run-wasm.mjs");
    let mut cmd = Command::new("node");
    cmd.arg("--max-old-space-size=16384")
        .arg(script)
        .arg(kind)
        .arg(&artefact)
        .arg(dir)
        .arg(options(format));
    let (mut s, head) = spawn(s, cmd, None);
    s.counts = Counts::from_output(&head);
    if s.ok && s.counts.is_none() {
        let note = format!("no report: {}", s.note);
        return s.fail(note);
    }
    if s.ok {
        s.note = format!("{kind} glue ({})", artefact.display());
    }
    s
}

/// The page in headless Chromium (Playwright): time from handing the files to the page to
/// the verdict element appearing.
fn chromium(s: Sample, dir: &Path) -> Sample {
    let r = root();
    let page = r.join("web/dist/index.html");
    if !page.exists() {
        return s.fail("the page is not built (web/dist/index.html missing: cargo xtask web)");
    }
    if !r.join("web/node_modules/playwright-core").exists() {
        return s.fail("web/node_modules/playwright-core missing (cargo xtask setup)");
    }
    let mut cmd = Command::new("node");
    cmd.arg(r.join("bench/node/run-page.mjs"))
        .arg(&page)
        .arg(dir)
        .arg(gen::AS_OF);
    let (mut s, head) = spawn(s, cmd, None);
    // The script prints {"ms":…, "verdict":…, "counts":{…}} or {"error":…}.
    if !s.ok {
        return s;
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&head) else {
        let note = format!("the page script printed no result ({})", s.note);
        return s.fail(note);
    };
    // The browser's process tree, summed (the script samples it; rusage cannot see renderers).
    if let Some(kb) = v.get("peak_kb").and_then(|k| k.as_u64()) {
        s.peak_rss_kb = s.peak_rss_kb.max(kb);
    }
    if let Some(e) = v.get("error").and_then(|e| e.as_str()) {
        return s.fail(e.to_string());
    }
    if let Some(ms) = v.get("ms").and_then(|m| m.as_f64()) {
        s.eval_s = Some(ms / 1000.0);
    }
    s.counts = v
        .get("counts")
        .and_then(|c| serde_json::from_value(c.clone()).ok());
    if let Some(n) = v.get("note").and_then(|n| n.as_str()) {
        s.note = n.to_string();
    }
    s
}

/// The license table the peers use: entitling SKU → its Windows Enterprise plans, from the
/// core's own table and the 2022-05 profile's families (so the peers decide like the core).
pub fn peer_license_table() -> serde_json::Value {
    use apready_core::profile;
    let families = profile::find("2022-05")
        .map(|p| p.entitling_families)
        .unwrap_or(&[]);
    let rows = profile::licensing::rows();
    let mut map = serde_json::Map::new();
    for r in rows.iter().filter(|r| families.contains(&r.family)) {
        let plans: Vec<serde_json::Value> = rows
            .iter()
            .filter(|x| x.sku == r.sku && x.role == "windows-enterprise-entitlement")
            .map(|x| x.plan.clone().into())
            .collect();
        map.insert(r.sku.clone(), plans.into());
    }
    serde_json::Value::Object(map)
}

pub const REGO: &str = include_str!("../peers/apready.rego");
pub const JQ: &str = include_str!("../peers/apready.jq");

/// The Rego peer: regorus with the pages loaded as JSON data (`data.pages`), evaluating
/// `data.apready.report` (per-device results and a summary), serialised like a report.
fn regorus(mut s: Sample, dir: &Path) -> Sample {
    let t = Instant::now();
    let files = match input_files(dir) {
        Ok(f) => f,
        Err(e) => return s.fail(e.to_string()),
    };
    let mut pages = Vec::with_capacity(files.len());
    for (_, path, _) in files {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => return s.fail(e.to_string()),
        };
        match regorus::Value::from_json_str(&text) {
            Ok(v) => pages.push(v),
            Err(e) => return s.fail(format!("{}: {e}", path.display())),
        }
    }
    let mut engine = regorus::Engine::new();
    if let Err(e) = engine.add_policy("apready.rego".into(), REGO.into()) {
        return s.fail(format!("policy: {e}"));
    }
    let params = serde_json::json!({ "as_of": gen::AS_OF, "lic": peer_license_table() });
    let params = match regorus::Value::from_json_str(&params.to_string()) {
        Ok(v) => v,
        Err(e) => return s.fail(e.to_string()),
    };
    let mut data = std::collections::BTreeMap::new();
    data.insert(regorus::Value::from("pages"), regorus::Value::from(pages));
    data.insert(regorus::Value::from("params"), params);
    if let Err(e) = engine.add_data(regorus::Value::from(data)) {
        return s.fail(format!("data: {e}"));
    }
    let t1 = Instant::now();
    let report = match engine.eval_rule("data.apready.report".into()) {
        Ok(v) => v,
        Err(e) => return s.fail(format!("eval: {e}")),
    };
    let json = match report.to_json_str() {
        Ok(j) => j,
        Err(e) => return s.fail(e.to_string()),
    };
    s.eval_s = Some(t1.elapsed().as_secs_f64());
    s.wall_s = t.elapsed().as_secs_f64();
    s.output_bytes = json.len() as u64;
    s.counts = peer_counts(json.as_bytes());
    s.ok = s.counts.is_some();
    s.peak_rss_kb = vm_hwm_kb();
    s
}

/// The jq peer: Debian's jq over every page file.
fn jq(s: Sample, dir: &Path) -> Sample {
    let files = match input_files(dir) {
        Ok(f) => f,
        Err(e) => return s.fail(e.to_string()),
    };
    let prog = root().join("bench/peers/apready.jq");
    let mut cmd = Command::new("jq");
    cmd.args(["-n", "-c", "--arg", "asof", gen::AS_OF, "--argjson", "lic"])
        .arg(peer_license_table().to_string())
        .arg("-f")
        .arg(prog)
        .args(files.iter().map(|f| f.1.clone()));
    let (mut s, head) = spawn(s, cmd, Some(peer_cap()));
    s.counts = peer_counts(&head);
    if s.ok && s.counts.is_none() {
        s = s.fail("no summary in jq's output");
    }
    s
}

/// `{"summary":{"verdict":…,"total":…,…},"devices":[…]}` (in either key order) → counts.
pub fn peer_counts(out: &[u8]) -> Option<Counts> {
    let parse = |part: &[u8]| -> Option<Counts> {
        let text = String::from_utf8_lossy(part);
        let i = text.find("\"summary\":")? + 10;
        let rest = &text[i..];
        let end = rest.find('}')? + 1;
        serde_json::from_str(&rest[..end]).ok()
    };
    parse(&out[..out.len().min(4096)]).or_else(|| parse(&out[out.len().saturating_sub(4096)..]))
}
