//! CM-001 — a currently supported Configuration Manager version.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::model::Resource;
use crate::profile::tables::{cm_build, cm_release, CONFIGMGR};
use crate::report::{Evidence, Finding};
use crate::status::Reason;
use crate::time::date;

pub const DOC: RuleDoc = RuleDoc {
    id: "CM-001",
    title: "Configuration Manager is a supported version",
    scope: "tenant",
    what: "When co-management is in use, the Configuration Manager version is not older than the oldest current-branch release still in support on the evaluation date (each release is supported 18 months).",
    why: "The page requires a currently supported Configuration Manager version for co-managed devices.",
    evidence: "--configmgr-version, device evidence (SMS_Client.ClientVersion), or the highest beta configurationManagerClientInformation.clientVersion (a client version: then at most advisory); the version table shipped with the rules",
    fix: "Update the Configuration Manager site to a supported current-branch release (Administration → Updates and Servicing), then update the clients.",
    source: "Prerequisites › Co-management requirements (2022-05-30); ConfigMgr supported versions",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    if cx.co_managed().next().is_none() {
        if let Some(f) = cx.unusable(
            DOC.id,
            Resource::ManagedDevices,
            "co-management cannot be seen",
        ) {
            return f;
        }
        return Finding::not_applicable(DOC.id, "co-management is not in use");
    }
    // The version: the admin's, the device's, else the highest client version Graph shows.
    let (version, ev, client_only) = if let Some(v) = cx
        .settings
        .configmgr_version
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        (
            v.trim().to_string(),
            Evidence::new("option")
                .field("--configmgr-version")
                .value(v.trim().to_string()),
            false,
        )
    } else if let Some((v, l)) = cx
        .devices
        .iter()
        .filter_map(|d| d.local)
        .filter_map(|l| l.cm_client_version.text().map(|v| (v.to_string(), l)))
        .max_by(|a, b| crate::util::cmp_versions(&a.0, &b.0))
    {
        (
            v.clone(),
            Evidence::new("deviceEvidence")
                .field("configmgr_client_version")
                .value(v)
                .at_src(l.src),
            false,
        )
    } else if let Some((v, m)) = cx
        .devices
        .iter()
        .filter_map(|d| d.md)
        .filter_map(|m| m.cm_client_version.text().map(|v| (v.to_string(), m)))
        .max_by(|a, b| crate::util::cmp_versions(&a.0, &b.0))
    {
        (
            v.clone(),
            super::shared::md_evidence(
                cx,
                m,
                "configurationManagerClientInformation.clientVersion",
            )
            .value(v)
            .note("a client version, not the site version"),
            true,
        )
    } else {
        return Finding::not_evaluated(DOC.id, Reason::MissingInput, "co-management is in use but no Configuration Manager version was supplied")
            .with(Evidence::new("option").note("pass --configmgr-version <release or 5.00.build>, supply device evidence, or export managedDevices from beta with configurationManagerClientInformation"));
    };
    let Some(build) = cm_build(&version) else {
        return Finding::error(DOC.id, format!("\"{version}\" is not a Configuration Manager version (expected e.g. 2203 or 5.00.9078.1006)")).with(ev);
    };
    let supported: Vec<_> = CONFIGMGR
        .iter()
        .filter(|r| date(r.available) <= cx.as_of && date(r.support_end) > cx.as_of)
        .collect();
    let release = cm_release(build);
    let label = release
        .map(|r| format!("{version} (release {})", r.release))
        .unwrap_or_else(|| version.clone());
    let Some(oldest) = supported.iter().min_by_key(|r| r.build) else {
        return Finding::advisory(DOC.id, format!("Configuration Manager {label}: the version table has no release in support on this date"))
            .with(ev.note("update apready's rule data"));
    };
    let required = format!(
        "release {} (5.00.{}) or newer, supported until {}",
        oldest.release, oldest.build, oldest.support_end
    );
    let ev = ev.required(required);
    if build < oldest.build {
        let ended = release
            .map(|r| format!(" (support ended {})", r.support_end))
            .unwrap_or_default();
        let f = Finding::not_ready(
            DOC.id,
            format!("Configuration Manager {label} is no longer supported{ended}"),
        )
        .with(ev);
        if client_only {
            return Finding::advisory(DOC.id, format!("the newest Configuration Manager client seen is {label}, older than any supported release: the site is probably unsupported")).with_all(f.evidence);
        }
        return f;
    }
    let mut ev = ev;
    if let Some(r) = release.filter(|r| !r.verified) {
        ev = ev.note(format!("table row unverified: {}", r.source));
    }
    if client_only {
        return Finding::advisory(DOC.id, format!("the newest Configuration Manager client seen is {label}, a supported release; confirm the site version"))
            .with(ev)
            .fix("Pass the site version with --configmgr-version to decide this check.");
    }
    Finding::ready(
        DOC.id,
        format!("Configuration Manager {label} is supported"),
    )
    .with(ev)
}
