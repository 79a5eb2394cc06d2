//! Who is calling: turns an `Authorization` value (a session JWT or an API key) or the
//! browser's session cookie (a JWT only) into a [`Principal`] with an effective role. What a principal may do is decided in one place,
//! `graphql::access`; this module only establishes identity.

pub mod api_key;
pub mod cookie;
pub mod password;
pub mod rate_limit;
pub mod token;

use entities::{
    api_keys::{self, Scope},
    users,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::error::{AppError, AppResult};

/// Ordered: an admin can do everything a member can, a member everything a viewer can.
pub use entities::users::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Session,
    ApiKey { id: String },
}

/// An authenticated caller. `role` is the effective role: for an API key, the lower of the
/// key's scope and its owner's role.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: String,
    pub email: String,
    pub role: Role,
    pub credential: Credential,
}

impl Principal {
    pub fn is_session(&self) -> bool {
        self.credential == Credential::Session
    }
}

#[derive(Clone)]
pub struct Authenticator {
    db: DatabaseConnection,
    /// Shared: its keys and validation rules are several allocations, and the state that
    /// holds this is cloned for every request (and by every per-route layer).
    tokens: std::sync::Arc<token::Tokens>,
}

impl Authenticator {
    pub fn new(db: DatabaseConnection, tokens: token::Tokens) -> Self {
        Self {
            db,
            tokens: std::sync::Arc::new(tokens),
        }
    }

    pub fn tokens(&self) -> &token::Tokens {
        &self.tokens
    }

    /// `value` is a header value such as `Bearer <token or key>`. A `metrics` key is refused:
    /// it reads `GET /metrics` ([`Self::authenticate_metrics`]) and nothing else.
    pub async fn authenticate(&self, value: &str) -> AppResult<Principal> {
        let token = bearer(value)?;
        if api_key::looks_like_key(token) {
            let (key, user) = self.find_key(token).await?;
            if key.scope != Scope::Api {
                return Err(AppError::Forbidden(
                    "this API key is for `GET /metrics` only; create one with the API scope".into(),
                ));
            }
            return Ok(Principal {
                role: user.role.min(key.role),
                user_id: user.id,
                email: user.email,
                credential: Credential::ApiKey { id: key.id },
            });
        }
        self.authenticate_session(token).await
    }

    /// Whether `value` (`Bearer <key>`) may read the metrics: a live API key with the `metrics`
    /// scope whose owner is an admin now. `Unauthenticated` without a valid key, `Forbidden`
    /// for any other credential.
    pub async fn authenticate_metrics(&self, value: &str) -> AppResult<()> {
        let token = bearer(value)?;
        if !api_key::looks_like_key(token) {
            return Err(AppError::Forbidden(
                "metrics are read with an API key of the metrics scope".into(),
            ));
        }
        let (key, user) = self.find_key(token).await?;
        if key.scope != Scope::Metrics {
            return Err(AppError::Forbidden(
                "this API key does not have the metrics scope".into(),
            ));
        }
        if user.role != Role::Admin {
            return Err(AppError::Forbidden(
                "metrics keys work while their owner is an admin".into(),
            ));
        }
        Ok(())
    }

    /// A live (not revoked, not expired) key and its owner; records its use.
    async fn find_key(&self, token: &str) -> AppResult<(api_keys::Model, users::Model)> {
        let invalid = || AppError::Unauthenticated("invalid, expired or revoked credentials".into());
        let key = api_keys::Entity::find()
            .filter(api_keys::Column::KeyHash.eq(api_key::hash(token)))
            .one(&self.db)
            .await?
            .ok_or_else(invalid)?;
        let now = chrono::Utc::now();
        if key.revoked_at.is_some() || key.expires_at.is_some_and(|at| at <= now) {
            return Err(invalid());
        }
        let user = users::Entity::find_by_id(key.user_id.clone())
            .one(&self.db)
            .await?
            .ok_or_else(invalid)?;
        // Last use is informational; a failed write must not fail the request.
        let stale = key
            .last_used_at
            .is_none_or(|at| now - at > chrono::Duration::minutes(1));
        if stale {
            let mut active: api_keys::ActiveModel = key.clone().into();
            active.last_used_at = Set(Some(now));
            if let Err(err) = active.update(&self.db).await {
                tracing::warn!(error = %err, "could not record API key use");
            }
        }
        Ok((key, user))
    }

    /// A session JWT alone, as the session cookie carries it; API keys are refused.
    pub async fn authenticate_session(&self, token: &str) -> AppResult<Principal> {
        let invalid = || AppError::Unauthenticated("invalid, expired or revoked credentials".into());
        let claims = self.tokens.verify(token).ok_or_else(invalid)?;
        let user = users::Entity::find_by_id(claims.sub)
            .one(&self.db)
            .await?
            .ok_or_else(invalid)?;
        if user.token_version != claims.ver {
            return Err(invalid());
        }
        Ok(Principal {
            role: user.role,
            user_id: user.id,
            email: user.email,
            credential: Credential::Session,
        })
    }
}

/// The token of `Bearer <token>`.
fn bearer(value: &str) -> AppResult<&str> {
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AppError::Unauthenticated("expected `Bearer <token or API key>`".into()))
}
