//! `POST /webhooks/{github,gitlab,gitea}/<webhook id>`: the HTTP edge of push deliveries.
//! It finds the webhook, reads the body within `webhook_max_body_bytes` (the routes sit
//! outside the router's general body limit) and a shared memory budget, and maps what
//! `crate::webhooks` decided to a status code:
//!
//! | answer | status |
//! | --- | --- |
//! | unknown or disabled webhook id, another provider's webhook | 404 (the same as any unknown path) |
//! | missing or wrong signature | 401 |
//! | body over the bound | 413 |
//! | verified, but not JSON / no `ref` or `after` / no event header | 400 |
//! | deployment queued | 202 |
//! | skipped (ping, other branch, tag, deletion, other event, auto-deploy off), or seen before | 200 |
//! | the deployment could not be queued | 500 (a redelivery is processed again) |

use std::{sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Json, Router,
};
use futures::StreamExt;
use serde_json::json;
use tokio::sync::Semaphore;

use crate::{
    services::webhooks::Provider,
    state::AppState,
    webhooks::{Answer, Receiver},
};

/// A provider that starts a body and stops sending gets this long.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Bodies being read at once share this much memory (at least two of the largest).
const MIN_BUDGET_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone)]
struct WebhookState {
    receiver: Receiver,
    max_body: usize,
    /// Permits are KiB of body being read.
    budget: Arc<Semaphore>,
    budget_kib: u32,
}

pub fn router(app: &AppState) -> Router {
    let max_body = app.config.webhook_max_body_bytes.max(1);
    let budget_kib = u32::try_from(MIN_BUDGET_BYTES.max(2 * max_body) / 1024)
        .unwrap_or(u32::MAX)
        .min(u32::try_from(Semaphore::MAX_PERMITS).unwrap_or(u32::MAX));
    let state = WebhookState {
        receiver: Receiver::new(app),
        max_body,
        budget: Arc::new(Semaphore::new(budget_kib as usize)),
        budget_kib,
    };
    Router::new()
        .route("/webhooks/{provider}/{id}", post(receive))
        .with_state(state)
}

fn provider(segment: &str) -> Option<Provider> {
    match segment {
        "github" => Some(Provider::Github),
        "gitlab" => Some(Provider::Gitlab),
        "gitea" => Some(Provider::Gitea),
        _ => None,
    }
}

async fn receive(
    State(state): State<WebhookState>,
    Path((provider_segment, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(provider) = provider(&provider_segment) else {
        return not_found();
    };
    let webhook = match state.receiver.webhook(provider, &id).await {
        Ok(Some(webhook)) => webhook,
        Ok(None) => return not_found(),
        Err(err) => return internal(err),
    };
    let too_large = format!("the body is larger than {} bytes", state.max_body);
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.max_body as u64) {
        return refuse(&state, &webhook, &headers, &too_large).await;
    }
    // Reserve the memory the body may take before reading it.
    let expected = declared.map_or(state.max_body, |n| n as usize).min(state.max_body);
    let cost = u32::try_from(expected.div_ceil(1024))
        .unwrap_or(u32::MAX)
        .clamp(1, state.budget_kib);
    let Ok(_permit) = state.budget.acquire_many(cost).await else {
        return internal(crate::error::AppError::Unavailable(
            "the webhook budget is closed".into(),
        ));
    };
    let read = tokio::time::timeout(BODY_TIMEOUT, read_body(body, expected, state.max_body)).await;
    let body = match read {
        Err(_) => {
            return reply(
                StatusCode::REQUEST_TIMEOUT,
                json!({ "error": "the body did not arrive in time" }),
            )
        }
        Ok(Err(ReadError::TooLarge)) => return refuse(&state, &webhook, &headers, &too_large).await,
        Ok(Err(ReadError::Broken)) => {
            return reply(
                StatusCode::BAD_REQUEST,
                json!({ "error": "the body could not be read" }),
            )
        }
        Ok(Ok(body)) => body,
    };
    match state.receiver.receive(&webhook, &headers, &body).await {
        Ok(answer) => answer_response(answer),
        Err(err) => internal(err),
    }
}

enum ReadError {
    TooLarge,
    Broken,
}

/// The whole body, or `TooLarge` as soon as it passes `max` bytes.
async fn read_body(body: Body, expected: usize, max: usize) -> Result<Vec<u8>, ReadError> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::with_capacity(expected.min(1024 * 1024));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ReadError::Broken)?;
        if bytes.len() + chunk.len() > max {
            return Err(ReadError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

async fn refuse(
    state: &WebhookState,
    webhook: &entities::webhooks::Model,
    headers: &HeaderMap,
    reason: &str,
) -> Response {
    if let Err(err) = state.receiver.refuse(webhook, headers, reason).await {
        return internal(err);
    }
    reply(StatusCode::PAYLOAD_TOO_LARGE, json!({ "error": reason }))
}

fn answer_response(answer: Answer) -> Response {
    match answer {
        Answer::Deployed { delivery, deployment } => reply(
            StatusCode::ACCEPTED,
            json!({ "status": "deployed", "delivery": delivery, "deployment": deployment }),
        ),
        Answer::Skipped { delivery, reason } => reply(
            StatusCode::OK,
            json!({ "status": "skipped", "delivery": delivery, "reason": reason }),
        ),
        Answer::Duplicate { delivery } => reply(
            StatusCode::OK,
            json!({ "status": "duplicate", "delivery": delivery, "reason": "this delivery was received before" }),
        ),
        Answer::Unauthorized { reason } => reply(StatusCode::UNAUTHORIZED, json!({ "error": reason })),
        Answer::Unusable { delivery, reason } => reply(
            StatusCode::BAD_REQUEST,
            json!({ "status": "rejected", "delivery": delivery, "error": reason }),
        ),
        Answer::Failed { delivery, reason } => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({ "status": "failed", "delivery": delivery, "error": reason }),
        ),
    }
}

fn reply(status: StatusCode, body: serde_json::Value) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// Exactly what the router answers for any unknown path.
fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

fn internal(err: crate::error::AppError) -> Response {
    let message = err.message();
    reply(StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": message }))
}
