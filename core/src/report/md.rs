//! Markdown for a ticket or a wiki page (CommonMark + GitHub tables).
//!
//! Every value from the input goes through [`esc`]: Markdown punctuation is backslash-escaped
//! (`\ ` * _ [ ] | ~ { }`), `<`, `>` and `&` become entities (so no raw HTML and no autolink
//! survives), line breaks become spaces (a table row stays one row), a leading `#`, `+`, `-`,
//! `=` or `1.` cannot start a heading or a list, and invisible bidirectional controls are shown
//! as `⟪U+202E⟫`.

use std::fmt::Write;

use super::html::visible;
use super::{Finding, Report};
use crate::status::{Status, Verdict};

/// Device rows listed before the rest are counted.
pub const DEVICE_ROWS: usize = 500;
/// Evidence items listed per failing tenant check.
pub const EVIDENCE_ITEMS: usize = 20;

/// A value made inert for Markdown, inline or in a table cell.
pub fn esc(s: &str) -> String {
    let v = visible(s);
    let mut o = String::with_capacity(v.len() + 8);
    // Only digits so far: a following `.` or `)` would start an ordered list.
    let mut digits = 0usize;
    for (i, c) in v.chars().enumerate() {
        let leading_number = digits == i && digits > 0;
        if c.is_ascii_digit() && digits == i {
            digits += 1;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '{' | '}' | '$' => {
                o.push('\\');
                o.push(c);
            }
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '\n' | '\r' | '\t' => o.push(' '),
            '#' | '+' | '-' | '=' | '!' if i == 0 => {
                o.push('\\');
                o.push(c);
            }
            '.' | ')' if leading_number => {
                o.push('\\');
                o.push(c);
            }
            _ => o.push(c),
        }
    }
    o
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Ready => "✅ ready",
        Status::Advisory => "⚠️ advisory",
        Status::NotReady => "❌ not ready",
        Status::Error => "⛔ error",
        Status::NotEvaluated => "❔ not checked",
        Status::NotApplicable => "➖ not applicable",
        Status::Info => "ℹ️ info",
    }
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Ready => "✅ Ready — the tenant meets every prerequisite checked",
        Verdict::Advisory => "⚠️ Advisory — ready, with points to review",
        Verdict::NotReady => "❌ Not ready — prerequisites are not met",
        Verdict::Error => "⛔ Error — some input could not be used; the result is incomplete",
    }
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Ready => "✅ ready",
        Verdict::Advisory => "⚠️ advisory",
        Verdict::NotReady => "❌ not ready",
        Verdict::Error => "⛔ error",
    }
}

fn attention(f: &Finding) -> bool {
    matches!(f.rollup(), Some(v) if v != Verdict::Ready)
}

fn title(id: &str) -> &'static str {
    crate::rules::find(id).map_or("", |r| r.doc.title)
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let tenant = r
        .tenant
        .name
        .as_deref()
        .or(r.tenant.id.as_deref())
        .unwrap_or("tenant not identified");
    let _ = writeln!(o, "# Windows Autopatch readiness: {}", esc(tenant));
    let _ = writeln!(o);
    let _ = writeln!(o, "**{}**", verdict(r.verdict));
    let _ = writeln!(o);
    let redaction = match &r.redaction {
        Some(x) => format!("redacted ({}, key fingerprint {})", x.method, x.fingerprint),
        None if r.redacted => "redacted".to_string(),
        None => "not redacted".to_string(),
    };
    let _ = writeln!(o, "| Profile | Rules reviewed | As of | Tool | Redaction |");
    let _ = writeln!(o, "|---|---|---|---|---|");
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} {} | {} |",
        r.profile,
        r.rules_reviewed,
        esc(&r.as_of),
        r.tool.name,
        r.tool.version,
        redaction
    );
    let d = &r.devices;
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Devices in scope: **{}** — {} ready · {} advisory · {} not ready · {} error · {} out of scope",
        d.total, d.ready, d.advisory, d.not_ready, d.error, d.out_of_scope
    );

    let _ = writeln!(o);
    let _ = writeln!(o, "## Tenant checks");
    let _ = writeln!(o);
    let _ = writeln!(o, "| Check | Status | Result |");
    let _ = writeln!(o, "|---|---|---|");
    for c in &r.checks {
        let reason = c
            .reason
            .map(|x| format!(" ({})", x.as_str()))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "| **{}** {} | {}{} | {} |",
            c.id,
            title(c.id),
            status(c.status),
            reason,
            esc(&c.message)
        );
    }

    let mut failing: Vec<&Finding> = r.checks.iter().filter(|c| attention(c)).collect();
    failing.sort_by_key(|c| match c.status {
        Status::NotReady => 0,
        Status::Error => 1,
        Status::Advisory => 2,
        _ => 3,
    });
    if !failing.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "## Needs attention");
        for c in failing {
            let _ = writeln!(o);
            let _ = writeln!(o, "### {} · {} ({})", c.id, title(c.id), status(c.status));
            let _ = writeln!(o);
            let _ = writeln!(o, "{}", esc(&c.message));
            if !c.evidence.is_empty() {
                let _ = writeln!(o);
                for e in c.evidence.iter().take(EVIDENCE_ITEMS) {
                    let _ = writeln!(o, "- {}", esc(&super::csv::evidence_line(e)));
                }
                if c.evidence.len() > EVIDENCE_ITEMS {
                    let _ = writeln!(
                        o,
                        "- … and {} more (see the JSON report)",
                        c.evidence.len() - EVIDENCE_ITEMS
                    );
                }
            }
            if !c.remediation.is_empty() {
                let _ = writeln!(o);
                let _ = writeln!(o, "**How to fix:** {}", esc(&c.remediation));
            }
        }
    }

    if !r.coverage.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "## Not checked");
        let _ = writeln!(o);
        let _ = writeln!(o, "| Reason | Checks | Devices | How to supply |");
        let _ = writeln!(o, "|---|---|---|---|");
        for c in &r.coverage {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                c.reason.as_str(),
                c.checks.join(", "),
                c.devices,
                esc(&c.how_to_supply)
            );
        }
    }

    let needing: Vec<_> = d
        .items
        .iter()
        .filter(|i| i.verdict != Verdict::Ready)
        .collect();
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "## Devices that need attention ({} of {})",
        needing.len(),
        d.total
    );
    let _ = writeln!(o);
    if needing.is_empty() {
        let _ = writeln!(o, "Every device in scope meets the requirements checked.");
    } else {
        let _ = writeln!(o, "| Device | Id | Verdict | What needs attention |");
        let _ = writeln!(o, "|---|---|---|---|");
        for i in needing.iter().take(DEVICE_ROWS) {
            let what: Vec<String> = i
                .findings
                .iter()
                .filter(|f| attention(f))
                .map(|f| format!("**{}** {}", f.id, esc(&f.message)))
                .collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                if i.name.is_empty() {
                    "(no name)".to_string()
                } else {
                    esc(&i.name)
                },
                esc(&i.id),
                verdict_word(i.verdict),
                what.join("<br>")
            );
        }
        if needing.len() > DEVICE_ROWS {
            let _ = writeln!(o);
            let _ = writeln!(
                o,
                "… and {} more devices that need attention: see the CSV or JSON report.",
                needing.len() - DEVICE_ROWS
            );
        }
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "## Inputs");
    let _ = writeln!(o);
    if r.inputs.is_empty() {
        let _ = writeln!(o, "No input files.");
    } else {
        let _ = writeln!(o, "| File | Resource | API | Records | Pages | State |");
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for i in &r.inputs {
            let state = match (&i.error, i.truncated) {
                (Some(e), _) => format!("unusable: {}", esc(e)),
                (None, true) => "truncated".to_string(),
                (None, false) => format!("read ({})", i.encoding),
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                esc(&i.file),
                i.resource.unwrap_or("unrecognised"),
                i.api,
                i.records,
                i.pages,
                state
            );
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "_Generated by {} {} ({}), profile {}._",
        r.tool.name, r.tool.version, r.schema, r.profile
    );
    o
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(
            esc("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            esc("a|b [x](y) `c` *d* _e_"),
            "a\\|b \\[x\\](y) \\`c\\` \\*d\\* \\_e\\_"
        );
        assert_eq!(esc("{{7*7}}"), "\\{\\{7\\*7\\}\\}");
        assert_eq!(esc("# h"), "\\# h");
        assert_eq!(esc("- x"), "\\- x");
        assert_eq!(esc("1. x"), "1\\. x");
        assert_eq!(esc("two\nlines"), "two lines");
        assert_eq!(esc("a\u{202E}b"), "a⟪U+202E⟫b");
        assert_eq!(esc("CPH-LT-1002"), "CPH-LT-1002");
    }
}
