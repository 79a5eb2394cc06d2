//! `GET /applications/{id}/terminal/ws`: a shell in the application's running container over
//! a websocket, for members and admins. The shell is `/bin/sh` in the active deployment's
//! container, started through the Docker API with a TTY (`docker::exec`); what the user types
//! goes to that TTY as bytes and nowhere else — never to a shell on the host.
//!
//! The protocol:
//! - The client's first message is text: `{"type":"init","cols":80,"rows":24}`, with
//!   `"authorization":"Bearer <token or API key>"` for API clients. Without one, the upgrade
//!   request's `Authorization` header or the browser's session cookie counts (the same
//!   credentials as the GraphQL websocket, with the same `Origin` check in front).
//! - The server answers `{"type":"ready",…}` (text) once the shell runs, then sends what the
//!   shell prints as binary frames.
//! - The client sends keystrokes as binary frames (or text `{"type":"input","data":"…"}`) and
//!   `{"type":"resize","cols":…,"rows":…}` when its screen changes.
//!
//! The session ends with a close frame whose reason says why, in words for the user:
//!
//! | code | why |
//! | --- | --- |
//! | 1000 | the shell exited |
//! | 1001 | the server is shutting down |
//! | 1011 | Docker is unavailable, or an internal error |
//! | 1013 | too many terminals are open, or none may be (`terminal_max_sessions` 0) |
//! | 4000 | idle: no input for `terminal_idle_seconds` |
//! | 4400 | a message that is not part of the protocol |
//! | 4401 | no credential, or it is invalid, expired or was revoked (checked again every `ws_auth_recheck_seconds`) |
//! | 4403 | the role is not member or admin (viewers, viewer API keys) |
//! | 4404 | no such application |
//! | 4408 | no `init` in time |
//! | 4409 | the application has no running container |
//! | 4410 | the container stopped or was replaced (a redeploy), or the application was deleted |
//!
//! Every session's user, application, container, start and end are logged (tracing) and
//! written as `system` lines into the log of the deployment whose container it ran in. When
//! it ends, what the shell left running is hung up (`docker::exec::hang_up`).

use crate::ids::AppId;
use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use axum::{
    extract::{
        ws::{CloseFrame, Message, WebSocket},
        ConnectInfo, Path, State, WebSocketUpgrade,
    },
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use bollard::Docker;
use bytes::Bytes;
use futures::{
    stream::{SplitSink, SplitStream},
    SinkExt, StreamExt,
};
use serde::Deserialize;
use serde_json::json;
use tokio::{
    io::AsyncWriteExt,
    sync::{broadcast::error::RecvError, mpsc, OwnedSemaphorePermit},
};

use super::{
    ws::{origin_allowed, Credential, READ_BUFFER_BYTES},
    HttpState,
};
use crate::{
    auth::{cookie, Principal},
    docker::{
        exec::{self, TtySize, SHELL},
        inspect_running, DockerError,
    },
    error::AppError,
    graphql::access::check_terminal,
    services::{
        docker_resources::engine,
        terminal::{self as rules, Target},
    },
};

/// Largest message either way: a paste is sent in pieces this size at most.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Keystroke messages waiting for the shell to read them; past that, the socket is not read
/// until it does (while what the shell prints keeps flowing).
const INPUT_QUEUE: usize = 16;
/// How long sending one output frame may take before the client is given up on.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// A close frame's reason is at most 123 bytes.
const MAX_REASON_BYTES: usize = 123;

mod code {
    pub const EXITED: u16 = 1000;
    pub const SHUTDOWN: u16 = 1001;
    pub const INTERNAL: u16 = 1011;
    pub const TRY_LATER: u16 = 1013;
    pub const IDLE: u16 = 4000;
    pub const BAD_MESSAGE: u16 = 4400;
    pub const UNAUTHENTICATED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const NOT_FOUND: u16 = 4404;
    pub const INIT_TIMEOUT: u16 = 4408;
    pub const NOT_RUNNING: u16 = 4409;
    pub const GONE: u16 = 4410;
}

pub async fn upgrade(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(app_id): Path<String>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !origin_allowed(&headers, &state.app.config.public_url()) {
        return (StatusCode::FORBIDDEN, "cross-origin websocket refused").into_response();
    }
    let Ok(permit) = state.ws_slots.clone().try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "too many websocket connections").into_response();
    };
    let offered = Offered {
        authorization: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
        cookie: cookie::session_token(&headers).map(str::to_owned),
    };
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            run(state, app_id, offered, peer, socket).await;
            drop(permit);
        })
}

/// The credentials the upgrade request carried.
struct Offered {
    authorization: Option<String>,
    cookie: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Control {
    Init {
        #[serde(default)]
        authorization: Option<String>,
        cols: u16,
        rows: u16,
    },
    Resize {
        cols: u16,
        rows: u16,
    },
    Input {
        data: String,
    },
}

/// How and why the server ends a session.
#[derive(Debug, PartialEq, Eq)]
struct Close {
    code: u16,
    reason: String,
}

impl Close {
    fn new(code: u16, reason: impl Into<String>) -> Self {
        Self {
            code,
            reason: fit(reason.into()),
        }
    }
}

impl From<AppError> for Close {
    fn from(err: AppError) -> Self {
        let code = match &err {
            AppError::Unauthenticated(_) => code::UNAUTHENTICATED,
            AppError::Forbidden(_) => code::FORBIDDEN,
            AppError::NotFound(_) => code::NOT_FOUND,
            AppError::Conflict(_) | AppError::ConflictOn(..) => code::NOT_RUNNING,
            _ => code::INTERNAL,
        };
        Close::new(code, err.message())
    }
}

/// A reason cut to what a close frame holds.
fn fit(mut reason: String) -> String {
    if reason.len() > MAX_REASON_BYTES {
        let mut cut = MAX_REASON_BYTES - '…'.len_utf8();
        while !reason.is_char_boundary(cut) {
            cut -= 1;
        }
        reason.truncate(cut);
        reason.push('…');
    }
    reason
}

/// "15 minutes", "90 seconds".
fn spell(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (n, unit) = if seconds >= 60 && seconds.is_multiple_of(60) {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

type Sink = SplitSink<WebSocket, Message>;
type Source = SplitStream<WebSocket>;

async fn run(state: HttpState, app_id: String, offered: Offered, peer: SocketAddr, socket: WebSocket) {
    let (mut sink, mut source) = socket.split();
    match open(&state, &app_id, offered, &mut sink, &mut source).await {
        Err(close) => {
            tracing::info!(app_id = %app_id, peer = %peer, code = close.code, reason = %close.reason, "terminal refused");
            send_close(&mut sink, Some(close)).await;
        }
        Ok(session) => session.run(&state, peer, &mut sink, &mut source).await,
    }
    let _ = sink.close().await;
}

async fn send_close(sink: &mut Sink, close: Option<Close>) {
    if let Some(Close { code, reason }) = close {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
}

/// A shell running for a user.
struct Session {
    id: String,
    principal: Principal,
    credential: Credential,
    target: Target,
    docker: Docker,
    shell: exec::Shell,
    events: tokio::sync::broadcast::Receiver<crate::events::DeploymentEvent>,
    _slot: OwnedSemaphorePermit,
}

/// Reads `init`, authenticates, authorizes, finds the container and starts the shell.
async fn open(
    state: &HttpState,
    app_id: &str,
    offered: Offered,
    sink: &mut Sink,
    source: &mut Source,
) -> Result<Session, Close> {
    let mut shutdown = state.shutdown.clone();
    let init = tokio::select! {
        _ = shutdown.changed() => return Err(Close::new(code::SHUTDOWN, "the server is shutting down")),
        init = tokio::time::timeout(state.ws_init_timeout, source.next()) => init,
    };
    let (authorization, cols, rows) = match init {
        Err(_) => return Err(Close::new(code::INIT_TIMEOUT, "no init message in time")),
        Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => {
            return Err(Close::new(code::EXITED, "the client left before init"))
        }
        Ok(Some(Ok(Message::Text(text)))) => match parse(text.as_str())? {
            Control::Init {
                authorization,
                cols,
                rows,
            } => (authorization, cols, rows),
            _ => return Err(Close::new(code::BAD_MESSAGE, "the first message must be init")),
        },
        Ok(Some(Ok(_))) => return Err(Close::new(code::BAD_MESSAGE, "the first message must be a text init")),
    };
    // As with the GraphQL websocket: an authorization sent wins, the cookie counts without one.
    let credential = match (
        authorization.filter(|a| !a.is_empty()).or(offered.authorization),
        offered.cookie,
    ) {
        (Some(value), _) => Credential::Header(value),
        (None, Some(token)) => Credential::Cookie(token),
        (None, None) => {
            return Err(Close::new(
                code::UNAUTHENTICATED,
                "sign in first: no session cookie and no authorization in init",
            ))
        }
    };
    let principal = credential
        .check(state)
        .await
        .map_err(|_| Close::new(code::UNAUTHENTICATED, "invalid, expired or revoked credentials"))?;
    check_terminal(&principal).map_err(|reason| Close::new(code::FORBIDDEN, reason))?;
    let size = TtySize::new(cols, rows).ok_or_else(|| {
        Close::new(
            code::BAD_MESSAGE,
            format!("cols and rows must be between 1 and {}", exec::MAX_TTY_SIDE),
        )
    })?;
    let slot = state.terminal_slots.clone().try_acquire_owned().map_err(|_| {
        let max = state.app.config.terminal_max_sessions;
        let reason = if max == 0 {
            "the web terminal is turned off on this server (terminal_max_sessions = 0)".to_string()
        } else {
            format!("too many terminals are open (at most {max}); try again later")
        };
        Close::new(code::TRY_LATER, reason)
    })?;
    // Listen before looking, so a redeploy in between is not missed.
    let events = state.app.events.deployments();
    let target = rules::target(&state.app, &AppId::from(app_id)).await?;
    let docker = engine(&state.app.docker)?;
    let id = uuid::Uuid::new_v4().to_string();
    let shell = match exec::open_shell(&docker, &target.container_id, size, &id).await {
        Ok(shell) => shell,
        Err(DockerError::NotFound(_)) => {
            return Err(Close::new(
                code::NOT_RUNNING,
                "the container is gone; Ployer starts a new one shortly",
            ))
        }
        Err(DockerError::Other(m)) if m.contains("is not running") || m.contains("409") => {
            return Err(Close::new(code::NOT_RUNNING, "the container is not running"))
        }
        Err(err) => return Err(AppError::from(err).into()),
    };
    let ready = json!({
        "type": "ready",
        "applicationId": target.app_id,
        "deploymentId": target.deployment_id,
        "containerId": target.container_id,
        "shell": SHELL,
        "idleSeconds": state.terminal_idle.as_secs(),
    });
    let session = Session {
        id,
        principal,
        credential,
        target,
        docker,
        shell,
        events,
        _slot: slot,
    };
    // From here on the shell runs: `run` ends it, whatever happens.
    let _ = sink.send(Message::Text(ready.to_string().into())).await;
    Ok(session)
}

fn parse(text: &str) -> Result<Control, Close> {
    serde_json::from_str(text).map_err(|err| {
        let mut message = err.to_string();
        message.truncate(80);
        Close::new(code::BAD_MESSAGE, format!("invalid message: {message}"))
    })
}

impl Session {
    /// Runs the session to its end and sends the close frame (none when the client left first).
    async fn run(self, state: &HttpState, peer: SocketAddr, sink: &mut Sink, source: &mut Source) {
        let Session {
            id,
            mut principal,
            credential,
            target,
            docker,
            shell,
            mut events,
            _slot,
        } = self;
        let started = Instant::now();
        let opened_at = chrono::Utc::now();
        let short_id = &id[..8];
        tracing::info!(
            session = %id, user = %principal.email, user_id = %principal.user_id, role = %principal.role,
            app_id = %target.app_id, app = %target.app_name, deployment_id = %target.deployment_id,
            container = %target.container_id, peer = %peer, "terminal session started"
        );
        rules::record(
            &state.app.db,
            &target,
            format!(
                "terminal {short_id}: {} opened {SHELL} in container {}",
                principal.email,
                target.short_container()
            ),
        )
        .await;

        let exec::Shell {
            exec_id,
            mut output,
            mut input,
        } = shell;
        let (input_tx, mut input_rx) = mpsc::channel::<Bytes>(INPUT_QUEUE);
        let writer = tokio::spawn(async move {
            while let Some(data) = input_rx.recv().await {
                if input.write_all(&data).await.is_err() || input.flush().await.is_err() {
                    break;
                }
            }
        });
        let mut pending: Option<Bytes> = None;
        let (mut bytes_in, mut bytes_out) = (0usize, 0usize);
        let idle_after = state.terminal_idle;
        let idle = tokio::time::sleep(idle_after);
        tokio::pin!(idle);
        let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + state.ws_recheck, state.ws_recheck);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut shutdown = state.shutdown.clone();
        let mut listening = true;

        let close = loop {
            tokio::select! {
                _ = shutdown.changed() => break Some(Close::new(code::SHUTDOWN, "the server is shutting down")),
                _ = &mut idle => break Some(Close::new(
                    code::IDLE,
                    format!("closed after {} without input", spell(idle_after)),
                )),
                _ = recheck.tick() => {
                    match credential.check(state).await {
                        Ok(now) => principal = now,
                        Err(_) => break Some(Close::new(code::UNAUTHENTICATED, "your session has ended or its credential was revoked")),
                    }
                    if let Err(reason) = check_terminal(&principal) {
                        break Some(Close::new(code::FORBIDDEN, reason));
                    }
                    if let Some(reason) = rules::gone(&state.app.db, &target).await {
                        break Some(Close::new(code::GONE, reason));
                    }
                }
                event = events.recv(), if listening => {
                    let concerned = match event {
                        Ok(event) => event.app_id == target.app_id,
                        Err(RecvError::Lagged(_)) => true,
                        Err(RecvError::Closed) => {
                            listening = false;
                            false
                        }
                    };
                    if concerned {
                        if let Some(reason) = rules::gone(&state.app.db, &target).await {
                            break Some(Close::new(code::GONE, reason));
                        }
                    }
                }
                chunk = output.next() => match chunk {
                    Some(Ok(bytes)) => {
                        bytes_out += bytes.len();
                        // A client that stops reading must not hold the session (and its
                        // timers, checks and shutdown) for ever.
                        match tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Binary(bytes))).await {
                            Ok(Ok(())) => {}
                            Ok(Err(_)) => break None,
                            Err(_) => break Some(Close::new(code::INTERNAL, "the browser stopped reading the terminal's output")),
                        }
                    }
                    Some(Err(err)) => {
                        tracing::debug!(session = %id, error = %err, "reading the shell's output failed");
                        break Some(ended(state, &docker, &target, &exec_id, opened_at).await);
                    }
                    None => break Some(ended(state, &docker, &target, &exec_id, opened_at).await),
                },
                permit = input_tx.reserve(), if pending.is_some() => {
                    if let (Ok(permit), Some(data)) = (permit, pending.take()) {
                        permit.send(data);
                    }
                }
                message = source.next(), if pending.is_none() => {
                    let data = match message {
                        None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break None,
                        Some(Ok(Message::Binary(data))) => data,
                        Some(Ok(Message::Text(text))) => match parse(text.as_str()) {
                            Ok(Control::Input { data }) => Bytes::from(data),
                            Ok(Control::Resize { cols, rows }) => {
                                let Some(size) = TtySize::new(cols, rows) else {
                                    break Some(Close::new(
                                        code::BAD_MESSAGE,
                                        format!("cols and rows must be between 1 and {}", exec::MAX_TTY_SIDE),
                                    ));
                                };
                                if let Err(err) = exec::resize(&docker, &exec_id, size).await {
                                    tracing::debug!(session = %id, error = %err, "resizing the terminal failed");
                                }
                                continue;
                            }
                            Ok(Control::Init { .. }) => break Some(Close::new(code::BAD_MESSAGE, "init was already sent")),
                            Err(close) => break Some(close),
                        },
                        Some(Ok(_)) => continue,
                    };
                    if data.is_empty() {
                        continue;
                    }
                    bytes_in += data.len();
                    idle.as_mut().reset(tokio::time::Instant::now() + idle_after);
                    match input_tx.try_send(data) {
                        Ok(()) => {}
                        Err(mpsc::error::TrySendError::Full(data)) => pending = Some(data),
                        // The shell is gone; its output ends next.
                        Err(mpsc::error::TrySendError::Closed(_)) => {}
                    }
                }
            }
        };

        // The engine's connection closes with these; the shell does not end with it (see
        // `docker::exec`), so it is hung up once the client has its close frame.
        drop(input_tx);
        writer.abort();
        drop(output);
        let why = close
            .as_ref()
            .map_or_else(|| "the user closed it".to_string(), |c| c.reason.clone());
        send_close(sink, close).await;
        let still_running = exec::exec_state(&docker, &exec_id)
            .await
            .map_or(true, |state| state.running);
        if still_running {
            if let Err(err) = exec::hang_up(&docker, &target.container_id, &id).await {
                tracing::warn!(session = %id, container = %target.container_id, error = %err, "the terminal's shell may still run in its container");
            }
        }
        let lasted = started.elapsed();
        tracing::info!(
            session = %id, user = %principal.email, user_id = %principal.user_id,
            app_id = %target.app_id, container = %target.container_id,
            duration_ms = lasted.as_millis() as u64, bytes_in, bytes_out, reason = %why,
            "terminal session ended"
        );
        rules::record(
            &state.app.db,
            &target,
            format!(
                "terminal {short_id}: {}'s session ended after {}: {why}",
                principal.email,
                spell(Duration::from_secs(lasted.as_secs().max(1)))
            ),
        )
        .await;
    }
}

/// Why the shell's output ended: the container stopped or was replaced, or the shell exited.
async fn ended(
    state: &HttpState,
    docker: &Docker,
    target: &Target,
    exec_id: &str,
    opened_at: chrono::DateTime<chrono::Utc>,
) -> Close {
    let exit_code = match exec::exec_state(docker, exec_id).await {
        Ok(exec) => exec.exit_code,
        Err(err) => return Close::new(code::INTERNAL, AppError::from(err).message()),
    };
    // A shell killed by a signal may have gone down with its container, which the engine
    // reports stopped a moment later.
    let looks = if exit_code.is_some_and(|code| code > 128) {
        10
    } else {
        1
    };
    for look in 1..=looks {
        if let Some(reason) = rules::gone(&state.app.db, target).await {
            return Close::new(code::GONE, reason);
        }
        match inspect_running(docker, &target.container_id).await {
            // Running, but started again since the shell opened (the reconciler restarts a
            // stopped active container within a second): it stopped under the shell.
            Ok(Some((true, _))) => {
                if let Ok(Some(at)) = crate::docker::started_at(docker, &target.container_id).await {
                    if at > opened_at {
                        return Close::new(code::GONE, "the container stopped");
                    }
                }
            }
            Ok(_) => return Close::new(code::GONE, "the container stopped"),
            Err(err) => return Close::new(code::INTERNAL, AppError::from(err).message()),
        }
        if look < looks {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    match exit_code {
        Some(code @ (126 | 127)) => Close::new(
            code::EXITED,
            format!("{SHELL} could not start in the container (exit code {code}); does its image have one?"),
        ),
        Some(0) | None => Close::new(code::EXITED, "the shell exited"),
        Some(code) => Close::new(code::EXITED, format!("the shell exited with code {code}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_messages_parse_and_anything_else_is_refused() {
        assert_eq!(
            parse(r#"{"type":"init","cols":80,"rows":24}"#).unwrap(),
            Control::Init {
                authorization: None,
                cols: 80,
                rows: 24
            }
        );
        assert_eq!(
            parse(r#"{"type":"init","authorization":"Bearer x","cols":1,"rows":2}"#).unwrap(),
            Control::Init {
                authorization: Some("Bearer x".into()),
                cols: 1,
                rows: 2
            }
        );
        assert_eq!(
            parse(r#"{"type":"resize","cols":120,"rows":40}"#).unwrap(),
            Control::Resize { cols: 120, rows: 40 }
        );
        assert_eq!(
            parse(r#"{"type":"input","data":"ls\r"}"#).unwrap(),
            Control::Input { data: "ls\r".into() }
        );
        for bad in [
            "ls -l",
            "{}",
            r#"{"type":"resize","cols":-1,"rows":40}"#,
            r#"{"type":"resize","cols":70000,"rows":40}"#,
            r#"{"type":"resize","cols":80}"#,
            r#"{"type":"exec","cmd":"id"}"#,
            r#"{"type":"input","data":"x","cmd":"id"}"#,
        ] {
            let close = parse(bad).expect_err(bad);
            assert_eq!(close.code, code::BAD_MESSAGE, "{bad}");
            assert!(close.reason.starts_with("invalid message: "), "{bad}: {}", close.reason);
        }
    }

    #[test]
    fn reasons_fit_a_close_frame() {
        assert_eq!(fit("short".into()), "short");
        let long = fit("é".repeat(100));
        assert!(long.len() <= MAX_REASON_BYTES, "{}", long.len());
        assert!(long.ends_with('…'));
        let close = Close::from(AppError::Conflict("x".repeat(500)));
        assert_eq!(close.code, code::NOT_RUNNING);
        assert!(close.reason.len() <= MAX_REASON_BYTES);
    }

    #[test]
    fn errors_map_to_close_codes() {
        let code_of = |err| Close::from(err).code;
        assert_eq!(code_of(AppError::Unauthenticated("x".into())), code::UNAUTHENTICATED);
        assert_eq!(code_of(AppError::Forbidden("x".into())), code::FORBIDDEN);
        assert_eq!(code_of(AppError::not_found("application")), code::NOT_FOUND);
        assert_eq!(code_of(AppError::Conflict("x".into())), code::NOT_RUNNING);
        assert_eq!(code_of(AppError::Unavailable("x".into())), code::INTERNAL);
        let internal = Close::from(AppError::Internal(anyhow::anyhow!("secret detail")));
        assert_eq!(internal.reason, "internal error", "internal causes stay in the log");
    }

    #[test]
    fn durations_are_spelled_out() {
        assert_eq!(spell(Duration::from_secs(900)), "15 minutes");
        assert_eq!(spell(Duration::from_secs(60)), "1 minute");
        assert_eq!(spell(Duration::from_secs(90)), "90 seconds");
        assert_eq!(spell(Duration::from_secs(1)), "1 second");
    }
}
