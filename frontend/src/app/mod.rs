//! The routes, and which screen a route shows to whom.

mod accounts;
mod login;
mod my_account;
mod not_found;
mod units;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::{ChangePasswordForm, ErrorBox, Frame, InsecureNotice, Loading};
use crate::hooks::{SessionProvider, Status, use_session, use_title};

/// Every screen's address. Paths are Vietnamese without diacritics, as officers read them.
#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/don-vi/:code")]
    Unit { code: String },
    #[at("/don-vi/:code/tai-khoan")]
    UnitAccounts { code: String },
    #[at("/tai-khoan")]
    Accounts,
    #[at("/ca-nhan")]
    MyAccount,
    #[not_found]
    #[at("/khong-tim-thay")]
    NotFound,
}

#[function_component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <InsecureNotice />
            <SessionProvider>
                <Shell />
            </SessionProvider>
        </BrowserRouter>
    }
}

/// Signed out: the sign-in screen at any address (so a deep link works after signing in);
/// signed in: the frame and the route's page.
#[function_component]
fn Shell() -> Html {
    let session = use_session();
    match session.status() {
        Status::Checking => html! {
            <main class="container"><Loading text="Đang kiểm tra phiên đăng nhập…" /></main>
        },
        Status::Unreachable(error) => {
            let error = error.clone();
            let retry = Callback::from(move |()| session.retry());
            html! {
                <main class="container"><ErrorBox {error} on_retry={retry} /></main>
            }
        }
        Status::SignedOut { notice } => html! { <login::Login notice={notice.clone()} /> },
        Status::SignedIn(s) if s.account.must_change_password => html! {
            <Frame bare=true><ForcedPasswordChange /></Frame>
        },
        Status::SignedIn(s) => {
            let home = s.account.unit.code.clone();
            html! {
                <Frame>
                    <Switch<Route> render={move |route| switch(route, &home)} />
                </Frame>
            }
        }
    }
}

/// The only screen an account with a one-time password gets until it sets its own.
#[function_component]
fn ForcedPasswordChange() -> Html {
    use_title("Đổi mật khẩu");
    html! {
        <section class="narrow">
            <h1>{ "Đổi mật khẩu" }</h1>
            <p>
                { "Bạn đang dùng mật khẩu dùng một lần do quản trị cấp. \
                   Hãy đặt mật khẩu mới của riêng bạn để tiếp tục." }
            </p>
            <ChangePasswordForm current_label="Mật khẩu dùng một lần" />
        </section>
    }
}

fn switch(route: Route, home: &str) -> Html {
    match route {
        Route::Home => html! { <Redirect<Route> to={Route::Unit { code: home.to_owned() }} /> },
        Route::Unit { code } => html! { <units::Units {code} /> },
        Route::UnitAccounts { code } => html! { <accounts::Accounts code={Some(code)} /> },
        Route::Accounts => html! { <accounts::Accounts code={None::<String>} /> },
        Route::MyAccount => html! { <my_account::MyAccount /> },
        Route::NotFound => html! { <not_found::NotFound /> },
    }
}
