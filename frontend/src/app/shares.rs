//! "Việc cần chia sẻ": the posts the committees above ask the officer's unit to share,
//! each marked shared in one step (the link of the share on the unit's page pasted), and
//! those already shared; and one request's compliance, unit by unit below.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use super::not_found::NotFound;
use crate::components::{Empty, ErrorBox, Field, FormErrors, Loading};
use crate::error::Error;
use crate::hooks::{use_fetch, use_session, use_title};
use crate::models::{FieldErrors, UserError};
use crate::services::campaigns::{self as service, Compliance, ShareItem, ShareStatus};
use crate::text::{format_datetime, percent};

/// The share to-do list of the officer's own unit.
#[function_component]
pub fn Shares() -> Html {
    use_title("Việc cần chia sẻ");
    let session = use_session();
    let code = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    let shares = {
        let client = session.client();
        use_fetch(code.clone(), move |code| async move {
            service::shares(&client, &code).await
        })
    };
    let v = match shares.for_key(&code).cloned() {
        None => return html! { <Loading text="Đang tải việc cần chia sẻ…" /> },
        Some(Err(error)) => return html! { <ErrorBox {error} on_retry={shares.reload()} /> },
        Some(Ok(v)) => v,
    };
    // The share is recorded on the unit's live page, by whom may write there.
    let page_id = v
        .unit
        .page
        .as_ref()
        .filter(|_| v.unit.write)
        .map(|p| p.id.clone());
    let pending = v.pending.iter().map(|item| {
        html! {
            <ShareTodo key={item.id.clone()} item={item.clone()} page_id={page_id.clone()}
                on_shared={shares.reload()} />
        }
    });
    let done = v.done.iter().map(|item| {
        html! {
            <li key={item.id.clone()} class="share-item done" data-id={item.id.clone()}>
                { post_line(item) }
                <p>
                    <small>
                        { item.status.map_or("", ShareStatus::label) }
                        if let Some(at) = &item.shared_at {
                            { format!(" · {}", format_datetime(at)) }
                        }
                        { format!(" · hạn {}", format_datetime(&item.deadline)) }
                    </small>
                </p>
            </li>
        }
    });
    html! {
        <section class="shares">
            <hgroup>
                <h1>{ "Việc cần chia sẻ" }</h1>
                <p>{ &v.unit.committee_name }</p>
            </hgroup>
            if v.unit.page.is_none() {
                <p class="notice">{ "Đơn vị chưa có trang cộng đồng đang hoạt động nên chưa ghi nhận được việc chia sẻ." }</p>
            }
            <h2>{ format!("Cần chia sẻ ({})", v.pending.len()) }</h2>
            if v.pending.is_empty() {
                <Empty text="Không có bài viết nào cần chia sẻ." />
            } else {
                <ul class="share-list pending">{ for pending }</ul>
            }
            <h2>{ format!("Đã chia sẻ ({})", v.done.len()) }</h2>
            if v.done.is_empty() {
                <Empty text="Chưa chia sẻ bài viết nào." />
            } else {
                <ul class="share-list done">{ for done }</ul>
            }
        </section>
    }
}

/// The post to share: its title linked to Facebook, and who asks.
fn post_line(item: &ShareItem) -> Html {
    let title = item
        .post_title
        .clone()
        .unwrap_or_else(|| item.post_url.clone());
    html! {
        <>
            <p class="post-title">
                <a href={item.post_url.clone()} target="_blank" rel="noopener noreferrer">{ title }</a>
            </p>
            <p class="post-meta">
                <small>
                    { if item.post_unit_name == item.unit_name {
                        format!("{} đề nghị chia sẻ", item.unit_name)
                    } else {
                        format!("Bài của {} · {} đề nghị chia sẻ", item.post_unit_name, item.unit_name)
                    } }
                </small>
            </p>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ShareTodoProps {
    item: ShareItem,
    /// The unit's page to record the share on, when the viewer may.
    page_id: Option<String>,
    on_shared: Callback<()>,
}

/// A post still to share, and the one step that records its share.
#[function_component]
fn ShareTodo(props: &ShareTodoProps) -> Html {
    let session = use_session();
    let item = &props.item;
    let open = use_state(|| false);
    let url = use_state(String::new);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let onsubmit = {
        let (url, errors, busy, client, on_shared) = (
            url.clone(),
            errors.clone(),
            busy.clone(),
            session.client(),
            props.on_shared.clone(),
        );
        let (id, page_id) = (item.id.clone(), props.page_id.clone().unwrap_or_default());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            let (typed, errors, busy, client, on_shared, id, page_id) = (
                (*url).clone(),
                errors.clone(),
                busy.clone(),
                client.clone(),
                on_shared.clone(),
                id.clone(),
                page_id.clone(),
            );
            spawn_local(async move {
                let result = service::record_share(&client, &id, &page_id, &typed).await;
                busy.set(false);
                match result {
                    Ok(Ok(())) => on_shared.emit(()),
                    Ok(Err(refused)) => errors.set(refused),
                    Err(error) => errors.set(FieldErrors(vec![UserError::new(
                        None,
                        &error.to_string(),
                        "ERROR",
                    )])),
                }
            });
        })
    };
    let oninput = {
        let url = url.clone();
        Callback::from(move |v: String| url.set(v))
    };
    let field_id = format!("url-{}", item.id);
    html! {
        <li class={classes!("share-item", "pending", item.overdue.then_some("overdue"))} data-id={item.id.clone()}>
            { post_line(item) }
            <p class="deadline">
                { "Hạn: " }<strong>{ format_datetime(&item.deadline) }</strong>
                if item.overdue {
                    { " " }<mark class="badge overdue">{ "Quá hạn" }</mark>
                }
            </p>
            if let Some(message) = &item.message {
                <p class="share-message">{ message }</p>
            }
            if props.page_id.is_some() {
                if *open {
                    <form class="record-share" {onsubmit}>
                        <FormErrors messages={errors.general(&["url"])} />
                        <Field id={field_id} label="Đường dẫn bài chia sẻ trên trang của đơn vị"
                            value={(*url).clone()} r#type="url" {oninput} error={errors.get("url")}
                            required=true help={Some(AttrValue::from("Dán đường dẫn bài đã chia sẻ."))} />
                        <div class="row-actions">
                            <button type="submit" class="confirm-share" disabled={*busy}
                                aria-busy={(*busy).then_some("true")}>{ "Ghi nhận" }</button>
                            <button type="button" class="secondary outline" onclick={toggle}>{ "Hủy" }</button>
                        </div>
                    </form>
                } else {
                    <button type="button" class="mark-shared" onclick={toggle}>{ "Đã chia sẻ" }</button>
                }
            }
        </li>
    }
}

fn compliance_figures(c: &Compliance) -> Html {
    html! {
        <dl class="facts compliance">
            <dt>{ "Đã chia sẻ đúng hạn" }</dt>
            <dd class="shared">{ c.shared }</dd>
            <dt>{ "Chia sẻ muộn" }</dt>
            <dd class="late">{ c.late }</dd>
            <dt>{ "Chưa chia sẻ" }</dt>
            <dd class="not-yet">{ c.not_yet }</dd>
            <dt>{ "Số trang được đề nghị" }</dt>
            <dd class="pages">{ c.pages }</dd>
            <dt>{ "Tỷ lệ" }</dt>
            <dd class="rate">{ percent(c.rate) }</dd>
        </dl>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareRequestScreenProps {
    pub id: String,
}

/// One request's compliance under the unit chosen (the API's default first, then the units
/// drilled down to), and the pages asked, perhaps at one status only.
#[function_component]
pub fn ShareRequestScreen(props: &ShareRequestScreenProps) -> Html {
    let session = use_session();
    let trail = use_state(Vec::<(String, String)>::new);
    let status = use_state(|| None::<ShareStatus>);
    let unit = trail.last().map(|(code, _)| code.clone());
    let key = (props.id.clone(), unit, *status);
    let detail = {
        let client = session.client();
        use_fetch(key.clone(), move |(id, unit, status)| async move {
            service::share_request(&client, &id, unit, status).await
        })
    };
    let loaded = detail.for_key(&key).cloned();
    use_title("Đề nghị chia sẻ");
    let r = match loaded {
        None => return html! { <Loading text="Đang tải đề nghị chia sẻ…" /> },
        Some(Err(Error::NotFound)) => return html! { <NotFound /> },
        Some(Err(error)) => return html! { <ErrorBox {error} on_retry={detail.reload()} /> },
        Some(Ok(r)) => r,
    };
    let up = {
        let trail = trail.clone();
        Callback::from(move |_| {
            let mut next = (*trail).clone();
            next.pop();
            trail.set(next);
        })
    };
    let children = r.children.iter().map(|child| {
        let onclick = {
            let (trail, code, name) = (trail.clone(), child.code.clone(), child.name.clone());
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                let mut next = (*trail).clone();
                next.push((code.clone(), name.clone()));
                trail.set(next);
            })
        };
        let c = &child.compliance;
        html! {
            <tr key={child.code.clone()} data-code={child.code.clone()}>
                <td><a href="#" class="drill" {onclick}>{ &child.name }</a></td>
                <td class="number">{ c.shared }</td>
                <td class="number">{ c.late }</td>
                <td class="number">{ c.not_yet }</td>
                <td class="number">{ c.pages }</td>
                <td class="number">{ percent(c.rate) }</td>
            </tr>
        }
    });
    let onchange = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            status.set(ShareStatus::from_key(&value));
        })
    };
    let selected = status.map(ShareStatus::key).unwrap_or_default();
    let units = r.units.items.iter().map(|a| {
        html! {
            <tr key={a.code.clone()} data-code={a.code.clone()}>
                <td>{ &a.name }</td>
                <td class="share-status">{ a.status.label() }</td>
                <td class="time">{ a.shared_at.as_deref().map_or_else(|| "—".to_owned(), format_datetime) }</td>
                <td>
                    if let Some(url) = &a.share_url {
                        <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ "Xem" }</a>
                    }
                </td>
            </tr>
        }
    });
    let title = r.post_title.clone().unwrap_or_else(|| r.post_url.clone());
    let under = trail.last().map(|(_, name)| name.clone());
    html! {
        <section class="share-request">
            <p><Link<Route> to={Route::Shares}>{ "‹ Việc cần chia sẻ" }</Link<Route>></p>
            <hgroup>
                <h1>{ "Đề nghị chia sẻ" }</h1>
                <p>{ format!("{} đề nghị · hạn {}", r.unit_name, format_datetime(&r.deadline)) }
                    if r.overdue {
                        { " " }<mark class="badge overdue">{ "Quá hạn" }</mark>
                    }
                </p>
            </hgroup>
            <p class="post-title">
                <a href={r.post_url.clone()} target="_blank" rel="noopener noreferrer">{ title }</a>
                <br /><small>{ format!("Bài của {}", r.post_unit_name) }</small>
            </p>
            if let Some(message) = &r.message {
                <p class="share-message">{ message }</p>
            }
            if let Some(name) = &under {
                <h2>{ format!("Kết quả tại {name}") }</h2>
                <p><button type="button" class="secondary outline up" onclick={up}>{ "‹ Lên cấp trên" }</button></p>
            } else {
                <h2>{ "Kết quả" }</h2>
            }
            { compliance_figures(&r.compliance) }
            if !r.children.is_empty() {
                <div class="overflow-auto">
                    <table class="striped compliance-children">
                        <thead>
                            <tr>
                                <th scope="col">{ "Đơn vị" }</th>
                                <th scope="col" class="number">{ "Đúng hạn" }</th>
                                <th scope="col" class="number">{ "Muộn" }</th>
                                <th scope="col" class="number">{ "Chưa" }</th>
                                <th scope="col" class="number">{ "Số trang" }</th>
                                <th scope="col" class="number">{ "Tỷ lệ" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for children }</tbody>
                    </table>
                </div>
            }
            <h2>{ "Các trang được đề nghị" }</h2>
            <label for="status">
                { "Lọc theo tình trạng" }
                <select id="status" name="status" {onchange}>
                    <option value="" selected={selected.is_empty()}>{ "Tất cả" }</option>
                    { for ShareStatus::ALL.into_iter().map(|s| html! {
                        <option value={s.key()} selected={selected == s.key()}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            if r.units.items.is_empty() {
                <Empty text="Không có trang nào." />
            } else {
                <div class="overflow-auto">
                    <table class="striped asked-pages">
                        <thead>
                            <tr>
                                <th scope="col">{ "Đơn vị" }</th>
                                <th scope="col">{ "Tình trạng" }</th>
                                <th scope="col">{ "Chia sẻ lúc" }</th>
                                <th scope="col">{ "Bài chia sẻ" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for units }</tbody>
                    </table>
                </div>
                if r.units.total > i64::try_from(r.units.items.len()).unwrap_or(i64::MAX) {
                    <p><small>{ format!("Đang hiện {} trên {} trang.", r.units.items.len(), r.units.total) }</small></p>
                }
            }
        </section>
    }
}
