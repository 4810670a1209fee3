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
    let _ = writeln!(o, "{} — {}", doc.id, doc.title);
    let _ = writeln!(
        o,
        "scope: {} · profiles: {}",
        doc.scope,
        doc.profiles.join(", ")
    );
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
            let _ = writeln!(o, "  {e}");
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
