//! The figures on the front page: how many applications stand where, what was deployed
//! lately and which health checks fail. Read-only, a handful of small queries; the server's
//! resources come from `system::HostSampler` like everywhere else. Health verdicts are read
//! as the health monitor left them in `health_checks`.

use std::collections::HashMap;

use entities::{applications, deployments, health_checks};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::AppResult;

pub const DEFAULT_RECENT: u64 = 10;
pub const MAX_RECENT: u64 = 50;

/// Stored status (`running`, …) → number of applications in it.
pub async fn applications_by_status(db: &DatabaseConnection) -> AppResult<HashMap<String, u64>> {
    let rows: Vec<(String, i64)> = applications::Entity::find()
        .select_only()
        .column(applications::Column::Status)
        .column_as(applications::Column::Id.count(), "count")
        .group_by(applications::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(status, count)| (status, u64::try_from(count).unwrap_or(0)))
        .collect())
}

/// The newest deployments of all applications, newest first.
pub async fn recent_deployments(db: &DatabaseConnection, limit: u64) -> AppResult<Vec<deployments::Model>> {
    Ok(deployments::Entity::find()
        .order_by_desc(deployments::Column::CreatedAt)
        .order_by_desc(deployments::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Deployments per stored status created since `since`.
pub async fn deployments_since(
    db: &DatabaseConnection,
    since: chrono::DateTime<chrono::Utc>,
) -> AppResult<HashMap<deployments::DeploymentStatus, u64>> {
    let rows: Vec<(deployments::DeploymentStatus, i64)> = deployments::Entity::find()
        .select_only()
        .column(deployments::Column::Status)
        .column_as(deployments::Column::Id.count(), "count")
        .filter(deployments::Column::CreatedAt.gte(since))
        .group_by(deployments::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(status, count)| (status, u64::try_from(count).unwrap_or(0)))
        .collect())
}

/// Health checks that are unhealthy or failing right now, the worst first, with their
/// application.
pub async fn failing_health_checks(
    db: &DatabaseConnection,
) -> AppResult<Vec<(health_checks::Model, applications::Model)>> {
    let rows = health_checks::Entity::find()
        .filter(
            Condition::any()
                .add(health_checks::Column::Status.eq(health_checks::HealthStatus::Unhealthy))
                .add(health_checks::Column::ConsecutiveFailures.gt(0)),
        )
        .order_by_desc(health_checks::Column::ConsecutiveFailures)
        .order_by_asc(health_checks::Column::ApplicationId)
        .find_also_related(applications::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(check, app)| app.map(|app| (check, app)))
        .collect())
}
