//! All integration tests in one binary (one link, shared harness).

mod api_keys;
mod app_logs;
mod app_settings;
mod applications;
mod auth;
mod dashboard;
mod deploy;
mod deploy_https;
mod deploy_ssh;
mod docker_resources;
mod domains;
mod env_vars;
mod fixtures;
mod git_credentials;
mod git_http;
mod http_protocol;
mod local_sources;
mod monitoring;
mod schema;
mod secrets;
mod servers;
mod sessions;
mod users_admin;
mod web_ui;
mod webhooks;
mod websocket;
