//! "Áp phích QR": a printable A4 poster of a unit's page — its name, the QR code of its
//! link (served by the API to the signed-in officer), the link, and the call to follow it.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use super::not_found::NotFound;
use crate::components::{ErrorBox, Loading};
use crate::error::Error;
use crate::hooks::{use_fetch, use_session, use_title};
use crate::services::campaigns::{self as service, qr_url};

/// "Huyện Phú Ninh" inside a sentence: "huyện Phú Ninh".
fn in_sentence(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Properties, PartialEq)]
pub struct PosterProps {
    pub id: String,
}

#[function_component]
pub fn Poster(props: &PosterProps) -> Html {
    let session = use_session();
    let poster = {
        let client = session.client();
        use_fetch(props.id.clone(), move |id| async move {
            service::poster(&client, &id).await
        })
    };
    // The QR code as a `data:` URL (the API wants the bearer token).
    let qr = use_state(|| None::<Result<String, Error>>);
    {
        let (qr, client) = (qr.clone(), session.client());
        use_effect_with(props.id.clone(), move |id| {
            let url = qr_url(id);
            spawn_local(async move {
                qr.set(Some(client.text_data_url(&url, "image/svg+xml").await));
            });
        });
    }
    let loaded = poster.for_key(&props.id).cloned();
    let title = match &loaded {
        Some(Ok(p)) => format!("Áp phích QR · {}", p.name),
        _ => "Áp phích QR".to_owned(),
    };
    use_title(&title);
    let p = match loaded {
        None => return html! { <Loading text="Đang tải áp phích…" /> },
        Some(Err(Error::NotFound)) => return html! { <NotFound /> },
        Some(Err(error)) => return html! { <ErrorBox {error} on_retry={poster.reload()} /> },
        Some(Ok(p)) => p,
    };
    let print = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    let image = match &*qr {
        None => html! { <Loading text="Đang tạo mã QR…" /> },
        Some(Ok(href)) => html! {
            <img class="qr" src={href.clone()} alt={format!("Mã QR của trang {}", p.name)} />
        },
        Some(Err(error)) => html! {
            <p class="notice error" role="alert">{ format!("Không tải được mã QR: {error}") }</p>
        },
    };
    html! {
        <section class="poster-screen">
            <div class="actions no-print">
                <Link<Route> to={Route::Page { id: p.id.clone() }}>{ "‹ Về trang" }</Link<Route>>
                <button type="button" class="print" onclick={print}>{ "In" }</button>
            </div>
            <article class="poster">
                <h1 class="poster-name">{ &p.name }</h1>
                { image }
                if let Some(url) = &p.url {
                    <p class="poster-url">{ url }</p>
                }
                <p class="poster-call">
                    { format!("Hãy theo dõi và chia sẻ Trang cộng đồng của Mặt trận {}", in_sentence(&p.unit_full_name)) }
                </p>
                <p class="poster-committee">{ &p.committee_name }</p>
            </article>
        </section>
    }
}
