//! Trang Cộng Đồng in the browser: the Yew single-page app officers use, in Vietnamese.
//!
//! It knows the backend only through the checked-in `schema.graphql`: every operation under
//! `graphql/` is typed against it at compile time, so a schema change that breaks the app
//! breaks this build. Built for `wasm32-unknown-unknown` by `cargo xtask build-web`; the
//! pure pieces (error mapping, session timing, text, form checks) are tested on the host.

mod app;
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
mod components;
mod error;
mod hooks;
mod models;
mod services;
mod text;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        show_crash();
    }));
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"));
    // Rendering into `#app` replaces the "loading" text `index.html` shows until now.
    match root {
        Some(root) => drop(yew::Renderer::<app::App>::with_root(root).render()),
        None => drop(yew::Renderer::<app::App>::new().render()),
    }
}

/// With `panic = "abort"` a bug would leave a frozen page: say so instead, in Vietnamese.
fn show_crash() {
    let app = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"));
    if let Some(app) = app {
        app.set_inner_html(
            "<main class=\"container\"><p role=\"alert\">Ứng dụng gặp lỗi và phải dừng. \
             Hãy tải lại trang; nếu lỗi lặp lại, hãy báo cho quản trị.</p></main>",
        );
    }
}
