//! `health_check_results`: the outcome of each health probe.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "health_check_results")]
pub struct Model {
    /// Autoincrement; ordered and never reused, so it doubles as the paging cursor.
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: String,
    /// The deployment probed. Not a foreign key: results outlive pruned deployments.
    pub deployment_id: Option<String>,
    /// `Healthy` or `Unhealthy`: one probe's outcome.
    pub status: super::health_checks::HealthStatus,
    /// HTTP status, for `http` checks that got a response.
    pub status_code: Option<i32>,
    pub response_time_ms: Option<i32>,
    pub error: Option<String>,
    pub checked_at: ChronoDateTimeUtc,
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
}

impl Related<super::applications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Applications.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
