//! Where an application runs: this machine's Docker engine, or a remote server's engine
//! reached over the server's SSH connection together with the Caddy Ployer runs there (the
//! server's edge: the applications on a server are served by that server, their DNS points at
//! it).
//!
//! Everything that acts on an application's containers asks [`Places`] for its place first:
//! the deploy pipeline, the cutover and drain, the reconciler. A remote place is made once per
//! SSH connection (the pool's) and made again when that connection was replaced; a server
//! shown `offline` is refused at once with the reason its last check found, so a deploy to it
//! fails fast instead of waiting for a connection timeout.
//!
//! The edge is a Caddy container on the server's network (see [`crate::docker::edge`]): its
//! admin API listens on the server's loopback only and Ployer reaches it through a port
//! forwarded over SSH; its upstream files are on the server, written over the same connection.
//! Why a container and not a binary Ployer installs: the engine is on every server Ployer
//! manages already, restarts the container with itself, and keeps its certificates in a volume,
//! while a binary would need a service manager, an architecture to download for, and root.

use std::{collections::HashMap, net::SocketAddr, path::Path, sync::Arc, time::Duration};

use bollard::Docker;
use entities::{applications, servers};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    config::Config,
    crypto::Crypto,
    docker::{self, edge},
    proxy::{Caddy, UpstreamFiles},
    remote,
    services::servers::ServerStatus,
};

/// The edge container's name on every remote server.
pub const EDGE_CONTAINER: &str = "ployer-caddy";
/// The named volume holding the edge's certificates and autosaved config.
const EDGE_VOLUME: &str = "ployer-caddy-data";
/// How long a freshly started edge gets for its admin API to answer.
const EDGE_START: Duration = Duration::from_secs(20);

/// Where applications run, and the way to each remote server's engine and edge.
pub struct Places {
    db: DatabaseConnection,
    crypto: Crypto,
    pool: remote::Pool,
    local: docker::Engine,
    config: Arc<Config>,
    edges: tokio::sync::Mutex<HashMap<String, Arc<Edge>>>,
    /// Held while an edge is being opened.
    opening: tokio::sync::Mutex<()>,
}

/// A remote server's engine and Caddy, over one SSH connection.
pub struct Edge {
    pub server_id: String,
    pub server_name: String,
    connection: Arc<remote::Connection>,
    pub engine: Docker,
    pub caddy: Caddy,
    /// The admin API's forwarded port, open while the edge is.
    _admin: remote::Forward,
    /// Ports forwarded to containers for probes, by remote port, kept while they are used
    /// (a probe every few seconds need not open a listener each time).
    forwards: std::sync::Mutex<HashMap<u16, (Arc<remote::Forward>, std::time::Instant)>>,
}

/// How long a forwarded port no probe used stays open.
const FORWARD_IDLE: Duration = Duration::from_secs(120);

impl Edge {
    /// A port on this machine's loopback forwarded to `port` on the server's loopback.
    async fn forward_to(&self, port: u16) -> std::io::Result<Arc<remote::Forward>> {
        let now = std::time::Instant::now();
        {
            let mut forwards = self.forwards.lock().unwrap_or_else(|p| p.into_inner());
            forwards.retain(|_, (_, used)| now.duration_since(*used) < FORWARD_IDLE);
            if let Some((forward, used)) = forwards.get_mut(&port) {
                *used = now;
                return Ok(forward.clone());
            }
        }
        let forward = Arc::new(self.connection.forward(port).await?);
        self.forwards
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(port, (forward.clone(), now));
        Ok(forward)
    }
}

/// One application's place.
#[derive(Clone)]
pub enum Place {
    Local(Docker),
    Remote(Arc<Edge>),
}

impl Place {
    pub fn engine(&self) -> &Docker {
        match self {
            Place::Local(engine) => engine,
            Place::Remote(edge) => &edge.engine,
        }
    }

    /// The remote server's id; `None` on this machine.
    pub fn server_id(&self) -> Option<String> {
        match self {
            Place::Local(_) => None,
            Place::Remote(edge) => Some(edge.server_id.clone()),
        }
    }

    /// An address on this machine that reaches `upstream` — a container's port published on
    /// the loopback of the engine's host — and, for a remote server, the forward that carries
    /// it (the address works while it is kept).
    pub async fn reach(&self, upstream: SocketAddr) -> Result<(SocketAddr, Option<Arc<remote::Forward>>), String> {
        match self {
            Place::Local(_) => Ok((upstream, None)),
            Place::Remote(edge) => {
                let forward = edge
                    .forward_to(upstream.port())
                    .await
                    .map_err(|err| format!("cannot forward a port to {} over SSH: {err}", edge.server_name))?;
                Ok((forward.local, Some(forward)))
            }
        }
    }
}

impl Places {
    pub fn new(
        db: DatabaseConnection,
        crypto: Crypto,
        pool: remote::Pool,
        local: docker::Engine,
        config: Arc<Config>,
    ) -> Self {
        Self {
            db,
            crypto,
            pool,
            local,
            config,
            edges: Default::default(),
            opening: Default::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn pool(&self) -> &remote::Pool {
        &self.pool
    }

    /// Where `app` runs.
    pub async fn of_app(&self, app: &applications::Model) -> Result<Place, String> {
        self.of_server(Some(&app.server_id)).await
    }

    /// The place of the server with id `server_id`; `None`, the local one, and an id no server
    /// has (rows from before servers existed) are this machine.
    pub async fn of_server(&self, server_id: Option<&str>) -> Result<Place, String> {
        let server = match server_id.filter(|id| !id.is_empty()) {
            Some(id) => servers::Entity::find_by_id(id.to_string())
                .one(&self.db)
                .await
                .map_err(|e| e.to_string())?,
            None => None,
        };
        match server {
            Some(server) if !server.is_local => self.remote(&server).await.map(Place::Remote),
            _ => self.local.connect().map(Place::Local).map_err(|e| e.to_string()),
        }
    }

    /// The engine the application's active deployment runs on (the application's server when
    /// it has none): where its containers' logs and state are read. `UNAVAILABLE` with the
    /// reason when that engine cannot be reached.
    pub async fn engine_of_active(&self, app_id: &str) -> crate::error::AppResult<Docker> {
        let app = applications::Entity::find_by_id(app_id.to_string())
            .one(&self.db)
            .await?
            .ok_or_else(|| crate::error::AppError::not_found("application"))?;
        let server = match &app.active_deployment_id {
            Some(active) => entities::deployments::Entity::find_by_id(active.clone())
                .one(&self.db)
                .await?
                .and_then(|d| d.server_id),
            None => Some(app.server_id.clone()),
        };
        self.of_server(server.as_deref())
            .await
            .map(|place| place.engine().clone())
            .map_err(crate::error::AppError::Unavailable)
    }

    /// Whether `server_id` names a remote server (not this machine).
    pub async fn is_remote(&self, server_id: &str) -> bool {
        servers::Entity::find_by_id(server_id.to_string())
            .one(&self.db)
            .await
            .ok()
            .flatten()
            .is_some_and(|s| !s.is_local)
    }

    /// The remote servers the reconciler, the route check, the health monitor and the stats
    /// collector look after: those an active deployment runs on, and those whose edge this
    /// process made (an application moved away or deleted leaves a route to take out there).
    /// An application only assigned to a server needs nothing there until it deploys. Offline
    /// ones are left out: their check brings them back first.
    pub async fn remote_in_use(&self) -> Vec<servers::Model> {
        let active: Vec<String> = applications::Entity::find()
            .filter(applications::Column::ActiveDeploymentId.is_not_null())
            .all(&self.db)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| a.active_deployment_id)
            .collect();
        let running_on: Vec<String> = entities::deployments::Entity::find()
            .filter(entities::deployments::Column::Id.is_in(active))
            .all(&self.db)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| d.server_id)
            .collect();
        let with_edges: Vec<String> = self.edges.lock().await.keys().cloned().collect();
        servers::Entity::find()
            .filter(servers::Column::IsLocal.eq(false))
            .all(&self.db)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|s| running_on.contains(&s.id) || with_edges.contains(&s.id))
            .filter(|s| s.status != ServerStatus::Offline && s.host_key_fingerprint.is_some())
            .collect()
    }

    /// The server's engine alone (no Caddy made there): what a cluster's members are driven
    /// through. This machine's, or the remote one over the server's kept SSH connection.
    pub async fn engine_of(&self, server: &servers::Model) -> Result<Docker, String> {
        if server.is_local {
            return self.local.connect().map_err(|e| e.to_string());
        }
        let connection = self.connection(server).await?;
        Ok(connection.docker(&server.docker_socket))
    }

    /// As [`Places::engine_of`], but tried even when the server is shown offline (its check may
    /// be behind): for removing things, where trying costs only the connection's timeout, and
    /// for a cluster's nodes the swarm itself reports ready.
    pub async fn engine_despite_status(&self, server: &servers::Model) -> Result<Docker, String> {
        if server.is_local {
            return self.local.connect().map_err(|e| e.to_string());
        }
        let connection = self.connection_despite_status(server).await?;
        Ok(connection.docker(&server.docker_socket))
    }

    /// The server's kept SSH connection (or a new one) whatever its last check said.
    async fn connection_despite_status(&self, server: &servers::Model) -> Result<Arc<remote::Connection>, String> {
        crate::services::servers::connection(&self.crypto, &self.pool, server)
            .await
            .map_err(|e| e.message())?
            .map_err(|e| format!("cannot reach the server {}: {e}", server.name))
    }

    /// A port on this machine that reaches `port` on `server` (its loopback), and the forward
    /// that carries it for a remote server: how a cluster's tasks are probed on their node.
    pub async fn reach_on(
        &self,
        server: &servers::Model,
        port: u16,
    ) -> Result<(SocketAddr, Option<Arc<remote::Forward>>), String> {
        let upstream = SocketAddr::from(([127, 0, 0, 1], port));
        if server.is_local {
            return Ok((upstream, None));
        }
        // A task the swarm runs there: tried even while the server's check lags behind.
        let connection = self.connection_despite_status(server).await?;
        let forward = connection
            .forward(port)
            .await
            .map_err(|err| format!("cannot forward a port to {} over SSH: {err}", server.name))?;
        Ok((forward.local, Some(Arc::new(forward))))
    }

    /// The server's kept SSH connection (or a new one), refused at once when it is offline or
    /// was never validated.
    async fn connection(&self, server: &servers::Model) -> Result<Arc<remote::Connection>, String> {
        if server.status == ServerStatus::Offline {
            return Err(format!(
                "the server {} is offline: {}",
                server.name,
                server.last_error.as_deref().unwrap_or("its last check failed")
            ));
        }
        if server.host_key_fingerprint.is_none() {
            return Err(format!(
                "the server {} has not been validated yet: validate it (its host key is recorded then) first",
                server.name
            ));
        }
        crate::services::servers::connection(&self.crypto, &self.pool, server)
            .await
            .map_err(|e| e.message())?
            .map_err(|e| format!("cannot reach the server {}: {e}", server.name))
    }

    /// The remote members of clusters an application with an active deployment runs on: the
    /// nodes its tasks may be on (the stats collector samples their containers).
    pub async fn cluster_nodes_in_use(&self) -> Vec<servers::Model> {
        let clusters: Vec<String> = applications::Entity::find()
            .filter(applications::Column::ActiveDeploymentId.is_not_null())
            .filter(applications::Column::ClusterId.is_not_null())
            .all(&self.db)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| a.cluster_id)
            .collect();
        if clusters.is_empty() {
            return Vec::new();
        }
        servers::Entity::find()
            .filter(servers::Column::ClusterId.is_in(clusters))
            .filter(servers::Column::IsLocal.eq(false))
            .all(&self.db)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.status != ServerStatus::Offline)
            .collect()
    }

    /// The server's edge over its current connection: the kept one while the connection lasts,
    /// else a new connection, the Caddy container made sure of, and a new admin forward.
    async fn remote(&self, server: &servers::Model) -> Result<Arc<Edge>, String> {
        let connection = self.connection(server).await?;
        let current = |edges: &HashMap<String, Arc<Edge>>| {
            edges
                .get(&server.id)
                .filter(|edge| Arc::ptr_eq(&edge.connection, &connection))
                .cloned()
        };
        if let Some(edge) = current(&*self.edges.lock().await) {
            return Ok(edge);
        }
        // Opening an edge can take a while (Caddy's image pulled there): one at a time, and
        // without holding the table the workers read.
        let _opening = self.opening.lock().await;
        if let Some(edge) = current(&*self.edges.lock().await) {
            return Ok(edge);
        }
        let edge = Arc::new(
            self.open_edge(server, connection.clone())
                .await
                .map_err(|e| format!("the server {}: {e}", server.name))?,
        );
        self.edges.lock().await.insert(server.id.clone(), edge.clone());
        Ok(edge)
    }

    async fn open_edge(&self, server: &servers::Model, connection: Arc<remote::Connection>) -> Result<Edge, String> {
        let engine = connection.docker(&server.docker_socket);
        // The files live under the SSH user's home, which that user can write whoever it is;
        // the server's id keeps two Ployers (or two servers sharing a home) apart.
        let dir = format!(".ployer/edge-{}/upstreams", server.id);
        let (status, out) = connection
            .exec(&format!("mkdir -p \"$HOME/{dir}\" && cd \"$HOME/{dir}\" && pwd -P"))
            .await
            .map_err(|e| format!("cannot run a command over SSH: {e}"))?;
        let dir = out.trim().to_string();
        if status != 0 || !dir.starts_with('/') {
            return Err(format!(
                "cannot make the directory for Caddy's upstream files (exit {status})"
            ));
        }
        let files = UpstreamFiles::open_remote(Path::new(&dir), connection.clone())
            .await
            .map_err(|e| e.to_string())?;
        let admin_port = self.config.edge_admin_port;
        let admin = format!("127.0.0.1:{admin_port}");
        let state = edge::ensure_edge(
            &engine,
            &edge::EdgeSpec {
                name: EDGE_CONTAINER,
                image: &self.config.edge_image,
                admin: &admin,
                upstream_dir: &dir,
                data_volume: EDGE_VOLUME,
            },
        )
        .await
        .map_err(|e| format!("cannot start Caddy ({}): {e}", self.config.edge_image))?;
        if state != edge::EdgeState::Running {
            tracing::info!(server = %server.name, ?state, "Caddy on the server");
        }
        let forward = connection
            .forward(admin_port)
            .await
            .map_err(|e| format!("cannot forward Caddy's admin port: {e}"))?;
        let https =
            (self.config.edge_https_port > 0).then(|| SocketAddr::from(([0, 0, 0, 0], self.config.edge_https_port)));
        let caddy = Caddy::new(
            &format!("http://{}", forward.local),
            SocketAddr::from(([0, 0, 0, 0], self.config.edge_http_port)),
            files,
        )
        .with_https(https)
        .with_admin_host(&admin);
        let deadline = tokio::time::Instant::now() + EDGE_START;
        while !caddy.is_up().await {
            if tokio::time::Instant::now() > deadline {
                return Err(format!(
                    "Caddy's admin API on the server does not answer within {} s",
                    EDGE_START.as_secs()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(Edge {
            server_id: server.id.clone(),
            server_name: server.name.clone(),
            connection,
            engine,
            caddy,
            _admin: forward,
            forwards: Default::default(),
        })
    }
}
