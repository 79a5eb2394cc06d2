//! Host names that route traffic to applications. Checked against RFC 1123 after IDN
//! conversion, so what reaches Caddy is always plain lower-case ASCII labels.

use crate::{InputResult, Invalid};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hostname(String);

impl Hostname {
    /// `*.` is allowed only as the whole first label. Unicode names become punycode.
    pub fn parse(raw: &str) -> InputResult<Self> {
        let bad = |msg: &str| Invalid::new("hostname", msg);
        let trimmed = raw.trim().trim_end_matches('.');
        if trimmed.is_empty() || trimmed.len() > 253 {
            return Err(bad("must be a host name of 1-253 characters"));
        }
        if trimmed.contains([':', '/', ' ', '@', '?', '#', '\\', '"']) || trimmed.chars().any(char::is_control) {
            return Err(bad("must be a bare host name: no scheme, port, path or spaces"));
        }
        let (wildcard, rest) = match trimmed.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        if rest.contains('*') {
            return Err(bad(
                "a wildcard is only allowed as the whole first label (`*.example.com`)",
            ));
        }
        let ascii = idna::domain_to_ascii(rest).map_err(|_| bad("is not a valid internationalised domain name"))?;
        let labels: Vec<&str> = ascii.split('.').collect();
        if labels.len() < 2 {
            return Err(bad("must have at least two labels (`app.example.com`)"));
        }
        for label in &labels {
            let ok = !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-');
            if !ok {
                return Err(bad(
                    "each label must be 1-63 letters, digits or '-', not starting or ending with '-'",
                ));
            }
        }
        if labels.last().is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad("must be a name, not an IP address"));
        }
        let name = if wildcard { format!("*.{ascii}") } else { ascii };
        if name.len() > 253 {
            return Err(bad("must be a host name of 1-253 characters"));
        }
        Ok(Self(name))
    }

    /// The automatic `<app>.<base domain>` name; the app name is already a valid label.
    pub fn automatic(app_name: &str, base_domain: &str) -> InputResult<Self> {
        Self::parse(&format!("{app_name}.{base_domain}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_wildcard(&self) -> bool {
        self.0.starts_with("*.")
    }
}

/// A name no public CA certifies, which Caddy certifies from its own local CA instead:
/// `localhost`, `*.localhost`, `*.local`, `*.internal`, `*.home.arpa`, and addresses. Browsers
/// do not trust that CA, so such names are linked and served over HTTP.
pub fn is_local_name(host: &str) -> bool {
    host == "localhost"
        || [".localhost", ".local", ".internal", ".home.arpa"]
            .iter()
            .any(|suffix| host.ends_with(suffix))
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_are_the_ones_caddy_certifies_itself() {
        for local in [
            "localhost",
            "web.localhost",
            "nas.local",
            "db.internal",
            "tv.home.arpa",
            "10.0.0.5",
            "::1",
            "[::1]",
        ] {
            assert!(is_local_name(local), "{local}");
        }
        for public in [
            "example.com",
            "web.example.com",
            "localhost.example.com",
            "internal.example.com",
        ] {
            assert!(!is_local_name(public), "{public}");
        }
    }

    #[test]
    fn host_names_are_normalised() {
        assert_eq!(
            Hostname::parse(" App.Example.COM. ").unwrap().as_str(),
            "app.example.com"
        );
        assert_eq!(
            Hostname::parse("bücher.example").unwrap().as_str(),
            "xn--bcher-kva.example"
        );
        assert_eq!(
            Hostname::parse("*.apps.example.com").unwrap().as_str(),
            "*.apps.example.com"
        );
        assert_eq!(Hostname::parse("web.localhost").unwrap().as_str(), "web.localhost");
    }

    #[test]
    fn bad_host_names_are_refused() {
        let long_label = format!("{}.example.com", "a".repeat(64));
        let long_name = format!("{}.com", "abcdefghi.".repeat(26));
        for bad in [
            "",
            "exa mple.com",
            "example.com:8080",
            "example.com/path",
            "https://example.com",
            "a..b.com",
            "-a.example.com",
            "a-.example.com",
            "example",
            "a.*.example.com",
            "*example.com",
            "foo*.example.com",
            "127.0.0.1",
            "x\"}],\"handle\":[{\"handler\":\"static_response\"}]}.com",
            long_label.as_str(),
            long_name.as_str(),
        ] {
            assert!(Hostname::parse(bad).is_err(), "{bad:?}");
        }
    }
}
