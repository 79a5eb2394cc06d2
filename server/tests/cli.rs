//! The `ployer` binary as an operator runs it: each test starts the real executable on a
//! fresh temporary data dir and a free loopback port, and talks to it only through its
//! command line, its exit status, its files and HTTP. Spawned servers are owned by a
//! `Server` guard that kills them on drop, so a failed assertion never leaves one running.

use std::{
    net::TcpListener,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Output, Stdio},
    time::{Duration, Instant},
};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_ployer");
const SCHEMA_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");

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

    /// `ployer start --listen 127.0.0.1:<free port> --data-dir <data>`.
    fn start_command(&self, port: u16) -> Command {
        let mut command = self.ployer();
        command
            .arg("start")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(self.data_dir());
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

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
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

#[tokio::test]
async fn schema_prints_the_sdl_committed_in_schema_graphql() {
    let scratch = Scratch::new();
    let mut command = scratch.ployer();
    command.arg("schema");
    let output = run(command).await;
    assert!(output.status.success(), "exit {}: {}", output.status, stderr(&output));
    let committed = std::fs::read_to_string(SCHEMA_FILE).expect("read schema.graphql");
    let printed = String::from_utf8(output.stdout).expect("the SDL is UTF-8");
    assert!(
        printed == committed,
        "`ployer schema` differs from {SCHEMA_FILE}; regenerate it with `ployer schema > schema.graphql`"
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
        .env("PLOYER_DATA_DIR", scratch.data_dir());
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
