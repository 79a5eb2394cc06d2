//! `environment_variables`: an application's variables, encrypted at rest.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "environment_variables")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Unique together with `key`.
    pub application_id: String,
    pub key: String,
    /// The value, sealed with the server's key; `value_nonce` is the AEAD nonce.
    pub value_ciphertext: Vec<u8>,
    pub value_nonce: Vec<u8>,
    /// Never shown back to clients once set.
    pub is_secret: bool,
    /// Also passed to the build, not only to the running container.
    pub is_build_time: bool,
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
