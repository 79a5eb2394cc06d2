//! Monitoring: the health monitor (results, verdicts, restarts with a bound), container
//! stats (live samples, history, a bounded table) and the bad input around them: unknown
//! ids, no sign-in, a viewer asking for a foreign container, Docker being unreachable.
//! The end-to-end tests run real containers built by the deploy fixture; what they leave
//! in Docker is removed when they drop.

use std::{
    sync::{
        atomic::{AtomicU16, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use chrono::Utc;
use entities::{applications, container_stats, deployments};
use ployer_server::workers::stats::{downsample, Retention};
use ployer_test_support::docker::{docker, Leftovers, TEST_IMAGE};
use ployer_tests::{error_code, error_field, random_suffix, spawn_app, spawn_app_with, TestApp, WsClient, WsEvent};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{json, Value};

use crate::fixtures::Stack;

const HEALTH: &str = "query($id: ID!) { application(id: $id) { health {
    applicationId status consecutiveFailures restartCount lastCheckedAt lastRestartAt reason } } }";
const RESULTS: &str = "query($id: ID!, $first: Int, $after: String) { application(id: $id) {
    healthResults(first: $first, after: $after) { edges { cursor node { id healthy statusCode responseTimeMs error deploymentId checkedAt } } pageInfo { hasNextPage } } } }";
const STATS: &str = "query($id: ID!, $from: DateTime, $to: DateTime) { application(id: $id) {
    stats(from: $from, to: $to) { resolution from to samples { containerId applicationId cpuPercent memoryUsedBytes memoryLimitBytes networkRxBytes networkTxBytes blockReadBytes blockWriteBytes sampledAt } } } }";
const SUB_HEALTH: &str = "subscription($id: ID!) { applicationHealth(applicationId: $id) { status consecutiveFailures restartCount reason } }";
const SUB_APP_STATS: &str =
    "subscription($id: ID!) { applicationStats(applicationId: $id) { containerId applicationId cpuPercent memoryUsedBytes memoryLimitBytes sampledAt } }";
const SUB_CONTAINER_STATS: &str =
    "subscription($id: ID!) { containerStats(containerId: $id) { containerId applicationId cpuPercent memoryUsedBytes memoryLimitBytes sampledAt } }";

async fn health_of(app: &TestApp, token: &str, app_id: &str) -> Value {
    let r = app.graphql_as(token, HEALTH, json!({ "id": app_id })).await;
    assert!(r["errors"].is_null(), "health: {r}");
    r["data"]["application"]["health"].clone()
}

/// Polls `application.health` until `done` holds; panics with the last answer after `timeout`.
async fn wait_for_health(
    app: &TestApp,
    token: &str,
    app_id: &str,
    timeout: Duration,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let started = Instant::now();
    loop {
        let health = health_of(app, token, app_id).await;
        if done(&health) {
            return health;
        }
        if started.elapsed() > timeout {
            panic!("waited {timeout:?} for {what}; health is {health}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The newest results (up to 100), newest first.
async fn results_of(app: &TestApp, token: &str, app_id: &str) -> Vec<Value> {
    let r = app
        .graphql_as(token, RESULTS, json!({ "id": app_id, "first": 100 }))
        .await;
    assert!(r["errors"].is_null(), "healthResults: {r}");
    r["data"]["application"]["healthResults"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

async fn stats_of(
    app: &TestApp,
    token: &str,
    app_id: &str,
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
) -> Value {
    let r = app
        .graphql_as(
            token,
            STATS,
            json!({ "id": app_id, "from": from.to_rfc3339(), "to": to.to_rfc3339() }),
        )
        .await;
    assert!(r["errors"].is_null(), "stats: {r}");
    r["data"]["application"]["stats"].clone()
}

async fn subscribe(app: &TestApp, token: &str, query: &str, variables: Value) -> WsClient {
    let mut ws = app.ws().await;
    ws.init(token).await;
    ws.subscribe("s", query, variables).await;
    ws
}

/// The `extensions.code` of a subscription that failed at once: the server answers with
/// `next` carrying errors, or with `error`.
async fn subscription_error(ws: &mut WsClient) -> (String, Option<String>) {
    let message = ws.message().await;
    let error = match message["type"].as_str() {
        Some("next") => message["payload"]["errors"][0].clone(),
        Some("error") => message["payload"][0].clone(),
        _ => panic!("expected an error, got {message}"),
    };
    assert!(error.is_object(), "expected an error, got {message}");
    (
        error["extensions"]["code"].as_str().unwrap_or_default().to_string(),
        error["extensions"]["field"].as_str().map(str::to_string),
    )
}

/// The next `next` payload's `field`, skipping nothing else.
async fn next_item(ws: &mut WsClient, field: &str, timeout: Duration) -> Value {
    match ws.next_within(timeout).await {
        WsEvent::Message(message) => {
            assert_eq!(message["type"], "next", "{message}");
            let item = &message["payload"]["data"][field];
            assert!(item.is_object(), "no {field} in {message}");
            item.clone()
        }
        WsEvent::Closed(code) => panic!("the socket closed ({code:?})"),
    }
}

/// A container started with the docker CLI, removed on drop.
struct Container {
    id: String,
    _removal: Leftovers,
}

impl Container {
    async fn run(args: &[&str]) -> Self {
        let mut all = vec!["run", "-d"];
        all.extend_from_slice(args);
        let id = docker(&all).await.trim().to_string();
        let mut removal = Leftovers::default();
        removal.container(id.clone());
        Container { id, _removal: removal }
    }
}

async fn started_at(container: &str) -> String {
    docker(&["inspect", "-f", "{{.State.StartedAt}}", container])
        .await
        .trim()
        .to_string()
}

#[tokio::test]
async fn monitoring_fields_and_subscriptions_refuse_bad_input_and_unknown_ids() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app
        .create_git_app(&token, "watched", "https://github.com/o/r.git")
        .await;

    // A new application has no verdict and no history yet.
    let health = health_of(&app, &token, &id).await;
    assert_eq!(
        health,
        json!({ "applicationId": id, "status": "UNKNOWN", "consecutiveFailures": 0, "restartCount": 0,
                "lastCheckedAt": null, "lastRestartAt": null, "reason": null })
    );
    assert!(results_of(&app, &token, &id).await.is_empty());
    let now = Utc::now();
    let stats = stats_of(&app, &token, &id, now - chrono::Duration::minutes(5), now).await;
    assert_eq!((&stats["resolution"], &stats["samples"]), (&json!("RAW"), &json!([])));
    let week = stats_of(&app, &token, &id, now - chrono::Duration::days(3), now).await;
    assert_eq!(week["resolution"], "FIVE_MINUTES", "{week}");

    // Pages and ranges out of bounds.
    for (variables, field) in [
        (json!({ "id": id, "first": 0 }), "first"),
        (json!({ "id": id, "first": 101 }), "first"),
        (json!({ "id": id, "after": "not-a-cursor" }), "after"),
    ] {
        let r = app.graphql_as(&token, RESULTS, variables.clone()).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{variables}: {r}");
        assert_eq!(error_field(&r), Some(field), "{r}");
    }
    let r = app
        .graphql_as(
            &token,
            STATS,
            json!({ "id": id, "from": now.to_rfc3339(), "to": (now - chrono::Duration::hours(1)).to_rfc3339() }),
        )
        .await;
    assert_eq!(
        (error_code(&r), error_field(&r)),
        (Some("BAD_USER_INPUT"), Some("from")),
        "{r}"
    );
    let r = app
        .graphql_as(&token, STATS, json!({ "id": id, "from": "yesterday" }))
        .await;
    assert!(r["errors"][0]["message"].is_string(), "{r}");

    // Unknown ids: the application query answers null; subscriptions NOT_FOUND.
    let r = app.graphql_as(&token, HEALTH, json!({ "id": "no-such-app" })).await;
    assert_eq!(r["data"]["application"], Value::Null, "{r}");
    for query in [SUB_HEALTH, SUB_APP_STATS] {
        let mut ws = subscribe(&app, &token, query, json!({ "id": "no-such-app" })).await;
        assert_eq!(subscription_error(&mut ws).await.0, "NOT_FOUND", "{query}");
    }
    let mut ws = subscribe(
        &app,
        &token,
        SUB_CONTAINER_STATS,
        json!({ "id": format!("nosuchcontainer{}", random_suffix(8)) }),
    )
    .await;
    assert_eq!(subscription_error(&mut ws).await.0, "NOT_FOUND");
    // Ids that are not ids never reach the engine.
    for bad in ["../../containers/json", "a/b", "-f", "x;id", ""] {
        let mut ws = subscribe(&app, &token, SUB_CONTAINER_STATS, json!({ "id": bad })).await;
        let (code, field) = subscription_error(&mut ws).await;
        assert_eq!(
            (code.as_str(), field.as_deref()),
            ("BAD_USER_INPUT", Some("containerId")),
            "{bad:?}"
        );
    }
}

#[tokio::test]
async fn monitoring_subscriptions_need_a_sign_in() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app
        .create_git_app(&token, "watched", "https://github.com/o/r.git")
        .await;
    for query in [SUB_HEALTH, SUB_APP_STATS, SUB_CONTAINER_STATS] {
        // Over server-sent events without a credential: refused before anything streams.
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("accept", "text/event-stream")
            .json(&json!({ "query": query, "variables": { "id": id } }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
        // Over a websocket, the connection is not even acknowledged without one.
        let mut ws = app.ws().await;
        ws.send(json!({ "type": "connection_init", "payload": {} })).await;
        assert_eq!(ws.close_code().await, Some(4403));
    }
}

#[tokio::test]
async fn a_viewer_may_not_follow_a_container_ployer_does_not_manage_but_an_admin_may() {
    let app = spawn_app_with(|c| c.stats_interval_seconds = 1).await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let name = format!("ployer-test-foreign-{}", random_suffix(8));
    let container = Container::run(&["--name", &name, TEST_IMAGE, "sleep", "300"]).await;

    let mut ws = subscribe(&app, &viewer, SUB_CONTAINER_STATS, json!({ "id": name })).await;
    assert_eq!(subscription_error(&mut ws).await.0, "NOT_FOUND");

    let mut ws = subscribe(&app, &admin, SUB_CONTAINER_STATS, json!({ "id": name })).await;
    let first = next_item(&mut ws, "containerStats", Duration::from_secs(15)).await;
    assert_eq!(first["containerId"], container.id.as_str(), "{first}");
    assert_eq!(first["applicationId"], Value::Null, "{first}");
    assert!(first["memoryUsedBytes"].as_i64().unwrap() > 0, "{first}");
    assert!(first["memoryLimitBytes"].as_i64().unwrap() > 0, "{first}");
    let second = next_item(&mut ws, "containerStats", Duration::from_secs(15)).await;
    let at = |s: &Value| chrono::DateTime::parse_from_rfc3339(s["sampledAt"].as_str().unwrap()).unwrap();
    assert!(at(&second) > at(&first), "{first} then {second}");
    assert!(second["cpuPercent"].as_f64().unwrap() >= 0.0, "{second}");
}

/// Answers every HTTP request with the status held in `status`.
async fn status_server(status: Arc<AtomicU16>) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let code = status.load(Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = socket.read(&mut buf).await;
                let response = format!("HTTP/1.1 {code} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    port
}

/// Forwards connections on `path` to the real Docker socket, from when it is called.
fn docker_socket_proxy(path: &std::path::Path) -> tokio::task::JoinHandle<()> {
    let listener = tokio::net::UnixListener::bind(path).unwrap();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            tokio::spawn(async move {
                if let Ok(mut engine) = tokio::net::UnixStream::connect("/var/run/docker.sock").await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut engine).await;
                }
            });
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_docker_unreachable_monitoring_says_unavailable_keeps_running_and_recovers() {
    let sockets = tempfile::tempdir().unwrap();
    let socket = sockets.path().join("docker.sock");
    let app = spawn_app_with(|c| {
        c.docker_socket = format!("unix://{}", socket.display());
        c.stats_interval_seconds = 1;
        c.health_restart_backoff_seconds = 1;
    })
    .await;
    let token = app.admin_token().await;
    let app_id = app
        .create_git_app(&token, "offline", "https://github.com/o/r.git")
        .await;
    let configured = app
        .graphql_as(
            &token,
            "mutation($i: ConfigureHealthCheckInput!) { configureHealthCheck(input: $i) { healthCheck { path } } }",
            json!({ "i": { "applicationId": app_id, "path": "/", "intervalSeconds": 2, "timeoutSeconds": 1,
                           "healthyThreshold": 1, "unhealthyThreshold": 2, "startPeriodSeconds": 0 } }),
        )
        .await;
    assert!(configured["errors"].is_null(), "{configured}");

    // Anything that needs the engine says so.
    let mut ws = subscribe(&app, &token, SUB_CONTAINER_STATS, json!({ "id": "anything" })).await;
    assert_eq!(subscription_error(&mut ws).await.0, "UNAVAILABLE");

    // An application running (as far as the database knows) on a port whose answers the
    // test decides: probes need no Docker, so the monitor works on.
    let status = Arc::new(AtomicU16::new(503));
    let port = status_server(status.clone()).await;
    let container_name = format!("ployer-test-offline-{}", random_suffix(8));
    let deployment_id = format!("test-{}", random_suffix(16));
    let now = Utc::now();
    deployments::ActiveModel {
        id: Set(deployment_id.clone()),
        application_id: Set(app_id.clone()),
        status: Set(deployments::DeploymentStatus::Running),
        trigger: Set(deployments::Trigger::Manual),
        commit_sha: Set(None),
        commit_message: Set(None),
        commit_author: Set(None),
        image_tag: Set(None),
        container_id: Set(Some(container_name.clone())),
        container_name: Set(Some(container_name.clone())),
        host_port: Set(Some(i32::from(port))),
        failure_reason: Set(None),
        rollback_of_id: Set(None),
        compose_file: Set(None),
        compose_images: Set(None),
        triggered_by_user_id: Set(None),
        server_id: Set(None),
        cluster_id: Set(None),
        service_id: Set(None),
        upstreams: Set(None),
        created_at: Set(now),
        started_at: Set(Some(now)),
        finished_at: Set(Some(now)),
        updated_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let row = applications::Entity::find_by_id(app_id.clone())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: applications::ActiveModel = row.into();
    row.active_deployment_id = Set(Some(deployment_id.clone()));
    row.status = Set(applications::AppStatus::Running);
    row.update(&app.state.db).await.unwrap();

    // It fails: unhealthy, and the restarts Docker cannot do are not counted.
    let unhealthy = wait_for_health(&app, &token, &app_id, Duration::from_secs(20), "UNHEALTHY", |h| {
        h["status"] == "UNHEALTHY"
    })
    .await;
    assert!(
        unhealthy["reason"].as_str().unwrap_or_default().contains("503"),
        "{unhealthy}"
    );
    let failures = results_of(&app, &token, &app_id).await;
    assert!(
        failures
            .iter()
            .any(|r| r["healthy"] == false && r["statusCode"] == 503 && r["deploymentId"] == deployment_id.as_str()),
        "{failures:?}"
    );
    // The monitor keeps probing (and failing to restart) for a few rounds…
    wait_for_health(&app, &token, &app_id, Duration::from_secs(20), "4 failures", |h| {
        h["consecutiveFailures"].as_i64() >= Some(4)
    })
    .await;
    // …and the verdict follows the application when it answers again.
    status.store(200, Ordering::SeqCst);
    let healthy = wait_for_health(&app, &token, &app_id, Duration::from_secs(20), "HEALTHY", |h| {
        h["status"] == "HEALTHY"
    })
    .await;
    assert_eq!(
        (&healthy["restartCount"], &healthy["lastRestartAt"], &healthy["reason"]),
        (&json!(0), &Value::Null, &Value::Null),
        "{healthy}"
    );

    // Docker comes back: the collector samples the application's container again.
    let _proxy = docker_socket_proxy(&socket);
    let container = Container::run(&[
        "--name",
        &container_name,
        "--label",
        "ployer.managed=true",
        "--label",
        &format!("ployer.app={app_id}"),
        "--label",
        &format!("ployer.deployment={deployment_id}"),
        TEST_IMAGE,
        "sleep",
        "300",
    ])
    .await;
    let started = Instant::now();
    loop {
        let now = Utc::now();
        let stats = stats_of(&app, &token, &app_id, now - chrono::Duration::minutes(5), now).await;
        let samples = stats["samples"].as_array().unwrap();
        if let Some(sample) = samples.iter().find(|s| s["containerId"] == container.id.as_str()) {
            assert_eq!(sample["applicationId"], app_id.as_str(), "{sample}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no stats for the container after Docker came back: {stats}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let mut ws = subscribe(&app, &token, SUB_CONTAINER_STATS, json!({ "id": container_name })).await;
    let sample = next_item(&mut ws, "containerStats", Duration::from_secs(15)).await;
    assert_eq!(sample["containerId"], container.id.as_str(), "{sample}");
    // Everything else that needs the engine works again too, without a restart of Ployer.
    let listed = app
        .graphql_as(&token, "{ containers(all: true, managedOnly: true) { id } }", json!({}))
        .await;
    assert!(listed["errors"].is_null(), "{listed}");
    assert!(
        listed["data"]["containers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == container.id.as_str()),
        "{listed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_app_whose_health_endpoint_starts_failing_is_restarted_after_the_threshold() {
    let stack = Stack::start_with(|c| c.health_restart_backoff_seconds = 1).await;
    let id = stack.deploy_running("v1").await;
    let container = stack.containers_of(&id).await.remove(0);
    wait_for_health(
        &stack.app,
        &stack.token,
        &stack.app_id,
        Duration::from_secs(20),
        "HEALTHY",
        |h| h["status"] == "HEALTHY",
    )
    .await;
    let mut updates = subscribe(&stack.app, &stack.token, SUB_HEALTH, json!({ "id": stack.app_id })).await;
    let current = next_item(&mut updates, "applicationHealth", Duration::from_secs(10)).await;
    assert_eq!(current["status"], "HEALTHY", "{current}");
    let before = started_at(&container).await;

    docker(&["exec", &container, "/bin/busybox", "rm", "/www/healthz"]).await;
    let restarted = wait_for_health(
        &stack.app,
        &stack.token,
        &stack.app_id,
        Duration::from_secs(30),
        "a restart",
        |h| h["restartCount"].as_i64() >= Some(1),
    )
    .await;
    assert!(restarted["lastRestartAt"].is_string(), "{restarted}");
    // Restarted, not replaced: the same container, started again.
    assert_eq!(stack.containers_of(&id).await, vec![container.clone()]);
    assert_ne!(started_at(&container).await, before, "the container was not restarted");
    // The results show the failures that led there: at least the threshold (2) in a row.
    let results = results_of(&stack.app, &stack.token, &stack.app_id).await;
    let failed: Vec<&Value> = results.iter().filter(|r| r["healthy"] == false).collect();
    assert!(failed.len() >= 2, "{results:?}");
    assert!(
        failed
            .iter()
            .all(|r| r["deploymentId"] == id.as_str() && r["error"].as_str().is_some()),
        "{failed:?}"
    );
    assert!(failed.iter().any(|r| r["statusCode"] == 404), "{failed:?}");
    assert!(
        results.iter().any(|r| r["healthy"] == true),
        "the healthy ones before: {results:?}"
    );

    // The subscriber saw it turn unhealthy and the restart.
    let mut seen = Vec::new();
    while !seen.iter().any(|u: &Value| u["restartCount"].as_i64() >= Some(1)) {
        seen.push(next_item(&mut updates, "applicationHealth", Duration::from_secs(15)).await);
    }
    assert!(seen.iter().any(|u| u["status"] == "UNHEALTHY"), "{seen:?}");

    // Healthy again once the path answers (the restart did not bring the file back).
    docker(&["exec", &container, "sh", "-c", "echo ok > /www/healthz"]).await;
    let healthy = wait_for_health(
        &stack.app,
        &stack.token,
        &stack.app_id,
        Duration::from_secs(30),
        "HEALTHY",
        |h| h["status"] == "HEALTHY",
    )
    .await;
    assert_eq!(healthy["consecutiveFailures"], 0, "{healthy}");
    assert_eq!(stack.get("/").await, Ok((200, "version v1".to_string())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_app_that_stays_unhealthy_is_restarted_a_bounded_number_of_times_then_given_up() {
    let stack = Stack::start_with(|c| {
        c.health_max_restarts = 2;
        c.health_restart_backoff_seconds = 1;
    })
    .await;
    let id = stack.deploy_running("v1").await;
    let container = stack.containers_of(&id).await.remove(0);
    wait_for_health(
        &stack.app,
        &stack.token,
        &stack.app_id,
        Duration::from_secs(20),
        "HEALTHY",
        |h| h["status"] == "HEALTHY",
    )
    .await;

    // The health path is gone for good: every restart comes back failing.
    docker(&["exec", &container, "/bin/busybox", "rm", "/www/healthz"]).await;
    let gave_up = wait_for_health(
        &stack.app,
        &stack.token,
        &stack.app_id,
        Duration::from_secs(60),
        "GAVE_UP",
        |h| h["status"] == "GAVE_UP",
    )
    .await;
    assert_eq!(gave_up["restartCount"], 2, "{gave_up}");
    assert!(
        gave_up["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("stopped restarting after 2 restarts"),
        "{gave_up}"
    );

    // No more restarts, though the probes go on failing.
    let started = started_at(&container).await;
    let last_result = results_of(&stack.app, &stack.token, &stack.app_id).await[0]["id"].clone();
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(started_at(&container).await, started, "restarted after giving up");
    let now = health_of(&stack.app, &stack.token, &stack.app_id).await;
    assert_eq!(
        (&now["status"], &now["restartCount"]),
        (&json!("GAVE_UP"), &json!(2)),
        "{now}"
    );
    let results = results_of(&stack.app, &stack.token, &stack.app_id).await;
    assert_ne!(results[0]["id"], last_result, "probing stopped");
    assert_eq!(results[0]["healthy"], false, "{:?}", results[0]);

    // A new deployment starts afresh.
    let next = stack.deploy_running("v1").await;
    assert_ne!(next, id);
    let fresh = wait_for_health(
        &stack.app,
        &stack.token,
        &stack.app_id,
        Duration::from_secs(20),
        "HEALTHY",
        |h| h["status"] == "HEALTHY",
    )
    .await;
    assert_eq!(fresh["restartCount"], 0, "{fresh}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stats_of_a_running_container_appear_live_and_in_a_history_that_stays_bounded() {
    let stack = Stack::start_with(|c| c.stats_interval_seconds = 1).await;
    let viewer = stack.app.user_token(&stack.token, "viewer@example.com", "VIEWER").await;
    let mut live = subscribe(&stack.app, &viewer, SUB_APP_STATS, json!({ "id": stack.app_id })).await;
    let id = stack.deploy_running("v1").await;
    let container = stack.containers_of(&id).await.remove(0);

    // Live, for the application…
    let sample = loop {
        let sample = next_item(&mut live, "applicationStats", Duration::from_secs(30)).await;
        if sample["containerId"] == container.as_str() {
            break sample;
        }
    };
    assert_eq!(sample["applicationId"], stack.app_id.as_str(), "{sample}");
    assert!(sample["memoryUsedBytes"].as_i64().unwrap() > 0, "{sample}");
    assert!(
        sample["memoryLimitBytes"].as_i64() >= sample["memoryUsedBytes"].as_i64(),
        "{sample}"
    );
    assert!(sample["cpuPercent"].as_f64().unwrap() >= 0.0, "{sample}");
    // …and for the container, which a viewer may follow because Ployer manages it.
    let mut one = subscribe(&stack.app, &viewer, SUB_CONTAINER_STATS, json!({ "id": container })).await;
    let sample = next_item(&mut one, "containerStats", Duration::from_secs(15)).await;
    assert_eq!(sample["applicationId"], stack.app_id.as_str(), "{sample}");

    // Stored raw for recent ranges.
    let now = Utc::now();
    let recent = stats_of(
        &stack.app,
        &viewer,
        &stack.app_id,
        now - chrono::Duration::minutes(10),
        now,
    )
    .await;
    assert_eq!(recent["resolution"], "RAW", "{recent}");
    let raw = recent["samples"].as_array().unwrap();
    assert!(
        !raw.is_empty() && raw.iter().all(|s| s["containerId"] == container.as_str()),
        "{recent}"
    );

    // Two days later (an injected clock) the raw rows are folded into 5-minute averages…
    let db = &stack.app.state.db;
    let retention = Retention::from_config(&stack.app.state.config);
    let raw_rows = |before: chrono::DateTime<Utc>| async move {
        container_stats::Entity::find()
            .filter(container_stats::Column::Resolution.eq("raw"))
            .filter(container_stats::Column::SampledAt.lt(before))
            .count(db)
            .await
            .unwrap()
    };
    let rollups = || async {
        container_stats::Entity::find()
            .filter(container_stats::Column::Resolution.eq("5m"))
            .count(db)
            .await
            .unwrap()
    };
    let cut = Utc::now();
    assert!(raw_rows(cut).await > 0);
    let report = downsample(db, cut + chrono::Duration::days(2), retention)
        .await
        .unwrap();
    assert!(report.raw_deleted > 0 && report.buckets_written > 0, "{report:?}");
    assert_eq!(raw_rows(cut).await, 0, "raw rows older than a day are gone");
    let buckets = rollups().await;
    assert!(
        (1..=3).contains(&buckets),
        "a few minutes of samples make 1-3 buckets: {buckets}"
    );
    let week = stats_of(
        &stack.app,
        &viewer,
        &stack.app_id,
        now - chrono::Duration::days(3),
        Utc::now(),
    )
    .await;
    assert_eq!(week["resolution"], "FIVE_MINUTES", "{week}");
    assert!(!week["samples"].as_array().unwrap().is_empty(), "{week}");

    // …and nine days later those are gone too: the table holds only what is recent.
    downsample(db, cut + chrono::Duration::days(9), retention)
        .await
        .unwrap();
    assert_eq!(rollups().await, 0);
    assert_eq!(raw_rows(cut).await, 0);
}
