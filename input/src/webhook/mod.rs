//! What webhook deliveries carry: their signatures ([`verify`]) and their payloads ([`event`]).

pub mod event;
pub mod verify;

/// The git hosts whose webhooks Ployer reads, each with its own headers and event names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Github,
    Gitlab,
    Gitea,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Github => "github",
            Provider::Gitlab => "gitlab",
            Provider::Gitea => "gitea",
        }
    }
}
