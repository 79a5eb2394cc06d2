//! Step 2: a container from the image, beside the version serving: the application's
//! runtime environment, its port published on loopback, its limits and restart policy, and
//! Ployer's labels naming the application and the deployment.

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
    let vars = run.decrypted_vars(services::env_vars::decrypted(&inner.db, &inner.crypto, &app.id).await)?;
    let spec = container_spec(app, &run.row.id, &name, image, &vars).map_err(|e| e.message())?;
    run.log.system(format!("starting container {name}")).await;
    let started = docker::run_container(&run.engine, spec)
        .await
        .map_err(|e| Stop::Failed(format!("cannot start the container: {e}")))?;
    run.made.container = Some(started.id.clone());
    run.transition(Status::HealthChecking, |d| {
        d.container_id = Set(Some(started.id.clone()));
        d.container_name = Set(Some(name.clone()));
        d.host_port = Set(Some(i32::from(started.host_port)));
    })
    .await?;
    Ok((started.id, SocketAddr::new(run.host, started.host_port)))
}

/// How an application's container is started, by this step and the reconciler alike:
/// labels, runtime environment, the app port published on loopback, limits, restart policy.
pub(crate) fn container_spec<'a>(
    app: &'a applications::Model,
    deployment_id: &str,
    name: &'a str,
    image: &'a str,
    vars: &[(services::env_vars::NewVar, bool)],
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
        container_port,
        memory_bytes: app.memory_limit_bytes,
        cpu_millis: app.cpu_limit_millis.map(i64::from),
        restart_policy: app.restart_policy.as_str(),
        cmd: None,
    })
}
