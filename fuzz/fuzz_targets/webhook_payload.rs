//! Webhook payloads (after the signature checked out): a push that is read names a bounded,
//! control-free ref and a 40-hex-digit lower-case commit; everything kept is bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ployer_input::webhook::{
    event::{parse, Event},
    Provider,
};

// The first byte picks the provider and the event; the rest is the body. Seeds are a byte
// then a JSON body.
fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let provider = [Provider::Github, Provider::Gitlab, Provider::Gitea][usize::from(pick % 3)];
    let event = ["push", "Push Hook", "Tag Push Hook", "ping", "issues"][usize::from(pick / 3 % 5)];
    let content_type = (pick & 0x80 != 0).then_some("application/x-www-form-urlencoded");
    match parse(provider, event, content_type, body) {
        Ok(Event::Push(push)) => {
            assert!(!push.git_ref.is_empty() && push.git_ref.len() <= 256, "{push:?}");
            assert!(!push.git_ref.chars().any(char::is_control), "{push:?}");
            assert!(push.after.len() == 40, "{push:?}");
            assert!(
                push.after
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                "{push:?}"
            );
            assert!(push.message.as_ref().is_none_or(|m| m.len() <= 4096), "{push:?}");
            assert!(push.author.as_ref().is_none_or(|a| a.len() <= 256), "{push:?}");
            let _ = (push.branch(), push.tag(), push.deletes_the_ref());
        }
        Ok(Event::Other(name)) => assert!(name.chars().count() <= 64),
        Ok(Event::Ping) => assert_eq!((provider, event), (Provider::Github, "ping")),
        Err(unusable) => assert!(!unusable.0.is_empty()),
    }
});
