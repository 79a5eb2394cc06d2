//! Applications: what to run (a git repository to build, or an image), where, and how.
//! Every field is validated here on create and update alike; an application always has
//! its automatic domain and a health-check configuration, and an SSH source always has a
//! deploy key.

use crate::ids::AppId;
use chrono::Utc;
use entities::{applications, domains, health_checks, servers};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tracing::instrument;
use uuid::Uuid;

use crate::{
    crypto::Crypto,
    error::{AppError, AppResult},
    services::{deploy_keys, git_credentials, health_checks as checks},
    validate::{
        self,
        domain::Hostname,
        source::{Branch, GitUrl, ImageRef, LocalPaths, RepoPath, ReservedPorts},
        Slug,
    },
};

pub use entities::applications::{AppStatus, BuildStrategy, CutoverOrder, RestartPolicy};

pub const DEFAULT_PORT: i32 = 3000;
pub const DEFAULT_BRANCH: &str = "main";
pub const DEFAULT_COMPOSE_PATH: &str = "docker-compose.yml";
pub const MIN_MEMORY_BYTES: i64 = 6 * 1024 * 1024;
pub const MAX_MEMORY_BYTES: i64 = 1024 * 1024 * 1024 * 1024;
pub const MAX_CPUS: f64 = 256.0;
/// Longest static build command.
const MAX_BUILD_COMMAND: usize = 4096;

/// Changes to an application. `None` leaves a field as it is; for clearable fields
/// `Some(None)` clears it.
#[derive(Default)]
pub struct AppInput {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub server_id: Option<String>,
    pub git_url: Option<String>,
    pub branch: Option<String>,
    pub image: Option<String>,
    pub build_strategy: Option<BuildStrategy>,
    pub dockerfile_path: Option<String>,
    pub build_context: Option<String>,
    pub port: Option<i32>,
    pub auto_deploy: Option<bool>,
    pub memory_limit_bytes: Option<Option<i64>>,
    pub cpu_limit: Option<Option<f64>>,
    pub restart_policy: Option<RestartPolicy>,
    pub cutover_order: Option<CutoverOrder>,
    /// `Some(None)` clears it.
    pub static_build_image: Option<Option<String>>,
    /// `Some(None)` clears it.
    pub static_build_command: Option<Option<String>>,
    pub static_output_dir: Option<String>,
    pub spa_fallback: Option<bool>,
    pub compose_path: Option<String>,
    /// `Some(None)` clears it (the first service with a port is routed).
    pub compose_service: Option<Option<String>>,
    /// `Some(None)` takes it off its cluster (it runs on `server_id` again).
    pub cluster_id: Option<Option<String>>,
    pub replicas: Option<i32>,
    pub placement_constraints: Option<Vec<String>>,
    /// `Some(None)` clears it.
    pub max_replicas_per_node: Option<Option<i32>>,
}

/// Most tasks one clustered application runs.
pub const MAX_REPLICAS: i32 = 64;

/// What the service needs from the surroundings.
pub struct Context<'a> {
    pub db: &'a DatabaseConnection,
    pub crypto: &'a Crypto,
    pub base_domain: &'a str,
    pub reserved_ports: ReservedPorts,
    /// Ployer's own directories (data, checkouts): never a local git source.
    pub private_dirs: Vec<std::path::PathBuf>,
}

#[instrument(skip_all)]
pub async fn create(cx: &Context<'_>, input: AppInput) -> AppResult<applications::Model> {
    let now = Utc::now();
    let mut app = applications::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        name: Set(String::new()),
        description: Set(None),
        server_id: Set(String::new()),
        git_url: Set(None),
        branch: Set(None),
        image: Set(None),
        build_strategy: Set(BuildStrategy::Dockerfile),
        dockerfile_path: Set("Dockerfile".into()),
        build_context: Set(".".into()),
        port: Set(DEFAULT_PORT),
        auto_deploy: Set(true),
        memory_limit_bytes: Set(None),
        cpu_limit_millis: Set(None),
        restart_policy: Set(RestartPolicy::UnlessStopped),
        cutover_order: Set(CutoverOrder::StartFirst),
        static_build_image: Set(None),
        static_build_command: Set(None),
        static_output_dir: Set(".".into()),
        spa_fallback: Set(false),
        compose_path: Set(DEFAULT_COMPOSE_PATH.into()),
        compose_service: Set(None),
        cluster_id: Set(None),
        replicas: Set(1),
        placement: Set(None),
        max_replicas_per_node: Set(None),
        status: Set(AppStatus::Created),
        active_deployment_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    if input.name.is_none() {
        return Err(AppError::bad_input("name", "is required"));
    }
    let server_id = match &input.server_id {
        Some(id) => id.clone(),
        None => local_server_id(cx.db).await?,
    };
    let input = AppInput {
        server_id: Some(server_id),
        ..input
    };
    let txn = crate::db::begin_write(cx.db).await?;
    apply(&txn, cx, &mut app, input).await?;
    let app = app.insert(&txn).await.map_err(|e| name_conflict(e.into()))?;
    let auto = Hostname::automatic(&app.name, cx.base_domain)?;
    ensure_auto_hostname_free(&txn, &auto, None).await?;
    domains::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        application_id: Set(app.id.clone()),
        hostname: Set(auto.as_str().into()),
        is_primary: Set(true),
        is_auto: Set(true),
        service: Set(None),
        verified_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    checks::create_default(&txn, &AppId::from(&app.id)).await?;
    if app.git_url.as_deref().is_some_and(is_ssh_url) {
        deploy_keys::generate(&txn, cx.crypto, &AppId::from(&app.id)).await?;
    }
    txn.commit().await?;
    tracing::info!(app_id = %app.id, name = %app.name, "application created");
    Ok(app)
}

#[instrument(skip_all, fields(app_id = %id))]
pub async fn update(cx: &Context<'_>, id: &AppId, input: AppInput) -> AppResult<applications::Model> {
    let txn = crate::db::begin_write(cx.db).await?;
    let current = find(&txn, id).await?;
    let old_name = current.name.clone();
    let old_url = current.git_url.clone();
    let mut app: applications::ActiveModel = current.into();
    apply(&txn, cx, &mut app, input).await?;
    app.updated_at = Set(Utc::now());
    let app = app.update(&txn).await.map_err(|e| name_conflict(e.into()))?;
    if app.name != old_name {
        let auto = Hostname::automatic(&app.name, cx.base_domain)?;
        ensure_auto_hostname_free(&txn, &auto, Some(&app.id)).await?;
        domains::Entity::update_many()
            .col_expr(
                domains::Column::Hostname,
                sea_orm::sea_query::Expr::value(auto.as_str()),
            )
            .filter(domains::Column::ApplicationId.eq(app.id.clone()))
            .filter(domains::Column::IsAuto.eq(true))
            .exec(&txn)
            .await?;
    }
    let needs_key = app.git_url.as_deref().is_some_and(is_ssh_url);
    let has_key = deploy_keys::find(&txn, &AppId::from(&app.id)).await?.is_some();
    if needs_key && !has_key {
        deploy_keys::generate(&txn, cx.crypto, &AppId::from(&app.id)).await?;
    } else if !needs_key && has_key {
        // No SSH source, no key: an unused private key is only a liability.
        deploy_keys::remove(&txn, &AppId::from(&app.id)).await?;
    }
    if old_url != app.git_url {
        git_credentials::keep_for_new_url(&txn, &AppId::from(&app.id), app.git_url.as_deref()).await?;
    }
    txn.commit().await?;
    Ok(app)
}

/// Removes the application and everything that belongs to it, in one transaction.
#[instrument(skip_all, fields(app_id = %id))]
pub async fn delete(db: &DatabaseConnection, id: &AppId) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let app = find(&txn, id).await?;
    // Foreign keys cascade to env vars, keys, domains, webhooks, checks and deployments.
    applications::Entity::delete_by_id(app.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The server whose Caddy serves the application's domains: its cluster's edge on a cluster,
/// else the server it runs on.
pub async fn serving_server_id<C: ConnectionTrait>(db: &C, app: &applications::Model) -> AppResult<String> {
    match &app.cluster_id {
        Some(cluster) => Ok(entities::clusters::Entity::find_by_id(cluster.clone())
            .one(db)
            .await?
            .map(|c| c.edge_server_id)
            .unwrap_or_else(|| app.server_id.clone())),
        None => Ok(app.server_id.clone()),
    }
}

pub async fn get(db: &DatabaseConnection, id: &AppId) -> AppResult<applications::Model> {
    find(db, id).await
}

pub async fn find<C: ConnectionTrait>(db: &C, id: &AppId) -> AppResult<applications::Model> {
    applications::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("application"))
}

pub struct ListFilter {
    pub status: Option<AppStatus>,
    pub server_id: Option<String>,
}

/// A page ordered by name: applications whose name sorts after `after`, at most `limit`
/// of them, plus whether more follow.
pub async fn list(
    db: &DatabaseConnection,
    filter: &ListFilter,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<applications::Model>, bool)> {
    let mut query = applications::Entity::find().order_by_asc(applications::Column::Name);
    if let Some(status) = filter.status {
        query = query.filter(applications::Column::Status.eq(status.as_str()));
    }
    if let Some(server_id) = &filter.server_id {
        query = query.filter(applications::Column::ServerId.eq(server_id.clone()));
    }
    if let Some(after) = after {
        query = query.filter(applications::Column::Name.gt(after));
    }
    let mut rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows, more))
}

pub fn is_ssh_url(url: &str) -> bool {
    url.starts_with("ssh://") || url.starts_with("git+ssh://") || (!url.contains("://") && url.contains('@'))
}

async fn local_server_id(db: &DatabaseConnection) -> AppResult<String> {
    servers::Entity::find()
        .filter(servers::Column::IsLocal.eq(true))
        .one(db)
        .await?
        .map(|s| s.id)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the local server is not registered")))
}

fn name_conflict(err: AppError) -> AppError {
    match err {
        AppError::Conflict(_) => AppError::ConflictOn("name", "an application with this name already exists".into()),
        other => other,
    }
}

pub(crate) async fn ensure_hostname_free<C: ConnectionTrait>(
    db: &C,
    hostname: &str,
    owner: Option<&str>,
) -> AppResult<()> {
    let taken = domains::Entity::find()
        .filter(domains::Column::Hostname.eq(hostname))
        .one(db)
        .await?;
    match taken {
        Some(domain) if Some(domain.application_id.as_str()) != owner => Err(AppError::ConflictOn(
            "hostname",
            format!("{hostname} is already used by another application"),
        )),
        _ => Ok(()),
    }
}

/// The automatic host name follows the name, so a clash is the name's.
async fn ensure_auto_hostname_free<C: ConnectionTrait>(db: &C, auto: &Hostname, owner: Option<&str>) -> AppResult<()> {
    ensure_hostname_free(db, auto.as_str(), owner)
        .await
        .map_err(|err| match err {
            AppError::ConflictOn(..) => AppError::ConflictOn(
                "name",
                format!(
                    "the automatic host name {} is already used by another application",
                    auto.as_str()
                ),
            ),
            other => other,
        })
}

/// Validates `input` into `app`, then checks that the result is a complete application.
async fn apply<C: ConnectionTrait>(
    db: &C,
    cx: &Context<'_>,
    app: &mut applications::ActiveModel,
    input: AppInput,
) -> AppResult<()> {
    if let Some(name) = input.name {
        let name = Slug::parse("name", &name)?;
        // The automatic domain must be a valid host name too.
        Hostname::automatic(name.as_str(), cx.base_domain)?;
        app.name = Set(name.as_str().into());
    }
    if let Some(description) = input.description {
        app.description = Set(description
            .map(|d| validate::text("description", &d, 500))
            .transpose()?);
    }
    if let Some(server_id) = input.server_id {
        let exists = servers::Entity::find_by_id(server_id.clone()).one(db).await?.is_some();
        if !exists {
            return Err(AppError::bad_input("serverId", "no such server"));
        }
        app.server_id = Set(server_id);
    }
    if let Some(strategy) = input.build_strategy {
        app.build_strategy = Set(strategy);
    }
    if let Some(cluster_id) = input.cluster_id {
        if let Some(id) = &cluster_id {
            let exists = entities::clusters::Entity::find_by_id(id.clone())
                .one(db)
                .await?
                .is_some();
            if !exists {
                return Err(AppError::bad_input("clusterId", "no such cluster"));
            }
        }
        app.cluster_id = Set(cluster_id);
    }
    if let Some(replicas) = input.replicas {
        if !(1..=MAX_REPLICAS).contains(&replicas) {
            return Err(AppError::bad_input(
                "replicas",
                format!("must be between 1 and {MAX_REPLICAS}"),
            ));
        }
        app.replicas = Set(replicas);
    }
    if let Some(constraints) = input.placement_constraints {
        let constraints = super::clusters::checked_constraints(&constraints)?;
        app.placement = Set((!constraints.is_empty())
            .then(|| serde_json::to_string(&constraints))
            .transpose()
            .map_err(|e| AppError::Internal(e.into()))?);
    }
    if let Some(max) = input.max_replicas_per_node {
        if max.is_some_and(|m| !(1..=MAX_REPLICAS).contains(&m)) {
            return Err(AppError::bad_input(
                "maxReplicasPerNode",
                format!("must be between 1 and {MAX_REPLICAS}"),
            ));
        }
        app.max_replicas_per_node = Set(max);
    }
    // A clustered application is a swarm service built from a Dockerfile or an image.
    if app.cluster_id.as_ref().is_some()
        && matches!(
            app.build_strategy.as_ref(),
            BuildStrategy::Static | BuildStrategy::Compose
        )
    {
        return Err(AppError::bad_input(
            "clusterId",
            format!(
                "a {} application cannot run on a cluster: build it with a Dockerfile or an image",
                app.build_strategy.as_ref().as_str()
            ),
        ));
    }
    // A static site is files this machine's Caddy serves, and a Compose application's other
    // services are followed on this machine's engine only: both run here.
    if matches!(
        app.build_strategy.as_ref(),
        BuildStrategy::Static | BuildStrategy::Compose
    ) {
        let remote = servers::Entity::find_by_id(app.server_id.as_ref().clone())
            .one(db)
            .await?
            .is_some_and(|s| !s.is_local);
        if remote {
            return Err(AppError::bad_input(
                "serverId",
                format!(
                    "a {} application runs on this machine only: choose the local server, or build with a Dockerfile or an image",
                    app.build_strategy.as_ref().as_str()
                ),
            ));
        }
    }
    if let Some(url) = input.git_url {
        let local = if super::settings::allow_local_git_paths(db).await? {
            LocalPaths::Allowed {
                except: &cx.private_dirs,
            }
        } else {
            LocalPaths::Refused
        };
        app.git_url = Set(Some(GitUrl::parse(&url, &cx.reserved_ports, &local)?.as_str().into()));
    }
    if let Some(branch) = input.branch {
        app.branch = Set(Some(Branch::parse(&branch)?.as_str().into()));
    }
    if let Some(image) = input.image {
        app.image = Set(Some(ImageRef::parse(&image)?.as_str().into()));
    }
    if let Some(path) = input.dockerfile_path {
        app.dockerfile_path = Set(RepoPath::parse("dockerfilePath", &path)?.as_str().into());
    }
    if let Some(path) = input.build_context {
        app.build_context = Set(RepoPath::parse("buildContext", &path)?.as_str().into());
    }
    if let Some(port) = input.port {
        app.port = Set(validate::port("port", port)?.into());
    }
    if let Some(auto_deploy) = input.auto_deploy {
        app.auto_deploy = Set(auto_deploy);
    }
    if let Some(memory) = input.memory_limit_bytes {
        if memory.is_some_and(|m| !(MIN_MEMORY_BYTES..=MAX_MEMORY_BYTES).contains(&m)) {
            return Err(AppError::bad_input(
                "memoryLimitBytes",
                "must be between 6 MiB and 1 TiB",
            ));
        }
        app.memory_limit_bytes = Set(memory);
    }
    if let Some(cpu) = input.cpu_limit {
        let millis = match cpu {
            None => None,
            Some(c) if c.is_finite() && (0.01..=MAX_CPUS).contains(&c) => Some((c * 1000.0).round() as i32),
            Some(_) => return Err(AppError::bad_input("cpuLimit", "must be between 0.01 and 256 CPUs")),
        };
        app.cpu_limit_millis = Set(millis);
    }
    if let Some(policy) = input.restart_policy {
        app.restart_policy = Set(policy);
    }
    if let Some(order) = input.cutover_order {
        app.cutover_order = Set(order);
    }
    if let Some(image) = input.static_build_image {
        let image = image
            .map(|i| ImageRef::parse(&i).map(|i| i.as_str().to_string()))
            .transpose();
        app.static_build_image = Set(image.map_err(|e| AppError::bad_input("staticBuildImage", e.message()))?);
    }
    if let Some(command) = input.static_build_command {
        let command = command
            .filter(|c| !c.trim().is_empty())
            .map(|c| validate::text("staticBuildCommand", &c, MAX_BUILD_COMMAND))
            .transpose()?;
        app.static_build_command = Set(command);
    }
    if let Some(dir) = input.static_output_dir {
        app.static_output_dir = Set(RepoPath::parse("staticOutputDir", &dir)?.as_str().into());
    }
    if let Some(spa) = input.spa_fallback {
        app.spa_fallback = Set(spa);
    }
    if let Some(path) = input.compose_path {
        app.compose_path = Set(RepoPath::parse("composePath", &path)?.as_str().into());
    }
    if let Some(service) = input.compose_service {
        let service = service
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                validate::mounts::VolumeName::parse("composeService", s.trim())
                    .map(|n| n.as_str().to_string())
                    .map_err(|_| {
                        AppError::bad_input(
                            "composeService",
                            "a service name is 1-63 lower-case letters, digits, '_', '.' or '-'",
                        )
                    })
            })
            .transpose()?;
        app.compose_service = Set(service);
    }
    check_source(app)
}

/// A `DOCKERFILE` app needs a git URL (and gets a branch); an `IMAGE` app needs an image.
fn check_source(app: &mut applications::ActiveModel) -> AppResult<()> {
    let strategy = *app.build_strategy.as_ref();
    match strategy {
        BuildStrategy::Dockerfile => {
            if app.git_url.as_ref().is_none() {
                return Err(AppError::bad_input(
                    "gitUrl",
                    "is required for the DOCKERFILE build strategy",
                ));
            }
            if app.branch.as_ref().is_none() {
                app.branch = Set(Some(DEFAULT_BRANCH.into()));
            }
            Ok(())
        }
        BuildStrategy::Image => {
            if app.image.as_ref().is_none() {
                return Err(AppError::bad_input("image", "is required for the IMAGE build strategy"));
            }
            Ok(())
        }
        BuildStrategy::Compose => {
            if app.git_url.as_ref().is_none() {
                return Err(AppError::bad_input(
                    "gitUrl",
                    "is required for the COMPOSE build strategy (the repository holding the compose file)",
                ));
            }
            if app.branch.as_ref().is_none() {
                app.branch = Set(Some(DEFAULT_BRANCH.into()));
            }
            Ok(())
        }
        BuildStrategy::Static => {
            if app.git_url.as_ref().is_none() {
                return Err(AppError::bad_input(
                    "gitUrl",
                    "is required for the STATIC build strategy",
                ));
            }
            if app.branch.as_ref().is_none() {
                app.branch = Set(Some(DEFAULT_BRANCH.into()));
            }
            match (app.static_build_image.as_ref(), app.static_build_command.as_ref()) {
                (Some(_), None) => Err(AppError::bad_input(
                    "staticBuildCommand",
                    "is required with a build image (e.g. `npm ci && npm run build`)",
                )),
                (None, Some(_)) => Err(AppError::bad_input(
                    "staticBuildImage",
                    "is required with a build command (the image it runs in, e.g. `node:20`)",
                )),
                _ => Ok(()),
            }
        }
        other => Err(AppError::bad_input(
            "buildStrategy",
            format!(
                "{} builds are not supported yet; use DOCKERFILE, IMAGE, COMPOSE or STATIC",
                other.as_str()
            ),
        )),
    }
}

/// The application's health check, created with defaults alongside it.
pub async fn health_check(db: &DatabaseConnection, app_id: &AppId) -> AppResult<Option<health_checks::Model>> {
    Ok(health_checks::Entity::find()
        .filter(health_checks::Column::ApplicationId.eq(app_id))
        .one(db)
        .await?)
}
