#![allow(clippy::unwrap_used)]
use std::time::Instant;
fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let dir = "tests/data/sample-tenant";
    let mut inputs = Vec::new();
    let mut e: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    e.sort();
    for p in e {
        let nm = p.file_name().unwrap().to_string_lossy().to_string();
        if nm.ends_with(".md") || nm.ends_with(".toml") {
            continue;
        }
        inputs.push(apready_core::Input {
            path: nm,
            bytes: std::fs::read(&p).unwrap(),
        });
    }
    let o = apready_core::Options {
        as_of: Some("2022-06-15T00:00:00Z".into()),
        profile: Some("2022-05".into()),
        ..Default::default()
    };
    let mut r = apready_core::evaluate(&inputs, &o).unwrap();
    let base = r.devices.items.clone();
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        let mut d = base[i % base.len()].clone();
        let old_name = d.name.clone();
        let old_id = d.id.clone();
        d.name = format!("DEV-{i:07}-{}", old_name);
        d.id = format!("{:08x}-0000-4000-8000-{:012x}", i, i);
        for f in &mut d.findings {
            f.message = f.message.replace(&old_name, &d.name);
            for ev in &mut f.evidence {
                if ev.object_name.as_deref() == Some(&old_name) {
                    ev.object_name = Some(d.name.clone());
                    ev.object_id = Some(d.id.clone());
                }
            }
        }
        r.identifiers.push(d.name.clone());
        r.identifiers.push(d.id.clone());
        items.push(d);
    }
    r.devices.items = items;
    r.identifiers
        .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    let t = Instant::now();
    let red = r.redact(b"key");
    eprintln!("redact {n}: {:?}", t.elapsed());
    for f in ["json", "html", "csv", "md", "junit", "text"] {
        let t = Instant::now();
        let out = apready_core::report::write(&red, f);
        eprintln!("{f}: {} bytes in {:?}", out.len(), t.elapsed());
    }
    let mut r2 = r.clone();
    for d in &mut r2.devices.items {
        if d.verdict == apready_core::Verdict::Ready {
            continue;
        }
    }
    let _ = r2;
}
