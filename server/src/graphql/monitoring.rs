//! Monitoring over GraphQL: an application's health verdict, its probe history and its
//! resource history (fields of `Application`, resolved here), and live subscriptions to
//! health changes and container samples.
//!
//! Who may watch what: everything here needs a viewer, the access table's rule for queries
//! and subscriptions. `containerStats` narrows it for containers Ployer does not manage:
//! a viewer may follow the containers of Ployer's applications, any other container on the
//! engine needs an admin — to everyone else it does not exist (NOT_FOUND), so ids of
//! foreign containers cannot be probed.

use std::pin::Pin;

use super::page::{self, Page};
use async_graphql::{connection::Connection, Context, Enum, Object, SimpleObject, Subscription, ID};
use chrono::{DateTime, Utc};
use entities::health_check_results;
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::{principal, state};
use crate::{
    auth::Role,
    error::AppError,
    services,
    workers::{
        health::{self as health_monitor, HealthStatus, HealthView},
        stats::{self as stats_monitor, Resolution, Retention, Sample},
    },
};

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
    container_id: ID,
    application_id: Option<ID>,
    /// Percent of one core: 200 is two cores busy.
    cpu_percent: f64,
    /// Without the page cache the kernel can reclaim, as `docker stats` shows it.
    memory_used_bytes: i64,
    /// The container's memory limit, or the host's memory without one.
    memory_limit_bytes: i64,
    /// Counters since the container started.
    network_rx_bytes: i64,
    network_tx_bytes: i64,
    block_read_bytes: i64,
    block_write_bytes: i64,
    /// When it was taken; for averages, the start of the five minutes.
    sampled_at: DateTime<Utc>,
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
    resolution: StatsResolutionGql,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    /// Oldest first; one series per container (an application has several across deployments).
    samples: Vec<StatsSample>,
}

/// `Application.health`.
pub(crate) async fn health(ctx: &Context<'_>, app_id: &str) -> async_graphql::Result<ApplicationHealth> {
    Ok(ApplicationHealth(health_monitor::view(&state(ctx)?.db, app_id).await?))
}

/// `Application.healthResults`: newest first, `first` (1-100, default 20) after `after`.
pub(crate) async fn health_results(
    ctx: &Context<'_>,
    app_id: &str,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Connection<String, HealthCheckResult>> {
    let page = Page::new(first, after, page::LIST)?;
    let before = page.after_number()?;
    let (rows, more) = health_monitor::results(&state(ctx)?.db, app_id, before, page.limit).await?;
    Ok(page.connection(
        more,
        rows.into_iter().map(|row| (row.id.to_string(), HealthCheckResult(row))),
    ))
}

/// `Application.stats`: `to` defaults to now, `from` to an hour before `to`.
pub(crate) async fn stats(
    ctx: &Context<'_>,
    app_id: &str,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> async_graphql::Result<StatsSeries> {
    let state = state(ctx)?;
    let now = Utc::now();
    let to = to.unwrap_or(now);
    let from = from.unwrap_or(to - chrono::Duration::hours(1));
    if from >= to {
        return Err(AppError::bad_input("from", "must be before `to`").into());
    }
    let retention = Retention::from_config(&state.config);
    let (resolution, samples) = stats_monitor::series(&state.db, app_id, from, to, now, retention).await?;
    Ok(StatsSeries {
        resolution: match resolution {
            Resolution::Raw => StatsResolutionGql::Raw,
            Resolution::FiveMinutes => StatsResolutionGql::FiveMinutes,
        },
        from,
        to,
        samples: samples.iter().map(StatsSample::from).collect(),
    })
}

/// A container id or name as Docker accepts them; anything else never reaches the engine.
fn parse_container_id(raw: &str) -> Result<&str, AppError> {
    let ok = (1..=128).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && raw.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(raw)
    } else {
        Err(AppError::bad_input(
            "containerId",
            "must be a container id or name (letters, digits, '_', '.', '-')",
        ))
    }
}

type SampleStream = Pin<Box<dyn Stream<Item = StatsSample> + Send>>;

#[derive(Default)]
pub struct MonitoringSubscription;

#[Subscription]
impl MonitoringSubscription {
    /// The application's health now, then every change of its status, failure count or
    /// restarts.
    async fn application_health(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = ApplicationHealth>> {
        let state = state(ctx)?.clone();
        let app = services::applications::get(&state.db, &application_id).await?;
        // Subscribed before reading: a change in between is not lost.
        let mut events = state.events.health();
        let current = health_monitor::view(&state.db, &app.id).await?;
        Ok(async_stream::stream! {
            yield ApplicationHealth(current);
            loop {
                match events.recv().await {
                    Ok(view) if view.app_id == app.id => yield ApplicationHealth(view),
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }

    /// Live samples of the application's running containers, one per container every
    /// `stats_interval_seconds`.
    async fn application_stats(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = StatsSample>> {
        let state = state(ctx)?.clone();
        let app = services::applications::get(&state.db, &application_id).await?;
        let mut events = state.events.stats();
        Ok(async_stream::stream! {
            loop {
                match events.recv().await {
                    Ok(sample) if sample.application_id.as_deref() == Some(app.id.as_str()) => {
                        yield StatsSample::from(sample.as_ref());
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }

    /// Live samples of one container (id, id prefix or name) every `stats_interval_seconds`.
    /// Containers of Ployer's applications: viewers; any other container: admins only.
    async fn container_stats(&self, ctx: &Context<'_>, container_id: ID) -> async_graphql::Result<SampleStream> {
        let is_admin = principal(ctx)?.role >= Role::Admin;
        let wanted = parse_container_id(&container_id)?;
        let samples = services::container_stats::follow(state(ctx)?, wanted, is_admin).await?;
        Ok(samples.map(|sample| StatsSample::from(sample.as_ref())).boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_ids_are_checked_before_they_reach_the_engine() {
        assert!(parse_container_id("3f2a9c").is_ok());
        assert!(parse_container_id("ployer-app-1234abcd").is_ok());
        for bad in [
            "",
            "../containers/x",
            "a/b",
            "-rm",
            ".hidden",
            "a b",
            "x;id",
            &"a".repeat(129),
        ] {
            assert!(parse_container_id(bad).is_err(), "{bad:?}");
        }
    }
}
