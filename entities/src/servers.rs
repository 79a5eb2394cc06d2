//! `servers`: Docker hosts applications run on, the local one included.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "servers")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub name: String,
    pub host: String,
    /// SSH port.
    pub port: i32,
    /// SSH user.
    pub username: String,
    /// The machine Ployer itself runs on, reached without SSH.
    pub is_local: bool,
    pub status: ServerStatus,
    pub last_checked_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::applications::Entity")]
    Applications,
}

impl Related<super::applications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Applications.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

text_enum!(
    /// Whether the server answered its last check.
    ServerStatus { Unknown => "unknown", Reachable => "reachable", Unreachable => "unreachable" }
);
