//! DEV-006 — the Intune record matches an enabled Entra ID device.

use super::shared::md_evidence;
use super::{RuleDoc, SEED};
use crate::engine::{Cx, Dev, RState};
use crate::input::lenient::F;
use crate::model::Resource;
use crate::report::{Evidence, Finding};
use crate::status::Reason;

pub const DOC: RuleDoc = RuleDoc {
    id: "DEV-006",
    title: "Matches an enabled Entra ID device",
    scope: "device",
    what: "The Intune record's azureADDeviceId matches a device in Entra ID (devices.deviceId) whose account is enabled; two or more Intune records for one Entra device are advisory. Without the Intune record, dsregcmd's join state and DeviceAuthStatus decide.",
    why: "Autopatch discovers devices by their Entra device id: devices must be Entra joined or hybrid joined (through Azure AD Connect), and a disabled or missing Entra object fails registration.",
    evidence: "managedDevices: azureADDeviceId; devices: deviceId, accountEnabled, trustType; dsregcmd /status",
    fix: "Join the device to Entra ID (or complete hybrid join through Azure AD Connect), enable the device object in Entra ID, and retire duplicate Intune records.",
    source: "Prerequisites › Azure Active Directory; Device management (2022-05-30)",
    profiles: SEED,
};

pub fn check(cx: &Cx, d: &Dev) -> Finding {
    let Some(m) = d.md else {
        if d.entra.is_some() {
            return Finding::not_applicable(DOC.id, "no Intune record (see DEV-001)");
        }
        return from_dsreg(cx, d);
    };
    let ev = md_evidence(cx, m, "azureADDeviceId");
    let aad = match &m.aad_id {
        F::Val(v) if !crate::util::is_nil_guid(v) => &**v,
        F::Val(_) | F::Null => {
            return Finding::not_ready(DOC.id, "the Intune record has no Entra device id: the device is not Entra joined or hybrid joined")
                .with(ev.value("(empty)").required("an Entra deviceId"))
        }
        F::Bad(b) => return Finding::error(DOC.id, format!("azureADDeviceId is unusable: {}", b.describe())).with(ev),
        F::Absent => {
            return Finding::not_evaluated(DOC.id, Reason::MissingInput, "the export has no azureADDeviceId").with(ev.note("add azureADDeviceId to $select"))
        }
    };
    if cx.quiet() && d.duplicates == 0 && d.entra.is_some_and(|e| e.enabled.val() == Some(&true)) {
        return Finding::ready(DOC.id, "");
    }
    let ev = ev.value(aad);
    let state = cx.state(Resource::Devices);
    let Some(e) = d.entra else {
        return match state {
            RState::Complete => Finding::not_ready(
                DOC.id,
                "no Entra ID device has this device id (deleted, or never registered)",
            )
            .with(ev.required("a devices record with deviceId = azureADDeviceId")),
            RState::Truncated { .. } => Finding::not_evaluated(
                DOC.id,
                Reason::TruncatedInput,
                "no match in the devices export, which stops early",
            )
            .with(ev),
            _ => cx
                .unusable(
                    DOC.id,
                    Resource::Devices,
                    "the Entra ID record cannot be checked",
                )
                .unwrap_or_else(|| {
                    Finding::not_evaluated(DOC.id, Reason::MissingInput, "no devices export")
                }),
        };
    };
    let eev = Evidence::new("devices")
        .id(e.device_id.text().unwrap_or(""))
        .name(e.name.text().unwrap_or(""))
        .field("accountEnabled, trustType")
        .value(format!(
            "{}, {}",
            match &e.enabled {
                F::Val(b) => b.to_string(),
                _ => "?".into(),
            },
            e.trust_type.text().unwrap_or("?")
        ))
        .at_src(e.src);
    match &e.enabled {
        F::Val(true) => {}
        F::Val(false) => {
            return Finding::not_ready(DOC.id, "the Entra ID device is disabled")
                .with(ev)
                .with(eev.required("accountEnabled true"));
        }
        F::Bad(b) => {
            return Finding::error(
                DOC.id,
                format!("devices.accountEnabled is unusable: {}", b.describe()),
            )
            .with(ev)
            .with(eev)
        }
        _ => {
            return Finding::not_evaluated(
                DOC.id,
                Reason::MissingInput,
                "the devices export has no accountEnabled",
            )
            .with(ev)
            .with(eev);
        }
    }
    if d.duplicates > 0 {
        return Finding::advisory(
            DOC.id,
            format!(
                "{} Intune records point at this Entra ID device: retire the stale ones",
                d.duplicates + 1
            ),
        )
        .with(ev)
        .with(eev);
    }
    Finding::ready(DOC.id, "matches an enabled Entra ID device")
        .with(ev)
        .with(eev)
}

fn from_dsreg(_cx: &Cx, d: &Dev) -> Finding {
    let Some(l) = d.local else {
        return Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            "no Intune or Entra ID record for this device",
        );
    };
    let Some(ds) = &l.dsreg else {
        return Finding::not_evaluated(
            DOC.id,
            Reason::MissingInput,
            "no dsregcmd /status output in the device evidence",
        );
    };
    let ev = Evidence::new("deviceEvidence")
        .name(d.name)
        .field("dsregcmd AzureAdJoined, DeviceAuthStatus")
        .value(format!(
            "{}, {}",
            match ds.azure_ad_joined {
                Some(true) => "YES",
                Some(false) => "NO",
                None => "?",
            },
            ds.device_auth_status.as_deref().unwrap_or("?")
        ))
        .at_src(l.src);
    if ds.azure_ad_joined != Some(true) {
        return Finding::not_ready(
            DOC.id,
            "the device is not Entra joined or hybrid joined (dsregcmd AzureAdJoined is not YES)",
        )
        .with(ev.required("AzureAdJoined : YES"));
    }
    if ds
        .device_auth_status
        .as_deref()
        .is_some_and(|s| s.to_ascii_uppercase().starts_with("FAILED"))
    {
        return Finding::not_ready(
            DOC.id,
            "the device's Entra ID object is disabled or deleted (DeviceAuthStatus FAILED)",
        )
        .with(ev.required("DeviceAuthStatus : SUCCESS"));
    }
    Finding::ready(DOC.id, "Entra joined and the device authenticates").with(ev)
}
