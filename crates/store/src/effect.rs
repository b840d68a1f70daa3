//! How effective pages are: their figures computed from the statistics, the post log and the
//! share requests in one statement for a whole list of pages; the level above's reviews; the
//! outreach log.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::campaign::Compliance;
use domain::effect::{Effectiveness, Rating};
use domain::unit::UnitPath;
use sea_orm::Select;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use uuid::Uuid;

use crate::entity::{outreach, page_review, unit};
use crate::filters::subtree_range;
use crate::sql::{Params, count};
use crate::{Slice, SliceRequest, StoreError};

/// The figures of these pages as of `now` (Việt Nam's `today`). Each page comes with the
/// paths of the units above it: the share requests counted are those these units issued
/// after the page was created whose deadline has passed or that the page shared. One statement for the whole list,
/// every figure an index probe per page.
#[tracing::instrument(skip(db, pages), fields(pages = pages.len()))]
pub async fn figures(
    db: &impl ConnectionTrait,
    pages: &[(Uuid, Vec<UnitPath>)],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, Effectiveness)>, StoreError> {
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    let mut p = Params::new(db.get_database_backend());
    let ids: Vec<Uuid> = pages.iter().map(|(id, _)| *id).collect();
    let listed = p.list(&ids);
    let mut above = Vec::new();
    for (id, paths) in pages {
        for path in paths {
            above.push(format!("({}, {})", p.push(*id), p.push(path.as_str())));
        }
    }
    // A page without a unit above still needs a row for the join to find nothing.
    if above.is_empty() {
        above.push(format!("({}, '')", p.push(ids[0])));
    }
    let above = above.join(", ");
    let day = |p: &mut Params, back: i64| p.push(today - Duration::days(back));
    let (d0, d30, d90) = (day(&mut p, 0), day(&mut p, 30), day(&mut p, 90));
    let (t30, t90) = (
        p.push(now - Duration::days(30)),
        p.push(now - Duration::days(90)),
    );
    let at = p.push(now);
    let followers = |by: &str| {
        format!(
            r#"(SELECT "s"."followers" FROM "page_stat" AS "s" WHERE "s"."page_id" = "pg"."id"
                AND "s"."day" <= {by} AND "s"."followers" IS NOT NULL ORDER BY "s"."day" DESC LIMIT 1)"#
        )
    };
    let posts_since = |since: &str| {
        format!(
            r#"(SELECT COUNT(*) FROM "post" AS "po" WHERE "po"."page_id" = "pg"."id" AND "po"."published_at" >= {since})"#
        )
    };
    let sql = format!(
        r#"WITH "above" ("page_id", "path") AS (VALUES {above}),
        "asked" AS (
            SELECT "a"."page_id",
                   SUM(CASE WHEN "sh"."published_at" <= "sr"."deadline" THEN 1 ELSE 0 END) AS "shared",
                   SUM(CASE WHEN "sh"."published_at" > "sr"."deadline" THEN 1 ELSE 0 END) AS "late",
                   SUM(CASE WHEN "sh"."id" IS NULL AND "sr"."deadline" < {at} THEN 1 ELSE 0 END) AS "missed"
            FROM "above" AS "a"
            JOIN "page" AS "ap" ON "ap"."id" = "a"."page_id"
            JOIN "unit" AS "ru" ON "ru"."path" = "a"."path"
            JOIN "share_request" AS "sr" ON "sr"."unit_id" = "ru"."id" AND "sr"."created_at" >= "ap"."created_at"
            LEFT JOIN "post" AS "sh" ON "sh"."shared_from_post_id" = "sr"."post_id" AND "sh"."page_id" = "a"."page_id"
            GROUP BY "a"."page_id"
        )
        SELECT "pg"."id", {f0}, {f30}, {f90}, {p30}, {p90},
            (SELECT MAX("po"."published_at") FROM "post" AS "po" WHERE "po"."page_id" = "pg"."id"),
            (SELECT CAST(SUM("s"."engagements") AS BIGINT) FROM "page_stat" AS "s"
               WHERE "s"."page_id" = "pg"."id" AND "s"."day" > {d30} AND "s"."day" <= {d0}),
            CAST(COALESCE("k"."shared", 0) AS BIGINT), CAST(COALESCE("k"."late", 0) AS BIGINT),
            CAST(COALESCE("k"."missed", 0) AS BIGINT)
        FROM "page" AS "pg" LEFT JOIN "asked" AS "k" ON "k"."page_id" = "pg"."id"
        WHERE "pg"."id" IN ({listed})"#,
        f0 = followers(&d0),
        f30 = followers(&d30),
        f90 = followers(&d90),
        p30 = posts_since(&t30),
        p90 = posts_since(&t90),
    );
    db.query_all_raw(p.statement(sql))
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.try_get_by_index(0)?,
                Effectiveness {
                    followers: row.try_get_by_index(1)?,
                    followers_30_days_ago: row.try_get_by_index(2)?,
                    followers_90_days_ago: row.try_get_by_index(3)?,
                    posts_30_days: count(row, 4)?,
                    posts_90_days: count(row, 5)?,
                    last_post_at: row.try_get_by_index(6)?,
                    engagements_30_days: row.try_get_by_index(7)?,
                    shares: Compliance {
                        shared: count(row, 8)?,
                        late: count(row, 9)?,
                        not_yet: count(row, 10)?,
                    },
                },
            ))
        })
        .collect()
}

/// A review of a page by the level above, for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: Uuid,
    pub page_id: Uuid,
    /// The page's unit.
    pub unit_id: Uuid,
    pub reviewer_unit_id: Uuid,
    /// As officers name it: `2026-Q4`.
    pub period: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub rating: Rating,
    pub comments: Option<String>,
    pub recommendations: Option<String>,
    /// The computed figures the review was written from, as they stood.
    pub figures: Effectiveness,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<page_review::Model> for Review {
    type Error = StoreError;

    fn try_from(m: page_review::Model) -> Result<Self, Self::Error> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("page_review {}: {what}", m.id));
        Ok(Self {
            rating: m.rating.parse().map_err(|_| corrupt("rating"))?,
            figures: serde_json::from_str(&m.figures).map_err(|_| corrupt("figures"))?,
            id: m.id,
            page_id: m.page_id,
            unit_id: m.unit_id,
            reviewer_unit_id: m.reviewer_unit_id,
            period: m.period,
            period_start: m.period_start,
            period_end: m.period_end,
            comments: m.comments,
            recommendations: m.recommendations,
            created_by: m.created_by,
            created_at: m.created_at,
        })
    }
}

/// Keeps a review; the page already reviewed for the period is `Conflict("period")`.
pub async fn insert_review(db: &impl ConnectionTrait, r: &Review) -> Result<(), StoreError> {
    let figures = serde_json::to_string(&r.figures)
        .map_err(|e| StoreError::Corrupt(format!("page_review {}: {e}", r.id)))?;
    let result = page_review::ActiveModel {
        id: Set(r.id),
        page_id: Set(r.page_id),
        unit_id: Set(r.unit_id),
        reviewer_unit_id: Set(r.reviewer_unit_id),
        period: Set(r.period.clone()),
        period_start: Set(r.period_start),
        period_end: Set(r.period_end),
        rating: Set(r.rating.as_str().to_owned()),
        comments: Set(r.comments.clone()),
        recommendations: Set(r.recommendations.clone()),
        figures: Set(figures),
        created_by: Set(r.created_by),
        created_at: Set(r.created_at),
    }
    .insert(db)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(StoreError::Conflict("period".to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

fn reviews_within(within: &UnitPath, period: Option<&str>) -> Select<page_review::Entity> {
    let (from, until) = subtree_range(within);
    let mut query = page_review::Entity::find().filter(
        page_review::Column::UnitId.in_subquery(
            Query::select()
                .column(unit::Column::Id)
                .from(unit::Entity)
                .and_where(unit::Column::Path.gte(from))
                .and_where(unit::Column::Path.lt(until))
                .to_owned(),
        ),
    );
    if let Some(period) = period {
        query = query.filter(page_review::Column::Period.eq(period));
    }
    query
}

/// How many reviews [`reviews`] lists.
pub async fn count_reviews(
    db: &impl ConnectionTrait,
    within: &UnitPath,
    period: Option<&str>,
) -> Result<u64, StoreError> {
    crate::filters::count_rows(db, reviews_within(within, period)).await
}

/// The reviews of the pages of the subtree at `within`, optionally of one period, the
/// latest first.
pub async fn reviews(
    db: &impl ConnectionTrait,
    within: &UnitPath,
    period: Option<&str>,
    slice: &SliceRequest<(DateTime<Utc>, Uuid)>,
) -> Result<Slice<Review>, StoreError> {
    let mut query = reviews_within(within, period);
    if let Some((at, id)) = slice.after {
        query = query.filter(
            Condition::any()
                .add(page_review::Column::CreatedAt.lt(at))
                .add(
                    Condition::all()
                        .add(page_review::Column::CreatedAt.eq(at))
                        .add(page_review::Column::Id.lt(id)),
                ),
        );
    }
    let rows = query
        .order_by_desc(page_review::Column::CreatedAt)
        .order_by_desc(page_review::Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(rows, slice.first, Review::try_from)
}

/// Whom a unit told about its page, when and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutreachEntry {
    pub id: Uuid,
    pub unit_id: Uuid,
    /// `MEMBER_ORGANISATION`, `RESIDENTIAL_AREA` or `OTHER`.
    pub audience_kind: String,
    /// "Hội Nông dân xã", "Thôn Phú Mỹ".
    pub audience: String,
    /// How: `MEETING`, `ZALO`, `LOUDSPEAKER`, `NOTICE_BOARD`, `DOCUMENT`, `OTHER`.
    pub channel: String,
    pub informed_on: NaiveDate,
    /// About how many people.
    pub reached: Option<i32>,
    pub note: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<outreach::Model> for OutreachEntry {
    fn from(m: outreach::Model) -> Self {
        Self {
            id: m.id,
            unit_id: m.unit_id,
            audience_kind: m.audience_kind,
            audience: m.audience,
            channel: m.channel,
            informed_on: m.informed_on,
            reached: m.reached,
            note: m.note,
            created_by: m.created_by,
            created_at: m.created_at,
        }
    }
}

/// Keeps an outreach entry.
pub async fn insert_outreach(
    db: &impl ConnectionTrait,
    o: &OutreachEntry,
) -> Result<(), StoreError> {
    outreach::ActiveModel {
        id: Set(o.id),
        unit_id: Set(o.unit_id),
        audience_kind: Set(o.audience_kind.clone()),
        audience: Set(o.audience.clone()),
        channel: Set(o.channel.clone()),
        informed_on: Set(o.informed_on),
        reached: Set(o.reached),
        note: Set(o.note.clone()),
        created_by: Set(o.created_by),
        created_at: Set(o.created_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The outreach log of a unit, the latest first.
pub async fn outreach_of(
    db: &impl ConnectionTrait,
    unit_id: Uuid,
    slice: &SliceRequest<(NaiveDate, Uuid)>,
) -> Result<Slice<OutreachEntry>, StoreError> {
    let mut query = outreach::Entity::find().filter(outreach::Column::UnitId.eq(unit_id));
    if let Some((on, id)) = slice.after {
        query = query.filter(
            Condition::any()
                .add(outreach::Column::InformedOn.lt(on))
                .add(
                    Condition::all()
                        .add(outreach::Column::InformedOn.eq(on))
                        .add(outreach::Column::Id.lt(id)),
                ),
        );
    }
    let rows = query
        .order_by_desc(outreach::Column::InformedOn)
        .order_by_desc(outreach::Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(rows, slice.first, |m| Ok(OutreachEntry::from(m)))
}

/// How many outreach entries a unit has.
pub async fn count_outreach(db: &impl ConnectionTrait, unit_id: Uuid) -> Result<u64, StoreError> {
    crate::filters::count_rows(
        db,
        outreach::Entity::find().filter(outreach::Column::UnitId.eq(unit_id)),
    )
    .await
}

/// The review with this id, if any.
pub async fn review_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<Review>, StoreError> {
    page_review::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Review::try_from)
        .transpose()
}

/// The outreach entry with this id, if any.
pub async fn outreach_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<OutreachEntry>, StoreError> {
    Ok(outreach::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(OutreachEntry::from))
}
