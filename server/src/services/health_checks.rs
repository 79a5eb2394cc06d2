//! Health-check settings per application, with defaults and bounds. The monitor that acts
//! on them reads what is stored here.

use crate::ids::AppId;
use chrono::Utc;
use entities::health_checks;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    validate,
};

pub use entities::health_checks::{CheckKind, HealthStatus};

pub const DEFAULT_PATH: &str = "/";
pub const DEFAULT_INTERVAL: i32 = 10;
pub const DEFAULT_TIMEOUT: i32 = 5;
pub const DEFAULT_HEALTHY: i32 = 1;
pub const DEFAULT_UNHEALTHY: i32 = 3;
pub const DEFAULT_START_PERIOD: i32 = 10;

pub const INTERVAL_BOUNDS: (i32, i32) = (2, 3600);
pub const TIMEOUT_BOUNDS: (i32, i32) = (1, 60);
pub const THRESHOLD_BOUNDS: (i32, i32) = (1, 10);
pub const START_PERIOD_BOUNDS: (i32, i32) = (0, 600);

pub async fn create_default<C: ConnectionTrait>(db: &C, app_id: &AppId) -> AppResult<health_checks::Model> {
    let now = Utc::now();
    let row = health_checks::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        application_id: Set(app_id.to_string()),
        kind: Set(CheckKind::Http),
        path: Set(Some(DEFAULT_PATH.into())),
        port: Set(None),
        interval_seconds: Set(DEFAULT_INTERVAL),
        timeout_seconds: Set(DEFAULT_TIMEOUT),
        healthy_threshold: Set(DEFAULT_HEALTHY),
        unhealthy_threshold: Set(DEFAULT_UNHEALTHY),
        start_period_seconds: Set(DEFAULT_START_PERIOD),
        auto_restart: Set(true),
        status: Set(HealthStatus::Unknown),
        consecutive_failures: Set(0),
        restart_count: Set(0),
        last_checked_at: Set(None),
        last_restart_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(row.insert(db).await?)
}

/// Changes to a health check; `None` keeps the current value. `tcp` set to true drops the
/// HTTP path and probes by connecting only.
#[derive(Default)]
pub struct HealthCheckInput {
    pub tcp_only: Option<bool>,
    pub path: Option<String>,
    pub port: Option<Option<i32>>,
    pub interval_seconds: Option<i32>,
    pub timeout_seconds: Option<i32>,
    pub healthy_threshold: Option<i32>,
    pub unhealthy_threshold: Option<i32>,
    pub start_period_seconds: Option<i32>,
    pub auto_restart: Option<bool>,
}

fn bounded(field: &'static str, value: i32, (min, max): (i32, i32)) -> AppResult<i32> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::bad_input(field, format!("must be between {min} and {max}")))
    }
}

/// An HTTP path: starts with '/', printable ASCII without spaces, at most 255 bytes.
fn http_path(raw: &str) -> AppResult<String> {
    let ok = raw.starts_with('/') && raw.len() <= 255 && raw.bytes().all(|b| b.is_ascii_graphic());
    if !ok {
        return Err(AppError::bad_input(
            "path",
            "must start with '/' and hold no spaces or control characters",
        ));
    }
    Ok(raw.to_string())
}

pub async fn configure<C: ConnectionTrait>(
    db: &C,
    app_id: &AppId,
    input: HealthCheckInput,
) -> AppResult<health_checks::Model> {
    let current = match health_checks::Entity::find()
        .filter(health_checks::Column::ApplicationId.eq(app_id))
        .one(db)
        .await?
    {
        Some(row) => row,
        None => create_default(db, app_id).await?,
    };
    let mut row: health_checks::ActiveModel = current.into();
    if let Some(tcp) = input.tcp_only {
        row.kind = Set(if tcp { CheckKind::Tcp } else { CheckKind::Http });
        if tcp {
            row.path = Set(None);
        } else if row.path.as_ref().is_none() {
            row.path = Set(Some(DEFAULT_PATH.into()));
        }
    }
    if let Some(path) = input.path {
        if *row.kind.as_ref() == CheckKind::Tcp {
            return Err(AppError::bad_input("path", "a TCP-only check has no path"));
        }
        row.path = Set(Some(http_path(&path)?));
    }
    if let Some(port) = input.port {
        row.port = Set(port.map(|p| validate::port("port", p).map(i32::from)).transpose()?);
    }
    if let Some(v) = input.interval_seconds {
        row.interval_seconds = Set(bounded("intervalSeconds", v, INTERVAL_BOUNDS)?);
    }
    if let Some(v) = input.timeout_seconds {
        row.timeout_seconds = Set(bounded("timeoutSeconds", v, TIMEOUT_BOUNDS)?);
    }
    if let Some(v) = input.healthy_threshold {
        row.healthy_threshold = Set(bounded("healthyThreshold", v, THRESHOLD_BOUNDS)?);
    }
    if let Some(v) = input.unhealthy_threshold {
        row.unhealthy_threshold = Set(bounded("unhealthyThreshold", v, THRESHOLD_BOUNDS)?);
    }
    if let Some(v) = input.start_period_seconds {
        row.start_period_seconds = Set(bounded("startPeriodSeconds", v, START_PERIOD_BOUNDS)?);
    }
    if let Some(v) = input.auto_restart {
        row.auto_restart = Set(v);
    }
    if row.timeout_seconds.as_ref() >= row.interval_seconds.as_ref() {
        return Err(AppError::bad_input(
            "timeoutSeconds",
            "must be shorter than the interval",
        ));
    }
    row.updated_at = Set(Utc::now());
    Ok(row.update(db).await?)
}
