//! `cargo xtask package`: the PowerShell module folder with its engines,
//! `target/package/AutopatchReadiness/`:
//!
//! ```text
//! AutopatchReadiness/            a copy of pwsh/AutopatchReadiness/
//!   bin/linux-x64/apready        this host's release build (the folder named for its OS/arch)
//!   bin/linux-x64/apready.cwasm  the engine precompiled for x86_64 Linux, baseline CPU features
//!   bin/win-x64/apready.exe      cross-compiled (x86_64-pc-windows-gnu, mingw-w64)
//!   bin/win-x64/apready.cwasm    the engine precompiled for x86_64 Windows, baseline CPU features
//! ```
//!
//! The Windows build is optional: without Debian's `gcc-mingw-w64-x86-64` (or the Rust target,
//! which is added with rustup when missing) it is skipped with a note. A `.cwasm` that a machine
//! refuses (other wasmtime, other CPU) only costs start-up time: apready then compiles and
//! caches the engine itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{cargo, root, run};

const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";
const MINGW_GCC: &str = "x86_64-w64-mingw32-gcc";

pub fn package() -> Result<(), String> {
    crate::host::build()?;
    let pkg = root().join("target/package/AutopatchReadiness");
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    }
    copy_dir(&root().join("pwsh/AutopatchReadiness"), &pkg)?;

    // This host's engine.
    let rid = host_rid()?;
    let host_dir = pkg.join("bin").join(&rid);
    let host_exe = host_dir.join(format!("apready{}", std::env::consts::EXE_SUFFIX));
    create_dir(&host_dir)?;
    copy_file(&crate::host::release_bin(), &host_exe)?;
    run(Command::new(&host_exe)
        .arg("__precompile")
        .arg(host_dir.join("apready.cwasm")))?;
    // Proof that the packaged engine takes its precompiled module.
    let probe = Command::new(&host_exe)
        .args(["explain", "DEV-003"])
        .env("APREADY_DEBUG", "1")
        .env("APREADY_NO_CACHE", "1")
        .output()
        .map_err(|e| format!("{}: {e}", host_exe.display()))?;
    let said = String::from_utf8_lossy(&probe.stderr);
    if !said.contains("engine from the precompiled") {
        return Err(format!(
            "{} did not load its precompiled module:\n{said}",
            host_exe.display()
        ));
    }

    // Windows, cross-compiled when the toolchain is here.
    match windows(&pkg, &host_exe) {
        Ok(()) => {}
        Err(note) => eprintln!("note: no Windows engine in the package: {note}"),
    }

    println!("\n{}:", pkg.display());
    list(&pkg.join("bin"), &pkg)?;
    Ok(())
}

/// `<os>-<arch>` as the module looks for it (`linux-x64`, `osx-arm64`, `win-x64`, …).
fn host_rid() -> Result<String, String> {
    let os = match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "osx",
        "windows" => "win",
        other => return Err(format!("no package layout for OS {other}")),
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => return Err(format!("no package layout for architecture {other}")),
    };
    Ok(format!("{os}-{arch}"))
}

fn windows(pkg: &Path, host_exe: &Path) -> Result<(), String> {
    if cfg!(windows) {
        return Err("packaging on Windows: build the other platforms elsewhere".into());
    }
    let gcc_ok = Command::new(MINGW_GCC)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !gcc_ok {
        return Err(format!(
            "{MINGW_GCC} not found (Debian: apt-get install gcc-mingw-w64-x86-64)"
        ));
    }
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(WINDOWS_TARGET))
        .unwrap_or(false);
    if !installed {
        run(Command::new("rustup").args(["target", "add", WINDOWS_TARGET]))
            .map_err(|e| format!("the Rust target {WINDOWS_TARGET} is missing: {e}"))?;
    }
    let host_wasm = crate::wasm::host_wasm();
    run(cargo()
        .args([
            "build",
            "--release",
            "-p",
            "apready",
            "--target",
            WINDOWS_TARGET,
        ])
        .env("APREADY_WASM", &host_wasm))
    .map_err(|e| format!("the cross build failed: {e}"))?;
    let built = root()
        .join("target")
        .join(WINDOWS_TARGET)
        .join("release/apready.exe");
    let dir = pkg.join("bin/win-x64");
    create_dir(&dir)?;
    copy_file(&built, &dir.join("apready.exe"))?;
    // The Windows engine's module, compiled here by the Linux build of the same program (same
    // embedded wasm, same wasmtime, same settings) for the Windows target.
    run(Command::new(host_exe)
        .arg("__precompile")
        .arg(dir.join("apready.cwasm"))
        .args(["--target", WINDOWS_TARGET]))?;
    Ok(())
}

fn create_dir(p: &Path) -> Result<(), String> {
    std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn copy_file(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copy {} → {}: {e}", from.display(), to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    create_dir(to)?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for e in entries {
        let e = e.map_err(|e| format!("{}: {e}", from.display()))?;
        let path = e.path();
        let dest = to.join(e.file_name());
        let kind = e
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            copy_dir(&path, &dest)?;
        } else if kind.is_file() {
            copy_file(&path, &dest)?;
        }
    }
    Ok(())
}

fn list(dir: &Path, base: &Path) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            list(&p, base)?;
        } else {
            let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            let rel = p.strip_prefix(base).unwrap_or(&p);
            println!("  {:>8.1} MB  {}", size as f64 / 1e6, rel.display());
        }
    }
    Ok(())
}
