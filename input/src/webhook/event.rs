//! What a verified delivery says, read from each provider's documented format: the event
//! name from its header, and for pushes the ref, the pushed head commit (`after`) and that
//! commit's author and message. Only these fields are read; the payload's repository URLs
//! are never looked at (the application's stored URL is what gets cloned).

use serde::Deserialize;

use super::Provider;

/// The longest commit message kept with a delivery; the deployment records the full one.
const MAX_MESSAGE: usize = 4096;
const MAX_AUTHOR: usize = 256;
const MAX_REF: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// GitHub's check that the webhook works.
    Ping,
    Push(Push),
    /// Anything else, by the provider's name for it.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    /// `refs/heads/<branch>` or `refs/tags/<tag>`.
    pub git_ref: String,
    /// The pushed head: 40 hex digits, lower case; all zeros when the ref was deleted.
    pub after: String,
    /// `Name <email>` of the head commit's author, when the payload names it.
    pub author: Option<String>,
    pub message: Option<String>,
}

impl Push {
    pub fn deletes_the_ref(&self) -> bool {
        self.after.bytes().all(|b| b == b'0')
    }

    pub fn branch(&self) -> Option<&str> {
        self.git_ref.strip_prefix("refs/heads/")
    }

    pub fn tag(&self) -> Option<&str> {
        self.git_ref.strip_prefix("refs/tags/")
    }
}

/// A verified delivery whose payload cannot be used; answered 400 and recorded as rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable(pub String);

/// The events that deploy, per provider (`X-GitHub-Event`, `X-Gitlab-Event`, `X-Gitea-Event`).
fn is_push(provider: Provider, event: &str) -> bool {
    match provider {
        Provider::Github | Provider::Gitea => event == "push",
        // A tag push arrives as its own event with the same payload; it is read so that it
        // can be recorded as the tag it is.
        Provider::Gitlab => event == "Push Hook" || event == "Tag Push Hook",
    }
}

/// Reads the payload of `event`. Every body must be JSON; pushes must name a ref and a
/// full commit id.
pub fn parse(provider: Provider, event: &str, content_type: Option<&str>, body: &[u8]) -> Result<Event, Unusable> {
    let json = |err: serde_json::Error| {
        let form = content_type.is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        Unusable(match err.classify() {
            _ if form => "the body is form-encoded; set the webhook's content type to application/json".into(),
            serde_json::error::Category::Data => format!("the payload is not a {} push: {err}", provider.as_str()),
            _ => "the body is not JSON".into(),
        })
    };
    if provider == Provider::Github && event == "ping" {
        serde_json::from_slice::<serde::de::IgnoredAny>(body).map_err(json)?;
        return Ok(Event::Ping);
    }
    if !is_push(provider, event) {
        serde_json::from_slice::<serde::de::IgnoredAny>(body).map_err(json)?;
        return Ok(Event::Other(event.chars().take(64).collect()));
    }
    let payload: PushPayload = serde_json::from_slice(body).map_err(json)?;
    let (Some(git_ref), Some(after)) = (payload.git_ref, payload.after) else {
        return Err(Unusable("the push payload has no `ref` or no `after`".into()));
    };
    if git_ref.is_empty() || git_ref.len() > MAX_REF || git_ref.chars().any(char::is_control) {
        return Err(Unusable("the push payload's `ref` is not a git ref".into()));
    }
    if after.len() != 40 || !after.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Unusable(
            "the push payload's `after` is not a 40-hex-digit commit id".into(),
        ));
    }
    let after = after.to_ascii_lowercase();
    // GitHub and Gitea name the head commit; GitLab lists the commits (the head among them).
    let head = payload
        .head_commit
        .filter(|c| c.id.as_deref().is_none_or(|id| id.eq_ignore_ascii_case(&after)))
        .or_else(|| {
            payload
                .commits
                .into_iter()
                .flatten()
                .find(|c| c.id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(&after)))
        });
    let (author, message) = match head {
        Some(commit) => (
            commit.author.and_then(|a| a.describe()),
            commit.message.map(|m| clip(m.trim_end(), MAX_MESSAGE)),
        ),
        None => (None, None),
    };
    Ok(Event::Push(Push {
        git_ref,
        after,
        author,
        message,
    }))
}

/// The fields of a push that Ployer reads; the same names in all three providers' formats.
#[derive(Deserialize)]
struct PushPayload {
    #[serde(rename = "ref")]
    git_ref: Option<String>,
    after: Option<String>,
    head_commit: Option<Commit>,
    commits: Option<Vec<Commit>>,
}

#[derive(Deserialize)]
struct Commit {
    id: Option<String>,
    message: Option<String>,
    author: Option<Author>,
}

#[derive(Deserialize)]
struct Author {
    name: Option<String>,
    email: Option<String>,
}

impl Author {
    fn describe(self) -> Option<String> {
        let text = match (self.name, self.email) {
            (Some(name), Some(email)) if !email.is_empty() => format!("{name} <{email}>"),
            (Some(name), _) => name,
            (None, Some(email)) => format!("<{email}>"),
            (None, None) => return None,
        };
        Some(clip(&text, MAX_AUTHOR))
    }
}

/// At most `max` bytes of `text`, cut at a character boundary.
pub fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const HEAD: &str = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    const ZEROS: &str = "0000000000000000000000000000000000000000";

    fn push(provider: Provider, event: &str, body: serde_json::Value) -> Result<Event, Unusable> {
        parse(provider, event, Some("application/json"), body.to_string().as_bytes())
    }

    #[test]
    fn a_github_push_names_its_head_commit() {
        let body = json!({
            "ref": "refs/heads/main", "before": ZEROS, "after": HEAD.to_uppercase(),
            "repository": { "clone_url": "https://evil.example/other.git" },
            "head_commit": { "id": HEAD, "message": "Fix the thing\n\nLonger text\n",
                             "author": { "name": "Ada", "email": "ada@example.com", "username": "ada" } },
            "commits": [],
        });
        let Event::Push(p) = push(Provider::Github, "push", body).unwrap() else {
            panic!("a push")
        };
        assert_eq!(p.branch(), Some("main"));
        assert_eq!(p.after, HEAD, "lower-cased");
        assert_eq!(p.author.as_deref(), Some("Ada <ada@example.com>"));
        assert_eq!(p.message.as_deref(), Some("Fix the thing\n\nLonger text"));
        assert!(!p.deletes_the_ref());
    }

    #[test]
    fn a_gitlab_push_finds_its_head_among_the_commits() {
        let body = json!({
            "object_kind": "push", "ref": "refs/heads/main", "before": ZEROS, "after": HEAD,
            "checkout_sha": HEAD,
            "commits": [
                { "id": "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327", "message": "older", "author": { "name": "Bo", "email": "bo@example.com" } },
                { "id": HEAD, "message": "newest", "author": { "name": "Cy", "email": "cy@example.com" } },
            ],
        });
        let Event::Push(p) = push(Provider::Gitlab, "Push Hook", body).unwrap() else {
            panic!("a push")
        };
        assert_eq!(
            (p.author.as_deref(), p.message.as_deref()),
            (Some("Cy <cy@example.com>"), Some("newest"))
        );
    }

    #[test]
    fn tags_and_deletions_are_pushes_that_say_so() {
        let tag = push(
            Provider::Gitlab,
            "Tag Push Hook",
            json!({ "ref": "refs/tags/v1.0", "after": HEAD }),
        )
        .unwrap();
        assert!(matches!(&tag, Event::Push(p) if p.tag() == Some("v1.0") && p.branch().is_none()));
        let deleted = push(
            Provider::Gitea,
            "push",
            json!({ "ref": "refs/heads/main", "after": ZEROS }),
        )
        .unwrap();
        assert!(matches!(&deleted, Event::Push(p) if p.deletes_the_ref()));
    }

    #[test]
    fn pings_and_other_events_are_told_apart() {
        assert_eq!(push(Provider::Github, "ping", json!({ "zen": "hi" })), Ok(Event::Ping));
        assert_eq!(
            push(Provider::Github, "issues", json!({})),
            Ok(Event::Other("issues".into()))
        );
        assert_eq!(
            push(Provider::Gitlab, "Merge Request Hook", json!({})),
            Ok(Event::Other("Merge Request Hook".into()))
        );
        // Gitea's event names are GitHub's; "Push Hook" is GitLab's only.
        assert_eq!(
            push(Provider::Gitea, "Push Hook", json!({})),
            Ok(Event::Other("Push Hook".into()))
        );
    }

    #[test]
    fn unusable_payloads_say_why() {
        let not_json = parse(
            Provider::Github,
            "push",
            Some("application/json"),
            b"ref=refs/heads/main",
        )
        .unwrap_err();
        assert_eq!(not_json.0, "the body is not JSON");
        let form = parse(
            Provider::Github,
            "push",
            Some("application/x-www-form-urlencoded"),
            b"payload=%7B%7D",
        )
        .unwrap_err();
        assert!(form.0.contains("application/json"), "{form:?}");
        assert!(push(Provider::Github, "push", json!({ "after": HEAD }))
            .unwrap_err()
            .0
            .contains("`ref`"));
        assert!(push(Provider::Github, "push", json!({ "ref": "refs/heads/main" }))
            .unwrap_err()
            .0
            .contains("`after`"));
        for after in [
            "abc123",
            &HEAD[..39],
            &format!("{}g", &HEAD[..39]),
            &format!("{HEAD}00"),
        ] {
            assert!(
                push(
                    Provider::Github,
                    "push",
                    json!({ "ref": "refs/heads/main", "after": after })
                )
                .unwrap_err()
                .0
                .contains("40-hex-digit"),
                "{after}"
            );
        }
        assert!(push(Provider::Github, "push", json!({ "ref": 7, "after": HEAD })).is_err());
        assert!(push(Provider::Github, "push", json!([1, 2])).is_err());
    }

    #[test]
    fn clip_keeps_whole_characters() {
        assert_eq!(clip("héllo", 2), "h");
        assert_eq!(clip("héllo", 3), "hé");
        assert_eq!(clip("abc", 10), "abc");
    }
}
