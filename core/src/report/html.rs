//! The shareable static readiness page (contract.md § HTML report).
//!
//! One self-contained file: no script at all, no external request (a CSP meta tag forbids both),
//! inline CSS for light, dark and print. Every value from the input goes through maud's
//! auto-escaping, is wrapped in `<bdi>` so a right-to-left override cannot reorder the page
//! around it, and has its invisible bidirectional controls shown as `⟪U+202E⟫`.
//!
//! Order: verdict and counts, what needs attention (tenant checks worst first, with evidence
//! and fix), every tenant check, what was not checked, device issues by check, the devices
//! (worst first: every device that is not ready is listed; ready devices are listed only up to
//! [`READY_ROWS`], else counted, so the file stays small enough to mail), then the report's
//! details: profile, rules reviewed, as_of, tool, input inventory and redaction state.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{DeviceItem, Evidence, Finding, Report};
use crate::status::{Reason, Status, Verdict};

/// Above this many ready devices, ready devices are counted, not listed.
pub const READY_ROWS: usize = 500;
/// Evidence rows shown per tenant check (the JSON report has them all).
pub const EVIDENCE_ROWS: usize = 50;
/// Characters of a value shown before it is cut (the full value is in the JSON report and in
/// the row's `data-device` attribute).
pub const NAME_CHARS: usize = 200;

/// The Content-Security-Policy of the page: nothing but inline style and data: images.
pub const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS: &str = r#"
:root{color-scheme:light dark;
--bg:#f4f6f8;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d9dee3;--soft:#eef1f4;--accent:#0a5ec2;
--ok:#116329;--ok-bg:#dcf5e3;--ok-line:#8fd4a3;
--adv:#7a4d00;--adv-bg:#fff1c7;--adv-line:#e6c060;
--bad:#a40e26;--bad-bg:#ffe3e1;--bad-line:#f0a3a0;
--err:#6234b3;--err-bg:#efe6ff;--err-line:#c7b0f2;
--ne:#0b4f9c;--ne-bg:#e1efff;--ne-line:#9cc3f0;
--na:#59636e;--na-bg:#eef1f4;--na-line:#ccd3da;
--info:#11626b;--info-bg:#dbf3f3;--info-line:#93d1d4}
@media (prefers-color-scheme:dark){:root{
--bg:#0e1116;--card:#161b22;--fg:#e6edf3;--muted:#9aa4af;--line:#30363d;--soft:#1d232b;--accent:#6cb0ff;
--ok:#6fdd8b;--ok-bg:#12301d;--ok-line:#2b6a3d;
--adv:#f0c255;--adv-bg:#342709;--adv-line:#7a5a12;
--bad:#ff8a80;--bad-bg:#3f1519;--bad-line:#85312f;
--err:#c4a1ff;--err-bg:#2b1d4a;--err-line:#5d469a;
--ne:#86c2ff;--ne-bg:#0f2b4a;--ne-line:#2c5a8c;
--na:#9aa4af;--na-bg:#222831;--na-line:#3a424c;
--info:#6fd6dc;--info-bg:#0f3033;--info-line:#2a6c70}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans",Arial,sans-serif}
main{max-width:1160px;margin:0 auto;padding:28px 28px 56px}
h1,h2,h3{line-height:1.25;margin:0}
h2{font-size:1.2rem;margin:40px 0 6px}
h3{font-size:1rem}
p{margin:.35em 0}
a{color:var(--accent)}
code,.mono{font-family:ui-monospace,"Cascadia Mono","Segoe UI Mono",Consolas,"Liberation Mono",Menlo,monospace;font-size:.86em}
bdi{unicode-bidi:isolate}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.wrap,td,th,li,p,dd,h1,h3{overflow-wrap:anywhere}
.masthead{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:baseline;justify-content:space-between;margin-bottom:18px}
.brand{font-weight:650;letter-spacing:.01em}
.brand span{color:var(--muted);font-weight:400}
.meta{display:flex;flex-wrap:wrap;gap:6px 18px;color:var(--muted);font-size:.9rem}
.meta b{color:var(--fg);font-weight:600}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px}
.banner{padding:24px 26px;border-left:6px solid var(--vl)}
.banner.v-ready{--vl:var(--ok-line)}.banner.v-advisory{--vl:var(--adv-line)}.banner.v-not_ready{--vl:var(--bad-line)}.banner.v-error{--vl:var(--err-line)}
.verdict{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:center}
.verdict h1{font-size:1.65rem;font-weight:650}
.lead{color:var(--muted);margin-top:8px;max-width:72ch}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:14px;margin-top:20px}
.group{background:var(--soft);border-radius:8px;padding:12px 14px}
.group h3{font-size:.78rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);font-weight:600;margin-bottom:8px}
.tiles{display:flex;flex-wrap:wrap;gap:6px 22px}
.tile{min-width:64px}
.tile b{display:block;font-size:1.5rem;font-weight:650;line-height:1.15;font-variant-numeric:tabular-nums}
.tile span{font-size:.82rem;color:var(--muted)}
.tile.t-ready b{color:var(--ok)}.tile.t-advisory b{color:var(--adv)}.tile.t-not_ready b{color:var(--bad)}.tile.t-error b{color:var(--err)}.tile.t-not_evaluated b{color:var(--ne)}
.tile.zero b{color:var(--muted);opacity:.55}
.notice{margin-top:16px;font-size:.88rem;color:var(--muted)}
.chip{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:1px 10px;font-size:.8rem;background:var(--card);color:var(--muted)}
.chip.red-on{border-color:var(--ok-line);color:var(--ok)}
.chip.red-off{border-color:var(--adv-line);color:var(--adv)}
nav.toc{display:flex;flex-wrap:wrap;gap:4px 18px;margin:18px 2px 0;font-size:.9rem}
nav.toc a{text-decoration:none}
nav.toc a:hover{text-decoration:underline}
.pill{display:inline-flex;align-items:center;gap:.35em;white-space:nowrap;border-radius:999px;padding:1px 10px 1px 8px;font-size:.8rem;font-weight:600;border:1px solid var(--pl);background:var(--pb);color:var(--pf);line-height:1.5}
.pill i{font-style:normal;font-weight:700}
.pill.big{font-size:1rem;padding:4px 14px 4px 12px}
.s-ready{--pf:var(--ok);--pb:var(--ok-bg);--pl:var(--ok-line)}
.s-advisory{--pf:var(--adv);--pb:var(--adv-bg);--pl:var(--adv-line)}
.s-not_ready{--pf:var(--bad);--pb:var(--bad-bg);--pl:var(--bad-line)}
.s-error{--pf:var(--err);--pb:var(--err-bg);--pl:var(--err-line)}
.s-not_evaluated{--pf:var(--ne);--pb:var(--ne-bg);--pl:var(--ne-line)}
.s-not_applicable{--pf:var(--na);--pb:var(--na-bg);--pl:var(--na-line)}
.s-info{--pf:var(--info);--pb:var(--info-bg);--pl:var(--info-line)}
.attn{display:grid;gap:12px;margin-top:12px}
.item{padding:16px 18px;border-left:4px solid var(--pl)}
.item header{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center}
.item h3{font-size:1rem;font-weight:600}
.item .msg{margin:8px 0 10px}
.fix{margin-top:10px;padding:10px 12px;border-radius:8px;background:var(--soft);font-size:.92rem}
.fix b{font-weight:600}
.src{margin-top:8px;font-size:.8rem;color:var(--muted)}
table{width:100%;border-collapse:collapse;table-layout:fixed}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
th{font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600;background:var(--soft)}
tbody tr:last-child td{border-bottom:0}
.tablecard{overflow:hidden;margin-top:12px}
.ev{font-size:.86rem}
.ev th{background:transparent;padding:4px 8px;border-bottom:1px solid var(--line)}
.ev td{padding:5px 8px}
.ev .loc,.evlist .loc{display:block;font-size:.75rem;color:var(--muted)}
ul.evlist{list-style:none;margin:0;padding:0;font-size:.88rem;color:var(--muted)}
ul.evlist li{padding:4px 0}
.res{display:inline-block;font-size:.72rem;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 5px;margin-right:6px}
.more{font-size:.85rem;color:var(--muted);padding:6px 8px}
.checks td:first-child{width:auto}
.checks .id{font-weight:600;white-space:nowrap}
ul.fl{list-style:none;margin:0;padding:0}
ul.fl li{margin:0 0 4px;padding-left:0}
.tag{display:inline-block;border-radius:5px;padding:0 6px;font-size:.76rem;font-weight:650;border:1px solid var(--pl);background:var(--pb);color:var(--pf);margin-right:6px;white-space:nowrap}
.dname{font-weight:600}
.did{display:block;font-size:.74rem;color:var(--muted)}
.allok{color:var(--muted);font-size:.9rem}
h3.sub{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);font-weight:600;margin:18px 2px 8px}
ul.ready{list-style:none;margin:0;padding:12px 16px;columns:3 240px;column-gap:24px}
ul.ready li{break-inside:avoid;display:flex;gap:8px;padding:5px 0;border-bottom:1px solid var(--soft)}
ul.ready .tick{color:var(--ok);font-weight:700}
ul.ready .dname{font-weight:500}
details{margin-top:6px}
summary{cursor:pointer;color:var(--muted);font-size:.85rem}
footer{margin-top:44px;padding-top:18px;border-top:1px solid var(--line);font-size:.88rem}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:10px 0 0}
dl.kv dt{color:var(--muted)}
dl.kv dd{margin:0}
.inputs td,.inputs th{font-size:.84rem;padding:6px 8px}
.num{text-align:right;font-variant-numeric:tabular-nums}
th.num{white-space:nowrap;overflow-wrap:normal}
.bad{color:var(--bad)}
@media (max-width:720px){main{padding:16px}.banner{padding:18px}.hide-sm{display:none}}
@media print{
:root{--bg:#fff;--card:#fff;--soft:#f3f4f6;--fg:#000;--muted:#444;--line:#bbb}
@page{margin:14mm}
body{font-size:10.5pt;background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:none;padding:0}
nav.toc,details{display:none}
.card{box-shadow:none}
h2{break-after:avoid;margin-top:24px}
.item,tr,.group{break-inside:avoid}
thead{display:table-header-group}
a{color:inherit;text-decoration:none}}
"#;

fn status_key(s: Status) -> &'static str {
    s.as_str()
}

fn status_text(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Ready => ("✓", "Ready"),
        Status::Advisory => ("!", "Advisory"),
        Status::NotReady => ("✕", "Not ready"),
        Status::Error => ("⚠", "Error"),
        Status::NotEvaluated => ("?", "Not checked"),
        Status::NotApplicable => ("–", "Not applicable"),
        Status::Info => ("i", "Info"),
    }
}

fn verdict_status(v: Verdict) -> Status {
    match v {
        Verdict::Ready => Status::Ready,
        Verdict::Advisory => Status::Advisory,
        Verdict::NotReady => Status::NotReady,
        Verdict::Error => Status::Error,
    }
}

fn headline(v: Verdict) -> (&'static str, &'static str) {
    match v {
        Verdict::Ready => (
            "Ready for Windows Autopatch",
            "The tenant meets every prerequisite that was checked.",
        ),
        Verdict::Advisory => (
            "Ready, with points to review",
            "The prerequisites are met, but some need attention before devices are registered.",
        ),
        Verdict::NotReady => (
            "Not ready for Windows Autopatch",
            "Some prerequisites are not met. Fix the items under “Needs attention” first.",
        ),
        Verdict::Error => (
            "Incomplete — some input could not be used",
            "Part of the input could not be read, so the result is incomplete. See the inputs at the end of this page.",
        ),
    }
}

fn reason_text(r: Reason) -> &'static str {
    match r {
        Reason::MissingInput => "an export was not supplied",
        Reason::BetaOnlyField => "needs a Graph beta field",
        Reason::TruncatedInput => "an export stops early",
        Reason::NeedsDeviceEvidence => "needs evidence from a device",
    }
}

fn reason_title(r: Reason) -> &'static str {
    match r {
        Reason::MissingInput => "Missing export",
        Reason::BetaOnlyField => "Graph beta field needed",
        Reason::TruncatedInput => "Export incomplete",
        Reason::NeedsDeviceEvidence => "Needs device evidence",
    }
}

/// Invisible bidirectional and control characters, shown as `⟪U+XXXX⟫` so they cannot hide
/// or reorder text.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    fn hidden(c: char) -> bool {
        matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || (c.is_control() && !matches!(c, '\n' | '\t'))
    }
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if hidden(c) {
            o.push_str(&format!("⟪U+{:04X}⟫", u32::from(c)));
        } else {
            o.push(c);
        }
    }
    std::borrow::Cow::Owned(o)
}

/// [`visible`], and line breaks and tabs shown too: for one-line contexts (a terminal line).
pub fn visible_line(s: &str) -> std::borrow::Cow<'_, str> {
    let v = visible(s);
    if !v.contains(['\n', '\t']) {
        return v;
    }
    std::borrow::Cow::Owned(v.replace('\n', "⟪U+000A⟫").replace('\t', "⟪U+0009⟫"))
}

/// A value from the input: isolated, controls made visible, very long values cut.
fn val(s: &str) -> Markup {
    let v = visible(s);
    let n = v.chars().count();
    if n > NAME_CHARS {
        let cut: String = v.chars().take(NAME_CHARS).collect();
        html! { bdi { (cut) } span.muted { "… (" (group(n as u64)) " characters)" } }
    } else {
        html! { bdi { (v) } }
    }
}

/// A field path, breakable after each `.` and `,` and between camelCase words.
fn field(s: &str) -> Markup {
    let v = visible(s);
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    for c in v.chars() {
        if c.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase()) && !cur.is_empty()
        {
            parts.push(std::mem::take(&mut cur));
        }
        cur.push(c);
        if matches!(c, '.' | ',') {
            parts.push(std::mem::take(&mut cur));
        }
        prev = Some(c);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    html! { bdi { @for (i, p) in parts.iter().enumerate() { @if i > 0 { wbr; } (p) } } }
}

/// Free text (messages, notes): controls made visible, isolated.
fn txt(s: &str) -> Markup {
    html! { bdi { (visible(s)) } }
}

fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pill(s: Status) -> Markup {
    let (sym, label) = status_text(s);
    html! { span.pill.(format!("s-{}", status_key(s))) { i aria-hidden="true" { (sym) } (label) } }
}

fn big_pill(v: Verdict) -> Markup {
    let s = verdict_status(v);
    let (sym, label) = status_text(s);
    html! {
        span.pill.big.(format!("s-{}", status_key(s))) data-testid="verdict" data-verdict=(v.as_str()) {
            i aria-hidden="true" { (sym) } (label)
        }
    }
}

fn tag(f: &Finding) -> Markup {
    let (sym, label) = status_text(f.status);
    html! {
        span.tag.(format!("s-{}", status_key(f.status))) {
            span aria-hidden="true" { (sym) " " } (f.id) span.sr { " " (label) }
        }
    }
}

fn title_of(id: &str) -> &'static str {
    crate::rules::find(id).map_or("", |r| r.doc.title)
}

fn fmt_instant(s: &str) -> String {
    // 2022-06-15T00:00:00Z → 2022-06-15 00:00:00 UTC
    match s.strip_suffix('Z') {
        Some(t) if t.len() == 19 && t.as_bytes().get(10) == Some(&b'T') => {
            format!("{} UTC", t.replacen('T', " ", 1))
        }
        _ => s.to_string(),
    }
}

/// Whether a finding counts against readiness (what a reader must look at).
fn needs_attention(f: &Finding) -> bool {
    matches!(f.rollup(), Some(v) if v != Verdict::Ready)
}

fn severity(f: &Finding) -> u8 {
    match f.status {
        Status::NotReady => 0,
        Status::Error => 1,
        Status::Advisory => 2,
        _ => 3,
    }
}

fn evidence_table(ev: &[Evidence]) -> Markup {
    // Evidence that is only a pointer ("supply: GET …") reads better as a list.
    let notes_only = ev
        .iter()
        .all(|e| e.field.is_none() && e.value.is_none() && e.required.is_none());
    html! {
        @if notes_only && !ev.is_empty() {
            ul.evlist {
                @for e in ev.iter().take(EVIDENCE_ROWS) {
                    li {
                        span.res { (e.resource) }
                        @if let Some(n) = &e.object_name { (val(n)) " " }
                        @else if let Some(i) = &e.object_id { span.mono { (val(i)) } " " }
                        @if let Some(n) = &e.note { (txt(n)) }
                        @if let Some(l) = &e.location { span.loc.mono { (val(l)) } }
                    }
                }
            }
        } @else if !ev.is_empty() {
            table.ev {
                thead { tr { th style="width:27%" { "Object" } th style="width:25%" { "Field" } th style="width:26%" { "Seen" } th style="width:22%" { "Required" } } }
                tbody {
                    @for e in ev.iter().take(EVIDENCE_ROWS) {
                        tr {
                            td {
                                span.res { (e.resource) }
                                @if let Some(n) = &e.object_name { (val(n)) }
                                @else if let Some(i) = &e.object_id { span.mono { (val(i)) } }
                                @if let (Some(_), Some(i)) = (&e.object_name, &e.object_id) { span.loc.mono { (val(i)) } }
                                @if let Some(l) = &e.location { span.loc.mono { (val(l)) } }
                            }
                            td { @if let Some(f) = &e.field { code { (field(f)) } } }
                            td {
                                @if let Some(v) = &e.value { (txt(v)) }
                                @if let Some(n) = &e.note { div.muted.small { (txt(n)) } }
                            }
                            td { @if let Some(r) = &e.required { (txt(r)) } }
                        }
                    }
                }
            }
            @if ev.len() > EVIDENCE_ROWS {
                div.more { "… and " (group((ev.len() - EVIDENCE_ROWS) as u64)) " more — every item is in the JSON report." }
            }
        }
    }
}

fn attention_card(f: &Finding) -> Markup {
    html! {
        article.card.item.(format!("s-{}", status_key(f.status))) data-check-id=(f.id) data-status=(f.status.as_str()) {
            header {
                (pill(f.status))
                h3 { span.mono { (f.id) } " · " (title_of(f.id)) }
                @if let Some(r) = f.reason { span.chip { (reason_text(r)) } }
            }
            p.msg { (txt(&f.message)) }
            (evidence_table(&f.evidence))
            @if !f.remediation.is_empty() {
                div.fix { b { "How to fix: " } (txt(&f.remediation)) }
            }
            @if !f.source.is_empty() { div.src { "Source: " (txt(&f.source)) } }
        }
    }
}

fn device_row(d: &DeviceItem) -> Markup {
    let shown: Vec<&Finding> = d.findings.iter().filter(|f| needs_attention(f)).collect();
    html! {
        tr data-device=(d.name) data-device-id=(d.id) data-verdict=(d.verdict.as_str()) {
            td {
                @if d.name.is_empty() { span.dname.muted { "(no name)" } } @else { span.dname { (val(&d.name)) } }
                span.did.mono { (val(&d.id)) }
            }
            td { (pill(verdict_status(d.verdict))) }
            td {
                @if shown.is_empty() {
                    span.allok { "Meets every requirement checked" }
                } @else {
                    ul.fl {
                        @for f in &shown {
                            li { (tag(f)) (txt(&f.message)) }
                        }
                    }
                }
            }
        }
    }
}

struct CheckIssue {
    id: &'static str,
    not_ready: u64,
    error: u64,
    advisory: u64,
    not_checked: u64,
    fix: String,
}

fn device_issues(r: &Report) -> Vec<CheckIssue> {
    let mut out: Vec<CheckIssue> = Vec::new();
    for d in &r.devices.items {
        for f in &d.findings {
            if !needs_attention(f) {
                continue;
            }
            let i = match out.iter().position(|c| c.id == f.id) {
                Some(i) => i,
                None => {
                    out.push(CheckIssue {
                        id: f.id,
                        not_ready: 0,
                        error: 0,
                        advisory: 0,
                        not_checked: 0,
                        fix: crate::rules::find(f.id)
                            .map_or_else(|| f.remediation.to_string(), |x| x.doc.fix.to_string()),
                    });
                    out.len() - 1
                }
            };
            if let Some(c) = out.get_mut(i) {
                match f.status {
                    Status::NotReady => c.not_ready += 1,
                    Status::Error => c.error += 1,
                    Status::NotEvaluated => c.not_checked += 1,
                    _ => c.advisory += 1,
                }
            }
        }
    }
    out.sort_by_key(|c| crate::rules::order(c.id));
    out
}

fn tile(n: u64, label: &str, class: &str) -> Markup {
    html! {
        div.tile.(class).zero[n == 0] { b { (group(n)) } span { (label) } }
    }
}

/// The whole page.
pub fn render(r: &Report) -> String {
    let (head, lead) = headline(r.verdict);
    let tenant_label = r
        .tenant
        .name
        .as_deref()
        .or(r.tenant.id.as_deref())
        .unwrap_or("Tenant not identified");
    let count = |s: Status| r.checks.iter().filter(|c| c.status == s).count() as u64;
    let not_checked = r
        .checks
        .iter()
        .filter(|c| c.status == Status::NotEvaluated)
        .count() as u64;
    let mut attention: Vec<&Finding> = r.checks.iter().filter(|c| needs_attention(c)).collect();
    attention.sort_by_key(|c| severity(c));
    let d = &r.devices;
    let attention_devices: Vec<&DeviceItem> = d
        .items
        .iter()
        .filter(|i| i.verdict != Verdict::Ready)
        .collect();
    let ready_devices: Vec<&DeviceItem> = d
        .items
        .iter()
        .filter(|i| i.verdict == Verdict::Ready)
        .collect();
    let list_ready = ready_devices.len() <= READY_ROWS;
    let issues = device_issues(r);
    let title = format!(
        "Windows Autopatch readiness — {} — {}",
        visible(tenant_label),
        status_text(verdict_status(r.verdict)).1
    );

    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta name="referrer" content="no-referrer";
                meta name="generator" content=(format!("{} {}", r.tool.name, r.tool.version));
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main {
                    div.masthead {
                        div.brand { "apready " span { "· Windows Autopatch readiness report" } }
                        div.meta {
                            span { "Tenant " b { (val(tenant_label)) } }
                            span { "As of " b { (fmt_instant(&r.as_of)) } }
                            span { "Profile " b { (r.profile) } }
                            @if r.redacted { span.chip.red-on { "Redacted" } } @else { span.chip.red-off { "Not redacted" } }
                        }
                    }
                    section.card.banner.(format!("v-{}", r.verdict.as_str())) aria-label="Verdict" {
                        div.verdict { (big_pill(r.verdict)) h1 { (head) } }
                        p.lead { (lead) }
                        div.stats {
                            div.group {
                                h3 { "Tenant checks · " (r.checks.len()) }
                                div.tiles {
                                    (tile(count(Status::Ready), "ready", "t-ready"))
                                    (tile(count(Status::Advisory), "advisory", "t-advisory"))
                                    (tile(count(Status::NotReady), "not ready", "t-not_ready"))
                                    (tile(count(Status::Error), "error", "t-error"))
                                    (tile(not_checked, "not checked", "t-not_evaluated"))
                                }
                            }
                            div.group {
                                h3 { "Devices in scope · " (group(d.total)) }
                                div.tiles {
                                    (tile(d.ready, "ready", "t-ready"))
                                    (tile(d.advisory, "advisory", "t-advisory"))
                                    (tile(d.not_ready, "not ready", "t-not_ready"))
                                    (tile(d.error, "error", "t-error"))
                                    (tile(d.out_of_scope, "out of scope", "t-out"))
                                }
                            }
                        }
                        @if r.verdict != Verdict::Error && (d.not_ready > 0 || d.error > 0) {
                            p.notice { "Devices that are not ready do not change the tenant’s verdict; each is listed below with what to fix before it can be registered." }
                        }
                    }
                    nav.toc aria-label="Sections" {
                        @if !attention.is_empty() { a href="#attention" { "Needs attention (" (attention.len()) ")" } }
                        a href="#checks" { "All tenant checks" }
                        @if !r.coverage.is_empty() { a href="#coverage" { "Not checked" } }
                        @if !issues.is_empty() { a href="#device-issues" { "Device issues by check" } }
                        a href="#devices" { "Devices (" (group(d.total)) ")" }
                        a href="#details" { "Report details" }
                    }

                    @if !attention.is_empty() {
                        section #attention {
                            h2 { "Needs attention" }
                            p.muted { "Tenant checks that are not ready, failed, or need a look — worst first, with the evidence used and how to fix." }
                            div.attn { @for c in &attention { (attention_card(c)) } }
                        }
                    }

                    section #checks {
                        h2 { "All tenant checks" }
                        div.card.tablecard {
                            table.checks {
                                thead { tr { th style="width:150px" { "Status" } th style="width:27%" { "Check" } th { "Result" } } }
                                tbody {
                                    @for c in &r.checks {
                                        tr data-check-id=(c.id) data-status=(c.status.as_str()) {
                                            td { (pill(c.status)) }
                                            td { span.id.mono { (c.id) } br; span.muted.small { (title_of(c.id)) } }
                                            td {
                                                (txt(&c.message))
                                                @if let Some(rs) = c.reason { div.muted.small { "Not checked: " (reason_text(rs)) } }
                                                @if !needs_attention(c) && !c.evidence.is_empty() {
                                                    details { summary { "Evidence (" (c.evidence.len()) ")" } (evidence_table(&c.evidence)) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }

                    @if !r.coverage.is_empty() {
                        section #coverage {
                            h2 { "Not checked" }
                            p.muted { "What these exports could not show, and how to supply it. Checks that need device evidence do not change the verdict." }
                            div.card.tablecard {
                                table {
                                    thead { tr { th style="width:22%" { "Why" } th style="width:20%" { "Checks" } th style="width:12%" class="num" { "Devices" } th { "How to supply it" } } }
                                    tbody {
                                        @for c in &r.coverage {
                                            tr {
                                                td { (pill(Status::NotEvaluated)) br; span.small { (reason_title(c.reason)) } }
                                                td.mono { (c.checks.join(", ")) }
                                                td.num { (group(c.devices)) }
                                                td { (txt(&c.how_to_supply)) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }

                    @if !issues.is_empty() {
                        section #device-issues {
                            h2 { "Device issues by check" }
                            p.muted { "How many devices each check holds back, and the fix that applies to all of them." }
                            div.card.tablecard {
                                table {
                                    thead { tr { th style="width:23%" { "Check" } th style="width:11%" class="num" { "Not ready" } th style="width:8%" class="num hide-sm" { "Error" } th style="width:10%" class="num" { "Advisory" } th style="width:12%" class="num" { "Not checked" } th { "How to fix" } } }
                                    tbody {
                                        @for c in &issues {
                                            tr {
                                                td { span.id.mono { b { (c.id) } } br; span.muted.small { (title_of(c.id)) } }
                                                td.num.bad[c.not_ready > 0] { (group(c.not_ready)) }
                                                td.num.hide-sm { (group(c.error)) }
                                                td.num { (group(c.advisory)) }
                                                td.num { (group(c.not_checked)) }
                                                td.small { (txt(&c.fix)) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }

                    section #devices {
                        h2 { "Devices" }
                        p.muted {
                            (group(d.total)) " in scope · " (group(d.out_of_scope)) " out of scope (not Windows, or not in the scope list)."
                        }
                        @if d.items.is_empty() {
                            div.card { p.muted style="padding:14px 18px" { "No devices in scope." } }
                        }
                        @if !attention_devices.is_empty() {
                            h3.sub { "Need attention · " (group(attention_devices.len() as u64)) }
                            div.card.tablecard {
                                table.devices {
                                    thead { tr { th style="width:30%" { "Device" } th style="width:140px" { "Verdict" } th { "What needs attention" } } }
                                    tbody {
                                        @for item in &attention_devices { (device_row(item)) }
                                    }
                                }
                            }
                        } @else if !d.items.is_empty() {
                            div.card { p style="padding:14px 18px;margin:0" { (pill(Status::Ready)) " Every device in scope meets the requirements checked." } }
                        }
                        @if !ready_devices.is_empty() {
                            h3.sub { "Ready · " (group(ready_devices.len() as u64)) }
                            @if list_ready {
                                div.card {
                                    ul.ready {
                                        @for item in &ready_devices {
                                            li data-device=(item.name) data-device-id=(item.id) data-verdict="ready" {
                                                span.tick aria-hidden="true" { "✓" }
                                                span {
                                                    @if item.name.is_empty() { span.dname.muted { "(no name)" } } @else { span.dname { (val(&item.name)) } }
                                                    span.did.mono { (val(&item.id)) }
                                                }
                                            }
                                        }
                                    }
                                }
                            } @else {
                                div.card { p.muted style="padding:14px 18px;margin:0" {
                                    (group(ready_devices.len() as u64)) " ready devices meet every requirement checked. They are counted, not listed, to keep this page small (over " (READY_ROWS) "); the JSON and CSV reports list every device."
                                } }
                            }
                        }
                    }

                    footer #details {
                        h2 style="margin-top:0" { "Report details" }
                        dl.kv {
                            dt { "Tenant" } dd { (val(tenant_label)) @if let (Some(_), Some(id)) = (&r.tenant.name, &r.tenant.id) { " · " span.mono { (val(id)) } } }
                            dt { "Profile" } dd { (r.profile) " · rules reviewed " (r.rules_reviewed) }
                            dt { "As of" } dd { (fmt_instant(&r.as_of)) " (" (r.as_of_source) ")" }
                            dt { "Tool" } dd { (r.tool.name) " " (r.tool.version) " · report " (r.schema) }
                            dt { "Redaction" } dd {
                                @if let Some(red) = &r.redaction {
                                    "Redacted: names, ids, user names, serial numbers and file names are keyed pseudonyms (" (red.method) ", key fingerprint " span.mono { (red.fingerprint) } ")."
                                } @else if r.redacted {
                                    "Redacted."
                                } @else {
                                    "Not redacted: this page shows device names, user names and ids from the tenant. Run with --redact before sharing it outside your organisation."
                                }
                            }
                        }
                        h3 style="margin-top:18px" { "Inputs (" (r.inputs.len()) ")" }
                        @if r.inputs.is_empty() {
                            p.muted { "No input files." }
                        } @else {
                            div.card.tablecard {
                                table.inputs {
                                    thead { tr { th style="width:32%" { "File" } th style="width:22%" { "Resource" } th style="width:7%" class="hide-sm" { "API" } th style="width:10%" class="num" { "Records" } th style="width:8%" class="num" { "Pages" } th { "State" } } }
                                    tbody {
                                        @for i in &r.inputs {
                                            tr {
                                                td.mono { (val(&i.file)) }
                                                td { (i.resource.unwrap_or("unrecognised")) }
                                                td.hide-sm { (i.api) }
                                                td.num { (group(i.records)) }
                                                td.num { (i.pages) }
                                                td {
                                                    @if let Some(e) = &i.error { span.bad { "Unusable: " (txt(e)) } }
                                                    @else if i.truncated { span { "Truncated: an @odata.nextLink was not followed" } }
                                                    @else { span.muted { "Read (" (i.encoding) ")" } }
                                                    @for p in &i.problems { div.small.muted { (txt(p)) } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        p.muted.small style="margin-top:16px" {
                            "Generated by " (r.tool.name) " " (r.tool.version) ". A static page: no script, no network requests. "
                            "Source of the requirements: the Windows Autopatch prerequisites page (profile " (r.profile) ")."
                        }
                    }
                }
            }
        }
    };
    let mut s = page.into_string();
    s.push('\n');
    s
}
