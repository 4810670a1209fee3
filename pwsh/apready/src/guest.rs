//! One run of the core inside wasmtime: a fresh `Store` with a memory cap and a deadline kept
//! by a watchdog thread, the zero-import C ABI of `wasm/src/abi.rs`, and a check of every
//! pointer and length the guest hands back before the host touches its memory.

use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use wasmtime::{
    Instance, Memory, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder, Trap, TypedFunc,
};

use crate::module::Loaded;

/// How often the watchdog looks at the clock.
const TICK: Duration = Duration::from_millis(100);
/// File bytes are read into guest memory in pieces of this size (for progress).
const CHUNK: usize = 8 << 20;

/// The guards on one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub memory_bytes: usize,
    pub timeout: Duration,
}

/// Why the guest could not finish: a sentence completing "the engine stopped …: ".
#[derive(Debug)]
pub struct Stopped(pub String);

/// An input could not be handed over.
#[derive(Debug)]
pub enum AddError {
    /// Reading the file failed (a usage error: exit 64).
    Io(String),
    Engine(Stopped),
}

impl From<Stopped> for AddError {
    fn from(s: Stopped) -> Self {
        AddError::Engine(s)
    }
}

struct State {
    limits: StoreLimits,
    cap: usize,
    refused: Option<usize>,
    grow_failed: Option<String>,
}

impl ResourceLimiter for State {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let ok = self.limits.memory_growing(current, desired, maximum)?;
        if !ok {
            self.refused = Some(desired);
        }
        Ok(ok)
    }
    fn memory_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.grow_failed = Some(error.to_string());
        Ok(())
    }
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }
    fn instances(&self) -> usize {
        self.limits.instances()
    }
    fn tables(&self) -> usize {
        self.limits.tables()
    }
    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

/// The deadline on time spent in the guest, kept by a watchdog thread instead of epoch checks
/// compiled into the guest. Those run at every loop back-edge and function entry: measured on
/// the 10k-device benchmark tenant they were a third more instructions (2.76 G → 3.68 G under
/// callgrind) and 8–17 % more wall time at 100k. When the deadline passes while the guest runs,
/// the watchdog ends the process as a stopped engine does — the message on stderr, exit 3. No
/// output has been written then: the report is written after the guest returns.
struct Watch {
    /// When the current guest call must have returned; `None` while the host runs.
    until: Option<Instant>,
    /// The whole message, naming what was being evaluated.
    message: String,
}

static WATCH: Mutex<Watch> = Mutex::new(Watch {
    until: None,
    message: String::new(),
});

fn watch() -> std::sync::MutexGuard<'static, Watch> {
    WATCH
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Starts (once per process) the watchdog, which looks at the deadline every [`TICK`].
fn start_watchdog() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("apready-deadline".into())
            .spawn(|| loop {
                std::thread::sleep(TICK);
                let w = watch();
                if w.until.is_some_and(|t| Instant::now() >= t) {
                    eprintln!("apready: {}", w.message);
                    std::process::exit(i32::from(crate::EXIT_ERROR));
                }
            });
        // Without the thread there is no deadline, but evaluation still works.
        drop(spawned);
    });
}

pub struct Guest {
    store: Store<State>,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    add_input: TypedFunc<(u32, u32, u32, u32), ()>,
    evaluate: TypedFunc<(u32, u32), u32>,
    command: TypedFunc<(u32, u32), u32>,
    result_ptr: TypedFunc<(), u32>,
    exit_code: TypedFunc<(), i32>,
    limits: Limits,
}

/// The result of `ap_evaluate` / `ap_command`: an exit code and where the output lies.
pub struct Outcome {
    pub exit_code: i32,
    range: Range<usize>,
}

impl Guest {
    /// `stopping` starts the message of a run that cannot finish ("the engine stopped while
    /// evaluating …"); the watchdog completes it when the deadline passes.
    pub fn new(loaded: &Loaded, limits: Limits, stopping: &str) -> Result<Guest, Stopped> {
        watch().message = format!(
            "{stopping}: it took longer than the deadline of {} s (raise it with --timeout)",
            limits.timeout.as_secs()
        );
        start_watchdog();
        let state = State {
            limits: StoreLimitsBuilder::new()
                .memory_size(limits.memory_bytes)
                .instances(1)
                .memories(1)
                .tables(4)
                .build(),
            cap: limits.memory_bytes,
            refused: None,
            grow_failed: None,
        };
        let mut store = Store::new(&loaded.engine, state);
        store.limiter(|s| s as &mut dyn ResourceLimiter);
        let instance = match Instance::new(&mut store, &loaded.module, &[]) {
            Ok(i) => i,
            Err(e) => {
                let why = describe(&store, &e);
                return Err(Stopped(format!("it could not start: {why}")));
            }
        };
        let missing = |what: &str| Stopped(format!("the embedded module lacks `{what}`"));
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or_else(|| missing("memory"))?;
        macro_rules! func {
            ($name:literal) => {
                instance
                    .get_typed_func(&mut store, $name)
                    .map_err(|e| Stopped(format!("the embedded module's `{}`: {e}", $name)))?
            };
        }
        Ok(Guest {
            alloc: func!("ap_alloc"),
            add_input: func!("ap_add_input"),
            evaluate: func!("ap_evaluate"),
            command: func!("ap_command"),
            result_ptr: func!("ap_result_ptr"),
            exit_code: func!("ap_exit_code"),
            memory,
            store,
            limits,
        })
    }

    /// Calls into the guest under the deadline: it covers time spent in the guest, from the
    /// call to its return.
    fn timed<T>(
        &mut self,
        call: impl FnOnce(&mut Store<State>) -> wasmtime::Result<T>,
    ) -> Result<T, Stopped> {
        watch().until = Instant::now().checked_add(self.limits.timeout);
        let result = call(&mut self.store);
        watch().until = None;
        result.map_err(|e| self.stopped(&e))
    }

    fn stopped(&self, e: &wasmtime::Error) -> Stopped {
        Stopped(describe(&self.store, e))
    }

    /// Checks that `[ptr, ptr + len)` lies inside the guest's memory.
    fn range(&self, ptr: u32, len: u32) -> Result<Range<usize>, Stopped> {
        let size = self.memory.data_size(&self.store);
        let start = ptr as usize;
        let end = start.checked_add(len as usize);
        match end {
            Some(end) if end <= size && (ptr != 0 || len == 0) => Ok(start..end),
            _ => Err(Stopped(format!(
                "it returned an invalid buffer (pointer {ptr:#x}, length {len}) outside its \
                 {size}-byte memory"
            ))),
        }
    }

    fn alloc(&mut self, len: u32) -> Result<Range<usize>, Stopped> {
        let f = self.alloc.clone();
        let ptr = self.timed(|s| f.call(s, len))?;
        self.range(ptr, len)
    }

    fn slice_mut(&mut self, range: Range<usize>) -> Result<&mut [u8], Stopped> {
        let size = self.memory.data_size(&self.store);
        self.memory
            .data_mut(&mut self.store)
            .get_mut(range.clone())
            .ok_or_else(|| {
                Stopped(format!(
                    "buffer {range:?} lies outside its {size}-byte memory"
                ))
            })
    }

    /// Copies bytes into a fresh guest allocation; returns (pointer, length).
    fn put(&mut self, bytes: &[u8]) -> Result<(u32, u32), Stopped> {
        if bytes.is_empty() {
            return Ok((0, 0));
        }
        let len = u32::try_from(bytes.len())
            .map_err(|_| Stopped("a request larger than 4 GiB".into()))?;
        let range = self.alloc(len)?;
        let start = range.start;
        self.slice_mut(range)?.copy_from_slice(bytes);
        Ok((start as u32, len))
    }

    /// Streams one file straight into guest memory (one `ap_alloc` of its size, then reads
    /// into that slice: no second copy) and hands it to the session under `name`.
    /// `progress(n)` is called with the bytes of this file read so far.
    pub fn add_file(
        &mut self,
        name: &str,
        file: &mut File,
        len: u64,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), AddError> {
        let len = u32::try_from(len).map_err(|_| {
            AddError::Engine(Stopped(format!(
                "{name} is {len} bytes; the engine reads files of at most 4 GiB"
            )))
        })?;
        let (name_ptr, name_len) = self.put(name.as_bytes())?;
        let data_ptr = if len == 0 {
            0
        } else {
            let range = self.alloc(len)?;
            let start = range.start as u32;
            let buf = self.slice_mut(range)?;
            let mut done = 0;
            while done < buf.len() {
                let end = (done + CHUNK).min(buf.len());
                let piece = buf.get_mut(done..end).unwrap_or_default();
                file.read_exact(piece).map_err(|e| {
                    AddError::Io(if e.kind() == std::io::ErrorKind::UnexpectedEof {
                        "it became shorter while being read".into()
                    } else {
                        crate::inputs::describe_io(&e)
                    })
                })?;
                done = end;
                progress(done as u64);
            }
            let mut extra = [0u8; 1];
            if matches!(file.read(&mut extra), Ok(n) if n > 0) {
                return Err(AddError::Io("it grew while being read".into()));
            }
            start
        };
        let f = self.add_input.clone();
        self.timed(|s| f.call(s, (name_ptr, name_len, data_ptr, len)))
            .map_err(AddError::Engine)
    }

    /// `ap_evaluate(options)`: evaluates the inputs handed over and renders the report.
    pub fn evaluate(&mut self, options_json: &[u8]) -> Result<Outcome, Stopped> {
        let (p, l) = self.put(options_json)?;
        let f = self.evaluate.clone();
        let n = self.timed(|s| f.call(s, (p, l)))?;
        self.outcome(n)
    }

    /// `ap_command(request)`: rules, explain, diff, ….
    pub fn command(&mut self, request_json: &[u8]) -> Result<Outcome, Stopped> {
        let (p, l) = self.put(request_json)?;
        let f = self.command.clone();
        let n = self.timed(|s| f.call(s, (p, l)))?;
        self.outcome(n)
    }

    fn outcome(&mut self, len: u32) -> Result<Outcome, Stopped> {
        let f = self.result_ptr.clone();
        let ptr = self.timed(|s| f.call(s, ()))?;
        // An empty Vec's pointer is dangling (but non-null): only its range must be valid.
        let range = if len == 0 {
            0..0
        } else {
            self.range(ptr, len)?
        };
        let f = self.exit_code.clone();
        let exit_code = self.timed(|s| f.call(s, ()))?;
        if !matches!(exit_code, 0 | 1 | 2 | 3 | 64) {
            return Err(Stopped(format!(
                "it returned the unknown exit code {exit_code}"
            )));
        }
        Ok(Outcome { exit_code, range })
    }

    /// The guest's memory size now (its peak: wasm memories never shrink).
    pub fn memory_size(&self) -> usize {
        self.memory.data_size(&self.store)
    }

    /// The output bytes of an outcome, read in place from guest memory.
    pub fn output(&self, outcome: &Outcome) -> &[u8] {
        self.memory
            .data(&self.store)
            .get(outcome.range.clone())
            .unwrap_or_default()
    }
}

const MIB: usize = 1 << 20;

/// The cause of a failed guest call, for a person.
fn describe(store: &Store<State>, e: &wasmtime::Error) -> String {
    let state = store.data();
    if let Some(wanted) = state.refused {
        return format!(
            "it needed more memory than the limit of {} MiB (it asked for {} MiB); raise the \
             limit with --max-memory or APREADY_MAX_MEMORY_MB (at most 4096)",
            state.cap / MIB,
            wanted.div_ceil(MIB)
        );
    }
    if let Some(why) = &state.grow_failed {
        return format!("the system could not give it more memory ({why})");
    }
    match e.downcast_ref::<Trap>() {
        Some(Trap::StackOverflow) => {
            "it ran out of stack (an input nested too deeply?)".to_string()
        }
        Some(Trap::UnreachableCodeReached) => {
            "it aborted (an internal error of the engine: please report it with the input's \
             shape)"
                .to_string()
        }
        Some(t) => format!("it trapped: {t}"),
        None => format!("{}", e.root_cause()),
    }
}
