//! Docker resources over GraphQL against the real engine: what the API lists is what the
//! `docker` CLI lists; containers are started, stopped, restarted and removed; networks and
//! volumes created and removed, in-use ones refused; unused images pruned while kept ones
//! stay; one image removed, refused while used or kept; a pull from an unreachable registry
//! fails with the engine's reason; volume sizes come from one disk-usage call; the engine's
//! events arrive live, through one shared stream that survives a broken connection; members
//! are refused; unknown ids are NOT_FOUND; a missing engine is UNAVAILABLE.
//! Every object a test makes carries a unique name and label and is removed on drop, even
//! when an assertion fails; nothing is ever pruned outside a test's own label.

use std::{process::Stdio, time::Duration};

use chrono::Utc;
use entities::deployments;
use ployer_test_support::docker::{docker, Leftovers, TEST_IMAGE};
use ployer_tests::{error_code, error_field, random_suffix, spawn_app, spawn_app_with, TestApp, WsClient, WsEvent};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

use crate::fixtures::{EngineProxy, Stack};

const LABEL_KEY: &str = "ployer.test.res";

/// The objects one test made: removed on drop with the CLI (synchronously, so it also runs
/// while a failed assertion unwinds).
pub struct Made {
    pub suffix: String,
    leftovers: Leftovers,
}

impl Made {
    pub fn new() -> Self {
        let suffix = random_suffix(8);
        Self {
            leftovers: Leftovers::labelled(format!("{LABEL_KEY}={suffix}")),
            suffix,
        }
    }

    /// `key=value` of the label every object of this test carries.
    pub fn label(&self) -> String {
        format!("{LABEL_KEY}={}", self.suffix)
    }

    /// A name unique to this test: `res-<suffix>-<what>`.
    pub fn name(&self, what: &str) -> String {
        format!("res-{}-{what}", self.suffix)
    }

    /// Remembers a network or volume made through the API (it carries no test label).
    pub fn network(&mut self, name: &str) {
        self.leftovers.network(name);
    }

    pub fn volume(&mut self, name: &str) {
        self.leftovers.volume(name);
    }

    /// A running container (sh waiting on a long sleep, stopping at once on SIGTERM),
    /// with extra `docker run` arguments; returns its full id.
    pub async fn running_container(&self, what: &str, extra: &[&str]) -> String {
        let name = self.name(what);
        let label = self.label();
        let mut args = vec!["run", "-d", "--name", &name, "--label", &label];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[TEST_IMAGE, "sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"]);
        docker(&args).await.trim().to_string()
    }

    /// A created, never started container; returns its full id.
    pub async fn created_container(&self, what: &str, extra: &[&str]) -> String {
        let name = self.name(what);
        let label = self.label();
        let mut args = vec!["create", "--name", &name, "--label", &label];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[TEST_IMAGE, "true"]);
        docker(&args).await.trim().to_string()
    }

    /// An image `res-<suffix>/<what>:v1` built from the test image with this test's label
    /// and `which=<what>` (so every one has its own id); returns its id.
    pub async fn image(&self, what: &str) -> String {
        let tag = format!("res-{}/{what}:v1", self.suffix);
        let which = format!("which={what}");
        let label = self.label();
        let mut child = tokio::process::Command::new("docker")
            .args(["build", "-q", "--label", &label, "--label", &which, "-t", &tag, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("docker build runs");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(format!("FROM {TEST_IMAGE}\n").as_bytes())
            .await
            .expect("Dockerfile written");
        drop(stdin);
        let output = child.wait_with_output().await.expect("docker build ends");
        assert!(
            output.status.success(),
            "docker build: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}

/// Runs a GraphQL request as `token`; panics on errors; returns `data`.
async fn ok(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let response = app.graphql_as(token, query, variables).await;
    assert!(response["errors"].is_null(), "{query}: {response}");
    response["data"].clone()
}

/// Calls a mutation `name(input: $i)` selecting `selection`; returns the whole response.
async fn mutate(app: &TestApp, token: &str, name: &str, input_type: &str, input: Value, selection: &str) -> Value {
    let query = format!("mutation($i: {input_type}!) {{ {name}(input: $i) {{ {selection} }} }}");
    app.graphql_as(token, &query, json!({ "i": input })).await
}

/// Whether `value` (an object with `labels { key value }`) carries this test's label.
fn has_label(value: &Value, made: &Made) -> bool {
    value["labels"].as_array().is_some_and(|labels| {
        labels
            .iter()
            .any(|l| l["key"] == LABEL_KEY && l["value"] == made.suffix)
    })
}

fn sorted(mut rows: Vec<String>) -> Vec<String> {
    rows.sort();
    rows
}

/// The first error of a subscription: a protocol `error`, or a `next` carrying errors.
pub async fn subscription_error(ws: &mut WsClient) -> Value {
    loop {
        match ws.next_within(Duration::from_secs(15)).await {
            WsEvent::Message(message) => match message["type"].as_str() {
                Some("error") => return message["payload"][0].clone(),
                Some("next") if !message["payload"]["errors"].is_null() => {
                    return message["payload"]["errors"][0].clone()
                }
                Some("next") => panic!("expected an error, got data: {message}"),
                _ => continue,
            },
            WsEvent::Closed(code) => panic!("the socket closed ({code:?}) before an error"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docker_resources_queries_list_what_the_docker_cli_lists() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let made = Made::new();
    let label = made.label();
    let network = made.name("net");
    let volume = made.name("vol");
    docker(&["network", "create", "--label", &label, &network]).await;
    docker(&["volume", "create", "--label", &label, &volume]).await;
    let mount = format!("{volume}:/data");
    let up = made
        .running_container("up", &["--network", &network, "-v", &mount])
        .await;
    let down = made.created_container("down", &[]).await;
    let image = made.image("img").await;
    let filter = format!("label={label}");

    let data = ok(
        &app,
        &token,
        "{ all: containers(all: true) { id name image state running managed networks volumes labels { key value } }
           running: containers { id }
           networks { id name driver containers managed labels { key value } }
           volumes { name driver containers managed labels { key value } }
           images { id tags containers kept labels { key value } } }",
        Value::Null,
    )
    .await;

    // Containers: the same ids, names, images and states as `docker ps -a`.
    let ours: Vec<&Value> = data["all"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| has_label(c, &made))
        .collect();
    let listed = sorted(
        ours.iter()
            .map(|c| {
                format!(
                    "{}\t{}\t{}\t{}",
                    c["id"].as_str().unwrap(),
                    c["name"].as_str().unwrap(),
                    c["image"].as_str().unwrap(),
                    c["state"].as_str().unwrap()
                )
            })
            .collect(),
    );
    let cli = sorted(
        docker(&[
            "ps",
            "-a",
            "--no-trunc",
            "--filter",
            &filter,
            "--format",
            "{{.ID}}\t{{.Names}}\t{{.Image}}\t{{.State}}",
        ])
        .await
        .lines()
        .map(str::to_string)
        .collect(),
    );
    assert_eq!(listed, cli, "containers as docker ps -a lists them");
    assert_eq!(listed.len(), 2);
    let up_row = ours
        .iter()
        .find(|c| c["id"] == up.as_str())
        .expect("the running container");
    assert_eq!(up_row["running"], true);
    assert_eq!(up_row["managed"], false);
    assert_eq!(up_row["networks"], json!([network]));
    assert_eq!(up_row["volumes"], json!([volume]));
    let running: Vec<&str> = data["running"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        running.contains(&up.as_str()),
        "the running one is listed without `all`"
    );
    assert!(!running.contains(&down.as_str()), "a stopped one only with `all`");

    // Networks: as `docker network ls`, with the attached container.
    let ours: Vec<&Value> = data["networks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| has_label(n, &made))
        .collect();
    let listed = sorted(
        ours.iter()
            .map(|n| {
                format!(
                    "{}\t{}\t{}",
                    n["id"].as_str().unwrap(),
                    n["name"].as_str().unwrap(),
                    n["driver"].as_str().unwrap()
                )
            })
            .collect(),
    );
    let cli = sorted(
        docker(&[
            "network",
            "ls",
            "--no-trunc",
            "--filter",
            &filter,
            "--format",
            "{{.ID}}\t{{.Name}}\t{{.Driver}}",
        ])
        .await
        .lines()
        .map(str::to_string)
        .collect(),
    );
    assert_eq!(listed, cli, "networks as docker network ls lists them");
    assert_eq!(ours[0]["containers"], json!([made.name("up")]));
    let all_names = sorted(
        data["networks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_string())
            .collect(),
    );
    for predefined in ["bridge", "host", "none"] {
        assert!(
            all_names.iter().any(|n| n == predefined),
            "{predefined} in {all_names:?}"
        );
    }

    // Volumes: as `docker volume ls`, with the container mounting it.
    let ours: Vec<&Value> = data["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| has_label(v, &made))
        .collect();
    let listed = sorted(
        ours.iter()
            .map(|v| format!("{}\t{}", v["name"].as_str().unwrap(), v["driver"].as_str().unwrap()))
            .collect(),
    );
    let cli = sorted(
        docker(&[
            "volume",
            "ls",
            "--filter",
            &filter,
            "--format",
            "{{.Name}}\t{{.Driver}}",
        ])
        .await
        .lines()
        .map(str::to_string)
        .collect(),
    );
    assert_eq!(listed, cli, "volumes as docker volume ls lists them");
    assert_eq!(ours[0]["containers"], json!([made.name("up")]));

    // Images: as `docker images`, unused and not kept.
    let ours: Vec<&Value> = data["images"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| has_label(i, &made))
        .collect();
    let listed = sorted(
        ours.iter()
            .map(|i| format!("{}\t{}", i["id"].as_str().unwrap(), i["tags"][0].as_str().unwrap()))
            .collect(),
    );
    let cli = sorted(
        docker(&[
            "images",
            "--no-trunc",
            "--filter",
            &filter,
            "--format",
            "{{.ID}}\t{{.Repository}}:{{.Tag}}",
        ])
        .await
        .lines()
        .map(str::to_string)
        .collect(),
    );
    assert_eq!(listed, cli, "images as docker images lists them");
    assert_eq!(ours[0]["id"], image.as_str());
    assert_eq!(ours[0]["containers"], 0);
    assert_eq!(ours[0]["kept"], false);
    let test_image = data["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tags"].as_array().is_some_and(|t| t.contains(&json!(TEST_IMAGE))))
        .expect("the test image is listed");
    assert!(test_image["containers"].as_i64().unwrap() >= 2, "{test_image}");

    // One container by name, by id and by id prefix; none for an unknown one.
    for reference in [made.name("up"), up.clone(), up[..12].to_string()] {
        let one = ok(
            &app,
            &token,
            "query($id: ID!) { container(id: $id) { id name } }",
            json!({ "id": reference }),
        )
        .await;
        assert_eq!(one["container"]["id"], up.as_str(), "{reference}");
    }
    let none = ok(
        &app,
        &token,
        "query($id: ID!) { container(id: $id) { id } }",
        json!({ "id": made.name("nothing") }),
    )
    .await;
    assert!(none["container"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_are_started_stopped_restarted_and_removed() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let made = Made::new();
    let label = made.label();
    let name = made.name("life");
    let id = docker(&[
        "create",
        "--name",
        &name,
        "--label",
        &label,
        TEST_IMAGE,
        "sh",
        "-c",
        "trap 'exit 0' TERM; sleep 600 & wait",
    ])
    .await
    .trim()
    .to_string();
    let selection = "container { id running state } notice";

    let started = mutate(
        &app,
        &token,
        "startContainer",
        "StartContainerInput",
        json!({ "id": name }),
        selection,
    )
    .await;
    assert_eq!(
        started["data"]["startContainer"]["container"]["running"], true,
        "{started}"
    );
    assert!(started["data"]["startContainer"]["notice"].is_null());
    let state = docker(&["inspect", "-f", "{{.State.Running}}", &id]).await;
    assert_eq!(state.trim(), "true");

    let bad = mutate(
        &app,
        &token,
        "stopContainer",
        "StopContainerInput",
        json!({ "id": id, "timeoutSeconds": 101 }),
        selection,
    )
    .await;
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"), "{bad}");
    assert_eq!(error_field(&bad), Some("timeoutSeconds"));

    let stopped = mutate(
        &app,
        &token,
        "stopContainer",
        "StopContainerInput",
        json!({ "id": id, "timeoutSeconds": 1 }),
        selection,
    )
    .await;
    assert_eq!(
        stopped["data"]["stopContainer"]["container"]["running"], false,
        "{stopped}"
    );
    assert_eq!(stopped["data"]["stopContainer"]["container"]["state"], "exited");
    assert_eq!(
        docker(&["inspect", "-f", "{{.State.Running}}", &id]).await.trim(),
        "false"
    );

    let restarted = mutate(
        &app,
        &token,
        "restartContainer",
        "RestartContainerInput",
        json!({ "id": id, "timeoutSeconds": 1 }),
        selection,
    )
    .await;
    assert_eq!(
        restarted["data"]["restartContainer"]["container"]["running"], true,
        "{restarted}"
    );

    let refused = mutate(
        &app,
        &token,
        "removeContainer",
        "RemoveContainerInput",
        json!({ "id": id }),
        "removedContainerId notice",
    )
    .await;
    assert_eq!(
        error_code(&refused),
        Some("CONFLICT"),
        "a running container needs force: {refused}"
    );
    assert!(
        refused["errors"][0]["message"].as_str().unwrap().contains("running"),
        "{refused}"
    );

    let removed = mutate(
        &app,
        &token,
        "removeContainer",
        "RemoveContainerInput",
        json!({ "id": id, "force": true }),
        "removedContainerId notice",
    )
    .await;
    assert_eq!(
        removed["data"]["removeContainer"]["removedContainerId"],
        id.as_str(),
        "{removed}"
    );
    assert!(
        removed["data"]["removeContainer"]["notice"].is_null(),
        "not an application's container"
    );
    let gone = ok(
        &app,
        &token,
        "query($id: ID!) { container(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await;
    assert!(gone["container"].is_null());
    assert!(docker_fails(&["inspect", &id]).await);
}

/// Whether the docker CLI fails with `args`.
async fn docker_fails(args: &[&str]) -> bool {
    !tokio::process::Command::new("docker")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .expect("docker runs")
        .success()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn networks_and_volumes_are_created_and_removed_and_in_use_ones_refused() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut made = Made::new();
    let network = made.name("net");
    made.network(&network);

    let created = mutate(
        &app,
        &token,
        "createNetwork",
        "CreateNetworkInput",
        json!({ "name": network }),
        "network { id name driver internal managed containers }",
    )
    .await;
    let created = &created["data"]["createNetwork"]["network"];
    assert_eq!(created["name"], network.as_str(), "{created}");
    assert_eq!(created["driver"], "bridge");
    assert_eq!(created["internal"], false);
    assert_eq!(created["managed"], true, "labelled ployer.managed=true");
    let network_id = created["id"].as_str().unwrap().to_string();
    let inspected = docker(&[
        "network",
        "inspect",
        "-f",
        "{{.Id}} {{index .Labels \"ployer.managed\"}}",
        &network,
    ])
    .await;
    assert_eq!(inspected.trim(), format!("{network_id} true"));

    let again = mutate(
        &app,
        &token,
        "createNetwork",
        "CreateNetworkInput",
        json!({ "name": network }),
        "network { id }",
    )
    .await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    assert_eq!(error_field(&again), Some("name"));

    for bad in ["a;b", "../x", "Upper", "x y", "-x", &"a".repeat(300), "$(id)"] {
        let refused = mutate(
            &app,
            &token,
            "createNetwork",
            "CreateNetworkInput",
            json!({ "name": bad }),
            "network { id }",
        )
        .await;
        assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{bad}: {refused}");
        assert_eq!(error_field(&refused), Some("name"), "{bad}");
        let refused = mutate(
            &app,
            &token,
            "createVolume",
            "CreateVolumeInput",
            json!({ "name": bad }),
            "volume { name }",
        )
        .await;
        assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{bad}: {refused}");
        assert_eq!(error_field(&refused), Some("name"), "{bad}");
    }

    // In use: refused with CONFLICT naming the container; removable once it is gone.
    let user = made.running_container("user", &["--network", &network]).await;
    let in_use = mutate(
        &app,
        &token,
        "removeNetwork",
        "RemoveNetworkInput",
        json!({ "id": network_id }),
        "removedNetworkId",
    )
    .await;
    assert_eq!(error_code(&in_use), Some("CONFLICT"), "{in_use}");
    let message = in_use["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("in use") && message.contains(&made.name("user")),
        "{message}"
    );
    assert!(!docker_fails(&["network", "inspect", &network]).await, "still there");
    docker(&["rm", "-f", &user]).await;
    let removed = mutate(
        &app,
        &token,
        "removeNetwork",
        "RemoveNetworkInput",
        json!({ "id": network }),
        "removedNetworkId",
    )
    .await;
    assert_eq!(
        removed["data"]["removeNetwork"]["removedNetworkId"],
        network_id.as_str(),
        "{removed}"
    );
    assert!(docker_fails(&["network", "inspect", &network]).await, "gone");

    let predefined = mutate(
        &app,
        &token,
        "removeNetwork",
        "RemoveNetworkInput",
        json!({ "id": "bridge" }),
        "removedNetworkId",
    )
    .await;
    assert_eq!(error_code(&predefined), Some("BAD_USER_INPUT"), "{predefined}");

    // Volumes: created labelled, refused while a container (even a stopped one) mounts it.
    let volume = made.name("vol");
    made.volume(&volume);
    let created = mutate(
        &app,
        &token,
        "createVolume",
        "CreateVolumeInput",
        json!({ "name": volume }),
        "volume { name driver managed mountpoint }",
    )
    .await;
    assert_eq!(
        created["data"]["createVolume"]["volume"]["name"],
        volume.as_str(),
        "{created}"
    );
    assert_eq!(created["data"]["createVolume"]["volume"]["managed"], true);
    assert_eq!(created["data"]["createVolume"]["volume"]["driver"], "local");
    let again = mutate(
        &app,
        &token,
        "createVolume",
        "CreateVolumeInput",
        json!({ "name": volume }),
        "volume { name }",
    )
    .await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");

    let mount = format!("{volume}:/data");
    let holder = made.created_container("holder", &["-v", &mount]).await;
    let in_use = mutate(
        &app,
        &token,
        "removeVolume",
        "RemoveVolumeInput",
        json!({ "name": volume }),
        "removedVolumeName",
    )
    .await;
    assert_eq!(error_code(&in_use), Some("CONFLICT"), "{in_use}");
    assert!(
        in_use["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&made.name("holder")),
        "{in_use}"
    );
    docker(&["rm", "-f", &holder]).await;
    let removed = mutate(
        &app,
        &token,
        "removeVolume",
        "RemoveVolumeInput",
        json!({ "name": volume }),
        "removedVolumeName",
    )
    .await;
    assert_eq!(
        removed["data"]["removeVolume"]["removedVolumeName"],
        volume.as_str(),
        "{removed}"
    );
    assert!(docker_fails(&["volume", "inspect", &volume]).await, "gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_are_not_found_and_malformed_ones_bad_input() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let unknown = format!("res-{}-missing", random_suffix(8));
    let cases = [
        (
            "startContainer",
            "StartContainerInput",
            json!({ "id": unknown }),
            "container { id }",
        ),
        (
            "stopContainer",
            "StopContainerInput",
            json!({ "id": unknown }),
            "container { id }",
        ),
        (
            "restartContainer",
            "RestartContainerInput",
            json!({ "id": unknown }),
            "container { id }",
        ),
        (
            "removeContainer",
            "RemoveContainerInput",
            json!({ "id": unknown, "force": true }),
            "removedContainerId",
        ),
        (
            "removeNetwork",
            "RemoveNetworkInput",
            json!({ "id": unknown }),
            "removedNetworkId",
        ),
        (
            "removeVolume",
            "RemoveVolumeInput",
            json!({ "name": unknown }),
            "removedVolumeName",
        ),
    ];
    for (name, input_type, input, selection) in &cases {
        let response = mutate(&app, &token, name, input_type, input.clone(), selection).await;
        assert_eq!(error_code(&response), Some("NOT_FOUND"), "{name}: {response}");
    }
    for bad in ["../../containers/x", "a/b", "x y", ".."] {
        let response = mutate(
            &app,
            &token,
            "removeContainer",
            "RemoveContainerInput",
            json!({ "id": bad }),
            "removedContainerId",
        )
        .await;
        assert_eq!(error_code(&response), Some("BAD_USER_INPUT"), "{bad}: {response}");
        let response = mutate(
            &app,
            &token,
            "removeNetwork",
            "RemoveNetworkInput",
            json!({ "id": bad }),
            "removedNetworkId",
        )
        .await;
        assert_eq!(error_code(&response), Some("BAD_USER_INPUT"), "{bad}: {response}");
        let response = app
            .graphql_as(
                &token,
                "query($id: ID!) { container(id: $id) { id } }",
                json!({ "id": bad }),
            )
            .await;
        assert_eq!(error_code(&response), Some("BAD_USER_INPUT"), "{bad}: {response}");
    }
    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe(
        "l",
        "subscription($id: ID!) { containerLogs(containerId: $id) { line } }",
        json!({ "id": unknown }),
    )
    .await;
    let error = subscription_error(&mut ws).await;
    assert_eq!(error["extensions"]["code"], "NOT_FOUND", "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_and_viewers_are_forbidden_every_docker_operation() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let made = Made::new();
    let id = made.running_container("target", &[]).await;
    let operations = [
        ("{ containers(all: true) { id } }", Value::Null),
        ("query($id: ID!) { container(id: $id) { id } }", json!({ "id": id })),
        ("{ networks { id } }", Value::Null),
        ("{ volumes { name } }", Value::Null),
        ("{ images { id } }", Value::Null),
        (
            "mutation($id: ID!) { startContainer(input: {id: $id}) { notice } }",
            json!({ "id": id }),
        ),
        (
            "mutation($id: ID!) { stopContainer(input: {id: $id}) { notice } }",
            json!({ "id": id }),
        ),
        (
            "mutation($id: ID!) { restartContainer(input: {id: $id}) { notice } }",
            json!({ "id": id }),
        ),
        (
            "mutation($id: ID!) { removeContainer(input: {id: $id, force: true}) { notice } }",
            json!({ "id": id }),
        ),
        (
            "mutation { createNetwork(input: {name: \"forbidden-net\"}) { network { id } } }",
            Value::Null,
        ),
        (
            "mutation { removeNetwork(input: {id: \"bridge\"}) { removedNetworkId } }",
            Value::Null,
        ),
        (
            "mutation { createVolume(input: {name: \"forbidden-vol\"}) { volume { name } } }",
            Value::Null,
        ),
        (
            "mutation { removeVolume(input: {name: \"forbidden-vol\"}) { removedVolumeName } }",
            Value::Null,
        ),
        (
            "mutation { pruneImages(input: {dryRun: true}) { reclaimedBytes } }",
            Value::Null,
        ),
        (
            "mutation($id: ID!) { removeImage(input: {id: $id, force: true}) { removedImageId } }",
            json!({ "id": TEST_IMAGE }),
        ),
        (
            "mutation { pullImage(input: {reference: \"127.0.0.1:1/nothing:latest\"}) { image { id } } }",
            Value::Null,
        ),
        (
            "mutation { pruneNetworks(input: {dryRun: true}) { dryRun } }",
            Value::Null,
        ),
        (
            "mutation { pruneVolumes(input: {dryRun: true}) { dryRun } }",
            Value::Null,
        ),
    ];
    for token in [&member, &viewer] {
        for (query, variables) in &operations {
            let response = app.graphql_as(token, query, variables.clone()).await;
            assert_eq!(error_code(&response), Some("FORBIDDEN"), "{query}: {response}");
        }
        for (query, variables) in [
            (
                "subscription($id: ID!) { containerLogs(containerId: $id) { line } }",
                json!({ "id": id }),
            ),
            ("subscription { dockerEvents { type action id } }", Value::Null),
        ] {
            let mut ws = app.ws().await;
            ws.init(token).await;
            ws.subscribe("s", query, variables).await;
            let error = subscription_error(&mut ws).await;
            assert_eq!(error["extensions"]["code"], "FORBIDDEN", "{query}: {error}");
        }
    }
    assert!(
        !app.state.events.docker_is_open(),
        "a refused subscription opens no engine stream"
    );
    assert!(
        !docker_fails(&["image", "inspect", TEST_IMAGE]).await,
        "the image is still there"
    );
    assert_eq!(
        docker(&["inspect", "-f", "{{.State.Running}}", &id]).await.trim(),
        "true",
        "nothing was done to the container"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_docker_engine_is_unavailable_and_the_dashboard_still_answers() {
    let socket = format!("unix:///tmp/ployer-missing-{}.sock", random_suffix(8));
    let app = spawn_app_with(|c| c.docker_socket = socket).await;
    let token = app.admin_token().await;
    let app_id = app
        .create_application(
            &token,
            json!({ "name": "offline-app", "image": "nginx:1.27", "buildStrategy": "IMAGE", "port": 80 }),
        )
        .await["data"]["createApplication"]["application"]["id"]
        .as_str()
        .expect("application created")
        .to_string();
    let operations = [
        ("{ containers { id } }", Value::Null),
        ("{ container(id: \"abc\") { id } }", Value::Null),
        ("{ networks { id } }", Value::Null),
        ("{ volumes { name } }", Value::Null),
        ("{ images { id } }", Value::Null),
        (
            "mutation { startContainer(input: {id: \"abc\"}) { notice } }",
            Value::Null,
        ),
        (
            "mutation { createNetwork(input: {name: \"offline-net\"}) { network { id } } }",
            Value::Null,
        ),
        (
            "mutation { removeVolume(input: {name: \"offline-vol\"}) { removedVolumeName } }",
            Value::Null,
        ),
        ("mutation { pruneImages(input: {}) { reclaimedBytes } }", Value::Null),
        (
            "mutation { removeImage(input: {id: \"busybox:latest\"}) { removedImageId } }",
            Value::Null,
        ),
        (
            "mutation { pullImage(input: {reference: \"127.0.0.1:1/nothing\"}) { image { id } } }",
            Value::Null,
        ),
        ("mutation { pruneNetworks(input: {}) { dryRun } }", Value::Null),
        ("mutation { pruneVolumes(input: {}) { dryRun } }", Value::Null),
    ];
    for (query, variables) in &operations {
        let response = app.graphql_as(&token, query, variables.clone()).await;
        assert_eq!(error_code(&response), Some("UNAVAILABLE"), "{query}: {response}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("Docker is unavailable"), "{message}");
    }
    for (query, variables) in [
        (
            "subscription { containerLogs(containerId: \"abc\") { line } }",
            Value::Null,
        ),
        (
            "subscription($id: ID!) { applicationLogs(applicationId: $id) { line } }",
            json!({ "id": app_id }),
        ),
        ("subscription { dockerEvents { type } }", Value::Null),
    ] {
        let mut ws = app.ws().await;
        ws.init(&token).await;
        ws.subscribe("s", query, variables).await;
        let error = subscription_error(&mut ws).await;
        assert_eq!(error["extensions"]["code"], "UNAVAILABLE", "{query}: {error}");
    }
    let dashboard = ok(
        &app,
        &token,
        "{ dashboard { applications { total created } server { resources { dockerReachable } } } }",
        Value::Null,
    )
    .await;
    assert_eq!(dashboard["dashboard"]["applications"]["total"], 1, "{dashboard}");
    assert_eq!(dashboard["dashboard"]["server"]["resources"]["dockerReachable"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pruning_removes_unused_images_but_never_used_or_kept_ones() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let made = Made::new();
    let unused = made.image("unused").await;
    let used = made.image("used").await;
    let kept = made.image("kept").await;
    let used_tag = format!("res-{}/used:v1", made.suffix);
    let kept_tag = format!("res-{}/kept:v1", made.suffix);
    let label = made.label();
    let name = made.name("user");
    docker(&["create", "--name", &name, "--label", &label, &used_tag, "true"]).await;

    // An application with an earlier deployment of the `kept` image: a rollback target
    // within `keep_images` (superseded, so the reconciler leaves it alone).
    let app_id = app
        .create_application(
            &token,
            json!({ "name": format!("prune-{}", made.suffix), "image": kept_tag, "buildStrategy": "IMAGE", "port": 8080 }),
        )
        .await["data"]["createApplication"]["application"]["id"]
        .as_str()
        .expect("application created")
        .to_string();
    let now = Utc::now();
    deployments::ActiveModel {
        id: Set(format!("prune-deployment-{}", made.suffix)),
        application_id: Set(app_id.clone()),
        status: Set(deployments::DeploymentStatus::Superseded),
        trigger: Set(deployments::Trigger::Manual),
        commit_sha: Set(None),
        commit_message: Set(None),
        commit_author: Set(None),
        image_tag: Set(Some(kept_tag.clone())),
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
        created_at: Set(now),
        started_at: Set(Some(now)),
        finished_at: Set(Some(now)),
        updated_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .expect("deployment row");

    let listed = ok(&app, &token, "{ images { id kept containers } }", Value::Null).await;
    let find = |id: &str| {
        listed["images"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("image {id} listed"))
    };
    assert_eq!(find(&kept)["kept"], true);
    assert_eq!(find(&unused)["kept"], false);
    assert_eq!(find(&used)["containers"], 1);

    let selection = "removedImages { id } skippedImages { image { id kept } reason } reclaimedBytes dryRun";
    let bad = mutate(
        &app,
        &token,
        "pruneImages",
        "PruneImagesInput",
        json!({ "label": "a=$(id)" }),
        selection,
    )
    .await;
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"), "{bad}");
    assert_eq!(error_field(&bad), Some("label"));

    let dry = mutate(
        &app,
        &token,
        "pruneImages",
        "PruneImagesInput",
        json!({ "label": label, "dryRun": true }),
        selection,
    )
    .await;
    let dry = &dry["data"]["pruneImages"];
    assert_eq!(dry["dryRun"], true, "{dry}");
    assert_eq!(dry["removedImages"], json!([{ "id": unused }]), "{dry}");
    assert_eq!(
        dry["skippedImages"][0]["image"],
        json!({ "id": kept, "kept": true }),
        "{dry}"
    );
    assert!(dry["reclaimedBytes"].as_i64().unwrap() > 0);
    assert!(
        !docker_fails(&["image", "inspect", &unused]).await,
        "a dry run removes nothing"
    );

    let pruned = mutate(
        &app,
        &token,
        "pruneImages",
        "PruneImagesInput",
        json!({ "label": label }),
        selection,
    )
    .await;
    assert_eq!(
        pruned["data"]["pruneImages"]["removedImages"],
        json!([{ "id": unused }]),
        "{pruned}"
    );
    assert!(
        docker_fails(&["image", "inspect", &unused]).await,
        "the unused image is gone"
    );
    assert!(
        !docker_fails(&["image", "inspect", &used]).await,
        "an image a container uses stays"
    );
    assert!(
        !docker_fails(&["image", "inspect", &kept]).await,
        "the active deployment's image stays"
    );
}

/// The `name`s of a prune payload's list at `key` (under `item` for skipped entries).
fn pruned_names(payload: &Value, key: &str, item: Option<&str>) -> Vec<String> {
    sorted(
        payload[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {payload}"))
            .iter()
            .map(|entry| {
                let entry = item.map_or(entry, |item| &entry[item]);
                entry["name"].as_str().unwrap().to_string()
            })
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pruning_networks_and_volumes_removes_unused_ones_but_never_used_ones_or_an_applications() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let made = Made::new();
    let label = made.label();
    let app_id = app
        .create_application(
            &token,
            json!({ "name": format!("keeps-{}", made.suffix), "image": TEST_IMAGE, "buildStrategy": "IMAGE", "port": 8080 }),
        )
        .await["data"]["createApplication"]["application"]["id"]
        .as_str()
        .expect("application created")
        .to_string();
    let of_app = format!("ployer.app={app_id}");
    let of_gone_app = "ployer.app=00000000-0000-0000-0000-000000000000";

    // Unused, used by a (stopped) container, of an application Ployer has, of one it no
    // longer has: as networks and as volumes, every one with this test's label.
    let [unused, used, kept, orphan] = ["unused", "used", "kept", "orphan"].map(|what| made.name(what));
    for (name, extra) in [
        (&unused, None),
        (&used, None),
        (&kept, Some(of_app.as_str())),
        (&orphan, Some(of_gone_app)),
    ] {
        let mut network = vec!["network", "create", "--label", &label];
        let mut volume = vec!["volume", "create", "--label", &label];
        if let Some(extra) = extra {
            network.extend(["--label", extra]);
            volume.extend(["--label", extra]);
        }
        network.push(name);
        volume.push(name);
        docker(&network).await;
        docker(&volume).await;
    }
    made.created_container("user", &["--network", &used, "-v", &format!("{used}:/data")])
        .await;

    for (name, input_type) in [
        ("pruneNetworks", "PruneNetworksInput"),
        ("pruneVolumes", "PruneVolumesInput"),
    ] {
        let bad = mutate(&app, &token, name, input_type, json!({ "label": "a=$(id)" }), "dryRun").await;
        assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"), "{bad}");
        assert_eq!(error_field(&bad), Some("label"));
    }

    // Dry runs: the unused and the deleted application's would go, the application's is
    // named with its reason, the used one is not a candidate; nothing is removed.
    let dry = mutate(
        &app,
        &token,
        "pruneNetworks",
        "PruneNetworksInput",
        json!({ "label": label, "dryRun": true }),
        "removedNetworks { name } skippedNetworks { network { name } reason } dryRun",
    )
    .await;
    let dry = &dry["data"]["pruneNetworks"];
    assert_eq!(dry["dryRun"], true, "{dry}");
    assert_eq!(
        pruned_names(dry, "removedNetworks", None),
        sorted(vec![unused.clone(), orphan.clone()])
    );
    assert_eq!(
        pruned_names(dry, "skippedNetworks", Some("network")),
        vec![kept.clone()]
    );
    let reason = dry["skippedNetworks"][0]["reason"].as_str().unwrap();
    assert!(reason.contains(&format!("keeps-{}", made.suffix)), "{reason}");
    let dry = mutate(
        &app,
        &token,
        "pruneVolumes",
        "PruneVolumesInput",
        json!({ "label": label, "dryRun": true }),
        "removedVolumes { name } skippedVolumes { volume { name } reason } dryRun",
    )
    .await;
    let dry = &dry["data"]["pruneVolumes"];
    assert_eq!(dry["dryRun"], true, "{dry}");
    assert_eq!(
        pruned_names(dry, "removedVolumes", None),
        sorted(vec![unused.clone(), orphan.clone()])
    );
    assert_eq!(pruned_names(dry, "skippedVolumes", Some("volume")), vec![kept.clone()]);
    for name in [&unused, &used, &kept, &orphan] {
        assert!(
            !docker_fails(&["network", "inspect", name]).await,
            "a dry run removes no network ({name})"
        );
        assert!(
            !docker_fails(&["volume", "inspect", name]).await,
            "a dry run removes no volume ({name})"
        );
    }

    // The real prunes remove exactly what the dry runs named.
    let pruned = mutate(
        &app,
        &token,
        "pruneNetworks",
        "PruneNetworksInput",
        json!({ "label": label }),
        "removedNetworks { name } dryRun",
    )
    .await;
    let pruned = &pruned["data"]["pruneNetworks"];
    assert_eq!(pruned["dryRun"], false, "{pruned}");
    assert_eq!(
        pruned_names(pruned, "removedNetworks", None),
        sorted(vec![unused.clone(), orphan.clone()])
    );
    let pruned = mutate(
        &app,
        &token,
        "pruneVolumes",
        "PruneVolumesInput",
        json!({ "label": label }),
        "removedVolumes { name } dryRun",
    )
    .await;
    assert_eq!(
        pruned_names(&pruned["data"]["pruneVolumes"], "removedVolumes", None),
        sorted(vec![unused.clone(), orphan.clone()]),
        "{pruned}"
    );
    for name in [&unused, &orphan] {
        assert!(
            docker_fails(&["network", "inspect", name]).await,
            "network {name} is gone"
        );
        assert!(
            docker_fails(&["volume", "inspect", name]).await,
            "volume {name} is gone"
        );
    }
    for name in [&used, &kept] {
        assert!(
            !docker_fails(&["network", "inspect", name]).await,
            "network {name} stays"
        );
        assert!(!docker_fails(&["volume", "inspect", name]).await, "volume {name} stays");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn managed_containers_show_their_application_and_the_reconciler_brings_the_active_one_back() {
    let stack = Stack::start().await;
    let deployment = stack.deploy_running("v1").await;
    let containers = stack.containers_of(&deployment).await;
    assert_eq!(containers.len(), 1, "{containers:?}");
    let container = containers[0].clone();

    let listed = ok(
        &stack.app,
        &stack.token,
        "{ containers(managedOnly: true) { id managed isActive application { id name } deployment { id status } ports { containerPort hostIp hostPort } } }",
        Value::Null,
    )
    .await;
    let ours = listed["containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == container.as_str())
        .unwrap_or_else(|| panic!("the deployment's container is listed: {listed}"))
        .clone();
    assert_eq!(ours["managed"], true);
    assert_eq!(ours["isActive"], true);
    assert_eq!(ours["application"], json!({ "id": stack.app_id, "name": stack.name }));
    assert_eq!(ours["deployment"], json!({ "id": deployment, "status": "RUNNING" }));
    assert_eq!(ours["ports"][0]["containerPort"], 8080);
    assert_eq!(ours["ports"][0]["hostIp"], "127.0.0.1");
    assert!(
        listed["containers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["managed"] == true),
        "managedOnly lists only Ployer's containers"
    );

    let figures = ok(
        &stack.app,
        &stack.token,
        "{ dashboard { applications { total running } deploymentsLastDay { succeeded } recentDeployments { id }
           server { resources { dockerReachable } } } }",
        Value::Null,
    )
    .await;
    let figures = &figures["dashboard"];
    assert_eq!(
        figures["applications"],
        json!({ "total": 1, "running": 1 }),
        "{figures}"
    );
    assert_eq!(figures["deploymentsLastDay"]["succeeded"], 1);
    assert_eq!(figures["recentDeployments"], json!([{ "id": deployment }]));
    assert_eq!(figures["server"]["resources"]["dockerReachable"], true);

    let removed = mutate(
        &stack.app,
        &stack.token,
        "removeContainer",
        "RemoveContainerInput",
        json!({ "id": container, "force": true }),
        "removedContainerId notice",
    )
    .await;
    assert_eq!(
        removed["data"]["removeContainer"]["removedContainerId"],
        container.as_str(),
        "{removed}"
    );
    let notice = removed["data"]["removeContainer"]["notice"].as_str().expect("a notice");
    assert!(
        notice.contains("reconciler") && notice.contains(&stack.name),
        "{notice}"
    );

    stack
        .wait_until_serves("/", "version v1", Duration::from_secs(15))
        .await;
    let again = stack.containers_of(&deployment).await;
    assert_eq!(again.len(), 1, "{again:?}");
    assert_ne!(again[0], container, "a new container for the same deployment");
}

/// The `dockerEvents` payloads of subscription `id` on `ws`, read until one satisfies
/// `wanted` (within 20 s): that one, and those before it.
async fn event_where(ws: &mut WsClient, id: &str, wanted: impl Fn(&Value) -> bool) -> (Value, Vec<Value>) {
    let mut before = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        assert!(!left.is_zero(), "no such event within 20 s; saw {before:?}");
        match ws.next_within(left).await {
            WsEvent::Message(message) if message["type"] == "next" && message["id"] == id => {
                assert!(message["payload"]["errors"].is_null(), "{message}");
                let event = message["payload"]["data"]["dockerEvents"].clone();
                if wanted(&event) {
                    return (event, before);
                }
                before.push(event);
            }
            WsEvent::Message(message) if message["type"] == "error" => panic!("subscription failed: {message}"),
            WsEvent::Message(_) => continue,
            WsEvent::Closed(code) => panic!("the socket closed ({code:?}); saw {before:?}"),
        }
    }
}

/// Whether `event` is `action` on the object of type `kind` named `name` (its name, or its
/// id for a volume).
fn is(event: &Value, kind: &str, action: &str, name: &str) -> bool {
    event["type"] == kind && event["action"] == action && (event["name"] == name || event["id"] == name)
}

const EVENTS: &str =
    "subscription($types: [DockerObjectType!]) { dockerEvents(types: $types) { type action id name time } }";

/// Waits until the server has opened its engine event stream (a subscription is live).
async fn until_events_open(app: &TestApp, open: bool) {
    for _ in 0..100 {
        if app.state.events.docker_is_open() == open {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the engine event stream is {} after 5 s",
        if open { "closed" } else { "still open" }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docker_events_report_what_the_cli_does_and_one_engine_stream_serves_every_subscriber() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let made = Made::new();
    let label = made.label();
    assert!(!app.state.events.docker_is_open(), "no stream while nobody listens");

    let mut everything = app.ws().await;
    everything.init(&token).await;
    everything.subscribe("all", EVENTS, json!({})).await;
    let mut volumes_only = app.ws().await;
    volumes_only.init(&token).await;
    volumes_only
        .subscribe("vol", EVENTS, json!({ "types": ["VOLUME"] }))
        .await;
    until_events_open(&app, true).await;

    // A container's life as the CLI lives it, with a shell run in it on the way.
    let name = made.name("evt");
    let id = made.running_container("evt", &[]).await;
    docker(&["exec", &id, "true"]).await;
    docker(&["stop", "-t", "1", &id]).await;
    let volume = made.name("evt-vol");
    docker(&["volume", "create", "--label", &label, &volume]).await;
    let network = made.name("evt-net");
    docker(&["network", "create", "--label", &label, &network]).await;
    docker(&["rm", &id]).await;

    let (created, _) = event_where(&mut everything, "all", |e| is(e, "CONTAINER", "create", &name)).await;
    assert_eq!(created["id"], id.as_str(), "{created}");
    assert!(
        chrono::DateTime::parse_from_rfc3339(created["time"].as_str().unwrap()).is_ok(),
        "{created}"
    );
    let (_, between) = event_where(&mut everything, "all", |e| is(e, "CONTAINER", "die", &name)).await;
    let actions: Vec<&str> = between
        .iter()
        .filter(|e| e["id"] == id.as_str())
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"start"), "{actions:?}");
    assert!(
        actions.iter().all(|a| !a.starts_with("exec")),
        "a shell run in it changes no list: {actions:?}"
    );
    event_where(&mut everything, "all", |e| is(e, "VOLUME", "create", &volume)).await;
    event_where(&mut everything, "all", |e| is(e, "NETWORK", "create", &network)).await;
    event_where(&mut everything, "all", |e| is(e, "CONTAINER", "destroy", &name)).await;

    // The second subscriber saw the volume, and only volumes.
    let (_, before) = event_where(&mut volumes_only, "vol", |e| is(e, "VOLUME", "create", &volume)).await;
    assert!(before.iter().all(|e| e["type"] == "VOLUME"), "{before:?}");

    // Both gone: the engine stream closes.
    drop(everything);
    assert!(app.state.events.docker_is_open(), "one subscriber is left");
    drop(volumes_only);
    until_events_open(&app, false).await;

    // An empty list of types is a mistake, not a subscription to nothing.
    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe("none", EVENTS, json!({ "types": [] })).await;
    let error = subscription_error(&mut ws).await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
    assert_eq!(error["extensions"]["field"], "types", "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_docker_event_stream_opens_again_after_the_engine_connection_breaks_and_misses_nothing() {
    let proxy = EngineProxy::start().await;
    let app = spawn_app_with(|c| c.docker_socket = proxy.url()).await;
    let token = app.admin_token().await;
    let made = Made::new();
    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe("c", EVENTS, json!({ "types": ["CONTAINER"] })).await;
    until_events_open(&app, true).await;

    let first = made.name("before");
    made.created_container("before", &[]).await;
    event_where(&mut ws, "c", |e| is(e, "CONTAINER", "create", &first)).await;

    // The engine connection breaks and cannot be made again for a while; a container is
    // created meanwhile.
    proxy.refuse(true);
    proxy.cut();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = made.name("during");
    made.created_container("during", &[]).await;
    // Other tests share the engine: their events from before the break may still be on
    // their way, but not this one.
    let quiet_until = tokio::time::Instant::now() + Duration::from_millis(1500);
    while let Ok(event) = tokio::time::timeout_at(quiet_until, ws.next_within(Duration::from_secs(60))).await {
        if let WsEvent::Message(message) = event {
            let event = &message["payload"]["data"]["dockerEvents"];
            assert!(
                !is(event, "CONTAINER", "create", &second),
                "nothing arrives while the engine cannot be reached: {event}"
            );
        }
    }
    proxy.refuse(false);

    let (_, before) = event_where(&mut ws, "c", |e| is(e, "CONTAINER", "create", &second)).await;
    assert!(
        !before.iter().any(|e| is(e, "CONTAINER", "create", &first)),
        "what came before the break is not repeated: {before:?}"
    );
    // And it keeps following.
    let third = made.name("after");
    made.created_container("after", &[]).await;
    event_where(&mut ws, "c", |e| is(e, "CONTAINER", "create", &third)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn volume_sizes_come_from_one_disk_usage_call_and_only_when_asked_for() {
    let proxy = EngineProxy::start().await;
    let app = spawn_app_with(|c| c.docker_socket = proxy.url()).await;
    let token = app.admin_token().await;
    let mut made = Made::new();
    let label = made.label();
    let full = made.name("full");
    let empty = made.name("empty");
    docker(&["volume", "create", "--label", &label, &full]).await;
    docker(&["volume", "create", "--label", &label, &empty]).await;
    let mount = format!("{full}:/data");
    docker(&[
        "run",
        "--rm",
        "--label",
        &label,
        "-v",
        &mount,
        TEST_IMAGE,
        "sh",
        "-c",
        "printf '%1048576s' x > /data/mib",
    ])
    .await;
    const DF: &str = "GET /v1.41/system/df";

    let without = ok(&app, &token, "{ volumes { name containers } }", Value::Null).await;
    assert!(without["volumes"].as_array().unwrap().len() >= 2, "{without}");
    assert_eq!(proxy.requests(DF), 0, "no size asked for, no disk-usage call");

    let with = ok(
        &app,
        &token,
        "{ volumes { name ...sized } } fragment sized on DockerVolume { sizeBytes }",
        Value::Null,
    )
    .await;
    assert_eq!(proxy.requests(DF), 1, "one call for every volume");
    let size = |name: &str| {
        with["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed: {with}"))["sizeBytes"]
            .clone()
    };
    let full_size = size(&full).as_i64().expect("a local volume has a size");
    assert!(
        (1_048_576..2_000_000).contains(&full_size),
        "the MiB written into it: {full_size}"
    );
    assert_eq!(size(&empty), 0);

    // A volume created and a dry-run prune answer with sizes when asked.
    let created = made.name("new");
    made.volume(&created);
    let response = mutate(
        &app,
        &token,
        "createVolume",
        "CreateVolumeInput",
        json!({ "name": created }),
        "volume { name sizeBytes }",
    )
    .await;
    assert_eq!(
        response["data"]["createVolume"]["volume"],
        json!({ "name": created, "sizeBytes": 0 }),
        "{response}"
    );
    let dry = mutate(
        &app,
        &token,
        "pruneVolumes",
        "PruneVolumesInput",
        json!({ "label": label, "dryRun": true }),
        "removedVolumes { name sizeBytes }",
    )
    .await;
    let removed = dry["data"]["pruneVolumes"]["removedVolumes"]
        .as_array()
        .expect("a dry run")
        .clone();
    let full_row = removed
        .iter()
        .find(|v| v["name"] == full.as_str())
        .expect("the unused full volume");
    assert_eq!(full_row["sizeBytes"], full_size, "{dry}");
    assert_eq!(proxy.requests(DF), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_an_image_is_refused_while_containers_use_it_or_a_deployment_keeps_it() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let made = Made::new();
    let label = made.label();
    let tag = |what: &str| format!("res-{}/{what}:v1", made.suffix);
    let free = made.image("free").await;
    let stopped = made.image("stopped").await;
    let running = made.image("running").await;
    let kept = made.image("kept").await;
    // A second name for the free image: removing it by id takes both.
    let second = format!("res-{}/free:second", made.suffix);
    docker(&["tag", &tag("free"), &second]).await;
    let stopped_user = made.name("stopped-user");
    docker(&[
        "create",
        "--name",
        &stopped_user,
        "--label",
        &label,
        &tag("stopped"),
        "true",
    ])
    .await;
    let running_user = made.name("running-user");
    docker(&[
        "run",
        "-d",
        "--name",
        &running_user,
        "--label",
        &label,
        &tag("running"),
        "sh",
        "-c",
        "trap 'exit 0' TERM; sleep 600 & wait",
    ])
    .await;
    let app_name = format!("keep-{}", made.suffix);
    let app_id = app
        .create_application(
            &token,
            json!({ "name": app_name, "image": tag("kept"), "buildStrategy": "IMAGE", "port": 8080 }),
        )
        .await["data"]["createApplication"]["application"]["id"]
        .as_str()
        .expect("application created")
        .to_string();
    let now = Utc::now();
    deployments::ActiveModel {
        id: Set(format!("keep-deployment-{}", made.suffix)),
        application_id: Set(app_id),
        status: Set(deployments::DeploymentStatus::Superseded),
        trigger: Set(deployments::Trigger::Manual),
        commit_sha: Set(None),
        commit_message: Set(None),
        commit_author: Set(None),
        image_tag: Set(Some(tag("kept"))),
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
        created_at: Set(now),
        started_at: Set(Some(now)),
        finished_at: Set(Some(now)),
        updated_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .expect("deployment row");
    let remove = |id: &str, force: bool| {
        mutate(
            &app,
            &token,
            "removeImage",
            "RemoveImageInput",
            json!({ "id": id, "force": force }),
            "removedImageId untagged deleted",
        )
    };

    // Used by a stopped container: refused naming it, then removed with force.
    let refused = remove(&tag("stopped"), false).await;
    assert_eq!(error_code(&refused), Some("CONFLICT"), "{refused}");
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(&stopped_user) && message.contains("force"),
        "{message}"
    );
    assert!(!docker_fails(&["image", "inspect", &stopped]).await, "still there");
    let forced = remove(&tag("stopped"), true).await;
    assert_eq!(
        forced["data"]["removeImage"]["removedImageId"],
        stopped.as_str(),
        "{forced}"
    );
    assert_eq!(forced["data"]["removeImage"]["deleted"], true);
    assert!(docker_fails(&["image", "inspect", &stopped]).await, "gone");
    assert!(!docker_fails(&["inspect", &stopped_user]).await, "the container stays");

    // Used by a running container: refused, force or not.
    for force in [false, true] {
        let refused = remove(&running, force).await;
        assert_eq!(error_code(&refused), Some("CONFLICT"), "{refused}");
        let message = refused["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains(&running_user) && message.contains("running"),
            "{message}"
        );
    }
    assert!(!docker_fails(&["image", "inspect", &running]).await);

    // A rollback target of an application: refused, naming it, force or not.
    for force in [false, true] {
        let refused = remove(&kept, force).await;
        assert_eq!(error_code(&refused), Some("CONFLICT"), "{refused}");
        let message = refused["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("kept") && message.contains(&app_name), "{message}");
    }
    assert!(!docker_fails(&["image", "inspect", &kept]).await);

    // Unused, with two names: by its short id, both names go and so does the image.
    let short = free.trim_start_matches("sha256:")[..12].to_string();
    let removed = remove(&short, false).await;
    let payload = &removed["data"]["removeImage"];
    assert_eq!(payload["removedImageId"], free.as_str(), "{removed}");
    assert_eq!(payload["deleted"], true);
    assert_eq!(
        sorted(
            payload["untagged"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect()
        ),
        sorted(vec![tag("free"), second.clone()])
    );
    assert!(docker_fails(&["image", "inspect", &free]).await);

    // Unknown and malformed references.
    let unknown = remove(&format!("res-{}/nothing:v1", made.suffix), false).await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");
    let unknown = remove(&format!("sha256:{}", "0".repeat(64)), true).await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");
    for bad in ["a b", "../../images/x", "$(id)", "-x", "Upper:v1", ""] {
        let refused = remove(bad, false).await;
        assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{bad}: {refused}");
        assert_eq!(error_field(&refused), Some("id"), "{bad}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulling_an_image_from_an_unreachable_registry_fails_with_the_engines_reason() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let pull = |reference: &str| {
        mutate(
            &app,
            &token,
            "pullImage",
            "PullImageInput",
            json!({ "reference": reference }),
            "image { id tags kept }",
        )
    };
    // Nothing listens on port 1 of the loopback: no traffic leaves this machine.
    for (reference, pulled) in [
        ("127.0.0.1:1/nothing:latest", "127.0.0.1:1/nothing:latest"),
        ("127.0.0.1:1/nothing", "127.0.0.1:1/nothing:latest"),
    ] {
        let failed = pull(reference).await;
        assert_eq!(error_code(&failed), Some("UNAVAILABLE"), "{failed}");
        let message = failed["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(pulled), "names what was pulled: {message}");
        assert!(message.contains("connection refused"), "the engine's reason: {message}");
        assert!(docker_fails(&["image", "inspect", pulled]).await, "nothing was pulled");
    }
    for bad in ["Nginx", "a b", "nginx;id", "$(id)", "-x", "nginx:", "", "a//b"] {
        let refused = pull(bad).await;
        assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{bad}: {refused}");
        assert_eq!(error_field(&refused), Some("reference"), "{bad}");
    }
}
