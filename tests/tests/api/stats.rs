//! Page statistics typed in, uploaded from Meta's Insights export and pulled from a fake Graph
//! API; the effectiveness figures and rankings they feed; reviews by the level above; the
//! outreach log. No test reaches the internet.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Days, NaiveDate, Utc};
use domain::Role;
use facebook::fake::{FakeGraph, FakePage};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code};

const TOKEN_KEY: &str = "8f3c1a9e5b7d2046c1e8a3f5b9d7024e6a1c3e5f7b9d1a3c5e7f9b1d3a5c7e9f";
const PAGE_TOKEN: &str = "EAAGfakePageToken0123456789abcdefPHUNINH";

fn today() -> NaiveDate {
    domain::time::today_in_vietnam(Utc::now())
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Phú Ninh (518) with its page `mattranphuninh`, the demo pages of Quảng Nam, and officers:
/// admins at Quảng Nam, Phú Ninh and Tam Kỳ, an operator at Phú Ninh; their tokens and the
/// page's id.
async fn setup(app: &TestApp) -> ([String; 4], String) {
    server::demo::register_demo_pages(&app.db, "49")
        .await
        .expect("demo pages");
    for (name, role, code) in [
        ("quantri.quangnam", Role::Admin, "49"),
        ("quantri.phuninh", Role::Admin, "518"),
        ("quantri.tamky", Role::Admin, "502"),
        ("vanhanh.phuninh", Role::Operator, "518"),
    ] {
        app.add_account(name, role, code).await;
    }
    let tokens = [
        app.token_for("quantri.quangnam").await,
        app.token_for("quantri.phuninh").await,
        app.token_for("quantri.tamky").await,
        app.token_for("vanhanh.phuninh").await,
    ];
    let created = app
        .data_as(
            &tokens[1],
            "mutation ($input: CreatePageInput!) { createPage(input: $input) { page { id } userErrors { code } } }",
            json!({ "input": {
                "unitCode": "518",
                "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)",
                "url": "https://www.facebook.com/mattranphuninh",
            } }),
        )
        .await;
    let page_id = created["createPage"]["page"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    (tokens, page_id)
}

const RECORD: &str = r"
mutation ($input: RecordPageStatsInput!) {
  recordPageStats(input: $input) {
    snapshot { day periodStart followers newFollows views engagements posts sources { followers views } }
    userErrors { field code message }
  }
}";

const STATS: &str = r"
query ($id: ID!, $from: Date) { node(id: $id) { ... on Page {
  stats(from: $from) { day followers newFollows views engagements posts sources { followers newFollows views engagements } }
  graphApi { connected graphPageId graphPageName lastPulledAt lastError { code message } }
  effectiveness { followers growth30Days postsPerWeek posts30Days lastPostAt inactive shareCompliance engagementPerPost }
} } }";

fn first_code(payload: &Value) -> &str {
    payload["userErrors"][0]["code"].as_str().unwrap_or("")
}

db_test! {
    async fn figures_typed_in_are_kept_by_day_with_their_source(app: TestApp) {
        let ([_, _, tam_ky, operator], page_id) = setup(&app).await;
        let week_ago = today() - Days::new(7);
        let recorded = app.data_as(&operator, RECORD, json!({ "input": {
            "pageId": page_id, "day": day(today()), "periodStart": day(week_ago),
            "followers": 1_250, "newFollows": 40, "views": 9_800, "posts": 5,
        } })).await["recordPageStats"].clone();
        assert_eq!(recorded["userErrors"], json!([]), "{recorded}");
        assert_eq!(recorded["snapshot"]["sources"]["followers"], "MANUAL");
        assert_eq!(recorded["snapshot"]["periodStart"], day(week_ago));
        // A second entry for the day keeps what it does not give.
        let again = app.data_as(&operator, RECORD, json!({ "input": { "pageId": page_id, "day": day(today()), "engagements": 300 } })).await["recordPageStats"].clone();
        assert_eq!(again["snapshot"]["followers"], 1_250, "{again}");
        assert_eq!(again["snapshot"]["engagements"], 300);

        for (input, code) in [
            (json!({ "day": day(today() + Days::new(1)), "followers": 1 }), "DATE_IN_FUTURE"),
            (json!({ "day": day(today()), "views": -5 }), "INVALID_FIGURE"),
            (json!({ "day": day(today()) }), "NO_FIGURES"),
            (json!({ "day": day(week_ago), "periodStart": day(today()), "posts": 1 }), "PERIOD_REVERSED"),
        ] {
            let mut input = input;
            input["pageId"] = json!(page_id);
            let refused = app.data_as(&operator, RECORD, json!({ "input": input })).await["recordPageStats"].clone();
            assert_eq!(first_code(&refused), code, "{refused}");
        }
        let across = app.graphql_as(Some(&tam_ky), RECORD, json!({ "input": { "pageId": page_id, "day": day(today()), "followers": 1 } })).await;
        assert_eq!(error_code(&across), "NOT_FOUND", "{across}");

        let stats = app.data_as(&operator, STATS, json!({ "id": page_id })).await;
        let days = stats["node"]["stats"].as_array().expect("stats");
        assert_eq!(days.len(), 1, "{stats}");
        assert_eq!(days[0]["sources"]["engagements"], "MANUAL");
        assert_eq!(stats["node"]["effectiveness"]["followers"], 1_250);
        assert_eq!(stats["node"]["effectiveness"]["inactive"], true, "no post logged");
    }
}

const IMPORT: &str = r"
mutation ($input: ImportPageStatsInput!) {
  importPageStats(input: $input) {
    imported snapshots { day followers views engagements sources { followers views } }
    userErrors { field code message }
  }
}";

fn meta_views_csv(days: &[(NaiveDate, i64)]) -> String {
    let mut out = String::from("\u{feff}sep=,\n\"Lượt xem\"\n\"Ngày\",\"Chính\"\n");
    for (d, v) in days {
        let _ = writeln!(out, "\"{}T00:00:00\",\"{v}\"", day(*d));
    }
    out
}

fn english_table(days: &[(NaiveDate, i64, i64)]) -> String {
    let mut out = String::from("Date,Facebook followers,Interactions\n");
    for (d, f, e) in days {
        let _ = writeln!(out, "{},\"{f}\",{e}", d.format("%m/%d/%Y"));
    }
    out
}

db_test! {
    async fn meta_insights_files_are_previewed_then_imported_and_another_pages_file_imports_nothing(app: TestApp) {
        let ([_, _, _, operator], page_id) = setup(&app).await;
        let d1 = today() - Days::new(3);
        let d2 = today() - Days::new(2);
        let files = json!([
            { "name": "Lượt xem.csv", "content": meta_views_csv(&[(d1, 120), (d2, 340)]) },
            { "name": "Page data.csv", "content": english_table(&[(d1, 1_200, 15), (d2, 1_210, 22)]) },
        ]);
        let preview = app.data_as(&operator, IMPORT, json!({ "input": { "pageId": page_id, "files": files, "dryRun": true } })).await["importPageStats"].clone();
        assert_eq!(preview["userErrors"], json!([]), "{preview}");
        assert_eq!(preview["imported"], 0);
        assert_eq!(preview["snapshots"].as_array().map(Vec::len), Some(2), "{preview}");
        assert_eq!(preview["snapshots"][1]["views"], 340);
        assert_eq!(preview["snapshots"][1]["followers"], 1_210);
        assert_eq!(preview["snapshots"][1]["sources"]["views"], "META_CSV");
        let nothing_yet = app.data_as(&operator, STATS, json!({ "id": page_id })).await;
        assert_eq!(nothing_yet["node"]["stats"], json!([]), "a preview writes nothing");

        let imported = app.data_as(&operator, IMPORT, json!({ "input": { "pageId": page_id, "files": files } })).await["importPageStats"].clone();
        assert_eq!(imported["imported"], 2, "{imported}");
        let stats = app.data_as(&operator, STATS, json!({ "id": page_id })).await;
        assert_eq!(stats["node"]["stats"][0]["engagements"], 15, "{stats}");

        // A file of another page, beside a good one: refused whole, nothing added.
        let other = "Page,Date,Followers\nMặt trận Tam Kỳ (tỉnh Quảng Nam),".to_owned() + &day(today()) + ",999\n";
        let refused = app.data_as(&operator, IMPORT, json!({ "input": { "pageId": page_id, "files": [
            { "name": "ok.csv", "content": meta_views_csv(&[(today(), 5)]) },
            { "name": "tamky.csv", "content": other },
        ] } })).await["importPageStats"].clone();
        assert_eq!(first_code(&refused), "CSV_OTHER_PAGE", "{refused}");
        assert_eq!(refused["userErrors"][0]["field"], "files.1");
        assert!(refused["userErrors"][0]["message"].as_str().is_some_and(|m| m.contains("tamky.csv")));
        let unknown = app.data_as(&operator, IMPORT, json!({ "input": { "pageId": page_id, "files": [
            { "name": "x.csv", "content": "Date,Mood\n2026-11-01,happy\n" },
        ] } })).await["importPageStats"].clone();
        assert_eq!(first_code(&unknown), "CSV_NO_RECOGNISED_COLUMN", "{unknown}");
        let after = app.data_as(&operator, STATS, json!({ "id": page_id })).await;
        assert_eq!(after["node"]["stats"].as_array().map(Vec::len), Some(2), "nothing added: {after}");
        let too_many = app.data_as(&operator, IMPORT, json!({ "input": { "pageId": page_id, "files": vec![json!({ "name": "a.csv", "content": "x" }); 11] } })).await["importPageStats"].clone();
        assert_eq!(first_code(&too_many), "FILE_TOO_LARGE", "{too_many}");
    }
}

const SET_TOKEN: &str = r"
mutation ($input: SetPageTokenInput!) {
  setPageToken(input: $input) { page { graphApi { connected graphPageId graphPageName } } userErrors { field code message } }
}";

const PULL: &str = r"
mutation ($input: PullPageStatsInput!) {
  pullPageStats(input: $input) {
    snapshots { day followers newFollows views engagements sources { followers views } }
    page { graphApi { lastPulledAt lastError { code message } } }
    userErrors { field code message }
  }
}";

fn fake_page(username: &str, id: &str) -> FakePage {
    let mut days = BTreeMap::new();
    for back in 1..=5_u64 {
        let d = today() - Days::new(back);
        let n = i64::try_from(back).expect("small");
        days.insert(d, (1_000 - n, 100 * n, 10 * n));
    }
    FakePage {
        id: id.to_owned(),
        name: "Mặt trận Phú Ninh (tỉnh Quảng Nam)".to_owned(),
        username: Some(username.to_owned()),
        followers_count: Some(1_004),
        days,
    }
}

db_test! {
    async fn a_stored_token_pulls_from_the_graph_api_and_its_errors_show_on_the_page(app: TestApp) {
        let ([province, phu_ninh, _, operator], page_id) = setup(&app).await;
        let graph = FakeGraph::start().await;
        graph.add_page(PAGE_TOKEN, fake_page("mattranphuninh", "1029384756"));
        graph.add_page("EAAGotherPageToken000000000000", fake_page("mattrantamky", "5550001"));
        let base = graph.base_url.clone();
        let app = app.replica_with(|s| {
            s.graph.graph_api_url = base;
            s.graph.token_key = Some(TOKEN_KEY.to_owned());
        }).await;

        // Only admins connect a page; the token must open this page.
        let by_operator = app.graphql_as(Some(&operator), SET_TOKEN, json!({ "input": { "pageId": page_id, "token": PAGE_TOKEN } })).await;
        assert_eq!(error_code(&by_operator), "FORBIDDEN", "{by_operator}");
        let wrong = app.data_as(&phu_ninh, SET_TOKEN, json!({ "input": { "pageId": page_id, "token": "EAAGotherPageToken000000000000" } })).await["setPageToken"].clone();
        assert_eq!(first_code(&wrong), "TOKEN_OF_ANOTHER_PAGE", "{wrong}");
        let set = app.graphql_as(Some(&phu_ninh), SET_TOKEN, json!({ "input": { "pageId": page_id, "token": PAGE_TOKEN } })).await;
        assert_eq!(set["data"]["setPageToken"]["userErrors"], json!([]), "{set}");
        assert_eq!(set["data"]["setPageToken"]["page"]["graphApi"]["graphPageId"], "1029384756");
        assert!(!set.to_string().contains(PAGE_TOKEN), "the token is never returned");

        // At rest it is sealed.
        let rows = app.db.query_all_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), "SELECT sealed FROM page_token")).await.expect("rows");
        let sealed: String = rows[0].try_get_by_index(0).expect("sealed");
        assert!(!sealed.contains(PAGE_TOKEN) && !sealed.contains("PHUNINH"), "{sealed}");
        let audit = app.data_as(&province, r#"{ auditEvents(unitCode: "518", first: 50) { nodes { action detail } } }"#, json!({})).await;
        assert!(!audit.to_string().contains(PAGE_TOKEN), "nor in the audit trail");

        let pulled = app.data_as(&operator, PULL, json!({ "input": { "pageId": page_id } })).await["pullPageStats"].clone();
        assert_eq!(pulled["userErrors"], json!([]), "{pulled}");
        let snapshots = pulled["snapshots"].as_array().expect("snapshots");
        assert!(snapshots.len() >= 5, "{pulled}");
        let latest = snapshots.iter().find(|s| s["day"] == day(today())).expect("today");
        assert_eq!(latest["followers"], 1_004);
        assert_eq!(latest["sources"]["followers"], "GRAPH_API");
        let yesterday = snapshots.iter().find(|s| s["day"] == day(today() - Days::new(1))).expect("yesterday");
        assert_eq!(yesterday["views"], 100, "{yesterday}");
        assert_eq!(yesterday["newFollows"], 1, "the rise of the followers: {yesterday}");
        assert!(pulled["page"]["graphApi"]["lastPulledAt"].is_string());
        assert_eq!(graph.tokens_in_urls(), 0, "the token travels in a header, never a URL");

        // An expired token: the error is kept on the page and answered.
        graph.fail(PAGE_TOKEN, 400, 190, Some(463), "Error validating access token: Session has expired");
        let expired = app.data_as(&operator, PULL, json!({ "input": { "pageId": page_id } })).await["pullPageStats"].clone();
        assert_eq!(first_code(&expired), "TOKEN_EXPIRED", "{expired}");
        let stats = app.data_as(&operator, STATS, json!({ "id": page_id })).await;
        assert_eq!(stats["node"]["graphApi"]["lastError"]["code"], "TOKEN_EXPIRED", "{stats}");
        assert!(stats["node"]["graphApi"]["lastError"]["message"].as_str().is_some_and(|m| m.contains("hết hạn")));

        // Disconnecting forgets it.
        let removed = app.data_as(&phu_ninh, SET_TOKEN, json!({ "input": { "pageId": page_id, "token": null } })).await["setPageToken"].clone();
        assert_eq!(removed["page"]["graphApi"]["connected"], false, "{removed}");
    }
}

db_test! {
    async fn without_a_token_key_no_token_is_stored_and_nothing_is_pulled(app: TestApp) {
        let ([_, phu_ninh, _, operator], page_id) = setup(&app).await;
        let set = app.data_as(&phu_ninh, SET_TOKEN, json!({ "input": { "pageId": page_id, "token": PAGE_TOKEN } })).await["setPageToken"].clone();
        assert_eq!(first_code(&set), "GRAPH_NOT_CONFIGURED", "{set}");
        let pulled = app.data_as(&operator, PULL, json!({ "input": { "pageId": page_id } })).await["pullPageStats"].clone();
        assert_eq!(first_code(&pulled), "GRAPH_NOT_CONFIGURED", "{pulled}");
    }
}

const RANKINGS: &str = r#"
query ($by: RankBy!) { rankings(unitCode: "49", by: $by) {
  by items { rank unit { code } page { id } effectiveness { followers posts30Days inactive } }
} }"#;

db_test! {
    async fn districts_are_ranked_by_their_pages_figures(app: TestApp) {
        let ([province, _, tam_ky, operator], page_id) = setup(&app).await;
        app.data_as(&operator, RECORD, json!({ "input": { "pageId": page_id, "day": day(today()), "followers": 5_000 } })).await;
        let tam_ky_page = app.data_as(&tam_ky, r#"{ unit(code: "502") { page { id } } }"#, json!({})).await["unit"]["page"]["id"].clone();
        app.data_as(&tam_ky, RECORD, json!({ "input": { "pageId": tam_ky_page, "day": day(today()), "followers": 800 } })).await;
        let ranked = app.data_as(&province, RANKINGS, json!({ "by": "FOLLOWERS" })).await;
        let items = ranked["rankings"]["items"].as_array().expect("items");
        assert!(items.len() > 10, "every district of Quảng Nam: {ranked}");
        assert_eq!(items[0]["unit"]["code"], "518", "{ranked}");
        assert_eq!(items[0]["rank"], 1);
        assert_eq!(items[1]["unit"]["code"], "502");
        assert_eq!(items[1]["rank"], 2);
        assert!(items[2..].iter().all(|i| i["rank"].is_null()), "no figures, no rank: {ranked}");
        let by_posts = app.data_as(&province, RANKINGS, json!({ "by": "POSTS_PER_WEEK" })).await;
        assert!(by_posts["rankings"]["items"].as_array().expect("items").iter().all(|i| i["effectiveness"]["inactive"] == true));
        let hidden = app.graphql_as(Some(&tam_ky), RANKINGS, json!({ "by": "FOLLOWERS" })).await;
        assert_eq!(error_code(&hidden), "NOT_FOUND", "{hidden}");
    }
}

const REVIEW: &str = r"
mutation ($input: ReviewPageInput!) {
  reviewPage(input: $input) {
    review { id period periodLabel rating ratingLabel comments reviewerName figures { followers } unit { code } }
    userErrors { field code message }
  }
}";

db_test! {
    async fn the_level_above_reviews_a_page_once_a_period_and_the_unit_reads_it(app: TestApp) {
        let ([province, phu_ninh, tam_ky, operator], page_id) = setup(&app).await;
        app.data_as(&operator, RECORD, json!({ "input": { "pageId": page_id, "day": day(today()), "followers": 2_000 } })).await;
        let period = format!("{}-Q{}", today().format("%Y"), (today().format("%m").to_string().parse::<u32>().expect("month") - 1) / 3 + 1);
        let reviewed = app.data_as(&province, REVIEW, json!({ "input": {
            "pageId": page_id, "period": period, "rating": "GOOD",
            "comments": "Đăng bài đều, chia sẻ kịp thời.", "recommendations": "Tăng video ngắn.",
        } })).await["reviewPage"].clone();
        assert_eq!(reviewed["userErrors"], json!([]), "{reviewed}");
        assert_eq!(reviewed["review"]["ratingLabel"], "Tốt");
        assert_eq!(reviewed["review"]["figures"]["followers"], 2_000, "figures kept as they stood");
        assert!(reviewed["review"]["periodLabel"].as_str().is_some_and(|l| l.starts_with("quý")));
        let again = app.data_as(&province, REVIEW, json!({ "input": { "pageId": page_id, "period": period, "rating": "FAIR" } })).await["reviewPage"].clone();
        assert_eq!(first_code(&again), "ALREADY_REVIEWED", "{again}");
        let bad = app.data_as(&province, REVIEW, json!({ "input": { "pageId": page_id, "period": "quý 4", "rating": "FAIR" } })).await["reviewPage"].clone();
        assert_eq!(first_code(&bad), "INVALID_PERIOD", "{bad}");
        let own = app.graphql_as(Some(&phu_ninh), REVIEW, json!({ "input": { "pageId": page_id, "period": "2026", "rating": "GOOD" } })).await;
        assert_eq!(error_code(&own), "FORBIDDEN", "a unit does not review its own page: {own}");
        let across = app.graphql_as(Some(&tam_ky), REVIEW, json!({ "input": { "pageId": page_id, "period": "2026", "rating": "WEAK" } })).await;
        assert_eq!(error_code(&across), "NOT_FOUND", "{across}");

        let seen = app.data_as(&phu_ninh, "query ($p: String) { reviews(unitCode: \"518\", period: $p) { totalCount nodes { rating comments recommendations page { id } } } }", json!({ "p": period })).await;
        assert_eq!(seen["reviews"]["totalCount"], 1, "{seen}");
        assert_eq!(seen["reviews"]["nodes"][0]["recommendations"], "Tăng video ngắn.");
        let other = app.data_as(&tam_ky, r#"{ reviews(unitCode: "502") { totalCount } }"#, json!({})).await;
        assert_eq!(other["reviews"]["totalCount"], 0);
    }
}

const OUTREACH: &str = r"
mutation ($input: LogOutreachInput!) {
  logOutreach(input: $input) { outreach { id audienceKind audience channel informedOn reached } userErrors { field code } }
}";

db_test! {
    async fn a_unit_logs_whom_it_told_about_its_page(app: TestApp) {
        let ([province, _, tam_ky, operator], _) = setup(&app).await;
        for (kind, audience, channel) in [
            ("MEMBER_ORGANISATION", "Hội Nông dân huyện", "MEETING"),
            ("RESIDENTIAL_AREA", "Thôn Phú Mỹ", "LOUDSPEAKER"),
        ] {
            let logged = app.data_as(&operator, OUTREACH, json!({ "input": {
                "unitCode": "518", "audienceKind": kind, "audience": audience, "channel": channel,
                "informedOn": day(today()), "reached": 120,
            } })).await["logOutreach"].clone();
            assert_eq!(logged["userErrors"], json!([]), "{logged}");
        }
        let future = app.data_as(&operator, OUTREACH, json!({ "input": {
            "unitCode": "518", "audienceKind": "OTHER", "audience": "x", "channel": "ZALO",
            "informedOn": day(today() + Days::new(2)),
        } })).await["logOutreach"].clone();
        assert_eq!(first_code(&future), "DATE_IN_FUTURE", "{future}");
        let across = app.graphql_as(Some(&tam_ky), OUTREACH, json!({ "input": {
            "unitCode": "518", "audienceKind": "OTHER", "audience": "x", "channel": "ZALO", "informedOn": day(today()),
        } })).await;
        assert_eq!(error_code(&across), "NOT_FOUND", "{across}");
        let listed = app.data_as(&province, r#"{ outreach(unitCode: "518") { totalCount nodes { audience channel } } }"#, json!({})).await;
        assert_eq!(listed["outreach"]["totalCount"], 2, "{listed}");
    }
}

db_test! {
    async fn hostile_statistics_input_is_refused_with_a_code_never_an_internal_error(app: TestApp) {
        let ([province, phu_ninh, _, operator], page_id) = setup(&app).await;
        let big = "Date,Followers\n".to_owned() + &"2026-11-01,1\n".repeat(50_000);
        let too_big = app.data_as(&operator, IMPORT, json!({ "input": { "pageId": page_id, "files": [{ "name": "big.csv", "content": big }] } })).await["importPageStats"].clone();
        assert_eq!(first_code(&too_big), "FILE_TOO_LARGE", "{too_big}");
        for (name, content) in [
            ("bidi.csv", "Date,Followers\n2026-11-01,1\u{202e}2\n".to_owned()),
            ("quotes.csv", "\"".repeat(10_000)),
            ("rows.csv", (0..1_500).fold("Date,Followers\n".to_owned(), |mut out, i| {
                let _ = writeln!(out, "{},{i}", day(today() - Days::new(i % 700)));
                out
            })),
            ("empty.csv", String::new()),
            ("dates.csv", "Date,Followers\n2026-02-30,1\n".to_owned()),
            ("neg.csv", "Date,Followers\n2026-11-01,-3\n".to_owned()),
        ] {
            let refused = app.data_as(&operator, IMPORT, json!({ "input": { "pageId": page_id, "files": [{ "name": name, "content": content }] } })).await["importPageStats"].clone();
            let code = first_code(&refused);
            assert!(code.starts_with("CSV_"), "{name}: {refused}");
        }
        let nothing = app.data_as(&operator, STATS, json!({ "id": page_id })).await;
        assert_eq!(nothing["node"]["stats"], json!([]), "nothing imported: {nothing}");
        let token = app.data_as(&phu_ninh, SET_TOKEN, json!({ "input": { "pageId": page_id, "token": "EAA<script>alert(1)</script>" } })).await["setPageToken"].clone();
        assert_eq!(first_code(&token), "INVALID_TOKEN", "{token}");
        let long_period = app.data_as(&province, REVIEW, json!({ "input": { "pageId": page_id, "period": "2".repeat(10_000), "rating": "GOOD" } })).await["reviewPage"].clone();
        assert_eq!(first_code(&long_period), "INVALID_PERIOD", "{long_period}");
        let huge = app.data_as(&operator, RECORD, json!({ "input": { "pageId": page_id, "day": day(today()), "followers": 9_007_199_254_740_991_i64 } })).await["recordPageStats"].clone();
        assert_eq!(first_code(&huge), "INVALID_FIGURE", "{huge}");
        let range = app.graphql_as(Some(&operator), "query ($id: ID!) { node(id: $id) { ... on Page { stats(from: \"2000-01-01\") { day } } } }", json!({ "id": page_id })).await;
        assert_eq!(error_code(&range), "VALIDATION", "{range}");
        let all = app.graphql_as(Some(&province), "{ rankings(unitCode: \"VN\", level: COMMUNE) { items { rank } } }", json!({})).await;
        assert!(all["errors"].is_null() || error_code(&all) != "INTERNAL", "{all}");
    }
}

db_test! {
    async fn a_subtrees_followers_and_posts_are_charted_over_time(app: TestApp) {
        let ([province, _, _, operator], page_id) = setup(&app).await;
        for (back, followers) in [(7_u64, 1_000), (1, 1_100)] {
            let input = json!({ "pageId": page_id, "day": day(today() - Days::new(back)), "followers": followers });
            app.data_as(&operator, RECORD, json!({ "input": input })).await;
        }
        let logged = app.data_as(&operator, "mutation ($input: LogPostInput!) { logPost(input: $input) { userErrors { code } } }", json!({ "input": {
            "pageId": page_id, "url": "https://www.facebook.com/mattranphuninh/posts/42",
        } })).await;
        assert_eq!(logged["logPost"]["userErrors"], json!([]), "{logged}");
        let history = app.data_as(&province, "query ($from: Date!, $to: Date!) { statsHistory(unitCode: \"518\", from: $from, to: $to) { date followers posts } }", json!({
            "from": day(today() - Days::new(14)), "to": day(today()),
        })).await;
        let points = history["statsHistory"].as_array().expect("points");
        assert_eq!(points.len(), 3, "{history}");
        assert_eq!(points[0]["followers"], Value::Null);
        assert_eq!(points[1]["followers"], 1_000);
        assert_eq!(points[2]["followers"], 1_100, "the latest snapshot by each day");
        assert_eq!(points[2]["posts"], 1, "{history}");
        // The page's own series: the same figures, its own posts.
        let activity = app.data_as(&operator, "query ($id: ID!, $from: Date) { node(id: $id) { ... on Page { activity(from: $from) { date followers posts } } } }", json!({
            "id": page_id, "from": day(today() - Days::new(14)),
        })).await;
        assert_eq!(activity["node"]["activity"], history["statsHistory"], "{activity}");
        let long = app.graphql_as(Some(&province), "query ($from: Date!, $to: Date!) { statsHistory(unitCode: \"518\", from: $from, to: $to, every: DAY) { date } }", json!({
            "from": day(today() - Days::new(200)), "to": day(today()),
        })).await;
        assert_eq!(error_code(&long), "VALIDATION", "{long}");
    }
}
