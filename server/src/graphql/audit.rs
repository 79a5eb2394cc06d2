//! The audit log over GraphQL: `auditLog`, for admins (the access table says so), newest
//! first, filtered, a page at a time.

use async_graphql::{connection::Connection, Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::audit_log;

use super::{page, page::Page, state};
use crate::services::{self, audit::Filter};

#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// Only what this user did.
    actor_id: Option<ID>,
    /// Only this mutation field (`createApplication`, `login`, …).
    action: Option<String>,
    /// Only what acted on this object.
    object_id: Option<ID>,
    /// Only this outcome: `ok` or an error code (`FORBIDDEN`, `UNAUTHENTICATED`, …).
    outcome: Option<String>,
    /// Only entries at or after this time.
    since: Option<DateTime<Utc>>,
}

/// One recorded mutation or sign-in.
#[derive(SimpleObject)]
pub struct AuditEntry {
    id: ID,
    at: DateTime<Utc>,
    /// The user who acted; none for an anonymous caller or a failed sign-in.
    actor_id: Option<ID>,
    /// The API key used, when one was.
    actor_api_key_id: Option<ID>,
    /// The actor's email (for a sign-in, the email that was tried), or `anonymous`.
    actor_label: String,
    /// The client's address.
    source_ip: Option<String>,
    /// The mutation field (`login` for a sign-in).
    action: String,
    /// The kind of object acted on (`application`, `apiKey`, …), when known.
    object_type: Option<String>,
    object_id: Option<ID>,
    /// `ok`, or the error's code.
    outcome: String,
    /// Why it failed (values the caller sent are redacted).
    message: Option<String>,
}

impl From<audit_log::Model> for AuditEntry {
    fn from(row: audit_log::Model) -> Self {
        Self {
            id: ID(row.id.to_string()),
            at: row.at,
            actor_id: row.actor_user_id.map(ID),
            actor_api_key_id: row.actor_api_key_id.map(ID),
            actor_label: row.actor_label,
            source_ip: row.source_ip,
            action: row.action,
            object_type: row.object_type,
            object_id: row.object_id.map(ID),
            outcome: row.outcome,
            message: row.message,
        }
    }
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every mutation and sign-in, newest first; `first` (1-100, default 20) after `after`.
    /// Admins only. Entries are kept `audit_retention_days` days.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AuditLogFilter>,
    ) -> async_graphql::Result<Connection<String, AuditEntry>> {
        let page = Page::new(first, after, page::LIST)?;
        let filter = filter.unwrap_or_default();
        let filter = Filter {
            actor_id: filter.actor_id.map(|id| id.0),
            action: filter.action,
            object_id: filter.object_id.map(|id| id.0),
            outcome: filter.outcome,
            since: filter.since,
        };
        let (rows, more) = services::audit::list(&state(ctx)?.db, &filter, page.after_number()?, page.limit).await?;
        Ok(page.connection(
            more,
            rows.into_iter().map(|row| (row.id.to_string(), AuditEntry::from(row))),
        ))
    }
}
