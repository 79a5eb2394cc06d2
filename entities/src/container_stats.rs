//! `container_stats`: resource usage samples, raw and downsampled.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "container_stats")]
pub struct Model {
    /// Autoincrement; ordered and never reused, so it doubles as the paging cursor.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// NULL for containers not managed by Ployer.
    pub application_id: Option<String>,
    pub container_id: String,
    /// `raw` (as sampled) | `5m` (downsampled to five-minute buckets).
    pub resolution: String,
    pub cpu_percent: f64,
    pub memory_used_bytes: i64,
    pub memory_limit_bytes: i64,
    pub network_rx_bytes: i64,
    pub network_tx_bytes: i64,
    pub block_read_bytes: i64,
    pub block_write_bytes: i64,
    pub sampled_at: ChronoDateTimeUtc,
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
