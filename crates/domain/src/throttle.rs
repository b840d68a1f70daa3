//! How long a sign-in must wait after repeated failures.

use std::time::Duration;

/// Growing back-off: the first `free_failures` failures cost nothing; each one after doubles
/// the wait, from `base` up to `max`. Failures older than `forget_after` are forgotten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    pub free_failures: u32,
    pub base: Duration,
    pub max: Duration,
    pub forget_after: Duration,
}

impl Backoff {
    /// Per account: after 5 failures, 30 s, then 1 min, 2 min, … up to 15 min.
    pub fn per_account(base: Duration) -> Self {
        Self {
            free_failures: 4,
            base,
            max: Duration::from_mins(15),
            forget_after: Duration::from_hours(1),
        }
    }

    /// Per client address: an office may share one address, so allow more before waiting.
    pub fn per_address(base: Duration) -> Self {
        Self {
            free_failures: 19,
            ..Self::per_account(base)
        }
    }

    /// The wait after the `failures`-th consecutive failure, if any.
    pub fn wait_after(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.free_failures + 1)?;
        let factor = 2u32.checked_pow(over.min(20)).unwrap_or(u32::MAX);
        Some(self.base.saturating_mul(factor).min(self.max))
    }

    /// Every wait, by failure count, from the first failure that waits to the first that
    /// waits the maximum; every later failure waits the maximum too.
    pub fn schedule(&self) -> Vec<(u32, Duration)> {
        let mut steps = Vec::new();
        let mut n = self.free_failures + 1;
        while let Some(wait) = self.wait_after(n) {
            steps.push((n, wait));
            if wait >= self.max || steps.len() > 32 {
                break;
            }
            n += 1;
        }
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks_and_the_wait_grows_to_a_cap() {
        let b = Backoff::per_account(Duration::from_secs(30));
        for n in 0..5 {
            assert_eq!(b.wait_after(n), None, "{n}");
        }
        assert_eq!(b.wait_after(5), Some(Duration::from_secs(30)));
        assert_eq!(b.wait_after(6), Some(Duration::from_mins(1)));
        assert_eq!(b.wait_after(7), Some(Duration::from_mins(2)));
        assert_eq!(b.wait_after(100), Some(Duration::from_mins(15)));
    }

    #[test]
    fn the_schedule_lists_each_wait_up_to_the_cap() {
        let b = Backoff::per_account(Duration::from_secs(30));
        let schedule = b.schedule();
        assert_eq!(schedule.first(), Some(&(5, Duration::from_secs(30))));
        assert_eq!(schedule.last(), Some(&(10, Duration::from_mins(15))));
        for (n, wait) in schedule {
            assert_eq!(b.wait_after(n), Some(wait));
        }
        let zero = Backoff::per_account(Duration::ZERO);
        assert!(zero.schedule().len() <= 33, "a zero base still ends");
    }

    #[test]
    fn addresses_get_more_room() {
        let b = Backoff::per_address(Duration::from_secs(30));
        assert_eq!(b.wait_after(19), None);
        assert_eq!(b.wait_after(20), Some(Duration::from_secs(30)));
    }
}
