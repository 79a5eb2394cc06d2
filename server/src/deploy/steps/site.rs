//! A static site's steps. No container runs for it: its files come from the repository —
//! built by the application's command in its build image, or as the repository holds them —
//! and are copied into the deployment's own directory, which Caddy serves once the site's
//! `current` link points at it (see [`crate::deploy::sites`]). A rollback copies the files of
//! the deployment rolled back to.

use crate::ids::AppId;
use std::{
    io,
    path::{Path, PathBuf},
};

use sea_orm::Set;

use super::{clone, cutover, Run, Stop};
use crate::{
    deploy::{logs::LogStream, retention, routing, Status},
    docker::{self, JobSpec, MountSpec},
    ids::DeploymentId,
    services,
};

/// Where the checkout is inside the build container.
const BUILD_WORKDIR: &str = "/src";

/// The deployment's files, in its own directory.
pub async fn files(run: &mut Run<'_>) -> Result<(), Stop> {
    if let Some(target_id) = run.row.rollback_of_id.clone() {
        return rollback_files(run, &target_id).await;
    }
    let checkout = clone::clone(run).await?;
    run.transition(Status::Building, |_| {}).await?;
    if let (Some(image), Some(command)) = (run.app.static_build_image.clone(), run.app.static_build_command.clone()) {
        build(run, &checkout.src, &image, &command).await?;
    } else {
        run.log
            .system("no build command: serving the repository's files as they are")
            .await;
    }
    let output = output_dir(&checkout.src, &run.app.static_output_dir)?;
    copy_into_site(run, output).await
}

/// Runs the build command in the build image, in the checkout.
async fn build(run: &mut Run<'_>, src: &Path, image: &str, command: &str) -> Result<(), Stop> {
    let inner = run.deployer.inner();
    let _slot = tokio::select! {
        slot = inner.builds.acquire() => slot.map_err(|_| Stop::Failed("the build queue is closed".into()))?,
        _ = run.cancel.cancelled() => return Err(Stop::Cancelled),
    };
    run.log.system(format!("using build image {image}")).await;
    let (tx, forward) = run.forward_lines(LogStream::Build);
    let pulled = run.cancellable(docker::ensure_image(&run.engine, image, tx)).await;
    let _ = forward.await;
    pulled?.map_err(|e| Stop::Failed(format!("cannot get the build image {image}: {e}")))?;
    let env: Vec<String> = run
        .decrypted_vars(
            services::env_vars::decrypted_build_time(&inner.db, &inner.crypto, &AppId::from(&run.app.id)).await,
        )?
        .into_iter()
        .map(|(v, _)| format!("{}={}", v.key, v.value))
        .collect();
    let name = format!("ployer-build-{}-{}", run.app.name, &run.row.id[..8]);
    run.log.system(format!("running `{command}` in {image}")).await;
    let spec = JobSpec {
        name: &name,
        image,
        command,
        workdir: BUILD_WORKDIR,
        env,
        labels: docker::labels(&run.app.id, &run.row.id),
        mounts: vec![MountSpec {
            bind: true,
            source: src.display().to_string(),
            target: BUILD_WORKDIR.to_string(),
            read_only: false,
            volume_labels: Default::default(),
        }],
        memory_bytes: Some(inner.config.build_memory_bytes),
        cpus: Some(inner.config.build_cpus),
    };
    let (tx, forward) = run.forward_lines(LogStream::Build);
    let ran = run.cancellable(docker::run_job(&run.engine, spec, tx)).await;
    let _ = forward.await;
    match ran?.map_err(|e| Stop::Failed(format!("the build could not run: {e}")))? {
        0 => Ok(()),
        code => Err(Stop::Failed(format!("the build command exited with status {code}"))),
    }
}

/// The output directory inside the checkout: present, a directory, and inside the checkout
/// once symbolic links are resolved.
fn output_dir(src: &Path, output: &str) -> Result<PathBuf, Stop> {
    let root = src
        .canonicalize()
        .map_err(|e| Stop::Failed(format!("cannot read the checkout: {e}")))?;
    let wanted = if output == "." { root.clone() } else { root.join(output) };
    let resolved = wanted.canonicalize().map_err(|_| {
        Stop::Failed(format!(
            "the output directory `{output}` does not exist after the build (staticOutputDir)"
        ))
    })?;
    if !resolved.starts_with(&root) {
        return Err(Stop::Failed(format!(
            "the output directory `{output}` leads outside the repository (a symbolic link?)"
        )));
    }
    if !resolved.is_dir() {
        return Err(Stop::Failed(format!("the output `{output}` is not a directory")));
    }
    Ok(resolved)
}

/// Copies `from` into the deployment's site directory.
async fn copy_into_site(run: &mut Run<'_>, from: PathBuf) -> Result<(), Stop> {
    let sites = run.deployer.inner().routing.sites().clone();
    let dest = sites.deployment(&run.app.id, &run.row.id);
    run.made.site = Some(dest.clone());
    let to = dest.clone();
    let copied = tokio::task::spawn_blocking(move || copy_tree(&from, &to))
        .await
        .map_err(|e| Stop::Failed(format!("copying the files stopped: {e}")))?
        .map_err(|e| Stop::Failed(format!("cannot copy the site's files: {e}")))?;
    if copied.files == 0 {
        return Err(Stop::Failed(format!(
            "the output directory `{}` holds no files",
            run.app.static_output_dir
        )));
    }
    let mut note = format!("copied {} files ({} bytes)", copied.files, copied.bytes);
    if copied.skipped_links > 0 {
        note.push_str(&format!(
            "; {} symbolic links left out (a site is served from its own files only)",
            copied.skipped_links
        ));
    }
    run.log.system(note).await;
    run.transition(Status::Starting, |_| {}).await?;
    Ok(())
}

/// A rollback: the files of the deployment rolled back to, copied for this one.
async fn rollback_files(run: &mut Run<'_>, target_id: &str) -> Result<(), Stop> {
    let inner = run.deployer.inner();
    let target = crate::deploy::get(&inner.db, &DeploymentId::from(target_id))
        .await
        .map_err(|e| e.message())?;
    let from = inner.routing.sites().deployment(&run.app.id, &target.id);
    if !from.is_dir() {
        return Err(Stop::Failed(format!(
            "the files of deployment {target_id} are no longer kept"
        )));
    }
    run.log
        .system(format!("rolling back to deployment {target_id}: its files, no build"))
        .await;
    run.transition(Status::Building, |d| {
        d.commit_message = Set(target.commit_message.clone());
        d.commit_author = Set(target.commit_author.clone());
    })
    .await?;
    copy_into_site(run, from).await
}

/// Checks there is something to serve, points the site at this deployment's files and
/// routes the application to them; on failure the site points at what it served before.
/// Returns the deployment this one replaced.
pub async fn go_live(run: &mut Run<'_>) -> Result<Option<entities::deployments::Model>, Stop> {
    let inner = run.deployer.inner();
    let sites = inner.routing.sites().clone();
    let dir = sites.deployment(&run.app.id, &run.row.id);
    run.transition(Status::HealthChecking, |_| {}).await?;
    if !dir.join("index.html").is_file() {
        if run.app.spa_fallback {
            return Err(Stop::Failed(
                "the site has no index.html at its root, which the single-page fallback serves".into(),
            ));
        }
        run.log
            .system("note: no index.html at the site's root; `/` answers 404")
            .await;
    }
    let before = sites.serving(&run.app.id);
    sites
        .switch(&run.app.id, &run.row.id)
        .map_err(|e| Stop::Failed(format!("cannot switch the site to the new files: {e}")))?;
    let target = routing::site_target(&sites, run.app);
    match cutover::cut_over(run, target).await {
        Ok(previous) => {
            run.made.site = None;
            keep_recent(run).await;
            Ok(previous)
        }
        Err(stop) => {
            let back = match &before {
                Some(id) => sites.switch(&run.app.id, id),
                None => std::fs::remove_file(sites.current(&run.app.id)),
            };
            if let Err(err) = back {
                run.log
                    .system(format!("could not point the site back at its previous files: {err}"))
                    .await;
            }
            Err(stop)
        }
    }
}

/// Removes the files of deployments no longer kept for rollback.
async fn keep_recent(run: &Run<'_>) {
    let inner = run.deployer.inner();
    let kept = match retention::kept(&inner.db, inner.config.keep_images).await {
        Ok(kept) => kept,
        Err(err) => {
            tracing::warn!(error = ?err, "cannot read which static builds to keep");
            return;
        }
    };
    let keep: Vec<String> = kept.deployment_ids.into_iter().collect();
    match inner.routing.sites().retain(&run.app.id, &keep) {
        Ok(removed) if !removed.is_empty() => {
            tracing::info!(app_id = %run.app.id, removed = removed.len(), "removed static builds no longer kept");
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, app_id = %run.app.id, "cannot remove old static builds"),
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Copied {
    files: u64,
    bytes: u64,
    skipped_links: u64,
}

/// Copies the regular files and directories under `from` into `to` (created), leaving out
/// symbolic links (which could lead Caddy outside the site) and `.git`.
fn copy_tree(from: &Path, to: &Path) -> io::Result<Copied> {
    let mut copied = Copied::default();
    std::fs::create_dir_all(to)?;
    let mut pending = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((src, dest)) = pending.pop() {
        for entry in std::fs::read_dir(&src)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let name = entry.file_name();
            let target = dest.join(&name);
            if kind.is_symlink() {
                copied.skipped_links += 1;
            } else if kind.is_dir() {
                if name == ".git" {
                    continue;
                }
                std::fs::create_dir(&target)?;
                pending.push((entry.path(), target));
            } else if kind.is_file() {
                copied.bytes += std::fs::copy(entry.path(), &target)?;
                copied.files += 1;
            }
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_keeps_files_and_directories_and_leaves_out_links_and_git() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        std::fs::create_dir_all(src.join("assets/js")).unwrap();
        std::fs::create_dir_all(src.join(".git/objects")).unwrap();
        std::fs::write(src.join("index.html"), "hi").unwrap();
        std::fs::write(src.join("assets/js/app.js"), "js").unwrap();
        std::fs::write(src.join(".git/HEAD"), "ref").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", src.join("passwd")).unwrap();
        std::os::unix::fs::symlink("/etc", src.join("assets/etc")).unwrap();
        let dest = tmp.path().join("dest");
        let copied = copy_tree(&src, &dest).unwrap();
        assert_eq!(
            copied,
            Copied {
                files: 2,
                bytes: 4,
                skipped_links: 2
            }
        );
        assert_eq!(std::fs::read_to_string(dest.join("assets/js/app.js")).unwrap(), "js");
        assert!(!dest.join(".git").exists());
        assert!(std::fs::symlink_metadata(dest.join("passwd")).is_err());
    }

    #[test]
    fn the_output_directory_must_exist_and_stay_inside_the_checkout() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        std::fs::create_dir_all(src.join("dist")).unwrap();
        std::fs::write(src.join("file"), "x").unwrap();
        std::os::unix::fs::symlink(tmp.path(), src.join("up")).unwrap();
        assert_eq!(
            output_dir(&src, "dist").ok(),
            Some(src.join("dist").canonicalize().unwrap())
        );
        assert_eq!(output_dir(&src, ".").ok(), Some(src.canonicalize().unwrap()));
        let message = |r: Result<PathBuf, Stop>| match r {
            Err(Stop::Failed(m)) => m,
            _ => panic!("refused"),
        };
        assert!(message(output_dir(&src, "missing")).contains("does not exist"));
        assert!(message(output_dir(&src, "up")).contains("outside the repository"));
        assert!(message(output_dir(&src, "file")).contains("not a directory"));
    }
}
