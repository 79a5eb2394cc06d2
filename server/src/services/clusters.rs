//! Clusters: Docker Swarm made from servers Ployer already reaches. The manager initializes
//! the swarm, the other servers join it as workers; join tokens are read from the manager when
//! a node joins and never stored or shown. Nodes are listed, drained, labelled and removed
//! through the manager's engine. An application on a cluster runs as a swarm service
//! ([`crate::deploy::steps::cluster`]); the edge server's Caddy routes its domains.

use std::{collections::HashMap, net::IpAddr};

use chrono::Utc;
use entities::{applications, clusters, servers};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use tracing::instrument;
use uuid::Uuid;

use crate::{
    docker::swarm,
    error::{AppError, AppResult},
    places::Places,
    validate::Slug,
};

/// The port swarm managers listen on for nodes.
pub const SWARM_PORT: u16 = 2377;

/// A node's label: key up to 128 characters of `[A-Za-z0-9._-]`, value up to 256 printable.
const MAX_LABEL_KEY: usize = 128;
const MAX_LABEL_VALUE: usize = 256;
/// Placement constraints on one application.
const MAX_CONSTRAINTS: usize = 20;

pub struct NewCluster {
    pub name: String,
    pub manager_server_id: String,
    pub worker_server_ids: Vec<String>,
    /// `None`: the manager.
    pub edge_server_id: Option<String>,
    /// `None`: the manager.
    pub build_server_id: Option<String>,
}

pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<clusters::Model>> {
    Ok(clusters::Entity::find()
        .order_by_asc(clusters::Column::Name)
        .all(db)
        .await?)
}

pub async fn get(db: &DatabaseConnection, id: &str) -> AppResult<clusters::Model> {
    clusters::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("cluster"))
}

/// The cluster's member servers, the manager first.
pub async fn members(db: &DatabaseConnection, cluster: &clusters::Model) -> AppResult<Vec<servers::Model>> {
    let mut members = servers::Entity::find()
        .filter(servers::Column::ClusterId.eq(cluster.id.clone()))
        .order_by_asc(servers::Column::Name)
        .all(db)
        .await?;
    members.sort_by_key(|s| s.id != cluster.manager_server_id);
    Ok(members)
}

/// The manager's engine (`UNAVAILABLE` with the reason when it cannot be reached).
pub async fn manager(
    db: &DatabaseConnection,
    places: &Places,
    cluster: &clusters::Model,
) -> AppResult<(servers::Model, bollard::Docker)> {
    let server = crate::services::servers::get(db, &cluster.manager_server_id).await?;
    let engine = places.engine_of(&server).await.map_err(AppError::Unavailable)?;
    Ok((server, engine))
}

/// The cluster's nodes as its manager lists them, each with the member server it is.
pub async fn nodes(
    db: &DatabaseConnection,
    places: &Places,
    cluster: &clusters::Model,
) -> AppResult<Vec<(swarm::Node, Option<servers::Model>)>> {
    let (_, engine) = manager(db, places, cluster).await?;
    let nodes = swarm::nodes(&engine)
        .await
        .map_err(|e| AppError::Unavailable(format!("the manager does not list its nodes: {e}")))?;
    let members = members(db, cluster).await?;
    Ok(nodes
        .into_iter()
        .map(|node| {
            let server = members
                .iter()
                .find(|s| s.swarm_node_id.as_deref() == Some(node.id.as_str()))
                .cloned();
            (node, server)
        })
        .collect())
}

/// Makes the cluster: the swarm initialized on the manager, every worker joined. Nothing is
/// left behind when a step fails: the engines that joined leave again.
#[instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, places: &Places, input: NewCluster) -> AppResult<clusters::Model> {
    let name = Slug::parse("name", &input.name)?;
    if clusters::Entity::find()
        .filter(clusters::Column::Name.eq(name.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::ConflictOn(
            "name",
            format!("a cluster named {} exists", name.as_str()),
        ));
    }
    let manager = candidate(db, "managerServerId", &input.manager_server_id).await?;
    let mut workers = Vec::new();
    for id in &input.worker_server_ids {
        if *id == manager.id || workers.iter().any(|w: &servers::Model| w.id == *id) {
            return Err(AppError::bad_input(
                "workerServerIds",
                format!("the server {id} is named twice (the manager is a member already)"),
            ));
        }
        workers.push(candidate(db, "workerServerIds", id).await?);
    }
    let edge_id = input.edge_server_id.unwrap_or_else(|| manager.id.clone());
    if edge_id != manager.id && !workers.iter().any(|w| w.id == edge_id) {
        return Err(AppError::bad_input(
            "edgeServerId",
            "must be one of the cluster's servers",
        ));
    }
    if let Some(build) = &input.build_server_id {
        if *build != manager.id && !workers.iter().any(|w| w.id == *build) {
            return Err(AppError::bad_input(
                "buildServerId",
                "must be one of the cluster's servers",
            ));
        }
    }
    // Every engine answers and is in no swarm before anything changes.
    let mut engines = Vec::new();
    for (field, server) in
        std::iter::once(("managerServerId", &manager)).chain(workers.iter().map(|w| ("workerServerIds", w)))
    {
        let engine = places.engine_of(server).await.map_err(AppError::Unavailable)?;
        let address = advertise_address(field, server, &places.config().public_addresses).await?;
        let state = swarm::membership(&engine)
            .await
            .map_err(|e| AppError::Unavailable(format!("the server {}: {e}", server.name)))?;
        if state.state != "inactive" {
            return Err(AppError::bad_input(
                field,
                format!(
                    "the server {}'s Docker engine is already part of a swarm ({}): Ployer makes clusters from engines in none (`docker swarm leave` there first)",
                    server.name, state.state
                ),
            ));
        }
        engines.push((server.clone(), engine, address));
    }
    let (_, manager_engine, manager_address) = &engines[0];
    let node_id = swarm::init(manager_engine, &manager_address.to_string())
        .await
        .map_err(|e| AppError::Unavailable(format!("cannot make a swarm on {}: {e}", manager.name)))?;
    let mut joined = vec![(manager.clone(), node_id)];
    let made = async {
        let (swarm_id, token) = swarm::worker_token(manager_engine)
            .await
            .map_err(|e| AppError::Unavailable(format!("the manager gives no join token: {e}")))?;
        let remote = std::net::SocketAddr::new(*manager_address, SWARM_PORT).to_string();
        for (server, engine, address) in &engines[1..] {
            swarm::join(engine, &remote, &token, &address.to_string())
                .await
                .map_err(|e| AppError::Unavailable(format!("the server {} cannot join the swarm: {e}", server.name)))?;
            let node = swarm::membership(engine)
                .await
                .map_err(|e| AppError::Unavailable(format!("the server {}: {e}", server.name)))?;
            joined.push((server.clone(), node.node_id.unwrap_or_default()));
        }
        Ok::<_, AppError>(swarm_id)
    }
    .await;
    let swarm_id = match made {
        Ok(id) => id,
        Err(err) => {
            for (server, engine, _) in engines.iter().rev() {
                if joined.iter().any(|(s, _)| s.id == server.id) {
                    if let Err(left) = swarm::leave(engine).await {
                        tracing::warn!(server = %server.name, error = %left, "could not leave the half-made swarm");
                    }
                }
            }
            return Err(err);
        }
    };
    let now = Utc::now();
    let cluster = clusters::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        name: Set(name.as_str().into()),
        manager_server_id: Set(manager.id.clone()),
        edge_server_id: Set(edge_id),
        build_server_id: Set(input.build_server_id.filter(|b| *b != manager.id)),
        swarm_id: Set(Some(swarm_id)),
        registry_url: Set(None),
        registry_username: Set(None),
        registry_password_ciphertext: Set(None),
        registry_password_nonce: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    for (server, node_id) in joined {
        set_membership(db, server, Some((&cluster.id, &node_id))).await?;
    }
    Ok(cluster)
}

/// Joins one more server to the cluster as a worker.
#[instrument(skip_all)]
pub async fn add_node(
    db: &DatabaseConnection,
    places: &Places,
    cluster_id: &str,
    server_id: &str,
) -> AppResult<servers::Model> {
    let cluster = get(db, cluster_id).await?;
    let server = candidate(db, "serverId", server_id).await?;
    let engine = places.engine_of(&server).await.map_err(AppError::Unavailable)?;
    let address = advertise_address("serverId", &server, &places.config().public_addresses).await?;
    let state = swarm::membership(&engine)
        .await
        .map_err(|e| AppError::Unavailable(format!("the server {}: {e}", server.name)))?;
    if state.state != "inactive" {
        return Err(AppError::bad_input(
            "serverId",
            format!("the server {}'s Docker engine is already part of a swarm", server.name),
        ));
    }
    let (manager_server, manager_engine) = manager(db, places, &cluster).await?;
    let manager_address = advertise_address("clusterId", &manager_server, &places.config().public_addresses).await?;
    let (_, token) = swarm::worker_token(&manager_engine)
        .await
        .map_err(|e| AppError::Unavailable(format!("the manager gives no join token: {e}")))?;
    let remote = std::net::SocketAddr::new(manager_address, SWARM_PORT).to_string();
    swarm::join(&engine, &remote, &token, &address.to_string())
        .await
        .map_err(|e| AppError::Unavailable(format!("the server {} cannot join the swarm: {e}", server.name)))?;
    let node = swarm::membership(&engine)
        .await
        .map_err(|e| AppError::Unavailable(format!("the server {}: {e}", server.name)))?;
    set_membership(db, server, Some((&cluster.id, &node.node_id.unwrap_or_default()))).await
}

/// Takes a worker out of the cluster: drained (its tasks move first), then it leaves the swarm
/// and the manager forgets it. An engine that no longer answers is forgotten all the same.
#[instrument(skip_all)]
pub async fn remove_node(
    db: &DatabaseConnection,
    places: &Places,
    cluster_id: &str,
    server_id: &str,
) -> AppResult<servers::Model> {
    let cluster = get(db, cluster_id).await?;
    let server = crate::services::servers::get(db, server_id).await?;
    if server.cluster_id.as_deref() != Some(cluster.id.as_str()) {
        return Err(AppError::bad_input("serverId", "is not a member of this cluster"));
    }
    if server.id == cluster.manager_server_id {
        return Err(AppError::bad_input(
            "serverId",
            "the manager cannot leave its cluster: delete the cluster instead",
        ));
    }
    if server.id == cluster.edge_server_id {
        return Err(AppError::bad_input("serverId", "the cluster's edge cannot leave it"));
    }
    let (_, manager_engine) = manager(db, places, &cluster).await?;
    if let Some(node_id) = &server.swarm_node_id {
        swarm::update_node(&manager_engine, node_id, Some("drain"), None)
            .await
            .map_err(|e| AppError::Unavailable(format!("cannot drain the node: {e}")))?;
    }
    match places.engine_despite_status(&server).await {
        Ok(engine) => {
            if let Err(err) = swarm::leave(&engine).await {
                tracing::warn!(server = %server.name, error = %err, "the node did not leave the swarm; removed from it anyway");
            }
        }
        Err(err) => {
            tracing::warn!(server = %server.name, error = %err, "the node is out of reach; removed from the swarm anyway")
        }
    }
    if let Some(node_id) = &server.swarm_node_id {
        // A node that just left shows `down` for a moment; forced removal does not wait.
        swarm::remove_node(&manager_engine, node_id)
            .await
            .map_err(|e| AppError::Unavailable(format!("the manager cannot forget the node: {e}")))?;
    }
    if cluster.build_server_id.as_deref() == Some(server.id.as_str()) {
        // Its builds go back to the manager.
        set_build_server(db, &cluster.id, None).await?;
    }
    set_membership(db, server, None).await
}

/// Chooses the member that builds each deployment's image (`None`: the manager).
#[instrument(skip_all)]
pub async fn set_build_server(
    db: &DatabaseConnection,
    cluster_id: &str,
    server_id: Option<&str>,
) -> AppResult<clusters::Model> {
    let cluster = get(db, cluster_id).await?;
    if let Some(id) = server_id {
        let member = crate::services::servers::get(db, id)
            .await
            .ok()
            .is_some_and(|s| s.cluster_id.as_deref() == Some(cluster.id.as_str()));
        if !member {
            return Err(AppError::bad_input(
                "buildServerId",
                "must be one of the cluster's servers",
            ));
        }
    }
    let manager = cluster.manager_server_id.clone();
    let mut active: clusters::ActiveModel = cluster.into();
    active.build_server_id = Set(server_id.filter(|id| *id != manager).map(str::to_string));
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// The member that builds the cluster's images.
pub fn build_server_id(cluster: &clusters::Model) -> &str {
    cluster.build_server_id.as_deref().unwrap_or(&cluster.manager_server_id)
}

/// Sets a node's availability (`active`, `pause`, `drain`) and/or replaces its labels.
#[instrument(skip_all)]
pub async fn update_node(
    db: &DatabaseConnection,
    places: &Places,
    cluster_id: &str,
    node_id: &str,
    availability: Option<&str>,
    labels: Option<Vec<(String, String)>>,
) -> AppResult<()> {
    let cluster = get(db, cluster_id).await?;
    let labels = match labels {
        Some(labels) => Some(checked_labels(labels)?),
        None => None,
    };
    let (_, engine) = manager(db, places, &cluster).await?;
    let known = swarm::nodes(&engine)
        .await
        .map_err(|e| AppError::Unavailable(format!("the manager does not list its nodes: {e}")))?;
    if !known.iter().any(|n| n.id == node_id) {
        return Err(AppError::bad_input("nodeId", "no node of this cluster has this id"));
    }
    swarm::update_node(&engine, node_id, availability, labels)
        .await
        .map_err(|e| AppError::Unavailable(format!("cannot update the node: {e}")))
}

/// Deletes the cluster: refused while applications run on it; every service Ployer made there
/// is removed, the workers leave, then the manager (the swarm ends).
#[instrument(skip_all)]
pub async fn delete(db: &DatabaseConnection, places: &Places, id: &str) -> AppResult<()> {
    let cluster = get(db, id).await?;
    let apps: Vec<String> = applications::Entity::find()
        .filter(applications::Column::ClusterId.eq(cluster.id.clone()))
        .order_by_asc(applications::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect();
    if !apps.is_empty() {
        return Err(AppError::Conflict(format!(
            "applications run on this cluster: {}; move or delete them first",
            apps.join(", ")
        )));
    }
    let members = members(db, &cluster).await?;
    if let Ok((_, engine)) = manager(db, places, &cluster).await {
        for (service, _, _) in swarm::managed_services(&engine).await.unwrap_or_default() {
            if let Err(err) = swarm::remove_service(&engine, &service).await {
                tracing::warn!(service, error = %err, "could not remove a service of the cluster");
            }
        }
    }
    // Workers first: the manager's leaving ends the swarm.
    for server in members.iter().rev() {
        match places.engine_despite_status(server).await {
            Ok(engine) => {
                if let Err(err) = swarm::leave(&engine).await {
                    return Err(AppError::Unavailable(format!(
                        "the server {} did not leave the swarm: {err}",
                        server.name
                    )));
                }
            }
            Err(err) => {
                tracing::warn!(server = %server.name, error = %err, "out of reach: it keeps its swarm state until it leaves")
            }
        }
        set_membership(db, server.clone(), None).await?;
    }
    clusters::Entity::delete_by_id(cluster.id).exec(db).await?;
    Ok(())
}

/// What an admin sets as a cluster's registry.
pub struct RegistryInput {
    pub url: String,
    pub username: String,
    pub password: String,
}

/// A cluster's registry with its credentials opened, for a deployment.
pub struct Registry {
    pub url: String,
    pub credentials: bollard::auth::DockerCredentials,
}

const MAX_REGISTRY_FIELD: usize = 1024;

/// Sets (or with `None` removes) the registry the cluster's deployments push their image to and
/// its nodes pull from; the password is sealed and never returned.
#[instrument(skip_all)]
pub async fn set_registry(
    db: &DatabaseConnection,
    crypto: &crate::crypto::Crypto,
    cluster_id: &str,
    registry: Option<RegistryInput>,
) -> AppResult<clusters::Model> {
    let cluster = get(db, cluster_id).await?;
    let mut active: clusters::ActiveModel = cluster.clone().into();
    match registry {
        None => {
            active.registry_url = Set(None);
            active.registry_username = Set(None);
            active.registry_password_ciphertext = Set(None);
            active.registry_password_nonce = Set(None);
        }
        Some(input) => {
            let url = registry_url(&input.url)?;
            for (field, value) in [("username", &input.username), ("password", &input.password)] {
                if value.is_empty() || value.len() > MAX_REGISTRY_FIELD || value.chars().any(char::is_control) {
                    return Err(AppError::bad_input(
                        field,
                        format!("must be 1-{MAX_REGISTRY_FIELD} characters, none of them control characters"),
                    ));
                }
            }
            let sealed = crypto.seal(
                input.password.as_bytes(),
                crate::crypto::Binding::RegistryPassword {
                    cluster_id: &cluster.id,
                },
            )?;
            active.registry_url = Set(Some(url));
            active.registry_username = Set(Some(input.username));
            active.registry_password_ciphertext = Set(Some(sealed.ciphertext));
            active.registry_password_nonce = Set(Some(sealed.nonce));
        }
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// The cluster's registry with its password opened; `None` without one.
pub fn registry(crypto: &crate::crypto::Crypto, cluster: &clusters::Model) -> AppResult<Option<Registry>> {
    let (Some(url), Some(username), Some(ciphertext), Some(nonce)) = (
        &cluster.registry_url,
        &cluster.registry_username,
        &cluster.registry_password_ciphertext,
        &cluster.registry_password_nonce,
    ) else {
        return Ok(None);
    };
    let password = crypto.open_string(
        ciphertext,
        nonce,
        crate::crypto::Binding::RegistryPassword {
            cluster_id: &cluster.id,
        },
    )?;
    let server = url.split('/').next().unwrap_or(url).to_string();
    Ok(Some(Registry {
        url: url.clone(),
        credentials: bollard::auth::DockerCredentials {
            username: Some(username.clone()),
            password: Some(password),
            serveraddress: Some(server),
            ..Default::default()
        },
    }))
}

/// A registry as image references name it: `host[:port]` and an optional path of lower-case
/// components (`registry.example.com:5000/team`), no scheme.
pub fn registry_url(raw: &str) -> AppResult<String> {
    let bad = |why: &str| AppError::bad_input("url", format!("{raw:?}: {why}"));
    let raw = raw.trim().trim_end_matches('/');
    if raw.contains("://") {
        return Err(bad("give the registry as host[:port][/path], without a scheme"));
    }
    let (authority, path) = raw.split_once('/').unwrap_or((raw, ""));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if crate::validate::Host::parse("url", host).is_err() {
        return Err(bad("the host is not a host name or an IP address"));
    }
    if let Some(port) = port {
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return Err(bad("the port must be 1-65535"));
        }
    }
    let component = |c: &str| {
        !c.is_empty()
            && c.len() <= 128
            && c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
    };
    if !path.is_empty() && !path.split('/').all(component) {
        return Err(bad(
            "each path component is lower-case letters, digits, '.', '_' or '-'",
        ));
    }
    Ok(raw.to_string())
}

/// A server that may join a cluster: validated when remote, in no cluster yet.
async fn candidate(db: &DatabaseConnection, field: &'static str, id: &str) -> AppResult<servers::Model> {
    let server = match crate::services::servers::get(db, id).await {
        Ok(server) => server,
        Err(AppError::NotFound(_)) => return Err(AppError::bad_input(field, format!("no server has the id {id}"))),
        Err(err) => return Err(err),
    };
    if let Some(cluster) = &server.cluster_id {
        let name = get(db, cluster).await.map(|c| c.name).unwrap_or_default();
        return Err(AppError::bad_input(
            field,
            format!("the server {} is already a member of the cluster {name}", server.name),
        ));
    }
    if !server.is_local && server.host_key_fingerprint.is_none() {
        return Err(AppError::bad_input(
            field,
            format!(
                "the server {} has not been validated yet: validate it first",
                server.name
            ),
        ));
    }
    Ok(server)
}

/// The address a member advertises to the others: its host, resolved when a name; for this
/// machine (whose host is its own name, often a loopback address), the first of its
/// `public_addresses`. A loopback address is refused: the other nodes could not reach it.
async fn advertise_address(field: &'static str, server: &servers::Model, public: &[IpAddr]) -> AppResult<IpAddr> {
    if server.is_local {
        return public.first().copied().ok_or_else(|| {
            AppError::bad_input(
                field,
                "this machine joins a cluster at its public address: set `public_addresses` in Ployer's configuration first",
            )
        });
    }
    let address = match server.host.parse::<IpAddr>() {
        Ok(ip) => ip,
        Err(_) => tokio::net::lookup_host((server.host.as_str(), 0))
            .await
            .ok()
            .and_then(|mut found| found.next())
            .map(|a| a.ip())
            .ok_or_else(|| {
                AppError::bad_input(
                    field,
                    format!("the server {}'s host {} does not resolve", server.name, server.host),
                )
            })?,
    };
    if address.is_loopback() || address.is_unspecified() {
        return Err(AppError::bad_input(
            field,
            format!(
                "the server {}'s host {} is {address}, which the other nodes cannot reach: give it an address they can",
                server.name, server.host
            ),
        ));
    }
    Ok(address)
}

async fn set_membership(
    db: &DatabaseConnection,
    server: servers::Model,
    membership: Option<(&str, &str)>,
) -> AppResult<servers::Model> {
    let mut active: servers::ActiveModel = server.into();
    active.cluster_id = Set(membership.map(|(c, _)| c.to_string()));
    active.swarm_node_id = Set(membership.map(|(_, n)| n.to_string()).filter(|n| !n.is_empty()));
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Node labels as the engine takes them, or `BAD_USER_INPUT` on `labels` naming the bad one.
pub fn checked_labels(labels: Vec<(String, String)>) -> AppResult<HashMap<String, String>> {
    let mut checked = HashMap::new();
    for (key, value) in labels {
        if key.is_empty()
            || key.len() > MAX_LABEL_KEY
            || !key.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return Err(AppError::bad_input(
                "labels",
                format!("the key {key:?} must be 1-{MAX_LABEL_KEY} letters, digits, dots, dashes or underscores"),
            ));
        }
        if value.len() > MAX_LABEL_VALUE || value.chars().any(char::is_control) {
            return Err(AppError::bad_input(
                "labels",
                format!(
                    "the value of {key} must be at most {MAX_LABEL_VALUE} characters, none of them control characters"
                ),
            ));
        }
        if checked.insert(key.clone(), value).is_some() {
            return Err(AppError::bad_input("labels", format!("the key {key} is given twice")));
        }
    }
    Ok(checked)
}

/// An application's placement constraints, each `<field> == <value>` or `!=`, with the fields
/// swarm knows (`node.id`, `node.hostname`, `node.role`, `node.platform.os`,
/// `node.platform.arch`, `node.labels.<key>`, `engine.labels.<key>`).
pub fn checked_constraints(constraints: &[String]) -> AppResult<Vec<String>> {
    if constraints.len() > MAX_CONSTRAINTS {
        return Err(AppError::bad_input(
            "placementConstraints",
            format!("at most {MAX_CONSTRAINTS} constraints"),
        ));
    }
    constraints
        .iter()
        .map(|raw| {
            let bad = |why: &str| AppError::bad_input("placementConstraints", format!("{raw:?}: {why}"));
            let (field, value, op) = match (raw.split_once("!="), raw.split_once("==")) {
                (Some((f, v)), None) => (f, v, "!="),
                (None, Some((f, v))) => (f, v, "=="),
                _ => return Err(bad("must be <field>==<value> or <field>!=<value>")),
            };
            let (field, value) = (field.trim(), value.trim());
            let label = field
                .strip_prefix("node.labels.")
                .or_else(|| field.strip_prefix("engine.labels."));
            let known = matches!(
                field,
                "node.id" | "node.hostname" | "node.role" | "node.platform.os" | "node.platform.arch"
            ) || label.is_some_and(|key| {
                !key.is_empty() && key.len() <= MAX_LABEL_KEY && key.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            });
            if !known {
                return Err(bad("the field must be node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<key> or engine.labels.<key>"));
            }
            if value.is_empty()
                || value.len() > MAX_LABEL_VALUE
                || !value.chars().all(|c| c.is_ascii_alphanumeric() || "._-:".contains(c))
            {
                return Err(bad("the value must be letters, digits, dots, dashes, underscores or colons"));
            }
            Ok(format!("{field}{op}{value}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_are_normalised_or_refused_naming_the_one() {
        let ok = checked_constraints(&["node.labels.zone == a".into(), "node.role!=manager".into()]).unwrap();
        assert_eq!(ok, vec!["node.labels.zone==a", "node.role!=manager"]);
        for bad in [
            "node.labels.zone",
            "node.labels.==a",
            "container.name==x",
            "node.labels.zone==a b",
            "node.labels.zone==$(x)",
            "node.role==",
            "node.labels.a==b==c",
        ] {
            let err = checked_constraints(&[bad.to_string()]).expect_err(bad);
            assert_eq!(err.code(), "BAD_USER_INPUT", "{bad}");
            assert!(err.message().contains(bad), "{bad}: {}", err.message());
        }
        let many: Vec<String> = (0..21).map(|i| format!("node.labels.k{i}==v")).collect();
        assert!(checked_constraints(&many).is_err());
    }

    #[test]
    fn registry_urls_are_host_port_and_path_without_a_scheme() {
        assert_eq!(registry_url("registry.example.com").unwrap(), "registry.example.com");
        assert_eq!(registry_url("10.231.0.1:5000/team/").unwrap(), "10.231.0.1:5000/team");
        for bad in [
            "https://registry.example.com",
            "registry.example.com:0",
            "registry.example.com:99999",
            "registry.example.com/Team",
            "bad host",
            "",
            "host//x",
        ] {
            let err = registry_url(bad).expect_err(bad);
            assert_eq!(err.code(), "BAD_USER_INPUT", "{bad}");
        }
    }

    #[test]
    fn labels_are_checked_key_by_key() {
        let ok = checked_labels(vec![
            ("zone".into(), "a".into()),
            ("ployer-test".into(), "yes please".into()),
        ])
        .unwrap();
        assert_eq!(ok["ployer-test"], "yes please");
        for (key, value) in [("", "v"), ("a b", "v"), ("k", "line\nbreak"), ("k{", "v")] {
            let err = checked_labels(vec![(key.into(), value.into())]).expect_err(key);
            assert_eq!(err.code(), "BAD_USER_INPUT");
        }
        assert!(checked_labels(vec![("k".into(), "1".into()), ("k".into(), "2".into())]).is_err());
    }
}
