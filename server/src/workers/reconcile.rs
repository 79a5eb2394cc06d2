//! The database says what should run and be routed; Docker and Caddy say what does. The
//! reconciler compares them at start-up, after deployments, on a timer (and checks Caddy's
//! routes every few seconds) and repairs the difference: the active container runs, Caddy
//! has exactly the routes the domains table says, unowned managed containers and images go,
//! and a deployment interrupted by a restart is marked failed while the old version keeps
//! serving.

use std::time::Duration;

use chrono::Utc;
use entities::{applications, deployments};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::ids::AppId;
use crate::{
    deploy::{compose, retention, status, steps::start::container_spec, Deployer, Status},
    docker,
    error::AppResult,
    metrics::Repair,
};

const ROUTE_CHECK: Duration = Duration::from_secs(2);
/// How long the event watcher waits before asking an absent engine again.
const ENGINE_RETRY: Duration = Duration::from_secs(2);

/// Marks deployments that were in flight when Ployer stopped as failed (or running, for one
/// already switched to); run once at start, before the worker takes new ones.
pub async fn recover_interrupted(deployer: &Deployer) -> AppResult<()> {
    let inner = deployer.inner();
    // Checkouts live only while a build runs; at start-up none does.
    let build_root = inner.config.build_root();
    if let Ok(mut entries) = tokio::fs::read_dir(&build_root).await {
        while let Ok(Some(entry)) = entries.next_entry().await {
            if let Err(err) = tokio::fs::remove_dir_all(entry.path()).await {
                tracing::warn!(error = %err, path = %entry.path().display(), "cannot remove a stale checkout");
            }
        }
    }
    let stuck = deployments::Entity::find()
        .filter(deployments::Column::Status.is_in(status::in_flight()))
        .all(&inner.db)
        .await?;
    for row in stuck {
        let active = applications::Entity::find_by_id(row.application_id.clone())
            .one(&inner.db)
            .await?
            .and_then(|app| app.active_deployment_id);
        // Stopped between its cutover and its final status: it is the version serving.
        let live = active.as_deref() == Some(row.id.as_str());
        if live {
            tracing::warn!(deployment_id = %row.id, "deployment interrupted after its cutover; it is live");
        } else {
            tracing::warn!(deployment_id = %row.id, "deployment interrupted by a restart");
            if let (Some(docker), Some(container)) = (&inner.docker.client(), &row.container_id) {
                let _ = docker::stop_and_remove(docker, container, 1).await;
            }
        }
        let (to, reason) = if live {
            (Status::Running, None)
        } else {
            (Status::Failed, Some("interrupted by restart".to_string()))
        };
        if let Err(err) = deployer
            .transition(&row.id, to, |d| d.failure_reason = Set(reason))
            .await
        {
            tracing::warn!(error = %err.message(), deployment_id = %row.id, "cannot record an interrupted deployment's end");
        }
    }
    Ok(())
}

/// One full pass: this machine's engine, then each remote server in use (one that cannot be
/// reached is skipped: its check shows it offline, and the pass after it answers again
/// converges it), then the routes of all of them. Errors are logged by the caller; the next
/// pass tries again.
pub async fn reconcile(deployer: &Deployer) -> AppResult<()> {
    let inner = deployer.inner();
    let _pass = inner.reconciling.lock().await;
    let mut routes_changed = false;
    if let Some(docker) = inner.docker.client() {
        routes_changed |= reconcile_on(deployer, &docker, None).await?;
    }
    for server in inner.places.remote_in_use().await {
        let place = match inner.places.of_server(Some(&server.id)).await {
            Ok(place) => place,
            Err(err) => {
                tracing::debug!(server = %server.name, error = %err, "cannot reconcile a server now");
                continue;
            }
        };
        match reconcile_on(deployer, place.engine(), Some(&server.id)).await {
            Ok(changed) => routes_changed |= changed,
            Err(err) => tracing::warn!(server = %server.name, error = %err.message(), "cannot reconcile a server"),
        }
    }
    if routes_changed {
        inner.routing.push(&inner.db).await?;
        inner.metrics.repaired(Repair::RoutesPushed);
    } else if inner.routing.check(&inner.db).await? {
        inner.metrics.repaired(Repair::RoutesPushed);
    }
    Ok(())
}

/// The pass on one engine (`server`: the remote server it is on; `None`: this machine's):
/// the active containers of the applications running there run, and managed containers no
/// deployment owns go; true when a route must change.
async fn reconcile_on(deployer: &Deployer, docker: &bollard::Docker, server: Option<&str>) -> AppResult<bool> {
    let inner = deployer.inner();
    let in_flight = deployer.in_flight();
    let known: Vec<AppId> = applications::Entity::find()
        .all(&inner.db)
        .await?
        .into_iter()
        .map(|a| AppId::from(a.id))
        .collect();
    let apps = applications::Entity::find()
        .filter(applications::Column::ActiveDeploymentId.is_not_null())
        .all(&inner.db)
        .await?;
    // Every active deployment, wherever it runs: a container one of them owns is never an
    // orphan (two servers can be one engine).
    let active_ids: Vec<String> = apps.iter().filter_map(|a| a.active_deployment_id.clone()).collect();
    let mut routes_changed = false;
    for app in apps {
        let Some(active_id) = app.active_deployment_id.clone() else {
            continue;
        };
        if inner.holds.is_held(&app.id) {
            // A stop-first deployment stopped its container and is replacing it.
            continue;
        }
        let Some(row) = deployments::Entity::find_by_id(active_id).one(&inner.db).await? else {
            continue;
        };
        if row.server_id.as_deref() != server || row.cluster_id.is_some() {
            // It runs on another engine, or as a swarm service (the swarm keeps its tasks
            // running; `cluster::follow_tasks` follows them).
            continue;
        }
        // A deployment in flight is bringing the services to its own plan.
        let deploying = deployments::Entity::find()
            .filter(deployments::Column::ApplicationId.eq(app.id.clone()))
            .filter(deployments::Column::Status.is_in(status::in_flight()))
            .one(&inner.db)
            .await?
            .is_some();
        if row.compose_file.is_some() && !deploying {
            match compose::ensure_services(deployer, docker, &app, &row).await {
                Ok(changed) => routes_changed |= changed,
                // One application's services must not keep the others from being repaired.
                Err(err) => {
                    tracing::warn!(app = %app.name, error = %err.message(), "cannot repair a compose application's services")
                }
            }
        }
        routes_changed |= ensure_running(deployer, docker, &app, row).await?;
    }
    // The containers of Compose services other than the routed one outlive the deployment
    // that started them while they do not change.
    let service_containers: Vec<String> = entities::compose_services::Entity::find()
        .all(&inner.db)
        .await?
        .into_iter()
        .map(|row| row.container_id)
        .collect();
    // Managed containers of our applications that no active or in-flight deployment owns.
    // Containers of applications this database does not know belong to another Ployer
    // sharing the engine (or were torn down with their application); they are left alone.
    for container in docker::managed_containers(docker, None).await? {
        if !container
            .app_id
            .as_ref()
            .is_some_and(|id| known.iter().any(|known| known == id))
        {
            continue;
        }
        let owner = container.deployment_id.clone().unwrap_or_default();
        if active_ids.contains(&owner) || in_flight.contains(&owner) || service_containers.contains(&container.id) {
            continue;
        }
        // A replaced container is draining for a while after its cutover.
        if let Some(row) = deployments::Entity::find_by_id(owner.clone()).one(&inner.db).await? {
            let recent =
                Utc::now() - row.updated_at < chrono::Duration::seconds(inner.config.drain_seconds as i64 + 30);
            if recent {
                continue;
            }
        }
        tracing::info!(container = %container.name, "removing a managed container no deployment owns");
        docker::stop_and_remove(docker, &container.id, 5).await?;
        inner.metrics.repaired(Repair::RemovedOrphan);
    }
    // Images last: a failure here must not keep the routes from being checked.
    retention::sweep(&inner.db, docker, inner.config.keep_images, &known).await;
    Ok(routes_changed)
}

/// Starts (or recreates) the active deployment's container; true when its port changed.
async fn ensure_running(
    deployer: &Deployer,
    docker: &bollard::Docker,
    app: &applications::Model,
    row: deployments::Model,
) -> AppResult<bool> {
    let inner = deployer.inner();
    let state = match &row.container_id {
        Some(id) => docker::inspect_running(docker, id).await?,
        None => None,
    };
    let port = match state {
        Some((true, port)) => port,
        Some((false, _)) => {
            let id = row.container_id.clone().unwrap_or_default();
            tracing::warn!(app = %app.name, "the active container stopped; starting it again");
            docker::resources::start(docker, &id).await?;
            inner.metrics.repaired(Repair::Restarted);
            docker::inspect_running(docker, &id).await?.and_then(|(_, port)| port)
        }
        None => {
            let Some(image) = row.image_tag.clone() else {
                return Ok(false);
            };
            tracing::warn!(app = %app.name, "the active container is gone; recreating it");
            let vars = crate::services::env_vars::decrypted(&inner.db, &inner.crypto, &AppId::from(&app.id)).await?;
            let name = format!("ployer-{}-{}-r{}", app.name, &row.id[..8], Utc::now().timestamp());
            let private = inner.config.private_dirs();
            let started = match &row.compose_file {
                Some(raw) => {
                    let plan = compose::plan_with(raw, &vars, app.compose_service.as_deref())
                        .map_err(|e| crate::error::AppError::bad_input("composePath", e.to_string()))?;
                    compose::ensure_network(docker, &app.id).await?;
                    let launch = compose::routed_launch(&inner.db, app, &row, &plan, &image, &vars, &private).await?;
                    docker::run_container(docker, launch.spec(&name)).await?
                }
                None => {
                    let mounts = crate::services::mounts::specs(&inner.db, &AppId::from(&app.id), &private).await?;
                    let spec = container_spec(app, &row.id, &name, &image, &vars, mounts)?;
                    docker::run_container(docker, spec).await?
                }
            };
            status::record(&inner.db, row.clone(), |d| {
                d.container_id = Set(Some(started.id));
                d.container_name = Set(Some(name));
                d.host_port = Set(started.host_port.map(i32::from));
            })
            .await?;
            deployer.publish(&app.id, &row.id);
            inner.metrics.repaired(Repair::Recreated);
            return Ok(true);
        }
    };
    let port = port.map(i32::from);
    if port.is_some() && port != row.host_port {
        status::record(&inner.db, row, |d| d.host_port = Set(port)).await?;
        return Ok(true);
    }
    Ok(false)
}

/// Runs for ever: a full pass every `reconcile_interval_seconds`, soon after a managed
/// container dies or is removed (Docker events) and as soon as the engine answers again after
/// an outage; a route check every 2 s.
pub async fn run(deployer: Deployer) {
    let period = Duration::from_secs(deployer.inner().config.reconcile_interval_seconds.max(1));
    let mut full = tokio::time::interval(period);
    full.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut routes = tokio::time::interval(ROUTE_CHECK);
    routes.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let changed = std::sync::Arc::new(tokio::sync::Notify::new());
    let watcher = tokio::spawn(watch_events(deployer.inner().docker.clone(), changed.clone()));
    loop {
        tokio::select! {
            _ = full.tick() => {}
            _ = changed.notified() => {
                // Let a burst of events settle into one pass.
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            _ = routes.tick() => {
                let inner = deployer.inner();
                if let Err(err) = crate::deploy::cluster::follow_tasks(&deployer).await {
                    tracing::debug!(error = %err.message(), "cannot follow the clusters' tasks now");
                }
                match inner.routing.check(&inner.db).await {
                    Ok(false) => {}
                    Ok(true) => inner.metrics.repaired(Repair::RoutesPushed),
                    // Caddy down or restarting: the next check, 2 s on, finds it back.
                    Err(crate::error::AppError::Unavailable(reason)) => tracing::debug!(%reason, "route check failed"),
                    // Caddy refusing the config (a listener it cannot bind, say) stops every
                    // cutover too: worth seeing.
                    Err(err) => tracing::warn!(error = ?err, "route check failed"),
                }
                continue;
            }
        }
        if let Err(err) = reconcile(&deployer).await {
            tracing::warn!(error = ?err, "reconcile pass failed; retrying next time");
        }
        if watcher.is_finished() {
            tracing::warn!("the Docker event watcher stopped; relying on the timer");
        }
    }
}

/// Wakes the reconciler when a managed container dies, stops or is removed. Reconnects
/// with a pause when the engine goes away (or is not there yet), and wakes the reconciler
/// once it answers again: what happened meanwhile (a container removed, the engine restarted
/// without its containers) sent no event this watcher saw.
async fn watch_events(engine: docker::Engine, changed: std::sync::Arc<tokio::sync::Notify>) {
    use futures::StreamExt;
    let filters: std::collections::HashMap<&str, Vec<&str>> = [
        ("type", vec!["container"]),
        ("label", vec!["ployer.managed=true"]),
        ("event", vec!["die", "stop", "destroy", "oom"]),
    ]
    .into_iter()
    .collect();
    let mut missed = false;
    loop {
        let docker = match engine.client() {
            Some(docker) if docker.ping().await.is_ok() => docker,
            _ => {
                missed = true;
                tokio::time::sleep(ENGINE_RETRY).await;
                continue;
            }
        };
        if std::mem::take(&mut missed) {
            tracing::info!("the Docker engine answers again; reconciling");
            changed.notify_one();
        }
        let options = bollard::query_parameters::EventsOptionsBuilder::new()
            .filters(&filters)
            .build();
        let mut events = docker.events(Some(options));
        while let Some(event) = events.next().await {
            match event {
                Ok(_) => changed.notify_one(),
                Err(err) => {
                    tracing::debug!(error = %err, "Docker event stream ended");
                    break;
                }
            }
        }
        missed = true;
        tokio::time::sleep(ENGINE_RETRY).await;
    }
}
