//! Remote servers over SSH, against real hosts: the lab's (`scripts/lab.sh up 3`: network
//! namespaces with their own sshd and dockerd, addresses on a private /24 that exists only on
//! this machine). Ployer's generated key refused until added to `authorized_keys`, then the
//! host key recorded and the engine reached through the SSH connection with the server's
//! resources; a changed host key refused until accepted; a wrong port, an address where no
//! host answers, a missing Docker socket or one the user may not use, a key that does not parse and a server deleted with
//! an application on it, each with its clear error.

use std::io::Write;

use entities::servers;
use ployer_tests::{error_code, error_field, spawn_app, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{json, Value};

pub(crate) const LAB: &str = "/run/ployer-lab";
const SERVER_FIELDS: &str = "id status publicKey hostKeyFingerprint dockerVersion dockerSocket cpus memoryBytes diskTotalBytes diskFreeBytes lastError";

/// One lab host: its address and its engine's socket path.
pub(crate) struct LabHost {
    pub address: String,
    pub socket: String,
}

/// The lab's hosts, from the file `scripts/lab.sh up` writes; fails loudly without a lab.
pub(crate) fn lab_hosts() -> Vec<LabHost> {
    let listing = std::fs::read_to_string(format!("{LAB}/hosts")).unwrap_or_else(|e| {
        panic!("no lab ({LAB}/hosts: {e}): the README's test command starts it; by hand: scripts/lab.sh up 3")
    });
    let hosts: Vec<LabHost> = listing
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let (_, address, socket) = (parts.next()?, parts.next()?, parts.next()?);
            Some(LabHost {
                address: address.to_string(),
                socket: socket.trim_start_matches("unix://").to_string(),
            })
        })
        .collect();
    assert!(
        hosts.len() >= 2,
        "the lab needs 2 hosts (scripts/lab.sh up 2): {listing}"
    );
    hosts
}

/// Lets `public_key` log in to every lab host (they share one `authorized_keys`).
fn authorize(public_key: &str) {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(format!("{LAB}/authorized_keys"))
        .expect("the lab's authorized_keys");
    file.write_all(format!("{public_key}\n").as_bytes()).unwrap();
}

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql_as(
        token,
        &format!("mutation($i: CreateServerInput!) {{ createServer(input: $i) {{ server {{ {SERVER_FIELDS} }} }} }}"),
        json!({ "i": input }),
    )
    .await
}

async fn validate(app: &TestApp, token: &str, mutation: &str, id: &str) -> Value {
    let r = app
        .graphql_as(
            token,
            &format!("mutation($id: ID!) {{ {mutation}(input: {{id: $id}}) {{ reachable message failure server {{ {SERVER_FIELDS} }} }} }}"),
            json!({ "id": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{mutation}: {r}");
    r["data"][mutation].clone()
}

async fn update(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql_as(
        token,
        "mutation($i: UpdateServerInput!) { updateServer(input: $i) { server { id hostKeyFingerprint status } } }",
        json!({ "i": input }),
    )
    .await
}

#[tokio::test]
async fn a_lab_host_is_validated_over_ssh_with_its_host_key_pinned_and_its_engine_reached() {
    let hosts = lab_hosts();
    let host = &hosts[0];
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let r = create(
        &app,
        &token,
        json!({ "name": "lab-one", "host": host.address, "dockerSocket": host.socket }),
    )
    .await;
    let server = r["data"]["createServer"]["server"].clone();
    let id = server["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string();
    let public = server["publicKey"].as_str().unwrap().to_string();
    assert!(public.starts_with("ssh-ed25519 "), "{public}");
    assert!(server["hostKeyFingerprint"].is_null());

    // Not yet in authorized_keys: refused, said so.
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(
        (v["reachable"].clone(), v["failure"].clone()),
        (json!(false), json!("AUTHENTICATION_REFUSED")),
        "{v}"
    );
    assert!(v["message"].as_str().unwrap().contains("authorized_keys"), "{v}");
    assert_eq!(v["server"]["status"], "unreachable");

    // Added: connected, the host key recorded, the engine reached through the connection.
    authorize(&public);
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(v["reachable"], true, "{v}");
    assert!(v["failure"].is_null());
    let found = &v["server"];
    assert_eq!(found["status"], "reachable");
    let pinned = found["hostKeyFingerprint"].as_str().unwrap().to_string();
    assert!(pinned.starts_with("SHA256:"), "{found}");
    let expected_version = ployer_test_support::docker::docker(&[
        "-H",
        &format!("unix://{}", host.socket),
        "version",
        "--format",
        "{{.Server.Version}}",
    ])
    .await;
    assert_eq!(found["dockerVersion"], expected_version.trim(), "{found}");
    assert!(found["cpus"].as_i64().is_some_and(|n| n > 0), "{found}");
    assert!(found["memoryBytes"].as_i64().is_some_and(|n| n > 0), "{found}");
    let (total, free) = (found["diskTotalBytes"].as_i64(), found["diskFreeBytes"].as_i64());
    assert!(
        total.is_some_and(|t| t > 0) && free.is_some_and(|f| f <= total.unwrap()),
        "{found}"
    );
    assert!(found["lastError"].is_null());

    // The host presents another key than the one recorded: refused until accepted.
    let row = servers::Entity::find_by_id(id.clone())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut changed: servers::ActiveModel = row.into();
    changed.host_key_fingerprint = Set(Some("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()));
    changed.update(&app.state.db).await.unwrap();
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(
        (v["reachable"].clone(), v["failure"].clone()),
        (json!(false), json!("HOST_KEY_CHANGED")),
        "{v}"
    );
    let message = v["message"].as_str().unwrap();
    assert!(
        message.contains(&pinned) && message.contains("SHA256:AAAA"),
        "names both keys: {message}"
    );
    let v = validate(&app, &token, "acceptServerHostKey", &id).await;
    assert_eq!(v["reachable"], true, "{v}");
    assert_eq!(v["server"]["hostKeyFingerprint"], pinned.as_str());

    // The engine's socket is not there.
    let r = update(
        &app,
        &token,
        json!({ "id": id, "dockerSocket": format!("{LAB}/no-such.sock") }),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(
        (v["reachable"].clone(), v["failure"].clone()),
        (json!(false), json!("DOCKER_UNAVAILABLE")),
        "{v}"
    );
    assert!(v["message"].as_str().unwrap().contains("no-such.sock"), "{v}");
    update(&app, &token, json!({ "id": id, "dockerSocket": host.socket })).await;

    // A user the engine's socket does not admit (the lab's sshd takes its key for any user).
    let r = update(&app, &token, json!({ "id": id, "username": "nobody" })).await;
    assert!(r["errors"].is_null(), "{r}");
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(
        (v["reachable"].clone(), v["failure"].clone()),
        (json!(false), json!("DOCKER_UNAVAILABLE")),
        "{v}"
    );
    assert!(v["message"].as_str().unwrap().contains(&host.socket), "{v}");
    let r = update(&app, &token, json!({ "id": id, "username": "root" })).await;
    assert!(r["errors"].is_null(), "{r}");
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(v["reachable"], true, "{v}");

    // Nothing listens on the port; another port forgets the recorded host key.
    let r = update(&app, &token, json!({ "id": id, "port": 2222 })).await;
    assert!(
        r["data"]["updateServer"]["server"]["hostKeyFingerprint"].is_null(),
        "{r}"
    );
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(v["failure"], "CONNECTION_REFUSED", "{v}");

    // An address of the lab's network where no host answers.
    let silent = host
        .address
        .rsplit_once('.')
        .map(|(net, _)| format!("{net}.99"))
        .unwrap();
    let r = update(&app, &token, json!({ "id": id, "host": silent, "port": 22 })).await;
    assert!(r["errors"].is_null(), "{r}");
    let started = std::time::Instant::now();
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(v["failure"], "UNREACHABLE", "{v}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "fails within the connect timeout"
    );
}

#[tokio::test]
async fn a_given_key_is_used_a_key_that_does_not_parse_is_refused_and_a_used_server_stays() {
    let hosts = lab_hosts();
    let host = &hosts[1];
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let before = app.count(servers::Entity).await;
    for bad in [
        "not a key",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----",
    ] {
        let r = create(
            &app,
            &token,
            json!({ "name": "lab-two", "host": host.address, "privateKey": bad }),
        )
        .await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert_eq!(error_field(&r), Some("privateKey"));
    }
    let r = create(
        &app,
        &token,
        json!({ "name": "lab-two", "host": host.address, "dockerSocket": "relative.sock" }),
    )
    .await;
    assert_eq!(error_field(&r), Some("dockerSocket"), "{r}");
    assert_eq!(app.count(servers::Entity).await, before, "nothing refused was stored");

    // The lab's own key, which every lab host accepts.
    let key = std::fs::read_to_string(format!("{LAB}/id_ed25519")).expect("the lab's key");
    let r = create(
        &app,
        &token,
        json!({ "name": "lab-two", "host": host.address, "dockerSocket": host.socket, "privateKey": key }),
    )
    .await;
    let server = &r["data"]["createServer"]["server"];
    let id = server["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string();
    let lab_public = std::fs::read_to_string(format!("{LAB}/id_ed25519.pub")).unwrap();
    let key_part = |line: &str| line.split_whitespace().nth(1).map(str::to_string);
    assert_eq!(
        key_part(server["publicKey"].as_str().unwrap()),
        key_part(&lab_public),
        "{r}"
    );
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(v["reachable"], true, "{v}");
    let stored = servers::Entity::find_by_id(id.clone())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let sealed = stored.private_key_ciphertext.unwrap();
    assert!(
        !String::from_utf8_lossy(&sealed).contains("OPENSSH"),
        "the key is sealed at rest"
    );

    // An application on it keeps it from being deleted; the error names the application.
    let r = app
        .create_application(
            &token,
            json!({ "name": "on-lab-two", "image": "ployer-test/busybox:latest", "buildStrategy": "IMAGE", "serverId": id }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { deleteServer(input: {id: $id}) { deletedServerId } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    assert!(
        r["errors"][0]["message"].as_str().unwrap().contains("on-lab-two"),
        "{r}"
    );
    assert!(servers::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .is_some());
}

/// A unix socket at `path` passing every connection to `target` (a lab engine's socket),
/// until the task is aborted.
fn socket_proxy(path: &std::path::Path, target: String) -> tokio::task::JoinHandle<()> {
    let _ = std::fs::remove_file(path);
    let listener = tokio::net::UnixListener::bind(path).expect("a socket in a temp dir");
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut engine) = tokio::net::UnixStream::connect(&target).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut engine).await;
                }
            });
        }
    })
}

/// The next `serverStatusChanged` event's server.
async fn next_change(ws: &mut ployer_tests::WsClient) -> Value {
    let message = ws.message().await;
    assert_eq!(message["type"], "next", "{message}");
    message["payload"]["data"]["serverStatusChanged"].clone()
}

#[tokio::test]
async fn a_server_that_stops_answering_its_check_is_offline_until_it_answers_again() {
    let hosts = lab_hosts();
    let host = &hosts[1];
    let app = ployer_tests::spawn_app_with(|c| c.server_check_interval_seconds = 1).await;
    let token = app.admin_token().await;
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("docker.sock");
    let proxy = socket_proxy(&socket, host.socket.clone());
    let key = std::fs::read_to_string(format!("{LAB}/id_ed25519")).expect("the lab's key");
    let r = create(
        &app,
        &token,
        json!({ "name": "lab-watched", "host": host.address, "dockerSocket": socket.display().to_string(), "privateKey": key }),
    )
    .await;
    let id = r["data"]["createServer"]["server"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    let mut ws = app.ws().await;
    ws.init(&token).await;
    ws.subscribe(
        "s",
        "subscription { serverStatusChanged { id status lastError } }",
        json!({}),
    )
    .await;
    let v = validate(&app, &token, "validateServer", &id).await;
    assert_eq!(v["reachable"], true, "{v}");
    let change = next_change(&mut ws).await;
    assert_eq!(
        (change["id"].as_str(), change["status"].as_str()),
        (Some(id.as_str()), Some("reachable")),
        "{change}"
    );

    // The engine stops answering: the next checks find it, and say why.
    proxy.abort();
    let _ = proxy.await;
    std::fs::remove_file(&socket).unwrap();
    let change = next_change(&mut ws).await;
    assert_eq!(change["status"], "offline", "{change}");
    assert!(
        change["lastError"].as_str().unwrap_or_default().contains("docker.sock"),
        "{change}"
    );

    // Back: reachable again, without anyone validating it.
    let _proxy = socket_proxy(&socket, host.socket.clone());
    let change = next_change(&mut ws).await;
    assert_eq!(change["status"], "reachable", "{change}");
    assert!(change["lastError"].is_null(), "{change}");

    // The checks go over one SSH connection, kept from one to the next.
    let kept = app.state.remotes.open(&id).await.expect("a connection is kept");
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let later = app.state.remotes.open(&id).await.expect("still kept");
    assert!(
        std::sync::Arc::ptr_eq(&kept, &later),
        "two more checks reused the connection"
    );
}
