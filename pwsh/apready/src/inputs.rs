//! Which files are inputs, and what they are called.
//!
//! A folder contributes every regular file below it (recursively), named by its path relative
//! to that folder with `/` separators and sorted by that name — the names the browser page
//! gives the same files, so both hosts produce the same report. Hidden files and folders
//! (`.name`) and documentation (`*.md`, `*.toml`) inside a folder are skipped; symbolic links to
//! files are followed, to folders not (no cycles). A file given by path is an input whatever
//! its name, called by its file name.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct InputFile {
    /// The name the engine sees (and the report shows).
    pub name: String,
    pub path: PathBuf,
    pub len: u64,
}

/// A short account of an I/O error.
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".into(),
        PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn cannot(p: &Path, e: &std::io::Error) -> String {
    format!("cannot read {}: {}", p.display(), describe_io(e))
}

fn skipped(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.') || lower.ends_with(".md") || lower.ends_with(".toml")
}

/// The inputs named on the command line, in order (each folder's files sorted by name).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<InputFile>, String> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| cannot(p, &e))?;
        if meta.is_dir() {
            let before = out.len();
            walk(p, "", &mut out)?;
            if out.len() == before {
                return Err(format!(
                    "{} holds no input files (hidden files, *.md and *.toml are skipped)",
                    p.display()
                ));
            }
            if let Some(added) = out.get_mut(before..) {
                added.sort_by(|a, b| a.name.cmp(&b.name));
            }
        } else if meta.is_file() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.to_string_lossy().into_owned());
            out.push(InputFile {
                name,
                path: p.clone(),
                len: meta.len(),
            });
        } else {
            return Err(format!("{} is neither a file nor a folder", p.display()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<InputFile>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| cannot(dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| cannot(dir, &e))?;
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let name = format!("{prefix}{file_name}");
        let kind = entry.file_type().map_err(|e| cannot(&path, &e))?;
        if kind.is_dir() {
            walk(&path, &format!("{name}/"), out)?;
            continue;
        }
        if skipped(&file_name) {
            continue;
        }
        // Follows a symbolic link to a file; skips links to folders and anything else.
        let meta = if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => m,
                _ => continue,
            }
        } else if kind.is_file() {
            entry.metadata().map_err(|e| cannot(&path, &e))?
        } else {
            continue;
        };
        out.push(InputFile {
            name,
            path,
            len: meta.len(),
        });
    }
    Ok(())
}

/// A list of names for a message: all of them, or the first few and a count.
pub fn names(files: &[InputFile]) -> String {
    const SHOWN: usize = 5;
    let mut s = files
        .iter()
        .take(SHOWN)
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > SHOWN {
        s.push_str(&format!(" and {} more", files.len() - SHOWN));
    }
    if s.is_empty() {
        s.push_str("no inputs");
    }
    s
}
