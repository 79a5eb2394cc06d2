//! Docker Swarm clusters: a cluster is made from servers (one manager, workers), optionally with
//! a registry its images go through (the password sealed), each member server records its
//! cluster and its swarm node id; an application may run on a cluster
//! (replicas, placement constraints, replicas per node); a deployment on a cluster is a swarm
//! service whose live task addresses Caddy on the cluster's edge server load-balances.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Clusters::Table)
                    .if_not_exists()
                    .col(text(Clusters::Id).primary_key())
                    .col(text(Clusters::Name).unique_key())
                    .col(text(Clusters::ManagerServerId))
                    .col(text(Clusters::EdgeServerId))
                    .col(text_null(Clusters::BuildServerId))
                    .col(text_null(Clusters::SwarmId))
                    .col(text_null(Clusters::RegistryUrl))
                    .col(text_null(Clusters::RegistryUsername))
                    .col(blob_null(Clusters::RegistryPasswordCiphertext))
                    .col(blob_null(Clusters::RegistryPasswordNonce))
                    .col(timestamp_with_time_zone(Clusters::CreatedAt))
                    .col(timestamp_with_time_zone(Clusters::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        for column in [text_null(Servers::ClusterId), text_null(Servers::SwarmNodeId)] {
            manager
                .alter_table(Table::alter().table(Servers::Table).add_column(column).to_owned())
                .await?;
        }
        for column in [
            text_null(Applications::ClusterId),
            integer(Applications::Replicas).default(1).to_owned(),
            text_null(Applications::Placement),
            integer_null(Applications::MaxReplicasPerNode),
        ] {
            manager
                .alter_table(Table::alter().table(Applications::Table).add_column(column).to_owned())
                .await?;
        }
        for column in [
            text_null(Deployments::ClusterId),
            text_null(Deployments::ServiceId),
            text_null(Deployments::Upstreams),
        ] {
            manager
                .alter_table(Table::alter().table(Deployments::Table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Deployments::ClusterId, Deployments::ServiceId, Deployments::Upstreams] {
            manager
                .alter_table(Table::alter().table(Deployments::Table).drop_column(column).to_owned())
                .await?;
        }
        for column in [
            Applications::ClusterId,
            Applications::Replicas,
            Applications::Placement,
            Applications::MaxReplicasPerNode,
        ] {
            manager
                .alter_table(Table::alter().table(Applications::Table).drop_column(column).to_owned())
                .await?;
        }
        for column in [Servers::ClusterId, Servers::SwarmNodeId] {
            manager
                .alter_table(Table::alter().table(Servers::Table).drop_column(column).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Clusters::Table).if_exists().to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Clusters {
    Table,
    Id,
    Name,
    ManagerServerId,
    EdgeServerId,
    BuildServerId,
    SwarmId,
    RegistryUrl,
    RegistryUsername,
    RegistryPasswordCiphertext,
    RegistryPasswordNonce,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Servers {
    Table,
    ClusterId,
    SwarmNodeId,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    ClusterId,
    Replicas,
    Placement,
    MaxReplicasPerNode,
}

#[derive(DeriveIden)]
enum Deployments {
    Table,
    ClusterId,
    ServiceId,
    Upstreams,
}
