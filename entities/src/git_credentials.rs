//! `git_credentials`: the user name and token an application clones an http(s) repository with.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "git_credentials")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// At most one set per application.
    #[sea_orm(unique)]
    pub application_id: String,
    /// `scheme://host:port` of the repository the token was given for; it is sent nowhere else.
    pub origin: String,
    /// Sent as the HTTP basic-auth user name (hosts that take a token alone ignore it).
    pub username: String,
    /// The token or password, sealed with the server's key.
    pub token_ciphertext: Vec<u8>,
    pub token_nonce: Vec<u8>,
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
