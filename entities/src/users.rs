//! `users`: people who can sign in.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Stored lower-cased, so uniqueness is case-insensitive.
    #[sea_orm(unique)]
    pub email: String,
    /// Argon2 hash in PHC string format.
    pub password_hash: String,
    pub role: Role,
    /// Bumped to invalidate every session token issued before.
    pub token_version: i32,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::api_keys::Entity")]
    ApiKeys,
    /// Deployments this user triggered.
    #[sea_orm(has_many = "super::deployments::Entity")]
    Deployments,
}

impl Related<super::api_keys::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiKeys.def()
    }
}

impl Related<super::deployments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Deployments.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

text_enum!(
    /// Ordered: an admin can do everything a member can, a member everything a viewer can.
    #[derive(PartialOrd, Ord)]
    Role { Viewer => "viewer", Member => "member", Admin => "admin" }
);
