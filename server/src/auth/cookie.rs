//! The browser's session cookie. A web UI that kept its session token in JavaScript would
//! hand it to any script injected into the page; in `ployer_session` (HttpOnly) no script can
//! read it, and SameSite=Strict keeps other sites' pages from sending it.
//!
//! The cookie carries a session JWT and nothing else (never an API key), and it is checked
//! exactly like `Authorization: Bearer <token>`. It is a second way in, so it never outranks
//! an `Authorization` header: a request that has one is judged by it alone.
//!
//! This module only reads and writes the header values; whether a request's response can
//! carry `Set-Cookie` at all is what [`CanSetCookie`] says.

use axum::http::{header, HeaderMap};

pub const NAME: &str = "ployer_session";

/// Request data: the caller's session came from the cookie, so a renewed session
/// (`changePassword`) goes back into the cookie instead of the response body.
#[derive(Debug, Clone, Copy)]
pub struct FromCookie;

/// Request data: the request came over HTTP and its response headers reach the client, so a
/// resolver may set the cookie. Websocket operations have no response of their own to carry
/// one.
#[derive(Debug, Clone, Copy)]
pub struct CanSetCookie;

/// The session token in the request's `Cookie` headers, if any. The first `ployer_session`
/// wins (a browser sends the most specific path first); an empty value is no token.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| name.trim() == NAME)
        .map(|(_, value)| value.trim().trim_matches('"'))
        .filter(|value| !value.is_empty())
}

/// The `Set-Cookie` value that stores `token` for `max_age_seconds` (the token's own
/// lifetime, so the browser forgets it when it stops working). `secure` when Ployer is
/// served over HTTPS: the browser then never sends it over plain HTTP.
pub fn set(token: &str, max_age_seconds: u64, secure: bool) -> String {
    attributes(token, max_age_seconds, secure)
}

/// The `Set-Cookie` value that makes the browser drop the cookie.
pub fn clear(secure: bool) -> String {
    attributes("", 0, secure)
}

fn attributes(value: &str, max_age_seconds: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{NAME}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_seconds}{secure}")
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(cookies: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for cookie in cookies {
            headers.append(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
        }
        headers
    }

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        assert_eq!(
            session_token(&headers(&["theme=dark; ployer_session=abc.def.ghi; lang=en"])),
            Some("abc.def.ghi")
        );
        assert_eq!(
            session_token(&headers(&["a=1", "ployer_session=\"x.y.z\""])),
            Some("x.y.z")
        );
        assert_eq!(
            session_token(&headers(&["ployer_session=first; ployer_session=second"])),
            Some("first")
        );
    }

    #[test]
    fn look_alike_names_and_empty_values_are_no_token() {
        assert_eq!(
            session_token(&headers(&["xployer_session=abc; ployer_session_old=def"])),
            None
        );
        assert_eq!(session_token(&headers(&["ployer_session="])), None);
        assert_eq!(session_token(&headers(&["ployer_session"])), None);
        assert_eq!(session_token(&HeaderMap::new()), None);
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_only_over_https() {
        assert_eq!(
            set("t", 3600, false),
            "ployer_session=t; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600"
        );
        assert!(set("t", 3600, true).ends_with("; Max-Age=3600; Secure"));
        assert_eq!(
            clear(false),
            "ployer_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
        );
    }
}
