//! Streaming reading of one input file: Graph pages, arrays of pages or records, single
//! objects, PowerShell output and snapshot bundles — straight into typed records.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

use super::lenient::*;
use super::records::{Member, Raw};
use crate::model::*;
use crate::time::Stamp;

/// What one JSON object turned out to be.
enum Outcome {
    Page,
    Record(Resource),
    Bundle,
    Unknown(String),
}

/// Problems listed per file: the first [`Problems::KEPT`] are kept, the rest counted, so a
/// file of ten million bad elements costs a counter, not ten million messages.
#[derive(Debug, Default)]
pub struct Problems {
    kept: Vec<String>,
    more: u64,
}

impl Problems {
    pub const KEPT: usize = 50;
    pub fn push(&mut self, p: String) {
        if self.kept.len() < Self::KEPT {
            self.kept.push(p);
        } else {
            self.more += 1;
        }
    }
    pub fn len(&self) -> usize {
        self.kept.len()
    }
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
    /// The kept problems, then how many more there were.
    pub fn finish(self) -> Vec<String> {
        let mut v = self.kept;
        if self.more > 0 {
            v.push(format!("… and {} more problem(s) in this file", self.more));
        }
        v
    }
}

/// Parsing state for one file.
pub struct State<'a> {
    pub ev: &'a mut Store,
    pub file: u32,
    pub file_name: String,
    pub name_hint: Option<Resource>,
    pub resource: Option<Resource>,
    pub api: Api,
    pub records: u64,
    pub pages: u32,
    pub next_links: u32,
    pub chain_updates: Vec<(Resource, Api, u32, u32, u64, bool)>,
    pub problems: Problems,
    pub fatal: Option<String>,
    pub kind: &'static str,
    pub tenant_hint: Option<Box<str>>,
    /// Record members whose value could not be used.
    pub bad_fields: u32,
}

pub fn context_resource(ctx: &str) -> (Option<Resource>, Api, String) {
    let api = if ctx.contains("/beta/") {
        Api::Beta
    } else if ctx.contains("/v1.0/") {
        Api::V1
    } else {
        Api::Unknown
    };
    let after = ctx.split_once("$metadata#").map(|(_, a)| a).unwrap_or("");
    let mut set = after;
    if let Some(i) = set.find('(') {
        set = &set[..i];
    }
    if let Some(i) = set.find("/$entity") {
        set = &set[..i];
    }
    let lower = set.trim_end_matches('/').to_ascii_lowercase();
    let r = match lower.as_str() {
        "devicemanagement/manageddevices" => Some(Resource::ManagedDevices),
        "devices" => Some(Resource::Devices),
        "subscribedskus" => Some(Resource::SubscribedSkus),
        "users" => Some(Resource::Users),
        "organization" => Some(Resource::Organization),
        "directory/onpremisessynchronization" => Some(Resource::OnPremisesSynchronization),
        _ => None,
    };
    (r, api, set.to_string())
}

/// A resource guessed from a file name, the last resort of detection.
pub fn name_resource(name: &str) -> Option<Resource> {
    let n = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    if n.contains("manageddevice") {
        Some(Resource::ManagedDevices)
    } else if n.contains("subscribedsku") || n.contains("sku") {
        Some(Resource::SubscribedSkus)
    } else if n.contains("onpremisessynchronization") || n.contains("dirsync") {
        Some(Resource::OnPremisesSynchronization)
    } else if n.contains("organization") || n.contains("organisation") {
        Some(Resource::Organization)
    } else if n.contains("user") {
        Some(Resource::Users)
    } else if n.contains("device") {
        Some(Resource::Devices)
    } else {
        None
    }
}

impl<'a> State<'a> {
    fn loc(&mut self, suffix: &str) -> u32 {
        let id = self.ev.locs.len() as u32;
        self.ev.locs.push(format!("{}#{}", self.file_name, suffix));
        id
    }

    fn note_resource(&mut self, r: Resource, api: Api) {
        if self.resource.is_none() {
            self.resource = Some(r);
        }
        if self.api == Api::Unknown {
            self.api = api;
        }
    }

    /// Moves a record out of `raw` (left empty, ready for the next one) into the store.
    fn push(&mut self, raw: &mut Raw, resource: Resource, api: Api, src: Src) {
        self.records += 1;
        if !raw.bad.is_empty() {
            let loc = self.ev.location(src);
            for (key, why) in std::mem::take(&mut raw.bad) {
                self.bad_fields += 1;
                if self.problems.len() < 50 {
                    self.problems.push(format!("{loc}.{key}: {why}"));
                }
            }
        }
        self.note_resource(resource, api);
        match resource {
            Resource::ManagedDevices => {
                let m = raw.into_managed(src, api, &mut self.ev.strings);
                self.ev.managed.push(m)
            }
            Resource::Devices => {
                let e = raw.into_entra(src);
                self.ev.entra.push(e)
            }
            Resource::SubscribedSkus => self.ev.skus.push(raw.into_sku(src)),
            Resource::Users => self.ev.users.push(raw.into_user(src)),
            Resource::Organization => {
                let org = raw.into_org(src);
                if let Some(id) = org.id.text() {
                    if self.tenant_hint.is_none() {
                        self.tenant_hint = Some(id.into());
                    }
                }
                self.ev.orgs.push(org)
            }
            Resource::OnPremisesSynchronization => self.ev.syncs.push(raw.into_sync(src)),
            Resource::DeviceEvidence => {}
        }
    }

    fn chain(
        &mut self,
        r: Resource,
        api: Api,
        pages: u32,
        terminal: u32,
        records: u64,
        unpaged: bool,
    ) {
        self.chain_updates
            .push((r, api, pages, terminal, records, unpaged));
    }
}

/// Seed for a top-level value (object or array) or an element of a top-level array or a
/// bundle page.
pub struct TopSeed<'s, 'a> {
    pub st: &'s mut State<'a>,
    pub path: String,
    pub nested: bool,
}

impl<'de, 's, 'a> DeserializeSeed<'de> for TopSeed<'s, 'a> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 's, 'a> Visitor<'de> for TopSeed<'s, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Graph page, an array of pages or records, a record, or a snapshot bundle")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let outcome = read_object(self.st, &mut map, &self.path, self.nested)?;
        match outcome {
            Outcome::Unknown(why) if !self.nested => self.st.fatal = Some(why),
            Outcome::Unknown(why) => self.st.problems.push(format!("{}: {why}", self.path)),
            _ => {}
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.nested {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            self.st.problems.push(format!(
                "{}: an array inside an array is not a page or a record",
                self.path
            ));
            return Ok(());
        }
        // An array of pages, or an array of records (pages already merged, or PowerShell).
        let loc = self.st.loc("");
        let mut i: u32 = 0;
        let mut by_resource: Vec<(Resource, Api, u64)> = Vec::new();
        let mut unknown = 0u32;
        let mut first_unknown = None;
        while let Some(outcome) = seq.next_element_seed(ElemSeed {
            st: self.st,
            loc,
            index: i,
        })? {
            match outcome {
                Outcome::Record(r) => {
                    let api = self.st.api;
                    match by_resource.iter_mut().find(|(x, _, _)| *x == r) {
                        Some(e) => e.2 += 1,
                        None => by_resource.push((r, api, 1)),
                    }
                }
                Outcome::Unknown(why) => {
                    unknown += 1;
                    if first_unknown.is_none() {
                        first_unknown = Some(format!("[{i}]: {why}"));
                    }
                }
                Outcome::Page | Outcome::Bundle => {}
            }
            i = i.saturating_add(1);
        }
        for (r, api, n) in by_resource {
            self.st.chain(r, api, 0, 0, n, true);
        }
        if i == 0 {
            self.st.kind = "empty-array";
        } else if unknown > 0 {
            let msg = format!(
                "{unknown} of {i} array elements are not records of a resource apready reads (first: {})",
                first_unknown.unwrap_or_default()
            );
            if unknown == i {
                self.st.fatal = Some(msg);
            } else {
                self.st.problems.push(msg);
            }
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_container("a string")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_container("a boolean")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_container("a number")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_container("a number")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_container("a number")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_container("null")
    }
}

impl<'s, 'a> TopSeed<'s, 'a> {
    fn not_container<E: de::Error>(self, what: &str) -> Result<(), E> {
        let msg = if self.path.is_empty() {
            format!("the JSON is {what}, not a Graph page, record array or bundle")
        } else {
            format!(
                "{}: the JSON is {what}, not a Graph page, record array or bundle",
                self.path
            )
        };
        if self.nested {
            self.st.problems.push(msg);
        } else {
            self.st.fatal = Some(msg);
        }
        Ok(())
    }
}

/// An element of a top-level array: a page or a record.
struct ElemSeed<'s, 'a> {
    st: &'s mut State<'a>,
    loc: u32,
    index: u32,
}
impl<'de, 's, 'a> DeserializeSeed<'de> for ElemSeed<'s, 'a> {
    type Value = Outcome;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Outcome, D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de, 's, 'a> Visitor<'de> for ElemSeed<'s, 'a> {
    type Value = Outcome;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a page or a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outcome, A::Error> {
        let path = format!("[{}]", self.index);
        let src = Src {
            loc: self.loc,
            index: self.index,
            file: self.st.file,
        };
        read_object_at(self.st, &mut map, &path, true, Some(src))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Outcome, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Outcome::Unknown("an array, not a page or record".into()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Outcome, E> {
        if looks_like_type_name(v) {
            Ok(Outcome::Unknown(format!(
                "the type name \"{}\": ConvertTo-Json ran out of depth; re-export with -Depth 10",
                crate::util::clip(v, 80)
            )))
        } else {
            Ok(Outcome::Unknown("a string, not a record".into()))
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Outcome, E> {
        Ok(Outcome::Unknown("a boolean, not a record".into()))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Outcome, E> {
        Ok(Outcome::Unknown("a number, not a record".into()))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Outcome, E> {
        Ok(Outcome::Unknown("a number, not a record".into()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Outcome, E> {
        Ok(Outcome::Unknown("a number, not a record".into()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Outcome, E> {
        Ok(Outcome::Unknown("null, not a record".into()))
    }
}

fn read_object<'de, A: MapAccess<'de>>(
    st: &mut State<'_>,
    map: &mut A,
    path: &str,
    nested: bool,
) -> Result<Outcome, A::Error> {
    let loc = st.loc(path);
    let src = Src {
        loc,
        index: 0,
        file: st.file,
    };
    read_object_at(st, map, path, nested, Some(src))
}

/// Reads one JSON object: a page (has `value`), a bundle (has `schema`), a Graph error body,
/// or a single record.
fn read_object_at<'de, A: MapAccess<'de>>(
    st: &mut State<'_>,
    map: &mut A,
    path: &str,
    nested: bool,
    src: Option<Src>,
) -> Result<Outcome, A::Error> {
    let mut raw = Raw::default();
    let mut value_seen = false;
    let mut page_records: u64 = 0;
    let mut page_resource: Option<Resource> = None;
    let mut page_api = Api::Unknown;
    let mut unknown_context: Option<String> = None;
    let mut bundle = false;
    let mut value_bad: Option<&'static str> = None;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        let Some(k) = Member::of(key.as_bytes()) else {
            map.next_value::<IgnoredAny>()?;
            continue;
        };
        if raw.field(k, map, &mut st.ev.strings)? {
            if k == Member::Context {
                if let Some(ctx) = raw.context.str() {
                    let (r, api, set) = context_resource(ctx);
                    page_api = api;
                    match r {
                        Some(r) => page_resource = Some(r),
                        None => unknown_context = Some(set),
                    }
                }
            }
            continue;
        }
        match k {
            Member::Value => {
                value_seen = true;
                let hint = page_resource;
                let vloc = st.loc(&format!(
                    "{}{}value",
                    path,
                    if path.is_empty() { "" } else { "." }
                ));
                let seed = RecordsSeed {
                    st,
                    hint,
                    api: page_api,
                    loc: vloc,
                    unknown_context: unknown_context.is_some(),
                };
                match map.next_value_seed(seed)? {
                    Ok((n, r)) => {
                        page_records = n;
                        if page_resource.is_none() {
                            page_resource = r;
                        }
                    }
                    Err(what) => value_bad = Some(what),
                }
            }
            Member::Graph if !nested => {
                bundle = true;
                map.next_value_seed(BundleGraphSeed { st })?;
            }
            Member::Devices if !nested => {
                bundle = true;
                map.next_value_seed(BundleDevicesSeed { st })?;
            }
            Member::CollectedAt if !nested => {
                bundle = true;
                if let F::Val(s) = map.next_value_seed(StampSeed)? {
                    let s: Stamp = s;
                    st.ev.bundle_time = Some(st.ev.bundle_time.map_or(s.at, |t| t.max(s.at)));
                }
            }
            Member::Complete if !nested => {
                bundle = true;
                if let F::Val(false) = map.next_value_seed(BoolSeed)? {
                    st.ev.bundle_incomplete = true;
                }
            }
            Member::Problems if !nested => {
                bundle = true;
                let probs = map.next_value_seed(ArrSeed(ObjSeed::<BundleProblem>::new()))?;
                if let F::Val(list) = probs {
                    for p in list.into_iter().filter_map(|p| match p {
                        F::Val(p) => Some(p),
                        _ => None,
                    }) {
                        st.problems.push(format!(
                            "collector: {} {}",
                            p.request.str().unwrap_or(""),
                            p.message.str().unwrap_or("")
                        ));
                    }
                }
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }

    if let Some(schema) = raw.schema.str() {
        if let Some(v) = schema.strip_prefix("apready.snapshot/") {
            if v.trim() != "1" {
                return Ok(Outcome::Unknown(format!(
                    "snapshot bundle schema \"{schema}\" is newer than this apready understands (apready.snapshot/1); update apready"
                )));
            }
            st.kind = "bundle";
            return Ok(Outcome::Bundle);
        }
        if schema.starts_with("apready.report/") {
            return Ok(Outcome::Unknown(
                "this is an apready report, not an export; pass it to `apready diff`".into(),
            ));
        }
        return Ok(Outcome::Unknown(format!(
            "unknown schema \"{}\"",
            crate::util::clip(schema, 80)
        )));
    }
    if bundle {
        return Ok(Outcome::Unknown(
            "an object with bundle members but no \"schema\": \"apready.snapshot/1\"".into(),
        ));
    }
    if let Some(err) = raw.error.val() {
        return Ok(Outcome::Unknown(format!(
            "this is a Microsoft Graph error response, not data: {}: {}",
            err.code.str().unwrap_or("?"),
            crate::util::clip(err.message.str().unwrap_or(""), 200)
        )));
    }
    if value_seen {
        if let Some(what) = value_bad {
            return Ok(Outcome::Unknown(format!(
                "\"value\" is {what}, not an array of records"
            )));
        }
        if let Some(set) = unknown_context {
            return Ok(Outcome::Unknown(format!(
                "the page is from \"{set}\", a resource apready does not read"
            )));
        }
        let resource = page_resource.or(st.name_hint);
        let has_next = raw.next_link.text().is_some();
        st.pages += 1;
        if has_next {
            st.next_links += 1;
        }
        if st.kind == "unknown" {
            st.kind = "graph-page";
        }
        match resource {
            Some(r) => {
                st.note_resource(r, page_api);
                st.chain(r, page_api, 1, u32::from(!has_next), page_records, false);
            }
            None if page_records == 0 => {
                // An empty page without context: nothing to say about it.
            }
            None => {
                return Ok(Outcome::Unknown(
                    "the page's records do not match a resource apready reads".into(),
                ))
            }
        }
        return Ok(Outcome::Page);
    }
    // A single record.
    if raw.members == 0 {
        return Ok(Outcome::Unknown(
            "an object with no member apready reads".into(),
        ));
    }
    let (ctx_res, api) = match raw.context.str() {
        Some(ctx) => {
            let (r, api, set) = context_resource(ctx);
            if r.is_none() {
                return Ok(Outcome::Unknown(format!(
                    "the object is from \"{set}\", a resource apready does not read"
                )));
            }
            (r, api)
        }
        None => (None, Api::Unknown),
    };
    let resource = ctx_res.or_else(|| raw.classify()).or(st.name_hint);
    let Some(resource) = resource else {
        return Ok(Outcome::Unknown(
            "the object does not match a resource apready reads".into(),
        ));
    };
    let src = src.unwrap_or_default();
    st.push(&mut raw, resource, api, src);
    if !nested {
        st.chain(resource, api, 0, 0, 1, true);
        st.kind = "record";
    } else if st.kind == "unknown" {
        st.kind = "record-array";
    }
    Ok(Outcome::Record(resource))
}

#[derive(Default)]
struct BundleProblem {
    request: F<Str>,
    message: F<Str>,
}
impl ObjFields for BundleProblem {
    const EXPECTED: &'static str = "an object (problem)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"request" => self.request = map.next_value_seed(StrSeed)?,
            b"message" => self.message = map.next_value_seed(StrSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `value` array of a page.
struct RecordsSeed<'s, 'a> {
    st: &'s mut State<'a>,
    hint: Option<Resource>,
    api: Api,
    loc: u32,
    unknown_context: bool,
}
type RecordsOut = Result<(u64, Option<Resource>), &'static str>;
impl<'de, 's, 'a> DeserializeSeed<'de> for RecordsSeed<'s, 'a> {
    type Value = RecordsOut;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RecordsOut, D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de, 's, 'a> Visitor<'de> for RecordsSeed<'s, 'a> {
    type Value = RecordsOut;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RecordsOut, A::Error> {
        let mut n: u64 = 0;
        let mut i: u32 = 0;
        let mut first: Option<Resource> = None;
        // One record buffer for the whole array, filled in place: a record's members are
        // moved out into the store, never the ~1.4 KB buffer itself.
        let mut buf = Box::<Raw>::default();
        while let Some(item) = seq.next_element_seed(RecordSeed {
            raw: &mut buf,
            st: &mut self.st.ev.strings,
        })? {
            let raw: Option<&mut Raw> = item.then_some(&mut *buf);
            match raw {
                // `{}` (or only `@odata.*` members) carries nothing: not a record, and not a
                // device with no name to list.
                Some(raw) if raw.members == 0 && !self.unknown_context => {
                    let loc = self
                        .st
                        .ev
                        .locs
                        .get(self.loc as usize)
                        .cloned()
                        .unwrap_or_default();
                    self.st.bad_fields = self.st.bad_fields.saturating_add(1);
                    self.st.problems.push(format!(
                        "{loc}[{i}]: an object with no member apready reads, not a record"
                    ));
                }
                Some(raw) if !self.unknown_context => {
                    let r = self.hint.or_else(|| raw.classify()).or(self.st.name_hint);
                    match r {
                        Some(r) => {
                            first.get_or_insert(r);
                            let src = Src {
                                loc: self.loc,
                                index: i,
                                file: self.st.file,
                            };
                            self.st.push(raw, r, self.api, src);
                            n += 1;
                        }
                        None => {
                            let loc = self
                                .st
                                .ev
                                .locs
                                .get(self.loc as usize)
                                .cloned()
                                .unwrap_or_default();
                            self.st.problems.push(format!(
                                "{loc}[{i}]: the record does not match a resource apready reads"
                            ));
                        }
                    }
                }
                Some(_) => {}
                None => {
                    let loc = self
                        .st
                        .ev
                        .locs
                        .get(self.loc as usize)
                        .cloned()
                        .unwrap_or_default();
                    self.st.bad_fields = self.st.bad_fields.saturating_add(1);
                    self.st.problems.push(format!("{loc}[{i}]: not an object"));
                }
            }
            i = i.saturating_add(1);
        }
        Ok(Ok((n, first)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RecordsOut, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err("an object"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<RecordsOut, E> {
        Ok(Err("a string"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<RecordsOut, E> {
        Ok(Err("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<RecordsOut, E> {
        Ok(Err("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RecordsOut, E> {
        Ok(Err("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<RecordsOut, E> {
        Ok(Err("a number"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<RecordsOut, E> {
        Ok(Err("null"))
    }
}

/// One record of a page's `value`: `None` when it is not an object.
/// Reads one array element into `raw` (reset first); `true` when it was an object.
struct RecordSeed<'r> {
    raw: &'r mut Raw,
    st: &'r mut crate::model::Strings,
}
impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        *self.raw = Raw::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let known = match Member::of(key.as_bytes()) {
                Some(k) => self.raw.field(k, &mut map, self.st)?,
                None => false,
            };
            if !known {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(true)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// A bundle's `graph[]`: `{ "request": "...", "page": { ... } }` entries.
struct BundleGraphSeed<'s, 'a> {
    st: &'s mut State<'a>,
}
impl<'de, 's, 'a> DeserializeSeed<'de> for BundleGraphSeed<'s, 'a> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de, 's, 'a> Visitor<'de> for BundleGraphSeed<'s, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of pages")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0u32;
        while seq
            .next_element_seed(BundleEntrySeed {
                st: self.st,
                index: i,
            })?
            .is_some()
        {
            i = i.saturating_add(1);
        }
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.st.fatal = Some("bundle \"graph\" is not an array".into());
        Ok(())
    }
}

struct BundleEntrySeed<'s, 'a> {
    st: &'s mut State<'a>,
    index: u32,
}
impl<'de, 's, 'a> DeserializeSeed<'de> for BundleEntrySeed<'s, 'a> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de, 's, 'a> Visitor<'de> for BundleEntrySeed<'s, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bundle graph entry")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key.as_bytes() == b"page" {
                let path = format!("graph[{}].page", self.index);
                let seed = PageSeed { st: self.st, path };
                map.next_value_seed(seed)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.st
            .problems
            .push(format!("graph[{}]: not an object", self.index));
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.st
            .problems
            .push(format!("graph[{}]: not an object", self.index));
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.st
            .problems
            .push(format!("graph[{}]: not an object", self.index));
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.st
            .problems
            .push(format!("graph[{}]: not an object", self.index));
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.st
            .problems
            .push(format!("graph[{}]: not an object", self.index));
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.st
            .problems
            .push(format!("graph[{}]: not an object", self.index));
        Ok(())
    }
}

struct PageSeed<'s, 'a> {
    st: &'s mut State<'a>,
    path: String,
}
impl<'de, 's, 'a> DeserializeSeed<'de> for PageSeed<'s, 'a> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de, 's, 'a> Visitor<'de> for PageSeed<'s, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Graph page")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let loc = self.st.loc(&self.path);
        let src = Src {
            loc,
            index: 0,
            file: self.st.file,
        };
        match read_object_at(self.st, &mut map, &self.path, true, Some(src))? {
            Outcome::Record(r) => {
                // A single-object response such as directory/onPremisesSynchronization/$entity.
                self.st.chain(r, Api::Unknown, 0, 0, 1, true);
            }
            Outcome::Unknown(why) => self.st.problems.push(format!("{}: {why}", self.path)),
            _ => {}
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.st.problems.push(format!("{}: not a page", self.path));
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.st.problems.push(format!("{}: null page", self.path));
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.st
            .problems
            .push(format!("{}: not a page (a string)", self.path));
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.st.problems.push(format!("{}: not a page", self.path));
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.st.problems.push(format!("{}: not a page", self.path));
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.st.problems.push(format!("{}: not a page", self.path));
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.st.problems.push(format!("{}: not a page", self.path));
        Ok(())
    }
}

/// A bundle's `devices[]`.
struct BundleDevicesSeed<'s, 'a> {
    st: &'s mut State<'a>,
}
impl<'de, 's, 'a> DeserializeSeed<'de> for BundleDevicesSeed<'s, 'a> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de, 's, 'a> Visitor<'de> for BundleDevicesSeed<'s, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of device evidence")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let loc = self.st.loc("devices");
        let mut i = 0u32;
        while let Some(item) = seq.next_element_seed(ObjSeed::<LocalRaw>::new())? {
            match item {
                F::Val(l) => {
                    let src = Src {
                        loc,
                        index: i,
                        file: self.st.file,
                    };
                    let local = l.finish(src);
                    for (field, why) in local.bad_fields() {
                        self.st.bad_fields += 1;
                        if self.st.problems.len() < 50 {
                            self.st
                                .problems
                                .push(format!("devices[{i}].{field}: {why}"));
                        }
                    }
                    self.st.records += 1;
                    self.st.ev.locals.push(local);
                }
                _ => self
                    .st
                    .problems
                    .push(format!("devices[{i}]: not an object")),
            }
            i = i.saturating_add(1);
        }
        if i > 0 {
            self.st.chain(
                Resource::DeviceEvidence,
                Api::Unknown,
                0,
                0,
                u64::from(i),
                true,
            );
        }
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.st
            .problems
            .push("bundle \"devices\" is not an array".into());
        Ok(())
    }
}

#[derive(Default)]
struct LocalRaw(DeviceLocal);
impl LocalRaw {
    fn finish(self, src: Src) -> DeviceLocal {
        let mut l = self.0;
        l.src = src;
        l.dsreg = l.dsreg_text.str().and_then(super::dsreg::parse);
        l
    }
}
impl ObjFields for LocalRaw {
    const EXPECTED: &'static str = "an object (device evidence)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        let l = &mut self.0;
        match key {
            b"computer_name" | b"computername" => l.computer_name = map.next_value_seed(StrSeed)?,
            b"serial_number" | b"serialnumber" => l.serial = map.next_value_seed(StrSeed)?,
            b"os" => l.os = map.next_value_seed(ObjSeed::<OsInfo>::new())?,
            b"dsregcmd" => l.dsreg_text = map.next_value_seed(StrSeed)?,
            b"registry" => l.registry = map.next_value_seed(ArrSeed(ObjSeed::<RegValue>::new()))?,
            b"configmgr_client_version" | b"configmgrclientversion" => {
                l.cm_client_version = map.next_value_seed(StrSeed)?
            }
            b"probes" => l.probes = map.next_value_seed(ArrSeed(ObjSeed::<Probe>::new()))?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ObjFields for OsInfo {
    const EXPECTED: &'static str = "an object (os)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"operatingsystemsku" => self.sku = map.next_value_seed(IntSeed)?,
            b"osarchitecture" => self.arch = map.next_value_seed(StrSeed)?,
            b"version" => self.version = map.next_value_seed(StrSeed)?,
            b"caption" => self.caption = map.next_value_seed(StrSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ObjFields for RegValue {
    const EXPECTED: &'static str = "an object (registry value)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"path" => self.path = map.next_value_seed(StrSeed)?,
            b"name" => self.name = map.next_value_seed(StrSeed)?,
            b"present" => self.present = map.next_value_seed(BoolSeed)?,
            b"error" => self.error = map.next_value_seed(StrSeed)?,
            b"value" | b"data" => {
                let (text, number) = map.next_value_seed(ScalarSeed)?;
                self.value = text;
                self.number = number;
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ObjFields for Probe {
    const EXPECTED: &'static str = "an object (endpoint probe)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"host" => self.host = map.next_value_seed(StrSeed)?,
            b"proxy" => self.proxy = map.next_value_seed(StrSeed)?,
            b"dns" => self.dns = map.next_value_seed(ObjSeed::<ProbeStep>::new())?,
            b"tcp" => self.tcp = map.next_value_seed(ObjSeed::<ProbeStep>::new())?,
            b"tls" => self.tls = map.next_value_seed(ObjSeed::<ProbeStep>::new())?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl ObjFields for ProbeStep {
    const EXPECTED: &'static str = "an object (probe step)";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &[u8], map: &mut A) -> Result<(), A::Error> {
        match key {
            b"ok" => self.ok = map.next_value_seed(BoolSeed)?,
            b"error" => self.error = map.next_value_seed(StrSeed)?,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A registry value: text and, where it is a number (or numeric text), the number.
struct ScalarSeed;
impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = (F<Str>, F<i64>);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarV)
    }
}
struct ScalarV;
impl<'de> Visitor<'de> for ScalarV {
    type Value = (F<Str>, F<i64>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a registry value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.len() > super::lenient::MAX_STRING {
            return Ok((
                F::invalid(Bad::WrongType {
                    expected: "a string of at most 1 MiB",
                    found: "a longer string",
                }),
                F::Absent,
            ));
        }
        let t = v.trim();
        let n = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            i64::from_str_radix(hex, 16).ok()
        } else {
            t.parse::<i64>().ok()
        };
        Ok((F::Val(v.into()), n.map_or(F::Absent, F::Val)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok((F::Val(v.to_string().into()), F::Val(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let n = i64::try_from(v).unwrap_or(i64::MAX);
        Ok((F::Val(v.to_string().into()), F::Val(n)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok((F::Val(v.to_string().into()), F::Absent))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok((F::Val(v.to_string().into()), F::Val(i64::from(v))))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((F::Null, F::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut count: u64 = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            count += 1;
        }
        Ok((F::Val(format!("<{count} values>").into()), F::Absent))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok((
            F::invalid(Bad::WrongType {
                expected: "a registry value",
                found: "an object",
            }),
            F::Absent,
        ))
    }
}
