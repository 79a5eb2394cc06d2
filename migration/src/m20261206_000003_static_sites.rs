//! Static sites: how an application of the `static` build strategy is built (an image and a
//! command, or none when the repository holds the files), where its files end up, and whether
//! unknown paths answer with its `index.html` (single-page applications).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            text_null(Applications::StaticBuildImage),
            text_null(Applications::StaticBuildCommand),
            text(Applications::StaticOutputDir).default(".").to_owned(),
            boolean(Applications::SpaFallback).default(false).to_owned(),
        ] {
            manager
                .alter_table(Table::alter().table(Applications::Table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Applications::StaticBuildImage,
            Applications::StaticBuildCommand,
            Applications::StaticOutputDir,
            Applications::SpaFallback,
        ] {
            manager
                .alter_table(Table::alter().table(Applications::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    StaticBuildImage,
    StaticBuildCommand,
    StaticOutputDir,
    SpaFallback,
}
