//! A deployment's state, and the one way to change it.
//!
//! ```text
//! queued ──▶ cloning ──▶ building ──▶ starting ──▶ health_checking ──▶ running ──▶ superseded
//!   │  ╰── (an image) ─────▲  ╰── (a rollback) ─▲                               (by the next one)
//!   ├──▶ superseded  (a newer request came first)
//!   ╰──▶ cancelled | failed        every step ──▶ cancelled | failed
//! ```
//!
//! [`write`] is the only code that stores a status: it refuses a move the diagram does not
//! have, and one that lost a race (the row is changed only while it is still in the state it
//! was read in), and keeps the timestamps. [`super::Deployer::transition`] also tells the
//! subscribers.

use chrono::Utc;
use entities::deployments;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::error::{AppError, AppResult};

/// The states, typed once with the column.
pub use entities::deployments::DeploymentStatus as Status;

/// The stored states of a pipeline at work.
pub fn in_flight() -> impl Iterator<Item = Status> {
    Status::ALL.iter().copied().filter(|s| s.in_flight())
}

/// Whether a deployment in `from` may move to `to` (the diagram above). A step may write its
/// own state again to record what it found: the commit, the image.
pub fn may_become(from: Status, to: Status) -> bool {
    use Status::*;
    match (from, to) {
        (Queued, Cloning | Building | Starting | Superseded) => true,
        (Cloning, Building) | (Building, Building | Starting) | (Starting, Starting | HealthChecking) => true,
        (HealthChecking, Running) => true,
        (from, Failed | Cancelled) => from == Queued || from.in_flight(),
        (Running, Superseded) => true,
        // The active deployment whose final write failed: it served, and is replaced.
        (HealthChecking, Superseded) => true,
        _ => false,
    }
}

/// Moves deployment `id` to `to`, storing whatever `record` sets with it, on `conn` (the
/// database or a transaction). Sets `started_at` when the worker picks it up, `finished_at`
/// when the deployment ends (or goes live), `updated_at` always. The caller tells the
/// subscribers once the change is committed.
pub(crate) async fn write<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    to: Status,
    record: impl FnOnce(&mut deployments::ActiveModel),
) -> AppResult<deployments::Model> {
    let row = deployments::Entity::find_by_id(id.to_string())
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("deployment"))?;
    let from = row.status;
    if !may_become(from, to) {
        return Err(AppError::Conflict(format!(
            "deployment {id} is {} and cannot become {}",
            from.as_str(),
            to.as_str()
        )));
    }
    let now = Utc::now();
    let mut change = row.clone().into_active_model();
    change.status = Set(to);
    // Picked up by the worker (a cancel or a newer request before that never started it).
    let picked_up = from == Status::Queued && !matches!(to, Status::Cancelled | Status::Superseded);
    if picked_up && row.started_at.is_none() {
        change.started_at = Set(Some(now));
    }
    if (to.is_final() || to == Status::Running) && row.finished_at.is_none() {
        change.finished_at = Set(Some(now));
    }
    record(&mut change);
    change.updated_at = Set(now);
    // Only while it is still what was read: a cancel and the worker racing for a queued row
    // cannot both win.
    let changed = deployments::Entity::update_many()
        .set(change)
        .filter(deployments::Column::Id.eq(id))
        .filter(deployments::Column::Status.eq(from))
        .exec(conn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(AppError::Conflict(format!(
            "deployment {id} changed while it was becoming {}",
            to.as_str()
        )));
    }
    deployments::Entity::find_by_id(id.to_string())
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("deployment"))
}

/// Stores fields of a deployment that are not its state (the reconciler recording the
/// container it recreated); the status is left alone.
pub(crate) async fn record<C: ConnectionTrait>(
    conn: &C,
    row: deployments::Model,
    record: impl FnOnce(&mut deployments::ActiveModel),
) -> AppResult<deployments::Model> {
    let status = row.status;
    let mut change = row.into_active_model();
    record(&mut change);
    change.status = sea_orm::ActiveValue::Unchanged(status);
    change.updated_at = Set(Utc::now());
    Ok(change.update(conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    #[test]
    fn the_lifecycle_allows_only_the_moves_it_draws() {
        use Status::*;
        let allowed = [
            (Queued, Cloning),
            (Queued, Building),
            (Queued, Starting),
            (Queued, Superseded),
            (Queued, Cancelled),
            (Queued, Failed),
            (Cloning, Building),
            (Building, Building),
            (Building, Starting),
            (Starting, Starting),
            (Starting, HealthChecking),
            (HealthChecking, Running),
            (HealthChecking, Superseded),
            (Running, Superseded),
        ];
        for &from in Status::ALL {
            for &to in Status::ALL {
                let expected = allowed.contains(&(from, to)) || (from.in_flight() && matches!(to, Failed | Cancelled));
                assert_eq!(may_become(from, to), expected, "{from:?} -> {to:?}");
            }
        }
        for end in [Failed, Cancelled, Superseded] {
            assert!(Status::ALL.iter().all(|to| !may_become(end, *to)), "{end:?} is final");
        }
    }

    #[tokio::test]
    async fn a_move_sets_its_timestamps_and_an_illegal_one_changes_nothing() {
        let (_dir, db) = test_support::test_db().await;
        test_support::app_row(&db, "a", None).await;
        test_support::deployment_row(&db, "d", "a", Status::Queued, None, 5, None).await;
        use sea_orm::ActiveModelTrait;
        let mut queued: deployments::ActiveModel = deployments::Entity::find_by_id("d".to_string())
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .into();
        queued.started_at = Set(None);
        queued.update(&db).await.unwrap();

        let cloning = write(&db, "d", Status::Cloning, |_| {}).await.unwrap();
        assert_eq!(cloning.status, Status::Cloning);
        assert!(cloning.started_at.is_some(), "the first step starts it");
        assert!(cloning.finished_at.is_none());

        let refused = write(&db, "d", Status::Running, |d| d.failure_reason = Set(Some("x".into())))
            .await
            .unwrap_err();
        assert_eq!(refused.code(), "CONFLICT");
        assert!(
            refused.message().contains("cloning and cannot become running"),
            "{}",
            refused.message()
        );
        let unchanged = deployments::Entity::find_by_id("d".to_string())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(unchanged, cloning);

        let failed = write(&db, "d", Status::Failed, |d| {
            d.failure_reason = Set(Some("clone failed".into()))
        })
        .await
        .unwrap();
        assert!(failed.finished_at.is_some(), "an end is stamped");
        assert_eq!(failed.failure_reason.as_deref(), Some("clone failed"));
        assert_eq!(
            write(&db, "d", Status::Cancelled, |_| {}).await.unwrap_err().code(),
            "CONFLICT",
            "nothing leaves a final state"
        );
    }

    #[tokio::test]
    async fn recording_fields_leaves_the_status_alone() {
        let (_dir, db) = test_support::test_db().await;
        test_support::app_row(&db, "a", None).await;
        test_support::deployment_row(&db, "d", "a", Status::Running, None, 5, None).await;
        let row = deployments::Entity::find_by_id("d".to_string())
            .one(&db)
            .await
            .unwrap()
            .unwrap();

        let recorded = record(&db, row, |d| {
            d.host_port = Set(Some(4242));
            d.status = Set(Status::Failed);
        })
        .await
        .unwrap();

        assert_eq!(recorded.host_port, Some(4242));
        assert_eq!(recorded.status, Status::Running);
    }
}
