//! Hostile device names (tests/data/hostile-names): every writer keeps them inert.
//! - HTML shows them as text: no raw `<script`/`<img`, nothing that loads or runs anything.
//! - CSV neutralises formulas and stays RFC 4180.
//! - Markdown escapes them: no raw HTML, no extra table cells, no template braces.
//! - JUnit stays well-formed XML (parsed back with quick-xml) and round-trips the names.
//! - The text summary writes no terminal control characters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use quick_xml::events::Event;
use quick_xml::Reader;

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";
const HYPERLINK: &str = "=HYPERLINK(\"http://x\",\"y\")";

fn out(format: &str) -> String {
    String::from_utf8(render(&hostile(), format, None)).unwrap()
}

#[test]
fn the_names_reach_the_report() {
    let r = hostile();
    let names: Vec<&str> = r.devices.items.iter().map(|d| &*d.name).collect();
    for n in [SCRIPT, IMG, "{{7*7}}", HYPERLINK] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert!(names.iter().any(|n| n.contains('\u{202E}')));
    assert!(names.iter().any(|n| n.chars().count() == 10_000));
    assert!(names.iter().any(|n| n.contains('\u{1F980}')));
}

#[test]
fn html_shows_them_as_text() {
    let html = out("html");
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "<link",
        "<base",
        "<form",
        "javascript:",
        "@import",
        "url(",
    ] {
        assert!(!lower.contains(bad), "raw {bad:?} in the HTML");
    }
    // Every tag is one the writer uses, with no event handler and no source to load.
    const TAGS: &[&str] = &[
        "!doctype", "html", "head", "meta", "title", "style", "body", "main", "div", "span", "b",
        "i", "h1", "h2", "h3", "p", "br", "wbr", "nav", "a", "section", "article", "header",
        "footer", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "code", "bdi",
        "details", "summary", "dl", "dt", "dd",
    ];
    for tag in tags(&html) {
        let name = tag
            .split([' ', '>', '/'])
            .next()
            .unwrap_or("")
            .to_lowercase();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected tag <{name}> in {tag:.80}"
        );
        for attr in attribute_names(&tag) {
            assert!(
                !attr.starts_with("on") && attr != "src" && attr != "srcset" && attr != "action",
                "attribute {attr} in <{tag:.80}>"
            );
        }
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("{{7*7}}"), "braces are plain text in HTML");
    // The right-to-left override is shown, not obeyed (the `data-device` hook for automation
    // keeps the exact name; attributes are not displayed).
    let mut shown = String::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find(" data-device=\"") {
        shown.push_str(&rest[..i]);
        let after = &rest[i + 14..];
        rest = &after[after.find('"').unwrap() + 1..];
    }
    shown.push_str(rest);
    assert!(!shown.contains('\u{202E}'));
    assert!(html.contains("⟪U+202E⟫"));
    // The 10 000-character name is cut for display and its length said.
    assert!(!shown.contains(&"x".repeat(1000)));
    assert!(html.contains("(10,000 characters)"));
    assert!(html.contains("overflow-wrap:anywhere"));
    // Nothing can load or run: the CSP forbids it and every link is a fragment.
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"
    ));
    for (i, _) in html.match_indices("href=\"") {
        assert!(html[i + 6..].starts_with('#'), "non-fragment link at {i}");
    }
    // Every device that is not ready is listed, with its id.
    for d in hostile().devices.items {
        assert!(
            html.contains(&format!("data-device-id=\"{}\"", d.id)),
            "{} not listed",
            d.id
        );
    }
}

/// The text of every tag (`<name attr="v"…`, without `<` and `>`), closing tags left out.
fn tags(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[..end];
        if !tag.starts_with('/') {
            out.push(tag.to_string());
        }
        rest = &rest[end + 1..];
    }
    out
}

/// Attribute names of a tag's text; values are double-quoted.
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_value = false;
    let mut word = String::new();
    for c in tag.chars().skip_while(|c| !c.is_whitespace()) {
        if in_value {
            if c == '"' {
                in_value = false;
            }
            continue;
        }
        match c {
            '"' => in_value = true,
            '=' => names.push(std::mem::take(&mut word).to_lowercase()),
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    names.push(std::mem::take(&mut word).to_lowercase());
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        names.push(word.to_lowercase());
    }
    names
}

/// A small RFC 4180 reader: records of fields.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            '"' => panic!("bare quote inside an unquoted field: {field:?}"),
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\r' | '\n' => panic!("bare line break outside quotes"),
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(field.is_empty() && row.is_empty(), "last record lacks CRLF");
    rows
}

#[test]
fn csv_neutralises_formulas() {
    let csv = out("csv");
    let rows = parse_csv(&csv);
    let width = rows[0].len();
    assert_eq!(rows[0][0], "scope");
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.len(), width, "row {i} has {} fields", r.len());
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "row {i}: cell {cell:?} could run as a formula"
            );
        }
    }
    let names: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert!(names.contains(&"'=HYPERLINK(\"http://x\",\"y\")"));
    assert!(names.contains(&"'+cmd|' /C calc'!A0"));
    assert!(names.contains(&"'@SUM(1+1)*cmd|' /C calc'!A0"));
    assert!(names.contains(&"'-2+3+cmd|' /C calc'!A0"));
    assert!(names.contains(&SCRIPT), "other names are kept as they are");
    // One row per device finding, after the tenant checks.
    let r = hostile();
    let findings: usize = r.devices.items.iter().map(|d| d.findings.len()).sum();
    assert_eq!(rows.len(), 1 + r.checks.len() + findings);
}

#[test]
fn markdown_escapes_them() {
    let md = out("md");
    for bad in [
        "<script", "<img", "<b>", "{{7*7}}", "**bold**", "`tick`", "<!--",
    ] {
        assert!(!md.contains(bad), "raw {bad:?} in the Markdown");
    }
    for (i, _) in md.match_indices("](") {
        assert!(
            i > 0 && md.as_bytes()[i - 1] == b'\\',
            "a Markdown link at {i}"
        );
    }
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains("\\{\\{7\\*7\\}\\}"));
    assert!(md.contains("\\| pipe \\|"));
    assert!(!md.contains('\u{202E}') && md.contains("⟪U+202E⟫"));
    // Every table row keeps its number of cells: only the delimiters are bare pipes.
    let mut columns = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let bare = line
            .char_indices()
            .filter(|(i, c)| *c == '|' && (*i == 0 || line.as_bytes()[i - 1] != b'\\'))
            .count();
        match columns {
            None => columns = Some(bare),
            Some(n) => assert_eq!(bare, n, "table row with extra cells: {line}"),
        }
    }
}

/// Parses the whole document; returns every attribute value and text, unescaped.
fn parse_xml(xml: &str) -> (usize, Vec<String>) {
    let mut reader = Reader::from_str(xml);
    let mut cases = 0;
    let mut values = Vec::new();
    let mut depth: i64 = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.name().as_ref() == b"testcase" => {
                cases += 1;
                for a in e.attributes() {
                    let a = a.unwrap();
                    values.push(a.unescape_value().unwrap().into_owned());
                }
                if reader.decoder().decode(e.name().as_ref()).is_ok() {
                    // counted above
                }
                let _ = &mut depth;
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for a in e.attributes() {
                    let a = a.unwrap();
                    values.push(a.unescape_value().unwrap().into_owned());
                }
            }
            Ok(Event::Text(t)) => values.push(t.decode().unwrap().into_owned()),
            Ok(Event::GeneralRef(r)) => values.push(format!("&{};", String::from_utf8_lossy(&r))),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "JUnit XML is not well formed at {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    (cases, values)
}

#[test]
fn junit_stays_well_formed() {
    let xml = out("junit");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    for c in xml.chars() {
        let ok = matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}');
        assert!(
            ok,
            "character U+{:04X} is not allowed in XML 1.0",
            u32::from(c)
        );
    }
    assert!(!xml.contains("]]>"), "no CDATA terminator outside escaping");
    let (cases, values) = parse_xml(&xml);
    let r = hostile();
    assert_eq!(cases, r.checks.len() + r.devices.items.len());
    let joined = values.join("\n");
    assert!(
        joined.contains(SCRIPT),
        "names come back from the XML as they were"
    );
    assert!(joined.contains(IMG));
    assert!(joined.contains(HYPERLINK));
    // A device that is not ready is a failure that names the failing check.
    assert!(xml.contains("<failure type=\"not_ready\" message=\"DEV-003: "));
}

#[test]
fn text_writes_no_control_characters() {
    let text = out("text");
    for c in text.chars() {
        assert!(
            !c.is_control() || c == '\n',
            "control character U+{:04X} in the text summary",
            u32::from(c)
        );
        assert!(!matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'));
    }
}

#[test]
fn json_keeps_the_names_exactly() {
    let v: serde_json::Value = serde_json::from_slice(&render(&hostile(), "json", None)).unwrap();
    let names: Vec<&str> = v["devices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&SCRIPT) && names.contains(&HYPERLINK));
}
