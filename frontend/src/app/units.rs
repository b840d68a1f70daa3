//! A unit and the units directly under it, each a link one level down; the search box
//! searches the unit's whole subtree and shows where each hit sits.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::components::{Breadcrumbs, Empty, ErrorBox, Loading};
use crate::error::Error;
use crate::hooks::{use_search_load, use_session, use_title};
use crate::models::{Level, Role};
use crate::services::units::{self as service, UnitPageData};

/// The page's state: the search text, what is loaded, and the "more" button's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitsState {
    pub search: String,
    pub page: Option<UnitPageData>,
    pub error: Option<Error>,
    pub loading: bool,
    pub loading_more: bool,
    /// Bumped to load again (after an error).
    pub reload: u32,
}

pub enum UnitsAction {
    Search(String),
    Started,
    Loaded(UnitPageData),
    Failed(Error),
    MoreStarted,
    MoreLoaded(UnitPageData),
    Reload,
}

impl Reducible for UnitsState {
    type Action = UnitsAction;

    fn reduce(self: Rc<Self>, action: UnitsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            UnitsAction::Search(text) => next.search = text,
            UnitsAction::Started => {
                next.loading = true;
                next.error = None;
            }
            UnitsAction::Loaded(page) => {
                next.loading = false;
                next.page = Some(page);
            }
            UnitsAction::Failed(error) => {
                next.loading = false;
                next.loading_more = false;
                next.error = Some(error);
            }
            UnitsAction::MoreStarted => {
                next.loading_more = true;
                next.error = None;
            }
            UnitsAction::MoreLoaded(more) => {
                next.loading_more = false;
                if let Some(page) = &mut next.page {
                    page.children.extend(more.children);
                    page.next = more.next;
                    page.total = more.total;
                }
            }
            UnitsAction::Reload => next.reload += 1,
        }
        Rc::new(next)
    }
}

#[derive(Properties, PartialEq)]
pub struct UnitsProps {
    pub code: String,
}

#[function_component]
pub fn Units(props: &UnitsProps) -> Html {
    let session = use_session();
    let state = use_reducer(UnitsState::default);
    let title = state
        .page
        .as_ref()
        .filter(|page| page.unit.code == props.code)
        .map_or_else(|| "Đơn vị".to_owned(), |page| page.unit.full_name.clone());
    use_title(&title);

    {
        let state = state.clone();
        let client = session.client();
        let deps = (props.code.clone(), state.search.clone(), state.reload);
        use_search_load(
            deps,
            state.search.clone(),
            move |(code, search, _), cancelled| {
                state.dispatch(UnitsAction::Started);
                spawn_local(async move {
                    let search = search.trim();
                    let search = (!search.is_empty()).then_some(search);
                    let result = service::unit_page(&client, &code, search, None).await;
                    if !cancelled.get() {
                        state.dispatch(match result {
                            Ok(page) => UnitsAction::Loaded(page),
                            Err(error) => UnitsAction::Failed(error),
                        });
                    }
                });
            },
        );
    }

    // A different unit: forget the search typed for the previous one.
    {
        let state = state.clone();
        use_effect_with(props.code.clone(), move |_| {
            state.dispatch(UnitsAction::Search(String::new()));
        });
    }

    let Some(account) = session.account().cloned() else {
        return html! {};
    };

    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            state.dispatch(UnitsAction::Search(value));
        })
    };
    let reload = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(UnitsAction::Reload))
    };
    let more = {
        let state = state.clone();
        let client = session.client();
        let code = props.code.clone();
        Callback::from(move |_| {
            let Some(page) = state.page.as_ref() else {
                return;
            };
            let Some(after) = page.next.clone() else {
                return;
            };
            // The next page of the list shown, whatever is being typed meanwhile.
            let search = page.search.clone();
            state.dispatch(UnitsAction::MoreStarted);
            let (state, client, code) = (state.clone(), client.clone(), code.clone());
            spawn_local(async move {
                match service::unit_page(&client, &code, search.as_deref(), Some(after)).await {
                    Ok(page) => state.dispatch(UnitsAction::MoreLoaded(page)),
                    Err(error) => state.dispatch(UnitsAction::Failed(error)),
                }
            });
        })
    };

    let page = match (&state.page, &state.error) {
        (Some(page), _) if page.unit.code == props.code => page,
        (_, Some(error)) => {
            return html! {
                <>
                    <ErrorBox error={error.clone()} on_retry={reload} />
                    <Link<Route> to={Route::Unit { code: account.unit.code.clone() }}>
                        { "Về đơn vị của bạn" }
                    </Link<Route>>
                </>
            };
        }
        _ => return html! { <Loading text="Đang tải đơn vị…" /> },
    };

    let mut trail = page.ancestors.clone();
    trail.push(page.unit.clone());
    let unit = &page.unit;
    let searching = !state.search.trim().is_empty();
    let is_commune = unit.level == Level::Commune;
    let heading = match &page.search {
        Some(_) => format!("Kết quả tìm kiếm ({})", page.total),
        None => format!("Đơn vị trực thuộc ({})", page.total),
    };
    let shown = page.children.len();
    html! {
        <section class="unit-page">
            <Breadcrumbs trail={trail} home_code={account.unit.code.clone()} />
            <hgroup>
                <h1>{ &unit.committee_name }</h1>
                <p>{ format!("{} · mã {} · cấp {}", unit.full_name, unit.code, unit.level.label().to_lowercase()) }</p>
            </hgroup>
            if account.role == Role::Admin {
                <p>
                    <Link<Route> to={Route::UnitAccounts { code: unit.code.clone() }} classes="secondary">
                        { "Tài khoản của đơn vị" }
                    </Link<Route>>
                </p>
            }
            if !is_commune || searching || !page.children.is_empty() {
                <h2>{ heading }</h2>
                <form role="search" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                    <label for="unit-search" class="visually-hidden">{ "Tìm đơn vị ở mọi cấp trực thuộc" }</label>
                    <input id="unit-search" type="search" placeholder="Tìm đơn vị theo tên hoặc mã"
                        value={state.search.clone()} {oninput} aria-busy={state.loading.then_some("true")}
                        aria-describedby="unit-search-help" />
                </form>
                <p class="search-help" id="unit-search-help">
                    <small>
                        { format!("Tìm ở mọi cấp thuộc {}; gõ không dấu cũng được. Xóa ô tìm để xem lại các đơn vị trực thuộc.", unit.full_name) }
                    </small>
                </p>
                { unit_list(page) }
                if let Some(error) = &state.error {
                    <ErrorBox error={error.clone()} on_retry={reload.clone()} />
                }
                if page.next.is_some() {
                    <p class="more">
                        <small>{ format!("Đang hiện {shown}/{}.", page.total) }</small>
                        <button type="button" class="secondary" onclick={more}
                            aria-busy={state.loading_more.then_some("true")} disabled={state.loading_more}>
                            { "Xem thêm" }
                        </button>
                    </p>
                }
            } else {
                <Empty text="Cấp xã không có đơn vị trực thuộc." />
            }
        </section>
    }
}

/// The children of the unit, or the search hits with where each sits.
fn unit_list(page: &UnitPageData) -> Html {
    let unit = &page.unit;
    if page.children.is_empty() {
        let text = match &page.search {
            Some(search) => format!(
                "Không có đơn vị nào thuộc {} khớp với “{}”.",
                unit.full_name,
                search.trim()
            ),
            None => "Đơn vị này không có đơn vị trực thuộc.".to_owned(),
        };
        return html! { <Empty text={text} /> };
    }
    let searched = page.search.is_some();
    let rows = page.children.iter().map(|child| {
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
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Unit;
    use crate::services::units::ChildUnit;

    fn page(codes: &[&str], next: Option<&str>) -> UnitPageData {
        let unit = |code: &str| Unit {
            code: code.to_owned(),
            full_name: format!("Xã {code}"),
            committee_name: format!("Ban Thường trực UBMTTQ xã {code}"),
            level: Level::Commune,
        };
        UnitPageData {
            unit: unit("518"),
            ancestors: vec![],
            children: codes
                .iter()
                .map(|c| ChildUnit {
                    unit: unit(c),
                    children: 0,
                    between: Vec::new(),
                })
                .collect(),
            total: 3,
            next: next.map(str::to_owned),
            search: None,
        }
    }

    #[test]
    fn more_appends_the_next_page_and_moves_the_cursor() {
        let state = Rc::new(UnitsState::default())
            .reduce(UnitsAction::Loaded(page(&["1", "2"], Some("c2"))))
            .reduce(UnitsAction::MoreStarted)
            .reduce(UnitsAction::MoreLoaded(page(&["3"], None)));
        let loaded = state.page.as_ref().expect("loaded");
        assert_eq!(loaded.children.len(), 3);
        assert_eq!(loaded.next, None);
        assert!(!state.loading_more);
    }

    #[test]
    fn a_failure_keeps_what_was_shown_and_stops_the_spinners() {
        let state = Rc::new(UnitsState::default())
            .reduce(UnitsAction::Loaded(page(&["1"], Some("c1"))))
            .reduce(UnitsAction::MoreStarted)
            .reduce(UnitsAction::Failed(Error::Network));
        assert!(state.page.is_some());
        assert_eq!(state.error, Some(Error::Network));
        assert!(!state.loading && !state.loading_more);
    }
}
