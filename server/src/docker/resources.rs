//! The engine's containers, networks, volumes and images as an admin sees them: listed in
//! one shape whatever created them, started, stopped, created and removed. Every value goes
//! in as a bollard field; names and ids are checked before they reach a URL path. The rules
//! (what may be removed, which images are kept, what to tell the caller) live in
//! `services::docker_resources`; this module only reports what the engine says, and turns
//! the engine's "in use" answers into `Conflict`.

use std::collections::{BTreeMap, HashMap, HashSet};

use bollard::models::{ContainerSummary, NetworkCreateRequest, VolumeCreateRequest};
use bollard::query_parameters::{
    ListContainersOptions, ListImagesOptions, ListNetworksOptions, ListVolumesOptions, RemoveContainerOptions,
    RemoveImageOptions, RemoveVolumeOptions, RestartContainerOptions, StopContainerOptions,
};
use bollard::Docker;
use chrono::{DateTime, TimeZone, Utc};

use super::{check_container_id, check_image_ref, check_path_value, DockerError, LABEL_MANAGED};

/// Networks every engine has; they can never be removed.
pub const PREDEFINED_NETWORKS: [&str; 3] = ["bridge", "host", "none"];

#[derive(Debug, Clone)]
pub struct ContainerInfo {
    pub id: String,
    pub name: String,
    pub image: String,
    pub image_id: String,
    pub command: String,
    pub created: Option<DateTime<Utc>>,
    /// `created`, `running`, `paused`, `restarting`, `exited`, `removing` or `dead`.
    pub state: String,
    /// The engine's words, e.g. `Up 5 minutes`.
    pub status: String,
    pub ports: Vec<PortInfo>,
    pub labels: BTreeMap<String, String>,
    /// Names of the networks it is attached to.
    pub networks: Vec<String>,
    /// Names of the named volumes it mounts.
    pub volumes: Vec<String>,
}

impl ContainerInfo {
    pub fn running(&self) -> bool {
        self.state == "running"
    }

    pub fn managed(&self) -> bool {
        self.labels.get(LABEL_MANAGED).is_some_and(|v| v == "true")
    }
}

#[derive(Debug, Clone)]
pub struct PortInfo {
    pub container_port: u16,
    pub host_ip: Option<String>,
    pub host_port: Option<u16>,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
}

#[derive(Debug, Clone)]
pub struct NetworkInfo {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub scope: String,
    pub internal: bool,
    pub created: Option<DateTime<Utc>>,
    pub labels: BTreeMap<String, String>,
    /// Names of the containers attached to it, running or not.
    pub containers: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct VolumeInfo {
    pub name: String,
    pub driver: String,
    pub mountpoint: String,
    pub created: Option<DateTime<Utc>>,
    pub labels: BTreeMap<String, String>,
    /// Names of the containers mounting it, running or not.
    pub containers: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ImageInfo {
    pub id: String,
    /// `repo:tag` names; none for a dangling image.
    pub tags: Vec<String>,
    pub size_bytes: i64,
    pub created: Option<DateTime<Utc>>,
    pub labels: BTreeMap<String, String>,
    /// Containers (running or not) created from it.
    pub containers: usize,
}

/// What a prune did (or would do, for a dry run).
#[derive(Debug, Clone, Default)]
pub struct PruneOutcome {
    pub removed: Vec<ImageInfo>,
    pub reclaimed_bytes: i64,
    /// Unused images left in place.
    pub skipped: Vec<SkippedImage>,
}

#[derive(Debug, Clone)]
pub struct SkippedImage {
    pub image: ImageInfo,
    pub reason: String,
    /// Left because a deployment keeps it (not because the engine refused).
    pub kept: bool,
}

/// Every container (only running ones unless `all`), Ployer's only when `managed_only`.
#[tracing::instrument(skip_all, fields(all, managed_only))]
pub async fn list_containers(
    docker: &Docker,
    all: bool,
    managed_only: bool,
) -> Result<Vec<ContainerInfo>, DockerError> {
    let filters = managed_only.then(|| HashMap::from([("label".to_string(), vec![format!("{LABEL_MANAGED}=true")])]));
    let options = ListContainersOptions {
        all,
        filters,
        ..Default::default()
    };
    let mut containers: Vec<ContainerInfo> = docker
        .list_containers(Some(options))
        .await?
        .into_iter()
        .map(container_info)
        .collect();
    containers.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name)));
    Ok(containers)
}

/// One container by id, id prefix or name; `NotFound` when there is none.
#[tracing::instrument(skip_all, fields(container = %id))]
pub async fn get_container(docker: &Docker, id: &str) -> Result<ContainerInfo, DockerError> {
    check_container_id(id)?;
    let full_id = docker
        .inspect_container(id, None)
        .await?
        .id
        .ok_or_else(|| DockerError::NotFound(format!("no such container: {id}")))?;
    let options = ListContainersOptions {
        all: true,
        filters: Some(HashMap::from([("id".to_string(), vec![full_id.clone()])])),
        ..Default::default()
    };
    docker
        .list_containers(Some(options))
        .await?
        .into_iter()
        .map(container_info)
        .find(|c| c.id == full_id)
        // Removed between the two calls.
        .ok_or_else(|| DockerError::NotFound(format!("no such container: {id}")))
}

/// Starts a container; Ok when it already runs.
#[tracing::instrument(skip_all, fields(container = %id))]
pub async fn start(docker: &Docker, id: &str) -> Result<(), DockerError> {
    check_container_id(id)?;
    docker.start_container(id, None).await.map_err(classify)
}

/// Stops a container (SIGTERM, SIGKILL after `grace_seconds`); Ok when it is already stopped.
#[tracing::instrument(skip_all, fields(container = %id, grace_seconds))]
pub async fn stop(docker: &Docker, id: &str, grace_seconds: i32) -> Result<(), DockerError> {
    check_container_id(id)?;
    let options = StopContainerOptions {
        t: Some(grace_seconds),
        signal: None,
    };
    docker.stop_container(id, Some(options)).await.map_err(classify)
}

#[tracing::instrument(skip_all, fields(container = %id, grace_seconds))]
pub async fn restart(docker: &Docker, id: &str, grace_seconds: i32) -> Result<(), DockerError> {
    check_container_id(id)?;
    let options = RestartContainerOptions {
        t: Some(grace_seconds),
        signal: None,
    };
    docker.restart_container(id, Some(options)).await.map_err(classify)
}

/// Removes a container with its anonymous volumes. Without `force` a running container is
/// refused (`Conflict`).
#[tracing::instrument(skip_all, fields(container = %id, force))]
pub async fn remove(docker: &Docker, id: &str, force: bool) -> Result<(), DockerError> {
    check_container_id(id)?;
    let options = RemoveContainerOptions {
        force,
        v: true,
        link: false,
    };
    docker.remove_container(id, Some(options)).await.map_err(classify)
}

/// Every network, with the containers attached to each.
#[tracing::instrument(skip_all)]
pub async fn list_networks(docker: &Docker) -> Result<Vec<NetworkInfo>, DockerError> {
    list_networks_filtered(docker, None).await
}

/// The networks carrying `label` (`key` or `key=value`), or every one without it.
#[tracing::instrument(skip_all)]
pub async fn list_networks_labelled(docker: &Docker, label: Option<&str>) -> Result<Vec<NetworkInfo>, DockerError> {
    list_networks_filtered(docker, label.map(|l| ("label", l.to_string()))).await
}

/// One network by exact name or full id.
#[tracing::instrument(skip_all, fields(network = %id_or_name))]
pub async fn get_network(docker: &Docker, id_or_name: &str) -> Result<NetworkInfo, DockerError> {
    check_path_value("network id or name", id_or_name, false)?;
    let inspected = docker.inspect_network(id_or_name, None).await?;
    let id = inspected.id.unwrap_or_default();
    let name = inspected.name.unwrap_or_default();
    // The engine also resolves id prefixes; only an exact id or name counts here.
    if id != id_or_name && name != id_or_name {
        return Err(DockerError::NotFound(format!("no such network: {id_or_name}")));
    }
    list_networks_filtered(docker, Some(("id", id.clone())))
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or_else(|| DockerError::NotFound(format!("no such network: {id_or_name}")))
}

/// Whether a network of exactly this name exists.
pub async fn network_name_taken(docker: &Docker, name: &str) -> Result<bool, DockerError> {
    let options = ListNetworksOptions {
        filters: Some(HashMap::from([("name".to_string(), vec![name.to_string()])])),
    };
    Ok(docker
        .list_networks(Some(options))
        .await?
        .iter()
        .any(|n| n.name.as_deref() == Some(name)))
}

/// Creates a bridge network carrying `labels`; returns it.
#[tracing::instrument(skip_all, fields(network = %name, internal))]
pub async fn create_network(
    docker: &Docker,
    name: &str,
    internal: bool,
    labels: HashMap<String, String>,
) -> Result<NetworkInfo, DockerError> {
    check_path_value("network name", name, false)?;
    let request = NetworkCreateRequest {
        name: name.to_string(),
        driver: Some("bridge".to_string()),
        internal: Some(internal),
        attachable: Some(false),
        labels: Some(labels),
        ..Default::default()
    };
    let created = docker.create_network(request).await.map_err(classify)?;
    get_network(docker, &created.id).await
}

/// Removes a network; `Conflict` while a container is attached to it.
#[tracing::instrument(skip_all, fields(network = %id))]
pub async fn remove_network(docker: &Docker, id: &str) -> Result<(), DockerError> {
    check_path_value("network id", id, false)?;
    docker.remove_network(id).await.map_err(classify)
}

/// Every volume, with the containers mounting each.
#[tracing::instrument(skip_all)]
pub async fn list_volumes(docker: &Docker) -> Result<Vec<VolumeInfo>, DockerError> {
    list_volumes_labelled(docker, None).await
}

/// The volumes carrying `label` (`key` or `key=value`), or every one without it, with the
/// containers mounting each.
#[tracing::instrument(skip_all)]
pub async fn list_volumes_labelled(docker: &Docker, label: Option<&str>) -> Result<Vec<VolumeInfo>, DockerError> {
    let options = ListVolumesOptions {
        filters: label.map(|l| HashMap::from([("label".to_string(), vec![l.to_string()])])),
    };
    let listed = docker.list_volumes(Some(options)).await?;
    let users = volume_users(docker).await?;
    let mut volumes: Vec<VolumeInfo> = listed
        .volumes
        .unwrap_or_default()
        .into_iter()
        .map(|v| VolumeInfo {
            containers: users.get(&v.name).cloned().unwrap_or_default(),
            created: v.created_at.as_deref().and_then(parse_time),
            labels: v.labels.into_iter().collect(),
            name: v.name,
            driver: v.driver,
            mountpoint: v.mountpoint,
        })
        .collect();
    volumes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(volumes)
}

/// One volume by name.
#[tracing::instrument(skip_all, fields(volume = %name))]
pub async fn get_volume(docker: &Docker, name: &str) -> Result<VolumeInfo, DockerError> {
    check_path_value("volume name", name, false)?;
    let v = docker.inspect_volume(name).await?;
    let users = volume_users(docker).await?;
    Ok(VolumeInfo {
        containers: users.get(&v.name).cloned().unwrap_or_default(),
        created: v.created_at.as_deref().and_then(parse_time),
        labels: v.labels.into_iter().collect(),
        name: v.name,
        driver: v.driver,
        mountpoint: v.mountpoint,
    })
}

/// Creates a local volume carrying `labels`.
#[tracing::instrument(skip_all, fields(volume = %name))]
pub async fn create_volume(
    docker: &Docker,
    name: &str,
    labels: HashMap<String, String>,
) -> Result<VolumeInfo, DockerError> {
    check_path_value("volume name", name, false)?;
    let request = VolumeCreateRequest {
        name: Some(name.to_string()),
        driver: Some("local".to_string()),
        labels: Some(labels),
        ..Default::default()
    };
    let created = docker.create_volume(request).await.map_err(classify)?;
    get_volume(docker, &created.name).await
}

/// Removes a volume; `Conflict` while a container (even a stopped one) uses it.
#[tracing::instrument(skip_all, fields(volume = %name))]
pub async fn remove_volume(docker: &Docker, name: &str) -> Result<(), DockerError> {
    check_path_value("volume name", name, false)?;
    docker
        .remove_volume(name, Some(RemoveVolumeOptions { force: false }))
        .await
        .map_err(classify)
}

/// Every image (top-level, not intermediate layers), carrying `label` when given
/// (`key` or `key=value`), with how many containers use each.
#[tracing::instrument(skip_all)]
pub async fn list_images(docker: &Docker, label: Option<&str>) -> Result<Vec<ImageInfo>, DockerError> {
    let options = ListImagesOptions {
        all: false,
        filters: label.map(|l| HashMap::from([("label".to_string(), vec![l.to_string()])])),
        ..Default::default()
    };
    let images = docker.list_images(Some(options)).await?;
    let used = image_users(docker).await?;
    let mut images: Vec<ImageInfo> = images
        .into_iter()
        .map(|image| ImageInfo {
            containers: used.get(&image.id).copied().unwrap_or(0),
            tags: image.repo_tags.into_iter().filter(|t| t != "<none>:<none>").collect(),
            size_bytes: image.size,
            created: Utc.timestamp_opt(image.created, 0).single(),
            labels: image.labels.into_iter().collect(),
            id: image.id,
        })
        .collect();
    images.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
    Ok(images)
}

/// The image id a reference (`repo:tag` or id) names, if it is present.
pub async fn image_id(docker: &Docker, reference: &str) -> Result<Option<String>, DockerError> {
    check_image_ref(reference)?;
    match docker.inspect_image(reference).await.map_err(DockerError::from) {
        Ok(image) => Ok(image.id),
        Err(DockerError::NotFound(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

/// One image by id, id prefix or `repo:tag`, as [`list_images`] shows it; `NotFound` when
/// there is none.
#[tracing::instrument(skip_all, fields(image = %reference))]
pub async fn get_image(docker: &Docker, reference: &str) -> Result<ImageInfo, DockerError> {
    let id = image_id(docker, reference)
        .await?
        .ok_or_else(|| DockerError::NotFound(format!("no such image: {reference}")))?;
    list_images(docker, None)
        .await?
        .into_iter()
        .find(|image| image.id == id)
        // Removed between the two calls, or an intermediate layer (never listed).
        .ok_or_else(|| DockerError::NotFound(format!("no such image: {reference}")))
}

/// A container created from an image.
#[derive(Debug, Clone)]
pub struct ImageUser {
    pub name: String,
    pub running: bool,
}

/// The containers (running or not) created from the image with this full id.
pub async fn image_containers(docker: &Docker, image_id: &str) -> Result<Vec<ImageUser>, DockerError> {
    let mut users: Vec<ImageUser> = all_containers(docker)
        .await?
        .into_iter()
        .filter(|c| c.image_id.as_deref() == Some(image_id))
        .map(|c| ImageUser {
            running: c
                .state
                .is_some_and(|s| s == bollard::models::ContainerSummaryStateEnum::RUNNING),
            name: container_name(&c),
        })
        .collect();
    users.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(users)
}

/// What removing an image did: the names it took away, and whether the image itself went
/// (an image other images are built on loses its names but stays until they go).
#[derive(Debug, Clone, Default)]
pub struct ImageRemoval {
    pub untagged: Vec<String>,
    pub deleted: bool,
}

/// Removes an image. Without `force`, each of its names in turn (the last one removes the
/// image), so an image that gained a container meanwhile is refused by the engine
/// (`Conflict`); with `force`, by id, whatever names it has and whichever stopped
/// containers use it. The engine refuses an image a running container uses either way.
#[tracing::instrument(skip_all, fields(image = %image.id, force))]
pub async fn delete_image(docker: &Docker, image: &ImageInfo, force: bool) -> Result<ImageRemoval, DockerError> {
    let references = if force || image.tags.is_empty() {
        vec![image.id.clone()]
    } else {
        image.tags.clone()
    };
    let mut removal = ImageRemoval::default();
    for reference in &references {
        check_image_ref(reference)?;
        let options = RemoveImageOptions {
            force,
            noprune: false,
            ..Default::default()
        };
        let answer = docker
            .remove_image(reference, Some(options), None)
            .await
            .map_err(classify)?;
        for item in answer {
            if let Some(untagged) = item.untagged.filter(|u| !u.starts_with("sha256:")) {
                removal.untagged.push(untagged);
            }
            if item.deleted.as_deref() == Some(image.id.as_str()) {
                removal.deleted = true;
            }
        }
    }
    Ok(removal)
}

/// What the engine's disk-usage report says of a volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VolumeUsage {
    /// Bytes on disk; `None` when the engine does not know (a driver other than `local`).
    pub size_bytes: Option<i64>,
    /// Containers referencing it; `None` when the engine does not know.
    pub containers: Option<i64>,
}

#[derive(serde::Deserialize)]
struct DiskUsage {
    #[serde(rename = "Volumes", default)]
    volumes: Option<Vec<DiskUsageVolume>>,
}

#[derive(serde::Deserialize)]
struct DiskUsageVolume {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "UsageData", default)]
    usage_data: Option<DiskUsageData>,
}

#[derive(serde::Deserialize)]
struct DiskUsageData {
    #[serde(rename = "Size")]
    size: i64,
    #[serde(rename = "RefCount")]
    ref_count: i64,
}

/// Time the engine may take to add up its disk usage (it walks every volume).
const DISK_USAGE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
/// The most of a disk-usage answer read: it lists every image, container and volume.
const DISK_USAGE_MAX_BYTES: usize = 64 * 1024 * 1024;

/// Volume name → what the engine's disk-usage report (`GET /system/df`) says of it. One call
/// adds up every volume (and every image and container: the engine has no narrower form at
/// API 1.41), so callers make it once per request, and only when sizes are asked for.
///
/// bollard's `df` models the report of API 1.52 and later, whose shape differs; at the API
/// version Ployer speaks ([`super::CLIENT_API_VERSION`]) it would read nothing. So this one
/// request is made here, on the same socket, and only the fields used are read.
#[tracing::instrument(skip_all)]
pub async fn volume_usage(engine: &super::Engine) -> Result<HashMap<String, VolumeUsage>, DockerError> {
    let path = format!(
        "/v{}.{}/system/df",
        super::CLIENT_API_VERSION.major_version,
        super::CLIENT_API_VERSION.minor_version
    );
    let body = tokio::time::timeout(DISK_USAGE_TIMEOUT, engine_get(engine.socket_path(), &path))
        .await
        .map_err(|_| {
            DockerError::Unavailable(format!(
                "the Docker engine took more than {}s to report its disk usage",
                DISK_USAGE_TIMEOUT.as_secs()
            ))
        })??;
    let report: DiskUsage = serde_json::from_slice(&body)
        .map_err(|err| DockerError::Other(format!("the engine's disk-usage report could not be read: {err}")))?;
    let known = |n: i64| (n >= 0).then_some(n);
    Ok(report
        .volumes
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            let usage = v
                .usage_data
                .map(|u| VolumeUsage {
                    size_bytes: known(u.size),
                    containers: known(u.ref_count),
                })
                .unwrap_or_default();
            (v.name, usage)
        })
        .collect())
}

/// `GET path` on the engine's unix socket; the body of a 2xx answer.
async fn engine_get(socket: &str, path: &str) -> Result<bytes::Bytes, DockerError> {
    use http_body_util::{BodyExt, Empty, Limited};
    let unreachable = |err: &dyn std::fmt::Display| {
        DockerError::Unavailable(format!(
            "the Docker engine is not reachable (is dockerd running and its socket accessible?): {err}"
        ))
    };
    let stream = tokio::net::UnixStream::connect(socket)
        .await
        .map_err(|e| unreachable(&e))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
        .await
        .map_err(|e| unreachable(&e))?;
    let connection = tokio::spawn(connection);
    let request = hyper::Request::get(path)
        .header(hyper::header::HOST, "docker")
        .body(Empty::<bytes::Bytes>::new())
        .map_err(|e| DockerError::Other(format!("invalid engine request {path}: {e}")))?;
    let answer = async {
        let response = sender.send_request(request).await.map_err(|e| unreachable(&e))?;
        let status = response.status();
        let body = Limited::new(response.into_body(), DISK_USAGE_MAX_BYTES)
            .collect()
            .await
            .map_err(|e| DockerError::Other(format!("reading the engine's answer to {path}: {e}")))?
            .to_bytes();
        if !status.is_success() {
            let message = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_string))
                .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
            return Err(DockerError::from(bollard::errors::Error::DockerResponseServerError {
                status_code: status.as_u16(),
                message,
            }));
        }
        Ok(body)
    }
    .await;
    connection.abort();
    answer
}

/// Removes the images among `candidates` that no container uses and whose id is not in
/// `protected`: each tag in turn (the last one removes the image), or the id of a dangling
/// one. Never forced: an image that gained a container or a child meanwhile is skipped.
#[tracing::instrument(skip_all, fields(candidates = candidates.len(), dry_run))]
pub async fn remove_unused_images(
    docker: &Docker,
    candidates: Vec<ImageInfo>,
    protected: &HashSet<String>,
    dry_run: bool,
) -> Result<PruneOutcome, DockerError> {
    let mut outcome = PruneOutcome::default();
    for image in candidates {
        if image.containers > 0 {
            continue;
        }
        if protected.contains(&image.id) {
            outcome.skipped.push(SkippedImage {
                image,
                reason: "kept for a deployment (active, in flight or a rollback target)".into(),
                kept: true,
            });
            continue;
        }
        if dry_run {
            outcome.reclaimed_bytes += image.size_bytes;
            outcome.removed.push(image);
            continue;
        }
        let references = if image.tags.is_empty() {
            vec![image.id.clone()]
        } else {
            image.tags.clone()
        };
        let mut failure = None;
        for reference in &references {
            if check_image_ref(reference).is_err() {
                failure = Some(format!("cannot address {reference:?}"));
                break;
            }
            let options = RemoveImageOptions {
                force: false,
                noprune: false,
                ..Default::default()
            };
            match docker
                .remove_image(reference, Some(options), None)
                .await
                .map_err(classify)
            {
                Ok(_) | Err(DockerError::NotFound(_)) => {}
                Err(err @ DockerError::Unavailable(_)) => return Err(err),
                Err(err) => {
                    failure = Some(err.to_string());
                    break;
                }
            }
        }
        match failure {
            None => {
                outcome.reclaimed_bytes += image.size_bytes;
                outcome.removed.push(image);
            }
            Some(reason) => outcome.skipped.push(SkippedImage {
                image,
                reason,
                kept: false,
            }),
        }
    }
    Ok(outcome)
}

/// Like `DockerError::from`, plus the engine's "in use / already exists" answers (409, and
/// the 403 a network with active endpoints gets) as `Conflict`.
fn classify(err: bollard::errors::Error) -> DockerError {
    use bollard::errors::Error as E;
    match err {
        E::DockerResponseServerError {
            status_code: 409,
            message,
        } => DockerError::Conflict(message),
        E::DockerResponseServerError {
            status_code: 403,
            message,
        } if message.contains("active endpoints") || message.contains("in use") => DockerError::Conflict(message),
        other => DockerError::from(other),
    }
}

async fn list_networks_filtered(
    docker: &Docker,
    filter: Option<(&str, String)>,
) -> Result<Vec<NetworkInfo>, DockerError> {
    let options = ListNetworksOptions {
        filters: filter.map(|(key, value)| HashMap::from([(key.to_string(), vec![value])])),
    };
    let networks = docker.list_networks(Some(options)).await?;
    // The list answer leaves `Containers` empty: attachments are read from the containers.
    let containers = all_containers(docker).await?;
    let mut out: Vec<NetworkInfo> = networks
        .into_iter()
        .map(|n| {
            let id = n.id.unwrap_or_default();
            let name = n.name.unwrap_or_default();
            let attached = containers
                .iter()
                .filter(|c| {
                    c.network_settings
                        .as_ref()
                        .and_then(|s| s.networks.as_ref())
                        .is_some_and(|nets| {
                            nets.iter().any(|(net_name, endpoint)| {
                                net_name == &name || endpoint.network_id.as_deref() == Some(id.as_str())
                            })
                        })
                })
                .map(container_name)
                .collect();
            NetworkInfo {
                created: n.created.as_deref().and_then(parse_time),
                driver: n.driver.unwrap_or_default(),
                scope: n.scope.unwrap_or_default(),
                internal: n.internal.unwrap_or(false),
                labels: n.labels.unwrap_or_default().into_iter().collect(),
                containers: attached,
                id,
                name,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn all_containers(docker: &Docker) -> Result<Vec<ContainerSummary>, DockerError> {
    let options = ListContainersOptions {
        all: true,
        ..Default::default()
    };
    Ok(docker.list_containers(Some(options)).await?)
}

/// Volume name → names of the containers mounting it.
async fn volume_users(docker: &Docker) -> Result<HashMap<String, Vec<String>>, DockerError> {
    let mut users: HashMap<String, Vec<String>> = HashMap::new();
    for container in all_containers(docker).await? {
        let name = container_name(&container);
        for mount in container.mounts.iter().flatten() {
            if let Some(volume) = mount.name.as_deref().filter(|n| !n.is_empty()) {
                users.entry(volume.to_string()).or_default().push(name.clone());
            }
        }
    }
    Ok(users)
}

/// Image id → number of containers created from it.
async fn image_users(docker: &Docker) -> Result<HashMap<String, usize>, DockerError> {
    let mut used: HashMap<String, usize> = HashMap::new();
    for container in all_containers(docker).await? {
        if let Some(id) = container.image_id {
            *used.entry(id).or_default() += 1;
        }
    }
    Ok(used)
}

fn container_name(c: &ContainerSummary) -> String {
    c.names
        .as_ref()
        .and_then(|names| names.first())
        .map(|name| name.trim_start_matches('/').to_string())
        .unwrap_or_default()
}

fn container_info(c: ContainerSummary) -> ContainerInfo {
    let name = container_name(&c);
    let mut networks: Vec<String> = c
        .network_settings
        .and_then(|s| s.networks)
        .map(|n| n.into_keys().collect())
        .unwrap_or_default();
    networks.sort();
    let volumes = c
        .mounts
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.name.filter(|n| !n.is_empty()))
        .collect();
    let mut ports: Vec<PortInfo> = c
        .ports
        .unwrap_or_default()
        .into_iter()
        .map(|p| PortInfo {
            container_port: p.private_port,
            host_ip: p.ip.filter(|ip| !ip.is_empty()),
            host_port: p.public_port.filter(|port| *port != 0),
            protocol: p.typ.map(|t| t.to_string()).unwrap_or_else(|| "tcp".into()),
        })
        .collect();
    ports.sort_by(|a, b| (a.container_port, &a.host_ip).cmp(&(b.container_port, &b.host_ip)));
    ContainerInfo {
        id: c.id.unwrap_or_default(),
        name,
        image: c.image.unwrap_or_default(),
        image_id: c.image_id.unwrap_or_default(),
        command: c.command.unwrap_or_default(),
        created: c.created.and_then(|t| Utc.timestamp_opt(t, 0).single()),
        state: c.state.map(|s| s.to_string()).unwrap_or_default(),
        status: c.status.unwrap_or_default(),
        ports,
        labels: c.labels.unwrap_or_default().into_iter().collect(),
        networks,
        volumes,
    }
}

fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_times_parse_with_and_without_fractions() {
        assert!(parse_time("2026-01-02T03:04:05.123456789Z").is_some());
        assert!(parse_time("2026-01-02T03:04:05+01:00").is_some());
        assert!(parse_time("").is_none());
    }

    #[test]
    fn in_use_answers_become_conflicts() {
        let err = bollard::errors::Error::DockerResponseServerError {
            status_code: 409,
            message: "volume is in use".into(),
        };
        assert!(matches!(classify(err), DockerError::Conflict(_)));
        let err = bollard::errors::Error::DockerResponseServerError {
            status_code: 403,
            message: "error while removing network: network x id y has active endpoints".into(),
        };
        assert!(matches!(classify(err), DockerError::Conflict(_)));
        let err = bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            message: "no such network".into(),
        };
        assert!(matches!(classify(err), DockerError::NotFound(_)));
    }
}
