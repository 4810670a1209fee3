// Runs the core's wasm in Node's V8 on a tenant folder and writes the report to stdout.
//
//   node run-wasm.mjs bindgen <glue.js> <dir> <options-json>   # the page's wasm-bindgen build
//   node run-wasm.mjs host-abi <apready-host.wasm> <dir> <options-json>
//
// Files are streamed into the wasm memory in 8 MiB chunks (begin_file / feed / end_file), as
// the page's Worker does with File slices; the host-ABI build gets each file with one copy.
import { readdirSync, statSync, openSync, readSync, closeSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [kind, artefact, dir, options] = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const CHUNK = 8 << 20;

function writeOut(bytes) {
  let off = 0;
  while (off < bytes.length) {
    off += writeSync(1, bytes, off, Math.min(bytes.length - off, 1 << 24));
  }
}

if (kind === "bindgen") {
  // The page's glue is wasm-bindgen's `--target no-modules` script (a `wasm_bindgen` global);
  // an ES-module glue (`--target web`) is imported.
  const src = readFileSync(artefact, "utf8");
  const glue = src.includes("let wasm_bindgen")
    ? new Function(`${src}\nreturn wasm_bindgen;`)()
    : await import(pathToFileURL(artefact).href);
  const wasmPath = artefact.replace(/\.js$/, "_bg.wasm");
  glue.initSync({ module: readFileSync(wasmPath) });
  const engine = new glue.Engine();
  const buf = Buffer.alloc(CHUNK);
  for (const f of files) {
    const full = join(dir, f);
    engine.begin_file(f, statSync(full).size);
    const fd = openSync(full, "r");
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      engine.feed(buf.subarray(0, n));
    }
    closeSync(fd);
    engine.end_file();
  }
  const code = engine.finish(options);
  writeOut(engine.take_output ? engine.take_output() : engine.output());
  process.exitCode = code;
} else {
  const module = new WebAssembly.Module(readFileSync(artefact));
  const e = new WebAssembly.Instance(module, {}).exports;
  const put = (bytes) => {
    const p = e.ap_alloc(bytes.length) >>> 0;
    new Uint8Array(e.memory.buffer, p, bytes.length).set(bytes);
    return p;
  };
  for (const f of files) {
    const full = join(dir, f);
    const size = statSync(full).size;
    const p = e.ap_alloc(size) >>> 0;
    const fd = openSync(full, "r");
    let off = 0;
    while (off < size) {
      // Read straight into the wasm memory (re-view it: memory.grow detaches old views).
      const view = new Uint8Array(e.memory.buffer, p + off, Math.min(CHUNK, size - off));
      const n = readSync(fd, view, 0, view.length, null);
      if (n === 0) break;
      off += n;
    }
    closeSync(fd);
    const name = Buffer.from(f);
    e.ap_add_input(put(name), name.length, p, size);
  }
  const opts = Buffer.from(options);
  const n = e.ap_evaluate(put(opts), opts.length) >>> 0;
  const ptr = e.ap_result_ptr() >>> 0;
  writeOut(new Uint8Array(e.memory.buffer, ptr, n));
  process.exitCode = e.ap_exit_code();
}
