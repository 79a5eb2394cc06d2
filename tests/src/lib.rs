//! The test harness: `spawn_app()` starts the real `Application` on an ephemeral loopback
//! port with a fresh data dir and returns a `TestApp` that talks GraphQL over HTTP and
//! websocket to it. Each test gets its own server, so tests run in parallel.

use std::{net::SocketAddr, time::Duration};

use futures::{SinkExt, StreamExt};
use ployer_server::{config::Config, startup::Application, state::AppState};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};
use tokio::{net::TcpStream, sync::oneshot};
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest, http::HeaderValue, protocol::CloseFrame, Message},
    MaybeTlsStream, WebSocketStream,
};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub data_dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts a server after `configure` adjusted its configuration.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().join("data"),
        log_level: "warn".into(),
        // Tests that deploy start their own Caddy on their own ports.
        start_caddy: false,
        caddy_admin: "http://127.0.0.1:9".into(),
        ..Config::default()
    };
    configure(&mut config);
    ployer_server::telemetry::init(config.log_format, &config.log_level);
    let app = Application::build(config).await.expect("the server builds");
    let addr = app.local_addr();
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
        state,
        data_dir,
        stop: Some(stop),
    }
}

/// The `extensions.code` of the first error, if any.
pub fn error_code(response: &Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs a GraphQL request; returns (HTTP status, JSON body).
    pub async fn graphql_raw(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.graphql_raw(None, query, variables).await.1
    }

    pub async fn graphql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        self.graphql_raw(Some(token), query, variables).await.1
    }

    pub async fn register(&self, email: &str, password: &str) -> Value {
        self.graphql(
            "mutation($i: RegisterInput!) { register(input: $i) { token user { id email role } } }",
            json!({ "i": { "email": email, "password": password } }),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.graphql(
            "mutation($i: LoginInput!) { login(input: $i) { token user { id email role } } }",
            json!({ "i": { "email": email, "password": password } }),
        )
        .await
    }

    /// Registers the first account (the admin) and returns its token.
    pub async fn admin_token(&self) -> String {
        let response = self.register(ADMIN_EMAIL, PASSWORD).await;
        response["data"]["register"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("admin registered: {response}"))
            .into()
    }

    /// Has the admin create an account with `role` (ADMIN, MEMBER, VIEWER); returns its token.
    pub async fn user_token(&self, admin_token: &str, email: &str, role: &str) -> String {
        let created = self
            .graphql_as(
                admin_token,
                "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
                json!({ "i": { "email": email, "password": PASSWORD, "role": role } }),
            )
            .await;
        assert!(created["errors"].is_null(), "createUser: {created}");
        let login = self.login(email, PASSWORD).await;
        login["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login: {login}"))
            .into()
    }

    pub async fn count<E>(&self, entity: E) -> u64
    where
        E: EntityTrait,
        E::Model: Sync,
    {
        let _ = entity;
        E::find().count(&self.state.db).await.expect("count rows")
    }

    /// Opens `/graphql/ws` with the `graphql-transport-ws` subprotocol.
    pub async fn ws(&self) -> WsClient {
        self.ws_with_origin(None).await.expect("websocket upgrade")
    }

    pub async fn ws_with_origin(
        &self,
        origin: Option<&str>,
    ) -> Result<WsClient, tokio_tungstenite::tungstenite::Error> {
        self.ws_with(origin, None).await
    }

    /// Opens `/graphql/ws` sending `Origin` and the session cookie `session` when given,
    /// as a browser would.
    pub async fn ws_with(
        &self,
        origin: Option<&str>,
        session: Option<&str>,
    ) -> Result<WsClient, tokio_tungstenite::tungstenite::Error> {
        let mut request = format!("ws://{}/graphql/ws", self.addr).into_client_request().unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("Origin", HeaderValue::from_str(origin).unwrap());
        }
        if let Some(session) = session {
            let cookie = format!("{SESSION_COOKIE}={session}");
            request
                .headers_mut()
                .insert("Cookie", HeaderValue::from_str(&cookie).unwrap());
        }
        let (stream, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(WsClient { stream })
    }
}

/// The browser's session cookie.
pub const SESSION_COOKIE: &str = "ployer_session";

/// Helpers for browser sessions, which live in the `ployer_session` cookie.
impl TestApp {
    /// POSTs a GraphQL request as a browser with the session cookie `session` (and no
    /// `Authorization`) would; returns the whole response, headers included.
    pub async fn graphql_with_cookie(&self, session: Option<&str>, query: &str, variables: Value) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(session) = session {
            request = request.header("cookie", format!("{SESSION_COOKIE}={session}"));
        }
        request.send().await.expect("request sent")
    }

    /// Signs in with `cookie: true`; returns the `Set-Cookie` header and the JSON body.
    pub async fn login_with_cookie(&self, email: &str, password: &str) -> (String, Value) {
        let response = self
            .graphql_with_cookie(
                None,
                "mutation($i: LoginInput!) { login(input: $i) { token user { email } } }",
                json!({ "i": { "email": email, "password": password, "cookie": true } }),
            )
            .await;
        let set_cookie = set_cookie(&response).unwrap_or_default();
        (set_cookie, response.json().await.expect("JSON body"))
    }
}

/// The response's `Set-Cookie` for the session cookie, attributes included.
pub fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{SESSION_COOKIE}=")))
        .map(str::to_string)
}

/// The value a `Set-Cookie` header gives the cookie (empty when it clears it).
pub fn cookie_value(set_cookie: &str) -> &str {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value)
        .unwrap_or_default()
}

pub struct WsClient {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What the server did next on a websocket.
#[derive(Debug)]
pub enum WsEvent {
    Message(Value),
    Closed(Option<u16>),
}

impl WsClient {
    pub async fn send(&mut self, message: Value) {
        self.stream
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("websocket send");
    }

    pub async fn send_raw(&mut self, message: Message) {
        self.stream.send(message).await.expect("websocket send");
    }

    /// The next message or close, within `timeout`.
    pub async fn next_within(&mut self, timeout: Duration) -> WsEvent {
        loop {
            let item = tokio::time::timeout(timeout, self.stream.next())
                .await
                .expect("websocket answered in time");
            match item {
                Some(Ok(Message::Text(text))) => return WsEvent::Message(serde_json::from_str(&text).unwrap()),
                Some(Ok(Message::Close(frame))) => {
                    return WsEvent::Closed(frame.map(|f: CloseFrame| u16::from(f.code)));
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return WsEvent::Closed(None),
            }
        }
    }

    pub async fn next(&mut self) -> WsEvent {
        self.next_within(Duration::from_secs(10)).await
    }

    /// Next message, which must be JSON (not a close).
    pub async fn message(&mut self) -> Value {
        match self.next().await {
            WsEvent::Message(value) => value,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// Waits for the close and returns its code.
    pub async fn close_code(&mut self) -> Option<u16> {
        loop {
            match self.next().await {
                WsEvent::Closed(code) => return code,
                WsEvent::Message(_) => continue,
            }
        }
    }

    /// `connection_init` with `Bearer <token>`; asserts the ack.
    pub async fn init(&mut self, token: &str) {
        self.send(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } }))
            .await;
        let ack = self.message().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "type": "subscribe", "id": id, "payload": { "query": query, "variables": variables } }))
            .await;
    }
}

/// The `extensions.field` of the first error, if any: the input field that was refused.
pub fn error_field(response: &Value) -> Option<&str> {
    response["errors"][0]["extensions"]["field"].as_str()
}

pub const CREATE_APPLICATION: &str =
    "mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id name } } }";

/// Helpers for tests of applications and their configuration.
impl TestApp {
    /// Calls `createApplication` with `input` as `token`; returns the whole response.
    pub async fn create_application(&self, token: &str, input: Value) -> Value {
        self.graphql_as(token, CREATE_APPLICATION, json!({ "i": input })).await
    }

    /// Creates a `DOCKERFILE` application building `git_url`; returns its id.
    pub async fn create_git_app(&self, token: &str, name: &str, git_url: &str) -> String {
        let response = self
            .create_application(
                token,
                json!({
                    "name": name,
                    "gitUrl": git_url,
                    "branch": "main",
                    "buildStrategy": "DOCKERFILE",
                    "dockerfilePath": "Dockerfile",
                    "port": 8080,
                }),
            )
            .await;
        response["data"]["createApplication"]["application"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("createApplication {name}: {response}"))
            .to_string()
    }

    /// Sets one environment variable as `token`; panics unless it worked.
    pub async fn set_env_var(&self, token: &str, app_id: &str, key: &str, value: &str, is_secret: bool) {
        let response = self
            .graphql_as(
                token,
                "mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { envVar { key } } }",
                json!({ "i": { "applicationId": app_id, "key": key, "value": value, "isSecret": is_secret } }),
            )
            .await;
        assert_eq!(
            response["data"]["setEnvVar"]["envVar"]["key"], key,
            "setEnvVar: {response}"
        );
    }
}

/// `len` random lowercase letters, for names that must not collide between parallel tests.
pub fn random_suffix(len: usize) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        let mut value = hasher.finish();
        while value > 0 && out.len() < len {
            out.push(char::from(b'a' + (value % 26) as u8));
            value /= 26;
        }
    }
    out
}

/// What the deploy helpers read of a deployment.
pub const DEPLOYMENT_FIELDS: &str = "id status commitSha commitMessage error image trigger
    logs(first: 1000) { edges { node { seq stream line } } }";

/// Statuses after which a deployment never changes again (RUNNING can still be superseded).
pub const FINAL_STATUSES: [&str; 3] = ["FAILED", "CANCELLED", "SUPERSEDED"];

/// The stored log lines (`{ seq stream line }`) of a deployment read with `DEPLOYMENT_FIELDS`.
pub fn log_lines(deployment: &Value) -> Vec<Value> {
    deployment["logs"]["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|edge| edge["node"].clone()).collect())
        .unwrap_or_default()
}

/// A deployment in words for a failure message: status, error and its log.
pub fn describe_deployment(deployment: &Value) -> String {
    let lines: Vec<String> = log_lines(deployment)
        .iter()
        .map(|l| {
            format!(
                "  {:>5} {:<6} {}",
                l["seq"],
                l["stream"].as_str().unwrap_or(""),
                l["line"].as_str().unwrap_or("")
            )
        })
        .collect();
    format!(
        "deployment {} is {} (error: {}), log:\n{}",
        deployment["id"],
        deployment["status"],
        deployment["error"],
        lines.join("\n")
    )
}

/// Helpers for deployments.
impl TestApp {
    /// Calls a mutation that takes one input and returns `{ deployment { id status } }`
    /// (`deploy`, `redeploy`, `rollback`, `cancelDeployment`); returns the whole response.
    pub async fn deployment_mutation(&self, token: &str, mutation: &str, input: Value) -> Value {
        let input_type = match mutation {
            "deploy" => "DeployInput",
            "redeploy" => "RedeployInput",
            _ => "DeploymentIdInput",
        };
        let query = format!("mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ deployment {{ id status }} }} }}");
        self.graphql_as(token, &query, json!({ "i": input })).await
    }

    /// Queues a deployment of the branch head (or `commit_sha`); returns its id.
    pub async fn deploy(&self, token: &str, app_id: &str, commit_sha: Option<&str>) -> String {
        let mut input = json!({ "applicationId": app_id });
        if let Some(sha) = commit_sha {
            input["commitSha"] = json!(sha);
        }
        let response = self.deployment_mutation(token, "deploy", input).await;
        response["data"]["deploy"]["deployment"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("deploy: {response}"))
            .to_string()
    }

    /// The deployment with `DEPLOYMENT_FIELDS`; panics when the query fails or finds none.
    pub async fn deployment(&self, token: &str, id: &str) -> Value {
        let query = format!("query($id: ID!) {{ deployment(id: $id) {{ {DEPLOYMENT_FIELDS} }} }}");
        let response = self.graphql_as(token, &query, json!({ "id": id })).await;
        let deployment = &response["data"]["deployment"];
        assert!(deployment.is_object(), "deployment {id}: {response}");
        deployment.clone()
    }

    /// Polls until the deployment has `status`; panics with its error and log when it ends
    /// in another state or `timeout` passes first.
    pub async fn wait_for_status(&self, token: &str, id: &str, status: &str, timeout: Duration) -> Value {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let deployment = self.deployment(token, id).await;
            let now = deployment["status"].as_str().unwrap_or_default().to_string();
            if now == status {
                return deployment;
            }
            let ended = FINAL_STATUSES.contains(&now.as_str()) || now == "RUNNING";
            if ended {
                panic!("waited for {status}, but {}", describe_deployment(&deployment));
            }
            if tokio::time::Instant::now() >= deadline {
                panic!(
                    "waited {}s for {status}, but {}",
                    timeout.as_secs(),
                    describe_deployment(&deployment)
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
