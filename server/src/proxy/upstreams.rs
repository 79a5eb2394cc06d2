//! Where each application's route dials: one small file per application, read by Caddy on
//! every request through the `{file.<path>}` placeholder in the route's upstream.
//!
//! Why: every admin-API change makes Caddy load its whole config again, and a load replaces
//! the listening sockets; a connection that arrives at that instant can be reset or closed
//! unanswered (measured: about one request in a few hundred under a load that opens a
//! connection per request). With the upstream in a file, a cutover is one atomic rename and
//! Caddy's config does not change at all; only adding or removing a route, or changing its host
//! names, still loads a new config.
//!
//! What it must never do:
//! - leave a half-written file where Caddy reads (each write goes to a temporary file renamed
//!   over the old one);
//! - accept a directory whose path would break out of the placeholder (`{`, `}`, `\`) or a
//!   relative one (Caddy resolves it against its own working directory);
//! - hold anything secret: a file holds `127.0.0.1:<port>`.
//!
//! On a remote server the files are on that server, next to the Caddy Ployer runs there: they
//! are written over the server's SSH connection with the same write-then-rename, one short
//! command each (`printf`, `mv`, `cat`, `rm` of names Ployer made).

use std::{
    collections::HashMap,
    io::Write,
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use super::{config::route_id, ProxyError};

/// The directory of upstream files, one per application named after its route id.
#[derive(Clone)]
pub struct UpstreamFiles {
    dir: PathBuf,
    /// The remote server the directory is on; `None`: this machine.
    remote: Option<Arc<crate::remote::Connection>>,
}

impl std::fmt::Debug for UpstreamFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamFiles")
            .field("dir", &self.dir)
            .field("remote", &self.remote.is_some())
            .finish()
    }
}

impl UpstreamFiles {
    /// Files in `dir`, which is created when missing. `dir` must be absolute and free of the
    /// characters that delimit or escape a Caddy placeholder.
    pub fn open(dir: &Path) -> Result<Self, ProxyError> {
        check_dir(dir)?;
        std::fs::create_dir_all(dir).map_err(|err| io_error("create", dir, err))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            remote: None,
        })
    }

    /// Files in `dir` on the remote host `connection` reaches (created when missing). The
    /// path travels inside single quotes, so it may not hold one.
    pub async fn open_remote(dir: &Path, connection: Arc<crate::remote::Connection>) -> Result<Self, ProxyError> {
        check_dir(dir)?;
        if dir.to_string_lossy().contains('\'') {
            return Err(ProxyError::Invalid(format!(
                "the upstream directory {} contains a quote",
                dir.display()
            )));
        }
        let files = Self {
            dir: dir.to_path_buf(),
            remote: Some(connection),
        };
        files
            .run(&format!("mkdir -p {}", files.quoted(&files.dir)), "create")
            .await?;
        Ok(files)
    }

    /// The upstream dial address Caddy's route holds for `app_id`: the placeholder that reads
    /// the application's file.
    pub fn placeholder(&self, app_id: &str) -> Result<String, ProxyError> {
        Ok(format!("{{file.{}}}", self.path(app_id)?.display()))
    }

    /// The key [`UpstreamFiles::read_all`] gives a pool's slot: the app id for slot 0 (the
    /// file a single upstream uses), `<app id>.<slot>` for the others.
    pub fn slot_key(app_id: &str, slot: u16) -> String {
        match slot {
            0 => app_id.to_string(),
            k => format!("{app_id}.{k}"),
        }
    }

    /// The placeholder of a pool's slot (slot 0 is the application's own file).
    pub fn slot_placeholder(&self, app_id: &str, slot: u16) -> Result<String, ProxyError> {
        Ok(format!("{{file.{}}}", self.slot_path(app_id, slot)?.display()))
    }

    /// What a pool's slot dials now.
    pub async fn read_slot(&self, app_id: &str, slot: u16) -> Result<Option<SocketAddr>, ProxyError> {
        let path = self.slot_path(app_id, slot)?;
        if self.remote.is_some() {
            let out = self
                .run(&format!("cat {} 2>/dev/null || true", self.quoted(&path)), "read")
                .await?;
            return Ok(ployer_input::upstream::parse(&out));
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(ployer_input::upstream::parse(&text)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(io_error("read", &path, err)),
        }
    }

    /// Points a pool's slots at `addresses` (slot k at `addresses[k]`), each file written
    /// then renamed; those that already say so are left alone. On a remote server, one command
    /// for them all.
    pub async fn write_slots(&self, app_id: &str, addresses: &[SocketAddr]) -> Result<(), ProxyError> {
        let dialed = self.read_all().await?;
        let mut commands = Vec::new();
        for (slot, upstream) in addresses.iter().enumerate() {
            let slot = u16::try_from(slot).map_err(|_| ProxyError::Invalid("too many slots".into()))?;
            if dialed.get(&Self::slot_key(app_id, slot)) == Some(upstream) {
                continue;
            }
            let path = self.slot_path(app_id, slot)?;
            let temporary = self.dir.join(format!(".{}.{slot}.tmp", route_id(app_id)?));
            let text = ployer_input::upstream::render(*upstream);
            if self.remote.is_some() {
                commands.push(format!(
                    "printf '%s\\n' '{}' > {tmp} && mv -f {tmp} {path}",
                    text.trim(),
                    tmp = self.quoted(&temporary),
                    path = self.quoted(&path),
                ));
                continue;
            }
            let written = std::fs::File::create(&temporary)
                .and_then(|mut file| file.write_all(text.as_bytes()))
                .and_then(|()| std::fs::rename(&temporary, &path));
            written.map_err(|err| {
                let _ = std::fs::remove_file(&temporary);
                io_error("write", &path, err)
            })?;
        }
        if !commands.is_empty() {
            self.run(&commands.join(" && "), "write").await?;
        }
        Ok(())
    }

    /// What the application's route dials now; `None` when its file is missing or does not hold
    /// an address.
    pub async fn read(&self, app_id: &str) -> Result<Option<SocketAddr>, ProxyError> {
        let path = self.path(app_id)?;
        if self.remote.is_some() {
            let out = self
                .run(&format!("cat {} 2>/dev/null || true", self.quoted(&path)), "read")
                .await?;
            return Ok(ployer_input::upstream::parse(&out));
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(ployer_input::upstream::parse(&text)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(io_error("read", &path, err)),
        }
    }

    /// What every route dials now, by app id (the route ids' files that hold an address); a
    /// pool's other slots by [`UpstreamFiles::slot_key`].
    pub async fn read_all(&self) -> Result<HashMap<String, SocketAddr>, ProxyError> {
        let prefix = super::config::ROUTE_ID_PREFIX;
        let mut found = HashMap::new();
        if self.remote.is_some() {
            // `grep -H ''` prints `<path>:<line>` for each file: one round trip for them all.
            let out = self
                .run(
                    &format!(
                        "cd {} && grep -H '' {prefix}* 2>/dev/null || true",
                        self.quoted(&self.dir)
                    ),
                    "read",
                )
                .await?;
            return Ok(parse_listing(&out));
        }
        let entries = std::fs::read_dir(&self.dir).map_err(|err| io_error("list", &self.dir, err))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(key) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
                continue;
            };
            let path = entry.path();
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    if let Some(addr) = ployer_input::upstream::parse(&text) {
                        found.insert(key.to_string(), addr);
                    }
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(io_error("read", &path, err)),
            }
        }
        Ok(found)
    }

    /// Points the application's route at `upstream`: requests Caddy routes after this returns
    /// dial it. Nothing is written when the file already says so.
    pub async fn write(&self, app_id: &str, upstream: SocketAddr) -> Result<(), ProxyError> {
        if self.read(app_id).await? == Some(upstream) {
            return Ok(());
        }
        let path = self.path(app_id)?;
        let temporary = self.dir.join(format!(".{}.tmp", route_id(app_id)?));
        let text = ployer_input::upstream::render(upstream);
        if self.remote.is_some() {
            // The text is an address Ployer rendered: digits, dots, colons, brackets.
            let command = format!(
                "printf '%s\\n' '{}' > {tmp} && mv -f {tmp} {path}",
                text.trim(),
                tmp = self.quoted(&temporary),
                path = self.quoted(&path),
            );
            self.run(&command, "write").await?;
            return Ok(());
        }
        let written = std::fs::File::create(&temporary)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .and_then(|()| std::fs::rename(&temporary, &path));
        written.map_err(|err| {
            let _ = std::fs::remove_file(&temporary);
            io_error("write", &path, err)
        })
    }

    /// Removes the application's file; an absent one is fine.
    pub async fn remove(&self, app_id: &str) -> Result<(), ProxyError> {
        let path = self.path(app_id)?;
        if self.remote.is_some() {
            // The quoted path, then an unquoted `.*` the shell expands to the pool's slots.
            let quoted = self.quoted(&path);
            self.run(&format!("rm -f {quoted} {quoted}.*"), "remove").await?;
            return Ok(());
        }
        let slot_prefix = format!("{}.", route_id(app_id)?);
        let slots = std::fs::read_dir(&self.dir)
            .map_err(|err| io_error("list", &self.dir, err))?
            .flatten()
            .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(&slot_prefix)))
            .map(|e| e.path());
        for path in std::iter::once(path.clone()).chain(slots) {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(io_error("remove", &path, err)),
            }
        }
        Ok(())
    }

    /// Removes the files of every application not in `keep` (routes that are gone).
    pub async fn retain(&self, keep: &[&str]) -> Result<(), ProxyError> {
        let keep: Vec<String> = keep.iter().map(|id| route_id(id)).collect::<Result<_, _>>()?;
        if self.remote.is_some() {
            let mut gone: Vec<String> = self
                .read_all()
                .await?
                .into_keys()
                .map(|key| key.split('.').next().unwrap_or_default().to_string())
                .collect();
            gone.sort();
            gone.dedup();
            for app_id in gone {
                if !keep.contains(&route_id(&app_id)?) {
                    self.remove(&app_id).await?;
                }
            }
            return Ok(());
        }
        let entries = std::fs::read_dir(&self.dir).map_err(|err| io_error("list", &self.dir, err))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            // A pool's slot files (`<route id>.<slot>`) go with their route.
            let route = name.split('.').next().unwrap_or_default();
            if name.starts_with(super::config::ROUTE_ID_PREFIX) && !keep.iter().any(|k| k == route) {
                let path = entry.path();
                if let Err(err) = std::fs::remove_file(&path) {
                    if err.kind() != std::io::ErrorKind::NotFound {
                        return Err(io_error("remove", &path, err));
                    }
                }
            }
        }
        Ok(())
    }

    fn path(&self, app_id: &str) -> Result<PathBuf, ProxyError> {
        Ok(self.dir.join(route_id(app_id)?))
    }

    fn slot_path(&self, app_id: &str, slot: u16) -> Result<PathBuf, ProxyError> {
        match slot {
            0 => self.path(app_id),
            k => Ok(self.dir.join(format!("{}.{k}", route_id(app_id)?))),
        }
    }

    /// `path` in single quotes: [`UpstreamFiles::open_remote`] refused a directory with a
    /// quote, and file names are route ids.
    fn quoted(&self, path: &Path) -> String {
        format!("'{}'", path.display())
    }

    /// Runs `command` on the remote host; its output, or an error naming `what` failed.
    async fn run(&self, command: &str, what: &str) -> Result<String, ProxyError> {
        let Some(connection) = &self.remote else {
            return Err(ProxyError::Invalid("not a remote directory".into()));
        };
        match connection.exec(command).await {
            Ok((0, out)) => Ok(out),
            Ok((status, _)) => Err(ProxyError::Io {
                what: format!(
                    "cannot {what} the upstream files in {} on the server",
                    self.dir.display()
                ),
                source: std::io::Error::other(format!("the command exited with {status}")),
            }),
            Err(err) => Err(ProxyError::Unreachable(format!("the server's SSH connection: {err}"))),
        }
    }
}

/// The app ids and addresses in `grep -H '' <route id>*` output (`<file>:<line>` per file):
/// lines of files that are not route ids, or that hold no address, are left out.
fn parse_listing(out: &str) -> HashMap<String, SocketAddr> {
    out.lines()
        .filter_map(|line| {
            let (name, text) = line.split_once(':')?;
            let app_id = name.strip_prefix(super::config::ROUTE_ID_PREFIX)?;
            Some((app_id.to_string(), ployer_input::upstream::parse(text)?))
        })
        .collect()
}

fn check_dir(dir: &Path) -> Result<(), ProxyError> {
    let text = dir
        .to_str()
        .ok_or_else(|| ProxyError::Invalid(format!("the upstream directory {} is not valid UTF-8", dir.display())))?;
    if !dir.is_absolute() {
        return Err(ProxyError::Invalid(format!(
            "the upstream directory {text} must be an absolute path (Caddy reads it from its own working directory)"
        )));
    }
    if text.contains(['{', '}', '\\']) || text.chars().any(char::is_control) {
        return Err(ProxyError::Invalid(format!(
            "the upstream directory {text} contains a character Caddy's placeholders reserve ({{, }}, \\ or a control character)"
        )));
    }
    Ok(())
}

fn io_error(what: &str, path: &Path, err: std::io::Error) -> ProxyError {
    ProxyError::Io {
        what: format!("cannot {what} the upstream file {}", path.display()),
        source: err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> (tempfile::TempDir, UpstreamFiles) {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = UpstreamFiles::open(&dir.path().join("upstreams")).expect("open");
        (dir, files)
    }

    #[tokio::test]
    async fn a_written_upstream_is_read_back_and_named_by_the_placeholder() {
        let (_dir, files) = files();
        assert_eq!(files.read("app1").await.unwrap(), None);
        let addr: SocketAddr = "127.0.0.1:32768".parse().unwrap();
        files.write("app1", addr).await.unwrap();
        assert_eq!(files.read("app1").await.unwrap(), Some(addr));
        let placeholder = files.placeholder("app1").unwrap();
        let path = files.path("app1").unwrap();
        assert_eq!(placeholder, format!("{{file.{}}}", path.display()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "127.0.0.1:32768\n");
        let other: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        files.write("app1", other).await.unwrap();
        assert_eq!(files.read("app1").await.unwrap(), Some(other));
        let leftovers: Vec<_> = std::fs::read_dir(&files.dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file stays behind: {leftovers:?}");
    }

    #[test]
    fn a_remote_listing_gives_each_route_its_address() {
        let prefix = super::super::config::ROUTE_ID_PREFIX;
        let out = format!(
            "{prefix}a:127.0.0.1:32768\n{prefix}b:[::1]:80\n{prefix}c:not an address\nunrelated:127.0.0.1:1\n{prefix}d:\n"
        );
        let found = parse_listing(&out);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found["a"], "127.0.0.1:32768".parse().unwrap());
        assert_eq!(found["b"], "[::1]:80".parse().unwrap());
    }

    #[tokio::test]
    async fn a_file_that_holds_no_address_reads_as_none() {
        let (_dir, files) = files();
        std::fs::write(files.path("app1").unwrap(), "not an address").unwrap();
        assert_eq!(files.read("app1").await.unwrap(), None);
    }

    #[tokio::test]
    async fn retain_removes_the_files_of_other_apps_only() {
        let (_dir, files) = files();
        let addr: SocketAddr = "127.0.0.1:1000".parse().unwrap();
        for app in ["a", "b", "c"] {
            files.write(app, addr).await.unwrap();
        }
        std::fs::write(files.dir.join("unrelated"), "x").unwrap();
        files.retain(&["b"]).await.unwrap();
        assert_eq!(files.read("a").await.unwrap(), None);
        assert_eq!(files.read("b").await.unwrap(), Some(addr));
        assert_eq!(files.read("c").await.unwrap(), None);
        assert!(
            files.dir.join("unrelated").exists(),
            "files Ployer did not name are left alone"
        );
        files.remove("b").await.unwrap();
        files.remove("b").await.unwrap();
        assert_eq!(files.read("b").await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_pools_slots_are_written_read_back_and_removed_with_their_route() {
        let (_dir, files) = files();
        let a: SocketAddr = "10.0.0.1:30001".parse().unwrap();
        let b: SocketAddr = "10.0.0.2:30002".parse().unwrap();
        files.write_slots("pool", &[a, b, a]).await.unwrap();
        assert_eq!(files.read_slot("pool", 0).await.unwrap(), Some(a));
        assert_eq!(files.read_slot("pool", 1).await.unwrap(), Some(b));
        assert_eq!(files.read_slot("pool", 2).await.unwrap(), Some(a));
        assert_eq!(
            files.read("pool").await.unwrap(),
            Some(a),
            "slot 0 is the route's own file"
        );
        let all = files.read_all().await.unwrap();
        assert_eq!(all[&UpstreamFiles::slot_key("pool", 1)], b);
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(
            files.slot_placeholder("pool", 2).unwrap(),
            format!("{{file.{}.2}}", files.path("pool").unwrap().display())
        );
        // Another route's files go with `retain`; the pool keeps all its slots.
        files.write("other", a).await.unwrap();
        files.retain(&["pool"]).await.unwrap();
        assert_eq!(files.read("other").await.unwrap(), None);
        assert_eq!(files.read_slot("pool", 2).await.unwrap(), Some(a));
        // Removing the route removes every slot.
        files.remove("pool").await.unwrap();
        assert!(files.read_all().await.unwrap().is_empty());
        let leftovers: Vec<_> = std::fs::read_dir(&files.dir).unwrap().flatten().collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_pool_names_its_upstreams_round_robin_over_its_slots() {
        let a: SocketAddr = "10.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "10.0.0.2:2".parse().unwrap();
        assert_eq!(crate::proxy::Target::slot_addresses(3, &[a, b]), vec![a, b, a]);
        assert_eq!(crate::proxy::Target::slot_addresses(2, &[a]), vec![a, a]);
        assert!(crate::proxy::Target::slot_addresses(2, &[]).is_empty());
    }

    #[tokio::test]
    async fn directories_that_would_break_the_placeholder_are_refused() {
        for bad in ["relative/dir", "/tmp/a}b", "/tmp/a{b", "/tmp/a\\b", "/tmp/a\nb"] {
            let err = UpstreamFiles::open(Path::new(bad)).expect_err(bad);
            assert!(matches!(err, ProxyError::Invalid(_)), "{bad}: {err}");
        }
        let (_dir, files) = files();
        assert!(matches!(
            files.write("../escape", "127.0.0.1:1".parse().unwrap()).await,
            Err(ProxyError::Invalid(_))
        ));
    }
}
