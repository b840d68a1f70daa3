//! The app's logic run where it ships: in headless Chromium, through `wasm-bindgen-test`
//! (`cargo xtask test` runs these; the same pure checks also run on the host as `#[test]`s).

use std::time::Duration;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::prelude::*;

use crate::components::{ChangePasswordForm, Confirm, ErrorBox};
use crate::error::Error;
use crate::hooks::refresh_delay_ms;
use crate::services::Client;
use crate::services::session as service;
use crate::text;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_token_from_the_server_is_renewed_a_minute_before_it_expires() {
    // The browser's own clock, as the session provider uses it.
    let now = js_sys::Date::now();
    let expires = text::parse_rfc3339("2100-01-01T00:15:00Z").expect("parses");
    #[expect(clippy::cast_precision_loss, reason = "seconds fit in f64")]
    let delay = refresh_delay_ms(expires as f64 * 1000.0, now);
    assert_eq!(delay, 2_147_483_647, "capped to what setTimeout takes");
    let soon = refresh_delay_ms(now + 15.0 * 60_000.0, now);
    assert_eq!(soon, 14 * 60_000);
}

#[wasm_bindgen_test]
async fn an_answer_that_is_not_graphql_is_an_error_not_a_blank_screen() {
    // The test page's server has no /graphql: fetch works, the answer is a 404 page.
    let client = Client::new(None, Callback::noop());
    let result = service::refresh_session(&client).await;
    assert!(
        matches!(result, Err(Error::BadResponse { .. })),
        "{result:?}"
    );
}

#[wasm_bindgen_test]
async fn only_unauthenticated_answers_sign_the_officer_out() {
    let signed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = signed_out.clone();
    let client = Client::new(None, Callback::from(move |()| flag.set(true)));
    // Only `Error::Unauthenticated` triggers the callback; a 404 must not.
    let _ = service::logout(&client).await;
    assert!(!signed_out.get());
}

fn mount() -> web_sys::Element {
    let document = gloo_document();
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    root
}

fn gloo_document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(50)).await;
}

#[wasm_bindgen_test]
async fn a_network_error_is_shown_with_a_retry_button() {
    #[derive(Properties, PartialEq)]
    struct Empty;
    #[function_component]
    fn Shown(_: &Empty) -> Html {
        html! { <ErrorBox error={Error::Network} on_retry={Callback::noop()} /> }
    }
    let root = mount();
    let _app = yew::Renderer::<Shown>::with_root_and_props(root.clone(), Empty).render();
    settle().await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Không kết nối được với máy chủ"), "{text}");
    assert!(text.contains("Thử lại"), "{text}");
    assert!(root.query_selector("[role=alert]").ok().flatten().is_some());
}

#[wasm_bindgen_test]
async fn the_password_form_labels_every_input() {
    #[derive(Properties, PartialEq)]
    struct Empty;
    #[function_component]
    fn Form(_: &Empty) -> Html {
        html! { <ChangePasswordForm /> }
    }
    // The form reads the session from context; a signed-out provider is enough to render.
    #[function_component]
    fn WithSession(_: &Empty) -> Html {
        html! { <crate::hooks::SessionProvider><Form /></crate::hooks::SessionProvider> }
    }
    let root = mount();
    let _app = yew::Renderer::<WithSession>::with_root_and_props(root.clone(), Empty).render();
    settle().await;
    for id in ["currentPassword", "newPassword", "confirmPassword"] {
        let label = root
            .query_selector(&format!("label[for={id}]"))
            .ok()
            .flatten();
        assert!(label.is_some(), "no label for #{id}");
        let input = root.query_selector(&format!("#{id}")).ok().flatten();
        assert!(input.is_some(), "no input #{id}");
    }
    // The rule is told before the officer types, tied to the input for screen readers.
    let help = root
        .query_selector("#newPassword-help")
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(help.contains("ít nhất 10 ký tự"), "{help}");
    let described = root
        .query_selector("#newPassword")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("aria-describedby"));
    assert_eq!(described.as_deref(), Some("newPassword-help"));
}

#[wasm_bindgen_test]
async fn a_confirmation_is_a_modal_dialog_that_can_be_backed_out_of() {
    use std::cell::Cell;
    use std::rc::Rc;

    #[derive(Properties, PartialEq)]
    struct Props {
        cancelled: Rc<Cell<bool>>,
    }
    #[function_component]
    fn Asking(props: &Props) -> Html {
        let cancelled = props.cancelled.clone();
        html! {
            <Confirm question="Vô hiệu hóa tài khoản của Nguyễn Văn A (a)?"
                details={vec!["Cán bộ sẽ không đăng nhập được nữa.".to_owned()]}
                confirm_label="Vô hiệu hóa" on_confirm={Callback::noop()}
                on_cancel={Callback::from(move |()| cancelled.set(true))} />
        }
    }
    let cancelled = Rc::new(Cell::new(false));
    let root = mount();
    let _app = yew::Renderer::<Asking>::with_root_and_props(
        root.clone(),
        Props {
            cancelled: cancelled.clone(),
        },
    )
    .render();
    settle().await;
    let dialog = root
        .query_selector("dialog")
        .ok()
        .flatten()
        .expect("a dialog");
    assert!(dialog.has_attribute("open"), "the dialog is not shown");
    let text = dialog.text_content().unwrap_or_default();
    assert!(text.contains("Vô hiệu hóa tài khoản của"), "{text}");
    let cancel = root
        .query_selector("dialog footer button.secondary")
        .ok()
        .flatten()
        .expect("a cancel button");
    assert_eq!(cancel.text_content().as_deref(), Some("Hủy"));
    wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(cancel).click();
    assert!(cancelled.get());
}

#[wasm_bindgen_test]
async fn the_whole_app_explains_a_server_it_cannot_use_and_offers_a_retry() {
    // The test page's server answers /graphql with a 404 page, as a broken proxy would.
    let root = mount();
    let _app = yew::Renderer::<crate::app::App>::with_root(root.clone()).render();
    let mut text = String::new();
    for _ in 0..40 {
        settle().await;
        text = root.text_content().unwrap_or_default();
        if text.contains("Thử lại") {
            break;
        }
    }
    assert!(
        text.contains("Máy chủ trả lời không đúng định dạng"),
        "{text}"
    );
    assert!(text.contains("Thử lại"), "{text}");
}
