//! A password shown once, with a copy button.

use yew::platform::spawn_local;
use yew::prelude::*;

/// The clipboard, which browsers only offer on secure origins (HTTPS or localhost): over
/// plain HTTP `navigator.clipboard` is undefined, and calling it would abort the app.
fn clipboard() -> Option<web_sys::Clipboard> {
    use wasm_bindgen::JsCast;
    let navigator = web_sys::window()?.navigator();
    let value = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok()?;
    value.dyn_into::<web_sys::Clipboard>().ok()
}

#[derive(Properties, PartialEq)]
pub struct OneTimeSecretProps {
    pub title: AttrValue,
    pub secret: AttrValue,
    pub on_close: Callback<()>,
}

#[function_component]
pub fn OneTimeSecret(props: &OneTimeSecretProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let copy = {
        let secret = props.secret.to_string();
        let copied = copied.clone();
        Callback::from(move |_| {
            let secret = secret.clone();
            let copied = copied.clone();
            spawn_local(async move {
                let ok = match clipboard() {
                    Some(clipboard) => {
                        wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&secret))
                            .await
                            .is_ok()
                    }
                    None => false,
                };
                copied.set(Some(ok));
            });
        })
    };
    let on_close = props.on_close.clone();
    let feedback = match *copied {
        Some(true) => "Đã chép vào bộ nhớ tạm.",
        Some(false) => "Không chép được; hãy chọn và chép mật khẩu bằng tay.",
        None => "",
    };
    html! {
        <article class="secret" role="status">
            <header><strong>{ &props.title }</strong></header>
            <p>{ "Mật khẩu dùng một lần:" }</p>
            <p class="secret-value"><code id="one-time-password">{ &props.secret }</code></p>
            <p>
                <small>
                    { "Mật khẩu chỉ hiện một lần. Hãy chuyển trực tiếp cho cán bộ; \
                       họ sẽ phải đổi mật khẩu ở lần đăng nhập đầu tiên." }
                </small>
            </p>
            <div class="actions">
                <button type="button" onclick={copy}>{ "Sao chép" }</button>
                <button type="button" class="secondary" onclick={move |_| on_close.emit(())}>
                    { "Đóng" }
                </button>
            </div>
            <p aria-live="polite"><small>{ feedback }</small></p>
        </article>
    }
}
