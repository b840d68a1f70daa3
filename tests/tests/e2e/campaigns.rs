//! Campaigns, the post log and share requests in the browser: the province directs a
//! campaign, logs a post of its page under it and asks the pages below to share it; a
//! commune operator marks it shared from the to-do list; the province sees the compliance
//! the API gives, drills down to the district, and prints its page's QR poster.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::api::Api;
use crate::browser::{self, Browser};
use crate::server::DemoServer;

#[tokio::test]
async fn a_post_is_asked_for_shared_below_and_its_compliance_shown() {
    let Some(chromedriver) = browser::chromedriver() else {
        return;
    };
    let server = DemoServer::start();
    let browser = Browser::start(&chromedriver, &server.address).await;
    let result = scenario(&browser, &server).await;
    if let Err(error) = &result {
        browser.screenshot("campaigns-failure").await;
        let url = browser.driver.current_url().await.map(|u| u.to_string());
        let body = browser.body_text().await;
        browser.quit().await;
        panic!("{error:?}\nat {url:?}\npage text:\n{body}");
    }
    browser.quit().await;
}

const CAMPAIGN: &str = "Tuyên truyền Ngày hội Đại đoàn kết (kiểm thử)";
const POST: &str = "Ngày hội Đại đoàn kết toàn dân tộc (kiểm thử)";

async fn scenario(b: &Browser, server: &DemoServer) -> Result<()> {
    let province = server.account("tinh.quangnam")?;
    let commune = server.account("xa.tamthanh")?;
    let api = Api::new(&server.address);
    let token = api.token("tinh.quangnam", &province.password).await?;
    let commune_token = api.token("xa.tamthanh", &commune.password).await?;
    // The pages the scenario posts on: both live in the demo data.
    let province_page = api.page(&token, "49").await?;
    let commune_page = api.page(&commune_token, "20365").await?;

    b.open("/").await?;
    b.sign_in("tinh.quangnam", &province.password).await?;
    b.wait_text("h1", "Tổng quan").await?;
    the_province_directs_a_campaign(b).await?;
    let post_url = format!(
        "{}/posts/{}",
        page_url(&province_page)?,
        chrono::Utc::now().timestamp_millis()
    );
    the_province_logs_a_post_and_asks_for_shares(b, &post_url).await?;
    sign_out(b).await?;

    b.sign_in("xa.tamthanh", &commune.password).await?;
    b.wait_text("h1", "Tổng quan").await?;
    let share_url = format!(
        "{}/posts/{}",
        page_url(&commune_page)?,
        chrono::Utc::now().timestamp_millis()
    );
    the_commune_marks_it_shared(b, &share_url).await?;
    sign_out(b).await?;

    b.sign_in("tinh.quangnam", &province.password).await?;
    b.wait_text("h1", "Tổng quan").await?;
    the_province_sees_the_compliance(b, &api, &token).await?;
    the_province_prints_its_qr_poster(b, &province_page).await
}

fn page_url(page: &Value) -> Result<&str> {
    page["url"].as_str().context("the page has no link")
}

async fn sign_out(b: &Browser) -> Result<()> {
    b.click_button("Đăng xuất").await?;
    b.wait_text("h1", "Đăng nhập").await
}

async fn the_province_directs_a_campaign(b: &Browser) -> Result<()> {
    b.click_link("Đợt tuyên truyền").await?;
    b.wait_text("h1", "Đợt tuyên truyền").await?;
    b.driver
        .query(By::XPath(
            "//summary[normalize-space(.)='Phát động đợt tuyên truyền']".to_owned(),
        ))
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
        .context("no form to direct a campaign")?
        .click()
        .await?;
    b.find("#title").await?.send_keys(CAMPAIGN).await?;
    b.find("#hashtags")
        .await?
        .send_keys("#DaiDoanKet, #QuangNam")
        .await?;
    b.find("#keyMessages")
        .await?
        .send_keys("Đoàn kết là sức mạnh")
        .await?;
    b.screenshot("30-create-campaign").await;
    b.find(".campaign-form button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_text("h1", CAMPAIGN).await?;
    b.wait_text(".campaign-facts .hashtags", "#DaiDoanKet #QuangNam")
        .await?;
    b.wait_text(".progress-figures .posts", "0").await?;
    b.screenshot("31-campaign").await;
    Ok(())
}

async fn the_province_logs_a_post_and_asks_for_shares(b: &Browser, url: &str) -> Result<()> {
    b.click_link("Bài viết").await?;
    b.wait_text("h1", "Sổ bài viết").await?;
    b.find("#url").await?.send_keys(url).await?;
    b.find("#title").await?.send_keys(POST).await?;
    // The campaign running today is offered; the post is logged under it.
    b.driver
        .query(By::XPath(format!(
            "//form[contains(@class,'post-form')]//label[contains(normalize-space(.),'{CAMPAIGN}')]/input"
        )))
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
        .context("the campaign is not offered")?
        .click()
        .await?;
    b.find(".post-form button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_text(".post-list", POST).await?;
    b.wait_text(".post-list .post-meta", CAMPAIGN).await?;
    b.screenshot("32-post-logged").await;

    b.click_button("Đề nghị chia sẻ").await?;
    b.find(".ask-shares-form input[name^=message]")
        .await?
        .send_keys("Đề nghị các trang chia sẻ trước hạn.")
        .await?;
    b.find(".ask-shares-form button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_text(".share-compliance", "đã chia sẻ 0").await?;
    b.screenshot("33-shares-asked").await;
    Ok(())
}

async fn the_commune_marks_it_shared(b: &Browser, url: &str) -> Result<()> {
    b.click_link("Chia sẻ").await?;
    b.wait_text("h1", "Việc cần chia sẻ").await?;
    b.wait_text(".share-list.pending", POST).await?;
    b.wait_text(
        ".share-list.pending",
        "Ban Thường trực UBMTTQ tỉnh Quảng Nam",
    )
    .await?;
    b.screenshot("34-share-todo").await;
    b.click_button("Đã chia sẻ").await?;
    b.find(".record-share input[type=url]")
        .await?
        .send_keys(url)
        .await?;
    b.find(".record-share button[type=submit]")
        .await?
        .click()
        .await?;
    b.wait_text(".share-list.done", POST).await?;
    b.wait_text(".share-list.done", "Đã chia sẻ").await?;
    b.wait_text("main", "Không có bài viết nào cần chia sẻ.")
        .await?;
    b.screenshot("35-shared").await;
    Ok(())
}

async fn the_province_sees_the_compliance(b: &Browser, api: &Api, token: &str) -> Result<()> {
    b.click_link("Bài viết").await?;
    b.wait_text(".share-compliance", "đã chia sẻ 1").await?;
    b.find(".share-compliance a").await?.click().await?;
    b.wait_text("h1", "Đề nghị chia sẻ").await?;
    let id = b
        .driver
        .current_url()
        .await?
        .path()
        .trim_start_matches("/chia-se/")
        .to_owned();
    let compliance = api.compliance(token, &id, None).await?;
    for (css, key) in [
        (".compliance .shared", "shared"),
        (".compliance .late", "late"),
        (".compliance .not-yet", "notYet"),
        (".compliance .pages", "pages"),
    ] {
        let wanted = compliance[key].as_i64().context(key)?.to_string();
        b.wait_text(css, &wanted).await?;
        let shown = b.find(css).await?.text().await?;
        ensure!(
            shown.trim() == wanted,
            "{key}: the screen shows {shown:?}, the API {wanted}"
        );
    }
    ensure!(
        compliance["shared"].as_i64() == Some(1),
        "one page shared: {compliance}"
    );
    b.screenshot("36-compliance").await;

    // Down to Phú Ninh, and only the pages that shared.
    b.driver
        .query(By::XPath(
            "//table[contains(@class,'compliance-children')]//a[normalize-space(.)='Huyện Phú Ninh']"
                .to_owned(),
        ))
        .wait(Duration::from_secs(20), Duration::from_millis(100))
        .first()
        .await
        .context("no Huyện Phú Ninh among the children")?
        .click()
        .await?;
    b.wait_text("h2", "Kết quả tại Huyện Phú Ninh").await?;
    let district = api.compliance(token, &id, Some("518")).await?;
    let wanted = district["shared"].as_i64().context("shared")?.to_string();
    b.wait_text(".compliance .shared", &wanted).await?;
    b.find("#status option[value=SHARED]")
        .await?
        .click()
        .await?;
    b.wait_text("table.asked-pages", "Xã Tam Thành").await?;
    b.wait_text("table.asked-pages", "Đã chia sẻ").await?;
    b.screenshot("36-compliance-phu-ninh").await;

    // The campaign counts the posts under it as the API does (the province's, at least).
    b.click_link("Đợt tuyên truyền").await?;
    b.click_link(CAMPAIGN).await?;
    b.wait_text("h1", CAMPAIGN).await?;
    let campaign = b
        .driver
        .current_url()
        .await?
        .path()
        .trim_start_matches("/dot-tuyen-truyen/")
        .to_owned();
    let progress = api.progress(token, &campaign).await?;
    let posts = progress["posts"].as_i64().context("posts")?;
    ensure!(posts >= 1, "the province's post is not counted: {progress}");
    b.wait_text(".progress-figures .posts", &posts.to_string())
        .await?;
    let posted = format!(
        "{}/{}",
        progress["posted"].as_i64().context("posted")?,
        progress["units"].as_i64().context("units")?
    );
    b.wait_text(".progress-figures .posted", &posted).await?;
    b.screenshot("37-campaign-progress").await;
    Ok(())
}

async fn the_province_prints_its_qr_poster(b: &Browser, page: &Value) -> Result<()> {
    let id = page["id"].as_str().context("page id")?;
    let name = page["name"].as_str().context("page name")?;
    b.open(&format!("/trang/{id}")).await?;
    b.click_link("In áp phích QR").await?;
    b.wait_text(".poster-name", name).await?;
    b.wait_text(
        ".poster-call",
        "Hãy theo dõi và chia sẻ Trang cộng đồng của Mặt trận",
    )
    .await?;
    let src = b
        .find("img.qr")
        .await?
        .attr("src")
        .await?
        .unwrap_or_default();
    ensure!(
        src.starts_with("data:image/svg+xml"),
        "the QR code is shown from {:?}",
        src.chars().take(40).collect::<String>()
    );
    // The image is shown, not refused by the site's policy.
    let loaded = b
        .driver
        .execute(
            "const i = document.querySelector('img.qr'); return i.complete && i.naturalWidth > 0;",
            Vec::new(),
        )
        .await?
        .convert::<bool>()?;
    ensure!(loaded, "the QR code image did not load");
    b.screenshot("39-qr-poster").await;
    Ok(())
}

impl Api {
    /// A campaign's progress under its directing unit.
    async fn progress(&self, token: &str, id: &str) -> Result<Value> {
        let data = self
            .query(
                Some(token),
                "query ($id: ID!) { node(id: $id) { ... on Campaign {
                   progress { units posted posts }
                 } } }",
                json!({ "id": id }),
            )
            .await?;
        Ok(data["node"]["progress"].clone())
    }

    /// A share request's compliance under `unit` (the asking unit by default).
    async fn compliance(&self, token: &str, id: &str, unit: Option<&str>) -> Result<Value> {
        let data = self
            .query(
                Some(token),
                "query ($id: ID!, $unit: String) { node(id: $id) { ... on ShareRequest {
                   compliance(unitCode: $unit) { shared notYet late pages }
                 } } }",
                json!({ "id": id, "unit": unit }),
            )
            .await?;
        Ok(data["node"]["compliance"].clone())
    }
}
