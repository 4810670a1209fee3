//! Helpers shared by the integration tests: load a folder of exports the way every host does
//! (paths relative to the folder, `/` separators, `*.md` and `*.toml` skipped), evaluate and
//! render.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use apready_core::{Input, Options, Report};

pub const AS_OF: &str = "2022-06-15T00:00:00Z";
pub const PROFILE: &str = "2022-05";
/// The redaction key of the golden files and tests (a test key, not a secret).
pub const TEST_KEY: &str = "apready test key: not a secret";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn data(name: &str) -> PathBuf {
    root().join("tests/data").join(name)
}

fn walk(base: &Path, p: &Path, out: &mut Vec<Input>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            walk(base, &e, out);
        }
    } else {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".md") || name.ends_with(".toml") {
            return;
        }
        let rel = p.strip_prefix(base).unwrap_or(Path::new(&name));
        let path = if rel.as_os_str().is_empty() {
            name
        } else {
            rel.to_string_lossy().replace('\\', "/")
        };
        out.push(Input {
            path,
            bytes: std::fs::read(p).unwrap(),
        });
    }
}

/// Every export under a folder (recursively, sorted), or one file.
/// The sample tenant, the hostile-names tenant and every case folder, in path order.
pub fn all_folders() -> Vec<PathBuf> {
    let mut out = vec![data("sample-tenant"), data("hostile-names")];
    let mut cases: Vec<_> = std::fs::read_dir(root().join("tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    out.extend(cases);
    out
}

pub fn load(p: &Path) -> Vec<Input> {
    let mut out = Vec::new();
    let base = if p.is_dir() { p } else { p.parent().unwrap() };
    walk(base, p, &mut out);
    out
}

pub fn options(profile: &str, as_of: &str) -> Options {
    Options {
        profile: Some(profile.into()),
        as_of: Some(as_of.into()),
        ..Default::default()
    }
}

pub fn evaluate(inputs: &[Input]) -> Report {
    apready_core::evaluate(inputs, &options(PROFILE, AS_OF)).unwrap()
}

pub fn sample() -> Report {
    evaluate(&load(&data("sample-tenant")))
}

pub fn hostile() -> Report {
    evaluate(&load(&data("hostile-names")))
}

/// The report in a format, redacted under `key` when given, through the public `render`.
pub fn render(r: &Report, format: &str, key: Option<&str>) -> Vec<u8> {
    apready_core::render(r, format, key.map(str::as_bytes)).unwrap()
}

/// Every format a report renders in.
pub fn formats() -> &'static [&'static str] {
    apready_core::report::FORMATS
}
