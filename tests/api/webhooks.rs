//! Push webhooks from GitHub, GitLab and Gitea/Forgejo: realistic deliveries, built to each
//! provider's documented format and signed as each provider signs them, deploy exactly the
//! pushed commit end to end (real Docker, Caddy and git); every bad input is answered with a
//! clear status, recorded, and deploys nothing.

use std::time::{Duration, Instant};

use entities::{deployments, webhook_deliveries};
use futures::StreamExt;
use hmac::{Hmac, Mac};
use ployer_test_support::free_port;
use ployer_tests::{random_suffix, spawn_app_with, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::fixtures::Stack;

const ZEROS: &str = "0000000000000000000000000000000000000000";

/// An enabled webhook: where to post and what to sign with.
struct Hook {
    id: String,
    url: String,
    secret: String,
}

async fn enable(app: &TestApp, token: &str, app_id: &str, provider: &str) -> Hook {
    let r = app
        .graphql_as(
            token,
            "mutation($id: ID!, $p: WebhookProvider!) { enableWebhook(input: {applicationId: $id, provider: $p}) { url secret webhook { id } } }",
            json!({ "id": app_id, "p": provider }),
        )
        .await;
    let payload = &r["data"]["enableWebhook"];
    assert!(payload.is_object(), "enableWebhook: {r}");
    Hook {
        id: payload["webhook"]["id"].as_str().unwrap().into(),
        url: payload["url"].as_str().unwrap().into(),
        secret: payload["secret"].as_str().unwrap().into(),
    }
}

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn delivery_id() -> String {
    format!("{}-{}-{}", random_suffix(8), random_suffix(4), random_suffix(12))
}

fn commit(sha: &str, message: &str) -> Value {
    json!({
        "id": sha,
        "tree_id": "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        "distinct": true,
        "message": message,
        "timestamp": "2026-05-01T10:00:00+02:00",
        "url": format!("https://github.com/octo-org/app/commit/{sha}"),
        "author": { "name": "Ada Lovelace", "email": "ada@example.com", "username": "ada" },
        "committer": { "name": "GitHub", "email": "noreply@github.com", "username": "web-flow" },
        "added": [], "removed": [], "modified": ["www/index.html"],
    })
}

/// A GitHub `push` payload as documented; its repository URLs point somewhere else
/// entirely, which Ployer must ignore.
fn github_push(git_ref: &str, before: &str, after: &str, message: &str) -> Value {
    let head = (after != ZEROS).then(|| commit(after, message));
    json!({
        "ref": git_ref,
        "before": before,
        "after": after,
        "repository": {
            "id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": "app",
            "full_name": "octo-org/app", "private": false,
            "owner": { "name": "octo-org", "email": null, "login": "octo-org", "id": 1, "type": "Organization" },
            "html_url": "https://github.com/octo-org/app",
            "clone_url": "https://github.invalid/attacker/other.git",
            "git_url": "git://github.invalid/attacker/other.git",
            "ssh_url": "git@github.invalid:attacker/other.git",
            "default_branch": "main", "master_branch": "main", "pushed_at": 1714550400,
        },
        "pusher": { "name": "ada", "email": "ada@example.com" },
        "sender": { "login": "ada", "id": 583231, "type": "User", "site_admin": false },
        "created": false,
        "deleted": after == ZEROS,
        "forced": false,
        "base_ref": null,
        "compare": format!("https://github.com/octo-org/app/compare/{}...{}", &before[..12], &after[..12]),
        "commits": head.iter().cloned().collect::<Vec<_>>(),
        "head_commit": head,
    })
}

/// A GitLab `Push Hook` payload as documented.
fn gitlab_push(git_ref: &str, before: &str, after: &str, message: &str) -> Value {
    json!({
        "object_kind": "push",
        "event_name": "push",
        "before": before,
        "after": after,
        "ref": git_ref,
        "ref_protected": true,
        "checkout_sha": after,
        "message": null,
        "user_id": 4, "user_name": "John Smith", "user_username": "jsmith",
        "user_email": "john@example.com", "user_avatar": "https://s.gravatar.com/avatar/d4c74594d841139328695756648b6bd6?s=8://s.gravatar.com/avatar/d4c74594d841139328695756648b6bd6?s=80",
        "project_id": 15,
        "project": {
            "id": 15, "name": "app", "description": "", "web_url": "https://gitlab.example.com/mike/app",
            "git_ssh_url": "git@gitlab.invalid:attacker/other.git",
            "git_http_url": "https://gitlab.invalid/attacker/other.git",
            "namespace": "Mike", "visibility_level": 0, "path_with_namespace": "mike/app",
            "default_branch": "main", "ci_config_path": null,
            "homepage": "https://gitlab.example.com/mike/app",
            "url": "git@gitlab.invalid:attacker/other.git",
            "ssh_url": "git@gitlab.invalid:attacker/other.git",
            "http_url": "https://gitlab.invalid/attacker/other.git",
        },
        "commits": [
            {
                "id": before, "message": "an older commit\n", "title": "an older commit",
                "timestamp": "2026-05-01T09:00:00+02:00",
                "url": format!("https://gitlab.example.com/mike/app/-/commit/{before}"),
                "author": { "name": "Someone Else", "email": "else@example.com" },
                "added": [], "modified": ["README.md"], "removed": [],
            },
            {
                "id": after, "message": format!("{message}\n"), "title": message,
                "timestamp": "2026-05-01T10:00:00+02:00",
                "url": format!("https://gitlab.example.com/mike/app/-/commit/{after}"),
                "author": { "name": "Jordi Mallach", "email": "jordi@example.com" },
                "added": [], "modified": ["www/index.html"], "removed": [],
            },
        ],
        "total_commits_count": 2,
        "push_options": {},
        "repository": {
            "name": "app", "url": "git@gitlab.invalid:attacker/other.git", "description": "",
            "homepage": "https://gitlab.example.com/mike/app",
            "git_http_url": "https://gitlab.invalid/attacker/other.git",
            "git_ssh_url": "git@gitlab.invalid:attacker/other.git", "visibility_level": 0,
        },
    })
}

/// A Gitea/Forgejo `push` payload as documented.
fn gitea_push(git_ref: &str, before: &str, after: &str, message: &str) -> Value {
    let head = json!({
        "id": after, "message": format!("{message}\n"),
        "url": format!("https://gitea.example.com/gitea/app/commit/{after}"),
        "author": { "name": "Gitea User", "email": "user@gitea.example.com", "username": "gitea" },
        "committer": { "name": "Gitea User", "email": "user@gitea.example.com", "username": "gitea" },
        "verification": null, "timestamp": "2026-05-01T10:00:00Z",
        "added": [], "removed": [], "modified": ["www/index.html"],
    });
    json!({
        "ref": git_ref,
        "before": before,
        "after": after,
        "compare_url": format!("https://gitea.example.com/gitea/app/compare/{before}...{after}"),
        "commits": [head],
        "total_commits": 1,
        "head_commit": head,
        "repository": {
            "id": 1, "name": "app", "full_name": "gitea/app", "private": false, "fork": false,
            "owner": { "id": 1, "login": "gitea", "full_name": "", "email": "gitea@example.com" },
            "html_url": "https://gitea.example.com/gitea/app",
            "ssh_url": "git@gitea.invalid:attacker/other.git",
            "clone_url": "https://gitea.invalid/attacker/other.git",
            "default_branch": "main",
        },
        "pusher": { "id": 1, "login": "gitea", "email": "gitea@example.com" },
        "sender": { "id": 1, "login": "gitea", "email": "gitea@example.com" },
    })
}

/// A request as the provider sends it: its headers and the exact bytes.
struct Delivery {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Delivery {
    fn github(hook: &Hook, event: &str, id: &str, body: Vec<u8>) -> Self {
        let signature = format!("sha256={}", hmac_hex(&hook.secret, &body));
        Self::raw(
            &[
                ("Content-Type", "application/json"),
                ("User-Agent", "GitHub-Hookshot/044aadd"),
                ("X-GitHub-Event", event),
                ("X-GitHub-Delivery", id),
                ("X-GitHub-Hook-ID", "292430182"),
                ("X-GitHub-Hook-Installation-Target-Type", "repository"),
                ("X-Hub-Signature-256", &signature),
            ],
            body,
        )
    }

    fn gitlab(hook: &Hook, event: &str, id: &str, body: Vec<u8>) -> Self {
        Self::raw(
            &[
                ("Content-Type", "application/json"),
                ("User-Agent", "GitLab/17.5.0"),
                ("X-Gitlab-Event", event),
                ("X-Gitlab-Token", &hook.secret),
                ("X-Gitlab-Instance", "https://gitlab.example.com"),
                ("X-Gitlab-Webhook-UUID", &delivery_id()),
                ("X-Gitlab-Event-UUID", &delivery_id()),
                ("Idempotency-Key", id),
            ],
            body,
        )
    }

    fn gitea(hook: &Hook, event: &str, id: &str, body: Vec<u8>) -> Self {
        let signature = hmac_hex(&hook.secret, &body);
        Self::raw(
            &[
                ("Content-Type", "application/json"),
                ("User-Agent", "Go-http-client/1.1"),
                ("X-GitHub-Event", event),
                ("X-GitHub-Delivery", id),
                ("X-Gitea-Event", event),
                ("X-Gitea-Event-Type", event),
                ("X-Gitea-Delivery", id),
                ("X-Gitea-Signature", &signature),
                ("X-Gogs-Event", event),
                ("X-Gogs-Delivery", id),
                ("X-Gogs-Signature", &signature),
                ("X-Hub-Signature-256", &format!("sha256={signature}")),
            ],
            body,
        )
    }

    fn forgejo(hook: &Hook, event: &str, id: &str, body: Vec<u8>) -> Self {
        let signature = hmac_hex(&hook.secret, &body);
        Self::raw(
            &[
                ("Content-Type", "application/json"),
                ("X-Forgejo-Event", event),
                ("X-Forgejo-Event-Type", event),
                ("X-Forgejo-Delivery", id),
                ("X-Forgejo-Signature", &signature),
            ],
            body,
        )
    }

    fn raw(headers: &[(&str, &str)], body: Vec<u8>) -> Self {
        Self {
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body,
        }
    }

    /// Replaces (or adds) a header.
    fn with(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
        self
    }

    fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self
    }

    /// Keeps the headers (and signature) but sends another body.
    fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// POSTs to `url`: (status, body as JSON, or as a string when it is not JSON).
    async fn post(&self, client: &reqwest::Client, url: &str) -> (u16, Value) {
        let mut request = client.post(url).body(self.body.clone());
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = request.send().await.expect("the delivery was sent");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap()
}

const DELIVERIES: &str = "query($id: ID!) { application(id: $id) { webhookDeliveries(first: 100) {
    edges { cursor node { id provider event deliveryId status reason branch commitSha commitAuthor commitMessage
    deployment { id commitSha trigger } receivedAt } } pageInfo { hasNextPage } } } }";

/// The application's deliveries, newest first.
async fn deliveries(app: &TestApp, token: &str, app_id: &str) -> Vec<Value> {
    let r = app.graphql_as(token, DELIVERIES, json!({ "id": app_id })).await;
    let edges = r["data"]["application"]["webhookDeliveries"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("webhookDeliveries: {r}"))
        .clone();
    edges.into_iter().map(|e| e["node"].clone()).collect()
}

/// The newest delivery.
async fn last_delivery(app: &TestApp, token: &str, app_id: &str) -> Value {
    deliveries(app, token, app_id)
        .await
        .into_iter()
        .next()
        .expect("a delivery was recorded")
}

async fn deployment_count(app: &TestApp) -> u64 {
    app.count(deployments::Entity).await
}

/// An application whose repository nobody serves: a deployment it starts fails at once.
async fn app_with_dead_repo(app: &TestApp, token: &str) -> String {
    let url = format!("git://127.0.0.1:{}/app.git", free_port());
    app.create_git_app(token, &format!("hook-{}", random_suffix(6)), &url)
        .await
}

async fn set_auto_deploy(app: &TestApp, token: &str, app_id: &str, on: bool) {
    let r = app
        .graphql_as(
            token,
            "mutation($i: UpdateApplicationInput!) { updateApplication(input: $i) { application { autoDeploy } } }",
            json!({ "i": { "id": app_id, "autoDeploy": on } }),
        )
        .await;
    assert_eq!(r["data"]["updateApplication"]["application"]["autoDeploy"], on, "{r}");
}

fn sha(n: u8) -> String {
    format!("{n:02x}").repeat(20)
}

// ---------------------------------------------------------------------------------------
// End to end: the pushed commit runs behind Caddy.
// ---------------------------------------------------------------------------------------

/// Posts `delivery` and waits for the deployment it queued to run `version`; returns it.
async fn deploys_and_serves(stack: &Stack, delivery: &Delivery, url: &str, sha: &str, version: &str) -> Value {
    let started = Instant::now();
    let (status, answer) = delivery.post(&stack.app.client, url).await;
    assert_eq!(status, 202, "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered after {:?}: the delivery must not wait for the build",
        started.elapsed()
    );
    assert_eq!(answer["status"], "deployed", "{answer}");
    let id = answer["deployment"].as_str().unwrap().to_string();
    let deployment = stack.wait_for_status(&id, "RUNNING").await;
    assert_eq!(deployment["commitSha"], sha, "{deployment}");
    assert_eq!(deployment["trigger"], "webhook", "{deployment}");
    stack
        .wait_until_serves("/", &format!("version {version}"), Duration::from_secs(10))
        .await;
    deployment
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_github_push_deploys_the_pushed_commit_and_a_replay_deploys_nothing_more() {
    let stack = Stack::start().await;
    let hook = enable(&stack.app, &stack.token, &stack.app_id, "GITHUB").await;
    let v1 = stack.repo.head().await;
    let v2 = stack.repo.commit_version("v2").await;
    // The branch moves on before the build clones: the pushed commit still is what runs.
    stack.repo.commit_version("v3").await;

    let id = delivery_id();
    let body = bytes(&github_push("refs/heads/main", &v1, &v2, "version v2"));
    let delivery = Delivery::github(&hook, "push", &id, body);
    let deployment = deploys_and_serves(&stack, &delivery, &hook.url, &v2, "v2").await;

    let recorded = last_delivery(&stack.app, &stack.token, &stack.app_id).await;
    assert_eq!(recorded["provider"], "GITHUB", "{recorded}");
    assert_eq!(recorded["event"], "push");
    assert_eq!(recorded["deliveryId"], id.as_str());
    assert_eq!(recorded["status"], "DEPLOYED");
    assert_eq!(recorded["reason"], Value::Null);
    assert_eq!(recorded["branch"], "main");
    assert_eq!(recorded["commitSha"], v2.as_str());
    assert_eq!(recorded["commitAuthor"], "Ada Lovelace <ada@example.com>");
    assert_eq!(recorded["commitMessage"], "version v2");
    assert_eq!(recorded["deployment"]["id"], deployment["id"]);

    // The same delivery again (a provider retry, or someone replaying it): 200, nothing.
    let (status, answer) = delivery.post(&stack.app.client, &hook.url).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "duplicate", "{answer}");
    assert_eq!(deployment_count(&stack.app).await, 1);
    assert_eq!(deliveries(&stack.app, &stack.token, &stack.app_id).await.len(), 1);
    assert_eq!(stack.get("/").await, Ok((200, "version v2".to_string())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_gitlab_push_hook_deploys_the_pushed_commit() {
    let stack = Stack::start().await;
    let hook = enable(&stack.app, &stack.token, &stack.app_id, "GITLAB").await;
    let v1 = stack.repo.head().await;
    let v2 = stack.repo.commit_version("v2").await;

    let id = delivery_id();
    let body = bytes(&gitlab_push("refs/heads/main", &v1, &v2, "version v2"));
    let delivery = Delivery::gitlab(&hook, "Push Hook", &id, body);
    deploys_and_serves(&stack, &delivery, &hook.url, &v2, "v2").await;

    let recorded = last_delivery(&stack.app, &stack.token, &stack.app_id).await;
    assert_eq!(
        (&recorded["provider"], &recorded["event"], &recorded["status"]),
        (&json!("GITLAB"), &json!("Push Hook"), &json!("DEPLOYED")),
        "{recorded}"
    );
    assert_eq!(recorded["deliveryId"], id.as_str(), "the Idempotency-Key");
    assert_eq!(recorded["commitAuthor"], "Jordi Mallach <jordi@example.com>");
    assert_eq!(recorded["commitMessage"], "version v2");

    // GitLab retries with the same Idempotency-Key (and fresh UUID headers).
    let retry = Delivery::gitlab(&hook, "Push Hook", &id, delivery.body.clone());
    let (status, answer) = retry.post(&stack.app.client, &hook.url).await;
    assert_eq!((status, &answer["status"]), (200, &json!("duplicate")), "{answer}");
    assert_eq!(deployment_count(&stack.app).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_gitea_push_deploys_the_pushed_commit() {
    let stack = Stack::start().await;
    let hook = enable(&stack.app, &stack.token, &stack.app_id, "GITEA").await;
    let v1 = stack.repo.head().await;
    let v2 = stack.repo.commit_version("v2").await;

    let id = delivery_id();
    let body = bytes(&gitea_push("refs/heads/main", &v1, &v2, "version v2"));
    let delivery = Delivery::gitea(&hook, "push", &id, body);
    deploys_and_serves(&stack, &delivery, &hook.url, &v2, "v2").await;

    let recorded = last_delivery(&stack.app, &stack.token, &stack.app_id).await;
    assert_eq!(
        (&recorded["provider"], &recorded["event"], &recorded["status"]),
        (&json!("GITEA"), &json!("push"), &json!("DEPLOYED")),
        "{recorded}"
    );
    assert_eq!(recorded["deliveryId"], id.as_str());
    assert_eq!(recorded["commitAuthor"], "Gitea User <user@gitea.example.com>");

    let (status, answer) = delivery.post(&stack.app.client, &hook.url).await;
    assert_eq!((status, &answer["status"]), (200, &json!("duplicate")), "{answer}");
    assert_eq!(deployment_count(&stack.app).await, 1);
}

// ---------------------------------------------------------------------------------------
// Without a build: what is accepted, refused and recorded.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn forgejo_headers_are_accepted_on_the_gitea_endpoint() {
    let app = spawn_app_with(|_| {}).await;
    let token = app.admin_token().await;
    let app_id = app_with_dead_repo(&app, &token).await;
    let hook = enable(&app, &token, &app_id, "GITEA").await;
    let body = bytes(&gitea_push("refs/heads/main", &sha(1), &sha(2), "from forgejo"));
    let (status, answer) = Delivery::forgejo(&hook, "push", &delivery_id(), body)
        .post(&app.client, &hook.url)
        .await;
    assert_eq!(status, 202, "{answer}");
    let recorded = last_delivery(&app, &token, &app_id).await;
    assert_eq!(recorded["status"], "DEPLOYED", "{recorded}");
    assert_eq!(recorded["deployment"]["commitSha"], sha(2).as_str(), "{recorded}");
    assert_eq!(recorded["deployment"]["trigger"], "webhook", "{recorded}");
}

/// Posts and checks the status; returns the answer.
async fn expect(app: &TestApp, url: &str, delivery: Delivery, status: u16, what: &str) -> Value {
    let (got, answer) = delivery.post(&app.client, url).await;
    assert_eq!(got, status, "{what}: {answer}");
    answer
}

#[tokio::test]
async fn bad_github_deliveries_are_refused_recorded_and_deploy_nothing() {
    let app = spawn_app_with(|_| {}).await;
    let token = app.admin_token().await;
    let app_id = app_with_dead_repo(&app, &token).await;
    let hook = enable(&app, &token, &app_id, "GITHUB").await;
    let push = bytes(&github_push("refs/heads/main", &sha(1), &sha(2), "a commit"));
    let good = || Delivery::github(&hook, "push", &delivery_id(), push.clone());
    let signature = format!("sha256={}", hmac_hex(&hook.secret, &push));
    let hex = &signature["sha256=".len()..];

    // Signatures: each 401, recorded as rejected.
    let bad_signatures = [
        ("wrong secret", format!("sha256={}", hmac_hex("not-the-secret", &push))),
        ("sha1 prefix", format!("sha1={hex}")),
        ("no prefix", hex.to_string()),
        ("odd hex length", format!("sha256={}", &hex[..63])),
        ("too short", format!("sha256={}", &hex[..62])),
        ("not hex", format!("sha256={}zz", &hex[..62])),
        ("empty", String::new()),
    ];
    for (what, value) in &bad_signatures {
        let answer = expect(&app, &hook.url, good().with("X-Hub-Signature-256", value), 401, what).await;
        assert!(answer["error"].is_string(), "{what}: {answer}");
    }
    expect(
        &app,
        &hook.url,
        good().without("X-Hub-Signature-256"),
        401,
        "no signature",
    )
    .await;
    // Signed, then the body changed: one byte, or the same JSON re-serialized.
    let mut tampered = push.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 1;
    expect(&app, &hook.url, good().with_body(tampered), 401, "one byte changed").await;
    let reserialized = serde_json::to_vec(&serde_json::from_slice::<Value>(&push).unwrap()).unwrap();
    assert_ne!(reserialized, push);
    expect(&app, &hook.url, good().with_body(reserialized), 401, "re-serialized").await;
    // GitLab's and Gitea's headers mean nothing here.
    let gitlab_style = Delivery::raw(
        &[
            ("Content-Type", "application/json"),
            ("X-Gitlab-Event", "Push Hook"),
            ("X-Gitlab-Token", &hook.secret),
        ],
        push.clone(),
    );
    expect(
        &app,
        &hook.url,
        gitlab_style,
        401,
        "a GitLab token on the GitHub endpoint",
    )
    .await;
    let gitea_style = Delivery::raw(
        &[
            ("Content-Type", "application/json"),
            ("X-Gitea-Event", "push"),
            ("X-Gitea-Signature", hex),
        ],
        push.clone(),
    );
    expect(
        &app,
        &hook.url,
        gitea_style,
        401,
        "a Gitea signature on the GitHub endpoint",
    )
    .await;
    let rejected = deliveries(&app, &token, &app_id).await;
    assert_eq!(rejected.len(), bad_signatures.len() + 5);
    for row in &rejected {
        assert_eq!(row["status"], "REJECTED", "{row}");
        assert!(row["reason"].as_str().is_some_and(|r| !r.is_empty()), "{row}");
        // Nothing of an unverified body is kept.
        assert_eq!(
            (&row["commitSha"], &row["commitMessage"], &row["branch"]),
            (&Value::Null, &Value::Null, &Value::Null),
            "{row}"
        );
    }

    // Verified, but unusable: 400, recorded as rejected with the reason.
    for (what, body, reason) in [
        ("not JSON", b"ref=refs/heads/main&after=abc".to_vec(), "not JSON"),
        ("no ref", bytes(&json!({ "after": sha(2) })), "`ref`"),
        ("no after", bytes(&json!({ "ref": "refs/heads/main" })), "`after`"),
        (
            "short after",
            bytes(&json!({ "ref": "refs/heads/main", "after": "abc123" })),
            "40-hex-digit",
        ),
    ] {
        let answer = expect(
            &app,
            &hook.url,
            Delivery::github(&hook, "push", &delivery_id(), body),
            400,
            what,
        )
        .await;
        assert!(
            answer["error"].as_str().unwrap_or_default().contains(reason),
            "{what}: {answer}"
        );
        let row = last_delivery(&app, &token, &app_id).await;
        assert_eq!(row["status"], "REJECTED", "{what}: {row}");
        assert!(row["reason"].as_str().unwrap().contains(reason), "{what}: {row}");
    }
    let form = Delivery::github(&hook, "push", &delivery_id(), b"payload=%7B%7D".to_vec())
        .with("Content-Type", "application/x-www-form-urlencoded");
    let answer = expect(&app, &hook.url, form, 400, "form-encoded").await;
    assert!(
        answer["error"].as_str().unwrap().contains("application/json"),
        "{answer}"
    );

    // Verified, nothing to deploy: 200, skipped with the reason.
    for (what, event, body, reason) in [
        (
            "ping",
            "ping",
            bytes(&json!({ "zen": "Keep it logically awesome.", "hook_id": 1 })),
            "ping",
        ),
        (
            "a tag",
            "push",
            bytes(&github_push("refs/tags/v1.0.0", ZEROS, &sha(3), "tagged")),
            "tag",
        ),
        (
            "another branch",
            "push",
            bytes(&github_push("refs/heads/feature", &sha(1), &sha(4), "elsewhere")),
            "\"feature\"",
        ),
        (
            "a deleted branch",
            "push",
            bytes(&github_push("refs/heads/main", &sha(2), ZEROS, "")),
            "deleted",
        ),
        (
            "another event",
            "issues",
            bytes(&json!({ "action": "opened" })),
            "\"issues\"",
        ),
    ] {
        let answer = expect(
            &app,
            &hook.url,
            Delivery::github(&hook, event, &delivery_id(), body),
            200,
            what,
        )
        .await;
        assert_eq!(answer["status"], "skipped", "{what}: {answer}");
        let row = last_delivery(&app, &token, &app_id).await;
        assert_eq!(row["status"], "SKIPPED", "{what}: {row}");
        assert!(row["reason"].as_str().unwrap().contains(reason), "{what}: {row}");
    }
    let tag = deliveries(&app, &token, &app_id).await[3].clone();
    assert_eq!(
        (&tag["branch"], &tag["commitSha"]),
        (&Value::Null, &json!(sha(3))),
        "{tag}"
    );
    let branch = deliveries(&app, &token, &app_id).await[2].clone();
    assert_eq!(branch["branch"], "feature", "{branch}");
    assert_eq!(branch["commitAuthor"], "Ada Lovelace <ada@example.com>", "{branch}");

    // Auto-deploy off: the push to the branch is recorded, not deployed.
    set_auto_deploy(&app, &token, &app_id, false).await;
    let answer = expect(&app, &hook.url, good(), 200, "auto-deploy off").await;
    assert!(answer["reason"].as_str().unwrap().contains("auto-deploy"), "{answer}");
    set_auto_deploy(&app, &token, &app_id, true).await;

    // A replayed delivery id: answered, nothing recorded or done again.
    let replayed = Delivery::github(&hook, "issues", "replayed-id", bytes(&json!({})));
    expect(&app, &hook.url, replayed, 200, "first delivery").await;
    let recorded = app.count(webhook_deliveries::Entity).await;
    let replayed = Delivery::github(&hook, "issues", "replayed-id", bytes(&json!({})));
    let answer = expect(&app, &hook.url, replayed, 200, "replay").await;
    assert_eq!(answer["status"], "duplicate", "{answer}");
    assert_eq!(app.count(webhook_deliveries::Entity).await, recorded);

    // Unknown, disabled or another provider's webhook: 404, the same as any unknown path,
    // and nothing recorded.
    let unknown = hook.url.replace(&hook.id, "00000000-0000-4000-8000-000000000000");
    expect(&app, &unknown, good(), 404, "unknown id").await;
    expect(
        &app,
        &hook.url.replace(&hook.id, "not-a-uuid"),
        good(),
        404,
        "malformed id",
    )
    .await;
    let on_gitlab = hook.url.replace("/webhooks/github/", "/webhooks/gitlab/");
    let (status, body) = good().post(&app.client, &on_gitlab).await;
    assert_eq!(status, 404, "{body}");
    let (_, nowhere) = good().post(&app.client, &app.url("/no/such/path")).await;
    assert_eq!(body, nowhere, "the same answer as an unknown path");
    expect(
        &app,
        &hook.url.replace("/webhooks/github/", "/webhooks/bitbucket/"),
        good(),
        404,
        "unknown provider",
    )
    .await;
    let r = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { disableWebhook(input: {id: $id}) { webhook { enabled } } }",
            json!({ "id": hook.id }),
        )
        .await;
    assert_eq!(r["data"]["disableWebhook"]["webhook"]["enabled"], false, "{r}");
    expect(&app, &hook.url, good(), 404, "disabled").await;
    assert_eq!(app.count(webhook_deliveries::Entity).await, recorded);

    assert_eq!(deployment_count(&app).await, 0, "nothing was deployed");
}

#[tokio::test]
async fn bad_gitlab_and_gitea_deliveries_are_refused_and_never_fail_open() {
    let app = spawn_app_with(|_| {}).await;
    let token = app.admin_token().await;
    let app_id = app_with_dead_repo(&app, &token).await;
    let gitlab = enable(&app, &token, &app_id, "GITLAB").await;
    let gitea = enable(&app, &token, &app_id, "GITEA").await;
    let lab_push = bytes(&gitlab_push("refs/heads/main", &sha(1), &sha(2), "a commit"));
    let tea_push = bytes(&gitea_push("refs/heads/main", &sha(1), &sha(2), "a commit"));
    let lab = || Delivery::gitlab(&gitlab, "Push Hook", &delivery_id(), lab_push.clone());
    let tea = || Delivery::gitea(&gitea, "push", &delivery_id(), tea_push.clone());

    for (what, delivery) in [
        ("wrong token", lab().with("X-Gitlab-Token", "not-the-secret")),
        ("empty token", lab().with("X-Gitlab-Token", "")),
        ("no token", lab().without("X-Gitlab-Token")),
        (
            "the other webhook's secret",
            lab().with("X-Gitlab-Token", &gitea.secret),
        ),
        (
            "a prefix of the secret",
            lab().with("X-Gitlab-Token", &gitlab.secret[..32]),
        ),
    ] {
        expect(&app, &gitlab.url, delivery, 401, what).await;
    }
    // A GitHub-style signature, valid for GitLab's secret, is no token.
    let github_style = Delivery::raw(
        &[
            ("Content-Type", "application/json"),
            ("X-Gitlab-Event", "Push Hook"),
            (
                "X-Hub-Signature-256",
                &format!("sha256={}", hmac_hex(&gitlab.secret, &lab_push)),
            ),
        ],
        lab_push.clone(),
    );
    expect(&app, &gitlab.url, github_style, 401, "GitHub signature on GitLab").await;

    let tea_signature = hmac_hex(&gitea.secret, &tea_push);
    for (what, delivery) in [
        (
            "wrong secret",
            tea().with("X-Gitea-Signature", &hmac_hex(&gitlab.secret, &tea_push)),
        ),
        (
            "with a prefix",
            tea().with("X-Gitea-Signature", &format!("sha256={tea_signature}")),
        ),
        ("odd length", tea().with("X-Gitea-Signature", &tea_signature[1..])),
        ("not hex", tea().with("X-Gitea-Signature", &"z".repeat(64))),
        (
            "only GitHub's header",
            tea().without("X-Gitea-Signature").without("X-Gogs-Signature"),
        ),
        (
            "another body",
            tea().with_body(bytes(&json!({ "ref": "refs/heads/main" }))),
        ),
    ] {
        expect(&app, &gitea.url, delivery, 401, what).await;
    }
    // Each provider's webhook only at its own endpoint.
    expect(
        &app,
        &gitlab.url.replace("/webhooks/gitlab/", "/webhooks/gitea/"),
        lab(),
        404,
        "GitLab id on Gitea",
    )
    .await;
    expect(
        &app,
        &gitea.url.replace("/webhooks/gitea/", "/webhooks/github/"),
        tea(),
        404,
        "Gitea id on GitHub",
    )
    .await;

    let rows = deliveries(&app, &token, &app_id).await;
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|r| r["status"] == "REJECTED"), "{rows:#?}");

    // Verified but unusable, or not a branch push.
    let not_json = Delivery::gitlab(&gitlab, "Push Hook", &delivery_id(), b"<xml/>".to_vec());
    expect(&app, &gitlab.url, not_json, 400, "GitLab, not JSON").await;
    let tag = bytes(&gitlab_push("refs/tags/v2", ZEROS, &sha(5), "tag"));
    let answer = expect(
        &app,
        &gitlab.url,
        Delivery::gitlab(&gitlab, "Tag Push Hook", &delivery_id(), tag),
        200,
        "GitLab tag",
    )
    .await;
    assert!(answer["reason"].as_str().unwrap().contains("tag"), "{answer}");
    let tag = bytes(&gitea_push("refs/tags/v2", ZEROS, &sha(5), "tag"));
    expect(
        &app,
        &gitea.url,
        Delivery::gitea(&gitea, "push", &delivery_id(), tag),
        200,
        "Gitea tag",
    )
    .await;
    let no_after = bytes(&json!({ "ref": "refs/heads/main", "before": sha(1) }));
    expect(
        &app,
        &gitea.url,
        Delivery::gitea(&gitea, "push", &delivery_id(), no_after),
        400,
        "Gitea, no after",
    )
    .await;
    let mr = Delivery::gitlab(
        &gitlab,
        "Merge Request Hook",
        &delivery_id(),
        bytes(&json!({ "object_kind": "merge_request" })),
    );
    expect(&app, &gitlab.url, mr, 200, "GitLab merge request").await;

    assert_eq!(deployment_count(&app).await, 0, "nothing was deployed");
}

#[tokio::test]
async fn an_oversized_delivery_gets_413_while_large_ones_within_the_webhook_bound_pass() {
    // The webhook bound is its own: larger than the API's body limit here.
    let app = spawn_app_with(|c| {
        c.max_body_bytes = 16 * 1024;
        c.webhook_max_body_bytes = 256 * 1024;
    })
    .await;
    let token = app.admin_token().await;
    let app_id = app_with_dead_repo(&app, &token).await;
    let hook = enable(&app, &token, &app_id, "GITHUB").await;

    let mut push = github_push("refs/heads/feature", &sha(1), &sha(2), "a large push");
    push["padding"] = json!("x".repeat(100 * 1024));
    let answer = expect(
        &app,
        &hook.url,
        Delivery::github(&hook, "push", &delivery_id(), bytes(&push)),
        200,
        "100 KiB",
    )
    .await;
    assert_eq!(answer["status"], "skipped", "{answer}");

    push["padding"] = json!("x".repeat(300 * 1024));
    let oversized = Delivery::github(&hook, "push", &delivery_id(), bytes(&push));
    let answer = expect(&app, &hook.url, oversized, 413, "300 KiB").await;
    assert!(answer["error"].as_str().unwrap().contains("larger"), "{answer}");
    let row = last_delivery(&app, &token, &app_id).await;
    assert_eq!(row["status"], "REJECTED", "{row}");
    assert!(row["reason"].as_str().unwrap().contains("larger"), "{row}");

    // Without a Content-Length (chunked), the bound holds while reading.
    assert_eq!(post_chunked(&app, &hook, 40, 8 * 1024).await, 413);
    // GraphQL keeps its own, smaller limit.
    let big_query = format!("{{ health }} #{}", "x".repeat(32 * 1024));
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": big_query }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(deployment_count(&app).await, 0);
}

/// POSTs `chunks` chunks of `size` spaces with `Transfer-Encoding: chunked` (no length);
/// returns the status code.
async fn post_chunked(app: &TestApp, hook: &Hook, chunks: usize, size: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let path = hook.url.trim_start_matches(&app.base).to_string();
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n\
         X-Hub-Signature-256: sha256={}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.addr,
        "0".repeat(64)
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("{size:x}\r\n{}\r\n", " ".repeat(size));
    for _ in 0..chunks {
        // The server may answer and close before everything is sent.
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response)).await;
    let text = String::from_utf8_lossy(&response);
    text.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {text:?}"))
}

#[tokio::test]
async fn a_delivery_that_came_to_nothing_is_processed_again_and_redeliver_deploys_a_commit() {
    let app = spawn_app_with(|_| {}).await;
    let token = app.admin_token().await;
    let app_id = app_with_dead_repo(&app, &token).await;
    let hook = enable(&app, &token, &app_id, "GITHUB").await;
    let id = delivery_id();
    let body = bytes(&github_push("refs/heads/main", &sha(1), &sha(2), "a commit"));

    // First with a signature that does not verify (say, during a secret rotation)…
    let unsigned = Delivery::github(&hook, "push", &id, body.clone()).with("X-Hub-Signature-256", "sha256=00");
    expect(&app, &hook.url, unsigned, 401, "bad signature").await;
    // …then properly: processed, although the id was seen.
    let delivery = Delivery::github(&hook, "push", &id, body.clone());
    let answer = expect(&app, &hook.url, delivery, 202, "verified").await;
    let first = answer["deployment"].as_str().unwrap().to_string();
    assert_eq!(
        deliveries(&app, &token, &app_id).await.len(),
        1,
        "one row per delivery id"
    );

    // The repository cannot be reached, so that deployment fails; a redelivery of the
    // same id is then processed again.
    app.wait_for_status(&token, &first, "FAILED", Duration::from_secs(60))
        .await;
    let delivery = Delivery::github(&hook, "push", &id, body);
    let answer = expect(&app, &hook.url, delivery, 202, "redelivery after a failure").await;
    let second = answer["deployment"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    let rows = deliveries(&app, &token, &app_id).await;
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["deployment"]["id"], second.as_str());
    assert_eq!(deployment_count(&app).await, 2);

    // redeliver deploys a recorded push's commit again, even one that was skipped.
    set_auto_deploy(&app, &token, &app_id, false).await;
    let skipped = Delivery::github(
        &hook,
        "push",
        &delivery_id(),
        bytes(&github_push("refs/heads/main", &sha(2), &sha(3), "later")),
    );
    expect(&app, &hook.url, skipped, 200, "auto-deploy off").await;
    let skipped = last_delivery(&app, &token, &app_id).await;
    assert_eq!(skipped["status"], "SKIPPED");
    const REDELIVER: &str = "mutation($id: ID!) { redeliver(input: {deliveryId: $id}) {
        delivery { id status deployment { id } } deployment { id commitSha trigger status } } }";
    let viewer = app.user_token(&token, "viewer@example.com", "VIEWER").await;
    let r = app.graphql_as(&viewer, REDELIVER, json!({ "id": skipped["id"] })).await;
    assert_eq!(ployer_tests::error_code(&r), Some("FORBIDDEN"), "{r}");
    let member = app.user_token(&token, "member@example.com", "MEMBER").await;
    let r = app.graphql_as(&member, REDELIVER, json!({ "id": skipped["id"] })).await;
    let payload = &r["data"]["redeliver"];
    assert_eq!(payload["deployment"]["commitSha"], sha(3).as_str(), "{r}");
    assert_eq!(payload["deployment"]["trigger"], "webhook", "{r}");
    assert_eq!(payload["delivery"]["status"], "DEPLOYED", "{r}");
    assert_eq!(
        payload["delivery"]["deployment"]["id"], payload["deployment"]["id"],
        "{r}"
    );
    assert_eq!(deployment_count(&app).await, 3);

    // A delivery without a commit cannot be redelivered; an unknown one is not found.
    let ping = Delivery::github(&hook, "ping", &delivery_id(), bytes(&json!({ "zen": "hi" })));
    expect(&app, &hook.url, ping, 200, "ping").await;
    let ping = last_delivery(&app, &token, &app_id).await;
    let r = app.graphql_as(&member, REDELIVER, json!({ "id": ping["id"] })).await;
    assert_eq!(ployer_tests::error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    let r = app
        .graphql_as(&member, REDELIVER, json!({ "id": "no-such-delivery" }))
        .await;
    assert_eq!(ployer_tests::error_code(&r), Some("NOT_FOUND"), "{r}");
    assert_eq!(deployment_count(&app).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_500_pushes_is_answered_fast_coalesced_and_pruned() {
    let app = spawn_app_with(|c| c.webhook_deliveries_kept = 50).await;
    let token = app.admin_token().await;
    // A git server that accepts and never answers: the first deployment stays in its clone
    // for the whole burst, so every later one waits in the queue.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("git://{}/app.git", silent.local_addr().unwrap());
    let app_id = app.create_git_app(&token, "burst", &url).await;
    let hook = enable(&app, &token, &app_id, "GITHUB").await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    // 500 distinct pushes, built and signed beforehand as 500 senders would.
    let pushes: Vec<Delivery> = (1..=500u128)
        .map(|n| {
            let body = bytes(&github_push("refs/heads/main", &sha(1), &format!("{n:040x}"), "burst"));
            Delivery::github(&hook, "push", &delivery_id(), body)
        })
        .collect();
    let started = Instant::now();
    let statuses: Vec<u16> = futures::stream::iter(pushes)
        .map(|delivery| {
            let (client, url) = (client.clone(), hook.url.clone());
            async move { delivery.post(&client, &url).await.0 }
        })
        .buffer_unordered(50)
        .collect()
        .await;
    let took = started.elapsed();
    // The client's 10 s timeout bounds each answer: a late one would not be a 202.
    assert!(
        statuses.iter().all(|s| *s == 202),
        "{statuses:?} (the burst took {took:?})"
    );

    // Coalesced: one deployment running, one queued — the newest delivery's commit — and
    // every other one superseded before it started.
    let rows = deployments::Entity::find()
        .filter(deployments::Column::ApplicationId.eq(app_id.clone()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 500);
    let count = |statuses: &[&str]| rows.iter().filter(|d| statuses.contains(&d.status.as_str())).count();
    assert_eq!(
        count(&["cloning", "building", "starting", "health_checking"]),
        1,
        "one in flight"
    );
    assert_eq!(count(&["queued"]), 1, "one queued");
    assert_eq!(count(&["superseded"]), 498);
    let queued = rows.iter().find(|d| d.status.as_str() == "queued").unwrap();
    let newest = last_delivery(&app, &token, &app_id).await;
    assert_eq!(newest["deployment"]["id"], queued.id.as_str(), "{newest}");
    assert_eq!(newest["commitSha"].as_str(), queued.commit_sha.as_deref(), "{newest}");

    // Deliveries are pruned to the newest 50 of the application.
    let kept = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::ApplicationId.eq(app_id.clone()))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(kept, 50);
    let page = app
        .graphql_as(
            &token,
            "query($id: ID!, $after: String) { application(id: $id) { webhookDeliveries(first: 30, after: $after) {
                edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }",
            json!({ "id": app_id, "after": null }),
        )
        .await;
    let first = &page["data"]["application"]["webhookDeliveries"];
    assert_eq!(first["edges"].as_array().map(Vec::len), Some(30), "{page}");
    assert_eq!(first["pageInfo"]["hasNextPage"], true, "{page}");
    let page = app
        .graphql_as(
            &token,
            "query($id: ID!, $after: String) { application(id: $id) { webhookDeliveries(first: 30, after: $after) {
                edges { cursor node { id } } pageInfo { hasNextPage } } } }",
            json!({ "id": app_id, "after": first["pageInfo"]["endCursor"] }),
        )
        .await;
    let second = &page["data"]["application"]["webhookDeliveries"];
    assert_eq!(second["edges"].as_array().map(Vec::len), Some(20), "{page}");
    assert_eq!(second["pageInfo"]["hasNextPage"], false, "{page}");
    drop(silent);
}

const SUB_DELIVERIES: &str = "subscription($id: ID!) { webhookDeliveryReceived(applicationId: $id) {
    id event deliveryId status reason branch commitSha deployment { id } } }";

/// The next delivery a `webhookDeliveryReceived` subscriber is sent.
async fn next_delivery(ws: &mut ployer_tests::WsClient) -> Value {
    let message = ws.message().await;
    assert_eq!(message["type"], "next", "{message}");
    let delivery = &message["payload"]["data"]["webhookDeliveryReceived"];
    assert!(delivery.is_object(), "{message}");
    delivery.clone()
}

#[tokio::test]
async fn a_viewer_follows_an_applications_deliveries_live_as_they_are_stored() {
    let app = spawn_app_with(|_| {}).await;
    let token = app.admin_token().await;
    let app_id = app_with_dead_repo(&app, &token).await;
    let other_id = app_with_dead_repo(&app, &token).await;
    let hook = enable(&app, &token, &app_id, "GITHUB").await;
    let other = enable(&app, &token, &other_id, "GITHUB").await;
    let viewer = app.user_token(&token, "viewer@example.com", "VIEWER").await;
    let member = app.user_token(&token, "member@example.com", "MEMBER").await;

    // Refused without a sign-in, and for an application that does not exist.
    let (_, body) = app.graphql_raw(None, SUB_DELIVERIES, json!({ "id": app_id })).await;
    assert_eq!(ployer_tests::error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    let mut unknown = app.ws().await;
    unknown.init(&viewer).await;
    unknown
        .subscribe("u", SUB_DELIVERIES, json!({ "id": "no-such-app" }))
        .await;
    let message = unknown.message().await;
    let error = match message["type"].as_str() {
        Some("next") => message["payload"]["errors"][0].clone(),
        _ => message["payload"][0].clone(),
    };
    assert_eq!(error["extensions"]["code"], "NOT_FOUND", "{message}");

    let mut ws = app.ws().await;
    ws.init(&viewer).await;
    ws.subscribe("d", SUB_DELIVERIES, json!({ "id": app_id })).await;
    // Give the server a moment to register the subscription before anything arrives.
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Another application's delivery is not this subscriber's business.
    let ping = || bytes(&json!({ "zen": "Keep it logically awesome.", "hook_id": 1 }));
    expect(
        &app,
        &other.url,
        Delivery::github(&other, "ping", &delivery_id(), ping()),
        200,
        "ping",
    )
    .await;

    // A ping (skipped), a delivery whose signature does not verify (rejected) and a push
    // to another branch (skipped, with its commit) arrive in that order, as stored.
    let id = delivery_id();
    expect(
        &app,
        &hook.url,
        Delivery::github(&hook, "ping", &id, ping()),
        200,
        "ping",
    )
    .await;
    let got = next_delivery(&mut ws).await;
    assert_eq!(
        (&got["event"], &got["deliveryId"], &got["status"]),
        (&json!("ping"), &json!(id), &json!("SKIPPED")),
        "{got}"
    );
    assert!(got["reason"].as_str().unwrap_or_default().contains("ping"), "{got}");

    let push = bytes(&github_push("refs/heads/main", &sha(1), &sha(2), "a commit"));
    let forged = Delivery::github(&hook, "push", &delivery_id(), push).with("X-Hub-Signature-256", "sha256=00");
    expect(&app, &hook.url, forged, 401, "bad signature").await;
    let got = next_delivery(&mut ws).await;
    assert_eq!(got["status"], "REJECTED", "{got}");

    let dev = bytes(&github_push("refs/heads/dev", &sha(2), &sha(3), "on dev"));
    expect(
        &app,
        &hook.url,
        Delivery::github(&hook, "push", &delivery_id(), dev),
        200,
        "another branch",
    )
    .await;
    let skipped = next_delivery(&mut ws).await;
    assert_eq!(
        (&skipped["status"], &skipped["branch"], &skipped["commitSha"]),
        (&json!("SKIPPED"), &json!("dev"), &json!(sha(3))),
        "{skipped}"
    );

    // `redeliver` changes a stored delivery: the subscriber sees it again, deployed.
    let r = app
        .graphql_as(
            &member,
            "mutation($id: ID!) { redeliver(input: {deliveryId: $id}) { deployment { id } } }",
            json!({ "id": skipped["id"] }),
        )
        .await;
    let deployment = r["data"]["redeliver"]["deployment"]["id"].clone();
    assert!(deployment.is_string(), "{r}");
    let got = next_delivery(&mut ws).await;
    assert_eq!(got["id"], skipped["id"], "{got}");
    assert_eq!(got["status"], "DEPLOYED", "{got}");
    assert_eq!(got["deployment"]["id"], deployment, "{got}");
}
