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
pub fn load(inputs: &[Input], scope_path: Option<&str>) -> Store {
    let mut ev = Store::default();
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by(|a, b| inputs[*a].path.cmp(&inputs[*b].path));
    for i in order {
        let input = &inputs[i];
        if scope_path == Some(input.path.as_str()) {
            load_scope(&mut ev, input);
            continue;
        }
        load_one(&mut ev, input);
    }
    ev
}

fn load_scope(ev: &mut Store, input: &Input) {
    let text = match decode::decode(&input.bytes) {
        Ok(d) => String::from_utf8_lossy(&d.text).into_owned(),
        Err(e) => {
            ev.files.push(unusable(&input.path, "unknown", e));
            return;
        }
    };
    let mut set = std::collections::BTreeSet::new();
    for g in crate::util::guids_in(&text) {
        set.insert(g);
    }
    let mut info = unusable(&input.path, "utf-8", String::new());
    info.unusable = None;
    info.kind = "scope";
    info.records = set.len() as u64;
    if set.is_empty() {
        info.unusable = Some("the scope file lists no device or user ids (GUIDs)".into());
    }
    ev.files.push(info);
    ev.scope = Some(set);
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
    }
}

fn load_one(ev: &mut Store, input: &Input) {
    let decoded = match decode::decode(&input.bytes) {
        Ok(d) => d,
        Err(e) => {
            let info = unusable(&input.path, "unknown", e);
            mark_damaged(ev, &info);
            ev.files.push(info);
            return;
        }
    };
    let text: &[u8] = &decoded.text;
    if text.iter().all(|b| b.is_ascii_whitespace()) {
        let info = unusable(&input.path, decoded.encoding, "the file is empty".into());
        mark_damaged(ev, &info);
        ev.files.push(info);
        return;
    }
    let marks = (
        ev.managed.len(),
        ev.entra.len(),
        ev.skus.len(),
        ev.users.len(),
        ev.orgs.len(),
        ev.syncs.len(),
        ev.locals.len(),
        ev.bundle_time,
        ev.bundle_incomplete,
    );
    let file_index = ev.files.len() as u32;
    let mut st = parse::State {
        ev,
        file: file_index,
        file_name: input.path.clone(),
        name_hint: parse::name_resource(&input.path),
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
    let mut de = serde_json::Deserializer::from_slice(text);
    let result = parse::TopSeed {
        st: &mut st,
        path: String::new(),
        nested: false,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    let syntax = result.err().map(|e| json_error(&e));
    let failure = syntax.or(st.fatal.take());
    let info = FileInfo {
        path: input.path.clone(),
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
    };
    let updates = std::mem::take(&mut st.chain_updates);
    drop(st);
    if info.unusable.is_some() {
        ev.managed.truncate(marks.0);
        ev.entra.truncate(marks.1);
        ev.skus.truncate(marks.2);
        ev.users.truncate(marks.3);
        ev.orgs.truncate(marks.4);
        ev.syncs.truncate(marks.5);
        ev.locals.truncate(marks.6);
        ev.bundle_time = marks.7;
        ev.bundle_incomplete = marks.8;
        mark_damaged(ev, &info);
    } else {
        for (r, api, pages, terminal, records, unpaged) in updates {
            let c = ev.chains.entry((r, api)).or_default();
            c.pages += pages;
            c.terminal += terminal;
            c.records += records;
            c.unpaged |= unpaged;
        }
        if let Some(t) = &info.tenant_hint {
            ev.tenant_ids
                .entry(t.to_string())
                .or_default()
                .push(info.path.clone());
        }
    }
    ev.files.push(info);
}

fn mark_damaged(ev: &mut Store, info: &FileInfo) {
    if let Some(r) = info.resource {
        ev.damaged.entry(r).or_default().push(info.path.clone());
    }
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
