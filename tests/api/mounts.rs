//! Where applications keep data: named volumes and host directories, refused input for each,
//! and (end to end, with real Docker and Caddy) data that outlives redeploys and rollbacks,
//! a stop-first cutover, and deleting an application with or without its volumes.

use std::time::Duration;

use entities::mounts;
use ployer_test_support::docker::docker;
use ployer_tests::{error_code, error_field, spawn_app, TestApp};
use serde_json::{json, Value};

use crate::fixtures::{Connections, Stack};

const ADD: &str = "mutation($input: AddMountInput!) { addMount(input: $input) { mount { id kind volume volumeName hostPath containerPath readOnly } } }";
const UPDATE: &str =
    "mutation($input: UpdateMountInput!) { updateMount(input: $input) { mount { id containerPath readOnly } } }";
const REMOVE: &str = "mutation($id: ID!) { removeMount(input: {id: $id}) { removedMountId } }";
const SETTINGS: &str =
    "mutation($paths: [String!]) { updateSettings(input: {allowedBindPaths: $paths}) { allowedBindPaths } }";

async fn add(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql_as(token, ADD, json!({ "input": input })).await
}

fn assert_refused(response: &Value, code: &str, field: Option<&str>) {
    assert_eq!(error_code(response), Some(code), "{response}");
    if let Some(field) = field {
        assert_eq!(error_field(response), Some(field), "{response}");
    }
    assert!(
        response["data"].is_null()
            || response["data"]
                .as_object()
                .is_some_and(|d| d.values().all(Value::is_null))
    );
}

#[tokio::test]
async fn volumes_and_host_directories_are_checked_and_refused_input_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let id = app
        .create_git_app(&admin, "keeper", "https://github.com/org/repo.git")
        .await;

    // A volume: any member.
    let r = add(
        &app,
        &member,
        json!({ "applicationId": id, "containerPath": "/data", "volume": "data" }),
    )
    .await;
    let mount = &r["data"]["addMount"]["mount"];
    assert_eq!(mount["kind"], "VOLUME", "{r}");
    assert_eq!(mount["volume"], "data");
    assert_eq!(mount["volumeName"], "ployer-keeper-data");
    assert!(mount["hostPath"].is_null());
    assert_eq!(mount["readOnly"], false);
    let mount_id = mount["id"].as_str().unwrap().to_string();

    for (input, field) in [
        (json!({ "containerPath": "data", "volume": "x" }), "containerPath"),
        (json!({ "containerPath": "/", "volume": "x" }), "containerPath"),
        (json!({ "containerPath": "/a/../b", "volume": "x" }), "containerPath"),
        (json!({ "containerPath": "/proc/x", "volume": "x" }), "containerPath"),
        (json!({ "containerPath": "/x", "volume": "Bad Name" }), "volume"),
        (json!({ "containerPath": "/x" }), "volume"),
        (
            json!({ "containerPath": "/x", "volume": "x", "hostPath": "/srv" }),
            "volume",
        ),
    ] {
        let mut input = input;
        input["applicationId"] = json!(id);
        let r = add(&app, &member, input.clone()).await;
        assert_refused(&r, "BAD_USER_INPUT", Some(field));
    }
    let r = add(
        &app,
        &member,
        json!({ "applicationId": id, "containerPath": "/data", "volume": "other" }),
    )
    .await;
    assert_refused(&r, "CONFLICT", Some("containerPath"));
    let r = add(
        &app,
        &member,
        json!({ "applicationId": "nope", "containerPath": "/x", "volume": "x" }),
    )
    .await;
    assert_refused(&r, "NOT_FOUND", None);
    assert_eq!(app.count(mounts::Entity).await, 1, "nothing refused was stored");

    // Host directories: admins only, and only under an allowed directory.
    let allowed = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let site = allowed.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::os::unix::fs::symlink(outside.path(), allowed.path().join("escape")).unwrap();
    let site_path = site.canonicalize().unwrap().display().to_string();
    let bind = json!({ "applicationId": id, "containerPath": "/site", "hostPath": site_path });
    assert_refused(&add(&app, &member, bind.clone()).await, "FORBIDDEN", None);
    assert_refused(
        &add(&app, &admin, bind.clone()).await,
        "BAD_USER_INPUT",
        Some("hostPath"),
    );

    let data_dir = app.state.config.data_dir.display().to_string();
    for refused in [
        "/",
        "/etc",
        "/var",
        "/var/lib/docker",
        "relative",
        "/no/such/dir",
        data_dir.as_str(),
    ] {
        let r = app.graphql_as(&admin, SETTINGS, json!({ "paths": [refused] })).await;
        assert_refused(&r, "BAD_USER_INPUT", Some("allowedBindPaths"));
    }
    let r = app
        .graphql_as(&member, SETTINGS, json!({ "paths": [allowed.path()] }))
        .await;
    assert_refused(&r, "FORBIDDEN", None);
    let r = app
        .graphql_as(&admin, "{ settings { allowedBindPaths } }", json!({}))
        .await;
    assert_eq!(
        r["data"]["settings"]["allowedBindPaths"],
        json!([]),
        "nothing refused was stored: {r}"
    );
    let r = app
        .graphql_as(&admin, SETTINGS, json!({ "paths": [allowed.path()] }))
        .await;
    let root = allowed.path().canonicalize().unwrap().display().to_string();
    assert_eq!(r["data"]["updateSettings"]["allowedBindPaths"], json!([root]), "{r}");

    let r = add(&app, &admin, bind.clone()).await;
    assert_eq!(r["data"]["addMount"]["mount"]["hostPath"], site_path.as_str(), "{r}");
    assert_eq!(r["data"]["addMount"]["mount"]["kind"], "BIND");
    let bind_id = r["data"]["addMount"]["mount"]["id"].as_str().unwrap().to_string();
    for host_path in [
        allowed.path().join("escape").display().to_string(),
        outside.path().display().to_string(),
        format!("{root}/missing"),
        "/etc".to_string(),
    ] {
        let r = add(
            &app,
            &admin,
            json!({ "applicationId": id, "containerPath": "/other", "hostPath": host_path }),
        )
        .await;
        assert_refused(&r, "BAD_USER_INPUT", Some("hostPath"));
    }
    // A member may change a volume mount, not a host directory's.
    let r = app
        .graphql_as(&member, UPDATE, json!({ "input": { "id": bind_id, "readOnly": true } }))
        .await;
    assert_refused(&r, "FORBIDDEN", None);
    let r = app.graphql_as(&member, REMOVE, json!({ "id": bind_id })).await;
    assert_refused(&r, "FORBIDDEN", None);
    let r = app
        .graphql_as(
            &member,
            UPDATE,
            json!({ "input": { "id": mount_id, "containerPath": "/site" } }),
        )
        .await;
    assert_refused(&r, "CONFLICT", Some("containerPath"));
    let r = app
        .graphql_as(
            &member,
            UPDATE,
            json!({ "input": { "id": mount_id, "containerPath": "/var/data", "readOnly": true } }),
        )
        .await;
    assert_eq!(r["data"]["updateMount"]["mount"]["containerPath"], "/var/data", "{r}");
    assert_eq!(r["data"]["updateMount"]["mount"]["readOnly"], true);
    let r = app.graphql_as(&member, REMOVE, json!({ "id": mount_id })).await;
    assert_eq!(r["data"]["removeMount"]["removedMountId"], mount_id.as_str(), "{r}");
    let r = app.graphql_as(&member, REMOVE, json!({ "id": mount_id })).await;
    assert_refused(&r, "NOT_FOUND", None);

    let r = app
        .graphql_as(
            &admin,
            "query($id: ID!) { application(id: $id) { cutoverOrder mounts { kind hostPath containerPath } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r["data"]["application"]["cutoverOrder"], "START_FIRST", "{r}");
    assert_eq!(
        r["data"]["application"]["mounts"],
        json!([{ "kind": "BIND", "hostPath": site_path, "containerPath": "/site" }])
    );
}

/// A Dockerfile whose container appends its version to `/data/boots` when it starts and
/// serves what the file held then at `/boots`.
fn boots_dockerfile(stack: &Stack) -> String {
    stack.repo.dockerfile().replace(
        "httpd -f -p 8080 -h /www & wait",
        "echo $(cat /www/index.html) >> /data/boots; cp /data/boots /www/boots; httpd -f -p 8080 -h /www & wait",
    )
}

/// Seconds from the stop-first line to "deployment is live" in deployment `id`'s log.
async fn stated_downtime(stack: &Stack, id: &str) -> f64 {
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { deployment(id: $id) { logs(first: 1000) { edges { node { line at } } } } }",
            json!({ "id": id }),
        )
        .await;
    let lines = r["data"]["deployment"]["logs"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .clone();
    let at = |prefix: &str| {
        let line = lines
            .iter()
            .find(|e| e["node"]["line"].as_str().unwrap_or_default().starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix:?}: {r}"));
        chrono::DateTime::parse_from_rfc3339(line["node"]["at"].as_str().unwrap()).unwrap()
    };
    let down = at("deployment is live") - at("stop-first: stopping the serving container");
    down.num_milliseconds() as f64 / 1000.0
}

async fn boots(stack: &Stack) -> Vec<String> {
    let (status, body) = stack.get("/boots").await.expect("GET /boots");
    assert_eq!(status, 200, "{body}");
    body.lines().map(str::to_string).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_volume_keeps_its_data_across_redeploys_rollbacks_and_a_stop_first_cutover() {
    let mut stack = Stack::start().await;
    let volume = format!("ployer-{}-data", stack.name);
    stack.remove_volume_on_drop(&volume);
    stack.repo.write("Dockerfile", Some(&boots_dockerfile(&stack)));
    stack.repo.commit_version("v1").await;
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            ADD,
            json!({ "input": { "applicationId": stack.app_id, "containerPath": "/data", "volume": "data" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");

    let v1 = stack.deploy_running("v1").await;
    assert_eq!(boots(&stack).await, ["version v1"]);
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { application(id: $id) { mounts { volumeName sizeBytes } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    let mounted = &r["data"]["application"]["mounts"][0];
    assert_eq!(mounted["volumeName"], volume.as_str(), "{r}");
    assert!(
        mounted["sizeBytes"].as_i64().is_some_and(|bytes| bytes > 0),
        "the engine reports the volume's size: {r}"
    );
    let labels = docker(&["volume", "inspect", "--format", "{{json .Labels}}", &volume]).await;
    assert!(labels.contains("\"ployer.managed\":\"true\""), "{labels}");
    assert!(
        labels.contains(&format!("\"ployer.app\":\"{}\"", stack.app_id)),
        "{labels}"
    );

    stack.repo.commit_version("v2").await;
    stack.deploy_running("v2").await;
    assert_eq!(
        boots(&stack).await,
        ["version v1", "version v2"],
        "the redeploy kept the data"
    );

    let rollback = stack.mutate("rollback", json!({ "deploymentId": v1 })).await;
    stack.wait_for_status(rollback["id"].as_str().unwrap(), "RUNNING").await;
    stack.wait_until_serves("/", "version v1", Duration::from_secs(5)).await;
    assert_eq!(
        boots(&stack).await,
        ["version v1", "version v2", "version v1"],
        "the rollback kept the data"
    );

    // Stop-first: the old container is stopped before the new one starts; requests fail
    // only between the stop and the new version being live, as the log says.
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { updateApplication(input: {id: $id, cutoverOrder: STOP_FIRST}) { application { cutoverOrder } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert_eq!(
        r["data"]["updateApplication"]["application"]["cutoverOrder"], "STOP_FIRST",
        "{r}"
    );
    stack.repo.commit_version("v3").await;
    let load = stack.load_loop(Duration::from_millis(20), Connections::PerRequest);
    let id = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&id, "RUNNING").await;
    stack.wait_until_serves("/", "version v3", Duration::from_secs(5)).await;
    let report = load.stop().await;
    let lines: Vec<String> = ployer_tests::log_lines(&deployment)
        .iter()
        .map(|l| l["line"].as_str().unwrap_or_default().to_string())
        .collect();
    let stop = lines
        .iter()
        .position(|l| l.starts_with("stop-first: stopping the serving container"))
        .unwrap_or_else(|| panic!("the log states the downtime: {lines:?}"));
    let start = lines
        .iter()
        .position(|l| l.starts_with("starting container"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(stop < start, "stopped before the new one started: {lines:?}");
    assert_eq!(
        report.bodies,
        ["version v1", "version v3"],
        "never both versions: {report:?}"
    );
    // Requests fail for no longer than the log says the application was down: from the stop
    // to the new version being live.
    let stated = stated_downtime(&stack, &id).await;
    let failed_at: Vec<f64> = report
        .failures
        .iter()
        .filter_map(|f| f.split('s').next()?.parse().ok())
        .collect();
    if let (Some(first), Some(last)) = (failed_at.first(), failed_at.last()) {
        assert!(
            last - first <= stated + 0.5,
            "failures for {:.3}s, the log states {stated:.3}s: {report:?}",
            last - first
        );
    }
    assert_eq!(
        boots(&stack).await,
        ["version v1", "version v2", "version v1", "version v3"],
        "stop-first kept the data"
    );

    // Deleting the application keeps its volume by default, listed as orphaned.
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = stack
        .app
        .graphql_as(&stack.token, "{ volumes { name managed orphaned } }", json!({}))
        .await;
    let listed: Vec<&Value> = r["data"]["volumes"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .filter(|v| v["name"] == volume.as_str())
        .collect();
    assert_eq!(listed.len(), 1, "the volume stays: {r}");
    assert_eq!(listed[0]["managed"], true);
    assert_eq!(listed[0]["orphaned"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_an_application_with_its_volumes_removes_them() {
    let mut stack = Stack::start().await;
    let volume = format!("ployer-{}-cache", stack.name);
    stack.remove_volume_on_drop(&volume);
    stack
        .repo
        .write("Dockerfile", Some(&boots_dockerfile(&stack).replace("/data", "/cache")));
    stack.repo.commit_version("v1").await;
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            ADD,
            json!({ "input": { "applicationId": stack.app_id, "containerPath": "/cache", "volume": "cache" } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    stack.deploy_running("v1").await;
    assert_eq!(boots(&stack).await, ["version v1"]);
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id, removeVolumes: true}) { deletedApplicationId } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let left = docker(&["volume", "ls", "-q", "--filter", &format!("name=^{volume}$")]).await;
    assert_eq!(left.trim(), "", "the volume went with the application");
}
