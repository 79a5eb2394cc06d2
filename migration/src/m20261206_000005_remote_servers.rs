//! Remote servers reached over SSH: the engine's socket there, the key Ployer authenticates
//! with (its private half sealed like other secrets), the host key recorded at the first
//! validation, and what the last validation found (the engine's version, CPUs, memory, disk).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            text(Servers::DockerSocket).default("/var/run/docker.sock").to_owned(),
            blob_null(Servers::PrivateKeyCiphertext),
            blob_null(Servers::PrivateKeyNonce),
            text_null(Servers::PublicKey),
            text_null(Servers::HostKeyFingerprint),
            text_null(Servers::DockerVersion),
            integer_null(Servers::Cpus),
            big_integer_null(Servers::MemoryBytes),
            big_integer_null(Servers::DiskTotalBytes),
            big_integer_null(Servers::DiskFreeBytes),
            text_null(Servers::LastError),
        ] {
            manager
                .alter_table(Table::alter().table(Servers::Table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Servers::DockerSocket,
            Servers::PrivateKeyCiphertext,
            Servers::PrivateKeyNonce,
            Servers::PublicKey,
            Servers::HostKeyFingerprint,
            Servers::DockerVersion,
            Servers::Cpus,
            Servers::MemoryBytes,
            Servers::DiskTotalBytes,
            Servers::DiskFreeBytes,
            Servers::LastError,
        ] {
            manager
                .alter_table(Table::alter().table(Servers::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Servers {
    Table,
    DockerSocket,
    PrivateKeyCiphertext,
    PrivateKeyNonce,
    PublicKey,
    HostKeyFingerprint,
    DockerVersion,
    Cpus,
    MemoryBytes,
    DiskTotalBytes,
    DiskFreeBytes,
    LastError,
}
