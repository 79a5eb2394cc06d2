//! Servers and their live resources over GraphQL.

use std::time::Duration;

use async_graphql::{Context, InputObject, Object, SimpleObject, Subscription, ID};
use chrono::{DateTime, Utc};
use entities::servers;
use futures::Stream;

use super::state;
use crate::{error::AppError, services, system::HostStats};

pub struct Server(pub servers::Model);

#[Object]
impl Server {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn host(&self) -> &str {
        &self.0.host
    }
    async fn port(&self) -> i32 {
        self.0.port
    }
    async fn username(&self) -> &str {
        &self.0.username
    }
    /// The machine Ployer itself runs on.
    async fn is_local(&self) -> bool {
        self.0.is_local
    }
    /// `unknown`, `reachable` or `unreachable`, as of `lastCheckedAt`.
    async fn status(&self) -> &str {
        self.0.status.as_str()
    }
    async fn last_checked_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_checked_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Live figures; null for remote servers until Ployer runs agents there.
    async fn resources(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ServerStats>> {
        if !self.0.is_local {
            return Ok(None);
        }
        let stats = state(ctx)?.host.sample().await;
        Ok(Some(ServerStats::new(&self.0.id, stats)))
    }
}

#[derive(SimpleObject)]
pub struct ServerStats {
    server_id: ID,
    /// Busy share of all cores, 0-100.
    cpu_percent: f64,
    cpu_count: u32,
    load_average1: f64,
    load_average5: f64,
    load_average15: f64,
    memory_used_bytes: u64,
    memory_total_bytes: u64,
    /// The file system holding Ployer's data dir.
    disk_used_bytes: u64,
    disk_total_bytes: u64,
    uptime_seconds: u64,
    docker_reachable: bool,
    docker_version: Option<String>,
    sampled_at: DateTime<Utc>,
}

impl ServerStats {
    fn new(server_id: &str, s: HostStats) -> Self {
        Self {
            server_id: ID(server_id.to_string()),
            cpu_percent: s.cpu_percent,
            cpu_count: u32::try_from(s.cpu_count).unwrap_or(u32::MAX),
            load_average1: s.load_average[0],
            load_average5: s.load_average[1],
            load_average15: s.load_average[2],
            memory_used_bytes: s.memory_used_bytes,
            memory_total_bytes: s.memory_total_bytes,
            disk_used_bytes: s.disk_used_bytes,
            disk_total_bytes: s.disk_total_bytes,
            uptime_seconds: s.uptime_seconds,
            docker_reachable: s.docker_reachable,
            docker_version: s.docker_version,
            sampled_at: s.sampled_at,
        }
    }
}

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
