//! The stats collector: every `stats_interval_seconds` it reads one sample of each running
//! container Ployer manages (one-shot Docker stats; CPU % from the difference to the
//! previous reading of the same container), stores the samples as `raw` rows and publishes
//! them to subscribers.
//!
//! The table stays bounded: raw rows older than `stats_raw_retention_seconds` (a day) are
//! folded into one `5m` row per container and five-minute bucket, and `5m` rows older than
//! `stats_rollup_retention_seconds` (a week) are deleted. A `5m` row holds the mean CPU and
//! memory of its bucket and the counters (network, block I/O, which only grow) as they were
//! at its end. [`downsample`] takes the time as an argument, so tests can move the clock.
//!
//! It must stay cheap (it runs all the time on a small server) and never stop: Docker being
//! unreachable is logged once and sampling resumes when it answers again.

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
    time::{Duration, Instant},
};

use bollard::Docker;
use chrono::{DateTime, TimeZone, Utc};
use entities::{applications, container_stats};
use futures::{StreamExt, TryStreamExt};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use crate::{
    config::Config,
    docker::{self, monitoring::Reading, DockerError},
    error::AppResult,
    events::Events,
};

/// Seconds in one downsampled bucket.
pub const BUCKET_SECONDS: i64 = 300;
/// How often raw rows past their retention are folded into buckets.
const ROLLUP_PERIOD: Duration = Duration::from_secs(300);
/// Stats requests in flight at once (a first read of a container waits about a second).
const CONCURRENT_READS: usize = 8;
/// Rows per INSERT statement.
const INSERT_CHUNK: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// As sampled.
    Raw,
    /// Five-minute averages.
    FiveMinutes,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::FiveMinutes => "5m",
        }
    }
}

/// One container's resource use at one moment (or over one bucket).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub container_id: String,
    pub application_id: Option<String>,
    /// Percent of one core (200 is two cores busy).
    pub cpu_percent: f64,
    pub memory_used_bytes: i64,
    pub memory_limit_bytes: i64,
    /// Counters since the container started.
    pub network_rx_bytes: i64,
    pub network_tx_bytes: i64,
    pub block_read_bytes: i64,
    pub block_write_bytes: i64,
    pub sampled_at: DateTime<Utc>,
}

impl Sample {
    fn from_reading(container_id: &str, application_id: Option<String>, reading: &Reading, cpu_percent: f64) -> Self {
        let int = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Self {
            container_id: container_id.to_string(),
            application_id,
            cpu_percent,
            memory_used_bytes: int(reading.memory_used_bytes),
            memory_limit_bytes: int(reading.memory_limit_bytes),
            network_rx_bytes: int(reading.network_rx_bytes),
            network_tx_bytes: int(reading.network_tx_bytes),
            block_read_bytes: int(reading.block_read_bytes),
            block_write_bytes: int(reading.block_write_bytes),
            sampled_at: reading.read_at,
        }
    }

    fn from_row(row: container_stats::Model) -> Self {
        Self {
            container_id: row.container_id,
            application_id: row.application_id,
            cpu_percent: row.cpu_percent,
            memory_used_bytes: row.memory_used_bytes,
            memory_limit_bytes: row.memory_limit_bytes,
            network_rx_bytes: row.network_rx_bytes,
            network_tx_bytes: row.network_tx_bytes,
            block_read_bytes: row.block_read_bytes,
            block_write_bytes: row.block_write_bytes,
            sampled_at: row.sampled_at,
        }
    }

    fn row(&self, resolution: Resolution) -> container_stats::ActiveModel {
        use sea_orm::ActiveValue::{NotSet, Set};
        container_stats::ActiveModel {
            id: NotSet,
            application_id: Set(self.application_id.clone()),
            container_id: Set(self.container_id.clone()),
            resolution: Set(resolution.as_str().into()),
            cpu_percent: Set(self.cpu_percent),
            memory_used_bytes: Set(self.memory_used_bytes),
            memory_limit_bytes: Set(self.memory_limit_bytes),
            network_rx_bytes: Set(self.network_rx_bytes),
            network_tx_bytes: Set(self.network_tx_bytes),
            block_read_bytes: Set(self.block_read_bytes),
            block_write_bytes: Set(self.block_write_bytes),
            sampled_at: Set(self.sampled_at),
        }
    }
}

/// How long each resolution is kept.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub raw: chrono::Duration,
    pub rollup: chrono::Duration,
}

impl Retention {
    pub fn from_config(config: &Config) -> Self {
        let seconds = |s: u64| chrono::Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1000));
        Self {
            raw: seconds(config.stats_raw_retention_seconds),
            rollup: seconds(config.stats_rollup_retention_seconds),
        }
    }
}

/// The start of the bucket `at` falls in.
pub fn bucket_start(at: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = at.timestamp().div_euclid(BUCKET_SECONDS) * BUCKET_SECONDS;
    Utc.timestamp_opt(seconds, 0).single().unwrap_or(at)
}

/// Folds samples into one per container and bucket.
#[derive(Default)]
struct Buckets {
    buckets: BTreeMap<(DateTime<Utc>, String), Bucket>,
}

struct Bucket {
    application_id: Option<String>,
    count: u32,
    cpu: f64,
    memory: f64,
    last: Sample,
}

impl Buckets {
    fn add(&mut self, sample: Sample) {
        let key = (bucket_start(sample.sampled_at), sample.container_id.clone());
        match self.buckets.get_mut(&key) {
            Some(bucket) => {
                bucket.count += 1;
                bucket.cpu += sample.cpu_percent;
                bucket.memory += sample.memory_used_bytes as f64;
                if sample.sampled_at >= bucket.last.sampled_at {
                    bucket.last = sample;
                }
            }
            None => {
                self.buckets.insert(
                    key,
                    Bucket {
                        application_id: sample.application_id.clone(),
                        count: 1,
                        cpu: sample.cpu_percent,
                        memory: sample.memory_used_bytes as f64,
                        last: sample,
                    },
                );
            }
        }
    }

    /// One sample per bucket, stamped with the bucket's start, in time order.
    fn finish(self) -> Vec<Sample> {
        self.buckets
            .into_iter()
            .map(|((start, container_id), b)| Sample {
                container_id,
                application_id: b.application_id,
                cpu_percent: b.cpu / f64::from(b.count),
                memory_used_bytes: (b.memory / f64::from(b.count)).round() as i64,
                memory_limit_bytes: b.last.memory_limit_bytes,
                network_rx_bytes: b.last.network_rx_bytes,
                network_tx_bytes: b.last.network_tx_bytes,
                block_read_bytes: b.last.block_read_bytes,
                block_write_bytes: b.last.block_write_bytes,
                sampled_at: start,
            })
            .collect()
    }
}

/// What one downsampling pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Downsampled {
    pub buckets_written: u64,
    pub raw_deleted: u64,
    pub rollups_deleted: u64,
}

/// Folds raw rows older than the raw retention (as of `now`, rounded down to a bucket
/// boundary so no bucket is split) into five-minute rows, deletes them, and deletes
/// five-minute rows older than the rollup retention. The changes are one transaction.
pub async fn downsample(db: &DatabaseConnection, now: DateTime<Utc>, retention: Retention) -> AppResult<Downsampled> {
    let cutoff = bucket_start(now - retention.raw);
    let oldest_kept = now - retention.rollup;
    // Read first, outside the transaction: SQLite refuses a transaction that reads and then
    // writes while another connection wrote in between (the collector inserts all the
    // time). Rows newer than `last_id` were not read and are left alone.
    let last_id: Option<i64> = container_stats::Entity::find()
        .select_only()
        .expr(sea_orm::sea_query::Expr::col(container_stats::Column::Id).max())
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    let Some(last_id) = last_id else {
        return Ok(Downsampled::default());
    };
    let mut buckets = Buckets::default();
    {
        // Rows that would be deleted with their bucket anyway are not averaged.
        let mut rows = container_stats::Entity::find()
            .filter(container_stats::Column::Resolution.eq(Resolution::Raw.as_str()))
            .filter(container_stats::Column::Id.lte(last_id))
            .filter(container_stats::Column::SampledAt.lt(cutoff))
            .filter(container_stats::Column::SampledAt.gte(bucket_start(oldest_kept)))
            .stream(db)
            .await?;
        while let Some(row) = rows.try_next().await? {
            buckets.add(Sample::from_row(row));
        }
    }
    let folded: Vec<Sample> = buckets
        .finish()
        .into_iter()
        .filter(|s| s.sampled_at >= oldest_kept)
        .collect();
    let mut report = Downsampled {
        buckets_written: folded.len() as u64,
        ..Default::default()
    };
    // Writes only, so the transaction waits for the write lock like any other writer.
    let txn = db.begin().await?;
    insert(&txn, &folded, Resolution::FiveMinutes).await?;
    report.raw_deleted = container_stats::Entity::delete_many()
        .filter(container_stats::Column::Resolution.eq(Resolution::Raw.as_str()))
        .filter(container_stats::Column::Id.lte(last_id))
        .filter(container_stats::Column::SampledAt.lt(cutoff))
        .exec(&txn)
        .await?
        .rows_affected;
    report.rollups_deleted = container_stats::Entity::delete_many()
        .filter(container_stats::Column::Resolution.eq(Resolution::FiveMinutes.as_str()))
        .filter(container_stats::Column::SampledAt.lt(oldest_kept))
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(report)
}

async fn insert<C: ConnectionTrait>(db: &C, samples: &[Sample], resolution: Resolution) -> AppResult<()> {
    for chunk in samples.chunks(INSERT_CHUNK) {
        container_stats::Entity::insert_many(chunk.iter().map(|s| s.row(resolution)))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// An application's samples between `from` and `to`, oldest first, at the resolution the
/// range calls for: raw when `from` is within the raw retention, five-minute averages
/// otherwise (stored ones, and the raw ones of the last day folded on the fly).
pub async fn series(
    db: &DatabaseConnection,
    app_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    retention: Retention,
) -> AppResult<(Resolution, Vec<Sample>)> {
    let rows = |resolution: Resolution, from: DateTime<Utc>| {
        container_stats::Entity::find()
            .filter(container_stats::Column::ApplicationId.eq(app_id))
            .filter(container_stats::Column::Resolution.eq(resolution.as_str()))
            .filter(container_stats::Column::SampledAt.gte(from))
            .filter(container_stats::Column::SampledAt.lte(to))
            .order_by_asc(container_stats::Column::SampledAt)
            .order_by_asc(container_stats::Column::Id)
    };
    if from >= now - retention.raw {
        let samples = rows(Resolution::Raw, from).all(db).await?;
        return Ok((Resolution::Raw, samples.into_iter().map(Sample::from_row).collect()));
    }
    let mut samples: Vec<Sample> = rows(Resolution::FiveMinutes, from)
        .all(db)
        .await?
        .into_iter()
        .map(Sample::from_row)
        .collect();
    let mut recent = Buckets::default();
    // Whole buckets only: the one `from` falls in starts before it.
    let mut raw = rows(Resolution::Raw, bucket_start(from)).stream(db).await?;
    while let Some(row) = raw.try_next().await? {
        recent.add(Sample::from_row(row));
    }
    drop(raw);
    samples.extend(
        recent
            .finish()
            .into_iter()
            .filter(|s| s.sampled_at >= bucket_start(from)),
    );
    samples.sort_by(|a, b| {
        a.sampled_at
            .cmp(&b.sampled_at)
            .then_with(|| a.container_id.cmp(&b.container_id))
    });
    Ok((Resolution::FiveMinutes, samples))
}

/// The previous CPU counters of a container, for the next percentage.
#[derive(Debug, Clone, Copy)]
struct Previous {
    cpu_total_ns: u64,
    system_ns: u64,
}

pub struct Collector {
    db: DatabaseConnection,
    docker: docker::Engine,
    config: Arc<Config>,
    events: Events,
    metrics: Arc<crate::metrics::Metrics>,
    previous: HashMap<String, Previous>,
    docker_down: bool,
    /// The remote servers, whose applications' containers are sampled over SSH.
    places: Option<Arc<crate::places::Places>>,
}

impl Collector {
    pub fn new(
        db: DatabaseConnection,
        docker: docker::Engine,
        config: Arc<Config>,
        events: Events,
        metrics: Arc<crate::metrics::Metrics>,
    ) -> Self {
        Self {
            db,
            docker,
            config,
            events,
            metrics,
            previous: HashMap::new(),
            docker_down: false,
            places: None,
        }
    }

    /// Also samples the containers on the remote servers in use.
    pub fn with_places(mut self, places: Arc<crate::places::Places>) -> Self {
        self.places = Some(places);
        self
    }

    /// Runs for ever.
    pub async fn run(mut self) {
        let period = Duration::from_secs(self.config.stats_interval_seconds.max(1));
        let mut ticker = tokio::time::interval(period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut rolled_up: Option<Instant> = None;
        loop {
            ticker.tick().await;
            if let Err(err) = self.pass().await {
                tracing::warn!(error = ?err, "stats collector: a pass failed; retrying next time");
            }
            if rolled_up.is_none_or(|at| at.elapsed() >= ROLLUP_PERIOD) {
                rolled_up = Some(Instant::now());
                let retention = Retention::from_config(&self.config);
                match downsample(&self.db, Utc::now(), retention).await {
                    Ok(report) => tracing::debug!(?report, "stats downsampled"),
                    Err(err) => tracing::warn!(error = ?err, "stats collector: downsampling failed"),
                }
            }
        }
    }

    /// Samples every running managed container once, stores and publishes the samples.
    async fn pass(&mut self) -> AppResult<()> {
        let mut listed: Vec<(bollard::Docker, Vec<docker::ManagedContainer>)> = Vec::new();
        // No socket (yet): ask again each pass, so sampling starts when Docker does.
        match self.docker.client() {
            None => {
                if !self.docker_down {
                    tracing::warn!("stats collector: no Docker engine; sampling starts when it answers");
                    self.docker_down = true;
                }
            }
            Some(docker) => match docker::managed_containers(&docker, None).await {
                Ok(containers) => {
                    if self.docker_down {
                        tracing::info!("stats collector: the Docker engine answers again");
                        self.docker_down = false;
                    }
                    listed.push((docker, containers));
                }
                Err(err @ DockerError::Unavailable(_)) => {
                    if !self.docker_down {
                        tracing::warn!(error = %err, "stats collector: cannot list containers; sampling resumes when Docker answers");
                        self.docker_down = true;
                    }
                }
                Err(err) => return Err(err.into()),
            },
        }
        // Each remote server's engine, over its SSH connection; one out of reach is skipped
        // (its check shows it offline).
        if let Some(places) = &self.places {
            for server in places.remote_in_use().await {
                let Ok(place) = places.of_server(Some(&server.id)).await else {
                    continue;
                };
                match docker::managed_containers(place.engine(), None).await {
                    Ok(containers) => listed.push((place.engine().clone(), containers)),
                    Err(err) => {
                        tracing::debug!(server = %server.name, error = %err, "stats collector: cannot list a server's containers")
                    }
                }
            }
            // The nodes of clusters in use: each task's container, sampled where it runs.
            for server in places.cluster_nodes_in_use().await {
                let Ok(engine) = places.engine_of(&server).await else {
                    continue;
                };
                match docker::managed_containers(&engine, None).await {
                    Ok(containers) => listed.push((engine, containers)),
                    Err(err) => {
                        tracing::debug!(server = %server.name, error = %err, "stats collector: cannot list a node's containers")
                    }
                }
            }
        }
        // Containers of applications this database does not know (another Ployer on the
        // same engine, or an application being deleted) are not ours to record.
        let known: Vec<String> = applications::Entity::find()
            .select_only()
            .column(applications::Column::Id)
            .into_tuple::<String>()
            .all(&self.db)
            .await?;
        let mut seen = std::collections::HashSet::new();
        let targets: Vec<(bollard::Docker, String, String)> = listed
            .into_iter()
            .flat_map(|(docker, containers)| containers.into_iter().map(move |c| (docker.clone(), c)))
            .filter(|(_, c)| c.running)
            // Two servers can be one engine: each container once.
            .filter(|(_, c)| seen.insert(c.id.clone()))
            .filter_map(|(docker, c)| c.app_id.filter(|id| known.contains(id)).map(|app| (docker, c.id, app)))
            .collect();
        let previous = &self.previous;
        let readings: Vec<(String, String, Result<Reading, DockerError>)> = futures::stream::iter(targets)
            .map(|(docker, id, app)| {
                // The first read of a container lets the engine fill in its previous
                // reading, so even the first sample has a CPU figure.
                let one_shot = previous.contains_key(&id);
                async move {
                    let reading = docker::monitoring::read_stats(&docker, &id, one_shot).await;
                    (id, app, reading)
                }
            })
            .buffer_unordered(CONCURRENT_READS)
            .collect()
            .await;
        let mut samples = Vec::with_capacity(readings.len());
        let mut next = HashMap::with_capacity(readings.len());
        for (id, app, reading) in readings {
            let reading = match reading {
                Ok(reading) => reading,
                // Stopped or removed since the listing.
                Err(DockerError::NotFound(_)) => continue,
                Err(err) => {
                    tracing::debug!(container = %id, error = %err, "stats collector: no sample");
                    continue;
                }
            };
            let cpu = self
                .previous
                .get(&id)
                .and_then(|p| reading.cpu_percent_since(p.cpu_total_ns, p.system_ns))
                .or_else(|| reading.cpu_percent())
                .unwrap_or(0.0);
            next.insert(
                id.clone(),
                Previous {
                    cpu_total_ns: reading.cpu_total_ns,
                    system_ns: reading.system_ns,
                },
            );
            samples.push(Sample::from_reading(&id, Some(app), &reading, cpu));
        }
        self.previous = next;
        self.metrics.set_resources(samples.iter().filter_map(|s| {
            let app = s.application_id.as_deref()?;
            Some((app, s.cpu_percent, s.memory_used_bytes))
        }));
        insert(&self.db, &samples, Resolution::Raw).await?;
        for sample in samples {
            self.events.sampled(Arc::new(sample));
        }
        Ok(())
    }
}

/// Samples one container every `period` for a subscriber: first a reading that carries a
/// CPU figure, then one-shot readings compared with the one before. Ends when the container
/// is gone or Docker fails.
pub fn follow_container(
    docker: Docker,
    container_id: String,
    application_id: Option<String>,
    period: Duration,
) -> impl futures::Stream<Item = Sample> {
    async_stream::stream! {
        let mut ticker = tokio::time::interval(period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut previous: Option<Previous> = None;
        loop {
            ticker.tick().await;
            let reading = match docker::monitoring::read_stats(&docker, &container_id, previous.is_some()).await {
                Ok(reading) => reading,
                Err(err) => {
                    tracing::debug!(container = %container_id, error = %err, "container stats stream ends");
                    break;
                }
            };
            let cpu = previous
                .and_then(|p| reading.cpu_percent_since(p.cpu_total_ns, p.system_ns))
                .or_else(|| reading.cpu_percent())
                .unwrap_or(0.0);
            previous = Some(Previous { cpu_total_ns: reading.cpu_total_ns, system_ns: reading.system_ns });
            yield Sample::from_reading(&container_id, application_id.clone(), &reading, cpu);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(container: &str, at: DateTime<Utc>, cpu: f64, memory: i64, rx: i64) -> Sample {
        Sample {
            container_id: container.into(),
            application_id: None,
            cpu_percent: cpu,
            memory_used_bytes: memory,
            memory_limit_bytes: 1000,
            network_rx_bytes: rx,
            network_tx_bytes: rx / 2,
            block_read_bytes: 7,
            block_write_bytes: 8,
            sampled_at: at,
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn buckets_start_on_five_minute_boundaries() {
        let t = at(0);
        assert_eq!(bucket_start(t).timestamp() % BUCKET_SECONDS, 0);
        assert!(bucket_start(t) <= t && t - bucket_start(t) < chrono::Duration::seconds(BUCKET_SECONDS));
        assert_eq!(bucket_start(bucket_start(t)), bucket_start(t));
    }

    #[test]
    fn a_bucket_averages_gauges_and_keeps_the_last_counters() {
        let start = bucket_start(at(0));
        let mut buckets = Buckets::default();
        buckets.add(sample("a", start + chrono::Duration::seconds(10), 10.0, 100, 1));
        buckets.add(sample("a", start + chrono::Duration::seconds(200), 30.0, 300, 9));
        buckets.add(sample("a", start + chrono::Duration::seconds(100), 20.0, 200, 5));
        buckets.add(sample("b", start + chrono::Duration::seconds(10), 1.0, 1, 1));
        buckets.add(sample("a", start + chrono::Duration::seconds(310), 50.0, 500, 20));
        let out = buckets.finish();
        assert_eq!(out.len(), 3);
        let first = &out[0];
        assert_eq!((first.container_id.as_str(), first.sampled_at), ("a", start));
        assert_eq!(first.cpu_percent, 20.0);
        assert_eq!(first.memory_used_bytes, 200);
        assert_eq!(
            (first.network_rx_bytes, first.network_tx_bytes),
            (9, 4),
            "counters at the end"
        );
        assert_eq!(out[1].container_id, "b");
        assert_eq!(out[2].sampled_at, start + chrono::Duration::seconds(BUCKET_SECONDS));
    }

    #[tokio::test]
    async fn downsampling_keeps_a_day_of_raw_rows_and_a_week_of_averages() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::connect(&dir.path().join("ployer.db")).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        let now = bucket_start(at(10 * 24 * 3600));
        // Nine days of one sample a minute for one container: 12,960 raw rows.
        let minutes = 9 * 24 * 60;
        let samples: Vec<Sample> = (0..minutes)
            .map(|m| sample("c1", now - chrono::Duration::minutes(m), (m % 5) as f64, 100 + m % 5, m))
            .collect();
        insert(&db, &samples, Resolution::Raw).await.unwrap();
        let retention = Retention {
            raw: chrono::Duration::days(1),
            rollup: chrono::Duration::days(7),
        };
        let report = downsample(&db, now, retention).await.unwrap();
        let count = |resolution: Resolution| {
            let db = db.clone();
            async move {
                use sea_orm::PaginatorTrait;
                container_stats::Entity::find()
                    .filter(container_stats::Column::Resolution.eq(resolution.as_str()))
                    .count(&db)
                    .await
                    .unwrap()
            }
        };
        // One day of raw rows stays (the cutoff sample itself included).
        assert_eq!(count(Resolution::Raw).await, 24 * 60 + 1);
        // Six days between the week's edge and the cutoff, 12 buckets an hour.
        assert_eq!(count(Resolution::FiveMinutes).await, 6 * 24 * 12);
        assert_eq!(report.buckets_written, 6 * 24 * 12);
        assert_eq!(report.raw_deleted, (minutes - 24 * 60 - 1) as u64);
        // Each bucket: minutes m..m+4 hold CPU 0..4 in some order: mean 2.
        let rollup = container_stats::Entity::find()
            .filter(container_stats::Column::Resolution.eq("5m"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rollup.cpu_percent, 2.0);
        assert_eq!(rollup.memory_used_bytes, 102);

        // Again a week later: everything has aged out; nothing is left.
        let later = now + chrono::Duration::days(8);
        let report = downsample(&db, later, retention).await.unwrap();
        assert_eq!(count(Resolution::Raw).await, 0);
        assert_eq!(count(Resolution::FiveMinutes).await, 0);
        assert_eq!(report.raw_deleted, (24 * 60 + 1) as u64);
        // A second pass at the same time finds nothing to do.
        assert_eq!(downsample(&db, later, retention).await.unwrap(), Downsampled::default());
    }
}
