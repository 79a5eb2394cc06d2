//! `git_credentials`: the user name and token an application clones an http(s) repository
//! with (a GitHub/GitLab/Gitea access token, or a password). At most one per application; the
//! token is sealed like every other secret and bound to the origin (`https://host:port`) it
//! was given for, and the row goes with its application.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GitCredentials::Table)
                    .if_not_exists()
                    .col(text(GitCredentials::Id).primary_key())
                    .col(text_uniq(GitCredentials::ApplicationId))
                    .col(text(GitCredentials::Origin))
                    .col(text(GitCredentials::Username))
                    .col(blob(GitCredentials::TokenCiphertext))
                    .col(blob(GitCredentials::TokenNonce))
                    .col(timestamp_with_time_zone(GitCredentials::CreatedAt))
                    .col(timestamp_with_time_zone(GitCredentials::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_git_credentials_application_id")
                            .from(GitCredentials::Table, GitCredentials::ApplicationId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GitCredentials::Table).if_exists().to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum GitCredentials {
    Table,
    Id,
    ApplicationId,
    Origin,
    Username,
    TokenCiphertext,
    TokenNonce,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
}
