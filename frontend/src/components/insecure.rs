//! A warning when the app is opened over plain HTTP from another machine. The server marks
//! the session cookie `Secure` in production, and a browser keeps such a cookie only over
//! HTTPS (or on this machine): every reload would sign the officer out, with no reason given.

use yew::prelude::*;

/// Whether a page at `protocol`//`hostname` loses its secure cookies: plain HTTP anywhere but
/// on this machine.
pub fn is_insecure(protocol: &str, hostname: &str) -> bool {
    protocol == "http:" && !matches!(hostname, "localhost" | "127.0.0.1" | "[::1]" | "::1")
}

/// Says why the session will not survive a reload, and offers the HTTPS address.
#[function_component]
pub fn InsecureNotice() -> Html {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return Html::default();
    };
    let protocol = location.protocol().unwrap_or_default();
    let hostname = location.hostname().unwrap_or_default();
    if !is_insecure(&protocol, &hostname) {
        return Html::default();
    }
    let secure = format!(
        "https://{hostname}{}",
        location.pathname().unwrap_or_default()
    );
    html! {
        <aside class="notice error insecure" role="alert">
            <p>
                <strong>{ "Kết nối không được mã hóa (http://). " }</strong>
                { "Trình duyệt sẽ không giữ phiên đăng nhập khi tải lại trang, và mật khẩu có thể \
                   bị đọc trộm trên đường truyền. Hãy mở trang bằng địa chỉ an toàn: " }
                <a href={secure.clone()}>{ secure }</a>
            </p>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::is_insecure;

    #[test]
    fn plain_http_is_insecure_except_on_this_machine() {
        assert!(is_insecure("http:", "tcd.mattran.vn"));
        assert!(is_insecure("http:", "192.168.1.20"));
        assert!(!is_insecure("https:", "tcd.mattran.vn"));
        for local in ["localhost", "127.0.0.1", "[::1]"] {
            assert!(!is_insecure("http:", local), "{local}");
        }
    }
}
