//! Sessions: what signing in and renewing a session change in the database. Tokens, cookies
//! and their digests are the API's; these take digests only.

use std::time::Duration;

use chrono::{DateTime, Utc};
use domain::{Account, Unit};
use store::Begin;
use store::sessions::{Rotation, Successor};
use uuid::Uuid;

use crate::AppError;

/// A renewed session: whose it is and which sign-in it came from.
#[derive(Debug, Clone)]
pub struct Renewed {
    pub account: Account,
    pub unit: Unit,
    pub family_id: Uuid,
}

/// Exchanges the refresh token with digest `presented` for its successor `next` (one
/// transaction: a used token presented again revokes its whole family, within `grace` of its
/// use excepted). `None` when the token is unknown, expired, reused, or its account is
/// disabled: the session is over.
pub async fn renew(
    db: &impl Begin,
    presented: &str,
    next: Successor<'_>,
    now: DateTime<Utc>,
    grace: Duration,
) -> Result<Option<Renewed>, AppError> {
    let txn = store::begin(db).await?;
    let rotation = store::sessions::rotate(&txn, presented, next, now, grace).await?;
    store::commit(txn).await?;
    let Rotation::Rotated {
        account_id,
        family_id,
    } = rotation
    else {
        return Ok(None);
    };
    let found = store::accounts::with_unit(db, account_id).await?;
    Ok(found
        .filter(|(account, _)| account.active)
        .map(|(account, unit)| Renewed {
            account,
            unit,
            family_id,
        }))
}
