//! Live resource samples of one container (`containerStats`). A container of one of Ployer's
//! applications is sampled by the stats collector already: its subscribers read the
//! collector's samples. Any other container only an admin may watch; it is sampled for that
//! subscriber alone.

use crate::ids::AppId;
use std::{sync::Arc, time::Duration};

use futures::{stream::BoxStream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use crate::{
    docker,
    error::{AppError, AppResult},
    services,
    state::AppState,
    workers::stats::{self, Sample},
};

/// Samples of container `wanted` (an id, id prefix or name, already checked) from now on.
/// `NOT_FOUND` for a container that does not exist, or that is not an application's and the
/// caller is not an admin (who learns nothing from the difference).
pub async fn follow(state: &AppState, wanted: &str, is_admin: bool) -> AppResult<BoxStream<'static, Arc<Sample>>> {
    let engine = super::docker_resources::engine(&state.docker)?;
    let owner = docker::monitoring::owner(&engine, wanted)
        .await?
        .ok_or_else(|| AppError::not_found("container"))?;
    let app = match owner.app_id.as_deref().filter(|_| owner.managed) {
        Some(app_id) => match services::applications::get(&state.db, &AppId::from(app_id)).await {
            Ok(app) => Some(app),
            Err(AppError::NotFound(_)) => None,
            Err(err) => return Err(err),
        },
        None => None,
    };
    match app {
        // One of ours: the collector samples it already.
        Some(_) => {
            let mut events = state.events.stats();
            let id = owner.id;
            Ok(async_stream::stream! {
                loop {
                    match events.recv().await {
                        Ok(sample) if sample.container_id == id => yield sample,
                        Ok(_) | Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => break,
                    }
                }
            }
            .boxed())
        }
        None if is_admin => {
            let period = Duration::from_secs(state.config.stats_interval_seconds.max(1));
            let app_id = owner.app_id.filter(|_| owner.managed);
            Ok(stats::follow_container(engine, owner.id, app_id, period)
                .map(Arc::new)
                .boxed())
        }
        None => Err(AppError::not_found("container")),
    }
}
