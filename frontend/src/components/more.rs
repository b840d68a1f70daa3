//! "Xem thêm" under a list that has more than is shown.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MoreProps {
    /// How many items are shown.
    pub shown: usize,
    /// How many the whole list has.
    pub total: i64,
    /// The next slice is loading.
    pub busy: bool,
    pub on_more: Callback<()>,
}

/// How many are shown of how many, and the button that loads the next slice.
#[function_component]
pub fn More(props: &MoreProps) -> Html {
    let on_more = props.on_more.clone();
    html! {
        <p class="more">
            <small>{ format!("Đang hiện {}/{}.", props.shown, props.total) }</small>
            <button type="button" class="secondary" onclick={move |_| on_more.emit(())}
                aria-busy={props.busy.then_some("true")} disabled={props.busy}>
                { "Xem thêm" }
            </button>
        </p>
    }
}
