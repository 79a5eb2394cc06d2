//! `deploy_keys`: the SSH key pair an application clones its repository with.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deploy_keys")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// At most one key per application.
    #[sea_orm(unique)]
    pub application_id: String,
    /// OpenSSH public key line, to paste into the Git host.
    pub public_key: String,
    pub fingerprint: String,
    /// The private key, sealed with the server's key.
    pub private_key_ciphertext: Vec<u8>,
    pub private_key_nonce: Vec<u8>,
    /// The Git host's key, recorded on first use and required to match afterwards.
    pub known_host_key: Option<String>,
    pub created_at: ChronoDateTimeUtc,
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
