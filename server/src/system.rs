//! Live figures of the machine Ployer runs on (sysinfo) plus whether the Docker engine
//! answers. One sampler is shared: CPU usage is a delta between two refreshes, so the
//! `System` is kept between calls and refreshed at most once per `MIN_INTERVAL`.

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use sysinfo::{CpuRefreshKind, Disks, MemoryRefreshKind, RefreshKind, System};

const MIN_INTERVAL: Duration = Duration::from_millis(500);
const DOCKER_PING_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone)]
pub struct HostStats {
    pub cpu_percent: f64,
    pub cpu_count: usize,
    pub load_average: [f64; 3],
    pub memory_used_bytes: u64,
    pub memory_total_bytes: u64,
    pub disk_used_bytes: u64,
    pub disk_total_bytes: u64,
    pub uptime_seconds: u64,
    pub docker_reachable: bool,
    pub docker_version: Option<String>,
    pub sampled_at: DateTime<Utc>,
}

struct Cached {
    system: System,
    refreshed: Instant,
}

pub struct HostSampler {
    cached: Mutex<Cached>,
    data_dir: PathBuf,
    docker: crate::docker::Engine,
}

impl HostSampler {
    pub fn new(data_dir: &Path, docker: crate::docker::Engine) -> Self {
        let system = System::new_with_specifics(
            RefreshKind::nothing()
                .with_cpu(CpuRefreshKind::nothing().with_cpu_usage())
                .with_memory(MemoryRefreshKind::nothing().with_ram()),
        );
        Self {
            cached: Mutex::new(Cached {
                system,
                refreshed: Instant::now(),
            }),
            data_dir: data_dir.canonicalize().unwrap_or_else(|_| data_dir.to_path_buf()),
            docker,
        }
    }

    pub async fn sample(&self) -> HostStats {
        let (docker_reachable, docker_version) = self.docker_status().await;
        let (cpu_percent, cpu_count, memory_used_bytes, memory_total_bytes) = {
            let mut cached = self.cached.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if cached.refreshed.elapsed() >= MIN_INTERVAL {
                cached.system.refresh_cpu_usage();
                cached
                    .system
                    .refresh_memory_specifics(MemoryRefreshKind::nothing().with_ram());
                cached.refreshed = Instant::now();
            }
            let s = &cached.system;
            (
                f64::from(s.global_cpu_usage()),
                s.cpus().len(),
                s.used_memory(),
                s.total_memory(),
            )
        };
        let load = System::load_average();
        let (disk_used_bytes, disk_total_bytes) = self.disk_usage();
        HostStats {
            cpu_percent: (cpu_percent * 10.0).round() / 10.0,
            cpu_count,
            load_average: [load.one, load.five, load.fifteen],
            memory_used_bytes,
            memory_total_bytes,
            disk_used_bytes,
            disk_total_bytes,
            uptime_seconds: System::uptime(),
            docker_reachable,
            docker_version,
            sampled_at: Utc::now(),
        }
    }

    /// The file system holding the data dir: the mount point that is its longest prefix.
    fn disk_usage(&self) -> (u64, u64) {
        let disks = Disks::new_with_refreshed_list();
        disks
            .list()
            .iter()
            .filter(|d| self.data_dir.starts_with(d.mount_point()))
            .max_by_key(|d| d.mount_point().as_os_str().len())
            .map(|d| (d.total_space().saturating_sub(d.available_space()), d.total_space()))
            .unwrap_or((0, 0))
    }

    async fn docker_status(&self) -> (bool, Option<String>) {
        let Some(docker) = &self.docker.client() else {
            return (false, None);
        };
        match tokio::time::timeout(DOCKER_PING_TIMEOUT, docker.version()).await {
            Ok(Ok(version)) => (true, version.version),
            _ => (false, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn samples_report_plausible_figures() {
        let sampler = HostSampler::new(Path::new("."), crate::docker::Engine::new("/nonexistent/docker.sock"));
        tokio::time::sleep(MIN_INTERVAL).await;
        let stats = sampler.sample().await;
        assert!(stats.memory_total_bytes > 0);
        assert!(stats.memory_used_bytes <= stats.memory_total_bytes);
        assert!((0.0..=100.0).contains(&stats.cpu_percent));
        assert!(stats.cpu_count >= 1);
        assert!(stats.disk_total_bytes > 0 && stats.disk_used_bytes <= stats.disk_total_bytes);
        assert!(stats.uptime_seconds > 0);
        assert!(!stats.docker_reachable);
    }
}
