//! The web terminal against the real engine: `/applications/{id}/terminal/ws` runs what is
//! typed in the application's running container and resizes its TTY; the session is
//! recorded in the deployment's log and what it started is hung up when it ends; a redeploy
//! closes it. Refused: viewers (sessions and API keys), no or bad credentials, other
//! origins, unknown applications, applications with no running container; closed: a revoked
//! session, an idle one.

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use ployer_tests::{log_lines, TestApp, ADMIN_EMAIL, PASSWORD, SESSION_COOKIE};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest, http::HeaderValue, Message},
    MaybeTlsStream, WebSocketStream,
};

use crate::fixtures::Stack;

/// A terminal websocket as a client sees it.
struct Terminal {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Everything the shell printed so far.
    screen: String,
}

/// What the server did next.
#[derive(Debug)]
enum Event {
    Text(Value),
    Output,
    Closed(Option<u16>, String),
}

impl Terminal {
    /// Opens the socket with `Origin` and the session cookie when given.
    async fn connect(
        app: &TestApp,
        app_id: &str,
        origin: Option<&str>,
        session: Option<&str>,
    ) -> Result<Self, tokio_tungstenite::tungstenite::Error> {
        let url = format!("ws://{}/applications/{app_id}/terminal/ws", app.addr);
        let mut request = url.into_client_request().unwrap();
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("Origin", HeaderValue::from_str(origin).unwrap());
        }
        if let Some(session) = session {
            request.headers_mut().insert(
                "Cookie",
                HeaderValue::from_str(&format!("{SESSION_COOKIE}={session}")).unwrap(),
            );
        }
        let (stream, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Self {
            stream,
            screen: String::new(),
        })
    }

    /// Opens a terminal for `token` (sent in `init`) with an 80×24 TTY.
    async fn open(app: &TestApp, app_id: &str, token: &str) -> Self {
        let mut terminal = Self::connect(app, app_id, None, None).await.expect("upgrade");
        terminal.init(Some(token)).await;
        terminal
    }

    async fn init(&mut self, token: Option<&str>) {
        let mut init = json!({ "type": "init", "cols": 80, "rows": 24 });
        if let Some(token) = token {
            init["authorization"] = json!(format!("Bearer {token}"));
        }
        self.send_text(init).await;
    }

    async fn send_text(&mut self, message: Value) {
        self.stream
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("send");
    }

    async fn type_in(&mut self, keys: &str) {
        self.stream
            .send(Message::Binary(keys.as_bytes().to_vec().into()))
            .await
            .expect("send");
    }

    async fn next(&mut self, timeout: Duration) -> Event {
        loop {
            let item = tokio::time::timeout(timeout, self.stream.next())
                .await
                .unwrap_or_else(|_| panic!("the terminal said nothing for {timeout:?}; screen: {:?}", self.screen));
            match item {
                Some(Ok(Message::Text(text))) => return Event::Text(serde_json::from_str(&text).unwrap()),
                Some(Ok(Message::Binary(bytes))) => {
                    self.screen.push_str(&String::from_utf8_lossy(&bytes));
                    return Event::Output;
                }
                Some(Ok(Message::Close(frame))) => {
                    return match frame {
                        Some(frame) => Event::Closed(Some(u16::from(frame.code)), frame.reason.to_string()),
                        None => Event::Closed(None, String::new()),
                    }
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Event::Closed(None, String::new()),
            }
        }
    }

    /// Waits for `ready`; panics on anything else.
    async fn ready(&mut self) -> Value {
        loop {
            match self.next(Duration::from_secs(20)).await {
                Event::Text(message) if message["type"] == "ready" => return message,
                Event::Output => continue,
                other => panic!("expected ready, got {other:?}"),
            }
        }
    }

    /// Reads output until the screen contains `text`; panics on a close or after 15 s.
    async fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.screen.contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no {text:?} on the screen: {:?}", self.screen);
            match self.next(left).await {
                Event::Output | Event::Text(_) => {}
                Event::Closed(code, reason) => panic!("closed ({code:?} {reason}) before {text:?}: {:?}", self.screen),
            }
        }
    }

    /// Reads until the close; its code and reason.
    async fn closed(&mut self, within: Duration) -> (Option<u16>, String) {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "still open after {within:?}: {:?}", self.screen);
            if let Event::Closed(code, reason) = self.next(left).await {
                return (code, reason);
            }
        }
    }
}

/// Opens a terminal as `token` and returns how it was refused.
async fn refused(app: &TestApp, app_id: &str, token: Option<&str>) -> (Option<u16>, String) {
    let mut terminal = Terminal::connect(app, app_id, None, None).await.expect("upgrade");
    terminal.init(token).await;
    terminal.closed(Duration::from_secs(20)).await
}

/// A new API key of the admin's with `role`.
async fn api_key(app: &TestApp, admin: &str, role: &str) -> String {
    let created = app
        .graphql_as(
            admin,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({ "i": { "name": format!("terminal {role}"), "role": role } }),
        )
        .await;
    created["data"]["createApiKey"]["key"]
        .as_str()
        .unwrap_or_else(|| panic!("createApiKey: {created}"))
        .to_string()
}

/// Processes in `container` whose command line mentions `what`.
async fn processes(container: &str, what: &str) -> Vec<String> {
    let output = tokio::process::Command::new("docker")
        // The image's `ps` is a busybox applet its shell runs: there is no `ps` on PATH.
        .args(["exec", container, "sh", "-c", "ps"])
        .output()
        .await
        .expect("docker CLI runs");
    assert!(
        output.status.success(),
        "docker exec {container} sh -c ps: {:?} {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.contains(what))
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_admin_runs_commands_in_the_running_container_until_a_redeploy_replaces_it() {
    let stack = Stack::start().await;
    let first = stack.deploy_running("v1").await;
    let container = stack.containers_of(&first).await.pop().expect("a container");

    let mut terminal = Terminal::open(&stack.app, &stack.app_id, &stack.token).await;
    let ready = terminal.ready().await;
    assert_eq!(ready["containerId"], container.as_str(), "{ready}");
    assert_eq!(ready["deploymentId"], first.as_str(), "{ready}");
    assert_eq!(ready["shell"], "/bin/sh");
    assert_eq!(ready["idleSeconds"], 900);

    // The arithmetic happens in the container's shell: the typed text is not the answer.
    terminal.type_in("echo hello-$((6*7))\n").await;
    terminal.wait_for("hello-42").await;
    terminal
        .send_text(json!({ "type": "resize", "cols": 123, "rows": 45 }))
        .await;
    terminal.type_in("stty size; cat /www/index.html\n").await;
    terminal.wait_for("45 123").await;
    terminal.wait_for("version v1").await;
    // Text frames carry input too; a background job is hung up with the shell.
    terminal
        .send_text(json!({ "type": "input", "data": "sleep 4242 & echo started-$((1+1))\n" }))
        .await;
    terminal.wait_for("started-2").await;
    let started = Instant::now();
    // The job forks before it execs `sleep`.
    while processes(&container, "sleep 4242").await.len() != 1 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            processes(&container, "").await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The client closes: the shell and its job end, and the log of the deployment says who
    // was in it and for how long.
    terminal.stream.close(None).await.unwrap();
    let started = Instant::now();
    while !processes(&container, "sleep 4242").await.is_empty() || !processes(&container, "/bin/sh").await.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the terminal's processes outlived it: {:?}",
            processes(&container, "").await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let started = Instant::now();
    let system = loop {
        let lines: Vec<String> = log_lines(&stack.deployment(&first).await)
            .iter()
            .filter(|l| l["stream"] == "system" && l["line"].as_str().unwrap_or("").starts_with("terminal "))
            .map(|l| l["line"].as_str().unwrap_or("").to_string())
            .collect();
        if lines.len() >= 2 || started.elapsed() > Duration::from_secs(10) {
            break lines;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(system.len(), 2, "{system:?}");
    assert!(
        system[0].contains(&format!(
            "{ADMIN_EMAIL} opened /bin/sh in container {}",
            &container[..12]
        )),
        "{system:?}"
    );
    assert!(
        system[1].contains(&format!("{ADMIN_EMAIL}'s session ended after ")),
        "{system:?}"
    );
    assert!(system[1].ends_with(": the user closed it"), "{system:?}");

    // A redeploy replaces the container: an open terminal closes and says so.
    let mut terminal = Terminal::open(&stack.app, &stack.app_id, &stack.token).await;
    terminal.ready().await;
    terminal.type_in("echo again-$((2*3))\n").await;
    terminal.wait_for("again-6").await;
    let second = stack.deploy(None).await;
    stack.wait_for_status(&second, "RUNNING").await;
    let (code, reason) = terminal.closed(Duration::from_secs(30)).await;
    assert_eq!(code, Some(4410), "{reason}");
    assert_eq!(
        reason,
        "the container was replaced: the application was redeployed or its container recreated"
    );
    let mut terminal = Terminal::open(&stack.app, &stack.app_id, &stack.token).await;
    let ready = terminal.ready().await;
    let replacement = ready["containerId"].as_str().unwrap().to_string();
    assert_ne!(replacement, container, "the new container: {ready}");
    assert_eq!(ready["deploymentId"], second.as_str());

    // The container stops under the shell: the terminal closes and says so.
    terminal.type_in("echo last-$((7*7))\n").await;
    terminal.wait_for("last-49").await;
    tokio::process::Command::new("docker")
        .args(["stop", "-t", "1", &replacement])
        .output()
        .await
        .expect("docker stop");
    let (code, reason) = terminal.closed(Duration::from_secs(15)).await;
    assert_eq!(code, Some(4410), "{reason}");
    assert!(
        reason == "the container stopped" || reason.starts_with("the container was replaced"),
        "{reason}"
    );
}

#[tokio::test]
async fn no_terminal_opens_when_none_may() {
    let app = ployer_tests::spawn_app_with(|c| c.terminal_max_sessions = 0).await;
    let token = app.admin_token().await;
    let (code, reason) = refused(&app, "00000000-0000-4000-8000-000000000000", Some(&token)).await;
    assert_eq!(code, Some(1013), "{reason}");
    assert_eq!(
        reason,
        "the web terminal is turned off on this server (terminal_max_sessions = 0)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn viewers_bad_credentials_and_applications_without_a_container_are_refused_and_revoked_or_idle_sessions_close() {
    let mut stack = Stack::start_with(|c| {
        c.ws_auth_recheck_seconds = 1;
        c.terminal_idle_seconds = 3;
    })
    .await;
    stack.deploy_running("v1").await;
    let admin = stack.token.clone();

    // No running container: a clear reason, before any shell.
    let idle_app = stack.add_git_app(&format!("{}-idle", stack.name)).await;
    let (code, reason) = refused(&stack.app, &idle_app, Some(&admin)).await;
    assert_eq!(code, Some(4409), "{reason}");
    assert!(
        reason.ends_with("has no running container: deploy it first"),
        "{reason}"
    );
    let app = &stack.app;
    let (code, reason) = refused(app, "00000000-0000-4000-8000-000000000000", Some(&admin)).await;
    assert_eq!((code, reason.as_str()), (Some(4404), "application not found"));

    // No credential, a forged one, another site's page.
    let (code, reason) = refused(app, &stack.app_id, None).await;
    assert_eq!(code, Some(4401), "{reason}");
    assert!(reason.starts_with("sign in first"), "{reason}");
    let (code, _) = refused(app, &stack.app_id, Some("forged.token.value")).await;
    assert_eq!(code, Some(4401));
    assert!(
        Terminal::connect(app, &stack.app_id, Some("https://evil.example"), None)
            .await
            .is_err(),
        "a cross-site upgrade is refused"
    );

    // Viewers, and API keys acting as viewers, are refused; a member's key is let in.
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let (code, reason) = refused(app, &stack.app_id, Some(&viewer)).await;
    assert_eq!(code, Some(4403), "{reason}");
    assert_eq!(reason, "the terminal is for members and admins; you are a viewer");
    let viewer_key = api_key(app, &admin, "VIEWER").await;
    let (code, reason) = refused(app, &stack.app_id, Some(&viewer_key)).await;
    assert_eq!(code, Some(4403), "{reason}");
    assert!(reason.ends_with("this API key acts as a viewer"), "{reason}");
    let member_key = api_key(app, &admin, "MEMBER").await;
    let mut terminal = Terminal::open(app, &stack.app_id, &member_key).await;
    terminal.ready().await;
    terminal.type_in("echo key-$((5*5))\n").await;
    terminal.wait_for("key-25").await;

    // With no input the terminal closes after `terminal_idle_seconds`; output alone does not
    // keep it open.
    terminal
        .type_in("i=0; while [ $i -lt 20 ]; do echo tick-$i; i=$((i+1)); sleep 0.5; done\n")
        .await;
    let typed = Instant::now();
    let (code, reason) = terminal.closed(Duration::from_secs(15)).await;
    assert_eq!(code, Some(4000), "{reason}");
    assert_eq!(reason, "closed after 3 seconds without input");
    assert!(typed.elapsed() >= Duration::from_secs(2), "{:?}", typed.elapsed());
    assert!(terminal.screen.contains("tick-1"), "{:?}", terminal.screen);

    // A browser's session: the cookie of the upgrade, with this server as the origin. Signing
    // out everywhere closes it at the next check of the credential.
    let (set_cookie, _) = app.login_with_cookie(ADMIN_EMAIL, PASSWORD).await;
    let session = ployer_tests::cookie_value(&set_cookie).to_string();
    let origin = format!("http://{}", app.addr);
    let mut terminal = Terminal::connect(app, &stack.app_id, Some(&origin), Some(&session))
        .await
        .expect("a same-origin upgrade");
    terminal.init(None).await;
    terminal.ready().await;
    terminal.type_in("echo cookie-$((3*3))\n").await;
    terminal.wait_for("cookie-9").await;
    let revoked = app
        .graphql_as(&admin, "mutation { logoutEverywhere { ok } }", Value::Null)
        .await;
    assert_eq!(revoked["data"]["logoutEverywhere"]["ok"], true, "{revoked}");
    let (code, reason) = terminal.closed(Duration::from_secs(10)).await;
    assert_eq!(code, Some(4401), "{reason}");
    assert_eq!(reason, "your session has ended or its credential was revoked");
}
