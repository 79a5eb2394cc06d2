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
    /// The Docker engine's socket on the server, default `/var/run/docker.sock`.
    docker_socket: Option<String>,
    /// An SSH private key (OpenSSH or PEM, without a passphrase) to authenticate with. Without
    /// one, Ployer generates an ed25519 key: add its `publicKey` to the server's
    /// `authorized_keys`. Sealed at rest; never returned.
    private_key: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateServerInput {
    id: ID,
    name: Option<String>,
    /// Another host or port forgets the recorded host key.
    host: Option<String>,
    port: Option<i32>,
    username: Option<String>,
    docker_socket: Option<String>,
    /// Replaces the key Ployer authenticates with.
    private_key: Option<String>,
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
    /// Which step failed; null when it worked.
    failure: Option<ServerFailure>,
}

/// The step at which a server's validation failed.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
pub enum ServerFailure {
    /// Nothing answered at the address (no route, filtered, timed out).
    Unreachable,
    /// The host refused the connection: nothing listens on that port.
    ConnectionRefused,
    /// The host key differs from the one recorded; `acceptServerHostKey` trusts the new one.
    HostKeyChanged,
    /// The SSH server did not accept Ployer's key for the user.
    AuthenticationRefused,
    /// Connected, but the Docker socket is missing or not permitted.
    DockerUnavailable,
    /// Any other SSH failure.
    SshError,
}

impl From<services::servers::Failure> for ServerFailure {
    fn from(failure: services::servers::Failure) -> Self {
        use services::servers::Failure;
        match failure {
            Failure::Unreachable => Self::Unreachable,
            Failure::ConnectionRefused => Self::ConnectionRefused,
            Failure::HostKeyChanged => Self::HostKeyChanged,
            Failure::AuthenticationRefused => Self::AuthenticationRefused,
            Failure::DockerUnavailable => Self::DockerUnavailable,
            Failure::Ssh => Self::SshError,
        }
    }
}

impl From<services::servers::Reachability> for ValidateServerPayload {
    fn from(r: services::servers::Reachability) -> Self {
        Self {
            server: Server(r.server),
            reachable: r.reachable,
            message: r.message,
            failure: r.failure.map(Into::into),
        }
    }
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
            docker_socket: input.docker_socket,
            private_key: input.private_key,
        };
        let state = state(ctx)?;
        Ok(ServerPayload {
            server: Server(services::servers::create(&state.db, &state.crypto, input).await?),
        })
    }

    async fn update_server(&self, ctx: &Context<'_>, input: UpdateServerInput) -> async_graphql::Result<ServerPayload> {
        let changes = services::servers::ServerInput {
            name: input.name,
            host: input.host,
            port: input.port,
            username: input.username,
            docker_socket: input.docker_socket,
            private_key: input.private_key,
        };
        let state = state(ctx)?;
        let server = services::servers::update(&state.db, &state.crypto, &input.id, changes).await?;
        // Its next use connects with what changed.
        state.remotes.forget(&server.id).await;
        Ok(ServerPayload { server: Server(server) })
    }

    /// Deletes a remote server that no application uses (admin).
    async fn delete_server(
        &self,
        ctx: &Context<'_>,
        input: ServerIdInput,
    ) -> async_graphql::Result<DeleteServerPayload> {
        let state = state(ctx)?;
        services::servers::delete(&state.db, &input.id).await?;
        state.remotes.forget(&input.id).await;
        Ok(DeleteServerPayload {
            deleted_server_id: input.id,
        })
    }

    /// Connects to the server over SSH with its key, checks its host key (recording it the
    /// first time), reaches its Docker engine through the connection and reads its CPUs,
    /// memory and disk; records the outcome (admin). A failure is in `failure` and `message`.
    async fn validate_server(
        &self,
        ctx: &Context<'_>,
        input: ServerIdInput,
    ) -> async_graphql::Result<ValidateServerPayload> {
        validated(state(ctx)?, &input.id, false).await
    }

    /// Trusts the host key the server presents now (after a reinstall changed it), then
    /// validates as `validateServer` does (admin).
    async fn accept_server_host_key(
        &self,
        ctx: &Context<'_>,
        input: ServerIdInput,
    ) -> async_graphql::Result<ValidateServerPayload> {
        validated(state(ctx)?, &input.id, true).await
    }
}

/// Validates the server and publishes a change of its status.
async fn validated(
    state: &crate::state::AppState,
    id: &str,
    accept_host_key: bool,
) -> async_graphql::Result<ValidateServerPayload> {
    let before = services::servers::get(&state.db, id).await?.status;
    let result = services::servers::validate(&state.db, &state.crypto, &state.remotes, id, accept_host_key).await?;
    if result.server.status != before {
        state.events.server_changed(id);
    }
    Ok(result.into())
}

pub const MIN_STATS_INTERVAL: i32 = 1;
pub const MAX_STATS_INTERVAL: i32 = 300;

#[derive(Default)]
pub struct ServersSubscription;

#[Subscription]
impl ServersSubscription {
    /// A server's status changed: a periodic check found it offline or back, or a validation
    /// changed it. Yields the server as it is then.
    async fn server_status_changed(&self, ctx: &Context<'_>) -> async_graphql::Result<impl Stream<Item = Server>> {
        let state = state(ctx)?.clone();
        let mut changes = state.events.servers();
        Ok(async_stream::stream! {
            loop {
                match changes.recv().await {
                    Ok(change) => {
                        if let Ok(server) = services::servers::get(&state.db, &change.server_id).await {
                            yield Server(server);
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        })
    }

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
