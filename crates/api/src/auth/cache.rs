//! The sessions a server has checked, so that a request with a valid access token does not
//! read its account again.
//!
//! Every change that can end or alter a session is announced by the store inside its
//! transaction (`store::notify`) and reaches every server process when it commits. The cache
//! is trusted only while this process listens for those announcements (PostgreSQL); a lost
//! listening connection empties it and turns it off until listening resumes, and on SQLite it
//! is never on. A read of the account that raced an announcement is not kept: each entry is
//! stored only if no announcement arrived since its read began (an epoch counter).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use prometheus::{IntCounter, IntCounterVec, Opts, Registry};
use store::notify::Change;
use tokio::sync::Notify;
use uuid::Uuid;

use super::Session;

/// The most sessions kept. An entry is a few hundred bytes; tokens need the server's secret,
/// so only real sessions take room.
const CAPACITY: usize = 10_000;

/// How long a mutation that ended or changed sessions waits for its announcement to come
/// back (and for the other servers to confirm it) before it answers anyway.
const ECHO_WAIT: Duration = Duration::from_secs(1);

struct Entry {
    session: Session,
    /// When the access token that brought it in expires (seconds since the Unix epoch): a
    /// later token of the same session reads the account again.
    expires_at: i64,
}

/// What came back of a marker this process sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Heard {
    /// The marker itself came back through this process's listener.
    pub echoed: bool,
    /// How many other processes confirmed it ([`Change::Ack`]).
    pub acks: u64,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<(Uuid, Uuid), Entry>,
    /// Markers this process sent and is waiting for, with what came back of each.
    awaited: HashMap<String, Heard>,
}

/// Lookups by outcome: `hit`, `miss` (read from the database), `off` (not listening).
struct Lookups {
    all: IntCounterVec,
    hit: IntCounter,
    miss: IntCounter,
    off: IntCounter,
}

impl Default for Lookups {
    fn default() -> Self {
        let all = IntCounterVec::new(
            Opts::new(
                "session_cache_lookups_total",
                "Sessions looked up in the session cache, by outcome",
            ),
            &["outcome"],
        )
        .expect("a valid metric");
        Self {
            hit: all.with_label_values(&["hit"]),
            miss: all.with_label_values(&["miss"]),
            off: all.with_label_values(&["off"]),
            all,
        }
    }
}

/// See the module documentation.
#[derive(Default)]
pub struct SessionCache {
    inner: Mutex<Inner>,
    epoch: AtomicU64,
    trusted: AtomicBool,
    marked: Notify,
    lookups: Lookups,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCache")
            .field("trusted", &self.trusted.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl SessionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers the lookup counters in `registry` (for `/metrics`).
    pub fn register(&self, registry: &Registry) -> prometheus::Result<()> {
        registry.register(Box::new(self.lookups.all.clone()))
    }

    /// Whether the cache is on: this process listens for session changes.
    pub fn is_trusted(&self) -> bool {
        self.trusted.load(Ordering::Acquire)
    }

    /// Turns the cache on (listening began) or off (listening stopped); empty either way,
    /// since announcements may have been missed in between.
    pub fn set_trusted(&self, trusted: bool) {
        let mut inner = self.lock();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        inner.entries.clear();
        self.trusted.store(trusted, Ordering::Release);
    }

    /// The session of `(account, session)` for a token of token version `version`, if kept
    /// and not past the token that brought it in (`now`: seconds since the Unix epoch).
    pub fn get(&self, account: Uuid, session: Uuid, version: i32, now: i64) -> Option<Session> {
        if !self.is_trusted() {
            self.lookups.off.inc();
            return None;
        }
        let found = self
            .lock()
            .entries
            .get(&(account, session))
            .filter(|e| e.expires_at > now && e.session.account.token_version == version)
            .map(|e| e.session.clone());
        match found {
            Some(_) => self.lookups.hit.inc(),
            None => self.lookups.miss.inc(),
        }
        found
    }

    /// Where a read of an account begins: pass it to [`Self::put`].
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps a session read since `epoch`, unless an announcement came in meanwhile or the
    /// cache is off. When full, the entries past their token go first, then all of them:
    /// crude, but the bound holds and only real sessions (signed tokens) fill it.
    pub fn put(&self, epoch: u64, session_id: Uuid, session: Session, expires_at: i64, now: i64) {
        let mut inner = self.lock();
        if !self.is_trusted() || self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if inner.entries.len() >= CAPACITY {
            inner.entries.retain(|_, e| e.expires_at > now);
            if inner.entries.len() >= CAPACITY {
                inner.entries.clear();
            }
        }
        let key = (session.account.id, session_id);
        inner.entries.insert(
            key,
            Entry {
                session,
                expires_at,
            },
        );
    }

    /// Applies an announcement (or this process's own change, before it answers). Answers
    /// what to send back: [`Change::Ack`] for another process's [`Change::Sync`], now that
    /// everything announced before it has been applied here.
    #[must_use]
    pub fn apply(&self, change: &Change) -> Option<Change> {
        let mut inner = self.lock();
        match change {
            Change::Account(id) => {
                self.epoch.fetch_add(1, Ordering::AcqRel);
                inner.entries.retain(|(account, _), _| account != id);
            }
            Change::Everything => {
                self.epoch.fetch_add(1, Ordering::AcqRel);
                inner.entries.clear();
            }
            Change::Mark(nonce) | Change::Sync(nonce) => {
                let Some(heard) = inner.awaited.get_mut(nonce) else {
                    // Another process's: a sync asks for an answer, a mark does not.
                    return matches!(change, Change::Sync(_)).then(|| Change::Ack(nonce.clone()));
                };
                heard.echoed = true;
                drop(inner);
                self.marked.notify_waiters();
            }
            Change::Ack(nonce) => {
                if let Some(heard) = inner.awaited.get_mut(nonce) {
                    heard.acks += 1;
                    drop(inner);
                    self.marked.notify_waiters();
                }
            }
        }
        None
    }

    /// Begins waiting for the marker `nonce`, which the caller sends next (see
    /// `store::notify::mark` and `store::notify::sync`).
    pub fn awaiting(&self, nonce: &str) -> Awaiting<'_> {
        self.lock()
            .awaited
            .insert(nonce.to_owned(), Heard::default());
        Awaiting {
            cache: self,
            nonce: nonce.to_owned(),
        }
    }

    fn heard(&self, nonce: &str) -> Heard {
        self.lock().awaited.get(nonce).copied().unwrap_or_default()
    }
}

/// A marker this process sent and waits for; forgotten when dropped.
pub struct Awaiting<'a> {
    cache: &'a SessionCache,
    nonce: String,
}

impl Awaiting<'_> {
    /// Waits until the marker has come back and `acks` other processes have confirmed it, at
    /// most [`ECHO_WAIT`]; answers what came back by then.
    pub async fn heard(self, acks: u64) -> Heard {
        let done = |heard: Heard| heard.echoed && heard.acks >= acks;
        let wait = async {
            loop {
                let notified = self.cache.marked.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if done(self.cache.heard(&self.nonce)) {
                    return;
                }
                notified.await;
            }
        };
        let _ = tokio::time::timeout(ECHO_WAIT, wait).await;
        self.cache.heard(&self.nonce)
    }
}

impl Drop for Awaiting<'_> {
    fn drop(&mut self) {
        self.cache.lock().awaited.remove(&self.nonce);
    }
}

#[cfg(test)]
mod tests {
    use domain::unit::UnitPath;
    use domain::{Account, Role, Unit, UnitCode, UnitKind, UnitLevel, Username};

    use super::*;

    fn session(version: i32) -> Session {
        let code = UnitCode::parse("49").expect("code");
        let unit = Unit {
            id: Uuid::now_v7(),
            path: UnitPath::root(&code),
            code,
            name: "Quảng Nam".to_owned(),
            kind: UnitKind::parse_at("Tỉnh", UnitLevel::Province).expect("kind"),
            level: UnitLevel::Province,
            parent_id: None,
        };
        let account = Account {
            id: Uuid::now_v7(),
            username: Username::parse("tinh.quangnam").expect("username"),
            display_name: "Quảng Nam".to_owned(),
            unit_id: unit.id,
            role: Role::Admin,
            active: true,
            must_change_password: false,
            token_version: version,
            created_at: chrono::Utc::now(),
            last_login_at: None,
            disabled_by: None,
        };
        Session { account, unit }
    }

    #[test]
    fn a_read_that_raced_an_announcement_is_not_kept() {
        let cache = SessionCache::default();
        cache.set_trusted(true);
        let s = session(1);
        let (account, sid) = (s.account.id, Uuid::now_v7());
        let before = cache.epoch();
        // The account is disabled and announced while the read is on its way.
        assert!(cache.apply(&Change::Account(account)).is_none());
        cache.put(before, sid, s.clone(), i64::MAX, 0);
        assert!(cache.get(account, sid, 1, 0).is_none(), "stale read kept");
        // A read that began after the announcement is kept, for its token version only.
        cache.put(cache.epoch(), sid, s, i64::MAX, 0);
        assert!(cache.get(account, sid, 1, 0).is_some());
        assert!(
            cache.get(account, sid, 2, 0).is_none(),
            "another token version"
        );
        let _ = cache.apply(&Change::Account(account));
        assert!(cache.get(account, sid, 1, 0).is_none(), "announced: gone");
    }

    #[test]
    fn a_read_that_raced_a_flush_or_another_account_is_not_kept_either() {
        let cache = SessionCache::default();
        cache.set_trusted(true);
        let s = session(1);
        let (account, sid) = (s.account.id, Uuid::now_v7());
        let before = cache.epoch();
        let _ = cache.apply(&Change::Everything);
        cache.put(before, sid, s.clone(), i64::MAX, 0);
        assert!(cache.get(account, sid, 1, 0).is_none(), "raced a flush");
        // The counter is not per account: conservative, never wrong.
        let before = cache.epoch();
        let _ = cache.apply(&Change::Account(Uuid::now_v7()));
        cache.put(before, sid, s.clone(), i64::MAX, 0);
        assert!(
            cache.get(account, sid, 1, 0).is_none(),
            "raced another account"
        );
        // Markers change no account: a read racing them is kept.
        let before = cache.epoch();
        let _ = cache.apply(&Change::Sync("other".into()));
        let _ = cache.apply(&Change::Mark("other".into()));
        cache.put(before, sid, s, i64::MAX, 0);
        assert!(cache.get(account, sid, 1, 0).is_some());
    }

    #[test]
    fn an_entry_lives_no_longer_than_the_token_that_brought_it_in() {
        let cache = SessionCache::default();
        cache.set_trusted(true);
        let s = session(1);
        let (account, sid) = (s.account.id, Uuid::now_v7());
        cache.put(cache.epoch(), sid, s, 100, 0);
        assert!(cache.get(account, sid, 1, 99).is_some());
        assert!(cache.get(account, sid, 1, 100).is_none(), "expired");
    }

    #[test]
    fn the_cache_stays_within_its_bound() {
        let cache = SessionCache::default();
        cache.set_trusted(true);
        let s = session(1);
        for _ in 0..=CAPACITY {
            cache.put(cache.epoch(), Uuid::now_v7(), s.clone(), i64::MAX, 0);
        }
        assert!(cache.lock().entries.len() <= CAPACITY);
    }

    #[test]
    fn nothing_is_kept_or_served_while_not_listening() {
        let cache = SessionCache::default();
        let s = session(1);
        let (account, sid) = (s.account.id, Uuid::now_v7());
        cache.put(cache.epoch(), sid, s.clone(), i64::MAX, 0);
        assert!(cache.get(account, sid, 1, 0).is_none(), "off by default");
        cache.set_trusted(true);
        cache.put(cache.epoch(), sid, s, i64::MAX, 0);
        assert!(cache.get(account, sid, 1, 0).is_some());
        cache.set_trusted(false);
        assert!(
            cache.get(account, sid, 1, 0).is_none(),
            "listening stopped: emptied and off"
        );
        cache.set_trusted(true);
        assert!(
            cache.get(account, sid, 1, 0).is_none(),
            "still empty when on again"
        );
    }

    #[tokio::test]
    async fn a_marker_is_awaited_until_it_comes_back() {
        let cache = std::sync::Arc::new(SessionCache::default());
        let waiter = tokio::spawn({
            let cache = cache.clone();
            async move { cache.awaiting("n1").heard(0).await }
        });
        // Until the waiter has registered, the marker is another process's.
        while cache.lock().awaited.is_empty() {
            tokio::task::yield_now().await;
        }
        assert!(cache.apply(&Change::Mark("n1".to_owned())).is_none());
        assert!(waiter.await.expect("joined").echoed);
        assert!(cache.lock().awaited.is_empty(), "forgotten once heard");
        assert!(!cache.awaiting("never").heard(0).await.echoed, "gives up");
    }

    #[tokio::test]
    async fn a_sync_waits_for_every_other_server_and_is_answered_by_them() {
        let cache = std::sync::Arc::new(SessionCache::default());
        let waiter = tokio::spawn({
            let cache = cache.clone();
            async move { cache.awaiting("n2").heard(2).await }
        });
        while cache.lock().awaited.is_empty() {
            tokio::task::yield_now().await;
        }
        assert!(
            cache.apply(&Change::Sync("n2".into())).is_none(),
            "own: no answer"
        );
        let _ = cache.apply(&Change::Ack("n2".into()));
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "one server of two confirmed");
        let _ = cache.apply(&Change::Ack("n2".into()));
        let heard = waiter.await.expect("joined");
        assert_eq!(
            heard,
            Heard {
                echoed: true,
                acks: 2
            }
        );
        // Another server's sync is answered; another's mark is not.
        assert_eq!(
            cache.apply(&Change::Sync("theirs".into())),
            Some(Change::Ack("theirs".into()))
        );
        assert!(cache.apply(&Change::Mark("theirs".into())).is_none());
        assert!(cache.apply(&Change::Ack("unknown".into())).is_none());
    }
}
