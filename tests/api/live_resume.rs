//! What the web UI relies on to stay current: the public registration state a sign-in page
//! reads, a deployment log resumed after a lost connection (`afterSeq`) with no gap and no
//! duplicate, and deployment updates of every application on one subscription.

use std::time::Duration;

use ployer_tests::{error_code, log_lines, spawn_app, WsClient, WsEvent};
use serde_json::{json, Value};

use crate::fixtures::Stack;

#[tokio::test]
async fn registration_says_first_run_until_the_admin_exists_then_follows_the_setting() {
    let app = spawn_app().await;
    let query = "{ registration { firstRun open } }";
    let before = app.graphql(query, Value::Null).await;
    assert_eq!(
        before["data"]["registration"],
        json!({ "firstRun": true, "open": true }),
        "{before}"
    );

    let admin = app.admin_token().await;
    let after = app.graphql(query, Value::Null).await;
    assert_eq!(
        after["data"]["registration"],
        json!({ "firstRun": false, "open": false }),
        "{after}"
    );

    app.graphql_as(
        &admin,
        "mutation { updateSettings(input: {registrationOpen: true}) { registrationOpen } }",
        Value::Null,
    )
    .await;
    let opened = app.graphql(query, Value::Null).await;
    assert_eq!(
        opened["data"]["registration"],
        json!({ "firstRun": false, "open": true }),
        "{opened}"
    );
}

/// Every line a `deploymentLogs` subscription delivers until `complete`.
async fn lines_until_complete(ws: &mut WsClient, id: &str) -> Vec<Value> {
    let mut lines = Vec::new();
    loop {
        match ws.next_within(Duration::from_secs(30)).await {
            WsEvent::Message(message) if message["id"] == id && message["type"] == "next" => {
                lines.push(message["payload"]["data"]["deploymentLogs"].clone());
            }
            WsEvent::Message(message) if message["id"] == id && message["type"] == "complete" => return lines,
            WsEvent::Message(message) => panic!("unexpected message: {message}"),
            WsEvent::Closed(code) => panic!("the socket closed ({code:?}) before the subscription completed"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_log_resumed_after_a_seq_gets_exactly_the_lines_after_it() {
    let stack = Stack::start().await;
    let id = stack.deploy_running("v1").await;
    let stored: Vec<i64> = log_lines(&stack.deployment(&id).await)
        .iter()
        .map(|l| l["seq"].as_i64().expect("seq"))
        .collect();
    assert!(stored.len() > 4, "a build writes several lines: {stored:?}");
    let middle = stored[stored.len() / 2];

    let mut ws = stack.app.ws().await;
    ws.init(&stack.token).await;
    let query =
        "subscription($id: ID!, $after: Int) { deploymentLogs(deploymentId: $id, afterSeq: $after) { seq line } }";
    ws.subscribe("resumed", query, json!({ "id": id, "after": middle }))
        .await;
    let resumed: Vec<i64> = lines_until_complete(&mut ws, "resumed")
        .await
        .iter()
        .map(|l| l["seq"].as_i64().expect("seq"))
        .collect();
    let expected: Vec<i64> = stored.iter().copied().filter(|seq| *seq > middle).collect();
    assert_eq!(resumed, expected, "no gap, no duplicate, in order");

    ws.subscribe("negative", query, json!({ "id": id, "after": -1 })).await;
    // A field error: the subscription's one result carries it, naming the argument.
    let refused = ws.message().await;
    assert_eq!(refused["payload"]["data"], Value::Null, "{refused}");
    let error = &refused["payload"]["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{refused}");
    assert_eq!(error["extensions"]["field"], "afterSeq", "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deployment_updates_of_every_application_arrive_on_one_subscription() {
    let stack = Stack::start().await;
    let mut ws = stack.app.ws().await;
    ws.init(&stack.token).await;
    ws.subscribe(
        "all",
        "subscription { deploymentUpdated { id status application { id } } }",
        Value::Null,
    )
    .await;
    // Give the server a moment to register the subscription before anything changes.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let id = stack.deploy(None).await;
    let mut statuses = Vec::new();
    while statuses.last().map(String::as_str) != Some("RUNNING") {
        let message = ws.message().await;
        let update = &message["payload"]["data"]["deploymentUpdated"];
        assert_eq!(update["id"], id.as_str(), "{message}");
        assert_eq!(update["application"]["id"], stack.app_id.as_str(), "{message}");
        statuses.push(update["status"].as_str().unwrap_or_default().to_string());
    }
    assert!(statuses.len() > 1, "each step is an update: {statuses:?}");
}

#[tokio::test]
async fn the_unfiltered_updates_need_a_signed_in_user() {
    let app = spawn_app().await;
    let (status, body) = app
        .graphql_raw(None, "subscription { deploymentUpdated { id } }", Value::Null)
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{status} {body}");
}
