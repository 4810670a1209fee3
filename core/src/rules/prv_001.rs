//! PRV-001 — data and privacy (a notice).

use super::{RuleDoc, SEED};
use crate::engine::Cx;
use crate::report::{Evidence, Finding};

pub const DOC: RuleDoc = RuleDoc {
    id: "PRV-001",
    title: "Data and privacy",
    scope: "tenant",
    what: "A notice: read the Windows Autopatch privacy statement before enrolling. Never changes the verdict.",
    why: "The prerequisites page points admins to the Windows Autopatch privacy practices.",
    evidence: "none",
    fix: "Read https://learn.microsoft.com/windows/deployment/windows-autopatch/overview/windows-autopatch-privacy with your privacy officer.",
    source: "Prerequisites › Data and privacy (2022-05-30)",
    profiles: SEED,
};

pub fn check(_: &Cx) -> Finding {
    Finding::info(DOC.id, "read the Windows Autopatch privacy statement before enrolling devices")
        .with(Evidence::new("documentation").note("https://learn.microsoft.com/windows/deployment/windows-autopatch/overview/windows-autopatch-privacy"))
        .fix(DOC.fix)
}
