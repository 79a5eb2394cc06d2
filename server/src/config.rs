//! Configuration: built-in defaults, then a TOML file, then `PLOYER_*` environment variables,
//! then command-line flags. Everything the process needs to know about its surroundings lives
//! here; nothing else reads the environment.

use std::{net::SocketAddr, path::PathBuf};

use figment::{
    providers::{Env, Format, Serialized, Toml},
    Figment,
};
use serde::{Deserialize, Serialize};

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server (UI, GraphQL, webhooks) listens on.
    pub listen: SocketAddr,
    /// Directory holding `ployer.db` and the generated secrets.
    pub data_dir: PathBuf,
    pub log_format: LogFormat,
    /// `tracing` filter directive, e.g. `info` or `ployer_server=debug,info`.
    pub log_level: String,
    /// Lifetime of a session token, in seconds.
    pub jwt_lifetime_seconds: u64,
    /// Where users reach Ployer (used for webhook URLs); defaults to `http://<listen>`.
    pub public_url: Option<String>,
    /// Applications get `<name>.<base_domain>` automatically.
    pub base_domain: String,
    /// This server's public IP addresses; `verifyDomain` checks DNS records against them.
    pub public_addresses: Vec<std::net::IpAddr>,
    /// A DNS server (`ip:port`) for `verifyDomain` instead of the system's resolvers.
    pub dns_server: Option<SocketAddr>,
    /// Docker engine socket.
    pub docker_socket: String,
    /// Caddy's admin API (loopback only).
    pub caddy_admin: String,
    /// Where a Caddy that Ployer starts itself serves HTTP (when no admin API answers and
    /// `caddy` is on PATH).
    pub proxy_http_listen: SocketAddr,
    /// Where Caddy serves HTTPS (e.g. `0.0.0.0:443`), with certificates it obtains itself:
    /// from Let's Encrypt/ZeroSSL for public names, from its own local CA for `localhost`-type
    /// names. `None` (the default): applications are served on HTTP only.
    pub proxy_https_listen: Option<SocketAddr>,
    /// Start Caddy as a child process when no admin API answers at `caddy_admin`.
    pub start_caddy: bool,
    /// Builds running at once, across all applications.
    pub max_concurrent_builds: usize,
    /// Seconds an old container keeps serving in-flight requests after the cutover.
    pub drain_seconds: u64,
    /// Images kept per application for rollbacks.
    pub keep_images: usize,
    /// Memory limit of each build step, in bytes (0: none); at most [`MAX_BUILD_MEMORY_BYTES`].
    pub build_memory_bytes: i64,
    /// CPUs a build may use.
    pub build_cpus: f64,
    /// Seconds between reconciler passes.
    pub reconcile_interval_seconds: u64,
    /// Seconds between checks of the remote servers (SSH and their engines); 0: none.
    pub server_check_interval_seconds: u64,
    /// The Caddy image Ployer runs on each remote server that has applications (pulled there
    /// when missing).
    pub edge_image: String,
    /// The port the remote servers' Caddy serves HTTP on.
    pub edge_http_port: u16,
    /// The port the remote servers' Caddy serves HTTPS on, with certificates it obtains
    /// itself; 0: HTTP only.
    pub edge_https_port: u16,
    /// The loopback port of the remote servers' Caddy admin API (reached over SSH only).
    pub edge_admin_port: u16,
    /// Where repositories are cloned for builds (default: `<data dir>/builds`).
    pub build_dir: Option<PathBuf>,
    /// HS256 secret for session tokens. Generated into the data dir when absent.
    pub jwt_secret: Option<String>,
    /// 32-byte key (64 hex chars) that encrypts secrets at rest. Generated when absent.
    pub master_key: Option<String>,
    /// Largest request body accepted anywhere, in bytes.
    pub max_body_bytes: usize,
    /// GraphQL limits, checked before anything executes.
    pub graphql_max_depth: usize,
    pub graphql_max_complexity: usize,
    /// Schema introspection and field suggestions (the playground needs them).
    pub graphql_introspection: bool,
    /// Failed logins allowed per minute, per client address and per account.
    pub login_attempts_per_minute: u32,
    /// A websocket must send an authenticated `connection_init` within this time.
    pub ws_init_timeout_seconds: u64,
    /// How often a websocket's credential is checked again (revoked → closed).
    pub ws_auth_recheck_seconds: u64,
    /// Open websockets at most, across all clients.
    pub ws_max_connections: usize,
    /// A web terminal closes after this many seconds without input from its user (output
    /// alone does not keep it open).
    pub terminal_idle_seconds: u64,
    /// Web terminals open at once, across all users; 0 turns the terminal off.
    pub terminal_max_sessions: usize,
    /// Largest webhook delivery accepted, in bytes (GitHub sends up to 25 MB).
    pub webhook_max_body_bytes: usize,
    /// Webhook deliveries kept per application; older ones are deleted.
    pub webhook_deliveries_kept: u64,
    /// Seconds between resource samples of every container Ployer manages.
    pub stats_interval_seconds: u64,
    /// Raw samples are kept this long, then averaged into 5-minute rows.
    pub stats_raw_retention_seconds: u64,
    /// 5-minute averages are kept this long.
    pub stats_rollup_retention_seconds: u64,
    /// Health-check results kept per application (the newest).
    pub health_results_kept: u64,
    /// Restarts of an unhealthy application within `health_restart_window_seconds` before
    /// the monitor gives up on it.
    pub health_max_restarts: u32,
    pub health_restart_window_seconds: u64,
    /// Pause after the first restart before another; it doubles with each restart.
    pub health_restart_backoff_seconds: u64,
    /// Seconds between scheduled backups of Ployer itself (`ployer backup`'s file); 0: none.
    pub backup_interval_seconds: u64,
    /// Scheduled backups kept (the newest); older ones are deleted.
    pub backups_kept: usize,
    /// Where scheduled backups go (default `<data_dir>/backups`).
    pub backup_dir: Option<PathBuf>,
    /// Records every mutation and sign-in in the audit log. Off only to measure what it costs.
    pub audit_log_enabled: bool,
    /// Audit entries are kept this many days, then deleted.
    pub audit_retention_days: u32,
    /// Counts requests, deployments and the rest for `GET /metrics`. Off: no counting on the
    /// request path and `/metrics` answers 404.
    pub metrics_enabled: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3001)),
            data_dir: PathBuf::from("data"),
            log_format: LogFormat::Text,
            log_level: "info".into(),
            jwt_lifetime_seconds: 60 * 60 * 24,
            public_url: None,
            base_domain: "localhost".into(),
            public_addresses: Vec::new(),
            dns_server: None,
            docker_socket: "unix:///var/run/docker.sock".into(),
            caddy_admin: "http://127.0.0.1:2019".into(),
            proxy_http_listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            proxy_https_listen: None,
            start_caddy: true,
            max_concurrent_builds: 2,
            drain_seconds: 5,
            keep_images: 3,
            build_memory_bytes: MAX_BUILD_MEMORY_BYTES,
            build_cpus: 1.0,
            reconcile_interval_seconds: 10,
            server_check_interval_seconds: 30,
            edge_image: "caddy:2".into(),
            edge_http_port: 80,
            edge_https_port: 443,
            edge_admin_port: 2019,
            build_dir: None,
            jwt_secret: None,
            master_key: None,
            max_body_bytes: 1024 * 1024,
            graphql_max_depth: 12,
            graphql_max_complexity: 500,
            graphql_introspection: true,
            login_attempts_per_minute: 10,
            ws_init_timeout_seconds: 10,
            ws_auth_recheck_seconds: 30,
            ws_max_connections: 1024,
            terminal_idle_seconds: 15 * 60,
            terminal_max_sessions: 16,
            webhook_max_body_bytes: 25 * 1024 * 1024,
            webhook_deliveries_kept: 200,
            stats_interval_seconds: 15,
            stats_raw_retention_seconds: 24 * 60 * 60,
            stats_rollup_retention_seconds: 7 * 24 * 60 * 60,
            health_results_kept: 1000,
            health_max_restarts: 5,
            health_restart_window_seconds: 60 * 60,
            health_restart_backoff_seconds: 10,
            backup_interval_seconds: 0,
            backups_kept: 7,
            backup_dir: None,
            audit_log_enabled: true,
            audit_retention_days: 90,
            metrics_enabled: true,
        }
    }
}

/// The largest build memory limit, 2 GiB: the engine's build API takes it as a 32-bit value
/// through bollard, so exactly 2 GiB reaches the engine as one byte less.
pub const MAX_BUILD_MEMORY_BYTES: i64 = 2 * 1024 * 1024 * 1024;

/// Values given on the command line; they win over every other source.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
}

impl Config {
    /// Where checkouts for builds go.
    pub fn build_root(&self) -> PathBuf {
        self.build_dir.clone().unwrap_or_else(|| self.data_dir.join("builds"))
    }

    /// Ployer's own directories: never a local git source, never mounted into a container.
    pub fn private_dirs(&self) -> Vec<PathBuf> {
        vec![self.data_dir.clone(), self.build_root(), self.backup_root()]
    }

    /// Where static sites' files are served from (Caddy reads them).
    pub fn sites_root(&self) -> PathBuf {
        self.data_dir.join("sites")
    }

    /// Where scheduled backups go.
    pub fn backup_root(&self) -> PathBuf {
        self.backup_dir.clone().unwrap_or_else(|| self.data_dir.join("backups"))
    }

    /// Layers the sources. `file` is the `--config` path; without it `ployer.toml` in the
    /// working directory is read when present. A named file that does not exist is an error.
    pub fn load(file: Option<&std::path::Path>, overrides: &Overrides) -> Result<Self, Box<figment::Error>> {
        Self::figment(file, overrides, Env::prefixed("PLOYER_"))
            .extract()
            .map_err(Box::new)
    }

    fn figment(file: Option<&std::path::Path>, overrides: &Overrides, env: Env) -> Figment {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        figment = match file {
            Some(path) => figment.merge(Toml::file_exact(path)),
            None => figment.merge(Toml::file("ployer.toml")),
        };
        // Only known keys are taken from the environment: unrelated `PLOYER_*` variables
        // (say, from a test harness) must not stop the server, while typos in the file do.
        let known = known_keys();
        let env = env.filter(move |key| known.iter().any(|k| key.as_str().eq_ignore_ascii_case(k)));
        figment.merge(env).merge(Serialized::defaults(overrides))
    }

    /// Checks values whose type allows more than Ployer can do, so start-up fails with the
    /// reason instead of a limit silently cut.
    pub fn check(&self) -> Result<(), String> {
        if !(0..=MAX_BUILD_MEMORY_BYTES).contains(&self.build_memory_bytes) {
            return Err(format!(
                "build_memory_bytes is {}; it must be between 0 (no limit) and {MAX_BUILD_MEMORY_BYTES} (2 GiB, the most the engine's build API takes)",
                self.build_memory_bytes
            ));
        }
        if let Some(https) = self.proxy_https_listen {
            if https.port() == self.proxy_http_listen.port() {
                return Err(format!(
                    "proxy_https_listen ({https}) uses the port of proxy_http_listen ({}); HTTP and HTTPS need ports of their own",
                    self.proxy_http_listen
                ));
            }
            // Caddy serves its HTTP port (80 unless configured otherwise) without TLS whatever
            // a server asks for, and port 0 is no address a browser can be sent to.
            if https.port() == 80 || https.port() == 0 {
                return Err(format!(
                    "proxy_https_listen ({https}) cannot use port {}; use 443 or another free port",
                    https.port()
                ));
            }
        }
        if self.backup_interval_seconds > 0 && self.backups_kept == 0 {
            return Err("backups_kept is 0; scheduled backups (backup_interval_seconds) keep at least one".into());
        }
        if !self.build_cpus.is_finite() || self.build_cpus < 0.0 {
            return Err(format!(
                "build_cpus is {}; it must be 0 (no limit) or a positive number of CPUs",
                self.build_cpus
            ));
        }
        Ok(())
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("ployer.db")
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string()
    }
}

fn known_keys() -> Vec<String> {
    match serde_json::to_value(Config::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::result_large_err)]
    use super::*;

    fn load_with(
        toml: Option<&str>,
        env: &[(&str, &str)],
        overrides: Overrides,
    ) -> Result<Config, Box<figment::Error>> {
        let mut loaded = None;
        figment::Jail::try_with(|jail| {
            if let Some(toml) = toml {
                jail.create_file("ployer.toml", toml)?;
            }
            for (k, v) in env {
                jail.set_env(k, v);
            }
            loaded = Some(Config::load(None, &overrides));
            Ok(())
        })
        .expect("jail");
        loaded.expect("loaded")
    }

    #[test]
    fn defaults_apply_without_any_source() {
        let config = load_with(None, &[], Overrides::default()).unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.listen.to_string(), "127.0.0.1:3001");
        assert_eq!(config.base_domain, "localhost");
    }

    #[test]
    fn file_overrides_defaults_and_env_overrides_file() {
        let toml = "listen = \"127.0.0.1:4000\"\nbase_domain = \"apps.example.com\"\nlog_format = \"json\"\n";
        let config = load_with(
            Some(toml),
            &[("PLOYER_BASE_DOMAIN", "env.example.com")],
            Overrides::default(),
        )
        .unwrap();
        assert_eq!(config.listen.port(), 4000);
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.base_domain, "env.example.com");
    }

    #[test]
    fn flags_override_everything() {
        let overrides = Overrides {
            listen: Some("127.0.0.1:5000".parse().unwrap()),
            ..Default::default()
        };
        let config = load_with(
            Some("listen = \"127.0.0.1:4000\""),
            &[("PLOYER_LISTEN", "127.0.0.1:4500")],
            overrides,
        )
        .unwrap();
        assert_eq!(config.listen.port(), 5000);
    }

    #[test]
    fn build_limits_beyond_what_the_engine_takes_are_refused() {
        assert_eq!(Config::default().check(), Ok(()));
        let config = load_with(
            None,
            &[("PLOYER_BUILD_MEMORY_BYTES", "4294967296")],
            Overrides::default(),
        )
        .unwrap();
        let err = config.check().expect_err("4 GiB is more than the build API takes");
        assert!(err.contains("build_memory_bytes is 4294967296"), "{err}");
        for (key, value) in [("PLOYER_BUILD_MEMORY_BYTES", "-1"), ("PLOYER_BUILD_CPUS", "-0.5")] {
            let config = load_with(None, &[(key, value)], Overrides::default()).unwrap();
            assert!(config.check().is_err(), "{key}={value}");
        }
        let config = load_with(None, &[("PLOYER_BUILD_MEMORY_BYTES", "0")], Overrides::default()).unwrap();
        assert_eq!(config.check(), Ok(()), "0 means no limit");
    }

    #[test]
    fn https_needs_a_port_of_its_own() {
        let config = load_with(
            None,
            &[("PLOYER_PROXY_HTTPS_LISTEN", "127.0.0.1:8443")],
            Overrides::default(),
        )
        .unwrap();
        assert_eq!(config.proxy_https_listen, Some("127.0.0.1:8443".parse().unwrap()));
        assert_eq!(config.check(), Ok(()));
        let config = load_with(
            None,
            &[("PLOYER_PROXY_HTTPS_LISTEN", "0.0.0.0:8080")],
            Overrides::default(),
        )
        .unwrap();
        let err = config.check().expect_err("the HTTP port");
        assert!(err.contains("ports of their own"), "{err}");
        for port in ["80", "0"] {
            let https = format!("0.0.0.0:{port}");
            let config = load_with(None, &[("PLOYER_PROXY_HTTPS_LISTEN", &https)], Overrides::default()).unwrap();
            let err = config.check().expect_err("not an HTTPS port");
            assert!(err.contains(&format!("cannot use port {port}")), "{err}");
        }
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        assert!(load_with(Some("lisen = \"x\""), &[], Overrides::default()).is_err());
        assert!(load_with(None, &[("PLOYER_LISTEN", "not-an-address")], Overrides::default()).is_err());
        // Unrelated variables with the prefix are ignored.
        assert!(load_with(None, &[("PLOYER_SOMETHING_ELSE", "1")], Overrides::default()).is_ok());
    }
}
