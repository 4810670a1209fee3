//! The evaluation: joins the evidence into devices, runs every rule of the profile and
//! assembles the report. Pure: the instant is an input.

use std::collections::BTreeMap;

use crate::input::lenient::F;
use crate::model::*;
use crate::profile::{licensing::Table, Profile};
use crate::report::*;
use crate::rules::{self, Kind};
use crate::status::{Reason, Status, Verdict};
use crate::time::{format_instant, Instant, DAY};
use crate::util::{map, Caseless, Map};

/// Options of one evaluation, as the hosts pass them.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub as_of: Instant,
    pub as_of_source: &'static str,
    pub configmgr_version: Option<String>,
    pub sync_client_version: Option<String>,
    /// Which device findings the report lists: every one (`Some(true)`), only those that
    /// need attention (`Some(false)`), or decided by size (`None`: all up to
    /// [`FULL_DETAIL_LIMIT`] in-scope devices).
    pub all_device_findings: Option<bool>,
    /// Whether the report carries the list of every identifier in the inputs (what redaction
    /// replaces). Only a redacting caller needs it; on a large tenant it costs a sort of
    /// millions of strings.
    pub collect_identifiers: bool,
}

/// Up to this many in-scope devices, every device finding is listed by default; above it only
/// the findings that need attention (ready, not applicable and device-evidence gaps are counted
/// in the verdicts but not listed), so a 1M-device report stays proportional to its problems.
pub const FULL_DETAIL_LIMIT: usize = 10_000;

/// The state of one resource's inputs.
#[derive(Debug, Clone, PartialEq)]
pub enum RState {
    Missing,
    Damaged(Vec<String>),
    Truncated { pages: u32 },
    Complete,
}

/// Whether a resource's inputs can support decisions.
pub fn resource_state(ev: &Store, r: Resource) -> RState {
    if let Some(files) = ev.damaged.get(&r) {
        return RState::Damaged(files.clone());
    }
    let chains: Vec<&Chain> = ev
        .chains
        .iter()
        .filter(|((x, _), _)| *x == r)
        .map(|(_, c)| c)
        .collect();
    if chains.is_empty() {
        RState::Missing
    } else if chains.iter().any(|c| c.complete()) {
        RState::Complete
    } else {
        RState::Truncated {
            pages: chains.iter().map(|c| c.pages).sum(),
        }
    }
}

/// One or more records under one key, the first inline (most keys have one record, and an
/// empty `Vec` does not allocate).
pub struct Many<'a, T> {
    first: &'a T,
    more: Vec<&'a T>,
}

impl<'a, T> Many<'a, T> {
    pub fn new(first: &'a T) -> Self {
        Many {
            first,
            more: Vec::new(),
        }
    }
    pub fn push(&mut self, x: &'a T) {
        self.more.push(x);
    }
    pub fn first(&self) -> &'a T {
        self.first
    }
    pub fn len(&self) -> usize {
        1 + self.more.len()
    }
    pub fn is_empty(&self) -> bool {
        false
    }
    pub fn iter(&self) -> impl Iterator<Item = &'a T> + '_ {
        std::iter::once(self.first).chain(self.more.iter().copied())
    }
}

/// Adds `x` under `k`.
fn push_many<'a, K: std::hash::Hash + Eq, T>(m: &mut Map<K, Many<'a, T>>, k: K, x: &'a T) {
    match m.entry(k) {
        std::collections::hash_map::Entry::Occupied(mut o) => o.get_mut().push(x),
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(Many::new(x));
        }
    }
}

/// One in-scope device: its Intune record (merged v1.0 + beta), its Entra record, its
/// device-local evidence.
pub struct Dev<'a> {
    /// The Intune id, else the Entra device id, else where the record is; borrowed from the
    /// store when it can be.
    pub key: std::borrow::Cow<'a, str>,
    pub name: &'a str,
    pub md: Option<&'a ManagedDevice>,
    pub entra: Option<&'a EntraDevice>,
    pub entra_matches: u32,
    /// Other Intune records pointing at the same Entra device.
    pub duplicates: u32,
    pub local: Option<&'a DeviceLocal>,
}

impl Dev<'_> {
    pub fn is_co_managed(&self) -> bool {
        self.md
            .and_then(|m| m.agent.str())
            .is_some_and(is_co_managed_agent)
    }
}

/// Co-managed: defined once (checks.md, Decisions).
pub fn is_co_managed_agent(agent: &str) -> bool {
    agent.eq_ignore_ascii_case("configurationManagerClientMdm")
        || agent.eq_ignore_ascii_case("configurationManagerClientMdmEas")
}

pub fn is_configmgr_only_agent(agent: &str) -> bool {
    agent.eq_ignore_ascii_case("configurationManagerClient")
}

/// Everything a rule may read.
pub struct Cx<'a> {
    pub ev: &'a Store,
    pub profile: &'static Profile,
    pub as_of: Instant,
    pub settings: &'a Settings,
    pub lic: Table,
    pub devices: Vec<Dev<'a>>,
    pub out_of_scope: u64,
    pub users: crate::util::KeyIndex<'a, User>,
    /// Intune records with duplicate ids merged (beta wins).
    pub merged: &'a [&'a ManagedDevice],
    /// The organization, merged over every organization record (the directory view and the
    /// Intune view `organization/{id}?$select=mobileDeviceManagementAuthority` are separate
    /// responses): per field, the first record that has it.
    pub org: Option<Organization>,
    /// In-scope Intune records per serial number (compared lower-cased).
    pub serials: Map<Caseless<'a>, u32>,
    /// Entra records per display name (compared lower-cased), for dual-state detection.
    pub entra_by_name: Map<Caseless<'a>, Many<'a, EntraDevice>>,
    /// Per-user entitlements already worked out, by the user record's position in the store's
    /// `users`. See `rules::shared::user_entitlement`.
    pub entitlements: std::cell::RefCell<crate::rules::shared::Memo>,
    /// Each resource's state, worked out once (rules ask per device).
    pub states: Vec<(Resource, RState)>,
    /// Set while a device rule runs for a finding the report will not list unless it needs
    /// attention: the rule may then leave out its message and evidence (see [`Cx::quiet`]).
    pub quiet: std::cell::Cell<bool>,
    /// The address of the Intune record of the device whose rules are running (0 outside
    /// device rules). Evidence about that record leaves out its id and name, which a device's
    /// findings never repeat (see `compact_evidence`), instead of copying them first.
    pub current_md: std::cell::Cell<usize>,
}

impl<'a> Cx<'a> {
    pub fn state(&self, r: Resource) -> RState {
        self.state_ref(r)
            .cloned()
            .unwrap_or_else(|| resource_state(self.ev, r))
    }

    fn state_ref(&self, r: Resource) -> Option<&RState> {
        self.states.iter().find(|(x, _)| *x == r).map(|(_, s)| s)
    }

    /// `Some(not_evaluated finding)` when the resource cannot support a decision.
    pub fn unusable(&self, id: &'static str, r: Resource, what: &str) -> Option<Finding> {
        if let Some(RState::Complete) = self.state_ref(r) {
            return None;
        }
        match self.state(r) {
            RState::Complete => None,
            RState::Missing => Some(Finding::not_evaluated(
                id,
                Reason::MissingInput,
                format!("{what}: no {} export was supplied", r.name()),
            )
            .with(Evidence::new(r.name()).note(format!("supply: {}", r.how_to_export())))),
            RState::Damaged(files) => Some(
                Finding::not_evaluated(
                    id,
                    Reason::MissingInput,
                    format!("{what}: the {} export could not be read ({})", r.name(), files.join(", ")),
                )
                .with(Evidence::new(r.name()).note("see INP-001 for the cause")),
            ),
            RState::Truncated { pages } => Some(
                Finding::not_evaluated(
                    id,
                    Reason::TruncatedInput,
                    format!(
                        "{what}: the {} export stops early ({pages} page(s) seen, the last one still has an @odata.nextLink)",
                        r.name()
                    ),
                )
                .with(Evidence::new(r.name()).note("follow every @odata.nextLink and supply all pages")),
            ),
        }
    }

    /// The status-first protocol: `true` while a device rule's message and evidence will be
    /// thrown away unless the finding needs attention. A rule may then skip building them — it
    /// must still decide the same status (and reason); when that status needs attention the
    /// engine runs the rule again with `quiet` off and keeps that finding. Large reports list
    /// only the findings that need attention, so most findings are never written out.
    pub fn quiet(&self) -> bool {
        self.quiet.get()
    }

    pub fn loc(&self, src: Src) -> String {
        self.ev.location(src)
    }

    pub fn co_managed(&self) -> impl Iterator<Item = &Dev<'a>> {
        self.devices.iter().filter(|d| d.is_co_managed())
    }

    pub fn configmgr_only(&self) -> impl Iterator<Item = &Dev<'a>> {
        self.devices.iter().filter(|d| {
            d.md.and_then(|m| m.agent.str())
                .is_some_and(is_configmgr_only_agent)
        })
    }

    pub fn days(&self, n: i64) -> i64 {
        n * DAY
    }
}

fn is_windows(os: &F<crate::model::Sym>) -> bool {
    match os.str() {
        Some(s) => crate::util::contains_ci(s, "windows"),
        None => true,
    }
}

/// One organization from several responses: per field, the first record that carries it.
fn merge_orgs(orgs: &[Organization]) -> Option<Organization> {
    fn first<T: Clone>(orgs: &[Organization], get: impl Fn(&Organization) -> &F<T>) -> F<T> {
        orgs.iter()
            .map(&get)
            .find(|f| !f.is_absent())
            .cloned()
            .unwrap_or(F::Absent)
    }
    let head = orgs
        .iter()
        .find(|o| o.id.text().is_some())
        .or(orgs.first())?;
    Some(Organization {
        src: head.src,
        id: first(orgs, |o| &o.id),
        name: first(orgs, |o| &o.name),
        sync_enabled: first(orgs, |o| &o.sync_enabled),
        last_sync: first(orgs, |o| &o.last_sync),
        mdm_authority: first(orgs, |o| &o.mdm_authority),
    })
}

/// Merges v1.0 and beta records of one Intune device (beta wins field by field), without
/// touching the store: records with one version are borrowed; only a device with several
/// records gets a merged copy, kept in `side` (which must outlive the returned references).
fn merge_managed<'a>(
    all: &'a [ManagedDevice],
    side: &'a mut Vec<ManagedDevice>,
) -> Vec<&'a ManagedDevice> {
    // Non-beta first (stable), so beta merges on top.
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| u8::from(all[i].api == Some(Api::Beta)));
    // Each output slot: the first record of its id, then the later ones merged into it.
    let mut slots: Vec<(usize, Vec<usize>)> = Vec::with_capacity(all.len());
    {
        let mut index: Map<&str, usize> = map(all.len());
        for &i in &order {
            match all[i].id.text() {
                Some(id) => match index.get(id) {
                    Some(&slot) => slots[slot].1.push(i),
                    None => {
                        index.insert(id, slots.len());
                        slots.push((i, Vec::new()));
                    }
                },
                None => slots.push((i, Vec::new())),
            }
        }
    }
    // Merged copies first (so `side` is complete before anything borrows it).
    let mut side_of: Vec<usize> = vec![usize::MAX; slots.len()];
    for (k, (first, later)) in slots.iter().enumerate() {
        if !later.is_empty() {
            let mut m = all[*first].clone();
            for &j in later {
                m.merge(all[j].clone());
            }
            side_of[k] = side.len();
            side.push(m);
        }
    }
    let side: &'a [ManagedDevice] = side;
    slots
        .iter()
        .enumerate()
        .filter_map(|(k, (first, _))| match side_of[k] {
            usize::MAX => all.get(*first),
            s => side.get(s),
        })
        .collect()
}

/// Runs the whole evaluation.
pub fn evaluate(ev: &Store, profile: &'static Profile, settings: &Settings) -> Report {
    let mut side = Vec::new();
    let managed = merge_managed(&ev.managed, &mut side);
    let as_of = settings.as_of;

    // Entra index by deviceId.
    let mut entra_by_id: Map<&str, Many<EntraDevice>> = map(ev.entra.len());
    for e in &ev.entra {
        if let Some(id) = e.device_id.text() {
            push_many(&mut entra_by_id, id, e);
        }
    }
    // Every Entra id an Intune record references, with the number of Windows records that do
    // (duplicates).
    let mut per_aad: Map<&str, u32> = map(managed.len());
    for &m in &managed {
        if let Some(a) = m.aad_id.text() {
            if !crate::util::is_nil_guid(a) {
                *per_aad.entry(a).or_insert(0) += u32::from(is_windows(&m.os));
            }
        }
    }

    let in_scope_list = |ids: &[Option<&str>]| -> bool {
        match &ev.scope {
            None => true,
            Some(set) => ids.iter().flatten().any(|i| set.contains(*i)),
        }
    };

    let mut devices: Vec<Dev> = Vec::with_capacity(managed.len());
    let mut out_of_scope: u64 = 0;
    for &m in &managed {
        if !is_windows(&m.os) {
            out_of_scope += 1;
            continue;
        }
        let aad = m.aad_id.text().filter(|a| !crate::util::is_nil_guid(a));
        if !in_scope_list(&[m.id.text(), aad]) {
            out_of_scope += 1;
            continue;
        }
        let matches = aad.and_then(|a| entra_by_id.get(a));
        let entra = matches.and_then(|v| {
            v.iter()
                .find(|e| e.enabled.val() == Some(&true))
                .or(Some(v.first()))
        });
        let key =
            m.id.text()
                .map_or_else(|| ev.location(m.src).into(), Into::into);
        let name = m.name.text().unwrap_or_default();
        devices.push(Dev {
            key,
            name,
            md: Some(m),
            entra,
            entra_matches: matches.map_or(0, |v| v.len() as u32),
            duplicates: aad
                .and_then(|a| per_aad.get(a))
                .map_or(0, |n| n.saturating_sub(1)),
            local: None,
        });
    }
    // Entra-only records.
    let active_after = Instant(as_of.0 - profile.entra_active_days * DAY);
    for e in &ev.entra {
        let did = e.device_id.text();
        if did.is_some_and(|d| per_aad.contains_key(d)) {
            continue;
        }
        let os = e.os.str().unwrap_or("");
        let windows =
            crate::util::contains_ci(os, "windows") && !crate::util::contains_ci(os, "server");
        let trust_ok = e.trust_type.str().is_some_and(|t| {
            t.eq_ignore_ascii_case("AzureAd") || t.eq_ignore_ascii_case("ServerAd")
        });
        let enabled = e.enabled.val() == Some(&true);
        let recent = e
            .last_sign_in
            .val()
            .is_some_and(|s| !s.never && s.at >= active_after);
        if windows && trust_ok && enabled && recent && in_scope_list(&[did, e.id.text()]) {
            devices.push(Dev {
                key: did.map_or_else(|| ev.location(e.src).into(), Into::into),
                name: e.name.text().unwrap_or_default(),
                md: None,
                entra: Some(e),
                entra_matches: 1,
                duplicates: 0,
                local: None,
            });
        } else {
            out_of_scope += 1;
        }
    }
    // Device-local evidence: by Entra DeviceId, else serial number; else a device of its own.
    for l in &ev.locals {
        let did = l.dsreg.as_ref().and_then(|d| d.device_id.as_deref());
        let serial = l.serial.text();
        let pos = did
            .and_then(|id| {
                devices.iter().position(|d| {
                    d.md.and_then(|m| m.aad_id.text()) == Some(id)
                        || d.entra.and_then(|e| e.device_id.text()) == Some(id)
                })
            })
            .or_else(|| {
                serial.and_then(|s| {
                    devices.iter().position(|d| {
                        d.md.and_then(|m| m.serial.text())
                            .is_some_and(|x| x.eq_ignore_ascii_case(s))
                    })
                })
            });
        match pos {
            Some(i) => devices[i].local = Some(l),
            None => devices.push(Dev {
                key: did.map_or_else(|| ev.location(l.src).into(), Into::into),
                name: l.computer_name.text().unwrap_or_default(),
                md: None,
                entra: None,
                entra_matches: 0,
                duplicates: 0,
                local: Some(l),
            }),
        }
    }

    // The Intune ↔ Entra joins are done: their tables are not needed for the rules, and
    // the run's peak (the report's device items) comes later.
    drop(entra_by_id);
    drop(per_aad);

    let users = crate::util::KeyIndex::new(&ev.users, |u: &User| u.id.text());

    let mut serials: Map<Caseless, u32> = map(devices.len());
    for d in &devices {
        if let Some(sn) = d.md.and_then(|m| m.serial.text()) {
            *serials.entry(Caseless::new(sn)).or_insert(0) += 1;
        }
    }
    // Only shared serial numbers are kept (DEV-011 reads a missing one as 1): the table of
    // every serial would stay until the rules have run, when the run's memory peaks.
    serials.retain(|_, n| *n > 1);
    serials.shrink_to_fit();
    let mut entra_by_name: Map<Caseless, Many<EntraDevice>> = map(0);
    if profile.id != "2022-05" {
        entra_by_name.reserve(ev.entra.len());
        for e in &ev.entra {
            if let Some(n) = e.name.text() {
                push_many(&mut entra_by_name, Caseless::new(n), e);
            }
        }
    }
    let states = Resource::GRAPH
        .iter()
        .chain([Resource::DeviceEvidence].iter())
        .map(|&r| (r, resource_state(ev, r)))
        .collect();

    let org = merge_orgs(&ev.orgs);
    let cx = Cx {
        org,
        serials,
        entra_by_name,
        ev,
        profile,
        as_of,
        settings,
        lic: Table::load(),
        devices,
        out_of_scope,
        users,
        merged: &managed,
        entitlements: std::cell::RefCell::new(crate::rules::shared::Memo::new(ev.users.len())),
        states,
        quiet: Default::default(),
        current_md: Default::default(),
    };
    assemble(cx)
}

fn source(profile: &Profile, doc: &rules::RuleDoc) -> std::rc::Rc<str> {
    format!("{} · {}", profile.id, doc.source).into()
}

fn finish(f: Finding, doc: &'static rules::RuleDoc, profile: &Profile, ev: &Store) -> Finding {
    finish_with(f, doc, &source(profile, doc), ev, &mut None)
}

/// The last location rendered, shared by the evidence that points at the same record (a
/// device's findings about its Intune record).
type LocCache = Option<(Src, std::rc::Rc<str>)>;

/// [`finish`] with the rule's source line already formatted (once per rule, not per device).
fn finish_with(
    mut f: Finding,
    doc: &'static rules::RuleDoc,
    source: &std::rc::Rc<str>,
    ev: &Store,
    last: &mut LocCache,
) -> Finding {
    // Locations are rendered only now, for findings the report keeps.
    for e in &mut f.evidence {
        if let Some(src) = e.src.take() {
            if e.location.is_none() {
                match last {
                    Some((s, loc)) if *s == src => e.location = Some(loc.clone()),
                    _ => {
                        let loc = ev.location(src);
                        if !loc.is_empty() {
                            let loc: std::rc::Rc<str> = loc.into();
                            *last = Some((src, loc.clone()));
                            e.location = Some(loc);
                        }
                    }
                }
            }
        }
    }
    f.evidence.shrink_to_fit();
    if f.remediation.is_empty()
        && !matches!(
            f.status,
            Status::Ready | Status::Info | Status::NotApplicable
        )
    {
        f.remediation = std::borrow::Cow::Borrowed(doc.fix);
    }
    f.source = source.clone().into();
    f
}

fn assemble(mut cx: Cx) -> Report {
    let cx = &mut cx;
    let profile = cx.profile;
    let mut checks = Vec::new();
    let mut verdict = Verdict::Ready;
    for rule in rules::for_profile(profile.id) {
        if let Kind::Tenant(check) = rule.kind {
            let mut f = finish(check(cx), rule.doc, profile, cx.ev);
            f.scope = Some("tenant");
            if let Some(v) = f.rollup() {
                verdict = verdict.worst(v);
            }
            checks.push(f);
        }
    }

    let device_rules: Vec<(&rules::Rule, std::rc::Rc<str>)> = rules::for_profile(profile.id)
        .filter(|r| matches!(r.kind, Kind::Device(_)))
        .map(|r| (r, source(profile, r.doc)))
        .collect();
    let mut items = Vec::with_capacity(cx.devices.len());
    let mut counts = Devices {
        total: cx.devices.len() as u64,
        out_of_scope: cx.out_of_scope,
        ..Default::default()
    };
    let mut coverage: BTreeMap<Reason, (Vec<&'static str>, u64)> = BTreeMap::new();
    for f in &checks {
        if let (Status::NotEvaluated, Some(r)) = (f.status, f.reason) {
            let e = coverage.entry(r).or_default();
            if !e.0.contains(&f.id) {
                e.0.push(f.id);
            }
        }
    }
    let keep_all = cx
        .settings
        .all_device_findings
        .unwrap_or(cx.devices.len() <= FULL_DETAIL_LIMIT);
    counts.detail = if keep_all { "all" } else { "failing" };
    let mut any_device_error = false;
    // One growing list reused for every device; each device keeps an exact-size copy (one
    // allocation, not a grow and a shrink per device).
    let mut findings: Vec<Finding> = Vec::with_capacity(device_rules.len());
    let mut last_loc: LocCache = None;
    for d in &cx.devices {
        cx.current_md
            .set(d.md.map_or(0, |m| m as *const ManagedDevice as usize));
        findings.clear();
        let mut dv = Verdict::Ready;
        for (rule, source) in &device_rules {
            if let Kind::Device(check) = rule.kind {
                cx.quiet.set(!keep_all);
                let mut f = check(cx, d);
                if !keep_all && needs_attention(&f) {
                    cx.quiet.set(false);
                    f = check(cx, d);
                }
                if let Some(v) = f.rollup() {
                    dv = dv.worst(v);
                }
                if let (Status::NotEvaluated, Some(r)) = (f.status, f.reason) {
                    let e = coverage.entry(r).or_default();
                    if !e.0.contains(&f.id) {
                        e.0.push(f.id);
                    }
                    e.1 += 1;
                }
                if keep_all || needs_attention(&f) {
                    findings.push(compact_evidence(
                        finish_with(f, rule.doc, source, cx.ev, &mut last_loc),
                        d,
                    ));
                }
            }
        }
        match dv {
            Verdict::Ready => counts.ready += 1,
            Verdict::Advisory => counts.advisory += 1,
            Verdict::NotReady => counts.not_ready += 1,
            Verdict::Error => {
                counts.error += 1;
                any_device_error = true
            }
        }
        if findings.iter().any(|f| f.status == Status::Error) {
            any_device_error = true;
        }
        // Not `mem::take`: that would hand over the scratch list's spare room.
        #[allow(clippy::drain_collect)]
        let kept: Vec<Finding> = findings.drain(..).collect();
        items.push(DeviceItem {
            id: (*d.key).into(),
            name: d.name.into(),
            verdict: dv,
            findings: kept,
        });
    }
    cx.current_md.set(0);
    cx.quiet.set(false);
    // The rules have run: give back the lookup tables before the device items are sorted,
    // so the sort does not add to the run's peak (the device list is kept for redaction).
    cx.serials = map(0);
    cx.entra_by_name = map(0);
    cx.users = crate::util::KeyIndex::empty();
    cx.entitlements = Default::default();
    if !cx.settings.collect_identifiers {
        cx.devices = Vec::new();
    }
    if any_device_error {
        verdict = verdict.worst(Verdict::Error);
    }
    // Worst first, then by name (case-insensitive, then exact), then id. A small sort key per
    // device (rank and the first 16 bytes of the lower-cased name) settles nearly every
    // comparison; only equal keys compare the whole names. The items are then put in that
    // order in place.
    let mut order: Vec<(u8, u128, u32)> = items
        .iter()
        .enumerate()
        .map(|(i, d)| (u8::MAX - d.verdict.rank(), lower_prefix(&d.name), i as u32))
        .collect();
    let item = |i: u32| items.get(i as usize);
    // Unstable (no scratch buffer of half the keys), with the position as the last key: the
    // same order a stable sort gives.
    order.sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| match (item(a.2), item(b.2)) {
                (Some(x), Some(y)) => cmp_lower(&x.name, &y.name)
                    .then_with(|| x.name.cmp(&y.name))
                    .then_with(|| x.id.cmp(&y.id)),
                _ => std::cmp::Ordering::Equal,
            })
            .then(a.2.cmp(&b.2))
    });
    permute(
        &mut items,
        order.into_iter().map(|(_, _, i)| i as usize).collect(),
    );
    counts.items = items;

    let coverage = coverage
        .into_iter()
        .map(|(reason, (mut ids, devices))| {
            ids.sort_by_key(|id| rules::order(id));
            Coverage {
                reason,
                how_to_supply: how_to_supply(reason, &ids),
                checks: ids,
                devices,
            }
        })
        .collect();

    let inputs = inventory(cx.ev);

    let org = cx.org.as_ref();
    let identifiers = if cx.settings.collect_identifiers {
        identifiers(cx)
    } else {
        Vec::new()
    };
    Report {
        schema: SCHEMA,
        tool: Tool {
            name: "apready",
            version: crate::VERSION,
        },
        profile: profile.id,
        rules_reviewed: profile.reviewed,
        as_of: format_instant(cx.as_of),
        as_of_source: cx.settings.as_of_source,
        verdict,
        redacted: false,
        redaction: None,
        tenant: Tenant {
            id: org.and_then(|o| o.id.text()).map(str::to_string),
            name: org.and_then(|o| o.name.text()).map(str::to_string),
        },
        inputs,
        checks,
        coverage,
        devices: counts,
        identifiers,
    }
}

/// The first 16 bytes of `name.to_lowercase()`, zero-padded, big-endian: ordering these is
/// consistent with ordering the lower-cased names (equal prefixes decide nothing).
fn lower_prefix(name: &str) -> u128 {
    let mut key = [0u8; 16];
    let mut put = |bytes: &mut dyn Iterator<Item = u8>| {
        for (k, b) in key.iter_mut().zip(bytes) {
            *k = b;
        }
    };
    if name.is_ascii() {
        put(&mut name.bytes().map(|c| c.to_ascii_lowercase()));
    } else {
        put(&mut name.to_lowercase().bytes());
    }
    u128::from_be_bytes(key)
}

/// Puts `v` in the order `order` gives (`v[k]` becomes the old `v[order[k]]`), in place by
/// following the permutation's cycles. `order` must be a permutation of `0..v.len()`.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut cur = start;
        while let Some(&next) = order.get(cur) {
            if let Some(o) = order.get_mut(cur) {
                *o = cur;
            }
            if next == start || next == cur {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

/// `a.to_lowercase().cmp(&b.to_lowercase())`, without allocating for ASCII text.
fn cmp_lower(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

/// Every identifier the inputs carried, longest first, deduplicated.
fn identifiers(cx: &Cx) -> Vec<String> {
    // Borrowed, sorted and deduplicated before anything is copied: a sorted vector of
    // `&str` instead of a `BTreeSet<String>` of every occurrence (millions on a large tenant).
    fn push<'s>(all: &mut Vec<&'s str>, t: Option<&'s str>) {
        if let Some(t) = t.map(str::trim).filter(|t| !t.is_empty()) {
            all.push(t);
        }
    }
    let mut all: Vec<&str> = Vec::new();
    for m in cx.merged {
        push(&mut all, m.id.str());
        push(&mut all, m.name.str());
        push(&mut all, m.aad_id.str());
        push(&mut all, m.serial.str());
        push(&mut all, m.user_id.str());
        push(&mut all, m.upn.str());
    }
    for e in &cx.ev.entra {
        push(&mut all, e.id.str());
        push(&mut all, e.device_id.str());
        push(&mut all, e.name.str());
    }
    for u in &cx.ev.users {
        push(&mut all, u.id.str());
        push(&mut all, u.upn.str());
        push(&mut all, u.name.str());
    }
    for o in &cx.ev.orgs {
        push(&mut all, o.id.str());
        push(&mut all, o.name.str());
    }
    for l in &cx.ev.locals {
        push(&mut all, l.computer_name.str());
        push(&mut all, l.serial.str());
        if let Some(d) = &l.dsreg {
            for v in [&d.device_id, &d.tenant_id, &d.tenant_name]
                .into_iter()
                .flatten()
            {
                push(&mut all, Some(v));
            }
        }
    }
    for f in &cx.ev.files {
        push(&mut all, Some(&f.path));
    }
    for d in &cx.devices {
        push(&mut all, Some(&d.key));
    }
    all.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    all.dedup();
    all.into_iter().map(str::to_string).collect()
}

/// A device finding that needs attention: listed even in a `failing`-detail report.
fn needs_attention(f: &Finding) -> bool {
    match f.status {
        Status::NotReady | Status::Error | Status::Advisory => true,
        Status::NotEvaluated => f.reason != Some(Reason::NeedsDeviceEvidence),
        Status::Ready | Status::NotApplicable | Status::Info => false,
    }
}

/// Evidence inside a device item does not repeat the device's own id and name.
fn compact_evidence(mut f: Finding, d: &Dev) -> Finding {
    for e in &mut f.evidence {
        if e.object_id.as_deref() == Some(&*d.key) {
            e.object_id = None;
        }
        if e.object_name.as_deref() == Some(d.name) {
            e.object_name = None;
        }
    }
    f
}

/// The report's `inputs` section.
pub fn inventory(ev: &Store) -> Vec<InputEntry> {
    let state = |r: Resource| resource_state(ev, r);
    ev.files
        .iter()
        .map(|f| {
            let truncated = f.kind != "bundle"
                && f.resource
                    .is_some_and(|r| matches!(state(r), RState::Truncated { .. }))
                || (f.kind == "bundle" && ev.bundle_incomplete);
            InputEntry {
                file: f.path.clone(),
                resource: if f.kind == "bundle" {
                    Some("snapshot")
                } else {
                    f.resource.map(Resource::name)
                },
                api: f.api.name(),
                records: f.records,
                pages: f.pages,
                truncated,
                encoding: f.encoding,
                kind: f.kind,
                error: f.unusable.clone(),
                problems: f.problems.clone(),
            }
        })
        .collect()
}

fn how_to_supply(reason: Reason, ids: &[&str]) -> String {
    match reason {
        Reason::NeedsDeviceEvidence => "network reach and local settings: not checked — no device evidence; run Test-AutopatchDeviceReadiness on a device (or Export-AutopatchReadinessSnapshot -IncludeThisDevice) and pass the snapshot".into(),
        Reason::BetaOnlyField => "fields that only Graph beta has (skuNumber, processorArchitecture, officeApps): export GET https://graph.microsoft.com/beta/deviceManagement/managedDevices with those fields in $select, or supply device evidence".into(),
        Reason::TruncatedInput => "an export stops early: follow every @odata.nextLink and supply all pages".into(),
        Reason::MissingInput => {
            let mut s = String::from("an export was not supplied or lacks a field: ");
            let mut wanted: Vec<&str> = Vec::new();
            for id in ids {
                let r = match *id {
                    i if i.starts_with("LIC-001") || i.starts_with("LIC-003") || i.starts_with("LIC-004") => "subscribedSkus",
                    i if i.starts_with("LIC-002") || i == "DEV-007" => "users",
                    i if i.starts_with("IDN-002") => "onPremisesSynchronization (beta) or --sync-client-version",
                    i if i.starts_with("IDN") || i.starts_with("MGT") => "organization",
                    "CM-001" => "--configmgr-version or device evidence",
                    "DEV-006" => "devices",
                    _ => "managedDevices",
                };
                if !wanted.contains(&r) {
                    wanted.push(r);
                }
            }
            s.push_str(&wanted.join(", "));
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cmp_lower;

    #[test]
    fn lower_prefix_orders_like_lowercase() {
        let names = [
            "CPH-LT-1024",
            "cph-lt-1024",
            "CPH-LT-10240000000",
            "Cph-Lt-0999",
            "",
            "a",
            "a\u{0}",
            "a\u{0}x",
            "B",
            "ÉCRAN",
            "écran-2",
            "Zürich",
            "zz",
            "\u{212A}elvin",
            "kelvin",
            "0123456789abcdefX",
            "0123456789ABCDEFy",
        ];
        for a in names {
            for b in names {
                let (pa, pb) = (super::lower_prefix(a), super::lower_prefix(b));
                if pa != pb {
                    assert_eq!(
                        pa.cmp(&pb),
                        a.to_lowercase().cmp(&b.to_lowercase()),
                        "{a} / {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn permute_applies_the_order() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        super::permute(&mut v, vec![2, 0, 1, 4, 3]);
        assert_eq!(v, ['c', 'a', 'b', 'e', 'd']);
        let mut w: Vec<u32> = (0..1000).collect();
        let order: Vec<usize> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        super::permute(&mut w, order.clone());
        assert!(w.iter().zip(&order).all(|(x, o)| *x as usize == *o));
    }

    #[test]
    fn cmp_lower_is_lowercase_order() {
        let names = [
            "CPH-LT-1024",
            "cph-lt-1024",
            "Cph-Lt-0999",
            "",
            "a",
            "B",
            "ÉCRAN",
            "écran-2",
            "Zürich",
            "zz",
            "ZZ-1",
            "\u{212A}elvin",
            "kelvin",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    cmp_lower(a, b),
                    a.to_lowercase().cmp(&b.to_lowercase()),
                    "{a} / {b}"
                );
            }
        }
    }
}
