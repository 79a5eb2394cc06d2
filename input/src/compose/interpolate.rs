//! `${VAR}` interpolation as Compose defines it, applied to each string value of the parsed
//! file (never to the raw text: a value holding a newline or YAML syntax stays a value and
//! cannot add keys such as `privileged: true`).
//!
//! `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
//! `${VAR:+replacement}`, `${VAR+replacement}`, nested inside a default, and `$$` for a
//! literal `$`. A `$` that starts none of these is kept as it is. An unset variable with no
//! default becomes the empty string, as in Compose. No crate implements this grammar exactly
//! (shell-expansion crates differ on `$$`, `:?` and nesting), so it is written here and fuzzed.

/// Why a value could not be interpolated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterpolateError {
    /// `${` without its `}`.
    Unclosed,
    /// `${}` or `${1x}`: not a variable name.
    BadName(String),
    /// `${VAR:?message}` with VAR unset (or empty).
    Required { name: String, message: String },
}

impl std::fmt::Display for InterpolateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unclosed => f.write_str("`${` is not closed by `}`"),
            Self::BadName(name) => write!(f, "`${{{name}}}` does not name a variable"),
            Self::Required { name, message } if message.is_empty() => {
                write!(f, "variable {name} is required and not set")
            }
            Self::Required { name, message } => write!(f, "variable {name} is required: {message}"),
        }
    }
}

/// Nesting deeper than this is refused (a file cannot make the parser recurse without bound).
const MAX_DEPTH: usize = 16;

/// `text` with its variables replaced by `lookup`'s values.
pub fn interpolate(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, InterpolateError> {
    expand(text, lookup, 0)
}

fn expand(text: &str, lookup: &dyn Fn(&str) -> Option<String>, depth: usize) -> Result<String, InterpolateError> {
    if depth > MAX_DEPTH {
        return Err(InterpolateError::Unclosed);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('{') {
            let end = closing_brace(inner).ok_or(InterpolateError::Unclosed)?;
            out.push_str(&braced(&inner[..end], lookup, depth)?);
            rest = &inner[end + 1..];
        } else {
            let len = name_len(after);
            if len == 0 {
                out.push('$');
            } else {
                out.push_str(&lookup(&after[..len]).unwrap_or_default());
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The byte length of the variable name `text` starts with (0 when none).
fn name_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
        return 0;
    }
    bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count()
}

/// Where the `}` closing a `${` is, counting nested `${ … }`.
fn closing_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The inside of one `${ … }`.
fn braced(inner: &str, lookup: &dyn Fn(&str) -> Option<String>, depth: usize) -> Result<String, InterpolateError> {
    let len = name_len(inner);
    let name = &inner[..len];
    let operator = &inner[len..];
    if len == 0 {
        return Err(InterpolateError::BadName(inner.chars().take(40).collect()));
    }
    let value = lookup(name);
    let set = value.is_some();
    let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
    let word = |w: &str| expand(w, lookup, depth + 1);
    let (op, arg) = match operator
        .char_indices()
        .nth(if operator.starts_with(':') { 1 } else { 0 })
    {
        None if operator.is_empty() => return Ok(value.unwrap_or_default()),
        Some((i, c)) => (&operator[..i + c.len_utf8()], &operator[i + c.len_utf8()..]),
        None => return Err(InterpolateError::BadName(inner.chars().take(40).collect())),
    };
    match op {
        ":-" => Ok(if non_empty {
            value.unwrap_or_default()
        } else {
            word(arg)?
        }),
        "-" => Ok(if set { value.unwrap_or_default() } else { word(arg)? }),
        ":+" => Ok(if non_empty { word(arg)? } else { String::new() }),
        "+" => Ok(if set { word(arg)? } else { String::new() }),
        ":?" | "?" => {
            let ok = if op == ":?" { non_empty } else { set };
            if ok {
                Ok(value.unwrap_or_default())
            } else {
                Err(InterpolateError::Required {
                    name: name.to_string(),
                    message: word(arg)?,
                })
            }
        }
        _ => Err(InterpolateError::BadName(inner.chars().take(40).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(text: &str) -> Result<String, InterpolateError> {
        interpolate(text, &|name| match name {
            "SET" => Some("value".into()),
            "EMPTY" => Some(String::new()),
            "NESTED" => Some("${SET}".into()),
            _ => None,
        })
    }

    #[test]
    fn substitutes_plain_and_braced_variables() {
        assert_eq!(with("a $SET b ${SET}c").unwrap(), "a value b valuec");
        assert_eq!(with("$MISSING|${MISSING}").unwrap(), "|");
        assert_eq!(with("${SET}${SET}").unwrap(), "valuevalue");
    }

    #[test]
    fn defaults_alternatives_and_required_values_follow_compose() {
        assert_eq!(with("${EMPTY:-d} ${EMPTY-d} ${MISSING-d}").unwrap(), "d  d");
        assert_eq!(
            with("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${MISSING+alt}").unwrap(),
            "alt||alt|"
        );
        assert_eq!(with("${SET:?boom}").unwrap(), "value");
        assert_eq!(
            with("${MISSING:?set it in the application}").unwrap_err(),
            InterpolateError::Required {
                name: "MISSING".into(),
                message: "set it in the application".into()
            }
        );
        assert!(with("${EMPTY?x}").is_ok());
        assert!(with("${EMPTY:?x}").is_err());
    }

    #[test]
    fn nests_inside_defaults_and_keeps_values_as_they_are() {
        assert_eq!(with("${MISSING:-${SET}}").unwrap(), "value");
        assert_eq!(with("${MISSING:-${OTHER:-deep}}").unwrap(), "deep");
        // A value is not interpolated again.
        assert_eq!(with("$NESTED").unwrap(), "${SET}");
    }

    #[test]
    fn double_dollar_and_lone_dollars_are_literal() {
        assert_eq!(with("$$SET costs $5 and $").unwrap(), "$SET costs $5 and $");
        assert_eq!(with("${MISSING:-$$}").unwrap(), "$");
    }

    #[test]
    fn malformed_expressions_are_refused() {
        assert_eq!(with("${SET").unwrap_err(), InterpolateError::Unclosed);
        assert!(matches!(with("${}").unwrap_err(), InterpolateError::BadName(_)));
        assert!(matches!(with("${1X}").unwrap_err(), InterpolateError::BadName(_)));
        assert!(matches!(with("${SET/a/b}").unwrap_err(), InterpolateError::BadName(_)));
        let deep = format!("{}x{}", "${A:-".repeat(40), "}".repeat(40));
        assert!(with(&deep).is_err());
    }
}
