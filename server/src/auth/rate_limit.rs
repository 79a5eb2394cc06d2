//! Login throttling per client address and per account, with `governor`'s keyed GCRA
//! limiters. Every attempt spends one cell of both buckets, so neither spraying one
//! account from many addresses nor many accounts from one address gets far.

use std::{net::IpAddr, num::NonZeroU32, sync::Arc};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

#[derive(Clone)]
pub struct LoginLimiter {
    by_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    by_account: Arc<DefaultKeyedRateLimiter<String>>,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            by_client: Arc::new(RateLimiter::keyed(quota)),
            by_account: Arc::new(RateLimiter::keyed(quota)),
        }
    }

    /// Spends one attempt; false when either bucket is empty.
    pub fn attempt(&self, client: IpAddr, account: &str) -> bool {
        let client_ok = self.by_client.check_key(&client).is_ok();
        let account_ok = self.by_account.check_key(&account.to_lowercase()).is_ok();
        client_ok && account_ok
    }

    /// Forgets keys whose buckets are full again; called periodically to bound memory.
    pub fn prune(&self) {
        self.by_client.retain_recent();
        self.by_account.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_limited_per_client_and_per_account() {
        let limiter = LoginLimiter::new(3);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.attempt(a, "x@example.com"));
        }
        assert!(!limiter.attempt(a, "x@example.com"));
        // Same account from elsewhere: the account bucket is empty.
        assert!(!limiter.attempt(b, "X@example.com"));
        // Same client, other account: the client bucket is empty.
        assert!(!limiter.attempt(a, "y@example.com"));
        // Fresh client and account.
        assert!(limiter.attempt(b, "z@example.com"));
    }
}
