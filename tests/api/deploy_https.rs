//! Deploying a private repository over HTTP with the application's git credentials, end to
//! end: a loopback smart-HTTP git server that answers only to one user name and token serves
//! the test repository, and Ployer (with its own Caddy and the real dockerd) clones, builds and
//! serves it. The token is stored sealed, sent only when the server asks, and appears in no
//! log line, error or API answer.

use entities::git_credentials;
use ployer_tests::{describe_deployment, log_lines, random_suffix};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};

use crate::{fixtures::Stack, git_http::GitHttp};

const SET_CREDENTIALS: &str = "mutation($i: SetGitCredentialsInput!) {
    setGitCredentials(input: $i) { gitCredentials { username createdAt updatedAt } } }";

async fn set_credentials(stack: &Stack, username: &str, token: &str) -> Value {
    let response = stack
        .app
        .graphql_as(
            &stack.token,
            SET_CREDENTIALS,
            json!({ "i": { "applicationId": stack.app_id, "username": username, "token": token } }),
        )
        .await;
    assert!(response["errors"].is_null(), "setGitCredentials: {response}");
    response["data"]["setGitCredentials"]["gitCredentials"].clone()
}

/// Everything a deployment shows: its error and every log line.
fn shown(deployment: &Value) -> String {
    let mut text = deployment["error"].as_str().unwrap_or_default().to_string();
    for line in log_lines(deployment) {
        text.push('\n');
        text.push_str(line["line"].as_str().unwrap_or_default());
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_private_http_repository_deploys_with_the_applications_token_which_is_never_shown() {
    let token = format!("glpat-{}", random_suffix(24));
    let wrong = format!("glpat-{}", random_suffix(24));
    let mut server = None;
    let stack = Stack::start_with_git_url(
        |_| {},
        |repo| {
            let root = repo.bare_path().parent().unwrap().to_path_buf();
            let started = GitHttp::start(root, "ployer", &token);
            let url = started.url("app.git");
            server = Some(started);
            url
        },
    )
    .await;
    let server = server.unwrap();

    // Without credentials the server's question is answered with what to do.
    let anonymous = stack.deploy(None).await;
    let failed = stack.wait_for_status(&anonymous, "FAILED").await;
    let error = failed["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("asks for credentials") && error.contains("git credentials"),
        "the error says to set the application's git credentials: {}",
        describe_deployment(&failed)
    );
    assert!(
        server.seen().iter().all(Option::is_none),
        "nothing was sent: {:?}",
        server.seen()
    );

    // A token the server refuses: offered once per connection, named by its user only.
    let set = set_credentials(&stack, "ployer", &wrong).await;
    assert_eq!(set["username"], "ployer", "{set}");
    let refused = stack.deploy(None).await;
    let failed = stack.wait_for_status(&refused, "FAILED").await;
    let error = failed["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("did not accept the application's git credentials for user `ployer`"),
        "the error names the refused credentials: {}",
        describe_deployment(&failed)
    );
    assert!(
        !shown(&failed).contains(&wrong),
        "the token is not shown: {}",
        describe_deployment(&failed)
    );
    let sent_wrong = server
        .seen()
        .iter()
        .filter(|auth| auth.as_deref() == Some(GitHttp::basic("ployer", &wrong).as_str()))
        .count();
    assert_eq!(sent_wrong, 1, "the refused token was offered once: {:?}", server.seen());
    assert_eq!(
        stack.containers_of(&refused).await,
        Vec::<String>::new(),
        "no container"
    );

    // The right token: the clone, build and cutover go through. It is sent only once the
    // server has asked (the first request of the clone carries none).
    let replaced = set_credentials(&stack, "ployer", &token).await;
    assert_eq!(replaced["createdAt"], set["createdAt"], "replaced in place: {replaced}");
    let before = server.seen().len();
    let v1 = stack.deploy_running("v1").await;
    let running = stack.deployment(&v1).await;
    assert_eq!(running["commitSha"], stack.repo.head().await.as_str(), "{running}");
    assert!(!shown(&running).contains(&token), "{}", describe_deployment(&running));
    let seen = server.seen().split_off(before);
    assert_eq!(seen.first(), Some(&None), "asked first: {seen:?}");
    assert!(
        seen.iter()
            .any(|auth| auth.as_deref() == Some(GitHttp::basic("ployer", &token).as_str())),
        "the token was sent: {seen:?}"
    );

    // Stored sealed; the API shows the user name only.
    let row = git_credentials::Entity::find()
        .filter(git_credentials::Column::ApplicationId.eq(stack.app_id.as_str()))
        .one(&stack.app.state.db)
        .await
        .unwrap()
        .expect("a git_credentials row");
    assert!(
        !row.token_ciphertext.windows(token.len()).any(|w| w == token.as_bytes()),
        "the token is sealed"
    );
    let application = stack
        .app
        .graphql_as(
            &stack.token,
            "query($id: ID!) { application(id: $id) { gitCredentials { username } } }",
            json!({ "id": stack.app_id }),
        )
        .await;
    assert_eq!(
        application["data"]["application"]["gitCredentials"],
        json!({ "username": "ployer" }),
        "{application}"
    );
    assert!(!application.to_string().contains(&token));

    // Credentials stored for another origin (a URL changed while a deployment was queued)
    // are not sent to this one.
    let mut moved: git_credentials::ActiveModel = row.into();
    moved.origin = Set("https://git.example.com:443".into());
    moved.update(&stack.app.state.db).await.unwrap();
    let before = server.seen().len();
    let elsewhere = stack.deploy(None).await;
    let failed = stack.wait_for_status(&elsewhere, "FAILED").await;
    assert!(
        failed["error"]
            .as_str()
            .unwrap_or_default()
            .contains("asks for credentials"),
        "{}",
        describe_deployment(&failed)
    );
    let seen = server.seen().split_off(before);
    assert!(seen.iter().all(Option::is_none), "no token sent: {seen:?}");
    assert_eq!(
        stack.get("/").await,
        Ok((200, "version v1".to_string())),
        "v1 keeps serving"
    );
}
