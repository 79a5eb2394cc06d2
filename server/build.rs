//! Release builds of `ployer` lay out first, side by side, the functions that run at start-up
//! and at rest, as `link-order.txt` lists them (made by `scripts/link-order.sh` from a run
//! under callgrind). The kernel maps a binary's code in 64 KiB windows around each page
//! touched, so code that runs is spread over most of the 12 MB of text unless it is grouped:
//! grouped, the idle server maps a fraction of it. Names the file lists that a build no
//! longer has are skipped; a stale file costs memory, never correctness.
//!
//! Only lld takes the file: the one rustup's toolchains ship and link x86_64 Linux binaries
//! with since 1.90. Other targets, older toolchains, a compiler without its own lld (as
//! distributions package it), a linker chosen in RUSTFLAGS or in
//! `CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER`, and `PLOYER_LINK_ORDER=0` build without it.
//!
//! It also tells Cargo when the web UI that release builds embed (`web/build`, see
//! `src/http/ui.rs`) changed: Cargo knows nothing of that folder, so building the UI and then
//! Ployer would otherwise keep the old binary, with whatever UI it had, or none.

use std::{env, process::Command};

fn main() {
    println!("cargo:rerun-if-changed=link-order.txt");
    println!("cargo:rerun-if-env-changed=PLOYER_LINK_ORDER");
    let release = env::var("PROFILE").is_ok_and(|p| p == "release");
    watch_embedded_ui();
    let wanted = env::var("PLOYER_LINK_ORDER").map_or(true, |v| v != "0");
    let target = env::var("TARGET").unwrap_or_default();
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER");
    let own_linker = env::var("CARGO_ENCODED_RUSTFLAGS").is_ok_and(|f| f.contains("linker") || f.contains("fuse-ld"))
        || env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some();
    if !(release && wanted && target == "x86_64-unknown-linux-gnu" && !own_linker && lld_is_the_default()) {
        return;
    }
    let Ok(dir) = env::var("CARGO_MANIFEST_DIR") else {
        return;
    };
    let file = std::path::Path::new(&dir).join("link-order.txt");
    if !file.is_file() {
        return;
    }
    println!(
        "cargo:rustc-link-arg-bin=ployer=-Wl,--symbol-ordering-file={}",
        file.display()
    );
    if env::var("PLOYER_LINK_ORDER").is_ok_and(|v| v == "warn") {
        println!("cargo:rustc-link-arg-bin=ployer=-Wl,--warn-symbol-ordering");
    } else {
        println!("cargo:rustc-link-arg-bin=ployer=-Wl,--no-warn-symbol-ordering");
    }
}

/// rustc 1.90 and later link x86_64 Linux binaries with the lld they ship, when they ship one.
fn lld_is_the_default() -> bool {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(sysroot) = Command::new(&rustc).args(["--print", "sysroot"]).output() else {
        return false;
    };
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    let lld = std::path::Path::new(&sysroot).join("lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld/ld.lld");
    if !lld.exists() {
        return false;
    }
    let Ok(output) = Command::new(&rustc).arg("--version").output() else {
        return false;
    };
    let version = String::from_utf8_lossy(&output.stdout);
    let minor = version
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    minor.is_some_and(|m| m >= 90)
}

/// Builds that embed the UI (those without debug assertions; the others read `web/build` at
/// run time) are redone when it changes. Cargo scans a watched directory recursively; until
/// the UI is built, the folder it will appear in is watched instead, since a path that does
/// not exist would redo the build every time.
fn watch_embedded_ui() {
    if env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_some() {
        return;
    }
    let build = std::path::Path::new("../web/build");
    let watched = if build.exists() {
        build
    } else {
        std::path::Path::new("../web")
    };
    println!("cargo:rerun-if-changed={}", watched.display());
}
