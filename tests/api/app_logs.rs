//! What running containers print, over GraphQL against the real engine: an application's
//! logs with streams, timestamps and redacted secrets; a subscriber that keeps receiving
//! across a redeploy (switching to the new container); any container's logs for admins;
//! bad input refused.

use std::time::{Duration, Instant};

use ployer_test_support::docker::{docker, TEST_IMAGE};
use ployer_tests::{error_code, error_field, spawn_app, WsClient, WsEvent};
use serde_json::{json, Value};

use crate::{
    docker_resources::{subscription_error, Made},
    fixtures::Stack,
};

const SECRET: &str = "s3cr3t-value-for-logs";

/// The fixture's command, printing a numbered `tick` line with the served version and the
/// secret to stdout and a `warn` line to stderr every second.
const CHATTY_CMD: &str = r#"trap 'exit 0' TERM; httpd -f -p 8080 -h /www & i=0; while true; do echo \"tick $(cat /www/index.html) $i token=$API_TOKEN\"; echo \"warn $i\" >&2; i=$((i+1)); sleep 1; done"#;

const LOG_FIELDS: &str = "containerId stream line timestamp";

async fn chatty_stack() -> Stack {
    let stack = Stack::start().await;
    let dockerfile = stack
        .repo
        .dockerfile()
        .replace("httpd -f -p 8080 -h /www & wait", CHATTY_CMD);
    assert_ne!(dockerfile, stack.repo.dockerfile(), "the command was replaced");
    stack.repo.write("Dockerfile", Some(&dockerfile));
    stack.repo.commit_all("a chatty container").await;
    stack
        .app
        .set_env_var(&stack.token, &stack.app_id, "API_TOKEN", SECRET, true)
        .await;
    stack
}

async fn app_logs(stack: &Stack, args: &str) -> Vec<Value> {
    let query = format!("query($id: ID!) {{ application(id: $id) {{ logs{args} {{ {LOG_FIELDS} }} }} }}");
    let response = stack
        .app
        .graphql_as(&stack.token, &query, json!({ "id": stack.app_id }))
        .await;
    assert!(response["errors"].is_null(), "logs: {response}");
    response["data"]["application"]["logs"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn text(line: &Value) -> &str {
    line["line"].as_str().unwrap_or_default()
}

/// The next line of subscription `field`; `None` once the server completes it.
async fn next_line(ws: &mut WsClient, field: &str, timeout: Duration) -> Option<Value> {
    loop {
        match ws.next_within(timeout).await {
            WsEvent::Message(message) => match message["type"].as_str() {
                Some("next") => {
                    assert!(message["payload"]["errors"].is_null(), "{message}");
                    return Some(message["payload"]["data"][field].clone());
                }
                Some("complete") => return None,
                _ => continue,
            },
            WsEvent::Closed(code) => panic!("the socket closed ({code:?})"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_log_subscriber_sees_what_the_container_prints_and_keeps_receiving_after_a_redeploy() {
    let stack = chatty_stack().await;
    let first = stack.deploy_running("v1").await;
    let first_container = stack.containers_of(&first).await.pop().expect("a container");

    // The query: both streams, timestamps in order, the secret redacted.
    let started = Instant::now();
    let lines = loop {
        let lines = app_logs(&stack, "(tail: 10)").await;
        if lines.iter().filter(|l| text(l).starts_with("tick")).count() >= 2 {
            break lines;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "no tick lines: {lines:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert!(lines.len() <= 10, "tail bounds the answer: {}", lines.len());
    assert!(lines.iter().all(|l| l["containerId"] == first_container.as_str()));
    let tick = lines.iter().find(|l| text(l).starts_with("tick")).unwrap();
    assert_eq!(tick["stream"], "STDOUT", "{tick}");
    assert!(text(tick).starts_with("tick version v1 "), "{tick}");
    assert!(text(tick).ends_with("token=********"), "the secret is redacted: {tick}");
    let warn = lines
        .iter()
        .find(|l| text(l).starts_with("warn"))
        .expect("a stderr line");
    assert_eq!(warn["stream"], "STDERR", "{warn}");
    assert!(lines.iter().all(|l| !text(l).contains(SECRET)));
    let stamps: Vec<chrono::DateTime<chrono::Utc>> = lines
        .iter()
        .map(|l| l["timestamp"].as_str().unwrap().parse().expect("an RFC 3339 timestamp"))
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "oldest first: {stamps:?}");

    let since = stamps.last().unwrap().to_rfc3339();
    let later = app_logs(&stack, &format!("(tail: 100, since: \"{since}\")")).await;
    assert!(!later.is_empty(), "the last line is at `since`");
    for line in &later {
        let at: chrono::DateTime<chrono::Utc> = line["timestamp"].as_str().unwrap().parse().unwrap();
        assert!(at >= *stamps.last().unwrap(), "{line} is not before {since}");
    }

    // The subscription: the tail, then live lines; across a redeploy, the new container's.
    let mut ws = stack.app.ws().await;
    ws.init(&stack.token).await;
    ws.subscribe(
        "logs",
        &format!("subscription($id: ID!) {{ applicationLogs(applicationId: $id, tail: 3) {{ {LOG_FIELDS} }} }}"),
        json!({ "id": stack.app_id }),
    )
    .await;
    let mut from_first = Vec::new();
    while from_first.len() < 5 {
        let line = next_line(&mut ws, "applicationLogs", Duration::from_secs(10))
            .await
            .expect("the stream goes on");
        assert_eq!(line["containerId"], first_container.as_str(), "{line}");
        from_first.push(line);
    }
    assert!(from_first.iter().any(|l| text(l).starts_with("tick version v1")));

    let redeploy = stack
        .app
        .deployment_mutation(&stack.token, "redeploy", json!({ "applicationId": stack.app_id }))
        .await;
    let second = redeploy["data"]["redeploy"]["deployment"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("redeploy: {redeploy}"))
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut from_second = Vec::new();
    while from_second.iter().filter(|l| text(l).starts_with("tick")).count() < 3 {
        assert!(
            Instant::now() < deadline,
            "no lines from a new container after the redeploy"
        );
        let line = next_line(&mut ws, "applicationLogs", Duration::from_secs(30))
            .await
            .expect("the stream carries on across the redeploy");
        assert!(!text(&line).contains(SECRET), "{line}");
        if line["containerId"] != first_container.as_str() {
            from_second.push(line);
        }
    }
    stack.wait_for_status(&second, "RUNNING").await;
    let second_container = stack.containers_of(&second).await.pop().expect("the new container");
    assert_ne!(second_container, first_container);
    assert!(
        from_second
            .iter()
            .all(|l| l["containerId"] == second_container.as_str()),
        "lines of the new deployment's container: {from_second:?}"
    );
    assert!(
        from_second
            .iter()
            .any(|l| text(l).starts_with("tick version v1 ") && text(l).ends_with("token=********")),
        "{from_second:?}"
    );
}

#[tokio::test]
async fn application_logs_refuse_bad_input_and_unknown_applications() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let app_id = app
        .create_application(
            &token,
            json!({ "name": "quiet-app", "image": "nginx:1.27", "buildStrategy": "IMAGE", "port": 80 }),
        )
        .await["data"]["createApplication"]["application"]["id"]
        .as_str()
        .expect("application created")
        .to_string();
    let query = "query($id: ID!, $tail: Int) { application(id: $id) { logs(tail: $tail) { line } } }";
    let none = app.graphql_as(&token, query, json!({ "id": app_id })).await;
    assert_eq!(
        none["data"]["application"]["logs"],
        json!([]),
        "no deployment, no lines: {none}"
    );
    for tail in [-1, 5001] {
        let bad = app
            .graphql_as(&token, query, json!({ "id": app_id, "tail": tail }))
            .await;
        assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"), "{tail}: {bad}");
        assert_eq!(error_field(&bad), Some("tail"));
    }

    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe(
        "unknown",
        "subscription($id: ID!) { applicationLogs(applicationId: $id) { line } }",
        json!({ "id": "00000000-0000-0000-0000-000000000000" }),
    )
    .await;
    let error = subscription_error(&mut ws).await;
    assert_eq!(error["extensions"]["code"], "NOT_FOUND", "{error}");
    ws.subscribe(
        "tail",
        "subscription($id: ID!) { applicationLogs(applicationId: $id, tail: -5) { line } }",
        json!({ "id": app_id }),
    )
    .await;
    let error = subscription_error(&mut ws).await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_logs_follow_any_container_until_it_stops() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let made = Made::new();
    let name = made.name("printer");
    let label = made.label();
    let id = docker(&[
        "run",
        "-d",
        "--name",
        &name,
        "--label",
        &label,
        TEST_IMAGE,
        "sh",
        "-c",
        "sleep 1; i=0; while [ $i -lt 3 ]; do echo line $i; i=$((i+1)); sleep 1; done; echo bye >&2",
    ])
    .await
    .trim()
    .to_string();

    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe(
        "c",
        &format!("subscription($id: ID!) {{ containerLogs(containerId: $id, tail: 100) {{ {LOG_FIELDS} }} }}"),
        json!({ "id": name }),
    )
    .await;
    let mut lines = Vec::new();
    while let Some(line) = next_line(&mut ws, "containerLogs", Duration::from_secs(20)).await {
        lines.push(line);
    }
    let shown: Vec<(&str, &str)> = lines.iter().map(|l| (l["stream"].as_str().unwrap(), text(l))).collect();
    assert_eq!(
        shown,
        vec![
            ("STDOUT", "line 0"),
            ("STDOUT", "line 1"),
            ("STDOUT", "line 2"),
            ("STDERR", "bye")
        ],
        "every line once, then complete when the container stops"
    );
    assert!(lines.iter().all(|l| l["containerId"] == id.as_str()));
}
