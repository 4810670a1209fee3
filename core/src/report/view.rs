//! The page's view of a report, in two parts so the verdict can be shown before the device
//! list is read:
//!
//! - the head ([`view_head_json`]): the report as JSON without `devices.items`, which is
//!   replaced by `devices.listed`, the number of devices the report lists;
//! - the device rows ([`view_items_json`]), a slice at a time: each device with only its
//!   findings that are not `ready`, each as `{id, status, message}`, and its position in the
//!   report (`index`) so the page can ask for one device's full findings later
//!   ([`device_json`]).
//!
//! A 1M-device report is ~480 MB of JSON; its view is a fraction of it, so the page never
//! parses the whole report in JavaScript. Shaping only: nothing is decided here.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{DeviceItem, Devices, Finding, Report};
use crate::status::Status;

struct View<'a>(&'a Report);
struct DevicesView<'a>(&'a Devices);
/// Devices listed by the report, from position `.0` on.
struct Items<'a>(usize, &'a [DeviceItem]);
struct Item<'a>(usize, &'a DeviceItem);
struct Brief<'a>(&'a Finding);

impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema", r.schema)?;
        m.serialize_entry("tool", &r.tool)?;
        m.serialize_entry("profile", r.profile)?;
        m.serialize_entry("rules_reviewed", r.rules_reviewed)?;
        m.serialize_entry("as_of", &r.as_of)?;
        m.serialize_entry("as_of_source", r.as_of_source)?;
        m.serialize_entry("verdict", &r.verdict)?;
        m.serialize_entry("redacted", &r.redacted)?;
        if let Some(red) = &r.redaction {
            m.serialize_entry("redaction", red)?;
        }
        m.serialize_entry("tenant", &r.tenant)?;
        m.serialize_entry("inputs", &r.inputs)?;
        m.serialize_entry("checks", &r.checks)?;
        m.serialize_entry("coverage", &r.coverage)?;
        m.serialize_entry("devices", &DevicesView(&r.devices))?;
        m.end()
    }
}

impl Serialize for DevicesView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("detail", d.detail)?;
        m.serialize_entry("total", &d.total)?;
        m.serialize_entry("ready", &d.ready)?;
        m.serialize_entry("advisory", &d.advisory)?;
        m.serialize_entry("not_ready", &d.not_ready)?;
        m.serialize_entry("error", &d.error)?;
        m.serialize_entry("out_of_scope", &d.out_of_scope)?;
        m.serialize_entry("listed", &d.items.len())?;
        m.end()
    }
}

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut q = s.serialize_seq(Some(self.1.len()))?;
        for (i, d) in self.1.iter().enumerate() {
            q.serialize_element(&Item(self.0 + i, d))?;
        }
        q.end()
    }
}

impl Serialize for Item<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.1;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("index", &self.0)?;
        m.serialize_entry("id", &d.id)?;
        m.serialize_entry("name", &d.name)?;
        m.serialize_entry("verdict", &d.verdict)?;
        let briefs: Vec<Brief> = d
            .findings
            .iter()
            .filter(|f| f.status != Status::Ready)
            .map(Brief)
            .collect();
        m.serialize_entry("findings", &briefs)?;
        m.end()
    }
}

impl Serialize for Brief<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("id", f.id)?;
        m.serialize_entry("status", &f.status)?;
        m.serialize_entry("message", &f.message)?;
        m.end()
    }
}

/// The head of the page's view of the report (JSON): everything but the device rows.
pub fn view_head_json(r: &Report) -> Vec<u8> {
    serde_json::to_vec(&View(r)).unwrap_or_default()
}

/// Up to `count` device rows of the page's view from position `start` on (a JSON array;
/// empty past the end).
pub fn view_items_json(r: &Report, start: usize, count: usize) -> Vec<u8> {
    let items = &r.devices.items;
    let from = start.min(items.len());
    let to = from.saturating_add(count).min(items.len());
    let slice = items.get(from..to).unwrap_or_default();
    serde_json::to_vec(&Items(from, slice)).unwrap_or_default()
}

/// One device of the report, with every finding it lists (JSON), or `None` past the end.
pub fn device_json(r: &Report, index: usize) -> Option<Vec<u8>> {
    r.devices
        .items
        .get(index)
        .and_then(|d| serde_json::to_vec(d).ok())
}
