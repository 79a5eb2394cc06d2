//! `mounts`: an application's named volumes and host directories, which outlive its
//! containers; and `applications.cutover_order`, which lets an application whose data two
//! processes cannot share stop its old container before the new one starts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Mounts::Table)
                    .if_not_exists()
                    .col(text(Mounts::Id).primary_key())
                    .col(text(Mounts::ApplicationId))
                    .col(text(Mounts::Kind))
                    .col(text(Mounts::Source))
                    .col(text_null(Mounts::Volume))
                    .col(text(Mounts::ContainerPath))
                    .col(boolean(Mounts::ReadOnly))
                    .col(timestamp_with_time_zone(Mounts::CreatedAt))
                    .col(timestamp_with_time_zone(Mounts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mounts_application_id")
                            .from(Mounts::Table, Mounts::ApplicationId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One mount per path inside a container.
        manager
            .create_index(
                Index::create()
                    .name("idx_mounts_application_path")
                    .table(Mounts::Table)
                    .col(Mounts::ApplicationId)
                    .col(Mounts::ContainerPath)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .add_column(text(Applications::CutoverOrder).default("start-first"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .drop_column(Applications::CutoverOrder)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Mounts::Table).if_exists().to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Mounts {
    Table,
    Id,
    ApplicationId,
    Kind,
    Source,
    Volume,
    ContainerPath,
    ReadOnly,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    CutoverOrder,
}
