//! `clusters`: Docker Swarm clusters made from servers. The manager initialized the swarm and
//! the others joined it as workers; the edge server's Caddy routes the cluster's applications.
//! Join tokens are never stored: they are read from the manager when a node joins.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clusters")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub name: String,
    pub manager_server_id: String,
    /// The server whose Caddy serves the cluster's domains (the manager by default).
    pub edge_server_id: String,
    /// The member that builds (or pulls) each deployment's image, which then goes to the
    /// others; `None`: the manager.
    pub build_server_id: Option<String>,
    /// The swarm's id, as its manager reports it.
    pub swarm_id: Option<String>,
    /// A registry deployments push their image to and the nodes pull it from (`host[:port]`
    /// with an optional path); `None`: images are loaded into each node.
    pub registry_url: Option<String>,
    pub registry_username: Option<String>,
    /// The registry password, sealed (bound to the cluster's id).
    pub registry_password_ciphertext: Option<Vec<u8>>,
    pub registry_password_nonce: Option<Vec<u8>>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
