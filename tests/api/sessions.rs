//! Browser sessions in the HttpOnly `ployer_session` cookie: signing in and out, revocation,
//! the cookie as a credential over HTTP, SSE and websocket, and what it must never allow.

use std::time::Duration;

use entities::users;
use ployer_tests::{
    cookie_value, error_code, set_cookie, spawn_app, spawn_app_with, TestApp, WsEvent, ADMIN_EMAIL, PASSWORD,
    SESSION_COOKIE,
};
use serde_json::{json, Value};

const ME: &str = "{ me { email } }";

/// Registers the admin and signs it in with a cookie; returns the cookie's value.
async fn admin_cookie(app: &TestApp) -> String {
    app.admin_token().await;
    let (set_cookie, body) = app.login_with_cookie(ADMIN_EMAIL, PASSWORD).await;
    assert!(body["errors"].is_null(), "{body}");
    let value = cookie_value(&set_cookie).to_string();
    assert!(!value.is_empty(), "login set no cookie: {set_cookie:?}");
    value
}

/// `{ me { email } }` with only the cookie: (status, body).
async fn me_with_cookie(app: &TestApp, session: &str) -> (u16, Value) {
    let response = app.graphql_with_cookie(Some(session), ME, Value::Null).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_cookie_login_sets_an_http_only_strict_cookie_and_returns_no_token() {
    let app = spawn_app().await;
    app.admin_token().await;
    let (set_cookie, body) = app.login_with_cookie(ADMIN_EMAIL, PASSWORD).await;
    assert!(body["data"]["login"]["token"].is_null(), "{body}");
    assert_eq!(body["data"]["login"]["user"]["email"], ADMIN_EMAIL, "{body}");
    let attributes: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    for expected in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=86400"] {
        assert!(attributes.contains(&expected), "{expected} missing: {set_cookie}");
    }
    // Served over plain http, so not `Secure` (the browser would never send it back).
    assert!(!attributes.contains(&"Secure"), "{set_cookie}");

    let (status, me) = me_with_cookie(&app, cookie_value(&set_cookie)).await;
    assert_eq!((status, &me["data"]["me"]["email"]), (200, &json!(ADMIN_EMAIL)), "{me}");
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure() {
    let app = spawn_app_with(|c| c.public_url = Some("https://ployer.example.com".into())).await;
    app.admin_token().await;
    let (set_cookie, _) = app.login_with_cookie(ADMIN_EMAIL, PASSWORD).await;
    assert!(set_cookie.ends_with("; Secure"), "{set_cookie}");
}

#[tokio::test]
async fn registering_with_a_cookie_puts_the_first_session_in_it() {
    let app = spawn_app().await;
    let response = app
        .graphql_with_cookie(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { token user { role } } }",
            json!({ "i": { "email": ADMIN_EMAIL, "password": PASSWORD, "cookie": true } }),
        )
        .await;
    let set_cookie = set_cookie(&response).expect("a session cookie");
    let body: Value = response.json().await.unwrap();
    assert!(body["data"]["register"]["token"].is_null(), "{body}");
    assert_eq!(body["data"]["register"]["user"]["role"], "ADMIN", "{body}");
    let (_, me) = me_with_cookie(&app, cookie_value(&set_cookie)).await;
    assert_eq!(me["data"]["me"]["email"], ADMIN_EMAIL, "{me}");
}

#[tokio::test]
async fn a_login_without_cookie_still_returns_a_token_and_sets_no_cookie() {
    let app = spawn_app().await;
    app.admin_token().await;
    let response = app
        .graphql_with_cookie(
            None,
            "mutation($i: LoginInput!) { login(input: $i) { token } }",
            json!({ "i": { "email": ADMIN_EMAIL, "password": PASSWORD, "cookie": false } }),
        )
        .await;
    assert_eq!(set_cookie(&response), None);
    let body: Value = response.json().await.unwrap();
    let token = body["data"]["login"]["token"].as_str().expect("a token");
    let me = app.graphql_as(token, ME, Value::Null).await;
    assert_eq!(me["data"]["me"]["email"], ADMIN_EMAIL, "{me}");
}

#[tokio::test]
async fn logout_clears_the_cookie_and_needs_no_session() {
    let app = spawn_app().await;
    let session = admin_cookie(&app).await;
    for cookie in [Some(session.as_str()), None] {
        let response = app
            .graphql_with_cookie(cookie, "mutation { logout { ok } }", Value::Null)
            .await;
        let cleared = set_cookie(&response).expect("a clearing Set-Cookie");
        assert_eq!(cookie_value(&cleared), "", "{cleared}");
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        assert!(cleared.contains("Path=/"), "{cleared}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["data"]["logout"]["ok"], true, "{body}");
    }
}

#[tokio::test]
async fn after_logout_everywhere_the_old_cookie_is_unauthenticated_and_signing_in_again_works() {
    let app = spawn_app().await;
    let session = admin_cookie(&app).await;
    let response = app
        .graphql_with_cookie(Some(&session), "mutation { logoutEverywhere { ok } }", Value::Null)
        .await;
    let cleared = set_cookie(&response).expect("logoutEverywhere clears the cookie");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    let (status, me) = me_with_cookie(&app, &session).await;
    assert_eq!(status, 401, "{me}");
    assert_eq!(error_code(&me), Some("UNAUTHENTICATED"), "{me}");

    // The stale cookie does not stand in the way of signing in again.
    let response = app
        .graphql_with_cookie(
            Some(&session),
            "mutation($i: LoginInput!) { login(input: $i) { token } }",
            json!({ "i": { "email": ADMIN_EMAIL, "password": PASSWORD, "cookie": true } }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let fresh = set_cookie(&response).expect("a new cookie");
    let (status, me) = me_with_cookie(&app, cookie_value(&fresh)).await;
    assert_eq!((status, &me["data"]["me"]["email"]), (200, &json!(ADMIN_EMAIL)), "{me}");
}

#[tokio::test]
async fn a_forged_cookie_or_an_api_key_in_the_cookie_is_unauthenticated() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let key = app
        .graphql_as(
            &admin,
            "mutation { createApiKey(input: {name: \"ci\"}) { key } }",
            Value::Null,
        )
        .await["data"]["createApiKey"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    for session in ["forged.token.value", key.as_str()] {
        let (status, me) = me_with_cookie(&app, session).await;
        assert_eq!((status, error_code(&me)), (401, Some("UNAUTHENTICATED")), "{me}");
    }
    // Fields that need no user still answer.
    let response = app
        .graphql_with_cookie(Some("forged.token.value"), "{ health }", Value::Null)
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn the_authorization_header_wins_over_the_cookie() {
    let app = spawn_app().await;
    let session = admin_cookie(&app).await;
    let token = app.login(ADMIN_EMAIL, PASSWORD).await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let send = |bearer: &str| {
        app.client
            .post(app.url("/graphql"))
            .bearer_auth(bearer)
            .header("cookie", format!("{SESSION_COOKIE}={session}"))
            .json(&json!({ "query": ME }))
            .send()
    };
    assert_eq!(send("forged.token.value").await.unwrap().status(), 401);
    let response = send(&token).await.unwrap();
    assert_eq!(response.status(), 200);
    // The Authorization header is the credential even when the cookie would fail.
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .header("cookie", format!("{SESSION_COOKIE}=forged.token.value"))
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn change_password_over_a_cookie_session_renews_the_cookie() {
    let app = spawn_app().await;
    let session = admin_cookie(&app).await;
    let response = app
        .graphql_with_cookie(
            Some(&session),
            "mutation($i: ChangePasswordInput!) { changePassword(input: $i) { token user { email } } }",
            json!({ "i": { "currentPassword": PASSWORD, "newPassword": "a brand new passphrase" } }),
        )
        .await;
    let renewed = set_cookie(&response).expect("the renewed session in the cookie");
    let body: Value = response.json().await.unwrap();
    assert!(body["data"]["changePassword"]["token"].is_null(), "{body}");
    assert_eq!(body["data"]["changePassword"]["user"]["email"], ADMIN_EMAIL, "{body}");
    assert_eq!(me_with_cookie(&app, cookie_value(&renewed)).await.0, 200);
    assert_eq!(me_with_cookie(&app, &session).await.0, 401);
}

#[tokio::test]
async fn a_text_plain_post_carrying_the_cookie_is_415_and_runs_nothing() {
    let app = spawn_app().await;
    let session = admin_cookie(&app).await;
    let mutation = json!({
        "query": "mutation { createUser(input: {email: \"csrf@example.com\", password: \"correct horse battery\", role: ADMIN}) { user { id } } }"
    });
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "text/plain")
        .header("cookie", format!("{SESSION_COOKIE}={session}"))
        .body(mutation.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(app.count(users::Entity).await, 1);
}

#[tokio::test]
async fn a_subscription_over_server_sent_events_accepts_the_cookie() {
    let app = spawn_app().await;
    let session = admin_cookie(&app).await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "text/event-stream")
        .header("cookie", format!("{SESSION_COOKIE}={session}"))
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains(ADMIN_EMAIL), "{text}");
}

#[tokio::test]
async fn a_websocket_with_only_the_cookie_is_acknowledged_and_a_cross_origin_one_is_refused() {
    let app = spawn_app().await;
    let session = admin_cookie(&app).await;
    let same_origin = format!("http://{}", app.addr);
    let mut ws = app.ws_with(Some(&same_origin), Some(&session)).await.unwrap();
    ws.send(json!({ "type": "connection_init" })).await;
    assert_eq!(ws.message().await["type"], "connection_ack");
    ws.subscribe("q", ME, Value::Null).await;
    let next = ws.message().await;
    assert_eq!(next["payload"]["data"]["me"]["email"], ADMIN_EMAIL, "{next}");

    assert!(app.ws_with(Some("https://evil.example"), Some(&session)).await.is_err());

    let mut ws = app
        .ws_with(Some(&same_origin), Some("forged.token.value"))
        .await
        .unwrap();
    ws.send(json!({ "type": "connection_init", "payload": {} })).await;
    assert_eq!(ws.close_code().await, Some(4403));
}

#[tokio::test]
async fn a_session_cookie_cannot_be_set_over_a_websocket() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe(
        "l",
        "mutation($i: LoginInput!) { login(input: $i) { token } }",
        json!({ "i": { "email": ADMIN_EMAIL, "password": PASSWORD, "cookie": true } }),
    )
    .await;
    let next = ws.message().await;
    assert_eq!(
        next["payload"]["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{next}"
    );
}

#[tokio::test]
async fn signing_out_everywhere_ends_a_websocket_opened_with_the_cookie() {
    let app = spawn_app_with(|c| c.ws_auth_recheck_seconds = 1).await;
    let session = admin_cookie(&app).await;
    let id = app
        .graphql_with_cookie(Some(&session), "{ servers { id } }", Value::Null)
        .await
        .json::<Value>()
        .await
        .unwrap()["data"]["servers"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut ws = app.ws_with(None, Some(&session)).await.unwrap();
    ws.send(json!({ "type": "connection_init" })).await;
    assert_eq!(ws.message().await["type"], "connection_ack");
    ws.subscribe(
        "s",
        "subscription($id: ID!) { serverStats(serverId: $id, intervalSeconds: 1) { cpuPercent } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(ws.message().await["type"], "next");
    app.graphql_with_cookie(Some(&session), "mutation { logoutEverywhere { ok } }", Value::Null)
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
