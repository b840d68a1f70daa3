//! Campaigns, the post log and share requests: kept, listed, and counted over subtrees in
//! one statement each (progress of a campaign, compliance with a share request), never unit
//! by unit in Rust.

use chrono::{DateTime, NaiveDate, Utc};
use domain::campaign::{Campaign, Post, PostKind, ShareRequest, ShareStatus};
use domain::page::PageStatus;
use domain::unit::{Unit, UnitLevel, UnitPath};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use uuid::Uuid;

use crate::entity::{campaign, post, post_campaign, share_request};
use crate::filters::subtree_range;
use crate::sql::{Params, count};
use crate::units::{UnitCursor, read_unit, unit_columns};
use crate::{Slice, SliceRequest, StoreError};

/// The platform posts are logged for.
const PLATFORM: &str = "FACEBOOK";

fn corrupt(what: &str, id: Uuid) -> StoreError {
    StoreError::Corrupt(format!("{what} {id}"))
}

fn json_list(text: &str, id: Uuid) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|_| corrupt("campaign list", id))
}

fn to_json(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

impl TryFrom<campaign::Model> for Campaign {
    type Error = StoreError;

    fn try_from(m: campaign::Model) -> Result<Self, Self::Error> {
        let levels = m
            .levels
            .split(',')
            .map(|l| {
                l.parse::<UnitLevel>()
                    .map_err(|_| corrupt("campaign", m.id))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Campaign {
            hashtags: json_list(&m.hashtags, m.id)?,
            key_messages: json_list(&m.key_messages, m.id)?,
            materials: json_list(&m.materials, m.id)?,
            levels,
            id: m.id,
            unit_id: m.unit_id,
            title: m.title,
            theme: m.theme,
            description: m.description,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            created_by: m.created_by,
            created_at: m.created_at,
        })
    }
}

fn post_from(m: post::Model, campaign_ids: Vec<Uuid>) -> Result<Post, StoreError> {
    Ok(Post {
        kind: m
            .kind
            .parse::<PostKind>()
            .map_err(|_| corrupt("post", m.id))?,
        id: m.id,
        page_id: m.page_id,
        unit_id: m.unit_id,
        url: m.url,
        shared_from: m.shared_from_post_id,
        published_at: m.published_at,
        title: m.title,
        campaign_ids,
        logged_by: m.logged_by,
        logged_at: m.logged_at,
    })
}

impl From<share_request::Model> for ShareRequest {
    fn from(m: share_request::Model) -> Self {
        Self {
            id: m.id,
            post_id: m.post_id,
            unit_id: m.unit_id,
            deadline: m.deadline,
            message: m.message,
            created_by: m.created_by,
            created_at: m.created_at,
        }
    }
}

/// Keeps a new campaign.
pub async fn insert_campaign(db: &impl ConnectionTrait, c: &Campaign) -> Result<(), StoreError> {
    campaign::ActiveModel {
        id: Set(c.id),
        unit_id: Set(c.unit_id),
        title: Set(c.title.clone()),
        theme: Set(c.theme.clone()),
        description: Set(c.description.clone()),
        starts_on: Set(c.starts_on),
        ends_on: Set(c.ends_on),
        hashtags: Set(to_json(&c.hashtags)),
        key_messages: Set(to_json(&c.key_messages)),
        materials: Set(to_json(&c.materials)),
        levels: Set(c
            .levels
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        created_by: Set(c.created_by),
        created_at: Set(c.created_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The campaigns with these ids that exist, in no particular order.
pub async fn campaigns_by_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<Campaign>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Campaign::try_from)
        .collect()
}

/// The position of a campaign in a list: the latest start first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CampaignCursor {
    pub starts_on: NaiveDate,
    pub id: Uuid,
}

/// Which campaigns a list holds: those directed by these units, optionally running on a day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CampaignFilter {
    pub unit_ids: Vec<Uuid>,
    pub active_on: Option<NaiveDate>,
}

impl CampaignFilter {
    fn condition(&self) -> Condition {
        let mut cond =
            Condition::all().add(campaign::Column::UnitId.is_in(self.unit_ids.iter().copied()));
        if let Some(day) = self.active_on {
            cond = cond
                .add(campaign::Column::StartsOn.lte(day))
                .add(campaign::Column::EndsOn.gte(day));
        }
        cond
    }
}

/// One slice of the campaigns `filter` holds, the latest start first.
#[tracing::instrument(skip(db))]
pub async fn campaigns(
    db: &impl ConnectionTrait,
    filter: &CampaignFilter,
    slice: &SliceRequest<CampaignCursor>,
) -> Result<Slice<Campaign>, StoreError> {
    let mut query = campaign::Entity::find().filter(filter.condition());
    if let Some(after) = &slice.after {
        query = query.filter(
            Condition::any()
                .add(campaign::Column::StartsOn.lt(after.starts_on))
                .add(
                    campaign::Column::StartsOn
                        .eq(after.starts_on)
                        .and(campaign::Column::Id.lt(after.id)),
                ),
        );
    }
    let rows = query
        .order_by_desc(campaign::Column::StartsOn)
        .order_by_desc(campaign::Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(rows, slice.first, Campaign::try_from)
}

/// How many campaigns `filter` holds.
pub async fn count_campaigns(
    db: &impl ConnectionTrait,
    filter: &CampaignFilter,
) -> Result<u64, StoreError> {
    crate::filters::count_rows(db, campaign::Entity::find().filter(filter.condition())).await
}

/// The counts of one group of a campaign's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressTally {
    /// The child of the subtree's root the units lie under; the root's own id for the root.
    pub child_id: Uuid,
    /// Units that take part.
    pub units: u64,
    /// Of them, those with at least one post logged under the campaign.
    pub posted: u64,
    /// Posts logged under the campaign by them.
    pub posts: u64,
}

/// `(unit_id, n)`: how many posts each unit logged under the campaign.
fn posts_per_unit(campaign: &Campaign, p: &mut Params) -> String {
    let id = p.push(campaign.id);
    format!(
        r#"SELECT "po"."unit_id", COUNT(*) AS "n" FROM "post_campaign" AS "pc"
        JOIN "post" AS "po" ON "po"."id" = "pc"."post_id"
        WHERE "pc"."campaign_id" = {id} GROUP BY "po"."unit_id""#
    )
}

/// A campaign's progress under each child of `root` and at `root` itself: units of the
/// levels that take part, how many posted, how many posts. One statement.
#[tracing::instrument(skip_all, fields(campaign = %campaign.id, root = %root.path.as_str()))]
pub async fn progress(
    db: &impl ConnectionTrait,
    campaign: &Campaign,
    root: &Unit,
) -> Result<Vec<ProgressTally>, StoreError> {
    let mut p = Params::new(db.get_database_backend());
    let per_unit = posts_per_unit(campaign, &mut p);
    let levels: Vec<&str> = campaign.levels.iter().map(|l| l.as_str()).collect();
    let levels = p.list(&levels);
    let root_id = p.push(root.id);
    let sql = format!(
        r#"WITH "n" AS ({per_unit})
        SELECT "c"."id", COUNT(*), COUNT("n"."unit_id"), CAST(SUM(COALESCE("n"."n", 0)) AS BIGINT)
        FROM "unit" AS "c"
        JOIN "unit" AS "u" ON "u"."path" >= "c"."path"
             AND "u"."path" < SUBSTR("c"."path", 1, LENGTH("c"."path") - 1) || '0'
        LEFT JOIN "n" ON "n"."unit_id" = "u"."id"
        WHERE "c"."parent_id" = {root_id} AND "u"."level" IN ({levels})
        GROUP BY "c"."id"
        UNION ALL
        SELECT "u"."id", COUNT(*), COUNT("n"."unit_id"), CAST(SUM(COALESCE("n"."n", 0)) AS BIGINT)
        FROM "unit" AS "u" LEFT JOIN "n" ON "n"."unit_id" = "u"."id"
        WHERE "u"."id" = {root_id} AND "u"."level" IN ({levels})
        GROUP BY "u"."id""#
    );
    db.query_all_raw(p.statement(sql))
        .await?
        .iter()
        .map(|row| {
            Ok(ProgressTally {
                child_id: row.try_get_by_index(0)?,
                units: count(row, 1)?,
                posted: count(row, 2)?,
                posts: count(row, 3)?,
            })
        })
        .collect()
}

/// One slice of the units of the subtree at `within` that take part in the campaign and have
/// logged no post under it, in the order of unit lists.
#[tracing::instrument(skip(db, campaign), fields(campaign = %campaign.id))]
pub async fn silent_units(
    db: &impl ConnectionTrait,
    campaign: &Campaign,
    within: &UnitPath,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<Unit>, StoreError> {
    let mut p = Params::new(db.get_database_backend());
    let id = p.push(campaign.id);
    let levels: Vec<&str> = campaign.levels.iter().map(|l| l.as_str()).collect();
    let levels = p.list(&levels);
    let (from, until) = subtree_range(within);
    let (from, until) = (p.push(from), p.push(until));
    let after = after_unit(slice.after.as_ref(), &mut p);
    let limit = p.push(i64::try_from(slice.first + 1).unwrap_or(i64::MAX));
    let columns = unit_columns(r#""u"."#);
    let sql = format!(
        r#"SELECT {columns} FROM "unit" AS "u"
        WHERE "u"."path" >= {from} AND "u"."path" < {until} AND "u"."level" IN ({levels}){after}
          AND NOT EXISTS (SELECT 1 FROM "post" AS "po"
              JOIN "post_campaign" AS "pc" ON "pc"."post_id" = "po"."id" AND "pc"."campaign_id" = {id}
              WHERE "po"."unit_id" = "u"."id")
        ORDER BY "u"."depth", "u"."code" LIMIT {limit}"#
    );
    let rows = db.query_all_raw(p.statement(sql)).await?;
    Slice::from_rows(rows, slice.first, |row| read_unit(&row))
}

/// One slice of the units of the subtree at `within` that take part in the campaign, each
/// with the posts it logged under it, optionally only those that posted (`Some(true)`) or
/// not (`Some(false)`), in the order of unit lists.
#[tracing::instrument(skip(db, campaign), fields(campaign = %campaign.id))]
pub async fn participants(
    db: &impl ConnectionTrait,
    campaign: &Campaign,
    within: &UnitPath,
    posted: Option<bool>,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<(Unit, u64)>, StoreError> {
    let mut p = Params::new(db.get_database_backend());
    let per_unit = posts_per_unit(campaign, &mut p);
    let levels: Vec<&str> = campaign.levels.iter().map(|l| l.as_str()).collect();
    let levels = p.list(&levels);
    let (from, until) = subtree_range(within);
    let (from, until) = (p.push(from), p.push(until));
    let posted = match posted {
        None => "",
        Some(true) => r#" AND "n"."unit_id" IS NOT NULL"#,
        Some(false) => r#" AND "n"."unit_id" IS NULL"#,
    };
    let after = after_unit(slice.after.as_ref(), &mut p);
    let limit = p.push(i64::try_from(slice.first + 1).unwrap_or(i64::MAX));
    let columns = unit_columns(r#""u"."#);
    let sql = format!(
        r#"WITH "n" AS ({per_unit})
        SELECT {columns}, COALESCE("n"."n", 0) FROM "unit" AS "u"
        LEFT JOIN "n" ON "n"."unit_id" = "u"."id"
        WHERE "u"."path" >= {from} AND "u"."path" < {until} AND "u"."level" IN ({levels}){posted}{after}
        ORDER BY "u"."depth", "u"."code" LIMIT {limit}"#
    );
    let rows = db.query_all_raw(p.statement(sql)).await?;
    let n = crate::units::UNIT_COLUMN_COUNT;
    Slice::from_rows(rows, slice.first, |row| {
        Ok((read_unit(&row)?, count(&row, n)?))
    })
}

fn after_unit(after: Option<&UnitCursor>, p: &mut Params) -> String {
    after.map_or_else(String::new, |after| {
        let (depth, code) = (p.push(after.depth), p.push(after.code.as_str()));
        format!(
            r#" AND ("u"."depth" > {depth} OR ("u"."depth" = {depth} AND "u"."code" > {code}))"#
        )
    })
}

/// Keeps a new post and the campaigns it is logged under. Its link already logged is
/// `Conflict("url")`; a second share of one post by one page is `Conflict("share")`.
pub async fn insert_post(db: &impl ConnectionTrait, post: &Post) -> Result<(), StoreError> {
    let result = post::ActiveModel {
        id: Set(post.id),
        page_id: Set(post.page_id),
        unit_id: Set(post.unit_id),
        url: Set(post.url.clone()),
        kind: Set(post.kind.as_str().to_owned()),
        shared_from_post_id: Set(post.shared_from),
        published_at: Set(post.published_at),
        title: Set(post.title.clone()),
        logged_by: Set(post.logged_by),
        logged_at: Set(post.logged_at),
    }
    .insert(db)
    .await;
    match result {
        Ok(_) => {}
        Err(e) => {
            if let Some(SqlErr::UniqueConstraintViolation(message)) = e.sql_err() {
                let what = if message.contains("url") {
                    "url"
                } else {
                    "share"
                };
                return Err(StoreError::Conflict(what.to_owned()));
            }
            return Err(e.into());
        }
    }
    if !post.campaign_ids.is_empty() {
        post_campaign::Entity::insert_many(post.campaign_ids.iter().map(|&campaign_id| {
            post_campaign::ActiveModel {
                post_id: Set(post.id),
                campaign_id: Set(campaign_id),
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// The posts with these ids that exist, with their campaigns, in no particular order.
pub async fn posts_by_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<Post>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = post::Entity::find()
        .filter(post::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    with_campaigns(db, rows).await
}

async fn with_campaigns(
    db: &impl ConnectionTrait,
    rows: Vec<post::Model>,
) -> Result<Vec<Post>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let links = post_campaign::Entity::find()
        .filter(post_campaign::Column::PostId.is_in(rows.iter().map(|r| r.id)))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let ids = links
                .iter()
                .filter(|l| l.post_id == row.id)
                .map(|l| l.campaign_id)
                .collect();
            post_from(row, ids)
        })
        .collect()
}

/// The share of the post with id `shared_from` by the page with id `page_id`, if logged.
pub async fn share_by_page(
    db: &impl ConnectionTrait,
    shared_from: Uuid,
    page_id: Uuid,
) -> Result<Option<Post>, StoreError> {
    let rows = post::Entity::find()
        .filter(post::Column::SharedFromPostId.eq(shared_from))
        .filter(post::Column::PageId.eq(page_id))
        .all(db)
        .await?;
    Ok(with_campaigns(db, rows).await?.into_iter().next())
}

/// The position of a post in a list: the latest published first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PostCursor {
    pub published_at: DateTime<Utc>,
    pub id: Uuid,
}

/// Which posts a list holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostFilter {
    /// Posts of the pages of this subtree.
    pub within: Option<UnitPath>,
    pub campaign_id: Option<Uuid>,
    pub kind: Option<PostKind>,
    /// Published at or after.
    pub from: Option<DateTime<Utc>>,
    /// Published before.
    pub to: Option<DateTime<Utc>>,
}

impl PostFilter {
    fn condition(&self) -> Condition {
        let mut cond = Condition::all();
        if let Some(within) = self.within.as_ref().filter(|w| w.depth() > 0) {
            let (from, until) = subtree_range(within);
            cond = cond.add(
                post::Column::UnitId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(crate::entity::unit::Column::Id)
                        .from(crate::entity::unit::Entity)
                        .and_where(crate::entity::unit::Column::Path.gte(from))
                        .and_where(crate::entity::unit::Column::Path.lt(until))
                        .to_owned(),
                ),
            );
        }
        if let Some(campaign_id) = self.campaign_id {
            cond = cond.add(
                post::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(post_campaign::Column::PostId)
                        .from(post_campaign::Entity)
                        .and_where(post_campaign::Column::CampaignId.eq(campaign_id))
                        .to_owned(),
                ),
            );
        }
        if let Some(kind) = self.kind {
            cond = cond.add(post::Column::Kind.eq(kind.as_str()));
        }
        if let Some(from) = self.from {
            cond = cond.add(post::Column::PublishedAt.gte(from));
        }
        if let Some(to) = self.to {
            cond = cond.add(post::Column::PublishedAt.lt(to));
        }
        cond
    }
}

/// One slice of the posts `filter` holds, the latest published first.
#[tracing::instrument(skip(db))]
pub async fn posts(
    db: &impl ConnectionTrait,
    filter: &PostFilter,
    slice: &SliceRequest<PostCursor>,
) -> Result<Slice<Post>, StoreError> {
    let mut query = post::Entity::find().filter(filter.condition());
    if let Some(after) = &slice.after {
        query = query.filter(
            Condition::any()
                .add(post::Column::PublishedAt.lt(after.published_at))
                .add(
                    post::Column::PublishedAt
                        .eq(after.published_at)
                        .and(post::Column::Id.lt(after.id)),
                ),
        );
    }
    let rows = query
        .order_by_desc(post::Column::PublishedAt)
        .order_by_desc(post::Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    let has_next_page = u64::try_from(rows.len()).unwrap_or(u64::MAX) > slice.first;
    let rows: Vec<post::Model> = rows
        .into_iter()
        .take(usize::try_from(slice.first).unwrap_or(usize::MAX))
        .collect();
    Ok(Slice {
        items: with_campaigns(db, rows).await?,
        has_next_page,
        total: None,
    })
}

/// How many posts `filter` holds.
pub async fn count_posts(
    db: &impl ConnectionTrait,
    filter: &PostFilter,
) -> Result<u64, StoreError> {
    crate::filters::count_rows(db, post::Entity::find().filter(filter.condition())).await
}

/// Keeps a new share request; the post already asked for is `Conflict("post")`.
pub async fn insert_share_request(
    db: &impl ConnectionTrait,
    r: &ShareRequest,
) -> Result<(), StoreError> {
    let result = share_request::ActiveModel {
        id: Set(r.id),
        post_id: Set(r.post_id),
        unit_id: Set(r.unit_id),
        deadline: Set(r.deadline),
        message: Set(r.message.clone()),
        created_by: Set(r.created_by),
        created_at: Set(r.created_at),
    }
    .insert(db)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(StoreError::Conflict("post".to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

/// The share requests with these ids that exist.
pub async fn share_requests_by_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<ShareRequest>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(share_request::Entity::find()
        .filter(share_request::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(ShareRequest::from)
        .collect())
}

/// The share requests of the posts with these ids, where asked.
pub async fn share_requests_of_posts(
    db: &impl ConnectionTrait,
    post_ids: &[Uuid],
) -> Result<Vec<ShareRequest>, StoreError> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(share_request::Entity::find()
        .filter(share_request::Column::PostId.is_in(post_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(ShareRequest::from)
        .collect())
}

/// The position of a share request in a list: the nearest deadline first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShareRequestCursor {
    pub deadline: DateTime<Utc>,
    pub id: Uuid,
}

/// A share request as one page stands on it: when that page's share was published, if it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestForPage {
    pub request: ShareRequest,
    pub shared_at: Option<DateTime<Utc>>,
}

/// Which share requests a list holds: those addressed to `unit` (issued by the units above
/// it), as its page `page_id` stands on them, or those `unit` issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFilter {
    pub unit: UnitPath,
    pub issued: bool,
    /// The unit's live page, for requests addressed to it.
    pub page_id: Option<Uuid>,
    pub status: Option<ShareStatus>,
}

fn status_condition(status: ShareStatus) -> &'static str {
    match status {
        ShareStatus::Shared => r#""s"."published_at" <= "sr"."deadline""#,
        ShareStatus::Late => r#""s"."published_at" > "sr"."deadline""#,
        ShareStatus::NotYet => r#""s"."id" IS NULL"#,
    }
}

fn request_query(filter: &RequestFilter, p: &mut Params) -> String {
    let units = if filter.issued {
        let path = p.push(filter.unit.as_str());
        format!(r#""u"."path" = {path}"#)
    } else {
        let above: Vec<String> = filter
            .unit
            .ancestors()
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect();
        if above.is_empty() {
            "1 = 0".to_owned()
        } else {
            let listed = above
                .iter()
                .map(|a| p.push(a.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            format!(r#""u"."path" IN ({listed})"#)
        }
    };
    let page = filter
        .page_id
        .map_or_else(|| "NULL".to_owned(), |id| p.push(id));
    let status = filter
        .status
        .map_or_else(String::new, |s| format!(" AND {}", status_condition(s)));
    format!(
        r#"FROM "share_request" AS "sr"
        JOIN "unit" AS "u" ON "u"."id" = "sr"."unit_id"
        LEFT JOIN "post" AS "s" ON "s"."shared_from_post_id" = "sr"."post_id" AND "s"."page_id" = {page}
        WHERE {units}{status}"#
    )
}

/// One slice of the share requests `filter` holds, the nearest deadline first, each with
/// the publication of the unit's page's share.
#[tracing::instrument(skip(db))]
pub async fn share_requests(
    db: &impl ConnectionTrait,
    filter: &RequestFilter,
    slice: &SliceRequest<ShareRequestCursor>,
) -> Result<Slice<RequestForPage>, StoreError> {
    let mut p = Params::new(db.get_database_backend());
    let from = request_query(filter, &mut p);
    let after = slice.after.as_ref().map_or_else(String::new, |after| {
        let (deadline, id) = (p.push(after.deadline), p.push(after.id));
        format!(
            r#" AND ("sr"."deadline" > {deadline} OR ("sr"."deadline" = {deadline} AND "sr"."id" > {id}))"#
        )
    });
    let limit = p.push(i64::try_from(slice.first + 1).unwrap_or(i64::MAX));
    let sql = format!(
        r#"SELECT "sr"."id", "sr"."post_id", "sr"."unit_id", "sr"."deadline", "sr"."message",
                  "sr"."created_by", "sr"."created_at", "s"."published_at"
        {from}{after} ORDER BY "sr"."deadline", "sr"."id" LIMIT {limit}"#
    );
    let rows = db.query_all_raw(p.statement(sql)).await?;
    Slice::from_rows(rows, slice.first, |row| {
        Ok(RequestForPage {
            request: ShareRequest {
                id: row.try_get_by_index(0)?,
                post_id: row.try_get_by_index(1)?,
                unit_id: row.try_get_by_index(2)?,
                deadline: row.try_get_by_index(3)?,
                message: row.try_get_by_index(4)?,
                created_by: row.try_get_by_index(5)?,
                created_at: row.try_get_by_index(6)?,
            },
            shared_at: row.try_get_by_index(7)?,
        })
    })
}

/// How many share requests `filter` holds.
pub async fn count_share_requests(
    db: &impl ConnectionTrait,
    filter: &RequestFilter,
) -> Result<u64, StoreError> {
    let mut p = Params::new(db.get_database_backend());
    let from = request_query(filter, &mut p);
    let sql = format!("SELECT COUNT(*) {from}");
    match db.query_one_raw(p.statement(sql)).await? {
        Some(row) => count(&row, 0),
        None => Ok(0),
    }
}

/// The pages a share request asks: live Facebook pages of the units strictly below the
/// asking one, in the statuses `asked`.
fn asked_pages(request: &ShareRequest, asked: &[PageStatus], p: &mut Params) -> String {
    let statuses: Vec<&str> = asked.iter().map(|s| s.as_str()).collect();
    let statuses = p.list(&statuses);
    let post = p.push(request.post_id);
    format!(
        r#"SELECT "pg"."id" AS "page_id", "pg"."unit_id" AS "unit_id", "s"."id" AS "share_id",
                  "s"."published_at" AS "shared_at"
        FROM "page" AS "pg"
        LEFT JOIN "post" AS "s" ON "s"."shared_from_post_id" = {post} AND "s"."page_id" = "pg"."id"
        WHERE "pg"."platform" = '{PLATFORM}' AND "pg"."status" IN ({statuses})"#
    )
}

/// The counts of one group of a request's compliance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplianceTally {
    /// The child of the subtree's root the pages lie under; the root's own id for its page.
    pub child_id: Uuid,
    pub shared: u64,
    pub late: u64,
    pub not_yet: u64,
}

/// A share request's compliance under each child of `root` and at `root` itself (unless
/// `root` is the asking unit): one statement, one index range per child.
#[tracing::instrument(skip_all, fields(request = %request.id, root = %root.path.as_str()))]
pub async fn compliance(
    db: &impl ConnectionTrait,
    request: &ShareRequest,
    asked: &[PageStatus],
    root: &Unit,
) -> Result<Vec<ComplianceTally>, StoreError> {
    let mut p = Params::new(db.get_database_backend());
    let pages = asked_pages(request, asked, &mut p);
    let deadline = p.push(request.deadline);
    let root_id = p.push(root.id);
    let asking = p.push(request.unit_id);
    let counts = format!(
        r#"SUM(CASE WHEN "a"."shared_at" <= {deadline} THEN 1 ELSE 0 END),
           SUM(CASE WHEN "a"."shared_at" > {deadline} THEN 1 ELSE 0 END),
           SUM(CASE WHEN "a"."share_id" IS NULL THEN 1 ELSE 0 END)"#
    );
    let sql = format!(
        r#"WITH "a" AS NOT MATERIALIZED ({pages})
        SELECT "c"."id", {counts}
        FROM "unit" AS "c"
        JOIN "unit" AS "u" ON "u"."path" >= "c"."path"
             AND "u"."path" < SUBSTR("c"."path", 1, LENGTH("c"."path") - 1) || '0'
        JOIN "a" ON "a"."unit_id" = "u"."id"
        WHERE "c"."parent_id" = {root_id}
        GROUP BY "c"."id"
        UNION ALL
        SELECT "a"."unit_id", {counts}
        FROM "a" WHERE "a"."unit_id" = {root_id} AND "a"."unit_id" <> {asking}
        GROUP BY "a"."unit_id""#
    );
    db.query_all_raw(p.statement(sql))
        .await?
        .iter()
        .map(|row| {
            Ok(ComplianceTally {
                child_id: row.try_get_by_index(0)?,
                shared: count(row, 1)?,
                late: count(row, 2)?,
                not_yet: count(row, 3)?,
            })
        })
        .collect()
}

/// One page asked by a share request, where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskedPage {
    pub unit: Unit,
    pub page_id: Uuid,
    /// Its share, if logged, and when that was published.
    pub share_id: Option<Uuid>,
    pub shared_at: Option<DateTime<Utc>>,
}

/// One slice of the pages of the subtree at `within` a share request asks, optionally only
/// those standing at `status`, in the order of unit lists.
#[tracing::instrument(skip(db, request, asked), fields(request = %request.id))]
pub async fn asked(
    db: &impl ConnectionTrait,
    request: &ShareRequest,
    asked: &[PageStatus],
    within: &UnitPath,
    status: Option<ShareStatus>,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<AskedPage>, StoreError> {
    let mut p = Params::new(db.get_database_backend());
    let pages = asked_pages(request, asked, &mut p);
    let (from, until) = subtree_range(within);
    let (from, until) = (p.push(from), p.push(until));
    let asking = p.push(request.unit_id);
    let deadline = p.push(request.deadline);
    let status = status.map_or_else(String::new, |s| match s {
        ShareStatus::Shared => format!(r#" AND "a"."shared_at" <= {deadline}"#),
        ShareStatus::Late => format!(r#" AND "a"."shared_at" > {deadline}"#),
        ShareStatus::NotYet => r#" AND "a"."share_id" IS NULL"#.to_owned(),
    });
    let after = after_unit(slice.after.as_ref(), &mut p);
    let limit = p.push(i64::try_from(slice.first + 1).unwrap_or(i64::MAX));
    let columns = unit_columns(r#""u"."#);
    let sql = format!(
        r#"WITH "a" AS ({pages})
        SELECT {columns}, "a"."page_id", "a"."share_id", "a"."shared_at"
        FROM "unit" AS "u" JOIN "a" ON "a"."unit_id" = "u"."id"
        WHERE "u"."path" >= {from} AND "u"."path" < {until} AND "u"."id" <> {asking}{status}{after}
        ORDER BY "u"."depth", "u"."code" LIMIT {limit}"#
    );
    let rows = db.query_all_raw(p.statement(sql)).await?;
    let n = crate::units::UNIT_COLUMN_COUNT;
    Slice::from_rows(rows, slice.first, |row| {
        Ok(AskedPage {
            unit: read_unit(&row)?,
            page_id: row.try_get_by_index(n)?,
            share_id: row.try_get_by_index(n + 1)?,
            shared_at: row.try_get_by_index(n + 2)?,
        })
    })
}
