//! Requests per client: a signed-in account, or the address of an anonymous client, may send
//! so many GraphQL requests per second (with a burst), so that one phished account or one
//! script cannot take the service from everyone else. The key comes from a verified access
//! token (a signature check, no database); a forged or expired token counts as anonymous.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use uuid::Uuid;

/// Who a request is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Client {
    Account(Uuid),
    /// An anonymous client by address; unparsable addresses share one key.
    Address(Option<IpAddr>),
}

/// How many requests a client may send.
#[derive(Debug, Clone, Copy)]
pub struct RequestQuota {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

/// The per-client limiter.
pub struct RequestLimits {
    limiter: Arc<DefaultKeyedRateLimiter<Client>>,
}

impl RequestLimits {
    /// A limiter with `quota`; clients idle long enough to have a full burst again are
    /// forgotten every minute, so the table stays as small as the set of active clients.
    pub fn new(quota: RequestQuota) -> Self {
        let limiter = Arc::new(RateLimiter::keyed(
            Quota::per_second(quota.per_second).allow_burst(quota.burst),
        ));
        let weak: Weak<DefaultKeyedRateLimiter<Client>> = Arc::downgrade(&limiter);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_mins(1));
            loop {
                every.tick().await;
                let Some(limiter) = weak.upgrade() else { break };
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        });
        Self { limiter }
    }

    /// `Err` with how long to wait when `client` has used up its quota.
    pub fn check(&self, client: &Client) -> Result<(), Duration> {
        self.limiter
            .check_key(client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}
