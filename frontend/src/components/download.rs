//! A button that downloads a file the API serves to the signed-in officer (the bearer
//! token goes with it, so a plain link would not do), and says so when it fails.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::hooks::use_session;

#[derive(Properties, PartialEq)]
pub struct DownloadProps {
    /// Where the API serves it, e.g. `/export/reports/{id}.xlsx`.
    pub url: AttrValue,
    /// The name the file is saved under.
    pub filename: AttrValue,
    /// The button's text ("Tải XLSX").
    pub label: AttrValue,
}

#[function_component]
pub fn Download(props: &DownloadProps) -> Html {
    let session = use_session();
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let onclick = {
        let (busy, error, client) = (busy.clone(), error.clone(), session.client());
        let (url, filename) = (props.url.clone(), props.filename.clone());
        Callback::from(move |_| {
            busy.set(true);
            error.set(None);
            let (busy, error, client) = (busy.clone(), error.clone(), client.clone());
            let (url, filename) = (url.clone(), filename.clone());
            spawn_local(async move {
                let result = client.download(&url, &filename).await;
                busy.set(false);
                if let Err(e) = result {
                    error.set(Some(format!("Không tải được tệp: {e}")));
                }
            });
        })
    };
    html! {
        <span class="download">
            <button type="button" class="secondary outline" {onclick} disabled={*busy}
                aria-busy={(*busy).then_some("true")}>
                { &props.label }
            </button>
            if let Some(error) = &*error {
                <small class="field-error" role="alert">{ error }</small>
            }
        </span>
    }
}
