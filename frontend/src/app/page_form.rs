//! Creating and editing a unit's page. The name starts as the one the guideline prescribes
//! and is checked by the API as the officer types; the link is shown as it will be stored
//! before anything is saved. An edit is made on the version loaded, and says so when someone
//! else saved in between.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::components::{Breadcrumbs, ErrorBox, Field, FormErrors, Loading};
use crate::hooks::{use_fetch, use_search_load, use_session, use_title};
use crate::models::{FieldErrors, NameCheck, UserError};
use crate::services::pages::{self as service, PageForm, PageUnit, Saved};

/// The form's inputs, named as the API's input fields.
const FIELDS: [&str; 6] = [
    "name",
    "url",
    "establishedOn",
    "supportedBy",
    "supporterContact",
    "notes",
];

#[derive(Properties, PartialEq)]
pub struct CreatePageProps {
    pub code: String,
}

#[function_component]
pub fn CreatePage(props: &CreatePageProps) -> Html {
    use_title("Tạo trang cộng đồng");
    let session = use_session();
    let draft = {
        let client = session.client();
        use_fetch(props.code.clone(), move |code| async move {
            service::draft(&client, &code).await
        })
    };
    let draft = match draft.for_key(&props.code) {
        None => return html! { <Loading text="Đang tải đơn vị…" /> },
        Some(Err(error)) => {
            return html! { <ErrorBox error={error.clone()} on_retry={draft.reload()} /> };
        }
        Some(Ok(draft)) => draft.clone(),
    };
    let home = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    let body = match (&draft.existing, draft.can_write) {
        (Some(id), _) => html! {
            <p>
                { "Đơn vị đã có trang cộng đồng. " }
                <Link<Route> to={Route::Page { id: id.clone() }}>{ "Xem trang" }</Link<Route>>
            </p>
        },
        (None, false) => html! {
            <p class="notice error" role="alert">
                { "Tài khoản của bạn không tạo được trang cho đơn vị này." }
            </p>
        },
        (None, true) => html! {
            <PageFormView of={draft.of.clone()}
                initial={PageForm { name: draft.of.expected_name.clone(), ..PageForm::default() }}
                page={None::<(String, i64)>} />
        },
    };
    html! {
        <section class="page-form narrow">
            <Breadcrumbs trail={trail(&draft.of)} home_code={home} />
            <h1>{ "Tạo trang cộng đồng" }</h1>
            <p>{ &draft.of.unit.committee_name }</p>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct EditPageProps {
    pub id: String,
}

#[function_component]
pub fn EditPage(props: &EditPageProps) -> Html {
    use_title("Sửa trang cộng đồng");
    let session = use_session();
    let page = {
        let client = session.client();
        use_fetch(props.id.clone(), move |id| async move {
            service::detail(&client, &id).await
        })
    };
    let page = match page.for_key(&props.id) {
        None => return html! { <Loading text="Đang tải trang…" /> },
        Some(Err(error)) => {
            return html! { <ErrorBox error={error.clone()} on_retry={page.reload()} /> };
        }
        Some(Ok(page)) => page.clone(),
    };
    let home = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    html! {
        <section class="page-form narrow">
            <Breadcrumbs trail={trail(&page.of)} home_code={home} />
            <h1>{ "Sửa trang cộng đồng" }</h1>
            <p>
                <Link<Route> to={Route::Page { id: page.id.clone() }}>{ "← Về trang" }</Link<Route>>
            </p>
            if page.can.update {
                <PageFormView of={page.of.clone()} initial={PageForm::of(&page)}
                    page={Some((page.id.clone(), page.version))} />
            } else {
                <p class="notice error" role="alert">
                    { "Tài khoản của bạn không sửa được trang này." }
                </p>
            }
        </section>
    }
}

/// From the province down to the page's unit.
pub fn trail(of: &PageUnit) -> Vec<crate::models::Unit> {
    let mut trail = of.ancestors.clone();
    trail.push(of.unit.clone());
    trail
}

#[derive(Properties, PartialEq)]
struct PageFormViewProps {
    of: PageUnit,
    initial: PageForm,
    /// The page edited and the version it was loaded at; `None` to create one.
    page: Option<(String, i64)>,
}

/// Whether the API refused an edit because the page changed since it was loaded.
pub fn is_stale(errors: &FieldErrors) -> bool {
    errors.0.iter().any(|e| e.code == "STALE_VERSION")
}

#[function_component]
fn PageFormView(props: &PageFormViewProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let form = use_state(|| props.initial.clone());
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let name_check = use_state(|| None::<NameCheck>);
    let url_check = use_state(|| None::<Result<String, String>>);

    {
        let (check, client, code) = (
            name_check.clone(),
            session.client(),
            props.of.unit.code.clone(),
        );
        use_search_load(
            form.name.clone(),
            form.name.clone(),
            move |name, cancelled| {
                if name.trim().is_empty() {
                    check.set(None);
                    return;
                }
                spawn_local(async move {
                    let result = service::check_name(&client, &code, &name).await;
                    if let (Ok(result), false) = (result, cancelled.get()) {
                        check.set(Some(result));
                    }
                });
            },
        );
    }
    {
        let (check, client) = (url_check.clone(), session.client());
        use_search_load(form.url.clone(), form.url.clone(), move |url, cancelled| {
            if url.trim().is_empty() {
                check.set(None);
                return;
            }
            spawn_local(async move {
                let result = service::check_url(&client, url.trim()).await;
                if let (Ok(result), false) = (result, cancelled.get()) {
                    check.set(Some(result));
                }
            });
        });
    }

    let set = |apply: fn(&mut PageForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, errors, busy) = (form.clone(), errors.clone(), busy.clone());
        let (client, page, code) = (
            session.client(),
            props.page.clone(),
            props.of.unit.code.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            if form.name.trim().is_empty() {
                errors.set(FieldErrors(vec![UserError::new(
                    Some("name"),
                    "Nhập tên trang.",
                    "REQUIRED",
                )]));
                return;
            }
            busy.set(true);
            errors.set(FieldErrors::default());
            let (values, errors, busy) = ((*form).clone(), errors.clone(), busy.clone());
            let (client, page, code, navigator) = (
                client.clone(),
                page.clone(),
                code.clone(),
                navigator.clone(),
            );
            spawn_local(async move {
                let result = match &page {
                    None => service::create(&client, &code, &values).await,
                    Some((id, version)) => service::update(&client, id, *version, &values).await,
                };
                busy.set(false);
                match result {
                    Ok(Saved::Done(id)) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Page { id });
                        }
                    }
                    Ok(Saved::Refused(refused)) => errors.set(refused),
                    Err(error) => errors.set(FieldErrors(vec![UserError::new(
                        None,
                        &error.to_string(),
                        "REQUEST_FAILED",
                    )])),
                }
            });
        })
    };

    let name_note = name_check.as_ref().map(|check| {
        if check.conforms {
            html! { <p class="name-check ok" role="status">{ "✓ Tên trang đúng quy định." }</p> }
        } else {
            html! {
                <div class="name-check problems" role="status">
                    <p>{ format!("Tên theo quy định: {}", check.expected) }</p>
                    <ul>{ for check.problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                </div>
            }
        }
    });
    let url_note = url_check.as_ref().map(|check| match check {
        Ok(url) => html! {
            <p class="url-check ok" role="status">
                { "Đường dẫn sẽ được lưu là: " }<code class="canonical-url">{ url }</code>
            </p>
        },
        Err(problem) => html! { <p class="url-check problem" role="status">{ problem }</p> },
    });
    let stale = is_stale(&errors);
    let general: Vec<String> = if stale {
        Vec::new()
    } else {
        errors.general(&FIELDS)
    };
    html! {
        <form {onsubmit} novalidate=true>
            <FormErrors messages={general} />
            if stale {
                <div class="notice error stale" role="alert">
                    <p>
                        { "Trang đã được người khác thay đổi sau khi bạn mở biểu mẫu, nên thay đổi \
                           của bạn chưa được lưu. Hãy tải lại trang để xem bản mới nhất rồi sửa lại." }
                    </p>
                    <button type="button" class="secondary"
                        onclick={|_| { if let Some(w) = web_sys::window() { let _ = w.location().reload(); } }}>
                        { "Tải lại" }
                    </button>
                </div>
            }
            <Field id="name" label="Tên trang" required=true autocomplete="off"
                value={form.name.clone()} oninput={set(|f, v| f.name = v)}
                error={errors.get("name")}
                help={format!("Tên theo quy định: {}", props.of.expected_name)} />
            { for name_note }
            <p class="suggested-username">
                <small>
                    { "Tên người dùng (username) nên đặt: " }
                    <code>{ &props.of.suggested_username }</code>
                </small>
            </p>
            <Field id="url" label="Đường dẫn trang (Facebook)" r#type="url" autocomplete="off"
                value={form.url.clone()} oninput={set(|f, v| f.url = v)}
                error={errors.get("url")}
                help="Để trống khi trang chưa lập xong: trang ở trạng thái Đang lập." />
            { for url_note }
            <Field id="establishedOn" label="Ngày thành lập" r#type="date"
                value={form.established_on.clone()} oninput={set(|f, v| f.established_on = v)}
                error={errors.get("establishedOn")} />
            <Field id="supportedBy" label="Đơn vị hỗ trợ xây dựng trang" autocomplete="off"
                value={form.supported_by.clone()} oninput={set(|f, v| f.supported_by = v)}
                error={errors.get("supportedBy")} help="Ví dụ: Huyện đoàn Phú Ninh" />
            <Field id="supporterContact" label="Liên hệ đơn vị hỗ trợ" autocomplete="off"
                value={form.supporter_contact.clone()} oninput={set(|f, v| f.supporter_contact = v)}
                error={errors.get("supporterContact")} />
            <Field id="notes" label="Ghi chú" autocomplete="off"
                value={form.notes.clone()} oninput={set(|f, v| f.notes = v)}
                error={errors.get("notes")} />
            <button type="submit" aria-busy={(*busy).then_some("true")} disabled={*busy}>
                { if props.page.is_some() { "Lưu thay đổi" } else { "Tạo trang" } }
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_version_is_told_apart_from_other_refusals() {
        let stale = FieldErrors(vec![UserError::new(
            Some("expectedVersion"),
            "Trang đã thay đổi.",
            "STALE_VERSION",
        )]);
        assert!(is_stale(&stale));
        let other = FieldErrors(vec![UserError::new(
            Some("url"),
            "Sai.",
            "PAGE_URL_IS_GROUP",
        )]);
        assert!(!is_stale(&other));
    }
}
