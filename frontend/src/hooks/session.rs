//! The signed-in session, provided through context (`use_session()`), never stored: the
//! access token lives in memory only, and a reload gets a new one from the httpOnly refresh
//! cookie. The token is renewed silently a little before it expires. Once signed in, it
//! also holds what the officer may do at their own unit, as the API says (the navigation
//! offers only what is allowed).

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::Cancelled;
use crate::error::Error;
use crate::models::{Account, UnitPermissions};
use crate::services::Client;
use crate::services::session::{self as service, Outcome, Session};
use crate::services::units as unit_service;
use crate::text;

/// How long before expiry the token is renewed.
const RENEW_AHEAD_MS: f64 = 60_000.0;
/// Never renew sooner than this (a clock off by minutes must not cause a request storm).
const MIN_DELAY_MS: f64 = 5_000.0;
/// Longest delay a browser timer takes (2^31 − 1 ms).
const MAX_DELAY_MS: f64 = 2_147_483_647.0;
/// After a failed renewal (network), wait this long before trying again.
const RETRY_MS: u32 = 15_000;

/// Milliseconds to wait before renewing a token that expires at `expires_at_ms`: a minute
/// ahead, or halfway through when the token lives shorter than two minutes.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "clamped to 0..=u32::MAX first"
)]
pub fn refresh_delay_ms(expires_at_ms: f64, now_ms: f64) -> u32 {
    let remaining = expires_at_ms - now_ms;
    let delay = if remaining > 2.0 * RENEW_AHEAD_MS {
        remaining - RENEW_AHEAD_MS
    } else {
        remaining / 2.0
    };
    delay.clamp(MIN_DELAY_MS, MAX_DELAY_MS) as u32
}

/// Where the session stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Asking the server whether the refresh cookie still holds a session.
    Checking,
    /// The server could not be reached (or failed) while checking.
    Unreachable(Error),
    /// Signed out; `notice` says why when it was not the officer's own doing.
    SignedOut {
        notice: Option<String>,
    },
    SignedIn(Session),
}

pub enum Action {
    Check,
    Resolve(Status),
    /// A renewed token; ignored if the officer signed out meanwhile.
    Renewed(Session),
}

impl Reducible for Status {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Check => Rc::new(Self::Checking),
            Action::Resolve(status) => Rc::new(status),
            Action::Renewed(session) => match *self {
                Self::SignedIn(_) => Rc::new(Self::SignedIn(session)),
                _ => self,
            },
        }
    }
}

/// The session as pages see it.
#[derive(Clone, PartialEq)]
pub struct SessionHandle {
    status: UseReducerHandle<Status>,
    own_unit_can: UseStateHandle<Option<UnitPermissions>>,
}

impl SessionHandle {
    pub fn status(&self) -> &Status {
        &self.status
    }

    pub fn account(&self) -> Option<&Account> {
        match &*self.status {
            Status::SignedIn(session) => Some(&session.account),
            _ => None,
        }
    }

    /// What the officer may do at their own unit; `None` until the API has said.
    pub fn own_unit_can(&self) -> Option<&UnitPermissions> {
        self.own_unit_can.as_ref()
    }

    /// A client that sends this session's token and signs out when the server no longer
    /// accepts it.
    pub fn client(&self) -> Client {
        let token = match &*self.status {
            Status::SignedIn(session) => Some(session.token.clone()),
            _ => None,
        };
        let status = self.status.clone();
        Client::new(
            token,
            Callback::from(move |()| {
                status.dispatch(Action::Resolve(Status::SignedOut {
                    notice: Some(Error::Unauthenticated.to_string()),
                }));
            }),
        )
    }

    pub fn signed_in(&self, session: Session) {
        self.status
            .dispatch(Action::Resolve(Status::SignedIn(session)));
    }

    pub fn signed_out(&self, notice: Option<String>) {
        self.status
            .dispatch(Action::Resolve(Status::SignedOut { notice }));
    }

    /// Asks the server again (after it was unreachable).
    pub fn retry(&self) {
        self.status.dispatch(Action::Check);
    }
}

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    pub children: Html,
}

/// Restores the session on load and keeps it renewed.
#[function_component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let status = use_reducer(|| Status::Checking);
    let own_unit_can = use_state(|| None::<UnitPermissions>);

    let checking = *status == Status::Checking;
    {
        let status = status.clone();
        use_effect_with(checking, move |checking| {
            if *checking {
                spawn_local(async move {
                    let client = Client::new(None, Callback::noop());
                    let next = match service::refresh_session(&client).await {
                        Ok(Outcome::SignedIn(session)) => Status::SignedIn(session),
                        Ok(Outcome::Refused { .. }) | Err(Error::Unauthenticated) => {
                            Status::SignedOut { notice: None }
                        }
                        Err(error) => Status::Unreachable(error),
                    };
                    status.dispatch(Action::Resolve(next));
                });
            }
        });
    }

    let expires_at = match &*status {
        Status::SignedIn(session) => Some(session.expires_at.clone()),
        _ => None,
    };
    {
        let status = status.clone();
        use_effect_with(expires_at, move |expires_at| {
            let cancelled = Cancelled::default();
            let timer = expires_at
                .as_deref()
                .and_then(text::parse_rfc3339)
                .map(|secs| {
                    #[expect(clippy::cast_precision_loss, reason = "seconds fit in f64")]
                    let expires_ms = secs as f64 * 1000.0;
                    let delay = refresh_delay_ms(expires_ms, js_sys::Date::now());
                    let cancelled = cancelled.clone();
                    Timeout::new(delay, move || spawn_local(renew(status, cancelled)))
                });
            move || {
                cancelled.cancel();
                drop(timer);
            }
        });
    }

    let handle = SessionHandle {
        status: status.clone(),
        own_unit_can,
    };
    // Asked with the new access token: the sign-in and renewal answers come before it.
    let viewer = match &*status {
        Status::SignedIn(session) if !session.account.must_change_password => {
            Some(session.account.clone())
        }
        _ => None,
    };
    {
        let (can, client) = (handle.own_unit_can.clone(), handle.client());
        use_effect_with(viewer, move |viewer| {
            let cancelled = Cancelled::default();
            match viewer {
                None => can.set(None),
                Some(account) => {
                    let (code, cancelled) = (account.unit.code.clone(), cancelled.clone());
                    spawn_local(async move {
                        let result = unit_service::unit(&client, &code).await;
                        if let (Ok((_, permissions)), false) = (result, cancelled.get()) {
                            can.set(Some(permissions));
                        }
                    });
                }
            }
            move || cancelled.cancel()
        });
    }

    html! {
        <ContextProvider<SessionHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<SessionHandle>>
    }
}

/// Renews the token from the refresh cookie, retrying while the network is down, until it
/// works, the server says the session is over, or the officer signs out (`cancelled`).
async fn renew(status: UseReducerHandle<Status>, cancelled: Cancelled) {
    let client = Client::new(None, Callback::noop());
    loop {
        if cancelled.get() {
            return;
        }
        let result = service::refresh_session(&client).await;
        if cancelled.get() {
            return;
        }
        match result {
            Ok(Outcome::SignedIn(session)) => {
                status.dispatch(Action::Renewed(session));
                return;
            }
            Ok(Outcome::Refused { .. }) | Err(Error::Unauthenticated) => {
                status.dispatch(Action::Resolve(Status::SignedOut {
                    notice: Some(Error::Unauthenticated.to_string()),
                }));
                return;
            }
            Err(_) => gloo_timers::future::TimeoutFuture::new(RETRY_MS).await,
        }
    }
}

/// The current session. Must be used under [`SessionProvider`].
#[hook]
pub fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().expect("use_session() outside <SessionProvider>")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_800_000_000_000.0;

    #[test]
    fn a_fifteen_minute_token_is_renewed_a_minute_early() {
        assert_eq!(refresh_delay_ms(NOW + 15.0 * 60_000.0, NOW), 14 * 60_000);
    }

    #[test]
    fn a_short_token_is_renewed_halfway() {
        assert_eq!(refresh_delay_ms(NOW + 90_000.0, NOW), 45_000);
    }

    #[test]
    fn an_expired_or_skewed_token_waits_a_little_not_zero() {
        assert_eq!(refresh_delay_ms(NOW - 60_000.0, NOW), 5_000);
        assert_eq!(refresh_delay_ms(NOW + 1_000.0, NOW), 5_000);
    }

    #[test]
    fn a_very_long_token_fits_a_browser_timer() {
        assert_eq!(refresh_delay_ms(NOW + 1e12, NOW), 2_147_483_647);
    }
}
