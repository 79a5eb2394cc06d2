//! References to Docker objects an admin names: containers, networks and volumes that may
//! not have been made by Ployer (a compose project's `web_1`, an anonymous volume's 64-hex
//! name). New networks and volumes are named with the one shared rule, [`super::Slug`].

use crate::{InputResult, Invalid};

/// An existing container's id, id prefix or name, or a network's or volume's id or name:
/// what the engine accepts as a name (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`), at most 128 characters.
/// It goes into a URL path, so nothing else (no `/`, no `..` segment) ever passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerRef(String);

impl DockerRef {
    pub fn parse(field: &'static str, raw: &str) -> InputResult<Self> {
        let raw = raw.trim();
        let ok = !raw.is_empty()
            && raw.len() <= 128
            && raw.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !ok {
            return Err(Invalid::new(
                field,
                "must be a Docker id or name: 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A label filter, `key` or `key=value`, of the characters labels are made of.
pub fn label_filter(field: &'static str, raw: &str) -> InputResult<String> {
    let raw = raw.trim();
    let (key, value) = raw.split_once('=').unwrap_or((raw, ""));
    let key_ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/'));
    let value_ok = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/' | b':'));
    if raw.len() > 255 || !key_ok || !value_ok {
        return Err(Invalid::new(
            field,
            "must be a label `key` or `key=value` of letters, digits and `_.-/:`",
        ));
    }
    Ok(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_references_take_engine_names_and_nothing_else() {
        for ok in ["web_1", "a", "0123abcd", "my.net-2", &"f".repeat(64)] {
            assert!(DockerRef::parse("id", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-x",
            ".x",
            "a/b",
            "..",
            "x/../../containers/y",
            "a b",
            "a;b",
            "ä",
            &"a".repeat(129),
        ] {
            assert!(DockerRef::parse("id", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn label_filters_are_keys_or_key_values() {
        assert_eq!(label_filter("label", "ployer.test=abc").unwrap(), "ployer.test=abc");
        assert!(label_filter("label", "com.example/x").is_ok());
        for bad in ["", "=v", "a=b c", "a\"b", "a=$(id)"] {
            assert!(label_filter("label", bad).is_err(), "{bad}");
        }
    }
}
