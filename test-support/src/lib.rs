//! What Ployer's tests share, in one copy: free loopback ports, server processes killed when
//! the test ends, a `git daemon` and a served repository, a loopback `sshd`, Caddy's ports and
//! requests through it, and the Docker CLI with a guard that removes what a test left.
//!
//! Used by the server's unit tests (`server/src/**/tests.rs`), its integration tests
//! (`server/tests/`) and the end-to-end tests (`tests/`). It must never depend on
//! `ployer-server` (the server's unit tests would build it twice over): helpers that need the
//! server's types live in `tests/src/lib.rs` or `server/src/test_support.rs`. Nothing here skips
//! a test: a missing program or service fails it, saying what is missing and how to get it.

pub mod caddy;
pub mod docker;
pub mod git;
pub mod ports;
pub mod process;
pub mod sshd;

pub use ports::free_port;
