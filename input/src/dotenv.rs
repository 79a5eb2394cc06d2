//! `.env` text pasted into an application's variables.

use crate::{
    validate::env::{self, EnvKey},
    InputResult, Invalid,
};

/// Parses with dotenvor (quotes, escapes, `export`, comments, multi-line values) and checks
/// each key and value. `$NAME` is kept literally: nothing from Ployer's own environment or
/// other lines is ever substituted. Errors name their line numbers; none means every line
/// was good.
pub fn parse(text: &str) -> InputResult<Vec<(EnvKey, String)>> {
    const MAX_PROBLEMS: usize = 50;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut problems: Vec<(u32, String)> = Vec::new();
    // The parser stops at the first malformed line: note it, blank it and parse again, so
    // that every bad line is reported at once.
    let entries = loop {
        match dotenvor::parse_str(&lines.join("\n")) {
            Ok(entries) => break entries,
            Err(dotenvor::Error::Parse(err)) if problems.len() < MAX_PROBLEMS => {
                let index = (err.line as usize).saturating_sub(1);
                problems.push((err.line, format!("cannot parse: {}", err.kind)));
                match lines.get_mut(index) {
                    Some(line) if !line.is_empty() => line.clear(),
                    _ => break Vec::new(),
                }
            }
            Err(err) => {
                problems.push((0, err.to_string()));
                break Vec::new();
            }
        }
    };
    let mut vars: Vec<(EnvKey, String)> = Vec::new();
    for entry in entries {
        match EnvKey::parse(&entry.key).and_then(|k| env::value(&entry.value).map(|v| (k, v.to_string()))) {
            Ok((key, value)) => {
                vars.retain(|(k, _)| k != &key);
                vars.push((key, value));
            }
            Err(err) => problems.push((entry.line, err.message())),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|(line, _)| *line);
        let text: Vec<String> = problems
            .iter()
            .map(|(line, message)| format!("line {line}: {message}"))
            .collect();
        return Err(Invalid::new("content", text.join("; ")));
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_text_parses_with_quotes_exports_and_comments() {
        let vars = parse("# comment\nA=1\nexport B=\"two words\"\n\nC='x # y'\nA=3\n").unwrap();
        let mut flat: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        flat.sort();
        assert_eq!(flat, vec![("A", "3"), ("B", "two words"), ("C", "x # y")]);
    }

    #[test]
    fn nothing_is_substituted() {
        std::env::set_var("PLOYER_TEST_SUBSTITUTION", "leaked");
        let vars = parse("A=$PLOYER_TEST_SUBSTITUTION\nB=\"${PLOYER_TEST_SUBSTITUTION}\"\nC=pa$$word\nD=$A\n").unwrap();
        let values: Vec<&str> = vars.iter().map(|(_, v)| v.as_str()).collect();
        assert!(values.iter().all(|v| !v.contains("leaked")), "{values:?}");
        assert_eq!(values[2], "pa$$word");
    }

    #[test]
    fn bad_lines_are_reported_by_number() {
        let err = parse("GOOD=1\n1BAD=2\nOK=3\nNOT VALID\n").unwrap_err();
        let message = err.message();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("line 4"), "{message}");
        assert!(
            !message.contains("line 1:") && !message.contains("line 3:"),
            "{message}"
        );
    }
}
