//! One run of the core inside wasmtime: a fresh `Store` with a memory cap and an epoch
//! deadline, the zero-import C ABI of `wasm/src/abi.rs`, and a check of every pointer and
//! length the guest hands back before the host touches its memory.

use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::sync::OnceLock;
use std::time::Duration;

use wasmtime::{
    Engine, Instance, Memory, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder, Trap,
    TypedFunc,
};

use crate::module::Loaded;

/// How often the background thread advances the engine's epoch.
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

/// Starts (once per process) the thread that advances the epoch every [`TICK`].
fn start_ticker(engine: &Engine) {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let engine = engine.clone();
        let spawned = std::thread::Builder::new()
            .name("apready-epoch".into())
            .spawn(move || loop {
                std::thread::sleep(TICK);
                engine.increment_epoch();
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
    deadline_ticks: u64,
    limits: Limits,
}

/// The result of `ap_evaluate` / `ap_command`: an exit code and where the output lies.
pub struct Outcome {
    pub exit_code: i32,
    range: Range<usize>,
}

impl Guest {
    pub fn new(loaded: &Loaded, limits: Limits) -> Result<Guest, Stopped> {
        start_ticker(&loaded.engine);
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
        store.epoch_deadline_trap();
        let deadline_ticks = (limits.timeout.as_millis() / TICK.as_millis()).max(1);
        let deadline_ticks = u64::try_from(deadline_ticks).unwrap_or(u64::MAX);
        store.set_epoch_deadline(deadline_ticks);
        let instance = match Instance::new(&mut store, &loaded.module, &[]) {
            Ok(i) => i,
            Err(e) => {
                let why = describe(&store, limits, &e);
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
            deadline_ticks,
            limits,
        })
    }

    /// Re-arms the deadline: it covers time spent in the guest from now on.
    fn arm(&mut self) {
        self.store.set_epoch_deadline(self.deadline_ticks);
    }

    fn stopped(&self, e: &wasmtime::Error) -> Stopped {
        Stopped(describe(&self.store, self.limits, e))
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
        self.arm();
        let ptr = self
            .alloc
            .call(&mut self.store, len)
            .map_err(|e| self.stopped(&e))?;
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
        self.arm();
        self.add_input
            .call(&mut self.store, (name_ptr, name_len, data_ptr, len))
            .map_err(|e| AddError::Engine(self.stopped(&e)))
    }

    /// `ap_evaluate(options)`: evaluates the inputs handed over and renders the report.
    pub fn evaluate(&mut self, options_json: &[u8]) -> Result<Outcome, Stopped> {
        let (p, l) = self.put(options_json)?;
        self.arm();
        let n = self
            .evaluate
            .call(&mut self.store, (p, l))
            .map_err(|e| self.stopped(&e))?;
        self.outcome(n)
    }

    /// `ap_command(request)`: rules, explain, diff, ….
    pub fn command(&mut self, request_json: &[u8]) -> Result<Outcome, Stopped> {
        let (p, l) = self.put(request_json)?;
        self.arm();
        let n = self
            .command
            .call(&mut self.store, (p, l))
            .map_err(|e| self.stopped(&e))?;
        self.outcome(n)
    }

    fn outcome(&mut self, len: u32) -> Result<Outcome, Stopped> {
        self.arm();
        let ptr = self
            .result_ptr
            .call(&mut self.store, ())
            .map_err(|e| self.stopped(&e))?;
        // An empty Vec's pointer is dangling (but non-null): only its range must be valid.
        let range = if len == 0 {
            0..0
        } else {
            self.range(ptr, len)?
        };
        let exit_code = self
            .exit_code
            .call(&mut self.store, ())
            .map_err(|e| self.stopped(&e))?;
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
fn describe(store: &Store<State>, limits: Limits, e: &wasmtime::Error) -> String {
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
        Some(Trap::Interrupt) => format!(
            "it took longer than the deadline of {} s (raise it with --timeout)",
            limits.timeout.as_secs()
        ),
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
