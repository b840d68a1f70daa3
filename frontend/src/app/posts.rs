//! "Sổ bài viết": the posts logged by the pages of the officer's unit and below, the
//! latest first; the form to log a post of the unit's page (paste its link); and, for a
//! post whose unit's admin may, asking the pages below to share it, with how far they have.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::components::{Empty, ErrorBox, Field, FormErrors, Loading, More};
use crate::hooks::{use_list, use_session, use_title};
use crate::models::{FieldErrors, UserError};
use crate::services::campaigns::{self as service, LivePage, PostForm, PostRow, ShareAskForm};
use crate::text::{format_datetime, percent, vietnam_now_text, vietnam_today};

/// An error of the network or the server, shown above a form.
fn general(error: &crate::error::Error) -> FieldErrors {
    FieldErrors(vec![UserError::new(None, &error.to_string(), "ERROR")])
}

/// The post log of the officer's own unit.
#[function_component]
pub fn Posts() -> Html {
    use_title("Sổ bài viết");
    let session = use_session();
    let code = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    let list = {
        let client = session.client();
        use_list(code, String::new(), move |code: String, after| {
            let client = client.clone();
            async move { service::posts(&client, &code, &vietnam_today(0), after).await }
        })
    };
    let Some((_, loaded)) = list.loaded() else {
        return match list.error() {
            Some(error) => html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> },
            None => html! { <Loading text="Đang tải sổ bài viết…" /> },
        };
    };
    let unit = &loaded.unit;
    let rows = loaded.posts.items.iter().map(|post| {
        html! { <PostItem key={post.id.clone()} post={post.clone()} on_changed={list.reload()} /> }
    });
    html! {
        <section class="posts">
            <hgroup>
                <h1>{ "Sổ bài viết" }</h1>
                <p>{ &unit.committee_name }</p>
            </hgroup>
            if let (true, Some(page)) = (unit.write, &unit.page) {
                <LogPost page={page.clone()} campaigns={loaded.active_campaigns.clone()}
                    on_logged={list.reload()} />
            }
            if loaded.posts.items.is_empty() {
                <Empty text="Chưa có bài viết nào được ghi sổ." />
            } else {
                <ul class="post-list">{ for rows }</ul>
            }
            if let Some(error) = list.error() {
                <ErrorBox error={error.clone()} on_retry={list.reload()} />
            }
            if loaded.posts.next.is_some() {
                <More shown={loaded.posts.items.len()} total={loaded.posts.total}
                    busy={list.loading_more()} on_more={list.more()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LogPostProps {
    page: LivePage,
    /// The campaigns running today: (id, title).
    campaigns: Vec<(String, String)>,
    on_logged: Callback<()>,
}

fn new_post() -> PostForm {
    PostForm {
        published_at: vietnam_now_text(0),
        ..PostForm::default()
    }
}

/// Logs a post of the unit's page: its link pasted, a title, when, and its campaigns.
#[function_component]
fn LogPost(props: &LogPostProps) -> Html {
    let session = use_session();
    let form = use_state(new_post);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let done = use_state(|| false);
    let onsubmit = {
        let (form, errors, busy, done, client) = (
            form.clone(),
            errors.clone(),
            busy.clone(),
            done.clone(),
            session.client(),
        );
        let (page_id, on_logged) = (props.page.id.clone(), props.on_logged.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            done.set(false);
            let (typed, form, errors, busy, done, client, page_id, on_logged) = (
                (*form).clone(),
                form.clone(),
                errors.clone(),
                busy.clone(),
                done.clone(),
                client.clone(),
                page_id.clone(),
                on_logged.clone(),
            );
            spawn_local(async move {
                let result = service::log_post(&client, &page_id, &typed).await;
                busy.set(false);
                match result {
                    Ok(Ok(())) => {
                        errors.set(FieldErrors::default());
                        form.set(new_post());
                        done.set(true);
                        on_logged.emit(());
                    }
                    Ok(Err(refused)) => errors.set(refused),
                    Err(error) => errors.set(general(&error)),
                }
            });
        })
    };
    let set = |apply: fn(&mut PostForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let campaigns = props.campaigns.iter().map(|(id, title)| {
        let checked = form.campaign_ids.contains(id);
        let onchange = {
            let (form, id) = (form.clone(), id.clone());
            Callback::from(move |_| {
                let mut next = (*form).clone();
                if next.campaign_ids.contains(&id) {
                    next.campaign_ids.retain(|c| *c != id);
                } else {
                    next.campaign_ids.push(id.clone());
                }
                form.set(next);
            })
        };
        let input_id = format!("campaign-{id}");
        html! {
            <label for={input_id.clone()} key={id.clone()}>
                <input type="checkbox" id={input_id} name="campaignIds" {checked} {onchange} />
                { title }
            </label>
        }
    });
    html! {
        <details class="log-post" open=true>
            <summary>{ format!("Ghi bài viết của trang “{}”", props.page.name) }</summary>
            <form class="post-form" {onsubmit}>
                <FormErrors messages={errors.general(&["url", "title", "publishedAt", "campaignIds", "pageId"])} />
                if *done {
                    <p class="notice success" role="status">{ "Đã ghi bài viết vào sổ." }</p>
                }
                <Field id="url" label="Đường dẫn bài viết" value={form.url.clone()} r#type="url"
                    oninput={set(|f, v| f.url = v)} error={errors.get("url")} required=true
                    help={Some(AttrValue::from("Dán đường dẫn bài viết trên Facebook."))} />
                <Field id="title" label="Tiêu đề hoặc tóm tắt" value={form.title.clone()}
                    oninput={set(|f, v| f.title = v)} error={errors.get("title")} />
                <Field id="publishedAt" label="Đăng lúc" value={form.published_at.clone()}
                    oninput={set(|f, v| f.published_at = v)} error={errors.get("publishedAt")}
                    help={Some(AttrValue::from("dd/mm/yyyy HH:MM"))} />
                if !props.campaigns.is_empty() {
                    <fieldset>
                        <legend>{ "Thuộc đợt tuyên truyền" }</legend>
                        { for campaigns }
                        if let Some(error) = errors.get("campaignIds") {
                            <small class="field-error">{ error }</small>
                        }
                    </fieldset>
                }
                <button type="submit" disabled={*busy} aria-busy={(*busy).then_some("true")}>
                    { "Ghi vào sổ" }
                </button>
            </form>
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct PostItemProps {
    post: PostRow,
    on_changed: Callback<()>,
}

/// A logged post, with its share request or the form to make one.
#[function_component]
fn PostItem(props: &PostItemProps) -> Html {
    let post = &props.post;
    let asking = use_state(|| false);
    let open = {
        let asking = asking.clone();
        Callback::from(move |_| asking.set(!*asking))
    };
    let title = post.title.clone().unwrap_or_else(|| post.url.clone());
    html! {
        <li class="post" data-id={post.id.clone()}>
            <p class="post-title">
                <a href={post.url.clone()} target="_blank" rel="noopener noreferrer">{ title }</a>
                if post.is_share {
                    { " " }<mark class="badge share">{ "Chia sẻ" }</mark>
                }
            </p>
            <p class="post-meta">
                <small>
                    { format!("{} · {}", post.unit_name, format_datetime(&post.published_at)) }
                    if !post.campaigns.is_empty() {
                        { format!(" · {}", post.campaigns.join(", ")) }
                    }
                </small>
            </p>
            if let Some(r) = &post.share_request {
                <p class="share-compliance">
                    <Link<Route> to={Route::ShareRequest { id: r.id.clone() }}>
                        { format!(
                            "Đề nghị chia sẻ, hạn {}{}: đã chia sẻ {}, muộn {}, chưa {} / {} trang ({})",
                            format_datetime(&r.deadline),
                            if r.overdue { " (đã quá hạn)" } else { "" },
                            r.compliance.shared,
                            r.compliance.late,
                            r.compliance.not_yet,
                            r.compliance.pages,
                            percent(r.compliance.rate),
                        ) }
                    </Link<Route>>
                </p>
            } else if post.can_request_shares {
                <button type="button" class="secondary outline ask-shares" onclick={open}>
                    { "Đề nghị chia sẻ" }
                </button>
                if *asking {
                    <AskShares post_id={post.id.clone()} on_done={props.on_changed.clone()} />
                }
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct AskSharesProps {
    post_id: String,
    on_done: Callback<()>,
}

fn new_ask() -> ShareAskForm {
    ShareAskForm {
        deadline: vietnam_now_text(24),
        message: String::new(),
    }
}

/// Asks every live page below to share the post by a deadline.
#[function_component]
fn AskShares(props: &AskSharesProps) -> Html {
    let session = use_session();
    let form = use_state(new_ask);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let onsubmit = {
        let (form, errors, busy, client) =
            (form.clone(), errors.clone(), busy.clone(), session.client());
        let (post_id, on_done) = (props.post_id.clone(), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            let (typed, errors, busy, client, post_id, on_done) = (
                (*form).clone(),
                errors.clone(),
                busy.clone(),
                client.clone(),
                post_id.clone(),
                on_done.clone(),
            );
            spawn_local(async move {
                let result = service::request_shares(&client, &post_id, &typed).await;
                busy.set(false);
                match result {
                    Ok(Ok(_)) => on_done.emit(()),
                    Ok(Err(refused)) => errors.set(refused),
                    Err(error) => errors.set(general(&error)),
                }
            });
        })
    };
    let set = |apply: fn(&mut ShareAskForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let id = |field: &str| format!("{field}-{}", props.post_id);
    html! {
        <form class="ask-shares-form" {onsubmit}>
            <FormErrors messages={errors.general(&["deadline", "message"])} />
            <Field id={id("deadline")} label="Hạn chia sẻ" value={form.deadline.clone()}
                oninput={set(|f, v| f.deadline = v)} error={errors.get("deadline")} required=true
                help={Some(AttrValue::from("dd/mm/yyyy HH:MM"))} />
            <Field id={id("message")} label="Lời nhắn (không bắt buộc)" value={form.message.clone()}
                oninput={set(|f, v| f.message = v)} error={errors.get("message")} />
            <button type="submit" class="send-ask" disabled={*busy} aria-busy={(*busy).then_some("true")}>
                { "Gửi đề nghị chia sẻ" }
            </button>
        </form>
    }
}
