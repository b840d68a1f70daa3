//! The Graph API client against the fake Graph API.

use std::time::Duration;

use chrono::NaiveDate;
use facebook::fake::{FakeGraph, FakePage, RETRY_AFTER_SECS};
use facebook::{GraphClient, GraphError, PageInfo};

const TOKEN: &str = "EAAGm0PX4ZCpsBAFakeTokenForTests123";
const VERSION: &str = "v24.0";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn client(fake: &FakeGraph) -> GraphClient {
    GraphClient::new(&fake.base_url, VERSION, Duration::from_secs(10)).expect("a valid client")
}

/// A Page with values on every day from 2026-09-01 to 2026-12-31: follows = day of year % 7,
/// views = 100 + day of month, engagements = month.
fn page() -> FakePage {
    use chrono::Datelike;
    let days = date(2026, 9, 1)
        .iter_days()
        .take_while(|d| *d <= date(2026, 12, 31))
        .map(|d| {
            (
                d,
                (
                    i64::from(d.ordinal() % 7),
                    100 + i64::from(d.day()),
                    i64::from(d.month()),
                ),
            )
        })
        .collect();
    FakePage {
        id: "1234567890".to_owned(),
        name: "Ủy ban MTTQ Việt Nam phường Ba Đình".to_owned(),
        username: Some("mttqbadinh".to_owned()),
        followers_count: Some(4321),
        days,
    }
}

async fn fake_with_page() -> FakeGraph {
    let fake = FakeGraph::start().await;
    fake.add_page(TOKEN, page());
    fake
}

/// The token appears nowhere in the error's texts.
fn assert_no_token(error: &GraphError) {
    for text in [error.to_string(), format!("{error:?}"), error.message_vi()] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        assert!(!text.contains("FakeTokenForTests"), "token leaked: {text}");
    }
}

#[tokio::test]
async fn page_info_round_trip() {
    let fake = fake_with_page().await;
    let info = client(&fake).page(TOKEN).await.expect("the Page");
    assert_eq!(
        info,
        PageInfo {
            id: "1234567890".to_owned(),
            name: "Ủy ban MTTQ Việt Nam phường Ba Đình".to_owned(),
            username: Some("mttqbadinh".to_owned()),
            link: Some("https://www.facebook.com/mttqbadinh".to_owned()),
            followers_count: Some(4321),
        }
    );
    assert_eq!(fake.requests(), 1);
    assert_eq!(
        fake.tokens_in_urls(),
        0,
        "the token goes in a header, not the URL"
    );
}

#[tokio::test]
async fn insights_over_65_days_follow_paging() {
    let fake = fake_with_page().await;
    // 2026-09-20 ..= 2026-11-23: 65 days, across the PDT → PST switch on 2026-11-01.
    let (since, until) = (date(2026, 9, 20), date(2026, 11, 23));
    let days = client(&fake)
        .insights(TOKEN, "1234567890", since, until)
        .await
        .expect("65 days of insights");
    assert_eq!(days.len(), 65);
    let expected: Vec<NaiveDate> = since.iter_days().take(65).collect();
    assert_eq!(days.iter().map(|d| d.day).collect::<Vec<_>>(), expected);
    let source = page().days;
    for day in &days {
        let (follows, views, engagements) = source[&day.day];
        assert_eq!(day.follows, Some(follows), "{}", day.day);
        assert_eq!(day.media_views, Some(views), "{}", day.day);
        assert_eq!(day.post_engagements, Some(engagements), "{}", day.day);
    }
    // Three windows of at most 30 days; the `next` past the end is not followed.
    assert_eq!(fake.requests(), 3);
    assert_eq!(
        fake.tokens_in_urls(),
        0,
        "the access_token in `next` links is stripped"
    );
}

#[tokio::test]
async fn insights_of_a_single_day() {
    let fake = fake_with_page().await;
    let day = date(2026, 11, 1);
    let days = client(&fake)
        .insights(TOKEN, "1234567890", day, day)
        .await
        .expect("one day of insights");
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].day, day);
    assert_eq!(days[0].media_views, Some(101));
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn bad_ranges_and_ids_never_reach_graph() {
    let fake = fake_with_page().await;
    let graph = client(&fake);
    let too_long = graph
        .insights(TOKEN, "1234567890", date(2026, 9, 1), date(2026, 11, 30))
        .await
        .expect_err("an error");
    assert_eq!(too_long.code(), "GRAPH_ERROR");
    let reversed = graph
        .insights(TOKEN, "1234567890", date(2026, 9, 2), date(2026, 9, 1))
        .await
        .expect_err("an error");
    assert_eq!(reversed.code(), "GRAPH_ERROR");
    let bad_id = graph
        .insights(TOKEN, "../me", date(2026, 9, 1), date(2026, 9, 2))
        .await
        .expect_err("an error");
    assert_eq!(bad_id.code(), "GRAPH_ERROR");
    let empty_token = graph.page("  ").await.expect_err("an error");
    assert_eq!(empty_token.code(), "TOKEN_EXPIRED");
    assert_eq!(fake.requests(), 0);
    // 90 days is fine.
    graph
        .insights(TOKEN, "1234567890", date(2026, 9, 1), date(2026, 11, 29))
        .await
        .expect("90 days are allowed");
}

#[tokio::test]
async fn expired_token() {
    let fake = fake_with_page().await;
    fake.fail(
        TOKEN,
        400,
        190,
        Some(463),
        &format!("Error validating access token: Session has expired. Token {TOKEN} is invalid."),
    );
    let error = client(&fake).page(TOKEN).await.expect_err("an error");
    assert!(
        matches!(error, GraphError::TokenExpired { .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), "TOKEN_EXPIRED");
    assert!(error.message_vi().contains("Meta Business Suite"));
    assert!(error.to_string().contains("[redacted]"), "{error}");
    assert_no_token(&error);
}

#[tokio::test]
async fn unknown_token_is_expired() {
    let fake = fake_with_page().await;
    let error = client(&fake)
        .page("EAAnotKnown")
        .await
        .expect_err("an error");
    assert_eq!(error.code(), "TOKEN_EXPIRED");
}

#[tokio::test]
async fn missing_permission() {
    let fake = fake_with_page().await;
    fake.fail(
        TOKEN,
        403,
        200,
        None,
        "(#200) Requires pages_read_engagement permission to manage the object",
    );
    let error = client(&fake)
        .insights(TOKEN, "1234567890", date(2026, 10, 1), date(2026, 10, 7))
        .await
        .expect_err("an error");
    assert!(
        matches!(error, GraphError::PermissionMissing { .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), "PERMISSION_MISSING");
    assert_no_token(&error);
}

#[tokio::test]
async fn rate_limited_with_retry_after() {
    let fake = fake_with_page().await;
    fake.fail(
        TOKEN,
        429,
        4,
        None,
        "(#4) Application request limit reached",
    );
    let error = client(&fake).page(TOKEN).await.expect_err("an error");
    assert_eq!(
        error,
        GraphError::RateLimited {
            message: "(#4) Application request limit reached".to_owned(),
            retry_after: Some(Duration::from_secs(RETRY_AFTER_SECS)),
        }
    );
    assert_eq!(error.code(), "RATE_LIMITED");
    assert!(
        error.message_vi().contains("2 phút"),
        "{}",
        error.message_vi()
    );
    assert_no_token(&error);
}

#[tokio::test]
async fn rate_limit_codes_without_429() {
    let fake = fake_with_page().await;
    fake.fail(
        TOKEN,
        400,
        80001,
        None,
        "There have been too many calls to this Page account",
    );
    let error = client(&fake).page(TOKEN).await.expect_err("an error");
    assert!(
        matches!(
            error,
            GraphError::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn invalid_metric() {
    let fake = fake_with_page().await;
    fake.fail(
        TOKEN,
        400,
        100,
        None,
        "(#100) The value must be a valid insights metric",
    );
    let error = client(&fake)
        .insights(TOKEN, "1234567890", date(2026, 10, 1), date(2026, 10, 7))
        .await
        .expect_err("an error");
    assert!(
        matches!(error, GraphError::InvalidMetric { .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), "INVALID_METRIC");
}

#[tokio::test]
async fn fake_refuses_retired_metrics() {
    // The fake itself answers a retired metric with code 100, as Graph does.
    let fake = fake_with_page().await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}/{VERSION}/1234567890/insights?metric=page_impressions&period=day\
             &since=2026-10-01&until=2026-10-02",
            fake.base_url
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("the fake answers");
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.expect("a JSON body");
    assert_eq!(body["error"]["code"], 100);
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("a message")
            .contains("metric")
    );
}

#[tokio::test]
async fn empty_data_is_insights_unavailable() {
    let fake = FakeGraph::start().await;
    fake.add_page(
        TOKEN,
        FakePage {
            id: "42".to_owned(),
            name: "Trang nhỏ".to_owned(),
            ..FakePage::default()
        },
    );
    let error = client(&fake)
        .insights(TOKEN, "42", date(2026, 10, 1), date(2026, 10, 7))
        .await
        .expect_err("an error");
    assert!(
        matches!(error, GraphError::InsightsUnavailable { .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), "INSIGHTS_UNAVAILABLE");
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn insufficient_data_error_is_insights_unavailable() {
    let fake = fake_with_page().await;
    fake.fail(
        TOKEN,
        400,
        100,
        None,
        "(#100) Insufficient data: this Page has fewer than 100 likes",
    );
    let error = client(&fake)
        .insights(TOKEN, "1234567890", date(2026, 10, 1), date(2026, 10, 7))
        .await
        .expect_err("an error");
    assert_eq!(error.code(), "INSIGHTS_UNAVAILABLE");
}

#[tokio::test]
async fn paging_to_another_host_is_refused() {
    let fake = fake_with_page().await;
    fake.next_links_to("http://graph.evil.example");
    let error = client(&fake)
        .insights(TOKEN, "1234567890", date(2026, 9, 1), date(2026, 10, 31))
        .await
        .expect_err("an error");
    assert_eq!(error.code(), "GRAPH_ERROR");
    assert!(error.to_string().contains("paging link"), "{error}");
    assert_no_token(&error);
    assert_eq!(fake.requests(), 1, "only the first window was asked for");
}

#[tokio::test]
async fn paging_to_another_port_is_refused() {
    let fake = fake_with_page().await;
    fake.next_links_to("http://127.0.0.1:1");
    let error = client(&fake)
        .insights(TOKEN, "1234567890", date(2026, 9, 1), date(2026, 10, 31))
        .await
        .expect_err("an error");
    assert_eq!(error.code(), "GRAPH_ERROR");
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn a_2_mb_body_is_refused() {
    let fake = FakeGraph::start().await;
    fake.add_page(
        TOKEN,
        FakePage {
            id: "7".to_owned(),
            name: "x".repeat(2 * 1024 * 1024),
            ..FakePage::default()
        },
    );
    let error = client(&fake).page(TOKEN).await.expect_err("an error");
    assert!(matches!(error, GraphError::Transport(_)), "{error:?}");
    assert_eq!(error.code(), "GRAPH_UNREACHABLE");
    assert!(error.to_string().contains("larger than"), "{error}");
}

#[tokio::test]
async fn unreachable_graph_is_transport_without_token() {
    // A port nothing listens on: bind one, then free it.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let graph = GraphClient::new(
        &format!("http://127.0.0.1:{port}"),
        VERSION,
        Duration::from_secs(5),
    )
    .expect("a valid client");
    let error = graph.page(TOKEN).await.expect_err("an error");
    assert_eq!(error.code(), "GRAPH_UNREACHABLE");
    assert_no_token(&error);
}

#[tokio::test]
async fn every_error_class_hides_the_token() {
    let cases: [(u16, i64, Option<i64>); 6] = [
        (400, 190, Some(460)),
        (403, 10, None),
        (429, 17, None),
        (400, 100, None),
        (400, 1, None),
        (500, 2, None),
    ];
    for (status, code, subcode) in cases {
        let fake = fake_with_page().await;
        fake.fail(
            TOKEN,
            status,
            code,
            subcode,
            &format!("metric problem for access_token={TOKEN}&x=1 and {TOKEN}"),
        );
        let graph = client(&fake);
        let error = graph.page(TOKEN).await.expect_err("an error");
        assert_no_token(&error);
        let error = graph
            .insights(TOKEN, "1234567890", date(2026, 10, 1), date(2026, 10, 2))
            .await
            .expect_err("an error");
        assert_no_token(&error);
    }
}

#[test]
fn constructor_validates_its_arguments() {
    let timeout = Duration::from_secs(1);
    assert!(GraphClient::new("https://graph.facebook.com", "v24.0", timeout).is_ok());
    assert!(GraphClient::new("https://graph.facebook.com/", "v24.0", timeout).is_ok());
    assert!(GraphClient::new("ftp://graph.facebook.com", "v24.0", timeout).is_err());
    assert!(GraphClient::new("https://graph.facebook.com?x=1", "v24.0", timeout).is_err());
    assert!(GraphClient::new("not a url", "v24.0", timeout).is_err());
    assert!(GraphClient::new("https://graph.facebook.com", "24.0", timeout).is_err());
}

#[test]
fn messages_are_vietnamese_and_codes_stable() {
    let cases = [
        (
            GraphError::TokenExpired {
                message: String::new(),
            },
            "TOKEN_EXPIRED",
        ),
        (
            GraphError::PermissionMissing {
                message: String::new(),
            },
            "PERMISSION_MISSING",
        ),
        (
            GraphError::RateLimited {
                message: String::new(),
                retry_after: None,
            },
            "RATE_LIMITED",
        ),
        (
            GraphError::InsightsUnavailable {
                message: String::new(),
            },
            "INSIGHTS_UNAVAILABLE",
        ),
        (
            GraphError::InvalidMetric {
                message: String::new(),
            },
            "INVALID_METRIC",
        ),
        (
            GraphError::Other {
                code: Some(1),
                message: String::new(),
            },
            "GRAPH_ERROR",
        ),
        (GraphError::Transport(String::new()), "GRAPH_UNREACHABLE"),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code);
        assert!(error.message_vi().contains("hãy"), "{}", error.message_vi());
    }
}

#[tokio::test]
async fn a_2_mb_body_without_content_length_is_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // A server that streams 2 MB of JSON with no Content-Length, until it closes.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let base_url = format!("http://{}", listener.local_addr().expect("its address"));
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut head = [0u8; 4096];
        let _ = stream.read(&mut head).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"id\":\"1\",\"name\":\"")
            .await;
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..32 {
            if stream.write_all(&chunk).await.is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"\"}").await;
    });
    let graph = GraphClient::new(&base_url, VERSION, Duration::from_secs(10)).expect("a client");
    let error = graph.page(TOKEN).await.expect_err("an error");
    assert_eq!(error.code(), "GRAPH_UNREACHABLE");
    assert!(error.to_string().contains("larger than"), "{error}");
}
