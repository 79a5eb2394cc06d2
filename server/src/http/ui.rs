//! The web UI: the SvelteKit build in `web/build`, served by the binary itself so an
//! installation is one file. Release builds embed it; debug builds (tests, `cargo run`)
//! read `web/build` from disk on each request, so a fresh `npm run build` shows without
//! rebuilding the server and never serves a stale embed. (rust-embed's `debug-embed` would
//! make tests exercise the embed itself, at the price of a server rebuild after every UI
//! build; what is served is the same code path over [`File`] either way.)
//!
//! The build writes `X.gz` and `X.br` next to each compressible `X`; the variant a client
//! accepts is served as is, so nothing is compressed at request time. Files under
//! `_app/immutable/` carry a content hash in their name and are cached for a year; every
//! other file, `index.html` above all, is revalidated by its ETag on each use.
//!
//! Unknown paths that look like a page (`/applications/…/deployments`) get `index.html`,
//! where the SPA's router takes over; anything that looks like a file is a plain 404, never
//! a page, so a missing script fails loudly instead of being parsed as HTML.
//!
//! The Content-Security-Policy allows scripts from this origin plus the inline boot script
//! of `index.html`, by hash: injected markup can run nothing.

use std::{borrow::Cow, sync::OnceLock};

use axum::{
    body::Body,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
};
use base64::{
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
    Engine,
};
use sha2::{Digest, Sha256};

#[derive(rust_embed::RustEmbed)]
#[folder = "../web/build"]
// The server builds, and says how to build the UI, when `web/build` does not exist.
#[allow_missing = true]
struct Embedded;

const INDEX: &str = "index.html";
/// Written by the UI build: the hashes of the inline style attributes its code uses.
const STYLE_HASHES: &str = "csp-style-hashes.txt";
const IMMUTABLE: &str = "_app/immutable/";
const NO_CACHE: &str = "no-cache";
const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// One file as served: its bytes and the SHA-256 that names this version (its ETag).
struct File {
    data: Cow<'static, [u8]>,
    sha256: [u8; 32],
}

enum Source {
    Embedded,
    /// `PLOYER_UI_DIR`: a build on disk, read on every request (for working on the UI:
    /// `npm run build` and reload, no new binary).
    Directory(std::path::PathBuf),
    #[cfg(test)]
    Memory(std::collections::HashMap<String, Vec<u8>>),
}

/// The UI's files and the policy derived from them.
pub struct Ui {
    source: Source,
    csp: OnceLock<HeaderValue>,
}

impl Ui {
    /// The UI built into this binary, or the build in `PLOYER_UI_DIR` when that is set.
    pub fn embedded() -> &'static Ui {
        static UI: OnceLock<Ui> = OnceLock::new();
        UI.get_or_init(|| {
            let source = match std::env::var_os("PLOYER_UI_DIR") {
                Some(dir) if !dir.is_empty() => {
                    tracing::info!(dir = %std::path::Path::new(&dir).display(), "serving the web UI from PLOYER_UI_DIR");
                    Source::Directory(dir.into())
                }
                _ => Source::Embedded,
            };
            Ui {
                source,
                csp: OnceLock::new(),
            }
        })
    }

    /// A UI made of `files` (path → bytes), for unit tests.
    #[cfg(test)]
    fn in_memory(files: &[(&str, &[u8])]) -> Ui {
        let files = files
            .iter()
            .map(|(path, data)| (path.to_string(), data.to_vec()))
            .collect();
        Ui {
            source: Source::Memory(files),
            csp: OnceLock::new(),
        }
    }

    fn file(&self, path: &str) -> Option<File> {
        match &self.source {
            Source::Embedded => Embedded::get(path).map(|file| File {
                sha256: file.metadata.sha256_hash(),
                data: file.data,
            }),
            // `path` comes from `file_path`: no `..`, `.`, backslash or NUL segment.
            Source::Directory(dir) => std::fs::read(dir.join(path)).ok().map(|data| File {
                sha256: Sha256::digest(&data).into(),
                data: Cow::Owned(data),
            }),
            #[cfg(test)]
            Source::Memory(files) => files.get(path).map(|data| File {
                sha256: Sha256::digest(data).into(),
                data: Cow::Owned(data.clone()),
            }),
        }
    }

    /// The `Content-Security-Policy` of every response, computed once from `index.html`
    /// (each time for a build on disk, which may be rebuilt under a running server).
    pub fn csp(&self) -> HeaderValue {
        if matches!(self.source, Source::Directory(_)) {
            return self.policy();
        }
        self.csp.get_or_init(|| self.policy()).clone()
    }

    fn policy(&self) -> HeaderValue {
        let index = self.file(INDEX);
        let html = index
            .as_ref()
            .map(|f| String::from_utf8_lossy(&f.data))
            .unwrap_or_default();
        let hashes: String = inline_scripts(&html)
            .into_iter()
            .map(|script| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(script.as_bytes()))))
            .collect();
        let styles = self
            .file(STYLE_HASHES)
            .map(|f| style_hashes(&String::from_utf8_lossy(&f.data)))
            .unwrap_or_default();
        let policy = format!(
            "default-src 'self'; script-src 'self'{hashes}; style-src 'self'{styles}; img-src 'self' data:; \
             font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; \
             base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        );
        // Only ASCII goes in (base64 and the literal above), so this cannot fail.
        HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
    }

    /// Answers a request the API's routes did not take: a file of the build, `index.html`
    /// for a page of the SPA, or a 404.
    pub fn respond(&self, method: &Method, path: &str, headers: &HeaderMap) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return not_found();
        }
        let Some(path) = file_path(path) else {
            return not_found();
        };
        if path.is_empty() {
            return self.index(headers);
        }
        if let Some(response) = self.serve_file(&path, headers) {
            return response;
        }
        if accepts_html(headers) && is_page(&path) {
            return self.index(headers);
        }
        not_found()
    }

    /// `index.html`, where the SPA starts; when the UI was never built, a page that says how.
    pub fn index(&self, headers: &HeaderMap) -> Response {
        self.serve_file(INDEX, headers).unwrap_or_else(not_built)
    }

    fn serve_file(&self, path: &str, headers: &HeaderMap) -> Option<Response> {
        let identity = self.file(path)?;
        let accepted = header_values(headers, header::ACCEPT_ENCODING);
        let (file, encoding) = [("br", ".br"), ("gzip", ".gz")]
            .into_iter()
            .filter(|(coding, _)| accepts_encoding(&accepted, coding))
            .find_map(|(coding, suffix)| Some((self.file(&format!("{path}{suffix}"))?, Some(coding))))
            .unwrap_or((identity, None));

        let etag = format!("\"{}\"", URL_SAFE_NO_PAD.encode(file.sha256));
        let cache = if path.starts_with(IMMUTABLE) {
            IMMUTABLE_CACHE
        } else {
            NO_CACHE
        };
        let mut response = if none_match(&header_values(headers, header::IF_NONE_MATCH), &etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(match file.data {
                Cow::Borrowed(data) => Body::from(data),
                Cow::Owned(data) => Body::from(data),
            });
            let out = response.headers_mut();
            out.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(path)));
            if let Some(coding) = encoding {
                out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            }
            response
        };
        let out = response.headers_mut();
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            out.insert(header::ETAG, etag);
        }
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        out.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        Some(response)
    }
}

/// The headers that keep a page from being framed, sniffed or leaking its URL, and the CSP.
/// Harmless on responses that are not pages, so every response gets them.
pub fn add_security_headers(headers: &mut HeaderMap) {
    headers.insert(header::CONTENT_SECURITY_POLICY, Ui::embedded().csp());
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

const NOT_BUILT: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Ployer: web UI not built</title></head>
<body>
<h1>The web UI was not built into this Ployer</h1>
<p>Build it, then build Ployer again, which embeds it:</p>
<pre>cd web &amp;&amp; npm ci &amp;&amp; npm run build
cd .. &amp;&amp; cargo build --release -p ployer-server</pre>
<p>The GraphQL API works without it, at <code>/graphql</code> (POST, or <code>/graphql/ws</code> for subscriptions).</p>
</body>
</html>
"#;

fn not_built() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, NO_CACHE),
        ],
        NOT_BUILT,
    )
        .into_response()
}

/// The request path as a key of the build (no leading `/`, percent-decoded); `None` for
/// anything that could reach outside it or is not UTF-8.
fn file_path(path: &str) -> Option<String> {
    let decoded = percent_decode(path.strip_prefix('/').unwrap_or(path))?;
    let unsafe_segment = decoded
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.contains(['\\', '\0']));
    (!unsafe_segment).then_some(decoded)
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A path the SPA's router may own: not an asset (`_app/`, or a last segment with an
/// extension) and not under the API's own prefixes.
fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.')
        && !["_app/", "graphql/", "webhooks/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

fn accepts_html(headers: &HeaderMap) -> bool {
    header_values(headers, header::ACCEPT).contains("text/html")
}

/// Every value of a header, joined as one comma-separated list.
fn header_values(headers: &HeaderMap, name: header::HeaderName) -> String {
    let values: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
    values.join(",")
}

/// Whether `Accept-Encoding` gives `coding` a non-zero quality, by name or through `*`.
fn accepts_encoding(accept: &str, coding: &str) -> bool {
    let mut named = None;
    let mut any = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let quality = parts
            .filter_map(|param| param.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map(|(_, value)| value.trim().parse::<f32>().unwrap_or(0.0))
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) || (coding == "gzip" && name.eq_ignore_ascii_case("x-gzip")) {
            named = Some(quality);
        } else if name == "*" {
            any = Some(quality);
        }
    }
    named.or(any).is_some_and(|quality| quality > 0.0)
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 says for it) or is `*`.
fn none_match(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, ext)| ext).unwrap_or_default();
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// The `style="…"` attributes the UI's code writes into markup, as the UI build lists them
/// (one base64 SHA-256 a line): allowed by hash, so no other inline style applies. Lines
/// that are not a SHA-256 in base64 are ignored.
fn style_hashes(listed: &str) -> String {
    let hashes: Vec<String> = listed
        .lines()
        .map(str::trim)
        .filter(|h| h.len() == 44 && STANDARD.decode(h).is_ok_and(|bytes| bytes.len() == 32))
        .map(|h| format!(" 'sha256-{h}'"))
        .collect();
    if hashes.is_empty() {
        return String::new();
    }
    format!(" 'unsafe-hashes'{}", hashes.concat())
}

/// The contents of every `<script>` without a `src` attribute, exactly as written: what a
/// CSP hash is computed over.
fn inline_scripts(html: &str) -> Vec<&str> {
    // ASCII lowercasing keeps every byte offset, so positions found in `lower` cut `html`.
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<script") {
        let attrs_start = pos + found + "<script".len();
        pos = attrs_start;
        let follows = lower.as_bytes().get(attrs_start).copied();
        if !matches!(follows, Some(b'>' | b'/') | Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0c)) {
            continue; // `<scripts>` or such: another element.
        }
        let Some(attrs_len) = tag_end(&html[attrs_start..]) else {
            break;
        };
        let attrs = &html[attrs_start..attrs_start + attrs_len];
        let body_start = attrs_start + attrs_len + 1;
        let Some(body_len) = lower[body_start..].find("</script") else {
            break;
        };
        if !has_attribute(attrs, "src") {
            scripts.push(&html[body_start..body_start + body_len]);
        }
        pos = body_start + body_len;
    }
    scripts
}

/// The offset of the `>` that ends a start tag, skipping over quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '>') => return Some(i),
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    None
}

/// Whether a start tag's attribute text has an attribute called `name`.
fn has_attribute(attrs: &str, name: &str) -> bool {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return false;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if rest[..name_len].eq_ignore_ascii_case(name) {
            return true;
        }
        rest = rest[name_len..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        rest = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |end| &value[end + 2..]),
            _ => value
                .find(|c: char| c.is_ascii_whitespace())
                .map_or("", |end| &value[end..]),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX_HTML: &str = "<!doctype html><html><head>\
        <link rel=\"modulepreload\" href=\"/_app/immutable/entry/start.abc.js\">\
        <script type=\"module\" src=\"/_app/immutable/entry/app.js\"></script>\
        </head><body><div>\
        <SCRIPT>\n\t\t\t{ __sveltekit = {}; import(\"/_app/immutable/entry/start.abc.js\"); }\n\t\t</SCRIPT>\
        </div></body></html>";

    fn ui() -> Ui {
        Ui::in_memory(&[
            ("index.html", INDEX_HTML.as_bytes()),
            ("index.html.gz", b"gz index"),
            ("favicon.svg", b"<svg/>"),
            ("_app/version.json", b"{\"version\":\"1\"}"),
            ("_app/immutable/entry/start.abc.js", b"console.log(1)"),
            ("_app/immutable/entry/start.abc.js.gz", b"gz bytes"),
            ("_app/immutable/entry/start.abc.js.br", b"br bytes"),
            ("_app/immutable/entry/plain.js", b"no variants"),
        ])
    }

    #[test]
    fn a_build_on_disk_is_read_on_every_request_and_nothing_outside_it() {
        let dir = tempfile::tempdir().unwrap();
        let build = dir.path().join("build");
        std::fs::create_dir_all(build.join("_app")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        std::fs::write(build.join("index.html"), "<script>one()</script>").unwrap();
        let ui = Ui {
            source: Source::Directory(build.clone()),
            csp: OnceLock::new(),
        };
        let first = ui.csp();
        assert!(first
            .to_str()
            .unwrap()
            .contains(&format!("'sha256-{}'", STANDARD.encode(Sha256::digest(b"one()")))));
        // Rebuilt under the running server: the new page and its new policy.
        std::fs::write(build.join("index.html"), "<script>two()</script>").unwrap();
        assert!(ui
            .csp()
            .to_str()
            .unwrap()
            .contains(&format!("'sha256-{}'", STANDARD.encode(Sha256::digest(b"two()")))));
        assert_eq!(get(&ui, "/", &[HTML]).status(), StatusCode::OK);
        for path in ["/../secret.txt", "/_app/../../secret.txt", "/%2e%2e/secret.txt"] {
            assert_eq!(get(&ui, path, &[]).status(), StatusCode::NOT_FOUND, "{path}");
        }
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn get(ui: &Ui, path: &str, pairs: &[(header::HeaderName, &str)]) -> Response {
        ui.respond(&Method::GET, path, &headers(pairs))
    }

    fn header(response: &Response, name: header::HeaderName) -> &str {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default()
    }

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    const JS: &str = "/_app/immutable/entry/start.abc.js";
    const HTML: (header::HeaderName, &str) = (header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8");

    #[tokio::test]
    async fn brotli_is_preferred_then_gzip_and_q_zero_refuses_a_coding() {
        let ui = ui();
        let cases = [
            ("gzip, deflate, br", Some("br"), "br bytes"),
            ("gzip", Some("gzip"), "gz bytes"),
            ("br;q=0, gzip;q=0.5", Some("gzip"), "gz bytes"),
            ("br;q=0.0, gzip;Q=0", None, "console.log(1)"),
            ("*", Some("br"), "br bytes"),
            ("*;q=0, gzip", Some("gzip"), "gz bytes"),
            ("identity", None, "console.log(1)"),
            ("", None, "console.log(1)"),
        ];
        for (accept, encoding, expected) in cases {
            let response = get(&ui, JS, &[(header::ACCEPT_ENCODING, accept)]);
            assert_eq!(response.status(), StatusCode::OK, "{accept}");
            let coding = response
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_string());
            assert_eq!(coding.as_deref(), encoding, "{accept}");
            assert_eq!(header(&response, header::VARY), "Accept-Encoding");
            assert_eq!(
                header(&response, header::CONTENT_TYPE),
                "text/javascript; charset=utf-8"
            );
            assert_eq!(body(response).await, expected, "{accept}");
        }
        // A file with no compressed variant is served as it is.
        let response = get(
            &ui,
            "/_app/immutable/entry/plain.js",
            &[(header::ACCEPT_ENCODING, "br, gzip")],
        );
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
    }

    #[tokio::test]
    async fn each_variant_has_its_own_etag_and_a_matching_one_is_a_304() {
        let ui = ui();
        let etag_of =
            |accept: &str| header(&get(&ui, JS, &[(header::ACCEPT_ENCODING, accept)]), header::ETAG).to_string();
        let (br, gzip, plain) = (etag_of("br"), etag_of("gzip"), etag_of(""));
        assert!(br.starts_with('"') && br.ends_with('"'), "{br}");
        assert!(br != gzip && gzip != plain && br != plain);

        let response = get(
            &ui,
            JS,
            &[
                (header::ACCEPT_ENCODING, "gzip"),
                (header::IF_NONE_MATCH, &format!("\"x\", W/{gzip}")),
            ],
        );
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header(&response, header::ETAG), gzip);
        assert_eq!(header(&response, header::CACHE_CONTROL), IMMUTABLE_CACHE);
        assert!(body(response).await.is_empty());
        // Another variant's tag does not match this one.
        let response = get(
            &ui,
            JS,
            &[(header::ACCEPT_ENCODING, "br"), (header::IF_NONE_MATCH, &gzip)],
        );
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[test]
    fn hashed_assets_are_immutable_and_everything_else_is_revalidated() {
        let ui = ui();
        assert_eq!(header(&get(&ui, JS, &[]), header::CACHE_CONTROL), IMMUTABLE_CACHE);
        for path in [
            "/",
            "/index.html",
            "/favicon.svg",
            "/_app/version.json",
            "/applications/1",
        ] {
            let response = get(&ui, path, &[HTML]);
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(header(&response, header::CACHE_CONTROL), NO_CACHE, "{path}");
        }
        assert_eq!(
            header(&get(&ui, "/favicon.svg", &[]), header::CONTENT_TYPE),
            "image/svg+xml"
        );
    }

    #[tokio::test]
    async fn only_html_navigations_to_page_paths_fall_back_to_index_html() {
        let ui = ui();
        for path in ["/", "/applications/123/deployments", "/settings/", "/graphql"] {
            let response = get(&ui, path, &[HTML]);
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(header(&response, header::CONTENT_TYPE), "text/html; charset=utf-8");
            assert_eq!(body(response).await, INDEX_HTML, "{path}");
        }
        let not_found = [
            "/_app/immutable/nope.js",
            "/_app/somewhere",
            "/favicon-missing.png",
            "/deep/path/file.txt",
            "/graphql/anything",
            "/webhooks/unknown",
            "/../Cargo.toml",
            "/_app/immutable/%2e%2e/x",
            "/%ff",
        ];
        for path in not_found {
            assert_eq!(get(&ui, path, &[HTML]).status(), StatusCode::NOT_FOUND, "{path}");
        }
        // Not a navigation: a page path without `text/html` in Accept.
        assert_eq!(
            get(&ui, "/applications/123", &[(header::ACCEPT, "application/json")]).status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            ui.respond(&Method::POST, "/applications", &headers(&[HTML])).status(),
            StatusCode::NOT_FOUND
        );
        // `/` is the index whatever the client accepts; HEAD answers like GET.
        assert_eq!(get(&ui, "/", &[]).status(), StatusCode::OK);
        assert_eq!(
            ui.respond(&Method::HEAD, "/settings", &headers(&[HTML])).status(),
            StatusCode::OK
        );
        // Percent-encoded names are decoded before the lookup.
        assert_eq!(get(&ui, "/favicon%2Esvg", &[]).status(), StatusCode::OK);
    }

    #[test]
    fn listed_style_attribute_hashes_are_allowed_and_nothing_else() {
        let hash = STANDARD.encode(Sha256::digest(b"width: 1px"));
        let listed = format!("{hash}\nnot-a-hash\n'; script-src *\n\n");
        assert_eq!(style_hashes(&listed), format!(" 'unsafe-hashes' 'sha256-{hash}'"));
        assert_eq!(style_hashes("garbage\n"), "");
    }

    #[test]
    fn the_csp_allows_exactly_the_inline_boot_script_by_hash() {
        let ui = ui();
        let script = "\n\t\t\t{ __sveltekit = {}; import(\"/_app/immutable/entry/start.abc.js\"); }\n\t\t";
        let hash = STANDARD.encode(Sha256::digest(script.as_bytes()));
        let csp = ui.csp();
        let csp = csp.to_str().unwrap();
        assert!(csp.contains(&format!("script-src 'self' 'sha256-{hash}'; ")), "{csp}");
        // The module script with `src` is allowed by 'self', not hashed.
        assert_eq!(csp.matches("'sha256-").count(), 1, "{csp}");
        assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("worker-src 'self' blob:; object-src 'none'"), "{csp}");
    }

    #[test]
    fn inline_scripts_are_found_whatever_their_attributes() {
        let html = r#"<script src="/a.js"></script><script data-src="x">one</script>
            <script type="module" data-note='has src= in it'>two</script><scripts>no</scripts>
            <script SRC=/b.js></script><script async>three</script>"#;
        assert_eq!(inline_scripts(html), vec!["one", "two", "three"]);
        assert!(has_attribute(r#" type="module" src="/x.js""#, "src"));
        assert!(!has_attribute(r#" data-src="/x.js" title='src'"#, "src"));
    }

    #[tokio::test]
    async fn without_a_build_pages_say_how_to_build_the_ui_and_assets_are_404() {
        let ui = Ui::in_memory(&[]);
        for path in ["/", "/applications/1"] {
            let response = get(&ui, path, &[HTML]);
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(header(&response, header::CONTENT_TYPE), "text/html; charset=utf-8");
            let page = body(response).await;
            assert!(page.contains("npm ci &amp;&amp; npm run build"), "{page}");
            assert!(page.contains("cargo build --release -p ployer-server"), "{page}");
            assert!(page.contains("/graphql"), "{page}");
        }
        assert_eq!(get(&ui, JS, &[HTML]).status(), StatusCode::NOT_FOUND);
        let csp = ui.csp();
        let csp = csp.to_str().unwrap();
        assert!(csp.contains("script-src 'self'; "), "{csp}");
    }
}
