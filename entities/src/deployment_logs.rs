//! `deployment_logs`: build and runtime output of a deployment, one row per line.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deployment_logs")]
pub struct Model {
    /// Autoincrement; ordered and never reused, so it doubles as the paging cursor.
    #[sea_orm(primary_key)]
    pub id: i64,
    pub deployment_id: String,
    pub stream: LogStream,
    pub line: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::deployments::Entity",
        from = "Column::DeploymentId",
        to = "super::deployments::Column::Id",
        on_delete = "Cascade"
    )]
    Deployments,
}

impl Related<super::deployments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Deployments.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

text_enum!(
    /// Where a deployment's log line came from: the build's output, the container's
    /// stdout and stderr (its last lines when it fails to start), or Ployer itself.
    LogStream { Build => "build", Stdout => "stdout", Stderr => "stderr", System => "system" }
);
