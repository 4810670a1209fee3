//! `cargo xtask <command>`: the project's build orchestration (see README.md).
//!
//! setup  — install what builds need (wasm32 target, wasm-bindgen CLI at the pinned version, npm packages)
//! wasm   — build the core's two WebAssembly artefacts (host ABI for wasmtime, wasm-bindgen for the page)
//! build  — wasm + the `apready` command (release)
//! web    — the static page into web/dist/
//! demo   — build, then check the bundled sample tenant and write the HTML report
//! package — the PowerShell module folder with its engines (target/package/AutopatchReadiness)
//! test   — build everything and run every test suite (Rust, browser), printing summaries
//! bench  — the benchmark of BENCHMARKS.md (not part of test)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod host;
mod package;
mod util;
mod wasm;
mod web;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match cmd {
        "setup" => util::setup(),
        "wasm" => wasm::build_all().map(|_| ()),
        "build" => host::build(),
        "web" => web::build(),
        "demo" => demo(),
        "package" => package::package(),
        "bench" => bench(rest),
        "test" => test(rest),
        _ => {
            eprintln!("usage: cargo xtask <setup|wasm|build|web|demo|package|test|bench>");
            return ExitCode::from(64);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {cmd}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The benchmark (BENCHMARKS.md): builds the hosts and the page, then runs
/// `apready-bench run` with the given arguments (default: 10k, 100k and 1M devices).
fn bench(rest: &[String]) -> Result<(), String> {
    util::setup()?;
    host::build()?;
    web::build()?;
    let mut c = util::cargo();
    c.args(["run", "--release", "-p", "apready-bench", "--", "run"]);
    c.args(rest);
    util::run(&mut c)
}

fn demo() -> Result<(), String> {
    util::setup()?;
    host::build()?;
    host::demo()
}

fn test(_rest: &[String]) -> Result<(), String> {
    util::setup()?;
    host::build()?;
    web::build()?;
    let mut failures = Vec::new();
    // APREADY_WASM: the apready host embeds the module `host::build` just built, instead of
    // building it again in its build script.
    if util::run(
        util::cargo()
            .args(["test", "--workspace", "--release", "--no-fail-fast"])
            .env("APREADY_WASM", wasm::host_wasm()),
    )
    .is_err()
    {
        failures.push("cargo test");
    }
    if web::test().is_err() {
        failures.push("browser tests");
    }
    if failures.is_empty() {
        println!("xtask test: all suites passed");
        Ok(())
    } else {
        Err(format!("failed: {}", failures.join(", ")))
    }
}
