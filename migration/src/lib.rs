//! Ployer's database schema, as an ordered list of `sea-orm-migration` migrations.
//!
//! The schema lives in its own crate so that the server can apply it on start and `ployer
//! migrate` can apply it on demand, while the `entities` crate mirrors it without knowing how
//! it was built. Migrations are append-only once released: change the schema by adding a new
//! `mYYYYMMDD_NNNNNN_*` module, never by editing an old one.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_initial_schema;
mod m20261128_000001_git_credentials;
mod m20261206_000001_audit_log;
mod m20261206_000002_api_key_scope;
mod m20261206_000002_mounts;
mod m20261206_000003_static_sites;
mod m20261206_000004_compose;
mod m20261206_000005_remote_servers;
mod m20261206_000006_deployment_server;
mod m20261206_000007_clusters;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_initial_schema::Migration),
            Box::new(m20261128_000001_git_credentials::Migration),
            Box::new(m20261206_000001_audit_log::Migration),
            Box::new(m20261206_000002_api_key_scope::Migration),
            Box::new(m20261206_000002_mounts::Migration),
            Box::new(m20261206_000003_static_sites::Migration),
            Box::new(m20261206_000004_compose::Migration),
            Box::new(m20261206_000005_remote_servers::Migration),
            Box::new(m20261206_000006_deployment_server::Migration),
            Box::new(m20261206_000007_clusters::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm_migration::sea_orm::{Database, DatabaseConnection, Statement};

    const TABLES: [&str; 20] = [
        "api_keys",
        "applications",
        "audit_log",
        "clusters",
        "compose_services",
        "container_stats",
        "deploy_keys",
        "deployment_logs",
        "deployments",
        "domains",
        "environment_variables",
        "git_credentials",
        "health_check_results",
        "health_checks",
        "mounts",
        "servers",
        "settings",
        "users",
        "webhook_deliveries",
        "webhooks",
    ];

    /// Ployer's own tables, sorted; leaves out SQLite's and the migrator's bookkeeping.
    async fn tables(db: &DatabaseConnection) -> Vec<String> {
        let rows = db
            .query_all(Statement::from_string(
                db.get_database_backend(),
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name",
            ))
            .await
            .expect("list tables");
        rows.iter()
            .map(|row| row.try_get::<String>("", "name").expect("name column"))
            .collect()
    }

    #[tokio::test]
    async fn up_creates_every_table_and_down_removes_them() {
        let db = Database::connect("sqlite::memory:").await.expect("connect");

        Migrator::up(&db, None).await.expect("migrate up");
        assert_eq!(tables(&db).await, TABLES);

        Migrator::down(&db, None).await.expect("migrate down");
        assert_eq!(tables(&db).await, Vec::<String>::new());
    }

    #[tokio::test]
    async fn up_after_down_gives_the_same_schema_back() {
        let db = Database::connect("sqlite::memory:").await.expect("connect");

        Migrator::up(&db, None).await.expect("first up");
        Migrator::down(&db, None).await.expect("down");
        Migrator::up(&db, None).await.expect("second up");

        assert_eq!(tables(&db).await, TABLES);
    }
}
