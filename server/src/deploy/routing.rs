//! What Caddy routes, and every change to it. The database says which deployment of an
//! application is active and which domains it has; [`desired_routes`] turns that into one
//! route per application. [`Routing`] is the only writer of Caddy's routes: it holds the lock
//! that keeps a cutover, the reconciler's checks and a teardown from interleaving, and it
//! undoes a cutover that did not complete.
//!
//! Each server serves its own applications: the routes of applications whose active
//! deployment runs on this machine go to this machine's Caddy, those on a remote server to the
//! Caddy Ployer runs there ([`crate::places`]). A route's server is its active deployment's
//! (not the application's setting), so an application being moved keeps being served where it
//! runs until its deployment on the new server is live; then its route leaves the old server.

use std::{collections::HashMap, future::Future, net::SocketAddr};

use entities::{applications, compose_services, deployments, domains};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tokio::sync::Mutex;

use super::sites::Sites;
use crate::ids::AppId;
use crate::{
    error::AppResult,
    proxy::{AppRoute, Caddy, StaticSite, Target},
    services::applications::BuildStrategy,
};

pub struct Routing {
    proxy: Caddy,
    sites: Sites,
    places: std::sync::Arc<crate::places::Places>,
    /// Serialises route pushes so two cutovers never interleave.
    lock: Mutex<()>,
}

/// Why a cutover did not happen. The previous version still serves, unless `undo` says the
/// routes could not be put back (the reconciler's next route check does it then).
pub struct CutoverFailed {
    pub reason: String,
    pub undo: Option<String>,
}

impl Routing {
    pub fn new(proxy: Caddy, sites: Sites, places: std::sync::Arc<crate::places::Places>) -> Self {
        Self {
            proxy,
            sites,
            places,
            lock: Mutex::new(()),
        }
    }

    /// The Caddy that serves the applications running on `server` (`None`: this machine).
    async fn proxy_of(&self, server: Option<&str>) -> Result<Caddy, String> {
        let Some(id) = server else {
            return Ok(self.proxy.clone());
        };
        match self.places.of_server(Some(id)).await? {
            crate::places::Place::Remote(edge) => Ok(edge.caddy.clone()),
            crate::places::Place::Local(_) => Ok(self.proxy.clone()),
        }
    }

    pub fn sites(&self) -> &Sites {
        &self.sites
    }

    pub fn proxy(&self) -> &Caddy {
        &self.proxy
    }

    /// The cutover: routes `app_id` to `upstream` on the Caddy of `server` (where the new
    /// version runs; `None`: this machine), then lets `activate` record the new version as the
    /// active one. If either fails, the routes go back to what the database still calls
    /// active. When the version replaced ran on another server, its route there goes last.
    pub async fn cut_over<F>(
        &self,
        db: &DatabaseConnection,
        app_id: &AppId,
        server: Option<&str>,
        target: Target,
        activate: F,
    ) -> Result<(), CutoverFailed>
    where
        F: Future<Output = AppResult<()>>,
    {
        let _routing = self.lock.lock().await;
        let failed = |reason: String| CutoverFailed { reason, undo: None };
        let before = active_server(db, app_id).await.map_err(|e| failed(e.message()))?;
        let proxy = self.proxy_of(server).await.map_err(failed)?;
        let routes = desired_routes(db, &self.sites, server, Some((app_id, target, server)))
            .await
            .map_err(|e| failed(e.message()))?;
        let switched = match proxy.sync(&routes).await {
            Ok(()) => activate.await.map_err(|e| e.message()),
            Err(err) => Err(format!("cannot route traffic: {err}")),
        };
        let Err(reason) = switched else {
            // Moved: the replaced version's server stops routing the application.
            if let Some(old) = before.filter(|old| old.as_deref() != server) {
                self.sync_server(db, old.as_deref()).await;
            }
            return Ok(());
        };
        // The upstream file may already name the new container, which is about to be
        // removed: point the route back at what the database still calls active.
        let undo = match desired_routes(db, &self.sites, server, None).await {
            Ok(previous) => proxy
                .write_upstreams(&previous)
                .await
                .err()
                .map(|err| format!("could not route traffic back to the previous version: {err}")),
            Err(err) => {
                tracing::warn!(error = ?err, "cannot read the routes to restore after a failed cutover");
                None
            }
        };
        Err(CutoverFailed { reason, undo })
    }

    /// Pushes the routes when Caddy's differ from the database's (see [`Caddy::is_synced`]),
    /// on this machine and on every remote server in use; true when it had to. This machine's
    /// failure is the error; a remote server's is logged (its check shows it offline).
    pub async fn check(&self, db: &DatabaseConnection) -> AppResult<bool> {
        let _routing = self.lock.lock().await;
        let mut pushed = false;
        for server in self.places.remote_in_use().await {
            match self.check_server(db, Some(&server.id)).await {
                Ok(changed) => pushed |= changed,
                Err(err) => tracing::debug!(server = %server.name, error = %err, "cannot check the server's routes"),
            }
        }
        let desired = desired_routes(db, &self.sites, None, None).await?;
        if !self.proxy.is_synced(&desired).await? {
            tracing::info!(routes = desired.len(), "Caddy's routes drifted; pushing them again");
            self.proxy.sync(&desired).await?;
            pushed = true;
        }
        Ok(pushed)
    }

    /// A remote server's route check: pushes when its Caddy differs; true when it had to.
    async fn check_server(&self, db: &DatabaseConnection, server: Option<&str>) -> Result<bool, String> {
        let proxy = self.proxy_of(server).await?;
        let desired = desired_routes(db, &self.sites, server, None)
            .await
            .map_err(|e| e.message())?;
        if proxy.is_synced(&desired).await.map_err(|e| e.to_string())? {
            return Ok(false);
        }
        tracing::info!(
            routes = desired.len(),
            ?server,
            "a server's Caddy routes drifted; pushing them again"
        );
        proxy.sync(&desired).await.map_err(|e| e.to_string())?;
        Ok(true)
    }

    /// Pushes one server's routes, logging a failure (the route check tries again).
    async fn sync_server(&self, db: &DatabaseConnection, server: Option<&str>) {
        let pushed = async {
            let proxy = self.proxy_of(server).await?;
            let desired = desired_routes(db, &self.sites, server, None)
                .await
                .map_err(|e| e.message())?;
            proxy.sync(&desired).await.map_err(|e| e.to_string())
        };
        if let Err(err) = pushed.await {
            tracing::warn!(error = %err, ?server, "could not update a server's routes; the route check will");
        }
    }

    /// Pushes the routes the database describes, whatever Caddy has (this machine's; and the
    /// remote servers in use, whose failures are logged).
    pub async fn push(&self, db: &DatabaseConnection) -> AppResult<()> {
        let _routing = self.lock.lock().await;
        for server in self.places.remote_in_use().await {
            self.sync_server(db, Some(&server.id)).await;
        }
        let desired = desired_routes(db, &self.sites, None, None).await?;
        self.proxy.sync(&desired).await?;
        Ok(())
    }

    /// Pushes the routes of one server (`None`: this machine) whatever its Caddy has.
    pub async fn push_server(&self, db: &DatabaseConnection, server: Option<&str>) -> AppResult<()> {
        let _routing = self.lock.lock().await;
        let proxy = self
            .proxy_of(server)
            .await
            .map_err(crate::error::AppError::Unavailable)?;
        let desired = desired_routes(db, &self.sites, server, None).await?;
        proxy.sync(&desired).await?;
        Ok(())
    }

    /// Removes an application's route (it is being deleted) where its active deployment runs.
    /// A failure is logged: the reconciler's route check removes it later.
    pub async fn remove(&self, db: &DatabaseConnection, app_id: &AppId) {
        let _routing = self.lock.lock().await;
        let server = active_server(db, app_id).await.ok().flatten().flatten();
        let proxy = match self.proxy_of(server.as_deref()).await {
            Ok(proxy) => proxy,
            Err(err) => {
                tracing::warn!(error = %err, %app_id, "could not reach the server to remove the route");
                return;
            }
        };
        if let Err(err) = proxy.remove(app_id).await {
            tracing::warn!(error = %err, %app_id, "could not remove the route; the reconciler will");
        }
    }
}

/// The server the application's active deployment runs on: `None` when it has none,
/// `Some(None)` on this machine.
async fn active_server(db: &DatabaseConnection, app_id: &AppId) -> AppResult<Option<Option<String>>> {
    let Some(app) = applications::Entity::find_by_id(app_id.to_string()).one(db).await? else {
        return Ok(None);
    };
    let Some(active) = app.active_deployment_id else {
        return Ok(None);
    };
    Ok(deployments::Entity::find_by_id(active)
        .one(db)
        .await?
        .map(|d| d.server_id))
}

/// Every application with an active deployment on `server` (`None`: this machine), routed to
/// its container or (a static site) its files. `replace` swaps one application's target and
/// server (the one being cut over).
pub async fn desired_routes(
    db: &DatabaseConnection,
    sites: &Sites,
    server: Option<&str>,
    replace: Option<(&AppId, Target, Option<&str>)>,
) -> AppResult<Vec<AppRoute>> {
    // A few queries whatever the number of applications: this runs every few seconds.
    let mut active: Vec<applications::Model> = applications::Entity::find()
        .filter(applications::Column::ActiveDeploymentId.is_not_null())
        .all(db)
        .await?;
    let active_ids: Vec<String> = active
        .iter()
        .filter_map(|app| app.active_deployment_id.clone())
        .collect();
    let rows: Vec<deployments::Model> = deployments::Entity::find()
        .filter(deployments::Column::Id.is_in(active_ids))
        .all(db)
        .await?;
    // Where each application runs now: its active deployment's server, or the one it is
    // being cut over to.
    let here = |app: &applications::Model| {
        let runs_on = match &replace {
            Some((id, _, to)) if id.as_str() == app.id => *to,
            _ => rows
                .iter()
                .find(|d| Some(&d.id) == app.active_deployment_id.as_ref())
                .and_then(|d| d.server_id.as_deref()),
        };
        runs_on == server
    };
    active.retain(here);
    let mut targets: HashMap<String, Target> = rows
        .into_iter()
        .filter(|d| active.iter().any(|a| a.id == d.application_id))
        .filter_map(|d| {
            if d.cluster_id.is_some() {
                // A clustered application: a pool of its running tasks, one slot per replica.
                let replicas = active
                    .iter()
                    .find(|a| a.id == d.application_id)
                    .map_or(1, |a| a.replicas.max(1));
                let upstreams = d.upstreams.as_deref().map(super::cluster::parse_upstreams)?;
                return Some((
                    d.application_id,
                    Target::Pool {
                        slots: u16::try_from(replicas).unwrap_or(1),
                        upstreams,
                    },
                ));
            }
            let port = d.host_port.and_then(|p| u16::try_from(p).ok())?;
            Some((
                d.application_id,
                Target::Upstream(SocketAddr::from(([127, 0, 0, 1], port))),
            ))
        })
        .collect();
    for app in active.iter().filter(|app| app.build_strategy == BuildStrategy::Static) {
        targets.insert(app.id.clone(), site_target(sites, app));
    }
    if let Some((app_id, target, to)) = replace {
        if to == server {
            targets.insert(app_id.to_string(), target);
        }
    }
    // A Compose service with domains of its own has a route of its own, keyed by its row.
    let services: Vec<compose_services::Model> = compose_services::Entity::find()
        .filter(compose_services::Column::ApplicationId.is_in(targets.keys().cloned()))
        .all(db)
        .await?;
    let mut hostnames: HashMap<String, Vec<String>> = HashMap::new();
    for domain in domains::Entity::find()
        .filter(domains::Column::ApplicationId.is_in(targets.keys().cloned()))
        .order_by_asc(domains::Column::Hostname)
        .all(db)
        .await?
    {
        let key = match &domain.service {
            None => domain.application_id,
            Some(name) => match services
                .iter()
                .find(|s| s.application_id == domain.application_id && &s.name == name)
            {
                Some(service) => service.id.clone(),
                // The routed service, named: the application's own route.
                None if active
                    .iter()
                    .any(|a| a.id == domain.application_id && a.compose_service.as_ref() == Some(name)) =>
                {
                    domain.application_id
                }
                // A service the running plan does not have (or that publishes no port).
                None => continue,
            },
        };
        hostnames.entry(key).or_default().push(domain.hostname);
    }
    for service in &services {
        if let Some(port) = service.host_port.and_then(|p| u16::try_from(p).ok()) {
            targets.insert(
                service.id.clone(),
                Target::Upstream(SocketAddr::from(([127, 0, 0, 1], port))),
            );
        }
    }
    let mut routes: Vec<AppRoute> = targets
        .into_iter()
        .filter_map(|(app_id, target)| {
            let hostnames = hostnames.remove(&app_id)?;
            Some(AppRoute {
                app_id,
                hostnames,
                target,
            })
        })
        .collect();
    routes.sort_by(|a, b| a.app_id.cmp(&b.app_id));
    Ok(routes)
}

/// A static site's route: its `current` link, with its fallback setting.
pub fn site_target(sites: &Sites, app: &applications::Model) -> Target {
    Target::Files(StaticSite {
        root: sites.current(&app.id),
        spa_fallback: app.spa_fallback,
    })
}
