// The hostile-input corpus (tests/hostile/manifest.json, the JSON twin of manifest.toml) in
// Node running the page's wasm and in the page itself: every entry gives its expected outcome
// (a located error, a verdict, the right inventory), the page shows the error to the user before
// any verdict and keeps working, and Node's report equals the native core's and the page's.
// tests/tests/hostile.rs holds the same entries natively and in the wasmtime host.
//
// Run: `cargo xtask web && (cd web && node --test --test-reporter=spec tests/hostile.test.mjs)`.

import { after, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, open } from './helpers.mjs';
import { assertFreshBuild, describeDiff, pageOrder, runNative, runNode, runPage, stage } from './engines.mjs';

const HOSTILE = path.join(ROOT, 'tests', 'hostile');
const manifest = JSON.parse(fs.readFileSync(path.join(HOSTILE, 'manifest.json'), 'utf8'));

/** Entries that do not run here, with the reason (counted and printed). */
function skipReason(e) {
  if (e.heavy) return 'heavy (a generated 1 GiB input; natively and in wasmtime in tests/tests/hostile.rs; a 1 GiB File is not fed to the page here)';
  if (e.native === false) return "tests the wasmtime host's own --timeout / --max-memory, which the page and Node do not have";
  return null;
}

// ------------------------------------------------------------------ generators (README.md)

const MD = 'https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices';
const HEAD = `{"@odata.context":"${MD}","value":[{"id":"00000000-0000-4000-8000-000000000001","operatingSystem":"Windows","managementAgent":"mdm","deviceName":`;
const rep = (s, n) => (n === 0 ? Buffer.alloc(0) : Buffer.alloc(Buffer.byteLength(s) * n, s));
/** n copies of `item` joined by commas. */
const joined = (item, n) => (n === 0 ? Buffer.alloc(0) : rep(`,${item}`, n).subarray(1));

function generate(kind, n) {
  const b = (s) => Buffer.from(s);
  switch (kind) {
    case 'nested-arrays':
      return Buffer.concat([rep('[', n), rep(']', n)]);
    case 'nested-objects':
      return Buffer.concat([rep('{"a":', n), b('0'), rep('}', n)]);
    case 'nested-in-record':
      return Buffer.concat([b(HEAD), rep('[', n), rep(']', n), b('}]}')]);
    case 'nested-in-features':
      return Buffer.concat([b(HEAD), b('"x","configurationManagerClientEnabledFeatures":'), rep('[', n), rep(']', n), b('}]}')]);
    case 'big-string':
      return Buffer.concat([b(HEAD), b('"'), rep('A', n), b('"}]}')]);
    case 'empty-objects':
      return Buffer.concat([b(`{"@odata.context":"${MD}","value":[`), joined('{}', n), b(']}')]);
    case 'numbers-in-value':
      return Buffer.concat([b(`{"@odata.context":"${MD}","value":[`), joined('1', n), b(']}')]);
    case 'empty-objects-array':
      return Buffer.concat([b('['), joined('{}', n), b(']')]);
    case 'bad-members': {
      const parts = [];
      for (let i = 0; i < n; i++) parts.push(`{"id":"00000000-0000-4000-8000-${String(i).padStart(12, '0')}","operatingSystem":"Windows","deviceName":${i}}`);
      return b(`{"@odata.context":"${MD}","value":[${parts.join(',')}]}`);
    }
    default:
      throw new Error(`unknown generator ${kind}`);
  }
}

function materialise(e) {
  return e.inputs.map((i) =>
    i.file !== undefined ? { name: i.path ?? i.file, file: path.join(HOSTILE, 'files', ...i.file.split('/')) } : { name: i.path, bytes: generate(i.generate, i.n) },
  );
}

// ------------------------------------------------------------------ expectations (as hostile.rs)

const strs = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const itemStatus = (c) => (c.reason ? `${c.status}:${c.reason}` : c.status);
const statusMatches = (want, c) => (want.includes(':') ? itemStatus(c) === want : c.status === want);

/** What differs between the entry's expectations and a report (`exit` null: not known, the page). */
function compare(e, exit, bytes) {
  const m = [];
  const x = e.expect;
  if (exit !== null && exit !== x.exit_code) m.push(`exit code ${exit}, expected ${x.exit_code}`);
  let r;
  try {
    r = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return [...m, `the report is not JSON: ${err.message}`];
  }
  if (!['ready', 'advisory', 'not_ready', 'error'].includes(r.verdict)) m.push(`no verdict in the report (${r.verdict})`);
  if (x.verdict && x.verdict !== r.verdict) m.push(`verdict ${r.verdict}, expected ${x.verdict}`);
  for (const [id, want] of Object.entries(x.checks ?? {})) {
    const c = (r.checks ?? []).find((c) => c.id === id);
    if (!c) m.push(`${id} is not in the report`);
    else if (!statusMatches(want, c)) m.push(`${id} is ${itemStatus(c)}, expected ${want}`);
  }
  if (x.device_count !== undefined && r.devices?.total !== x.device_count) m.push(`devices.total ${r.devices?.total}, expected ${x.device_count}`);
  for (const [name, want] of Object.entries(x.devices ?? {})) {
    const d = (r.devices?.items ?? []).find((d) => d.name === name);
    if (!d) m.push(`device ${name} is not in the report`);
    else if (d.verdict !== want) m.push(`device ${name} is ${d.verdict}, expected ${want}`);
  }
  const inputs = r.inputs ?? [];
  for (const i of e.inputs) {
    const p = i.path ?? i.file;
    if (!inputs.some((x) => x.file === p)) m.push(`input ${p} is not in the report's inputs`);
  }
  for (const [p, ie] of Object.entries(x.inputs ?? {})) {
    const i = inputs.find((x) => x.file === p);
    if (!i) continue;
    if (ie.error === false && i.error) m.push(`${p}: error ${JSON.stringify(i.error)}, expected none`);
    if (ie.error !== undefined && ie.error !== false) {
      if (!i.error) m.push(`${p}: no error, expected one containing ${JSON.stringify(ie.error)}`);
      else for (const s of strs(ie.error)) if (!i.error.includes(s)) m.push(`${p}: error ${JSON.stringify(i.error)} does not contain ${JSON.stringify(s)}`);
    }
    for (const k of ['records', 'pages', 'truncated', 'resource']) {
      if (ie[k] !== undefined && i[k] !== ie[k]) m.push(`${p}: ${k} ${JSON.stringify(i[k])}, expected ${JSON.stringify(ie[k])}`);
    }
    const problems = i.problems ?? [];
    if (ie.problem !== undefined && !problems.some((q) => q.includes(ie.problem))) {
      m.push(`${p}: no problem contains ${JSON.stringify(ie.problem)} (${problems.length} problems, first: ${JSON.stringify(problems.slice(0, 3))})`);
    }
    if (ie.problems_at_most !== undefined && problems.length > ie.problems_at_most) m.push(`${p}: ${problems.length} problems listed, expected at most ${ie.problems_at_most}`);
  }
  return m;
}

// ------------------------------------------------------------------ the tests

/** Staged inputs, shared by the tests of this file (node:test runs them in order). */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apready-hostile-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const entries = manifest.entry.filter((e) => !skipReason(e));
const skipped = manifest.entry.filter((e) => skipReason(e));
/** name → { dir, files, node } shared with the page test. */
const done = new Map();

test(`hostile corpus in Node running the page's wasm (${entries.length} of ${manifest.entry.length} entries): expected outcome, and the native core's bytes`, { timeout: 10 * 60_000 }, async (t) => {
  assertFreshBuild();
  const failures = [];
  for (const e of entries) {
    const files = materialise(e);
    const dir = stage(root, e.name, files);
    const staged = files.map((f) => ({ name: f.name, file: path.join(dir, ...f.name.split('/')) }));
    const options = { as_of: manifest.as_of, ...(e.options ?? {}), format: 'json' };
    const t0 = Date.now();
    let node;
    try {
      node = runNode(pageOrder(staged), options);
    } catch (err) {
      failures.push(`${e.name}: Node: the engine threw ${err}`);
      continue;
    }
    const ms = Date.now() - t0;
    done.set(e.name, { dir, files: staged, node });
    const m = compare(e, node.exit, node.bytes);
    const native = runNative(dir, options);
    if (native.exit !== node.exit) m.push(`native exit ${native.exit}, Node ${node.exit}`);
    if (!native.bytes.equals(node.bytes)) m.push(`Node ≠ native: ${describeDiff(node.bytes, native.bytes)}`);
    if (m.length > 0) failures.push(`${e.name}: ${m.join('; ')}`);
    t.diagnostic(`${e.name.padEnd(44)} Node ${String(ms).padStart(5)} ms, exit ${node.exit}${m.length ? ' — FAIL' : ''}`);
  }
  for (const e of skipped) t.diagnostic(`${e.name}: skipped — ${skipReason(e)}`);
  assert.deepEqual(failures, []);
});

test('hostile corpus in the page: the error is shown before any verdict, the report meets the entry, the page keeps working', { timeout: 15 * 60_000 }, async (t) => {
  assertFreshBuild();
  if (done.size === 0) throw new Error('the Node results are missing: run the whole file');
  const s = await open(t);
  const { page } = s;
  const defaultProfile = await page.inputValue('[data-testid="profile"]');
  const failures = [];
  let ok = 0;
  for (const e of entries) {
    const d = done.get(e.name);
    if (!d) continue;
    const m = [];
    const t0 = Date.now();
    let got;
    try {
      got = await runPage(page, d.dir, d.files.length, { profile: e.options?.profile ?? defaultProfile, asOf: manifest.as_of });
    } catch (err) {
      failures.push(`${e.name}: the page did not finish: ${err.message.split('\n')[0]}`);
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      continue;
    }
    if (got.bytes === null) {
      failures.push(`${e.name}: the page refused to run: ${got.message}`);
      continue;
    }
    // The inventory (shown before any verdict) names each input's error and problems.
    for (const [p, ie] of Object.entries(e.expect.inputs ?? {})) {
      const shown = await page.$$eval(`tr[data-testid="input-row"]`, (rows, p) => rows.filter((r) => r.dataset.file === p).flatMap((r) => [...r.querySelectorAll('[data-testid="input-error"]')].map((x) => x.textContent)), p);
      for (const want of [...(ie.error ? strs(ie.error) : []), ...(ie.problem ? [ie.problem] : [])]) {
        if (!shown.some((x) => x.includes(want))) m.push(`${p}: the inventory does not show ${JSON.stringify(want)} (shown: ${JSON.stringify(shown.slice(0, 2))})`);
      }
    }
    m.push(...compare(e, null, got.bytes));
    const want = JSON.parse(got.bytes.toString('utf8')).verdict;
    if (got.verdict !== want) m.push(`the page shows ${got.verdict}, its report says ${want}`);
    if (!got.bytes.equals(d.node.bytes)) m.push(`page ≠ Node: ${describeDiff(got.bytes, d.node.bytes)}`);
    const health = await page.evaluate(() => ({
      fatal: document.querySelector('[data-testid="fatal"]').hidden,
      notice: document.querySelector('[data-testid="notice"]').hidden,
      engine: document.querySelector('[data-testid="engine-status"]').dataset.state,
    }));
    if (!health.fatal || !health.notice || health.engine !== 'ready') m.push(`the page is not healthy afterwards: ${JSON.stringify(health)}`);
    if (m.length > 0) failures.push(`${e.name}: ${m.join('; ')}`);
    else ok++;
    t.diagnostic(`${e.name.padEnd(44)} page ${String(Date.now() - t0).padStart(5)} ms, verdict ${got.verdict}${m.length ? ' — FAIL' : ''}`);
  }
  // Still usable after the whole corpus: the good page gives the same report as at the start.
  const base = done.get('baseline-good-page');
  const again = await runPage(page, base.dir, base.files.length, { profile: defaultProfile, asOf: manifest.as_of });
  assert.ok(again.bytes?.equals(base.node.bytes), 'after the corpus, the baseline entry gives its report again');
  const line = `hostile: ${ok} of ${entries.length} entries as expected in the page (and in Node, = native), ${skipped.length} skipped (${skipped.map((e) => e.name).join(', ')})`;
  t.diagnostic(line);
  console.log(line);
  assert.deepEqual(s.offending, []);
  assert.deepEqual(s.errors, [], 'script errors or console errors');
  assert.deepEqual(failures, []);
});
