//! A private git server over smart HTTP on loopback, as a Gitea or GitLab would be: axum in
//! front of `git http-backend` (git's own CGI program), serving the bare repositories under a
//! directory only to a request carrying the right basic-auth user name and token. It keeps
//! the `Authorization` header of every request, so a test can tell what a client sent.

use std::{
    path::PathBuf,
    process::Stdio,
    sync::{Arc, Mutex},
};

use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use tokio::io::AsyncWriteExt;

pub struct GitHttp {
    pub port: u16,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

struct Shared {
    root: PathBuf,
    /// `Basic <base64(user:token)>`.
    expected: String,
    /// Each request's `Authorization` header, `None` when it had none.
    seen: Mutex<Vec<Option<String>>>,
}

impl Drop for GitHttp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl GitHttp {
    /// Serves the bare repositories under `root` on a free loopback port to `user:token`.
    /// Needs a tokio runtime.
    pub fn start(root: PathBuf, user: &str, token: &str) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the git http server");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            root,
            expected: format!("Basic {}", STANDARD.encode(format!("{user}:{token}"))),
            seen: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new().fallback(serve).with_state(shared.clone());
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        GitHttp { port, shared, server }
    }

    /// `http://127.0.0.1:<port>/<repo>`.
    pub fn url(&self, repo: &str) -> String {
        format!("http://127.0.0.1:{}/{repo}", self.port)
    }

    /// The `Authorization` headers received so far, in order.
    pub fn seen(&self) -> Vec<Option<String>> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// What a client sends for `user:token`.
    pub fn basic(user: &str, token: &str) -> String {
        format!("Basic {}", STANDARD.encode(format!("{user}:{token}")))
    }
}

async fn serve(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let authorized = auth.as_deref() == Some(shared.expected.as_str());
    shared.seen.lock().unwrap().push(auth);
    if !authorized {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Basic realm=\"git\"")],
            "authentication required\n",
        )
            .into_response();
    }
    match http_backend(&shared, &method, &uri, &headers, body).await {
        Ok(response) => response,
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, format!("git http-backend: {err}\n")).into_response(),
    }
}

/// Runs `git http-backend` for one request (CGI/1.1) and turns its output into a response.
async fn http_backend(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> std::io::Result<Response> {
    let header_text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let mut child = tokio::process::Command::new("git")
        .arg("http-backend")
        .env("GIT_PROJECT_ROOT", &shared.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("REQUEST_METHOD", method.as_str())
        .env("PATH_INFO", uri.path())
        .env("QUERY_STRING", uri.query().unwrap_or_default())
        .env("CONTENT_TYPE", header_text(header::CONTENT_TYPE))
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("HTTP_CONTENT_ENCODING", header_text(header::CONTENT_ENCODING))
        .env(
            "GIT_PROTOCOL",
            header_text(header::HeaderName::from_static("git-protocol")),
        )
        .env("REMOTE_USER", "ployer")
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Written beside the read: a large request body must not wait for a full stdout pipe.
    let writer = tokio::spawn(async move {
        let _ = stdin.write_all(&body).await;
    });
    let output = child.wait_with_output().await?;
    let _ = writer.await;
    let out = output.stdout;
    let Some((head_len, sep_len)) = find(&out, b"\r\n\r\n")
        .map(|at| (at, 4))
        .or_else(|| find(&out, b"\n\n").map(|at| (at, 2)))
    else {
        return Err(std::io::Error::other(format!(
            "no CGI header in its output; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    };
    let mut response = Response::new(axum::body::Body::from(out[head_len + sep_len..].to_vec()));
    for line in String::from_utf8_lossy(&out[..head_len]).lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value.get(..3).and_then(|c| c.parse::<u16>().ok()).unwrap_or(500);
            *response.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        } else if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.trim().as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    Ok(response)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
