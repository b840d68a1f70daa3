//! Sessions: signing in under the throttle, starting and renewing sessions, changing one's own
//! password. Tokens, cookies and their digests are the API's; these take digests only.

use std::time::Duration;

use chrono::{DateTime, Utc};
use domain::throttle::Backoff;
use domain::{Account, Actor, Unit, Username};
use store::sessions::{NewRefreshToken, Rotation, Successor};
use store::throttle::Reservation;
use store::{Begin, ConnectionTrait, StoreError};
use uuid::Uuid;

use crate::{AppError, UserError, password};

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

/// Who is trying a password, as the throttle counts it.
#[derive(Debug, Clone, Copy)]
pub enum Trier<'a> {
    /// A browser where the account signed in before (its device cookie's id): counted for
    /// that browser alone, so someone locking the account elsewhere does not lock it out.
    KnownDevice(&'a str),
    /// Anyone else: counted per client address and per sign-in name.
    Unknown { address: &'a str },
}

/// A counter of password attempts, and how it backs off.
struct Counter {
    key: String,
    backoff: Backoff,
    /// Counts the attempts of many accounts (a client address): a success gives its attempt
    /// back instead of clearing the others' failures.
    shared: bool,
}

/// Attempts reserved on every counter, for one password check.
struct Attempt {
    reserved: Vec<(Counter, Uuid)>,
    /// Until when the counters wait if the password is wrong (already set).
    waits_until: Option<DateTime<Utc>>,
}

impl Attempt {
    /// After the right password: clears the counters, giving back the shared ones' attempt.
    async fn succeeded(self, db: &impl ConnectionTrait) -> Result<(), StoreError> {
        for (counter, attempt) in self.reserved {
            if counter.shared {
                store::throttle::release(db, &counter.key, attempt).await?;
            } else {
                store::throttle::clear(db, &counter.key).await?;
            }
        }
        Ok(())
    }
}

/// Reserves an attempt on each counter in turn, before any password is checked, so that
/// concurrent attempts cannot all slip under the limit; `Err` with the end of the wait when a
/// counter is locked.
async fn reserve(
    db: &impl ConnectionTrait,
    counters: Vec<Counter>,
    now: DateTime<Utc>,
) -> Result<Result<Attempt, DateTime<Utc>>, StoreError> {
    let mut attempt = Attempt {
        reserved: Vec::new(),
        waits_until: None,
    };
    for counter in counters {
        match store::throttle::reserve(db, &counter.key, &counter.backoff, now).await? {
            Reservation::Granted {
                attempt: id,
                waits_until,
            } => {
                attempt.waits_until = attempt.waits_until.max(waits_until);
                attempt.reserved.push((counter, id));
            }
            Reservation::Locked { until } => return Ok(Err(until)),
        }
    }
    Ok(Ok(attempt))
}

/// A sign-in name as the throttle counts it, valid or not, so unknown names lock like real
/// ones. Bounded: no username is longer than 64 characters.
pub fn sign_in_name(username: &str) -> String {
    username
        .trim()
        .to_lowercase()
        .chars()
        .take(Username::MAX)
        .collect()
}

/// The outcome of a sign-in.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// Too many failures: no password is checked until then.
    Locked { until: DateTime<Utc> },
    /// Unknown name or wrong password (never told apart); `locked_until` when this failure
    /// set a wait.
    Refused { locked_until: Option<DateTime<Utc>> },
    /// The right password of a disabled account.
    Disabled,
    /// Signed in: the account and its unit; the sign-in is recorded on the account.
    SignedIn(Box<(Account, Unit)>),
}

/// Checks `password` for the account named `username` under the sign-in throttle (waits
/// growing from `backoff_base`, per [`Trier`]), and records a successful sign-in.
pub async fn sign_in(
    db: &impl ConnectionTrait,
    username: &str,
    password: &str,
    trier: Trier<'_>,
    backoff_base: Duration,
) -> Result<SignIn, AppError> {
    let name = sign_in_name(username);
    let counters = match trier {
        Trier::KnownDevice(device) => vec![Counter {
            key: store::throttle::device_key(device),
            backoff: Backoff::per_account(backoff_base),
            shared: false,
        }],
        Trier::Unknown { address } => vec![
            Counter {
                key: store::throttle::address_key(address),
                backoff: Backoff::per_address(backoff_base),
                shared: true,
            },
            Counter {
                key: store::throttle::account_key(&name),
                backoff: Backoff::per_account(backoff_base),
                shared: false,
            },
        ],
    };
    let now = Utc::now();
    let attempt = match reserve(db, counters, now).await? {
        Ok(attempt) => attempt,
        Err(until) => return Ok(SignIn::Locked { until }),
    };
    let credentials = match Username::parse(username) {
        Ok(username) => store::accounts::by_username(db, &username).await?,
        Err(_) => None,
    };
    let hash = credentials.as_ref().map(|c| c.password_hash.as_str());
    let matches = password::verify(password, hash).await?;
    let Some(credentials) = credentials.filter(|_| matches) else {
        return Ok(SignIn::Refused {
            locked_until: attempt.waits_until,
        });
    };
    attempt.succeeded(db).await?;
    let mut account = credentials.account;
    if !account.active {
        return Ok(SignIn::Disabled);
    }
    let now = Utc::now();
    store::accounts::record_login(db, account.id, now).await?;
    account.last_login_at = Some(now);
    let unit = store::units::by_id(db, account.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SignIn::SignedIn(Box::new((account, unit))))
}

/// Starts a session (a family of refresh tokens) for `account_id` with its first refresh
/// token, by digest; returns the session's id.
pub async fn start(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    token_hash: String,
    expires_at: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let session_id = Uuid::now_v7();
    store::sessions::insert(
        db,
        NewRefreshToken {
            account_id,
            family_id: session_id,
            token_hash,
            expires_at,
        },
    )
    .await?;
    Ok(session_id)
}

/// Ends the session of the refresh token with digest `token_hash`, if it is one (signing
/// out).
pub async fn end(db: &impl ConnectionTrait, token_hash: &str) -> Result<(), AppError> {
    store::sessions::revoke_by_hash(db, token_hash, Utc::now()).await?;
    Ok(())
}

/// "07:35:09 ngày 26/11/2026": a moment as officers read it, in Vietnam's time zone (UTC+7,
/// no daylight saving).
pub fn vietnam_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&domain::time::VIETNAM)
        .format("%H:%M:%S ngày %d/%m/%Y")
        .to_string()
}

/// Changes the actor's own password: `current` is checked under the account's sign-in
/// throttle first (`currentPassword`: `ACCOUNT_LOCKED`, `WRONG_PASSWORD`), then the new one is
/// set ([`crate::accounts::set_own_password`]).
pub async fn change_own_password(
    db: &impl Begin,
    actor: &Actor,
    username: &Username,
    current: &str,
    new: &str,
    backoff_base: Duration,
) -> Result<Account, AppError> {
    let locked = |until: DateTime<Utc>| {
        AppError::Invalid(vec![UserError::new(
            Some("currentPassword"),
            "ACCOUNT_LOCKED",
            format!(
                "Nhập sai mật khẩu quá nhiều lần nên bị tạm khóa. Vui lòng thử lại sau {}.",
                vietnam_time(until)
            ),
        )])
    };
    let counter = Counter {
        key: store::throttle::account_key(username.as_str()),
        backoff: Backoff::per_account(backoff_base),
        shared: false,
    };
    let attempt = match reserve(db, vec![counter], Utc::now()).await? {
        Ok(attempt) => attempt,
        Err(until) => return Err(locked(until)),
    };
    let hash = store::accounts::password_hash(db, actor.account_id).await?;
    if !password::verify(current, Some(&hash)).await? {
        if let Some(until) = attempt.waits_until {
            return Err(locked(until));
        }
        return Err(AppError::Invalid(vec![UserError::new(
            Some("currentPassword"),
            "WRONG_PASSWORD",
            "Mật khẩu hiện tại không đúng.",
        )]));
    }
    attempt.succeeded(db).await?;
    crate::accounts::set_own_password(db, actor, current, new).await
}

#[cfg(test)]
mod tests {
    use super::vietnam_time;
    use chrono::TimeZone;

    #[test]
    fn times_are_shown_in_vietnam() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 20, 5, 9)
            .single()
            .expect("valid");
        assert_eq!(vietnam_time(at), "03:05:09 ngày 27/11/2026");
    }
}
