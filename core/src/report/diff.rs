//! `apready diff OLD NEW`: what changed between two JSON reports (`apready.report/1`).
//!
//! Lists the verdict change, tenant checks whose status (or reason) changed, devices added and
//! removed, and devices whose verdict or any finding's status changed (devices are matched by
//! id). Two reports that cannot be compared finding by finding — different profiles, different
//! tenants, or pseudonyms made under different redaction keys (or only one report redacted) —
//! are reported as such, with the verdicts and counts only, instead of a list of spurious
//! changes.
//!
//! Exit code ([`Diff::exit_code`]): 0 when nothing changed, 1 when something changed or the
//! reports cannot be compared, 64 when an input is not a report (see [`parse`]).
//! The `as_of` instants alone do not count as a change.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::md::esc;
use super::SCHEMA;

pub const DIFF_SCHEMA: &str = "apready.diff/1";
/// Entries listed per section in text and Markdown (JSON lists all).
pub const LIST_LIMIT: usize = 500;

#[derive(Debug, Clone, Deserialize)]
struct In {
    profile: String,
    #[serde(default)]
    as_of: String,
    verdict: String,
    #[serde(default)]
    redacted: bool,
    #[serde(default)]
    redaction: Option<InRedaction>,
    #[serde(default)]
    tenant: InTenant,
    #[serde(default)]
    checks: Vec<InFinding>,
    devices: InDevices,
}

#[derive(Debug, Clone, Deserialize)]
struct InRedaction {
    #[serde(default)]
    fingerprint: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct InTenant {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct InFinding {
    id: String,
    status: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    message: String,
}

#[derive(Debug, Clone, Deserialize)]
struct InDevices {
    total: u64,
    ready: u64,
    advisory: u64,
    not_ready: u64,
    error: u64,
    #[serde(default)]
    out_of_scope: u64,
    #[serde(default)]
    items: Vec<InDevice>,
}

#[derive(Debug, Clone, Deserialize)]
struct InDevice {
    id: String,
    #[serde(default)]
    name: String,
    verdict: String,
    #[serde(default)]
    findings: Vec<InFinding>,
}

/// Device counts of one report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Counts {
    pub total: u64,
    pub ready: u64,
    pub advisory: u64,
    pub not_ready: u64,
    pub error: u64,
    pub out_of_scope: u64,
}

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub profile: String,
    pub as_of: String,
    pub verdict: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    pub redacted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    pub devices: Counts,
}

/// A status with its reason (`not_evaluated`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct State {
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl State {
    fn text(&self) -> String {
        match &self.reason {
            Some(r) => format!("{} ({r})", self.status),
            None => self.status.clone(),
        }
    }
}

fn state_text(s: &Option<State>) -> String {
    s.as_ref().map_or_else(|| "absent".to_string(), State::text)
}

/// A check (tenant or device finding) whose state changed; `None` where it is absent.
#[derive(Debug, Clone, Serialize)]
pub struct CheckChange {
    pub id: String,
    pub old: Option<State>,
    pub new: Option<State>,
    /// The new message (the old one when the check was removed).
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceRef {
    pub id: String,
    pub name: String,
    pub verdict: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceChange {
    pub id: String,
    pub name: String,
    pub old_verdict: String,
    pub new_verdict: String,
    pub findings: Vec<CheckChange>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DeviceChanges {
    pub added: Vec<DeviceRef>,
    pub removed: Vec<DeviceRef>,
    pub changed: Vec<DeviceChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerdictChange {
    pub old: String,
    pub new: String,
}

/// The comparison (`apready.diff/1`).
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub schema: &'static str,
    /// Anything changed (or the reports cannot be compared).
    pub changed: bool,
    /// False when the reports cannot be compared check by check; `notes` says why.
    pub comparable: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub old: Side,
    pub new: Side,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictChange>,
    pub checks: Vec<CheckChange>,
    pub devices: DeviceChanges,
}

impl Diff {
    /// 0: nothing changed; 1: something changed, or the reports cannot be compared.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.changed)
    }
}

fn rank(v: &str) -> u8 {
    match v {
        "not_ready" => 3,
        "error" => 2,
        "advisory" => 1,
        _ => 0,
    }
}

fn state(f: &InFinding) -> State {
    State {
        status: f.status.clone(),
        reason: f.reason.clone(),
    }
}

fn side(r: &In) -> Side {
    Side {
        profile: r.profile.clone(),
        as_of: r.as_of.clone(),
        verdict: r.verdict.clone(),
        tenant: r.tenant.name.clone().or_else(|| r.tenant.id.clone()),
        redacted: r.redacted,
        fingerprint: r.redaction.as_ref().map(|x| x.fingerprint.clone()),
        devices: Counts {
            total: r.devices.total,
            ready: r.devices.ready,
            advisory: r.devices.advisory,
            not_ready: r.devices.not_ready,
            error: r.devices.error,
            out_of_scope: r.devices.out_of_scope,
        },
    }
}

/// Findings whose state differs, in the new report's order, then removed ones.
fn finding_changes(old: &[InFinding], new: &[InFinding]) -> Vec<CheckChange> {
    let before: HashMap<&str, &InFinding> = old.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut out = Vec::new();
    for f in new {
        let o = before.get(f.id.as_str()).map(|x| state(x));
        let n = Some(state(f));
        if o != n {
            out.push(CheckChange {
                id: f.id.clone(),
                old: o,
                new: n,
                message: f.message.clone(),
            });
        }
    }
    let after: HashMap<&str, ()> = new.iter().map(|f| (f.id.as_str(), ())).collect();
    for f in old {
        if !after.contains_key(f.id.as_str()) {
            out.push(CheckChange {
                id: f.id.clone(),
                old: Some(state(f)),
                new: None,
                message: f.message.clone(),
            });
        }
    }
    out
}

fn parse_one(what: &str, text: &str) -> Result<In, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{what} report is not JSON: {e}"))?;
    match v.get("schema").and_then(|s| s.as_str()) {
        Some(SCHEMA) => {}
        Some(other) => {
            return Err(format!(
                "{what} report has schema \"{other}\", expected \"{SCHEMA}\""
            ))
        }
        None => {
            return Err(format!(
                "{what} input is not an apready report (no \"schema\": \"{SCHEMA}\")"
            ))
        }
    }
    serde_json::from_value(v).map_err(|e| format!("{what} report is malformed: {e}"))
}

/// Compares two reports given as JSON text. `Err` (a usage error, exit 64) when either is not
/// an `apready.report/1` report.
pub fn parse(old: &str, new: &str) -> Result<Diff, String> {
    let a = parse_one("old", old)?;
    let b = parse_one("new", new)?;
    Ok(compare(&a, &b))
}

fn compare(a: &In, b: &In) -> Diff {
    let mut notes = Vec::new();
    if a.profile != b.profile {
        notes.push(format!(
            "the reports use different profiles ({} and {}): their checks and parameters differ, so only the verdicts and counts are compared; evaluate both with the same --profile to see what changed",
            a.profile, b.profile
        ));
    }
    let fa = a.redaction.as_ref().map(|x| x.fingerprint.as_str());
    let fb = b.redaction.as_ref().map(|x| x.fingerprint.as_str());
    if a.redacted != b.redacted {
        notes.push("only one of the reports is redacted, so device ids and names cannot be matched: only the verdicts and counts are compared; redact both with the same key".into());
    } else if a.redacted && fa != fb {
        notes.push("the reports were redacted with different keys (their fingerprints differ), so pseudonyms cannot be matched: only the verdicts and counts are compared; redact both with the same key".into());
    } else if let (Some(x), Some(y)) = (&a.tenant.id, &b.tenant.id) {
        if !x.eq_ignore_ascii_case(y) {
            notes.push(
                "the reports are about different tenants: only the verdicts and counts are compared"
                    .into(),
            );
        }
    }
    let comparable = notes.is_empty();
    let old = side(a);
    let new = side(b);
    let verdict = (a.verdict != b.verdict).then(|| VerdictChange {
        old: a.verdict.clone(),
        new: b.verdict.clone(),
    });
    let mut checks = Vec::new();
    let mut devices = DeviceChanges::default();
    if comparable {
        checks = finding_changes(&a.checks, &b.checks);
        let before: BTreeMap<&str, &InDevice> =
            a.devices.items.iter().map(|d| (d.id.as_str(), d)).collect();
        let after: BTreeMap<&str, &InDevice> =
            b.devices.items.iter().map(|d| (d.id.as_str(), d)).collect();
        for d in &b.devices.items {
            match before.get(d.id.as_str()) {
                None => devices.added.push(DeviceRef {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    verdict: d.verdict.clone(),
                }),
                Some(o) => {
                    let findings = finding_changes(&o.findings, &d.findings);
                    if o.verdict != d.verdict || !findings.is_empty() {
                        devices.changed.push(DeviceChange {
                            id: d.id.clone(),
                            name: d.name.clone(),
                            old_verdict: o.verdict.clone(),
                            new_verdict: d.verdict.clone(),
                            findings,
                        });
                    }
                }
            }
        }
        for d in &a.devices.items {
            if !after.contains_key(d.id.as_str()) {
                devices.removed.push(DeviceRef {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    verdict: d.verdict.clone(),
                });
            }
        }
        let by_name = |x: &str, y: &str, i: &str, j: &str| {
            x.to_lowercase()
                .cmp(&y.to_lowercase())
                .then_with(|| x.cmp(y))
                .then_with(|| i.cmp(j))
        };
        devices.added.sort_by(|x, y| {
            rank(&y.verdict)
                .cmp(&rank(&x.verdict))
                .then_with(|| by_name(&x.name, &y.name, &x.id, &y.id))
        });
        devices
            .removed
            .sort_by(|x, y| by_name(&x.name, &y.name, &x.id, &y.id));
        // Got worse first, then got better; worst new verdict first.
        devices.changed.sort_by(|x, y| {
            let worse = |c: &DeviceChange| rank(&c.new_verdict) > rank(&c.old_verdict);
            worse(y)
                .cmp(&worse(x))
                .then_with(|| rank(&y.new_verdict).cmp(&rank(&x.new_verdict)))
                .then_with(|| by_name(&x.name, &y.name, &x.id, &y.id))
        });
    }
    let changed = !comparable
        || verdict.is_some()
        || old.devices != new.devices
        || !checks.is_empty()
        || !devices.added.is_empty()
        || !devices.removed.is_empty()
        || !devices.changed.is_empty();
    Diff {
        schema: DIFF_SCHEMA,
        changed,
        comparable,
        notes,
        old,
        new,
        verdict,
        checks,
        devices,
    }
}

impl Diff {
    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_else(|_| b"{}".to_vec());
        v.push(b'\n');
        v
    }

    fn counts_line(&self) -> String {
        let (a, b) = (&self.old.devices, &self.new.devices);
        let pair = |x: u64, y: u64| {
            if x == y {
                x.to_string()
            } else {
                format!("{x} → {y}")
            }
        };
        format!(
            "{} in scope · {} ready · {} advisory · {} not ready · {} error · {} out of scope",
            pair(a.total, b.total),
            pair(a.ready, b.ready),
            pair(a.advisory, b.advisory),
            pair(a.not_ready, b.not_ready),
            pair(a.error, b.error),
            pair(a.out_of_scope, b.out_of_scope)
        )
    }

    fn verdict_line(&self) -> String {
        match &self.verdict {
            Some(v) => format!("{} → {}", v.old, v.new),
            None => format!("{} (unchanged)", self.new.verdict),
        }
    }

    fn device_label(name: &str, id: &str) -> String {
        if name.is_empty() {
            id.to_string()
        } else {
            format!("{name} ({id})")
        }
    }

    /// Plain text for a terminal.
    pub fn text(&self) -> String {
        let mut o = String::new();
        let profile = if self.old.profile == self.new.profile {
            self.new.profile.clone()
        } else {
            format!("{} → {}", self.old.profile, self.new.profile)
        };
        let _ = writeln!(
            o,
            "apready diff · profile {profile} · as of {} → {}",
            self.old.as_of, self.new.as_of
        );
        for n in &self.notes {
            let _ = writeln!(o, "note: {n}");
        }
        let _ = writeln!(o, "Verdict: {}", self.verdict_line());
        let _ = writeln!(o, "Devices: {}", self.counts_line());
        if !self.changed {
            let _ = writeln!(o);
            let _ = writeln!(o, "No changes.");
            return o;
        }
        if !self.checks.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "Tenant checks changed ({})", self.checks.len());
            for c in self.checks.iter().take(LIST_LIMIT) {
                let _ = writeln!(
                    o,
                    "  {:<8} {} → {}: {}",
                    c.id,
                    state_text(&c.old),
                    state_text(&c.new),
                    c.message
                );
            }
            more(&mut o, self.checks.len());
        }
        let dc = &self.devices;
        if !dc.added.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "Devices added ({})", dc.added.len());
            for d in dc.added.iter().take(LIST_LIMIT) {
                let _ = writeln!(
                    o,
                    "  + {}: {}",
                    Self::device_label(&d.name, &d.id),
                    d.verdict
                );
            }
            more(&mut o, dc.added.len());
        }
        if !dc.removed.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "Devices removed ({})", dc.removed.len());
            for d in dc.removed.iter().take(LIST_LIMIT) {
                let _ = writeln!(
                    o,
                    "  - {}: was {}",
                    Self::device_label(&d.name, &d.id),
                    d.verdict
                );
            }
            more(&mut o, dc.removed.len());
        }
        if !dc.changed.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "Devices changed ({})", dc.changed.len());
            for d in dc.changed.iter().take(LIST_LIMIT) {
                let _ = writeln!(
                    o,
                    "  ~ {}: {} → {}",
                    Self::device_label(&d.name, &d.id),
                    d.old_verdict,
                    d.new_verdict
                );
                for f in &d.findings {
                    let _ = writeln!(
                        o,
                        "      {} {} → {}: {}",
                        f.id,
                        state_text(&f.old),
                        state_text(&f.new),
                        f.message
                    );
                }
            }
            more(&mut o, dc.changed.len());
        }
        o
    }

    /// Markdown for a ticket; every value escaped.
    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "# Windows Autopatch readiness: what changed");
        let _ = writeln!(o);
        let _ = writeln!(o, "| | Old | New |");
        let _ = writeln!(o, "|---|---|---|");
        let _ = writeln!(
            o,
            "| Profile | {} | {} |",
            esc(&self.old.profile),
            esc(&self.new.profile)
        );
        let _ = writeln!(
            o,
            "| As of | {} | {} |",
            esc(&self.old.as_of),
            esc(&self.new.as_of)
        );
        let _ = writeln!(
            o,
            "| Verdict | {} | {} |",
            esc(&self.old.verdict),
            esc(&self.new.verdict)
        );
        let (a, b) = (&self.old.devices, &self.new.devices);
        for (label, x, y) in [
            ("Devices in scope", a.total, b.total),
            ("Ready", a.ready, b.ready),
            ("Advisory", a.advisory, b.advisory),
            ("Not ready", a.not_ready, b.not_ready),
            ("Error", a.error, b.error),
            ("Out of scope", a.out_of_scope, b.out_of_scope),
        ] {
            let _ = writeln!(o, "| {label} | {x} | {y} |");
        }
        for n in &self.notes {
            let _ = writeln!(o);
            let _ = writeln!(o, "> **Note:** {}", esc(n));
        }
        if !self.changed {
            let _ = writeln!(o);
            let _ = writeln!(o, "No changes.");
            return o;
        }
        if !self.checks.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "## Tenant checks changed ({})", self.checks.len());
            let _ = writeln!(o);
            let _ = writeln!(o, "| Check | Old | New | Now |");
            let _ = writeln!(o, "|---|---|---|---|");
            for c in self.checks.iter().take(LIST_LIMIT) {
                let _ = writeln!(
                    o,
                    "| **{}** | {} | {} | {} |",
                    esc(&c.id),
                    esc(&state_text(&c.old)),
                    esc(&state_text(&c.new)),
                    esc(&c.message)
                );
            }
            more_md(&mut o, self.checks.len());
        }
        let dc = &self.devices;
        for (title, list, verb) in [
            ("Devices added", &dc.added, "now"),
            ("Devices removed", &dc.removed, "was"),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(o);
            let _ = writeln!(o, "## {title} ({})", list.len());
            let _ = writeln!(o);
            let _ = writeln!(o, "| Device | Id | Verdict ({verb}) |");
            let _ = writeln!(o, "|---|---|---|");
            for d in list.iter().take(LIST_LIMIT) {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} |",
                    esc(&d.name),
                    esc(&d.id),
                    esc(&d.verdict)
                );
            }
            more_md(&mut o, list.len());
        }
        if !dc.changed.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "## Devices changed ({})", dc.changed.len());
            let _ = writeln!(o);
            let _ = writeln!(o, "| Device | Id | Verdict | Findings |");
            let _ = writeln!(o, "|---|---|---|---|");
            for d in dc.changed.iter().take(LIST_LIMIT) {
                let f: Vec<String> = d
                    .findings
                    .iter()
                    .map(|f| {
                        format!(
                            "**{}** {} → {}: {}",
                            esc(&f.id),
                            esc(&state_text(&f.old)),
                            esc(&state_text(&f.new)),
                            esc(&f.message)
                        )
                    })
                    .collect();
                let _ = writeln!(
                    o,
                    "| {} | {} | {} → {} | {} |",
                    esc(&d.name),
                    esc(&d.id),
                    esc(&d.old_verdict),
                    esc(&d.new_verdict),
                    f.join("<br>")
                );
            }
            more_md(&mut o, dc.changed.len());
        }
        o
    }
}

fn more(o: &mut String, n: usize) {
    if n > LIST_LIMIT {
        let _ = writeln!(o, "  … and {} more (see --format json)", n - LIST_LIMIT);
    }
}

fn more_md(o: &mut String, n: usize) {
    if n > LIST_LIMIT {
        let _ = writeln!(o);
        let _ = writeln!(o, "… and {} more (see the JSON diff)", n - LIST_LIMIT);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn report(profile: &str, verdict: &str, devices: &str) -> String {
        format!(
            r#"{{"schema":"apready.report/1","profile":"{profile}","as_of":"2022-06-15T00:00:00Z","verdict":"{verdict}","redacted":false,"tenant":{{"id":"t1","name":"T"}},
            "checks":[{{"id":"LIC-001","status":"ready","message":"ok"}},{{"id":"LIC-002","status":"advisory","message":"some"}}],
            "devices":{{"total":2,"ready":1,"advisory":0,"not_ready":1,"error":0,"out_of_scope":0,"items":{devices}}}}}"#
        )
    }

    const TWO: &str = r#"[{"id":"a","name":"A","verdict":"not_ready","findings":[{"id":"DEV-003","status":"not_ready","message":"old"}]},{"id":"b","name":"B","verdict":"ready","findings":[]}]"#;

    #[test]
    fn identical_reports_do_not_change() -> Result<(), String> {
        let r = report("2022-05", "advisory", TWO);
        let d = parse(&r, &r)?;
        assert!(!d.changed);
        assert_eq!(d.exit_code(), 0);
        assert!(d.text().contains("No changes."));
        Ok(())
    }

    #[test]
    fn lists_device_changes() -> Result<(), String> {
        let a = report("2022-05", "advisory", TWO);
        let b = report(
            "2022-05",
            "not_ready",
            r#"[{"id":"a","name":"A","verdict":"ready","findings":[{"id":"DEV-003","status":"ready","message":"new"}]},{"id":"c","name":"C","verdict":"ready","findings":[]}]"#,
        );
        let d = parse(&a, &b)?;
        assert!(d.changed);
        assert_eq!(d.exit_code(), 1);
        assert_eq!(d.devices.added.len(), 1);
        assert_eq!(d.devices.removed.len(), 1);
        assert_eq!(d.devices.changed.len(), 1);
        assert_eq!(d.devices.changed[0].findings[0].id, "DEV-003");
        assert!(d.verdict.is_some());
        Ok(())
    }

    #[test]
    fn different_profiles_are_not_compared_check_by_check() -> Result<(), String> {
        let a = report("2022-05", "advisory", TWO);
        let b = report("current", "advisory", "[]");
        let d = parse(&a, &b)?;
        assert!(!d.comparable && d.changed);
        assert!(d.devices.removed.is_empty() && d.checks.is_empty());
        assert!(d.text().contains("different profiles"));
        Ok(())
    }

    #[test]
    fn rejects_non_reports() {
        assert!(parse("{}", "{}").is_err());
        assert!(parse("nope", "{}").is_err());
    }
}
