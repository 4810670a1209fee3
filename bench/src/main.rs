//! `apready-bench`: the synthetic tenant generator and the benchmark (BENCHMARKS.md).
//!
//! ```text
//! apready-bench gen --devices 1000000 --seed 1 --out target/bench/t1m
//! apready-bench run [--devices 10000,100000,1000000] [--seed 1] [--engines a,b,…]
//!                   [--timeout 600] [--format json|text] [--no-write]
//! apready-bench one <engine> <dir> [--format json|text]   # one measurement, JSON on stdout
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use apready_bench::{gen, measure, one};

fn usage() -> ! {
    eprintln!(
        "usage:\n  apready-bench gen --devices N [--seed S] --out DIR\n  apready-bench run [--devices 10000,100000,1000000] [--seed S] [--engines LIST] [--timeout SECS] [--format json|text] [--no-write] [--render-only] [--update]\n  apready-bench one <engine> <dir> [--format json|text]\nengines: {}",
        one::ENGINES.join(", ")
    );
    std::process::exit(64)
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") => {
            let n: u64 = flag(&args, "--devices")
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or_else(|| usage());
            let seed: u64 = flag(&args, "--seed")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            let out = flag(&args, "--out")
                .map(PathBuf::from)
                .unwrap_or_else(|| usage());
            let t = std::time::Instant::now();
            match gen::generate(n, seed, &out) {
                Ok(m) => {
                    eprintln!(
                        "wrote {} files, {:.1} MB ({} Intune, {} Entra, {} users; expected {} in scope: {} ready, {} advisory, {} not ready; {} out of scope) in {:.2?}",
                        m.files,
                        m.bytes as f64 / 1e6,
                        m.intune_records,
                        m.entra_records,
                        m.users,
                        m.devices(),
                        m.ready,
                        m.advisory,
                        m.not_ready,
                        m.out_of_scope,
                        t.elapsed()
                    );
                }
                Err(e) => {
                    eprintln!("gen: {e}");
                    std::process::exit(1);
                }
            }
        }
        Some("one") => {
            let (Some(engine), Some(dir)) = (args.get(1), args.get(2)) else {
                usage()
            };
            let format = flag(&args, "--format").unwrap_or_else(|| "json".into());
            let r = one::run(engine, Path::new(dir), &format);
            println!("{}", serde_json::to_string(&r).unwrap());
        }
        Some("run") => {
            let sizes: Vec<u64> = flag(&args, "--devices")
                .unwrap_or_else(|| "10000,100000,1000000".into())
                .split(',')
                .map(|s| {
                    s.trim()
                        .replace('_', "")
                        .parse()
                        .unwrap_or_else(|_| usage())
                })
                .collect();
            let opts = measure::Opts {
                sizes,
                seed: flag(&args, "--seed")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1),
                engines: flag(&args, "--engines")
                    .map(|s| s.split(',').map(str::to_string).collect())
                    .unwrap_or_else(|| one::ENGINES.iter().map(|s| s.to_string()).collect()),
                timeout_s: flag(&args, "--timeout")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(600),
                format: flag(&args, "--format").unwrap_or_else(|| "json".into()),
                write: !args.iter().any(|a| a == "--no-write"),
                update: args.iter().any(|a| a == "--update"),
            };
            let result = if args.iter().any(|a| a == "--render-only") {
                measure::render_only(&opts)
            } else {
                measure::run(&opts)
            };
            if let Err(e) = result {
                eprintln!("run: {e}");
                std::process::exit(1);
            }
        }
        _ => usage(),
    }
}
