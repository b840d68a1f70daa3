//! The Facebook Graph API client of Trang Cộng Đồng: the only code that talks to Facebook.
//!
//! It reads what a Page admin's stored Page access token gives: the Page itself
//! ([`GraphClient::page`]) and its daily Page Insights ([`GraphClient::insights`]). It knows
//! nothing of the database, the API or the domain's pages; callers map [`PageInfo`] and
//! [`DayInsights`] onto their own types and show [`GraphError::message_vi`] to the officer.
//!
//! The token is a secret: it travels only in the `Authorization` header (never in a URL), and no
//! error message, `Debug` output or tracing field carries it — Graph's own messages are
//! redacted before they are kept. Responses are read with a cap of [`MAX_BODY_BYTES`] and a JSON
//! nesting limit of [`MAX_JSON_DEPTH`]; redirects are not followed, and a `paging.next` link is
//! followed only when it stays on the configured Graph host and version.
//!
//! With the cargo feature `fake`, `fake::FakeGraph` is a local stand-in for the Graph API,
//! for tests; production builds do not carry it.

#[cfg(feature = "fake")]
pub mod fake;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, TimeDelta};
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

/// The Page Insights metrics read, all with `period=day`: new follows, media views and post
/// engagements. Never the metrics Meta retired in 2025 (`page_fans`, `page_impressions*`):
/// asking for one fails the whole request.
pub const METRICS: [&str; 3] = ["page_follows", "page_media_view", "page_post_engagements"];

/// The largest response body read, in bytes (1 MB); a larger one is refused.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The deepest JSON nesting accepted in a response. Graph's answers nest four or five levels.
pub const MAX_JSON_DEPTH: usize = 32;

/// The longest date range [`GraphClient::insights`] accepts, in days (both ends included):
/// Graph refuses `since`/`until` ranges longer than about three months.
pub const MAX_RANGE_DAYS: u64 = 90;

/// How many `paging.next` links [`GraphClient::insights`] follows at most.
pub const MAX_NEXT_LINKS: usize = 10;

/// What replaces the token wherever Graph or the HTTP stack echoes it.
const REDACTED: &str = "[redacted]";

/// The longest message kept from a Graph error, in characters.
const MAX_MESSAGE_CHARS: usize = 500;

/// The fields [`GraphClient::page`] asks for.
const PAGE_FIELDS: &str = "id,name,username,link,followers_count";

/// A Graph API client. Cheap to clone (the connection pool is shared); it holds no token.
#[derive(Debug, Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    /// The Graph root, e.g. `https://graph.facebook.com`, without a trailing slash.
    base: Url,
    /// The API version, e.g. `v24.0`.
    version: String,
}

/// The Page a Page access token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInfo {
    /// The Page's numeric id.
    pub id: String,
    pub name: String,
    /// The Page's vanity name (`facebook.com/{username}`), when it has one.
    pub username: Option<String>,
    /// The Page's URL on Facebook.
    pub link: Option<String>,
    pub followers_count: Option<i64>,
}

/// One day of a Page's Insights; a metric Graph did not report for the day is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayInsights {
    /// The day the values are for, in Pacific time (`America/Los_Angeles`), the time zone Graph
    /// counts Page Insights days in. Graph stamps a daily value with `end_time`, the midnight
    /// (Pacific) that ends the day: `…T08:00:00+0000` under PST, `…T07:00:00+0000` under PDT.
    /// The day is the Pacific calendar date of `end_time` minus one day. It is computed without
    /// a time-zone database: `end_time` read at UTC−7 falls on the Pacific date of that midnight
    /// under both offsets.
    pub day: NaiveDate,
    /// `page_follows`: people who followed the Page that day.
    pub follows: Option<i64>,
    /// `page_media_view`: times the Page's content was played or displayed that day.
    pub media_views: Option<i64>,
    /// `page_post_engagements`: reactions, comments, shares and clicks on the Page's posts.
    pub post_engagements: Option<i64>,
}

/// What can go wrong talking to Graph. No variant ever holds the access token.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GraphError {
    /// Graph code 190 (any subcode: 463 expired, 460 password changed, 467 invalid, …): the
    /// token no longer works; a Page admin must make a new one.
    #[error("the Page access token has expired or been revoked: {message}")]
    TokenExpired { message: String },
    /// Graph code 10 or 200–299: the token lacks a permission (`pages_read_engagement`,
    /// `read_insights`, …).
    #[error("the Page access token lacks a permission: {message}")]
    PermissionMissing { message: String },
    /// Graph codes 4, 17, 32, 613 and 80000–80014 (business use case limits), or HTTP 429.
    /// `retry_after` is the `Retry-After` header, when Graph sent one in seconds.
    #[error("Graph API rate limit reached: {message}")]
    RateLimited {
        message: String,
        retry_after: Option<Duration>,
    },
    /// Graph has no Insights for the Page: it answered an empty `data` (a Page under 100 likes
    /// has none) or code 100 about insufficient data.
    #[error("no Insights available for the Page: {message}")]
    InsightsUnavailable { message: String },
    /// Graph code 100 about a metric: a metric of [`METRICS`] is no longer valid.
    #[error("Graph refused an Insights metric: {message}")]
    InvalidMetric { message: String },
    /// Any other Graph error or refused request (`code` is Graph's, when it gave one).
    #[error("Graph API error{}: {message}", code.map(|c| format!(" {c}")).unwrap_or_default())]
    Other { code: Option<i64>, message: String },
    /// Graph could not be reached or answered something unreadable: connection refused,
    /// timeout, a body over [`MAX_BODY_BYTES`], malformed JSON, a server error without a body.
    #[error("Graph API unreachable: {0}")]
    Transport(String),
}

impl GraphError {
    /// A stable code for the API and the logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TokenExpired { .. } => "TOKEN_EXPIRED",
            Self::PermissionMissing { .. } => "PERMISSION_MISSING",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::InsightsUnavailable { .. } => "INSIGHTS_UNAVAILABLE",
            Self::InvalidMetric { .. } => "INVALID_METRIC",
            Self::Other { .. } => "GRAPH_ERROR",
            Self::Transport(_) => "GRAPH_UNREACHABLE",
        }
    }

    /// What the officer sees, in Vietnamese, with what to do about it.
    pub fn message_vi(&self) -> String {
        match self {
            Self::TokenExpired { .. } => "Mã truy cập Trang đã hết hạn hoặc bị thu hồi: quản trị \
                viên Trang hãy tạo mã mới trong Meta Business Suite rồi lưu lại."
                .to_owned(),
            Self::PermissionMissing { .. } => "Mã truy cập Trang thiếu quyền đọc số liệu \
                (pages_read_engagement, read_insights): quản trị viên Trang hãy tạo mã mới có đủ \
                các quyền này trong Meta Business Suite rồi lưu lại."
                .to_owned(),
            Self::RateLimited { retry_after, .. } => {
                let after = match retry_after.map(|d| d.as_secs()) {
                    Some(secs @ 1..60) => format!(" khoảng {secs} giây"),
                    Some(secs @ 60..) => format!(" khoảng {} phút", secs.div_ceil(60)),
                    _ => " ít phút".to_owned(),
                };
                format!(
                    "Facebook đang tạm giới hạn số lần lấy số liệu: hãy thử lại sau{after}; \
                     không cần đổi mã truy cập."
                )
            }
            Self::InsightsUnavailable { .. } => "Facebook chưa cung cấp số liệu thống kê cho \
                Trang này (thường do Trang có dưới 100 lượt thích hoặc chưa có hoạt động trong \
                khoảng thời gian đã chọn): hãy thử lại khi Trang có thêm người theo dõi."
                .to_owned(),
            Self::InvalidMetric { .. } => "Facebook không còn hỗ trợ một chỉ số thống kê hệ \
                thống đang dùng: hãy báo cho quản trị hệ thống để cập nhật."
                .to_owned(),
            Self::Other { code, .. } => format!(
                "Facebook báo lỗi{}: hãy thử lại sau; nếu lỗi lặp lại, hãy báo cho quản trị hệ \
                 thống.",
                code.map(|c| format!(" (mã {c})")).unwrap_or_default()
            ),
            Self::Transport(_) => "Không kết nối được tới Facebook: hãy thử lại sau; nếu lỗi \
                lặp lại, hãy báo cho quản trị hệ thống kiểm tra kết nối mạng của máy chủ."
                .to_owned(),
        }
    }
}

impl GraphClient {
    /// `base_url`: `https://graph.facebook.com` in production; a local fake in tests.
    /// `version`: e.g. `"v24.0"`. `timeout` bounds each request, from connecting to the last
    /// byte of the body.
    pub fn new(base_url: &str, version: &str, timeout: Duration) -> Result<Self, GraphError> {
        let invalid = |what: &str| GraphError::Other {
            code: None,
            message: format!("invalid Graph API {what}"),
        };
        let mut base = Url::parse(base_url).map_err(|_| invalid("base URL"))?;
        if !matches!(base.scheme(), "http" | "https")
            || base.host_str().is_none()
            || !base.username().is_empty()
            || base.password().is_some()
            || base.query().is_some()
            || base.fragment().is_some()
        {
            return Err(invalid("base URL"));
        }
        let path = base.path().trim_end_matches('/').to_owned();
        base.set_path(&path);
        if !is_version(version) {
            return Err(invalid("version"));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("trang-cong-dong/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GraphError::Transport(error_chain(&e.without_url())))?;
        Ok(Self {
            http,
            base,
            version: version.to_owned(),
        })
    }

    /// The Page the token belongs to: `GET {base}/{version}/me?fields=id,name,username,link,
    /// followers_count`, the token in an `Authorization: Bearer` header.
    pub async fn page(&self, token: &str) -> Result<PageInfo, GraphError> {
        let token = token.trim();
        let mut url = self.endpoint(&["me"])?;
        url.query_pairs_mut().append_pair("fields", PAGE_FIELDS);
        let me: MeBody = self.get(url, token).await?;
        Ok(PageInfo {
            id: me.id,
            name: me.name,
            username: me.username,
            link: me.link,
            followers_count: me.followers_count,
        })
    }

    /// The Page's daily Insights ([`METRICS`]) for every day from `since` to `until`, both
    /// included (at most [`MAX_RANGE_DAYS`] days), ordered by day; days Graph reported nothing
    /// for are absent.
    ///
    /// Asks `GET {base}/{version}/{page_id}/insights?metric=…&period=day&since=…&until=…`
    /// with `until` one day past the last day wanted (Graph's `until` is exclusive), and follows
    /// `paging.next` at most [`MAX_NEXT_LINKS`] times: only links on the configured host and
    /// version (any other is refused with [`GraphError::Other`]), with any `access_token` Graph
    /// put in them removed, and only while they start within the range (Graph always offers a
    /// `next` window, even past the end). No values at all is
    /// [`GraphError::InsightsUnavailable`].
    pub async fn insights(
        &self,
        token: &str,
        page_id: &str,
        since: NaiveDate,
        until: NaiveDate,
    ) -> Result<Vec<DayInsights>, GraphError> {
        let token = token.trim();
        if page_id.is_empty() || page_id.len() > 64 || !page_id.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(GraphError::Other {
                code: None,
                message: "invalid Page id: Graph Page ids are numeric".to_owned(),
            });
        }
        let range_ok = since <= until
            && since
                .checked_add_days(Days::new(MAX_RANGE_DAYS - 1))
                .is_none_or(|last| until <= last);
        let end = until.checked_add_days(Days::new(1));
        let (true, Some(end)) = (range_ok, end) else {
            return Err(GraphError::Other {
                code: None,
                message: format!(
                    "invalid Insights range {since}..{until}: at most {MAX_RANGE_DAYS} days, \
                     since not after until"
                ),
            });
        };

        let mut url = self.endpoint(&[page_id, "insights"])?;
        url.query_pairs_mut()
            .append_pair("metric", &METRICS.join(","))
            .append_pair("period", "day")
            .append_pair("since", &since.format("%Y-%m-%d").to_string())
            .append_pair("until", &end.format("%Y-%m-%d").to_string());

        let mut days: BTreeMap<NaiveDate, DayInsights> = BTreeMap::new();
        let mut links_followed = 0;
        loop {
            let body: InsightsBody = self.get(url, token).await?;
            let mut values_seen = 0;
            for metric in &body.data {
                if metric.period.as_deref().is_some_and(|p| p != "day") {
                    continue;
                }
                for value in &metric.values {
                    values_seen += 1;
                    let day = value_day(&value.end_time)?;
                    if day < since || day > until {
                        continue;
                    }
                    let entry = days.entry(day).or_insert(DayInsights {
                        day,
                        follows: None,
                        media_views: None,
                        post_engagements: None,
                    });
                    let number = value.value.as_ref().and_then(Value::as_i64);
                    match metric.name.as_str() {
                        "page_follows" => entry.follows = number,
                        "page_media_view" => entry.media_views = number,
                        "page_post_engagements" => entry.post_engagements = number,
                        _ => {}
                    }
                }
            }
            let Some(next) = body.paging.and_then(|p| p.next) else {
                break;
            };
            if values_seen == 0 {
                break;
            }
            let next = self.follow(&next)?;
            if next_starts_after(&next, until) {
                break;
            }
            if links_followed == MAX_NEXT_LINKS {
                tracing::warn!(
                    page_id,
                    "Graph Insights paging stopped after {MAX_NEXT_LINKS} links"
                );
                break;
            }
            links_followed += 1;
            url = next;
        }
        if days.is_empty() {
            return Err(GraphError::InsightsUnavailable {
                message: format!("Graph returned no Insights values for {since}..{until}"),
            });
        }
        Ok(days.into_values().collect())
    }

    /// `{base}/{version}/{segments…}`, each segment percent-encoded.
    fn endpoint(&self, segments: &[&str]) -> Result<Url, GraphError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| GraphError::Transport("the Graph base URL takes no path".to_owned()))?
            .pop_if_empty()
            .push(&self.version)
            .extend(segments);
        Ok(url)
    }

    /// A `paging.next` link made safe to follow: on the configured scheme, host, port and
    /// version, without credentials, and without the `access_token` Graph echoes into it.
    fn follow(&self, next: &str) -> Result<Url, GraphError> {
        let refused = || GraphError::Other {
            code: None,
            message: "refused a Graph paging link that leaves the configured Graph API".to_owned(),
        };
        let url = Url::parse(next).map_err(|_| refused())?;
        let prefix = format!(
            "{}/{}/",
            self.base.path().trim_end_matches('/'),
            self.version
        );
        if url.scheme() != self.base.scheme()
            || url.host_str() != self.base.host_str()
            || url.port_or_known_default() != self.base.port_or_known_default()
            || !url.username().is_empty()
            || url.password().is_some()
            || !url.path().starts_with(&prefix)
        {
            return Err(refused());
        }
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "access_token")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut clean = url;
        clean.set_fragment(None);
        clean.set_query(None);
        if !pairs.is_empty() {
            clean.query_pairs_mut().extend_pairs(pairs);
        }
        Ok(clean)
    }

    /// GETs `url` with the token in the `Authorization` header and reads the answer as `T`, or
    /// as the Graph error it is.
    async fn get<T: DeserializeOwned>(&self, url: Url, token: &str) -> Result<T, GraphError> {
        let auth = bearer(token)?;
        let path = url.path().to_owned();
        let response = self
            .http
            .get(url)
            .header(AUTHORIZATION, auth)
            .send()
            .await
            .map_err(|e| transport(e, token))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = read_capped(response, token).await?;
        tracing::debug!(
            path,
            status = status.as_u16(),
            bytes = body.len(),
            "Graph API answered"
        );

        let parsed = check_depth(&body).and_then(|()| {
            serde_json::from_slice::<Value>(&body).map_err(|e| {
                GraphError::Transport(redact(&format!("malformed JSON from Graph: {e}"), token))
            })
        });
        let value = match parsed {
            Ok(value) => value,
            Err(_) if !status.is_success() => return Err(status_error(status, retry_after)),
            Err(e) => return Err(e),
        };
        if let Some(error) = value.get("error") {
            return Err(classify(status, error, retry_after, token));
        }
        if !status.is_success() {
            return Err(status_error(status, retry_after));
        }
        serde_json::from_value(value).map_err(|e| {
            GraphError::Transport(redact(&format!("unexpected Graph response: {e}"), token))
        })
    }
}

/// `v` then digits, a dot and digits: `v24.0`.
fn is_version(version: &str) -> bool {
    version.strip_prefix('v').is_some_and(|rest| {
        rest.split_once('.').is_some_and(|(major, minor)| {
            [major, minor].iter().all(|part| {
                !part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit())
            })
        })
    })
}

/// The `Authorization` header for `token`, marked sensitive so the HTTP stack never prints it.
fn bearer(token: &str) -> Result<HeaderValue, GraphError> {
    let malformed = || GraphError::TokenExpired {
        message: "the stored Page access token is empty or malformed".to_owned(),
    };
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(malformed());
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| malformed())?;
    value.set_sensitive(true);
    Ok(value)
}

/// The body, refused past [`MAX_BODY_BYTES`] without reading the rest.
async fn read_capped(mut response: reqwest::Response, token: &str) -> Result<Vec<u8>, GraphError> {
    let too_large =
        || GraphError::Transport(format!("Graph response larger than {MAX_BODY_BYTES} bytes"));
    if response
        .content_length()
        .is_some_and(|len| len > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport(e, token))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Refuses JSON nested deeper than [`MAX_JSON_DEPTH`], before parsing it.
fn check_depth(body: &[u8]) -> Result<(), GraphError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in body {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(GraphError::Transport(format!(
                        "Graph response nested deeper than {MAX_JSON_DEPTH} levels"
                    )));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A non-success status without a Graph error body.
fn status_error(status: StatusCode, retry_after: Option<Duration>) -> GraphError {
    if status == StatusCode::TOO_MANY_REQUESTS {
        GraphError::RateLimited {
            message: format!("HTTP {status}"),
            retry_after,
        }
    } else if status.is_server_error() {
        GraphError::Transport(format!("Graph answered HTTP {status}"))
    } else {
        GraphError::Other {
            code: None,
            message: format!("Graph answered HTTP {status}"),
        }
    }
}

/// Graph's `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`, classified.
fn classify(
    status: StatusCode,
    error: &Value,
    retry_after: Option<Duration>,
    token: &str,
) -> GraphError {
    let code = error.get("code").and_then(Value::as_i64);
    let subcode = error.get("error_subcode").and_then(Value::as_i64);
    let kind = error.get("type").and_then(Value::as_str).unwrap_or("");
    let fbtrace_id = error
        .get("fbtrace_id")
        .and_then(Value::as_str)
        .unwrap_or("");
    let raw = error
        .get("message")
        .and_then(Value::as_str)
        .filter(|m| !m.trim().is_empty())
        .unwrap_or("Graph API error without a message");
    let message: String = redact(raw, token).chars().take(MAX_MESSAGE_CHARS).collect();
    tracing::info!(
        status = status.as_u16(),
        code,
        subcode,
        kind = redact(kind, token),
        fbtrace_id = redact(fbtrace_id, token),
        "Graph API error"
    );
    let lower = message.to_lowercase();
    match code {
        Some(190) => GraphError::TokenExpired { message },
        Some(10 | 200..=299) => GraphError::PermissionMissing { message },
        Some(4 | 17 | 32 | 613 | 80_000..=80_014) => GraphError::RateLimited {
            message,
            retry_after,
        },
        Some(100)
            if ["insufficient", "not enough data", "no data"]
                .iter()
                .any(|needle| lower.contains(needle)) =>
        {
            GraphError::InsightsUnavailable { message }
        }
        Some(100) if lower.contains("metric") => GraphError::InvalidMetric { message },
        _ if status == StatusCode::TOO_MANY_REQUESTS => GraphError::RateLimited {
            message,
            retry_after,
        },
        _ => GraphError::Other { code, message },
    }
}

/// A transport error from reqwest, with its causes, without the URL or the token.
fn transport(error: reqwest::Error, token: &str) -> GraphError {
    if error.is_timeout() {
        return GraphError::Transport("Graph API did not answer in time".to_owned());
    }
    GraphError::Transport(redact(&error_chain(&error.without_url()), token))
}

/// An error and its sources, joined with `: `.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// `text` with the token, and any `access_token=…` value, replaced by `[redacted]`.
fn redact(text: &str, token: &str) -> String {
    let mut text = if token.is_empty() {
        text.to_owned()
    } else {
        text.replace(token, REDACTED)
    };
    let key = "access_token=";
    let mut from = 0;
    while let Some(at) = text[from..].find(key) {
        let start = from + at + key.len();
        let end = text[start..]
            .find(|c: char| c == '&' || c == '"' || c == '\'' || c == ')' || c.is_whitespace())
            .map_or(text.len(), |n| start + n);
        text.replace_range(start..end, REDACTED);
        from = start + REDACTED.len();
    }
    text
}

/// The day a daily value is for, from its `end_time` (see [`DayInsights::day`]).
fn value_day(end_time: &str) -> Result<NaiveDate, GraphError> {
    let instant = DateTime::parse_from_str(end_time, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(end_time))
        .map_err(|_| GraphError::Transport("Graph answered an unreadable end_time".to_owned()))?;
    (instant.naive_utc() - TimeDelta::hours(7))
        .date()
        .pred_opt()
        .ok_or_else(|| GraphError::Transport("Graph answered an end_time out of range".to_owned()))
}

/// Whether a `paging.next` link asks for a window starting after `until` (Graph's `since` is a
/// date or a Unix time).
fn next_starts_after(next: &Url, until: NaiveDate) -> bool {
    let Some((_, since)) = next.query_pairs().find(|(k, _)| k == "since") else {
        return false;
    };
    let day = NaiveDate::parse_from_str(&since, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            since
                .parse::<i64>()
                .ok()
                .and_then(|secs| DateTime::from_timestamp(secs, 0))
                .map(|t| t.date_naive())
        });
    day.is_some_and(|day| day > until)
}

/// `GET /me` as Graph answers it.
#[derive(Deserialize)]
struct MeBody {
    id: String,
    name: String,
    username: Option<String>,
    link: Option<String>,
    followers_count: Option<i64>,
}

/// `GET /{page}/insights` as Graph answers it.
#[derive(Deserialize)]
struct InsightsBody {
    #[serde(default)]
    data: Vec<InsightsMetric>,
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct InsightsMetric {
    name: String,
    period: Option<String>,
    #[serde(default)]
    values: Vec<InsightsValue>,
}

#[derive(Deserialize)]
struct InsightsValue {
    /// A number for the metrics read; other metrics answer objects.
    value: Option<Value>,
    end_time: String,
}

#[derive(Deserialize)]
struct Paging {
    next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_avoid_the_retired_ones() {
        for metric in METRICS {
            assert_ne!(metric, "page_fans");
            assert!(!metric.starts_with("page_fans"), "{metric}");
            assert!(!metric.starts_with("page_impressions"), "{metric}");
        }
    }

    #[test]
    fn end_time_is_the_next_pacific_midnight() {
        let day = |s| value_day(s).expect("a readable end_time");
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        // PST: midnight is 08:00 UTC.
        assert_eq!(day("2026-11-02T08:00:00+0000"), date(2026, 11, 1));
        assert_eq!(day("2026-01-01T08:00:00+0000"), date(2025, 12, 31));
        // PDT: midnight is 07:00 UTC.
        assert_eq!(day("2026-07-02T07:00:00+0000"), date(2026, 7, 1));
        assert_eq!(day("2026-07-02T00:00:00-0700"), date(2026, 7, 1));
        assert!(value_day("yesterday").is_err());
    }

    #[test]
    fn redact_removes_the_token_and_access_token_values() {
        assert_eq!(
            redact("bad token EAAB123 here", "EAAB123"),
            "bad token [redacted] here"
        );
        assert_eq!(
            redact("https://x/me?access_token=abc&fields=id", "zzz"),
            "https://x/me?access_token=[redacted]&fields=id"
        );
        assert_eq!(
            redact("a access_token=abc", ""),
            "a access_token=[redacted]"
        );
    }

    #[test]
    fn depth_is_capped() {
        let deep = "[".repeat(MAX_JSON_DEPTH + 1) + &"]".repeat(MAX_JSON_DEPTH + 1);
        assert!(check_depth(deep.as_bytes()).is_err());
        let ok = "[".repeat(MAX_JSON_DEPTH) + &"]".repeat(MAX_JSON_DEPTH);
        assert!(check_depth(ok.as_bytes()).is_ok());
        assert!(check_depth(br#"{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"["}"#).is_ok());
    }

    #[test]
    fn versions() {
        assert!(is_version("v24.0"));
        assert!(!is_version("24.0"));
        assert!(!is_version("v24"));
        assert!(!is_version("v24.0/../x"));
    }

    #[test]
    fn classification() {
        let err = |status: u16, body: Value| {
            classify(
                StatusCode::from_u16(status).expect("a status"),
                &body,
                Some(Duration::from_secs(5)),
                "TOKEN",
            )
        };
        let e = err(
            400,
            serde_json::json!({"code": 190, "error_subcode": 460, "message": "TOKEN bad"}),
        );
        assert_eq!(e.code(), "TOKEN_EXPIRED");
        assert!(!e.to_string().contains("TOKEN bad"));
        assert_eq!(
            err(403, serde_json::json!({"code": 200})).code(),
            "PERMISSION_MISSING"
        );
        assert_eq!(
            err(403, serde_json::json!({"code": 10})).code(),
            "PERMISSION_MISSING"
        );
        assert_eq!(
            err(400, serde_json::json!({"code": 613})).code(),
            "RATE_LIMITED"
        );
        assert_eq!(
            err(400, serde_json::json!({"code": 80001})).code(),
            "RATE_LIMITED"
        );
        assert_eq!(
            err(429, serde_json::json!({"code": 1})).code(),
            "RATE_LIMITED"
        );
        assert_eq!(
            err(400, serde_json::json!({"code": 100, "message": "(#100) The value must be a valid insights metric"})).code(),
            "INVALID_METRIC"
        );
        assert_eq!(
            err(
                400,
                serde_json::json!({"code": 100, "message": "Insufficient data to show metric"})
            )
            .code(),
            "INSIGHTS_UNAVAILABLE"
        );
        assert_eq!(
            err(
                400,
                serde_json::json!({"code": 100, "message": "Unsupported get"})
            )
            .code(),
            "GRAPH_ERROR"
        );
        assert_eq!(err(500, serde_json::json!({})).code(), "GRAPH_ERROR");
    }
}
