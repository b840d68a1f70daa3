//! "Đợt tuyên truyền": the peak propaganda campaigns the officer's unit takes part in, the
//! form to direct one for whom oversees the unit, and a campaign with its progress — how
//! many units have logged posts under it, unit by unit below, and those still silent.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use super::not_found::NotFound;
use crate::components::{Empty, ErrorBox, Field, FormErrors, Loading, More};
use crate::error::Error;
use crate::hooks::{use_fetch, use_list, use_session, use_title};
use crate::models::{FieldErrors, Level, UserError};
use crate::services::campaigns::{self as service, Campaign, CampaignForm, Progress};
use crate::text::{format_day, percent};

/// "01/12/2026 – 31/12/2026".
pub fn period(c: &Campaign) -> String {
    format!("{} – {}", format_day(&c.starts_on), format_day(&c.ends_on))
}

/// The badge of a campaign running today.
pub fn active_badge(active: bool) -> Html {
    if active {
        html! { <mark class="badge active">{ "Đang diễn ra" }</mark> }
    } else {
        html! {}
    }
}

/// The campaigns of the officer's own unit, and the form to direct one.
#[function_component]
pub fn Campaigns() -> Html {
    use_title("Đợt tuyên truyền");
    let session = use_session();
    let code = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    let list = {
        let client = session.client();
        use_list(code.clone(), String::new(), move |code: String, after| {
            let client = client.clone();
            async move { service::campaigns(&client, &code, after).await }
        })
    };
    let Some((_, loaded)) = list.loaded() else {
        return match list.error() {
            Some(error) => html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> },
            None => html! { <Loading text="Đang tải các đợt tuyên truyền…" /> },
        };
    };
    let rows = loaded.campaigns.items.iter().map(|c| {
        html! {
            <tr key={c.id.clone()}>
                <td>
                    <Link<Route> to={Route::Campaign { id: c.id.clone() }}>{ &c.title }</Link<Route>>
                    { " " }{ active_badge(c.active) }
                    if let Some(theme) = &c.theme {
                        <br /><small>{ theme }</small>
                    }
                </td>
                <td>{ &c.unit_name }</td>
                <td class="time">{ period(c) }</td>
            </tr>
        }
    });
    html! {
        <section class="campaigns">
            <h1>{ "Đợt tuyên truyền" }</h1>
            if loaded.unit.oversee {
                <CreateCampaign code={code.clone()} />
            }
            if loaded.campaigns.items.is_empty() {
                <Empty text="Chưa có đợt tuyên truyền nào." />
            } else {
                <div class="overflow-auto">
                    <table class="striped campaign-list">
                        <thead>
                            <tr>
                                <th scope="col">{ "Đợt tuyên truyền" }</th>
                                <th scope="col">{ "Chỉ đạo" }</th>
                                <th scope="col">{ "Thời gian" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            if let Some(error) = list.error() {
                <ErrorBox error={error.clone()} on_retry={list.reload()} />
            }
            if loaded.campaigns.next.is_some() {
                <More shown={loaded.campaigns.items.len()} total={loaded.campaigns.total}
                    busy={list.loading_more()} on_more={list.more()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CreateCampaignProps {
    code: String,
}

const FIELDS: [&str; 9] = [
    "title",
    "theme",
    "description",
    "startsOn",
    "endsOn",
    "hashtags",
    "keyMessages",
    "materials",
    "levels",
];

/// A multi-line input with its error beside it.
fn text_area(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    value: &str,
    error: Option<String>,
    oninput: Callback<String>,
) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        oninput.emit(
            e.target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                .value(),
        );
    });
    let invalid = error.as_ref().map(|_| "true");
    html! {
        <label for={id}>
            { label }
            <textarea {id} name={id} rows="3" value={value.to_owned()} {oninput} aria-invalid={invalid} />
            if let Some(error) = error {
                <small class="field-error">{ error }</small>
            }
            <small class="field-help">{ help }</small>
        </label>
    }
}

/// Directs a campaign for the unit's subtree.
#[function_component]
fn CreateCampaign(props: &CreateCampaignProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let form = use_state(CampaignForm::default);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let onsubmit = {
        let (form, errors, busy, client, code) = (
            form.clone(),
            errors.clone(),
            busy.clone(),
            session.client(),
            props.code.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            let (form, errors, busy, client, code, navigator) = (
                (*form).clone(),
                errors.clone(),
                busy.clone(),
                client.clone(),
                code.clone(),
                navigator.clone(),
            );
            spawn_local(async move {
                let result = service::create_campaign(&client, &code, &form).await;
                busy.set(false);
                match result {
                    Ok(Ok(id)) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Campaign { id });
                        }
                    }
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
    let set = |apply: fn(&mut CampaignForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let levels = [Level::Province, Level::District, Level::Commune]
        .into_iter()
        .map(|level| {
            let checked = form.levels.contains(&level);
            let id = format!("level-{}", crate::services::reports::level_key(level));
            let onchange = {
                let form = form.clone();
                Callback::from(move |_| {
                    let mut next = (*form).clone();
                    if next.levels.contains(&level) {
                        next.levels.retain(|l| *l != level);
                    } else {
                        next.levels.push(level);
                    }
                    form.set(next);
                })
            };
            html! {
                <label for={id.clone()}>
                    <input type="checkbox" id={id.clone()} name={id} {checked} {onchange} />
                    { level.label() }
                </label>
            }
        });
    let day_help = Some(AttrValue::from("dd/mm/yyyy"));
    html! {
        <details class="create-campaign">
            <summary>{ "Phát động đợt tuyên truyền" }</summary>
            <form class="campaign-form" {onsubmit}>
                <FormErrors messages={errors.general(&FIELDS)} />
                <Field id="title" label="Tên đợt tuyên truyền" value={form.title.clone()}
                    oninput={set(|f, v| f.title = v)} error={errors.get("title")} required=true />
                <Field id="theme" label="Chủ đề" value={form.theme.clone()}
                    oninput={set(|f, v| f.theme = v)} error={errors.get("theme")} />
                { text_area("description", "Mô tả", "Không bắt buộc.", &form.description,
                    errors.get("description"), set(|f, v| f.description = v)) }
                <div class="grid">
                    <Field id="startsOn" label="Từ ngày" value={form.starts_on.clone()}
                        oninput={set(|f, v| f.starts_on = v)} error={errors.get("startsOn")}
                        help={day_help.clone()} />
                    <Field id="endsOn" label="Đến ngày" value={form.ends_on.clone()}
                        oninput={set(|f, v| f.ends_on = v)} error={errors.get("endsOn")}
                        help={day_help} />
                </div>
                <Field id="hashtags" label="Hashtag" value={form.hashtags.clone()}
                    oninput={set(|f, v| f.hashtags = v)} error={errors.get("hashtags")}
                    help={Some(AttrValue::from("Cách nhau bằng dấu phẩy hoặc dấu cách, ví dụ #DaiDoanKet, #QuangNam"))} />
                { text_area("keyMessages", "Thông điệp chính", "Mỗi thông điệp một dòng.",
                    &form.key_messages, errors.get("keyMessages"), set(|f, v| f.key_messages = v)) }
                { text_area("materials", "Tài liệu", "Mỗi đường dẫn (https://…) một dòng.",
                    &form.materials, errors.get("materials"), set(|f, v| f.materials = v)) }
                <fieldset>
                    <legend>{ "Cấp tham gia" }</legend>
                    { for levels }
                    if let Some(error) = errors.get("levels") {
                        <small class="field-error">{ error }</small>
                    }
                    <small class="field-help">{ "Không chọn: cấp của đơn vị và mọi cấp dưới." }</small>
                </fieldset>
                <button type="submit" disabled={*busy} aria-busy={(*busy).then_some("true")}>
                    { "Phát động" }
                </button>
            </form>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct CampaignScreenProps {
    pub id: String,
}

/// A campaign, and its progress under the unit chosen (the API's default first, then the
/// units drilled down to).
#[function_component]
pub fn CampaignScreen(props: &CampaignScreenProps) -> Html {
    let session = use_session();
    // The units drilled down to, from the first one below the default: (code, name).
    let trail = use_state(Vec::<(String, String)>::new);
    let unit = trail.last().map(|(code, _)| code.clone());
    let detail = {
        let client = session.client();
        use_fetch(
            (props.id.clone(), unit.clone()),
            move |(id, unit)| async move { service::campaign(&client, &id, unit).await },
        )
    };
    let key = (props.id.clone(), unit);
    let loaded = detail.for_key(&key).cloned();
    let title = match &loaded {
        Some(Ok(v)) => v.campaign.title.clone(),
        _ => "Đợt tuyên truyền".to_owned(),
    };
    use_title(&title);
    let v = match loaded {
        None => return html! { <Loading text="Đang tải đợt tuyên truyền…" /> },
        Some(Err(Error::NotFound)) => return html! { <NotFound /> },
        Some(Err(error)) => return html! { <ErrorBox {error} on_retry={detail.reload()} /> },
        Some(Ok(v)) => v,
    };
    let c = &v.campaign;
    let drill = {
        let trail = trail.clone();
        Callback::from(move |(code, name): (String, String)| {
            let mut next = (*trail).clone();
            next.push((code, name));
            trail.set(next);
        })
    };
    let up = {
        let trail = trail.clone();
        Callback::from(move |_| {
            let mut next = (*trail).clone();
            next.pop();
            trail.set(next);
        })
    };
    let list = |items: &[String]| {
        html! { <ul>{ for items.iter().map(|i| html! { <li>{ i }</li> }) }</ul> }
    };
    html! {
        <section class="campaign">
            <p><Link<Route> to={Route::Campaigns}>{ "‹ Các đợt tuyên truyền" }</Link<Route>></p>
            <hgroup>
                <h1>{ &c.title }{ " " }{ active_badge(c.active) }</h1>
                <p>{ format!("{} · {}", c.unit_name, period(c)) }</p>
            </hgroup>
            <dl class="facts campaign-facts">
                if let Some(theme) = &c.theme {
                    <dt>{ "Chủ đề" }</dt>
                    <dd>{ theme }</dd>
                }
                if let Some(description) = &c.description {
                    <dt>{ "Mô tả" }</dt>
                    <dd class="description">{ description }</dd>
                }
                if !c.hashtags.is_empty() {
                    <dt>{ "Hashtag" }</dt>
                    <dd class="hashtags">{ c.hashtags.join(" ") }</dd>
                }
                if !c.levels.is_empty() {
                    <dt>{ "Cấp tham gia" }</dt>
                    <dd>{ c.levels.iter().map(|l| l.label()).collect::<Vec<_>>().join(", ") }</dd>
                }
            </dl>
            if !c.key_messages.is_empty() {
                <h2>{ "Thông điệp chính" }</h2>
                { list(&c.key_messages) }
            }
            if !c.materials.is_empty() {
                <h2>{ "Tài liệu" }</h2>
                <ul class="materials">
                    { for c.materials.iter().map(|m| html! {
                        <li><a href={m.clone()} target="_blank" rel="noopener noreferrer">{ m }</a></li>
                    }) }
                </ul>
            }
            { progress(&v.progress, !trail.is_empty(), &drill, up) }
        </section>
    }
}

/// The progress under a unit: its figures, a line per unit below (each opens its own),
/// and the units still silent.
fn progress(
    p: &Progress,
    drilled: bool,
    drill: &Callback<(String, String)>,
    up: Callback<MouseEvent>,
) -> Html {
    let rows = p.children.iter().map(|child| {
        let onclick = {
            let (drill, code, name) = (drill.clone(), child.code.clone(), child.name.clone());
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                drill.emit((code.clone(), name.clone()));
            })
        };
        html! {
            <tr key={child.code.clone()} data-code={child.code.clone()}>
                <td><a href="#" class="drill" {onclick}>{ &child.name }</a></td>
                <td class="number">{ format!("{}/{}", child.posted, child.units) }</td>
                <td class="number">{ percent(child.share) }</td>
                <td class="number">{ child.posts }</td>
            </tr>
        }
    });
    html! {
        <section class="campaign-progress">
            <h2>{ format!("Tiến độ: {}", p.name) }</h2>
            if drilled {
                <p><button type="button" class="secondary outline up" onclick={up}>{ "‹ Lên cấp trên" }</button></p>
            }
            <dl class="facts progress-figures">
                <dt>{ "Đơn vị đã đăng bài" }</dt>
                <dd class="posted">{ format!("{}/{} ({})", p.posted, p.units, percent(p.share)) }</dd>
                <dt>{ "Số bài viết" }</dt>
                <dd class="posts">{ p.posts }</dd>
            </dl>
            if !p.children.is_empty() {
                <div class="overflow-auto">
                    <table class="striped progress-children">
                        <thead>
                            <tr>
                                <th scope="col">{ "Đơn vị" }</th>
                                <th scope="col" class="number">{ "Đã đăng" }</th>
                                <th scope="col" class="number">{ "Tỷ lệ" }</th>
                                <th scope="col" class="number">{ "Số bài" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            <h3>{ format!("Chưa đăng bài ({})", p.silent_total) }</h3>
            if p.silent.is_empty() {
                <Empty text="Mọi đơn vị đã đăng bài." />
            } else {
                <ul class="silent-units missing-units">
                    { for p.silent.iter().map(|(code, name)| html! { <li key={code.clone()}>{ name }</li> }) }
                </ul>
                if p.silent_total > i64::try_from(p.silent.len()).unwrap_or(i64::MAX) {
                    <p><small>{ format!("Đang hiện {} trên {} đơn vị.", p.silent.len(), p.silent_total) }</small></p>
                }
            }
        </section>
    }
}
