//! What a git provider sent to a webhook, and what Ployer did with it.

use super::application::ProviderGql;
use super::deployment::Deployment;
use crate::graphql::state;
use crate::{deploy, error::AppError, ids::DeploymentId, webhooks::DeliveryStatus};
use async_graphql::{Context, Enum, Object, ID};
use chrono::{DateTime, Utc};
use entities::webhook_deliveries;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "WebhookDeliveryStatus", remote = "DeliveryStatus")]
pub enum DeliveryStatusGql {
    /// A deployment of its commit was queued.
    Deployed,
    /// Verified; nothing to deploy (`reason` says why).
    Skipped,
    /// Its signature did not verify, or its payload could not be used.
    Rejected,
    /// The deployment could not be queued; the provider's redelivery is processed again.
    Failed,
}

/// One request a git provider sent to a webhook, and what Ployer did with it.
pub struct WebhookDelivery(pub webhook_deliveries::Model);

#[Object]
impl WebhookDelivery {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn provider(&self) -> ProviderGql {
        self.0.provider.into()
    }
    /// The provider's event name, e.g. `push` or `Push Hook`.
    async fn event(&self) -> &str {
        &self.0.event
    }
    /// The provider's id of the delivery (`X-GitHub-Delivery`, GitLab's `Idempotency-Key`,
    /// `X-Gitea-Delivery`).
    async fn delivery_id(&self) -> Option<&str> {
        self.0.delivery_id.as_deref()
    }
    async fn status(&self) -> DeliveryStatusGql {
        self.0.status.into()
    }
    /// Why it was skipped, rejected or failed.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// The pushed branch.
    async fn branch(&self) -> Option<&str> {
        self.0.branch.as_deref()
    }
    /// The pushed head commit.
    async fn commit_sha(&self) -> Option<&str> {
        self.0.commit_sha.as_deref()
    }
    async fn commit_author(&self) -> Option<&str> {
        self.0.commit_author.as_deref()
    }
    async fn commit_message(&self) -> Option<&str> {
        self.0.commit_message.as_deref()
    }
    /// The deployment it started, while that is kept.
    async fn deployment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Deployment>> {
        let Some(id) = &self.0.deployment_id else {
            return Ok(None);
        };
        match deploy::get(&state(ctx)?.db, &DeploymentId::from(id)).await {
            Ok(row) => Ok(Some(Deployment(row))),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
    async fn received_at(&self) -> DateTime<Utc> {
        self.0.received_at
    }
}
