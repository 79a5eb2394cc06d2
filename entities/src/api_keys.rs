//! `api_keys`: long-lived credentials for scripts and CI, owned by a user.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// Hex SHA-256 of the full key; the key itself is shown once and never stored.
    #[sea_orm(unique)]
    pub key_hash: String,
    /// The first characters of the key, shown to users to tell keys apart.
    pub key_prefix: String,
    /// Scope of the key: at most its owner's role.
    pub role: super::users::Role,
    /// What the key is for: the API (with `role`), or only `GET /metrics`.
    pub scope: Scope,
    pub created_at: ChronoDateTimeUtc,
    pub last_used_at: Option<ChronoDateTimeUtc>,
    pub revoked_at: Option<ChronoDateTimeUtc>,
    pub expires_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Users,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

text_enum!(
    /// What an API key may be used for.
    Scope { Api => "api", Metrics => "metrics" }
);
