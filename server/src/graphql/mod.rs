//! The GraphQL schema: one `Query`, `Mutation` and `Subscription`, merged from one module
//! per domain holding only its operations (with their inputs and payloads); the object types
//! they return are in `types`, a leaf. `page` is the one pagination helper. Resolvers are
//! thin: they read the state, call a service, wrap the result. Limits (depth, complexity,
//! directives, recursion) apply before anything executes; who may call what is decided in
//! `access`.

pub mod access;
pub mod app_config;
pub mod apps;
pub mod audit;
pub mod clusters;
pub mod dashboard;
pub mod deployments;
pub mod docker;
pub mod monitoring;
pub mod observe;
pub mod page;
pub mod servers;
pub mod types;
pub mod users;
pub mod webhooks;

use async_graphql::{Context, MergedObject, MergedSubscription, Object, Schema};

use crate::{
    auth::Principal,
    error::{AppError, AppResult},
    state::AppState,
};

#[derive(MergedObject, Default)]
pub struct Query(
    HealthQuery,
    users::UsersQuery,
    servers::ServersQuery,
    clusters::ClustersQuery,
    apps::AppsQuery,
    deployments::DeploymentsQuery,
    docker::DockerQuery,
    dashboard::DashboardQuery,
    audit::AuditQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    users::UsersMutation,
    servers::ServersMutation,
    clusters::ClustersMutation,
    apps::AppsMutation,
    app_config::AppConfigMutation,
    deployments::DeploymentsMutation,
    webhooks::WebhooksMutation,
    docker::DockerMutation,
);

#[derive(MergedSubscription, Default)]
pub struct Subscription(
    servers::ServersSubscription,
    deployments::DeploymentsSubscription,
    docker::DockerSubscription,
    monitoring::MonitoringSubscription,
    webhooks::WebhooksSubscription,
);

pub type PloyerSchema = Schema<Query, Mutation, Subscription>;

#[derive(Default)]
pub struct HealthQuery;

#[Object]
impl HealthQuery {
    /// Always "ok" while the API answers. Needs no sign-in.
    async fn health(&self) -> &'static str {
        "ok"
    }

    /// What a sign-in page offers: on the first run (no account yet) creating the admin,
    /// later registration while an admin keeps it open. Needs no sign-in.
    async fn registration(&self, ctx: &Context<'_>) -> async_graphql::Result<Registration> {
        let registration = crate::services::users::registration(&state(ctx)?.db).await?;
        Ok(Registration {
            first_run: registration.first_run,
            open: registration.open,
        })
    }
}

#[derive(async_graphql::SimpleObject)]
pub struct Registration {
    /// No account exists yet: `register` creates the admin.
    first_run: bool,
    /// `register` is accepted now.
    open: bool,
}

pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub introspection: bool,
}

pub fn build_schema(state: Option<AppState>, limits: &Limits) -> PloyerSchema {
    let mut builder = Schema::build(Query::default(), Mutation::default(), Subscription::default());
    // First, so that it sees what the access check refuses.
    if let Some(state) = &state {
        let sinks = observe::Sinks {
            audit: state.audit.enabled().then(|| state.audit.clone()),
            metrics: state.config.metrics_enabled.then(|| state.metrics.clone()),
        };
        if sinks.audit.is_some() || sinks.metrics.is_some() {
            builder = builder.extension(observe::Observe(std::sync::Arc::new(sinks)));
        }
    }
    let mut builder = builder
        .extension(access::AccessControl)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(16);
    if !limits.introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// The SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    build_schema(
        None,
        &Limits {
            max_depth: 1,
            max_complexity: 1,
            introspection: true,
        },
    )
    .sdl()
}

pub(crate) fn state<'a>(ctx: &Context<'a>) -> AppResult<&'a AppState> {
    ctx.data::<AppState>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("application state missing from the schema")))
}

/// The signed-in caller. `access` has already refused anonymous callers where a field
/// needs one; this is how resolvers learn who it is.
pub(crate) fn principal<'a>(ctx: &Context<'a>) -> AppResult<&'a Principal> {
    ctx.data_opt::<Principal>()
        .ok_or_else(|| AppError::Unauthenticated("sign in first".into()))
}

/// The client's address as the socket saw it (never `X-Forwarded-For`).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub std::net::IpAddr);
