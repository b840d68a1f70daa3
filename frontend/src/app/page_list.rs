//! The pages of the officer's subtree, narrowed by status, naming and staffing, and
//! searched; and the admins' queue of reported pages to verify or return.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::components::{Confirm, Empty, ErrorBox, Loading, More};
use crate::hooks::{Listing, use_fetch, use_list, use_session, use_title};
use crate::services::Slice;
use crate::services::pages::{self as service, Filters, PageRow, Saved, Step};
use crate::text::format_datetime;

#[function_component]
pub fn Pages() -> Html {
    use_title("Trang cộng đồng");
    let session = use_session();
    let filters = use_state(Filters::default);
    let search = use_state(String::new);
    let query = Filters {
        search: Some(search.trim().to_owned()).filter(|s| !s.is_empty()),
        ..(*filters).clone()
    };
    let list = {
        let client = session.client();
        use_list(
            query.clone(),
            (*search).clone(),
            move |query: Filters, after| {
                let client = client.clone();
                async move { service::list(&client, &query, after).await }
            },
        )
    };
    // The filter's choices are the API's; until they come, "Tất cả" alone.
    let statuses = {
        let client = session.client();
        use_fetch(
            (),
            move |()| async move { service::statuses(&client).await },
        )
    };
    let onstatus = {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            filters.set(Filters {
                status: Some(value).filter(|v| !v.is_empty()),
                ..(*filters).clone()
            });
        })
    };
    let onconforms = {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            filters.set(Filters {
                conforms: match value.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
                ..(*filters).clone()
            });
        })
    };
    let onstaffing = {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            filters.set(Filters {
                incomplete: checked,
                ..(*filters).clone()
            });
        })
    };
    let onsearch = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| {
            search.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let choices = statuses.for_key(&()).and_then(|r| r.as_ref().ok());
    let statuses = choices.into_iter().flatten().map(|s| {
        let selected = filters.status.as_ref() == Some(&s.status);
        html! { <option value={s.status.clone()} {selected}>{ &s.label }</option> }
    });
    let body = match (list.loaded().filter(|(q, _)| **q == query), list.error()) {
        (_, Some(error)) => html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> },
        (Some((_, slice)), None) => html! {
            <>
                { page_table(slice, None) }
                if slice.next().is_some() {
                    <More shown={slice.shown()} total={slice.total} busy={list.loading_more()}
                        on_more={list.more()} />
                }
            </>
        },
        (None, None) => html! { <Loading text="Đang tải danh sách trang…" /> },
    };
    html! {
        <section class="pages">
            <h1>{ "Trang cộng đồng" }</h1>
            <form class="filters" role="search" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <label for="page-search">
                    { "Tìm theo tên hoặc đường dẫn" }
                    <input id="page-search" type="search" value={(*search).clone()} oninput={onsearch}
                        aria-busy={list.loading().then_some("true")} />
                </label>
                <label for="page-status">
                    { "Trạng thái" }
                    <select id="page-status" onchange={onstatus}>
                        <option value="" selected={filters.status.is_none()}>{ "Tất cả" }</option>
                        { for statuses }
                    </select>
                </label>
                <label for="page-conforms">
                    { "Tên trang" }
                    <select id="page-conforms" onchange={onconforms}>
                        <option value="" selected={filters.conforms.is_none()}>{ "Tất cả" }</option>
                        <option value="yes" selected={filters.conforms == Some(true)}>{ "Đúng quy định" }</option>
                        <option value="no" selected={filters.conforms == Some(false)}>{ "Chưa đúng quy định" }</option>
                    </select>
                </label>
                <label for="page-staffing">
                    <input id="page-staffing" type="checkbox" role="switch"
                        checked={filters.incomplete} onchange={onstaffing} />
                    { "Chỉ trang thiếu nhân sự" }
                </label>
            </form>
            { body }
        </section>
    }
}

/// The pages of a slice; `actions`, in the queue, renders each row's buttons.
fn page_table(slice: &Slice<PageRow>, actions: Option<&dyn Fn(&PageRow) -> Html>) -> Html {
    if slice.items.is_empty() {
        let text = if actions.is_some() {
            "Không có trang nào chờ xác nhận."
        } else {
            "Không có trang nào."
        };
        return html! { <Empty {text} /> };
    }
    let rows = slice.items.iter().map(|page| {
        html! {
            <tr key={page.id.clone()}>
                <td>
                    <Link<Route> to={Route::Page { id: page.id.clone() }}>{ &page.name }</Link<Route>>
                    if let Some(url) = &page.url {
                        <br /><small><a href={url.clone()} target="_blank" rel="noopener noreferrer">{ url }</a></small>
                    }
                </td>
                <td>{ &page.unit.full_name }</td>
                <td class="page-status">{ &page.status_label }</td>
                <td>{ if page.conforms { "Đúng" } else { "Chưa đúng" } }</td>
                <td>{ if page.staffing_complete { "Đủ" } else { "Thiếu" } }</td>
                if let Some(actions) = actions {
                    <td>{ page.reported_at.as_deref().map(format_datetime).unwrap_or_default() }</td>
                    <td class="row-actions">{ actions(page) }</td>
                }
            </tr>
        }
    });
    html! {
        <>
            <p><small>{ format!("{} trang", slice.total) }</small></p>
            <div class="overflow-auto">
                <table class="striped page-list">
                    <thead>
                        <tr>
                            <th scope="col">{ "Trang" }</th>
                            <th scope="col">{ "Đơn vị" }</th>
                            <th scope="col">{ "Trạng thái" }</th>
                            <th scope="col">{ "Tên" }</th>
                            <th scope="col">{ "Nhân sự" }</th>
                            if actions.is_some() {
                                <th scope="col">{ "Báo cáo lúc" }</th>
                                <th scope="col">{ "Thao tác" }</th>
                            }
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </>
    }
}

/// The admins' queue: each reported page with "Xác nhận" and "Trả lại" (with a reason).
#[function_component]
pub fn Verification() -> Html {
    use_title("Trang chờ xác nhận");
    let session = use_session();
    let list = {
        let client = session.client();
        use_list((), String::new(), move |(), after| {
            let client = client.clone();
            async move { service::awaiting(&client, after).await }
        })
    };
    let asking = use_state(|| None::<(Step, PageRow)>);
    let notice = use_state(|| None::<(bool, String)>);
    let cancel = {
        let asking = asking.clone();
        Callback::from(move |()| asking.set(None))
    };
    let take = {
        let (asking, notice, client, list) = (
            asking.clone(),
            notice.clone(),
            session.client(),
            list.clone(),
        );
        Callback::from(
            move |(step, page, reason): (Step, PageRow, Option<String>)| {
                asking.set(None);
                let (notice, client, list) = (notice.clone(), client.clone(), list.clone());
                spawn_local(async move {
                    let result = service::take(&client, step, &page.id, reason).await;
                    notice.set(Some(match result {
                        Ok(Saved::Done(id)) => {
                            list.edit(move |slice: &mut Slice<PageRow>| {
                                slice.items.retain(|p| p.id != id);
                                slice.total -= 1;
                            });
                            let done = if step == Step::Verify {
                                "Đã xác nhận"
                            } else {
                                "Đã trả lại"
                            };
                            (true, format!("{done} trang “{}”.", page.name))
                        }
                        Ok(Saved::Refused(errors)) => (false, errors.general(&[]).join(" ")),
                        Err(error) => (false, error.to_string()),
                    }));
                });
            },
        )
    };
    let dialog = (*asking).clone().map(|(step, page)| {
        let (take, with_reason) = (take.clone(), take.clone());
        let question = format!(
            "{} trang “{}” của {}?",
            step.label(),
            page.name,
            page.unit.full_name
        );
        let on_reason = (step == Step::Return).then(|| {
            let page = page.clone();
            Callback::from(move |reason| with_reason.emit((step, page.clone(), Some(reason))))
        });
        html! {
            <Confirm {question} confirm_label={step.label()} on_cancel={cancel.clone()} {on_reason}
                on_confirm={Callback::from(move |()| take.emit((step, page.clone(), None)))} />
        }
    });
    let actions = |page: &PageRow| {
        let ask = |step: Step| {
            let (asking, page) = (asking.clone(), page.clone());
            Callback::from(move |_: MouseEvent| asking.set(Some((step, page.clone()))))
        };
        html! {
            <>
                if page.can_verify {
                    <button type="button" class="verify" onclick={ask(Step::Verify)}>{ "Xác nhận" }</button>
                }
                if page.can_return {
                    <button type="button" class="secondary return" onclick={ask(Step::Return)}>{ "Trả lại" }</button>
                }
            </>
        }
    };
    let body = match (list.loaded(), list.error()) {
        (_, Some(error)) => html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> },
        (Some(((), slice)), None) => html! {
            <>
                { page_table(slice, Some(&actions)) }
                if slice.next().is_some() {
                    <More shown={slice.shown()} total={slice.total} busy={list.loading_more()}
                        on_more={list.more()} />
                }
            </>
        },
        (None, None) => html! { <Loading text="Đang tải trang chờ xác nhận…" /> },
    };
    html! {
        <section class="verification">
            <h1>{ "Trang chờ xác nhận" }</h1>
            <p>{ "Trang do các đơn vị cấp dưới báo cáo, cũ nhất trước." }</p>
            if let Some((ok, text)) = &*notice {
                <p class={classes!("notice", if *ok { "success" } else { "error" })}
                    role={if *ok { "status" } else { "alert" }}>{ text }</p>
            }
            { for dialog }
            { body }
        </section>
    }
}
