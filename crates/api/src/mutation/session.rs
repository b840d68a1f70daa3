//! Signing in and out: `login`, `refreshSession`, `logout`, `changePassword`.

use app::sessions::{SignIn, Trier, sign_in_name, vietnam_time};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, TimeDelta, Utc};
use domain::Unit;
use store::Db;
use store::sessions::Successor;
use uuid::Uuid;

use super::once_per_request;
use crate::auth::device::{self, DeviceKeys};
use crate::auth::{AuthConfig, jwt::Keys, tokens};
use crate::error::AppResultExt;
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
    let expires_at =
        Utc::now() + TimeDelta::from_std(config.refresh_ttl).unwrap_or(TimeDelta::days(30));
    let session_id = app::sessions::start(db, account.id, tokens::digest(&refresh), expires_at)
        .await
        .or_api(ctx)?;
    set_refresh_cookie(ctx, Some(&refresh));
    access_token(ctx, account, unit, session_id)
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
        let trier = match &known_device {
            Some(device) => Trier::KnownDevice(device),
            None => Trier::Unknown {
                address: &request.client_addr,
            },
        };
        let outcome = app::sessions::sign_in(
            db,
            &input.username,
            &input.password,
            trier,
            config.login_backoff,
        )
        .await
        .or_api(ctx)?;
        let (account, unit) = match outcome {
            SignIn::Locked { until }
            | SignIn::Refused {
                locked_until: Some(until),
            } => return Ok(LoginPayload::locked(until)),
            SignIn::Refused { locked_until: None } => {
                return Ok(LoginPayload::refused(
                    "INVALID_CREDENTIALS",
                    "Tên đăng nhập hoặc mật khẩu không đúng.".to_owned(),
                    None,
                ));
            }
            SignIn::Disabled => {
                return Ok(LoginPayload::refused(
                    "ACCOUNT_DISABLED",
                    "Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên cấp trên."
                        .to_owned(),
                    None,
                ));
            }
            SignIn::SignedIn(signed_in) => *signed_in,
        };
        let (token, expires_at) = start_session(ctx, &account, &unit).await?;
        let device = ctx
            .data_unchecked::<DeviceKeys>()
            .issue(account.username.as_str());
        ctx.append_http_header("Set-Cookie", device::cookie(&device, config.secure_cookies));
        tracing::info!(account_id = %account.id, "signed in");
        auth::sign_in_as(
            ctx,
            auth::Session {
                account: account.clone(),
                unit,
            },
        );
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
        .or_api(ctx)?;
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
        auth::sign_in_as(
            ctx,
            auth::Session {
                account: account.clone(),
                unit,
            },
        );
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
            app::sessions::end(db, &tokens::digest(&presented))
                .await
                .or_api(ctx)?;
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
        let changed = app::sessions::change_own_password(
            db,
            &session.actor(),
            &session.account.username,
            &input.current_password,
            &input.new_password,
            config.login_backoff,
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
        auth::sign_in_as(
            ctx,
            auth::Session {
                account: account.clone(),
                unit: session.unit,
            },
        );
        Ok(ChangePasswordPayload {
            access_token: Some(token),
            expires_at: Some(expires_at),
            account: Some(Account(account)),
            user_errors: Vec::new(),
        })
    }
}
