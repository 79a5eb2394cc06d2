//! The rules around an admin managing the engine's containers, networks, volumes and images:
//! inputs are validated before anything reaches Docker, "in use" is a `CONFLICT` that names
//! the users, unknown ids are `NOT_FOUND`, a missing engine is `UNAVAILABLE`. Changing a
//! container Ployer runs for an application is allowed, and the answer says what the
//! reconciler will do about it. Pruning only ever removes images no container uses and no
//! kept deployment owns (the active one, those in flight, rollback targets within
//! `keep_images`); pruning networks and volumes never removes one in use, the engine's own,
//! or one labelled for an application Ployer still has. Removing one image by hand follows
//! the same rule: never an image a kept deployment needs, never one a running container
//! uses, one a stopped container uses only with `force`.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use bollard::Docker;
use entities::{applications, deployments};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    docker::{
        self,
        resources::{
            self as engine, ContainerInfo, ImageInfo, ImageRemoval, NetworkInfo, PruneOutcome, VolumeInfo, VolumeUsage,
        },
        LABEL_APP, LABEL_DEPLOYMENT, LABEL_MANAGED,
    },
    error::{AppError, AppResult},
    validate::{
        docker::{label_filter, DockerRef},
        source::ImageRef,
        Slug,
    },
};

/// Grace period of a stop or restart when none is given, and the bound of one.
pub const DEFAULT_STOP_SECONDS: i32 = 10;
pub const MAX_STOP_SECONDS: i32 = 100;

/// What Ployer's deployments still need of the engine's images, asked before an image is
/// shown as kept, pruned or removed. [`crate::deploy::retention::Retention`] answers it:
/// services do not reach into `deploy/`, which builds on them.
pub trait KeptImages {
    /// The ids of the images among `images` that a deployment keeps.
    fn kept_ids(
        &self,
        docker: &Docker,
        images: &[ImageInfo],
    ) -> impl Future<Output = AppResult<HashSet<String>>> + Send;
    /// The names of the applications whose kept deployments need `image`.
    fn keeping(&self, image: &ImageInfo) -> impl Future<Output = AppResult<Vec<String>>> + Send;
}

/// The engine, or `UNAVAILABLE` when Ployer has no client for it.
pub fn engine(engine: &crate::docker::Engine) -> AppResult<Docker> {
    Ok(engine.connect()?)
}

/// What Ployer knows of a container it manages.
#[derive(Debug, Clone, Default)]
pub struct Ownership {
    pub application: Option<applications::Model>,
    pub deployment: Option<deployments::Model>,
    /// The container the application's active deployment runs in (the reconciler keeps it).
    pub active: bool,
}

pub async fn ownership(db: &DatabaseConnection, container: &ContainerInfo) -> AppResult<Ownership> {
    if !container.managed() {
        return Ok(Ownership::default());
    }
    let application = match container.labels.get(LABEL_APP) {
        Some(id) => applications::Entity::find_by_id(id.clone()).one(db).await?,
        None => None,
    };
    let deployment = match container.labels.get(LABEL_DEPLOYMENT) {
        Some(id) => deployments::Entity::find_by_id(id.clone()).one(db).await?,
        None => None,
    };
    let active = match (&application, &deployment) {
        (Some(app), Some(deployment)) => app.active_deployment_id.as_deref() == Some(deployment.id.as_str()),
        _ => false,
    };
    Ok(Ownership {
        application,
        deployment,
        active,
    })
}

pub async fn containers(docker: &Docker, all: bool, managed_only: bool) -> AppResult<Vec<ContainerInfo>> {
    Ok(engine::list_containers(docker, all, managed_only).await?)
}

/// `None` when there is no such container.
pub async fn container(docker: &Docker, id: &str) -> AppResult<Option<ContainerInfo>> {
    let id = DockerRef::parse("id", id)?;
    match engine::get_container(docker, id.as_str()).await {
        Ok(container) => Ok(Some(container)),
        Err(docker::DockerError::NotFound(_)) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

async fn require_container(docker: &Docker, id: &str) -> AppResult<ContainerInfo> {
    container(docker, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("container {id} not found")))
}

/// A container after a change, and what the caller should know about it.
pub struct ContainerChange {
    pub container: ContainerInfo,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerAction {
    Start,
    Stop,
    Restart,
}

pub struct ResourceContext<'a> {
    pub db: &'a DatabaseConnection,
    pub docker: Docker,
    /// Seconds between reconciler passes, for the notices.
    pub reconcile_seconds: u64,
}

/// Starts, stops or restarts a container. `grace_seconds` (stop and restart) is 0-100.
#[tracing::instrument(skip_all, fields(container = %id, action = ?action))]
pub async fn change_container(
    ctx: &ResourceContext<'_>,
    id: &str,
    action: ContainerAction,
    grace_seconds: Option<i32>,
) -> AppResult<ContainerChange> {
    let grace = grace_seconds.unwrap_or(DEFAULT_STOP_SECONDS);
    if !(0..=MAX_STOP_SECONDS).contains(&grace) {
        return Err(AppError::bad_input(
            "timeoutSeconds",
            format!("must be between 0 and {MAX_STOP_SECONDS}"),
        ));
    }
    let before = require_container(&ctx.docker, id).await?;
    match action {
        ContainerAction::Start => engine::start(&ctx.docker, &before.id).await?,
        ContainerAction::Stop => engine::stop(&ctx.docker, &before.id, grace).await?,
        ContainerAction::Restart => engine::restart(&ctx.docker, &before.id, grace).await?,
    }
    let owner = ownership(ctx.db, &before).await?;
    let notice = match (action, &owner.application) {
        (ContainerAction::Stop, Some(app)) if owner.active => Some(format!(
            "`{}` is the active container of application `{}`: Ployer's reconciler will start it again within about {}s. Stop serving the application by deleting it or deploying another version.",
            before.name, app.name, ctx.reconcile_seconds
        )),
        _ => None,
    };
    let container = require_container(&ctx.docker, &before.id).await?;
    Ok(ContainerChange { container, notice })
}

pub struct RemovedContainer {
    pub id: String,
    pub notice: Option<String>,
}

/// Removes a container (a running one only with `force`). The active container of an
/// application may be removed; the reconciler then creates a new one, and the notice says so.
#[tracing::instrument(skip_all, fields(container = %id, force))]
pub async fn remove_container(ctx: &ResourceContext<'_>, id: &str, force: bool) -> AppResult<RemovedContainer> {
    let container = require_container(&ctx.docker, id).await?;
    if container.running() && !force {
        return Err(AppError::Conflict(format!(
            "container `{}` is running: stop it first, or remove it with `force: true`",
            container.name
        )));
    }
    let owner = ownership(ctx.db, &container).await?;
    match engine::remove(&ctx.docker, &container.id, force).await {
        Ok(()) => {}
        Err(docker::DockerError::NotFound(_)) => return Err(AppError::NotFound(format!("container {id} not found"))),
        Err(docker::DockerError::Conflict(message)) => {
            return Err(AppError::Conflict(format!(
                "container `{}` cannot be removed now: {message}",
                container.name
            )))
        }
        Err(err) => return Err(err.into()),
    }
    let notice = match &owner.application {
        Some(app) if owner.active => Some(format!(
            "`{}` was the active container of application `{}`: Ployer's reconciler will create a new one from the same image within about {}s.",
            container.name, app.name, ctx.reconcile_seconds
        )),
        _ => None,
    };
    Ok(RemovedContainer {
        id: container.id,
        notice,
    })
}

pub async fn networks(docker: &Docker) -> AppResult<Vec<NetworkInfo>> {
    Ok(engine::list_networks(docker).await?)
}

/// Creates a bridge network named with the shared name rule, labelled as Ployer's.
#[tracing::instrument(skip_all, fields(network = %name))]
pub async fn create_network(docker: &Docker, name: &str, internal: bool) -> AppResult<NetworkInfo> {
    let name = Slug::parse("name", name)?;
    if engine::network_name_taken(docker, name.as_str()).await? {
        return Err(AppError::ConflictOn(
            "name",
            format!("a network named `{}` already exists", name.as_str()),
        ));
    }
    let labels = HashMap::from([(LABEL_MANAGED.to_string(), "true".to_string())]);
    Ok(engine::create_network(docker, name.as_str(), internal, labels).await?)
}

/// Removes a network by id or name; refused while containers are attached to it and for the
/// engine's predefined networks. Returns the removed network's id.
#[tracing::instrument(skip_all, fields(network = %id))]
pub async fn remove_network(docker: &Docker, id: &str) -> AppResult<String> {
    let reference = DockerRef::parse("id", id)?;
    let network = match engine::get_network(docker, reference.as_str()).await {
        Ok(network) => network,
        Err(docker::DockerError::NotFound(_)) => return Err(AppError::NotFound(format!("network {id} not found"))),
        Err(err) => return Err(err.into()),
    };
    if engine::PREDEFINED_NETWORKS.contains(&network.name.as_str()) {
        return Err(AppError::bad_input(
            "id",
            format!(
                "`{}` is one of the engine's predefined networks and cannot be removed",
                network.name
            ),
        ));
    }
    if !network.containers.is_empty() {
        return Err(in_use("network", &network.name, &network.containers));
    }
    match engine::remove_network(docker, &network.id).await {
        Ok(()) => Ok(network.id),
        Err(docker::DockerError::NotFound(_)) => Err(AppError::NotFound(format!("network {id} not found"))),
        Err(docker::DockerError::Conflict(message)) => Err(AppError::Conflict(format!(
            "network `{}` is in use: {message}",
            network.name
        ))),
        Err(err) => Err(err.into()),
    }
}

pub async fn volumes(docker: &Docker) -> AppResult<Vec<VolumeInfo>> {
    Ok(engine::list_volumes(docker).await?)
}

/// Creates a local volume named with the shared name rule, labelled as Ployer's.
#[tracing::instrument(skip_all, fields(volume = %name))]
pub async fn create_volume(docker: &Docker, name: &str) -> AppResult<VolumeInfo> {
    let name = Slug::parse("name", name)?;
    // The engine answers a create of an existing name with the existing volume.
    match engine::get_volume(docker, name.as_str()).await {
        Ok(_) => {
            return Err(AppError::ConflictOn(
                "name",
                format!("a volume named `{}` already exists", name.as_str()),
            ))
        }
        Err(docker::DockerError::NotFound(_)) => {}
        Err(err) => return Err(err.into()),
    }
    let labels = HashMap::from([(LABEL_MANAGED.to_string(), "true".to_string())]);
    Ok(engine::create_volume(docker, name.as_str(), labels).await?)
}

/// Removes a volume; refused while any container (running or not) mounts it.
#[tracing::instrument(skip_all, fields(volume = %name))]
pub async fn remove_volume(docker: &Docker, name: &str) -> AppResult<String> {
    let reference = DockerRef::parse("name", name)?;
    let volume = match engine::get_volume(docker, reference.as_str()).await {
        Ok(volume) => volume,
        Err(docker::DockerError::NotFound(_)) => return Err(AppError::NotFound(format!("volume {name} not found"))),
        Err(err) => return Err(err.into()),
    };
    if !volume.containers.is_empty() {
        return Err(in_use("volume", &volume.name, &volume.containers));
    }
    match engine::remove_volume(docker, &volume.name).await {
        Ok(()) => Ok(volume.name),
        Err(docker::DockerError::NotFound(_)) => Err(AppError::NotFound(format!("volume {name} not found"))),
        Err(docker::DockerError::Conflict(message)) => Err(AppError::Conflict(format!(
            "volume `{}` is in use: {message}",
            volume.name
        ))),
        Err(err) => Err(err.into()),
    }
}

fn in_use(what: &str, name: &str, users: &[String]) -> AppError {
    let shown: Vec<&str> = users.iter().take(10).map(String::as_str).collect();
    let more = users.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    AppError::Conflict(format!(
        "{what} `{name}` is in use by container(s) {}{more}: remove them or detach them first",
        shown.join(", ")
    ))
}

/// Images with whether each is kept for a deployment.
pub async fn images(docker: &Docker, retention: &impl KeptImages) -> AppResult<Vec<(ImageInfo, bool)>> {
    let images = engine::list_images(docker, None).await?;
    let kept = retention.kept_ids(docker, &images).await?;
    Ok(images
        .into_iter()
        .map(|image| {
            let is_kept = kept.contains(&image.id);
            (image, is_kept)
        })
        .collect())
}

/// Volume name → its size and users as the engine's disk-usage report has them: one call
/// for every volume.
pub async fn volume_usage(engine: &docker::Engine) -> AppResult<HashMap<String, VolumeUsage>> {
    Ok(engine::volume_usage(engine).await?)
}

/// An image's first name (or its short id when it has none), for messages.
fn image_name(image: &ImageInfo) -> String {
    match image.tags.first() {
        Some(tag) => tag.clone(),
        None => image.id.trim_start_matches("sha256:").chars().take(12).collect(),
    }
}

/// Removes one image by id, id prefix or `repo:tag`. Refused (`CONFLICT`, naming them) while
/// containers use it, unless `force` and none of them runs; refused whatever `force` says
/// when a deployment Ployer keeps needs it (the active one, one in flight, a rollback target
/// within `keep_images`).
#[tracing::instrument(skip_all, fields(image = %reference, force))]
pub async fn remove_image(
    docker: &Docker,
    retention: &impl KeptImages,
    reference: &str,
    force: bool,
) -> AppResult<(ImageInfo, ImageRemoval)> {
    let reference = ImageRef::parse_as("id", reference)?;
    let image = match engine::get_image(docker, reference.as_str()).await {
        Ok(image) => image,
        Err(docker::DockerError::NotFound(_)) => {
            return Err(AppError::NotFound(format!("image {} not found", reference.as_str())))
        }
        Err(err) => return Err(err.into()),
    };
    let name = image_name(&image);
    let all = engine::list_images(docker, None).await?;
    if retention.kept_ids(docker, &all).await?.contains(&image.id) {
        let applications = retention.keeping(&image).await?;
        let whose = if applications.is_empty() {
            "a deployment Ployer keeps".to_string()
        } else {
            format!(
                "a deployment of application(s) {}",
                applications
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(AppError::Conflict(format!(
            "image `{name}` is kept for {whose} (its active deployment, one in flight or a rollback target within keep_images): Ployer needs it to run or roll back, so it cannot be removed, not even with force"
        )));
    }
    let users = engine::image_containers(docker, &image.id).await?;
    let running: Vec<String> = users.iter().filter(|u| u.running).map(|u| u.name.clone()).collect();
    if !running.is_empty() {
        return Err(AppError::Conflict(format!(
            "image `{name}` is used by running container(s) {}: stop and remove them first; force does not remove the image of a running container",
            listed(&running)
        )));
    }
    if !users.is_empty() && !force {
        let stopped: Vec<String> = users.into_iter().map(|u| u.name).collect();
        return Err(AppError::Conflict(format!(
            "image `{name}` is used by container(s) {}: remove them first, or remove the image with `force: true` (the containers stay, without their image's name)",
            listed(&stopped)
        )));
    }
    match engine::delete_image(docker, &image, force).await {
        Ok(removal) => Ok((image, removal)),
        Err(docker::DockerError::NotFound(_)) => {
            Err(AppError::NotFound(format!("image {} not found", reference.as_str())))
        }
        Err(docker::DockerError::Conflict(message)) => Err(AppError::Conflict(format!(
            "image `{name}` cannot be removed now: {message}"
        ))),
        Err(err) => Err(err.into()),
    }
}

/// Names for a message: the first ten, and how many more.
fn listed(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Pulls `reference` (`:latest` when it names no tag) through the engine and returns the
/// image with whether a deployment keeps it. A pull the registry refuses or that cannot
/// reach it fails with the engine's reason.
#[tracing::instrument(skip_all, fields(image = %reference))]
pub async fn pull_image(docker: &Docker, retention: &impl KeptImages, reference: &str) -> AppResult<(ImageInfo, bool)> {
    let reference = ImageRef::parse_as("reference", reference)?;
    let wanted = docker::with_tag(reference.as_str());
    match docker::pull_image(docker, &wanted).await {
        Ok(()) => {}
        Err(docker::DockerError::NotFound(message)) => {
            return Err(AppError::NotFound(format!(
                "pulling `{wanted}` failed: the registry has no such image, or not for this engine: {message}"
            )))
        }
        // The registry unreachable or refusing: the engine's reason, word for word.
        Err(docker::DockerError::Other(message)) => return Err(AppError::Unavailable(message)),
        Err(err) => return Err(err.into()),
    }
    let image = engine::get_image(docker, &wanted).await?;
    let all = engine::list_images(docker, None).await?;
    let is_kept = retention.kept_ids(docker, &all).await?.contains(&image.id);
    Ok((image, is_kept))
}

#[derive(Debug, Clone, Default)]
pub struct PruneOptions {
    /// Report what would go without removing anything.
    pub dry_run: bool,
    /// Only images without a tag.
    pub dangling_only: bool,
    /// Only images carrying this label (`key` or `key=value`).
    pub label: Option<String>,
}

/// Removes images no container uses, except those a kept deployment owns.
#[tracing::instrument(skip_all, fields(dry_run = options.dry_run))]
pub async fn prune_images(
    docker: &Docker,
    retention: &impl KeptImages,
    options: PruneOptions,
) -> AppResult<PruneOutcome> {
    let label = options.label.as_deref().map(|l| label_filter("label", l)).transpose()?;
    let all = engine::list_images(docker, None).await?;
    let kept = retention.kept_ids(docker, &all).await?;
    let candidates: Vec<ImageInfo> = match &label {
        Some(label) => engine::list_images(docker, Some(label)).await?,
        None => all,
    }
    .into_iter()
    .filter(|image| !options.dangling_only || image.tags.is_empty())
    .collect();
    Ok(engine::remove_unused_images(docker, candidates, &kept, options.dry_run).await?)
}

/// What to prune of networks or volumes: only those carrying `label` when given; with
/// `dry_run`, only report what would go.
#[derive(Debug, Clone, Default)]
pub struct PruneFilter {
    pub dry_run: bool,
    /// `key` or `key=value`.
    pub label: Option<String>,
}

/// A network or volume a prune left in place, and why.
#[derive(Debug, Clone)]
pub struct Skipped<T> {
    pub item: T,
    pub reason: String,
}

/// What a network or volume prune removed (or, for a dry run, would remove) and left.
#[derive(Debug, Clone)]
pub struct Pruned<T> {
    pub removed: Vec<T>,
    pub skipped: Vec<Skipped<T>>,
}

impl<T> Default for Pruned<T> {
    fn default() -> Self {
        Self {
            removed: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

/// The application named by `labels` (`ployer.app`) when Ployer still has it: what it made
/// for an application stays as long as the application does, used or not.
fn owning_application<'a>(
    labels: &std::collections::BTreeMap<String, String>,
    applications: &'a HashMap<String, String>,
) -> Option<&'a str> {
    labels
        .get(LABEL_APP)
        .and_then(|id| applications.get(id))
        .map(String::as_str)
}

/// Application id → name, for every application Ployer has.
async fn application_names(db: &DatabaseConnection) -> AppResult<HashMap<String, String>> {
    Ok(applications::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

fn kept_for(application: &str) -> String {
    format!("kept for application `{application}`, which Ployer still has")
}

/// Removes networks no container is attached to, except the engine's own (`bridge`, `host`,
/// `none`), networks of a wider scope than this engine (swarm), and those labelled for an
/// application Ployer still has. Never forced: a network that gained a container meanwhile
/// is left, with the engine's words.
#[tracing::instrument(skip_all, fields(dry_run = filter.dry_run))]
pub async fn prune_networks(
    db: &DatabaseConnection,
    docker: &Docker,
    filter: PruneFilter,
) -> AppResult<Pruned<NetworkInfo>> {
    let label = filter.label.as_deref().map(|l| label_filter("label", l)).transpose()?;
    let networks = engine::list_networks_labelled(docker, label.as_deref()).await?;
    let applications = application_names(db).await?;
    let mut outcome = Pruned::default();
    for network in networks {
        if engine::PREDEFINED_NETWORKS.contains(&network.name.as_str())
            || network.scope != "local"
            || !network.containers.is_empty()
        {
            continue;
        }
        if let Some(application) = owning_application(&network.labels, &applications) {
            let reason = kept_for(application);
            outcome.skipped.push(Skipped { item: network, reason });
            continue;
        }
        if filter.dry_run {
            outcome.removed.push(network);
            continue;
        }
        match engine::remove_network(docker, &network.id).await {
            Ok(()) | Err(docker::DockerError::NotFound(_)) => outcome.removed.push(network),
            Err(err @ docker::DockerError::Unavailable(_)) => return Err(err.into()),
            Err(err) => outcome.skipped.push(Skipped {
                item: network,
                reason: err.to_string(),
            }),
        }
    }
    Ok(outcome)
}

/// Removes volumes no container (running or not) mounts, with their data, except those
/// labelled for an application Ployer still has. Never forced: a volume that gained a
/// container meanwhile is left, with the engine's words.
#[tracing::instrument(skip_all, fields(dry_run = filter.dry_run))]
pub async fn prune_volumes(
    db: &DatabaseConnection,
    docker: &Docker,
    filter: PruneFilter,
) -> AppResult<Pruned<VolumeInfo>> {
    let label = filter.label.as_deref().map(|l| label_filter("label", l)).transpose()?;
    let volumes = engine::list_volumes_labelled(docker, label.as_deref()).await?;
    let applications = application_names(db).await?;
    let mut outcome = Pruned::default();
    for volume in volumes {
        if !volume.containers.is_empty() {
            continue;
        }
        if let Some(application) = owning_application(&volume.labels, &applications) {
            let reason = kept_for(application);
            outcome.skipped.push(Skipped { item: volume, reason });
            continue;
        }
        if filter.dry_run {
            outcome.removed.push(volume);
            continue;
        }
        match engine::remove_volume(docker, &volume.name).await {
            Ok(()) | Err(docker::DockerError::NotFound(_)) => outcome.removed.push(volume),
            Err(err @ docker::DockerError::Unavailable(_)) => return Err(err.into()),
            Err(err) => outcome.skipped.push(Skipped {
                item: volume,
                reason: err.to_string(),
            }),
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_an_existing_application_owns_is_kept() {
        let applications = HashMap::from([("app-1".to_string(), "shop".to_string())]);
        let labelled = |app: &str| std::collections::BTreeMap::from([(LABEL_APP.to_string(), app.to_string())]);
        assert_eq!(owning_application(&labelled("app-1"), &applications), Some("shop"));
        assert_eq!(
            owning_application(&labelled("gone"), &applications),
            None,
            "a deleted application's"
        );
        assert_eq!(
            owning_application(&Default::default(), &applications),
            None,
            "unlabelled"
        );
    }

    #[test]
    fn in_use_names_the_users() {
        let message = in_use("network", "n1", &["a".into(), "b".into()]).message();
        assert!(message.contains("`n1` is in use by container(s) a, b"), "{message}");
    }
}
