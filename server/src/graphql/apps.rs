//! Applications over GraphQL: list, read, create, update and delete (the `Application` type
//! is in `types::application`). Sub-resources (env vars, domains, keys, webhooks, health
//! checks) are changed through `app_config`.

use super::page::{self, Page};
use crate::ids::AppId;
use async_graphql::{connection::Connection, Context, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

use super::state;
use super::types::application::{
    Application, ApplicationStatusGql, BuildStrategyGql, CutoverOrderGql, RestartPolicyGql,
};
use crate::{
    error::AppError,
    services::{self, applications as apps},
    state::AppState,
    validate::source::ReservedPorts,
};

pub(crate) fn context(state: &AppState) -> apps::Context<'_> {
    // Ployer's own port, the configured Caddy admin port and Caddy's well-known one.
    let mut reserved = vec![state.config.listen.port(), 2019];
    if let Some(port) = state
        .config
        .caddy_admin
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
    {
        reserved.push(port);
    }
    apps::Context {
        db: &state.db,
        crypto: &state.crypto,
        base_domain: &state.config.base_domain,
        reserved_ports: ReservedPorts(reserved),
        private_dirs: state.config.private_dirs(),
    }
}

#[derive(InputObject)]
pub struct CreateApplicationInput {
    /// Lower-case letters, digits and '-', 1-63 characters; unique.
    name: String,
    description: Option<String>,
    /// Defaults to the local server.
    server_id: Option<ID>,
    /// https://, ssh://, git:// or git@host:path. Required for DOCKERFILE.
    git_url: Option<String>,
    /// Default `main`.
    branch: Option<String>,
    /// Required for IMAGE, e.g. `nginx:1.27`.
    image: Option<String>,
    /// Default DOCKERFILE.
    build_strategy: Option<BuildStrategyGql>,
    /// Default `Dockerfile`.
    dockerfile_path: Option<String>,
    /// Default `.`.
    build_context: Option<String>,
    /// Default 3000.
    port: Option<i32>,
    /// Default true.
    auto_deploy: Option<bool>,
    memory_limit_bytes: Option<i64>,
    cpu_limit: Option<f64>,
    /// Default UNLESS_STOPPED.
    restart_policy: Option<RestartPolicyGql>,
    /// Default START_FIRST.
    cutover_order: Option<CutoverOrderGql>,
    /// STATIC: the image the build command runs in (e.g. `node:20`); none when the
    /// repository holds the files.
    static_build_image: Option<String>,
    /// STATIC: run with `sh -c` in the checkout, e.g. `npm ci && npm run build`.
    static_build_command: Option<String>,
    /// STATIC: the directory whose files are served, relative to the repository root.
    /// Default `.`.
    static_output_dir: Option<String>,
    /// STATIC: a path with no file answers with `index.html` (single-page applications).
    /// Default false.
    spa_fallback: Option<bool>,
    /// COMPOSE: the compose file, relative to the repository root. Default
    /// `docker-compose.yml`.
    compose_path: Option<String>,
    /// COMPOSE: the service that receives the application's domains. Default: the first in
    /// the file with `ports` or `expose`.
    compose_service: Option<String>,
    /// Runs it on this cluster as a swarm service (DOCKERFILE or IMAGE); `serverId` is then
    /// not used.
    cluster_id: Option<ID>,
    /// On a cluster: how many tasks run it, 1-64. Default 1.
    replicas: Option<i32>,
    /// On a cluster: swarm placement constraints, e.g. `node.labels.zone==a`.
    placement_constraints: Option<Vec<String>>,
    /// On a cluster: at most this many of its tasks on one node.
    max_replicas_per_node: Option<i32>,
}

#[derive(InputObject)]
pub struct UpdateApplicationInput {
    id: ID,
    name: Option<String>,
    /// null clears it.
    description: MaybeUndefined<String>,
    server_id: Option<ID>,
    git_url: Option<String>,
    branch: Option<String>,
    image: Option<String>,
    build_strategy: Option<BuildStrategyGql>,
    dockerfile_path: Option<String>,
    build_context: Option<String>,
    port: Option<i32>,
    auto_deploy: Option<bool>,
    /// null removes the limit.
    memory_limit_bytes: MaybeUndefined<i64>,
    /// null removes the limit.
    cpu_limit: MaybeUndefined<f64>,
    restart_policy: Option<RestartPolicyGql>,
    cutover_order: Option<CutoverOrderGql>,
    /// null clears it.
    static_build_image: MaybeUndefined<String>,
    /// null clears it.
    static_build_command: MaybeUndefined<String>,
    static_output_dir: Option<String>,
    spa_fallback: Option<bool>,
    compose_path: Option<String>,
    /// null: the first service with `ports` or `expose`.
    compose_service: MaybeUndefined<String>,
    /// null takes it off its cluster: it runs on `serverId` from its next deployment.
    cluster_id: MaybeUndefined<ID>,
    replicas: Option<i32>,
    /// Replaces them; an empty list removes them.
    placement_constraints: Option<Vec<String>>,
    /// null removes the limit.
    max_replicas_per_node: MaybeUndefined<i32>,
}

fn clearable<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

#[derive(InputObject)]
pub struct DeleteApplicationInput {
    id: ID,
    /// Also remove the named volumes its mounts made (their data is lost). Default false:
    /// they stay on the engine, listed as orphaned among the volumes, for an admin to remove.
    remove_volumes: Option<bool>,
}

#[derive(SimpleObject)]
pub struct ApplicationPayload {
    application: Application,
}

#[derive(SimpleObject)]
pub struct DeleteApplicationPayload {
    deleted_application_id: ID,
}

#[derive(Default)]
pub struct AppsQuery;

#[Object]
impl AppsQuery {
    async fn application(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Application>> {
        match apps::get(&state(ctx)?.db, &AppId::from(&id)).await {
            Ok(app) => Ok(Some(Application(app))),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Applications by name, `first` (1-100, default 20) at a time after the cursor `after`.
    async fn applications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<ApplicationStatusGql>,
        server_id: Option<ID>,
    ) -> async_graphql::Result<Connection<String, Application>> {
        let page = Page::new(first, after, page::LIST)?;
        let after_name = page.after().map(decode_cursor).transpose()?;
        let filter = apps::ListFilter {
            status: status.map(Into::into),
            server_id: server_id.map(|id| id.0),
        };
        let (rows, more) = apps::list(&state(ctx)?.db, &filter, after_name.as_deref(), page.limit).await?;
        Ok(page.connection(
            more,
            rows.into_iter()
                .map(|app| (URL_SAFE_NO_PAD.encode(&app.name), Application(app))),
        ))
    }

    /// One environment variable's value in clear, secret or not (members and admins).
    async fn reveal_secret(&self, ctx: &Context<'_>, application_id: ID, key: String) -> async_graphql::Result<String> {
        let state = state(ctx)?;
        Ok(services::env_vars::reveal(&state.db, &state.crypto, &AppId::from(&application_id), &key).await?)
    }

    /// Checks a compose file as a deploy would, without running anything (members and
    /// admins): the services in start order and the one receiving the domains, or
    /// `BAD_USER_INPUT` naming the key and service Ployer refuses (or the line and column that
    /// does not parse). With `applicationId`, `${VAR}` takes that application's variables;
    /// without it, variables are unset. `composeService` names the routed service.
    async fn compose_plan(
        &self,
        ctx: &Context<'_>,
        content: String,
        compose_service: Option<String>,
        application_id: Option<ID>,
    ) -> async_graphql::Result<ComposePlanGql> {
        let state = state(ctx)?;
        let vars = match &application_id {
            Some(id) => {
                services::applications::get(&state.db, &AppId::from(id)).await?;
                services::env_vars::decrypted(&state.db, &state.crypto, &AppId::from(id)).await?
            }
            None => Vec::new(),
        };
        let plan = crate::deploy::compose::plan_with(&content, &vars, compose_service.as_deref()).map_err(|e| {
            AppError::bad_input(
                if e.key == "composeService" {
                    "composeService"
                } else {
                    "content"
                },
                e.to_string(),
            )
        })?;
        Ok(ComposePlanGql::from(plan))
    }
}

/// A compose file as Ployer would run it.
#[derive(SimpleObject)]
#[graphql(name = "ComposePlan")]
pub struct ComposePlanGql {
    /// In start order; the routed service last.
    services: Vec<PlannedServiceGql>,
    /// The service that receives the application's domains.
    routed: String,
    /// Named volumes the file declares.
    volumes: Vec<String>,
    /// Keys in the file that Ployer does not apply.
    warnings: Vec<String>,
}

/// One service of a [`ComposePlanGql`].
#[derive(SimpleObject)]
#[graphql(name = "PlannedService")]
pub struct PlannedServiceGql {
    name: String,
    /// The image it runs, for a service that is not built.
    image: Option<String>,
    /// The repository directory it is built from, for a service that is.
    build_context: Option<String>,
    /// The port it listens on (its first `ports` or `expose` entry).
    port: Option<i32>,
    /// The services it starts after.
    depends_on: Vec<String>,
    /// The services it waits for until they report healthy.
    waits_for_healthy: Vec<String>,
    has_healthcheck: bool,
}

impl From<ployer_input::compose::Plan> for ComposePlanGql {
    fn from(plan: ployer_input::compose::Plan) -> Self {
        Self {
            services: plan
                .services
                .into_iter()
                .map(|s| PlannedServiceGql {
                    image: match &s.source {
                        ployer_input::compose::Source::Image(image) => Some(image.clone()),
                        ployer_input::compose::Source::Build { .. } => None,
                    },
                    build_context: match &s.source {
                        ployer_input::compose::Source::Build { context, .. } => Some(context.clone()),
                        ployer_input::compose::Source::Image(_) => None,
                    },
                    port: s.port.map(i32::from),
                    depends_on: s.depends_on.iter().map(|d| d.service.clone()).collect(),
                    waits_for_healthy: s
                        .depends_on
                        .iter()
                        .filter(|d| d.healthy)
                        .map(|d| d.service.clone())
                        .collect(),
                    has_healthcheck: s.healthcheck.is_some(),
                    name: s.name,
                })
                .collect(),
            routed: plan.routed,
            volumes: plan.volumes,
            warnings: plan.warnings,
        }
    }
}

fn decode_cursor(cursor: &str) -> Result<String, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(page::bad_cursor)
}

#[derive(Default)]
pub struct AppsMutation;

#[Object]
impl AppsMutation {
    async fn create_application(
        &self,
        ctx: &Context<'_>,
        input: CreateApplicationInput,
    ) -> async_graphql::Result<ApplicationPayload> {
        let state = state(ctx)?;
        let changes = apps::AppInput {
            name: Some(input.name),
            description: input.description.map(Some),
            server_id: input.server_id.map(|id| id.0),
            git_url: input.git_url,
            branch: input.branch,
            image: input.image,
            build_strategy: input.build_strategy.map(Into::into),
            dockerfile_path: input.dockerfile_path,
            build_context: input.build_context,
            port: input.port,
            auto_deploy: input.auto_deploy,
            memory_limit_bytes: input.memory_limit_bytes.map(Some),
            cpu_limit: input.cpu_limit.map(Some),
            restart_policy: input.restart_policy.map(Into::into),
            cutover_order: input.cutover_order.map(Into::into),
            static_build_image: input.static_build_image.map(Some),
            static_build_command: input.static_build_command.map(Some),
            static_output_dir: input.static_output_dir,
            spa_fallback: input.spa_fallback,
            compose_path: input.compose_path,
            compose_service: input.compose_service.map(Some),
            cluster_id: input.cluster_id.map(|id| Some(id.0)),
            replicas: input.replicas,
            placement_constraints: input.placement_constraints,
            max_replicas_per_node: input.max_replicas_per_node.map(Some),
        };
        Ok(ApplicationPayload {
            application: Application(apps::create(&context(state), changes).await?),
        })
    }

    async fn update_application(
        &self,
        ctx: &Context<'_>,
        input: UpdateApplicationInput,
    ) -> async_graphql::Result<ApplicationPayload> {
        let state = state(ctx)?;
        let changes = apps::AppInput {
            name: input.name,
            description: clearable(input.description),
            server_id: input.server_id.map(|id| id.0),
            git_url: input.git_url,
            branch: input.branch,
            image: input.image,
            build_strategy: input.build_strategy.map(Into::into),
            dockerfile_path: input.dockerfile_path,
            build_context: input.build_context,
            port: input.port,
            auto_deploy: input.auto_deploy,
            memory_limit_bytes: clearable(input.memory_limit_bytes),
            cpu_limit: clearable(input.cpu_limit),
            restart_policy: input.restart_policy.map(Into::into),
            cutover_order: input.cutover_order.map(Into::into),
            static_build_image: clearable(input.static_build_image),
            static_build_command: clearable(input.static_build_command),
            static_output_dir: input.static_output_dir,
            spa_fallback: input.spa_fallback,
            compose_path: input.compose_path,
            compose_service: clearable(input.compose_service),
            cluster_id: clearable(input.cluster_id).map(|id| id.map(|id| id.0)),
            replicas: input.replicas,
            placement_constraints: input.placement_constraints,
            max_replicas_per_node: clearable(input.max_replicas_per_node),
        };
        Ok(ApplicationPayload {
            application: Application(apps::update(&context(state), &AppId::from(&input.id), changes).await?),
        })
    }

    /// Deletes the application with its containers, images, route, variables, keys, domains,
    /// webhooks, mounts and history; its volumes only with `removeVolumes`.
    async fn delete_application(
        &self,
        ctx: &Context<'_>,
        input: DeleteApplicationInput,
    ) -> async_graphql::Result<DeleteApplicationPayload> {
        let state = state(ctx)?;
        let app = apps::get(&state.db, &AppId::from(&input.id)).await?;
        state
            .deployer
            .remove_application(
                &app,
                input.remove_volumes.unwrap_or(false),
                apps::delete(&state.db, &AppId::from(&input.id)),
            )
            .await?;
        Ok(DeleteApplicationPayload {
            deleted_application_id: input.id,
        })
    }
}
