//! GraphQL subscriptions over websocket, speaking `graphql-transport-ws` with its close
//! codes enforced: the caller authenticates in `connection_init` (4403 when it cannot),
//! within a deadline (4408); nothing runs before the ack (4401); one init per connection
//! (4429); operation ids are unique while active (4409); anything unparseable closes with
//! 4400. The credential is checked again periodically, so a revoked token or key ends its
//! subscriptions.
//!
//! A browser's credential may instead be its session cookie, sent with the upgrade request:
//! it counts when `connection_init` carries no `authorization`. Browsers send cookies with
//! cross-site websocket upgrades too, so the `Origin` check below is what keeps another
//! site's page from riding on them.

use std::{collections::HashMap, net::SocketAddr};

use async_graphql::{Request, Variables};
use axum::{
    extract::{
        ws::{CloseFrame, Message, WebSocket},
        ConnectInfo, State, WebSocketUpgrade,
    },
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::{sync::mpsc, task::AbortHandle};

use super::{graphql::is_request_error, HttpState};
use crate::{
    auth::{
        cookie::{self, FromCookie},
        Principal,
    },
    error::AppResult,
    graphql::ClientAddr,
};

const PROTOCOL: &str = "graphql-transport-ws";
const MAX_MESSAGE_BYTES: usize = 256 * 1024;
const MAX_OPERATIONS: usize = 100;
/// What a websocket reads into at a time, held (zero-filled) for as long as it is open; a
/// longer message grows it while it is read. Clients send small messages (a subscription, a
/// keystroke): tungstenite's default of 128 KiB was 0.6 MB of resident memory for five open
/// browser tabs (`scripts/bench-web.sh`).
pub(super) const READ_BUFFER_BYTES: usize = 8 * 1024;

pub async fn upgrade(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let offers_protocol = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|p| p.trim() == PROTOCOL));
    if !offers_protocol {
        return (
            StatusCode::BAD_REQUEST,
            format!("use the `{PROTOCOL}` websocket subprotocol"),
        )
            .into_response();
    }
    if !origin_allowed(&headers, &state.app.config.public_url()) {
        return (StatusCode::FORBIDDEN, "cross-origin websocket refused").into_response();
    }
    let Ok(permit) = state.ws_slots.clone().try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "too many websocket connections").into_response();
    };
    let cookie = cookie::session_token(&headers).map(str::to_owned);
    ws.protocols([PROTOCOL])
        .read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            Connection::new(state, peer, cookie).run(socket).await;
            drop(permit);
        })
}

/// Browsers always send `Origin`; it must name this server (its `Host` or public URL).
/// Non-browser clients send none and are judged by their credentials alone.
pub(super) fn origin_allowed(headers: &HeaderMap, public_url: &str) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin)
        .trim_end_matches('/');
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let public = public_url.split_once("://").map(|(_, rest)| rest).unwrap_or(public_url);
    origin_host.eq_ignore_ascii_case(host) || origin_host.eq_ignore_ascii_case(public)
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Value>,
    },
    Ping {},
    Pong {},
    Subscribe {
        id: String,
        payload: SubscribePayload,
    },
    Complete {
        id: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubscribePayload {
    query: String,
    #[serde(default)]
    operation_name: Option<String>,
    #[serde(default)]
    variables: Option<Value>,
}

/// What subscription tasks hand to the connection loop, which alone writes to the socket.
enum Outgoing {
    Next { id: String, payload: Value },
    Error { id: String, payload: Value },
    Complete { id: String },
}

enum Step {
    Continue,
    Close(u16, String),
}

/// The credential as sent, to check it again later.
#[derive(Clone)]
pub(super) enum Credential {
    /// `connection_init`'s `authorization`, like an `Authorization` header.
    Header(String),
    /// The session cookie of the upgrade request.
    Cookie(String),
}

impl Credential {
    pub(super) async fn check(&self, state: &HttpState) -> AppResult<Principal> {
        match self {
            Self::Header(value) => state.app.auth.authenticate(value).await,
            Self::Cookie(token) => state.app.auth.authenticate_session(token).await,
        }
    }
}

struct Connection {
    state: HttpState,
    peer: SocketAddr,
    init_received: bool,
    /// The upgrade request's session cookie, the credential when `connection_init` has none.
    cookie: Option<String>,
    credential: Option<(Principal, Credential)>,
    operations: HashMap<String, AbortHandle>,
    outgoing: mpsc::Sender<Outgoing>,
    incoming: mpsc::Receiver<Outgoing>,
}

impl Connection {
    fn new(state: HttpState, peer: SocketAddr, cookie: Option<String>) -> Self {
        let (outgoing, incoming) = mpsc::channel(64);
        Self {
            state,
            peer,
            init_received: false,
            cookie,
            credential: None,
            operations: HashMap::new(),
            outgoing,
            incoming,
        }
    }

    async fn run(mut self, socket: WebSocket) {
        let (mut sink, mut stream) = socket.split();
        let init_deadline = tokio::time::sleep(self.state.ws_init_timeout);
        tokio::pin!(init_deadline);
        let mut recheck = tokio::time::interval_at(
            tokio::time::Instant::now() + self.state.ws_recheck,
            self.state.ws_recheck,
        );
        let mut shutdown = self.state.shutdown.clone();

        let close = loop {
            let step = tokio::select! {
                _ = &mut init_deadline, if self.credential.is_none() => {
                    Step::Close(4408, "Connection initialisation timeout".into())
                }
                _ = shutdown.changed() => Step::Close(1001, "server shutting down".into()),
                _ = recheck.tick(), if self.credential.is_some() => self.recheck_credential().await,
                Some(out) = self.incoming.recv() => {
                    let text = self.outgoing_frame(out);
                    match sink.send(Message::Text(text.into())).await {
                        Ok(()) => Step::Continue,
                        Err(_) => break None,
                    }
                }
                message = stream.next() => match message {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break None,
                    Some(Ok(Message::Text(text))) => match self.handle(text.as_str()).await {
                        Ok(Some(reply)) => match sink.send(Message::Text(reply.to_string().into())).await {
                            Ok(()) => Step::Continue,
                            Err(_) => break None,
                        },
                        Ok(None) => Step::Continue,
                        Err(step) => step,
                    },
                    Some(Ok(Message::Binary(_))) => Step::Close(4400, "binary messages are not supported".into()),
                    Some(Ok(_)) => Step::Continue,
                },
            };
            if let Step::Close(code, reason) = step {
                break Some((code, reason));
            }
        };
        for (_, handle) in self.operations.drain() {
            handle.abort();
        }
        if let Some((code, reason)) = close {
            let frame = CloseFrame {
                code,
                reason: reason.into(),
            };
            let _ = sink.send(Message::Close(Some(frame))).await;
        }
        let _ = sink.close().await;
    }

    /// Handles one client message; `Ok(Some(_))` is an immediate reply.
    async fn handle(&mut self, text: &str) -> Result<Option<Value>, Step> {
        let message: ClientMessage = serde_json::from_str(text)
            .map_err(|err| Step::Close(4400, format!("invalid message: {}", truncate(&err.to_string(), 80))))?;
        match message {
            ClientMessage::ConnectionInit { payload } => {
                if self.init_received {
                    return Err(Step::Close(4429, "Too many initialisation requests".into()));
                }
                self.init_received = true;
                let header = payload
                    .as_ref()
                    .and_then(|p| p.get("authorization").or_else(|| p.get("Authorization")))
                    .and_then(Value::as_str)
                    .filter(|value| !value.is_empty());
                let credential = match (header, &self.cookie) {
                    (Some(value), _) => Credential::Header(value.to_string()),
                    (None, Some(token)) => Credential::Cookie(token.clone()),
                    (None, None) => Credential::Header(String::new()),
                };
                match credential.check(&self.state).await {
                    Ok(principal) => {
                        self.credential = Some((principal, credential));
                        Ok(Some(json!({ "type": "connection_ack" })))
                    }
                    Err(_) => Err(Step::Close(4403, "Forbidden".into())),
                }
            }
            ClientMessage::Ping {} => Ok(Some(json!({ "type": "pong" }))),
            ClientMessage::Pong {} => Ok(None),
            ClientMessage::Subscribe { id, payload } => {
                let Some((principal, credential)) = &self.credential else {
                    return Err(Step::Close(4401, "Unauthorized".into()));
                };
                if self.operations.contains_key(&id) {
                    return Err(Step::Close(
                        4409,
                        format!("Subscriber for {} already exists", truncate(&id, 64)),
                    ));
                }
                if self.operations.len() >= MAX_OPERATIONS {
                    return Err(Step::Close(4400, "too many operations on one connection".into()));
                }
                let mut request = Request::new(payload.query)
                    .data(principal.clone())
                    .data(ClientAddr(self.peer.ip()));
                if matches!(credential, Credential::Cookie(_)) {
                    request = request.data(FromCookie);
                }
                if let Some(name) = payload.operation_name {
                    request = request.operation_name(name);
                }
                match payload.variables {
                    None | Some(Value::Null) => {}
                    Some(value @ Value::Object(_)) => request = request.variables(Variables::from_json(value)),
                    Some(_) => return Err(Step::Close(4400, "`variables` must be an object".into())),
                }
                let handle = tokio::spawn(run_operation(
                    self.state.clone(),
                    id.clone(),
                    request,
                    self.outgoing.clone(),
                ));
                self.operations.insert(id, handle.abort_handle());
                Ok(None)
            }
            ClientMessage::Complete { id } => {
                if let Some(handle) = self.operations.remove(&id) {
                    handle.abort();
                }
                Ok(None)
            }
        }
    }

    fn outgoing_frame(&mut self, out: Outgoing) -> String {
        let message = match out {
            Outgoing::Next { id, payload } => json!({ "type": "next", "id": id, "payload": payload }),
            Outgoing::Error { id, payload } => {
                self.operations.remove(&id);
                json!({ "type": "error", "id": id, "payload": payload })
            }
            Outgoing::Complete { id } => {
                self.operations.remove(&id);
                json!({ "type": "complete", "id": id })
            }
        };
        message.to_string()
    }

    async fn recheck_credential(&mut self) -> Step {
        let Some((_, credential)) = self.credential.take() else {
            return Step::Continue;
        };
        match credential.check(&self.state).await {
            Ok(principal) => {
                self.credential = Some((principal, credential));
                Step::Continue
            }
            Err(_) => Step::Close(4403, "Forbidden".into()),
        }
    }
}

/// Runs one operation to its end. A request that cannot execute at all (invalid document,
/// access refused) answers `error`; otherwise every result is a `next`, then `complete`.
async fn run_operation(state: HttpState, id: String, request: Request, out: mpsc::Sender<Outgoing>) {
    let mut stream = state.schema.execute_stream(request);
    let mut first = true;
    while let Some(response) = stream.next().await {
        if first && is_request_error(&response) {
            let payload = serde_json::to_value(&response.errors).unwrap_or(Value::Null);
            let _ = out.send(Outgoing::Error { id, payload }).await;
            return;
        }
        first = false;
        let payload = serde_json::to_value(&response).unwrap_or(Value::Null);
        if out
            .send(Outgoing::Next {
                id: id.clone(),
                payload,
            })
            .await
            .is_err()
        {
            return;
        }
    }
    let _ = out.send(Outgoing::Complete { id }).await;
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
