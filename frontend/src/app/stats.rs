//! "Số liệu trang": how effective a page is (followers and their growth, posts a week, the
//! last post, share compliance, engagement per post), its figures day by day as charts and
//! a table with where each figure came from, and — as the API allows — the form to type
//! figures in, the upload of Meta Business Suite's CSV exports with a preview, and the
//! Graph API connection.

use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use super::not_found::NotFound;
use crate::components::chart::{Chart, bar_chart, line_chart};
use crate::components::{ErrorBox, Field, FormErrors, Loading};
use crate::error::Error;
use crate::hooks::{use_fetch, use_session, use_title};
use crate::models::{FieldErrors, UserError};
use crate::services::stats::{
    self as service, Effectiveness, Figure, GraphApi, PageStatsView, Snapshot, StatsFile,
    StatsForm, StatsPoint,
};
use crate::text::{day_month, decimal, format_datetime, format_day, percent, thousands};

/// "1.250", or "—" when unknown.
pub fn count(value: Option<i64>) -> String {
    value.map_or_else(|| "—".to_owned(), thousands)
}

/// "+120", "-3", or "—" when unknown.
pub fn growth(value: Option<i64>) -> String {
    match value {
        Some(v) if v > 0 => format!("+{}", thousands(v)),
        Some(v) => thousands(v),
        None => "—".to_owned(),
    }
}

/// The effectiveness of a page, as a card of facts.
pub fn effectiveness_card(e: &Effectiveness) -> Html {
    html! {
        <article class="effectiveness">
            <header>
                <strong>{ "Hiệu quả trang" }</strong>
                if e.inactive {
                    { " " }<mark class="badge inactive">{ "Không hoạt động" }</mark>
                }
            </header>
            <dl class="facts effectiveness-facts">
                <dt>{ "Người theo dõi" }</dt>
                <dd class="followers">{ count(e.followers) }</dd>
                <dt>{ "Tăng 30 ngày" }</dt>
                <dd>{ growth(e.growth_30_days) }</dd>
                <dt>{ "Tăng 90 ngày" }</dt>
                <dd>{ growth(e.growth_90_days) }</dd>
                <dt>{ "Bài/tuần" }</dt>
                <dd>{ format!("{} ({} bài trong 30 ngày)", decimal(e.posts_per_week), thousands(e.posts_30_days)) }</dd>
                <dt>{ "Bài gần nhất" }</dt>
                <dd>{ e.last_post_at.as_deref().map_or_else(|| "Chưa có".to_owned(), format_datetime) }</dd>
                <dt>{ "Chia sẻ đúng hạn" }</dt>
                <dd>
                    { e.share_compliance.map_or_else(|| "—".to_owned(), percent) }
                    <small>{ format!(" (đúng hạn {}, muộn {}, bỏ lỡ {})", e.shared, e.late, e.missed) }</small>
                </dd>
                <dt>{ "Tương tác/bài" }</dt>
                <dd>{ e.engagement_per_post.map_or_else(|| "—".to_owned(), decimal) }</dd>
            </dl>
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct PageStatsProps {
    pub id: String,
}

/// The statistics screen of a page.
#[function_component]
pub fn PageStatsScreen(props: &PageStatsProps) -> Html {
    let session = use_session();
    let view = {
        let client = session.client();
        use_fetch(props.id.clone(), move |id| async move {
            service::page_stats(&client, &id, None, None).await
        })
    };
    let loaded = view.for_key(&props.id).cloned();
    let title = match &loaded {
        Some(Ok(v)) => format!("Số liệu — {}", v.name),
        _ => "Số liệu trang".to_owned(),
    };
    use_title(&title);
    let v = match loaded {
        None => return html! { <Loading text="Đang tải số liệu trang…" /> },
        Some(Err(Error::NotFound)) => return html! { <NotFound /> },
        Some(Err(error)) => return html! { <ErrorBox {error} on_retry={view.reload()} /> },
        Some(Ok(v)) => v,
    };
    let reload = view.reload();
    html! {
        <section class="page-stats">
            <p><Link<Route> to={Route::Page { id: v.id.clone() }}>{ format!("‹ {}", v.name) }</Link<Route>></p>
            <hgroup>
                <h1>{ "Số liệu trang" }</h1>
                <p>{ format!("{} · {}", v.name, v.unit_name) }</p>
            </hgroup>
            { effectiveness_card(&v.effectiveness) }
            if v.approve {
                <p>
                    <Link<Route> to={Route::ReviewPage { id: v.id.clone() }} classes="review-link secondary">
                        { "Đánh giá trang" }
                    </Link<Route>>
                </p>
            }
            { charts(&v.stats) }
            { posts_chart(&v.activity) }
            <h2>{ "Số liệu theo ngày" }</h2>
            { table(&v.stats) }
            if v.write {
                <RecordStats page_id={v.id.clone()} on_saved={reload.clone()} />
                <ImportStats page_id={v.id.clone()} on_saved={reload.clone()} />
            }
            if v.oversee {
                <GraphApiBox view={v.clone()} on_changed={reload} />
            }
        </section>
    }
}

/// The followers day by day as a line, and the views a day as bars.
fn charts(stats: &[Snapshot]) -> Html {
    let followers: Vec<(&str, i64)> = stats
        .iter()
        .filter_map(|s| Some((s.day.as_str(), s.followers.value?)))
        .collect();
    let views: Vec<(&str, i64)> = stats
        .iter()
        .filter_map(|s| Some((s.day.as_str(), s.views.value?)))
        .collect();
    html! {
        <>
            if followers.len() > 1 {
                <h2>{ "Người theo dõi" }</h2>
                { line_chart(&followers, Chart {
                    label: "Người theo dõi theo ngày",
                    class: "followers-chart",
                    day: format_day,
                }) }
            }
            if !views.is_empty() {
                <h2>{ "Lượt xem theo ngày" }</h2>
                { bar_chart(&views, Chart { label: "Lượt xem theo ngày", class: "views-chart", day: format_day }) }
            }
        </>
    }
}

/// The posts logged for the page week by week, as bars.
fn posts_chart(activity: &[StatsPoint]) -> Html {
    let posts: Vec<(&str, i64)> = activity
        .iter()
        .map(|p| (p.date.as_str(), p.posts))
        .collect();
    if posts.is_empty() {
        return Html::default();
    }
    html! {
        <>
            <h2>{ "Bài viết theo tuần" }</h2>
            { bar_chart(&posts, Chart { label: "Bài viết theo tuần", class: "posts-chart", day: day_month }) }
        </>
    }
}

/// A figure with the small label of its source.
fn cell(f: Figure) -> Html {
    html! {
        <td class="number">
            { count(f.value) }
            if let (Some(source), Some(_)) = (f.source, f.value) {
                <br /><small class={classes!("source", source.key())}>{ source.label() }</small>
            }
        </td>
    }
}

/// The snapshots, the latest first.
fn table(stats: &[Snapshot]) -> Html {
    if stats.is_empty() {
        return html! { <p class="empty">{ "Chưa có số liệu nào." }</p> };
    }
    let rows = stats.iter().rev().map(|s| {
        html! {
            <tr key={s.day.clone()} data-day={s.day.clone()}>
                <td class="time">
                    { format_day(&s.day) }
                    if s.period_start != s.day {
                        <br /><small>{ format!("từ {}", format_day(&s.period_start)) }</small>
                    }
                </td>
                { cell(s.followers) }
                { cell(s.new_follows) }
                { cell(s.views) }
                { cell(s.engagements) }
                { cell(s.posts) }
            </tr>
        }
    });
    html! {
        <div class="overflow-auto">
            <table class="striped stats-table">
                <thead>
                    <tr>
                        <th scope="col">{ "Ngày" }</th>
                        <th scope="col" class="number">{ "Người theo dõi" }</th>
                        <th scope="col" class="number">{ "Theo dõi mới" }</th>
                        <th scope="col" class="number">{ "Lượt xem" }</th>
                        <th scope="col" class="number">{ "Tương tác" }</th>
                        <th scope="col" class="number">{ "Bài viết" }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    page_id: String,
    on_saved: Callback<()>,
}

const STATS_FIELDS: [&str; 7] = [
    "day",
    "periodStart",
    "followers",
    "newFollows",
    "views",
    "engagements",
    "posts",
];

fn error_of<T>(result: Result<Result<T, FieldErrors>, Error>) -> Result<T, FieldErrors> {
    match result {
        Ok(answer) => answer,
        Err(error) => Err(FieldErrors(vec![UserError::new(
            None,
            &error.to_string(),
            "ERROR",
        )])),
    }
}

/// "Nhập số liệu": the figures of a day, typed in.
#[function_component]
fn RecordStats(props: &FormProps) -> Html {
    let session = use_session();
    let form = use_state(|| StatsForm {
        day: format_day(&crate::text::vietnam_today(0)),
        ..StatsForm::default()
    });
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let saved = use_state(|| false);
    let onsubmit = {
        let (form, errors, busy, saved, client, id, on_saved) = (
            form.clone(),
            errors.clone(),
            busy.clone(),
            saved.clone(),
            session.client(),
            props.page_id.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            saved.set(false);
            let (typed, form, errors, busy, saved, client, id, on_saved) = (
                (*form).clone(),
                form.clone(),
                errors.clone(),
                busy.clone(),
                saved.clone(),
                client.clone(),
                id.clone(),
                on_saved.clone(),
            );
            spawn_local(async move {
                let result = error_of(service::record_stats(&client, &id, &typed).await);
                busy.set(false);
                match result {
                    Ok(()) => {
                        errors.set(FieldErrors::default());
                        saved.set(true);
                        form.set(StatsForm {
                            day: typed.day,
                            ..StatsForm::default()
                        });
                        on_saved.emit(());
                    }
                    Err(refused) => errors.set(refused),
                }
            });
        })
    };
    let set = |apply: fn(&mut StatsForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let day_help = Some(AttrValue::from("dd/mm/yyyy"));
    html! {
        <details class="record-stats">
            <summary>{ "Nhập số liệu" }</summary>
            <form {onsubmit}>
                <FormErrors messages={errors.general(&STATS_FIELDS)} />
                if *saved {
                    <p class="notice success" role="status">{ "Đã lưu số liệu." }</p>
                }
                <div class="grid">
                    <Field id="day" label="Ngày" value={form.day.clone()} oninput={set(|f, v| f.day = v)}
                        error={errors.get("day")} help={day_help.clone()} required=true />
                    <Field id="periodStart" label="Từ ngày (số liệu theo kỳ)" value={form.period_start.clone()}
                        oninput={set(|f, v| f.period_start = v)} error={errors.get("periodStart")}
                        help={Some(AttrValue::from("Để trống nếu là số liệu của riêng ngày đó."))} />
                </div>
                <div class="grid">
                    <Field id="followers" label="Người theo dõi" value={form.followers.clone()}
                        oninput={set(|f, v| f.followers = v)} error={errors.get("followers")} />
                    <Field id="newFollows" label="Theo dõi mới" value={form.new_follows.clone()}
                        oninput={set(|f, v| f.new_follows = v)} error={errors.get("newFollows")} />
                    <Field id="views" label="Lượt xem" value={form.views.clone()}
                        oninput={set(|f, v| f.views = v)} error={errors.get("views")} />
                </div>
                <div class="grid">
                    <Field id="engagements" label="Tương tác" value={form.engagements.clone()}
                        oninput={set(|f, v| f.engagements = v)} error={errors.get("engagements")} />
                    <Field id="posts" label="Bài viết" value={form.posts.clone()}
                        oninput={set(|f, v| f.posts = v)} error={errors.get("posts")} />
                </div>
                <button type="submit" disabled={*busy} aria-busy={(*busy).then_some("true")}>
                    { "Lưu số liệu" }
                </button>
            </form>
        </details>
    }
}

/// The text of each file chosen, with its name.
async fn read_files(list: web_sys::FileList) -> Result<Vec<StatsFile>, String> {
    let mut files = Vec::new();
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let name = file.name();
        let text = JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| format!("Không đọc được tệp {name}."))?;
        files.push(StatsFile {
            name,
            content: text,
        });
    }
    Ok(files)
}

/// "Tải tệp CSV từ Meta Business Suite": the files are read, the API's preview shown, and
/// imported on "Nhập số liệu".
#[function_component]
fn ImportStats(props: &FormProps) -> Html {
    let session = use_session();
    let files = use_state(Vec::<StatsFile>::new);
    let preview = use_state(|| None::<Vec<Snapshot>>);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let done = use_state(|| None::<i64>);
    let input = use_node_ref();
    let send = {
        let input = input.clone();
        let (files, preview, errors, busy, done, client, id, on_saved) = (
            files.clone(),
            preview.clone(),
            errors.clone(),
            busy.clone(),
            done.clone(),
            session.client(),
            props.page_id.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |(chosen, dry_run): (Vec<StatsFile>, bool)| {
            busy.set(true);
            done.set(None);
            errors.set(FieldErrors::default());
            let (files, preview, errors, busy, done, client, id, on_saved, input) = (
                files.clone(),
                preview.clone(),
                errors.clone(),
                busy.clone(),
                done.clone(),
                client.clone(),
                id.clone(),
                on_saved.clone(),
                input.clone(),
            );
            spawn_local(async move {
                let result = error_of(service::import_stats(&client, &id, &chosen, dry_run).await);
                busy.set(false);
                // Imported or refused: the input is emptied, for the next files (or the same
                // ones again once corrected).
                if !(dry_run && result.is_ok())
                    && let Some(element) = input.cast::<HtmlInputElement>()
                {
                    element.set_value("");
                }
                match result {
                    Ok(imported) if dry_run => {
                        preview.set(Some(imported.snapshots));
                        files.set(chosen);
                    }
                    Ok(imported) => {
                        preview.set(None);
                        files.set(Vec::new());
                        done.set(Some(imported.imported));
                        on_saved.emit(());
                    }
                    Err(refused) => {
                        preview.set(None);
                        files.set(Vec::new());
                        errors.set(refused);
                    }
                }
            });
        })
    };
    let onchange = {
        let (send, errors, preview) = (send.clone(), errors.clone(), preview.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(list) = input.files().filter(|l| l.length() > 0) else {
                return;
            };
            preview.set(None);
            let (send, errors) = (send.clone(), errors.clone());
            spawn_local(async move {
                match read_files(list).await {
                    Ok(chosen) => send.emit((chosen, true)),
                    Err(message) => errors.set(FieldErrors(vec![UserError::new(
                        Some("files"),
                        &message,
                        "UNREADABLE",
                    )])),
                }
            });
        })
    };
    let import = {
        let (send, files) = (send, files.clone());
        Callback::from(move |_| send.emit(((*files).clone(), false)))
    };
    // The errors about the files (`files`, `files.0`, …) beside the input; others above.
    let (about_files, general): (Vec<&UserError>, Vec<&UserError>) = errors
        .0
        .iter()
        .partition(|e| e.field.as_deref().is_some_and(|f| f.starts_with("files")));
    let general: Vec<String> = general.iter().map(|e| e.message.clone()).collect();
    html! {
        <details class="import-stats" open=true>
            <summary>{ "Tải tệp CSV từ Meta Business Suite" }</summary>
            <FormErrors messages={general} />
            if let Some(days) = *done {
                <p class="notice success" role="status">{ format!("Đã nhập số liệu {days} ngày.") }</p>
            }
            <label for="stats-files">
                { "Tệp CSV (tối đa 10 tệp, mỗi tệp tối đa 512 KiB)" }
                <input type="file" id="stats-files" name="stats-files" multiple=true ref={input}
                    accept=".csv,text/csv" {onchange} disabled={*busy}
                    aria-invalid={(!about_files.is_empty()).then_some("true")} />
                { for about_files.iter().map(|e| html! { <small class="field-error">{ &e.message }</small> }) }
                <small class="field-help">
                    { "Meta Business Suite → Thông tin chi tiết → Xuất dữ liệu. Số liệu được xem trước, chưa lưu cho đến khi bấm \"Nhập số liệu\"." }
                </small>
            </label>
            if *busy {
                <Loading text="Đang đọc tệp…" />
            }
            if let Some(rows) = &*preview {
                <h3>{ format!("Xem trước: {} ngày", rows.len()) }</h3>
                <div class="stats-preview">{ table(rows) }</div>
                <button type="button" class="import" onclick={import} disabled={*busy || rows.is_empty()}>
                    { "Nhập số liệu" }
                </button>
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct GraphApiProps {
    view: PageStatsView,
    on_changed: Callback<()>,
}

/// What a Graph API action sends: a token (empty to disconnect), or a pull.
#[derive(Clone)]
enum GraphStep {
    Token(String),
    Pull,
}

/// "Kết nối Graph API": the token, the connection and the latest pull.
#[function_component]
fn GraphApiBox(props: &GraphApiProps) -> Html {
    let session = use_session();
    let token = use_state(String::new);
    let errors = use_state(FieldErrors::default);
    let notice = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let act = {
        let (token, errors, notice, busy, client, id, on_changed) = (
            token.clone(),
            errors.clone(),
            notice.clone(),
            busy.clone(),
            session.client(),
            props.view.id.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |step: GraphStep| {
            busy.set(true);
            notice.set(None);
            let (token, errors, notice, busy, client, id, on_changed) = (
                token.clone(),
                errors.clone(),
                notice.clone(),
                busy.clone(),
                client.clone(),
                id.clone(),
                on_changed.clone(),
            );
            spawn_local(async move {
                let result = match &step {
                    GraphStep::Token(typed) => {
                        error_of(service::set_token(&client, &id, typed).await).map(|()| {
                            if typed.trim().is_empty() {
                                "Đã ngắt kết nối Graph API.".to_owned()
                            } else {
                                "Đã kết nối Graph API.".to_owned()
                            }
                        })
                    }
                    GraphStep::Pull => error_of(service::pull_stats(&client, &id).await)
                        .map(|days| format!("Đã lấy số liệu {days} ngày.")),
                };
                busy.set(false);
                token.set(String::new());
                match result {
                    Ok(text) => {
                        errors.set(FieldErrors::default());
                        notice.set(Some(text));
                    }
                    Err(refused) => errors.set(refused),
                }
                on_changed.emit(());
            });
        })
    };
    let g: &GraphApi = &props.view.graph_api;
    let onsubmit = {
        let (act, token) = (act.clone(), token.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            act.emit(GraphStep::Token((*token).clone()));
        })
    };
    let pull = {
        let act = act.clone();
        Callback::from(move |_| act.emit(GraphStep::Pull))
    };
    let disconnect = Callback::from(move |_| act.emit(GraphStep::Token(String::new())));
    let set_token = {
        let token = token.clone();
        Callback::from(move |v: String| token.set(v))
    };
    html! {
        <article class="graph-api">
            <header><strong>{ "Kết nối Graph API" }</strong></header>
            if g.connected {
                <p class="connected">
                    { "Đã kết nối" }
                    if let Some(name) = &g.graph_page_name {
                        { format!(" với trang {name}") }
                    }
                    { ". " }
                    { g.last_pulled_at.as_deref().map_or_else(
                        || "Chưa lấy số liệu lần nào.".to_owned(),
                        |at| format!("Lấy số liệu lần cuối: {}.", format_datetime(at))) }
                </p>
            } else {
                <p>{ "Chưa kết nối. Dán mã truy cập trang (Page access token) từ Meta Business Suite để lấy số liệu tự động." }</p>
            }
            if let Some(e) = &g.last_error {
                <p class="notice error pull-error" role="alert">
                    { &e.message }
                    <small>{ format!(" ({})", e.code) }</small>
                </p>
            }
            if let Some(text) = &*notice {
                <p class="notice success" role="status">{ text }</p>
            }
            <FormErrors messages={errors.general(&["token"])} />
            <form {onsubmit}>
                <Field id="token" label={if g.connected { "Mã truy cập mới" } else { "Mã truy cập trang" }}
                    r#type="password" autocomplete={Some(AttrValue::from("off"))} value={(*token).clone()}
                    oninput={set_token} error={errors.get("token")}
                    help={Some(AttrValue::from("Mã được mã hóa khi lưu và không bao giờ hiện lại."))} />
                <div class="actions">
                    <button type="submit" disabled={*busy || token.trim().is_empty()}>{ "Kết nối" }</button>
                    if g.connected {
                        <button type="button" class="secondary pull" onclick={pull} disabled={*busy}
                            aria-busy={(*busy).then_some("true")}>{ "Lấy số liệu ngay" }</button>
                        <button type="button" class="secondary outline disconnect" onclick={disconnect}
                            disabled={*busy}>{ "Ngắt kết nối" }</button>
                    }
                </div>
            </form>
        </article>
    }
}
