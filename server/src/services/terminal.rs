//! The rules of a web terminal session: which container an application's shell runs in (its
//! active deployment's, and only while that container runs), when a session must end because
//! that changed, and the record of who opened one and when — a `system` line in the log of
//! the deployment whose container it was, which everyone who may read the application sees.
//! The session itself (websocket, TTY, timeouts) is `http::terminal`'s.

use crate::ids::AppId;
use chrono::Utc;
use entities::{deployment_logs, deployments};
use sea_orm::{DatabaseConnection, EntityTrait, Set};

use crate::{
    docker::inspect_running,
    error::{AppError, AppResult},
    services::{self, container_logs::active_container, docker_resources::engine},
    state::AppState,
};

/// Where a terminal of an application runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub app_id: String,
    pub app_name: String,
    pub deployment_id: String,
    pub container_id: String,
}

impl Target {
    /// The container id as `docker ps` shows it.
    pub fn short_container(&self) -> &str {
        &self.container_id[..self.container_id.len().min(12)]
    }
}

/// The running container of the application's active deployment. `NOT_FOUND` for an unknown
/// application, `CONFLICT` (with the reason) when nothing of it runs, `UNAVAILABLE` without
/// Docker.
#[tracing::instrument(skip_all, fields(app_id = %app_id))]
pub async fn target(state: &AppState, app_id: &AppId) -> AppResult<Target> {
    let app = services::applications::get(&state.db, app_id).await?;
    let not_running = || {
        AppError::Conflict(format!(
            "the application {} has no running container: deploy it first",
            app.name
        ))
    };
    let Some(deployment_id) = app.active_deployment_id.clone() else {
        return Err(not_running());
    };
    let container_id = deployments::Entity::find_by_id(deployment_id.clone())
        .one(&state.db)
        .await?
        .and_then(|d| d.container_id)
        .ok_or_else(not_running)?;
    let docker = engine(&state.docker)?;
    match inspect_running(&docker, &container_id).await? {
        Some((true, _)) => Ok(Target {
            app_id: app.id.clone(),
            app_name: app.name.clone(),
            deployment_id,
            container_id,
        }),
        _ => Err(AppError::Conflict(format!(
            "the container of {} is not running; Ployer starts it again shortly",
            app.name
        ))),
    }
}

/// Why a session in `target` must end now that the application's active container may have
/// changed; `None` while it is still the one. A failed look is no reason.
pub async fn gone(db: &DatabaseConnection, target: &Target) -> Option<&'static str> {
    match active_container(db, &AppId::from(&target.app_id)).await {
        Ok(Some(active)) if active == target.container_id => None,
        Ok(Some(_)) => Some("the container was replaced: the application was redeployed or its container recreated"),
        Ok(None) => Some("the application no longer has a running deployment"),
        Err(AppError::NotFound(_)) => Some("the application was deleted"),
        Err(err) => {
            tracing::debug!(error = ?err, "looking at the active container failed");
            None
        }
    }
}

/// Adds a `system` line to the log of the deployment the terminal runs in. A failure is
/// logged, never the session's end.
pub async fn record(db: &DatabaseConnection, target: &Target, line: String) {
    let row = deployment_logs::ActiveModel {
        id: Default::default(),
        deployment_id: Set(target.deployment_id.clone()),
        stream: Set(deployment_logs::LogStream::System),
        line: Set(line),
        created_at: Set(Utc::now()),
    };
    if let Err(err) = deployment_logs::Entity::insert(row).exec(db).await {
        tracing::warn!(error = %err, deployment_id = %target.deployment_id, "cannot record a terminal session in the deployment log");
    }
}
