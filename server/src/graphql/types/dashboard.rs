//! The dashboard's figures: applications and deployments by status, failing health checks,
//! recent deployments and the local server.

use super::application::Application;
use super::deployment::Deployment;
use super::server::Server;
use crate::graphql::page;
use crate::graphql::state;
use crate::{
    deploy::Status,
    error::AppError,
    services::{applications::AppStatus, dashboard},
};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entities::{applications, health_checks, servers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Applications by status.
#[derive(SimpleObject)]
pub struct ApplicationCounts {
    pub(crate) total: u64,
    pub(crate) created: u64,
    pub(crate) deploying: u64,
    pub(crate) running: u64,
    pub(crate) failed: u64,
    pub(crate) stopped: u64,
}

/// Deployments created in the last 24 hours, by outcome.
#[derive(SimpleObject)]
pub struct DeploymentCounts {
    pub(crate) total: u64,
    /// Running now or superseded by a newer one: they went live.
    pub(crate) succeeded: u64,
    pub(crate) failed: u64,
    pub(crate) cancelled: u64,
    /// Queued or in a pipeline step.
    pub(crate) in_progress: u64,
}

/// A health check that fails now, as the health monitor last recorded it.
pub struct FailingHealthCheck {
    pub(crate) check: health_checks::Model,
    pub(crate) application: applications::Model,
}

#[Object]
impl FailingHealthCheck {
    async fn application(&self) -> Application {
        Application(self.application.clone())
    }
    /// `unknown`, `healthy` or `unhealthy`.
    async fn status(&self) -> &str {
        self.check.status.as_str()
    }
    async fn consecutive_failures(&self) -> i32 {
        self.check.consecutive_failures
    }
    async fn restart_count(&self) -> i32 {
        self.check.restart_count
    }
    async fn last_checked_at(&self) -> Option<DateTime<Utc>> {
        self.check.last_checked_at
    }
}

pub struct Dashboard;

#[Object]
impl Dashboard {
    async fn applications(&self, ctx: &Context<'_>) -> async_graphql::Result<ApplicationCounts> {
        let counts = dashboard::applications_by_status(&state(ctx)?.db).await?;
        let of = |status: AppStatus| counts.get(status.as_str()).copied().unwrap_or(0);
        Ok(ApplicationCounts {
            total: counts.values().sum(),
            created: of(AppStatus::Created),
            deploying: of(AppStatus::Deploying),
            running: of(AppStatus::Running),
            failed: of(AppStatus::Failed),
            stopped: of(AppStatus::Stopped),
        })
    }

    async fn deployments_last_day(&self, ctx: &Context<'_>) -> async_graphql::Result<DeploymentCounts> {
        let since = Utc::now() - chrono::Duration::hours(24);
        let counts = dashboard::deployments_since(&state(ctx)?.db, since).await?;
        let mut out = DeploymentCounts {
            total: 0,
            succeeded: 0,
            failed: 0,
            cancelled: 0,
            in_progress: 0,
        };
        for (status, count) in counts {
            out.total += count;
            match status {
                Status::Running | Status::Superseded => out.succeeded += count,
                Status::Failed => out.failed += count,
                Status::Cancelled => out.cancelled += count,
                _ => out.in_progress += count,
            }
        }
        Ok(out)
    }

    /// The newest deployments of all applications, `first` (1-50, default 10).
    async fn recent_deployments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Deployment>> {
        let limit = page::first(
            first,
            page::Bounds {
                default: dashboard::DEFAULT_RECENT,
                max: dashboard::MAX_RECENT,
            },
        )?;
        Ok(dashboard::recent_deployments(&state(ctx)?.db, limit)
            .await?
            .into_iter()
            .map(Deployment)
            .collect())
    }

    /// The machine Ployer runs on; its `resources` are the live figures.
    async fn server(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Server>> {
        let local = servers::Entity::find()
            .filter(servers::Column::IsLocal.eq(true))
            .one(&state(ctx)?.db)
            .await
            .map_err(AppError::from)?;
        Ok(local.map(Server))
    }

    /// Health checks that are unhealthy or have failed their last probes, the worst first.
    async fn failing_health_checks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FailingHealthCheck>> {
        Ok(dashboard::failing_health_checks(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(|(check, application)| FailingHealthCheck { check, application })
            .collect())
    }
}
