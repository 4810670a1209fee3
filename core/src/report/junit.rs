//! JUnit XML, so CI systems show a tenant that is not ready as failed tests.
//!
//! - Suite `tenant`: one test case per tenant check. `not_ready` → `<failure>`, `error` →
//!   `<error>`, `not_evaluated` and `not_applicable` → `<skipped>`, `advisory` and `info` pass
//!   with the message in `<system-out>`.
//! - Suite `devices`: one test case per device in scope, named `name (id)`, by its verdict:
//!   `not_ready` → `<failure>` listing every failing check, `error` → `<error>`, `advisory` passes
//!   with `<system-out>`.
//! - Every value is XML-escaped; characters XML 1.0 does not allow are dropped and invisible
//!   bidirectional controls are shown as `⟪U+202E⟫`.

use std::fmt::Write;

use super::csv::evidence_line;
use super::html::visible;
use super::{DeviceItem, Finding, Report};
use crate::status::{Status, Verdict};

/// Whether XML 1.0 allows the character (§2.2 Char).
pub fn xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Text content: `&`, `<`, `>` escaped, invalid characters dropped.
pub fn text(s: &str) -> String {
    let v = visible(s);
    let mut o = String::with_capacity(v.len() + 8);
    for c in v.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\r' => o.push_str("&#13;"),
            _ => o.push(c),
        }
    }
    o
}

/// An attribute value (in double quotes): also `"`, `'` and white space kept as references.
pub fn attr(s: &str) -> String {
    let v = visible(s);
    let mut o = String::with_capacity(v.len() + 8);
    for c in v.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            '\t' => o.push_str("&#9;"),
            _ => o.push(c),
        }
    }
    o
}

fn title(id: &str) -> &'static str {
    crate::rules::find(id).map_or("", |r| r.doc.title)
}

fn details(f: &Finding) -> String {
    let mut s = format!("{} {}: {}", f.id, f.status.as_str(), f.message);
    if let Some(r) = f.reason {
        let _ = write!(s, " ({})", r.as_str());
    }
    for e in &f.evidence {
        s.push_str("\n  evidence: ");
        s.push_str(&evidence_line(e));
    }
    if !f.remediation.is_empty() {
        s.push_str("\n  how to fix: ");
        s.push_str(&f.remediation);
    }
    if !f.source.is_empty() {
        s.push_str("\n  source: ");
        s.push_str(&f.source);
    }
    s
}

#[derive(Default)]
struct Counts {
    tests: u64,
    failures: u64,
    errors: u64,
    skipped: u64,
}

fn tenant_case(o: &mut String, f: &Finding, n: &mut Counts) {
    n.tests += 1;
    let _ = write!(
        o,
        "    <testcase classname=\"tenant\" name=\"{}\" time=\"0\"",
        attr(&format!("{} {}", f.id, title(f.id)))
    );
    let body = text(&details(f));
    match f.status {
        Status::NotReady => {
            n.failures += 1;
            let _ = write!(
                o,
                ">\n      <failure type=\"not_ready\" message=\"{}\">{}</failure>\n    </testcase>\n",
                attr(&f.message),
                body
            );
        }
        Status::Error => {
            n.errors += 1;
            let _ = write!(
                o,
                ">\n      <error type=\"error\" message=\"{}\">{}</error>\n    </testcase>\n",
                attr(&f.message),
                body
            );
        }
        Status::NotEvaluated | Status::NotApplicable => {
            n.skipped += 1;
            let why = match f.reason {
                Some(r) => format!("{} ({}): {}", f.status.as_str(), r.as_str(), f.message),
                None => format!("{}: {}", f.status.as_str(), f.message),
            };
            let _ = write!(
                o,
                ">\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n    </testcase>\n",
                attr(&why),
                body
            );
        }
        Status::Advisory | Status::Info => {
            let _ = write!(
                o,
                ">\n      <system-out>{}</system-out>\n    </testcase>\n",
                body
            );
        }
        Status::Ready => o.push_str("/>\n"),
    }
}

fn device_case(o: &mut String, d: &DeviceItem, n: &mut Counts) {
    n.tests += 1;
    let name = if d.name.is_empty() {
        d.id.to_string()
    } else {
        format!("{} ({})", d.name, d.id)
    };
    let _ = write!(
        o,
        "    <testcase classname=\"devices\" name=\"{}\" time=\"0\"",
        attr(&name)
    );
    let shown: Vec<&Finding> = d
        .findings
        .iter()
        .filter(|f| matches!(f.rollup(), Some(v) if v != Verdict::Ready))
        .collect();
    let summary = shown
        .iter()
        .filter(|f| matches!(f.status, Status::NotReady | Status::Error))
        .map(|f| format!("{}: {}", f.id, f.message))
        .collect::<Vec<_>>()
        .join("; ");
    let body = text(
        &shown
            .iter()
            .map(|f| details(f))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    match d.verdict {
        Verdict::NotReady => {
            n.failures += 1;
            let _ = write!(
                o,
                ">\n      <failure type=\"not_ready\" message=\"{}\">{}</failure>\n    </testcase>\n",
                attr(&summary),
                body
            );
        }
        Verdict::Error => {
            n.errors += 1;
            let _ = write!(
                o,
                ">\n      <error type=\"error\" message=\"{}\">{}</error>\n    </testcase>\n",
                attr(&summary),
                body
            );
        }
        Verdict::Advisory => {
            let _ = write!(
                o,
                ">\n      <system-out>{}</system-out>\n    </testcase>\n",
                body
            );
        }
        Verdict::Ready => o.push_str("/>\n"),
    }
}

fn suite(o: &mut String, name: &str, n: &Counts, props: &str, cases: &str) {
    let _ = write!(
        o,
        "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">\n{props}{cases}  </testsuite>\n",
        n.tests, n.failures, n.errors, n.skipped
    );
}

pub fn render(r: &Report) -> String {
    let mut tenant = String::new();
    let mut tn = Counts::default();
    for c in &r.checks {
        tenant_case(&mut tenant, c, &mut tn);
    }
    let mut devices = String::with_capacity(r.devices.items.len() * 160);
    let mut dn = Counts::default();
    for d in &r.devices.items {
        device_case(&mut devices, d, &mut dn);
    }
    let mut props = String::from("    <properties>\n");
    let mut prop = |k: &str, v: &str| {
        let _ = writeln!(
            props,
            "      <property name=\"{k}\" value=\"{}\"/>",
            attr(v)
        );
    };
    prop("schema", r.schema);
    prop("tool", &format!("{} {}", r.tool.name, r.tool.version));
    prop("profile", r.profile);
    prop("rules_reviewed", r.rules_reviewed);
    prop("as_of", &r.as_of);
    prop("verdict", r.verdict.as_str());
    if let Some(t) = &r.tenant.id {
        prop("tenant_id", t);
    }
    if let Some(t) = &r.tenant.name {
        prop("tenant_name", t);
    }
    prop("redacted", if r.redacted { "true" } else { "false" });
    if let Some(x) = &r.redaction {
        prop("redaction_fingerprint", &x.fingerprint);
    }
    prop("devices_total", &r.devices.total.to_string());
    prop("devices_out_of_scope", &r.devices.out_of_scope.to_string());
    props.push_str("    </properties>\n");

    let mut o = String::with_capacity(tenant.len() + devices.len() + props.len() + 512);
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
        attr(&format!(
            "apready {} · Windows Autopatch readiness · {}",
            r.profile,
            r.tenant
                .name
                .as_deref()
                .or(r.tenant.id.as_deref())
                .unwrap_or("tenant not identified")
        )),
        tn.tests + dn.tests,
        tn.failures + dn.failures,
        tn.errors + dn.errors,
        tn.skipped + dn.skipped
    );
    suite(&mut o, "tenant", &tn, &props, &tenant);
    suite(&mut o, "devices", &dn, "", &devices);
    o.push_str("</testsuites>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_strips() {
        assert_eq!(text("a<b>&c\u{1}d\u{FFFE}"), "a&lt;b&gt;&amp;c⟪U+0001⟫d");
        assert_eq!(attr("\"x\"\n'y'"), "&quot;x&quot;&#10;&apos;y&apos;");
        assert_eq!(text("]]>"), "]]&gt;");
    }
}
