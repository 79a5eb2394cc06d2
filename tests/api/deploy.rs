//! The deployment pipeline end to end, against the real dockerd, a Caddy that Ployer starts
//! itself, and a git repository served by `git daemon`: deploy, zero-downtime cutover,
//! draining, health gate, build failures, cancel, rollback, live logs, self-repair, delete.
//! Each test has its own server, Caddy, repository and application; what it leaves in Docker
//! is removed when its `Stack` drops.

use std::time::{Duration, Instant};

use ployer_test_support::{
    caddy::get_through,
    docker::{containers_labelled, containers_mentioning, docker, images_labelled, images_tagged},
    free_port,
};
use ployer_tests::{describe_deployment, log_lines, WsClient, WsEvent};
use serde_json::{json, Value};

use crate::fixtures::{proxy_client, Connections, Stack};

/// The order a deployment's status moves in on success.
const SUCCESS_ORDER: [&str; 6] = [
    "QUEUED",
    "CLONING",
    "BUILDING",
    "STARTING",
    "HEALTH_CHECKING",
    "RUNNING",
];

fn lines_text(deployment: &Value) -> Vec<String> {
    log_lines(deployment)
        .iter()
        .map(|l| l["line"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn seqs(lines: &[Value]) -> Vec<i64> {
    lines
        .iter()
        .map(|l| l["seq"].as_i64().expect("seq is a number"))
        .collect()
}

/// Polls the stored log of deployment `id` until a line contains `needle`; returns the
/// deployment as read then.
async fn wait_for_log_line(stack: &Stack, id: &str, needle: &str, timeout: Duration) -> Value {
    let started = Instant::now();
    loop {
        let deployment = stack.deployment(id).await;
        if lines_text(&deployment).iter().any(|l| l.contains(needle)) {
            return deployment;
        }
        let status = deployment["status"].as_str().unwrap_or_default();
        if status == "RUNNING" || ployer_tests::FINAL_STATUSES.contains(&status) || started.elapsed() > timeout {
            panic!("no log line with {needle:?}: {}", describe_deployment(&deployment));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Subscribes to `deploymentLogs(id)` on a new socket.
async fn subscribe_logs(stack: &Stack, id: &str) -> WsClient {
    let mut ws = stack.app.ws().await;
    ws.init(&stack.token).await;
    ws.subscribe(
        "logs",
        "subscription($id: ID!) { deploymentLogs(deploymentId: $id) { seq stream line } }",
        json!({ "id": id }),
    )
    .await;
    ws
}

/// Every line the subscription delivers until the server sends `complete`.
async fn collect_until_complete(ws: &mut WsClient) -> Vec<Value> {
    let mut lines = Vec::new();
    loop {
        match ws.next_within(Duration::from_secs(30)).await {
            WsEvent::Message(message) => match message["type"].as_str() {
                Some("next") => {
                    let line = &message["payload"]["data"]["deploymentLogs"];
                    assert!(line.is_object(), "a log message with no line: {message}");
                    lines.push(line.clone());
                }
                Some("complete") => return lines,
                _ => panic!("unexpected message on the log subscription: {message}"),
            },
            WsEvent::Closed(code) => panic!("the socket closed ({code:?}) before the subscription completed"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deployed_commit_is_served_through_caddy_on_the_apps_subdomain() {
    let stack = Stack::start().await;
    let head = stack.repo.head().await;
    let mut updates = stack.app.ws().await;
    updates.init(&stack.token).await;
    updates
        .subscribe(
            "updates",
            "subscription($id: ID!) { deploymentUpdated(applicationId: $id) { id status } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    // Give the server a moment to register the subscription before anything changes.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let id = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&id, "RUNNING").await;

    assert_eq!(deployment["commitSha"], head.as_str(), "{deployment}");
    assert!(
        deployment["commitMessage"]
            .as_str()
            .unwrap_or_default()
            .contains("version v1"),
        "{deployment}"
    );
    assert_eq!(deployment["trigger"], "manual");
    assert!(deployment["image"].is_string(), "{deployment}");
    assert!(deployment["error"].is_null(), "{deployment}");
    assert_eq!(stack.get("/").await, Ok((200, "version v1".to_string())));

    let application = stack.application().await;
    assert_eq!(application["status"], "RUNNING", "{application}");
    assert_eq!(
        application["url"],
        format!("http://{}.localhost:{}", stack.name, stack.http_port),
        "{application}"
    );
    assert_eq!(application["activeDeployment"]["id"], id.as_str(), "{application}");
    assert_eq!(
        application["latestDeployment"],
        json!({ "id": id, "status": "RUNNING" })
    );
    assert_eq!(
        stack.containers_of(&id).await.len(),
        1,
        "one container for the deployment"
    );

    let listed = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { deployments(applicationId: $id, first: 10) { edges { node { id status } } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert_eq!(
        listed["data"]["deployments"]["edges"],
        json!([{ "node": { "id": id, "status": "RUNNING" } }]),
        "{listed}"
    );

    // deploymentUpdated told the story in order, ending with RUNNING.
    let mut seen: Vec<String> = Vec::new();
    while seen.last().map(String::as_str) != Some("RUNNING") {
        let message = updates.message().await;
        assert_eq!(message["type"], "next", "{message}");
        let update = &message["payload"]["data"]["deploymentUpdated"];
        assert_eq!(update["id"], id.as_str(), "{message}");
        let status = update["status"].as_str().unwrap_or_default().to_string();
        if seen.last() != Some(&status) {
            seen.push(status);
        }
    }
    let order: Vec<usize> = seen
        .iter()
        .map(|s| SUCCESS_ORDER.iter().position(|o| o == s).unwrap_or(usize::MAX))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "statuses out of order: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_commit_replaces_the_old_one_under_load_without_a_failed_request() {
    let stack = Stack::start().await;
    let v1 = stack.deploy_running("v1").await;
    assert_eq!(stack.containers_of(&v1).await.len(), 1);
    stack.repo.commit_version("v2").await;
    let config_before = stack.caddy_config().await;

    let loads = [Connections::PerRequest, Connections::KeepAlive]
        .map(|connections| (connections, stack.load_loop(Duration::from_millis(20), connections)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let v2 = stack.deploy(None).await;
    stack.wait_for_status(&v2, "RUNNING").await;
    // The old container drains (2 s), then goes.
    let gone_after = stack.wait_until_no_container(&v1, Duration::from_secs(2 + 5)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    for (connections, load) in loads {
        let report = load.stop().await;
        assert!(
            report.failures.is_empty(),
            "{connections:?}: {} of {} requests failed during the cutover: {:#?}",
            report.failures.len(),
            report.requests,
            report.failures
        );
        assert!(report.requests > 50, "{connections:?}: the load loop ran: {report:?}");
        assert_eq!(
            report.bodies,
            ["version v1", "version v2"],
            "{connections:?}: v1 until the cutover, v2 after it and never v1 again"
        );
    }
    assert_eq!(
        stack.caddy_config().await,
        config_before,
        "the cutover rewrote the upstream file only: Caddy's config (and so no reload) is unchanged"
    );
    assert_eq!(stack.get("/").await, Ok((200, "version v2".to_string())));
    assert_eq!(stack.containers_of(&v2).await.len(), 1);
    let old = stack.deployment(&v1).await;
    assert_eq!(
        old["status"], "SUPERSEDED",
        "v1 after the cutover (its container went after {gone_after:?})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_request_in_flight_on_the_old_version_completes_across_the_cutover() {
    // The old container must outlive the 3 s request: drain longer than it. (The fixture's
    // container dies at once on SIGTERM, so only the drain can keep the request alive.)
    let stack = Stack::start_with(|c| c.drain_seconds = 5).await;
    stack.deploy_running("v1").await;
    stack.repo.commit_version("v2").await;
    let v2 = stack.deploy(None).await;

    // One slow request every 250 ms while v2 is on its way: some are in flight on v1 when
    // the route switches.
    let mut requests = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    let running_at = loop {
        let deployment = stack.deployment(&v2).await;
        match deployment["status"].as_str().unwrap_or_default() {
            "RUNNING" => break Instant::now(),
            "FAILED" | "CANCELLED" | "SUPERSEDED" => panic!("v2: {}", describe_deployment(&deployment)),
            "QUEUED" | "CLONING" => {}
            _ => {
                let (client, base, host) = (proxy_client(), stack.proxy_base(), stack.host());
                requests.push(tokio::spawn(async move {
                    let started = Instant::now();
                    let result = get_through(&client, &base, &host, "/cgi-bin/slow").await;
                    (started, Instant::now(), result)
                }));
            }
        }
        assert!(Instant::now() < deadline, "v2: {}", describe_deployment(&deployment));
        tokio::time::sleep(Duration::from_millis(250)).await;
    };

    let mut across = 0;
    for request in requests {
        let (started, finished, result) = request.await.unwrap();
        let when = format!(
            "started {:.2}s before RUNNING was seen, took {:.2}s",
            running_at.saturating_duration_since(started).as_secs_f64(),
            finished.duration_since(started).as_secs_f64()
        );
        match result {
            Ok((200, body)) if body.trim() == "slow-v1" => {
                if finished > running_at {
                    across += 1;
                }
            }
            Ok((200, body)) if body.trim() == "slow-v2" => {}
            other => panic!("a slow request failed ({when}): {other:?}"),
        }
    }
    assert!(
        across >= 1,
        "no slow request on v1 was still in flight when v2 went live"
    );
    stack.wait_until_serves("/", "version v2", Duration::from_secs(2)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_commit_that_never_passes_its_health_check_fails_and_v1_keeps_serving() {
    let stack = Stack::start().await;
    let v1 = stack.deploy_running("v1").await;
    let sha = stack.repo.commit_without_healthz().await;
    let bad = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&bad, "FAILED").await;

    let error = deployment["error"].as_str().unwrap_or_default();
    assert!(error.contains("health check"), "{}", describe_deployment(&deployment));
    assert_eq!(deployment["commitSha"], sha.as_str());
    assert_eq!(stack.get("/").await, Ok((200, "version v1".to_string())));
    assert_eq!(
        stack.containers_of(&bad).await,
        Vec::<String>::new(),
        "no container left for it"
    );
    assert_eq!(
        stack.images_of(&bad).await,
        Vec::<String>::new(),
        "no image left for it"
    );
    assert_eq!(stack.containers_of(&v1).await.len(), 1, "v1's container is untouched");
    let application = stack.application().await;
    assert_eq!(application["activeDeployment"]["id"], v1.as_str(), "{application}");
    assert_eq!(application["status"], "RUNNING", "{application}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_broken_dockerfile_fails_with_the_build_error_in_the_log_and_leaves_nothing() {
    let stack = Stack::start().await;
    let marker = format!("{}-broken", stack.name);
    stack.repo.commit_broken_dockerfile(&marker).await;
    let id = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&id, "FAILED").await;

    let lines = lines_text(&deployment);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("non-zero code: 3") || l.contains("exit code: 3")),
        "the build error is in the log: {}",
        describe_deployment(&deployment)
    );
    assert!(
        deployment["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{deployment}"
    );
    assert_eq!(
        stack.containers_of(&id).await,
        Vec::<String>::new(),
        "no container left"
    );
    assert_eq!(stack.images_of(&id).await, Vec::<String>::new(), "no image left");
    assert_eq!(
        containers_mentioning(&marker).await,
        Vec::<String>::new(),
        "no build container of the failed step left"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_secret_build_variable_is_redacted_from_stored_and_streamed_lines_and_the_error() {
    let stack = Stack::start().await;
    let secret = format!("s3cr3t-{}", stack.name);
    let set = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { envVar { key isSecret isBuildTime } } }",
            json!({ "i": {
                "applicationId": stack.app_id, "key": "TOKEN", "value": secret,
                "isSecret": true, "isBuildTime": true
            } }),
        )
        .await;
    assert_eq!(set["data"]["setEnvVar"]["envVar"]["isSecret"], true, "{set}");
    // The build prints the secret, then fails on a COPY whose error names the expanded value.
    let dockerfile = stack.repo.dockerfile().replacen(
        '\n',
        "\nARG TOKEN\nRUN echo \"build sees $TOKEN\"\nCOPY ${TOKEN} /nowhere\n",
        1,
    );
    stack.repo.write("Dockerfile", Some(&dockerfile));
    stack.repo.commit_all("a build that shows its secret").await;

    let id = stack.deploy(None).await;
    let mut ws = subscribe_logs(&stack, &id).await;
    let streamed = collect_until_complete(&mut ws).await;
    let deployment = stack.wait_for_status(&id, "FAILED").await;

    let stored = lines_text(&deployment);
    let streamed: Vec<String> = streamed
        .iter()
        .map(|l| l["line"].as_str().unwrap_or_default().to_string())
        .collect();
    let error = deployment["error"].as_str().unwrap_or_default().to_string();
    for (what, text) in [
        ("stored", stored.join("\n")),
        ("streamed", streamed.join("\n")),
        ("error", error.clone()),
    ] {
        assert!(!text.contains(&secret), "the secret leaks into the {what} text: {text}");
    }
    assert!(
        stored.iter().any(|l| l.contains("build sees ********")),
        "the line that printed it is there, redacted: {}",
        describe_deployment(&deployment)
    );
    assert_eq!(stored, streamed, "the subscriber got the stored lines");
    assert!(
        error.contains("********"),
        "the failure reason names the redacted value: {error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_runtime_secret_an_unhealthy_container_prints_is_redacted_from_its_log() {
    let stack = Stack::start().await;
    let secret = format!("runtime-s3cr3t-{}", stack.name);
    stack
        .app
        .set_env_var(&stack.token, &stack.app_id, "RUNTIME_TOKEN", &secret, true)
        .await;
    // The container prints the variable at start; without a health path the gate fails and
    // logs the container's last lines.
    let dockerfile = stack.repo.dockerfile().replace(
        "trap 'exit 0' TERM;",
        "echo runtime sees $RUNTIME_TOKEN; trap 'exit 0' TERM;",
    );
    stack.repo.write("Dockerfile", Some(&dockerfile));
    stack.repo.commit_without_healthz().await;

    let id = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&id, "FAILED").await;
    let stored = lines_text(&deployment).join("\n");
    assert!(!stored.contains(&secret), "the secret leaks into the log: {stored}");
    assert!(
        stored.contains("runtime sees ********"),
        "the container's line is there, redacted: {}",
        describe_deployment(&deployment)
    );
    assert!(!deployment["error"].as_str().unwrap_or_default().contains(&secret));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deploy_with_a_commit_sha_deploys_that_commit_and_refuses_ids_it_cannot_fetch() {
    let stack = Stack::start().await;
    let v1_sha = stack.repo.head().await;
    stack.repo.commit_version("v2").await;

    // The earlier commit, not the branch head; an upper-case id is the same commit.
    let id = stack.deploy(Some(&v1_sha.to_uppercase())).await;
    let deployment = stack.wait_for_status(&id, "RUNNING").await;
    assert_eq!(deployment["commitSha"], v1_sha.as_str(), "{deployment}");
    stack.wait_until_serves("/", "version v1", Duration::from_secs(5)).await;

    for bad in [&v1_sha[..7], "not-a-sha", &format!("{v1_sha}0")] {
        let r = stack
            .app
            .deployment_mutation(
                &stack.token,
                "deploy",
                json!({ "applicationId": stack.app_id, "commitSha": bad }),
            )
            .await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{bad}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "commitSha", "{bad}: {r}");
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("40 hex characters"),
            "{bad}: {r}"
        );
    }

    // Well formed but not in the repository: the clone fails, v1 keeps serving.
    let missing = stack.deploy(Some(&"0123456789".repeat(4))).await;
    let failed = stack.wait_for_status(&missing, "FAILED").await;
    assert!(
        failed["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{}",
        describe_deployment(&failed)
    );
    assert_eq!(stack.get("/").await, Ok((200, "version v1".to_string())));
}

/// Builds a small image carrying Ployer's labels for `app_id`, tagged `tag` (untagged for
/// `None`, as a build is between its last step and its tag); `marker` makes it distinct from
/// every other image. Returns its id.
async fn managed_image(app_id: &str, tag: Option<&str>, marker: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let dockerfile = format!("FROM ployer-test/busybox:latest\nLABEL ployer.test.orphan={marker}\n");
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).expect("Dockerfile");
    let context = dir.path().to_str().expect("utf-8 path");
    let app_label = format!("ployer.app={app_id}");
    let mut args = vec!["build", "-q", "--label", "ployer.managed=true", "--label", &app_label];
    if let Some(tag) = tag {
        args.extend(["-t", tag]);
    }
    args.push(context);
    docker(&args).await.trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_image_no_deployment_owns_is_removed_by_the_reconciler_and_others_are_left() {
    let stack = Stack::start().await;
    let v1 = stack.deploy_running("v1").await;
    let v1_images = stack.images_of(&v1).await;
    assert_eq!(v1_images.len(), 1, "{v1_images:?}");

    // What a deployment interrupted after its build leaves: an image of this application
    // whose deployment owns nothing (no such row). And one of an application this Ployer does
    // not know (another Ployer on the same engine), which must stay.
    let orphan_tag = format!("ployer/{}:{}", stack.name, uuid::Uuid::new_v4());
    let orphan = managed_image(&stack.app_id, Some(&orphan_tag), &orphan_tag).await;
    let foreign_app = format!("foreign-{}", stack.name);
    let foreign_tag = format!("ployer/{foreign_app}:{}", uuid::Uuid::new_v4());
    let foreign = managed_image(&foreign_app, Some(&foreign_tag), &foreign_tag).await;
    // And one of this application that names no deployment yet: a build about to be tagged.
    let building = managed_image(&stack.app_id, None, &format!("{orphan_tag}-building")).await;

    // Reconcile passes run every 2 s in this stack.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !images_tagged(&orphan_tag).await.is_empty() {
        assert!(
            Instant::now() < deadline,
            "the orphaned image {orphan} is still there after 15 s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(
        images_tagged(&foreign_tag).await,
        std::slice::from_ref(&foreign),
        "another app's image is left alone"
    );
    assert_eq!(
        stack.images_of(&v1).await,
        v1_images,
        "the active deployment's image stays"
    );
    assert_eq!(stack.get("/").await, Ok((200, "version v1".to_string())));
    let dangling = docker(&["images", "-q", "--no-trunc", "--filter", "dangling=true"]).await;
    assert!(
        dangling.contains(&building),
        "an image about to be tagged is left alone"
    );
    docker(&["rmi", &foreign_tag, &building]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deployment_cancelled_during_its_build_is_cancelled_and_leaves_nothing() {
    let stack = Stack::start().await;
    let v1 = stack.deploy_running("v1").await;
    let marker = format!("{}-slow", stack.name);
    stack.repo.commit_slow_build(&marker).await;
    let id = stack.deploy(None).await;
    stack.wait_for_status(&id, "BUILDING").await;
    // The 20 s build step has started.
    wait_for_log_line(&stack, &id, &marker, Duration::from_secs(30)).await;

    let asked = Instant::now();
    let cancelled = stack.mutate("cancelDeployment", json!({ "deploymentId": id })).await;
    let took = asked.elapsed();
    let deployment = match cancelled["status"].as_str() {
        Some("CANCELLED") => stack.deployment(&id).await,
        _ => stack.wait_for_status(&id, "CANCELLED").await,
    };
    assert_eq!(
        deployment["status"],
        "CANCELLED",
        "{}",
        describe_deployment(&deployment)
    );
    assert!(
        took < Duration::from_secs(10),
        "cancel stops the build step, it took {took:?}"
    );

    assert_eq!(
        stack.containers_of(&id).await,
        Vec::<String>::new(),
        "no container left"
    );
    assert_eq!(stack.images_of(&id).await, Vec::<String>::new(), "no image left");
    let started = Instant::now();
    loop {
        let left = containers_mentioning(&marker).await;
        if left.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the cancelled build step's container is still there: {left:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(stack.get("/").await, Ok((200, "version v1".to_string())));
    assert_eq!(stack.application().await["activeDeployment"]["id"], v1.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rollback_serves_the_earlier_image_again_without_a_build() {
    let stack = Stack::start().await;
    let v1 = stack.deploy_running("v1").await;
    stack.repo.commit_version("v2").await;
    stack.deploy_running("v2").await;

    let rollback = stack.mutate("rollback", json!({ "deploymentId": v1 })).await;
    let id = rollback["id"].as_str().expect("rollback id").to_string();
    let deployment = stack.wait_for_status(&id, "RUNNING").await;
    stack.wait_until_serves("/", "version v1", Duration::from_secs(5)).await;

    assert_eq!(deployment["trigger"], "rollback");
    let original = stack.deployment(&v1).await;
    assert_eq!(deployment["image"], original["image"], "the image v1 ran");
    assert_eq!(deployment["commitSha"], original["commitSha"]);
    let built: Vec<Value> = log_lines(&deployment)
        .into_iter()
        .filter(|l| {
            let text = l["line"].as_str().unwrap_or_default().to_lowercase();
            l["stream"] == "build" || text.starts_with("building")
        })
        .collect();
    assert!(
        built.is_empty(),
        "no build step in a rollback: {built:?}; {}",
        describe_deployment(&deployment)
    );
    assert_eq!(stack.application().await["activeDeployment"]["id"], id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_redeploy_builds_the_active_commit_again_not_the_branch_head() {
    let stack = Stack::start().await;
    let v1 = stack.deploy_running("v1").await;
    let v1_sha = stack.deployment(&v1).await["commitSha"].clone();
    stack.repo.commit_version("v2").await;

    let redeploy = stack.mutate("redeploy", json!({ "applicationId": stack.app_id })).await;
    let id = redeploy["id"].as_str().expect("redeploy id").to_string();
    let deployment = stack.wait_for_status(&id, "RUNNING").await;
    assert_eq!(deployment["trigger"], "redeploy");
    assert_eq!(deployment["commitSha"], v1_sha);
    stack.wait_until_serves("/", "version v1", Duration::from_secs(5)).await;
    // The same commit builds entirely from the engine's cache: no step runs a container
    // (Ployer's own build labels must not add a step that differs per deployment).
    let lines: Vec<String> = log_lines(&deployment)
        .into_iter()
        .filter(|l| l["stream"] == "build")
        .filter_map(|l| l["line"].as_str().map(str::to_string))
        .collect();
    let ran: Vec<&String> = lines.iter().filter(|l| l.contains("Running in")).collect();
    assert!(ran.is_empty(), "steps run again on a cached build: {ran:?}\n{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("Using cache")), "{lines:#?}");
    assert_ne!(
        deployment["image"],
        stack.deployment(&v1).await["image"],
        "one tag per deployment"
    );

    let listed = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { deployments(applicationId: $id, first: 10) { edges { node { id status } } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert_eq!(
        listed["data"]["deployments"]["edges"],
        json!([
            { "node": { "id": id, "status": "RUNNING" } },
            { "node": { "id": v1, "status": "SUPERSEDED" } },
        ]),
        "newest first: {listed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_subscriber_joining_half_way_receives_every_line_once_in_order() {
    let stack = Stack::start().await;
    stack.repo.commit_chatty_build(40).await;
    let id = stack.deploy(None).await;
    let half_way = wait_for_log_line(&stack, &id, "chatty-10", Duration::from_secs(60)).await;
    assert_eq!(half_way["status"], "BUILDING", "joined half-way through the build");

    let mut ws = subscribe_logs(&stack, &id).await;
    let received = collect_until_complete(&mut ws).await;
    let deployment = stack.wait_for_status(&id, "RUNNING").await;
    let stored = log_lines(&deployment);

    assert_eq!(
        seqs(&received),
        seqs(&stored),
        "the subscriber's lines are the stored ones"
    );
    assert_eq!(received, stored, "same streams and text too");
    let text: Vec<&str> = received
        .iter()
        .map(|l| l["line"].as_str().unwrap_or_default())
        .collect();
    assert!(
        text.iter().any(|l| l.contains("chatty-39")),
        "the last build line: {text:?}"
    );
    assert!(
        seqs(&received).windows(2).all(|w| w[0] < w[1]),
        "seqs increase: {:?}",
        seqs(&received)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_subscriber_joining_while_the_deployment_is_queued_receives_its_whole_log() {
    let stack = Stack::start().await;
    stack.repo.commit_chatty_build(40).await;
    let first = stack.deploy(None).await;
    stack.wait_for_status(&first, "BUILDING").await;
    // One deployment at a time per application: the second waits for the first.
    let second = stack.deploy(None).await;
    assert_eq!(stack.deployment(&second).await["status"], "QUEUED");

    let mut ws = subscribe_logs(&stack, &second).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        stack.deployment(&second).await["status"],
        "QUEUED",
        "still queued after the subscription started"
    );
    let received = collect_until_complete(&mut ws).await;
    let deployment = stack.wait_for_status(&second, "RUNNING").await;
    let stored = log_lines(&deployment);
    assert!(!stored.is_empty(), "{}", describe_deployment(&deployment));
    assert_eq!(
        seqs(&received),
        seqs(&stored),
        "a subscriber of a queued deployment gets its lines once it runs, then `complete`"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn routes_are_back_within_5s_after_caddy_is_emptied() {
    let stack = Stack::start().await;
    stack.deploy_running("v1").await;

    let admin = format!("http://127.0.0.1:{}", stack.admin_port);
    let client = proxy_client();
    let emptied = client
        .post(format!("{admin}/load"))
        .json(&json!({ "admin": { "listen": format!("127.0.0.1:{}", stack.admin_port) } }))
        .send()
        .await
        .expect("Caddy's admin API answers");
    assert!(emptied.status().is_success(), "POST /load: {}", emptied.status());
    let apps: Value = client
        .get(format!("{admin}/config/apps"))
        .send()
        .await
        .expect("Caddy's admin API answers")
        .json()
        .await
        .expect("JSON");
    assert!(apps.is_null(), "Caddy was emptied: {apps}");

    let took = stack.wait_until_serves("/", "version v1", Duration::from_secs(5)).await;
    eprintln!("routes were back after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_container_removed_behind_ployers_back_is_running_again_within_seconds() {
    let stack = Stack::start().await;
    let id = stack.deploy_running("v1").await;
    let before = stack.containers_of(&id).await;
    assert_eq!(before.len(), 1, "{before:?}");

    docker(&["rm", "-f", &before[0]]).await;
    let took = stack
        .wait_until_serves("/", "version v1", Duration::from_secs(10))
        .await;
    let after = stack.containers_of(&id).await;
    assert_eq!(after.len(), 1, "one container for the active deployment: {after:?}");
    assert_ne!(after, before, "a new container");
    eprintln!("serving again after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_an_application_removes_its_containers_images_and_route() {
    let stack = Stack::start().await;
    let id = stack.deploy_running("v1").await;
    assert_eq!(stack.images_of(&id).await.len(), 1);

    let deleted = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert_eq!(
        deleted["data"]["deleteApplication"]["deletedApplicationId"],
        stack.app_id.as_str(),
        "{deleted}"
    );

    let label = format!("ployer.app={}", stack.app_id);
    for when in ["at once", "after reconcile passes"] {
        assert_eq!(
            containers_labelled(&label).await,
            Vec::<String>::new(),
            "containers, {when}"
        );
        assert_eq!(images_labelled(&label).await, Vec::<String>::new(), "images, {when}");
        let answer = stack.get("/").await;
        assert!(
            !matches!(&answer, Ok((_, body)) if body.trim() == "version v1"),
            "the route is gone {when}: {answer:?}"
        );
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
}

/// `logs(first, after)` of deployment `id`: the edges' nodes, `endCursor`, `hasNextPage`, or
/// the response's errors.
async fn logs_page(stack: &Stack, id: &str, first: i64, after: Option<&str>) -> Value {
    stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!, $first: Int, $after: String) { deployment(id: $id) {
                logs(first: $first, after: $after) { edges { node { seq line } } pageInfo { hasNextPage endCursor } } } }",
            json!({ "id": id, "first": first, "after": after }),
        )
        .await
}

/// `deployments(applicationId, first: 2, after)` of the stack's application.
async fn deployments_page(stack: &Stack, after: Option<String>) -> Value {
    let query = "query($app: ID!, $after: String) { deployments(applicationId: $app, first: 2, after: $after) {
        edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }";
    let vars = json!({ "app": stack.app_id, "after": after });
    stack.app.graphql_as(&stack.token, query, vars).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn logs_and_deployments_page_and_only_the_newest_images_are_kept() {
    let stack = Stack::start_with(|c| c.keep_images = 2).await;
    let v1 = stack.deploy_running("v1").await;

    // The log, five lines a page, equals the log read whole.
    let whole = log_lines(&stack.deployment(&v1).await);
    assert!(whole.len() > 10, "{whole:?}");
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let r = logs_page(&stack, &v1, 5, after.as_deref()).await;
        let logs = &r["data"]["deployment"]["logs"];
        let edges = logs["edges"].as_array().unwrap_or_else(|| panic!("{r}"));
        assert!(edges.len() <= 5, "{r}");
        paged.extend(edges.iter().map(|e| e["node"]["seq"].clone()));
        if logs["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = logs["pageInfo"]["endCursor"].as_str().map(str::to_string);
    }
    let whole_seqs: Vec<Value> = whole.iter().map(|l| l["seq"].clone()).collect();
    assert_eq!(paged, whole_seqs, "every line once, in order");
    for (first, after, field) in [
        (0, None, "first"),
        (1001, None, "first"),
        (5, Some("nonsense"), "after"),
    ] {
        let r = logs_page(&stack, &v1, first, after).await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }

    stack.repo.commit_version("v2").await;
    let v2 = stack.deploy_running("v2").await;
    stack.repo.commit_version("v3").await;
    let v3 = stack.deploy_running("v3").await;

    // Newest first, two a page.
    let first = deployments_page(&stack, None).await;
    let ids = |r: &Value| -> Vec<String> {
        r["data"]["deployments"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{r}"))
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(ids(&first), [v3.clone(), v2.clone()], "{first}");
    assert_eq!(first["data"]["deployments"]["pageInfo"]["hasNextPage"], true, "{first}");
    let cursor = first["data"]["deployments"]["pageInfo"]["endCursor"]
        .as_str()
        .map(str::to_string);
    let second = deployments_page(&stack, cursor).await;
    assert_eq!(ids(&second), std::slice::from_ref(&v1), "{second}");
    assert_eq!(
        second["data"]["deployments"]["pageInfo"]["hasNextPage"], false,
        "{second}"
    );
    let bad = deployments_page(&stack, Some("not-a-deployment".into())).await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "after", "{bad}");

    // keep_images = 2: v1's image goes once v3 runs and v2's container has drained; v2's and
    // v3's stay.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !stack.images_of(&v1).await.is_empty() {
        assert!(Instant::now() < deadline, "v1's image is still there 15 s after v3 ran");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(stack.images_of(&v2).await.len(), 1);
    assert_eq!(stack.images_of(&v3).await.len(), 1);
    let r = stack
        .app
        .deployment_mutation(&stack.token, "rollback", json!({ "deploymentId": v1 }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no longer kept"),
        "{r}"
    );
    assert_eq!(stack.get("/").await, Ok((200, "version v3".to_string())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_build_beyond_max_concurrent_builds_waits_for_a_slot() {
    let mut stack = Stack::start_with(|c| c.max_concurrent_builds = 1).await;
    let other = stack.add_git_app(&format!("{}-b", stack.name)).await;
    // About 4 s of build output, one line every 100 ms.
    stack.repo.commit_chatty_build(40).await;

    let first = stack.deploy(None).await;
    wait_for_log_line(&stack, &first, "chatty-0", Duration::from_secs(30)).await;
    let second = stack.app.deploy(&stack.token, &other, None).await;
    wait_for_log_line(&stack, &second, "waiting for a build slot", Duration::from_secs(30)).await;

    // The first build holds the only slot: the second has not started building.
    let first_now = lines_text(&stack.deployment(&first).await);
    assert!(
        !first_now.iter().any(|l| l.contains("Successfully built")),
        "the first build is still running: {first_now:?}"
    );
    let second_now = lines_text(&stack.deployment(&second).await);
    assert!(
        !second_now.iter().any(|l| l.starts_with("building ployer/")),
        "the second build started while the first held the only slot: {second_now:?}"
    );

    stack.wait_for_status(&first, "RUNNING").await;
    let second_done = stack.wait_for_status(&second, "RUNNING").await;
    assert!(
        lines_text(&second_done)
            .iter()
            .any(|l| l.starts_with("building ployer/")),
        "{}",
        describe_deployment(&second_done)
    );
}

/// `curl` over HTTPS through the stack's Caddy on `port`, trusting only Caddy's local CA (read
/// from its admin API); the body, or curl's complaint.
async fn https_get(stack: &Stack, port: u16) -> Result<String, String> {
    let root: Value = reqwest::get(format!("http://127.0.0.1:{}/pki/ca/local", stack.admin_port))
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let ca = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(ca.path(), root["root_certificate"].as_str().unwrap_or_default()).unwrap();
    let host = stack.host();
    let output = tokio::process::Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "5", "--cacert"])
        .arg(ca.path())
        .arg("--resolve")
        .arg(format!("{host}:{port}:127.0.0.1"))
        .arg(format!("https://{host}:{port}/"))
        .output()
        .await
        .expect("curl runs (apt-get install -y curl)");
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_proxy_https_listen_a_deployment_is_served_over_https_too() {
    let https_port = free_port();
    let stack = Stack::start_with(|c| {
        c.proxy_https_listen = Some(format!("127.0.0.1:{https_port}").parse().unwrap());
    })
    .await;
    stack.deploy_running("v1").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match https_get(&stack, https_port).await {
            Ok(body) => {
                assert_eq!(body.trim(), "version v1");
                break;
            }
            Err(err) if Instant::now() < deadline => {
                eprintln!("HTTPS not ready yet: {err}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(err) => panic!("{} was never served over HTTPS: {err}", stack.host()),
        }
    }
    stack.repo.commit_version("v2").await;
    stack.deploy_running("v2").await;
    assert_eq!(
        https_get(&stack, https_port).await.map(|b| b.trim().to_string()),
        Ok("version v2".into())
    );
}
