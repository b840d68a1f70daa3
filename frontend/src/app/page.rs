//! A unit's page: its details, its name checked against the prescribed one, its leader and
//! operator, what happened to it, and the steps the viewer may take (`viewerCan`), each
//! confirmed first; returning a page asks why, suspending or closing it may say why.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use super::not_found::NotFound;
use super::page_form::trail;
use super::staff::Staffing;
use crate::components::{Breadcrumbs, Confirm, ErrorBox, Loading};
use crate::error::Error;
use crate::hooks::{use_fetch, use_session, use_title};
use crate::services::pages::{self as service, PageView, Saved, Step};
use crate::text::{format_datetime, format_day};

#[derive(Properties, PartialEq)]
pub struct PageScreenProps {
    pub id: String,
}

/// The outcome of the last step taken, shown above the actions.
#[derive(Clone, PartialEq)]
struct Notice {
    ok: bool,
    text: String,
}

/// What a step says once done.
fn done_text(step: Step) -> &'static str {
    match step {
        Step::Report => "Đã báo cáo trang lên cấp trên.",
        Step::Verify => "Đã xác nhận trang.",
        Step::Return => "Đã trả lại trang.",
        Step::Suspend => "Đã tạm ngưng trang.",
        Step::Close => "Đã đóng trang.",
        Step::Reopen => "Đã mở lại trang.",
    }
}

/// The question a step's confirmation asks.
fn question(step: Step, page: &PageView) -> String {
    let name = &page.name;
    match step {
        Step::Report => format!("Báo cáo trang “{name}” lên cấp trên để xác nhận?"),
        Step::Verify => format!("Xác nhận trang “{name}” của {}?", page.of.unit.full_name),
        Step::Return => format!("Trả lại trang “{name}” để đơn vị sửa?"),
        Step::Suspend => format!("Tạm ngưng trang “{name}”?"),
        Step::Close => format!("Đóng trang “{name}”? Trang sẽ không còn là trang của đơn vị."),
        Step::Reopen => format!("Mở lại trang “{name}”?"),
    }
}

#[function_component]
pub fn PageScreen(props: &PageScreenProps) -> Html {
    let session = use_session();
    let page = {
        let client = session.client();
        use_fetch(props.id.clone(), move |id| async move {
            service::detail(&client, &id).await
        })
    };
    let asking = use_state(|| None::<Step>);
    let busy = use_state(|| false);
    let notice = use_state(|| None::<Notice>);
    let loaded = page.for_key(&props.id).cloned();
    let title = match &loaded {
        Some(Ok(page)) => page.name.clone(),
        _ => "Trang cộng đồng".to_owned(),
    };
    use_title(&title);

    let view = match loaded {
        None => return html! { <Loading text="Đang tải trang…" /> },
        // Another branch's page answers as if it did not exist: so does the app.
        Some(Err(Error::NotFound)) => return html! { <NotFound /> },
        Some(Err(error)) => {
            return html! {
                <>
                    <ErrorBox error={error.clone()} on_retry={page.reload()} />
                    <Link<Route> to={Route::Home}>{ "Về trang tổng quan" }</Link<Route>>
                </>
            };
        }
        Some(Ok(view)) => view,
    };
    let home = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();

    let take = {
        let (asking, busy, notice, reload, client, id) = (
            asking.clone(),
            busy.clone(),
            notice.clone(),
            page.reload(),
            session.client(),
            view.id.clone(),
        );
        Callback::from(move |(step, reason): (Step, Option<String>)| {
            asking.set(None);
            busy.set(true);
            notice.set(None);
            let (busy, notice, reload, client, id) = (
                busy.clone(),
                notice.clone(),
                reload.clone(),
                client.clone(),
                id.clone(),
            );
            spawn_local(async move {
                let result = service::take(&client, step, &id, reason).await;
                busy.set(false);
                notice.set(Some(match result {
                    Ok(Saved::Done(_)) => Notice {
                        ok: true,
                        text: done_text(step).to_owned(),
                    },
                    Ok(Saved::Refused(errors)) => Notice {
                        ok: false,
                        text: errors.general(&[]).join(" "),
                    },
                    Err(error) => Notice {
                        ok: false,
                        text: error.to_string(),
                    },
                }));
                reload.emit(());
            });
        })
    };
    let cancel = {
        let asking = asking.clone();
        Callback::from(move |()| asking.set(None))
    };
    let dialog = asking.map(|step| {
        let (take, with_reason) = (take.clone(), take.clone());
        let asks = matches!(step, Step::Return | Step::Suspend | Step::Close);
        let on_reason = asks.then(|| {
            Callback::from(move |reason: String| {
                with_reason.emit((step, Some(reason).filter(|r| !r.is_empty())));
            })
        });
        html! {
            <Confirm question={question(step, &view)} confirm_label={step.label()}
                on_confirm={Callback::from(move |()| take.emit((step, None)))}
                {on_reason} reason_optional={step != Step::Return} on_cancel={cancel.clone()} />
        }
    });

    let can = &view.can;
    let steps = [
        (Step::Report, can.report),
        (Step::Verify, can.verify),
        (Step::Return, can.return_page),
        (Step::Suspend, can.suspend),
        (Step::Close, can.close),
        (Step::Reopen, can.reopen),
    ];
    let buttons = steps
        .into_iter()
        .filter(|(_, allowed)| *allowed)
        .map(|(step, _)| {
            let asking = asking.clone();
            let class = match step {
                Step::Report | Step::Verify => "step",
                _ => "step secondary",
            };
            html! {
                <button type="button" {class} disabled={*busy} aria-busy={(*busy).then_some("true")}
                    onclick={move |_| asking.set(Some(step))}>
                    { step.label() }
                </button>
            }
        });
    let optional = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());

    html! {
        <section class="page-detail">
            <Breadcrumbs trail={trail(&view.of)} home_code={home} />
            <hgroup>
                <h1>{ &view.name }</h1>
                <p>
                    <span class="page-status">{ &view.status_label }</span>
                    { format!(" · {}", view.of.unit.committee_name) }
                </p>
            </hgroup>
            if let Some(notice) = &*notice {
                <p class={classes!("notice", if notice.ok { "success" } else { "error" })}
                    role={if notice.ok { "status" } else { "alert" }}>
                    { &notice.text }
                </p>
            }
            <div class="actions">
                if can.update {
                    <Link<Route> to={Route::EditPage { id: view.id.clone() }} classes="edit-page secondary">
                        { "Sửa thông tin" }
                    </Link<Route>>
                }
                { for buttons }
                <Link<Route> to={Route::PageStats { id: view.id.clone() }} classes="stats-link secondary outline">
                    { "Số liệu trang" }
                </Link<Route>>
                if view.url.is_some() {
                    <Link<Route> to={Route::Poster { id: view.id.clone() }} classes="poster-link secondary outline">
                        { "In áp phích QR" }
                    </Link<Route>>
                }
            </div>
            { for dialog }
            <dl class="facts page-facts">
                <dt>{ "Đường dẫn" }</dt>
                <dd>
                    if let Some(url) = &view.url {
                        <a class="page-url" href={url.clone()} target="_blank" rel="noopener noreferrer">{ url }</a>
                    } else {
                        { "Chưa có (trang đang lập)" }
                    }
                </dd>
                <dt>{ "Ngày thành lập" }</dt>
                <dd>{ view.established_on.as_deref().map_or_else(|| "—".to_owned(), format_day) }</dd>
                <dt>{ "Đơn vị hỗ trợ" }</dt>
                <dd>{ optional(&view.supported_by) }</dd>
                <dt>{ "Liên hệ đơn vị hỗ trợ" }</dt>
                <dd>{ optional(&view.supporter_contact) }</dd>
                <dt>{ "Ghi chú" }</dt>
                <dd>{ optional(&view.notes) }</dd>
            </dl>
            <h2>{ "Tên trang" }</h2>
            { name_check(&view) }
            <Staffing page={view.clone()} on_changed={page.reload()} />
            <h2>{ "Lịch sử" }</h2>
            { history(&view) }
        </section>
    }
}

fn name_check(page: &PageView) -> Html {
    let check = &page.name_check;
    if check.conforms {
        return html! { <p class="name-check ok">{ "✓ Tên trang đúng quy định." }</p> };
    }
    html! {
        <div class="name-check problems">
            <p>{ format!("Tên trang chưa đúng quy định. Tên theo quy định: {}", check.expected) }</p>
            <ul>{ for check.problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
        </div>
    }
}

fn history(page: &PageView) -> Html {
    let rows = page.history.iter().rev().map(|event| {
        html! {
            <tr>
                <td class="time">{ format_datetime(&event.occurred_at) }</td>
                <td>{ &event.action }</td>
                <td>{ &event.to_status }</td>
                <td>{ &event.actor }</td>
                <td>{ event.reason.clone().unwrap_or_default() }</td>
            </tr>
        }
    });
    html! {
        <div class="overflow-auto">
            <table class="striped history">
                <thead>
                    <tr>
                        <th scope="col">{ "Thời gian" }</th>
                        <th scope="col">{ "Việc" }</th>
                        <th scope="col">{ "Trạng thái" }</th>
                        <th scope="col">{ "Người thực hiện" }</th>
                        <th scope="col">{ "Lý do" }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
