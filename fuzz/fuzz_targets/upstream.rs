//! Caddy upstream files: what Ployer renders parses back to the same address, and any text
//! that parses is an address that renders and parses back to itself.
#![no_main]

use std::net::{SocketAddr, SocketAddrV6};

use libfuzzer_sys::fuzz_target;
use ployer_input::upstream::{parse, render};

fuzz_target!(|input: (SocketAddr, &str)| {
    let (addr, text) = input;
    // An IPv6 flow label is not part of an address's text; Ployer's addresses come from text
    // (Docker's published ports), so they never carry one.
    let addr = match addr {
        SocketAddr::V6(v6) => SocketAddr::V6(SocketAddrV6::new(*v6.ip(), v6.port(), 0, v6.scope_id())),
        v4 => v4,
    };
    assert_eq!(parse(&render(addr)), Some(addr), "{:?}", render(addr));
    if let Some(read) = parse(text) {
        assert_eq!(parse(&render(read)), Some(read), "{text:?}");
    }
});
