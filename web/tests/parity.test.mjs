// Parity of every case folder (tests/cases/): the same inputs and options give byte-identical
// JSON reports from the native core (core/examples/check.rs → apready_core::run), from Node
// running the page's wasm (web/build/pkg, streamed through begin_file / feed / end_file as the
// Worker does) and from the page in Chromium (its unredacted JSON download).
//
// The wasmtime host is compared with the native core by pwsh/apready/tests/cli.rs
// (`case_folders_agree_with_the_native_core`, every self-contained case folder).
//
// Run: `cargo xtask web && (cd web && node --test --test-reporter=spec tests/parity.test.mjs)`.

import { after, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { open } from './helpers.mjs';
import { allCases, assertFreshBuild, describeDiff, pageOrder, runNative, runNode, runPage, stage } from './engines.mjs';

/**
 * Cases the page cannot run, by a reason that is the page's design rather than a defect. Each
 * is still compared native = Node. Decided from the case itself, and counted in the summary.
 */
function pageSkip(c) {
  if (c.inputs.length === 0) return 'no inputs: the page runs only once an export is added';
  const opts = ['configmgr_version', 'sync_client_version'].filter((k) => c[k] !== null);
  if (opts.length > 0) return `passes ${opts.join(', ')}: the page has no control for it`;
  if (c.inputs.some((i) => /\.(md|toml)$/i.test(i.name) || i.name.split('/').some((s) => s.startsWith('.')))) {
    return "an input the folder walk skips (hidden, *.md, *.toml)";
  }
  return null;
}

/** Staged inputs, shared by the tests of this file (node:test runs them in order). */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apready-parity-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const cases = allCases();
/** name → { staged folder, native result } shared by the two tests. */
const ran = new Map();
const summary = { allThree: 0, nodeOk: 0, nodeBad: [], pageOk: 0, pageBad: [], skipped: new Map() };

test(`every case (${cases.length}): the native core and Node running the page's wasm give byte-identical JSON and exit codes`, async (t) => {
  assertFreshBuild();
  const started = Date.now();
  for (const c of cases) {
    const dir = stage(root, c.name, c.inputs);
    const options = { profile: c.profile, as_of: c.as_of, configmgr_version: c.configmgr_version, sync_client_version: c.sync_client_version, format: 'json' };
    const native = runNative(dir, options);
    ran.set(c.name, { dir, native });
    if (![0, 1, 2, 3].includes(native.exit)) {
      summary.nodeBad.push(`${c.name}: the native core exited ${native.exit}: ${native.bytes.toString('utf8').slice(0, 300)}`);
      continue;
    }
    // The page's order (a batch sorted by path); and the case's own order, which must not matter.
    const node = runNode(pageOrder(c.inputs), options);
    const problems = [];
    if (node.exit !== native.exit) problems.push(`exit ${node.exit} in Node, ${native.exit} native`);
    if (!node.bytes.equals(native.bytes)) problems.push(`Node ≠ native: ${describeDiff(node.bytes, native.bytes)}`);
    if (c.inputs.map((i) => i.name).join('\n') !== pageOrder(c.inputs).map((i) => i.name).join('\n')) {
      const asListed = runNode(c.inputs, options);
      if (!asListed.bytes.equals(node.bytes)) problems.push(`the input order changes the report: ${describeDiff(asListed.bytes, node.bytes)}`);
    }
    if (problems.length > 0) summary.nodeBad.push(`${c.name}: ${problems.join('; ')}`);
    else summary.nodeOk++;
    ran.get(c.name).nodeSame = problems.length === 0;
  }
  t.diagnostic(`native = Node: ${summary.nodeOk} of ${cases.length} cases identical in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.deepEqual(summary.nodeBad, [], 'cases where Node running the page wasm differs from the native core');
  assert.equal(summary.nodeOk, cases.length);
});

test('every case the page can run: its unredacted JSON download is byte-identical to the native core', { timeout: 15 * 60_000 }, async (t) => {
  assertFreshBuild();
  if (ran.size === 0) throw new Error('the native results are missing: run the whole file');
  // One page for every case, reset between cases with "Remove all".
  const s = await open(t);
  const { page } = s;
  const started = Date.now();
  for (const c of cases) {
    const skip = pageSkip(c);
    if (skip) {
      summary.skipped.set(c.name, skip);
      continue;
    }
    const { dir, native, nodeSame } = ran.get(c.name);
    if (![0, 1, 2, 3].includes(native.exit)) continue;
    let got;
    try {
      got = await runPage(page, dir, c.inputs.length, { profile: c.profile, asOf: c.as_of });
    } catch (err) {
      summary.pageBad.push(`${c.name}: the page did not finish: ${err.message.split('\n')[0]}`);
      // Start afresh so that one stuck case does not fail every later one.
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      continue;
    }
    if (got.bytes === null) {
      summary.pageBad.push(`${c.name}: the page refused to run: ${got.message}`);
      continue;
    }
    const want = JSON.parse(native.bytes.toString('utf8')).verdict;
    const problems = [];
    if (got.verdict !== want) problems.push(`the page shows verdict ${got.verdict}, the report says ${want}`);
    if (!got.bytes.equals(native.bytes)) problems.push(`page ≠ native: ${describeDiff(got.bytes, native.bytes)}`);
    if (problems.length > 0) summary.pageBad.push(`${c.name}: ${problems.join('; ')}`);
    else summary.pageOk++;
    if (problems.length === 0 && nodeSame) summary.allThree++;
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const reasons = new Map();
  for (const [name, why] of summary.skipped) reasons.set(why, [...(reasons.get(why) ?? []), name]);
  for (const [why, names] of reasons) t.diagnostic(`skipped in the page (${names.length}), ${why}: ${names.join(', ')}`);
  const line = `parity: ${summary.allThree} cases byte-identical native=node=page, ${summary.skipped.size} skipped in the page (${[...reasons].map(([why, n]) => `${n.length}: ${why.split(':')[0]}`).join('; ')}) and compared native=node only; ${cases.length} cases in all, page run ${secs} s`;
  t.diagnostic(line);
  console.log(line);
  assert.deepEqual(s.offending, [], 'requests that are not file:, blob: or data:');
  assert.deepEqual(s.errors, [], 'script errors or console errors');
  assert.deepEqual(summary.pageBad, [], 'cases where the page differs from the native core');
  assert.equal(summary.pageOk + summary.skipped.size, cases.length);
  assert.equal(summary.allThree, summary.pageOk, 'cases identical in the page but not in Node');
});
