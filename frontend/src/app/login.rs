//! "Đăng nhập".

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::{Field, FormErrors};
use crate::hooks::{use_session, use_title};
use crate::models::{FieldErrors, UserError};
use crate::services::session::{self as service, Outcome};
use crate::text;

const FIELDS: [&str; 2] = ["username", "password"];

/// The message for a refused sign-in, in the app's words for the codes it knows (so they
/// read the same everywhere), the server's otherwise. An account disabled by an admin is
/// "vô hiệu hóa"; one waiting after failed sign-ins is "tạm khóa" — never the same word.
pub fn refusal_message(error: &UserError, retry_at: Option<&str>) -> String {
    match error.code.as_str() {
        "INVALID_CREDENTIALS" => "Tên đăng nhập hoặc mật khẩu không đúng.".to_owned(),
        "ACCOUNT_LOCKED" => match retry_at {
            Some(at) => format!(
                "Tài khoản đang tạm khóa đến {} vì đăng nhập sai nhiều lần. \
                 Hãy thử lại sau thời điểm đó.",
                text::format_datetime(at)
            ),
            None => "Tài khoản đang tạm khóa vì đăng nhập sai nhiều lần. Vui lòng thử lại sau."
                .to_owned(),
        },
        "ACCOUNT_DISABLED" => "Tài khoản đã bị vô hiệu hóa. \
                               Liên hệ quản trị của đơn vị để được kích hoạt lại."
            .to_owned(),
        _ => error.message.clone(),
    }
}

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    /// Why the officer was signed out, when it was not their doing.
    pub notice: Option<String>,
}

#[function_component]
pub fn Login(props: &LoginProps) -> Html {
    use_title("Đăng nhập");
    let session = use_session();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);

    let onsubmit = {
        let (username, password, errors, busy) = (
            username.clone(),
            password.clone(),
            errors.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let mut missing = Vec::new();
            if username.trim().is_empty() {
                missing.push(UserError::new(
                    Some("username"),
                    "Nhập tên đăng nhập.",
                    "REQUIRED",
                ));
            }
            if password.is_empty() {
                missing.push(UserError::new(
                    Some("password"),
                    "Nhập mật khẩu.",
                    "REQUIRED",
                ));
            }
            if !missing.is_empty() {
                errors.set(FieldErrors(missing));
                return;
            }
            busy.set(true);
            let (user, pass) = (username.trim().to_owned(), (*password).clone());
            let (password, errors, busy, session) = (
                password.clone(),
                errors.clone(),
                busy.clone(),
                session.clone(),
            );
            spawn_local(async move {
                let result = service::login(&session.client(), &user, &pass).await;
                busy.set(false);
                match result {
                    Ok(Outcome::SignedIn(signed_in)) => session.signed_in(signed_in),
                    Ok(Outcome::Refused {
                        errors: refused,
                        retry_at,
                    }) => {
                        password.set(String::new());
                        let shown = refused
                            .0
                            .iter()
                            .map(|e| {
                                UserError::new(
                                    None,
                                    &refusal_message(e, retry_at.as_deref()),
                                    &e.code,
                                )
                            })
                            .collect();
                        errors.set(FieldErrors(shown));
                    }
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
        <main class="container login">
            <article>
                <header>
                    <p class="brand">{ "Trang Cộng Đồng" }</p>
                    <h1>{ "Đăng nhập" }</h1>
                    <p><small>{ "Mặt trận Tổ quốc Việt Nam — Trang cộng đồng các cấp" }</small></p>
                </header>
                if let Some(notice) = &props.notice {
                    <p class="notice" role="status">{ notice }</p>
                }
                <form {onsubmit} novalidate=true>
                    <FormErrors messages={errors.general(&FIELDS)} />
                    <Field id="username" label="Tên đăng nhập" autocomplete="username"
                        required=true value={(*username).clone()} oninput={set(&username)}
                        error={errors.get("username")} />
                    <Field id="password" label="Mật khẩu" r#type="password"
                        autocomplete="current-password" required=true
                        value={(*password).clone()} oninput={set(&password)}
                        error={errors.get("password")} />
                    <button type="submit" aria-busy={(*busy).then_some("true")} disabled={*busy}>
                        { "Đăng nhập" }
                    </button>
                </form>
            </article>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_credentials_read_the_same_for_unknown_users_and_wrong_passwords() {
        let e = UserError::new(None, "anything", "INVALID_CREDENTIALS");
        assert_eq!(
            refusal_message(&e, None),
            "Tên đăng nhập hoặc mật khẩu không đúng."
        );
    }

    #[test]
    fn a_locked_account_says_when_to_retry_in_vietnam_time() {
        let e = UserError::new(None, "locked", "ACCOUNT_LOCKED");
        let message = refusal_message(&e, Some("2026-11-26T07:20:00Z"));
        assert!(
            message.contains("tạm khóa đến 26/11/2026 14:20"),
            "{message}"
        );
    }

    #[test]
    fn a_disabled_account_is_not_called_locked() {
        let e = UserError::new(None, "disabled", "ACCOUNT_DISABLED");
        let message = refusal_message(&e, None);
        assert!(message.contains("vô hiệu hóa"), "{message}");
        assert!(!message.contains("khóa"), "{message}");
    }

    #[test]
    fn unknown_codes_show_the_server_message() {
        let e = UserError::new(Some("username"), "Lỗi lạ.", "SOMETHING_NEW");
        assert_eq!(refusal_message(&e, None), "Lỗi lạ.");
    }
}
