//! Validated values taken from users. Once one of these exists it is valid; every input
//! path goes through them, on create and on update alike.

pub mod docker;
pub mod domain;
pub mod env;
pub mod mounts;
pub mod source;

use std::net::IpAddr;

use crate::{InputResult, Invalid};

/// A lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> InputResult<Self> {
        // The stored form is checked, not the typed one: lower-casing can change a character
        // into others (`İ` becomes `i` and a combining dot) that an address may not hold.
        let lowered = raw.trim().to_lowercase();
        if lowered.len() > 254 || !email_address::EmailAddress::is_valid(&lowered) {
            return Err(Invalid::new("email", "not a valid email address"));
        }
        // Quoted local parts and IP-literal domains are legal but invite trouble.
        let (local, domain) = lowered.rsplit_once('@').unwrap_or_default();
        if local.contains('"') || domain.starts_with('[') || !domain.contains('.') {
            return Err(Invalid::new("email", "not a valid email address"));
        }
        Ok(Self(lowered))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A DNS-label name (servers, applications): `a-z`, `0-9`, `-`, 1–63 characters, starting
/// and ending with a letter or digit. One rule for every named thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &'static str, raw: &str) -> InputResult<Self> {
        let ok = !raw.is_empty()
            && raw.len() <= 63
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if !ok {
            return Err(Invalid::new(
                field,
                "must be 1-63 characters of lower-case letters, digits and '-', not starting or ending with '-'",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A host to connect to: an IP address or an RFC 1123 host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host(String);

impl Host {
    pub fn parse(field: &'static str, raw: &str) -> InputResult<Self> {
        let raw = raw.trim().to_lowercase();
        if raw.parse::<IpAddr>().is_ok() {
            return Ok(Self(raw));
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if raw.is_empty() || raw.len() > 253 || !raw.split('.').all(label_ok) {
            return Err(Invalid::new(field, "must be an IP address or a valid host name"));
        }
        Ok(Self(raw))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A TCP port, 1–65535.
pub fn port(field: &'static str, raw: i32) -> InputResult<u16> {
    u16::try_from(raw)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| Invalid::new(field, "must be a port number between 1 and 65535"))
}

/// Free text with a length bound and no control characters.
pub fn text(field: &'static str, raw: &str, max: usize) -> InputResult<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max || trimmed.chars().any(char::is_control) {
        return Err(Invalid::new(
            field,
            format!("must be 1-{max} characters without control characters"),
        ));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_checked_as_it_is_stored() {
        // Found by fuzzing: `İ` lower-cases to `i` and a combining dot, which no address holds.
        let stored = Email::parse("Ale@E.\u{130}.M");
        if let Ok(email) = &stored {
            assert_eq!(
                Email::parse(email.as_str()).as_ref(),
                Ok(email),
                "the stored form parses again"
            );
        }
        assert_eq!(Email::parse(" Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
    }

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            Email::parse(" Alice@Example.COM ").unwrap().as_str(),
            "alice@example.com"
        );
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "a b@example.com",
            "alice@localhost",
            "\"a\"@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn slugs_follow_dns_label_rules() {
        assert!(Slug::parse("name", "web-1").is_ok());
        for bad in [
            "",
            "-web",
            "web-",
            "Web",
            "web;id",
            "../x",
            "a/b",
            "a'b",
            &"a".repeat(64),
        ] {
            assert!(Slug::parse("name", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts_are_ips_or_hostnames() {
        assert!(Host::parse("host", "10.0.0.5").is_ok());
        assert!(Host::parse("host", "::1").is_ok());
        assert_eq!(
            Host::parse("host", "Node-1.Example.com").unwrap().as_str(),
            "node-1.example.com"
        );
        for bad in ["", "a..b", "-a.com", "a b", "$(id)", "a;b", "x/y"] {
            assert!(Host::parse("host", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ports_and_text_are_bounded() {
        assert!(port("port", 0).is_err());
        assert!(port("port", 70000).is_err());
        assert_eq!(port("port", 22).unwrap(), 22);
        assert!(text("name", "ok", 10).is_ok());
        assert!(text("name", "   ", 10).is_err());
        assert!(text("name", "a\nb", 10).is_err());
        assert!(text("name", &"a".repeat(11), 10).is_err());
    }
}
