//! What Caddy routes, and every change to it. The database says which deployment of an
//! application is active and which domains it has; [`desired_routes`] turns that into one
//! route per application. [`Routing`] is the only writer of Caddy's routes: it holds the lock
//! that keeps a cutover, the reconciler's checks and a teardown from interleaving, and it
//! undoes a cutover that did not complete.

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
    pub fn new(proxy: Caddy, sites: Sites) -> Self {
        Self {
            proxy,
            sites,
            lock: Mutex::new(()),
        }
    }

    pub fn sites(&self) -> &Sites {
        &self.sites
    }

    pub fn proxy(&self) -> &Caddy {
        &self.proxy
    }

    /// The cutover: routes `app_id` to `upstream`, then lets `activate` record the new
    /// version as the active one. If either fails, the routes go back to what the database
    /// still calls active.
    pub async fn cut_over<F>(
        &self,
        db: &DatabaseConnection,
        app_id: &AppId,
        target: Target,
        activate: F,
    ) -> Result<(), CutoverFailed>
    where
        F: Future<Output = AppResult<()>>,
    {
        let _routing = self.lock.lock().await;
        let failed = |reason: String| CutoverFailed { reason, undo: None };
        let routes = desired_routes(db, &self.sites, Some((app_id, target)))
            .await
            .map_err(|e| failed(e.message()))?;
        let switched = match self.proxy.sync(&routes).await {
            Ok(()) => activate.await.map_err(|e| e.message()),
            Err(err) => Err(format!("cannot route traffic: {err}")),
        };
        let Err(reason) = switched else {
            return Ok(());
        };
        // The upstream file may already name the new container, which is about to be
        // removed: point the route back at what the database still calls active.
        let undo = match desired_routes(db, &self.sites, None).await {
            Ok(previous) => self
                .proxy
                .write_upstreams(&previous)
                .err()
                .map(|err| format!("could not route traffic back to the previous version: {err}")),
            Err(err) => {
                tracing::warn!(error = ?err, "cannot read the routes to restore after a failed cutover");
                None
            }
        };
        Err(CutoverFailed { reason, undo })
    }

    /// Pushes the routes when Caddy's differ from the database's (see [`Caddy::is_synced`]);
    /// true when it had to.
    pub async fn check(&self, db: &DatabaseConnection) -> AppResult<bool> {
        let _routing = self.lock.lock().await;
        let desired = desired_routes(db, &self.sites, None).await?;
        if self.proxy.is_synced(&desired).await? {
            return Ok(false);
        }
        tracing::info!(routes = desired.len(), "Caddy's routes drifted; pushing them again");
        self.proxy.sync(&desired).await?;
        Ok(true)
    }

    /// Pushes the routes the database describes, whatever Caddy has.
    pub async fn push(&self, db: &DatabaseConnection) -> AppResult<()> {
        let _routing = self.lock.lock().await;
        let desired = desired_routes(db, &self.sites, None).await?;
        self.proxy.sync(&desired).await?;
        Ok(())
    }

    /// Removes an application's route (it is being deleted). A failure is logged: the
    /// reconciler's route check removes it later.
    pub async fn remove(&self, app_id: &AppId) {
        let _routing = self.lock.lock().await;
        if let Err(err) = self.proxy.remove(app_id).await {
            tracing::warn!(error = %err, %app_id, "could not remove the route; the reconciler will");
        }
    }
}

/// Every application with an active deployment, routed to its container or (a static site)
/// its files. `replace` swaps one application's target (the one being cut over).
pub async fn desired_routes(
    db: &DatabaseConnection,
    sites: &Sites,
    replace: Option<(&AppId, Target)>,
) -> AppResult<Vec<AppRoute>> {
    // Three queries whatever the number of applications: this runs every few seconds.
    let active: Vec<applications::Model> = applications::Entity::find()
        .filter(applications::Column::ActiveDeploymentId.is_not_null())
        .all(db)
        .await?;
    let active_ids: Vec<String> = active
        .iter()
        .filter_map(|app| app.active_deployment_id.clone())
        .collect();
    let mut targets: HashMap<String, Target> = deployments::Entity::find()
        .filter(deployments::Column::Id.is_in(active_ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|d| {
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
    if let Some((app_id, target)) = replace {
        targets.insert(app_id.to_string(), target);
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
