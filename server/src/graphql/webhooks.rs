//! Webhook deliveries over GraphQL: what each push delivery became (`Application.
//! webhookDeliveries`), each one live as it is stored (`webhookDeliveryReceived`), and
//! `redeliver`, which deploys a delivery's commit again.

use super::page::{self, Page};
use async_graphql::{connection::Connection, Context, Enum, InputObject, Object, SimpleObject, Subscription, ID};
use chrono::{DateTime, Utc};
use entities::webhook_deliveries;
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::{apps::ProviderGql, deployments::Deployment, principal, state};
use crate::{
    deploy,
    error::AppError,
    services,
    webhooks::{self, DeliveryStatus},
};

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
        match deploy::get(&state(ctx)?.db, id).await {
            Ok(row) => Ok(Some(Deployment(row))),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
    async fn received_at(&self) -> DateTime<Utc> {
        self.0.received_at
    }
}

/// `Application.webhookDeliveries`: newest first, `first` (1-100, default 20) after `after`.
pub(crate) async fn deliveries(
    ctx: &Context<'_>,
    app_id: &str,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Connection<String, WebhookDelivery>> {
    let page = Page::new(first, after, page::LIST)?;
    let (rows, more) = webhooks::list(&state(ctx)?.db, app_id, page.after(), page.limit).await?;
    Ok(page.connection(more, rows.into_iter().map(|row| (row.id.clone(), WebhookDelivery(row)))))
}

#[derive(InputObject)]
pub struct RedeliverInput {
    /// A `WebhookDelivery.id`.
    delivery_id: ID,
}

#[derive(SimpleObject)]
pub struct RedeliverPayload {
    /// The delivery, now `DEPLOYED` with the new deployment.
    delivery: WebhookDelivery,
    deployment: Deployment,
}

#[derive(Default)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// Deploys the commit of an earlier push delivery again, whatever became of it (skipped,
    /// failed, or deployed and since replaced).
    async fn redeliver(&self, ctx: &Context<'_>, input: RedeliverInput) -> async_graphql::Result<RedeliverPayload> {
        let state = state(ctx)?;
        let user = principal(ctx)?.user_id.clone();
        let (delivery, deployment) = webhooks::redeliver(
            &state.db,
            &state.deployer,
            &state.events,
            &input.delivery_id,
            Some(user),
        )
        .await?;
        Ok(RedeliverPayload {
            delivery: WebhookDelivery(delivery),
            deployment: Deployment(deployment),
        })
    }
}

#[derive(Default)]
pub struct WebhooksSubscription;

#[Subscription]
impl WebhooksSubscription {
    /// Every delivery of the application as it is stored from now on: each new one, and one
    /// processed again (a provider's redelivery of one that came to nothing, or `redeliver`).
    async fn webhook_delivery_received(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = WebhookDelivery>> {
        let state = state(ctx)?.clone();
        let mut events = state.events.deliveries();
        services::applications::get(&state.db, &application_id).await?;
        let app_id = application_id.0;
        Ok(async_stream::stream! {
            loop {
                match events.recv().await {
                    Ok(event) if event.app_id == app_id => match webhooks::get(&state.db, &event.delivery).await {
                        Ok(row) => yield WebhookDelivery(row),
                        // Pruned meanwhile, or the database failed: the next one may do.
                        Err(_) => continue,
                    },
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }
}
