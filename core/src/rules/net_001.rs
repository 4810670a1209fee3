//! NET-001 — devices reach the Windows Autopatch service endpoints.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "NET-001",
    title: "Devices reach the Autopatch service endpoints",
    scope: "tenant",
    what: "Aggregated over every device with probe results (DEV-009): every probed device reached every endpoint of the profile (DNS, TCP 443, TLS 1.2).",
    why: "All Windows Autopatch devices require connectivity to the service endpoints from the corporate network.",
    evidence: "device evidence: endpoint probes (Test-AutopatchDeviceReadiness)",
    fix: "Allow the endpoints named in the evidence through the proxy and firewall (TCP 443, TLS 1.2, no TLS inspection), then re-run the device probe.",
    source: "Prerequisites › Connectivity; Configure your network",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    let mut probed = 0usize;
    let mut unprobed: Vec<String> = Vec::new();
    let mut failures: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    for d in &cx.devices {
        let Some(l) = d.local else { continue };
        let results = super::dev_009::endpoint_results(cx, l);
        if results.is_empty() {
            continue;
        }
        probed += 1;
        for entry in super::dev_009::not_probed(cx, l) {
            if !unprobed.contains(&entry) {
                unprobed.push(entry);
            }
        }
        for (host, outcome) in results {
            if let Err(step) = outcome {
                failures
                    .entry(host)
                    .or_default()
                    .push(format!("{} ({step})", super::shared::dev_label(d)));
            }
        }
    }
    if probed == 0 {
        return Finding::not_evaluated(DOC.id, Reason::NeedsDeviceEvidence, "network reach: not checked — no device evidence (a check of exports cannot see the network)")
            .with(Evidence::new("deviceEvidence").note("run Test-AutopatchDeviceReadiness on representative devices"));
    }
    let everywhere: Vec<&String> = failures
        .iter()
        .filter(|(_, v)| v.len() == probed)
        .map(|(k, _)| k)
        .collect();
    let ev: Vec<Evidence> = failures
        .iter()
        .map(|(host, devs)| {
            Evidence::new("deviceEvidence")
                .name(host.clone())
                .field("probe")
                .value(format!("failed on {} of {probed} device(s)", devs.len()))
                .note(super::shared::list(devs, 5))
        })
        .collect();
    if !everywhere.is_empty() {
        let hosts: Vec<String> = everywhere.iter().map(|s| s.to_string()).collect();
        return Finding::not_ready(
            DOC.id,
            format!(
                "{} unreachable from every probed device",
                super::shared::list(&hosts, 4)
            ),
        )
        .with_all(ev);
    }
    if !failures.is_empty() {
        return Finding::advisory(
            DOC.id,
            format!(
                "{} endpoint(s) failed on some of the {probed} probed device(s)",
                failures.len()
            ),
        )
        .with_all(ev);
    }
    if !unprobed.is_empty() {
        return Finding::advisory(
            DOC.id,
            format!(
                "the {probed} probed device(s) reached every endpoint they probed, but not every endpoint of the profile was probed: {}",
                super::shared::list(&unprobed, 4)
            ),
        )
        .with(Evidence::new("deviceEvidence").field("probes").value(format!("not probed: {}", unprobed.join(", "))))
        .fix("Re-run Test-AutopatchDeviceReadiness with the current module so it probes every endpoint of the profile.");
    }
    Finding::ready(
        DOC.id,
        format!("all {probed} probed device(s) reached every endpoint"),
    )
    .with(
        Evidence::new("deviceEvidence")
            .field("probes")
            .value(cx.profile.endpoints.join(", ").replace('|', " or ")),
    )
}
