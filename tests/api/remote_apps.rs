//! Applications on remote servers, against the lab's real hosts (`scripts/lab.sh up 3`: network namespaces with their
//! own sshd and dockerd): the build context streamed over SSH and built there, the container
//! started and health-gated there, served by the Caddy Ployer runs on that server at the
//! server's address; a redeploy under load without a failed request; the server's engine
//! stopped → `offline` and deploys failing at once with why, started again → the application
//! served again without a restart of Ployer; moved to the other server with no failed request
//! there once switched, and gone from the first.

use std::time::{Duration, Instant};

use ployer_tests::describe_deployment;
use serde_json::{json, Value};

use crate::fixtures::{proxy_client, Stack};
use crate::remote_servers::{lab_hosts, LabHost, LAB};

/// `docker` against a lab host's engine.
pub(crate) async fn lab_docker(host: &LabHost, args: &[&str]) -> String {
    let out = tokio::process::Command::new("docker")
        .arg("-H")
        .arg(format!("unix://{}", host.socket))
        .args(args)
        .output()
        .await
        .expect("docker runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The lab host's containers of the application.
async fn containers_on(host: &LabHost, app_id: &str) -> Vec<String> {
    lab_docker(host, &["ps", "-aq", "--filter", &format!("label=ployer.app={app_id}")])
        .await
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Runs `scripts/lab.sh` with `args` (say `engine stop 3`).
pub(crate) async fn lab(args: &[&str]) {
    let status = tokio::process::Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/lab.sh"))
        .args(args)
        .status()
        .await
        .expect("lab.sh runs");
    assert!(status.success(), "scripts/lab.sh {args:?} failed");
}

/// Adds a lab host as a server with the lab's key and validates it; its id.
pub(crate) async fn add_server(stack: &Stack, name: &str, host: &LabHost) -> String {
    let key = std::fs::read_to_string(format!("{LAB}/id_ed25519")).expect("the lab's key");
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($i: CreateServerInput!) { createServer(input: $i) { server { id } } }",
            json!({ "i": { "name": name, "host": host.address, "dockerSocket": host.socket, "privateKey": key } }),
        )
        .await;
    let id = r["data"]["createServer"]["server"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    let v = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { validateServer(input: {id: $id}) { reachable message } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(v["data"]["validateServer"]["reachable"], true, "{v}");
    id
}

async fn move_to(stack: &Stack, server_id: &str) {
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($i: UpdateApplicationInput!) { updateApplication(input: $i) { application { id } } }",
            json!({ "i": { "id": stack.app_id, "serverId": server_id } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
}

async fn server_status(stack: &Stack, id: &str) -> Value {
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { server(id: $id) { status lastError } }",
            json!({ "id": id }),
        )
        .await;
    r["data"]["server"].clone()
}

async fn wait_for_server(stack: &Stack, id: &str, status: &str, timeout: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let server = server_status(stack, id).await;
        if server["status"] == status {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < timeout,
            "the server is not {status} after {timeout:?}: {server}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Polls `GET /` through the Caddy at `base` until it answers `body`.
pub(crate) async fn wait_served(stack: &Stack, base: &str, body: &str, timeout: Duration) {
    let client = proxy_client();
    let started = Instant::now();
    loop {
        let got = ployer_test_support::caddy::get_through(&client, base, &stack.host(), "/").await;
        if matches!(&got, Ok((200, b)) if b == body) {
            return;
        }
        assert!(
            started.elapsed() < timeout,
            "{base} does not serve {body:?} after {timeout:?}: {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn an_application_on_a_remote_server_deploys_serves_survives_its_engine_and_moves() {
    // The lab's third host is stopped here, so it is this test's alone (the other remote-server
    // tests validate against the first two); the second, where it moves, is only read by them.
    let hosts = lab_hosts();
    assert!(hosts.len() >= 3, "the lab needs 3 hosts (scripts/lab.sh up 3)");
    let (two, three) = (&hosts[2], &hosts[1]);
    let stack = Stack::start_with(|c| {
        c.edge_image = "ployer-test/caddy:latest".into();
        c.edge_https_port = 0;
        c.server_check_interval_seconds = 2;
    })
    .await;
    let server_two = add_server(&stack, "two", two).await;
    let server_three = add_server(&stack, "three", three).await;
    let base_two = format!("http://{}", two.address);
    let base_three = format!("http://{}", three.address);

    // Deployed to server 2: built, run and served there.
    move_to(&stack, &server_two).await;
    let first = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&first, "RUNNING").await;
    assert!(
        describe_deployment(&deployment).contains("running on the server two"),
        "{}",
        describe_deployment(&deployment)
    );
    assert!(
        stack.containers_of(&first).await.is_empty(),
        "nothing runs on this machine"
    );
    assert_eq!(containers_on(two, &stack.app_id).await.len(), 1);
    assert!(
        !lab_docker(two, &["images", "-q", &format!("ployer/{}", stack.name)])
            .await
            .trim()
            .is_empty(),
        "the image was built on server 2"
    );
    wait_served(&stack, &base_two, "version v1", Duration::from_secs(10)).await;

    // A redeploy under load through server 2's Caddy.
    stack.repo.commit_version("v2").await;
    let load = stack.load_loop_through(&base_two, Duration::from_millis(20));
    let second = stack.deploy(None).await;
    stack.wait_for_status(&second, "RUNNING").await;
    wait_served(&stack, &base_two, "version v2", Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let report = load.stop().await;
    assert!(
        report.failures.is_empty(),
        "failed requests during the redeploy: {:?}",
        report.failures
    );
    assert!(report.requests > 20, "{} requests", report.requests);
    assert_eq!(
        report.bodies.last().map(String::as_str),
        Some("version v2"),
        "{:?}",
        report.bodies
    );

    // Server 2's engine stops: offline within 30 s, and a deploy fails at once saying why.
    lab(&["engine", "stop", "3"]).await;
    let took = wait_for_server(&stack, &server_two, "offline", Duration::from_secs(30)).await;
    eprintln!("offline after {took:?}");
    let asked = Instant::now();
    let refused = stack.deploy(None).await;
    let failed = stack.wait_for_status(&refused, "FAILED").await;
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "failed after {:?}",
        asked.elapsed()
    );
    let reason = failed["error"].as_str().unwrap_or_default();
    assert!(reason.contains("offline"), "{reason}");

    // Back: the server is reachable again and the application served, Ployer not restarted.
    lab(&["engine", "start", "3"]).await;
    wait_for_server(&stack, &server_two, "reachable", Duration::from_secs(30)).await;
    wait_served(&stack, &base_two, "version v2", Duration::from_secs(60)).await;

    // Moved to server 3: deployed there, switched, then gone from server 2.
    move_to(&stack, &server_three).await;
    let moved = stack.deploy(None).await;
    stack.wait_for_status(&moved, "RUNNING").await;
    let load = stack.load_loop_through(&base_three, Duration::from_millis(20));
    wait_served(&stack, &base_three, "version v2", Duration::from_secs(5)).await;
    let started = Instant::now();
    while !containers_on(two, &stack.app_id).await.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the container stays on server 2"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let report = load.stop().await;
    assert!(
        report.failures.is_empty(),
        "failed requests through server 3: {:?}",
        report.failures
    );
    let got = ployer_test_support::caddy::get_through(&proxy_client(), &base_two, &stack.host(), "/").await;
    assert!(
        !matches!(&got, Ok((200, b)) if b.starts_with("version")),
        "server 2 still routes it: {got:?}"
    );

    // Deleted: nothing of it is left on server 3.
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert!(containers_on(three, &stack.app_id).await.is_empty());
}

/// What cannot run on a remote server is refused naming `serverId`, and a deploy to a server
/// never validated (no host key to check) fails at once saying so; nothing half-made.
#[tokio::test]
async fn static_and_compose_applications_stay_local_and_an_unvalidated_server_is_refused() {
    let app = ployer_tests::spawn_app().await;
    let token = app.admin_token().await;
    let r = app
        .graphql_as(
            &token,
            "mutation($i: CreateServerInput!) { createServer(input: $i) { server { id } } }",
            json!({ "i": { "name": "never-validated", "host": "10.231.0.99" } }),
        )
        .await;
    let server = r["data"]["createServer"]["server"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    let before = app.count(entities::applications::Entity).await;
    for strategy in ["STATIC", "COMPOSE"] {
        let r = app
            .create_application(
                &token,
                json!({ "name": format!("remote-{}", strategy.to_lowercase()), "gitUrl": "https://example.com/r.git",
                        "buildStrategy": strategy, "serverId": server }),
            )
            .await;
        assert_eq!(ployer_tests::error_code(&r), Some("BAD_USER_INPUT"), "{strategy}: {r}");
        assert_eq!(ployer_tests::error_field(&r), Some("serverId"), "{strategy}: {r}");
        assert!(r.to_string().contains("this machine only"), "{r}");
    }
    assert_eq!(
        app.count(entities::applications::Entity).await,
        before,
        "nothing refused was stored"
    );

    // A Dockerfile application may go there, but a deploy fails at once: no host key yet.
    let id = app
        .create_git_app(&token, "remote-unvalidated", "https://example.com/r.git")
        .await;
    let r = app
        .graphql_as(
            &token,
            "mutation($i: UpdateApplicationInput!) { updateApplication(input: $i) { application { id } } }",
            json!({ "i": { "id": id, "serverId": server } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    // Its address is the remote server's Caddy's (HTTP on port 80), and its domains must
    // resolve to that server.
    let r = app
        .graphql_as(
            &token,
            "query($id: ID!) { application(id: $id) { url domains { id } } }",
            json!({ "id": id }),
        )
        .await;
    let url = r["data"]["application"]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(
        !url.trim_start_matches("http://").contains(':'),
        "no port of this machine's Caddy: {url}"
    );
    let domain = r["data"]["application"]["domains"][0]["id"].clone();
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { verifyDomain(input: {id: $id}) { pointsHere explanation } }",
            json!({ "id": domain }),
        )
        .await;
    let explanation = r["data"]["verifyDomain"]["explanation"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(explanation.contains("10.231.0.99"), "{explanation}");
    // Moving a Dockerfile application there and then making it static is refused too.
    let r = app
        .graphql_as(
            &token,
            "mutation($i: UpdateApplicationInput!) { updateApplication(input: $i) { application { id } } }",
            json!({ "i": { "id": id, "buildStrategy": "STATIC" } }),
        )
        .await;
    assert_eq!(ployer_tests::error_field(&r), Some("serverId"), "{r}");
    let asked = Instant::now();
    let deployment = app.deploy(&token, &id, None).await;
    let failed = app
        .wait_for_status(&token, &deployment, "FAILED", Duration::from_secs(10))
        .await;
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "failed after {:?}",
        asked.elapsed()
    );
    let reason = failed["error"].as_str().unwrap_or_default();
    assert!(reason.contains("has not been validated yet"), "{reason}");
}
