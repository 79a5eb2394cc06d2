//! Compose files: parsed with `docker-compose-types` (never by hand), interpolated value by
//! value ([`interpolate`]), checked against what Ployer refuses, and turned into a [`Plan`]:
//! the services in the order they start, the one that receives the application's domains
//! last, each with only what Ployer runs it with.
//!
//! Refused, with the key and the service named: `privileged`, `network_mode`, `pid`/`ipc`/
//! `userns_mode: host`, `devices`, `cap_add`, `security_opt`, host ports (Ployer publishes
//! on loopback ports it picks), bind mounts into the checkout (it is gone after the build),
//! volume drivers and external or renamed volumes (they could reach what is not the
//! application's), `build` contexts outside the repository, `ployer.*` labels, and what
//! would read files outside the file itself (`env_file`, `extends`, `include`, `secrets`,
//! `configs`). Bind mounts of absolute host paths are kept in the plan for the server to
//! check against the directories an admin allowed. Keys Ployer does not apply are listed in
//! [`Plan::warnings`] for the deploy log.

pub mod interpolate;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use docker_compose_types as dc;
use serde_yaml::Value;

use crate::validate::mounts::{ContainerPath, VolumeName};
use crate::validate::source::RepoPath;

/// The largest compose file read.
pub const MAX_FILE_BYTES: usize = 256 * 1024;
/// The most services one application runs.
pub const MAX_SERVICES: usize = 32;

/// A compose file Ployer refuses: the key (`services.web.privileged`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeError {
    pub key: String,
    pub message: String,
}

impl ComposeError {
    fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ComposeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.key.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

type Result<T> = std::result::Result<T, ComposeError>;

/// What to run, in order: every service the routed one does not need first… then the routed one.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// In dependency order; the routed service is the last.
    pub services: Vec<Service>,
    /// The service that receives the application's domains.
    pub routed: String,
    /// Named volumes the file declares (their names in the file).
    pub volumes: Vec<String>,
    /// Keys present in the file that Ployer does not apply.
    pub warnings: Vec<String>,
}

impl Plan {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn routed(&self) -> &Service {
        self.services.last().expect("a plan has its routed service")
    }
}

/// One service as Ployer runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub source: Source,
    /// The port it listens on (its first `ports` or `expose` entry).
    pub port: Option<u16>,
    /// The file's `environment`, interpolated, in the file's order.
    pub env: Vec<(String, String)>,
    pub command: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub user: Option<String>,
    pub working_dir: Option<String>,
    /// `no`, `always`, `unless_stopped` or `on_failure`.
    pub restart: Option<String>,
    pub mounts: Vec<Mount>,
    /// Container paths mounted as tmpfs.
    pub tmpfs: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub depends_on: Vec<Dependency>,
    pub healthcheck: Option<Healthcheck>,
    pub read_only: bool,
}

/// Where a service's image comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Image(String),
    /// Built from a directory of the repository (relative, inside it).
    Build {
        context: String,
        dockerfile: String,
        /// Also the image to tag, when the file names one.
        image: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub source: MountSource,
    /// An absolute, normalised container path.
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountSource {
    /// A volume the file declares, by its name in the file.
    Volume(String),
    /// An absolute host path, to be checked against the allowed directories.
    Bind(String),
    /// A volume of the container's own, removed with it.
    Anonymous,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub service: String,
    /// `condition: service_healthy`: started only once this one reports healthy.
    pub healthy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Healthcheck {
    /// Docker's form: `["CMD", …]`, `["CMD-SHELL", "…"]` or `["NONE"]`.
    pub test: Vec<String>,
    pub interval: Option<Duration>,
    pub timeout: Option<Duration>,
    pub start_period: Option<Duration>,
    pub retries: Option<i64>,
}

/// Parses `raw`, interpolates it with `vars` and plans it; `routed` names the service that
/// receives the domains (default: the first, in the file's order, with `ports` or `expose`).
pub fn plan(raw: &str, vars: &dyn Fn(&str) -> Option<String>, routed: Option<&str>) -> Result<Plan> {
    let compose = parse(raw, vars)?;
    Planner::default().plan(compose, routed)
}

/// The file as `docker-compose-types` reads it, after interpolation. A syntax error names its
/// line and column.
pub fn parse(raw: &str, vars: &dyn Fn(&str) -> Option<String>) -> Result<dc::Compose> {
    if raw.len() > MAX_FILE_BYTES {
        return Err(ComposeError::new(
            "",
            format!("the file is larger than {} KiB", MAX_FILE_BYTES / 1024),
        ));
    }
    let mut value: Value = serde_yaml::from_str(raw).map_err(|e| located("does not parse", &e))?;
    if !matches!(value, Value::Mapping(_)) {
        return Err(ComposeError::new(
            "",
            "is not a mapping of top-level keys (services: …)",
        ));
    }
    interpolate_values(&mut value, &mut Vec::new(), vars)?;
    serde_yaml::from_value::<dc::Compose>(value).map_err(|e| {
        // A value's type is wrong: the raw text, read the same way, says where.
        match serde_yaml::from_str::<dc::Compose>(raw) {
            Err(at) if at.location().is_some() => located("is not a valid compose file", &at),
            _ => ComposeError::new("", format!("is not a valid compose file: {e}")),
        }
    })
}

fn located(what: &str, err: &serde_yaml::Error) -> ComposeError {
    let text = err.to_string();
    // serde_yaml appends " at line L column C"; it is said once, in front.
    let reason = text.split(" at line ").next().unwrap_or(&text).to_string();
    match err.location() {
        Some(at) => ComposeError::new(
            "",
            format!("{what} at line {}, column {}: {reason}", at.line(), at.column()),
        ),
        None => ComposeError::new("", format!("{what}: {reason}")),
    }
}

/// Interpolates every string value (not the keys) where it stands.
fn interpolate_values(value: &mut Value, path: &mut Vec<String>, vars: &dyn Fn(&str) -> Option<String>) -> Result<()> {
    match value {
        Value::String(text) if text.contains('$') => {
            *text =
                interpolate::interpolate(text, vars).map_err(|e| ComposeError::new(path.join("."), e.to_string()))?;
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                interpolate_values(item, path, vars)?;
                path.pop();
            }
        }
        Value::Mapping(map) => {
            for (key, item) in map.iter_mut() {
                path.push(key.as_str().unwrap_or("?").to_string());
                interpolate_values(item, path, vars)?;
                path.pop();
            }
        }
        Value::Tagged(tagged) => interpolate_values(&mut tagged.value, path, vars)?,
        _ => {}
    }
    Ok(())
}

#[derive(Default)]
struct Planner {
    warnings: Vec<String>,
}

impl Planner {
    fn plan(mut self, compose: dc::Compose, routed: Option<&str>) -> Result<Plan> {
        if compose.includes.as_ref().is_some_and(|i| !i.is_empty()) {
            return Err(ComposeError::new(
                "include",
                "is not supported: put every service in this one file",
            ));
        }
        if compose.secrets.is_some() {
            return Err(ComposeError::new(
                "secrets",
                "are not supported: set secret values as the application's secret environment variables",
            ));
        }
        if compose.service.is_some() {
            return Err(ComposeError::new(
                "service",
                "is not a top-level key: list services under `services`",
            ));
        }
        if !compose.networks.is_empty() {
            self.warnings.push(
                "networks: ignored; every service joins the application's own network and finds the others by name"
                    .into(),
            );
        }
        let volumes = self.volumes(&compose.volumes)?;
        if compose.services.is_empty() {
            return Err(ComposeError::new("services", "the file defines no service"));
        }
        if compose.services.0.len() > MAX_SERVICES {
            return Err(ComposeError::new(
                "services",
                format!("at most {MAX_SERVICES} services"),
            ));
        }
        let mut services = Vec::new();
        for (name, service) in &compose.services.0 {
            let key = format!("services.{name}");
            crate::validate::mounts::VolumeName::parse("service", name).map_err(|_| {
                ComposeError::new(
                    &key,
                    "a service name is 1-63 lower-case letters, digits, '_', '.' or '-'",
                )
            })?;
            let service = service.clone().unwrap_or_default();
            if !service.profiles.is_empty() {
                self.warnings.push(format!(
                    "{key}: has profiles, so it is not started (as with `docker compose up`)"
                ));
                continue;
            }
            services.push(self.service(name, &key, service, &volumes)?);
        }
        if services.is_empty() {
            return Err(ComposeError::new(
                "services",
                "every service has profiles: none would start",
            ));
        }
        let routed = match routed {
            Some(name) => services
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.name.clone())
                .ok_or_else(|| {
                    let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
                    ComposeError::new(
                        "composeService",
                        format!("no service named {name:?} in the file; it has: {}", names.join(", ")),
                    )
                })?,
            None => services
                .iter()
                .find(|s| s.port.is_some())
                .map(|s| s.name.clone())
                .ok_or_else(|| {
                    ComposeError::new(
                        "services",
                        "no service has `ports` or `expose`: name the one that receives the domains in the application (composeService)",
                    )
                })?,
        };
        let services = order(services, &routed)?;
        Ok(Plan {
            services,
            routed,
            volumes,
            warnings: self.warnings,
        })
    }

    fn volumes(&mut self, volumes: &dc::TopLevelVolumes) -> Result<Vec<String>> {
        let mut names = Vec::new();
        for (name, volume) in &volumes.0 {
            let key = format!("volumes.{name}");
            VolumeName::parse("volume", name).map_err(|e| ComposeError::new(&key, e.message))?;
            if let dc::MapOrEmpty::Map(volume) = volume {
                if volume.driver.as_deref().is_some_and(|d| d != "local") || !volume.driver_opts.is_empty() {
                    return Err(ComposeError::new(
                        &key,
                        "volume drivers and driver_opts are not supported (they can mount host paths): Ployer creates a local volume",
                    ));
                }
                if volume.external.is_some() || volume.name.is_some() {
                    return Err(ComposeError::new(
                        &key,
                        "external and renamed volumes are not supported: Ployer names the application's volumes itself",
                    ));
                }
                if !volume.labels.is_empty() {
                    self.warnings
                        .push(format!("{key}.labels: ignored; Ployer labels its volumes"));
                }
            }
            names.push(name.clone());
        }
        Ok(names)
    }

    fn service(&mut self, name: &str, key: &str, s: dc::Service, volumes: &[String]) -> Result<Service> {
        let refuse = |field: &str, why: &str| Err(ComposeError::new(format!("{key}.{field}"), why.to_string()));
        if s.privileged {
            return refuse("privileged", "is refused: a privileged container is root on the host");
        }
        if s.network_mode.is_some() || s.net.is_some() {
            return refuse(
                "network_mode",
                "is refused: every service joins the application's own network (host networking would bypass it)",
            );
        }
        for (field, value) in [("pid", &s.pid), ("ipc", &s.ipc), ("userns_mode", &s.userns_mode)] {
            if value
                .as_deref()
                .is_some_and(|v| v == "host" || v.starts_with("container:") || v.starts_with("service:"))
            {
                return refuse(
                    field,
                    "is refused: a service may not share the host's or another container's namespace",
                );
            }
        }
        if !s.devices.is_empty() {
            return refuse("devices", "are refused: host devices are not given to containers");
        }
        if !s.cap_add.is_empty() {
            return refuse(
                "cap_add",
                "is refused: containers run with Docker's default capabilities or fewer",
            );
        }
        if !s.security_opt.is_empty() {
            return refuse(
                "security_opt",
                "is refused: containers keep Docker's default security profile",
            );
        }
        if s.cgroup_parent.is_some() || s.runtime.is_some() {
            return refuse("runtime", "cgroup_parent and runtime are refused");
        }
        if !s.volumes_from.is_empty() {
            return refuse("volumes_from", "is refused: name the volumes the service mounts");
        }
        if s.container_name.is_some() {
            return refuse(
                "container_name",
                "is refused: Ployer names containers (two versions run side by side during a cutover)",
            );
        }
        if !s.extends.is_empty() {
            return refuse("extends", "is not supported: write the service out in full");
        }
        if s.env_file.is_some() {
            return refuse(
                "env_file",
                "is not supported: set the values as the application's environment variables; they reach every service",
            );
        }
        if s.secrets.is_some() {
            return refuse(
                "secrets",
                "are not supported: use the application's secret environment variables",
            );
        }
        let labels = labels(key, &s.labels)?;
        let source = source(key, &s)?;
        let port = port(key, &s.ports, &s.expose)?;
        let env = environment(key, &s.environment)?;
        let mounts = s
            .volumes
            .iter()
            .enumerate()
            .map(|(i, v)| mount(&format!("{key}.volumes.{i}"), v, volumes))
            .collect::<Result<Vec<_>>>()?;
        let tmpfs = match &s.tmpfs {
            None => Vec::new(),
            Some(dc::Tmpfs::Simple(path)) => vec![path.clone()],
            Some(dc::Tmpfs::List(paths)) => paths.clone(),
        }
        .iter()
        .map(|p| {
            let path = p.split(':').next().unwrap_or_default();
            ContainerPath::parse("tmpfs", path)
                .map(|p| p.as_str().to_string())
                .map_err(|e| ComposeError::new(format!("{key}.tmpfs"), e.message))
        })
        .collect::<Result<Vec<_>>>()?;
        let depends_on = depends_on(key, &s.depends_on)?;
        let healthcheck = s
            .healthcheck
            .as_ref()
            .map(|h| healthcheck(key, h))
            .transpose()?
            .flatten();
        let restart = s
            .restart
            .as_deref()
            .map(|r| match r {
                "no" => Ok("no"),
                "always" => Ok("always"),
                "unless-stopped" => Ok("unless_stopped"),
                "on-failure" => Ok("on_failure"),
                _ => Err(ComposeError::new(
                    format!("{key}.restart"),
                    "must be no, always, unless-stopped or on-failure",
                )),
            })
            .transpose()?
            .map(str::to_string);
        self.ignored(key, &s);
        Ok(Service {
            name: name.to_string(),
            source,
            port,
            env,
            command: command(
                key,
                "command",
                s.command.as_ref().map(|c| match c {
                    dc::Command::Simple(s) => Err(s.as_str()),
                    dc::Command::Args(a) => Ok(a.clone()),
                }),
            )?,
            entrypoint: command(
                key,
                "entrypoint",
                s.entrypoint.as_ref().map(|c| match c {
                    dc::Entrypoint::Simple(s) => Err(s.as_str()),
                    dc::Entrypoint::List(a) => Ok(a.clone()),
                }),
            )?,
            user: s.user.clone(),
            working_dir: s.working_dir.clone(),
            restart,
            mounts,
            tmpfs,
            labels,
            depends_on,
            healthcheck,
            read_only: s.read_only,
        })
    }

    /// Keys set in the file that Ployer does not apply, for the deploy log.
    fn ignored(&mut self, key: &str, s: &dc::Service) {
        const APPLIED: &[&str] = &[
            "image",
            "build",
            "ports",
            "expose",
            "environment",
            "command",
            "entrypoint",
            "user",
            "working_dir",
            "restart",
            "volumes",
            "tmpfs",
            "labels",
            "depends_on",
            "healthcheck",
            "read_only",
            "networks",
        ];
        let Ok(Value::Mapping(map)) = serde_yaml::to_value(s) else {
            return;
        };
        let ignored: Vec<&str> = map
            .keys()
            .filter_map(Value::as_str)
            .filter(|k| !APPLIED.contains(k) && !k.starts_with("x-"))
            .collect();
        if !ignored.is_empty() {
            self.warnings.push(format!("{key}: ignored: {}", ignored.join(", ")));
        }
    }
}

fn labels(key: &str, labels: &dc::Labels) -> Result<BTreeMap<String, String>> {
    let pairs: Vec<(String, String)> = match labels {
        dc::Labels::List(list) => list
            .iter()
            .map(|l| match l.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (l.clone(), String::new()),
            })
            .collect(),
        dc::Labels::Map(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    };
    let mut out = BTreeMap::new();
    for (k, v) in pairs {
        if k.starts_with("ployer.") || k.starts_with("com.docker.") {
            return Err(ComposeError::new(
                format!("{key}.labels"),
                format!("{k:?}: labels starting with `ployer.` or `com.docker.` are Ployer's and Docker's own"),
            ));
        }
        out.insert(k, v);
    }
    Ok(out)
}

fn source(key: &str, s: &dc::Service) -> Result<Source> {
    let Some(build) = &s.build_ else {
        return match &s.image {
            Some(image) if !image.trim().is_empty() && !image.chars().any(char::is_whitespace) => {
                Ok(Source::Image(image.clone()))
            }
            Some(_) => Err(ComposeError::new(format!("{key}.image"), "is not an image reference")),
            None => Err(ComposeError::new(key, "has neither `image` nor `build`")),
        };
    };
    let (context, dockerfile) = match build {
        dc::BuildStep::Simple(context) => (context.clone(), None),
        dc::BuildStep::Advanced(advanced) => {
            if advanced.dockerfile_inline.is_some() {
                return Err(ComposeError::new(
                    format!("{key}.build.dockerfile_inline"),
                    "is not supported: commit the Dockerfile",
                ));
            }
            (advanced.context.clone(), advanced.dockerfile.clone())
        }
    };
    let bad = |field: &str, e: crate::Invalid| ComposeError::new(format!("{key}.build.{field}"), e.message);
    if context.contains("://") || context.starts_with("git@") {
        return Err(ComposeError::new(
            format!("{key}.build.context"),
            "must be a directory of the repository, not a URL",
        ));
    }
    let context = RepoPath::parse("context", &context).map_err(|e| bad("context", e))?;
    let dockerfile = match dockerfile {
        Some(file) => {
            // Relative to the context, and still inside the repository.
            let joined = format!("{}/{file}", context.as_str());
            RepoPath::parse("dockerfile", &joined).map_err(|e| bad("dockerfile", e))?;
            RepoPath::parse("dockerfile", &file)
                .map_err(|e| bad("dockerfile", e))?
                .as_str()
                .to_string()
        }
        None => "Dockerfile".to_string(),
    };
    Ok(Source::Build {
        context: context.as_str().to_string(),
        dockerfile,
        image: s.image.clone(),
    })
}

fn port(key: &str, ports: &dc::Ports, expose: &[String]) -> Result<Option<u16>> {
    let mut found = Vec::new();
    match ports {
        dc::Ports::Short(list) => {
            for (i, entry) in list.iter().enumerate() {
                let field = format!("{key}.ports.{i}");
                let (spec, protocol) = entry.split_once('/').unwrap_or((entry, "tcp"));
                if protocol != "tcp" {
                    return Err(ComposeError::new(field, "only TCP ports are served"));
                }
                if spec.contains(':') {
                    return Err(ComposeError::new(
                        field,
                        format!("{entry:?} publishes a host port: Ployer publishes services on loopback ports it assigns; write only the container port (\"{}\")", spec.rsplit(':').next().unwrap_or_default()),
                    ));
                }
                found.push(container_port(&field, spec)?);
            }
        }
        dc::Ports::Long(list) => {
            for (i, entry) in list.iter().enumerate() {
                let field = format!("{key}.ports.{i}");
                if entry.published.is_some() || entry.host_ip.is_some() {
                    return Err(ComposeError::new(
                        field,
                        "publishes a host port: Ployer publishes services on loopback ports it assigns; give only `target`",
                    ));
                }
                if entry.protocol.as_deref().is_some_and(|p| p != "tcp") {
                    return Err(ComposeError::new(field, "only TCP ports are served"));
                }
                found.push(container_port(&field, &entry.target.to_string())?);
            }
        }
    }
    for (i, entry) in expose.iter().enumerate() {
        let field = format!("{key}.expose.{i}");
        let (spec, protocol) = entry.split_once('/').unwrap_or((entry, "tcp"));
        if protocol != "tcp" {
            return Err(ComposeError::new(field, "only TCP ports are served"));
        }
        found.push(container_port(&field, spec)?);
    }
    Ok(found.first().copied())
}

fn container_port(field: &str, spec: &str) -> Result<u16> {
    match spec.trim().parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(ComposeError::new(
            field,
            format!("{spec:?} is not a port (1-65535; ranges are not supported)"),
        )),
    }
}

fn environment(key: &str, env: &dc::Environment) -> Result<Vec<(String, String)>> {
    let pairs: Vec<(String, Option<String>)> = match env {
        dc::Environment::List(list) => list
            .iter()
            .map(|entry| match entry.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (entry.clone(), None),
            })
            .collect(),
        dc::Environment::KvPair(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_ref().map(ToString::to_string)))
            .collect(),
    };
    let mut out = Vec::new();
    for (name, value) in pairs {
        if name.is_empty() || name.contains(['=', '\0']) || name.len() > 255 {
            return Err(ComposeError::new(
                format!("{key}.environment"),
                format!("{name:?} is not a variable name"),
            ));
        }
        // `- NAME` alone passes the application's value through; the application's variables
        // reach every service anyway.
        if let Some(value) = value {
            if value.contains('\0') {
                return Err(ComposeError::new(
                    format!("{key}.environment.{name}"),
                    "holds a NUL character",
                ));
            }
            out.push((name, value));
        }
    }
    Ok(out)
}

fn mount(field: &str, volume: &dc::Volumes, declared: &[String]) -> Result<Mount> {
    let err = |message: String| ComposeError::new(field, message);
    let (source, target, read_only, kind) = match volume {
        dc::Volumes::Simple(text) => {
            let parts: Vec<&str> = text.split(':').collect();
            let (source, target, mode) = match parts.as_slice() {
                [target] => (None, *target, ""),
                [source, target] => (Some(*source), *target, ""),
                [source, target, mode] => (Some(*source), *target, *mode),
                _ => return Err(err(format!("{text:?} is not source:target[:mode]"))),
            };
            let mut read_only = false;
            for option in mode.split(',').filter(|o| !o.is_empty()) {
                match option {
                    "ro" => read_only = true,
                    "rw" | "z" | "Z" | "cached" | "delegated" | "consistent" | "nocopy" => {}
                    other => return Err(err(format!("unknown mount option {other:?}"))),
                }
            }
            let kind = match source {
                None => "anonymous",
                Some(s) if s.starts_with('/') => "bind",
                Some(s) if s.starts_with('.') || s.starts_with('~') => "relative",
                Some(_) => "volume",
            };
            (source.map(str::to_string), target.to_string(), read_only, kind)
        }
        dc::Volumes::Advanced(advanced) => {
            if advanced.bind.as_ref().is_some_and(|b| b.propagation.is_some()) {
                return Err(err("bind propagation is refused".into()));
            }
            if advanced.volume.as_ref().is_some_and(|v| v.subpath.is_some()) {
                return Err(err("volume subpaths are not supported".into()));
            }
            let kind = match (advanced._type.as_str(), advanced.source.as_deref()) {
                ("volume", None) => "anonymous",
                ("volume", Some(_)) => "volume",
                ("bind", Some(s)) if s.starts_with('/') => "bind",
                ("bind", _) => "relative",
                ("tmpfs", _) => "tmpfs",
                (other, _) => return Err(err(format!("mount type {other:?} is not supported"))),
            };
            (
                advanced.source.clone(),
                advanced.target.clone(),
                advanced.read_only,
                kind,
            )
        }
    };
    let target = ContainerPath::parse("target", &target)
        .map_err(|e| err(e.message))?
        .as_str()
        .to_string();
    let source =
        match (kind, source) {
            ("anonymous" | "tmpfs", _) => MountSource::Anonymous,
            ("bind", Some(path)) => MountSource::Bind(path),
            ("volume", Some(name)) => {
                if !declared.contains(&name) {
                    return Err(err(format!(
                        "volume {name:?} is not declared under the top-level `volumes`"
                    )));
                }
                MountSource::Volume(name)
            }
            _ => return Err(err(
                "a relative bind mount points into the checkout, which does not outlive the build: use a named volume"
                    .into(),
            )),
        };
    Ok(Mount {
        source,
        target,
        read_only,
    })
}

fn depends_on(key: &str, depends: &dc::DependsOnOptions) -> Result<Vec<Dependency>> {
    Ok(match depends {
        dc::DependsOnOptions::Simple(names) => names
            .iter()
            .map(|n| Dependency {
                service: n.clone(),
                healthy: false,
            })
            .collect(),
        dc::DependsOnOptions::Conditional(map) => map
            .iter()
            .map(|(name, condition)| match condition.condition.as_str() {
                "service_started" => Ok(Dependency {
                    service: name.clone(),
                    healthy: false,
                }),
                "service_healthy" => Ok(Dependency {
                    service: name.clone(),
                    healthy: true,
                }),
                other => Err(ComposeError::new(
                    format!("{key}.depends_on.{name}.condition"),
                    format!("{other:?} is not supported: use service_started or service_healthy"),
                )),
            })
            .collect::<Result<Vec<_>>>()?,
    })
}

fn healthcheck(key: &str, h: &dc::Healthcheck) -> Result<Option<Healthcheck>> {
    let field = |f: &str| format!("{key}.healthcheck.{f}");
    if h.disable {
        return Ok(Some(Healthcheck {
            test: vec!["NONE".into()],
            interval: None,
            timeout: None,
            start_period: None,
            retries: None,
        }));
    }
    let test = match &h.test {
        None => return Ok(None),
        Some(dc::HealthcheckTest::Single(command)) => vec!["CMD-SHELL".to_string(), command.clone()],
        Some(dc::HealthcheckTest::Multiple(list)) => {
            match list.first().map(String::as_str) {
                Some("CMD" | "CMD-SHELL" | "NONE") => {}
                _ => {
                    return Err(ComposeError::new(
                        field("test"),
                        "a list starts with CMD, CMD-SHELL or NONE",
                    ))
                }
            }
            list.clone()
        }
    };
    let duration = |name: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| {
                go_duration(v)
                    .ok_or_else(|| ComposeError::new(field(name), format!("{v:?} is not a duration (e.g. 10s, 1m30s)")))
            })
            .transpose()
    };
    if h.retries < 0 {
        return Err(ComposeError::new(field("retries"), "must not be negative"));
    }
    Ok(Some(Healthcheck {
        test,
        interval: duration("interval", &h.interval)?,
        timeout: duration("timeout", &h.timeout)?,
        start_period: duration("start_period", &h.start_period)?,
        retries: (h.retries > 0).then_some(h.retries),
    }))
}

/// A duration as Compose writes it (Go's form): `1h2m3s`, `500ms`, `10s`.
pub fn go_duration(text: &str) -> Option<Duration> {
    let mut rest = text.trim();
    if rest.is_empty() || rest.len() > 64 {
        return None;
    }
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic() || *b >= 0x80)
            .count();
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total = total.checked_add(Duration::try_from_secs_f64(number * scale).ok()?)?;
    }
    Some(total)
}

/// `command`/`entrypoint`: a list as given, a string split as a shell would.
fn command(
    key: &str,
    field: &str,
    value: Option<std::result::Result<Vec<String>, &str>>,
) -> Result<Option<Vec<String>>> {
    match value {
        None => Ok(None),
        Some(Ok(list)) => Ok(Some(list)),
        Some(Err(text)) => shlex::split(text)
            .map(Some)
            .ok_or_else(|| ComposeError::new(format!("{key}.{field}"), "has an unclosed quote")),
    }
}

/// The services in an order that starts each after what it depends on, the routed one last;
/// an unknown dependency, a cycle, or a dependency on the routed service is refused.
fn order(services: Vec<Service>, routed: &str) -> Result<Vec<Service>> {
    let names: HashSet<&str> = services.iter().map(|s| s.name.as_str()).collect();
    for service in &services {
        for dep in &service.depends_on {
            let key = format!("services.{}.depends_on", service.name);
            if !names.contains(dep.service.as_str()) {
                return Err(ComposeError::new(key, format!("no service named {:?}", dep.service)));
            }
            if dep.service == routed {
                return Err(ComposeError::new(
                    key,
                    format!(
                        "{routed:?} receives the domains and is replaced on every deploy, so it starts last: no service may depend on it"
                    ),
                ));
            }
        }
    }
    let by_name: HashMap<String, Service> = services.iter().map(|s| (s.name.clone(), s.clone())).collect();
    let mut ordered: Vec<Service> = Vec::new();
    let mut visiting = Vec::new();
    fn visit(
        name: &str,
        by_name: &HashMap<String, Service>,
        ordered: &mut Vec<Service>,
        visiting: &mut Vec<String>,
    ) -> Result<()> {
        if ordered.iter().any(|s| s.name == name) {
            return Ok(());
        }
        if visiting.iter().any(|v| v == name) {
            visiting.push(name.to_string());
            return Err(ComposeError::new(
                format!("services.{name}.depends_on"),
                format!("a cycle: {}", visiting.join(" → ")),
            ));
        }
        visiting.push(name.to_string());
        let service = &by_name[name];
        for dep in &service.depends_on {
            visit(&dep.service, by_name, ordered, visiting)?;
        }
        visiting.pop();
        ordered.push(service.clone());
        Ok(())
    }
    for service in services.iter().filter(|s| s.name != routed) {
        visit(&service.name, &by_name, &mut ordered, &mut visiting)?;
    }
    visit(routed, &by_name, &mut ordered, &mut visiting)?;
    Ok(ordered)
}

#[cfg(test)]
mod tests;
