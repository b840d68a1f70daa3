//! "Cá nhân": who I am, and changing my password.

use yew::prelude::*;

use crate::components::ChangePasswordForm;
use crate::hooks::{use_session, use_title};
use crate::text;

#[function_component]
pub fn MyAccount() -> Html {
    use_title("Tài khoản của tôi");
    let session = use_session();
    let Some(account) = session.account().cloned() else {
        return html! {};
    };
    let last_login = account
        .last_login_at
        .as_deref()
        .map_or_else(|| "—".to_owned(), text::format_datetime);
    html! {
        <section class="narrow">
            <h1>{ "Tài khoản của tôi" }</h1>
            <dl class="facts">
                <dt>{ "Họ và tên" }</dt><dd>{ &account.display_name }</dd>
                <dt>{ "Tên đăng nhập" }</dt><dd>{ &account.username }</dd>
                <dt>{ "Vai trò" }</dt><dd>{ account.role.label() }</dd>
                <dt>{ "Đơn vị" }</dt><dd>{ &account.unit.committee_name }</dd>
                <dt>{ "Ngày tạo" }</dt><dd>{ text::format_date(&account.created_at) }</dd>
                <dt>{ "Đăng nhập gần nhất" }</dt><dd>{ last_login }</dd>
            </dl>
            <h2>{ "Đổi mật khẩu" }</h2>
            <ChangePasswordForm />
        </section>
    }
}
