//! The app: signed out, the sign-in screen; signed in, the frame and the route's screen.

mod accounts;
mod audit;
mod campaigns;
mod dashboard;
mod login;
mod my_account;
mod not_found;
mod outreach;
mod page;
mod page_form;
mod page_list;
mod poster;
mod posts;
mod rankings;
mod reports;
mod reviews;
mod routes;
mod shares;
mod staff;
mod stats;
mod units;

pub use routes::Route;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::{ChangePasswordForm, ErrorBox, Frame, InsecureNotice, Loading};
use crate::hooks::{SessionProvider, Status, use_session, use_title};
use routes::switch;

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
/// signed in: the frame and the route's screen.
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
