//! Where static sites live on disk: `<data dir>/sites/<app id>/<deployment id>/` holds one
//! deployment's files, and `<app id>/current` is a symbolic link to the one serving, which
//! Caddy's route names. A deploy (or rollback) swaps the link with one atomic rename: requests
//! already reading files finish with the old version, the next ones get the new one, and
//! Caddy's config does not change.

use std::{
    io,
    path::{Path, PathBuf},
};

/// The name of the link to the serving deployment.
const CURRENT: &str = "current";

#[derive(Debug, Clone)]
pub struct Sites {
    root: PathBuf,
}

impl Sites {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// The link Caddy serves the application's files through.
    pub fn current(&self, app_id: &str) -> PathBuf {
        self.app_dir(app_id).join(CURRENT)
    }

    /// Where a deployment's files are.
    pub fn deployment(&self, app_id: &str, deployment_id: &str) -> PathBuf {
        self.app_dir(app_id).join(deployment_id)
    }

    /// The deployment `current` points at, if any.
    pub fn serving(&self, app_id: &str) -> Option<String> {
        let target = std::fs::read_link(self.current(app_id)).ok()?;
        Some(target.file_name()?.to_str()?.to_string())
    }

    /// Points `current` at the deployment's files: a new link renamed over the old one.
    pub fn switch(&self, app_id: &str, deployment_id: &str) -> io::Result<()> {
        let dir = self.app_dir(app_id);
        let target = self.deployment(app_id, deployment_id);
        if !target.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} does not exist", target.display()),
            ));
        }
        let staged = dir.join(format!(".{CURRENT}-{deployment_id}"));
        let _ = std::fs::remove_file(&staged);
        // Relative, so that the site directory can move (a restored backup) with its links.
        std::os::unix::fs::symlink(deployment_id, &staged)?;
        std::fs::rename(&staged, self.current(app_id))
    }

    /// Removes the deployments' directories of the application but those in `keep` and the
    /// one serving.
    pub fn retain(&self, app_id: &str, keep: &[String]) -> io::Result<Vec<String>> {
        let serving = self.serving(app_id);
        let mut removed = Vec::new();
        let entries = match std::fs::read_dir(self.app_dir(app_id)) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(removed),
            Err(err) => return Err(err),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().to_string();
            let is_dir = entry.file_type()?.is_dir();
            if !is_dir || keep.contains(&name) || serving.as_deref() == Some(name.as_str()) {
                continue;
            }
            std::fs::remove_dir_all(entry.path())?;
            removed.push(name);
        }
        Ok(removed)
    }

    /// Removes everything of the application (it is being deleted).
    pub fn remove_app(&self, app_id: &str) -> io::Result<()> {
        match std::fs::remove_dir_all(self.app_dir(app_id)) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }

    fn app_dir(&self, app_id: &str) -> PathBuf {
        self.root.join(app_id)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_moves_between_deployments_and_old_ones_go() {
        let tmp = tempfile::tempdir().unwrap();
        let sites = Sites::new(tmp.path().to_path_buf());
        for id in ["d1", "d2", "d3"] {
            std::fs::create_dir_all(sites.deployment("app", id)).unwrap();
            std::fs::write(sites.deployment("app", id).join("index.html"), id).unwrap();
        }
        assert!(sites.switch("app", "missing").is_err());
        assert_eq!(sites.serving("app"), None);
        sites.switch("app", "d1").unwrap();
        assert_eq!(
            std::fs::read_to_string(sites.current("app").join("index.html")).unwrap(),
            "d1"
        );
        sites.switch("app", "d3").unwrap();
        assert_eq!(sites.serving("app").as_deref(), Some("d3"));
        assert_eq!(
            std::fs::read_to_string(sites.current("app").join("index.html")).unwrap(),
            "d3"
        );
        let mut removed = sites.retain("app", &["d2".to_string()]).unwrap();
        removed.sort();
        assert_eq!(removed, ["d1"], "the serving one and the kept one stay");
        assert!(sites.deployment("app", "d2").is_dir());
        sites.remove_app("app").unwrap();
        assert!(!sites.current("app").exists());
        sites.remove_app("app").unwrap();
    }
}
