//! The generator is deterministic by seed, and a small tenant evaluates with the failure mix
//! it promises (the sample tenant's).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use apready_bench::{gen, read_inputs, Counts};

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("apready-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn digest(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    read_inputs(dir)
        .unwrap()
        .into_iter()
        .map(|i| (i.path, i.bytes))
        .collect()
}

#[test]
fn deterministic_by_seed_and_evaluates_with_the_expected_mix() {
    let a = tmp("a");
    let b = tmp("b");
    let c = tmp("c");
    // 2500 records: three pages of managedDevices, so the nextLink chain is exercised too.
    let ma = gen::generate(2500, 7, &a).unwrap();
    let mb = gen::generate(2500, 7, &b).unwrap();
    let mc = gen::generate(2500, 8, &c).unwrap();
    assert_eq!(ma, mb);
    assert_eq!(digest(&a), digest(&b), "same seed, same bytes");
    assert_ne!(digest(&a), digest(&c), "another seed, other bytes");
    assert_eq!(mc.intune_records, 2500);

    // 100 devices: the engine finds exactly the expected verdicts.
    let d = tmp("d");
    let m = gen::generate(100, 1, &d).unwrap();
    assert_eq!(m.intune_records, 100);
    let inputs = read_inputs(&d).unwrap();
    let opts = format!(
        "{{\"format\":\"json\",\"as_of\":\"{}\",\"profile\":\"2022-05\"}}",
        gen::AS_OF
    );
    let out = apready_core::run(&inputs, opts.as_bytes());
    let report: serde_json::Value = serde_json::from_slice(&out.output).unwrap();
    let counts = Counts::from_json_head(&out.output).unwrap();
    assert_eq!(
        (
            counts.ready,
            counts.advisory,
            counts.not_ready,
            counts.out_of_scope
        ),
        (m.ready, m.advisory, m.not_ready, m.out_of_scope),
        "device verdicts"
    );
    assert_eq!(counts.total, m.devices());
    assert_eq!(counts.error, 0);
    // Every input is readable, every chain complete; the mix makes the tenant advisory
    // (some primary users lack an entitling license, some co-managed devices lack workloads).
    assert_eq!(report["verdict"], "advisory");
    let check = |id: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["status"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    assert_eq!(check("INP-001"), "ready");
    assert_eq!(check("LIC-001"), "ready");
    assert_eq!(check("LIC-002"), "advisory");
    assert!(report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["truncated"] == false && i.get("error").is_none()));
    // The mix: about a third of the in-scope devices fail, as in the sample tenant (16 of 49).
    let failing = m.not_ready as f64 / m.devices() as f64;
    assert!((0.2..0.45).contains(&failing), "{failing}");

    for dir in [a, b, c, d] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn counts_from_text_and_json_heads() {
    let text = b"ADVISORY \xe2\x80\x94 ready, with points\n\nDevices: 49 in scope \xe2\x80\x94 20 ready, 13 advisory, 16 not ready, 0 error; 10 out of scope\n";
    let c = Counts::from_text(text).unwrap();
    assert_eq!(
        (c.total, c.ready, c.advisory, c.not_ready, c.out_of_scope),
        (49, 20, 13, 16, 10)
    );
    assert_eq!(c.verdict, "advisory");
}
