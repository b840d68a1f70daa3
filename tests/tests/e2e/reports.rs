//! The rollout dashboard and the reporting rounds in the browser: the figures the app shows
//! are the API's (asked directly over HTTP with the same account), and a district's report
//! goes up, comes back with a reason and goes up again.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::CONFIRM;
use crate::api::Api;
use crate::browser::{self, Browser};
use crate::server::DemoServer;

#[tokio::test]
async fn the_dashboard_shows_the_apis_figures_and_a_report_goes_up_and_back() {
    let Some(chromedriver) = browser::chromedriver() else {
        return;
    };
    let server = DemoServer::start();
    let browser = Browser::start(&chromedriver, &server.address).await;
    let result = scenario(&browser, &server).await;
    if let Err(error) = &result {
        browser.screenshot("reports-failure").await;
        let url = browser.driver.current_url().await.map(|u| u.to_string());
        let body = browser.body_text().await;
        browser.quit().await;
        panic!("{error:?}\nat {url:?}\npage text:\n{body}");
    }
    browser.quit().await;
}

async fn scenario(b: &Browser, server: &DemoServer) -> Result<()> {
    let province = server.account("tinh.quangnam")?;
    let district = server.account("huyen.phuninh")?;
    let api = Api::new(&server.address);
    let token = api.token("tinh.quangnam", &province.password).await?;
    the_province_dashboard_shows_the_apis_figures(b, &api, &token, &province.password).await?;
    let title = the_province_asks_for_reports(b).await?;
    sign_out(b).await?;
    the_district_submits_its_report(b, &district.password, &title, None).await?;
    sign_out(b).await?;
    let reason = "Thiếu số điện thoại của cán bộ vận hành xã Tam Dân.";
    the_province_returns_it(b, &province.password, &title, reason).await?;
    sign_out(b).await?;
    the_district_submits_its_report(b, &district.password, &title, Some(reason)).await?;
    sign_out(b).await?;
    the_province_sees_it_submitted_again(b, &province.password, &title).await
}

impl Api {
    /// `coverage(unitCode:)`: the levels, the children and how many units lack a page.
    async fn coverage(&self, token: &str, code: &str) -> Result<Value> {
        let data = self
            .query(
                Some(token),
                "query ($code: String!) { coverage(unitCode: $code) {
                   levels { level units withPage share target }
                   children { unit { code } share }
                   missing(first: 1) { totalCount }
                 } }",
                json!({ "code": code }),
            )
            .await?;
        Ok(data["coverage"].clone())
    }
}

/// From now on, a file the app hands the browser to save (a Blob behind a link with
/// `download`) is read instead, as text, and kept in `window.__downloads` as `[name, text]`
/// (the site's policy lets no page fetch a `blob:` address, so the Blob itself is kept).
async fn capture_downloads(b: &Browser) -> Result<()> {
    b.driver
        .execute(
            "window.__downloads = [];
             const blobs = {};
             const create = URL.createObjectURL;
             URL.createObjectURL = function (blob) {
               const url = create.call(URL, blob);
               blobs[url] = blob;
               return url;
             };
             const click = HTMLAnchorElement.prototype.click;
             HTMLAnchorElement.prototype.click = function () {
               if (!this.download || !blobs[this.href]) { return click.call(this); }
               const name = this.download;
               blobs[this.href].text().then(t => window.__downloads.push([name, t]));
             };",
            Vec::new(),
        )
        .await?;
    Ok(())
}

/// The name and text of the file saved whose name ends with `suffix`.
async fn downloaded(b: &Browser, suffix: &str) -> Result<(String, String)> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let found = b
            .driver
            .execute(
                "return (window.__downloads || []).find(d => d[0].endsWith(arguments[0])) || null;",
                vec![json!(suffix)],
            )
            .await?
            .convert::<Option<(String, String)>>()?;
        if let Some(found) = found {
            return Ok(found);
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "no {suffix} file was downloaded"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A file name's extension.
fn extension(name: &str) -> &str {
    std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
}

/// A share as the app writes it: "94,1%", "100%".
#[expect(
    clippy::cast_possible_truncation,
    reason = "a share in tenths of a percent"
)]
fn percent(share: f64) -> String {
    let tenths = (share * 1000.0).round() as i64;
    match (tenths / 10, tenths % 10) {
        (units, 0) => format!("{units}%"),
        (units, tenth) => format!("{units},{tenth}%"),
    }
}

/// The dashboard on screen shows, for the district and commune levels, the units with a
/// page of all and their share as `coverage` answers them, its children worst first and
/// the count of units without a page.
async fn the_dashboard_matches(b: &Browser, coverage: &Value, code: &str) -> Result<()> {
    let levels = coverage["levels"].as_array().context("levels")?;
    for wanted in ["DISTRICT", "COMMUNE"] {
        let level = levels
            .iter()
            .find(|l| l["level"] == wanted)
            .with_context(|| format!("the API gives no {wanted} level for {code}: {coverage}"))?;
        let with_page = level["withPage"].as_i64().context("withPage")?;
        let units = level["units"].as_i64().context("units")?;
        let share = level["share"].as_f64().context("share")?;
        let figures = format!("{with_page}/{units} ({})", percent(share));
        let css = format!(".level-coverage[data-level={wanted}]");
        b.wait_text(&format!("{css} .figures"), &figures).await?;
        let shown = b.find(&format!("{css} .figures")).await?.text().await?;
        ensure!(
            shown.trim() == figures,
            "{code} {wanted}: the dashboard shows {shown:?}, the API {figures:?}"
        );
        if let Some(target) = level["target"].as_f64() {
            b.wait_text(css.as_str(), &format!("chỉ tiêu {}", percent(target)))
                .await?;
        }
    }
    let missing = coverage["missing"]["totalCount"]
        .as_i64()
        .context("missing")?;
    b.wait_text(".missing h2", &format!("Đơn vị chưa có trang ({missing})"))
        .await?;

    // The children, worst (lowest share) first; the API gives them in tree order.
    let mut children: Vec<(String, f64)> = coverage["children"]
        .as_array()
        .context("children")?
        .iter()
        .map(|c| {
            (
                c["unit"]["code"].as_str().unwrap_or_default().to_owned(),
                c["share"].as_f64().unwrap_or_default(),
            )
        })
        .collect();
    children.sort_by(|a, b| a.1.total_cmp(&b.1));
    let expected: Vec<String> = children.into_iter().map(|(code, _)| code).collect();
    let mut shown = Vec::new();
    for row in b
        .driver
        .find_all(By::Css("table.coverage-children tbody tr"))
        .await?
    {
        shown.push(row.attr("data-code").await?.unwrap_or_default());
    }
    ensure!(
        shown == expected,
        "{code}: the children are shown as {shown:?}, worst first is {expected:?}"
    );
    Ok(())
}

async fn the_province_dashboard_shows_the_apis_figures(
    b: &Browser,
    api: &Api,
    token: &str,
    password: &str,
) -> Result<()> {
    b.open("/").await?;
    b.sign_in("tinh.quangnam", password).await?;
    // Home is the dashboard of the officer's own unit.
    b.wait_text("h1", "Tổng quan").await?;
    b.wait_text("hgroup", "Tỉnh Quảng Nam").await?;
    let province = api.coverage(token, "49").await?;
    the_dashboard_matches(b, &province, "49").await?;
    b.screenshot("20-dashboard-quang-nam").await;
    // The table downloads as a workbook (a zip: "PK"), fetched with the officer's token,
    // under the name the server gives it (the unit and the day).
    capture_downloads(b).await?;
    b.click_button("Tải bảng (XLSX)").await?;
    let (name, content) = downloaded(b, ".xlsx").await?;
    ensure!(
        name.starts_with("tien-do-49-") && extension(&name) == "xlsx" && content.starts_with("PK"),
        "the coverage table downloaded as {name:?}, starting {:?}",
        content.chars().take(4).collect::<String>()
    );
    b.scroll_to("table.coverage-children").await?;
    b.screenshot("20-dashboard-quang-nam-children").await;

    // Drilling down: Phú Ninh's own dashboard, with its communes.
    b.driver
        .query(By::XPath(
            "//table[contains(@class,'coverage-children')]//a[normalize-space(.)='Huyện Phú Ninh']"
                .to_owned(),
        ))
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
        .context("no Huyện Phú Ninh among the children")?
        .click()
        .await?;
    b.wait_text("hgroup", "Huyện Phú Ninh").await?;
    let path = b.driver.current_url().await?.path().to_owned();
    ensure!(path == "/tong-quan/518", "the drill-down is at {path}");
    let district = api.coverage(token, "518").await?;
    the_dashboard_matches(b, &district, "518").await?;
    b.screenshot("21-dashboard-phu-ninh").await;
    Ok(())
}

/// A day `days` from today in Việt Nam, as typed: dd/mm/yyyy.
fn day(days: i64) -> String {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    (chrono::Utc::now().with_timezone(&vietnam) + chrono::Duration::days(days))
        .format("%d/%m/%Y")
        .to_string()
}

/// Returns the round's title.
async fn the_province_asks_for_reports(b: &Browser) -> Result<String> {
    let title = "Báo cáo triển khai trang cộng đồng (kiểm thử)".to_owned();
    b.click_link("Báo cáo").await?;
    b.wait_text("h1", "Báo cáo triển khai").await?;
    b.driver
        .query(By::XPath(
            "//summary[normalize-space(.)='Tạo đợt báo cáo']".to_owned(),
        ))
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
        .context("no form to start a round")?
        .click()
        .await?;
    b.find("#title").await?.send_keys(&title).await?;
    b.find("#periodStart").await?.send_keys(day(-30)).await?;
    b.find("#periodEnd").await?.send_keys(day(0)).await?;
    b.find("#deadline").await?.send_keys(day(7)).await?;
    b.screenshot("22-create-round").await;
    b.find(".round-form button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_text("h1", &title).await?;
    b.wait_text(".round-figures .submitted", "0/17").await?;
    b.wait_text(".round-figures", "Còn 7 ngày").await?;
    b.wait_text("table.report-list", "Huyện Phú Ninh").await?;
    b.screenshot("23-round-created").await;
    Ok(title)
}

async fn sign_out(b: &Browser) -> Result<()> {
    b.click_button("Đăng xuất").await?;
    b.wait_text("h1", "Đăng nhập").await
}

/// Signs in and opens the round titled `title` from "Báo cáo".
async fn open_round(b: &Browser, username: &str, password: &str, title: &str) -> Result<()> {
    b.sign_in(username, password).await?;
    b.wait_text("h1", "Tổng quan").await?;
    b.click_link("Báo cáo").await?;
    b.wait_text("table.round-list", title).await?;
    b.click_link(title).await?;
    b.wait_text("h1", title).await
}

async fn the_district_submits_its_report(
    b: &Browser,
    password: &str,
    title: &str,
    returned: Option<&str>,
) -> Result<()> {
    open_round(b, "huyen.phuninh", password, title).await?;
    // The district sees the province's round through its own report only.
    b.wait_text("table.report-list", "Huyện Phú Ninh").await?;
    let rows = b
        .driver
        .find_all(By::Css("table.report-list tbody tr"))
        .await?
        .len();
    ensure!(rows == 1, "the district sees {rows} reports of the round");
    b.click_link("Huyện Phú Ninh").await?;
    b.wait_text("h1", "Báo cáo của Huyện Phú Ninh").await?;
    // The appendix lists the district and its communes.
    b.wait_text("table.appendix-table", "Xã Tam Dân").await?;
    if let Some(reason) = returned {
        b.wait_text(".returned-reason", reason).await?;
        b.screenshot("26-report-returned").await;
    } else {
        let remarks = b.find("#remarks").await?;
        remarks
            .send_keys("Huyện đã hoàn thành rà soát trang của các xã.")
            .await?;
        b.screenshot("24-report-before-submit").await;
    }
    b.click_button("Nộp báo cáo").await?;
    b.wait_text("dialog[open]", "Nộp báo cáo của Huyện Phú Ninh")
        .await?;
    b.find(CONFIRM).await?.click().await?;
    b.wait_text(".notice", "Đã nộp báo cáo.").await?;
    b.wait_gone(".report", "Báo cáo bị trả lại").await?;
    b.wait_text(".remarks", "Huyện đã hoàn thành rà soát")
        .await?;
    b.screenshot("25-report-submitted").await;
    // The appendix downloads as CSV and as a workbook, with the district's communes.
    capture_downloads(b).await?;
    b.click_button("Tải CSV").await?;
    let (name, csv) = downloaded(b, ".csv").await?;
    ensure!(
        name.starts_with("bao-cao-518-") && extension(&name) == "csv" && csv.contains("Xã Tam Dân"),
        "the report downloaded as {name:?}: {csv:.300}"
    );
    b.click_button("Tải XLSX").await?;
    let (_, xlsx) = downloaded(b, ".xlsx").await?;
    ensure!(xlsx.starts_with("PK"), "the XLSX download is no workbook");
    Ok(())
}

async fn the_province_returns_it(
    b: &Browser,
    password: &str,
    title: &str,
    reason: &str,
) -> Result<()> {
    open_round(b, "tinh.quangnam", password, title).await?;
    b.wait_text(".round-figures .submitted", "1/17").await?;
    b.find("table.report-list tr[data-code='518'] button.return")
        .await?
        .click()
        .await?;
    b.wait_text("dialog[open]", "Trả lại báo cáo của Huyện Phú Ninh")
        .await?;
    b.find("dialog[open] #reason")
        .await?
        .send_keys(reason)
        .await?;
    b.find(CONFIRM).await?.click().await?;
    b.wait_text(".notice", "Đã trả lại báo cáo.").await?;
    b.wait_text(".round-figures .submitted", "0/17").await?;
    b.wait_text(".round-figures .returned", "1").await?;
    b.screenshot("26-round-report-returned").await;
    Ok(())
}

async fn the_province_sees_it_submitted_again(
    b: &Browser,
    password: &str,
    title: &str,
) -> Result<()> {
    open_round(b, "tinh.quangnam", password, title).await?;
    b.wait_text(".round-figures .submitted", "1/17").await?;
    b.wait_text(".round-figures .returned", "0").await?;
    b.find("table.report-list tr[data-code='518'] button.accept")
        .await?;
    b.wait_text("table.report-list tr[data-code='518']", "Đúng hạn")
        .await?;
    b.screenshot("27-round-submitted-again").await;
    Ok(())
}
