//! `health_checks`: an application's health check settings and its current verdict.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "health_checks")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// At most one health check per application.
    #[sea_orm(unique)]
    pub application_id: String,
    pub kind: CheckKind,
    /// Request path, for `http`.
    pub path: Option<String>,
    pub port: Option<i32>,
    pub interval_seconds: i32,
    pub timeout_seconds: i32,
    /// Consecutive successes before `unhealthy` turns `healthy`.
    pub healthy_threshold: i32,
    /// Consecutive failures before `healthy` turns `unhealthy`.
    pub unhealthy_threshold: i32,
    /// Grace period after a start during which failures are not counted.
    pub start_period_seconds: i32,
    /// Restart the container when it turns `unhealthy`.
    pub auto_restart: bool,
    pub status: HealthStatus,
    pub consecutive_failures: i32,
    pub restart_count: i32,
    pub last_checked_at: Option<ChronoDateTimeUtc>,
    pub last_restart_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
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
}

impl Related<super::applications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Applications.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

text_enum!(
    /// How an application is probed: an HTTP GET, or a TCP connection that stays open.
    CheckKind { Http => "http", Tcp => "tcp" }
);
text_enum!(
    /// The verdict on an application.
    HealthStatus {
        // No verdict yet (not running, just deployed, or still in its start period).
        Unknown => "unknown",
        Healthy => "healthy",
        Unhealthy => "unhealthy",
        // Unhealthy, and the monitor stopped restarting it (the restart bound was reached).
        GaveUp => "gave_up",
    }
);
