//! Campaigns (`Campaign`, `CampaignProgress`), the post log (`Post`) and share requests
//! (`ShareRequest`, `ShareCompliance`, `AskedPage`).
//!
//! A campaign or share request is read by the units below the one that issued it as well
//! as above (a commune follows its province's campaigns), but that unit itself, its page
//! and its staff stay outside a reader's subtree: such objects carry the issuing unit's name
//! (`unitName`) and leave `unit` null.

use async_graphql::connection::CursorType;
use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use domain::campaign::{self as rules, Compliance};
use domain::policy::{Action, can};
use store::campaigns::{AskedPage as Asked, RequestForPage};
use store::{Db, SliceRequest};

use crate::error::AppResultExt;
use crate::loaders::Loaders;
use crate::relay::{
    NodeKind, decode_cursor, decode_moment_cursor, encode_cursor, encode_moment_cursor, global_id,
    list_limit,
};
use crate::types::connection::{Listed, listed};
use crate::types::date::Date;
use crate::types::page::Page;
use crate::types::report::unit_of;
use crate::types::unit::{Unit, UnitLevel, UnitList, UnitPosition, decode_unit_cursor};
use crate::{ApiError, auth};

/// The weight of counting a campaign's or request's figures over a subtree.
pub const TALLY_COST: usize = 50;

/// Loads the units of a list's items at once, before the items' fields ask for them one by
/// one: fields at different depths would otherwise reach the loader at different moments
/// and, on a busy server, split its batch in two.
pub(crate) async fn prime_units(
    ctx: &Context<'_>,
    ids: impl IntoIterator<Item = uuid::Uuid>,
) -> Result<(), ApiError> {
    ctx.data_unchecked::<Loaders>()
        .unit_by_id
        .load_many(ids)
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
    Ok(())
}

/// Whether the viewer reads the unit at `path` itself (not only its directives).
async fn reads(ctx: &Context<'_>, path: &domain::UnitPath) -> Result<bool, ApiError> {
    let actor = auth::actor(ctx).await?;
    Ok(can(&actor, Action::Read, path).is_ok())
}

/// The unit of an issuing object, if the viewer reads it.
async fn readable_unit(
    ctx: &Context<'_>,
    unit_id: uuid::Uuid,
) -> async_graphql::Result<Option<Unit>> {
    let unit = unit_of(ctx, unit_id).await?;
    Ok(reads(ctx, &unit.path).await?.then_some(Unit(unit)))
}

/// The unit under which to count: `unitCode`, or the issuing unit when the viewer reads it,
/// else the viewer's own.
async fn drill(
    ctx: &Context<'_>,
    issuing_unit: uuid::Uuid,
    unit_code: Option<&str>,
) -> async_graphql::Result<domain::Unit> {
    let actor = auth::actor(ctx).await?;
    let db = ctx.data_unchecked::<Db>();
    let issuing = unit_of(ctx, issuing_unit).await?;
    Ok(
        app::campaigns::drill_unit(db, app::By::Account(&actor), &issuing, unit_code)
            .await
            .or_api(ctx)?,
    )
}

/// A peak propaganda campaign (đợt tuyên truyền cao điểm, G9) directed by a unit for its
/// subtree.
#[derive(Clone)]
pub struct Campaign(pub rules::Campaign);

#[Object]
impl Campaign {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Campaign, self.0.id)
    }

    /// The directing unit; null when it is above the viewer's own.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        readable_unit(ctx, self.0.unit_id).await
    }

    /// The directing committee, e.g. "Ủy ban MTTQ Tỉnh Quảng Nam".
    async fn unit_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(unit_of(ctx, self.0.unit_id).await?.committee_name())
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn theme(&self) -> Option<&str> {
        self.0.theme.as_deref()
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }

    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }

    /// Whether it runs today (Việt Nam's day).
    async fn active(&self) -> bool {
        self.0.active_on(app::pages::today())
    }

    /// With their `#`.
    async fn hashtags(&self) -> &[String] {
        &self.0.hashtags
    }

    async fn key_messages(&self) -> &[String] {
        &self.0.key_messages
    }

    /// Links to the campaign's materials.
    async fn materials(&self) -> &[String] {
        &self.0.materials
    }

    /// The levels whose units take part.
    async fn levels(&self) -> Vec<UnitLevel> {
        self.0.levels.iter().map(|l| (*l).into()).collect()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// How many of the units taking part have logged posts under it, under `unitCode` (by
    /// default the directing unit when the viewer reads it, else the viewer's own), with a
    /// line per unit directly below.
    #[graphql(complexity = "TALLY_COST + child_complexity")]
    async fn progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads, in the campaign's subtree.")] unit_code: Option<
            String,
        >,
    ) -> async_graphql::Result<CampaignProgress> {
        let root = drill(ctx, self.0.unit_id, unit_code.as_deref()).await?;
        let db = ctx.data_unchecked::<Db>();
        let (total, children) = app::campaigns::progress(db, &self.0, &root)
            .await
            .or_api(ctx)?;
        Ok(CampaignProgress {
            campaign: self.0.clone(),
            total,
            children,
        })
    }
}

/// A campaign's progress in a subtree.
pub struct CampaignProgress {
    campaign: rules::Campaign,
    total: app::campaigns::Progress,
    children: Vec<app::campaigns::Progress>,
}

/// One unit directly below, in a campaign's progress.
pub struct ChildProgress(app::campaigns::Progress);

#[Object]
impl ChildProgress {
    async fn unit(&self) -> Unit {
        Unit(self.0.unit.clone())
    }

    /// Units under it (itself included) of the levels taking part.
    async fn units(&self) -> u64 {
        self.0.units
    }

    /// Of them, those that logged at least one post under the campaign.
    async fn posted(&self) -> u64 {
        self.0.posted
    }

    /// Posts logged under the campaign by them.
    async fn posts(&self) -> u64 {
        self.0.posts
    }

    /// `posted / units`, 0–1.
    async fn share(&self) -> f64 {
        rules::ratio(self.0.posted, self.0.units)
    }
}

#[Object]
impl CampaignProgress {
    /// The subtree counted.
    async fn unit(&self) -> Unit {
        Unit(self.total.unit.clone())
    }

    /// Units of the subtree of the levels taking part.
    async fn units(&self) -> u64 {
        self.total.units
    }

    /// Of them, those that logged at least one post under the campaign.
    async fn posted(&self) -> u64 {
        self.total.posted
    }

    /// Posts logged under the campaign in the subtree.
    async fn posts(&self) -> u64 {
        self.total.posts
    }

    /// `posted / units`, 0–1.
    async fn share(&self) -> f64 {
        rules::ratio(self.total.posted, self.total.units)
    }

    /// One line per unit directly below, by code.
    async fn children(&self) -> Vec<ChildProgress> {
        self.children.iter().cloned().map(ChildProgress).collect()
    }

    /// Every unit of the subtree taking part, each with its posts under the campaign —
    /// optionally only those that posted (`posted: true`) or not — by tier, then by code.
    #[graphql(complexity = "crate::types::unit::list_complexity(first, child_complexity)")]
    async fn participants(
        &self,
        ctx: &Context<'_>,
        posted: Option<bool>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<ParticipantList> {
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_unit_cursor).transpose()?,
        };
        let mut found =
            app::campaigns::participants(db, &self.campaign, &self.total.unit, posted, &slice)
                .await
                .or_api(ctx)?;
        found.total = Some(match posted {
            None => self.total.units,
            Some(true) => self.total.posted,
            Some(false) => self.total.units - self.total.posted,
        });
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |(unit, _): &(domain::Unit, u64)| UnitPosition::of(unit),
            |(unit, posts)| Participant(unit, posts),
            |_| async { Ok::<u64, store::StoreError>(0) },
        ))
    }

    /// The units taking part that have logged nothing yet: by tier, then by code.
    #[graphql(complexity = "crate::types::unit::list_complexity(first, child_complexity)")]
    async fn silent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<UnitList> {
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_unit_cursor).transpose()?,
        };
        let mut found = app::campaigns::silent_units(db, &self.campaign, &self.total.unit, &slice)
            .await
            .or_api(ctx)?;
        found.total = Some(self.total.units - self.total.posted);
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            UnitPosition::of,
            Unit,
            |_| async { Ok::<u64, store::StoreError>(0) },
        ))
    }
}

/// A unit taking part in a campaign, with the posts it logged under it.
pub struct Participant(domain::Unit, u64);

#[Object]
impl Participant {
    async fn unit(&self) -> Unit {
        Unit(self.0.clone())
    }

    /// Posts it logged under the campaign.
    async fn posts(&self) -> u64 {
        self.1
    }
}

/// A list of the units taking part in a campaign, as a connection.
pub type ParticipantList = Listed<Participant, UnitPosition>;

/// A campaign's place in a list (the latest start first), as a cursor.
pub struct CampaignPosition(pub store::campaigns::CampaignCursor);

impl CursorType for CampaignPosition {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_campaign_cursor(s)
            .map(Self)
            .map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_cursor(&format!("{}|{}", self.0.starts_on, self.0.id))
    }
}

pub(crate) fn decode_campaign_cursor(
    cursor: &str,
) -> Result<store::campaigns::CampaignCursor, ApiError> {
    let text = decode_cursor(cursor)?;
    text.split_once('|')
        .and_then(|(day, id)| {
            Some(store::campaigns::CampaignCursor {
                starts_on: day.parse().ok()?,
                id: id.parse().ok()?,
            })
        })
        .ok_or_else(|| ApiError::validation("after", "Con trỏ phân trang không hợp lệ."))
}

/// A list of campaigns as a connection.
pub type CampaignList = Listed<Campaign, CampaignPosition>;

/// Whether a post is the unit's own or a share.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    /// The unit's own content.
    Original,
    /// A share of another unit's logged post.
    Share,
}

impl From<rules::PostKind> for PostKind {
    fn from(k: rules::PostKind) -> Self {
        match k {
            rules::PostKind::Original => Self::Original,
            rules::PostKind::Share => Self::Share,
        }
    }
}

impl From<PostKind> for rules::PostKind {
    fn from(k: PostKind) -> Self {
        match k {
            PostKind::Original => Self::Original,
            PostKind::Share => Self::Share,
        }
    }
}

/// A post of a unit's page, as logged (G8).
#[derive(Clone)]
pub struct Post(pub rules::Post);

/// What the viewer may do with a post.
#[derive(async_graphql::SimpleObject)]
pub struct PostPermissions {
    /// Ask the pages below to share it (`requestShares`): an admin of its unit.
    pub request_shares: bool,
}

#[Object]
impl Post {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Post, self.0.id)
    }

    /// The page it was posted on; null when that page's unit is above the viewer's own.
    async fn page(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Page>> {
        let unit = unit_of(ctx, self.0.unit_id).await?;
        if !reads(ctx, &unit.path).await? {
            return Ok(None);
        }
        let page = ctx
            .data_unchecked::<Loaders>()
            .page_by_id
            .load_one(self.0.page_id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(page.map(Page))
    }

    /// The unit of its page; null when above the viewer's own.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        readable_unit(ctx, self.0.unit_id).await
    }

    /// The committee of its page, e.g. "Ủy ban MTTQ Tỉnh Quảng Nam".
    async fn unit_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(unit_of(ctx, self.0.unit_id).await?.committee_name())
    }

    /// The post's link on Facebook, canonical.
    async fn url(&self) -> &str {
        &self.0.url
    }

    async fn kind(&self) -> PostKind {
        self.0.kind.into()
    }

    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }

    /// Its title or summary.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    async fn logged_at(&self) -> DateTime<Utc> {
        self.0.logged_at
    }

    /// For a share, the post it shares (when the viewer reads it).
    async fn shared_from(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Post>> {
        let Some(id) = self.0.shared_from else {
            return Ok(None);
        };
        let loaders = ctx.data_unchecked::<Loaders>();
        let Some(source) = loaders
            .post_by_id
            .load_one(id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
        else {
            return Ok(None);
        };
        let unit = unit_of(ctx, source.unit_id).await?;
        let actor = auth::actor(ctx).await?;
        let readable = can(&actor, Action::Read, &unit.path).is_ok()
            || (can(&actor, Action::ReadDirective, &unit.path).is_ok()
                && loaders
                    .share_request_of_post
                    .load_one(source.id)
                    .await
                    .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
                    .is_some());
        Ok(readable.then_some(Post(source)))
    }

    /// The campaigns it was logged under (those the viewer reads).
    async fn campaigns(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Campaign>> {
        let actor = auth::actor(ctx).await?;
        let found = ctx
            .data_unchecked::<Loaders>()
            .campaign_by_id
            .load_many(self.0.campaign_ids.iter().copied())
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        let mut campaigns = Vec::with_capacity(found.len());
        for id in &self.0.campaign_ids {
            if let Some(c) = found.get(id) {
                let unit = unit_of(ctx, c.unit_id).await?;
                if can(&actor, Action::ReadDirective, &unit.path).is_ok() {
                    campaigns.push(Campaign(c.clone()));
                }
            }
        }
        Ok(campaigns)
    }

    /// The request to share it, if its unit's admin made one.
    async fn share_request(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ShareRequest>> {
        let request = ctx
            .data_unchecked::<Loaders>()
            .share_request_of_post
            .load_one(self.0.id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(request.map(ShareRequest::new))
    }

    /// What the viewer may do with it, as the server will decide it.
    async fn viewer_can(&self, ctx: &Context<'_>) -> async_graphql::Result<PostPermissions> {
        let actor = auth::actor(ctx).await?;
        let unit = unit_of(ctx, self.0.unit_id).await?;
        Ok(PostPermissions {
            request_shares: self.0.kind == rules::PostKind::Original
                && can(&actor, Action::RequestShares, &unit.path).is_ok(),
        })
    }
}

/// A post's place in a list (the latest published first), as a cursor.
pub struct PostPosition(pub store::campaigns::PostCursor);

impl CursorType for PostPosition {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_moment_cursor(s)
            .map(|(published_at, id)| Self(store::campaigns::PostCursor { published_at, id }))
            .map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_moment_cursor(self.0.published_at, self.0.id)
    }
}

/// A list of posts as a connection.
pub type PostList = Listed<Post, PostPosition>;

/// Where a page stands on a share request.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareStatus {
    /// Shared by the deadline.
    Shared,
    /// Shared after the deadline.
    Late,
    /// Not shared yet.
    NotYet,
}

impl From<rules::ShareStatus> for ShareStatus {
    fn from(s: rules::ShareStatus) -> Self {
        match s {
            rules::ShareStatus::Shared => Self::Shared,
            rules::ShareStatus::Late => Self::Late,
            rules::ShareStatus::NotYet => Self::NotYet,
        }
    }
}

impl From<ShareStatus> for rules::ShareStatus {
    fn from(s: ShareStatus) -> Self {
        match s {
            ShareStatus::Shared => Self::Shared,
            ShareStatus::Late => Self::Late,
            ShareStatus::NotYet => Self::NotYet,
        }
    }
}

/// How many pages stand where on a share request.
pub struct ShareCompliance(Compliance);

#[Object]
impl ShareCompliance {
    /// Pages that shared by the deadline.
    async fn shared(&self) -> u64 {
        self.0.shared
    }

    /// Pages that have not shared yet.
    async fn not_yet(&self) -> u64 {
        self.0.not_yet
    }

    /// Pages that shared after the deadline.
    async fn late(&self) -> u64 {
        self.0.late
    }

    /// Every page asked.
    async fn pages(&self) -> u64 {
        self.0.pages()
    }

    /// `shared / pages`, 0–1.
    async fn rate(&self) -> f64 {
        self.0.rate()
    }
}

/// A share request's compliance under one unit directly below.
pub struct ChildCompliance(app::campaigns::GroupCompliance);

#[Object]
impl ChildCompliance {
    async fn unit(&self) -> Unit {
        Unit(self.0.unit.clone())
    }

    async fn shared(&self) -> u64 {
        self.0.compliance.shared
    }

    async fn not_yet(&self) -> u64 {
        self.0.compliance.not_yet
    }

    async fn late(&self) -> u64 {
        self.0.compliance.late
    }

    async fn pages(&self) -> u64 {
        self.0.compliance.pages()
    }

    async fn rate(&self) -> f64 {
        self.0.compliance.rate()
    }
}

/// A page a share request asks, and where it stands.
pub struct AskedPage {
    asked: Asked,
    deadline: DateTime<Utc>,
}

#[Object]
impl AskedPage {
    async fn unit(&self) -> Unit {
        Unit(self.asked.unit.clone())
    }

    async fn page(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Page>> {
        let page = ctx
            .data_unchecked::<Loaders>()
            .page_by_id
            .load_one(self.asked.page_id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(page.map(Page))
    }

    async fn status(&self) -> ShareStatus {
        rules::ShareStatus::of(self.asked.shared_at, self.deadline).into()
    }

    /// When its share was published.
    async fn shared_at(&self) -> Option<DateTime<Utc>> {
        self.asked.shared_at
    }

    /// Its share, as logged.
    async fn share(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Post>> {
        let Some(id) = self.asked.share_id else {
            return Ok(None);
        };
        let post = ctx
            .data_unchecked::<Loaders>()
            .post_by_id
            .load_one(id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(post.map(Post))
    }
}

/// A list of the pages a request asks, as a connection.
pub type AskedPageList = Listed<AskedPage, UnitPosition>;

/// A request by a unit's admin that the pages below share one of its posts by a deadline
/// ("đề nghị chia sẻ").
#[derive(Clone)]
pub struct ShareRequest {
    request: rules::ShareRequest,
    /// Where the unit a `shareRequests` list was asked for stands on it.
    for_unit: ForUnit,
}

/// Whether a share request was listed for a unit, and if so when that unit's share was
/// published.
#[derive(Clone, Copy)]
enum ForUnit {
    NotListed,
    Listed { shared_at: Option<DateTime<Utc>> },
}

impl ShareRequest {
    pub fn new(request: rules::ShareRequest) -> Self {
        Self {
            request,
            for_unit: ForUnit::NotListed,
        }
    }

    pub fn listed(found: RequestForPage) -> Self {
        Self {
            request: found.request,
            for_unit: ForUnit::Listed {
                shared_at: found.shared_at,
            },
        }
    }
}

#[Object]
impl ShareRequest {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::ShareRequest, self.request.id)
    }

    /// The post to share.
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Post> {
        let post = ctx
            .data_unchecked::<Loaders>()
            .post_by_id
            .load_one(self.request.post_id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            .ok_or_else(|| ApiError::internal_message(ctx, "share request without its post"))?;
        Ok(Post(post))
    }

    /// The asking unit; null when above the viewer's own.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        readable_unit(ctx, self.request.unit_id).await
    }

    /// The asking committee.
    async fn unit_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(unit_of(ctx, self.request.unit_id).await?.committee_name())
    }

    async fn deadline(&self) -> DateTime<Utc> {
        self.request.deadline
    }

    async fn message(&self) -> Option<&str> {
        self.request.message.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.request.created_at
    }

    /// Whether the deadline has passed.
    async fn overdue(&self) -> bool {
        Utc::now() > self.request.deadline
    }

    /// In a `shareRequests` list for a unit: where that unit's page stands on it; null
    /// elsewhere.
    async fn status(&self) -> Option<ShareStatus> {
        match self.for_unit {
            ForUnit::Listed { shared_at } => {
                Some(rules::ShareStatus::of(shared_at, self.request.deadline).into())
            }
            ForUnit::NotListed => None,
        }
    }

    /// In a `shareRequests` list for a unit: when that unit's share was published.
    async fn shared_at(&self) -> Option<DateTime<Utc>> {
        match self.for_unit {
            ForUnit::Listed { shared_at } => shared_at,
            ForUnit::NotListed => None,
        }
    }

    /// How many of the asked pages under `unitCode` (by default the asking unit when the
    /// viewer reads it, else the viewer's own) shared, late or not yet.
    #[graphql(complexity = "TALLY_COST + child_complexity")]
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        unit_code: Option<String>,
    ) -> async_graphql::Result<ShareCompliance> {
        let root = drill(ctx, self.request.unit_id, unit_code.as_deref()).await?;
        let db = ctx.data_unchecked::<Db>();
        let (total, _) = app::campaigns::compliance(db, &self.request, &root)
            .await
            .or_api(ctx)?;
        Ok(ShareCompliance(total))
    }

    /// The compliance under each unit directly below `unitCode` (as in `compliance`), by
    /// code, for the drill-down.
    #[graphql(complexity = "TALLY_COST + child_complexity")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        unit_code: Option<String>,
    ) -> async_graphql::Result<Vec<ChildCompliance>> {
        let root = drill(ctx, self.request.unit_id, unit_code.as_deref()).await?;
        let db = ctx.data_unchecked::<Db>();
        let (_, children) = app::campaigns::compliance(db, &self.request, &root)
            .await
            .or_api(ctx)?;
        Ok(children.into_iter().map(ChildCompliance).collect())
    }

    /// The pages asked under `unitCode` (as in `compliance`), optionally only those at one
    /// status: by tier, then by code.
    #[graphql(complexity = "crate::types::unit::list_complexity(first, child_complexity)")]
    async fn units(
        &self,
        ctx: &Context<'_>,
        status: Option<ShareStatus>,
        unit_code: Option<String>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<AskedPageList> {
        let root = drill(ctx, self.request.unit_id, unit_code.as_deref()).await?;
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_unit_cursor).transpose()?,
        };
        let status = status.map(rules::ShareStatus::from);
        let found = app::campaigns::asked_pages(db, &self.request, &root, status, &slice)
            .await
            .or_api(ctx)?;
        let (request, deadline) = (self.request.clone(), self.request.deadline);
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |a: &Asked| UnitPosition::of(&a.unit),
            move |asked| AskedPage { asked, deadline },
            move |db| {
                let (request, root) = (request.clone(), root.clone());
                async move {
                    let (total, _) = app::campaigns::compliance(&db, &request, &root)
                        .await
                        .map_err(|e| match e {
                            app::AppError::Store(e) => e,
                            other => store::StoreError::Corrupt(other.to_string()),
                        })?;
                    Ok::<u64, store::StoreError>(match status {
                        None => total.pages(),
                        Some(rules::ShareStatus::Shared) => total.shared,
                        Some(rules::ShareStatus::Late) => total.late,
                        Some(rules::ShareStatus::NotYet) => total.not_yet,
                    })
                }
            },
        ))
    }
}

/// A share request's place in a list (the nearest deadline first), as a cursor.
pub struct ShareRequestPosition(pub store::campaigns::ShareRequestCursor);

impl CursorType for ShareRequestPosition {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_moment_cursor(s)
            .map(|(deadline, id)| Self(store::campaigns::ShareRequestCursor { deadline, id }))
            .map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_moment_cursor(self.0.deadline, self.0.id)
    }
}

/// A list of share requests as a connection.
pub type ShareRequestList = Listed<ShareRequest, ShareRequestPosition>;
