//! Step 1: where the deployment's image comes from.

use sea_orm::Set;

use super::{build, clone, Run, Stop};
use crate::{deploy::logs::LogStream, ids::DeploymentId};
use crate::{deploy::Status, docker, services::applications::BuildStrategy};

/// The image to start: the rolled-back-to deployment's, the application's own (pulled when
/// missing), or one built from the repository.
pub async fn image(run: &mut Run<'_>) -> Result<String, Stop> {
    if let Some(target_id) = &run.row.rollback_of_id {
        return rollback_image(run, target_id).await;
    }
    match run.app.build_strategy {
        BuildStrategy::Image => pull(run).await,
        BuildStrategy::Dockerfile => {
            let checkout = clone::clone(run).await?;
            build::build(run, checkout).await
        }
        other => Err(Stop::Failed(format!("{} builds are not supported yet", other.as_str()))),
    }
}

/// A rollback starts the image an earlier deployment ran, without a build.
async fn rollback_image(run: &mut Run<'_>, target_id: &str) -> Result<String, Stop> {
    let target = crate::deploy::get(&run.deployer.inner().db, &DeploymentId::from(target_id))
        .await
        .map_err(|e| e.message())?;
    let image = target
        .image_tag
        .ok_or_else(|| Stop::Failed("the deployment rolled back to has no image".into()))?;
    run.log
        .system(format!(
            "rolling back to deployment {target_id}: image {image}, no build"
        ))
        .await;
    run.transition(Status::Starting, |d| {
        d.image_tag = Set(Some(image.clone()));
        d.commit_message = Set(target.commit_message.clone());
        d.commit_author = Set(target.commit_author.clone());
    })
    .await?;
    Ok(image)
}

/// The application's image, pulled when the engine does not have it.
async fn pull(run: &mut Run<'_>) -> Result<String, Stop> {
    let image = run
        .app
        .image
        .clone()
        .ok_or_else(|| Stop::Failed("the application has no image".into()))?;
    run.transition(Status::Building, |d| d.image_tag = Set(Some(image.clone())))
        .await?;
    run.log.system(format!("using image {image}")).await;
    let (tx, forward) = run.forward_lines(LogStream::Build);
    let pulled = run.cancellable(docker::ensure_image(&run.engine, &image, tx)).await;
    let _ = forward.await;
    pulled?.map_err(|e| Stop::Failed(format!("cannot get image {image}: {e}")))?;
    Ok(image)
}
