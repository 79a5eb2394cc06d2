//! Servers are where applications run. The local Docker host is registered on first start;
//! remote rows can be managed and their reachability checked (running apps on them comes
//! later, over SSH).

use std::time::Duration;

use chrono::Utc;
use entities::servers;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use tracing::instrument;
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    validate::{self, Host, Slug},
};

pub use entities::servers::ServerStatus;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Registers the local server once; later starts keep the row (and its id).
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

pub struct ServerInput {
    pub name: Option<String>,
    pub host: Option<String>,
    pub port: Option<i32>,
    pub username: Option<String>,
}

#[instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, input: ServerInput) -> AppResult<servers::Model> {
    let name = Slug::parse("name", input.name.as_deref().unwrap_or_default())?;
    let host = Host::parse("host", input.host.as_deref().unwrap_or_default())?;
    let port = validate::port("port", input.port.unwrap_or(22))?;
    let username = Slug::parse("username", input.username.as_deref().unwrap_or("root"))?;
    let now = Utc::now();
    let row = servers::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        name: Set(name.as_str().into()),
        host: Set(host.as_str().into()),
        port: Set(port.into()),
        username: Set(username.as_str().into()),
        is_local: Set(false),
        status: Set(ServerStatus::Unknown),
        last_checked_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(row.insert(db).await?)
}

#[instrument(skip_all, fields(server_id = %id))]
pub async fn update(db: &DatabaseConnection, id: &str, input: ServerInput) -> AppResult<servers::Model> {
    let server = get(db, id).await?;
    if server.is_local && (input.host.is_some() || input.port.is_some() || input.username.is_some()) {
        return Err(AppError::bad_input(
            "host",
            "the local server's connection cannot be changed",
        ));
    }
    let mut active: servers::ActiveModel = server.into();
    if let Some(name) = input.name {
        active.name = Set(Slug::parse("name", &name)?.as_str().into());
    }
    if let Some(host) = input.host {
        active.host = Set(Host::parse("host", &host)?.as_str().into());
        active.status = Set(ServerStatus::Unknown);
    }
    if let Some(port) = input.port {
        active.port = Set(validate::port("port", port)?.into());
        active.status = Set(ServerStatus::Unknown);
    }
    if let Some(username) = input.username {
        active.username = Set(Slug::parse("username", &username)?.as_str().into());
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

#[instrument(skip_all, fields(server_id = %id))]
pub async fn delete(db: &DatabaseConnection, id: &str) -> AppResult<()> {
    let server = get(db, id).await?;
    if server.is_local {
        return Err(AppError::Conflict("the local server cannot be deleted".into()));
    }
    // Applications reference servers with ON DELETE RESTRICT: a server in use stays.
    servers::Entity::delete_by_id(server.id)
        .exec(db)
        .await
        .map_err(|err| match AppError::from(err) {
            AppError::Conflict(_) => AppError::Conflict("applications still run on this server".into()),
            other => other,
        })?;
    Ok(())
}

pub struct Reachability {
    pub server: servers::Model,
    pub reachable: bool,
    pub message: String,
}

/// Opens a TCP connection to the server's SSH port and records the outcome.
#[instrument(skip_all, fields(server_id = %id))]
pub async fn validate(db: &DatabaseConnection, id: &str) -> AppResult<Reachability> {
    let server = get(db, id).await?;
    let (reachable, message) = if server.is_local {
        (true, "the local server is always reachable".to_string())
    } else {
        let target = (server.host.clone(), u16::try_from(server.port).unwrap_or(22));
        match tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(target)).await {
            Ok(Ok(_)) => (true, format!("connected to {}:{}", server.host, server.port)),
            Ok(Err(err)) => (
                false,
                format!("cannot connect to {}:{}: {err}", server.host, server.port),
            ),
            Err(_) => (
                false,
                format!(
                    "no answer from {}:{} within {}s",
                    server.host,
                    server.port,
                    CONNECT_TIMEOUT.as_secs()
                ),
            ),
        }
    };
    let mut active: servers::ActiveModel = server.into();
    active.status = Set(if reachable {
        ServerStatus::Reachable
    } else {
        ServerStatus::Unreachable
    });
    active.last_checked_at = Set(Some(Utc::now()));
    let server = active.update(db).await?;
    Ok(Reachability {
        server,
        reachable,
        message,
    })
}
