//! Inputs: decoding, detection and streaming parsing into the evidence model.

pub mod decode;
pub mod dsreg;
pub mod lenient;
pub mod parse;
pub mod records;

use serde::de::DeserializeSeed;

use crate::model::*;

/// One input file: its path relative to the folder given (with `/` separators) and bytes.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Reads every input into the evidence model. Never panics; unusable files are recorded.
/// The same as adding each input to a [`Loader`] and asking for its store.
pub fn load(inputs: &[Input], scope_path: Option<&str>) -> Store {
    let mut l = Loader::default();
    for input in inputs {
        l.add(&input.path, &input.bytes);
    }
    l.prepare(scope_path);
    l.store
}

/// Files up to this size that give no records keep their bytes, in case the caller names
/// one as the scope list (a text file of ids, known only when evaluation is asked for).
const SCOPE_KEEP_MAX: usize = 16 << 20;

/// The evidence store built file by file: each file is parsed when it is added, so a host
/// can hand over a file's bytes and drop them (a 1M-device tenant never has to be in memory
/// twice, as bytes and as records). Whatever order files are added in, [`Loader::prepare`]
/// puts the store in path order, so every host gets the same report for the same files.
#[derive(Debug, Default)]
pub struct Loader {
    pub(crate) store: Store,
    /// Per file (parallel to `store.files`): the bytes of a small file that gave no records.
    raw: Vec<Option<Vec<u8>>>,
    /// The scope file currently applied by `prepare`: its index and the parsed file's info.
    scoped: Vec<(usize, FileInfo)>,
}

impl Loader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one file into the store.
    pub fn add(&mut self, path: &str, bytes: &[u8]) {
        self.unscope();
        let before = self.store.record_counts();
        load_one(&mut self.store, path, bytes);
        let raw = (self.store.record_counts() == before && bytes.len() <= SCOPE_KEEP_MAX)
            .then(|| bytes.to_vec());
        self.raw.push(raw);
    }

    /// How many files were added (and not removed).
    pub fn files(&self) -> usize {
        self.store.files.len()
    }

    /// Drops every file with this path and its records; returns how many were dropped.
    pub fn remove(&mut self, path: &str) -> usize {
        self.unscope();
        let gone: Vec<bool> = self.store.files.iter().map(|f| f.path == path).collect();
        let n = gone.iter().filter(|g| **g).count();
        if n == 0 {
            return 0;
        }
        let mut new_index = vec![u32::MAX; gone.len()];
        let mut next = 0u32;
        for (i, g) in gone.iter().enumerate() {
            if !g {
                new_index[i] = next;
                next += 1;
            }
        }
        self.store.retain_files(&new_index);
        let mut i = 0;
        self.raw.retain(|_| {
            let keep = !gone[i];
            i += 1;
            keep
        });
        self.store.rebuild_aggregates();
        n
    }

    /// Drops every file.
    pub fn clear(&mut self) {
        *self = Loader::default();
    }

    /// Puts the store in path order (stable for equal paths), applies the scope file if one
    /// is named, and recomputes the per-store aggregates from the files.
    pub fn prepare(&mut self, scope_path: Option<&str>) {
        self.unscope();
        self.sort_by_path();
        self.store.shrink();
        if let Some(p) = scope_path {
            for i in 0..self.store.files.len() {
                if self.store.files[i].path != p {
                    continue;
                }
                let info = match self.raw.get(i).and_then(Option::as_ref) {
                    Some(bytes) => {
                        let (info, set) = scope_file(p, bytes);
                        if let Some(set) = set {
                            self.store
                                .scope
                                .get_or_insert_with(Default::default)
                                .extend(set);
                        }
                        info
                    }
                    None => {
                        let mut info = unusable(
                            p,
                            self.store.files[i].encoding,
                            "the scope file holds Graph records: a scope list is a text file of device or user ids".into(),
                        );
                        info.kind = "scope";
                        info
                    }
                };
                let parsed = std::mem::replace(&mut self.store.files[i], info);
                self.scoped.push((i, parsed));
            }
        }
        self.store.rebuild_aggregates();
        if let Some(p) = scope_path {
            // A scope file is never a damaged export, whatever its name suggests.
            for v in self.store.damaged.values_mut() {
                v.retain(|x| x != p);
            }
            self.store.damaged.retain(|_, v| !v.is_empty());
        }
    }

    /// Undoes the scope applied by the last `prepare`.
    fn unscope(&mut self) {
        for (i, info) in std::mem::take(&mut self.scoped) {
            if let Some(f) = self.store.files.get_mut(i) {
                *f = info;
            }
        }
        if self.store.scope.take().is_some() {
            self.store.rebuild_aggregates();
        }
    }

    fn sort_by_path(&mut self) {
        let files = &self.store.files;
        if files.windows(2).all(|w| w[0].path <= w[1].path) {
            return;
        }
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by(|a, b| files[*a].path.cmp(&files[*b].path));
        let mut new_index = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new as u32;
        }
        let mut files: Vec<Option<FileInfo>> = std::mem::take(&mut self.store.files)
            .into_iter()
            .map(Some)
            .collect();
        let mut raw: Vec<Option<Vec<u8>>> = std::mem::take(&mut self.raw);
        self.store.files = order.iter().filter_map(|&i| files[i].take()).collect();
        self.raw = order
            .iter()
            .map(|&i| raw.get_mut(i).and_then(Option::take))
            .collect();
        self.store.renumber_files(&new_index);
    }

    /// The input inventory (JSON array), without evaluating.
    pub fn inspect_json(&mut self) -> Vec<u8> {
        self.prepare(None);
        let entries = crate::engine::inventory(&self.store);
        let mut out = serde_json::to_vec_pretty(&entries).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// The store as prepared by the last [`Loader::prepare`].
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// A scope list: every GUID in the file's text.
fn scope_file(path: &str, bytes: &[u8]) -> (FileInfo, Option<std::collections::BTreeSet<String>>) {
    let text = match decode::decode(bytes) {
        Ok(d) => d.text.into_owned(),
        Err(e) => return (unusable(path, "unknown", e), None),
    };
    let mut set = std::collections::BTreeSet::new();
    for g in crate::util::guids_in(&text) {
        set.insert(g);
    }
    let mut info = unusable(path, "utf-8", String::new());
    info.unusable = None;
    info.kind = "scope";
    info.records = set.len() as u64;
    if set.is_empty() {
        info.unusable = Some("the scope file lists no device or user ids (GUIDs)".into());
    }
    (info, Some(set))
}

fn unusable(path: &str, encoding: &'static str, why: String) -> FileInfo {
    FileInfo {
        path: path.to_string(),
        encoding,
        resource: parse::name_resource(path),
        api: Api::Unknown,
        records: 0,
        pages: 0,
        next_links: 0,
        kind: "unknown",
        problems: Vec::new(),
        unusable: Some(why),
        tenant_hint: None,
        bad_fields: 0,
        chain_updates: Vec::new(),
        bundle_time: None,
        bundle_incomplete: false,
    }
}

fn load_one(ev: &mut Store, path: &str, bytes: &[u8]) {
    let decoded = match decode::decode(bytes) {
        Ok(d) => d,
        Err(e) => {
            ev.files.push(unusable(path, "unknown", e));
            return;
        }
    };
    let text: &str = &decoded.text;
    if text.bytes().all(|b| b.is_ascii_whitespace()) {
        ev.files
            .push(unusable(path, decoded.encoding, "the file is empty".into()));
        return;
    }
    let marks = ev.record_counts();
    // The bundle fields are per file here; the store's are derived from every file's.
    let saved_bundle = (
        ev.bundle_time.take(),
        std::mem::take(&mut ev.bundle_incomplete),
    );
    let file_index = ev.files.len() as u32;
    let mut st = parse::State {
        ev,
        file: file_index,
        file_name: path.to_string(),
        name_hint: parse::name_resource(path),
        resource: None,
        api: Api::Unknown,
        records: 0,
        pages: 0,
        next_links: 0,
        chain_updates: Vec::new(),
        problems: parse::Problems::default(),
        fatal: None,
        kind: "unknown",
        tenant_hint: None,
        bad_fields: 0,
    };
    // The text is valid UTF-8 (decoded above): `from_str` does not check each string again.
    let mut de = serde_json::Deserializer::from_str(text);
    let result = parse::TopSeed {
        st: &mut st,
        path: String::new(),
        nested: false,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    let syntax = result.err().map(|e| json_error(&e));
    let failure = syntax.or(st.fatal.take());
    let mut info = FileInfo {
        path: path.to_string(),
        encoding: decoded.encoding,
        resource: st.resource.or(st.name_hint),
        api: st.api,
        records: st.records,
        pages: st.pages,
        next_links: st.next_links,
        kind: st.kind,
        problems: std::mem::take(&mut st.problems).finish(),
        unusable: failure,
        tenant_hint: st.tenant_hint.take(),
        bad_fields: st.bad_fields,
        chain_updates: std::mem::take(&mut st.chain_updates),
        bundle_time: None,
        bundle_incomplete: false,
    };
    drop(st);
    let bundle = (ev.bundle_time, ev.bundle_incomplete);
    (ev.bundle_time, ev.bundle_incomplete) = saved_bundle;
    if info.unusable.is_some() {
        ev.truncate_records(marks);
        info.chain_updates.clear();
    } else {
        (info.bundle_time, info.bundle_incomplete) = bundle;
    }
    ev.files.push(info);
}

fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the JSON ends early (the file is cut off)",
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Data => "unexpected JSON content",
        serde_json::error::Category::Io => "read error",
    };
    let msg = e.to_string();
    let detail = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    format!(
        "{what} at line {}, column {}: {detail}",
        e.line(),
        e.column()
    )
}
