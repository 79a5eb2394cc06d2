//! `Cluster`, its nodes as the manager lists them, and a clustered application's tasks.

use async_graphql::{Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::clusters;

use super::{application::Application, server::Server};
use crate::{docker::swarm, graphql::state, services};

pub struct Cluster(pub clusters::Model);

#[Object]
impl Cluster {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The server that initialized the swarm; nodes join through it.
    async fn manager(&self, ctx: &Context<'_>) -> async_graphql::Result<Server> {
        Ok(Server(
            services::servers::get(&state(ctx)?.db, &self.0.manager_server_id).await?,
        ))
    }
    /// The server whose Caddy routes the cluster's domains: their DNS points at it.
    async fn edge(&self, ctx: &Context<'_>) -> async_graphql::Result<Server> {
        Ok(Server(
            services::servers::get(&state(ctx)?.db, &self.0.edge_server_id).await?,
        ))
    }
    /// The member that builds (or pulls) each deployment's image, which then goes to the others.
    async fn build(&self, ctx: &Context<'_>) -> async_graphql::Result<Server> {
        Ok(Server(
            services::servers::get(&state(ctx)?.db, services::clusters::build_server_id(&self.0)).await?,
        ))
    }
    /// The swarm's id, as its manager reports it.
    async fn swarm_id(&self) -> Option<&str> {
        self.0.swarm_id.as_deref()
    }
    /// The registry deployments push their image to and the nodes pull from; null: images are
    /// loaded into each node. Its password is never returned.
    async fn registry(&self) -> Option<ClusterRegistry> {
        Some(ClusterRegistry {
            url: self.0.registry_url.clone()?,
            username: self.0.registry_username.clone().unwrap_or_default(),
        })
    }
    /// The member servers, the manager first.
    async fn members(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Server>> {
        let db = &state(ctx)?.db;
        Ok(services::clusters::members(db, &self.0)
            .await?
            .into_iter()
            .map(Server)
            .collect())
    }
    /// The nodes as the manager lists them now (`UNAVAILABLE` when it cannot be reached).
    async fn nodes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ClusterNode>> {
        let state = state(ctx)?;
        let places = &state.deployer.inner().places;
        Ok(services::clusters::nodes(&state.db, places, &self.0)
            .await?
            .into_iter()
            .map(|(node, server)| ClusterNode { node, server })
            .collect())
    }
    /// The applications that run on it.
    async fn applications(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Application>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        Ok(entities::applications::Entity::find()
            .filter(entities::applications::Column::ClusterId.eq(self.0.id.clone()))
            .order_by_asc(entities::applications::Column::Name)
            .all(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Application)
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct ClusterNode {
    pub node: swarm::Node,
    pub server: Option<entities::servers::Model>,
}

/// Whether the swarm schedules tasks on a node.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum NodeAvailability {
    /// Tasks are scheduled on it.
    Active,
    /// No new tasks; those running stay.
    Pause,
    /// Its tasks move to other nodes; none are scheduled on it.
    Drain,
}

impl NodeAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pause => "pause",
            Self::Drain => "drain",
        }
    }
}

#[derive(SimpleObject)]
pub struct ClusterRegistry {
    url: String,
    username: String,
}

#[derive(SimpleObject)]
pub struct NodeLabel {
    key: String,
    value: String,
}

#[Object]
impl ClusterNode {
    /// The swarm's node id.
    async fn id(&self) -> ID {
        ID(self.node.id.clone())
    }
    async fn hostname(&self) -> &str {
        &self.node.hostname
    }
    /// The address it advertises; Caddy dials its tasks there.
    async fn address(&self) -> &str {
        &self.node.address
    }
    /// `ready`, `down`, `unknown` or `disconnected`.
    async fn state(&self) -> &str {
        &self.node.state
    }
    async fn availability(&self) -> NodeAvailability {
        match self.node.availability.as_str() {
            "drain" => NodeAvailability::Drain,
            "pause" => NodeAvailability::Pause,
            _ => NodeAvailability::Active,
        }
    }
    /// `manager` or `worker`.
    async fn role(&self) -> &str {
        &self.node.role
    }
    /// Sorted by key.
    async fn labels(&self) -> Vec<NodeLabel> {
        let mut labels: Vec<NodeLabel> = self
            .node
            .labels
            .iter()
            .map(|(key, value)| NodeLabel {
                key: key.clone(),
                value: value.clone(),
            })
            .collect();
        labels.sort_by(|a, b| a.key.cmp(&b.key));
        labels
    }
    async fn cpus(&self) -> Option<f64> {
        self.node.nano_cpus.map(|n| n as f64 / 1e9)
    }
    async fn memory_bytes(&self) -> Option<i64> {
        self.node.memory_bytes
    }
    async fn engine_version(&self) -> Option<&str> {
        self.node.engine.as_deref()
    }
    /// The Ployer server this node is; null for a node joined outside Ployer.
    async fn server(&self) -> Option<Server> {
        self.server.clone().map(Server)
    }
}

/// One task of a clustered application's active service.
#[derive(SimpleObject)]
pub struct ClusterTask {
    pub id: ID,
    pub node_id: ID,
    /// The node's address; with `port`, where Caddy dials it.
    pub node_address: Option<String>,
    /// `running`, `starting`, `failed`, `shutdown`…
    pub state: String,
    /// What the swarm wants of it: `running` or `shutdown`.
    pub desired_state: String,
    pub port: Option<i32>,
    pub container_id: Option<String>,
    /// The swarm's message or error.
    pub message: String,
}
