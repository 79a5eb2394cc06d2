//! All integration tests in one binary (one link, shared harness).

mod api_keys;
mod auth;
mod http_protocol;
mod schema;
mod servers;
mod users_admin;
mod websocket;
