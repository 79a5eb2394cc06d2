//! `Server` and its host figures.

use crate::graphql::state;
use crate::system::HostStats;
use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::servers;

pub struct Server(pub servers::Model);

#[Object]
impl Server {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn host(&self) -> &str {
        &self.0.host
    }
    async fn port(&self) -> i32 {
        self.0.port
    }
    async fn username(&self) -> &str {
        &self.0.username
    }
    /// The machine Ployer itself runs on.
    async fn is_local(&self) -> bool {
        self.0.is_local
    }
    /// `unknown`, `reachable`, `unreachable` (a validation failed) or `offline` (a server that
    /// had answered failed a periodic check), as of `lastCheckedAt`.
    async fn status(&self) -> &str {
        self.0.status.as_str()
    }
    async fn last_checked_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_checked_at
    }
    /// The Docker engine's socket on the server, reached through the SSH connection.
    async fn docker_socket(&self) -> &str {
        &self.0.docker_socket
    }
    /// The public half of Ployer's key for this server, for its `authorized_keys`.
    async fn public_key(&self) -> Option<&str> {
        self.0.public_key.as_deref()
    }
    /// The host key recorded at the first successful validation (`SHA256:…`); every
    /// connection after must present it.
    async fn host_key_fingerprint(&self) -> Option<&str> {
        self.0.host_key_fingerprint.as_deref()
    }
    /// The Docker engine's version at the last successful validation.
    async fn docker_version(&self) -> Option<&str> {
        self.0.docker_version.as_deref()
    }
    async fn cpus(&self) -> Option<i32> {
        self.0.cpus
    }
    async fn memory_bytes(&self) -> Option<i64> {
        self.0.memory_bytes
    }
    /// The size of the file system holding the engine's data.
    async fn disk_total_bytes(&self) -> Option<i64> {
        self.0.disk_total_bytes
    }
    async fn disk_free_bytes(&self) -> Option<i64> {
        self.0.disk_free_bytes
    }
    /// Why the last validation failed; null after a successful one.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Live figures; null for remote servers until Ployer runs agents there.
    async fn resources(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ServerStats>> {
        if !self.0.is_local {
            return Ok(None);
        }
        let stats = state(ctx)?.host.sample().await;
        Ok(Some(ServerStats::new(&self.0.id, stats)))
    }
}

#[derive(SimpleObject)]
pub struct ServerStats {
    pub(crate) server_id: ID,
    /// Busy share of all cores, 0-100.
    pub(crate) cpu_percent: f64,
    pub(crate) cpu_count: u32,
    pub(crate) load_average1: f64,
    pub(crate) load_average5: f64,
    pub(crate) load_average15: f64,
    pub(crate) memory_used_bytes: u64,
    pub(crate) memory_total_bytes: u64,
    /// The file system holding Ployer's data dir.
    pub(crate) disk_used_bytes: u64,
    pub(crate) disk_total_bytes: u64,
    pub(crate) uptime_seconds: u64,
    pub(crate) docker_reachable: bool,
    pub(crate) docker_version: Option<String>,
    pub(crate) sampled_at: DateTime<Utc>,
}

impl ServerStats {
    pub(crate) fn new(server_id: &str, s: HostStats) -> Self {
        Self {
            server_id: ID(server_id.to_string()),
            cpu_percent: s.cpu_percent,
            cpu_count: u32::try_from(s.cpu_count).unwrap_or(u32::MAX),
            load_average1: s.load_average[0],
            load_average5: s.load_average[1],
            load_average15: s.load_average[2],
            memory_used_bytes: s.memory_used_bytes,
            memory_total_bytes: s.memory_total_bytes,
            disk_used_bytes: s.disk_used_bytes,
            disk_total_bytes: s.disk_total_bytes,
            uptime_seconds: s.uptime_seconds,
            docker_reachable: s.docker_reachable,
            docker_version: s.docker_version,
            sampled_at: s.sampled_at,
        }
    }
}
