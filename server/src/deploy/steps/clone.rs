//! Step 1a: a shallow clone of the application's repository at its branch (or the commit
//! asked for), with its deploy key or git credentials, into a checkout that lives while the
//! build runs.

use crate::ids::AppId;
use std::{path::PathBuf, time::Duration};

use entities::deploy_keys;
use sea_orm::{ActiveModelTrait, Set};

use super::{Run, Stop};
use crate::{deploy::Status, git, services};

const CLONE_TIMEOUT: Duration = Duration::from_secs(600);

/// A cloned repository; the directory goes when this is dropped.
pub struct Checkout {
    _dir: tempfile::TempDir,
    pub src: PathBuf,
}

pub async fn clone(run: &mut Run<'_>) -> Result<Checkout, Stop> {
    let inner = run.deployer.inner();
    let app = run.app;
    let url = app
        .git_url
        .clone()
        .ok_or_else(|| Stop::Failed("the application has no git URL".into()))?;
    let branch = app
        .branch
        .clone()
        .unwrap_or_else(|| services::applications::DEFAULT_BRANCH.into());
    run.transition(Status::Cloning, |_| {}).await?;
    let key = services::deploy_keys::find(&inner.db, &AppId::from(&app.id))
        .await
        .map_err(|e| e.message())?;
    let private_key = match &key {
        Some(key) => Some(services::deploy_keys::private_key(&inner.crypto, key).map_err(|e| e.message())?),
        None => None,
    };
    let http_credentials = services::git_credentials::for_clone(&inner.db, &inner.crypto, &AppId::from(&app.id), &url)
        .await
        .map_err(|e| e.message())?;
    if let Some(credentials) = &http_credentials {
        run.log.also_redact([credentials.token.clone()]);
        run.log
            .system(format!(
                "using the application's git credentials (user `{}`) if the server asks",
                credentials.username
            ))
            .await;
    }
    let build_root = inner.config.build_root();
    tokio::fs::create_dir_all(&build_root)
        .await
        .map_err(|e| format!("cannot create the build directory: {e}"))?;
    let dir = tempfile::Builder::new()
        .prefix(&format!("{}-", app.name))
        .tempdir_in(&build_root)
        .map_err(|e| format!("cannot create a checkout directory: {e}"))?;
    let src = dir.path().join("src");
    run.log
        .system(format!(
            "cloning {url} ({})",
            run.row.commit_sha.as_deref().unwrap_or(&branch)
        ))
        .await;
    // Read now, not when the URL was saved: an admin may have turned local sources off since.
    let local_paths = services::settings::allow_local_git_paths(&inner.db)
        .await
        .map_err(|e| e.message())?
        .then(|| vec![inner.config.data_dir.clone(), inner.config.build_root()]);
    let cloned = git::clone(
        git::CloneRequest {
            url,
            branch,
            commit: run.row.commit_sha.clone(),
            dest: src.clone(),
            ssh_private_key: private_key,
            http_credentials,
            known_host_key: key.as_ref().and_then(|k| k.known_host_key.clone()),
            timeout: CLONE_TIMEOUT,
            local_paths,
        },
        run.cancel.clone(),
    )
    .await
    .map_err(|err| match err {
        git::GitError::Cancelled => Stop::Cancelled,
        other => Stop::Failed(format!("clone failed: {other}")),
    })?;
    if let (Some(key), Some(seen)) = (&key, &cloned.host_key) {
        if key.known_host_key.is_none() {
            let mut active: deploy_keys::ActiveModel = key.clone().into();
            active.known_host_key = Set(Some(seen.clone()));
            active
                .update(&inner.db)
                .await
                .map_err(|e| format!("cannot record the host key: {e}"))?;
            run.log
                .system("recorded the git host's key; later clones must see the same key")
                .await;
        }
    }
    run.log
        .system(format!(
            "commit {} by {}: {}",
            &cloned.sha,
            cloned.author,
            cloned.message.lines().next().unwrap_or("")
        ))
        .await;
    run.transition(Status::Building, |d| {
        d.commit_sha = Set(Some(cloned.sha.clone()));
        d.commit_message = Set(Some(cloned.message.clone()));
        d.commit_author = Set(Some(cloned.author.clone()));
    })
    .await?;
    Ok(Checkout { _dir: dir, src })
}
