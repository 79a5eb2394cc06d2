//! `Application::build` wires everything from a `Config`: data dir (locked while the server
//! runs), secrets, database and
//! migrations, the local server row, Docker, the schema and the router, and binds the
//! listener (port 0 picks a free port, which tests use). `run_until_stopped` serves until
//! the shutdown future resolves, then closes websockets and drains requests.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;
use tokio::{net::TcpListener, sync::watch};

use crate::{
    audit::Audit,
    auth::{rate_limit::LoginLimiter, token::Tokens, Authenticator},
    backup::DataDirLock,
    config::Config,
    crypto::Crypto,
    db,
    deploy::Deployer,
    docker,
    events::Events,
    graphql,
    http::{self, HttpState},
    metrics::Metrics,
    proxy::{Caddy, CaddySupervisor, UpstreamFiles},
    secrets::Secrets,
    services,
    state::AppState,
    system::HostSampler,
};

const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
const MAINTENANCE_PERIOD: Duration = Duration::from_secs(30);
/// The audit log's retention is in days: an hourly sweep is soon enough.
const AUDIT_SWEEP_PERIOD: Duration = Duration::from_secs(60 * 60);

pub struct Application {
    listener: TcpListener,
    state: AppState,
    schema: graphql::PloyerSchema,
    local_addr: SocketAddr,
    /// Caddy started by Ployer itself, when none was running.
    caddy: Option<CaddySupervisor>,
    /// Held while the server runs: `ployer restore` refuses a data dir a server runs on.
    data_lock: DataDirLock,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let mut config = config;
        config
            .check()
            .map_err(|reason| anyhow::anyhow!("invalid configuration: {reason}"))?;
        prepare_data_dir(&config.data_dir)?;
        let data_lock = DataDirLock::take(&config.data_dir)?;
        // Bind first: with port 0 the real port is known only now, and everything that
        // derives from the address (public URL, reserved ports) must use it.
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("while binding {}", config.listen))?;
        config.listen = listener.local_addr()?;
        let secrets = Secrets::load_or_create(&config)?;
        let db = db::connect(&config.database_path()).await?;
        db::migrate(&db).await?;
        services::servers::ensure_local(&db)
            .await
            .map_err(|e| anyhow::anyhow!("while registering the local server: {}", e.message()))?;

        let docker = docker::Engine::new(&config.docker_socket);
        let tokens = Tokens::new(&secrets.jwt_secret, config.jwt_lifetime_seconds);
        let crypto = Crypto::new(&secrets.master_key);
        let caddy = match config.start_caddy {
            false => None,
            true => match CaddySupervisor::ensure(&config.caddy_admin).await {
                Ok(supervisor) => supervisor,
                Err(err) => {
                    tracing::warn!(error = %err, "no Caddy admin API answers and none could be started; deployments cannot be routed until one does");
                    None
                }
            },
        };
        // Caddy reads each route's upstream from here on every request; it resolves the path from
        // its own working directory, so the path is absolute.
        let upstream_dir = std::fs::canonicalize(&config.data_dir)
            .with_context(|| format!("while resolving the data dir {}", config.data_dir.display()))?
            .join("upstreams");
        let upstream_files = UpstreamFiles::open(&upstream_dir)
            .with_context(|| format!("while preparing {}", upstream_dir.display()))?;
        let config = Arc::new(config);
        let metrics = Arc::new(Metrics::new(caddy.as_ref().map(CaddySupervisor::restart_count)));
        let events = Events::new(docker.clone());
        let remotes = crate::remote::Pool::default();
        let deployer = Deployer::new(
            db.clone(),
            docker.clone(),
            Caddy::new(&config.caddy_admin, config.proxy_http_listen, upstream_files)
                .with_https(config.proxy_https_listen),
            crypto.clone(),
            config.clone(),
            events.clone(),
            metrics.clone(),
            remotes.clone(),
        );
        let state = AppState {
            audit: Audit::start(db.clone(), config.audit_log_enabled),
            metrics,
            auth: Authenticator::new(db.clone(), tokens),
            login_limiter: LoginLimiter::new(config.login_attempts_per_minute),
            host: Arc::new(HostSampler::new(&config.data_dir, docker.clone())),
            docker,
            crypto,
            resolver: Arc::new(services::domains::resolver(config.dns_server)?),
            deployer,
            events,
            db,
            config,
            remotes,
        };
        let limits = graphql::Limits {
            max_depth: state.config.graphql_max_depth,
            max_complexity: state.config.graphql_max_complexity,
            introspection: state.config.graphql_introspection,
        };
        let schema = graphql::build_schema(Some(state.clone()), &limits);
        let local_addr = state.config.listen;
        crate::workers::reconcile::recover_interrupted(&state.deployer)
            .await
            .map_err(|e| anyhow::anyhow!("while recovering interrupted deployments: {}", e.message()))?;
        Ok(Self {
            listener,
            state,
            schema,
            local_addr,
            caddy,
            data_lock,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let config = &self.state.config;
        let http_state = HttpState {
            app: self.state.clone(),
            schema: self.schema,
            ws_slots: Arc::new(tokio::sync::Semaphore::new(config.ws_max_connections)),
            ws_init_timeout: Duration::from_secs(config.ws_init_timeout_seconds.max(1)),
            ws_recheck: Duration::from_secs(config.ws_auth_recheck_seconds.max(1)),
            terminal_slots: Arc::new(tokio::sync::Semaphore::new(config.terminal_max_sessions)),
            terminal_idle: Duration::from_secs(config.terminal_idle_seconds.max(1)),
            shutdown: stop_rx.clone(),
        };
        let router = http::router(http_state);
        let maintenance = tokio::spawn(maintenance(self.state.clone()));
        let worker = tokio::spawn(self.state.deployer.clone().run_worker());
        let reconciler = tokio::spawn(crate::workers::reconcile::run(self.state.deployer.clone()));
        let monitoring = crate::workers::spawn(&self.state);
        tracing::info!(address = %self.local_addr, "ployer is listening");

        let mut drained = stop_rx.clone();
        let serve = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: closing websockets and draining requests");
            let _ = stop_tx.send(true);
        });
        let result = tokio::select! {
            result = serve => result.context("while serving HTTP"),
            _ = async {
                let _ = drained.wait_for(|stopped| *stopped).await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {
                tracing::warn!("requests still open after {}s; stopping anyway", SHUTDOWN_GRACE.as_secs());
                Ok(())
            }
        };
        maintenance.abort();
        worker.abort();
        reconciler.abort();
        monitoring.abort();
        if let Some(caddy) = self.caddy {
            caddy.stop().await;
        }
        // What was done before the stop is in the audit log before the database closes.
        let _ = tokio::time::timeout(Duration::from_secs(2), self.state.audit.flush()).await;
        self.state.db.clone().close().await.ok();
        drop(self.data_lock);
        tracing::info!("stopped");
        result
    }
}

/// Periodic housekeeping that keeps memory and the audit log bounded.
async fn maintenance(state: AppState) {
    let mut ticker = tokio::time::interval(MAINTENANCE_PERIOD);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut swept: Option<std::time::Instant> = None;
    loop {
        ticker.tick().await;
        state.login_limiter.prune();
        if swept.is_none_or(|at| at.elapsed() >= AUDIT_SWEEP_PERIOD) {
            swept = Some(std::time::Instant::now());
            match crate::audit::sweep(&state.db, state.config.audit_retention_days, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "audit log: entries past retention deleted"),
                Err(err) => tracing::warn!(error = %err.message(), "audit log: the retention sweep failed"),
            }
        }
        // What bursts freed since (closed database connections among them) goes back.
        crate::memory::release_free_heap_in_background().await;
    }
}

/// Creates the data dir private to the owner (0700), or tightens an existing one.
pub fn prepare_data_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("while creating the data dir {}", dir.display()))?;
    } else if !dir.is_dir() {
        anyhow::bail!("the data dir {} is not a directory", dir.display());
    } else {
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("while restricting the data dir {}", dir.display()))?;
        }
    }
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
