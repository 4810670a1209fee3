//! The page's view of a report: the report as JSON, except that each device lists only its
//! findings that are not `ready`, each as `{id, status, message}`, with its position in the
//! report (`index`) so the page can ask for one device's full findings later
//! ([`device_json`]). A 1M-device report is ~480 MB of JSON; its view is a fraction of it, so
//! the page never parses the whole report in JavaScript. Shaping only: nothing is decided
//! here.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{DeviceItem, Devices, Finding, Report};
use crate::status::Status;

struct View<'a>(&'a Report);
struct DevicesView<'a>(&'a Devices);
struct Items<'a>(&'a [DeviceItem]);
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
        m.serialize_entry("items", &Items(&d.items))?;
        m.end()
    }
}

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut q = s.serialize_seq(Some(self.0.len()))?;
        for (i, d) in self.0.iter().enumerate() {
            q.serialize_element(&Item(i, d))?;
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

/// The page's view of the report (JSON).
pub fn view_json(r: &Report) -> Vec<u8> {
    serde_json::to_vec(&View(r)).unwrap_or_default()
}

/// One device of the report, with every finding it lists (JSON), or `None` past the end.
pub fn device_json(r: &Report, index: usize) -> Option<Vec<u8>> {
    r.devices
        .items
        .get(index)
        .and_then(|d| serde_json::to_vec(d).ok())
}
