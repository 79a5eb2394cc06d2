//! Step 4: traffic moves to the new container and the database records it active, both under
//! the routing lock ([`crate::deploy::routing::Routing::cut_over`], undone if either fails);
//! the replaced container drains, then goes, with the images no kept deployment needs.

use std::time::Duration;

use chrono::Utc;
use entities::{applications, deployments};
use sea_orm::{ActiveModelTrait, Set};

use super::{Run, Stop};
use crate::ids::{AppId, DeploymentId};
use crate::{
    deploy::{retention, status, Deployer, Status},
    docker,
    error::AppResult,
    proxy::Target,
    services::applications::AppStatus,
};

/// Switches traffic to `target`; returns the deployment this one replaced.
pub async fn cut_over(run: &Run<'_>, target: Target) -> Result<Option<deployments::Model>, Stop> {
    let inner = run.deployer.inner();
    run.check_cancelled()?;
    let previous = match &run.app.active_deployment_id {
        Some(id) => crate::deploy::get(&inner.db, &DeploymentId::from(id)).await.ok(),
        None => None,
    };
    let switched = inner
        .routing
        .cut_over(
            &inner.db,
            &AppId::from(&run.app.id),
            run.place.server_id().as_deref(),
            target.clone(),
            activate(run.deployer, run.app, run.row, previous.as_ref()),
        )
        .await;
    if let Err(failed) = switched {
        if let Some(undo) = failed.undo {
            run.log.system(undo).await;
        }
        return Err(Stop::Failed(failed.reason));
    }
    match &target {
        Target::Upstream(upstream) => run.log.system(format!("traffic switched to {upstream}")).await,
        Target::Pool { upstreams, .. } => {
            run.log
                .system(format!("traffic switched to {} tasks", upstreams.len()))
                .await
        }
        Target::Files(site) => {
            run.log
                .system(format!("traffic switched to the files at {}", site.root.display()))
                .await
        }
    }
    Ok(previous)
}

/// Marks the new deployment active and the previous one superseded, in one transaction.
async fn activate(
    deployer: &Deployer,
    app: &applications::Model,
    row: &deployments::Model,
    previous: Option<&deployments::Model>,
) -> AppResult<()> {
    let inner = deployer.inner();
    let txn = crate::db::begin_write(&inner.db).await?;
    if let Some(previous) = previous {
        status::write(&txn, &previous.id, Status::Superseded, |_| {}).await?;
    }
    let mut active: applications::ActiveModel = app.clone().into();
    active.active_deployment_id = Set(Some(row.id.clone()));
    active.status = Set(AppStatus::Running);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Lets the replaced container finish in-flight requests, removes it, then the images of `app`
/// no longer kept (the engine refuses to remove an image a draining container uses).
pub fn drain(deployer: Deployer, previous: deployments::Model, app: applications::Model) {
    tokio::spawn(async move {
        let inner = deployer.inner();
        deployer.publish(&previous.application_id, &previous.id);
        tokio::time::sleep(Duration::from_secs(inner.config.drain_seconds)).await;
        if let (Some(cluster_id), Some(service)) = (&previous.cluster_id, &previous.service_id) {
            // The replaced service, on its cluster's manager; then the images no kept
            // deployment owns, on every node.
            match crate::deploy::cluster::Swarm::open(inner, cluster_id).await {
                Ok(swarm) => {
                    if let Err(err) = crate::docker::swarm::remove_service(&swarm.manager, service).await {
                        tracing::warn!(error = %err, service, "could not remove a replaced service; the reconciler will");
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err.message(), "cannot reach the replaced version's cluster; the reconciler will remove it")
                }
            }
            // The tasks' containers go a moment after their service.
            tokio::time::sleep(Duration::from_secs(2)).await;
            crate::deploy::cluster::sweep_images(inner, cluster_id, &app.id).await;
            if app.cluster_id.as_deref() == Some(cluster_id.as_str()) {
                return;
            }
            sweep_images(&deployer, &app).await;
            return;
        }
        // On the server it ran on, which is another one when the application moved.
        match inner.places.of_server(previous.server_id.as_deref()).await {
            Ok(place) => {
                if let Some(container) = &previous.container_id {
                    if let Err(err) = docker::stop_and_remove(place.engine(), container, 10).await {
                        tracing::warn!(error = %err, container, "could not remove a replaced container; the reconciler will");
                    }
                }
                if previous.server_id.as_deref() != app_server(&deployer, &app).await.as_deref() {
                    let keep = inner.config.keep_images;
                    retention::sweep(&inner.db, place.engine(), keep, &[AppId::from(&app.id)]).await;
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot reach the replaced version's server; the reconciler will remove it")
            }
        }
        sweep_images(&deployer, &app).await;
    });
}

/// Removes the application's images no kept deployment owns: this runs after a drain, when
/// the next deployment may have started.
pub async fn sweep_images(deployer: &Deployer, app: &applications::Model) {
    let inner = deployer.inner();
    if let Some(cluster_id) = &app.cluster_id {
        crate::deploy::cluster::sweep_images(inner, cluster_id, &app.id).await;
        return;
    }
    let Ok(place) = inner.places.of_app(app).await else {
        return;
    };
    retention::sweep(
        &inner.db,
        place.engine(),
        inner.config.keep_images,
        &[AppId::from(&app.id)],
    )
    .await;
}

/// The remote server the application's deployments run on now; `None`: this machine.
async fn app_server(deployer: &Deployer, app: &applications::Model) -> Option<String> {
    let places = &deployer.inner().places;
    places.is_remote(&app.server_id).await.then(|| app.server_id.clone())
}
