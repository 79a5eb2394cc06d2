//! Git URLs: whatever passes is never option-like, never holds whitespace or control
//! characters or a transport helper, and parses again to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ployer_input::validate::source::{may_send_token, GitUrl, LocalPaths, ReservedPorts};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let reserved = ReservedPorts(vec![3001, 2019]);
    let except = [std::path::PathBuf::from("/var/lib/ployer")];
    for local in [LocalPaths::Refused, LocalPaths::Allowed { except: &except }] {
        let Ok(url) = GitUrl::parse(raw, &reserved, &local) else {
            continue;
        };
        let text = url.as_str();
        assert!(!text.starts_with('-'), "{text:?}");
        assert!(!text.chars().any(|c| c.is_whitespace() || c.is_control()), "{text:?}");
        assert!(
            !text
                .split_once("::")
                .is_some_and(|(helper, _)| !helper.contains(['/', '['])),
            "{text:?} runs a remote helper"
        );
        if url.is_local() {
            assert!(matches!(local, LocalPaths::Allowed { .. }), "{text:?}");
            assert!(!text.contains("/../") && !text.ends_with("/.."), "{text:?}");
            assert!(!text.starts_with("file:///var/lib/ployer"), "{text:?}");
        } else {
            assert!(!url.host().is_empty() && !url.host().starts_with('-'), "{text:?}");
            assert!(!url.host().contains(['@', '/', ' ']), "{text:?}");
        }
        let again = GitUrl::parse(text, &reserved, &local).expect("a parsed URL parses again");
        assert_eq!(again, url);
    }
    if may_send_token(raw) {
        let scheme = raw.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        assert!(matches!(scheme.as_deref(), Some("https" | "http")), "{raw:?}");
    }
});
