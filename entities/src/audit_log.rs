//! `audit_log`: one row per mutation and per sign-in. Never holds argument values: only the
//! field, the ids of the objects it named, how it ended and a message with input redacted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// Autoincrement; ordered and never reused, so it doubles as the paging cursor.
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: ChronoDateTimeUtc,
    /// The user who acted (signed in, or through one of their API keys); none when anonymous.
    pub actor_user_id: Option<String>,
    /// The API key used, when one was.
    pub actor_api_key_id: Option<String>,
    /// The actor's email when known (for a sign-in, the email that was tried), else
    /// `anonymous`.
    pub actor_label: String,
    /// The client's address as the socket saw it.
    pub source_ip: Option<String>,
    /// The mutation field (`createApplication`, `login`, …).
    pub action: String,
    /// What it acted on, when the arguments or the answer named it (`application`, …).
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// `ok`, or the error's code (`FORBIDDEN`, `BAD_USER_INPUT`, …).
    pub outcome: String,
    /// The error's message (input values redacted), when it failed.
    pub message: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
