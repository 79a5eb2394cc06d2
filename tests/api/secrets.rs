//! Secrets: env var values, webhook secrets and deploy keys are never readable through the
//! API except by an explicit reveal (members and admins), are never on disk in clear, and a
//! ciphertext moved to another row fails to decrypt instead of yielding the other value.

use std::path::Path;

use entities::{deploy_keys, environment_variables as env_vars};
use ployer_server::services;
use ployer_tests::{error_code, spawn_app, TestApp};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};

/// Every application-related field a reader can ask for, through `application(id)` and
/// through both shapes of the `applications` connection.
const EVERYTHING: &str = "query($id: ID!) {
    application(id: $id) { ...App }
    applications(first: 100) { edges { cursor node { ...App } } nodes { ...App } pageInfo { endCursor } }
}
fragment App on Application {
    id name description server { id name host username } gitUrl branch image buildStrategy
    dockerfilePath buildContext port autoDeploy memoryLimitBytes cpuLimit restartPolicy status
    createdAt updatedAt url urls
    envVars { key value isSecret isBuildTime updatedAt }
    domains { id hostname isPrimary isAuto verifiedAt createdAt }
    deployKey { publicKey fingerprint createdAt }
    webhooks { id provider url enabled createdAt updatedAt }
    healthCheck { kind path port intervalSeconds timeoutSeconds healthyThreshold unhealthyThreshold startPeriodSeconds autoRestart }
    latestDeployment { id status commitSha commitMessage error createdAt finishedAt }
    activeDeployment { id status commitSha commitMessage error createdAt finishedAt }
}";

const REVEAL: &str = "query($id: ID!, $key: String!) { revealSecret(applicationId: $id, key: $key) }";

async fn enable_webhook(app: &TestApp, token: &str, id: &str, provider: &str) -> (String, String) {
    let r = app
        .graphql_as(
            token,
            &format!("mutation($id: ID!) {{ enableWebhook(input: {{applicationId: $id, provider: {provider}}}) {{ secret webhook {{ id }} }} }}"),
            json!({ "id": id }),
        )
        .await;
    let payload = &r["data"]["enableWebhook"];
    (
        payload["webhook"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{r}"))
            .into(),
        payload["secret"].as_str().unwrap().into(),
    )
}

#[tokio::test]
async fn a_secret_appears_in_nothing_a_viewer_or_member_can_read() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let id = app
        .create_git_app(&admin, "vault", "git@github.com:ployer-test/vault.git")
        .await;
    let secret = "sk_live_c4n4ry-9f8e7d6c5b4a-SECRET";
    let member_secret = "member-set-c4n4ry-0a1b2c3d";

    // Even the write does not echo a secret back.
    let r = app
        .graphql_as(
            &admin,
            "mutation($id: ID!, $v: String!) { setEnvVar(input: {applicationId: $id, key: \"STRIPE_KEY\", value: $v, isSecret: true}) { envVar { key value isSecret } } }",
            json!({ "id": id, "v": secret }),
        )
        .await;
    assert_eq!(
        r["data"]["setEnvVar"]["envVar"],
        json!({ "key": "STRIPE_KEY", "value": null, "isSecret": true })
    );
    app.set_env_var(&member, &id, "MEMBER_SECRET", member_secret, true)
        .await;
    app.set_env_var(&admin, &id, "PUBLIC_FLAG", "visible", false).await;
    let (_, webhook_secret) = enable_webhook(&app, &admin, &id, "GITHUB").await;
    let r = app
        .graphql_as(
            &admin,
            "mutation($id: ID!) { addDomain(input: {applicationId: $id, hostname: \"vault.example.com\"}) { domain { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");

    for (who, token) in [("viewer", &viewer), ("member", &member), ("admin", &admin)] {
        let r = app.graphql_as(token, EVERYTHING, json!({ "id": id })).await;
        assert!(r["errors"].is_null(), "{who}: {r}");
        let text = r.to_string();
        assert!(text.contains("visible"), "{who} sees plain variables");
        assert!(text.contains("ssh-ed25519 "), "{who} sees the public key");
        for hidden in [secret, member_secret, webhook_secret.as_str(), "PRIVATE KEY"] {
            assert!(!text.contains(hidden), "{who} must not see {hidden:?}: {text}");
        }
        let stripe = r["data"]["application"]["envVars"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["key"] == "STRIPE_KEY")
            .unwrap()
            .clone();
        assert_eq!(stripe["value"], Value::Null, "{who}");
        assert_eq!(stripe["isSecret"], true, "{who}");
    }

    // An explicit reveal, for those who may change the value.
    for token in [&admin, &member] {
        let r = app
            .graphql_as(token, REVEAL, json!({ "id": id, "key": "STRIPE_KEY" }))
            .await;
        assert_eq!(r["data"]["revealSecret"], secret, "{r}");
        let r = app
            .graphql_as(token, REVEAL, json!({ "id": id, "key": "MEMBER_SECRET" }))
            .await;
        assert_eq!(r["data"]["revealSecret"], member_secret, "{r}");
    }
    let (status, r) = app
        .graphql_raw(Some(&viewer), REVEAL, json!({ "id": id, "key": "STRIPE_KEY" }))
        .await;
    assert_eq!((status, error_code(&r)), (403, Some("FORBIDDEN")), "{r}");
    assert!(!r.to_string().contains(secret));
    // A reveal hidden in a bigger viewer query is refused as a whole.
    let (status, r) = app
        .graphql_raw(
            Some(&viewer),
            "query($id: ID!) { application(id: $id) { name } ...R } fragment R on Query { x: revealSecret(applicationId: $id, key: \"STRIPE_KEY\") }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!((status, error_code(&r)), (403, Some("FORBIDDEN")), "{r}");
    assert!(!r.to_string().contains(secret));
    let r = app
        .graphql_as(&admin, REVEAL, json!({ "id": id, "key": "NO_SUCH_KEY" }))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
}

/// Every file under `dir`, recursively, as (path, bytes).
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn no_secret_or_private_key_is_stored_in_clear() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app
        .create_git_app(&token, "vault", "git@github.com:ployer-test/vault.git")
        .await;
    let secret = "db-pass-c4n4ry-5e6f7a8b9c0d";
    let plain = "plain-but-encrypted-c4n4ry-1a2b3c";
    app.set_env_var(&token, &id, "DB_PASSWORD", secret, true).await;
    app.set_env_var(&token, &id, "GREETING", plain, false).await;
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { importEnvVars(input: {applicationId: $id, content: \"IMPORTED_SECRET=imported-c4n4ry-77aa\", isSecret: true}) { keys } }",
            json!({ "id": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let (webhook_id, first_webhook_secret) = enable_webhook(&app, &token, &id, "GITHUB").await;
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret } }",
            json!({ "id": webhook_id }),
        )
        .await;
    let rotated_webhook_secret = r["data"]["rotateWebhookSecret"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { regenerateDeployKey(input: {applicationId: $id}) { deployKey { publicKey } } }",
            json!({ "id": id }),
        )
        .await;
    let public_key = r["data"]["regenerateDeployKey"]["deployKey"]["publicKey"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();

    // The private key, as only the server can see it: it belongs to the public key shown.
    let key_row = deploy_keys::Entity::find()
        .filter(deploy_keys::Column::ApplicationId.eq(id.clone()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let private_text = services::deploy_keys::private_key(&app.state.crypto, &key_row).unwrap();
    let private = ssh_key::PrivateKey::from_openssh(private_text.as_bytes()).unwrap();
    let shown = ssh_key::PublicKey::from_openssh(&public_key).unwrap();
    assert_eq!(private.public_key().key_data(), shown.key_data());
    let seed = private.key_data().ed25519().unwrap().private.to_bytes();
    let body: String = private_text.lines().filter(|l| !l.starts_with("-----")).collect();

    let files = files_under(&app.data_dir.path().join("data"));
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        names.iter().any(|n| n.ends_with("ployer.db")),
        "the database is where it is expected: {names:?}"
    );
    let all: Vec<u8> = files.iter().flat_map(|(_, bytes)| bytes.clone()).collect();
    // Control: rows written above are in these files, so their absence below means something.
    let public_body = public_key.split(' ').nth(1).unwrap();
    assert!(contains(&all, public_body.as_bytes()), "the public key is stored");
    assert!(contains(&all, b"IMPORTED_SECRET"), "variable names are stored");

    for (name, bytes) in &files {
        for (what, needle) in [
            ("a secret value", secret.as_bytes()),
            ("a plain value", plain.as_bytes()),
            ("an imported secret", b"imported-c4n4ry-77aa".as_slice()),
            ("the first webhook secret", first_webhook_secret.as_bytes()),
            ("the webhook secret", rotated_webhook_secret.as_bytes()),
            ("an OpenSSH private key", b"OPENSSH PRIVATE KEY".as_slice()),
            ("the private key's text", &body.as_bytes()[..48]),
            ("the raw private key", seed.as_slice()),
        ] {
            assert!(!contains(bytes, needle), "{what} is in clear in {name}");
        }
    }
}

async fn swap_values(app: &TestApp, a: &env_vars::Model, b: &env_vars::Model) {
    for (row, from) in [(a, b), (b, a)] {
        let mut active: env_vars::ActiveModel = row.clone().into();
        active.value_ciphertext = Set(from.value_ciphertext.clone());
        active.value_nonce = Set(from.value_nonce.clone());
        active.update(&app.state.db).await.unwrap();
    }
}

async fn row(app: &TestApp, app_id: &str, key: &str) -> env_vars::Model {
    env_vars::Entity::find()
        .filter(env_vars::Column::ApplicationId.eq(app_id))
        .filter(env_vars::Column::Key.eq(key))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Asserts the read fails as an internal error and shows none of `never`.
fn assert_fails_without(r: &Value, never: &[&str]) {
    assert_eq!(error_code(r), Some("INTERNAL"), "{r}");
    assert_eq!(r["errors"][0]["message"], "internal error", "no details leak: {r}");
    for value in never {
        assert!(!r.to_string().contains(value), "{value} must not be returned: {r}");
    }
}

#[tokio::test]
async fn a_ciphertext_moved_to_another_row_fails_to_decrypt_instead_of_answering() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let alpha = app
        .create_git_app(&token, "alpha", "https://github.com/o/alpha.git")
        .await;
    let beta = app
        .create_git_app(&token, "beta", "https://github.com/o/beta.git")
        .await;
    let values = [
        (&alpha, "TOKEN", "alpha-token-111", false),
        (&beta, "TOKEN", "beta-token-222", false),
        (&alpha, "SECRET", "alpha-secret-333", true),
        (&beta, "SECRET", "beta-secret-444", true),
        (&alpha, "OTHER", "alpha-other-555", true),
    ];
    for (id, key, value, is_secret) in values {
        app.set_env_var(&token, id, key, value, is_secret).await;
    }
    let all_values: Vec<&str> = values.iter().map(|v| v.2).collect();
    let list = "query($id: ID!) { application(id: $id) { name envVars { key value } } }";

    // Secrets of two applications, same key: each reveal fails.
    let (alpha_secret, beta_secret) = (row(&app, &alpha, "SECRET").await, row(&app, &beta, "SECRET").await);
    swap_values(&app, &alpha_secret, &beta_secret).await;
    for id in [&alpha, &beta] {
        let r = app
            .graphql_as(&token, REVEAL, json!({ "id": id, "key": "SECRET" }))
            .await;
        assert_fails_without(&r, &all_values);
    }
    swap_values(
        &app,
        &row(&app, &alpha, "SECRET").await,
        &row(&app, &beta, "SECRET").await,
    )
    .await;
    let r = app
        .graphql_as(&token, REVEAL, json!({ "id": alpha, "key": "SECRET" }))
        .await;
    assert_eq!(
        r["data"]["revealSecret"], "alpha-secret-333",
        "swapped back, it opens: {r}"
    );

    // Plain values of two applications: the listing and the reveal fail.
    let (alpha_token, beta_token) = (row(&app, &alpha, "TOKEN").await, row(&app, &beta, "TOKEN").await);
    swap_values(&app, &alpha_token, &beta_token).await;
    for id in [&alpha, &beta] {
        let r = app.graphql_as(&token, list, json!({ "id": id })).await;
        assert_fails_without(&r, &all_values);
        let r = app
            .graphql_as(&token, REVEAL, json!({ "id": id, "key": "TOKEN" }))
            .await;
        assert_fails_without(&r, &all_values);
    }
    swap_values(
        &app,
        &row(&app, &alpha, "TOKEN").await,
        &row(&app, &beta, "TOKEN").await,
    )
    .await;

    // Two keys of one application.
    swap_values(
        &app,
        &row(&app, &alpha, "SECRET").await,
        &row(&app, &alpha, "OTHER").await,
    )
    .await;
    for key in ["SECRET", "OTHER"] {
        let r = app.graphql_as(&token, REVEAL, json!({ "id": alpha, "key": key })).await;
        assert_fails_without(&r, &all_values);
    }
    swap_values(
        &app,
        &row(&app, &alpha, "SECRET").await,
        &row(&app, &alpha, "OTHER").await,
    )
    .await;

    // A flipped byte.
    let original = row(&app, &beta, "TOKEN").await;
    let mut flipped: env_vars::ActiveModel = original.clone().into();
    let mut ciphertext = original.value_ciphertext.clone();
    ciphertext[0] ^= 1;
    flipped.value_ciphertext = Set(ciphertext);
    flipped.update(&app.state.db).await.unwrap();
    let r = app
        .graphql_as(&token, REVEAL, json!({ "id": beta, "key": "TOKEN" }))
        .await;
    assert_fails_without(&r, &all_values);
    let mut restored: env_vars::ActiveModel = row(&app, &beta, "TOKEN").await.into();
    restored.value_ciphertext = Set(original.value_ciphertext);
    restored.update(&app.state.db).await.unwrap();

    // Everything back in place reads as written.
    for (id, key, value, _) in values {
        let r = app.graphql_as(&token, REVEAL, json!({ "id": id, "key": key })).await;
        assert_eq!(r["data"]["revealSecret"], value, "{r}");
    }
    let r = app.graphql_as(&token, list, json!({ "id": alpha })).await;
    assert!(r["errors"].is_null(), "{r}");
}
