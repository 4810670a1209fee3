//! apready-bench: the synthetic tenant generator ([`gen`]) and the benchmark harness
//! ([`measure`] drives [`one`] measurements in child processes and writes BENCHMARKS.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod gen;
pub mod measure;
pub mod one;

use std::path::{Path, PathBuf};

/// The workspace root (the bench crate's parent).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Every `.json` input of a tenant folder, sorted, as (relative path, full path, size).
pub fn input_files(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, u64)>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let p = e.path();
        if p.extension().is_some_and(|x| x == "json") && p.is_file() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((name, p.clone(), e.metadata()?.len()));
        }
    }
    out.sort();
    Ok(out)
}

/// Reads a whole tenant folder as the core's inputs.
pub fn read_inputs(dir: &Path) -> std::io::Result<Vec<apready_core::Input>> {
    input_files(dir)?
        .into_iter()
        .map(|(path, full, _)| {
            Ok(apready_core::Input {
                path,
                bytes: std::fs::read(full)?,
            })
        })
        .collect()
}

/// Streams every input file into a core [`apready_core::Loader`] the way a native host does:
/// read one file, hand it over (it is parsed at once), drop its bytes. Returns the loader and
/// the seconds spent reading (the rest is parsing).
pub fn stream_inputs(dir: &Path) -> std::io::Result<(apready_core::Loader, f64)> {
    let mut loader = apready_core::Loader::new();
    let mut read_s = 0.0;
    for (path, full, _) in input_files(dir)? {
        let t = std::time::Instant::now();
        let bytes = std::fs::read(full)?;
        read_s += t.elapsed().as_secs_f64();
        loader.add(&path, &bytes);
    }
    Ok((loader, read_s))
}

/// Device counts and verdict read from the head of a JSON report (without parsing the
/// whole, possibly multi-gigabyte, document), or from the text report's summary line.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub verdict: String,
    pub total: u64,
    pub ready: u64,
    pub advisory: u64,
    pub not_ready: u64,
    pub error: u64,
    pub out_of_scope: u64,
}

fn number_after(hay: &str, key: &str) -> Option<u64> {
    let i = hay.find(key)? + key.len();
    let rest = hay[i..].trim_start_matches([' ', ':', '"']);
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

impl Counts {
    /// From the first bytes of a JSON report (verdict and `devices` counts precede the items).
    pub fn from_json_head(head: &[u8]) -> Option<Counts> {
        let text = String::from_utf8_lossy(head);
        let v = text.find("\"verdict\"")?;
        let rest = &text[v + 9..];
        let q1 = rest.find('"')? + 1;
        let q2 = rest[q1..].find('"')? + q1;
        let verdict = rest[q1..q2].to_string();
        let d = text
            .find("\"devices\": {")
            .or_else(|| text.find("\"devices\":{"))?;
        let dev = &text[d..];
        Some(Counts {
            verdict,
            total: number_after(dev, "\"total\"")?,
            ready: number_after(dev, "\"ready\"")?,
            advisory: number_after(dev, "\"advisory\"")?,
            not_ready: number_after(dev, "\"not_ready\"")?,
            error: number_after(dev, "\"error\"")?,
            out_of_scope: number_after(dev, "\"out_of_scope\"")?,
        })
    }

    /// From the text report: the headline and the `Devices:` line.
    pub fn from_text(text: &[u8]) -> Option<Counts> {
        let text = String::from_utf8_lossy(text);
        let first = text.lines().next()?;
        let verdict = match first.split_whitespace().next()? {
            "READY" => "ready",
            "ADVISORY" => "advisory",
            "NOT" => "not_ready",
            _ => "error",
        }
        .to_string();
        let line = text.lines().find(|l| l.starts_with("Devices: "))?;
        let nums: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        if nums.len() < 6 {
            return None;
        }
        Some(Counts {
            verdict,
            total: nums[0],
            ready: nums[1],
            advisory: nums[2],
            not_ready: nums[3],
            error: nums[4],
            out_of_scope: nums[5],
        })
    }

    pub fn from_output(bytes: &[u8]) -> Option<Counts> {
        Self::from_json_head(bytes).or_else(|| Self::from_text(bytes))
    }
}
