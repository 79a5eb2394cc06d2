//! Git servers for tests: a `git daemon` serving a directory on a free loopback port, and a
//! served repository (a bare `app.git` behind its own daemon, with a working tree on `main`
//! that pushes to it).

use std::{
    path::{Path, PathBuf},
    process::Command as StdCommand,
};

use tempfile::TempDir;
use tokio::process::Command;

use crate::process::{require, Process};

/// What the tests need `git` for, and how to get it.
const GIT_HINT: &str = "the tests clone from and push to real git servers; install it with \
    `apt-get install -y git` (scripts/setup.sh does)";

/// `git daemon` serving the repositories under a directory as
/// `git://127.0.0.1:<port>/<name>`, until dropped.
pub struct GitDaemon {
    _server: Process,
    port: u16,
    // Last: the log goes once the daemon is gone.
    _log_dir: TempDir,
}

impl GitDaemon {
    /// Serves every repository under `base` (`--export-all`) on a free loopback port, and
    /// waits until it listens. Blocks the calling thread while it starts (in async code, call
    /// it through `spawn_blocking`).
    pub fn serve(base: &Path) -> Self {
        require("git", GIT_HINT);
        let exec_path = StdCommand::new("git")
            .arg("--exec-path")
            .output()
            .unwrap_or_else(|e| panic!("cannot run git: {e}"));
        assert!(exec_path.status.success(), "git --exec-path failed: {exec_path:?}");
        // `git daemon` would run `git-daemon` as a child that outlives a kill of `git`.
        let binary = PathBuf::from(String::from_utf8_lossy(&exec_path.stdout).trim()).join("git-daemon");
        let log_dir = tempfile::tempdir().expect("a temporary directory for the git daemon's log");
        let (server, port) = Process::listen_on_free_port("git daemon", log_dir.path().join("daemon.log"), |port| {
            let mut command = StdCommand::new(&binary);
            command
                .arg("--export-all")
                .arg(format!("--base-path={}", base.display()))
                .arg("--listen=127.0.0.1")
                .arg(format!("--port={port}"))
                .arg("--reuseaddr")
                .arg("--informative-errors")
                .arg(base);
            command
        });
        GitDaemon {
            _server: server,
            port,
            _log_dir: log_dir,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `git://127.0.0.1:<port>/<repo>`.
    pub fn url(&self, repo: &str) -> String {
        format!("git://127.0.0.1:{}/{repo}", self.port)
    }
}

/// A bare repository `app.git` that its own `git daemon` serves as
/// `git://127.0.0.1:<port>/app.git`, and a working tree on `main` pushing to it. The daemon is
/// killed and both removed on drop.
pub struct ServedRepo {
    /// `git://127.0.0.1:<port>/app.git`.
    pub url: String,
    /// The bare repository the daemon serves (and `main` is pushed to), for URLs of other
    /// transports (`file://`, `ssh://host/<path>`).
    pub bare: PathBuf,
    work: PathBuf,
    _daemon: GitDaemon,
    // Last: the directories go once the daemon is gone.
    _dir: TempDir,
}

impl ServedRepo {
    /// An empty repository (no commit yet) and its daemon.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory for the repository");
        let served = dir.path().join("served");
        let work = dir.path().join("work");
        std::fs::create_dir_all(&served).unwrap();
        std::fs::create_dir_all(&work).unwrap();
        git(&served, &["init", "-q", "--bare", "-b", "main", "app.git"]).await;
        git(&work, &["init", "-q", "-b", "main"]).await;
        let bare = served.join("app.git");
        git(&work, &["remote", "add", "origin", bare.to_str().unwrap()]).await;
        let daemon = tokio::task::spawn_blocking(move || GitDaemon::serve(&served))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        ServedRepo {
            url: daemon.url("app.git"),
            bare,
            work,
            _daemon: daemon,
            _dir: dir,
        }
    }

    /// The path of `path` in the working tree.
    pub fn path(&self, path: &str) -> PathBuf {
        self.work.join(path)
    }

    /// Writes (`Some`) or deletes (`None`) a file of the working tree, making its directories.
    pub fn write(&self, path: &str, content: Option<&str>) {
        let full = self.path(path);
        match content {
            Some(content) => {
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(&full, content).unwrap();
            }
            None => {
                let _ = std::fs::remove_file(&full);
            }
        }
    }

    /// Commits everything in the working tree and pushes `main`; returns the new commit's sha.
    pub async fn commit_all(&self, message: &str) -> String {
        git(&self.work, &["add", "-A"]).await;
        git(
            &self.work,
            &[
                "-c",
                "user.name=Ployer Tests",
                "-c",
                "user.email=tests@example.com",
                "commit",
                "-q",
                "-m",
                message,
            ],
        )
        .await;
        git(&self.work, &["push", "-q", "origin", "main"]).await;
        self.head().await
    }

    /// The sha `main` points at.
    pub async fn head(&self) -> String {
        git(&self.work, &["rev-parse", "HEAD"]).await.trim().to_string()
    }
}

/// Runs git in `dir`, reading no system or user configuration and never prompting; panics with
/// its output when it fails; returns its stdout.
pub async fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap_or_else(|e| panic!("cannot run git ({e}); {GIT_HINT}"));
    assert!(
        output.status.success(),
        "git {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
