// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core, a fresh
// profile per test, every request watched, the page loaded from file://.

import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(WEB, '..');
export const PAGE = pathToFileURL(path.join(WEB, 'dist', 'index.html')).href;
export const SAMPLE = path.join(ROOT, 'tests', 'data', 'sample-tenant');
/**
 * Screenshots go to web/test-results/screenshots/ on every run; with APREADY_SCREENSHOTS=1
 * (`npm run screenshots`) they replace the committed ones in docs/screenshots/. (Chromium's
 * software raster differs by a few anti-aliased pixels between runs, so the committed files are
 * only rewritten on purpose.)
 */
export const SHOTS = process.env.APREADY_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(WEB, 'test-results', 'screenshots');
export const AS_OF = '2022-06-15T00:00:00Z';
export const PROFILE = '2022-05';
export const CHROMIUM = process.env.APREADY_CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Schemes that never touch the network. */
const LOCAL = /^(file|blob|data|about):/i;

/**
 * A fresh Chromium (own temporary profile) with the page loaded and its engine started.
 * `offending` collects every request that is not file:, blob: or data: (they are aborted).
 */
export async function open(t, { colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'apready-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    colorScheme,
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  const offending = [];
  const errors = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (LOCAL.test(url)) return route.continue();
    if (!offending.includes(url)) offending.push(url);
    return route.abort('blockedbyclient');
  });
  ctx.on('request', (r) => {
    if (!LOCAL.test(r.url()) && !offending.includes(r.url())) offending.push(r.url());
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  t.after(async () => {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });
  await page.goto(PAGE);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { ctx, page, offending, errors };
}

let expectedCache = null;
/** The native engine's JSON report for the sample tenant (the `apready check` truth). */
export function expectedJson() {
  if (expectedCache) return expectedCache;
  const r = spawnSync(
    process.env.CARGO || 'cargo',
    ['run', '-q', '-p', 'apready-core', '--example', 'check', '--', SAMPLE, '--as-of', AS_OF, '--profile', PROFILE, '--format', 'json'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.error) throw r.error;
  if (![0, 1, 2, 3].includes(r.status ?? -1)) {
    throw new Error(`native engine failed (${r.status}): ${r.stderr.toString()}`);
  }
  expectedCache = r.stdout;
  return expectedCache;
}

/** The sample tenant's input files, as the command line's folder walk picks them. */
export function sampleFiles() {
  return fs
    .readdirSync(SAMPLE)
    .filter((f) => !f.startsWith('.') && !/\.(md|toml)$/i.test(f))
    .sort()
    .map((f) => path.join(SAMPLE, f));
}

/** Waits until no file is streaming and the inventory shows `n` rows. */
export async function waitInputs(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="input-row"]').length === n && document.getElementById('progress')?.hidden === true, n, {
    timeout: 60_000,
  });
}

export async function runCheck(page, { profile = PROFILE, asOf = AS_OF } = {}) {
  await page.selectOption('[data-testid="profile"]', profile);
  await page.fill('[data-testid="as-of"]', asOf);
  await page.click('[data-testid="run"]');
  // A plain DOM query every 100 ms that stops at the table (which comes before its rows):
  // Playwright's selector polling (visibility, hit tests), a query for an element that is not
  // there yet (it walks every row), or a query on every frame would itself load the main thread
  // of a page with thousands of rows.
  await page.waitForFunction(
    () => document.querySelector('[data-testid="devices"]')?.getAttribute('data-complete') === 'true' && document.getElementById('progress')?.hidden === true,
    null,
    { timeout: 120_000, polling: 100 },
  );
}

/** Clicks a download button and returns the file's name and bytes. */
export async function download(page, format) {
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }).catch(async (e) => {
      const status = await page.textContent('#download-status').catch(() => '');
      const notice = await page.textContent('[data-testid="notice"]').catch(() => '');
      throw new Error(`no ${format} download (${e.message}); the page says: ${status} ${notice}`);
    }),
    page.click(`[data-testid="download-${format}"]`),
  ]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

/** Saves a screenshot as docs/screenshots/page-<name>.png. */
export async function shot(page, name, opts = {}) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.mouse.move(0, 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) throw new Error(`page-${name}: the page is ${overflow}px wider than the window`);
  // Rows with content-visibility: auto are painted from the frame after they scroll into view.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  // Values that change from run to run (timings, the random key's fingerprint) are masked so
  // that the committed screenshots only change when the page does.
  const dark = await page.evaluate(() => {
    for (const el of document.querySelectorAll('[data-volatile]')) el.textContent = el.dataset.volatile === 'elapsed' ? '00 ms' : '00000000';
    return matchMedia('(prefers-color-scheme: dark)').matches;
  });
  await page.screenshot({
    path: path.join(SHOTS, `page-${name}.png`),
    animations: 'disabled',
    caret: 'hide',
    mask: [page.locator('[data-volatile]')],
    maskColor: dark ? '#2a313c' : '#dde2e9',
    ...opts,
  });
}

/** Scrolls so that `selector` sits just below the top of the viewport. */
export async function scrollTo(page, selector) {
  await page.evaluate((sel) => {
    document.querySelector(sel).scrollIntoView({ block: 'start' });
    window.scrollBy(0, -16);
  }, selector);
}

/** Adds files to the page as a user drop would (a DataTransfer with File objects). */
export async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString('base64') }));
  await page.evaluate((payload) => {
    const dt = new DataTransfer();
    for (const f of payload) {
      const bin = atob(f.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name, { type: 'application/json' }));
    }
    const zone = document.querySelector('[data-testid="dropzone"]');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, payload);
}

/** Writes `files` ({name: content}) into a fresh temporary folder and returns the paths. */
export function tempFiles(t, files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apready-input-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return Object.entries(files).map(([name, content]) => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  });
}
