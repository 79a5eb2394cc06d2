//! Repositories on Ployer's own disk (`file://`): refused unless an admin allows them, never
//! inside Ployer's data directory, and re-checked at deploy time.

use serde_json::{json, Value};

use ployer_tests::{error_code, error_field};

use crate::fixtures::Stack;

const SET_URL: &str = "mutation($id: ID!, $url: String!) { updateApplication(input: {id: $id, gitUrl: $url}) { application { gitUrl } } }";

async fn allow_local(stack: &Stack, allow: bool) -> Value {
    stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($allow: Boolean!) { updateSettings(input: {allowLocalGitPaths: $allow}) { allowLocalGitPaths } }",
            json!({ "allow": allow }),
        )
        .await
}

async fn set_url(stack: &Stack, url: &str) -> Value {
    stack
        .app
        .graphql_as(&stack.token, SET_URL, json!({ "id": stack.app_id, "url": url }))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_local_repository_deploys_only_while_an_admin_allows_local_sources() {
    let stack = Stack::start().await;
    let local = format!("file://{}", stack.repo.bare.display());

    // Off by default: refused at the edge, nothing changes.
    let refused = set_url(&stack, &local).await;
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{refused}");
    assert_eq!(error_field(&refused), Some("gitUrl"), "{refused}");
    assert!(refused.to_string().contains("allowLocalGitPaths"), "{refused}");
    let stored = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { application(id: $id) { gitUrl } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert_eq!(
        stored["data"]["application"]["gitUrl"],
        stack.repo.url.as_str(),
        "{stored}"
    );

    let settings = allow_local(&stack, true).await;
    assert_eq!(
        settings["data"]["updateSettings"]["allowLocalGitPaths"], true,
        "{settings}"
    );

    // Ployer's own data directory stays out of bounds, also for a bare path.
    let data_dir = stack.app.state.config.data_dir.display().to_string();
    for url in [
        format!("{data_dir}/x.git"),
        format!("file://{data_dir}"),
        "/srv/../etc".to_string(),
    ] {
        let r = set_url(&stack, &url).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{url}: {r}");
    }

    // A bare path is stored as a file:// URL, and deploys.
    let saved = set_url(&stack, &stack.repo.bare.display().to_string()).await;
    assert_eq!(
        saved["data"]["updateApplication"]["application"]["gitUrl"],
        local.as_str(),
        "{saved}"
    );
    let head = stack.repo.head().await;
    let id = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&id, "RUNNING").await;
    assert_eq!(deployment["commitSha"], head.as_str(), "{deployment}");
    assert_eq!(stack.get("/").await, Ok((200, "version v1".to_string())));

    // Turned off again: the saved URL no longer deploys, with a reason that says why.
    allow_local(&stack, false).await;
    let id = stack.deploy(None).await;
    let failed = stack.wait_for_status(&id, "FAILED").await;
    let error = failed["error"].as_str().unwrap_or_default();
    assert!(error.contains("allowLocalGitPaths"), "{failed}");
    assert_eq!(
        stack.get("/").await,
        Ok((200, "version v1".to_string())),
        "v1 keeps serving"
    );
}

#[tokio::test]
async fn only_admins_change_whether_local_sources_are_allowed() {
    let app = ployer_tests::spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let r = app
        .graphql_as(
            &member,
            "mutation { updateSettings(input: {allowLocalGitPaths: true}) { allowLocalGitPaths } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    let r = app
        .graphql_as(&admin, "{ settings { allowLocalGitPaths } }", json!({}))
        .await;
    assert_eq!(r["data"]["settings"]["allowLocalGitPaths"], false, "{r}");
}
