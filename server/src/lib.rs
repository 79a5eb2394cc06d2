//! Ployer's server: HTTP + GraphQL API, services, background workers and the CLI's
//! commands. `main.rs` only parses arguments and calls into here.
// No unsafe code but one call into the C allocator (memory.rs), allowed there by name.
#![deny(unsafe_code)]

pub mod audit;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod db;
pub mod deploy;
pub mod docker;
pub mod error;
pub mod events;
pub mod git;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod memory;
pub mod metrics;
pub mod places;
pub mod proxy;
pub mod redact;
pub mod remote;
pub mod secrets;
pub mod services;
pub mod startup;
pub mod state;
pub mod system;
pub mod telemetry;
#[cfg(test)]
pub(crate) mod test_support;
pub mod validate;
pub mod webhooks;
pub mod workers;
