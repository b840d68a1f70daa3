//! A unit's officers (cán bộ): the list, adding, changing and taking one off it; and on a
//! page's screen, its leader and operator chosen among them, with who held each duty when.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::components::{Breadcrumbs, Confirm, Empty, ErrorBox, Field, FormErrors, Loading, More};
use crate::error::Error;
use crate::hooks::{Listing, use_list, use_search_load, use_session, use_title};
use crate::models::{FieldErrors, Person, UserError};
use crate::services::Slice;
use crate::services::pages::{PageView, Saved};
use crate::services::people::{self as service, Change, PersonForm, Staff};
use crate::text::format_day;

/// The form's inputs, named as the API's input fields.
const FIELDS: [&str; 4] = ["fullName", "position", "phone", "email"];

/// "Nguyễn Văn A (Phó Chủ tịch, 0912345678)".
fn described(person: &Person) -> String {
    format!(
        "{} ({}, {})",
        person.full_name, person.position, person.phone
    )
}

#[derive(Properties, PartialEq)]
pub struct StaffingProps {
    pub page: PageView,
    /// Called after a duty was given: the page is loaded again.
    pub on_changed: Callback<()>,
}

/// The page's leader and operator, the choice of each for whom may change them, and the
/// history of both duties.
#[function_component]
pub fn Staffing(props: &StaffingProps) -> Html {
    let session = use_session();
    let page = &props.page;
    let code = page.of.unit.code.clone();
    let leader_pick = use_state(String::new);
    let operator_pick = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    let assign = |leader: bool| {
        let pick = if leader {
            leader_pick.clone()
        } else {
            operator_pick.clone()
        };
        let (busy, error, client, id, changed) = (
            busy.clone(),
            error.clone(),
            session.client(),
            page.id.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |_| {
            if pick.is_empty() || *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let (person, busy, error, client, id, changed, pick) = (
                (*pick).clone(),
                busy.clone(),
                error.clone(),
                client.clone(),
                id.clone(),
                changed.clone(),
                pick.clone(),
            );
            spawn_local(async move {
                let result = service::assign(&client, &id, &person, leader).await;
                busy.set(false);
                match result {
                    Ok(Saved::Done(_)) => {
                        pick.set(String::new());
                        changed.emit(());
                    }
                    Ok(Saved::Refused(errors)) => error.set(Some(errors.general(&[]).join(" "))),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        })
    };
    let choose = |pick: &UseStateHandle<String>| {
        let pick = pick.clone();
        Callback::from(move |value: String| pick.set(value))
    };

    let holder = |person: &Option<Person>| {
        person
            .as_ref()
            .map_or_else(|| "Chưa phân công".to_owned(), described)
    };
    let picker = |leader: bool| {
        let (id, label, pick) = if leader {
            ("leader-pick", "Giao lãnh đạo phụ trách", &leader_pick)
        } else {
            (
                "operator-pick",
                "Giao cán bộ quản lý, vận hành",
                &operator_pick,
            )
        };
        html! {
            <PersonPick {id} {label} code={code.clone()} pick={(**pick).clone()}
                on_pick={choose(pick)} busy={*busy} on_go={assign(leader)} />
        }
    };
    let history = page.assignments.iter().map(|a| {
        html! {
            <tr>
                <td>{ if a.leader { "Lãnh đạo phụ trách" } else { "Cán bộ quản lý, vận hành" } }</td>
                <td>{ &a.person.full_name }</td>
                <td>{ format_day(&a.starts_on) }</td>
                <td>{ a.ends_on.as_deref().map_or_else(|| "nay".to_owned(), format_day) }</td>
            </tr>
        }
    });
    html! {
        <>
            <h2>{ "Nhân sự phụ trách" }</h2>
            <dl class="facts page-staff">
                <dt>{ "Lãnh đạo phụ trách" }</dt>
                <dd class="leader">{ holder(&page.leader) }</dd>
                <dt>{ "Cán bộ quản lý, vận hành" }</dt>
                <dd class="operator">{ holder(&page.operator) }</dd>
            </dl>
            if !page.staffing_complete {
                <p class="notice"><small>{ "Trang cần đủ 1 lãnh đạo phụ trách và 1 cán bộ quản lý, vận hành." }</small></p>
            }
            if page.can.update {
                if let Some(error) = &*error {
                    <p class="notice error" role="alert">{ error }</p>
                }
                { picker(true) }
                { picker(false) }
                <p>
                    <Link<Route> to={Route::UnitPeople { code: code.clone() }}>
                        { "Danh sách cán bộ của đơn vị" }
                    </Link<Route>>
                </p>
            }
            if !page.assignments.is_empty() {
                <h3>{ "Lịch sử phân công" }</h3>
                <div class="overflow-auto">
                    <table class="striped assignments">
                        <thead>
                            <tr>
                                <th scope="col">{ "Nhiệm vụ" }</th>
                                <th scope="col">{ "Cán bộ" }</th>
                                <th scope="col">{ "Từ ngày" }</th>
                                <th scope="col">{ "Đến ngày" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for history }</tbody>
                    </table>
                </div>
            }
        </>
    }
}

/// The unit stays; its officers come one slice at a time.
impl Listing for Staff {
    fn next(&self) -> Option<String> {
        self.people.next()
    }

    fn total(&self) -> i64 {
        self.people.total()
    }

    fn shown(&self) -> usize {
        self.people.shown()
    }

    fn append(&mut self, more: Self) {
        self.people.append(more.people);
    }
}

#[derive(Properties, PartialEq)]
struct PersonPickProps {
    /// The select's id ("leader-pick"); the search box's is `<id>-search`, the button's
    /// `<id>-go`.
    id: AttrValue,
    label: AttrValue,
    /// The unit whose officers are offered.
    code: String,
    /// The officer chosen, by id; empty when none.
    pick: String,
    on_pick: Callback<String>,
    busy: bool,
    on_go: Callback<MouseEvent>,
}

/// The choice of an officer for a duty: a search box (the API's search of the unit's
/// officers, after a pause in typing) and the first [`service::PICK_LIMIT`] it finds.
#[function_component]
fn PersonPick(props: &PersonPickProps) -> Html {
    let session = use_session();
    let search = use_state(String::new);
    let retry = use_state(|| 0_u32);
    let found = use_state(|| None::<Result<Slice<Person>, Error>>);
    {
        let (found, client) = (found.clone(), session.client());
        use_search_load(
            (props.code.clone(), (*search).clone(), *retry),
            (*search).clone(),
            move |(code, search, _), cancelled| {
                spawn_local(async move {
                    let result = service::pick(&client, &code, &search).await;
                    if !cancelled.get() {
                        found.set(Some(result));
                    }
                });
            },
        );
    }
    let oninput = {
        let (search, on_pick) = (search.clone(), props.on_pick.clone());
        Callback::from(move |e: InputEvent| {
            // A choice among the last results may not be among the next ones.
            on_pick.emit(String::new());
            search.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let onchange = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |e: Event| {
            on_pick.emit(e.target_unchecked_into::<HtmlSelectElement>().value());
        })
    };
    let on_retry = {
        let retry = retry.clone();
        Callback::from(move |()| retry.set(*retry + 1))
    };
    let id = &props.id;
    let search_id = format!("{id}-search");
    let pick = &props.pick;
    let (options, more) = match &*found {
        Some(Ok(slice)) => (
            slice.items.clone(),
            slice.next().is_some().then(|| {
                format!(
                    "Đang hiện {}/{} cán bộ; gõ tên để tìm người khác.",
                    slice.shown(),
                    slice.total
                )
            }),
        ),
        _ => (Vec::new(), None),
    };
    html! {
        <div class="assign">
            <label for={search_id.clone()}>
                { format!("{} — tìm cán bộ", props.label) }
                <input id={search_id} type="search" value={(*search).clone()} {oninput}
                    autocomplete="off" placeholder="Tên, chức vụ, điện thoại hoặc thư điện tử"
                    aria-busy={found.is_none().then_some("true")} />
            </label>
            if let Some(Err(error)) = &*found {
                <ErrorBox error={error.clone()} {on_retry} />
            }
            <label for={id.clone()}>
                { &props.label }
                <select id={id.clone()} {onchange}>
                    <option value="" selected={pick.is_empty()}>
                        { if matches!(&*found, Some(Ok(s)) if s.items.is_empty()) {
                            "Không tìm thấy cán bộ nào"
                        } else {
                            "Chọn cán bộ…"
                        } }
                    </option>
                    { for options.iter().map(|p| html! {
                        <option value={p.id.clone()} selected={*pick == p.id}>{ described(p) }</option>
                    }) }
                </select>
            </label>
            if let Some(more) = more {
                <p><small>{ more }</small></p>
            }
            <button type="button" class="secondary" id={format!("{id}-go")} onclick={props.on_go.clone()}
                disabled={pick.is_empty() || props.busy} aria-busy={props.busy.then_some("true")}>
                { "Giao" }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PeopleProps {
    pub code: String,
}

/// What the staff screen is doing besides listing.
#[derive(Clone, PartialEq)]
enum Editing {
    None,
    Adding,
    Changing(Person),
    Removing(Person),
}

#[function_component]
pub fn PeopleScreen(props: &PeopleProps) -> Html {
    let session = use_session();
    let staff = {
        let client = session.client();
        use_list(
            props.code.clone(),
            String::new(),
            move |code: String, after| {
                let client = client.clone();
                async move { service::staff(&client, &code, None, after).await }
            },
        )
    };
    let editing = use_state(|| Editing::None);
    let notice = use_state(|| None::<(bool, String)>);
    let loaded = staff
        .loaded()
        .filter(|(code, _)| **code == props.code)
        .map(|(_, s)| s.clone());
    let title = match &loaded {
        Some(s) => format!("Cán bộ của {}", s.unit.full_name),
        None => "Cán bộ".to_owned(),
    };
    use_title(&title);
    let staff_now = match (loaded, staff.error()) {
        (_, Some(error)) => {
            return html! { <ErrorBox error={error.clone()} on_retry={staff.reload()} /> };
        }
        (Some(s), None) => s,
        (None, None) => return html! { <Loading text="Đang tải cán bộ…" /> },
    };
    let home = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    let mut trail = staff_now.ancestors.clone();
    trail.push(staff_now.unit.clone());

    let set_editing = |to: Editing| {
        let (editing, notice) = (editing.clone(), notice.clone());
        Callback::from(move |_: MouseEvent| {
            notice.set(None);
            editing.set(to.clone());
        })
    };
    let finished = {
        let (editing, notice, reload) = (editing.clone(), notice.clone(), staff.reload());
        Callback::from(move |text: String| {
            editing.set(Editing::None);
            notice.set(Some((true, text)));
            reload.emit(());
        })
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(Editing::None))
    };
    let remove_dialog = match &*editing {
        Editing::Removing(person) => {
            let (person, client, finished, notice, editing) = (
                person.clone(),
                session.client(),
                finished.clone(),
                notice.clone(),
                editing.clone(),
            );
            let question = format!("Xóa {} khỏi danh sách cán bộ?", person.full_name);
            let on_confirm = Callback::from(move |()| {
                let (person, client, finished, notice, editing) = (
                    person.clone(),
                    client.clone(),
                    finished.clone(),
                    notice.clone(),
                    editing.clone(),
                );
                spawn_local(async move {
                    match service::remove(&client, &person.id).await {
                        Ok(Change::Done(_)) => {
                            finished.emit(format!("Đã xóa {} khỏi danh sách.", person.full_name));
                        }
                        Ok(Change::Refused(errors)) => {
                            editing.set(Editing::None);
                            notice.set(Some((false, errors.general(&[]).join(" "))));
                        }
                        Err(e) => {
                            editing.set(Editing::None);
                            notice.set(Some((false, e.to_string())));
                        }
                    }
                });
            });
            html! {
                <Confirm {question} confirm_label="Xóa khỏi danh sách"
                    details={vec!["Lịch sử phân công của cán bộ vẫn được giữ.".to_owned()]}
                    {on_confirm} on_cancel={cancel.clone()} />
            }
        }
        _ => html! {},
    };
    let form = match &*editing {
        Editing::Adding => html! {
            <PersonFormView code={staff_now.unit.code.clone()} person={None::<Person>}
                on_done={finished.clone()} on_cancel={cancel.clone()} />
        },
        Editing::Changing(person) => html! {
            <PersonFormView code={staff_now.unit.code.clone()} person={Some(person.clone())}
                on_done={finished.clone()} on_cancel={cancel.clone()} />
        },
        _ => html! {},
    };
    let can_write = staff_now.can_write;
    let rows = staff_now.people.items.iter().map(|person| {
        html! {
            <tr key={person.id.clone()}>
                <td class="person-name">{ &person.full_name }</td>
                <td>{ &person.position }</td>
                <td>{ &person.phone }</td>
                <td>{ person.email.clone().unwrap_or_default() }</td>
                if can_write {
                    <td class="row-actions">
                        <button type="button" class="secondary outline"
                            onclick={set_editing(Editing::Changing(person.clone()))}>{ "Sửa" }</button>
                        <button type="button" class="secondary outline"
                            onclick={set_editing(Editing::Removing(person.clone()))}>{ "Xóa" }</button>
                    </td>
                }
            </tr>
        }
    });
    html! {
        <section class="people">
            <Breadcrumbs {trail} home_code={home} />
            <h1>{ format!("Cán bộ của {}", staff_now.unit.full_name) }</h1>
            if let Some((ok, text)) = &*notice {
                <p class={classes!("notice", if *ok { "success" } else { "error" })}
                    role={if *ok { "status" } else { "alert" }}>{ text }</p>
            }
            if can_write && *editing == Editing::None {
                <p>
                    <button type="button" class="add-person" onclick={set_editing(Editing::Adding)}>
                        { "Thêm cán bộ" }
                    </button>
                </p>
            }
            { form }
            { remove_dialog }
            if staff_now.people.items.is_empty() {
                <Empty text="Đơn vị chưa có cán bộ nào trong danh sách." />
            } else {
                <p><small>{ format!("{} cán bộ", staff_now.people.total) }</small></p>
                <div class="overflow-auto">
                    <table class="striped people">
                        <thead>
                            <tr>
                                <th scope="col">{ "Họ và tên" }</th>
                                <th scope="col">{ "Chức vụ" }</th>
                                <th scope="col">{ "Điện thoại" }</th>
                                <th scope="col">{ "Thư điện tử" }</th>
                                if can_write {
                                    <th scope="col">{ "Thao tác" }</th>
                                }
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                if staff_now.people.next().is_some() {
                    <More shown={staff_now.people.shown()} total={staff_now.people.total}
                        busy={staff.loading_more()} on_more={staff.more()} />
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PersonFormProps {
    code: String,
    /// The officer changed; `None` to add one.
    person: Option<Person>,
    /// Called with what to tell the officer once saved.
    on_done: Callback<String>,
    on_cancel: Callback<()>,
}

#[function_component]
fn PersonFormView(props: &PersonFormProps) -> Html {
    let session = use_session();
    let form = use_state(|| {
        props
            .person
            .as_ref()
            .map(PersonForm::of)
            .unwrap_or_default()
    });
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let set = |apply: fn(&mut PersonForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, errors, busy, client) =
            (form.clone(), errors.clone(), busy.clone(), session.client());
        let (code, person, on_done) = (
            props.code.clone(),
            props.person.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            errors.set(FieldErrors::default());
            let (values, errors, busy, client, code, person, on_done) = (
                (*form).clone(),
                errors.clone(),
                busy.clone(),
                client.clone(),
                code.clone(),
                person.clone(),
                on_done.clone(),
            );
            spawn_local(async move {
                let result = match &person {
                    None => service::create(&client, &code, &values).await,
                    Some(person) => service::update(&client, person, &values).await,
                };
                busy.set(false);
                match result {
                    Ok(Change::Done(name)) => on_done.emit(if person.is_some() {
                        format!("Đã lưu thông tin của {name}.")
                    } else {
                        format!("Đã thêm {name}.")
                    }),
                    Ok(Change::Refused(refused)) => errors.set(refused),
                    Err(error) => errors.set(FieldErrors(vec![UserError::new(
                        None,
                        &error.to_string(),
                        "REQUEST_FAILED",
                    )])),
                }
            });
        })
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_| on_cancel.emit(()))
    };
    let heading = if props.person.is_some() {
        "Sửa thông tin cán bộ"
    } else {
        "Thêm cán bộ"
    };
    html! {
        <article class="person-form">
            <header><strong>{ heading }</strong></header>
            <form {onsubmit} novalidate=true>
                <FormErrors messages={errors.general(&FIELDS)} />
                <Field id="fullName" label="Họ và tên" required=true autocomplete="off"
                    value={form.full_name.clone()} oninput={set(|f, v| f.full_name = v)}
                    error={errors.get("fullName")} />
                <Field id="position" label="Chức vụ" required=true autocomplete="off"
                    value={form.position.clone()} oninput={set(|f, v| f.position = v)}
                    error={errors.get("position")} help="Ví dụ: Phó Chủ tịch Ủy ban MTTQ huyện" />
                <Field id="phone" label="Điện thoại" r#type="tel" required=true autocomplete="off"
                    value={form.phone.clone()} oninput={set(|f, v| f.phone = v)}
                    error={errors.get("phone")} />
                <Field id="email" label="Thư điện tử (không bắt buộc)" r#type="email" autocomplete="off"
                    value={form.email.clone()} oninput={set(|f, v| f.email = v)}
                    error={errors.get("email")} />
                <div class="actions">
                    <button type="submit" aria-busy={(*busy).then_some("true")} disabled={*busy}>
                        { "Lưu" }
                    </button>
                    <button type="button" class="secondary" onclick={cancel}>{ "Hủy" }</button>
                </div>
            </form>
        </article>
    }
}
