//! The engine's own account of its containers, networks, volumes and images coming, going
//! and changing (`GET /events`), shared by every listener: one stream from the engine while
//! anyone listens, none while nobody does. A stream that ends (the engine restarting, the
//! socket going away) is opened again after a pause, from the moment the last one ended, so
//! what happened in between still arrives when the engine remembers it.
//!
//! Only what changes a list an admin looks at is passed on: a shell's `exec_*`, `top`,
//! `attach` and the like are dropped here. This module reports; it decides nothing.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use bollard::models::{EventMessage, EventMessageTypeEnum};
use chrono::{DateTime, TimeZone, Utc};
use futures::StreamExt;
use tokio::{
    sync::broadcast::{self, error::RecvError},
    task::JoinHandle,
};

use super::Engine;

/// Events one listener may fall behind by before it misses some (it then carries on with
/// the newest).
const CAPACITY: usize = 256;
/// Pauses between attempts to open the stream again: doubling from the first to the last.
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LAST_RETRY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Container,
    Network,
    Volume,
    Image,
}

impl ObjectKind {
    fn engine_name(self) -> &'static str {
        match self {
            Self::Container => "container",
            Self::Network => "network",
            Self::Volume => "volume",
            Self::Image => "image",
        }
    }

    /// The actions that change what an admin sees of an object of this kind.
    fn relevant(self, action: &str) -> bool {
        match self {
            Self::Container => matches!(
                action,
                "create"
                    | "start"
                    | "restart"
                    | "stop"
                    | "die"
                    | "kill"
                    | "oom"
                    | "pause"
                    | "unpause"
                    | "rename"
                    | "update"
                    | "destroy"
                    | "health_status"
            ),
            Self::Network => matches!(action, "create" | "connect" | "disconnect" | "destroy" | "remove"),
            Self::Volume => matches!(action, "create" | "mount" | "unmount" | "destroy"),
            Self::Image => matches!(
                action,
                "pull" | "tag" | "untag" | "delete" | "import" | "load" | "prune"
            ),
        }
    }
}

/// One thing that happened to an object on the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineEvent {
    pub kind: ObjectKind,
    /// The engine's word, without what some add after a colon (`health_status: healthy`
    /// is `health_status`).
    pub action: String,
    /// The container's or network's id, the volume's name, the image's id or reference.
    pub id: String,
    /// The container's or network's name, the image's reference, when the engine says.
    pub name: Option<String>,
    pub at: DateTime<Utc>,
    /// Nanoseconds since the epoch, as the engine stamped it.
    time_nano: i64,
}

impl EngineEvent {
    /// The event, or `None` for one no list shows (another kind, an exec, a `top`…).
    pub fn from_message(message: EventMessage) -> Option<Self> {
        let kind = match message.typ? {
            EventMessageTypeEnum::CONTAINER => ObjectKind::Container,
            EventMessageTypeEnum::NETWORK => ObjectKind::Network,
            EventMessageTypeEnum::VOLUME => ObjectKind::Volume,
            EventMessageTypeEnum::IMAGE => ObjectKind::Image,
            _ => return None,
        };
        let raw = message.action?;
        let action = raw.split(':').next().unwrap_or_default().trim().to_string();
        if !kind.relevant(&action) {
            return None;
        }
        let actor = message.actor?;
        let id = actor.id.filter(|id| !id.is_empty())?;
        let name = actor
            .attributes
            .and_then(|mut attributes| attributes.remove("name"))
            .filter(|name| !name.is_empty() && *name != id);
        let time_nano = message
            .time_nano
            .or_else(|| message.time.map(|t| t.saturating_mul(1_000_000_000)))
            .unwrap_or_else(|| Utc::now().timestamp_nanos_opt().unwrap_or_default());
        Some(Self {
            kind,
            action,
            id,
            name,
            at: Utc.timestamp_nanos(time_nano),
            time_nano,
        })
    }
}

/// The shared stream. Cheap to clone.
#[derive(Clone)]
pub struct EngineEvents {
    engine: Engine,
    running: Arc<Mutex<Option<Running>>>,
}

struct Running {
    sender: broadcast::Sender<Arc<EngineEvent>>,
    task: JoinHandle<()>,
    listeners: usize,
}

impl EngineEvents {
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            running: Arc::default(),
        }
    }

    /// A listener to every event from now on; the first one opens the engine's stream.
    pub fn listen(&self) -> Listener {
        let mut running = self.lock();
        let running = running.get_or_insert_with(|| {
            let sender = broadcast::channel(CAPACITY).0;
            // From the moment it is asked for: what happens while the stream opens counts.
            let since = Utc::now().timestamp_nanos_opt().unwrap_or_default();
            let task = tokio::spawn(pump(self.engine.clone(), sender.clone(), since));
            Running {
                sender,
                task,
                listeners: 0,
            }
        });
        running.listeners += 1;
        Listener {
            receiver: running.sender.subscribe(),
            hub: self.clone(),
        }
    }

    /// Whether the engine's stream is open (someone listens).
    pub fn is_open(&self) -> bool {
        self.lock().is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Running>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One listener; dropping the last one closes the engine's stream.
pub struct Listener {
    receiver: broadcast::Receiver<Arc<EngineEvent>>,
    hub: EngineEvents,
}

impl Listener {
    /// The next event; `Lagged` when this listener fell behind and missed some.
    pub async fn recv(&mut self) -> Result<Arc<EngineEvent>, RecvError> {
        self.receiver.recv().await
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let mut running = self.hub.lock();
        if let Some(open) = running.as_mut() {
            open.listeners = open.listeners.saturating_sub(1);
            if open.listeners == 0 {
                open.task.abort();
                *running = None;
            }
        }
    }
}

/// Reads the engine's stream into `sender` for as long as it is not aborted: from `since`
/// (nanoseconds since the epoch), then, whenever it ends, again from just after the last
/// event it passed on (the engine replays what it still holds since then).
async fn pump(engine: Engine, sender: broadcast::Sender<Arc<EngineEvent>>, mut since: i64) {
    let filters = std::collections::HashMap::from([(
        "type",
        [
            ObjectKind::Container,
            ObjectKind::Network,
            ObjectKind::Volume,
            ObjectKind::Image,
        ]
        .map(ObjectKind::engine_name)
        .to_vec(),
    )]);
    let mut retry = FIRST_RETRY;
    loop {
        if let Some(docker) = engine.client() {
            let options = bollard::query_parameters::EventsOptionsBuilder::new()
                .filters(&filters)
                .since(&engine_time(since))
                .build();
            let mut events = docker.events(Some(options));
            while let Some(item) = events.next().await {
                match item {
                    Ok(message) => {
                        retry = FIRST_RETRY;
                        let Some(event) = EngineEvent::from_message(message) else {
                            continue;
                        };
                        since = since.max(event.time_nano + 1);
                        // No receiver left is the last listener leaving: it aborts this task.
                        let _ = sender.send(Arc::new(event));
                    }
                    Err(err) => {
                        tracing::debug!(error = %err, "the Docker event stream failed");
                        break;
                    }
                }
            }
            tracing::debug!(
                retry_ms = retry.as_millis() as u64,
                "the Docker event stream ended; opening it again"
            );
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(LAST_RETRY);
    }
}

/// Nanoseconds since the epoch as the engine's `since` takes them: `seconds.nanoseconds`.
fn engine_time(nanos: i64) -> String {
    format!(
        "{}.{:09}",
        nanos.div_euclid(1_000_000_000),
        nanos.rem_euclid(1_000_000_000)
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use bollard::models::EventActor;

    use super::*;

    fn message(typ: EventMessageTypeEnum, action: &str, id: &str, name: Option<&str>) -> EventMessage {
        EventMessage {
            typ: Some(typ),
            action: Some(action.into()),
            actor: Some(EventActor {
                id: Some(id.into()),
                attributes: Some(
                    name.map(|n| HashMap::from([("name".to_string(), n.to_string())]))
                        .unwrap_or_default(),
                ),
            }),
            scope: None,
            time: Some(1_700_000_000),
            time_nano: Some(1_700_000_000_123_456_789),
        }
    }

    #[test]
    fn lifecycle_events_pass_with_their_object_and_time() {
        let event = EngineEvent::from_message(message(EventMessageTypeEnum::CONTAINER, "start", "abc", Some("web")))
            .expect("a start passes");
        assert_eq!(event.kind, ObjectKind::Container);
        assert_eq!(event.action, "start");
        assert_eq!(event.id, "abc");
        assert_eq!(event.name.as_deref(), Some("web"));
        assert_eq!(event.at.timestamp_subsec_nanos(), 123_456_789);

        let health = EngineEvent::from_message(message(
            EventMessageTypeEnum::CONTAINER,
            "health_status: healthy",
            "abc",
            None,
        ))
        .expect("a health change passes");
        assert_eq!(health.action, "health_status");

        let volume = EngineEvent::from_message(message(EventMessageTypeEnum::VOLUME, "create", "data", None))
            .expect("a volume passes");
        assert_eq!(
            (volume.kind, volume.id.as_str(), volume.name),
            (ObjectKind::Volume, "data", None)
        );
        let untag = EngineEvent::from_message(message(
            EventMessageTypeEnum::IMAGE,
            "untag",
            "sha256:1",
            Some("sha256:1"),
        ))
        .expect("an untag passes");
        assert_eq!(untag.name, None, "a name that only repeats the id is left out");
    }

    #[test]
    fn what_no_list_shows_is_dropped() {
        for (typ, action) in [
            (EventMessageTypeEnum::CONTAINER, "exec_create: sh -c secret"),
            (EventMessageTypeEnum::CONTAINER, "exec_die"),
            (EventMessageTypeEnum::CONTAINER, "top"),
            (EventMessageTypeEnum::CONTAINER, "attach"),
            (EventMessageTypeEnum::IMAGE, "push"),
            (EventMessageTypeEnum::DAEMON, "reload"),
            (EventMessageTypeEnum::PLUGIN, "enable"),
        ] {
            assert_eq!(
                EngineEvent::from_message(message(typ, action, "x", None)),
                None,
                "{typ:?} {action}"
            );
        }
        let mut anonymous = message(EventMessageTypeEnum::CONTAINER, "start", "", None);
        assert_eq!(EngineEvent::from_message(anonymous.clone()), None, "no id");
        anonymous.actor = None;
        assert_eq!(EngineEvent::from_message(anonymous), None, "no actor");
    }

    #[test]
    fn engine_times_are_seconds_and_nanoseconds() {
        assert_eq!(engine_time(1_700_000_000_000_000_001), "1700000000.000000001");
        assert_eq!(engine_time(5), "0.000000005");
    }

    #[tokio::test]
    async fn the_stream_is_open_while_someone_listens_and_closed_after_the_last_leaves() {
        let events = EngineEvents::new(Engine::new("unix:///tmp/ployer-no-such-engine.sock"));
        assert!(!events.is_open());
        let first = events.listen();
        let second = events.clone().listen();
        assert!(events.is_open());
        drop(first);
        assert!(events.is_open(), "one still listens");
        drop(second);
        assert!(!events.is_open());
        let again = events.listen();
        assert!(events.is_open(), "a new listener opens it again");
        drop(again);
        assert!(!events.is_open());
    }
}
