use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::hooks::use_title;

#[function_component]
pub fn NotFound() -> Html {
    use_title("Không tìm thấy trang");
    html! {
        <section>
            <h1>{ "Không tìm thấy trang" }</h1>
            <p>{ "Địa chỉ này không có trong Trang Cộng Đồng." }</p>
            <Link<Route> to={Route::Home}>{ "Về trang tổng quan" }</Link<Route>>
        </section>
    }
}
