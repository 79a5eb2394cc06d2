//! Is this delivery from the provider? Each check works on the raw body bytes exactly as
//! they arrived (never a re-serialized value) and compares in constant time. An empty
//! secret or an empty signature never verifies: there is no way to fail open.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// Why a delivery's signature was refused; the words are what the delivery log shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The header is absent or empty.
    Missing(&'static str),
    /// The header is not in the provider's format (prefix, length, hex digits).
    Malformed(&'static str),
    /// Well-formed, but computed with another secret or over another body.
    Mismatch,
    /// GitLab's token is not the webhook's secret.
    WrongToken,
}

impl Refusal {
    pub fn reason(self) -> String {
        match self {
            Refusal::Missing(header) => format!("no {header} header"),
            Refusal::Malformed(expected) => format!("the signature header is not {expected}"),
            Refusal::Mismatch => "the signature does not match the body and the webhook's secret".into(),
            Refusal::WrongToken => "the token is not the webhook's secret".into(),
        }
    }
}

/// GitHub: `X-Hub-Signature-256: sha256=<64 hex digits>`, HMAC-SHA256 of the body.
pub fn github(secret: &[u8], body: &[u8], header: Option<&str>) -> Result<(), Refusal> {
    const FORMAT: &str = "sha256=<64 hex digits>";
    let header = present(header, "X-Hub-Signature-256")?;
    let hex = header.strip_prefix("sha256=").ok_or(Refusal::Malformed(FORMAT))?;
    hmac_sha256(secret, body, hex, FORMAT)
}

/// Gitea and Forgejo: `X-Gitea-Signature` / `X-Forgejo-Signature: <64 hex digits>`,
/// HMAC-SHA256 of the body, without a prefix.
pub fn gitea(secret: &[u8], body: &[u8], header: Option<&str>) -> Result<(), Refusal> {
    let header = present(header, "X-Gitea-Signature or X-Forgejo-Signature")?;
    hmac_sha256(secret, body, header, "64 hex digits")
}

/// GitLab: `X-Gitlab-Token` carries the secret itself. Both sides are hashed first, so the
/// comparison takes the same time whatever the lengths.
pub fn gitlab(secret: &[u8], header: Option<&str>) -> Result<(), Refusal> {
    let token = present(header, "X-Gitlab-Token")?;
    if secret.is_empty() {
        return Err(Refusal::WrongToken);
    }
    let expected = Sha256::digest(secret);
    let given = Sha256::digest(token.as_bytes());
    if bool::from(expected.ct_eq(&given)) {
        Ok(())
    } else {
        Err(Refusal::WrongToken)
    }
}

fn present<'a>(header: Option<&'a str>, name: &'static str) -> Result<&'a str, Refusal> {
    match header.map(str::trim) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(Refusal::Missing(name)),
    }
}

fn hmac_sha256(secret: &[u8], body: &[u8], signature_hex: &str, format: &'static str) -> Result<(), Refusal> {
    if signature_hex.len() != 64 {
        return Err(Refusal::Malformed(format));
    }
    let signature = hex::decode(signature_hex).map_err(|_| Refusal::Malformed(format))?;
    if secret.is_empty() {
        return Err(Refusal::Mismatch);
    }
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| Refusal::Mismatch)?;
    mac.update(body);
    // `verify_slice` compares in constant time.
    mac.verify_slice(&signature).map_err(|_| Refusal::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    // GitHub's documented example ("Validating webhook deliveries").
    const GITHUB_SECRET: &[u8] = b"It's a Secret to Everybody";
    const GITHUB_BODY: &[u8] = b"Hello, World!";
    const GITHUB_SIGNATURE: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    // Computed with `openssl dgst -sha256 -hmac gitea-secret`.
    const GITEA_SECRET: &[u8] = b"gitea-secret";
    const GITEA_BODY: &[u8] = br#"{"ref":"refs/heads/main"}"#;
    const GITEA_SIGNATURE: &str = "6aab54046b413afedbc6d4ff0d3b4fd694c1af82c19c0be7ee9b80438b90223d";

    #[test]
    fn githubs_documented_vector_verifies() {
        assert_eq!(github(GITHUB_SECRET, GITHUB_BODY, Some(GITHUB_SIGNATURE)), Ok(()));
        // Upper-case hex is still the same signature.
        let upper = format!("sha256={}", GITHUB_SIGNATURE[7..].to_uppercase());
        assert_eq!(github(GITHUB_SECRET, GITHUB_BODY, Some(&upper)), Ok(()));
    }

    #[test]
    fn a_one_byte_change_anywhere_fails() {
        assert_eq!(
            github(GITHUB_SECRET, b"Hello, World?", Some(GITHUB_SIGNATURE)),
            Err(Refusal::Mismatch)
        );
        assert_eq!(
            github(b"It's a Secret to Everybodz", GITHUB_BODY, Some(GITHUB_SIGNATURE)),
            Err(Refusal::Mismatch)
        );
        let mut flipped = GITHUB_SIGNATURE.to_string();
        flipped.replace_range(70.., "8");
        assert_eq!(
            github(GITHUB_SECRET, GITHUB_BODY, Some(&flipped)),
            Err(Refusal::Mismatch)
        );
    }

    #[test]
    fn the_body_is_verified_as_raw_bytes_not_as_json() {
        let secret = b"s3cret";
        let body = br#"{"ref": "refs/heads/main", "after": "abc"}"#;
        let mut mac = HmacSha256::new_from_slice(secret).unwrap();
        mac.update(body);
        let signature = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert_eq!(github(secret, body, Some(&signature)), Ok(()));
        // The same JSON with other whitespace or key order is another body.
        let compact = br#"{"ref":"refs/heads/main","after":"abc"}"#;
        let reordered = br#"{"after": "abc", "ref": "refs/heads/main"}"#;
        assert_eq!(github(secret, compact, Some(&signature)), Err(Refusal::Mismatch));
        assert_eq!(github(secret, reordered, Some(&signature)), Err(Refusal::Mismatch));
    }

    #[test]
    fn malformed_github_headers_are_refused_before_any_hmac() {
        let hex = &GITHUB_SIGNATURE[7..];
        assert!(matches!(
            github(GITHUB_SECRET, GITHUB_BODY, None),
            Err(Refusal::Missing(_))
        ));
        assert!(matches!(
            github(GITHUB_SECRET, GITHUB_BODY, Some("")),
            Err(Refusal::Missing(_))
        ));
        for bad in [
            format!("sha1={hex}"),
            hex.to_string(),
            format!("SHA256={hex}"),
            format!("sha256={}", &hex[..63]),
            format!("sha256={hex}0"),
            format!("sha256={}", &hex[..62]),
            format!("sha256={}zz", &hex[..62]),
            "sha256=".to_string(),
        ] {
            assert!(
                matches!(
                    github(GITHUB_SECRET, GITHUB_BODY, Some(&bad)),
                    Err(Refusal::Malformed(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn gitea_and_forgejo_signatures_are_bare_hex() {
        assert_eq!(gitea(GITEA_SECRET, GITEA_BODY, Some(GITEA_SIGNATURE)), Ok(()));
        // GitHub's vector in Gitea's format: the same algorithm.
        assert_eq!(gitea(GITHUB_SECRET, GITHUB_BODY, Some(&GITHUB_SIGNATURE[7..])), Ok(()));
        assert_eq!(
            gitea(GITEA_SECRET, b"{\"ref\":\"refs/heads/mainx\"}", Some(GITEA_SIGNATURE)),
            Err(Refusal::Mismatch)
        );
        assert_eq!(
            gitea(b"another", GITEA_BODY, Some(GITEA_SIGNATURE)),
            Err(Refusal::Mismatch)
        );
        assert!(matches!(
            gitea(GITEA_SECRET, GITEA_BODY, Some(&format!("sha256={GITEA_SIGNATURE}"))),
            Err(Refusal::Malformed(_))
        ));
        assert!(matches!(
            gitea(GITEA_SECRET, GITEA_BODY, Some(&GITEA_SIGNATURE[1..])),
            Err(Refusal::Malformed(_))
        ));
        assert!(matches!(
            gitea(GITEA_SECRET, GITEA_BODY, None),
            Err(Refusal::Missing(_))
        ));
    }

    #[test]
    fn gitlab_tokens_must_equal_the_secret() {
        let secret = b"0123456789abcdef0123456789abcdef";
        assert_eq!(gitlab(secret, Some("0123456789abcdef0123456789abcdef")), Ok(()));
        assert_eq!(
            gitlab(secret, Some("0123456789abcdef0123456789abcdeF")),
            Err(Refusal::WrongToken)
        );
        assert_eq!(gitlab(secret, Some("0123456789abcdef")), Err(Refusal::WrongToken));
        assert!(matches!(gitlab(secret, Some("")), Err(Refusal::Missing(_))));
        assert!(matches!(gitlab(secret, None), Err(Refusal::Missing(_))));
    }

    #[test]
    fn an_empty_secret_never_verifies() {
        assert_eq!(gitlab(b"", Some("anything")), Err(Refusal::WrongToken));
        let mac = HmacSha256::new_from_slice(b"").unwrap().chain_update(GITHUB_BODY);
        let signature = hex::encode(mac.finalize().into_bytes());
        assert_eq!(
            github(b"", GITHUB_BODY, Some(&format!("sha256={signature}"))),
            Err(Refusal::Mismatch)
        );
        assert_eq!(gitea(b"", GITHUB_BODY, Some(&signature)), Err(Refusal::Mismatch));
    }
}
