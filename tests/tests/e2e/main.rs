//! Browser end-to-end tests: the real `tcd serve --demo` on a fresh SQLite database serves
//! the built web app (`cargo xtask build-web`), and headless Chromium, driven through
//! chromedriver, uses it as officers would. A screenshot of each main screen is saved under
//! `target/e2e-screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without chromedriver the test is skipped
//! with a message, unless `TCD_REQUIRE_BROWSER=1` (CI) makes that a failure.

mod api;
mod browser;
mod campaigns;
#[path = "../common/mod.rs"]
mod common;
mod reports;
mod server;
mod stats;

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use thirtyfour::prelude::*;

use browser::Browser;
use server::DemoServer;

/// What the operator created in the test sets as their own password: long and random, so
/// that it passes the server's strength rule however strict it gets.
const OPERATOR_PASSWORD: &str = "Rv7#kQ2m-Xp9!tLz4W-ưĐ";

/// The confirming button of the open confirmation dialog.
const CONFIRM: &str = "dialog[open] button.confirm-action";

#[tokio::test]
async fn officers_sign_in_manage_accounts_and_stay_in_their_branch() {
    let Some(chromedriver) = browser::chromedriver() else {
        return;
    };
    let server = DemoServer::start();
    let browser = Browser::start(&chromedriver, &server.address).await;
    let result = scenario(&browser, &server).await;
    if let Err(error) = &result {
        browser.screenshot("failure").await;
        let url = browser.driver.current_url().await.map(|u| u.to_string());
        let body = browser.body_text().await;
        browser.quit().await;
        panic!("{error:?}\nat {url:?}\npage text:\n{body}");
    }
    browser.quit().await;
}

async fn scenario(b: &Browser, server: &DemoServer) -> Result<()> {
    let admin = server.account("huyen.phuninh")?;
    a_wrong_password_is_refused_in_vietnamese(b).await?;
    let one_time = the_district_admin_creates_a_commune_operator(b, &admin.password).await?;
    the_admin_changes_a_role_and_disables_an_account(b).await?;
    the_operator_changes_the_password_and_sees_only_the_commune(b, &one_time).await?;
    the_session_renews_itself_before_the_token_expires(b).await?;
    the_navigation_fits_a_phone(b).await?;
    let province = server.account("tinh.quangnam")?;
    the_province_searches_its_whole_subtree(b, &province.password).await?;
    the_accounts_screen_fits_a_laptop_and_a_phone(b).await?;
    let disabled = server.account("xa.tamthanh")?;
    disabled_and_locked_accounts_are_told_why(b, &disabled.password).await
}

async fn a_wrong_password_is_refused_in_vietnamese(b: &Browser) -> Result<()> {
    // A wrong password is refused, in Vietnamese.
    b.open("/").await?;
    b.sign_in("huyen.phuninh", "sai-mat-khau").await?;
    b.wait_text("[role=alert]", "Tên đăng nhập hoặc mật khẩu không đúng.")
        .await?;
    b.screenshot("01-sign-in-wrong-password").await;
    Ok(())
}

/// Returns the one-time password the app showed.
async fn the_district_admin_creates_a_commune_operator(
    b: &Browser,
    password: &str,
) -> Result<String> {
    // The Phú Ninh admin signs in and lands on the dashboard, then opens their committee.
    b.sign_in("huyen.phuninh", password).await?;
    b.wait_text("h1", "Tổng quan").await?;
    b.click_link("Đơn vị").await?;
    b.wait_text("h1", "Ban Thường trực UBMTTQ huyện Phú Ninh")
        .await?;
    b.wait_text(".officer-role", "Quản trị").await?;
    b.wait_text("h2", "Đơn vị trực thuộc (10)").await?;
    b.screenshot("02-units-phu-ninh").await;

    // Searching without diacritics finds Tam Dân and leaves Tam Thành out.
    b.find("#unit-search").await?.send_keys("tam dan").await?;
    b.wait_gone("table.units", "Xã Tam Thành").await?;
    b.wait_text("table.units", "Xã Tam Dân").await?;
    b.click_link("Xã Tam Dân").await?;
    b.wait_text("h1", "Ban Thường trực UBMTTQ xã Tam Dân")
        .await?;
    // The trail goes up as far as the admin's own unit, which links back.
    ensure!(
        b.links_named("Huyện Phú Ninh").await? == 1,
        "the breadcrumbs link back to the district"
    );
    b.screenshot("03-unit-tam-dan").await;
    let title = b.driver.title().await?;
    ensure!(
        title == "Xã Tam Dân — Trang Cộng Đồng",
        "the tab title follows the screen: {title:?}"
    );

    // The admin creates an operator for Tam Dân and gets the one-time password once.
    b.click_link("Tài khoản của đơn vị").await?;
    b.wait_text("hgroup", "Xã Tam Dân và các đơn vị trực thuộc")
        .await?;
    b.click_button("Tạo tài khoản").await?;
    // The server's objection is shown beside the field it is about.
    b.find("#username").await?.send_keys("ab").await?;
    b.find("#displayName")
        .await?
        .send_keys("Nguyễn Thị Dân")
        .await?;
    b.find("#role option[value=OPERATOR]")
        .await?
        .click()
        .await?;
    let submit = ".create-account button[type=submit]";
    b.find(submit).await?.click().await?;
    b.wait_text("#username-note.field-error", "").await?;
    ensure!(
        b.find("#username")
            .await?
            .attr("aria-invalid")
            .await?
            .as_deref()
            == Some("true"),
        "the username input is not marked invalid"
    );
    b.screenshot("04-create-account-error").await;
    let username = b.find("#username").await?;
    username.clear().await?;
    username.send_keys("xa.tamdan").await?;
    b.find(submit).await?.click().await?;
    let one_time = b.find("#one-time-password").await?.text().await?;
    ensure!(!one_time.trim().is_empty(), "no one-time password shown");
    b.wait_text("table.accounts", "Nguyễn Thị Dân").await?;
    b.screenshot("04-account-created-password-once").await;
    b.click_button("Đóng").await?;
    b.wait_gone("body", "Mật khẩu dùng một lần:").await?;

    // Resetting it hands out a new one-time password (the first stops working).
    b.click_button("Đặt lại mật khẩu").await?;
    b.wait_text(
        "dialog[open]",
        "Đặt lại mật khẩu của Nguyễn Thị Dân (xa.tamdan)?",
    )
    .await?;
    b.find(CONFIRM).await?.click().await?;
    b.wait_text(".secret", "Đã đặt lại mật khẩu cho xa.tamdan")
        .await?;
    let reset = b.find("#one-time-password").await?.text().await?;
    ensure!(
        !reset.trim().is_empty() && reset != one_time,
        "no new one-time password"
    );
    b.click_button("Đóng").await?;
    Ok(reset.trim().to_owned())
}

async fn the_admin_changes_a_role_and_disables_an_account(b: &Browser) -> Result<()> {
    let row_select = "select[aria-label='Vai trò của xa.tamthanh']";
    b.click_link("Tài khoản").await?;
    b.wait_text("hgroup", "Huyện Phú Ninh và các đơn vị trực thuộc")
        .await?;
    b.find("#account-search")
        .await?
        .send_keys("tam thanh")
        .await?;
    b.wait_gone("table.accounts", "xa.tamdan").await?;

    // Picking a role asks first, saying what changes and what an admin may do; backing
    // out leaves the role as it was.
    b.find(&format!("{row_select} option[value=ADMIN]"))
        .await?
        .click()
        .await?;
    b.wait_text("dialog[open]", "từ Cán bộ vận hành thành Quản trị?")
        .await?;
    b.wait_text("dialog[open]", "Quản trị được quản lý mọi tài khoản")
        .await?;
    b.screenshot("05-confirm-promotion-to-admin").await;
    b.find("dialog[open] footer button.secondary")
        .await?
        .click()
        .await?;
    b.wait_gone("body", "thành Quản trị?").await?;
    ensure!(
        b.find(&format!("{row_select} option[value=OPERATOR]"))
            .await?
            .is_selected()
            .await?,
        "a cancelled role change still shows the new role"
    );

    // Confirmed, the change is saved and said so.
    b.find(&format!("{row_select} option[value=VIEWER]"))
        .await?
        .click()
        .await?;
    b.wait_text("dialog[open]", "từ Cán bộ vận hành thành Chỉ xem?")
        .await?;
    b.find(CONFIRM).await?.click().await?;
    b.wait_text(
        "tr.row-notice [role=status]",
        "Đã đổi vai trò của Ban Thường trực UBMTTQ xã Tam Thành (xa.tamthanh) từ Cán bộ vận hành thành Chỉ xem.",
    )
    .await?;

    // Disabling asks too, then says it is done; the account reads "Đã vô hiệu hóa".
    b.click_button("Vô hiệu hóa").await?;
    b.wait_text("dialog[open]", "Vô hiệu hóa tài khoản của")
        .await?;
    b.find(CONFIRM).await?.click().await?;
    b.wait_text(
        "tr.row-notice [role=status]",
        "Đã vô hiệu hóa tài khoản của",
    )
    .await?;
    b.wait_text("table.accounts", "Đã vô hiệu hóa").await?;
    b.wait_text("table.accounts button", "Kích hoạt lại")
        .await?;
    b.driver.set_window_rect(0, 0, 1280, 800).await?;
    b.scroll_to("table.accounts").await?;
    b.screenshot("05-accounts-list").await;
    b.driver.set_window_rect(0, 0, 360, 740).await?;
    b.scroll_to("table.accounts").await?;
    b.screenshot("05-phone-accounts-list").await;
    b.driver.set_window_rect(0, 0, 1280, 900).await?;

    // Both changes were saved: a fresh load shows them.
    b.driver.refresh().await?;
    b.find("#account-search")
        .await?
        .send_keys("tamthanh")
        .await?;
    b.wait_gone("table.accounts", "xa.tamdan").await?;
    b.wait_text("table.accounts", "Đã vô hiệu hóa").await?;
    ensure!(
        b.find(&format!("{row_select} option[value=VIEWER]"))
            .await?
            .is_selected()
            .await?,
        "the new role was not saved"
    );
    Ok(())
}

async fn disabled_and_locked_accounts_are_told_why(b: &Browser, password: &str) -> Result<()> {
    b.click_button("Đăng xuất").await?;
    b.wait_text("h1", "Đăng nhập").await?;
    b.sign_in("xa.tamthanh", password).await?;
    b.wait_text("[role=alert]", "Tài khoản đã bị vô hiệu hóa")
        .await?;
    // After five wrong passwords in a row the account waits, and the app says until when.
    for attempt in 1..=7 {
        b.sign_in("xem.quangnam", "sai-mat-khau").await?;
        // A refused sign-in empties the password field: the answer is in.
        b.wait_value("#password", "").await?;
        if b.body_text().await.contains("tạm khóa") {
            break;
        }
        ensure!(attempt < 7, "no lock after {attempt} wrong passwords");
    }
    b.wait_text("[role=alert]", "Tài khoản đang tạm khóa đến ")
        .await?;
    b.screenshot("10-phone-account-locked").await;
    Ok(())
}

async fn the_operator_changes_the_password_and_sees_only_the_commune(
    b: &Browser,
    one_time: &str,
) -> Result<()> {
    // The operator signs in with it, must change it, then sees only Tam Dân.
    b.click_button("Đăng xuất").await?;
    b.wait_text("h1", "Đăng nhập").await?;
    b.sign_in("xa.tamdan", one_time).await?;
    b.wait_text("h1", "Đổi mật khẩu").await?;
    b.find("#currentPassword")
        .await?
        .send_keys(one_time)
        .await?;
    b.find("#newPassword")
        .await?
        .send_keys(OPERATOR_PASSWORD)
        .await?;
    b.find("#confirmPassword")
        .await?
        .send_keys(OPERATOR_PASSWORD)
        .await?;
    b.screenshot("06-forced-password-change").await;
    b.find(".change-password button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_text("h1", "Tổng quan").await?;
    b.wait_text("hgroup", "Xã Tam Dân").await?;
    ensure!(
        b.links_named("Huyện Phú Ninh").await? == 0,
        "the district above is not linked on a commune operator's dashboard"
    );
    b.click_link("Đơn vị").await?;
    b.wait_text("h1", "Ban Thường trực UBMTTQ xã Tam Dân")
        .await?;
    b.wait_text(".officer-role", "Cán bộ vận hành").await?;
    ensure!(
        b.links_named("Tài khoản").await? == 0,
        "an operator has no accounts screen"
    );
    ensure!(
        b.links_named("Huyện Phú Ninh").await? == 0,
        "the district above is shown but not linked for a commune operator"
    );
    b.screenshot("07-operator-tam-dan").await;

    // A reload keeps the session (refresh cookie); the district stays out of reach.
    b.driver.refresh().await?;
    b.wait_text("h1", "Ban Thường trực UBMTTQ xã Tam Dân")
        .await?;
    b.open("/don-vi/518").await?;
    b.wait_text("[role=alert]", "Không tìm thấy").await?;
    Ok(())
}

async fn the_session_renews_itself_before_the_token_expires(b: &Browser) -> Result<()> {
    // Idle past the access token's lifetime, then use the app without reloading: every
    // request still carries a valid token, renewed in the background from the cookie.
    tokio::time::sleep(Duration::from_secs(server::ACCESS_TOKEN_TTL_SECONDS + 5)).await;
    b.click_link("Cá nhân").await?;
    b.wait_text("h1", "Tài khoản của tôi").await?;
    b.click_link("Đơn vị").await?;
    b.wait_text("h1", "Ban Thường trực UBMTTQ xã Tam Dân")
        .await?;
    ensure!(
        !b.body_text().await.contains("Phiên làm việc đã hết hạn"),
        "signed out: the token was not renewed"
    );
    Ok(())
}

async fn the_navigation_fits_a_phone(b: &Browser) -> Result<()> {
    // On a phone-sized window the navigation is there and fits.
    b.driver.set_window_rect(0, 0, 360, 740).await?;
    b.open("/don-vi/20392").await?;
    b.wait_text("h1", "xã Tam Dân").await?;
    let width = b
        .driver
        .execute("return window.innerWidth;", Vec::new())
        .await?
        .convert::<i64>()?;
    ensure!(width <= 400, "the window is not phone-sized: {width} px");
    for name in ["Đơn vị", "Cá nhân"] {
        let link = b
            .driver
            .query(By::XPath(format!("//nav//a[normalize-space(.)='{name}']")))
            .first()
            .await
            .with_context(|| format!("no navigation link {name}"))?;
        ensure!(link.is_displayed().await?, "{name} is hidden on a phone");
        let rect = link.rect().await?;
        ensure!(
            rect.x >= 0.0 && rect.x + rect.width <= f64::from(u32::try_from(width)?),
            "{name} is outside the screen: {rect:?}"
        );
    }
    b.screenshot("08-phone-navigation").await;
    b.click_link("Cá nhân").await?;
    b.wait_text("h1", "Tài khoản của tôi").await?;
    b.screenshot("09-phone-my-account").await;
    Ok(())
}

/// The row of the unit search results that links to `unit`.
async fn hit_row(b: &Browser, unit: &str) -> Result<String> {
    let row = b
        .driver
        .query(By::XPath(format!(
            "//table[contains(@class,'hits')]//tr[td/a[normalize-space(.)='{unit}']]"
        )))
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
        .with_context(|| format!("no search hit {unit}"))?;
    Ok(row.text().await?)
}

async fn the_province_searches_its_whole_subtree(b: &Browser, password: &str) -> Result<()> {
    b.driver.set_window_rect(0, 0, 1280, 800).await?;
    b.click_button("Đăng xuất").await?;
    b.wait_text("h1", "Đăng nhập").await?;
    b.sign_in("tinh.quangnam", password).await?;
    b.wait_text("h1", "Tổng quan").await?;
    b.click_link("Đơn vị").await?;
    b.wait_text("h1", "Ban Thường trực UBMTTQ tỉnh Quảng Nam")
        .await?;
    b.wait_text("h2", "Đơn vị trực thuộc (").await?;

    // A commune two levels down is found by name without diacritics, shown with the
    // district it belongs to (Xã Tam Thạnh of Núi Thành matches too).
    let search = b.find("#unit-search").await?;
    search.send_keys("tam thanh").await?;
    b.wait_text("h2", "Kết quả tìm kiếm").await?;
    let row = hit_row(b, "Xã Tam Thành").await?;
    ensure!(
        row.contains("Huyện Phú Ninh") && row.contains("20365"),
        "the hit does not say where it sits: {row:?}"
    );
    b.scroll_to("#unit-search").await?;
    b.screenshot("11-province-search-tam-thanh").await;

    // Clearing the search shows the districts again; the code finds the commune too.
    search.clear().await?;
    // `clear` fires no input event: an emptied box is typed into as an officer would.
    search.send_keys(" ").await?;
    search.send_keys(Key::Backspace).await?;
    b.wait_text("h2", "Đơn vị trực thuộc (").await?;
    b.wait_gone("table.units", "Xã Tam Thành").await?;
    search.send_keys("20365").await?;
    let row = hit_row(b, "Xã Tam Thành").await?;
    ensure!(
        row.contains("Huyện Phú Ninh"),
        "the hit does not say where it sits: {row:?}"
    );
    b.click_link("Xã Tam Thành").await?;
    b.wait_text("h1", "Ban Thường trực UBMTTQ xã Tam Thành")
        .await?;
    Ok(())
}

/// What scrolls sideways: the page (`document.documentElement.scrollWidth` beyond its
/// `clientWidth`), or a table inside its scroller.
async fn sideways(b: &Browser) -> Result<Vec<String>> {
    Ok(b.driver
        .execute(
            "const found = [];
             const page = document.documentElement;
             if (page.scrollWidth > page.clientWidth) {
               found.push(`the page: ${page.scrollWidth} > ${page.clientWidth}`);
             }
             for (const e of document.querySelectorAll('.overflow-auto')) {
               if (e.scrollWidth > e.clientWidth) {
                 found.push(`a table: ${e.scrollWidth} > ${e.clientWidth}`);
               }
             }
             return found;",
            Vec::new(),
        )
        .await?
        .convert::<Vec<String>>()?)
}

async fn the_accounts_screen_fits_a_laptop_and_a_phone(b: &Browser) -> Result<()> {
    // Every account of the province, at 1280×800: nothing scrolls sideways (so every action
    // is in view) and no name is squeezed onto many lines.
    b.click_link("Tài khoản").await?;
    b.wait_text("hgroup", "Tỉnh Quảng Nam và các đơn vị trực thuộc")
        .await?;
    b.wait_text("table.accounts", "xa.tamdan").await?;
    let (scroll, client) = b
        .driver
        .execute(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];",
            Vec::new(),
        )
        .await?
        .convert::<(i64, i64)>()?;
    ensure!(
        scroll <= client,
        "the accounts screen scrolls sideways at 1280×800: {scroll} > {client}"
    );
    let lines = b
        .driver
        .execute(
            "return Math.max(...[...document.querySelectorAll('table.accounts td.who strong')]\
             .map(e => Math.round(e.getBoundingClientRect().height \
             / parseFloat(getComputedStyle(e).lineHeight))));",
            Vec::new(),
        )
        .await?
        .convert::<i64>()?;
    ensure!(lines <= 2, "a name takes {lines} lines");

    // At 1280×800, a smaller laptop, and a phone (where each account is a card).
    for (width, height, name) in [
        (1280, 800, "12-accounts-1280x800"),
        (1024, 768, "12-accounts-1024x768"),
        (360, 740, "12-phone-accounts"),
    ] {
        b.driver.set_window_rect(0, 0, width, height).await?;
        b.wait_text("table.accounts", "xa.tamdan").await?;
        let found = sideways(b).await?;
        ensure!(
            found.is_empty(),
            "the accounts screen scrolls sideways at {width}×{height}: {found:?}"
        );
        b.scroll_to("table.accounts").await?;
        b.screenshot(name).await;
    }
    Ok(())
}

/// The name the guideline prescribes for Phú Ninh's page.
const PHU_NINH_PAGE: &str = "Mặt trận Phú Ninh (tỉnh Quảng Nam)";

#[tokio::test]
async fn a_district_registers_its_page_and_the_province_verifies_it() {
    let Some(chromedriver) = browser::chromedriver() else {
        return;
    };
    // A database of its own: the other test changes the demo accounts.
    let server = DemoServer::start();
    let browser = Browser::start(&chromedriver, &server.address).await;
    let result = page_scenario(&browser, &server).await;
    if let Err(error) = &result {
        browser.screenshot("page-failure").await;
        let url = browser.driver.current_url().await.map(|u| u.to_string());
        let body = browser.body_text().await;
        browser.quit().await;
        panic!("{error:?}\nat {url:?}\npage text:\n{body}");
    }
    browser.quit().await;
}

async fn page_scenario(b: &Browser, server: &DemoServer) -> Result<()> {
    let district = server.account("huyen.phuninh")?;
    let page_path = the_district_creates_and_reports_its_page(b, &district.password).await?;
    let province = server.account("tinh.quangnam")?;
    the_province_verifies_it_from_its_queue(b, &province.password).await?;
    let commune = server.account("xa.tamthanh")?;
    another_branch_does_not_see_it(b, &commune.password, &page_path).await
}

/// Returns the page's address in the app.
async fn the_district_creates_and_reports_its_page(b: &Browser, password: &str) -> Result<String> {
    b.open("/").await?;
    b.sign_in("huyen.phuninh", password).await?;
    b.wait_text("h1", "Tổng quan").await?;
    b.click_link("Đơn vị").await?;
    b.wait_text("h1", "Ban Thường trực UBMTTQ huyện Phú Ninh")
        .await?;
    b.wait_text(".unit-page-status", "Chưa có trang").await?;
    b.click_link("Tạo trang").await?;

    // The form starts from the prescribed name, which the API finds conforming.
    b.wait_text("h1", "Tạo trang cộng đồng").await?;
    b.wait_value("#name", PHU_NINH_PAGE).await?;
    b.wait_text(".name-check", "Tên trang đúng quy định")
        .await?;
    b.wait_text(".suggested-username", "mattran").await?;

    // The link is shown as it will be stored before anything is saved.
    b.find("#url")
        .await?
        .send_keys("https://m.facebook.com/mattranphuninh?mibextid=abc")
        .await?;
    b.wait_text(".canonical-url", "https://www.facebook.com/mattranphuninh")
        .await?;
    b.screenshot("10-page-form").await;
    b.click_button("Tạo trang").await?;

    b.wait_text("h1", PHU_NINH_PAGE).await?;
    b.wait_text(".page-url", "https://www.facebook.com/mattranphuninh")
        .await?;
    let url = b.driver.current_url().await?;
    let page_path = url.path().to_owned();
    ensure!(page_path.starts_with("/trang/"), "page address {page_path}");

    // Two officers join the unit's list.
    b.click_link("Danh sách cán bộ của đơn vị").await?;
    b.wait_text("h1", "Cán bộ của Huyện Phú Ninh").await?;
    for (name, position, phone) in [
        (
            "Nguyễn Văn Lãnh",
            "Phó Chủ tịch Ủy ban MTTQ huyện",
            "0905123456",
        ),
        ("Trần Thị Vận", "Cán bộ Ban Tuyên giáo", "0914765432"),
    ] {
        b.click_button("Thêm cán bộ").await?;
        b.find("#fullName").await?.send_keys(name).await?;
        b.find("#position").await?.send_keys(position).await?;
        b.find("#phone").await?.send_keys(phone).await?;
        b.click_button("Lưu").await?;
        b.wait_text("table.people", name).await?;
    }
    b.screenshot("11-people").await;

    // Back on the page, they become its leader and operator.
    b.open(&page_path).await?;
    b.wait_text("h1", PHU_NINH_PAGE).await?;
    for (select, name, shown) in [
        ("leader-pick", "Nguyễn Văn Lãnh", ".page-staff .leader"),
        ("operator-pick", "Trần Thị Vận", ".page-staff .operator"),
    ] {
        b.driver
            .query(By::XPath(format!(
                "//select[@id='{select}']/option[contains(., '{name}')]"
            )))
            .wait(Duration::from_secs(10), Duration::from_millis(100))
            .first()
            .await
            .with_context(|| format!("no {name} to pick"))?
            .click()
            .await?;
        b.find(&format!("#{select}-go")).await?.click().await?;
        b.wait_text(shown, name).await?;
    }
    b.wait_text("table.assignments", "Trần Thị Vận").await?;

    // Reported to the province, after a confirmation.
    b.click_button("Báo cáo lên cấp trên").await?;
    b.wait_text("dialog[open]", "lên cấp trên để xác nhận?")
        .await?;
    b.find(CONFIRM).await?.click().await?;
    b.wait_text(".notice", "Đã báo cáo trang lên cấp trên.")
        .await?;
    b.wait_text("hgroup", "Đã báo cáo").await?;
    b.wait_text("table.history", "Báo cáo lên cấp trên").await?;
    b.screenshot("12-page-reported").await;
    b.click_button("Đăng xuất").await?;
    Ok(page_path)
}

async fn the_province_verifies_it_from_its_queue(b: &Browser, password: &str) -> Result<()> {
    b.sign_in("tinh.quangnam", password).await?;
    b.wait_text(".officer-role", "Quản trị").await?;
    b.click_link("Xác nhận").await?;
    b.wait_text("h1", "Trang chờ xác nhận").await?;
    b.wait_text("table.page-list", PHU_NINH_PAGE).await?;
    b.screenshot("13-verification-queue").await;
    // The demo's own reported pages wait in the queue too: Phú Ninh's is verified in its row.
    b.driver
        .query(By::XPath(format!(
            "//table[contains(@class,'page-list')]//tr[contains(., '{PHU_NINH_PAGE}')]\
             //button[contains(@class,'verify')]"
        )))
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
        .context("no Xác nhận for Phú Ninh's page in the queue")?
        .click()
        .await?;
    b.wait_text("dialog[open]", PHU_NINH_PAGE).await?;
    b.find(CONFIRM).await?.click().await?;
    b.wait_text(".notice", "Đã xác nhận trang").await?;
    b.wait_gone("table.page-list", PHU_NINH_PAGE).await?;
    // The page list shows it verified; with both duties held it is not among the pages
    // to staff (the demo's commune pages of Phú Ninh may be).
    b.click_link("Trang").await?;
    b.find("#page-search").await?.send_keys("phu ninh").await?;
    let row = b
        .driver
        .query(By::XPath(format!(
            "//table[contains(@class,'page-list')]//tr[contains(., '{PHU_NINH_PAGE}')]"
        )))
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
        .context("Phú Ninh's page is not in the list")?;
    let row = row.text().await?;
    ensure!(row.contains("Đã xác nhận"), "Phú Ninh's page reads {row:?}");
    b.find("#page-staffing").await?.click().await?;
    b.wait_gone(".pages", PHU_NINH_PAGE).await?;
    b.screenshot("13-page-list-to-staff").await;
    the_province_reads_the_audit_trail(b).await?;
    the_province_filters_accounts_by_role_and_renames_one(b).await?;
    b.click_button("Đăng xuất").await?;
    Ok(())
}

/// The verification is in the audit trail, with the page's status before and after, under
/// "Trang" and by the admin's username, and not under "Tài khoản".
async fn the_province_reads_the_audit_trail(b: &Browser) -> Result<()> {
    b.click_link("Nhật ký").await?;
    b.wait_text("h1", "Nhật ký thay đổi").await?;
    b.wait_text("table.audit-list", "Xác nhận trang").await?;
    b.wait_text("table.audit-list", "tinh.quangnam").await?;
    // The status changed reads in the API's labels, not as REPORTED → VERIFIED.
    b.wait_text("table.audit-list", "Đã báo cáo → Đã xác nhận")
        .await?;
    b.find("#audit-area option[value='page.']")
        .await?
        .click()
        .await?;
    b.find("#audit-username")
        .await?
        .send_keys("tinh.quangnam")
        .await?;
    b.wait_text("table.audit-list", "Xác nhận trang").await?;
    b.screenshot("16-audit-trail").await;
    b.find("#audit-area option[value='account.']")
        .await?
        .click()
        .await?;
    b.wait_gone(".audit", "Xác nhận trang").await?;
    // A date typed day first narrows the trail: nothing was done by 01/01/2020.
    b.find("#audit-area option[value='page.']")
        .await?
        .click()
        .await?;
    b.find("#audit-to").await?.send_keys("01/01/2020").await?;
    b.wait_text(".audit", "Không có thay đổi nào.").await?;
    Ok(())
}

async fn the_province_filters_accounts_by_role_and_renames_one(b: &Browser) -> Result<()> {
    b.click_link("Tài khoản").await?;
    b.wait_text("table.accounts", "huyen.phuninh").await?;
    b.find("#account-role option[value=OPERATOR]")
        .await?
        .click()
        .await?;
    b.wait_gone("table.accounts", "huyen.phuninh").await?;
    b.wait_text("table.accounts", "xa.tamthanh").await?;
    b.driver
        .query(By::XPath(
            "//tr[contains(., 'xa.tamthanh')]//button[normalize-space(.)='Đổi tên']".to_owned(),
        ))
        .wait(Duration::from_secs(10), Duration::from_millis(100))
        .first()
        .await
        .context("no Đổi tên for xa.tamthanh")?
        .click()
        .await?;
    let name = b.find("form.rename input").await?;
    name.clear().await?;
    name.send_keys("Lê Văn Thành").await?;
    b.find("form.rename button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_text(".row-notice", "Đã đổi tên hiển thị").await?;
    b.wait_text("table.accounts", "Lê Văn Thành").await?;
    b.screenshot("15-accounts-by-role-renamed").await;
    Ok(())
}

async fn another_branch_does_not_see_it(
    b: &Browser,
    password: &str,
    page_path: &str,
) -> Result<()> {
    b.sign_in("xa.tamthanh", password).await?;
    b.wait_text(".officer-role", "Cán bộ vận hành").await?;
    b.open(page_path).await?;
    b.wait_text("h1", "Không tìm thấy trang").await?;
    b.wait_gone("body", PHU_NINH_PAGE).await?;
    b.screenshot("14-page-of-another-branch").await;
    // An operator has no audit trail: no menu entry, and the address is refused.
    b.wait_text(".nav-links", "Trang").await?;
    b.wait_gone(".nav-links", "Nhật ký").await?;
    b.open("/nhat-ky").await?;
    b.wait_text("main", "không có quyền").await?;
    Ok(())
}
