//! The `dashboard` query: the figures of the front page in one request. Each part is
//! computed only when asked for.

use super::page;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entities::{applications, health_checks, servers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{apps::Application, deployments::Deployment, servers::Server, state};
use crate::{
    deploy::Status,
    error::AppError,
    services::{applications::AppStatus, dashboard},
};

/// Applications by status.
#[derive(SimpleObject)]
pub struct ApplicationCounts {
    total: u64,
    created: u64,
    deploying: u64,
    running: u64,
    failed: u64,
    stopped: u64,
}

/// Deployments created in the last 24 hours, by outcome.
#[derive(SimpleObject)]
pub struct DeploymentCounts {
    total: u64,
    /// Running now or superseded by a newer one: they went live.
    succeeded: u64,
    failed: u64,
    cancelled: u64,
    /// Queued or in a pipeline step.
    in_progress: u64,
}

/// A health check that fails now, as the health monitor last recorded it.
pub struct FailingHealthCheck {
    check: health_checks::Model,
    application: applications::Model,
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

#[derive(Default)]
pub struct DashboardQuery;

#[Object]
impl DashboardQuery {
    /// Figures for the front page.
    async fn dashboard(&self) -> Dashboard {
        Dashboard
    }
}
