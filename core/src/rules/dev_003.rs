//! DEV-003 — the device contacted Intune in the last 28 days.

use super::shared::md_evidence;
use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev};
use crate::input::lenient::F;
use crate::report::Finding;
use crate::status::Reason;
use crate::time::{format_date, format_instant, Instant, DAY};

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-003",
    title: "In contact with Intune in the last 28 days",
    scope: "device",
    what: "The last Intune check-in (lastSyncDateTime) is at most 28 × 86 400 s before the evaluation instant; older than 21 days is advisory (it falls out of the window soon); 0001-01-01 means never.",
    why: "Devices must have communicated with Microsoft Intune in the last 28 days, otherwise they won't be registered with Autopatch.",
    evidence: "managedDevices: lastSyncDateTime",
    fix: "Turn the device on, connect it to the internet and sync it (Settings → Accounts → Access work or school → Info → Sync, or Sync from the Intune admin center); retire the record if the device is gone.",
    source: "Prerequisites › Device management (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(m) = d.md else {
        return super::dev_001_missing(DOC.id, d);
    };
    let limit = cx.profile.contact_days * DAY;
    let near = cx.profile.near_miss_days * DAY;
    if cx.quiet() {
        if let F::Val(s) = &m.last_sync {
            if !s.never && cx.as_of.0 - s.at.0 <= near.min(limit) {
                return Finding::ready(DOC.id, "");
            }
        }
    }
    let ev = md_evidence(cx, m, "lastSyncDateTime").required(format!(
        "within {} days of {}",
        cx.profile.contact_days,
        format_instant(cx.as_of)
    ));
    match &m.last_sync {
        F::Val(s) if s.never => Finding::not_ready(DOC.id, "has never checked in with Intune")
            .with(ev.value("0001-01-01T00:00:00Z")),
        F::Val(s) => {
            let age = cx.as_of.0 - s.at.0;
            let mut ev = ev.value(format_instant(s.at));
            if s.assumed_utc {
                ev = ev.note("the timestamp had no UTC offset and was read as UTC");
            }
            if age > limit {
                Finding::not_ready(
                    DOC.id,
                    format!(
                        "last check-in {} days ago (on {}), beyond the {}-day window",
                        age / DAY,
                        format_date(s.at),
                        cx.profile.contact_days
                    ),
                )
                .with(ev)
            } else if age > near {
                let out = Instant(s.at.0 + limit);
                Finding::advisory(
                    DOC.id,
                    format!(
                        "last check-in {} days ago: falls out of the {}-day window on {}",
                        age / DAY,
                        cx.profile.contact_days,
                        format_instant(out)
                    ),
                )
                .with(ev)
                .fix("Sync the device soon so it stays inside the 28-day window.")
            } else {
                Finding::ready(
                    DOC.id,
                    format!("last check-in {} day(s) ago", age.max(0) / DAY),
                )
                .with(ev)
            }
        }
        F::Bad(b) => Finding::error(
            DOC.id,
            format!("lastSyncDateTime is unusable: {}", b.describe()),
        )
        .with(ev),
        _ => Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            "the export has no lastSyncDateTime for this device",
        )
        .with(ev),
    }
}
