//! Creating an account at the unit shown: checked in the browser first, then by the API,
//! whose answer is shown field by field; the generated password is shown once.

use web_sys::HtmlSelectElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::AccountList;
use super::list::added;
use super::state::{AccountsAction, AccountsState, DraftField, dispatcher};
use crate::components::{Field, FormErrors};
use crate::models::{FieldErrors, Role, Unit, UserError};
use crate::services::Client;
use crate::services::accounts::{self as service, Change, NewAccount};
use crate::text::PASSWORD_RULE;

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

#[derive(Properties, PartialEq)]
pub struct CreateFormProps {
    pub state: UseReducerHandle<AccountsState>,
    pub list: AccountList,
    pub client: Client,
    /// The unit accounts are created at.
    pub unit: Unit,
    /// The roles the officer may give an account created there.
    pub roles: Vec<Role>,
}

/// "Tạo tài khoản", and the form it opens.
#[function_component]
pub fn CreateForm(props: &CreateFormProps) -> Html {
    let CreateFormProps {
        state,
        list,
        client,
        unit,
        roles,
    } = props;
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
        let (state, list, client) = (state.clone(), list.clone(), client.clone());
        let unit_code = unit.code.clone();
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
            let (state, list, client) = (state.clone(), list.clone(), client.clone());
            spawn_local(async move {
                state.dispatch(match service::create(&client, &draft, role).await {
                    Ok(Change::Done { account, password }) => {
                        let created = account.account.clone();
                        list.edit(move |slice| added(slice, account));
                        AccountsAction::Created {
                            account: created,
                            password,
                        }
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
    let role_options = roles.iter().map(|&role| {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
