//! `memory::release_free_heap` against the real allocator, in a test binary of its own: the
//! resident size it checks would be blurred by tests allocating in parallel threads.

use ployer_server::memory::{release_free_heap, resident_kib};

fn rss_kib() -> u64 {
    resident_kib().expect("VmRSS from /proc/self/status")
}

/// Frees a burst of small allocations the way a long build log does, with a few kept alive
/// among them so the freed pages lie below live ones (glibc keeps those without a release).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn freed_pages_below_live_allocations_leave_the_process_after_a_release() {
    let mut lines: Vec<String> = (0..200_000).map(|i| format!("line {i} of a loud build step")).collect();
    let kept: Vec<String> = lines.iter().step_by(64).cloned().collect();
    let peak = rss_kib();
    lines.clear();
    lines.shrink_to_fit();
    let freed = rss_kib();
    assert!(release_free_heap(), "glibc released nothing");
    let released = rss_kib();
    assert!(
        released + 4 * 1024 < freed,
        "RSS {peak} KiB at the peak, {freed} KiB once freed, {released} KiB after the release"
    );
    assert_eq!(kept.len(), 200_000usize.div_ceil(64), "live data stays");
}
