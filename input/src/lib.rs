//! Every parser and validator of input that comes from outside Ployer: what users type (git
//! URLs, branches, host names, env keys and `.env` text), what providers send (webhook
//! payloads and signature headers), and the upstream files Caddy reads. It is its own crate,
//! with no database, Docker, git or HTTP dependency, so that `fuzz/` builds it in seconds.
//!
//! Nothing here touches the network; the only file system access is reading paths: the
//! local-repository check of [`validate::source`] and the host directories of
//! [`validate::mounts`] (canonicalising a path), which must stay read-only.

#![forbid(unsafe_code)]

pub mod compose;
pub mod dotenv;
pub mod upstream;
pub mod validate;
pub mod webhook;

/// Input that was refused: the field it came in and why. The server turns it into its
/// `BAD_USER_INPUT` error; the message is written for the person who typed the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

pub type InputResult<T> = Result<T, Invalid>;

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }

    /// The message prefixed with the field, unless it already starts with it.
    pub fn message(&self) -> String {
        if self.message.to_lowercase().starts_with(&self.field.to_lowercase()) {
            self.message.clone()
        } else {
            format!("{}: {}", self.field, self.message)
        }
    }
}
