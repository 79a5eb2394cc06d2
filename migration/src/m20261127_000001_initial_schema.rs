//! The initial schema: every table Ployer keeps its desired state in.
//!
//! Conventions, so that the entities in `entities/` can mirror this file line for line:
//! - `id` is a UUID stored as TEXT, except on the append-heavy tables (`deployment_logs`,
//!   `health_check_results`, `container_stats`) where it is an INTEGER AUTOINCREMENT so that it
//!   can serve as an ordered, never-reused cursor.
//! - Enum-like columns are TEXT holding lower_snake_case values; the server maps them to typed
//!   enums, so adding a variant needs no migration. Allowed values are listed on the entities.
//! - Timestamps are UTC (`timestamp_with_time_zone`, which SQLite stores as RFC 3339 text).
//! - Foreign keys are declared inside `CREATE TABLE` because SQLite cannot add them later.
//!   Children of applications, users, webhooks and deployments are deleted with their parent
//!   unless a column says otherwise.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Parents before children, so every foreign key points at an existing table.
        create_users(manager).await?;
        create_api_keys(manager).await?;
        create_servers(manager).await?;
        create_applications(manager).await?;
        create_environment_variables(manager).await?;
        create_deploy_keys(manager).await?;
        create_deployments(manager).await?;
        create_deployment_logs(manager).await?;
        create_domains(manager).await?;
        create_webhooks(manager).await?;
        create_webhook_deliveries(manager).await?;
        create_health_checks(manager).await?;
        create_health_check_results(manager).await?;
        create_container_stats(manager).await?;
        create_settings(manager).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The reverse of `up`: children before parents. Indexes go with their table.
        drop_table(manager, Settings::Table).await?;
        drop_table(manager, ContainerStats::Table).await?;
        drop_table(manager, HealthCheckResults::Table).await?;
        drop_table(manager, HealthChecks::Table).await?;
        drop_table(manager, WebhookDeliveries::Table).await?;
        drop_table(manager, Webhooks::Table).await?;
        drop_table(manager, Domains::Table).await?;
        drop_table(manager, DeploymentLogs::Table).await?;
        drop_table(manager, Deployments::Table).await?;
        drop_table(manager, DeployKeys::Table).await?;
        drop_table(manager, EnvironmentVariables::Table).await?;
        drop_table(manager, Applications::Table).await?;
        drop_table(manager, Servers::Table).await?;
        drop_table(manager, ApiKeys::Table).await?;
        drop_table(manager, Users::Table).await?;
        Ok(())
    }
}

async fn drop_table<T: IntoIden + 'static>(manager: &SchemaManager<'_>, table: T) -> Result<(), DbErr> {
    manager
        .drop_table(Table::drop().table(table).if_exists().to_owned())
        .await
}

/// UUID primary key, stored as TEXT.
fn pk_text<T: IntoIden>(col: T) -> ColumnDef {
    text(col).primary_key().take()
}

/// Ordered cursor primary key. SQLite's INTEGER is 64-bit, so this is an `i64` in the entity;
/// AUTOINCREMENT keeps ids from being reused after old rows are pruned.
fn pk_cursor<T: IntoIden>(col: T) -> ColumnDef {
    integer(col).auto_increment().primary_key().take()
}

/// A foreign key for `CREATE TABLE`. SQLite does not keep constraint names; the name is there
/// for error messages on other backends and for readers of this file.
fn fk<T, C, R, RC>(name: &str, from: (T, C), to: (R, RC), on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden,
    R: IntoIden + 'static,
    RC: IntoIden,
{
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

/// A named index on `table`; add `.col(..)`s and, for a constraint, `.unique()`.
fn index<T: IntoIden + 'static>(name: &str, table: T) -> IndexCreateStatement {
    Index::create().name(name).table(table).if_not_exists().to_owned()
}

async fn create_users(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(pk_text(Users::Id))
                .col(text_uniq(Users::Email))
                .col(text(Users::PasswordHash))
                .col(text(Users::Role))
                .col(integer(Users::TokenVersion).default(0))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .to_owned(),
        )
        .await
}

async fn create_api_keys(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ApiKeys::Table)
                .if_not_exists()
                .col(pk_text(ApiKeys::Id))
                .col(text(ApiKeys::UserId))
                .col(text(ApiKeys::Name))
                .col(text_uniq(ApiKeys::KeyHash))
                .col(text(ApiKeys::KeyPrefix))
                .col(text(ApiKeys::Role))
                .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                .foreign_key(&mut fk(
                    "fk_api_keys_user_id",
                    (ApiKeys::Table, ApiKeys::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("idx_api_keys_user_id", ApiKeys::Table)
                .col(ApiKeys::UserId)
                .to_owned(),
        )
        .await
}

async fn create_servers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Servers::Table)
                .if_not_exists()
                .col(pk_text(Servers::Id))
                .col(text_uniq(Servers::Name))
                .col(text(Servers::Host))
                .col(integer(Servers::Port))
                .col(text(Servers::Username))
                .col(boolean(Servers::IsLocal))
                .col(text(Servers::Status))
                .col(timestamp_with_time_zone_null(Servers::LastCheckedAt))
                .col(timestamp_with_time_zone(Servers::CreatedAt))
                .col(timestamp_with_time_zone(Servers::UpdatedAt))
                .to_owned(),
        )
        .await
}

async fn create_applications(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Applications::Table)
                .if_not_exists()
                .col(pk_text(Applications::Id))
                .col(text_uniq(Applications::Name))
                .col(text_null(Applications::Description))
                .col(text(Applications::ServerId))
                .col(text_null(Applications::GitUrl))
                .col(text_null(Applications::Branch))
                .col(text_null(Applications::Image))
                .col(text(Applications::BuildStrategy))
                .col(text(Applications::DockerfilePath))
                .col(text(Applications::BuildContext))
                .col(integer(Applications::Port))
                .col(boolean(Applications::AutoDeploy))
                .col(big_integer_null(Applications::MemoryLimitBytes))
                .col(integer_null(Applications::CpuLimitMillis))
                .col(text(Applications::RestartPolicy))
                .col(text(Applications::Status))
                // No foreign key: deployments already reference applications, and a cycle
                // would make inserting either row order-dependent.
                .col(text_null(Applications::ActiveDeploymentId))
                .col(timestamp_with_time_zone(Applications::CreatedAt))
                .col(timestamp_with_time_zone(Applications::UpdatedAt))
                // A server that still hosts applications cannot be deleted.
                .foreign_key(&mut fk(
                    "fk_applications_server_id",
                    (Applications::Table, Applications::ServerId),
                    (Servers::Table, Servers::Id),
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("idx_applications_server_id", Applications::Table)
                .col(Applications::ServerId)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("idx_applications_status", Applications::Table)
                .col(Applications::Status)
                .to_owned(),
        )
        .await
}

async fn create_environment_variables(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(EnvironmentVariables::Table)
                .if_not_exists()
                .col(pk_text(EnvironmentVariables::Id))
                .col(text(EnvironmentVariables::ApplicationId))
                .col(text(EnvironmentVariables::Key))
                .col(blob(EnvironmentVariables::ValueCiphertext))
                .col(blob(EnvironmentVariables::ValueNonce))
                .col(boolean(EnvironmentVariables::IsSecret))
                .col(boolean(EnvironmentVariables::IsBuildTime))
                .col(timestamp_with_time_zone(EnvironmentVariables::CreatedAt))
                .col(timestamp_with_time_zone(EnvironmentVariables::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_environment_variables_application_id",
                    (EnvironmentVariables::Table, EnvironmentVariables::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // Also serves listing an application's variables (leading column).
    manager
        .create_index(
            index(
                "uq_environment_variables_application_id_key",
                EnvironmentVariables::Table,
            )
            .unique()
            .col(EnvironmentVariables::ApplicationId)
            .col(EnvironmentVariables::Key)
            .to_owned(),
        )
        .await
}

async fn create_deploy_keys(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(DeployKeys::Table)
                .if_not_exists()
                .col(pk_text(DeployKeys::Id))
                .col(text_uniq(DeployKeys::ApplicationId))
                .col(text(DeployKeys::PublicKey))
                .col(text(DeployKeys::Fingerprint))
                .col(blob(DeployKeys::PrivateKeyCiphertext))
                .col(blob(DeployKeys::PrivateKeyNonce))
                .col(text_null(DeployKeys::KnownHostKey))
                .col(timestamp_with_time_zone(DeployKeys::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_deploy_keys_application_id",
                    (DeployKeys::Table, DeployKeys::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
}

async fn create_deployments(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Deployments::Table)
                .if_not_exists()
                .col(pk_text(Deployments::Id))
                .col(text(Deployments::ApplicationId))
                .col(text(Deployments::Status))
                .col(text(Deployments::Trigger))
                .col(text_null(Deployments::CommitSha))
                .col(text_null(Deployments::CommitMessage))
                .col(text_null(Deployments::CommitAuthor))
                .col(text_null(Deployments::ImageTag))
                .col(text_null(Deployments::ContainerId))
                .col(text_null(Deployments::ContainerName))
                .col(integer_null(Deployments::HostPort))
                .col(text_null(Deployments::FailureReason))
                .col(text_null(Deployments::RollbackOfId))
                .col(text_null(Deployments::TriggeredByUserId))
                .col(timestamp_with_time_zone(Deployments::CreatedAt))
                .col(timestamp_with_time_zone_null(Deployments::StartedAt))
                .col(timestamp_with_time_zone_null(Deployments::FinishedAt))
                .col(timestamp_with_time_zone(Deployments::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_deployments_application_id",
                    (Deployments::Table, Deployments::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                // Deleting a user keeps the history of what they deployed.
                .foreign_key(&mut fk(
                    "fk_deployments_triggered_by_user_id",
                    (Deployments::Table, Deployments::TriggeredByUserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("idx_deployments_application_id_created_at", Deployments::Table)
                .col(Deployments::ApplicationId)
                .col(Deployments::CreatedAt)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("idx_deployments_status", Deployments::Table)
                .col(Deployments::Status)
                .to_owned(),
        )
        .await
}

async fn create_deployment_logs(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(DeploymentLogs::Table)
                .if_not_exists()
                .col(pk_cursor(DeploymentLogs::Id))
                .col(text(DeploymentLogs::DeploymentId))
                .col(text(DeploymentLogs::Stream))
                .col(text(DeploymentLogs::Line))
                .col(timestamp_with_time_zone(DeploymentLogs::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_deployment_logs_deployment_id",
                    (DeploymentLogs::Table, DeploymentLogs::DeploymentId),
                    (Deployments::Table, Deployments::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("idx_deployment_logs_deployment_id_id", DeploymentLogs::Table)
                .col(DeploymentLogs::DeploymentId)
                .col(DeploymentLogs::Id)
                .to_owned(),
        )
        .await
}

async fn create_domains(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Domains::Table)
                .if_not_exists()
                .col(pk_text(Domains::Id))
                .col(text(Domains::ApplicationId))
                .col(text_uniq(Domains::Hostname))
                .col(boolean(Domains::IsPrimary))
                .col(boolean(Domains::IsAuto))
                .col(timestamp_with_time_zone_null(Domains::VerifiedAt))
                .col(timestamp_with_time_zone(Domains::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_domains_application_id",
                    (Domains::Table, Domains::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("idx_domains_application_id", Domains::Table)
                .col(Domains::ApplicationId)
                .to_owned(),
        )
        .await
}

async fn create_webhooks(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Webhooks::Table)
                .if_not_exists()
                .col(pk_text(Webhooks::Id))
                .col(text(Webhooks::ApplicationId))
                .col(text(Webhooks::Provider))
                .col(blob(Webhooks::SecretCiphertext))
                .col(blob(Webhooks::SecretNonce))
                .col(boolean(Webhooks::Enabled))
                .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                .col(timestamp_with_time_zone(Webhooks::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_webhooks_application_id",
                    (Webhooks::Table, Webhooks::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index("uq_webhooks_application_id_provider", Webhooks::Table)
                .unique()
                .col(Webhooks::ApplicationId)
                .col(Webhooks::Provider)
                .to_owned(),
        )
        .await
}

async fn create_webhook_deliveries(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .if_not_exists()
                .col(pk_text(WebhookDeliveries::Id))
                .col(text_null(WebhookDeliveries::WebhookId))
                .col(text(WebhookDeliveries::ApplicationId))
                .col(text(WebhookDeliveries::Provider))
                .col(text(WebhookDeliveries::Event))
                .col(text_null(WebhookDeliveries::DeliveryId))
                .col(text(WebhookDeliveries::Status))
                .col(text_null(WebhookDeliveries::Reason))
                .col(text_null(WebhookDeliveries::Branch))
                .col(text_null(WebhookDeliveries::CommitSha))
                .col(text_null(WebhookDeliveries::CommitAuthor))
                .col(text_null(WebhookDeliveries::CommitMessage))
                .col(text_null(WebhookDeliveries::DeploymentId))
                .col(timestamp_with_time_zone(WebhookDeliveries::ReceivedAt))
                // The delivery log outlives a deleted webhook or pruned deployment.
                .foreign_key(&mut fk(
                    "fk_webhook_deliveries_webhook_id",
                    (WebhookDeliveries::Table, WebhookDeliveries::WebhookId),
                    (Webhooks::Table, Webhooks::Id),
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    "fk_webhook_deliveries_application_id",
                    (WebhookDeliveries::Table, WebhookDeliveries::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_webhook_deliveries_deployment_id",
                    (WebhookDeliveries::Table, WebhookDeliveries::DeploymentId),
                    (Deployments::Table, Deployments::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
    // Replay protection: a provider's delivery id is accepted once per webhook. SQLite treats
    // NULLs as distinct, so deliveries without an id (or whose webhook is gone) never collide.
    manager
        .create_index(
            index("uq_webhook_deliveries_webhook_id_delivery_id", WebhookDeliveries::Table)
                .unique()
                .col(WebhookDeliveries::WebhookId)
                .col(WebhookDeliveries::DeliveryId)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index(
                "idx_webhook_deliveries_application_id_received_at",
                WebhookDeliveries::Table,
            )
            .col(WebhookDeliveries::ApplicationId)
            .col(WebhookDeliveries::ReceivedAt)
            .to_owned(),
        )
        .await
}

async fn create_health_checks(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(HealthChecks::Table)
                .if_not_exists()
                .col(pk_text(HealthChecks::Id))
                .col(text_uniq(HealthChecks::ApplicationId))
                .col(text(HealthChecks::Kind))
                .col(text_null(HealthChecks::Path))
                .col(integer_null(HealthChecks::Port))
                .col(integer(HealthChecks::IntervalSeconds))
                .col(integer(HealthChecks::TimeoutSeconds))
                .col(integer(HealthChecks::HealthyThreshold))
                .col(integer(HealthChecks::UnhealthyThreshold))
                .col(integer(HealthChecks::StartPeriodSeconds))
                .col(boolean(HealthChecks::AutoRestart))
                .col(text(HealthChecks::Status))
                .col(integer(HealthChecks::ConsecutiveFailures).default(0))
                .col(integer(HealthChecks::RestartCount).default(0))
                .col(timestamp_with_time_zone_null(HealthChecks::LastCheckedAt))
                .col(timestamp_with_time_zone_null(HealthChecks::LastRestartAt))
                .col(timestamp_with_time_zone(HealthChecks::CreatedAt))
                .col(timestamp_with_time_zone(HealthChecks::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_health_checks_application_id",
                    (HealthChecks::Table, HealthChecks::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
}

async fn create_health_check_results(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(HealthCheckResults::Table)
                .if_not_exists()
                .col(pk_cursor(HealthCheckResults::Id))
                .col(text(HealthCheckResults::ApplicationId))
                // No foreign key: results are history and outlive pruned deployments.
                .col(text_null(HealthCheckResults::DeploymentId))
                .col(text(HealthCheckResults::Status))
                .col(integer_null(HealthCheckResults::StatusCode))
                .col(integer_null(HealthCheckResults::ResponseTimeMs))
                .col(text_null(HealthCheckResults::Error))
                .col(timestamp_with_time_zone(HealthCheckResults::CheckedAt))
                .foreign_key(&mut fk(
                    "fk_health_check_results_application_id",
                    (HealthCheckResults::Table, HealthCheckResults::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index(
                "idx_health_check_results_application_id_checked_at",
                HealthCheckResults::Table,
            )
            .col(HealthCheckResults::ApplicationId)
            .col(HealthCheckResults::CheckedAt)
            .to_owned(),
        )
        .await
}

async fn create_container_stats(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ContainerStats::Table)
                .if_not_exists()
                .col(pk_cursor(ContainerStats::Id))
                // NULL for containers Ployer observes but does not manage.
                .col(text_null(ContainerStats::ApplicationId))
                .col(text(ContainerStats::ContainerId))
                .col(text(ContainerStats::Resolution))
                .col(double(ContainerStats::CpuPercent))
                .col(big_integer(ContainerStats::MemoryUsedBytes))
                .col(big_integer(ContainerStats::MemoryLimitBytes))
                .col(big_integer(ContainerStats::NetworkRxBytes))
                .col(big_integer(ContainerStats::NetworkTxBytes))
                .col(big_integer(ContainerStats::BlockReadBytes))
                .col(big_integer(ContainerStats::BlockWriteBytes))
                .col(timestamp_with_time_zone(ContainerStats::SampledAt))
                .foreign_key(&mut fk(
                    "fk_container_stats_application_id",
                    (ContainerStats::Table, ContainerStats::ApplicationId),
                    (Applications::Table, Applications::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index(
                "idx_container_stats_container_id_resolution_sampled_at",
                ContainerStats::Table,
            )
            .col(ContainerStats::ContainerId)
            .col(ContainerStats::Resolution)
            .col(ContainerStats::SampledAt)
            .to_owned(),
        )
        .await?;
    manager
        .create_index(
            index(
                "idx_container_stats_application_id_resolution_sampled_at",
                ContainerStats::Table,
            )
            .col(ContainerStats::ApplicationId)
            .col(ContainerStats::Resolution)
            .col(ContainerStats::SampledAt)
            .to_owned(),
        )
        .await
}

async fn create_settings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Settings::Table)
                .if_not_exists()
                .col(text(Settings::Key).primary_key())
                .col(text(Settings::Value))
                .col(timestamp_with_time_zone(Settings::UpdatedAt))
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    TokenVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    UserId,
    Name,
    KeyHash,
    KeyPrefix,
    Role,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Servers {
    Table,
    Id,
    Name,
    Host,
    Port,
    Username,
    IsLocal,
    Status,
    LastCheckedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    Name,
    Description,
    ServerId,
    GitUrl,
    Branch,
    Image,
    BuildStrategy,
    DockerfilePath,
    BuildContext,
    Port,
    AutoDeploy,
    MemoryLimitBytes,
    CpuLimitMillis,
    RestartPolicy,
    Status,
    ActiveDeploymentId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EnvironmentVariables {
    Table,
    Id,
    ApplicationId,
    Key,
    ValueCiphertext,
    ValueNonce,
    IsSecret,
    IsBuildTime,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DeployKeys {
    Table,
    Id,
    ApplicationId,
    PublicKey,
    Fingerprint,
    PrivateKeyCiphertext,
    PrivateKeyNonce,
    KnownHostKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Deployments {
    Table,
    Id,
    ApplicationId,
    Status,
    Trigger,
    CommitSha,
    CommitMessage,
    CommitAuthor,
    ImageTag,
    ContainerId,
    ContainerName,
    HostPort,
    FailureReason,
    RollbackOfId,
    TriggeredByUserId,
    CreatedAt,
    StartedAt,
    FinishedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DeploymentLogs {
    Table,
    Id,
    DeploymentId,
    Stream,
    Line,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Domains {
    Table,
    Id,
    ApplicationId,
    Hostname,
    IsPrimary,
    IsAuto,
    VerifiedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    ApplicationId,
    Provider,
    SecretCiphertext,
    SecretNonce,
    Enabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    ApplicationId,
    Provider,
    Event,
    DeliveryId,
    Status,
    Reason,
    Branch,
    CommitSha,
    CommitAuthor,
    CommitMessage,
    DeploymentId,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum HealthChecks {
    Table,
    Id,
    ApplicationId,
    Kind,
    Path,
    Port,
    IntervalSeconds,
    TimeoutSeconds,
    HealthyThreshold,
    UnhealthyThreshold,
    StartPeriodSeconds,
    AutoRestart,
    Status,
    ConsecutiveFailures,
    RestartCount,
    LastCheckedAt,
    LastRestartAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HealthCheckResults {
    Table,
    Id,
    ApplicationId,
    DeploymentId,
    Status,
    StatusCode,
    ResponseTimeMs,
    Error,
    CheckedAt,
}

#[derive(DeriveIden)]
enum ContainerStats {
    Table,
    Id,
    ApplicationId,
    ContainerId,
    Resolution,
    CpuPercent,
    MemoryUsedBytes,
    MemoryLimitBytes,
    NetworkRxBytes,
    NetworkTxBytes,
    BlockReadBytes,
    BlockWriteBytes,
    SampledAt,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
    UpdatedAt,
}
