//! Caddy, configured only through its admin API.
