//! A session accumulates input files chunk by chunk (so a host can stream a large file into
//! the guest's memory without holding a second copy) and evaluates them at the end.

use apready_core::Input;

#[derive(Default)]
pub struct Session {
    inputs: Vec<Input>,
    current: Option<Input>,
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
        self.current = Some(Input {
            path: path.to_string(),
            bytes,
        });
    }
    pub fn feed(&mut self, chunk: &[u8]) {
        if let Some(c) = self.current.as_mut() {
            c.bytes.extend_from_slice(chunk);
        }
    }
    pub fn end_file(&mut self) {
        if let Some(c) = self.current.take() {
            self.inputs.push(c);
        }
    }
    /// Adds a whole file whose bytes the caller already owns (no copy).
    pub fn add_file(&mut self, path: String, bytes: Vec<u8>) {
        self.end_file();
        self.inputs.push(Input { path, bytes });
    }
    pub fn files(&self) -> usize {
        self.inputs.len() + usize::from(self.current.is_some())
    }
    /// The input inventory so far, without evaluating (JSON array).
    pub fn inspect(&mut self) -> Vec<u8> {
        self.end_file();
        apready_core::inspect_json(&self.inputs)
    }

    /// Drops the inputs with this path (a page's "remove file"); returns how many were dropped.
    pub fn remove_file(&mut self, path: &str) -> usize {
        self.end_file();
        let before = self.inputs.len();
        self.inputs.retain(|i| i.path != path);
        before - self.inputs.len()
    }
    /// Drops every input.
    pub fn clear(&mut self) {
        self.current = None;
        self.inputs.clear();
    }
    /// Evaluates and renders like [`Session::finish`] but keeps the inputs, so a host can render
    /// the same evaluation again in another format or with a redaction key.
    pub fn evaluate(&mut self, options_json: &[u8]) -> apready_core::Outcome {
        self.end_file();
        apready_core::run(&self.inputs, options_json)
    }

    /// Evaluates and renders in the options' format (`apready check`).
    pub fn finish(&mut self, options_json: &[u8]) -> apready_core::Outcome {
        self.end_file();
        let inputs = std::mem::take(&mut self.inputs);
        apready_core::run(&inputs, options_json)
    }
}
