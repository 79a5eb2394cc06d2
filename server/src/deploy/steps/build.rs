//! Step 1b: the image built from the checkout's Dockerfile, with the application's build-time
//! variables as build arguments, within the build slots (`max_concurrent_builds`) and the
//! build limits, its output in the deployment log.

use crate::ids::AppId;
use sea_orm::Set;

use super::{clone::Checkout, Run, Stop};
use crate::deploy::logs::LogStream;
use crate::{
    deploy::Status,
    docker::{self, BuildSpec},
    services,
};

pub async fn build(run: &mut Run<'_>, checkout: Checkout) -> Result<String, Stop> {
    let app = run.app;
    let context_dir = if app.build_context == "." {
        checkout.src.clone()
    } else {
        checkout.src.join(&app.build_context)
    };
    let dockerfile = if app.build_context == "." {
        app.dockerfile_path.clone()
    } else {
        match app.dockerfile_path.strip_prefix(&format!("{}/", app.build_context)) {
            Some(inside) => inside.to_string(),
            None => return Err(Stop::Failed("the Dockerfile must be inside the build context".into())),
        }
    };
    let tag = docker::image_tag(&app.name, &run.row.id);
    run.made.image = Some(tag.clone());
    build_image(run, &context_dir, &dockerfile, &tag).await?;
    drop(checkout);
    run.transition(Status::Building, |d| d.image_tag = Set(Some(tag.clone())))
        .await?;
    Ok(tag)
}

/// Builds `context_dir` (with `dockerfile`, relative to it) into `tag`, in a build slot, with
/// the application's build-time variables as build arguments.
pub async fn build_image(
    run: &Run<'_>,
    context_dir: &std::path::Path,
    dockerfile: &str,
    tag: &str,
) -> Result<(), Stop> {
    let inner = run.deployer.inner();
    let app = run.app;
    let _slot = match inner.builds.try_acquire() {
        Ok(slot) => slot,
        Err(_) => {
            run.log
                .system(format!(
                    "waiting for a build slot: {} build(s) already running (max_concurrent_builds)",
                    inner.config.max_concurrent_builds.max(1)
                ))
                .await;
            tokio::select! {
                slot = inner.builds.acquire() => slot.map_err(|_| Stop::Failed("the build queue is closed".into()))?,
                _ = run.cancel.cancelled() => return Err(Stop::Cancelled),
            }
        }
    };
    let build_args: Vec<(String, String)> = run
        .decrypted_vars(
            services::env_vars::decrypted_build_time(&inner.db, &inner.crypto, &AppId::from(&app.id)).await,
        )?
        .into_iter()
        .map(|(v, _)| (v.key, v.value))
        .collect();
    run.log.system(format!("building {tag}")).await;
    let mut attempt = 1;
    loop {
        let (tx, forward) = run.forward_lines(LogStream::Build);
        let built = run
            .cancellable(docker::build_image(
                &run.engine,
                BuildSpec {
                    context_dir,
                    dockerfile,
                    tag,
                    build_args: build_args.iter().cloned().collect(),
                    labels: docker::image_labels(&app.id),
                    memory_bytes: inner.config.build_memory_bytes,
                    cpus: inner.config.build_cpus,
                },
                tx,
            ))
            .await;
        let _ = forward.await;
        match built? {
            Ok(_) => return Ok(()),
            // The engine's build cache walks the images built on the same parent; an image
            // removed meanwhile (a prune, another app's cleanup) fails that walk. Once more.
            Err(docker::DockerError::Build(message)) if attempt == 1 && message.contains("unable to find image") => {
                run.log
                    .system(format!(
                        "the build cache changed under the build ({message}); building again"
                    ))
                    .await;
                attempt += 1;
            }
            Err(docker::DockerError::Build(message)) => return Err(Stop::Failed(format!("build failed: {message}"))),
            Err(other) => return Err(Stop::Failed(format!("build failed: {other}"))),
        }
    }
}
