//! Git credentials: the user name and token (or password) an application clones a private
//! http(s) repository with. The token is sealed at rest, never returned through the API, and
//! only leaves the database for the clone step, which also redacts it from the log.
//!
//! Credentials belong to the repository's origin (scheme, host and port): when the git URL
//! moves to another origin, or away from http(s), they are removed, so that nobody can send a
//! stored token to a server of their choosing by editing the URL. Plain `http://` carries a
//! token in clear, so it is accepted only for a git server on loopback.

use crate::ids::AppId;
use chrono::Utc;
use entities::git_credentials;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::{
    crypto::{Binding, Crypto},
    error::{AppError, AppResult},
    git::HttpCredentials,
    validate::source::may_send_token,
};

const MAX_USERNAME_LEN: usize = 256;
/// Shorter values could not be redacted reliably from the log.
const MIN_TOKEN_LEN: usize = 4;
const MAX_TOKEN_LEN: usize = 4096;

pub async fn find<C: ConnectionTrait>(db: &C, app_id: &AppId) -> AppResult<Option<git_credentials::Model>> {
    Ok(git_credentials::Entity::find()
        .filter(git_credentials::Column::ApplicationId.eq(app_id))
        .one(db)
        .await?)
}

/// Creates or replaces the application's credentials. The application must clone over
/// https (or http on loopback).
pub async fn set(
    db: &DatabaseConnection,
    crypto: &Crypto,
    app_id: &AppId,
    input: HttpCredentials,
) -> AppResult<git_credentials::Model> {
    check_username(&input.username)?;
    check_token(&input.token)?;
    let txn = crate::db::begin_write(db).await?;
    let app = super::applications::find(&txn, app_id).await?;
    let Some(url) = app.git_url.as_deref() else {
        return Err(AppError::bad_input(
            "applicationId",
            "the application deploys an image, not a git repository",
        ));
    };
    let origin = check_url(url)?;
    let sealed = crypto.seal(
        input.token.as_bytes(),
        Binding::GitCredential {
            application_id: &app.id,
            origin: &origin,
        },
    )?;
    let now = Utc::now();
    let row = match find(&txn, &AppId::from(&app.id)).await? {
        Some(existing) => {
            let mut row: git_credentials::ActiveModel = existing.into();
            row.origin = Set(origin);
            row.username = Set(input.username);
            row.token_ciphertext = Set(sealed.ciphertext);
            row.token_nonce = Set(sealed.nonce);
            row.updated_at = Set(now);
            row.update(&txn).await?
        }
        None => {
            git_credentials::ActiveModel {
                id: Set(Uuid::new_v4().to_string()),
                application_id: Set(app.id.clone()),
                origin: Set(origin),
                username: Set(input.username),
                token_ciphertext: Set(sealed.ciphertext),
                token_nonce: Set(sealed.nonce),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?
        }
    };
    txn.commit().await?;
    tracing::info!(app_id = %app.id, origin = %row.origin, "git credentials set");
    Ok(row)
}

/// `clearGitCredentials`: removes the application's credentials; `false` when there were none.
pub async fn clear(db: &DatabaseConnection, app_id: &AppId) -> AppResult<bool> {
    let app = super::applications::find(db, app_id).await?;
    let removed = remove(db, &AppId::from(&app.id)).await?;
    if removed {
        tracing::info!(app_id = %app.id, "git credentials cleared");
    }
    Ok(removed)
}

/// Removes the application's credentials; `false` when there were none.
pub async fn remove<C: ConnectionTrait>(db: &C, app_id: &AppId) -> AppResult<bool> {
    let deleted = git_credentials::Entity::delete_many()
        .filter(git_credentials::Column::ApplicationId.eq(app_id))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

/// Called when an application's git URL changes: credentials stay only while the new URL has
/// the origin they were given for.
pub async fn keep_for_new_url<C: ConnectionTrait>(db: &C, app_id: &AppId, new_url: Option<&str>) -> AppResult<()> {
    let Some(row) = find(db, app_id).await? else {
        return Ok(());
    };
    if new_url.and_then(origin).as_deref() != Some(row.origin.as_str()) {
        remove(db, app_id).await?;
        tracing::info!(%app_id, "git credentials removed: the repository moved to another origin");
    }
    Ok(())
}

/// The user name and token in clear for a clone of `url`, for the clone step only: `None`
/// when the application has none, or has them for another origin (the URL the pipeline read
/// and the credentials stored since may disagree; the token goes only where it was given for).
pub async fn for_clone(
    db: &DatabaseConnection,
    crypto: &Crypto,
    app_id: &AppId,
    url: &str,
) -> AppResult<Option<HttpCredentials>> {
    let Some(row) = find(db, app_id).await? else {
        return Ok(None);
    };
    if origin(url).as_deref() != Some(row.origin.as_str()) {
        tracing::warn!(%app_id, "git credentials not used: they were given for another origin");
        return Ok(None);
    }
    let token = crypto.open_string(
        &row.token_ciphertext,
        &row.token_nonce,
        Binding::GitCredential {
            application_id: &row.application_id,
            origin: &row.origin,
        },
    )?;
    Ok(Some(HttpCredentials {
        username: row.username,
        token,
    }))
}

/// `scheme://host:port` of an http(s) URL, lower case with the default port filled in;
/// `None` for every other kind of git URL.
pub fn origin(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    Some(format!(
        "{}://{}:{}",
        parsed.scheme(),
        parsed.host_str()?.to_ascii_lowercase(),
        parsed.port_or_known_default()?
    ))
}

/// Whether the application's URL may be sent a token (https anywhere, http only to loopback);
/// its origin when it may.
pub fn check_url(url: &str) -> AppResult<String> {
    let bad = |msg: &str| AppError::bad_input("applicationId", msg);
    let Some(origin) = origin(url) else {
        return Err(bad(
            "git credentials are for http(s) repositories; SSH URLs clone with the application's deploy key",
        ));
    };
    if !may_send_token(url) {
        return Err(bad(
            "http:// would send the token unencrypted; use the repository's https:// URL",
        ));
    }
    Ok(origin)
}

fn check_username(username: &str) -> AppResult<()> {
    let ok = !username.is_empty()
        && username.chars().count() <= MAX_USERNAME_LEN
        && !username.contains(':')
        && !username.chars().any(char::is_control);
    if !ok {
        return Err(AppError::bad_input(
            "username",
            format!("must be 1-{MAX_USERNAME_LEN} characters without `:` or control characters (for a token, any name the git host accepts, e.g. `oauth2` or your user name; never the token itself)"),
        ));
    }
    Ok(())
}

fn check_token(token: &str) -> AppResult<()> {
    let ok = (MIN_TOKEN_LEN..=MAX_TOKEN_LEN).contains(&token.chars().count()) && !token.chars().any(char::is_control);
    if !ok {
        return Err(AppError::bad_input(
            "token",
            format!("must be {MIN_TOKEN_LEN}-{MAX_TOKEN_LEN} characters without control characters"),
        ));
    }
    if token.trim() != token {
        return Err(AppError::bad_input(
            "token",
            "starts or ends with spaces; paste the token alone",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            origin("https://GitHub.com/o/r.git").as_deref(),
            Some("https://github.com:443")
        );
        assert_eq!(
            origin("https://github.com:443/other/repo"),
            origin("https://github.com/o/r.git")
        );
        assert_ne!(
            origin("http://github.com/o/r.git"),
            origin("https://github.com/o/r.git")
        );
        assert_ne!(origin("https://github.com:8443/o/r"), origin("https://github.com/o/r"));
        assert_ne!(origin("https://evil.example/o/r"), origin("https://github.com/o/r"));
        assert_eq!(origin("ssh://git@github.com/o/r.git"), None);
        assert_eq!(origin("git@github.com:o/r.git"), None);
        assert_eq!(origin("file:///srv/git/r.git"), None);
    }

    #[test]
    fn tokens_go_over_https_or_to_loopback_only() {
        for ok in [
            "https://github.com/o/r.git",
            "http://127.0.0.1:3000/o/r.git",
            "http://localhost:3000/o/r.git",
            "http://[::1]:3000/o/r.git",
        ] {
            assert!(check_url(ok).is_ok_and(|origin| origin.contains("://")), "{ok}");
        }
        for bad in [
            "http://github.com/o/r.git",
            "http://10.0.0.5/o/r.git",
            "ssh://git@github.com/o/r.git",
            "git@github.com:o/r.git",
            "git://127.0.0.1/r.git",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn user_names_and_tokens_are_checked() {
        assert!(check_username("oauth2").is_ok());
        assert!(check_username("jane.doe@example.com").is_ok());
        for bad in ["", "a:b", "line\nbreak", &"u".repeat(MAX_USERNAME_LEN + 1)] {
            assert!(check_username(bad).is_err(), "{bad:?}");
        }
        assert!(check_token("ghp_0123456789abcdef").is_ok());
        assert!(check_token("pass word").is_ok());
        assert!(check_token("pässwörd").is_ok());
        for bad in [
            "",
            "abc",
            "tok\nen",
            "tok\0en",
            " ghp_0123456789",
            "ghp_0123456789 ",
            &"t".repeat(MAX_TOKEN_LEN + 1),
        ] {
            assert!(check_token(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn credentials_never_show_the_token() {
        let shown = format!(
            "{:?}",
            HttpCredentials {
                username: "oauth2".into(),
                token: "glpat-secret-value".into()
            }
        );
        assert!(
            shown.contains("oauth2") && !shown.contains("glpat-secret-value"),
            "{shown}"
        );
    }
}
