//! What running applications print. An application's logs are those of its active
//! deployment's container; following them carries on across a redeploy (or the reconciler
//! recreating the container) by switching to the new container when the active one changes.
//! Values of the application's secret variables are redacted from every line, as they are
//! from deployment logs.

use crate::ids::AppId;
use std::time::Duration;

use bollard::Docker;
use chrono::{DateTime, Utc};
use entities::{applications, deployments};
use futures::{Stream, StreamExt};
use sea_orm::{DatabaseConnection, EntityTrait};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::{
    crypto::Crypto,
    docker::{
        logs::{follow_logs, read_logs, ContainerLogLine, LogRange},
        DockerError, LABEL_APP,
    },
    error::{AppError, AppResult},
    events::DeploymentEvent,
    redact::redact,
    services,
    state::AppState,
};

/// Bounds of `tail`.
pub const DEFAULT_TAIL: i32 = 100;
pub const MAX_TAIL: i32 = 5000;
/// Lines of a new container replayed when a follower switches to it (what it printed while
/// it was being started and health-checked).
const SWITCH_TAIL: usize = 1000;
/// How often a follower looks at the active container even without a deployment event.
const RECHECK: Duration = Duration::from_secs(2);
/// Shown instead of a line when the secrets to redact from it cannot be read.
const WITHHELD: &str = "[line withheld: the application's secrets could not be read to redact it]";

/// A line and the container that printed it.
#[derive(Debug, Clone)]
pub struct AppLogLine {
    pub container_id: String,
    pub line: ContainerLogLine,
}

pub fn tail(field: &'static str, tail: Option<i32>) -> AppResult<usize> {
    let tail = tail.unwrap_or(DEFAULT_TAIL);
    if !(0..=MAX_TAIL).contains(&tail) {
        return Err(AppError::bad_input(field, format!("must be between 0 and {MAX_TAIL}")));
    }
    Ok(usize::try_from(tail).unwrap_or(0))
}

/// The container of the application's active deployment, if it has one.
pub async fn active_container(db: &DatabaseConnection, app_id: &AppId) -> AppResult<Option<String>> {
    let app = services::applications::get(db, app_id).await?;
    let Some(active) = app.active_deployment_id else {
        return Ok(None);
    };
    Ok(deployments::Entity::find_by_id(active)
        .one(db)
        .await?
        .and_then(|d| d.container_id))
}

/// The cluster and swarm service of the application's active deployment, when it runs on a
/// cluster.
pub async fn active_service(db: &DatabaseConnection, app_id: &AppId) -> AppResult<Option<(String, String)>> {
    let app = services::applications::get(db, app_id).await?;
    let Some(active) = app.active_deployment_id else {
        return Ok(None);
    };
    Ok(deployments::Entity::find_by_id(active)
        .one(db)
        .await?
        .and_then(|d| Some((d.cluster_id?, d.service_id?))))
}

/// A clustered application's lines: those of every task of its active service, in time order.
async fn cluster_logs(
    state: &AppState,
    app_id: &AppId,
    (cluster_id, service): (String, String),
    range: LogRange,
) -> AppResult<Vec<AppLogLine>> {
    let swarm = crate::deploy::cluster::Swarm::open(state.deployer.inner(), &cluster_id).await?;
    let secrets = secrets(&state.db, &state.crypto, app_id).await?;
    let lines = match crate::docker::logs::read_service_logs(&swarm.manager, &service, range).await {
        Ok(lines) => lines,
        Err(DockerError::NotFound(_)) => Vec::new(),
        Err(err) => return Err(err.into()),
    };
    Ok(lines
        .into_iter()
        .map(|line| AppLogLine {
            container_id: service.clone(),
            line: redacted(line, &secrets),
        })
        .collect())
}

/// A clustered application's last `tail` lines across its tasks, then every new one; after a
/// redeploy it carries on with the new service's. Ends when the application is deleted.
pub fn follow_cluster(state: AppState, app_id: String, tail: usize) -> impl Stream<Item = AppLogLine> + Send + 'static {
    let mut events = state.events.deployments();
    async_stream::stream! {
        let mut current: Option<String> = None;
        let mut last_at: Option<DateTime<Utc>> = None;
        loop {
            let (cluster_id, service) = match active_service(&state.db, &AppId::from(&app_id)).await {
                Ok(Some(found)) => found,
                Ok(None) => {
                    wait_for_change(&mut events, &app_id).await;
                    continue;
                }
                Err(AppError::NotFound(_)) => break,
                Err(_) => {
                    wait_for_change(&mut events, &app_id).await;
                    continue;
                }
            };
            let swarm = match crate::deploy::cluster::Swarm::open(state.deployer.inner(), &cluster_id).await {
                Ok(swarm) => swarm,
                Err(_) => {
                    wait_for_change(&mut events, &app_id).await;
                    continue;
                }
            };
            let secrets = secrets_of_app(&state, &app_id).await;
            let range = match &current {
                Some(same) if *same == service => LogRange { tail: None, since: last_at },
                Some(_) => LogRange { tail: Some(SWITCH_TAIL), since: None },
                None => LogRange { tail: Some(tail), since: None },
            };
            let resumed_after = if current.as_deref() == Some(service.as_str()) { last_at } else { None };
            current = Some(service.clone());
            let mut lines = Box::pin(crate::docker::logs::service_logs(&swarm.manager, &service, range, true));
            let mut recheck = tokio::time::interval(RECHECK);
            recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            recheck.tick().await;
            let switched = loop {
                let step = tokio::select! {
                    line = lines.next() => Step::Line(line),
                    changed = next_change(&mut events, &app_id) => Step::Changed(changed),
                    _ = recheck.tick() => Step::Changed(true),
                };
                match step {
                    Step::Line(Some(Ok(line))) => {
                        if resumed_after.is_some_and(|after| line.at <= after) {
                            continue;
                        }
                        last_at = last_at.max(Some(line.at));
                        yield AppLogLine { container_id: service.clone(), line: redacted_or_withheld(line, secrets.as_deref()) };
                    }
                    Step::Line(Some(Err(_)) | None) => break false,
                    Step::Changed(false) => {}
                    Step::Changed(true) => {
                        match active_service(&state.db, &AppId::from(&app_id)).await {
                            Ok(Some((_, now))) if now != service => break true,
                            Err(AppError::NotFound(_)) => break true,
                            _ => {}
                        }
                    }
                }
            };
            if !switched {
                wait_for_change(&mut events, &app_id).await;
            }
        }
    }
}

/// The container of one of a Compose application's services (`service`), or, without one, of
/// the active deployment; `BAD_USER_INPUT` for a service that does not run.
pub async fn service_container(state: &AppState, app_id: &AppId, service: Option<&str>) -> AppResult<Option<String>> {
    let Some(name) = service else {
        return active_container(&state.db, app_id).await;
    };
    let app = services::applications::get(&state.db, app_id).await?;
    if app.build_strategy != services::applications::BuildStrategy::Compose {
        return Err(AppError::bad_input(
            "service",
            "only a COMPOSE application has services",
        ));
    }
    let running = crate::deploy::compose::running_services(&state.db, &state.crypto, &app).await?;
    match running.iter().find(|s| s.name == name) {
        Some(found) => Ok(found.container_id.clone()),
        None => {
            let names: Vec<&str> = running.iter().map(|s| s.name.as_str()).collect();
            Err(AppError::bad_input(
                "service",
                if names.is_empty() {
                    format!("no service {name:?} runs: the application has no active deployment")
                } else {
                    format!("no service {name:?} runs; the application runs: {}", names.join(", "))
                },
            ))
        }
    }
}

/// Secret values of an application, longest first, for [`redact`].
pub async fn secrets(db: &DatabaseConnection, crypto: &Crypto, app_id: &AppId) -> AppResult<Vec<String>> {
    let mut secrets: Vec<String> = services::env_vars::decrypted(db, crypto, app_id)
        .await?
        .into_iter()
        .filter(|(_, secret)| *secret)
        .map(|(var, _)| var.value)
        .filter(|value| value.len() >= 4)
        .collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    Ok(secrets)
}

/// Secrets of the application a container belongs to (none for containers of no known one).
pub async fn secrets_of_container(
    db: &DatabaseConnection,
    crypto: &Crypto,
    labels: &std::collections::BTreeMap<String, String>,
) -> AppResult<Vec<String>> {
    let Some(app_id) = labels.get(LABEL_APP) else {
        return Ok(Vec::new());
    };
    if applications::Entity::find_by_id(app_id.clone())
        .one(db)
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    secrets(db, crypto, &AppId::from(app_id)).await
}

fn redacted(mut line: ContainerLogLine, secrets: &[String]) -> ContainerLogLine {
    if !secrets.is_empty() {
        line.line = redact(&line.line, secrets);
    }
    line
}

/// The application's last `tail` lines (since `since`), oldest first; empty while it has no
/// running deployment.
#[tracing::instrument(skip_all, fields(app_id = %app_id))]
pub async fn application_logs(
    state: &AppState,
    app_id: &AppId,
    service: Option<&str>,
    tail: usize,
    since: Option<DateTime<Utc>>,
) -> AppResult<Vec<AppLogLine>> {
    if service.is_none() {
        if let Some(active) = active_service(&state.db, app_id).await? {
            return cluster_logs(
                state,
                app_id,
                active,
                LogRange {
                    tail: Some(tail),
                    since,
                },
            )
            .await;
        }
    }
    let Some(container) = service_container(state, app_id, service).await? else {
        return Ok(Vec::new());
    };
    let docker = state.deployer.inner().places.engine_of_active(app_id.as_str()).await?;
    let secrets = secrets(&state.db, &state.crypto, app_id).await?;
    let range = LogRange {
        tail: Some(tail),
        since,
    };
    let lines = match read_logs(&docker, &container, range).await {
        Ok(lines) => lines,
        // Removed behind Ployer's back; the reconciler is about to recreate it.
        Err(DockerError::NotFound(_)) => Vec::new(),
        Err(err) => return Err(err.into()),
    };
    Ok(lines
        .into_iter()
        .map(|line| AppLogLine {
            container_id: container.clone(),
            line: redacted(line, &secrets),
        })
        .collect())
}

/// Checks that the engine the application runs on answers, so a subscription fails at once
/// with `UNAVAILABLE` rather than waiting silently.
pub async fn ping(state: &AppState, app_id: &AppId) -> AppResult<Docker> {
    let docker = state.deployer.inner().places.engine_of_active(app_id.as_str()).await?;
    docker.ping().await.map_err(DockerError::from)?;
    Ok(docker)
}

/// The last `tail` lines of the application's active container, then every new line;
/// when the active container changes (a redeploy, a rollback, the reconciler recreating
/// it) the stream carries on with the new one's lines. Ends when the application is deleted.
pub fn follow_application(
    state: AppState,
    docker: Docker,
    app_id: String,
    service: Option<String>,
    tail: usize,
) -> impl Stream<Item = AppLogLine> + Send + 'static {
    // Subscribe before the first look, so no change between the two is missed.
    let mut events = state.events.deployments();
    async_stream::stream! {
        let mut current: Option<String> = None;
        let mut opened_once = false;
        let mut last_at: Option<DateTime<Utc>> = None;
        let mut secrets: Option<Vec<String>> = None;
        loop {
            let target = match service_container(&state, &AppId::from(&app_id), service.as_deref()).await {
                Ok(target) => target,
                Err(AppError::NotFound(_)) => break,
                Err(err) => {
                    tracing::debug!(error = ?err, "reading the active container failed; retrying");
                    None
                }
            };
            let Some(container) = target else {
                wait_for_change(&mut events, &app_id).await;
                continue;
            };
            // The engine's order is not quite the order of its timestamps (stdout and stderr
            // are stamped by two copiers), so only the replay of a resume is cut by time.
            let mut replayed_until = None;
            let range = if current.as_deref() == Some(container.as_str()) {
                // The same container again (it stopped, or the engine went away): resume.
                replayed_until = last_at;
                LogRange { tail: None, since: last_at }
            } else {
                secrets = secrets_of_app(&state, &app_id).await;
                last_at = None;
                let tail = if opened_once { SWITCH_TAIL } else { tail };
                current = Some(container.clone());
                LogRange { tail: Some(tail), since: None }
            };
            opened_once = true;
            let mut lines = Box::pin(follow_logs(&docker, &container, range));
            let mut recheck = tokio::time::interval(RECHECK);
            recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            recheck.tick().await;
            let switched = loop {
                let step = tokio::select! {
                    line = lines.next() => Step::Line(line),
                    changed = next_change(&mut events, &app_id) => Step::Changed(changed),
                    _ = recheck.tick() => Step::Changed(true),
                };
                match step {
                    Step::Line(Some(Ok(line))) => {
                        if let Some(until) = replayed_until {
                            if line.at <= until {
                                continue;
                            }
                            replayed_until = None;
                        }
                        last_at = last_at.max(Some(line.at));
                        yield AppLogLine { container_id: container.clone(), line: redacted_or_withheld(line, secrets.as_deref()) };
                    }
                    Step::Line(Some(Err(err))) => {
                        tracing::debug!(error = %err, container = %container, "following a container's logs stopped");
                        break false;
                    }
                    Step::Line(None) => break false,
                    Step::Changed(false) => {}
                    Step::Changed(true) => {
                        match service_container(&state, &AppId::from(&app_id), service.as_deref()).await {
                            Ok(Some(now)) if now != container => break true,
                            Err(AppError::NotFound(_)) => break true,
                            _ => {}
                        }
                    }
                }
            };
            if !switched {
                // The container stopped or the engine is away: look again after a change or a pause.
                wait_for_change(&mut events, &app_id).await;
            }
        }
    }
}

enum Step {
    Line(Option<Result<ContainerLogLine, DockerError>>),
    Changed(bool),
}

/// The application's secrets; `None` when they cannot be read, and then no line is shown.
async fn secrets_of_app(state: &AppState, app_id: &str) -> Option<Vec<String>> {
    match secrets(&state.db, &state.crypto, &AppId::from(app_id)).await {
        Ok(secrets) => Some(secrets),
        Err(err) => {
            tracing::warn!(error = ?err, app_id, "cannot read the secrets to redact; lines are withheld");
            None
        }
    }
}

fn redacted_or_withheld(mut line: ContainerLogLine, secrets: Option<&[String]>) -> ContainerLogLine {
    match secrets {
        Some(secrets) => redacted(line, secrets),
        None => {
            line.line = WITHHELD.to_string();
            line
        }
    }
}

/// Whether the next deployment event concerns `app_id` (a lagged receiver says yes: it
/// may have missed one). Never resolves once the sender is gone.
async fn next_change(events: &mut broadcast::Receiver<DeploymentEvent>, app_id: &str) -> bool {
    match events.recv().await {
        Ok(event) => event.app_id == app_id,
        Err(RecvError::Lagged(_)) => true,
        Err(RecvError::Closed) => std::future::pending().await,
    }
}

/// A deployment event of the application, or `RECHECK`, whichever comes first.
async fn wait_for_change(events: &mut broadcast::Receiver<DeploymentEvent>, app_id: &str) {
    let _ = tokio::time::timeout(RECHECK, async { while !next_change(events, app_id).await {} }).await;
}

/// The last `tail` lines of one container, then every new one until it stops. Lines of a
/// container Ployer runs for an application have that application's secrets redacted.
pub fn follow_container(
    docker: Docker,
    container_id: String,
    tail: usize,
    secrets: Vec<String>,
) -> impl Stream<Item = AppResult<AppLogLine>> + Send + 'static {
    let range = LogRange {
        tail: Some(tail),
        since: None,
    };
    follow_logs(&docker, &container_id, range).map(move |line| {
        line.map(|line| AppLogLine {
            container_id: container_id.clone(),
            line: redacted(line, &secrets),
        })
        .map_err(AppError::from)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_are_bounded() {
        assert_eq!(tail("tail", None).unwrap(), 100);
        assert_eq!(tail("tail", Some(0)).unwrap(), 0);
        assert!(tail("tail", Some(-1)).is_err());
        assert!(tail("tail", Some(MAX_TAIL + 1)).is_err());
    }

    #[test]
    fn lines_are_withheld_when_secrets_cannot_be_read() {
        let line = ContainerLogLine {
            stream: crate::docker::logs::LogStream::Stdout,
            at: Utc::now(),
            line: "token=abcd1234".into(),
        };
        assert_eq!(redacted_or_withheld(line.clone(), None).line, WITHHELD);
        let secrets = vec!["abcd1234".to_string()];
        assert_eq!(redacted_or_withheld(line, Some(&secrets)).line, "token=********");
    }
}
