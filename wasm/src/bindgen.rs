//! The wasm-bindgen API for the page: conversions only. Every decision is the core's.
//!
//! A Worker creates one [`Engine`], streams each file in with `begin_file` / `feed` /
//! `end_file`, asks `inspect()` for the inventory, evaluates with `finish(options)` and reads
//! the bytes with `output()`. `rerun(options)` renders the same inputs again (another format,
//! a redaction key) for downloads.

use wasm_bindgen::prelude::*;

use crate::session::Session;

/// One page session: the inputs so far and the last outcome.
#[wasm_bindgen]
#[derive(Default)]
pub struct Engine {
    session: Session,
    output: Vec<u8>,
    /// The report of the last `view` (the page asks for its devices one at a time).
    report: Option<apready_core::Report>,
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Starts a file named by its path relative to the dropped folder (`/` separators);
    /// `size` reserves its memory once.
    pub fn begin_file(&mut self, path: &str, size: f64) {
        let hint = if size.is_finite() && size > 0.0 {
            size as usize
        } else {
            0
        };
        self.session.begin_file(path, hint);
    }

    /// Appends bytes to the current file.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.session.feed(chunk);
    }

    pub fn end_file(&mut self) {
        self.session.end_file();
    }

    /// A whole file at once, replacing any input with this path: parsed straight from the
    /// bytes wasm-bindgen copied in (no second copy into a growing buffer).
    pub fn put_file(&mut self, path: &str, bytes: &[u8]) {
        self.session.put_file(path, bytes);
    }

    /// Drops the inputs with this path; returns how many were dropped.
    pub fn remove_file(&mut self, path: &str) -> u32 {
        u32::try_from(self.session.remove_file(path)).unwrap_or(u32::MAX)
    }

    /// Drops every input and the last outcome.
    pub fn clear(&mut self) {
        self.session.clear();
        self.output = Vec::new();
        self.report = None;
    }

    pub fn files(&self) -> u32 {
        u32::try_from(self.session.files()).unwrap_or(u32::MAX)
    }

    /// The input inventory (JSON array) without evaluating.
    pub fn inspect(&mut self) -> String {
        String::from_utf8_lossy(&self.session.inspect()).into_owned()
    }

    /// Evaluates with the options (JSON) and keeps the output; returns the exit code
    /// (0 ready, 1 advisory, 2 not ready, 3 error, 64 usage — then the output is the message).
    pub fn finish(&mut self, options_json: &str) -> u32 {
        self.rerun(options_json)
    }

    /// Renders the same inputs again (another format, a redaction key); same convention as
    /// `finish`.
    pub fn rerun(&mut self, options_json: &str) -> u32 {
        let out = self.session.evaluate(options_json.as_bytes());
        self.output = out.output;
        u32::try_from(out.exit_code).unwrap_or(64)
    }

    /// Evaluates like `finish` but keeps the report and outputs the head of the page's view of
    /// it (JSON: the report without its device rows, `devices.listed` saying how many there
    /// are); `view_items` then gives the rows a slice at a time (each device's non-ready
    /// findings as `{id, status, message}` and its `index`), and `device(index)` one device in
    /// full. A usage error is exit 64 with the message as the output, as for `finish`.
    pub fn view(&mut self, options_json: &str) -> u32 {
        self.report = None;
        match self.session.report(options_json.as_bytes()) {
            Ok((report, exit_code)) => {
                self.output = apready_core::report::view::view_head_json(&report);
                self.report = Some(report);
                u32::try_from(exit_code).unwrap_or(64)
            }
            Err(usage) => {
                self.output = usage.output;
                u32::try_from(usage.exit_code).unwrap_or(64)
            }
        }
    }

    /// Up to `count` device rows of the last `view`'s report from position `start` on, as the
    /// output (a JSON array, empty past the end or without a report); returns how many.
    pub fn view_items(&mut self, start: u32, count: u32) -> u32 {
        let Some(r) = self.report.as_ref() else {
            self.output = b"[]".to_vec();
            return 0;
        };
        let (start, count) = (start as usize, count as usize);
        self.output = apready_core::report::view::view_items_json(r, start, count);
        let n = r.devices.items.len().saturating_sub(start).min(count);
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// One device of the last `view`'s report with all its findings (JSON), or `undefined`.
    pub fn device(&self, index: u32) -> Option<String> {
        let r = self.report.as_ref()?;
        let bytes = apready_core::report::view::device_json(r, index as usize)?;
        String::from_utf8(bytes).ok()
    }

    /// The bytes of the last `finish` / `rerun`.
    pub fn output(&self) -> Vec<u8> {
        self.output.clone()
    }

    /// Hands over the bytes of the last `finish` / `rerun` without keeping a copy.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.output)
    }
}

/// Requests that evaluate nothing (`rules`, `explain`, `exports`, `profiles`, …): the output
/// bytes, as `apready` prints them (a usage error is a plain-text message, not JSON).
#[wasm_bindgen]
pub fn command(request_json: &str) -> Vec<u8> {
    apready_core::command(request_json.as_bytes()).output
}

/// The fingerprint a redacted report prints for this key (the key itself is never printed).
#[wasm_bindgen]
pub fn fingerprint(key: &str) -> String {
    apready_core::report::redact::fingerprint(key.as_bytes())
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    apready_core::VERSION.to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const ORG: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/sample-tenant/organization.json"
    );
    const OPTS: &str = r#"{"format":"json","as_of":"2022-06-15T00:00:00Z","profile":"2022-05"}"#;

    fn engine_with_org() -> Engine {
        let bytes = std::fs::read(ORG).unwrap();
        let mut e = Engine::new();
        e.begin_file("organization.json", bytes.len() as f64);
        let (a, b) = bytes.split_at(bytes.len() / 2);
        e.feed(a);
        e.feed(b);
        e.end_file();
        e
    }

    #[test]
    fn view_keeps_the_report_for_device_lookups() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/sample-tenant");
        let mut e = Engine::new();
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|x| x.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        for p in &names {
            let bytes = std::fs::read(p).unwrap();
            e.begin_file(
                &p.file_name().unwrap().to_string_lossy(),
                bytes.len() as f64,
            );
            e.feed(&bytes);
            e.end_file();
        }
        let code = e.finish(OPTS);
        let full: serde_json::Value = serde_json::from_slice(&e.take_output()).unwrap();
        assert_eq!(e.view(OPTS), code);
        let view: serde_json::Value = serde_json::from_slice(&e.take_output()).unwrap();
        assert_eq!(view["verdict"], full["verdict"]);
        let items = full["devices"]["items"].as_array().unwrap();
        assert!(!items.is_empty());
        assert_eq!(view["devices"]["listed"], items.len());
        assert_eq!(e.view_items(1, 2) as usize, 2.min(items.len() - 1));
        let rows: serde_json::Value = serde_json::from_slice(&e.take_output()).unwrap();
        assert_eq!(rows[0]["index"], 1);
        assert_eq!(rows[0]["id"], items[1]["id"]);
        assert_eq!(e.view_items(items.len() as u32, 5), 0);
        assert_eq!(e.take_output(), b"[]");
        for (i, item) in items.iter().enumerate() {
            let one: serde_json::Value =
                serde_json::from_str(&e.device(i as u32).unwrap()).unwrap();
            assert_eq!(&one, item);
        }
        assert!(e.device(items.len() as u32).is_none());
        // A usage error is exit 64 with a message, and no report is kept.
        assert_eq!(e.view(r#"{"as_of":"yesterday"}"#), 64);
        assert!(e.device(0).is_none());
    }

    #[test]
    fn streamed_chunks_equal_one_file_and_rerun_repeats_finish() {
        let mut e = engine_with_org();
        assert!(e.inspect().contains("\"resource\": \"organization\""));
        let code = e.finish(OPTS);
        let first = e.output();
        assert_eq!(e.rerun(OPTS), code);
        assert_eq!(e.take_output(), first);
        let whole = apready_core::run(
            &[apready_core::Input {
                path: "organization.json".into(),
                bytes: std::fs::read(ORG).unwrap(),
            }],
            OPTS.as_bytes(),
        );
        assert_eq!(whole.output, first);
        assert_eq!(whole.exit_code as u32, code);
    }

    #[test]
    fn remove_and_clear_drop_inputs() {
        let mut e = engine_with_org();
        assert_eq!(e.files(), 1);
        assert_eq!(e.remove_file("other.json"), 0);
        assert_eq!(e.remove_file("organization.json"), 1);
        assert_eq!(e.files(), 0);
        let mut e = engine_with_org();
        e.clear();
        assert_eq!(e.inspect().trim(), "[]");
    }

    #[test]
    fn usage_errors_are_exit_64_with_a_message() {
        let mut e = Engine::new();
        assert_eq!(e.finish(r#"{"format":"json","as_of":"yesterday"}"#), 64);
        assert!(String::from_utf8_lossy(&e.output()).contains("RFC 3339"));
        assert!(String::from_utf8_lossy(&command(r#"{"op":"nope"}"#)).contains("unknown"));
        assert!(String::from_utf8_lossy(&command(r#"{"op":"profiles"}"#)).contains("2022-05"));
        assert_eq!(fingerprint("abc"), "ba7816bf");
        assert!(!version().is_empty());
    }
}
