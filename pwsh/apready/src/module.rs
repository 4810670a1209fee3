//! Getting the engine's compiled module fast.
//!
//! The core is embedded as WebAssembly ([`WASM`]); compiling it with Cranelift takes ~200 ms,
//! loading compiled code takes well under a millisecond. So, in order:
//!
//! 1. `apready.cwasm` beside the executable — produced at packaging time by
//!    `apready __precompile` for an explicit target with the architecture's baseline CPU
//!    features, so any machine of that architecture accepts it;
//! 2. the per-user cache (`$XDG_CACHE_HOME/apready`, `~/.cache/apready`,
//!    `~/Library/Caches/apready`, `%LOCALAPPDATA%\apready`), one file per (embedded wasm,
//!    engine configuration), written by the first run;
//! 3. compiling the embedded bytes (and writing the cache for the next run).
//!
//! Every artefact carries a version stamp ([`stamp`]) naming the wasmtime major version, this
//! program's version and the SHA-256 of the embedded wasm; wasmtime refuses an artefact whose
//! stamp, target, CPU features or engine settings differ, and any refusal falls through to the
//! next source. A stale `apready.cwasm` from another build can therefore never run.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use wasmtime::{Config, Engine, Module, ModuleVersionStrategy, OptLevel};

/// The core compiled to `wasm32-unknown-unknown` with the zero-import host ABI (build.rs).
pub static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/apready.wasm"));
/// SHA-256 of [`WASM`], hex (computed by build.rs, so start-up does not hash).
pub const WASM_SHA256: &str = env!("APREADY_WASM_SHA256");
/// The triple this executable was built for.
pub const HOST_TARGET: &str = env!("APREADY_TARGET");
/// The precompiled artefact's file name, beside the executable.
pub const PRECOMPILED_NAME: &str = "apready.cwasm";

/// Where the module came from (reported with `APREADY_DEBUG=1`).
#[derive(Debug)]
pub enum Source {
    Precompiled(PathBuf),
    Cache(PathBuf),
    Compiled,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Precompiled(p) => write!(f, "the precompiled {}", p.display()),
            Source::Cache(p) => write!(f, "the cache {}", p.display()),
            Source::Compiled => f.write_str("compiling the embedded wasm"),
        }
    }
}

pub struct Loaded {
    pub engine: Engine,
    pub module: Module,
    pub source: Source,
    pub elapsed: Duration,
}

fn short_hash() -> &'static str {
    WASM_SHA256.get(..16).unwrap_or(WASM_SHA256)
}

/// The version stamp embedded in (and demanded of) every compiled artefact.
pub fn stamp() -> String {
    format!(
        "wasmtime-{}+apready-{}+wasm-{}",
        ModuleVersionStrategy::WasmtimeVersion.as_str(),
        env!("CARGO_PKG_VERSION"),
        WASM_SHA256.get(..32).unwrap_or(WASM_SHA256)
    )
}

/// The one engine configuration, shared by loading and precompiling (an artefact loads only
/// into an engine with the same settings). `target: None` = this host with its CPU features
/// detected; `Some(triple)` = that target with its baseline features only.
pub fn config(target: Option<&str>) -> wasmtime::Result<Config> {
    let mut c = Config::new();
    // No `epoch_interruption`: the deadline is kept by a watchdog (see `guest`), so the
    // compiled guest carries no interruption checks.
    c.cranelift_opt_level(OptLevel::Speed)
        .parallel_compilation(true);
    c.module_version(ModuleVersionStrategy::Custom(stamp()))?;
    if let Some(t) = target {
        c.target(t)?;
    }
    Ok(c)
}

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Loads the module from the fastest source that is accepted.
pub fn load(debug: bool) -> Result<Loaded, String> {
    let t0 = Instant::now();
    let engine = config(None)
        .and_then(|c| Engine::new(&c))
        .map_err(|e| format!("cannot start wasmtime: {e}"))?;
    let note = |what: &str| {
        if debug {
            eprintln!("apready: debug: {what}");
        }
    };

    if let Some(p) = precompiled_path() {
        if p.is_file() {
            match deserialize(&engine, &p) {
                Ok(module) => {
                    return Ok(Loaded {
                        engine,
                        module,
                        source: Source::Precompiled(p),
                        elapsed: t0.elapsed(),
                    })
                }
                Err(e) => note(&format!("{} refused: {e}", p.display())),
            }
        }
    }

    let cache = if env_flag("APREADY_NO_CACHE") {
        None
    } else {
        cache_dir().map(|d| d.join(cache_name(&engine)))
    };
    if let Some(c) = &cache {
        if c.is_file() {
            match deserialize(&engine, c) {
                Ok(module) => {
                    return Ok(Loaded {
                        engine,
                        module,
                        source: Source::Cache(c.clone()),
                        elapsed: t0.elapsed(),
                    })
                }
                Err(e) => note(&format!("cache {} refused: {e}", c.display())),
            }
        }
    }

    let module = Module::from_binary(&engine, WASM)
        .map_err(|e| format!("cannot compile the embedded engine: {e}"))?;
    let elapsed = t0.elapsed();
    if let Some(c) = cache {
        match write_cache(&module, &c) {
            Ok(()) => note(&format!(
                "compiled in {elapsed:?}, cached as {}",
                c.display()
            )),
            Err(e) => note(&format!("compiled; cannot cache at {}: {e}", c.display())),
        }
    }
    Ok(Loaded {
        engine,
        module,
        source: Source::Compiled,
        elapsed,
    })
}

/// Loads a compiled artefact from a file (memory-mapped, data segments copy-on-write).
///
/// Soundness: `Module::deserialize_file` is unsafe because wasmtime cannot verify that the
/// machine code in the file is what it compiled; it does verify the ELF structure, the version
/// stamp (which includes the SHA-256 of the embedded wasm), the target, the CPU features and the
/// engine settings. The only files passed here are (a) `apready.cwasm` shipped in the same
/// folder as this executable, which is exactly as trusted as the executable itself, and (b) our
/// own cache entry, written by this program through `Module::serialize` into a private
/// (0700 on Unix) per-user folder, to a temporary file that is renamed into place only when
/// complete — so a reader sees either no file or a whole one — and named by the wasm's hash and
/// the engine's compatibility hash. Any error falls back to compiling.
fn deserialize(engine: &Engine, path: &Path) -> wasmtime::Result<Module> {
    // SAFETY: see above — the file is our own artefact (or ships with the executable).
    unsafe { Module::deserialize_file(engine, path) }
}

fn precompiled_path() -> Option<PathBuf> {
    if env_flag("APREADY_NO_PRECOMPILED") {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(PRECOMPILED_NAME))
}

/// The per-user cache folder; `APREADY_CACHE_DIR` overrides.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("APREADY_CACHE_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(d));
    }
    // Conventional variables count only when absolute (the XDG rule).
    let abs = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    if cfg!(windows) {
        return std::env::var_os("LOCALAPPDATA")
            .and_then(abs)
            .map(|d| d.join("apready"));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").and_then(abs) {
        return Some(d.join("apready"));
    }
    let home = std::env::var_os("HOME").and_then(abs)?;
    if cfg!(target_os = "macos") {
        Some(home.join("Library/Caches/apready"))
    } else {
        Some(home.join(".cache/apready"))
    }
}

/// `apready-<wasm hash>-<engine compatibility hash>.cwasm`.
fn cache_name(engine: &Engine) -> String {
    let mut h = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut h);
    stamp().hash(&mut h);
    format!("apready-{}-{:016x}.cwasm", short_hash(), h.finish())
}

fn write_cache(module: &Module, path: &Path) -> Result<(), String> {
    let dir = path.parent().ok_or("no folder")?;
    create_private_dir(dir).map_err(|e| e.to_string())?;
    let bytes = module.serialize().map_err(|e| e.to_string())?;
    crate::output::write_atomic(path, &bytes).map_err(|e| e.to_string())?;
    prune(dir, path);
    Ok(())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Removes other cache entries not used for 30 days (earlier versions of apready).
fn prune(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let month = Duration::from_secs(30 * 24 * 3600);
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        let name = name.to_string_lossy();
        if p == keep || !name.starts_with("apready-") || !name.ends_with(".cwasm") {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.accessed().or_else(|_| m.modified()))
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > month);
        if old {
            let _ = std::fs::remove_file(&p);
        }
    }
}

/// `apready __precompile`: the module compiled for `target` (baseline CPU features).
pub fn precompile(target: &str) -> Result<Vec<u8>, String> {
    let engine = config(Some(target))
        .and_then(|c| Engine::new(&c))
        .map_err(|e| format!("target {target}: {e}"))?;
    engine
        .precompile_module(WASM)
        .map_err(|e| format!("cannot compile for {target}: {e}"))
}

/// Whether this host's engine accepts the artefact at `path` (checked after precompiling for
/// the host's own target).
pub fn accepts(path: &Path) -> Result<(), String> {
    let engine = config(None)
        .and_then(|c| Engine::new(&c))
        .map_err(|e| e.to_string())?;
    deserialize(&engine, path)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
