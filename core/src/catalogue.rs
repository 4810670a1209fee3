//! The catalogue, generated from the rule files' docs: `apready rules`, `apready explain`.

use std::fmt::Write;

use crate::profile::{self, Profile};
use crate::rules::{self, RuleDoc};

#[derive(serde::Serialize)]
struct Catalogue<'a> {
    schema: &'static str,
    profile: &'a str,
    title: &'a str,
    rules_reviewed: &'a str,
    page_revision: &'a str,
    endpoints: &'a [&'a str],
    optional_endpoints: &'a [&'a str],
    params: &'a [profile::Param],
    rules: Vec<&'a RuleDoc>,
}

pub fn json(p: &Profile) -> Vec<u8> {
    let c = Catalogue {
        schema: "apready.rules/1",
        profile: p.id,
        title: p.title,
        rules_reviewed: p.reviewed,
        page_revision: p.page_revision,
        endpoints: p.endpoints,
        optional_endpoints: p.optional_endpoints,
        params: p.params,
        rules: rules::for_profile(p.id).map(|r| r.doc).collect(),
    };
    let mut v = serde_json::to_vec_pretty(&c).unwrap_or_default();
    v.push(b'\n');
    v
}

pub fn text(p: &Profile) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Profile {} — {}", p.id, p.title);
    let _ = writeln!(
        o,
        "rule data reviewed {} · page revision {}",
        p.reviewed, p.page_revision
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "Parameters");
    for prm in p.params {
        let _ = writeln!(
            o,
            "  {:<28} {}  [{}; {}]",
            prm.name, prm.value, prm.revision, prm.source
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "Checks");
    for r in rules::for_profile(p.id) {
        let _ = writeln!(o, "{:<8} {:<7} {}", r.doc.id, r.doc.scope, r.doc.title);
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "apready explain <ID> shows what a check reads, why it matters and how to fix it."
    );
    o
}

pub fn explain(doc: &RuleDoc, p: &Profile) -> String {
    let mut o = String::new();
    let applies = doc.profiles.contains(&p.id);
    let _ = writeln!(o, "{} — {}", doc.id, doc.title);
    let _ = writeln!(
        o,
        "scope: {} · profiles: {}",
        doc.scope,
        doc.profiles.join(", ")
    );
    if !applies {
        let _ = writeln!(o, "(not part of profile {})", p.id);
    }
    for (h, t) in [
        ("What it checks", doc.what),
        ("Why it matters", doc.why),
        ("Evidence", doc.evidence),
        ("How to fix", doc.fix),
        ("Source", doc.source),
    ] {
        let _ = writeln!(o);
        let _ = writeln!(o, "{h}");
        let _ = writeln!(o, "  {t}");
    }
    if doc.id == "NET-001" || doc.id == "DEV-009" {
        let _ = writeln!(o);
        let _ = writeln!(o, "Endpoints of profile {} ({})", p.id, p.endpoints_source);
        for e in p.endpoints {
            let _ = writeln!(o, "  {}", e.replace('|', " or "));
        }
        for e in p.optional_endpoints {
            let _ = writeln!(o, "  {e}  (checked when probed)");
        }
    }
    if doc.id == "DEV-004" {
        let _ = writeln!(o);
        let _ = writeln!(o, "Editions of profile {}", p.id);
        for e in p.editions {
            let class = match e.class {
                profile::EditionClass::Supported => "ready".to_string(),
                profile::EditionClass::Advisory(n) => format!("advisory: {n}"),
                profile::EditionClass::NotSupported => "not ready".to_string(),
            };
            let _ = writeln!(o, "  {:>3} {:<28} {class}", e.sku, e.name);
        }
        let _ = writeln!(o, "  any other edition: not ready");
        if let Some(b) = p.min_build {
            let _ = writeln!(o, "  build floor: 10.0.{b}");
        }
    }
    if doc.id == "DEV-014" {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Policy values under HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\"
        );
        for w in p.wu_conflicts {
            let _ = writeln!(
                o,
                "  {}\\{}  {}",
                w.path,
                w.name,
                if w.documented {
                    "conflict (Microsoft's list): not ready"
                } else {
                    "community-reported only: advisory"
                }
            );
        }
    }
    if doc.id.starts_with("LIC-00") {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Entitling products of profile {} (matched by SKU GUID)",
            p.id
        );
        let table = profile::licensing::Table::load();
        let mut seen: Vec<&str> = Vec::new();
        for r in &table.rows {
            if p.entitling_families.contains(&r.family) && !seen.contains(&r.sku.as_str()) {
                seen.push(&r.sku);
                let _ = writeln!(
                    o,
                    "  {} {} ({}) — {}",
                    r.sku, r.part_number, r.product, r.source
                );
            }
        }
    }
    if doc.id == "CM-001" {
        let _ = writeln!(o);
        let _ = writeln!(o, "Configuration Manager releases shipped with the rules");
        for r in profile::tables::CONFIGMGR {
            let _ = writeln!(
                o,
                "  {} (5.00.{})  available {}  support ends {}{}  — {}",
                r.release,
                r.build,
                r.available,
                r.support_end,
                if r.verified { "" } else { "  [unverified]" },
                r.source
            );
        }
    }
    if doc.id == "IDN-002" {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Azure AD Connect / Entra Connect Sync releases shipped with the rules"
        );
        let _ = writeln!(o, "  1.x  retired {}", profile::tables::SYNC_V1_RETIRED);
        for r in profile::tables::SYNC {
            let _ = writeln!(
                o,
                "  {}  released {}  support ends {}{}  — {}",
                r.version,
                r.released,
                r.support_end.unwrap_or("-"),
                if r.verified { "" } else { "  [unverified]" },
                r.source
            );
        }
    }
    o
}
