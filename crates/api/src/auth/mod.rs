//! Authentication: who is asking. Access tokens (JWT), refresh tokens (rotating, in an
//! httpOnly cookie), device cookies, and the per-request session. Passwords (argon2id) and the
//! sign-in throttle are the use-case layer's (`app::password`, `app::sessions`).

pub mod cache;
pub mod device;
pub mod jwt;
pub mod tokens;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::Context;
use domain::{Account, Actor, Unit};
use store::Db;

use crate::error::StoreResultExt;
use crate::{ApiError, RequestContext};

/// A secret that never shows in logs or debug output.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// How sessions are issued.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub jwt_secret: Secret,
    /// Lifetime of an access token (15 minutes).
    pub access_ttl: Duration,
    /// Lifetime of a refresh token (30 days).
    pub refresh_ttl: Duration,
    /// Mark the refresh cookie `Secure` (HTTPS only): on in production.
    pub secure_cookies: bool,
    /// The first wait after repeated failed sign-ins; it doubles with each further failure.
    pub login_backoff: Duration,
    /// How long a used refresh token is still honoured, for tabs renewing at once.
    pub refresh_reuse_grace: Duration,
}

impl AuthConfig {
    pub const ACCESS_TTL: Duration = Duration::from_mins(15);
    pub const REFRESH_TTL: Duration = Duration::from_hours(30 * 24);

    pub fn new(jwt_secret: Secret) -> Self {
        Self {
            jwt_secret,
            access_ttl: Self::ACCESS_TTL,
            refresh_ttl: Self::REFRESH_TTL,
            secure_cookies: false,
            login_backoff: Duration::from_secs(30),
            refresh_reuse_grace: Duration::from_secs(10),
        }
    }
}

/// A signed-in account, checked against the database for this request.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub unit: Unit,
}

impl Session {
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: self.account.id,
            unit_path: self.unit.path.clone(),
            role: self.account.role,
        }
    }
}

/// What is known of this request's session.
#[derive(Default, Clone)]
enum Known {
    /// Not looked at yet.
    #[default]
    Unresolved,
    /// Resolved from the bearer token, or set by a mutation that signs in; `None`: nobody.
    Resolved(Option<Box<Session>>),
}

/// The session of this request, resolved at most once, or set by a mutation that signs in.
#[derive(Default)]
pub struct SessionCell(std::sync::RwLock<Known>);

impl SessionCell {
    fn get(&self) -> Known {
        self.0.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Records `session` (over what was known when `replace`) and returns what is known now.
    fn set(&self, session: Option<Session>, replace: bool) -> Option<Session> {
        let Ok(mut cell) = self.0.write() else {
            return session;
        };
        if replace || matches!(*cell, Known::Unresolved) {
            *cell = Known::Resolved(session.map(Box::new));
        }
        match &*cell {
            Known::Resolved(session) => session.as_deref().cloned(),
            Known::Unresolved => None,
        }
    }
}

/// From now on in this request, the viewer is `session`: the account that just signed in,
/// renewed its session or changed its password, so that what the mutation returns about it
/// (`account { viewerCan }`) is answered for it.
pub fn sign_in_as(ctx: &Context<'_>, session: Session) {
    ctx.data_unchecked::<SessionCell>().set(Some(session), true);
}

/// Reads the bearer token of the request, if any, and checks it: signature, expiry, audience,
/// an active account, a token version that has not been bumped since it was issued, and a
/// session that has not ended (signed out, or revoked as stolen). The account is read from
/// the database unless the session cache holds it (see [`cache`]).
async fn resolve(ctx: &Context<'_>) -> Result<Option<Session>, ApiError> {
    let Some(request) = ctx.data_opt::<RequestContext>() else {
        return Ok(None);
    };
    let Some(token) = request.bearer.as_deref() else {
        return Ok(None);
    };
    let verified = match &request.claims {
        Some(claims) => Some(claims.clone()),
        None => ctx.data_unchecked::<jwt::Keys>().verify(token),
    };
    let Some(claims) = verified else {
        return Ok(None);
    };
    let cache = ctx.data_unchecked::<Arc<cache::SessionCache>>();
    let db = ctx.data_unchecked::<Db>();
    session_of_claims(cache, db, &claims).await.or_internal(ctx)
}

/// The session of verified `claims`: from the session cache, or read from the database (an
/// active account whose token version has not been bumped, a session that has not ended).
async fn session_of_claims(
    cache: &cache::SessionCache,
    db: &Db,
    claims: &jwt::Claims,
) -> Result<Option<Session>, store::StoreError> {
    let now = chrono::Utc::now().timestamp();
    if let Some(session) = cache.get(claims.sub, claims.sid, claims.ver, now) {
        return Ok(Some(session));
    }
    let epoch = cache.epoch();
    let found = store::accounts::in_session(db, claims.sub, claims.sid).await?;
    let session = found
        .filter(|(account, _)| account.active && account.token_version == claims.ver)
        .map(|(account, unit)| Session { account, unit });
    if let Some(session) = &session {
        cache.put(epoch, claims.sid, session.clone(), claims.exp, now);
    }
    Ok(session)
}

/// The acting account of a bearer token presented outside GraphQL (the export routes),
/// checked as a GraphQL request's is: `Unauthenticated` without a valid session, and
/// `PasswordChangeRequired` for an account that must change its password first.
pub async fn actor_of_token(
    keys: &jwt::Keys,
    cache: &cache::SessionCache,
    db: &Db,
    token: &str,
) -> Result<Actor, ApiError> {
    let claims = keys.verify(token).ok_or(ApiError::Unauthenticated)?;
    let session = session_of_claims(cache, db, &claims)
        .await
        .map_err(|e| ApiError::from_store(None, &e))?
        .ok_or(ApiError::Unauthenticated)?;
    if session.account.must_change_password {
        return Err(ApiError::PasswordChangeRequired);
    }
    Ok(session.actor())
}

async fn current(ctx: &Context<'_>) -> Result<Option<Session>, ApiError> {
    let cell = ctx.data_unchecked::<SessionCell>();
    if let Known::Resolved(session) = cell.get() {
        return Ok(session.map(|s| *s));
    }
    let session = resolve(ctx).await?;
    Ok(cell.set(session, false))
}

/// The signed-in account, which must not owe a password change.
pub async fn session(ctx: &Context<'_>) -> Result<Session, ApiError> {
    let session = session_allowing_password_change(ctx).await?;
    if session.account.must_change_password {
        return Err(ApiError::PasswordChangeRequired);
    }
    Ok(session)
}

/// The signed-in account, even one that must change its password first: for `me`,
/// `changePassword` and `logout`.
pub async fn session_allowing_password_change(ctx: &Context<'_>) -> Result<Session, ApiError> {
    current(ctx).await?.ok_or(ApiError::Unauthenticated)
}

/// The acting account of this request.
pub async fn actor(ctx: &Context<'_>) -> Result<Actor, ApiError> {
    Ok(session(ctx).await?.actor())
}
