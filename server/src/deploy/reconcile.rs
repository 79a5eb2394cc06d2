//! The database says what should run and be routed; Docker and Caddy say what does. The
//! reconciler compares them at start-up, after deployments, on a timer (and checks Caddy's
//! routes every few seconds) and repairs the difference: the active container runs, Caddy
//! has exactly the routes the domains table says, unowned managed containers and images go,
//! and a deployment interrupted by a restart is marked failed while the old version keeps
//! serving.

use std::{collections::HashMap, net::SocketAddr, time::Duration};

use chrono::Utc;
use entities::{applications, deployments, domains};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use super::{Deployer, Inner, Status};
use crate::{docker, error::AppResult, proxy::AppRoute};

const ROUTE_CHECK: Duration = Duration::from_secs(2);

/// Every application with an active deployment, routed to its container. `replace` swaps
/// one application's upstream (the one being cut over).
pub async fn desired_routes(db: &DatabaseConnection, replace: Option<(&str, SocketAddr)>) -> AppResult<Vec<AppRoute>> {
    // Three queries whatever the number of applications: this runs every few seconds.
    let active_ids: Vec<String> = applications::Entity::find()
        .filter(applications::Column::ActiveDeploymentId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|app| app.active_deployment_id)
        .collect();
    let mut upstreams: HashMap<String, SocketAddr> = deployments::Entity::find()
        .filter(deployments::Column::Id.is_in(active_ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|d| {
            let port = d.host_port.and_then(|p| u16::try_from(p).ok())?;
            Some((d.application_id, SocketAddr::from(([127, 0, 0, 1], port))))
        })
        .collect();
    if let Some((app_id, upstream)) = replace {
        upstreams.insert(app_id.to_string(), upstream);
    }
    let mut hostnames: HashMap<String, Vec<String>> = HashMap::new();
    for domain in domains::Entity::find()
        .filter(domains::Column::ApplicationId.is_in(upstreams.keys().cloned()))
        .order_by_asc(domains::Column::Hostname)
        .all(db)
        .await?
    {
        hostnames
            .entry(domain.application_id)
            .or_default()
            .push(domain.hostname);
    }
    let mut routes: Vec<AppRoute> = upstreams
        .into_iter()
        .filter_map(|(app_id, upstream)| {
            let hostnames = hostnames.remove(&app_id)?;
            Some(AppRoute {
                app_id,
                hostnames,
                upstream,
            })
        })
        .collect();
    routes.sort_by(|a, b| a.app_id.cmp(&b.app_id));
    Ok(routes)
}

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
        .filter(deployments::Column::Status.is_in(Status::IN_FLIGHT))
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
        let now = Utc::now();
        let mut ended: deployments::ActiveModel = row.clone().into();
        ended.status = Set(if live { Status::Running } else { Status::Failed }.as_str().into());
        ended.failure_reason = Set((!live).then(|| "interrupted by restart".into()));
        ended.finished_at = Set(Some(now));
        ended.updated_at = Set(now);
        ended.update(&inner.db).await?;
        deployer.publish(&row.application_id, &row.id);
    }
    Ok(())
}

/// One full pass. Errors are logged by the caller; the next pass tries again.
pub async fn reconcile(deployer: &Deployer) -> AppResult<()> {
    let inner = deployer.inner();
    let Some(docker) = inner.docker.client() else {
        return Ok(());
    };
    let in_flight: Vec<String> = {
        let running = inner.running.lock().unwrap_or_else(|p| p.into_inner());
        running.values().map(|(id, _)| id.clone()).collect()
    };
    let known: Vec<String> = applications::Entity::find()
        .all(&inner.db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let apps = applications::Entity::find()
        .filter(applications::Column::ActiveDeploymentId.is_not_null())
        .all(&inner.db)
        .await?;
    let mut active_ids = Vec::new();
    let mut routes_changed = false;
    for app in apps {
        let Some(active_id) = app.active_deployment_id.clone() else {
            continue;
        };
        active_ids.push(active_id.clone());
        let Some(row) = deployments::Entity::find_by_id(active_id).one(&inner.db).await? else {
            continue;
        };
        routes_changed |= ensure_running(deployer, &docker, &app, row).await?;
    }
    // Managed containers of our applications that no active or in-flight deployment owns.
    // Containers of applications this database does not know belong to another Ployer
    // sharing the engine (or were torn down with their application); they are left alone.
    for container in docker::managed_containers(&docker, None).await? {
        if !container.app_id.as_ref().is_some_and(|id| known.contains(id)) {
            continue;
        }
        let owner = container.deployment_id.clone().unwrap_or_default();
        if active_ids.contains(&owner) || in_flight.contains(&owner) {
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
        docker::stop_and_remove(&docker, &container.id, 5).await?;
    }
    if routes_changed {
        push_routes(deployer).await?;
    } else {
        check_routes(deployer).await?;
    }
    // Images last: a failure here must not keep the routes from being checked.
    sweep_images(inner, &docker, &known).await;
    Ok(())
}

/// Removes the managed images of `app_ids` that no kept deployment owns (see
/// [`crate::services::docker_resources::remove_unowned_images`]); a failure is logged, and the
/// next pass tries again.
pub(super) async fn sweep_images(inner: &Inner, docker: &bollard::Docker, app_ids: &[String]) {
    match crate::services::docker_resources::remove_unowned_images(&inner.db, docker, inner.config.keep_images, app_ids)
        .await
    {
        Ok(outcome) => {
            for image in &outcome.removed {
                tracing::info!(image = %image.tags.first().unwrap_or(&image.id), "removed a managed image no deployment owns");
            }
        }
        Err(err) => tracing::warn!(error = ?err, "could not remove unowned images; the reconciler tries again"),
    }
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
            docker::inspect_running(docker, &id).await?.and_then(|(_, port)| port)
        }
        None => {
            let Some(image) = row.image_tag.clone() else {
                return Ok(false);
            };
            tracing::warn!(app = %app.name, "the active container is gone; recreating it");
            let vars = crate::services::env_vars::decrypted(&inner.db, &inner.crypto, &app.id).await?;
            let name = format!("ployer-{}-{}-r{}", app.name, &row.id[..8], Utc::now().timestamp());
            let started =
                docker::run_container(docker, super::container_spec(app, &row.id, &name, &image, &vars)?).await?;
            let mut active: deployments::ActiveModel = row.clone().into();
            active.container_id = Set(Some(started.id));
            active.container_name = Set(Some(name));
            active.host_port = Set(Some(i32::from(started.host_port)));
            active.updated_at = Set(Utc::now());
            active.update(&inner.db).await?;
            deployer.publish(&app.id, &row.id);
            return Ok(true);
        }
    };
    let port = port.map(i32::from);
    if port.is_some() && port != row.host_port {
        let mut active: deployments::ActiveModel = row.into();
        active.host_port = Set(port);
        active.update(&inner.db).await?;
        return Ok(true);
    }
    Ok(false)
}

/// Pushes the routes when Caddy's differ from the database's (see [`crate::proxy::Caddy::is_synced`]).
async fn check_routes(deployer: &Deployer) -> AppResult<()> {
    let inner = deployer.inner();
    let _routing = inner.routing.lock().await;
    let desired = desired_routes(&inner.db, None).await?;
    if !inner.proxy.is_synced(&desired).await? {
        tracing::info!(routes = desired.len(), "Caddy's routes drifted; pushing them again");
        inner.proxy.sync(&desired).await?;
    }
    Ok(())
}

async fn push_routes(deployer: &Deployer) -> AppResult<()> {
    let inner = deployer.inner();
    let _routing = inner.routing.lock().await;
    let desired = desired_routes(&inner.db, None).await?;
    inner.proxy.sync(&desired).await?;
    Ok(())
}

/// Runs for ever: a full pass every `reconcile_interval_seconds` and soon after a managed
/// container dies or is removed (Docker events), a route check every 2 s.
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
                match check_routes(&deployer).await {
                    Ok(()) => {}
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
/// with a pause when the engine goes away (or is not there yet).
async fn watch_events(engine: docker::Engine, changed: std::sync::Arc<tokio::sync::Notify>) {
    use futures::StreamExt;
    let filters: std::collections::HashMap<&str, Vec<&str>> = [
        ("type", vec!["container"]),
        ("label", vec!["ployer.managed=true"]),
        ("event", vec!["die", "stop", "destroy", "oom"]),
    ]
    .into_iter()
    .collect();
    loop {
        let Some(docker) = engine.client() else {
            tokio::time::sleep(Duration::from_secs(5)).await;
            continue;
        };
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
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}
