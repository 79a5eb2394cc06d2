//! `Application` and what belongs to it (variables, domains, deploy key, git credentials,
//! webhooks, health check), with every field of an application resolved here: its
//! deployments, deliveries, health, stats and logs.

use super::deployment::Deployment;
use super::docker::ContainerLogLineGql;
use super::monitoring::{ApplicationHealth, HealthCheckResult, StatsResolutionGql, StatsSample, StatsSeries};
use super::server::Server;
use super::webhook::WebhookDelivery;
use crate::graphql::page::{self, Page};
use crate::graphql::state;
use crate::ids::AppId;
use crate::{
    error::AppError,
    services::{self, applications as apps},
    state::AppState,
};
use crate::{
    services::container_logs as logs,
    workers::{
        health as health_monitor,
        stats::{self as stats_monitor, Resolution, Retention},
    },
};
use async_graphql::{connection::Connection, Context, Enum, Object, ID};
use chrono::{DateTime, Utc};
use entities::{applications, deploy_keys, deployments, domains, git_credentials, health_checks, webhooks};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

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

/// The order in which a new version replaces the old one.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "CutoverOrder", remote = "apps::CutoverOrder")]
pub enum CutoverOrderGql {
    /// The new container starts beside the old one and takes over once healthy: no downtime.
    StartFirst,
    /// The old container stops first, then the new one starts: for data two processes cannot
    /// share. The application is unavailable from the stop until the new one is healthy.
    StopFirst,
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
    /// The cluster it runs on as a swarm service; null: it runs on `server`.
    async fn cluster(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<super::cluster::Cluster>> {
        let Some(id) = &self.0.cluster_id else {
            return Ok(None);
        };
        Ok(Some(super::cluster::Cluster(
            services::clusters::get(&state(ctx)?.db, id).await?,
        )))
    }
    /// On a cluster: how many tasks run it.
    async fn replicas(&self) -> i32 {
        self.0.replicas
    }
    /// On a cluster: its swarm placement constraints.
    async fn placement_constraints(&self) -> Vec<String> {
        self.0
            .placement
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default()
    }
    /// On a cluster: at most this many of its tasks on one node.
    async fn max_replicas_per_node(&self) -> Option<i32> {
        self.0.max_replicas_per_node
    }
    /// On a cluster: the tasks of its active deployment's service as the manager lists them
    /// now, newest first (empty when it runs on a server; `UNAVAILABLE` when the manager cannot
    /// be reached).
    async fn tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::cluster::ClusterTask>> {
        let state = state(ctx)?;
        Ok(crate::deploy::cluster::tasks_of(state.deployer.inner(), &self.0).await?)
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
    async fn cutover_order(&self) -> CutoverOrderGql {
        self.0.cutover_order.into()
    }
    /// STATIC: the image the build command runs in; null when the repository holds the files.
    async fn static_build_image(&self) -> Option<&str> {
        self.0.static_build_image.as_deref()
    }
    /// STATIC: the build command, run with `sh -c` in the checkout.
    async fn static_build_command(&self) -> Option<&str> {
        self.0.static_build_command.as_deref()
    }
    /// STATIC: the directory whose files are served, relative to the repository root.
    async fn static_output_dir(&self) -> &str {
        &self.0.static_output_dir
    }
    /// STATIC: whether a path with no file answers with `index.html`.
    async fn spa_fallback(&self) -> bool {
        self.0.spa_fallback
    }
    /// COMPOSE: the compose file, relative to the repository root.
    async fn compose_path(&self) -> &str {
        &self.0.compose_path
    }
    /// COMPOSE: the service that receives the domains; null: the first with a port.
    async fn compose_service(&self) -> Option<&str> {
        self.0.compose_service.as_deref()
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
        let domains = services::domains::list(&state.db, &AppId::from(&self.0.id)).await?;
        let serving = apps::serving_server_id(&state.db, &self.0).await?;
        let remote = state.deployer.inner().places.is_remote(&serving).await;
        Ok(domains
            .iter()
            .find(|d| d.is_primary)
            .map(|d| url_of(state, &d.hostname, remote)))
    }
    /// Addresses of every non-wildcard domain, the primary first.
    async fn urls(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let state = state(ctx)?;
        let domains = services::domains::list(&state.db, &AppId::from(&self.0.id)).await?;
        let serving = apps::serving_server_id(&state.db, &self.0).await?;
        let remote = state.deployer.inner().places.is_remote(&serving).await;
        Ok(domains
            .iter()
            .filter(|d| !d.hostname.starts_with("*."))
            .map(|d| url_of(state, &d.hostname, remote))
            .collect())
    }
    /// Secret values are null here; `revealSecret` returns one (members and admins).
    async fn env_vars(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EnvVar>> {
        let state = state(ctx)?;
        let vars = services::env_vars::list(&state.db, &state.crypto, &AppId::from(&self.0.id)).await?;
        Ok(vars.into_iter().map(EnvVar).collect())
    }
    /// Named volumes and host directories its containers mount, by container path.
    async fn mounts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::mount::Mount>> {
        let rows = services::mounts::of_app(&state(ctx)?.db, &AppId::from(&self.0.id)).await?;
        super::mount::Mount::all(ctx, &[], rows).await
    }
    async fn domains(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Domain>> {
        Ok(services::domains::list(&state(ctx)?.db, &AppId::from(&self.0.id))
            .await?
            .into_iter()
            .map(Domain)
            .collect())
    }
    /// Present when the git URL uses SSH: add the public key to the repository.
    async fn deploy_key(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DeployKey>> {
        Ok(services::deploy_keys::find(&state(ctx)?.db, &AppId::from(&self.0.id))
            .await?
            .map(DeployKey))
    }
    /// Present when credentials for a private http(s) repository are set (the token is never
    /// shown).
    async fn git_credentials(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<GitCredentials>> {
        Ok(
            services::git_credentials::find(&state(ctx)?.db, &AppId::from(&self.0.id))
                .await?
                .map(GitCredentials),
        )
    }
    async fn webhooks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Webhook>> {
        Ok(services::webhooks::list(&state(ctx)?.db, &AppId::from(&self.0.id))
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
    ) -> async_graphql::Result<Connection<String, super::webhook::WebhookDelivery>> {
        deliveries(ctx, &self.0.id, first, after).await
    }
    async fn health_check(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<HealthCheck>> {
        Ok(apps::health_check(&state(ctx)?.db, &AppId::from(&self.0.id))
            .await?
            .map(HealthCheck))
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
        health(ctx, &self.0.id).await
    }
    /// Health probe results, newest first, `first` (1-100, default 20) after `after`.
    async fn health_results(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, super::monitoring::HealthCheckResult>> {
        health_results(ctx, &self.0.id, first, after).await
    }
    /// Resource use of the application's containers from `from` (default an hour before
    /// `to`) to `to` (default now): raw samples within the last day, 5-minute averages beyond.
    async fn stats(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<super::monitoring::StatsSeries> {
        stats(ctx, &self.0.id, from, to).await
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
    /// deployment is active. On a cluster: the lines of every task of the active service, in
    /// time order (`containerId` is then the service's id).
    /// `service`: one of a COMPOSE application's services instead of the one receiving its
    /// domains.
    async fn logs(
        &self,
        ctx: &Context<'_>,
        service: Option<String>,
        tail: Option<i32>,
        since: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<super::docker::ContainerLogLineGql>> {
        application_logs(ctx, &self.0.id, service.as_deref(), tail, since).await
    }
    /// COMPOSE: the services of the active deployment, in start order (the one receiving the
    /// domains last), each with its container's state; empty for other applications and
    /// before the first deployment.
    async fn services(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ComposeService>> {
        let state = state(ctx)?;
        let services = crate::deploy::compose::running_services(&state.db, &state.crypto, &self.0).await?;
        Ok(services.into_iter().map(ComposeService).collect())
    }
}

/// One service of a COMPOSE application.
pub struct ComposeService(pub crate::deploy::compose::RunningService);

#[Object]
impl ComposeService {
    /// Its name in the compose file, and on the application's network.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// It receives the application's domains and is replaced health-gated on every deploy.
    async fn routed(&self) -> bool {
        self.0.routed
    }
    async fn image(&self) -> Option<&str> {
        self.0.image.as_deref()
    }
    async fn container_id(&self) -> Option<&str> {
        self.0.container_id.as_deref()
    }
    async fn container_name(&self) -> Option<&str> {
        self.0.container_name.as_deref()
    }
    /// The loopback port its first port is published on (Caddy routes its domains there).
    async fn host_port(&self) -> Option<i32> {
        self.0.host_port
    }
    /// The deployment that started its container: older than the active one for a service
    /// that did not change since.
    async fn deployment_id(&self) -> Option<ID> {
        self.0.deployment_id.clone().map(ID)
    }
    /// `running`, `exited`, `restarting`… as the engine says; null when its container is gone
    /// or the engine does not answer.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.engine_state(ctx).await?.map(|s| s.status))
    }
    /// `starting`, `healthy` or `unhealthy` from its compose health check; null without one.
    async fn health(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.engine_state(ctx).await?.and_then(|s| s.health))
    }
}

impl ComposeService {
    async fn engine_state(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<crate::docker::ContainerState>> {
        let (Some(container), Some(docker)) = (&self.0.container_id, state(ctx)?.docker.client()) else {
            return Ok(None);
        };
        Ok(crate::docker::container_state(&docker, container).await.ok().flatten())
    }
}

/// Where users open the application: local names (`*.localhost`, `*.local`, `*.internal`,
/// `*.home.arpa`, addresses: Caddy gives them certificates from its own CA, which browsers do
/// not trust) over HTTP, other names over HTTPS when Caddy serves it, otherwise over HTTP. The
/// port is left out where it is the scheme's default. `remote`: the application runs on a remote
/// server, whose Caddy listens on the `edge_*` ports.
pub(crate) fn url_of(state: &AppState, hostname: &str, remote: bool) -> String {
    let config = &state.config;
    let (https, http) = match remote {
        false => (
            config.proxy_https_listen.map(|l| l.port()),
            config.proxy_http_listen.port(),
        ),
        true => (
            (config.edge_https_port > 0).then_some(config.edge_https_port),
            config.edge_http_port,
        ),
    };
    let (scheme, port, default) = match https {
        Some(https) if !crate::validate::domain::is_local_name(hostname) => ("https", https, 443),
        _ => ("http", http, 80),
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
    /// The COMPOSE service it routes to, when not the one that receives the domains.
    async fn service(&self) -> Option<&str> {
        self.0.service.as_deref()
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

/// `Application.webhookDeliveries`: newest first, `first` (1-100, default 20) after `after`.
pub(crate) async fn deliveries(
    ctx: &Context<'_>,
    app_id: &str,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Connection<String, WebhookDelivery>> {
    let page = Page::new(first, after, page::LIST)?;
    let (rows, more) = crate::webhooks::list(&state(ctx)?.db, app_id, page.after(), page.limit).await?;
    Ok(page.connection(more, rows.into_iter().map(|row| (row.id.clone(), WebhookDelivery(row)))))
}

/// `Application.health`.
pub(crate) async fn health(ctx: &Context<'_>, app_id: &str) -> async_graphql::Result<ApplicationHealth> {
    Ok(ApplicationHealth(health_monitor::view(&state(ctx)?.db, app_id).await?))
}

/// `Application.healthResults`: newest first, `first` (1-100, default 20) after `after`.
pub(crate) async fn health_results(
    ctx: &Context<'_>,
    app_id: &str,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Connection<String, HealthCheckResult>> {
    let page = Page::new(first, after, page::LIST)?;
    let before = page.after_number()?;
    let (rows, more) = health_monitor::results(&state(ctx)?.db, app_id, before, page.limit).await?;
    Ok(page.connection(
        more,
        rows.into_iter().map(|row| (row.id.to_string(), HealthCheckResult(row))),
    ))
}

/// `Application.stats`: `to` defaults to now, `from` to an hour before `to`.
pub(crate) async fn stats(
    ctx: &Context<'_>,
    app_id: &str,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> async_graphql::Result<StatsSeries> {
    let state = state(ctx)?;
    let now = Utc::now();
    let to = to.unwrap_or(now);
    let from = from.unwrap_or(to - chrono::Duration::hours(1));
    if from >= to {
        return Err(AppError::bad_input("from", "must be before `to`").into());
    }
    let retention = Retention::from_config(&state.config);
    let (resolution, samples) = stats_monitor::series(&state.db, app_id, from, to, now, retention).await?;
    Ok(StatsSeries {
        resolution: match resolution {
            Resolution::Raw => StatsResolutionGql::Raw,
            Resolution::FiveMinutes => StatsResolutionGql::FiveMinutes,
        },
        from,
        to,
        samples: samples.iter().map(StatsSample::from).collect(),
    })
}

/// `Application.logs`: the active container's last `tail` lines since `since`.
pub(crate) async fn application_logs(
    ctx: &Context<'_>,
    app_id: &str,
    service: Option<&str>,
    tail: Option<i32>,
    since: Option<DateTime<Utc>>,
) -> async_graphql::Result<Vec<ContainerLogLineGql>> {
    let tail = logs::tail("tail", tail)?;
    let lines = logs::application_logs(state(ctx)?, &AppId::from(app_id), service, tail, since).await?;
    Ok(lines.into_iter().map(ContainerLogLineGql::from).collect())
}
