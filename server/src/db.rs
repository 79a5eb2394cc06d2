//! The SQLite database: WAL journal, foreign keys on, a busy timeout, and migrations applied
//! before anything else touches it.

use std::{path::Path, time::Duration};

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    DatabaseConnection, SqlxSqliteConnector,
};

/// Opens (creating when absent) the database file. The file is private to the owner.
pub async fn connect(path: &Path) -> anyhow::Result<DatabaseConnection> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    // A handful of connections: SQLite has one writer, and each connection costs memory (its
    // own thread, page cache and parsed schema), so the ones a burst opened close when idle.
    let pool = SqlitePoolOptions::new()
        .min_connections(1)
        .max_connections(4)
        .idle_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .with_context(|| format!("while opening the database {}", path.display()))?;
    restrict_permissions(path)?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

fn restrict_permissions(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("while restricting {}", path.display()))
}

/// SQLite's "database is locked" (`SQLITE_BUSY`, including `SQLITE_BUSY_SNAPSHOT`, which the
/// busy timeout does not cover): worth retrying the whole transaction.
pub fn is_busy(err: &crate::error::AppError) -> bool {
    match err {
        crate::error::AppError::Internal(err) => err
            .chain()
            .any(|cause| cause.to_string().contains("database is locked")),
        _ => false,
    }
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("while applying database migrations")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnectionTrait, Statement};

    #[tokio::test]
    async fn database_uses_wal_foreign_keys_and_private_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ployer.db");
        let db = connect(&path).await.unwrap();
        migrate(&db).await.unwrap();
        migrate(&db).await.unwrap(); // idempotent
        let pragma = |sql: &'static str| {
            let db = db.clone();
            async move {
                let row = db
                    .query_one(Statement::from_string(db.get_database_backend(), sql))
                    .await
                    .unwrap()
                    .unwrap();
                row.try_get_by_index::<String>(0)
                    .or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string()))
                    .unwrap()
            }
        };
        assert_eq!(pragma("PRAGMA journal_mode").await, "wal");
        assert_eq!(pragma("PRAGMA foreign_keys").await, "1");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
