//! API keys: shown once, stored hashed, scoped, revocable.

use entities::api_keys;
use ployer_tests::{error_code, spawn_app};
use sea_orm::EntityTrait;
use serde_json::{json, Value};

const CREATE: &str =
    "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id name prefix role } } }";

#[tokio::test]
async fn a_key_is_shown_once_stored_as_a_hash_and_authenticates() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app.graphql_as(&admin, CREATE, json!({ "i": { "name": "ci" } })).await;
    let key = created["data"]["createApiKey"]["key"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_string();
    assert!(key.starts_with("ploy_"));
    assert_eq!(created["data"]["createApiKey"]["apiKey"]["role"], "ADMIN");

    let stored = api_keys::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].key_hash.contains(&key[5..]));
    assert!(key.starts_with(&stored[0].key_prefix));

    let listed = app
        .graphql_as(&admin, "{ apiKeys { id name prefix lastUsedAt } }", Value::Null)
        .await;
    assert!(!listed.to_string().contains(&key), "the key is never shown again");
    let me = app.graphql_as(&key, "{ me { email role } }", Value::Null).await;
    assert_eq!(me["data"]["me"]["role"], "ADMIN", "{me}");
}

#[tokio::test]
async fn a_revoked_key_no_longer_authenticates() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app.graphql_as(&admin, CREATE, json!({ "i": { "name": "temp" } })).await;
    let key = created["data"]["createApiKey"]["key"].as_str().unwrap();
    let id = created["data"]["createApiKey"]["apiKey"]["id"].as_str().unwrap();
    let revoked = app
        .graphql_as(
            &admin,
            "mutation($id: ID!) { revokeApiKey(input: {id: $id}) { apiKey { revokedAt } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(
        revoked["data"]["revokeApiKey"]["apiKey"]["revokedAt"].is_string(),
        "{revoked}"
    );
    let (status, body) = app.graphql_raw(Some(key), "{ me { id } }", Value::Null).await;
    assert_eq!((status, error_code(&body)), (401, Some("UNAUTHENTICATED")));
    // A key that never existed.
    let (status, _) = app
        .graphql_raw(Some(&format!("ploy_{}", "0".repeat(64))), "{ me { id } }", Value::Null)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_read_only_key_cannot_call_any_mutation() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app
        .graphql_as(
            &admin,
            CREATE,
            json!({ "i": { "name": "dashboard", "role": "VIEWER" } }),
        )
        .await;
    let key = created["data"]["createApiKey"]["key"].as_str().unwrap();
    for mutation in [
        "mutation { createServer(input: {name: \"x\", host: \"127.0.0.1\"}) { server { id } } }",
        "mutation { updateSettings(input: {registrationOpen: true}) { registrationOpen } }",
        "mutation { createApiKey(input: {name: \"more\"}) { key } }",
        "mutation { logoutEverywhere { ok } }",
        "mutation { validateServer(input: {id: \"x\"}) { reachable } }",
    ] {
        let (status, body) = app.graphql_raw(Some(key), mutation, Value::Null).await;
        assert_eq!(
            (status, error_code(&body)),
            (403, Some("FORBIDDEN")),
            "{mutation}: {body}"
        );
    }
    assert_eq!(app.count(api_keys::Entity).await, 1);
    let servers = app.graphql_as(key, "{ servers { id } }", Value::Null).await;
    assert_eq!(servers["data"]["servers"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_key_cannot_outrank_its_owner_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let r = app
        .graphql_as(&member, CREATE, json!({ "i": { "name": "x", "role": "ADMIN" } }))
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    for input in [
        json!({ "name": "" }),
        json!({ "name": "x".repeat(101) }),
        json!({ "name": "ok", "expiresInDays": 0 }),
    ] {
        let r = app.graphql_as(&member, CREATE, json!({ "i": input })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    }
    assert_eq!(app.count(api_keys::Entity).await, 0);
}

#[tokio::test]
async fn other_users_keys_look_missing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app
        .graphql_as(&admin, CREATE, json!({ "i": { "name": "admin-key" } }))
        .await;
    let id = created["data"]["createApiKey"]["apiKey"]["id"].as_str().unwrap();
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let r = app
        .graphql_as(
            &member,
            "mutation($id: ID!) { revokeApiKey(input: {id: $id}) { apiKey { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let listed = app.graphql_as(&member, "{ apiKeys { id } }", Value::Null).await;
    assert_eq!(listed["data"]["apiKeys"], json!([]));
}
