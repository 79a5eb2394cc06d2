//! `audit_log`: who changed what, from where, and how it ended; and every sign-in. Rows are
//! history: no foreign keys (an entry outlives the user, key or object it names), an
//! autoincrement id that orders them and pages them, and an index on the time for the
//! retention sweep.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(integer(AuditLog::Id).auto_increment().primary_key())
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(text_null(AuditLog::ActorUserId))
                    .col(text_null(AuditLog::ActorApiKeyId))
                    .col(text(AuditLog::ActorLabel))
                    .col(text_null(AuditLog::SourceIp))
                    .col(text(AuditLog::Action))
                    .col(text_null(AuditLog::ObjectType))
                    .col(text_null(AuditLog::ObjectId))
                    .col(text(AuditLog::Outcome))
                    .col(text_null(AuditLog::Message))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).if_exists().to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorApiKeyId,
    ActorLabel,
    SourceIp,
    Action,
    ObjectType,
    ObjectId,
    Outcome,
    Message,
}
