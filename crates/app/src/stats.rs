//! Page statistics (G8): figures typed in, uploaded from Meta's Insights export, or pulled
//! from the Graph API with the Page access token an admin stored — sealed with the server's
//! key, never shown again, never logged.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use chrono::{Days, NaiveDate, Utc};
use domain::Unit;
use domain::meta_csv::{self, PageIdentity, ParsedFile};
use domain::page::{Page, Platform};
use domain::page_url::PageUrl;
use domain::policy::Action;
use domain::stats::{Figures, Snapshot, Sources, StatSource, check_period};
use facebook::{GraphClient, GraphError};
use store::stats::StoredToken;
use store::{Begin, ConnectionTrait};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::pages::{page_for, today};
use crate::{AppError, By, UserError};

/// The key that seals Page access tokens at rest: 32 bytes from the environment
/// (`TCD_TOKEN_KEY`, 64 hex digits). Without it no token can be stored.
#[derive(Clone)]
pub struct TokenKey(Key);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(…)")
    }
}

impl TokenKey {
    /// The key written as 64 hexadecimal digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = hex::decode(text.trim()).ok()?;
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(Key::from(bytes)))
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&self.0)
    }

    /// The token sealed for this page: a random nonce and the ciphertext, bound to the page
    /// (a sealed token copied to another page's row does not open).
    fn seal(&self, page_id: Uuid, token: &str) -> Result<String, AppError> {
        let nonce: [u8; 12] = rand::random();
        let sealed = self
            .cipher()
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: token.as_bytes(),
                    aad: page_id.as_bytes(),
                },
            )
            .map_err(|_| {
                AppError::invalid(
                    Some("token"),
                    "TOKEN_NOT_SEALED",
                    "Không mã hóa được mã truy cập.",
                )
            })?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(STANDARD.encode(out))
    }

    fn open(&self, page_id: Uuid, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        let plain = self
            .cipher()
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: page_id.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

/// Figures typed in for a page.
#[derive(Debug, Clone)]
pub struct StatsInput {
    pub page_id: Uuid,
    pub day: NaiveDate,
    /// The day itself when omitted.
    pub period_start: Option<NaiveDate>,
    pub figures: Figures,
}

fn field_problem((field, e): (&'static str, domain::DomainError)) -> AppError {
    AppError::Invalid(vec![UserError::from_domain(field, &e)])
}

/// Keeps snapshots of a page, each laid over the stored one of its day, in one transaction
/// with its audit record.
async fn keep(
    db: &impl Begin,
    by: By<'_>,
    unit: &Unit,
    page: &Page,
    days: Vec<(NaiveDate, NaiveDate, Figures)>,
    source: StatSource,
) -> Result<Vec<Snapshot>, AppError> {
    let now = Utc::now();
    let wanted: Vec<NaiveDate> = days.iter().map(|(day, _, _)| *day).collect();
    let txn = store::begin(db).await?;
    let stored = store::stats::on_days(&txn, page.id, &wanted).await?;
    let snapshots: Vec<Snapshot> = days
        .into_iter()
        .map(|(day, period_start, figures)| {
            let base = stored
                .iter()
                .find(|s| s.day == day)
                .cloned()
                .unwrap_or(Snapshot {
                    page_id: page.id,
                    unit_id: unit.id,
                    day,
                    period_start,
                    figures: Figures::default(),
                    sources: Sources::default(),
                    updated_at: now,
                });
            Snapshot {
                updated_at: now,
                ..base.merged(&figures, period_start, source)
            }
        })
        .collect();
    store::stats::save(&txn, &snapshots, by.account_id()).await?;
    let audited = Event::StatsRecorded {
        page_id: page.id,
        source: source.as_str().to_owned(),
        days: snapshots.len(),
        first: snapshots.iter().map(|s| s.day).min(),
        last: snapshots.iter().map(|s| s.day).max(),
    };
    audit::record(&txn, by, &unit.path, Some(page.id), &audited).await?;
    store::commit(txn).await?;
    Ok(snapshots)
}

/// Records figures typed in for a page's day: an operator or admin of its unit.
pub async fn record_stats(
    db: &impl Begin,
    by: By<'_>,
    input: StatsInput,
) -> Result<Snapshot, AppError> {
    let (page, unit) = page_for(db, by, input.page_id, Action::Write).await?;
    let period_start = input.period_start.unwrap_or(input.day);
    check_period(input.day, period_start, today()).map_err(field_problem)?;
    input.figures.check().map_err(field_problem)?;
    let mut kept = keep(
        db,
        by,
        &unit,
        &page,
        vec![(input.day, period_start, input.figures)],
        StatSource::Manual,
    )
    .await?;
    kept.pop().ok_or(AppError::NotFound)
}

/// One uploaded file.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub name: String,
    pub content: String,
}

/// The most files one upload carries.
pub const FILES_MAX: usize = 10;

/// What the page is on Facebook, for telling its files from another page's.
fn identity(page: &Page, graph_id: Option<String>) -> PageIdentity {
    let url = page.url.as_deref().and_then(|u| PageUrl::parse(u).ok());
    PageIdentity {
        name: page.name.clone(),
        username: url.as_ref().and_then(|u| u.username().map(str::to_owned)),
        facebook_id: url
            .as_ref()
            .and_then(|u| u.profile_id().map(str::to_owned))
            .or(graph_id),
    }
}

/// Reads the CSV files Meta Business Suite exports from a page's Insights into one set of
/// daily figures; with `dry_run`, only shows them. A file of another page, or one not
/// recognised, refuses the whole upload and nothing is kept.
pub async fn import_stats(
    db: &impl Begin,
    by: By<'_>,
    page_id: Uuid,
    files: &[UploadedFile],
    dry_run: bool,
) -> Result<Vec<Snapshot>, AppError> {
    let (page, unit) = page_for(db, by, page_id, Action::Write).await?;
    if files.is_empty() || files.len() > FILES_MAX {
        return Err(AppError::invalid(
            Some("files"),
            "FILE_COUNT",
            format!("Hãy chọn từ 1 đến {FILES_MAX} tệp CSV xuất từ Meta Business Suite."),
        ));
    }
    let graph_id = store::stats::tokens_of(db, &[page.id])
        .await?
        .pop()
        .map(|t| t.graph_page_id);
    let page_identity = identity(&page, graph_id);
    let mut parsed: Vec<ParsedFile> = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for (i, file) in files.iter().enumerate() {
        match meta_csv::parse_file(&file.name, &file.content, &page_identity) {
            Ok(p) => parsed.push(p),
            Err(problem) => problems.push(UserError::new(
                Some(&format!("files.{i}")),
                problem.code(),
                format!("{}: {}", file.name, problem.message()),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let days = meta_csv::merge(&parsed)
        .map_err(|problem| AppError::invalid(Some("files"), problem.code(), problem.message()))?;
    let today = today();
    if let Some(late) = days.iter().find(|d| d.day > today) {
        return Err(AppError::invalid(
            Some("files"),
            "DATE_IN_FUTURE",
            format!(
                "Tệp có số liệu của ngày {} — sau ngày hôm nay.",
                late.day.format("%d/%m/%Y")
            ),
        ));
    }
    let rows: Vec<(NaiveDate, NaiveDate, Figures)> = days
        .iter()
        .map(|d| {
            (
                d.day,
                d.day,
                Figures {
                    followers: d.followers,
                    new_follows: d.new_follows,
                    views: d.views,
                    engagements: d.engagements,
                    posts: d.posts,
                },
            )
        })
        .filter(|(_, _, f)| !f.is_empty())
        .collect();
    if dry_run {
        let now = Utc::now();
        return Ok(rows
            .into_iter()
            .map(|(day, period_start, figures)| Snapshot {
                page_id: page.id,
                unit_id: unit.id,
                day,
                period_start,
                figures,
                sources: Sources::of(&figures, StatSource::MetaCsv),
                updated_at: now,
            })
            .collect());
    }
    keep(db, by, &unit, &page, rows, StatSource::MetaCsv).await
}

/// A page's snapshots from `from` to `to`.
pub async fn series(
    db: &impl ConnectionTrait,
    page_ids: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Snapshot>, AppError> {
    Ok(store::stats::series(db, page_ids, from, to).await?)
}

/// How the server reaches the Graph API, if it does: the client and the key that seals
/// tokens.
#[derive(Clone, Debug)]
pub struct Graph {
    pub client: std::sync::Arc<GraphClient>,
    pub key: TokenKey,
}

fn graph_problem(e: &GraphError) -> AppError {
    AppError::invalid(Some("token"), e.code(), e.message_vi())
}

fn not_configured() -> AppError {
    AppError::invalid(
        Some("token"),
        "GRAPH_NOT_CONFIGURED",
        "Máy chủ chưa được cấu hình khóa mã hóa (TCD_TOKEN_KEY) nên chưa thể lưu mã truy cập Trang.",
    )
}

/// Stores (or, with `None`, forgets) the Page access token of a page: an admin of its unit
/// or above. The token is checked with the Graph API first: it must open this page.
pub async fn set_page_token(
    db: &impl Begin,
    by: By<'_>,
    graph: Option<&Graph>,
    page_id: Uuid,
    token: Option<&str>,
) -> Result<Option<StoredToken>, AppError> {
    let (page, unit) = page_for(db, by, page_id, Action::Read).await?;
    by.may(Action::Oversee, &unit.path)?;
    let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else {
        let txn = store::begin(db).await?;
        let removed = store::stats::delete_token(&txn, page.id).await?;
        if removed {
            audit::record(
                &txn,
                by,
                &unit.path,
                Some(page.id),
                &Event::PageTokenRemoved,
            )
            .await?;
        }
        store::commit(txn).await?;
        return Ok(None);
    };
    if token.len() > 1_000
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.|".contains(&b))
    {
        return Err(AppError::invalid(
            Some("token"),
            "INVALID_TOKEN",
            "Mã truy cập Trang không hợp lệ: hãy sao chép nguyên mã từ Meta Business Suite.",
        ));
    }
    let graph = graph.ok_or_else(not_configured)?;
    if page.platform != Platform::Facebook {
        return Err(AppError::invalid(
            Some("pageId"),
            "NOT_FACEBOOK",
            "Chỉ trang Facebook mới kết nối được Graph API.",
        ));
    }
    let info = graph
        .client
        .page(token)
        .await
        .map_err(|e| graph_problem(&e))?;
    let ours = identity(&page, None);
    let matches = ours.facebook_id.as_deref() == Some(info.id.as_str())
        || match (&ours.username, &info.username) {
            (Some(a), Some(b)) => a.replace('.', "").eq_ignore_ascii_case(&b.replace('.', "")),
            _ => ours.facebook_id.is_none() && ours.username.is_none(),
        };
    if !matches {
        return Err(AppError::invalid(
            Some("token"),
            "TOKEN_OF_ANOTHER_PAGE",
            format!(
                "Mã truy cập này mở Trang «{}», không phải trang của đơn vị.",
                info.name
            ),
        ));
    }
    let stored = StoredToken {
        page_id: page.id,
        sealed: graph.key.seal(page.id, token)?,
        graph_page_id: info.id,
        graph_page_name: Some(info.name),
        last_pulled_at: None,
        last_error: None,
        updated_by: by.account_id(),
        updated_at: Utc::now(),
    };
    let txn = store::begin(db).await?;
    store::stats::save_token(&txn, &stored).await?;
    audit::record(
        &txn,
        by,
        &unit.path,
        Some(page.id),
        &Event::PageTokenSet {
            graph_page_id: stored.graph_page_id.clone(),
        },
    )
    .await?;
    store::commit(txn).await?;
    Ok(Some(stored))
}

/// How far back a pull reads the daily insights.
pub const PULL_DAYS: u64 = 30;

/// Pulls a page's figures from the Graph API with its stored token: today's followers and
/// the daily insights of the last [`PULL_DAYS`] days. A Graph error is kept on the page (and
/// returned), never swallowed.
pub async fn pull(
    db: &impl Begin,
    by: By<'_>,
    graph: &Graph,
    page_id: Uuid,
) -> Result<Vec<Snapshot>, AppError> {
    let (page, unit) = page_for(db, by, page_id, Action::Write).await?;
    let stored = store::stats::tokens_of(db, &[page.id])
        .await?
        .pop()
        .ok_or_else(|| {
            AppError::invalid(
                Some("pageId"),
                "NO_TOKEN",
                "Trang chưa được kết nối Graph API: quản trị viên hãy lưu mã truy cập Trang trước.",
            )
        })?;
    let token = graph.key.open(page.id, &stored.sealed).ok_or_else(|| {
        AppError::invalid(
            Some("pageId"),
            "TOKEN_UNREADABLE",
            "Không giải mã được mã truy cập đã lưu (khóa TCD_TOKEN_KEY đã đổi?): hãy lưu lại mã.",
        )
    })?;
    let now = Utc::now();
    let today = today();
    let since = today
        .checked_sub_days(Days::new(PULL_DAYS))
        .unwrap_or(today);
    let fetched = async {
        let info = graph.client.page(&token).await?;
        let insights = graph
            .client
            .insights(&token, &stored.graph_page_id, since, today)
            .await?;
        Ok::<_, GraphError>((info, insights))
    }
    .await;
    let (info, insights) = match fetched {
        Ok(found) => found,
        Err(e) => {
            store::stats::record_pull(db, page.id, now, Some((e.code(), &e.message_vi()))).await?;
            return Err(graph_problem(&e));
        }
    };
    let mut rows: Vec<(NaiveDate, NaiveDate, Figures)> = Vec::new();
    let mut previous: Option<i64> = None;
    for day in &insights {
        // `page_follows` is the number of followers on the day; new follows are its rise.
        let new_follows = match (previous, day.follows) {
            (Some(before), Some(now)) => Some((now - before).max(0)),
            _ => None,
        };
        previous = day.follows.or(previous);
        let figures = Figures {
            followers: day.follows,
            new_follows,
            views: day.media_views,
            engagements: day.post_engagements,
            posts: None,
        };
        if !figures.is_empty() && day.day <= today {
            rows.push((day.day, day.day, figures));
        }
    }
    if let Some(count) = info.followers_count {
        rows.retain(|(day, _, _)| *day != today);
        rows.push((
            today,
            today,
            Figures {
                followers: Some(count),
                ..Figures::default()
            },
        ));
    }
    let kept = keep(db, by, &unit, &page, rows, StatSource::GraphApi).await?;
    store::stats::record_pull(db, page.id, now, None).await?;
    Ok(kept)
}

/// Pulls every page with a token (the scheduled pull, `tcd stats pull`): how many pulls
/// succeeded and the pages that failed with their error code.
pub async fn pull_all(
    db: &impl Begin,
    graph: &Graph,
) -> Result<(usize, Vec<(Uuid, String)>), AppError> {
    let mut done = 0;
    let mut failed = Vec::new();
    for page_id in store::stats::pages_with_tokens(db).await? {
        match pull(db, By::Operator, graph, page_id).await {
            Ok(_) => done += 1,
            Err(AppError::Invalid(errors)) => failed.push((
                page_id,
                errors.first().map_or_else(String::new, |e| e.code.clone()),
            )),
            Err(e) => return Err(e),
        }
    }
    Ok((done, failed))
}

/// The stored token state of these pages (never the token).
pub async fn connections(
    db: &impl ConnectionTrait,
    page_ids: &[Uuid],
) -> Result<Vec<StoredToken>, AppError> {
    Ok(store::stats::tokens_of(db, page_ids).await?)
}

/// The most points of a subtree's statistics series.
pub const HISTORY_MAX_POINTS: usize = 60;

/// The followers and posts of the pages of a unit's subtree at the end of each day (or week)
/// from `from` to `to`, for the charts.
pub async fn history(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    from: NaiveDate,
    to: NaiveDate,
    every: domain::rollout::Every,
) -> Result<(Unit, Vec<(NaiveDate, store::stats::PointStats)>), AppError> {
    let unit = crate::rollout::unit_for(db, by, unit_code, Action::Read).await?;
    let points = series_of(db, store::stats::Pages::Within(&unit.path), from, to, every).await?;
    Ok((unit, points))
}

/// The followers and posts of one page (which the caller has read) over time.
pub async fn page_history(
    db: &impl ConnectionTrait,
    page_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    every: domain::rollout::Every,
) -> Result<Vec<(NaiveDate, store::stats::PointStats)>, AppError> {
    series_of(db, store::stats::Pages::One(page_id), from, to, every).await
}

async fn series_of(
    db: &impl ConnectionTrait,
    pages: store::stats::Pages<'_>,
    from: NaiveDate,
    to: NaiveDate,
    every: domain::rollout::Every,
) -> Result<Vec<(NaiveDate, store::stats::PointStats)>, AppError> {
    let days = domain::rollout::series(from, to, every)
        .ok()
        .filter(|days| days.len() <= HISTORY_MAX_POINTS)
        .ok_or_else(|| {
            AppError::invalid(
                Some("to"),
                "SERIES_TOO_LONG",
                format!(
                    "Hãy chọn khoảng thời gian có tối đa {HISTORY_MAX_POINTS} điểm (ngày đầu không sau ngày cuối)."
                ),
            )
        })?;
    let ends: Vec<_> = days
        .iter()
        .map(|d| domain::rollout::end_of_day(*d))
        .collect();
    let points = store::stats::history(db, pages, &days, &ends).await?;
    Ok(days.into_iter().zip(points).collect())
}
