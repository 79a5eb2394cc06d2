//! The other named things users type: servers' hosts, slugs, email addresses, Docker
//! references and label filters, repository paths, image references, and where an
//! application mounts data (container paths, volume names). Each that passes
//! holds only its own characters and parses again to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ployer_input::validate::{
    docker::{label_filter, DockerRef},
    mounts::{ContainerPath, VolumeName},
    source::{ImageRef, RepoPath},
    text, Email, Host, Slug,
};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let no_space = |s: &str| !s.chars().any(|c| c.is_whitespace() || c.is_control());
    if let Ok(host) = Host::parse("host", raw) {
        assert!(no_space(host.as_str()) && !host.as_str().starts_with('-'), "{host:?}");
        assert_eq!(Host::parse("host", host.as_str()).expect("parses again"), host);
    }
    if let Ok(slug) = Slug::parse("name", raw) {
        assert!(
            !slug.as_str().contains(['/', '.']) && no_space(slug.as_str()),
            "{slug:?}"
        );
    }
    if let Ok(email) = Email::parse(raw) {
        assert_eq!(email.as_str(), email.as_str().to_lowercase());
        assert_eq!(Email::parse(email.as_str()).expect("parses again"), email);
    }
    if let Ok(reference) = DockerRef::parse("id", raw) {
        let r = reference.as_str();
        assert!(
            !r.contains('/') && r != ".." && !r.starts_with(['.', '-']) && no_space(r),
            "{r:?}"
        );
    }
    if let Ok(filter) = label_filter("label", raw) {
        assert!(no_space(&filter) && !filter.contains(['"', '$', '\'']), "{filter:?}");
    }
    if let Ok(path) = RepoPath::parse("dockerfilePath", raw) {
        let p = path.as_str();
        assert!(
            !p.starts_with('/') && !p.split('/').any(|part| part == ".." || part.starts_with('-')),
            "{p:?}"
        );
        assert_eq!(RepoPath::parse("dockerfilePath", p).expect("parses again"), path);
    }
    if let Ok(image) = ImageRef::parse(raw) {
        assert!(
            !image.as_str().starts_with('-') && no_space(image.as_str()),
            "{image:?}"
        );
    }
    if let Ok(path) = ContainerPath::parse("containerPath", raw) {
        let p = path.as_str();
        assert!(
            p.starts_with('/') && p != "/" && !p.split('/').any(|part| part == ".." || part == ".") && !p.contains("//"),
            "{p:?}"
        );
        assert!(!p.chars().any(char::is_control), "{p:?}");
        assert!(!["/proc", "/sys", "/dev"].iter().any(|d| p == *d || p.starts_with(&format!("{d}/"))), "{p:?}");
        assert_eq!(ContainerPath::parse("containerPath", p).expect("parses again"), path);
    }
    if let Ok(name) = VolumeName::parse("volume", raw) {
        let engine = name.engine_name("app");
        assert!(
            engine.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')),
            "{engine:?}"
        );
    }
    if let Ok(t) = text("name", raw, 100) {
        assert!(!t.is_empty() && t.chars().count() <= 100 && !t.chars().any(char::is_control));
    }
});
