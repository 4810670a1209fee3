// Messages between the page and its engine Worker. Shared by both TypeScript projects.

/** A request to the Worker; every request gets exactly one reply with the same `id`. */
type ToWorker =
  | { op: 'init'; id: number; wasm: string }
  | { op: 'begin'; id: number; path: string; size: number }
  | { op: 'feed'; id: number; chunk: ArrayBuffer }
  | { op: 'end'; id: number }
  /** A whole file in one piece (files up to the chunk size): replaces any input with its path. */
  | { op: 'file'; id: number; path: string; chunk: ArrayBuffer }
  /** Several whole files in one piece, one after another (`sizes[i]` bytes each): as `file` for each. */
  | { op: 'files'; id: number; paths: string[]; sizes: number[]; chunk: ArrayBuffer }
  | { op: 'remove'; id: number; path: string }
  | { op: 'clear'; id: number }
  | { op: 'inspect'; id: number }
  | { op: 'run'; id: number; options: string }
  /** Device rows of the last `run`'s view, `count` from `start` on. */
  | { op: 'rows'; id: number; start: number; count: number }
  | { op: 'render'; id: number; options: string }
  | { op: 'command'; id: number; request: string }
  | { op: 'fingerprint'; id: number; key: string }
  | { op: 'device'; id: number; index: number };

type FromWorker =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string; fatal: boolean };

/** What the Worker learnt about its engine at start-up. */
interface EngineInfo {
  version: string;
  /** Report formats this engine build renders (probed with an empty input set). */
  formats: string[];
}

/**
 * `run`: the head of the report's view as JSON bytes (transferred, parsed once by the page):
 * the report without its device rows, `devices.listed` saying how many there are (the Worker
 * keeps the full report; `rows` returns the rows a slice at a time, `device` one device in
 * full) — or the engine's usage message.
 */
interface RunReply {
  exit: number;
  data: ArrayBuffer | null;
  message: string | null;
  bytes: number;
}

/**
 * `rows`: `n` device rows as a JSON array (transferred bytes), each reduced to its `index`, id,
 * name, verdict and the id/status/message of its findings that are not `ready`.
 */
interface RowsReply {
  n: number;
  data: ArrayBuffer;
}

/** `render`: the bytes of a report in another format (or the usage message on exit 64). */
interface RenderReply {
  exit: number;
  data: ArrayBuffer;
}
