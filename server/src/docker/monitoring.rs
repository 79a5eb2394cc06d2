//! What the monitor asks of the engine: who owns a container, and one resource sample of it
//! (restarts go through `resources::restart`). The engine's stats document is reduced here
//! to the figures Ployer stores, so the rest of the server never sees bollard's types (or
//! cgroup v1/v2 differences).

use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptions;
use bollard::Docker;
use chrono::{DateTime, Utc};
use futures::StreamExt;

use super::{check_container_id, DockerError, LABEL_APP, LABEL_MANAGED};

/// Who a container belongs to, as its labels say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The full container id.
    pub id: String,
    /// Labelled `ployer.managed=true`.
    pub managed: bool,
    /// The `ployer.app` label.
    pub app_id: Option<String>,
}

/// `None` when the engine has no such container (`id` may be a prefix or a name).
#[tracing::instrument(skip_all, fields(container = %id))]
pub async fn owner(docker: &Docker, id: &str) -> Result<Option<Owner>, DockerError> {
    check_container_id(id)?;
    let inspected = match docker.inspect_container(id, None).await.map_err(DockerError::from) {
        Ok(inspected) => inspected,
        Err(DockerError::NotFound(_)) => return Ok(None),
        Err(err) => return Err(err),
    };
    let labels = inspected.config.and_then(|c| c.labels).unwrap_or_default();
    Ok(Some(Owner {
        id: inspected.id.unwrap_or_else(|| id.to_string()),
        managed: labels.get(LABEL_MANAGED).is_some_and(|v| v == "true"),
        app_id: labels.get(LABEL_APP).cloned(),
    }))
}

/// Cumulative counters of one container as the engine read them. CPU is a counter too: a
/// percentage needs two readings (`cpu_percent`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Reading {
    /// CPU time the container used since it started, in nanoseconds.
    pub cpu_total_ns: u64,
    /// CPU time the whole host used, in nanoseconds (same clock as `cpu_total_ns`).
    pub system_ns: u64,
    pub online_cpus: u32,
    /// The engine's previous reading (zero for a one-shot read).
    pub pre_cpu_total_ns: u64,
    pub pre_system_ns: u64,
    /// Memory in use without the page cache the kernel can drop (as `docker stats` shows).
    pub memory_used_bytes: u64,
    pub memory_limit_bytes: u64,
    pub network_rx_bytes: u64,
    pub network_tx_bytes: u64,
    pub block_read_bytes: u64,
    pub block_write_bytes: u64,
    pub read_at: DateTime<Utc>,
}

impl Reading {
    /// CPU used between `earlier` and this reading, in percent of one core (a container
    /// busy on two cores shows 200). `None` when there is nothing to compare with or the
    /// counters went backwards (the container restarted).
    pub fn cpu_percent_since(&self, earlier_total_ns: u64, earlier_system_ns: u64) -> Option<f64> {
        if earlier_system_ns == 0 || self.system_ns <= earlier_system_ns || self.cpu_total_ns < earlier_total_ns {
            return None;
        }
        let cpu = (self.cpu_total_ns - earlier_total_ns) as f64;
        let system = (self.system_ns - earlier_system_ns) as f64;
        Some(cpu / system * f64::from(self.online_cpus.max(1)) * 100.0)
    }

    /// CPU between the engine's own two readings (a read that was not one-shot).
    pub fn cpu_percent(&self) -> Option<f64> {
        self.cpu_percent_since(self.pre_cpu_total_ns, self.pre_system_ns)
    }
}

/// One reading. `one_shot` answers at once with no previous reading; otherwise the engine
/// waits for its next collection (about a second) and fills the previous one in.
#[tracing::instrument(skip_all, fields(container = %id, one_shot))]
pub async fn read_stats(docker: &Docker, id: &str, one_shot: bool) -> Result<Reading, DockerError> {
    check_container_id(id)?;
    let options = StatsOptions {
        stream: false,
        one_shot,
    };
    let mut stream = docker.stats(id, Some(options));
    match stream.next().await {
        Some(response) => Ok(reading(response?)),
        None => Err(DockerError::Other(format!("the engine sent no stats for {id}"))),
    }
}

fn reading(stats: ContainerStatsResponse) -> Reading {
    let cpu = stats.cpu_stats.unwrap_or_default();
    let pre = stats.precpu_stats.unwrap_or_default();
    let total = |c: &bollard::models::ContainerCpuStats| c.cpu_usage.as_ref().and_then(|u| u.total_usage).unwrap_or(0);
    let online_cpus = cpu
        .online_cpus
        .filter(|n| *n > 0)
        .or_else(|| {
            cpu.cpu_usage
                .as_ref()
                .and_then(|u| u.percpu_usage.as_ref())
                .map(|per| u32::try_from(per.len()).unwrap_or(1))
        })
        .unwrap_or(1);
    let memory = stats.memory_stats.unwrap_or_default();
    let usage = memory.usage.unwrap_or(0);
    // What `docker stats` subtracts: inactive file pages on cgroup v1 (`total_inactive_file`)
    // and v2 (`inactive_file`), the whole cache on engines that report only that.
    let reclaimable = memory
        .stats
        .as_ref()
        .and_then(|s| {
            s.get("total_inactive_file")
                .or_else(|| s.get("inactive_file"))
                .or_else(|| s.get("cache"))
                .copied()
        })
        .filter(|cache| *cache < usage)
        .unwrap_or(0);
    let (rx, tx) = stats
        .networks
        .unwrap_or_default()
        .values()
        .fold((0u64, 0u64), |(rx, tx), n| {
            (
                rx.saturating_add(n.rx_bytes.unwrap_or(0)),
                tx.saturating_add(n.tx_bytes.unwrap_or(0)),
            )
        });
    let (read, write) = stats
        .blkio_stats
        .and_then(|b| b.io_service_bytes_recursive)
        .unwrap_or_default()
        .iter()
        .fold((0u64, 0u64), |(read, write), entry| {
            let value = entry.value.unwrap_or(0);
            match entry.op.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("read") => (read.saturating_add(value), write),
                Some("write") => (read, write.saturating_add(value)),
                _ => (read, write),
            }
        });
    Reading {
        cpu_total_ns: total(&cpu),
        system_ns: cpu.system_cpu_usage.unwrap_or(0),
        online_cpus,
        pre_cpu_total_ns: total(&pre),
        pre_system_ns: pre.system_cpu_usage.unwrap_or(0),
        memory_used_bytes: usage - reclaimable,
        memory_limit_bytes: memory.limit.unwrap_or(0),
        network_rx_bytes: rx,
        network_tx_bytes: tx,
        block_read_bytes: read,
        block_write_bytes: write,
        read_at: Utc::now(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Docker 20.10 (cgroup v1) answers for a one-shot read, trimmed.
    const ONE_SHOT: &str = r#"{
        "read": "2026-11-27T16:19:52.287922247Z", "preread": "0001-01-01T00:00:00Z",
        "blkio_stats": { "io_service_bytes_recursive": [
            {"major": 8, "minor": 0, "op": "Read", "value": 4096},
            {"major": 8, "minor": 0, "op": "Write", "value": 100},
            {"major": 8, "minor": 16, "op": "read", "value": 1000},
            {"major": 8, "minor": 0, "op": "Total", "value": 4196}
        ] },
        "cpu_stats": { "cpu_usage": { "total_usage": 39037584, "percpu_usage": [24954995, 14082589] },
            "system_cpu_usage": 20485820000000, "online_cpus": 2 },
        "precpu_stats": { "cpu_usage": { "total_usage": 0 } },
        "memory_stats": { "usage": 2502656, "limit": 8000000000,
            "stats": { "cache": 1994752, "total_inactive_file": 958464 } },
        "networks": { "eth0": { "rx_bytes": 500, "tx_bytes": 70 }, "eth1": { "rx_bytes": 5, "tx_bytes": 1 } }
    }"#;

    #[test]
    fn a_stats_document_becomes_a_reading() {
        let stats: ContainerStatsResponse = serde_json::from_str(ONE_SHOT).unwrap();
        let r = reading(stats);
        assert_eq!(r.cpu_total_ns, 39_037_584);
        assert_eq!(r.system_ns, 20_485_820_000_000);
        assert_eq!(r.online_cpus, 2);
        assert_eq!(
            r.memory_used_bytes,
            2_502_656 - 958_464,
            "inactive file pages are not counted"
        );
        assert_eq!(r.memory_limit_bytes, 8_000_000_000);
        assert_eq!((r.network_rx_bytes, r.network_tx_bytes), (505, 71));
        assert_eq!((r.block_read_bytes, r.block_write_bytes), (5096, 100));
        assert_eq!(r.cpu_percent(), None, "a one-shot read has no previous reading");
    }

    #[test]
    fn cpu_percent_is_the_share_of_host_time_times_the_cores() {
        let r = Reading {
            cpu_total_ns: 1_500,
            system_ns: 10_000,
            online_cpus: 2,
            ..Default::default()
        };
        // 1000 ns of container time in 8000 ns of host time (all cores) on 2 cores: 25 %.
        assert_eq!(r.cpu_percent_since(500, 2_000), Some(25.0));
        assert_eq!(r.cpu_percent_since(2_000, 2_000), None, "the counter went backwards");
        assert_eq!(r.cpu_percent_since(0, 0), None);
        assert_eq!(r.cpu_percent_since(500, 10_000), None);
    }

    #[test]
    fn a_missing_document_part_reads_as_zero() {
        let stats: ContainerStatsResponse = serde_json::from_str("{}").unwrap();
        let r = reading(stats);
        assert_eq!((r.memory_used_bytes, r.network_rx_bytes, r.online_cpus), (0, 0, 1));
    }
}
