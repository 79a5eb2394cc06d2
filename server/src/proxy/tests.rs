//! Against a real Caddy: every test starts its own (free loopback admin and HTTP ports) through
//! `CaddySupervisor::ensure`, and its own tiny backends. A machine without `caddy` on PATH fails
//! these tests; it never skips them.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

use ployer_test_support::caddy::{require_caddy, CaddyPorts};
use ployer_test_support::free_port;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::{sleep, Instant};

use super::config::Server;
use super::supervisor::{admin_listen_address, check_version, find_on_path, parse_version, write_start_config};
use super::*;

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

struct TestCaddy {
    supervisor: CaddySupervisor,
    caddy: Caddy,
    admin_url: String,
    listen: SocketAddr,
    files: UpstreamFiles,
    _dir: tempfile::TempDir,
}

/// Upstream files in a fresh temporary directory (absolute, as Caddy needs).
fn upstream_files() -> (tempfile::TempDir, UpstreamFiles) {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = UpstreamFiles::open(&dir.path().join("upstreams")).expect("upstream files");
    (dir, files)
}

/// A Caddy of this test's own, started by the supervisor.
async fn start_caddy() -> TestCaddy {
    require_caddy();
    let ports = CaddyPorts::new();
    let admin_url = ports.admin_url();
    let listen = ports.http_addr();
    let supervisor = CaddySupervisor::ensure(&admin_url)
        .await
        .unwrap_or_else(|err| panic!("could not start Caddy: {err:#}"))
        .expect("nothing else should answer on a fresh admin port, so the supervisor must start Caddy");
    let (dir, files) = upstream_files();
    let caddy = Caddy::new(&admin_url, listen, files.clone());
    TestCaddy {
        supervisor,
        caddy,
        admin_url,
        listen,
        files,
        _dir: dir,
    }
}

/// An HTTP/1.1 backend that answers every request with its own name, after `delay`.
async fn backend_with_delay(name: &'static str, delay: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("cannot bind a backend");
    let addr = listener.local_addr().expect("backend address");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut chunk = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&chunk[..n]),
                    }
                }
                sleep(delay).await;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{name}",
                    name.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    addr
}

async fn backend(name: &'static str) -> SocketAddr {
    backend_with_delay(name, Duration::ZERO).await
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("test HTTP client")
}

/// `GET /` through Caddy's HTTP listener with `host` as the Host header.
async fn get_via(listen: SocketAddr, host: &str) -> Result<(u16, String), reqwest::Error> {
    let response = http_client()
        .get(format!("http://{listen}/"))
        .header("host", host)
        .send()
        .await?;
    Ok((response.status().as_u16(), response.text().await?))
}

/// The body of a 200 answer through Caddy for `host`. A connection that fails outright is tried
/// again: on Linux each config load binds a new SO_REUSEPORT listener and closes the old one,
/// which resets connections still queued on it (measured: about one per ten loads under a
/// few hundred requests per second). That is Caddy's, not a routing answer; this module's
/// tests check which backend answers.
async fn body_via(listen: SocketAddr, host: &str) -> String {
    let mut attempt = 0;
    let (status, body) = loop {
        match get_via(listen, host).await {
            Ok(answer) => break answer,
            Err(err) if attempt < 3 => {
                attempt += 1;
                eprintln!("GET through Caddy for {host} (attempt {attempt}): {err:?}");
                sleep(Duration::from_millis(50)).await;
            }
            Err(err) => panic!("GET through Caddy for {host}: {err:?}"),
        }
    };
    assert_eq!(status, 200, "GET through Caddy for {host} answered {status}: {body}");
    body
}

fn route(app_id: &str, hostnames: &[&str], upstream: SocketAddr) -> AppRoute {
    AppRoute {
        app_id: app_id.to_string(),
        hostnames: hostnames.iter().map(|h| h.to_string()).collect(),
        target: super::Target::Upstream(upstream),
    }
}

/// One request straight to the admin API, as another tool would send it. Like `Caddy::send`, it
/// retries transport errors: Caddy swaps its admin listener just after each config change and
/// resets the connections that arrive meanwhile.
async fn admin(admin_url: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> reqwest::Response {
    let mut attempt = 0;
    loop {
        let mut request = http_client().request(method.clone(), format!("{admin_url}{path}"));
        if let Some(body) = &body {
            request = request.json(body);
        }
        match request.send().await {
            Ok(response) => return response,
            Err(err) if attempt < 5 => {
                attempt += 1;
                eprintln!("admin API {method} {path} (attempt {attempt}): {err}");
                sleep(Duration::from_millis(50) * attempt).await;
            }
            Err(err) => panic!("admin API {method} {path}: {err}"),
        }
    }
}

/// Sends a change straight to the admin API and checks Caddy accepted it.
async fn admin_change(admin_url: &str, method: reqwest::Method, path: &str, body: Value) {
    let response = admin(admin_url, method, path, Some(body)).await;
    let status = response.status();
    assert!(status.is_success(), "{status}: {:?}", response.text().await);
}

/// Caddy's config at `path` and its ETag, read directly from the admin API.
async fn raw_config(admin_url: &str, path: &str) -> (Value, String) {
    let response = admin(admin_url, reqwest::Method::GET, path, None).await;
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (response.json().await.expect("admin API JSON"), etag)
}

// ----- without Caddy -----

#[test]
fn the_https_server_holds_the_same_routes_without_wildcard_names() {
    let (_dir, files) = upstream_files();
    let routes = [
        route("a", &["a.example.com", "*.a.example.com"], loopback(9001)),
        route("w", &["*.w.example.com"], loopback(9002)),
    ];
    let server = Server::tls_for_routes(loopback(8443), &files, &routes).expect("server");
    let server = serde_json::to_value(server).unwrap();
    assert_eq!(server["listen"], json!(["127.0.0.1:8443"]));
    assert_eq!(server["automatic_https"], json!({"disable_redirects": true}));
    let routes = server["routes"].as_array().unwrap();
    assert_eq!(routes.len(), 1, "a wildcard-only app has no HTTPS route: {server}");
    assert_eq!(routes[0]["@id"], "ployer-tls-a");
    assert_eq!(routes[0]["match"], json!([{"host": ["a.example.com"]}]));
    assert_eq!(
        routes[0]["handle"][0]["upstreams"][0]["dial"],
        json!(files.placeholder("a").unwrap())
    );
}

#[test]
fn with_https_the_http_server_first_redirects_public_names_only() {
    let (_dir, files) = upstream_files();
    let routes = [
        route(
            "a",
            &["a.localhost", "shop.example.com", "*.w.example.com"],
            loopback(9001),
        ),
        route("b", &["b.internal", "blog.example.com"], loopback(9002)),
    ];
    let plain = Server::for_routes(loopback(8080), &files, &routes).expect("server");
    let server = serde_json::to_value(plain.clone().redirecting_to_https(8443, &routes)).unwrap();
    let redirect = &server["routes"][0];
    assert_eq!(redirect["@id"], "ployer-https-redirect");
    assert_eq!(
        redirect["match"],
        json!([{"host": ["blog.example.com", "shop.example.com"]}])
    );
    assert_eq!(
        redirect["handle"],
        json!([{
            "handler": "static_response",
            "status_code": 308,
            "headers": {"Location": ["https://{http.request.host}:8443{http.request.uri}"]}
        }])
    );
    assert_eq!(redirect["terminal"], true);
    assert_eq!(
        server["routes"][1]["@id"], "ployer-app-a",
        "the app routes follow unchanged"
    );
    assert_eq!(server["routes"].as_array().unwrap().len(), 3);
    let on_443 = serde_json::to_value(plain.clone().redirecting_to_https(443, &routes)).unwrap();
    assert_eq!(
        on_443["routes"][0]["handle"][0]["headers"]["Location"],
        json!(["https://{http.request.host}{http.request.uri}"])
    );
    // Only local or wildcard names: no redirect route.
    let local = [route("a", &["a.localhost", "*.w.example.com"], loopback(9001))];
    let plain_local = Server::for_routes(loopback(8080), &files, &local).expect("server");
    assert_eq!(plain_local.clone().redirecting_to_https(8443, &local), plain_local);
}

#[test]
fn the_wire_format_is_one_tagged_reverse_proxy_route_per_app_on_a_plain_http_server() {
    let upstream = loopback(32768);
    let (dir, files) = upstream_files();
    let server = Server::for_routes(
        loopback(8080),
        &files,
        &[route("app1", &["a.localhost", "a.example.com"], upstream)],
    )
    .expect("valid routes");
    // The upstream is not in the config: Caddy reads it from the app's file on every request.
    let dial = format!("{{file.{}/upstreams/ployer-app-app1}}", dir.path().display());
    let expected = json!({
        "listen": ["127.0.0.1:8080"],
        "automatic_https": {"disable": true},
        "routes": [{
            "@id": "ployer-app-app1",
            "match": [{"host": ["a.localhost", "a.example.com"]}],
            "handle": [{
                "handler": "reverse_proxy",
                "upstreams": [{"dial": dial}],
                "stream_close_delay": "5m"
            }],
            "terminal": true
        }]
    });
    assert_eq!(serde_json::to_value(&server).unwrap(), expected);
}

#[tokio::test]
async fn bad_routes_are_refused_before_caddy_is_asked() {
    // Nothing listens here: an Invalid (not Unreachable) answer proves no request was sent.
    let (dir, files) = upstream_files();
    let caddy = Caddy::new(
        &format!("http://127.0.0.1:{}", free_port()),
        loopback(free_port()),
        files,
    );
    let up = loopback(1);
    let cases = [
        vec![route("a", &[], up)],
        vec![route("a", &[""], up)],
        vec![route("a", &["a.localhost"], up), route("a", &["b.localhost"], up)],
        vec![route("../config", &["a.localhost"], up)],
        vec![route("", &["a.localhost"], up)],
    ];
    for routes in cases {
        let err = caddy.sync(&routes).await.expect_err("must be refused");
        assert!(matches!(err, ProxyError::Invalid(_)), "{routes:?} gave {err}");
    }
    for app_id in ["../x", "a/b", "a b", "ünï"] {
        assert!(matches!(
            caddy.sync(&[route(app_id, &["a.localhost"], up)]).await,
            Err(ProxyError::Invalid(_))
        ));
        assert!(matches!(caddy.remove(app_id).await, Err(ProxyError::Invalid(_))));
    }
    let written: Vec<_> = std::fs::read_dir(dir.path().join("upstreams")).expect("dir").collect();
    assert!(
        written.is_empty(),
        "a refused sync writes no upstream file: {written:?}"
    );
}

#[tokio::test]
async fn an_admin_api_that_does_not_answer_is_unavailable_to_clients() {
    let (_dir, files) = upstream_files();
    let caddy = Caddy::new(
        &format!("http://127.0.0.1:{}", free_port()),
        loopback(free_port()),
        files,
    );
    assert!(!caddy.is_up().await);
    let err = caddy.routes().await.expect_err("nothing answers");
    assert!(matches!(err, ProxyError::Unreachable(_)), "{err}");
    let err = caddy.sync(&[]).await.expect_err("nothing answers");
    assert!(
        err.to_string().starts_with("the Caddy admin API does not answer"),
        "{err}"
    );
    let app_error: crate::error::AppError = err.into();
    assert_eq!(app_error.code(), "UNAVAILABLE");
    let rejected: crate::error::AppError = ProxyError::Rejected {
        status: 400,
        body: "x".into(),
    }
    .into();
    assert_eq!(rejected.code(), "INTERNAL");
}

#[test]
fn a_caddy_is_only_ever_started_with_its_admin_api_on_loopback() {
    for ok in [
        "http://127.0.0.1:2999",
        "http://localhost:2999/",
        "http://[::1]:2999",
        "http://127.1.2.3:1",
    ] {
        assert!(admin_listen_address(ok).is_ok(), "{ok} should be accepted");
    }
    assert_eq!(
        admin_listen_address("http://127.0.0.1:2999/").unwrap(),
        "127.0.0.1:2999"
    );
    for bad in [
        "http://0.0.0.0:2019",
        "http://10.0.0.5:2019",
        "http://example.com:2019",
        "http://[::]:2019",
        "https://127.0.0.1:2019",
        "http://127.0.0.1",
        "http://127.0.0.1:0",
        "127.0.0.1:2019",
    ] {
        assert!(admin_listen_address(bad).is_err(), "{bad} should be refused");
    }
}

#[tokio::test]
async fn only_a_caddy_new_enough_for_file_placeholders_is_started() {
    assert_eq!(parse_version("v2.11.7"), Some((2, 11)));
    assert_eq!(parse_version("2.8.0-beta.2"), Some((2, 8)));
    assert_eq!(parse_version("garbage"), None);
    let dir = tempfile::tempdir().expect("temp dir");
    let fake = |name: &str, answer: &str| {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\necho '{answer}'\n")).expect("script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    };
    let old = check_version(&fake("old", "v2.7.6 h1:abc="))
        .await
        .expect_err("2.7 is too old");
    assert!(old.to_string().contains("needs 2.8 or newer"), "{old}");
    assert!(check_version(&fake("odd", "not a version")).await.is_err());
    check_version(&fake("new", "v2.8.4 h1:abc="))
        .await
        .expect("2.8 is enough");
    let real = find_on_path("caddy").expect("caddy on PATH");
    check_version(&real)
        .await
        .expect("the Caddy these tests use is new enough");
}

#[test]
fn the_start_config_is_private_and_holds_only_the_admin_listener() {
    use std::os::unix::fs::PermissionsExt;
    let file = write_start_config("127.0.0.1:2999").expect("start config");
    let mode = std::fs::metadata(&file).expect("metadata").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let content: Value = serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("JSON");
    assert_eq!(content, json!({"admin": {"listen": "127.0.0.1:2999"}}));
}

// ----- against a real Caddy -----

#[tokio::test]
async fn sync_routes_each_host_name_to_its_own_backend_over_plain_http() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let b = backend("backend-b").await;
    assert!(
        t.caddy.routes().await.expect("routes").is_empty(),
        "a fresh Caddy has no routes"
    );

    t.caddy
        .sync(&[
            route("a", &["a.localhost"], a),
            route("b", &["b.localhost", "www.b.localhost"], b),
        ])
        .await
        .expect("sync");

    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");
    assert_eq!(body_via(t.listen, "b.localhost").await, "backend-b");
    assert_eq!(body_via(t.listen, "www.b.localhost").await, "backend-b");
    // The status 200 above also proves no HTTP→HTTPS redirect: automatic HTTPS is off.
    let other = get_via(t.listen, "nobody.localhost").await.expect("unmatched host");
    println!("an unmatched host gets {other:?} from Caddy");
    assert!(
        !other.1.contains("backend"),
        "an unknown host must reach no app: {other:?}"
    );
}

#[tokio::test]
async fn a_cutover_rewrites_the_upstream_file_and_leaves_caddys_config_as_it_was() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let b = backend("backend-b").await;
    let c = backend("backend-c").await;
    t.caddy
        .sync(&[route("a", &["a.localhost"], a), route("c", &["c.localhost"], c)])
        .await
        .expect("sync");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");
    let (_, etag_before) = raw_config(&t.admin_url, "/config/").await;

    t.caddy
        .sync(&[route("a", &["a.localhost"], b), route("c", &["c.localhost"], c)])
        .await
        .expect("cutover");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-b");
    assert_eq!(
        body_via(t.listen, "c.localhost").await,
        "backend-c",
        "the other route is untouched"
    );
    let (_, etag_after) = raw_config(&t.admin_url, "/config/").await;
    assert_eq!(etag_before, etag_after, "a cutover sends Caddy nothing (no reload)");
    assert_eq!(t.files.read("a").await.expect("read"), Some(b));
    assert_eq!(
        t.caddy.routes().await.expect("routes"),
        vec![route("a", &["a.localhost"], b), route("c", &["c.localhost"], c)]
    );
}

#[tokio::test]
async fn cutovers_under_load_fail_no_request() {
    // A config load replaces Caddy's listening socket and can reset or close a connection that
    // arrives at that instant; a cutover must not load a config. Each request here opens its
    // own connection, the case a load hurts most.
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let b = backend("backend-b").await;
    t.caddy.sync(&[route("a", &["a.localhost"], a)]).await.expect("sync");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let loaders: Vec<_> = (0..4)
        .map(|_| {
            let stop = stop.clone();
            let listen = t.listen;
            tokio::spawn(async move {
                let (mut answered, mut failed) = (BTreeSet::new(), Vec::new());
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    match get_via(listen, "a.localhost").await {
                        Ok((200, body)) => {
                            answered.insert(body);
                        }
                        other => failed.push(format!("{other:?}")),
                    }
                }
                (answered, failed)
            })
        })
        .collect();
    for i in 0..40 {
        let upstream = if i % 2 == 0 { b } else { a };
        t.caddy
            .sync(&[route("a", &["a.localhost"], upstream)])
            .await
            .expect("cutover");
        sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut answered, mut failed) = (BTreeSet::new(), Vec::new());
    for loader in loaders {
        let (bodies, failures) = loader.await.expect("load task");
        answered.extend(bodies);
        failed.extend(failures);
    }
    assert!(
        failed.is_empty(),
        "{} requests failed during 40 cutovers: {failed:?}",
        failed.len()
    );
    assert_eq!(
        answered,
        BTreeSet::from(["backend-a".to_string(), "backend-b".to_string()])
    );
}

#[tokio::test]
async fn a_cutover_whose_sync_fails_half_way_is_undone_by_writing_the_previous_upstreams() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let b = backend("backend-b").await;
    let before = vec![route("a", &["a.localhost"], a)];
    t.caddy.sync(&before).await.expect("sync");
    // The same files, but an admin API that does not answer: the upstream file is written
    // before Caddy is asked, so a failed sync has already moved the route.
    let unreachable = Caddy::new(&format!("http://127.0.0.1:{}", free_port()), t.listen, t.files.clone());
    let err = unreachable
        .sync(&[route("a", &["a.localhost"], b)])
        .await
        .expect_err("nothing answers");
    assert!(matches!(err, ProxyError::Unreachable(_)), "{err}");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-b");
    // What the pipeline does before removing the new container.
    unreachable.write_upstreams(&before).await.expect("write back");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");
}

#[tokio::test]
async fn a_missing_upstream_file_reads_as_drift_and_a_sync_writes_it_again() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let routes = vec![route("a", &["a.localhost"], a)];
    t.caddy.sync(&routes).await.expect("sync");
    let (_, etag_before) = raw_config(&t.admin_url, "/config/").await;
    t.files.remove("a").await.expect("remove the file");
    assert!(t.caddy.routes().await.expect("routes").is_empty());
    t.caddy.sync(&routes).await.expect("sync");
    assert_eq!(t.caddy.routes().await.expect("routes"), routes);
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");
    let (_, etag_after) = raw_config(&t.admin_url, "/config/").await;
    assert_eq!(
        etag_before, etag_after,
        "only the file was missing: Caddy's config is not written"
    );
}

#[tokio::test]
async fn a_request_in_flight_during_a_cutover_finishes_on_the_old_upstream() {
    let t = start_caddy().await;
    let slow = backend_with_delay("backend-slow", Duration::from_secs(2)).await;
    let b = backend("backend-b").await;
    t.caddy.sync(&[route("a", &["a.localhost"], slow)]).await.expect("sync");

    let listen = t.listen;
    let in_flight = tokio::spawn(async move { get_via(listen, "a.localhost").await });
    sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    t.caddy.sync(&[route("a", &["a.localhost"], b)]).await.expect("cutover");
    let took = started.elapsed();
    println!("the cutover with a request in flight took {took:?}");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-b");
    let (status, body) = in_flight.await.expect("task").expect("in-flight request");
    assert_eq!((status, body.as_str()), (200, "backend-slow"));
    assert!(
        took < Duration::from_secs(1),
        "the cutover waited for the old request: {took:?}"
    );
}

#[tokio::test]
async fn routes_reads_back_exactly_what_sync_pushed() {
    let t = start_caddy().await;
    let pushed = vec![
        route(
            "0b5c2f7e-1d2a-4c3b-9e8f-123456789abc",
            &["x.localhost", "x.example.com"],
            loopback(40001),
        ),
        route(
            "y",
            &["y.localhost"],
            SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], 40002)),
        ),
        route("z", &["z.localhost"], loopback(40003)),
    ];
    t.caddy.sync(&pushed).await.expect("sync");
    assert_eq!(t.caddy.routes().await.expect("routes"), pushed);
}

#[tokio::test]
async fn host_names_only_ever_travel_as_json_values() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let sneaky = r#"a.localhost"}]},{"match":[{"host":["evil.localhost"]}],"handle":[{"handler":"static_response"#;
    let pushed = vec![route("a", &[sneaky, "a.localhost"], a)];
    t.caddy.sync(&pushed).await.expect("sync");
    assert_eq!(t.caddy.routes().await.expect("routes"), pushed);
    let (config, _) = raw_config(&t.admin_url, "/config/apps/http/servers/ployer/routes").await;
    assert_eq!(
        config.as_array().map(Vec::len),
        Some(1),
        "one route, no injected ones: {config}"
    );
    assert_eq!(config[0]["match"][0]["host"][0], json!(sneaky));
}

#[tokio::test]
async fn remove_drops_one_route_and_an_absent_one_is_fine() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let b = backend("backend-b").await;
    t.caddy
        .sync(&[route("a", &["a.localhost"], a), route("b", &["b.localhost"], b)])
        .await
        .expect("sync");

    t.caddy.remove("a").await.expect("remove");
    assert_eq!(
        t.caddy.routes().await.expect("routes"),
        vec![route("b", &["b.localhost"], b)]
    );
    assert_eq!(
        t.files.read("a").await.expect("read"),
        None,
        "the upstream file goes with the route"
    );
    let (_, body) = get_via(t.listen, "a.localhost").await.expect("GET");
    assert_ne!(body, "backend-a");
    assert_eq!(body_via(t.listen, "b.localhost").await, "backend-b");

    t.caddy
        .remove("a")
        .await
        .expect("removing an absent route is not an error");
    t.caddy
        .remove("never-existed")
        .await
        .expect("removing an unknown app is not an error");
}

#[tokio::test]
async fn sync_is_idempotent_and_makes_the_set_exact() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let b = backend("backend-b").await;
    let both = vec![route("a", &["a.localhost"], a), route("b", &["b.localhost"], b)];
    t.caddy.sync(&both).await.expect("first sync");
    let (_, etag_before) = raw_config(&t.admin_url, "/config/").await;

    t.caddy.sync(&both).await.expect("second sync");
    let (_, etag_after) = raw_config(&t.admin_url, "/config/").await;
    assert_eq!(etag_before, etag_after, "an unchanged sync must not write (no reload)");
    assert_eq!(t.caddy.routes().await.expect("routes"), both);

    t.caddy.sync(&both[1..]).await.expect("sync of a subset");
    assert_eq!(t.caddy.routes().await.expect("routes"), both[1..].to_vec());
    assert_eq!(
        t.files.read("a").await.expect("read"),
        None,
        "a dropped route's file is removed"
    );
    let (_, body) = get_via(t.listen, "a.localhost").await.expect("GET");
    assert_ne!(body, "backend-a");

    t.caddy.sync(&[]).await.expect("sync of nothing");
    assert!(t.caddy.routes().await.expect("routes").is_empty());
}

#[tokio::test]
async fn sync_leaves_other_servers_and_apps_as_they_were() {
    let t = start_caddy().await;
    let other_port = free_port();
    let other_server = json!({
        "listen": [format!("127.0.0.1:{other_port}")],
        "automatic_https": {"disable": true},
        "routes": [{"handle": [{"handler": "static_response", "body": "someone-else"}]}]
    });
    let apps = json!({"http": {"servers": {"other": other_server}}, "pki": {}});
    admin_change(&t.admin_url, reqwest::Method::POST, "/config/apps", apps).await;

    let a = backend("backend-a").await;
    t.caddy.sync(&[route("a", &["a.localhost"], a)]).await.expect("sync");
    t.caddy.remove("a").await.expect("remove");
    t.caddy
        .sync(&[route("a", &["a.localhost"], a)])
        .await
        .expect("sync again");

    let (config, _) = raw_config(&t.admin_url, "/config/").await;
    assert_eq!(config["apps"]["http"]["servers"]["other"], other_server);
    assert_eq!(config["apps"]["pki"], json!({}));
    assert_eq!(
        config["admin"]["listen"],
        json!(t.admin_url.trim_start_matches("http://"))
    );
    assert_eq!(body_via(loopback(other_port), "anything").await, "someone-else");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");
}

#[tokio::test]
async fn ensure_uses_a_caddy_that_already_answers() {
    let t = start_caddy().await;
    let first = t.supervisor.pid().expect("the first supervisor runs Caddy");
    let again = CaddySupervisor::ensure(&t.admin_url)
        .await
        .expect("ensure")
        .expect("with `caddy` on PATH, a running Caddy is watched");
    assert_eq!(
        again.pid(),
        None,
        "a second ensure must use the running Caddy, not start another"
    );
    again.stop().await;
    assert!(t.caddy.is_up().await, "a watched Caddy is not Ployer's to stop");
    assert_eq!(t.supervisor.pid(), Some(first));
}

/// A Caddy that Ployer found running (say, the orphan of a Ployer killed with SIGKILL) is
/// replaced by a supervised child once it stops answering.
#[tokio::test]
async fn a_watched_caddy_that_stops_is_replaced_by_a_supervised_one() {
    let t = start_caddy().await;
    let watcher = CaddySupervisor::ensure(&t.admin_url)
        .await
        .expect("ensure")
        .expect("a running Caddy is watched");
    assert_eq!(watcher.pid(), None);

    t.supervisor.stop().await;
    let stopped = Instant::now();
    let replaced = loop {
        if let Some(pid) = watcher.pid() {
            if t.caddy.is_up().await {
                break pid;
            }
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(5),
            "no Caddy answers 5 s after the watched one stopped"
        );
        sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(watcher.restarts(), 1);
    // From then on it is supervised like any child: killed, it comes back.
    let _ = std::process::Command::new("kill")
        .args(["-9", &replaced.to_string()])
        .status();
    let killed = Instant::now();
    while watcher.pid().is_none_or(|pid| pid == replaced) || !t.caddy.is_up().await {
        assert!(
            killed.elapsed() < Duration::from_secs(5),
            "the replacement was not restarted"
        );
        sleep(Duration::from_millis(50)).await;
    }
    watcher.stop().await;
    assert!(
        !t.caddy.is_up().await,
        "the replacement is Ployer's child and stops with it"
    );
}

#[tokio::test]
async fn a_restarted_empty_caddy_has_no_routes_until_the_next_sync() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let routes = vec![route("a", &["a.localhost"], a)];
    t.caddy.sync(&routes).await.expect("sync");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");

    t.supervisor.stop().await;
    assert!(!t.caddy.is_up().await, "stop() must end Caddy");
    let supervisor = CaddySupervisor::ensure(&t.admin_url)
        .await
        .expect("ensure after stop")
        .expect("the supervisor must start a new Caddy");

    assert!(t.caddy.routes().await.expect("routes").is_empty());
    assert!(
        get_via(t.listen, "a.localhost").await.is_err(),
        "nothing listens until the next sync"
    );
    t.caddy.sync(&routes).await.expect("sync after restart");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");
    supervisor.stop().await;
}

/// The config file named on Caddy's command line is deleted once Caddy has read it (within a
/// second of its admin API answering), so a SIGKILLed Ployer does not leave files behind.
async fn assert_start_config_is_gone(pid: u32) {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).expect("Caddy's command line");
    let args: Vec<String> = cmdline
        .split(|&b| b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let at = args.iter().position(|a| a == "--config").expect("--config");
    let config_file = std::path::PathBuf::from(&args[at + 1]);
    let deadline = Instant::now() + Duration::from_secs(1);
    while config_file.exists() {
        assert!(Instant::now() < deadline, "{} still exists", config_file.display());
        sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_supervisor_restarts_a_killed_caddy() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    t.caddy.sync(&[route("a", &["a.localhost"], a)]).await.expect("sync");
    assert_eq!(t.supervisor.restarts(), 0);
    let pid = t.supervisor.pid().expect("a running child");
    assert_start_config_is_gone(pid).await;

    let killed = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success(), "kill -9 {pid} failed");

    let killed_at = Instant::now();
    let deadline = killed_at + Duration::from_secs(5);
    while !(t.supervisor.restarts() == 1 && t.caddy.is_up().await) {
        assert!(
            Instant::now() < deadline,
            "Caddy was not back within 5 s (restarts = {})",
            t.supervisor.restarts()
        );
        sleep(Duration::from_millis(50)).await;
    }
    println!("caddy answered again {:?} after kill -9", killed_at.elapsed());
    let new_pid = t.supervisor.pid().expect("a running child");
    assert_ne!(new_pid, pid);
    assert_start_config_is_gone(new_pid).await;

    // It comes back empty; one sync (what the reconciler does) restores the route.
    assert!(t.caddy.routes().await.expect("routes").is_empty());
    t.caddy
        .sync(&[route("a", &["a.localhost"], a)])
        .await
        .expect("sync after restart");
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");
}

#[tokio::test]
async fn a_ployer_server_changed_behind_ployers_back_reports_no_routes_until_rewritten() {
    let t = start_caddy().await;
    let a = backend("backend-a").await;
    let routes = vec![route("a", &["a.localhost"], a)];
    t.caddy.sync(&routes).await.expect("sync");

    // Listening elsewhere: the routes no longer serve where Ployer expects.
    let elsewhere = loopback(free_port());
    let listen_path = "/config/apps/http/servers/ployer/listen";
    admin_change(&t.admin_url, reqwest::Method::PATCH, listen_path, json!([elsewhere])).await;
    assert!(t.caddy.routes().await.expect("routes").is_empty());
    t.caddy.sync(&routes).await.expect("sync rewrites the server");
    assert_eq!(t.caddy.routes().await.expect("routes"), routes);
    assert_eq!(body_via(t.listen, "a.localhost").await, "backend-a");

    // A route Ployer did not write, appended to its server (POST on an array appends).
    let foreign = json!({"match": [{"host": ["sneaky.localhost"]}], "handle": [{"handler": "static_response"}]});
    let routes_path = "/config/apps/http/servers/ployer/routes";
    admin_change(&t.admin_url, reqwest::Method::POST, routes_path, foreign).await;
    assert!(t.caddy.routes().await.expect("routes").is_empty());
    t.caddy.sync(&routes).await.expect("sync rewrites the server");
    assert_eq!(t.caddy.routes().await.expect("routes"), routes);
    let (config, _) = raw_config(&t.admin_url, "/config/apps/http/servers/ployer/routes").await;
    assert_eq!(
        config.as_array().map(Vec::len),
        Some(1),
        "the foreign route is gone: {config}"
    );
}

#[tokio::test]
async fn concurrent_syncs_and_reads_all_succeed_and_one_sync_wins_whole() {
    // Every write restarts Caddy's admin listener, cutting other requests in flight, and makes
    // the other writers' If-Match stale (412): both are retried.
    let t = start_caddy().await;
    let sets: Vec<Vec<AppRoute>> = (0..6u16)
        .map(|i| {
            vec![
                route("a", &["a.localhost"], loopback(41000 + i)),
                route(&format!("only-{i}"), &["x.localhost"], loopback(42000 + i)),
            ]
        })
        .collect();
    let writers = futures::future::join_all(sets.iter().map(|routes| t.caddy.sync(routes)));
    let readers = futures::future::join_all((0..6).map(|_| t.caddy.routes()));
    let (written, read) = tokio::join!(writers, readers);
    for result in written {
        result.expect("every concurrent sync succeeds");
    }
    for result in read {
        result.expect("every concurrent read succeeds");
    }
    let now = t.caddy.routes().await.expect("routes");
    assert!(sets.contains(&now), "Caddy holds a mix of syncs: {now:?}");
}

// ----- HTTPS -----

/// `curl` over HTTPS to `host` on Caddy's `listen`, trusting only the PEM root in `ca`; the
/// body, or curl's complaint.
async fn https_body(listen: SocketAddr, host: &str, ca: &std::path::Path) -> Result<String, String> {
    let output = tokio::process::Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "5", "--cacert"])
        .arg(ca)
        .arg("--resolve")
        .arg(format!("{host}:{}:127.0.0.1", listen.port()))
        .arg(format!("https://{host}:{}/", listen.port()))
        .output()
        .await
        .expect("curl runs (apt-get install -y curl)");
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

struct HttpsCaddy {
    _supervisor: CaddySupervisor,
    caddy: Caddy,
    admin_url: String,
    listen: SocketAddr,
    https: SocketAddr,
    dir: tempfile::TempDir,
}

/// A Caddy of this test's own serving HTTP and HTTPS, started by the supervisor.
async fn start_caddy_with_https() -> HttpsCaddy {
    require_caddy();
    let ports = CaddyPorts::new();
    let admin_url = ports.admin_url();
    let listen = ports.http_addr();
    let https = loopback(free_port());
    let supervisor = CaddySupervisor::ensure(&admin_url)
        .await
        .unwrap_or_else(|err| panic!("could not start Caddy: {err:#}"))
        .expect("a fresh admin port: the supervisor starts Caddy");
    let (dir, files) = upstream_files();
    let caddy = Caddy::new(&admin_url, listen, files).with_https(Some(https));
    HttpsCaddy {
        _supervisor: supervisor,
        caddy,
        admin_url,
        listen,
        https,
        dir,
    }
}

/// The body HTTPS serves for `host`, trusting Caddy's local CA; waits for Caddy to issue the
/// certificate (it does so in the background after a config load).
async fn https_until_served(t: &HttpsCaddy, host: &str) -> String {
    let root = admin(&t.admin_url, reqwest::Method::GET, "/pki/ca/local", None).await;
    let root: Value = root.json().await.expect("the local CA as JSON");
    let pem = root["root_certificate"]
        .as_str()
        .expect("a root certificate")
        .to_string();
    let ca = t.dir.path().join("root.pem");
    std::fs::write(&ca, pem).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match https_body(t.https, host, &ca).await {
            Ok(body) => return body,
            Err(err) if Instant::now() < deadline => {
                eprintln!("HTTPS not ready yet for {host}: {err}");
                sleep(Duration::from_millis(200)).await;
            }
            Err(err) => panic!("HTTPS never served {host}: {err}"),
        }
    }
}

/// What the system's trust store directories hold (Caddy installs its root into the first).
fn trust_store_listing() -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = ["/usr/local/share/ca-certificates", "/etc/ssl/certs"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path()))
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn with_https_every_route_is_also_served_over_tls_and_cutovers_still_send_caddy_nothing() {
    let trust_store_before = trust_store_listing();
    let t = start_caddy_with_https().await;
    let (admin_url, listen, https, caddy) = (t.admin_url.clone(), t.listen, t.https, t.caddy.clone());
    let files = UpstreamFiles::open(&t.dir.path().join("upstreams")).expect("upstream files");
    let a = backend("backend-a").await;
    let b = backend("backend-b").await;

    caddy.sync(&[route("a", &["a.localhost"], a)]).await.expect("sync");
    assert_eq!(
        body_via(listen, "a.localhost").await,
        "backend-a",
        "HTTP serves as before"
    );
    let (config, _) = raw_config(&admin_url, "/config/apps/http/servers").await;
    assert_eq!(config["ployer-tls"]["listen"], json!([https.to_string()]), "{config}");
    assert_eq!(config["ployer-tls"]["routes"][0]["@id"], "ployer-tls-a", "{config}");
    assert_eq!(config["ployer"]["automatic_https"], json!({"disable": true}));
    assert_eq!(
        config["ployer-tls"]["automatic_https"],
        json!({"disable_redirects": true})
    );
    assert_eq!(
        config["ployer"]["routes"].as_array().map(Vec::len),
        Some(1),
        "no redirect route for a local name: {config}"
    );
    let (whole, _) = raw_config(&admin_url, "/config/").await;
    assert_eq!(
        whole.pointer("/apps/pki/certificate_authorities/local/install_trust"),
        Some(&json!(false)),
        "Caddy's local CA never goes into the machine's trust stores: set before the first route"
    );
    assert_eq!(
        caddy.routes().await.expect("routes"),
        vec![route("a", &["a.localhost"], a)],
        "both servers read back as written: no drift"
    );

    // A `localhost` name gets a certificate from Caddy's local CA, whose root the admin API
    // hands out.
    assert_eq!(https_until_served(&t, "a.localhost").await, "backend-a");
    let ca = t.dir.path().join("root.pem");

    // A cutover moves both servers through the one upstream file, with no config load.
    let (_, etag_before) = raw_config(&admin_url, "/config/").await;
    caddy.sync(&[route("a", &["a.localhost"], b)]).await.expect("cutover");
    assert_eq!(https_body(https, "a.localhost", &ca).await.as_deref(), Ok("backend-b"));
    assert_eq!(body_via(listen, "a.localhost").await, "backend-b");
    assert_eq!(raw_config(&admin_url, "/config/").await.1, etag_before, "no reload");

    // Drift in the HTTPS server alone is seen and repaired, with routes present.
    let routes = [route("a", &["a.localhost"], b)];
    assert!(caddy.is_synced(&routes).await.expect("is_synced"));
    admin_change(&admin_url, reqwest::Method::DELETE, "/id/ployer-tls-a", Value::Null).await;
    assert!(
        !caddy.is_synced(&routes).await.expect("is_synced"),
        "a missing HTTPS route is drift"
    );
    assert!(
        caddy.routes().await.expect("routes").is_empty(),
        "and reads as no routes"
    );
    caddy.sync(&routes).await.expect("repair");
    assert!(caddy.is_synced(&routes).await.expect("is_synced"));
    // An emptied config loses the local CA's setting too: a sync puts it back before the routes.
    admin_change(&admin_url, reqwest::Method::DELETE, "/config/apps", Value::Null).await;
    assert!(!caddy.is_synced(&routes).await.expect("is_synced"));
    caddy.sync(&routes).await.expect("sync after emptying");
    let (config, _) = raw_config(&admin_url, "/config/").await;
    assert_eq!(
        config.pointer("/apps/pki/certificate_authorities/local/install_trust"),
        Some(&json!(false)),
        "{config}"
    );
    assert!(caddy.is_synced(&routes).await.expect("is_synced"));

    // HTTPS switched off while a route is served: the HTTPS server is drift, and a sync takes
    // it out, and only it.
    admin_change(
        &admin_url,
        reqwest::Method::POST,
        "/config/apps/http/servers/other",
        json!({"listen": [loopback(free_port()).to_string()], "automatic_https": {"disable": true}}),
    )
    .await;
    let http_only = Caddy::new(&admin_url, listen, files.clone()).with_https(None);
    assert!(
        !http_only.is_synced(&routes).await.expect("is_synced"),
        "a left-over HTTPS server is drift"
    );
    assert!(http_only.routes().await.expect("routes").is_empty());
    http_only.sync(&routes).await.expect("sync without HTTPS");
    let (config, _) = raw_config(&admin_url, "/config/apps/http/servers").await;
    assert!(config.get("ployer-tls").is_none(), "{config}");
    assert!(config.get("other").is_some(), "another tool's server stays: {config}");
    assert_eq!(http_only.routes().await.expect("routes"), routes.to_vec());
    assert!(http_only.is_synced(&routes).await.expect("is_synced"));

    // Removing the app removes both its routes (one write).
    caddy.sync(&routes).await.expect("HTTPS on again");
    let (_, etag_before) = raw_config(&admin_url, "/config/").await;
    caddy.remove("a").await.expect("remove");
    let (config, etag_after) = raw_config(&admin_url, "/config/apps/http/servers").await;
    assert_ne!(etag_after, etag_before);
    assert_eq!(config["ployer"]["routes"], json!([]), "{config}");
    assert_eq!(config["ployer-tls"]["routes"], json!([]), "{config}");
    assert!(config.get("other").is_some(), "{config}");
    assert!(caddy.is_synced(&[]).await.expect("is_synced"));

    assert_eq!(
        trust_store_listing(),
        trust_store_before,
        "Caddy's local CA was not installed into the machine's trust store"
    );
}

#[tokio::test]
async fn with_https_public_names_are_redirected_from_http_and_served_over_tls() {
    let t = start_caddy_with_https().await;
    // Every certificate from Caddy's local CA: a public name must not send ACME traffic off
    // this machine. This replaces every app's config, so it states the local CA's
    // `install_trust: false` itself: without it, the CA made for the first certificate goes
    // into the machine's trust store (a fresh machine's test run caught that).
    admin_change(
        &t.admin_url,
        reqwest::Method::POST,
        "/config/apps",
        json!({
            "tls": {"automation": {"policies": [{"issuers": [{"module": "internal"}]}]}},
            "pki": {"certificate_authorities": {"local": {"install_trust": false}}}
        }),
    )
    .await;
    let a = backend("backend-a").await;
    let routes = [route("a", &["a.localhost", "shop.example.com", "*.w.example.com"], a)];
    t.caddy.sync(&routes).await.expect("sync");

    let redirected = http_client()
        .get(format!("http://{}/cart?item=1", t.listen))
        .header("host", "shop.example.com")
        .send()
        .await
        .expect("HTTP request for a public name");
    assert_eq!(redirected.status().as_u16(), 308);
    assert_eq!(
        redirected.headers()["location"],
        format!("https://shop.example.com:{}/cart?item=1", t.https.port()).as_str()
    );
    assert_eq!(
        body_via(t.listen, "a.localhost").await,
        "backend-a",
        "a local name is proxied"
    );
    assert_eq!(
        body_via(t.listen, "x.w.example.com").await,
        "backend-a",
        "a wildcard name too"
    );
    let served = https_until_served(&t, "shop.example.com").await;
    assert_eq!(served, "backend-a");
    assert_eq!(t.caddy.routes().await.expect("routes"), routes.to_vec(), "no drift");
    assert!(t.caddy.is_synced(&routes).await.expect("is_synced"));

    // Removing the app takes its names out of the redirect too: nothing left to repair.
    t.caddy.remove("a").await.expect("remove");
    assert!(t.caddy.is_synced(&[]).await.expect("is_synced"));
}
