//! Domains: validated and normalised host names, unique across applications; the automatic
//! domain; the primary one; DNS verification against a real DNS server (dnsmasq).

use std::{
    net::SocketAddr,
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use entities::domains;
use ployer_tests::{error_code, error_field, spawn_app, spawn_app_with, TestApp};
use serde_json::{json, Value};

const ADD: &str =
    "mutation($id: ID!, $host: String!) { addDomain(input: {applicationId: $id, hostname: $host}) { domain { id hostname isPrimary isAuto verifiedAt } } }";
const DOMAINS: &str =
    "query($id: ID!) { application(id: $id) { url urls domains { id hostname isPrimary isAuto verifiedAt } } }";

async fn add(app: &TestApp, token: &str, id: &str, host: &str) -> Value {
    app.graphql_as(token, ADD, json!({ "id": id, "host": host })).await
}

async fn add_ok(app: &TestApp, token: &str, id: &str, host: &str) -> String {
    let r = add(app, token, id, host).await;
    r["data"]["addDomain"]["domain"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("addDomain {host}: {r}"))
        .to_string()
}

/// `url`, `urls` and `domains` of an application.
async fn routing(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app.graphql_as(token, DOMAINS, json!({ "id": id })).await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["application"].clone()
}

/// (hostname, isPrimary, isAuto) of every domain, in the order listed.
fn summary(routing: &Value) -> Vec<(String, bool, bool)> {
    routing["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["hostname"].as_str().unwrap().to_string(),
                d["isPrimary"].as_bool().unwrap(),
                d["isAuto"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn owned(list: &[(&str, bool, bool)]) -> Vec<(String, bool, bool)> {
    list.iter().map(|(h, p, a)| (h.to_string(), *p, *a)).collect()
}

#[tokio::test]
async fn custom_domains_are_added_normalised_and_listed() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app.create_git_app(&token, "web", "https://github.com/o/r.git").await;

    let r = add(&app, &token, &id, "App.Example.COM").await;
    assert_eq!(
        r["data"]["addDomain"]["domain"],
        json!({
            "id": r["data"]["addDomain"]["domain"]["id"], "hostname": "app.example.com",
            "isPrimary": false, "isAuto": false, "verifiedAt": null,
        }),
        "{r}"
    );
    let r = add(&app, &token, &id, "Bücher.Example.com").await;
    assert_eq!(
        r["data"]["addDomain"]["domain"]["hostname"], "xn--bcher-kva.example.com",
        "{r}"
    );
    let r = add(&app, &token, &id, "*.apps.example.com").await;
    assert_eq!(
        r["data"]["addDomain"]["domain"]["hostname"], "*.apps.example.com",
        "{r}"
    );
    let r = add(&app, &token, &id, "trailing-dot.example.com.").await;
    assert_eq!(
        r["data"]["addDomain"]["domain"]["hostname"], "trailing-dot.example.com",
        "{r}"
    );

    let now = routing(&app, &token, &id).await;
    assert_eq!(
        summary(&now),
        owned(&[
            ("web.localhost", true, true),
            ("app.example.com", false, false),
            ("xn--bcher-kva.example.com", false, false),
            ("*.apps.example.com", false, false),
            ("trailing-dot.example.com", false, false),
        ])
    );
    assert_eq!(now["url"], "http://web.localhost:8080");
    assert_eq!(
        now["urls"],
        json!([
            "http://web.localhost:8080",
            "http://app.example.com:8080",
            "http://xn--bcher-kva.example.com:8080",
            "http://trailing-dot.example.com:8080",
        ]),
        "a wildcard has no single URL; without proxy_https_listen every name is served on HTTP"
    );

    // The same name again, in another spelling, is a conflict on this application too.
    for again in [
        "app.example.com",
        "APP.example.com",
        "bücher.example.com",
        "xn--bcher-kva.example.com",
    ] {
        let r = add(&app, &token, &id, again).await;
        assert_eq!(
            (error_code(&r), error_field(&r)),
            (Some("CONFLICT"), Some("hostname")),
            "{again}: {r}"
        );
    }
    assert_eq!(app.count(domains::Entity).await, 5);
}

#[tokio::test]
async fn bad_host_names_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app.create_git_app(&token, "web", "https://github.com/o/r.git").await;
    let long_label = format!("{}.example.com", "a".repeat(64));
    let long_name = format!("{}.com", "abcdefghi.".repeat(26));
    for bad in [
        "",
        "   ",
        "exa mple.com",
        "app.example.com:8080",
        "app.example.com/path",
        "https://app.example.com",
        "user@app.example.com",
        "a..b.example.com",
        "..",
        "-a.example.com",
        "a-.example.com",
        "a_b.example.com",
        "example",
        "a.*.example.com",
        "*example.com",
        "foo*.example.com",
        "*.*.example.com",
        "127.0.0.1",
        "[::1]",
        "app.example.com\nevil.com",
        "x\"}],\"handle\":[{\"handler\":\"static_response\"}]}.com",
        long_label.as_str(),
        long_name.as_str(),
    ] {
        let r = add(&app, &token, &id, bad).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{bad:?}: {r}");
        assert_eq!(error_field(&r), Some("hostname"), "{bad:?}: {r}");
    }
    assert_eq!(app.count(domains::Entity).await, 1);
    // 63 characters is the longest label.
    let longest = format!("{}.example.com", "a".repeat(63));
    add_ok(&app, &token, &id, &longest).await;
}

#[tokio::test]
async fn a_host_name_belongs_to_one_application_only() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let shop = app
        .create_git_app(&token, "shop", "https://github.com/o/shop.git")
        .await;
    let blog = app
        .create_git_app(&token, "blog", "https://github.com/o/blog.git")
        .await;
    add_ok(&app, &token, &shop, "shop.example.com").await;
    add_ok(&app, &token, &shop, "*.shop.example.com").await;
    let before = app.count(domains::Entity).await;
    for taken in [
        "shop.example.com",
        "Shop.Example.COM",
        "shop.example.com.",
        "*.shop.example.com",
        "shop.localhost",
    ] {
        let r = add(&app, &token, &blog, taken).await;
        assert_eq!(error_code(&r), Some("CONFLICT"), "{taken}: {r}");
        assert_eq!(error_field(&r), Some("hostname"), "{taken}: {r}");
    }
    assert_eq!(app.count(domains::Entity).await, before);
    assert_eq!(
        summary(&routing(&app, &token, &blog).await),
        owned(&[("blog.localhost", true, true)])
    );
}

#[tokio::test]
async fn the_automatic_domain_stays_and_the_primary_domain_gives_the_url() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let id = app.create_git_app(&token, "web", "https://github.com/o/r.git").await;
    let auto = routing(&app, &token, &id).await["domains"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let custom = add_ok(&app, &token, &id, "www.example.com").await;
    let wildcard = add_ok(&app, &token, &id, "*.example.com").await;

    let remove = "mutation($id: ID!) { removeDomain(input: {id: $id}) { removedDomainId } }";
    let set_primary = "mutation($id: ID!) { setPrimaryDomain(input: {id: $id}) { domain { id hostname isPrimary } } }";
    let r = app.graphql_as(&token, remove, json!({ "id": auto })).await;
    assert_eq!(
        error_code(&r),
        Some("BAD_USER_INPUT"),
        "the automatic domain stays: {r}"
    );
    assert_eq!(app.count(domains::Entity).await, 3);

    let r = app.graphql_as(&token, set_primary, json!({ "id": custom })).await;
    assert_eq!(
        r["data"]["setPrimaryDomain"]["domain"],
        json!({ "id": custom, "hostname": "www.example.com", "isPrimary": true }),
        "{r}"
    );
    let now = routing(&app, &token, &id).await;
    assert_eq!(
        summary(&now),
        owned(&[
            ("www.example.com", true, false),
            ("web.localhost", false, true),
            ("*.example.com", false, false),
        ])
    );
    assert_eq!(now["url"], "http://www.example.com:8080");
    assert_eq!(
        now["urls"],
        json!(["http://www.example.com:8080", "http://web.localhost:8080"])
    );

    // A wildcard cannot be the one URL.
    let r = app.graphql_as(&token, set_primary, json!({ "id": wildcard })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(routing(&app, &token, &id).await["url"], "http://www.example.com:8080");

    // A rename moves the automatic domain but not the primacy.
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { updateApplication(input: {id: $id, name: \"site\"}) { application { url } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        r["data"]["updateApplication"]["application"]["url"], "http://www.example.com:8080",
        "{r}"
    );

    // Removing the primary custom domain hands primacy back to the automatic one.
    let r = app.graphql_as(&token, remove, json!({ "id": custom })).await;
    assert_eq!(r["data"]["removeDomain"]["removedDomainId"], custom.as_str(), "{r}");
    let now = routing(&app, &token, &id).await;
    assert_eq!(
        summary(&now),
        owned(&[("site.localhost", true, true), ("*.example.com", false, false)])
    );
    assert_eq!(now["url"], "http://site.localhost:8080");
    let r = app.graphql_as(&token, remove, json!({ "id": custom })).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");

    // Primacy can be handed back explicitly too.
    let other = add_ok(&app, &token, &id, "other.example.com").await;
    app.graphql_as(&token, set_primary, json!({ "id": other })).await;
    let r = app.graphql_as(&token, set_primary, json!({ "id": auto })).await;
    assert_eq!(r["data"]["setPrimaryDomain"]["domain"]["isPrimary"], true, "{r}");
    let now = routing(&app, &token, &id).await;
    assert_eq!(now["url"], "http://site.localhost:8080");
    assert_eq!(
        now["domains"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["isPrimary"] == true)
            .count(),
        1
    );
}

/// A dnsmasq answering for test names on a loopback port; killed when dropped.
struct Dnsmasq {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const DNSMASQ: &str = "/usr/sbin/dnsmasq";

impl Dnsmasq {
    /// Answers `name` with `ip` for each of `records` (and names under it), plus whatever
    /// `extra` options declare.
    async fn start(records: &[(&str, &str)], extra: &[&str]) -> Dnsmasq {
        assert!(
            Path::new(DNSMASQ).exists(),
            "{DNSMASQ} is missing: the verifyDomain tests run a real DNS server. \
             Install it with `apt-get install -y dnsmasq` (scripts/setup.sh does)."
        );
        for _ in 0..10 {
            let port = std::net::UdpSocket::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut command = Command::new(DNSMASQ);
            command.args([
                "--no-daemon",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--pid-file=",
                &format!("--port={port}"),
                "--listen-address=127.0.0.1",
                "--bind-interfaces",
            ]);
            for (name, ip) in records {
                command.arg(format!("--address=/{name}/{ip}"));
            }
            command.args(extra);
            let child = command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("dnsmasq starts");
            let mut server = Dnsmasq {
                child,
                addr: SocketAddr::from(([127, 0, 0, 1], port)),
            };
            if server.answers(records[0].0).await {
                return server;
            }
            // Most likely the port was taken in between; try another.
        }
        panic!("dnsmasq did not start answering queries");
    }

    /// Waits until the server answers an A query for `name`.
    async fn answers(&mut self, name: &str) -> bool {
        let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let mut query = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        for label in name.split('.') {
            query.push(label.len() as u8);
            query.extend_from_slice(label.as_bytes());
        }
        query.extend_from_slice(&[0, 0, 1, 0, 1]);
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            let _ = socket.send_to(&query, self.addr).await;
            let mut buffer = [0u8; 512];
            if let Ok(Ok((n, _))) =
                tokio::time::timeout(Duration::from_millis(100), socket.recv_from(&mut buffer)).await
            {
                if n >= 12 && buffer[..2] == [0x12, 0x34] {
                    return true;
                }
            }
        }
        false
    }
}

const VERIFY: &str = "mutation($id: ID!) { verifyDomain(input: {id: $id}) {
    domain { id hostname verifiedAt } pointsHere addresses cnames explanation } }";

#[tokio::test]
async fn verifying_a_domain_asks_dns_whether_it_points_at_this_server() {
    let dns = Dnsmasq::start(
        &[
            ("here.example.test", "203.0.113.7"),
            ("elsewhere.example.test", "198.51.100.9"),
        ],
        &[],
    )
    .await;
    let dns_addr = dns.addr;
    let app = spawn_app_with(|c| {
        c.dns_server = Some(dns_addr);
        c.public_addresses = vec!["203.0.113.7".parse().unwrap()];
    })
    .await;
    let token = app.admin_token().await;
    let id = app.create_git_app(&token, "web", "https://github.com/o/r.git").await;
    let here = add_ok(&app, &token, &id, "here.example.test").await;
    let elsewhere = add_ok(&app, &token, &id, "elsewhere.example.test").await;
    let nowhere = add_ok(&app, &token, &id, "nowhere.example.test").await;
    let wildcard = add_ok(&app, &token, &id, "*.here.example.test").await;

    let r = app.graphql_as(&token, VERIFY, json!({ "id": here })).await;
    let v = &r["data"]["verifyDomain"];
    assert_eq!(v["pointsHere"], true, "{r}");
    assert_eq!(v["addresses"], json!(["203.0.113.7"]));
    assert_eq!(v["domain"]["hostname"], "here.example.test");
    assert!(v["domain"]["verifiedAt"].is_string(), "{r}");
    assert!(v["explanation"].as_str().unwrap().contains("203.0.113.7"), "{r}");

    let r = app.graphql_as(&token, VERIFY, json!({ "id": elsewhere })).await;
    let v = &r["data"]["verifyDomain"];
    assert_eq!(v["pointsHere"], false, "{r}");
    assert_eq!(v["addresses"], json!(["198.51.100.9"]));
    assert_eq!(v["domain"]["verifiedAt"], Value::Null);
    let explanation = v["explanation"].as_str().unwrap();
    assert!(
        explanation.contains("198.51.100.9") && explanation.contains("203.0.113.7"),
        "says what was found and what it should be: {explanation}"
    );

    let r = app.graphql_as(&token, VERIFY, json!({ "id": nowhere })).await;
    let v = &r["data"]["verifyDomain"];
    assert_eq!(v["pointsHere"], false, "{r}");
    assert_eq!(v["addresses"], json!([]));
    assert_eq!(v["domain"]["verifiedAt"], Value::Null);
    let explanation = v["explanation"].as_str().unwrap();
    assert!(!explanation.trim().is_empty());
    assert!(
        explanation.contains("203.0.113.7"),
        "says where to point it: {explanation}"
    );

    // A wildcard is checked through a name under it.
    let r = app.graphql_as(&token, VERIFY, json!({ "id": wildcard })).await;
    assert_eq!(r["data"]["verifyDomain"]["pointsHere"], true, "{r}");

    let listed = routing(&app, &token, &id).await;
    let verified: Vec<&str> = listed["domains"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["verifiedAt"].is_string())
        .map(|d| d["hostname"].as_str().unwrap())
        .collect();
    assert_eq!(verified, ["here.example.test", "*.here.example.test"]);

    let r = app.graphql_as(&token, VERIFY, json!({ "id": "no-such-domain" })).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    drop(dns);
}

#[tokio::test]
async fn verifying_without_a_configured_public_address_says_so() {
    let dns = Dnsmasq::start(&[("here.example.test", "203.0.113.7")], &[]).await;
    let dns_addr = dns.addr;
    let app = spawn_app_with(|c| c.dns_server = Some(dns_addr)).await;
    let token = app.admin_token().await;
    let id = app.create_git_app(&token, "web", "https://github.com/o/r.git").await;
    let here = add_ok(&app, &token, &id, "here.example.test").await;
    let r = app.graphql_as(&token, VERIFY, json!({ "id": here })).await;
    let v = &r["data"]["verifyDomain"];
    assert_eq!(v["pointsHere"], false, "{r}");
    assert_eq!(v["addresses"], json!(["203.0.113.7"]));
    assert!(v["explanation"].as_str().unwrap().contains("public_addresses"), "{r}");
    assert_eq!(v["domain"]["verifiedAt"], Value::Null);
}

#[tokio::test]
async fn verifying_follows_cnames_and_checks_ipv6_addresses_too() {
    let dns = Dnsmasq::start(
        &[("here.example.test", "203.0.113.7")],
        &[
            "--host-record=target.example.test,203.0.113.7",
            "--cname=alias.example.test,target.example.test",
            "--host-record=v6.example.test,2001:db8::7",
            // Half of this name's addresses are elsewhere: IPv6 clients never reach us.
            "--host-record=dual.example.test,203.0.113.7,2001:db8::99",
        ],
    )
    .await;
    let dns_addr = dns.addr;
    let app = spawn_app_with(|c| {
        c.dns_server = Some(dns_addr);
        c.public_addresses = vec!["203.0.113.7".parse().unwrap(), "2001:db8::7".parse().unwrap()];
    })
    .await;
    let token = app.admin_token().await;
    let id = app.create_git_app(&token, "web", "https://github.com/o/r.git").await;

    let alias = add_ok(&app, &token, &id, "alias.example.test").await;
    let r = app.graphql_as(&token, VERIFY, json!({ "id": alias })).await;
    let v = &r["data"]["verifyDomain"];
    assert_eq!(v["pointsHere"], true, "{r}");
    assert_eq!(v["cnames"], json!(["target.example.test"]), "{r}");
    assert_eq!(v["addresses"], json!(["203.0.113.7"]), "{r}");

    let v6 = add_ok(&app, &token, &id, "v6.example.test").await;
    let r = app.graphql_as(&token, VERIFY, json!({ "id": v6 })).await;
    let v = &r["data"]["verifyDomain"];
    assert_eq!(v["pointsHere"], true, "{r}");
    assert_eq!(v["addresses"], json!(["2001:db8::7"]), "{r}");

    let dual = add_ok(&app, &token, &id, "dual.example.test").await;
    let r = app.graphql_as(&token, VERIFY, json!({ "id": dual })).await;
    let v = &r["data"]["verifyDomain"];
    let mut addresses: Vec<&str> = v["addresses"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    addresses.sort();
    assert_eq!(
        addresses,
        ["2001:db8::99", "203.0.113.7"],
        "A and AAAA are both looked up: {r}"
    );
    assert_eq!(v["pointsHere"], false, "every address must be this server's: {r}");
    assert!(v["explanation"].as_str().unwrap().contains("2001:db8::99"), "{r}");
    assert_eq!(v["domain"]["verifiedAt"], Value::Null, "{r}");
    drop(dns);
}

#[tokio::test]
async fn with_https_on_custom_domains_get_https_urls_and_localhost_names_stay_on_http() {
    for (https, custom_url) in [
        ("0.0.0.0:443", "https://www.example.com"),
        ("127.0.0.1:8443", "https://www.example.com:8443"),
    ] {
        let app = spawn_app_with(|c| c.proxy_https_listen = Some(https.parse().unwrap())).await;
        let token = app.admin_token().await;
        let id = app.create_git_app(&token, "web", "https://github.com/o/r.git").await;
        add_ok(&app, &token, &id, "www.example.com").await;
        let now = routing(&app, &token, &id).await;
        assert_eq!(
            now["urls"],
            json!(["http://web.localhost:8080", custom_url]),
            "{https}: {now}"
        );
    }
}
