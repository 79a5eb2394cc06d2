//! The contents of an application's upstream file, which Caddy reads on every request
//! through a `{file.<path>}` placeholder (the server's `proxy::upstreams` writes and reads the
//! files). The text is only ever an address Ployer rendered, `<ip>:<port>` and a newline; what
//! reads it back must take nothing else for an address, since a file left by someone else or
//! cut short is possible.

use std::net::SocketAddr;

/// What the file holds for `upstream`.
pub fn render(upstream: SocketAddr) -> String {
    format!("{upstream}\n")
}

/// The address a file's `text` holds; `None` when it holds anything else.
pub fn parse(text: &str) -> Option<SocketAddr> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_addresses_parse_back() {
        for addr in ["127.0.0.1:32768", "[::1]:8080", "[fe80::1%2]:1"] {
            let addr: SocketAddr = addr.parse().unwrap();
            assert_eq!(parse(&render(addr)), Some(addr));
        }
        assert_eq!(render("127.0.0.1:80".parse().unwrap()), "127.0.0.1:80\n");
    }

    #[test]
    fn anything_but_an_address_is_none() {
        for text in [
            "",
            "not an address",
            "127.0.0.1",
            "127.0.0.1:99999",
            "http://127.0.0.1:80",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
