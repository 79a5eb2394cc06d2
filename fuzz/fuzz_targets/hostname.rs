//! Host names that route traffic: a name that passes is plain lower-case ASCII labels (a
//! leading `*.` at most) and is its own normalisation: parsing it again gives it back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ployer_input::validate::domain::{is_local_name, Hostname};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let _ = is_local_name(raw);
    let Ok(host) = Hostname::parse(raw) else { return };
    let name = host.as_str();
    assert!(!name.is_empty() && name.len() <= 253, "{name:?}");
    let rest = name.strip_prefix("*.").unwrap_or(name);
    assert_eq!(host.is_wildcard(), rest.len() != name.len());
    assert!(
        rest.split('.').all(|label| !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')),
        "{name:?}"
    );
    assert_eq!(Hostname::parse(name).expect("a normalised name parses again"), host);
    let _ = is_local_name(name);
});
