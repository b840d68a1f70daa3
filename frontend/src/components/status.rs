//! Loading, empty and error states: no screen is ever blank.

use yew::prelude::*;

use crate::error::Error;

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    #[prop_or(AttrValue::Static("Đang tải…"))]
    pub text: AttrValue,
}

#[function_component]
pub fn Loading(props: &LoadingProps) -> Html {
    html! { <p class="loading" aria-busy="true">{ &props.text }</p> }
}

#[derive(Properties, PartialEq)]
pub struct ErrorBoxProps {
    pub error: Error,
    /// Offered as a "Thử lại" button when trying again may help.
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

#[function_component]
pub fn ErrorBox(props: &ErrorBoxProps) -> Html {
    let retry = props
        .on_retry
        .as_ref()
        .filter(|_| props.error.is_retryable())
        .map(|on_retry| {
            let on_retry = on_retry.clone();
            html! {
                <button type="button" class="secondary" onclick={move |_| on_retry.emit(())}>
                    { "Thử lại" }
                </button>
            }
        });
    html! {
        <article class="notice error" role="alert">
            <p>{ props.error.to_string() }</p>
            { for retry }
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmptyProps {
    pub text: AttrValue,
}

#[function_component]
pub fn Empty(props: &EmptyProps) -> Html {
    html! { <p class="empty">{ &props.text }</p> }
}
