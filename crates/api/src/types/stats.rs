//! Page statistics (`PageStatSnapshot`, `GraphApiConnection`), computed effectiveness
//! (`PageEffectiveness`, `Ranking`), reviews (`PageReview`) and the outreach log
//! (`OutreachEntry`).

use async_graphql::connection::CursorType;
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::effect::{self as rules, Effectiveness};
use domain::stats::{self as stat_rules, Snapshot};

use crate::ApiError;
use crate::loaders::Loaders;
use crate::relay::{NodeKind, decode_cursor, encode_cursor, encode_moment_cursor, global_id};
use crate::types::connection::Listed;
use crate::types::date::Date;
use crate::types::page::Page;
use crate::types::report::unit_of;
use crate::types::unit::Unit;

/// Where a figure came from.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatSource {
    /// Typed in on the form.
    Manual,
    /// Uploaded from Meta Business Suite's Insights export.
    MetaCsv,
    /// Pulled from the Graph API.
    GraphApi,
}

impl From<stat_rules::StatSource> for StatSource {
    fn from(s: stat_rules::StatSource) -> Self {
        match s {
            stat_rules::StatSource::Manual => Self::Manual,
            stat_rules::StatSource::MetaCsv => Self::MetaCsv,
            stat_rules::StatSource::GraphApi => Self::GraphApi,
        }
    }
}

/// The source of each figure of a snapshot; null where the figure is not known.
#[derive(SimpleObject)]
pub struct StatSources {
    pub followers: Option<StatSource>,
    pub new_follows: Option<StatSource>,
    pub views: Option<StatSource>,
    pub engagements: Option<StatSource>,
    pub posts: Option<StatSource>,
}

/// A page's figures on a day (G8): followers at the day's end; new follows, views (reach),
/// post engagements and posts over the period ending that day.
pub struct PageStatSnapshot(pub Snapshot);

#[Object]
impl PageStatSnapshot {
    async fn day(&self) -> Date {
        Date(self.0.day)
    }

    /// The first day of the period the period figures cover (the day itself for a daily
    /// snapshot).
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }

    async fn followers(&self) -> Option<i64> {
        self.0.figures.followers
    }

    async fn new_follows(&self) -> Option<i64> {
        self.0.figures.new_follows
    }

    /// Views (reach).
    async fn views(&self) -> Option<i64> {
        self.0.figures.views
    }

    /// Post engagements.
    async fn engagements(&self) -> Option<i64> {
        self.0.figures.engagements
    }

    async fn posts(&self) -> Option<i64> {
        self.0.figures.posts
    }

    async fn sources(&self) -> StatSources {
        let s = self.0.sources;
        StatSources {
            followers: s.followers.map(Into::into),
            new_follows: s.new_follows.map(Into::into),
            views: s.views.map(Into::into),
            engagements: s.engagements.map(Into::into),
            posts: s.posts.map(Into::into),
        }
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Why the latest pull from the Graph API failed, as Facebook said it.
#[derive(SimpleObject)]
pub struct PullError {
    /// `TOKEN_EXPIRED`, `PERMISSION_MISSING`, `RATE_LIMITED`, `INSIGHTS_UNAVAILABLE`,
    /// `INVALID_METRIC`, `GRAPH_ERROR` or `GRAPH_UNREACHABLE`.
    pub code: String,
    /// What happened and what to do, in Vietnamese.
    pub message: String,
    pub at: DateTime<Utc>,
}

/// Whether a page pulls its figures from the Graph API. The token itself is never shown.
#[derive(SimpleObject)]
pub struct GraphApiConnection {
    /// A Page access token is stored.
    pub connected: bool,
    /// The Facebook Page the token opens.
    pub graph_page_id: Option<String>,
    pub graph_page_name: Option<String>,
    pub last_pulled_at: Option<DateTime<Utc>>,
    /// The latest pull's error; null after a successful one.
    pub last_error: Option<PullError>,
}

impl GraphApiConnection {
    pub fn of(stored: Option<store::stats::StoredToken>) -> Self {
        match stored {
            None => Self {
                connected: false,
                graph_page_id: None,
                graph_page_name: None,
                last_pulled_at: None,
                last_error: None,
            },
            Some(t) => Self {
                connected: true,
                graph_page_id: Some(t.graph_page_id),
                graph_page_name: t.graph_page_name,
                last_pulled_at: t.last_pulled_at,
                last_error: t.last_error.map(|e| PullError {
                    code: e.code,
                    message: e.message,
                    at: e.at,
                }),
            },
        }
    }
}

/// How a page stands on the share requests addressed to it.
#[derive(SimpleObject)]
pub struct ShareRecord {
    /// Shared by the deadline.
    pub shared: u64,
    /// Shared after the deadline.
    pub late: u64,
    /// Not shared, the deadline past.
    pub missed: u64,
}

/// How effective and far-reaching a page is (G8), computed from its statistics, its post log
/// and the share requests addressed to it.
pub struct PageEffectiveness(pub Effectiveness);

#[Object]
impl PageEffectiveness {
    /// Followers on the latest snapshot.
    async fn followers(&self) -> Option<i64> {
        self.0.followers
    }

    /// Followers gained over the last 30 days (from the snapshots).
    async fn growth_30_days(&self) -> Option<i64> {
        self.0.growth_30_days()
    }

    async fn growth_90_days(&self) -> Option<i64> {
        self.0.growth_90_days()
    }

    /// Posts logged in the last 30 days.
    async fn posts_30_days(&self) -> u64 {
        self.0.posts_30_days
    }

    /// Posts a week over the last 90 days.
    async fn posts_per_week(&self) -> f64 {
        self.0.posts_per_week()
    }

    async fn last_post_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_post_at
    }

    /// No post in the last 30 days.
    async fn inactive(&self) -> bool {
        self.0.inactive(Utc::now())
    }

    /// The share of requests shared by their deadline, 0–1; null when none was addressed.
    async fn share_compliance(&self) -> Option<f64> {
        self.0.share_compliance()
    }

    async fn shares(&self) -> ShareRecord {
        ShareRecord {
            shared: self.0.shares.shared,
            late: self.0.shares.late,
            missed: self.0.shares.not_yet,
        }
    }

    /// Post engagements per post over the last 30 days; null without posts or figures.
    async fn engagement_per_post(&self) -> Option<f64> {
        self.0.engagement_per_post()
    }
}

/// What a ranking orders by, the larger the better.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankBy {
    Followers,
    Growth30Days,
    Growth90Days,
    PostsPerWeek,
    ShareCompliance,
    EngagementPerPost,
}

impl From<RankBy> for rules::RankBy {
    fn from(r: RankBy) -> Self {
        match r {
            RankBy::Followers => Self::Followers,
            RankBy::Growth30Days => Self::Growth30Days,
            RankBy::Growth90Days => Self::Growth90Days,
            RankBy::PostsPerWeek => Self::PostsPerWeek,
            RankBy::ShareCompliance => Self::ShareCompliance,
            RankBy::EngagementPerPost => Self::EngagementPerPost,
        }
    }
}

/// One unit in a ranking.
pub struct RankedUnit(pub app::effect::Ranked);

#[Object]
impl RankedUnit {
    /// 1 for the best; equal figures share a rank; null without the figure (no page, no
    /// statistics).
    async fn rank(&self) -> Option<u32> {
        self.0.rank
    }

    async fn unit(&self) -> Unit {
        Unit(self.0.unit.clone())
    }

    async fn page(&self) -> Option<Page> {
        self.0.page.clone().map(Page)
    }

    async fn effectiveness(&self) -> PageEffectiveness {
        PageEffectiveness(self.0.figures)
    }
}

/// Sibling units ranked by their pages' figures.
pub struct Ranking {
    pub unit: domain::Unit,
    pub by: RankBy,
    pub items: Vec<app::effect::Ranked>,
}

#[Object]
impl Ranking {
    /// The unit whose children are ranked.
    async fn unit(&self) -> Unit {
        Unit(self.unit.clone())
    }

    async fn by(&self) -> RankBy {
        self.by
    }

    /// Best first; units without the figure last.
    async fn items(&self) -> Vec<RankedUnit> {
        self.items.iter().cloned().map(RankedUnit).collect()
    }
}

/// The rating of a review.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    /// Tốt.
    Good,
    /// Khá.
    Fair,
    /// Trung bình.
    Average,
    /// Yếu.
    Weak,
}

impl From<Rating> for rules::Rating {
    fn from(r: Rating) -> Self {
        match r {
            Rating::Good => Self::Good,
            Rating::Fair => Self::Fair,
            Rating::Average => Self::Average,
            Rating::Weak => Self::Weak,
        }
    }
}

impl From<rules::Rating> for Rating {
    fn from(r: rules::Rating) -> Self {
        match r {
            rules::Rating::Good => Self::Good,
            rules::Rating::Fair => Self::Fair,
            rules::Rating::Average => Self::Average,
            rules::Rating::Weak => Self::Weak,
        }
    }
}

/// The level above's assessment of a page for a period (G8).
pub struct PageReview(pub store::effect::Review);

#[Object]
impl PageReview {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::PageReview, self.0.id)
    }

    async fn page(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Page>> {
        let page = ctx
            .data_unchecked::<Loaders>()
            .page_by_id
            .load_one(self.0.page_id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(page.map(Page))
    }

    /// The page's unit.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        Ok(Unit(unit_of(ctx, self.0.unit_id).await?))
    }

    /// The reviewing committee.
    async fn reviewer_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(unit_of(ctx, self.0.reviewer_unit_id)
            .await?
            .committee_name())
    }

    /// As written: `2026-Q4`.
    async fn period(&self) -> &str {
        &self.0.period
    }

    /// In Vietnamese: "quý IV/2026".
    async fn period_label(&self) -> String {
        domain::effect::ReviewPeriod {
            label: self.0.period.clone(),
            start: self.0.period_start,
            end: self.0.period_end,
        }
        .label_vi()
    }

    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }

    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }

    async fn rating(&self) -> Rating {
        self.0.rating.into()
    }

    /// "Tốt", "Khá", "Trung bình" or "Yếu".
    async fn rating_label(&self) -> &'static str {
        self.0.rating.label()
    }

    async fn comments(&self) -> Option<&str> {
        self.0.comments.as_deref()
    }

    async fn recommendations(&self) -> Option<&str> {
        self.0.recommendations.as_deref()
    }

    /// The computed figures the review was written from, as they stood then.
    async fn figures(&self) -> PageEffectiveness {
        PageEffectiveness(self.0.figures)
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A review's place in a list (the latest first), as a cursor.
pub struct ReviewPosition(pub DateTime<Utc>, pub uuid::Uuid);

impl CursorType for ReviewPosition {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        crate::relay::decode_moment_cursor(s)
            .map(|(at, id)| Self(at, id))
            .map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_moment_cursor(self.0, self.1)
    }
}

pub type ReviewList = Listed<PageReview, ReviewPosition>;

/// Whom a unit told about its page.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudienceKind {
    /// A member organisation: Hội Nông dân, Hội Liên hiệp Phụ nữ, Đoàn Thanh niên, Hội Cựu
    /// chiến binh, Công đoàn, …
    MemberOrganisation,
    /// A residential area: thôn, tổ dân phố, khu phố.
    ResidentialArea,
    Other,
}

impl AudienceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MemberOrganisation => "MEMBER_ORGANISATION",
            Self::ResidentialArea => "RESIDENTIAL_AREA",
            Self::Other => "OTHER",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "MEMBER_ORGANISATION" => Self::MemberOrganisation,
            "RESIDENTIAL_AREA" => Self::ResidentialArea,
            _ => Self::Other,
        }
    }
}

/// How they were told.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutreachChannel {
    /// A meeting or conference.
    Meeting,
    /// A Zalo group or message.
    Zalo,
    /// The commune's loudspeakers.
    Loudspeaker,
    /// The notice board of the cultural house (the QR poster).
    NoticeBoard,
    /// An official document.
    Document,
    Other,
}

impl OutreachChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meeting => "MEETING",
            Self::Zalo => "ZALO",
            Self::Loudspeaker => "LOUDSPEAKER",
            Self::NoticeBoard => "NOTICE_BOARD",
            Self::Document => "DOCUMENT",
            Self::Other => "OTHER",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "MEETING" => Self::Meeting,
            "ZALO" => Self::Zalo,
            "LOUDSPEAKER" => Self::Loudspeaker,
            "NOTICE_BOARD" => Self::NoticeBoard,
            "DOCUMENT" => Self::Document,
            _ => Self::Other,
        }
    }
}

/// One entry of a unit's outreach log (G7).
pub struct OutreachEntry(pub store::effect::OutreachEntry);

#[Object]
impl OutreachEntry {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::OutreachEntry, self.0.id)
    }

    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        Ok(Unit(unit_of(ctx, self.0.unit_id).await?))
    }

    async fn audience_kind(&self) -> AudienceKind {
        AudienceKind::parse(&self.0.audience_kind)
    }

    /// e.g. "Hội Nông dân xã", "Thôn Phú Mỹ".
    async fn audience(&self) -> &str {
        &self.0.audience
    }

    async fn channel(&self) -> OutreachChannel {
        OutreachChannel::parse(&self.0.channel)
    }

    async fn informed_on(&self) -> Date {
        Date(self.0.informed_on)
    }

    /// About how many people were told.
    async fn reached(&self) -> Option<i32> {
        self.0.reached
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// An outreach entry's place in a list (the latest first), as a cursor.
pub struct OutreachPosition(pub NaiveDate, pub uuid::Uuid);

impl CursorType for OutreachPosition {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_outreach_cursor(s).map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_cursor(&format!("{}|{}", self.0, self.1))
    }
}

pub(crate) fn decode_outreach_cursor(cursor: &str) -> Result<OutreachPosition, ApiError> {
    let text = decode_cursor(cursor)?;
    text.split_once('|')
        .and_then(|(day, id)| Some(OutreachPosition(day.parse().ok()?, id.parse().ok()?)))
        .ok_or_else(|| ApiError::validation("after", "Con trỏ phân trang không hợp lệ."))
}

pub type OutreachList = Listed<OutreachEntry, OutreachPosition>;

/// The statistics of a subtree's pages on one day of a series.
#[derive(SimpleObject)]
pub struct StatsPoint {
    pub date: Date,
    /// The followers of the subtree's pages at the day's end (each page's latest snapshot by
    /// then, summed); null when none had one.
    pub followers: Option<i64>,
    /// Posts logged as published since the previous point (on the day, for the first).
    pub posts: u64,
}
