//! IDN-002 — synchronization uses a supported Azure AD Connect version.

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::input::lenient::F;
use crate::model::Resource;
use crate::profile::tables::{sync_support, SyncSupport};
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "IDN-002",
    title: "Azure AD Connect is a supported, current version",
    scope: "tenant",
    what: "When accounts are synchronized (IDN-001), the sync client version is still supported on the evaluation date and is the latest known release: all 1.x versions retired on 2022-08-31; since 2023-03-15 a 2.x version retires 12 months after a newer one is released.",
    why: "The page requires the latest supported version of Azure Active Directory Connect; retired versions may stop synchronizing.",
    evidence: "beta directory/onPremisesSynchronization: configuration.synchronizationClientVersion, or --sync-client-version; the version table shipped with the rules",
    fix: "Upgrade Azure AD Connect / Entra Connect Sync to the latest release (automatic upgrade, or download from the Entra admin center).",
    source: "Prerequisites › Azure Active Directory; Azure AD Connect version release history",
    profiles: SEED,
};

pub fn check(cx: &Cx) -> Finding {
    let Some(org) = cx.org.as_ref() else {
        return Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            "without the organization export it is unknown whether accounts are synchronized",
        )
        .with(Evidence::new("organization").note(Resource::Organization.how_to_export()));
    };
    match org.sync_enabled {
        F::Val(true) => {}
        F::Absent => {
            return Finding::not_evaluated(
                DOC.id,
                Reason::MissingInput,
                "the organization export lacks onPremisesSyncEnabled",
            )
        }
        _ => {
            return Finding::not_applicable(
                DOC.id,
                "cloud-only directory: no sync client is in use",
            )
        }
    }
    let (version, ev) = match cx
        .settings
        .sync_client_version
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        Some(v) => (
            v.trim().to_string(),
            Evidence::new("option")
                .field("--sync-client-version")
                .value(v.trim().to_string()),
        ),
        None => {
            let found = cx.ev.syncs.iter().find_map(|s| match &s.client_version {
                F::Val(v) if !v.trim().is_empty() => Some((v.trim().to_string(), s.src, None)),
                F::Bad(b) => Some((String::new(), s.src, Some(b.describe()))),
                _ => None,
            });
            match found {
                Some((_, src, Some(bad))) => {
                    return Finding::error(
                        DOC.id,
                        format!("configuration.synchronizationClientVersion is unusable: {bad}"),
                    )
                    .with(Evidence::new("onPremisesSynchronization").at_src(src))
                }
                Some((v, src, None)) => (
                    v.clone(),
                    Evidence::new("onPremisesSynchronization")
                        .field("configuration.synchronizationClientVersion")
                        .value(v)
                        .at_src(src),
                ),
                None => {
                    return Finding::not_evaluated(
                        DOC.id,
                        Reason::MissingInput,
                        "accounts are synchronized but the sync client version was not supplied",
                    )
                    .with(
                        Evidence::new("onPremisesSynchronization")
                            .note(Resource::OnPremisesSynchronization.how_to_export()),
                    )
                }
            }
        }
    };
    match sync_support(&version, cx.as_of) {
        SyncSupport::Retired(why) => Finding::not_ready(
            DOC.id,
            format!("Azure AD Connect {version} is retired: {why}"),
        )
        .with(ev.required("a supported version")),
        SyncSupport::Outdated(why) => Finding::advisory(
            DOC.id,
            format!("Azure AD Connect {version} is supported but not the latest: {why}"),
        )
        .with(ev),
        SyncSupport::Latest => Finding::ready(
            DOC.id,
            format!("Azure AD Connect {version} is supported and current"),
        )
        .with(ev),
    }
}
