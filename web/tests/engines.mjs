// Shared by the parity, hostile-corpus and robustness tests: the three ways of running the same
// engine on the same bytes (the native core, Node running the page's wasm, the page itself), the
// case folders of tests/cases/ read the way tests/src/lib.rs reads them, and a short account of
// where two reports differ.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, WEB, waitInputs } from './helpers.mjs';

export const CASES = path.join(ROOT, 'tests', 'cases');
export const PKG = path.join(WEB, 'build', 'pkg');
export const DIST = path.join(WEB, 'dist', 'index.html');

// ------------------------------------------------------------------------ build freshness

/** Newest modification time (ms) of any file under `dir`. */
function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Refuses a page or wasm older than the engine's sources: comparing a stale build with a fresh
 * native engine would report differences that are not there. Also checks that the wasm Node
 * runs (web/build/pkg) is the very module inlined in the page.
 */
export function assertFreshBuild() {
  for (const f of [DIST, path.join(PKG, 'apready.js'), path.join(PKG, 'apready_bg.wasm')]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run \`cargo xtask web\` first`);
  }
  const built = Math.min(fs.statSync(DIST).mtimeMs, fs.statSync(path.join(PKG, 'apready_bg.wasm')).mtimeMs);
  const src = Math.max(newest(path.join(ROOT, 'core', 'src')), newest(path.join(ROOT, 'core', 'data')), newest(path.join(ROOT, 'wasm', 'src')));
  if (src > built) {
    throw new Error(
      `the page and web/build/pkg are older than core/ or wasm/ sources (sources ${new Date(src).toISOString()}, build ${new Date(built).toISOString()}): run \`cargo xtask web\` first`,
    );
  }
  const html = fs.readFileSync(DIST, 'utf8');
  const m = html.match(/<script type="application\/octet-stream" id="apready-wasm">([^<]*)<\/script>/);
  if (!m) throw new Error('dist/index.html has no inlined wasm');
  const inlined = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  if (!inlined.equals(fs.readFileSync(path.join(PKG, 'apready_bg.wasm')))) {
    throw new Error('the wasm inlined in dist/index.html is not web/build/pkg/apready_bg.wasm: run `cargo xtask web`');
  }
}

// ------------------------------------------------------------------------ the native core

let nativeBin = null;
/**
 * The core's example runner (core/examples/check.rs), built by cargo if needed: `check <DIR>
 * --format json --profile P --as-of T [--configmgr-version V] [--sync-client-version V]` runs
 * `apready_core::run` on the folder's files (named by their path relative to it) with those
 * options (`--a-b v` → `"a_b": "v"`).
 */
export function nativeCheck() {
  if (nativeBin) return nativeBin;
  const r = spawnSync(process.env.CARGO || 'cargo', ['build', '-q', '-p', 'apready-core', '--example', 'check', '--message-format=json'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`cargo build --example check failed: ${r.stderr.toString()}`);
  for (const line of r.stdout.toString().split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason === 'compiler-artifact' && msg.target?.name === 'check' && msg.executable) nativeBin = msg.executable;
  }
  if (!nativeBin) throw new Error('cargo did not name the check example');
  return nativeBin;
}

/** Runs the native core on the staged folder `dir` with `options` (strings only). */
export function runNative(dir, options) {
  const args = [dir];
  for (const [k, v] of Object.entries(options)) {
    if (v === null || v === undefined) continue;
    args.push(`--${k.replace(/_/g, '-')}`, String(v));
  }
  const r = spawnSync(nativeCheck(), args, { maxBuffer: 1024 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.signal) throw new Error(`native engine killed by ${r.signal}: ${r.stderr.toString().slice(0, 400)}`);
  return { exit: r.status, bytes: r.stdout };
}

// ------------------------------------------------------------------------ Node + the page's wasm

let glue = null;
/** wasm-bindgen's `--target no-modules` glue of the page (web/build/pkg), initialised once. */
export function wasmEngine() {
  if (glue) return glue;
  const src = fs.readFileSync(path.join(PKG, 'apready.js'), 'utf8');
  glue = new Function(`${src}\nreturn wasm_bindgen;`)();
  glue.initSync({ module: fs.readFileSync(path.join(PKG, 'apready_bg.wasm')) });
  return glue;
}

const CHUNK = 8 * 1024 * 1024;

/**
 * Streams `files` ([{ name, file }] in that order) into a fresh wasm Engine in 8 MiB chunks, as
 * the page's Worker does (begin_file / feed / end_file), then `finish(options)`.
 */
export function runNode(files, options) {
  const g = wasmEngine();
  const engine = new g.Engine();
  try {
    const buf = Buffer.alloc(CHUNK);
    for (const { name, file } of files) {
      engine.begin_file(name, fs.statSync(file).size);
      const fd = fs.openSync(file, 'r');
      try {
        for (;;) {
          const n = fs.readSync(fd, buf, 0, CHUNK, null);
          if (n === 0) break;
          engine.feed(buf.subarray(0, n));
        }
      } finally {
        fs.closeSync(fd);
      }
      engine.end_file();
    }
    const exit = engine.finish(JSON.stringify(options));
    return { exit, bytes: Buffer.from(engine.take_output()) };
  } finally {
    engine.free();
  }
}

// ------------------------------------------------------------------------ the page

/**
 * Replaces the page's inputs with the files of `dir` through the folder picker (the folder walk
 * names them by their path relative to `dir`), runs the check with `profile` and `asOf`, and
 * returns the unredacted JSON download (or the engine's usage message).
 */
export async function runPage(page, dir, count, { profile, asOf }) {
  if ((await page.$$('[data-testid="input-row"]')).length > 0) {
    await page.click('[data-testid="clear-all"]');
    await waitInputs(page, 0);
  }
  await page.setInputFiles('[data-testid="input-folder"]', dir);
  await waitInputs(page, count);
  // The previous case's results stay on the page (marked stale) until the next run replaces them.
  await page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.setAttribute('data-previous', 'true'));
  await page.selectOption('[data-testid="profile"]', profile);
  await page.fill('[data-testid="as-of"]', asOf);
  await page.click('[data-testid="run"]');
  await page.waitForFunction(
    () =>
      document.getElementById('progress')?.hidden === true &&
      !document.querySelector('[data-testid="run"]')?.hasAttribute('aria-busy') &&
      (document.querySelector('[data-testid="run-error"]:not([hidden])') !== null ||
        (document.querySelector('[data-testid="verdict"]:not([data-previous])') !== null &&
          document.querySelector('[data-testid="devices"][data-complete="true"]') !== null)),
    null,
    { timeout: 120_000 },
  );
  const runError = await page.$('[data-testid="run-error"]:not([hidden])');
  if (runError) return { verdict: null, message: (await runError.textContent()).trim(), bytes: null };
  const verdict = await page.getAttribute('[data-testid="verdict"]', 'data-verdict');
  await page.uncheck('[data-testid="redact"]');
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="download-json"]')]);
  const bytes = fs.readFileSync(await dl.path());
  await dl.delete();
  return { verdict, message: null, bytes };
}

// ------------------------------------------------------------------------ case folders

/**
 * The top-level keys of a case.toml (everything before its first [table]): strings, arrays of
 * strings, integers and booleans — the subset the case format uses. Anything else throws, so a
 * case this reader does not understand fails rather than being skipped.
 */
export function parseTopLevelToml(text, ctx) {
  const out = {};
  let i = 0;
  const err = (m) => new Error(`${ctx}: ${m} at offset ${i}`);
  const skip = () => {
    for (;;) {
      while (i < text.length && /[ \t\r\n]/.test(text[i])) i++;
      if (text[i] === '#') {
        while (i < text.length && text[i] !== '\n') i++;
        continue;
      }
      return;
    }
  };
  const str = () => {
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) throw err('multi-line strings are not supported');
    if (text[i] === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw err('unterminated string');
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    const ESC = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
    let s = '';
    for (i++; ; ) {
      const c = text[i];
      if (c === undefined || c === '\n') throw err('unterminated string');
      if (c === '"') {
        i++;
        return s;
      }
      if (c !== '\\') {
        s += c;
        i++;
        continue;
      }
      const e = text[i + 1];
      if (e in ESC) {
        s += ESC[e];
        i += 2;
      } else if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + len);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) throw err('bad unicode escape');
        s += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + len;
      } else throw err(`bad escape \\${e}`);
    }
  };
  const value = () => {
    if (text[i] === '"' || text[i] === "'") return str();
    if (text[i] === '[') {
      i++;
      const arr = [];
      for (;;) {
        skip();
        if (text[i] === ']') {
          i++;
          return arr;
        }
        arr.push(value());
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') throw err('expected , or ]');
      }
    }
    const m = /^(true|false|[+-]?\d+)(?=[ \t\r\n#,\]]|$)/.exec(text.slice(i));
    if (!m) throw err('unsupported value');
    i += m[0].length;
    return m[1] === 'true' ? true : m[1] === 'false' ? false : Number(m[1]);
  };
  for (;;) {
    skip();
    if (i >= text.length || text[i] === '[') return out;
    const km = /^([A-Za-z0-9_-]+)[ \t]*=[ \t]*/.exec(text.slice(i));
    if (!km) throw err('expected key = value');
    i += km[0].length;
    out[km[1]] = value();
  }
}

/** Lexical normalisation, as tests/src/lib.rs does: folds `.` and `..`. */
function normalize(p) {
  return path.normalize(p).replace(/[\\/]+$/, '');
}

function filesUnder(dir) {
  const out = [];
  const entries = fs.readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const e of entries) {
    const p = path.join(dir, e);
    if (fs.statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

const isDoc = (p) => /\.(md|toml)$/.test(p);

/**
 * A case folder as tests/src/lib.rs (`build_inputs`, `options_json`) reads it: the inputs in the
 * order the case names them, each with the name the engine gets, and the options.
 */
export function loadCase(dir) {
  const file = path.join(dir, 'case.toml');
  const ctx = path.relative(ROOT, file);
  const t = parseTopLevelToml(fs.readFileSync(file, 'utf8'), ctx);
  for (const k of ['profile', 'as_of']) if (typeof t[k] !== 'string') throw new Error(`${ctx}: ${k} is required`);
  if (!Array.isArray(t.inputs)) throw new Error(`${ctx}: inputs is required`);
  const caseDir = normalize(dir);
  const named = [];
  for (const entry of t.inputs) {
    const p = normalize(path.join(dir, entry));
    const inside = p.startsWith(caseDir + path.sep);
    if (!fs.existsSync(p)) throw new Error(`${ctx}: input ${entry} does not exist`);
    if (fs.statSync(p).isDirectory()) {
      for (const f of filesUnder(p)) {
        if (isDoc(f)) continue;
        named.push({ name: path.relative(inside ? caseDir : p, f).split(path.sep).join('/'), file: f });
      }
    } else {
      named.push({ name: inside ? path.relative(caseDir, p).split(path.sep).join('/') : path.basename(p), file: p });
    }
  }
  if (new Set(named.map((n) => n.name)).size !== named.length) throw new Error(`${ctx}: two inputs have the same name`);
  return {
    name: path.basename(dir),
    dir,
    profile: t.profile,
    as_of: t.as_of,
    configmgr_version: t.configmgr_version ?? null,
    sync_client_version: t.sync_client_version ?? null,
    inputs: named,
  };
}

/** Every case folder of tests/cases/, sorted by name. */
export function allCases() {
  return fs
    .readdirSync(CASES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((n) => loadCase(path.join(CASES, n)));
}

/** Copies `files` ([{ name, file } or { name, bytes }]) into a fresh folder under their names. */
export function stage(root, label, files) {
  const dir = fs.mkdtempSync(path.join(root, `${label.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 60)}-`));
  for (const f of files) {
    const p = path.join(dir, ...f.name.split('/'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (f.bytes) fs.writeFileSync(p, f.bytes);
    else fs.copyFileSync(f.file, p);
  }
  return dir;
}

export function tempRoot(t, label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `apready-${label}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Inputs in the order the page streams them (it sorts a batch by path). */
export const pageOrder = (files) => [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

// ------------------------------------------------------------------------ differences

/** Where two reports first differ: the byte offset, the JSON path (when both parse) and context. */
export function describeDiff(a, b) {
  if (a === null || b === null) return `one side has no report (${a === null ? 'left' : 'right'})`;
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a[i] === b[i]) i++;
  const ctx = (x) => JSON.stringify(x.subarray(Math.max(0, i - 60), i + 80).toString('utf8'));
  let where = '';
  try {
    where = ` at ${jsonPath(JSON.parse(a.toString('utf8')), JSON.parse(b.toString('utf8')), '$') ?? '(same values, different bytes)'}`;
  } catch {
    where = ' (not both JSON)';
  }
  return `lengths ${a.length} vs ${b.length}, first difference at byte ${i}${where}: ${ctx(a)} vs ${ctx(b)}`;
}

function jsonPath(x, y, at) {
  if (typeof x !== typeof y || Array.isArray(x) !== Array.isArray(y) || (x === null) !== (y === null)) return at;
  if (x === null || typeof x !== 'object') return x === y ? null : `${at} (${JSON.stringify(x)} vs ${JSON.stringify(y)})`;
  if (Array.isArray(x)) {
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = jsonPath(x[i], y[i], `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (kx.join('\0') !== ky.join('\0')) return `${at} (keys ${kx.join(',')} vs ${ky.join(',')})`;
  for (const k of kx) {
    const d = jsonPath(x[k], y[k], `${at}.${k}`);
    if (d) return d;
  }
  return null;
}
