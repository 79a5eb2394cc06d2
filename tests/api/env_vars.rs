//! Environment variables: set, replace, delete, list, import a pasted `.env`; keys and
//! values checked; values kept verbatim.

use entities::environment_variables;
use ployer_tests::{error_code, error_field, spawn_app, TestApp};
use serde_json::{json, Value};

const SET: &str =
    "mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { envVar { key value isSecret isBuildTime updatedAt } } }";
const IMPORT: &str =
    "mutation($i: ImportEnvVarsInput!) { importEnvVars(input: $i) { keys envVars { key value isSecret isBuildTime } } }";
const MAX_VALUE_BYTES: usize = 64 * 1024;

/// A response cut short for an assertion message (some carry 64 KiB inputs).
fn short(r: &Value) -> String {
    r.to_string().chars().take(500).collect()
}

async fn env_vars(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .graphql_as(
            token,
            "query($id: ID!) { application(id: $id) { envVars { key value isSecret isBuildTime } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["application"]["envVars"].clone()
}

async fn reveal(app: &TestApp, token: &str, id: &str, key: &str) -> Value {
    app.graphql_as(
        token,
        "query($id: ID!, $key: String!) { revealSecret(applicationId: $id, key: $key) }",
        json!({ "id": id, "key": key }),
    )
    .await
}

async fn new_app(app: &TestApp, token: &str) -> String {
    app.create_git_app(token, "env-app", "https://github.com/ployer-test/env.git")
        .await
}

#[tokio::test]
async fn variables_are_set_listed_replaced_in_place_and_deleted() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = new_app(&app, &token).await;

    let r = app
        .graphql_as(
            &token,
            SET,
            json!({ "i": { "applicationId": id, "key": "DATABASE_URL", "value": "postgres://db/app" } }),
        )
        .await;
    let var = &r["data"]["setEnvVar"]["envVar"];
    assert_eq!(
        (&var["key"], &var["value"], &var["isSecret"], &var["isBuildTime"]),
        (
            &json!("DATABASE_URL"),
            &json!("postgres://db/app"),
            &json!(false),
            &json!(false)
        ),
        "{r}"
    );
    assert!(var["updatedAt"].is_string());
    let first_update = var["updatedAt"].clone();
    let r = app
        .graphql_as(
            &token,
            SET,
            json!({ "i": { "applicationId": id, "key": "_lower_ok1", "value": "x", "isBuildTime": true } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(
        env_vars(&app, &token, &id).await,
        json!([
            { "key": "DATABASE_URL", "value": "postgres://db/app", "isSecret": false, "isBuildTime": false },
            { "key": "_lower_ok1", "value": "x", "isSecret": false, "isBuildTime": true },
        ])
    );
    assert_eq!(app.count(environment_variables::Entity).await, 2);

    // Setting an existing key replaces it in place: same row count, new value and flags.
    let r = app
        .graphql_as(
            &token,
            SET,
            json!({ "i": { "applicationId": id, "key": "DATABASE_URL", "value": "postgres://db2/app", "isBuildTime": true } }),
        )
        .await;
    assert_eq!(r["data"]["setEnvVar"]["envVar"]["value"], "postgres://db2/app", "{r}");
    assert_ne!(r["data"]["setEnvVar"]["envVar"]["updatedAt"], first_update);
    assert_eq!(app.count(environment_variables::Entity).await, 2);
    assert_eq!(
        env_vars(&app, &token, &id).await[0],
        json!({ "key": "DATABASE_URL", "value": "postgres://db2/app", "isSecret": false, "isBuildTime": true })
    );
    // Keys are case-sensitive: another variable.
    app.set_env_var(&token, &id, "database_url", "lower", false).await;
    assert_eq!(app.count(environment_variables::Entity).await, 3);

    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { deleteEnvVar(input: {applicationId: $id, key: \"DATABASE_URL\"}) { deletedKey } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r["data"]["deleteEnvVar"]["deletedKey"], "DATABASE_URL", "{r}");
    let keys: Vec<Value> = env_vars(&app, &token, &id)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].clone())
        .collect();
    assert_eq!(keys, [json!("_lower_ok1"), json!("database_url")]);
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { deleteEnvVar(input: {applicationId: $id, key: \"DATABASE_URL\"}) { deletedKey } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    assert_eq!(app.count(environment_variables::Entity).await, 2);
}

#[tokio::test]
async fn values_with_shell_characters_are_stored_and_returned_verbatim() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = new_app(&app, &token).await;
    let values = [
        ("SHELL_CHARS", "a; b | c && $(id) `id` > /tmp/x < y ${HOME} $PATH"),
        ("NEWLINES", "line one\nline two\r\n\tindented\n"),
        ("QUOTES", "\"double\" 'single' \\backslash\\ # not a comment"),
        ("SPACES", "  leading and trailing  "),
        ("UNICODE", "Grüße 🚀 こんにちは"),
        ("EMPTY", ""),
        ("EQUALS", "a=b=c"),
        ("AT_LIMIT", &"x".repeat(MAX_VALUE_BYTES)),
    ];
    for (key, value) in values {
        let r = app
            .graphql_as(
                &token,
                SET,
                json!({ "i": { "applicationId": id, "key": key, "value": value } }),
            )
            .await;
        assert_eq!(r["data"]["setEnvVar"]["envVar"]["value"], value, "{key}: {r}");
    }
    let listed = env_vars(&app, &token, &id).await;
    for (key, value) in values {
        let var = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["key"] == key)
            .unwrap_or_else(|| panic!("{key} listed"));
        assert_eq!(var["value"], value, "{key}");
        assert_eq!(
            reveal(&app, &token, &id, key).await["data"]["revealSecret"],
            value,
            "{key}"
        );
    }
}

#[tokio::test]
async fn bad_keys_and_oversized_values_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = new_app(&app, &token).await;
    app.set_env_var(&token, &id, "KEPT", "original", false).await;
    let too_big = "x".repeat(MAX_VALUE_BYTES + 1);
    for (key, value, field) in [
        ("1BAD", "v", "key"),
        ("A-B", "v", "key"),
        ("A B", "v", "key"),
        ("", "v", "key"),
        ("A=B", "v", "key"),
        ("$(id)", "v", "key"),
        ("ÄÖ", "v", "key"),
        (&"K".repeat(257), "v", "key"),
        ("BIG", &too_big, "value"),
        ("NUL", "a\u{0}b", "value"),
        // Replacing an existing variable is held to the same rule.
        ("KEPT", &too_big, "value"),
    ] {
        let r = app
            .graphql_as(
                &token,
                SET,
                json!({ "i": { "applicationId": id, "key": key, "value": value } }),
            )
            .await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{key:.20}: {}", short(&r));
        assert_eq!(error_field(&r), Some(field), "{key:.20}: {}", short(&r));
        assert!(r.to_string().len() < 2000, "the value is not echoed back");
    }
    assert_eq!(app.count(environment_variables::Entity).await, 1);
    assert_eq!(
        env_vars(&app, &token, &id).await,
        json!([{ "key": "KEPT", "value": "original", "isSecret": false, "isBuildTime": false }])
    );
}

#[tokio::test]
async fn a_pasted_env_file_is_imported_with_quotes_exports_and_comments() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = new_app(&app, &token).await;
    app.set_env_var(&token, &id, "PORT", "1", false).await;
    app.set_env_var(&token, &id, "UNTOUCHED", "stays", false).await;
    let content = r#"# Production settings for the shop
export DATABASE_URL="postgres://shop:pa ss@db:5432/shop?sslmode=disable"
REDIS_URL=redis://cache:6379/0

SECRET_KEY_BASE='a$b"c # not a comment'
GREETING="Hello\nWorld"
EMPTY=
PORT=8080 # the port the app listens on
export NODE_ENV=production
   # an indented comment
"#;
    let r = app
        .graphql_as(
            &token,
            IMPORT,
            json!({ "i": { "applicationId": id, "content": content, "isBuildTime": true } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let mut keys: Vec<String> = r["data"]["importEnvVars"]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "DATABASE_URL",
            "EMPTY",
            "GREETING",
            "NODE_ENV",
            "PORT",
            "REDIS_URL",
            "SECRET_KEY_BASE"
        ]
    );
    let expected = json!([
        { "key": "DATABASE_URL", "value": "postgres://shop:pa ss@db:5432/shop?sslmode=disable", "isSecret": false, "isBuildTime": true },
        { "key": "EMPTY", "value": "", "isSecret": false, "isBuildTime": true },
        { "key": "GREETING", "value": "Hello\nWorld", "isSecret": false, "isBuildTime": true },
        { "key": "NODE_ENV", "value": "production", "isSecret": false, "isBuildTime": true },
        { "key": "PORT", "value": "8080", "isSecret": false, "isBuildTime": true },
        { "key": "REDIS_URL", "value": "redis://cache:6379/0", "isSecret": false, "isBuildTime": true },
        { "key": "SECRET_KEY_BASE", "value": "a$b\"c # not a comment", "isSecret": false, "isBuildTime": true },
        { "key": "UNTOUCHED", "value": "stays", "isSecret": false, "isBuildTime": false },
    ]);
    assert_eq!(r["data"]["importEnvVars"]["envVars"], expected);
    assert_eq!(env_vars(&app, &token, &id).await, expected);
    assert_eq!(app.count(environment_variables::Entity).await, 8);

    // Imported as secrets: hidden in every listing, revealed on request.
    let r = app
        .graphql_as(
            &token,
            IMPORT,
            json!({ "i": { "applicationId": id, "content": "API_TOKEN=tok-import-7a1c\n", "isSecret": true } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert!(!r.to_string().contains("tok-import-7a1c"), "{r}");
    let token_var = env_vars(&app, &token, &id).await[0].clone();
    assert_eq!(
        token_var,
        json!({ "key": "API_TOKEN", "value": null, "isSecret": true, "isBuildTime": false })
    );
    assert_eq!(
        reveal(&app, &token, &id, "API_TOKEN").await["data"]["revealSecret"],
        "tok-import-7a1c"
    );
}

#[tokio::test]
async fn a_bad_env_file_is_refused_naming_each_bad_line_and_nothing_is_stored() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = new_app(&app, &token).await;
    app.set_env_var(&token, &id, "GOOD", "before", false).await;
    let content = format!(
        "GOOD=1\n# a comment\n1BAD=2\nOK=3\nNOT VALID\nA-B=4\nLAST=ok\nBIG={}\n",
        "x".repeat(MAX_VALUE_BYTES + 1)
    );
    let r = app
        .graphql_as(
            &token,
            IMPORT,
            json!({ "i": { "applicationId": id, "content": content } }),
        )
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{}", short(&r));
    assert_eq!(error_field(&r), Some("content"), "{}", short(&r));
    let message = r["errors"][0]["message"].as_str().unwrap();
    for line in [3, 5, 6, 8] {
        assert!(
            message.contains(&format!("line {line}")),
            "line {line} in {message:.500}"
        );
    }
    for line in [1, 2, 4, 7] {
        assert!(
            !message.contains(&format!("line {line}:")),
            "line {line} in {message:.500}"
        );
    }
    assert!(message.len() < 2000, "the big value is not echoed: {}", message.len());
    assert_eq!(app.count(environment_variables::Entity).await, 1);
    assert_eq!(
        env_vars(&app, &token, &id).await,
        json!([{ "key": "GOOD", "value": "before", "isSecret": false, "isBuildTime": false }])
    );
}

#[tokio::test]
async fn importing_never_copies_the_servers_own_environment() {
    // A `.env` line like `X=$PLOYER_MASTER_KEY` must not read the server's environment:
    // the value would then be stored and shown to every viewer.
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = new_app(&app, &token).await;
    let path = std::env::var("PATH").expect("the test process has a PATH");
    let r = app
        .graphql_as(
            &token,
            IMPORT,
            json!({ "i": { "applicationId": id, "content": "FROM_ENV=$PATH\nFROM_ENV_BRACED=\"${PATH}\"\n" } }),
        )
        .await;
    let listed = if r["errors"].is_null() {
        env_vars(&app, &token, &id).await
    } else {
        // Refusing such lines is fine too; they must then name the line.
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
        Value::Null
    };
    assert!(
        !listed.to_string().contains(&path),
        "the server's PATH leaked into a stored variable: {listed}"
    );
    assert!(!r.to_string().contains(&path), "{r}");
}

#[tokio::test]
async fn an_env_file_with_windows_line_endings_imports_the_same_values() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = new_app(&app, &token).await;
    let r = app
        .graphql_as(
            &token,
            IMPORT,
            json!({ "i": { "applicationId": id, "content": "# pasted from Windows\r\nPLAIN=one\r\nQUOTED=\"two\"\r\nexport SINGLE='three'\r\n" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(
        env_vars(&app, &token, &id).await,
        json!([
            { "key": "PLAIN", "value": "one", "isSecret": false, "isBuildTime": false },
            { "key": "QUOTED", "value": "two", "isSecret": false, "isBuildTime": false },
            { "key": "SINGLE", "value": "three", "isSecret": false, "isBuildTime": false },
        ])
    );
}
