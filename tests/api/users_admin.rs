//! Admin user management; the installation always keeps an admin.

use entities::users;
use ployer_tests::{error_code, spawn_app};
use serde_json::{json, Value};

const SET_ROLE: &str = "mutation($i: UpdateUserRoleInput!) { updateUserRole(input: $i) { user { id role } } }";
const DELETE: &str = "mutation($i: DeleteUserInput!) { deleteUser(input: $i) { deletedUserId } }";

async fn my_id(app: &ployer_tests::TestApp, token: &str) -> String {
    app.graphql_as(token, "{ me { id } }", Value::Null).await["data"]["me"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn admins_list_change_and_delete_users() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let member_id = my_id(&app, &member).await;
    let list = app.graphql_as(&admin, "{ users { email role } }", Value::Null).await;
    assert_eq!(list["data"]["users"].as_array().unwrap().len(), 2, "{list}");

    let r = app
        .graphql_as(
            &admin,
            SET_ROLE,
            json!({ "i": { "userId": member_id, "role": "VIEWER" } }),
        )
        .await;
    assert_eq!(r["data"]["updateUserRole"]["user"]["role"], "VIEWER", "{r}");
    // The demotion ends the member's sessions at once.
    assert_eq!(
        app.graphql_raw(Some(&member), "{ me { id } }", Value::Null).await.0,
        401
    );

    let r = app
        .graphql_as(&admin, DELETE, json!({ "i": { "userId": member_id } }))
        .await;
    assert_eq!(r["data"]["deleteUser"]["deletedUserId"], member_id.as_str());
    assert_eq!(app.count(users::Entity).await, 1);
    let r = app
        .graphql_as(&admin, DELETE, json!({ "i": { "userId": member_id } }))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"));
}

#[tokio::test]
async fn the_last_admin_can_be_neither_demoted_nor_deleted() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let admin_id = my_id(&app, &admin).await;
    let r = app
        .graphql_as(
            &admin,
            SET_ROLE,
            json!({ "i": { "userId": admin_id, "role": "MEMBER" } }),
        )
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    let r = app
        .graphql_as(&admin, DELETE, json!({ "i": { "userId": admin_id } }))
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"));
    let me = app.graphql_as(&admin, "{ me { role } }", Value::Null).await;
    assert_eq!(me["data"]["me"]["role"], "ADMIN");

    // With a second admin, the first may step down.
    app.user_token(&admin, "second@example.com", "ADMIN").await;
    let r = app
        .graphql_as(
            &admin,
            SET_ROLE,
            json!({ "i": { "userId": admin_id, "role": "MEMBER" } }),
        )
        .await;
    assert_eq!(r["data"]["updateUserRole"]["user"]["role"], "MEMBER", "{r}");
}

#[tokio::test]
async fn members_cannot_manage_users_or_invite_admins() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let member_id = my_id(&app, &member).await;
    let (status, r) = app.graphql_raw(Some(&member), "{ users { id } }", Value::Null).await;
    assert_eq!((status, error_code(&r)), (403, Some("FORBIDDEN")));
    let r = app
        .graphql_as(
            &member,
            "mutation { createUser(input: {email: \"evil@example.com\", password: \"correct horse battery\", role: ADMIN}) { user { id } } }",
            Value::Null,
        )
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"));
    let r = app
        .graphql_as(
            &member,
            SET_ROLE,
            json!({ "i": { "userId": member_id, "role": "ADMIN" } }),
        )
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"));
    assert_eq!(app.count(users::Entity).await, 2);
    let me = app.graphql_as(&member, "{ me { role } }", Value::Null).await;
    assert_eq!(me["data"]["me"]["role"], "MEMBER");
}

#[tokio::test]
async fn admin_created_accounts_are_validated() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }";
    for (email, password) in [
        ("bad", "correct horse battery"),
        ("ok@example.com", "weak"),
        ("admin@example.com", "correct horse battery"),
    ] {
        let r = app
            .graphql_as(
                &admin,
                create,
                json!({ "i": { "email": email, "password": password, "role": "MEMBER" } }),
            )
            .await;
        assert!(matches!(error_code(&r), Some("BAD_USER_INPUT" | "CONFLICT")), "{r}");
    }
    assert_eq!(app.count(users::Entity).await, 1);
}
