//! The health monitor: one task that probes every running application with a health check
//! at its own interval, through the container's published loopback port (the same probe as
//! the deployment gate), and acts on the results.
//!
//! Per application it records every result, counts consecutive failures and keeps the
//! verdict on the `health_checks` row: `unknown` until the first verdict, `healthy` after
//! `healthy_threshold` successes, `unhealthy` after `unhealthy_threshold` failures. Failures
//! within `start_period_seconds` of a (re)start are recorded but not counted. An unhealthy
//! container is restarted when `auto_restart` is on; each further restart waits twice as
//! long as the one before (`health_restart_backoff_seconds`, doubling), and after
//! `health_max_restarts` restarts within `health_restart_window_seconds` the monitor stops
//! restarting and says so: status `gave_up`. The count starts again when the window has
//! passed since the last restart or a new deployment becomes active; `gave_up` turns back
//! into a verdict when the application answers again.
//!
//! All state changes happen in the one loop, in order; probes and restarts run as tasks
//! that report back to it, so a slow probe never delays another application's. It must
//! never stop: a failing database or Docker is logged and the next round tries again.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use bollard::Docker;
use chrono::{DateTime, Utc};
use entities::{applications, deployments, health_check_results, health_checks};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use tokio::sync::{broadcast, mpsc};

use crate::{
    config::Config,
    deploy::health::{self as probes, Probe, ProbeResult},
    error::{AppError, AppResult},
    events::{DeploymentEvent, Events},
};

/// How often the loop looks for due probes.
const TICK: Duration = Duration::from_secs(1);
/// How often the list of monitored applications is read again (and at once after any
/// deployment changes).
const REFRESH: Duration = Duration::from_secs(5);
/// How long a container being restarted gets to stop before it is killed.
const RESTART_GRACE_SECONDS: i32 = 10;
/// Error texts stored with a result are cut to this many bytes.
const MAX_ERROR_LEN: usize = 500;

/// The verdict on an application, as stored in `health_checks.status`.
pub use entities::health_checks::HealthStatus;

/// An application's health as clients see it.
#[derive(Debug, Clone)]
pub struct HealthView {
    pub app_id: String,
    pub status: HealthStatus,
    pub consecutive_failures: i32,
    /// Restarts by the monitor within the restart window (0 after a new deployment).
    pub restart_count: i32,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_restart_at: Option<DateTime<Utc>>,
    /// Why it is not healthy: the last failed probe, and whether the monitor gave up.
    pub reason: Option<String>,
}

impl HealthView {
    fn new(row: &health_checks::Model, last_error: Option<&str>) -> Self {
        let status = row.status;
        let reason = match status {
            HealthStatus::Healthy | HealthStatus::Unknown => None,
            HealthStatus::Unhealthy => last_error.map(str::to_string),
            HealthStatus::GaveUp => Some(format!(
                "stopped restarting after {} restarts; restarts resume after a new deployment or once the restart window has passed{}",
                row.restart_count,
                last_error.map(|e| format!(" (last failure: {e})")).unwrap_or_default()
            )),
        };
        Self {
            app_id: row.application_id.clone(),
            status,
            consecutive_failures: row.consecutive_failures,
            restart_count: row.restart_count,
            last_checked_at: row.last_checked_at,
            last_restart_at: row.last_restart_at,
            reason,
        }
    }

    fn unknown(app_id: &str) -> Self {
        Self {
            app_id: app_id.to_string(),
            status: HealthStatus::Unknown,
            consecutive_failures: 0,
            restart_count: 0,
            last_checked_at: None,
            last_restart_at: None,
            reason: None,
        }
    }
}

/// The current health of an application (which the caller has checked exists).
pub async fn view(db: &DatabaseConnection, app_id: &str) -> AppResult<HealthView> {
    let Some(row) = health_checks::Entity::find()
        .filter(health_checks::Column::ApplicationId.eq(app_id))
        .one(db)
        .await?
    else {
        return Ok(HealthView::unknown(app_id));
    };
    let last_error = match row.status {
        HealthStatus::Unhealthy | HealthStatus::GaveUp => health_check_results::Entity::find()
            .filter(health_check_results::Column::ApplicationId.eq(app_id))
            .filter(health_check_results::Column::Error.is_not_null())
            .order_by_desc(health_check_results::Column::Id)
            .one(db)
            .await?
            .and_then(|r| r.error),
        _ => None,
    };
    Ok(HealthView::new(&row, last_error.as_deref()))
}

/// A page of an application's results, newest first, older than the result `before`;
/// whether more follow.
pub async fn results(
    db: &DatabaseConnection,
    app_id: &str,
    before: Option<i64>,
    limit: u64,
) -> AppResult<(Vec<health_check_results::Model>, bool)> {
    let mut query = health_check_results::Entity::find()
        .filter(health_check_results::Column::ApplicationId.eq(app_id))
        .order_by_desc(health_check_results::Column::Id);
    if let Some(before) = before {
        query = query.filter(health_check_results::Column::Id.lt(before));
    }
    let mut rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows, more))
}

/// Deletes all but the newest `keep` results of an application; returns how many went.
pub async fn prune_results(db: &DatabaseConnection, app_id: &str, keep: u64) -> AppResult<u64> {
    let boundary = health_check_results::Entity::find()
        .filter(health_check_results::Column::ApplicationId.eq(app_id))
        .order_by_desc(health_check_results::Column::Id)
        .offset(keep)
        .limit(1)
        .one(db)
        .await?;
    let Some(boundary) = boundary else {
        return Ok(0);
    };
    let deleted = health_check_results::Entity::delete_many()
        .filter(health_check_results::Column::ApplicationId.eq(app_id))
        .filter(health_check_results::Column::Id.lte(boundary.id))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// What the monitor needs to know about one running application.
#[derive(Debug, Clone)]
struct Target {
    deployment_id: String,
    container_id: String,
    addr: SocketAddr,
    /// The remote server the container runs on; `None`: this machine.
    server: Option<String>,
    /// On a cluster: its id; `container_id` is then the swarm service, whose every running
    /// task is probed.
    cluster: Option<String>,
    /// When the deployment became active, for the start period.
    activated_at: Option<DateTime<Utc>>,
    check: health_checks::Model,
}

struct Tracked {
    target: Target,
    next_due: Instant,
    probing: bool,
    restarting: bool,
    /// Consecutive successes (the failures are on the row).
    successes: i32,
    /// Failures before this instant are not counted (start period after a (re)start).
    grace_until: Option<Instant>,
    /// After a restart that Docker refused, the next attempt waits until then.
    retry_restart_at: Option<Instant>,
    /// Results recorded since this application's results were last pruned.
    since_prune: u64,
    /// The last failed probe, for the reason shown with the verdict.
    last_error: Option<String>,
    /// On a cluster: the tasks the last probe found unhealthy, replaced by a restart.
    failing: Vec<crate::deploy::cluster::FailingTask>,
}

enum Outcome {
    Probed {
        app_id: String,
        deployment_id: String,
        result: ProbeResult,
        failing: Vec<crate::deploy::cluster::FailingTask>,
        at: DateTime<Utc>,
    },
    Restarted {
        app_id: String,
        deployment_id: String,
        /// The host port the engine published the restarted container on.
        result: Result<Option<u16>, String>,
        at: DateTime<Utc>,
    },
}

/// The limits on restarts, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct RestartPolicy {
    pub max_restarts: u32,
    pub window: chrono::Duration,
    pub backoff: chrono::Duration,
}

impl RestartPolicy {
    pub fn from_config(config: &Config) -> Self {
        let seconds = |s: u64| chrono::Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1000));
        Self {
            max_restarts: config.health_max_restarts,
            window: seconds(config.health_restart_window_seconds.max(1)),
            backoff: seconds(config.health_restart_backoff_seconds),
        }
    }

    /// Restarts that still count at `now`: all of them while the last is within the window.
    pub fn restarts_counting(&self, restarts: i32, last_restart_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> i32 {
        match last_restart_at {
            Some(at) if now - at <= self.window => restarts,
            _ => 0,
        }
    }

    /// The pause after the `restarts`-th restart: backoff, doubling each time, at most the window.
    pub fn pause_after(&self, restarts: i32) -> chrono::Duration {
        if restarts <= 0 {
            return chrono::Duration::zero();
        }
        let factor = 1i32 << (restarts - 1).min(20);
        (self.backoff * factor).min(self.window)
    }
}

/// The verdict after one probe, computed from the row and the probe; pure, so the rules
/// are tested without a container.
#[derive(Debug, Clone, PartialEq)]
struct Verdict {
    status: HealthStatus,
    consecutive_failures: i32,
    restart_count: i32,
    restart: bool,
}

fn judge(
    check: &health_checks::Model,
    healthy: bool,
    successes: i32,
    in_grace: bool,
    may_restart_now: bool,
    policy: &RestartPolicy,
    now: DateTime<Utc>,
) -> Verdict {
    let mut status = check.status;
    let mut failures = check.consecutive_failures;
    let restarts = policy.restarts_counting(check.restart_count, check.last_restart_at, now);
    let mut restart = false;
    if healthy {
        failures = 0;
        if successes >= check.healthy_threshold.max(1) || status == HealthStatus::Healthy {
            status = HealthStatus::Healthy;
        }
    } else if !in_grace {
        failures = failures.saturating_add(1);
        if failures >= check.unhealthy_threshold.max(1) {
            status = HealthStatus::Unhealthy;
            if check.auto_restart {
                if u32::try_from(restarts).unwrap_or(u32::MAX) >= policy.max_restarts {
                    status = HealthStatus::GaveUp;
                } else {
                    let paused = check
                        .last_restart_at
                        .is_none_or(|at| restarts == 0 || now - at >= policy.pause_after(restarts));
                    restart = paused && may_restart_now;
                }
            }
        }
    }
    Verdict {
        status,
        consecutive_failures: failures,
        restart_count: restarts,
        restart,
    }
}

pub struct HealthMonitor {
    db: DatabaseConnection,
    docker: crate::docker::Engine,
    /// The remote servers' engines, and ports forwarded to probe there.
    places: Arc<crate::places::Places>,
    config: Arc<Config>,
    events: Events,
    client: reqwest::Client,
    deployments: broadcast::Receiver<DeploymentEvent>,
    policy: RestartPolicy,
    /// Applications whose container a deployment stopped on purpose: never restarted here.
    holds: crate::deploy::holds::Holds,
    metrics: Arc<crate::metrics::Metrics>,
}

impl HealthMonitor {
    pub fn new(
        db: DatabaseConnection,
        docker: crate::docker::Engine,
        places: Arc<crate::places::Places>,
        config: Arc<Config>,
        events: Events,
        holds: crate::deploy::holds::Holds,
        metrics: Arc<crate::metrics::Metrics>,
    ) -> Self {
        Self {
            holds,
            metrics,
            db,
            docker,
            places,
            policy: RestartPolicy::from_config(&config),
            config,
            client: probes::client(),
            deployments: events.deployments(),
            events,
        }
    }

    /// The Docker client; none while the engine's socket is missing.
    fn docker(&self) -> Result<Docker, crate::docker::DockerError> {
        self.docker.connect()
    }

    /// Runs for ever.
    pub async fn run(mut self) {
        let (tx, mut rx) = mpsc::channel::<Outcome>(256);
        let mut apps: HashMap<String, Tracked> = HashMap::new();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut refreshed: Option<Instant> = None;
        let mut stale = true;
        let mut events_open = true;
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if stale || refreshed.is_none_or(|at| at.elapsed() >= REFRESH) {
                        match self.refresh(&mut apps).await {
                            Ok(()) => stale = false,
                            Err(err) => tracing::warn!(error = ?err, "health monitor: cannot read the applications; retrying"),
                        }
                        refreshed = Some(Instant::now());
                        self.publish_health(&apps);
                    }
                    self.dispatch(&mut apps, &tx);
                }
                event = self.deployments.recv(), if events_open => match event {
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => stale = true,
                    Err(broadcast::error::RecvError::Closed) => events_open = false,
                },
                Some(outcome) = rx.recv() => {
                    match self.record(&mut apps, outcome, &tx).await {
                        Ok(()) => {}
                        // The application was deleted while it was probed.
                        Err(AppError::Conflict(_)) => tracing::debug!("health monitor: result of a deleted application dropped"),
                        Err(err) => tracing::warn!(error = ?err, "health monitor: cannot record a result"),
                    }
                    self.publish_health(&apps);
                }
            }
        }
    }

    /// Every monitored application's verdict, for the metrics.
    fn publish_health(&self, apps: &HashMap<String, Tracked>) {
        self.metrics.set_health(
            apps.iter()
                .map(|(id, tracked)| (id.as_str(), tracked.target.check.status.as_str())),
        );
    }

    /// Reads which applications run with a health check, and follows deployments.
    async fn refresh(&self, apps: &mut HashMap<String, Tracked>) -> AppResult<()> {
        let running = applications::Entity::find()
            .filter(applications::Column::ActiveDeploymentId.is_not_null())
            .all(&self.db)
            .await?;
        let deployment_ids: Vec<String> = running.iter().filter_map(|a| a.active_deployment_id.clone()).collect();
        let app_ids: Vec<String> = running.iter().map(|a| a.id.clone()).collect();
        let mut active: HashMap<String, deployments::Model> = deployments::Entity::find()
            .filter(deployments::Column::Id.is_in(deployment_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect();
        let mut checks: HashMap<String, health_checks::Model> = health_checks::Entity::find()
            .filter(health_checks::Column::ApplicationId.is_in(app_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| (c.application_id.clone(), c))
            .collect();
        // A server that is offline is not probed: its applications are not known unhealthy,
        // only out of reach, and its check says so.
        let reachable: Vec<String> = self.places.remote_in_use().await.into_iter().map(|s| s.id).collect();
        let mut seen = Vec::with_capacity(running.len());
        for app in running {
            let Some(deployment) = app.active_deployment_id.as_ref().and_then(|id| active.remove(id)) else {
                continue;
            };
            if deployment.server_id.as_ref().is_some_and(|id| !reachable.contains(id)) {
                continue;
            }
            let Some(check) = checks.remove(&app.id) else { continue };
            if let (Some(cluster), Some(service)) = (&deployment.cluster_id, &deployment.service_id) {
                if check.port.is_some_and(|p| p != app.port) {
                    continue;
                }
                seen.push(app.id.clone());
                let target = Target {
                    deployment_id: deployment.id.clone(),
                    container_id: service.clone(),
                    addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                    server: None,
                    cluster: Some(cluster.clone()),
                    activated_at: deployment.finished_at,
                    check,
                };
                match apps.get_mut(&app.id) {
                    Some(tracked) if tracked.target.deployment_id == target.deployment_id => tracked.target = target,
                    tracked => {
                        let first_sight = tracked.is_none();
                        let target = self.follow_deployment(target, first_sight).await?;
                        apps.insert(app.id.clone(), self.track(target));
                    }
                }
                continue;
            }
            let (Some(container_id), Some(port)) = (
                deployment.container_id.clone(),
                deployment.host_port.and_then(|p| u16::try_from(p).ok()),
            ) else {
                continue;
            };
            // As at the deployment gate: only the application port is published.
            if check.port.is_some_and(|p| p != app.port) {
                continue;
            }
            seen.push(app.id.clone());
            let target = Target {
                deployment_id: deployment.id.clone(),
                container_id,
                addr: SocketAddr::from(([127, 0, 0, 1], port)),
                server: deployment.server_id.clone(),
                cluster: None,
                activated_at: deployment.finished_at,
                check,
            };
            match apps.get_mut(&app.id) {
                Some(tracked) if tracked.target.deployment_id == target.deployment_id => {
                    if tracked.target.container_id != target.container_id {
                        // Recreated by the reconciler: a fresh start.
                        tracked.grace_until = grace(&target.check, None);
                        tracked.successes = 0;
                    }
                    tracked.target = target;
                }
                tracked => {
                    let first_sight = tracked.is_none();
                    let target = self.follow_deployment(target, first_sight).await?;
                    apps.insert(app.id.clone(), self.track(target));
                }
            }
        }
        apps.retain(|id, _| seen.contains(id));
        Ok(())
    }

    fn track(&self, target: Target) -> Tracked {
        let grace_until = grace(&target.check, target.activated_at);
        Tracked {
            target,
            next_due: Instant::now(),
            probing: false,
            restarting: false,
            successes: 0,
            grace_until,
            retry_restart_at: None,
            // Prune on the first result: the table may have grown while Ployer was down.
            since_prune: u64::MAX,
            last_error: None,
            failing: Vec::new(),
        }
    }

    /// A deployment the monitor has not followed yet: its verdict and restart count start
    /// afresh, unless Ployer merely restarted and the results are already about it.
    async fn follow_deployment(&self, mut target: Target, first_sight: bool) -> AppResult<Target> {
        if first_sight {
            let last = health_check_results::Entity::find()
                .filter(health_check_results::Column::ApplicationId.eq(target.check.application_id.clone()))
                .order_by_desc(health_check_results::Column::Id)
                .one(&self.db)
                .await?;
            if last.is_some_and(|r| r.deployment_id.as_deref() == Some(target.deployment_id.as_str())) {
                return Ok(target);
            }
        }
        let mut row: health_checks::ActiveModel = target.check.clone().into();
        row.status = Set(HealthStatus::Unknown);
        row.consecutive_failures = Set(0);
        row.restart_count = Set(0);
        target.check = row.update(&self.db).await?;
        self.events.health_changed(HealthView::new(&target.check, None));
        Ok(target)
    }

    /// Starts the probes that are due.
    fn dispatch(&self, apps: &mut HashMap<String, Tracked>, tx: &mpsc::Sender<Outcome>) {
        let now = Instant::now();
        for (app_id, tracked) in apps.iter_mut() {
            if tracked.probing || tracked.restarting || now < tracked.next_due {
                continue;
            }
            let check = &tracked.target.check;
            tracked.probing = true;
            tracked.next_due = now + seconds(check.interval_seconds);
            let probe = Probe::from_check(Some(check));
            let timeout = seconds(check.timeout_seconds);
            let addr = tracked.target.addr;
            let client = self.client.clone();
            let tx = tx.clone();
            let app_id = app_id.clone();
            let deployment_id = tracked.target.deployment_id.clone();
            let server = tracked.target.server.clone();
            let cluster = tracked
                .target
                .cluster
                .clone()
                .map(|c| (c, tracked.target.container_id.clone()));
            let places = self.places.clone();
            let db = self.db.clone();
            tokio::spawn(async move {
                if let Some((cluster, service)) = cluster {
                    // Every task of the service, each at its node's port.
                    let (result, failing) = match crate::deploy::cluster::Swarm::open_with(&db, &places, &cluster).await
                    {
                        Ok(swarm) => {
                            crate::deploy::cluster::probe_tasks(&swarm, &places, &client, &service, &probe, timeout)
                                .await
                        }
                        Err(err) => (probes::ProbeResult::unreachable(err.message()), Vec::new()),
                    };
                    let _ = tx
                        .send(Outcome::Probed {
                            app_id,
                            deployment_id,
                            result,
                            failing,
                            at: Utc::now(),
                        })
                        .await;
                    return;
                }
                let result = match server {
                    None => probes::probe(&client, addr, &probe, timeout).await,
                    // Through a port forwarded over the server's SSH connection.
                    Some(server) => match places.of_server(Some(&server)).await {
                        Ok(place) => match place.reach(addr).await {
                            Ok((local, _forward)) => probes::probe(&client, local, &probe, timeout).await,
                            Err(err) => probes::ProbeResult::unreachable(err),
                        },
                        Err(err) => probes::ProbeResult::unreachable(err),
                    },
                };
                let _ = tx
                    .send(Outcome::Probed {
                        app_id,
                        deployment_id,
                        result,
                        failing: Vec::new(),
                        at: Utc::now(),
                    })
                    .await;
            });
        }
    }

    async fn record(
        &mut self,
        apps: &mut HashMap<String, Tracked>,
        outcome: Outcome,
        tx: &mpsc::Sender<Outcome>,
    ) -> AppResult<()> {
        match outcome {
            Outcome::Probed {
                app_id,
                deployment_id,
                result,
                failing,
                at,
            } => {
                let Some(tracked) = apps
                    .get_mut(&app_id)
                    .filter(|t| t.target.deployment_id == deployment_id)
                else {
                    return Ok(());
                };
                tracked.probing = false;
                tracked.failing = failing;
                self.probed(tracked, result, at, tx).await
            }
            Outcome::Restarted {
                app_id,
                deployment_id,
                result,
                at,
            } => {
                let Some(tracked) = apps
                    .get_mut(&app_id)
                    .filter(|t| t.target.deployment_id == deployment_id)
                else {
                    return Ok(());
                };
                tracked.restarting = false;
                self.restarted(tracked, result, at).await
            }
        }
    }

    async fn probed(
        &mut self,
        tracked: &mut Tracked,
        result: ProbeResult,
        at: DateTime<Utc>,
        tx: &mpsc::Sender<Outcome>,
    ) -> AppResult<()> {
        let now = Instant::now();
        if result.healthy {
            tracked.successes = tracked.successes.saturating_add(1);
            // Answering ends the start period.
            tracked.grace_until = None;
        } else {
            tracked.successes = 0;
        }
        let in_grace = tracked.grace_until.is_some_and(|until| now < until);
        let may_restart_now = tracked.retry_restart_at.is_none_or(|at| now >= at);
        let check = &tracked.target.check;
        let verdict = judge(
            check,
            result.healthy,
            tracked.successes,
            in_grace,
            may_restart_now,
            &self.policy,
            at,
        );
        let error = (!result.healthy).then(|| truncate(&result.detail));
        if error.is_some() {
            tracked.last_error = error.clone();
        }
        let txn = self.db.begin().await?;
        health_check_results::ActiveModel {
            application_id: Set(check.application_id.clone()),
            deployment_id: Set(Some(tracked.target.deployment_id.clone())),
            status: Set(if result.healthy {
                HealthStatus::Healthy
            } else {
                HealthStatus::Unhealthy
            }),
            status_code: Set(result.status_code.map(i32::from)),
            response_time_ms: Set(Some(i32::try_from(result.elapsed.as_millis()).unwrap_or(i32::MAX))),
            error: Set(error.clone()),
            checked_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let changed = verdict.status != check.status
            || verdict.consecutive_failures != check.consecutive_failures
            || verdict.restart_count != check.restart_count;
        let mut row: health_checks::ActiveModel = check.clone().into();
        row.status = Set(verdict.status);
        row.consecutive_failures = Set(verdict.consecutive_failures);
        row.restart_count = Set(verdict.restart_count);
        row.last_checked_at = Set(Some(at));
        let updated = row.update(&txn).await?;
        txn.commit().await?;
        if changed {
            if verdict.status != check.status {
                tracing::info!(
                    app_id = %updated.application_id,
                    status = verdict.status.as_str(),
                    detail = %result.detail,
                    "application health changed"
                );
            }
            self.events
                .health_changed(HealthView::new(&updated, tracked.last_error.as_deref()));
        }
        tracked.target.check = updated;

        tracked.since_prune = tracked.since_prune.saturating_add(1);
        let keep = self.config.health_results_kept.max(1);
        if tracked.since_prune >= (keep / 10).max(1) {
            tracked.since_prune = 0;
            prune_results(&self.db, &tracked.target.check.application_id, keep).await?;
        }

        if verdict.restart {
            self.restart(tracked, tx);
        }
        Ok(())
    }

    fn restart(&mut self, tracked: &mut Tracked, tx: &mpsc::Sender<Outcome>) {
        if self.holds.is_held(&tracked.target.check.application_id) {
            // A stop-first deployment stopped it; the new version replaces it shortly.
            return;
        }
        // A remote server's engine is reached in the restart's task.
        let docker = match &tracked.target.server {
            None => self.docker().map(Some).map_err(|e| e.to_string()),
            Some(_) => Ok(None),
        };
        let docker = match docker {
            Ok(docker) => docker,
            Err(err) => {
                tracing::warn!(error = %err, "cannot restart an unhealthy container; trying again later");
                tracked.retry_restart_at =
                    Some(Instant::now() + seconds_u64(self.config.health_restart_backoff_seconds.max(1)));
                return;
            }
        };
        tracked.restarting = true;
        let app_id = tracked.target.check.application_id.clone();
        let deployment_id = tracked.target.deployment_id.clone();
        if tracked.target.cluster.is_some() {
            // A clustered application: its unhealthy tasks' containers go, and the swarm
            // starts new tasks in their place (the reconciler's task check follows them).
            let failing = std::mem::take(&mut tracked.failing);
            tracing::warn!(app_id = %app_id, tasks = failing.len(), "clustered application unhealthy; replacing its failing tasks");
            let tx = tx.clone();
            let places = self.places.clone();
            tokio::spawn(async move {
                let mut result = Ok(None);
                for task in failing {
                    let removed = match places.engine_of(&task.server).await {
                        Ok(engine) => {
                            crate::docker::stop_and_remove(&engine, &task.container_id, RESTART_GRACE_SECONDS.into())
                                .await
                                .map_err(|e| e.to_string())
                        }
                        Err(err) => Err(err),
                    };
                    if let Err(err) = removed {
                        result = Err(err);
                    }
                }
                let _ = tx
                    .send(Outcome::Restarted {
                        app_id,
                        deployment_id,
                        result,
                        at: Utc::now(),
                    })
                    .await;
            });
            return;
        }
        let container = tracked.target.container_id.clone();
        tracing::warn!(
            app_id = %app_id,
            container = %container,
            failures = tracked.target.check.consecutive_failures,
            "application unhealthy; restarting its container"
        );
        let tx = tx.clone();
        let places = self.places.clone();
        let server = tracked.target.server.clone();
        tokio::spawn(async move {
            let docker = match docker {
                Some(docker) => Ok(docker),
                None => places.of_server(server.as_deref()).await.map(|p| p.engine().clone()),
            };
            // An ephemeral port is allocated again at every start: read the new one.
            let result = match docker {
                Ok(docker) => async {
                    crate::docker::resources::restart(&docker, &container, RESTART_GRACE_SECONDS).await?;
                    crate::docker::inspect_running(&docker, &container).await
                }
                .await
                .map(|state| state.and_then(|(_, port)| port))
                .map_err(|e| e.to_string()),
                Err(err) => Err(err),
            };
            let _ = tx
                .send(Outcome::Restarted {
                    app_id,
                    deployment_id,
                    result,
                    at: Utc::now(),
                })
                .await;
        });
    }

    async fn restarted(
        &self,
        tracked: &mut Tracked,
        result: Result<Option<u16>, String>,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let port = match result {
            Ok(port) => port,
            Err(err) => {
                tracing::warn!(
                    app_id = %tracked.target.check.application_id,
                    error = %err,
                    "could not restart an unhealthy container; trying again later"
                );
                tracked.retry_restart_at =
                    Some(Instant::now() + seconds_u64(self.config.health_restart_backoff_seconds.max(1)));
                return Ok(());
            }
        };
        if let Some(port) = port.filter(|p| *p != tracked.target.addr.port()) {
            // Recorded where the reconciler reads it too: its route check then moves
            // Caddy's upstream to the new port.
            deployments::Entity::update_many()
                .col_expr(
                    deployments::Column::HostPort,
                    sea_orm::sea_query::Expr::value(i32::from(port)),
                )
                .col_expr(deployments::Column::UpdatedAt, sea_orm::sea_query::Expr::value(at))
                .filter(deployments::Column::Id.eq(tracked.target.deployment_id.clone()))
                .filter(deployments::Column::ContainerId.eq(tracked.target.container_id.clone()))
                .exec(&self.db)
                .await?;
            tracked.target.addr = SocketAddr::from(([127, 0, 0, 1], port));
        }
        tracked.retry_restart_at = None;
        tracked.successes = 0;
        tracked.grace_until = grace(&tracked.target.check, Some(at));
        tracked.next_due = Instant::now() + seconds(tracked.target.check.interval_seconds);
        let check = &tracked.target.check;
        let restarts = self
            .policy
            .restarts_counting(check.restart_count, check.last_restart_at, at)
            .saturating_add(1);
        let mut row: health_checks::ActiveModel = check.clone().into();
        row.restart_count = Set(restarts);
        row.last_restart_at = Set(Some(at));
        row.consecutive_failures = Set(0);
        let updated = row.update(&self.db).await.map_err(AppError::from)?;
        self.events
            .health_changed(HealthView::new(&updated, tracked.last_error.as_deref()));
        tracked.target.check = updated;
        Ok(())
    }
}

/// Until when failures do not count, for a container started at `started` (now if `None`).
fn grace(check: &health_checks::Model, started: Option<DateTime<Utc>>) -> Option<Instant> {
    let period = chrono::Duration::seconds(i64::from(check.start_period_seconds.max(0)));
    let left = match started {
        Some(at) => period - (Utc::now() - at),
        None => period,
    };
    left.to_std().ok().filter(|d| !d.is_zero()).map(|d| Instant::now() + d)
}

fn seconds(value: i32) -> Duration {
    Duration::from_secs(u64::try_from(value.max(1)).unwrap_or(1))
}

fn seconds_u64(value: u64) -> Duration {
    Duration::from_secs(value)
}

fn truncate(text: &str) -> String {
    if text.len() <= MAX_ERROR_LEN {
        return text.to_string();
    }
    let mut end = MAX_ERROR_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(status: &str, failures: i32, restarts: i32, last_restart: Option<DateTime<Utc>>) -> health_checks::Model {
        let now = Utc::now();
        health_checks::Model {
            id: "c".into(),
            application_id: "a".into(),
            kind: entities::health_checks::CheckKind::Http,
            path: Some("/".into()),
            port: None,
            interval_seconds: 10,
            timeout_seconds: 5,
            healthy_threshold: 2,
            unhealthy_threshold: 3,
            start_period_seconds: 0,
            auto_restart: true,
            status: status.parse().unwrap(),
            consecutive_failures: failures,
            restart_count: restarts,
            last_checked_at: None,
            last_restart_at: last_restart,
            created_at: now,
            updated_at: now,
        }
    }

    fn policy() -> RestartPolicy {
        RestartPolicy {
            max_restarts: 3,
            window: chrono::Duration::seconds(3600),
            backoff: chrono::Duration::seconds(10),
        }
    }

    #[test]
    fn failures_turn_unhealthy_at_the_threshold_and_then_restart() {
        let now = Utc::now();
        let v = judge(&check("healthy", 1, 0, None), false, 0, false, true, &policy(), now);
        assert_eq!(
            (v.status, v.consecutive_failures, v.restart),
            (HealthStatus::Healthy, 2, false)
        );
        let v = judge(&check("healthy", 2, 0, None), false, 0, false, true, &policy(), now);
        assert_eq!(
            (v.status, v.consecutive_failures, v.restart),
            (HealthStatus::Unhealthy, 3, true)
        );
        // Without auto-restart, or while Docker cannot be asked, no restart.
        let mut manual = check("healthy", 2, 0, None);
        manual.auto_restart = false;
        assert!(!judge(&manual, false, 0, false, true, &policy(), now).restart);
        assert!(!judge(&check("healthy", 2, 0, None), false, 0, false, false, &policy(), now).restart);
    }

    #[test]
    fn the_start_period_does_not_count_failures() {
        let v = judge(
            &check("unknown", 2, 0, None),
            false,
            0,
            true,
            true,
            &policy(),
            Utc::now(),
        );
        assert_eq!(
            (v.status, v.consecutive_failures, v.restart),
            (HealthStatus::Unknown, 2, false)
        );
    }

    #[test]
    fn successes_turn_healthy_at_the_threshold() {
        let now = Utc::now();
        let v = judge(
            &check("unhealthy", 5, 1, Some(now)),
            true,
            1,
            false,
            true,
            &policy(),
            now,
        );
        assert_eq!((v.status, v.consecutive_failures), (HealthStatus::Unhealthy, 0));
        let v = judge(
            &check("unhealthy", 0, 1, Some(now)),
            true,
            2,
            false,
            true,
            &policy(),
            now,
        );
        assert_eq!((v.status, v.restart_count), (HealthStatus::Healthy, 1));
        let v = judge(&check("gave_up", 4, 3, Some(now)), true, 2, false, true, &policy(), now);
        assert_eq!(v.status, HealthStatus::Healthy, "answering again ends GAVE_UP");
    }

    #[test]
    fn restarts_back_off_and_stop_at_the_bound() {
        let p = policy();
        assert_eq!(p.pause_after(1), chrono::Duration::seconds(10));
        assert_eq!(p.pause_after(2), chrono::Duration::seconds(20));
        assert_eq!(p.pause_after(3), chrono::Duration::seconds(40));
        assert_eq!(
            p.pause_after(30),
            chrono::Duration::seconds(3600),
            "capped at the window"
        );
        let now = Utc::now();
        // One restart 5 s ago: the next waits until 10 s have passed.
        let recent = check("unhealthy", 2, 1, Some(now - chrono::Duration::seconds(5)));
        assert!(!judge(&recent, false, 0, false, true, &p, now).restart);
        let later = check("unhealthy", 2, 1, Some(now - chrono::Duration::seconds(11)));
        assert!(judge(&later, false, 0, false, true, &p, now).restart);
        // The bound reached within the window: no restart, GAVE_UP.
        let spent = check("unhealthy", 2, 3, Some(now - chrono::Duration::seconds(1000)));
        let v = judge(&spent, false, 0, false, true, &p, now);
        assert_eq!((v.status, v.restart), (HealthStatus::GaveUp, false));
        // Once the window has passed since the last restart, the count starts again.
        let old = check("gave_up", 2, 3, Some(now - chrono::Duration::seconds(4000)));
        let v = judge(&old, false, 0, false, true, &p, now);
        assert_eq!(
            (v.status, v.restart_count, v.restart),
            (HealthStatus::Unhealthy, 0, true)
        );
    }

    async fn app_row(db: &DatabaseConnection, name: &str) -> String {
        let id = format!("app-{name}");
        crate::test_support::app_row(db, &id, None).await;
        id
    }

    #[tokio::test]
    async fn pruning_keeps_the_newest_results_of_each_application() {
        let (_dir, db) = crate::test_support::test_db().await;
        let (a, b) = (app_row(&db, "a").await, app_row(&db, "b").await);
        for (app, n) in [(&a, 30), (&b, 5)] {
            for i in 0..n {
                health_check_results::ActiveModel {
                    application_id: Set(app.clone()),
                    deployment_id: Set(None),
                    status: Set(HealthStatus::Healthy),
                    status_code: Set(Some(200)),
                    response_time_ms: Set(Some(i)),
                    error: Set(None),
                    checked_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&db)
                .await
                .unwrap();
            }
        }
        assert_eq!(prune_results(&db, &a, 10).await.unwrap(), 20);
        assert_eq!(prune_results(&db, &b, 10).await.unwrap(), 0);
        let (kept, more) = results(&db, &a, None, 100).await.unwrap();
        assert!(!more);
        let times: Vec<i32> = kept.iter().filter_map(|r| r.response_time_ms).collect();
        assert_eq!(
            times,
            (20..30).rev().collect::<Vec<_>>(),
            "the newest ten, newest first"
        );
        assert_eq!(results(&db, &b, None, 100).await.unwrap().0.len(), 5);
        // Paging: three at a time, older than a cursor.
        let (page, more) = results(&db, &a, Some(kept[2].id), 3).await.unwrap();
        assert!(more);
        assert_eq!(
            page.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![kept[3].id, kept[4].id, kept[5].id]
        );
    }

    #[test]
    fn long_errors_are_cut_on_a_character_boundary() {
        let long = "é".repeat(400);
        let cut = truncate(&long);
        assert!(cut.len() <= MAX_ERROR_LEN + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("short"), "short");
    }
}
