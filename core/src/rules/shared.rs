//! Decisions used by more than one rule: licensing entitlement, device identity evidence.

use crate::engine::{Cx, Dev};
use crate::input::lenient::F;
use crate::model::{License, ManagedDevice, User};
use crate::report::Evidence;
use std::rc::Rc;

/// A user's entitlement to Windows Autopatch under the profile.
#[derive(Debug, Clone, PartialEq)]
pub enum Entitlement {
    Entitled {
        sku: Rc<str>,
        autopatch_plan_disabled: bool,
    },
    NotEntitled(Rc<str>),
    Unknown(Rc<str>),
}

/// The user's entitlement, computed once per user and remembered for the run (several rules
/// ask for every device's primary user).
pub fn user_entitlement(cx: &Cx, user: &User) -> Entitlement {
    // The record's position in the store (every `&User` a rule holds comes from it).
    let base = cx.ev.users.as_ptr() as usize;
    let at = (user as *const User as usize).wrapping_sub(base) / std::mem::size_of::<User>().max(1);
    let slot = (at < cx.ev.users.len()
        && std::ptr::eq(
            cx.ev
                .users
                .get(at)
                .map_or(std::ptr::null(), |u| u as *const User),
            user,
        ))
    .then_some(at);
    if let Some(e) = slot.and_then(|i| cx.entitlements.borrow().get(i)) {
        return e;
    }
    let e = compute_entitlement(cx, user);
    if let Some(i) = slot {
        cx.entitlements.borrow_mut().set(i, &e);
    }
    e
}

/// The entitlements worked out so far, by the user record's position: two bytes per user
/// pointing into the few distinct values a tenant has (at a million users, a slot holding the
/// value itself was ~25 MiB while the rules run). A value past the first [`Memo::DISTINCT`]
/// distinct ones is not remembered, only worked out again (the same result).
#[derive(Debug, Default)]
pub struct Memo {
    slots: Vec<u16>,
    values: Vec<Entitlement>,
}

impl Memo {
    const DISTINCT: usize = 64;

    pub fn new(users: usize) -> Self {
        Memo {
            slots: vec![0; users],
            values: Vec::new(),
        }
    }
    fn get(&self, i: usize) -> Option<Entitlement> {
        let k = usize::from(*self.slots.get(i)?);
        k.checked_sub(1).and_then(|k| self.values.get(k)).cloned()
    }
    fn set(&mut self, i: usize, e: &Entitlement) {
        let k = match self.values.iter().position(|v| v == e) {
            Some(k) => k,
            None if self.values.len() < Self::DISTINCT => {
                self.values.push(e.clone());
                self.values.len() - 1
            }
            None => return,
        };
        if let Some(s) = self.slots.get_mut(i) {
            *s = (k + 1) as u16;
        }
    }
}

fn compute_entitlement(cx: &Cx, user: &User) -> Entitlement {
    let families = cx.profile.entitling_families;
    let (list, field, filter_state): (&F<Vec<F<License>>>, &str, bool) = match &user.states {
        F::Val(_) => (&user.states, "licenseAssignmentStates", true),
        F::Bad(_) => (&user.states, "licenseAssignmentStates", true),
        _ => (&user.assigned, "assignedLicenses", false),
    };
    let entries = match list {
        F::Val(v) => v,
        F::Bad(b) => return Entitlement::Unknown(format!("{field}: {}", b.describe()).into()),
        F::Absent => return Entitlement::Unknown("the users export has no assignedLicenses or licenseAssignmentStates (add them to $select)".into()),
        F::Null => return Entitlement::NotEntitled("no license assigned".into()),
    };
    let mut best: Option<Entitlement> = None;
    let mut plan_disabled: Option<String> = None;
    for e in entries {
        let lic = match e {
            F::Val(l) => l,
            F::Bad(b) => return Entitlement::Unknown(format!("{field}: {}", b.describe()).into()),
            _ => continue,
        };
        if filter_state {
            let ok = lic.state.str().is_none_or(|s| {
                s.eq_ignore_ascii_case("Active") || s.eq_ignore_ascii_case("ActiveWithError")
            });
            if !ok {
                continue;
            }
        }
        let Some(sku) = lic.sku_id.text() else {
            continue;
        };
        let Some(row) = cx.lic.entitling(sku, families) else {
            continue;
        };
        let disabled: Vec<&str> = match &lic.disabled_plans {
            F::Val(v) => v.iter().filter_map(|p| p.text()).collect(),
            _ => Vec::new(),
        };
        // Every Windows Enterprise plan of the SKU disabled (and it has one), without
        // collecting them: this runs for every licence of every user.
        let mut has_win = false;
        let all_win_disabled = cx
            .lic
            .plans_of(sku, "windows-enterprise-entitlement")
            .all(|p| {
                has_win = true;
                disabled.contains(&p)
            });
        if has_win && all_win_disabled {
            plan_disabled = Some(row.part_number.to_string());
            continue;
        }
        let ap_disabled = cx
            .lic
            .plans_of(sku, "autopatch-plan")
            .any(|p| disabled.contains(&p));
        let this = Entitlement::Entitled {
            sku: row.part_number.clone(),
            autopatch_plan_disabled: ap_disabled,
        };
        match (&best, ap_disabled) {
            (None, _) => best = Some(this),
            (
                Some(Entitlement::Entitled {
                    autopatch_plan_disabled: true,
                    ..
                }),
                false,
            ) => best = Some(this),
            _ => {}
        }
    }
    match (best, plan_disabled) {
        (Some(b), _) => b,
        (None, Some(part)) => Entitlement::NotEntitled(
            format!("{part} is assigned with the Windows Enterprise service plan disabled").into(),
        ),
        (None, None) => Entitlement::NotEntitled("no entitling license assigned".into()),
    }
}

/// Evidence naming a device's Intune record.
pub fn md_evidence(cx: &Cx, m: &ManagedDevice, field: &'static str) -> Evidence {
    let e = Evidence::new("managedDevices").field(field).at_src(m.src);
    if cx.current_md.get() == m as *const ManagedDevice as usize {
        // The device's own record: its findings never repeat its id and name.
        return e;
    }
    e.id(m.id.text().unwrap_or(""))
        .name(m.name.text().unwrap_or(""))
}

pub fn user_label(u: &User) -> String {
    u.upn
        .text()
        .or(u.name.text())
        .or(u.id.text())
        .unwrap_or("?")
        .to_string()
}

/// The device's name for messages.
pub fn dev_label(d: &Dev) -> String {
    if d.name.is_empty() {
        d.key.to_string()
    } else {
        d.name.to_string()
    }
}

/// [`list`] of `total` items of which only the first `max` (or fewer) are given, in order.
pub fn list_first(first: &[String], total: usize, max: usize) -> String {
    let shown = first.get(..max.min(first.len())).unwrap_or(first);
    if total <= max {
        shown.join(", ")
    } else {
        format!("{} and {} more", shown.join(", "), total - max)
    }
}

/// Puts the `k` smallest items of `v` (by `key`, which must be unique) first, in order; the
/// rest stay unordered. Linear instead of sorting everything when only a head is shown.
pub fn smallest_first<T, K: Ord>(v: &mut [T], k: usize, key: impl Fn(&T) -> K) {
    if v.len() > k && k > 0 {
        v.select_nth_unstable_by(k - 1, |a, b| key(a).cmp(&key(b)));
    }
    let head = k.min(v.len());
    if let Some(h) = v.get_mut(..head) {
        h.sort_unstable_by_key(&key);
    }
}

/// A list for a message: the first few items and a count.
pub fn list(items: &[String], max: usize) -> String {
    if items.len() <= max {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..max].join(", "), items.len() - max)
    }
}

/// Whether a co-managed device has a workload moved to (Pilot) Intune: from Graph's
/// `configurationManagerClientEnabledFeatures`, else the device's `CoManagementFlags`.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkloadState {
    Moved(&'static str),
    NotMoved(&'static str),
    Unknown,
    Bad(String),
}

pub fn workload_state(d: &Dev, w: crate::profile::Workload) -> WorkloadState {
    use crate::profile::Workload;
    if let Some(m) = d.md {
        match &m.features {
            F::Val(f) => {
                let field = match w {
                    Workload::WindowsUpdate => &f.windows_update,
                    Workload::DeviceConfiguration => &f.device_configuration,
                    Workload::OfficeApps => &f.office_apps,
                };
                match field {
                    F::Val(true) => return WorkloadState::Moved("managedDevices"),
                    F::Val(false) => return WorkloadState::NotMoved("managedDevices"),
                    F::Bad(b) => return WorkloadState::Bad(b.describe()),
                    _ => {}
                }
            }
            F::Bad(b) => {
                return WorkloadState::Bad(format!(
                    "configurationManagerClientEnabledFeatures: {}",
                    b.describe()
                ))
            }
            _ => {}
        }
    }
    if let Some(flags) = d
        .local
        .and_then(|l| l.reg("CCM", "CoManagementFlags"))
        .and_then(|r| r.number.val().copied())
    {
        let flags = flags as u64;
        return if flags & w.flag() != 0 {
            WorkloadState::Moved("CoManagementFlags")
        } else {
            WorkloadState::NotMoved("CoManagementFlags")
        };
    }
    WorkloadState::Unknown
}

/// The device evidence of a check that reads the device's registry, or the finding that says
/// why it cannot: no device evidence, no registry list, or an unusable one.
pub fn device_registry<'a>(
    _cx: &Cx,
    d: &Dev<'a>,
    id: &'static str,
) -> Result<&'a crate::model::DeviceLocal, crate::report::Finding> {
    use crate::report::Finding;
    use crate::status::Reason;
    let Some(l) = d.local else {
        return Err(Finding::not_evaluated(
            id,
            Reason::NeedsDeviceEvidence,
            "not checked — no device evidence (run Test-AutopatchDeviceReadiness on the device)",
        ));
    };
    if let Some(b) = l.registry.bad() {
        return Err(Finding::error(
            id,
            format!(
                "the device evidence's registry list is unusable: {}",
                b.describe()
            ),
        )
        .with(
            Evidence::new("deviceEvidence")
                .name(d.name)
                .field("registry")
                .at_src(l.src),
        ));
    }
    if l.registry.val().is_none() {
        return Err(Finding::not_evaluated(
            id,
            Reason::NeedsDeviceEvidence,
            "the device evidence has no registry values",
        ));
    }
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_gives_back_what_was_set_and_stops_remembering_past_its_distinct_values() {
        let n = Memo::DISTINCT + 10;
        let mut m = Memo::new(n + 1);
        let e = |i: usize| Entitlement::NotEntitled(format!("reason {}", i % (n - 2)).into());
        for i in 0..n {
            assert_eq!(m.get(i), None);
            m.set(i, &e(i));
        }
        for i in 0..n {
            let kept = i < Memo::DISTINCT || i >= n - 2;
            assert_eq!(m.get(i), kept.then(|| e(i)), "{i}");
        }
        assert_eq!(m.get(n + 5), None);
        m.set(n + 5, &e(0)); // out of range: ignored
        assert_eq!(m.values.len(), Memo::DISTINCT);
    }
    #[test]
    fn smallest_first_orders_the_head_only() {
        let mut v: Vec<u32> = (0..1000).rev().collect();
        smallest_first(&mut v, 5, |x| *x);
        assert_eq!(&v[..5], &[0, 1, 2, 3, 4]);
        assert_eq!(v.len(), 1000);
        let mut w = vec![3, 1, 2];
        smallest_first(&mut w, 50, |x| *x);
        assert_eq!(w, [1, 2, 3]);
        let mut e: Vec<u32> = Vec::new();
        smallest_first(&mut e, 5, |x| *x);
        assert!(e.is_empty());
    }
    #[test]
    fn list_first_counts_the_rest() {
        let names: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        assert_eq!(list_first(&names, 2, 5), "a, b");
        assert_eq!(list_first(&names, 9, 2), "a, b and 7 more");
        assert_eq!(list(&names, 1), list_first(&names[..1], 2, 1));
    }
}
