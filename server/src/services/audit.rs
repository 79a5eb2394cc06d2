//! Reading the audit log: newest first, filtered, a page at a time. Writing is
//! [`crate::audit`]'s.

use chrono::{DateTime, Utc};
use entities::audit_log;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::AppResult;

/// What to narrow the log to; every part optional, all of them applying together.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// The acting user's id.
    pub actor_id: Option<String>,
    /// The mutation field (`createApplication`, `login`).
    pub action: Option<String>,
    /// The id of the object acted on.
    pub object_id: Option<String>,
    /// `ok` or an error code.
    pub outcome: Option<String>,
    /// Entries at or after this time.
    pub since: Option<DateTime<Utc>>,
}

/// At most `limit` entries older than the entry `before` (an id), newest first; and whether
/// more follow.
pub async fn list(
    db: &DatabaseConnection,
    filter: &Filter,
    before: Option<i64>,
    limit: u64,
) -> AppResult<(Vec<audit_log::Model>, bool)> {
    let mut condition = Condition::all();
    if let Some(actor) = &filter.actor_id {
        condition = condition.add(audit_log::Column::ActorUserId.eq(actor.clone()));
    }
    if let Some(action) = &filter.action {
        condition = condition.add(audit_log::Column::Action.eq(action.clone()));
    }
    if let Some(object) = &filter.object_id {
        condition = condition.add(audit_log::Column::ObjectId.eq(object.clone()));
    }
    if let Some(outcome) = &filter.outcome {
        condition = condition.add(audit_log::Column::Outcome.eq(outcome.clone()));
    }
    if let Some(since) = filter.since {
        condition = condition.add(audit_log::Column::At.gte(since));
    }
    if let Some(before) = before {
        condition = condition.add(audit_log::Column::Id.lt(before));
    }
    let mut rows = audit_log::Entity::find()
        .filter(condition)
        .order_by_desc(audit_log::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows, more))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Actor, Audit, Entry};

    fn entry(action: &str, outcome: &str, user: Option<&str>) -> Entry {
        Entry {
            actor: Actor {
                user_id: user.map(str::to_string),
                api_key_id: None,
                label: user.unwrap_or("anonymous").into(),
            },
            source_ip: None,
            action: action.into(),
            object: Some(("application".into(), format!("{action}-object"))),
            outcome: outcome.into(),
            message: None,
        }
    }

    #[tokio::test]
    async fn filters_combine_and_pages_go_back_in_time() {
        let (_dir, db) = crate::test_support::test_db().await;
        let audit = Audit::start(db.clone(), true);
        for n in 0..5 {
            audit.record(entry("deploy", "ok", Some("u1")));
            audit.record(entry(
                "deleteApplication",
                if n % 2 == 0 { "FORBIDDEN" } else { "ok" },
                Some("u2"),
            ));
        }
        audit.flush().await;

        let (all, more) = list(&db, &Filter::default(), None, 100).await.unwrap();
        assert_eq!((all.len(), more), (10, false));
        assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");

        let refused = Filter {
            action: Some("deleteApplication".into()),
            outcome: Some("FORBIDDEN".into()),
            actor_id: Some("u2".into()),
            ..Filter::default()
        };
        let (rows, _) = list(&db, &refused, None, 100).await.unwrap();
        assert_eq!(rows.len(), 3);

        let by_object = Filter {
            object_id: Some("deploy-object".into()),
            ..Filter::default()
        };
        assert_eq!(list(&db, &by_object, None, 100).await.unwrap().0.len(), 5);

        let (first, more) = list(&db, &Filter::default(), None, 4).await.unwrap();
        assert!(more);
        let (second, _) = list(&db, &Filter::default(), Some(first[3].id), 4).await.unwrap();
        assert_eq!(second[0].id, first[3].id - 1);

        let future = Filter {
            since: Some(Utc::now() + chrono::Duration::hours(1)),
            ..Filter::default()
        };
        assert!(list(&db, &future, None, 100).await.unwrap().0.is_empty());
    }
}
