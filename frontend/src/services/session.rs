//! Signing in and out, renewing the session, changing one's password.

use std::rc::Rc;

use super::Client;
use super::ops::{
    ChangePassword, Login, Logout, RefreshSession, change_password, login, logout, refresh_session,
};
use crate::error::Error;
use crate::models::{Account, FieldErrors, UserError};

/// A signed-in session: the access token (kept in memory only) and whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub token: Rc<str>,
    /// When the token stops working (RFC 3339).
    pub expires_at: String,
    pub account: Account,
}

/// The answer to a sign-in, a renewal or a password change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    SignedIn(Session),
    /// Refused, with the reasons to show; `retry_at` when the account is locked for a while.
    Refused {
        errors: FieldErrors,
        retry_at: Option<String>,
    },
}

fn outcome(
    token: Option<String>,
    expires_at: Option<String>,
    account: Option<Account>,
    errors: Vec<UserError>,
    retry_at: Option<String>,
) -> Outcome {
    match (token, expires_at, account) {
        (Some(token), Some(expires_at), Some(account)) if errors.is_empty() => {
            Outcome::SignedIn(Session {
                token: token.into(),
                expires_at,
                account,
            })
        }
        _ => Outcome::Refused {
            errors: FieldErrors(errors),
            retry_at,
        },
    }
}

pub async fn login(client: &Client, username: &str, password: &str) -> Result<Outcome, Error> {
    let data = client
        .execute::<Login>(login::Variables {
            input: login::LoginInput {
                username: username.to_owned(),
                password: password.to_owned(),
            },
        })
        .await?;
    let p = data.login;
    Ok(outcome(
        p.access_token,
        p.expires_at,
        p.account.map(Account::from),
        p.user_errors.into_iter().map(UserError::from).collect(),
        p.retry_at,
    ))
}

/// Renews the session from the refresh cookie; `Refused` when there is no valid cookie.
pub async fn refresh_session(client: &Client) -> Result<Outcome, Error> {
    let data = client
        .execute::<RefreshSession>(refresh_session::Variables {})
        .await?;
    let p = data.refresh_session;
    Ok(outcome(
        p.access_token,
        p.expires_at,
        p.account.map(Account::from),
        p.user_errors.into_iter().map(UserError::from).collect(),
        p.retry_at,
    ))
}

/// Ends the session on the server, which clears the refresh cookie.
pub async fn logout(client: &Client) -> Result<(), Error> {
    client
        .execute::<Logout>(logout::Variables {})
        .await
        .map(drop)
}

pub async fn change_password(
    client: &Client,
    current_password: &str,
    new_password: &str,
) -> Result<Outcome, Error> {
    let data = client
        .execute::<ChangePassword>(change_password::Variables {
            input: change_password::ChangePasswordInput {
                current_password: current_password.to_owned(),
                new_password: new_password.to_owned(),
            },
        })
        .await?;
    let p = data.change_password;
    Ok(outcome(
        p.access_token,
        p.expires_at,
        p.account.map(Account::from),
        p.user_errors.into_iter().map(UserError::from).collect(),
        None,
    ))
}
