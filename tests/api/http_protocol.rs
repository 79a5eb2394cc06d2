//! GraphQL over HTTP: content types, batches, methods, limits and status codes.

use entities::users;
use ployer_tests::{error_code, spawn_app, spawn_app_with, ADMIN_EMAIL, PASSWORD};
use serde_json::{json, Value};

const REGISTER: &str =
    "mutation { register(input: {email: \"admin@example.com\", password: \"correct horse battery\"}) { token } }";

async fn post_body(app: &ployer_tests::TestApp, content_type: &str, body: impl Into<reqwest::Body>) -> (u16, String) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn healthz_answers_ok_once_ready() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn the_health_field_needs_no_sign_in() {
    let app = spawn_app().await;
    let (status, body) = app.graphql_raw(None, "{ health }", Value::Null).await;
    assert_eq!((status, &body["data"]["health"]), (200, &json!("ok")));
}

#[tokio::test]
async fn a_malformed_json_body_is_a_400_and_changes_nothing() {
    let app = spawn_app().await;
    let (status, body) = post_body(&app, "application/json", "{\"query\": \"mutation {").await;
    assert_eq!(status, 400, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error_code(&body), Some("BAD_REQUEST"));
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    assert_eq!(app.count(users::Entity).await, 0);
}

/// POSTs `request` with `Accept: accept` (none when `None`); returns (status, content type,
/// JSON body).
async fn post_accepting(app: &ployer_tests::TestApp, accept: Option<&str>, request: &Value) -> (u16, String, Value) {
    let mut builder = app.client.post(app.url("/graphql")).json(request);
    if let Some(accept) = accept {
        builder = builder.header("accept", accept);
    }
    let response = builder.send().await.unwrap();
    let status = response.status().as_u16();
    let media = response.headers()["content-type"].to_str().unwrap().to_string();
    (status, media, response.json().await.unwrap())
}

/// A document that cannot run at all: a 400 for a client that accepts
/// `application/graphql-response+json`; a 200 for one that asks for `application/json` or
/// names no type (the spec's legacy default). Either way the body holds errors with a
/// message that says `expect` (in any case), and no `data` entry at all, not even `null`.
async fn assert_refused_before_running(app: &ployer_tests::TestApp, request: Value, expect: &str) {
    for (accept, answer) in [
        (
            Some("application/graphql-response+json"),
            (400, "application/graphql-response+json"),
        ),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            (400, "application/graphql-response+json"),
        ),
        (Some("application/json"), (200, "application/json")),
        (None, (200, "application/json")),
    ] {
        let (status, media, body) = post_accepting(app, accept, &request).await;
        assert_eq!((status, media.as_str()), answer, "Accept: {accept:?}: {body}");
        let body = body.as_object().unwrap();
        assert!(!body.contains_key("data"), "Accept: {accept:?}: {body:?}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.to_lowercase().contains(expect),
            "Accept: {accept:?}: {message:?} should say {expect:?}"
        );
    }
}

#[tokio::test]
async fn a_document_that_does_not_parse_is_refused_before_running_with_no_data() {
    let app = spawn_app().await;
    assert_refused_before_running(&app, json!({ "query": "NONSENSE" }), "expected").await;
    assert_refused_before_running(&app, json!({ "query": "{ health" }), "expected").await;
}

#[tokio::test]
async fn a_document_that_does_not_validate_is_refused_before_running_with_no_data() {
    let app = spawn_app().await;
    assert_refused_before_running(&app, json!({ "query": "{ noSuchField }" }), "nosuchfield").await;
}

#[tokio::test]
async fn variables_that_do_not_coerce_are_refused_before_running_with_no_data() {
    let app = spawn_app().await;
    let query = "query($name: String!) { __type(name: $name) { name } }";
    assert_refused_before_running(&app, json!({ "query": query, "variables": { "name": null } }), "name").await;
    assert_refused_before_running(&app, json!({ "query": query, "variables": { "name": 7 } }), "name").await;
    // The same document with a variable that coerces runs.
    let (status, _, body) = post_accepting(
        &app,
        Some("application/graphql-response+json"),
        &json!({ "query": query, "variables": { "name": "Query" } }),
    )
    .await;
    assert_eq!(
        (status, &body["data"]["__type"]["name"]),
        (200, &json!("Query")),
        "{body}"
    );
}

#[tokio::test]
async fn a_caller_that_may_not_run_a_document_gets_401_with_either_media_type() {
    let app = spawn_app().await;
    for accept in [
        Some("application/graphql-response+json"),
        Some("application/json"),
        None,
    ] {
        let (status, _, body) = post_accepting(&app, accept, &json!({ "query": "{ me { id } }" })).await;
        assert_eq!(status, 401, "Accept: {accept:?}: {body}");
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
        assert!(!body.as_object().unwrap().contains_key("data"), "{body}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_graphql_request_is_a_400() {
    let app = spawn_app().await;
    let (status, _) = post_body(&app, "application/json", r#"{"qeury": "{ health }"}"#).await;
    assert_eq!(status, 400);
    let (status, _) = post_body(&app, "application/json", r#""just a string""#).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn batches_are_refused_and_nothing_runs() {
    let app = spawn_app().await;
    let batch = json!([{ "query": REGISTER }, { "query": REGISTER }]).to_string();
    let (status, body) = post_body(&app, "application/json", batch).await;
    assert_eq!(status, 400);
    assert!(body.contains("batched requests are not supported"), "{body}");
    assert_eq!(app.count(users::Entity).await, 0);
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = spawn_app_with(|c| c.max_body_bytes = 64 * 1024).await;
    let query = format!("{{ health }} # {}", "x".repeat(200 * 1024));
    let (status, _) = post_body(&app, "application/json", json!({ "query": query }).to_string()).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn only_json_requests_are_accepted_so_forms_cannot_post() {
    let app = spawn_app().await;
    let body = json!({ "query": REGISTER }).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let (status, text) = post_body(&app, content_type, body.clone()).await;
        assert_eq!(status, 415, "{content_type}: {text}");
    }
    let response = app.client.post(app.url("/graphql")).body(body).send().await.unwrap();
    assert_eq!(response.status(), 415, "no content type");
    assert_eq!(app.count(users::Entity).await, 0);
    let (status, _) = post_body(
        &app,
        "application/json; charset=utf-8",
        json!({"query": "{ health }"}).to_string(),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn mutations_over_get_are_405_with_allow_and_do_nothing() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", REGISTER)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), Some("METHOD_NOT_ALLOWED"));
    assert_eq!(app.count(users::Entity).await, 0);
}

#[tokio::test]
async fn queries_work_over_get() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ health }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["health"], "ok");
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ health }"), ("variables", "[1]")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn browsers_get_the_web_ui_whose_playground_lives_at_graphql() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    // The UI's own page under its CSP, never a page that loads scripts from elsewhere.
    assert!(response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
}

#[tokio::test]
async fn the_response_media_type_follows_accept() {
    let app = spawn_app().await;
    let body = json!({ "query": "{ health }" }).to_string();
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json, application/json;q=0.9")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/graphql-response+json");
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 406);
}

#[tokio::test]
async fn over_deep_and_over_complex_queries_are_rejected_before_running() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut deep = String::from("__typename");
    for _ in 0..30 {
        deep = format!("__schema {{ queryType {{ fields {{ type {{ ofType {{ {deep} }} }} }} }} }}");
        if deep.len() > 20_000 {
            break;
        }
    }
    let deep = format!("{{ {deep} }}");
    let refused = |query: String| {
        let request = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query }));
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, body) = refused(deep).await;
    assert_eq!(status, 400, "{body}");

    let aliases: String = (0..2000).map(|i| format!("a{i}: me {{ id email }} ")).collect();
    let (status, body) = refused(format!("{{ {aliases} }}")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("complex"),
        "{body}"
    );

    let ok = app.login(ADMIN_EMAIL, PASSWORD).await;
    assert!(ok["data"]["login"]["token"].is_string());
}

#[tokio::test]
async fn the_web_ui_is_served_at_the_root() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Ployer"));
}

#[tokio::test]
async fn subscriptions_stream_over_server_sent_events() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app.graphql_as(&token, "{ servers { id } }", Value::Null).await["data"]["servers"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let query =
        "subscription($id: ID!) { serverStats(serverId: $id, intervalSeconds: 1) { cpuPercent memoryUsedBytes } }";
    let mut response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "text/event-stream")
        .bearer_auth(&token)
        .json(&json!({ "query": query, "variables": { "id": id } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut text = String::new();
    while text.matches("event: next").count() < 2 {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), response.chunk())
            .await
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk.expect("stream open")));
    }
    assert!(text.contains("memoryUsedBytes"), "{text}");

    // Without a credential: refused before streaming.
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "text/event-stream")
        .json(&json!({ "query": query, "variables": { "id": id } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}
