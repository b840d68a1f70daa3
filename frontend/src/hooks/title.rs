//! The browser tab's title follows the screen, so tabs and history read as places.

use yew::prelude::*;

/// Sets the document title to "`title` — Trang Cộng Đồng".
#[hook]
pub fn use_title(title: &str) {
    let full = format!("{title} — Trang Cộng Đồng");
    use_effect_with(full, |full| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(full);
        }
    });
}
