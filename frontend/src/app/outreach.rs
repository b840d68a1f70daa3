//! "Tuyên truyền, giới thiệu trang": whom the officer's unit told about its page — member
//! organisations, residential areas — when and how, and the form to log more.

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use super::stats::count;
use crate::components::{Empty, ErrorBox, Field, FormErrors, Loading, More};
use crate::hooks::{use_list, use_session, use_title};
use crate::models::{FieldErrors, UserError};
use crate::services::stats::{self as service, AudienceKind, Channel, OutreachForm};
use crate::text::{format_day, vietnam_today};

#[function_component]
pub fn Outreach() -> Html {
    use_title("Giới thiệu trang");
    let session = use_session();
    let code = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    let list = {
        let client = session.client();
        use_list(code.clone(), String::new(), move |code: String, after| {
            let client = client.clone();
            async move { service::outreach(&client, &code, after).await }
        })
    };
    let Some((_, v)) = list.loaded() else {
        return match list.error() {
            Some(error) => html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> },
            None => html! { <Loading text="Đang tải sổ giới thiệu trang…" /> },
        };
    };
    let rows = v.entries.items.iter().map(|o| {
        html! {
            <tr key={o.id.clone()}>
                <td class="time">{ format_day(&o.informed_on) }</td>
                <td>{ &o.audience }<br /><small>{ o.audience_kind.label() }</small></td>
                <td>{ o.channel.label() }</td>
                <td class="number">{ count(o.reached) }</td>
                <td>{ o.note.clone().unwrap_or_default() }</td>
            </tr>
        }
    });
    html! {
        <section class="outreach">
            <hgroup>
                <h1>{ "Tuyên truyền, giới thiệu trang" }</h1>
                <p>{ &v.full_name }</p>
            </hgroup>
            if v.write {
                <LogOutreach code={code} on_saved={list.reload()} />
            }
            if v.entries.items.is_empty() {
                <Empty text="Chưa ghi lần giới thiệu trang nào." />
            } else {
                <div class="overflow-auto">
                    <table class="striped outreach-list">
                        <thead>
                            <tr>
                                <th scope="col">{ "Ngày" }</th>
                                <th scope="col">{ "Đối tượng" }</th>
                                <th scope="col">{ "Hình thức" }</th>
                                <th scope="col" class="number">{ "Số người" }</th>
                                <th scope="col">{ "Ghi chú" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            if let Some(error) = list.error() {
                <ErrorBox error={error.clone()} on_retry={list.reload()} />
            }
            if v.entries.next.is_some() {
                <More shown={v.entries.items.len()} total={v.entries.total} busy={list.loading_more()}
                    on_more={list.more()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LogProps {
    code: String,
    on_saved: Callback<()>,
}

const FIELDS: [&str; 6] = [
    "audienceKind",
    "audience",
    "channel",
    "informedOn",
    "reached",
    "note",
];

#[function_component]
fn LogOutreach(props: &LogProps) -> Html {
    let session = use_session();
    let fresh = || OutreachForm {
        informed_on: format_day(&vietnam_today(0)),
        ..OutreachForm::default()
    };
    let form = use_state(fresh);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let saved = use_state(|| false);
    let onsubmit = {
        let (form, errors, busy, saved, client, code, on_saved) = (
            form.clone(),
            errors.clone(),
            busy.clone(),
            saved.clone(),
            session.client(),
            props.code.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            saved.set(false);
            let (typed, form, errors, busy, saved, client, code, on_saved) = (
                (*form).clone(),
                form.clone(),
                errors.clone(),
                busy.clone(),
                saved.clone(),
                client.clone(),
                code.clone(),
                on_saved.clone(),
            );
            spawn_local(async move {
                let result = service::log_outreach(&client, &code, &typed).await;
                busy.set(false);
                match result {
                    Ok(Ok(())) => {
                        errors.set(FieldErrors::default());
                        saved.set(true);
                        form.set(fresh());
                        on_saved.emit(());
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
    let set = |apply: fn(&mut OutreachForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let select = |id: &'static str,
                  label: &'static str,
                  options: Html,
                  apply: fn(&mut OutreachForm, String)| {
        let set = set(apply);
        let onchange = Callback::from(move |e: Event| {
            set.emit(e.target_unchecked_into::<HtmlSelectElement>().value());
        });
        let error = errors.get(id);
        html! {
            <label for={id}>
                { label }
                <select {id} name={id} {onchange} aria-invalid={error.as_ref().map(|_| "true")}>{ options }</select>
                if let Some(error) = error {
                    <small class="field-error">{ error }</small>
                }
            </label>
        }
    };
    let kinds = AudienceKind::ALL
        .into_iter()
        .map(|k| html! { <option value={k.key()} selected={form.audience_kind == k}>{ k.label() }</option> })
        .collect::<Html>();
    let channels = Channel::ALL
        .into_iter()
        .map(|c| html! { <option value={c.key()} selected={form.channel == c}>{ c.label() }</option> })
        .collect::<Html>();
    let note = {
        let set = set(|f, v| f.note = v);
        Callback::from(move |e: InputEvent| {
            set.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    html! {
        <details class="log-outreach">
            <summary>{ "Ghi lần giới thiệu trang" }</summary>
            <form {onsubmit}>
                <FormErrors messages={errors.general(&FIELDS)} />
                if *saved {
                    <p class="notice success" role="status">{ "Đã ghi." }</p>
                }
                <div class="grid">
                    { select("audienceKind", "Đối tượng", kinds, |f, v| {
                        if let Some(k) = AudienceKind::from_key(&v) { f.audience_kind = k; }
                    }) }
                    <Field id="audience" label="Tên đối tượng" value={form.audience.clone()}
                        oninput={set(|f, v| f.audience = v)} error={errors.get("audience")}
                        help={Some(AttrValue::from("Ví dụ: Hội Nông dân xã, Thôn Phú Mỹ."))} required=true />
                </div>
                <div class="grid">
                    { select("channel", "Hình thức", channels, |f, v| {
                        if let Some(c) = Channel::from_key(&v) { f.channel = c; }
                    }) }
                    <Field id="informedOn" label="Ngày" value={form.informed_on.clone()}
                        oninput={set(|f, v| f.informed_on = v)} error={errors.get("informedOn")}
                        help={Some(AttrValue::from("dd/mm/yyyy"))} required=true />
                    <Field id="reached" label="Số người (khoảng)" value={form.reached.clone()}
                        oninput={set(|f, v| f.reached = v)} error={errors.get("reached")} />
                </div>
                <label for="note">
                    { "Ghi chú" }
                    <textarea id="note" name="note" rows="2" value={form.note.clone()} oninput={note}
                        aria-invalid={errors.get("note").map(|_| "true")} />
                    if let Some(error) = errors.get("note") {
                        <small class="field-error">{ error }</small>
                    }
                </label>
                <button type="submit" disabled={*busy} aria-busy={(*busy).then_some("true")}>{ "Ghi" }</button>
            </form>
        </details>
    }
}
