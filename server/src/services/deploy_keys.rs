//! Deploy keys: an ed25519 key pair per application with an SSH git URL. The public half is
//! for the user to add to their git host; the private half is encrypted at rest and only
//! ever leaves the database to clone, never through the API.

use crate::ids::AppId;
use chrono::Utc;
use entities::deploy_keys;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use ssh_key::{rand_core::OsRng, Algorithm, HashAlg, LineEnding, PrivateKey};
use uuid::Uuid;

use crate::{
    crypto::{Binding, Crypto},
    error::{AppError, AppResult},
};

pub async fn find<C: ConnectionTrait>(db: &C, app_id: &AppId) -> AppResult<Option<deploy_keys::Model>> {
    Ok(deploy_keys::Entity::find()
        .filter(deploy_keys::Column::ApplicationId.eq(app_id))
        .one(db)
        .await?)
}

/// Creates (or replaces) the application's key pair.
pub async fn generate<C: ConnectionTrait>(db: &C, crypto: &Crypto, app_id: &AppId) -> AppResult<deploy_keys::Model> {
    let private = PrivateKey::random(&mut OsRng, Algorithm::Ed25519)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("key generation failed: {e}")))?;
    let public = private.public_key().clone();
    let comment = format!("ployer-deploy-key-{}", &app_id[..app_id.len().min(8)]);
    let public_text = {
        let mut public = public.clone();
        public.set_comment(comment);
        public
            .to_openssh()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot encode a public key: {e}")))?
    };
    let private_text = private
        .to_openssh(LineEnding::LF)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot encode a private key: {e}")))?;
    let sealed = crypto.seal(private_text.as_bytes(), Binding::DeployKey { application_id: app_id })?;
    deploy_keys::Entity::delete_many()
        .filter(deploy_keys::Column::ApplicationId.eq(app_id))
        .exec(db)
        .await?;
    let key = deploy_keys::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        application_id: Set(app_id.to_string()),
        public_key: Set(public_text),
        fingerprint: Set(public.fingerprint(HashAlg::Sha256).to_string()),
        private_key_ciphertext: Set(sealed.ciphertext),
        private_key_nonce: Set(sealed.nonce),
        known_host_key: Set(None),
        created_at: Set(Utc::now()),
    };
    Ok(key.insert(db).await?)
}

pub async fn remove<C: ConnectionTrait>(db: &C, app_id: &AppId) -> AppResult<()> {
    deploy_keys::Entity::delete_many()
        .filter(deploy_keys::Column::ApplicationId.eq(app_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The private key in OpenSSH format, for the clone step only.
pub fn private_key(crypto: &Crypto, key: &deploy_keys::Model) -> AppResult<String> {
    crypto.open_string(
        &key.private_key_ciphertext,
        &key.private_key_nonce,
        Binding::DeployKey {
            application_id: &key.application_id,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_ed25519_in_openssh_format() {
        let private = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
        let public = private.public_key().to_openssh().unwrap();
        assert!(public.starts_with("ssh-ed25519 "));
        assert!(private
            .public_key()
            .fingerprint(HashAlg::Sha256)
            .to_string()
            .starts_with("SHA256:"));
        let text = private.to_openssh(LineEnding::LF).unwrap();
        assert!(text.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
        assert_eq!(
            PrivateKey::from_openssh(text.as_bytes()).unwrap().public_key(),
            private.public_key()
        );
    }
}
