//! The background workers, started with the server (the deployment queue's worker lives with
//! the deployments, in [`crate::deploy`]):
//!
//! - `reconcile`: compares what the database says should run and be routed with what Docker
//!   and Caddy have, and repairs the difference;
//! - `health`: probes every running application that has a health check at its own
//!   interval, records each result, keeps the verdict on the `health_checks` row, restarts
//!   a container that stays unhealthy (with backoff, and a bound after which it gives up);
//! - `stats`: samples the resource use of every container Ployer manages, stores it, and
//!   keeps the history bounded (raw for a day, 5-minute averages for a week);
//! - scheduled backups of Ployer itself, when `backup_interval_seconds` is set
//!   ([`crate::backup::run_schedule`]).
//!
//! The monitors share nothing but the database and the event hub ([`crate::events`]), which
//! carries their live output to subscribers. No worker may ever stop on an error: Docker or the database failing is
//! logged and tried again on the next round, so each recovers by itself.

pub mod health;
pub mod reconcile;
pub mod servers;
pub mod stats;

use tokio::task::JoinHandle;

use crate::state::AppState;

/// The running monitor tasks.
pub struct Tasks(Vec<JoinHandle<()>>);

impl Tasks {
    pub fn abort(&self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Starts the health monitor, the stats collector and the backup schedule.
pub fn spawn(state: &AppState) -> Tasks {
    let health = health::HealthMonitor::new(
        state.db.clone(),
        state.docker.clone(),
        state.deployer.inner().places.clone(),
        state.config.clone(),
        state.events.clone(),
        state.deployer.holds(),
        state.metrics.clone(),
    );
    let stats = stats::Collector::new(
        state.db.clone(),
        state.docker.clone(),
        state.config.clone(),
        state.events.clone(),
        state.metrics.clone(),
    )
    .with_places(state.deployer.inner().places.clone());
    let mut tasks = vec![tokio::spawn(health.run()), tokio::spawn(stats.run())];
    if state.config.server_check_interval_seconds > 0 {
        tasks.push(tokio::spawn(servers::run(
            state.db.clone(),
            state.crypto.clone(),
            state.remotes.clone(),
            state.config.server_check_interval_seconds,
            state.events.clone(),
        )));
    }
    if state.config.backup_interval_seconds > 0 {
        tasks.push(tokio::spawn(crate::backup::run_schedule(
            state.db.clone(),
            state.config.clone(),
        )));
    }
    Tasks(tasks)
}
