//! `AppState`: built once in `startup` and shared by the HTTP layer, resolvers and workers.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use hickory_resolver::TokioAsyncResolver;

use crate::{
    auth::{rate_limit::LoginLimiter, Authenticator},
    config::Config,
    crypto::Crypto,
    deploy::Deployer,
    monitor::Monitor,
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
    /// Live health and stats events, for subscriptions.
    pub monitor: Monitor,
    /// The engine's own events (containers, networks, volumes, images), one stream shared
    /// by every subscriber.
    pub docker_events: crate::docker::events::EngineEvents,
}
