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
    /// The Docker engine's socket on the server, reached through the SSH connection.
    pub docker_socket: String,
    /// The private key Ployer authenticates with, sealed (bound to the server's id).
    pub private_key_ciphertext: Option<Vec<u8>>,
    pub private_key_nonce: Option<Vec<u8>>,
    /// Its public half, for the server's `authorized_keys`.
    pub public_key: Option<String>,
    /// The server's host key (`SHA256:…`), recorded at the first successful validation and
    /// required on every connection after.
    pub host_key_fingerprint: Option<String>,
    /// What the last successful validation found.
    pub docker_version: Option<String>,
    pub cpus: Option<i32>,
    pub memory_bytes: Option<i64>,
    pub disk_total_bytes: Option<i64>,
    pub disk_free_bytes: Option<i64>,
    /// Why the last validation failed.
    pub last_error: Option<String>,
    /// The cluster it is a member of.
    pub cluster_id: Option<String>,
    /// Its node id in that cluster's swarm.
    pub swarm_node_id: Option<String>,
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
    /// Whether the server answered its last check: `unreachable` after a validation failed,
    /// `offline` when a server that had answered failed a periodic check.
    ServerStatus { Unknown => "unknown", Reachable => "reachable", Unreachable => "unreachable", Offline => "offline" }
);
