//! A session receives input files chunk by chunk (so a host can stream a large file into the
//! guest's memory without holding a second copy), parses each one as soon as it is complete
//! and drops its bytes (the core's [`Loader`]), and evaluates at the end. Peak memory is the
//! parsed records plus the largest single file, not every file's bytes.

use apready_core::Loader;

#[derive(Default)]
pub struct Session {
    loader: Loader,
    current: Option<(String, Vec<u8>)>,
}

impl Session {
    pub fn new() -> Self {
        Self::default()
    }
    /// Starts a file; `size_hint` reserves its memory once.
    pub fn begin_file(&mut self, path: &str, size_hint: usize) {
        self.end_file();
        let mut bytes = Vec::new();
        // A hint the allocator refuses is not an error here: the file may still fit as it grows.
        let _ = bytes.try_reserve_exact(size_hint);
        self.current = Some((path.to_string(), bytes));
    }
    pub fn feed(&mut self, chunk: &[u8]) {
        if let Some((_, bytes)) = self.current.as_mut() {
            bytes.extend_from_slice(chunk);
        }
    }
    /// Ends the current file: it is parsed now and its bytes are dropped.
    pub fn end_file(&mut self) {
        if let Some((path, bytes)) = self.current.take() {
            self.loader.add(&path, &bytes);
        }
    }
    /// Replaces any input with this path by these bytes (parsed now, not kept).
    pub fn put_file(&mut self, path: &str, bytes: &[u8]) {
        self.end_file();
        self.loader.remove(path);
        self.loader.add(path, bytes);
    }
    /// Adds a whole file (parsed now; the bytes are dropped after).
    pub fn add_file(&mut self, path: String, bytes: Vec<u8>) {
        self.end_file();
        self.loader.add(&path, &bytes);
    }
    pub fn files(&self) -> usize {
        self.loader.files() + usize::from(self.current.is_some())
    }
    /// The input inventory so far, without evaluating (JSON array).
    pub fn inspect(&mut self) -> Vec<u8> {
        self.end_file();
        self.loader.inspect_json()
    }

    /// Drops the inputs with this path (a page's "remove file"); returns how many were dropped.
    pub fn remove_file(&mut self, path: &str) -> usize {
        self.end_file();
        self.loader.remove(path)
    }
    /// Drops every input.
    pub fn clear(&mut self) {
        self.current = None;
        self.loader.clear();
    }
    /// Evaluates and renders like [`Session::finish`] but keeps the inputs, so a host can render
    /// the same evaluation again in another format or with a redaction key.
    pub fn evaluate(&mut self, options_json: &[u8]) -> apready_core::Outcome {
        self.end_file();
        self.loader.run(options_json)
    }

    /// Evaluates and keeps the inputs: the report itself (see `Loader::report`).
    pub fn report(
        &mut self,
        options_json: &[u8],
    ) -> Result<(apready_core::Report, i32), apready_core::Outcome> {
        self.end_file();
        self.loader.report(options_json)
    }

    /// Evaluates and renders in the options' format (`apready check`), then drops the inputs.
    pub fn finish(&mut self, options_json: &[u8]) -> apready_core::Outcome {
        self.end_file();
        self.loader.run_once(options_json)
    }
}
