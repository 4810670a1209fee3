// The engine Worker survives a wasm trap: the user is told, the Worker is replaced, the files are
// read into the new engine again, and the next run gives the right report.
//
// The trap is a real one, raised inside the engine's wasm code: the test corrupts the Worker's
// handle to its Engine (wasm-bindgen's `__wbg_ptr`, the address of the Rust object in linear
// memory) so that the engine's next call reads outside its memory — `RuntimeError: memory access
// out of bounds`, exactly what the Worker sees if the engine ever aborts. (No input is known to
// trap the engine, which is the point of the core's never-panic rule.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AS_OF, PROFILE, download, expectedJson, open, runCheck, sampleFiles, waitInputs } from './helpers.mjs';

test('a trap inside the engine Worker: the user is told, the engine restarts with the same files, the next run is right', async (t) => {
  const s = await open(t);
  const { page } = s;
  const want = JSON.parse(expectedJson().toString('utf8'));
  const files = sampleFiles();
  await page.setInputFiles('[data-testid="input-files"]', files);
  await waitInputs(page, files.length);

  const [worker] = page.workers();
  assert.ok(worker, 'the engine runs in a Worker');
  // The Worker script's `engine` (a wasm-bindgen Engine) is a global lexical binding of the
  // Worker; point its handle past the end of the wasm memory.
  const before = await worker.evaluate(() => {
    // eslint-disable-next-line no-undef
    const e = engine;
    const old = e.__wbg_ptr;
    e.__wbg_ptr = 0xfffffff0;
    return old;
  });
  assert.ok(before > 0, 'the Worker holds a live Engine');

  await page.selectOption('[data-testid="profile"]', PROFILE);
  await page.fill('[data-testid="as-of"]', AS_OF);
  await page.click('[data-testid="run"]');

  // The user is told, in words: the run failed because the engine stopped, and it was restarted.
  await page.waitForSelector('[data-testid="run-error"]:not([hidden])', { timeout: 30_000 });
  const runError = (await page.textContent('[data-testid="run-error"]')).trim();
  assert.match(runError, /The check did not run\..*the engine stopped: .*(memory access out of bounds|unreachable)/i, runError);
  const notice = page.locator('[data-testid="notice"]');
  assert.equal(await notice.isVisible(), true, 'a notice explains what happened');
  assert.match(await notice.textContent(), /Something went wrong inside the engine .* restarted .* read again/);
  assert.equal(await page.$('[data-testid="verdict"]'), null, 'no verdict is claimed');

  // A fresh Worker with the same inputs, read again.
  await page.waitForSelector('[data-testid="engine-status"][data-state="ready"]', { timeout: 30_000 });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="input-row"]').length === n && !document.querySelector('[data-testid="run"]').disabled, files.length, { timeout: 30_000 });
  // Once the files are read again, the progress bar goes away (it stayed up, stuck at "Reading 12
  // of 12", before web/src/main.ts hid it at the end of the restart).
  await page.waitForFunction(() => document.getElementById('progress').hidden, null, { timeout: 10_000 }).catch(async () => {
    throw new Error(`the progress bar stays up after the restart: ${await page.textContent('#progress-label')}`);
  });
  assert.equal(page.workers().length, 1, 'the trapped Worker is gone, one new Worker runs');
  assert.notEqual(page.workers()[0], worker);
  assert.equal(await page.locator('[data-testid="fatal"]').isHidden(), true, 'the page did not give up');
  const rows = await page.$$eval('[data-testid="input-row"]', (r) => r.map((x) => x.dataset.file));
  assert.deepEqual(rows, want.inputs.map((i) => i.file), 'the same files, read into the new engine');

  // The next run is right: the verdict, and the report byte for byte.
  await runCheck(page);
  assert.equal(await page.getAttribute('[data-testid="verdict"]', 'data-verdict'), want.verdict);
  assert.equal(await page.locator('[data-testid="run-error"]').isHidden(), true, 'the old error is gone');
  assert.equal(await notice.isHidden(), true, 'the notice is gone once a run succeeds');
  await page.uncheck('[data-testid="redact"]');
  assert.ok((await download(page, 'json')).bytes.equals(expectedJson()), 'after the restart, the JSON report equals the native engine');
  assert.deepEqual(s.offending, []);
  assert.deepEqual(s.errors, [], 'script errors or console errors');
});
