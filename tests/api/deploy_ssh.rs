//! Deploying from an SSH git URL with the application's generated deploy key, end to end: a
//! loopback `sshd` whose `authorized_keys` the test controls serves the test repository, and
//! Ployer (with its own Caddy and the real dockerd) clones, builds and serves it. The host key
//! is recorded on the first clone and accepted on the next; after the deploy key is
//! regenerated, the server still authorizes only the old one and the clone is refused while
//! the running version keeps serving.

use entities::deploy_keys;
use ployer_test_support::sshd::Sshd;
use ployer_tests::{describe_deployment, log_lines};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::fixtures::Stack;

/// What the pipeline logs when it pins the git host's key on the first clone.
const RECORDED_HOST_KEY: &str = "recorded the git host's key";

/// The application's deploy key: (public key, fingerprint).
async fn deploy_key(stack: &Stack) -> (String, String) {
    let response = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { application(id: $id) { deployKey { publicKey fingerprint } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    let key = &response["data"]["application"]["deployKey"];
    let public = key["publicKey"]
        .as_str()
        .unwrap_or_else(|| panic!("an ssh:// application has a deploy key: {response}"));
    (
        public.to_string(),
        key["fingerprint"].as_str().unwrap_or_default().to_string(),
    )
}

/// The host key Ployer recorded for the application's deploy key, read from its database.
async fn recorded_host_key(stack: &Stack) -> Option<String> {
    deploy_keys::Entity::find()
        .filter(deploy_keys::Column::ApplicationId.eq(stack.app_id.as_str()))
        .one(&stack.app.state.db)
        .await
        .expect("read deploy_keys")
        .expect("the application has a deploy key row")
        .known_host_key
}

fn logged(deployment: &Value, needle: &str) -> bool {
    log_lines(deployment)
        .iter()
        .any(|line| line["line"].as_str().unwrap_or_default().contains(needle))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_ssh_clone_with_the_deploy_key_deploys_and_is_refused_once_the_key_is_regenerated() {
    // As root, authorizing no key until the application has one (sshd reads the file on every
    // connection); its log is printed if the test fails.
    let sshd = Sshd::start();
    let stack = Stack::start_with_git_url(|_| {}, |repo| sshd.url(&repo.bare_path())).await;
    let (public_key, fingerprint) = deploy_key(&stack).await;
    assert!(public_key.starts_with("ssh-ed25519 "), "{public_key}");
    assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
    sshd.authorize(&public_key);
    assert_eq!(
        recorded_host_key(&stack).await,
        None,
        "no host key before the first clone"
    );

    // First clone: the key is accepted and the host key is recorded.
    let v1 = stack.deploy_running("v1").await;
    let first = stack.deployment(&v1).await;
    assert_eq!(first["commitSha"], stack.repo.head().await.as_str(), "{first}");
    assert!(
        logged(&first, RECORDED_HOST_KEY),
        "the first clone records the host key: {}",
        describe_deployment(&first)
    );
    assert_eq!(
        recorded_host_key(&stack).await.as_deref(),
        Some(sshd.host_key.as_str()),
        "the recorded host key is sshd's"
    );

    // Second clone with the same key: the recorded host key is checked and matches.
    let v2_sha = stack.repo.commit_version("v2").await;
    let v2 = stack.deploy_running("v2").await;
    let second = stack.deployment(&v2).await;
    assert_eq!(second["commitSha"], v2_sha.as_str(), "{second}");
    assert!(
        !logged(&second, RECORDED_HOST_KEY),
        "the host key was already recorded: {}",
        describe_deployment(&second)
    );
    assert_eq!(recorded_host_key(&stack).await.as_deref(), Some(sshd.host_key.as_str()));

    // A new key that the server does not authorize: the clone is refused.
    let regenerated = stack
        .app
        .graphql_as(
            &stack.token,
            "mutation($id: ID!) { regenerateDeployKey(input: { applicationId: $id }) { deployKey { publicKey } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    let new_key = regenerated["data"]["regenerateDeployKey"]["deployKey"]["publicKey"]
        .as_str()
        .unwrap_or_else(|| panic!("regenerateDeployKey: {regenerated}"))
        .to_string();
    assert_ne!(new_key, public_key, "a new key");
    assert_eq!(deploy_key(&stack).await.0, new_key);
    stack.repo.commit_version("v3").await;
    let refused = stack.deploy(None).await;
    let deployment = stack.wait_for_status(&refused, "FAILED").await;
    let error = deployment["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("deploy key") && error.contains("accept"),
        "the error names the refused deploy key: {}",
        describe_deployment(&deployment)
    );
    assert!(
        !error.contains("BEGIN OPENSSH PRIVATE KEY"),
        "no private key in the error: {error}"
    );

    // The previous version keeps serving and nothing was made for the refused deployment.
    assert_eq!(stack.get("/").await, Ok((200, "version v2".to_string())));
    assert_eq!(stack.application().await["activeDeployment"]["id"], v2.as_str());
    assert_eq!(
        stack.containers_of(&refused).await,
        Vec::<String>::new(),
        "no container"
    );
    assert_eq!(stack.images_of(&refused).await, Vec::<String>::new(), "no image");
}
