//! Compose applications: how a service of the plan ([`ployer_input::compose`]) becomes a
//! container, what identifies its configuration, and the services other than the routed one
//! (their rows in `compose_services`), for the pipeline's [`super::steps::compose`] step and
//! the reconciler alike.
//!
//! Every service joins the application's own network under its name; its environment is the
//! application's variables with the file's `environment` on top; named volumes are the
//! application's (`ployer-<app id>-<name>`, labelled like its mounts); bind mounts are checked
//! against the directories an admin allowed, as the Storage tab's are. The routed service also
//! gets the application's own mounts and its port published on loopback for Caddy; every other
//! service with a port has it published too, for domains of its own.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use entities::{applications, compose_services, deployments};
use ployer_input::compose::{self as plan, MountSource, Plan, Service};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::{
    crypto::Crypto,
    docker::{self, ContainerSpec, MountSpec, ServiceOptions},
    error::{AppError, AppResult},
    ids::AppId,
    services::{self, env_vars::NewVar},
};

/// The label naming the Compose service a container runs.
pub const LABEL_SERVICE: &str = "ployer.service";

/// The application's network: every service joins it under its name.
pub fn network_name(app_id: &str) -> String {
    format!("ployer-{app_id}")
}

/// The engine's name of a volume the file declares: the application's id, so that a renamed
/// application keeps its data.
pub fn volume_name(app_id: &str, volume: &str) -> String {
    format!("ployer-{app_id}-{volume}")
}

/// The image tag of a service built for a deployment.
pub fn image_tag(app_name: &str, service: &str, deployment_id: &str) -> String {
    docker::image_tag(&format!("{app_name}.{service}"), deployment_id)
}

/// Plans `raw` with the application's variables for `${VAR}`.
pub fn plan_with(raw: &str, vars: &[(NewVar, bool)], routed: Option<&str>) -> Result<Plan, plan::ComposeError> {
    let values: HashMap<&str, &str> = vars.iter().map(|(v, _)| (v.key.as_str(), v.value.as_str())).collect();
    plan::plan(raw, &|name| values.get(name).map(|v| v.to_string()), routed)
}

/// A service as its container is made, with what identifies its configuration.
pub struct Launch {
    pub image: String,
    pub env: Vec<String>,
    pub mounts: Vec<MountSpec>,
    pub options: ServiceOptions,
    pub labels: HashMap<String, String>,
    pub port: Option<u16>,
    pub restart: String,
    pub cmd: Option<Vec<String>>,
    pub memory_bytes: Option<i64>,
    pub cpu_millis: Option<i64>,
}

impl Launch {
    /// Everything the container is made from, with the image's id (a tag moved to a new
    /// build changes it), as a keyed fingerprint: unchanged means the container may stay.
    pub fn fingerprint(&self, crypto: &Crypto, image_id: &str) -> String {
        // Maps sorted: a `HashMap`'s order differs from one instance to the next.
        let labels: BTreeMap<&String, &String> = self
            .labels
            .iter()
            .filter(|(k, _)| *k != docker::LABEL_DEPLOYMENT)
            .collect();
        let mounts: Vec<_> = self
            .mounts
            .iter()
            .map(|m| {
                let labels: BTreeMap<&String, &String> = m.volume_labels.iter().collect();
                (m.bind, &m.source, &m.target, m.read_only, labels)
            })
            .collect();
        let described = format!(
            "{image_id}\n{:?}\n{mounts:?}\n{:?}\n{labels:?}\n{:?}\n{}\n{:?}\n{:?}\n{:?}",
            self.env, self.options, self.port, self.restart, self.cmd, self.memory_bytes, self.cpu_millis,
        );
        crypto.fingerprint(described.as_bytes())
    }

    pub fn spec<'a>(&'a self, name: &'a str) -> ContainerSpec<'a> {
        ContainerSpec {
            name,
            image: &self.image,
            env: self.env.clone(),
            labels: self.labels.clone(),
            container_port: self.port,
            memory_bytes: self.memory_bytes,
            cpu_millis: self.cpu_millis,
            restart_policy: &self.restart,
            cmd: self.cmd.clone(),
            mounts: self.mounts.clone(),
            service: Some(self.options.clone()),
        }
    }
}

/// What every service's container of one deployment is made with.
pub struct Surroundings<'a, C> {
    pub db: &'a C,
    pub app: &'a applications::Model,
    pub deployment_id: &'a str,
    /// The application's variables, decrypted.
    pub vars: &'a [(NewVar, bool)],
    /// Ployer's own directories: never mounted.
    pub private: &'a [PathBuf],
}

/// What a service's container is made from. `own_mounts` are the application's mounts (for
/// the routed service).
pub async fn launch<C: ConnectionTrait>(
    at: &Surroundings<'_, C>,
    service: &Service,
    image: &str,
    own_mounts: Vec<MountSpec>,
) -> AppResult<Launch> {
    let Surroundings {
        db,
        app,
        deployment_id,
        vars,
        private,
    } = *at;
    let app_id = AppId::from(&app.id);
    let mut env: Vec<(String, String)> = vars.iter().map(|(v, _)| (v.key.clone(), v.value.clone())).collect();
    for (key, value) in &service.env {
        env.retain(|(k, _)| k != key);
        env.push((key.clone(), value.clone()));
    }
    let mut mounts = own_mounts;
    let mut allowed = None;
    for mount in &service.mounts {
        let spec = match &mount.source {
            MountSource::Volume(name) => MountSpec {
                bind: false,
                source: volume_name(&app.id, name),
                target: mount.target.clone(),
                read_only: mount.read_only,
                volume_labels: services::mounts::volume_labels(&app_id, Some(name)),
            },
            MountSource::Bind(path) => {
                let allowed = match &allowed {
                    Some(allowed) => allowed,
                    None => allowed.insert(services::settings::allowed_bind_paths(db).await?),
                };
                let checked = crate::validate::mounts::host_dir("hostPath", path, allowed, private).map_err(|e| {
                    AppError::bad_input(
                        "composePath",
                        format!("services.{}.volumes: {}", service.name, e.message()),
                    )
                })?;
                MountSpec {
                    bind: true,
                    source: checked.display().to_string(),
                    target: mount.target.clone(),
                    read_only: mount.read_only,
                    volume_labels: HashMap::new(),
                }
            }
            MountSource::Anonymous => MountSpec {
                bind: false,
                source: String::new(),
                target: mount.target.clone(),
                read_only: mount.read_only,
                volume_labels: services::mounts::volume_labels(&app_id, None),
            },
        };
        mounts.retain(|m| m.target != spec.target);
        mounts.push(spec);
    }
    let mut labels: HashMap<String, String> = service.labels.clone().into_iter().collect();
    labels.extend(docker::labels(&app.id, deployment_id));
    labels.insert(LABEL_SERVICE.to_string(), service.name.clone());
    Ok(Launch {
        image: image.to_string(),
        env: env.into_iter().map(|(k, v)| format!("{k}={v}")).collect(),
        mounts,
        options: ServiceOptions {
            network: network_name(&app.id),
            alias: service.name.clone(),
            entrypoint: service.entrypoint.clone(),
            user: service.user.clone(),
            working_dir: service.working_dir.clone(),
            healthcheck: service.healthcheck.as_ref().map(health_config),
            tmpfs: service.tmpfs.clone(),
            read_only: service.read_only,
        },
        labels,
        port: service.port,
        restart: service
            .restart
            .clone()
            .unwrap_or_else(|| app.restart_policy.as_str().to_string()),
        cmd: service.command.clone(),
        memory_bytes: app.memory_limit_bytes,
        cpu_millis: app.cpu_limit_millis.map(i64::from),
    })
}

fn health_config(check: &plan::Healthcheck) -> bollard::models::HealthConfig {
    let nanos = |d: Option<Duration>| d.map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    bollard::models::HealthConfig {
        test: Some(check.test.clone()),
        interval: nanos(check.interval),
        timeout: nanos(check.timeout),
        start_period: nanos(check.start_period),
        retries: check.retries,
        ..Default::default()
    }
}

/// Makes sure the application's network exists.
pub async fn ensure_network(docker: &bollard::Docker, app_id: &str) -> AppResult<()> {
    let name = network_name(app_id);
    if docker::resources::network_name_taken(docker, &name).await? {
        return Ok(());
    }
    match docker::resources::create_network(docker, &name, false, docker::image_labels(app_id)).await {
        Ok(_) => Ok(()),
        // Made by a concurrent pass in between.
        Err(_) if docker::resources::network_name_taken(docker, &name).await? => Ok(()),
        Err(err) => Err(err.into()),
    }
}

/// Removes the application's network (after its containers); gone already is fine.
pub async fn remove_network(docker: &bollard::Docker, app_id: &str) {
    let name = network_name(app_id);
    match docker::resources::remove_network(docker, &name).await {
        Ok(()) | Err(docker::DockerError::NotFound(_)) => {}
        Err(err) => tracing::warn!(error = %err, network = %name, "cannot remove an application's network"),
    }
}

/// Waits until the container reports healthy; fails when it exits, turns unhealthy, has no
/// health check, or `timeout` passes.
pub async fn wait_healthy(
    docker: &bollard::Docker,
    service: &str,
    container: &str,
    timeout: Duration,
) -> Result<(), String> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let state = docker::container_state(docker, container)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("service {service}: its container is gone"))?;
        match state.health.as_deref() {
            Some("healthy") => return Ok(()),
            None => {
                return Err(format!(
                    "service {service} has no health check, so `condition: service_healthy` can never hold: give it a healthcheck"
                ))
            }
            Some("unhealthy") => return Err(format!("service {service} is unhealthy")),
            _ if !state.running => return Err(format!("service {service} stopped ({})", state.status)),
            _ => {}
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(format!(
                "service {service} did not become healthy within {} s",
                timeout.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The application's services other than the routed one, with their current containers.
pub async fn rows<C: ConnectionTrait>(db: &C, app_id: &str) -> AppResult<Vec<compose_services::Model>> {
    Ok(compose_services::Entity::find()
        .filter(compose_services::Column::ApplicationId.eq(app_id))
        .all(db)
        .await?)
}

/// A service's new container, to record.
pub struct Made<'a> {
    pub service: &'a str,
    pub started: &'a docker::Started,
    pub container_name: &'a str,
    pub image: &'a str,
    pub config_hash: &'a str,
}

/// Records the container now running a service.
pub async fn record<C: ConnectionTrait>(db: &C, app_id: &str, deployment_id: &str, made: Made<'_>) -> AppResult<()> {
    let Made {
        service,
        started,
        container_name,
        image,
        config_hash,
    } = made;
    let now = Utc::now();
    let existing = compose_services::Entity::find()
        .filter(compose_services::Column::ApplicationId.eq(app_id))
        .filter(compose_services::Column::Name.eq(service))
        .one(db)
        .await?;
    let port = started.host_port.map(i32::from);
    match existing {
        Some(row) => {
            let mut row: compose_services::ActiveModel = row.into();
            row.deployment_id = Set(deployment_id.to_string());
            row.container_id = Set(started.id.clone());
            row.container_name = Set(container_name.to_string());
            row.image = Set(image.to_string());
            row.config_hash = Set(config_hash.to_string());
            row.host_port = Set(port);
            row.updated_at = Set(now);
            row.update(db).await?;
        }
        None => {
            compose_services::ActiveModel {
                id: Set(Uuid::new_v4().to_string()),
                application_id: Set(app_id.to_string()),
                name: Set(service.to_string()),
                deployment_id: Set(deployment_id.to_string()),
                container_id: Set(started.id.clone()),
                container_name: Set(container_name.to_string()),
                image: Set(image.to_string()),
                config_hash: Set(config_hash.to_string()),
                host_port: Set(port),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The image of each service a deployment ran, from its row.
pub fn images_of(row: &deployments::Model) -> BTreeMap<String, String> {
    row.compose_images
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// A container name for a service: the application, the service and the deployment, with a
/// suffix when the reconciler makes it again.
pub fn container_name(app_name: &str, service: &str, deployment_id: &str, again: bool) -> String {
    let short = &deployment_id[..deployment_id.len().min(8)];
    if again {
        format!("ployer-{app_name}-{service}-{short}-r{}", Utc::now().timestamp())
    } else {
        format!("ployer-{app_name}-{service}-{short}")
    }
}

/// The reconciler's part: every service of the active deployment's plan but the routed one
/// runs (started again, or made again from the plan when its container is gone); rows of
/// services the plan no longer has go with their containers. True when a port changed.
pub async fn ensure_services(
    deployer: &super::Deployer,
    docker: &bollard::Docker,
    app: &applications::Model,
    active: &deployments::Model,
) -> AppResult<bool> {
    let inner = deployer.inner();
    let Some(raw) = &active.compose_file else {
        return Ok(false);
    };
    let vars = services::env_vars::decrypted(&inner.db, &inner.crypto, &AppId::from(&app.id)).await?;
    let plan = plan_with(raw, &vars, app.compose_service.as_deref())
        .map_err(|e| AppError::bad_input("composePath", e.to_string()))?;
    let images = images_of(active);
    let mut changed = false;
    let rows = rows(&inner.db, &app.id).await?;
    for service in plan.services.iter().filter(|s| s.name != plan.routed) {
        let row = rows.iter().find(|r| r.name == service.name);
        let state = match row {
            Some(row) => docker::container_state(docker, &row.container_id).await?,
            None => None,
        };
        match (row, state) {
            (Some(_), Some(state)) if state.running => {
                if let Some(row) = row.filter(|r| r.host_port != state.host_port.map(i32::from)) {
                    let mut active_row: compose_services::ActiveModel = row.clone().into();
                    active_row.host_port = Set(state.host_port.map(i32::from));
                    active_row.update(&inner.db).await?;
                    changed = true;
                }
            }
            (Some(row), Some(_)) => {
                tracing::warn!(app = %app.name, service = %service.name, "a compose service stopped; starting it again");
                docker::resources::start(docker, &row.container_id).await?;
                inner.metrics.repaired(crate::metrics::Repair::Restarted);
                changed = true;
            }
            (row, _) => {
                let Some(image) = row
                    .map(|r| r.image.clone())
                    .or_else(|| images.get(&service.name).cloned())
                else {
                    continue;
                };
                tracing::warn!(app = %app.name, service = %service.name, "a compose service's container is gone; making it again");
                ensure_network(docker, &app.id).await?;
                let private = inner.config.private_dirs();
                let at = Surroundings {
                    db: &inner.db,
                    app,
                    deployment_id: &active.id,
                    vars: &vars,
                    private: &private,
                };
                let launch = launch(&at, service, &image, Vec::new()).await?;
                let image_id = docker::resources::image_id(docker, &image).await?.unwrap_or_default();
                let hash = launch.fingerprint(&inner.crypto, &image_id);
                let name = container_name(&app.name, &service.name, &active.id, true);
                let started = docker::run_container(docker, launch.spec(&name)).await?;
                let made = Made {
                    service: &service.name,
                    started: &started,
                    container_name: &name,
                    image: &image,
                    config_hash: &hash,
                };
                record(&inner.db, &app.id, &active.id, made).await?;
                inner.metrics.repaired(crate::metrics::Repair::Recreated);
                changed = true;
            }
        }
    }
    for row in rows
        .iter()
        .filter(|r| plan.service(&r.name).is_none() || r.name == plan.routed)
    {
        docker::stop_and_remove(docker, &row.container_id, 5).await?;
        compose_services::Entity::delete_by_id(row.id.clone())
            .exec(&inner.db)
            .await?;
        changed = true;
    }
    Ok(changed)
}

/// The routed service's container as `deployment` runs it: planned from its stored file, with
/// the application's own mounts and its port (the application's when the file gives none).
pub async fn routed_launch<C: ConnectionTrait>(
    db: &C,
    app: &applications::Model,
    deployment: &deployments::Model,
    plan: &Plan,
    image: &str,
    vars: &[(NewVar, bool)],
    private: &[PathBuf],
) -> AppResult<Launch> {
    let own = services::mounts::specs(db, &AppId::from(&app.id), private).await?;
    let at = Surroundings {
        db,
        app,
        deployment_id: &deployment.id,
        vars,
        private,
    };
    let mut launch = launch(&at, plan.routed(), image, own).await?;
    if launch.port.is_none() {
        launch.port = Some(u16::try_from(app.port).map_err(|_| {
            AppError::Internal(anyhow::anyhow!(
                "application {} has an invalid port {}",
                app.id,
                app.port
            ))
        })?);
    }
    Ok(launch)
}

/// One service of a running Compose application, as the API shows it.
#[derive(Debug, Clone)]
pub struct RunningService {
    pub name: String,
    /// It receives the application's domains.
    pub routed: bool,
    pub image: Option<String>,
    pub container_id: Option<String>,
    pub container_name: Option<String>,
    pub host_port: Option<i32>,
    pub deployment_id: Option<String>,
}

/// The services of the application's active deployment, in start order (the routed one
/// last); empty for an application that is not a Compose one or has not run.
pub async fn running_services(
    db: &sea_orm::DatabaseConnection,
    crypto: &Crypto,
    app: &applications::Model,
) -> AppResult<Vec<RunningService>> {
    let Some(active_id) = &app.active_deployment_id else {
        return Ok(Vec::new());
    };
    let Some(active) = deployments::Entity::find_by_id(active_id.clone()).one(db).await? else {
        return Ok(Vec::new());
    };
    let Some(raw) = &active.compose_file else {
        return Ok(Vec::new());
    };
    let vars = services::env_vars::decrypted(db, crypto, &AppId::from(&app.id)).await?;
    let plan = plan_with(raw, &vars, app.compose_service.as_deref())
        .map_err(|e| AppError::bad_input("composePath", e.to_string()))?;
    let images = images_of(&active);
    let rows = rows(db, &app.id).await?;
    Ok(plan
        .services
        .iter()
        .map(|service| {
            if service.name == plan.routed {
                return RunningService {
                    name: service.name.clone(),
                    routed: true,
                    image: active.image_tag.clone(),
                    container_id: active.container_id.clone(),
                    container_name: active.container_name.clone(),
                    host_port: active.host_port,
                    deployment_id: Some(active.id.clone()),
                };
            }
            let row = rows.iter().find(|r| r.name == service.name);
            RunningService {
                name: service.name.clone(),
                routed: false,
                image: row
                    .map(|r| r.image.clone())
                    .or_else(|| images.get(&service.name).cloned()),
                container_id: row.map(|r| r.container_id.clone()),
                container_name: row.map(|r| r.container_name.clone()),
                host_port: row.and_then(|r| r.host_port),
                deployment_id: row.map(|r| r.deployment_id.clone()),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(labels: &[(&str, &str)]) -> Launch {
        let map: HashMap<String, String> = labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Launch {
            image: "base".into(),
            env: vec!["A=1".into()],
            mounts: vec![MountSpec {
                bind: false,
                source: "ployer-x-data".into(),
                target: "/data".into(),
                read_only: false,
                volume_labels: map.clone(),
            }],
            options: ServiceOptions::default(),
            labels: map,
            port: Some(80),
            restart: "no".into(),
            cmd: None,
            memory_bytes: None,
            cpu_millis: None,
        }
    }

    #[test]
    fn a_fingerprint_ignores_map_order_and_the_deployment_but_not_the_configuration() {
        let crypto = Crypto::new(&[7; 32]);
        let many: Vec<(String, String)> = (0..20).map(|i| (format!("k{i}"), format!("v{i}"))).collect();
        let forward: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut backward = forward.clone();
        backward.reverse();
        let a = launch(&forward).fingerprint(&crypto, "sha256:1");
        assert_eq!(a, launch(&backward).fingerprint(&crypto, "sha256:1"));
        let mut deployed = launch(&forward);
        deployed
            .labels
            .insert(docker::LABEL_DEPLOYMENT.into(), "another".into());
        assert_eq!(
            a,
            deployed.fingerprint(&crypto, "sha256:1"),
            "the deployment that starts it is not its configuration"
        );
        assert_ne!(a, launch(&forward).fingerprint(&crypto, "sha256:2"), "a new image");
        let mut changed = launch(&forward);
        changed.env.push("B=2".into());
        assert_ne!(a, changed.fingerprint(&crypto, "sha256:1"));
        assert_ne!(
            a,
            launch(&forward).fingerprint(&Crypto::new(&[8; 32]), "sha256:1"),
            "keyed"
        );
    }
}
