//! Step 3: the new container is probed (from Ployer, through its published port) until the
//! application's health check passes `healthy_threshold` times in a row. It fails when the
//! container exits or the time runs out, with the container's last lines in the log.

use crate::ids::AppId;
use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use super::{Run, Stop};
use crate::{
    deploy::health,
    docker,
    services::{self, health_checks as checks},
};

/// Pauses between probes: the first is short, each next one doubles.
const PROBE_PAUSE_FIRST: Duration = Duration::from_millis(25);
const PROBE_PAUSE_MAX: Duration = Duration::from_millis(500);

/// How a new version is probed: the application's health check, or the defaults.
pub struct Gate {
    pub probe: health::Probe,
    /// One probe's timeout.
    pub timeout: Duration,
    /// Passes in a row that make it healthy.
    pub needed: i32,
    /// How long it gets to become healthy.
    pub budget: Duration,
}

/// The application's gate; fails when its check probes a port that is not published.
pub async fn gate(run: &Run<'_>) -> Result<Gate, Stop> {
    let inner = run.deployer.inner();
    let app = run.app;
    let check = services::applications::health_check(&inner.db, &AppId::from(&app.id))
        .await
        .map_err(|e| e.message())?;
    let probe = health::Probe::from_check(check.as_ref());
    if let Some(port) = check.as_ref().and_then(|c| c.port).filter(|port| *port != app.port) {
        return Err(Stop::Failed(format!(
            "the health check probes port {port}, but only the application port {} is published",
            app.port
        )));
    }
    let (interval, timeout, needed, unhealthy, start) = match &check {
        Some(c) => (
            c.interval_seconds,
            c.timeout_seconds,
            c.healthy_threshold,
            c.unhealthy_threshold,
            c.start_period_seconds,
        ),
        None => (
            checks::DEFAULT_INTERVAL,
            checks::DEFAULT_TIMEOUT,
            checks::DEFAULT_HEALTHY,
            checks::DEFAULT_UNHEALTHY,
            checks::DEFAULT_START_PERIOD,
        ),
    };
    let budget = Duration::from_secs(
        u64::try_from(start + interval * unhealthy + timeout)
            .unwrap_or(60)
            .max(10),
    );
    Ok(Gate {
        probe,
        timeout: Duration::from_secs(timeout.max(1) as u64),
        needed,
        budget,
    })
}

pub async fn health_gate(run: &Run<'_>, container: &str, upstream: SocketAddr) -> Result<(), Stop> {
    let inner = run.deployer.inner();
    let Gate {
        probe,
        timeout,
        needed,
        budget,
    } = gate(run).await?;
    let target = upstream;
    // On a remote server the port is published on that server's loopback: probed through a
    // port forwarded over its SSH connection, kept for the whole gate.
    let (probed, _forward) = run.place.reach(target).await?;
    let deadline = Instant::now() + budget;
    run.log
        .system(format!(
            "health check: {probe:?} on {target}, up to {}s",
            budget.as_secs()
        ))
        .await;
    let mut streak = 0;
    let mut last = String::from("no probe ran");
    // Most apps listen within a few hundred milliseconds: probe soon, then back off.
    let mut pause = PROBE_PAUSE_FIRST;
    loop {
        run.check_cancelled()?;
        match docker::inspect_running(&run.engine, container).await {
            Ok(Some((true, _))) => {}
            Ok(_) | Err(_) => {
                run.log_container_tail(container).await;
                return Err(Stop::Failed("the container exited before it became healthy".into()));
            }
        }
        let result = health::probe(&inner.probe_client, probed, &probe, timeout).await;
        if result.healthy {
            streak += 1;
            if streak >= needed {
                run.log.system(format!("healthy: {}", result.detail)).await;
                return Ok(());
            }
        } else {
            streak = 0;
            last = result.detail;
        }
        if Instant::now() >= deadline {
            run.log.system(format!("last health check: {last}")).await;
            run.log_container_tail(container).await;
            return Err(Stop::Failed(format!(
                "the health check did not pass within {}s: {last}",
                budget.as_secs()
            )));
        }
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = run.cancel.cancelled() => return Err(Stop::Cancelled),
        }
        pause = (pause * 2).min(PROBE_PAUSE_MAX);
    }
}
