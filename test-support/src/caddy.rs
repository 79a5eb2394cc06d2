//! Caddy for tests: each test that routes through Caddy has one of its own, on ports of its
//! own, started by Ployer's supervisor (which is what those tests exercise). A machine without
//! `caddy` fails them; it never skips them.

use std::{net::SocketAddr, time::Duration};

use tokio::time::Instant;

use crate::{free_port, process::require};

/// Fails the test unless a `caddy` binary is on `PATH`.
#[track_caller]
pub fn require_caddy() {
    require(
        "caddy",
        "these tests need a real Caddy (>= 2.8) as `caddy` on PATH; \
         `scripts/setup.sh --with-test-fixtures` installs one",
    );
}

/// The loopback ports of one test's Caddy: its admin API and its HTTP listener.
#[derive(Debug, Clone, Copy)]
pub struct CaddyPorts {
    pub admin: u16,
    pub http: u16,
}

impl CaddyPorts {
    /// Two free ports, distinct from each other and from any other this process handed out.
    pub fn new() -> Self {
        CaddyPorts {
            admin: free_port(),
            http: free_port(),
        }
    }

    /// `http://127.0.0.1:<admin>`.
    pub fn admin_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.admin)
    }

    /// `127.0.0.1:<http>`.
    pub fn http_addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.http))
    }
}

impl Default for CaddyPorts {
    fn default() -> Self {
        Self::new()
    }
}

/// GET `base` + `path` (say through Caddy) with `host` as the Host header: (status, body), or
/// the transport error in words.
pub async fn get_through(
    client: &reqwest::Client,
    base: &str,
    host: &str,
    path: &str,
) -> Result<(u16, String), String> {
    let response = client
        .get(format!("{base}{path}"))
        .header(reqwest::header::HOST, host)
        .send()
        .await
        .map_err(|e| format!("{e:?}"))?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|e| format!("reading the body: {e:?}"))?;
    Ok((status, body))
}

/// Polls GET `base` + `path` with `host` until it answers 200 with `body` (surrounding
/// whitespace aside); returns how long that took or, once `timeout` has passed, what it
/// answered last.
pub async fn wait_until_served(
    client: &reqwest::Client,
    base: &str,
    host: &str,
    path: &str,
    body: &str,
    timeout: Duration,
) -> Result<Duration, String> {
    let started = Instant::now();
    loop {
        let last = get_through(client, base, host, path).await;
        if matches!(&last, Ok((200, served)) if served.trim() == body) {
            return Ok(started.elapsed());
        }
        if started.elapsed() >= timeout {
            return Err(format!(
                "GET {path} with Host: {host} through Caddy did not answer {body:?} within {timeout:?}; last: {last:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
