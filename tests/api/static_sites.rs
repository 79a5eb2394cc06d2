//! Static sites end to end, with real Docker, Caddy and git: files served by Caddy from disk
//! with no container, a redeploy under load without a failed request, a rollback, the
//! single-page fallback, precompressed files and caching headers; a build command run in a
//! build image; and builds that fail (a command that fails, an output directory missing or
//! leading outside the repository) leaving the previous version serving.

use std::time::Duration;

use ployer_test_support::docker::containers_labelled;
use serde_json::{json, Value};

use crate::fixtures::{Connections, Stack};

/// The stack's application made a static site serving the repository's `www`.
async fn static_stack(settings: Value) -> Stack {
    let stack = Stack::start().await;
    let mut input = json!({ "id": stack.app_id, "buildStrategy": "STATIC", "staticOutputDir": "www" });
    for (key, value) in settings.as_object().unwrap() {
        input[key] = value.clone();
    }
    update(&stack, input).await;
    stack
}

async fn update(stack: &Stack, input: Value) -> Value {
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($i: UpdateApplicationInput!) { updateApplication(input: $i) { application { buildStrategy staticOutputDir spaFallback staticBuildImage staticBuildCommand } } }",
            json!({ "i": input }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["updateApplication"]["application"].clone()
}

/// GET through Caddy with `headers`; the status, the response headers asked for and the body
/// (not decoded).
async fn get_with(
    stack: &Stack,
    path: &str,
    headers: &[(&str, &str)],
    wanted: &[&str],
) -> (u16, Vec<Option<String>>, Vec<u8>) {
    let client = reqwest::Client::new();
    let mut request = client
        .get(format!("{}{path}", stack.proxy_base()))
        .header(reqwest::header::HOST, stack.host());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("GET through Caddy");
    let status = response.status().as_u16();
    let values = wanted
        .iter()
        .map(|name| {
            response
                .headers()
                .get(*name)
                .map(|v| v.to_str().unwrap_or_default().to_string())
        })
        .collect();
    (status, values, response.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_static_site_is_served_from_disk_redeployed_without_a_failed_request_and_rolled_back() {
    let stack = static_stack(json!({})).await;
    // A precompressed sibling, served when the client takes gzip.
    // Served as stored: Caddy only picks the sibling, it never decodes it.
    let gz = b"\x1f\x8b pretend-compressed".to_vec();
    std::fs::write(stack.repo.path("www/data.txt.gz"), &gz).unwrap();
    stack.repo.write("www/data.txt", Some("plain body"));
    stack.repo.commit_version("v1").await;
    let v1 = stack.deploy_running("v1").await;

    assert!(
        containers_labelled(&format!("ployer.app={}", stack.app_id))
            .await
            .is_empty(),
        "no container runs for a static site"
    );
    let deployment = stack.deployment(&v1).await;
    assert!(deployment["image"].is_null(), "{deployment}");
    let (status, headers, body) = get_with(&stack, "/", &[], &["cache-control", "etag"]).await;
    assert_eq!((status, body.as_slice()), (200, b"version v1".as_slice()));
    assert_eq!(headers[0].as_deref(), Some("public, max-age=0, must-revalidate"));
    assert!(headers[1].is_some(), "an ETag to revalidate with");
    let (status, headers, body) = get_with(
        &stack,
        "/data.txt",
        &[("accept-encoding", "gzip")],
        &["content-encoding"],
    )
    .await;
    assert_eq!((status, headers[0].as_deref()), (200, Some("gzip")));
    assert_eq!(body, gz, "the precompressed file as it is");
    let (_, headers, body) = get_with(&stack, "/data.txt", &[], &["content-encoding"]).await;
    assert_eq!(
        (headers[0].as_deref(), body.as_slice()),
        (None, b"plain body".as_slice())
    );
    let (status, _, _) = get_with(&stack, "/no/such/page", &[], &[]).await;
    assert_eq!(status, 404, "no fallback unless asked for");

    // A redeploy switches the files under load without a failed request.
    stack.repo.commit_version("v2").await;
    let load = stack.load_loop(Duration::from_millis(5), Connections::PerRequest);
    stack.deploy_running("v2").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let report = load.stop().await;
    assert!(report.failures.is_empty(), "{report:?}");
    assert_eq!(report.bodies, ["version v1", "version v2"], "{report:?}");
    assert!(report.requests > 20, "{report:?}");

    // A rollback serves v1's files again, without a clone or a build.
    let rollback = stack.mutate("rollback", json!({ "deploymentId": v1 })).await;
    let rolled = stack.wait_for_status(rollback["id"].as_str().unwrap(), "RUNNING").await;
    stack.wait_until_serves("/", "version v1", Duration::from_secs(5)).await;
    let lines: Vec<String> = ployer_tests::log_lines(&rolled)
        .iter()
        .map(|l| l["line"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!lines.iter().any(|l| l.starts_with("cloning")), "{lines:?}");

    // The single-page fallback: paths with no file get index.html.
    let settings = update(&stack, json!({ "id": stack.app_id, "spaFallback": true })).await;
    assert_eq!(settings["spaFallback"], true);
    stack.repo.commit_version("v3").await;
    stack.deploy_running("v3").await;
    let (status, _, body) = get_with(&stack, "/no/such/page", &[], &[]).await;
    assert_eq!((status, body.as_slice()), (200, b"version v3".as_slice()));
    let (status, _, body) = get_with(&stack, "/data.txt", &[], &[]).await;
    assert_eq!(
        (status, body.as_slice()),
        (200, b"plain body".as_slice()),
        "files are still files"
    );

    // Deleting the application removes its route and files.
    let r = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedApplicationId } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let site = stack.app.state.config.sites_root().join(&stack.app_id);
    assert!(!site.exists(), "{} is gone", site.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_build_command_runs_in_its_image_and_failed_builds_leave_the_previous_version() {
    let stack = static_stack(json!({
        "staticBuildImage": "ployer-test/busybox:latest",
        "staticBuildCommand": "mkdir -p out && cp -r www/. out/ && echo built-by-command > out/built.txt",
        "staticOutputDir": "out",
    }))
    .await;
    let v1 = stack.deploy_running("v1").await;
    assert_eq!(
        stack.get("/built.txt").await,
        Ok((200, "built-by-command\n".to_string()))
    );
    let deployment = stack.deployment(&v1).await;
    let build_lines = ployer_tests::log_lines(&deployment)
        .iter()
        .filter(|l| l["line"].as_str().unwrap_or_default().contains("running `mkdir -p out"))
        .count();
    assert_eq!(build_lines, 1, "{}", ployer_tests::describe_deployment(&deployment));
    assert!(
        containers_labelled(&format!("ployer.app={}", stack.app_id))
            .await
            .is_empty(),
        "the build container is gone"
    );

    for (settings, expected) in [
        (
            json!({ "staticBuildCommand": "echo failing on purpose; exit 3" }),
            "exited with status 3",
        ),
        (
            json!({ "staticBuildCommand": "true" }),
            "does not exist after the build",
        ),
        (
            json!({ "staticBuildCommand": "ln -s /etc out" }),
            "leads outside the repository",
        ),
    ] {
        let mut input = settings;
        input["id"] = json!(stack.app_id);
        update(&stack, input).await;
        let id = stack.deploy(None).await;
        let failed = stack.wait_for_status(&id, "FAILED").await;
        assert!(
            failed["error"].as_str().unwrap_or_default().contains(expected),
            "{expected}: {}",
            ployer_tests::describe_deployment(&failed)
        );
        assert_eq!(
            stack.get("/").await,
            Ok((200, "version v1".to_string())),
            "v1 still serves"
        );
        let dir = stack.app.state.config.sites_root().join(&stack.app_id).join(&id);
        assert!(!dir.exists(), "a failed deployment leaves no files");
    }
}
