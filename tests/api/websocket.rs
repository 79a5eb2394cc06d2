//! The `graphql-transport-ws` protocol and its close codes.

use std::time::Duration;

use ployer_tests::{spawn_app, spawn_app_with, WsEvent, ADMIN_EMAIL};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

const HEALTH: &str = "{ health }";

#[tokio::test]
async fn a_socket_that_never_initialises_is_closed_with_4408() {
    let app = spawn_app_with(|c| c.ws_init_timeout_seconds = 1).await;
    let mut ws = app.ws().await;
    assert_eq!(ws.close_code().await, Some(4408));
}

#[tokio::test]
async fn a_bad_or_missing_credential_in_connection_init_is_closed_with_4403() {
    let app = spawn_app().await;
    app.admin_token().await;
    for payload in [
        json!({}),
        json!({ "authorization": "Bearer forged.token.value" }),
        Value::Null,
    ] {
        let mut ws = app.ws().await;
        ws.send(json!({ "type": "connection_init", "payload": payload })).await;
        assert_eq!(ws.close_code().await, Some(4403), "{payload}");
    }
}

#[tokio::test]
async fn subscribing_before_the_ack_is_closed_with_4401() {
    let app = spawn_app().await;
    let mut ws = app.ws().await;
    ws.subscribe("1", HEALTH, Value::Null).await;
    assert_eq!(ws.close_code().await, Some(4401));
}

#[tokio::test]
async fn a_second_connection_init_is_closed_with_4429() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.send(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } }))
        .await;
    assert_eq!(ws.close_code().await, Some(4429));
}

#[tokio::test]
async fn a_duplicate_operation_id_is_closed_with_4409() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app.graphql_as(&token, "{ servers { id } }", Value::Null).await["data"]["servers"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut ws = app.ws().await;
    ws.init(&token).await;
    let stats = "subscription($id: ID!) { serverStats(serverId: $id, intervalSeconds: 60) { cpuPercent } }";
    ws.subscribe("dup", stats, json!({ "id": id })).await;
    assert_eq!(ws.message().await["type"], "next");
    ws.subscribe("dup", stats, json!({ "id": id })).await;
    assert_eq!(ws.close_code().await, Some(4409));
}

#[tokio::test]
async fn garbage_and_binary_frames_are_closed_with_4400() {
    let app = spawn_app().await;
    let mut ws = app.ws().await;
    ws.send_raw(Message::Text("{not json".into())).await;
    assert_eq!(ws.close_code().await, Some(4400));
    let mut ws = app.ws().await;
    ws.send(json!({ "type": "no_such_type" })).await;
    assert_eq!(ws.close_code().await, Some(4400));
    let mut ws = app.ws().await;
    ws.send_raw(Message::Binary(vec![1, 2, 3].into())).await;
    assert_eq!(ws.close_code().await, Some(4400));
}

#[tokio::test]
async fn queries_ping_and_access_rules_work_over_the_socket() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let mut ws = app.ws().await;
    ws.init(&viewer).await;
    ws.send(json!({ "type": "ping" })).await;
    assert_eq!(ws.message().await["type"], "pong");
    ws.subscribe("q", "{ me { email } }", Value::Null).await;
    let next = ws.message().await;
    assert_eq!(next["payload"]["data"]["me"]["email"], "viewer@example.com", "{next}");
    assert_eq!(ws.message().await, json!({ "type": "complete", "id": "q" }));
    ws.subscribe(
        "m",
        "mutation { updateSettings(input: {registrationOpen: true}) { registrationOpen } }",
        Value::Null,
    )
    .await;
    let error = ws.message().await;
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["payload"][0]["extensions"]["code"], "FORBIDDEN");
}

#[tokio::test]
async fn cross_site_upgrades_are_refused() {
    let app = spawn_app().await;
    assert!(app.ws_with_origin(Some("https://evil.example")).await.is_err());
    let same = format!("http://{}", app.addr);
    assert!(app.ws_with_origin(Some(&same)).await.is_ok());
}

#[tokio::test]
async fn a_credential_revoked_mid_stream_ends_the_connection() {
    let app = spawn_app_with(|c| c.ws_auth_recheck_seconds = 1).await;
    let token = app.admin_token().await;
    let id = app.graphql_as(&token, "{ servers { id } }", Value::Null).await["data"]["servers"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe(
        "s",
        "subscription($id: ID!) { serverStats(serverId: $id, intervalSeconds: 1) { cpuPercent } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(ws.message().await["type"], "next");
    app.graphql_as(&token, "mutation { logoutEverywhere { ok } }", Value::Null)
        .await;
    let mut code = None;
    for _ in 0..10 {
        if let WsEvent::Closed(c) = ws.next_within(Duration::from_secs(5)).await {
            code = c;
            break;
        }
    }
    assert_eq!(code, Some(4403));
}

#[tokio::test]
async fn a_message_far_longer_than_the_read_buffer_is_read_whole_and_one_over_the_limit_ends_the_socket() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut ws = app.ws().await;
    ws.init(&admin).await;
    // 200 KiB: many times what the socket reads at once, under the 256 KiB a message may be.
    ws.subscribe("long", "{ me { email } }", json!({ "padding": "x".repeat(200 * 1024) }))
        .await;
    let next = ws.message().await;
    assert_eq!(next["payload"]["data"]["me"]["email"], ADMIN_EMAIL, "{next}");
    assert_eq!(ws.message().await, json!({ "type": "complete", "id": "long" }));
    ws.subscribe("over", "{ me { email } }", json!({ "padding": "x".repeat(300 * 1024) }))
        .await;
    assert!(
        matches!(ws.next().await, WsEvent::Closed(_)),
        "a message over the limit ends the socket"
    );
}
