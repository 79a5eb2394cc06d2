//! API keys: 32 random bytes shown to the user once as `ploy_<hex>`; only a SHA-256 of the
//! key is stored. The key has full entropy, so a fast hash is enough and lookups are by hash.

use rand::RngCore;
use sha2::{Digest, Sha256};

pub const PREFIX: &str = "ploy_";
/// How much of the key is kept in clear so users can tell keys apart.
const SHOWN_LEN: usize = PREFIX.len() + 8;

pub struct NewKey {
    pub plaintext: String,
    pub hash: String,
    pub shown_prefix: String,
}

pub fn generate() -> NewKey {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let plaintext = format!("{PREFIX}{}", hex::encode(bytes));
    NewKey {
        hash: hash(&plaintext),
        shown_prefix: plaintext[..SHOWN_LEN].to_string(),
        plaintext,
    }
}

pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

pub fn looks_like_key(token: &str) -> bool {
    token.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_only_their_hash_identifies_them() {
        let a = generate();
        let b = generate();
        assert_ne!(a.plaintext, b.plaintext);
        assert_eq!(a.plaintext.len(), PREFIX.len() + 64);
        assert!(looks_like_key(&a.plaintext));
        assert_eq!(hash(&a.plaintext), a.hash);
        assert_ne!(a.hash, b.hash);
        assert!(!a.hash.contains(&a.plaintext[PREFIX.len()..]));
        assert!(a.plaintext.starts_with(&a.shown_prefix));
    }
}
