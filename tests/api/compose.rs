//! Compose applications: refused files and input (each with its key, nothing stored or left
//! running), and end to end with real Docker, Caddy and git: a web service built from the
//! repository that reads from a `db` service by its name, redeployed under load with zero
//! failed requests while `db` keeps its container; a change to `db` recreating it before the
//! web service; a domain of `db`'s own; the reconciler making a removed service again; a
//! rollback; and the application's removal leaving nothing behind.

use std::time::Duration;

use ployer_test_support::docker::docker;
use ployer_tests::{error_code, error_field, log_lines, spawn_app};
use serde_json::{json, Value};

use crate::fixtures::{proxy_client, Connections, Stack};

const PLAN: &str = "query($c: String!, $s: String) { composePlan(content: $c, composeService: $s) { routed volumes warnings services { name image buildContext port dependsOn waitsForHealthy hasHealthcheck } } }";

/// The fixture's compose file: `web` built from the repository (the stack's Dockerfile, on
/// 8080), `db` from the test image serving `/value` on 9000 out of its volume, healthy once
/// it wrote it. `web`'s `/cgi-bin/db` asks `db` by its service name.
fn compose_file(db_value: &str) -> String {
    format!(
        r#"services:
  web:
    build: .
    ports: ["8080"]
    depends_on:
      db:
        condition: service_healthy
  db:
    image: ployer-test/busybox:latest
    expose: ["9000"]
    environment:
      VALUE: ${{DB_VALUE:-{db_value}}}
    command: ["sh", "-c", "mkdir -p /data/www && echo $$VALUE > /data/www/value && touch /tmp/ready; trap 'exit 0' TERM; httpd -f -p 9000 -h /data/www & wait"]
    volumes: ["dbdata:/data"]
    healthcheck:
      test: ["CMD-SHELL", "test -f /tmp/ready"]
      interval: 1s
      retries: 30
volumes:
  dbdata: {{}}
"#
    )
}

const DB_CGI: &str = "#!/bin/sh\necho \"Content-Type: text/plain\"\necho\nwget -qO- http://db:9000/value\n";

async fn write_compose(stack: &Stack, db_value: &str) {
    stack.repo.write("docker-compose.yml", Some(&compose_file(db_value)));
    stack.repo.write("www/cgi-bin/db", Some(DB_CGI));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        stack.repo.path("www/cgi-bin/db"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
}

async fn services(stack: &Stack) -> Vec<Value> {
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { application(id: $id) { services { name routed image containerId containerName deploymentId state health hostPort } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    r["data"]["application"]["services"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .clone()
}

/// The application's network as `docker network ls` names it (empty when there is none).
async fn application_network(stack: &Stack) -> String {
    let name = format!("ployer-{}", stack.app_id);
    let listed = docker(&[
        "network",
        "ls",
        "--format",
        "{{.Name}}",
        "--filter",
        &format!("name={name}"),
    ])
    .await;
    listed.lines().filter(|line| *line == name).collect()
}

fn service<'a>(services: &'a [Value], name: &str) -> &'a Value {
    services
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no service {name} in {services:?}"))
}

fn lines_of(deployment: &Value) -> Vec<String> {
    log_lines(deployment)
        .iter()
        .map(|l| l["line"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Polls `services` until `db` runs healthy in a container other than `not`.
async fn wait_for_db(stack: &Stack, not: Option<&str>) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let all = services(stack).await;
        let db = service(&all, "db").clone();
        let fresh = db["containerId"].as_str().is_some_and(|id| Some(id) != not);
        if fresh && db["state"] == "running" && db["health"] == "healthy" {
            return db;
        }
        assert!(tokio::time::Instant::now() < deadline, "db never came back: {db}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_two_service_app_redeploys_its_web_service_with_zero_failed_requests_and_keeps_an_unchanged_db() {
    let mut stack = Stack::start().await;
    stack.remove_volume_on_drop(&format!("ployer-{}-dbdata", stack.app_id));
    write_compose(&stack, "db-v1").await;
    stack.repo.commit_version("v1").await;
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { updateApplication(input: {id: $id, buildStrategy: COMPOSE}) { application { buildStrategy composePath composeService } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    let updated = &r["data"]["updateApplication"]["application"];
    assert_eq!(updated["buildStrategy"], "COMPOSE", "{r}");
    assert_eq!(updated["composePath"], "docker-compose.yml");
    assert!(updated["composeService"].is_null());

    // First deploy: db, waited for until healthy, then web; web reaches db by its name.
    let first = stack.deploy_running("v1").await;
    let (status, body) = stack.get("/cgi-bin/db").await.expect("GET /cgi-bin/db");
    assert_eq!(
        (status, body.trim()),
        (200, "db-v1"),
        "web reads db by its service name"
    );
    let all = services(&stack).await;
    let names: Vec<&str> = all.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["db", "web"], "start order, the routed service last");
    let db = service(&all, "db");
    assert_eq!(db["routed"], false);
    assert_eq!(
        (db["state"].as_str(), db["health"].as_str()),
        (Some("running"), Some("healthy")),
        "{db}"
    );
    assert_eq!(service(&all, "web")["routed"], true);
    let db_container = db["containerId"].as_str().unwrap().to_string();
    let network = docker(&[
        "inspect",
        "--format",
        "{{json .NetworkSettings.Networks}}",
        &db_container,
    ])
    .await;
    assert!(network.contains(&format!("ployer-{}", stack.app_id)), "{network}");
    let log = lines_of(&stack.deployment(&first).await);
    let healthy = log
        .iter()
        .position(|l| l == "service db: healthy")
        .expect("db waited for");
    let web = log
        .iter()
        .position(|l| l.starts_with("starting container"))
        .expect("web started");
    assert!(healthy < web, "db healthy before web starts: {log:?}");

    // Redeploy of web under load: zero failed requests, db keeps its container.
    stack.repo.commit_version("v2").await;
    let load = stack.load_loop(Duration::from_millis(20), Connections::PerRequest);
    let second = stack.deploy_running("v2").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let report = load.stop().await;
    assert!(
        report.failures.is_empty(),
        "failed requests during the redeploy: {:?}",
        report.failures
    );
    assert!(report.requests > 20, "{} requests", report.requests);
    assert_eq!(report.bodies.last().map(String::as_str), Some("version v2"));
    let db = service(&services(&stack).await, "db").clone();
    assert_eq!(
        db["containerId"],
        db_container.as_str(),
        "an unchanged service keeps its container"
    );
    assert_eq!(db["deploymentId"], first.as_str(), "and the deployment that started it");
    let log = lines_of(&stack.deployment(&second).await);
    assert!(
        log.iter()
            .any(|l| l.starts_with("service db: unchanged, keeps running")),
        "{log:?}"
    );

    // A change to db recreates it before web starts; its volume keeps what it held.
    write_compose(&stack, "db-v2").await;
    stack.repo.commit_version("v3").await;
    let third = stack.deploy_running("v3").await;
    let db = service(&services(&stack).await, "db").clone();
    assert_ne!(
        db["containerId"],
        db_container.as_str(),
        "a changed service is recreated"
    );
    let (_, body) = stack.get("/cgi-bin/db").await.unwrap();
    assert_eq!(body.trim(), "db-v2");
    let log = lines_of(&stack.deployment(&third).await);
    let replaced = log
        .iter()
        .position(|l| l.starts_with("service db: changed; replacing"))
        .expect("db replaced");
    let web = log.iter().position(|l| l.starts_with("starting container")).unwrap();
    assert!(replaced < web, "{log:?}");
    assert!(
        docker(&["ps", "-aq", "--filter", &format!("id={db_container}")])
            .await
            .trim()
            .is_empty(),
        "the old db container is gone"
    );

    // A domain of db's own, routed straight to it by Caddy.
    let db_host = format!("db.{}.localhost", stack.name);
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($i: AddDomainInput!) { addDomain(input: $i) { domain { hostname service } } }",
            json!({ "i": { "applicationId": stack.app_id, "hostname": db_host, "service": "db" } }),
        )
        .await;
    assert_eq!(r["data"]["addDomain"]["domain"]["service"], "db", "{r}");
    let served = ployer_test_support::caddy::wait_until_served(
        &proxy_client(),
        &stack.proxy_base(),
        &db_host,
        "/value",
        "db-v2",
        Duration::from_secs(10),
    )
    .await;
    served.unwrap_or_else(|e| panic!("db's own domain: {e}"));

    // Logs of one service; an unknown service is refused.
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!, $s: String) { application(id: $id) { logs(service: $s, tail: 10) { line } } }",
            json!({ "id": stack.app_id, "s": "nope" }),
        )
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("db, web"), "{r}");

    // The reconciler makes a removed service again.
    let current = db["containerId"].as_str().unwrap().to_string();
    docker(&["rm", "-f", &current]).await;
    wait_for_db(&stack, Some(&current)).await;
    stack
        .wait_until_serves("/cgi-bin/db", "db-v2", Duration::from_secs(10))
        .await;

    // A rollback runs the file and images of then: db goes back to db-v1.
    let rollback = stack.mutate("rollback", json!({ "deploymentId": first })).await;
    stack.wait_for_status(rollback["id"].as_str().unwrap(), "RUNNING").await;
    stack.wait_until_serves("/", "version v1", Duration::from_secs(5)).await;
    stack
        .wait_until_serves("/cgi-bin/db", "db-v1", Duration::from_secs(5))
        .await;

    // Removing the application leaves no container and no network.
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id, removeVolumes: true}) { deletedApplicationId } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let left = docker(&["ps", "-aq", "--filter", &format!("label=ployer.app={}", stack.app_id)]).await;
    assert!(left.trim().is_empty(), "containers left: {left}");
    assert_eq!(application_network(&stack).await, "", "network left");
    let volumes = docker(&[
        "volume",
        "ls",
        "-q",
        "--filter",
        &format!("label=ployer.app={}", stack.app_id),
    ])
    .await;
    assert!(volumes.trim().is_empty(), "volumes left: {volumes}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_compose_file_fails_the_deployment_naming_the_key_and_leaves_nothing() {
    let stack = Stack::start().await;
    stack.repo.write(
        "docker-compose.yml",
        Some("services:\n  web:\n    build: .\n    ports: [\"8080\"]\n    privileged: true\n"),
    );
    stack.repo.commit_all("privileged").await;
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { updateApplication(input: {id: $id, buildStrategy: COMPOSE}) { application { id } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let id = stack.deploy(None).await;
    let failed = stack.wait_for_status(&id, "FAILED").await;
    let reason = failed["error"].as_str().unwrap_or_default();
    assert!(reason.contains("services.web.privileged"), "{reason}");
    assert!(stack.containers_of(&id).await.is_empty());
    assert!(stack.images_of(&id).await.is_empty(), "nothing was built");
    assert_eq!(application_network(&stack).await, "", "no network was made");

    // A bind mount of a host directory no admin allowed: refused before anything starts.
    stack.repo.write(
        "docker-compose.yml",
        Some("services:\n  web:\n    build: .\n    ports: [\"8080\"]\n  cache:\n    image: ployer-test/busybox:latest\n    volumes: [\"/tmp:/host-tmp\"]\n"),
    );
    stack.repo.commit_all("a bind mount").await;
    let id = stack.deploy(None).await;
    let failed = stack.wait_for_status(&id, "FAILED").await;
    let reason = failed["error"].as_str().unwrap_or_default();
    assert!(
        reason.contains("services.cache.volumes") && reason.contains("allowedBindPaths"),
        "{reason}"
    );
    assert!(stack.containers_of(&id).await.is_empty(), "no service started");
    assert_eq!(application_network(&stack).await, "", "no network was made");

    // A file that is not there.
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { updateApplication(input: {id: $id, composePath: \"deploy/compose.yaml\"}) { application { composePath } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert_eq!(
        r["data"]["updateApplication"]["application"]["composePath"], "deploy/compose.yaml",
        "{r}"
    );
    let id = stack.deploy(None).await;
    let failed = stack.wait_for_status(&id, "FAILED").await;
    assert!(
        failed["error"]
            .as_str()
            .unwrap_or_default()
            .contains("deploy/compose.yaml: no such file"),
        "{failed}"
    );
}

#[tokio::test]
async fn compose_input_is_checked_and_refused_input_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let ok = "services:\n  db:\n    image: base\n  web:\n    build: ./web\n    ports: [\"8080\"]\n    depends_on: {db: {condition: service_healthy}}\nvolumes:\n  data: {}\n";
    let r = app.graphql_as(&admin, PLAN, json!({ "c": ok })).await;
    let plan = &r["data"]["composePlan"];
    assert_eq!(plan["routed"], "web", "{r}");
    assert_eq!(plan["volumes"], json!(["data"]));
    assert_eq!(plan["services"][0]["name"], "db");
    assert_eq!(plan["services"][0]["image"], "base");
    assert_eq!(plan["services"][1]["buildContext"], "web");
    assert_eq!(plan["services"][1]["port"], 8080);
    assert_eq!(plan["services"][1]["waitsForHealthy"], json!(["db"]));
    let r = app.graphql_as(&viewer, PLAN, json!({ "c": ok })).await;
    assert_eq!(
        error_code(&r),
        Some("FORBIDDEN"),
        "a plan may show variables' values: {r}"
    );

    let r = app
        .graphql_as(&admin, PLAN, json!({ "c": "services:\n  web:\n    image: [x\n" }))
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(error_field(&r), Some("content"));
    let message = r["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("line 4, column 1"), "{message}");

    let r = app.graphql_as(&admin, PLAN, json!({ "c": ok, "s": "cache" })).await;
    assert_eq!(error_field(&r), Some("composeService"), "{r}");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("db, web"), "{r}");

    for (line, key) in [
        ("privileged: true", "services.web.privileged"),
        ("network_mode: host", "services.web.network_mode"),
        ("pid: host", "services.web.pid"),
        ("ipc: host", "services.web.ipc"),
        ("devices: [\"/dev/sda\"]", "services.web.devices"),
        ("cap_add: [NET_ADMIN]", "services.web.cap_add"),
        ("ports: [\"80:8080\"]", "services.web.ports.0"),
        ("volumes: [\"/etc:/host-etc\"]", "services.web.volumes"),
        ("volumes: [\"./data:/data\"]", "services.web.volumes.0"),
        ("build: ../elsewhere", "services.web.build.context"),
    ] {
        let file = format!("services:\n  web:\n    image: base\n    expose: [\"80\"]\n    {line}\n");
        let r = app.graphql_as(&admin, PLAN, json!({ "c": file })).await;
        if key == "services.web.volumes" {
            // A host path is checked against the allowed directories when it is mounted.
            assert!(r["errors"].is_null(), "{line}: {r}");
            continue;
        }
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{line}: {r}");
        let message = r["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(key), "{line}: {message}");
    }

    // The application's own fields.
    let create = |input: Value| {
        let app = &app;
        let admin = admin.clone();
        async move { app.create_application(&admin, input).await }
    };
    let r = create(json!({ "name": "stack", "buildStrategy": "COMPOSE" })).await;
    assert_eq!(error_field(&r), Some("gitUrl"), "{r}");
    for (field, value) in [
        ("composePath", "../compose.yml"),
        ("composePath", "/etc/compose.yml"),
        ("composeService", "Bad Name"),
    ] {
        let mut input =
            json!({ "name": "stack", "buildStrategy": "COMPOSE", "gitUrl": "https://github.com/org/repo.git" });
        input[field] = json!(value);
        let r = create(input).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{field}={value}: {r}");
        assert_eq!(error_field(&r), Some(field), "{r}");
    }
    assert_eq!(
        app.count(entities::applications::Entity).await,
        0,
        "nothing refused was stored"
    );
    let r = create(json!({ "name": "stack", "buildStrategy": "COMPOSE", "gitUrl": "https://github.com/org/repo.git", "composePath": "deploy/compose.yaml", "composeService": "api" })).await;
    let created = &r["data"]["createApplication"]["application"];
    assert!(created["id"].is_string(), "{r}");

    // A domain for a service: only a Compose application has services.
    let plain = app
        .create_git_app(&admin, "plain", "https://github.com/org/repo.git")
        .await;
    let r = app
        .graphql_as(
            &admin,
            "mutation($i: AddDomainInput!) { addDomain(input: $i) { domain { id } } }",
            json!({ "i": { "applicationId": plain, "hostname": "db.example.com", "service": "db" } }),
        )
        .await;
    assert_eq!(error_field(&r), Some("service"), "{r}");
    assert_eq!(
        app.count(entities::domains::Entity).await,
        2,
        "only the two automatic domains"
    );
}
