//! Fixtures for the end-to-end deploy tests: a git repository served by its own `git daemon`
//! holding the test application, a `Stack` (Ployer with its own Caddy, an admin, an application
//! building that repository), requests through Caddy and a load loop. Everything a test starts
//! is stopped and removed when it is dropped, assertion failed or not (what Docker holds of the
//! stack's applications too).

use std::{
    ops::Deref,
    os::unix::fs::PermissionsExt,
    path::PathBuf,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use ployer_server::config::Config;
use ployer_test_support::{
    caddy::{get_through, require_caddy, wait_until_served, CaddyPorts},
    docker::{containers_labelled, images_tagged, Leftovers, APP_DOCKERFILE},
    git::ServedRepo,
};
use ployer_tests::{describe_deployment, random_suffix, spawn_app_with, TestApp};
use serde_json::{json, Value};

/// How long a deployment of the fixture may take to reach a state (builds are small).
pub const DEPLOY_TIMEOUT: Duration = Duration::from_secs(90);

/// The CGI script behind `/cgi-bin/slow`: answers after 3 s, naming `version`.
fn slow_cgi(version: &str) -> String {
    format!("#!/bin/sh\nsleep 3\necho \"Content-Type: text/plain\"\necho\necho slow-{version}\n")
}

/// The test application's repository: a working tree pushing to a bare repository that its own
/// `git daemon` serves as `git://127.0.0.1:<port>/app.git` (what [`ServedRepo`] gives: `url`,
/// `bare`, `write`, `commit_all`, `head`). The daemon is killed on drop.
pub struct GitRepo {
    repo: ServedRepo,
    /// Unique per repository: a `LABEL` with it follows `FROM`, so no two tests share build
    /// cache layers (one test removing its image must not pull layers from under another's build).
    marker: String,
}

impl Deref for GitRepo {
    type Target = ServedRepo;

    fn deref(&self) -> &ServedRepo {
        &self.repo
    }
}

impl GitRepo {
    /// A repository whose `main` holds version v1: the Dockerfile, `www/index.html` =
    /// `version v1`, `www/healthz` = `ok` and the slow CGI script.
    pub async fn new() -> Self {
        let repo = GitRepo {
            repo: ServedRepo::new().await,
            marker: random_suffix(12),
        };
        repo.write("Dockerfile", Some(&repo.dockerfile()));
        repo.write_version("v1");
        repo.commit_all("version v1").await;
        repo
    }

    /// The pages of `version`: index, health path, slow CGI.
    pub fn write_version(&self, version: &str) {
        self.write("www/index.html", Some(&format!("version {version}")));
        self.write("www/healthz", Some("ok"));
        self.write("www/cgi-bin/slow", Some(&slow_cgi(version)));
        let script = self.path("www/cgi-bin/slow");
        std::fs::set_permissions(script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Commits `version` of the pages (say `v2`).
    pub async fn commit_version(&self, version: &str) -> String {
        self.write_version(version);
        self.commit_all(&format!("version {version}")).await
    }

    /// Commits a version without `www/healthz`: its health check answers 404 for ever.
    pub async fn commit_without_healthz(&self) -> String {
        self.write_version("v-unhealthy");
        self.write("www/healthz", None);
        self.commit_all("no health path").await
    }

    /// The fixture Dockerfile with this repository's cache-separating label after `FROM`.
    pub fn dockerfile(&self) -> String {
        APP_DOCKERFILE.replacen('\n', &format!("\nLABEL ployer.test.repo={}\n", self.marker), 1)
    }

    /// Commits a Dockerfile whose build fails (`exit 3`); `marker` names its build step.
    pub async fn commit_broken_dockerfile(&self, marker: &str) -> String {
        let dockerfile = self
            .dockerfile()
            .replacen('\n', &format!("\nRUN echo {marker} && exit 3\n"), 1);
        self.write("Dockerfile", Some(&dockerfile));
        self.commit_all("broken Dockerfile").await
    }

    /// Commits a Dockerfile whose build prints `marker` and then sleeps 20 s.
    pub async fn commit_slow_build(&self, marker: &str) -> String {
        let dockerfile = self
            .dockerfile()
            .replacen('\n', &format!("\nRUN echo {marker} && sleep 20\n"), 1);
        self.write("Dockerfile", Some(&dockerfile));
        self.commit_all("slow build").await
    }

    /// Commits a Dockerfile whose build prints `lines` numbered lines (`chatty-<n>`), one
    /// every 100 ms. The step comes after this repository's label, so the engine's build cache
    /// of another repository (or an earlier run) never skips it.
    pub async fn commit_chatty_build(&self, lines: u32) -> String {
        let step = format!("RUN i=0; while [ $i -lt {lines} ]; do echo chatty-$i; i=$((i+1)); sleep 0.1; done\n");
        let dockerfile = self.dockerfile();
        let label_end = dockerfile
            .match_indices('\n')
            .nth(1)
            .map(|(at, _)| at + 1)
            .expect("the fixture Dockerfile has a FROM and a LABEL line");
        let mut chatty = dockerfile.clone();
        chatty.insert_str(label_end, &step);
        self.write("Dockerfile", Some(&chatty));
        self.commit_all("chatty build").await
    }
}

/// Ployer with its own Caddy, an admin, a repository at v1 and a `DOCKERFILE` application
/// (`e2e-<random>`) building it with a fast health check on `/healthz`.
pub struct Stack {
    pub app: TestApp,
    pub token: String,
    pub repo: GitRepo,
    pub name: String,
    pub app_id: String,
    pub http_port: u16,
    pub admin_port: u16,
    proxy: reqwest::Client,
    // Last: removes containers and images after the server was told to stop.
    leftovers: Leftovers,
}

impl Stack {
    /// A stack with the drain of the deploy tests (2 s) and reconcile passes every 2 s.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// A stack after `configure` adjusted the configuration.
    pub async fn start_with(configure: impl FnOnce(&mut Config)) -> Self {
        Self::start_with_git_url(configure, |repo| repo.url.clone()).await
    }

    /// Creates another `DOCKERFILE` application named `name` building the stack's repository;
    /// what Docker holds of it is removed with the stack's own, once the server has stopped
    /// (earlier, its reconciler would start the container again).
    pub async fn add_git_app(&mut self, name: &str) -> String {
        let app_id = self.app.create_git_app(&self.token, name, &self.repo.url).await;
        self.leftovers.label(format!("ployer.app={app_id}"));
        self.leftovers.marker(name);
        app_id
    }

    /// Removes the volume `name` with the rest of what the stack leaves in Docker.
    pub fn remove_volume_on_drop(&mut self, name: &str) {
        self.leftovers.volume(name);
    }

    /// The application's hostname, which Caddy routes.
    pub fn host(&self) -> String {
        format!("{}.localhost", self.name)
    }

    /// The address Caddy serves HTTP on.
    pub fn proxy_base(&self) -> String {
        format!("http://127.0.0.1:{}", self.http_port)
    }

    /// GET `path` through Caddy with the application's Host header: (status, body), or the
    /// transport error in words.
    pub async fn get(&self, path: &str) -> Result<(u16, String), String> {
        get_through(&self.proxy, &self.proxy_base(), &self.host(), path).await
    }

    /// Polls `GET path` until it answers 200 with `body`; panics with the last answer.
    pub async fn wait_until_serves(&self, path: &str, body: &str, timeout: Duration) -> Duration {
        wait_until_served(&self.proxy, &self.proxy_base(), &self.host(), path, body, timeout)
            .await
            .unwrap_or_else(|err| panic!("{err}"))
    }

    /// Queues a deployment of the branch head (or `sha`); returns its id.
    pub async fn deploy(&self, sha: Option<&str>) -> String {
        self.app.deploy(&self.token, &self.app_id, sha).await
    }

    /// The deployment with `DEPLOYMENT_FIELDS`.
    pub async fn deployment(&self, id: &str) -> Value {
        self.app.deployment(&self.token, id).await
    }

    pub async fn wait_for_status(&self, id: &str, status: &str) -> Value {
        self.app.wait_for_status(&self.token, id, status, DEPLOY_TIMEOUT).await
    }

    /// Deploys the branch head, waits for `RUNNING` and for `GET /` to answer
    /// `version <version>`; returns the deployment's id.
    pub async fn deploy_running(&self, version: &str) -> String {
        let id = self.deploy(None).await;
        self.wait_for_status(&id, "RUNNING").await;
        self.wait_until_serves("/", &format!("version {version}"), Duration::from_secs(5))
            .await;
        id
    }

    /// Calls `deploy`/`redeploy`/`rollback`/`cancelDeployment` with `input`; returns the
    /// payload's deployment, panicking on errors.
    pub async fn mutate(&self, mutation: &str, input: Value) -> Value {
        let response = self.app.deployment_mutation(&self.token, mutation, input).await;
        let deployment = &response["data"][mutation]["deployment"];
        assert!(deployment.is_object(), "{mutation}: {response}");
        deployment.clone()
    }

    /// `application(id) { status url activeDeployment { id } latestDeployment { id status } }`.
    pub async fn application(&self) -> Value {
        let response = self
            .app
            .graphql_as(
                &self.token,
                "query($id: ID!) { application(id: $id) { status url activeDeployment { id } latestDeployment { id status } } }",
                json!({ "id": self.app_id }),
            )
            .await;
        assert!(response["errors"].is_null(), "application: {response}");
        response["data"]["application"].clone()
    }

    /// Containers Docker has for deployment `id`.
    pub async fn containers_of(&self, id: &str) -> Vec<String> {
        containers_labelled(&format!("ployer.deployment={id}")).await
    }

    /// Images Docker has for deployment `id`.
    pub async fn images_of(&self, id: &str) -> Vec<String> {
        images_tagged(&format!("ployer/*:{id}")).await
    }

    /// Polls until deployment `id` has no container left; panics after `timeout`.
    pub async fn wait_until_no_container(&self, id: &str, timeout: Duration) -> Duration {
        let started = Instant::now();
        loop {
            let left = self.containers_of(id).await;
            if left.is_empty() {
                return started.elapsed();
            }
            if started.elapsed() >= timeout {
                let deployment = self.deployment(id).await;
                panic!(
                    "containers {left:?} of deployment {id} still exist after {timeout:?}; {}",
                    describe_deployment(&deployment)
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// A request loop through Caddy, one GET every `every`, until stopped. With
    /// `Connections::PerRequest` each request opens its own connection (what a Caddy config
    /// load would hurt most: it replaces the listening socket); with `Connections::KeepAlive`
    /// requests reuse one, as a browser does (a load closes idle ones).
    pub fn load_loop(&self, every: Duration, connections: Connections) -> LoadLoop {
        let mut client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(15));
        if connections == Connections::PerRequest {
            client = client.pool_max_idle_per_host(0);
        }
        LoadLoop::start(client.build().unwrap(), self.proxy_base(), self.host(), every)
    }

    /// As [`Stack::load_loop`] (a connection per request), through the Caddy serving HTTP at
    /// `base` (a remote server's).
    pub fn load_loop_through(&self, base: &str, every: Duration) -> LoadLoop {
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(15))
            .pool_max_idle_per_host(0);
        LoadLoop::start(client.build().unwrap(), base.to_string(), self.host(), every)
    }

    /// Caddy's whole config as its admin API gives it (a load changes it, a cutover must not).
    pub async fn caddy_config(&self) -> serde_json::Value {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .get(format!("http://127.0.0.1:{}/config/", self.admin_port))
            .send()
            .await
            .expect("Caddy's admin API answers")
            .json()
            .await
            .expect("Caddy's config is JSON")
    }
}

/// A client for requests through Caddy: no proxy from the environment, short timeouts.
pub fn proxy_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap()
}

/// How a load loop's requests reach Caddy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connections {
    PerRequest,
    KeepAlive,
}

/// What a load loop saw.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub requests: usize,
    /// Each failed request: when (since the start), and what went wrong.
    pub failures: Vec<String>,
    /// The successive distinct bodies, in the order they were served.
    pub bodies: Vec<String>,
}

/// Sends `GET /` through Caddy continuously in a task.
pub struct LoadLoop {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<LoadReport>,
}

impl LoadLoop {
    fn start(client: reqwest::Client, base: String, host: String, every: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::spawn(async move {
            let started = Instant::now();
            let mut report = LoadReport::default();
            while !flag.load(Ordering::SeqCst) {
                report.requests += 1;
                match get_through(&client, &base, &host, "/").await {
                    Ok((200, body)) => {
                        if report.bodies.last() != Some(&body) {
                            report.bodies.push(body);
                        }
                    }
                    Ok((status, body)) => report.failures.push(format!(
                        "{:.3}s: HTTP {status} {body:?}",
                        started.elapsed().as_secs_f64()
                    )),
                    Err(err) => report
                        .failures
                        .push(format!("{:.3}s: {err}", started.elapsed().as_secs_f64())),
                }
                tokio::time::sleep(every).await;
            }
            report
        });
        LoadLoop { stop, task }
    }

    pub async fn stop(self) -> LoadReport {
        self.stop.store(true, Ordering::SeqCst);
        self.task.await.expect("the load loop ran")
    }
}

impl GitRepo {
    /// The absolute path of the bare repository the daemon serves (and `main` is pushed to),
    /// for URLs of other transports (`ssh://host/<path>`).
    pub fn bare_path(&self) -> PathBuf {
        self.bare.clone()
    }
}

impl Stack {
    /// A stack like [`Stack::start_with`] whose application builds from the URL `git_url`
    /// makes of the repository (say, an `ssh://` URL of [`GitRepo::bare_path`]) instead of
    /// its `git://` URL.
    pub async fn start_with_git_url(
        configure: impl FnOnce(&mut Config),
        git_url: impl FnOnce(&GitRepo) -> String,
    ) -> Self {
        require_caddy();
        let ports = CaddyPorts::new();
        let app = spawn_app_with(|c| {
            c.start_caddy = true;
            c.caddy_admin = ports.admin_url();
            c.proxy_http_listen = ports.http_addr();
            c.drain_seconds = 2;
            c.reconcile_interval_seconds = 2;
            configure(c);
        })
        .await;
        let token = app.admin_token().await;
        let name = format!("e2e-{}", random_suffix(6));
        let repo = GitRepo::new().await;
        let url = git_url(&repo);
        let app_id = app.create_git_app(&token, &name, &url).await;
        let mut leftovers = Leftovers::labelled(format!("ployer.app={app_id}"));
        leftovers.marker(name.clone());
        let configured = app
            .graphql_as(
                &token,
                "mutation($i: ConfigureHealthCheckInput!) { configureHealthCheck(input: $i) { healthCheck { path } } }",
                json!({ "i": {
                    "applicationId": app_id,
                    "path": "/healthz",
                    "intervalSeconds": 2,
                    "timeoutSeconds": 1,
                    "healthyThreshold": 1,
                    "unhealthyThreshold": 2,
                    "startPeriodSeconds": 0,
                } }),
            )
            .await;
        assert_eq!(
            configured["data"]["configureHealthCheck"]["healthCheck"]["path"], "/healthz",
            "configureHealthCheck: {configured}"
        );
        Stack {
            app,
            token,
            repo,
            name,
            app_id,
            http_port: ports.http,
            admin_port: ports.admin,
            proxy: proxy_client(),
            leftovers,
        }
    }
}

/// A unix socket in front of the Docker engine's, for tests that break Ployer's connections
/// to the engine or count its requests. Each connection is passed through to the engine;
/// `cut` ends every open one, `refuse` turns new ones away until called with `false`;
/// `close` takes the socket away altogether and `open` puts it back, as a dockerd stopped and
/// started again would. Stopped on drop.
pub struct EngineProxy {
    dir: tempfile::TempDir,
    shared: Arc<ProxyShared>,
    listener: Option<tokio::task::JoinHandle<()>>,
}

#[derive(Default)]
struct ProxyShared {
    refusing: AtomicBool,
    open: std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>,
    /// The first line of every connection passed through (e.g. `GET /v1.41/events?… HTTP/1.1`).
    first_lines: std::sync::Mutex<Vec<String>>,
}

const ENGINE_SOCKET: &str = "/var/run/docker.sock";

impl EngineProxy {
    pub async fn start() -> Self {
        let mut proxy = Self::unopened();
        proxy.open();
        proxy
    }

    /// A proxy whose socket does not exist yet: an engine that is not started.
    pub fn unopened() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("ployer-proxy-")
            .tempdir_in("/tmp")
            .expect("temp dir");
        Self {
            dir,
            shared: Arc::default(),
            listener: None,
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("docker.sock")
    }

    /// Makes the socket appear and pass connections through (the engine starts).
    pub fn open(&mut self) {
        assert!(self.listener.is_none(), "the proxy is open already");
        let listener = tokio::net::UnixListener::bind(self.path()).expect("proxy socket");
        let accepting = self.shared.clone();
        self.listener = Some(tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if accepting.refusing.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let seen = accepting.clone();
                let connection = tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let mut client = client;
                    let Ok(mut engine) = tokio::net::UnixStream::connect(ENGINE_SOCKET).await else {
                        return;
                    };
                    let mut first = vec![0u8; 4096];
                    let Ok(n) = client.read(&mut first).await else { return };
                    let line = String::from_utf8_lossy(&first[..n])
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    seen.first_lines.lock().unwrap().push(line);
                    if engine.write_all(&first[..n]).await.is_err() {
                        return;
                    }
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut engine).await;
                });
                accepting.open.lock().unwrap().push(connection);
            }
        }));
    }

    /// Ends every connection and removes the socket (the engine stops).
    pub fn close(&mut self) {
        if let Some(listener) = self.listener.take() {
            listener.abort();
        }
        self.cut();
        let _ = std::fs::remove_file(self.path());
    }

    /// The address to configure as Ployer's `docker_socket`.
    pub fn url(&self) -> String {
        format!("unix://{}", self.path().display())
    }

    /// Ends every connection open now, as an engine restart would.
    pub fn cut(&self) {
        for connection in self.shared.open.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    /// Turns new connections away (accepted, then closed at once) while `on`.
    pub fn refuse(&self, on: bool) {
        self.shared.refusing.store(on, Ordering::SeqCst);
    }

    /// How many connections began with a request line starting `prefix` (`GET /v1.41/events`).
    pub fn requests(&self, prefix: &str) -> usize {
        self.shared
            .first_lines
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.starts_with(prefix))
            .count()
    }
}

impl Drop for EngineProxy {
    fn drop(&mut self) {
        self.close();
    }
}
