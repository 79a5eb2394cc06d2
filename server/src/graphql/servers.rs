//! Servers and their live resources over GraphQL.

use std::time::Duration;

use async_graphql::{Context, InputObject, Object, SimpleObject, Subscription, ID};
use futures::Stream;

use super::state;
use super::types::server::{Server, ServerStats};
use crate::{error::AppError, services};

#[derive(InputObject)]
pub struct CreateServerInput {
    /// A DNS-label name, unique.
    name: String,
    /// IP address or host name.
    host: String,
    /// SSH port, default 22.
    port: Option<i32>,
    /// SSH user, default `root`.
    username: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateServerInput {
    id: ID,
    name: Option<String>,
    host: Option<String>,
    port: Option<i32>,
    username: Option<String>,
}

#[derive(InputObject)]
pub struct ServerIdInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct ServerPayload {
    server: Server,
}

#[derive(SimpleObject)]
pub struct DeleteServerPayload {
    deleted_server_id: ID,
}

#[derive(SimpleObject)]
pub struct ValidateServerPayload {
    server: Server,
    reachable: bool,
    /// What was tried and what happened.
    message: String,
}

#[derive(Default)]
pub struct ServersQuery;

#[Object]
impl ServersQuery {
    /// Every server, the local one first.
    async fn servers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Server>> {
        Ok(services::servers::list(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Server)
            .collect())
    }

    async fn server(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Server>> {
        match services::servers::get(&state(ctx)?.db, &id).await {
            Ok(server) => Ok(Some(Server(server))),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
}

#[derive(Default)]
pub struct ServersMutation;

#[Object]
impl ServersMutation {
    /// Registers a remote server (admin).
    async fn create_server(&self, ctx: &Context<'_>, input: CreateServerInput) -> async_graphql::Result<ServerPayload> {
        let input = services::servers::ServerInput {
            name: Some(input.name),
            host: Some(input.host),
            port: input.port,
            username: input.username,
        };
        Ok(ServerPayload {
            server: Server(services::servers::create(&state(ctx)?.db, input).await?),
        })
    }

    async fn update_server(&self, ctx: &Context<'_>, input: UpdateServerInput) -> async_graphql::Result<ServerPayload> {
        let changes = services::servers::ServerInput {
            name: input.name,
            host: input.host,
            port: input.port,
            username: input.username,
        };
        Ok(ServerPayload {
            server: Server(services::servers::update(&state(ctx)?.db, &input.id, changes).await?),
        })
    }

    /// Deletes a remote server that no application uses (admin).
    async fn delete_server(
        &self,
        ctx: &Context<'_>,
        input: ServerIdInput,
    ) -> async_graphql::Result<DeleteServerPayload> {
        services::servers::delete(&state(ctx)?.db, &input.id).await?;
        Ok(DeleteServerPayload {
            deleted_server_id: input.id,
        })
    }

    /// Checks that the server answers on its SSH port and records the result (admin).
    async fn validate_server(
        &self,
        ctx: &Context<'_>,
        input: ServerIdInput,
    ) -> async_graphql::Result<ValidateServerPayload> {
        let r = services::servers::validate(&state(ctx)?.db, &input.id).await?;
        Ok(ValidateServerPayload {
            server: Server(r.server),
            reachable: r.reachable,
            message: r.message,
        })
    }
}

pub const MIN_STATS_INTERVAL: i32 = 1;
pub const MAX_STATS_INTERVAL: i32 = 300;

#[derive(Default)]
pub struct ServersSubscription;

#[Subscription]
impl ServersSubscription {
    /// The local server's live figures: one sample now, then one every `intervalSeconds`
    /// (1-300, default 2).
    async fn server_stats(
        &self,
        ctx: &Context<'_>,
        server_id: ID,
        interval_seconds: Option<i32>,
    ) -> async_graphql::Result<impl Stream<Item = ServerStats>> {
        let state = state(ctx)?.clone();
        let interval = interval_seconds.unwrap_or(2);
        if !(MIN_STATS_INTERVAL..=MAX_STATS_INTERVAL).contains(&interval) {
            return Err(AppError::bad_input(
                "intervalSeconds",
                format!("must be between {MIN_STATS_INTERVAL} and {MAX_STATS_INTERVAL}"),
            )
            .into());
        }
        let server = services::servers::get(&state.db, &server_id).await?;
        if !server.is_local {
            return Err(
                AppError::bad_input("serverId", "live stats are only available for the local server so far").into(),
            );
        }
        let period = Duration::from_secs(u64::try_from(interval).unwrap_or(2));
        Ok(async_stream::stream! {
            let mut ticker = tokio::time::interval(period);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                yield ServerStats::new(&server.id, state.host.sample().await);
            }
        })
    }
}
