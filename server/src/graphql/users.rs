//! Accounts, sessions, API keys and installation settings over GraphQL.
//!
//! A session token goes either into the response body (for API clients, which send it back
//! as `Authorization: Bearer`) or, when a browser asks with `cookie: true`, into the
//! HttpOnly `ployer_session` cookie, where no script can read it (see `auth::cookie`).

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use axum::http::header;

use super::types::user::{ApiKey, ApiKeyScopeGql, RoleGql, Settings, User};
use super::{principal, state, ClientAddr};
use crate::{
    auth::cookie::{self, CanSetCookie, FromCookie},
    error::AppError,
    services,
    state::AppState,
};
use entities::api_keys::Scope;

#[derive(SimpleObject)]
pub struct AuthPayload {
    /// A session token: send it as `Authorization: Bearer <token>`. Null when the session
    /// went into a cookie.
    token: Option<String>,
    user: User,
}

/// Where a new session token goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Delivery {
    Body,
    Cookie,
}

impl Delivery {
    /// Decided before anything changes: a cookie needs an HTTP response to travel in.
    fn choose(ctx: &Context<'_>, into_cookie: bool) -> Result<Self, AppError> {
        if !into_cookie {
            return Ok(Self::Body);
        }
        if ctx.data_opt::<CanSetCookie>().is_none() {
            return Err(AppError::BadInput {
                field: None,
                message: "a session cookie can only be set by an HTTP request (POST /graphql)".into(),
            });
        }
        Ok(Self::Cookie)
    }

    fn deliver(self, ctx: &Context<'_>, state: &AppState, session: services::users::Session) -> AuthPayload {
        let token = match self {
            Self::Body => Some(session.token),
            Self::Cookie => {
                let value = cookie::set(&session.token, state.config.jwt_lifetime_seconds, secure_cookie(state));
                ctx.append_http_header(header::SET_COOKIE, value);
                None
            }
        };
        AuthPayload {
            token,
            user: User(session.user),
        }
    }
}

/// `Secure` whenever Ployer is reached over HTTPS.
/// A sign-in, successful or not, in the audit log: the email that was tried (as the service
/// compares it), never the password.
fn record_sign_in(
    state: &AppState,
    client: std::net::IpAddr,
    email: &str,
    result: &Result<services::users::Session, AppError>,
) {
    let tried: String = email.trim().to_lowercase().chars().take(254).collect();
    let (actor, outcome, message) = match result {
        Ok(session) => (
            crate::audit::Actor {
                user_id: Some(session.user.id.clone()),
                api_key_id: None,
                label: session.user.email.clone(),
            },
            "ok".to_string(),
            None,
        ),
        Err(err) => (
            crate::audit::Actor {
                label: tried,
                ..crate::audit::Actor::anonymous()
            },
            err.code().to_string(),
            Some(err.message()),
        ),
    };
    let object = actor.user_id.clone().map(|id| ("user".to_string(), id));
    state.audit.record(crate::audit::Entry {
        actor,
        source_ip: Some(client),
        action: "login".into(),
        object,
        outcome,
        message,
    });
}

fn secure_cookie(state: &AppState) -> bool {
    state.config.public_url().starts_with("https://")
}

/// Drops the browser's session cookie, where the response can carry `Set-Cookie`.
fn clear_cookie(ctx: &Context<'_>, state: &AppState) {
    if ctx.data_opt::<CanSetCookie>().is_some() {
        ctx.append_http_header(header::SET_COOKIE, cookie::clear(secure_cookie(state)));
    }
}

#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    /// The key itself. Shown this once; only a hash is stored.
    key: String,
    api_key: ApiKey,
}

#[derive(SimpleObject)]
pub struct ApiKeyPayload {
    api_key: ApiKey,
}

#[derive(SimpleObject)]
pub struct UserPayload {
    user: User,
}

#[derive(SimpleObject)]
pub struct DeleteUserPayload {
    deleted_user_id: ID,
}

#[derive(SimpleObject)]
pub struct LogoutPayload {
    ok: bool,
}

#[derive(SimpleObject)]
pub struct LogoutEverywherePayload {
    /// Sessions issued before now no longer work.
    ok: bool,
}

#[derive(InputObject)]
pub struct RegisterInput {
    email: String,
    password: String,
    /// Put the session into the HttpOnly `ployer_session` cookie instead of returning it
    /// (`token` is then null). For browsers; API clients leave it false.
    #[graphql(default = false)]
    cookie: bool,
}

#[derive(InputObject)]
pub struct LoginInput {
    email: String,
    password: String,
    /// Put the session into the HttpOnly `ployer_session` cookie instead of returning it
    /// (`token` is then null). For browsers; API clients leave it false.
    #[graphql(default = false)]
    cookie: bool,
}

#[derive(InputObject)]
pub struct ChangePasswordInput {
    current_password: String,
    new_password: String,
}

#[derive(InputObject)]
pub struct CreateApiKeyInput {
    name: String,
    /// Defaults to your own role; cannot exceed it. `VIEWER` makes a read-only key.
    role: Option<RoleGql>,
    /// Days until the key stops working (1-3650); no expiry when absent.
    expires_in_days: Option<i32>,
    /// `API` (the default) calls the API with `role`; `METRICS` reads `GET /metrics` and
    /// nothing else (admins only).
    scope: Option<ApiKeyScopeGql>,
}

#[derive(InputObject)]
pub struct RevokeApiKeyInput {
    id: ID,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    email: String,
    password: String,
    role: RoleGql,
}

#[derive(InputObject)]
pub struct UpdateUserRoleInput {
    user_id: ID,
    role: RoleGql,
}

#[derive(InputObject)]
pub struct DeleteUserInput {
    user_id: ID,
}

#[derive(InputObject)]
pub struct UpdateSettingsInput {
    registration_open: Option<bool>,
    default_role: Option<RoleGql>,
    allow_local_git_paths: Option<bool>,
    /// Host directories (absolute, existing) under which admins may mount directories into
    /// applications; replaces the list. `[]` turns host mounts off. None may be, hold or sit
    /// inside `/`, the system's directories, the Docker engine's or Ployer's data.
    allowed_bind_paths: Option<Vec<String>>,
}

#[derive(Default)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let state = state(ctx)?;
        Ok(User(services::users::get(&state.db, &principal(ctx)?.user_id).await?))
    }

    /// Every account (admin).
    async fn users(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        Ok(services::users::list(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(User)
            .collect())
    }

    /// Your API keys, revoked ones included.
    async fn api_keys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiKey>> {
        let state = state(ctx)?;
        Ok(services::api_keys::list(&state.db, principal(ctx)?)
            .await?
            .into_iter()
            .map(ApiKey)
            .collect())
    }

    /// Installation settings (admin).
    async fn settings(&self, ctx: &Context<'_>) -> async_graphql::Result<Settings> {
        Ok(services::settings::load(&state(ctx)?.db).await?.into())
    }
}

#[derive(Default)]
pub struct UsersMutation;

#[Object]
impl UsersMutation {
    /// Creates an account. The first account becomes the admin; afterwards only when an
    /// admin has opened registration.
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> async_graphql::Result<AuthPayload> {
        let state = state(ctx)?;
        let delivery = Delivery::choose(ctx, input.cookie)?;
        let session = services::users::register(&state.db, state.auth.tokens(), &input.email, &input.password).await?;
        Ok(delivery.deliver(ctx, state, session))
    }

    /// Exchanges an email and password for a session: a token, or with `cookie: true` the
    /// session cookie.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> async_graphql::Result<AuthPayload> {
        let state = state(ctx)?;
        let delivery = Delivery::choose(ctx, input.cookie)?;
        let client = ctx
            .data_opt::<ClientAddr>()
            .map(|c| c.0)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("client address missing")))?;
        let result = services::users::login(
            &state.db,
            state.auth.tokens(),
            &state.login_limiter,
            client,
            &input.email,
            &input.password,
        )
        .await;
        record_sign_in(state, client, &input.email, &result);
        Ok(delivery.deliver(ctx, state, result?))
    }

    /// Sets a new password and signs out every other session. The fresh session goes where
    /// this one came from: the cookie for a cookie session, else `token`.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> async_graphql::Result<AuthPayload> {
        let state = state(ctx)?;
        let user_id = &principal(ctx)?.user_id;
        let delivery = Delivery::choose(ctx, ctx.data_opt::<FromCookie>().is_some())?;
        let session = services::users::change_password(
            &state.db,
            state.auth.tokens(),
            user_id,
            &input.current_password,
            &input.new_password,
        )
        .await?;
        Ok(delivery.deliver(ctx, state, session))
    }

    /// Drops this browser's session cookie. Nothing is revoked: a copy of the token keeps
    /// working until it expires (`logoutEverywhere` revokes every session).
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<LogoutPayload> {
        clear_cookie(ctx, state(ctx)?);
        Ok(LogoutPayload { ok: true })
    }

    /// Ends every session of the signed-in user, this one included, and drops this
    /// browser's session cookie.
    async fn logout_everywhere(&self, ctx: &Context<'_>) -> async_graphql::Result<LogoutEverywherePayload> {
        let state = state(ctx)?;
        services::users::logout_everywhere(&state.db, &principal(ctx)?.user_id).await?;
        clear_cookie(ctx, state);
        Ok(LogoutEverywherePayload { ok: true })
    }

    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        input: CreateApiKeyInput,
    ) -> async_graphql::Result<CreateApiKeyPayload> {
        let state = state(ctx)?;
        let created = services::api_keys::create(
            &state.db,
            principal(ctx)?,
            &input.name,
            input.role.map(Into::into),
            input.expires_in_days,
            input.scope.map_or(Scope::Api, Into::into),
        )
        .await?;
        Ok(CreateApiKeyPayload {
            key: created.plaintext,
            api_key: ApiKey(created.key),
        })
    }

    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiKeyInput,
    ) -> async_graphql::Result<ApiKeyPayload> {
        let state = state(ctx)?;
        Ok(ApiKeyPayload {
            api_key: ApiKey(services::api_keys::revoke(&state.db, principal(ctx)?, &input.id).await?),
        })
    }

    /// Creates an account with any role, whatever the registration setting (admin).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> async_graphql::Result<UserPayload> {
        let state = state(ctx)?;
        let user = services::users::create(&state.db, &input.email, &input.password, input.role.into()).await?;
        Ok(UserPayload { user: User(user) })
    }

    /// Changes a role (admin). The last admin cannot be demoted.
    async fn update_user_role(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserRoleInput,
    ) -> async_graphql::Result<UserPayload> {
        let state = state(ctx)?;
        Ok(UserPayload {
            user: User(services::users::set_role(&state.db, &input.user_id, input.role.into()).await?),
        })
    }

    /// Deletes an account and its API keys (admin). The last admin cannot be deleted.
    async fn delete_user(&self, ctx: &Context<'_>, input: DeleteUserInput) -> async_graphql::Result<DeleteUserPayload> {
        services::users::delete(&state(ctx)?.db, &input.user_id).await?;
        Ok(DeleteUserPayload {
            deleted_user_id: input.user_id,
        })
    }

    async fn update_settings(&self, ctx: &Context<'_>, input: UpdateSettingsInput) -> async_graphql::Result<Settings> {
        let state = state(ctx)?;
        let change = services::settings::SettingsChange {
            registration_open: input.registration_open,
            default_role: input.default_role.map(Into::into),
            allow_local_git_paths: input.allow_local_git_paths,
            allowed_bind_paths: input.allowed_bind_paths,
        };
        Ok(
            services::settings::update(&state.db, change, &state.config.private_dirs())
                .await?
                .into(),
        )
    }
}
