//! The Docker engine's objects as an admin sees them (containers, networks, volumes, images),
//! their owners in Ployer, container log lines and engine events.

use super::application::Application;
use super::deployment::Deployment;
use crate::graphql::state;
use crate::ids::AppId;
use crate::{
    docker::{
        events::{EngineEvent, ObjectKind},
        logs::LogStream,
        resources::{ContainerInfo, ImageInfo, NetworkInfo, VolumeInfo, VolumeUsage},
        LABEL_MANAGED,
    },
    services::{
        container_logs::AppLogLine,
        docker_resources::{self as resources, Ownership},
    },
    state::AppState,
};
use async_graphql::{Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use tokio::sync::OnceCell;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "LogStream")]
pub enum LogStreamGql {
    Stdout,
    Stderr,
}

/// One line a container printed.
#[derive(SimpleObject)]
#[graphql(name = "ContainerLogLine")]
pub struct ContainerLogLineGql {
    /// The container that printed it (after a redeploy, the new one).
    pub(crate) container_id: ID,
    pub(crate) stream: LogStreamGql,
    pub(crate) line: String,
    /// When the engine received it.
    pub(crate) timestamp: DateTime<Utc>,
}

impl From<AppLogLine> for ContainerLogLineGql {
    fn from(l: AppLogLine) -> Self {
        Self {
            container_id: ID(l.container_id),
            stream: match l.line.stream {
                LogStream::Stdout => LogStreamGql::Stdout,
                LogStream::Stderr => LogStreamGql::Stderr,
            },
            line: l.line.line,
            timestamp: l.line.at,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "DockerLabel")]
pub struct Label {
    pub(crate) key: String,
    pub(crate) value: String,
}

pub(crate) fn labels(map: &std::collections::BTreeMap<String, String>) -> Vec<Label> {
    map.iter()
        .map(|(key, value)| Label {
            key: key.clone(),
            value: value.clone(),
        })
        .collect()
}

pub(crate) fn managed(map: &std::collections::BTreeMap<String, String>) -> bool {
    map.get(LABEL_MANAGED).is_some_and(|v| v == "true")
}

#[derive(SimpleObject)]
pub struct ContainerPort {
    pub(crate) container_port: i32,
    /// Null when the port is not published.
    pub(crate) host_ip: Option<String>,
    pub(crate) host_port: Option<i32>,
    /// `tcp`, `udp` or `sctp`.
    pub(crate) protocol: String,
}

/// A container on the engine, whoever made it.
pub struct DockerContainer {
    pub(crate) info: ContainerInfo,
    pub(crate) owner: OnceCell<Ownership>,
}

impl DockerContainer {
    pub(crate) fn new(info: ContainerInfo) -> Self {
        Self {
            info,
            owner: OnceCell::new(),
        }
    }

    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<&Ownership> {
        let db = &state(ctx)?.db;
        Ok(self
            .owner
            .get_or_try_init(|| resources::ownership(db, &self.info))
            .await?)
    }
}

#[Object]
impl DockerContainer {
    /// The full 64-character id.
    async fn id(&self) -> ID {
        ID(self.info.id.clone())
    }
    async fn name(&self) -> &str {
        &self.info.name
    }
    /// The image as the container was created with it.
    async fn image(&self) -> &str {
        &self.info.image
    }
    async fn image_id(&self) -> &str {
        &self.info.image_id
    }
    async fn command(&self) -> &str {
        &self.info.command
    }
    async fn created_at(&self) -> Option<DateTime<Utc>> {
        self.info.created
    }
    /// `created`, `running`, `paused`, `restarting`, `exited`, `removing` or `dead`.
    async fn state(&self) -> &str {
        &self.info.state
    }
    /// The engine's words, e.g. `Up 5 minutes`.
    async fn status(&self) -> &str {
        &self.info.status
    }
    async fn running(&self) -> bool {
        self.info.running()
    }
    async fn ports(&self) -> Vec<ContainerPort> {
        self.info
            .ports
            .iter()
            .map(|p| ContainerPort {
                container_port: i32::from(p.container_port),
                host_ip: p.host_ip.clone(),
                host_port: p.host_port.map(i32::from),
                protocol: p.protocol.clone(),
            })
            .collect()
    }
    async fn labels(&self) -> Vec<Label> {
        labels(&self.info.labels)
    }
    /// Names of the networks it is attached to.
    async fn networks(&self) -> &[String] {
        &self.info.networks
    }
    /// Names of the named volumes it mounts.
    async fn volumes(&self) -> &[String] {
        &self.info.volumes
    }
    /// Made by Ployer (labelled `ployer.managed=true`).
    async fn managed(&self) -> bool {
        self.info.managed()
    }
    /// The application a managed container runs for, when Ployer still knows it.
    async fn application(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Application>> {
        Ok(self.owner(ctx).await?.application.clone().map(Application))
    }
    /// The deployment a managed container was started for, when Ployer still knows it.
    async fn deployment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Deployment>> {
        Ok(self.owner(ctx).await?.deployment.clone().map(Deployment))
    }
    /// It runs the application's active deployment: the reconciler keeps it running and
    /// recreates it when it is removed.
    async fn is_active(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.owner(ctx).await?.active)
    }
}

pub struct DockerNetwork(pub NetworkInfo);

#[Object]
impl DockerNetwork {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn driver(&self) -> &str {
        &self.0.driver
    }
    /// `local`, `global` or `swarm`.
    async fn scope(&self) -> &str {
        &self.0.scope
    }
    /// No route to the outside.
    async fn internal(&self) -> bool {
        self.0.internal
    }
    async fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.created
    }
    async fn labels(&self) -> Vec<Label> {
        labels(&self.0.labels)
    }
    /// Names of the containers attached to it, running or not.
    async fn containers(&self) -> &[String] {
        &self.0.containers
    }
    async fn managed(&self) -> bool {
        managed(&self.0.labels)
    }
}

/// A volume, with what the engine's disk-usage report says of it when the answer asks for
/// its size.
pub struct DockerVolume {
    pub(crate) info: VolumeInfo,
    pub(crate) usage: Option<VolumeUsage>,
}

impl DockerVolume {
    pub(crate) fn new(info: VolumeInfo, usage: Option<&HashMap<String, VolumeUsage>>) -> Self {
        let usage = usage.map(|u| u.get(&info.name).copied().unwrap_or_default());
        Self { info, usage }
    }
}

#[Object]
impl DockerVolume {
    async fn name(&self) -> &str {
        &self.info.name
    }
    async fn driver(&self) -> &str {
        &self.info.driver
    }
    async fn mountpoint(&self) -> &str {
        &self.info.mountpoint
    }
    async fn created_at(&self) -> Option<DateTime<Utc>> {
        self.info.created
    }
    async fn labels(&self) -> Vec<Label> {
        labels(&self.info.labels)
    }
    /// Names of the containers mounting it, running or not.
    async fn containers(&self) -> &[String] {
        &self.info.containers
    }
    async fn managed(&self) -> bool {
        managed(&self.info.labels)
    }
    /// Bytes its data takes on disk, from the engine's disk-usage report (read once per
    /// request, only when asked for); null when the engine does not report it (a driver
    /// other than `local`) or the report could not be read.
    async fn size_bytes(&self) -> Option<i64> {
        self.usage.and_then(|u| u.size_bytes)
    }
    /// Made by Ployer for an application that no longer exists (deleted with its volumes
    /// kept): its data stays until an admin removes it.
    async fn orphaned(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let Some(app_id) = self.info.labels.get(crate::docker::LABEL_APP) else {
            return Ok(false);
        };
        if !managed(&self.info.labels) {
            return Ok(false);
        }
        match crate::services::applications::get(&crate::graphql::state(ctx)?.db, &AppId::from(app_id)).await {
            Ok(_) => Ok(false),
            Err(crate::error::AppError::NotFound(_)) => Ok(true),
            Err(err) => Err(err.into()),
        }
    }
}

/// Whether the answer being built asks for a volume's `sizeBytes` at any of `paths` (field
/// names from the current field down to the volume).
pub(crate) fn wants_volume_size(ctx: &Context<'_>, paths: &[&[&str]]) -> bool {
    paths.iter().any(|path| {
        let mut at = ctx.look_ahead();
        for field in *path {
            at = at.field(field);
        }
        at.field("sizeBytes").exists()
    })
}

/// The engine's disk usage of every volume, when `wanted`: one engine call for the whole
/// answer. A report that cannot be read leaves sizes null rather than failing the answer.
pub(crate) async fn volume_usage(state: &AppState, wanted: bool) -> Option<HashMap<String, VolumeUsage>> {
    if !wanted {
        return None;
    }
    match resources::volume_usage(&state.docker).await {
        Ok(usage) => Some(usage),
        Err(err) => {
            tracing::warn!(error = ?err, "the engine's disk-usage report could not be read; volume sizes are null");
            Some(HashMap::new())
        }
    }
}

pub struct DockerImage {
    pub(crate) info: ImageInfo,
    pub(crate) kept: bool,
}

#[Object]
impl DockerImage {
    async fn id(&self) -> ID {
        ID(self.info.id.clone())
    }
    /// `repo:tag` names; empty for a dangling image.
    async fn tags(&self) -> &[String] {
        &self.info.tags
    }
    async fn size_bytes(&self) -> i64 {
        self.info.size_bytes
    }
    async fn created_at(&self) -> Option<DateTime<Utc>> {
        self.info.created
    }
    async fn labels(&self) -> Vec<Label> {
        labels(&self.info.labels)
    }
    /// Containers (running or not) created from it; an image with none is unused.
    async fn containers(&self) -> i32 {
        i32::try_from(self.info.containers).unwrap_or(i32::MAX)
    }
    async fn managed(&self) -> bool {
        managed(&self.info.labels)
    }
    /// A deployment needs it (active, in flight or a rollback target): never pruned.
    async fn kept(&self) -> bool {
        self.kept
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum DockerObjectType {
    Container,
    Network,
    Volume,
    Image,
}

impl From<ObjectKind> for DockerObjectType {
    fn from(kind: ObjectKind) -> Self {
        match kind {
            ObjectKind::Container => Self::Container,
            ObjectKind::Network => Self::Network,
            ObjectKind::Volume => Self::Volume,
            ObjectKind::Image => Self::Image,
        }
    }
}

/// Something that happened to an object on the engine, as the engine reports it.
#[derive(SimpleObject)]
pub struct DockerEvent {
    /// The kind of object.
    #[graphql(name = "type")]
    pub(crate) object_type: DockerObjectType,
    /// The engine's word: `create`, `start`, `die`, `stop`, `destroy`, `health_status`,
    /// `connect`, `disconnect`, `mount`, `pull`, `tag`, `untag`, `delete`…
    pub(crate) action: String,
    /// A container's or network's id, a volume's name, an image's id or reference.
    pub(crate) id: ID,
    /// A container's or network's name, an image's reference, when the engine gives one.
    pub(crate) name: Option<String>,
    pub(crate) time: DateTime<Utc>,
}

impl From<&EngineEvent> for DockerEvent {
    fn from(event: &EngineEvent) -> Self {
        Self {
            object_type: event.kind.into(),
            action: event.action.clone(),
            id: ID(event.id.clone()),
            name: event.name.clone(),
            time: event.at,
        }
    }
}
