//! Where an application's code comes from: git URLs, branches, paths inside the repository
//! and image references. None of these ever reaches a shell; they are still held to git's
//! and Docker's own rules so that nothing option-like or out-of-tree gets stored.

use std::net::IpAddr;

use crate::{InputResult, Invalid};

/// A git repository: `https://`, `http://`, `ssh://`, `git://` or scp-like `user@host:path`;
/// a local repository (`file:///srv/git/app.git` or `/srv/git/app.git`) only where
/// [`LocalPaths`] allows it. Never `ext::` or anything option-like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitUrl {
    url: String,
    host: String,
    port: Option<u16>,
    is_ssh: bool,
}

const MAX_URL_LEN: usize = 2048;

/// Ports of Ployer's own control plane, which a git URL may not point at on loopback.
pub struct ReservedPorts(pub Vec<u16>);

/// Whether a git URL may name a repository on Ployer's own disk (an admin setting).
pub enum LocalPaths<'a> {
    Refused,
    /// Allowed anywhere but inside these directories (Ployer's data and checkouts).
    Allowed {
        except: &'a [std::path::PathBuf],
    },
}

impl GitUrl {
    pub fn parse(raw: &str, reserved: &ReservedPorts, local: &LocalPaths<'_>) -> InputResult<Self> {
        let bad = |msg: &str| Invalid::new("gitUrl", msg);
        let url = raw.trim();
        if url.is_empty() || url.len() > MAX_URL_LEN {
            return Err(bad("must be 1-2048 characters"));
        }
        if url.starts_with('-') || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(bad("must not start with '-' or contain spaces or control characters"));
        }
        // `<transport>::<address>` runs a git remote helper (`ext::` runs any command).
        if url
            .split_once("::")
            .is_some_and(|(helper, _)| !helper.contains(['/', '[']))
        {
            return Err(bad("git transport helpers (`ext::`, `fd::`) are not allowed"));
        }
        if url.starts_with('/') {
            return Self::parse_local(url, local);
        }
        let (scheme, rest) = match url.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None => return Self::parse_scp_like(url, reserved),
        };
        let is_ssh = match scheme.as_str() {
            "https" | "http" | "git" => false,
            "ssh" | "git+ssh" => true,
            "file" if rest.starts_with('/') => return Self::parse_local(rest, local),
            "file" => return Err(bad("a local repository is written `file:///absolute/path`")),
            other => {
                return Err(bad(&format!(
                    "the `{other}` scheme is not supported; use https, ssh or git"
                )))
            }
        };
        let authority = rest.split('/').next().unwrap_or_default();
        let path = &rest[authority.len()..];
        if path.len() < 2 {
            return Err(bad("must name a repository path after the host"));
        }
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, authority),
        };
        if let Some(userinfo) = userinfo {
            if !is_ssh || userinfo.contains(':') {
                return Err(bad(
                    "credentials in the URL would be stored and shown in clear; set them with setGitCredentials (kept encrypted) or use an SSH URL with the app's deploy key",
                ));
            }
        }
        let (host, port) = split_host_port(hostport).ok_or_else(|| bad("has an invalid host or port"))?;
        check_host(&host, port, reserved)?;
        Ok(Self {
            url: url.to_string(),
            host,
            port,
            is_ssh,
        })
    }

    /// `path` is absolute; stored as `file://<path>`.
    fn parse_local(path: &str, local: &LocalPaths<'_>) -> InputResult<Self> {
        let bad = |msg: &str| Invalid::new("gitUrl", msg);
        let LocalPaths::Allowed { except } = local else {
            return Err(bad(
                "local repositories are turned off; an admin can allow them (settings: allowLocalGitPaths)",
            ));
        };
        let path = std::path::Path::new(path);
        check_local_repository(path, except).map_err(bad)?;
        let url = format!("file://{}", path.display());
        // What is stored must parse again: `/…` grows by `file://`.
        if url.len() > MAX_URL_LEN {
            return Err(bad("must be 1-2048 characters"));
        }
        Ok(Self {
            url,
            host: String::new(),
            port: None,
            is_ssh: false,
        })
    }

    fn parse_scp_like(url: &str, reserved: &ReservedPorts) -> InputResult<Self> {
        let bad = |msg: &str| Invalid::new("gitUrl", msg);
        // `user@host:path`; a bare path or `host:path` without a user is treated as local.
        let Some((user_host, path)) = url.split_once(':') else {
            return Err(bad(
                "local paths are not allowed; use https://, ssh:// or git@host:path",
            ));
        };
        let Some((user, host)) = user_host.split_once('@') else {
            return Err(bad(
                "local paths are not allowed; use https://, ssh:// or git@host:path",
            ));
        };
        let user_ok = !user.is_empty() && user.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if !user_ok || path.is_empty() || path.starts_with('-') || host.contains('/') {
            return Err(bad("is not a valid `user@host:path` SSH address"));
        }
        let host = host.to_ascii_lowercase();
        check_host(&host, None, reserved)?;
        Ok(Self {
            url: url.to_string(),
            host,
            port: None,
            is_ssh: true,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// A repository on Ployer's own disk (`file://`).
    pub fn is_local(&self) -> bool {
        self.url.starts_with("file://")
    }

    /// Cloning it needs the application's deploy key.
    pub fn is_ssh(&self) -> bool {
        self.is_ssh
    }

    pub fn host(&self) -> &str {
        &self.host
    }
}

/// Whether `path` may be a local repository: absolute, without `.` or `..`, and not inside
/// any of `except` (Ployer's own directories), through symlinks too when the path exists.
/// The same check runs when the URL is saved and again when it is cloned.
pub fn check_local_repository(path: &std::path::Path, except: &[std::path::PathBuf]) -> Result<(), &'static str> {
    let plain = path.is_absolute()
        && path.components().count() > 1
        && path
            .components()
            .skip(1)
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        && !path
            .to_str()
            .unwrap_or_default()
            .split('/')
            .any(|part| part == "." || part == "..");
    if !plain {
        return Err("a local repository path must be absolute, without `.` or `..`");
    }
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let private = except.iter().any(|dir| {
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
        resolved.starts_with(&dir) || path.starts_with(&dir)
    });
    if private {
        return Err("a local repository may not be inside Ployer's own data directories");
    }
    Ok(())
}

fn split_host_port(hostport: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        if !after.is_empty() && !after.starts_with(':') {
            return None;
        }
        (host, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok().filter(|p| *p > 0)?),
        None => None,
    };
    Some((host.to_ascii_lowercase(), port))
}

/// Refuses cloud-metadata and link-local addresses, unspecified addresses, and Ployer's own
/// ports on loopback. Loopback git servers on other ports (a local Gitea) stay allowed.
/// Names are checked again when the pipeline connects.
fn check_host(host: &str, port: Option<u16>, reserved: &ReservedPorts) -> InputResult<()> {
    let bad = |msg: &str| Invalid::new("gitUrl", msg);
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b))
        && !host.starts_with('-');
    if !host_ok {
        return Err(bad("has an invalid host"));
    }
    // `2852039166`, `0xa9fea9fe` or `169.254.43518` all mean 169.254.169.254 to a resolver;
    // a name whose last label is numeric must be a canonical dotted quad.
    let last = host.rsplit('.').next().unwrap_or_default();
    let numeric_tail = last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x");
    if numeric_tail && !host.contains(':') && host.parse::<std::net::Ipv4Addr>().is_err() {
        return Err(bad("write IPv4 addresses as four decimal numbers (a.b.c.d)"));
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        if is_forbidden_ip(ip) {
            return Err(bad("points at a link-local, metadata or unspecified address"));
        }
        if ip.is_loopback() && port.is_some_and(|p| reserved.0.contains(&p)) {
            return Err(bad("points at one of Ployer's own control ports"));
        }
    } else if host == "localhost" && port.is_some_and(|p| reserved.0.contains(&p)) {
        return Err(bad("points at one of Ployer's own control ports"));
    }
    Ok(())
}

/// Whether an http(s) git URL may be sent a token: https anywhere, plain http only to a
/// loopback address or `localhost` (a git server on this machine).
pub fn may_send_token(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => {
            let authority = rest.split('/').next().unwrap_or_default();
            let hostport = authority.rsplit_once('@').map_or(authority, |(_, hostport)| hostport);
            split_host_port(hostport).is_some_and(|(host, _)| match host.parse::<IpAddr>() {
                Ok(ip) => ip.is_loopback(),
                Err(_) => host == "localhost",
            })
        }
        _ => false,
    }
}

pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local() || v4.is_unspecified() || v4.is_broadcast() || v4.octets()[0] == 0,
        IpAddr::V6(v6) => {
            v6.is_unspecified()
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_forbidden_ip(IpAddr::V4(v4)))
        }
    }
}

/// A branch name git's ref rules accept (`git check-ref-format`), not option-like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch(String);

impl Branch {
    pub fn parse(raw: &str) -> InputResult<Self> {
        let valid = !raw.is_empty() && raw.len() <= 255 && !raw.starts_with('-') && is_ref_name_tail(raw);
        if !valid {
            return Err(Invalid::new("branch", "is not a valid git branch name"));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `refs/heads/<name>` is a valid ref name by git's rules (`git help
/// check-ref-format`): components separated by single `/`, none empty, starting with `.` or
/// ending with `.lock`; no `..`, no `@{`, no control characters, space, DEL or any of
/// `~^:?*[\`; not ending with `.`. Stricter than git in one way: no Unicode whitespace or
/// control character either (git takes any byte above 0x7f, so a C1 control such as U+009B,
/// which a terminal may read as an escape sequence, would be a branch name). libgit2 agrees
/// otherwise, except that it lets DEL through (the server tests the two against each other);
/// it is written out here so that it can be fuzzed without libgit2, and because libgit2's
/// check cannot take a NUL byte at all.
fn is_ref_name_tail(name: &str) -> bool {
    let char_ok =
        |c: char| !c.is_control() && !c.is_whitespace() && !matches!(c, '~' | '^' | ':' | '?' | '*' | '[' | '\\');
    name.chars().all(char_ok)
        && !name.contains("..")
        && !name.contains("@{")
        && !name.ends_with('.')
        && name
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.') && !part.ends_with(".lock"))
}

/// A relative path inside the repository (Dockerfile, build context): no absolute paths, no
/// `..`, no control characters. Symlinks are the pipeline's to refuse at build time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoPath(String);

impl RepoPath {
    pub fn parse(field: &'static str, raw: &str) -> InputResult<Self> {
        let bad = |msg: &str| Invalid::new(field, msg);
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 255 || raw.chars().any(char::is_control) || raw.contains('\\') {
            return Err(bad("must be a relative path of 1-255 characters"));
        }
        if raw.starts_with('/') {
            return Err(bad("must be relative to the repository root"));
        }
        let mut parts = Vec::new();
        for part in raw.split('/') {
            match part {
                "" | "." => {}
                ".." => return Err(bad("must stay inside the repository (no `..`)")),
                p if p.starts_with('-') => return Err(bad("path parts must not start with '-'")),
                // `a /` would be stored as `a ` and read back, trimmed, as `a`.
                p if p.starts_with(char::is_whitespace) || p.ends_with(char::is_whitespace) => {
                    return Err(bad("path parts must not start or end with a space"))
                }
                p => parts.push(p),
            }
        }
        // Checked on what is kept: `./~/x` is stored as `~/x`.
        if parts.first().is_some_and(|p| p.starts_with('~')) {
            return Err(bad("must be relative to the repository root"));
        }
        Ok(Self(if parts.is_empty() { ".".into() } else { parts.join("/") }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Docker image reference: `[registry[:port]/]path[:tag][@sha256:digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef(String);

impl ImageRef {
    /// An application's `image`.
    pub fn parse(raw: &str) -> InputResult<Self> {
        Self::parse_as("image", raw)
    }

    /// A reference given as `field`. An image id (`sha256:<hex>`, or a prefix of its hex)
    /// has the same shape, so it passes too.
    pub fn parse_as(field: &'static str, raw: &str) -> InputResult<Self> {
        let bad = || {
            Invalid::new(
                field,
                "is not a valid image reference (e.g. `nginx:1.27` or `ghcr.io/org/app@sha256:…`)",
            )
        };
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 512 || raw.starts_with('-') {
            return Err(bad());
        }
        let (rest, digest) = match raw.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest)),
            None => (raw, None),
        };
        if let Some(digest) = digest {
            let hex = digest.strip_prefix("sha256:").ok_or_else(bad)?;
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
                return Err(bad());
            }
        }
        // A tag follows the last ':' that comes after the last '/'.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        if let Some(tag) = tag {
            let ok = !tag.is_empty()
                && tag.len() <= 128
                && !tag.starts_with(['.', '-'])
                && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
            if !ok {
                return Err(bad());
            }
        }
        let mut components: Vec<&str> = name.split('/').collect();
        let first = components[0];
        // A first component with a '.', a ':' or equal to localhost is a registry host.
        if components.len() > 1 && (first.contains('.') || first.contains(':') || first == "localhost") {
            let (host, port) = first.split_once(':').map_or((first, None), |(h, p)| (h, Some(p)));
            let host_ok = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b));
            let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok());
            if !host_ok || !port_ok {
                return Err(bad());
            }
            components.remove(0);
        }
        let component_ok = |c: &str| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && c.as_bytes()[0].is_ascii_alphanumeric()
                && c.as_bytes()[c.len() - 1].is_ascii_alphanumeric()
        };
        if components.is_empty() || !components.iter().all(|c| component_ok(c)) {
            return Err(bad());
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reserved() -> ReservedPorts {
        ReservedPorts(vec![3001, 2019])
    }

    #[test]
    fn a_token_goes_over_https_or_plain_http_to_loopback_only() {
        for ok in [
            "https://github.com/o/r.git",
            "HTTPS://github.com/o/r.git",
            "http://127.0.0.1:3000/o/r.git",
            "http://127.8.9.10/o/r.git",
            "http://localhost:3000/o/r.git",
            "http://[::1]:3000/o/r.git",
            "http://LOCALHOST:3000/o/r.git",
        ] {
            assert!(may_send_token(ok), "{ok}");
        }
        for refused in [
            "http://github.com/o/r.git",
            "http://10.0.0.5/o/r.git",
            "http://localhost.example.com/o/r.git",
            "http://127.0.0.1.nip.io/o/r.git",
            "http://localhost./o/r.git",
            "http://[::ffff:127.0.0.1]/o/r.git",
            "http://[::1]evil.com/o/r.git",
            "ssh://git@127.0.0.1/o/r.git",
            "git://127.0.0.1/o/r.git",
            "git@127.0.0.1:o/r.git",
            "/srv/git/r.git",
        ] {
            assert!(!may_send_token(refused), "{refused}");
        }
    }

    #[test]
    fn remote_git_urls_are_accepted() {
        for url in [
            "https://github.com/org/repo.git",
            "http://127.0.0.1:3000/org/repo",
            "git://127.0.0.1:9418/repo.git",
            "ssh://git@github.com/org/repo.git",
            "ssh://git@[::1]:2222/repo.git",
            "git@github.com:org/repo.git",
        ] {
            assert!(GitUrl::parse(url, &reserved(), &LocalPaths::Refused).is_ok(), "{url}");
        }
        assert!(
            GitUrl::parse("git@github.com:org/repo.git", &reserved(), &LocalPaths::Refused)
                .unwrap()
                .is_ssh()
        );
        assert!(
            !GitUrl::parse("https://github.com/org/repo.git", &reserved(), &LocalPaths::Refused)
                .unwrap()
                .is_ssh()
        );
    }

    #[test]
    fn dangerous_git_urls_are_refused() {
        for url in [
            "",
            "file:///etc",
            "/srv/repo",
            "./repo",
            "../repo",
            "repo",
            "ext::sh -c touch% /tmp/pwned",
            "--upload-pack=touch /tmp/pwned",
            "-oProxyCommand=touch /tmp/pwned",
            "https://github.com/$(id)/x y",
            "https://user:token@github.com/org/repo.git",
            "https://token@github.com/org/repo.git",
            "http://[::1]evil.com/org/repo.git",
            "http://169.254.169.254/latest/meta-data",
            "http://[fe80::1]/repo",
            "http://0.0.0.0/repo",
            "http://127.0.0.1:2019/config",
            "http://localhost:3001/graphql",
            "ftp://example.com/repo",
            "https://github.com",
            "git@host:-oProxyCommand=x",
            "https://github.com/org/re\npo",
            "fd::17/repo",
            "http://2852039166/x",
            "http://0xa9fea9fe/x",
            "http://169.254.43518/x",
            "http://0x7f.1/x",
        ] {
            assert!(
                GitUrl::parse(url, &reserved(), &LocalPaths::Refused).is_err(),
                "{url:?}"
            );
        }
    }

    #[test]
    fn local_repositories_need_the_setting_and_stay_out_of_ployers_own_directories() {
        let data = tempfile::tempdir().unwrap();
        let private = [data.path().to_path_buf()];
        let allowed = LocalPaths::Allowed { except: &private };
        for url in ["/srv/git/app.git", "file:///srv/git/app.git"] {
            let err = GitUrl::parse(url, &reserved(), &LocalPaths::Refused).unwrap_err();
            assert!(err.message().contains("allowLocalGitPaths"), "{url}: {}", err.message());
            let parsed = GitUrl::parse(url, &reserved(), &allowed).unwrap();
            assert_eq!(parsed.as_str(), "file:///srv/git/app.git");
            assert!(parsed.is_local() && !parsed.is_ssh());
        }
        // Found by fuzz/fuzz_targets/git_url.rs: stored as `file://…`, 2051 characters, which
        // did not parse again.
        let long = format!("/srv/{}", "a".repeat(2040));
        assert!(GitUrl::parse(&long, &reserved(), &allowed).is_err());
        let inside = format!("{}/repo.git", data.path().display());
        let link = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(data.path(), link.path().join("via")).unwrap();
        let via_link = format!("{}/via", link.path().display());
        for url in [
            "/",
            "/srv/../etc",
            "/srv/./git",
            "file://srv/git",
            "file://host/srv/git",
            inside.as_str(),
            via_link.as_str(),
        ] {
            assert!(GitUrl::parse(url, &reserved(), &allowed).is_err(), "{url:?}");
        }
    }

    #[test]
    fn branches_follow_git_ref_rules() {
        for ok in ["main", "feature/x", "release-1.2", "v1"] {
            assert!(Branch::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-f",
            "..",
            "a..b",
            "a@{b",
            "with space",
            "a\nb",
            "a.lock",
            "/a",
            "a/",
            "a~1",
            "a^",
            "a:b",
            "a//b",
            "a/.b",
            "a\u{7f}",
            // libgit2's check (which this replaced) panicked on a NUL byte.
            "a\0b",
            // Found by fuzz/fuzz_targets/branch.rs: git takes C1 controls and Unicode spaces.
            "\u{93}\u{45c}",
            "a\u{9b}31m",
            "a\u{a0}b",
            "a\u{2028}b",
        ] {
            assert!(Branch::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn repo_paths_stay_inside_the_repository() {
        assert_eq!(
            RepoPath::parse("dockerfilePath", "./docker/Dockerfile")
                .unwrap()
                .as_str(),
            "docker/Dockerfile"
        );
        assert_eq!(RepoPath::parse("buildContext", ".").unwrap().as_str(), ".");
        for bad in [
            "",
            "/etc/passwd",
            "../Dockerfile",
            "a/../../b",
            "~/x",
            "a\\b",
            "a\0b",
            "-f",
            // Found by fuzz/fuzz_targets/names.rs: stored as `a `, it read back as `a`.
            "a /",
            "a /.",
            "docker/ x/Dockerfile",
            // Found by fuzz/fuzz_targets/names.rs: stored as `~/x`, which does not parse.
            "./~/x",
            ".//~",
        ] {
            assert!(RepoPath::parse("dockerfilePath", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn image_references_follow_docker_rules() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "library/nginx:latest",
            "ghcr.io/org/app:v1",
            "localhost:5000/app",
            "ployer-test/busybox:latest",
            &format!("ghcr.io/org/app@sha256:{}", "a".repeat(64)),
        ] {
            assert!(ImageRef::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Nginx",
            "nginx:",
            "nginx:-x",
            "-nginx",
            "a b",
            "nginx@sha256:xyz",
            "nginx;id",
            "a//b",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad:?}");
        }
    }
}
