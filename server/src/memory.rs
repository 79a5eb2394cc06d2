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
//! The one `unsafe` block of the library is here: a call into the C library that takes no
//! pointers and that glibc serializes with every other allocator call.

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
