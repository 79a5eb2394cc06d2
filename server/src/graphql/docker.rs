//! The Docker engine over GraphQL (admin): containers, networks, volumes and images, the
//! changes an admin may make to them, the engine's events as they happen, and live container
//! logs; and an application's live log lines (`applicationLogs`), which any reader of the
//! application sees with its secrets redacted. The object types are in `types::docker`.

use crate::ids::AppId;
use async_graphql::{Context, InputObject, Object, SimpleObject, Subscription, ID};
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::state;
use super::types::docker::{
    volume_usage, wants_volume_size, ContainerLogLineGql, DockerContainer, DockerEvent, DockerImage, DockerNetwork,
    DockerObjectType, DockerVolume,
};
use crate::{
    deploy::retention::Retention,
    error::AppError,
    services::{
        self,
        container_logs::{self as logs},
        docker_resources::{self as resources, ContainerAction, ResourceContext},
    },
    state::AppState,
    validate::docker::DockerRef,
};

/// Which images Ployer's deployments keep, as the Docker services ask it.
fn retention(state: &AppState) -> Retention<'_> {
    Retention {
        db: &state.db,
        keep: state.config.keep_images,
    }
}

fn engine(state: &AppState) -> Result<bollard::Docker, AppError> {
    resources::engine(&state.docker)
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

#[derive(Default)]
pub struct DockerSubscription;

#[Subscription]
impl DockerSubscription {
    /// The application's last `tail` lines (0-5000, default 100), then every new one. It
    /// follows the active deployment's container and, after a redeploy, rollback or
    /// recreation, carries on with the new container. Secret values are redacted. `service`:
    /// one of a COMPOSE application's services instead of the one receiving its domains.
    async fn application_logs(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        service: Option<String>,
        tail: Option<i32>,
    ) -> async_graphql::Result<impl Stream<Item = ContainerLogLineGql>> {
        let state = state(ctx)?.clone();
        let tail = logs::tail("tail", tail)?;
        services::applications::get(&state.db, &AppId::from(&application_id)).await?;
        if service.is_some() {
            logs::service_container(&state, &AppId::from(&application_id), service.as_deref()).await?;
        } else if logs::active_service(&state.db, &AppId::from(&application_id))
            .await?
            .is_some()
        {
            // On a cluster: every task's lines, read through the manager.
            return Ok(logs::follow_cluster(state, application_id.0, tail)
                .map(ContainerLogLineGql::from)
                .boxed());
        }
        let docker = logs::ping(&state, &AppId::from(&application_id)).await?;
        Ok(logs::follow_application(state, docker, application_id.0, service, tail)
            .map(ContainerLogLineGql::from)
            .boxed())
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
        let reference = DockerRef::parse("containerId", &container_id).map_err(AppError::from)?;
        let docker = engine(state)?;
        let container = resources::container(&docker, reference.as_str())
            .await?
            .ok_or_else(|| AppError::NotFound(format!("container {} not found", reference.as_str())))?;
        let secrets = logs::secrets_of_container(&state.db, &state.crypto, &container.labels).await?;
        Ok(logs::follow_container(docker, container.id, tail, secrets)
            .map(|line| line.map(ContainerLogLineGql::from).map_err(async_graphql::Error::from)))
    }
}
