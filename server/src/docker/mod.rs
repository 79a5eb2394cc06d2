//! The Docker engine, through bollard only (never a shell). For now Ployer needs a client
//! handle and a liveness answer; deployments build on this module.

use bollard::{Docker, API_DEFAULT_VERSION};

const REQUEST_TIMEOUT_SECONDS: u64 = 120;

/// A client for the configured socket. Connecting is lazy: a missing engine shows up as
/// "unreachable" in answers, never as a failed start.
pub fn connect(socket: &str) -> Option<Docker> {
    let path = socket.strip_prefix("unix://").unwrap_or(socket);
    match Docker::connect_with_unix(path, REQUEST_TIMEOUT_SECONDS, API_DEFAULT_VERSION) {
        Ok(docker) => Some(docker),
        Err(err) => {
            tracing::warn!(error = %err, socket, "cannot create a Docker client");
            None
        }
    }
}
