//! GraphQL over HTTP, stricter than async-graphql's defaults: JSON bodies only (a cross-site
//! form cannot post), no batches, no mutations over GET (405 with `Allow`), and status codes
//! as the GraphQL-over-HTTP spec says. A document that cannot run at all (it does not parse,
//! does not validate, or its variables do not coerce) is a 400 for a client that accepts
//! `application/graphql-response+json`, but a 200 for one that asked for the legacy
//! `application/json`, whose clients cannot tell a 4xx of a proxy from one of the server;
//! either way its body is only `errors`, without a `data` entry, since nothing executed.
//! A caller that may not run the document gets 401/403 with either media type.
//!
//! The caller is an `Authorization` header or, without one, the browser's session cookie.
//! The cookie needs no CSRF token: a cross-site form cannot send `application/json` (that
//! is a 415 here, before anything runs), a cross-site `fetch` with it needs a CORS preflight
//! Ployer never grants, the cookie is SameSite=Strict, and `GET` runs no mutation.

use std::{
    collections::{BTreeMap, HashMap},
    convert::Infallible,
    net::SocketAddr,
};

use async_graphql::{Request, ServerError, Variables};
use axum::{
    body::Bytes,
    extract::{ConnectInfo, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures::StreamExt;
use serde_json::json;

use super::{ui::Ui, HttpState};
use crate::{
    auth::cookie::{self, CanSetCookie, FromCookie},
    error::AppError,
    graphql::{access::ViaHttpGet, ClientAddr},
};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

pub async fn post(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let streaming = accepts_event_stream(&headers);
    let Some(media) = response_media_type(&headers).or(streaming.then_some(JSON)) else {
        return not_acceptable();
    };
    if !is_json_content_type(&headers) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "send GraphQL requests with `Content-Type: application/json`",
            media,
        );
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(err) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("the body is not valid JSON: {err}"),
                media,
            )
        }
    };
    if value.is_array() {
        return error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "batched requests are not supported; send one operation per request",
            media,
        );
    }
    let has_query = value.get("query").is_some_and(serde_json::Value::is_string);
    let request = match serde_json::from_value::<Request>(value) {
        Ok(request) if has_query => request,
        Ok(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the body needs a `query` string",
                media,
            )
        }
        Err(err) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("not a GraphQL request: {err}"),
                media,
            )
        }
    };
    if streaming {
        return event_stream(&state, peer, &headers, request).await;
    }
    execute(&state, peer, &headers, request, media).await
}

/// GraphQL over Server-Sent Events (the graphql-sse "distinct connections" mode): any
/// operation, subscriptions included, streams as `next` events and ends with `complete`.
/// Lets plain HTTP clients such as `curl -N` follow a subscription.
async fn event_stream(state: &HttpState, peer: SocketAddr, headers: &HeaderMap, request: Request) -> Response {
    let request = match authenticate(state, peer, headers, request, JSON).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    let mut responses = state.schema.execute_stream(request);
    let Some(first) = responses.next().await else {
        return error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the operation produced nothing",
            JSON,
        );
    };
    let set_headers = first.http_headers.clone();
    if is_request_error(&first) {
        // Refused before the stream opens, with the status a graphql-response+json client
        // gets: the client asked for a stream, not for legacy JSON.
        let status = status_for(&first, GRAPHQL_RESPONSE_JSON);
        let body = body_of(&first).unwrap_or_default();
        return (status, [(header::CONTENT_TYPE, JSON)], body).into_response();
    }
    let next = |response: async_graphql::Response| {
        let data = serde_json::to_string(&response).unwrap_or_default();
        Ok::<_, Infallible>(Event::default().event("next").data(data))
    };
    let events = futures::stream::once(async move { first })
        .chain(responses)
        .map(next)
        .chain(futures::stream::once(async {
            Ok(Event::default().event("complete").data(""))
        }));
    let mut response = Sse::new(events).keep_alive(KeepAlive::default()).into_response();
    response.headers_mut().extend(set_headers);
    response
}

fn accepts_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

pub async fn get(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(query) = params.get("query") else {
        // The web UI has its playground at this very path.
        if accepts_html(&headers) {
            return Ui::embedded().index(&headers);
        }
        return error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "missing `query` parameter",
            JSON,
        );
    };
    let Some(media) = response_media_type(&headers) else {
        return not_acceptable();
    };
    let mut request = Request::new(query.clone());
    if let Some(name) = params.get("operationName").filter(|n| !n.is_empty()) {
        request = request.operation_name(name.clone());
    }
    if let Some(variables) = params.get("variables").filter(|v| !v.is_empty()) {
        match serde_json::from_str::<serde_json::Value>(variables) {
            Ok(value @ serde_json::Value::Object(_)) => request = request.variables(Variables::from_json(value)),
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    "`variables` must be a JSON object",
                    media,
                )
            }
        }
    }
    execute(&state, peer, &headers, request.data(ViaHttpGet), media).await
}

/// Adds the caller's address and the principal its credential proves: the `Authorization`
/// header when there is one (invalid: a 401 here, before any parsing), else the session
/// cookie.
///
/// A cookie that no longer works (expired, revoked, forged) counts as no credential at all,
/// not as a 401 of its own: every field that needs a user then answers UNAUTHENTICATED
/// (401) from the access check, exactly as for a caller who sent nothing, which is what
/// sends the UI to its sign-in page; while `login`, `register` and `logout`, which need no
/// user, still work, so a stale cookie can never lock a browser out of signing in again.
/// Nor is a stale cookie cleared from here: a response to a request that left before a
/// sign-in could arrive after it and wipe the fresh cookie.
async fn authenticate(
    state: &HttpState,
    peer: SocketAddr,
    headers: &HeaderMap,
    request: Request,
    media: &'static str,
) -> Result<Request, Response> {
    let request = request.data(ClientAddr(peer.ip())).data(CanSetCookie);
    let unauthorized = |err: AppError| {
        // A valid credential that may not call the API at all (a metrics key) is a 403.
        if let AppError::Forbidden(_) = err {
            return error(StatusCode::FORBIDDEN, err.code(), &err.message(), media);
        }
        let mut response = error(StatusCode::UNAUTHORIZED, err.code(), &err.message(), media);
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        response
    };
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        return match state.app.auth.authenticate(value.to_str().unwrap_or_default()).await {
            Ok(principal) => Ok(request.data(principal)),
            Err(err) => Err(unauthorized(err)),
        };
    }
    let Some(token) = cookie::session_token(headers) else {
        return Ok(request);
    };
    match state.app.auth.authenticate_session(token).await {
        Ok(principal) => Ok(request.data(principal).data(FromCookie)),
        Err(AppError::Unauthenticated(_)) => Ok(request),
        Err(err) => Err(unauthorized(err)),
    }
}

async fn execute(
    state: &HttpState,
    peer: SocketAddr,
    headers: &HeaderMap,
    request: Request,
    media: &'static str,
) -> Response {
    let request = match authenticate(state, peer, headers, request, media).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    let response = state.schema.execute(request).await;
    let status = status_for(&response, media);
    let body = match body_of(&response) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "cannot serialize a GraphQL response");
            return error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error", media);
        }
    };
    let set_headers = response.http_headers;
    let mut response = (status, [(header::CONTENT_TYPE, media)], body).into_response();
    // What resolvers set (the session cookie).
    response.headers_mut().extend(set_headers);
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    response
}

/// A response without data whose errors point at no field failed before execution: a
/// refused caller or method gets the 4xx of its first error's code; a document that cannot
/// run gets a 400 in `application/graphql-response+json`, and a 200 in `application/json`
/// (the spec's "SHOULD use 200" for the legacy media type).
fn status_for(response: &async_graphql::Response, media: &'static str) -> StatusCode {
    if !is_request_error(response) {
        return StatusCode::OK;
    }
    match response.errors.first().and_then(code_of) {
        Some("UNAUTHENTICATED") => StatusCode::UNAUTHORIZED,
        Some("FORBIDDEN") => StatusCode::FORBIDDEN,
        Some("METHOD_NOT_ALLOWED") => StatusCode::METHOD_NOT_ALLOWED,
        _ if media == JSON => StatusCode::OK,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// The response as JSON. A request error has no `data` entry at all, not `"data": null`:
/// nothing executed, and `null` would claim that something did and failed.
fn body_of(response: &async_graphql::Response) -> serde_json::Result<Vec<u8>> {
    /// A response without `data`, serialized as it is (not through `serde_json::Value`,
    /// which would sort its keys).
    #[derive(serde::Serialize)]
    struct RequestError<'a> {
        errors: &'a [ServerError],
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        extensions: &'a BTreeMap<String, async_graphql::Value>,
    }
    if !is_request_error(response) {
        return serde_json::to_vec(response);
    }
    serde_json::to_vec(&RequestError {
        errors: &response.errors,
        extensions: &response.extensions,
    })
}

pub(super) fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

fn code_of(err: &ServerError) -> Option<&'static str> {
    let ext = err.extensions.as_ref()?;
    match ext.get("code")? {
        async_graphql::Value::String(code) => ["UNAUTHENTICATED", "FORBIDDEN", "METHOD_NOT_ALLOWED"]
            .into_iter()
            .find(|c| c == code),
        _ => None,
    }
}

fn is_json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(JSON))
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// `application/graphql-response+json` when asked for, else `application/json`; `None`
/// when the client accepts neither.
fn response_media_type(headers: &HeaderMap) -> Option<&'static str> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(JSON);
    };
    let types: Vec<String> = accept
        .split(',')
        .filter_map(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .collect();
    if types.iter().any(|t| t == GRAPHQL_RESPONSE_JSON) {
        Some(GRAPHQL_RESPONSE_JSON)
    } else if types
        .iter()
        .any(|t| t == JSON || t == "*/*" || t == "application/*" || t.is_empty())
    {
        Some(JSON)
    } else {
        None
    }
}

fn not_acceptable() -> Response {
    error(
        StatusCode::NOT_ACCEPTABLE,
        "BAD_REQUEST",
        "this endpoint answers `application/graphql-response+json` or `application/json`",
        JSON,
    )
}

fn error(status: StatusCode, code: &str, message: &str, media: &'static str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, [(header::CONTENT_TYPE, media)], body.to_string()).into_response()
}
