//! The Docker engine connection recovers by itself: a Ployer started before the engine, or
//! whose engine goes away while it runs, deploys and converges again as soon as the engine
//! is back, without a restart. The engine "starts" and "stops" as a unix socket in front of
//! the real one appears and disappears (the machine's dockerd is shared and never stopped).

use std::time::{Duration, Instant};

use ployer_test_support::docker::docker;
use ployer_tests::{error_code, TestApp};
use serde_json::{json, Value};

use crate::fixtures::{EngineProxy, Stack};

const CONTAINERS: &str = "{ containers(all: true, managedOnly: true) { id } }";

async fn containers(app: &TestApp, token: &str) -> Value {
    app.graphql_as(token, CONTAINERS, json!({})).await
}

/// Polls `containers` until it answers without an error; panics after `timeout`.
async fn wait_until_engine_answers(app: &TestApp, token: &str, timeout: Duration) -> Value {
    let started = Instant::now();
    loop {
        let response = containers(app, token).await;
        if response["errors"].is_null() {
            return response;
        }
        assert!(
            started.elapsed() < timeout,
            "the engine is back but Ployer still cannot reach it after {timeout:?}: {response}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn docker_started_after_ployer_deploys_and_an_engine_that_goes_away_and_back_converges() {
    let mut proxy = EngineProxy::unopened();
    let stack = Stack::start_with(|c| {
        c.docker_socket = proxy.url();
        // No timer pass within the test: what converges does so because the engine came back.
        c.reconcile_interval_seconds = 3600;
    })
    .await;
    let (app, token) = (&stack.app, stack.token.as_str());

    // No engine yet: calls that need it say so, and a deployment fails with the reason.
    let before = containers(app, token).await;
    assert_eq!(error_code(&before), Some("UNAVAILABLE"), "{before}");
    let socket = proxy.url().trim_start_matches("unix://").to_string();
    let message = before["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains(&socket), "the message names the socket: {message}");
    let failed = stack.deploy(None).await;
    let failed = stack.wait_for_status(&failed, "FAILED").await;
    assert!(
        failed["error"].as_str().unwrap_or_default().contains(&socket),
        "{failed}"
    );

    // The engine starts: without a restart of Ployer, the next deployment goes live.
    proxy.open();
    wait_until_engine_answers(app, token, Duration::from_secs(10)).await;
    let id = stack.deploy_running("v1").await;
    let running = stack.containers_of(&id).await;
    assert_eq!(running.len(), 1, "{running:?}");

    // The engine goes away while Ployer runs, and its container with it.
    proxy.close();
    let away = containers(app, token).await;
    assert_eq!(error_code(&away), Some("UNAVAILABLE"), "{away}");
    docker(&["rm", "-f", &running[0]]).await;
    // Passes of the reconciler meanwhile fail, and Ployer keeps running.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let still_away = containers(app, token).await;
    assert_eq!(error_code(&still_away), Some("UNAVAILABLE"), "{still_away}");

    // Back: the reconciler converges (the active deployment runs and is served again).
    proxy.open();
    let took = stack
        .wait_until_serves("/", "version v1", Duration::from_secs(20))
        .await;
    let after = stack.containers_of(&id).await;
    assert_eq!(after.len(), 1, "one container for the active deployment: {after:?}");
    assert_ne!(after, running, "a new container");
    let listed = wait_until_engine_answers(app, token, Duration::from_secs(5)).await;
    let ids: Vec<&str> = listed["data"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(ids.contains(&after[0].as_str()), "{listed}");
    eprintln!("serving again {took:?} after the engine came back");

    // And deployments work on.
    let v2 = stack.repo.commit_version("v2").await;
    let next = stack.deploy(Some(&v2)).await;
    stack.wait_for_status(&next, "RUNNING").await;
    stack.wait_until_serves("/", "version v2", Duration::from_secs(5)).await;
}
