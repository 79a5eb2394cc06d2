//! The GraphQL object types, one file per domain: what the API returns and how each field is
//! resolved. A leaf: the domain modules beside it (`graphql::apps`, `graphql::docker`…) hold
//! only their Query, Mutation and Subscription parts with their inputs and payloads, and use
//! these types; nothing here imports them.

pub mod application;
pub mod cluster;
pub mod dashboard;
pub mod deployment;
pub mod docker;
pub mod monitoring;
pub mod mount;
pub mod server;
pub mod user;
pub mod webhook;
