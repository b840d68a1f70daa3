//! "Tài khoản" (admins): the accounts of the subtree — search, create (the generated
//! password shown once), change role, disable ("vô hiệu hóa") and enable again, reset
//! password. Every change to an account is confirmed first and its outcome shown under
//! the account's row.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::{Confirm, Empty, ErrorBox, Field, FormErrors, Loading, OneTimeSecret};
use crate::error::Error;
use crate::hooks::{use_search_load, use_session, use_title};
use crate::models::{Account, FieldErrors, Role, Unit, UserError};
use crate::services::Client;
use crate::services::accounts::{self as service, AccountList, Change, NewAccount};
use crate::services::units as unit_service;
use crate::text::{self, PASSWORD_RULE};

/// The create form's inputs, named as the API's `CreateAccountInput` fields.
const CREATE_FIELDS: [&str; 5] = ["unitCode", "username", "displayName", "role", "password"];

/// What the browser checks before asking the server (which has the real rules).
pub fn validate_new_account(new: &NewAccount) -> FieldErrors {
    let mut errors = Vec::new();
    let username = new.username.trim();
    if username.is_empty() {
        errors.push(UserError::new(
            Some("username"),
            "Nhập tên đăng nhập.",
            "REQUIRED",
        ));
    } else if username.chars().any(char::is_whitespace) {
        errors.push(UserError::new(
            Some("username"),
            "Tên đăng nhập không được chứa khoảng trắng.",
            "INVALID",
        ));
    }
    if new.display_name.trim().is_empty() {
        errors.push(UserError::new(
            Some("displayName"),
            "Nhập họ và tên.",
            "REQUIRED",
        ));
    }
    if new.role.is_none() {
        errors.push(UserError::new(Some("role"), "Chọn vai trò.", "REQUIRED"));
    }
    FieldErrors(errors)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftField {
    Username,
    DisplayName,
    Role,
    Password,
}

/// A change to one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowChange {
    Role(Role),
    Active(bool),
    ResetPassword,
}

/// A change the admin asked for, to confirm (or running once confirmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The account as it is before the change.
    pub account: Account,
    pub change: RowChange,
}

/// "Nguyễn Thị Dân (xa.tamdan)".
fn who(account: &Account) -> String {
    format!("{} ({})", account.display_name, account.username)
}

impl Pending {
    /// The question to confirm, what the change means, and the confirming button's label.
    pub fn question(&self) -> (String, Vec<String>, &'static str) {
        let account = &self.account;
        let who = who(account);
        match self.change {
            RowChange::Role(role) => (
                format!(
                    "Đổi vai trò của {who} từ {} thành {}?",
                    account.role.label(),
                    role.label()
                ),
                vec![role.allows(&account.unit.full_name)],
                "Đổi vai trò",
            ),
            RowChange::Active(false) => (
                format!("Vô hiệu hóa tài khoản của {who}?"),
                vec![
                    "Cán bộ sẽ không đăng nhập được nữa và các phiên đang mở kết thúc ngay. \
                     Có thể kích hoạt lại sau."
                        .to_owned(),
                ],
                "Vô hiệu hóa",
            ),
            RowChange::Active(true) => (
                format!("Kích hoạt lại tài khoản của {who}?"),
                vec![format!(
                    "Cán bộ sẽ đăng nhập lại được, với vai trò {}.",
                    account.role.label()
                )],
                "Kích hoạt lại",
            ),
            RowChange::ResetPassword => (
                format!("Đặt lại mật khẩu của {who}?"),
                vec![
                    "Mật khẩu cũ sẽ không dùng được nữa. Hệ thống tạo một mật khẩu dùng một lần \
                     để bạn chuyển cho cán bộ; họ phải đổi mật khẩu khi đăng nhập."
                        .to_owned(),
                ],
                "Đặt lại mật khẩu",
            ),
        }
    }

    /// What is shown once the server made the change; `saved` is the account it answered.
    pub fn done(&self, saved: &Account) -> String {
        let who = who(saved);
        match self.change {
            RowChange::Role(_) => format!(
                "Đã đổi vai trò của {who} từ {} thành {}.",
                self.account.role.label(),
                saved.role.label()
            ),
            RowChange::Active(false) => format!("Đã vô hiệu hóa tài khoản của {who}."),
            RowChange::Active(true) => format!("Đã kích hoạt lại tài khoản của {who}."),
            RowChange::ResetPassword => format!("Đã đặt lại mật khẩu của {who}."),
        }
    }

    /// What is shown when the change was refused or failed, with the reason.
    pub fn failed(&self, reason: &str) -> String {
        let what = match self.change {
            RowChange::Role(_) => "Chưa đổi được vai trò",
            RowChange::Active(false) => "Chưa vô hiệu hóa được tài khoản",
            RowChange::Active(true) => "Chưa kích hoạt lại được tài khoản",
            RowChange::ResetPassword => "Chưa đặt lại được mật khẩu",
        };
        let reason = if reason.trim().is_empty() {
            "Vui lòng thử lại."
        } else {
            reason.trim()
        };
        format!("{what} của {}: {reason}", who(&self.account))
    }
}

/// The outcome of the last change to a row, shown under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowNotice {
    pub id: String,
    pub ok: bool,
    pub text: String,
}

/// A password to hand over once: to whom, and the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    pub title: String,
    pub password: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags of one page"
)]
pub struct AccountsState {
    pub search: String,
    pub list: Option<AccountList>,
    pub error: Option<Error>,
    pub loading: bool,
    pub loading_more: bool,
    pub reload: u32,
    pub form_open: bool,
    pub draft: NewAccount,
    pub form_errors: FieldErrors,
    pub creating: bool,
    pub secret: Option<Secret>,
    /// The change waiting for the admin's confirmation.
    pub pending: Option<Pending>,
    /// The account a change is running on.
    pub row_busy: Option<String>,
    pub row_notice: Option<RowNotice>,
    /// Bumped to redraw the role menus from the saved roles, after a role change was
    /// cancelled or refused (the menu still shows the role picked).
    pub role_menus: u32,
}

pub enum AccountsAction {
    Search(String),
    Started,
    Loaded(AccountList),
    Failed(Error),
    MoreStarted,
    MoreLoaded(AccountList),
    Reload,
    ToggleForm,
    Edit(DraftField, String),
    CreateStarted,
    CreateInvalid(FieldErrors),
    Created {
        account: Account,
        password: Option<String>,
    },
    Ask(Pending),
    Cancel,
    RowStarted(String),
    RowDone {
        account: Account,
        password: Option<String>,
        message: String,
    },
    RowRefused {
        id: String,
        message: String,
    },
    CloseSecret,
}

impl AccountsState {
    fn created(&mut self, account: Account, password: Option<String>) {
        self.creating = false;
        self.form_open = false;
        self.draft = NewAccount::default();
        self.secret = password.map(|password| Secret {
            title: format!("Đã tạo tài khoản {}", account.username),
            password,
        });
        if let Some(list) = &mut self.list {
            list.total += 1;
            list.accounts.insert(0, account);
        }
    }

    fn row_done(&mut self, account: Account, password: Option<String>, message: String) {
        self.row_busy = None;
        self.row_notice = Some(RowNotice {
            id: account.id.clone(),
            ok: true,
            text: message,
        });
        if let Some(password) = password {
            self.secret = Some(Secret {
                title: format!("Đã đặt lại mật khẩu cho {}", account.username),
                password,
            });
        }
        if let Some(list) = &mut self.list {
            for row in &mut list.accounts {
                if row.id == account.id {
                    *row = account.clone();
                }
            }
        }
    }
}

impl Reducible for AccountsState {
    type Action = AccountsAction;

    fn reduce(self: Rc<Self>, action: AccountsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            AccountsAction::Search(text) => next.search = text,
            AccountsAction::Started => {
                next.loading = true;
                next.error = None;
            }
            AccountsAction::Loaded(list) => {
                next.loading = false;
                next.list = Some(list);
            }
            AccountsAction::Failed(error) => {
                next.loading = false;
                next.loading_more = false;
                next.error = Some(error);
            }
            AccountsAction::MoreStarted => next.loading_more = true,
            AccountsAction::MoreLoaded(more) => {
                next.loading_more = false;
                if let Some(list) = &mut next.list {
                    list.accounts.extend(more.accounts);
                    list.next = more.next;
                    list.total = more.total;
                }
            }
            AccountsAction::Reload => next.reload += 1,
            AccountsAction::ToggleForm => {
                next.form_open = !next.form_open;
                next.form_errors = FieldErrors::default();
            }
            AccountsAction::Edit(field, value) => match field {
                DraftField::Username => next.draft.username = value,
                DraftField::DisplayName => next.draft.display_name = value,
                DraftField::Role => next.draft.role = Role::from_key(&value),
                DraftField::Password => next.draft.password = value,
            },
            AccountsAction::CreateStarted => {
                next.creating = true;
                next.form_errors = FieldErrors::default();
            }
            AccountsAction::CreateInvalid(errors) => {
                next.creating = false;
                next.form_errors = errors;
            }
            AccountsAction::Created { account, password } => next.created(account, password),
            AccountsAction::Ask(pending) => {
                next.pending = Some(pending);
                next.row_notice = None;
            }
            AccountsAction::Cancel => {
                next.pending = None;
                next.role_menus += 1;
            }
            AccountsAction::RowStarted(id) => {
                next.pending = None;
                next.row_busy = Some(id);
                next.row_notice = None;
            }
            AccountsAction::RowDone {
                account,
                password,
                message,
            } => next.row_done(account, password, message),
            AccountsAction::RowRefused { id, message } => {
                next.row_busy = None;
                next.row_notice = Some(RowNotice {
                    id,
                    ok: false,
                    text: message,
                });
                next.role_menus += 1;
            }
            AccountsAction::CloseSecret => next.secret = None,
        }
        Rc::new(next)
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountsProps {
    /// The unit whose accounts are listed and created; the officer's own when `None`.
    pub code: Option<String>,
}

/// Runs a confirmed change and reports its outcome under the account's row.
fn run_change(state: &UseReducerHandle<AccountsState>, client: &Client, pending: Pending) {
    let id = pending.account.id.clone();
    state.dispatch(AccountsAction::RowStarted(id.clone()));
    let (state, client) = (state.clone(), client.clone());
    spawn_local(async move {
        let result = match pending.change {
            RowChange::Role(role) => service::set_role(&client, &id, role).await,
            RowChange::Active(active) => service::set_active(&client, &id, active).await,
            RowChange::ResetPassword => service::reset_password(&client, &id).await,
        };
        state.dispatch(match result {
            Ok(Change::Done { account, password }) => AccountsAction::RowDone {
                message: pending.done(&account),
                account,
                password,
            },
            Ok(Change::Refused(errors)) => AccountsAction::RowRefused {
                id,
                message: pending.failed(&errors.general(&[]).join(" ")),
            },
            Err(error) => AccountsAction::RowRefused {
                id,
                message: pending.failed(&error.to_string()),
            },
        });
    });
}

/// The confirmation of the pending change, if any.
fn confirm_dialog(state: &UseReducerHandle<AccountsState>, client: &Client) -> Html {
    let Some(pending) = state.pending.clone() else {
        return html! {};
    };
    let (question, details, label) = pending.question();
    let on_confirm = {
        let (state, client) = (state.clone(), client.clone());
        Callback::from(move |()| run_change(&state, &client, pending.clone()))
    };
    html! {
        <Confirm question={question} details={details} confirm_label={label}
            {on_confirm} on_cancel={dispatcher(state, || AccountsAction::Cancel)} />
    }
}

#[function_component]
pub fn Accounts(props: &AccountsProps) -> Html {
    use_title("Tài khoản");
    let session = use_session();
    let state = use_reducer(AccountsState::default);
    let unit = use_state(|| None::<Result<Unit, Error>>);
    let me = session.account().cloned();
    let client = session.client();

    let own_unit = me.as_ref().map(|a| a.unit.clone());
    {
        let (unit, client) = (unit.clone(), client.clone());
        use_effect_with(props.code.clone(), move |code| match code {
            Some(code) => {
                unit.set(None);
                let code = code.clone();
                spawn_local(async move {
                    unit.set(Some(unit_service::unit(&client, &code).await));
                });
            }
            None => unit.set(own_unit.map(Ok)),
        });
    }

    {
        let (state, client) = (state.clone(), client.clone());
        let deps = (props.code.clone(), state.search.clone(), state.reload);
        use_search_load(
            deps,
            state.search.clone(),
            move |(code, search, _), cancelled| {
                state.dispatch(AccountsAction::Started);
                spawn_local(async move {
                    let search = search.trim();
                    let search = (!search.is_empty()).then_some(search);
                    let result = service::list(&client, code.as_deref(), search, None).await;
                    if !cancelled.get() {
                        state.dispatch(match result {
                            Ok(list) => AccountsAction::Loaded(list),
                            Err(error) => AccountsAction::Failed(error),
                        });
                    }
                });
            },
        );
    }

    let Some(me) = me else {
        return html! {};
    };
    if me.role != Role::Admin {
        return html! { <ErrorBox error={Error::Forbidden} /> };
    }
    let unit = match &*unit {
        None => return html! { <Loading /> },
        Some(Err(error)) => return html! { <ErrorBox error={error.clone()} /> },
        Some(Ok(unit)) => unit.clone(),
    };

    html! {
        <section class="accounts-page">
            <hgroup>
                <h1>{ "Tài khoản" }</h1>
                <p>{ format!("{} và các đơn vị trực thuộc", unit.full_name) }</p>
            </hgroup>
            if let Some(secret) = &state.secret {
                <OneTimeSecret title={secret.title.clone()} secret={secret.password.clone()}
                    on_close={dispatcher(&state, || AccountsAction::CloseSecret)} />
            }
            { create_form(&state, &client, &unit) }
            { search_box(&state) }
            { list_view(&state, &client, &me, props.code.clone()) }
            { confirm_dialog(&state, &client) }
        </section>
    }
}

fn dispatcher<T: 'static>(
    state: &UseReducerHandle<AccountsState>,
    action: impl Fn() -> AccountsAction + 'static,
) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |_| state.dispatch(action()))
}

fn create_form(state: &UseReducerHandle<AccountsState>, client: &Client, unit: &Unit) -> Html {
    if !state.form_open {
        return html! {
            <p>
                <button type="button" onclick={dispatcher(state, || AccountsAction::ToggleForm)}>
                    { "Tạo tài khoản" }
                </button>
            </p>
        };
    }
    let edit = |field: DraftField| {
        let state = state.clone();
        Callback::from(move |value: String| state.dispatch(AccountsAction::Edit(field, value)))
    };
    let onrole = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            state.dispatch(AccountsAction::Edit(DraftField::Role, value));
        })
    };
    let onsubmit = {
        let (state, client, unit_code) = (state.clone(), client.clone(), unit.code.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if state.creating {
                return;
            }
            let mut draft = state.draft.clone();
            draft.unit_code.clone_from(&unit_code);
            let errors = validate_new_account(&draft);
            let Some(role) = draft.role.filter(|_| errors.is_empty()) else {
                state.dispatch(AccountsAction::CreateInvalid(errors));
                return;
            };
            state.dispatch(AccountsAction::CreateStarted);
            let (state, client) = (state.clone(), client.clone());
            spawn_local(async move {
                state.dispatch(match service::create(&client, &draft, role).await {
                    Ok(Change::Done { account, password }) => {
                        AccountsAction::Created { account, password }
                    }
                    Ok(Change::Refused(errors)) => AccountsAction::CreateInvalid(errors),
                    Err(error) => AccountsAction::CreateInvalid(FieldErrors(vec![UserError::new(
                        None,
                        &error.to_string(),
                        "REQUEST_FAILED",
                    )])),
                });
            });
        })
    };
    let errors = &state.form_errors;
    let draft = &state.draft;
    let role_error = errors.get("role");
    let role_options = Role::ALL.into_iter().map(|role| {
        html! {
            <option value={role.key()} selected={draft.role == Some(role)}>{ role.label() }</option>
        }
    });
    html! {
        <article class="create-account">
            <header><strong>{ "Tạo tài khoản mới" }</strong></header>
            <form {onsubmit} novalidate=true>
                <FormErrors messages={errors.general(&CREATE_FIELDS[1..])} />
                <p>{ "Đơn vị: " }<strong>{ &unit.full_name }</strong></p>
                <Field id="username" label="Tên đăng nhập" autocomplete="off" required=true
                    value={draft.username.clone()} oninput={edit(DraftField::Username)}
                    error={errors.get("username")} help="Ví dụ: xa.tamdan" />
                <Field id="displayName" label="Họ và tên" autocomplete="off" required=true
                    value={draft.display_name.clone()} oninput={edit(DraftField::DisplayName)}
                    error={errors.get("displayName")} />
                <label for="role">
                    { "Vai trò" }
                    <select id="role" name="role" required=true onchange={onrole}
                        aria-invalid={role_error.as_ref().map(|_| "true")}
                        aria-describedby={role_error.as_ref().map(|_| "role-note")}>
                        <option value="" selected={draft.role.is_none()} disabled=true>{ "Chọn vai trò…" }</option>
                        { for role_options }
                    </select>
                    if let Some(error) = role_error {
                        <small id="role-note" class="field-error">{ error }</small>
                    }
                </label>
                <Field id="password" label="Mật khẩu (không bắt buộc)" r#type="password"
                    autocomplete="new-password" value={draft.password.clone()}
                    oninput={edit(DraftField::Password)} error={errors.get("password")}
                    help={format!("{PASSWORD_RULE} Để trống: hệ thống tạo mật khẩu dùng một lần. \
                        Cán bộ phải đổi mật khẩu khi đăng nhập lần đầu.")} />
                <div class="actions">
                    <button type="submit" aria-busy={state.creating.then_some("true")} disabled={state.creating}>
                        { "Tạo tài khoản" }
                    </button>
                    <button type="button" class="secondary" onclick={dispatcher(state, || AccountsAction::ToggleForm)}>
                        { "Hủy" }
                    </button>
                </div>
            </form>
        </article>
    }
}

fn search_box(state: &UseReducerHandle<AccountsState>) -> Html {
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            state.dispatch(AccountsAction::Search(value));
        })
    };
    html! {
        <form role="search" onsubmit={|e: SubmitEvent| e.prevent_default()}>
            <label for="account-search" class="visually-hidden">{ "Tìm tài khoản" }</label>
            <input id="account-search" type="search" placeholder="Tìm theo tên đăng nhập hoặc họ tên"
                value={state.search.clone()} {oninput} aria-busy={state.loading.then_some("true")} />
        </form>
    }
}

fn list_view(
    state: &UseReducerHandle<AccountsState>,
    client: &Client,
    me: &Account,
    code: Option<String>,
) -> Html {
    let reload = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(AccountsAction::Reload))
    };
    let list = match (&state.list, &state.error) {
        (_, Some(error)) => return html! { <ErrorBox error={error.clone()} on_retry={reload} /> },
        (Some(list), None) => list,
        (None, None) => return html! { <Loading text="Đang tải tài khoản…" /> },
    };
    if list.accounts.is_empty() {
        let text = if state.search.trim().is_empty() {
            "Chưa có tài khoản nào.".to_owned()
        } else {
            format!("Không có tài khoản nào khớp với “{}”.", state.search.trim())
        };
        return html! { <Empty text={text} /> };
    }
    let rows = list
        .accounts
        .iter()
        .map(|account| account_row(state, me, account));
    let loading_more = state.loading_more;
    let more = list.next.clone().map(|after| {
        let (state, client) = (state.clone(), client.clone());
        let onclick = Callback::from(move |_| {
            state.dispatch(AccountsAction::MoreStarted);
            let (state, client, code, after) =
                (state.clone(), client.clone(), code.clone(), after.clone());
            let search = state.search.trim().to_owned();
            spawn_local(async move {
                let search = (!search.is_empty()).then_some(search.as_str());
                state.dispatch(
                    match service::list(&client, code.as_deref(), search, Some(after)).await {
                        Ok(list) => AccountsAction::MoreLoaded(list),
                        Err(error) => AccountsAction::Failed(error),
                    },
                );
            });
        });
        html! {
            <p class="more">
                <small>{ format!("Đang hiện {}/{}.", list.accounts.len(), list.total) }</small>
                <button type="button" class="secondary" {onclick}
                    aria-busy={loading_more.then_some("true")}>{ "Xem thêm" }</button>
            </p>
        }
    });
    html! {
        <>
            <p><small>{ format!("{} tài khoản", list.total) }</small></p>
            <div class="overflow-auto">
                <table class="striped accounts">
                    <thead>
                        <tr>
                            <th scope="col">{ "Tài khoản" }</th>
                            <th scope="col">{ "Đơn vị" }</th>
                            <th scope="col">{ "Vai trò" }</th>
                            <th scope="col">{ "Trạng thái" }</th>
                            <th scope="col">{ "Thao tác" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            { for more }
        </>
    }
}

/// How many columns the accounts table has (a row's notice spans them all).
const COLUMNS: &str = "5";

fn account_row(state: &UseReducerHandle<AccountsState>, me: &Account, account: &Account) -> Html {
    let is_me = account.id == me.id;
    let busy = state.row_busy.as_deref() == Some(account.id.as_str());
    let disabled = is_me || busy;
    let ask = |change: RowChange| {
        let (state, account) = (state.clone(), account.clone());
        Callback::from(move |_: MouseEvent| {
            state.dispatch(AccountsAction::Ask(Pending {
                account: account.clone(),
                change,
            }));
        })
    };
    let onrole = {
        let (state, account) = (state.clone(), account.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let Some(role) = Role::from_key(&value).filter(|role| *role != account.role) else {
                return;
            };
            state.dispatch(AccountsAction::Ask(Pending {
                account: account.clone(),
                change: RowChange::Role(role),
            }));
        })
    };
    let notice = state
        .row_notice
        .as_ref()
        .filter(|notice| notice.id == account.id)
        .map(|notice| {
            let (class, role) = if notice.ok {
                ("notice success", "status")
            } else {
                ("notice error", "alert")
            };
            html! {
                <tr class="row-notice">
                    <td colspan={COLUMNS}><p class={class} role={role}>{ &notice.text }</p></td>
                </tr>
            }
        });
    let role_options = Role::ALL.into_iter().map(|role| {
        html! { <option value={role.key()} selected={account.role == role}>{ role.label() }</option> }
    });
    // A new key draws the menu afresh, back on the saved role.
    let menu_key = format!("{}-{}", account.role.key(), state.role_menus);
    let last_login = account.last_login_at.as_deref().map_or_else(
        || "Chưa đăng nhập".to_owned(),
        |at| format!("Đăng nhập gần nhất: {}", text::format_datetime(at)),
    );
    let status = if account.active {
        "Đang hoạt động"
    } else {
        "Đã vô hiệu hóa"
    };
    let (toggle_label, toggle) = if account.active {
        ("Vô hiệu hóa", RowChange::Active(false))
    } else {
        ("Kích hoạt lại", RowChange::Active(true))
    };
    html! {
        <key={account.id.clone()}>
            <tr class={classes!((!account.active).then_some("inactive"))}>
                <td class="who" data-label="Tài khoản">
                    <strong>{ &account.display_name }</strong>
                    <small class="username">{ &account.username }</small>
                    if account.must_change_password {
                        <small class="badge">{ "Chưa đổi mật khẩu dùng một lần" }</small>
                    }
                </td>
                <td class="unit" data-label="Đơn vị">{ &account.unit.full_name }</td>
                <td data-label="Vai trò">
                    <select key={menu_key} aria-label={format!("Vai trò của {}", account.username)}
                        onchange={onrole} disabled={disabled}>
                        { for role_options }
                    </select>
                </td>
                <td class="status" data-label="Trạng thái">
                    <span class="state">{ status }</span>
                    <small>{ last_login }</small>
                </td>
                <td data-label="Thao tác">
                    <div class="row-actions" aria-busy={busy.then_some("true")}>
                        <button type="button" class="outline secondary" onclick={ask(toggle)}
                            disabled={disabled}>
                            { toggle_label }
                        </button>
                        <button type="button" class="outline" onclick={ask(RowChange::ResetPassword)}
                            disabled={disabled}>
                            { "Đặt lại mật khẩu" }
                        </button>
                    </div>
                </td>
            </tr>
            { for notice }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Level;

    fn account(id: &str, active: bool) -> Account {
        Account {
            id: id.to_owned(),
            username: format!("user.{id}"),
            display_name: "Nguyễn Văn A".to_owned(),
            role: Role::Operator,
            active,
            must_change_password: false,
            created_at: "2026-11-26T07:00:00Z".to_owned(),
            last_login_at: None,
            unit: Unit {
                code: "20392".to_owned(),
                full_name: "Xã Tam Dân".to_owned(),
                committee_name: "Ban Thường trực UBMTTQ xã Tam Dân".to_owned(),
                level: Level::Commune,
            },
        }
    }

    #[test]
    fn a_new_account_needs_a_username_a_name_and_a_role() {
        let errors = validate_new_account(&NewAccount::default());
        assert!(errors.get("username").is_some());
        assert!(errors.get("displayName").is_some());
        assert!(errors.get("role").is_some());
        assert!(errors.get("password").is_none(), "the password is optional");
        let ok = NewAccount {
            unit_code: "20392".to_owned(),
            username: "xa.tamdan".to_owned(),
            display_name: "Trần Thị B".to_owned(),
            role: Some(Role::Operator),
            password: String::new(),
        };
        assert!(validate_new_account(&ok).is_empty());
        let spaced = NewAccount {
            username: "xa tamdan".to_owned(),
            ..ok
        };
        assert!(validate_new_account(&spaced).get("username").is_some());
    }

    #[test]
    fn a_created_account_shows_its_password_once_and_joins_the_list() {
        let state = Rc::new(AccountsState::default())
            .reduce(AccountsAction::Loaded(AccountList {
                accounts: vec![account("1", true)],
                total: 1,
                next: None,
            }))
            .reduce(AccountsAction::ToggleForm)
            .reduce(AccountsAction::Created {
                account: account("2", true),
                password: Some("Mk-123".to_owned()),
            });
        assert!(!state.form_open);
        let list = state.list.as_ref().expect("list");
        assert_eq!((list.total, list.accounts[0].id.as_str()), (2, "2"));
        assert_eq!(
            state.secret.as_ref().map(|s| s.password.as_str()),
            Some("Mk-123")
        );
        let closed = state.reduce(AccountsAction::CloseSecret);
        assert_eq!(closed.secret, None);
    }

    #[test]
    fn a_row_change_replaces_the_row_in_place() {
        let state = Rc::new(AccountsState::default())
            .reduce(AccountsAction::Loaded(AccountList {
                accounts: vec![account("1", true), account("2", true)],
                total: 2,
                next: None,
            }))
            .reduce(AccountsAction::RowStarted("2".to_owned()))
            .reduce(AccountsAction::RowDone {
                account: account("2", false),
                password: None,
                message: "Đã vô hiệu hóa tài khoản của Nguyễn Văn A (user.2).".to_owned(),
            });
        let list = state.list.as_ref().expect("list");
        assert!(list.accounts[0].active);
        assert!(!list.accounts[1].active);
        assert_eq!(state.row_busy, None);
    }

    #[test]
    fn a_role_change_says_from_what_to_what_and_what_an_admin_may_do() {
        let pending = Pending {
            account: account("7", true),
            change: RowChange::Role(Role::Admin),
        };
        let (question, details, label) = pending.question();
        assert_eq!(
            question,
            "Đổi vai trò của Nguyễn Văn A (user.7) từ Cán bộ vận hành thành Quản trị?"
        );
        assert!(details[0].contains("quản lý mọi tài khoản của Xã Tam Dân"));
        assert_eq!(label, "Đổi vai trò");
        let saved = Account {
            role: Role::Admin,
            ..account("7", true)
        };
        assert_eq!(
            pending.done(&saved),
            "Đã đổi vai trò của Nguyễn Văn A (user.7) từ Cán bộ vận hành thành Quản trị."
        );
    }

    #[test]
    fn disabling_is_never_called_locking() {
        for change in [RowChange::Active(false), RowChange::Active(true)] {
            let pending = Pending {
                account: account("7", change == RowChange::Active(true)),
                change,
            };
            let (question, details, label) = pending.question();
            let said = format!("{question} {} {label}", details.join(" "));
            assert!(!said.to_lowercase().contains("khóa"), "{said}");
        }
        let disable = Pending {
            account: account("7", true),
            change: RowChange::Active(false),
        };
        assert_eq!(disable.question().2, "Vô hiệu hóa");
        assert_eq!(
            disable.failed("Không có quyền."),
            "Chưa vô hiệu hóa được tài khoản của Nguyễn Văn A (user.7): Không có quyền."
        );
    }

    #[test]
    fn nothing_changes_until_confirmed_and_a_cancelled_role_menu_is_redrawn() {
        let asked = Rc::new(AccountsState::default())
            .reduce(AccountsAction::Loaded(AccountList {
                accounts: vec![account("1", true)],
                total: 1,
                next: None,
            }))
            .reduce(AccountsAction::Ask(Pending {
                account: account("1", true),
                change: RowChange::Role(Role::Viewer),
            }));
        assert!(asked.pending.is_some());
        assert_eq!(asked.row_busy, None);
        let cancelled = asked.clone().reduce(AccountsAction::Cancel);
        assert_eq!(cancelled.pending, None);
        assert_eq!(cancelled.role_menus, asked.role_menus + 1);
        let refused = asked
            .reduce(AccountsAction::RowStarted("1".to_owned()))
            .reduce(AccountsAction::RowRefused {
                id: "1".to_owned(),
                message: "Chưa đổi được vai trò của …".to_owned(),
            });
        assert_eq!(refused.pending, None);
        let notice = refused.row_notice.as_ref().expect("a notice");
        assert!(!notice.ok);
        assert_eq!(
            refused.role_menus, 1,
            "the menu goes back to the saved role"
        );
    }
}
