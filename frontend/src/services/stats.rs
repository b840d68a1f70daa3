//! A page's statistics ("số liệu trang") and effectiveness, the rankings of the units below,
//! the reviews of pages by the level above ("đánh giá") and the outreach log ("tuyên
//! truyền, giới thiệu trang"). Every figure and every permission is the API's: the app only
//! shows them and sends what is typed.

use super::ops::{
    ImportPageStats, LogOutreach, Outreach, PageStats, PullPageStats, Rankings, RecordPageStats,
    ReviewPage, Reviews, SetPageToken, StatsHistory, import_page_stats, log_outreach, outreach,
    page_stats, pull_page_stats, rankings, record_page_stats, review_page, reviews, set_page_token,
    stats_history,
};
use super::{Client, Slice};
use crate::error::Error;
use crate::models::{FieldErrors, UserError};
use crate::text::parse_day;

/// The user errors of a payload, as the app's.
macro_rules! user_errors {
    ($errors:expr) => {
        FieldErrors(
            $errors
                .into_iter()
                .map(|e| UserError {
                    field: e.field,
                    message: e.message,
                    code: e.code,
                })
                .collect(),
        )
    };
}

fn unreadable(field: &str, message: &str) -> UserError {
    UserError::new(Some(field), message, "UNREADABLE")
}

const DAY_FORMAT: &str = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026.";
const NUMBER_FORMAT: &str = "Nhập một số nguyên không âm, ví dụ 1.250.";

/// A whole number typed with or without thousands separators ("1.250", "1 250");
/// `Ok(None)` when left empty.
pub fn parse_count(text: &str) -> Result<Option<i64>, ()> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 12 {
        return Err(());
    }
    digits.parse().map(Some).map_err(|_| ())
}

// ---------------------------------------------------------------------------------------
// A page's figures

/// Where a figure came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Manual,
    MetaCsv,
    GraphApi,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Self::Manual => "Nhập tay",
            Self::MetaCsv => "Tệp Meta",
            Self::GraphApi => "Graph API",
        }
    }

    /// The style class of its label.
    pub fn key(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::MetaCsv => "meta-csv",
            Self::GraphApi => "graph-api",
        }
    }
}

/// A figure and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figure {
    pub value: Option<i64>,
    pub source: Option<Source>,
}

/// A day's figures of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub day: String,
    pub period_start: String,
    pub followers: Figure,
    pub new_follows: Figure,
    pub views: Figure,
    pub engagements: Figure,
    pub posts: Figure,
}

macro_rules! snapshot_from {
    ($($m:ident),*) => {$(
        impl From<$m::Snapshot> for Snapshot {
            fn from(s: $m::Snapshot) -> Self {
                let source = |x: Option<$m::StatSource>| {
                    x.map(|x| match x {
                        $m::StatSource::MANUAL => Source::Manual,
                        $m::StatSource::META_CSV => Source::MetaCsv,
                        _ => Source::GraphApi,
                    })
                };
                let f = |value, src| Figure { value, source: source(src) };
                Self {
                    day: s.day,
                    period_start: s.period_start,
                    followers: f(s.followers, s.sources.followers),
                    new_follows: f(s.new_follows, s.sources.new_follows),
                    views: f(s.views, s.sources.views),
                    engagements: f(s.engagements, s.sources.engagements),
                    posts: f(s.posts, s.sources.posts),
                }
            }
        }
    )*};
}

snapshot_from!(page_stats, import_page_stats);

/// How effective a page is, as the API computes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Effectiveness {
    pub followers: Option<i64>,
    pub growth_30_days: Option<i64>,
    pub growth_90_days: Option<i64>,
    pub posts_30_days: i64,
    pub posts_per_week: f64,
    pub last_post_at: Option<String>,
    pub inactive: bool,
    pub share_compliance: Option<f64>,
    pub shared: i64,
    pub late: i64,
    pub missed: i64,
    pub engagement_per_post: Option<f64>,
}

macro_rules! effectiveness_from {
    ($($m:ident),*) => {$(
        impl From<$m::Effectiveness> for Effectiveness {
            fn from(e: $m::Effectiveness) -> Self {
                Self {
                    followers: e.followers,
                    growth_30_days: e.growth30_days,
                    growth_90_days: e.growth90_days,
                    posts_30_days: e.posts30_days,
                    posts_per_week: e.posts_per_week,
                    last_post_at: e.last_post_at,
                    inactive: e.inactive,
                    share_compliance: e.share_compliance,
                    shared: e.shares.shared,
                    late: e.shares.late,
                    missed: e.shares.missed,
                    engagement_per_post: e.engagement_per_post,
                }
            }
        }
    )*};
}

effectiveness_from!(page_stats, rankings);

/// A point of a chart series, of a page or of a subtree's pages summed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsPoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The followers by that day; `None` when unknown.
    pub followers: Option<i64>,
    /// The posts logged since the point before (on the day, for the first).
    pub posts: i64,
}

macro_rules! point_from {
    ($($m:ident),*) => {$(
        impl From<$m::ActivityPoint> for StatsPoint {
            fn from(p: $m::ActivityPoint) -> Self {
                Self {
                    date: p.date,
                    followers: p.followers,
                    posts: p.posts,
                }
            }
        }
    )*};
}

point_from!(page_stats, stats_history);

/// The points in the order of their days.
fn series(points: impl IntoIterator<Item = StatsPoint>) -> Vec<StatsPoint> {
    let mut points: Vec<StatsPoint> = points.into_iter().collect();
    points.sort_by(|a, b| a.date.cmp(&b.date));
    points
}

/// A Graph API error: its code and what to do, in Vietnamese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullError {
    pub code: String,
    pub message: String,
    pub at: Option<String>,
}

/// Whether the page pulls its figures from the Graph API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphApi {
    pub connected: bool,
    pub graph_page_name: Option<String>,
    pub graph_page_id: Option<String>,
    pub last_pulled_at: Option<String>,
    pub last_error: Option<PullError>,
}

/// A page's statistics screen.
#[derive(Clone, Debug, PartialEq)]
pub struct PageStatsView {
    pub id: String,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    /// Type in and upload figures.
    pub write: bool,
    /// Connect the Graph API.
    pub oversee: bool,
    /// Review the page.
    pub approve: bool,
    /// The oldest first.
    pub stats: Vec<Snapshot>,
    pub graph_api: GraphApi,
    pub effectiveness: Effectiveness,
    /// Week by week over the last 12 weeks, the oldest first.
    pub activity: Vec<StatsPoint>,
}

/// The page `id` with its figures from `from` to `to` (`YYYY-MM-DD`).
pub async fn page_stats(
    client: &Client,
    id: &str,
    from: Option<String>,
    to: Option<String>,
) -> Result<PageStatsView, Error> {
    let data = client
        .execute::<PageStats>(page_stats::Variables {
            id: id.to_owned(),
            from,
            to,
        })
        .await?;
    let Some(page_stats::PageStatsNode::Page(p)) = data.node else {
        return Err(Error::NotFound);
    };
    let mut stats: Vec<Snapshot> = p.stats.into_iter().map(Snapshot::from).collect();
    stats.sort_by(|a, b| a.day.cmp(&b.day));
    let g = p.graph_api;
    Ok(PageStatsView {
        id: p.id,
        name: p.name,
        unit_code: p.unit.code,
        unit_name: p.unit.full_name,
        write: p.unit.viewer_can.write,
        oversee: p.unit.viewer_can.oversee,
        approve: p.unit.viewer_can.approve,
        stats,
        graph_api: GraphApi {
            connected: g.connected,
            graph_page_name: g.graph_page_name,
            graph_page_id: g.graph_page_id,
            last_pulled_at: g.last_pulled_at,
            last_error: g.last_error.map(|e| PullError {
                code: e.code,
                message: e.message,
                at: Some(e.at),
            }),
        },
        effectiveness: p.effectiveness.into(),
        activity: series(p.activity.into_iter().map(StatsPoint::from)),
    })
}

/// The figures form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatsForm {
    pub day: String,
    pub period_start: String,
    pub followers: String,
    pub new_follows: String,
    pub views: String,
    pub engagements: String,
    pub posts: String,
}

/// Records the figures typed for the page `page_id`.
pub async fn record_stats(
    client: &Client,
    page_id: &str,
    form: &StatsForm,
) -> Result<Result<(), FieldErrors>, Error> {
    let mut errors = Vec::new();
    let day = parse_day(&form.day);
    if day.is_none() {
        errors.push(unreadable("day", DAY_FORMAT));
    }
    let period_start = if form.period_start.trim().is_empty() {
        None
    } else {
        let parsed = parse_day(&form.period_start);
        if parsed.is_none() {
            errors.push(unreadable("periodStart", DAY_FORMAT));
        }
        parsed
    };
    let mut count = |field: &str, text: &str| {
        parse_count(text).unwrap_or_else(|()| {
            errors.push(unreadable(field, NUMBER_FORMAT));
            None
        })
    };
    let followers = count("followers", &form.followers);
    let new_follows = count("newFollows", &form.new_follows);
    let views = count("views", &form.views);
    let engagements = count("engagements", &form.engagements);
    let posts = count("posts", &form.posts);
    let Some(day) = day.filter(|_| errors.is_empty()) else {
        return Ok(Err(FieldErrors(errors)));
    };
    let data = client
        .execute::<RecordPageStats>(record_page_stats::Variables {
            input: record_page_stats::RecordPageStatsInput {
                page_id: page_id.to_owned(),
                day,
                period_start,
                followers,
                new_follows,
                views,
                engagements,
                posts,
            },
        })
        .await?;
    let p = data.record_page_stats;
    let errors = user_errors!(p.user_errors);
    Ok(if p.snapshot.is_some() && errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

/// A CSV file read in the browser: its name and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsFile {
    pub name: String,
    pub content: String,
}

/// What an import read (or, with `dry_run`, would write) and how many days it wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub snapshots: Vec<Snapshot>,
    pub imported: i64,
}

/// Sends Meta's CSV exports for the page `page_id`: a preview with `dry_run`.
pub async fn import_stats(
    client: &Client,
    page_id: &str,
    files: &[StatsFile],
    dry_run: bool,
) -> Result<Result<Imported, FieldErrors>, Error> {
    let data = client
        .execute::<ImportPageStats>(import_page_stats::Variables {
            input: import_page_stats::ImportPageStatsInput {
                page_id: page_id.to_owned(),
                files: files
                    .iter()
                    .map(|f| import_page_stats::StatsFileInput {
                        name: f.name.clone(),
                        content: f.content.clone(),
                    })
                    .collect(),
                dry_run,
            },
        })
        .await?;
    let p = data.import_page_stats;
    let errors = user_errors!(p.user_errors);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut snapshots: Vec<Snapshot> = p.snapshots.into_iter().map(Snapshot::from).collect();
    snapshots.sort_by(|a, b| a.day.cmp(&b.day));
    Ok(Ok(Imported {
        snapshots,
        imported: p.imported,
    }))
}

/// Stores a Page access token for the page, or forgets it (`token` empty).
pub async fn set_token(
    client: &Client,
    page_id: &str,
    token: &str,
) -> Result<Result<(), FieldErrors>, Error> {
    let token = token.trim();
    let data = client
        .execute::<SetPageToken>(set_page_token::Variables {
            input: set_page_token::SetPageTokenInput {
                page_id: page_id.to_owned(),
                token: (!token.is_empty()).then(|| token.to_owned()),
            },
        })
        .await?;
    let p = data.set_page_token;
    let errors = user_errors!(p.user_errors);
    Ok(if p.page.is_some() && errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

/// Pulls the page's figures from the Graph API now: the days pulled, or the error.
pub async fn pull_stats(
    client: &Client,
    page_id: &str,
) -> Result<Result<usize, FieldErrors>, Error> {
    let data = client
        .execute::<PullPageStats>(pull_page_stats::Variables {
            input: pull_page_stats::PullPageStatsInput {
                page_id: page_id.to_owned(),
            },
        })
        .await?;
    let p = data.pull_page_stats;
    let mut errors = user_errors!(p.user_errors);
    if let Some(e) = p.page.and_then(|page| page.graph_api.last_error)
        && errors.is_empty()
    {
        errors.0.push(UserError::new(None, &e.message, &e.code));
    }
    Ok(if errors.is_empty() {
        Ok(p.snapshots.len())
    } else {
        Err(errors)
    })
}

// ---------------------------------------------------------------------------------------
// Rankings

/// What a ranking orders by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankBy {
    Followers,
    Growth30Days,
    Growth90Days,
    PostsPerWeek,
    ShareCompliance,
    EngagementPerPost,
}

impl RankBy {
    pub const ALL: [Self; 6] = [
        Self::Followers,
        Self::Growth30Days,
        Self::Growth90Days,
        Self::PostsPerWeek,
        Self::ShareCompliance,
        Self::EngagementPerPost,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Followers => "Người theo dõi",
            Self::Growth30Days => "Tăng 30 ngày",
            Self::Growth90Days => "Tăng 90 ngày",
            Self::PostsPerWeek => "Bài/tuần",
            Self::ShareCompliance => "Tỷ lệ chia sẻ đúng hạn",
            Self::EngagementPerPost => "Tương tác/bài",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Followers => "FOLLOWERS",
            Self::Growth30Days => "GROWTH_30_DAYS",
            Self::Growth90Days => "GROWTH_90_DAYS",
            Self::PostsPerWeek => "POSTS_PER_WEEK",
            Self::ShareCompliance => "SHARE_COMPLIANCE",
            Self::EngagementPerPost => "ENGAGEMENT_PER_POST",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.key() == key)
    }

    fn variable(self) -> rankings::RankBy {
        match self {
            Self::Followers => rankings::RankBy::FOLLOWERS,
            Self::Growth30Days => rankings::RankBy::GROWTH_30_DAYS,
            Self::Growth90Days => rankings::RankBy::GROWTH_90_DAYS,
            Self::PostsPerWeek => rankings::RankBy::POSTS_PER_WEEK,
            Self::ShareCompliance => rankings::RankBy::SHARE_COMPLIANCE,
            Self::EngagementPerPost => rankings::RankBy::ENGAGEMENT_PER_POST,
        }
    }
}

/// A unit in a ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedUnit {
    pub rank: Option<i64>,
    pub code: String,
    pub full_name: String,
    /// The viewer may review its page.
    pub approve: bool,
    /// (id, name) of its live page.
    pub page: Option<(String, String)>,
    pub effectiveness: Effectiveness,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RankingView {
    pub code: String,
    pub full_name: String,
    pub items: Vec<RankedUnit>,
}

/// The units below `code` ranked `by`.
pub async fn rankings(client: &Client, code: &str, by: RankBy) -> Result<RankingView, Error> {
    let data = client
        .execute::<Rankings>(rankings::Variables {
            code: code.to_owned(),
            by: by.variable(),
        })
        .await?;
    let r = data.rankings;
    let mut items: Vec<RankedUnit> = r
        .items
        .into_iter()
        .map(|i| RankedUnit {
            rank: i.rank,
            code: i.unit.code,
            full_name: i.unit.full_name,
            approve: i.unit.viewer_can.approve,
            page: i.page.map(|p| (p.id, p.name)),
            effectiveness: i.effectiveness.into(),
        })
        .collect();
    // Units without a rank last, whatever order they came in.
    items.sort_by_key(|i| i.rank.is_none());
    Ok(RankingView {
        code: r.unit.code,
        full_name: r.unit.full_name,
        items,
    })
}

/// The followers and posts of every page of the subtree of `code`, summed, week by week
/// from `from` to `to` (`YYYY-MM-DD`), the oldest first.
pub async fn stats_history(
    client: &Client,
    code: &str,
    from: String,
    to: String,
) -> Result<Vec<StatsPoint>, Error> {
    let data = client
        .execute::<StatsHistory>(stats_history::Variables {
            code: code.to_owned(),
            from,
            to,
        })
        .await?;
    Ok(series(data.stats_history.into_iter().map(StatsPoint::from)))
}

// ---------------------------------------------------------------------------------------
// Reviews

/// The rating of a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rating {
    Good,
    Fair,
    Average,
    Weak,
}

impl Rating {
    pub const ALL: [Self; 4] = [Self::Good, Self::Fair, Self::Average, Self::Weak];

    pub fn label(self) -> &'static str {
        match self {
            Self::Good => "Tốt",
            Self::Fair => "Khá",
            Self::Average => "Trung bình",
            Self::Weak => "Yếu",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Good => "GOOD",
            Self::Fair => "FAIR",
            Self::Average => "AVERAGE",
            Self::Weak => "WEAK",
        }
    }
}

/// A review as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewRow {
    pub id: String,
    pub period_label: String,
    pub rating_key: String,
    pub rating_label: String,
    pub comments: Option<String>,
    pub recommendations: Option<String>,
    pub reviewer_name: String,
    pub created_at: String,
    pub unit_name: String,
    /// (id, name) of the page.
    pub page: Option<(String, String)>,
    pub followers: Option<i64>,
    pub growth_30_days: Option<i64>,
    pub posts_per_week: f64,
    pub share_compliance: Option<f64>,
}

/// How many items a list screen asks for at once.
const LIMIT: i64 = 50;

/// The reviews of `code`'s subtree, of `period` when given.
pub async fn reviews(
    client: &Client,
    code: &str,
    period: Option<String>,
    after: Option<String>,
) -> Result<Slice<ReviewRow>, Error> {
    let data = client
        .execute::<Reviews>(reviews::Variables {
            code: code.to_owned(),
            period,
            first: Some(LIMIT),
            after,
        })
        .await?;
    let list = data.reviews;
    Ok(Slice::new(
        list.nodes.into_iter().map(|r| ReviewRow {
            id: r.id,
            period_label: r.period_label,
            rating_key: match r.rating {
                reviews::Rating::GOOD => "GOOD",
                reviews::Rating::FAIR => "FAIR",
                reviews::Rating::AVERAGE => "AVERAGE",
                _ => "WEAK",
            }
            .to_owned(),
            rating_label: r.rating_label,
            comments: r.comments,
            recommendations: r.recommendations,
            reviewer_name: r.reviewer_name,
            created_at: r.created_at,
            unit_name: r.unit.full_name,
            page: r.page.map(|p| (p.id, p.name)),
            followers: r.figures.followers,
            growth_30_days: r.figures.growth30_days,
            posts_per_week: r.figures.posts_per_week,
            share_compliance: r.figures.share_compliance,
        }),
        list.total_count,
        list.page_info.has_next_page,
        list.page_info.end_cursor,
    ))
}

/// The review form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewForm {
    pub period: String,
    pub rating: Option<Rating>,
    pub comments: String,
    pub recommendations: String,
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Reviews the page `page_id`.
pub async fn review_page(
    client: &Client,
    page_id: &str,
    form: &ReviewForm,
) -> Result<Result<(), FieldErrors>, Error> {
    let Some(rating) = form.rating else {
        return Ok(Err(FieldErrors(vec![UserError::new(
            Some("rating"),
            "Chọn một mức đánh giá.",
            "REQUIRED",
        )])));
    };
    let data = client
        .execute::<ReviewPage>(review_page::Variables {
            input: review_page::ReviewPageInput {
                page_id: page_id.to_owned(),
                period: form.period.trim().to_owned(),
                rating: match rating {
                    Rating::Good => review_page::Rating::GOOD,
                    Rating::Fair => review_page::Rating::FAIR,
                    Rating::Average => review_page::Rating::AVERAGE,
                    Rating::Weak => review_page::Rating::WEAK,
                },
                comments: optional(&form.comments),
                recommendations: optional(&form.recommendations),
            },
        })
        .await?;
    let p = data.review_page;
    let errors = user_errors!(p.user_errors);
    Ok(if p.review.is_some() && errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

/// `2026-Q4` of a day `YYYY-MM-DD`, and the `back` quarters before it.
pub fn quarter(day: &str, back: i64) -> String {
    let year: i64 = day.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(2026);
    let month: i64 = day.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let index = year * 4 + (month - 1) / 3 - back;
    format!("{}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
}

// ---------------------------------------------------------------------------------------
// Outreach

/// Whom a unit told about its page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudienceKind {
    MemberOrganisation,
    ResidentialArea,
    Other,
}

impl AudienceKind {
    pub const ALL: [Self; 3] = [Self::MemberOrganisation, Self::ResidentialArea, Self::Other];

    pub fn label(self) -> &'static str {
        match self {
            Self::MemberOrganisation => "Tổ chức thành viên",
            Self::ResidentialArea => "Khu dân cư",
            Self::Other => "Khác",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::MemberOrganisation => "MEMBER_ORGANISATION",
            Self::ResidentialArea => "RESIDENTIAL_AREA",
            Self::Other => "OTHER",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// How they were told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Meeting,
    Zalo,
    Loudspeaker,
    NoticeBoard,
    Document,
    Other,
}

impl Channel {
    pub const ALL: [Self; 6] = [
        Self::Meeting,
        Self::Zalo,
        Self::Loudspeaker,
        Self::NoticeBoard,
        Self::Document,
        Self::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Meeting => "Hội nghị",
            Self::Zalo => "Zalo",
            Self::Loudspeaker => "Loa truyền thanh",
            Self::NoticeBoard => "Bảng tin nhà văn hóa",
            Self::Document => "Văn bản",
            Self::Other => "Khác",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Meeting => "MEETING",
            Self::Zalo => "ZALO",
            Self::Loudspeaker => "LOUDSPEAKER",
            Self::NoticeBoard => "NOTICE_BOARD",
            Self::Document => "DOCUMENT",
            Self::Other => "OTHER",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// An entry of the outreach log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutreachRow {
    pub id: String,
    pub audience_kind: AudienceKind,
    pub audience: String,
    pub channel: Channel,
    pub informed_on: String,
    pub reached: Option<i64>,
    pub note: Option<String>,
}

/// A unit's outreach log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutreachView {
    pub code: String,
    pub full_name: String,
    pub write: bool,
    pub entries: Slice<OutreachRow>,
}

impl crate::hooks::Listing for OutreachView {
    fn next(&self) -> Option<String> {
        self.entries.next.clone()
    }

    fn total(&self) -> i64 {
        self.entries.total
    }

    fn shown(&self) -> usize {
        self.entries.items.len()
    }

    fn append(&mut self, more: Self) {
        self.entries.items.extend(more.entries.items);
        self.entries.next = more.entries.next;
        self.entries.total = more.entries.total;
    }
}

pub async fn outreach(
    client: &Client,
    code: &str,
    after: Option<String>,
) -> Result<OutreachView, Error> {
    let data = client
        .execute::<Outreach>(outreach::Variables {
            code: code.to_owned(),
            first: Some(LIMIT),
            after,
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let list = data.outreach;
    Ok(OutreachView {
        code: unit.code,
        full_name: unit.full_name,
        write: unit.viewer_can.write,
        entries: Slice::new(
            list.nodes.into_iter().map(|o| OutreachRow {
                id: o.id,
                audience_kind: match o.audience_kind {
                    outreach::AudienceKind::MEMBER_ORGANISATION => AudienceKind::MemberOrganisation,
                    outreach::AudienceKind::RESIDENTIAL_AREA => AudienceKind::ResidentialArea,
                    _ => AudienceKind::Other,
                },
                audience: o.audience,
                channel: match o.channel {
                    outreach::OutreachChannel::MEETING => Channel::Meeting,
                    outreach::OutreachChannel::ZALO => Channel::Zalo,
                    outreach::OutreachChannel::LOUDSPEAKER => Channel::Loudspeaker,
                    outreach::OutreachChannel::NOTICE_BOARD => Channel::NoticeBoard,
                    outreach::OutreachChannel::DOCUMENT => Channel::Document,
                    _ => Channel::Other,
                },
                informed_on: o.informed_on,
                reached: o.reached,
                note: o.note,
            }),
            list.total_count,
            list.page_info.has_next_page,
            list.page_info.end_cursor,
        ),
    })
}

/// The outreach form, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutreachForm {
    pub audience_kind: AudienceKind,
    pub audience: String,
    pub channel: Channel,
    pub informed_on: String,
    pub reached: String,
    pub note: String,
}

impl Default for OutreachForm {
    fn default() -> Self {
        Self {
            audience_kind: AudienceKind::MemberOrganisation,
            audience: String::new(),
            channel: Channel::Meeting,
            informed_on: String::new(),
            reached: String::new(),
            note: String::new(),
        }
    }
}

/// Logs an outreach entry of the unit `code`.
pub async fn log_outreach(
    client: &Client,
    code: &str,
    form: &OutreachForm,
) -> Result<Result<(), FieldErrors>, Error> {
    let mut errors = Vec::new();
    let informed_on = parse_day(&form.informed_on);
    if informed_on.is_none() {
        errors.push(unreadable("informedOn", DAY_FORMAT));
    }
    let reached = parse_count(&form.reached).unwrap_or_else(|()| {
        errors.push(unreadable("reached", NUMBER_FORMAT));
        None
    });
    let Some(informed_on) = informed_on.filter(|_| errors.is_empty()) else {
        return Ok(Err(FieldErrors(errors)));
    };
    let data = client
        .execute::<LogOutreach>(log_outreach::Variables {
            input: log_outreach::LogOutreachInput {
                unit_code: code.to_owned(),
                audience_kind: match form.audience_kind {
                    AudienceKind::MemberOrganisation => {
                        log_outreach::AudienceKind::MEMBER_ORGANISATION
                    }
                    AudienceKind::ResidentialArea => log_outreach::AudienceKind::RESIDENTIAL_AREA,
                    AudienceKind::Other => log_outreach::AudienceKind::OTHER,
                },
                audience: form.audience.trim().to_owned(),
                channel: match form.channel {
                    Channel::Meeting => log_outreach::OutreachChannel::MEETING,
                    Channel::Zalo => log_outreach::OutreachChannel::ZALO,
                    Channel::Loudspeaker => log_outreach::OutreachChannel::LOUDSPEAKER,
                    Channel::NoticeBoard => log_outreach::OutreachChannel::NOTICE_BOARD,
                    Channel::Document => log_outreach::OutreachChannel::DOCUMENT,
                    Channel::Other => log_outreach::OutreachChannel::OTHER,
                },
                informed_on,
                reached,
                note: optional(&form.note),
            },
        })
        .await?;
    let p = data.log_outreach;
    let errors = user_errors!(p.user_errors);
    Ok(if p.outreach.is_some() && errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_count, quarter};

    #[test]
    fn counts_and_quarters_read_as_officers_write_them() {
        assert_eq!(parse_count("1.250"), Ok(Some(1250)));
        assert_eq!(parse_count(" "), Ok(None));
        assert_eq!(parse_count("-3"), Err(()));
        assert_eq!(quarter("2026-11-27", 0), "2026-Q4");
        assert_eq!(quarter("2026-02-01", 1), "2025-Q4");
    }
}
