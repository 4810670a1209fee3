//! Makes `cargo build -p apready` self-contained:
//!
//! 1. the core's zero-import WebAssembly module (`apready-wasm` with feature `host-abi`) is built
//!    by a nested `cargo build --target wasm32-unknown-unknown --profile wasm` into its own
//!    target directory (`target/wasm-for-host`, so the nested cargo never waits for the outer
//!    one's lock — the approach of Substrate's wasm-builder), unless `APREADY_WASM` names a
//!    prebuilt file (what `cargo xtask build` does, reusing `target/apready-host.wasm`);
//! 2. its SHA-256 becomes `APREADY_WASM_SHA256`, the key of the compiled-module cache and the
//!    version stamp of precompiled artefacts;
//! 3. the sample tenant (`tests/data/sample-tenant/*.json`) is listed for `apready sample`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

fn main() {
    if let Err(e) = run() {
        eprintln!("\nerror: {e}\n");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let manifest = PathBuf::from(env("CARGO_MANIFEST_DIR")?);
    let root = manifest
        .parent()
        .and_then(Path::parent)
        .ok_or("cannot find the workspace root")?
        .to_path_buf();
    let out = PathBuf::from(env("OUT_DIR")?);

    println!("cargo:rerun-if-env-changed=APREADY_WASM");
    let wasm = match std::env::var_os("APREADY_WASM").filter(|v| !v.is_empty()) {
        Some(prebuilt) => {
            let p = PathBuf::from(prebuilt);
            println!("cargo:rerun-if-changed={}", p.display());
            p
        }
        None => build_wasm(&root)?,
    };
    let bytes = std::fs::read(&wasm).map_err(|e| format!("reading {}: {e}", wasm.display()))?;
    if !bytes.starts_with(b"\0asm") {
        return Err(format!("{} is not a WebAssembly module", wasm.display()));
    }
    let embedded = out.join("apready.wasm");
    std::fs::write(&embedded, &bytes).map_err(|e| format!("{}: {e}", embedded.display()))?;
    let digest = Sha256::digest(&bytes);
    let mut hex = String::new();
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    println!("cargo:rustc-env=APREADY_WASM_SHA256={hex}");
    // The triple this executable is built for: the default of `apready __precompile`.
    println!("cargo:rustc-env=APREADY_TARGET={}", env("TARGET")?);

    sample_list(&root, &out)
}

fn env(key: &str) -> Result<String, String> {
    std::env::var(key).map_err(|_| format!("{key} is not set (run through cargo)"))
}

/// The nested cargo build of the host-ABI module.
fn build_wasm(root: &Path) -> Result<PathBuf, String> {
    for dir in ["core/src", "core/data", "wasm/src"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    for file in [
        "core/Cargo.toml",
        "wasm/Cargo.toml",
        "Cargo.toml",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(file).display());
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("running {rustc} --print sysroot: {e}"))?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if !sysroot
        .join("lib/rustlib/wasm32-unknown-unknown/lib")
        .is_dir()
    {
        return Err(
            "the Rust target wasm32-unknown-unknown is not installed; the apready command embeds \
             the core compiled to WebAssembly. Run `cargo xtask setup` (or `rustup target add \
             wasm32-unknown-unknown`), or set APREADY_WASM to a prebuilt target/apready-host.wasm"
                .into(),
        );
    }
    let target_dir = root.join("target").join("wasm-for-host");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args([
            "build",
            "--package",
            "apready-wasm",
            "--no-default-features",
            "--features",
            "host-abi",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir);
    // The outer build's flags and wrappers are for the host (and clippy's wrapper would lint the
    // core again); the wasm build gets a clean environment.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_PRIMARY_PACKAGE",
    ] {
        cmd.env_remove(var);
    }
    let status = cmd
        .status()
        .map_err(|e| format!("running the nested cargo build of apready-wasm: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the nested build of the core's WebAssembly module failed ({status}); see above"
        ));
    }
    let built = target_dir.join("wasm32-unknown-unknown/wasm/apready_wasm.wasm");
    if !built.is_file() {
        return Err(format!("{} was not produced", built.display()));
    }
    Ok(built)
}

/// `sample_files.rs`: `&[(name, bytes)]` of the bundled sample tenant (its `*.json` files; the
/// `.md`/`.toml` beside them document the expected results and are not inputs).
fn sample_list(root: &Path, out: &Path) -> Result<(), String> {
    let dir = root.join("tests/data/sample-tenant");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
        .collect();
    names.sort();
    let mut src = String::from("&[\n");
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            src,
            "    ({n:?}, include_bytes!({:?}) as &[u8]),",
            path.display().to_string()
        );
    }
    src.push_str("]\n");
    let file = out.join("sample_files.rs");
    std::fs::write(&file, src).map_err(|e| format!("{}: {e}", file.display()))
}
