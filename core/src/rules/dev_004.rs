//! DEV-004 — Windows 10/11 Enterprise (per profile), 64-bit.

use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev};
use crate::input::lenient::F;
use crate::profile::tables::{edition_name, sku_from_family};
use crate::profile::EditionClass;
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-004",
    title: "Supported Windows edition, 64-bit",
    scope: "device",
    what: "Edition from the device (OperatingSystemSKU), else Graph beta skuNumber, else skuFamily; architecture from the device (OSArchitecture), else beta processorArchitecture; osVersion 10.0.x. 2022-05: Enterprise (SKU 4) or Enterprise N (27) on x64 is ready; LTSC (125, 126), multi-session (175), arm64 or disagreeing sources are advisory; any other edition, x86 or a non-Windows-10/11 OS is not ready. current: Pro, Pro for Workstations, Education, Pro Education, Enterprise and IoT Enterprise are ready, LTSC is advisory (quality updates only), and the build must be 10.0.17763 or later.",
    why: "The page requires Windows 10/11 64-bit Enterprise editions.",
    evidence: "device evidence: OperatingSystemSKU, OSArchitecture; managedDevices (beta): skuNumber, skuFamily, processorArchitecture; osVersion",
    fix: "Upgrade the device to Windows 10/11 Enterprise (subscription activation with a Windows Enterprise E3/E5 license steps Pro up to Enterprise automatically) on 64-bit hardware.",
    source: "Prerequisites › More about licenses: Windows 64-bit editions (2022-05-30); Windows editions (2024-10-30)",
    profiles: SEED,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Arch {
    X64,
    Arm64,
    X86,
    Arm,
}

fn arch_from_graph(s: &str) -> Option<Result<Arch, ()>> {
    // Compared without a lower-cased copy: this runs for every device.
    let t = s.trim();
    let is = |n: &str| t.eq_ignore_ascii_case(n);
    if is("x64") || is("amd64") {
        Some(Ok(Arch::X64))
    } else if is("arm64") {
        Some(Ok(Arch::Arm64))
    } else if is("x86") {
        Some(Ok(Arch::X86))
    } else if is("arm") {
        Some(Ok(Arch::Arm))
    } else if is("unknown") || t.is_empty() {
        None
    } else {
        Some(Err(()))
    }
}

fn arch_from_os(s: &str) -> Option<Arch> {
    let l = s.to_ascii_lowercase();
    let arm = l.contains("arm");
    if l.contains("64") {
        Some(if arm { Arch::Arm64 } else { Arch::X64 })
    } else if l.contains("32") {
        Some(if arm { Arch::Arm } else { Arch::X86 })
    } else {
        None
    }
}

fn arch_name(a: Arch) -> &'static str {
    match a {
        Arch::X64 => "x64",
        Arch::Arm64 => "arm64",
        Arch::X86 => "x86",
        Arch::Arm => "arm",
    }
}

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    if d.md.is_none() && d.local.is_none() {
        return super::dev_001_missing(DOC.id, d);
    }
    // Quiet (see `Cx::quiet`): the status alone; the evidence only when it will be listed.
    let full = !cx.quiet();
    let md = d.md;
    let local_os = d.local.and_then(|l| l.os.val());
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut advisories: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let md_ev = |field: &'static str| match md {
        Some(m) => super::shared::md_evidence(cx, m, field),
        None => Evidence::new("managedDevices").field(field),
    };
    let local_ev = |field: &'static str| {
        let mut e = Evidence::new("deviceEvidence").name(d.name).field(field);
        if let Some(l) = d.local {
            e = e.at_src(l.src);
        }
        e
    };

    // Edition.
    let local_sku = local_os.and_then(|o| match &o.sku {
        F::Val(v) => Some(*v),
        F::Bad(b) => {
            errors.push(format!("OperatingSystemSKU: {}", b.describe()));
            None
        }
        _ => None,
    });
    let graph_sku = md.and_then(|m| match &m.sku_number {
        F::Val(v) if *v != 0 => Some(*v),
        F::Bad(b) => {
            errors.push(format!("skuNumber: {}", b.describe()));
            None
        }
        _ => None,
    });
    let family = md.and_then(|m| m.sku_family.text());
    let family_sku = family.and_then(sku_from_family);
    let sku = local_sku.or(graph_sku).or(family_sku);
    if let Some(v) = local_sku {
        if full {
            evidence
                .push(local_ev("OperatingSystemSKU").value(format!("{v} ({})", edition_name(v))));
        }
    }
    if let Some(v) = graph_sku {
        if full {
            evidence.push(md_ev("skuNumber").value(format!("{v} ({})", edition_name(v))));
        }
    }
    if let (Some(f), None, None) = (family, local_sku, graph_sku) {
        if full {
            evidence.push(md_ev("skuFamily").value(f.to_string()));
        }
        if family_sku.is_none() {
            advisories.push(format!("unrecognised SKU family \"{f}\""));
        }
    }
    if let (Some(a), Some(b)) = (local_sku, graph_sku) {
        if a != b {
            advisories.push(format!(
                "the device reports SKU {a} ({}) but Intune reports {b} ({})",
                edition_name(a),
                edition_name(b)
            ));
        }
    }
    if let Some(s) = sku {
        let (class, name) = cx.profile.edition(s);
        match class {
            EditionClass::Supported => {}
            EditionClass::Advisory(note) => advisories.push(format!("{name}: {note}")),
            EditionClass::NotSupported => failures.push(format!(
                "the {name} edition (SKU {s}) is not supported by profile {}",
                cx.profile.id
            )),
        }
    }

    // Architecture.
    let local_arch = local_os.and_then(|o| o.arch.text()).and_then(arch_from_os);
    let graph_arch = md.and_then(|m| match &m.arch {
        F::Val(v) => match arch_from_graph(v) {
            Some(Ok(a)) => Some(a),
            Some(Err(())) => {
                advisories.push(format!("unrecognised processorArchitecture \"{v}\""));
                None
            }
            None => None,
        },
        F::Bad(b) => {
            errors.push(format!("processorArchitecture: {}", b.describe()));
            None
        }
        _ => None,
    });
    if let Some(a) = local_os.and_then(|o| o.arch.text()) {
        if full {
            evidence.push(local_ev("OSArchitecture").value(a.to_string()));
        }
    }
    if let Some(a) = md.and_then(|m| m.arch.text()) {
        if full {
            evidence.push(md_ev("processorArchitecture").value(a.to_string()));
        }
    }
    if let (Some(a), Some(b)) = (local_arch, graph_arch) {
        if a != b {
            advisories.push(format!(
                "the device reports {} but Intune reports {}",
                arch_name(a),
                arch_name(b)
            ));
        }
    }
    let arch = local_arch.or(graph_arch);
    match arch {
        Some(Arch::X86) | Some(Arch::Arm) => failures.push(format!(
            "{}-bit Windows is not supported (64-bit only)",
            if arch == Some(Arch::X86) {
                "32"
            } else {
                "ARM 32"
            }
        )),
        Some(Arch::Arm64) => advisories
            .push("arm64: the page names 64-bit editions; Arm64 support is not stated".into()),
        _ => {}
    }

    // Operating system version.
    let version = md
        .and_then(|m| m.os_version.text())
        .or_else(|| local_os.and_then(|o| o.version.text()));
    if let Some(v) = version {
        if full {
            evidence.push(
                md_ev("osVersion")
                    .value(v.to_string())
                    .required("10.0.x (Windows 10 or 11)"),
            );
        }
        if !v.trim().starts_with("10.0") {
            failures.push(format!("osVersion {v} is not Windows 10 or 11"));
        } else if let Some(floor) = cx.profile.min_build {
            let build = v
                .trim()
                .split('.')
                .nth(2)
                .and_then(|b| b.parse::<u32>().ok());
            if build.is_some_and(|b| b < floor) {
                failures.push(format!(
                    "Windows build {v} is older than 10.0.{floor} (1809)"
                ));
            }
        }
    }

    if !errors.is_empty() {
        return Finding::error(
            DOC.id,
            format!(
                "edition or architecture data is unusable: {}",
                errors.join("; ")
            ),
        )
        .with_all(evidence);
    }
    if !failures.is_empty() {
        return Finding::not_ready(DOC.id, failures.join("; ")).with_all(evidence);
    }
    if sku.is_none() || arch.is_none() {
        let missing: Vec<&str> = [
            sku.is_none().then_some("edition"),
            arch.is_none().then_some("architecture"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !advisories.is_empty() && sku.is_none() && family.is_some() {
            return Finding::advisory(DOC.id, advisories.join("; ")).with_all(evidence);
        }
        return Finding::not_evaluated(
            DOC.id,
            Reason::BetaOnlyField,
            format!("{} not supplied: Graph v1.0 does not carry it", missing.join(" and ")),
        )
        .with_all(evidence)
        .with(Evidence::new("managedDevices").note("export managedDevices from beta with skuNumber,processorArchitecture in $select, or supply device evidence"));
    }
    if !advisories.is_empty() {
        return Finding::advisory(DOC.id, advisories.join("; ")).with_all(evidence);
    }
    if !full {
        return Finding::ready(DOC.id, "");
    }
    let (_, name) = cx.profile.edition(sku.unwrap_or(0));
    Finding::ready(
        DOC.id,
        format!("Windows {name}, {}", arch.map(arch_name).unwrap_or("")),
    )
    .with_all(evidence)
}
