//! INP-001 — every supplied input is readable.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::report::{Evidence, Finding};

pub const DOC: RuleDoc = RuleDoc {
    id: "INP-001",
    title: "Every supplied input is readable",
    scope: "tenant",
    what: "Each input file decodes (UTF-8, or UTF-16 with a BOM), parses as JSON within the nesting limit, and is a Graph page, an array of pages or records, a single record of a resource apready reads, or a snapshot bundle; all inputs come from one tenant.",
    why: "A verdict built on a file that could not be read would be silently wrong. This is the product's own check, not a prerequisite of the page.",
    evidence: "every input file",
    fix: "Re-export the file named in the evidence: save as UTF-8 (Out-File -Encoding utf8), use ConvertTo-Json -Depth 10, include every page, and keep exports of one tenant together.",
    source: "apready input contract (checks.md § Inputs)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    let files = &cx.ev.files;
    if files.is_empty() {
        return Finding::error(DOC.id, "no input was supplied").with(
            Evidence::new("input").note("pass a folder of Graph exports or a snapshot bundle"),
        );
    }
    let bad: Vec<Evidence> = files
        .iter()
        .filter_map(|f| {
            f.unusable.as_ref().map(|why| {
                Evidence::new(f.resource.map(|r| r.name()).unwrap_or("input"))
                    .at(f.path.clone())
                    .value(f.encoding)
                    .note(why.clone())
            })
        })
        .collect();
    let bad_records: Vec<Evidence> = files
        .iter()
        .filter(|f| f.unusable.is_none() && f.bad_fields > 0)
        .map(|f| {
            Evidence::new(f.resource.map(|r| r.name()).unwrap_or("input"))
                .at(f.path.clone())
                .value(format!("{} unusable value(s)", f.bad_fields))
                .note(crate::rules::shared::list(&f.problems, 3))
        })
        .collect();
    let mut tenants: Vec<(&String, &Vec<String>)> = cx.ev.tenant_ids.iter().collect();
    // Device evidence tenant ids (dsregcmd) join the comparison when organization data is present.
    let mut dsreg_tenants: Vec<(String, String)> = Vec::new();
    for l in &cx.ev.locals {
        if let Some(t) = l.dsreg.as_ref().and_then(|d| d.tenant_id.as_deref()) {
            dsreg_tenants.push((t.to_string(), cx.loc(l.src)));
        }
    }
    let mut mixed: Vec<Evidence> = Vec::new();
    if tenants.len() > 1 {
        tenants.sort();
        for (id, where_) in &tenants {
            mixed.push(
                Evidence::new("organization")
                    .id((*id).clone())
                    .at(where_.join(", ")),
            );
        }
    } else if let Some((org_id, _)) = tenants.first() {
        for (t, loc) in &dsreg_tenants {
            if t != *org_id {
                mixed.push(
                    Evidence::new("deviceEvidence")
                        .field("dsregcmd TenantId")
                        .value(t.clone())
                        .required((*org_id).clone())
                        .at(loc.clone()),
                );
            }
        }
    }
    if !bad.is_empty() || !mixed.is_empty() || !bad_records.is_empty() {
        let mut parts = Vec::new();
        if !bad_records.is_empty() {
            let n: u32 = files.iter().map(|f| f.bad_fields).sum();
            parts.push(format!(
                "{n} record value(s) have the wrong type or are unusable (those records err alone)"
            ));
        }
        if !bad.is_empty() {
            parts.push(format!(
                "{} of {} input file(s) could not be read",
                bad.len(),
                files.len()
            ));
        }
        if !mixed.is_empty() {
            parts.push("the inputs come from more than one tenant".to_string());
        }
        return Finding::error(DOC.id, parts.join("; "))
            .with_all(bad_records)
            .with_all(bad)
            .with_all(mixed);
    }
    let records: u64 = files.iter().map(|f| f.records).sum();
    let mut f = Finding::ready(
        DOC.id,
        format!("{} input file(s) read, {records} record(s)", files.len()),
    );
    for file in files.iter().filter(|f| !f.problems.is_empty()) {
        f = f.with(
            Evidence::new(file.resource.map(|r| r.name()).unwrap_or("input"))
                .at(file.path.clone())
                .note(crate::rules::shared::list(&file.problems, 3)),
        );
    }
    f
}
