//! Environment variable keys and values.

use crate::{InputResult, Invalid};

pub const MAX_KEY_LEN: usize = 256;
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

/// `[A-Za-z_][A-Za-z0-9_]*`, what every shell and Docker accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvKey(String);

impl EnvKey {
    pub fn parse(raw: &str) -> InputResult<Self> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_KEY_LEN
            && !raw.as_bytes()[0].is_ascii_digit()
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !ok {
            return Err(Invalid::new(
                "key",
                format!("must match [A-Za-z_][A-Za-z0-9_]* and be at most {MAX_KEY_LEN} characters"),
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Values are stored verbatim (newlines and shell characters included); only their size and
/// NUL bytes, which no process environment can carry, are refused.
pub fn value(raw: &str) -> InputResult<&str> {
    if raw.len() > MAX_VALUE_BYTES {
        return Err(Invalid::new(
            "value",
            format!("must be at most {MAX_VALUE_BYTES} bytes"),
        ));
    }
    if raw.contains('\0') {
        return Err(Invalid::new("value", "must not contain NUL characters"));
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_shell_rule() {
        for ok in ["A", "_x", "DATABASE_URL", "a1"] {
            assert!(EnvKey::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1A", "A-B", "A B", "A=B", "A;B", "$(id)", &"A".repeat(257)] {
            assert!(EnvKey::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn values_are_kept_verbatim_within_bounds() {
        assert_eq!(value("a; b | $(c)\nd").unwrap(), "a; b | $(c)\nd");
        assert!(value(&"x".repeat(MAX_VALUE_BYTES + 1)).is_err());
        assert!(value("a\0b").is_err());
    }
}
