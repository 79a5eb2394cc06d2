//! Monitoring over GraphQL: live subscriptions to health changes and container samples
//! (an application's verdict, probe history and resource history are fields of
//! `Application`, in `types::application`; the types in `types::monitoring`).
//!
//! Who may watch what: everything here needs a viewer, the access table's rule for queries
//! and subscriptions. `containerStats` narrows it for containers Ployer does not manage:
//! a viewer may follow the containers of Ployer's applications, any other container on the
//! engine needs an admin — to everyone else it does not exist (NOT_FOUND), so ids of
//! foreign containers cannot be probed.

use crate::ids::AppId;
use std::pin::Pin;

use async_graphql::{Context, Subscription, ID};
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::types::monitoring::{ApplicationHealth, StatsSample};
use super::{principal, state};
use crate::{
    auth::Role,
    error::AppError,
    services,
    workers::health::{self as health_monitor},
};

/// A container id or name as Docker accepts them; anything else never reaches the engine.
fn parse_container_id(raw: &str) -> Result<&str, AppError> {
    let ok = (1..=128).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && raw.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(raw)
    } else {
        Err(AppError::bad_input(
            "containerId",
            "must be a container id or name (letters, digits, '_', '.', '-')",
        ))
    }
}

type SampleStream = Pin<Box<dyn Stream<Item = StatsSample> + Send>>;

#[derive(Default)]
pub struct MonitoringSubscription;

#[Subscription]
impl MonitoringSubscription {
    /// The application's health now, then every change of its status, failure count or
    /// restarts.
    async fn application_health(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = ApplicationHealth>> {
        let state = state(ctx)?.clone();
        let app = services::applications::get(&state.db, &AppId::from(&application_id)).await?;
        // Subscribed before reading: a change in between is not lost.
        let mut events = state.events.health();
        let current = health_monitor::view(&state.db, &app.id).await?;
        Ok(async_stream::stream! {
            yield ApplicationHealth(current);
            loop {
                match events.recv().await {
                    Ok(view) if view.app_id == app.id => yield ApplicationHealth(view),
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }

    /// Live samples of the application's running containers, one per container every
    /// `stats_interval_seconds`.
    async fn application_stats(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = StatsSample>> {
        let state = state(ctx)?.clone();
        let app = services::applications::get(&state.db, &AppId::from(&application_id)).await?;
        let mut events = state.events.stats();
        Ok(async_stream::stream! {
            loop {
                match events.recv().await {
                    Ok(sample) if sample.application_id.as_deref() == Some(app.id.as_str()) => {
                        yield StatsSample::from(sample.as_ref());
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }

    /// Live samples of one container (id, id prefix or name) every `stats_interval_seconds`.
    /// Containers of Ployer's applications: viewers; any other container: admins only.
    async fn container_stats(&self, ctx: &Context<'_>, container_id: ID) -> async_graphql::Result<SampleStream> {
        let is_admin = principal(ctx)?.role >= Role::Admin;
        let wanted = parse_container_id(&container_id)?;
        let samples = services::container_stats::follow(state(ctx)?, wanted, is_admin).await?;
        Ok(samples.map(|sample| StatsSample::from(sample.as_ref())).boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_ids_are_checked_before_they_reach_the_engine() {
        assert!(parse_container_id("3f2a9c").is_ok());
        assert!(parse_container_id("ployer-app-1234abcd").is_ok());
        for bad in [
            "",
            "../containers/x",
            "a/b",
            "-rm",
            ".hidden",
            "a b",
            "x;id",
            &"a".repeat(129),
        ] {
            assert!(parse_container_id(bad).is_err(), "{bad:?}");
        }
    }
}
