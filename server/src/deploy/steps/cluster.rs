//! A deployment on a cluster, blue/green owned by Ployer: the image is built (or pulled) on the
//! manager and loaded into every node that may run it (no registry: saved there, loaded here,
//! streamed through the nodes' engine connections); a new swarm service runs `replicas` tasks of
//! it beside the serving one; each task is probed by Ployer at its node's port until healthy;
//! then the edge's pool names the new tasks (one rename per slot, no Caddy reload), the new
//! deployment is recorded active, and the old service is removed after the drain.

use std::{collections::HashMap, net::SocketAddr, sync::Arc, time::Instant};

use entities::deployments;
use sea_orm::Set;

use super::{cutover, health_gate, source, Run, Stop};
use crate::{
    deploy::{
        cluster::{constraints_of, deliver, render_upstreams, service_name, service_request, Delivered, Swarm},
        health, status, Status,
    },
    docker::swarm,
    ids::AppId,
    proxy::Target,
    services,
};

/// Task failures (failed, rejected) that end a deployment: this many per replica.
const FAILURES_PER_REPLICA: usize = 3;
/// Pause between looks at the tasks.
const POLL: std::time::Duration = std::time::Duration::from_millis(250);
/// Time for the swarm to schedule and start the tasks, on top of the health check's budget.
const SCHEDULING: std::time::Duration = std::time::Duration::from_secs(60);

/// The whole deployment; returns the deployment it replaced.
pub async fn deploy(run: &mut Run<'_>) -> Result<Option<deployments::Model>, Stop> {
    let inner = run.deployer.inner();
    let cluster_id = run
        .app
        .cluster_id
        .clone()
        .ok_or_else(|| Stop::Failed("the application is not on a cluster".into()))?;
    let swarm = Swarm::open(inner, &cluster_id).await.map_err(|e| e.message())?;
    run.log
        .system(format!(
            "running on the cluster {} ({} nodes)",
            swarm.cluster.name,
            swarm.nodes.len()
        ))
        .await;
    let image = source::image(run).await?;
    let delivered = run
        .cancellable(deliver(inner, &swarm, &image))
        .await?
        .map_err(|e| e.message())?;
    for note in &delivered.notes {
        run.log.system(note).await;
    }
    let service = create(run, &swarm, delivered).await?;
    let upstreams = wait_healthy(run, &swarm, &service).await?;
    let row = status::record(&inner.db, run.row.clone(), |d| {
        d.upstreams = Set(Some(render_upstreams(&upstreams)))
    })
    .await
    .map_err(|e| e.message())?;
    let slots = u16::try_from(run.app.replicas.max(1)).unwrap_or(1);
    run.log
        .system(format!(
            "{} healthy tasks: {}",
            upstreams.len(),
            upstreams.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ))
        .await;
    let _ = row;
    let previous = cutover::cut_over(run, Target::Pool { slots, upstreams }).await?;
    // Live: the service is the active deployment's now.
    run.made = Default::default();
    Ok(previous)
}

/// Creates the deployment's service; returns its id.
async fn create(run: &mut Run<'_>, swarm: &Swarm, delivered: Delivered) -> Result<String, Stop> {
    let inner = run.deployer.inner();
    let app = run.app;
    run.transition(Status::Starting, |_| {}).await?;
    run.check_cancelled()?;
    let vars =
        run.decrypted_vars(services::env_vars::decrypted(&inner.db, &inner.crypto, &AppId::from(&app.id)).await)?;
    let constraints = constraints_of(app);
    let name = service_name(&run.row.id);
    run.log
        .system(format!(
            "creating service {name}: {} replicas{}",
            app.replicas,
            if constraints.is_empty() {
                String::new()
            } else {
                format!(", placed by {}", constraints.join(", "))
            }
        ))
        .await;
    let request = service_request(app, &run.row.id, &name, &delivered.reference, &vars).map_err(|e| e.message())?;
    let id = swarm::create_service(&swarm.manager, request, delivered.credentials)
        .await
        .map_err(|e| Stop::Failed(format!("cannot create the service: {e}")))?;
    run.made.service = Some((swarm.manager.clone(), id.clone()));
    run.transition(Status::HealthChecking, |d| {
        d.service_id = Set(Some(id.clone()));
        d.container_name = Set(Some(name.clone()));
    })
    .await?;
    Ok(id)
}

/// Waits until `replicas` tasks run and each passed the health check in a row as often as it
/// asks, probed at its node's port (over the node's SSH connection for a remote one); returns
/// their addresses, sorted. Fails when tasks keep failing or the time runs out.
async fn wait_healthy(run: &Run<'_>, swarm: &Swarm, service: &str) -> Result<Vec<SocketAddr>, Stop> {
    let inner = run.deployer.inner();
    let gate = health_gate::gate(run).await?;
    let wanted = usize::try_from(run.app.replicas.max(1)).unwrap_or(1);
    let deadline = Instant::now() + gate.budget + SCHEDULING;
    run.log
        .system(format!(
            "health check: {:?} on each task, up to {} s",
            gate.probe,
            (gate.budget + SCHEDULING).as_secs()
        ))
        .await;
    // Per task: the address probed and the forward that carries it, and its passes in a row.
    let mut reach: HashMap<String, (SocketAddr, Option<Arc<crate::remote::Forward>>)> = HashMap::new();
    let mut streaks: HashMap<String, i32> = HashMap::new();
    let mut failures: Vec<String> = Vec::new();
    let mut last = String::from("no task ran yet");
    loop {
        run.check_cancelled()?;
        let tasks = swarm::tasks(&swarm.manager, service)
            .await
            .map_err(|e| Stop::Failed(format!("cannot list the service's tasks: {e}")))?;
        for task in &tasks {
            if matches!(task.state.as_str(), "failed" | "rejected") && !failures.contains(&task.id) {
                failures.push(task.id.clone());
                let node = swarm.node(&task.node_id).map(|n| n.address.as_str()).unwrap_or("?");
                last = format!("a task failed on {node}: {}", task.message);
                run.log.system(&last).await;
                if failures.len() >= FAILURES_PER_REPLICA * wanted {
                    return Err(Stop::Failed(format!(
                        "the service's tasks keep failing ({} failures): {}",
                        failures.len(),
                        task.message
                    )));
                }
            }
        }
        let mut healthy = Vec::new();
        for task in tasks.iter().filter(|t| t.is_running()) {
            let (Some(address), Some(port)) = (swarm.address_of(task), task.published_port) else {
                continue;
            };
            let needed = gate.needed.max(1);
            if streaks.get(&task.id).copied().unwrap_or(0) >= needed {
                healthy.push(address);
                continue;
            }
            let probed = match reach.get(&task.id) {
                Some((probed, _)) => *probed,
                None => {
                    let Some(server) = swarm.server_of(&task.node_id) else {
                        last = format!("the task on {address} is on a node Ployer does not manage");
                        continue;
                    };
                    let reached = inner.places.reach_on(server, port).await?;
                    let probed = reached.0;
                    reach.insert(task.id.clone(), reached);
                    probed
                }
            };
            let result = health::probe(&inner.probe_client, probed, &gate.probe, gate.timeout).await;
            let streak = streaks.entry(task.id.clone()).or_default();
            if result.healthy {
                *streak += 1;
                if *streak >= needed {
                    run.log
                        .system(format!("task on {address} healthy: {}", result.detail))
                        .await;
                    healthy.push(address);
                }
            } else {
                *streak = 0;
                last = format!("task on {address}: {}", result.detail);
            }
        }
        if healthy.len() >= wanted {
            healthy.sort();
            healthy.truncate(wanted);
            return Ok(healthy);
        }
        if Instant::now() >= deadline {
            return Err(Stop::Failed(format!(
                "{} of {wanted} tasks became healthy within {} s: {last}",
                healthy.len(),
                (gate.budget + SCHEDULING).as_secs()
            )));
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = run.cancel.cancelled() => return Err(Stop::Cancelled),
        }
    }
}
