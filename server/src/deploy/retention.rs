//! Which images Ployer keeps, and the sweep of the rest. An application's images stay while a
//! deployment may need them: the active one, those queued or in flight, the newest
//! `keep_images` that ran (rollback targets) and the targets of queued rollbacks. The sweep
//! runs after every cutover's drain and on every reconciler pass; an admin's prune asks the
//! same question ([`kept_image_ids`]).

use std::collections::{HashMap, HashSet};

use bollard::Docker;
use entities::{applications, deployments};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::Status;
use crate::ids::AppId;
use crate::{
    docker::{
        image_deployments,
        resources::{self as engine, ImageInfo, PruneOutcome},
        LABEL_APP, LABEL_MANAGED,
    },
    error::AppResult,
};

/// The retention rule, as the Docker admin services ask it: the images of the deployments
/// [`kept`] names, with `keep` rollback targets per application.
pub struct Retention<'a> {
    pub db: &'a DatabaseConnection,
    pub keep: usize,
}

impl crate::services::docker_resources::KeptImages for Retention<'_> {
    async fn kept_ids(&self, docker: &Docker, images: &[ImageInfo]) -> AppResult<HashSet<String>> {
        kept_image_ids(self.db, docker, self.keep, images).await
    }

    async fn keeping(&self, image: &ImageInfo) -> AppResult<Vec<String>> {
        keeping_applications(self.db, self.keep, image).await
    }
}

/// Removes the managed images of `app_ids` that no kept deployment owns; a failure is logged,
/// and the next pass tries again.
pub async fn sweep(db: &DatabaseConnection, docker: &Docker, keep: usize, app_ids: &[AppId]) {
    match remove_unowned_images(db, docker, keep, app_ids).await {
        Ok(outcome) => {
            for image in &outcome.removed {
                tracing::info!(image = %image.tags.first().unwrap_or(&image.id), "removed a managed image no deployment owns");
            }
        }
        Err(err) => tracing::warn!(error = ?err, "could not remove unowned images; the reconciler tries again"),
    }
}

/// Removes the images Ployer built for `apps` (labelled `ployer.managed`, tagged for a
/// deployment) that no kept deployment owns and no container uses: those of a deployment a
/// restart interrupted after its build, or of one that dropped out of `keep`. Images of other
/// applications (another Ployer on the same engine) and images Ployer pulled are not touched.
async fn remove_unowned_images(
    db: &DatabaseConnection,
    docker: &Docker,
    keep: usize,
    apps: &[AppId],
) -> AppResult<PruneOutcome> {
    let all = engine::list_images(docker, None).await?;
    let kept = kept_image_ids(db, docker, keep, &all).await?;
    // An image that names no deployment (no `ployer/<app>:<deployment>` tag yet) is a build
    // between its last step and its tag: never a candidate.
    let candidates = all
        .into_iter()
        .filter(|image| {
            image.labels.get(LABEL_MANAGED).is_some_and(|v| v == "true")
                && image
                    .labels
                    .get(LABEL_APP)
                    .is_some_and(|app| apps.iter().any(|id| id == app))
                && !image_deployments(&image.labels, &image.tags).is_empty()
        })
        .collect();
    Ok(engine::remove_unused_images(docker, candidates, &kept, false).await?)
}

/// What deployments still need: image references, and deployment ids whose images stay (a
/// build's image carries its deployment's tag a moment before the row names it).
#[derive(Debug, Default)]
pub struct Kept {
    pub references: HashSet<String>,
    pub deployment_ids: HashSet<String>,
}

/// The images of the active deployment of every application, of deployments queued or in
/// flight, of the newest `keep` that ran of every application (rollback targets, as the
/// pipeline keeps them) and of the targets of queued rollbacks.
pub async fn kept(db: &DatabaseConnection, keep: usize) -> AppResult<Kept> {
    let active: HashSet<String> = applications::Entity::find()
        .filter(applications::Column::ActiveDeploymentId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| a.active_deployment_id)
        .collect();
    let rows = deployments::Entity::find()
        .filter(
            deployments::Column::Status.is_in(
                Status::ALL
                    .iter()
                    .copied()
                    .filter(|s| !matches!(s, Status::Failed | Status::Cancelled)),
            ),
        )
        .order_by_desc(deployments::Column::CreatedAt)
        .all(db)
        .await?;
    let mut ran_per_app: HashMap<&str, usize> = HashMap::new();
    let mut kept = Kept::default();
    let mut rollback_targets = Vec::new();
    for row in &rows {
        let status = row.status;
        let ran = matches!(status, Status::Running | Status::Superseded);
        let within_keep = ran && {
            let seen = ran_per_app.entry(row.application_id.as_str()).or_default();
            *seen += 1;
            *seen <= keep.max(1)
        };
        let pending = status == Status::Queued || status.in_flight();
        if pending {
            if let Some(target) = &row.rollback_of_id {
                rollback_targets.push(target.as_str());
            }
        }
        if within_keep || pending || active.contains(&row.id) {
            kept.deployment_ids.insert(row.id.clone());
            if let Some(tag) = &row.image_tag {
                kept.references.insert(tag.clone());
            }
        }
    }
    for target in rollback_targets {
        if let Some(row) = rows.iter().find(|r| r.id == target) {
            kept.deployment_ids.insert(row.id.clone());
            if let Some(tag) = &row.image_tag {
                kept.references.insert(tag.clone());
            }
        }
    }
    Ok(kept)
}

/// The ids of the images [`kept`] names: by the deployment they were built for, by tag, or, for a
/// reference written differently (a digest, a registry prefix), by asking the engine.
pub(crate) async fn kept_image_ids(
    db: &DatabaseConnection,
    docker: &Docker,
    keep: usize,
    images: &[ImageInfo],
) -> AppResult<HashSet<String>> {
    let kept = kept(db, keep).await?;
    let mut ids: HashSet<String> = images
        .iter()
        .filter(|i| {
            image_deployments(&i.labels, &i.tags)
                .iter()
                .any(|d| kept.deployment_ids.contains(d))
        })
        .map(|i| i.id.clone())
        .collect();
    for reference in &kept.references {
        let wanted = crate::docker::with_tag(reference);
        match images.iter().find(|i| &i.id == reference || i.tags.contains(&wanted)) {
            Some(image) => {
                ids.insert(image.id.clone());
            }
            None => {
                if let Ok(Some(id)) = engine::image_id(docker, reference).await {
                    ids.insert(id);
                }
            }
        }
    }
    Ok(ids)
}

/// The names of the applications whose kept deployments name `image`: by the deployment its
/// tags or label name, or by the reference a deployment runs.
pub async fn keeping_applications(db: &DatabaseConnection, keep: usize, image: &ImageInfo) -> AppResult<Vec<String>> {
    let kept = kept(db, keep).await?;
    let built_for: HashSet<String> = image_deployments(&image.labels, &image.tags).into_iter().collect();
    let rows = deployments::Entity::find()
        .filter(deployments::Column::Id.is_in(kept.deployment_ids.iter().cloned()))
        .all(db)
        .await?;
    let app_ids: HashSet<String> = rows
        .into_iter()
        .filter(|row| {
            built_for.contains(&row.id)
                || row
                    .image_tag
                    .as_deref()
                    .is_some_and(|tag| tag == image.id || image.tags.contains(&crate::docker::with_tag(tag)))
        })
        .map(|row| row.application_id)
        .collect();
    let mut names: Vec<String> = applications::Entity::find()
        .filter(applications::Column::Id.is_in(app_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::{app_row, deployment_row, test_db};

    #[tokio::test]
    async fn kept_images_are_the_active_the_pending_the_newest_that_ran_and_rollback_targets() {
        let (_dir, db) = test_db().await;
        app_row(&db, "a", Some("a-old")).await;
        app_row(&db, "b", None).await;
        // Application a: an old deployment is active (a rollback), newer ones ran since.
        deployment_row(&db, "a-old", "a", Status::Running, Some("ployer/a:old"), 50, None).await;
        deployment_row(&db, "a-1", "a", Status::Superseded, Some("ployer/a:1"), 40, None).await;
        deployment_row(&db, "a-2", "a", Status::Superseded, Some("ployer/a:2"), 30, None).await;
        deployment_row(&db, "a-3", "a", Status::Superseded, Some("ployer/a:3"), 20, None).await;
        deployment_row(&db, "a-failed", "a", Status::Failed, Some("ployer/a:failed"), 15, None).await;
        deployment_row(&db, "a-building", "a", Status::Building, None, 1, None).await;
        // Application b: a queued rollback to its oldest deployment.
        deployment_row(&db, "b-1", "b", Status::Superseded, Some("ployer/b:1"), 40, None).await;
        deployment_row(&db, "b-2", "b", Status::Superseded, Some("ployer/b:2"), 30, None).await;
        deployment_row(&db, "b-3", "b", Status::Superseded, Some("ployer/b:3"), 20, None).await;
        deployment_row(&db, "b-rollback", "b", Status::Queued, None, 0, Some("b-1")).await;

        let kept = kept(&db, 2).await.unwrap();
        let mut references: Vec<&str> = kept.references.iter().map(String::as_str).collect();
        references.sort();
        assert_eq!(
            references,
            [
                "ployer/a:2",
                "ployer/a:3",
                "ployer/a:old",
                "ployer/b:1",
                "ployer/b:2",
                "ployer/b:3"
            ]
        );
        assert!(kept.deployment_ids.contains("a-building"), "an image being built stays");
        assert!(kept.deployment_ids.contains("b-rollback"));
        assert!(!kept.deployment_ids.contains("a-1"), "beyond keep_images");
        assert!(!kept.deployment_ids.contains("a-failed"));
    }
}
