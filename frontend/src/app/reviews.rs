//! "Đánh giá": the reviews of the pages of the officer's subtree by the levels above, of a
//! period or all; and the form to review a page, for whom the API lets approve its unit,
//! beside the figures the API computes for it.

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use super::not_found::NotFound;
use super::stats::{count, effectiveness_card, growth};
use crate::components::{Empty, ErrorBox, Field, FormErrors, Loading, More};
use crate::error::Error;
use crate::hooks::{use_fetch, use_list, use_session, use_title};
use crate::models::{FieldErrors, UserError};
use crate::services::stats::{self as service, Rating, ReviewForm, quarter};
use crate::text::{decimal, format_date, percent, vietnam_today};

/// The reviews of the officer's subtree.
#[function_component]
pub fn Reviews() -> Html {
    use_title("Đánh giá");
    let session = use_session();
    let code = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    let period = use_state(String::new);
    let list = {
        let client = session.client();
        use_list(
            (code, (*period).clone()),
            String::new(),
            move |(code, period): (String, String), after| {
                let client = client.clone();
                async move {
                    let period = (!period.is_empty()).then_some(period);
                    service::reviews(&client, &code, period, after).await
                }
            },
        )
    };
    let today = vietnam_today(0);
    let onchange = {
        let period = period.clone();
        Callback::from(move |e: Event| {
            period.set(e.target_unchecked_into::<HtmlSelectElement>().value());
        })
    };
    let options = (0..4).map(|back| {
        let q = quarter(&today, back);
        html! { <option value={q.clone()} selected={*period == q}>{ quarter_label(&q) }</option> }
    });
    let filter = html! {
        <label for="review-period">
            { "Kỳ đánh giá" }
            <select id="review-period" name="review-period" {onchange}>
                <option value="" selected={period.is_empty()}>{ "Tất cả" }</option>
                { for options }
            </select>
        </label>
    };
    let Some((_, slice)) = list.loaded() else {
        return html! {
            <section class="reviews">
                <h1>{ "Đánh giá" }</h1>
                { filter }
                if let Some(error) = list.error() {
                    <ErrorBox error={error.clone()} on_retry={list.reload()} />
                } else {
                    <Loading text="Đang tải các đánh giá…" />
                }
            </section>
        };
    };
    let rows = slice.items.iter().map(|r| {
        html! {
            <tr key={r.id.clone()}>
                <td>
                    { &r.unit_name }
                    if let Some((id, name)) = &r.page {
                        <br /><small><Link<Route> to={Route::PageStats { id: id.clone() }}>{ name }</Link<Route>></small>
                    }
                </td>
                <td>{ &r.period_label }</td>
                <td><mark class={classes!("badge", "rating", r.rating_key.to_lowercase())}>{ &r.rating_label }</mark></td>
                <td>
                    if let Some(c) = &r.comments { <p>{ c }</p> }
                    if let Some(c) = &r.recommendations { <p><em>{ "Kiến nghị: " }</em>{ c }</p> }
                    <small>{ format!("{} · {}", r.reviewer_name, format_date(&r.created_at)) }</small>
                </td>
                <td class="number">
                    { format!("{} người theo dõi ({})", count(r.followers), growth(r.growth_30_days)) }<br />
                    { format!("{} bài/tuần", decimal(r.posts_per_week)) }<br />
                    { format!("chia sẻ {}", r.share_compliance.map_or_else(|| "—".to_owned(), percent)) }
                </td>
            </tr>
        }
    });
    html! {
        <section class="reviews">
            <h1>{ "Đánh giá" }</h1>
            { filter }
            if slice.items.is_empty() {
                <Empty text="Chưa có đánh giá nào." />
            } else {
                <div class="overflow-auto">
                    <table class="striped review-list">
                        <thead>
                            <tr>
                                <th scope="col">{ "Đơn vị" }</th>
                                <th scope="col">{ "Kỳ" }</th>
                                <th scope="col">{ "Xếp loại" }</th>
                                <th scope="col">{ "Nhận xét" }</th>
                                <th scope="col" class="number">{ "Số liệu khi đánh giá" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            if let Some(error) = list.error() {
                <ErrorBox error={error.clone()} on_retry={list.reload()} />
            }
            if slice.next.is_some() {
                <More shown={slice.items.len()} total={slice.total} busy={list.loading_more()}
                    on_more={list.more()} />
            }
        </section>
    }
}

/// "Quý IV/2026" of `2026-Q4`.
fn quarter_label(q: &str) -> String {
    let (year, n) = q.split_once("-Q").unwrap_or((q, ""));
    let roman = match n {
        "1" => "I",
        "2" => "II",
        "3" => "III",
        _ => "IV",
    };
    format!("Quý {roman}/{year}")
}

#[derive(Properties, PartialEq)]
pub struct ReviewPageProps {
    pub id: String,
}

const FIELDS: [&str; 4] = ["period", "rating", "comments", "recommendations"];

/// "Đánh giá trang": a review of a page, beside its figures.
#[function_component]
pub fn ReviewPageScreen(props: &ReviewPageProps) -> Html {
    use_title("Đánh giá trang");
    let session = use_session();
    let navigator = use_navigator();
    let page = {
        let client = session.client();
        use_fetch(props.id.clone(), move |id| async move {
            service::page_stats(&client, &id, None, None).await
        })
    };
    let form = use_state(|| ReviewForm {
        period: quarter(&vietnam_today(0), 0),
        ..ReviewForm::default()
    });
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let v = match page.for_key(&props.id).cloned() {
        None => return html! { <Loading text="Đang tải trang…" /> },
        Some(Err(Error::NotFound)) => return html! { <NotFound /> },
        Some(Err(error)) => return html! { <ErrorBox {error} on_retry={page.reload()} /> },
        Some(Ok(v)) => v,
    };
    let onsubmit = {
        let (form, errors, busy, client, id) = (
            form.clone(),
            errors.clone(),
            busy.clone(),
            session.client(),
            v.id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            let (typed, errors, busy, client, id, navigator) = (
                (*form).clone(),
                errors.clone(),
                busy.clone(),
                client.clone(),
                id.clone(),
                navigator.clone(),
            );
            spawn_local(async move {
                let result = service::review_page(&client, &id, &typed).await;
                busy.set(false);
                match result {
                    Ok(Ok(())) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Reviews);
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
    let set = |apply: fn(&mut ReviewForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let area =
        |id: &'static str, label: &'static str, value: &str, apply: fn(&mut ReviewForm, String)| {
            let set = set(apply);
            let oninput = Callback::from(move |e: InputEvent| {
                set.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value());
            });
            let error = errors.get(id);
            html! {
                <label for={id}>
                    { label }
                    <textarea {id} name={id} rows="3" value={value.to_owned()} {oninput}
                        aria-invalid={error.as_ref().map(|_| "true")} />
                    if let Some(error) = error {
                        <small class="field-error">{ error }</small>
                    }
                </label>
            }
        };
    let ratings = Rating::ALL.into_iter().map(|r| {
        let id = format!("rating-{}", r.key().to_lowercase());
        let onchange = {
            let form = form.clone();
            Callback::from(move |_| {
                let mut next = (*form).clone();
                next.rating = Some(r);
                form.set(next);
            })
        };
        html! {
            <label for={id.clone()}>
                <input type="radio" id={id.clone()} name="rating" value={r.key()}
                    checked={form.rating == Some(r)} {onchange} />
                { r.label() }
            </label>
        }
    });
    html! {
        <section class="review-page">
            <p><Link<Route> to={Route::PageStats { id: v.id.clone() }}>{ format!("‹ {}", v.name) }</Link<Route>></p>
            <hgroup>
                <h1>{ "Đánh giá trang" }</h1>
                <p>{ format!("{} · {}", v.name, v.unit_name) }</p>
            </hgroup>
            <div class="grid">
                { effectiveness_card(&v.effectiveness) }
                if v.approve {
                    <form class="review-form" {onsubmit}>
                        <FormErrors messages={errors.general(&FIELDS)} />
                        <Field id="period" label="Kỳ đánh giá" value={form.period.clone()}
                            oninput={set(|f, v| f.period = v)} error={errors.get("period")}
                            help={Some(AttrValue::from("Tháng 2026-11, quý 2026-Q4, nửa năm 2026-H2 hoặc năm 2026."))}
                            required=true />
                        <fieldset aria-invalid={errors.get("rating").map(|_| "true")}>
                            <legend>{ "Xếp loại" }</legend>
                            { for ratings }
                            if let Some(error) = errors.get("rating") {
                                <small class="field-error">{ error }</small>
                            }
                        </fieldset>
                        { area("comments", "Nhận xét", &form.comments, |f, v| f.comments = v) }
                        { area("recommendations", "Kiến nghị", &form.recommendations, |f, v| f.recommendations = v) }
                        <button type="submit" disabled={*busy} aria-busy={(*busy).then_some("true")}>
                            { "Lưu đánh giá" }
                        </button>
                    </form>
                } else {
                    <p>{ "Bạn không có quyền đánh giá trang này." }</p>
                }
            </div>
        </section>
    }
}
