//! The HTTP surface: one router for the web UI, GraphQL over HTTP and websocket, the web
//! terminal's websocket, the probe endpoint and the Prometheus metrics. Limits that protect every route (body size, tracing) and the security
//! headers of every response are applied here. The UI owns whatever path the API does not.

mod graphql;
mod metrics;
mod terminal;
mod ui;
mod webhooks;
mod ws;

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{DefaultBodyLimit, Request, State},
    http::{header, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use sea_orm::ConnectionTrait;
use tokio::sync::{watch, Semaphore};
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};

use crate::{graphql::PloyerSchema, state::AppState};

#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    pub schema: PloyerSchema,
    pub ws_slots: Arc<Semaphore>,
    pub ws_init_timeout: Duration,
    pub ws_recheck: Duration,
    /// Web terminals open at once (`terminal_max_sessions`).
    pub terminal_slots: Arc<Semaphore>,
    /// A terminal without input for this long closes.
    pub terminal_idle: Duration,
    /// Flips to true when the server stops, so open websockets close instead of holding
    /// the shutdown.
    pub shutdown: watch::Receiver<bool>,
}

pub fn router(state: HttpState) -> Router {
    let max_body = state.app.config.max_body_bytes;
    let webhooks = webhooks::router(&state.app);
    let observed = state.app.config.metrics_enabled.then(|| state.app.metrics.clone());
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::scrape))
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/applications/{id}/terminal/ws", get(terminal::upgrade))
        .fallback(web_ui)
        .with_state(state)
        // async-graphql's own extractors have no size limit; this bounds every body.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(max_body))
        // Merged after the limit above: deliveries have their own, larger bound.
        .merge(webhooks)
        .layer(middleware::map_response(security_headers));
    let router = match observed {
        Some(metrics) => router.layer(metrics::ObserveLayer(metrics)),
        None => router,
    };
    router.layer(TraceLayer::new_for_http())
}

async fn web_ui(request: Request) -> Response {
    ui::Ui::embedded().respond(request.method(), request.uri().path(), request.headers())
}

async fn security_headers(mut response: Response) -> Response {
    ui::add_security_headers(response.headers_mut());
    response
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
