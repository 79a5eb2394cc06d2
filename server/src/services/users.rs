//! Accounts: registration, login, passwords, sessions, roles. The rules that keep an
//! installation administrable (the first user is admin, the last admin stays) live here.

use std::net::IpAddr;

use chrono::Utc;
use entities::users;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use tracing::instrument;
use uuid::Uuid;

use crate::{
    auth::{password, password::Password, rate_limit::LoginLimiter, token::Tokens, Role},
    error::{AppError, AppResult},
    services::settings,
    validate::Email,
};

pub struct Session {
    pub token: String,
    pub user: users::Model,
}

const BAD_LOGIN: &str = "invalid email or password";

/// Self-registration. The very first account becomes admin; later ones need registration
/// to be open (an admin setting) and start as viewers.
#[instrument(skip_all)]
pub async fn register(db: &DatabaseConnection, tokens: &Tokens, email: &str, password: &str) -> AppResult<Session> {
    let email = Email::parse(email)?;
    let password = Password::parse(password, email.as_str())?;
    let hash = password::hash(&password).await?;
    let txn = crate::db::begin_write(db).await?;
    let is_first = users::Entity::find().count(&txn).await? == 0;
    if !is_first && !settings::registration_open(&txn).await? {
        return Err(AppError::Forbidden(
            "registration is closed; ask an administrator for an account".into(),
        ));
    }
    let role = if is_first {
        Role::Admin
    } else {
        settings::default_role(&txn).await?
    };
    let user = insert(&txn, &email, hash, role).await?;
    txn.commit().await?;
    tracing::info!(user_id = %user.id, role = %role, "account registered");
    Ok(Session {
        token: tokens.issue(&user.id, user.token_version)?,
        user,
    })
}

/// Whether a sign-up form makes sense: before the first account exists anyone may create
/// the admin; afterwards only while an admin keeps registration open.
pub async fn registration(db: &DatabaseConnection) -> AppResult<Registration> {
    let first_run = users::Entity::find().count(db).await? == 0;
    Ok(Registration {
        first_run,
        open: first_run || settings::registration_open(db).await?,
    })
}

pub struct Registration {
    pub first_run: bool,
    pub open: bool,
}

/// An admin creates an account directly, whatever the registration setting.
#[instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, email: &str, password: &str, role: Role) -> AppResult<users::Model> {
    let email = Email::parse(email)?;
    let password = Password::parse(password, email.as_str())?;
    let hash = password::hash(&password).await?;
    insert(db, &email, hash, role).await
}

async fn insert<C: sea_orm::ConnectionTrait>(
    db: &C,
    email: &Email,
    hash: String,
    role: Role,
) -> AppResult<users::Model> {
    if find_by_email(db, email.as_str()).await?.is_some() {
        return Err(AppError::Conflict("an account with this email already exists".into()));
    }
    let now = Utc::now();
    let user = users::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        email: Set(email.as_str().to_string()),
        password_hash: Set(hash),
        role: Set(role),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(user.insert(db).await?)
}

async fn find_by_email<C: sea_orm::ConnectionTrait>(db: &C, email: &str) -> AppResult<Option<users::Model>> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email.to_lowercase()))
        .one(db)
        .await?)
}

/// A wrong email and a wrong password get the same answer in about the same time.
#[instrument(skip_all)]
pub async fn login(
    db: &DatabaseConnection,
    tokens: &Tokens,
    limiter: &LoginLimiter,
    client: IpAddr,
    email: &str,
    password: &str,
) -> AppResult<Session> {
    let email = email.trim().to_lowercase();
    if !limiter.attempt(client, &email) {
        return Err(AppError::RateLimited(
            "too many login attempts; wait a minute and try again".into(),
        ));
    }
    let user = if email.len() <= 254 {
        find_by_email(db, &email).await?
    } else {
        None
    };
    let ok = password::verify(user.as_ref().map(|u| u.password_hash.clone()), password).await;
    match user {
        Some(user) if ok => Ok(Session {
            token: tokens.issue(&user.id, user.token_version)?,
            user,
        }),
        _ => {
            tracing::info!(%client, "failed login");
            Err(AppError::Unauthenticated(BAD_LOGIN.into()))
        }
    }
}

pub async fn get(db: &DatabaseConnection, id: &str) -> AppResult<users::Model> {
    users::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("user"))
}

pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<users::Model>> {
    Ok(users::Entity::find()
        .order_by_asc(users::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Checks the current password, stores the new one and ends every other session.
#[instrument(skip_all, fields(user_id = %user_id))]
pub async fn change_password(
    db: &DatabaseConnection,
    tokens: &Tokens,
    user_id: &str,
    current: &str,
    new: &str,
) -> AppResult<Session> {
    let user = get(db, user_id).await?;
    if !password::verify(Some(user.password_hash.clone()), current).await {
        return Err(AppError::bad_input("currentPassword", "the current password is wrong"));
    }
    let new = Password::parse(new, &user.email)?;
    let user = set_password(db, user, &new).await?;
    Ok(Session {
        token: tokens.issue(&user.id, user.token_version)?,
        user,
    })
}

/// Used by `ployer reset-password`: no current password, every session ends.
pub async fn reset_password(db: &DatabaseConnection, email: &str, new: &str) -> AppResult<users::Model> {
    let email = Email::parse(email)?;
    let user = find_by_email(db, email.as_str())
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    let new = Password::parse(new, &user.email)?;
    set_password(db, user, &new).await
}

async fn set_password(db: &DatabaseConnection, user: users::Model, new: &Password) -> AppResult<users::Model> {
    let hash = password::hash(new).await?;
    let version = user.token_version.wrapping_add(1);
    let mut active: users::ActiveModel = user.into();
    active.password_hash = Set(hash);
    active.token_version = Set(version);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Invalidates every session token of the user.
pub async fn logout_everywhere(db: &DatabaseConnection, user_id: &str) -> AppResult<()> {
    let user = get(db, user_id).await?;
    let version = user.token_version.wrapping_add(1);
    let mut active: users::ActiveModel = user.into();
    active.token_version = Set(version);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

/// Changes a role; the installation always keeps at least one admin.
#[instrument(skip_all, fields(user_id = %user_id))]
pub async fn set_role(db: &DatabaseConnection, user_id: &str, role: Role) -> AppResult<users::Model> {
    let txn = crate::db::begin_write(db).await?;
    let user = users::Entity::find_by_id(user_id.to_string())
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    if user.role == Role::Admin && role != Role::Admin {
        ensure_another_admin(&txn).await?;
    }
    let mut active: users::ActiveModel = user.into();
    active.role = Set(role);
    // A demotion takes effect now, not when old tokens expire.
    active.token_version = Set(active.token_version.as_ref().wrapping_add(1));
    active.updated_at = Set(Utc::now());
    let user = active.update(&txn).await?;
    txn.commit().await?;
    Ok(user)
}

#[instrument(skip_all, fields(user_id = %user_id))]
pub async fn delete(db: &DatabaseConnection, user_id: &str) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let user = users::Entity::find_by_id(user_id.to_string())
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    if user.role == Role::Admin {
        ensure_another_admin(&txn).await?;
    }
    users::Entity::delete_by_id(user.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

async fn ensure_another_admin<C: sea_orm::ConnectionTrait>(db: &C) -> AppResult<()> {
    let admins = users::Entity::find()
        .filter(users::Column::Role.eq(Role::Admin))
        .count(db)
        .await?;
    if admins <= 1 {
        return Err(AppError::Conflict("the last admin cannot be removed or demoted".into()));
    }
    Ok(())
}
