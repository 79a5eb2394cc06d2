//! Applications over GraphQL: create, read, list, update, delete; the input rules on create
//! and update alike; who may change them; unknown ids.

use entities::{applications, deploy_keys, deployments, domains, environment_variables, health_checks, webhooks};
use ployer_tests::{error_code, error_field, spawn_app, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{json, Value};

/// Every field of an application a reader can ask for.
const APP_FIELDS: &str = "fragment App on Application {
    id name description server { id name isLocal } gitUrl branch image buildStrategy
    dockerfilePath buildContext port autoDeploy memoryLimitBytes cpuLimit restartPolicy status
    createdAt updatedAt url urls
    envVars { key value isSecret isBuildTime updatedAt }
    domains { id hostname isPrimary isAuto verifiedAt createdAt }
    deployKey { publicKey fingerprint createdAt }
    webhooks { id provider url enabled createdAt updatedAt }
    healthCheck { kind path port intervalSeconds timeoutSeconds healthyThreshold unhealthyThreshold startPeriodSeconds autoRestart }
    latestDeployment { id status commitSha commitMessage error createdAt finishedAt }
    activeDeployment { id status }
}";

const UPDATE: &str =
    "mutation($i: UpdateApplicationInput!) { updateApplication(input: $i) { application { id name description port } } }";

fn contract_input(name: &str) -> Value {
    json!({
        "name": name,
        "gitUrl": "https://github.com/ployer-test/hello.git",
        "branch": "main",
        "buildStrategy": "DOCKERFILE",
        "dockerfilePath": "Dockerfile",
        "port": 8080,
    })
}

/// `application(id)` with every field, as `token`; `Value::Null` when there is none.
async fn read(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .graphql_as(
            token,
            &format!("query($id: ID!) {{ application(id: $id) {{ ...App }} }} {APP_FIELDS}"),
            json!({ "id": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "application({id}): {r}");
    r["data"]["application"].clone()
}

async fn counts(app: &TestApp) -> [u64; 6] {
    [
        app.count(applications::Entity).await,
        app.count(environment_variables::Entity).await,
        app.count(domains::Entity).await,
        app.count(webhooks::Entity).await,
        app.count(health_checks::Entity).await,
        app.count(deploy_keys::Entity).await,
    ]
}

#[tokio::test]
async fn an_application_is_created_from_the_contract_and_read_back_with_defaults() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let created = app.create_application(&token, contract_input("web")).await;
    assert!(created["errors"].is_null(), "{created}");
    let id = created["data"]["createApplication"]["application"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(created["data"]["createApplication"]["application"]["name"], "web");

    let a = read(&app, &token, &id).await;
    assert_eq!(a["id"], id.as_str());
    assert_eq!(a["name"], "web");
    assert_eq!(a["description"], Value::Null);
    assert_eq!(a["server"]["name"], "local");
    assert_eq!(a["server"]["isLocal"], true);
    assert_eq!(a["gitUrl"], "https://github.com/ployer-test/hello.git");
    assert_eq!(a["branch"], "main");
    assert_eq!(a["image"], Value::Null);
    assert_eq!(a["buildStrategy"], "DOCKERFILE");
    assert_eq!(a["dockerfilePath"], "Dockerfile");
    assert_eq!(a["buildContext"], ".");
    assert_eq!(a["port"], 8080);
    assert_eq!(a["autoDeploy"], true);
    assert_eq!(a["memoryLimitBytes"], Value::Null);
    assert_eq!(a["cpuLimit"], Value::Null);
    assert_eq!(a["restartPolicy"], "UNLESS_STOPPED");
    assert_eq!(a["status"], "CREATED");
    assert!(a["createdAt"].is_string() && a["updatedAt"].is_string(), "{a}");
    assert_eq!(a["url"], "http://web.localhost:8080");
    assert_eq!(a["urls"], json!(["http://web.localhost:8080"]));
    assert_eq!(a["envVars"], json!([]));
    let domains = a["domains"].as_array().unwrap();
    assert_eq!(domains.len(), 1, "{a}");
    assert_eq!(
        (
            &domains[0]["hostname"],
            &domains[0]["isPrimary"],
            &domains[0]["isAuto"],
            &domains[0]["verifiedAt"]
        ),
        (&json!("web.localhost"), &json!(true), &json!(true), &Value::Null)
    );
    assert_eq!(a["deployKey"], Value::Null, "an https source needs no deploy key");
    assert_eq!(a["webhooks"], json!([]));
    assert_eq!(
        a["healthCheck"],
        json!({
            "kind": "HTTP", "path": "/", "port": null, "intervalSeconds": 10, "timeoutSeconds": 5,
            "healthyThreshold": 1, "unhealthyThreshold": 3, "startPeriodSeconds": 10, "autoRestart": true
        })
    );
    assert_eq!(a["latestDeployment"], Value::Null, "no deployment exists yet");
    assert_eq!(a["activeDeployment"], Value::Null);
}

#[tokio::test]
async fn every_optional_field_is_stored_on_create() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let created = app
        .create_application(
            &token,
            json!({
                "name": "api-2",
                "description": "  The public API  ",
                "gitUrl": "git@github.com:ployer-test/api.git",
                "branch": "release/1.2",
                "buildStrategy": "DOCKERFILE",
                "dockerfilePath": "./docker/Dockerfile.prod",
                "buildContext": "services/api/",
                "port": 9000,
                "autoDeploy": false,
                "memoryLimitBytes": 268_435_456,
                "cpuLimit": 0.5,
                "restartPolicy": "ON_FAILURE",
            }),
        )
        .await;
    let id = created["data"]["createApplication"]["application"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_string();
    let a = read(&app, &token, &id).await;
    assert_eq!(a["description"], "The public API");
    assert_eq!(a["gitUrl"], "git@github.com:ployer-test/api.git");
    assert_eq!(a["branch"], "release/1.2");
    assert_eq!(a["dockerfilePath"], "docker/Dockerfile.prod");
    assert_eq!(a["buildContext"], "services/api");
    assert_eq!(a["port"], 9000);
    assert_eq!(a["autoDeploy"], false);
    assert_eq!(a["memoryLimitBytes"], 268_435_456);
    assert_eq!(a["cpuLimit"], 0.5);
    assert_eq!(a["restartPolicy"], "ON_FAILURE");
    assert_eq!(a["url"], "http://api-2.localhost:8080");
}

#[tokio::test]
async fn an_image_application_needs_no_repository() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let created = app
        .create_application(
            &token,
            json!({ "name": "busybox", "buildStrategy": "IMAGE", "image": "ployer-test/busybox:latest", "port": 8080 }),
        )
        .await;
    let id = created["data"]["createApplication"]["application"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_string();
    let a = read(&app, &token, &id).await;
    assert_eq!(a["buildStrategy"], "IMAGE");
    assert_eq!(a["image"], "ployer-test/busybox:latest");
    assert_eq!(a["gitUrl"], Value::Null);
    assert_eq!(a["deployKey"], Value::Null);
    assert_eq!(a["status"], "CREATED");
    assert_eq!(a["url"], "http://busybox.localhost:8080");
}

#[tokio::test]
async fn applications_are_listed_by_name_in_pages_and_filtered() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut ids = std::collections::HashMap::new();
    for name in ["gamma", "alpha", "beta"] {
        ids.insert(
            name,
            app.create_git_app(&token, name, "https://github.com/o/r.git").await,
        );
    }
    const LIST: &str = "query($first: Int, $after: String, $status: ApplicationStatus, $serverId: ID) {
        applications(first: $first, after: $after, status: $status, serverId: $serverId) {
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id name status } }
            nodes { name }
        } }";
    let names = |r: &Value| -> Vec<String> {
        r["data"]["applications"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{r}"))
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_string())
            .collect()
    };

    let first = app.graphql_as(&token, LIST, json!({ "first": 2 })).await;
    assert_eq!(names(&first), ["alpha", "beta"], "{first}");
    let page = &first["data"]["applications"];
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(page["edges"][0]["node"]["id"], ids["alpha"].as_str());
    assert_eq!(page["edges"][1]["cursor"], page["pageInfo"]["endCursor"]);
    let after = page["pageInfo"]["endCursor"].as_str().unwrap().to_string();

    let second = app
        .graphql_as(&token, LIST, json!({ "first": 2, "after": after }))
        .await;
    assert_eq!(names(&second), ["gamma"], "{second}");
    assert_eq!(second["data"]["applications"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(second["data"]["applications"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(
        second["data"]["applications"]["edges"][0]["node"]["id"],
        ids["gamma"].as_str()
    );

    // The pipeline moves an application past CREATED; stand in for it.
    let mut running: applications::ActiveModel = applications::Entity::find_by_id(ids["beta"].clone())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    running.status = Set(applications::AppStatus::Running);
    running.update(&app.state.db).await.unwrap();

    let r = app.graphql_as(&token, LIST, json!({ "status": "RUNNING" })).await;
    assert_eq!(names(&r), ["beta"], "{r}");
    assert_eq!(r["data"]["applications"]["edges"][0]["node"]["status"], "RUNNING");
    let r = app.graphql_as(&token, LIST, json!({ "status": "CREATED" })).await;
    assert_eq!(names(&r), ["alpha", "gamma"], "{r}");
    let r = app.graphql_as(&token, LIST, json!({ "status": "FAILED" })).await;
    assert_eq!(names(&r), Vec::<String>::new(), "{r}");

    let local = app.graphql_as(&token, "{ servers { id } }", Value::Null).await["data"]["servers"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app.graphql_as(&token, LIST, json!({ "serverId": local })).await;
    assert_eq!(names(&r), ["alpha", "beta", "gamma"], "{r}");
    let r = app
        .graphql_as(&token, LIST, json!({ "serverId": "no-such-server" }))
        .await;
    assert_eq!(names(&r), Vec::<String>::new(), "{r}");

    for (variables, field) in [
        (json!({ "first": 0 }), "first"),
        (json!({ "first": 101 }), "first"),
        (json!({ "after": "%%% not a cursor %%%" }), "after"),
    ] {
        let r = app.graphql_as(&token, LIST, variables.clone()).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{variables}: {r}");
        assert_eq!(error_field(&r), Some(field), "{variables}: {r}");
    }
}

#[tokio::test]
async fn an_update_changes_only_what_it_names_and_a_rename_moves_the_automatic_domain() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app
        .create_git_app(&token, "web", "https://github.com/ployer-test/hello.git")
        .await;
    let before = read(&app, &token, &id).await;

    let r = app
        .graphql_as(
            &token,
            UPDATE,
            json!({ "i": {
                "id": id, "name": "shop", "description": "The shop", "port": 3000, "branch": "develop",
                "autoDeploy": false, "memoryLimitBytes": 536_870_912, "cpuLimit": 1.5, "restartPolicy": "ALWAYS",
                "dockerfilePath": "build/Dockerfile", "buildContext": "build",
            } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(
        r["data"]["updateApplication"]["application"],
        json!({ "id": id, "name": "shop", "description": "The shop", "port": 3000 })
    );
    let a = read(&app, &token, &id).await;
    assert_eq!(a["name"], "shop");
    assert_eq!(a["branch"], "develop");
    assert_eq!(a["autoDeploy"], false);
    assert_eq!(a["memoryLimitBytes"], 536_870_912);
    assert_eq!(a["cpuLimit"], 1.5);
    assert_eq!(a["restartPolicy"], "ALWAYS");
    assert_eq!(a["dockerfilePath"], "build/Dockerfile");
    assert_eq!(a["buildContext"], "build");
    // Untouched fields stay.
    assert_eq!(a["gitUrl"], before["gitUrl"]);
    assert_eq!(a["createdAt"], before["createdAt"]);
    assert_ne!(a["updatedAt"], before["updatedAt"]);
    // The automatic domain follows the name; it is the same row.
    assert_eq!(a["domains"].as_array().unwrap().len(), 1, "{a}");
    assert_eq!(a["domains"][0]["hostname"], "shop.localhost");
    assert_eq!(a["domains"][0]["id"], before["domains"][0]["id"]);
    assert_eq!(a["domains"][0]["isAuto"], true);
    assert_eq!(a["url"], "http://shop.localhost:8080");
    assert_eq!(a["urls"], json!(["http://shop.localhost:8080"]));

    // Clearable fields clear with an explicit null, and only then.
    let r = app
        .graphql_as(
            &token,
            UPDATE,
            json!({ "i": { "id": id, "description": null, "memoryLimitBytes": null, "cpuLimit": null } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let a = read(&app, &token, &id).await;
    assert_eq!(
        (&a["description"], &a["memoryLimitBytes"], &a["cpuLimit"], &a["port"]),
        (&Value::Null, &Value::Null, &Value::Null, &json!(3000))
    );

    // Switching to a ready image.
    let r = app
        .graphql_as(
            &token,
            UPDATE,
            json!({ "i": { "id": id, "buildStrategy": "IMAGE", "image": "ployer-test/busybox:latest" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let a = read(&app, &token, &id).await;
    assert_eq!(
        (&a["buildStrategy"], &a["image"]),
        (&json!("IMAGE"), &json!("ployer-test/busybox:latest"))
    );

    // The old name and its host name are free again.
    let again = app.create_git_app(&token, "web", "https://github.com/o/r.git").await;
    assert_eq!(read(&app, &token, &again).await["url"], "http://web.localhost:8080");
}

#[tokio::test]
async fn deleting_an_application_removes_everything_that_belongs_to_it() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let doomed = app
        .create_git_app(&token, "doomed", "git@github.com:ployer-test/doomed.git")
        .await;
    let kept = app
        .create_git_app(&token, "kept", "https://github.com/o/kept.git")
        .await;
    for (id, key) in [(&doomed, "A"), (&doomed, "B"), (&kept, "A")] {
        app.set_env_var(&token, id, key, "value", key == "B").await;
    }
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { addDomain(input: {applicationId: $id, hostname: \"doomed.example.com\"}) { domain { id } } }",
            json!({ "id": doomed }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { enableWebhook(input: {applicationId: $id, provider: GITHUB}) { webhook { id } } }",
            json!({ "id": doomed }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    // applications, env vars, domains, webhooks, health checks, deploy keys
    assert_eq!(counts(&app).await, [2, 3, 3, 1, 2, 1]);

    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": doomed }),
        )
        .await;
    assert_eq!(
        r["data"]["deleteApplication"]["deletedApplicationId"],
        doomed.as_str(),
        "{r}"
    );
    assert_eq!(counts(&app).await, [1, 1, 1, 0, 1, 0]);
    assert_eq!(read(&app, &token, &doomed).await, Value::Null);
    assert_eq!(read(&app, &token, &kept).await["envVars"][0]["key"], "A");

    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": doomed }),
        )
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");

    // Its host names are free for others now.
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { addDomain(input: {applicationId: $id, hostname: \"doomed.example.com\"}) { domain { hostname } } }",
            json!({ "id": kept }),
        )
        .await;
    assert_eq!(
        r["data"]["addDomain"]["domain"]["hostname"], "doomed.example.com",
        "{r}"
    );
    app.create_git_app(&token, "doomed", "https://github.com/o/r.git").await;
}

/// Inputs to `createApplication` that must be refused, with the code and field expected.
fn bad_inputs(canary: &str, own_port: u16) -> Vec<(Value, &'static str, &'static str)> {
    let base = contract_input("fresh");
    let with = |field: &str, value: Value| {
        let mut input = base.clone();
        input[field] = value;
        input
    };
    let without = |field: &str| {
        let mut input = base.clone();
        input.as_object_mut().unwrap().remove(field);
        input
    };
    let bad = "BAD_USER_INPUT";
    let mut cases = vec![
        (with("name", json!("Web")), bad, "name"),
        (with("name", json!("web_app")), bad, "name"),
        (with("name", json!("-web")), bad, "name"),
        (with("name", json!("web-")), bad, "name"),
        (with("name", json!("a".repeat(64))), bad, "name"),
        (with("name", json!("")), bad, "name"),
        (with("name", json!("web;id")), bad, "name"),
        (with("name", json!("../etc")), bad, "name"),
        (with("name", json!("taken")), "CONFLICT", "name"),
        (with("branch", json!("..")), bad, "branch"),
        (with("branch", json!("a@{b")), bad, "branch"),
        (with("branch", json!("-f")), bad, "branch"),
        (with("branch", json!("with space")), bad, "branch"),
        (with("branch", json!("main\nid")), bad, "branch"),
        (with("dockerfilePath", json!("../Dockerfile")), bad, "dockerfilePath"),
        (with("dockerfilePath", json!("/etc/passwd")), bad, "dockerfilePath"),
        (
            with("dockerfilePath", json!("a/../../Dockerfile")),
            bad,
            "dockerfilePath",
        ),
        (with("buildContext", json!("../Dockerfile")), bad, "buildContext"),
        (with("buildContext", json!("/etc/passwd")), bad, "buildContext"),
        (with("port", json!(0)), bad, "port"),
        (with("port", json!(70000)), bad, "port"),
        (with("port", json!(-1)), bad, "port"),
        (with("buildStrategy", json!("NIXPACKS")), bad, "buildStrategy"),
        (with("composePath", json!("../docker-compose.yml")), bad, "composePath"),
        (with("composeService", json!("Not A Service")), bad, "composeService"),
        (
            json!({ "name": "fresh", "buildStrategy": "STATIC", "gitUrl": "https://github.com/o/r.git", "staticOutputDir": "../site" }),
            bad,
            "staticOutputDir",
        ),
        (
            json!({ "name": "fresh", "buildStrategy": "STATIC", "gitUrl": "https://github.com/o/r.git", "staticBuildImage": "node:20" }),
            bad,
            "staticBuildCommand",
        ),
        (
            json!({ "name": "fresh", "buildStrategy": "STATIC", "gitUrl": "https://github.com/o/r.git", "staticBuildCommand": "npm run build" }),
            bad,
            "staticBuildImage",
        ),
        (
            json!({ "name": "fresh", "buildStrategy": "STATIC", "gitUrl": "https://github.com/o/r.git", "staticBuildImage": "-x", "staticBuildCommand": "make" }),
            bad,
            "staticBuildImage",
        ),
        (without("gitUrl"), bad, "gitUrl"),
        (
            json!({ "name": "fresh", "buildStrategy": "IMAGE", "port": 8080 }),
            bad,
            "image",
        ),
        (
            json!({ "name": "fresh", "buildStrategy": "IMAGE", "image": "nginx;id", "port": 8080 }),
            bad,
            "image",
        ),
        (with("memoryLimitBytes", json!(1)), bad, "memoryLimitBytes"),
        (with("cpuLimit", json!(0)), bad, "cpuLimit"),
        (with("description", json!("a\u{0}b")), bad, "description"),
    ];
    for url in [
        "file:///etc".to_string(),
        "/srv/repo".to_string(),
        "./repo".to_string(),
        format!("ext::sh -c touch% {canary}"),
        format!("--upload-pack=touch {canary}"),
        format!("-oProxyCommand=touch {canary}"),
        format!("https://github.com/$(touch {canary})/r.git"),
        "https://user:token@github.com/o/r.git".to_string(),
        "https://ghp_canarytoken@github.com/o/r.git".to_string(),
        "http://169.254.169.254/x".to_string(),
        // The same address in the other notations resolvers accept.
        "http://2852039166/x".to_string(),
        "http://0xa9fea9fe/x".to_string(),
        "http://169.254.43518/x".to_string(),
        "http://[::ffff:169.254.169.254]/x".to_string(),
        "http://0.0.0.0/x".to_string(),
        "http://127.0.0.1:2019/config".to_string(),
        format!("http://127.0.0.1:{own_port}/graphql"),
        format!("http://localhost:{own_port}/graphql"),
    ] {
        cases.push((with("gitUrl", json!(url)), bad, "gitUrl"));
    }
    cases
}

#[tokio::test]
async fn bad_input_to_create_is_refused_naming_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    app.create_git_app(&token, "taken", "https://github.com/o/r.git").await;
    let before = counts(&app).await;
    let canary_dir = tempfile::tempdir().unwrap();
    let canary = canary_dir.path().join("pwned");
    let mut wrong = Vec::new();
    for (input, code, field) in bad_inputs(canary.to_str().unwrap(), app.addr.port()) {
        let r = app.create_application(&token, input.clone()).await;
        assert!(
            !r.to_string().contains("canarytoken"),
            "a credential is never echoed back: {r}"
        );
        if (error_code(&r), error_field(&r)) != (Some(code), Some(field)) {
            wrong.push(format!("{input}\n  expected {code} on {field}, got {r}"));
            // Keep the next cases independent of this one.
            if let Some(id) = r["data"]["createApplication"]["application"]["id"].as_str() {
                delete(&app, &token, id).await;
            }
            continue;
        }
        assert!(r["data"].is_null(), "{input}: {r}");
        assert_eq!(counts(&app).await, before, "nothing stored for {input}");
    }
    assert!(!canary.exists(), "nothing ran a command from the input");
    assert!(wrong.is_empty(), "accepted or misreported:\n{}", wrong.join("\n"));
}

async fn delete(app: &TestApp, token: &str, id: &str) {
    let r = app
        .graphql_as(
            token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
}

#[tokio::test]
async fn bad_input_to_update_is_refused_naming_the_field_and_changes_nothing() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    app.create_git_app(&token, "taken", "https://github.com/o/r.git").await;
    let id = app
        .create_git_app(&token, "mine", "https://github.com/o/mine.git")
        .await;
    let mut before = read(&app, &token, &id).await;
    let mut rows = counts(&app).await;
    let mut wrong = Vec::new();
    let canary_dir = tempfile::tempdir().unwrap();
    let canary = canary_dir.path().join("pwned");
    let mut cases = bad_inputs(canary.to_str().unwrap(), app.addr.port());
    // An update may not leave the application without its source either.
    cases.push((json!({ "buildStrategy": "IMAGE" }), "BAD_USER_INPUT", "image"));
    for (input, code, field) in cases {
        let mut input = input;
        // Fields the update does not concern: leave them out so only the bad one is sent.
        let object = input.as_object_mut().unwrap();
        for (key, value) in contract_input("fresh").as_object().unwrap() {
            if object.get(key) == Some(value) {
                object.remove(key);
            }
        }
        if object.is_empty() {
            // The create-only case "gitUrl missing" has nothing to send on update.
            continue;
        }
        object.insert("id".into(), json!(id));
        let r = app.graphql_as(&token, UPDATE, json!({ "i": input.clone() })).await;
        let after = read(&app, &token, &id).await;
        if (error_code(&r), error_field(&r)) != (Some(code), Some(field)) {
            wrong.push(format!("{input}\n  expected {code} on {field}, got {r}"));
            // Judge the next cases against what is stored now.
            before = after;
            rows = counts(&app).await;
            continue;
        }
        assert_eq!(after, before, "unchanged after {input}");
        assert_eq!(counts(&app).await, rows, "nothing stored for {input}");
    }
    assert!(!canary.exists());
    assert!(wrong.is_empty(), "accepted or misreported:\n{}", wrong.join("\n"));
}

/// Each mutation on applications, with the variables it takes; `$app` is the application id.
fn mutations(app_id: &str, domain_id: &str, webhook_id: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }",
            json!({ "i": contract_input("viewer-made") }),
        ),
        (
            "mutation($id: ID!) { updateApplication(input: {id: $id, name: \"renamed\"}) { application { id } } }",
            json!({ "id": app_id }),
        ),
        (
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": app_id }),
        ),
        (
            "mutation($id: ID!) { setEnvVar(input: {applicationId: $id, key: \"NEW\", value: \"x\"}) { envVar { key } } }",
            json!({ "id": app_id }),
        ),
        (
            "mutation($id: ID!) { deleteEnvVar(input: {applicationId: $id, key: \"KEPT\"}) { deletedKey } }",
            json!({ "id": app_id }),
        ),
        (
            "mutation($id: ID!) { importEnvVars(input: {applicationId: $id, content: \"IMPORTED=1\"}) { keys } }",
            json!({ "id": app_id }),
        ),
        (
            "mutation($id: ID!) { regenerateDeployKey(input: {applicationId: $id}) { deployKey { fingerprint } } }",
            json!({ "id": app_id }),
        ),
        (
            "mutation($id: ID!) { addDomain(input: {applicationId: $id, hostname: \"new.example.com\"}) { domain { id } } }",
            json!({ "id": app_id }),
        ),
        (
            "mutation($id: ID!) { setPrimaryDomain(input: {id: $id}) { domain { id } } }",
            json!({ "id": domain_id }),
        ),
        (
            "mutation($id: ID!) { verifyDomain(input: {id: $id}) { pointsHere } }",
            json!({ "id": domain_id }),
        ),
        (
            "mutation($id: ID!) { removeDomain(input: {id: $id}) { removedDomainId } }",
            json!({ "id": domain_id }),
        ),
        (
            "mutation($id: ID!) { enableWebhook(input: {applicationId: $id, provider: GITLAB}) { secret } }",
            json!({ "id": app_id }),
        ),
        (
            "mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret } }",
            json!({ "id": webhook_id }),
        ),
        (
            "mutation($id: ID!) { disableWebhook(input: {id: $id}) { webhook { enabled } } }",
            json!({ "id": webhook_id }),
        ),
        (
            "mutation($id: ID!) { configureHealthCheck(input: {applicationId: $id, path: \"/other\", intervalSeconds: 30, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 5, autoRestart: false}) { healthCheck { path } } }",
            json!({ "id": app_id }),
        ),
    ]
}

/// An application with one of everything: a variable, a custom domain, a webhook, a key.
async fn furnished(app: &TestApp, token: &str) -> (String, String, String) {
    let id = app
        .create_git_app(token, "furnished", "git@github.com:ployer-test/furnished.git")
        .await;
    app.set_env_var(token, &id, "KEPT", "kept", false).await;
    let domain = app
        .graphql_as(
            token,
            "mutation($id: ID!) { addDomain(input: {applicationId: $id, hostname: \"furnished.example.com\"}) { domain { id } } }",
            json!({ "id": id }),
        )
        .await["data"]["addDomain"]["domain"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let webhook = app
        .graphql_as(
            token,
            "mutation($id: ID!) { enableWebhook(input: {applicationId: $id, provider: GITHUB}) { webhook { id } } }",
            json!({ "id": id }),
        )
        .await["data"]["enableWebhook"]["webhook"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (id, domain, webhook)
}

#[tokio::test]
async fn a_viewer_reads_applications_but_every_change_is_forbidden() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let (id, domain, webhook) = furnished(&app, &admin).await;
    let before = read(&app, &admin, &id).await;
    let rows = counts(&app).await;

    assert_eq!(read(&app, &viewer, &id).await, before, "a viewer reads everything");
    let list = app
        .graphql_as(&viewer, "{ applications { nodes { id } } }", Value::Null)
        .await;
    assert_eq!(list["data"]["applications"]["nodes"][0]["id"], id.as_str(), "{list}");

    for (mutation, variables) in mutations(&id, &domain, &webhook) {
        let (status, r) = app.graphql_raw(Some(&viewer), mutation, variables).await;
        assert_eq!((status, error_code(&r)), (403, Some("FORBIDDEN")), "{mutation}: {r}");
        assert!(r["data"].is_null(), "{mutation}: {r}");
    }
    assert_eq!(read(&app, &admin, &id).await, before);
    assert_eq!(counts(&app).await, rows);

    // Without signing in, not even reading.
    let (status, r) = app
        .graphql_raw(
            None,
            "query($id: ID!) { application(id: $id) { name } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!((status, error_code(&r)), (401, Some("UNAUTHENTICATED")), "{r}");
}

#[tokio::test]
async fn a_member_may_change_applications() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let (id, domain, webhook) = furnished(&app, &admin).await;
    // Everything but the deletion (last), which would take the rest with it.
    let all = mutations(&id, &domain, &webhook);
    let (delete, delete_vars) = all[2].clone();
    for (mutation, variables) in all.into_iter().filter(|(m, _)| !m.contains("deleteApplication")) {
        let (status, r) = app.graphql_raw(Some(&member), mutation, variables).await;
        assert_eq!(status, 200, "{mutation}: {r}");
        assert!(r["errors"].is_null(), "{mutation}: {r}");
    }
    let a = read(&app, &member, &id).await;
    assert_eq!(a["name"], "renamed");
    assert_eq!(a["healthCheck"]["path"], "/other");
    let keys: Vec<&str> = a["envVars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["IMPORTED", "NEW"]);
    assert!(app.count(applications::Entity).await == 2);

    let r = app.graphql_as(&member, delete, delete_vars).await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(read(&app, &member, &id).await, Value::Null);
}

#[tokio::test]
async fn an_unknown_application_is_not_found_by_every_operation_and_nothing_changes() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let (real, _, _) = furnished(&app, &token).await;
    let rows = counts(&app).await;
    let before = read(&app, &token, &real).await;
    let unknown = "3f1c0a6e-9b0e-4c3a-8a65-000000000000";
    for (mutation, variables) in mutations(unknown, unknown, unknown)
        .into_iter()
        .filter(|(m, _)| !m.contains("createApplication"))
    {
        let r = app.graphql_as(&token, mutation, variables).await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{mutation}: {r}");
    }
    let r = app
        .graphql_as(
            &token,
            "query($id: ID!) { application(id: $id) { id } revealSecret(applicationId: $id, key: \"KEPT\") }",
            json!({ "id": unknown }),
        )
        .await;
    assert_eq!(r["data"]["application"], Value::Null, "{r}");
    assert_eq!(r["data"]["revealSecret"], Value::Null, "{r}");
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let r = app
        .graphql_as(
            &token,
            "query($id: ID!) { application(id: $id) { id } }",
            json!({ "id": unknown }),
        )
        .await;
    assert_eq!(r, json!({ "data": { "application": null } }));
    // A server that does not exist is an input error, not a silent default.
    let mut input = contract_input("elsewhere");
    input["serverId"] = json!(unknown);
    let r = app.create_application(&token, input).await;
    assert_eq!(
        (error_code(&r), error_field(&r)),
        (Some("BAD_USER_INPUT"), Some("serverId")),
        "{r}"
    );

    assert_eq!(counts(&app).await, rows);
    assert_eq!(read(&app, &token, &real).await, before);
}

#[tokio::test]
async fn markup_in_a_description_is_returned_as_plain_data() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let payload = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let mut input = contract_input("xss");
    input["description"] = json!(payload);
    let r = app.create_application(&token, input).await;
    let id = r["data"]["createApplication"]["application"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    assert_eq!(read(&app, &token, &id).await["description"], payload);
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(
            &json!({ "query": "query($id: ID!) { application(id: $id) { description } }", "variables": { "id": id } }),
        )
        .send()
        .await
        .unwrap();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("application/"), "{content_type}");
    assert!(content_type.contains("json"), "{content_type}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["application"]["description"], payload);
}

fn deployment(app_id: &str, id: &str, status: &str, age_seconds: i64) -> deployments::ActiveModel {
    let at = chrono::Utc::now() - chrono::Duration::seconds(age_seconds);
    deployments::ActiveModel {
        id: Set(id.into()),
        application_id: Set(app_id.into()),
        status: Set(status.parse().unwrap()),
        trigger: Set(deployments::Trigger::Manual),
        commit_sha: Set(Some(format!("{id:0>40}"))),
        commit_message: Set(Some(format!("commit of {id}"))),
        commit_author: Set(None),
        image_tag: Set(None),
        container_id: Set(None),
        container_name: Set(None),
        host_port: Set(None),
        failure_reason: Set(None),
        rollback_of_id: Set(None),
        compose_file: Set(None),
        compose_images: Set(None),
        triggered_by_user_id: Set(None),
        server_id: Set(None),
        cluster_id: Set(None),
        service_id: Set(None),
        upstreams: Set(None),
        created_at: Set(at),
        started_at: Set(None),
        finished_at: Set(None),
        updated_at: Set(at),
    }
}

#[tokio::test]
async fn recorded_deployments_show_as_latest_and_active_and_go_with_the_application() {
    // The pipeline (another issue) writes these rows; stand in for it.
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app
        .create_git_app(&token, "deployed", "https://github.com/o/r.git")
        .await;
    deployment(&id, "1", "running", 60).insert(&app.state.db).await.unwrap();
    deployment(&id, "2", "failed", 30).insert(&app.state.db).await.unwrap();
    let mut row: applications::ActiveModel = applications::Entity::find_by_id(id.clone())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    row.active_deployment_id = Set(Some("1".into()));
    row.update(&app.state.db).await.unwrap();

    let a = read(&app, &token, &id).await;
    assert_eq!(a["latestDeployment"]["id"], "2", "{a}");
    assert_eq!(a["latestDeployment"]["status"], "FAILED");
    assert_eq!(a["latestDeployment"]["commitMessage"], "commit of 2");
    assert_eq!(a["activeDeployment"]["id"], "1");
    assert_eq!(a["activeDeployment"]["status"], "RUNNING");

    delete(&app, &token, &id).await;
    assert_eq!(app.count(deployments::Entity).await, 0, "its history goes with it");
}

#[tokio::test]
async fn a_name_whose_automatic_host_name_is_taken_is_refused_on_the_name() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let a = app.create_git_app(&token, "a", "https://github.com/o/r.git").await;
    // Names directly under the base domain are reserved for automatic domains...
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { addDomain(input: {applicationId: $id, hostname: \"b.localhost\"}) { domain { id } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(error_field(&r), Some("hostname"), "{r}");
    // ...but one can still hold `b.localhost` (say, from before the base domain changed).
    entities::domains::ActiveModel {
        id: Set("legacy-domain".into()),
        application_id: Set(a.clone()),
        hostname: Set("b.localhost".into()),
        is_primary: Set(false),
        is_auto: Set(false),
        service: Set(None),
        verified_at: Set(None),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let rows = counts(&app).await;

    let created = app.create_application(&token, contract_input("b")).await;
    assert_eq!(error_code(&created), Some("CONFLICT"), "{created}");
    assert_eq!(counts(&app).await, rows, "nothing stored");

    let c = app.create_git_app(&token, "c", "https://github.com/o/r.git").await;
    let before = read(&app, &token, &c).await;
    let renamed = app
        .graphql_as(&token, UPDATE, json!({ "i": { "id": c, "name": "b" } }))
        .await;
    assert_eq!(error_code(&renamed), Some("CONFLICT"), "{renamed}");
    assert_eq!(read(&app, &token, &c).await, before, "the rename did not happen");

    // The input has no `hostname`: the field at fault is the name.
    assert_eq!(error_field(&created), Some("name"), "{created}");
    assert_eq!(error_field(&renamed), Some("name"), "{renamed}");
}
