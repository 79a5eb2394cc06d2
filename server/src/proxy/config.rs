//! The slice of Caddy's JSON config that Ployer writes, as serde types. Every byte Ployer sends
//! to Caddy is serialized from these; nothing is ever spliced into a JSON string by hand.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use super::{AppRoute, ProxyError, StaticSite, Target, UpstreamFiles};

/// The key of Ployer's server under `apps.http.servers`.
pub(super) const SERVER_NAME: &str = "ployer";

/// The key of Ployer's HTTPS server, present when `proxy_https_listen` is set.
pub(super) const TLS_SERVER_NAME: &str = "ployer-tls";

/// Every route Ployer writes carries `"@id": ROUTE_ID_PREFIX + app_id`.
pub(super) const ROUTE_ID_PREFIX: &str = "ployer-app-";

/// The same application's route on the HTTPS server (an `@id` is unique in Caddy's config).
pub(super) const TLS_ROUTE_ID_PREFIX: &str = "ployer-tls-";

/// With HTTPS on, the first route of the HTTP server: public names answer with a redirect to
/// their HTTPS URL.
pub(super) const REDIRECT_ROUTE_ID: &str = "ployer-https-redirect";

/// How long Caddy keeps upgraded (websocket) streams of an unloaded config open. Every admin-API
/// change reloads the whole config (adding a route, changing host names); without this, each one
/// would cut every proxied websocket.
pub(super) const STREAM_CLOSE_DELAY: &str = "5m";

/// Upper bound on an app id, so that the `@id` stays a short, path-safe token.
const MAX_APP_ID_LEN: usize = 100;

/// `apps.http.servers.ployer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Server {
    pub listen: Vec<String>,
    pub automatic_https: AutomaticHttps,
    /// On the HTTPS server, one default policy: it then speaks TLS even while it has no name
    /// to get a certificate for, instead of falling back to plain HTTP (fails closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_connection_policies: Option<Vec<serde_json::Map<String, serde_json::Value>>>,
    pub routes: Vec<Route>,
}

/// Decided per server, never left to Caddy's defaults. The HTTP server is plain HTTP
/// (`http://app.localhost:8080`): a host matcher would otherwise switch automatic HTTPS on, with
/// internal certificates and HTTP→HTTPS redirects, even on a non-TLS port. The HTTPS server has
/// it on (Caddy obtains and renews a certificate per host name: ACME for public names, its local
/// CA for `localhost`-type ones) but adds no redirects: they would go into whatever server
/// listens on Caddy's HTTP port, which is Ployer's own HTTP server or another tool's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct AutomaticHttps {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_redirects: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Route {
    #[serde(rename = "@id")]
    pub id: String,
    #[serde(rename = "match")]
    pub matchers: Vec<HostMatcher>,
    pub handle: Vec<Handler>,
    pub terminal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct HostMatcher {
    pub host: Vec<String>,
}

/// The handler is always first in `handle`, so `/id/<route>/handle/0/upstreams` addresses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "handler", rename_all = "snake_case")]
pub(super) enum Handler {
    ReverseProxy {
        upstreams: Vec<Upstream>,
        /// A pool: round robin, a failed dial tried on another slot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        load_balancing: Option<LoadBalancing>,
        /// A pool: a slot whose dial failed is skipped for a while.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        health_checks: Option<HealthChecks>,
        stream_close_delay: String,
    },
    StaticResponse {
        status_code: u16,
        headers: std::collections::BTreeMap<String, Vec<String>>,
    },
    /// A static site: a fallback rewrite (single-page applications), then headers and files.
    Subroute {
        routes: Vec<SubRoute>,
    },
    Rewrite {
        uri: String,
    },
    Headers {
        response: HeaderOps,
    },
    FileServer {
        root: String,
        /// `br` and `gzip` siblings (`app.js.br`, `app.js.gz`) are served when the client
        /// accepts them.
        precompressed: std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
        precompressed_order: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct SubRoute {
    #[serde(rename = "match", default, skip_serializing_if = "Vec::is_empty")]
    pub matchers: Vec<FileMatcher>,
    pub handle: Vec<Handler>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileMatcher {
    pub file: FileMatch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileMatch {
    pub root: String,
    pub try_files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct HeaderOps {
    pub set: std::collections::BTreeMap<String, Vec<String>>,
}

/// Static files are revalidated on every use (Caddy answers `304` by ETag and modification
/// time): a deploy is seen at once, and an unchanged file costs no transfer.
const STATIC_CACHE_CONTROL: &str = "public, max-age=0, must-revalidate";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct LoadBalancing {
    pub selection_policy: SelectionPolicy,
    /// How long a request keeps trying other upstreams after a failed dial.
    pub try_duration: String,
    pub try_interval: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct SelectionPolicy {
    pub policy: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct HealthChecks {
    pub passive: PassiveHealth,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct PassiveHealth {
    pub fail_duration: String,
    pub max_fails: u32,
}

/// A pool's balancing: a request whose dial fails (a task that just went) is tried on the
/// next slot for up to `POOL_TRY_DURATION`, and that slot is skipped for `POOL_FAIL_DURATION`.
const POOL_TRY_DURATION: &str = "5s";
const POOL_TRY_INTERVAL: &str = "100ms";
const POOL_FAIL_DURATION: &str = "5s";

/// `dial` is the `{file.<path>}` placeholder of the application's upstream file, which Caddy
/// reads per request (see `upstreams.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Upstream {
    pub dial: String,
}

/// The `@id` of an app's route. App ids end up in admin-API URL paths, so only a conservative
/// alphabet is accepted (UUIDs and slugs pass).
pub(super) fn route_id(app_id: &str) -> Result<String, ProxyError> {
    let safe = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if app_id.is_empty() || app_id.len() > MAX_APP_ID_LEN || !app_id.chars().all(safe) {
        return Err(ProxyError::Invalid(format!(
            "app id {app_id:?} cannot name a Caddy route (expected 1-{MAX_APP_ID_LEN} of A-Z a-z 0-9 - _)"
        )));
    }
    Ok(format!("{ROUTE_ID_PREFIX}{app_id}"))
}

impl Server {
    /// The whole server for `routes`, after checking them: an empty host list would match every
    /// request and a repeated app id would collide on `@id`, so both are refused before Caddy is
    /// touched.
    pub fn for_routes(http_listen: SocketAddr, files: &UpstreamFiles, routes: &[AppRoute]) -> Result<Self, ProxyError> {
        let mut seen = std::collections::HashSet::new();
        let mut caddy_routes = Vec::with_capacity(routes.len());
        for route in routes {
            if !seen.insert(route.app_id.as_str()) {
                return Err(ProxyError::Invalid(format!("app {} is listed twice", route.app_id)));
            }
            caddy_routes.push(Route::for_app(&route.app_id, &route.hostnames, &route.target, files)?);
        }
        Ok(Self {
            listen: vec![http_listen.to_string()],
            automatic_https: AutomaticHttps {
                disable: true,
                disable_redirects: false,
            },
            tls_connection_policies: None,
            routes: caddy_routes,
        })
    }

    /// With HTTPS on `https_port`: a first route that answers requests for the public names
    /// of `routes` (see [`Server::tls_for_routes`]; local and wildcard names are not served with
    /// a trusted certificate) with a permanent redirect to the same URL over HTTPS, method and
    /// body kept (308). ACME's HTTP challenges are answered by Caddy before any route.
    pub fn redirecting_to_https(mut self, https_port: u16, routes: &[AppRoute]) -> Self {
        let mut public: Vec<String> = routes
            .iter()
            .flat_map(|route| route.hostnames.iter())
            .filter(|h| !h.starts_with("*.") && !crate::validate::domain::is_local_name(h))
            .cloned()
            .collect();
        if public.is_empty() {
            return self;
        }
        public.sort();
        public.dedup();
        let port = if https_port == 443 {
            String::new()
        } else {
            format!(":{https_port}")
        };
        let location = format!("https://{{http.request.host}}{port}{{http.request.uri}}");
        self.routes.insert(
            0,
            Route {
                id: REDIRECT_ROUTE_ID.to_string(),
                matchers: vec![HostMatcher { host: public }],
                handle: vec![Handler::StaticResponse {
                    status_code: 308,
                    headers: [("Location".to_string(), vec![location])].into(),
                }],
                terminal: true,
            },
        );
        self
    }

    /// The HTTPS server for the same `routes` (checked by [`Server::for_routes`] first): the
    /// same host names and upstream files, with automatic HTTPS on. Wildcard names are left
    /// out: their certificates need a DNS challenge, and Caddy would retry ACME for them for
    /// ever; a route with no other name has no HTTPS route.
    pub fn tls_for_routes(
        https_listen: SocketAddr,
        files: &UpstreamFiles,
        routes: &[AppRoute],
    ) -> Result<Self, ProxyError> {
        let mut caddy_routes = Vec::with_capacity(routes.len());
        for route in routes {
            let hostnames: Vec<String> = route
                .hostnames
                .iter()
                .filter(|h| !h.starts_with("*."))
                .cloned()
                .collect();
            if hostnames.is_empty() {
                continue;
            }
            let mut caddy_route = Route::for_app(&route.app_id, &hostnames, &route.target, files)?;
            caddy_route.id = format!("{TLS_ROUTE_ID_PREFIX}{}", route.app_id);
            caddy_routes.push(caddy_route);
        }
        Ok(Self {
            listen: vec![https_listen.to_string()],
            automatic_https: AutomaticHttps {
                disable: false,
                disable_redirects: true,
            },
            tls_connection_policies: Some(vec![serde_json::Map::new()]),
            routes: caddy_routes,
        })
    }
}

impl Route {
    pub fn for_app(
        app_id: &str,
        hostnames: &[String],
        target: &Target,
        files: &UpstreamFiles,
    ) -> Result<Self, ProxyError> {
        if hostnames.is_empty() {
            return Err(ProxyError::Invalid(format!("app {app_id} has no host names")));
        }
        if hostnames.iter().any(|h| h.is_empty()) {
            return Err(ProxyError::Invalid(format!("app {app_id} has an empty host name")));
        }
        let handler = match target {
            Target::Upstream(_) => Handler::ReverseProxy {
                upstreams: vec![Upstream {
                    dial: files.placeholder(app_id)?,
                }],
                load_balancing: None,
                health_checks: None,
                stream_close_delay: STREAM_CLOSE_DELAY.to_string(),
            },
            Target::Pool { slots, .. } => Handler::ReverseProxy {
                upstreams: (0..(*slots).max(1))
                    .map(|slot| files.slot_placeholder(app_id, slot).map(|dial| Upstream { dial }))
                    .collect::<Result<_, _>>()?,
                load_balancing: Some(LoadBalancing {
                    selection_policy: SelectionPolicy {
                        policy: "round_robin".into(),
                    },
                    try_duration: POOL_TRY_DURATION.into(),
                    try_interval: POOL_TRY_INTERVAL.into(),
                }),
                health_checks: Some(HealthChecks {
                    passive: PassiveHealth {
                        fail_duration: POOL_FAIL_DURATION.into(),
                        max_fails: 1,
                    },
                }),
                stream_close_delay: STREAM_CLOSE_DELAY.to_string(),
            },
            Target::Files(site) => site_handler(site)?,
        };
        Ok(Self {
            id: route_id(app_id)?,
            matchers: vec![HostMatcher {
                host: hostnames.to_vec(),
            }],
            handle: vec![handler],
            terminal: true,
        })
    }

    /// The app id, host names and target of the route, or `None` when it is not exactly what
    /// [`Route::for_app`] writes (another tool's route, one edited behind Ployer's back, or one
    /// reading another upstream directory). A proxied route's addresses are in its files: its
    /// target here holds none (a pool's `slots` is the route's).
    pub fn parse(raw: &serde_json::Value, files: &UpstreamFiles) -> Option<(String, Vec<String>, Target)> {
        let route: Route = serde_json::from_value(raw.clone()).ok()?;
        let app_id = route.id.strip_prefix(ROUTE_ID_PREFIX)?.to_string();
        let [HostMatcher { host }] = route.matchers.as_slice() else {
            return None;
        };
        let site = match route.handle.first()? {
            Handler::Subroute { routes } => {
                let root = routes.iter().flat_map(|r| &r.handle).find_map(|h| match h {
                    Handler::FileServer { root, .. } => Some(std::path::PathBuf::from(root)),
                    _ => None,
                })?;
                Some(StaticSite {
                    root,
                    spa_fallback: routes.len() > 1,
                })
            }
            _ => None,
        };
        let pool = match route.handle.first()? {
            Handler::ReverseProxy {
                upstreams,
                load_balancing: Some(_),
                ..
            } => Some(u16::try_from(upstreams.len()).ok()?),
            _ => None,
        };
        // The upstream itself is in its file: any address rebuilds the same route.
        let target = match (&site, pool) {
            (Some(site), _) => Target::Files(site.clone()),
            (None, Some(slots)) => Target::Pool {
                slots,
                upstreams: Vec::new(),
            },
            (None, None) => Target::Upstream(std::net::SocketAddr::from(([127, 0, 0, 1], 0))),
        };
        // Unknown fields are ignored by serde; comparing the full JSON catches them.
        let rebuilt = serde_json::to_value(Route::for_app(&app_id, host, &target, files).ok()?).ok()?;
        (&rebuilt == raw).then(|| (app_id, host.clone(), target))
    }
}

/// The handler serving a static site's files (see [`StaticSite`]).
fn site_handler(site: &StaticSite) -> Result<Handler, ProxyError> {
    let root = site
        .root
        .to_str()
        .filter(|r| site.root.is_absolute() && !r.contains(['{', '}', '\\']) && !r.chars().any(char::is_control))
        .ok_or_else(|| {
            ProxyError::Invalid(format!(
                "a static site's directory must be an absolute path without {{, }}, \\ or control characters: {}",
                site.root.display()
            ))
        })?
        .to_string();
    let files = Handler::FileServer {
        root: root.clone(),
        precompressed: [("br", serde_json::Map::new()), ("gzip", serde_json::Map::new())]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        precompressed_order: vec!["br".to_string(), "gzip".to_string()],
    };
    let headers = Handler::Headers {
        response: HeaderOps {
            set: [("Cache-Control".to_string(), vec![STATIC_CACHE_CONTROL.to_string()])].into(),
        },
    };
    let mut routes = Vec::with_capacity(2);
    if site.spa_fallback {
        // A path with a file (or a directory index) is served as it is; any other gets the
        // application's `index.html`.
        routes.push(SubRoute {
            matchers: vec![FileMatcher {
                file: FileMatch {
                    root,
                    try_files: vec![
                        "{http.request.uri.path}".to_string(),
                        "{http.request.uri.path}/index.html".to_string(),
                        "/index.html".to_string(),
                    ],
                },
            }],
            handle: vec![Handler::Rewrite {
                uri: "{http.matchers.file.relative}".to_string(),
            }],
        });
    }
    routes.push(SubRoute {
        matchers: Vec::new(),
        handle: vec![headers, files],
    });
    Ok(Handler::Subroute { routes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_sites_route_reads_back_as_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let files = UpstreamFiles::open(dir.path()).unwrap();
        let hosts = vec!["site.localhost".to_string()];
        for spa_fallback in [false, true] {
            let site = StaticSite {
                root: "/var/lib/ployer/sites/app/current".into(),
                spa_fallback,
            };
            let route = Route::for_app("app", &hosts, &Target::Files(site.clone()), &files).unwrap();
            let raw = serde_json::to_value(&route).unwrap();
            assert_eq!(
                Route::parse(&raw, &files),
                Some(("app".to_string(), hosts.clone(), Target::Files(site)))
            );
            assert_eq!(raw["handle"][0]["handler"], "subroute");
        }
        let proxied = Route::for_app("app", &hosts, &Target::Upstream("127.0.0.1:9".parse().unwrap()), &files).unwrap();
        let raw = serde_json::to_value(&proxied).unwrap();
        assert_eq!(
            Route::parse(&raw, &files),
            Some((
                "app".to_string(),
                hosts.clone(),
                Target::Upstream("127.0.0.1:0".parse().unwrap())
            ))
        );
        let upstreams = vec!["10.0.0.1:30001".parse().unwrap()];
        let pool = Route::for_app("app", &hosts, &Target::Pool { slots: 3, upstreams }, &files).unwrap();
        let raw = serde_json::to_value(&pool).unwrap();
        assert_eq!(raw["handle"][0]["upstreams"].as_array().unwrap().len(), 3);
        assert_eq!(raw["handle"][0]["load_balancing"]["try_duration"], "5s");
        assert_eq!(
            Route::parse(&raw, &files),
            Some((
                "app".to_string(),
                hosts.clone(),
                Target::Pool {
                    slots: 3,
                    upstreams: Vec::new()
                }
            ))
        );
        // A root Caddy would read as a placeholder is refused.
        let sneaky = StaticSite {
            root: "/srv/{env.HOME}".into(),
            spa_fallback: false,
        };
        assert!(Route::for_app("app", &hosts, &Target::Files(sneaky), &files).is_err());
        let relative = StaticSite {
            root: "sites/app".into(),
            spa_fallback: false,
        };
        assert!(Route::for_app("app", &hosts, &Target::Files(relative), &files).is_err());
    }
}
