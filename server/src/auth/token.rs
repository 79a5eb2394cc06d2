//! Session tokens: HS256 JWTs with an audience, an expiry and the user's token version.
//! Bumping a user's token version (password change, "log out everywhere", reset) makes
//! every token issued before it invalid.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const AUDIENCE: &str = "ployer";
const ISSUER: &str = "ployer";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: String,
    /// The user's token version when this token was issued.
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
    pub aud: String,
    pub iss: String,
}

#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime_seconds: i64,
}

impl Tokens {
    pub fn new(secret: &[u8], lifetime_seconds: u64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            lifetime_seconds: i64::try_from(lifetime_seconds).unwrap_or(i64::MAX / 2),
        }
    }

    pub fn issue(&self, user_id: &str, version: i32) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            ver: version,
            iat: now,
            exp: now.saturating_add(self.lifetime_seconds),
            aud: AUDIENCE.into(),
            iss: ISSUER.into(),
        };
        Ok(encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// Signature, algorithm, audience, issuer and expiry. The token version is the caller's
    /// to compare with the user's current one.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

    use super::*;

    fn tokens() -> Tokens {
        Tokens::new(&[7u8; 32], 3600)
    }

    #[test]
    fn issued_tokens_verify_with_their_claims() {
        let t = tokens();
        let token = t.issue("user-1", 3).unwrap();
        let claims = t.verify(&token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.ver), ("user-1", 3));
    }

    #[test]
    fn forged_expired_and_foreign_tokens_fail() {
        let t = tokens();
        let token = t.issue("user-1", 0).unwrap();
        // Another secret.
        assert!(Tokens::new(&[8u8; 32], 3600).verify(&token).is_none());
        // Expired (beyond leeway).
        let old = Claims {
            sub: "user-1".into(),
            ver: 0,
            iat: 0,
            exp: chrono::Utc::now().timestamp() - 60,
            aud: AUDIENCE.into(),
            iss: ISSUER.into(),
        };
        let expired = encode(
            &Header::new(Algorithm::HS256),
            &old,
            &EncodingKey::from_secret(&[7u8; 32]),
        )
        .unwrap();
        assert!(t.verify(&expired).is_none());
        // Wrong audience.
        let mut other = old.clone();
        other.exp = chrono::Utc::now().timestamp() + 600;
        other.aud = "someone-else".into();
        let wrong_aud = encode(
            &Header::new(Algorithm::HS256),
            &other,
            &EncodingKey::from_secret(&[7u8; 32]),
        )
        .unwrap();
        assert!(t.verify(&wrong_aud).is_none());
        // alg: none with the same claims.
        let payload = token.split('.').nth(1).unwrap();
        let none = format!(
            "{}.{payload}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#)
        );
        assert!(t.verify(&none).is_none());
        // A flipped signature byte.
        let mut tampered = token.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(t.verify(&tampered).is_none());
        assert!(t.verify("garbage").is_none());
    }
}
