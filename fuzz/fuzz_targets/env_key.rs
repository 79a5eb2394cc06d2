//! Environment variable keys and values: a key that passes is `[A-Za-z_][A-Za-z0-9_]*`, a
//! value that passes is kept byte for byte and holds no NUL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ployer_input::validate::env::{value, EnvKey, MAX_KEY_LEN, MAX_VALUE_BYTES};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    if let Ok(key) = EnvKey::parse(raw) {
        let k = key.as_str();
        assert!(
            !k.is_empty() && k.len() <= MAX_KEY_LEN && !k.as_bytes()[0].is_ascii_digit(),
            "{k:?}"
        );
        assert!(k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'), "{k:?}");
    }
    if let Ok(v) = value(raw) {
        assert_eq!(v, raw);
        assert!(!v.contains('\0') && v.len() <= MAX_VALUE_BYTES);
    }
});
