//! The steps of one deployment, in order: clone, build (or take an image), start, gate on
//! health, cut over. Each step writes the state first; any failure removes what this
//! deployment made and leaves the previous version serving.

use std::{
    net::SocketAddr,
    path::PathBuf,
    time::{Duration, Instant},
};

use chrono::Utc;
use entities::{applications, deploy_keys, deployments};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use tokio_util::sync::CancellationToken;

use super::{health, logs::LogWriter, reconcile, Deployer, DeploymentEvent, Inner, Status};
use crate::{
    docker::{self, BuildSpec},
    git,
    services::{self, applications::BuildStrategy},
};

/// Why a pipeline stopped early.
enum Stop {
    Cancelled,
    Failed(String),
}

impl<E: std::fmt::Display> From<E> for Stop {
    fn from(err: E) -> Self {
        Stop::Failed(err.to_string())
    }
}

/// What this deployment created, to remove when it does not succeed.
#[derive(Default)]
struct Made {
    image: Option<String>,
    container: Option<String>,
}

const CLONE_TIMEOUT: Duration = Duration::from_secs(600);
/// Pauses between health probes during the gate: the first is short, each next one doubles.
const PROBE_PAUSE_FIRST: Duration = Duration::from_millis(25);
const PROBE_PAUSE_MAX: Duration = Duration::from_millis(500);

pub(super) async fn run(deployer: &Deployer, row: deployments::Model, cancel: CancellationToken) {
    let inner = deployer.inner();
    let id = row.id.clone();
    let app = match services::applications::find(&inner.db, &row.application_id).await {
        Ok(app) => app,
        Err(err) => {
            finish(
                deployer,
                &row,
                Status::Failed,
                Some(format!("the application is gone: {}", err.message())),
            )
            .await;
            return;
        }
    };
    // Secret values join the redaction when they are decrypted, just before their use.
    let sink = inner.logs.open(inner.db.clone(), &id);
    let log = sink.writer();
    let _ = set_status(deployer, &id, Status::Queued, |d| d.started_at = Set(Some(Utc::now()))).await;
    if app.active_deployment_id.is_none() {
        set_app_status(inner, &app.id, services::applications::AppStatus::Deploying).await;
    }

    let mut made = Made::default();
    let outcome = steps(deployer, &app, &row, &log, &cancel, &mut made).await;
    let (status, reason) = match outcome {
        Ok(previous) => {
            log.system("deployment is live").await;
            sink.finish().await;
            finish(deployer, &row, Status::Running, None).await;
            // Images go once the replaced container is gone: the engine refuses to remove an
            // image a container (still draining) uses.
            match previous {
                Some(previous) => drain(deployer.clone(), previous, app),
                None => prune_images(inner, &app).await,
            }
            return;
        }
        Err(Stop::Cancelled) => (Status::Cancelled, "cancelled by a user".to_string()),
        Err(Stop::Failed(reason)) => (Status::Failed, sink.redact(&reason)),
    };
    log.system(format!("{}: {reason}", status.as_str())).await;
    cleanup(inner, &made, &log).await;
    sink.finish().await;
    finish(deployer, &row, status, Some(reason)).await;
    if app.active_deployment_id.is_none() {
        let status = match status {
            Status::Cancelled => services::applications::AppStatus::Created,
            _ => services::applications::AppStatus::Failed,
        };
        set_app_status(inner, &app.id, status).await;
    }
}

/// Runs the steps; returns the container of the deployment this one replaced.
async fn steps(
    deployer: &Deployer,
    app: &applications::Model,
    row: &deployments::Model,
    log: &LogWriter,
    cancel: &CancellationToken,
    made: &mut Made,
) -> Result<Option<deployments::Model>, Stop> {
    let inner = deployer.inner();
    let docker = inner
        .docker
        .client()
        .ok_or_else(|| Stop::Failed("the Docker engine is not reachable".into()))?;
    let strategy = services::applications::BuildStrategy::parse_stored(&app.build_strategy).map_err(|e| e.message())?;

    let image = if let Some(target_id) = &row.rollback_of_id {
        let target = super::get(&inner.db, target_id).await.map_err(|e| e.message())?;
        let image = target
            .image_tag
            .ok_or_else(|| Stop::Failed("the deployment rolled back to has no image".into()))?;
        log.system(format!(
            "rolling back to deployment {target_id}: image {image}, no build"
        ))
        .await;
        set_status(deployer, &row.id, Status::Starting, |d| {
            d.image_tag = Set(Some(image.clone()));
            d.commit_message = Set(target.commit_message.clone());
            d.commit_author = Set(target.commit_author.clone());
        })
        .await?;
        image
    } else {
        match strategy {
            BuildStrategy::Image => {
                let image = app
                    .image
                    .clone()
                    .ok_or_else(|| Stop::Failed("the application has no image".into()))?;
                set_status(deployer, &row.id, Status::Building, |d| {
                    d.image_tag = Set(Some(image.clone()))
                })
                .await?;
                log.system(format!("using image {image}")).await;
                let (tx, forward) = forward_lines(log.clone(), "build");
                let pulled = cancellable(cancel, docker::ensure_image(&docker, &image, tx)).await;
                let _ = forward.await;
                pulled?.map_err(|e| Stop::Failed(format!("cannot get image {image}: {e}")))?;
                image
            }
            BuildStrategy::Dockerfile => build(deployer, app, row, log, cancel, made, &docker).await?,
            other => return Err(Stop::Failed(format!("{} builds are not supported yet", other.as_str()))),
        }
    };

    // Start.
    set_status(deployer, &row.id, Status::Starting, |_| {}).await?;
    if cancel.is_cancelled() {
        return Err(Stop::Cancelled);
    }
    let short = &row.id[..8];
    let name = format!("ployer-{}-{short}", app.name);
    let vars = decrypt_vars(
        services::env_vars::decrypted(&inner.db, &inner.crypto, &app.id).await,
        log,
    )?;
    let spec = super::container_spec(app, &row.id, &name, &image, &vars).map_err(|e| e.message())?;
    log.system(format!("starting container {name}")).await;
    let started = docker::run_container(&docker, spec)
        .await
        .map_err(|e| Stop::Failed(format!("cannot start the container: {e}")))?;
    made.container = Some(started.id.clone());
    set_status(deployer, &row.id, Status::HealthChecking, |d| {
        d.container_id = Set(Some(started.id.clone()));
        d.container_name = Set(Some(name.clone()));
        d.host_port = Set(Some(i32::from(started.host_port)));
    })
    .await?;

    // Gate on health.
    let upstream = SocketAddr::from(([127, 0, 0, 1], started.host_port));
    health_gate(inner, app, &started.id, upstream, log, cancel).await?;

    // Cut over.
    if cancel.is_cancelled() {
        return Err(Stop::Cancelled);
    }
    let previous = match &app.active_deployment_id {
        Some(id) => super::get(&inner.db, id).await.ok(),
        None => None,
    };
    {
        let _routing = inner.routing.lock().await;
        let routes = reconcile::desired_routes(&inner.db, Some((&app.id, upstream)))
            .await
            .map_err(|e| e.message())?;
        let switched = match inner.proxy.sync(&routes).await {
            Ok(()) => activate(inner, app, row, previous.as_ref())
                .await
                .map_err(|e| e.message()),
            Err(err) => Err(format!("cannot route traffic: {err}")),
        };
        if let Err(reason) = switched {
            // The upstream file may already name the new container, which is about to be
            // removed: point the route back at what the database still calls active.
            match reconcile::desired_routes(&inner.db, None).await {
                Ok(previous_routes) => {
                    if let Err(err) = inner.proxy.write_upstreams(&previous_routes) {
                        log.system(format!("could not route traffic back to the previous version: {err}"))
                            .await;
                    }
                }
                Err(err) => tracing::warn!(error = ?err, "cannot read the routes to restore after a failed cutover"),
            }
            return Err(Stop::Failed(reason));
        }
    }
    log.system(format!("traffic switched to {upstream}")).await;
    made.container = None;
    made.image = None;
    Ok(previous)
}

/// Environment variables just decrypted; their secret values are redacted from the log and
/// the failure reason from here on.
fn decrypt_vars(
    decrypted: crate::error::AppResult<Vec<(services::env_vars::NewVar, bool)>>,
    log: &LogWriter,
) -> Result<Vec<(services::env_vars::NewVar, bool)>, Stop> {
    let vars = decrypted.map_err(|e| format!("cannot read environment variables: {}", e.message()))?;
    log.also_redact(
        vars.iter()
            .filter(|(_, secret)| *secret)
            .map(|(var, _)| var.value.clone()),
    );
    Ok(vars)
}

async fn build(
    deployer: &Deployer,
    app: &applications::Model,
    row: &deployments::Model,
    log: &LogWriter,
    cancel: &CancellationToken,
    made: &mut Made,
    docker: &bollard::Docker,
) -> Result<String, Stop> {
    let inner = deployer.inner();
    let url = app
        .git_url
        .clone()
        .ok_or_else(|| Stop::Failed("the application has no git URL".into()))?;
    let branch = app
        .branch
        .clone()
        .unwrap_or_else(|| services::applications::DEFAULT_BRANCH.into());
    set_status(deployer, &row.id, Status::Cloning, |_| {}).await?;
    let key = services::deploy_keys::find(&inner.db, &app.id)
        .await
        .map_err(|e| e.message())?;
    let private_key = match &key {
        Some(key) => Some(services::deploy_keys::private_key(&inner.crypto, key).map_err(|e| e.message())?),
        None => None,
    };
    let http_credentials = services::git_credentials::for_clone(&inner.db, &inner.crypto, &app.id, &url)
        .await
        .map_err(|e| e.message())?;
    if let Some(credentials) = &http_credentials {
        log.also_redact([credentials.token.clone()]);
        log.system(format!(
            "using the application's git credentials (user `{}`) if the server asks",
            credentials.username
        ))
        .await;
    }
    let build_root = inner.config.build_root();
    tokio::fs::create_dir_all(&build_root)
        .await
        .map_err(|e| format!("cannot create the build directory: {e}"))?;
    let checkout = tempfile::Builder::new()
        .prefix(&format!("{}-", app.name))
        .tempdir_in(&build_root)
        .map_err(|e| format!("cannot create a checkout directory: {e}"))?;
    let dest: PathBuf = checkout.path().join("src");
    log.system(format!(
        "cloning {url} ({})",
        row.commit_sha.as_deref().unwrap_or(&branch)
    ))
    .await;
    // Read now, not when the URL was saved: an admin may have turned local sources off since.
    let local_paths = services::settings::allow_local_git_paths(&inner.db)
        .await
        .map_err(|e| e.message())?
        .then(|| vec![inner.config.data_dir.clone(), inner.config.build_root()]);
    let cloned = git::clone(
        git::CloneRequest {
            url,
            branch,
            commit: row.commit_sha.clone(),
            dest: dest.clone(),
            ssh_private_key: private_key,
            http_credentials,
            known_host_key: key.as_ref().and_then(|k| k.known_host_key.clone()),
            timeout: CLONE_TIMEOUT,
            local_paths,
        },
        cancel.clone(),
    )
    .await
    .map_err(|err| match err {
        git::GitError::Cancelled => Stop::Cancelled,
        other => Stop::Failed(format!("clone failed: {other}")),
    })?;
    if let (Some(key), Some(seen)) = (&key, &cloned.host_key) {
        if key.known_host_key.is_none() {
            let mut active: deploy_keys::ActiveModel = key.clone().into();
            active.known_host_key = Set(Some(seen.clone()));
            active
                .update(&inner.db)
                .await
                .map_err(|e| format!("cannot record the host key: {e}"))?;
            log.system("recorded the git host's key; later clones must see the same key")
                .await;
        }
    }
    log.system(format!(
        "commit {} by {}: {}",
        &cloned.sha,
        cloned.author,
        cloned.message.lines().next().unwrap_or("")
    ))
    .await;
    set_status(deployer, &row.id, Status::Building, |d| {
        d.commit_sha = Set(Some(cloned.sha.clone()));
        d.commit_message = Set(Some(cloned.message.clone()));
        d.commit_author = Set(Some(cloned.author.clone()));
    })
    .await?;

    let context_dir = if app.build_context == "." {
        dest.clone()
    } else {
        dest.join(&app.build_context)
    };
    let dockerfile = if app.build_context == "." {
        app.dockerfile_path.clone()
    } else {
        match app.dockerfile_path.strip_prefix(&format!("{}/", app.build_context)) {
            Some(inside) => inside.to_string(),
            None => return Err(Stop::Failed("the Dockerfile must be inside the build context".into())),
        }
    };
    let tag = docker::image_tag(&app.name, &row.id);
    let _slot = match inner.builds.try_acquire() {
        Ok(slot) => slot,
        Err(_) => {
            log.system(format!(
                "waiting for a build slot: {} build(s) already running (max_concurrent_builds)",
                inner.config.max_concurrent_builds.max(1)
            ))
            .await;
            tokio::select! {
                slot = inner.builds.acquire() => slot.map_err(|_| Stop::Failed("the build queue is closed".into()))?,
                _ = cancel.cancelled() => return Err(Stop::Cancelled),
            }
        }
    };
    let build_args: Vec<(String, String)> = decrypt_vars(
        services::env_vars::decrypted_build_time(&inner.db, &inner.crypto, &app.id).await,
        log,
    )?
    .into_iter()
    .map(|(v, _)| (v.key, v.value))
    .collect();
    log.system(format!("building {tag}")).await;
    made.image = Some(tag.clone());
    let mut attempt = 1;
    loop {
        let (tx, forward) = forward_lines(log.clone(), "build");
        let built = cancellable(
            cancel,
            docker::build_image(
                docker,
                BuildSpec {
                    context_dir: &context_dir,
                    dockerfile: &dockerfile,
                    tag: &tag,
                    build_args: build_args.iter().cloned().collect(),
                    labels: docker::image_labels(&app.id),
                    memory_bytes: inner.config.build_memory_bytes,
                    cpus: inner.config.build_cpus,
                },
                tx,
            ),
        )
        .await;
        let _ = forward.await;
        match built? {
            Ok(_) => break,
            // The engine's build cache walks the images built on the same parent; an image
            // removed meanwhile (a prune, another app's cleanup) fails that walk. Once more.
            Err(docker::DockerError::Build(message)) if attempt == 1 && message.contains("unable to find image") => {
                log.system(format!(
                    "the build cache changed under the build ({message}); building again"
                ))
                .await;
                attempt += 1;
            }
            Err(docker::DockerError::Build(message)) => return Err(Stop::Failed(format!("build failed: {message}"))),
            Err(other) => return Err(Stop::Failed(format!("build failed: {other}"))),
        }
    }
    drop(checkout);
    set_status(deployer, &row.id, Status::Building, |d| {
        d.image_tag = Set(Some(tag.clone()))
    })
    .await?;
    Ok(tag)
}

/// Probes until the check passes `healthy_threshold` times in a row, the container exits,
/// or the time runs out.
async fn health_gate(
    inner: &Inner,
    app: &applications::Model,
    container: &str,
    upstream: SocketAddr,
    log: &LogWriter,
    cancel: &CancellationToken,
) -> Result<(), Stop> {
    let check = services::applications::health_check(&inner.db, &app.id)
        .await
        .map_err(|e| e.message())?;
    let probe = health::Probe::from_check(check.as_ref());
    let target = match check.as_ref().and_then(|c| c.port) {
        Some(port) if port != app.port => {
            return Err(Stop::Failed(format!(
                "the health check probes port {port}, but only the application port {} is published",
                app.port
            )))
        }
        _ => upstream,
    };
    let (interval, timeout, needed, unhealthy, start) = match &check {
        Some(c) => (
            c.interval_seconds,
            c.timeout_seconds,
            c.healthy_threshold,
            c.unhealthy_threshold,
            c.start_period_seconds,
        ),
        None => (10, 5, 1, 3, 10),
    };
    let budget = Duration::from_secs(
        u64::try_from(start + interval * unhealthy + timeout)
            .unwrap_or(60)
            .max(10),
    );
    let deadline = Instant::now() + budget;
    let docker = inner
        .docker
        .client()
        .ok_or_else(|| Stop::Failed("the Docker engine is not reachable".into()))?;
    log.system(format!(
        "health check: {probe:?} on {target}, up to {}s",
        budget.as_secs()
    ))
    .await;
    let mut streak = 0;
    let mut last = String::from("no probe ran");
    // Most apps listen within a few hundred milliseconds: probe soon, then back off.
    let mut pause = PROBE_PAUSE_FIRST;
    loop {
        if cancel.is_cancelled() {
            return Err(Stop::Cancelled);
        }
        match docker::inspect_running(&docker, container).await {
            Ok(Some((true, _))) => {}
            Ok(_) | Err(_) => {
                let tail = docker::logs_tail(&docker, container, 20).await.unwrap_or_default();
                for line in &tail {
                    log.line("stdout", line).await;
                }
                return Err(Stop::Failed("the container exited before it became healthy".into()));
            }
        }
        let result = health::probe(
            &inner.probe_client,
            target,
            &probe,
            Duration::from_secs(timeout.max(1) as u64),
        )
        .await;
        if result.healthy {
            streak += 1;
            if streak >= needed {
                log.system(format!("healthy: {}", result.detail)).await;
                return Ok(());
            }
        } else {
            streak = 0;
            last = result.detail;
        }
        if Instant::now() >= deadline {
            log.system(format!("last health check: {last}")).await;
            let tail = docker::logs_tail(&docker, container, 20).await.unwrap_or_default();
            for line in &tail {
                log.line("stdout", line).await;
            }
            return Err(Stop::Failed(format!(
                "the health check did not pass within {}s: {last}",
                budget.as_secs()
            )));
        }
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = cancel.cancelled() => return Err(Stop::Cancelled),
        }
        pause = (pause * 2).min(PROBE_PAUSE_MAX);
    }
}

/// Marks the new deployment active and the previous one superseded, in one transaction.
async fn activate(
    inner: &Inner,
    app: &applications::Model,
    row: &deployments::Model,
    previous: Option<&deployments::Model>,
) -> crate::error::AppResult<()> {
    let txn = crate::db::begin_write(&inner.db).await?;
    let now = Utc::now();
    if let Some(previous) = previous {
        let mut old: deployments::ActiveModel = previous.clone().into();
        old.status = Set(Status::Superseded.as_str().into());
        old.updated_at = Set(now);
        old.update(&txn).await?;
    }
    let mut active: applications::ActiveModel = app.clone().into();
    active.active_deployment_id = Set(Some(row.id.clone()));
    active.status = Set(services::applications::AppStatus::Running.as_str().into());
    active.updated_at = Set(now);
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Lets the replaced container finish in-flight requests, removes it, then the images of `app`
/// no longer kept.
fn drain(deployer: Deployer, previous: deployments::Model, app: applications::Model) {
    tokio::spawn(async move {
        let inner = deployer.inner();
        deployer.publish(&previous.application_id, &previous.id);
        tokio::time::sleep(Duration::from_secs(inner.config.drain_seconds)).await;
        if let (Some(docker), Some(container)) = (&inner.docker.client(), &previous.container_id) {
            if let Err(err) = docker::stop_and_remove(docker, container, 10).await {
                tracing::warn!(error = %err, container, "could not remove a replaced container; the reconciler will");
            }
        }
        prune_images(inner, &app).await;
    });
}

/// Removes the application's images no kept deployment owns (the newest `keep_images` that
/// ran, the active one, those in flight and targets of queued rollbacks): this runs after a
/// drain, when the next deployment may have started. The reconciler sweeps the same way.
async fn prune_images(inner: &Inner, app: &applications::Model) {
    let Some(docker) = &inner.docker.client() else { return };
    reconcile::sweep_images(inner, docker, std::slice::from_ref(&app.id)).await;
}

async fn cleanup(inner: &Inner, made: &Made, log: &LogWriter) {
    let Some(docker) = &inner.docker.client() else { return };
    if let Some(container) = &made.container {
        if let Err(err) = docker::stop_and_remove(docker, container, 1).await {
            log.system(format!("could not remove the new container: {err}")).await;
        }
    }
    if let Some(image) = &made.image {
        if let Err(err) = docker::remove_image(docker, image).await {
            log.system(format!("could not remove the new image: {err}")).await;
        }
    }
}

/// Writes `status` (and whatever `change` sets) before a step runs.
async fn set_status(
    deployer: &Deployer,
    id: &str,
    status: Status,
    change: impl FnOnce(&mut deployments::ActiveModel),
) -> Result<(), Stop> {
    let inner = deployer.inner();
    let row = deployments::Entity::find_by_id(id.to_string())
        .one(&inner.db)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| Stop::Failed("the deployment row is gone".into()))?;
    let app_id = row.application_id.clone();
    let mut active: deployments::ActiveModel = row.into();
    if status != Status::Queued {
        active.status = Set(status.as_str().into());
    }
    change(&mut active);
    active.updated_at = Set(Utc::now());
    active.update(&inner.db).await.map_err(|e| e.to_string())?;
    let _ = inner.events.send(DeploymentEvent {
        app_id,
        deployment_id: id.to_string(),
    });
    Ok(())
}

/// After the pipeline's task panicked: a deployment still in flight is failed (its live log
/// ends with it) instead of staying in flight until a restart. What it started belongs to no
/// deployment now, so the reconciler's next pass removes it; the previous version keeps
/// serving. One that panicked after its cutover is the active one and serves: it is recorded
/// as running.
pub(super) async fn fail_unexpectedly(deployer: &Deployer, row: &deployments::Model) {
    let inner = deployer.inner();
    let in_flight = match super::get(&inner.db, &row.id).await {
        Ok(now) => Status::parse_stored(&now.status).is_ok_and(|s| s.in_flight()),
        Err(_) => false,
    };
    if !in_flight {
        inner.logs.close(&row.id);
        return;
    }
    let active = services::applications::find(&inner.db, &row.application_id)
        .await
        .ok()
        .and_then(|app| app.active_deployment_id);
    if active.as_deref() == Some(row.id.as_str()) {
        finish(deployer, row, Status::Running, None).await;
        return;
    }
    finish(
        deployer,
        row,
        Status::Failed,
        Some("the deployment stopped because of an internal error in Ployer (see the server log); deploy again".into()),
    )
    .await;
    if active.is_none() {
        set_app_status(inner, &row.application_id, services::applications::AppStatus::Failed).await;
    }
}

/// Stores the final status, then ends the deployment's live log (its lines are all stored by
/// now): a subscriber that joins in between reads a status in progress and gets the end live.
async fn finish(deployer: &Deployer, row: &deployments::Model, status: Status, reason: Option<String>) {
    let result = set_status(deployer, &row.id, status, |d| {
        d.failure_reason = Set(reason.clone());
        d.finished_at = Set(Some(Utc::now()));
    })
    .await;
    if let Err(Stop::Failed(err)) = result {
        tracing::error!(error = %err, deployment_id = %row.id, "cannot record the end of a deployment");
    }
    deployer.inner().logs.close(&row.id);
}

async fn set_app_status(inner: &Inner, app_id: &str, status: services::applications::AppStatus) {
    let Ok(Some(app)) = applications::Entity::find_by_id(app_id.to_string())
        .one(&inner.db)
        .await
    else {
        return;
    };
    let mut active: applications::ActiveModel = app.into();
    active.status = Set(status.as_str().into());
    active.updated_at = Set(Utc::now());
    if let Err(err) = active.update(&inner.db).await {
        tracing::warn!(error = %err, app_id, "cannot record the application's status");
    }
}

/// A channel whose lines go to the deployment log, and the task that forwards them.
fn forward_lines(
    log: LogWriter,
    stream: &'static str,
) -> (tokio::sync::mpsc::Sender<String>, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(1024);
    let task = tokio::spawn(async move {
        while let Some(line) = rx.recv().await {
            log.line(stream, line).await;
        }
    });
    (tx, task)
}

async fn cancellable<T>(cancel: &CancellationToken, work: impl std::future::Future<Output = T>) -> Result<T, Stop> {
    tokio::select! {
        result = work => Ok(result),
        _ = cancel.cancelled() => Err(Stop::Cancelled),
    }
}
