//! The audit log: every mutation (refused ones included) and every sign-in, with who, from
//! where, on what and how it ended; admins read it; secret values never reach it.

use entities::audit_log;
use ployer_tests::{error_code, spawn_app, spawn_app_with, TestApp, ADMIN_EMAIL, PASSWORD};
use sea_orm::EntityTrait;
use serde_json::{json, Value};

const AUDIT_LOG: &str = "query($first: Int, $after: String, $filter: AuditLogFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
        edges { cursor node { id at actorId actorApiKeyId actorLabel sourceIp action objectType objectId outcome message } }
        pageInfo { hasNextPage endCursor }
    }
}";

/// The entries (newest first) once everything recorded so far is stored.
async fn entries(app: &TestApp, token: &str, filter: Value) -> Vec<Value> {
    app.state.audit.flush().await;
    let response = app
        .graphql_as(token, AUDIT_LOG, json!({ "first": 100, "filter": filter }))
        .await;
    assert!(response["errors"].is_null(), "auditLog: {response}");
    response["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"].clone())
        .collect()
}

fn find<'a>(entries: &'a [Value], action: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} entry in {entries:?}"))
}

/// Every byte of the database files, to look for a value in them.
fn database_bytes(app: &TestApp) -> Vec<u8> {
    let dir = app.data_dir.path().join("data");
    ["ployer.db", "ployer.db-wal"]
        .iter()
        .filter_map(|name| std::fs::read(dir.join(name)).ok())
        .flatten()
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn mutations_are_recorded_with_actor_object_and_outcome_and_never_a_secret_value() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let app_id = app
        .create_git_app(&admin, "audited", "https://github.com/ployer-test/audited.git")
        .await;
    let secret = "s3cret-value-that-must-never-be-logged";
    app.set_env_var(&admin, &app_id, "API_TOKEN", secret, true).await;
    // Refused before it runs: a viewer may not delete.
    let refused = app
        .graphql_as(
            &viewer,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": app_id }),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    // Fails while it runs, with the secret in its input.
    let failed = app
        .graphql_as(
            &admin,
            "mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { envVar { key } } }",
            json!({ "i": { "applicationId": app_id, "key": format!("BAD KEY {secret}"), "value": secret, "isSecret": true } }),
        )
        .await;
    assert_eq!(error_code(&failed), Some("BAD_USER_INPUT"), "{failed}");

    let log = entries(&app, &admin, Value::Null).await;
    let created = find(&log, "createApplication");
    assert_eq!(created["actorLabel"], ADMIN_EMAIL);
    assert_eq!(created["outcome"], "ok");
    assert_eq!(created["sourceIp"], "127.0.0.1");
    assert_eq!(
        (&created["objectType"], &created["objectId"]),
        (&json!("application"), &json!(app_id))
    );
    assert!(created["actorId"].is_string());

    let set = log
        .iter()
        .find(|e| e["action"] == "setEnvVar" && e["outcome"] == "ok")
        .unwrap_or_else(|| panic!("{log:?}"));
    assert_eq!(
        (&set["objectType"], &set["objectId"]),
        (&json!("application"), &json!(app_id))
    );

    let bad = log
        .iter()
        .find(|e| e["action"] == "setEnvVar" && e["outcome"] == "BAD_USER_INPUT")
        .unwrap_or_else(|| panic!("{log:?}"));
    assert!(bad["message"].is_string(), "{bad}");

    let delete = find(&log, "deleteApplication");
    assert_eq!(delete["outcome"], "FORBIDDEN");
    assert_eq!(delete["actorLabel"], "viewer@example.com");

    let register = find(&log, "register");
    assert_eq!(
        (&register["actorLabel"], &register["outcome"]),
        (&json!("anonymous"), &json!("ok"))
    );

    // Neither the secret nor a password is anywhere in the table, nor in the database file
    // (secrets are sealed, passwords hashed).
    let rows = audit_log::Entity::find().all(&app.state.db).await.unwrap();
    let table = format!("{rows:?}");
    assert!(rows.len() >= 6, "{table}");
    for value in [secret, PASSWORD] {
        assert!(!table.contains(value), "{value} in the audit log: {table}");
        assert!(!contains(&database_bytes(&app), value), "{value} in the database file");
    }
}

#[tokio::test]
async fn sign_ins_are_recorded_with_the_email_tried_and_never_the_password() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let wrong = "not-the-password-42";
    let failed = app.login(ADMIN_EMAIL, wrong).await;
    assert_eq!(error_code(&failed), Some("UNAUTHENTICATED"));
    let unknown = app.login("  Nobody@Example.com ", wrong).await;
    assert_eq!(error_code(&unknown), Some("UNAUTHENTICATED"));
    let ok = app.login(ADMIN_EMAIL, PASSWORD).await;
    assert!(ok["data"]["login"]["token"].is_string());

    let sign_ins = entries(&app, &admin, json!({ "action": "login" })).await;
    assert_eq!(sign_ins.len(), 3, "{sign_ins:?}");
    // Newest first.
    assert_eq!(sign_ins[0]["outcome"], "ok");
    assert_eq!(sign_ins[0]["actorLabel"], ADMIN_EMAIL);
    assert!(sign_ins[0]["actorId"].is_string());
    assert_eq!(sign_ins[1]["actorLabel"], "nobody@example.com");
    assert_eq!(sign_ins[2]["actorLabel"], ADMIN_EMAIL);
    for failure in &sign_ins[1..] {
        assert_eq!(failure["outcome"], "UNAUTHENTICATED");
        assert!(failure["actorId"].is_null());
        assert_eq!(failure["sourceIp"], "127.0.0.1");
    }
    let failures = entries(&app, &admin, json!({ "action": "login", "outcome": "UNAUTHENTICATED" })).await;
    assert_eq!(failures.len(), 2);

    let table = format!("{:?}", audit_log::Entity::find().all(&app.state.db).await.unwrap());
    assert!(!table.contains(wrong) && !table.contains(PASSWORD), "{table}");
}

#[tokio::test]
async fn only_admins_read_the_audit_log_a_page_at_a_time() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;

    let (status, refused) = app.graphql_raw(Some(&member), AUDIT_LOG, Value::Null).await;
    assert_eq!((status, error_code(&refused)), (403, Some("FORBIDDEN")), "{refused}");
    let (status, anonymous) = app.graphql_raw(None, AUDIT_LOG, Value::Null).await;
    assert_eq!((status, error_code(&anonymous)), (401, Some("UNAUTHENTICATED")));

    for name in ["one", "two", "three"] {
        app.create_git_app(&member, name, &format!("https://github.com/ployer-test/{name}.git"))
            .await;
    }
    app.state.audit.flush().await;
    let member_id = entries(&app, &admin, json!({ "action": "createApplication" })).await[0]["actorId"].clone();
    let mine = entries(&app, &admin, json!({ "actorId": member_id })).await;
    assert!(mine.iter().all(|e| e["actorLabel"] == "member@example.com"));
    assert_eq!(mine.iter().filter(|e| e["action"] == "createApplication").count(), 3);

    let first = app
        .graphql_as(
            &admin,
            AUDIT_LOG,
            json!({ "first": 2, "filter": { "action": "createApplication" } }),
        )
        .await;
    let page = &first["data"]["auditLog"];
    assert_eq!(page["pageInfo"]["hasNextPage"], true, "{first}");
    let second = app
        .graphql_as(
            &admin,
            AUDIT_LOG,
            json!({ "first": 2, "after": page["pageInfo"]["endCursor"], "filter": { "action": "createApplication" } }),
        )
        .await;
    let rest = second["data"]["auditLog"]["edges"].as_array().unwrap();
    assert_eq!(rest.len(), 1, "{second}");
    assert_eq!(second["data"]["auditLog"]["pageInfo"]["hasNextPage"], false);

    let future = entries(&app, &admin, json!({ "since": "2999-01-01T00:00:00Z" })).await;
    assert!(future.is_empty());

    for (variables, field) in [
        (json!({ "first": 0 }), "first"),
        (json!({ "first": 101 }), "first"),
        (json!({ "after": "not-a-cursor" }), "after"),
    ] {
        let response = app.graphql_as(&admin, AUDIT_LOG, variables.clone()).await;
        assert_eq!(error_code(&response), Some("BAD_USER_INPUT"), "{variables}: {response}");
        assert_eq!(ployer_tests::error_field(&response), Some(field), "{response}");
    }
}

#[tokio::test]
async fn a_mutation_made_with_an_api_key_names_the_key() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app
        .graphql_as(
            &admin,
            "mutation { createApiKey(input: {name: \"ci\"}) { key apiKey { id } } }",
            Value::Null,
        )
        .await;
    let key = created["data"]["createApiKey"]["key"].as_str().unwrap();
    let key_id = created["data"]["createApiKey"]["apiKey"]["id"].clone();
    app.create_git_app(key, "by-key", "https://github.com/ployer-test/by-key.git")
        .await;
    let log = entries(&app, &admin, json!({ "action": "createApplication" })).await;
    assert_eq!(log[0]["actorApiKeyId"], key_id);
    assert_eq!(log[0]["actorLabel"], ADMIN_EMAIL);
    let key_entry = find(&entries(&app, &admin, Value::Null).await, "createApiKey").clone();
    assert_eq!(
        (&key_entry["objectType"], &key_entry["objectId"]),
        (&json!("apiKey"), &key_id)
    );
    assert!(!format!("{:?}", audit_log::Entity::find().all(&app.state.db).await.unwrap()).contains(key));
}

#[tokio::test]
async fn with_the_audit_log_off_nothing_is_recorded() {
    let app = spawn_app_with(|config| config.audit_log_enabled = false).await;
    let admin = app.admin_token().await;
    app.create_git_app(&admin, "quiet", "https://github.com/ployer-test/quiet.git")
        .await;
    app.login(ADMIN_EMAIL, "wrong-password").await;
    app.state.audit.flush().await;
    assert_eq!(app.count(audit_log::Entity).await, 0);
}
