//! Fuzzes `apready_core::run`, the entry point every host calls: 1–3 input files plus one
//! options JSON from a fixed set.
//!
//! Input layout (see `make-seeds.py`): byte 0 picks the number of files (1–3) and the options;
//! byte 1 picks the file names (detection falls back on them); the rest is the files' bytes
//! separated by [`SEP`].
//!
//! Asserted for every input: no panic (libFuzzer reports one), the exit code is 0–3 (64 only
//! for the one invalid options entry), a JSON report parses and carries a verdict that
//! matches the exit code, every other format is UTF-8, JUnit is well-formed XML without
//! characters XML 1.0 forbids, HTML holds no `<script`, and a redacted report holds no GUID
//! of the inputs.

#![no_main]

use apready_core::{run, Input};
use libfuzzer_sys::fuzz_target;

/// Separates the files in a fuzz input.
const SEP: &[u8] = b"\n=apready-next-file=\n";

/// File names: what a user's folder would hold, so name-based detection is exercised.
const NAMES: &[&str] = &[
    "managedDevices.json",
    "devices.json",
    "users.json",
    "subscribedSkus.json",
    "organization.json",
    "onPremisesSynchronization.json",
    "snapshot.json",
    "export.json",
    "managedDevices-beta.page2.json",
    "scope.txt",
    "a/b/users.page1.json",
    "DEVICES.JSON",
];

/// Options: every format, redaction, both profiles, every option that changes decisions.
/// `{scope}` is replaced by the first file's name. The last entry is invalid on purpose.
const OPTIONS: &[&str] = &[
    r#"{}"#,
    r#"{"format":"text","as_of":"2022-06-15T00:00:00Z"}"#,
    r#"{"format":"html","as_of":"2022-06-15T00:00:00Z"}"#,
    r#"{"format":"csv","as_of":"2022-06-15T00:00:00Z"}"#,
    r#"{"format":"md","as_of":"2022-06-15T00:00:00Z"}"#,
    r#"{"format":"junit","as_of":"2022-06-15T00:00:00Z"}"#,
    r#"{"format":"json","redact_key":"fuzz-key","as_of":"2022-06-15T00:00:00Z"}"#,
    r#"{"profile":"current","as_of":"2026-01-15T00:00:00Z"}"#,
    r#"{"as_of":"2022-06-15T00:00:00Z","fail_on_devices":"advisory","configmgr_version":"5.00.9078.1006","sync_client_version":"2.1.1.0"}"#,
    r#"{"scope":"{scope}","now":"2022-06-15T00:00:00Z"}"#,
    r#"{"format":"html","redact_key":"fuzz-key","profile":"current"}"#,
    r#"{"format":"junit","redact_key":"fuzz-key"}"#,
    r#"{"format":"md","redact_key":"fuzz-key","profile":"current"}"#,
    r#"{"format":"csv","redact_key":"fuzz-key"}"#,
    r#"{"profile":"current","format":"json","redact_key":"k","fail_on_devices":"not_ready"}"#,
    r#"{"profile":"no-such-profile"}"#,
];

fn split(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(n);
    let mut rest = data;
    while out.len() + 1 < n {
        match rest.windows(SEP.len()).position(|w| w == SEP) {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + SEP.len()..];
            }
            None => break,
        }
    }
    out.push(rest);
    out
}

/// Severity rank of an exit code's verdict: ready < advisory < error < not_ready.
fn rank(code: i32) -> u8 {
    match code {
        0 => 0,
        1 => 1,
        3 => 2,
        _ => 3,
    }
}

fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

fn check_xml(text: &str) {
    assert!(
        text.chars().all(xml_char),
        "JUnit output holds a character XML 1.0 forbids"
    );
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|err| panic!("JUnit attribute: {err}"));
                    a.unescape_value()
                        .unwrap_or_else(|err| panic!("JUnit attribute value: {err}"));
                }
            }
            Ok(quick_xml::events::Event::Empty(e)) => {
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|err| panic!("JUnit attribute: {err}"));
                    a.unescape_value()
                        .unwrap_or_else(|err| panic!("JUnit attribute value: {err}"));
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.decode().unwrap_or_else(|err| panic!("JUnit text: {err}"));
            }
            Ok(_) => {}
            Err(e) => panic!(
                "JUnit output is not well-formed XML at {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    assert_eq!(depth, 0, "JUnit output: unclosed elements");
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let ctl = data[0] as usize;
    let names = data[1] as usize;
    let n = 1 + ctl % 3;
    let opt_index = (ctl / 3) % OPTIONS.len();
    let files = split(&data[2..], n);
    let inputs: Vec<Input> = files
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            // Distinct names: the runner and the hosts never pass two files of one path.
            let name = NAMES[(names + i * 5) % NAMES.len()];
            let path = if i == 0 {
                name.to_string()
            } else {
                format!("{i}/{name}")
            };
            Input {
                path,
                bytes: bytes.to_vec(),
            }
        })
        .collect();
    let options = OPTIONS[opt_index].replace("{scope}", &inputs[0].path);
    let out = run(&inputs, options.as_bytes());

    if opt_index == OPTIONS.len() - 1 {
        assert_eq!(out.exit_code, 64, "an unknown profile is a usage error");
        return;
    }
    assert!(
        (0..=3).contains(&out.exit_code),
        "exit code {} for valid options {options}: {}",
        out.exit_code,
        String::from_utf8_lossy(&out.output)
    );
    let text =
        std::str::from_utf8(&out.output).unwrap_or_else(|e| panic!("output is not UTF-8: {e}"));
    let options_v: serde_json::Value =
        serde_json::from_str(&options).unwrap_or_else(|e| panic!("options: {e}"));
    let format = options_v
        .get("format")
        .and_then(|f| f.as_str())
        .unwrap_or("json");
    match format {
        "json" => {
            let v: serde_json::Value = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("the JSON report does not parse: {e}"));
            let verdict = v
                .get("verdict")
                .and_then(|x| x.as_str())
                .unwrap_or_else(|| panic!("the JSON report has no verdict"));
            let code = match verdict {
                "ready" => 0,
                "advisory" => 1,
                "not_ready" => 2,
                "error" => 3,
                other => panic!("unknown verdict {other}"),
            };
            if options_v.get("fail_on_devices").is_none() {
                assert_eq!(out.exit_code, code, "exit code and verdict disagree");
            } else {
                // Device results may only raise the exit code's verdict (not_ready ranks
                // above error).
                assert!(
                    rank(out.exit_code) >= rank(code),
                    "--fail-on-devices lowered the verdict: exit {} for {verdict}",
                    out.exit_code
                );
            }
            if options_v.get("redact_key").is_some() {
                assert_eq!(v.get("redacted").and_then(|r| r.as_bool()), Some(true));
                // No GUID of the inputs survives redaction.
                let report = apready_core::evaluate(
                    &inputs,
                    &serde_json::from_str(&options).unwrap_or_else(|e| panic!("{e}")),
                )
                .unwrap_or_else(|e| panic!("{e}"));
                let lower = text.to_ascii_lowercase();
                for id in report.identifiers.iter().filter(|s| is_guid(s)) {
                    assert!(
                        !lower.contains(&id.to_ascii_lowercase()),
                        "redacted report still holds {id}"
                    );
                }
            }
        }
        "html" => {
            assert!(
                !text.to_ascii_lowercase().contains("<script"),
                "the HTML report holds a <script"
            );
        }
        "junit" => check_xml(text),
        _ => {}
    }
});
