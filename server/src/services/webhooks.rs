//! Webhook settings per application and provider: a secret generated on enable, shown once,
//! stored encrypted; rotate and disable. Receiving deliveries lives elsewhere.

use crate::ids::AppId;
use chrono::Utc;
use entities::webhooks;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::{
    crypto::{Binding, Crypto},
    error::{AppError, AppResult},
    services::applications,
};

pub use entities::webhooks::Provider;

/// Where the provider posts, e.g. `https://ployer.example.com/webhooks/github/<id>`.
pub fn payload_url(public_url: &str, webhook: &webhooks::Model) -> String {
    format!("{public_url}/webhooks/{}/{}", webhook.provider.as_str(), webhook.id)
}

pub struct WithSecret {
    pub webhook: webhooks::Model,
    pub secret: String,
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub async fn list(db: &DatabaseConnection, app_id: &AppId) -> AppResult<Vec<webhooks::Model>> {
    Ok(webhooks::Entity::find()
        .filter(webhooks::Column::ApplicationId.eq(app_id))
        .order_by_asc(webhooks::Column::Provider)
        .all(db)
        .await?)
}

pub async fn get(db: &DatabaseConnection, id: &str) -> AppResult<webhooks::Model> {
    webhooks::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("webhook"))
}

/// Enables deliveries from `provider`, with a fresh secret. Enabling again rotates it.
pub async fn enable(
    db: &DatabaseConnection,
    crypto: &Crypto,
    app_id: &AppId,
    provider: Provider,
) -> AppResult<WithSecret> {
    applications::find(db, app_id).await?;
    let existing = webhooks::Entity::find()
        .filter(webhooks::Column::ApplicationId.eq(app_id))
        .filter(webhooks::Column::Provider.eq(provider.as_str()))
        .one(db)
        .await?;
    let secret = new_secret();
    let now = Utc::now();
    let webhook = match existing {
        Some(webhook) => {
            let sealed = crypto.seal(
                secret.as_bytes(),
                Binding::WebhookSecret {
                    webhook_id: &webhook.id,
                },
            )?;
            let mut active: webhooks::ActiveModel = webhook.into();
            active.secret_ciphertext = Set(sealed.ciphertext);
            active.secret_nonce = Set(sealed.nonce);
            active.enabled = Set(true);
            active.updated_at = Set(now);
            active.update(db).await?
        }
        None => {
            let id = Uuid::new_v4().to_string();
            let sealed = crypto.seal(secret.as_bytes(), Binding::WebhookSecret { webhook_id: &id })?;
            webhooks::ActiveModel {
                id: Set(id),
                application_id: Set(app_id.to_string()),
                provider: Set(provider),
                secret_ciphertext: Set(sealed.ciphertext),
                secret_nonce: Set(sealed.nonce),
                enabled: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?
        }
    };
    Ok(WithSecret { webhook, secret })
}

/// A new secret; the old one stops verifying at once.
pub async fn rotate(db: &DatabaseConnection, crypto: &Crypto, id: &str) -> AppResult<WithSecret> {
    let webhook = get(db, id).await?;
    let secret = new_secret();
    let sealed = crypto.seal(
        secret.as_bytes(),
        Binding::WebhookSecret {
            webhook_id: &webhook.id,
        },
    )?;
    let mut active: webhooks::ActiveModel = webhook.into();
    active.secret_ciphertext = Set(sealed.ciphertext);
    active.secret_nonce = Set(sealed.nonce);
    active.updated_at = Set(Utc::now());
    Ok(WithSecret {
        webhook: active.update(db).await?,
        secret,
    })
}

/// Stops accepting deliveries; the record (and its delivery history) stays.
pub async fn disable(db: &DatabaseConnection, id: &str) -> AppResult<webhooks::Model> {
    let webhook = get(db, id).await?;
    let mut active: webhooks::ActiveModel = webhook.into();
    active.enabled = Set(false);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// The secret in clear, for verifying deliveries only.
pub fn secret(crypto: &Crypto, webhook: &webhooks::Model) -> AppResult<String> {
    crypto.open_string(
        &webhook.secret_ciphertext,
        &webhook.secret_nonce,
        Binding::WebhookSecret {
            webhook_id: &webhook.id,
        },
    )
}
