//! Compose applications: the file's path in the repository and the service that receives the
//! application's domains; per deployment, the file it ran and the image of each service; the
//! services other than the routed one and their current containers; and domains of their own
//! for those services.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            text(Applications::ComposePath).default("docker-compose.yml").to_owned(),
            text_null(Applications::ComposeService),
        ] {
            manager
                .alter_table(Table::alter().table(Applications::Table).add_column(column).to_owned())
                .await?;
        }
        for column in [
            text_null(Deployments::ComposeFile),
            text_null(Deployments::ComposeImages),
        ] {
            manager
                .alter_table(Table::alter().table(Deployments::Table).add_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Domains::Table)
                    .add_column(text_null(Domains::Service))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ComposeServices::Table)
                    .if_not_exists()
                    .col(text(ComposeServices::Id).primary_key())
                    .col(text(ComposeServices::ApplicationId))
                    .col(text(ComposeServices::Name))
                    .col(text(ComposeServices::DeploymentId))
                    .col(text(ComposeServices::ContainerId))
                    .col(text(ComposeServices::ContainerName))
                    .col(text(ComposeServices::Image))
                    .col(text(ComposeServices::ConfigHash))
                    .col(integer_null(ComposeServices::HostPort))
                    .col(timestamp_with_time_zone(ComposeServices::CreatedAt))
                    .col(timestamp_with_time_zone(ComposeServices::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_compose_services_application_id")
                            .from(ComposeServices::Table, ComposeServices::ApplicationId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_compose_services_application_name")
                    .table(ComposeServices::Table)
                    .col(ComposeServices::ApplicationId)
                    .col(ComposeServices::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ComposeServices::Table).if_exists().to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Domains::Table)
                    .drop_column(Domains::Service)
                    .to_owned(),
            )
            .await?;
        for column in [Deployments::ComposeFile, Deployments::ComposeImages] {
            manager
                .alter_table(Table::alter().table(Deployments::Table).drop_column(column).to_owned())
                .await?;
        }
        for column in [Applications::ComposePath, Applications::ComposeService] {
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
    Id,
    ComposePath,
    ComposeService,
}

#[derive(DeriveIden)]
enum Deployments {
    Table,
    ComposeFile,
    ComposeImages,
}

#[derive(DeriveIden)]
enum Domains {
    Table,
    Service,
}

#[derive(DeriveIden)]
enum ComposeServices {
    Table,
    Id,
    ApplicationId,
    Name,
    DeploymentId,
    ContainerId,
    ContainerName,
    Image,
    ConfigHash,
    HostPort,
    CreatedAt,
    UpdatedAt,
}
