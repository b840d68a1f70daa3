//! Signing in and out: `login`, `refreshSession`, `logout`, `changePassword`.

use app::password;
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, TimeDelta, Utc};
use domain::throttle::Backoff;
use domain::{Unit, Username};
use store::Db;
use store::sessions::{NewRefreshToken, Successor};
use store::throttle::Reservation;
use uuid::Uuid;

use super::{once_per_request, vietnam_time};
use crate::auth::device::{self, DeviceKeys};
use crate::auth::{AuthConfig, jwt::Keys, tokens};
use crate::error::{AppResultExt, StoreResultExt};
use crate::types::account::{Account, UserError};
use crate::{ApiError, RequestContext, auth};

/// Credentials to sign in with.
#[derive(InputObject)]
pub struct LoginInput {
    /// Sign-in name, any case.
    pub username: String,
    pub password: String,
}

/// The outcome of `login` and `refreshSession`. On success `accessToken` is set and a
/// refresh cookie (httpOnly, SameSite=Strict) comes with the HTTP response.
#[derive(SimpleObject, Default)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    pub access_token: Option<String>,
    /// When the access token stops working; renew with `refreshSession` before then.
    pub expires_at: Option<DateTime<Utc>>,
    pub account: Option<Account>,
    /// With `ACCOUNT_LOCKED`: when signing in may be tried again.
    pub retry_at: Option<DateTime<Utc>>,
    /// `INVALID_CREDENTIALS` (unknown user or wrong password, one message for both),
    /// `ACCOUNT_LOCKED` (too many failures: see `retryAt`), `ACCOUNT_DISABLED`.
    pub user_errors: Vec<UserError>,
}

impl LoginPayload {
    fn refused(code: &str, message: String, retry_at: Option<DateTime<Utc>>) -> Self {
        Self {
            retry_at,
            user_errors: vec![UserError::new(None, code, message)],
            ..Self::default()
        }
    }

    fn locked(until: DateTime<Utc>) -> Self {
        Self::refused(
            "ACCOUNT_LOCKED",
            format!(
                "Đăng nhập sai quá nhiều lần nên bị tạm khóa. Vui lòng thử lại sau {}.",
                vietnam_time(until)
            ),
            Some(until),
        )
    }
}

/// The current password and the new one.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

/// The outcome of `changePassword`. Every other session of the account ends; this one
/// continues with the new access token (and a new refresh cookie).
#[derive(SimpleObject, Default)]
pub struct ChangePasswordPayload {
    pub access_token: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub account: Option<Account>,
    /// `WRONG_PASSWORD` or `ACCOUNT_LOCKED` on `currentPassword`; `PASSWORD_TOO_SHORT`,
    /// `PASSWORD_TOO_LONG`, `PASSWORD_IS_USERNAME`, `PASSWORD_TOO_WEAK` (easy to guess; the
    /// message says why, in Vietnamese), `PASSWORD_UNCHANGED` on `newPassword`.
    pub user_errors: Vec<UserError>,
}

/// The outcome of `logout`.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    pub ok: bool,
}

fn request(ctx: &Context<'_>) -> RequestContext {
    ctx.data_opt::<RequestContext>()
        .cloned()
        .unwrap_or_default()
}

fn set_refresh_cookie(ctx: &Context<'_>, token: Option<&str>) {
    let config = ctx.data_unchecked::<AuthConfig>();
    ctx.append_http_header(
        "Set-Cookie",
        tokens::cookie(token, config.refresh_ttl, config.secure_cookies),
    );
}

/// Signs an access token for the account as it is now, in the session `session_id`.
fn access_token(
    ctx: &Context<'_>,
    account: &domain::Account,
    unit: &Unit,
    session_id: Uuid,
) -> Result<(String, DateTime<Utc>), ApiError> {
    let config = ctx.data_unchecked::<AuthConfig>();
    let now = Utc::now();
    let expires_at = now + TimeDelta::from_std(config.access_ttl).unwrap_or(TimeDelta::minutes(15));
    let token = ctx
        .data_unchecked::<Keys>()
        .issue(account, unit.code.as_str(), session_id, now, expires_at)
        .map_err(|e| ApiError::internal(ctx, &e))?;
    Ok((token, expires_at))
}

/// Starts a new session family: an access token, and a refresh token in the cookie.
async fn start_session(
    ctx: &Context<'_>,
    account: &domain::Account,
    unit: &Unit,
) -> Result<(String, DateTime<Utc>), ApiError> {
    let config = ctx.data_unchecked::<AuthConfig>();
    let db = ctx.data_unchecked::<Db>();
    let refresh = tokens::generate();
    let session_id = Uuid::now_v7();
    store::sessions::insert(
        db,
        NewRefreshToken {
            account_id: account.id,
            family_id: session_id,
            token_hash: tokens::digest(&refresh),
            expires_at: Utc::now()
                + TimeDelta::from_std(config.refresh_ttl).unwrap_or(TimeDelta::days(30)),
        },
    )
    .await
    .or_internal(ctx)?;
    set_refresh_cookie(ctx, Some(&refresh));
    access_token(ctx, account, unit, session_id)
}

async fn unit_of(ctx: &Context<'_>, account: &domain::Account) -> Result<Unit, ApiError> {
    let db = ctx.data_unchecked::<Db>();
    store::units::by_id(db, account.unit_id)
        .await
        .or_internal(ctx)?
        .ok_or(ApiError::NotFound)
}

/// A sign-in name as the throttle counts it, valid or not, so unknown names lock like real
/// ones. Bounded: no username is longer than 64 characters.
fn sign_in_name(username: &str) -> String {
    username
        .trim()
        .to_lowercase()
        .chars()
        .take(Username::MAX)
        .collect()
}

fn locked_message(until: DateTime<Utc>) -> String {
    format!(
        "Nhập sai mật khẩu quá nhiều lần nên bị tạm khóa. Vui lòng thử lại sau {}.",
        vietnam_time(until)
    )
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
    async fn succeeded(self, ctx: &Context<'_>) -> Result<(), ApiError> {
        let db = ctx.data_unchecked::<Db>();
        for (counter, attempt) in self.reserved {
            if counter.shared {
                store::throttle::release(db, &counter.key, attempt).await
            } else {
                store::throttle::clear(db, &counter.key).await
            }
            .or_internal(ctx)?;
        }
        Ok(())
    }
}

/// Reserves an attempt on each counter in turn, before any password is checked, so that
/// concurrent attempts cannot all slip under the limit; `Err` with the end of the wait when a
/// counter is locked.
async fn reserve(
    ctx: &Context<'_>,
    counters: Vec<Counter>,
) -> Result<Result<Attempt, DateTime<Utc>>, ApiError> {
    let db = ctx.data_unchecked::<Db>();
    let now = Utc::now();
    let mut attempt = Attempt {
        reserved: Vec::new(),
        waits_until: None,
    };
    for counter in counters {
        match store::throttle::reserve(db, &counter.key, &counter.backoff, now)
            .await
            .or_internal(ctx)?
        {
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

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Signs in. Attempts are counted per account and per client address, or, in a browser
    /// where the account signed in before, per browser; after 5 failures in a row the account
    /// must wait (`ACCOUNT_LOCKED` with `retryAt`), longer after each further failure. One
    /// `login` per request.
    async fn login(
        &self,
        ctx: &Context<'_>,
        input: LoginInput,
    ) -> async_graphql::Result<LoginPayload> {
        once_per_request(ctx)?;
        let config = ctx.data_unchecked::<AuthConfig>();
        let db = ctx.data_unchecked::<Db>();
        let request = request(ctx);
        let name = sign_in_name(&input.username);
        let known_device = request
            .device_cookie
            .as_deref()
            .and_then(|cookie| ctx.data_unchecked::<DeviceKeys>().verify(cookie, &name));
        let counters = match known_device {
            Some(device) => vec![Counter {
                key: store::throttle::device_key(&device),
                backoff: Backoff::per_account(config.login_backoff),
                shared: false,
            }],
            None => vec![
                Counter {
                    key: store::throttle::address_key(&request.client_addr),
                    backoff: Backoff::per_address(config.login_backoff),
                    shared: true,
                },
                Counter {
                    key: store::throttle::account_key(&name),
                    backoff: Backoff::per_account(config.login_backoff),
                    shared: false,
                },
            ],
        };
        let attempt = match reserve(ctx, counters).await? {
            Ok(attempt) => attempt,
            Err(until) => return Ok(LoginPayload::locked(until)),
        };

        let credentials = match Username::parse(&input.username) {
            Ok(username) => store::accounts::by_username(db, &username)
                .await
                .or_internal(ctx)?,
            Err(_) => None,
        };
        let hash = credentials.as_ref().map(|c| c.password_hash.as_str());
        let matches = password::verify(&input.password, hash)
            .await
            .map_err(|e| ApiError::internal(ctx, &e))?;
        let Some(credentials) = credentials.filter(|_| matches) else {
            if let Some(until) = attempt.waits_until {
                return Ok(LoginPayload::locked(until));
            }
            return Ok(LoginPayload::refused(
                "INVALID_CREDENTIALS",
                "Tên đăng nhập hoặc mật khẩu không đúng.".to_owned(),
                None,
            ));
        };
        attempt.succeeded(ctx).await?;
        let mut account = credentials.account;
        if !account.active {
            return Ok(LoginPayload::refused(
                "ACCOUNT_DISABLED",
                "Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên cấp trên.".to_owned(),
                None,
            ));
        }
        let now = Utc::now();
        store::accounts::record_login(db, account.id, now)
            .await
            .or_internal(ctx)?;
        account.last_login_at = Some(now);
        let unit = unit_of(ctx, &account).await?;
        let (token, expires_at) = start_session(ctx, &account, &unit).await?;
        let device = ctx
            .data_unchecked::<DeviceKeys>()
            .issue(account.username.as_str());
        ctx.append_http_header("Set-Cookie", device::cookie(&device, config.secure_cookies));
        tracing::info!(account_id = %account.id, "signed in");
        Ok(LoginPayload {
            access_token: Some(token),
            expires_at: Some(expires_at),
            account: Some(Account(account)),
            ..LoginPayload::default()
        })
    }

    /// Exchanges the refresh cookie for a new access token and a new refresh cookie. A refresh
    /// token works once: presenting a used one ends every session that came from the same
    /// sign-in. Without a valid cookie: `UNAUTHENTICATED`.
    async fn refresh_session(&self, ctx: &Context<'_>) -> async_graphql::Result<LoginPayload> {
        let Some(presented) = request(ctx).refresh_cookie else {
            return Err(ApiError::Unauthenticated.into());
        };
        let config = ctx.data_unchecked::<AuthConfig>();
        let db = ctx.data_unchecked::<Db>();
        let now = Utc::now();
        let next = tokens::generate();
        let expires = now + TimeDelta::from_std(config.refresh_ttl).unwrap_or(TimeDelta::days(30));
        let next_hash = tokens::digest(&next);
        let successor = Successor {
            token_hash: &next_hash,
            expires_at: expires,
        };
        let renewed = app::sessions::renew(
            db,
            &tokens::digest(&presented),
            successor,
            now,
            config.refresh_reuse_grace,
        )
        .await
        .or_user_errors(ctx)?
        .map_err(|_| ApiError::Unauthenticated)?;
        let Some(app::sessions::Renewed {
            account,
            unit,
            family_id,
        }) = renewed
        else {
            set_refresh_cookie(ctx, None);
            return Err(ApiError::Unauthenticated.into());
        };
        set_refresh_cookie(ctx, Some(&next));
        let (token, expires_at) = access_token(ctx, &account, &unit, family_id)?;
        Ok(LoginPayload {
            access_token: Some(token),
            expires_at: Some(expires_at),
            account: Some(Account(account)),
            ..LoginPayload::default()
        })
    }

    /// Signs out: ends the session of the refresh cookie and clears it.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<LogoutPayload> {
        if let Some(presented) = request(ctx).refresh_cookie {
            let db = ctx.data_unchecked::<Db>();
            store::sessions::revoke_by_hash(db, &tokens::digest(&presented), Utc::now())
                .await
                .or_internal(ctx)?;
        }
        set_refresh_cookie(ctx, None);
        Ok(LogoutPayload { ok: true })
    }

    /// Changes the signed-in account's password (also when it must change a one-time
    /// password). Ends every other session of the account. One per request.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> async_graphql::Result<ChangePasswordPayload> {
        once_per_request(ctx)?;
        let session = auth::session_allowing_password_change(ctx).await?;
        let config = ctx.data_unchecked::<AuthConfig>();
        let db = ctx.data_unchecked::<Db>();
        let refuse = |field: &str, code: &str, message: String| ChangePasswordPayload {
            user_errors: vec![UserError::new(Some(field), code, message)],
            ..ChangePasswordPayload::default()
        };
        let counter = Counter {
            key: store::throttle::account_key(session.account.username.as_str()),
            backoff: Backoff::per_account(config.login_backoff),
            shared: false,
        };
        let attempt = match reserve(ctx, vec![counter]).await? {
            Ok(attempt) => attempt,
            Err(until) => {
                return Ok(refuse(
                    "currentPassword",
                    "ACCOUNT_LOCKED",
                    locked_message(until),
                ));
            }
        };
        let hash = store::accounts::password_hash(db, session.account.id)
            .await
            .or_internal(ctx)?;
        let matches = password::verify(&input.current_password, Some(&hash))
            .await
            .map_err(|e| ApiError::internal(ctx, &e))?;
        if !matches {
            if let Some(until) = attempt.waits_until {
                return Ok(refuse(
                    "currentPassword",
                    "ACCOUNT_LOCKED",
                    locked_message(until),
                ));
            }
            return Ok(refuse(
                "currentPassword",
                "WRONG_PASSWORD",
                "Mật khẩu hiện tại không đúng.".to_owned(),
            ));
        }
        attempt.succeeded(ctx).await?;
        let actor = session.actor();
        let changed = app::accounts::set_own_password(
            db,
            &actor,
            &input.current_password,
            &input.new_password,
        )
        .await
        .or_user_errors(ctx)?;
        let account = match changed {
            Ok(account) => account,
            Err(user_errors) => {
                return Ok(ChangePasswordPayload {
                    user_errors,
                    ..ChangePasswordPayload::default()
                });
            }
        };
        let (token, expires_at) = start_session(ctx, &account, &session.unit).await?;
        Ok(ChangePasswordPayload {
            access_token: Some(token),
            expires_at: Some(expires_at),
            account: Some(Account(account)),
            user_errors: Vec::new(),
        })
    }
}
