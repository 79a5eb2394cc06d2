//! `Mount`: a named volume or host directory an application's containers mount.

use async_graphql::{Context, Enum, Object, ID};
use chrono::{DateTime, Utc};
use entities::mounts::{self, MountKind};

use super::docker::{volume_usage, wants_volume_size};
use crate::graphql::state;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "MountKind", remote = "MountKind")]
pub enum MountKindGql {
    /// A named volume Ployer creates on the engine (labelled with the application).
    Volume,
    /// A directory of the host, under one an admin allowed.
    Bind,
}

pub struct Mount {
    row: mounts::Model,
    size_bytes: Option<i64>,
}

impl Mount {
    /// The mounts as the answer shows them, with their volumes' sizes read once for all of
    /// them when the answer asks for `sizeBytes` at `path` (field names from the current field
    /// down to the mount).
    pub(crate) async fn all(
        ctx: &Context<'_>,
        path: &[&str],
        rows: Vec<mounts::Model>,
    ) -> async_graphql::Result<Vec<Self>> {
        let usage = volume_usage(state(ctx)?, wants_volume_size(ctx, &[path])).await;
        Ok(rows
            .into_iter()
            .map(|row| {
                let size_bytes = (row.kind == MountKind::Volume)
                    .then(|| usage.as_ref()?.get(&row.source)?.size_bytes)
                    .flatten();
                Self { row, size_bytes }
            })
            .collect())
    }

    pub(crate) async fn one(ctx: &Context<'_>, path: &[&str], row: mounts::Model) -> async_graphql::Result<Self> {
        Ok(Self::all(ctx, path, vec![row]).await?.remove(0))
    }
}

#[Object]
impl Mount {
    async fn id(&self) -> ID {
        ID(self.row.id.clone())
    }
    async fn kind(&self) -> MountKindGql {
        self.row.kind.into()
    }
    /// The volume's name as given (`data`); null for a host directory.
    async fn volume(&self) -> Option<&str> {
        self.row.volume.as_deref()
    }
    /// The engine's name of the volume (`ployer-<app>-<volume>`); null for a host directory.
    async fn volume_name(&self) -> Option<&str> {
        (self.row.kind == MountKind::Volume).then_some(self.row.source.as_str())
    }
    /// The host directory (its canonical path); null for a volume.
    async fn host_path(&self) -> Option<&str> {
        (self.row.kind == MountKind::Bind).then_some(self.row.source.as_str())
    }
    /// Where the containers see it.
    async fn container_path(&self) -> &str {
        &self.row.container_path
    }
    async fn read_only(&self) -> bool {
        self.row.read_only
    }
    /// Bytes the volume's data takes, when the engine reports it (null for a host directory,
    /// a volume not created yet — it is made by the first container that mounts it — or an
    /// engine that cannot be asked).
    async fn size_bytes(&self) -> Option<i64> {
        self.size_bytes
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
}
