//! `Deployment`, its status and its stored log lines.

use super::application::Application;
use crate::graphql::page::{Bounds, Page};
use crate::graphql::state;
use crate::ids::AppId;
use crate::ids::DeploymentId;
use crate::{
    deploy::{self, logs::LogLine, Status},
    services,
};
use async_graphql::{connection::Connection, Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::deployments;

/// Stored log lines: 100 at a time, at most 1000.
const LOG_PAGE: Bounds = Bounds {
    default: 100,
    max: 1000,
};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "DeploymentStatus", remote = "Status")]
pub enum DeploymentStatusGql {
    Queued,
    Cloning,
    Building,
    Starting,
    HealthChecking,
    Running,
    Failed,
    Cancelled,
    Superseded,
}

/// One deployment of an application.
pub struct Deployment(pub deployments::Model);

#[Object]
impl Deployment {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn application(&self, ctx: &Context<'_>) -> async_graphql::Result<Application> {
        Ok(Application(
            services::applications::get(&state(ctx)?.db, &AppId::from(&self.0.application_id)).await?,
        ))
    }
    async fn status(&self) -> DeploymentStatusGql {
        self.0.status.into()
    }
    /// `manual`, `webhook`, `rollback` or `redeploy`.
    async fn trigger(&self) -> &str {
        self.0.trigger.as_str()
    }
    async fn commit_sha(&self) -> Option<&str> {
        self.0.commit_sha.as_deref()
    }
    async fn commit_message(&self) -> Option<&str> {
        self.0.commit_message.as_deref()
    }
    async fn commit_author(&self) -> Option<&str> {
        self.0.commit_author.as_deref()
    }
    /// The image this deployment runs.
    async fn image(&self) -> Option<&str> {
        self.0.image_tag.as_deref()
    }
    /// Why it failed or was cancelled, in words a person can act on.
    async fn error(&self) -> Option<&str> {
        self.0.failure_reason.as_deref()
    }
    /// The deployment this one rolled back to.
    async fn rollback_of(&self) -> Option<ID> {
        self.0.rollback_of_id.clone().map(ID)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }
    /// Stored log lines, `first` (1-1000, default 100) after the cursor `after`.
    async fn logs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, LogLineGql>> {
        let page = Page::new(first, after, LOG_PAGE)?;
        let after_seq = page.after_number()?.unwrap_or(0);
        let mut lines = deploy::logs::stored(
            &state(ctx)?.db,
            &DeploymentId::from(&self.0.id),
            after_seq,
            page.limit + 1,
        )
        .await?;
        let more = lines.len() as u64 > page.limit;
        lines.truncate(page.limit as usize);
        Ok(page.connection(
            more,
            lines.into_iter().map(|l| (l.seq.to_string(), LogLineGql::from(l))),
        ))
    }
}

#[derive(SimpleObject)]
#[graphql(name = "LogLine")]
pub struct LogLineGql {
    /// Increases with every line; a subscriber sees each exactly once, in order.
    pub(crate) seq: i64,
    /// `stdout`, `stderr`, `build` or `system`.
    pub(crate) stream: String,
    pub(crate) line: String,
    pub(crate) at: DateTime<Utc>,
}

impl From<LogLine> for LogLineGql {
    fn from(l: LogLine) -> Self {
        Self {
            seq: l.seq,
            stream: l.stream.to_string(),
            line: l.line,
            at: l.at,
        }
    }
}
