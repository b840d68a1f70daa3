//! A page's statistics in the browser: a commune operator uploads a Meta Business Suite
//! export of its page's views, sees the API's preview, imports it and finds the figures in
//! the table and the chart; a file of another page is refused with the API's Vietnamese
//! message and nothing of it is imported. The page's posts week by week show as bars, and
//! the rankings of the operator's unit chart its whole subtree ("Toàn địa bàn").

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::api::Api;
use crate::browser::{self, Browser};
use crate::server::DemoServer;

#[tokio::test]
async fn an_operator_imports_meta_csv_figures_of_its_page() {
    let Some(chromedriver) = browser::chromedriver() else {
        return;
    };
    let server = DemoServer::start();
    let browser = Browser::start(&chromedriver, &server.address).await;
    let result = scenario(&browser, &server).await;
    if let Err(error) = &result {
        browser.screenshot("stats-failure").await;
        let url = browser.driver.current_url().await.map(|u| u.to_string());
        let body = browser.body_text().await;
        browser.quit().await;
        panic!("{error:?}\nat {url:?}\npage text:\n{body}");
    }
    browser.quit().await;
}

/// The day `days_ago` days before today in Vietnam, `YYYY-MM-DD`.
fn vietnam_day(days_ago: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7) - chrono::Duration::days(days_ago))
        .format("%Y-%m-%d")
        .to_string()
}

/// `dd/mm/yyyy` of `YYYY-MM-DD`.
fn shown(day: &str) -> String {
    let parts: Vec<&str> = day.split('-').collect();
    format!("{}/{}/{}", parts[2], parts[1], parts[0])
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, text)?;
    Ok(path)
}

async fn scenario(b: &Browser, server: &DemoServer) -> Result<()> {
    let commune = server.account("xa.tamthanh")?;
    let api = Api::new(&server.address);
    let token = api.token("xa.tamthanh", &commune.password).await?;
    let page = api.page(&token, "20365").await?;
    let page_id = page["id"]
        .as_str()
        .context("the page has no id")?
        .to_owned();

    let dir = tempfile::tempdir()?;
    let days = [vietnam_day(3), vietnam_day(2), vietnam_day(1)];
    let views = ["1250", "1340", "1475"];
    let rows = days
        .iter()
        .zip(views)
        .map(|(day, value)| format!("\"{day}T00:00:00\",\"{value}\""))
        .collect::<Vec<_>>()
        .join("\n");
    let csv = format!("sep=,\n\"Lượt xem\"\n\"Ngày\",\"Chính\"\n{rows}\n");
    let own = write_file(dir.path(), "luot-xem.csv", &csv)?;
    let other_day = vietnam_day(5);
    let other = write_file(
        dir.path(),
        "trang-khac.csv",
        &format!(
            "Ngày,Page,Lượt xem\n{},Trang Kiểm Thử Khác Hẳn,999\n",
            shown(&other_day)
        ),
    )?;

    b.open("/").await?;
    b.sign_in("xa.tamthanh", &commune.password).await?;
    b.wait_text("h1", "Tổng quan").await?;
    b.open(&format!("/trang/{page_id}/so-lieu")).await?;
    b.wait_text("h1", "Số liệu trang").await?;
    b.wait_text(".effectiveness", "Người theo dõi").await?;

    // The operator's own export: previewed, then imported.
    let input = b.find("#stats-files").await?;
    input
        .send_keys(own.to_str().context("a temp path that is not UTF-8")?)
        .await?;
    b.wait_text(".stats-preview", "1.475").await?;
    let rows = b
        .driver
        .find_all(By::Css(".stats-preview tbody tr"))
        .await?
        .len();
    ensure!(rows == 3, "the preview shows {rows} rows, not 3");
    b.wait_text(".stats-preview", &shown(&days[0])).await?;
    b.wait_text(".stats-preview", "Tệp Meta").await?;
    b.screenshot("50-stats-preview").await;
    // Nothing is saved by the preview.
    ensure!(
        api.views(&token, &page_id, &days[2]).await?.is_none(),
        "the preview saved figures"
    );
    b.click_button("Nhập số liệu").await?;
    b.wait_text(".import-stats", "Đã nhập số liệu 3 ngày")
        .await?;
    b.wait_text(".stats-table", "1.475").await?;
    b.wait_text(".stats-table", "1.250").await?;
    b.wait_text(".stats-table", "Tệp Meta").await?;
    b.find(".views-chart rect.bar-value").await?;
    let bars = b
        .driver
        .find_all(By::Css(".views-chart rect.bar-value"))
        .await?
        .len();
    ensure!(bars >= 3, "the views chart has {bars} bars");
    ensure!(
        api.views(&token, &page_id, &days[2]).await? == Some(1475),
        "the import did not save the views of {}",
        days[2]
    );
    b.scroll_to(".stats-table").await?;
    b.screenshot("51-stats-imported").await;

    posts_chart(b, &api, &token, &page_id).await?;

    // A file of another page: refused beside the input, nothing imported.
    let input = b.find("#stats-files").await?;
    input
        .send_keys(other.to_str().context("a temp path that is not UTF-8")?)
        .await?;
    b.wait_text(".import-stats .field-error", "trang-khac.csv")
        .await?;
    b.wait_text(
        ".import-stats .field-error",
        "không phải của trang đang báo cáo",
    )
    .await?;
    ensure!(
        b.driver
            .find_all(By::Css(".stats-preview"))
            .await?
            .is_empty(),
        "a refused file is previewed"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    ensure!(
        api.views(&token, &page_id, &other_day).await?.is_none(),
        "the other page's figures were imported"
    );
    b.screenshot("52-stats-other-page-refused").await;

    rankings_charts(b, &api, &token).await
}

/// The posts logged for the page week by week: a bar per point of the API's series.
async fn posts_chart(b: &Browser, api: &Api, token: &str, page_id: &str) -> Result<()> {
    let activity = api.activity(token, page_id).await?;
    ensure!(!activity.is_empty(), "the page has no activity series");
    b.wait_text(".page-stats h2", "Bài viết theo tuần").await?;
    b.find(".posts-chart svg[role='img'][aria-label='Bài viết theo tuần']")
        .await?;
    let bars = b
        .driver
        .find_all(By::Css(".posts-chart rect.bar-value"))
        .await?
        .len();
    ensure!(
        bars == activity.len(),
        "the posts chart has {bars} bars for {} weeks",
        activity.len()
    );
    b.scroll_to(".posts-chart").await?;
    b.screenshot("51b-stats-posts-chart").await;
    Ok(())
}

/// The rankings of the operator's unit: the whole subtree's followers and posts, week by
/// week over 12 weeks, above the table, days written dd/mm.
async fn rankings_charts(b: &Browser, api: &Api, token: &str) -> Result<()> {
    let history = api
        .stats_history(token, "20365", &vietnam_day(84), &vietnam_day(0))
        .await?;
    ensure!(!history.is_empty(), "the subtree has no history");
    b.open("/xep-hang").await?;
    b.wait_text("h1", "Xếp hạng").await?;
    b.wait_text(".subtree-stats h2", "Toàn địa bàn").await?;
    b.find(".subtree-posts-chart svg[aria-label='Bài viết theo tuần toàn địa bàn']")
        .await?;
    let bars = b
        .driver
        .find_all(By::Css(".subtree-posts-chart rect.bar-value"))
        .await?
        .len();
    ensure!(
        bars == history.len(),
        "the subtree's posts chart has {bars} bars for {} weeks",
        history.len()
    );
    let last_day = history
        .last()
        .and_then(|p| p["date"].as_str())
        .unwrap_or("");
    let axis = b
        .driver
        .find_all(By::Css(".subtree-posts-chart text.axis-day"))
        .await?;
    let last_label = match axis.last() {
        Some(label) => label.prop("textContent").await?.unwrap_or_default(),
        None => String::new(),
    };
    ensure!(
        last_label == shown(last_day)[..5],
        "the last week is written {last_label:?}, not dd/mm of {last_day}"
    );
    if history.iter().any(|p| p["followers"].is_i64()) {
        b.find(".subtree-followers-chart svg[aria-label='Người theo dõi toàn địa bàn']")
            .await?;
    }
    b.scroll_to(".subtree-stats").await?;
    b.screenshot("53-rankings-subtree-charts").await;
    Ok(())
}

impl Api {
    /// The page's posts and followers week by week over the last 12 weeks.
    async fn activity(&self, token: &str, page_id: &str) -> Result<Vec<Value>> {
        let data = self
            .query(
                Some(token),
                "query ($id: ID!) { node(id: $id) { ... on Page {
                   activity { date followers posts }
                 } } }",
                json!({ "id": page_id }),
            )
            .await?;
        Ok(data["node"]["activity"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// The posts and followers of the pages of the subtree of `code`, week by week.
    async fn stats_history(
        &self,
        token: &str,
        code: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Value>> {
        let data = self
            .query(
                Some(token),
                "query ($code: String!, $from: Date!, $to: Date!) {
                   statsHistory(unitCode: $code, from: $from, to: $to) { date followers posts }
                 }",
                json!({ "code": code, "from": from, "to": to }),
            )
            .await?;
        Ok(data["statsHistory"].as_array().cloned().unwrap_or_default())
    }

    /// The views the page has on `day`, if any.
    async fn views(&self, token: &str, page_id: &str, day: &str) -> Result<Option<i64>> {
        let data = self
            .query(
                Some(token),
                "query ($id: ID!, $day: Date!) { node(id: $id) { ... on Page {
                   stats(from: $day, to: $day) { day views }
                 } } }",
                json!({ "id": page_id, "day": day }),
            )
            .await?;
        Ok(data["node"]["stats"]
            .as_array()
            .and_then(|s| s.first())
            .and_then(|s| s["views"].as_i64()))
    }
}
