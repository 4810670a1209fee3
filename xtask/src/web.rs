//! The static page: `cargo xtask web` writes `web/dist/index.html`, ONE self-contained file that
//! works from any static host and opened from disk (`file://`), with no network at all.
//!
//! Steps: `npm ci` in `web/` when `node_modules` is missing or older than the lock file; the
//! wasm-bindgen build of the core (`target/apready-bindgen.wasm`); the pinned wasm-bindgen CLI
//! (`--target no-modules`); the TypeScript compiler (pinned in `web/package.json`) for the page
//! script and the Worker; then everything is inlined:
//!
//! - the page script inline, allowed by its SHA-256 in the CSP meta tag (computed here);
//! - the Worker source (wasm-bindgen glue + `worker.ts`) and the wasm bytes (base64) in inert
//!   `<script type="text/plain">` / `application/octet-stream` data blocks, which the page turns
//!   into a Blob-URL Worker; the Worker initialises the glue from bytes (`initSync`), never by
//!   fetching.
//!
//! `test()` runs the browser tests (Playwright driving Debian's Chromium) with `node --test`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{root, run, wasm_bindgen_cli};

/// The page's Content-Security-Policy; `{hash}` is the inline script's SHA-256 (base64).
const CSP: &str = "default-src 'none'; script-src 'sha256-{hash}' 'wasm-unsafe-eval' blob:; \
worker-src blob:; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; \
base-uri 'none'; form-action 'none'";

/// Goal for the engine's size on the wire (gzip), from the issue.
const WASM_GZIP_GOAL: u64 = 600 * 1024;

/// Check ids must not appear in the page's own code: the engine owns every rule.
const FORBIDDEN_IN_SCRIPTS: [&str; 5] = ["LIC-0", "DEV-0", "IDN-0", "MGT-0", "CM-0"];

fn web() -> PathBuf {
    root().join("web")
}

fn npm() -> Command {
    Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
}

fn node() -> Command {
    Command::new(if cfg!(windows) { "node.exe" } else { "node" })
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// `npm ci` in web/ when node_modules is missing or older than package-lock.json.
pub fn setup() -> Result<(), String> {
    let dir = web();
    let lock = dir.join("package-lock.json");
    // npm writes this hidden lock file on every install; it is newer than the lock it installed.
    let installed = dir.join("node_modules").join(".package-lock.json");
    let fresh = match (modified(&lock), modified(&installed)) {
        (Some(l), Some(i)) => i >= l,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(npm()
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir))
}

fn read(p: &Path) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("read {}: {e}", p.display()))
}

fn read_bytes(p: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(p).map_err(|e| format!("read {}: {e}", p.display()))
}

/// Every `.ts`/`.js` file under `dir`.
fn script_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("read {}: {e}", dir.display()))?;
    for e in entries {
        let p = e.map_err(|e| e.to_string())?.path();
        if p.is_dir() {
            script_files(&p, out)?;
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("ts" | "js" | "mjs")
        ) {
            out.push(p);
        }
    }
    Ok(())
}

/// The page must only display what the engine returns: no check ids in its scripts.
fn check_no_rule_ids() -> Result<(), String> {
    let mut files = Vec::new();
    script_files(&web().join("src"), &mut files)?;
    let mut hits = Vec::new();
    for f in files {
        let text = read(&f)?;
        for (n, line) in text.lines().enumerate() {
            if FORBIDDEN_IN_SCRIPTS.iter().any(|id| line.contains(id)) {
                hits.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    if hits.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "check ids in the page's scripts (rules belong to the engine):\n{}",
            hits.join("\n")
        ))
    }
}

/// Refuses text that would end or comment out the `<script>` element it is inlined into.
fn inlinable(what: &str, text: &str) -> Result<(), String> {
    let lower = text.to_ascii_lowercase();
    for bad in ["</script", "<!--", "<script"] {
        if lower.contains(bad) {
            return Err(format!("{what} contains \"{bad}\" and cannot be inlined"));
        }
    }
    Ok(())
}

/// Builds web/dist/index.html and prints its size and the wasm size (raw and gzip).
pub fn build() -> Result<(), String> {
    setup()?;
    check_no_rule_ids()?;
    let (_, wasm) = crate::wasm::build_all()?;

    let dir = web();
    let build = dir.join("build");
    let pkg = build.join("pkg");
    if !wasm_bindgen_cli().exists() {
        crate::util::setup()?;
    }
    run(Command::new(wasm_bindgen_cli())
        .args([
            "--target",
            "no-modules",
            "--no-typescript",
            "--out-name",
            "apready",
        ])
        .arg("--out-dir")
        .arg(&pkg)
        .arg(&wasm))?;
    let tsc = dir
        .join("node_modules")
        .join("typescript")
        .join("bin")
        .join("tsc");
    for project in ["tsconfig.json", "src/worker/tsconfig.json"] {
        run(node().arg(&tsc).args(["-p", project]).current_dir(&dir))?;
    }

    let template = read(&dir.join("src").join("index.html"))?;
    let style = read(&dir.join("src").join("style.css"))?;
    let script = read(&build.join("main").join("main.js"))?;
    let glue = read(&pkg.join("apready.js"))?;
    let worker = read(&build.join("worker").join("worker").join("worker.js"))?;
    let wasm_bytes = read_bytes(&pkg.join("apready_bg.wasm"))?;

    let worker_src = format!("{glue}\n{worker}");
    inlinable("the page script", &script)?;
    inlinable("the Worker source", &worker_src)?;
    inlinable("the style sheet", &style)?;

    let hash = base64(&sha256(script.as_bytes()));
    let csp = CSP.replace("{hash}", &hash);
    let version = env!("CARGO_PKG_VERSION");
    let wasm_size = format!("{} KiB", wasm_bytes.len() / 1024);
    let html = fill(
        &template,
        &[
            ("CSP", &csp),
            ("VERSION", version),
            ("WASM_SIZE", &wasm_size),
            ("STYLE", &style),
            ("WASM", &base64(&wasm_bytes)),
            ("WORKER", &worker_src),
            ("SCRIPT", &script),
        ],
    )?;

    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| format!("create {}: {e}", dist.display()))?;
    let out = dist.join("index.html");
    std::fs::write(&out, &html).map_err(|e| format!("write {}: {e}", out.display()))?;

    let raw = wasm_bytes.len() as u64;
    let gz = gzip_size(&pkg.join("apready_bg.wasm"))?;
    let page_gz = gzip_size(&out)?;
    println!(
        "web/dist/index.html: {} (gzip {}), one file, CSP script hash sha256-{hash}",
        kib(html.len() as u64),
        kib(page_gz)
    );
    println!(
        "engine wasm: {} raw, {} gzip — goal ≤ {} gzip: {}",
        kib(raw),
        kib(gz),
        kib(WASM_GZIP_GOAL),
        if gz <= WASM_GZIP_GOAL {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

fn kib(n: u64) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// Replaces each `{{NAME}}` once; every placeholder must be used exactly once.
fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            return Err("unclosed {{ in web/src/index.html".into());
        };
        let name = &rest[start + 2..start + len];
        let Some((_, value)) = values.iter().find(|(k, _)| *k == name) else {
            return Err(format!(
                "unknown placeholder {{{{{name}}}}} in web/src/index.html"
            ));
        };
        out.push_str(&rest[..start]);
        out.push_str(value);
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    for (k, _) in values {
        if !template.contains(&format!("{{{{{k}}}}}")) {
            return Err(format!("web/src/index.html lacks {{{{{k}}}}}"));
        }
    }
    Ok(out)
}

/// The gzip size (level 9) of a file, measured with Node's zlib (Node is already required).
fn gzip_size(p: &Path) -> Result<u64, String> {
    let out = node()
        .args([
            "-e",
            "process.stdout.write(String(require('zlib').gzipSync(require('fs').readFileSync(process.argv[1]),{level:9}).length))",
        ])
        .arg(p)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| {
            format!(
                "gzip size of {}: node said {:?}",
                p.display(),
                String::from_utf8_lossy(&out.stderr)
            )
        })
}

/// Runs the browser tests (web/tests/*.test.mjs) with Node's test runner; its summary is printed.
pub fn test() -> Result<(), String> {
    setup()?;
    let dir = web();
    if !dir.join("dist").join("index.html").exists() {
        build()?;
    }
    let mut files: Vec<String> = std::fs::read_dir(dir.join("tests"))
        .map_err(|e| format!("web/tests: {e}"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs"))
        .map(|n| format!("tests/{n}"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no browser tests in web/tests".into());
    }
    run(node()
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(&files)
        .current_dir(&dir))
}

// ---------------------------------------------------------------- SHA-256 and base64 (CSP hash)
// Small and dependency-free: xtask has no dependencies, and these are checked by the browser
// itself (a wrong hash blocks the script) and by the unit tests below.

fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_known_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let million = vec![b'a'; 1_000_000];
        assert_eq!(
            hex(&sha256(&million)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn base64_known_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn fill_replaces_and_requires_every_placeholder() {
        assert_eq!(
            fill("a{{X}}b{{Y}}c", &[("X", "1"), ("Y", "{{2}}")]).as_deref(),
            Ok("a1b{{2}}c")
        );
        assert!(fill("a{{X}}", &[("X", "1"), ("Y", "2")]).is_err());
        assert!(fill("a{{Z}}", &[("X", "1")]).is_err());
    }

    #[test]
    fn inline_guard() {
        assert!(inlinable("x", "let a = 1;").is_ok());
        assert!(inlinable("x", "'</SCRIPT>'").is_err());
    }
}
