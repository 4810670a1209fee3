// The engine Worker. The build prepends wasm-bindgen's `--target no-modules` glue (which defines
// `wasm_bindgen`) and starts this file from a Blob URL. It only moves bytes between the page and
// the engine: every decision (resources, verdicts, messages) is the engine's.

interface WasmEngine {
  begin_file(path: string, size: number): void;
  feed(chunk: Uint8Array): void;
  end_file(): void;
  put_file(path: string, bytes: Uint8Array): void;
  remove_file(path: string): number;
  clear(): void;
  inspect(): string;
  finish(options: string): number;
  rerun(options: string): number;
  view(options: string): number;
  view_items(start: number, count: number): number;
  device(index: number): string | undefined;
  take_output(): Uint8Array;
  free(): void;
}

interface WasmBindgen {
  initSync(init: { module: BufferSource }): unknown;
  Engine: new () => WasmEngine;
  command(request: string): Uint8Array;
  version(): string;
  fingerprint(key: string): string;
}

declare const wasm_bindgen: WasmBindgen;

const scope = self as unknown as DedicatedWorkerGlobalScope;
let engine: WasmEngine | null = null;
/** Set once the engine trapped: its memory can no longer be trusted. */
let broken: string | null = null;
function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The bytes as an ArrayBuffer of their own, to transfer (wasm-bindgen's copy usually is one). */
function own(out: Uint8Array): ArrayBuffer {
  const whole = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength;
  return (whole ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength)) as ArrayBuffer;
}

function need(): WasmEngine {
  if (broken !== null) throw new Error(broken);
  if (engine === null) throw new Error('the engine is not started');
  return engine;
}

/** Asks an empty engine which report formats it renders (a format it lacks is a usage error). */
function probe(): EngineInfo {
  const formats: string[] = [];
  const e = new wasm_bindgen.Engine();
  for (const format of ['json', 'html', 'csv', 'md', 'text', 'junit']) {
    const exit = e.rerun(JSON.stringify({ format, as_of: '2000-01-01T00:00:00Z' }));
    e.take_output();
    if (exit !== 64) formats.push(format);
  }
  e.free();
  return { version: wasm_bindgen.version(), formats };
}

function handle(msg: ToWorker): [unknown, Transferable[]] {
  switch (msg.op) {
    case 'init': {
      wasm_bindgen.initSync({ module: decodeBase64(msg.wasm) });
      engine = new wasm_bindgen.Engine();
      return [probe(), []];
    }
    case 'begin':
      need().begin_file(msg.path, msg.size);
      return [null, []];
    case 'feed':
      need().feed(new Uint8Array(msg.chunk));
      return [msg.chunk.byteLength, []];
    case 'end':
      need().end_file();
      return [null, []];
    case 'file': {
      // remove + add in one message: one round trip and one copy per small file.
      need().put_file(msg.path, new Uint8Array(msg.chunk));
      return [null, []];
    }
    case 'files': {
      // A group of small files read as one Blob: each goes in as `file` would.
      const e = need();
      let off = 0;
      for (const [i, path] of msg.paths.entries()) {
        const n = msg.sizes[i] ?? 0;
        e.put_file(path, new Uint8Array(msg.chunk, off, n));
        off += n;
      }
      return [null, []];
    }
    case 'remove':
      return [need().remove_file(msg.path), []];
    case 'clear':
      need().clear();
      return [null, []];
    case 'inspect':
      return [need().inspect(), []];
    case 'run': {
      // The engine keeps the report and hands over the head of its view (`rows` then gives the
      // device rows, each device's non-ready findings in brief: a 1M-device report is ~480 MB
      // of JSON; the page never parses all of it, and shows the verdict before the rows).
      const e = need();
      const exit = e.view(msg.options);
      const out = e.take_output();
      if (exit === 64) {
        return [{ exit, data: null, message: utf8(out).trim(), bytes: out.length } as RunReply, []];
      }
      // Handed over as bytes (transferred, not copied) and parsed once, by the page: parsing
      // here and cloning the object graph across would do the work twice.
      const data = own(out);
      return [{ exit, data, message: null, bytes: out.length } as RunReply, [data]];
    }
    case 'rows': {
      const e = need();
      const n = e.view_items(msg.start, msg.count);
      const data = own(e.take_output());
      return [{ n, data } as RowsReply, [data]];
    }
    case 'device': {
      const d = need().device(msg.index);
      if (d === undefined) throw new Error(`no device ${msg.index} in the last report`);
      return [JSON.parse(d) as unknown, []];
    }
    case 'render': {
      const e = need();
      const exit = e.rerun(msg.options);
      const out = e.take_output();
      const data = out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
      return [{ exit, data } as RenderReply, [data]];
    }
    case 'command':
      if (broken !== null) throw new Error(broken);
      return [utf8(wasm_bindgen.command(msg.request)), []];
    case 'fingerprint':
      if (broken !== null) throw new Error(broken);
      return [wasm_bindgen.fingerprint(msg.key), []];
  }
}

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  let reply: FromWorker;
  let transfer: Transferable[] = [];
  try {
    const [value, t] = handle(msg);
    reply = { id: msg.id, ok: true, value };
    transfer = t;
  } catch (err) {
    // A trap (RuntimeError) means the engine aborted; nothing it holds can be trusted any more.
    const fatal = err instanceof WebAssembly.RuntimeError || err instanceof RangeError;
    const text = err instanceof Error ? err.message : String(err);
    if (fatal) broken = `the engine stopped: ${text}`;
    reply = { id: msg.id, ok: false, error: fatal && broken !== null ? broken : text, fatal };
  }
  scope.postMessage(reply, transfer);
};
