//! Secrets at rest: XChaCha20-Poly1305 under the master key, a fresh random 24-byte nonce
//! for every write, and associated data that names the row the secret belongs to. A
//! ciphertext copied to another row, a flipped byte or another key all fail to decrypt;
//! nothing is ever returned in their place.

use chacha20poly1305::{
    aead::{Aead, AeadCore, KeyInit, OsRng, Payload},
    XChaCha20Poly1305, XNonce,
};

use crate::error::AppError;

#[derive(Clone)]
pub struct Crypto {
    cipher: XChaCha20Poly1305,
    /// Keys [`Crypto::fingerprint`]; derived from the master key, never stored.
    fingerprint_key: [u8; 32],
}

impl std::fmt::Debug for Crypto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Crypto { .. }")
    }
}

pub struct Sealed {
    pub ciphertext: Vec<u8>,
    pub nonce: Vec<u8>,
}

/// What a secret is bound to; its bytes are the associated data.
pub enum Binding<'a> {
    EnvVar { application_id: &'a str, key: &'a str },
    DeployKey { application_id: &'a str },
    GitCredential { application_id: &'a str, origin: &'a str },
    WebhookSecret { webhook_id: &'a str },
    ServerKey { server_id: &'a str },
    RegistryPassword { cluster_id: &'a str },
}

impl Binding<'_> {
    fn associated_data(&self) -> Vec<u8> {
        // Lengths prefix each part so that no two bindings share bytes.
        let parts: Vec<&str> = match self {
            Binding::EnvVar { application_id, key } => vec!["env", application_id, key],
            Binding::DeployKey { application_id } => vec!["deploy-key", application_id],
            Binding::GitCredential { application_id, origin } => vec!["git-credential", application_id, origin],
            Binding::WebhookSecret { webhook_id } => vec!["webhook", webhook_id],
            Binding::ServerKey { server_id } => vec!["server-key", server_id],
            Binding::RegistryPassword { cluster_id } => vec!["registry-password", cluster_id],
        };
        let mut out = Vec::new();
        for part in parts {
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part.as_bytes());
        }
        out
    }
}

impl Crypto {
    pub fn new(master_key: &[u8; 32]) -> Self {
        use sha2::Digest;
        let mut derive = sha2::Sha256::new();
        derive.update(b"ployer fingerprint key\0");
        derive.update(master_key);
        Self {
            cipher: XChaCha20Poly1305::new(master_key.into()),
            fingerprint_key: derive.finalize().into(),
        }
    }

    /// A keyed digest (HMAC-SHA256, hex) of `data`: equal data, equal fingerprints, and one
    /// that holds secret values (a container's environment) cannot be checked against guesses
    /// without the master key.
    pub fn fingerprint(&self, data: &[u8]) -> String {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.fingerprint_key)
            .expect("HMAC takes any key length");
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn seal(&self, plaintext: &[u8], binding: Binding<'_>) -> Result<Sealed, AppError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = binding.associated_data();
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| AppError::Internal(anyhow::anyhow!("encryption failed")))?;
        Ok(Sealed {
            ciphertext,
            nonce: nonce.to_vec(),
        })
    }

    pub fn open(&self, ciphertext: &[u8], nonce: &[u8], binding: Binding<'_>) -> Result<Vec<u8>, AppError> {
        if nonce.len() != 24 {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a stored secret has a malformed nonce"
            )));
        }
        let aad = binding.associated_data();
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| {
                AppError::Internal(anyhow::anyhow!(
                    "a stored secret failed to decrypt (wrong key, or moved or altered)"
                ))
            })
    }

    pub fn open_string(&self, ciphertext: &[u8], nonce: &[u8], binding: Binding<'_>) -> Result<String, AppError> {
        String::from_utf8(self.open(ciphertext, nonce, binding)?)
            .map_err(|_| AppError::Internal(anyhow::anyhow!("a stored secret is not UTF-8")))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn env<'a>(app: &'a str, key: &'a str) -> Binding<'a> {
        Binding::EnvVar {
            application_id: app,
            key,
        }
    }

    #[test]
    fn sealed_values_open_only_with_their_binding_and_key() {
        let crypto = Crypto::new(&[1u8; 32]);
        let sealed = crypto.seal(b"s3cret", env("app-1", "TOKEN")).unwrap();
        assert_eq!(
            crypto
                .open(&sealed.ciphertext, &sealed.nonce, env("app-1", "TOKEN"))
                .unwrap(),
            b"s3cret"
        );
        assert!(!sealed.ciphertext.windows(6).any(|w| w == b"s3cret"));
        // Moved to another application or key.
        assert!(crypto
            .open(&sealed.ciphertext, &sealed.nonce, env("app-2", "TOKEN"))
            .is_err());
        assert!(crypto
            .open(&sealed.ciphertext, &sealed.nonce, env("app-1", "OTHER"))
            .is_err());
        // Boundaries between parts are not ambiguous.
        assert!(crypto
            .open(&sealed.ciphertext, &sealed.nonce, env("app-1T", "OKEN"))
            .is_err());
        assert!(crypto
            .open(
                &sealed.ciphertext,
                &sealed.nonce,
                Binding::DeployKey {
                    application_id: "app-1"
                }
            )
            .is_err());
        // A flipped byte.
        let mut flipped = sealed.ciphertext.clone();
        flipped[0] ^= 1;
        assert!(crypto.open(&flipped, &sealed.nonce, env("app-1", "TOKEN")).is_err());
        // Another key.
        assert!(Crypto::new(&[2u8; 32])
            .open(&sealed.ciphertext, &sealed.nonce, env("app-1", "TOKEN"))
            .is_err());
        assert!(crypto
            .open(&sealed.ciphertext, &[0u8; 12], env("app-1", "TOKEN"))
            .is_err());
    }

    #[test]
    fn nonces_never_repeat_over_many_encryptions() {
        let crypto = Crypto::new(&[3u8; 32]);
        let mut seen = HashSet::new();
        for _ in 0..100_000 {
            let sealed = crypto.seal(b"x", Binding::WebhookSecret { webhook_id: "w" }).unwrap();
            assert!(seen.insert(sealed.nonce));
        }
    }
}
