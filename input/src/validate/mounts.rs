//! Where an application keeps data: a path inside its container, a volume's name, and a host
//! directory an admin may mount (only under a directory allowed in the settings, never one
//! that holds or is held by Ployer's own data, the Docker engine or the system's).

use std::path::{Component, Path, PathBuf};

use crate::{InputResult, Invalid};

/// Paths inside a container are bounded like Linux paths are in practice.
const MAX_PATH: usize = 4096;
const MAX_VOLUME_NAME: usize = 63;

/// Host directories no mount may be, hold, or be held by: the system's, the engine's and its
/// socket. Ployer's own directories are added by the caller.
const SYSTEM_DIRS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/run",
    "/var/run/docker.sock",
];

/// Container paths the engine itself provides.
const CONTAINER_SYSTEM_DIRS: &[&str] = &["/proc", "/sys", "/dev"];

/// An absolute, normalised path inside a container, not `/` and not the engine's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerPath(String);

impl ContainerPath {
    pub fn parse(field: &'static str, raw: &str) -> InputResult<Self> {
        let path = absolute_normal(field, raw)?;
        if path == "/" {
            return Err(Invalid::new(
                field,
                "cannot be `/`: mount at a directory inside the container",
            ));
        }
        if CONTAINER_SYSTEM_DIRS.iter().any(|dir| within(&path, dir)) {
            return Err(Invalid::new(
                field,
                "cannot be /proc, /sys or /dev (or inside them): the engine provides those",
            ));
        }
        Ok(Self(path))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A volume's short name as the user gives it: `[a-z0-9][a-z0-9_.-]*`, at most 63.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeName(String);

impl VolumeName {
    pub fn parse(field: &'static str, raw: &str) -> InputResult<Self> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_VOLUME_NAME
            && raw
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-'));
        if !ok {
            return Err(Invalid::new(
                field,
                "must be 1-63 lower-case letters, digits, '_', '.' or '-', starting with a letter or digit",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    /// The engine's name for it: one per application, fixed when the mount is made.
    pub fn engine_name(&self, app_name: &str) -> String {
        format!("ployer-{app_name}-{}", self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A directory an admin allows host mounts under: absolute, existing, given by its canonical
/// path (symbolic links resolved), and clear of the system's and Ployer's directories.
pub fn allowed_root(field: &'static str, raw: &str, private: &[PathBuf]) -> InputResult<PathBuf> {
    let path = existing_dir(field, raw)?;
    clear_of_protected(field, &path, private)?;
    Ok(path)
}

/// A host directory to mount: absolute, existing, its canonical path (so a symbolic link
/// cannot lead out) inside one of `allowed` and clear of the protected directories.
pub fn host_dir(field: &'static str, raw: &str, allowed: &[PathBuf], private: &[PathBuf]) -> InputResult<PathBuf> {
    if allowed.is_empty() {
        return Err(Invalid::new(
            field,
            "no host directory may be mounted: an admin first allows directories in the settings (allowedBindPaths)",
        ));
    }
    let path = existing_dir(field, raw)?;
    let inside = allowed.iter().any(|root| path.starts_with(root));
    if !inside {
        let roots: Vec<String> = allowed.iter().map(|r| r.display().to_string()).collect();
        return Err(Invalid::new(
            field,
            format!(
                "{} (symbolic links resolved) is not inside a directory allowed for mounts: {}",
                path.display(),
                roots.join(", ")
            ),
        ));
    }
    clear_of_protected(field, &path, private)?;
    Ok(path)
}

fn existing_dir(field: &'static str, raw: &str) -> InputResult<PathBuf> {
    let normal = absolute_normal(field, raw)?;
    if normal == "/" {
        return Err(Invalid::new(field, "cannot be `/`"));
    }
    let canonical =
        std::fs::canonicalize(&normal).map_err(|e| Invalid::new(field, format!("{normal} cannot be used: {e}")))?;
    if !canonical.is_dir() {
        return Err(Invalid::new(field, format!("{normal} is not a directory")));
    }
    Ok(canonical)
}

/// Refuses a path that is `/`, or is, holds or is held by a protected directory.
fn clear_of_protected(field: &'static str, path: &Path, private: &[PathBuf]) -> InputResult<()> {
    if path == Path::new("/") {
        return Err(Invalid::new(field, "cannot be `/`"));
    }
    let system = SYSTEM_DIRS.iter().map(PathBuf::from);
    // Ployer's own directories by their canonical paths too, when they exist.
    let own = private
        .iter()
        .flat_map(|dir| [dir.clone(), std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone())]);
    for protected in system.chain(own) {
        if path.starts_with(&protected) || protected.starts_with(path) {
            return Err(Invalid::new(
                field,
                format!(
                    "{} overlaps {}, which no mount may expose",
                    path.display(),
                    protected.display()
                ),
            ));
        }
    }
    Ok(())
}

/// `raw` as an absolute path without `.`, `..`, empty or trailing components.
fn absolute_normal(field: &'static str, raw: &str) -> InputResult<String> {
    if raw.len() > MAX_PATH || raw.chars().any(char::is_control) {
        return Err(Invalid::new(
            field,
            "must be a path of at most 4096 characters without control characters",
        ));
    }
    if !raw.starts_with('/') {
        return Err(Invalid::new(field, "must be an absolute path (starting with `/`)"));
    }
    let mut normal = String::new();
    for component in Path::new(raw).components() {
        match component {
            Component::RootDir => {}
            Component::Normal(part) => {
                normal.push('/');
                normal.push_str(&part.to_string_lossy());
            }
            Component::CurDir | Component::ParentDir | Component::Prefix(_) => {
                return Err(Invalid::new(field, "must not contain `.` or `..`"));
            }
        }
    }
    if raw.contains("//") || (raw.len() > 1 && raw.ends_with('/')) || raw.contains("/./") || raw.ends_with("/.") {
        return Err(Invalid::new(
            field,
            format!(
                "must be written plainly: `{}`",
                if normal.is_empty() { "/" } else { &normal }
            ),
        ));
    }
    Ok(if normal.is_empty() { "/".into() } else { normal })
}

fn within(path: &str, dir: &str) -> bool {
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(err: Invalid) -> String {
        err.message
    }

    #[test]
    fn container_paths_are_absolute_plain_and_not_the_engines() {
        assert_eq!(
            ContainerPath::parse("containerPath", "/data").unwrap().as_str(),
            "/data"
        );
        assert_eq!(
            ContainerPath::parse("containerPath", "/var/lib/app").unwrap().as_str(),
            "/var/lib/app"
        );
        for bad in [
            "", "data", "/", "/data/", "/a/../b", "/a/./b", "//data", "/proc", "/sys/fs", "/dev", "/a\nb",
        ] {
            assert!(
                ContainerPath::parse("containerPath", bad).is_err(),
                "{bad:?} is refused"
            );
        }
        // `/procfs` is not `/proc`.
        assert!(ContainerPath::parse("containerPath", "/procfs").is_ok());
    }

    #[test]
    fn volume_names_are_short_slugs() {
        assert_eq!(
            VolumeName::parse("volume", "data").unwrap().engine_name("web"),
            "ployer-web-data"
        );
        assert!(VolumeName::parse("volume", "pg_data.1-x").is_ok());
        for bad in ["", "-x", "_x", "Data", "a/b", "a b", &"x".repeat(64)] {
            assert!(VolumeName::parse("volume", bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn host_directories_stay_inside_the_allowed_ones_through_links() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let allowed = root.join("allowed");
        let outside = root.join("outside");
        std::fs::create_dir_all(allowed.join("site")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, allowed.join("link")).unwrap();
        let allowed_roots = [allowed.clone()];
        let ok = host_dir("hostPath", allowed.join("site").to_str().unwrap(), &allowed_roots, &[]).unwrap();
        assert_eq!(ok, allowed.join("site"));
        let through_link = host_dir("hostPath", allowed.join("link").to_str().unwrap(), &allowed_roots, &[]);
        assert!(
            field_of(through_link.unwrap_err()).contains("not inside"),
            "a link out is refused"
        );
        assert!(host_dir("hostPath", outside.to_str().unwrap(), &allowed_roots, &[]).is_err());
        assert!(host_dir(
            "hostPath",
            allowed.join("missing").to_str().unwrap(),
            &allowed_roots,
            &[]
        )
        .is_err());
        assert!(host_dir("hostPath", "relative/dir", &allowed_roots, &[]).is_err());
        let none = host_dir("hostPath", allowed.join("site").to_str().unwrap(), &[], &[]).unwrap_err();
        assert!(field_of(none).contains("allowedBindPaths"));
        // Ployer's data inside an allowed directory stays out of reach, and so does what holds it.
        let data = allowed.join("site").join("ployer-data");
        std::fs::create_dir_all(&data).unwrap();
        assert!(host_dir(
            "hostPath",
            data.to_str().unwrap(),
            &allowed_roots,
            std::slice::from_ref(&data)
        )
        .is_err());
        assert!(host_dir(
            "hostPath",
            allowed.join("site").to_str().unwrap(),
            &allowed_roots,
            std::slice::from_ref(&data)
        )
        .is_err());
    }

    #[test]
    fn allowed_roots_are_clear_of_the_system_and_ployer() {
        for bad in [
            "/",
            "/etc",
            "/etc/ssl",
            "/var",
            "/var/lib/docker",
            "/run",
            "/usr/local",
            "relative",
        ] {
            assert!(
                allowed_root("allowedBindPaths", bad, &[]).is_err(),
                "{bad:?} is refused"
            );
        }
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().canonicalize().unwrap();
        assert_eq!(
            allowed_root("allowedBindPaths", dir.to_str().unwrap(), &[]).unwrap(),
            dir
        );
        assert!(allowed_root(
            "allowedBindPaths",
            dir.to_str().unwrap(),
            std::slice::from_ref(&dir.join("data"))
        )
        .is_err());
    }
}
