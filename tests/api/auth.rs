//! Registration, login, sessions and their revocation.

use entities::users;
use jsonwebtoken::{encode, EncodingKey, Header};
use ployer_tests::{error_code, spawn_app, spawn_app_with, TestApp, ADMIN_EMAIL, PASSWORD};
use serde_json::{json, Value};

const ME: &str = "{ me { id email role } }";

async fn open_registration(app: &TestApp, admin: &str) {
    let r = app
        .graphql_as(
            admin,
            "mutation { updateSettings(input: {registrationOpen: true}) { registrationOpen } }",
            Value::Null,
        )
        .await;
    assert_eq!(r["data"]["updateSettings"]["registrationOpen"], true, "{r}");
}

fn jwt_secret(app: &TestApp) -> Vec<u8> {
    let text = std::fs::read_to_string(app.data_dir.path().join("data/jwt_secret")).unwrap();
    hex::decode(text.trim()).unwrap()
}

#[tokio::test]
async fn the_first_user_becomes_admin_and_registration_then_closes() {
    let app = spawn_app().await;
    let first = app.register("Admin@Example.com", PASSWORD).await;
    assert_eq!(first["data"]["register"]["user"]["role"], "ADMIN", "{first}");
    assert_eq!(first["data"]["register"]["user"]["email"], ADMIN_EMAIL);
    let token = first["data"]["register"]["token"].as_str().unwrap();
    let me = app.graphql_as(token, ME, Value::Null).await;
    assert_eq!(me["data"]["me"]["email"], ADMIN_EMAIL);

    let second = app.register("someone@example.com", PASSWORD).await;
    assert_eq!(error_code(&second), Some("FORBIDDEN"), "{second}");
    assert_eq!(app.count(users::Entity).await, 1);

    open_registration(&app, token).await;
    let third = app.register("someone@example.com", PASSWORD).await;
    assert_eq!(third["data"]["register"]["user"]["role"], "VIEWER", "{third}");
}

#[tokio::test]
async fn registering_twice_with_the_same_email_in_any_case_is_a_conflict() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    open_registration(&app, &admin).await;
    let again = app.register("ADMIN@example.COM", "another good passphrase").await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    assert_eq!(app.count(users::Entity).await, 1);
}

#[tokio::test]
async fn weak_or_overlong_passwords_and_invalid_emails_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let long = "x1!".repeat(67);
    let cases = [
        ("a@example.com", "short", "password"),
        ("a@example.com", "aaaaaaaaaaaaaaaa", "password"),
        ("a@example.com", long.as_str(), "password"),
        ("not-an-email", PASSWORD, "email"),
        ("a@b", PASSWORD, "email"),
        ("<script>@example.com", PASSWORD, "email"),
    ];
    for (email, password, field) in cases {
        let r = app.register(email, password).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{email} {password}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }
    assert_eq!(app.count(users::Entity).await, 0);
}

#[tokio::test]
async fn a_wrong_email_answers_exactly_like_a_wrong_password() {
    let app = spawn_app().await;
    app.admin_token().await;
    let wrong_password = app.login(ADMIN_EMAIL, "not the password at all").await;
    let wrong_email = app.login("nobody@example.com", PASSWORD).await;
    assert_eq!(error_code(&wrong_password), Some("UNAUTHENTICATED"));
    assert_eq!(
        wrong_password["errors"][0]["message"],
        wrong_email["errors"][0]["message"]
    );
    assert_eq!(
        wrong_password["errors"][0]["extensions"],
        wrong_email["errors"][0]["extensions"]
    );
    let good = app.login("ADMIN@example.com", PASSWORD).await;
    assert!(good["data"]["login"]["token"].is_string(), "{good}");
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_account_and_client() {
    let app = spawn_app_with(|c| c.login_attempts_per_minute = 3).await;
    app.admin_token().await;
    for _ in 0..3 {
        let r = app.login(ADMIN_EMAIL, "wrong wrong wrong").await;
        assert_eq!(error_code(&r), Some("UNAUTHENTICATED"));
    }
    let limited = app.login(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(error_code(&limited), Some("RATE_LIMITED"), "{limited}");
    // Many attempts in one document are throttled too.
    let many: String = (0..5)
        .map(|i| format!("a{i}: login(input: {{email: \"x{i}@example.com\", password: \"wrong wrong\"}}) {{ token }} "))
        .collect();
    let r = app.graphql(&format!("mutation {{ {many} }}"), Value::Null).await;
    let codes: Vec<_> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["extensions"]["code"].clone())
        .collect();
    assert!(codes.iter().all(|c| c == "RATE_LIMITED"), "{r}");
}

#[tokio::test]
async fn requests_without_a_valid_token_are_unauthenticated() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let (status, body) = app.graphql_raw(None, ME, Value::Null).await;
    assert_eq!((status, error_code(&body)), (401, Some("UNAUTHENTICATED")));

    // Forged: signed with another secret.
    let claims = json!({ "sub": "x", "ver": 0, "iat": 0, "exp": 4_000_000_000u64, "aud": "ployer", "iss": "ployer" });
    let forged = encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(b"another secret entirely, 32 bytes!"),
    )
    .unwrap();
    let (status, body) = app.graphql_raw(Some(&forged), ME, Value::Null).await;
    assert_eq!((status, error_code(&body)), (401, Some("UNAUTHENTICATED")), "{body}");

    // Expired, correctly signed.
    let me = app.graphql_as(&token, ME, Value::Null).await;
    let id = me["data"]["me"]["id"].as_str().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({ "sub": id, "ver": 0, "iat": now - 7200, "exp": now - 3600, "aud": "ployer", "iss": "ployer" });
    let expired = encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(&jwt_secret(&app)),
    )
    .unwrap();
    let (status, _) = app.graphql_raw(Some(&expired), ME, Value::Null).await;
    assert_eq!(status, 401);

    // Wrong audience, correctly signed and current.
    let claims = json!({ "sub": id, "ver": 0, "iat": now, "exp": now + 3600, "aud": "other", "iss": "ployer" });
    let foreign = encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(&jwt_secret(&app)),
    )
    .unwrap();
    let (status, _) = app.graphql_raw(Some(&foreign), ME, Value::Null).await;
    assert_eq!(status, 401);

    // Garbage and a non-Bearer scheme.
    let (status, _) = app.graphql_raw(Some("not-a-token"), ME, Value::Null).await;
    assert_eq!(status, 401);
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("authorization", format!("Basic {token}"))
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn logout_everywhere_and_password_changes_revoke_old_tokens() {
    let app = spawn_app().await;
    let first = app.admin_token().await;
    let second = app.login(ADMIN_EMAIL, PASSWORD).await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_string();

    let r = app
        .graphql_as(&first, "mutation { logoutEverywhere { ok } }", Value::Null)
        .await;
    assert_eq!(r["data"]["logoutEverywhere"]["ok"], true, "{r}");
    for token in [&first, &second] {
        let (status, _) = app.graphql_raw(Some(token), ME, Value::Null).await;
        assert_eq!(status, 401);
    }

    let token = app.login(ADMIN_EMAIL, PASSWORD).await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let change = "mutation($i: ChangePasswordInput!) { changePassword(input: $i) { token } }";
    let wrong = app
        .graphql_as(
            &token,
            change,
            json!({ "i": { "currentPassword": "wrong wrong wrong", "newPassword": "a brand new passphrase" } }),
        )
        .await;
    assert_eq!(error_code(&wrong), Some("BAD_USER_INPUT"));
    let weak = app
        .graphql_as(
            &token,
            change,
            json!({ "i": { "currentPassword": PASSWORD, "newPassword": "short" } }),
        )
        .await;
    assert_eq!(error_code(&weak), Some("BAD_USER_INPUT"));
    // Neither failure changed anything: the token still works.
    assert!(app.graphql_as(&token, ME, Value::Null).await["data"]["me"].is_object());

    let changed = app
        .graphql_as(
            &token,
            change,
            json!({ "i": { "currentPassword": PASSWORD, "newPassword": "a brand new passphrase" } }),
        )
        .await;
    let new_token = changed["data"]["changePassword"]["token"].as_str().unwrap();
    assert_eq!(app.graphql_raw(Some(&token), ME, Value::Null).await.0, 401);
    assert_eq!(app.graphql_raw(Some(new_token), ME, Value::Null).await.0, 200);
    assert_eq!(
        error_code(&app.login(ADMIN_EMAIL, PASSWORD).await),
        Some("UNAUTHENTICATED")
    );
    assert!(app.login(ADMIN_EMAIL, "a brand new passphrase").await["data"]["login"]["token"].is_string());
}

#[tokio::test]
async fn a_viewer_calling_a_mutation_is_forbidden_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let (status, body) = app
        .graphql_raw(
            Some(&viewer),
            "mutation { createServer(input: {name: \"edge\", host: \"127.0.0.1\"}) { server { id } } }",
            Value::Null,
        )
        .await;
    assert_eq!((status, error_code(&body)), (403, Some("FORBIDDEN")), "{body}");
    let (status, body) = app
        .graphql_raw(
            Some(&viewer),
            "mutation { updateSettings(input: {registrationOpen: true}) { registrationOpen } }",
            Value::Null,
        )
        .await;
    assert_eq!((status, error_code(&body)), (403, Some("FORBIDDEN")));
    let settings = app
        .graphql_as(&admin, "{ settings { registrationOpen } }", Value::Null)
        .await;
    assert_eq!(settings["data"]["settings"]["registrationOpen"], false);
    assert_eq!(app.count(entities::servers::Entity).await, 1);
    // Reading is what viewers do.
    let me = app.graphql_as(&viewer, ME, Value::Null).await;
    assert_eq!(me["data"]["me"]["role"], "VIEWER");
}
