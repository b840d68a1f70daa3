//! Asking before a change that matters: a modal dialog that says what will change, with
//! the action named on its button and "Hủy" to back out (Esc too).

use web_sys::HtmlDialogElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    /// The question, e.g. "Đổi vai trò của … từ Cán bộ vận hành thành Quản trị?".
    pub question: AttrValue,
    /// What the change means for the officer concerned, one paragraph each.
    #[prop_or_default]
    pub details: Vec<String>,
    /// The action, as the button says it ("Đổi vai trò").
    pub confirm_label: AttrValue,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[function_component]
pub fn Confirm(props: &ConfirmProps) -> Html {
    let dialog = use_node_ref();
    {
        // A modal dialog (focus kept inside, the page behind inert) needs `showModal()`.
        let dialog = dialog.clone();
        use_effect_with((), move |()| {
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>()
                && !dialog.open()
            {
                let _ = dialog.show_modal();
            }
        });
    }
    let oncancel = {
        // Esc: the browser would close the dialog by itself; the page decides instead.
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: Event| {
            e.prevent_default();
            on_cancel.emit(());
        })
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_| on_cancel.emit(()))
    };
    let confirm = {
        let on_confirm = props.on_confirm.clone();
        Callback::from(move |_| on_confirm.emit(()))
    };
    html! {
        <dialog ref={dialog} class="confirm" aria-labelledby="confirm-question" {oncancel}>
            <article>
                <p id="confirm-question"><strong>{ &props.question }</strong></p>
                { for props.details.iter().map(|d| html! { <p>{ d }</p> }) }
                <footer>
                    <button type="button" class="secondary" onclick={cancel}>{ "Hủy" }</button>
                    <button type="button" class="confirm-action" onclick={confirm}>
                        { &props.confirm_label }
                    </button>
                </footer>
            </article>
        </dialog>
    }
}
