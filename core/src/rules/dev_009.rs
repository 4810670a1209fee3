//! DEV-009 — the device reaches every Autopatch endpoint of the profile.

use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev};
use crate::input::lenient::F;
use crate::model::{DeviceLocal, Probe};
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-009",
    title: "Reaches every Autopatch endpoint",
    scope: "device",
    what: "For every service endpoint of the profile, the device's probe resolved DNS, connected TCP 443 and completed a TLS 1.2 handshake; a failure names the endpoint and the step.",
    why: "All Windows Autopatch devices require connectivity to the service endpoints; proxies and firewalls must allow TLS 1.2 to them.",
    evidence: "device evidence: endpoint probes (DNS, TCP 443, TLS 1.2 per endpoint, proxy used)",
    fix: "Allow the named endpoints through the proxy/firewall on TCP 443 with TLS 1.2 and without TLS inspection; fix DNS if resolution failed.",
    source: "Prerequisites › Connectivity; Configure your network",
    profiles: SEED,
};

/// Outcome of one probe: Ok, or the step that failed.
fn outcome(p: &Probe) -> Result<(), String> {
    let step = |s: &F<crate::model::ProbeStep>| -> Option<(bool, String)> {
        s.val().and_then(|s| {
            s.ok.val()
                .map(|ok| (*ok, s.error.text().unwrap_or("").to_string()))
        })
    };
    for (name, s) in [("DNS", &p.dns), ("TCP 443", &p.tcp), ("TLS 1.2", &p.tls)] {
        match step(s) {
            Some((true, _)) => continue,
            Some((false, err)) if err.is_empty() => return Err(format!("{name} failed")),
            Some((false, err)) => {
                return Err(format!("{name} failed: {}", crate::util::clip(&err, 120)))
            }
            None => return Err(format!("{name} not tested")),
        }
    }
    Ok(())
}

/// Every probe of the device, by host.
pub fn all_results(l: &DeviceLocal) -> Vec<(String, Result<(), String>)> {
    let Some(probes) = l.probes.val() else {
        return Vec::new();
    };
    probes
        .iter()
        .filter_map(|p| p.val())
        .filter_map(|p| p.host.text().map(|h| (h.to_ascii_lowercase(), outcome(p))))
        .collect()
}

fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.split_once('*') {
        Some((pre, post)) => {
            host.starts_with(pre) && host.ends_with(post) && host.len() >= pre.len() + post.len()
        }
        None => pattern.eq_ignore_ascii_case(host),
    }
}

fn entry_matches(entry: &str, host: &str) -> bool {
    entry.split('|').any(|alt| host_matches(alt, host))
}

/// Results for the profile's endpoints that were probed: one per required entry (an
/// `a|b` entry is reached when either host is), plus probed optional (wildcard) hosts.
pub fn endpoint_results(cx: &Cx, l: &DeviceLocal) -> Vec<(String, Result<(), String>)> {
    let all = all_results(l);
    let mut out = Vec::new();
    for entry in cx.profile.endpoints {
        let probed: Vec<&(String, Result<(), String>)> = all
            .iter()
            .filter(|(h, _)| entry_matches(entry, h))
            .collect();
        if let Some(ok) = probed.iter().find(|(_, r)| r.is_ok()) {
            out.push((ok.0.clone(), Ok(())));
        } else if let Some(first) = probed.first() {
            out.push((first.0.clone(), first.1.clone()));
        }
    }
    for pattern in cx.profile.optional_endpoints {
        for (h, r) in all.iter().filter(|(h, _)| host_matches(pattern, h)) {
            out.push((h.clone(), r.clone()));
        }
    }
    out
}

/// Required endpoint entries that no probe covered.
pub fn not_probed(cx: &Cx, l: &DeviceLocal) -> Vec<String> {
    let all = all_results(l);
    cx.profile
        .endpoints
        .iter()
        .filter(|entry| !all.iter().any(|(h, _)| entry_matches(entry, h)))
        .map(|e| e.replace('|', " or "))
        .collect()
}

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(l) = d.local else {
        return Finding::not_evaluated(
            DOC.id,
            Reason::NeedsDeviceEvidence,
            "not checked — no device evidence (run Test-AutopatchDeviceReadiness on the device)",
        );
    };
    let results = endpoint_results(cx, l);
    if results.is_empty() {
        return Finding::not_evaluated(
            DOC.id,
            Reason::NeedsDeviceEvidence,
            "the device evidence has no probes of the profile's endpoints",
        );
    }
    let failed: Vec<String> = results
        .iter()
        .filter_map(|(h, r)| r.as_ref().err().map(|e| format!("{h}: {e}")))
        .collect();
    let ev: Vec<Evidence> = results
        .iter()
        .map(|(h, r)| {
            Evidence::new("deviceEvidence")
                .name(d.name)
                .field(format!("probe {h}"))
                .value(match r {
                    Ok(()) => "reached".to_string(),
                    Err(e) => e.clone(),
                })
                .required("DNS, TCP 443 and TLS 1.2 succeed")
                .at_src(l.src)
        })
        .collect();
    if !failed.is_empty() {
        return Finding::not_ready(
            DOC.id,
            format!("unreachable: {}", super::shared::list(&failed, 4)),
        )
        .with_all(ev);
    }
    let not_probed = not_probed(cx, l);
    if !not_probed.is_empty() {
        return Finding::advisory(
            DOC.id,
            format!(
                "reached every probed endpoint, but these were not probed: {}",
                not_probed.join(", ")
            ),
        )
        .with_all(ev);
    }
    Finding::ready(DOC.id, format!("reached all {} endpoints", results.len())).with_all(ev)
}
