// apready's page: moves the user's files into the engine Worker and shows what the engine
// returns. No rule, check id or verdict logic lives here: statuses, messages, evidence, fixes,
// export hints and the catalogue all come from the engine (`apready-core` compiled to wasm).
//
// Nothing is stored (no storage APIs, no cookies) and nothing goes into the URL.

(() => {
  'use strict';

  // ---------------------------------------------------------------- engine data shapes

  interface InventoryEntry {
    file: string;
    resource: string | null;
    api: string;
    records: number;
    pages: number;
    truncated: boolean;
    encoding: string;
    kind: string;
    error?: string;
    problems?: string[];
  }
  type Evidence = Record<string, unknown>;
  interface Finding {
    id: string;
    scope?: string;
    status: string;
    reason?: string;
    message: string;
    evidence: Evidence[];
    remediation: string;
    source: string;
  }
  interface DeviceItem {
    id: string;
    name: string;
    verdict: string;
    findings: Finding[];
  }
  /** A device as the Worker hands it over: its findings that are not `ready`, without evidence. */
  interface DeviceSummary {
    index: number;
    id: string;
    name: string;
    verdict: string;
    findings: { id: string; status: string; message: string }[];
  }
  interface Coverage {
    reason: string;
    checks: string[];
    devices?: number;
    how_to_supply: string;
  }
  interface DeviceCounts {
    total: number;
    ready: number;
    advisory: number;
    not_ready: number;
    error: number;
    out_of_scope: number;
    /** How many devices the report lists (the view's head gives the count, `rows` the rows). */
    listed?: number;
    [k: string]: unknown;
  }
  interface Report {
    schema: string;
    tool?: { name?: string; version?: string };
    profile: string;
    as_of: string;
    as_of_source?: string;
    verdict: string;
    redacted?: boolean;
    tenant?: { id?: string | null; name?: string | null } | null;
    inputs: InventoryEntry[];
    checks: Finding[];
    coverage: Coverage[];
    devices: DeviceCounts;
  }
  interface Rule {
    id: string;
    title: string;
    scope?: string;
    what?: string;
    why?: string;
    evidence?: string;
    fix?: string;
    source?: string;
  }
  interface Catalogue {
    title?: string;
    rules: Rule[];
  }
  interface ProfileInfo {
    id: string;
    title: string;
    rules_reviewed?: string;
    default?: boolean;
  }
  interface ExportHint {
    resource: string;
    how_to_export: string;
  }

  // ---------------------------------------------------------------- words for the engine's values
  // Display labels only; an unknown value is shown as the engine wrote it.

  const STATUS_LABEL: Record<string, string> = {
    ready: 'Ready',
    advisory: 'Advisory',
    not_ready: 'Not ready',
    error: 'Error',
    not_evaluated: 'Not evaluated',
    info: 'Info',
    out_of_scope: 'Out of scope',
    not_applicable: 'Not applicable',
  };
  const VERDICT_TITLE: Record<string, string> = {
    ready: 'Ready for Windows Autopatch',
    advisory: 'Ready, with advisories',
    not_ready: 'Not ready for Windows Autopatch',
    error: 'Could not be evaluated',
  };
  /** Display order: what needs attention first. */
  const STATUS_ORDER = ['error', 'not_ready', 'advisory', 'not_evaluated', 'info', 'not_applicable', 'out_of_scope', 'ready'];
  const REASON_LABEL: Record<string, string> = {
    missing_input: 'An export is missing',
    truncated_input: 'An export is incomplete (more pages exist)',
    needs_device_evidence: 'Needs evidence collected on the device',
    beta_only_field: 'Needs fields that only Graph beta returns',
  };
  const AS_OF_SOURCE: Record<string, string> = {
    option: 'as set on this page',
    snapshot: 'the snapshot’s collection time',
    now: 'now, from this computer’s clock',
    unknown: 'unknown',
  };
  const KIND_LABEL: Record<string, string> = {
    'graph-page': 'Graph page',
    'page-array': 'array of pages',
    'record-array': 'array of records',
    record: 'single record',
    bundle: 'snapshot bundle',
  };
  const EVIDENCE_LABEL: [string, string][] = [
    ['field', 'Field'],
    ['value', 'Value'],
    ['required', 'Required'],
    ['location', 'Where'],
    ['note', 'Note'],
  ];
  const FORMATS: { format: string; label: string; ext: string; mime: string }[] = [
    { format: 'html', label: 'HTML report', ext: 'html', mime: 'text/html;charset=utf-8' },
    { format: 'json', label: 'JSON', ext: 'json', mime: 'application/json' },
    { format: 'csv', label: 'CSV', ext: 'csv', mime: 'text/csv;charset=utf-8' },
    { format: 'md', label: 'Markdown', ext: 'md', mime: 'text/markdown;charset=utf-8' },
  ];
  const CHUNK = 8 * 1024 * 1024;
  const READY_PAGE = 100;
  /** Device rows asked of the Worker at a time (~6 MB of view JSON at most). */
  const ROWS_SLICE = 16_384;
  /** Device rows per block of the devices table (each block is laid out only when on screen). */
  const GROUP_ROWS = 256;

  const statusLabel = (s: string): string => STATUS_LABEL[s] ?? s;
  const rank = (s: string): number => {
    const i = STATUS_ORDER.indexOf(s);
    return i < 0 ? STATUS_ORDER.length : i;
  };

  // ---------------------------------------------------------------- DOM helpers (text only, never HTML)

  type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
  type Child = Node | string | null | undefined | false | Child[];

  function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'class') el.className = String(v);
        else if (v === true) el.setAttribute(k, '');
        else el.setAttribute(k, String(v));
      }
    }
    put(el, children);
    return el;
  }
  function put(el: Node, children: Child[]): void {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) put(el, c);
      else el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
  }
  function byId<T extends HTMLElement = HTMLElement>(id: string): T {
    const el = document.getElementById(id);
    if (!el) throw new Error(`the page lacks #${id}`);
    return el as T;
  }
  function clear(el: Element): void {
    el.replaceChildren();
  }
  function chip(status: string, text?: string): HTMLSpanElement {
    return h('span', { class: `chip s-${status.replace(/[^a-z_]/g, '')}` }, text ?? statusLabel(status));
  }
  function fmtInt(n: number | undefined | null): string {
    return typeof n === 'number' ? n.toLocaleString('en-US') : '—';
  }
  function fmtBytes(n: number): string {
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
    if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
    return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
  }
  function plural(n: number, one: string, many: string): string {
    return `${fmtInt(n)} ${n === 1 ? one : many}`;
  }
  function nowStamp(): string {
    return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  }
  function smooth(): ScrollBehavior {
    return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
  }
  function errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
  }

  // ---------------------------------------------------------------- the Worker

  class EngineClient {
    private readonly worker: Worker;
    private next = 1;
    private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    private url: string | null;

    constructor(source: string, private readonly onFatal: (message: string) => void) {
      this.url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      this.worker = new Worker(this.url, { name: 'apready-engine' });
      this.worker.onmessage = (ev: MessageEvent<FromWorker>) => {
        const m = ev.data;
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else {
          if (m.fatal) this.onFatal(m.error);
          p.reject(new Error(m.error));
        }
      };
      this.worker.onerror = (ev: ErrorEvent) => {
        ev.preventDefault();
        const msg = `the engine could not start: ${ev.message || 'the browser refused the Worker'}`;
        this.failAll(msg);
      };
    }

    private failAll(msg: string): void {
      this.onFatal(msg);
      for (const p of this.pending.values()) p.reject(new Error(msg));
      this.pending.clear();
    }

    started(): void {
      if (this.url !== null) URL.revokeObjectURL(this.url);
      this.url = null;
    }

    /** Stops the Worker; calls still waiting are refused. */
    terminate(): void {
      this.worker.terminate();
      this.started();
      for (const p of this.pending.values()) p.reject(new Error('the engine was restarted'));
      this.pending.clear();
    }

    call<T>(msg: DistributiveOmit<ToWorker, 'id'>, transfer: Transferable[] = []): Promise<T> {
      const id = this.next++;
      return new Promise<T>((resolve, reject) => {
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        this.worker.postMessage({ ...msg, id }, transfer);
      });
    }
  }
  type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

  // ---------------------------------------------------------------- state

  interface Picked {
    file: File;
    path: string;
  }
  interface LocalProblem {
    file: string;
    error: string;
  }

  const state = {
    engine: null as EngineClient | null,
    info: null as EngineInfo | null,
    profiles: [] as ProfileInfo[],
    exportsList: [] as ExportHint[],
    catalogue: new Map<string, Rule>(),
    inventory: [] as InventoryEntry[],
    localProblems: [] as LocalProblem[],
    notes: [] as string[],
    inputsVersion: 0,
    pasteCount: 0,
    report: null as Report | null,
    reportVersion: -1,
    runOptions: null as Record<string, string> | null,
    randomKey: '',
    /** Every input the engine holds, by name, so a restarted engine can read them again. */
    files: new Map<string, File>(),
    restarting: false,
    queue: Promise.resolve() as Promise<unknown>,
    busy: 0,
    readyShown: READY_PAGE,
  };

  /** Runs engine work one job at a time (the Worker holds one input stream). */
  function serial<T>(job: () => Promise<T>): Promise<T> {
    const p = state.queue.then(job, job);
    state.queue = p.catch(() => undefined);
    return p;
  }

  function engine(): EngineClient {
    if (!state.engine) throw new Error('the engine is not running');
    return state.engine;
  }

  // ---------------------------------------------------------------- elements

  const el = {
    engineStatus: byId('engine-status'),
    fatal: byId('fatal'),
    notice: byId('notice'),
    dropzone: byId('dropzone'),
    inputFiles: byId<HTMLInputElement>('input-files'),
    inputFolder: byId<HTMLInputElement>('input-folder'),
    paste: byId<HTMLTextAreaElement>('input-paste'),
    pasteAdd: byId<HTMLButtonElement>('paste-add'),
    progress: byId('progress'),
    progressLabel: byId('progress-label'),
    progressBar: byId<HTMLProgressElement>('progress-bar'),
    inventory: byId('inventory'),
    clearAll: byId<HTMLButtonElement>('clear-all'),
    exportsList: byId('exports-list'),
    exportsSummary: byId('exports-summary'),
    profile: byId<HTMLSelectElement>('profile'),
    profileNote: byId('profile-note'),
    asOf: byId<HTMLInputElement>('as-of'),
    run: byId<HTMLButtonElement>('run'),
    runHint: byId('run-hint'),
    runError: byId('run-error'),
    results: byId('results'),
    live: byId('live'),
  };

  function announce(text: string): void {
    el.live.textContent = '';
    window.setTimeout(() => {
      el.live.textContent = text;
    }, 30);
  }

  function showFatal(message: string): void {
    el.fatal.hidden = false;
    clear(el.fatal);
    put(el.fatal, [h('strong', null, 'The engine is not available. '), message]);
    el.engineStatus.textContent = 'Engine stopped';
    el.engineStatus.dataset.state = 'error';
    updateRunState();
  }

  function setProgress(label: string | null, value?: number): void {
    if (label === null) {
      el.progress.hidden = true;
      return;
    }
    el.progress.hidden = false;
    el.progressLabel.textContent = label;
    if (value === undefined) el.progressBar.removeAttribute('value');
    else el.progressBar.value = Math.max(0, Math.min(1, value));
  }

  // ---------------------------------------------------------------- boot

  function engineSources(): { wasm: string; source: string } {
    return {
      wasm: document.getElementById('apready-wasm')?.textContent ?? '',
      source: document.getElementById('apready-worker')?.textContent ?? '',
    };
  }

  /** Starts a Worker with the engine (from the bytes inlined in this page). */
  async function startEngine(): Promise<EngineInfo> {
    const { wasm, source } = engineSources();
    state.engine = new EngineClient(source, onEngineFatal);
    const info = await engine().call<EngineInfo>({ op: 'init', wasm });
    engine().started();
    state.info = info;
    el.engineStatus.textContent = `Engine ${info.version} · running locally`;
    el.engineStatus.dataset.state = 'ready';
    return info;
  }

  async function boot(): Promise<void> {
    const { wasm, source } = engineSources();
    if (!wasm || !source) {
      showFatal('this copy of the page is incomplete (the engine is missing); rebuild it with cargo xtask web.');
      return;
    }
    try {
      await startEngine();
      state.profiles = JSON.parse(await command({ op: 'profiles' })) as ProfileInfo[];
      state.exportsList = JSON.parse(await command({ op: 'exports' })) as ExportHint[];
    } catch (err) {
      showFatal(errorText(err));
      return;
    }
    state.randomKey = randomKey();
    clear(el.profile);
    for (const p of state.profiles) {
      el.profile.appendChild(h('option', { value: p.id, selected: p.default === true }, `${p.id}${p.default === true ? ' (default)' : ''}`));
    }
    el.profile.disabled = state.profiles.length === 0;
    await loadCatalogue();
    renderInventory();
    renderExports();
    updateRunState();
    document.body.dataset.ready = 'true';
  }

  /**
   * The engine trapped (it must not, but a page must survive it): start a fresh Worker and read
   * the same files into it again. The interrupted action reports its own error.
   */
  function onEngineFatal(message: string): void {
    if (state.restarting || state.info === null) {
      showFatal(`${message}. Reload the page to start again.`);
      return;
    }
    state.restarting = true;
    state.engine?.terminate();
    state.engine = null;
    state.info = null;
    el.engineStatus.textContent = 'Restarting engine…';
    el.engineStatus.dataset.state = 'loading';
    el.notice.hidden = false;
    el.notice.textContent = `Something went wrong inside the engine (${message}). It was restarted and your files are being read again; then run the check again.`;
    updateRunState();
    void serial(async () => {
      try {
        await startEngine();
        const list = [...state.files.entries()].map(([path, file]) => ({ path, file }));
        if (list.length > 0) await streamFiles(list);
        state.inputsVersion++;
        await refreshInventory();
      } catch (err) {
        showFatal(errorText(err));
      } finally {
        state.restarting = false;
        // The files were read again with progress shown; the progress bar must not stay up.
        setProgress(null);
        updateRunState();
      }
    });
  }

  function command(request: Record<string, string>): Promise<string> {
    return engine().call<string>({ op: 'command', request: JSON.stringify(request) });
  }

  async function loadCatalogue(): Promise<void> {
    const profile = el.profile.value;
    const p = state.profiles.find((x) => x.id === profile);
    el.profileNote.textContent = p ? `${p.title}${p.rules_reviewed ? ` · rules reviewed ${p.rules_reviewed}` : ''}.` : '';
    try {
      const cat = JSON.parse(await command({ op: 'rules', format: 'json', profile })) as Catalogue;
      state.catalogue = new Map(cat.rules.map((r) => [r.id, r]));
    } catch {
      state.catalogue = new Map();
    }
  }

  function randomKey(): string {
    const bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // ---------------------------------------------------------------- adding inputs

  /**
   * Which files of a dropped or picked folder are inputs — the same rule as the `apready`
   * command's folder walk, so both name and read the same files: everything except hidden
   * files and folders (`.name`) and documentation (`*.md`, `*.toml`).
   */
  function keepInFolder(path: string): boolean {
    return !/\.(md|toml)$/i.test(path) && !path.split('/').some((seg) => seg.startsWith('.'));
  }

  function withoutRoot(rel: string): string {
    const parts = rel.replace(/^\/+/, '').split('/');
    return parts.length > 1 ? parts.slice(1).join('/') : parts.join('/');
  }

  function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
    return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
  }
  function entryFile(entry: FileSystemFileEntry): Promise<File> {
    return new Promise((resolve, reject) => entry.file(resolve, reject));
  }

  async function walk(entry: FileSystemEntry, out: Picked[], skipped: string[]): Promise<void> {
    if (entry.isFile) {
      const path = withoutRoot(entry.fullPath);
      if (!keepInFolder(path)) {
        skipped.push(path);
        return;
      }
      out.push({ file: await entryFile(entry as FileSystemFileEntry), path });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await readEntries(reader);
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, out, skipped);
      }
    }
  }

  async function fromDrop(dt: DataTransfer): Promise<{ picked: Picked[]; skipped: string[] }> {
    // Both calls must happen before the drop handler returns.
    const items = Array.from(dt.items ?? []).filter((i) => i.kind === 'file');
    const grabbed = items.map((i) => ({
      entry: typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null,
      file: i.getAsFile(),
    }));
    const picked: Picked[] = [];
    const skipped: string[] = [];
    if (grabbed.length === 0) {
      for (const f of Array.from(dt.files)) picked.push({ file: f, path: f.name });
      return { picked, skipped };
    }
    for (const g of grabbed) {
      if (g.entry && g.entry.isDirectory) await walk(g.entry, picked, skipped);
      else if (g.file) picked.push({ file: g.file, path: g.file.name });
    }
    return { picked, skipped };
  }

  function fromFolderInput(files: FileList): { picked: Picked[]; skipped: string[] } {
    const picked: Picked[] = [];
    const skipped: string[] = [];
    for (const f of Array.from(files)) {
      const path = withoutRoot(f.webkitRelativePath || f.name);
      if (keepInFolder(path)) picked.push({ file: f, path });
      else skipped.push(path);
    }
    return { picked, skipped };
  }

  /** Streams files into the engine in CHUNK-sized transferable pieces, with progress. */
  async function streamFiles(list: Picked[]): Promise<void> {
    const total = list.reduce((n, p) => n + p.file.size, 0);
    let done = 0;
    // Graph exports are thousands of ~1 MB pages. Consecutive small files go over in groups of
    // about CHUNK bytes: one read of a Blob made of the group's files (Chromium reads a 1M-device
    // export's 3197 files in half the time that way than file by file) and one transferred
    // message, which the Worker splits back into files. The next groups are read, and a few are
    // queued, while the engine parses, so the Worker never waits for a read or a round trip.
    // Results are taken in file order. A file larger than CHUNK goes over in CHUNK pieces.
    type Group = { first: number; items: Picked[]; big: boolean };
    const groups: Group[] = [];
    let cur: Picked[] = [];
    let curSize = 0;
    let placed = 0;
    const add = (items: Picked[], big: boolean): void => {
      if (items.length === 0) return;
      groups.push({ first: placed, items, big });
      placed += items.length;
    };
    for (const p of list) {
      if (p.file.size > CHUNK || curSize + p.file.size > CHUNK) {
        add(cur, false);
        cur = [];
        curSize = 0;
      }
      if (p.file.size > CHUNK) {
        add([p], true);
        continue;
      }
      cur.push(p);
      curSize += p.file.size;
    }
    add(cur, false);
    const readGroup = (g: Group | undefined): Promise<ArrayBuffer> | null => {
      if (g === undefined || g.big) return null;
      const read = (g.items.length === 1 ? g.items[0].file : new Blob(g.items.map((p) => p.file))).arrayBuffer();
      read.catch(() => undefined); // awaited (and reported) in its turn
      return read;
    };
    const failed = async (p: Picked, err: unknown): Promise<void> => {
      if (state.engine === null) {
        state.localProblems.push({ file: p.path, error: `the engine stopped while reading this file (${errorText(err)}); it may be too large for this browser's memory` });
        throw err;
      }
      await engine()
        .call({ op: 'remove', path: p.path })
        .catch(() => undefined);
      state.localProblems.push({ file: p.path, error: `the browser could not read this file: ${errorText(err)}` });
    };
    const inflight: { ps: Picked[]; reply: Promise<unknown> }[] = [];
    const settle = async (): Promise<void> => {
      const x = inflight.shift();
      if (x === undefined) return;
      try {
        await x.reply;
        for (const p of x.ps) state.files.set(p.path, p.file);
      } catch (err) {
        for (const p of x.ps) await failed(p, err);
      }
    };
    const send = async (ps: Picked[], chunk: ArrayBuffer): Promise<void> => {
      done += chunk.byteLength;
      const reply =
        ps.length === 1
          ? engine().call({ op: 'file', path: ps[0].path, chunk }, [chunk])
          : engine().call({ op: 'files', paths: ps.map((p) => p.path), sizes: ps.map((p) => p.file.size), chunk }, [chunk]);
      reply.catch(() => undefined); // settled in order below
      inflight.push({ ps, reply });
      while (inflight.length > 2) await settle();
    };
    let shownAt = -Infinity;
    const AHEAD = 2;
    const reads = new Map<number, Promise<ArrayBuffer> | null>();
    for (let k = 0; k < AHEAD; k++) reads.set(k, readGroup(groups[k]));
    for (const [gi, g] of groups.entries()) {
      const whole = reads.get(gi) ?? null;
      reads.delete(gi);
      reads.set(gi + AHEAD, readGroup(groups[gi + AHEAD]));
      const p = g.items[0];
      const prefix = `Reading ${g.first + 1} of ${list.length} · ${p.path}`;
      // At most ten progress updates a second: thousands of small files would otherwise
      // restyle the page thousands of times.
      const now = performance.now();
      if (now - shownAt >= 100 || g.big) {
        setProgress(prefix, total > 0 ? done / total : 0);
        shownAt = now;
      }
      for (const q of g.items) state.files.delete(q.path);
      if (state.localProblems.length > 0) {
        const paths = new Set(g.items.map((q) => q.path));
        state.localProblems = state.localProblems.filter((x) => !paths.has(x.file));
      }
      if (whole !== null) {
        let chunk: ArrayBuffer | null = null;
        let error: unknown = null;
        try {
          chunk = await whole;
        } catch (err) {
          error = err;
        }
        const size = g.items.reduce((n, q) => n + q.file.size, 0);
        if (chunk !== null && (g.items.length === 1 || chunk.byteLength === size)) {
          await send(g.items, chunk);
          continue;
        }
        if (g.items.length === 1) {
          await failed(p, error);
          continue;
        }
        // The group could not be read as one: file by file, so the file at fault is named.
        for (const q of g.items) {
          let one: ArrayBuffer;
          try {
            one = await q.file.arrayBuffer();
          } catch (err) {
            await failed(q, err);
            continue;
          }
          await send([q], one);
        }
        continue;
      }
      while (inflight.length > 0) await settle();
      try {
        await engine().call({ op: 'remove', path: p.path });
        await engine().call({ op: 'begin', path: p.path, size: p.file.size });
        for (let off = 0; off < p.file.size; off += CHUNK) {
          const chunk = await p.file.slice(off, Math.min(off + CHUNK, p.file.size)).arrayBuffer();
          const n = chunk.byteLength;
          await engine().call({ op: 'feed', chunk }, [chunk]);
          done += n;
          setProgress(`${prefix} — ${fmtBytes(done)} of ${fmtBytes(total)}`, total > 0 ? done / total : 1);
        }
        await engine().call({ op: 'end' });
        state.files.set(p.path, p.file);
      } catch (err) {
        await failed(p, err);
      }
    }
    while (inflight.length > 0) await settle();
  }

  function addPicked(picked: Picked[], skipped: string[]): Promise<void> {
    return serial(async () => {
      state.notes = [];
      if (skipped.length > 0) {
        state.notes.push(`Skipped ${plural(skipped.length, 'file', 'files')} in the folder (hidden files and *.md / *.toml notes are not inputs): ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`);
      }
      if (picked.length === 0) {
        if (skipped.length === 0) state.notes.push('Nothing to add: no files were found.');
        renderInventory();
        return;
      }
      const byPath = new Map<string, Picked>();
      for (const p of picked) byPath.set(p.path, p);
      const list = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      state.busy++;
      updateRunState();
      try {
        await streamFiles(list);
        state.inputsVersion++;
        setProgress(`Inspecting ${plural(list.length, 'file', 'files')}…`);
        await refreshInventory();
        announce(`${plural(list.length, 'file', 'files')} added and inspected.`);
      } catch (err) {
        announce(`Adding files failed: ${errorText(err)}`);
      } finally {
        state.busy--;
        setProgress(null);
        updateRunState();
      }
    });
  }

  async function refreshInventory(): Promise<void> {
    const text = await engine().call<string>({ op: 'inspect' });
    state.inventory = JSON.parse(text) as InventoryEntry[];
    renderInventory();
    renderExports();
    markStale();
  }

  function removeInput(path: string): Promise<void> {
    return serial(async () => {
      await engine().call({ op: 'remove', path });
      state.files.delete(path);
      state.localProblems = state.localProblems.filter((x) => x.file !== path);
      state.inputsVersion++;
      await refreshInventory();
      announce(`${path} removed.`);
    });
  }

  function clearInputs(): Promise<void> {
    return serial(async () => {
      await engine().call({ op: 'clear' });
      state.files.clear();
      state.localProblems = [];
      state.notes = [];
      state.inputsVersion++;
      await refreshInventory();
      announce('All inputs removed.');
      el.inputFiles.focus();
    });
  }

  function addPaste(): void {
    const text = el.paste.value;
    if (text.trim() === '') {
      el.paste.focus();
      announce('The paste box is empty.');
      return;
    }
    state.pasteCount++;
    const name = `pasted-${state.pasteCount}.json`;
    el.paste.value = '';
    void addPicked([{ file: new File([text], name, { type: 'application/json' }), path: name }], []);
  }

  // ---------------------------------------------------------------- inventory

  function renderInventory(): void {
    clear(el.inventory);
    const rows = state.inventory;
    const local = state.localProblems;
    for (const note of state.notes) el.inventory.appendChild(h('p', { class: 'note' }, note));
    el.clearAll.hidden = rows.length + local.length === 0;
    if (rows.length + local.length === 0) {
      el.inventory.appendChild(
        h('p', { class: 'empty', 'data-testid': 'inventory-empty' }, 'No exports added yet. Each file is inspected here — resource, records, pages and problems — before anything is evaluated.'),
      );
      return;
    }
    const records = rows.reduce((n, r) => n + (r.records || 0), 0);
    const problems = rows.filter((r) => r.error || r.truncated || (r.problems && r.problems.length > 0)).length + local.length;
    el.inventory.appendChild(
      h(
        'p',
        { class: 'summary', 'data-testid': 'inventory-summary' },
        `${plural(rows.length + local.length, 'file', 'files')} · ${plural(records, 'record', 'records')}`,
        problems > 0 ? h('span', { class: 'warn-text' }, ` · ${plural(problems, 'file needs', 'files need')} attention`) : null,
      ),
    );
    const body = h('tbody');
    for (const r of rows) body.appendChild(inventoryRow(r));
    for (const p of local) {
      body.appendChild(
        h(
          'tr',
          { 'data-testid': 'input-row', 'data-file': p.file, class: 'has-problem' },
          h('td', { class: 'file' }, h('span', { class: 'mono' }, p.file)),
          h('td', { colspan: 5 }, h('div', { class: 'problem', 'data-testid': 'input-error' }, p.error)),
          h('td', null, removeButton(p.file)),
        ),
      );
    }
    el.inventory.appendChild(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'inv' },
          h('caption', { class: 'sr-only' }, 'Inputs as the engine read them'),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'File'), h('th', { scope: 'col' }, 'Detected as'), h('th', { scope: 'col', class: 'num' }, 'Records'), h('th', { scope: 'col', class: 'num' }, 'Pages'), h('th', { scope: 'col' }, 'Encoding'), h('th', { scope: 'col' }, 'Problems'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Remove')))),
          body,
        ),
      ),
    );
  }

  function inventoryRow(r: InventoryEntry): HTMLTableRowElement {
    const issues: HTMLElement[] = [];
    if (r.error) issues.push(h('div', { class: 'problem', 'data-testid': 'input-error' }, r.error));
    if (r.truncated) {
      issues.push(
        h('div', { class: 'problem', 'data-testid': 'input-error', 'data-problem': 'truncated' }, `Incomplete: ${plural(r.pages, 'page', 'pages')} seen and the last still has an @odata.nextLink — add every page.`),
      );
    }
    for (const p of r.problems ?? []) issues.push(h('div', { class: 'problem', 'data-testid': 'input-error' }, p));
    const kind = KIND_LABEL[r.kind] ?? r.kind;
    const detail = [r.api !== 'unknown' ? r.api : '', r.resource && kind.includes(r.resource) ? '' : kind].filter(Boolean).join(' · ');
    const detected = r.resource
      ? [h('span', { class: 'res' }, r.resource), detail ? h('span', { class: 'inline-sub' }, detail) : null]
      : [h('span', { class: 'muted' }, 'not recognised')];
    return h(
      'tr',
      { 'data-testid': 'input-row', 'data-file': r.file, 'data-resource': r.resource ?? '', class: issues.length > 0 ? 'has-problem' : null },
      h('td', { class: 'file' }, h('span', { class: 'mono' }, r.file)),
      h('td', null, ...detected),
      h('td', { class: 'num' }, fmtInt(r.records)),
      h('td', { class: 'num' }, fmtInt(r.pages)),
      h('td', null, r.encoding),
      h('td', null, issues.length > 0 ? issues : h('span', { class: 'ok-text' }, '—', h('span', { class: 'sr-only' }, 'none'))),
      h('td', null, removeButton(r.file)),
    );
  }

  function removeButton(path: string): HTMLButtonElement {
    return h('button', { type: 'button', class: 'btn ghost small', 'aria-label': `Remove ${path}`, onclick: () => void removeInput(path) }, 'Remove');
  }

  // ---------------------------------------------------------------- what to export

  function renderExports(): void {
    clear(el.exportsList);
    const present = new Map<string, InventoryEntry[]>();
    for (const r of state.inventory) {
      if (!r.resource) continue;
      const list = present.get(r.resource) ?? [];
      list.push(r);
      present.set(r.resource, list);
    }
    const bundle = state.inventory.some((r) => r.kind === 'bundle');
    let missing = 0;
    for (const x of state.exportsList) {
      const have = present.get(x.resource);
      let st: string;
      let label: string;
      if (have && have.some((r) => r.truncated)) {
        st = 'incomplete';
        label = 'Incomplete';
      } else if (have) {
        st = 'supplied';
        label = 'Added';
      } else if (bundle) {
        st = 'maybe';
        label = 'In the snapshot?';
      } else if (state.inventory.length === 0) {
        st = 'needed';
        label = 'Needed';
      } else {
        st = 'missing';
        label = 'Missing';
        missing++;
      }
      const urls = x.how_to_export.match(/https:\/\/[^\s)]+/g) ?? [];
      const copies = urls.length > 0
        ? urls.map((u) => copyButton(u, `Copy ${/\/beta\//.test(u) ? 'beta' : /\/v1\.0\//.test(u) ? 'v1.0' : ''} URL`.replace('  ', ' '), `${x.resource} request URL`))
        : [copyButton(x.how_to_export, 'Copy', `${x.resource} instructions`)];
      el.exportsList.appendChild(
        h(
          'li',
          { class: `export st-${st}`, 'data-resource': x.resource, 'data-state': st },
          h('div', { class: 'export-head' }, h('span', { class: 'res' }, x.resource), h('span', { class: `pill p-${st}` }, label), h('span', { class: 'export-actions' }, copies)),
          h('code', { class: 'req' }, x.how_to_export),
        ),
      );
    }
    el.exportsSummary.textContent =
      state.inventory.length === 0
        ? 'Export these with Graph Explorer or PowerShell, then add the files above.'
        : missing === 0
          ? 'Every export the checks read has been added.'
          : `${plural(missing, 'export is', 'exports are')} still missing; the checks that need ${missing === 1 ? 'it' : 'them'} will be reported as not evaluated.`;
  }

  async function copyText(text: string): Promise<boolean> {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch {
      // fall through to the selection-based copy
    }
    const ta = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true', tabindex: -1 });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }

  function copyButton(text: string, label: string, what: string): HTMLButtonElement {
    const b = h('button', { type: 'button', class: 'btn small', 'data-copy': text, 'aria-label': `${label}: ${what}` }, label);
    b.addEventListener('click', () => {
      void copyText(text).then((ok) => {
        b.textContent = ok ? 'Copied' : 'Select and copy';
        announce(ok ? `Copied ${what}.` : 'Copying was refused by the browser; select the text and copy it.');
        window.setTimeout(() => {
          b.textContent = label;
        }, 1600);
      });
    });
    return b;
  }

  // ---------------------------------------------------------------- run

  function hasInputs(): boolean {
    return state.inventory.length > 0;
  }

  function updateRunState(): void {
    const ready = state.info !== null && el.fatal.hidden;
    el.run.disabled = !ready || state.busy > 0 || !hasInputs();
    el.runHint.textContent = !ready
      ? 'Waiting for the engine…'
      : state.busy > 0
        ? 'Working…'
        : !hasInputs()
          ? 'Add at least one export to run the check.'
          : `${plural(state.inventory.length, 'input', 'inputs')} ready.`;
  }

  function markStale(): void {
    const stale = state.report !== null && (state.reportVersion !== state.inputsVersion || (state.runOptions?.profile ?? '') !== el.profile.value);
    el.results.dataset.stale = stale ? 'true' : 'false';
    const notice = document.getElementById('stale-notice');
    if (notice) notice.hidden = !stale;
    for (const b of Array.from(el.results.querySelectorAll<HTMLButtonElement>('button[data-format]'))) {
      b.disabled = stale || !(state.info?.formats.includes(b.dataset.format ?? '') ?? false);
    }
  }

  function showRunError(message: string | null): void {
    if (message === null) {
      el.runError.hidden = true;
      clear(el.runError);
      el.asOf.removeAttribute('aria-invalid');
      return;
    }
    el.runError.hidden = false;
    clear(el.runError);
    put(el.runError, [h('strong', null, 'The check did not run. '), message]);
  }

  function run(): Promise<void> {
    return serial(async () => {
      showRunError(null);
      const options: Record<string, string> = { profile: el.profile.value, now: nowStamp() };
      const asOf = el.asOf.value.trim();
      if (asOf !== '') options.as_of = asOf;
      state.busy++;
      updateRunState();
      el.run.setAttribute('aria-busy', 'true');
      setProgress('Evaluating…');
      const started = performance.now();
      try {
        const r = await engine().call<RunReply>({ op: 'run', options: JSON.stringify({ ...options, format: 'json' }) });
        let report: Report | null = null;
        let message = r.message;
        if (r.exit !== 64 && r.data !== null) {
          try {
            report = JSON.parse(new TextDecoder().decode(r.data)) as Report;
          } catch (err) {
            message = `the engine's report could not be read: ${String(err)}`;
          }
        }
        if (r.exit === 64 || report === null) {
          if (/as.of/i.test(message ?? '')) el.asOf.setAttribute('aria-invalid', 'true');
          showRunError(message ?? 'the engine returned no report');
          el.runError.focus();
          return;
        }
        state.report = report;
        el.notice.hidden = true;
        state.reportVersion = state.inputsVersion;
        state.runOptions = options;
        state.readyShown = READY_PAGE;
        // The verdict first; the device rows follow a slice at a time while it is on screen.
        const feed = renderResults(report, performance.now() - started);
        markStale();
        announce(`Verdict: ${VERDICT_TITLE[report.verdict] ?? report.verdict}.`);
        const v = document.getElementById('verdict-heading');
        if (v) {
          v.focus({ preventScroll: true });
          el.results.scrollIntoView({ behavior: smooth(), block: 'start' });
        }
        const listed = report.devices.listed ?? 0;
        for (let start = 0; start < listed; ) {
          setProgress(`Reading the device list… ${fmtInt(start)} of ${fmtInt(listed)}`, start / listed);
          const rr = await engine().call<RowsReply>({ op: 'rows', start, count: ROWS_SLICE });
          const rows = JSON.parse(new TextDecoder().decode(rr.data)) as DeviceSummary[];
          if (rows.length === 0) throw new Error(`the engine listed ${fmtInt(start)} of ${fmtInt(listed)} devices`);
          feed(rows, false);
          start += rows.length;
        }
        feed([], true);
      } catch (err) {
        showRunError(errorText(err));
      } finally {
        state.busy--;
        el.run.removeAttribute('aria-busy');
        setProgress(null);
        updateRunState();
      }
    });
  }

  // ---------------------------------------------------------------- results

  /** Shows the report's head; returns where its device rows go as they are read. */
  function renderResults(r: Report, ms: number): (rows: DeviceSummary[], last: boolean) => void {
    clear(el.results);
    el.results.hidden = false;
    const counts = r.devices;
    const tenantName = r.tenant?.name ?? null;
    const attention = r.checks.filter((c) => rank(c.status) < rank('not_evaluated')).length;
    const notEvaluated = r.checks.filter((c) => c.status === 'not_evaluated').length;

    const verdict = h(
      'div',
      { class: `verdict v-${r.verdict}`, 'data-testid': 'verdict', 'data-verdict': r.verdict },
      h('div', { class: 'verdict-mark', 'aria-hidden': 'true' }, verdictGlyph(r.verdict)),
      h(
        'div',
        { class: 'verdict-text' },
        h('p', { class: 'eyebrow' }, tenantName ? `Tenant · ${tenantName}` : 'Tenant'),
        h('h2', { id: 'verdict-heading', tabindex: -1 }, VERDICT_TITLE[r.verdict] ?? r.verdict),
        h(
          'p',
          { class: 'verdict-sub' },
          attention === 0 ? 'No tenant check needs attention.' : `${plural(attention, 'tenant check needs', 'tenant checks need')} attention.`,
          notEvaluated > 0 ? ` ${plural(notEvaluated, 'check was', 'checks were')} not evaluated — see coverage.` : '',
        ),
        h(
          'p',
          { class: 'meta' },
          `Profile ${r.profile} · as of ${r.as_of}${r.as_of_source ? ` (${AS_OF_SOURCE[r.as_of_source] ?? r.as_of_source})` : ''} · ${r.tool?.name ?? 'apready'} ${r.tool?.version ?? ''} · evaluated in `,
          h('span', { 'data-volatile': 'elapsed' }, ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`),
        ),
      ),
    );

    const countKeys: [string, string][] = [
      ['total', 'Devices'],
      ['ready', 'Ready'],
      ['advisory', 'Advisory'],
      ['not_ready', 'Not ready'],
      ['error', 'Error'],
      ['out_of_scope', 'Out of scope'],
    ];
    const tiles = h(
      'div',
      { class: 'tiles', 'data-testid': 'device-counts' },
      countKeys.map(([k, label]) => {
        const n = typeof counts[k] === 'number' ? (counts[k] as number) : 0;
        return h('div', { class: `tile t-${k}${n === 0 && k !== 'total' ? ' zero' : ''}` }, h('span', { class: 'tile-n', 'data-testid': `device-count-${k}`, 'data-count': n }, fmtInt(n)), h('span', { class: 'tile-l' }, label));
      }),
    );

    const stale = h('div', { id: 'stale-notice', class: 'stale', role: 'status', hidden: true }, 'The inputs or the profile changed since this result. Run the check again to update it.');

    const [devices, feed] = devicesCard(r);
    put(el.results, [
      stale,
      h('section', { class: 'card verdict-card', 'aria-labelledby': 'verdict-heading' }, verdict, tiles),
      downloadsCard(),
      checksCard(r),
      coverageCard(r),
      devices,
    ]);
    return feed;
  }

  function verdictGlyph(v: string): SVGSVGElement {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '30');
    svg.setAttribute('height', '30');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2.4');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    const d: Record<string, string> = {
      ready: 'M5 12.5l4.5 4.5L19 7.5',
      advisory: 'M12 7v6M12 17h.01',
      not_ready: 'M7 7l10 10M17 7L7 17',
      error: 'M12 7v6M12 17h.01',
    };
    path.setAttribute('d', d[v] ?? 'M12 7v6M12 17h.01');
    svg.appendChild(path);
    return svg;
  }

  // ---- downloads

  function downloadsCard(): HTMLElement {
    const info = state.info;
    const buttons = FORMATS.map((f) => {
      const supported = info?.formats.includes(f.format) ?? false;
      return h(
        'button',
        { type: 'button', class: `btn ${f.format === 'html' ? 'primary' : ''}`, 'data-format': f.format, 'data-testid': `download-${f.format}`, disabled: !supported, title: supported ? null : 'Not available in this build of the engine yet', onclick: () => void download(f.format) },
        f.label,
        supported ? null : h('span', { class: 'sr-only' }, ' (not available in this build yet)'),
      );
    });
    const missing = FORMATS.filter((f) => !(info?.formats.includes(f.format) ?? false)).map((f) => f.label);
    const redact = h('input', { type: 'checkbox', id: 'redact', 'data-testid': 'redact', checked: true });
    const key = h('input', { type: 'text', id: 'redact-key', 'data-testid': 'redact-key', autocomplete: 'off', spellcheck: 'false', placeholder: 'A random key for this page is used', 'aria-describedby': 'key-help' });
    const fp = h('code', { id: 'key-fingerprint', 'data-testid': 'key-fingerprint', 'data-volatile': 'fingerprint' }, '…');
    const keyNote = h('span', { id: 'key-source' }, '');
    const refreshFp = (): void => {
      const k = key.value.trim();
      keyNote.textContent = k === '' ? 'random key for this page only' : 'your key';
      void fingerprint(k === '' ? state.randomKey : k).then((f) => {
        fp.textContent = f;
      });
    };
    key.addEventListener('input', refreshFp);
    refreshFp();
    const keyRow = h(
      'div',
      { class: 'key-block', id: 'key-row' },
      h(
        'div',
        { class: 'key-row' },
        h('label', { for: 'redact-key' }, 'Redaction key'),
        key,
        h('button', { type: 'button', class: 'btn small', id: 'copy-key', onclick: () => void copyText(key.value.trim() || state.randomKey).then((ok) => announce(ok ? 'Redaction key copied.' : 'Copying was refused by the browser.')) }, 'Copy key'),
      ),
      h('p', { class: 'help', id: 'key-help' }, 'Key fingerprint ', fp, ' (', keyNote, '), printed on every redacted report. Paste a key you keep to get the same pseudonyms as in your earlier reports, or copy this one to keep it.'),
    );
    redact.addEventListener('change', () => {
      keyRow.classList.toggle('off', !redact.checked);
      key.disabled = !redact.checked;
    });
    return h(
      'section',
      { class: 'card downloads', 'aria-labelledby': 'h-downloads' },
      h('h3', { id: 'h-downloads' }, 'Share or keep the report'),
      h('div', { class: 'btn-row' }, buttons),
      missing.length > 0 ? h('p', { class: 'help' }, `${missing.join(', ')}: not available in this build of the engine yet.`) : null,
      h('div', { class: 'check-row' }, redact, h('label', { for: 'redact' }, 'Redact names, user names, serial numbers, IDs and file names in downloads')),
      keyRow,
      h('p', { class: 'help', id: 'download-status', role: 'status' }),
    );
  }

  /** The key's fingerprint as the engine prints it on redacted reports. */
  async function fingerprint(key: string): Promise<string> {
    try {
      return await engine().call<string>({ op: 'fingerprint', key });
    } catch {
      return 'unavailable';
    }
  }

  function download(format: string): Promise<void> {
    return serial(async () => {
      const status = byId('download-status');
      const f = FORMATS.find((x) => x.format === format);
      const r = state.report;
      if (!f || !r || !state.runOptions) return;
      const redact = byId<HTMLInputElement>('redact').checked;
      const options: Record<string, string> = { ...state.runOptions, format };
      if (redact) options.redact_key = byId<HTMLInputElement>('redact-key').value.trim() || state.randomKey;
      status.textContent = `Preparing the ${f.label}…`;
      state.busy++;
      updateRunState();
      try {
        const out = await engine().call<RenderReply>({ op: 'render', options: JSON.stringify(options) });
        if (out.exit === 64) {
          status.textContent = new TextDecoder().decode(out.data).trim();
          return;
        }
        if (redact && format === 'json' && !/"redacted":\s*true/.test(new TextDecoder().decode(out.data.slice(0, 4096)))) {
          status.textContent = 'The engine did not redact this report, so it was not saved.';
          return;
        }
        const day = r.as_of.slice(0, 10).replace(/[^0-9-]/g, '');
        const name = `apready-report-${day || 'undated'}${redact ? '-redacted' : ''}.${f.ext}`;
        const url = URL.createObjectURL(new Blob([out.data], { type: f.mime }));
        const a = h('a', { href: url, download: name, class: 'offscreen', tabindex: -1 });
        document.body.appendChild(a);
        a.click();
        a.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
        status.textContent = `Saved ${name} (${fmtBytes(out.data.byteLength)}${redact ? ', redacted' : ', not redacted'}).`;
      } catch (err) {
        status.textContent = `The download failed: ${errorText(err)}`;
      } finally {
        state.busy--;
        updateRunState();
      }
    });
  }

  // ---- tenant checks

  function checksCard(r: Report): HTMLElement {
    const checks = r.checks.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c.status) - rank(b.c.status) || a.i - b.i);
    const tally = new Map<string, number>();
    for (const c of r.checks) tally.set(c.status, (tally.get(c.status) ?? 0) + 1);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'h-checks' },
      h('div', { class: 'card-head' }, h('h3', { id: 'h-checks' }, 'Tenant checks'), h('div', { class: 'tally' }, [...tally.entries()].sort((a, b) => rank(a[0]) - rank(b[0])).map(([s, n]) => chip(s, `${n} ${statusLabel(s).toLowerCase()}`)))),
      h('div', { class: 'checks', 'data-testid': 'checks' }, checks.map(({ c }) => checkRow(c))),
    );
  }

  function checkRow(c: Finding): HTMLDetailsElement {
    const rule = state.catalogue.get(c.id);
    const body = h('div', { class: 'check-body' });
    const d = h(
      'details',
      { class: `check c-${c.status}`, 'data-check-id': c.id, 'data-status': c.status, 'data-reason': c.reason ?? null },
      h('summary', null, chip(c.status), h('span', { class: 'cid mono' }, c.id), h('span', { class: 'ctext' }, h('span', { class: 'ctitle' }, rule?.title ?? c.id), h('span', { class: 'cmsg' }, c.message))),
      body,
    );
    let filled = false;
    d.addEventListener('toggle', () => {
      if (!d.open || filled) return;
      filled = true;
      put(body, findingDetail(c, rule));
    });
    return d;
  }

  function findingDetail(c: Finding, rule: Rule | undefined): Node[] {
    const out: Node[] = [];
    if (c.reason) out.push(h('p', { class: 'reason' }, h('strong', null, 'Why not evaluated: '), REASON_LABEL[c.reason] ?? c.reason));
    if (c.remediation) {
      const title = c.status === 'not_evaluated' ? 'If the check fails' : c.status === 'ready' ? 'Keep it this way' : 'How to fix';
      out.push(h('div', { class: `fix${c.status === 'not_evaluated' ? ' quiet' : ''}` }, h('h4', null, title), h('p', null, c.remediation)));
    }
    if (c.evidence.length > 0) out.push(evidenceTable(c.evidence));
    else out.push(h('p', { class: 'muted small' }, 'No evidence records.'));
    if (c.source) out.push(h('p', { class: 'source small' }, h('strong', null, 'Source: '), c.source));
    if (rule) {
      out.push(
        h(
          'details',
          { class: 'about' },
          h('summary', null, `About ${rule.id}: ${rule.title}`),
          rule.what ? h('p', null, h('strong', null, 'What it checks. '), rule.what) : null,
          rule.why ? h('p', null, h('strong', null, 'Why it matters. '), rule.why) : null,
          rule.evidence ? h('p', null, h('strong', null, 'Evidence read. '), rule.evidence) : null,
          rule.fix ? h('p', null, h('strong', null, 'How to fix. '), rule.fix) : null,
          rule.source ? h('p', null, h('strong', null, 'Source. '), rule.source) : null,
        ),
      );
    }
    return out;
  }

  function evidenceTable(ev: Evidence[]): HTMLElement {
    const LIMIT = 200;
    const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    const known = new Set(['resource', 'object_id', 'object_name', ...EVIDENCE_LABEL.map(([k]) => k)]);
    const rows = ev.slice(0, LIMIT).map((e) => {
      const obj = [str(e.object_name), str(e.object_id) && str(e.object_name) !== str(e.object_id) ? str(e.object_id) : ''].filter(Boolean);
      const extra = Object.keys(e).filter((k) => !known.has(k));
      return h(
        'tr',
        null,
        h('td', null, h('span', { class: 'res' }, str(e.resource)), obj.length > 0 ? h('div', { class: 'obj' }, h('span', null, obj[0]), obj[1] ? h('span', { class: 'mono sub' }, obj[1]) : null) : null),
        h(
          'td',
          null,
          h(
            'dl',
            { class: 'ev' },
            EVIDENCE_LABEL.filter(([k]) => str(e[k]) !== '').map(([k, label]) => [h('dt', null, label), h('dd', { class: k === 'location' || k === 'field' ? 'mono' : null }, str(e[k]))]),
            extra.map((k) => [h('dt', null, k), h('dd', null, str(e[k]))]),
          ),
        ),
      );
    });
    return h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'evidence' }, h('caption', { class: 'cap' }, `Evidence${ev.length > LIMIT ? ` (first ${LIMIT} of ${fmtInt(ev.length)}; the downloaded reports have all)` : ''}`), h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Object'), h('th', { scope: 'col' }, 'What was read'))), h('tbody', null, rows)),
    );
  }

  // ---- coverage

  function coverageCard(r: Report): HTMLElement {
    const items = r.coverage ?? [];
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'h-coverage' },
      h('h3', { id: 'h-coverage' }, 'Coverage'),
      items.length === 0
        ? h('p', { class: 'muted' }, 'Every check could be evaluated with the inputs given.')
        : h(
            'ul',
            { class: 'coverage', 'data-testid': 'coverage' },
            items.map((c) =>
              h(
                'li',
                { 'data-reason': c.reason },
                h('div', { class: 'cov-head' }, h('strong', null, REASON_LABEL[c.reason] ?? c.reason), h('span', { class: 'cov-checks' }, c.checks.map((id) => h('span', { class: 'mono tag' }, id))), typeof c.devices === 'number' && c.devices > 0 ? h('span', { class: 'muted' }, plural(c.devices, 'device', 'devices')) : null),
                h('p', null, c.how_to_supply),
              ),
            ),
          ),
    );
  }

  // ---- devices

  /** The devices card, empty at first; the function returned adds rows as they are read. */
  function devicesCard(r: Report): [HTMLElement, (rows: DeviceSummary[], last: boolean) => void] {
    const listed = r.devices.listed ?? 0;
    // Devices that need attention are all in the DOM (filtering only hides them); ready devices
    // are listed a page at a time. Rows are added in batches so the page stays responsive, and
    // the table says `data-complete="true"` once every row is read and in the DOM.
    const attention: DeviceSummary[] = [];
    const ready: DeviceSummary[] = [];
    let received = false;

    const bodyAttention = h('div', { role: 'rowgroup', id: 'device-rows' });
    const bodyReady = h('div', { role: 'rowgroup', id: 'device-rows-ready' });
    const filter = h('input', { type: 'search', id: 'device-filter', 'data-testid': 'device-filter', placeholder: 'Name or ID', autocomplete: 'off', spellcheck: 'false' });
    const present = new Set<string>();
    const verdictSel = h('select', { id: 'device-verdict', 'data-testid': 'device-verdict-filter' }, h('option', { value: '' }, 'All verdicts'));
    const shown = h('p', { class: 'muted small', id: 'device-shown', role: 'status' });
    const more = h('button', { type: 'button', class: 'btn', id: 'device-more', hidden: true }, 'Show more ready devices');
    const empty = h('p', { class: 'muted', hidden: true }, 'No device matches the filter.');
    // A grid of rows rather than a <table>: each row skips layout and paint while off screen
    // (content-visibility), which keeps tens of thousands of rows cheap.
    const table = h(
      'div',
      { class: 'dtable', role: 'table', 'aria-label': 'Devices, those that need attention first', 'aria-describedby': 'device-shown', 'data-testid': 'devices', 'data-complete': 'false' },
      h('div', { role: 'rowgroup', class: 'dhead' }, h('div', { role: 'row', class: 'drow head' }, h('span', { role: 'columnheader' }, 'Device'), h('span', { role: 'columnheader' }, 'Verdict'), h('span', { role: 'columnheader' }, 'What needs attention'), h('span', { role: 'columnheader' }, h('span', { class: 'sr-only' }, 'Details')))),
      bodyAttention,
      bodyReady,
    );
    table.addEventListener('click', deviceClick);

    const matches = (d: DeviceSummary, q: string, v: string): boolean => (v === '' || d.verdict === v) && (q === '' || d.name.toLowerCase().includes(q) || d.id.toLowerCase().includes(q));
    const query = (): [string, string] => [filter.value.trim().toLowerCase(), verdictSel.value];
    const attentionRows: HTMLDivElement[] = [];

    const setVisible = (row: HTMLDivElement, show: boolean): void => {
      row.hidden = !show;
      const detail = row.nextElementSibling;
      if (detail instanceof HTMLDivElement && detail.classList.contains('detail')) detail.hidden = !show || row.dataset.open !== 'true';
    };

    const summarize = (): void => {
      if (!received || attentionRows.length < attention.length) {
        shown.textContent = `Listing devices… ${fmtInt(attentionRows.length + ready.length)} of ${fmtInt(listed)}`;
        return;
      }
      const [readyMatching, readyListed] = readyCounts;
      const [q, v] = query();
      const attentionMatching = q === '' && v === '' ? attention.length : attention.filter((d) => matches(d, q, v)).length;
      const total = attentionMatching + readyMatching;
      const shownNow = attentionMatching + readyListed;
      shown.textContent =
        listed === 0
          ? 'No devices in the inputs.'
          : `Showing ${fmtInt(shownNow)} of ${fmtInt(total)} matching device${total === 1 ? '' : 's'}${readyMatching > readyListed ? ` (${fmtInt(readyMatching - readyListed)} more ready devices not listed yet)` : ''}.`;
      empty.hidden = shownNow > 0 || listed === 0;
    };

    let readyCounts: [number, number] = [0, 0];
    const applyReady = (): void => {
      const [q, v] = query();
      bodyReady.replaceChildren();
      const readyMatch = q === '' && v === '' ? ready : ready.filter((d) => matches(d, q, v));
      const page = readyMatch.slice(0, state.readyShown);
      const frag = document.createDocumentFragment();
      for (const d of page) {
        const row = deviceRow(d);
        fillRow(row, d);
        frag.appendChild(row);
      }
      bodyReady.appendChild(frag);
      more.hidden = readyMatch.length <= page.length;
      more.textContent = `Show ${fmtInt(Math.min(READY_PAGE, readyMatch.length - page.length))} more ready devices`;
      readyCounts = [readyMatch.length, page.length];
    };
    const apply = (): void => {
      const [q, v] = query();
      attentionRows.forEach((row, i) => setVisible(row, matches(attention[i], q, v)));
      applyReady();
      summarize();
    };

    const finish = (): void => {
      table.dataset.complete = 'true';
      summarize();
    };

    // Rows are added in slices of about 40 ms so the page keeps answering while a long list
    // builds (shorter slices mean more frames, each laying out and painting again), into
    // blocks of GROUP_ROWS rows that the browser lays out only when on screen
    // (content-visibility): one flat list of 100k rows is laid out again on every slice.
    let adding = false;
    let group: HTMLDivElement | null = null;
    // Rows get their verdict, findings and button when their block comes within two screens
    // (every row has its attributes, name and ID from the start: the filter, find-in-page and
    // automation see every device). Without IntersectionObserver every row is filled at once.
    const fillGroup = (g: HTMLElement): void => {
      const start = Number(g.dataset.start);
      let k = start;
      for (const row of Array.from(g.children)) {
        if (!(row instanceof HTMLDivElement) || !row.classList.contains('dev')) continue;
        const d = attention[k++];
        if (d !== undefined) fillRow(row, d);
      }
    };
    const near =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver(
            (entries) => {
              for (const e of entries) {
                if (!(e.target instanceof HTMLElement)) continue;
                e.target.dataset.near = e.isIntersecting ? 'true' : 'false';
                if (e.isIntersecting) fillGroup(e.target);
              }
            },
            { rootMargin: '200% 0px' },
          )
        : null;
    const addAttention = (): void => {
      // A newer result replaced this table: stop adding to it.
      if (!table.isConnected) {
        adding = false;
        near?.disconnect();
        return;
      }
      const [q, v] = query();
      const frag = document.createDocumentFragment();
      const until = performance.now() + 40;
      let i = attentionRows.length;
      for (; i < attention.length && (i % 64 !== 0 || performance.now() < until); i++) {
        if (i % GROUP_ROWS === 0) {
          if (group !== null) group.appendChild(frag);
          group = h('div', { class: 'dgroup', 'data-start': i });
          bodyAttention.appendChild(group);
          near?.observe(group);
        }
        const row = deviceRow(attention[i]);
        if (near === null || group?.dataset.near === 'true') fillRow(row, attention[i]);
        row.hidden = !matches(attention[i], q, v);
        attentionRows.push(row);
        frag.appendChild(row);
      }
      group?.appendChild(frag);
      summarize();
      if (attentionRows.length < attention.length) {
        window.setTimeout(addAttention, 0);
      } else {
        adding = false;
        if (received) finish();
      }
    };

    const addVerdicts = (rows: DeviceSummary[]): void => {
      const before = present.size;
      for (const d of rows) present.add(d.verdict);
      if (present.size === before) return;
      const chosen = verdictSel.value;
      const options = [...present].sort((a, b) => rank(a) - rank(b)).map((v) => h('option', { value: v }, statusLabel(v)));
      verdictSel.replaceChildren(h('option', { value: '' }, 'All verdicts'), ...options);
      verdictSel.value = chosen;
    };

    const feed = (rows: DeviceSummary[], last: boolean): void => {
      let readyAdded = false;
      for (const d of rows) {
        if (d.verdict === 'ready') {
          ready.push(d);
          readyAdded = true;
        } else {
          attention.push(d);
        }
      }
      addVerdicts(rows);
      if (readyAdded) applyReady();
      if (last) received = true;
      if (!adding && attentionRows.length < attention.length) {
        adding = true;
        window.setTimeout(addAttention, 0);
      } else if (!adding && received) {
        finish();
      } else {
        summarize();
      }
    };

    let timer = 0;
    filter.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        state.readyShown = READY_PAGE;
        apply();
      }, 120);
    });
    verdictSel.addEventListener('change', () => {
      state.readyShown = READY_PAGE;
      apply();
    });
    more.addEventListener('click', () => {
      const firstNew = bodyReady.querySelectorAll('.dev').length;
      state.readyShown += READY_PAGE;
      apply();
      bodyReady.querySelectorAll<HTMLDivElement>('.dev')[firstNew]?.querySelector('button')?.focus();
    });

    const card = h(
      'section',
      { class: 'card', 'aria-labelledby': 'h-devices' },
      h('div', { class: 'card-head' }, h('h3', { id: 'h-devices' }, 'Devices'), h('span', { class: 'muted small' }, `${fmtInt(r.devices.total)} in scope${r.devices.out_of_scope ? ` · ${fmtInt(r.devices.out_of_scope)} out of scope` : ''}`)),
      h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: 'device-filter' }, 'Find a device'), filter), h('div', { class: 'field' }, h('label', { for: 'device-verdict' }, 'Verdict'), verdictSel), shown),
      table,
      empty,
      more,
    );
    apply();
    return [card, feed];
  }

  /** The parts of a device row that do not depend on the device, cloned for each row. */
  let rowSkeleton: HTMLDivElement | null = null;
  let restSkeleton: DocumentFragment | null = null;

  /**
   * A device row: its attributes, name and ID at once; the rest (verdict, what needs
   * attention, the Details button) from `fillRow`, which the devices table calls for the rows
   * near the screen. Rows are many (every device that needs attention): one deep clone of a
   * skeleton each, and one click handler for the whole table (`deviceClick`).
   */
  function deviceRow(d: DeviceSummary): HTMLDivElement {
    rowSkeleton ??= h('div', { role: 'row' }, h('div', { role: 'cell' }, h('div', { class: 'dname' }), h('div', { class: 'mono sub' })));
    const row = rowSkeleton.cloneNode(true) as HTMLDivElement;
    row.className = `drow dev d-${d.verdict}`;
    row.dataset.device = d.name;
    row.dataset.deviceId = d.id;
    row.dataset.verdict = d.verdict;
    row.dataset.index = String(d.index);
    const who = row.firstElementChild;
    who?.firstElementChild?.append(d.name || '(no name)');
    who?.lastElementChild?.append(d.id);
    return row;
  }

  /** Completes a row from `deviceRow` (once). */
  function fillRow(row: HTMLDivElement, d: DeviceSummary): void {
    if (row.childElementCount > 1) return;
    // Findings worth a glance in the row; every finding is in the details.
    const open = d.findings.filter((f) => !['ready', 'not_applicable', 'out_of_scope'].includes(f.status)).sort((a, b) => rank(a.status) - rank(b.status));
    const tally = new Map<string, number>();
    for (const f of open) tally.set(f.status, (tally.get(f.status) ?? 0) + 1);
    const worst = open[0];
    restSkeleton ??= (() => {
      const f = document.createDocumentFragment();
      put(f, [h('div', { role: 'cell' }), h('div', { role: 'cell' }), h('div', { role: 'cell', class: 'act' }, h('button', { type: 'button', class: 'btn ghost small', 'aria-expanded': 'false' }, 'Details'))]);
      return f;
    })();
    const rest = restSkeleton.cloneNode(true) as DocumentFragment;
    const [verdict, what, act] = Array.from(rest.children);
    verdict.append(chip(d.verdict));
    put(
      what,
      open.length === 0
        ? [h('span', { class: 'muted' }, 'Nothing — every check passed.')]
        : [
            h('div', { class: 'dtally' }, [...tally.entries()].map(([s, n]) => h('span', { class: `mini s-${s}` }, `${n} ${statusLabel(s).toLowerCase()}`))),
            worst && worst.status !== 'not_evaluated' ? h('div', { class: 'dmsg' }, h('span', { class: 'mono' }, worst.id), ' ', worst.message) : null,
          ],
    );
    act.firstElementChild?.setAttribute('aria-label', `Details for ${d.name || d.id}`);
    row.append(rest);
  }

  /** A click in the devices table: a row's Details button shows or hides its findings in full. */
  function deviceClick(ev: Event): void {
    const btn = ev.target instanceof Element ? ev.target.closest('button') : null;
    const row = btn?.parentElement?.parentElement;
    if (!btn || !(row instanceof HTMLDivElement) || !row.classList.contains('dev')) return;
    const next = row.nextElementSibling;
    if (next instanceof HTMLDivElement && next.classList.contains('detail')) {
      const show = next.hidden;
      next.hidden = !show;
      row.dataset.open = show ? 'true' : 'false';
      btn.setAttribute('aria-expanded', show ? 'true' : 'false');
      btn.textContent = show ? 'Hide' : 'Details';
      return;
    }
    btn.textContent = 'Hide';
    const cell = h('div', { role: 'cell', class: 'detail-cell' }, h('p', { class: 'muted small' }, 'Loading…'));
    const detail = h('div', { role: 'row', class: 'detail' }, cell);
    row.after(detail);
    void engine()
      .call<DeviceItem>({ op: 'device', index: Number(row.dataset.index) })
      .then(
        (full) => cell.replaceChildren(deviceDetail(full)),
        (err: unknown) => cell.replaceChildren(h('p', { class: 'problem' }, `The details could not be loaded: ${errorText(err)}`)),
      );
    row.dataset.open = 'true';
    btn.setAttribute('aria-expanded', 'true');
  }

  function deviceDetail(d: DeviceItem): HTMLElement {
    const sorted = d.findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f.status) - rank(b.f.status) || a.i - b.i);
    return h(
      'div',
      { class: 'dev-detail' },
      sorted.map(({ f }) => {
        const rule = state.catalogue.get(f.id);
        return h(
          'div',
          { class: `finding c-${f.status}`, 'data-finding-id': f.id, 'data-status': f.status },
          h('div', { class: 'finding-head' }, chip(f.status), h('span', { class: 'cid mono' }, f.id), h('span', { class: 'ctitle' }, rule?.title ?? ''), h('span', { class: 'cmsg' }, f.message)),
          f.status === 'ready' ? null : h('div', { class: 'finding-body' }, findingDetail(f, rule)),
        );
      }),
    );
  }

  // ---------------------------------------------------------------- wiring

  function wire(): void {
    el.inputFiles.addEventListener('change', () => {
      const files = Array.from(el.inputFiles.files ?? []);
      el.inputFiles.value = '';
      void addPicked(files.map((f) => ({ file: f, path: f.name })), []);
    });
    el.inputFolder.addEventListener('change', () => {
      const { picked, skipped } = fromFolderInput(el.inputFolder.files ?? new DataTransfer().files);
      el.inputFolder.value = '';
      void addPicked(picked, skipped);
    });
    el.pasteAdd.addEventListener('click', addPaste);
    el.paste.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        addPaste();
      }
    });
    el.clearAll.addEventListener('click', () => void clearInputs());
    for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-copy-from]'))) {
      const source = document.getElementById(b.dataset.copyFrom ?? '');
      if (!source) continue;
      const label = b.textContent ?? 'Copy';
      b.setAttribute('aria-label', `Copy: ${source.textContent ?? ''}`);
      b.addEventListener('click', () => {
        void copyText(source.textContent ?? '').then((ok) => {
          b.textContent = ok ? 'Copied' : 'Select and copy';
          announce(ok ? 'Command copied.' : 'Copying was refused by the browser; select the text and copy it.');
          window.setTimeout(() => {
            b.textContent = label;
          }, 1600);
        });
      });
    }
    el.run.addEventListener('click', () => void run());
    el.profile.addEventListener('change', () => {
      void serial(loadCatalogue).then(markStale);
    });
    el.asOf.addEventListener('input', () => el.asOf.removeAttribute('aria-invalid'));
    byId('goto-exports').addEventListener('click', () => {
      const target = byId('h-exports');
      target.scrollIntoView({ behavior: smooth(), block: 'start' });
      target.focus({ preventScroll: true });
    });

    // Dropping anywhere adds the files; the browser must never navigate to a dropped file.
    let depth = 0;
    const isFiles = (ev: DragEvent): boolean => Array.from(ev.dataTransfer?.types ?? []).includes('Files');
    window.addEventListener('dragenter', (ev) => {
      if (!isFiles(ev)) return;
      ev.preventDefault();
      depth++;
      document.body.classList.add('dragging');
    });
    window.addEventListener('dragleave', (ev) => {
      if (!isFiles(ev)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) document.body.classList.remove('dragging');
    });
    window.addEventListener('dragover', (ev) => {
      ev.preventDefault();
      if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('drop', (ev) => {
      ev.preventDefault();
      depth = 0;
      document.body.classList.remove('dragging');
      if (!ev.dataTransfer || !state.info) return;
      void fromDrop(ev.dataTransfer).then(({ picked, skipped }) => addPicked(picked, skipped));
    });
  }

  wire();
  void boot();
})();
