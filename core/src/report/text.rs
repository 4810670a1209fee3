//! The plain-text summary: verdict first, then what fails and why, then device counts.

use super::html::visible_line as v;
use super::Report;
use crate::status::{Status, Verdict};
use std::fmt::Write;

fn mark(s: Status) -> &'static str {
    match s {
        Status::Ready => "ok ",
        Status::Advisory => "!  ",
        Status::NotReady => "x  ",
        Status::Error => "E  ",
        Status::NotEvaluated => "?  ",
        Status::NotApplicable => "-  ",
        Status::Info => "i  ",
    }
}

fn headline(v: Verdict) -> &'static str {
    match v {
        Verdict::Ready => "READY — the tenant meets the Windows Autopatch prerequisites checked",
        Verdict::Advisory => "ADVISORY — ready, with points that need attention",
        Verdict::NotReady => "NOT READY — prerequisites are not met",
        Verdict::Error => "ERROR — some input could not be used; the result is incomplete",
    }
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", headline(r.verdict));
    let tenant = r
        .tenant
        .name
        .clone()
        .or(r.tenant.id.clone())
        .unwrap_or_else(|| "(tenant unknown)".into());
    let _ = writeln!(
        o,
        "tenant {} · profile {} · as of {}{}",
        v(&tenant),
        r.profile,
        r.as_of,
        if r.redacted { " · redacted" } else { "" }
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "Tenant checks");
    for c in &r.checks {
        let reason = c
            .reason
            .map(|x| format!(" ({})", x.as_str()))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {} {:<8} {}{}",
            mark(c.status),
            c.id,
            v(&c.message),
            reason
        );
        if matches!(
            c.status,
            Status::NotReady | Status::Error | Status::Advisory
        ) {
            for e in c.evidence.iter().take(3) {
                let mut line = String::new();
                if let Some(n) = e.object_name.as_ref().or(e.object_id.as_ref()) {
                    let _ = write!(line, "{n} ");
                }
                if let Some(f) = &e.field {
                    let _ = write!(line, "{f}");
                }
                if let Some(v) = &e.value {
                    let _ = write!(line, " = {v}");
                }
                if let Some(q) = &e.required {
                    let _ = write!(line, " (needs {q})");
                }
                if let Some(n) = &e.note {
                    let _ = write!(line, " — {n}");
                }
                let _ = writeln!(o, "               {}: {}", e.resource, v(line.trim()));
            }
            if !c.remediation.is_empty() && c.status != Status::Advisory {
                let _ = writeln!(o, "               fix: {}", v(&c.remediation));
            }
        }
    }
    let d = &r.devices;
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Devices: {} in scope — {} ready, {} advisory, {} not ready, {} error; {} out of scope",
        d.total, d.ready, d.advisory, d.not_ready, d.error, d.out_of_scope
    );
    let failing: Vec<_> = d
        .items
        .iter()
        .filter(|i| matches!(i.verdict, Verdict::NotReady | Verdict::Error))
        .collect();
    for item in failing.iter().take(25) {
        let reasons: Vec<String> = item
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::NotReady | Status::Error))
            .map(|f| format!("{} {}", f.id, v(&f.message)))
            .collect();
        let name = if item.name.is_empty() {
            &item.id
        } else {
            &item.name
        };
        let _ = writeln!(o, "  x {}: {}", v(name), reasons.join("; "));
    }
    if failing.len() > 25 {
        let _ = writeln!(
            o,
            "  … and {} more not-ready devices (see --format json or html)",
            failing.len() - 25
        );
    }
    if !r.coverage.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Not checked");
        for c in &r.coverage {
            let _ = writeln!(
                o,
                "  {} [{}]: {}",
                c.reason.as_str(),
                c.checks.join(", "),
                v(&c.how_to_supply)
            );
        }
    }
    let bad: Vec<_> = r
        .inputs
        .iter()
        .filter(|i| i.error.is_some() || i.truncated)
        .collect();
    if !bad.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Inputs");
        for i in bad {
            match &i.error {
                Some(e) => {
                    let _ = writeln!(o, "  E {}: {}", v(&i.file), v(e));
                }
                None => {
                    let _ = writeln!(
                        o,
                        "  ! {}: truncated ({} page(s) seen)",
                        v(&i.file),
                        i.pages
                    );
                }
            }
        }
    }
    o
}
