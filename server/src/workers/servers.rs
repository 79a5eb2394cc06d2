//! The remote servers' check: every `server_check_interval_seconds`, each remote server that
//! was validated once (it has a recorded host key) is connected to again over SSH and its
//! engine asked for; a server that stops answering is shown `offline` (with why in its
//! `lastError`) and `reachable` again once it answers. Every change of status is published
//! (`serverStatusChanged`). The SSH connection is kept between checks while it lasts.

use std::time::Duration;

use entities::servers;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{crypto::Crypto, events::Events, remote::Pool, services};

/// Runs for ever (not started when the interval is 0).
pub async fn run(db: DatabaseConnection, crypto: Crypto, pool: Pool, interval_seconds: u64, events: Events) {
    let mut ticker = tokio::time::interval(Duration::from_secs(interval_seconds.max(1)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let validated = servers::Entity::find()
            .filter(servers::Column::IsLocal.eq(false))
            .filter(servers::Column::HostKeyFingerprint.is_not_null())
            .all(&db)
            .await;
        let validated = match validated {
            Ok(rows) => rows,
            Err(err) => {
                tracing::warn!(error = %err, "cannot list the servers to check");
                continue;
            }
        };
        // One at a time: a few connections a minute, however many servers.
        for server in validated {
            let (id, before) = (server.id.clone(), server.status);
            match services::servers::check(&db, &crypto, &pool, server).await {
                Ok(checked) if checked.server.status != before => {
                    tracing::info!(server = %checked.server.name, status = checked.server.status.as_str(), reason = %checked.message, "a server's status changed");
                    events.server_changed(&id);
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err.message(), server_id = %id, "cannot check a server"),
            }
        }
    }
}
