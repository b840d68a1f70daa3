//! Asking before a change that matters: a modal dialog that says what will change, with
//! the action named on its button and "Hủy" to back out (Esc too). A step that must say
//! why (returning a page) asks for the reason in the same dialog, and stays disabled until
//! one is written; a step that may say why (suspending, closing) asks for it without
//! requiring it.

use web_sys::{HtmlDialogElement, HtmlTextAreaElement};
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
    /// When set, a reason is asked and handed here instead of `on_confirm` (trimmed; empty
    /// when an optional one was left out).
    #[prop_or_default]
    pub on_reason: Option<Callback<String>>,
    /// The reason asked may be left out.
    #[prop_or_default]
    pub reason_optional: bool,
}

#[function_component]
pub fn Confirm(props: &ConfirmProps) -> Html {
    let dialog = use_node_ref();
    let reason = use_state(String::new);
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
    let given = reason.trim().to_owned();
    let confirm = {
        let (on_confirm, on_reason, given) = (
            props.on_confirm.clone(),
            props.on_reason.clone(),
            given.clone(),
        );
        Callback::from(move |_| match &on_reason {
            Some(on_reason) => on_reason.emit(given.clone()),
            None => on_confirm.emit(()),
        })
    };
    let oninput = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| {
            reason.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let asks_reason = props.on_reason.is_some();
    let requires_reason = asks_reason && !props.reason_optional;
    html! {
        <dialog ref={dialog} class="confirm" aria-labelledby="confirm-question" {oncancel}>
            <article>
                <p id="confirm-question"><strong>{ &props.question }</strong></p>
                { for props.details.iter().map(|d| html! { <p>{ d }</p> }) }
                if asks_reason {
                    <label for="reason">
                        { if requires_reason { "Lý do (bắt buộc)" } else { "Lý do (không bắt buộc)" } }
                        <textarea id="reason" name="reason" rows="3" required={requires_reason}
                            value={(*reason).clone()} {oninput} />
                    </label>
                }
                <footer>
                    <button type="button" class="secondary" onclick={cancel}>{ "Hủy" }</button>
                    <button type="button" class="confirm-action" onclick={confirm}
                        disabled={requires_reason && given.is_empty()}>
                        { &props.confirm_label }
                    </button>
                </footer>
            </article>
        </dialog>
    }
}
