//! `applications`: the desired state of one deployable app.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub name: String,
    pub description: Option<String>,
    /// The server it runs on; a server with applications cannot be deleted.
    pub server_id: String,
    pub git_url: Option<String>,
    pub branch: Option<String>,
    /// Image reference, for the `image` build strategy.
    pub image: Option<String>,
    pub build_strategy: BuildStrategy,
    /// Relative to the repository root.
    pub dockerfile_path: String,
    /// Relative to the repository root.
    pub build_context: String,
    /// Port the container listens on.
    pub port: i32,
    /// Deploy on a matching webhook push.
    pub auto_deploy: bool,
    pub memory_limit_bytes: Option<i64>,
    /// Thousandths of a CPU.
    pub cpu_limit_millis: Option<i32>,
    pub restart_policy: RestartPolicy,
    /// Whether a new version starts beside the old one (no downtime) or after the old one
    /// stopped (for data two processes cannot share).
    pub cutover_order: CutoverOrder,
    /// `static`: the image the build command runs in; none when the repository holds the files.
    pub static_build_image: Option<String>,
    /// `static`: run with `sh -c` in the checkout (e.g. `npm ci && npm run build`).
    pub static_build_command: Option<String>,
    /// `static`: the directory, relative to the repository root, whose files are served.
    pub static_output_dir: String,
    /// `static`: a path with no file answers with `index.html` (single-page applications).
    pub spa_fallback: bool,
    /// `compose`: the compose file, relative to the repository root.
    pub compose_path: String,
    /// `compose`: the service that receives the application's domains; `None`: the first
    /// in the file with `ports` or `expose`.
    pub compose_service: Option<String>,
    /// The cluster the application runs on as a swarm service; `None`: it runs on `server_id`.
    pub cluster_id: Option<String>,
    /// On a cluster: how many tasks run it.
    pub replicas: i32,
    /// On a cluster: swarm placement constraints, as a JSON array of strings
    /// (`["node.labels.zone==a"]`).
    pub placement: Option<String>,
    /// On a cluster: at most this many of its tasks on one node.
    pub max_replicas_per_node: Option<i32>,
    pub status: AppStatus,
    /// The deployment serving traffic. Deliberately not a foreign key (it would make a cycle
    /// with `deployments.application_id`); join on it explicitly.
    pub active_deployment_id: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::servers::Entity",
        from = "Column::ServerId",
        to = "super::servers::Column::Id",
        on_delete = "Restrict"
    )]
    Servers,
    #[sea_orm(has_many = "super::environment_variables::Entity")]
    EnvironmentVariables,
    #[sea_orm(has_one = "super::deploy_keys::Entity")]
    DeployKeys,
    #[sea_orm(has_one = "super::git_credentials::Entity")]
    GitCredentials,
    #[sea_orm(has_many = "super::deployments::Entity")]
    Deployments,
    #[sea_orm(has_many = "super::domains::Entity")]
    Domains,
    #[sea_orm(has_many = "super::mounts::Entity")]
    Mounts,
    #[sea_orm(has_many = "super::compose_services::Entity")]
    ComposeServices,
    #[sea_orm(has_many = "super::webhooks::Entity")]
    Webhooks,
    #[sea_orm(has_many = "super::webhook_deliveries::Entity")]
    WebhookDeliveries,
    #[sea_orm(has_one = "super::health_checks::Entity")]
    HealthChecks,
    #[sea_orm(has_many = "super::health_check_results::Entity")]
    HealthCheckResults,
    #[sea_orm(has_many = "super::container_stats::Entity")]
    ContainerStats,
}

impl Related<super::servers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Servers.def()
    }
}

impl Related<super::environment_variables::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::EnvironmentVariables.def()
    }
}

impl Related<super::deploy_keys::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DeployKeys.def()
    }
}

impl Related<super::git_credentials::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::GitCredentials.def()
    }
}

impl Related<super::deployments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Deployments.def()
    }
}

impl Related<super::domains::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Domains.def()
    }
}

impl Related<super::webhooks::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Webhooks.def()
    }
}

impl Related<super::webhook_deliveries::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WebhookDeliveries.def()
    }
}

impl Related<super::health_checks::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HealthChecks.def()
    }
}

impl Related<super::health_check_results::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HealthCheckResults.def()
    }
}

impl Related<super::container_stats::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ContainerStats.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

text_enum!(
    /// How an application becomes an image.
    BuildStrategy { Dockerfile => "dockerfile", Image => "image", Nixpacks => "nixpacks", Compose => "compose", Static => "static" }
);
text_enum!(
    /// Docker's restart policy for the application's container.
    RestartPolicy { No => "no", Always => "always", UnlessStopped => "unless_stopped", OnFailure => "on_failure" }
);
text_enum!(
    /// Where an application stands; the pipeline moves it past `Created`.
    AppStatus { Created => "created", Deploying => "deploying", Running => "running", Failed => "failed", Stopped => "stopped" }
);

text_enum!(
    /// The order of a cutover: the new container starts before the old one stops (the
    /// default: zero downtime), or only after it stopped (a short, stated downtime).
    CutoverOrder { StartFirst => "start-first", StopFirst => "stop-first" }
);
