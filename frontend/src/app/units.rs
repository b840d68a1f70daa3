//! A unit and the units directly under it, each a link one level down; the search box
//! searches the unit's whole subtree and shows where each hit sits.

use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::components::{Breadcrumbs, Empty, ErrorBox, Loading, More};
use crate::hooks::{Listing, use_list, use_session, use_title};
use crate::models::Level;
use crate::services::units::{self as service, UnitListing};

#[derive(Properties, PartialEq)]
pub struct UnitsProps {
    pub code: String,
}

/// What the list is of: a unit's code, and the search typed, if any.
type Query = (String, Option<String>);

#[function_component]
pub fn Units(props: &UnitsProps) -> Html {
    let session = use_session();
    let search = use_state(String::new);
    let query: Query = {
        let trimmed = search.trim();
        (
            props.code.clone(),
            (!trimmed.is_empty()).then(|| trimmed.to_owned()),
        )
    };
    let list = {
        let client = session.client();
        use_list(
            query,
            (*search).clone(),
            move |(code, search): Query, after| {
                let client = client.clone();
                async move { service::listing(&client, &code, search.as_deref(), after).await }
            },
        )
    };
    // What is shown is of this unit (another unit's answer may still be on screen).
    let listing = list
        .loaded()
        .filter(|(query, _)| query.0 == props.code)
        .map(|(_, listing)| listing);
    let title = listing.map_or_else(|| "Đơn vị".to_owned(), |l| l.unit.full_name.clone());
    use_title(&title);

    // A different unit: forget the search typed for the previous one.
    {
        let search = search.clone();
        use_effect_with(props.code.clone(), move |_| search.set(String::new()));
    }

    let Some(account) = session.account().cloned() else {
        return html! {};
    };

    let oninput = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| {
            search.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let reload = list.reload();

    let listing = match (listing, list.error()) {
        (Some(listing), _) => listing,
        (None, Some(error)) => {
            return html! {
                <>
                    <ErrorBox error={error.clone()} on_retry={reload} />
                    <Link<Route> to={Route::Unit { code: account.unit.code.clone() }}>
                        { "Về đơn vị của bạn" }
                    </Link<Route>>
                </>
            };
        }
        (None, None) => return html! { <Loading text="Đang tải đơn vị…" /> },
    };

    let mut trail = listing.ancestors.clone();
    trail.push(listing.unit.clone());
    let unit = &listing.unit;
    let searching = !search.trim().is_empty();
    let is_commune = unit.level == Level::Commune;
    let total = listing.total();
    let heading = match &listing.search {
        Some(_) => format!("Kết quả tìm kiếm ({total})"),
        None => format!("Đơn vị trực thuộc ({total})"),
    };
    html! {
        <section class="unit-page">
            <Breadcrumbs trail={trail} home_code={account.unit.code.clone()} />
            <hgroup>
                <h1>{ &unit.committee_name }</h1>
                <p>{ format!("{} · mã {} · cấp {}", unit.full_name, unit.code, unit.level.label().to_lowercase()) }</p>
            </hgroup>
            { page_status(listing) }
            <p>
                <Link<Route> to={Route::UnitPeople { code: unit.code.clone() }} classes="secondary">
                    { "Cán bộ của đơn vị" }
                </Link<Route>>
            </p>
            if listing.viewer_can.read_accounts {
                <p>
                    <Link<Route> to={Route::UnitAccounts { code: unit.code.clone() }} classes="secondary">
                        { "Tài khoản của đơn vị" }
                    </Link<Route>>
                </p>
            }
            if listing.viewer_can.read_audit {
                <p>
                    <Link<Route> to={Route::UnitAudit { code: unit.code.clone() }} classes="secondary">
                        { "Nhật ký thay đổi của đơn vị" }
                    </Link<Route>>
                </p>
            }
            if !is_commune || searching || !listing.children.items.is_empty() {
                <h2>{ heading }</h2>
                <form role="search" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                    <label for="unit-search" class="visually-hidden">{ "Tìm đơn vị ở mọi cấp trực thuộc" }</label>
                    <input id="unit-search" type="search" placeholder="Tìm đơn vị theo tên hoặc mã"
                        value={(*search).clone()} {oninput} aria-busy={list.loading().then_some("true")}
                        aria-describedby="unit-search-help" />
                </form>
                <p class="search-help" id="unit-search-help">
                    <small>
                        { format!("Tìm ở mọi cấp thuộc {}; gõ không dấu cũng được. Xóa ô tìm để xem lại các đơn vị trực thuộc.", unit.full_name) }
                    </small>
                </p>
                { unit_list(listing) }
                if let Some(error) = list.error() {
                    <ErrorBox error={error.clone()} on_retry={reload.clone()} />
                }
                if listing.next().is_some() {
                    <More shown={listing.shown()} {total} busy={list.loading_more()}
                        on_more={list.more()} />
                }
            } else {
                <Empty text="Cấp xã không có đơn vị trực thuộc." />
            }
        </section>
    }
}

/// The unit's page: its status and link, or that it has none (and "Tạo trang" for whom
/// may create it).
fn page_status(listing: &UnitListing) -> Html {
    let unit = &listing.unit;
    match &listing.page {
        Some(page) => html! {
            <p class="unit-page-status">
                { "Trang cộng đồng: " }
                <Link<Route> to={Route::Page { id: page.id.clone() }}>
                    <span class="page-status">{ &page.status_label }</span>
                </Link<Route>>
                if let Some(url) = &page.url {
                    { " · " }
                    <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ url }</a>
                }
            </p>
        },
        None => html! {
            <p class="unit-page-status">
                <span class="page-status none">{ "Chưa có trang" }</span>
                if listing.viewer_can.write {
                    { " " }
                    <Link<Route> to={Route::CreatePage { code: unit.code.clone() }} classes="create-page">
                        { "Tạo trang" }
                    </Link<Route>>
                }
            </p>
        },
    }
}

/// The children of the unit, or the search hits with where each sits.
fn unit_list(listing: &UnitListing) -> Html {
    let unit = &listing.unit;
    if listing.children.items.is_empty() {
        let text = match &listing.search {
            Some(search) => format!(
                "Không có đơn vị nào thuộc {} khớp với “{}”.",
                unit.full_name,
                search.trim()
            ),
            None => "Đơn vị này không có đơn vị trực thuộc.".to_owned(),
        };
        return html! { <Empty text={text} /> };
    }
    let searched = listing.search.is_some();
    let rows = listing.children.items.iter().map(|child| {
        let count = if child.children > 0 {
            format!("{} đơn vị", child.children)
        } else {
            "—".to_owned()
        };
        // A hit directly below the unit sits in the unit itself.
        let place = if child.between.is_empty() {
            unit.full_name.clone()
        } else {
            child
                .between
                .iter()
                .map(|u| u.full_name.as_str())
                .collect::<Vec<_>>()
                .join(" › ")
        };
        html! {
            <tr key={child.unit.code.clone()}>
                <td>
                    <Link<Route> to={Route::Unit { code: child.unit.code.clone() }}>
                        { &child.unit.full_name }
                    </Link<Route>>
                </td>
                if searched {
                    <td class="place">{ place }</td>
                }
                <td class="code">{ &child.unit.code }</td>
                <td class="count">{ count }</td>
                <td class="page-status">
                    if let Some(page) = &child.page {
                        <Link<Route> to={Route::Page { id: page.id.clone() }}>{ &page.status_label }</Link<Route>>
                    } else {
                        { "Chưa có trang" }
                    }
                </td>
            </tr>
        }
    });
    html! {
        <div class="overflow-auto">
            <table class={classes!("striped", "units", searched.then_some("hits"))}>
                <thead>
                    <tr>
                        <th scope="col">{ "Đơn vị" }</th>
                        if searched {
                            <th scope="col">{ "Thuộc" }</th>
                        }
                        <th scope="col">{ "Mã" }</th>
                        <th scope="col">{ "Trực thuộc" }</th>
                        <th scope="col">{ "Trang" }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

/// The unit stays; its children come one slice at a time.
impl Listing for UnitListing {
    fn next(&self) -> Option<String> {
        self.children.next()
    }

    fn total(&self) -> i64 {
        self.children.total()
    }

    fn shown(&self) -> usize {
        self.children.shown()
    }

    fn append(&mut self, more: Self) {
        self.children.append(more.children);
    }
}
