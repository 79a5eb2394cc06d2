//! One deployment from start to end: the steps in order ([`super::steps`]), then its final
//! state. Any failure removes what this deployment made and leaves the previous version
//! serving; a panic in a step is caught by the worker ([`fail_unexpectedly`]).

use crate::ids::AppId;
use std::net::{IpAddr, Ipv4Addr};

use entities::{applications, deployments};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use tokio_util::sync::CancellationToken;

use super::{
    steps::{self, cutover, Made, Run, Stop},
    Deployer, Status,
};
use crate::{
    docker,
    ids::DeploymentId,
    services::applications::{AppStatus, BuildStrategy, CutoverOrder},
};

pub(super) async fn run(deployer: &Deployer, row: deployments::Model, cancel: CancellationToken) {
    let inner = deployer.inner();
    let app = match crate::services::applications::find(&inner.db, &AppId::from(&row.application_id)).await {
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
    let sink = inner.logs.open(inner.db.clone(), &DeploymentId::from(&row.id));
    let log = sink.writer();
    if app.active_deployment_id.is_none() {
        set_app_status(deployer, &app.id, AppStatus::Deploying).await;
    }
    let placed = match &app.cluster_id {
        Some(cluster_id) => on_cluster(inner, cluster_id).await,
        None => inner.places.of_app(&app).await.map(|place| {
            let engine = place.engine().clone();
            (place, engine)
        }),
    };
    let (place, engine) = match placed {
        Ok(placed) => placed,
        Err(reason) => {
            log.system(format!("failed: {reason}")).await;
            sink.finish().await;
            finish(deployer, &row, Status::Failed, Some(reason)).await;
            if app.active_deployment_id.is_none() {
                set_app_status(deployer, &app.id, AppStatus::Failed).await;
            }
            return;
        }
    };
    let row = match (place.server_id(), app.cluster_id.clone()) {
        (None, None) => row,
        (server_id, cluster_id) => {
            let recorded = crate::deploy::status::record(&inner.db, row.clone(), |d| {
                d.server_id = Set(server_id);
                d.cluster_id = Set(cluster_id);
            });
            match recorded.await {
                Ok(row) => row,
                Err(err) => {
                    tracing::warn!(error = %err.message(), "cannot record the deployment's server");
                    row
                }
            }
        }
    };
    if let (crate::places::Place::Remote(edge), None) = (&place, &app.cluster_id) {
        log.system(format!("running on the server {}", edge.server_name)).await;
    }
    let mut run = Run {
        deployer,
        app: &app,
        row: &row,
        log: &log,
        cancel: &cancel,
        engine,
        place,
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        made: Made::default(),
        compose: None,
    };

    let (status, reason) = match steps(&mut run).await {
        Ok(previous) => {
            log.system("deployment is live").await;
            sink.finish().await;
            finish(deployer, &row, Status::Running, None).await;
            match previous {
                Some(previous) => cutover::drain(deployer.clone(), previous, app),
                None => cutover::sweep_images(deployer, &app).await,
            }
            return;
        }
        Err(Stop::Cancelled) => (Status::Cancelled, "cancelled by a user".to_string()),
        Err(Stop::Failed(reason)) => (Status::Failed, sink.redact(&reason)),
    };
    log.system(format!("{}: {reason}", status.as_str())).await;
    cleanup(&run).await;
    sink.finish().await;
    finish(deployer, &row, status, Some(reason)).await;
    if app.active_deployment_id.is_none() {
        let status = match status {
            Status::Cancelled => AppStatus::Created,
            _ => AppStatus::Failed,
        };
        set_app_status(deployer, &app.id, status).await;
    }
}

/// The steps in order; returns the deployment this one replaced.
async fn steps(run: &mut Run<'_>) -> Result<Option<deployments::Model>, Stop> {
    let metrics = run.deployer.inner().metrics.clone();
    if run.app.cluster_id.is_some() {
        return timed(&metrics, "cluster", steps::cluster::deploy(run)).await;
    }
    if run.app.build_strategy == BuildStrategy::Static {
        timed(&metrics, "source", steps::site::files(run)).await?;
        return timed(&metrics, "cutover", steps::site::go_live(run)).await;
    }
    let image = if run.app.build_strategy == BuildStrategy::Compose {
        timed(&metrics, "source", steps::compose::prepare(run)).await?
    } else {
        timed(&metrics, "source", steps::source::image(run)).await?
    };
    // A stop-first application: the serving container stops before the new one starts, and
    // starts again if the new one does not go live.
    let stopped = match run.app.cutover_order {
        CutoverOrder::StopFirst => steps::start::stop_serving(run).await?,
        CutoverOrder::StartFirst => None,
    };
    let live = async {
        let (container, upstream) = timed(&metrics, "start", steps::start::start(run, &image)).await?;
        timed(
            &metrics,
            "health_gate",
            steps::health_gate::health_gate(run, &container, upstream),
        )
        .await?;
        let target = crate::proxy::Target::Upstream(upstream);
        timed(&metrics, "cutover", steps::cutover::cut_over(run, target)).await
    }
    .await;
    match (live, stopped) {
        (Ok(previous), _) => {
            // Live: what it made is no longer this deployment's to remove.
            run.made = Made::default();
            Ok(previous)
        }
        (Err(stop), Some(stopped)) => {
            // The new container goes first: it may hold what the old one needs.
            cleanup(run).await;
            run.made = Made::default();
            steps::start::restart_stopped(run, stopped).await;
            Err(stop)
        }
        (Err(stop), None) => Err(stop),
    }
}

/// Runs one step and counts how long it took and how it ended.
async fn timed<T>(
    metrics: &crate::metrics::Metrics,
    step: &'static str,
    work: impl std::future::Future<Output = Result<T, Stop>>,
) -> Result<T, Stop> {
    let started = std::time::Instant::now();
    let result = work.await;
    let outcome = match &result {
        Ok(_) => "ok",
        Err(Stop::Cancelled) => "cancelled",
        Err(Stop::Failed(_)) => "failed",
    };
    metrics.deployment_step(step, outcome, started.elapsed());
    result
}

/// Where a clustered application's deployment runs: its route on the cluster's edge server,
/// its build on the cluster's build server (the manager unless another was chosen).
async fn on_cluster(inner: &super::Inner, cluster_id: &str) -> Result<(crate::places::Place, bollard::Docker), String> {
    let cluster = crate::services::clusters::get(&inner.db, cluster_id)
        .await
        .map_err(|e| e.message())?;
    let place = inner.places.of_server(Some(&cluster.edge_server_id)).await?;
    let builder = crate::services::servers::get(&inner.db, crate::services::clusters::build_server_id(&cluster))
        .await
        .map_err(|e| e.message())?;
    let engine = inner.places.engine_of(&builder).await?;
    Ok((place, engine))
}

/// Removes what a deployment that did not go live made.
async fn cleanup(run: &Run<'_>) {
    if let Some((manager, service)) = &run.made.service {
        if let Err(err) = docker::swarm::remove_service(manager, service).await {
            run.log.system(format!("could not remove the new service: {err}")).await;
        }
    }
    if let Some(container) = &run.made.container {
        if let Err(err) = docker::stop_and_remove(&run.engine, container, 1).await {
            run.log
                .system(format!("could not remove the new container: {err}"))
                .await;
        }
    }
    if let Some(image) = &run.made.image {
        if let Err(err) = docker::remove_image(&run.engine, image).await {
            run.log.system(format!("could not remove the new image: {err}")).await;
        }
    }
    if let Some(site) = &run.made.site {
        if let Err(err) = tokio::fs::remove_dir_all(site).await {
            if err.kind() != std::io::ErrorKind::NotFound {
                run.log.system(format!("could not remove the new files: {err}")).await;
            }
        }
    }
}

/// After the pipeline's task panicked: a deployment still in flight is failed (its live log
/// ends with it) instead of staying in flight until a restart. What it started belongs to no
/// deployment now, so the reconciler's next pass removes it; the previous version keeps
/// serving. One that panicked after its cutover is the active one and serves: it is recorded
/// as running.
pub(super) async fn fail_unexpectedly(deployer: &Deployer, row: &deployments::Model) {
    let inner = deployer.inner();
    let in_flight = match super::get(&inner.db, &DeploymentId::from(&row.id)).await {
        Ok(now) => now.status.in_flight(),
        Err(_) => false,
    };
    if !in_flight {
        inner.logs.close(&DeploymentId::from(&row.id));
        return;
    }
    let active = crate::services::applications::find(&inner.db, &AppId::from(&row.application_id))
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
        set_app_status(deployer, &row.application_id, AppStatus::Failed).await;
    }
}

/// Stores the final status, then ends the deployment's live log (its lines are all stored by
/// now): a subscriber that joins in between reads a status in progress and gets the end live.
async fn finish(deployer: &Deployer, row: &deployments::Model, status: Status, reason: Option<String>) {
    let result = deployer
        .transition(&row.id, status, |d| d.failure_reason = Set(reason.clone()))
        .await;
    match result {
        Ok(_) => {}
        // Someone else ended it first (a cancel racing the worker): theirs stands.
        Err(crate::error::AppError::Conflict(reason)) => {
            tracing::debug!(%reason, deployment_id = %row.id, "end not recorded")
        }
        Err(err) => {
            tracing::error!(error = %err.message(), deployment_id = %row.id, "cannot record the end of a deployment")
        }
    }
    deployer.inner().logs.close(&DeploymentId::from(&row.id));
}

async fn set_app_status(deployer: &Deployer, app_id: &str, status: AppStatus) {
    let db = &deployer.inner().db;
    let Ok(Some(app)) = applications::Entity::find_by_id(app_id.to_string()).one(db).await else {
        return;
    };
    let mut active: applications::ActiveModel = app.into();
    active.status = Set(status);
    active.updated_at = Set(chrono::Utc::now());
    if let Err(err) = active.update(db).await {
        tracing::warn!(error = %err, app_id, "cannot record the application's status");
    }
}
