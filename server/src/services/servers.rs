//! Servers are where applications run. The local Docker host is registered on first start.
//! A remote one is reached over SSH ([`crate::remote`]) with a key Ployer generates (or one an
//! admin gives), sealed at rest; its host key is recorded at the first successful validation
//! and checked on every connection after, until an admin accepts a new one. Validation
//! reports each step: reach, authentication, host key, the Docker engine behind the SSH
//! connection and the server's CPUs, memory and disk.

use chrono::Utc;
use entities::{applications, servers};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use tracing::instrument;
use uuid::Uuid;

use crate::{
    crypto::{Binding, Crypto},
    error::{AppError, AppResult},
    remote::{self, RemoteError},
    validate::{self, Host, Slug},
};

pub use entities::servers::ServerStatus;

pub const DEFAULT_DOCKER_SOCKET: &str = "/var/run/docker.sock";

/// Registers the machine Ployer runs on, once.
pub async fn ensure_local(db: &DatabaseConnection) -> AppResult<servers::Model> {
    if let Some(local) = servers::Entity::find()
        .filter(servers::Column::IsLocal.eq(true))
        .one(db)
        .await?
    {
        return Ok(local);
    }
    let hostname = sysinfo::System::host_name().unwrap_or_else(|| "localhost".into());
    let now = Utc::now();
    let row = servers::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        name: Set("local".into()),
        host: Set(hostname),
        port: Set(22),
        username: Set("root".into()),
        is_local: Set(true),
        status: Set(ServerStatus::Reachable),
        last_checked_at: Set(Some(now)),
        docker_socket: Set(DEFAULT_DOCKER_SOCKET.into()),
        private_key_ciphertext: Set(None),
        private_key_nonce: Set(None),
        public_key: Set(None),
        host_key_fingerprint: Set(None),
        docker_version: Set(None),
        cpus: Set(None),
        memory_bytes: Set(None),
        disk_total_bytes: Set(None),
        disk_free_bytes: Set(None),
        last_error: Set(None),
        cluster_id: Set(None),
        swarm_node_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(row.insert(db).await?)
}

pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<servers::Model>> {
    Ok(servers::Entity::find()
        .order_by_desc(servers::Column::IsLocal)
        .order_by_asc(servers::Column::Name)
        .all(db)
        .await?)
}

pub async fn get(db: &DatabaseConnection, id: &str) -> AppResult<servers::Model> {
    servers::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("server"))
}

#[derive(Default)]
pub struct ServerInput {
    pub name: Option<String>,
    pub host: Option<String>,
    pub port: Option<i32>,
    pub username: Option<String>,
    pub docker_socket: Option<String>,
    /// An SSH private key to authenticate with; without one on create, Ployer generates one.
    pub private_key: Option<String>,
}

/// The engine's socket on the server: an absolute path.
fn docker_socket(raw: &str) -> AppResult<String> {
    let ok = raw.starts_with('/')
        && raw.len() <= 255
        && !raw.chars().any(|c| c.is_control() || c.is_whitespace())
        && !raw.split('/').any(|part| part == "..");
    if !ok {
        return Err(AppError::bad_input(
            "dockerSocket",
            "must be an absolute path on the server (e.g. /var/run/docker.sock)",
        ));
    }
    Ok(raw.to_string())
}

/// The key's private half sealed for the server, and its public half.
fn sealed_key(crypto: &Crypto, server_id: &str, private_key: Option<&str>) -> AppResult<(Vec<u8>, Vec<u8>, String)> {
    let (private, public) = match private_key {
        Some(text) => {
            let key = remote::parse_key(text).map_err(|reason| AppError::bad_input("privateKey", reason))?;
            (text.trim().to_string() + "\n", remote::public_line(&key))
        }
        None => {
            let (private, public) = remote::generate_key(&format!("ployer@{}", &server_id[..8]));
            (private.to_string(), public)
        }
    };
    let sealed = crypto.seal(private.as_bytes(), Binding::ServerKey { server_id })?;
    Ok((sealed.ciphertext, sealed.nonce, public))
}

#[instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, crypto: &Crypto, input: ServerInput) -> AppResult<servers::Model> {
    let name = Slug::parse("name", input.name.as_deref().unwrap_or_default())?;
    let host = Host::parse("host", input.host.as_deref().unwrap_or_default())?;
    let port = validate::port("port", input.port.unwrap_or(22))?;
    let username = Slug::parse("username", input.username.as_deref().unwrap_or("root"))?;
    let socket = docker_socket(input.docker_socket.as_deref().unwrap_or(DEFAULT_DOCKER_SOCKET))?;
    let id = Uuid::new_v4().to_string();
    let (ciphertext, nonce, public) = sealed_key(crypto, &id, input.private_key.as_deref())?;
    let now = Utc::now();
    let row = servers::ActiveModel {
        id: Set(id),
        name: Set(name.as_str().into()),
        host: Set(host.as_str().into()),
        port: Set(port.into()),
        username: Set(username.as_str().into()),
        is_local: Set(false),
        status: Set(ServerStatus::Unknown),
        last_checked_at: Set(None),
        docker_socket: Set(socket),
        private_key_ciphertext: Set(Some(ciphertext)),
        private_key_nonce: Set(Some(nonce)),
        public_key: Set(Some(public)),
        host_key_fingerprint: Set(None),
        docker_version: Set(None),
        cpus: Set(None),
        memory_bytes: Set(None),
        disk_total_bytes: Set(None),
        disk_free_bytes: Set(None),
        last_error: Set(None),
        cluster_id: Set(None),
        swarm_node_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    row.insert(db).await.map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => AppError::ConflictOn("name", "a server with this name already exists".into()),
        other => other,
    })
}

#[instrument(skip_all, fields(server_id = %id))]
pub async fn update(
    db: &DatabaseConnection,
    crypto: &Crypto,
    id: &str,
    input: ServerInput,
) -> AppResult<servers::Model> {
    let server = get(db, id).await?;
    let connection_changes = input.host.is_some()
        || input.port.is_some()
        || input.username.is_some()
        || input.docker_socket.is_some()
        || input.private_key.is_some();
    if server.is_local && connection_changes {
        return Err(AppError::bad_input(
            "host",
            "the local server's connection cannot be changed",
        ));
    }
    let mut active: servers::ActiveModel = server.clone().into();
    if let Some(name) = input.name {
        active.name = Set(Slug::parse("name", &name)?.as_str().into());
    }
    if let Some(host) = input.host {
        let host = Host::parse("host", &host)?;
        if host.as_str() != server.host {
            // Another machine: its host key is its own.
            active.host_key_fingerprint = Set(None);
        }
        active.host = Set(host.as_str().into());
    }
    if let Some(port) = input.port {
        let port = i32::from(validate::port("port", port)?);
        if port != server.port {
            active.host_key_fingerprint = Set(None);
        }
        active.port = Set(port);
    }
    if let Some(username) = input.username {
        active.username = Set(Slug::parse("username", &username)?.as_str().into());
    }
    if let Some(socket) = input.docker_socket {
        active.docker_socket = Set(docker_socket(&socket)?);
    }
    if let Some(key) = input.private_key {
        let (ciphertext, nonce, public) = sealed_key(crypto, &server.id, Some(&key))?;
        active.private_key_ciphertext = Set(Some(ciphertext));
        active.private_key_nonce = Set(Some(nonce));
        active.public_key = Set(Some(public));
    }
    if connection_changes {
        active.status = Set(ServerStatus::Unknown);
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Deletes a remote server; refused while applications are on it, naming them.
#[instrument(skip_all, fields(server_id = %id))]
pub async fn delete(db: &DatabaseConnection, id: &str) -> AppResult<()> {
    let server = get(db, id).await?;
    if server.is_local {
        return Err(AppError::Conflict("the local server cannot be deleted".into()));
    }
    let apps: Vec<String> = applications::Entity::find()
        .filter(applications::Column::ServerId.eq(server.id.clone()))
        .order_by_asc(applications::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect();
    if !apps.is_empty() {
        return Err(AppError::Conflict(format!(
            "applications are on this server: {}; move or delete them first",
            apps.join(", ")
        )));
    }
    servers::Entity::delete_by_id(server.id)
        .exec(db)
        .await
        .map_err(|err| match AppError::from(err) {
            AppError::Conflict(_) => AppError::Conflict("applications still run on this server".into()),
            other => other,
        })?;
    Ok(())
}

/// Which step of a validation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Unreachable,
    ConnectionRefused,
    HostKeyChanged,
    AuthenticationRefused,
    DockerUnavailable,
    Ssh,
}

impl From<&RemoteError> for Failure {
    fn from(err: &RemoteError) -> Self {
        match err {
            RemoteError::Unreachable(..) => Failure::Unreachable,
            RemoteError::Refused(_) => Failure::ConnectionRefused,
            RemoteError::HostKeyChanged { .. } => Failure::HostKeyChanged,
            RemoteError::AuthRefused { .. } => Failure::AuthenticationRefused,
            RemoteError::Docker { .. } => Failure::DockerUnavailable,
            RemoteError::Ssh(..) => Failure::Ssh,
        }
    }
}

pub struct Reachability {
    pub server: servers::Model,
    pub reachable: bool,
    pub message: String,
    pub failure: Option<Failure>,
}

/// What a successful validation found on the server.
struct Found {
    host_key: String,
    docker_version: String,
    cpus: Option<i32>,
    memory_bytes: Option<i64>,
    disk: Option<(i64, i64)>,
}

/// Connects over SSH (checking the recorded host key, or recording it when there is none or
/// `accept_host_key`), reaches the Docker engine through the connection, reads the server's
/// resources, and records the outcome (`unreachable` on a failure).
#[instrument(skip_all, fields(server_id = %id))]
pub async fn validate(
    db: &DatabaseConnection,
    crypto: &Crypto,
    pool: &remote::Pool,
    id: &str,
    accept_host_key: bool,
) -> AppResult<Reachability> {
    let server = get(db, id).await?;
    if server.is_local {
        let mut active: servers::ActiveModel = server.into();
        active.status = Set(ServerStatus::Reachable);
        active.last_checked_at = Set(Some(Utc::now()));
        return Ok(Reachability {
            server: active.update(db).await?,
            reachable: true,
            message: "the local server is always reachable".into(),
            failure: None,
        });
    }
    // A validation proves a new connection: the kept one (if any) is replaced.
    pool.forget(&server.id).await;
    let outcome = inspect(crypto, pool, &server, accept_host_key).await?;
    record(db, server, outcome, ServerStatus::Unreachable).await
}

/// The periodic check of a validated remote server: as [`validate`] with the recorded host
/// key, over the connection kept from the last use while it lasts (once more over a new one
/// when that fails); a failure shows it `offline`.
pub async fn check(
    db: &DatabaseConnection,
    crypto: &Crypto,
    pool: &remote::Pool,
    server: servers::Model,
) -> AppResult<Reachability> {
    let reused = pool.open(&server.id).await.is_some();
    let mut outcome = inspect(crypto, pool, &server, false).await?;
    if reused && outcome.is_err() {
        pool.forget(&server.id).await;
        outcome = inspect(crypto, pool, &server, false).await?;
    }
    if outcome.is_err() {
        pool.forget(&server.id).await;
    }
    record(db, server, outcome, ServerStatus::Offline).await
}

/// Stores what a validation or check found; `failed` is the status a failure leaves.
async fn record(
    db: &DatabaseConnection,
    server: servers::Model,
    outcome: Result<Found, RemoteError>,
    failed: ServerStatus,
) -> AppResult<Reachability> {
    let mut active: servers::ActiveModel = server.clone().into();
    active.last_checked_at = Set(Some(Utc::now()));
    let (reachable, message, failure) = match outcome {
        Ok(found) => {
            let message = format!(
                "connected to {}@{}:{} (host key {}); Docker {} at {}",
                server.username, server.host, server.port, found.host_key, found.docker_version, server.docker_socket
            );
            active.status = Set(ServerStatus::Reachable);
            active.host_key_fingerprint = Set(Some(found.host_key));
            active.docker_version = Set(Some(found.docker_version));
            active.cpus = Set(found.cpus);
            active.memory_bytes = Set(found.memory_bytes);
            active.disk_total_bytes = Set(found.disk.map(|(total, _)| total));
            active.disk_free_bytes = Set(found.disk.map(|(_, free)| free));
            active.last_error = Set(None);
            (true, message, None)
        }
        Err(err) => {
            active.status = Set(failed);
            active.last_error = Set(Some(err.to_string()));
            (false, err.to_string(), Some(Failure::from(&err)))
        }
    };
    Ok(Reachability {
        server: active.update(db).await?,
        reachable,
        message,
        failure,
    })
}

/// Reaches the server (over its kept connection, or a new one it then keeps) and its engine.
async fn inspect(
    crypto: &Crypto,
    pool: &remote::Pool,
    server: &servers::Model,
    accept_host_key: bool,
) -> AppResult<Result<Found, RemoteError>> {
    let connection = match pool.open(&server.id).await {
        Some(connection) => connection,
        None => match connect(crypto, server, accept_host_key).await? {
            Ok(connection) => {
                let connection = std::sync::Arc::new(connection);
                pool.keep(&server.id, connection.clone()).await;
                connection
            }
            Err(err) => return Ok(Err(err)),
        },
    };
    Ok(engine_of(server, &connection).await)
}

/// The server's kept connection, or a new one (its recorded host key required) that is then
/// kept: what deployments and the workers reach a server's engine through.
pub async fn connection(
    crypto: &Crypto,
    pool: &remote::Pool,
    server: &servers::Model,
) -> AppResult<Result<std::sync::Arc<remote::Connection>, RemoteError>> {
    if let Some(connection) = pool.open(&server.id).await {
        return Ok(Ok(connection));
    }
    Ok(match connect(crypto, server, false).await? {
        Ok(connection) => {
            let connection = std::sync::Arc::new(connection);
            pool.keep(&server.id, connection.clone()).await;
            Ok(connection)
        }
        Err(err) => Err(err),
    })
}

/// A new SSH connection to the server with its key.
async fn connect(
    crypto: &Crypto,
    server: &servers::Model,
    accept_host_key: bool,
) -> AppResult<Result<remote::Connection, RemoteError>> {
    let (Some(ciphertext), Some(nonce)) = (&server.private_key_ciphertext, &server.private_key_nonce) else {
        return Err(AppError::Conflict(
            "the server has no SSH key: set one (privateKey)".into(),
        ));
    };
    let text = crypto.open_string(ciphertext, nonce, Binding::ServerKey { server_id: &server.id })?;
    let key = remote::parse_key(&text).map_err(|e| AppError::Internal(anyhow::anyhow!("a stored server key {e}")))?;
    let pinned = server.host_key_fingerprint.as_deref().filter(|_| !accept_host_key);
    Ok(remote::connect(remote::Target {
        host: &server.host,
        port: u16::try_from(server.port).unwrap_or(22),
        user: &server.username,
        key,
        pinned,
    })
    .await)
}

/// The engine's version and the server's resources, over `connection`.
async fn engine_of(
    server: &servers::Model,
    connection: &std::sync::Arc<remote::Connection>,
) -> Result<Found, RemoteError> {
    let host_key = remote::fingerprint(&connection.host_key);
    let docker = connection.docker(&server.docker_socket);
    let engine_error = |reason: String| RemoteError::Docker {
        socket: server.docker_socket.clone(),
        reason,
    };
    let version = match docker.version().await {
        Ok(version) => version.version.unwrap_or_default(),
        Err(err) => return Err(engine_error(err.to_string())),
    };
    let info = match docker.info().await {
        Ok(info) => info,
        Err(err) => return Err(engine_error(err.to_string())),
    };
    let root = info.docker_root_dir.clone().unwrap_or_else(|| "/var/lib/docker".into());
    let disk = match connection.exec(&format!("df -Pk '{}'", root.replace('\'', ""))).await {
        Ok((0, out)) => parse_df(&out),
        _ => None,
    };
    Ok(Found {
        host_key,
        docker_version: version,
        cpus: info.ncpu.and_then(|n| i32::try_from(n).ok()),
        memory_bytes: info.mem_total,
        disk,
    })
}

/// Total and free bytes from `df -Pk` output (the second line's 2nd and 4th columns).
fn parse_df(out: &str) -> Option<(i64, i64)> {
    let fields: Vec<&str> = out.lines().nth(1)?.split_whitespace().collect();
    let total: i64 = fields.get(1)?.parse().ok()?;
    let free: i64 = fields.get(3)?.parse().ok()?;
    Some((total.checked_mul(1024)?, free.checked_mul(1024)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn df_output_gives_total_and_free_bytes() {
        let out = "Filesystem     1024-blocks      Used Available Capacity Mounted on\n/dev/vda        263174212 11534340 241198544       5% /\n";
        assert_eq!(parse_df(out), Some((263174212 * 1024, 241198544 * 1024)));
        assert_eq!(parse_df("nonsense"), None);
        assert_eq!(parse_df("header\n/dev/x a b c"), None);
    }
}
