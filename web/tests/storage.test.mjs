// Nothing is stored and nothing goes into the URL: after a whole session (files dropped, a
// verdict, a device's details, every download) the page's and its Worker's storage are empty.
// The probes at the end show the checks are not vacuous: the same APIs do store on this origin.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGE, download, dropFiles, expectedJson, open, runCheck, sampleFiles, waitInputs } from './helpers.mjs';

/** Every client-side store this context can see (run in the page or in the Worker). */
async function stores() {
  const out = {};
  const attempt = async (k, f) => {
    try {
      out[k] = await f();
    } catch (e) {
      out[k] = `unavailable: ${e.name}`;
    }
  };
  if (typeof localStorage !== 'undefined') await attempt('localStorage', () => localStorage.length);
  if (typeof sessionStorage !== 'undefined') await attempt('sessionStorage', () => sessionStorage.length);
  if (typeof document !== 'undefined') out.cookie = document.cookie;
  await attempt('indexedDB', async () => (await indexedDB.databases()).map((d) => d.name));
  await attempt('caches', async () => (typeof caches === 'undefined' ? 'unavailable: no caches' : await caches.keys()));
  await attempt('opfs', async () => {
    const root = await navigator.storage.getDirectory();
    const names = [];
    for await (const k of root.keys()) names.push(k);
    return names;
  });
  return out;
}

/** Empty, or an API this origin does not offer at all (then nothing could have been kept). */
function assertEmpty(where, got) {
  const empty = (v) => v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'string' && v.startsWith('unavailable'));
  for (const [k, v] of Object.entries(got)) assert.ok(empty(v), `${where}: ${k} holds ${JSON.stringify(v)}`);
}

test('after a full run with every download, no storage is used and the URL carries nothing', async (t) => {
  const s = await open(t);
  const { page, ctx } = s;
  const want = JSON.parse(expectedJson().toString('utf8'));
  // The harness opens about:blank, then the page: history starts with those two entries.
  const historyAtLoad = await page.evaluate(() => history.length);
  const files = sampleFiles();
  await dropFiles(page, files);
  await waitInputs(page, files.length);
  await runCheck(page);
  assert.equal(await page.getAttribute('[data-testid="verdict"]', 'data-verdict'), want.verdict);
  await page.click('[data-device-id] button');
  await page.waitForSelector('.detail .finding');
  // Redacted (the default, with the page's random key, then a pasted key) and unredacted.
  await download(page, 'json');
  await page.fill('[data-testid="redact-key"]', 'contoso-audit-2022');
  await download(page, 'json');
  await page.uncheck('[data-testid="redact"]');
  const downloaded = [];
  for (const format of ['json', 'html', 'csv', 'md']) {
    if (await page.isDisabled(`[data-testid="download-${format}"]`)) continue;
    const f = await download(page, format);
    downloaded.push(f.name);
  }
  assert.ok(downloaded.length >= 2, `downloads: ${downloaded}`);

  const inPage = await page.evaluate(stores);
  const inWorker = await page.workers()[0].evaluate(stores);
  t.diagnostic(`page: ${JSON.stringify(inPage)}; worker: ${JSON.stringify(inWorker)}`);
  assertEmpty('page', inPage);
  assertEmpty('worker', inWorker);
  assert.deepEqual(await ctx.cookies(), [], 'cookies');
  assert.deepEqual(await ctx.storageState().then((st) => [st.cookies, st.origins.filter((o) => o.localStorage.length > 0)]), [[], []]);

  // The URL: exactly the file that was opened, no history entries added, no window.name.
  assert.equal(page.url(), PAGE);
  const loc = await page.evaluate(() => ({ hash: location.hash, search: location.search, history: history.length, name: window.name }));
  assert.deepEqual(loc, { hash: '', search: '', history: historyAtLoad, name: '' }, 'no history entries, nothing in the URL or window.name');

  // Not vacuous: on this origin the same APIs do keep data, and the checks above would see it.
  const probe = await page.evaluate(async () => {
    localStorage.setItem('apready-probe', '1');
    sessionStorage.setItem('apready-probe', '1');
    await new Promise((res, rej) => {
      const r = indexedDB.open('apready-probe');
      r.onsuccess = () => {
        r.result.close();
        res();
      };
      r.onerror = () => rej(r.error);
    });
    const dbs = (await indexedDB.databases()).map((d) => d.name);
    const out = { local: localStorage.length, session: sessionStorage.length, dbs };
    localStorage.clear();
    sessionStorage.clear();
    await new Promise((res) => {
      const r = indexedDB.deleteDatabase('apready-probe');
      r.onsuccess = r.onerror = r.onblocked = () => res();
    });
    return out;
  });
  assert.deepEqual(probe, { local: 1, session: 1, dbs: ['apready-probe'] }, 'the storage probes work on this origin');
  assert.deepEqual(s.offending, []);
  assert.deepEqual(s.errors, []);
});
