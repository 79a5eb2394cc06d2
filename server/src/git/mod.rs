//! git2 clones, always on the blocking pool.
//!
//! This is the only place Ployer talks to a git server. It exists so that the pipeline gets
//! one call — [`clone`] — that is shallow, cancellable, bounded in time and safe to point at
//! a URL a user typed: the host is resolved and refused when it lands on a link-local or
//! metadata address, SSH host keys are pinned on first use, redirects to other sites are not
//! followed, submodules are never fetched and nothing ever runs through a shell.
//!
//! It must never log or return credentials or key material: URLs are redacted before they
//! are logged, libgit2's messages are scrubbed before they become a [`GitError`], and
//! [`CloneRequest`]'s `Debug` leaves the private key and the http token out.

mod checkout;
mod fetch;
mod remote;
#[cfg(test)]
mod tests;

use std::{fmt, path::PathBuf, time::Duration};

use tokio_util::sync::CancellationToken;

/// After a cancel or a timeout the blocking side stops at its next progress callback; this
/// is how long the caller waits for that before returning anyway (a server that stalls
/// mid-read gives libgit2 no callback to stop at).
const STOP_GRACE: Duration = Duration::from_secs(2);

/// What to clone and how.
pub struct CloneRequest {
    /// A remote URL, already validated by `GitUrl::parse` (it is checked again here).
    pub url: String,
    /// An already validated branch name.
    pub branch: String,
    /// An exact commit to check out (40 hex digits); `None` takes the branch head.
    pub commit: Option<String>,
    /// An empty or non-existent directory. The caller owns it, also after a failure.
    pub dest: PathBuf,
    /// The application's deploy key (OpenSSH format), used for SSH URLs only.
    pub ssh_private_key: Option<String>,
    /// The user name and token for an http(s) remote that asks for them (never sent over
    /// plain http to a host other than loopback, never sent to an SSH server).
    pub http_credentials: Option<HttpCredentials>,
    /// The SSH host key recorded on first use, as `"<keytype> <base64>"`; `None` = first use.
    pub known_host_key: Option<String>,
    /// For the whole clone: resolving, connecting, fetching and checking out.
    pub timeout: Duration,
    /// `Some` when an admin allows `file:///` repositories: Ployer's own directories, which
    /// stay out of bounds. `None` refuses local repositories.
    pub local_paths: Option<Vec<PathBuf>>,
}

impl fmt::Debug for CloneRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloneRequest")
            .field("url", &remote::redacted(&self.url))
            .field("branch", &self.branch)
            .field("commit", &self.commit)
            .field("dest", &self.dest)
            .field("ssh_private_key", &self.ssh_private_key.as_ref().map(|_| "<redacted>"))
            .field("http_credentials", &self.http_credentials)
            .field("known_host_key", &self.known_host_key)
            .field("timeout", &self.timeout)
            .field("local_paths", &self.local_paths)
            .finish()
    }
}

/// HTTP basic-auth credentials for a private http(s) repository.
#[derive(Clone)]
pub struct HttpCredentials {
    pub username: String,
    /// An access token or password.
    pub token: String,
}

impl fmt::Debug for HttpCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpCredentials")
            .field("username", &self.username)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// The commit that was checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloneResult {
    /// Full 40-hex sha of the checked-out commit.
    pub sha: String,
    /// The full commit message, trailing whitespace removed.
    pub message: String,
    /// `Name <email>` of the commit's author.
    pub author: String,
    /// For SSH remotes, the host key the server presented, as `"<keytype> <base64>"`.
    pub host_key: Option<String>,
}

/// Why a clone failed. Every message is meant for the person who configured the app, and
/// none carries credentials or key material.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// Ployer will not clone this (a local path, a forbidden address, a malformed request).
    #[error("refused to clone: {0}")]
    Refused(String),
    /// The SSH server presented a different host key from the one recorded.
    #[error("{0}")]
    HostKeyMismatch(String),
    /// The repository, branch or commit does not exist (or is not visible to us).
    #[error("{0}")]
    NotFound(String),
    /// The clone took longer than its timeout.
    #[error("the clone did not finish in time; check that the git host is reachable")]
    Timeout,
    /// The clone was cancelled.
    #[error("the clone was cancelled")]
    Cancelled,
    /// Anything else: unreachable host, rejected deploy key or token, broken transfer, disk
    /// errors.
    #[error("{0}")]
    Other(String),
}

/// Clones `req.url` into `req.dest` and checks out the branch head (depth 1) or, with
/// `req.commit`, exactly that commit (fetched by sha at depth 1 when the server allows it,
/// otherwise found in the branch's history), detached.
///
/// The host is resolved first and refused if any address is forbidden. SSH remotes use
/// `req.ssh_private_key` and accept only `req.known_host_key` (or, on first use, whatever
/// key the server presents, returned in [`CloneResult::host_key`]). `cancel` gives
/// [`GitError::Cancelled`], exceeding `req.timeout` gives [`GitError::Timeout`]; in both cases
/// the libgit2 transfer is aborted at its next progress callback. Submodules are not fetched.
#[tracing::instrument(name = "git_clone", skip_all, fields(url = %remote::redacted(&req.url), branch = %req.branch))]
pub async fn clone(req: CloneRequest, cancel: CancellationToken) -> Result<CloneResult, GitError> {
    let deadline = tokio::time::Instant::now() + req.timeout;
    let local = remote::local_path(&req.url, req.local_paths.as_deref())?;
    if cancel.is_cancelled() {
        return Err(GitError::Cancelled);
    }
    if local.is_none() {
        let endpoint = remote::endpoint(&req.url)?;
        tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(GitError::Cancelled),
            _ = tokio::time::sleep_until(deadline) => return Err(GitError::Timeout),
            checked = remote::check_addresses(&endpoint) => checked?,
        }
    }
    tracing::info!(commit = req.commit.as_deref().unwrap_or("(branch head)"), "cloning");

    let abort = fetch::Abort::new(cancel.clone(), deadline.into_std());
    let span = tracing::Span::current();
    let mut task = tokio::task::spawn_blocking(move || span.in_scope(|| fetch::run(&req, &abort)));
    let stopped = tokio::select! {
        joined = &mut task => return joined_result(joined),
        _ = cancel.cancelled() => GitError::Cancelled,
        _ = tokio::time::sleep_until(deadline) => GitError::Timeout,
    };
    // Let the blocking side notice and stop writing into `dest` before the caller removes it.
    if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
        tracing::warn!("the git transfer has not stopped yet; it ends when the server closes the connection");
    }
    tracing::info!(reason = %stopped, "clone stopped");
    Err(stopped)
}

fn joined_result(
    joined: Result<Result<CloneResult, GitError>, tokio::task::JoinError>,
) -> Result<CloneResult, GitError> {
    let result = joined.unwrap_or_else(|err| {
        tracing::error!(error = %err, "the clone task panicked");
        Err(GitError::Other(
            "the clone failed unexpectedly (see the server log)".to_string(),
        ))
    });
    match &result {
        Ok(done) => tracing::info!(sha = %done.sha, "cloned"),
        Err(err) => tracing::warn!(error = %err, "clone failed"),
    }
    result
}
