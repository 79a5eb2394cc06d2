//! Remote servers over SSH: the key Ployer authenticates with, the connection (its host key
//! pinned), and the Docker engine reached through it.
//!
//! The SSH client is `russh`, in process: no `ssh` subprocess, the host key is checked in
//! code against the fingerprint Ployer recorded, and the engine's socket is reached with
//! OpenSSH's `direct-streamlocal` channel, so the remote host needs neither a Docker CLI nor
//! a shell for it. One SSH connection carries every request: each HTTP request to the engine
//! gets a channel of its own on it (cheap: no new TCP or SSH handshake), which also keeps a
//! streaming response (logs, events) from holding up the others. bollard's own `ssh` feature
//! was the alternative: it runs the system `ssh` as a multiplexing master and
//! `docker system dial-stdio` on the remote host per connection, which needs the Docker CLI
//! there and leaves host-key checking to `known_hosts` files.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bollard::{BollardRequest, Docker};
use hyper_util::rt::TokioIo;
use russh::keys::{HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};

/// How long reaching the host (TCP and the SSH handshake) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);
/// How long a command run over SSH may take.
const EXEC_TIMEOUT: Duration = Duration::from_secs(30);
/// Seconds bollard allows a request to the remote engine.
const REQUEST_TIMEOUT_SECONDS: u64 = 120;

/// Why a remote server could not be used, step by step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    /// Nothing answered (no route, filtered, timed out).
    #[error("{0} does not answer: {1}")]
    Unreachable(String, String),
    /// The host answered but refused the connection: nothing listens on that port.
    #[error("{0} refused the connection: nothing listens on that port (is it the SSH port?)")]
    Refused(String),
    /// The host key is not the one recorded at the first validation.
    #[error("the host key of {address} changed: recorded {pinned}, presented {presented}; if the server was reinstalled, accept the new key")]
    HostKeyChanged {
        address: String,
        pinned: String,
        presented: String,
    },
    /// The SSH server did not accept Ployer's key for the user.
    #[error("{user}@{address} did not accept Ployer's key: add the server's public key to ~{user}/.ssh/authorized_keys there")]
    AuthRefused { user: String, address: String },
    /// Connected, but the engine's socket is missing or not permitted.
    #[error("the Docker engine at {socket} cannot be reached over SSH: {reason}")]
    Docker { socket: String, reason: String },
    /// Any other failure of the SSH protocol.
    #[error("SSH to {0} failed: {1}")]
    Ssh(String, String),
}

/// A new ed25519 key: its private half in OpenSSH form (to seal) and its public half as a
/// line for `authorized_keys`. Made with `ssh-key` (as deploy keys are); `russh` reads it.
pub fn generate_key(comment: &str) -> (impl std::ops::Deref<Target = String>, String) {
    use ssh_key::{rand_core::OsRng, Algorithm, LineEnding};
    let mut key = ssh_key::PrivateKey::random(&mut OsRng, Algorithm::Ed25519).expect("ed25519 keys generate");
    key.set_comment(comment);
    let private = key.to_openssh(LineEnding::LF).expect("an ed25519 key encodes");
    let public = key.public_key().to_openssh().expect("an ed25519 public key encodes");
    (private, public)
}

/// A private key a user gave: OpenSSH or PEM, not protected by a passphrase.
pub fn parse_key(text: &str) -> Result<PrivateKey, String> {
    if text.len() > 16 * 1024 {
        return Err("is longer than any SSH private key".into());
    }
    match russh::keys::decode_secret_key(text.trim(), None) {
        Ok(key) if key.is_encrypted() => Err("is protected by a passphrase: give the key without one".into()),
        Ok(key) => Ok(key),
        Err(russh::keys::Error::KeyIsEncrypted) => Err("is protected by a passphrase: give the key without one".into()),
        Err(err) => Err(format!("does not parse as an SSH private key ({err})")),
    }
}

/// The public half of a private key, as a line for `authorized_keys`.
pub fn public_line(key: &PrivateKey) -> String {
    key.public_key().to_openssh().unwrap_or_default()
}

/// `SHA256:…`, as `ssh-keygen -lf` prints it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Where to connect and as whom.
pub struct Target<'a> {
    pub host: &'a str,
    pub port: u16,
    pub user: &'a str,
    pub key: PrivateKey,
    /// The fingerprint recorded at the first validation; `None` accepts the key presented.
    pub pinned: Option<&'a str>,
}

/// An authenticated SSH connection.
pub struct Connection {
    handle: russh::client::Handle<Client>,
    /// The host key the server presented.
    pub host_key: PublicKey,
}

struct Client {
    pinned: Option<String>,
    presented: Arc<Mutex<Option<PublicKey>>>,
}

impl russh::client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        let PublicKeyOrCertificate::PublicKey { key, .. } = key else {
            return Ok(false);
        };
        *self.presented.lock().unwrap_or_else(|p| p.into_inner()) = Some(key.clone());
        Ok(self.pinned.as_deref().is_none_or(|pinned| pinned == fingerprint(key)))
    }
}

/// Connects, checks the host key against the pinned one and authenticates with the key.
pub async fn connect(target: Target<'_>) -> Result<Connection, RemoteError> {
    let address = format!("{}:{}", target.host, target.port);
    let presented = Arc::new(Mutex::new(None));
    let client = Client {
        pinned: target.pinned.map(str::to_string),
        presented: presented.clone(),
    };
    let config = Arc::new(russh::client::Config {
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    });
    let tcp = match tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::TcpStream::connect((target.host, target.port)),
    )
    .await
    {
        Err(_) => {
            return Err(RemoteError::Unreachable(
                address,
                format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            ))
        }
        Ok(Err(err)) if err.kind() == std::io::ErrorKind::ConnectionRefused => {
            return Err(RemoteError::Refused(address))
        }
        Ok(Err(err)) => return Err(RemoteError::Unreachable(address, err.to_string())),
        Ok(Ok(tcp)) => tcp,
    };
    let _ = tcp.set_nodelay(true);
    let handshake = tokio::time::timeout(CONNECT_TIMEOUT, russh::client::connect_stream(config, tcp, client)).await;
    let mut handle = match handshake {
        Err(_) => {
            return Err(RemoteError::Unreachable(
                address,
                "no SSH handshake within the time (is it an SSH server?)".into(),
            ))
        }
        Ok(Err(err)) => {
            let seen = presented.lock().unwrap_or_else(|p| p.into_inner()).clone();
            return Err(match (target.pinned, seen) {
                (Some(pinned), Some(seen)) if fingerprint(&seen) != pinned => RemoteError::HostKeyChanged {
                    address,
                    pinned: pinned.to_string(),
                    presented: fingerprint(&seen),
                },
                _ => RemoteError::Ssh(address, err.to_string()),
            });
        }
        Ok(Ok(handle)) => handle,
    };
    let host_key = presented
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(|| RemoteError::Ssh(address.clone(), "the server presented no host key".into()))?;
    let hash = handle
        .best_supported_rsa_hash()
        .await
        .map_err(|e| RemoteError::Ssh(address.clone(), e.to_string()))?
        .flatten();
    let auth = handle
        .authenticate_publickey(target.user, PrivateKeyWithHashAlg::new(Arc::new(target.key), hash))
        .await
        .map_err(|e| RemoteError::Ssh(address.clone(), e.to_string()))?;
    if !auth.success() {
        return Err(RemoteError::AuthRefused {
            user: target.user.to_string(),
            address,
        });
    }
    Ok(Connection { handle, host_key })
}

impl Connection {
    pub fn is_closed(&self) -> bool {
        self.handle.is_closed()
    }

    /// The engine listening on `socket` on the remote host: every request opens a channel to
    /// the socket on this connection.
    pub fn docker(self: &Arc<Self>, socket: &str) -> Docker {
        let connection = self.clone();
        let socket = socket.to_string();
        let transport = move |request: BollardRequest| {
            let connection = connection.clone();
            let socket = socket.clone();
            async move {
                let channel = connection
                    .handle
                    .channel_open_direct_streamlocal(socket.clone())
                    .await
                    .map_err(|err| bollard::errors::Error::IOError {
                        err: std::io::Error::new(
                            std::io::ErrorKind::NotConnected,
                            format!("cannot open {socket} over SSH: {err}"),
                        ),
                    })?;
                let (mut sender, connection) =
                    hyper::client::conn::http1::handshake(TokioIo::new(Lingering::new(channel))).await?;
                tokio::spawn(async move {
                    if let Err(err) = connection.await {
                        tracing::debug!(error = %err, "an engine connection over SSH ended");
                    }
                });
                // The request line carries the path only; the engine reads the host from `Host`.
                let (mut parts, body) = request.into_parts();
                if let Some(path) = parts.uri.path_and_query().cloned() {
                    parts.uri = hyper::Uri::from(path);
                }
                parts
                    .headers
                    .insert(hyper::header::HOST, hyper::header::HeaderValue::from_static("docker"));
                Ok(sender.send_request(BollardRequest::from_parts(parts, body)).await?)
            }
        };
        Docker::connect_with_custom_transport(
            transport,
            Some("http://docker"),
            REQUEST_TIMEOUT_SECONDS,
            &crate::docker::CLIENT_API_VERSION,
        )
        .expect("a custom transport needs no setup that can fail")
    }

    /// A listener on this machine's loopback whose connections reach `port` on the remote
    /// host's loopback, each through a `direct-tcpip` channel of this connection: how Ployer
    /// probes a container published on the remote loopback and talks to the remote Caddy's
    /// admin API, without opening either to the network. It stops when dropped.
    pub async fn forward(self: &Arc<Self>, port: u16) -> std::io::Result<Forward> {
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
        let local = listener.local_addr()?;
        let connection = self.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    // Out of descriptors, say: try again shortly rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let connection = connection.clone();
                tokio::spawn(async move {
                    let channel = match connection
                        .handle
                        .channel_open_direct_tcpip("127.0.0.1", u32::from(port), "127.0.0.1", 0)
                        .await
                    {
                        Ok(channel) => channel,
                        Err(err) => {
                            tracing::debug!(error = %err, port, "cannot open a forwarded connection over SSH");
                            return;
                        }
                    };
                    let mut remote = Lingering::new(channel);
                    let _ = tokio::io::copy_bidirectional(&mut socket, &mut remote).await;
                });
            }
        });
        Ok(Forward { local, task })
    }

    /// Runs `command` on the remote host; its exit status and what it printed on stdout
    /// (at most 64 KiB). A command that has not ended within `EXEC_TIMEOUT` is an error: the
    /// callers (route checks among them) must not hang on a server that stopped answering.
    pub async fn exec(&self, command: &str) -> Result<(u32, String), String> {
        tokio::time::timeout(EXEC_TIMEOUT, self.exec_unbounded(command))
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {} s", EXEC_TIMEOUT.as_secs())))
    }

    async fn exec_unbounded(&self, command: &str) -> Result<(u32, String), String> {
        let mut channel = self.handle.channel_open_session().await.map_err(|e| e.to_string())?;
        channel.exec(true, command).await.map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let mut status = None;
        while let Some(message) = channel.wait().await {
            match message {
                russh::ChannelMsg::Data { data } if out.len() < 64 * 1024 => out.extend_from_slice(&data),
                russh::ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
                _ => {}
            }
        }
        Ok((status.unwrap_or(255), String::from_utf8_lossy(&out).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_parses_back_and_keys_that_do_not_are_refused() {
        let (private, public) = generate_key("ployer@test");
        let key = parse_key(&private).expect("a generated key parses");
        assert_eq!(
            public_line(&key),
            public.trim_end_matches(" ployer@test").to_string() + " ployer@test"
        );
        assert!(public.starts_with("ssh-ed25519 "), "{public}");
        assert!(fingerprint(key.public_key()).starts_with("SHA256:"));
        for bad in [
            "",
            "not a key",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
        ] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
        assert!(parse_key(&"A".repeat(20_000)).is_err());
    }
}

/// A channel's byte stream that, once dropped, lets the server close the channel first.
///
/// russh forgets a client channel only when the server's `CHANNEL_CLOSE` arrives while the
/// channel is still open on this side; one this side closes first (what dropping a
/// `ChannelStream` does) stays in the connection's channel table until the connection ends,
/// about 2 KiB each — with probes, stats and route checks opening channels every few seconds,
/// megabytes an hour on a connection kept for days. So when this is dropped, a task sends
/// EOF, reads until the server's EOF, and gives its close a moment to arrive (OpenSSH closes a
/// channel once both directions ended) before the stream goes.
struct Lingering(Option<russh::ChannelStream<russh::client::Msg>>);

/// How long a dropped stream waits for the server's EOF, then for its close.
const LINGER_FOR_EOF: Duration = Duration::from_secs(10);
const LINGER_FOR_CLOSE: Duration = Duration::from_millis(500);

impl Lingering {
    fn new(channel: russh::Channel<russh::client::Msg>) -> Self {
        Self(Some(channel.into_stream()))
    }

    fn stream(&mut self) -> std::pin::Pin<&mut russh::ChannelStream<russh::client::Msg>> {
        std::pin::Pin::new(self.0.as_mut().expect("present until dropped"))
    }
}

impl Drop for Lingering {
    fn drop(&mut self) {
        let Some(mut stream) = self.0.take() else { return };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let drained = async {
                let _ = stream.shutdown().await;
                let mut buf = [0u8; 4096];
                while matches!(stream.read(&mut buf).await, Ok(1..)) {}
            };
            let _ = tokio::time::timeout(LINGER_FOR_EOF, drained).await;
            tokio::time::sleep(LINGER_FOR_CLOSE).await;
        });
    }
}

impl tokio::io::AsyncRead for Lingering {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.stream().poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Lingering {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.stream().poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.stream().poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.stream().poll_shutdown(cx)
    }
}

/// A forwarded port ([`Connection::forward`]): connect to `local` to reach the remote port.
pub struct Forward {
    pub local: std::net::SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Forward {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One SSH connection per remote server, reused while it lasts: a closed one is made again
/// on the next use.
#[derive(Clone, Default)]
pub struct Pool {
    connections: Arc<tokio::sync::Mutex<std::collections::HashMap<String, Arc<Connection>>>>,
}

impl Pool {
    /// The server's open connection, if one is kept.
    pub async fn open(&self, server_id: &str) -> Option<Arc<Connection>> {
        let mut connections = self.connections.lock().await;
        match connections.get(server_id) {
            Some(connection) if !connection.is_closed() => Some(connection.clone()),
            Some(_) => {
                connections.remove(server_id);
                None
            }
            None => None,
        }
    }

    /// Keeps `connection` for the server's next uses (replacing the one kept).
    pub async fn keep(&self, server_id: &str, connection: Arc<Connection>) {
        self.connections.lock().await.insert(server_id.to_string(), connection);
    }

    /// Drops the server's connection (its settings changed, it was deleted, or it failed).
    pub async fn forget(&self, server_id: &str) {
        self.connections.lock().await.remove(server_id);
    }
}
