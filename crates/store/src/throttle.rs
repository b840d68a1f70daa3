//! Failed sign-in counters, kept in the database so they hold across restarts and replicas.

use chrono::{DateTime, TimeDelta, Utc};
use domain::throttle::Backoff;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel};

use crate::StoreError;
use crate::entity::login_throttle;

/// Until when `key` must wait, if it must.
pub async fn locked_until(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let row = login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    Ok(row
        .and_then(|r| r.locked_until)
        .filter(|until| *until > now))
}

/// Counts a failure for `key` and returns until when it is now locked, if it is.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    key: &str,
    backoff: &Backoff,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let row = login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    let forgotten = |last: DateTime<Utc>| {
        now - last > TimeDelta::from_std(backoff.forget_after).unwrap_or(TimeDelta::MAX)
    };
    let failures = match &row {
        Some(r) if !forgotten(r.last_failure_at) => {
            u32::try_from(r.failures).unwrap_or(0).saturating_add(1)
        }
        _ => 1,
    };
    let locked_until = backoff
        .wait_after(failures)
        .and_then(|wait| TimeDelta::from_std(wait).ok())
        .map(|wait| now + wait);
    let failures_i32 = i32::try_from(failures).unwrap_or(i32::MAX);
    match row {
        Some(r) => {
            let mut active = r.into_active_model();
            active.failures = Set(failures_i32);
            active.last_failure_at = Set(now);
            active.locked_until = Set(locked_until);
            active.update(db).await?;
        }
        None => {
            login_throttle::ActiveModel {
                key: Set(key.to_owned()),
                failures: Set(failures_i32),
                last_failure_at: Set(now),
                locked_until: Set(locked_until),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(locked_until)
}

/// Forgets the failures of `key` after a success.
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), StoreError> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await?;
    Ok(())
}
