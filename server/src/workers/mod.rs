//! The background workers, started with the server (the deployment queue's worker lives with
//! the deployments, in [`crate::deploy`]):
//!
//! - `reconcile`: compares what the database says should run and be routed with what Docker
//!   and Caddy have, and repairs the difference;
//! - `health`: probes every running application that has a health check at its own
//!   interval, records each result, keeps the verdict on the `health_checks` row, restarts
//!   a container that stays unhealthy (with backoff, and a bound after which it gives up);
//! - `stats`: samples the resource use of every container Ployer manages, stores it, and
//!   keeps the history bounded (raw for a day, 5-minute averages for a week).
//!
//! The monitors share nothing but the database and this hub, which carries their live output
//! to subscribers. No worker may ever stop on an error: Docker or the database failing is
//! logged and tried again on the next round, so each recovers by itself.

pub mod health;
pub mod reconcile;
pub mod stats;

use std::sync::Arc;

use tokio::{sync::broadcast, task::JoinHandle};

use crate::state::AppState;

/// Live events of the monitor, for subscriptions. Cheap to clone.
#[derive(Clone)]
pub struct Monitor {
    inner: Arc<Hub>,
}

struct Hub {
    health: broadcast::Sender<health::HealthView>,
    stats: broadcast::Sender<Arc<stats::Sample>>,
}

impl Default for Monitor {
    fn default() -> Self {
        Self::new()
    }
}

impl Monitor {
    pub fn new() -> Self {
        Self {
            inner: Arc::new(Hub {
                health: broadcast::channel(256).0,
                stats: broadcast::channel(512).0,
            }),
        }
    }

    /// Every change of an application's health verdict (status, failures, restarts).
    pub fn health_events(&self) -> broadcast::Receiver<health::HealthView> {
        self.inner.health.subscribe()
    }

    /// Every resource sample of every managed container, as it is taken.
    pub fn stats_events(&self) -> broadcast::Receiver<Arc<stats::Sample>> {
        self.inner.stats.subscribe()
    }

    pub(crate) fn publish_health(&self, view: health::HealthView) {
        let _ = self.inner.health.send(view);
    }

    pub(crate) fn publish_stats(&self, sample: Arc<stats::Sample>) {
        let _ = self.inner.stats.send(sample);
    }
}

/// The running monitor tasks.
pub struct Tasks(Vec<JoinHandle<()>>);

impl Tasks {
    pub fn abort(&self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Starts the health monitor and the stats collector.
pub fn spawn(state: &AppState) -> Tasks {
    let health = health::HealthMonitor::new(state);
    let stats = stats::Collector::new(state);
    Tasks(vec![tokio::spawn(health.run()), tokio::spawn(stats.run())])
}
