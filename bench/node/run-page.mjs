// The page itself in headless Chromium (Playwright, Debian's Chromium), as an admin uses it:
// hand it every file of a tenant folder, pick the profile and as-of, run, and wait for the
// verdict (the time measured), then for the device list to be complete (the memory peak is
// sampled until then). Prints one JSON line: {"ms": <set files → verdict>, "listed_ms":
// <set files → device list complete>, "counts": {…}, "peak_kb": …, "note": …}.
//
//   node run-page.mjs <web/dist/index.html> <tenant dir> <as-of>   (cwd: web/, for playwright-core)
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [page_html, dir, asOf] = process.argv.slice(2);
// playwright-core is the page's dev dependency: resolve it from web/ (dist/..).
const { chromium } = createRequire(path.join(path.dirname(page_html), "..", "package.json"))("playwright-core");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(dir, f));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "apready-bench-chromium-"));
const LIST_CAP_S = Number(process.env.APREADY_BENCH_LIST_CAP_S || 300);
const ERR = '[data-testid="run-error"]:not([hidden]), [data-testid="fatal"]:not([hidden])';
// Peak memory of the browser: the sum of VmRSS over every process below this one (browser,
// zygotes, renderer with the page's Worker, GPU/utility), sampled every 100 ms. (Renderers
// are not reaped by a waiting parent, so getrusage cannot see them.)
let peakKb = 0;
function treeRssKb() {
  const kids = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch {}
  }
  let sum = 0;
  const todo = [...(kids.get(process.pid) ?? [])];
  while (todo.length) {
    const pid = todo.pop();
    todo.push(...(kids.get(pid) ?? []));
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) sum += Number(m[1]);
    } catch {}
  }
  return sum;
}
const sampler = setInterval(() => {
  peakKb = Math.max(peakKb, treeRssKb());
}, 100);
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
let ctx;
try {
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.APREADY_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(page_html).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  const t0 = performance.now();
  await page.setInputFiles('[data-testid="input-files"]', files);
  await page.selectOption('[data-testid="profile"]', "2022-05");
  await page.fill('[data-testid="as-of"]', asOf);
  await page.click('[data-testid="run"]', { timeout: 3_600_000 });
  const done = await Promise.race([
    page.waitForSelector('[data-testid="verdict"]', { timeout: 3_600_000 }).then(() => "verdict"),
    page.waitForSelector(ERR, { timeout: 3_600_000 }).then(() => "error"),
  ]);
  const ms = performance.now() - t0;
  if (done !== "verdict") {
    const text = await page.textContent(ERR).catch(() => "");
    out({ peak_kb: peakKb, error: `the page showed an error after ${(ms / 1000).toFixed(1)} s: ${String(text).trim().slice(0, 300)} ${errors.join("; ").slice(0, 300)}` });
  } else {
    const count = async (k) => Number(await page.getAttribute(`[data-testid="device-count-${k}"]`, "data-count").catch(() => NaN));
    const verdict = await page.getAttribute('[data-testid="verdict"]', "data-verdict");
    const counts = { verdict, total: await count("total"), ready: await count("ready"), advisory: await count("advisory"), not_ready: await count("not_ready"), error: await count("error"), out_of_scope: await count("out_of_scope") };
    for (const k of Object.keys(counts)) if (Number.isNaN(counts[k])) counts[k] = 0;
    // The verdict is shown before the device rows are read: the peak memory is taken until the
    // device table is complete (every row read and in the DOM), and that time is noted too.
    // (The query stops at the table, which comes before its rows; one for `[data-complete="true"]`
    // would walk every row while it is not there.)
    // It is waited for at most LIST_CAP_S seconds after the verdict (a 1M-device tenant lists
    // ~480k rows); a list still incomplete then is reported as such.
    process.stderr.write(`verdict after ${(ms / 1000).toFixed(1)} s\n`);
    const listed = await page
      .waitForFunction(() => document.querySelector('[data-testid="devices"]')?.getAttribute("data-complete") === "true", null, { timeout: LIST_CAP_S * 1000, polling: 250 })
      .then(() => true, () => false);
    const listedMs = performance.now() - t0;
    peakKb = Math.max(peakKb, treeRssKb());
    const rows = await page.evaluate(() => document.querySelectorAll("[data-device-id]").length).catch(() => -1);
    const first = listed
      ? `device list complete after ${(listedMs / 1000).toFixed(1)} s`
      : `device list NOT complete after ${(listedMs / 1000).toFixed(1)} s (${rows} rows in the DOM; the wait stops ${LIST_CAP_S} s after the verdict)`;
    out({ ms, listed_ms: listed ? listedMs : null, verdict, counts, peak_kb: peakKb, note: [first, ...errors].join("; ").slice(0, 300) });
  }
} catch (e) {
  out({ error: String(e && e.message ? e.message : e).slice(0, 500) });
} finally {
  clearInterval(sampler);
  if (ctx) await ctx.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
