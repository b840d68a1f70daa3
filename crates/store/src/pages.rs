//! Community pages, their history and the duties on them.

use chrono::{NaiveDate, Utc};
use domain::page::{Assignment, Duty, Page, PageEvent, PageStatus, Platform, Staffing};
use domain::text::fold;
use domain::unit::{UnitLevel, UnitPath};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select, SqlErr,
};
use uuid::Uuid;

use crate::entity::page::{self, Column};
use crate::entity::{assignment, page_event, unit};
use crate::filters::{below, count_rows, in_subtree, matches_search};
use crate::{Slice, SliceRequest, StoreError};

/// The position of a page in a page list: by its unit's place in the tree (each unit followed
/// by the units below it), then by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageCursor {
    pub unit_path: String,
    pub id: Uuid,
}

/// The position of a page in the verification queue: oldest report first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReportedCursor {
    pub reported_at: chrono::DateTime<Utc>,
    pub id: Uuid,
}

/// Which pages a list shows. Every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct PageFilter {
    /// Only pages of units in this subtree: the viewer's scope.
    pub within: Option<UnitPath>,
    pub level: Option<UnitLevel>,
    pub platform: Option<Platform>,
    pub status: Option<PageStatus>,
    pub conforms: Option<bool>,
    pub staffing: Option<Staffing>,
    /// Diacritics- and case-insensitive text in the page's name or link.
    pub search: Option<String>,
}

fn search_key(name: &str, url: Option<&str>) -> String {
    fold(&format!("{name} {}", url.unwrap_or_default()))
}

impl TryFrom<page::Model> for Page {
    type Error = StoreError;

    fn try_from(m: page::Model) -> Result<Self, Self::Error> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("page {}: {what}", m.id));
        Ok(Page {
            id: m.id,
            unit_id: m.unit_id,
            platform: m.platform.parse().map_err(|_| corrupt("platform"))?,
            name: m.name,
            name_conforms: m.name_conforms,
            url: m.url,
            status: m.status.parse().map_err(|_| corrupt("status"))?,
            established_on: m.established_on,
            supported_by: m.supported_by,
            supporter_contact: m.supporter_contact,
            notes: m.notes,
            version: m.version,
            reported_at: m.reported_at,
            created_by: m.created_by,
            created_at: m.created_at,
            updated_by: m.updated_by,
            updated_at: m.updated_at,
        })
    }
}

fn active(page: &Page) -> page::ActiveModel {
    page::ActiveModel {
        id: Set(page.id),
        unit_id: Set(page.unit_id),
        platform: Set(page.platform.as_str().to_owned()),
        name: Set(page.name.clone()),
        name_conforms: Set(page.name_conforms),
        url: Set(page.url.clone()),
        url_identity: Set(page
            .url
            .as_deref()
            .map(|url| domain::page::url_identity(page.platform, url))),
        status: Set(page.status.as_str().to_owned()),
        established_on: Set(page.established_on),
        supported_by: Set(page.supported_by.clone()),
        supporter_contact: Set(page.supporter_contact.clone()),
        notes: Set(page.notes.clone()),
        search_key: Set(search_key(&page.name, page.url.as_deref())),
        version: Set(page.version),
        reported_at: Set(page.reported_at),
        created_by: Set(page.created_by),
        created_at: Set(page.created_at),
        updated_by: Set(page.updated_by),
        updated_at: Set(page.updated_at),
    }
}

/// Which unique index a write ran into: the page's link, or the unit's live page.
fn conflict(e: &sea_orm::DbErr) -> Option<StoreError> {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => Some(StoreError::Conflict(
            if message.contains("url") {
                "url"
            } else {
                "unit"
            }
            .to_owned(),
        )),
        _ => None,
    }
}

/// Registers a page. Another live page of the unit on the platform is
/// `Conflict("unit")`; a link that another page has is `Conflict("url")` — decided by the
/// database's unique indexes, so two officers racing cannot both win.
#[tracing::instrument(skip_all, fields(unit = %page.unit_id))]
pub async fn insert(db: &impl ConnectionTrait, page: &Page) -> Result<(), StoreError> {
    match active(page).insert(db).await {
        Ok(_) => Ok(()),
        Err(e) => Err(conflict(&e).unwrap_or_else(|| e.into())),
    }
}

/// Writes `page` (whose version is already raised) over the stored one if that is still at
/// `expected_version`; otherwise `Conflict("version")` and nothing is written.
#[tracing::instrument(skip_all, fields(page = %page.id))]
pub async fn save(
    db: &impl ConnectionTrait,
    page: &Page,
    expected_version: i32,
) -> Result<(), StoreError> {
    let mut model = active(page);
    model.id = sea_orm::ActiveValue::Unchanged(page.id);
    model.created_by = sea_orm::ActiveValue::NotSet;
    model.created_at = sea_orm::ActiveValue::NotSet;
    let result = page::Entity::update_many()
        .set(model)
        .filter(Column::Id.eq(page.id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await;
    match result {
        Ok(r) if r.rows_affected == 1 => Ok(()),
        Ok(_) => Err(StoreError::Conflict("version".to_owned())),
        Err(e) => Err(conflict(&e).unwrap_or_else(|| e.into())),
    }
}

/// The page with this id.
#[tracing::instrument(skip(db))]
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Page>, StoreError> {
    page::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Page::try_from)
        .transpose()
}

/// The pages with these ids, in no particular order; unknown ids are left out.
#[tracing::instrument(skip_all, fields(count = ids.len()))]
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Page>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    page::Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Page::try_from)
        .collect()
}

/// The live page on `platform` of each of these units that has one.
#[tracing::instrument(skip_all, fields(count = unit_ids.len()))]
pub async fn live_of_units(
    db: &impl ConnectionTrait,
    unit_ids: &[Uuid],
    platform: Platform,
) -> Result<Vec<Page>, StoreError> {
    if unit_ids.is_empty() {
        return Ok(Vec::new());
    }
    page::Entity::find()
        .filter(Column::UnitId.is_in(unit_ids.iter().copied()))
        .filter(Column::Platform.eq(platform.as_str()))
        .filter(Column::Status.ne(PageStatus::Closed.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(Page::try_from)
        .collect()
}

/// The page has (or lacks) a current holder of every duty: one probe of the unique index of
/// current assignments per duty.
fn staffed(staffing: Staffing) -> sea_orm::sea_query::SimpleExpr {
    let held = |duty: Duty| {
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(assignment::Entity)
                .and_where(
                    Expr::col((assignment::Entity, assignment::Column::PageId))
                        .equals((page::Entity, Column::Id)),
                )
                .and_where(assignment::Column::Duty.eq(duty.as_str()))
                .and_where(assignment::Column::EndsOn.is_null())
                .to_owned(),
        )
    };
    let complete = held(Duty::Leader).and(held(Duty::Operator));
    match staffing {
        Staffing::Complete => complete,
        Staffing::Incomplete => complete.not(),
    }
}

impl PageFilter {
    /// Whether the filter reads the pages' units: a subtree smaller than the whole country,
    /// or a level.
    fn needs_units(&self) -> bool {
        self.level.is_some() || self.within.as_ref().is_some_and(|w| w.depth() > 0)
    }

    fn condition(&self) -> Condition {
        let mut cond = Condition::all();
        if let Some(within) = self.within.as_ref().filter(|w| w.depth() > 0) {
            cond = cond.add(in_subtree(unit::Column::Path, within));
        }
        if let Some(level) = self.level {
            cond = cond.add(unit::Column::Level.eq(level.as_str()));
        }
        if let Some(platform) = self.platform {
            cond = cond.add(Column::Platform.eq(platform.as_str()));
        }
        if let Some(status) = self.status {
            cond = cond.add(Column::Status.eq(status.as_str()));
        }
        if let Some(conforms) = self.conforms {
            cond = cond.add(Column::NameConforms.eq(conforms));
        }
        if let Some(staffing) = self.staffing {
            cond = cond.add(staffed(staffing));
        }
        if let Some(search) = self
            .search
            .as_deref()
            .and_then(|s| matches_search(Column::SearchKey, s))
        {
            cond = cond.add(search);
        }
        cond
    }
}

fn with_unit() -> Select<page::Entity> {
    page::Entity::find().join(JoinType::InnerJoin, page::Relation::Unit.def())
}

/// One slice of the pages matching `filter`, in tree order of their units.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &PageFilter,
    slice: &SliceRequest<PageCursor>,
) -> Result<Slice<(Page, String)>, StoreError> {
    let mut query = with_unit().filter(filter.condition());
    if let Some(after) = &slice.after {
        query = query.filter(
            Condition::any()
                .add(unit::Column::Path.gt(after.unit_path.as_str()))
                .add(
                    unit::Column::Path
                        .eq(after.unit_path.as_str())
                        .and(Column::Id.gt(after.id)),
                ),
        );
    }
    let rows = query
        .select_also(unit::Entity)
        .order_by_asc(unit::Column::Path)
        .order_by_asc(Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(rows, slice.first, |(page, unit)| {
        let path = unit.map(|u| u.path).unwrap_or_default();
        Ok((Page::try_from(page)?, path))
    })
}

/// How many pages match `filter`. Over the whole country without a level, the units are not
/// read: every page is of a unit in it.
pub async fn count(db: &impl ConnectionTrait, filter: &PageFilter) -> Result<u64, StoreError> {
    let pages = if filter.needs_units() {
        with_unit()
    } else {
        page::Entity::find()
    };
    count_rows(db, pages.filter(filter.condition())).await
}

fn reported_below(above: &UnitPath) -> Select<page::Entity> {
    let reported = page::Entity::find().filter(Column::Status.eq(PageStatus::Reported.as_str()));
    if above.depth() == 0 {
        // Below the national root: every page but the root's own.
        reported.filter(
            Column::UnitId.not_in_subquery(
                Query::select()
                    .column(unit::Column::Id)
                    .from(unit::Entity)
                    .and_where(unit::Column::Depth.eq(0))
                    .to_owned(),
            ),
        )
    } else {
        reported
            .join(JoinType::InnerJoin, page::Relation::Unit.def())
            .filter(below(unit::Column::Path, above))
    }
}

/// One slice of the reported pages of the units below the unit at `above`, oldest report
/// first: what its admins have to verify.
#[tracing::instrument(skip(db))]
pub async fn awaiting_verification(
    db: &impl ConnectionTrait,
    above: &UnitPath,
    slice: &SliceRequest<ReportedCursor>,
) -> Result<Slice<Page>, StoreError> {
    let mut query = reported_below(above);
    if let Some(after) = &slice.after {
        query = query.filter(
            Condition::any()
                .add(Column::ReportedAt.gt(after.reported_at))
                .add(
                    Column::ReportedAt
                        .eq(after.reported_at)
                        .and(Column::Id.gt(after.id)),
                ),
        );
    }
    let rows = query
        .order_by_asc(Column::ReportedAt)
        .order_by_asc(Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(rows, slice.first, Page::try_from)
}

/// How many reported pages wait below the unit at `above`.
pub async fn count_awaiting_verification(
    db: &impl ConnectionTrait,
    above: &UnitPath,
) -> Result<u64, StoreError> {
    count_rows(db, reported_below(above)).await
}

/// Keeps one entry of a page's history.
pub async fn add_event(db: &impl ConnectionTrait, event: &PageEvent) -> Result<(), StoreError> {
    page_event::ActiveModel {
        id: Set(event.id),
        page_id: Set(event.page_id),
        occurred_at: Set(event.occurred_at),
        actor_id: Set(event.actor_id),
        action: Set(event.action.clone()),
        from_status: Set(event.from_status.map(|s| s.as_str().to_owned())),
        to_status: Set(event.to_status.as_str().to_owned()),
        reason: Set(event.reason.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The history of these pages, oldest first.
#[tracing::instrument(skip_all, fields(count = page_ids.len()))]
pub async fn events_of(
    db: &impl ConnectionTrait,
    page_ids: &[Uuid],
) -> Result<Vec<PageEvent>, StoreError> {
    if page_ids.is_empty() {
        return Ok(Vec::new());
    }
    page_event::Entity::find()
        .filter(page_event::Column::PageId.is_in(page_ids.iter().copied()))
        .order_by_asc(page_event::Column::OccurredAt)
        .order_by_asc(page_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let corrupt = || StoreError::Corrupt(format!("page event {}", m.id));
            Ok(PageEvent {
                id: m.id,
                page_id: m.page_id,
                occurred_at: m.occurred_at,
                actor_id: m.actor_id,
                action: m.action,
                from_status: m
                    .from_status
                    .map(|s| s.parse().map_err(|_| corrupt()))
                    .transpose()?,
                to_status: m.to_status.parse().map_err(|_| corrupt())?,
                reason: m.reason,
            })
        })
        .collect()
}

impl TryFrom<assignment::Model> for Assignment {
    type Error = StoreError;

    fn try_from(m: assignment::Model) -> Result<Self, Self::Error> {
        Ok(Assignment {
            id: m.id,
            page_id: m.page_id,
            person_id: m.person_id,
            duty: m
                .duty
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("assignment {}: duty", m.id)))?,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            created_by: m.created_by,
            created_at: m.created_at,
        })
    }
}

/// Every assignment of these pages, current and past, the latest first.
#[tracing::instrument(skip_all, fields(count = page_ids.len()))]
pub async fn assignments_of(
    db: &impl ConnectionTrait,
    page_ids: &[Uuid],
    current_only: bool,
) -> Result<Vec<Assignment>, StoreError> {
    if page_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = assignment::Entity::find()
        .filter(assignment::Column::PageId.is_in(page_ids.iter().copied()));
    if current_only {
        query = query.filter(assignment::Column::EndsOn.is_null());
    }
    query
        .order_by_desc(assignment::Column::StartsOn)
        .order_by_desc(assignment::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(Assignment::try_from)
        .collect()
}

/// Ends the current holding of `duty` on the page, if any, on `ends_on`; returns it.
pub async fn end_duty(
    db: &impl ConnectionTrait,
    page_id: Uuid,
    duty: Duty,
    ends_on: NaiveDate,
) -> Result<Option<Assignment>, StoreError> {
    let Some(current) = assignment::Entity::find()
        .filter(assignment::Column::PageId.eq(page_id))
        .filter(assignment::Column::Duty.eq(duty.as_str()))
        .filter(assignment::Column::EndsOn.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let mut ended: assignment::ActiveModel = current.clone().into();
    ended.ends_on = Set(Some(ends_on));
    ended.update(db).await?;
    let mut ended = Assignment::try_from(current)?;
    ended.ends_on = Some(ends_on);
    Ok(Some(ended))
}

/// Records that a person holds a duty from now on. A current holder of the same duty on the
/// page (a concurrent assignment) is `Conflict("duty")`.
pub async fn add_assignment(
    db: &impl ConnectionTrait,
    assignment: &Assignment,
) -> Result<(), StoreError> {
    let model = assignment::ActiveModel {
        id: Set(assignment.id),
        page_id: Set(assignment.page_id),
        person_id: Set(assignment.person_id),
        duty: Set(assignment.duty.as_str().to_owned()),
        starts_on: Set(assignment.starts_on),
        ends_on: Set(assignment.ends_on),
        created_by: Set(assignment.created_by),
        created_at: Set(assignment.created_at),
    };
    match model.insert(db).await {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(StoreError::Conflict("duty".to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the person currently holds a duty on any page.
pub async fn holds_a_duty(db: &impl ConnectionTrait, person_id: Uuid) -> Result<bool, StoreError> {
    let n = count_rows(
        db,
        assignment::Entity::find()
            .filter(assignment::Column::PersonId.eq(person_id))
            .filter(assignment::Column::EndsOn.is_null()),
    )
    .await?;
    Ok(n > 0)
}

/// The name of every page that is not closed: (page id, unit id, name, whether it conformed
/// when last checked).
pub async fn live_names(
    db: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, Uuid, String, bool)>, StoreError> {
    Ok(page::Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::UnitId)
        .column(Column::Name)
        .column(Column::NameConforms)
        .filter(Column::Status.ne(PageStatus::Closed.as_str()))
        .into_tuple()
        .all(db)
        .await?)
}

/// Records whether the names of these pages conform, in statements of at most 500 ids.
pub async fn set_name_conforms(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    conforms: bool,
) -> Result<(), StoreError> {
    for chunk in ids.chunks(500) {
        page::Entity::update_many()
            .col_expr(Column::NameConforms, Expr::value(conforms))
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}
