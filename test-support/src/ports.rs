//! Loopback ports for servers that a test starts (and that bind them) later.

use std::{
    collections::{hash_map::RandomState, BTreeSet},
    hash::{BuildHasher, Hasher},
    net::TcpListener,
    sync::Mutex,
};

/// A loopback TCP port that nothing listened on a moment ago, for a server to bind later.
/// Drawn below the kernel's ephemeral range (32768+), where no `bind(0)` or outgoing
/// connection can take it meanwhile, and never handed out twice by this process (so the ports
/// one test asks for are distinct, and no two tests share one).
pub fn free_port() -> u16 {
    static HANDED_OUT: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    loop {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(0);
        let port = (hasher.finish() % 12_000) as u16 + 20_000;
        let free = TcpListener::bind(("127.0.0.1", port)).is_ok();
        if free && HANDED_OUT.lock().unwrap_or_else(|p| p.into_inner()).insert(port) {
            return port;
        }
    }
}
