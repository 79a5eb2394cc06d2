//! Applications on a cluster: each deployment is a swarm service of its own (blue/green owned
//! by Ployer, see [`super::steps::cluster`]). Its route is a pool on the cluster's edge server:
//! one slot per replica, each naming a running task at `node address:published port`.
//!
//! The swarm restarts failed tasks and reschedules those of a lost node; [`follow_tasks`], run
//! with the route check every 2 s, records the running tasks' addresses on the active
//! deployment when they change, and the route check then rewrites the pool's files.

use std::net::SocketAddr;

use bollard::Docker;
use entities::{applications, clusters, deployments, servers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{status, Deployer, Inner};
use crate::{
    docker::swarm,
    error::{AppError, AppResult},
    graphql::types::cluster::ClusterTask,
    ids::AppId,
};

/// A cluster as one deployment or one pass sees it: its manager's engine and its nodes.
pub struct Swarm {
    pub cluster: clusters::Model,
    pub manager: Docker,
    pub members: Vec<servers::Model>,
    pub nodes: Vec<swarm::Node>,
}

impl Swarm {
    /// The cluster with its manager reached and its nodes listed (`UNAVAILABLE` with the
    /// reason when the manager cannot be reached).
    pub(crate) async fn open(inner: &Inner, cluster_id: &str) -> AppResult<Self> {
        Self::open_with(&inner.db, &inner.places, cluster_id).await
    }

    /// As [`Swarm::open`], for a worker that holds the database and the places itself.
    pub async fn open_with(
        db: &sea_orm::DatabaseConnection,
        places: &crate::places::Places,
        cluster_id: &str,
    ) -> AppResult<Self> {
        let cluster = crate::services::clusters::get(db, cluster_id).await?;
        let (_, manager) = crate::services::clusters::manager(db, places, &cluster).await?;
        let nodes = swarm::nodes(&manager)
            .await
            .map_err(|e| AppError::Unavailable(format!("the cluster {}'s manager: {e}", cluster.name)))?;
        let members = crate::services::clusters::members(db, &cluster).await?;
        Ok(Self {
            cluster,
            manager,
            members,
            nodes,
        })
    }

    pub fn node(&self, node_id: &str) -> Option<&swarm::Node> {
        self.nodes.iter().find(|n| n.id == node_id)
    }

    /// The member server a node is.
    pub fn server_of(&self, node_id: &str) -> Option<&servers::Model> {
        self.members
            .iter()
            .find(|s| s.swarm_node_id.as_deref() == Some(node_id))
    }

    /// The engine of the member that builds the cluster's images (the manager's unless another
    /// was chosen).
    pub async fn builder(&self, places: &crate::places::Places) -> AppResult<Docker> {
        let id = crate::services::clusters::build_server_id(&self.cluster);
        if id == self.cluster.manager_server_id {
            return Ok(self.manager.clone());
        }
        let server = self
            .members
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| AppError::Conflict("the cluster's build server is not a member any more".into()))?;
        // The swarm lists it as a member; its own check may lag behind a restart.
        places
            .engine_despite_status(server)
            .await
            .map_err(AppError::Unavailable)
    }

    /// Where Caddy dials a task: its node's address and its published port.
    pub fn address_of(&self, task: &swarm::Task) -> Option<SocketAddr> {
        let ip = self.node(&task.node_id)?.address.parse().ok()?;
        Some(SocketAddr::new(ip, task.published_port?))
    }

    /// The addresses of the running tasks of `service`, sorted.
    pub async fn running(&self, service: &str) -> AppResult<Vec<SocketAddr>> {
        let tasks = swarm::tasks(&self.manager, service)
            .await
            .map_err(|e| AppError::Unavailable(format!("the manager does not list the tasks: {e}")))?;
        let mut addresses: Vec<SocketAddr> = tasks
            .iter()
            .filter(|t| t.is_running())
            .filter_map(|t| self.address_of(t))
            .collect();
        addresses.sort();
        addresses.dedup();
        Ok(addresses)
    }
}

/// A running task that failed its health probe: what the health monitor replaces.
#[derive(Debug, Clone)]
pub struct FailingTask {
    pub server: servers::Model,
    pub container_id: String,
}

/// Probes every running task of `service` at its node's port (over the node's SSH connection
/// for a remote one): healthy when each is (and one runs at least); the detail names the tasks
/// that failed, which are returned for a restart.
pub async fn probe_tasks(
    swarm: &Swarm,
    places: &crate::places::Places,
    client: &reqwest::Client,
    service: &str,
    probe: &super::health::Probe,
    timeout: std::time::Duration,
) -> (super::health::ProbeResult, Vec<FailingTask>) {
    use super::health::ProbeResult;
    let started = std::time::Instant::now();
    let tasks = match swarm::tasks(&swarm.manager, service).await {
        Ok(tasks) => tasks,
        Err(err) => {
            return (
                ProbeResult::unreachable(format!("the manager does not list the tasks: {err}")),
                Vec::new(),
            )
        }
    };
    let running: Vec<&swarm::Task> = tasks.iter().filter(|t| t.is_running()).collect();
    if running.is_empty() {
        return (
            ProbeResult::unreachable("no task of the service runs".into()),
            Vec::new(),
        );
    }
    let mut failing = Vec::new();
    let mut details = Vec::new();
    let mut status_code = None;
    for task in &running {
        let (Some(address), Some(port), Some(server)) = (
            swarm.address_of(task),
            task.published_port,
            swarm.server_of(&task.node_id),
        ) else {
            continue;
        };
        let result = match places.reach_on(server, port).await {
            Ok((local, _forward)) => super::health::probe(client, local, probe, timeout).await,
            Err(err) => ProbeResult::unreachable(err),
        };
        status_code = status_code.or(result.status_code);
        if !result.healthy {
            details.push(format!("task on {address}: {}", result.detail));
            if let Some(container_id) = &task.container_id {
                failing.push(FailingTask {
                    server: server.clone(),
                    container_id: container_id.clone(),
                });
            }
        }
    }
    let healthy = details.is_empty();
    let detail = if healthy {
        format!("{} tasks healthy", running.len())
    } else {
        format!(
            "{} of {} tasks unhealthy: {}",
            details.len(),
            running.len(),
            details.join("; ")
        )
    };
    (
        ProbeResult {
            healthy,
            status_code,
            elapsed: started.elapsed(),
            detail,
        },
        failing,
    )
}

/// Where a deployment's image is for the nodes: the reference its service names, the
/// credentials the nodes pull it with (a registry), and what was done, for the log.
pub struct Delivered {
    pub reference: String,
    pub credentials: Option<bollard::auth::DockerCredentials>,
    pub notes: Vec<String>,
}

/// Gets the image built (or pulled) on the cluster's build server (the manager unless another
/// was chosen) to the nodes: pushed to the cluster's registry when it has one (the nodes pull
/// it, `<registry>/<image>`), else loaded into every other ready node that lacks it (saved
/// there, loaded here, streamed). A node Ployer cannot reach fails it: the swarm could place a
/// task there that never starts.
pub(crate) async fn deliver(inner: &Inner, swarm: &Swarm, image: &str) -> AppResult<Delivered> {
    let builder = swarm.builder(&inner.places).await?;
    let build_server = crate::services::clusters::build_server_id(&swarm.cluster);
    if let Some(registry) = crate::services::clusters::registry(&inner.crypto, &swarm.cluster)? {
        let reference = format!("{}/{image}", registry.url);
        let started = std::time::Instant::now();
        crate::docker::tag_image(&builder, image, &reference).await?;
        swarm::push_image(&builder, &reference, registry.credentials.clone())
            .await
            .map_err(|e| AppError::Unavailable(format!("cannot push the image to {}: {e}", registry.url)))?;
        return Ok(Delivered {
            notes: vec![format!(
                "image pushed to {reference} in {} ms; the nodes pull it",
                started.elapsed().as_millis()
            )],
            reference,
            credentials: Some(registry.credentials),
        });
    }
    let mut notes = Vec::new();
    for node in &swarm.nodes {
        if node.state != "ready" || node.availability == "drain" {
            continue;
        }
        let Some(server) = swarm.server_of(&node.id) else {
            notes.push(format!(
                "node {} ({}) is not a Ployer server: it cannot get the image",
                node.hostname, node.address
            ));
            continue;
        };
        if server.id == build_server {
            continue;
        }
        // Ready in the swarm's eyes: tried even while Ployer's check still shows it offline.
        let engine = inner
            .places
            .engine_despite_status(server)
            .await
            .map_err(|e| AppError::Unavailable(format!("cannot reach the node {}: {e}", server.name)))?;
        let started = std::time::Instant::now();
        let copied = swarm::copy_image(&builder, &engine, image)
            .await
            .map_err(|e| AppError::Unavailable(format!("cannot load the image into the node {}: {e}", server.name)))?;
        if copied {
            notes.push(format!(
                "image loaded into {} in {} ms",
                server.name,
                started.elapsed().as_millis()
            ));
        }
    }
    Ok(Delivered {
        reference: image.to_string(),
        credentials: None,
        notes,
    })
}

/// The application's placement constraints as stored.
pub fn constraints_of(app: &applications::Model) -> Vec<String> {
    app.placement
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default()
}

/// The service a deployment of `app` runs: by the pipeline, and by the reconciler when the
/// active one disappeared.
pub fn service_request<'a>(
    app: &'a applications::Model,
    deployment_id: &'a str,
    name: &'a str,
    image: &'a str,
    vars: &[(crate::services::env_vars::NewVar, bool)],
) -> AppResult<swarm::ServiceRequest<'a>> {
    let port = u16::try_from(app.port).map_err(|_| {
        AppError::Internal(anyhow::anyhow!(
            "application {} has an invalid port {}",
            app.id,
            app.port
        ))
    })?;
    Ok(swarm::ServiceRequest {
        name,
        app_id: &app.id,
        deployment_id,
        image,
        env: vars.iter().map(|(v, _)| format!("{}={}", v.key, v.value)).collect(),
        port,
        replicas: u64::try_from(app.replicas.max(1)).unwrap_or(1),
        constraints: constraints_of(app),
        max_replicas_per_node: app.max_replicas_per_node.and_then(|m| u64::try_from(m).ok()),
        memory_limit_bytes: app.memory_limit_bytes,
        cpu_limit_millis: app.cpu_limit_millis,
    })
}

/// A deployment's service name: one service per deployment.
pub fn service_name(deployment_id: &str) -> String {
    format!("ployer-{deployment_id}")
}

/// Task addresses as a deployment stores them: one per line.
pub fn render_upstreams(upstreams: &[SocketAddr]) -> String {
    upstreams.iter().map(|a| format!("{a}\n")).collect()
}

/// The addresses a deployment stored; lines that are not one are skipped.
pub fn parse_upstreams(text: &str) -> Vec<SocketAddr> {
    text.lines().filter_map(|l| l.trim().parse().ok()).collect()
}

/// The tasks of the application's active service as the manager lists them, newest first.
pub(crate) async fn tasks_of(inner: &Inner, app: &applications::Model) -> AppResult<Vec<ClusterTask>> {
    let Some(active) = &app.active_deployment_id else {
        return Ok(Vec::new());
    };
    let Some(row) = deployments::Entity::find_by_id(active.clone()).one(&inner.db).await? else {
        return Ok(Vec::new());
    };
    let (Some(cluster_id), Some(service)) = (&row.cluster_id, &row.service_id) else {
        return Ok(Vec::new());
    };
    let swarm = Swarm::open(inner, cluster_id).await?;
    let tasks = swarm::tasks(&swarm.manager, service)
        .await
        .map_err(|e| AppError::Unavailable(format!("the manager does not list the tasks: {e}")))?;
    Ok(tasks
        .into_iter()
        .map(|task| ClusterTask {
            id: task.id.clone().into(),
            node_id: task.node_id.clone().into(),
            node_address: swarm.node(&task.node_id).map(|n| n.address.clone()),
            state: task.state.clone(),
            desired_state: task.desired.clone(),
            port: task.published_port.map(i32::from),
            container_id: task.container_id.clone(),
            message: task.message.clone(),
        })
        .collect())
}

/// Records the running tasks' addresses on each clustered application's active deployment when
/// they changed (a task restarted, rescheduled after a node was lost or drained); the route
/// check then points the pool's slots at them. A service with no running task keeps the last
/// addresses (nothing better to dial); one whose manager cannot be reached is left for the
/// next pass. True when something changed.
pub async fn follow_tasks(deployer: &Deployer) -> AppResult<bool> {
    let inner = deployer.inner();
    // An application being removed holds this: its services must not be made again meanwhile.
    let Ok(_pass) = inner.reconciling.try_lock() else {
        return Ok(false);
    };
    let apps = applications::Entity::find()
        .filter(applications::Column::ActiveDeploymentId.is_not_null())
        .all(&inner.db)
        .await?;
    let active: Vec<String> = apps.iter().filter_map(|a| a.active_deployment_id.clone()).collect();
    let rows = deployments::Entity::find()
        .filter(deployments::Column::Id.is_in(active))
        .filter(deployments::Column::ClusterId.is_not_null())
        .all(&inner.db)
        .await?;
    let mut changed = false;
    // Each cluster opened, and its services listed, once per pass.
    let mut swarms: Vec<(Swarm, Vec<swarm::ManagedService>)> = Vec::new();
    for row in rows {
        let (Some(cluster_id), Some(service)) = (row.cluster_id.clone(), row.service_id.clone()) else {
            continue;
        };
        if !swarms.iter().any(|(s, _)| s.cluster.id == cluster_id) {
            let opened = match Swarm::open(inner, &cluster_id).await {
                Ok(swarm) => swarm,
                Err(err) => {
                    tracing::debug!(cluster_id, error = %err.message(), "cannot follow a cluster's tasks now");
                    continue;
                }
            };
            let services = match swarm::managed_services(&opened.manager).await {
                Ok(services) => services,
                Err(err) => {
                    tracing::debug!(cluster_id, error = %err, "cannot list a cluster's services now");
                    continue;
                }
            };
            swarms.push((opened, services));
        }
        let Some((swarm, services)) = swarms.iter().find(|(s, _)| s.cluster.id == cluster_id) else {
            continue;
        };
        let missing = !services.iter().any(|(id, _, _)| *id == service);
        if missing && !deployer.in_flight().contains(&row.id) {
            // Removed behind Ployer's back: made again from the deployment's image.
            if let Some(app) = apps.iter().find(|a| a.id == row.application_id) {
                match recreate(deployer, swarm, app, &row).await {
                    Ok(()) => changed = true,
                    Err(err) => {
                        tracing::warn!(app = %app.name, error = %err.message(), "cannot make a missing service again")
                    }
                }
            }
            continue;
        }
        let running = match swarm.running(&service).await {
            Ok(running) => running,
            Err(err) => {
                tracing::debug!(service, error = %err.message(), "cannot list a service's tasks now");
                continue;
            }
        };
        let known = row.upstreams.as_deref().map(parse_upstreams).unwrap_or_default();
        if running.is_empty() || running == known {
            continue;
        }
        tracing::info!(service, before = ?known, now = ?running, "a clustered application's tasks changed");
        let text = render_upstreams(&running);
        status::record(&inner.db, row, |d| d.upstreams = Set(Some(text))).await?;
        changed = true;
    }
    for (swarm, services) in &swarms {
        remove_orphans(deployer, swarm, services).await;
    }
    Ok(changed)
}

/// Makes the active deployment's service again (same name, same image, the application's
/// settings and variables now) and records its id.
async fn recreate(
    deployer: &Deployer,
    swarm: &Swarm,
    app: &applications::Model,
    row: &deployments::Model,
) -> AppResult<()> {
    let inner = deployer.inner();
    let image = row
        .image_tag
        .clone()
        .ok_or_else(|| AppError::Conflict("the deployment has no image".into()))?;
    let vars = crate::services::env_vars::decrypted(&inner.db, &inner.crypto, &AppId::from(&app.id)).await?;
    let delivered = deliver(inner, swarm, &image).await?;
    let name = service_name(&row.id);
    let request = service_request(app, &row.id, &name, &delivered.reference, &vars)?;
    let id = swarm::create_service(&swarm.manager, request, delivered.credentials)
        .await
        .map_err(|e| AppError::Unavailable(format!("cannot create the service: {e}")))?;
    tracing::info!(app = %app.name, service = %id, "made a missing service again");
    inner.metrics.repaired(crate::metrics::Repair::Recreated);
    status::record(&inner.db, row.clone(), |d| d.service_id = Set(Some(id))).await?;
    Ok(())
}

/// Removes the services Ployer made on the swarm that no active or in-flight deployment owns
/// (a replaced one is left to its drain; one of an application this database does not know is
/// another Ployer's).
async fn remove_orphans(deployer: &Deployer, swarm: &Swarm, services: &[swarm::ManagedService]) {
    let inner = deployer.inner();
    let in_flight = deployer.in_flight();
    for (service, app_id, deployment_id) in services {
        let Ok(Some(app)) = applications::Entity::find_by_id(app_id.clone()).one(&inner.db).await else {
            continue;
        };
        if app.active_deployment_id.as_deref() == Some(deployment_id.as_str()) || in_flight.contains(deployment_id) {
            continue;
        }
        if let Ok(Some(row)) = deployments::Entity::find_by_id(deployment_id.clone())
            .one(&inner.db)
            .await
        {
            let recent =
                chrono::Utc::now() - row.updated_at < chrono::Duration::seconds(inner.config.drain_seconds as i64 + 30);
            if recent {
                continue;
            }
        }
        tracing::info!(service, app = %app.name, "removing a service no deployment owns");
        match swarm::remove_service(&swarm.manager, service).await {
            Ok(()) => inner.metrics.repaired(crate::metrics::Repair::RemovedOrphan),
            Err(err) => tracing::warn!(service, error = %err, "could not remove an orphaned service"),
        }
    }
}

/// Removes what the application made on its cluster (it is being deleted): its services, and
/// its images on every member.
pub(crate) async fn remove_app(inner: &Inner, app: &applications::Model) {
    let clusters: Vec<String> = deployments::Entity::find()
        .filter(deployments::Column::ApplicationId.eq(app.id.clone()))
        .filter(deployments::Column::ClusterId.is_not_null())
        .all(&inner.db)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| d.cluster_id)
        .chain(app.cluster_id.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for cluster_id in clusters {
        let swarm = match Swarm::open(inner, &cluster_id).await {
            Ok(swarm) => swarm,
            Err(err) => {
                tracing::warn!(cluster_id, error = %err.message(), "cannot reach the cluster to remove an application's services");
                continue;
            }
        };
        for (service, owner, _) in swarm::managed_services(&swarm.manager).await.unwrap_or_default() {
            if owner == app.id {
                if let Err(err) = swarm::remove_service(&swarm.manager, &service).await {
                    tracing::warn!(service, error = %err, "could not remove a service");
                }
            }
        }
        for server in &swarm.members {
            let Ok(engine) = inner.places.engine_despite_status(server).await else {
                continue;
            };
            remove_images(&engine, &app.id).await;
        }
    }
}

/// Removes the application's task containers the swarm has not removed yet (those of a removed
/// service go a moment later; a node that was away keeps stopped ones) and its images from one
/// engine, trying again for a while (the engine refuses to remove an image a container uses).
async fn remove_images(engine: &Docker, app_id: &str) {
    const ATTEMPTS: usize = 40;
    for attempt in 0..ATTEMPTS {
        for container in crate::docker::managed_containers(engine, Some(app_id))
            .await
            .unwrap_or_default()
        {
            let _ = crate::docker::stop_and_remove(engine, &container.id, 5).await;
        }
        let images = crate::docker::managed_images(engine, Some(app_id))
            .await
            .unwrap_or_default();
        let mut left = false;
        for image in images {
            // By tag: one image often carries several deployments' tags (the same commit
            // built again), and the engine removes an image by id only when it has one.
            let references = if image.tags.is_empty() {
                vec![image.id.clone()]
            } else {
                image.tags.clone()
            };
            for reference in references {
                if crate::docker::remove_image(engine, &reference).await.is_err() {
                    left = true;
                }
            }
        }
        if !left {
            return;
        }
        if attempt + 1 < ATTEMPTS {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    }
    tracing::warn!(
        app_id,
        "some images of a removed application are still in use on a node"
    );
}

/// Sweeps the application's images no kept deployment owns on every member of its cluster.
pub(crate) async fn sweep_images(inner: &Inner, cluster_id: &str, app_id: &str) {
    let Ok(swarm) = Swarm::open(inner, cluster_id).await else {
        return;
    };
    for server in &swarm.members {
        if let Ok(engine) = inner.places.engine_of(server).await {
            super::retention::sweep(&inner.db, &engine, inner.config.keep_images, &[AppId::from(app_id)]).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_upstreams_read_back_skipping_what_is_not_an_address() {
        let addresses: Vec<SocketAddr> = vec!["10.0.0.1:30001".parse().unwrap(), "10.0.0.2:30002".parse().unwrap()];
        let text = render_upstreams(&addresses);
        assert_eq!(text, "10.0.0.1:30001\n10.0.0.2:30002\n");
        assert_eq!(parse_upstreams(&text), addresses);
        assert_eq!(parse_upstreams("junk\n10.0.0.1:30001\n\n"), addresses[..1].to_vec());
        assert_eq!(service_name("d1"), "ployer-d1");
    }
}
