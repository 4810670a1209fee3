//! `apready`: the Windows Autopatch readiness checker's command line.
//!
//! This host only moves bytes: it collects the input files, streams them into the core —
//! compiled to WebAssembly and embedded in this executable — running in wasmtime with a memory
//! cap and a deadline, and writes what the core returns. Every decision is the core's.
//!
//! Start reading at [`main`]; then `module.rs` (loading the compiled engine fast), `guest.rs`
//! (one evaluation in a fresh store), `inputs.rs` (which files, under which names).

mod cli;
mod clock;
mod guest;
mod inputs;
mod module;
mod output;
mod sample;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{json, Map, Value};

use crate::cli::{Cli, Command};
use crate::guest::{AddError, Guest, Limits};
use crate::inputs::InputFile;

const EXIT_ERROR: u8 = 3;
const EXIT_USAGE: u8 = 64;
const MIB: u64 = 1 << 20;
/// Inputs larger than this get progress on stderr.
const PROGRESS_THRESHOLD: u64 = 50 * MIB;

/// Why a command did not produce its output.
enum Failure {
    /// A usage error (bad arguments, unreadable input file): exit 64.
    Usage(String),
    /// Anything else (the engine stopped, output not writable): exit 3.
    Error(String),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let code = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => EXIT_USAGE,
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Usage(msg)) => {
            eprintln!("apready: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(Failure::Error(msg)) => {
            eprintln!("apready: {msg}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Failure> {
    let quiet = cli.limits.quiet;
    let timeout = Duration::from_secs(cli.limits.timeout);
    let max_memory = max_memory_mib(cli.limits.max_memory)?;
    let engine_limits = |input_bytes: u64| Limits {
        memory_bytes: memory_cap(max_memory, input_bytes),
        timeout,
    };
    match cli.command {
        Command::Check(args) => check(args, engine_limits, quiet),
        Command::Rules(args) => {
            let mut req = Map::new();
            req.insert("op".into(), "rules".into());
            put(&mut req, "profile", args.profile);
            let format = match args.format {
                cli::RulesFormat::Text => "text",
                cli::RulesFormat::Json => "json",
            };
            req.insert("format".into(), format.into());
            command(
                &Value::Object(req),
                "rules",
                engine_limits(0),
                args.output,
                quiet,
            )
        }
        Command::Explain(args) => {
            let mut req = Map::new();
            req.insert("op".into(), "explain".into());
            req.insert("id".into(), args.id.to_ascii_uppercase().into());
            put(&mut req, "profile", args.profile);
            command(
                &Value::Object(req),
                "explain",
                engine_limits(0),
                None,
                quiet,
            )
        }
        Command::Diff(args) => {
            let old = read_text(&args.old)?;
            let new = read_text(&args.new)?;
            let size = (old.len() + new.len()) as u64;
            let format = match args.format {
                cli::DiffFormat::Text => "text",
                cli::DiffFormat::Json => "json",
                cli::DiffFormat::Md => "md",
            };
            let req = json!({ "op": "diff", "old": old, "new": new, "format": format });
            command(&req, "diff", engine_limits(size), args.output, quiet)
        }
        Command::Sample(args) => {
            sample::write(&args.dir).map_err(Failure::Error)?;
            if !quiet {
                eprintln!(
                    "apready: wrote the sample tenant ({} files) to {}",
                    sample::FILES.len(),
                    args.dir.display()
                );
            }
            let dir = quote(&args.dir.display().to_string());
            let _ = output::write_stdout(
                format!("apready check {dir} --as-of 2022-06-15T00:00:00Z\n").as_bytes(),
            );
            Ok(0)
        }
        Command::Precompile(args) => {
            let target = args.target.as_deref().unwrap_or(module::HOST_TARGET);
            let bytes = module::precompile(target).map_err(Failure::Error)?;
            output::write_atomic(&args.out, &bytes)
                .map_err(|e| Failure::Error(format!("cannot write {}: {e}", args.out.display())))?;
            if target == module::HOST_TARGET {
                module::accepts(&args.out).map_err(|e| {
                    Failure::Error(format!("this host refuses its own artefact: {e}"))
                })?;
            }
            if !quiet {
                eprintln!(
                    "apready: wrote {} ({} KB, {target}, baseline CPU features)",
                    args.out.display(),
                    bytes.len() / 1024
                );
            }
            Ok(0)
        }
    }
}

/// `--max-memory`, else `APREADY_MAX_MEMORY_MB`, else automatic (`None`).
fn max_memory_mib(flag: Option<u64>) -> Result<Option<u64>, Failure> {
    if flag.is_some() {
        return Ok(flag);
    }
    match std::env::var("APREADY_MAX_MEMORY_MB") {
        Ok(v) if !v.trim().is_empty() => match v.trim().parse::<u64>() {
            Ok(n) if (1..=4096).contains(&n) => Ok(Some(n)),
            _ => Err(Failure::Usage(format!(
                "APREADY_MAX_MEMORY_MB must be a number of MiB from 1 to 4096, not \"{v}\""
            ))),
        },
        _ => Ok(None),
    }
}

/// The guest's memory cap: as asked, else max(512 MiB, 4 × the inputs); never above 4 GiB
/// (a wasm32 memory cannot be larger).
fn memory_cap(mib: Option<u64>, input_bytes: u64) -> usize {
    let bytes = match mib {
        Some(m) => m * MIB,
        None => (512 * MIB).max(input_bytes.saturating_mul(4)),
    };
    usize::try_from(bytes.min(4096 * MIB)).unwrap_or(usize::MAX)
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<String>) {
    if let Some(v) = value {
        map.insert(key.into(), v.into());
    }
}

fn debug_enabled() -> bool {
    std::env::var_os("APREADY_DEBUG").is_some_and(|v| !v.is_empty() && v != "0")
}

fn load_engine(quiet: bool) -> Result<module::Loaded, Failure> {
    let debug = debug_enabled();
    let loaded = module::load(debug)
        .map_err(|e| Failure::Error(format!("the engine could not start: {e}")))?;
    if debug && !quiet {
        eprintln!(
            "apready: debug: engine from {} in {:?}",
            loaded.source, loaded.elapsed
        );
    }
    Ok(loaded)
}

/// `apready check`.
fn check(
    args: cli::CheckArgs,
    limits_for: impl Fn(u64) -> Limits,
    quiet: bool,
) -> Result<u8, Failure> {
    let mut files = inputs::collect(&args.paths).map_err(Failure::Usage)?;

    let scope_name = match &args.scope {
        Some(p) => Some(add_scope(&mut files, p)?),
        None => None,
    };
    let redact_key = match &args.redact {
        Some(p) => Some(read_key(p)?),
        None => None,
    };

    let mut opts = Map::new();
    opts.insert("format".into(), args.format.as_str().into());
    put(&mut opts, "profile", args.profile);
    put(&mut opts, "as_of", args.as_of);
    put(&mut opts, "now", clock::now_rfc3339());
    put(&mut opts, "configmgr_version", args.configmgr_version);
    put(&mut opts, "sync_client_version", args.sync_client_version);
    put(&mut opts, "scope", scope_name);
    put(
        &mut opts,
        "fail_on_devices",
        args.fail_on_devices.map(|f| f.as_str().to_string()),
    );
    put(&mut opts, "redact_key", redact_key);
    put(&mut opts, "device_findings", args.device_findings);
    let opts = serde_json::to_vec(&Value::Object(opts))
        .map_err(|e| Failure::Error(format!("options: {e}")))?;

    let total: u64 = files.iter().map(|f| f.len).sum();
    let limits = limits_for(total);
    let stopping = format!(
        "the engine stopped while evaluating {}",
        inputs::names(&files)
    );
    let stopped = |cause: String| Failure::Error(format!("{stopping}: {cause}"));
    if total > limits.memory_bytes as u64 {
        return Err(stopped(format!(
            "the inputs ({} MiB) do not fit in its memory limit of {} MiB (raise it with \
             --max-memory, at most 4096)",
            total.div_ceil(MIB),
            limits.memory_bytes as u64 / MIB
        )));
    }

    let loaded = load_engine(quiet)?;
    let mut guest = Guest::new(&loaded, limits, &stopping).map_err(|s| stopped(s.0))?;
    let mut progress = Progress::new(total, files.len(), quiet);
    for f in &files {
        let mut file = std::fs::File::open(&f.path).map_err(|e| {
            Failure::Usage(format!(
                "cannot read {}: {}",
                f.path.display(),
                inputs::describe_io(&e)
            ))
        })?;
        let base = progress.done;
        guest
            .add_file(&f.name, &mut file, f.len, &mut |n| {
                progress.update(base + n)
            })
            .map_err(|e| match e {
                AddError::Io(why) => {
                    Failure::Usage(format!("cannot read {}: {why}", f.path.display()))
                }
                AddError::Engine(s) => stopped(s.0),
            })?;
        progress.done = base + f.len;
    }
    progress.evaluating();
    let outcome = guest.evaluate(&opts).map_err(|s| stopped(s.0))?;
    progress.finished();
    if debug_enabled() && !quiet {
        eprintln!(
            "apready: debug: {} MiB of inputs, engine memory {} MiB (limit {} MiB)",
            total.div_ceil(MIB),
            guest.memory_size() as u64 / MIB,
            limits.memory_bytes as u64 / MIB
        );
    }
    deliver(
        guest.output(&outcome),
        outcome.exit_code,
        args.output.as_deref(),
        quiet,
    )
}

/// Adds the `--scope` file as an input (unless a folder already brought it) and returns the
/// name the engine knows it by.
fn add_scope(files: &mut Vec<InputFile>, path: &Path) -> Result<String, Failure> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Failure::Usage(format!(
            "cannot read the scope file {}: {}",
            path.display(),
            inputs::describe_io(&e)
        ))
    })?;
    if !meta.is_file() {
        return Err(Failure::Usage(format!(
            "the scope {} is not a file",
            path.display()
        )));
    }
    let canonical = std::fs::canonicalize(path).ok();
    if let Some(c) = &canonical {
        if let Some(f) = files
            .iter()
            .find(|f| std::fs::canonicalize(&f.path).ok().as_ref() == Some(c))
        {
            return Ok(f.name.clone());
        }
    }
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scope".into());
    let mut name = base.clone();
    let mut n = 1;
    while files.iter().any(|f| f.name == name) {
        n += 1;
        name = format!("scope-{n}/{base}");
    }
    files.push(InputFile {
        name: name.clone(),
        path: path.to_path_buf(),
        len: meta.len(),
    });
    Ok(name)
}

/// The redaction key: the file's text without its line ending.
fn read_key(path: &Path) -> Result<String, Failure> {
    let text = read_text(path)?;
    let key = text.trim_end_matches(['\r', '\n']).to_string();
    if key.is_empty() {
        return Err(Failure::Usage(format!(
            "the redaction key file {} is empty",
            path.display()
        )));
    }
    Ok(key)
}

/// A UTF-8 text file (a leading byte-order mark is dropped).
fn read_text(path: &Path) -> Result<String, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::Usage(format!(
            "cannot read {}: {}",
            path.display(),
            inputs::describe_io(&e)
        ))
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec())
        .map_err(|_| Failure::Usage(format!("{} is not UTF-8 text", path.display())))
}

/// `rules`, `explain`, `diff`: one `ap_command` request.
fn command(
    request: &Value,
    what: &str,
    limits: Limits,
    output: Option<PathBuf>,
    quiet: bool,
) -> Result<u8, Failure> {
    let req = serde_json::to_vec(request).map_err(|e| Failure::Error(format!("request: {e}")))?;
    let loaded = load_engine(quiet)?;
    let stopping = format!("the engine stopped during {what}");
    let stopped = |cause: String| Failure::Error(format!("{stopping}: {cause}"));
    let mut guest = Guest::new(&loaded, limits, &stopping).map_err(|s| stopped(s.0))?;
    let outcome = guest.command(&req).map_err(|s| stopped(s.0))?;
    deliver(
        guest.output(&outcome),
        outcome.exit_code,
        output.as_deref(),
        quiet,
    )
}

/// Writes the engine's output where it belongs. A usage error's output is its message: it
/// goes to stderr, and no file is written.
fn deliver(
    bytes: &[u8],
    exit_code: i32,
    output: Option<&Path>,
    quiet: bool,
) -> Result<u8, Failure> {
    let code = u8::try_from(exit_code).unwrap_or(EXIT_ERROR);
    if code == EXIT_USAGE {
        let msg = String::from_utf8_lossy(bytes);
        return Err(Failure::Usage(msg.trim_end().to_string()));
    }
    match output {
        Some(path) => {
            output::write_atomic(path, bytes).map_err(|e| {
                Failure::Error(format!(
                    "cannot write {}: {}",
                    path.display(),
                    inputs::describe_io(&e)
                ))
            })?;
            // A note for a person at a terminal; scripts read the file and the exit code.
            if !quiet && std::io::stderr().is_terminal() {
                eprintln!("apready: wrote {}", path.display());
            }
        }
        None => output::write_stdout(bytes)
            .map_err(|e| Failure::Error(format!("cannot write to stdout: {e}")))?,
    }
    Ok(code)
}

/// A path as the user would type it again (quoted when it has spaces or quotes).
fn quote(s: &str) -> String {
    if s.chars()
        .any(|c| c.is_whitespace() || "'\"$`\\&|;<>()*?".contains(c))
        && !cfg!(windows)
    {
        format!("'{}'", s.replace('\'', "'\\''"))
    } else if s.contains(' ') {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

/// Progress on stderr for large inputs only (over 50 MB), never with `--quiet`.
struct Progress {
    total: u64,
    done: u64,
    shown: bool,
    tty: bool,
    last_percent: u64,
    started: Instant,
}

impl Progress {
    fn new(total: u64, files: usize, quiet: bool) -> Progress {
        let shown = !quiet && total > PROGRESS_THRESHOLD;
        let tty = std::io::stderr().is_terminal();
        if shown {
            eprintln!(
                "apready: reading {files} file(s), {} MB",
                total.div_ceil(1_000_000)
            );
        }
        Progress {
            total,
            done: 0,
            shown,
            tty,
            last_percent: 0,
            started: Instant::now(),
        }
    }
    fn update(&mut self, done: u64) {
        if !self.shown || !self.tty || self.total == 0 {
            return;
        }
        let percent = done * 100 / self.total;
        if percent != self.last_percent {
            self.last_percent = percent;
            eprint!("\rapready: reading… {percent:3}%");
        }
    }
    fn evaluating(&mut self) {
        if self.shown {
            if self.tty {
                eprint!("\r");
            }
            eprintln!(
                "apready: read in {:.1} s; evaluating…",
                self.started.elapsed().as_secs_f64()
            );
            self.started = Instant::now();
        }
    }
    fn finished(&self) {
        if self.shown {
            eprintln!(
                "apready: evaluated in {:.1} s",
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}
