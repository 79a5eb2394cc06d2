//! `compose_services`: the services of a Compose application other than the routed one (whose
//! container is its active deployment's), each with the container running it now. A service
//! whose image and configuration did not change keeps its container across deployments; the
//! reconciler starts or recreates what is stopped or gone.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compose_services")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub application_id: String,
    /// The service's name in the compose file (also its name on the application's network).
    pub name: String,
    /// The deployment that started the container.
    pub deployment_id: String,
    pub container_id: String,
    pub container_name: String,
    pub image: String,
    /// A keyed digest of everything the container was created from; a different one means
    /// the service changed and is recreated.
    pub config_hash: String,
    /// The loopback port its first port is published on, when it has one.
    pub host_port: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::applications::Entity",
        from = "Column::ApplicationId",
        to = "super::applications::Column::Id",
        on_delete = "Cascade"
    )]
    Applications,
}

impl Related<super::applications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Applications.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
