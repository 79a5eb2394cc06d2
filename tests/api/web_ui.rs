//! The web UI as the real router serves it, from whatever `web/build` holds: pages, the SPA
//! fallback, hashed assets with their encodings and caching, and the security headers.
//! The UI must be built first (the README's test command does it); without it these fail.

use std::path::{Path, PathBuf};

use ployer_tests::{spawn_app, TestApp};

fn build_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/build")
}

/// `web/build/index.html` as the server has it (debug builds read the folder at run time).
fn built_index() -> String {
    let path = build_dir().join("index.html");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "web/build is missing: run `npm ci && npm run build` in web/ first (no {})",
            path.display()
        )
    })
}

/// A hashed asset that `index.html` loads and that has a gzip variant, as `/_app/immutable/…`.
fn hashed_asset(index: &str) -> String {
    index
        .match_indices("/_app/immutable/")
        .filter_map(|(start, _)| {
            let rest = &index[start..];
            let end = rest.find(['"', '\'', ')', ' ', '`'])?;
            Some(rest[..end].to_string())
        })
        .find(|path| build_dir().join(format!("{}.gz", &path[1..])).is_file())
        .unwrap_or_else(|| panic!("index.html loads no /_app/immutable/ file with a .gz beside it:\n{index}"))
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_default()
}

const HTML: (&str, &str) = ("accept", "text/html,application/xhtml+xml,*/*;q=0.8");

#[tokio::test]
async fn pages_and_deep_links_get_index_html_with_a_strict_csp() {
    let index = built_index();
    let app = spawn_app().await;
    for path in ["/", "/applications/123/deployments"] {
        let response = get(&app, path, &[HTML]).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(header(&response, "content-type").starts_with("text/html"), "{path}");
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        let csp = header(&response, "content-security-policy").to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self' 'sha256-"), "{path}: {csp}");
        assert_eq!(header(&response, "x-frame-options"), "DENY");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert_eq!(header(&response, "referrer-policy"), "no-referrer");
        assert_eq!(response.text().await.unwrap(), index, "{path}");
    }
    let head = app
        .client
        .head(app.url("/settings"))
        .header(HTML.0, HTML.1)
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(header(&head, "content-length"), index.len().to_string());
    assert!(head.text().await.unwrap().is_empty());
}

#[tokio::test]
async fn missing_assets_are_404_never_the_page() {
    built_index();
    let app = spawn_app().await;
    for path in [
        "/_app/immutable/nope.js",
        "/favicon-missing.png",
        "/graphql/nope",
        "/webhooks/nope",
    ] {
        let response = get(&app, path, &[HTML]).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(!header(&response, "content-type").starts_with("text/html"), "{path}");
    }
}

#[tokio::test]
async fn a_hashed_asset_is_immutable_precompressed_and_revalidated_by_its_etag() {
    let index = built_index();
    let asset = hashed_asset(&index);
    let app = spawn_app().await;
    let response = get(&app, &asset, &[("accept-encoding", "gzip")]).await;
    assert_eq!(response.status(), 200, "{asset}");
    assert_eq!(header(&response, "content-encoding"), "gzip", "{asset}");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&response, "vary"), "Accept-Encoding");
    assert!(header(&response, "content-security-policy").contains("frame-ancestors 'none'"));
    let etag = header(&response, "etag").to_string();
    let gz = std::fs::read(build_dir().join(format!("{}.gz", &asset[1..]))).unwrap();
    assert_eq!(response.bytes().await.unwrap().as_ref(), gz.as_slice());

    let response = get(&app, &asset, &[("accept-encoding", "gzip"), ("if-none-match", &etag)]).await;
    assert_eq!(response.status(), 304);
    // Without gzip the client gets the file itself, under another tag.
    let response = get(&app, &asset, &[("accept-encoding", "identity")]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), "");
    assert_ne!(header(&response, "etag"), etag);
}

#[tokio::test]
async fn a_browser_opening_graphql_gets_the_ui_and_the_api_is_unchanged() {
    let index = built_index();
    let app = spawn_app().await;
    let response = get(&app, "/graphql", &[HTML]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), index);

    let response = get(&app, "/graphql?query=%7B%20health%20%7D", &[]).await;
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["health"], "ok");
    let response = get(&app, "/healthz", &[]).await;
    assert_eq!(response.text().await.unwrap(), "ok");
}
