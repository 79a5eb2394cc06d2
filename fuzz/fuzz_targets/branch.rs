//! Branches: whatever passes is not option-like, holds no `..`, `@{`, whitespace or control
//! characters, and parses again to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ployer_input::validate::source::Branch;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let Ok(branch) = Branch::parse(raw) else { return };
    let name = branch.as_str();
    assert!(
        !name.starts_with('-') && !name.starts_with('/') && !name.ends_with('/'),
        "{name:?}"
    );
    assert!(
        !name.contains("..") && !name.contains("@{") && !name.contains("//"),
        "{name:?}"
    );
    assert!(!name.chars().any(|c| c.is_whitespace() || c.is_control()), "{name:?}");
    assert!(
        name.split('/')
            .all(|part| !part.starts_with('.') && !part.ends_with(".lock")),
        "{name:?}"
    );
    assert_eq!(Branch::parse(name).expect("parses again"), branch);
});
