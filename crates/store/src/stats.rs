//! Page statistics: the dated snapshots of each page (one per page and day, written over
//! when a day comes again) and the Graph API tokens, kept sealed, with the outcome of each
//! pull.

use chrono::{DateTime, NaiveDate, Utc};
use domain::stats::{Figures, Snapshot, Sources, StatSource};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entity::page_stat::{self, Column};
use crate::entity::page_token;

fn source(text: Option<&str>, id: Uuid) -> Result<Option<StatSource>, StoreError> {
    text.map(|t| {
        t.parse()
            .map_err(|_| StoreError::Corrupt(format!("page_stat {id}: source")))
    })
    .transpose()
}

impl TryFrom<page_stat::Model> for Snapshot {
    type Error = StoreError;

    fn try_from(m: page_stat::Model) -> Result<Self, Self::Error> {
        Ok(Snapshot {
            sources: Sources {
                followers: source(m.followers_source.as_deref(), m.id)?,
                new_follows: source(m.new_follows_source.as_deref(), m.id)?,
                views: source(m.views_source.as_deref(), m.id)?,
                engagements: source(m.engagements_source.as_deref(), m.id)?,
                posts: source(m.posts_source.as_deref(), m.id)?,
            },
            figures: Figures {
                followers: m.followers,
                new_follows: m.new_follows,
                views: m.views,
                engagements: m.engagements,
                posts: m.posts,
            },
            page_id: m.page_id,
            unit_id: m.unit_id,
            day: m.day,
            period_start: m.period_start,
            updated_at: m.updated_at,
        })
    }
}

fn active(s: &Snapshot, by: Option<Uuid>) -> page_stat::ActiveModel {
    let name = |source: Option<StatSource>| source.map(|s| s.as_str().to_owned());
    page_stat::ActiveModel {
        id: Set(Uuid::now_v7()),
        page_id: Set(s.page_id),
        unit_id: Set(s.unit_id),
        day: Set(s.day),
        period_start: Set(s.period_start),
        followers: Set(s.figures.followers),
        followers_source: Set(name(s.sources.followers)),
        new_follows: Set(s.figures.new_follows),
        new_follows_source: Set(name(s.sources.new_follows)),
        views: Set(s.figures.views),
        views_source: Set(name(s.sources.views)),
        engagements: Set(s.figures.engagements),
        engagements_source: Set(name(s.sources.engagements)),
        posts: Set(s.figures.posts),
        posts_source: Set(name(s.sources.posts)),
        updated_by: Set(by),
        updated_at: Set(s.updated_at),
    }
}

/// The snapshots of a page on these days that exist.
pub async fn on_days(
    db: &impl ConnectionTrait,
    page_id: Uuid,
    days: &[NaiveDate],
) -> Result<Vec<Snapshot>, StoreError> {
    if days.is_empty() {
        return Ok(Vec::new());
    }
    page_stat::Entity::find()
        .filter(Column::PageId.eq(page_id))
        .filter(Column::Day.is_in(days.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Snapshot::try_from)
        .collect()
}

/// Writes snapshots, each over the stored one of its page and day if any (the caller has
/// merged them): one statement per 200.
pub async fn save(
    db: &impl ConnectionTrait,
    snapshots: &[Snapshot],
    by: Option<Uuid>,
) -> Result<(), StoreError> {
    for chunk in snapshots.chunks(200) {
        page_stat::Entity::insert_many(chunk.iter().map(|s| active(s, by)))
            .on_conflict(
                OnConflict::columns([Column::PageId, Column::Day])
                    .update_columns([
                        Column::PeriodStart,
                        Column::Followers,
                        Column::FollowersSource,
                        Column::NewFollows,
                        Column::NewFollowsSource,
                        Column::Views,
                        Column::ViewsSource,
                        Column::Engagements,
                        Column::EngagementsSource,
                        Column::Posts,
                        Column::PostsSource,
                        Column::UpdatedBy,
                        Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The snapshots of these pages from `from` to `to` (both included), by page then day.
pub async fn series(
    db: &impl ConnectionTrait,
    page_ids: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Snapshot>, StoreError> {
    if page_ids.is_empty() {
        return Ok(Vec::new());
    }
    page_stat::Entity::find()
        .filter(Column::PageId.is_in(page_ids.iter().copied()))
        .filter(Column::Day.gte(from))
        .filter(Column::Day.lte(to))
        .order_by_asc(Column::PageId)
        .order_by_asc(Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(Snapshot::try_from)
        .collect()
}

/// A page's stored Graph API token, sealed, and what the latest pull gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub page_id: Uuid,
    /// The token encrypted for this page (see `app::stats`); never the token itself.
    pub sealed: String,
    pub graph_page_id: String,
    pub graph_page_name: Option<String>,
    pub last_pulled_at: Option<DateTime<Utc>>,
    pub last_error: Option<PullError>,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

/// Why the latest pull failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullError {
    pub code: String,
    pub message: String,
    pub at: DateTime<Utc>,
}

impl From<page_token::Model> for StoredToken {
    fn from(m: page_token::Model) -> Self {
        let last_error = match (m.last_error_code, m.last_error_message, m.last_error_at) {
            (Some(code), Some(message), Some(at)) => Some(PullError { code, message, at }),
            _ => None,
        };
        Self {
            page_id: m.page_id,
            sealed: m.sealed,
            graph_page_id: m.graph_page_id,
            graph_page_name: m.graph_page_name,
            last_pulled_at: m.last_pulled_at,
            last_error,
            updated_by: m.updated_by,
            updated_at: m.updated_at,
        }
    }
}

/// The tokens of these pages that have one.
pub async fn tokens_of(
    db: &impl ConnectionTrait,
    page_ids: &[Uuid],
) -> Result<Vec<StoredToken>, StoreError> {
    if page_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(page_token::Entity::find()
        .filter(page_token::Column::PageId.is_in(page_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(StoredToken::from)
        .collect())
}

/// Every page with a token, for the scheduled pull.
pub async fn pages_with_tokens(db: &impl ConnectionTrait) -> Result<Vec<Uuid>, StoreError> {
    Ok(page_token::Entity::find()
        .order_by_asc(page_token::Column::PageId)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.page_id)
        .collect())
}

/// Keeps a page's token, over any stored one; the outcome of earlier pulls is forgotten.
pub async fn save_token(db: &impl ConnectionTrait, t: &StoredToken) -> Result<(), StoreError> {
    page_token::Entity::insert(page_token::ActiveModel {
        page_id: Set(t.page_id),
        sealed: Set(t.sealed.clone()),
        graph_page_id: Set(t.graph_page_id.clone()),
        graph_page_name: Set(t.graph_page_name.clone()),
        last_pulled_at: Set(None),
        last_error_code: Set(None),
        last_error_message: Set(None),
        last_error_at: Set(None),
        updated_by: Set(t.updated_by),
        updated_at: Set(t.updated_at),
    })
    .on_conflict(
        OnConflict::column(page_token::Column::PageId)
            .update_columns([
                page_token::Column::Sealed,
                page_token::Column::GraphPageId,
                page_token::Column::GraphPageName,
                page_token::Column::LastPulledAt,
                page_token::Column::LastErrorCode,
                page_token::Column::LastErrorMessage,
                page_token::Column::LastErrorAt,
                page_token::Column::UpdatedBy,
                page_token::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Forgets a page's token; whether there was one.
pub async fn delete_token(db: &impl ConnectionTrait, page_id: Uuid) -> Result<bool, StoreError> {
    let result = page_token::Entity::delete_by_id(page_id).exec(db).await?;
    Ok(result.rows_affected > 0)
}

/// Notes the outcome of a pull: its time, and its error or none.
pub async fn record_pull(
    db: &impl ConnectionTrait,
    page_id: Uuid,
    at: DateTime<Utc>,
    error: Option<(&str, &str)>,
) -> Result<(), StoreError> {
    let mut model = page_token::ActiveModel {
        page_id: sea_orm::ActiveValue::Unchanged(page_id),
        ..Default::default()
    };
    match error {
        None => {
            model.last_pulled_at = Set(Some(at));
            model.last_error_code = Set(None);
            model.last_error_message = Set(None);
            model.last_error_at = Set(None);
        }
        Some((code, message)) => {
            model.last_error_code = Set(Some(code.to_owned()));
            model.last_error_message = Set(Some(message.to_owned()));
            model.last_error_at = Set(Some(at));
        }
    }
    page_token::Entity::update_many()
        .set(model)
        .filter(page_token::Column::PageId.eq(page_id))
        .exec(db)
        .await?;
    Ok(())
}

/// One point of a subtree's statistics series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointStats {
    /// The index of the point's day in the days asked for.
    pub point: usize,
    /// The followers of the subtree's pages at the day's end, each page's latest snapshot by
    /// then summed; `None` when no page had one.
    pub followers: Option<i64>,
    /// Posts logged as published after the previous point's day and by this one's end (for
    /// the first point: on its day).
    pub posts: u64,
}

/// Whose statistics a series sums.
#[derive(Debug, Clone, Copy)]
pub enum Pages<'a> {
    /// The live Facebook pages of the subtree at this path.
    Within(&'a domain::unit::UnitPath),
    /// One page.
    One(Uuid),
}

/// For each of `days` (ascending, Việt Nam's days as UTC instants of their ends in `ends`),
/// the followers and posts of `pages`: two statements, whatever the number of pages and
/// points.
#[tracing::instrument(skip(db, days, ends), fields(points = days.len()))]
pub async fn history(
    db: &impl ConnectionTrait,
    pages_of: Pages<'_>,
    days: &[NaiveDate],
    ends: &[DateTime<Utc>],
) -> Result<Vec<PointStats>, StoreError> {
    use crate::sql::{Params, count};
    if days.is_empty() || days.len() != ends.len() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let pages = |p: &mut Params| match pages_of {
        Pages::Within(within) => {
            let (from, until) = crate::filters::subtree_range(within);
            let (from, until) = (p.push(from), p.push(until));
            format!(
                r#"SELECT "p"."id" FROM "page" AS "p" JOIN "unit" AS "u" ON "u"."id" = "p"."unit_id"
                WHERE "u"."path" >= {from} AND "u"."path" < {until}
                  AND "p"."platform" = 'FACEBOOK' AND "p"."status" <> 'CLOSED'"#
            )
        }
        Pages::One(id) => format!(
            r#"SELECT "p"."id" FROM "page" AS "p" WHERE "p"."id" = {}"#,
            p.push(id)
        ),
    };
    let mut p = Params::new(backend);
    let points = days
        .iter()
        .enumerate()
        .map(|(i, d)| format!("(CAST({i} AS BIGINT), {})", p.push(*d)))
        .collect::<Vec<_>>()
        .join(", ");
    let within_pages = pages(&mut p);
    let sql = format!(
        r#"WITH "pts" ("i", "d") AS (VALUES {points}), "pg" AS ({within_pages})
        SELECT "pts"."i", CAST(SUM((SELECT "s"."followers" FROM "page_stat" AS "s"
            WHERE "s"."page_id" = "pg"."id" AND "s"."day" <= "pts"."d" AND "s"."followers" IS NOT NULL
            ORDER BY "s"."day" DESC LIMIT 1)) AS BIGINT)
        FROM "pts" CROSS JOIN "pg" GROUP BY "pts"."i""#
    );
    let mut out: Vec<PointStats> = (0..days.len())
        .map(|point| PointStats {
            point,
            followers: None,
            posts: 0,
        })
        .collect();
    for row in db.query_all_raw(p.statement(sql)).await? {
        let i: i64 = row.try_get_by_index(0)?;
        if let Some(point) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            point.followers = row.try_get_by_index(1)?;
        }
    }
    let mut p = Params::new(backend);
    let intervals = ends
        .iter()
        .enumerate()
        .map(|(i, end)| {
            let start = if i == 0 {
                *end - chrono::Duration::days(1)
            } else {
                ends[i - 1]
            };
            format!("(CAST({i} AS BIGINT), {}, {})", p.push(start), p.push(*end))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let within_pages = pages(&mut p);
    let sql = format!(
        r#"WITH "iv" ("i", "a", "b") AS (VALUES {intervals}), "pg" AS ({within_pages})
        SELECT "iv"."i", COUNT(*) FROM "iv"
        JOIN "post" AS "po" ON "po"."published_at" >= "iv"."a" AND "po"."published_at" < "iv"."b"
        JOIN "pg" ON "pg"."id" = "po"."page_id"
        GROUP BY "iv"."i""#
    );
    for row in db.query_all_raw(p.statement(sql)).await? {
        let i: i64 = row.try_get_by_index(0)?;
        if let Some(point) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            point.posts = count(&row, 1)?;
        }
    }
    Ok(out)
}
