//! Docker Swarm clusters against the lab's real hosts (its fourth to sixth: engines of their
//! own in network namespaces, which no other test uses): a cluster made from three servers,
//! an application with 2 replicas on two different nodes, each response naming its node;
//! a redeploy under load without a failed request; a node drained and a node's engine stopped
//! while requests go on (the lost task rescheduled and the edge's pool following it); the
//! application and the cluster removed with nothing left on any node. Bad input to every
//! cluster mutation is refused with a clear error and changes nothing.

use std::{
    collections::BTreeSet,
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use crate::fixtures::{proxy_client, Stack};
use crate::remote_apps::{add_server, lab, lab_docker, wait_served};
use crate::remote_servers::{lab_hosts, LabHost};

/// The lab hosts this file uses: no other test touches them.
const FIRST_HOST: usize = 3;

/// A mutation taking `$i` of `input_type`.
trait Mutation {
    async fn mutation(&self, input_type: &str, body: &str, input: Value) -> Value;
}

impl Mutation for Stack {
    async fn mutation(&self, input_type: &str, body: &str, input: Value) -> Value {
        let query = format!("mutation($i: {input_type}!) {{ {body} }}");
        self.app.graphql_as(&self.token, &query, json!({ "i": input })).await
    }
}

async fn gql(stack: &Stack, query: &str, variables: Value) -> Value {
    stack.app.graphql_as(&stack.token, query, variables).await
}

fn code(r: &Value) -> Option<&str> {
    ployer_tests::error_code(r)
}

const NODES: &str = "query($id: ID!) { cluster(id: $id) { nodes { id address state availability role labels { key value } server { id name } } members { id } } }";

async fn nodes(stack: &Stack, cluster: &str) -> Vec<Value> {
    let r = gql(stack, NODES, json!({ "id": cluster })).await;
    r["data"]["cluster"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .clone()
}

const TASKS: &str =
    "query($id: ID!) { application(id: $id) { tasks { id nodeId nodeAddress state desiredState port } } }";

/// The running tasks of the application's active service, as (node id, node address).
async fn running_tasks(stack: &Stack) -> Vec<(String, String)> {
    let r = gql(stack, TASKS, json!({ "id": stack.app_id })).await;
    r["data"]["application"]["tasks"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .filter(|t| t["state"] == "running" && t["desiredState"] == "running")
        .map(|t| {
            (
                t["nodeId"].as_str().unwrap().to_string(),
                t["nodeAddress"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The node ids that answered `count` requests through the edge (`/cgi-bin/node` names the
/// node its task runs on).
async fn answering_nodes(stack: &Stack, base: &str, count: usize) -> BTreeSet<String> {
    let client = proxy_client();
    let mut nodes = BTreeSet::new();
    for _ in 0..count {
        if let Ok((200, body)) =
            ployer_test_support::caddy::get_through(&client, base, &stack.host(), "/cgi-bin/node").await
        {
            nodes.insert(body.trim().to_string());
        }
    }
    nodes
}

/// Waits until the application has `want` running tasks, none on `avoid`; their nodes.
async fn wait_tasks_avoiding(stack: &Stack, want: usize, avoid: &str, timeout: Duration) -> Vec<(String, String)> {
    let started = Instant::now();
    loop {
        let tasks = running_tasks(stack).await;
        if tasks.len() == want && tasks.iter().all(|(node, _)| node != avoid) {
            return tasks;
        }
        assert!(
            started.elapsed() < timeout,
            "no {want} running tasks off {avoid} after {timeout:?}: {tasks:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Waits until every slot of the edge's pool for the application names one of `addresses`'
/// nodes (the route followed the tasks).
async fn wait_pool_on(stack: &Stack, edge: &LabHost, nodes: &[String], timeout: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let files = lab_ssh_cat_pool(edge, &stack.app_id).await;
        if !files.is_empty()
            && files
                .iter()
                .all(|addr| nodes.iter().any(|n| addr.starts_with(&format!("{n}:"))))
        {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < timeout,
            "the pool still names {files:?}, not only {nodes:?}, after {timeout:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What the slots of the application's pool on the edge name (read through the edge's Caddy
/// container, which mounts the files' directory at its own path).
async fn lab_ssh_cat_pool(edge: &LabHost, app_id: &str) -> Vec<String> {
    let dir = lab_docker(
        edge,
        &[
            "inspect",
            "--format",
            "{{range .Mounts}}{{if eq .Type \"bind\"}}{{.Source}}{{end}}{{end}}",
            "ployer-caddy",
        ],
    )
    .await;
    let dir = dir.trim();
    let out = lab_docker(
        edge,
        &[
            "exec",
            "ployer-caddy",
            "sh",
            "-c",
            &format!("cat {dir}/ployer-app-{app_id} {dir}/ployer-app-{app_id}.* 2>/dev/null"),
        ],
    )
    .await;
    out.lines().map(str::to_string).filter(|l| !l.is_empty()).collect()
}

/// A registry (Debian's `docker-registry`, with basic auth) on the machine's lab address, which
/// the lab's engines take over plain HTTP; stopped on drop.
struct LabRegistry {
    child: tokio::process::Child,
    _dir: tempfile::TempDir,
    url: String,
}

impl Drop for LabRegistry {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

const REGISTRY_USER: &str = "ployer";
const REGISTRY_PASSWORD: &str = "registry-Secret-42";

async fn start_registry(lab_address: &str) -> LabRegistry {
    let machine = format!("{}.1", lab_address.rsplit_once('.').expect("an IPv4 lab address").0);
    let port = std::net::TcpListener::bind((machine.as_str(), 0))
        .expect("a free port on the lab address")
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let htpasswd = tokio::process::Command::new("htpasswd")
        .args(["-Bbn", REGISTRY_USER, REGISTRY_PASSWORD])
        .output()
        .await
        .expect("htpasswd (apache2-utils, which scripts/setup.sh installs)");
    assert!(htpasswd.status.success());
    std::fs::write(dir.path().join("htpasswd"), &htpasswd.stdout).unwrap();
    let config = format!(
        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {root}\nhttp:\n  addr: {machine}:{port}\nauth:\n  htpasswd:\n    realm: ployer-test\n    path: {htpasswd}\n",
        root = dir.path().join("data").display(),
        htpasswd = dir.path().join("htpasswd").display(),
    );
    std::fs::write(dir.path().join("config.yml"), config).unwrap();
    let child = tokio::process::Command::new("docker-registry")
        .arg("serve")
        .arg(dir.path().join("config.yml"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("docker-registry (Debian's, which scripts/setup.sh installs)");
    let url = format!("{machine}:{port}");
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let started = Instant::now();
    loop {
        if let Ok(response) = client.get(format!("http://{url}/v2/")).send().await {
            assert_eq!(response.status(), 401, "the registry asks for credentials");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the registry does not answer"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    LabRegistry { child, _dir: dir, url }
}

#[tokio::test]
async fn a_replicated_application_on_a_cluster_deploys_survives_a_lost_node_and_is_removed() {
    let hosts = lab_hosts();
    assert!(
        hosts.len() >= FIRST_HOST + 3,
        "the cluster test needs {} lab hosts (scripts/lab.sh up 6)",
        FIRST_HOST + 3
    );
    let lab_hosts = &hosts[FIRST_HOST..FIRST_HOST + 3];
    // These hosts are this test's alone: what a failed earlier run left goes first.
    for host in lab_hosts {
        lab_docker(host, &["swarm", "leave", "--force"]).await;
    }
    let stack = Stack::start_with(|c| {
        c.edge_image = "ployer-test/caddy:latest".into();
        c.edge_https_port = 0;
        c.stats_interval_seconds = 1;
        c.server_check_interval_seconds = 2;
    })
    .await;
    let mut servers = Vec::new();
    for (i, host) in lab_hosts.iter().enumerate() {
        servers.push(add_server(&stack, &format!("node{}", i + 1), host).await);
    }
    let edge = &lab_hosts[0];
    let base = format!("http://{}", edge.address);

    // Bad input first: nothing is made.
    let r = gql(
        &stack,
        "mutation($i: CreateClusterInput!) { createCluster(input: $i) { cluster { id } } }",
        json!({ "i": { "name": "Bad Name", "managerServerId": servers[0] } }),
    )
    .await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
    let r = gql(
        &stack,
        "mutation($i: CreateClusterInput!) { createCluster(input: $i) { cluster { id } } }",
        json!({ "i": { "name": "lab", "managerServerId": servers[0], "workerServerIds": [servers[0]] } }),
    )
    .await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(ployer_tests::error_field(&r), Some("workerServerIds"), "{r}");
    let r = gql(
        &stack,
        "mutation($i: CreateClusterInput!) { createCluster(input: $i) { cluster { id } } }",
        json!({ "i": { "name": "lab", "managerServerId": "no-such-server" } }),
    )
    .await;
    assert_eq!(ployer_tests::error_field(&r), Some("managerServerId"), "{r}");
    for host in lab_hosts {
        assert_eq!(
            lab_docker(host, &["info", "--format", "{{.Swarm.LocalNodeState}}"])
                .await
                .trim(),
            "inactive",
            "a refused cluster changed no engine"
        );
    }

    let r = gql(
        &stack,
        "mutation($i: CreateClusterInput!) { createCluster(input: $i) { cluster { id } } }",
        json!({ "i": { "name": "lab", "managerServerId": servers[0], "workerServerIds": [servers[1]], "buildServerId": servers[2] } }),
    )
    .await;
    assert_eq!(
        ployer_tests::error_field(&r),
        Some("buildServerId"),
        "not a member: {r}"
    );

    // The cluster: node1 manages (and is the edge), node2 and node3 join as workers; node2
    // builds the images.
    let r = gql(
        &stack,
        "mutation($i: CreateClusterInput!) { createCluster(input: $i) { cluster { id name swarmId manager { id } edge { id } build { id } } } }",
        json!({ "i": { "name": "lab", "managerServerId": servers[0], "workerServerIds": [servers[1], servers[2]], "buildServerId": servers[1] } }),
    )
    .await;
    assert_eq!(r["data"]["createCluster"]["cluster"]["build"]["id"], servers[1], "{r}");
    let cluster = r["data"]["createCluster"]["cluster"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    assert_eq!(r["data"]["createCluster"]["cluster"]["edge"]["id"], servers[0]);
    let listed = nodes(&stack, &cluster).await;
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed.iter().all(|n| n["state"] == "ready"), "{listed:?}");
    assert_eq!(listed.iter().filter(|n| n["role"] == "manager").count(), 1);
    assert!(
        listed.iter().all(|n| !n["server"].is_null()),
        "each node is a Ployer server"
    );
    // A member cannot be in a second cluster; a bad label changes nothing.
    let r = gql(
        &stack,
        "mutation($i: CreateClusterInput!) { createCluster(input: $i) { cluster { id } } }",
        json!({ "i": { "name": "again", "managerServerId": servers[1] } }),
    )
    .await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(r.to_string().contains("already a member"), "{r}");
    let node_ids: Vec<String> = listed.iter().map(|n| n["id"].as_str().unwrap().to_string()).collect();
    let manager_node = listed
        .iter()
        .find(|n| n["role"] == "manager")
        .and_then(|n| n["id"].as_str())
        .unwrap()
        .to_string();
    let r = gql(
        &stack,
        "mutation($i: UpdateClusterNodeInput!) { updateClusterNode(input: $i) { cluster { id } } }",
        json!({ "i": { "clusterId": cluster, "nodeId": node_ids[0], "labels": [{ "key": "bad key", "value": "x" }] } }),
    )
    .await;
    assert_eq!(ployer_tests::error_field(&r), Some("labels"), "{r}");
    // Every node labelled zone=a: the constraint below admits all three.
    for node in &node_ids {
        let r = gql(
            &stack,
            "mutation($i: UpdateClusterNodeInput!) { updateClusterNode(input: $i) { cluster { id } } }",
            json!({ "i": { "clusterId": cluster, "nodeId": node, "labels": [{ "key": "zone", "value": "a" }] } }),
        )
        .await;
        assert!(r["errors"].is_null(), "{r}");
    }
    assert!(nodes(&stack, &cluster)
        .await
        .iter()
        .all(|n| n["labels"] == json!([{ "key": "zone", "value": "a" }])));

    // The application: 2 replicas, at most one per node; its page names the task's node.
    stack.repo.write(
        "www/cgi-bin/node",
        Some("#!/bin/sh\necho \"served by $NODE\" >&2\necho \"Content-Type: text/plain\"\necho\necho \"$NODE\"\n"),
    );
    std::fs::set_permissions(
        stack.repo.path("www/cgi-bin/node"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    stack.repo.commit_all("node page").await;
    let r = stack
        .mutation(
            "SetEnvVarInput",
            "setEnvVar(input: $i) { envVar { key } }",
            json!({ "applicationId": stack.app_id, "key": "NODE", "value": "{{.Node.ID}}" }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    for (bad, field) in [
        (
            json!({ "placementConstraints": ["container.name==x"] }),
            "placementConstraints",
        ),
        (json!({ "replicas": 0 }), "replicas"),
        (json!({ "clusterId": "no-such-cluster" }), "clusterId"),
        (json!({ "maxReplicasPerNode": 0 }), "maxReplicasPerNode"),
    ] {
        let mut input = bad.clone();
        input["id"] = json!(stack.app_id);
        let r = stack
            .mutation(
                "UpdateApplicationInput",
                "updateApplication(input: $i) { application { id } }",
                input,
            )
            .await;
        assert_eq!(ployer_tests::error_field(&r), Some(field), "{bad}: {r}");
    }
    let r = stack
        .mutation(
            "UpdateApplicationInput",
            "updateApplication(input: $i) { application { cluster { id } replicas placementConstraints maxReplicasPerNode } }",
            json!({ "id": stack.app_id, "clusterId": cluster, "replicas": 2, "maxReplicasPerNode": 1,
                    "placementConstraints": ["node.labels.zone==a"] }),
        )
        .await;
    assert_eq!(
        r["data"]["updateApplication"]["application"],
        json!({ "cluster": { "id": cluster }, "replicas": 2, "placementConstraints": ["node.labels.zone==a"], "maxReplicasPerNode": 1 }),
        "{r}"
    );
    let first = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&first, "RUNNING").await;
    let described = ployer_tests::describe_deployment(&deployment);
    assert!(described.contains("running on the cluster lab"), "{described}");
    // Built on node2, then loaded into the manager and node3.
    assert!(described.contains("image loaded into node1"), "{described}");
    assert!(described.contains("image loaded into node3"), "{described}");
    assert!(!described.contains("image loaded into node2"), "{described}");
    let tasks = running_tasks(&stack).await;
    assert_eq!(tasks.len(), 2, "{tasks:?}");
    assert_ne!(tasks[0].0, tasks[1].0, "two different nodes: {tasks:?}");
    wait_served(&stack, &base, "version v1", Duration::from_secs(10)).await;
    let answering = answering_nodes(&stack, &base, 20).await;
    let task_nodes: BTreeSet<String> = tasks.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(answering, task_nodes, "both tasks answer, each naming its node");
    // Stats per task: each task's container sampled on its node.
    let r = gql(
        &stack,
        "query($id: ID!) { application(id: $id) { tasks { containerId state } } }",
        json!({ "id": stack.app_id }),
    )
    .await;
    let task_containers: BTreeSet<String> = r["data"]["application"]["tasks"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .filter(|t| t["state"] == "running")
        .filter_map(|t| t["containerId"].as_str().map(str::to_string))
        .collect();
    assert_eq!(task_containers.len(), 2, "{r}");
    let started = Instant::now();
    loop {
        let r = gql(
            &stack,
            "query($id: ID!) { application(id: $id) { stats { samples { containerId memoryUsedBytes } } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
        let sampled: BTreeSet<String> = r["data"]["application"]["stats"]["samples"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|x| x["containerId"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if task_containers.is_subset(&sampled) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "tasks {task_containers:?} not all sampled: {sampled:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // The application's logs are every task's, read through the manager.
    let r = gql(
        &stack,
        "query($id: ID!) { application(id: $id) { logs(tail: 200) { line } } }",
        json!({ "id": stack.app_id }),
    )
    .await;
    let logged = r["data"]["application"]["logs"].to_string();
    for node in &task_nodes {
        assert!(
            logged.contains(&format!("served by {node}")),
            "{node} not in the logs: {r}"
        );
    }
    assert!(
        stack.containers_of(&first).await.is_empty(),
        "nothing runs on this machine"
    );

    // A redeploy under load: not one failed request.
    stack.repo.commit_version("v2").await;
    let load = stack.load_loop_through(&base, Duration::from_millis(20));
    let second = stack.deploy(None).await;
    stack.wait_for_status(&second, "RUNNING").await;
    wait_served(&stack, &base, "version v2", Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let report = load.stop().await;
    assert!(
        report.failures.is_empty(),
        "failed requests during the redeploy: {:?}",
        report.failures
    );
    assert!(report.requests > 50, "{} requests", report.requests);
    // The old service is gone after the drain.
    let started = Instant::now();
    loop {
        let services = lab_docker(edge, &["service", "ls", "-q"]).await;
        if services.split_whitespace().count() == 1 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "services left: {services}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // A task that fails its health check: the monitor replaces it (the swarm starts another)
    // and the application is healthy again.
    let r = gql(
        &stack,
        "query($id: ID!) { application(id: $id) { tasks { containerId nodeAddress state } } }",
        json!({ "id": stack.app_id }),
    )
    .await;
    let sick = r["data"]["application"]["tasks"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .find(|t| t["state"] == "running")
        .cloned()
        .unwrap_or_else(|| panic!("{r}"));
    let sick_container = sick["containerId"].as_str().unwrap().to_string();
    let sick_host = lab_hosts
        .iter()
        .find(|h| sick["nodeAddress"] == h.address.as_str())
        .expect("the task's node is a lab host");
    lab_docker(sick_host, &["exec", &sick_container, "busybox", "rm", "/www/healthz"]).await;
    let started = Instant::now();
    loop {
        let r = gql(
            &stack,
            "query($id: ID!) { application(id: $id) { health { status restartCount reason } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
        let health = &r["data"]["application"]["health"];
        let gone = lab_docker(sick_host, &["ps", "-q", "--no-trunc"]).await;
        if health["restartCount"].as_i64().unwrap_or(0) >= 1
            && health["status"] == "HEALTHY"
            && !gone.contains(&sick_container)
            && running_tasks(&stack).await.len() == 2
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the unhealthy task was not replaced: {health}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // A node with a task drained: its task moves, no request fails.
    let tasks = running_tasks(&stack).await;
    let drained = tasks
        .iter()
        .map(|(n, _)| n.clone())
        .find(|n| *n != manager_node)
        .unwrap_or_else(|| tasks[0].0.clone());
    let load = stack.load_loop_through(&base, Duration::from_millis(20));
    let r = gql(
        &stack,
        "mutation($i: UpdateClusterNodeInput!) { updateClusterNode(input: $i) { cluster { id } } }",
        json!({ "i": { "clusterId": cluster, "nodeId": drained, "availability": "DRAIN" } }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let moved = wait_tasks_avoiding(&stack, 2, &drained, Duration::from_secs(30)).await;
    let addresses: Vec<String> = moved.iter().map(|(_, a)| a.clone()).collect();
    wait_pool_on(&stack, edge, &addresses, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let report = load.stop().await;
    eprintln!("drain: {} requests, {} failed", report.requests, report.failures.len());
    assert!(
        report.failures.is_empty(),
        "failed requests while a node drained: {:?}",
        report.failures
    );
    let r = gql(
        &stack,
        "mutation($i: UpdateClusterNodeInput!) { updateClusterNode(input: $i) { cluster { id } } }",
        json!({ "i": { "clusterId": cluster, "nodeId": drained, "availability": "ACTIVE" } }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");

    // A worker's engine stopped: its task is rescheduled and the pool follows.
    let tasks = running_tasks(&stack).await;
    let (lost, lost_address) = tasks
        .iter()
        .find(|(n, _)| *n != manager_node)
        .cloned()
        .expect("a task on a worker");
    let lost_host = FIRST_HOST
        + 1
        + lab_hosts
            .iter()
            .position(|h| h.address == lost_address)
            .expect("the lost node is a lab host");
    let load = stack.load_loop_through(&base, Duration::from_millis(20));
    let killed = Instant::now();
    lab(&["engine", "stop", &lost_host.to_string()]).await;
    let rescheduled = wait_tasks_avoiding(&stack, 2, &lost, Duration::from_secs(90)).await;
    let addresses: Vec<String> = rescheduled.iter().map(|(_, a)| a.clone()).collect();
    wait_pool_on(&stack, edge, &addresses, Duration::from_secs(10)).await;
    let followed = killed.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let report = load.stop().await;
    eprintln!(
        "node lost: the pool named only healthy tasks {followed:?} after the engine stopped; {} requests, {} failed: {:?}",
        report.requests,
        report.failures.len(),
        report.failures
    );
    assert!(
        report.failures.len() <= 2,
        "only requests in flight on the lost node may fail: {:?}",
        report.failures
    );
    // The slot that named the lost task is skipped for a few seconds after its failed dials;
    // then both tasks answer again.
    let started = Instant::now();
    loop {
        let answering = answering_nodes(&stack, &base, 20).await;
        assert!(!answering.contains(&lost), "{answering:?}");
        if answering.len() == 2 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "{answering:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    lab(&["engine", "start", &lost_host.to_string()]).await;
    // Its server shows reachable again once its check runs (deployments to a cluster whose
    // build server shows offline fail at once, as for a remote server).
    let started = Instant::now();
    loop {
        let r = gql(&stack, "{ servers { name status } }", json!({})).await;
        let offline: Vec<&Value> = r["data"]["servers"]
            .as_array()
            .unwrap_or_else(|| panic!("{r}"))
            .iter()
            .filter(|s| s["status"] == "offline")
            .collect();
        if offline.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still offline: {offline:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // The active service removed behind Ployer's back: the reconciler makes it again, and the
    // application serves again through the edge.
    let removed = lab_docker(edge, &["service", "ls", "-q"]).await;
    let removed = removed.trim().to_string();
    assert_eq!(removed.lines().count(), 1, "{removed}");
    lab_docker(edge, &["service", "rm", &removed]).await;
    let started = Instant::now();
    loop {
        let now = lab_docker(edge, &["service", "ls", "-q"]).await;
        if !now.trim().is_empty() && now.trim() != removed {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no service made again: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    wait_served(&stack, &base, "version v2", Duration::from_secs(60)).await;

    // A registry: the image is pushed there and the nodes pull it (with the credentials the
    // service carries). A bad address is refused; a wrong password fails the deployment.
    let registry = start_registry(&lab_hosts[0].address).await;
    const SET_REGISTRY: &str =
        "mutation($i: SetClusterRegistryInput!) { setClusterRegistry(input: $i) { cluster { registry { url username } } } }";
    let r = gql(
        &stack,
        SET_REGISTRY,
        json!({ "i": { "clusterId": cluster, "url": format!("http://{}", registry.url), "username": "u", "password": "p" } }),
    )
    .await;
    assert_eq!(ployer_tests::error_field(&r), Some("url"), "{r}");
    let r = gql(
        &stack,
        SET_REGISTRY,
        json!({ "i": { "clusterId": cluster, "url": registry.url, "username": REGISTRY_USER, "password": "wrong" } }),
    )
    .await;
    assert_eq!(
        r["data"]["setClusterRegistry"]["cluster"]["registry"],
        json!({ "url": registry.url, "username": REGISTRY_USER }),
        "{r}"
    );
    let refused = stack.deploy(None).await;
    let failed = stack.wait_for_status(&refused, "FAILED").await;
    assert!(
        failed["error"].as_str().unwrap_or_default().contains("cannot push"),
        "{failed}"
    );
    let r = gql(
        &stack,
        SET_REGISTRY,
        json!({ "i": { "clusterId": cluster, "url": registry.url, "username": REGISTRY_USER, "password": REGISTRY_PASSWORD } }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    stack.repo.commit_version("v3").await;
    let pushed = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&pushed, "RUNNING").await;
    let described = ployer_tests::describe_deployment(&deployment);
    assert!(
        described.contains(&format!("image pushed to {}/", registry.url)),
        "{described}"
    );
    wait_served(&stack, &base, "version v3", Duration::from_secs(10)).await;
    let image = lab_docker(
        edge,
        &[
            "service",
            "ls",
            "--format",
            "{{.Image}}",
            "--filter",
            &format!("label=ployer.deployment={pushed}"),
        ],
    )
    .await;
    assert!(
        image.trim().starts_with(&registry.url),
        "the service names the registry's image: {image}"
    );
    let catalog = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("http://{}/v2/_catalog", registry.url))
        .basic_auth(REGISTRY_USER, Some(REGISTRY_PASSWORD))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(catalog.contains(&stack.name), "{catalog}");

    // Deleted: no service, task or image of it on any node; then the cluster: every engine
    // out of the swarm.
    let r = gql(
        &stack,
        "mutation($id: ID!) { deleteCluster(input: {id: $id}) { deletedClusterId } }",
        json!({ "id": cluster }),
    )
    .await;
    assert_eq!(code(&r), Some("CONFLICT"), "an application runs on it: {r}");
    let r = gql(
        &stack,
        "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
        json!({ "id": stack.app_id }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = gql(
        &stack,
        "mutation($id: ID!) { deleteCluster(input: {id: $id}) { deletedClusterId } }",
        json!({ "id": cluster }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    for host in lab_hosts {
        let started = Instant::now();
        loop {
            let containers = lab_docker(
                host,
                &["ps", "-aq", "--filter", &format!("label=ployer.app={}", stack.app_id)],
            )
            .await;
            let images = lab_docker(
                host,
                &[
                    "images",
                    "-q",
                    "--filter",
                    &format!("label=ployer.app={}", stack.app_id),
                ],
            )
            .await;
            if containers.trim().is_empty() && images.trim().is_empty() {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "left on {}: containers {containers:?} images {images:?}",
                host.address
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert_eq!(
            lab_docker(host, &["info", "--format", "{{.Swarm.LocalNodeState}}"])
                .await
                .trim(),
            "inactive",
            "{} left the swarm",
            host.address
        );
    }
}

/// This machine may be a member: it joins at its first `public_addresses` entry (its host is
/// its own name, often a loopback address the others cannot reach). Without one, the cluster
/// is refused naming the setting, and the machine's engine stays out of any swarm.
#[tokio::test]
async fn this_machine_joins_a_cluster_at_its_public_address_only() {
    let app = ployer_tests::spawn_app().await;
    let token = app.admin_token().await;
    let servers = app.graphql_as(&token, "{ servers { id isLocal } }", json!({})).await;
    let local = servers["data"]["servers"]
        .as_array()
        .unwrap_or_else(|| panic!("{servers}"))
        .iter()
        .find(|s| s["isLocal"] == true)
        .and_then(|s| s["id"].as_str())
        .expect("the local server")
        .to_string();
    let before = ployer_test_support::docker::docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"]).await;
    let r = app
        .graphql_as(
            &token,
            "mutation($i: CreateClusterInput!) { createCluster(input: $i) { cluster { id } } }",
            json!({ "i": { "name": "here", "managerServerId": local } }),
        )
        .await;
    assert_eq!(ployer_tests::error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(ployer_tests::error_field(&r), Some("managerServerId"), "{r}");
    assert!(r.to_string().contains("public_addresses"), "{r}");
    let after = ployer_test_support::docker::docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"]).await;
    assert_eq!(before, after, "the machine's engine is untouched");
    let listed = app.graphql_as(&token, "{ clusters { id } }", json!({})).await;
    assert_eq!(listed["data"]["clusters"], json!([]), "{listed}");
}
