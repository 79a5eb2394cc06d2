//! Gives the system back memory the allocator keeps after Ployer freed it.
//!
//! glibc's malloc returns freed memory to the kernel only from the top of each arena, and every
//! thread that allocated (tokio workers, each SQLite connection's thread, blocking tasks) has
//! an arena of its own. After a burst — a build printing 100,000 lines, a page of logs, a
//! connection pool that grew and shrank — the freed pages stay resident below live ones, and
//! the process would sit at its peak for as long as it runs. `malloc_trim(0)` walks every
//! arena and releases free pages wherever they are. It is called at quiet points: when a
//! deployment ends and from the periodic maintenance task. It never frees live data.
//!
//! Two settings, made once before any thread starts ([`tune_allocator`]), keep the heap from
//! holding on to a burst in the first place: large buffers (the SQL of a batch of log lines, a
//! page of them, read buffers) are mapped on their own and unmapped when freed, instead of
//! glibc raising its mapping threshold after the first such free and carving them out of an
//! arena from then on; and two arenas instead of eight per core, so fewer half-used heaps.
//! What they save is in the README ("Measure it", `scripts/bench-deploy.sh` part d).
//!
//! The `unsafe` blocks of the library are here: calls into the C library that take no pointers
//! and that glibc serializes with every other allocator call.

/// Allocations of at least this size get a mapping of their own, returned when freed.
const MMAP_THRESHOLD_BYTES: i32 = 64 * 1024;
/// Heaps glibc may create for threads that allocate at once (the main one included).
const ARENA_MAX: i32 = 2;

/// Sets the allocator up as the module docs say. Call it first thing in `main`: the arena limit
/// only holds for arenas created afterwards. Malloc settings in the environment
/// (`GLIBC_TUNABLES=glibc.malloc.…`, `MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`) win.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn tune_allocator() {
    let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
    let chosen_by_environment = tunables.contains("glibc.malloc.")
        || ["MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_"]
            .iter()
            .any(|name| std::env::var_os(name).is_some());
    if chosen_by_environment {
        // Logging is not set up yet this early.
        eprintln!("ployer: malloc settings come from the environment; not tuning the allocator");
        return;
    }
    // SAFETY: mallopt takes two integers and no pointers; glibc serializes it with allocations.
    let set = unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
            && libc::mallopt(libc::M_ARENA_MAX, ARENA_MAX) == 1
    };
    if !set {
        eprintln!("ployer: glibc refused a malloc setting; memory may stay high after bursts");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune_allocator() {}

/// Returns free heap pages to the system; true when glibc released any. Elsewhere than on
/// glibc it does nothing: other allocators return memory themselves or have no such call.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn release_free_heap() -> bool {
    // SAFETY: malloc_trim takes a size and no pointers, and has no caller-side invariant.
    unsafe { libc::malloc_trim(0) == 1 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_free_heap() -> bool {
    false
}

/// [`release_free_heap`] on a blocking thread: the walk locks each arena in turn and can take
/// a few milliseconds on a fragmented heap, which a runtime worker should not spend.
pub async fn release_free_heap_in_background() {
    let released = tokio::task::spawn_blocking(release_free_heap).await.unwrap_or(false);
    tracing::debug!(released, "returned free heap pages to the system");
}

/// This process's resident memory in KiB (`VmRSS` of /proc/self/status); `None` where there
/// is no /proc.
pub fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
