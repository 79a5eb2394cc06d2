//! Users, their roles and API keys, and the installation's settings.

use crate::{
    auth::{self},
    services,
};
use async_graphql::{Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::{api_keys, users};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Role", remote = "auth::Role")]
pub enum RoleGql {
    Admin,
    Member,
    Viewer,
}

pub struct User(pub users::Model);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn role(&self) -> RoleGql {
        self.0.role.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "ApiKeyScope", remote = "api_keys::Scope")]
pub enum ApiKeyScopeGql {
    /// Calls the GraphQL API with the key's role.
    Api,
    /// Reads `GET /metrics` and nothing else.
    Metrics,
}

pub struct ApiKey(pub api_keys::Model);

#[Object]
impl ApiKey {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The first characters of the key, to tell keys apart.
    async fn prefix(&self) -> &str {
        &self.0.key_prefix
    }
    /// The most this key may do (never more than its owner).
    async fn role(&self) -> RoleGql {
        self.0.role.into()
    }
    /// What the key may be used for.
    async fn scope(&self) -> ApiKeyScopeGql {
        self.0.scope.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}

#[derive(SimpleObject)]
pub struct Settings {
    /// Whether anyone may register once the first (admin) account exists.
    pub(crate) registration_open: bool,
    /// The role self-registered accounts get.
    pub(crate) default_role: RoleGql,
    /// Whether applications may clone repositories from this server's disk
    /// (`file:///srv/git/app.git`). Off by default.
    pub(crate) allow_local_git_paths: bool,
    /// Host directories under which admins may mount directories into applications (canonical
    /// paths). Empty: host mounts are off.
    pub(crate) allowed_bind_paths: Vec<String>,
}

impl From<services::settings::Settings> for Settings {
    fn from(s: services::settings::Settings) -> Self {
        Self {
            registration_open: s.registration_open,
            default_role: s.default_role.into(),
            allow_local_git_paths: s.allow_local_git_paths,
            allowed_bind_paths: s.allowed_bind_paths.iter().map(|p| p.display().to_string()).collect(),
        }
    }
}
