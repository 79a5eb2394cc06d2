//! Business rules and transactions, one module per domain. Services never import
//! `async_graphql`: resolvers call them, and tests can too.

pub mod api_keys;
pub mod applications;
pub mod audit;
pub mod clusters;
pub mod container_logs;
pub mod container_stats;
pub mod dashboard;
pub mod deploy_keys;
pub mod docker_resources;
pub mod domains;
pub mod env_vars;
pub mod git_credentials;
pub mod health_checks;
pub mod mounts;
pub mod servers;
pub mod settings;
pub mod terminal;
pub mod users;
pub mod webhooks;
