//! The rule registry. One rule, one file: each file holds the rule's documentation
//! ([`RuleDoc`]: what, why, evidence, fix, source) and its decision. The catalogue,
//! `apready explain` and the page's help are generated from this table.

use crate::engine::{Cx, Dev};
use crate::report::Finding;

mod cm_001;
mod cm_002;
mod cm_003;
mod cm_004;
mod cm_005;
mod cm_workload;
mod dev_001;
mod dev_002;
mod dev_003;
mod dev_004;
mod dev_005;
mod dev_006;
mod dev_007;
mod dev_008;
mod dev_009;
mod dev_010;
mod dev_011;
mod dev_012;
mod dev_013;
mod dev_014;
mod dev_015;
mod idn_001;
mod idn_002;
mod inp_001;
mod lic_001;
mod lic_002;
mod lic_003;
mod lic_004;
mod mgt_001;
mod net_001;
mod prv_001;
pub(crate) mod shared;
mod shared_plan;

/// A rule's documentation, written once, shown everywhere.
#[derive(Debug, serde::Serialize)]
pub struct RuleDoc {
    pub id: &'static str,
    pub title: &'static str,
    pub scope: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// The exports or probes it reads.
    pub evidence: &'static str,
    /// How to fix a failure.
    pub fix: &'static str,
    /// Where the requirement comes from.
    pub source: &'static str,
    /// Profiles the rule belongs to.
    pub profiles: &'static [&'static str],
}

pub enum Kind {
    Tenant(fn(&Cx) -> Finding),
    Device(fn(&Cx, &Dev) -> Finding),
}

pub struct Rule {
    pub doc: &'static RuleDoc,
    pub kind: Kind,
}

macro_rules! tenant {
    ($m:ident) => {
        Rule {
            doc: &$m::DOC,
            kind: Kind::Tenant($m::check),
        }
    };
}
macro_rules! device {
    ($m:ident) => {
        Rule {
            doc: &$m::DOC,
            kind: Kind::Device($m::check),
        }
    };
}

/// Every rule, in catalogue order.
pub static RULES: &[Rule] = &[
    tenant!(inp_001),
    tenant!(lic_001),
    tenant!(lic_002),
    tenant!(lic_003),
    tenant!(lic_004),
    tenant!(idn_001),
    tenant!(idn_002),
    tenant!(mgt_001),
    tenant!(net_001),
    tenant!(prv_001),
    tenant!(cm_001),
    tenant!(cm_002),
    tenant!(cm_003),
    tenant!(cm_004),
    tenant!(cm_005),
    device!(dev_001),
    device!(dev_002),
    device!(dev_003),
    device!(dev_004),
    device!(dev_005),
    device!(dev_006),
    device!(dev_007),
    device!(dev_008),
    device!(dev_009),
    device!(dev_010),
    device!(dev_011),
    device!(dev_012),
    device!(dev_013),
    device!(dev_014),
    device!(dev_015),
];

pub fn for_profile(profile: &str) -> impl Iterator<Item = &'static Rule> + '_ {
    RULES
        .iter()
        .filter(move |r| r.doc.profiles.contains(&profile))
}

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.doc.id.eq_ignore_ascii_case(id.trim()))
}

/// Catalogue position of a check id (for sorting).
pub fn order(id: &str) -> usize {
    RULES
        .iter()
        .position(|r| r.doc.id == id)
        .unwrap_or(usize::MAX)
}

/// Both profiles of the seed catalogue.
pub(crate) const SEED: &[&str] = &["2022-05", "current"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_and_unique() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.doc.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for r in RULES {
            let d = r.doc;
            for (name, text) in [
                ("title", d.title),
                ("what", d.what),
                ("why", d.why),
                ("evidence", d.evidence),
                ("fix", d.fix),
                ("source", d.source),
            ] {
                assert!(!text.trim().is_empty(), "{} has an empty {name}", d.id);
            }
        }
    }
}

/// The finding of an Intune-record check for a device that has no Intune record.
pub(crate) fn dev_001_missing(id: &'static str, d: &Dev) -> Finding {
    if d.entra.is_some() {
        Finding::not_applicable(id, "no Intune record (see DEV-001)")
    } else {
        Finding::not_evaluated(
            id,
            crate::status::Reason::MissingInput,
            "no Intune record was supplied for this device",
        )
        .with(
            crate::report::Evidence::new("managedDevices")
                .note(crate::model::Resource::ManagedDevices.how_to_export()),
        )
    }
}
