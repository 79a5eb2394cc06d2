//! `AppState`: built once in `startup` and shared by the HTTP layer, resolvers and workers.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use hickory_resolver::TokioAsyncResolver;

use crate::{
    audit::Audit,
    auth::{rate_limit::LoginLimiter, Authenticator},
    config::Config,
    crypto::Crypto,
    deploy::Deployer,
    events::Events,
    system::HostSampler,
};

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    pub auth: Authenticator,
    pub login_limiter: LoginLimiter,
    pub host: Arc<HostSampler>,
    pub docker: crate::docker::Engine,
    /// Encrypts secrets at rest under the master key (never the JWT secret).
    pub crypto: Crypto,
    pub resolver: Arc<TokioAsyncResolver>,
    pub deployer: Deployer,
    /// Every live event, for subscriptions.
    pub events: Events,
    /// Where mutations and sign-ins are recorded.
    pub audit: Audit,
    /// What `GET /metrics` reports.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The SSH connections to remote servers, kept between uses.
    pub remotes: crate::remote::Pool,
}
