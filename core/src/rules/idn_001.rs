//! IDN-001 — Entra ID is the source of authority, or accounts sync from on-premises AD.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::input::lenient::F;
use crate::model::Resource;
use crate::report::{Evidence, Finding};
use crate::time::{format_instant, DAY};

pub const DOC: RuleDoc = RuleDoc {
    id: "IDN-001",
    title: "Azure AD is the source of authority, or sync is healthy",
    scope: "tenant",
    what: "Either the directory is cloud-only (onPremisesSyncEnabled null or false), or accounts are synchronized from on-premises AD and the last sync is recent (within 3 days — a product heuristic, not a number from the page).",
    why: "Azure AD must be the source of authority for all user accounts, or accounts must be synchronized from on-premises AD with Azure AD Connect to enable hybrid join.",
    evidence: "organization: onPremisesSyncEnabled, onPremisesLastSyncDateTime",
    fix: "If the last sync is old, check the Azure AD Connect / Entra Connect Sync server (service running, connector errors, staging mode) and run a delta sync.",
    source: "Prerequisites › Azure Active Directory (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    if let Some(f) = cx.unusable(
        DOC.id,
        Resource::Organization,
        "the directory source of authority cannot be checked",
    ) {
        return f;
    }
    let Some(org) = cx.org.as_ref() else {
        return Finding::not_evaluated(
            DOC.id,
            crate::status::Reason::MissingInput,
            "the organization export holds no record",
        );
    };
    let base = Evidence::new("organization")
        .id(org.id.text().unwrap_or(""))
        .name(org.name.text().unwrap_or(""))
        .at_src(org.src);
    match &org.sync_enabled {
        F::Bad(b) => Finding::error(
            DOC.id,
            format!(
                "organization.onPremisesSyncEnabled is unusable: {}",
                b.describe()
            ),
        )
        .with(base.field("onPremisesSyncEnabled")),
        F::Val(true) => {
            let limit = cx.profile.sync_stale_days;
            match &org.last_sync {
                F::Val(s) if !s.never => {
                    let age = cx.as_of.0 - s.at.0;
                    let ev = base
                        .field("onPremisesLastSyncDateTime")
                        .value(format_instant(s.at))
                        .required(format!(
                            "within {limit} days of {}",
                            format_instant(cx.as_of)
                        ));
                    if age > limit * DAY {
                        Finding::advisory(DOC.id, format!("accounts sync from on-premises AD, but the last sync was {} day(s) ago: the sync looks stalled", age / DAY))
                            .with(ev.note("the 3-day limit is a product heuristic"))
                    } else {
                        Finding::ready(
                            DOC.id,
                            "accounts sync from on-premises AD and the last sync is recent",
                        )
                        .with(ev)
                    }
                }
                F::Bad(b) => Finding::error(
                    DOC.id,
                    format!(
                        "organization.onPremisesLastSyncDateTime is unusable: {}",
                        b.describe()
                    ),
                )
                .with(base.field("onPremisesLastSyncDateTime")),
                _ => Finding::advisory(
                    DOC.id,
                    "sync from on-premises AD is enabled but no last sync time is recorded",
                )
                .with(base.field("onPremisesLastSyncDateTime").value("null")),
            }
        }
        F::Val(false) => Finding::ready(
            DOC.id,
            "Azure AD is the source of authority (directory sync was turned off)",
        )
        .with(base.field("onPremisesSyncEnabled").value("false")),
        F::Null => Finding::ready(
            DOC.id,
            "Azure AD is the source of authority (cloud-only directory)",
        )
        .with(base.field("onPremisesSyncEnabled").value("null")),
        F::Absent => Finding::not_evaluated(
            DOC.id,
            crate::status::Reason::MissingInput,
            "the organization export lacks onPremisesSyncEnabled",
        )
        .with(
            base.field("onPremisesSyncEnabled")
                .note("add onPremisesSyncEnabled,onPremisesLastSyncDateTime to $select"),
        ),
    }
}
