//! The admin-API client. Each public method is at most one mutating request of Ployer's servers,
//! so each is at most one config reload in Caddy (and one point where it can fail, leaving the
//! old config live); with HTTPS on, the first sync to a Caddy (fresh, or emptied behind Ployer's
//! back) costs one more, to keep Caddy's local CA out of the machine's trust stores.
//! Upstreams are not in the config but in [`UpstreamFiles`]: a sync that only moves upstreams
//! (a redeploy's cutover) writes files and sends Caddy nothing.

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde_json::Value;

use super::config::{route_id, Route, Server, REDIRECT_ROUTE_ID, SERVER_NAME, TLS_ROUTE_ID_PREFIX, TLS_SERVER_NAME};
use super::{AppRoute, ProxyError, Target, UpstreamFiles};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Transport errors are retried this many times, `TRANSPORT_RETRY_DELAY × attempt` apart, so a
/// Caddy that is really down is reported within about a third of a second.
const TRANSPORT_RETRIES: u32 = 3;
const TRANSPORT_RETRY_DELAY: Duration = Duration::from_millis(50);
/// A sync re-reads the config and tries again when another writer changed it in between (412),
/// after a random pause of up to `SYNC_RETRY_JITTER × attempt` so that writers fall out of step.
const SYNC_ATTEMPTS: u32 = 12;
const SYNC_RETRY_JITTER: Duration = Duration::from_millis(20);
/// Caddy's error bodies are short JSON; anything longer is cut before it reaches a log line.
const MAX_ERROR_BODY: usize = 2000;

/// A handle on Caddy's admin API, the HTTP address Ployer's server listens on, and the files
/// its routes read their upstreams from.
#[derive(Debug, Clone)]
pub struct Caddy {
    admin: String,
    client: reqwest::Client,
    http_listen: SocketAddr,
    /// Where the HTTPS server listens; `None`: there is none (and one left from before goes).
    https_listen: Option<SocketAddr>,
    files: UpstreamFiles,
    /// The `Host` header the admin API expects, when Ployer reaches it through a forwarded
    /// port (a remote server's Caddy): Caddy answers only to the host it listens as.
    admin_host: Option<String>,
    /// Syncs and removals one at a time: each writes files and then the config, and two of them
    /// interleaved could leave the config of one with the files of the other.
    writing: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Caddy {
    pub fn new(admin_url: &str, http_listen: SocketAddr, files: UpstreamFiles) -> Self {
        Self {
            admin: admin_url.trim_end_matches('/').to_string(),
            client: admin_client(),
            http_listen,
            https_listen: None,
            files,
            admin_host: None,
            writing: Default::default(),
        }
    }

    /// Sends `Host: <host>` to the admin API (reached at another address than Caddy's own).
    pub fn with_admin_host(mut self, host: &str) -> Self {
        self.admin_host = Some(host.to_string());
        self
    }

    /// Also serves every route over HTTPS on `listen` (see [`Server::tls_for_routes`]).
    pub fn with_https(mut self, listen: Option<SocketAddr>) -> Self {
        self.https_listen = listen;
        self
    }

    /// Whether the admin API answers (`GET /config/` with a JSON body).
    pub async fn is_up(&self) -> bool {
        match &self.admin_host {
            Some(_) => self.config().await.is_ok(),
            None => admin_answers(&self.client, &self.admin).await,
        }
    }

    /// Makes Caddy serve exactly `routes` on `http_listen` (and `https_listen`): each route's
    /// upstream file first (a route added below finds its file; for a redeploy this write is
    /// the whole cutover), then at most one write of Ployer's servers to the admin API, leaving
    /// every other server and app in Caddy's config as it is. Nothing is sent when Caddy
    /// already has exactly these servers, so neither a cutover nor a periodic reconcile costs a
    /// reload. The files of routes that are gone are removed last.
    pub async fn sync(&self, routes: &[AppRoute]) -> Result<(), ProxyError> {
        let servers = self.servers(routes)?;
        let _writing = self.writing.lock().await;
        self.write_upstreams(routes).await?;
        self.push(|_| Ok(servers.clone())).await?;
        let keep: Vec<&str> = routes
            .iter()
            .filter(|r| r.is_proxied())
            .map(|r| r.app_id.as_str())
            .collect();
        if let Err(err) = self.files.retain(&keep).await {
            // Caddy serves exactly `routes` now; a stale file only takes room.
            tracing::warn!(error = %err, "could not remove the upstream files of dropped routes");
        }
        Ok(())
    }

    /// Whether Caddy serves exactly `routes`: Ployer's servers are as [`Caddy::sync`] writes
    /// them (the HTTPS one absent when HTTPS is off) and every upstream file names its route's
    /// upstream. Anything else — a Caddy restarted empty, a server edited behind Ployer's back, a
    /// missing file — is drift that a sync repairs, also when there are no routes at all.
    pub async fn is_synced(&self, routes: &[AppRoute]) -> Result<bool, ProxyError> {
        let (config, _) = self.config().await?;
        if self.server_differing(&config, routes)?.is_some() {
            return Ok(false);
        }
        if self.https_listen.is_some() && !local_ca_stays_untrusted(&config) {
            return Ok(false);
        }
        let dialed = self.files.read_all().await?;
        for route in routes {
            match &route.target {
                Target::Upstream(upstream) => {
                    if dialed.get(&route.app_id) != Some(upstream) {
                        return Ok(false);
                    }
                }
                Target::Pool { slots, upstreams } => {
                    // A pool with no live task keeps what its files name.
                    let wanted = Target::slot_addresses(*slots, upstreams);
                    for (slot, upstream) in wanted.iter().enumerate() {
                        if dialed.get(&UpstreamFiles::slot_key(&route.app_id, slot as u16)) != Some(upstream) {
                            return Ok(false);
                        }
                    }
                }
                Target::Files(_) => {}
            }
        }
        Ok(true)
    }

    /// Points the given routes at their upstreams by their files alone, without asking Caddy
    /// anything: to put a route back after a cutover that failed half-way, which works even
    /// while the admin API does not answer.
    pub async fn write_upstreams(&self, routes: &[AppRoute]) -> Result<(), ProxyError> {
        for route in routes {
            match &route.target {
                Target::Upstream(upstream) => self.files.write(&route.app_id, *upstream).await?,
                Target::Pool { slots, upstreams } => {
                    self.files
                        .write_slots(&route.app_id, &Target::slot_addresses(*slots, upstreams))
                        .await?
                }
                Target::Files(_) => {}
            }
        }
        Ok(())
    }

    /// Ployer's servers for `routes` as JSON: the HTTP one, and the HTTPS one or `None` when
    /// there should be none.
    fn servers(&self, routes: &[AppRoute]) -> Result<Servers, ProxyError> {
        let mut http = Server::for_routes(self.http_listen, &self.files, routes)?;
        if let Some(https) = self.https_listen {
            http = http.redirecting_to_https(https.port(), routes);
        }
        let http = to_json(&http)?;
        let tls = match self.https_listen {
            Some(listen) => Some(to_json(&Server::tls_for_routes(listen, &self.files, routes)?)?),
            None => None,
        };
        Ok(vec![(SERVER_NAME, Some(http)), (TLS_SERVER_NAME, tls)])
    }

    /// The first of Ployer's servers that `config` does not hold exactly as a sync of `routes`
    /// writes it (present when it should not be, or the other way round).
    fn server_differing(&self, config: &Value, routes: &[AppRoute]) -> Result<Option<&'static str>, ProxyError> {
        Ok(self
            .servers(routes)?
            .into_iter()
            .find(|(name, wanted)| server_in(config, name) != wanted.as_ref())
            .map(|(name, _)| name))
    }

    /// Writes Ployer's servers as `wanted` makes them from the config just read (and takes out
    /// one that should not be there) unless the config has them already, in one write guarded
    /// by the read's ETag; read and computed again when another writer got in between. With
    /// HTTPS on, the local CA's `install_trust: false` goes in first when it is missing (a
    /// fresh Caddy, or a config emptied behind Ployer's back), so that no certificate for a
    /// `localhost` name makes Caddy change the machine's trust stores.
    async fn push(&self, wanted: impl Fn(&Value) -> Result<Servers, ProxyError>) -> Result<(), ProxyError> {
        for attempt in 1..=SYNC_ATTEMPTS {
            let (config, etag) = self.config().await?;
            // The CA setting goes in first, on its own; the servers follow on the next round.
            let ca_first = self.https_listen.is_some() && !local_ca_stays_untrusted(&config);
            let (path, body) = if ca_first {
                place_at(&config, &INSTALL_TRUST, Value::Bool(false))
            } else {
                let servers = wanted(&config)?;
                let servers: Vec<(&str, Option<&Value>)> =
                    servers.iter().map(|(name, server)| (*name, server.as_ref())).collect();
                let Some(placed) = placement(&config, &servers) else {
                    tracing::debug!("Caddy already serves these routes");
                    return Ok(());
                };
                placed
            };
            let mut request = self.request(Method::POST, &path).json(&body);
            if let Some(etag) = &etag {
                // Optimistic concurrency: the write applies only to the config read above.
                request = request.header("If-Match", etag);
            }
            match self.send(request).await {
                Ok(_) if ca_first => {
                    tracing::info!("set Caddy's local CA not to install its root into trust stores");
                }
                Ok(_) => {
                    tracing::info!(listen = %self.http_listen, https = ?self.https_listen, "pushed routes to Caddy");
                    return Ok(());
                }
                Err(ProxyError::Rejected { status: 412, .. }) => {
                    tracing::debug!(attempt, "Caddy's config changed while syncing; reading it again");
                    let pause = SYNC_RETRY_JITTER * attempt;
                    tokio::time::sleep(pause.mul_f64(rand::random::<f64>())).await;
                }
                Err(err) => return Err(err),
            }
        }
        Err(ProxyError::Rejected {
            status: 412,
            body: format!("Caddy's config kept changing during {SYNC_ATTEMPTS} sync attempts"),
        })
    }

    /// Removes one app's routes (HTTP and HTTPS, in one write of Ployer's servers as Caddy has
    /// them, whatever else they hold), then its upstream file; an absent route is not an error.
    pub async fn remove(&self, app_id: &str) -> Result<(), ProxyError> {
        let ids = [route_id(app_id)?, format!("{TLS_ROUTE_ID_PREFIX}{app_id}")];
        let _writing = self.writing.lock().await;
        self.push(|config| {
            Ok([SERVER_NAME, TLS_SERVER_NAME]
                .into_iter()
                .map(|name| (name, server_in(config, name).map(|server| without_routes(server, &ids))))
                .collect())
        })
        .await?;
        tracing::info!(app_id, "removed the Caddy routes");
        self.files.remove(app_id).await
    }

    /// The routes of Ployer's HTTP server as Caddy has them now, in Caddy's order, each with
    /// the upstream its file names; empty when the server is absent. Also empty when the server
    /// is not exactly what [`Caddy::sync`] writes (it listens elsewhere, automatic HTTPS was
    /// switched on in it, a route was added or edited behind Ployer's back), when the HTTPS
    /// server does not hold the same routes (or exists while HTTPS is off), or when a route's
    /// upstream file is missing. For reading back; the reconciler asks [`Caddy::is_synced`].
    pub async fn routes(&self) -> Result<Vec<AppRoute>, ProxyError> {
        let (config, _) = self.config().await?;
        let Some(server) = server_in(&config, SERVER_NAME) else {
            return Ok(Vec::new());
        };
        let raw_routes = server
            .get("routes")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut routes = Vec::with_capacity(raw_routes.len());
        for raw in raw_routes {
            if raw.get("@id").and_then(Value::as_str) == Some(REDIRECT_ROUTE_ID) {
                continue;
            }
            let Some((app_id, hostnames, target)) = Route::parse(raw, &self.files) else {
                tracing::warn!(route = %raw, "Caddy's Ployer server holds a route Ployer did not write; the next sync rewrites it");
                return Ok(Vec::new());
            };
            let target = match target {
                Target::Files(site) => Target::Files(site),
                Target::Upstream(_) => {
                    let Some(upstream) = self.files.read(&app_id).await? else {
                        tracing::warn!(app_id, "a route's upstream file is missing; the next sync writes it");
                        return Ok(Vec::new());
                    };
                    Target::Upstream(upstream)
                }
                Target::Pool { slots, .. } => {
                    // Slot k names upstreams[k % len]: the distinct addresses in slot order.
                    let mut upstreams = Vec::new();
                    for slot in 0..slots {
                        let Some(upstream) = self.files.read_slot(&app_id, slot).await? else {
                            tracing::warn!(
                                app_id,
                                slot,
                                "a pool's upstream file is missing; the next sync writes it"
                            );
                            return Ok(Vec::new());
                        };
                        if !upstreams.contains(&upstream) {
                            upstreams.push(upstream);
                        }
                    }
                    Target::Pool { slots, upstreams }
                }
            };
            routes.push(AppRoute {
                app_id,
                hostnames,
                target,
            });
        }
        // Both servers, settings and redirect included, must be what a sync of these writes.
        if let Some(name) = self.server_differing(&config, &routes)? {
            tracing::warn!(
                server = name,
                "Caddy's Ployer server is not what Ployer writes for its routes; the next sync rewrites it"
            );
            return Ok(Vec::new());
        }
        Ok(routes)
    }

    /// The whole config and its ETag (`"/config/ <hash>"`), for `If-Match` on the next write.
    async fn config(&self) -> Result<(Value, Option<String>), ProxyError> {
        let response = self.send(self.request(Method::GET, "/config/")).await?;
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let config = response
            .json::<Value>()
            .await
            .map_err(|err| ProxyError::Invalid(format!("Caddy's config is not JSON: {}", chain(&err))))?;
        Ok((config, etag))
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.admin));
        match &self.admin_host {
            Some(host) => request.header(reqwest::header::HOST, host),
            None => request,
        }
    }

    /// Sends with a few quick retries on transport errors: Caddy restarts its admin listener on
    /// every config change and drops the requests other connections have in flight at that
    /// moment ("connection closed before message completed"), or refuses connections while it
    /// rebinds. Every request Ployer sends is safe to repeat: GET reads, PATCH sets a value,
    /// DELETE tolerates 404, and a repeated sync POST meets 412 and re-reads.
    async fn send(&self, request: RequestBuilder) -> Result<Response, ProxyError> {
        let mut attempt = 0;
        let response = loop {
            let this_try = request
                .try_clone()
                .ok_or_else(|| ProxyError::Invalid("an admin request could not be repeated".into()))?;
            match this_try.send().await {
                Ok(response) => break response,
                Err(err) if attempt < TRANSPORT_RETRIES && !err.is_timeout() => {
                    attempt += 1;
                    tracing::debug!(error = %chain(&err), attempt, "Caddy's admin API dropped a request; sending it again");
                    tokio::time::sleep(TRANSPORT_RETRY_DELAY * attempt).await;
                }
                Err(err) => return Err(ProxyError::Unreachable(chain(&err))),
            }
        };
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        Err(ProxyError::Rejected {
            status: status.as_u16(),
            body: error_message(status, &text),
        })
    }
}

/// Ployer's servers by name: what each should be, `None` for one that should not exist.
type Servers = Vec<(&'static str, Option<Value>)>;

/// Where Caddy's local CA is told not to install its root into the machine's trust stores.
const INSTALL_TRUST: [&str; 5] = ["apps", "pki", "certificate_authorities", "local", "install_trust"];

/// The server `name` under `apps.http.servers`, if the config has one.
fn server_in<'a>(config: &'a Value, name: &str) -> Option<&'a Value> {
    config
        .pointer(&format!("/apps/http/servers/{name}"))
        .filter(|s| !s.is_null())
}

fn local_ca_stays_untrusted(config: &Value) -> bool {
    config.pointer(&format!("/{}", INSTALL_TRUST.join("/"))) == Some(&Value::Bool(false))
}

/// The one POST (admin path, body) that sets `levels` in `config` to `value`. Caddy does not
/// create missing parents ("invalid traversal path"), so it goes to the first missing level with
/// the rest nested in its body; POST on an object key sets or replaces just that key. On an
/// empty Caddy (`null` config) the whole config is created.
fn place_at(config: &Value, levels: &[&str], value: Value) -> (String, Value) {
    if !config.is_object() {
        return ("/config/".to_string(), nest(levels, &value));
    }
    let mut node = config;
    let mut existing = 0;
    while existing < levels.len() - 1 {
        match node.get(levels[existing]) {
            Some(next) if next.is_object() => {
                node = next;
                existing += 1;
            }
            _ => break,
        }
    }
    let path = format!("/config/{}", levels[..=existing].join("/"));
    (path, nest(&levels[existing + 1..], &value))
}

/// Where in `config` Ployer's `servers` go (each name with the server it should be, or `None`
/// for one that should not exist), as (admin path, body) for one POST, or `None` when the
/// config has them as they are. One server to change is written alone; more than one, or one
/// to take out, rewrite the `servers` object as it was read, other tools' servers included
/// (the write carries the read's ETag).
fn placement(config: &Value, servers: &[(&str, Option<&Value>)]) -> Option<(String, Value)> {
    const SERVERS: [&str; 3] = ["apps", "http", "servers"];
    let existing = config.pointer("/apps/http/servers").filter(|s| s.is_object());
    let changed: Vec<&(&str, Option<&Value>)> = servers
        .iter()
        .filter(|(name, server)| existing.and_then(|s| s.get(*name)) != *server)
        .collect();
    match changed.as_slice() {
        [] => None,
        [(name, Some(server))] if existing.is_some() => {
            Some((format!("/config/apps/http/servers/{name}"), (*server).clone()))
        }
        _ => {
            let mut all = existing.and_then(Value::as_object).cloned().unwrap_or_default();
            for (name, server) in servers {
                match server {
                    Some(server) => all.insert(name.to_string(), (*server).clone()),
                    None => all.remove(*name),
                };
            }
            Some(place_at(config, &SERVERS, Value::Object(all)))
        }
    }
}

/// A server's JSON without the routes whose `@id` is one of `ids`, and without their host
/// names in the HTTPS redirect route (which goes when it has none left).
fn without_routes(server: &Value, ids: &[String]) -> Value {
    let id_of = |route: &Value| route.get("@id").and_then(Value::as_str).map(str::to_string);
    let hosts_of = |route: &Value| -> Vec<Value> {
        route
            .pointer("/match/0/host")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut server = server.clone();
    let Some(routes) = server.get_mut("routes").and_then(Value::as_array_mut) else {
        return server;
    };
    let gone: Vec<Value> = routes
        .iter()
        .filter(|route| id_of(route).is_some_and(|id| ids.contains(&id)))
        .flat_map(hosts_of)
        .collect();
    routes.retain(|route| !id_of(route).is_some_and(|id| ids.contains(&id)));
    for route in routes.iter_mut() {
        if id_of(route).as_deref() == Some(REDIRECT_ROUTE_ID) {
            if let Some(hosts) = route.pointer_mut("/match/0/host").and_then(Value::as_array_mut) {
                hosts.retain(|host| !gone.contains(host));
            }
        }
    }
    routes.retain(|route| id_of(route).as_deref() != Some(REDIRECT_ROUTE_ID) || !hosts_of(route).is_empty());
    server
}

/// `{"k1": {"k2": … value}}`.
fn nest(keys: &[&str], value: &Value) -> Value {
    keys.iter().rev().fold(value.clone(), |inner, key| {
        Value::Object(serde_json::Map::from_iter([(key.to_string(), inner)]))
    })
}

/// A client for a loopback admin API: short timeouts, no system proxy, and no pooled
/// connections (Caddy restarts its admin listener on every config change, so a kept-alive
/// connection may be dead by the next request).
pub(super) fn admin_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .no_proxy()
        .pool_max_idle_per_host(0)
        .build()
        // Building fails only when a TLS backend cannot initialise; this client has none.
        .unwrap_or_default()
}

/// Whether a Caddy admin API answers at `admin`: `GET /config/` gives 2xx and a JSON body
/// (`null` for an empty Caddy). Any other HTTP server on that port does not count.
pub(super) async fn admin_answers(client: &reqwest::Client, admin: &str) -> bool {
    let url = format!("{}/config/", admin.trim_end_matches('/'));
    match client.get(url).send().await {
        Ok(response) if response.status().is_success() => response.json::<Value>().await.is_ok(),
        _ => false,
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, ProxyError> {
    serde_json::to_value(value).map_err(|err| ProxyError::Invalid(err.to_string()))
}

/// Caddy answers errors as `{"error": "…"}`; keep the message, or the (cut) raw body.
fn error_message(status: StatusCode, text: &str) -> String {
    let message = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| text.trim().to_string());
    let message = if message.is_empty() {
        status.canonical_reason().unwrap_or("no message").to_string()
    } else {
        message
    };
    match message.char_indices().nth(MAX_ERROR_BODY) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message,
    }
}

/// An error with its causes, `outer: inner: innermost`.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod placement_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_empty_caddy_gets_the_whole_path() {
        let server = json!({"s": 1});
        let (path, body) = placement(&Value::Null, &[("ployer", Some(&server)), ("ployer-tls", None)]).unwrap();
        assert_eq!(path, "/config/");
        assert_eq!(body, json!({"apps": {"http": {"servers": {"ployer": {"s": 1}}}}}));
    }

    #[test]
    fn the_server_goes_below_the_deepest_existing_level() {
        let server = json!({"s": 1});
        let cases = [
            (
                json!({"admin": {}}),
                "/config/apps",
                json!({"http": {"servers": {"ployer": {"s": 1}}}}),
            ),
            (
                json!({"apps": {"tls": {}}}),
                "/config/apps/http",
                json!({"servers": {"ployer": {"s": 1}}}),
            ),
            (
                json!({"apps": {"http": {"http_port": 81}}}),
                "/config/apps/http/servers",
                json!({"ployer": {"s": 1}}),
            ),
            (
                json!({"apps": {"http": {"servers": {"other": {}}}}}),
                "/config/apps/http/servers/ployer",
                json!({"s": 1}),
            ),
            (
                json!({"apps": {"http": {"servers": {"ployer": {"s": 0}}}}}),
                "/config/apps/http/servers/ployer",
                json!({"s": 1}),
            ),
        ];
        for (config, want_path, want_body) in cases {
            let (path, body) = placement(&config, &[("ployer", Some(&server)), ("ployer-tls", None)]).unwrap();
            assert_eq!((path.as_str(), &body), (want_path, &want_body), "config {config}");
        }
    }

    #[test]
    fn a_value_goes_to_the_first_missing_level() {
        let levels = ["apps", "pki", "certificate_authorities", "local", "install_trust"];
        assert_eq!(
            place_at(&json!({"admin": {}}), &levels, json!(false)),
            (
                "/config/apps".to_string(),
                json!({"pki": {"certificate_authorities": {"local": {"install_trust": false}}}})
            )
        );
        assert_eq!(
            place_at(
                &json!({"apps": {"pki": {"certificate_authorities": {"local": {"name": "x"}}}}}),
                &levels,
                json!(false)
            ),
            (
                "/config/apps/pki/certificate_authorities/local/install_trust".to_string(),
                json!(false)
            )
        );
    }

    #[test]
    fn removing_routes_keeps_the_others_in_order() {
        let server = json!({"listen": [":1"], "routes": [{"@id": "a"}, {"@id": "b"}, {"@id": "c"}, {"x": 1}]});
        assert_eq!(
            without_routes(&server, &["b".to_string(), "z".to_string()]),
            json!({"listen": [":1"], "routes": [{"@id": "a"}, {"@id": "c"}, {"x": 1}]})
        );
    }

    #[test]
    fn removing_an_app_takes_its_names_out_of_the_https_redirect() {
        let redirect = |hosts: Value| json!({"@id": REDIRECT_ROUTE_ID, "match": [{"host": hosts}], "handle": []});
        let server = json!({"routes": [
            redirect(json!(["a.example.com", "b.example.com"])),
            {"@id": "ployer-app-a", "match": [{"host": ["a.localhost", "a.example.com"]}]},
            {"@id": "ployer-app-b", "match": [{"host": ["b.example.com"]}]},
        ]});
        let without_a = without_routes(&server, &["ployer-app-a".to_string()]);
        assert_eq!(
            without_a,
            json!({"routes": [
                redirect(json!(["b.example.com"])),
                {"@id": "ployer-app-b", "match": [{"host": ["b.example.com"]}]},
            ]})
        );
        let without_both = without_routes(&without_a, &["ployer-app-b".to_string()]);
        assert_eq!(without_both, json!({"routes": []}), "an empty redirect route goes");
    }

    #[test]
    fn an_identical_server_needs_no_write() {
        let config = json!({"apps": {"http": {"servers": {"ployer": {"s": 1}, "other": {}}}}});
        let server = json!({"s": 1});
        assert_eq!(
            placement(&config, &[("ployer", Some(&server)), ("ployer-tls", None)]),
            None
        );
        let tls = json!({"t": 1});
        let with_tls = json!({"apps": {"http": {"servers": {"ployer": {"s": 1}, "ployer-tls": {"t": 1}}}}});
        assert_eq!(
            placement(&with_tls, &[("ployer", Some(&server)), ("ployer-tls", Some(&tls))]),
            None
        );
    }

    #[test]
    fn two_servers_to_change_or_one_to_remove_are_one_write_of_all_servers() {
        let (http, tls) = (json!({"s": 2}), json!({"t": 2}));
        let config = json!({"apps": {"http": {"servers": {"ployer": {"s": 1}, "other": {"o": 1}}}}});
        let (path, body) = placement(&config, &[("ployer", Some(&http)), ("ployer-tls", Some(&tls))]).unwrap();
        assert_eq!(path, "/config/apps/http/servers");
        assert_eq!(
            body,
            json!({"ployer": {"s": 2}, "ployer-tls": {"t": 2}, "other": {"o": 1}})
        );

        // HTTPS switched off: its server goes, the others stay.
        let config = json!({"apps": {"http": {"servers": {"ployer": {"s": 2}, "ployer-tls": {"t": 2}, "other": {}}}}});
        let (path, body) = placement(&config, &[("ployer", Some(&http)), ("ployer-tls", None)]).unwrap();
        assert_eq!(path, "/config/apps/http/servers");
        assert_eq!(body, json!({"ployer": {"s": 2}, "other": {}}));

        // Missing levels with both servers: one write at the first missing level.
        let both = json!({"ployer": {"s": 2}, "ployer-tls": {"t": 2}});
        for (config, want_path, want_body) in [
            (
                Value::Null,
                "/config/",
                json!({"apps": {"http": {"servers": both.clone()}}}),
            ),
            (json!({}), "/config/apps", json!({"http": {"servers": both.clone()}})),
            (
                json!({"apps": {"pki": {}}}),
                "/config/apps/http",
                json!({"servers": both.clone()}),
            ),
            (json!({"apps": {"http": {}}}), "/config/apps/http/servers", both.clone()),
        ] {
            let placed = placement(&config, &[("ployer", Some(&http)), ("ployer-tls", Some(&tls))]);
            assert_eq!(placed, Some((want_path.to_string(), want_body)), "config {config}");
        }

        // Only the HTTPS server differs: written alone.
        let config = json!({"apps": {"http": {"servers": {"ployer": {"s": 2}, "ployer-tls": {"t": 1}}}}});
        let (path, body) = placement(&config, &[("ployer", Some(&http)), ("ployer-tls", Some(&tls))]).unwrap();
        assert_eq!(
            (path.as_str(), body),
            ("/config/apps/http/servers/ployer-tls", tls.clone())
        );
    }
}
