//! The Caddy Ployer runs on a remote server: one container on the host's network (it binds the
//! server's HTTP and HTTPS ports itself and dials applications on the server's loopback), made
//! again when missing and started when stopped. Its certificates and its last config live in
//! a named volume, and it resumes that config when the engine restarts it, so the server's
//! routes serve again before Ployer is back in touch.

use bollard::models::{ContainerCreateBody, HostConfig, Mount, MountType, RestartPolicy, RestartPolicyNameEnum};
use bollard::query_parameters::{CreateContainerOptions, InspectContainerOptions, StartContainerOptions};
use bollard::Docker;

use super::DockerError;

/// Marks the edge container (not `ployer.managed`: it belongs to no application, and the
/// reconciler's orphan sweep must never take it).
pub const LABEL_EDGE: &str = "ployer.edge";

pub struct EdgeSpec<'a> {
    pub name: &'a str,
    pub image: &'a str,
    /// `host:port` the admin API listens on, inside the host's network (loopback).
    pub admin: &'a str,
    /// A directory of the host mounted at the same path (the upstream files).
    pub upstream_dir: &'a str,
    /// The named volume for certificates and the autosaved config.
    pub data_volume: &'a str,
}

/// What [`ensure_edge`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum EdgeState {
    Running,
    Started,
    Created,
}

/// What the container was made from, in a label: one made from anything else (another
/// image, directory or admin address) is made again.
const LABEL_EDGE_SPEC: &str = "ployer.edge.spec";

impl EdgeSpec<'_> {
    fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.image, self.admin, self.upstream_dir, self.data_volume
        )
    }
}

/// Makes sure the edge container exists, as `spec` says, and runs; pulls its image when the
/// engine lacks it.
pub async fn ensure_edge(docker: &Docker, spec: &EdgeSpec<'_>) -> Result<EdgeState, DockerError> {
    match docker
        .inspect_container(spec.name, None::<InspectContainerOptions>)
        .await
    {
        Ok(found) => {
            let made_from = found
                .config
                .as_ref()
                .and_then(|c| c.labels.as_ref())
                .and_then(|l| l.get(LABEL_EDGE_SPEC).cloned());
            if made_from.as_deref() != Some(spec.fingerprint().as_str()) {
                tracing::info!(
                    container = spec.name,
                    "Caddy's container was made from other settings; making it again"
                );
                super::stop_and_remove(docker, spec.name, 5).await?;
                return Box::pin(ensure_edge(docker, spec)).await.map(|_| EdgeState::Created);
            }
            if found.state.and_then(|s| s.running).unwrap_or(false) {
                return Ok(EdgeState::Running);
            }
            docker.start_container(spec.name, None::<StartContainerOptions>).await?;
            return Ok(EdgeState::Started);
        }
        Err(err) => match DockerError::from(err) {
            DockerError::NotFound(_) => {}
            other => return Err(other),
        },
    }
    if !super::image_exists(docker, spec.image).await? {
        super::pull_image(docker, spec.image).await?;
    }
    let body = ContainerCreateBody {
        image: Some(spec.image.to_string()),
        cmd: Some(vec!["caddy".into(), "run".into(), "--resume".into()]),
        env: Some(vec![
            format!("CADDY_ADMIN={}", spec.admin),
            "XDG_DATA_HOME=/data".into(),
            "XDG_CONFIG_HOME=/data/config".into(),
        ]),
        labels: Some(
            [
                (LABEL_EDGE.to_string(), "true".to_string()),
                (LABEL_EDGE_SPEC.to_string(), spec.fingerprint()),
            ]
            .into_iter()
            .collect(),
        ),
        host_config: Some(HostConfig {
            network_mode: Some("host".into()),
            restart_policy: Some(RestartPolicy {
                name: Some(RestartPolicyNameEnum::UNLESS_STOPPED),
                maximum_retry_count: None,
            }),
            mounts: Some(vec![
                Mount {
                    target: Some(spec.upstream_dir.to_string()),
                    source: Some(spec.upstream_dir.to_string()),
                    typ: Some(MountType::BIND),
                    read_only: Some(true),
                    ..Default::default()
                },
                Mount {
                    target: Some("/data".into()),
                    source: Some(spec.data_volume.to_string()),
                    typ: Some(MountType::VOLUME),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(spec.name.to_string()),
        ..Default::default()
    };
    docker.create_container(Some(options), body).await?;
    docker.start_container(spec.name, None::<StartContainerOptions>).await?;
    Ok(EdgeState::Created)
}

/// Removes the edge container (its volume stays: certificates outlive it).
pub async fn remove_edge(docker: &Docker, name: &str) -> Result<(), DockerError> {
    super::stop_and_remove(docker, name, 5).await
}
