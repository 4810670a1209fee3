//! The static readiness page: self-contained, no script, readable in light, dark and print,
//! and small for large tenants (every device that is not ready listed, ready devices counted).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use apready_core::report::html::READY_ROWS;
use apready_core::Verdict;
use common::*;

fn page(r: &apready_core::Report) -> String {
    String::from_utf8(render(r, "html", None)).unwrap()
}

#[test]
fn self_contained_without_script() {
    let html = page(&sample());
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"));
    assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"));
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "src=",
        "http-equiv=\"refresh\"",
        "@import",
        "url(",
    ] {
        assert!(!lower.contains(bad), "{bad}");
    }
    assert!(html.contains("@media (prefers-color-scheme:dark)"));
    assert!(html.contains("@media print"));
    assert!(html.contains("system-ui"));
    // Verdict, counts, profile, as_of, version and redaction state are printed.
    assert!(html.contains("data-testid=\"verdict\" data-verdict=\"advisory\""));
    assert!(html.contains("2022-06-15 00:00:00 UTC"));
    assert!(html.contains("rules reviewed"));
    assert!(html.contains(&format!("apready {}", apready_core::VERSION)));
    assert!(html.contains("Not redacted"));
    let red = String::from_utf8(render(&sample(), "html", Some(TEST_KEY))).unwrap();
    assert!(red.contains(&apready_core::report::redact::fingerprint(
        TEST_KEY.as_bytes()
    )));
    assert!(red.contains("Redacted: "));
    // Every tenant check, with its status, and every input file.
    let r = sample();
    for c in &r.checks {
        assert!(html.contains(&format!(
            "data-check-id=\"{}\" data-status=\"{}\"",
            c.id,
            c.status.as_str()
        )));
    }
    for i in &r.inputs {
        assert!(html.contains(&i.file));
    }
}

/// The sample's devices, cloned until there are `ready` ready devices besides the others.
fn large(ready: usize) -> apready_core::Report {
    let mut r = sample();
    let template = r
        .devices
        .items
        .iter()
        .find(|d| d.verdict == Verdict::Ready)
        .unwrap()
        .clone();
    let mut items: Vec<_> = r
        .devices
        .items
        .iter()
        .filter(|d| d.verdict != Verdict::Ready)
        .cloned()
        .collect();
    for i in 0..ready {
        let mut d = template.clone();
        d.id = format!("ready-{i:06}").into();
        d.name = format!("READY-{i:06}").into();
        items.push(d);
    }
    r.devices.ready = ready as u64;
    r.devices.total = items.len() as u64;
    r.devices.items = items;
    r
}

#[test]
fn large_tenants_count_ready_devices() {
    let few = page(&large(READY_ROWS));
    assert_eq!(few.matches("data-verdict=\"ready\"").count(), READY_ROWS);

    let r = large(5_000);
    let html = page(&r);
    assert_eq!(html.matches("data-verdict=\"ready\"").count(), 0);
    assert!(html.contains("5,000 ready devices meet every requirement checked"));
    for d in r
        .devices
        .items
        .iter()
        .filter(|d| d.verdict != Verdict::Ready)
    {
        assert!(
            html.contains(&format!("data-device-id=\"{}\"", d.id)),
            "{}",
            d.id
        );
    }
    // Small enough to mail: the ready devices cost nothing.
    let baseline = page(&large(0)).len();
    assert!(
        html.len() < baseline + 2_000,
        "{} vs {baseline}",
        html.len()
    );
}

#[test]
fn devices_are_worst_first() {
    let html = page(&sample());
    let order: Vec<&str> = html
        .match_indices(" data-verdict=\"")
        .skip(1) // the banner
        .map(|(i, _)| {
            let rest = &html[i + 15..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let rank = |v: &str| match v {
        "not_ready" => 0,
        "error" => 1,
        "advisory" => 2,
        _ => 3,
    };
    assert!(
        order.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{order:?}"
    );
}
