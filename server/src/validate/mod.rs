//! Validated values taken from users. Once one of these exists it is valid; every input
//! path goes through them, on create and on update alike. They live in the `ployer-input`
//! crate (fuzzed on its own, see `fuzz/`); a refusal becomes `BAD_USER_INPUT` through
//! `AppError`'s `From<Invalid>`.

pub use ployer_input::validate::*;

#[cfg(test)]
mod tests {
    use super::source::Branch;

    /// The branch rule is git's, written out in `ployer-input`; libgit2 is the reference it
    /// must agree with, except that Ployer also refuses control characters (libgit2 lets DEL
    /// and C1 controls through) and Unicode whitespace, and libgit2 cannot take NUL at all.
    #[test]
    fn branch_names_agree_with_libgit2() {
        const ALPHABET: [char; 24] = [
            'a', 'B', '_', '-', '.', '/', '@', '{', '}', '*', '~', '^', ':', '?', '[', '\\', ' ', '\t', 'é', 'l', 'k',
            '\u{7f}', '\u{9b}', '\u{a0}',
        ];
        // A small linear congruential generator: the same inputs on every run.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut names: Vec<String> = ["a.lock", "a/b.lock/c", "@", "a@b", "a/@", "x.", "HEAD", "a.b"]
            .map(String::from)
            .to_vec();
        for _ in 0..20_000 {
            let len = next() % 7;
            names.push((0..len).map(|_| ALPHABET[next() % ALPHABET.len()]).collect());
        }
        for name in names {
            let ours = Branch::parse(&name).is_ok();
            let libgit2 = !name.is_empty()
                && !name.starts_with('-')
                && git2::Reference::is_valid_name(&format!("refs/heads/{name}"));
            let expected = libgit2 && !name.chars().any(|c| c.is_control() || c.is_whitespace());
            assert_eq!(ours, expected, "{name:?}: ours {ours}, libgit2 {libgit2}");
        }
    }
}
