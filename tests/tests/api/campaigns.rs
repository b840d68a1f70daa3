//! Campaigns, the post log and "share this" requests, end to end on the demo pages of Quảng
//! Nam: a campaign read down the tree but not across it, posts logged once by their canonical
//! link, a share request flowing down to the pages below and its compliance counted per
//! district, and what hostile or misplaced input gets.

use chrono::{Duration, Utc};
use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code};

/// The demo pages of Quảng Nam, and officers: admins at Quảng Nam (49), Phú Ninh (518) and
/// Tam Kỳ (502), operators at Phú Ninh and Tam Thành (20365, in Phú Ninh); their tokens in
/// that order.
async fn officers(app: &TestApp) -> [String; 5] {
    server::demo::register_demo_pages(&app.db, "49")
        .await
        .expect("demo pages");
    for (name, role, code) in [
        ("quantri.quangnam", Role::Admin, "49"),
        ("quantri.phuninh", Role::Admin, "518"),
        ("quantri.tamky", Role::Admin, "502"),
        ("vanhanh.phuninh", Role::Operator, "518"),
        ("vanhanh.tamthanh", Role::Operator, "20365"),
    ] {
        app.add_account(name, role, code).await;
    }
    let phu_ninh = app.token_for("quantri.phuninh").await;
    let created = app
        .data_as(
            &phu_ninh,
            "mutation ($input: CreatePageInput!) { createPage(input: $input) { userErrors { code } } }",
            json!({ "input": {
                "unitCode": "518",
                "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)",
                "url": "https://m.facebook.com/mattranphuninh?mibextid=x",
            } }),
        )
        .await;
    assert_eq!(created["createPage"]["userErrors"], json!([]), "{created}");
    [
        app.token_for("quantri.quangnam").await,
        app.token_for("quantri.phuninh").await,
        app.token_for("quantri.tamky").await,
        app.token_for("vanhanh.phuninh").await,
        app.token_for("vanhanh.tamthanh").await,
    ]
}

/// The id and link of a unit's page.
async fn page_of(app: &TestApp, token: &str, code: &str) -> (String, String) {
    let data = app
        .data_as(
            token,
            "query ($code: String!) { unit(code: $code) { page { id url status } } }",
            json!({ "code": code }),
        )
        .await;
    let page = &data["unit"]["page"];
    (
        page["id"]
            .as_str()
            .unwrap_or_else(|| panic!("page of {code}: {data}"))
            .to_owned(),
        page["url"].as_str().expect("page url").to_owned(),
    )
}

const CREATE_CAMPAIGN: &str = r"
mutation ($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    campaign { id title theme hashtags keyMessages materials levels startsOn endsOn active unit { code } unitName }
    userErrors { field message code }
  }
}";

async fn create_campaign(app: &TestApp, token: &str, input: Value) -> Value {
    app.data_as(token, CREATE_CAMPAIGN, json!({ "input": input }))
        .await["createCampaign"]
        .clone()
}

const LOG_POST: &str = r"
mutation ($input: LogPostInput!) {
  logPost(input: $input) {
    post { id url kind title publishedAt campaigns { id title } unitName sharedFrom { id } }
    userErrors { field message code }
  }
}";

async fn log_post(app: &TestApp, token: &str, input: Value) -> Value {
    app.data_as(token, LOG_POST, json!({ "input": input }))
        .await["logPost"]
        .clone()
}

fn first_code(payload: &Value) -> &str {
    payload["userErrors"][0]["code"].as_str().unwrap_or("")
}

/// `https://www.facebook.com/<page>/posts/<id>` as a phone shares it, with tracking.
fn post_link(page_url: &str, id: u64) -> String {
    let page = page_url.trim_start_matches("https://www.facebook.com/");
    format!("https://m.facebook.com/{page}/posts/{id}?mibextid=abc&__cft__[0]=AZX#top")
}

const CAMPAIGNS: &str = r"
query ($code: String!, $on: Date) {
  campaigns(unitCode: $code, activeOn: $on, first: 50) {
    totalCount nodes { id title unit { code } unitName }
  }
}";

db_test! {
    async fn a_province_campaign_is_followed_below_it_but_a_district_campaign_stays_in_its_district(app: TestApp) {
        let [province, phu_ninh, tam_ky, _, tam_thanh] = officers(&app).await;
        let today = domain::time::today_in_vietnam(Utc::now());
        let created = create_campaign(&app, &province, json!({
            "unitCode": "49",
            "title": "  Đại đoàn kết   toàn dân tộc ",
            "theme": "Ngày hội Đại đoàn kết toàn dân tộc",
            "startsOn": today.to_string(),
            "endsOn": (today + chrono::Days::new(30)).to_string(),
            "hashtags": ["DaiDoanKet", "#MTTQ", "#mttq"],
            "keyMessages": ["Đoàn kết, dân chủ, kỷ cương, đổi mới"],
            "materials": ["https://mattran.quangnam.gov.vn/de-cuong.pdf"],
        })).await;
        assert_eq!(created["userErrors"], json!([]), "{created}");
        let campaign = &created["campaign"];
        assert_eq!(campaign["title"], "Đại đoàn kết toàn dân tộc");
        assert_eq!(campaign["hashtags"], json!(["#DaiDoanKet", "#MTTQ"]));
        assert_eq!(campaign["levels"], json!(["PROVINCE", "DISTRICT", "COMMUNE"]));
        assert_eq!(campaign["active"], true);
        let id = campaign["id"].as_str().expect("id").to_owned();

        let district = create_campaign(&app, &phu_ninh, json!({
            "unitCode": "518", "title": "Tháng hành động vì người nghèo", "levels": ["COMMUNE"],
        })).await;
        assert_eq!(district["userErrors"], json!([]), "{district}");
        let district_id = district["campaign"]["id"].as_str().expect("id").to_owned();

        // The commune reads both, upward; the issuing units stay outside its scope.
        let seen = app.data_as(&tam_thanh, CAMPAIGNS, json!({ "code": "20365", "on": today.to_string() })).await;
        assert_eq!(seen["campaigns"]["totalCount"], 2, "{seen}");
        let nodes = seen["campaigns"]["nodes"].as_array().expect("nodes");
        assert!(nodes.iter().all(|c| c["unit"].is_null()), "{seen}");
        assert!(nodes.iter().any(|c| c["unitName"].as_str().is_some_and(|n| n.contains("Quảng Nam"))), "{seen}");
        let node = app.data_as(&tam_thanh, "query ($id: ID!) { node(id: $id) { ... on Campaign { title } } }", json!({ "id": id })).await;
        assert_eq!(node["node"]["title"], "Đại đoàn kết toàn dân tộc");

        // Another district sees the province's campaign, never Phú Ninh's.
        let other = app.data_as(&tam_ky, CAMPAIGNS, json!({ "code": "502" })).await;
        assert_eq!(other["campaigns"]["totalCount"], 1, "{other}");
        let hidden = app.graphql_as(Some(&tam_ky), "query ($id: ID!) { node(id: $id) { id } }", json!({ "id": district_id })).await;
        let missing = app.graphql_as(Some(&tam_ky), "query ($id: ID!) { node(id: $id) { id } }", json!({ "id": district_id.replace('A', "B") })).await;
        assert_eq!(error_code(&hidden), "NOT_FOUND", "{hidden}");
        assert_eq!(error_code(&missing), "NOT_FOUND", "{missing}");
        assert_eq!(hidden["errors"][0]["message"], missing["errors"][0]["message"]);
        // Nor can it read the province's own list from below, nor a sibling's.
        let above = app.graphql_as(Some(&tam_ky), CAMPAIGNS, json!({ "code": "518" })).await;
        assert_eq!(error_code(&above), "NOT_FOUND", "{above}");

        // Only admins direct campaigns, and only at or below their unit.
        let operator = app.graphql_as(Some(&tam_thanh), CREATE_CAMPAIGN, json!({ "input": { "unitCode": "20365", "title": "x" } })).await;
        assert_eq!(error_code(&operator), "FORBIDDEN", "{operator}");
        let upward = app.graphql_as(Some(&phu_ninh), CREATE_CAMPAIGN, json!({ "input": { "unitCode": "49", "title": "x" } })).await;
        assert_eq!(error_code(&upward), "NOT_FOUND", "{upward}");
        let levels = create_campaign(&app, &phu_ninh, json!({ "unitCode": "518", "title": "x", "levels": ["PROVINCE"] })).await;
        assert_eq!(first_code(&levels), "LEVEL_ABOVE_UNIT", "{levels}");
    }
}

db_test! {
    async fn a_post_is_logged_once_by_its_canonical_link_and_counts_for_its_campaign(app: TestApp) {
        let [province, _, _, operator, tam_thanh] = officers(&app).await;
        let campaign = create_campaign(&app, &province, json!({ "unitCode": "49", "title": "Đại đoàn kết toàn dân tộc" })).await;
        let campaign_id = campaign["campaign"]["id"].as_str().expect("id").to_owned();
        let (page_id, page_url) = page_of(&app, &operator, "518").await;
        let link = post_link(&page_url, 1_234_567);
        let logged = log_post(&app, &operator, json!({
            "pageId": page_id, "url": link, "title": "Hội nghị điển hình tiên tiến",
            "campaignIds": [campaign_id],
        })).await;
        assert_eq!(logged["userErrors"], json!([]), "{logged}");
        let post = &logged["post"];
        assert_eq!(post["url"], format!("{page_url}/posts/1234567"));
        assert_eq!(post["kind"], "ORIGINAL");
        assert_eq!(post["campaigns"][0]["title"], "Đại đoàn kết toàn dân tộc");

        // The same post in another spelling is the same post.
        let again = log_post(&app, &operator, json!({ "pageId": page_id, "url": format!("{page_url}/posts/1234567/") })).await;
        assert_eq!(first_code(&again), "POST_ALREADY_LOGGED", "{again}");
        let other_page = log_post(&app, &operator, json!({ "pageId": page_id, "url": "https://www.facebook.com/mattrantamky/posts/99" })).await;
        assert_eq!(first_code(&other_page), "POST_OF_ANOTHER_PAGE", "{other_page}");
        let future = log_post(&app, &operator, json!({
            "pageId": page_id, "url": post_link(&page_url, 77),
            "publishedAt": (Utc::now() + Duration::hours(2)).to_rfc3339(),
        })).await;
        assert_eq!(first_code(&future), "PUBLISHED_IN_FUTURE", "{future}");
        let not_a_post = log_post(&app, &operator, json!({ "pageId": page_id, "url": page_url })).await;
        assert_eq!(first_code(&not_a_post), "POST_URL_INVALID", "{not_a_post}");

        // A commune's operator cannot log on its district's page.
        let misplaced = app.graphql_as(Some(&tam_thanh), LOG_POST, json!({ "input": { "pageId": page_id, "url": link } })).await;
        assert_eq!(error_code(&misplaced), "NOT_FOUND", "{misplaced}");

        // The province sees Phú Ninh as posted, the other districts as silent.
        let progress = app.data_as(&province, r"
            query ($id: ID!) { node(id: $id) { ... on Campaign { progress {
              units posted posts children { unit { code } units posted posts }
              silent(first: 100) { totalCount nodes { code } }
            } } } }", json!({ "id": campaign_id })).await;
        let p = &progress["node"]["progress"];
        assert_eq!(p["posted"], 1, "{p}");
        assert_eq!(p["posts"], 1, "{p}");
        let children = p["children"].as_array().expect("children");
        let phu_ninh = children.iter().find(|c| c["unit"]["code"] == "518").expect("Phú Ninh");
        assert_eq!(phu_ninh["posted"], 1, "{phu_ninh}");
        assert!(children.iter().filter(|c| c["unit"]["code"] != "518").all(|c| c["posted"] == 0));
        let units = p["units"].as_u64().expect("units");
        assert_eq!(p["silent"]["totalCount"], units - 1, "{p}");
        assert!(!p["silent"]["nodes"].as_array().expect("nodes").iter().any(|u| u["code"] == "518"));
        let posted = app.data_as(&province, r"
            query ($id: ID!) { node(id: $id) { ... on Campaign { progress {
              participants(posted: true) { totalCount nodes { unit { code } posts } }
              all: participants(first: 100) { totalCount }
            } } } }", json!({ "id": campaign_id })).await;
        let posted = &posted["node"]["progress"];
        assert_eq!(posted["participants"]["totalCount"], 1, "{posted}");
        assert_eq!(posted["participants"]["nodes"][0], json!({ "unit": { "code": "518" }, "posts": 1 }));
        assert_eq!(posted["all"]["totalCount"], units);

        // The post log of the province lists it, filtered by campaign and kind.
        let posts = app.data_as(&province, r#"
            query ($c: ID!) { posts(unitCode: "49", campaignId: $c, kind: ORIGINAL, first: 10) {
              totalCount nodes { url unit { code } page { id } }
            } }"#, json!({ "c": campaign_id })).await;
        assert_eq!(posts["posts"]["totalCount"], 1, "{posts}");
        assert_eq!(posts["posts"]["nodes"][0]["unit"]["code"], "518");
        assert_eq!(posts["posts"]["nodes"][0]["page"]["id"], page_id);
    }
}

const REQUEST_SHARES: &str = r"
mutation ($input: RequestSharesInput!) {
  requestShares(input: $input) {
    shareRequest { id deadline message post { id url } }
    userErrors { field message code }
  }
}";

const RECORD_SHARE: &str = r"
mutation ($input: RecordShareInput!) {
  recordShare(input: $input) {
    shareRequest { id }
    post { id kind url sharedFrom { id } }
    userErrors { field message code }
  }
}";

const COMPLIANCE: &str = r"
query ($id: ID!) { node(id: $id) { ... on ShareRequest {
  compliance { shared notYet late pages rate }
  children { unit { code } shared notYet late pages }
  units(status: SHARED, first: 100) { totalCount nodes { unit { code } status sharedAt share { url } } }
} } }";

/// The province logs a post on its page and asks for it to be shared within `deadline`.
async fn province_request(app: &TestApp, province: &str, deadline: Duration) -> (String, String) {
    let (page_id, page_url) = page_of(app, province, "49").await;
    let logged = log_post(
        app,
        province,
        json!({ "pageId": page_id, "url": post_link(&page_url, 555), "title": "Lời kêu gọi" }),
    )
    .await;
    assert_eq!(logged["userErrors"], json!([]), "{logged}");
    let post_id = logged["post"]["id"].as_str().expect("post").to_owned();
    let asked = app.data_as(province, REQUEST_SHARES, json!({ "input": {
        "postId": post_id, "deadline": (Utc::now() + deadline).to_rfc3339(), "message": "Đề nghị các đơn vị chia sẻ",
    } })).await["requestShares"].clone();
    assert_eq!(asked["userErrors"], json!([]), "{asked}");
    (
        asked["shareRequest"]["id"].as_str().expect("id").to_owned(),
        post_id,
    )
}

db_test! {
    async fn a_share_request_reaches_the_pages_below_and_the_province_sees_who_shared(app: TestApp) {
        let [province, phu_ninh, tam_ky, operator, _] = officers(&app).await;
        let (request_id, post_id) = province_request(&app, &province, Duration::days(2)).await;

        // Phú Ninh has it on its to-do list; the post is readable through the request.
        let todo = app.data_as(&phu_ninh, r#"
            { shareRequests(unitCode: "518", status: NOT_YET) { totalCount nodes { id status unit { code } unitName post { id url page { id } } } } }"#, json!({})).await;
        assert_eq!(todo["shareRequests"]["totalCount"], 1, "{todo}");
        let item = &todo["shareRequests"]["nodes"][0];
        assert_eq!(item["status"], "NOT_YET");
        assert!(item["unit"].is_null() && item["post"]["page"].is_null(), "no read of the province itself: {item}");
        assert_eq!(item["post"]["id"], post_id);

        // Its operator records the share.
        let (page_id, page_url) = page_of(&app, &operator, "518").await;
        let share = format!("https://www.facebook.com/{}/posts/pfbid0abcdefghijklmnopqrstuvwxyz", page_url.trim_start_matches("https://www.facebook.com/"));
        let recorded = app.data_as(&operator, RECORD_SHARE, json!({ "input": { "shareRequestId": request_id, "pageId": page_id, "url": share } })).await["recordShare"].clone();
        assert_eq!(recorded["userErrors"], json!([]), "{recorded}");
        assert_eq!(recorded["post"]["kind"], "SHARE");
        assert_eq!(recorded["post"]["sharedFrom"]["id"], post_id);
        let twice = app.data_as(&operator, RECORD_SHARE, json!({ "input": { "shareRequestId": request_id, "pageId": page_id, "url": format!("{share}x") } })).await["recordShare"].clone();
        assert_eq!(first_code(&twice), "ALREADY_SHARED", "{twice}");
        let done = app.data_as(&phu_ninh, r#"{ shareRequests(unitCode: "518", status: NOT_YET) { totalCount } }"#, json!({})).await;
        assert_eq!(done["shareRequests"]["totalCount"], 0, "{done}");

        // Tam Kỳ cannot record on Phú Ninh's page.
        let across = app.graphql_as(Some(&tam_ky), RECORD_SHARE, json!({ "input": { "shareRequestId": request_id, "pageId": page_id, "url": share } })).await;
        assert_eq!(error_code(&across), "NOT_FOUND", "{across}");

        // The province: Phú Ninh shared, every other district not yet.
        let c = app.data_as(&province, COMPLIANCE, json!({ "id": request_id })).await;
        let c = &c["node"];
        assert_eq!(c["compliance"]["shared"], 1, "{c}");
        assert_eq!(c["compliance"]["late"], 0);
        let pages = c["compliance"]["pages"].as_u64().expect("pages");
        assert_eq!(c["compliance"]["notYet"], pages - 1);
        let children = c["children"].as_array().expect("children");
        assert!(children.len() > 10, "{c}");
        for child in children {
            let shared = i32::from(child["unit"]["code"] == "518");
            assert_eq!(child["shared"], shared, "{child}");
        }
        let summed: u64 = children.iter().map(|c| c["pages"].as_u64().expect("n")).sum();
        assert_eq!(summed, pages, "the children's pages add up");
        assert_eq!(c["units"]["totalCount"], 1);
        assert_eq!(c["units"]["nodes"][0]["unit"]["code"], "518");
        assert_eq!(c["units"]["nodes"][0]["status"], "SHARED");

        // Every page asked is a live Facebook page below the province.
        let live: u64 = {
            let mut n = 0;
            for status in ["ESTABLISHED", "REPORTED", "VERIFIED", "RETURNED"] {
                let d = app.data_as(&province, "query ($s: PageStatus) { pages(unitCode: \"49\", status: $s) { totalCount } }", json!({ "s": status })).await;
                n += d["pages"]["totalCount"].as_u64().expect("n");
            }
            n
        };
        assert_eq!(pages, live - 1, "the province's own page is not asked");

        // Only the post's unit's admin asks; one request per post.
        let again = app.data_as(&province, REQUEST_SHARES, json!({ "input": { "postId": post_id, "deadline": (Utc::now() + Duration::days(1)).to_rfc3339() } })).await["requestShares"].clone();
        assert_eq!(first_code(&again), "ALREADY_REQUESTED", "{again}");
        let by_district = app.graphql_as(Some(&phu_ninh), REQUEST_SHARES, json!({ "input": { "postId": post_id, "deadline": (Utc::now() + Duration::days(1)).to_rfc3339() } })).await;
        assert_eq!(error_code(&by_district), "NOT_FOUND", "{by_district}");
    }
}

db_test! {
    async fn a_share_after_the_deadline_is_late(app: TestApp) {
        let [province, _, _, operator, _] = officers(&app).await;
        let (request_id, _) = province_request(&app, &province, Duration::seconds(2)).await;
        tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
        let (page_id, page_url) = page_of(&app, &operator, "518").await;
        let recorded = app.data_as(&operator, RECORD_SHARE, json!({ "input": {
            "shareRequestId": request_id, "pageId": page_id, "url": post_link(&page_url, 9),
        } })).await["recordShare"].clone();
        assert_eq!(recorded["userErrors"], json!([]), "{recorded}");
        let c = app.data_as(&province, COMPLIANCE, json!({ "id": request_id })).await;
        assert_eq!(c["node"]["compliance"]["late"], 1, "{c}");
        assert_eq!(c["node"]["compliance"]["shared"], 0, "{c}");
        let late = app.data_as(&operator, r#"{ shareRequests(unitCode: "518", status: LATE) { totalCount nodes { status overdue } } }"#, json!({})).await;
        assert_eq!(late["shareRequests"]["totalCount"], 1, "{late}");
        assert_eq!(late["shareRequests"]["nodes"][0]["overdue"], true);
        // The pages' effectiveness counts it: late for Phú Ninh, missed for Tam Kỳ.
        let effect = "query ($code: String!) { unit(code: $code) { page { effectiveness { shareCompliance shares { shared late missed } } } } }";
        let phu_ninh = app.data_as(&province, effect, json!({ "code": "518" })).await;
        assert_eq!(phu_ninh["unit"]["page"]["effectiveness"]["shares"], json!({ "shared": 0, "late": 1, "missed": 0 }), "{phu_ninh}");
        assert_eq!(phu_ninh["unit"]["page"]["effectiveness"]["shareCompliance"], 0.0);
        let tam_ky = app.data_as(&province, effect, json!({ "code": "502" })).await;
        assert_eq!(tam_ky["unit"]["page"]["effectiveness"]["shares"], json!({ "shared": 0, "late": 0, "missed": 1 }), "{tam_ky}");
    }
}

db_test! {
    async fn hostile_campaign_and_post_input_is_refused_cheaply_and_clearly(app: TestApp) {
        let [province, _, _, operator, _] = officers(&app).await;
        let huge = "Đ".repeat(100_000);
        let big = create_campaign(&app, &province, json!({ "unitCode": "49", "title": huge })).await;
        assert_eq!(first_code(&big), "INVALID_TITLE", "{big}");
        let flood = create_campaign(&app, &province, json!({ "unitCode": "49", "title": "x", "hashtags": vec!["#a"; 1_000] })).await;
        assert_eq!(first_code(&flood), "TOO_MANY_ITEMS", "{flood}");
        let script = create_campaign(&app, &province, json!({ "unitCode": "49", "title": "x", "materials": ["javascript:alert(1)"], "hashtags": ["#a\u{200b}b"] })).await;
        let codes: Vec<&str> = script["userErrors"].as_array().expect("errors").iter().filter_map(|e| e["code"].as_str()).collect();
        assert!(codes.contains(&"INVALID_URL") && codes.contains(&"INVALID_HASHTAG"), "{script}");
        let reversed = create_campaign(&app, &province, json!({ "unitCode": "49", "title": "x", "startsOn": "2026-12-10", "endsOn": "2026-12-01" })).await;
        assert_eq!(first_code(&reversed), "ENDS_BEFORE_START", "{reversed}");
        assert!(reversed["campaign"].is_null());

        let (page_id, page_url) = page_of(&app, &operator, "518").await;
        let nul = app.graphql_as(Some(&operator), LOG_POST, json!({ "input": { "pageId": page_id, "url": format!("{page_url}/posts/1\u{0}2") } })).await;
        assert_eq!(error_code(&nul), "VALIDATION", "{nul}");
        let bidi = log_post(&app, &operator, json!({ "pageId": page_id, "url": format!("{page_url}/posts/1\u{202e}2") })).await;
        assert_eq!(first_code(&bidi), "POST_URL_INVALID", "{bidi}");
        let garbage = log_post(&app, &operator, json!({ "pageId": page_id, "url": post_link(&page_url, 3), "campaignIds": ["bm90LWFuLWlk"] })).await;
        assert_eq!(first_code(&garbage), "CAMPAIGN_NOT_FOUND", "{garbage}");
        let many = app.graphql_as(Some(&operator), LOG_POST, json!({ "input": { "pageId": page_id, "url": post_link(&page_url, 4), "campaignIds": vec!["x"; 51] } })).await;
        assert_eq!(error_code(&many), "VALIDATION", "{many}");
        let bad_page = app.graphql_as(Some(&operator), LOG_POST, json!({ "input": { "pageId": "%00", "url": "x" } })).await;
        assert_eq!(error_code(&bad_page), "NOT_FOUND", "{bad_page}");
        let bad_cursor = app.graphql_as(Some(&operator), r#"{ posts(unitCode: "518", after: "!!!") { totalCount } }"#, json!({})).await;
        assert_eq!(error_code(&bad_cursor), "VALIDATION", "{bad_cursor}");
        let past = app.graphql_as(Some(&province), REQUEST_SHARES, json!({ "input": { "postId": "UG9zdDp4", "deadline": "2020-01-01T00:00:00Z" } })).await;
        assert_eq!(error_code(&past), "NOT_FOUND", "an id of nothing: {past}");
        // Nothing above was written.
        let posts = app.data_as(&province, r#"{ posts(unitCode: "49") { totalCount } campaigns(unitCode: "49") { totalCount } }"#, json!({})).await;
        assert_eq!(posts["posts"]["totalCount"], 0, "{posts}");
        assert_eq!(posts["campaigns"]["totalCount"], 0, "{posts}");
    }
}
