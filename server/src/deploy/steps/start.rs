//! Step 2: a container from the image, beside the version serving: the application's
//! runtime environment, its port published on loopback, its limits and restart policy, and
//! Ployer's labels naming the application and the deployment.

use crate::ids::AppId;
use std::net::SocketAddr;

use entities::applications;
use sea_orm::Set;

use super::{Run, Stop};
use crate::{
    deploy::Status,
    docker,
    error::{AppError, AppResult},
    services,
};

/// Starts the container; returns its id and the address its port is published at.
pub async fn start(run: &mut Run<'_>, image: &str) -> Result<(String, SocketAddr), Stop> {
    let inner = run.deployer.inner();
    let app = run.app;
    run.transition(Status::Starting, |_| {}).await?;
    run.check_cancelled()?;
    let short = &run.row.id[..8];
    let name = format!("ployer-{}-{short}", app.name);
    let private = inner.config.private_dirs();
    let name = match &run.compose {
        Some(prepared) => format!("ployer-{}-{}-{short}", app.name, prepared.plan.routed),
        None => name,
    };
    let launch;
    let spec = match &run.compose {
        Some(prepared) => {
            launch = crate::deploy::compose::routed_launch(
                &inner.db,
                app,
                run.row,
                &prepared.plan,
                image,
                &prepared.vars,
                &private,
            )
            .await
            .map_err(|e| e.message())?;
            launch.spec(&name)
        }
        None => {
            let vars = run
                .decrypted_vars(services::env_vars::decrypted(&inner.db, &inner.crypto, &AppId::from(&app.id)).await)?;
            let mounts = services::mounts::specs(&inner.db, &AppId::from(&app.id), &private)
                .await
                .map_err(|e| e.message())?;
            container_spec(app, &run.row.id, &name, image, &vars, mounts).map_err(|e| e.message())?
        }
    };
    run.log.system(format!("starting container {name}")).await;
    let started = docker::run_container(&run.engine, spec)
        .await
        .map_err(|e| Stop::Failed(format!("cannot start the container: {e}")))?;
    run.made.container = Some(started.id.clone());
    let port = started
        .host_port
        .ok_or_else(|| Stop::Failed("the container published no port".into()))?;
    run.transition(Status::HealthChecking, |d| {
        d.container_id = Set(Some(started.id.clone()));
        d.container_name = Set(Some(name.clone()));
        d.host_port = Set(Some(i32::from(port)));
    })
    .await?;
    Ok((started.id, SocketAddr::new(run.host, port)))
}

/// The container serving now, stopped by a stop-first deployment; held so that no worker
/// starts it again meanwhile.
pub struct Stopped {
    container: String,
    active: entities::deployments::Model,
    _hold: crate::deploy::holds::Hold,
}

/// For a stop-first application: stops the container serving now (if any), so the new one
/// never runs beside it. The application is unavailable from here until the new version
/// passes its health check (or, if it fails, until the old one is back).
pub async fn stop_serving(run: &mut Run<'_>) -> Result<Option<Stopped>, Stop> {
    let inner = run.deployer.inner();
    let Some(active_id) = &run.app.active_deployment_id else {
        return Ok(None);
    };
    let active = crate::deploy::get(&inner.db, &crate::ids::DeploymentId::from(active_id))
        .await
        .map_err(|e| Stop::Failed(e.message()))?;
    let Some(container) = active.container_id.clone() else {
        return Ok(None);
    };
    run.check_cancelled()?;
    let hold = inner.holds.hold(&run.app.id);
    run.log
        .system("stop-first: stopping the serving container; the application is unavailable until the new version passes its health check")
        .await;
    let started = std::time::Instant::now();
    docker::resources::stop(&run.engine, &container, STOP_GRACE_SECONDS)
        .await
        .map_err(|e| Stop::Failed(format!("cannot stop the serving container: {e}")))?;
    run.log
        .system(format!(
            "stopped the serving container in {} ms",
            started.elapsed().as_millis()
        ))
        .await;
    Ok(Some(Stopped {
        container,
        active,
        _hold: hold,
    }))
}

/// Starts the container a stop-first deployment stopped, after the deployment failed.
pub async fn restart_stopped(run: &Run<'_>, stopped: Stopped) {
    match started_again(run, &stopped).await {
        Ok(()) => run.log.system("the previous version was started again").await,
        Err(err) => {
            run.log
                .system(format!(
                    "could not start the previous version again ({}); the reconciler will",
                    err.message()
                ))
                .await
        }
    }
}

/// Starts the stopped container and routes to the port the engine published it on this time.
async fn started_again(run: &Run<'_>, stopped: &Stopped) -> AppResult<()> {
    let inner = run.deployer.inner();
    docker::resources::start(&run.engine, &stopped.container).await?;
    let port = docker::inspect_running(&run.engine, &stopped.container)
        .await?
        .and_then(|(_, port)| port)
        .map(i32::from);
    if port.is_some() && port != stopped.active.host_port {
        crate::deploy::status::record(&inner.db, stopped.active.clone(), |d| d.host_port = Set(port)).await?;
        inner.routing.push(&inner.db).await?;
    }
    Ok(())
}

/// How long the serving container of a stop-first application gets to stop cleanly.
const STOP_GRACE_SECONDS: i32 = 10;

/// How an application's container is started, by this step and the reconciler alike:
/// labels, runtime environment, the app port published on loopback, limits, restart policy,
/// its mounts.
pub(crate) fn container_spec<'a>(
    app: &'a applications::Model,
    deployment_id: &str,
    name: &'a str,
    image: &'a str,
    vars: &[(services::env_vars::NewVar, bool)],
    mounts: Vec<docker::MountSpec>,
) -> AppResult<docker::ContainerSpec<'a>> {
    let container_port = u16::try_from(app.port).map_err(|_| {
        AppError::Internal(anyhow::anyhow!(
            "application {} has an invalid port {}",
            app.id,
            app.port
        ))
    })?;
    Ok(docker::ContainerSpec {
        name,
        image,
        env: vars.iter().map(|(v, _)| format!("{}={}", v.key, v.value)).collect(),
        labels: docker::labels(&app.id, deployment_id),
        container_port: Some(container_port),
        memory_bytes: app.memory_limit_bytes,
        cpu_millis: app.cpu_limit_millis.map(i64::from),
        restart_policy: app.restart_policy.as_str(),
        cmd: None,
        mounts,
        service: None,
    })
}
