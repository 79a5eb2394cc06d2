//! The audit log's writing side: who did what, from where, on which object, and how it
//! ended. Entries come from one place for mutations (`graphql::observe`) and from the
//! sign-in path (`graphql::users`); this module only stores them, off the request path.
//!
//! An entry never carries argument values: the action is a field name, the object an id the
//! caller named, and a failure's message has every string the caller sent redacted. Writing
//! must never make a request fail or wait: entries go through a bounded channel to one
//! writer task, and when that is full (the database stuck) an entry is dropped and logged.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use entities::audit_log;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use tokio::sync::{mpsc, oneshot};

use crate::{
    auth::{Credential, Principal},
    error::AppResult,
};

/// Entries waiting for the writer; past this, new ones are dropped (and logged).
const QUEUE: usize = 1024;
/// At most this many entries go into one insert.
const BATCH: usize = 64;
/// Longest message kept.
const MESSAGE_LEN: usize = 300;
/// The label of a caller without credentials.
pub const ANONYMOUS: &str = "anonymous";

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<String>,
    pub api_key_id: Option<String>,
    pub label: String,
}

impl Actor {
    pub fn of(principal: Option<&Principal>) -> Self {
        match principal {
            None => Self::anonymous(),
            Some(principal) => Self {
                user_id: Some(principal.user_id.clone()),
                api_key_id: match &principal.credential {
                    Credential::ApiKey { id } => Some(id.clone()),
                    Credential::Session => None,
                },
                label: principal.email.clone(),
            },
        }
    }

    pub fn anonymous() -> Self {
        Self {
            user_id: None,
            api_key_id: None,
            label: ANONYMOUS.into(),
        }
    }
}

/// One thing that happened.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor: Actor,
    pub source_ip: Option<IpAddr>,
    pub action: String,
    /// (type, id) of the object acted on, when known.
    pub object: Option<(String, String)>,
    /// `ok`, or an error code.
    pub outcome: String,
    pub message: Option<String>,
}

impl Entry {
    fn into_row(self, at: DateTime<Utc>) -> audit_log::ActiveModel {
        let (object_type, object_id) = self.object.unzip();
        audit_log::ActiveModel {
            at: Set(at),
            actor_user_id: Set(self.actor.user_id),
            actor_api_key_id: Set(self.actor.api_key_id),
            actor_label: Set(self.actor.label),
            source_ip: Set(self.source_ip.map(|ip| ip.to_string())),
            action: Set(self.action),
            object_type: Set(object_type),
            object_id: Set(object_id),
            outcome: Set(self.outcome),
            message: Set(self.message.map(|m| truncate(&m))),
            ..Default::default()
        }
    }
}

enum Message {
    Entry(Box<Entry>, DateTime<Utc>),
    Flush(oneshot::Sender<()>),
}

/// Where entries are sent. Cheap to clone; a disabled one drops everything.
#[derive(Clone)]
pub struct Audit {
    tx: Option<mpsc::Sender<Message>>,
}

impl Audit {
    /// Starts the writer task (none when `enabled` is false).
    pub fn start(db: DatabaseConnection, enabled: bool) -> Self {
        if !enabled {
            return Self::disabled();
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(write(db, rx));
        Self { tx: Some(tx) }
    }

    pub fn disabled() -> Self {
        Self { tx: None }
    }

    pub fn enabled(&self) -> bool {
        self.tx.is_some()
    }

    /// Queues `entry`, stamped now. Never waits and never fails the caller.
    pub fn record(&self, entry: Entry) {
        let Some(tx) = &self.tx else { return };
        if let Err(err) = tx.try_send(Message::Entry(Box::new(entry), Utc::now())) {
            let action = match &err {
                mpsc::error::TrySendError::Full(Message::Entry(entry, _))
                | mpsc::error::TrySendError::Closed(Message::Entry(entry, _)) => entry.action.clone(),
                _ => String::new(),
            };
            tracing::warn!(%action, "audit log: the writer is behind; an entry was dropped");
        }
    }

    /// Resolves once every entry queued before it is stored (or the writer is gone).
    pub async fn flush(&self) {
        let Some(tx) = &self.tx else { return };
        let (done, wait) = oneshot::channel();
        if tx.send(Message::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

/// The writer: stores entries in batches until every sender is gone.
async fn write(db: DatabaseConnection, mut rx: mpsc::Receiver<Message>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut waiting = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Entry(entry, at) => batch.push(entry.into_row(at)),
                Message::Flush(done) => waiting.push(done),
            }
            if batch.len() < BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            let rows = std::mem::take(&mut batch);
            let count = rows.len();
            if let Err(err) = audit_log::Entity::insert_many(rows).exec(&db).await {
                tracing::error!(error = %err, count, "audit log: cannot store entries");
            }
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

/// Deletes entries older than `days`; returns how many.
pub async fn sweep(db: &DatabaseConnection, days: u32, now: DateTime<Utc>) -> AppResult<u64> {
    let cutoff = now - chrono::Duration::days(i64::from(days));
    let deleted = audit_log::Entity::delete_many()
        .filter(audit_log::Column::At.lt(cutoff))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// `message` with every string in `inputs` (what the caller sent, but ids) replaced, so a
/// value echoed in an error never reaches the log. Strings shorter than 4 characters are left
/// alone: replacing them would garble the message and they carry no secret worth the name.
pub fn redact_inputs(message: &str, inputs: &[String]) -> String {
    let mut secrets: Vec<String> = inputs.iter().filter(|s| s.chars().count() >= 4).cloned().collect();
    // Longest first, so a value inside a longer one cannot leave a piece of the longer behind.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    crate::redact::redact(message, &secrets)
}

fn truncate(message: &str) -> String {
    match message.char_indices().nth(MESSAGE_LEN) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{EntityTrait, QueryOrder};

    fn entry(action: &str) -> Entry {
        Entry {
            actor: Actor::anonymous(),
            source_ip: Some(IpAddr::from([127, 0, 0, 1])),
            action: action.into(),
            object: Some(("application".into(), "a1".into())),
            outcome: "ok".into(),
            message: None,
        }
    }

    #[tokio::test]
    async fn entries_are_stored_in_order_once_flushed() {
        let (_dir, db) = crate::test_support::test_db().await;
        let audit = Audit::start(db.clone(), true);
        for n in 0..100 {
            audit.record(entry(&format!("action{n}")));
        }
        audit.flush().await;
        let rows = audit_log::Entity::find()
            .order_by_asc(audit_log::Column::Id)
            .all(&db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 100);
        assert_eq!(rows[0].action, "action0");
        assert_eq!(rows[99].action, "action99");
        assert_eq!(rows[5].source_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(rows[5].object_type.as_deref(), Some("application"));
        assert_eq!(rows[5].actor_label, ANONYMOUS);
    }

    #[tokio::test]
    async fn a_disabled_log_stores_nothing() {
        let (_dir, db) = crate::test_support::test_db().await;
        let audit = Audit::start(db.clone(), false);
        audit.record(entry("createApplication"));
        audit.flush().await;
        assert!(audit_log::Entity::find().all(&db).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn the_sweep_deletes_only_entries_past_retention() {
        let (_dir, db) = crate::test_support::test_db().await;
        let now = Utc::now();
        let rows = [now - chrono::Duration::days(91), now - chrono::Duration::days(89)]
            .into_iter()
            .map(|at| entry("old").into_row(at));
        audit_log::Entity::insert_many(rows).exec(&db).await.unwrap();
        assert_eq!(sweep(&db, 90, now).await.unwrap(), 1);
        let left = audit_log::Entity::find().all(&db).await.unwrap();
        assert_eq!(left.len(), 1);
        assert!(left[0].at > now - chrono::Duration::days(90));
    }

    #[test]
    fn input_values_are_redacted_from_messages_and_long_ones_are_cut() {
        let message = "`value` for SECRET_TOKEN is hunter2hunter2 (too long)";
        let redacted = redact_inputs(message, &["hunter2hunter2".into(), "hunter2".into(), "to".into()]);
        assert_eq!(redacted, "`value` for SECRET_TOKEN is ******** (too long)");
        let long = "x".repeat(1000);
        assert_eq!(truncate(&long).chars().count(), MESSAGE_LEN + 1);
    }
}
