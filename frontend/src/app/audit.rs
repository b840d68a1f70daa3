//! The audit trail, for admins: what was changed in their subtree (or one unit's), newest
//! first, narrowed by area, by the account that acted and by dates typed day first.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::components::{Empty, ErrorBox, Loading, More};
use crate::hooks::{Listing, use_fetch, use_list, use_session, use_title};
use crate::models::{StatusOption, status_label};
use crate::services::Slice;
use crate::services::audit::{self as service, AuditQuery, AuditRow};
use crate::services::pages;
use crate::text::{format_datetime, vietnam_day_start};

/// The areas an admin narrows the trail to: the choice's label, and the action prefix.
const AREAS: [(&str, &str); 3] = [
    ("Trang", "page."),
    ("Cán bộ", "person."),
    ("Tài khoản", "account."),
];

#[derive(Properties, PartialEq)]
pub struct AuditProps {
    /// The unit whose subtree to show; the admin's own unit when `None`.
    pub code: Option<String>,
}

/// The filters as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Typed {
    area: String,
    username: String,
    from: String,
    to: String,
}

/// A day typed: blank (no bound), a bound, or not a day.
fn bound(text: &str, days_after: i64) -> Result<Option<String>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    vietnam_day_start(text, days_after).map(Some).ok_or(())
}

#[function_component]
pub fn AuditTrail(props: &AuditProps) -> Html {
    use_title("Nhật ký thay đổi");
    let session = use_session();
    let typed = use_state(Typed::default);
    // "Đến ngày" includes the day typed: the bound is the next day's start.
    let (from, to) = (bound(&typed.from, 0), bound(&typed.to, 1));
    let query = AuditQuery {
        unit_code: props.code.clone(),
        action: Some(typed.area.clone()).filter(|a| !a.is_empty()),
        actor_username: Some(typed.username.trim().to_owned()).filter(|u| !u.is_empty()),
        from: from.clone().unwrap_or_default(),
        to: to.clone().unwrap_or_default(),
    };
    let list = {
        let client = session.client();
        use_list(
            query.clone(),
            format!("{}{}{}", typed.username, typed.from, typed.to),
            move |query: AuditQuery, after| {
                let client = client.clone();
                async move { service::list(&client, &query, after).await }
            },
        )
    };
    // Status values are shown in the API's words once its list of statuses is in.
    let statuses = {
        let client = session.client();
        use_fetch((), move |()| async move { pages::statuses(&client).await })
    };
    let statuses: &[StatusOption] = match statuses.for_key(&()) {
        Some(Ok(statuses)) => statuses,
        _ => &[],
    };
    let set = |edit: fn(&mut Typed, String)| {
        let typed = typed.clone();
        move |value: String| {
            let mut next = (*typed).clone();
            edit(&mut next, value);
            typed.set(next);
        }
    };
    let onarea = {
        let set = set(|t, v| t.area = v);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let input = |edit: fn(&mut Typed, String)| {
        let set = set(edit);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let areas = AREAS.into_iter().map(|(label, prefix)| {
        html! { <option value={prefix} selected={typed.area == prefix}>{ label }</option> }
    });
    let invalid = |bound: &Result<Option<String>, ()>| bound.is_err().then_some("true");
    let body = match (list.loaded().filter(|(q, _)| **q == query), list.error()) {
        (_, Some(error)) => html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> },
        (Some((_, slice)), None) => html! {
            <>
                { event_table(slice, statuses) }
                if slice.next().is_some() {
                    <More shown={slice.shown()} total={slice.total} busy={list.loading_more()}
                        on_more={list.more()} />
                }
            </>
        },
        (None, None) => html! { <Loading text="Đang tải nhật ký…" /> },
    };
    html! {
        <section class="audit">
            <hgroup>
                <h1>{ "Nhật ký thay đổi" }</h1>
                <p>
                    if let Some(code) = &props.code {
                        { "Của đơn vị " }
                        <Link<Route> to={Route::Unit { code: code.clone() }}>{ format!("mã {code}") }</Link<Route>>
                        { " và các đơn vị trực thuộc, mới nhất trước." }
                    } else {
                        { "Của đơn vị bạn và các đơn vị trực thuộc, mới nhất trước." }
                    }
                </p>
            </hgroup>
            <form class="filters" role="search" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <label for="audit-area">
                    { "Lĩnh vực" }
                    <select id="audit-area" onchange={onarea}>
                        <option value="" selected={typed.area.is_empty()}>{ "Tất cả" }</option>
                        { for areas }
                    </select>
                </label>
                <label for="audit-username">
                    { "Tên đăng nhập người thực hiện" }
                    <input id="audit-username" type="search" value={typed.username.clone()}
                        oninput={input(|t, v| t.username = v)} autocomplete="off"
                        aria-busy={list.loading().then_some("true")} />
                </label>
                <label for="audit-from">
                    { "Từ ngày" }
                    <input id="audit-from" type="text" inputmode="numeric" placeholder="dd/mm/yyyy"
                        value={typed.from.clone()} oninput={input(|t, v| t.from = v)}
                        aria-invalid={invalid(&from)} />
                </label>
                <label for="audit-to">
                    { "Đến ngày" }
                    <input id="audit-to" type="text" inputmode="numeric" placeholder="dd/mm/yyyy"
                        value={typed.to.clone()} oninput={input(|t, v| t.to = v)}
                        aria-invalid={invalid(&to)} />
                </label>
            </form>
            if from.is_err() || to.is_err() {
                <p class="notice error" role="alert">
                    { "Ngày cần viết dạng ngày/tháng/năm, ví dụ 27/11/2026; ngày viết sai chưa được dùng để lọc." }
                </p>
            }
            { body }
        </section>
    }
}

/// A status field's value in officers' words ("Đã báo cáo"), any other value as it is.
fn value<'a>(field: &str, value: &'a str, statuses: &'a [StatusOption]) -> &'a str {
    if field == "status" {
        status_label(statuses, value).unwrap_or(value)
    } else {
        value
    }
}

fn event_table(slice: &Slice<AuditRow>, statuses: &[StatusOption]) -> Html {
    if slice.items.is_empty() {
        return html! { <Empty text="Không có thay đổi nào." /> };
    }
    let rows = slice.items.iter().map(|event| {
        let action = match &event.page_id {
            Some(id) => html! {
                <Link<Route> to={Route::Page { id: id.clone() }}>{ &event.action }</Link<Route>>
            },
            None => html! { { &event.action } },
        };
        let actor = match (&event.actor_name, &event.actor_username) {
            (Some(name), Some(username)) => {
                html! { <>{ name }<br /><small>{ username }</small></> }
            }
            (Some(name), None) => html! { { name } },
            (None, Some(username)) => html! { { username } },
            (None, None) => html! { { "Quản trị máy chủ" } },
        };
        let changes = event.changes.iter().map(|c| {
            let (before, after) = (
                value(&c.field, &c.before, statuses),
                value(&c.field, &c.after, statuses),
            );
            html! { <li><code>{ &c.field }</code>{ format!(": {before} → {after}") }</li> }
        });
        html! {
            <tr key={event.id.clone()}>
                <td class="time">{ format_datetime(&event.occurred_at) }</td>
                <td class="audit-action">{ action }</td>
                <td>{ event.unit.clone().unwrap_or_default() }</td>
                <td>{ actor }</td>
                <td class="audit-detail">
                    if !event.changes.is_empty() {
                        <ul>{ for changes }</ul>
                    }
                    if let Some(raw) = &event.raw_detail {
                        <small><code>{ raw }</code></small>
                    }
                </td>
            </tr>
        }
    });
    html! {
        <>
            <p><small>{ format!("{} thay đổi", slice.total) }</small></p>
            <div class="overflow-auto">
                <table class="striped audit-list">
                    <thead>
                        <tr>
                            <th scope="col">{ "Thời gian" }</th>
                            <th scope="col">{ "Việc" }</th>
                            <th scope="col">{ "Đơn vị" }</th>
                            <th scope="col">{ "Người thực hiện" }</th>
                            <th scope="col">{ "Thay đổi" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </>
    }
}
