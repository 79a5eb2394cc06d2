//! `GET /metrics` for Prometheus, and the layer that times every HTTP request.
//!
//! The endpoint shares the API's listener and is protected like it: a scraper sends
//! `Authorization: Bearer <key>` with an API key of the `metrics` scope, which an admin
//! creates and which can do nothing else. A second, loopback-only listener would need no
//! key but would be one more port to configure and firewall, and would not work for a
//! Prometheus on another machine; a scoped key works from anywhere the API does and is
//! revoked like any other. With `metrics_enabled = false` the route answers 404.

use std::{
    borrow::Cow,
    sync::Arc,
    task::{Context, Poll},
    time::Instant,
};

use axum::{
    extract::{MatchedPath, Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use futures::future::BoxFuture;
use tower::{Layer, Service};

use super::HttpState;
use crate::{error::AppError, metrics::Metrics};

pub async fn scrape(State(state): State<HttpState>, request: Request) -> Response {
    if !state.app.config.metrics_enabled {
        return StatusCode::NOT_FOUND.into_response();
    }
    let credential = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Err(err) = state.app.auth.authenticate_metrics(credential).await {
        let status = match err {
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            _ => StatusCode::SERVICE_UNAVAILABLE,
        };
        let mut response = (status, err.message()).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        return response;
    }
    (
        [
            (header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE),
            (header::CACHE_CONTROL, "no-store"),
        ],
        state.app.metrics.encode(),
    )
        .into_response()
}

/// Counts and times every request under its route pattern (`ui` for what the web UI serves),
/// so no client-chosen path becomes a label. A tower layer rather than `middleware::from_fn`:
/// that clones the route's handler, state and all, on every request.
#[derive(Clone)]
pub struct ObserveLayer(pub Arc<Metrics>);

impl<S> Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Observe {
            inner,
            metrics: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Observe<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S, B> Service<axum::http::Request<B>> for Observe<S>
where
    S: Service<axum::http::Request<B>, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: axum::http::Request<B>) -> Self::Future {
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or(Cow::Borrowed("ui"), |path| crate::metrics::route_label(path.as_str()));
        let method = method_label(request.method());
        let metrics = self.metrics.clone();
        let started = Instant::now();
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            metrics.http_request(method, route, response.status().as_u16(), started.elapsed());
            Ok(response)
        })
    }
}
/// The standard methods by name, any other as `other` (a client can send any token).
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
    ]
    .iter()
    .find(|m| *m == method)
    .map_or("other", |m| match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        _ => "OPTIONS",
    })
}
