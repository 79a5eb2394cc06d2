//! The one error type of the server and its single mapping to what a client may see.
//! Services return `AppError`; resolvers turn it into a GraphQL error carrying
//! `extensions.code`. Internal causes are logged here and never sent to the client.

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

///
/// It deliberately does not implement `Display`: async-graphql converts anything that does
/// into an error without a code, and that must never happen silently. The only way into a
/// GraphQL error is the `From` below.
#[derive(Debug)]
pub enum AppError {
    Unauthenticated(String),
    Forbidden(String),
    NotFound(String),
    BadInput {
        field: Option<&'static str>,
        message: String,
    },
    Conflict(String),
    /// A conflict on one input field (a name or host name already taken).
    ConflictOn(&'static str, String),
    RateLimited(String),
    Unavailable(String),
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        Self::Internal(err)
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("{what} not found"))
    }

    /// The `extensions.code` clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) | Self::ConflictOn(..) => "CONFLICT",
            Self::RateLimited(_) => "RATE_LIMITED",
            Self::Unavailable(_) => "UNAVAILABLE",
            Self::Internal(_) => "INTERNAL",
        }
    }

    /// What the client reads. Internal errors are logged with their cause chain instead.
    pub fn message(&self) -> String {
        match self {
            Self::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                "internal error".to_string()
            }
            Self::Unauthenticated(m)
            | Self::Forbidden(m)
            | Self::NotFound(m)
            | Self::Conflict(m)
            | Self::RateLimited(m)
            | Self::Unavailable(m) => m.clone(),
            Self::ConflictOn(field, m) => format!("{field}: {m}"),
            Self::BadInput {
                field: Some(field),
                message,
            } if !message.to_lowercase().starts_with(&field.to_lowercase()) => {
                format!("{field}: {message}")
            }
            Self::BadInput { message, .. } => message.clone(),
        }
    }
}

impl From<ployer_input::Invalid> for AppError {
    fn from(err: ployer_input::Invalid) -> Self {
        Self::BadInput {
            field: Some(err.field),
            message: err.message,
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        // Constraint violations are the user's doing; they become CONFLICT here, once.
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict("a record with these values already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                AppError::Conflict("the record is still referenced by others".into())
            }
            _ => AppError::Internal(anyhow::Error::new(err).context("database error")),
        }
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        let code = err.code();
        let field = match &err {
            AppError::BadInput { field, .. } => *field,
            AppError::ConflictOn(field, _) => Some(*field),
            _ => None,
        };
        async_graphql::Error::new(err.message()).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(field) = field {
                ext.set("field", field);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_never_reach_the_client() {
        let err: async_graphql::Error = AppError::Internal(anyhow::anyhow!("disk /secret/path is full")).into();
        assert_eq!(err.message, "internal error");
        let ext = format!("{:?}", err.extensions);
        assert!(ext.contains("INTERNAL"));
        assert!(!ext.contains("secret"));
    }

    #[test]
    fn bad_input_names_the_field() {
        let err: async_graphql::Error = AppError::bad_input("email", "not an email").into();
        let ext = format!("{:?}", err.extensions);
        assert!(ext.contains("BAD_USER_INPUT") && ext.contains("email"));
    }
}
