//! Caddy, configured only through its admin API.
//!
//! Why this module exists: Caddy is what puts an application on its host name. Ployer owns one
//! HTTP server inside Caddy's config (`apps.http.servers.ployer`) holding one route per
//! application, tagged `"@id": "ployer-app-<app id>"`, and with `proxy_https_listen` an HTTPS
//! server (`ployer-tls`) holding the same routes (`ployer-tls-<app id>`, wildcard names left
//! out), whose certificates Caddy obtains and renews itself. A route's upstream is a file Caddy reads
//! on every request ([`UpstreamFiles`]), so a deploy's cutover rewrites that file and leaves
//! Caddy's config as it is. [`Caddy`] is the admin-API client; [`CaddySupervisor`] runs Caddy as
//! a child process when none is running.
//!
//! What it must never do:
//! - build config JSON from strings: everything sent is serialized from the serde types in
//!   `config.rs`, and host names only ever travel as JSON values;
//! - touch anything in Caddy's config but its own servers (other servers and apps survive a sync);
//! - replace Caddy's whole config (`/load`, `POST /config/` on a non-empty config);
//! - treat Caddy as the source of truth: routes live only in Caddy's memory, the database is the
//!   truth and the reconciler pushes it again (after a Caddy restart, for one);
//! - start a Caddy whose admin API (unauthenticated by design) listens anywhere but loopback.

mod caddy;
mod config;
mod supervisor;
#[cfg(test)]
mod tests;
mod upstreams;

pub use caddy::Caddy;
pub use supervisor::CaddySupervisor;
pub use upstreams::UpstreamFiles;

use crate::error::AppError;

/// One application's route: requests whose Host is one of `hostnames` go to `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRoute {
    pub app_id: String,
    pub hostnames: Vec<String>,
    pub target: Target,
}

/// Where a route's requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Proxied to a container's published port (named by the route's upstream file).
    Upstream(std::net::SocketAddr),
    /// Served by Caddy from a directory of files: a static site, no container.
    Files(StaticSite),
    /// Load-balanced over the tasks of a clustered application: `slots` upstreams in the
    /// route, each reading a file of its own that names one of `upstreams` (slot `k` names
    /// `upstreams[k % len]`). The number of slots changes only with the replicas, so tasks
    /// coming and going rewrite files and never Caddy's config.
    Pool {
        slots: u16,
        upstreams: Vec<std::net::SocketAddr>,
    },
}

impl Target {
    /// The address each slot of a pool names, in slot order; empty when there is none to name.
    pub fn slot_addresses(slots: u16, upstreams: &[std::net::SocketAddr]) -> Vec<std::net::SocketAddr> {
        if upstreams.is_empty() {
            return Vec::new();
        }
        (0..usize::from(slots))
            .map(|k| upstreams[k % upstreams.len()])
            .collect()
    }
}

/// A static site as Caddy serves it: the files under `root` (a symbolic link Ployer swaps
/// to the deployment serving, so that a deploy changes no config), precompressed `.br` and
/// `.gz` siblings when the client takes them, revalidated caching, and with `spa_fallback`
/// `index.html` for paths with no file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticSite {
    pub root: std::path::PathBuf,
    pub spa_fallback: bool,
}

impl AppRoute {
    /// Whether the route dials upstream files (a container or a pool of tasks), not files on
    /// disk.
    pub fn is_proxied(&self) -> bool {
        !matches!(self.target, Target::Files(_))
    }

    /// The upstream of a proxied route.
    pub fn upstream(&self) -> Option<std::net::SocketAddr> {
        match &self.target {
            Target::Upstream(addr) => Some(*addr),
            Target::Files(_) | Target::Pool { .. } => None,
        }
    }
}

/// What can go wrong talking to Caddy's admin API.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// No answer: Caddy is down, restarting, or the admin URL is wrong.
    #[error("the Caddy admin API does not answer: {0}")]
    Unreachable(String),
    /// Caddy answered with an error status (for example 404 for an unknown route `@id`).
    #[error("the Caddy admin API refused the request ({status}): {body}")]
    Rejected { status: u16, body: String },
    /// The request could not be built (bad app id, no host names) or Caddy's answer not understood.
    #[error("invalid Caddy configuration: {0}")]
    Invalid(String),
    /// An upstream file could not be read or written.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl From<ProxyError> for AppError {
    fn from(err: ProxyError) -> Self {
        match err {
            ProxyError::Unreachable(cause) => {
                AppError::Unavailable(format!("the Caddy admin API does not answer: {cause}"))
            }
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}
