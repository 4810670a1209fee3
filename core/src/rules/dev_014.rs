//! DEV-014 — no Windows Update policy conflicts on the device (profile `current`).

use super::RuleDoc;
use crate::engine::{Cx, Dev};
use crate::report::{Evidence, Finding};

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-014",
    title: "No conflicting Windows Update policies",
    scope: "device",
    what: "None of the Windows Update policy values that Autopatch's readiness checks inspect is set under HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate: DoNotConnectToWindowsUpdateInternetLocations, DisableWindowsUpdateAccess, AU\\NoAutoUpdate (any value: not ready). WUServer, WUStatusServer and AU\\UseWUServer are reported by community sources only (advisory, and said so).",
    why: "These policies (from Group Policy, ConfigMgr client settings or imaging) stop Windows Update for Business policies from applying, so Autopatch cannot update the device.",
    evidence: "device evidence: registry values under HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate",
    fix: "Remove the values at their source (the GPO, the ConfigMgr client setting for Software Updates, LGPO in the image), then run gpupdate /force and re-run the device check.",
    source: "Conflicting configurations (ms.date 03/31/2025); Prerequisites › co-management (2024-09-16)",
    profiles: &["current"],
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let l = match super::shared::device_registry(cx, d, DOC.id) {
        Ok(l) => l,
        Err(f) => return f,
    };
    let mut conflicts = Vec::new();
    let mut community = Vec::new();
    let mut ev = Vec::new();
    for w in cx.profile.wu_conflicts {
        if let Some(r) = l.reg(w.path, w.name) {
            let shown = format!("{}\\{}", w.path, w.name);
            ev.push(
                Evidence::new("deviceEvidence")
                    .name(d.name)
                    .field(format!(
                        "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\{shown}"
                    ))
                    .value(r.value.str().unwrap_or("(set)").to_string())
                    .required("not set")
                    .at_src(l.src)
                    .note(if w.documented {
                        "in Microsoft's conflicting-configurations list"
                    } else {
                        "community-reported, not in Microsoft's list"
                    }),
            );
            if w.documented {
                conflicts.push(shown);
            } else {
                community.push(shown);
            }
        }
    }
    let unreadable: Vec<String> = cx
        .profile
        .wu_conflicts
        .iter()
        .filter(|w| w.documented)
        .filter(|w| {
            l.reg_entry(w.path, w.name)
                .is_some_and(|r| r.error.text().is_some())
        })
        .map(|w| format!("{}\\{}", w.path, w.name))
        .collect();
    if !conflicts.is_empty() {
        return Finding::not_ready(
            DOC.id,
            format!(
                "conflicting Windows Update policies set: {}",
                conflicts.join(", ")
            ),
        )
        .with_all(ev);
    }
    if !unreadable.is_empty() {
        return Finding::advisory(
            DOC.id,
            format!(
                "could not read {}: conflicts cannot be ruled out",
                unreadable.join(", ")
            ),
        )
        .with_all(ev);
    }
    if !community.is_empty() {
        return Finding::advisory(
            DOC.id,
            format!("WSUS policy values set ({}); community sources report Autopatch flags them, Microsoft's list does not", community.join(", ")),
        )
        .with_all(ev);
    }
    Finding::ready(DOC.id, "no conflicting Windows Update policy values").with(
        Evidence::new("deviceEvidence")
            .name(d.name)
            .field("WindowsUpdate policies")
            .value("none set")
            .at_src(l.src),
    )
}
