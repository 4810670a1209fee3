//! Native runner for development and benchmarks: `cargo run -p apready-core --example check -- <DIR|FILE>... [--as-of T] [--format text|json] [--profile P]`.
//! Users run the `apready` command (wasmtime) instead.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

fn collect(root: &Path, p: &Path, out: &mut Vec<apready_core::Input>) {
    if p.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            collect(root, &e, out);
        }
    } else {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let rel = if rel.as_os_str().is_empty() {
            Path::new(p.file_name().unwrap())
        } else {
            rel
        };
        let path = rel.to_string_lossy().replace('\\', "/");
        if path.ends_with(".md") || path.ends_with(".toml") {
            return;
        }
        out.push(apready_core::Input {
            path,
            bytes: std::fs::read(p).unwrap(),
        });
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut inputs = Vec::new();
    let mut opts = serde_json::Map::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if let Some(k) = a.strip_prefix("--") {
            opts.insert(
                k.replace('-', "_"),
                serde_json::Value::String(args[i + 1].clone()),
            );
            i += 2;
            continue;
        }
        let p = Path::new(a);
        let root = if p.is_dir() { p } else { p.parent().unwrap() };
        collect(root, p, &mut inputs);
        i += 1;
    }
    opts.entry("format").or_insert("text".into());
    let t = std::time::Instant::now();
    let out = apready_core::run(&inputs, &serde_json::to_vec(&opts).unwrap());
    eprintln!("evaluated in {:?}, exit {}", t.elapsed(), out.exit_code);
    use std::io::Write;
    std::io::stdout().write_all(&out.output).unwrap();
    std::process::exit(out.exit_code);
}
