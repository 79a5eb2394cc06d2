//! The `ployer` binary as an operator runs it: each test starts the real executable on a
//! fresh temporary data dir and a free loopback port, and talks to it only through its
//! command line, its exit status, its files and HTTP. Spawned servers are owned by a
//! `Server` guard that kills them on drop, so a failed assertion never leaves one running.

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Output, Stdio},
    time::{Duration, Instant},
};

use ployer_test_support::{
    caddy::{get_through, require_caddy, wait_until_served, CaddyPorts},
    docker::{containers_labelled, containers_mentioning, images_tagged, require_test_image, APP_DOCKERFILE},
    free_port,
    git::ServedRepo,
};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_ployer");

const EMAIL: &str = "a@example.com";
const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a different staple 42";

/// How long a server may take to answer /healthz, and to exit after SIGTERM.
const START_TIMEOUT: Duration = Duration::from_secs(10);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// A one-shot command (migrate, reset-password, a start-up that must fail) on a debug build.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(50);

const REGISTER: &str = "mutation($i: RegisterInput!){ register(input:$i){ token } }";
const LOGIN: &str = "mutation($i: LoginInput!){ login(input:$i){ token } }";
const ME: &str = "{ me { email } }";

/// A scratch directory for one test: the process's working directory (so a stray
/// `ployer.toml` elsewhere is never read), with the data dir and server logs inside it.
struct Scratch {
    root: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        Self {
            root: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// `ployer` run from the scratch directory, with no `PLOYER_*` variable inherited from
    /// whoever runs the tests.
    fn ployer(&self) -> Command {
        let mut command = Command::new(BIN);
        command.current_dir(self.root.path()).stdin(Stdio::null());
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PLOYER_") {
                command.env_remove(key);
            }
        }
        command
    }

    /// `ployer start --listen 127.0.0.1:<free port> --data-dir <data>`, starting no Caddy: a
    /// Caddy on the default admin port would outlive a server these tests kill (SIGKILL leaves
    /// a Caddy child running, by design). The deploy test turns it on with ports of its own.
    fn start_command(&self, port: u16) -> Command {
        let mut command = self.ployer();
        command
            .arg("start")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(self.data_dir())
            .env("PLOYER_START_CADDY", "false");
        command
    }
}

/// Runs a command to its end (killed after `COMMAND_TIMEOUT`) and returns its output.
async fn run(command: Command) -> Output {
    let mut command = tokio::process::Command::from(command);
    command.kill_on_drop(true);
    tokio::time::timeout(COMMAND_TIMEOUT, command.output())
        .await
        .expect("the command finishes in time")
        .expect("the command runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// A running `ployer start`; killed when dropped unless it was stopped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
    client: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Spawns `command` with its output going to `log` and waits for a 200 from /healthz.
    async fn spawn(mut command: Command, port: u16, log: PathBuf) -> Self {
        let file = std::fs::File::create(&log).expect("create the server log");
        let file_err = file.try_clone().expect("clone the server log handle");
        let child = command
            .stdout(file)
            .stderr(file_err)
            .spawn()
            .expect("spawn ployer start");
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
            client: http_client(),
        };
        server.wait_until_healthy().await;
        server
    }

    /// Starts a server on the scratch data dir with `--listen` and `--data-dir` flags.
    async fn start(scratch: &Scratch) -> Self {
        let port = free_port();
        Self::spawn(scratch.start_command(port), port, scratch.path("server.log")).await
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn wait_until_healthy(&mut self) {
        let started = Instant::now();
        let url = format!("{}/healthz", self.base);
        loop {
            if let Ok(response) = self.client.get(&url).timeout(Duration::from_secs(1)).send().await {
                if response.status() == reqwest::StatusCode::OK {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "ployer start exited with {status} during start-up:\n{}",
                    self.log_text()
                );
            }
            if started.elapsed() > START_TIMEOUT {
                panic!("no 200 from {url} within {START_TIMEOUT:?}:\n{}", self.log_text());
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Sends SIGTERM and returns the exit status; fails when the process outlives
    /// `STOP_TIMEOUT`.
    async fn terminate(mut self) -> ExitStatus {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed: {status}");
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for ployer") {
                return status;
            }
            if started.elapsed() > STOP_TIMEOUT {
                panic!(
                    "ployer still running {STOP_TIMEOUT:?} after SIGTERM:\n{}",
                    self.log_text()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("POST /graphql");
        let status = response.status();
        let body = response.text().await.expect("the /graphql body");
        serde_json::from_str(&body).unwrap_or_else(|_| json!({ "status": status.as_u16(), "body": body }))
    }

    async fn register(&self, email: &str, password: &str) -> Value {
        self.graphql(REGISTER, json!({ "i": { "email": email, "password": password } }), None)
            .await
    }

    async fn login(&self, email: &str, password: &str) -> Value {
        self.graphql(LOGIN, json!({ "i": { "email": email, "password": password } }), None)
            .await
    }
}

fn token_in(response: &Value, field: &str) -> Option<String> {
    response["data"][field]["token"].as_str().map(str::to_owned)
}

/// `schema.graphql` itself is checked against the code (and rewritten with `UPDATE_SCHEMA=1`)
/// by `schema_graphql_matches_the_code` in `tests/api/schema.rs`; this checks the command.
#[tokio::test]
async fn schema_prints_the_sdl_of_the_code() {
    let scratch = Scratch::new();
    let mut command = scratch.ployer();
    command.arg("schema");
    let output = run(command).await;
    assert!(output.status.success(), "exit {}: {}", output.status, stderr(&output));
    let printed = String::from_utf8(output.stdout).expect("the SDL is UTF-8");
    assert!(
        printed == ployer_server::graphql::sdl(),
        "`ployer schema` does not print the SDL the code defines"
    );
}

#[tokio::test]
async fn migrate_creates_a_private_database_and_can_run_again() {
    let scratch = Scratch::new();
    let database = scratch.data_dir().join("ployer.db");
    for run_number in 1..=2 {
        let mut command = scratch.ployer();
        command.arg("migrate").arg("--data-dir").arg(scratch.data_dir());
        let output = run(command).await;
        assert!(
            output.status.success(),
            "run {run_number}: exit {}: {}",
            output.status,
            stderr(&output)
        );
        assert!(database.is_file(), "run {run_number}: no {}", database.display());
        assert_eq!(mode(&database), 0o600, "run {run_number}: mode of ployer.db");
    }
}

#[tokio::test]
async fn start_serves_healthz_writes_two_private_distinct_secrets_and_stops_cleanly_on_sigterm() {
    let scratch = Scratch::new();
    let server = Server::start(&scratch).await;

    let data = scratch.data_dir();
    assert_eq!(mode(&data), 0o700, "mode of the data dir");
    let jwt_secret = data.join("jwt_secret");
    let master_key = data.join("master.key");
    for secret in [&jwt_secret, &master_key] {
        assert_eq!(mode(secret), 0o600, "mode of {}", secret.display());
    }
    let jwt_secret = std::fs::read(&jwt_secret).expect("read jwt_secret");
    let master_key = std::fs::read(&master_key).expect("read master.key");
    assert!(!jwt_secret.is_empty() && !master_key.is_empty(), "empty secret file");
    assert_ne!(jwt_secret, master_key, "jwt_secret and master.key hold the same value");

    let status = server.terminate().await;
    let log = std::fs::read_to_string(scratch.path("server.log")).unwrap_or_default();
    assert!(status.success(), "exit after SIGTERM: {status}\n{log}");
}

#[tokio::test]
async fn start_takes_its_address_and_data_dir_from_ployer_listen_and_ployer_data_dir() {
    let scratch = Scratch::new();
    let port = free_port();
    let mut command = scratch.ployer();
    command
        .arg("start")
        .env("PLOYER_LISTEN", format!("127.0.0.1:{port}"))
        .env("PLOYER_DATA_DIR", scratch.data_dir())
        .env("PLOYER_START_CADDY", "false");
    let server = Server::spawn(command, port, scratch.path("server.log")).await;

    for file in ["ployer.db", "jwt_secret", "master.key"] {
        let path = scratch.data_dir().join(file);
        assert!(path.is_file(), "no {} in PLOYER_DATA_DIR", path.display());
        assert_eq!(mode(&path), 0o600, "mode of {file}");
    }

    let status = server.terminate().await;
    assert!(status.success(), "exit after SIGTERM: {status}");
}

#[tokio::test]
async fn reset_password_sets_a_new_password_and_refuses_weak_ones_and_unknown_emails() {
    let scratch = Scratch::new();

    let server = Server::start(&scratch).await;
    let registered = server.register(EMAIL, PASSWORD).await;
    let old_token = token_in(&registered, "register").unwrap_or_else(|| panic!("register failed: {registered}"));
    let status = server.terminate().await;
    assert!(status.success(), "exit after SIGTERM: {status}");

    let reset = |email: &str, password: &str| {
        let mut command = scratch.ployer();
        command
            .arg("reset-password")
            .arg("--data-dir")
            .arg(scratch.data_dir())
            .arg("--email")
            .arg(email)
            .arg("--password")
            .arg(password);
        run(command)
    };

    let weak = reset(EMAIL, "short").await;
    assert!(!weak.status.success(), "a weak password was accepted");
    let message = stderr(&weak);
    assert!(
        message
            .lines()
            .any(|line| line.starts_with("ployer:") && line.contains("password")),
        "stderr does not say what is wrong with the password: {message}"
    );

    let unknown = reset("nobody@example.com", NEW_PASSWORD).await;
    assert!(!unknown.status.success(), "an unknown email was accepted");

    let changed = reset(EMAIL, NEW_PASSWORD).await;
    assert!(
        changed.status.success(),
        "exit {}: {}",
        changed.status,
        stderr(&changed)
    );

    let server = Server::start(&scratch).await;
    let login = server.login(EMAIL, NEW_PASSWORD).await;
    let new_token = token_in(&login, "login").unwrap_or_else(|| panic!("login with the new password: {login}"));
    let login = server.login(EMAIL, PASSWORD).await;
    assert!(
        token_in(&login, "login").is_none(),
        "the old password still works: {login}"
    );

    let fresh = server.graphql(ME, json!({}), Some(&new_token)).await;
    assert_eq!(
        fresh["data"]["me"]["email"],
        json!(EMAIL),
        "me with the new session: {fresh}"
    );
    let stale = server.graphql(ME, json!({}), Some(&old_token)).await;
    assert_ne!(
        stale["data"]["me"]["email"],
        json!(EMAIL),
        "a session outlived the reset: {stale}"
    );
}

/// Runs `ployer start` that is expected to refuse its configuration and returns its output.
async fn refused_start(command: Command) -> Output {
    let output = run(command).await;
    assert!(!output.status.success(), "start-up went ahead: exit {}", output.status);
    output
}

#[tokio::test]
async fn an_unknown_key_in_the_config_file_stops_start_up_with_a_message_naming_it() {
    let scratch = Scratch::new();
    let config = scratch.path("typo.toml");
    std::fs::write(&config, "lisen = \"x\"\n").expect("write the config file");
    let mut command = scratch.start_command(free_port());
    command.arg("--config").arg(&config);

    let output = refused_start(command).await;
    let message = stderr(&output);
    assert!(
        message.contains("configuration") && message.contains("lisen"),
        "unclear message: {message}"
    );
}

#[tokio::test]
async fn a_master_key_that_is_not_hex_stops_start_up_with_a_message_naming_it() {
    let scratch = Scratch::new();
    let mut command = scratch.start_command(free_port());
    command.env("PLOYER_MASTER_KEY", "nothex");

    let output = refused_start(command).await;
    let message = stderr(&output);
    assert!(message.contains("master key"), "unclear message: {message}");
}

// ---------------------------------------------------------------------------------------
// A deployment interrupted by kill -9 (real dockerd, real Caddy, real git)
// ---------------------------------------------------------------------------------------

/// How long a deployment of the test repository may take to reach a state (a debug build of
/// Ployer on a busy machine).
const DEPLOY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long the previous version may take to serve again after a restart: the reconciler
/// pushes the routes to Caddy on start-up and checks them every few seconds.
const SERVE_AGAIN_TIMEOUT: Duration = Duration::from_secs(10);
const DEPLOYMENT_QUERY: &str =
    "query($id: ID!){ deployment(id:$id){ id status error logs(first: 1000){ edges { node { line } } } } }";

/// Commits the pages of `version` (`www/index.html` = `version <version>`, `www/healthz`) with
/// the test application's Dockerfile plus `extra_step` after its `FROM`; pushes `main`.
async fn commit_version(repo: &ServedRepo, version: &str, extra_step: Option<&str>) -> String {
    let dockerfile = match extra_step {
        Some(step) => APP_DOCKERFILE.replacen('\n', &format!("\n{step}\n"), 1),
        None => APP_DOCKERFILE.to_string(),
    };
    repo.write("Dockerfile", Some(&dockerfile));
    repo.write("www/index.html", Some(&format!("version {version}")));
    repo.write("www/healthz", Some("ok"));
    repo.commit_all(&format!("version {version}")).await
}

/// What the interrupted-deployment test leaves behind, removed on drop whether it passed or
/// not: every process group a Ployer was started in (Ployer, and the Caddy it started, which
/// outlives a kill -9 of Ployer alone), then the application's containers and images, and the
/// containers of its build steps.
#[derive(Default)]
struct Leftovers {
    process_groups: Vec<u32>,
    docker: ployer_test_support::docker::Leftovers,
}

impl Drop for Leftovers {
    fn drop(&mut self) {
        for group in &self.process_groups {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stderr(Stdio::null())
                .status();
        }
        // `docker` is dropped next, removing what is left in Docker.
    }
}

/// The ports a Ployer with its own Caddy runs on; the same for every start.
struct DeployPorts {
    api: u16,
    caddy: CaddyPorts,
}

impl DeployPorts {
    fn new() -> Self {
        Self {
            api: free_port(),
            caddy: CaddyPorts::new(),
        }
    }

    fn admin_url(&self) -> String {
        self.caddy.admin_url()
    }

    /// Where Caddy serves HTTP.
    fn proxy_base(&self) -> String {
        format!("http://{}", self.caddy.http_addr())
    }
}

/// What the test asks a deployment.
struct Deployment {
    status: String,
    error: Option<String>,
    json: Value,
}

impl Server {
    /// `ployer start` with its own Caddy on `ports`, draining for 1 s and reconciling every
    /// 2 s, in a process group of its own (recorded in `leftovers`) so that the Caddy it
    /// starts can be found and killed when the test ends.
    async fn start_deploying(scratch: &Scratch, ports: &DeployPorts, log: &str, leftovers: &mut Leftovers) -> Self {
        use std::os::unix::process::CommandExt;
        let mut command = scratch.start_command(ports.api);
        command
            .env("PLOYER_START_CADDY", "true")
            .env("PLOYER_CADDY_ADMIN", ports.admin_url())
            .env("PLOYER_PROXY_HTTP_LISTEN", ports.caddy.http_addr().to_string())
            .env("PLOYER_DRAIN_SECONDS", "1")
            .env("PLOYER_RECONCILE_INTERVAL_SECONDS", "2")
            .env("PLOYER_LOG_LEVEL", "info")
            .process_group(0);
        let file = std::fs::File::create(scratch.path(log)).expect("create the server log");
        let child = command
            .stdout(file.try_clone().expect("clone the server log handle"))
            .stderr(file)
            .spawn()
            .expect("spawn ployer start");
        leftovers.process_groups.push(child.id());
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{}", ports.api),
            log: scratch.path(log),
            client: http_client(),
        };
        server.wait_until_healthy().await;
        server
    }

    /// SIGKILL to Ployer alone, not to its process group: the Caddy it started lives on.
    fn kill_9(mut self) {
        let status = Command::new("kill")
            .args(["-KILL", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -KILL failed: {status}");
        let status = self.child.wait().expect("reap ployer");
        assert!(!status.success(), "ployer survived kill -9: {status}");
    }

    /// A GraphQL call as `token` that must not fail; returns its `data`.
    async fn data(&self, token: &str, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables, Some(token)).await;
        assert!(
            response["errors"].is_null() && response["data"].is_object(),
            "{query}: {response}\nserver log:\n{}",
            self.log_text()
        );
        response["data"].clone()
    }

    /// Creates a `DOCKERFILE` application `name` building `git_url` (port 8080); returns its id.
    async fn create_app(&self, token: &str, name: &str, git_url: &str) -> String {
        let created = self
            .data(
                token,
                "mutation($i: CreateApplicationInput!){ createApplication(input:$i){ application { id } } }",
                json!({ "i": {
                    "name": name,
                    "gitUrl": git_url,
                    "branch": "main",
                    "buildStrategy": "DOCKERFILE",
                    "port": 8080,
                } }),
            )
            .await;
        created["createApplication"]["application"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("createApplication: {created}"))
            .to_string()
    }

    async fn deployment(&self, token: &str, id: &str) -> Deployment {
        let data = self.data(token, DEPLOYMENT_QUERY, json!({ "id": id })).await;
        let json = data["deployment"].clone();
        assert!(json.is_object(), "no deployment {id}: {data}");
        Deployment {
            status: json["status"].as_str().unwrap_or_default().to_string(),
            error: json["error"].as_str().map(str::to_string),
            json,
        }
    }

    /// Polls deployment `id` until it has `status`; panics when it ends otherwise or time
    /// runs out.
    async fn wait_for_status(&self, token: &str, id: &str, status: &str) -> Deployment {
        let started = Instant::now();
        loop {
            let deployment = self.deployment(token, id).await;
            if deployment.status == status {
                return deployment;
            }
            let ended = ["RUNNING", "FAILED", "CANCELLED", "SUPERSEDED"].contains(&deployment.status.as_str());
            if ended || started.elapsed() > DEPLOY_TIMEOUT {
                panic!(
                    "waited for {status}, deployment is {}: {:#}\nserver log:\n{}",
                    deployment.status,
                    deployment.json,
                    self.log_text()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn deploy(&self, token: &str, app_id: &str) -> String {
        let data = self
            .data(
                token,
                "mutation($i: DeployInput!){ deploy(input:$i){ deployment { id status } } }",
                json!({ "i": { "applicationId": app_id } }),
            )
            .await;
        data["deploy"]["deployment"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("deploy: {data}"))
            .to_string()
    }
}

/// A client for requests through Caddy: no proxy from the environment, 5 s per request.
fn caddy_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("an HTTP client")
}

/// Whether anything answers Caddy's admin API at `admin_url`.
async fn admin_answers(admin_url: &str) -> bool {
    http_client()
        .get(format!("{admin_url}/config/"))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .is_ok_and(|response| response.status().is_success())
}

/// How Ployer dies in the middle of a build.
#[derive(Clone, Copy, Debug)]
enum Kill {
    /// `kill -9 <ployer>`: the Caddy it started is orphaned, keeps its ports, and is the
    /// Caddy the next Ployer finds answering.
    PloyerAlone,
    /// `kill -9 -<group>`: Ployer and its Caddy die together (a crash of the whole service);
    /// the next Ployer starts an empty Caddy and must push the routes again.
    PloyerAndCaddy,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_build_interrupted_by_kill_9_fails_as_interrupted_after_a_restart_and_the_previous_version_keeps_serving() {
    require_test_image().await;
    require_caddy();
    let mut leftovers = Leftovers::default();
    let scratch = Scratch::new();
    let ports = DeployPorts::new();
    let repo = ServedRepo::new().await;
    commit_version(&repo, "v1", None).await;
    let name = format!("kill9-{}", std::process::id());
    let host = format!("{name}.localhost");

    let mut server = Server::start_deploying(&scratch, &ports, "server-1.log", &mut leftovers).await;
    let registered = server.register(EMAIL, PASSWORD).await;
    let token = token_in(&registered, "register").unwrap_or_else(|| panic!("register: {registered}"));
    let app_id = server.create_app(&token, &name, &repo.url).await;
    leftovers.docker.label(format!("ployer.app={app_id}"));
    server
        .data(
            &token,
            "mutation($i: ConfigureHealthCheckInput!){ configureHealthCheck(input:$i){ healthCheck { path } } }",
            json!({ "i": {
                "applicationId": app_id,
                "path": "/healthz",
                "intervalSeconds": 2,
                "timeoutSeconds": 1,
                "startPeriodSeconds": 0,
            } }),
        )
        .await;

    let v1 = server.deploy(&token, &app_id).await;
    server.wait_for_status(&token, &v1, "RUNNING").await;
    wait_until_served(
        &caddy_client(),
        &ports.proxy_base(),
        &host,
        "/",
        "version v1",
        Duration::from_secs(5),
    )
    .await
    .unwrap_or_else(|err| panic!("{err}\nserver log:\n{}", server.log_text()));
    let v1_containers = containers_labelled(&format!("ployer.deployment={v1}")).await;
    assert_eq!(v1_containers.len(), 1, "v1 runs in one container: {v1_containers:?}");

    for (round, kill) in [(2, Kill::PloyerAlone), (3, Kill::PloyerAndCaddy)] {
        // A build step that takes 30 s, named so that its build container can be found.
        let marker = format!("{name}-slow-{round}");
        leftovers.docker.marker(marker.clone());
        commit_version(
            &repo,
            &format!("v{round}"),
            Some(&format!("RUN echo {marker} && sleep 30")),
        )
        .await;
        let slow = server.deploy(&token, &app_id).await;
        server.wait_for_status(&token, &slow, "BUILDING").await;
        // Kill while the slow step runs: its build container exists.
        let started = Instant::now();
        while containers_mentioning(&marker).await.is_empty() {
            if started.elapsed() > Duration::from_secs(30) {
                let deployment = server.deployment(&token, &slow).await;
                panic!(
                    "{kill:?}: the slow build step never started: {:#}\nserver log:\n{}",
                    deployment.json,
                    server.log_text()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let first_log = server.log_text();
        let killed_at = Instant::now();
        match kill {
            Kill::PloyerAlone => server.kill_9(),
            Kill::PloyerAndCaddy => {
                let group = server.child.id();
                let status = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{group}")])
                    .status()
                    .expect("run kill");
                assert!(status.success(), "kill -KILL -{group} failed: {status}");
                let _ = server.child.wait();
                drop(server);
                // Whichever Caddy served until now (started by the first Ployer, in the first
                // group) must be gone for this round to mean anything.
                for group in &leftovers.process_groups {
                    let _ = Command::new("kill")
                        .args(["-KILL", "--", &format!("-{group}")])
                        .stderr(Stdio::null())
                        .status();
                }
                let deadline = Instant::now() + Duration::from_secs(5);
                while admin_answers(&ports.admin_url()).await {
                    assert!(Instant::now() < deadline, "{kill:?}: Caddy still answers after kill -9");
                    tokio::time::sleep(POLL).await;
                }
            }
        }
        let orphaned_caddy = admin_answers(&ports.admin_url()).await;
        eprintln!("{kill:?}: after the kill, a Caddy answers on the admin port: {orphaned_caddy}");

        server = Server::start_deploying(&scratch, &ports, &format!("server-{round}.log"), &mut leftovers).await;
        let context = || {
            format!(
                "{kill:?}\nlog before the kill:\n{first_log}\nlog after the restart:\n{}",
                server.log_text()
            )
        };

        let deployment = server.deployment(&token, &slow).await;
        assert_eq!(
            deployment.status,
            "FAILED",
            "the interrupted deployment: {:#}\n{}",
            deployment.json,
            context()
        );
        assert!(
            deployment
                .error
                .as_deref()
                .is_some_and(|error| error.contains("interrupted by restart")),
            "the reason: {:#}\n{}",
            deployment.json,
            context()
        );

        let took = wait_until_served(
            &caddy_client(),
            &ports.proxy_base(),
            &host,
            "/",
            "version v1",
            SERVE_AGAIN_TIMEOUT,
        )
        .await
        .unwrap_or_else(|err| panic!("{err}\n{}", context()));
        eprintln!("{kill:?}: v1 served again {took:?} after the restart answered /healthz");
        let application = server
            .data(
                &token,
                "query($id: ID!){ application(id:$id){ status activeDeployment { id } } }",
                json!({ "id": app_id }),
            )
            .await;
        assert_eq!(
            application["application"]["activeDeployment"]["id"],
            v1.as_str(),
            "v1 is still the active deployment: {application}"
        );

        // No container of Ployer's for the interrupted deployment, and none for the app but
        // v1's; the build's own container goes with the build.
        assert_eq!(
            containers_labelled(&format!("ployer.deployment={slow}")).await,
            Vec::<String>::new(),
            "containers of the interrupted deployment\n{}",
            context()
        );
        assert_eq!(
            images_tagged(&format!("ployer/*:{slow}")).await,
            Vec::<String>::new(),
            "images of the interrupted deployment\n{}",
            context()
        );
        assert_eq!(
            containers_labelled(&format!("ployer.app={app_id}")).await,
            v1_containers,
            "the application's containers: v1's only\n{}",
            context()
        );
        let started = Instant::now();
        loop {
            let left = containers_mentioning(&marker).await;
            if left.is_empty() {
                eprintln!(
                    "{kill:?}: the build step's container was gone {:?} after the kill",
                    killed_at.elapsed()
                );
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "the interrupted build step's container is still there: {left:?}\n{}",
                context()
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let checkouts: Vec<String> = std::fs::read_dir(scratch.data_dir().join("builds"))
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok())
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            checkouts,
            Vec::<String>::new(),
            "{kill:?}: checkouts of interrupted builds are removed at start-up"
        );
        // Still v1, after a few reconcile passes.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(
            get_through(&caddy_client(), &ports.proxy_base(), &host, "/").await,
            Ok((200, "version v1".to_string())),
            "v1 a few seconds after the restart\n{}",
            context()
        );

        if matches!(kill, Kill::PloyerAlone) && orphaned_caddy {
            // The Caddy the killed Ployer started outlived it and serves on, watched by the new
            // Ployer; when it dies, the new Ployer starts its own and routes v1 again.
            let current = server.child.id();
            for group in leftovers.process_groups.iter().filter(|&&g| g != current) {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{group}")])
                    .stderr(Stdio::null())
                    .status();
            }
            let orphan_killed = Instant::now();
            while admin_answers(&ports.admin_url()).await {
                assert!(
                    orphan_killed.elapsed() < Duration::from_secs(5),
                    "the orphaned Caddy still answers after kill -9"
                );
                tokio::time::sleep(POLL).await;
            }
            wait_until_served(
                &caddy_client(),
                &ports.proxy_base(),
                &host,
                "/",
                "version v1",
                Duration::from_secs(5),
            )
            .await
            .unwrap_or_else(|err| panic!("after the orphaned Caddy was killed: {err}\n{}", context()));
            eprintln!(
                "{kill:?}: v1 served again {:?} after the orphaned Caddy was killed",
                orphan_killed.elapsed()
            );
        }
    }
    drop(server);
}

const APPLICATIONS: &str = "{ applications { edges { node { id name envVars { key value isSecret } } } } }";
const SET_ENV_VAR: &str = "mutation($i: SetEnvVarInput!){ setEnvVar(input:$i){ envVar { key } } }";
const REVEAL: &str = "query($a: ID!, $k: String!){ revealSecret(applicationId:$a, key:$k) }";

impl Scratch {
    /// `ployer backup --to <file> --data-dir <data>` (and `--force`).
    fn backup(&self, to: &Path, force: bool) -> Command {
        let mut command = self.ployer();
        command
            .arg("backup")
            .arg("--to")
            .arg(to)
            .arg("--data-dir")
            .arg(self.data_dir());
        if force {
            command.arg("--force");
        }
        command
    }

    /// `ployer restore --from <file> --data-dir <data>`.
    fn restore(&self, from: &Path) -> Command {
        let mut command = self.ployer();
        command
            .arg("restore")
            .arg("--from")
            .arg(from)
            .arg("--data-dir")
            .arg(self.data_dir());
        command
    }
}

/// A command that must succeed; returns its stdout.
async fn succeeds(command: Command, what: &str) -> String {
    let output = run(command).await;
    assert!(
        output.status.success(),
        "{what}: exit {}: {}",
        output.status,
        stderr(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A command that must fail with a line on stderr holding `expected`.
async fn fails_saying(command: Command, expected: &str, what: &str) {
    let output = run(command).await;
    let message = stderr(&output);
    assert!(!output.status.success(), "{what}: it succeeded: {message}");
    assert!(
        message.contains(expected),
        "{what}: stderr does not say {expected:?}: {message}"
    );
}

#[tokio::test]
async fn a_backup_taken_while_the_server_runs_restores_its_users_applications_and_secrets_into_a_fresh_data_dir() {
    let scratch = Scratch::new();
    let server = Server::start(&scratch).await;
    let registered = server.register(EMAIL, PASSWORD).await;
    let token = token_in(&registered, "register").unwrap_or_else(|| panic!("register: {registered}"));
    let app_id = server
        .create_app(&token, "kept", "https://git.example.com/org/kept.git")
        .await;
    for (key, value, secret) in [("PLAIN", "visible", false), ("TOKEN", "s3cret-value", true)] {
        server
            .data(
                &token,
                SET_ENV_VAR,
                json!({ "i": { "applicationId": app_id, "key": key, "value": value, "isSecret": secret } }),
            )
            .await;
    }
    let before = server.data(&token, APPLICATIONS, json!({})).await;

    let file = scratch.path("ployer.backup");
    let printed = succeeds(scratch.backup(&file, false), "backup while the server runs").await;
    assert!(
        printed.contains("private"),
        "the backup command warns about the keys: {printed}"
    );
    assert_eq!(mode(&file), 0o600, "mode of the backup");
    fails_saying(
        scratch.backup(&file, false),
        "--force",
        "a second backup to the same file",
    )
    .await;
    succeeds(scratch.backup(&file, true), "a second backup with --force").await;
    fails_saying(
        scratch.restore(&file),
        "stop it first",
        "a restore onto the running server",
    )
    .await;
    let status = server.terminate().await;
    assert!(status.success(), "exit after SIGTERM: {status}");

    // Another machine: only the backup file.
    let fresh = Scratch::new();
    let not_a_backup = fresh.path("notes.txt");
    std::fs::write(&not_a_backup, "hello").expect("write a file");
    fails_saying(
        fresh.restore(&not_a_backup),
        "not a Ployer backup",
        "a file that is not a backup",
    )
    .await;
    assert!(!fresh.data_dir().exists(), "a refused restore leaves no data dir");
    let copied = fresh.path("copied.backup");
    std::fs::copy(&file, &copied).expect("copy the backup");
    let printed = succeeds(fresh.restore(&copied), "restore into a fresh data dir").await;
    assert!(printed.contains("restored"), "{printed}");
    assert_eq!(mode(&fresh.data_dir()), 0o700, "mode of the restored data dir");
    for name in ["ployer.db", "master.key", "jwt_secret"] {
        assert_eq!(mode(&fresh.data_dir().join(name)), 0o600, "mode of the restored {name}");
    }

    let server = Server::start(&fresh).await;
    // The session signed before the backup is still good: the JWT secret came along.
    let after = server.data(&token, APPLICATIONS, json!({})).await;
    assert_eq!(after, before, "the applications and their variables");
    let secret = server.data(&token, REVEAL, json!({ "a": app_id, "k": "TOKEN" })).await;
    assert_eq!(
        secret["revealSecret"], "s3cret-value",
        "the secret decrypts with the restored key"
    );
    let login = server.login(EMAIL, PASSWORD).await;
    assert!(token_in(&login, "login").is_some(), "login after the restore: {login}");

    // Restoring again over the running restored server is refused; once stopped, the data
    // there is kept aside.
    fails_saying(
        fresh.restore(&copied),
        "stop it first",
        "a restore onto the restored server",
    )
    .await;
    let status = server.terminate().await;
    assert!(status.success(), "exit after SIGTERM: {status}");
    let printed = succeeds(fresh.restore(&copied), "a restore over a stopped Ployer's data").await;
    let aside: Vec<PathBuf> = std::fs::read_dir(fresh.root.path())
        .expect("list the scratch dir")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().contains("data.before-restore-"))
        .collect();
    assert_eq!(
        aside.len(),
        1,
        "the replaced data dir is kept aside: {aside:?}\n{printed}"
    );
    assert!(aside[0].join("ployer.db").is_file() && aside[0].join("master.key").is_file());
}

/// A backup taken while a build runs is a consistent copy: restored on a fresh data dir, the
/// Ployer serves the same application (its container still running under Docker), reports the
/// interrupted build as such, decrypts the application's secret and deploys it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_a_deploy_runs_restores_to_a_ployer_that_serves_the_same_applications() {
    require_test_image().await;
    require_caddy();
    let mut leftovers = Leftovers::default();
    let scratch = Scratch::new();
    let ports = DeployPorts::new();
    let repo = ServedRepo::new().await;
    commit_version(&repo, "v1", None).await;
    let name = format!("backup-{}", std::process::id());
    let host = format!("{name}.localhost");

    let server = Server::start_deploying(&scratch, &ports, "server-1.log", &mut leftovers).await;
    let registered = server.register(EMAIL, PASSWORD).await;
    let token = token_in(&registered, "register").unwrap_or_else(|| panic!("register: {registered}"));
    let app_id = server.create_app(&token, &name, &repo.url).await;
    leftovers.docker.label(format!("ployer.app={app_id}"));
    server
        .data(
            &token,
            SET_ENV_VAR,
            json!({ "i": { "applicationId": app_id, "key": "API_TOKEN", "value": "tok-123", "isSecret": true } }),
        )
        .await;
    let v1 = server.deploy(&token, &app_id).await;
    server.wait_for_status(&token, &v1, "RUNNING").await;
    wait_until_served(
        &caddy_client(),
        &ports.proxy_base(),
        &host,
        "/",
        "version v1",
        Duration::from_secs(5),
    )
    .await
    .unwrap_or_else(|err| panic!("{err}\nserver log:\n{}", server.log_text()));

    // A deploy whose build takes a while; the backup is taken while it runs.
    let marker = format!("{name}-slow");
    leftovers.docker.marker(marker.clone());
    commit_version(&repo, "v2", Some(&format!("RUN echo {marker} && sleep 20"))).await;
    let slow = server.deploy(&token, &app_id).await;
    server.wait_for_status(&token, &slow, "BUILDING").await;
    let file = scratch.path("during-deploy.backup");
    succeeds(scratch.backup(&file, false), "backup during a deploy").await;
    assert_eq!(
        server.deployment(&token, &slow).await.status,
        "BUILDING",
        "the backup was taken while the build ran"
    );
    let status = server.terminate().await;
    assert!(status.success(), "exit after SIGTERM: {status}");

    let fresh = Scratch::new();
    succeeds(fresh.restore(&file), "restore into a fresh data dir").await;
    let server = Server::start_deploying(&fresh, &ports, "server-2.log", &mut leftovers).await;
    let context = |server: &Server| format!("server log:\n{}", server.log_text());

    let application = server
        .data(
            &token,
            "query($id: ID!){ application(id:$id){ name activeDeployment { id } } }",
            json!({ "id": app_id }),
        )
        .await;
    assert_eq!(application["application"]["name"], name.as_str(), "{application}");
    assert_eq!(
        application["application"]["activeDeployment"]["id"],
        v1.as_str(),
        "v1 is the active deployment: {application}"
    );
    let interrupted = server.deployment(&token, &slow).await;
    assert_eq!(
        interrupted.status, "FAILED",
        "the build the backup caught: {:#}",
        interrupted.json
    );
    wait_until_served(
        &caddy_client(),
        &ports.proxy_base(),
        &host,
        "/",
        "version v1",
        SERVE_AGAIN_TIMEOUT,
    )
    .await
    .unwrap_or_else(|err| panic!("the restored Ployer serves v1: {err}\n{}", context(&server)));
    let secret = server
        .data(&token, REVEAL, json!({ "a": app_id, "k": "API_TOKEN" }))
        .await;
    assert_eq!(
        secret["revealSecret"], "tok-123",
        "the secret decrypts after the restore"
    );

    // The restored Ployer deploys: a new version, with the secret in its container.
    commit_version(&repo, "v3", None).await;
    let v3 = server.deploy(&token, &app_id).await;
    server.wait_for_status(&token, &v3, "RUNNING").await;
    wait_until_served(
        &caddy_client(),
        &ports.proxy_base(),
        &host,
        "/",
        "version v3",
        Duration::from_secs(5),
    )
    .await
    .unwrap_or_else(|err| panic!("{err}\n{}", context(&server)));
    let containers = containers_labelled(&format!("ployer.deployment={v3}")).await;
    assert_eq!(containers.len(), 1, "v3 runs in one container: {containers:?}");
    let env = ployer_test_support::docker::docker(&["inspect", "-f", "{{json .Config.Env}}", &containers[0]]).await;
    assert!(env.contains("API_TOKEN=tok-123"), "the container's environment: {env}");
    drop(server);
}
