//! Every live event Ployer publishes, one broadcast channel per kind, in one hub that the
//! publishers and the subscriptions share (`AppState::events`); and the Docker engine's own
//! events, one engine stream shared by every listener ([`crate::docker::events`]). A publisher with no
//! subscriber is not an error; a subscriber that falls more than a channel's capacity behind
//! skips the oldest events (each subscription then reads the current state again).

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::{
    docker::events::{EngineEvents, Listener},
    ids::{AppId, DeliveryId, DeploymentId},
    workers::{health::HealthView, stats::Sample},
};

/// A deployment changed; subscribers of its application read the row again.
#[derive(Debug, Clone)]
pub struct DeploymentEvent {
    pub app_id: AppId,
    pub deployment_id: DeploymentId,
}

/// A webhook delivery row was written: a new one, or one processed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryEvent {
    pub app_id: AppId,
    /// The row's id (`WebhookDelivery.id`).
    pub delivery: DeliveryId,
}

/// A server's status changed (a periodic check or a validation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEvent {
    pub server_id: String,
}

/// The hub. Cheap to clone.
#[derive(Clone)]
pub struct Events {
    inner: Arc<Channels>,
}

struct Channels {
    deployments: broadcast::Sender<DeploymentEvent>,
    deliveries: broadcast::Sender<DeliveryEvent>,
    health: broadcast::Sender<HealthView>,
    stats: broadcast::Sender<Arc<Sample>>,
    servers: broadcast::Sender<ServerEvent>,
    docker: EngineEvents,
}

impl Events {
    /// The hub; `engine` is where the Docker events come from.
    pub fn new(engine: crate::docker::Engine) -> Self {
        Self {
            inner: Arc::new(Channels {
                deployments: broadcast::channel(256).0,
                deliveries: broadcast::channel(256).0,
                health: broadcast::channel(256).0,
                stats: broadcast::channel(512).0,
                servers: broadcast::channel(64).0,
                docker: EngineEvents::new(engine),
            }),
        }
    }

    /// The engine's events (containers, networks, volumes, images) from now on. The engine
    /// stream opens for the first listener and closes after the last.
    pub fn docker(&self) -> Listener {
        self.inner.docker.listen()
    }

    /// Whether the engine stream is open (someone listens).
    pub fn docker_is_open(&self) -> bool {
        self.inner.docker.is_open()
    }

    /// Every change of every deployment (status, container, port).
    pub fn deployments(&self) -> broadcast::Receiver<DeploymentEvent> {
        self.inner.deployments.subscribe()
    }

    pub(crate) fn deployment_changed(&self, app_id: &str, deployment_id: &str) {
        let _ = self.inner.deployments.send(DeploymentEvent {
            app_id: app_id.into(),
            deployment_id: deployment_id.into(),
        });
    }

    /// Webhook deliveries written from now on, of every application.
    pub fn deliveries(&self) -> broadcast::Receiver<DeliveryEvent> {
        self.inner.deliveries.subscribe()
    }

    pub(crate) fn delivery_written(&self, app_id: &str, delivery: &str) {
        let _ = self.inner.deliveries.send(DeliveryEvent {
            app_id: app_id.into(),
            delivery: delivery.into(),
        });
    }

    /// Every change of an application's health verdict (status, failures, restarts).
    pub fn health(&self) -> broadcast::Receiver<HealthView> {
        self.inner.health.subscribe()
    }

    pub(crate) fn health_changed(&self, view: HealthView) {
        let _ = self.inner.health.send(view);
    }

    /// Every resource sample of every managed container, as it is taken.
    pub fn stats(&self) -> broadcast::Receiver<Arc<Sample>> {
        self.inner.stats.subscribe()
    }

    pub(crate) fn sampled(&self, sample: Arc<Sample>) {
        let _ = self.inner.stats.send(sample);
    }

    /// Every change of a server's status.
    pub fn servers(&self) -> broadcast::Receiver<ServerEvent> {
        self.inner.servers.subscribe()
    }

    pub(crate) fn server_changed(&self, server_id: &str) {
        let _ = self.inner.servers.send(ServerEvent {
            server_id: server_id.to_string(),
        });
    }
}
