//! The command line (contract.md § `apready` command line). Parsed with `try_parse` so that a
//! usage error exits 64, never clap's own 2 (which would read as `not_ready`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes: 0 ready · 1 advisory · 2 not ready · 3 error (unusable input, engine stopped) · 64 usage.

Environment:
  APREADY_MAX_MEMORY_MB     the engine's memory cap in MiB (like --max-memory)
  APREADY_CACHE_DIR         where the compiled engine is cached (default: the user's cache folder)
  APREADY_NO_CACHE=1        neither read nor write that cache
  APREADY_NO_PRECOMPILED=1  ignore apready.cwasm beside the executable
  APREADY_DEBUG=1           say on stderr how the engine was loaded, how long it took, its memory";

/// Windows Autopatch readiness: checks Microsoft Graph exports of a tenant (and device-local
/// evidence) against the Autopatch prerequisites.
#[derive(Debug, Parser)]
#[command(name = "apready", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Guards on the engine, valid with every command.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// The engine's memory cap in MiB [default: max(512, 4 × the inputs' size), at most 4096]
    #[arg(long, global = true, value_name = "MiB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_memory: Option<u64>,
    /// Stop an evaluation that takes longer than this many seconds
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// No progress or notes on stderr (errors are still reported)
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate exports (files, folders, snapshot bundles) and report readiness
    Check(CheckArgs),
    /// The catalogue of checks, with each check's documentation
    Rules(RulesArgs),
    /// One check: requirement, evidence, how to fix, source
    Explain(ExplainArgs),
    /// What changed between two JSON reports
    Diff(DiffArgs),
    /// Write a realistic example tenant export into a folder
    Sample(SampleArgs),
    /// Packaging: write the engine precompiled for a target next to the executable
    #[command(name = "__precompile", hide = true)]
    Precompile(PrecompileArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Html,
    Csv,
    Md,
    Junit,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Md => "md",
            Format::Junit => "junit",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Advisory,
    #[value(name = "not_ready", alias = "not-ready")]
    NotReady,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Advisory => "advisory",
            FailOn::NotReady => "not_ready",
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Graph export files, folders of them, or snapshot bundles
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rules profile: 2022-05 or current [default: the engine's default]
    #[arg(long)]
    pub profile: Option<String>,
    /// The evaluation instant, RFC 3339 [default: the snapshot's collection time, else now]
    #[arg(long, value_name = "RFC3339")]
    pub as_of: Option<String>,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Pseudonymise names and ids with the key in this file
    #[arg(long, value_name = "KEY-FILE")]
    pub redact: Option<PathBuf>,
    /// A file listing the device or user ids (GUIDs) in scope
    #[arg(long, value_name = "FILE")]
    pub scope: Option<PathBuf>,
    /// The Configuration Manager version, when the exports do not show it
    #[arg(long, value_name = "V")]
    pub configmgr_version: Option<String>,
    /// The Azure AD Connect / Cloud Sync version, when the exports do not show it
    #[arg(long, value_name = "V")]
    pub sync_client_version: Option<String>,
    /// Let device findings of this status or worse raise the exit code
    #[arg(long, value_enum, value_name = "STATUS")]
    pub fail_on_devices: Option<FailOn>,
    /// Device findings to list: all, failing (only those needing attention), or auto
    /// (all up to 10 000 devices) [default: auto]
    #[arg(long, value_name = "WHICH", value_parser = ["all", "failing", "auto"])]
    pub device_findings: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Rules profile [default: the engine's default]
    #[arg(long)]
    pub profile: Option<String>,
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
    /// Write to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A check id, e.g. DEV-003
    #[arg(value_name = "CHECK-ID")]
    pub id: String,
    #[arg(long)]
    pub profile: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Md,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report
    #[arg(value_name = "OLD-REPORT.json")]
    pub old: PathBuf,
    /// The later JSON report
    #[arg(value_name = "NEW-REPORT.json")]
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The folder to write the sample tenant into (created; must not hold other files of the
    /// same names)
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct PrecompileArgs {
    /// Where to write the artefact (conventionally `apready.cwasm` beside the executable)
    pub out: PathBuf,
    /// Target triple, e.g. x86_64-unknown-linux-gnu or x86_64-pc-windows-gnu [default: this
    /// host's triple]; compiled for the architecture's baseline CPU features so that any
    /// machine of that architecture accepts it
    #[arg(long)]
    pub target: Option<String>,
}
