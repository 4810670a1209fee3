//! apready-core: the Windows Autopatch readiness rules engine.
//!
//! Pure: no I/O, no clock, no threads. Bytes in ([`Input`]), report out ([`Report`]).
//! Start reading at [`evaluate`], then `input/` (parsing), `engine.rs` (joining and running
//! rules) and `rules/` (one file per check).

pub mod catalogue;
pub mod engine;
pub mod input;
pub mod model;
pub mod profile;
pub mod report;
pub mod rules;
pub mod status;
pub mod time;
mod util;

pub use input::{Input, Loader};
pub use report::Report;
pub use status::{Reason, Status, Verdict};

use serde::Deserialize;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Options of one evaluation, as every host passes them (JSON across the wasm boundary).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// `2022-05` (default until `current` exists) or `current`.
    pub profile: Option<String>,
    /// The evaluation instant (RFC 3339). Default: the snapshot's collection time, else `now`.
    pub as_of: Option<String>,
    /// The host's clock, used only when neither `as_of` nor a snapshot time is known.
    pub now: Option<String>,
    pub configmgr_version: Option<String>,
    pub sync_client_version: Option<String>,
    /// The input (by path) that is a scope list rather than evidence.
    pub scope: Option<String>,
    pub fail_on_devices: Option<String>,
    /// Output format: json (default), text, html, csv, md, junit.
    pub format: Option<String>,
    /// Device findings listed: `all`, or `failing` (only those that need attention). Default:
    /// all up to 10 000 in-scope devices, failing above.
    pub device_findings: Option<String>,
    /// Redaction key (any text; its bytes key the HMAC). Absent: no redaction. Every format
    /// then renders the redacted report (see `report::redact`).
    pub redact_key: Option<String>,
}

/// A problem with the options themselves (a usage error in every host).
#[derive(Debug, Clone, PartialEq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Evaluates the inputs under the options.
pub fn evaluate(inputs: &[Input], options: &Options) -> Result<Report, UsageError> {
    loader_of(inputs).evaluate(options, true)
}

fn loader_of(inputs: &[Input]) -> Loader {
    let mut l = Loader::new();
    for i in inputs {
        l.add(&i.path, &i.bytes);
    }
    l
}

impl Loader {
    /// Evaluates the files added so far (they stay, so the same files can be evaluated again
    /// with other options). `redactable`: also collect the list of every identifier in the
    /// inputs, which [`Report::redact`] needs (a sort of millions of strings on a large tenant;
    /// [`run`] collects it only when its options carry a redaction key).
    pub fn evaluate(&mut self, options: &Options, redactable: bool) -> Result<Report, UsageError> {
        evaluate_for(self, options, redactable)
    }

    /// `apready check` on the files added so far: see [`run`]. The files stay.
    pub fn run(&mut self, options_json: &[u8]) -> Outcome {
        run_loader(self, options_json, false)
    }

    /// [`Loader::run`] for a one-shot host: the files are dropped as soon as the report is
    /// built, before it is rendered, so the parsed records and the rendered output are never
    /// in memory together.
    pub fn run_once(&mut self, options_json: &[u8]) -> Outcome {
        run_loader(self, options_json, true)
    }
}

/// [`evaluate`], collecting the identifier list only when `identifiers` (a redacting caller).
fn evaluate_for(
    loader: &mut Loader,
    options: &Options,
    identifiers: bool,
) -> Result<Report, UsageError> {
    let profile_id = options.profile.as_deref().unwrap_or(profile::DEFAULT);
    let profile = profile::find(profile_id).ok_or_else(|| {
        UsageError(format!(
            "unknown profile \"{profile_id}\" (known: {})",
            profile::ALL
                .iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let parse = |what: &str, v: &str| {
        time::parse_stamp(v)
            .filter(|s| !s.never)
            .map(|s| s.at)
            .ok_or_else(|| {
                UsageError(format!(
                    "{what} \"{v}\" is not an RFC 3339 instant (e.g. 2022-06-01T00:00:00Z)"
                ))
            })
    };
    let as_of = match &options.as_of {
        Some(v) => Some(parse("--as-of", v)?),
        None => None,
    };
    let now = match &options.now {
        Some(v) => Some(parse("now", v)?),
        None => None,
    };
    if let Some(f) = &options.fail_on_devices {
        if !matches!(f.as_str(), "advisory" | "not_ready") {
            return Err(UsageError(format!(
                "--fail-on-devices must be advisory or not_ready, not \"{f}\""
            )));
        }
    }
    let all_device_findings = match options.device_findings.as_deref() {
        None | Some("auto") => None,
        Some("all") => Some(true),
        Some("failing") => Some(false),
        Some(other) => {
            return Err(UsageError(format!(
                "--device-findings must be all, failing or auto, not \"{other}\""
            )))
        }
    };
    loader.prepare(options.scope.as_deref());
    let ev = loader.store();
    let (as_of, source) = match (as_of, ev.bundle_time, now) {
        (Some(a), _, _) => (a, "option"),
        (None, Some(b), _) => (b, "snapshot"),
        (None, None, Some(n)) => (n, "now"),
        (None, None, None) => (time::Instant(0), "unknown"),
    };
    let settings = engine::Settings {
        as_of,
        as_of_source: source,
        configmgr_version: options.configmgr_version.clone(),
        sync_client_version: options.sync_client_version.clone(),
        all_device_findings,
        collect_identifiers: identifiers,
    };
    Ok(engine::evaluate(ev, profile, &settings))
}

/// The input inventory (what each file is, records, pages, problems) without evaluating:
/// the `inputs` section of the report, for a host to show before the verdict.
pub fn inspect_json(inputs: &[Input]) -> Vec<u8> {
    loader_of(inputs).inspect_json()
}

/// The JSON report for the inputs, or a JSON usage error object. The entry point of every
/// host: options arrive as JSON bytes.
pub fn check_json(inputs: &[Input], options_json: &[u8]) -> Vec<u8> {
    let options: Options = match serde_json::from_slice(options_json) {
        Ok(o) => o,
        Err(e) => return usage_json(&format!("invalid options: {e}")),
    };
    match evaluate(inputs, &options)
        .and_then(|r| render(&r, "json", options.redact_key.as_deref().map(str::as_bytes)))
    {
        Ok(json) => json,
        Err(e) => usage_json(&e.0),
    }
}

fn usage_json(msg: &str) -> Vec<u8> {
    let mut v =
        serde_json::to_vec(&serde_json::json!({ "schema": "apready.usage-error/1", "error": msg }))
            .unwrap_or_else(|_| b"{\"error\":\"usage\"}".to_vec());
    v.push(b'\n');
    v
}

/// The process exit code for a JSON report (64 for a usage error).
pub fn exit_code(report_json: &[u8], fail_on_devices: Option<&str>) -> i32 {
    #[derive(Deserialize)]
    struct Head {
        verdict: Option<String>,
        devices: Option<Counts>,
    }
    #[derive(Deserialize)]
    struct Counts {
        advisory: u64,
        not_ready: u64,
    }
    let Ok(h) = serde_json::from_slice::<Head>(report_json) else {
        return 3;
    };
    let Some(v) = h.verdict.as_deref().and_then(Verdict::parse) else {
        return 64;
    };
    let mut v = v;
    if let Some(c) = &h.devices {
        match fail_on_devices {
            Some("advisory") if c.not_ready > 0 => v = v.worst(Verdict::NotReady),
            Some("advisory") if c.advisory > 0 => v = v.worst(Verdict::Advisory),
            Some("not_ready") if c.not_ready > 0 => v = v.worst(Verdict::NotReady),
            _ => {}
        }
    }
    v.exit_code()
}

/// The bytes a host writes and the exit code it returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub output: Vec<u8>,
    pub exit_code: i32,
}

fn usage(msg: &str) -> Outcome {
    let mut output = msg.as_bytes().to_vec();
    output.push(b'\n');
    Outcome {
        output,
        exit_code: 64,
    }
}

/// Renders a report in a format (one of [`report::FORMATS`]); with a redaction key, every
/// format renders the redacted report ([`Report::redact`]).
pub fn render(
    report: &Report,
    format: &str,
    redact_key: Option<&[u8]>,
) -> Result<Vec<u8>, UsageError> {
    if !report::FORMATS.contains(&format) {
        return Err(UsageError(format!(
            "unknown format \"{format}\" ({})",
            report::FORMATS.join(", ")
        )));
    }
    let redacted;
    let report = match redact_key {
        Some([]) => return Err(UsageError("the redaction key is empty".into())),
        Some(key) => {
            redacted = report.redact(key);
            &redacted
        }
        None => report,
    };
    Ok(report::write(report, format))
}

/// `apready check`: evaluates and renders in `options.format`; the exit code follows the
/// verdict (and `fail_on_devices`); 64 for a usage error, whose message is the output.
pub fn run(inputs: &[Input], options_json: &[u8]) -> Outcome {
    run_loader(&mut loader_of(inputs), options_json, true)
}

impl Loader {
    /// Evaluates with the options as hosts pass them (JSON): the report — redacted when the
    /// options carry a key — and its exit code, or the usage-error outcome (exit 64). For a
    /// host that keeps the report (the page shows it, then asks for one device at a time).
    pub fn report(&mut self, options_json: &[u8]) -> Result<(Report, i32), Outcome> {
        let options = parse_options(options_json)?;
        report_for(self, &options)
    }
}

fn parse_options(options_json: &[u8]) -> Result<Options, Outcome> {
    serde_json::from_slice(options_json).map_err(|e| usage(&format!("invalid options: {e}")))
}

/// The report under the options (redacted when they carry a key) and its exit code.
fn report_for(loader: &mut Loader, options: &Options) -> Result<(Report, i32), Outcome> {
    let report =
        evaluate_for(loader, options, options.redact_key.is_some()).map_err(|e| usage(&e.0))?;
    let report = match options.redact_key.as_deref().map(str::as_bytes) {
        Some([]) => return Err(usage("the redaction key is empty")),
        Some(key) => report.redact(key),
        None => report,
    };
    let fail = options.fail_on_devices.as_deref().and_then(Verdict::parse);
    let exit_code = report.exit_code(fail);
    Ok((report, exit_code))
}

fn run_loader(loader: &mut Loader, options_json: &[u8], once: bool) -> Outcome {
    let rendered = parse_options(options_json).and_then(|options| {
        let (report, exit_code) = report_for(loader, &options)?;
        if once {
            loader.clear();
        }
        // Already redacted when a key was given.
        render(&report, options.format.as_deref().unwrap_or("json"), None)
            .map(|output| Outcome { output, exit_code })
            .map_err(|e| usage(&e.0))
    });
    rendered.unwrap_or_else(|usage| usage)
}

/// Requests that do not evaluate inputs: `{"op":"rules","profile":…,"format":"text"|"json"}`,
/// `{"op":"explain","id":"DEV-003","profile":…}`,
/// `{"op":"diff","old":"<report JSON text>","new":"<report JSON text>","format":"text"|"json"|"md"}`
/// (exit code 0: nothing changed, 1: something changed or the reports cannot be compared,
/// 64: an input is not an `apready.report/1` report; see `report::diff`).
pub fn command(request_json: &[u8]) -> Outcome {
    #[derive(Deserialize)]
    struct Req {
        op: String,
        profile: Option<String>,
        format: Option<String>,
        id: Option<String>,
        old: Option<String>,
        new: Option<String>,
    }
    let req: Req = match serde_json::from_slice(request_json) {
        Ok(r) => r,
        Err(e) => return usage(&format!("invalid request: {e}")),
    };
    let pid = req.profile.as_deref().unwrap_or(profile::DEFAULT);
    let Some(p) = profile::find(pid) else {
        return usage(&format!("unknown profile \"{pid}\""));
    };
    match req.op.as_str() {
        "rules" => match req.format.as_deref().unwrap_or("text") {
            "json" => Outcome {
                output: catalogue::json(p),
                exit_code: 0,
            },
            "text" => Outcome {
                output: catalogue::text(p).into_bytes(),
                exit_code: 0,
            },
            f => usage(&format!("unknown format \"{f}\" (text, json)")),
        },
        "explain" => {
            let id = req.id.unwrap_or_default();
            match rules::find(&id) {
                Some(r) => Outcome {
                    output: catalogue::explain(r.doc, p).into_bytes(),
                    exit_code: 0,
                },
                None => usage(&format!(
                    "unknown check \"{id}\"; known: {}",
                    rules::RULES
                        .iter()
                        .map(|r| r.doc.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        "exports" => {
            let list: Vec<serde_json::Value> = model::Resource::GRAPH
                .iter()
                .chain(std::iter::once(&model::Resource::DeviceEvidence))
                .map(|r| serde_json::json!({ "resource": r.name(), "how_to_export": r.how_to_export() }))
                .collect();
            let mut output = serde_json::to_vec_pretty(&list).unwrap_or_default();
            output.push(b'\n');
            Outcome {
                output,
                exit_code: 0,
            }
        }
        "profiles" => {
            let list: Vec<serde_json::Value> = profile::ALL
                .iter()
                .map(|p| serde_json::json!({ "id": p.id, "title": p.title, "rules_reviewed": p.reviewed, "default": p.id == profile::DEFAULT }))
                .collect();
            let mut output = serde_json::to_vec_pretty(&list).unwrap_or_default();
            output.push(b'\n');
            Outcome {
                output,
                exit_code: 0,
            }
        }
        "diff" => diff(
            req.old.as_deref(),
            req.new.as_deref(),
            req.format.as_deref(),
        ),
        op => usage(&format!("unknown request \"{op}\"")),
    }
}

/// `apready diff`: compares two JSON reports.
fn diff(old: Option<&str>, new: Option<&str>, format: Option<&str>) -> Outcome {
    let (Some(old), Some(new)) = (old, new) else {
        return usage("diff needs \"old\" and \"new\": the text of two JSON reports");
    };
    let format = format.unwrap_or("text");
    if !matches!(format, "text" | "json" | "md") {
        return usage(&format!("unknown format \"{format}\" (text, json, md)"));
    }
    match report::diff::parse(old, new) {
        Ok(d) => Outcome {
            exit_code: d.exit_code(),
            output: match format {
                "json" => d.to_json(),
                "md" => d.markdown().into_bytes(),
                _ => d.text().into_bytes(),
            },
        },
        Err(e) => usage(&e),
    }
}
