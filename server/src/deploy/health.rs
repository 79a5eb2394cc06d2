//! Health probes, run from Ployer through the container's published loopback port, so an
//! image needs no curl or wget. Used by the deployment gate and the health monitor.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use entities::health_checks;

#[derive(Debug, Clone)]
pub enum Probe {
    Http { path: String },
    Tcp,
}

impl Probe {
    pub fn from_check(check: Option<&health_checks::Model>) -> Self {
        match check {
            Some(c) if c.kind == crate::services::health_checks::CheckKind::Tcp => Probe::Tcp,
            Some(c) => Probe::Http {
                path: c.path.clone().unwrap_or_else(|| "/".into()),
            },
            None => Probe::Http { path: "/".into() },
        }
    }
}

#[derive(Debug, Clone)]
pub struct ProbeResult {
    pub healthy: bool,
    pub status_code: Option<u16>,
    pub elapsed: Duration,
    /// What happened, for logs and the health history.
    pub detail: String,
}

impl ProbeResult {
    /// No probe could be sent: the place the container runs is out of reach.
    pub fn unreachable(detail: String) -> Self {
        Self {
            healthy: false,
            status_code: None,
            elapsed: Duration::ZERO,
            detail,
        }
    }
}

/// How long a TCP probe's connection must stay open (or the server speak first) to count. Docker
/// publishes a port through its own proxy, which accepts every connection and closes it at once
/// when nothing listens inside the container: an open connection alone proves nothing.
const TCP_SETTLE: Duration = Duration::from_millis(200);

/// One probe. HTTP: a GET must answer 2xx or 3xx within `timeout`; TCP: a connection must open
/// and not be closed straight away.
pub async fn probe(client: &reqwest::Client, target: SocketAddr, probe: &Probe, timeout: Duration) -> ProbeResult {
    let started = Instant::now();
    match probe {
        Probe::Tcp => match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(target)).await {
            Ok(Ok(stream)) => {
                // The full settle even when the connect used up the timeout: a shorter wait
                // would let Docker's proxy pass for a listening server.
                let (healthy, detail) = tcp_settles(stream, TCP_SETTLE).await;
                ProbeResult {
                    healthy,
                    status_code: None,
                    elapsed: started.elapsed(),
                    detail,
                }
            }
            Ok(Err(err)) => ProbeResult {
                healthy: false,
                status_code: None,
                elapsed: started.elapsed(),
                detail: format!("TCP connect failed: {err}"),
            },
            Err(_) => ProbeResult {
                healthy: false,
                status_code: None,
                elapsed: started.elapsed(),
                detail: format!("no TCP connection within {}s", timeout.as_secs()),
            },
        },
        Probe::Http { path } => {
            let url = format!("http://{target}{path}");
            match client.get(&url).timeout(timeout).send().await {
                Ok(response) => {
                    let status = response.status();
                    let healthy = status.is_success() || status.is_redirection();
                    ProbeResult {
                        healthy,
                        status_code: Some(status.as_u16()),
                        elapsed: started.elapsed(),
                        detail: format!("GET {path} answered {status}"),
                    }
                }
                Err(err) => {
                    let detail = if err.is_timeout() {
                        format!("GET {path}: no answer within {}s", timeout.as_secs())
                    } else {
                        format!("GET {path}: {}", root_cause(&err))
                    };
                    ProbeResult {
                        healthy: false,
                        status_code: None,
                        elapsed: started.elapsed(),
                        detail,
                    }
                }
            }
        }
    }
}

/// Whether an opened connection is a listening server's: it stays open for `settle`, or the
/// server sends something first (a banner). Closed or reset at once is Docker's port proxy with
/// nothing listening behind it.
async fn tcp_settles(stream: tokio::net::TcpStream, settle: Duration) -> (bool, String) {
    let mut first = [0u8; 1];
    match tokio::time::timeout(settle, stream.peek(&mut first)).await {
        Err(_) => (true, "TCP connect ok".into()),
        Ok(Ok(n)) if n > 0 => (true, "TCP connect ok (the server spoke first)".into()),
        Ok(Ok(_)) => (
            false,
            "TCP connection closed at once: nothing listens on the app port inside the container".into(),
        ),
        Ok(Err(err)) => (false, format!("TCP connection failed after it opened: {err}")),
    }
}

fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// A client for probes: no redirects followed, no proxies, no connection reuse surprises.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    async fn server(response: &'static str) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut buf = [0u8; 1024];
                let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut buf).await;
                let _ = socket.write_all(response.as_bytes()).await;
            }
        });
        addr
    }

    #[tokio::test]
    async fn http_probes_judge_the_status_code() {
        let ok = server("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").await;
        let bad = server("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
        let client = client();
        let http = Probe::Http {
            path: "/healthz".into(),
        };
        let r = probe(&client, ok, &http, Duration::from_secs(2)).await;
        assert!(r.healthy && r.status_code == Some(200), "{r:?}");
        let r = probe(&client, bad, &http, Duration::from_secs(2)).await;
        assert!(!r.healthy && r.status_code == Some(503), "{r:?}");
        assert!(probe(&client, ok, &Probe::Tcp, Duration::from_secs(2)).await.healthy);
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let r = probe(&client, closed, &http, Duration::from_secs(2)).await;
        assert!(!r.healthy && r.detail.contains("GET /healthz"), "{r:?}");
        assert!(
            !probe(&client, closed, &Probe::Tcp, Duration::from_secs(2))
                .await
                .healthy
        );
    }

    /// A listener that handles each connection with `serve`.
    async fn tcp_server<F, Fut>(serve: F) -> SocketAddr
    where
        F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket));
            }
        });
        addr
    }

    #[tokio::test]
    async fn a_tcp_probe_needs_the_connection_to_stay_open_or_the_server_to_speak() {
        let client = client();
        let silent = tcp_server(|socket| async move {
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(socket);
        })
        .await;
        let r = probe(&client, silent, &Probe::Tcp, Duration::from_secs(2)).await;
        assert!(r.healthy, "{r:?}");
        let banner = tcp_server(|mut socket| async move {
            let _ = socket.write_all(b"220 ready\r\n").await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        })
        .await;
        let r = probe(&client, banner, &Probe::Tcp, Duration::from_secs(2)).await;
        assert!(r.healthy && r.elapsed < TCP_SETTLE, "a banner counts at once: {r:?}");
        // What Docker's port proxy does when nothing listens in the container.
        let closes = tcp_server(|socket| async move { drop(socket) }).await;
        let r = probe(&client, closes, &Probe::Tcp, Duration::from_secs(2)).await;
        assert!(!r.healthy && r.detail.contains("closed at once"), "{r:?}");
    }

    #[tokio::test]
    async fn a_tcp_probe_through_dockers_port_proxy_fails_while_nothing_listens_in_the_container() {
        let name = format!("ployer-tcp-probe-{}", std::process::id());
        let run = std::process::Command::new("docker")
            .args(["run", "-d", "--rm", "--name", &name, "-p", "127.0.0.1::9999"])
            .args(["ployer-test/busybox:latest", "sleep", "60"])
            .output()
            .expect("docker CLI");
        assert!(
            run.status.success(),
            "docker run failed (these tests need dockerd and the test image; `scripts/setup.sh --with-test-fixtures`): {}",
            String::from_utf8_lossy(&run.stderr)
        );
        struct Remove(String);
        impl Drop for Remove {
            fn drop(&mut self) {
                let _ = std::process::Command::new("docker")
                    .args(["rm", "-f", &self.0])
                    .output();
            }
        }
        let _remove = Remove(name.clone());
        let port = std::process::Command::new("docker")
            .args(["port", &name, "9999/tcp"])
            .output()
            .expect("docker port");
        let port: u16 = String::from_utf8_lossy(&port.stdout)
            .lines()
            .find_map(|l| l.rsplit(':').next()?.trim().parse().ok())
            .expect("a published port");
        let target = SocketAddr::from(([127, 0, 0, 1], port));
        let r = probe(&client(), target, &Probe::Tcp, Duration::from_secs(2)).await;
        assert!(!r.healthy, "nothing listens on 9999 in the container: {r:?}");
    }
}
