//! The two process secrets: the JWT signing secret and the master key that encrypts secrets
//! at rest. They are separate values so that leaking one never exposes the other. Taken from
//! configuration when given, otherwise generated once into the data dir (mode 0600) and
//! reused. There is no built-in fallback value: without a usable secret the process stops.

use std::{
    fs,
    io::Write,
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::Path,
};

use anyhow::{bail, Context};
use rand::RngCore;

use crate::config::Config;

pub const JWT_SECRET_FILE: &str = "jwt_secret";
pub const MASTER_KEY_FILE: &str = "master.key";
const MIN_JWT_SECRET_LEN: usize = 32;

pub struct Secrets {
    pub jwt_secret: Vec<u8>,
    pub master_key: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets { .. }")
    }
}

impl Secrets {
    pub fn load_or_create(config: &Config) -> anyhow::Result<Self> {
        Self::load(config, true)
    }

    /// The secrets a server on `config` uses, without generating missing ones (a backup of a
    /// data dir whose server never started has nothing to read them with).
    pub fn load_existing(config: &Config) -> anyhow::Result<Self> {
        Self::load(config, false)
    }

    /// The two, each as the hex text its file holds.
    pub fn to_hex(&self) -> (String, String) {
        (hex::encode(&self.jwt_secret), hex::encode(self.master_key))
    }

    fn load(config: &Config, create: bool) -> anyhow::Result<Self> {
        let read = |name: &str| {
            let path = config.data_dir.join(name);
            if create {
                load_or_generate(&path)
            } else {
                fs::read_to_string(&path)
                    .map(|text| text.trim().to_string())
                    .with_context(|| format!("while reading {}", path.display()))
            }
        };
        let jwt_secret = match &config.jwt_secret {
            Some(secret) => secret.as_bytes().to_vec(),
            None => hex::decode(read(JWT_SECRET_FILE)?).context("while decoding the stored JWT secret")?,
        };
        if jwt_secret.len() < MIN_JWT_SECRET_LEN {
            bail!("the JWT secret must be at least {MIN_JWT_SECRET_LEN} bytes long");
        }
        let master_hex = match &config.master_key {
            Some(key) => key.trim().to_string(),
            None => read(MASTER_KEY_FILE)?,
        };
        let master_key: [u8; 32] = hex::decode(&master_hex)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .context("the master key must be 32 bytes written as 64 hex characters")?;
        if jwt_secret == master_key {
            bail!("the JWT secret and the master key must be different values");
        }
        Ok(Self { jwt_secret, master_key })
    }
}

/// Reads a hex secret from `path`, or writes a fresh random one with mode 0600.
fn load_or_generate(path: &Path) -> anyhow::Result<String> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let mode = fs::metadata(path)?.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                fs::set_permissions(path, fs::Permissions::from_mode(0o600))
                    .with_context(|| format!("while restricting {}", path.display()))?;
            }
            Ok(text.trim().to_string())
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let text = hex::encode(bytes);
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .with_context(|| format!("while creating {}", path.display()))?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            Ok(text)
        }
        Err(err) => Err(err).with_context(|| format!("while reading {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_in(dir: &Path) -> Config {
        Config {
            data_dir: dir.to_path_buf(),
            ..Config::default()
        }
    }

    #[test]
    fn generated_secrets_are_distinct_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = Secrets::load_or_create(&config_in(dir.path())).unwrap();
        assert_ne!(first.jwt_secret, first.master_key.to_vec());
        for name in [JWT_SECRET_FILE, MASTER_KEY_FILE] {
            let mode = fs::metadata(dir.path().join(name)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
        let second = Secrets::load_or_create(&config_in(dir.path())).unwrap();
        assert_eq!(first.jwt_secret, second.jwt_secret);
        assert_eq!(first.master_key, second.master_key);
    }

    #[test]
    fn existing_secrets_are_read_and_missing_ones_are_not_made() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Secrets::load_existing(&config_in(dir.path())).is_err());
        assert!(!dir.path().join(MASTER_KEY_FILE).exists() && !dir.path().join(JWT_SECRET_FILE).exists());
        let made = Secrets::load_or_create(&config_in(dir.path())).unwrap();
        let read = Secrets::load_existing(&config_in(dir.path())).unwrap();
        assert_eq!(made.to_hex(), read.to_hex());
        assert_eq!(
            read.to_hex().1,
            fs::read_to_string(dir.path().join(MASTER_KEY_FILE)).unwrap()
        );
    }

    #[test]
    fn configured_values_win_and_bad_ones_stop_start_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config_in(dir.path());
        config.jwt_secret = Some("s".repeat(40));
        config.master_key = Some("ab".repeat(32));
        let secrets = Secrets::load_or_create(&config).unwrap();
        assert_eq!(secrets.jwt_secret, "s".repeat(40).into_bytes());
        assert!(!dir.path().join(JWT_SECRET_FILE).exists());

        config.jwt_secret = Some("short".into());
        assert!(Secrets::load_or_create(&config).is_err());
        config.jwt_secret = Some("s".repeat(40));
        config.master_key = Some("not hex".into());
        assert!(Secrets::load_or_create(&config).is_err());
    }
}
