//! The blocking half of a clone: libgit2 calls, run on tokio's blocking pool by
//! [`super::clone`]. Instead of `git clone` it is `init` + one anonymous remote + a fetch of
//! exactly one refspec at a chosen depth + a detached checkout, so that nothing else (tags,
//! other branches, submodules) is ever downloaded.

use std::{
    cell::{Cell, RefCell},
    time::Instant,
};

use base64::{
    engine::general_purpose::{STANDARD, STANDARD_NO_PAD},
    Engine as _,
};
use git2::{
    cert::Cert, AutotagOption, CertificateCheckStatus, Cred, CredentialType, ErrorClass, ErrorCode, FetchOptions, Oid,
    RemoteCallbacks, RemoteRedirect, Repository,
};
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

use super::{checkout, remote, CloneRequest, CloneResult, GitError};
use crate::validate::source::may_send_token;

/// When a server will not send a commit by its sha, the branch is fetched with this much
/// history, then with all of it, until the commit turns up.
const DEEPEN_STEPS: [i32; 2] = [50, i32::MAX];

/// Where an exactly requested commit is fetched to.
const WANTED_REF: &str = "refs/ployer/wanted";

/// Why the blocking side should stop: checked in every libgit2 callback.
pub(crate) struct Abort {
    cancel: CancellationToken,
    deadline: Instant,
}

impl Abort {
    pub(crate) fn new(cancel: CancellationToken, deadline: Instant) -> Self {
        Self { cancel, deadline }
    }

    fn reason(&self) -> Option<GitError> {
        if self.cancel.is_cancelled() {
            Some(GitError::Cancelled)
        } else if Instant::now() >= self.deadline {
            Some(GitError::Timeout)
        } else {
            None
        }
    }

    pub(crate) fn check(&self) -> Result<(), GitError> {
        self.reason().map_or(Ok(()), Err)
    }
}

pub(crate) fn run(req: &CloneRequest, abort: &Abort) -> Result<CloneResult, GitError> {
    let host = match remote::local_path(&req.url, req.local_paths.as_deref())? {
        Some(_) => String::new(),
        None => remote::endpoint(&req.url)?.host,
    };
    let wanted = check_request(req)?;
    abort.check()?;
    let repo = Repository::init(&req.dest)
        .map_err(|e| GitError::Other(format!("cannot create the checkout directory: {}", e.message())))?;
    let session = Session {
        req,
        abort,
        host,
        shown_url: remote::redacted(&req.url),
        host_key: RefCell::new(None),
        problem: RefCell::new(None),
        offers: Cell::new(0),
    };
    let oid = match wanted {
        None => session.fetch_branch(&repo, 1)?,
        Some(wanted) => session.fetch_commit(&repo, wanted)?,
    };
    abort.check()?;
    let commit = repo
        .find_commit(oid)
        .map_err(|e| GitError::Other(format!("the fetched commit {oid} cannot be read: {}", e.message())))?;
    let tree = commit
        .tree()
        .map_err(|e| GitError::Other(format!("the tree of commit {oid} cannot be read: {}", e.message())))?;
    checkout::checkout_tree(&repo, &tree, checkout::STREAM_THRESHOLD, abort)?;
    repo.set_head_detached(oid)
        .map_err(|e| GitError::Other(format!("cannot check out commit {oid}: {}", session.scrub(e.message()))))?;
    let author = commit.author();
    Ok(CloneResult {
        sha: oid.to_string(),
        message: String::from_utf8_lossy(commit.message_bytes()).trim_end().to_string(),
        author: format!(
            "{} <{}>",
            String::from_utf8_lossy(author.name_bytes()),
            String::from_utf8_lossy(author.email_bytes())
        ),
        host_key: session.host_key.into_inner(),
    })
}

/// The request's own fields, checked again at the point of use: a valid branch name, a full
/// sha, and a destination that holds nothing yet.
fn check_request(req: &CloneRequest) -> Result<Option<Oid>, GitError> {
    let branch_ok = !req.branch.is_empty()
        && !req.branch.starts_with('-')
        && git2::Reference::is_valid_name(&format!("refs/heads/{}", req.branch));
    if !branch_ok {
        return Err(GitError::Refused(format!(
            "`{}` is not a valid branch name",
            req.branch.escape_debug()
        )));
    }
    let wanted = match &req.commit {
        None => None,
        Some(sha) if sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Some(Oid::from_str(sha).map_err(|_| GitError::Refused("the commit is not a valid sha".to_string()))?)
        }
        Some(_) => {
            return Err(GitError::Refused(
                "the commit must be a full 40-character sha".to_string(),
            ))
        }
    };
    match std::fs::read_dir(&req.dest) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(GitError::Refused(format!(
                    "the checkout directory {} is not empty",
                    req.dest.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(GitError::Other(format!(
                "cannot use the checkout directory {}: {e}",
                req.dest.display()
            )))
        }
    }
    Ok(wanted)
}

/// One fetch that failed: either for a reason already decided (cancel, host key, deploy
/// key), or with libgit2's own error for the caller to judge.
enum Failure {
    Decided(GitError),
    Git(git2::Error),
}

/// The state libgit2's callbacks share during one clone (possibly several connections).
struct Session<'a> {
    req: &'a CloneRequest,
    abort: &'a Abort,
    host: String,
    shown_url: String,
    /// The SSH host key accepted on this clone's first connection.
    host_key: RefCell<Option<String>>,
    /// A failure a callback decided on; libgit2 only sees "callback returned an error".
    problem: RefCell<Option<GitError>>,
    /// Deploy-key or token offers in the current fetch (libgit2 asks again after a rejection).
    offers: Cell<u32>,
}

impl Session<'_> {
    fn fetch_branch(&self, repo: &Repository, depth: i32) -> Result<Oid, GitError> {
        let branch = &self.req.branch;
        let tracking = format!("refs/remotes/origin/{branch}");
        self.fetch(repo, &format!("+refs/heads/{branch}:{tracking}"), depth)
            .map_err(|failure| self.judge(failure))?;
        repo.refname_to_id(&tracking)
            .map_err(|_| GitError::NotFound(format!("the branch `{branch}` does not exist in {}", self.shown_url)))
    }

    fn fetch_commit(&self, repo: &Repository, wanted: Oid) -> Result<Oid, GitError> {
        match self.fetch(repo, &format!("+{wanted}:{WANTED_REF}"), 1) {
            Ok(()) if repo.find_commit(wanted).is_ok() => return Ok(wanted),
            Ok(()) => {}
            Err(Failure::Decided(err)) => return Err(err),
            Err(Failure::Git(err)) => {
                tracing::info!(
                    reason = %self.scrub(err.message()),
                    "the server would not send the commit by sha; searching the branch history"
                );
            }
        }
        for depth in DEEPEN_STEPS {
            self.fetch_branch(repo, depth)?;
            if repo.find_commit(wanted).is_ok() {
                return Ok(wanted);
            }
            if !repo.is_shallow() {
                break;
            }
        }
        Err(GitError::NotFound(format!(
            "commit {wanted} is not on branch `{}` of {}",
            self.req.branch, self.shown_url
        )))
    }

    fn fetch(&self, repo: &Repository, refspec: &str, depth: i32) -> Result<(), Failure> {
        self.abort.check().map_err(Failure::Decided)?;
        let mut remote = repo.remote_anonymous(&self.req.url).map_err(|e| {
            Failure::Decided(GitError::Refused(format!(
                "libgit2 does not accept the repository URL: {}",
                self.scrub(e.message())
            )))
        })?;
        self.offers.set(0);
        let mut callbacks = RemoteCallbacks::new();
        callbacks
            .transfer_progress(|_| self.abort.reason().is_none())
            .sideband_progress(|_| self.abort.reason().is_none())
            .credentials(|_url, user, allowed| self.credentials(user, allowed))
            .certificate_check(|cert, host| self.certificate_check(cert, host));
        let mut options = FetchOptions::new();
        // libgit2's local transport cannot fetch shallow; a local repository is copied whole.
        let depth = if self.host.is_empty() { 0 } else { depth };
        options
            .remote_callbacks(callbacks)
            .depth(depth)
            .download_tags(AutotagOption::None)
            .follow_redirects(RemoteRedirect::None)
            .update_fetchhead(false);
        tracing::debug!(refspec, depth, "fetching");
        remote.fetch(&[refspec], Some(&mut options), None).map_err(|err| {
            if let Some(reason) = self.abort.reason() {
                return Failure::Decided(reason);
            }
            match self.problem.borrow_mut().take() {
                Some(problem) => Failure::Decided(problem),
                None => Failure::Git(err),
            }
        })
    }

    /// Turns a failed fetch into the error the person configuring the app sees.
    fn judge(&self, failure: Failure) -> GitError {
        let err = match failure {
            Failure::Decided(err) => return err,
            Failure::Git(err) => err,
        };
        let msg = self.scrub(err.message());
        let lower = msg.to_ascii_lowercase();
        let url = &self.shown_url;
        let missing = err.code() == ErrorCode::NotFound
            || [
                "not found",
                "404",
                "not exported",
                "no such repository",
                "does not exist",
                "not appear to be a git repository",
            ]
            .iter()
            .any(|needle| lower.contains(needle));
        if missing {
            return GitError::NotFound(format!(
                "the repository {url} does not exist or is not readable ({msg})"
            ));
        }
        if err.code() == ErrorCode::Auth && self.is_http() && self.req.http_credentials.is_some() {
            return GitError::Other(format!(
                "the git server at {} did not accept the application's git credentials ({msg}); check the token and that it can read the repository",
                self.host
            ));
        }
        if err.code() == ErrorCode::Auth && self.is_http() {
            return GitError::Other(format!(
                "{url} asks for credentials ({msg}); set the application's git credentials or make the repository public"
            ));
        }
        if err.code() == ErrorCode::Auth || (err.class() == ErrorClass::Ssh && lower.contains("authenticat")) {
            return GitError::Other(format!(
                "the git server at {} did not accept the application's deploy key ({msg}); add the deploy key's public half to the repository",
                self.host
            ));
        }
        if err.code() == ErrorCode::Certificate {
            return GitError::Other(format!("the TLS certificate of {} is not trusted ({msg})", self.host));
        }
        if lower.contains("redirect") || lower.contains("301") || lower.contains("302") {
            return GitError::Other(format!(
                "{url} redirects elsewhere ({msg}); use the repository's final URL"
            ));
        }
        if matches!(
            err.class(),
            ErrorClass::Net | ErrorClass::Os | ErrorClass::Ssh | ErrorClass::Http
        ) {
            return GitError::Other(format!("cannot fetch from {url}: {msg}"));
        }
        GitError::Other(format!("fetching from {url} failed: {msg}"))
    }

    fn credentials(&self, user: Option<&str>, allowed: CredentialType) -> Result<Cred, git2::Error> {
        let user = user.filter(|u| !u.is_empty()).unwrap_or("git");
        if allowed.contains(CredentialType::USERNAME) {
            return Cred::username(user);
        }
        let refuse = |problem: GitError| {
            *self.problem.borrow_mut() = Some(problem);
            Err(git2::Error::from_str("no usable credentials"))
        };
        let offers = self.offers.get();
        self.offers.set(offers + 1);
        if self.is_http() {
            return self.http_credentials(allowed, offers > 0).or_else(refuse);
        }
        if !allowed.intersects(CredentialType::SSH_MEMORY | CredentialType::SSH_KEY) {
            return refuse(GitError::Other(format!(
                "{} asks for credentials Ployer cannot give; make the repository public or use an SSH URL with the application's deploy key",
                self.shown_url
            )));
        }
        let Some(key) = self.req.ssh_private_key.as_deref() else {
            return refuse(GitError::Other(format!(
                "the SSH server at {} asks for a key but the application has no deploy key; generate one and add its public half to the repository",
                self.host
            )));
        };
        if offers > 0 {
            return refuse(GitError::Other(format!(
                "the SSH server at {} did not accept the application's deploy key for user `{user}`; add the deploy key's public half to the repository (read access is enough)",
                self.host
            )));
        }
        Cred::ssh_key_from_memory(user, None, key, None).or_else(|_| {
            refuse(GitError::Other(
                "the application's deploy key cannot be used; generate a new one".to_string(),
            ))
        })
    }

    /// The application's user name and token, offered once per fetch to an http(s) server
    /// that asks for them.
    fn http_credentials(&self, allowed: CredentialType, offered_before: bool) -> Result<Cred, GitError> {
        if !may_send_token(&self.req.url) {
            return Err(GitError::Refused(format!(
                "{} asks for credentials over plain http, which would send them unencrypted; use the repository's https:// URL",
                self.shown_url
            )));
        }
        let Some(credentials) = &self.req.http_credentials else {
            return Err(GitError::Other(format!(
                "{} asks for credentials; set the application's git credentials (a user name and a token that can read the repository) or make the repository public",
                self.shown_url
            )));
        };
        if !allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            return Err(GitError::Other(format!(
                "{} asks for a kind of authentication Ployer does not support (only a user name and token)",
                self.shown_url
            )));
        }
        if offered_before {
            return Err(GitError::Other(format!(
                "the git server at {} did not accept the application's git credentials for user `{}`; check that the token is valid and can read the repository",
                self.host, credentials.username
            )));
        }
        Cred::userpass_plaintext(&credentials.username, &credentials.token).map_err(|e| {
            GitError::Other(format!(
                "the application's git credentials cannot be used: {}",
                self.scrub(e.message())
            ))
        })
    }

    fn is_http(&self) -> bool {
        let scheme = self
            .req
            .url
            .split_once("://")
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        matches!(scheme.as_deref(), Some("http" | "https"))
    }

    /// TLS certificates are left to libgit2's own verification. An SSH host key is accepted
    /// only if it is the recorded one, or on first use (and then pinned for the rest of this
    /// clone and returned so the caller records it).
    fn certificate_check(&self, cert: &Cert<'_>, host: &str) -> Result<CertificateCheckStatus, git2::Error> {
        let Some(hostkey) = cert.as_hostkey() else {
            return Ok(CertificateCheckStatus::CertificatePassthrough);
        };
        let refuse = |problem: GitError| {
            *self.problem.borrow_mut() = Some(problem);
            Err(git2::Error::from_str("SSH host key refused"))
        };
        // The raw key is the SSH wire blob, which starts with its own type name.
        let Some((kind, blob)) = hostkey.hostkey().and_then(|blob| Some((key_type(blob)?, blob))) else {
            return refuse(GitError::Other(format!(
                "the SSH server at {host} presented a host key Ployer cannot read"
            )));
        };
        let expected = self
            .req
            .known_host_key
            .clone()
            .or_else(|| self.host_key.borrow().clone());
        if let Some(expected) = expected {
            let Some(recorded) = parse_host_key(&expected) else {
                return refuse(GitError::Other(
                    "the recorded SSH host key is malformed; reset it so the server's key is recorded again"
                        .to_string(),
                ));
            };
            if recorded != blob {
                return refuse(GitError::HostKeyMismatch(format!(
                    "the SSH host key of {host} has changed: recorded {}, presented {} ({kind}). If the server's key was replaced on purpose, reset the recorded host key; otherwise someone may be intercepting the connection",
                    fingerprint(&recorded),
                    fingerprint(blob)
                )));
            }
        }
        *self.host_key.borrow_mut() = Some(format!("{kind} {}", STANDARD.encode(blob)));
        Ok(CertificateCheckStatus::CertificateOk)
    }

    /// libgit2's message without the URL's credentials, the token or anything resembling key
    /// material.
    fn scrub(&self, msg: &str) -> String {
        let mut out = msg.replace(&self.req.url, &self.shown_url);
        if let Some(at) = out.find("-----BEGIN") {
            out.truncate(at);
            out.push_str("[key material removed]");
        }
        if let Some(key) = &self.req.ssh_private_key {
            for line in key.lines().map(str::trim).filter(|l| l.len() >= 16) {
                out = out.replace(line, "[removed]");
            }
        }
        if let Some(credentials) = &self.req.http_credentials {
            if !credentials.token.is_empty() {
                out = out.replace(&credentials.token, "[removed]");
            }
        }
        out
    }
}

/// The type name at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, …).
fn key_type(blob: &[u8]) -> Option<&str> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let name = std::str::from_utf8(blob.get(4..4 + len)?).ok()?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic())).then_some(name)
}

/// `"<keytype> <base64> [comment]"` → the key blob, if the type matches the blob's own.
fn parse_host_key(text: &str) -> Option<Vec<u8>> {
    let mut parts = text.split_whitespace();
    let kind = parts.next()?;
    let blob = STANDARD.decode(parts.next()?).ok()?;
    (key_type(&blob)? == kind).then_some(blob)
}

/// OpenSSH's `SHA256:…` fingerprint, which is what a person compares with `ssh-keygen -l`.
fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(blob)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session_for<'a>(req: &'a CloneRequest, abort: &'a Abort) -> Session<'a> {
        Session {
            req,
            abort,
            host: remote::endpoint(&req.url).unwrap().host,
            shown_url: remote::redacted(&req.url),
            host_key: RefCell::new(None),
            problem: RefCell::new(None),
            offers: Cell::new(0),
        }
    }

    fn refusal(offered: Result<Cred, GitError>) -> GitError {
        match offered {
            Ok(_) => panic!("the credentials were offered"),
            Err(err) => err,
        }
    }

    fn clone_request(url: &str, credentials: bool) -> CloneRequest {
        CloneRequest {
            url: url.to_string(),
            branch: "main".into(),
            commit: None,
            dest: "/nonexistent".into(),
            ssh_private_key: None,
            http_credentials: credentials.then(|| super::super::HttpCredentials {
                username: "oauth2".into(),
                token: "glpat-secret-token".into(),
            }),
            known_host_key: None,
            timeout: std::time::Duration::from_secs(1),
            local_paths: None,
        }
    }

    #[test]
    fn a_token_is_offered_once_over_https_or_loopback_http_and_never_over_plain_http_elsewhere() {
        let abort = Abort::new(
            CancellationToken::new(),
            Instant::now() + std::time::Duration::from_secs(60),
        );
        let plain = CredentialType::USER_PASS_PLAINTEXT;
        for url in ["https://git.example.com/o/r.git", "http://127.0.0.1:3000/o/r.git"] {
            let req = clone_request(url, true);
            let session = session_for(&req, &abort);
            assert!(session.http_credentials(plain, false).is_ok(), "{url}");
            let again = refusal(session.http_credentials(plain, true)).to_string();
            assert!(
                again.contains("did not accept") && again.contains("`oauth2`"),
                "{again}"
            );
        }

        let req = clone_request("http://git.example.com/o/r.git", true);
        let refused = refusal(session_for(&req, &abort).http_credentials(plain, false));
        assert!(
            matches!(&refused, GitError::Refused(msg) if msg.contains("unencrypted") && msg.contains("https://")),
            "{refused}"
        );

        let req = clone_request("https://git.example.com/o/r.git", false);
        let missing = refusal(session_for(&req, &abort).http_credentials(plain, false)).to_string();
        assert!(missing.contains("set the application's git credentials"), "{missing}");

        let req = clone_request("https://git.example.com/o/r.git", true);
        let other = refusal(session_for(&req, &abort).http_credentials(CredentialType::SSH_KEY, false)).to_string();
        assert!(other.contains("does not support"), "{other}");
    }

    #[test]
    fn the_token_is_scrubbed_from_libgit2_messages() {
        let abort = Abort::new(
            CancellationToken::new(),
            Instant::now() + std::time::Duration::from_secs(60),
        );
        let req = clone_request("https://git.example.com/o/r.git", true);
        let scrubbed = session_for(&req, &abort).scrub("auth failed for glpat-secret-token at host");
        assert_eq!(scrubbed, "auth failed for [removed] at host");
    }

    // A key from `ssh-keygen -t ed25519`, and what `ssh-keygen -l` printed for it.
    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBhiIM+HiEMNISy1vee5Kawutrbfk88IYuEa0MePbDOh";
    const FINGERPRINT: &str = "SHA256:I3cgwqKvEGB1Xwtt3BN2wJcYm5q17vd5wPWdRZWPuVU";

    #[test]
    fn host_keys_are_parsed_and_fingerprinted_like_openssh() {
        let blob = parse_host_key(KEY).unwrap();
        assert_eq!(key_type(&blob), Some("ssh-ed25519"));
        assert_eq!(parse_host_key(&format!("{KEY} root@host")), Some(blob.clone()));
        assert_eq!(fingerprint(&blob), FINGERPRINT);
    }

    #[test]
    fn malformed_or_mislabelled_host_keys_are_not_parsed() {
        let b64 = KEY.split_once(' ').unwrap().1;
        for bad in [
            "",
            "ssh-ed25519",
            "ssh-ed25519 !!!",
            &format!("ssh-rsa {b64}"),
            "ssh-ed25519 AAAA",
        ] {
            assert_eq!(parse_host_key(bad), None, "{bad:?}");
        }
    }
}
