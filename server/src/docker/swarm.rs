//! Docker Swarm through bollard: make and unmake a swarm, its nodes, the services Ployer runs
//! on it and their tasks, and copying an image from one engine to another without a registry.
//!
//! What this machine's kind of kernel lacks decides the shape of a service: no IPVS, so no
//! routing mesh and no virtual IPs (`dnsrr` endpoints), and no encrypted overlays. Every
//! service publishes its port in host mode with no fixed number: each task gets a port of its
//! own on its node, read from the task's status, and Caddy dials `node address:task port`.

use std::collections::HashMap;

use bollard::{
    models::{
        EndpointPortConfig, EndpointPortConfigPublishModeEnum, EndpointSpec, EndpointSpecModeEnum, Limit, NodeSpec,
        NodeSpecAvailabilityEnum, ServiceSpec, ServiceSpecMode, ServiceSpecModeReplicated, SwarmInitRequest,
        SwarmJoinRequest, SwarmSpec, SwarmSpecDispatcher, TaskSpec, TaskSpecContainerSpec, TaskSpecPlacement,
        TaskSpecResources, TaskSpecRestartPolicy, TaskSpecRestartPolicyConditionEnum, TaskState,
    },
    query_parameters::{
        DeleteNodeOptionsBuilder, LeaveSwarmOptionsBuilder, ListNodesOptions, ListServicesOptionsBuilder,
        ListTasksOptionsBuilder, UpdateNodeOptionsBuilder,
    },
    Docker,
};
use futures::StreamExt;

use super::{DockerError, LABEL_APP, LABEL_DEPLOYMENT, LABEL_MANAGED};

/// What an engine says about its swarm membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// `inactive`, `pending`, `active`, `error`, `locked`.
    pub state: String,
    pub node_id: Option<String>,
    pub is_manager: bool,
}

/// The engine's swarm membership (`docker info`'s `Swarm` part).
pub async fn membership(docker: &Docker) -> Result<Membership, DockerError> {
    let info = docker.info().await?;
    let swarm = info.swarm.unwrap_or_default();
    Ok(Membership {
        state: swarm
            .local_node_state
            .map(|s| s.to_string())
            .unwrap_or_else(|| "inactive".into()),
        node_id: swarm.node_id.filter(|id| !id.is_empty()),
        is_manager: swarm.control_available.unwrap_or(false),
    })
}

/// How often nodes report to the manager. A node that misses its heartbeats is marked down and
/// its tasks are rescheduled: 2 s (Docker's default is 5 s) finds a lost node in seconds.
const HEARTBEAT_NANOS: i64 = 2_000_000_000;

/// Makes the engine the first manager of a new swarm, reachable by the others at `advertise`
/// (an address, no port); returns its node id.
pub async fn init(docker: &Docker, advertise: &str) -> Result<String, DockerError> {
    let request = SwarmInitRequest {
        listen_addr: Some("0.0.0.0:2377".into()),
        advertise_addr: Some(advertise.to_string()),
        spec: Some(SwarmSpec {
            dispatcher: Some(SwarmSpecDispatcher {
                heartbeat_period: Some(HEARTBEAT_NANOS),
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    Ok(docker.init_swarm(request).await?)
}

/// The swarm's id and its worker join token, read from a manager. The token leaves this
/// function only to [`join`].
pub async fn worker_token(manager: &Docker) -> Result<(String, String), DockerError> {
    let swarm = manager.inspect_swarm().await?;
    let token = swarm
        .join_tokens
        .and_then(|t| t.worker)
        .ok_or_else(|| DockerError::Other("the manager did not give a join token".into()))?;
    Ok((swarm.id.unwrap_or_default(), token))
}

/// Joins the engine to the swarm whose manager listens at `manager` (`address:2377`) as a
/// worker, advertising `advertise`.
pub async fn join(docker: &Docker, manager: &str, token: &str, advertise: &str) -> Result<(), DockerError> {
    let request = SwarmJoinRequest {
        listen_addr: Some("0.0.0.0:2377".into()),
        advertise_addr: Some(advertise.to_string()),
        remote_addrs: Some(vec![manager.to_string()]),
        join_token: Some(token.to_string()),
        ..Default::default()
    };
    Ok(docker.join_swarm(request).await?)
}

/// Makes the engine leave its swarm (forced: a manager's swarm ends with it); an engine in no
/// swarm is fine.
pub async fn leave(docker: &Docker) -> Result<(), DockerError> {
    let options = LeaveSwarmOptionsBuilder::default().force(true).build();
    match docker.leave_swarm(Some(options)).await.map_err(DockerError::from) {
        Ok(()) => Ok(()),
        Err(DockerError::Other(message) | DockerError::Conflict(message) | DockerError::Unavailable(message))
            if message.contains("not part of a swarm") =>
        {
            Ok(())
        }
        Err(err) => Err(err),
    }
}

/// One node as a manager reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub hostname: String,
    /// The address it advertises (what Caddy dials its tasks at).
    pub address: String,
    /// `ready`, `down`, `unknown`, `disconnected`.
    pub state: String,
    /// `active`, `pause`, `drain`.
    pub availability: String,
    /// `manager` or `worker`.
    pub role: String,
    pub labels: HashMap<String, String>,
    pub nano_cpus: Option<i64>,
    pub memory_bytes: Option<i64>,
    /// The engine version it runs.
    pub engine: Option<String>,
    /// Its version, required to update it.
    version: Option<u64>,
}

/// Every node of the swarm the manager `docker` belongs to.
pub async fn nodes(docker: &Docker) -> Result<Vec<Node>, DockerError> {
    let nodes = docker.list_nodes(None::<ListNodesOptions>).await?;
    Ok(nodes
        .into_iter()
        .filter_map(|node| {
            let spec = node.spec.unwrap_or_default();
            let description = node.description.unwrap_or_default();
            let status = node.status.unwrap_or_default();
            let resources = description.resources.unwrap_or_default();
            Some(Node {
                id: node.id?,
                hostname: description.hostname.unwrap_or_default(),
                address: status.addr.unwrap_or_default(),
                state: status.state.map(|s| s.to_string()).unwrap_or_else(|| "unknown".into()),
                availability: spec
                    .availability
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "active".into()),
                role: spec.role.map(|r| r.to_string()).unwrap_or_else(|| "worker".into()),
                labels: spec.labels.unwrap_or_default(),
                nano_cpus: resources.nano_cpus,
                memory_bytes: resources.memory_bytes,
                engine: description.engine.and_then(|e| e.engine_version),
                version: node.version.and_then(|v| v.index),
            })
        })
        .collect())
}

/// Changes a node's availability and labels (`None`: kept as they are).
pub async fn update_node(
    docker: &Docker,
    node_id: &str,
    availability: Option<&str>,
    labels: Option<HashMap<String, String>>,
) -> Result<(), DockerError> {
    let node = docker.inspect_node(node_id).await?;
    let version = node
        .version
        .and_then(|v| v.index)
        .ok_or_else(|| DockerError::Other("the node has no version".into()))?;
    let mut spec: NodeSpec = node.spec.unwrap_or_default();
    if let Some(availability) = availability {
        spec.availability = Some(match availability {
            "drain" => NodeSpecAvailabilityEnum::DRAIN,
            "pause" => NodeSpecAvailabilityEnum::PAUSE,
            _ => NodeSpecAvailabilityEnum::ACTIVE,
        });
    }
    if let Some(labels) = labels {
        spec.labels = Some(labels);
    }
    let options = UpdateNodeOptionsBuilder::default().version(version as i64).build();
    Ok(docker.update_node(node_id, spec, options).await?)
}

/// Removes a node from the swarm's list (forced: a node that is still up is taken out too).
pub async fn remove_node(docker: &Docker, node_id: &str) -> Result<(), DockerError> {
    let options = DeleteNodeOptionsBuilder::default().force(true).build();
    match docker
        .delete_node(node_id, Some(options))
        .await
        .map_err(DockerError::from)
    {
        Ok(()) | Err(DockerError::NotFound(_)) => Ok(()),
        Err(err) => Err(err),
    }
}

/// What one deployment's service runs.
pub struct ServiceRequest<'a> {
    pub name: &'a str,
    pub app_id: &'a str,
    pub deployment_id: &'a str,
    pub image: &'a str,
    pub env: Vec<String>,
    /// The port the application listens on inside its container.
    pub port: u16,
    pub replicas: u64,
    pub constraints: Vec<String>,
    pub max_replicas_per_node: Option<u64>,
    pub memory_limit_bytes: Option<i64>,
    pub cpu_limit_millis: Option<i32>,
}

/// Creates the service: `replicas` tasks, each publishing `port` in host mode on a port of its
/// own, restarted by the swarm when they fail. Returns its id.
pub async fn create_service(
    docker: &Docker,
    request: ServiceRequest<'_>,
    credentials: Option<bollard::auth::DockerCredentials>,
) -> Result<String, DockerError> {
    let mut labels = HashMap::from([
        (LABEL_MANAGED.to_string(), "true".to_string()),
        (LABEL_APP.to_string(), request.app_id.to_string()),
        (LABEL_DEPLOYMENT.to_string(), request.deployment_id.to_string()),
    ]);
    let limits = (request.memory_limit_bytes.is_some() || request.cpu_limit_millis.is_some()).then(|| Limit {
        memory_bytes: request.memory_limit_bytes,
        nano_cpus: request.cpu_limit_millis.map(|m| i64::from(m) * 1_000_000),
        pids: None,
    });
    let spec = ServiceSpec {
        name: Some(request.name.to_string()),
        labels: Some(labels.clone()),
        mode: Some(ServiceSpecMode {
            replicated: Some(ServiceSpecModeReplicated {
                replicas: Some(request.replicas as i64),
            }),
            ..Default::default()
        }),
        task_template: Some(TaskSpec {
            container_spec: Some(TaskSpecContainerSpec {
                image: Some(request.image.to_string()),
                env: Some(request.env),
                labels: Some(std::mem::take(&mut labels)),
                ..Default::default()
            }),
            resources: limits.map(|limits| TaskSpecResources {
                limits: Some(limits),
                ..Default::default()
            }),
            restart_policy: Some(TaskSpecRestartPolicy {
                condition: Some(TaskSpecRestartPolicyConditionEnum::ANY),
                delay: Some(1_000_000_000),
                ..Default::default()
            }),
            placement: Some(TaskSpecPlacement {
                constraints: Some(request.constraints),
                max_replicas: request.max_replicas_per_node.map(|n| n as i64),
                ..Default::default()
            }),
            ..Default::default()
        }),
        endpoint_spec: Some(EndpointSpec {
            mode: Some(EndpointSpecModeEnum::DNSRR),
            ports: Some(vec![EndpointPortConfig {
                target_port: Some(i64::from(request.port)),
                publish_mode: Some(EndpointPortConfigPublishModeEnum::HOST),
                ..Default::default()
            }]),
        }),
        ..Default::default()
    };
    // With credentials, the swarm hands them to the nodes for pulling the image.
    let created = docker.create_service(spec, credentials).await?;
    created
        .id
        .ok_or_else(|| DockerError::Other("the manager did not name the new service".into()))
}

/// Removes a service (its tasks stop); an absent one is fine.
pub async fn remove_service(docker: &Docker, service: &str) -> Result<(), DockerError> {
    match docker.delete_service(service).await.map_err(DockerError::from) {
        Ok(()) | Err(DockerError::NotFound(_)) => Ok(()),
        Err(err) => Err(err),
    }
}

/// A service Ployer made: (service id, app id, deployment id).
pub type ManagedService = (String, String, String);

/// The services Ployer made on the swarm.
pub async fn managed_services(docker: &Docker) -> Result<Vec<ManagedService>, DockerError> {
    let filters = HashMap::from([("label", vec![LABEL_MANAGED])]);
    let options = ListServicesOptionsBuilder::default().filters(&filters).build();
    let services = docker.list_services(Some(options)).await?;
    Ok(services
        .into_iter()
        .filter_map(|service| {
            let labels = service.spec.and_then(|s| s.labels).unwrap_or_default();
            Some((
                service.id?,
                labels.get(LABEL_APP)?.clone(),
                labels.get(LABEL_DEPLOYMENT)?.clone(),
            ))
        })
        .collect())
}

/// One task of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub node_id: String,
    /// `new` … `running`, `complete`, `failed`, `shutdown`, `rejected`, `orphaned`, `remove`.
    pub state: String,
    /// What the swarm wants of it: `running` or `shutdown`.
    pub desired: String,
    pub published_port: Option<u16>,
    pub container_id: Option<String>,
    /// The swarm's message or error for it.
    pub message: String,
    pub slot: Option<i64>,
}

impl Task {
    /// Running and meant to run.
    pub fn is_running(&self) -> bool {
        self.state == "running" && self.desired == "running"
    }
}

/// The tasks of `service`, newest first.
pub async fn tasks(docker: &Docker, service: &str) -> Result<Vec<Task>, DockerError> {
    let filters = HashMap::from([("service", vec![service])]);
    let options = ListTasksOptionsBuilder::default().filters(&filters).build();
    let mut tasks = docker.list_tasks(Some(options)).await?;
    tasks.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(tasks
        .into_iter()
        .filter_map(|task| {
            let status = task.status.unwrap_or_default();
            let published_port = status
                .port_status
                .and_then(|p| p.ports)
                .unwrap_or_default()
                .into_iter()
                .find_map(|p| p.published_port)
                .and_then(|p| u16::try_from(p).ok());
            let message = [status.err, status.message]
                .into_iter()
                .flatten()
                .filter(|m| !m.is_empty())
                .collect::<Vec<_>>()
                .join(": ");
            Some(Task {
                id: task.id?,
                node_id: task.node_id.unwrap_or_default(),
                state: status.state.map(|s| s.to_string()).unwrap_or_default(),
                desired: task
                    .desired_state
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| TaskState::RUNNING.to_string()),
                published_port,
                container_id: status.container_status.and_then(|c| c.container_id),
                message,
                slot: task.slot,
            })
        })
        .collect())
}

/// Pushes `reference` (`registry/path:tag`) from the engine to its registry with
/// `credentials`; an error the registry reports (refused credentials, no such repository) is one.
pub async fn push_image(
    docker: &Docker,
    reference: &str,
    credentials: bollard::auth::DockerCredentials,
) -> Result<(), DockerError> {
    let (repo, tag) = match reference.rsplit_once(':').filter(|(_, tag)| !tag.contains('/')) {
        Some((repo, tag)) => (repo, tag),
        None => (reference, "latest"),
    };
    let options = bollard::query_parameters::PushImageOptionsBuilder::default()
        .tag(tag)
        .build();
    let mut progress = docker.push_image(repo, Some(options), Some(credentials));
    while let Some(step) = progress.next().await {
        let step = step?;
        if let Some(detail) = step.error_detail {
            return Err(DockerError::Other(format!(
                "the registry refused the push: {}",
                detail.message.unwrap_or_default()
            )));
        }
    }
    Ok(())
}

/// Copies the image `reference` from the engine `from` to the engine `to` (`docker save` there,
/// `docker load` here, streamed: never held in memory). Nothing is copied when `to` has it.
pub async fn copy_image(from: &Docker, to: &Docker, reference: &str) -> Result<bool, DockerError> {
    if super::image_exists(to, reference).await? {
        return Ok(false);
    }
    let exported = from.export_image(reference);
    let mut loaded = to.import_image_stream(
        bollard::query_parameters::ImportImageOptionsBuilder::default()
            .quiet(true)
            .build(),
        exported,
        None,
    );
    while let Some(line) = loaded.next().await {
        line?;
    }
    if !super::image_exists(to, reference).await? {
        return Err(DockerError::Other(format!(
            "the image {reference} was sent but the engine does not list it"
        )));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_runs_only_when_running_and_meant_to() {
        let task = |state: &str, desired: &str| Task {
            id: "t".into(),
            node_id: "n".into(),
            state: state.into(),
            desired: desired.into(),
            published_port: Some(30000),
            container_id: None,
            message: String::new(),
            slot: Some(1),
        };
        assert!(task("running", "running").is_running());
        assert!(!task("running", "shutdown").is_running(), "being stopped");
        assert!(!task("starting", "running").is_running());
        assert!(!task("failed", "running").is_running());
    }
}
