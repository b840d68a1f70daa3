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

use store::notify::Change;
use tokio::sync::Notify;
use uuid::Uuid;

use super::Session;

/// The most sessions kept. An entry is a few hundred bytes; tokens need the server's secret,
/// so only real sessions take room.
const CAPACITY: usize = 10_000;

/// How long a mutation that ended or changed sessions waits for its announcement to come
/// back before it answers anyway.
const ECHO_WAIT: Duration = Duration::from_secs(1);

struct Entry {
    session: Session,
    /// When the access token that brought it in expires (seconds since the Unix epoch).
    expires_at: i64,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<(Uuid, Uuid), Entry>,
    /// Markers this process sent and has seen come back.
    marks_seen: Vec<String>,
}

/// See the module documentation.
#[derive(Default)]
pub struct SessionCache {
    inner: Mutex<Inner>,
    epoch: AtomicU64,
    trusted: AtomicBool,
    marked: Notify,
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

    /// The session of `(account, session)` for a token of token version `version`, if kept.
    pub fn get(&self, account: Uuid, session: Uuid, version: i32) -> Option<Session> {
        if !self.is_trusted() {
            return None;
        }
        let inner = self.lock();
        let entry = inner.entries.get(&(account, session))?;
        (entry.session.account.token_version == version).then(|| entry.session.clone())
    }

    /// Where a read of an account begins: pass it to [`Self::put`].
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps a session read since `epoch`, unless an announcement came in meanwhile or the
    /// cache is off.
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

    /// Applies an announcement (or this process's own change, before it answers).
    pub fn apply(&self, change: &Change) {
        let mut inner = self.lock();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        match change {
            Change::Account(id) => inner.entries.retain(|(account, _), _| account != id),
            Change::Everything => inner.entries.clear(),
            Change::Mark(nonce) => {
                inner.marks_seen.push(nonce.clone());
                if inner.marks_seen.len() > 64 {
                    inner.marks_seen.remove(0);
                }
                drop(inner);
                self.marked.notify_waiters();
            }
        }
    }

    /// Waits until the marker `nonce` has come back (see `store::notify::mark`), at most
    /// [`ECHO_WAIT`]; false if it did not.
    pub async fn wait_for_mark(&self, nonce: &str) -> bool {
        let wait = async {
            loop {
                let notified = self.marked.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if self.lock().marks_seen.iter().any(|n| n == nonce) {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(ECHO_WAIT, wait).await.is_ok()
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
        cache.apply(&Change::Account(account));
        cache.put(before, sid, s.clone(), i64::MAX, 0);
        assert!(cache.get(account, sid, 1).is_none(), "stale read kept");
        // A read that began after the announcement is kept, for its token version only.
        cache.put(cache.epoch(), sid, s, i64::MAX, 0);
        assert!(cache.get(account, sid, 1).is_some());
        assert!(
            cache.get(account, sid, 2).is_none(),
            "another token version"
        );
        cache.apply(&Change::Account(account));
        assert!(cache.get(account, sid, 1).is_none(), "announced: gone");
    }

    #[test]
    fn nothing_is_kept_or_served_while_not_listening() {
        let cache = SessionCache::default();
        let s = session(1);
        let (account, sid) = (s.account.id, Uuid::now_v7());
        cache.put(cache.epoch(), sid, s.clone(), i64::MAX, 0);
        assert!(cache.get(account, sid, 1).is_none(), "off by default");
        cache.set_trusted(true);
        cache.put(cache.epoch(), sid, s, i64::MAX, 0);
        assert!(cache.get(account, sid, 1).is_some());
        cache.set_trusted(false);
        assert!(
            cache.get(account, sid, 1).is_none(),
            "listening stopped: emptied and off"
        );
        cache.set_trusted(true);
        assert!(
            cache.get(account, sid, 1).is_none(),
            "still empty when on again"
        );
    }

    #[tokio::test]
    async fn a_marker_is_awaited_until_it_comes_back() {
        let cache = std::sync::Arc::new(SessionCache::default());
        let waiter = tokio::spawn({
            let cache = cache.clone();
            async move { cache.wait_for_mark("n1").await }
        });
        tokio::task::yield_now().await;
        cache.apply(&Change::Mark("n1".to_owned()));
        assert!(waiter.await.expect("joined"));
        assert!(cache.wait_for_mark("n1").await, "already seen");
        assert!(!cache.wait_for_mark("never").await, "gives up");
    }
}
