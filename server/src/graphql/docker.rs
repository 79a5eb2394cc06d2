//! The Docker engine over GraphQL (admin): containers, networks, volumes and images, the
//! changes an admin may make to them, the engine's events as they happen, and live container
//! logs. Also the log lines of an application (`Application.logs`, `applicationLogs`), which
//! any reader of the application sees with its secrets redacted.

use std::collections::HashMap;

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, Subscription, ID};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use tokio::sync::{broadcast::error::RecvError, OnceCell};

use super::{apps::Application, deployments::Deployment, state};
use crate::{
    deploy::retention::Retention,
    docker::{
        events::{EngineEvent, ObjectKind},
        logs::LogStream,
        resources::{ContainerInfo, ImageInfo, NetworkInfo, VolumeInfo, VolumeUsage},
        LABEL_MANAGED,
    },
    error::AppError,
    services::{
        self,
        container_logs::{self as logs, AppLogLine},
        docker_resources::{self as resources, ContainerAction, Ownership, ResourceContext},
    },
    state::AppState,
    validate::docker::DockerRef,
};

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
    container_id: ID,
    stream: LogStreamGql,
    line: String,
    /// When the engine received it.
    timestamp: DateTime<Utc>,
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

/// `Application.logs`: the active container's last `tail` lines since `since`.
pub(crate) async fn application_logs(
    ctx: &Context<'_>,
    app_id: &str,
    tail: Option<i32>,
    since: Option<DateTime<Utc>>,
) -> async_graphql::Result<Vec<ContainerLogLineGql>> {
    let tail = logs::tail("tail", tail)?;
    let lines = logs::application_logs(state(ctx)?, app_id, tail, since).await?;
    Ok(lines.into_iter().map(ContainerLogLineGql::from).collect())
}

#[derive(SimpleObject)]
#[graphql(name = "DockerLabel")]
pub struct Label {
    key: String,
    value: String,
}

fn labels(map: &std::collections::BTreeMap<String, String>) -> Vec<Label> {
    map.iter()
        .map(|(key, value)| Label {
            key: key.clone(),
            value: value.clone(),
        })
        .collect()
}

fn managed(map: &std::collections::BTreeMap<String, String>) -> bool {
    map.get(LABEL_MANAGED).is_some_and(|v| v == "true")
}

#[derive(SimpleObject)]
pub struct ContainerPort {
    container_port: i32,
    /// Null when the port is not published.
    host_ip: Option<String>,
    host_port: Option<i32>,
    /// `tcp`, `udp` or `sctp`.
    protocol: String,
}

/// A container on the engine, whoever made it.
pub struct DockerContainer {
    info: ContainerInfo,
    owner: OnceCell<Ownership>,
}

impl DockerContainer {
    fn new(info: ContainerInfo) -> Self {
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

pub struct DockerNetwork(NetworkInfo);

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
    info: VolumeInfo,
    usage: Option<VolumeUsage>,
}

impl DockerVolume {
    fn new(info: VolumeInfo, usage: Option<&HashMap<String, VolumeUsage>>) -> Self {
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
}

/// Whether the answer being built asks for a volume's `sizeBytes` at any of `paths` (field
/// names from the current field down to the volume).
fn wants_volume_size(ctx: &Context<'_>, paths: &[&[&str]]) -> bool {
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
async fn volume_usage(state: &AppState, wanted: bool) -> Option<HashMap<String, VolumeUsage>> {
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
    info: ImageInfo,
    kept: bool,
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

/// Which images Ployer's deployments keep, as the Docker services ask it.
fn retention(state: &AppState) -> Retention<'_> {
    Retention {
        db: &state.db,
        keep: state.config.keep_images,
    }
}

fn engine(state: &AppState) -> Result<bollard::Docker, AppError> {
    resources::engine(state.docker.client())
}

fn resource_context(state: &AppState) -> Result<ResourceContext<'_>, AppError> {
    Ok(ResourceContext {
        db: &state.db,
        docker: engine(state)?,
        reconcile_seconds: state.config.reconcile_interval_seconds.max(1),
    })
}

#[derive(Default)]
pub struct DockerQuery;

#[Object]
impl DockerQuery {
    /// Containers on the engine, newest first: running ones, or all with `all`; only
    /// Ployer's with `managedOnly` (admin).
    async fn containers(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] all: bool,
        #[graphql(default = false)] managed_only: bool,
    ) -> async_graphql::Result<Vec<DockerContainer>> {
        let state = state(ctx)?;
        Ok(resources::containers(&engine(state)?, all, managed_only)
            .await?
            .into_iter()
            .map(DockerContainer::new)
            .collect())
    }

    /// A container by id, id prefix or name; null when there is none (admin).
    async fn container(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<DockerContainer>> {
        let state = state(ctx)?;
        Ok(resources::container(&engine(state)?, &id)
            .await?
            .map(DockerContainer::new))
    }

    /// Networks on the engine, by name (admin).
    async fn networks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DockerNetwork>> {
        let state = state(ctx)?;
        Ok(resources::networks(&engine(state)?)
            .await?
            .into_iter()
            .map(DockerNetwork)
            .collect())
    }

    /// Volumes on the engine, by name (admin).
    async fn volumes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DockerVolume>> {
        let state = state(ctx)?;
        let docker = engine(state)?;
        let (volumes, usage) = tokio::join!(
            resources::volumes(&docker),
            volume_usage(state, wants_volume_size(ctx, &[&[]]))
        );
        Ok(volumes?
            .into_iter()
            .map(|v| DockerVolume::new(v, usage.as_ref()))
            .collect())
    }

    /// Images on the engine, newest first, with whether a deployment keeps each (admin).
    async fn images(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DockerImage>> {
        let state = state(ctx)?;
        Ok(resources::images(&engine(state)?, &retention(state))
            .await?
            .into_iter()
            .map(|(info, kept)| DockerImage { info, kept })
            .collect())
    }
}

#[derive(InputObject)]
pub struct StartContainerInput {
    /// Id, id prefix or name.
    id: ID,
}

#[derive(InputObject)]
pub struct StopContainerInput {
    id: ID,
    /// Seconds between SIGTERM and SIGKILL, 0-100 (default 10).
    timeout_seconds: Option<i32>,
}

#[derive(InputObject)]
pub struct RestartContainerInput {
    id: ID,
    /// Seconds between SIGTERM and SIGKILL, 0-100 (default 10).
    timeout_seconds: Option<i32>,
}

#[derive(InputObject)]
pub struct RemoveContainerInput {
    id: ID,
    /// Remove a running container too (it is killed). Default false.
    #[graphql(default = false)]
    force: bool,
}

#[derive(SimpleObject)]
pub struct ContainerPayload {
    container: DockerContainer,
    /// What happens next, when Ployer will act on the change (e.g. the reconciler starting
    /// an application's active container again).
    notice: Option<String>,
}

#[derive(SimpleObject)]
pub struct RemoveContainerPayload {
    removed_container_id: ID,
    /// Set when the container was an application's active one: the reconciler will create
    /// a new one.
    notice: Option<String>,
}

#[derive(InputObject)]
pub struct CreateNetworkInput {
    /// Lower-case letters, digits and '-', 1-63 characters; unique.
    name: String,
    /// No route to the outside. Default false.
    #[graphql(default = false)]
    internal: bool,
}

#[derive(SimpleObject)]
pub struct NetworkPayload {
    network: DockerNetwork,
}

#[derive(InputObject)]
pub struct RemoveNetworkInput {
    /// Full id or exact name.
    id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveNetworkPayload {
    removed_network_id: ID,
}

#[derive(InputObject)]
pub struct CreateVolumeInput {
    /// Lower-case letters, digits and '-', 1-63 characters; unique.
    name: String,
}

#[derive(SimpleObject)]
pub struct VolumePayload {
    volume: DockerVolume,
}

#[derive(InputObject)]
pub struct RemoveVolumeInput {
    name: String,
}

#[derive(SimpleObject)]
pub struct RemoveVolumePayload {
    removed_volume_name: String,
}

#[derive(InputObject)]
pub struct PruneImagesInput {
    /// Report what would be removed without removing anything. Default false.
    #[graphql(default = false)]
    dry_run: bool,
    /// Only images without a tag. Default false: every unused image.
    #[graphql(default = false)]
    dangling_only: bool,
    /// Only images carrying this label, `key` or `key=value`.
    label: Option<String>,
}

#[derive(SimpleObject)]
pub struct SkippedImage {
    image: DockerImage,
    reason: String,
}

#[derive(SimpleObject)]
pub struct PruneImagesPayload {
    /// Removed (or, for a dry run, to be removed).
    removed_images: Vec<DockerImage>,
    reclaimed_bytes: i64,
    /// Unused images left in place: kept for a deployment, or refused by the engine.
    skipped_images: Vec<SkippedImage>,
    dry_run: bool,
}

#[derive(InputObject)]
pub struct PruneNetworksInput {
    /// Report what would be removed without removing anything. Default false.
    #[graphql(default = false)]
    dry_run: bool,
    /// Only networks carrying this label, `key` or `key=value`.
    label: Option<String>,
}

#[derive(SimpleObject)]
pub struct SkippedNetwork {
    network: DockerNetwork,
    reason: String,
}

#[derive(SimpleObject)]
pub struct PruneNetworksPayload {
    /// Removed (or, for a dry run, to be removed).
    removed_networks: Vec<DockerNetwork>,
    /// Unused networks left in place: an application's, or refused by the engine.
    skipped_networks: Vec<SkippedNetwork>,
    dry_run: bool,
}

#[derive(InputObject)]
pub struct PruneVolumesInput {
    /// Report what would be removed without removing anything. Default false.
    #[graphql(default = false)]
    dry_run: bool,
    /// Only volumes carrying this label, `key` or `key=value`.
    label: Option<String>,
}

#[derive(SimpleObject)]
pub struct SkippedVolume {
    volume: DockerVolume,
    reason: String,
}

#[derive(SimpleObject)]
pub struct PruneVolumesPayload {
    /// Removed with their data (or, for a dry run, to be removed).
    removed_volumes: Vec<DockerVolume>,
    /// Unused volumes left in place: an application's, or refused by the engine.
    skipped_volumes: Vec<SkippedVolume>,
    dry_run: bool,
}

#[derive(InputObject)]
pub struct RemoveImageInput {
    /// The image's id (`sha256:…`), an id prefix, or a `repo:tag` naming it.
    id: ID,
    /// Remove it although stopped containers were created from it (they stay, without their
    /// image's name). Never an image a running container uses or a deployment keeps.
    /// Default false.
    #[graphql(default = false)]
    force: bool,
}

#[derive(SimpleObject)]
pub struct RemoveImagePayload {
    removed_image_id: ID,
    /// The `repo:tag` names it lost.
    untagged: Vec<String>,
    /// The image itself is gone. False when images built on it hold it (nameless) until
    /// they go.
    deleted: bool,
}

#[derive(InputObject)]
pub struct PullImageInput {
    /// `[registry[:port]/]name[:tag][@sha256:digest]`; without a tag or digest, `latest`.
    reference: String,
}

#[derive(SimpleObject)]
pub struct PullImagePayload {
    image: DockerImage,
}

#[derive(Default)]
pub struct DockerMutation;

#[Object]
impl DockerMutation {
    /// Starts a container (admin). Already running is fine.
    async fn start_container(
        &self,
        ctx: &Context<'_>,
        input: StartContainerInput,
    ) -> async_graphql::Result<ContainerPayload> {
        let ctx = resource_context(state(ctx)?)?;
        let change = resources::change_container(&ctx, &input.id, ContainerAction::Start, None).await?;
        Ok(ContainerPayload {
            container: DockerContainer::new(change.container),
            notice: change.notice,
        })
    }

    /// Stops a container (admin). Already stopped is fine.
    async fn stop_container(
        &self,
        ctx: &Context<'_>,
        input: StopContainerInput,
    ) -> async_graphql::Result<ContainerPayload> {
        let ctx = resource_context(state(ctx)?)?;
        let change = resources::change_container(&ctx, &input.id, ContainerAction::Stop, input.timeout_seconds).await?;
        Ok(ContainerPayload {
            container: DockerContainer::new(change.container),
            notice: change.notice,
        })
    }

    /// Restarts a container (admin).
    async fn restart_container(
        &self,
        ctx: &Context<'_>,
        input: RestartContainerInput,
    ) -> async_graphql::Result<ContainerPayload> {
        let ctx = resource_context(state(ctx)?)?;
        let change =
            resources::change_container(&ctx, &input.id, ContainerAction::Restart, input.timeout_seconds).await?;
        Ok(ContainerPayload {
            container: DockerContainer::new(change.container),
            notice: change.notice,
        })
    }

    /// Removes a container and its anonymous volumes (admin); a running one only with
    /// `force`. Removing an application's active container is allowed: the reconciler
    /// creates a new one, and `notice` says so.
    async fn remove_container(
        &self,
        ctx: &Context<'_>,
        input: RemoveContainerInput,
    ) -> async_graphql::Result<RemoveContainerPayload> {
        let ctx = resource_context(state(ctx)?)?;
        let removed = resources::remove_container(&ctx, &input.id, input.force).await?;
        Ok(RemoveContainerPayload {
            removed_container_id: ID(removed.id),
            notice: removed.notice,
        })
    }

    /// Creates a bridge network labelled `ployer.managed=true` (admin).
    async fn create_network(
        &self,
        ctx: &Context<'_>,
        input: CreateNetworkInput,
    ) -> async_graphql::Result<NetworkPayload> {
        let state = state(ctx)?;
        let network = resources::create_network(&engine(state)?, &input.name, input.internal).await?;
        Ok(NetworkPayload {
            network: DockerNetwork(network),
        })
    }

    /// Removes a network (admin). A network a container is attached to is refused with
    /// CONFLICT naming the containers; the engine's own `bridge`, `host` and `none` always.
    async fn remove_network(
        &self,
        ctx: &Context<'_>,
        input: RemoveNetworkInput,
    ) -> async_graphql::Result<RemoveNetworkPayload> {
        let state = state(ctx)?;
        let id = resources::remove_network(&engine(state)?, &input.id).await?;
        Ok(RemoveNetworkPayload {
            removed_network_id: ID(id),
        })
    }

    /// Creates a local volume labelled `ployer.managed=true` (admin).
    async fn create_volume(&self, ctx: &Context<'_>, input: CreateVolumeInput) -> async_graphql::Result<VolumePayload> {
        let state = state(ctx)?;
        let volume = resources::create_volume(&engine(state)?, &input.name).await?;
        let usage = volume_usage(state, wants_volume_size(ctx, &[&["volume"]])).await;
        Ok(VolumePayload {
            volume: DockerVolume::new(volume, usage.as_ref()),
        })
    }

    /// Removes a volume and its data (admin). A volume any container mounts is refused
    /// with CONFLICT naming the containers.
    async fn remove_volume(
        &self,
        ctx: &Context<'_>,
        input: RemoveVolumeInput,
    ) -> async_graphql::Result<RemoveVolumePayload> {
        let state = state(ctx)?;
        let name = resources::remove_volume(&engine(state)?, &input.name).await?;
        Ok(RemoveVolumePayload {
            removed_volume_name: name,
        })
    }

    /// Removes one image (admin). Refused with CONFLICT, naming them, while containers use
    /// it, unless `force` and none of them runs; refused whatever `force` says when a
    /// deployment Ployer keeps needs it (its active one, one in flight, a rollback target).
    async fn remove_image(
        &self,
        ctx: &Context<'_>,
        input: RemoveImageInput,
    ) -> async_graphql::Result<RemoveImagePayload> {
        let state = state(ctx)?;
        let (image, removal) =
            resources::remove_image(&engine(state)?, &retention(state), &input.id, input.force).await?;
        Ok(RemoveImagePayload {
            removed_image_id: ID(image.id),
            untagged: removal.untagged,
            deleted: removal.deleted,
        })
    }

    /// Pulls an image from its registry through the engine (admin), present or not. A
    /// registry that cannot be reached or refuses is UNAVAILABLE, an image it does not have
    /// NOT_FOUND, each with the engine's reason.
    async fn pull_image(&self, ctx: &Context<'_>, input: PullImageInput) -> async_graphql::Result<PullImagePayload> {
        let state = state(ctx)?;
        let (info, kept) = resources::pull_image(&engine(state)?, &retention(state), &input.reference).await?;
        Ok(PullImagePayload {
            image: DockerImage { info, kept },
        })
    }

    /// Removes images no container uses (admin). Images a deployment keeps (the active
    /// one, those in flight, the newest `keep_images` rollback targets) are never removed.
    async fn prune_images(
        &self,
        ctx: &Context<'_>,
        input: PruneImagesInput,
    ) -> async_graphql::Result<PruneImagesPayload> {
        let state = state(ctx)?;
        let options = resources::PruneOptions {
            dry_run: input.dry_run,
            dangling_only: input.dangling_only,
            label: input.label,
        };
        let outcome = resources::prune_images(&engine(state)?, &retention(state), options).await?;
        Ok(PruneImagesPayload {
            removed_images: outcome
                .removed
                .into_iter()
                .map(|info| DockerImage { info, kept: false })
                .collect(),
            reclaimed_bytes: outcome.reclaimed_bytes,
            skipped_images: outcome
                .skipped
                .into_iter()
                .map(|skipped| SkippedImage {
                    image: DockerImage {
                        info: skipped.image,
                        kept: skipped.kept,
                    },
                    reason: skipped.reason,
                })
                .collect(),
            dry_run: input.dry_run,
        })
    }

    /// Removes networks no container is attached to (admin). The engine's own (`bridge`,
    /// `host`, `none`) and those labelled for an application Ployer still has stay.
    async fn prune_networks(
        &self,
        ctx: &Context<'_>,
        input: PruneNetworksInput,
    ) -> async_graphql::Result<PruneNetworksPayload> {
        let state = state(ctx)?;
        let filter = resources::PruneFilter {
            dry_run: input.dry_run,
            label: input.label,
        };
        let outcome = resources::prune_networks(&state.db, &engine(state)?, filter).await?;
        Ok(PruneNetworksPayload {
            removed_networks: outcome.removed.into_iter().map(DockerNetwork).collect(),
            skipped_networks: outcome
                .skipped
                .into_iter()
                .map(|s| SkippedNetwork {
                    network: DockerNetwork(s.item),
                    reason: s.reason,
                })
                .collect(),
            dry_run: input.dry_run,
        })
    }

    /// Removes volumes no container (running or not) mounts, with their data (admin).
    /// Those labelled for an application Ployer still has stay.
    async fn prune_volumes(
        &self,
        ctx: &Context<'_>,
        input: PruneVolumesInput,
    ) -> async_graphql::Result<PruneVolumesPayload> {
        let state = state(ctx)?;
        let filter = resources::PruneFilter {
            dry_run: input.dry_run,
            label: input.label,
        };
        // Sizes are read before anything goes: a removed volume has none left to report.
        let usage = volume_usage(
            state,
            wants_volume_size(ctx, &[&["removedVolumes"], &["skippedVolumes", "volume"]]),
        )
        .await;
        let outcome = resources::prune_volumes(&state.db, &engine(state)?, filter).await?;
        Ok(PruneVolumesPayload {
            removed_volumes: outcome
                .removed
                .into_iter()
                .map(|v| DockerVolume::new(v, usage.as_ref()))
                .collect(),
            skipped_volumes: outcome
                .skipped
                .into_iter()
                .map(|s| SkippedVolume {
                    volume: DockerVolume::new(s.item, usage.as_ref()),
                    reason: s.reason,
                })
                .collect(),
            dry_run: input.dry_run,
        })
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
    object_type: DockerObjectType,
    /// The engine's word: `create`, `start`, `die`, `stop`, `destroy`, `health_status`,
    /// `connect`, `disconnect`, `mount`, `pull`, `tag`, `untag`, `delete`…
    action: String,
    /// A container's or network's id, a volume's name, an image's id or reference.
    id: ID,
    /// A container's or network's name, an image's reference, when the engine gives one.
    name: Option<String>,
    time: DateTime<Utc>,
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

#[derive(Default)]
pub struct DockerSubscription;

#[Subscription]
impl DockerSubscription {
    /// The application's last `tail` lines (0-5000, default 100), then every new one. It
    /// follows the active deployment's container and, after a redeploy, rollback or
    /// recreation, carries on with the new container. Secret values are redacted.
    async fn application_logs(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        tail: Option<i32>,
    ) -> async_graphql::Result<impl Stream<Item = ContainerLogLineGql>> {
        let state = state(ctx)?.clone();
        let tail = logs::tail("tail", tail)?;
        services::applications::get(&state.db, &application_id).await?;
        let docker = logs::ping(state.docker.client()).await?;
        Ok(logs::follow_application(state, docker, application_id.0, tail).map(ContainerLogLineGql::from))
    }

    /// Containers, networks, volumes and images created, started, stopped, attached,
    /// removed… on the engine, whoever did it, as they happen (admin); only those of `types`
    /// when given. Actions that change no list (a shell's `exec_*`, `top`, `attach`) are
    /// left out. One engine stream is shared by every subscriber; when it breaks, it is
    /// opened again from where it ended.
    async fn docker_events(
        &self,
        ctx: &Context<'_>,
        types: Option<Vec<DockerObjectType>>,
    ) -> async_graphql::Result<impl Stream<Item = DockerEvent>> {
        let state = state(ctx)?;
        if types.as_ref().is_some_and(Vec::is_empty) {
            return Err(AppError::bad_input("types", "must name at least one type, or be left out").into());
        }
        engine(state)?;
        let mut listener = state.events.docker();
        Ok(async_stream::stream! {
            loop {
                match listener.recv().await {
                    Ok(event) => {
                        let event = DockerEvent::from(event.as_ref());
                        if types.as_ref().is_none_or(|t| t.contains(&event.object_type)) {
                            yield event;
                        }
                    }
                    Err(RecvError::Lagged(missed)) => {
                        tracing::debug!(missed, "a Docker events subscriber fell behind");
                    }
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }

    /// Any container's last `tail` lines (0-5000, default 100), then every new one until it
    /// stops (admin).
    async fn container_logs(
        &self,
        ctx: &Context<'_>,
        container_id: ID,
        tail: Option<i32>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ContainerLogLineGql>>> {
        let state = state(ctx)?;
        let tail = logs::tail("tail", tail)?;
        let reference = DockerRef::parse("containerId", &container_id)?;
        let docker = engine(state)?;
        let container = resources::container(&docker, reference.as_str())
            .await?
            .ok_or_else(|| AppError::NotFound(format!("container {} not found", reference.as_str())))?;
        let secrets = logs::secrets_of_container(&state.db, &state.crypto, &container.labels).await?;
        Ok(logs::follow_container(docker, container.id, tail, secrets)
            .map(|line| line.map(ContainerLogLineGql::from).map_err(async_graphql::Error::from)))
    }
}
