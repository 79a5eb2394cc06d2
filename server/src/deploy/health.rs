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
            Some(c) if c.kind == crate::services::health_checks::KIND_TCP => Probe::Tcp,
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

/// One probe. HTTP: a GET must answer 2xx or 3xx within `timeout`; TCP: a connection must open.
pub async fn probe(client: &reqwest::Client, target: SocketAddr, probe: &Probe, timeout: Duration) -> ProbeResult {
    let started = Instant::now();
    match probe {
        Probe::Tcp => match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(target)).await {
            Ok(Ok(_)) => ProbeResult {
                healthy: true,
                status_code: None,
                elapsed: started.elapsed(),
                detail: "TCP connect ok".into(),
            },
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
}
