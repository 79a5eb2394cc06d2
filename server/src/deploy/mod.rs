//! What happens when someone presses deploy.
//!
//! ```text
//! deployApplication / webhook / rollback
//!   └─▶ Deployer::enqueue ── a `queued` row (a still-queued one of the app is superseded)
//!         └─▶ worker (run_worker): one pipeline per application, builds within their slots
//!               └─▶ pipeline::run ── steps/ in order, each moving the row (status.rs):
//!                     source   clone + build │ pull │ the rollback target's image
//!                     start    a container beside the version serving
//!                     health_gate   probes until healthy (or fails)
//!                     cutover  routing.rs: Caddy to the new container + the row active,
//!                              under the routing lock, undone on failure; the old one drains
//!               └─▶ running │ failed │ cancelled   (a failure removes what it made)
//!         retention.rs: which images stay (rollback targets), swept after each drain
//! ```
//!
//! `status` is the lifecycle and its only writer; `logs` the stored and live log lines;
//! `health` the probes the gate and the health monitor share. The reconciler
//! ([`crate::workers::reconcile`]) repairs what drifted, through `routing` and `retention`.

pub mod cluster;
pub mod compose;
pub mod health;
pub mod holds;
pub mod logs;
mod pipeline;
pub mod retention;
pub mod routing;
pub mod sites;
pub mod status;
pub mod steps;

pub use status::Status;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use entities::{applications, deployments};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use tokio::sync::{Notify, Semaphore};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::ids::{AppId, DeploymentId};
use crate::{
    config::Config,
    crypto::Crypto,
    error::{AppError, AppResult},
    events::Events,
    proxy::Caddy,
    services::applications as apps,
};

pub use entities::deployments::Trigger;

#[derive(Clone)]
pub struct Deployer {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub db: DatabaseConnection,
    pub docker: crate::docker::Engine,
    pub routing: routing::Routing,
    /// Where each application runs (this machine or a remote server), and the way there.
    pub places: Arc<crate::places::Places>,
    pub crypto: Crypto,
    pub config: Arc<Config>,
    pub logs: logs::LogHub,
    pub probe_client: reqwest::Client,
    /// Applications whose active container a `stop-first` cutover stopped.
    pub holds: holds::Holds,
    wake: Notify,
    builds: Semaphore,
    /// Applications with a pipeline running, and how to cancel it.
    running: Mutex<HashMap<String, (String, CancellationToken)>>,
    events: Events,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Held by a reconciler pass, and by an application's removal so that no pass starts
    /// again what is being removed.
    pub(crate) reconciling: tokio::sync::Mutex<()>,
}

pub struct NewDeployment<'a> {
    pub app_id: &'a AppId,
    pub trigger: Trigger,
    pub commit_sha: Option<String>,
    pub rollback_of: Option<DeploymentId>,
    pub user_id: Option<String>,
}

impl Deployer {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: DatabaseConnection,
        docker: crate::docker::Engine,
        proxy: Caddy,
        crypto: Crypto,
        config: Arc<Config>,
        events: Events,
        metrics: Arc<crate::metrics::Metrics>,
        remotes: crate::remote::Pool,
    ) -> Self {
        let places = Arc::new(crate::places::Places::new(
            db.clone(),
            crypto.clone(),
            remotes,
            docker.clone(),
            config.clone(),
        ));
        Self {
            inner: Arc::new(Inner {
                builds: Semaphore::new(config.max_concurrent_builds.max(1)),
                db,
                docker,
                routing: routing::Routing::new(proxy, sites::Sites::new(config.sites_root()), places.clone()),
                places,
                crypto,
                config,
                logs: logs::LogHub::default(),
                probe_client: health::client(),
                holds: holds::Holds::default(),
                wake: Notify::new(),
                running: Mutex::new(HashMap::new()),
                events,
                metrics,
                reconciling: tokio::sync::Mutex::new(()),
            }),
        }
    }

    pub fn logs(&self) -> &logs::LogHub {
        &self.inner.logs
    }

    /// Applications whose active container is stopped on purpose, for the workers to leave alone.
    pub fn holds(&self) -> holds::Holds {
        self.inner.holds.clone()
    }

    pub fn proxy(&self) -> &Caddy {
        self.inner.routing.proxy()
    }

    /// Queues a deployment. A still-queued one of the same application is superseded.
    pub async fn enqueue(&self, new: NewDeployment<'_>) -> AppResult<deployments::Model> {
        if let Some(sha) = &new.commit_sha {
            // A shallow fetch asks the remote for an exact object: an abbreviated id cannot be
            // fetched, so it is refused here rather than failing at CLONING.
            let ok = sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                return Err(AppError::bad_input(
                    "commitSha",
                    "must be a full commit id: 40 hex characters (`git rev-parse <commit>` prints it)",
                ));
            }
        }
        let txn = crate::db::begin_write(&self.inner.db).await?;
        let app = apps::find(&txn, new.app_id).await?;
        let queued = deployments::Entity::find()
            .filter(deployments::Column::ApplicationId.eq(app.id.clone()))
            .filter(deployments::Column::Status.eq(Status::Queued))
            .all(&txn)
            .await?;
        for old in &queued {
            status::write(&txn, &old.id, Status::Superseded, |d| {
                d.failure_reason = Set(Some("superseded by a newer deployment before it started".into()))
            })
            .await?;
        }
        let now = Utc::now();
        let row = deployments::ActiveModel {
            id: Set(Uuid::new_v4().to_string()),
            application_id: Set(app.id.clone()),
            status: Set(Status::Queued),
            trigger: Set(new.trigger),
            commit_sha: Set(new.commit_sha.as_ref().map(|s| s.to_lowercase())),
            commit_message: Set(None),
            commit_author: Set(None),
            image_tag: Set(None),
            container_id: Set(None),
            container_name: Set(None),
            host_port: Set(None),
            failure_reason: Set(None),
            rollback_of_id: Set(new.rollback_of.map(String::from)),
            compose_file: Set(None),
            compose_images: Set(None),
            triggered_by_user_id: Set(new.user_id.clone()),
            server_id: Set(None),
            cluster_id: Set(None),
            service_id: Set(None),
            upstreams: Set(None),
            created_at: Set(now),
            started_at: Set(None),
            finished_at: Set(None),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        for old in queued {
            self.inner.logs.close(&DeploymentId::from(&old.id));
            self.publish(&old.application_id, &old.id);
        }
        self.publish(&row.application_id, &row.id);
        self.inner.wake.notify_one();
        Ok(row)
    }

    /// Starts an earlier successful deployment's image again, through the same health gate
    /// and cutover, without a build.
    pub async fn rollback(
        &self,
        deployment_id: &DeploymentId,
        user_id: Option<String>,
    ) -> AppResult<deployments::Model> {
        let target = get(&self.inner.db, deployment_id).await?;
        let status = target.status;
        let app = apps::find(&self.inner.db, &AppId::from(&target.application_id)).await?;
        if app.build_strategy == crate::services::applications::BuildStrategy::Static {
            let ran = matches!(status, Status::Running | Status::Superseded);
            if !ran || !self.inner.routing.sites().deployment(&app.id, &target.id).is_dir() {
                return Err(AppError::bad_input(
                    "deploymentId",
                    "only a deployment whose files are still kept can be rolled back to",
                ));
            }
            return self
                .enqueue(NewDeployment {
                    app_id: &AppId::from(&target.application_id),
                    trigger: Trigger::Rollback,
                    commit_sha: target.commit_sha.clone(),
                    rollback_of: Some(DeploymentId::from(&target.id)),
                    user_id,
                })
                .await;
        }
        let image = target
            .image_tag
            .clone()
            .filter(|_| matches!(status, Status::Running | Status::Superseded));
        let Some(image) = image else {
            return Err(AppError::bad_input(
                "deploymentId",
                "only a deployment that ran successfully can be rolled back to",
            ));
        };
        // The image must be where the application runs now.
        let app = apps::find(&self.inner.db, &AppId::from(&target.application_id)).await?;
        let docker = self
            .engine_of(&app)
            .await?
            .ok_or_else(|| AppError::Unavailable("the Docker engine is not reachable".into()))?;
        let exists = crate::docker::image_exists(&docker, &image).await?;
        if !exists {
            let moved = target.server_id.as_deref() != Some(app.server_id.as_str())
                && self.inner.places.is_remote(&app.server_id).await;
            return Err(AppError::bad_input(
                "deploymentId",
                if moved {
                    "the image of that deployment is on the server it ran on, not the one the application runs on now: deploy again instead"
                } else {
                    "the image of that deployment is no longer kept"
                },
            ));
        }
        self.enqueue(NewDeployment {
            app_id: &AppId::from(&target.application_id),
            trigger: Trigger::Rollback,
            commit_sha: target.commit_sha.clone(),
            rollback_of: Some(DeploymentId::from(&target.id)),
            user_id,
        })
        .await
    }

    /// Cancels a queued deployment at once, or stops a running pipeline at its current step
    /// (what it made is removed).
    pub async fn cancel(&self, deployment_id: &DeploymentId) -> AppResult<deployments::Model> {
        let row = get(&self.inner.db, deployment_id).await?;
        match row.status {
            Status::Queued => {
                let row = self
                    .transition(&row.id, Status::Cancelled, |d| {
                        d.failure_reason = Set(Some("cancelled before it started".into()))
                    })
                    .await?;
                self.inner.logs.close(deployment_id);
                Ok(row)
            }
            status if status.in_flight() => {
                let token = {
                    let running = self.inner.running.lock().unwrap_or_else(|p| p.into_inner());
                    running
                        .get(&row.application_id)
                        .filter(|(id, _)| id == &row.id)
                        .map(|(_, t)| t.clone())
                };
                if let Some(token) = token {
                    token.cancel();
                }
                // The pipeline writes `cancelled` once it has cleaned up.
                for _ in 0..600 {
                    let now = get(&self.inner.db, deployment_id).await?;
                    if !now.status.in_flight() {
                        return Ok(now);
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                get(&self.inner.db, deployment_id).await
            }
            _ => Err(AppError::bad_input(
                "deploymentId",
                "the deployment has already finished",
            )),
        }
    }

    /// Takes queued deployments whose application is idle, for ever.
    pub async fn run_worker(self) {
        loop {
            if let Err(err) = self.schedule().await {
                tracing::error!(error = ?err, "deployment scheduler");
            }
            let _ = tokio::time::timeout(Duration::from_secs(2), self.inner.wake.notified()).await;
        }
    }

    async fn schedule(&self) -> AppResult<()> {
        let queued = deployments::Entity::find()
            .filter(deployments::Column::Status.eq(Status::Queued))
            .order_by_asc(deployments::Column::CreatedAt)
            .all(&self.inner.db)
            .await?;
        for row in queued {
            let token = CancellationToken::new();
            {
                let mut running = self.inner.running.lock().unwrap_or_else(|p| p.into_inner());
                if running.contains_key(&row.application_id) {
                    continue;
                }
                running.insert(row.application_id.clone(), (row.id.clone(), token.clone()));
            }
            let this = self.clone();
            tokio::spawn(async move {
                let app_id = row.application_id.clone();
                let pipeline = {
                    let this = this.clone();
                    let row = row.clone();
                    async move { pipeline::run(&this, row, token).await }
                };
                this.supervise(&row, pipeline).await;
                this.inner
                    .running
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&app_id);
                this.inner.wake.notify_one();
                // A build's output, its log batches and its buffers are freed by now.
                crate::memory::release_free_heap_in_background().await;
            });
        }
        Ok(())
    }

    /// Runs a deployment's `pipeline` as a task of its own, so that a panic in it fails the
    /// deployment instead of leaving it (and its application's queue) in flight for ever.
    async fn supervise(
        &self,
        row: &deployments::Model,
        pipeline: impl std::future::Future<Output = ()> + Send + 'static,
    ) {
        if let Err(err) = tokio::spawn(pipeline).await {
            tracing::error!(error = %err, deployment_id = %row.id, "the deployment pipeline stopped unexpectedly");
            pipeline::fail_unexpectedly(self, row).await;
        }
    }

    /// Moves a deployment to `to` (see [`status::write`]) and tells the subscribers.
    pub(crate) async fn transition(
        &self,
        id: &str,
        to: Status,
        record: impl FnOnce(&mut deployments::ActiveModel),
    ) -> AppResult<deployments::Model> {
        let row = status::write(&self.inner.db, id, to, record).await?;
        if matches!(to, Status::Running | Status::Failed | Status::Cancelled) {
            self.inner.metrics.deployment_finished(to.as_str());
        }
        self.publish(&row.application_id, &row.id);
        Ok(row)
    }

    pub(crate) fn publish(&self, app_id: &str, deployment_id: &str) {
        self.inner.events.deployment_changed(app_id, deployment_id);
    }

    /// Removes an application: its containers, images and route first (if Docker cannot be
    /// reached, nothing is deleted and the caller can try again), its volumes when
    /// `remove_volumes` (otherwise they stay, listed as orphaned), then its rows with `delete`.
    /// The reconciler waits meanwhile: it would start the active container again.
    pub async fn remove_application(
        &self,
        app: &applications::Model,
        remove_volumes: bool,
        delete: impl std::future::Future<Output = AppResult<()>>,
    ) -> AppResult<()> {
        let _reconciler_waits = self.inner.reconciling.lock().await;
        self.teardown(app).await?;
        if remove_volumes {
            self.remove_volumes(app).await?;
        }
        delete.await
    }

    /// The engine of the server the application runs on; `None` while this machine's engine
    /// is missing. A remote server that cannot be reached is an error (`UNAVAILABLE`, why).
    async fn engine_of(&self, app: &applications::Model) -> AppResult<Option<bollard::Docker>> {
        match self.inner.places.of_app(app).await {
            Ok(place) => Ok(Some(place.engine().clone())),
            Err(reason) if self.inner.places.is_remote(&app.server_id).await => Err(AppError::Unavailable(reason)),
            Err(_) => Ok(None),
        }
    }

    /// Removes the volumes Ployer made for the application (its containers are gone by now).
    async fn remove_volumes(&self, app: &applications::Model) -> AppResult<()> {
        let Some(docker) = &self.engine_of(app).await? else {
            return Err(AppError::Unavailable("the Docker engine is not reachable".into()));
        };
        let label = format!("{}={}", crate::docker::LABEL_APP, app.id);
        let volumes = crate::docker::resources::list_volumes_labelled(docker, Some(&label))
            .await
            .map_err(AppError::from)?;
        for volume in volumes
            .iter()
            .filter(|v| v.labels.get(crate::docker::LABEL_MANAGED).is_some_and(|m| m == "true"))
        {
            crate::docker::resources::remove_volume(docker, &volume.name)
                .await
                .map_err(AppError::from)?;
            tracing::info!(volume = %volume.name, app_id = %app.id, "removed an application's volume");
        }
        Ok(())
    }

    /// Removes an application's containers, images and route.
    async fn teardown(&self, app: &applications::Model) -> AppResult<()> {
        if let Some((_, token)) = self
            .inner
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&app.id)
        {
            token.cancel();
        }
        self.inner.routing.remove(&self.inner.db, &AppId::from(&app.id)).await;
        if let Err(err) = self.inner.routing.sites().remove_app(&app.id) {
            tracing::warn!(error = %err, app_id = %app.id, "could not remove a static site's files");
        }
        // Its services and images on the clusters it ran on (it may have moved off one).
        cluster::remove_app(&self.inner, app).await;
        let Some(docker) = &self.engine_of(app).await? else {
            return Ok(());
        };
        for container in crate::docker::managed_containers(docker, Some(&app.id))
            .await
            .map_err(AppError::from)?
        {
            crate::docker::stop_and_remove(docker, &container.id, 5)
                .await
                .map_err(AppError::from)?;
        }
        compose::remove_network(docker, &app.id).await;
        for image in crate::docker::managed_images(docker, Some(&app.id))
            .await
            .map_err(AppError::from)?
        {
            // By tag: an id with several tags cannot be removed without force.
            let references = if image.tags.is_empty() {
                vec![image.id.clone()]
            } else {
                image.tags.clone()
            };
            for reference in references {
                crate::docker::remove_image(docker, &reference)
                    .await
                    .map_err(AppError::from)?;
            }
        }
        Ok(())
    }

    /// The deployments whose pipeline runs now.
    pub(crate) fn in_flight(&self) -> Vec<String> {
        let running = self.inner.running.lock().unwrap_or_else(|p| p.into_inner());
        running.values().map(|(id, _)| id.clone()).collect()
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

pub async fn get(db: &DatabaseConnection, id: &DeploymentId) -> AppResult<deployments::Model> {
    deployments::Entity::find_by_id(id.as_str())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("deployment"))
}

/// A page of an application's deployments, newest first, after the deployment `after`.
pub async fn list(
    db: &DatabaseConnection,
    app_id: &AppId,
    after: Option<&DeploymentId>,
    limit: u64,
) -> AppResult<(Vec<deployments::Model>, bool)> {
    use sea_orm::{Condition, QuerySelect};
    let mut query = deployments::Entity::find()
        .filter(deployments::Column::ApplicationId.eq(app_id.as_str()))
        .order_by_desc(deployments::Column::CreatedAt)
        .order_by_desc(deployments::Column::Id);
    if let Some(after) = after {
        let cursor = get(db, after)
            .await
            .map_err(|_| AppError::bad_input("after", "is not a cursor this API returned"))?;
        query = query.filter(
            Condition::any()
                .add(deployments::Column::CreatedAt.lt(cursor.created_at))
                .add(
                    Condition::all()
                        .add(deployments::Column::CreatedAt.eq(cursor.created_at))
                        .add(deployments::Column::Id.lt(cursor.id)),
                ),
        );
    }
    let mut rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows, more))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    async fn deployer(db: DatabaseConnection, dir: &std::path::Path) -> Deployer {
        let files = crate::proxy::UpstreamFiles::open(&dir.join("upstreams")).unwrap();
        Deployer::new(
            db,
            crate::docker::Engine::new("/nonexistent/docker.sock"),
            Caddy::new("http://127.0.0.1:1", "127.0.0.1:1".parse().unwrap(), files),
            Crypto::new(&[1u8; 32]),
            Arc::new(Config::default()),
            Events::new(crate::docker::Engine::new("/nonexistent/docker.sock")),
            Arc::new(crate::metrics::Metrics::new(None)),
            crate::remote::Pool::default(),
        )
    }

    #[tokio::test]
    async fn a_panicking_pipeline_fails_its_deployment_and_ends_its_log() {
        use futures::StreamExt;

        let (dir, db) = test_support::test_db().await;
        test_support::app_row(&db, "a", None).await;
        test_support::deployment_row(&db, "d", "a", Status::Building, None, 0, None).await;
        let deployer = deployer(db.clone(), dir.path()).await;
        let row = get(&db, &"d".into()).await.unwrap();
        let follower = deployer.logs().follow(db.clone(), "d".into(), 0, async { false });

        deployer.supervise(&row, async { panic!("a bug in a step") }).await;

        let failed = get(&db, &"d".into()).await.unwrap();
        assert_eq!(failed.status, Status::Failed);
        let reason = failed.failure_reason.unwrap_or_default();
        assert!(reason.contains("internal error"), "{reason}");
        assert!(failed.finished_at.is_some());
        let app = crate::services::applications::find(&db, &AppId::from("a"))
            .await
            .unwrap();
        assert_eq!(app.status, apps::AppStatus::Failed, "no version was running");
        let lines = tokio::time::timeout(Duration::from_secs(5), follower.collect::<Vec<_>>())
            .await
            .expect("the live log ends");
        assert!(lines.is_empty());
    }

    #[tokio::test]
    async fn a_pipeline_that_panics_after_its_cutover_is_recorded_as_running() {
        let (dir, db) = test_support::test_db().await;
        test_support::app_row(&db, "a", Some("d")).await;
        test_support::deployment_row(&db, "d", "a", Status::HealthChecking, None, 0, None).await;
        let deployer = deployer(db.clone(), dir.path()).await;
        let row = get(&db, &"d".into()).await.unwrap();

        deployer
            .supervise(&row, async { panic!("a bug after the switch") })
            .await;

        let now = get(&db, &"d".into()).await.unwrap();
        assert_eq!(now.status, Status::Running, "it is the version serving");
        assert_eq!(now.failure_reason, None);
    }

    #[tokio::test]
    async fn a_restart_fails_deployments_in_flight_but_keeps_one_already_switched_to() {
        let (dir, db) = test_support::test_db().await;
        test_support::app_row(&db, "a", Some("switched")).await;
        test_support::deployment_row(&db, "switched", "a", Status::HealthChecking, None, 0, None).await;
        test_support::app_row(&db, "b", None).await;
        test_support::deployment_row(&db, "building", "b", Status::Building, None, 0, None).await;
        let deployer = deployer(db.clone(), dir.path()).await;

        crate::workers::reconcile::recover_interrupted(&deployer).await.unwrap();

        let switched = get(&db, &"switched".into()).await.unwrap();
        assert_eq!(switched.status, Status::Running, "the active one serves");
        let building = get(&db, &"building".into()).await.unwrap();
        assert_eq!(building.status, Status::Failed);
        assert_eq!(building.failure_reason.as_deref(), Some("interrupted by restart"));
    }

    #[tokio::test]
    async fn a_pipeline_that_ends_normally_is_left_as_it_recorded_itself() {
        let (dir, db) = test_support::test_db().await;
        test_support::app_row(&db, "a", None).await;
        test_support::deployment_row(&db, "d", "a", Status::Cancelled, None, 0, None).await;
        let deployer = deployer(db.clone(), dir.path()).await;
        let row = get(&db, &"d".into()).await.unwrap();

        deployer.supervise(&row, async {}).await;

        assert_eq!(get(&db, &"d".into()).await.unwrap().status, Status::Cancelled);
    }
}
