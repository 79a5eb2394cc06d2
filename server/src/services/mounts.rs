//! An application's mounts: named volumes (any member) and host directories (admins only,
//! under a directory allowed in the settings). A change applies to the next container the
//! application starts: a deploy, a rollback, or the reconciler recreating it.

use crate::ids::AppId;
use std::path::PathBuf;

use chrono::Utc;
use entities::mounts::{self, MountKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::{
    auth::Role,
    docker::{self, MountSpec},
    error::{AppError, AppResult},
    services::{applications as apps, settings},
    validate::mounts::{host_dir, ContainerPath, VolumeName},
};

/// A mount to add: exactly one of `volume` and `host_path`.
pub struct NewMount {
    pub container_path: String,
    pub volume: Option<String>,
    pub host_path: Option<String>,
    pub read_only: bool,
}

/// Who asks, and Ployer's own directories (which no mount may expose).
pub struct Caller<'a> {
    pub role: Role,
    pub private: &'a [PathBuf],
}

/// The application's mounts, by container path.
pub async fn of_app<C: ConnectionTrait>(db: &C, app_id: &AppId) -> AppResult<Vec<mounts::Model>> {
    Ok(mounts::Entity::find()
        .filter(mounts::Column::ApplicationId.eq(app_id))
        .order_by_asc(mounts::Column::ContainerPath)
        .all(db)
        .await?)
}

pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller<'_>,
    app_id: &AppId,
    new: NewMount,
) -> AppResult<mounts::Model> {
    let app = apps::get(db, app_id).await?;
    let target = ContainerPath::parse("containerPath", &new.container_path)?;
    let (kind, source, volume) = match (new.volume, new.host_path) {
        (Some(volume), None) => {
            let name = VolumeName::parse("volume", &volume)?;
            (
                MountKind::Volume,
                name.engine_name(&app.name),
                Some(name.as_str().to_string()),
            )
        }
        (None, Some(host_path)) => {
            admin_only(caller)?;
            let allowed = settings::allowed_bind_paths(db).await?;
            let dir = host_dir("hostPath", &host_path, &allowed, caller.private)?;
            (MountKind::Bind, dir.display().to_string(), None)
        }
        _ => {
            return Err(AppError::bad_input(
                "volume",
                "give either a volume name or a host path (hostPath), not both and not neither",
            ))
        }
    };
    let now = Utc::now();
    let row = mounts::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        application_id: Set(app.id.clone()),
        kind: Set(kind),
        source: Set(source),
        volume: Set(volume),
        container_path: Set(target.as_str().to_string()),
        read_only: Set(new.read_only),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let row = row
        .insert(db)
        .await
        .map_err(|e| path_taken(e.into(), target.as_str()))?;
    tracing::info!(app_id = %app.id, mount_id = %row.id, kind = %row.kind, target = %row.container_path, "mount added");
    Ok(row)
}

/// Moves a mount to another container path, or makes it read-only or writable.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller<'_>,
    id: &str,
    container_path: Option<String>,
    read_only: Option<bool>,
) -> AppResult<mounts::Model> {
    let row = get(db, id).await?;
    if row.kind == MountKind::Bind {
        admin_only(caller)?;
    }
    let mut change: mounts::ActiveModel = row.into();
    let mut target = None;
    if let Some(path) = container_path {
        let path = ContainerPath::parse("containerPath", &path)?;
        change.container_path = Set(path.as_str().to_string());
        target = Some(path);
    }
    if let Some(read_only) = read_only {
        change.read_only = Set(read_only);
    }
    change.updated_at = Set(Utc::now());
    change.update(db).await.map_err(|e| match &target {
        Some(path) => path_taken(e.into(), path.as_str()),
        None => e.into(),
    })
}

/// Removes the mount; a volume's data stays on the engine (listed as unused) until an admin
/// removes the volume.
pub async fn remove(db: &DatabaseConnection, caller: &Caller<'_>, id: &str) -> AppResult<mounts::Model> {
    let row = get(db, id).await?;
    if row.kind == MountKind::Bind {
        admin_only(caller)?;
    }
    mounts::Entity::delete_by_id(row.id.clone()).exec(db).await?;
    tracing::info!(app_id = %row.application_id, mount_id = %row.id, "mount removed");
    Ok(row)
}

pub async fn get<C: ConnectionTrait>(db: &C, id: &str) -> AppResult<mounts::Model> {
    mounts::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("mount"))
}

/// What a new container of the application mounts. A host directory is checked again (it
/// may have been replaced by a link since, or its directory no longer be allowed): a deploy
/// fails rather than mount something else.
pub async fn specs<C: ConnectionTrait>(db: &C, app_id: &AppId, private: &[PathBuf]) -> AppResult<Vec<MountSpec>> {
    let rows = of_app(db, app_id).await?;
    let mut allowed = None;
    let mut specs = Vec::with_capacity(rows.len());
    for row in rows {
        if row.kind == MountKind::Bind {
            let allowed = match &allowed {
                Some(allowed) => allowed,
                None => allowed.insert(settings::allowed_bind_paths(db).await?),
            };
            let checked = host_dir("hostPath", &row.source, allowed, private).map_err(|e| {
                AppError::bad_input("hostPath", format!("mount at {}: {}", row.container_path, e.message()))
            })?;
            if checked.display().to_string() != row.source {
                return Err(AppError::bad_input(
                    "hostPath",
                    format!(
                        "{} now leads to {}: mount the directory again to use it",
                        row.source,
                        checked.display()
                    ),
                ));
            }
        }
        specs.push(MountSpec {
            bind: row.kind == MountKind::Bind,
            volume_labels: volume_labels(app_id, row.volume.as_deref()),
            source: row.source,
            target: row.container_path,
            read_only: row.read_only,
        });
    }
    Ok(specs)
}

/// The labels of a volume Ployer makes: managed, the application's, and the volume's name.
pub fn volume_labels(app_id: &AppId, volume: Option<&str>) -> std::collections::HashMap<String, String> {
    let mut labels = docker::image_labels(app_id);
    if let Some(volume) = volume {
        labels.insert(LABEL_VOLUME.to_string(), volume.to_string());
    }
    labels
}

/// The label naming a managed volume's short name.
pub const LABEL_VOLUME: &str = "ployer.volume";

fn admin_only(caller: &Caller<'_>) -> AppResult<()> {
    if caller.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only an admin may mount a host directory (it reaches outside the container)".into(),
        ))
    }
}

fn path_taken(err: AppError, path: &str) -> AppError {
    match err {
        AppError::Conflict(_) => AppError::ConflictOn(
            "containerPath",
            format!("the application already mounts something at {path}"),
        ),
        other => other,
    }
}
