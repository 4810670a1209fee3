//! The `apready` command: the core's host-ABI wasm embedded in a wasmtime host
//! (`pwsh/apready`), and the demo run on the bundled sample tenant.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{cargo, root, run};

/// The instant the sample tenant's expectations are written for (tests/data/sample-tenant/EXPECTED.md).
pub const SAMPLE_AS_OF: &str = "2022-06-15T00:00:00Z";

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// `target/release/apready`.
pub fn release_bin() -> PathBuf {
    root().join("target").join("release").join(exe("apready"))
}

/// Builds the wasm artefacts, then `cargo build --release -p apready` embedding
/// `target/apready-host.wasm` (through `APREADY_WASM`, so the host's build script does not build
/// the same module a second time).
pub fn build() -> Result<(), String> {
    let (host_wasm, _) = crate::wasm::build_all()?;
    run(cargo()
        .args(["build", "--release", "-p", "apready"])
        .env("APREADY_WASM", &host_wasm))?;
    let bin = release_bin();
    let size = std::fs::metadata(&bin).map(|m| m.len()).unwrap_or(0);
    eprintln!("{}: {:.1} MB", bin.display(), size as f64 / 1e6);
    Ok(())
}

/// Checks the sample tenant with the built command: the HTML report into `out/readiness.html`
/// (or, while the core has no HTML writer, the JSON report into `out/readiness.json`), and the
/// text summary on stdout.
pub fn demo() -> Result<(), String> {
    let bin = release_bin();
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: run cargo xtask build",
            bin.display()
        ));
    }
    let sample = root().join("tests").join("data").join("sample-tenant");
    let out = root().join("out");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let check = |format: &str, output: Option<&PathBuf>| {
        let mut c = Command::new(&bin);
        c.arg("check")
            .arg(&sample)
            .args(["--as-of", SAMPLE_AS_OF, "--format", format]);
        if let Some(o) = output {
            c.arg("--output").arg(o).arg("--quiet");
        }
        eprintln!("+ {c:?}");
        c.status()
            .map_err(|e| format!("{}: {e}", bin.display()))
            .map(|s| s.code())
    };

    let html = out.join("readiness.html");
    let mut written = html.clone();
    let code = check("html", Some(&html))?;
    if code == Some(64) {
        let json = out.join("readiness.json");
        eprintln!(
            "note: this build's core has no HTML report yet; writing the JSON report instead"
        );
        check("json", Some(&json))?;
        written = json;
    } else if !matches!(code, Some(0..=3)) {
        return Err(format!("apready check ended with {code:?}"));
    }
    println!();
    let verdict = check("text", None)?;
    println!();
    println!(
        "Report written to {} (exit code {}: 0 ready, 1 advisory, 2 not ready, 3 error).",
        written.display(),
        verdict.map_or_else(|| "?".into(), |c| c.to_string())
    );
    println!(
        "Try: {} explain DEV-003   ·   {} rules",
        bin.display(),
        bin.display()
    );
    Ok(())
}
