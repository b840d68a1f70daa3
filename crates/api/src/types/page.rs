//! Community pages, their staff and their history, as the API shows them.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use domain::page::{self as rules, PageStatus as Status};
use domain::page_name::{NameCheck as Check, PageName};
use store::pages::{PageCursor, ReportedCursor};
use store::people::PersonCursor;

use super::connection::Listed;
use super::date::Date;
use super::unit::Unit;
use crate::error::AppResultExt;
use crate::loaders::Loaders;
use crate::relay::{
    NodeKind, decode_cursor, decode_moment_cursor, encode_cursor, encode_moment_cursor, global_id,
};
use crate::{ApiError, auth};

/// Where a page lives.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Facebook,
    Zalo,
    Youtube,
    Tiktok,
    Website,
}

impl From<rules::Platform> for Platform {
    fn from(p: rules::Platform) -> Self {
        match p {
            rules::Platform::Facebook => Self::Facebook,
            rules::Platform::Zalo => Self::Zalo,
            rules::Platform::Youtube => Self::Youtube,
            rules::Platform::Tiktok => Self::Tiktok,
            rules::Platform::Website => Self::Website,
        }
    }
}

impl From<Platform> for rules::Platform {
    fn from(p: Platform) -> Self {
        match p {
            Platform::Facebook => Self::Facebook,
            Platform::Zalo => Self::Zalo,
            Platform::Youtube => Self::Youtube,
            Platform::Tiktok => Self::Tiktok,
            Platform::Website => Self::Website,
        }
    }
}

/// Where a page stands: DRAFT → ESTABLISHED (has its link) → REPORTED (sent to the level
/// above) → VERIFIED, or RETURNED with a reason; SUSPENDED and CLOSED by an admin.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStatus {
    /// Being set up: no link yet.
    Draft,
    /// Exists on the platform, not yet reported to the level above.
    Established,
    /// Name and link sent to the level above, waiting for its verification.
    Reported,
    /// Checked and accepted by an admin of a unit above.
    Verified,
    /// Sent back by the level above with a reason, to be fixed and reported again.
    Returned,
    /// Taken out of use for a while by an admin.
    Suspended,
    /// No longer the unit's page.
    Closed,
}

impl From<Status> for PageStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Draft => Self::Draft,
            Status::Established => Self::Established,
            Status::Reported => Self::Reported,
            Status::Verified => Self::Verified,
            Status::Returned => Self::Returned,
            Status::Suspended => Self::Suspended,
            Status::Closed => Self::Closed,
        }
    }
}

impl From<PageStatus> for Status {
    fn from(s: PageStatus) -> Self {
        match s {
            PageStatus::Draft => Self::Draft,
            PageStatus::Established => Self::Established,
            PageStatus::Reported => Self::Reported,
            PageStatus::Verified => Self::Verified,
            PageStatus::Returned => Self::Returned,
            PageStatus::Suspended => Self::Suspended,
            PageStatus::Closed => Self::Closed,
        }
    }
}

/// The two duties on every page (G10).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    /// Lãnh đạo phụ trách: the leader in charge.
    Leader,
    /// Cán bộ quản lý, vận hành: the officer who runs the page.
    Operator,
}

impl From<rules::Duty> for Duty {
    fn from(d: rules::Duty) -> Self {
        match d {
            rules::Duty::Leader => Self::Leader,
            rules::Duty::Operator => Self::Operator,
        }
    }
}

impl From<Duty> for rules::Duty {
    fn from(d: Duty) -> Self {
        match d {
            Duty::Leader => Self::Leader,
            Duty::Operator => Self::Operator,
        }
    }
}

/// Whether a page has a current leader and a current operator.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staffing {
    /// Both duties held.
    Complete,
    /// A duty vacant: the pages to staff.
    Incomplete,
}

impl From<Staffing> for rules::Staffing {
    fn from(s: Staffing) -> Self {
        match s {
            Staffing::Complete => Self::Complete,
            Staffing::Incomplete => Self::Incomplete,
        }
    }
}

/// A proposed page name checked against the name the guideline prescribes.
pub struct NameCheck {
    name: PageName,
    proposed: String,
}

impl NameCheck {
    pub fn new(name: PageName, proposed: impl Into<String>) -> Self {
        Self {
            name,
            proposed: proposed.into(),
        }
    }
}

#[Object]
impl NameCheck {
    /// Whether the name is the prescribed one (ignoring case, runs of spaces, NFC/NFD and
    /// where a tone mark sits).
    async fn conforms(&self) -> bool {
        self.name.conforms(&self.proposed)
    }

    /// The prescribed name, e.g. "Mặt trận Phú Ninh (tỉnh Quảng Nam)".
    async fn expected(&self) -> String {
        self.name.display()
    }

    /// What is wrong, in Vietnamese; empty when the name conforms.
    async fn problems(&self) -> Vec<String> {
        let Check { problems, .. } = self.name.check(&self.proposed);
        problems
    }
}

/// The prescribed page name of `unit`, read from the units above it through the request's
/// loader (one statement for a whole list), whether or not the viewer reads those units.
pub async fn page_name(ctx: &Context<'_>, unit: &domain::Unit) -> Result<PageName, ApiError> {
    let codes: Vec<String> = unit
        .path
        .ancestors()
        .into_iter()
        .rev()
        .map(|above| above.code().to_owned())
        .filter(|code| code != unit.code.as_str())
        .collect();
    let found = ctx
        .data_unchecked::<Loaders>()
        .unit_by_code
        .load_many(codes.iter().cloned())
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
    Ok(app::pages::page_name_of(
        unit,
        codes.iter().filter_map(|code| found.get(code)),
    ))
}

async fn unit_of(ctx: &Context<'_>, unit_id: uuid::Uuid) -> Result<domain::Unit, ApiError> {
    ctx.data_unchecked::<Loaders>()
        .unit_by_id
        .load_one(unit_id)
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
        .ok_or_else(|| ApiError::internal_message(ctx, "page without its unit"))
}

/// A unit's Community Page on a platform (G1, G6).
pub struct Page(pub rules::Page);

impl Page {
    async fn current_staff(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Arc<Vec<rules::Assignment>>, ApiError> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .current_staff
            .load_one(self.0.id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            .unwrap_or_default())
    }

    async fn holder(
        &self,
        ctx: &Context<'_>,
        duty: rules::Duty,
    ) -> Result<Option<Person>, ApiError> {
        let staff = self.current_staff(ctx).await?;
        let Some(held) = staff.iter().find(|a| a.duty == duty) else {
            return Ok(None);
        };
        person_by_id(ctx, held.person_id).await
    }
}

async fn person_by_id(ctx: &Context<'_>, id: uuid::Uuid) -> Result<Option<Person>, ApiError> {
    Ok(ctx
        .data_unchecked::<Loaders>()
        .person_by_id
        .load_one(id)
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
        .map(Person))
}

#[Object]
impl Page {
    /// Global id.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Page, self.0.id)
    }

    /// The unit whose page it is.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        Ok(Unit(unit_of(ctx, self.0.unit_id).await?))
    }

    async fn platform(&self) -> Platform {
        self.0.platform.into()
    }

    /// The page's display name, as registered.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The page's link, in canonical form (for Facebook: `https://www.facebook.com/…`); null
    /// while the page is a draft.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    async fn status(&self) -> PageStatus {
        self.0.status.into()
    }

    /// The status as officers read it, e.g. "Đã báo cáo".
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }

    /// The day the page was set up on its platform.
    async fn established_on(&self) -> Option<Date> {
        self.0.established_on.map(Date)
    }

    /// The organisation that helps build the page (G5), e.g. "Huyện đoàn Phú Ninh".
    async fn supported_by(&self) -> Option<&str> {
        self.0.supported_by.as_deref()
    }

    /// How to reach the supporting organisation.
    async fn supporter_contact(&self) -> Option<&str> {
        self.0.supporter_contact.as_deref()
    }

    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    /// Raised by every change; `updatePage` takes it as `expectedVersion`, so an edit made on
    /// an older version is refused instead of overwriting someone else's.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The name checked against the prescribed one, from the unit tree as it is now.
    async fn name_check(&self, ctx: &Context<'_>) -> async_graphql::Result<NameCheck> {
        let unit = unit_of(ctx, self.0.unit_id).await?;
        Ok(NameCheck::new(
            page_name(ctx, &unit).await?,
            self.0.name.as_str(),
        ))
    }

    /// The leader in charge (lãnh đạo phụ trách), if one is assigned.
    async fn leader(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(self.holder(ctx, rules::Duty::Leader).await?)
    }

    /// The officer who runs the page (cán bộ quản lý, vận hành), if one is assigned.
    async fn operator(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(self.holder(ctx, rules::Duty::Operator).await?)
    }

    /// Whether both the leader and the operator are assigned.
    async fn staffing_complete(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let staff = self.current_staff(ctx).await?;
        Ok(rules::Duty::ALL
            .iter()
            .all(|duty| staff.iter().any(|a| a.duty == *duty)))
    }

    /// Every assignment of the page's duties, current and past, the latest first.
    async fn assignments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Assignment>> {
        let all = ctx
            .data_unchecked::<Loaders>()
            .assignments
            .load_one(self.0.id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            .unwrap_or_default();
        Ok(all.iter().cloned().map(Assignment).collect())
    }

    /// What happened to the page, oldest first: creation, edits and every status change,
    /// with who, when and why.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PageEvent>> {
        let events = ctx
            .data_unchecked::<Loaders>()
            .history
            .load_one(self.0.id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            .unwrap_or_default();
        Ok(events.iter().cloned().map(PageEvent).collect())
    }

    /// When the page was last reported to the level above.
    async fn reported_at(&self) -> Option<DateTime<Utc>> {
        self.0.reported_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The page's statistics from `from` to `to` (both included, at most 400 days; the last
    /// 90 days when omitted), by day: typed in, uploaded from Meta's export or pulled from
    /// the Graph API.
    #[graphql(complexity = "20 + child_complexity * 10")]
    async fn stats(
        &self,
        ctx: &Context<'_>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> async_graphql::Result<Vec<super::stats::PageStatSnapshot>> {
        let to = to.map_or_else(app::pages::today, |d| d.0);
        let from = from.map_or_else(|| to - chrono::Duration::days(90), |d| d.0);
        if from > to || (to - from).num_days() > 400 {
            return Err(ApiError::validation(
                "from",
                "Khoảng thời gian phải từ 1 đến 400 ngày, ngày đầu không sau ngày cuối.",
            )
            .into());
        }
        let db = ctx.data_unchecked::<store::Db>();
        let found = app::stats::series(db, &[self.0.id], from, to)
            .await
            .or_api(ctx)?;
        Ok(found
            .into_iter()
            .map(super::stats::PageStatSnapshot)
            .collect())
    }

    /// The page's followers (latest snapshot by each day) and the posts logged for it at the
    /// end of each day (or week) from `from` to `to` (at most 60 points; the last 12 weeks
    /// when omitted), for charts.
    #[graphql(complexity = "20 + child_complexity * 10")]
    async fn activity(
        &self,
        ctx: &Context<'_>,
        from: Option<Date>,
        to: Option<Date>,
        #[graphql(default_with = "super::report::ProgressStep::Week")]
        every: super::report::ProgressStep,
    ) -> async_graphql::Result<Vec<super::stats::StatsPoint>> {
        let to = to.map_or_else(app::pages::today, |d| d.0);
        let from = from.map_or_else(|| to - chrono::Duration::weeks(12), |d| d.0);
        let db = ctx.data_unchecked::<store::Db>();
        let points = app::stats::page_history(db, self.0.id, from, to, every.into())
            .await
            .or_api(ctx)?;
        Ok(points
            .into_iter()
            .map(|(day, p)| super::stats::StatsPoint {
                date: Date(day),
                followers: p.followers,
                posts: p.posts,
            })
            .collect())
    }

    /// Whether the page pulls its statistics from the Graph API, and how the latest pull
    /// went. The token is never returned.
    async fn graph_api(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::stats::GraphApiConnection> {
        let stored = ctx
            .data_unchecked::<Loaders>()
            .token_of
            .load_one(self.0.id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(super::stats::GraphApiConnection::of(stored))
    }

    /// How effective and far-reaching the page is (G8): followers and growth, posts a week,
    /// the last post, share compliance, engagement per post; inactive after 30 days without
    /// a post.
    async fn effectiveness(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::stats::PageEffectiveness> {
        let figures = ctx
            .data_unchecked::<Loaders>()
            .effectiveness
            .load_one(self.0.id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            .unwrap_or_default();
        Ok(super::stats::PageEffectiveness(figures))
    }

    /// What the viewer may do to this page, as the server will decide it: a client shows
    /// only these actions.
    async fn viewer_can(&self, ctx: &Context<'_>) -> async_graphql::Result<PagePermissions> {
        let actor = auth::actor(ctx).await?;
        let unit = unit_of(ctx, self.0.unit_id).await?;
        Ok(rules::page_permissions(&actor, self.0.status, self.0.url.is_some(), &unit.path).into())
    }
}

/// What the viewer may do to a page (`Page.viewerCan`).
#[derive(SimpleObject)]
#[expect(clippy::struct_excessive_bools, reason = "one flag per action")]
pub struct PagePermissions {
    /// Change its details, and assign its leader and operator.
    pub update: bool,
    /// Report it to the level above (`reportPage`).
    pub report: bool,
    /// Verify it (`verifyPage`).
    pub verify: bool,
    /// Return it with a reason (`returnPage`).
    pub return_page: bool,
    pub suspend: bool,
    pub close: bool,
    pub reopen: bool,
}

impl From<rules::PagePermissions> for PagePermissions {
    fn from(p: rules::PagePermissions) -> Self {
        Self {
            update: p.update,
            report: p.report,
            verify: p.verify,
            return_page: p.return_page,
            suspend: p.suspend,
            close: p.close,
            reopen: p.reopen,
        }
    }
}

/// One entry of a page's history.
pub struct PageEvent(pub rules::PageEvent);

#[Object]
impl PageEvent {
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// `create`, `update`, `report`, `verify`, `return`, `suspend`, `close` or `reopen`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The step as officers read it, e.g. "Báo cáo lên cấp trên".
    async fn action_label(&self) -> &'static str {
        rules::history_label(&self.0.action)
    }

    /// The status before, as officers read it.
    async fn from_status_label(&self) -> Option<&'static str> {
        self.0.from_status.map(Status::label)
    }

    /// The status after, as officers read it.
    async fn to_status_label(&self) -> &'static str {
        self.0.to_status.label()
    }

    /// The status before; null when the step did not change it, or for the creation.
    async fn from_status(&self) -> Option<PageStatus> {
        self.0.from_status.map(Into::into)
    }

    /// The status after.
    async fn to_status(&self) -> PageStatus {
        self.0.to_status.into()
    }

    /// Why, when a reason was given (a return always has one).
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// Who: the account's display name, or "Quản trị máy chủ" for the server's operator.
    async fn actor_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let Some(id) = self.0.actor_id else {
            return Ok("Quản trị máy chủ".to_owned());
        };
        let name = ctx
            .data_unchecked::<Loaders>()
            .account_name
            .load_one(id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(name.map_or_else(|| "Tài khoản đã xoá".to_owned(), |(_, display)| display))
    }
}

/// An officer (cán bộ) of a unit.
pub struct Person(pub domain::staff::Person);

#[Object]
impl Person {
    /// Global id.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Person, self.0.id)
    }

    /// The unit the officer belongs to.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        Ok(Unit(unit_of(ctx, self.0.unit_id).await?))
    }

    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// Chức vụ, e.g. "Phó Chủ tịch Ủy ban MTTQ huyện".
    async fn position(&self) -> &str {
        &self.0.position
    }

    /// In national form, e.g. "0912345678".
    async fn phone(&self) -> &str {
        &self.0.phone
    }

    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Raised by every change (`updatePerson` takes it as `expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Whether the officer was taken off the unit's list (kept for the assignment history).
    async fn removed(&self) -> bool {
        self.0.removed_at.is_some()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Who held (or holds) a duty on a page, from when to when.
pub struct Assignment(pub rules::Assignment);

#[Object]
impl Assignment {
    async fn duty(&self) -> Duty {
        self.0.duty.into()
    }

    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Person> {
        Ok(person_by_id(ctx, self.0.person_id)
            .await?
            .ok_or_else(|| ApiError::internal_message(ctx, "assignment without its person"))?)
    }

    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }

    /// Null while the person still holds the duty.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }

    /// Whether the person holds the duty now.
    async fn current(&self) -> bool {
        self.0.ends_on.is_none()
    }
}

/// A page's place in a page list, as a connection's cursor: in tree order (`pages`) or in
/// the order of reporting (`pagesAwaitingVerification`).
pub enum PagePosition {
    Tree(PageCursor),
    Reported(ReportedCursor),
}

impl async_graphql::connection::CursorType for PagePosition {
    type Error = &'static str;

    /// Not used: a list reads its `after` argument with the rest of its arguments.
    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_page_cursor(s)
            .map(Self::Tree)
            .map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        match self {
            Self::Tree(c) => encode_cursor(&format!("{}|{}", c.unit_path, c.id)),
            Self::Reported(c) => encode_moment_cursor(c.reported_at, c.id),
        }
    }
}

fn bad_cursor() -> ApiError {
    ApiError::validation("after", "Con trỏ phân trang không hợp lệ.")
}

pub fn decode_page_cursor(cursor: &str) -> Result<PageCursor, ApiError> {
    let text = decode_cursor(cursor)?;
    let (path, id) = text.rsplit_once('|').ok_or_else(bad_cursor)?;
    Ok(PageCursor {
        unit_path: path.to_owned(),
        id: id.parse().map_err(|_| bad_cursor())?,
    })
}

pub fn decode_reported_cursor(cursor: &str) -> Result<ReportedCursor, ApiError> {
    let (reported_at, id) = decode_moment_cursor(cursor)?;
    Ok(ReportedCursor { reported_at, id })
}

/// A list of pages as a connection.
pub type PageList = Listed<Page, PagePosition>;

/// A person's place in a unit's list of people, as a connection's cursor.
pub struct PersonPosition(pub PersonCursor);

impl async_graphql::connection::CursorType for PersonPosition {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_person_cursor(s)
            .map(Self)
            .map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_cursor(&format!("{}|{}", self.0.key, self.0.id))
    }
}

pub fn decode_person_cursor(cursor: &str) -> Result<PersonCursor, ApiError> {
    let text = decode_cursor(cursor)?;
    let (key, id) = text.rsplit_once('|').ok_or_else(bad_cursor)?;
    Ok(PersonCursor {
        key: key.to_owned(),
        id: id.parse().map_err(|_| bad_cursor())?,
    })
}

/// A list of people as a connection.
pub type PersonList = Listed<Person, PersonPosition>;
