//! `GET /metrics`: Prometheus text for a key of the `metrics` scope only; requests, GraphQL
//! operations and deployments counted.

use std::time::Duration;

use ployer_tests::{error_code, spawn_app, spawn_app_with, TestApp};
use serde_json::{json, Value};

use crate::fixtures::Stack;

const CREATE: &str = "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { scope role } } }";

async fn create_key(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql_as(token, CREATE, json!({ "i": input })).await
}

async fn metrics_key(app: &TestApp, admin: &str) -> String {
    let created = create_key(app, admin, json!({ "name": "prometheus", "scope": "METRICS" })).await;
    assert_eq!(
        created["data"]["createApiKey"]["apiKey"]["scope"], "METRICS",
        "{created}"
    );
    created["data"]["createApiKey"]["key"].as_str().unwrap().to_string()
}

/// (status, body) of `GET /metrics` with `key` as bearer token, if any.
async fn scrape(app: &TestApp, key: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.expect("scrape sent");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The value of the sample `line_start` (a name with its labels) in `text`.
fn sample(text: &str, line_start: &str) -> Option<f64> {
    text.lines()
        .find(|line| line.starts_with(line_start))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

#[tokio::test]
async fn metrics_are_refused_without_a_key_of_the_metrics_scope() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let api_key = create_key(&app, &admin, json!({ "name": "api" })).await["data"]["createApiKey"]["key"]
        .as_str()
        .unwrap()
        .to_string();

    assert_eq!(scrape(&app, None).await.0, 401);
    assert_eq!(scrape(&app, Some("ploy_0000")).await.0, 401);
    assert_eq!(
        scrape(&app, Some(&admin)).await.0,
        403,
        "a session is not a metrics key"
    );
    assert_eq!(
        scrape(&app, Some(&api_key)).await.0,
        403,
        "an API key without the scope"
    );

    let key = metrics_key(&app, &admin).await;
    // A metrics key calls nothing else.
    let (status, response) = app.graphql_raw(Some(&key), "{ me { id } }", Value::Null).await;
    assert_eq!((status, error_code(&response)), (403, Some("FORBIDDEN")), "{response}");

    let (status, text) = scrape(&app, Some(&key)).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains("# TYPE ployer_http_request_duration_seconds histogram"),
        "{text}"
    );
    assert!(text.contains("ployer_caddy_restarts_total 0"), "{text}");
}

#[tokio::test]
async fn only_an_admin_creates_a_metrics_key_and_it_stops_working_with_their_role() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let refused = create_key(&app, &member, json!({ "name": "p", "scope": "METRICS" })).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    let with_role = create_key(
        &app,
        &admin,
        json!({ "name": "p", "scope": "METRICS", "role": "ADMIN" }),
    )
    .await;
    assert_eq!(error_code(&with_role), Some("BAD_USER_INPUT"), "{with_role}");
    let api = create_key(&app, &admin, json!({ "name": "p" })).await;
    assert_eq!(api["data"]["createApiKey"]["apiKey"]["scope"], "API");

    // A second admin's key works while they are one.
    let other = app.user_token(&admin, "other@example.com", "ADMIN").await;
    let key = metrics_key(&app, &other).await;
    assert_eq!(scrape(&app, Some(&key)).await.0, 200);
    let users = app.graphql_as(&admin, "{ users { id email } }", Value::Null).await;
    let other_id = users["data"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "other@example.com")
        .unwrap()["id"]
        .clone();
    let demoted = app
        .graphql_as(
            &admin,
            "mutation($i: UpdateUserRoleInput!) { updateUserRole(input: $i) { user { role } } }",
            json!({ "i": { "userId": other_id, "role": "VIEWER" } }),
        )
        .await;
    assert!(demoted["errors"].is_null(), "{demoted}");
    assert_eq!(scrape(&app, Some(&key)).await.0, 403);
}

#[tokio::test]
async fn requests_are_counted_by_route_and_operations_by_field_and_outcome() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let key = metrics_key(&app, &admin).await;
    for _ in 0..3 {
        app.graphql_as(&admin, "query Anything { me { id } }", Value::Null)
            .await;
    }
    app.graphql_as(&admin, "{ nope }", Value::Null).await;
    app.graphql_raw(None, "{ users { id } }", Value::Null).await;
    app.client.get(app.url("/some/page/of/the/ui")).send().await.unwrap();

    let (_, text) = scrape(&app, Some(&key)).await;
    let count = |line: &str| sample(&text, line).unwrap_or_else(|| panic!("no {line} in\n{text}"));
    assert_eq!(
        count("ployer_graphql_request_duration_seconds_count{kind=\"query\",operation=\"me\",outcome=\"ok\"}"),
        3.0
    );
    assert_eq!(
        count("ployer_graphql_request_duration_seconds_count{kind=\"query\",operation=\"users\",outcome=\"UNAUTHENTICATED\"}"),
        1.0
    );
    assert_eq!(
        count("ployer_graphql_request_duration_seconds_count{kind=\"query\",operation=\"invalid\",outcome=\"GRAPHQL_VALIDATION_FAILED\"}"),
        1.0,
        "an unknown field is no label"
    );
    assert!(!text.contains("nope") && !text.contains("Anything"), "{text}");
    assert!(
        count("ployer_http_request_duration_seconds_count{method=\"POST\",route=\"/graphql\",status=\"200\"}") >= 5.0
    );
    assert!(
        text.contains("ployer_http_request_duration_seconds_count{method=\"GET\",route=\"ui\","),
        "what the UI serves is one route: {text}"
    );
    assert!(!text.contains("/some/page"), "raw paths are never labels: {text}");
}

#[tokio::test]
async fn with_metrics_off_the_route_is_not_found() {
    let app = spawn_app_with(|config| config.metrics_enabled = false).await;
    let admin = app.admin_token().await;
    let key = metrics_key(&app, &admin).await;
    assert_eq!(scrape(&app, Some(&key)).await.0, 404);
}

#[tokio::test]
async fn a_deployment_is_counted_with_the_duration_of_each_step() {
    let stack = Stack::start().await;
    let key = metrics_key(&stack.app, &stack.token).await;
    stack.deploy_running("v1").await;
    // The count is written with the status; the scrape follows it.
    let mut text = String::new();
    for _ in 0..50 {
        text = scrape(&stack.app, Some(&key)).await.1;
        if sample(&text, "ployer_deployments_total{outcome=\"running\"}").is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        sample(&text, "ployer_deployments_total{outcome=\"running\"}"),
        Some(1.0),
        "{text}"
    );
    for step in ["source", "start", "health_gate", "cutover"] {
        let line = format!("ployer_deployment_step_duration_seconds_count{{step=\"{step}\",outcome=\"ok\"}}");
        assert_eq!(sample(&text, &line), Some(1.0), "{line} in\n{text}");
    }
    assert!(!text.contains("outcome=\"failed\""), "{text}");
}
