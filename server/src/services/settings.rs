//! Installation-wide settings, stored as JSON values by key. Unknown keys are never read;
//! each setting has a typed accessor with its default here.

use chrono::Utc;
use entities::settings;
use sea_orm::{sea_query::OnConflict, ConnectionTrait, EntityTrait, Set};

use crate::{
    auth::Role,
    error::{AppError, AppResult},
};

const REGISTRATION_OPEN: &str = "registration_open";
const DEFAULT_ROLE: &str = "default_role";
const ALLOW_LOCAL_GIT_PATHS: &str = "allow_local_git_paths";
const ALLOWED_BIND_PATHS: &str = "allowed_bind_paths";

async fn get<C: ConnectionTrait>(db: &C, key: &str) -> AppResult<Option<serde_json::Value>> {
    let Some(row) = settings::Entity::find_by_id(key.to_string()).one(db).await? else {
        return Ok(None);
    };
    serde_json::from_str(&row.value)
        .map(Some)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("setting {key} holds invalid JSON: {e}")))
}

async fn put<C: ConnectionTrait>(db: &C, key: &str, value: serde_json::Value) -> AppResult<()> {
    let row = settings::ActiveModel {
        key: Set(key.to_string()),
        value: Set(value.to_string()),
        updated_at: Set(Utc::now()),
    };
    settings::Entity::insert(row)
        .on_conflict(
            OnConflict::column(settings::Column::Key)
                .update_columns([settings::Column::Value, settings::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Whether anyone may register once the first account exists. Default: closed.
pub async fn registration_open<C: ConnectionTrait>(db: &C) -> AppResult<bool> {
    Ok(get(db, REGISTRATION_OPEN)
        .await?
        .and_then(|v| v.as_bool())
        .unwrap_or(false))
}

/// The role self-registered accounts get. Default: viewer. Never admin.
pub async fn default_role<C: ConnectionTrait>(db: &C) -> AppResult<Role> {
    let role = get(db, DEFAULT_ROLE)
        .await?
        .and_then(|v| v.as_str().map(str::to_string));
    Ok(match role.as_deref() {
        Some("member") => Role::Member,
        _ => Role::Viewer,
    })
}

/// Whether applications may clone repositories from Ployer's own disk (`file://`). Default:
/// no — whoever may edit an app could otherwise read any repository the server can.
pub async fn allow_local_git_paths<C: ConnectionTrait>(db: &C) -> AppResult<bool> {
    Ok(get(db, ALLOW_LOCAL_GIT_PATHS)
        .await?
        .and_then(|v| v.as_bool())
        .unwrap_or(false))
}

/// The host directories under which an admin may mount directories into applications.
/// Default: none (host mounts are off).
pub async fn allowed_bind_paths<C: ConnectionTrait>(db: &C) -> AppResult<Vec<std::path::PathBuf>> {
    Ok(get(db, ALLOWED_BIND_PATHS)
        .await?
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(std::path::PathBuf::from))
        .collect())
}

pub struct Settings {
    pub registration_open: bool,
    pub default_role: Role,
    pub allow_local_git_paths: bool,
    pub allowed_bind_paths: Vec<std::path::PathBuf>,
}

pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<Settings> {
    Ok(Settings {
        registration_open: registration_open(db).await?,
        default_role: default_role(db).await?,
        allow_local_git_paths: allow_local_git_paths(db).await?,
        allowed_bind_paths: allowed_bind_paths(db).await?,
    })
}

/// Changes to the settings; `None` keeps the current value.
#[derive(Default)]
pub struct SettingsChange {
    pub registration_open: Option<bool>,
    pub default_role: Option<Role>,
    pub allow_local_git_paths: Option<bool>,
    /// Each must exist and be clear of the system's and Ployer's directories (`private`).
    pub allowed_bind_paths: Option<Vec<String>>,
}

/// Applies `change`; `private` are Ployer's own directories, which no allowed mount
/// directory may overlap. Nothing is stored unless every value is valid.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    change: SettingsChange,
    private: &[std::path::PathBuf],
) -> AppResult<Settings> {
    let SettingsChange {
        registration_open,
        default_role,
        allow_local_git_paths,
        allowed_bind_paths,
    } = change;
    let allowed_bind_paths = allowed_bind_paths
        .map(|paths| {
            let mut roots = Vec::with_capacity(paths.len());
            for raw in &paths {
                let root = crate::validate::mounts::allowed_root("allowedBindPaths", raw, private)?;
                if !roots.contains(&root) {
                    roots.push(root);
                }
            }
            AppResult::Ok(roots)
        })
        .transpose()?;
    if default_role == Some(Role::Admin) {
        return Err(AppError::bad_input(
            "defaultRole",
            "self-registered accounts cannot be admins",
        ));
    }
    if let Some(open) = registration_open {
        put(db, REGISTRATION_OPEN, serde_json::Value::Bool(open)).await?;
    }
    if let Some(role) = default_role {
        put(db, DEFAULT_ROLE, serde_json::Value::String(role.as_str().into())).await?;
    }
    if let Some(allow) = allow_local_git_paths {
        put(db, ALLOW_LOCAL_GIT_PATHS, serde_json::Value::Bool(allow)).await?;
    }
    if let Some(roots) = allowed_bind_paths {
        let list = roots
            .iter()
            .map(|r| serde_json::Value::String(r.display().to_string()))
            .collect();
        put(db, ALLOWED_BIND_PATHS, serde_json::Value::Array(list)).await?;
    }
    load(db).await
}
