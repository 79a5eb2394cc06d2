//! API keys for integrations. The plaintext exists only in the create answer; the database
//! holds a hash. A key never acts above its owner's role.

use chrono::Utc;
use entities::api_keys::{self, Scope};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::{
    auth::{api_key, Principal, Role},
    error::{AppError, AppResult},
    validate,
};

pub struct CreatedKey {
    pub plaintext: String,
    pub key: api_keys::Model,
}

pub async fn create(
    db: &DatabaseConnection,
    owner: &Principal,
    name: &str,
    role: Option<Role>,
    expires_in_days: Option<i32>,
    scope: Scope,
) -> AppResult<CreatedKey> {
    let name = validate::text("name", name, 100)?;
    let role = match scope {
        Scope::Api => role.unwrap_or(owner.role),
        Scope::Metrics if owner.role < Role::Admin => {
            return Err(AppError::Forbidden("only an admin can create a metrics key".into()))
        }
        Scope::Metrics if role.is_some() => {
            return Err(AppError::bad_input("role", "a metrics key has no role; leave it out"))
        }
        // Unused: a metrics key calls no API. The lowest, should that ever change.
        Scope::Metrics => Role::Viewer,
    };
    if role > owner.role {
        return Err(AppError::Forbidden(
            "an API key cannot have more rights than its owner".into(),
        ));
    }
    let expires_at = match expires_in_days {
        None => None,
        Some(days) if (1..=3650).contains(&days) => Some(Utc::now() + chrono::Duration::days(days.into())),
        Some(_) => return Err(AppError::bad_input("expiresInDays", "must be between 1 and 3650")),
    };
    let generated = api_key::generate();
    let key = api_keys::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        user_id: Set(owner.user_id.clone()),
        name: Set(name),
        key_hash: Set(generated.hash),
        key_prefix: Set(generated.shown_prefix),
        role: Set(role),
        scope: Set(scope),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        expires_at: Set(expires_at),
    }
    .insert(db)
    .await?;
    Ok(CreatedKey {
        plaintext: generated.plaintext,
        key,
    })
}

/// The caller's own keys, newest first.
pub async fn list(db: &DatabaseConnection, owner: &Principal) -> AppResult<Vec<api_keys::Model>> {
    Ok(api_keys::Entity::find()
        .filter(api_keys::Column::UserId.eq(owner.user_id.clone()))
        .order_by_desc(api_keys::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Revokes one of the caller's keys (admins may revoke anyone's). Someone else's key is
/// "not found" to a non-admin, so ids cannot be probed.
pub async fn revoke(db: &DatabaseConnection, caller: &Principal, id: &str) -> AppResult<api_keys::Model> {
    let key = api_keys::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .filter(|k| k.user_id == caller.user_id || caller.role == Role::Admin)
        .ok_or_else(|| AppError::not_found("API key"))?;
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    let mut active: api_keys::ActiveModel = key.into();
    active.revoked_at = Set(Some(Utc::now()));
    Ok(active.update(db).await?)
}
