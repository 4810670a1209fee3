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
 * `run`: the report's view as JSON bytes (transferred, parsed once by the page) — each device
 * reduced to its id, name, verdict and the id/status/message of its findings that are not
 * `ready` (the Worker keeps the full report; `device` returns one device in full) — or the
 * engine's usage message.
 */
interface RunReply {
  exit: number;
  data: ArrayBuffer | null;
  message: string | null;
  bytes: number;
}

/** `render`: the bytes of a report in another format (or the usage message on exit 64). */
interface RenderReply {
  exit: number;
  data: ArrayBuffer;
}
