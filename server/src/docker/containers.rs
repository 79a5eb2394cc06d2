//! Containers: run one with its port published on loopback only (Caddy, on the same host, is
//! the only way in), stop it gracefully, find the ones Ployer made, read their state and logs.
//! A container that fails half-way through `run_container` is removed before the error returns.

use std::collections::{HashMap, VecDeque};

use bollard::container::LogOutput;
use bollard::models::{
    ContainerCreateBody, ContainerSummaryStateEnum, HostConfig, Mount, MountType, MountVolumeOptions, PortBinding,
    PortMap, RestartPolicy, RestartPolicyNameEnum,
};
use bollard::query_parameters::{
    CreateContainerOptions, ListContainersOptions, LogsOptions, RemoveContainerOptions, StopContainerOptions,
    WaitContainerOptions,
};
use bollard::Docker;
use futures::StreamExt;

use super::images::label_filters;
use super::{check_container_id, DockerError, LABEL_APP, LABEL_DEPLOYMENT};

/// The only address a published port listens on.
const LOOPBACK: &str = "127.0.0.1";
/// bollard's request timeout is 120 s and a stop request lasts as long as the grace period.
const MAX_GRACE_SECONDS: i64 = 100;

/// A container to create and start.
pub struct ContainerSpec<'a> {
    pub name: &'a str,
    pub image: &'a str,
    /// `KEY=value` entries, passed verbatim.
    pub env: Vec<String>,
    pub labels: HashMap<String, String>,
    /// The port the application listens on inside the container (TCP), published on a
    /// loopback port the engine picks; `None` publishes nothing.
    pub container_port: Option<u16>,
    pub memory_bytes: Option<i64>,
    /// CPU limit in thousandths of a CPU.
    pub cpu_millis: Option<i64>,
    /// `no`, `always`, `unless_stopped` or `on_failure` (the dashed forms are accepted too).
    pub restart_policy: &'a str,
    /// Overrides the image's command.
    pub cmd: Option<Vec<String>>,
    /// Named volumes and host directories to mount.
    pub mounts: Vec<MountSpec>,
    /// What a Compose service adds: its network, entrypoint, user, health check….
    pub service: Option<ServiceOptions>,
}

/// The settings of a Compose service beyond those every container has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceOptions {
    /// The application's network, joined under the service's name.
    pub network: String,
    pub alias: String,
    pub entrypoint: Option<Vec<String>>,
    pub user: Option<String>,
    pub working_dir: Option<String>,
    /// Docker's health check, as the compose file gives it.
    pub healthcheck: Option<bollard::models::HealthConfig>,
    /// Container paths mounted as tmpfs.
    pub tmpfs: Vec<String>,
    pub read_only: bool,
}

/// A named volume (created by the engine when absent) or a host directory (which must
/// exist: the engine refuses a missing one), mounted at `target` inside the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountSpec {
    pub bind: bool,
    /// The volume's name or the host directory's path.
    pub source: String,
    pub target: String,
    pub read_only: bool,
    /// Labels of a volume the engine creates for this mount.
    pub volume_labels: HashMap<String, String>,
}

impl MountSpec {
    fn to_engine(&self) -> Mount {
        Mount {
            target: Some(self.target.clone()),
            // An anonymous volume has no source.
            source: (!self.source.is_empty()).then(|| self.source.clone()),
            typ: Some(if self.bind { MountType::BIND } else { MountType::VOLUME }),
            read_only: Some(self.read_only),
            volume_options: (!self.bind).then(|| MountVolumeOptions {
                labels: Some(self.volume_labels.clone()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }
}

/// A container that runs a command to its end (a static site's build): no port, the
/// working directory and mounts given, removed afterwards.
pub struct JobSpec<'a> {
    pub name: &'a str,
    pub image: &'a str,
    /// Run as `sh -c <command>`.
    pub command: &'a str,
    pub workdir: &'a str,
    pub env: Vec<String>,
    pub labels: HashMap<String, String>,
    pub mounts: Vec<MountSpec>,
    pub memory_bytes: Option<i64>,
    pub cpus: Option<f64>,
}

/// Runs `spec` to its end, sending each line it prints (stdout and stderr) to `lines`;
/// returns its exit code. The container is removed afterwards, and also when the future is
/// dropped half-way (a cancelled deployment).
#[tracing::instrument(skip_all, fields(name = %spec.name, image = %spec.image))]
pub async fn run_job(
    docker: &Docker,
    spec: JobSpec<'_>,
    lines: tokio::sync::mpsc::Sender<String>,
) -> Result<i64, DockerError> {
    let host_config = HostConfig {
        mounts: Some(spec.mounts.iter().map(MountSpec::to_engine).collect()),
        memory: spec.memory_bytes.filter(|bytes| *bytes > 0),
        nano_cpus: spec.cpus.filter(|c| *c > 0.0).map(|c| (c * 1e9) as i64),
        ..Default::default()
    };
    let body = ContainerCreateBody {
        image: Some(spec.image.to_string()),
        cmd: Some(vec!["sh".to_string(), "-c".to_string(), spec.command.to_string()]),
        working_dir: Some(spec.workdir.to_string()),
        env: Some(spec.env),
        labels: Some(spec.labels),
        host_config: Some(host_config),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(spec.name.to_string()),
        ..Default::default()
    };
    let id = docker.create_container(Some(options), body).await?.id;
    let mut guard = RemoveOnDrop {
        docker: docker.clone(),
        id: Some(id.clone()),
    };
    let ran = async {
        docker.start_container(&id, None).await?;
        let options = LogsOptions {
            stdout: true,
            stderr: true,
            follow: true,
            ..Default::default()
        };
        let mut output = docker.logs(&id, Some(options));
        let mut pending: HashMap<u8, Vec<u8>> = HashMap::new();
        while let Some(frame) = output.next().await {
            let (key, message) = match frame? {
                LogOutput::StdOut { message } | LogOutput::Console { message } => (1, message),
                LogOutput::StdErr { message } => (2, message),
                LogOutput::StdIn { .. } => continue,
            };
            let buffer = pending.entry(key).or_default();
            buffer.extend_from_slice(&message);
            while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                let _ = lines
                    .send(String::from_utf8_lossy(&line[..end]).trim_end_matches('\r').to_string())
                    .await;
            }
        }
        for (_, rest) in pending {
            if !rest.is_empty() {
                let _ = lines.send(String::from_utf8_lossy(&rest).to_string()).await;
            }
        }
        let mut waited = docker.wait_container(&id, None::<WaitContainerOptions>);
        let code = match waited.next().await {
            Some(Ok(status)) => status.status_code,
            // A non-zero exit comes back as an error carrying the code.
            Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => code,
            Some(Err(err)) => return Err(err.into()),
            None => inspect_exit_code(docker, &id).await?,
        };
        Ok(code)
    }
    .await;
    guard.id = None;
    remove_quietly(docker, &id).await;
    ran
}

async fn inspect_exit_code(docker: &Docker, id: &str) -> Result<i64, DockerError> {
    let inspected = docker.inspect_container(id, None).await?;
    Ok(inspected.state.and_then(|s| s.exit_code).unwrap_or(-1))
}

/// A running container and the loopback port its application answers on (none when it
/// publishes no port).
#[derive(Debug, Clone)]
pub struct Started {
    pub id: String,
    pub host_port: Option<u16>,
}

/// A container carrying `ployer.managed=true`, in any state.
#[derive(Debug, Clone)]
pub struct ManagedContainer {
    pub id: String,
    pub name: String,
    pub app_id: Option<String>,
    pub deployment_id: Option<String>,
    pub running: bool,
    pub host_port: Option<u16>,
    pub image: String,
}

/// Creates and starts a container publishing `container_port` on 127.0.0.1 with an ephemeral
/// host port, then inspects it for the port the engine picked. On any failure after the
/// create (start refused, no port), and if the future is dropped half-way, the container is
/// removed: nothing is left behind.
#[tracing::instrument(skip_all, fields(name = %spec.name, image = %spec.image))]
pub async fn run_container(docker: &Docker, spec: ContainerSpec<'_>) -> Result<Started, DockerError> {
    if spec.container_port == Some(0) {
        return Err(DockerError::Other("the container port must not be 0".to_string()));
    }
    let restart_policy = restart_policy(spec.restart_policy)?;
    let port_key = spec.container_port.map(|port| format!("{port}/tcp"));
    let service = spec.service.unwrap_or_default();
    let host_config = HostConfig {
        port_bindings: port_key.as_ref().map(|key| {
            PortMap::from([(
                key.clone(),
                Some(vec![PortBinding {
                    host_ip: Some(LOOPBACK.to_string()),
                    host_port: Some(String::new()),
                }]),
            )])
        }),
        memory: spec.memory_bytes.filter(|bytes| *bytes > 0),
        nano_cpus: spec
            .cpu_millis
            .filter(|millis| *millis > 0)
            .map(|millis| millis.saturating_mul(1_000_000)),
        restart_policy: Some(restart_policy),
        mounts: (!spec.mounts.is_empty()).then(|| spec.mounts.iter().map(MountSpec::to_engine).collect()),
        network_mode: (!service.network.is_empty()).then(|| service.network.clone()),
        tmpfs: (!service.tmpfs.is_empty())
            .then(|| service.tmpfs.iter().map(|path| (path.clone(), String::new())).collect()),
        readonly_rootfs: service.read_only.then_some(true),
        ..Default::default()
    };
    let networking = (!service.network.is_empty()).then(|| bollard::models::NetworkingConfig {
        endpoints_config: Some(HashMap::from([(
            service.network.clone(),
            bollard::models::EndpointSettings {
                aliases: Some(vec![service.alias.clone()]),
                ..Default::default()
            },
        )])),
    });
    let body = ContainerCreateBody {
        image: Some(spec.image.to_string()),
        env: Some(spec.env),
        labels: Some(spec.labels),
        cmd: spec.cmd,
        entrypoint: service.entrypoint,
        user: service.user,
        working_dir: service.working_dir,
        healthcheck: service.healthcheck,
        exposed_ports: port_key.clone().map(|key| vec![key]),
        host_config: Some(host_config),
        networking_config: networking,
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(spec.name.to_string()),
        ..Default::default()
    };
    let id = docker.create_container(Some(options), body).await?.id;
    let mut guard = RemoveOnDrop {
        docker: docker.clone(),
        id: Some(id.clone()),
    };
    let started = async {
        docker.start_container(&id, None).await?;
        let Some(port_key) = &port_key else {
            return Ok(None);
        };
        let inspected = docker.inspect_container(&id, None).await?;
        let ports = inspected.network_settings.and_then(|n| n.ports).unwrap_or_default();
        host_port(&ports, Some(port_key)).map(Some).ok_or_else(|| {
            DockerError::Other(format!(
                "container {id} started but the engine reported no host port for {port_key}"
            ))
        })
    }
    .await;
    guard.id = None;
    match started {
        Ok(host_port) => Ok(Started { id, host_port }),
        Err(err) => {
            remove_quietly(docker, &id).await;
            Err(err)
        }
    }
}

/// Stops with a grace period (SIGTERM, then SIGKILL after `grace_seconds`, at most 100 s) and
/// removes the container with its anonymous volumes. Ok when it is already gone.
#[tracing::instrument(skip_all, fields(container = %id, grace_seconds))]
pub async fn stop_and_remove(docker: &Docker, id: &str, grace_seconds: i64) -> Result<(), DockerError> {
    check_container_id(id)?;
    let options = StopContainerOptions {
        t: Some(grace_seconds.clamp(0, MAX_GRACE_SECONDS) as i32),
        signal: None,
    };
    match docker
        .stop_container(id, Some(options))
        .await
        .map_err(DockerError::from)
    {
        Ok(()) | Err(DockerError::NotFound(_)) => {}
        Err(err @ DockerError::Unavailable(_)) => return Err(err),
        // Whatever kept it from stopping, the forced removal below ends it.
        Err(err) => tracing::warn!(error = %err, "stopping the container failed; removing it by force"),
    }
    let options = RemoveContainerOptions {
        force: true,
        v: true,
        link: false,
    };
    match docker
        .remove_container(id, Some(options))
        .await
        .map_err(DockerError::from)
    {
        Ok(()) | Err(DockerError::NotFound(_)) => Ok(()),
        Err(DockerError::Other(m)) if m.contains("already in progress") => Ok(()),
        Err(err) => Err(err),
    }
}

/// Containers labelled `ployer.managed=true` (and `ployer.app=<app_id>` when given), in all states.
#[tracing::instrument(skip_all, fields(app_id = ?app_id))]
pub async fn managed_containers(docker: &Docker, app_id: Option<&str>) -> Result<Vec<ManagedContainer>, DockerError> {
    let options = ListContainersOptions {
        all: true,
        filters: Some(label_filters(app_id)),
        ..Default::default()
    };
    let containers = docker.list_containers(Some(options)).await?;
    Ok(containers
        .into_iter()
        .map(|c| {
            let labels = c.labels.unwrap_or_default();
            let host_port = c
                .ports
                .unwrap_or_default()
                .iter()
                .filter(|p| p.ip.as_deref().is_none_or(|ip| ip == LOOPBACK))
                .find_map(|p| p.public_port.filter(|port| *port != 0));
            ManagedContainer {
                id: c.id.unwrap_or_default(),
                name: c
                    .names
                    .and_then(|names| names.into_iter().next())
                    .map(|name| name.trim_start_matches('/').to_string())
                    .unwrap_or_default(),
                app_id: labels.get(LABEL_APP).cloned(),
                deployment_id: labels.get(LABEL_DEPLOYMENT).cloned(),
                running: c.state == Some(ContainerSummaryStateEnum::RUNNING),
                host_port,
                image: c.image.unwrap_or_default(),
            }
        })
        .collect())
}

/// `None` when there is no such container; otherwise whether it runs and its published host
/// port (the first one, by container port, when there are several).
#[tracing::instrument(skip_all, fields(container = %id))]
pub async fn inspect_running(docker: &Docker, id: &str) -> Result<Option<(bool, Option<u16>)>, DockerError> {
    check_container_id(id)?;
    let inspected = match docker.inspect_container(id, None).await.map_err(DockerError::from) {
        Ok(inspected) => inspected,
        Err(DockerError::NotFound(_)) => return Ok(None),
        Err(err) => return Err(err),
    };
    let running = inspected.state.and_then(|s| s.running).unwrap_or(false);
    let ports = inspected.network_settings.and_then(|n| n.ports).unwrap_or_default();
    Ok(Some((running, host_port(&ports, None))))
}

/// A container's state as a Compose service shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerState {
    pub running: bool,
    /// `running`, `exited`, `restarting`… as the engine says.
    pub status: String,
    /// `starting`, `healthy` or `unhealthy`; `None` without a health check.
    pub health: Option<String>,
    pub host_port: Option<u16>,
}

/// The container's state and health; `None` for an unknown container.
pub async fn container_state(docker: &Docker, id: &str) -> Result<Option<ContainerState>, DockerError> {
    check_container_id(id)?;
    let inspected = match docker.inspect_container(id, None).await.map_err(DockerError::from) {
        Ok(inspected) => inspected,
        Err(DockerError::NotFound(_)) => return Ok(None),
        Err(err) => return Err(err),
    };
    let state = inspected.state.unwrap_or_default();
    let ports = inspected.network_settings.and_then(|n| n.ports).unwrap_or_default();
    Ok(Some(ContainerState {
        running: state.running.unwrap_or(false),
        status: state.status.map(|s| s.to_string()).unwrap_or_default(),
        health: state
            .health
            .and_then(|h| h.status)
            .map(|s| s.to_string())
            .filter(|s| !s.is_empty() && s != "none"),
        host_port: host_port(&ports, None),
    }))
}

/// When the container last started (`None` for an unknown container or one never started).
pub async fn started_at(docker: &Docker, id: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, DockerError> {
    check_container_id(id)?;
    let inspected = match docker.inspect_container(id, None).await.map_err(DockerError::from) {
        Ok(inspected) => inspected,
        Err(DockerError::NotFound(_)) => return Ok(None),
        Err(err) => return Err(err),
    };
    Ok(inspected
        .state
        .and_then(|s| s.started_at)
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(&at).ok())
        .map(|at| at.with_timezone(&chrono::Utc)))
}

/// The last `lines` lines the container wrote (stdout and stderr, in the order received).
#[tracing::instrument(skip_all, fields(container = %id, lines))]
pub async fn logs_tail(docker: &Docker, id: &str, lines: usize) -> Result<Vec<String>, DockerError> {
    check_container_id(id)?;
    if lines == 0 {
        return Ok(Vec::new());
    }
    let options = LogsOptions {
        stdout: true,
        stderr: true,
        follow: false,
        tail: lines.to_string(),
        ..Default::default()
    };
    let mut stream = docker.logs(id, Some(options));
    let mut out = VecDeque::with_capacity(lines.min(1024));
    let mut pending: HashMap<u8, Vec<u8>> = HashMap::new();
    let push = |out: &mut VecDeque<String>, bytes: &[u8]| {
        out.push_back(String::from_utf8_lossy(bytes).trim_end_matches('\r').to_string());
        if out.len() > lines {
            out.pop_front();
        }
    };
    while let Some(frame) = stream.next().await {
        let (key, message) = match frame? {
            LogOutput::StdOut { message } => (1, message),
            LogOutput::StdErr { message } => (2, message),
            LogOutput::Console { message } => (0, message),
            LogOutput::StdIn { message } => (3, message),
        };
        let buffer = pending.entry(key).or_default();
        buffer.extend_from_slice(&message);
        while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=end).collect();
            push(&mut out, &line[..line.len() - 1]);
        }
    }
    for (_, rest) in pending {
        if !rest.is_empty() {
            push(&mut out, &rest);
        }
    }
    Ok(out.into())
}

fn restart_policy(name: &str) -> Result<RestartPolicy, DockerError> {
    let name = match name {
        "" | "no" => RestartPolicyNameEnum::NO,
        "always" => RestartPolicyNameEnum::ALWAYS,
        "unless_stopped" | "unless-stopped" => RestartPolicyNameEnum::UNLESS_STOPPED,
        "on_failure" | "on-failure" => RestartPolicyNameEnum::ON_FAILURE,
        other => return Err(DockerError::Other(format!("unknown restart policy {other:?}"))),
    };
    Ok(RestartPolicy {
        name: Some(name),
        maximum_retry_count: None,
    })
}

/// The loopback host port bound to `port_key`, or to the lowest published port when `None`.
fn host_port(ports: &PortMap, port_key: Option<&str>) -> Option<u16> {
    let mut keys: Vec<&String> = ports
        .keys()
        .filter(|k| port_key.is_none_or(|want| k.as_str() == want))
        .collect();
    keys.sort_by_key(|k| {
        k.split('/')
            .next()
            .and_then(|p| p.parse::<u16>().ok())
            .unwrap_or(u16::MAX)
    });
    keys.into_iter().find_map(|key| {
        ports.get(key)?.as_ref()?.iter().find_map(|binding| {
            let ip_ok = binding
                .host_ip
                .as_deref()
                .is_none_or(|ip| ip.is_empty() || ip == LOOPBACK);
            binding
                .host_port
                .as_deref()?
                .parse::<u16>()
                .ok()
                .filter(|port| ip_ok && *port != 0)
        })
    })
}

async fn remove_quietly(docker: &Docker, id: &str) {
    let options = RemoveContainerOptions {
        force: true,
        v: true,
        link: false,
    };
    if let Err(err) = docker.remove_container(id, Some(options)).await {
        tracing::warn!(container = %id, error = %err, "could not remove a half-started container");
    }
}

/// Removes the container if the future running `run_container` is dropped between create and
/// the end of start-up (a cancelled deployment).
struct RemoveOnDrop {
    docker: Docker,
    id: Option<String>,
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let Some(id) = self.id.take() else { return };
        let docker = self.docker.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move { remove_quietly(&docker, &id).await });
            }
            Err(_) => tracing::warn!(container = %id, "no runtime left to remove a half-started container"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_policies_map_to_the_engine_names() {
        assert_eq!(restart_policy("no").unwrap().name, Some(RestartPolicyNameEnum::NO));
        assert_eq!(
            restart_policy("unless_stopped").unwrap().name,
            Some(RestartPolicyNameEnum::UNLESS_STOPPED)
        );
        assert_eq!(
            restart_policy("on-failure").unwrap().name,
            Some(RestartPolicyNameEnum::ON_FAILURE)
        );
        assert!(restart_policy("always; rm -rf /").is_err());
    }

    #[test]
    fn the_host_port_is_read_from_the_loopback_binding() {
        let binding = |ip: &str, port: &str| PortBinding {
            host_ip: Some(ip.to_string()),
            host_port: Some(port.to_string()),
        };
        let ports = PortMap::from([
            ("9000/tcp".to_string(), Some(vec![binding("0.0.0.0", "1111")])),
            ("8080/tcp".to_string(), Some(vec![binding("127.0.0.1", "32768")])),
            ("7000/tcp".to_string(), None),
        ]);
        assert_eq!(host_port(&ports, Some("8080/tcp")), Some(32768));
        assert_eq!(host_port(&ports, None), Some(32768));
        assert_eq!(host_port(&ports, Some("9000/tcp")), None);
        assert_eq!(host_port(&PortMap::new(), None), None);
    }
}
