//! `memory::tune_allocator` against the real allocator, in a test binary of its own (the
//! resident size it checks would be blurred by tests allocating in parallel threads).

use ployer_server::memory::{resident_kib, tune_allocator};

fn rss_kib() -> u64 {
    resident_kib().expect("VmRSS from /proc/self/status")
}

/// Untuned, glibc raises its mapping threshold to the size of the first mapped buffer that is
/// freed, and later buffers up to that size come from an arena, where those below live data
/// stay resident after they are freed. Tuned, each such buffer is unmapped when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn large_buffers_freed_between_live_allocations_leave_the_process_at_once() {
    tune_allocator();
    drop(std::hint::black_box(vec![1u8; 4 << 20]));
    let before = rss_kib();
    let mut buffers = Vec::new();
    let mut live = Vec::new();
    for _ in 0..64 {
        buffers.push(std::hint::black_box(vec![1u8; 256 * 1024]));
        live.push(std::hint::black_box(Box::new([1u8; 256])));
    }
    let peak = rss_kib();
    drop(buffers);
    let freed = rss_kib();
    assert!(
        peak >= before + 12 * 1024,
        "the buffers were resident: {before} -> {peak} KiB"
    );
    assert!(
        freed < before + 4 * 1024,
        "RSS {before} KiB before, {peak} KiB with 16 MiB of buffers, {freed} KiB once they were freed"
    );
    assert_eq!(live.len(), 64, "live data stays");
}
