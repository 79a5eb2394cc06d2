//! SeaORM entities for Ployer's tables, one module per table.
//!
//! They mirror the schema built by the `migration` crate and hold no logic: the server's
//! services own the rules, and its GraphQL types wrap these models rather than expose them,
//! so a column change cannot silently change the API. Enum-like columns are typed here once
//! (`DeriveActiveEnum`, stored as their text); the GraphQL API mirrors them.

/// An enum-like column: the enum, stored as its text (`DeriveActiveEnum`), with every value
/// (`ALL`), its text (`as_str`) and a parse of the text (`FromStr`).
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sea_orm::EnumIter, sea_orm::DeriveActiveEnum)]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name {
            $(#[sea_orm(string_value = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// As stored, and as written in logs.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    other => Err(format!(concat!("unknown ", stringify!($name), " {:?}"), other)),
                }
            }
        }
    };
}

pub mod api_keys;
pub mod applications;
pub mod audit_log;
pub mod clusters;
pub mod compose_services;
pub mod container_stats;
pub mod deploy_keys;
pub mod deployment_logs;
pub mod deployments;
pub mod domains;
pub mod environment_variables;
pub mod git_credentials;
pub mod health_check_results;
pub mod health_checks;
pub mod mounts;
pub mod servers;
pub mod settings;
pub mod users;
pub mod webhook_deliveries;
pub mod webhooks;

/// The `Entity` of every table under its table's name: `use entities::prelude::*;`.
pub mod prelude {
    pub use super::api_keys::Entity as ApiKeys;
    pub use super::applications::Entity as Applications;
    pub use super::audit_log::Entity as AuditLog;
    pub use super::clusters::Entity as Clusters;
    pub use super::compose_services::Entity as ComposeServices;
    pub use super::container_stats::Entity as ContainerStats;
    pub use super::deploy_keys::Entity as DeployKeys;
    pub use super::deployment_logs::Entity as DeploymentLogs;
    pub use super::deployments::Entity as Deployments;
    pub use super::domains::Entity as Domains;
    pub use super::environment_variables::Entity as EnvironmentVariables;
    pub use super::git_credentials::Entity as GitCredentials;
    pub use super::health_check_results::Entity as HealthCheckResults;
    pub use super::health_checks::Entity as HealthChecks;
    pub use super::mounts::Entity as Mounts;
    pub use super::servers::Entity as Servers;
    pub use super::settings::Entity as Settings;
    pub use super::users::Entity as Users;
    pub use super::webhook_deliveries::Entity as WebhookDeliveries;
    pub use super::webhooks::Entity as Webhooks;
}
