//! Password policy and hashing (argon2id). Hashing is CPU-bound and runs on the blocking
//! pool so a login storm cannot stall the async workers. Unknown accounts are checked
//! against a dummy hash so a wrong email costs the same time as a wrong password.

use std::sync::OnceLock;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

use crate::error::{AppError, AppResult};

pub const MIN_LEN: usize = 10;
/// Bounded so that hashing cost stays bounded too.
pub const MAX_LEN: usize = 128;

const COMMON: &[&str] = &[
    "password", "passw0rd", "123456", "qwerty", "letmein", "welcome", "admin", "iloveyou", "abc123", "monkey",
    "dragon", "football", "baseball", "sunshine", "princess", "trustno1",
];

/// A password that met the policy. Its `Debug` never shows the value.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

impl Password {
    /// Checks length, variety and the obvious choices. `email` keeps people from using
    /// their own address as the password.
    pub fn parse(raw: &str, email: &str) -> AppResult<Self> {
        let len = raw.chars().count();
        let bad = |msg: String| AppError::bad_input("password", msg);
        if len < MIN_LEN {
            return Err(bad(format!("password must be at least {MIN_LEN} characters long")));
        }
        if len > MAX_LEN {
            return Err(bad(format!("password must be at most {MAX_LEN} characters long")));
        }
        let mut distinct: Vec<char> = raw.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 5 {
            return Err(bad("password is too weak: use at least 5 different characters".into()));
        }
        let lower = raw.to_lowercase();
        let local = email.split('@').next().unwrap_or_default().to_lowercase();
        if COMMON.iter().any(|c| lower.starts_with(c) && lower.len() < c.len() + 4)
            || (local.len() >= 4 && lower.contains(&local))
        {
            return Err(bad("password is too weak: avoid common words and your email".into()));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: &Password) -> AppResult<String> {
    let password = password.0.clone();
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
}

fn hash_blocking(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("password hashing failed: {e}")))
}

/// Verifies `password` against `stored`, or against a dummy hash when there is no account,
/// so both paths take the same time. Returns false for the dummy.
pub async fn verify(stored: Option<String>, password: &str) -> bool {
    if password.chars().count() > MAX_LEN {
        return false;
    }
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let is_real = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let ok = PasswordHash::new(&stored)
            .map(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        ok && is_real
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("dummy password for unknown accounts").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_rejects_short_long_weak_and_personal_passwords() {
        let email = "alice.smith@example.com";
        assert!(Password::parse("short", email).is_err());
        assert!(Password::parse(&"x".repeat(200), email).is_err());
        assert!(Password::parse("aaaaaaaaaaaa", email).is_err());
        assert!(Password::parse("password123", email).is_err());
        assert!(Password::parse("my-alice.smith-pw", email).is_err());
        assert!(Password::parse("correct horse battery", email).is_ok());
        assert!(Password::parse(&"ab1!c".repeat(25), email).is_ok());
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = Password::parse("correct horse battery", "a@b.co").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[tokio::test]
    async fn hash_then_verify_round_trips_and_rejects_others() {
        let p = Password::parse("correct horse battery", "a@b.co").unwrap();
        let h = hash(&p).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(Some(h.clone()), "correct horse battery").await);
        assert!(!verify(Some(h.clone()), "correct horse batterY").await);
        assert!(!verify(Some(h), &"x".repeat(500)).await);
        assert!(!verify(None, "correct horse battery").await);
    }

    #[test]
    fn two_hashes_of_one_password_differ() {
        assert_ne!(
            hash_blocking("same password").unwrap(),
            hash_blocking("same password").unwrap()
        );
    }
}
