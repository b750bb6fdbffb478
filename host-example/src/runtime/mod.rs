//! Loading the component once and running calls in bounded stores.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use anyhow::Context as _;
use punchout_plugin::limits::{InputLimits, LimitsSection};
use punchout_plugin::Error;
use wasmtime::component::{Component, Linker, ResourceAny, ResourceTable};
use wasmtime::{Config, Engine, Store, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

mod config;
mod cxml;
mod oci;
mod orders;
mod peppol;
mod types;

mod bindings {
    wasmtime::component::bindgen!({
        world: "engine",
        path: "../wit",
    });
}

use bindings::exports::punchout::engine::config as wit_config;
pub(crate) use bindings::exports::punchout::engine::config as wit_config_types;
pub(crate) use bindings::exports::punchout::engine::cxml as wit_cxml_types;
pub(crate) use bindings::exports::punchout::engine::types as wit;

/// How calls use instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceMode {
    /// Keep one warm instance per worker; compiled profiles stay in it. Replaced after a trap.
    Reuse,
    /// A new instance for every call: no state can leak from one call to the next.
    FreshPerCall,
}

/// Budgets for each call.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Linear memory one instance may grow to.
    pub memory_limit_bytes: usize,
    /// Wall-clock budget of one call, enforced by epoch interruption.
    pub call_deadline: Duration,
    /// How often the epoch advances (the deadline's resolution).
    pub epoch_tick: Duration,
    pub instance_mode: InstanceMode,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            memory_limit_bytes: 256 << 20,
            call_deadline: Duration::from_secs(5),
            epoch_tick: Duration::from_millis(10),
            instance_mode: InstanceMode::Reuse,
        }
    }
}

/// A document over the engine's size limit is refused here, with the engine's own error, before
/// it is copied into guest memory: copying 10 MiB only to refuse it would cost the caller more
/// than the refusal budget.
pub(crate) fn refuse_oversized(check: punchout_plugin::Result<()>) -> Result<(), CallError> {
    check.map_err(CallError::Rejected)
}

/// The budgets of a profile's `limits` section, as the engine reads them; the defaults when the
/// section is absent or invalid (the engine then refuses the profile itself).
fn profile_limits(json: &str) -> InputLimits {
    #[derive(serde::Deserialize)]
    struct WithLimits {
        limits: Option<LimitsSection>,
    }
    serde_json::from_str::<WithLimits>(json)
        .ok()
        .and_then(|profile| InputLimits::from_section(profile.limits.as_ref()).ok())
        .unwrap_or_default()
}

/// Why a call did not return a value.
#[derive(Debug)]
pub enum CallError {
    /// The engine refused the input: the normal answer to bad input.
    Rejected(Error),
    /// The guest trapped (memory cap, deadline, or a bug); the instance was discarded and the
    /// next call runs on a fresh one.
    Trap(String),
    /// The host could not instantiate the component.
    Host(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Rejected(error) => write!(f, "rejected: {error}"),
            CallError::Trap(message) => write!(f, "the engine trapped: {message}"),
            CallError::Host(message) => write!(f, "host error: {message}"),
        }
    }
}

impl std::error::Error for CallError {}

struct State {
    wasi: WasiCtx,
    table: ResourceTable,
    budget: MemoryBudget,
}

/// The memory cap of one instance (wasmtime's `StoreLimits`, trapping on a refused growth),
/// remembering the largest size the guest reached.
struct MemoryBudget {
    limits: StoreLimits,
    peak_bytes: usize,
}

impl wasmtime::ResourceLimiter for MemoryBudget {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum)?;
        if allowed {
            self.peak_bytes = self.peak_bytes.max(desired);
        }
        Ok(allowed)
    }

    fn memory_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.memory_grow_failed(error)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

struct Shared {
    engine: Engine,
    pre: bindings::EnginePre<State>,
    config: RuntimeConfig,
}

/// The component, compiled and linked once; clone it into every thread.
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("config", &self.shared.config)
            .finish()
    }
}

impl Runtime {
    /// Loads a component (`.wasm`) from a file.
    ///
    /// # Errors
    /// The file cannot be read, is not a component, or does not export the engine's world.
    pub fn from_file(path: &Path, config: RuntimeConfig) -> anyhow::Result<Self> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the engine component `{}`", path.display()))?;
        Self::from_bytes(&bytes, config)
    }

    /// Loads a component from a file through a cache of compiled components
    /// ([`crate::precompiled::load_cached`]): compiled on the first run, loaded in milliseconds
    /// on later ones.
    ///
    /// # Errors
    /// As [`Runtime::from_file`].
    pub fn from_file_cached(
        path: &Path,
        cache_dir: &Path,
        config: RuntimeConfig,
    ) -> anyhow::Result<Self> {
        let engine = new_engine_for(&config)?;
        let (component, _) = crate::precompiled::load_cached(&engine, path, cache_dir)?;
        Self::from_component(engine, &component, config)
    }

    /// Loads a component from its bytes (compiling it: tens of milliseconds, never per request).
    ///
    /// # Errors
    /// As [`Runtime::from_file`].
    pub fn from_bytes(bytes: &[u8], config: RuntimeConfig) -> anyhow::Result<Self> {
        let engine = new_engine_for(&config)?;
        let component = Component::new(&engine, bytes)
            .map_err(|error| anyhow::anyhow!("not a PunchOut engine component: {error}"))?;
        Self::from_component(engine, &component, config)
    }

    /// Links an already compiled (or deserialized) component. `engine` must come from
    /// [`new_engine_for`] with the same `config`, whose settings the deadlines and the memory
    /// reservation rely on.
    ///
    /// # Errors
    /// The component does not export the engine's world or needs imports beyond WASI.
    pub fn from_component(
        engine: Engine,
        component: &Component,
        config: RuntimeConfig,
    ) -> anyhow::Result<Self> {
        let mut linker = Linker::<State>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(anyhow::Error::msg)?;
        let instance_pre = linker
            .instantiate_pre(component)
            .map_err(|error| anyhow::anyhow!("cannot link the engine component: {error}"))?;
        let pre = bindings::EnginePre::new(instance_pre)
            .map_err(|error| anyhow::anyhow!("the component is not a PunchOut engine: {error}"))?;
        let shared = Arc::new(Shared {
            engine,
            pre,
            config,
        });
        start_epoch_ticker(Arc::downgrade(&shared));
        Ok(Runtime { shared })
    }

    /// A worker for one thread's calls.
    pub fn worker(&self) -> Worker {
        Worker {
            runtime: self.clone(),
            live: None,
            generation: 0,
            cart_json: Vec::new(),
            released: Released::default(),
        }
    }

    pub fn config(&self) -> &RuntimeConfig {
        &self.shared.config
    }
}

/// Instances one engine keeps slots for in its pool: more than a process runs at once (the
/// native host core runs one at a time; a threaded host one per worker thread).
pub const POOLED_INSTANCES: u32 = 16;

/// The wasmtime engine for the default budgets ([`new_engine_for`] with
/// [`RuntimeConfig::default`]).
///
/// # Errors
/// Only if wasmtime rejects its configuration.
pub fn new_engine() -> anyhow::Result<Engine> {
    new_engine_for(&RuntimeConfig::default())
}

/// Space left unmapped after (and before) each linear memory in the [`MemoryLayout::Bounded`]
/// layout: one WebAssembly page.
const MEMORY_GUARD_BYTES: u64 = 64 << 10;

/// How an engine lays out the linear memories of its instances. The layout is part of the
/// compiled code, so a precompiled component only loads into an engine with the same layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryLayout {
    /// Each memory reserves the 4 GiB a 32-bit memory can address, plus wasmtime's guard
    /// region: compiled code leaves bounds checks to the hardware (about 30 % faster on a cart
    /// return). Needs some 6 GiB of address space per memory, about 200 GiB for the pool.
    Guarded,
    /// Each memory reserves only the memory cap plus one guard page, so the engine runs under an
    /// address-space limit (`ulimit -v`, PHP-FPM and container limits); compiled code checks
    /// bounds itself.
    Bounded,
}

/// The wasmtime engine with the settings every runtime uses: epoch interruption for deadlines,
/// the pooling allocator (instance slots are reused and their first pages stay resident, so a
/// fresh instance per call costs no page faults) with [`POOLED_INSTANCES`] slots, and the
/// [`MemoryLayout::Guarded`] layout where the address space allows it, else the
/// [`MemoryLayout::Bounded`] one; where not even the bounded pool can be reserved, instances are
/// allocated on demand (one reservation of the cap per memory).
///
/// A runtime must use an engine made for its own [`RuntimeConfig`]; precompiled components are
/// only valid for an engine with the same layout (and, bounded, the same memory cap).
///
/// # Errors
/// Only if wasmtime rejects its configuration.
pub fn new_engine_for(config: &RuntimeConfig) -> anyhow::Result<Engine> {
    new_engine_with(config, MemoryLayout::Guarded)
        .or_else(|_| new_engine_with(config, MemoryLayout::Bounded))
}

/// The engine of [`new_engine_for`] with the given layout (falling back from the pool to
/// on-demand instances only for the bounded layout).
///
/// # Errors
/// When wasmtime rejects the configuration or the pool's address space cannot be reserved.
pub fn new_engine_with(config: &RuntimeConfig, layout: MemoryLayout) -> anyhow::Result<Engine> {
    let page = 64u64 << 10;
    let cap = u64::try_from(config.memory_limit_bytes)
        .unwrap_or(u64::MAX)
        .clamp(page, 4 << 30);
    let reservation = match layout {
        // wasmtime's defaults on 64-bit hosts: the whole 32-bit space, and its guard region.
        MemoryLayout::Guarded => 4 << 30,
        MemoryLayout::Bounded => cap.div_ceil(page).saturating_mul(page),
    };
    let mut wasm_config = Config::new();
    wasm_config.epoch_interruption(true);
    if layout == MemoryLayout::Bounded {
        wasm_config
            .memory_reservation(reservation)
            .memory_guard_size(MEMORY_GUARD_BYTES)
            // The cap is reserved up front: a memory never has to move to grow within it.
            .memory_reservation_for_growth(0);
    }
    // `PUNCHOUT_PERFMAP=1` writes /tmp/perf-PID.map so that `perf report` names guest functions.
    if std::env::var_os("PUNCHOUT_PERFMAP").is_some() {
        wasm_config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    let on_demand = wasm_config.clone();
    let mut pool = wasmtime::PoolingAllocationConfig::default();
    // A component instance holds the engine's core instances, the WASI adapter's and shims.
    pool.total_component_instances(POOLED_INSTANCES)
        .total_core_instances(POOLED_INSTANCES * 8)
        .total_memories(POOLED_INSTANCES * 2)
        .total_tables(POOLED_INSTANCES * 8)
        .max_memory_size(usize::try_from(reservation).unwrap_or(usize::MAX))
        // What one cart return touches; pages beyond are returned to the kernel.
        .linear_memory_keep_resident(4 << 20)
        .table_keep_resident(64 << 10);
    // Where Linux offers `PAGEMAP_SCAN` (6.7 and later), a slot is reset by restoring only the
    // pages the last instance wrote, not the whole first `keep_resident` bytes: a fresh instance
    // costs about 30 % less.
    pool.pagemap_scan(wasmtime::Enabled::Auto);
    wasm_config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
    let pooled = Engine::new(&wasm_config);
    match layout {
        MemoryLayout::Guarded => pooled,
        MemoryLayout::Bounded => pooled.or_else(|_| Engine::new(&on_demand)),
    }
    .map_err(anyhow::Error::msg)
}

/// Advances the engine's epoch while the runtime lives, so that deadlines fire.
fn start_epoch_ticker(shared: Weak<Shared>) {
    let tick = shared
        .upgrade()
        .map(|shared| shared.config.epoch_tick)
        .unwrap_or_default();
    std::thread::spawn(move || loop {
        std::thread::sleep(tick);
        match shared.upgrade() {
            Some(shared) => shared.engine.increment_epoch(),
            None => return,
        }
    });
}

struct Live {
    store: Store<State>,
    engine: bindings::Engine,
}

static GENERATIONS: AtomicU64 = AtomicU64::new(1);

/// A buyer profile as the host keeps it: its JSON and resolved secrets, and its compiled handle
/// inside the worker's current instance (compiled again after the instance is replaced).
pub struct Profile {
    id: String,
    json: String,
    /// The profile's cart budgets, read natively so that an oversized cart is refused before
    /// it is copied into the guest.
    limits: InputLimits,
    secrets: Vec<(String, String)>,
    compiled: Option<(u64, ResourceAny)>,
    /// Where the compiled handle goes when the profile is dropped: the queue of the worker that
    /// compiled it, which drops it inside the engine at its next call.
    released: Option<Released>,
}

/// Compiled profiles the host dropped, waiting to be dropped inside their instance.
type Released = Arc<std::sync::Mutex<Vec<(u64, ResourceAny)>>>;

impl Drop for Profile {
    fn drop(&mut self) {
        if let (Some(compiled), Some(released)) = (self.compiled.take(), self.released.as_ref()) {
            released
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(compiled);
        }
    }
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Profile {
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// One thread's calls into the engine.
pub struct Worker {
    runtime: Runtime,
    live: Option<Live>,
    generation: u64,
    /// The last typed cart's JSON: one buffer reused call after call, so that a large cart costs
    /// no fresh allocation (and no page faults) each time it is written.
    cart_json: Vec<u8>,
    /// Profiles compiled here and since dropped by the host: their handles are dropped in the
    /// instance at the next call, so that a long-lived instance does not keep them.
    released: Released,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("generation", &self.generation)
            .finish()
    }
}

impl Worker {
    /// Writes a typed cart as the JSON the engine reads into the worker's reused buffer, and
    /// hands the buffer out for the call (give it back with [`Worker::keep_cart_buffer`]).
    fn typed_cart_json(
        &mut self,
        cart: &punchout_plugin::model::Cart,
    ) -> Result<Vec<u8>, CallError> {
        let mut json = std::mem::take(&mut self.cart_json);
        json.clear();
        serde_json::to_writer(&mut json, cart)
            .map_err(|error| CallError::Host(format!("cannot write the cart: {error}")))?;
        Ok(json)
    }

    fn keep_cart_buffer(&mut self, json: Vec<u8>) {
        self.cart_json = json;
    }

    fn instantiate(&self) -> Result<Live, CallError> {
        let shared = &self.runtime.shared;
        let state = State {
            wasi: WasiCtx::builder().build(),
            table: ResourceTable::new(),
            budget: MemoryBudget {
                limits: StoreLimitsBuilder::new()
                    .memory_size(shared.config.memory_limit_bytes)
                    .trap_on_grow_failure(true)
                    .build(),
                peak_bytes: 0,
            },
        };
        let mut store = Store::new(&shared.engine, state);
        store.limiter(|state| &mut state.budget);
        // Instantiation runs the guest's initialisers: give it its own budget, not a call's.
        store.set_epoch_deadline(deadline_ticks(&RuntimeConfig {
            call_deadline: shared.config.call_deadline.max(Duration::from_secs(1)),
            ..shared.config.clone()
        }));
        let engine = shared
            .pre
            .instantiate(&mut store)
            .map_err(|error| CallError::Host(format!("cannot instantiate the engine: {error}")))?;
        Ok(Live { store, engine })
    }

    /// The live instance, instantiated if there is none.
    fn live(&mut self) -> Result<&mut Live, CallError> {
        if self.live.is_none() {
            self.live = Some(self.instantiate()?);
            self.generation = GENERATIONS.fetch_add(1, Ordering::Relaxed);
        }
        let deadline = deadline_ticks(&self.runtime.shared.config);
        let generation = self.generation;
        let released = std::mem::take(
            &mut *self
                .released
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let live = self
            .live
            .as_mut()
            .ok_or_else(|| CallError::Host("no instance".into()))?;
        live.store.set_epoch_deadline(deadline);
        // Handles of an instance that has since been replaced died with it.
        for (_, handle) in released
            .into_iter()
            .filter(|(compiled_in, _)| *compiled_in == generation)
        {
            // A failure leaves the handle to the instance's end, as before.
            let _ = handle.resource_drop(&mut live.store);
        }
        Ok(live)
    }

    /// Ends a call: a trapped instance is dropped; with fresh instances every instance is.
    fn settle<T>(
        &mut self,
        outcome: wasmtime::Result<Result<T, CallError>>,
    ) -> Result<T, CallError> {
        let fresh = self.runtime.shared.config.instance_mode == InstanceMode::FreshPerCall;
        match outcome {
            Ok(result) => {
                if fresh {
                    self.live = None;
                }
                result
            }
            Err(trap) => {
                self.live = None;
                Err(CallError::Trap(describe_trap(&trap)))
            }
        }
    }

    /// The handles of several profiles in this instance, for the functions that choose among
    /// them (`identify`).
    fn profile_handles(
        &mut self,
        profiles: &mut [&mut Profile],
    ) -> Result<Vec<ResourceAny>, CallError> {
        profiles
            .iter_mut()
            .map(|profile| self.profile_handle(profile))
            .collect()
    }

    /// The profile's handle in the current instance, compiling it there if needed.
    fn profile_handle(&mut self, profile: &mut Profile) -> Result<ResourceAny, CallError> {
        self.live()?;
        if let Some((generation, handle)) = profile.compiled {
            if generation == self.generation {
                return Ok(handle);
            }
        }
        let live = self.live()?;
        let secrets = profile
            .secrets
            .iter()
            .map(|(name, value)| wit_config::ResolvedSecret {
                name: name.clone(),
                value: value.clone(),
            })
            .collect::<Vec<_>>();
        let outcome = live
            .engine
            .punchout_engine_config()
            .buyer_profile()
            .call_compile(&mut live.store, &profile.json, &secrets)
            .map(|result| {
                result.map_err(|error| CallError::Rejected(types::error_from_wit(error)))
            });
        let generation = self.generation;
        let fresh = self.runtime.shared.config.instance_mode == InstanceMode::FreshPerCall;
        let handle = match outcome {
            Ok(result) => result,
            Err(trap) => {
                self.live = None;
                return Err(CallError::Trap(describe_trap(&trap)));
            }
        };
        if handle.is_err() && fresh {
            self.live = None;
        }
        let handle = handle?;
        profile.compiled = Some((generation, handle));
        profile.released = Some(Arc::clone(&self.released));
        Ok(handle)
    }

    /// The largest linear memory the live instance has grown to (zero when there is none).
    pub fn guest_memory_peak_bytes(&self) -> usize {
        self.live
            .as_ref()
            .map_or(0, |live| live.store.data().budget.peak_bytes)
    }
}

/// What made the guest trap: the trap code (`interrupt` for a deadline) or the root cause (a
/// refused memory growth).
fn describe_trap(error: &wasmtime::Error) -> String {
    match error.downcast_ref::<wasmtime::Trap>() {
        Some(wasmtime::Trap::Interrupt) => "interrupt: the call exceeded its deadline".to_owned(),
        Some(trap) => trap.to_string(),
        None => error.root_cause().to_string(),
    }
}

fn deadline_ticks(config: &RuntimeConfig) -> u64 {
    let tick = config.epoch_tick.as_nanos().max(1);
    u64::try_from(config.call_deadline.as_nanos() / tick)
        .unwrap_or(u64::MAX)
        .max(1)
}
