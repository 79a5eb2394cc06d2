//! Business rules and transactions, one module per domain. Services never import
//! `async_graphql`: resolvers call them, and tests can too.

pub mod api_keys;
pub mod servers;
pub mod settings;
pub mod users;
