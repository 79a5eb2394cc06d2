//! Secret values kept out of text that leaves Ployer: deployment logs, failure reasons and an
//! application's log lines all pass through [`redact`].

/// What a secret value is replaced with.
pub const REDACTED: &str = "********";

/// `line` with every value of `secrets` replaced by [`REDACTED`].
pub fn redact(line: &str, secrets: &[String]) -> String {
    let mut out = line.to_string();
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}
