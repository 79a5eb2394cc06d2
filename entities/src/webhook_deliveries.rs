//! `webhook_deliveries`: every webhook request received and what Ployer did with it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// NULL once the webhook is deleted; the delivery log is kept.
    pub webhook_id: Option<String>,
    pub application_id: String,
    /// `github` | `gitlab` | `gitea`.
    pub provider: super::webhooks::Provider,
    /// The provider's event name, e.g. `push`.
    pub event: String,
    /// The provider's delivery id; unique per webhook, which rejects replays.
    pub delivery_id: Option<String>,
    pub status: DeliveryStatus,
    /// Why it was skipped, rejected or failed.
    pub reason: Option<String>,
    pub branch: Option<String>,
    pub commit_sha: Option<String>,
    pub commit_author: Option<String>,
    pub commit_message: Option<String>,
    /// The deployment it started; NULL if none, or once that deployment is deleted.
    pub deployment_id: Option<String>,
    pub received_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::webhooks::Entity",
        from = "Column::WebhookId",
        to = "super::webhooks::Column::Id",
        on_delete = "SetNull"
    )]
    Webhooks,
    #[sea_orm(
        belongs_to = "super::applications::Entity",
        from = "Column::ApplicationId",
        to = "super::applications::Column::Id",
        on_delete = "Cascade"
    )]
    Applications,
    #[sea_orm(
        belongs_to = "super::deployments::Entity",
        from = "Column::DeploymentId",
        to = "super::deployments::Column::Id",
        on_delete = "SetNull"
    )]
    Deployments,
}

impl Related<super::webhooks::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Webhooks.def()
    }
}

impl Related<super::applications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Applications.def()
    }
}

impl Related<super::deployments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Deployments.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

text_enum!(
    /// What became of a delivery.
    DeliveryStatus {
        // A deployment of its commit was queued.
        Deployed => "deployed",
        // Verified, but nothing to do (another branch, a tag, a ping, auto-deploy off…).
        Skipped => "skipped",
        // Not verified, or not a usable payload.
        Rejected => "rejected",
        // Verified and meant to deploy, but the deployment could not be queued. A redelivery
        // of it is processed again.
        Failed => "failed",
    }
);
