//! Health verdicts, probe results and resource samples.

use crate::workers::{
    health::{HealthStatus, HealthView},
    stats::Sample,
};
use async_graphql::{Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::health_check_results;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "HealthStatus", remote = "HealthStatus")]
pub enum HealthStatusGql {
    /// No verdict yet: not running, just deployed, or within its start period.
    Unknown,
    Healthy,
    Unhealthy,
    /// Unhealthy, and the monitor stopped restarting it: the restart bound was reached.
    GaveUp,
}

/// An application's health as the monitor judges it.
pub struct ApplicationHealth(pub HealthView);

#[Object]
impl ApplicationHealth {
    async fn application_id(&self) -> ID {
        ID(self.0.app_id.clone())
    }
    async fn status(&self) -> HealthStatusGql {
        self.0.status.into()
    }
    /// Failed probes in a row (not counting those in the start period).
    async fn consecutive_failures(&self) -> i32 {
        self.0.consecutive_failures
    }
    /// Restarts by the monitor within the restart window; 0 after a new deployment.
    async fn restart_count(&self) -> i32 {
        self.0.restart_count
    }
    async fn last_checked_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_checked_at
    }
    async fn last_restart_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_restart_at
    }
    /// Why it is not healthy: the last failure, and that the monitor gave up, when it did.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
}

/// One probe of an application.
pub struct HealthCheckResult(pub health_check_results::Model);

#[Object]
impl HealthCheckResult {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn healthy(&self) -> bool {
        self.0.status == HealthStatus::Healthy
    }
    /// The HTTP status, for HTTP checks that got an answer.
    async fn status_code(&self) -> Option<i32> {
        self.0.status_code
    }
    async fn response_time_ms(&self) -> Option<i32> {
        self.0.response_time_ms
    }
    /// What went wrong, for failed probes.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// The deployment probed.
    async fn deployment_id(&self) -> Option<ID> {
        self.0.deployment_id.clone().map(ID)
    }
    async fn checked_at(&self) -> DateTime<Utc> {
        self.0.checked_at
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "StatsResolution")]
pub enum StatsResolutionGql {
    /// Samples as taken, every `stats_interval_seconds`.
    Raw,
    /// Five-minute averages (counters as at the end of each five minutes).
    FiveMinutes,
}

/// A container's resource use at one moment, or averaged over five minutes.
#[derive(SimpleObject)]
pub struct StatsSample {
    pub(crate) container_id: ID,
    pub(crate) application_id: Option<ID>,
    /// Percent of one core: 200 is two cores busy.
    pub(crate) cpu_percent: f64,
    /// Without the page cache the kernel can reclaim, as `docker stats` shows it.
    pub(crate) memory_used_bytes: i64,
    /// The container's memory limit, or the host's memory without one.
    pub(crate) memory_limit_bytes: i64,
    /// Counters since the container started.
    pub(crate) network_rx_bytes: i64,
    pub(crate) network_tx_bytes: i64,
    pub(crate) block_read_bytes: i64,
    pub(crate) block_write_bytes: i64,
    /// When it was taken; for averages, the start of the five minutes.
    pub(crate) sampled_at: DateTime<Utc>,
}

impl From<&Sample> for StatsSample {
    fn from(s: &Sample) -> Self {
        Self {
            container_id: ID(s.container_id.clone()),
            application_id: s.application_id.clone().map(ID),
            cpu_percent: s.cpu_percent,
            memory_used_bytes: s.memory_used_bytes,
            memory_limit_bytes: s.memory_limit_bytes,
            network_rx_bytes: s.network_rx_bytes,
            network_tx_bytes: s.network_tx_bytes,
            block_read_bytes: s.block_read_bytes,
            block_write_bytes: s.block_write_bytes,
            sampled_at: s.sampled_at,
        }
    }
}

/// An application's resource history over a time range.
#[derive(SimpleObject)]
pub struct StatsSeries {
    /// RAW when the range starts within the last day (raw samples are kept that long),
    /// FIVE_MINUTES beyond.
    pub(crate) resolution: StatsResolutionGql,
    pub(crate) from: DateTime<Utc>,
    pub(crate) to: DateTime<Utc>,
    /// Oldest first; one series per container (an application has several across deployments).
    pub(crate) samples: Vec<StatsSample>,
}
