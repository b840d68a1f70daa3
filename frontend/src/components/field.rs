//! A labelled form input with its error beside it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The element id; also the API's input field name the errors refer to.
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub error: Option<String>,
    /// Help shown under the input (under the error, when there is one).
    #[prop_or_default]
    pub help: Option<AttrValue>,
    #[prop_or(AttrValue::Static("text"))]
    pub r#type: AttrValue,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub disabled: bool,
}

#[function_component]
pub fn Field(props: &FieldProps) -> Html {
    let oninput = {
        let oninput = props.oninput.clone();
        Callback::from(move |e: InputEvent| {
            oninput.emit(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let error_id = format!("{}-note", props.id);
    let help_id = format!("{}-help", props.id);
    let invalid = props.error.as_ref().map(|_| "true");
    // The error first (it says what to fix), then the help (it says what is asked), which
    // stays in view: after "too easy to guess" the officer still needs the rule.
    let described = [
        props.error.as_ref().map(|_| error_id.as_str()),
        props.help.as_ref().map(|_| help_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    html! {
        <label for={props.id.clone()}>
            { &props.label }
            <input
                id={props.id.clone()}
                name={props.id.clone()}
                type={props.r#type.clone()}
                value={props.value.clone()}
                {oninput}
                autocomplete={props.autocomplete.clone()}
                required={props.required}
                disabled={props.disabled}
                aria-invalid={invalid}
                aria-describedby={described}
            />
            if let Some(error) = &props.error {
                <small id={error_id.clone()} class="field-error">{ error }</small>
            }
            if let Some(help) = &props.help {
                <small id={help_id.clone()} class="field-help">{ help }</small>
            }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct FormErrorsProps {
    pub messages: Vec<String>,
}

/// Errors about the form as a whole, above it.
#[function_component]
pub fn FormErrors(props: &FormErrorsProps) -> Html {
    if props.messages.is_empty() {
        return html! {};
    }
    html! {
        <div class="notice error" role="alert">
            { for props.messages.iter().map(|m| html! { <p>{ m }</p> }) }
        </div>
    }
}
