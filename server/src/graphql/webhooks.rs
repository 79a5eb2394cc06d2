//! Webhook deliveries over GraphQL: what each push delivery became (`Application.
//! webhookDeliveries`), each one live as it is stored (`webhookDeliveryReceived`), and
//! `redeliver`, which deploys a delivery's commit again.

use crate::ids::AppId;
use async_graphql::{Context, InputObject, Object, SimpleObject, Subscription, ID};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::types::webhook::WebhookDelivery;
use super::{principal, state, types::deployment::Deployment};
use crate::{
    services,
    webhooks::{self},
};

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
        services::applications::get(&state.db, &AppId::from(&application_id)).await?;
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
