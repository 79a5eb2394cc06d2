//! `mounts`: where an application keeps data that outlives its containers. A named volume
//! Ployer creates and labels, or (set up by an admin, under a directory an admin allowed) a
//! directory of the host. Every container of the application mounts it at `container_path`:
//! across redeploys, rollbacks, restarts and the reconciler recreating it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mounts")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub application_id: String,
    pub kind: MountKind,
    /// The engine's volume name (`ployer-<app>-<name>`, fixed when the mount is made, so a
    /// renamed application keeps its data), or the host directory's canonical path.
    pub source: String,
    /// The name the user gave a volume; `None` for a host directory.
    pub volume: Option<String>,
    /// Absolute path inside the container.
    pub container_path: String,
    pub read_only: bool,
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

text_enum!(
    /// A named volume on the engine, or a directory of the host.
    MountKind { Volume => "volume", Bind => "bind" }
);
