//! Deployment logs: every line is stored (batched inserts) and then published to live
//! subscribers with its stored id as sequence number. A subscriber first listens, then
//! replays what is stored, then follows, skipping ids it has seen: no gap, no duplicate.
//! Secret values are redacted before a line is stored or published.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use entities::deployment_logs;
pub use entities::deployment_logs::LogStream;
use futures::Stream;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use tokio::sync::{broadcast, mpsc};

use crate::ids::DeploymentId;
use crate::{error::AppResult, redact::redact};

const FLUSH_EVERY: Duration = Duration::from_millis(100);
const MAX_BATCH: usize = 500;
/// Batches held for live subscribers. Small on purpose: a chatty build would otherwise keep
/// hundreds of thousands of lines in memory, and a subscriber that falls behind reads what it
/// missed from the database.
const LIVE_CAPACITY: usize = 16;
const REPLAY_PAGE: u64 = 1000;
/// Longest line kept; longer ones are cut (a build can print anything).
const MAX_LINE: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub seq: i64,
    pub stream: LogStream,
    pub line: String,
    pub at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone)]
enum Live {
    Lines(Arc<Vec<LogLine>>),
    End,
}

/// Live channels per deployment in progress.
#[derive(Clone, Default)]
pub struct LogHub {
    live: Arc<Mutex<HashMap<DeploymentId, broadcast::Sender<Live>>>>,
}

impl LogHub {
    fn sender(&self, deployment_id: &DeploymentId) -> broadcast::Sender<Live> {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.entry(deployment_id.clone())
            .or_insert_with(|| broadcast::channel(LIVE_CAPACITY).0)
            .clone()
    }

    /// Ends the live stream of a deployment, so its subscribers complete: called once its final
    /// status is stored (a subscriber that reads a status still in progress meanwhile gets this
    /// end), or for one that will never run (cancelled or superseded while queued).
    pub fn close(&self, deployment_id: &DeploymentId) {
        if let Some(sender) = self
            .live
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(deployment_id)
        {
            let _ = sender.send(Live::End);
        }
    }

    /// Starts a writer for one deployment. Lines sent to the returned sink are redacted (of the
    /// values given to [`LogWriter::also_redact`] so far), stored in batches and then published.
    pub fn open(&self, db: DatabaseConnection, deployment_id: &DeploymentId) -> LogSink {
        let (tx, rx) = mpsc::channel::<Entry>(4096);
        let live = self.sender(deployment_id);
        let id = deployment_id.clone();
        let task = tokio::spawn(write_loop(db, id.clone(), rx, live));
        LogSink {
            tx,
            task: Some(task),
            secrets: Secrets::default(),
            hub: self.clone(),
            deployment_id: id,
        }
    }

    /// Stored lines after `after`, then live ones until the deployment's log ends. `finished`
    /// says whether the deployment has already ended (then only stored lines are replayed).
    pub fn follow(
        &self,
        db: DatabaseConnection,
        deployment_id: DeploymentId,
        after: i64,
        finished: impl std::future::Future<Output = bool> + Send + 'static,
    ) -> impl Stream<Item = AppResult<LogLine>> + Send + 'static {
        // Subscribe before reading what is stored: whatever is stored later arrives live.
        // A deployment still queued gets its channel now; its pipeline writes into it later.
        let mut live = Some(self.sender(&deployment_id).subscribe());
        let hub = self.clone();
        async_stream::try_stream! {
            let done = finished.await;
            if done {
                live = None;
                hub.live.lock().unwrap_or_else(|p| p.into_inner()).remove(&deployment_id);
            }
            let mut last = after;
            loop {
                let page = stored(&db, &deployment_id, last, REPLAY_PAGE).await?;
                let full = page.len() as u64 == REPLAY_PAGE;
                for line in page {
                    last = line.seq;
                    yield line;
                }
                if !full {
                    break;
                }
            }
            let Some(mut live) = live else { return };
            loop {
                match live.recv().await {
                    Ok(Live::Lines(lines)) => {
                        for line in lines.iter() {
                            if line.seq > last {
                                last = line.seq;
                                yield line.clone();
                            }
                        }
                    }
                    // Fell behind: what was missed is stored; read it from there.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        loop {
                            let page = stored(&db, &deployment_id, last, REPLAY_PAGE).await?;
                            let full = page.len() as u64 == REPLAY_PAGE;
                            for line in page {
                                last = line.seq;
                                yield line;
                            }
                            if !full {
                                break;
                            }
                        }
                    }
                    Ok(Live::End) | Err(broadcast::error::RecvError::Closed) => {
                        for line in stored(&db, &deployment_id, last, i64::MAX as u64).await? {
                            yield line;
                        }
                        break;
                    }
                }
            }
        }
    }
}

/// Stored lines of a deployment with seq > `after`, oldest first.
pub async fn stored(
    db: &DatabaseConnection,
    deployment_id: &DeploymentId,
    after: i64,
    limit: u64,
) -> AppResult<Vec<LogLine>> {
    let rows = deployment_logs::Entity::find()
        .filter(deployment_logs::Column::DeploymentId.eq(deployment_id.as_str()))
        .filter(deployment_logs::Column::Id.gt(after))
        .order_by_asc(deployment_logs::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| LogLine {
            seq: r.id,
            stream: r.stream,
            line: r.line,
            at: r.created_at,
        })
        .collect())
}

async fn write_loop(
    db: DatabaseConnection,
    deployment_id: DeploymentId,
    mut rx: mpsc::Receiver<Entry>,
    live: broadcast::Sender<Live>,
) {
    let mut batch: Vec<(LogStream, String)> = Vec::new();
    let mut ticker = tokio::time::interval(FLUSH_EVERY);
    loop {
        tokio::select! {
            item = rx.recv() => match item {
                Some(Entry::Line(stream, line)) => {
                    batch.push((stream, line));
                    if batch.len() >= MAX_BATCH {
                        flush(&db, &deployment_id, &mut batch, &live).await;
                    }
                }
                Some(Entry::Finish(done)) => {
                    flush(&db, &deployment_id, &mut batch, &live).await;
                    let _ = done.send(());
                    return;
                }
                None => {
                    flush(&db, &deployment_id, &mut batch, &live).await;
                    return;
                }
            },
            _ = ticker.tick() => {
                if !batch.is_empty() {
                    flush(&db, &deployment_id, &mut batch, &live).await;
                }
            }
        }
    }
}

async fn flush(
    db: &DatabaseConnection,
    deployment_id: &DeploymentId,
    batch: &mut Vec<(LogStream, String)>,
    live: &broadcast::Sender<Live>,
) {
    while !batch.is_empty() {
        let take = batch.len().min(MAX_BATCH);
        let chunk: Vec<(LogStream, String)> = batch.drain(..take).collect();
        let now = Utc::now();
        let rows = chunk.iter().map(|(stream, line)| deployment_logs::ActiveModel {
            id: Default::default(),
            deployment_id: Set(deployment_id.to_string()),
            stream: Set(*stream),
            line: Set(line.clone()),
            created_at: Set(now),
        });
        // One INSERT: SQLite serialises writers, so the rows get consecutive ids ending at
        // the last insert id.
        match deployment_logs::Entity::insert_many(rows).exec(db).await {
            Ok(result) => {
                let last = result.last_insert_id;
                let first = last - chunk.len() as i64 + 1;
                let lines: Vec<LogLine> = chunk
                    .into_iter()
                    .enumerate()
                    .map(|(i, (stream, line))| LogLine {
                        seq: first + i as i64,
                        stream,
                        line,
                        at: now,
                    })
                    .collect();
                let _ = live.send(Live::Lines(Arc::new(lines)));
            }
            Err(err) => tracing::error!(error = %err, %deployment_id, "cannot store deployment log lines"),
        }
    }
}

enum Entry {
    Line(LogStream, String),
    /// Store what is buffered, end the live stream, then acknowledge.
    Finish(tokio::sync::oneshot::Sender<()>),
}

/// The values one deployment's lines are redacted of, shared by its sink and writers; a
/// value decrypted later in the pipeline (the git token) joins them before it is used.
#[derive(Clone, Default)]
struct Secrets(Arc<std::sync::RwLock<Vec<String>>>);

impl Secrets {
    fn add(&self, values: impl IntoIterator<Item = String>) {
        let mut secrets = self.0.write().unwrap_or_else(|p| p.into_inner());
        secrets.extend(values.into_iter().filter(|s| s.len() >= 4));
        // Longest first, so a secret containing another is redacted whole.
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
    }

    fn redact(&self, text: &str) -> String {
        redact(text, &self.0.read().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Where the pipeline writes; lines are redacted on the way in.
pub struct LogSink {
    tx: mpsc::Sender<Entry>,
    task: Option<tokio::task::JoinHandle<()>>,
    secrets: Secrets,
    hub: LogHub,
    deployment_id: DeploymentId,
}

impl Drop for LogSink {
    /// A sink dropped without [`LogSink::finish`] (its pipeline panicked) ends the live stream
    /// itself, so no subscriber waits for ever.
    fn drop(&mut self) {
        if self.task.is_some() {
            self.hub.close(&self.deployment_id);
        }
    }
}

impl LogSink {
    /// `text` with this deployment's secret values replaced, as its log lines have them (for
    /// the failure reason, which an error message may have built from a secret).
    pub fn redact(&self, text: &str) -> String {
        self.secrets.redact(text)
    }

    pub fn writer(&self) -> LogWriter {
        LogWriter {
            tx: self.tx.clone(),
            secrets: self.secrets.clone(),
        }
    }

    /// Stores everything written so far. Writers still around afterwards write into the void.
    /// The live stream stays open until [`LogHub::close`], once the final status is stored.
    pub async fn finish(mut self) {
        let (done, acknowledged) = tokio::sync::oneshot::channel();
        if self.tx.send(Entry::Finish(done)).await.is_ok() {
            let _ = acknowledged.await;
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

#[derive(Clone)]
pub struct LogWriter {
    tx: mpsc::Sender<Entry>,
    secrets: Secrets,
}

impl LogWriter {
    /// Redacts `values` too from every line written from now on (and from the failure reason).
    pub fn also_redact(&self, values: impl IntoIterator<Item = String>) {
        self.secrets.add(values);
    }

    pub async fn line(&self, stream: LogStream, text: impl AsRef<str>) {
        for part in text.as_ref().lines() {
            let mut part = self.secrets.redact(part);
            if part.len() > MAX_LINE {
                let mut cut = MAX_LINE;
                while !part.is_char_boundary(cut) {
                    cut -= 1;
                }
                part.truncate(cut);
                part.push('…');
            }
            let _ = self.tx.send(Entry::Line(stream, part)).await;
        }
    }

    pub async fn system(&self, text: impl AsRef<str>) {
        self.line(LogStream::System, text).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{deploy::Status, test_support};

    /// A database holding application `a` and its deployment `d` in `status`, and a hub.
    async fn deployment_d(status: Status) -> (tempfile::TempDir, DatabaseConnection, LogHub) {
        let (dir, db) = test_support::test_db().await;
        test_support::app_row(&db, "a", None).await;
        test_support::deployment_row(&db, "d", "a", status, None, 0, None).await;
        (dir, db, LogHub::default())
    }

    #[test]
    fn secrets_are_redacted_longest_first() {
        let secrets = vec!["hunter2-long".to_string(), "hunter2".to_string()];
        assert_eq!(
            redact("pw=hunter2-long and hunter2", &secrets),
            "pw=******** and ********"
        );
        assert_eq!(redact("nothing here", &secrets), "nothing here");
    }

    #[tokio::test]
    async fn a_value_added_to_a_writer_is_redacted_from_later_lines_and_the_failure_reason() {
        use futures::StreamExt;

        let (_dir, db, hub) = deployment_d(Status::Cloning).await;
        let sink = hub.open(db.clone(), &"d".into());
        let writer = sink.writer();
        writer.also_redact(["env-secret".to_string()]);
        let other = writer.clone();
        writer.line(LogStream::System, "before: glpat-token-1234").await;
        writer.also_redact(["glpat-token-1234".to_string()]);
        writer.also_redact(["glpat-token-1234".to_string(), "ab".to_string()]);
        other
            .line(LogStream::System, "after: glpat-token-1234 and env-secret")
            .await;
        assert_eq!(sink.redact("clone failed: glpat-token-1234"), "clone failed: ********");
        drop((writer, other));
        sink.finish().await;
        hub.close(&"d".into());
        let lines: Vec<String> = hub
            .follow(db, "d".into(), 0, async { true })
            .map(|line| line.unwrap().line)
            .collect()
            .await;
        assert_eq!(
            lines,
            ["before: glpat-token-1234", "after: ******** and ********"],
            "only lines written after the value was added are redacted of it"
        );
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_reads_what_it_missed_from_the_database() {
        use futures::StreamExt;

        let (_dir, db, hub) = deployment_d(Status::Building).await;
        // Subscribed before the first line, but not read until far more batches than the
        // live channel holds were published.
        let follower = hub.follow(db.clone(), "d".into(), 0, async { false });
        let sink = hub.open(db.clone(), &"d".into());
        let writer = sink.writer();
        let total = LIVE_CAPACITY * MAX_BATCH * 2;
        for n in 0..total {
            writer.line(LogStream::Stdout, format!("line {n}")).await;
        }
        drop(writer);
        sink.finish().await;
        hub.close(&"d".into());
        let lines: Vec<LogLine> = follower.map(|line| line.unwrap()).collect().await;
        assert_eq!(lines.len(), total, "every line once");
        assert!(lines.windows(2).all(|w| w[0].seq < w[1].seq), "in order");
        assert!(lines.iter().enumerate().all(|(n, l)| l.line == format!("line {n}")));
    }

    #[tokio::test]
    async fn a_subscriber_joining_between_the_last_line_and_the_final_status_completes() {
        use futures::StreamExt;

        let (_dir, db, hub) = deployment_d(Status::HealthChecking).await;
        let collect = |follower: std::pin::Pin<Box<dyn Stream<Item = AppResult<LogLine>> + Send>>| {
            tokio::spawn(follower.map(|line| line.unwrap().line).collect::<Vec<_>>())
        };
        let early = collect(Box::pin(hub.follow(db.clone(), "d".into(), 0, async { false })));
        let sink = hub.open(db.clone(), &"d".into());
        sink.writer().line(LogStream::Stdout, "the last line").await;
        sink.finish().await;
        // The log is complete but the final status not stored yet: a subscriber joining now
        // reads a status in progress, so it must get the end on the live channel, as must the
        // one that was already there.
        let late = collect(Box::pin(hub.follow(db.clone(), "d".into(), 0, async { false })));
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            !early.is_finished() && !late.is_finished(),
            "both wait until the end is published"
        );
        hub.close(&"d".into());
        for subscriber in [early, late] {
            let lines = tokio::time::timeout(Duration::from_secs(5), subscriber)
                .await
                .expect("the subscriber completes once the end is published")
                .expect("task");
            assert_eq!(lines, ["the last line"]);
        }
    }

    #[tokio::test]
    async fn a_sink_dropped_without_finishing_ends_its_live_stream() {
        use futures::StreamExt;

        let (_dir, db, hub) = deployment_d(Status::Building).await;
        let follower = hub.follow(db.clone(), "d".into(), 0, async { false });
        let sink = hub.open(db.clone(), &"d".into());
        drop(sink);
        let lines: Vec<_> = tokio::time::timeout(Duration::from_secs(5), follower.collect::<Vec<_>>())
            .await
            .expect("the subscriber completes");
        assert!(lines.is_empty());
    }
}
