//! Helpers: the repository root, running commands, one-time setup.

use std::path::PathBuf;
use std::process::Command;

/// The pinned wasm-bindgen version: the crate (Cargo.toml) and the CLI must be equal.
pub const WASM_BINDGEN: &str = "0.2.130";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

pub fn run(cmd: &mut Command) -> Result<(), String> {
    eprintln!("+ {:?}", cmd);
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

pub fn tools_bin() -> PathBuf {
    root().join(".tools").join("bin")
}

pub fn wasm_bindgen_cli() -> PathBuf {
    tools_bin().join("wasm-bindgen")
}

/// Installs the wasm32 target, the wasm-bindgen CLI at the pinned version (project-local,
/// reused), and the page's npm packages.
pub fn setup() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if !installed {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let cli = wasm_bindgen_cli();
    let version_ok = Command::new(&cli)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(WASM_BINDGEN))
        .unwrap_or(false);
    if !version_ok {
        // Not --locked: the registry lacks one locked dependency version of this release.
        run(cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN,
            "--root",
            root().join(".tools").to_str().unwrap_or(".tools"),
        ]))?;
    }
    crate::web::setup()
}
