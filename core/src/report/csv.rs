//! CSV (RFC 4180): one row per finding — the tenant checks first (`scope` = `tenant`), then
//! every finding of every device (`scope` = `device`), devices worst first.
//!
//! - Records end with CRLF; a field is quoted when it holds `"`, `,`, `;`, CR or LF, with `"`
//!   doubled.
//! - Safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//!   carriage return gets a leading `'`, so it is never read as a formula (OWASP "CSV
//!   injection").
//! - The file starts with a UTF-8 byte order mark, so Excel reads it as UTF-8.

use super::{Evidence, Finding, Report};

pub const HEADER: [&str; 13] = [
    "scope",
    "device_id",
    "device_name",
    "device_verdict",
    "check",
    "title",
    "status",
    "reason",
    "message",
    "evidence",
    "remediation",
    "source",
    "tenant",
];

/// A cell, neutralised and quoted as needed.
pub fn cell(out: &mut String, value: &str) {
    let guard = matches!(
        value.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    );
    let quote = value.contains([',', '"', ';', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

fn row(out: &mut String, cells: &[&str]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(out, c);
    }
    out.push_str("\r\n");
}

/// One line per evidence item: `resource object field = value (needs …) — note [location]`.
pub fn evidence_line(e: &Evidence) -> String {
    let mut s = String::from(e.resource);
    if let Some(n) = e.object_name.as_ref().or(e.object_id.as_ref()) {
        s.push(' ');
        s.push_str(n);
    }
    if let Some(f) = &e.field {
        s.push(' ');
        s.push_str(f);
    }
    if let Some(v) = &e.value {
        s.push_str(" = ");
        s.push_str(v);
    }
    if let Some(q) = &e.required {
        s.push_str(" (needs ");
        s.push_str(q);
        s.push(')');
    }
    if let Some(n) = &e.note {
        s.push_str(" — ");
        s.push_str(n);
    }
    if let Some(l) = &e.location {
        s.push_str(" [");
        s.push_str(l);
        s.push(']');
    }
    s
}

fn evidence(f: &Finding) -> String {
    f.evidence
        .iter()
        .map(evidence_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn title(id: &str) -> &'static str {
    crate::rules::find(id).map_or("", |r| r.doc.title)
}

pub fn render(r: &Report) -> String {
    let mut out = String::with_capacity(256 + r.devices.items.len() * 9 * 200);
    out.push('\u{FEFF}');
    row(&mut out, &HEADER);
    let tenant = r
        .tenant
        .name
        .as_deref()
        .or(r.tenant.id.as_deref())
        .unwrap_or("");
    for c in &r.checks {
        row(
            &mut out,
            &[
                "tenant",
                "",
                "",
                "",
                c.id,
                title(c.id),
                c.status.as_str(),
                c.reason.map_or("", |x| x.as_str()),
                &c.message,
                &evidence(c),
                &c.remediation,
                &c.source,
                tenant,
            ],
        );
    }
    for d in &r.devices.items {
        for f in &d.findings {
            row(
                &mut out,
                &[
                    "device",
                    &d.id,
                    &d.name,
                    d.verdict.as_str(),
                    f.id,
                    title(f.id),
                    f.status.as_str(),
                    f.reason.map_or("", |x| x.as_str()),
                    &f.message,
                    &evidence(f),
                    &f.remediation,
                    &f.source,
                    tenant,
                ],
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(v: &str) -> String {
        let mut s = String::new();
        cell(&mut s, v);
        s
    }

    #[test]
    fn formula_injection_is_neutralised() {
        assert_eq!(c("=1+1"), "'=1+1");
        assert_eq!(c("+1"), "'+1");
        assert_eq!(c("-1"), "'-1");
        assert_eq!(c("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(c("\tx"), "'\tx");
        assert_eq!(c("\rx"), "\"'\rx\"");
        assert_eq!(
            c("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(c("a=b"), "a=b");
    }

    #[test]
    fn rfc4180_quoting() {
        assert_eq!(c("plain"), "plain");
        assert_eq!(c("a,b"), "\"a,b\"");
        assert_eq!(c("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(c("two\nlines"), "\"two\nlines\"");
        assert_eq!(c(""), "");
    }
}
