//! Changing one's password: from "My account", and forced after a one-time password.

use yew::platform::spawn_local;
use yew::prelude::*;

use super::{Field, FormErrors};
use crate::hooks::use_session;
use crate::models::{FieldErrors, UserError};
use crate::services::session::{self as service, Outcome};
use crate::text::PASSWORD_RULE;

const FIELDS: [&str; 3] = ["currentPassword", "newPassword", "confirmPassword"];

/// What the browser can check before asking the server (which has the real password rules).
pub fn validate(current: &str, new: &str, confirm: &str) -> FieldErrors {
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(UserError::new(
            Some("currentPassword"),
            "Nhập mật khẩu hiện tại.",
            "REQUIRED",
        ));
    }
    if new.is_empty() {
        errors.push(UserError::new(
            Some("newPassword"),
            "Nhập mật khẩu mới.",
            "REQUIRED",
        ));
    } else if new == current {
        errors.push(UserError::new(
            Some("newPassword"),
            "Mật khẩu mới phải khác mật khẩu hiện tại.",
            "SAME_PASSWORD",
        ));
    }
    if confirm != new {
        errors.push(UserError::new(
            Some("confirmPassword"),
            "Mật khẩu nhập lại không khớp.",
            "MISMATCH",
        ));
    }
    FieldErrors(errors)
}

#[derive(Properties, PartialEq)]
pub struct ChangePasswordFormProps {
    /// Label of the current password (e.g. "Mật khẩu dùng một lần").
    #[prop_or(AttrValue::Static("Mật khẩu hiện tại"))]
    pub current_label: AttrValue,
}

#[function_component]
pub fn ChangePasswordForm(props: &ChangePasswordFormProps) -> Html {
    let session = use_session();
    let current = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let done = use_state(|| false);

    let onsubmit = {
        let (current, new, confirm) = (current.clone(), new.clone(), confirm.clone());
        let (errors, busy, done, session) =
            (errors.clone(), busy.clone(), done.clone(), session.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            done.set(false);
            let checked = validate(&current, &new, &confirm);
            if !checked.is_empty() {
                errors.set(checked);
                return;
            }
            errors.set(FieldErrors::default());
            busy.set(true);
            let (current_value, new_value) = ((*current).clone(), (*new).clone());
            let (current, new, confirm) = (current.clone(), new.clone(), confirm.clone());
            let (errors, busy, done, session) =
                (errors.clone(), busy.clone(), done.clone(), session.clone());
            spawn_local(async move {
                let result =
                    service::change_password(&session.client(), &current_value, &new_value).await;
                busy.set(false);
                match result {
                    Ok(Outcome::SignedIn(renewed)) => {
                        current.set(String::new());
                        new.set(String::new());
                        confirm.set(String::new());
                        done.set(true);
                        session.signed_in(renewed);
                    }
                    Ok(Outcome::Refused {
                        errors: refused, ..
                    }) => errors.set(refused),
                    Err(error) => errors.set(FieldErrors(vec![UserError::new(
                        None,
                        &error.to_string(),
                        "REQUEST_FAILED",
                    )])),
                }
            });
        })
    };

    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |value: String| state.set(value))
    };
    html! {
        <form {onsubmit} novalidate=true class="change-password">
            <FormErrors messages={errors.general(&FIELDS)} />
            if *done {
                <p class="notice success" role="status">{ "Đã đổi mật khẩu." }</p>
            }
            <Field id="currentPassword" label={props.current_label.clone()} r#type="password"
                autocomplete="current-password" required=true
                value={(*current).clone()} oninput={set(&current)}
                error={errors.get("currentPassword")} />
            <Field id="newPassword" label="Mật khẩu mới" r#type="password"
                autocomplete="new-password" required=true
                value={(*new).clone()} oninput={set(&new)}
                error={errors.get("newPassword")} help={PASSWORD_RULE} />
            <Field id="confirmPassword" label="Nhập lại mật khẩu mới" r#type="password"
                autocomplete="new-password" required=true
                value={(*confirm).clone()} oninput={set(&confirm)}
                error={errors.get("confirmPassword")} />
            <button type="submit" aria-busy={(*busy).then_some("true")} disabled={*busy}>
                { "Đổi mật khẩu" }
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_matching_change_passes() {
        assert!(validate("cũ-123456", "mới-123456", "mới-123456").is_empty());
    }

    #[test]
    fn every_missing_or_wrong_field_is_named() {
        let errors = validate("", "", "x");
        assert!(errors.get("currentPassword").is_some());
        assert_eq!(
            errors.get("newPassword").as_deref(),
            Some("Nhập mật khẩu mới.")
        );
        assert_eq!(
            errors.get("confirmPassword").as_deref(),
            Some("Mật khẩu nhập lại không khớp.")
        );
    }

    #[test]
    fn the_new_password_must_differ() {
        let errors = validate("abc12345", "abc12345", "abc12345");
        assert!(
            errors
                .get("newPassword")
                .is_some_and(|m| m.contains("khác"))
        );
    }
}
