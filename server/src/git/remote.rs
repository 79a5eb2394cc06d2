//! Where a clone connects to, worked out before libgit2 sees the URL: the host and port
//! (so their addresses can be checked) and a form of the URL that is safe to log.
//!
//! `GitUrl::parse` has already refused dangerous URLs when they were stored; this module
//! refuses them again because the clone is where the connection actually happens, and a
//! name that resolved harmlessly when it was saved may not resolve harmlessly now.

use std::{
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
};

use crate::validate::source::{check_local_repository, is_forbidden_ip};

use super::GitError;

/// The network end of a remote URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub host: String,
    pub port: u16,
    pub is_ssh: bool,
}

/// Splits `url` into host and port; refuses local paths, `file://`, transport helpers and
/// anything option-like.
pub(crate) fn endpoint(url: &str) -> Result<Endpoint, GitError> {
    let refuse = |msg: &str| GitError::Refused(msg.to_string());
    if url.is_empty() || url.starts_with('-') || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(refuse(
            "the repository URL is empty, starts with '-' or contains spaces or control characters",
        ));
    }
    if url
        .split_once("::")
        .is_some_and(|(helper, _)| !helper.contains(['/', '[']))
    {
        return Err(refuse("git transport helpers (`ext::`, `fd::`) are not allowed"));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return scp_like(url);
    };
    let (default_port, is_ssh) = match scheme.to_ascii_lowercase().as_str() {
        "https" => (443, false),
        "http" => (80, false),
        "git" => (9418, false),
        "ssh" | "git+ssh" => (22, true),
        _ => {
            return Err(refuse(
                "only https://, http://, git://, ssh:// and user@host:path repositories can be cloned",
            ))
        }
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if rest.len() <= authority.len() + 1 {
        return Err(refuse("the repository URL names no repository path after the host"));
    }
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, hostport)| hostport);
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let (host, after) = inner
            .split_once(']')
            .ok_or_else(|| refuse("the repository URL has an unterminated IPv6 address"))?;
        (host, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    let port = match port {
        None | Some("") => default_port,
        Some(port) => port
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| refuse("the repository URL has an invalid port"))?,
    };
    Ok(Endpoint {
        host: checked_host(host)?,
        port,
        is_ssh,
    })
}

/// `user@host:path`, the form `git@github.com:org/repo.git` takes; without a user it is a
/// local path to git, which a clone must never read.
fn scp_like(url: &str) -> Result<Endpoint, GitError> {
    let local = || GitError::Refused("local paths are not allowed; use https://, ssh:// or git@host:path".to_string());
    let (user_host, path) = url.split_once(':').ok_or_else(local)?;
    let (user, host) = user_host.split_once('@').ok_or_else(local)?;
    if user.is_empty() || path.is_empty() || path.starts_with('-') || host.contains('/') {
        return Err(GitError::Refused(
            "the repository URL is not a valid `user@host:path` SSH address".to_string(),
        ));
    }
    Ok(Endpoint {
        host: checked_host(host)?,
        port: 22,
        is_ssh: true,
    })
}

fn checked_host(host: &str) -> Result<String, GitError> {
    let ok = !host.is_empty()
        && host.len() <= 253
        && !host.starts_with('-')
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:_".contains(&b));
    if !ok {
        return Err(GitError::Refused("the repository URL has an invalid host".to_string()));
    }
    Ok(host.to_ascii_lowercase())
}

/// For a `file:///` URL, the repository's path, if local repositories are allowed at all
/// (`allowed` holds Ployer's own directories, which stay out of bounds even then: checked
/// here again, through symlinks, because the disk may have changed since the URL was saved).
/// `None` for every other URL.
pub(crate) fn local_path(url: &str, allowed: Option<&[PathBuf]>) -> Result<Option<PathBuf>, GitError> {
    let Some(path) = url.strip_prefix("file://") else {
        return Ok(None);
    };
    let Some(except) = allowed else {
        return Err(GitError::Refused(
            "local repositories are turned off; an admin can allow them (settings: allowLocalGitPaths)".to_string(),
        ));
    };
    let path = Path::new(path);
    check_local_repository(path, except).map_err(|msg| GitError::Refused(msg.to_string()))?;
    Ok(Some(path.to_path_buf()))
}

/// Resolves the endpoint and refuses it when any address is link-local (cloud metadata
/// lives at 169.254.169.254), unspecified or otherwise forbidden. Loopback stays allowed:
/// a git server on the same machine is common.
pub(crate) async fn check_addresses(endpoint: &Endpoint) -> Result<(), GitError> {
    let addrs: Vec<SocketAddr> = match endpoint.host.parse::<IpAddr>() {
        // Literal addresses need no resolver (and so cause no traffic at all).
        Ok(ip) => vec![SocketAddr::new(ip, endpoint.port)],
        Err(_) => tokio::net::lookup_host((endpoint.host.as_str(), endpoint.port))
            .await
            .map_err(|e| GitError::Other(format!("cannot resolve the git host {}: {e}", endpoint.host)))?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(GitError::Other(format!(
            "the git host {} has no addresses",
            endpoint.host
        )));
    }
    if let Some(bad) = addrs.iter().find(|a| is_forbidden_ip(a.ip())) {
        return Err(GitError::Refused(format!(
            "the git host {} resolves to {}, a link-local, metadata or unspecified address",
            endpoint.host,
            bad.ip()
        )));
    }
    Ok(())
}

/// `url` without any password or token in its user part, for logs and error messages.
pub(crate) fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_len = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_len);
    match authority.rsplit_once('@') {
        // `ssh://git@host` names a user, not a secret; anything with a ':' or on http(s)
        // may be a token.
        Some((user, host)) if user.contains(':') || !scheme.to_ascii_lowercase().contains("ssh") => {
            format!("{scheme}://***@{host}{path}")
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(host: &str, port: u16, is_ssh: bool) -> Endpoint {
        Endpoint {
            host: host.into(),
            port,
            is_ssh,
        }
    }

    #[test]
    fn remote_urls_name_their_host_and_port() {
        for (url, want) in [
            ("https://github.com/org/repo.git", ep("github.com", 443, false)),
            ("http://127.0.0.1:3000/org/repo", ep("127.0.0.1", 3000, false)),
            ("git://127.0.0.1:9418/repo.git", ep("127.0.0.1", 9418, false)),
            ("GIT://Example.COM/repo.git", ep("example.com", 9418, false)),
            ("ssh://git@github.com/org/repo.git", ep("github.com", 22, true)),
            ("ssh://root@127.0.0.1:2222/srv/repo.git", ep("127.0.0.1", 2222, true)),
            ("ssh://git@[::1]:2222/repo.git", ep("::1", 2222, true)),
            ("git+ssh://git@host/repo.git", ep("host", 22, true)),
            ("git@github.com:org/repo.git", ep("github.com", 22, true)),
            ("root@127.0.0.1:/srv/repo.git", ep("127.0.0.1", 22, true)),
        ] {
            assert_eq!(endpoint(url).unwrap(), want, "{url}");
        }
    }

    #[test]
    fn local_and_helper_urls_are_refused() {
        for url in [
            "",
            "file:///etc",
            "/srv/repo",
            "./repo",
            "repo",
            "host:repo",
            "ext::sh -c touch% /tmp/pwned",
            "fd::17/repo",
            "--upload-pack=touch /tmp/pwned",
            "-oProxyCommand=touch /tmp/pwned",
            "git@host:-oProxyCommand=x",
            "ftp://example.com/repo",
            "https://github.com",
            "https://github.com/",
            "http://-x/repo",
            "http://[::1/repo",
            "http://host:0/repo",
            "http://host:99999/repo",
            "https://git hub.com/repo",
        ] {
            assert!(
                matches!(endpoint(url), Err(GitError::Refused(_))),
                "{url:?} was not refused"
            );
        }
    }

    #[test]
    fn redaction_hides_passwords_and_tokens_but_keeps_ssh_users() {
        assert_eq!(
            redacted("https://user:s3cret@github.com/org/repo.git"),
            "https://***@github.com/org/repo.git"
        );
        assert_eq!(
            redacted("https://ghp_token@github.com/o/r"),
            "https://***@github.com/o/r"
        );
        assert_eq!(redacted("ssh://git@github.com/o/r"), "ssh://git@github.com/o/r");
        assert_eq!(redacted("ssh://git:pw@github.com/o/r"), "ssh://***@github.com/o/r");
        assert_eq!(redacted("git@github.com:o/r.git"), "git@github.com:o/r.git");
        assert_eq!(redacted("https://github.com/a@b/r"), "https://github.com/a@b/r");
    }
}
