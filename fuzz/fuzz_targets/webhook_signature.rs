//! Signature headers: a header verifies only when it is the HMAC-SHA256 of the body under
//! the secret (GitLab: only when it is the secret), and a wrong signature of the right length
//! never verifies.
#![no_main]

use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use ployer_input::webhook::verify::{gitea, github, gitlab, Refusal};
use sha2::Sha256;

// The secret, the body, a header as sent, and which bit of the right signature to flip.
fuzz_target!(|input: (&[u8], &[u8], &str, u8)| {
    let (secret, body, header, flip) = input;
    let expected = (!secret.is_empty()).then(|| {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    });
    // Whatever the header says, it verifies only if it is the right signature.
    if github(secret, body, Some(header)).is_ok() {
        let given = header.trim().strip_prefix("sha256=").expect("the prefix");
        assert!(
            expected.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(given)),
            "{header:?}"
        );
    }
    if gitea(secret, body, Some(header)).is_ok() {
        assert!(
            expected
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(header.trim())),
            "{header:?}"
        );
    }
    if gitlab(secret, Some(header)).is_ok() {
        assert!(!secret.is_empty() && header.trim().as_bytes() == secret, "{header:?}");
    }
    let Some(expected) = expected else {
        assert!(github(secret, body, Some(header)).is_err() && gitea(secret, body, Some(header)).is_err());
        return;
    };
    // The right signature verifies; one bit off, at the same length, never does.
    assert_eq!(github(secret, body, Some(&format!("sha256={expected}"))), Ok(()));
    assert_eq!(gitea(secret, body, Some(&expected)), Ok(()));
    let mut wrong = hex::decode(&expected).expect("hex");
    wrong[usize::from(flip / 8) % 32] ^= 1 << (flip % 8);
    let wrong = hex::encode(wrong);
    assert_eq!(
        github(secret, body, Some(&format!("sha256={wrong}"))),
        Err(Refusal::Mismatch)
    );
    assert_eq!(gitea(secret, body, Some(&wrong)), Err(Refusal::Mismatch));
});
