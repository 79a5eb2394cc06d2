//! `deployments`: one attempt to build and run a version of an application.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deployments")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub application_id: String,
    pub status: DeploymentStatus,
    pub trigger: Trigger,
    pub commit_sha: Option<String>,
    pub commit_message: Option<String>,
    pub commit_author: Option<String>,
    pub image_tag: Option<String>,
    pub container_id: Option<String>,
    pub container_name: Option<String>,
    /// Host port the container was published on.
    pub host_port: Option<i32>,
    pub failure_reason: Option<String>,
    /// For a rollback, the deployment whose image it reuses. Not a foreign key.
    pub rollback_of_id: Option<String>,
    /// A Compose deployment's file as the repository held it (not interpolated: secret values
    /// are never stored in it); a rollback and the reconciler plan from it again.
    pub compose_file: Option<String>,
    /// A Compose deployment's image per service, as JSON (`{"db": "ployer/app.db:…"}`).
    pub compose_images: Option<String>,
    /// NULL when triggered by a webhook, or once the user is deleted.
    pub triggered_by_user_id: Option<String>,
    /// The server it ran on; `None`: this machine (and every deployment from before remote
    /// servers ran applications).
    pub server_id: Option<String>,
    /// The cluster it ran on as a swarm service (`server_id` is then the cluster's edge).
    pub cluster_id: Option<String>,
    /// Its swarm service's id.
    pub service_id: Option<String>,
    /// The addresses (`node address:published port`) of its healthy running tasks, one per
    /// line, as last seen: what the edge's route dials.
    pub upstreams: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub started_at: Option<ChronoDateTimeUtc>,
    pub finished_at: Option<ChronoDateTimeUtc>,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::applications::Entity",
        from = "Column::ApplicationId",
        to = "super::applications::Column::Id",
        on_delete = "Cascade"
    )]
    Applications,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::TriggeredByUserId",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
    #[sea_orm(has_many = "super::deployment_logs::Entity")]
    DeploymentLogs,
    #[sea_orm(has_many = "super::webhook_deliveries::Entity")]
    WebhookDeliveries,
}

impl Related<super::applications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Applications.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::deployment_logs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DeploymentLogs.def()
    }
}

impl Related<super::webhook_deliveries::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WebhookDeliveries.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

text_enum!(
    /// Where a deployment stands. The server's `deploy::status` draws the moves between these
    /// and is the only code that stores one.
    DeploymentStatus {
        Queued => "queued",
        Cloning => "cloning",
        Building => "building",
        Starting => "starting",
        HealthChecking => "health_checking",
        Running => "running",
        Failed => "failed",
        Cancelled => "cancelled",
        Superseded => "superseded",
    }
);

impl DeploymentStatus {
    /// A step of the pipeline is running.
    pub fn in_flight(self) -> bool {
        matches!(
            self,
            Self::Cloning | Self::Building | Self::Starting | Self::HealthChecking
        )
    }

    /// Nothing more will happen to it (a running one can still be superseded).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Failed | Self::Cancelled | Self::Superseded)
    }
}

text_enum!(
    /// What started a deployment.
    Trigger { Manual => "manual", Webhook => "webhook", Rollback => "rollback", Redeploy => "redeploy" }
);
