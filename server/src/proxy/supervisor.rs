//! Runs Caddy as a child process when no Caddy answers, so a bare machine with a `caddy` binary
//! needs no service setup. The child starts with an admin listener on loopback and nothing
//! else: routes are pushed afterwards, and the reconciler pushes them again after a restart.
//!
//! A Caddy that already answers at start-up is used as it is, and watched: it may be the
//! child of a Ployer that was killed (SIGKILL leaves its Caddy running, unsupervised) or a
//! service that stopped. When it stops answering and a `caddy` binary is on PATH, Ployer
//! starts its own and supervises that from then on.

use std::collections::VecDeque;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::{sleep, Instant};

use super::caddy::{admin_answers, admin_client};

/// How long a freshly started Caddy gets to answer on its admin API.
const START_TIMEOUT: Duration = Duration::from_secs(5);
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// The first restart comes quickly (routes must be back within seconds); repeated crashes back
/// off up to `MAX_BACKOFF`. A child that ran `STABLE_AFTER` resets the backoff.
const MIN_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
const STABLE_AFTER: Duration = Duration::from_secs(60);
/// On `stop`, how long Caddy gets to exit after `POST /stop` before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// Caddy's last output lines, kept for the error when it fails to start.
const KEPT_LINES: usize = 20;
/// How often a Caddy that Ployer did not start is checked, and how many checks in a row must
/// go unanswered before Ployer starts its own (a Caddy reloading answers within one).
const WATCH_INTERVAL: Duration = Duration::from_secs(1);
const WATCH_MISSES: u32 = 2;
/// The oldest Caddy Ployer starts: routes dial through the `{file.*}` placeholder (2.8) and set
/// reverse_proxy's `stream_close_delay` (2.7).
const MIN_CADDY: (u32, u32) = (2, 8);

/// The only config a supervised Caddy starts with.
#[derive(Serialize)]
struct StartConfig {
    admin: AdminConfig,
}

#[derive(Serialize)]
struct AdminConfig {
    listen: String,
}

/// Owns a Caddy child process and restarts it when it dies, or watches a Caddy it found running
/// and replaces it with a child when it stops answering. Dropping it kills the child;
/// [`CaddySupervisor::stop`] asks Caddy to exit cleanly first.
pub struct CaddySupervisor {
    admin_url: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    restarts: AtomicU32,
    /// The running child's pid, 0 while there is none.
    pid: AtomicU32,
}

/// What it takes to start (and restart) the child.
struct Launch {
    binary: PathBuf,
    /// `host:port` of the admin listener, for the start config.
    admin_listen: String,
}

/// A freshly spawned Caddy. Its start config is deleted as soon as Caddy has read it (its admin
/// API answers), so a Ployer killed with SIGKILL leaves at most a start-up's worth of files.
struct Started {
    child: Child,
    output: Arc<Mutex<VecDeque<String>>>,
    config_file: tempfile::TempPath,
}

impl CaddySupervisor {
    /// `Ok(Some(_))` when Ployer started Caddy itself and its admin API answers, or when a Caddy
    /// already answers on a loopback admin address and a `caddy` binary is on PATH to replace it
    /// should it stop (it is watched, never stopped by Ployer); `Ok(None)` when one answers and
    /// Ployer could not replace it (no binary, an admin address elsewhere); `Err` when there is
    /// no Caddy and none can be started.
    pub async fn ensure(admin_url: &str) -> anyhow::Result<Option<CaddySupervisor>> {
        let admin_url = admin_url.trim_end_matches('/').to_string();
        let client = admin_client();
        // The binary's version is checked when it is about to start, not here: a Ployer that
        // finds its Caddy running (a restart) should not pay for `caddy version`.
        let binary = find_on_path("caddy");
        if admin_answers(&client, &admin_url).await {
            // Only a Caddy on this machine's loopback can be replaced by one Ployer starts.
            let (Some(binary), Ok(admin_listen)) = (binary, admin_listen_address(&admin_url)) else {
                tracing::info!(admin = %admin_url, "using the Caddy that answers on its admin API");
                return Ok(None);
            };
            tracing::info!(admin = %admin_url, "using the Caddy that answers on its admin API; Ployer starts its own should it stop");
            let launch = Launch { binary, admin_listen };
            return Ok(Some(Self::run(None, launch, admin_url)));
        }
        let admin_listen = admin_listen_address(&admin_url)?;
        let binary = binary.ok_or_else(|| {
            anyhow!("no Caddy admin API answers at {admin_url} and there is no `caddy` binary on PATH to start one")
        })?;
        check_version(&binary).await?;
        let launch = Launch { binary, admin_listen };

        tracing::info!(binary = %launch.binary.display(), admin = %admin_url, "starting Caddy");
        let Started {
            mut child,
            output,
            config_file,
        } = launch.spawn()?;
        wait_for_admin(&mut child, &output, &client, &admin_url).await?;
        drop(config_file);
        Ok(Some(Self::run(Some(child), launch, admin_url)))
    }

    /// Supervises `child`, or with none the Caddy that answers at `admin_url`.
    fn run(child: Option<Child>, launch: Launch, admin_url: String) -> CaddySupervisor {
        let shared = Arc::new(Shared::default());
        shared
            .pid
            .store(child.as_ref().and_then(Child::id).unwrap_or(0), Ordering::SeqCst);
        let (stop_tx, stop_rx) = oneshot::channel();
        let task = tokio::spawn(supervise(child, launch, admin_url.clone(), shared.clone(), stop_rx));
        CaddySupervisor {
            admin_url,
            shared,
            stop: Some(stop_tx),
            task: Some(task),
        }
    }

    /// How many times Caddy was restarted after dying.
    pub fn restarts(&self) -> u32 {
        self.shared.restarts.load(Ordering::SeqCst)
    }

    /// Reads [`Self::restarts`] later, for as long as the reader lives (the metrics).
    pub fn restart_count(&self) -> crate::metrics::RestartCount {
        let shared = self.shared.clone();
        Arc::new(move || u64::from(shared.restarts.load(Ordering::SeqCst)))
    }

    /// Asks the Caddy Ployer started to exit (`POST /stop`), kills it if it has not within a
    /// few seconds, and ends supervision. A Caddy Ployer only watches is left running.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let owned = self.shared.pid.load(Ordering::SeqCst) != 0;
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if owned {
            tracing::info!(admin = %self.admin_url, "stopped Caddy");
        }
    }

    #[cfg(test)]
    pub(super) fn pid(&self) -> Option<u32> {
        Some(self.shared.pid.load(Ordering::SeqCst)).filter(|&pid| pid != 0)
    }
}

impl Drop for CaddySupervisor {
    fn drop(&mut self) {
        // Aborting drops the task's `Child`, and `kill_on_drop` kills the process.
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl Launch {
    fn spawn(&self) -> anyhow::Result<Started> {
        let config_file = write_start_config(&self.admin_listen)?;
        let mut child = Command::new(&self.binary)
            .arg("run")
            .arg("--config")
            .arg(&config_file)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("while starting {}", self.binary.display()))?;
        let output = Arc::new(Mutex::new(VecDeque::with_capacity(KEPT_LINES)));
        if let Some(stdout) = child.stdout.take() {
            tokio::spawn(forward_output(stdout, output.clone()));
        }
        if let Some(stderr) = child.stderr.take() {
            tokio::spawn(forward_output(stderr, output.clone()));
        }
        Ok(Started {
            child,
            output,
            config_file,
        })
    }
}

/// Fails unless `binary version` reports Caddy [`MIN_CADDY`] or newer.
pub(super) async fn check_version(binary: &Path) -> anyhow::Result<()> {
    let output = tokio::time::timeout(
        START_TIMEOUT,
        Command::new(binary).arg("version").kill_on_drop(true).output(),
    )
    .await
    .map_err(|_| anyhow!("`{} version` did not answer within {START_TIMEOUT:?}", binary.display()))?
    .with_context(|| format!("while running `{} version`", binary.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text.split_whitespace().next().unwrap_or_default();
    match parse_version(version) {
        Some(found) if found >= MIN_CADDY => Ok(()),
        _ => bail!(
            "{} is Caddy {version:?}; Ployer needs {}.{} or newer (routes read their upstream through the {{file.*}} placeholder)",
            binary.display(),
            MIN_CADDY.0,
            MIN_CADDY.1
        ),
    }
}

/// `v2.11.7` (or `2.11.7-beta.1`) → (2, 11).
pub(super) fn parse_version(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim_start_matches('v').split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Waits for the child's admin API; on failure the child is killed and its last lines reported.
async fn wait_for_admin(
    child: &mut Child,
    output: &Mutex<VecDeque<String>>,
    client: &reqwest::Client,
    admin_url: &str,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().context("while watching Caddy start")? {
            bail!(
                "Caddy exited during start-up ({status}); its last output:\n{}",
                last_lines(output)
            );
        }
        if admin_answers(client, admin_url).await {
            return Ok(());
        }
        if Instant::now() >= deadline {
            let _ = child.kill().await;
            bail!(
                "Caddy's admin API did not answer at {admin_url} within {START_TIMEOUT:?}; its last output:\n{}",
                last_lines(output)
            );
        }
        sleep(POLL_INTERVAL).await;
    }
}

/// Keeps Caddy running until `stop` fires (or its sender is dropped). With no `child`, it
/// first watches the Caddy that answers, and starts its own once that one stops answering.
async fn supervise(
    mut child: Option<Child>,
    launch: Launch,
    admin_url: String,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let client = admin_client();
    let mut backoff = MIN_BACKOFF;
    let mut started = Instant::now();
    loop {
        match child.take() {
            Some(mut running) => {
                let status = tokio::select! {
                    status = running.wait() => status,
                    _ = &mut stop => {
                        shut_down(running, &admin_url).await;
                        shared.pid.store(0, Ordering::SeqCst);
                        return;
                    }
                };
                shared.pid.store(0, Ordering::SeqCst);
                if started.elapsed() >= STABLE_AFTER {
                    backoff = MIN_BACKOFF;
                }
                match status {
                    Ok(status) => tracing::warn!(%status, ?backoff, "Caddy exited; restarting it"),
                    Err(err) => tracing::warn!(error = %err, ?backoff, "lost track of Caddy; restarting it"),
                }
            }
            None => {
                tokio::select! {
                    _ = until_unanswered(&admin_url) => {}
                    _ = &mut stop => return,
                }
                tracing::warn!(admin = %admin_url, "the Caddy Ployer did not start stopped answering; starting one");
                backoff = Duration::ZERO;
            }
        }
        // Sleep, spawn, and on a failed spawn sleep longer, until a child runs or we are stopped.
        child = loop {
            tokio::select! {
                _ = sleep(backoff) => {}
                _ = &mut stop => return,
            }
            backoff = (backoff * 2).clamp(MIN_BACKOFF, MAX_BACKOFF);
            // Another Caddy holds the admin address by now (a service that was restarting):
            // watch that one rather than fight it for the port.
            if admin_answers(&client, &admin_url).await {
                break None;
            }
            if let Err(err) = check_version(&launch.binary).await {
                tracing::warn!(error = %format!("{err:#}"), ?backoff, "not starting this Caddy; trying again");
                continue;
            }
            match launch.spawn() {
                Ok(started) => {
                    tokio::spawn(delete_once_read(started.config_file, admin_url.clone()));
                    break Some(started.child);
                }
                Err(err) => tracing::warn!(error = ?err, ?backoff, "could not restart Caddy; trying again"),
            }
        };
        if child.is_none() {
            tracing::info!(admin = %admin_url, "another Caddy answers on the admin API; watching it");
            continue;
        }
        started = Instant::now();
        shared
            .pid
            .store(child.as_ref().and_then(Child::id).unwrap_or(0), Ordering::SeqCst);
        let restarts = shared.restarts.fetch_add(1, Ordering::SeqCst) + 1;
        tracing::warn!(restarts, admin = %admin_url, "restarted Caddy (it starts empty until routes are pushed again)");
    }
}

/// Resolves once the admin API at `admin_url` has gone unanswered `WATCH_MISSES` times in a row.
async fn until_unanswered(admin_url: &str) {
    let client = admin_client();
    let mut misses = 0;
    while misses < WATCH_MISSES {
        sleep(WATCH_INTERVAL).await;
        misses = if admin_answers(&client, admin_url).await {
            0
        } else {
            misses + 1
        };
    }
}

/// Deletes a restarted Caddy's start config once its admin API answers (or start-up time is over).
async fn delete_once_read(config_file: tempfile::TempPath, admin_url: String) {
    let client = admin_client();
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline && !admin_answers(&client, &admin_url).await {
        sleep(POLL_INTERVAL).await;
    }
    drop(config_file);
}

/// `POST /stop` lets Caddy finish in-flight requests; a Caddy that does not exit is killed.
async fn shut_down(mut child: Child, admin_url: &str) {
    let asked = admin_client()
        .post(format!("{admin_url}/stop"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success());
    if asked && tokio::time::timeout(STOP_GRACE, child.wait()).await.is_ok() {
        return;
    }
    if let Err(err) = child.kill().await {
        tracing::warn!(error = %err, "could not kill Caddy");
    }
}

/// Caddy's output goes to the debug log (it logs JSON lines on stderr); the last lines are kept.
async fn forward_output(stream: impl AsyncRead + Unpin, kept: Arc<Mutex<VecDeque<String>>>) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        tracing::debug!(target: "ployer::caddy", "{line}");
        if let Ok(mut kept) = kept.lock() {
            if kept.len() == KEPT_LINES {
                kept.pop_front();
            }
            kept.push_back(line);
        }
    }
}

fn last_lines(output: &Mutex<VecDeque<String>>) -> String {
    output
        .lock()
        .map(|lines| lines.iter().cloned().collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

/// The `host:port` Caddy's admin API should listen on, from `http://host:port[/]`. The admin
/// API has no authentication, so a Caddy Ployer starts only ever listens on loopback.
pub(super) fn admin_listen_address(admin_url: &str) -> anyhow::Result<String> {
    let authority = admin_url
        .strip_prefix("http://")
        .ok_or_else(|| anyhow!("the Caddy admin URL {admin_url:?} must start with http:// to start Caddy for it"))?;
    let authority = authority.split('/').next().unwrap_or_default();
    let (host, port) = authority
        .rsplit_once(':')
        .ok_or_else(|| anyhow!("the Caddy admin URL {admin_url:?} has no port"))?;
    port.parse::<u16>()
        .ok()
        .filter(|&p| p != 0)
        .ok_or_else(|| anyhow!("the Caddy admin URL {admin_url:?} has an invalid port"))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        bail!("refusing to start Caddy with its admin API on {host}: Ployer only starts it on a loopback address");
    }
    Ok(authority.to_string())
}

/// The config file a supervised Caddy starts from, readable by this user only.
pub(super) fn write_start_config(listen: &str) -> anyhow::Result<tempfile::TempPath> {
    let config = StartConfig {
        admin: AdminConfig {
            listen: listen.to_string(),
        },
    };
    let mut file = tempfile::Builder::new()
        .prefix("ployer-caddy-")
        .suffix(".json")
        .tempfile()
        .context("while creating Caddy's start config")?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .context("while restricting Caddy's start config")?;
    }
    serde_json::to_writer(&mut file, &config).context("while writing Caddy's start config")?;
    file.flush().context("while writing Caddy's start config")?;
    Ok(file.into_temp_path())
}

/// The first executable `name` in PATH.
pub(super) fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}
