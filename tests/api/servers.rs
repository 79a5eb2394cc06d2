//! Servers: the local one with live resources, remote rows and their validation.

use std::time::Duration;

use entities::servers;
use ployer_tests::{error_code, spawn_app};
use serde_json::{json, Value};

const CREATE: &str =
    "mutation($i: CreateServerInput!) { createServer(input: $i) { server { id name host port isLocal status publicKey } } }";
const VALIDATE: &str =
    "mutation($id: ID!) { validateServer(input: {id: $id}) { reachable message failure server { status lastCheckedAt lastError } } }";

#[tokio::test]
async fn the_local_server_is_registered_with_live_resources() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let r = app
        .graphql_as(
            &token,
            "{ servers { id name isLocal resources { cpuPercent memoryUsedBytes memoryTotalBytes diskTotalBytes uptimeSeconds dockerReachable } } }",
            Value::Null,
        )
        .await;
    let servers = r["data"]["servers"].as_array().unwrap_or_else(|| panic!("{r}"));
    assert_eq!(servers.len(), 1);
    let local = &servers[0];
    assert_eq!(local["isLocal"], true);
    let resources = &local["resources"];
    assert!(resources["memoryTotalBytes"].as_u64().unwrap() > 0);
    assert!(resources["memoryUsedBytes"].as_u64().unwrap() <= resources["memoryTotalBytes"].as_u64().unwrap());
    assert!((0.0..=100.0).contains(&resources["cpuPercent"].as_f64().unwrap()));
    assert!(resources["diskTotalBytes"].as_u64().unwrap() > 0);
    assert_eq!(
        resources["dockerReachable"], true,
        "the Docker engine must be running for this test (the README's test command starts dockerd)"
    );

    let id = local["id"].as_str().unwrap();
    let one = app
        .graphql_as(
            &token,
            "query($id: ID!) { server(id: $id) { name } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(one["data"]["server"]["name"], "local");
    let none = app
        .graphql_as(
            &token,
            "query($id: ID!) { server(id: $id) { name } }",
            json!({ "id": "nope" }),
        )
        .await;
    assert!(none["data"]["server"].is_null(), "{none}");
}

#[tokio::test]
async fn remote_servers_are_validated_on_input_and_reachability() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    for (input, field) in [
        (json!({ "name": "a;b", "host": "127.0.0.1" }), "name"),
        (json!({ "name": "edge", "host": "$(id)" }), "host"),
        (json!({ "name": "edge", "host": "127.0.0.1", "port": 70000 }), "port"),
        (
            json!({ "name": "edge", "host": "127.0.0.1", "username": "root;rm" }),
            "username",
        ),
        (json!({ "name": "x".repeat(300), "host": "127.0.0.1" }), "name"),
    ] {
        let r = app.graphql_as(&token, CREATE, json!({ "i": input })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field);
    }
    assert_eq!(app.count(servers::Entity).await, 1);

    // A listener that is no SSH daemon: it hangs up at once. (Real SSH servers, with keys,
    // host keys and an engine behind them, are tested on the lab's hosts: remote_servers.rs.)
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hang_up = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    let r = app
        .graphql_as(
            &token,
            CREATE,
            json!({ "i": { "name": "edge", "host": "127.0.0.1", "port": port } }),
        )
        .await;
    let server = &r["data"]["createServer"]["server"];
    assert_eq!(
        (server["isLocal"].clone(), server["status"].clone()),
        (json!(false), json!("unknown")),
        "{r}"
    );
    assert!(
        server["publicKey"]
            .as_str()
            .is_some_and(|k| k.starts_with("ssh-ed25519 ")),
        "Ployer made a key for it: {r}"
    );
    let id = server["id"].as_str().unwrap().to_string();
    let dup = app
        .graphql_as(&token, CREATE, json!({ "i": { "name": "edge", "host": "127.0.0.2" } }))
        .await;
    assert_eq!(error_code(&dup), Some("CONFLICT"));

    let v = app.graphql_as(&token, VALIDATE, json!({ "id": id })).await;
    assert_eq!(v["data"]["validateServer"]["reachable"], false, "{v}");
    assert_eq!(v["data"]["validateServer"]["failure"], "SSH_ERROR", "{v}");
    assert_eq!(v["data"]["validateServer"]["server"]["status"], "unreachable");

    hang_up.abort();
    let _ = hang_up.await;
    let v = app.graphql_as(&token, VALIDATE, json!({ "id": id })).await;
    assert_eq!(v["data"]["validateServer"]["reachable"], false, "{v}");
    assert_eq!(v["data"]["validateServer"]["failure"], "CONNECTION_REFUSED", "{v}");
    assert_eq!(v["data"]["validateServer"]["server"]["status"], "unreachable");
    assert!(
        v["data"]["validateServer"]["server"]["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("refused the connection")),
        "{v}"
    );

    let bad = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { updateServer(input: {id: $id, host: \"a b\"}) { server { host } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"));
    let renamed = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { updateServer(input: {id: $id, name: \"edge-2\"}) { server { name host } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        renamed["data"]["updateServer"]["server"],
        json!({ "name": "edge-2", "host": "127.0.0.1" })
    );

    let deleted = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { deleteServer(input: {id: $id}) { deletedServerId } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(deleted["data"]["deleteServer"]["deletedServerId"], id.as_str());
    assert_eq!(app.count(servers::Entity).await, 1);
}

#[tokio::test]
async fn the_local_server_cannot_be_deleted_or_repointed() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app.graphql_as(&token, "{ servers { id } }", Value::Null).await["data"]["servers"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { deleteServer(input: {id: $id}) { deletedServerId } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { updateServer(input: {id: $id, host: \"10.0.0.1\"}) { server { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"));
    assert_eq!(app.count(servers::Entity).await, 1);
}

#[tokio::test]
async fn server_stats_stream_live_over_the_websocket() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app.graphql_as(&token, "{ servers { id } }", Value::Null).await["data"]["servers"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe(
        "stats",
        "subscription($id: ID!) { serverStats(serverId: $id, intervalSeconds: 1) { serverId cpuPercent memoryUsedBytes sampledAt } }",
        json!({ "id": id }),
    )
    .await;
    let first = ws.message().await;
    let second = ws.message().await;
    for message in [&first, &second] {
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], "stats");
        let stats = &message["payload"]["data"]["serverStats"];
        assert_eq!(stats["serverId"], id.as_str());
        assert!(stats["memoryUsedBytes"].as_u64().unwrap() > 0);
    }
    assert_ne!(
        first["payload"]["data"]["serverStats"]["sampledAt"],
        second["payload"]["data"]["serverStats"]["sampledAt"]
    );

    ws.send(json!({ "type": "complete", "id": "stats" })).await;
    // After completing, the id can be used again and bad arguments answer an error.
    ws.subscribe(
        "stats",
        "subscription($id: ID!) { serverStats(serverId: $id, intervalSeconds: 0) { cpuPercent } }",
        json!({ "id": id }),
    )
    .await;
    let mut saw_error = false;
    for _ in 0..3 {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.message())
            .await
            .unwrap();
        if message["type"] == "next" && message["payload"]["errors"].is_array() {
            assert_eq!(
                message["payload"]["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
                "{message}"
            );
            saw_error = true;
            break;
        }
    }
    assert!(saw_error);
}
