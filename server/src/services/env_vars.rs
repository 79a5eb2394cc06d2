//! Environment variables of an application. Every value is encrypted at rest, bound to its
//! application and key; secret values are never part of a listing, only of an explicit
//! reveal.

use crate::ids::AppId;
use chrono::Utc;
use entities::environment_variables as env_vars;
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::{
    crypto::{Binding, Crypto},
    error::{AppError, AppResult},
    services::applications,
    validate::env::{self as rules, EnvKey},
};

pub const MAX_VARS_PER_APP: usize = 500;

/// A variable as readers see it: `value` is `None` for secrets.
pub struct EnvVarView {
    pub key: String,
    pub value: Option<String>,
    pub is_secret: bool,
    pub is_build_time: bool,
    pub updated_at: chrono::DateTime<Utc>,
}

pub struct NewVar {
    pub key: String,
    pub value: String,
    pub is_secret: bool,
    pub is_build_time: bool,
}

/// Creates or replaces one variable.
pub async fn set(db: &DatabaseConnection, crypto: &Crypto, app_id: &AppId, var: NewVar) -> AppResult<EnvVarView> {
    applications::find(db, app_id).await?;
    let key = EnvKey::parse(&var.key)?;
    let value = rules::value(&var.value)?;
    let count = list_rows(db, app_id).await?.len();
    let exists = find_row(db, app_id, key.as_str()).await?.is_some();
    if !exists && count >= MAX_VARS_PER_APP {
        return Err(AppError::bad_input(
            "key",
            format!("an application has at most {MAX_VARS_PER_APP} variables"),
        ));
    }
    upsert(db, crypto, app_id, &key, value, var.is_secret, var.is_build_time).await?;
    let row = find_row(db, app_id, key.as_str())
        .await?
        .ok_or_else(|| AppError::not_found("variable"))?;
    view(crypto, &row)
}

async fn upsert<C: ConnectionTrait>(
    db: &C,
    crypto: &Crypto,
    app_id: &str,
    key: &EnvKey,
    value: &str,
    is_secret: bool,
    is_build_time: bool,
) -> AppResult<()> {
    let sealed = crypto.seal(
        value.as_bytes(),
        Binding::EnvVar {
            application_id: app_id,
            key: key.as_str(),
        },
    )?;
    let now = Utc::now();
    let row = env_vars::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        application_id: Set(app_id.to_string()),
        key: Set(key.as_str().to_string()),
        value_ciphertext: Set(sealed.ciphertext),
        value_nonce: Set(sealed.nonce),
        is_secret: Set(is_secret),
        is_build_time: Set(is_build_time),
        created_at: Set(now),
        updated_at: Set(now),
    };
    env_vars::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([env_vars::Column::ApplicationId, env_vars::Column::Key])
                .update_columns([
                    env_vars::Column::ValueCiphertext,
                    env_vars::Column::ValueNonce,
                    env_vars::Column::IsSecret,
                    env_vars::Column::IsBuildTime,
                    env_vars::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &DatabaseConnection, app_id: &AppId, key: &str) -> AppResult<()> {
    applications::find(db, app_id).await?;
    let row = find_row(db, app_id, key)
        .await?
        .ok_or_else(|| AppError::not_found("variable"))?;
    env_vars::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(())
}

pub async fn list(db: &DatabaseConnection, crypto: &Crypto, app_id: &AppId) -> AppResult<Vec<EnvVarView>> {
    list_rows(db, app_id)
        .await?
        .iter()
        .map(|row| view(crypto, row))
        .collect()
}

/// One value in clear, secret or not. The caller has checked the role.
pub async fn reveal(db: &DatabaseConnection, crypto: &Crypto, app_id: &AppId, key: &str) -> AppResult<String> {
    applications::find(db, app_id).await?;
    let row = find_row(db, app_id, key)
        .await?
        .ok_or_else(|| AppError::not_found("variable"))?;
    decrypt(crypto, &row)
}

/// Every variable decrypted, for the pipeline that starts containers.
pub async fn decrypted(db: &DatabaseConnection, crypto: &Crypto, app_id: &AppId) -> AppResult<Vec<(NewVar, bool)>> {
    decrypted_where(db, crypto, app_id, |_| true).await
}

/// Only the build-time variables decrypted, for a build: the others stay sealed until the
/// container starts.
pub async fn decrypted_build_time(
    db: &DatabaseConnection,
    crypto: &Crypto,
    app_id: &AppId,
) -> AppResult<Vec<(NewVar, bool)>> {
    decrypted_where(db, crypto, app_id, |row| row.is_build_time).await
}

async fn decrypted_where(
    db: &DatabaseConnection,
    crypto: &Crypto,
    app_id: &str,
    wanted: impl Fn(&env_vars::Model) -> bool,
) -> AppResult<Vec<(NewVar, bool)>> {
    let rows = list_rows(db, app_id).await?;
    rows.iter()
        .filter(|row| wanted(row))
        .map(|row| {
            let var = NewVar {
                key: row.key.clone(),
                value: decrypt(crypto, row)?,
                is_secret: row.is_secret,
                is_build_time: row.is_build_time,
            };
            Ok((var, row.is_secret))
        })
        .collect()
}

/// Imports a pasted `.env` text: all variables or none. Every bad line is reported by number.
pub async fn import(
    db: &DatabaseConnection,
    crypto: &Crypto,
    app_id: &AppId,
    text: &str,
    is_secret: bool,
    is_build_time: bool,
) -> AppResult<Vec<String>> {
    applications::find(db, app_id).await?;
    if text.len() > 1024 * 1024 {
        return Err(AppError::bad_input("content", "must be at most 1 MiB"));
    }
    let parsed = ployer_input::dotenv::parse(text)?;
    let existing: Vec<String> = list_rows(db, app_id).await?.into_iter().map(|r| r.key).collect();
    let new_keys = parsed
        .iter()
        .filter(|(k, _)| !existing.iter().any(|e| e == k.as_str()))
        .count();
    if existing.len() + new_keys > MAX_VARS_PER_APP {
        return Err(AppError::bad_input(
            "content",
            format!("an application has at most {MAX_VARS_PER_APP} variables"),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    for (key, value) in &parsed {
        upsert(&txn, crypto, app_id, key, value, is_secret, is_build_time).await?;
    }
    txn.commit().await?;
    Ok(parsed.into_iter().map(|(k, _)| k.as_str().to_string()).collect())
}

async fn list_rows<C: ConnectionTrait>(db: &C, app_id: &str) -> AppResult<Vec<env_vars::Model>> {
    Ok(env_vars::Entity::find()
        .filter(env_vars::Column::ApplicationId.eq(app_id))
        .order_by_asc(env_vars::Column::Key)
        .all(db)
        .await?)
}

async fn find_row<C: ConnectionTrait>(db: &C, app_id: &str, key: &str) -> AppResult<Option<env_vars::Model>> {
    Ok(env_vars::Entity::find()
        .filter(env_vars::Column::ApplicationId.eq(app_id))
        .filter(env_vars::Column::Key.eq(key))
        .one(db)
        .await?)
}

fn decrypt(crypto: &Crypto, row: &env_vars::Model) -> AppResult<String> {
    crypto.open_string(
        &row.value_ciphertext,
        &row.value_nonce,
        Binding::EnvVar {
            application_id: &row.application_id,
            key: &row.key,
        },
    )
}

fn view(crypto: &Crypto, row: &env_vars::Model) -> AppResult<EnvVarView> {
    let value = if row.is_secret {
        None
    } else {
        Some(decrypt(crypto, row)?)
    };
    Ok(EnvVarView {
        key: row.key.clone(),
        value,
        is_secret: row.is_secret,
        is_build_time: row.is_build_time,
        updated_at: row.updated_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_build_decrypts_only_its_build_time_variables() {
        let (_dir, db) = crate::test_support::test_db().await;
        crate::test_support::app_row(&db, "a", None).await;
        let crypto = Crypto::new(&[7u8; 32]);
        for (key, is_build_time) in [("BUILD_ONLY", true), ("RUNTIME_ONLY", false)] {
            let var = NewVar {
                key: key.into(),
                value: format!("{key}-value"),
                is_secret: true,
                is_build_time,
            };
            set(&db, &crypto, &AppId::from("a"), var).await.unwrap();
        }
        let keys = |vars: Vec<(NewVar, bool)>| vars.into_iter().map(|(v, _)| v.key).collect::<Vec<_>>();
        assert_eq!(
            keys(decrypted_build_time(&db, &crypto, &AppId::from("a")).await.unwrap()),
            ["BUILD_ONLY"]
        );
        assert_eq!(
            keys(decrypted(&db, &crypto, &AppId::from("a")).await.unwrap()),
            ["BUILD_ONLY", "RUNTIME_ONLY"]
        );
    }
}
