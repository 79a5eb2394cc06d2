//! The HTTP surface: one router for the web UI, GraphQL over HTTP and websocket, and the
//! probe endpoint. Limits that protect every route (body size, tracing) are applied here.

mod graphql;
mod webhooks;
mod ws;

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{DefaultBodyLimit, State},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};
use sea_orm::ConnectionTrait;
use tokio::sync::{watch, Semaphore};
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};

use crate::{graphql::PloyerSchema, state::AppState};

const INDEX_HTML: &str = include_str!("../../../web/index.html");

#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    pub schema: PloyerSchema,
    pub ws_slots: Arc<Semaphore>,
    pub ws_init_timeout: Duration,
    pub ws_recheck: Duration,
    /// Flips to true when the server stops, so open websockets close instead of holding
    /// the shutdown.
    pub shutdown: watch::Receiver<bool>,
}

pub fn router(state: HttpState) -> Router {
    let max_body = state.app.config.max_body_bytes;
    let webhooks = webhooks::router(&state.app);
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .fallback(not_found)
        .with_state(state)
        // async-graphql's own extractors have no size limit; this bounds every body.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(max_body))
        // Merged after the limit above: deliveries have their own, larger bound.
        .merge(webhooks)
        .layer(TraceLayer::new_for_http())
}

async fn index() -> Html<&'static str> {
    Html(INDEX_HTML)
}

/// 200 once the server is up and its database answers.
async fn healthz(State(state): State<HttpState>) -> Response {
    match state.app.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], "ok").into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health probe: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}
