//! The SQLite database: WAL journal, foreign keys on, a busy timeout, and migrations applied
//! before anything else touches it.

use std::{path::Path, time::Duration};

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, SqlxSqliteConnector, TransactionTrait,
};

/// The page cache of one connection, in KiB.
const CACHE_KIB: u32 = 512;

/// Opens (creating when absent) the database file. The file is private to the owner.
pub async fn connect(path: &Path) -> anyhow::Result<DatabaseConnection> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Each connection's page cache may grow to this (SQLite's default is 2 MiB); the
        // operating system caches the file too, and Ployer's reads are small pages of rows.
        .pragma("cache_size", format!("-{CACHE_KIB}"));
    // A handful of connections: SQLite has one writer, and each connection costs memory (its
    // own thread, page cache and parsed schema). The pool hands its idle connections out in
    // turn, so with background work every few seconds none stays idle long enough for an idle
    // timeout: each would keep the page cache a burst (a 100,000-line build log) filled, for
    // good. Connections are replaced after a minute instead, and the ones a burst opened go.
    let pool = SqlitePoolOptions::new()
        .min_connections(1)
        .max_connections(4)
        .idle_timeout(Duration::from_secs(30))
        .max_lifetime(Duration::from_secs(60))
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

/// Begins a transaction that holds SQLite's write lock before it reads anything.
///
/// A plain `BEGIN` is deferred: a transaction that reads and then writes works on the
/// snapshot of its first read, and when another connection commits before its first write,
/// SQLite refuses that write at once ("database is locked", SQLITE_BUSY_SNAPSHOT), busy
/// timeout or not. With background writers (pipelines, the health monitor, the stats
/// collector) that is no rare race. A write that changes nothing, first, takes the lock
/// (waiting for it under the busy timeout) as `BEGIN IMMEDIATE` would, which SeaORM cannot
/// issue. Use it for every transaction that reads before it writes.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    txn.execute_unprepared("UPDATE settings SET key = key WHERE 0").await?;
    Ok(txn)
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
        assert_eq!(pragma("PRAGMA cache_size").await, format!("-{CACHE_KIB}"));
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[tokio::test]
    async fn a_transaction_that_reads_first_survives_a_concurrent_writer_only_with_begin_write() {
        use entities::settings;
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let dir = tempfile::tempdir().unwrap();
        let db = connect(&dir.path().join("ployer.db")).await.unwrap();
        migrate(&db).await.unwrap();
        let row = |key: &str| settings::ActiveModel {
            key: Set(key.into()),
            value: Set("v".into()),
            updated_at: Set(chrono::Utc::now()),
        };

        // Deferred: read, another connection commits, then the write is refused.
        let txn = db.begin().await.unwrap();
        settings::Entity::find().all(&txn).await.unwrap();
        row("a").insert(&db).await.unwrap();
        let err = row("b").insert(&txn).await.unwrap_err();
        assert!(err.to_string().contains("database is locked"), "{err}");
        txn.rollback().await.unwrap();

        // begin_write: the other writer waits for the commit, and both succeed.
        let txn = begin_write(&db).await.unwrap();
        settings::Entity::find().all(&txn).await.unwrap();
        let other = {
            let db = db.clone();
            tokio::spawn(async move { row("c").insert(&db).await })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!other.is_finished(), "the other writer waits for the lock");
        row("d").insert(&txn).await.unwrap();
        txn.commit().await.unwrap();
        other.await.unwrap().unwrap();
        assert_eq!(settings::Entity::find().all(&db).await.unwrap().len(), 3);
    }
}
