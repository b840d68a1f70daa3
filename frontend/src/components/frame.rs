//! The frame around every signed-in screen: who is signed in, for which committee, and the
//! navigation, laid out for a 360-px phone as well as a desktop.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::use_session;
use crate::models::Role;
use crate::services::session as service;

#[derive(Properties, PartialEq)]
pub struct FrameProps {
    pub children: Html,
    /// Hide the navigation (while a password change is forced).
    #[prop_or_default]
    pub bare: bool,
}

#[function_component]
pub fn Frame(props: &FrameProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let route = use_route::<Route>();
    let Some(account) = session.account().cloned() else {
        return html! {};
    };

    let logout = {
        let session = session.clone();
        Callback::from(move |_| {
            let session = session.clone();
            let navigator = navigator.clone();
            spawn_local(async move {
                // Signed out locally whatever the server says: the cookie is httpOnly, so
                // only the server can clear it, and an unreachable server must not keep
                // the officer signed in on a shared computer.
                let _ = service::logout(&session.client()).await;
                if let Some(navigator) = navigator {
                    navigator.push(&Route::Home);
                }
                session.signed_out(None);
            });
        })
    };

    let home = account.unit.code.clone();
    let committee = account.unit.committee_name.clone();
    let current = |is: bool| is.then_some("page");
    let reads_accounts = session.own_unit_can().is_some_and(|can| can.read_accounts);
    let on_units = matches!(
        route,
        Some(Route::Unit { .. } | Route::UnitPeople { .. } | Route::CreatePage { .. })
    );
    let on_accounts = matches!(route, Some(Route::Accounts | Route::UnitAccounts { .. }));
    let on_me = matches!(route, Some(Route::MyAccount));
    let on_dashboard = matches!(route, Some(Route::Home | Route::Dashboard { .. }));
    let on_reports = matches!(
        route,
        Some(Route::Rounds | Route::Round { .. } | Route::Report { .. })
    );
    let reads_audit = session.own_unit_can().is_some_and(|can| can.read_audit);
    let on_audit = matches!(route, Some(Route::Audit | Route::UnitAudit { .. }));
    let on_pages = matches!(
        route,
        Some(
            Route::Pages
                | Route::Page { .. }
                | Route::EditPage { .. }
                | Route::Poster { .. }
                | Route::PageStats { .. }
        )
    );
    let on_rankings = matches!(route, Some(Route::Rankings | Route::RankingsOf { .. }));
    let on_reviews = matches!(route, Some(Route::Reviews | Route::ReviewPage { .. }));
    let on_outreach = matches!(route, Some(Route::Outreach));
    let on_queue = matches!(route, Some(Route::Verification));
    let on_campaigns = matches!(route, Some(Route::Campaigns | Route::Campaign { .. }));
    let on_posts = matches!(route, Some(Route::Posts));
    let on_shares = matches!(route, Some(Route::Shares | Route::ShareRequest { .. }));
    // The queue is empty for other roles; the API decides what is in it.
    let verifies = account.role == Role::Admin;
    let nav = (!props.bare).then(|| {
        html! {
            <ul class="nav-links">
                <li>
                    <Link<Route> to={Route::Home}>
                        <span aria-current={current(on_dashboard)}>{ "Tổng quan" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Unit { code: home.clone() }}>
                        <span aria-current={current(on_units)}>{ "Đơn vị" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Pages}>
                        <span aria-current={current(on_pages)}>{ "Trang" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Rounds}>
                        <span aria-current={current(on_reports)}>{ "Báo cáo" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Campaigns}>
                        <span aria-current={current(on_campaigns)}>{ "Đợt tuyên truyền" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Posts}>
                        <span aria-current={current(on_posts)}>{ "Bài viết" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Shares}>
                        <span aria-current={current(on_shares)}>{ "Chia sẻ" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Rankings}>
                        <span aria-current={current(on_rankings)}>{ "Xếp hạng" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Reviews}>
                        <span aria-current={current(on_reviews)}>{ "Đánh giá" }</span>
                    </Link<Route>>
                </li>
                <li>
                    <Link<Route> to={Route::Outreach}>
                        <span aria-current={current(on_outreach)}>{ "Giới thiệu trang" }</span>
                    </Link<Route>>
                </li>
                if verifies {
                    <li>
                        <Link<Route> to={Route::Verification}>
                            <span aria-current={current(on_queue)}>{ "Xác nhận" }</span>
                        </Link<Route>>
                    </li>
                }
                if reads_accounts {
                    <li>
                        <Link<Route> to={Route::Accounts}>
                            <span aria-current={current(on_accounts)}>{ "Tài khoản" }</span>
                        </Link<Route>>
                    </li>
                }
                if reads_audit {
                    <li>
                        <Link<Route> to={Route::Audit}>
                            <span aria-current={current(on_audit)}>{ "Nhật ký" }</span>
                        </Link<Route>>
                    </li>
                }
                <li>
                    <Link<Route> to={Route::MyAccount}>
                        <span aria-current={current(on_me)}>{ "Cá nhân" }</span>
                    </Link<Route>>
                </li>
            </ul>
        }
    });

    html! {
        <>
            <header class="site-header">
                <nav class="container" aria-label="Điều hướng chính">
                    <ul>
                        <li class="brand"><strong>{ "Trang Cộng Đồng" }</strong></li>
                    </ul>
                    { for nav }
                    <ul>
                        <li>
                            <button type="button" class="outline secondary logout" onclick={logout}>
                                { "Đăng xuất" }
                            </button>
                        </li>
                    </ul>
                </nav>
                <div class="container officer">
                    <strong class="officer-name">{ &account.display_name }</strong>
                    <span class="officer-role">{ account.role.label() }</span>
                    // Demo and shared accounts are often named after the committee itself.
                    if account.display_name != committee {
                        <span class="officer-unit">{ committee }</span>
                    }
                </div>
            </header>
            <main class="container">{ props.children.clone() }</main>
        </>
    }
}
