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

use std::{
    io::Write,
    net::SocketAddr,
    path::{Path, PathBuf},
};

use super::{config::route_id, ProxyError};

/// The directory of upstream files, one per application named after its route id.
#[derive(Debug, Clone)]
pub struct UpstreamFiles {
    dir: PathBuf,
}

impl UpstreamFiles {
    /// Files in `dir`, which is created when missing. `dir` must be absolute and free of the
    /// characters that delimit or escape a Caddy placeholder.
    pub fn open(dir: &Path) -> Result<Self, ProxyError> {
        let text = dir.to_str().ok_or_else(|| {
            ProxyError::Invalid(format!("the upstream directory {} is not valid UTF-8", dir.display()))
        })?;
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
        std::fs::create_dir_all(dir).map_err(|err| io_error("create", dir, err))?;
        Ok(Self { dir: dir.to_path_buf() })
    }

    /// The upstream dial address Caddy's route holds for `app_id`: the placeholder that reads
    /// the application's file.
    pub fn placeholder(&self, app_id: &str) -> Result<String, ProxyError> {
        Ok(format!("{{file.{}}}", self.path(app_id)?.display()))
    }

    /// What the application's route dials now; `None` when its file is missing or does not hold
    /// an address.
    pub fn read(&self, app_id: &str) -> Result<Option<SocketAddr>, ProxyError> {
        let path = self.path(app_id)?;
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(ployer_input::upstream::parse(&text)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(io_error("read", &path, err)),
        }
    }

    /// Points the application's route at `upstream`: requests Caddy routes after this returns
    /// dial it. Nothing is written when the file already says so.
    pub fn write(&self, app_id: &str, upstream: SocketAddr) -> Result<(), ProxyError> {
        if self.read(app_id)? == Some(upstream) {
            return Ok(());
        }
        let path = self.path(app_id)?;
        let temporary = self.dir.join(format!(".{}.tmp", route_id(app_id)?));
        let written = std::fs::File::create(&temporary)
            .and_then(|mut file| file.write_all(ployer_input::upstream::render(upstream).as_bytes()))
            .and_then(|()| std::fs::rename(&temporary, &path));
        written.map_err(|err| {
            let _ = std::fs::remove_file(&temporary);
            io_error("write", &path, err)
        })
    }

    /// Removes the application's file; an absent one is fine.
    pub fn remove(&self, app_id: &str) -> Result<(), ProxyError> {
        let path = self.path(app_id)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(io_error("remove", &path, err)),
        }
    }

    /// Removes the files of every application not in `keep` (routes that are gone).
    pub fn retain(&self, keep: &[&str]) -> Result<(), ProxyError> {
        let keep: Vec<String> = keep.iter().map(|id| route_id(id)).collect::<Result<_, _>>()?;
        let entries = std::fs::read_dir(&self.dir).map_err(|err| io_error("list", &self.dir, err))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with(super::config::ROUTE_ID_PREFIX) && !keep.iter().any(|k| k == name) {
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

    #[test]
    fn a_written_upstream_is_read_back_and_named_by_the_placeholder() {
        let (_dir, files) = files();
        assert_eq!(files.read("app1").unwrap(), None);
        let addr: SocketAddr = "127.0.0.1:32768".parse().unwrap();
        files.write("app1", addr).unwrap();
        assert_eq!(files.read("app1").unwrap(), Some(addr));
        let placeholder = files.placeholder("app1").unwrap();
        let path = files.path("app1").unwrap();
        assert_eq!(placeholder, format!("{{file.{}}}", path.display()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "127.0.0.1:32768\n");
        let other: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        files.write("app1", other).unwrap();
        assert_eq!(files.read("app1").unwrap(), Some(other));
        let leftovers: Vec<_> = std::fs::read_dir(&files.dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file stays behind: {leftovers:?}");
    }

    #[test]
    fn a_file_that_holds_no_address_reads_as_none() {
        let (_dir, files) = files();
        std::fs::write(files.path("app1").unwrap(), "not an address").unwrap();
        assert_eq!(files.read("app1").unwrap(), None);
    }

    #[test]
    fn retain_removes_the_files_of_other_apps_only() {
        let (_dir, files) = files();
        let addr: SocketAddr = "127.0.0.1:1000".parse().unwrap();
        for app in ["a", "b", "c"] {
            files.write(app, addr).unwrap();
        }
        std::fs::write(files.dir.join("unrelated"), "x").unwrap();
        files.retain(&["b"]).unwrap();
        assert_eq!(files.read("a").unwrap(), None);
        assert_eq!(files.read("b").unwrap(), Some(addr));
        assert_eq!(files.read("c").unwrap(), None);
        assert!(
            files.dir.join("unrelated").exists(),
            "files Ployer did not name are left alone"
        );
        files.remove("b").unwrap();
        files.remove("b").unwrap();
        assert_eq!(files.read("b").unwrap(), None);
    }

    #[test]
    fn directories_that_would_break_the_placeholder_are_refused() {
        for bad in ["relative/dir", "/tmp/a}b", "/tmp/a{b", "/tmp/a\\b", "/tmp/a\nb"] {
            let err = UpstreamFiles::open(Path::new(bad)).expect_err(bad);
            assert!(matches!(err, ProxyError::Invalid(_)), "{bad}: {err}");
        }
        let (_dir, files) = files();
        assert!(matches!(
            files.write("../escape", "127.0.0.1:1".parse().unwrap()),
            Err(ProxyError::Invalid(_))
        ));
    }
}
