//! Step 1 for a Compose application: clone, read and plan the compose file, build or pull
//! every service's image, then bring the services other than the routed one to the plan in
//! dependency order: one whose image and configuration did not change keeps its container;
//! a changed one is recreated; one another depends on with `condition: service_healthy` is
//! waited for. The routed service then goes through the same start, health gate and cutover
//! as any application (zero failed requests). A rollback plans the file the rolled-back-to
//! deployment ran, with its images, and builds nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use ployer_input::compose::{Plan, Source, MAX_FILE_BYTES};
use sea_orm::{EntityTrait, Set};

use super::{build, clone, Run, Stop};
use crate::{
    deploy::{compose, logs::LogStream, Status},
    docker,
    ids::{AppId, DeploymentId},
    services::{self, env_vars::NewVar},
};

/// How long a service others wait for gets to report healthy.
const HEALTHY_TIMEOUT: Duration = Duration::from_secs(120);

/// What the start step needs to start the routed service.
pub struct Prepared {
    pub plan: Plan,
    pub vars: Vec<(NewVar, bool)>,
}

/// Plans, gets the images and brings the other services up; returns the routed service's image.
pub async fn prepare(run: &mut Run<'_>) -> Result<String, Stop> {
    let inner = run.deployer.inner();
    let app = run.app;
    let vars =
        run.decrypted_vars(services::env_vars::decrypted(&inner.db, &inner.crypto, &AppId::from(&app.id)).await)?;
    let (plan, images) = match run.row.rollback_of_id.clone() {
        Some(target_id) => {
            let target = crate::deploy::get(&inner.db, &DeploymentId::from(&target_id))
                .await
                .map_err(|e| e.message())?;
            let raw = target
                .compose_file
                .clone()
                .ok_or_else(|| Stop::Failed("the deployment rolled back to ran no compose file".into()))?;
            let plan = planned(run, &raw, &vars).await?;
            let images = compose::images_of(&target);
            if let Some(missing) = plan.services.iter().find(|s| !images.contains_key(&s.name)) {
                return Err(Stop::Failed(format!(
                    "the deployment rolled back to has no image for service {}",
                    missing.name
                )));
            }
            run.log
                .system(format!(
                    "rolling back to deployment {target_id}: its compose file and images, no build"
                ))
                .await;
            let routed = images[&plan.routed].clone();
            run.transition(Status::Starting, |d| {
                d.image_tag = Set(Some(routed));
                d.compose_file = Set(Some(raw));
                d.compose_images = Set(Some(serde_json::to_string(&images).unwrap_or_default()));
                d.commit_message = Set(target.commit_message.clone());
                d.commit_author = Set(target.commit_author.clone());
            })
            .await?;
            (plan, images)
        }
        None => {
            let checkout = clone::clone(run).await?;
            let raw = read_file(&checkout.src, &app.compose_path)?;
            let plan = planned(run, &raw, &vars).await?;
            let images = images(run, &checkout.src, &plan).await?;
            drop(checkout);
            let routed = images[&plan.routed].clone();
            run.transition(Status::Building, |d| {
                d.image_tag = Set(Some(routed));
                d.compose_file = Set(Some(raw));
                d.compose_images = Set(Some(serde_json::to_string(&images).unwrap_or_default()));
            })
            .await?;
            (plan, images)
        }
    };
    run.transition(Status::Starting, |_| {}).await?;
    others(run, &plan, &images, &vars).await?;
    let routed = images[&plan.routed].clone();
    run.compose = Some(Prepared { plan, vars });
    Ok(routed)
}

async fn planned(run: &Run<'_>, raw: &str, vars: &[(NewVar, bool)]) -> Result<Plan, Stop> {
    let plan = compose::plan_with(raw, vars, run.app.compose_service.as_deref())
        .map_err(|e| Stop::Failed(format!("{}: {e}", run.app.compose_path)))?;
    for warning in &plan.warnings {
        run.log.system(format!("{}: {warning}", run.app.compose_path)).await;
    }
    let names: Vec<&str> = plan.services.iter().map(|s| s.name.as_str()).collect();
    run.log
        .system(format!(
            "services in start order: {}; {} receives the domains",
            names.join(", "),
            plan.routed
        ))
        .await;
    Ok(plan)
}

/// The compose file, read from the checkout: a regular file inside it (a symbolic link may
/// not lead out), at most [`MAX_FILE_BYTES`].
fn read_file(checkout: &Path, relative: &str) -> Result<String, Stop> {
    let root = checkout
        .canonicalize()
        .map_err(|e| format!("cannot read the checkout: {e}"))?;
    let path = root.join(relative);
    let real = path
        .canonicalize()
        .map_err(|_| Stop::Failed(format!("{relative}: no such file in the repository (composePath)")))?;
    if !real.starts_with(&root) {
        return Err(Stop::Failed(format!("{relative} leads outside the repository")));
    }
    let meta = std::fs::metadata(&real).map_err(|e| format!("{relative}: {e}"))?;
    if !meta.is_file() {
        return Err(Stop::Failed(format!("{relative} is not a file")));
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(Stop::Failed(format!(
            "{relative} is larger than {} KiB",
            MAX_FILE_BYTES / 1024
        )));
    }
    std::fs::read_to_string(&real).map_err(|e| Stop::Failed(format!("{relative}: {e}")))
}

/// Every service's image: built from its context (tagged for this deployment) or pulled.
async fn images(run: &mut Run<'_>, checkout: &Path, plan: &Plan) -> Result<BTreeMap<String, String>, Stop> {
    let mut images = BTreeMap::new();
    for service in &plan.services {
        run.check_cancelled()?;
        let image = match &service.source {
            Source::Build {
                context, dockerfile, ..
            } => {
                let tag = compose::image_tag(&run.app.name, &service.name, &run.row.id);
                let dir = if context == "." {
                    checkout.to_path_buf()
                } else {
                    checkout.join(context)
                };
                let real = dir.canonicalize().map_err(|_| {
                    Stop::Failed(format!(
                        "services.{}.build: no directory {context} in the repository",
                        service.name
                    ))
                })?;
                if !real.starts_with(checkout.canonicalize().map_err(|e| e.to_string())?) {
                    return Err(Stop::Failed(format!(
                        "services.{}.build: {context} leads outside the repository",
                        service.name
                    )));
                }
                run.log.system(format!("service {}: building", service.name)).await;
                if service.name == plan.routed {
                    run.made.image = Some(tag.clone());
                }
                build::build_image(run, &real, dockerfile, &tag).await?;
                tag
            }
            Source::Image(image) => {
                run.log.system(format!("service {}: image {image}", service.name)).await;
                let (tx, forward) = run.forward_lines(LogStream::Build);
                let pulled = run.cancellable(docker::ensure_image(&run.engine, image, tx)).await;
                let _ = forward.await;
                pulled?
                    .map_err(|e| Stop::Failed(format!("service {}: cannot get image {image}: {e}", service.name)))?;
                image.clone()
            }
        };
        images.insert(service.name.clone(), image);
    }
    Ok(images)
}

/// Brings every service but the routed one to the plan, in order; removes those the plan no
/// longer has.
async fn others(
    run: &mut Run<'_>,
    plan: &Plan,
    images: &BTreeMap<String, String>,
    vars: &[(NewVar, bool)],
) -> Result<(), Stop> {
    let inner = run.deployer.inner();
    let app = run.app;
    let private = inner.config.private_dirs();
    let rows = compose::rows(&inner.db, &app.id).await.map_err(|e| e.message())?;
    let at = compose::Surroundings {
        db: &inner.db,
        app,
        deployment_id: &run.row.id,
        vars,
        private: &private,
    };
    // Every service's container is worked out (and its bind mounts checked) before the first
    // starts: a file Ployer refuses leaves nothing behind.
    let mut launches = Vec::new();
    for service in &plan.services {
        let launch = compose::launch(&at, service, &images[&service.name], Vec::new())
            .await
            .map_err(|e| e.message())?;
        if service.name != plan.routed {
            launches.push((service, launch));
        }
    }
    compose::ensure_network(&run.engine, &app.id)
        .await
        .map_err(|e| format!("cannot create the application's network: {}", e.message()))?;
    for (service, launch) in launches {
        run.check_cancelled()?;
        let image = &images[&service.name];
        let image_id = docker::resources::image_id(&run.engine, image)
            .await?
            .unwrap_or_default();
        let hash = launch.fingerprint(&inner.crypto, &image_id);
        let current = rows.iter().find(|r| r.name == service.name);
        let running = match current {
            Some(row) => docker::container_state(&run.engine, &row.container_id)
                .await?
                .is_some_and(|s| s.running),
            None => false,
        };
        let container = match current {
            Some(row) if row.config_hash == hash && running => {
                run.log
                    .system(format!(
                        "service {}: unchanged, keeps running ({})",
                        service.name, row.container_name
                    ))
                    .await;
                row.container_id.clone()
            }
            _ => {
                if let Some(row) = current {
                    run.log
                        .system(format!(
                            "service {}: changed; replacing {}",
                            service.name, row.container_name
                        ))
                        .await;
                    docker::stop_and_remove(&run.engine, &row.container_id, 10).await?;
                }
                let name = compose::container_name(&app.name, &service.name, &run.row.id, false);
                run.log
                    .system(format!("service {}: starting {name}", service.name))
                    .await;
                let started = docker::run_container(&run.engine, launch.spec(&name))
                    .await
                    .map_err(|e| Stop::Failed(format!("service {}: cannot start: {e}", service.name)))?;
                let made = compose::Made {
                    service: &service.name,
                    started: &started,
                    container_name: &name,
                    image,
                    config_hash: &hash,
                };
                compose::record(&inner.db, &app.id, &run.row.id, made)
                    .await
                    .map_err(|e| e.message())?;
                started.id
            }
        };
        let awaited = plan
            .services
            .iter()
            .any(|s| s.depends_on.iter().any(|d| d.healthy && d.service == service.name));
        if awaited {
            run.log
                .system(format!("service {}: waiting until healthy", service.name))
                .await;
            let healthy = run
                .cancellable(compose::wait_healthy(
                    &run.engine,
                    &service.name,
                    &container,
                    HEALTHY_TIMEOUT,
                ))
                .await?;
            if let Err(reason) = healthy {
                run.log_container_tail(&container).await;
                return Err(Stop::Failed(reason));
            }
            run.log.system(format!("service {}: healthy", service.name)).await;
        }
    }
    for row in rows
        .iter()
        .filter(|r| plan.service(&r.name).is_none() || r.name == plan.routed)
    {
        run.log
            .system(format!(
                "service {}: no longer in the file; removing {}",
                row.name, row.container_name
            ))
            .await;
        docker::stop_and_remove(&run.engine, &row.container_id, 10).await?;
        entities::compose_services::Entity::delete_by_id(row.id.clone())
            .exec(&inner.db)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
