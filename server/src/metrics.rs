//! What `GET /metrics` reports, in the Prometheus text format: requests (HTTP by matched route,
//! GraphQL by root field) with their latency, deployments by outcome with the duration of each
//! step, every application's health verdict and resource use, Caddy restarts and reconciler
//! repairs.
//!
//! One registry per running server (`prometheus-client`: no global recorder, so tests that
//! start many servers in one process never share counts). Every label value comes from a
//! bounded set: a route pattern (never a raw path), a schema field name (never a client's
//! operation name), an error code, a step name, an application id. The parts that describe
//! the present (health, resources) are replaced whole by their worker's round, so an
//! application that is gone stops being reported.

use std::{
    borrow::Cow,
    sync::{atomic::AtomicU64, Arc, Mutex},
    time::Duration,
};

use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric},
    metrics::{
        counter::{ConstCounter, Counter},
        family::Family,
        gauge::Gauge,
        histogram::Histogram,
    },
    registry::Registry,
};

/// The `Content-Type` of what [`Metrics::encode`] returns.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

const REQUEST_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
const STEP_BUCKETS: [f64; 11] = [0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0];

/// A label value: most are known in advance and cost no allocation on the request path.
type Label = Cow<'static, str>;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: &'static str,
    /// The matched route pattern (`/graphql`, `/webhooks/{provider}/{id}`), or `ui` for the
    /// web UI.
    route: Label,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GraphqlLabels {
    /// `query`, `mutation` or `subscription`.
    kind: &'static str,
    /// The root field (the first one when there are several), or `invalid` when the
    /// document named no field of the schema.
    operation: Label,
    /// `ok` or the first error's code.
    outcome: Label,
}

/// The router's route patterns, so that labelling a request allocates nothing.
const ROUTES: [&str; 6] = [
    "/graphql",
    "/healthz",
    "/metrics",
    "/graphql/ws",
    "/applications/{id}/terminal/ws",
    "/webhooks/{provider}/{id}",
];

/// `route` as a label: one of [`ROUTES`] borrowed, any other (a route added since) copied.
pub fn route_label(route: &str) -> Label {
    ROUTES
        .iter()
        .find(|known| **known == route)
        .map_or_else(|| Cow::Owned(route.to_string()), |known| Cow::Borrowed(*known))
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StepLabels {
    step: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AppLabels {
    application_id: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HealthLabels {
    application_id: String,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RepairLabels {
    kind: &'static str,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// A repair the reconciler made.
#[derive(Debug, Clone, Copy)]
pub enum Repair {
    /// The active container had stopped and was started again.
    Restarted,
    /// The active container was gone and was created again.
    Recreated,
    /// A managed container no deployment owns was removed.
    RemovedOrphan,
    /// Caddy's routes differed and were pushed again.
    RoutesPushed,
}

impl Repair {
    fn as_str(self) -> &'static str {
        match self {
            Self::Restarted => "restarted",
            Self::Recreated => "recreated",
            Self::RemovedOrphan => "removed_orphan",
            Self::RoutesPushed => "routes_pushed",
        }
    }
}

/// Reads how often the Caddy supervisor restarted Caddy, at each scrape.
pub type RestartCount = Arc<dyn Fn() -> u64 + Send + Sync>;

struct CaddyRestarts(Option<RestartCount>);

impl std::fmt::Debug for CaddyRestarts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaddyRestarts")
    }
}

impl Collector for CaddyRestarts {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let count = ConstCounter::new(self.0.as_ref().map_or(0, |read| read()));
        let metric = encoder.encode_descriptor(
            "ployer_caddy_restarts",
            "Times the supervisor restarted the Caddy it runs after it died",
            None,
            count.metric_type(),
        )?;
        count.encode(metric)
    }
}

pub struct Metrics {
    registry: Registry,
    http: Histograms<HttpLabels>,
    graphql: Histograms<GraphqlLabels>,
    deployments: Family<OutcomeLabels, Counter>,
    steps: Histograms<StepLabels>,
    health: Family<HealthLabels, Gauge>,
    cpu: Family<AppLabels, Gauge<f64, AtomicU64>>,
    memory: Family<AppLabels, Gauge>,
    repairs: Family<RepairLabels, Counter>,
    /// Held while a family is replaced whole, and while encoding, so a scrape never sees
    /// half a round.
    replacing: Mutex<()>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

fn request_histogram() -> Histogram {
    Histogram::new(REQUEST_BUCKETS)
}

fn step_histogram() -> Histogram {
    Histogram::new(STEP_BUCKETS)
}

impl Metrics {
    /// `caddy`: the supervisor's restart count, when Ployer runs Caddy itself.
    pub fn new(caddy: Option<RestartCount>) -> Self {
        let mut registry = Registry::default();
        let http: Histograms<HttpLabels> = Family::new_with_constructor(request_histogram);
        let graphql: Histograms<GraphqlLabels> = Family::new_with_constructor(request_histogram);
        let steps: Histograms<StepLabels> = Family::new_with_constructor(step_histogram);
        let deployments = Family::<OutcomeLabels, Counter>::default();
        let health = Family::<HealthLabels, Gauge>::default();
        let cpu = Family::<AppLabels, Gauge<f64, AtomicU64>>::default();
        let memory = Family::<AppLabels, Gauge>::default();
        let repairs = Family::<RepairLabels, Counter>::default();
        registry.register(
            "ployer_http_request_duration_seconds",
            "HTTP requests by method, matched route and status, with their latency",
            http.clone(),
        );
        registry.register(
            "ployer_graphql_request_duration_seconds",
            "GraphQL operations by kind, root field and outcome, with their latency",
            graphql.clone(),
        );
        registry.register(
            "ployer_deployments",
            "Deployments that ended, by outcome",
            deployments.clone(),
        );
        registry.register(
            "ployer_deployment_step_duration_seconds",
            "Duration of each deployment step, by step and outcome",
            steps.clone(),
        );
        registry.register(
            "ployer_application_health",
            "1 for each application's current health verdict",
            health.clone(),
        );
        registry.register(
            "ployer_application_cpu_percent",
            "CPU use of each application's containers, in percent of one core",
            cpu.clone(),
        );
        registry.register(
            "ployer_application_memory_bytes",
            "Memory used by each application's containers",
            memory.clone(),
        );
        registry.register(
            "ployer_reconciler_repairs",
            "Differences the reconciler repaired, by kind",
            repairs.clone(),
        );
        registry.register_collector(Box::new(CaddyRestarts(caddy)));
        Self {
            registry,
            http,
            graphql,
            deployments,
            steps,
            health,
            cpu,
            memory,
            repairs,
            replacing: Mutex::new(()),
        }
    }

    pub fn http_request(&self, method: &'static str, route: Label, status: u16, elapsed: Duration) {
        let labels = HttpLabels { method, route, status };
        self.http.get_or_create(&labels).observe(elapsed.as_secs_f64());
    }

    pub fn graphql_request(&self, kind: &'static str, operation: Label, outcome: Label, elapsed: Duration) {
        let labels = GraphqlLabels {
            kind,
            operation,
            outcome,
        };
        self.graphql.get_or_create(&labels).observe(elapsed.as_secs_f64());
    }

    /// A deployment ended: `running`, `failed` or `cancelled`.
    pub fn deployment_finished(&self, outcome: &'static str) {
        self.deployments.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    /// A deployment step ended: `ok`, `failed` or `cancelled`.
    pub fn deployment_step(&self, step: &'static str, outcome: &'static str, elapsed: Duration) {
        self.steps
            .get_or_create(&StepLabels { step, outcome })
            .observe(elapsed.as_secs_f64());
    }

    pub fn repaired(&self, repair: Repair) {
        self.repairs
            .get_or_create(&RepairLabels { kind: repair.as_str() })
            .inc();
    }

    /// Every monitored application's verdict, replacing the previous round's.
    pub fn set_health<'a>(&self, verdicts: impl IntoIterator<Item = (&'a str, &'static str)>) {
        let _round = self.replacing.lock().unwrap_or_else(|p| p.into_inner());
        self.health.clear();
        for (app, status) in verdicts {
            let labels = HealthLabels {
                application_id: app.to_string(),
                status,
            };
            self.health.get_or_create(&labels).set(1);
        }
    }

    /// Every running application's resource use (its containers added up), replacing the
    /// previous round's.
    pub fn set_resources<'a>(&self, samples: impl IntoIterator<Item = (&'a str, f64, i64)>) {
        let mut by_app: std::collections::HashMap<&str, (f64, i64)> = std::collections::HashMap::new();
        for (app, cpu, memory) in samples {
            let sum = by_app.entry(app).or_default();
            sum.0 += cpu;
            sum.1 = sum.1.saturating_add(memory);
        }
        let _round = self.replacing.lock().unwrap_or_else(|p| p.into_inner());
        self.cpu.clear();
        self.memory.clear();
        for (app, (cpu, memory)) in by_app {
            let labels = AppLabels {
                application_id: app.to_string(),
            };
            self.cpu.get_or_create(&labels).set(cpu);
            self.memory.get_or_create(&labels).set(memory);
        }
    }

    /// Everything, in the Prometheus text format.
    pub fn encode(&self) -> String {
        let _round = self.replacing.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::with_capacity(8 * 1024);
        if let Err(err) = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry) {
            tracing::error!(error = %err, "cannot encode the metrics");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    fn read_atomic(value: Arc<AtomicU64>) -> RestartCount {
        Arc::new(move || value.load(Ordering::Relaxed))
    }

    #[test]
    fn every_family_is_reported_with_its_labels() {
        let restarts = Arc::new(AtomicU64::new(2));
        let metrics = Metrics::new(Some(read_atomic(restarts)));
        metrics.http_request("POST", route_label("/graphql"), 200, Duration::from_millis(3));
        metrics.graphql_request("query", "me".into(), "ok".into(), Duration::from_millis(2));
        metrics.deployment_finished("running");
        metrics.deployment_step("build", "ok", Duration::from_secs(4));
        metrics.repaired(Repair::Recreated);
        metrics.set_health([("app1", "healthy")]);
        metrics.set_resources([("app1", 12.5, 1000), ("app1", 2.5, 24)]);
        let text = metrics.encode();
        for line in [
            "ployer_http_request_duration_seconds_count{method=\"POST\",route=\"/graphql\",status=\"200\"} 1",
            "ployer_graphql_request_duration_seconds_count{kind=\"query\",operation=\"me\",outcome=\"ok\"} 1",
            "ployer_deployments_total{outcome=\"running\"} 1",
            "ployer_deployment_step_duration_seconds_count{step=\"build\",outcome=\"ok\"} 1",
            "ployer_reconciler_repairs_total{kind=\"recreated\"} 1",
            "ployer_application_health{application_id=\"app1\",status=\"healthy\"} 1",
            "ployer_application_cpu_percent{application_id=\"app1\"} 15.0",
            "ployer_application_memory_bytes{application_id=\"app1\"} 1024",
            "ployer_caddy_restarts_total 2",
        ] {
            assert!(text.contains(line), "missing {line:?} in\n{text}");
        }
    }

    #[test]
    fn a_new_round_forgets_applications_that_are_gone() {
        let metrics = Metrics::new(None);
        metrics.set_health([("app1", "healthy"), ("app2", "unhealthy")]);
        metrics.set_resources([("app1", 1.0, 1), ("app2", 1.0, 1)]);
        metrics.set_health([("app2", "healthy")]);
        metrics.set_resources([("app2", 1.0, 1)]);
        let text = metrics.encode();
        assert!(!text.contains("app1"), "{text}");
        assert!(text.contains("ployer_application_health{application_id=\"app2\",status=\"healthy\"} 1"));
        assert!(!text.contains("status=\"unhealthy\""));
        assert!(text.contains("ployer_caddy_restarts_total 0"));
    }
}
