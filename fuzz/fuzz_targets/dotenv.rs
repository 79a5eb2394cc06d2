//! `.env` import: all or nothing, and never a key the key rule refuses, a value the value
//! rule refuses, or the same key twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ployer_input::{
    dotenv,
    validate::env::{value, EnvKey},
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match dotenv::parse(text) {
        Ok(vars) => {
            for (i, (key, v)) in vars.iter().enumerate() {
                assert_eq!(&EnvKey::parse(key.as_str()).expect("an imported key is valid"), key);
                assert!(value(v).is_ok(), "{v:?}");
                assert!(!vars[..i].iter().any(|(k, _)| k == key), "{key:?} twice");
            }
        }
        Err(err) => assert!(err.message().contains("line "), "{:?}", err.message()),
    }
});
