//! `setGitCredentials` / `clearGitCredentials` and `Application.gitCredentials`: what is
//! accepted, what is refused with which field, who may call them, and when stored credentials
//! are dropped because the repository moved.

use entities::git_credentials;
use ployer_tests::{error_code, error_field, spawn_app, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

const SET: &str = "mutation($i: SetGitCredentialsInput!) {
    setGitCredentials(input: $i) { gitCredentials { username createdAt updatedAt } } }";
const CLEAR: &str = "mutation($id: ID!) { clearGitCredentials(input: { applicationId: $id }) { removed } }";
const READ: &str = "query($id: ID!) { application(id: $id) { gitCredentials { username } } }";
const TOKEN: &str = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";

async fn set(app: &TestApp, token: &str, app_id: &str, username: &str, secret: &str) -> Value {
    app.graphql_as(
        token,
        SET,
        json!({ "i": { "applicationId": app_id, "username": username, "token": secret } }),
    )
    .await
}

async fn origin(app: &TestApp, app_id: &str) -> Option<String> {
    git_credentials::Entity::find()
        .filter(git_credentials::Column::ApplicationId.eq(app_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .map(|row| row.origin)
}

async fn stored(app: &TestApp, app_id: &str) -> u64 {
    git_credentials::Entity::find()
        .filter(git_credentials::Column::ApplicationId.eq(app_id))
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn update_url(app: &TestApp, token: &str, app_id: &str, url: &str) {
    let response = app
        .graphql_as(
            token,
            "mutation($id: ID!, $url: String!) { updateApplication(input: { id: $id, gitUrl: $url }) { application { id } } }",
            json!({ "id": app_id, "url": url }),
        )
        .await;
    assert!(response["errors"].is_null(), "updateApplication: {response}");
}

#[tokio::test]
async fn credentials_are_set_replaced_read_without_the_token_and_cleared() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app
        .create_git_app(&admin, "private", "https://git.example.com/team/app.git")
        .await;

    let read = app.graphql_as(&admin, READ, json!({ "id": id })).await;
    assert_eq!(read["data"]["application"]["gitCredentials"], Value::Null, "{read}");

    let first = set(&app, &admin, &id, "oauth2", TOKEN).await;
    assert!(first["errors"].is_null(), "{first}");
    let first = &first["data"]["setGitCredentials"]["gitCredentials"];
    assert_eq!(first["username"], "oauth2");
    let second = set(&app, &admin, &id, "jane", "another-token-value").await;
    let second = &second["data"]["setGitCredentials"]["gitCredentials"];
    assert_eq!(second["username"], "jane", "{second}");
    assert_eq!(second["createdAt"], first["createdAt"], "one row, replaced");
    assert_eq!(stored(&app, &id).await, 1);
    assert_eq!(origin(&app, &id).await.as_deref(), Some("https://git.example.com:443"));

    let read = app.graphql_as(&admin, READ, json!({ "id": id })).await;
    assert_eq!(
        read["data"]["application"]["gitCredentials"],
        json!({ "username": "jane" })
    );
    // The type has no field that could return the token.
    let token_field = app
        .graphql_as(
            &admin,
            "query($id: ID!) { application(id: $id) { gitCredentials { token } } }",
            json!({ "id": id }),
        )
        .await;
    let message = token_field["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        token_field["data"].is_null() && message.contains("Unknown field \"token\""),
        "{token_field}"
    );

    let cleared = app.graphql_as(&admin, CLEAR, json!({ "id": id })).await;
    assert_eq!(cleared["data"]["clearGitCredentials"]["removed"], true, "{cleared}");
    assert_eq!(stored(&app, &id).await, 0);
    let again = app.graphql_as(&admin, CLEAR, json!({ "id": id })).await;
    assert_eq!(again["data"]["clearGitCredentials"]["removed"], false, "{again}");
}

#[tokio::test]
async fn bad_credentials_and_unsuitable_applications_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let https = app
        .create_git_app(&admin, "https-app", "https://git.example.com/team/app.git")
        .await;
    let ssh = app
        .create_git_app(&admin, "ssh-app", "git@git.example.com:team/app.git")
        .await;
    let plain = app
        .create_git_app(&admin, "plain-http", "http://git.example.com/team/app.git")
        .await;
    let local = app
        .create_git_app(&admin, "loopback-http", "http://127.0.0.1:3000/team/app.git")
        .await;
    let image = app
        .create_application(
            &admin,
            json!({ "name": "image-app", "buildStrategy": "IMAGE", "image": "nginx:1.27", "port": 80 }),
        )
        .await;
    let image = image["data"]["createApplication"]["application"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("image app: {image}"))
        .to_string();

    let cases = [
        (&https, "", TOKEN, "username"),
        (&https, "user:name", TOKEN, "username"),
        (&https, "line\nbreak", TOKEN, "username"),
        (&https, "oauth2", "", "token"),
        (&https, "oauth2", "abc", "token"),
        (&https, "oauth2", "tok\nen", "token"),
        (&https, "oauth2", " ghp_0123456789", "token"),
        (&ssh, "oauth2", TOKEN, "applicationId"),
        (&plain, "oauth2", TOKEN, "applicationId"),
        (&image, "oauth2", TOKEN, "applicationId"),
    ];
    for (app_id, username, token, field) in cases {
        let response = set(&app, &admin, app_id, username, token).await;
        assert_eq!(
            error_code(&response),
            Some("BAD_USER_INPUT"),
            "{username:?}/{token:?}: {response}"
        );
        assert_eq!(
            error_field(&response),
            Some(field),
            "{username:?}/{token:?}: {response}"
        );
        assert!(
            !response.to_string().contains(TOKEN),
            "the token is not echoed: {response}"
        );
        assert_eq!(stored(&app, app_id).await, 0);
    }
    let long = set(&app, &admin, &https, "oauth2", &"t".repeat(4097)).await;
    assert_eq!(error_field(&long), Some("token"), "{long}");

    let unknown = set(&app, &admin, "00000000-0000-0000-0000-000000000000", "oauth2", TOKEN).await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");
    let unknown = app
        .graphql_as(&admin, CLEAR, json!({ "id": "00000000-0000-0000-0000-000000000000" }))
        .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");

    // Plain http is fine to a git server on this machine.
    let loopback = set(&app, &admin, &local, "oauth2", TOKEN).await;
    assert!(loopback["errors"].is_null(), "{loopback}");
}

#[tokio::test]
async fn only_members_set_credentials_and_viewers_see_the_user_name() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app
        .create_git_app(&admin, "private", "https://git.example.com/team/app.git")
        .await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;

    let denied = set(&app, &viewer, &id, "oauth2", TOKEN).await;
    assert_eq!(error_code(&denied), Some("FORBIDDEN"), "{denied}");
    let denied = app.graphql_as(&viewer, CLEAR, json!({ "id": id })).await;
    assert_eq!(error_code(&denied), Some("FORBIDDEN"), "{denied}");
    assert_eq!(stored(&app, &id).await, 0);

    let allowed = set(&app, &member, &id, "oauth2", TOKEN).await;
    assert!(allowed["errors"].is_null(), "{allowed}");
    let read = app.graphql_as(&viewer, READ, json!({ "id": id })).await;
    assert_eq!(
        read["data"]["application"]["gitCredentials"],
        json!({ "username": "oauth2" }),
        "{read}"
    );
}

#[tokio::test]
async fn credentials_follow_the_repository_only_within_its_origin() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app
        .create_git_app(&admin, "private", "https://git.example.com/team/app.git")
        .await;
    assert!(set(&app, &admin, &id, "oauth2", TOKEN).await["errors"].is_null());

    // Another repository on the same host keeps them.
    update_url(&app, &admin, &id, "https://GIT.example.com:443/team/other.git").await;
    assert_eq!(stored(&app, &id).await, 1, "same origin: kept");

    // Another host would receive the token: they are dropped.
    update_url(&app, &admin, &id, "https://attacker.example.net/team/app.git").await;
    assert_eq!(stored(&app, &id).await, 0, "another host: removed");

    // Moving to SSH drops them too.
    update_url(&app, &admin, &id, "https://git.example.com/team/app.git").await;
    assert!(set(&app, &admin, &id, "oauth2", TOKEN).await["errors"].is_null());
    update_url(&app, &admin, &id, "ssh://git@git.example.com/team/app.git").await;
    assert_eq!(stored(&app, &id).await, 0, "ssh: removed");

    // Deleting the application deletes them.
    update_url(&app, &admin, &id, "https://git.example.com/team/app.git").await;
    assert!(set(&app, &admin, &id, "oauth2", TOKEN).await["errors"].is_null());
    let deleted = app
        .graphql_as(
            &admin,
            "mutation($id: ID!) { deleteApplication(input: { id: $id }) { deletedApplicationId } }",
            json!({ "id": id }),
        )
        .await;
    assert!(deleted["errors"].is_null(), "{deleted}");
    assert_eq!(stored(&app, &id).await, 0, "deleted with the application");
}
