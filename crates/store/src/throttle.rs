//! Failed sign-in counters, kept in the database so they hold across restarts and replicas.
//!
//! An attempt is reserved before the password is checked, in one statement that counts it
//! and, when this attempt would earn a wait if it fails, sets that wait at once. Concurrent
//! attempts therefore see the lock the moment it is due: 200 wrong passwords sent at once
//! get exactly as many checks as 200 sent one after another. A success clears the counter
//! (or, for a counter shared by many accounts, gives its reservation back).

use chrono::{DateTime, TimeDelta, Utc};
use domain::throttle::Backoff;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement, Value};
use uuid::Uuid;

use crate::StoreError;
use crate::entity::login_throttle;

/// The counter of the sign-in name `name` (lower-case), whether an account has it or not.
pub fn account_key(name: &str) -> String {
    format!("account:{name}")
}

/// The counter of a client address, shared by everyone behind it.
pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// The counter of a browser where an account signed in before (its device cookie's id).
pub fn device_key(device: &str) -> String {
    format!("device:{device}")
}

/// The outcome of reserving an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// The attempt may go ahead; `attempt` identifies it to [`release`]. If it fails, the
    /// key must wait until `waits_until`, already set.
    Granted {
        attempt: Uuid,
        waits_until: Option<DateTime<Utc>>,
    },
    /// A wait is in force until then: the attempt is refused and not counted.
    Locked { until: DateTime<Utc> },
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn at_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Placeholders in the backend's own syntax, numbered so a value can be used twice.
struct Params {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Params {
    fn push(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => format!("?{}", self.values.len()),
        }
    }
}

/// Reserves an attempt for `key` at `now` (see the module's documentation).
#[tracing::instrument(skip(db, backoff))]
pub async fn reserve(
    db: &impl ConnectionTrait,
    key: &str,
    backoff: &Backoff,
    now: DateTime<Utc>,
) -> Result<Reservation, StoreError> {
    let attempt = Uuid::now_v7();
    let mut p = Params {
        backend: db.get_database_backend(),
        values: Vec::new(),
    };
    let key_p = p.push(key);
    let now_p = p.push(millis(now));
    let forget = TimeDelta::from_std(backoff.forget_after).unwrap_or(TimeDelta::MAX);
    let forget_p = p.push(millis(now.checked_sub_signed(forget).unwrap_or(now)));
    let attempt_p = p.push(attempt.to_string());
    let lock_at = |wait| {
        TimeDelta::from_std(wait)
            .ok()
            .and_then(|w| now.checked_add_signed(w))
            .map_or(i64::MAX, millis)
    };
    let schedule = backoff.schedule();
    let first_p = match backoff.wait_after(1) {
        Some(wait) => p.push(lock_at(wait)),
        None => "NULL".to_owned(),
    };
    // The wait the n-th failure earns: none before the schedule starts, the last (longest)
    // after it ends.
    let mut arms = Vec::new();
    for (n, wait) in &schedule {
        let wait_p = p.push(lock_at(*wait));
        arms.push(format!(
            "WHEN login_throttle.failures + 1 = {n} THEN {wait_p}"
        ));
    }
    if let Some((n, wait)) = schedule.last() {
        let wait_p = p.push(lock_at(*wait));
        arms.push(format!(
            "WHEN login_throttle.failures + 1 > {n} THEN {wait_p}"
        ));
    }
    let next_lock = if arms.is_empty() {
        "NULL".to_owned()
    } else {
        format!("CASE {} ELSE NULL END", arms.join(" "))
    };
    let locked = format!("login_throttle.locked_until_ms > {now_p}");
    let forgotten = format!("login_throttle.last_failure_ms < {forget_p}");
    let sql = format!(
        "INSERT INTO login_throttle (key, failures, last_failure_ms, locked_until_ms, attempt) \
         VALUES ({key_p}, 1, {now_p}, {first_p}, {attempt_p}) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN {locked} THEN login_throttle.failures \
                           WHEN {forgotten} THEN 1 \
                           ELSE login_throttle.failures + 1 END, \
           locked_until_ms = CASE WHEN {locked} THEN login_throttle.locked_until_ms \
                                  WHEN {forgotten} THEN {first_p} \
                                  ELSE {next_lock} END, \
           last_failure_ms = CASE WHEN {locked} THEN login_throttle.last_failure_ms \
                                  ELSE {now_p} END, \
           attempt = CASE WHEN {locked} THEN login_throttle.attempt ELSE {attempt_p} END \
         RETURNING locked_until_ms, attempt"
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(p.backend, sql, p.values))
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("no row reserving {key}")))?;
    let locked_until: Option<i64> = row.try_get("", "locked_until_ms")?;
    let winner: Option<String> = row.try_get("", "attempt")?;
    if winner.as_deref() == Some(attempt.to_string().as_str()) {
        return Ok(Reservation::Granted {
            attempt,
            waits_until: locked_until.map(at_millis),
        });
    }
    Ok(Reservation::Locked {
        until: at_millis(locked_until.unwrap_or_else(|| millis(now))),
    })
}

/// Gives back the reservation `attempt` made on `key` after it succeeded: for a counter that
/// several accounts share (an address), so that officers signing in do not use up its room.
/// The wait the attempt set in advance is lifted, unless a later attempt set its own.
#[tracing::instrument(skip(db))]
pub async fn release(
    db: &impl ConnectionTrait,
    key: &str,
    attempt: Uuid,
) -> Result<(), StoreError> {
    let mut p = Params {
        backend: db.get_database_backend(),
        values: Vec::new(),
    };
    let attempt_p = p.push(attempt.to_string());
    let key_p = p.push(key);
    let sql = format!(
        "UPDATE login_throttle SET failures = failures - 1, \
           locked_until_ms = CASE WHEN attempt = {attempt_p} THEN NULL ELSE locked_until_ms END \
         WHERE key = {key_p} AND failures > 0"
    );
    db.execute_raw(Statement::from_sql_and_values(p.backend, sql, p.values))
        .await?;
    Ok(())
}

/// Forgets the failures of `key` after a success.
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), StoreError> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    async fn db() -> sea_orm::DatabaseConnection {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("sqlite");
        crate::migrate(&db).await.expect("migrate");
        db
    }

    #[tokio::test]
    async fn the_fifth_attempt_sets_the_wait_before_it_is_checked() {
        let db = db().await;
        let backoff = Backoff::per_account(Duration::from_secs(30));
        let now = Utc::now();
        for n in 1..=5 {
            let r = reserve(&db, "account:a", &backoff, now)
                .await
                .expect("reserve");
            assert!(
                matches!(r, Reservation::Granted { .. }),
                "attempt {n}: {r:?}"
            );
        }
        let r = reserve(&db, "account:a", &backoff, now)
            .await
            .expect("reserve");
        let Reservation::Locked { until } = r else {
            panic!("the sixth waits: {r:?}");
        };
        assert_eq!(millis(until), millis(now + TimeDelta::seconds(30)));
        // Once the wait is over, one more attempt, which sets a longer wait.
        let later = now + TimeDelta::seconds(31);
        let r = reserve(&db, "account:a", &backoff, later)
            .await
            .expect("reserve");
        assert!(matches!(r, Reservation::Granted { .. }), "{r:?}");
        let r = reserve(&db, "account:a", &backoff, later)
            .await
            .expect("reserve");
        assert_eq!(
            r,
            Reservation::Locked {
                until: at_millis(millis(later + TimeDelta::seconds(60)))
            }
        );
    }

    #[tokio::test]
    async fn a_success_clears_and_a_release_gives_the_attempt_back() {
        let db = db().await;
        let backoff = Backoff::per_account(Duration::from_secs(30));
        let now = Utc::now();
        let mut last = None;
        for _ in 0..5 {
            last = Some(
                reserve(&db, "address:x", &backoff, now)
                    .await
                    .expect("reserve"),
            );
        }
        let Some(Reservation::Granted { attempt, .. }) = last else {
            panic!("granted");
        };
        release(&db, "address:x", attempt).await.expect("release");
        let r = reserve(&db, "address:x", &backoff, now)
            .await
            .expect("reserve");
        assert!(matches!(r, Reservation::Granted { .. }), "released: {r:?}");
        clear(&db, "address:x").await.expect("clear");
        let r = reserve(&db, "address:x", &backoff, now)
            .await
            .expect("reserve");
        assert!(matches!(r, Reservation::Granted { .. }));
    }

    #[tokio::test]
    async fn old_failures_are_forgotten() {
        let db = db().await;
        let backoff = Backoff::per_account(Duration::from_secs(30));
        let now = Utc::now();
        for _ in 0..5 {
            reserve(&db, "k", &backoff, now).await.expect("reserve");
        }
        let much_later = now + TimeDelta::hours(2);
        for n in 1..=5 {
            let r = reserve(&db, "k", &backoff, much_later)
                .await
                .expect("reserve");
            assert!(matches!(r, Reservation::Granted { .. }), "{n}: {r:?}");
        }
    }
}
