//! Docker Swarm clusters over GraphQL (admin): make one from servers, list its nodes, drain,
//! label, add and remove them, delete it.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};

use super::state;
use super::types::cluster::{Cluster, NodeAvailability};
use super::types::server::Server;
use crate::{error::AppError, services};

#[derive(InputObject)]
pub struct CreateClusterInput {
    /// A DNS-label name, unique.
    name: String,
    /// The server that initializes the swarm (validated, in no cluster, its engine in no
    /// swarm).
    manager_server_id: ID,
    /// Servers that join as workers.
    worker_server_ids: Option<Vec<ID>>,
    /// The member whose Caddy routes the cluster's domains. Default: the manager.
    edge_server_id: Option<ID>,
    /// The member that builds (or pulls) each deployment's image, which then goes to the
    /// others. Default: the manager.
    build_server_id: Option<ID>,
}

#[derive(InputObject)]
pub struct SetClusterBuildServerInput {
    cluster_id: ID,
    /// A member of the cluster; null: the manager.
    server_id: Option<ID>,
}

#[derive(InputObject)]
pub struct ClusterNodeInput {
    cluster_id: ID,
    server_id: ID,
}

#[derive(InputObject)]
pub struct NodeLabelInput {
    key: String,
    value: String,
}

#[derive(InputObject)]
pub struct UpdateClusterNodeInput {
    cluster_id: ID,
    /// The swarm's node id (`ClusterNode.id`).
    node_id: ID,
    availability: Option<NodeAvailability>,
    /// Replaces the node's labels; an empty list removes them.
    labels: Option<Vec<NodeLabelInput>>,
}

#[derive(InputObject)]
pub struct SetClusterRegistryInput {
    cluster_id: ID,
    /// `host[:port][/path]` (no scheme), e.g. `registry.example.com/team`; null removes the
    /// registry (images are then loaded into each node).
    url: Option<String>,
    username: Option<String>,
    /// Sealed at rest; never returned.
    password: Option<String>,
}

#[derive(InputObject)]
pub struct ClusterIdInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct ClusterPayload {
    cluster: Cluster,
}

#[derive(SimpleObject)]
pub struct ClusterNodePayload {
    cluster: Cluster,
    server: Server,
}

#[derive(SimpleObject)]
pub struct DeleteClusterPayload {
    deleted_cluster_id: ID,
}

#[derive(Default)]
pub struct ClustersQuery;

#[Object]
impl ClustersQuery {
    async fn clusters(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Cluster>> {
        Ok(services::clusters::list(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Cluster)
            .collect())
    }

    async fn cluster(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Cluster>> {
        match services::clusters::get(&state(ctx)?.db, &id).await {
            Ok(cluster) => Ok(Some(Cluster(cluster))),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
}

#[derive(Default)]
pub struct ClustersMutation;

#[Object]
impl ClustersMutation {
    /// Makes a Docker Swarm cluster (admin): the swarm initialized on the manager, the workers
    /// joined (join tokens never leave Ployer). Nothing is left half-made when a step fails.
    async fn create_cluster(
        &self,
        ctx: &Context<'_>,
        input: CreateClusterInput,
    ) -> async_graphql::Result<ClusterPayload> {
        let state = state(ctx)?;
        let cluster = services::clusters::create(
            &state.db,
            &state.deployer.inner().places,
            services::clusters::NewCluster {
                name: input.name,
                manager_server_id: input.manager_server_id.0,
                worker_server_ids: input
                    .worker_server_ids
                    .unwrap_or_default()
                    .into_iter()
                    .map(|id| id.0)
                    .collect(),
                edge_server_id: input.edge_server_id.map(|id| id.0),
                build_server_id: input.build_server_id.map(|id| id.0),
            },
        )
        .await?;
        Ok(ClusterPayload {
            cluster: Cluster(cluster),
        })
    }

    /// Joins a server to the cluster as a worker (admin).
    async fn add_cluster_node(
        &self,
        ctx: &Context<'_>,
        input: ClusterNodeInput,
    ) -> async_graphql::Result<ClusterNodePayload> {
        let state = state(ctx)?;
        let places = &state.deployer.inner().places;
        let server = services::clusters::add_node(&state.db, places, &input.cluster_id, &input.server_id).await?;
        Ok(ClusterNodePayload {
            cluster: Cluster(services::clusters::get(&state.db, &input.cluster_id).await?),
            server: Server(server),
        })
    }

    /// Takes a worker out of the cluster (admin): drained first, then it leaves the swarm.
    async fn remove_cluster_node(
        &self,
        ctx: &Context<'_>,
        input: ClusterNodeInput,
    ) -> async_graphql::Result<ClusterNodePayload> {
        let state = state(ctx)?;
        let places = &state.deployer.inner().places;
        let server = services::clusters::remove_node(&state.db, places, &input.cluster_id, &input.server_id).await?;
        Ok(ClusterNodePayload {
            cluster: Cluster(services::clusters::get(&state.db, &input.cluster_id).await?),
            server: Server(server),
        })
    }

    /// Drains, pauses or activates a node and/or replaces its labels (admin).
    async fn update_cluster_node(
        &self,
        ctx: &Context<'_>,
        input: UpdateClusterNodeInput,
    ) -> async_graphql::Result<ClusterPayload> {
        let state = state(ctx)?;
        let places = &state.deployer.inner().places;
        services::clusters::update_node(
            &state.db,
            places,
            &input.cluster_id,
            &input.node_id,
            input.availability.map(NodeAvailability::as_str),
            input
                .labels
                .map(|labels| labels.into_iter().map(|l| (l.key, l.value)).collect()),
        )
        .await?;
        Ok(ClusterPayload {
            cluster: Cluster(services::clusters::get(&state.db, &input.cluster_id).await?),
        })
    }

    /// Chooses the member that builds each deployment's image (admin).
    async fn set_cluster_build_server(
        &self,
        ctx: &Context<'_>,
        input: SetClusterBuildServerInput,
    ) -> async_graphql::Result<ClusterPayload> {
        let state = state(ctx)?;
        let cluster = services::clusters::set_build_server(
            &state.db,
            &input.cluster_id,
            input.server_id.as_ref().map(|id| id.as_str()),
        )
        .await?;
        Ok(ClusterPayload {
            cluster: Cluster(cluster),
        })
    }

    /// Sets the registry the cluster's deployments push their image to and its nodes pull from
    /// (admin); without one, each deployment's image is loaded into every node.
    async fn set_cluster_registry(
        &self,
        ctx: &Context<'_>,
        input: SetClusterRegistryInput,
    ) -> async_graphql::Result<ClusterPayload> {
        let state = state(ctx)?;
        let registry = match input.url {
            None => None,
            Some(url) => Some(services::clusters::RegistryInput {
                url,
                username: input.username.unwrap_or_default(),
                password: input.password.unwrap_or_default(),
            }),
        };
        let cluster = services::clusters::set_registry(&state.db, &state.crypto, &input.cluster_id, registry).await?;
        Ok(ClusterPayload {
            cluster: Cluster(cluster),
        })
    }

    /// Deletes a cluster no application runs on (admin): its services removed, every member
    /// leaves the swarm.
    async fn delete_cluster(
        &self,
        ctx: &Context<'_>,
        input: ClusterIdInput,
    ) -> async_graphql::Result<DeleteClusterPayload> {
        let state = state(ctx)?;
        services::clusters::delete(&state.db, &state.deployer.inner().places, &input.id).await?;
        Ok(DeleteClusterPayload {
            deleted_cluster_id: input.id,
        })
    }
}
