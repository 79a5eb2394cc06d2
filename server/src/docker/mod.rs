//! The Docker engine, through bollard only. Whoever drives Docker is root on the host, so this
//! module is the one narrow door to it: every value (image references, env vars, build args,
//! labels, commands) travels as a bollard field, and nothing here ever builds a shell command,
//! a command line or a JSON string by hand.
//!
//! It owns the mechanics the deploy pipeline and the reconciler need — stream a build context,
//! build, pull, tag, run with a loopback-only published port, stop, list what Ployer manages —
//! and nothing of the rules (which deployment is active, what to prune): those live in
//! `deploy/` and `workers/`. It must never read outside a build context, never hold a build
//! context in memory, never publish a port on anything but 127.0.0.1, never report a failed
//! build or pull as a success, and never leave a half-made container behind.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use bollard::{ClientVersion, Docker};

mod build;
mod containers;
pub mod edge;
pub mod events;
pub mod exec;
mod images;
pub mod logs;
pub mod monitoring;
pub mod resources;
pub mod swarm;
#[cfg(test)]
mod tests;

pub use build::{build_image, BuildSpec};
pub use containers::{
    container_state, inspect_running, logs_tail, managed_containers, run_container, run_job, started_at,
    stop_and_remove, ContainerSpec, ContainerState, JobSpec, ManagedContainer, MountSpec, ServiceOptions, Started,
};
pub use images::{
    ensure_image, image_exists, managed_images, pull_image, remove_image, tag_image, with_tag, ManagedImage,
};

const REQUEST_TIMEOUT_SECONDS: u64 = 120;

/// The Engine API version Ployer speaks. bollard 0.21 defaults to 1.53 and prefixes every
/// path with it; Docker 20.10 (API 1.41, the engine Debian 12 ships) answers every such
/// request with "client version 1.53 is too new", and bollard's `negotiate_version` cannot
/// help because it asks with the too-new prefix too. 1.41 is understood by every engine from
/// 20.10 to 28.x.
pub const CLIENT_API_VERSION: ClientVersion = ClientVersion {
    major_version: 1,
    minor_version: 41,
};

/// Marks everything Ployer creates; the reconciler removes what carries it and no deployment owns.
pub const LABEL_MANAGED: &str = "ployer.managed";
/// The application id a container or image belongs to.
pub const LABEL_APP: &str = "ployer.app";
/// The deployment id a container was made for (images carry it only when an earlier version
/// of Ployer built them; see [`image_labels`]).
pub const LABEL_DEPLOYMENT: &str = "ployer.deployment";

/// The Docker engine at the configured socket, shared by the whole server. The client is made
/// when first needed and made again while it cannot be (the socket does not exist yet): a
/// Ployer started before the engine — boot order, dockerd restarting — deploys, monitors and
/// answers as soon as the engine does. A missing engine shows up as "unreachable" in answers,
/// never as a failed start.
#[derive(Clone)]
pub struct Engine {
    socket: Arc<str>,
    client: Arc<Mutex<Option<Docker>>>,
    /// Whether the last attempt failed, so the warning is logged once per outage.
    missing: Arc<AtomicBool>,
}

impl Engine {
    pub fn new(socket: &str) -> Self {
        let engine = Self {
            socket: socket.into(),
            client: Arc::default(),
            missing: Arc::default(),
        };
        engine.client();
        engine
    }

    /// The socket's path, without a `unix://` scheme.
    pub fn socket_path(&self) -> &str {
        self.socket.strip_prefix("unix://").unwrap_or(&self.socket)
    }

    /// The client, or why there is none yet: an `Unavailable` naming the socket, for
    /// callers that answer a request.
    pub fn connect(&self) -> Result<Docker, DockerError> {
        self.client().ok_or_else(|| {
            DockerError::Unavailable(format!(
                "no Docker engine at {} (the socket does not exist; is dockerd running?); Ployer connects as soon as it appears",
                self.socket_path()
            ))
        })
    }

    /// The client, or `None` while the socket is missing.
    pub fn client(&self) -> Option<Docker> {
        let mut client = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if client.is_none() {
            match Docker::connect_with_unix(self.socket_path(), REQUEST_TIMEOUT_SECONDS, &CLIENT_API_VERSION) {
                Ok(docker) => {
                    if self.missing.swap(false, Ordering::Relaxed) {
                        tracing::info!(socket = %self.socket, "the Docker socket is there now");
                    }
                    *client = Some(docker);
                }
                Err(err) => {
                    if !self.missing.swap(true, Ordering::Relaxed) {
                        tracing::warn!(error = %err, socket = %self.socket, "no Docker client yet; asking again when one is needed");
                    }
                }
            }
        }
        client.clone()
    }
}

/// The three labels every container Ployer creates carries.
pub fn labels(app_id: &str, deployment_id: &str) -> HashMap<String, String> {
    let mut labels = image_labels(app_id);
    labels.insert(LABEL_DEPLOYMENT.to_string(), deployment_id.to_string());
    labels
}

/// The labels of an image Ployer builds: managed and the application, not the deployment.
/// The engine's builder turns each build label into a step of its own; one that differs per
/// deployment is never cached and costs an intermediate container on every build. A
/// deployment's image is named by its tag instead ([`image_tag`]).
pub fn image_labels(app_id: &str) -> HashMap<String, String> {
    HashMap::from([
        (LABEL_MANAGED.to_string(), "true".to_string()),
        (LABEL_APP.to_string(), app_id.to_string()),
    ])
}

/// The tag of the image built for a deployment: `ployer/<app name>:<deployment id>`.
pub fn image_tag(app_name: &str, deployment_id: &str) -> String {
    format!("ployer/{app_name}:{deployment_id}")
}

/// The deployments an image serves: its deployment label (images of earlier Ployer versions
/// carry one) and every tag [`image_tag`] made — a cached build gives a later deployment of
/// the same commit the same image under a tag of its own.
pub fn image_deployments<'a>(
    labels: impl IntoIterator<Item = (&'a String, &'a String)>,
    tags: &'a [String],
) -> Vec<String> {
    let labelled = labels
        .into_iter()
        .filter(|(k, _)| *k == LABEL_DEPLOYMENT)
        .map(|(_, v)| v.clone());
    let tagged = tags.iter().filter_map(|tag| {
        let (name, id) = tag.strip_prefix("ployer/")?.rsplit_once(':')?;
        let id = uuid::Uuid::try_parse(id).ok().filter(|_| !name.is_empty())?;
        Some(id.hyphenated().to_string())
    });
    let mut ids: Vec<String> = labelled.chain(tagged).collect();
    ids.dedup();
    ids
}

/// What can go wrong talking to Docker, in the terms the pipeline acts on.
#[derive(Debug, thiserror::Error)]
pub enum DockerError {
    /// The engine cannot be reached (socket missing, daemon down or restarting, timeout,
    /// incompatible API version). Worth a retry with backoff.
    #[error("Docker is unavailable: {0}")]
    Unavailable(String),
    /// The build failed; the text is the engine's (or the context's) error, for the deploy log.
    #[error("build failed: {0}")]
    Build(String),
    /// No such container or image.
    #[error("not found: {0}")]
    NotFound(String),
    /// The object is in use or already exists (the engine answered 409).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("Docker error: {0}")]
    Other(String),
}

impl From<bollard::errors::Error> for DockerError {
    fn from(err: bollard::errors::Error) -> Self {
        use bollard::errors::Error as E;
        match err {
            E::DockerResponseServerError {
                status_code: 404,
                message,
            } => Self::NotFound(message),
            E::DockerResponseServerError { status_code, message }
                if status_code == 400 && message.contains("client version") =>
            {
                Self::Unavailable(format!(
                    "the Docker engine speaks an incompatible API version: {message}"
                ))
            }
            E::DockerResponseServerError { status_code, message } => {
                Self::Other(format!("the Docker engine answered {status_code}: {message}"))
            }
            E::DockerStreamError { error } => Self::Other(error),
            err @ (E::SocketNotFoundError(_)
            | E::IOError { .. }
            | E::HyperLegacyError { .. }
            | E::HyperResponseError { .. }
            | E::RequestTimeoutError) => Self::Unavailable(format!(
                "the Docker engine is not reachable (is dockerd running and its socket accessible?): {err}"
            )),
            other => Self::Other(other.to_string()),
        }
    }
}

impl From<DockerError> for crate::error::AppError {
    fn from(err: DockerError) -> Self {
        match err {
            DockerError::Unavailable(m) => Self::Unavailable(format!("Docker is unavailable: {m}")),
            DockerError::NotFound(m) => Self::NotFound(m),
            DockerError::Conflict(m) => Self::Conflict(m),
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

/// bollard puts container ids and image references into the URL path unescaped (and the URL
/// parser resolves `..` segments), so a value like `x/../../containers/y` would reach another
/// endpoint. Everything that goes into a path passes this check first.
fn check_path_value(what: &str, value: &str, allow_slash: bool) -> Result<(), DockerError> {
    let allowed =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '@') || (allow_slash && c == '/');
    let bad_segment = value.split('/').any(|s| s.is_empty() || s == "." || s == "..");
    if value.is_empty() || value.len() > 512 || !value.chars().all(allowed) || bad_segment {
        return Err(DockerError::Other(format!("invalid {what}: {value:?}")));
    }
    Ok(())
}

fn check_image_ref(reference: &str) -> Result<(), DockerError> {
    check_path_value("image reference", reference, true)
}

fn check_container_id(id: &str) -> Result<(), DockerError> {
    check_path_value("container id or name", id, false)
}

/// Sends a line to a log channel; a receiver that went away never fails the operation.
async fn send_line(log: &tokio::sync::mpsc::Sender<String>, line: impl Into<String>) {
    let _ = log.send(line.into()).await;
}
