//! The core compiled to WebAssembly, twice: the zero-import C ABI for wasmtime
//! (`target/apready-host.wasm`) and the wasm-bindgen build for the page
//! (`target/apready-bindgen.wasm`, bound by the wasm-bindgen CLI in `web`).

use std::path::PathBuf;

use crate::util::{cargo, root, run};

pub fn host_wasm() -> PathBuf {
    root().join("target").join("apready-host.wasm")
}

pub fn bindgen_wasm() -> PathBuf {
    root().join("target").join("apready-bindgen.wasm")
}

fn build(features: &[&str], out: &PathBuf) -> Result<(), String> {
    let mut c = cargo();
    c.args([
        "build",
        "-p",
        "apready-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm",
    ]);
    if !features.is_empty() {
        c.args(["--no-default-features", "--features", &features.join(",")]);
    }
    run(&mut c)?;
    let built = root().join("target/wasm32-unknown-unknown/wasm/apready_wasm.wasm");
    std::fs::copy(&built, out).map_err(|e| format!("copy {built:?}: {e}"))?;
    Ok(())
}

/// Builds both artefacts; returns (host, bindgen) paths.
pub fn build_all() -> Result<(PathBuf, PathBuf), String> {
    build(&["host-abi"], &host_wasm())?;
    build(&["bindgen"], &bindgen_wasm())?;
    for p in [host_wasm(), bindgen_wasm()] {
        let n = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        eprintln!("{}: {} KB", p.display(), n / 1024);
    }
    Ok((host_wasm(), bindgen_wasm()))
}
