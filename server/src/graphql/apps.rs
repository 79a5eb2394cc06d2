//! Applications over GraphQL: the `Application` type with everything a user configures
//! about it, and create/read/update/delete. Sub-resources (env vars, domains, keys,
//! webhooks, health checks) are changed through `app_config`.

use super::page::{self, Page};
use async_graphql::{connection::Connection, Context, Enum, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use entities::{applications, deploy_keys, deployments, domains, git_credentials, health_checks, webhooks};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{deployments::Deployment, servers::Server, state};
use crate::{
    error::AppError,
    services::{self, applications as apps},
    state::AppState,
    validate::source::ReservedPorts,
};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "BuildStrategy", remote = "apps::BuildStrategy")]
pub enum BuildStrategyGql {
    Dockerfile,
    Image,
    Nixpacks,
    Compose,
    Static,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "RestartPolicy", remote = "apps::RestartPolicy")]
pub enum RestartPolicyGql {
    No,
    Always,
    UnlessStopped,
    OnFailure,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "ApplicationStatus", remote = "apps::AppStatus")]
pub enum ApplicationStatusGql {
    Created,
    Deploying,
    Running,
    Failed,
    Stopped,
}

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
        private_dirs: vec![state.config.data_dir.clone(), state.config.build_root()],
    }
}

pub struct Application(pub applications::Model);

#[Object]
impl Application {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// A DNS label, unique; also the automatic subdomain.
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn server(&self, ctx: &Context<'_>) -> async_graphql::Result<Server> {
        Ok(Server(
            services::servers::get(&state(ctx)?.db, &self.0.server_id).await?,
        ))
    }
    async fn git_url(&self) -> Option<&str> {
        self.0.git_url.as_deref()
    }
    async fn branch(&self) -> Option<&str> {
        self.0.branch.as_deref()
    }
    /// The image to run, for the `IMAGE` strategy.
    async fn image(&self) -> Option<&str> {
        self.0.image.as_deref()
    }
    async fn build_strategy(&self) -> BuildStrategyGql {
        self.0.build_strategy.into()
    }
    /// Path of the Dockerfile inside the repository.
    async fn dockerfile_path(&self) -> &str {
        &self.0.dockerfile_path
    }
    /// Build context directory inside the repository.
    async fn build_context(&self) -> &str {
        &self.0.build_context
    }
    /// The port the application listens on inside its container.
    async fn port(&self) -> i32 {
        self.0.port
    }
    /// Whether pushes to the branch deploy automatically.
    async fn auto_deploy(&self) -> bool {
        self.0.auto_deploy
    }
    async fn memory_limit_bytes(&self) -> Option<i64> {
        self.0.memory_limit_bytes
    }
    /// CPUs the container may use (e.g. 0.5).
    async fn cpu_limit(&self) -> Option<f64> {
        self.0.cpu_limit_millis.map(|m| f64::from(m) / 1000.0)
    }
    async fn restart_policy(&self) -> RestartPolicyGql {
        self.0.restart_policy.into()
    }
    async fn status(&self) -> ApplicationStatusGql {
        self.0.status.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The address of the primary domain.
    async fn url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let state = state(ctx)?;
        let domains = services::domains::list(&state.db, &self.0.id).await?;
        Ok(domains
            .iter()
            .find(|d| d.is_primary)
            .map(|d| url_of(state, &d.hostname)))
    }
    /// Addresses of every non-wildcard domain, the primary first.
    async fn urls(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let state = state(ctx)?;
        let domains = services::domains::list(&state.db, &self.0.id).await?;
        Ok(domains
            .iter()
            .filter(|d| !d.hostname.starts_with("*."))
            .map(|d| url_of(state, &d.hostname))
            .collect())
    }
    /// Secret values are null here; `revealSecret` returns one (members and admins).
    async fn env_vars(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EnvVar>> {
        let state = state(ctx)?;
        let vars = services::env_vars::list(&state.db, &state.crypto, &self.0.id).await?;
        Ok(vars.into_iter().map(EnvVar).collect())
    }
    async fn domains(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Domain>> {
        Ok(services::domains::list(&state(ctx)?.db, &self.0.id)
            .await?
            .into_iter()
            .map(Domain)
            .collect())
    }
    /// Present when the git URL uses SSH: add the public key to the repository.
    async fn deploy_key(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DeployKey>> {
        Ok(services::deploy_keys::find(&state(ctx)?.db, &self.0.id)
            .await?
            .map(DeployKey))
    }
    /// Present when credentials for a private http(s) repository are set (the token is never
    /// shown).
    async fn git_credentials(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<GitCredentials>> {
        Ok(services::git_credentials::find(&state(ctx)?.db, &self.0.id)
            .await?
            .map(GitCredentials))
    }
    async fn webhooks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Webhook>> {
        Ok(services::webhooks::list(&state(ctx)?.db, &self.0.id)
            .await?
            .into_iter()
            .map(Webhook)
            .collect())
    }
    /// What each webhook delivery became, newest first (`first` 1-100, default 20).
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, super::webhooks::WebhookDelivery>> {
        super::webhooks::deliveries(ctx, &self.0.id, first, after).await
    }
    async fn health_check(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<HealthCheck>> {
        Ok(apps::health_check(&state(ctx)?.db, &self.0.id).await?.map(HealthCheck))
    }
    /// The most recent deployment, whatever its state; null before the first.
    async fn latest_deployment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Deployment>> {
        let row = deployments::Entity::find()
            .filter(deployments::Column::ApplicationId.eq(self.0.id.clone()))
            .order_by_desc(deployments::Column::CreatedAt)
            .one(&state(ctx)?.db)
            .await
            .map_err(AppError::from)?;
        Ok(row.map(Deployment))
    }
    /// The health monitor's verdict on the running application.
    async fn health(&self, ctx: &Context<'_>) -> async_graphql::Result<super::monitoring::ApplicationHealth> {
        super::monitoring::health(ctx, &self.0.id).await
    }
    /// Health probe results, newest first, `first` (1-100, default 20) after `after`.
    async fn health_results(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, super::monitoring::HealthCheckResult>> {
        super::monitoring::health_results(ctx, &self.0.id, first, after).await
    }
    /// Resource use of the application's containers from `from` (default an hour before
    /// `to`) to `to` (default now): raw samples within the last day, 5-minute averages beyond.
    async fn stats(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<super::monitoring::StatsSeries> {
        super::monitoring::stats(ctx, &self.0.id, from, to).await
    }
    /// The deployment currently serving traffic; null while none does.
    async fn active_deployment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Deployment>> {
        let Some(id) = &self.0.active_deployment_id else {
            return Ok(None);
        };
        let row = deployments::Entity::find_by_id(id.clone())
            .one(&state(ctx)?.db)
            .await
            .map_err(AppError::from)?;
        Ok(row.map(Deployment))
    }
    /// What the active container printed: the last `tail` lines (0-5000, default 100),
    /// since `since` when given, oldest first, secret values redacted. Empty while no
    /// deployment is active.
    async fn logs(
        &self,
        ctx: &Context<'_>,
        tail: Option<i32>,
        since: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<super::docker::ContainerLogLineGql>> {
        super::docker::application_logs(ctx, &self.0.id, tail, since).await
    }
}

/// Where users open the application: local names (`*.localhost`, `*.local`, `*.internal`,
/// `*.home.arpa`, addresses: Caddy gives them certificates from its own CA, which browsers do
/// not trust) over HTTP, other names over HTTPS when Caddy serves it, otherwise over HTTP. The
/// port is left out where it is the scheme's default.
fn url_of(state: &AppState, hostname: &str) -> String {
    let (scheme, port, default) = match state.config.proxy_https_listen {
        Some(https) if !crate::validate::domain::is_local_name(hostname) => ("https", https.port(), 443),
        _ => ("http", state.config.proxy_http_listen.port(), 80),
    };
    if port == default {
        format!("{scheme}://{hostname}")
    } else {
        format!("{scheme}://{hostname}:{port}")
    }
}

pub struct EnvVar(pub services::env_vars::EnvVarView);

#[Object]
impl EnvVar {
    async fn key(&self) -> &str {
        &self.0.key
    }
    /// Null for secrets.
    async fn value(&self) -> Option<&str> {
        self.0.value.as_deref()
    }
    async fn is_secret(&self) -> bool {
        self.0.is_secret
    }
    /// Passed to the build as a build argument too.
    async fn is_build_time(&self) -> bool {
        self.0.is_build_time
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

pub struct Domain(pub domains::Model);

#[Object]
impl Domain {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn hostname(&self) -> &str {
        &self.0.hostname
    }
    async fn is_primary(&self) -> bool {
        self.0.is_primary
    }
    /// The automatic `<name>.<base domain>`.
    async fn is_auto(&self) -> bool {
        self.0.is_auto
    }
    /// When DNS was last seen pointing at this server.
    async fn verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.verified_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The public half of the application's deploy key; the private half never leaves Ployer.
pub struct DeployKey(pub deploy_keys::Model);

#[Object]
impl DeployKey {
    /// OpenSSH format, to add as a read-only deploy key on the git host.
    async fn public_key(&self) -> &str {
        &self.0.public_key
    }
    /// `SHA256:…`, as `ssh-keygen -lf` shows it.
    async fn fingerprint(&self) -> &str {
        &self.0.fingerprint
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The user name an application clones its http(s) repository with; the token it was given
/// is kept encrypted and never returned.
pub struct GitCredentials(pub git_credentials::Model);

#[Object]
impl GitCredentials {
    async fn username(&self) -> &str {
        &self.0.username
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the token was last replaced.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "WebhookProvider", remote = "services::webhooks::Provider")]
pub enum ProviderGql {
    Github,
    Gitlab,
    Gitea,
}

pub struct Webhook(pub webhooks::Model);

#[Object]
impl Webhook {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn provider(&self) -> ProviderGql {
        self.0.provider.into()
    }
    /// The payload URL to enter at the provider.
    async fn url(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(services::webhooks::payload_url(
            &state(ctx)?.config.public_url(),
            &self.0,
        ))
    }
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "HealthCheckKind")]
pub enum HealthCheckKindGql {
    Http,
    Tcp,
}

pub struct HealthCheck(pub health_checks::Model);

#[Object]
impl HealthCheck {
    /// HTTP (a GET on `path` must answer 2xx/3xx) or TCP (a connection must open).
    async fn kind(&self) -> HealthCheckKindGql {
        if self.0.kind == services::health_checks::CheckKind::Tcp {
            HealthCheckKindGql::Tcp
        } else {
            HealthCheckKindGql::Http
        }
    }
    async fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }
    /// The container port probed; null means the application's port.
    async fn port(&self) -> Option<i32> {
        self.0.port
    }
    async fn interval_seconds(&self) -> i32 {
        self.0.interval_seconds
    }
    async fn timeout_seconds(&self) -> i32 {
        self.0.timeout_seconds
    }
    async fn healthy_threshold(&self) -> i32 {
        self.0.healthy_threshold
    }
    async fn unhealthy_threshold(&self) -> i32 {
        self.0.unhealthy_threshold
    }
    /// Failures during this time after start do not count.
    async fn start_period_seconds(&self) -> i32 {
        self.0.start_period_seconds
    }
    async fn auto_restart(&self) -> bool {
        self.0.auto_restart
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
        match apps::get(&state(ctx)?.db, &id).await {
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
        Ok(services::env_vars::reveal(&state.db, &state.crypto, &application_id, &key).await?)
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
        };
        Ok(ApplicationPayload {
            application: Application(apps::update(&context(state), &input.id, changes).await?),
        })
    }

    /// Deletes the application with its containers, images, route, variables, keys, domains,
    /// webhooks and history.
    async fn delete_application(
        &self,
        ctx: &Context<'_>,
        input: DeleteApplicationInput,
    ) -> async_graphql::Result<DeleteApplicationPayload> {
        let state = state(ctx)?;
        let app = apps::get(&state.db, &input.id).await?;
        state
            .deployer
            .remove_application(&app, apps::delete(&state.db, &input.id))
            .await?;
        Ok(DeleteApplicationPayload {
            deleted_application_id: input.id,
        })
    }
}
