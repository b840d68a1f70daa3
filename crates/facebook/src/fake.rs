//! A local stand-in for the Graph API, for tests (cargo feature `fake`).
//!
//! [`FakeGraph`] listens on `127.0.0.1` on a free port and answers, over plain HTTP/1.1 with
//! one request per connection, the shapes [`crate::GraphClient`] reads:
//!
//! - `GET /{version}/me?fields=…` → `{"id","name","username","link","followers_count"}`;
//! - `GET /{version}/{id}/insights?metric=…&period=day&since=YYYY-MM-DD&until=YYYY-MM-DD` →
//!   `{"data":[{"name","period","values":[{"value","end_time"}],"title","description","id"}],
//!   "paging":{"previous","next"}}`, the days `since..until` (`until` excluded, as Graph does)
//!   in windows of 30 days, each with a `next` link back to the fake (and, as Graph does, one
//!   past the end after the last window, and the `access_token` in it). A Page without daily
//!   values answers `{"data":[]}`, as Graph does for a Page under 100 likes;
//! - an unknown or retired metric → HTTP 400, code 100 "(#100) The value must be a valid
//!   insights metric"; no or an unknown token → HTTP 400, code 190.
//!
//! The token is read from `Authorization: Bearer|OAuth …` or from an `access_token` query
//! parameter (counted by [`FakeGraph::tokens_in_urls`]). A token made to [`FakeGraph::fail`]
//! answers its error to every request; with status 429 the answer carries `Retry-After: 120`.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use reqwest::Url;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::METRICS;

/// How many days one insights answer holds before its `next` link.
const WINDOW_DAYS: u64 = 30;

/// The `Retry-After` the fake sends with an HTTP 429, in seconds.
pub const RETRY_AFTER_SECS: u64 = 120;

/// The largest request head the fake reads.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// A Page the fake serves.
#[derive(Debug, Clone, Default)]
pub struct FakePage {
    pub id: String,
    pub name: String,
    pub username: Option<String>,
    pub followers_count: Option<i64>,
    /// `(follows, media views, post engagements)` by day; days missing inside a requested
    /// range answer zeros. Empty: the Page has no Insights (`{"data":[]}`).
    pub days: BTreeMap<NaiveDate, (i64, i64, i64)>,
}

/// The fake Graph API, running until dropped.
#[derive(Debug)]
pub struct FakeGraph {
    /// `http://127.0.0.1:{port}`, the `base_url` to give [`crate::GraphClient::new`].
    pub base_url: String,
    state: Arc<State>,
    task: JoinHandle<()>,
}

#[derive(Debug, Default)]
struct State {
    inner: Mutex<Inner>,
    requests: AtomicUsize,
    tokens_in_urls: AtomicUsize,
}

#[derive(Debug, Default)]
struct Inner {
    pages: HashMap<String, FakePage>,
    failures: HashMap<String, Failure>,
    /// Where `paging.next` links point instead of the fake itself.
    next_base: Option<String>,
}

#[derive(Debug, Clone)]
struct Failure {
    status: u16,
    code: i64,
    subcode: Option<i64>,
    message: String,
}

/// One answer: HTTP status and JSON body.
struct Answer {
    status: u16,
    body: String,
}

impl FakeGraph {
    /// Starts on `127.0.0.1:0` in the current tokio runtime.
    pub async fn start() -> FakeGraph {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the fake Graph API binds a local port");
        let addr = listener
            .local_addr()
            .expect("the fake Graph API has a local address");
        let base_url = format!("http://{addr}");
        let state = Arc::new(State::default());
        let task = tokio::spawn({
            let state = Arc::clone(&state);
            let base_url = base_url.clone();
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, Arc::clone(&state), base_url.clone()));
                }
            }
        });
        FakeGraph {
            base_url,
            state,
            task,
        }
    }

    /// A Page reachable with `token`.
    pub fn add_page(&self, token: &str, page: FakePage) {
        self.state.lock().pages.insert(token.to_owned(), page);
    }

    /// Make `token` answer with this error (HTTP status, Graph code, subcode, message) from now
    /// on.
    pub fn fail(&self, token: &str, status: u16, code: i64, subcode: Option<i64>, message: &str) {
        self.state.lock().failures.insert(
            token.to_owned(),
            Failure {
                status,
                code,
                subcode,
                message: message.to_owned(),
            },
        );
    }

    /// Make `paging.next` links point to `base_url` (e.g. another host) instead of the fake.
    pub fn next_links_to(&self, base_url: &str) {
        self.state.lock().next_base = Some(base_url.trim_end_matches('/').to_owned());
    }

    /// How many requests it has answered (to assert nothing reached it).
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// How many requests carried the token in the URL (`access_token=`) rather than a header.
    pub fn tokens_in_urls(&self) -> usize {
        self.state.tokens_in_urls.load(Ordering::SeqCst)
    }
}

impl Drop for FakeGraph {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Reads one request head, answers it, closes the connection.
async fn serve(mut stream: TcpStream, state: Arc<State>, base_url: String) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > MAX_HEAD_BYTES {
            return;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let authorization = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.trim().to_owned());

    let answer = if method == "GET" {
        route(&state, &base_url, target, authorization.as_deref())
    } else {
        graph_error(400, 100, None, "Unsupported method")
    };
    state.requests.fetch_add(1, Ordering::SeqCst);
    let reason = match answer.status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let retry_after = if answer.status == 429 {
        format!("Retry-After: {RETRY_AFTER_SECS}\r\n")
    } else {
        String::new()
    };
    let response = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: application/json; charset=UTF-8\r\n\
         Content-Length: {}\r\n{retry_after}Connection: close\r\n\r\n",
        answer.status,
        answer.body.len()
    );
    if stream.write_all(response.as_bytes()).await.is_ok()
        && stream.write_all(answer.body.as_bytes()).await.is_ok()
    {
        let _ = stream.shutdown().await;
    }
}

/// The answer to `GET {target}`.
fn route(state: &State, base_url: &str, target: &str, authorization: Option<&str>) -> Answer {
    let Ok(url) = Url::parse(&format!("http://fake{target}")) else {
        return graph_error(400, 100, None, "Malformed request");
    };
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    let header_token = authorization.and_then(|value| {
        value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("OAuth "))
            .map(str::trim)
    });
    if query.contains_key("access_token") {
        state.tokens_in_urls.fetch_add(1, Ordering::SeqCst);
    }
    let token = header_token.or(query.get("access_token").map(String::as_str));

    let segments: Vec<&str> = url.path().trim_matches('/').split('/').collect();
    let Some((version, rest)) = segments.split_first() else {
        return unknown_path();
    };
    if !version.starts_with('v') {
        return unknown_path();
    }

    let inner = state.lock();
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return graph_error(
            400,
            190,
            None,
            "An active access token must be used to query information about the current user.",
        );
    };
    if let Some(f) = inner.failures.get(token) {
        return graph_error(f.status, f.code, f.subcode, &f.message);
    }
    let Some(page) = inner.pages.get(token) else {
        return graph_error(
            400,
            190,
            None,
            "Invalid OAuth access token - Cannot parse access token",
        );
    };

    match rest {
        ["me"] => Answer {
            status: 200,
            body: json!({
                "id": page.id,
                "name": page.name,
                "username": page.username,
                "link": format!(
                    "https://www.facebook.com/{}",
                    page.username.as_deref().unwrap_or(&page.id)
                ),
                "followers_count": page.followers_count,
            })
            .to_string(),
        },
        [id, "insights"] if *id == page.id => {
            let next_base = inner.next_base.as_deref().unwrap_or(base_url);
            insights(page, version, &query, next_base, token)
        }
        [id, "insights"] => graph_error(
            400,
            100,
            Some(33),
            &format!(
                "Unsupported get request. Object with ID '{id}' does not exist, cannot be \
                 loaded due to missing permissions, or does not support this operation."
            ),
        ),
        _ => unknown_path(),
    }
}

/// `GET /{version}/{id}/insights`.
fn insights(
    page: &FakePage,
    version: &str,
    query: &HashMap<String, String>,
    next_base: &str,
    token: &str,
) -> Answer {
    let metrics: Vec<&str> = query
        .get("metric")
        .map(|m| m.split(',').map(str::trim).collect())
        .unwrap_or_default();
    if metrics.is_empty() || metrics.iter().any(|m| !METRICS.contains(m)) {
        return graph_error(
            400,
            100,
            None,
            "(#100) The value must be a valid insights metric",
        );
    }
    if query.get("period").map(String::as_str) != Some("day") {
        return graph_error(
            400,
            100,
            None,
            "(#100) The value must be a valid insights period",
        );
    }
    let query_date = |key: &str| {
        query
            .get(key)
            .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
    };
    let (Some(since), Some(until)) = (query_date("since"), query_date("until")) else {
        return graph_error(400, 100, None, "(#100) since and until must be dates");
    };
    if since > until {
        return graph_error(400, 100, None, "(#100) since must be before until");
    }
    if page.days.is_empty() {
        return Answer {
            status: 200,
            body: json!({ "data": [] }).to_string(),
        };
    }

    let window_end = since
        .checked_add_days(Days::new(WINDOW_DAYS))
        .map_or(until, |end| end.min(until));
    let days: Vec<NaiveDate> = since.iter_days().take_while(|d| *d < window_end).collect();
    let data = metric_data(page, &metrics, &days);

    let span = Days::new(
        u64::try_from((until - since).num_days())
            .unwrap_or(0)
            .max(1),
    );
    let (next_since, next_until) = if window_end < until {
        (window_end, until)
    } else {
        // As Graph does: a `next` window past the end.
        (until, until.checked_add_days(span).unwrap_or(until))
    };
    let previous_since = since.checked_sub_days(span).unwrap_or(since);
    let link = |from: NaiveDate, to: NaiveDate| -> String {
        let Ok(mut url) = Url::parse(&format!("{next_base}/{version}/{}/insights", page.id)) else {
            return String::new();
        };
        url.query_pairs_mut()
            .append_pair("access_token", token)
            .append_pair("metric", &metrics.join(","))
            .append_pair("period", "day")
            .append_pair("since", &from.format("%Y-%m-%d").to_string())
            .append_pair("until", &to.format("%Y-%m-%d").to_string());
        url.to_string()
    };
    Answer {
        status: 200,
        body: json!({
            "data": data,
            "paging": {
                "previous": link(previous_since, since),
                "next": link(next_since, next_until),
            },
        })
        .to_string(),
    }
}

/// The `data` array: one entry per metric, one value per day.
fn metric_data(page: &FakePage, metrics: &[&str], days: &[NaiveDate]) -> Vec<Value> {
    metrics
        .iter()
        .map(|metric| {
            let values: Vec<Value> = days
                .iter()
                .map(|day| {
                    let (follows, views, engagements) =
                        page.days.get(day).copied().unwrap_or_default();
                    let value = match *metric {
                        "page_follows" => follows,
                        "page_media_view" => views,
                        _ => engagements,
                    };
                    json!({ "value": value, "end_time": end_time(*day) })
                })
                .collect();
            json!({
                "name": metric,
                "period": "day",
                "values": values,
                "title": format!("Daily {metric}"),
                "description": format!("Daily: {metric}"),
                "id": format!("{}/insights/{metric}/day", page.id),
            })
        })
        .collect()
}

/// The `end_time` Graph stamps on `day`'s value: the Pacific midnight that ends it.
fn end_time(day: NaiveDate) -> String {
    let next = day.succ_opt().unwrap_or(day);
    let hour = if is_pdt_midnight(next) { 7 } else { 8 };
    format!("{}T{hour:02}:00:00+0000", next.format("%Y-%m-%d"))
}

/// Whether midnight starting `date` in `America/Los_Angeles` is daylight time: after the second
/// Sunday of March, up to and including the first Sunday of November (both switch at 02:00).
fn is_pdt_midnight(date: NaiveDate) -> bool {
    let year = date.year();
    match (
        NaiveDate::from_weekday_of_month_opt(year, 3, Weekday::Sun, 2),
        NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Sun, 1),
    ) {
        (Some(start), Some(end)) => date > start && date <= end,
        _ => false,
    }
}

fn unknown_path() -> Answer {
    graph_error(400, 2500, None, "Unknown path components")
}

/// Graph's error body.
fn graph_error(status: u16, code: i64, subcode: Option<i64>, message: &str) -> Answer {
    let mut error = json!({
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "FakeTrace",
    });
    if let (Some(subcode), Some(object)) = (subcode, error.as_object_mut()) {
        object.insert("error_subcode".to_owned(), json!(subcode));
    }
    Answer {
        status,
        body: json!({ "error": error }).to_string(),
    }
}
