//! Queries over the administrative unit tree.

use domain::unit::UnitPath;
use domain::{Unit, UnitCode, UnitKind, UnitLevel};
use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, QueryTrait, Select, Statement,
};
use uuid::Uuid;

use crate::entity::unit::{self, Column};
use crate::filters::{below, count_rows, counting, in_subtree, matches_search};
use crate::{Slice, SliceRequest, StoreError};

/// The position of a unit in every unit list: shallower units first, then by official code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitCursor {
    pub depth: i16,
    pub code: String,
}

impl UnitCursor {
    pub fn of(unit: &Unit) -> Self {
        Self {
            depth: i16::try_from(unit.path.depth()).unwrap_or(i16::MAX),
            code: unit.code.as_str().to_owned(),
        }
    }
}

/// Which units a list shows. Every field narrows it; an empty filter lists everything.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Only this unit and its descendants: the viewer's scope.
    pub within: Option<UnitPath>,
    /// Only the descendants of the unit at this path, the unit itself left out.
    pub below: Option<UnitPath>,
    /// Only the direct children of this unit.
    pub parent_id: Option<Uuid>,
    /// Only the direct children of the unit with this code, if that unit lies within
    /// `within`: the parent is looked up in the same statement as the list. An unknown or
    /// out-of-scope parent lists nothing, like a parent without children; tell them apart
    /// only when that matters (an empty first slice).
    pub parent_code: Option<String>,
    pub level: Option<UnitLevel>,
    /// Diacritics- and case-insensitive text found in the code or the full name.
    pub search: Option<String>,
}

impl UnitFilter {
    fn condition(&self) -> Condition {
        let mut cond = Condition::all();
        if let Some(within) = &self.within {
            cond = cond.add(in_subtree(Column::Path, within));
        }
        if let Some(above) = &self.below {
            cond = cond.add(below(Column::Path, above));
        }
        if let Some(parent_id) = self.parent_id {
            cond = cond.add(Column::ParentId.eq(parent_id));
        }
        if let Some(code) = &self.parent_code {
            let mut parent = Query::select()
                .column(Column::Id)
                .from(unit::Entity)
                .and_where(Column::Code.eq(code.as_str()))
                .to_owned();
            if let Some(within) = &self.within {
                parent.and_where(in_subtree(Column::Path, within));
            }
            cond = cond.add(Column::ParentId.in_subquery(parent));
        }
        if let Some(level) = self.level {
            cond = cond.add(Column::Level.eq(level.as_str()));
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

impl TryFrom<unit::Model> for Unit {
    type Error = StoreError;

    fn try_from(m: unit::Model) -> Result<Self, Self::Error> {
        unit_of((m.id, m.code, m.name, m.kind, m.level, m.parent_id, m.path))
    }
}

/// The columns a [`Unit`] is made of, in the order a [`UnitRow`] holds them. Lists select
/// only these and decode them by position: by name, sqlx hashes every column's name for every
/// row, which cost more than the rest of a unit list's decoding.
const UNIT_COLUMNS: [Column; 7] = [
    Column::Id,
    Column::Code,
    Column::Name,
    Column::Kind,
    Column::Level,
    Column::ParentId,
    Column::Path,
];

/// A unit as [`UNIT_COLUMNS`] reads it.
type UnitRow = (Uuid, String, String, String, String, Option<Uuid>, String);

/// Where a windowed statement puts `list_total`, the count of the list a row belongs to:
/// right after [`UNIT_COLUMNS`].
const LIST_TOTAL_AT: usize = UNIT_COLUMNS.len();

/// A row of [`UNIT_COLUMNS`] followed by `list_total`.
fn counted_row(row: &QueryResult) -> Result<(UnitRow, u64), StoreError> {
    let unit: UnitRow = row.try_get_many_by_index()?;
    let total: i64 = row.try_get_by_index(LIST_TOTAL_AT)?;
    Ok((unit, count_of(total)))
}

/// Every unit, selecting [`UNIT_COLUMNS`].
fn units() -> Select<unit::Entity> {
    unit::Entity::find().select_only().columns(UNIT_COLUMNS)
}

fn unit_of((id, code, name, kind, level, parent_id, path): UnitRow) -> Result<Unit, StoreError> {
    let corrupt = |e: domain::DomainError| StoreError::Corrupt(format!("unit {code}: {e}"));
    let level: UnitLevel = level.parse().map_err(corrupt)?;
    let kind = UnitKind::parse_at(&kind, level).map_err(corrupt)?;
    let code = UnitCode::parse(&code).map_err(corrupt)?;
    Ok(Unit {
        id,
        code,
        name,
        kind,
        level,
        parent_id,
        path: UnitPath::from_stored(path),
    })
}

fn convert(rows: Vec<UnitRow>) -> Result<Vec<Unit>, StoreError> {
    rows.into_iter().map(unit_of).collect()
}

fn count_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The unit with this official code.
#[tracing::instrument(skip(db))]
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Unit>, StoreError> {
    units()
        .filter(Column::Code.eq(code))
        .into_tuple::<UnitRow>()
        .one(db)
        .await?
        .map(unit_of)
        .transpose()
}

/// The unit with this id.
#[tracing::instrument(skip(db))]
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Unit>, StoreError> {
    units()
        .filter(Column::Id.eq(id))
        .into_tuple::<UnitRow>()
        .one(db)
        .await?
        .map(unit_of)
        .transpose()
}

/// The units with these ids, in no particular order; unknown ids are left out.
#[tracing::instrument(skip_all, fields(count = ids.len()))]
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Unit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    convert(
        units()
            .filter(Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(db)
            .await?,
    )
}

/// The ancestors of `unit` below the national root, from the province down, without the unit.
#[tracing::instrument(skip_all, fields(code = %unit.code))]
pub async fn ancestors(db: &impl ConnectionTrait, unit: &Unit) -> Result<Vec<Unit>, StoreError> {
    let codes: Vec<&str> = unit
        .path
        .codes()
        .skip(1)
        .filter(|c| *c != unit.code.as_str())
        .collect();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    convert(
        units()
            .filter(Column::Code.is_in(codes))
            .order_by_asc(Column::Depth)
            .into_tuple()
            .all(db)
            .await?,
    )
}

/// The units after `cursor` in list order.
fn after_cursor(cursor: &UnitCursor) -> Condition {
    Condition::any().add(Column::Depth.gt(cursor.depth)).add(
        Condition::all()
            .add(Column::Depth.eq(cursor.depth))
            .add(Column::Code.gt(&cursor.code)),
    )
}

/// One slice of the units matching `filter`, in cursor order.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &UnitFilter,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<Unit>, StoreError> {
    let rows: Vec<UnitRow> = list_select(filter, slice).into_tuple().all(db).await?;
    Slice::from_rows(rows, slice.first, unit_of)
}

/// The first slice of the units matching `filter` together with how many match in all, in
/// one statement (`COUNT(*) OVER ()`, computed before the `LIMIT`). Worth it for lists that
/// are small whatever the slice (the children of one parent, a search): the count then costs
/// no round trip of its own. For a whole subtree, [`list`] and [`count`] are cheaper: the
/// window would read every row the `LIMIT` lets the list skip.
#[tracing::instrument(skip(db))]
pub async fn list_counted(
    db: &impl ConnectionTrait,
    filter: &UnitFilter,
    first: u64,
) -> Result<Slice<Unit>, StoreError> {
    let first_slice = SliceRequest { first, after: None };
    let statement = list_select(filter, &first_slice)
        .expr_as(Expr::cust("COUNT(*) OVER ()"), "list_total")
        .into_query();
    let rows = db
        .query_all(&statement)
        .await?
        .iter()
        .map(counted_row)
        .collect::<Result<Vec<_>, _>>()?;
    let total = rows.first().map_or(0, |(_, total)| *total);
    let mut slice = Slice::from_rows(rows, first, |(unit, _)| unit_of(unit))?;
    slice.total = Some(total);
    Ok(slice)
}

fn list_select(filter: &UnitFilter, slice: &SliceRequest<UnitCursor>) -> Select<unit::Entity> {
    let mut cond = filter.condition();
    if let Some(after) = &slice.after {
        cond = cond.add(after_cursor(after));
    }
    units()
        .filter(cond)
        .order_by_asc(Column::Depth)
        .order_by_asc(Column::Code)
        .limit(slice.first + 1)
}

/// The statements [`list`], [`count`], [`children_of`] and [`child_counts`] run for these
/// arguments, as sent to a database of `backend`: for `EXPLAIN` in tests and benchmarks, so
/// that what is checked is what runs.
pub fn statements(
    backend: DbBackend,
    filter: &UnitFilter,
    slice: &SliceRequest<UnitCursor>,
    parent_ids: &[Uuid],
) -> Vec<Statement> {
    let within = filter.within.as_ref();
    vec![
        list_select(filter, slice).build(backend),
        count_select(filter).build(backend),
        backend.build(&children_statement(parent_ids, within, slice)),
        child_counts_select(parent_ids, within).build(backend),
    ]
}

/// How many units match `filter`: `SELECT COUNT(*)`, which an index can answer, not a count
/// over a subquery of every column.
#[tracing::instrument(skip(db))]
pub async fn count(db: &impl ConnectionTrait, filter: &UnitFilter) -> Result<u64, StoreError> {
    count_rows(db, unit::Entity::find().filter(filter.condition())).await
}

fn count_select(filter: &UnitFilter) -> Select<unit::Entity> {
    counting(unit::Entity::find().filter(filter.condition()))
}

/// How many units there are, the national root included.
pub async fn total(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    count_rows(db, unit::Entity::find()).await
}

/// The units with these official codes, in no particular order; unknown codes are left out.
#[tracing::instrument(skip_all, fields(count = codes.len()))]
pub async fn by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<Vec<Unit>, StoreError> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    convert(
        units()
            .filter(Column::Code.is_in(codes.iter().map(String::as_str)))
            .into_tuple()
            .all(db)
            .await?,
    )
}

/// For each of `parent_ids`, one slice of its children within `within`, in list order: one
/// statement for every parent, whatever their number (`ROW_NUMBER()` over each parent's
/// children keeps the first `slice.first + 1` of each). A parent with no children in range
/// gets an empty slice. The first slices (no cursor) also carry how many children each
/// parent has (`COUNT(*)` over the same window), so their `totalCount` costs nothing more.
#[tracing::instrument(skip_all, fields(parents = parent_ids.len(), first = slice.first))]
pub async fn children_of(
    db: &impl ConnectionTrait,
    parent_ids: &[Uuid],
    within: Option<&UnitPath>,
    slice: &SliceRequest<UnitCursor>,
) -> Result<HashMap<Uuid, Slice<Unit>>, StoreError> {
    let counted = slice.after.is_none();
    let mut slices: HashMap<Uuid, Slice<Unit>> = parent_ids
        .iter()
        .map(|id| (*id, Slice::empty(counted)))
        .collect();
    if parent_ids.is_empty() {
        return Ok(slices);
    }
    let statement = children_statement(parent_ids, within, slice);
    let found = db
        .query_all(&statement)
        .await?
        .iter()
        .map(counted_row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut rows: HashMap<Uuid, Vec<(UnitRow, u64)>> = HashMap::new();
    for row in found {
        if let Some(parent) = row.0.5 {
            rows.entry(parent).or_default().push(row);
        }
    }
    for (parent, rows) in rows {
        let total = rows.first().map_or(0, |(_, total)| *total);
        let mut children = Slice::from_rows(rows, slice.first, |(unit, _)| unit_of(unit))?;
        children.total = counted.then_some(total);
        slices.insert(parent, children);
    }
    Ok(slices)
}

fn children_statement(
    parent_ids: &[Uuid],
    within: Option<&UnitPath>,
    slice: &SliceRequest<UnitCursor>,
) -> SelectStatement {
    let mut cond = Condition::all().add(Column::ParentId.is_in(parent_ids.iter().copied()));
    if let Some(within) = within {
        cond = cond.add(in_subtree(Column::Path, within));
    }
    if let Some(after) = &slice.after {
        cond = cond.add(after_cursor(after));
    }
    let ranked = units()
        .filter(cond)
        // `list_total` right after the unit's columns, where `counted_row` reads it.
        .expr_as(
            Expr::cust("COUNT(*) OVER (PARTITION BY parent_id)"),
            "list_total",
        )
        .expr_as(
            Expr::cust("ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY depth, code)"),
            "rank_in_parent",
        )
        .into_query();
    let keep = i64::try_from(slice.first.saturating_add(1)).unwrap_or(i64::MAX);
    Query::select()
        .column(Asterisk)
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new("rank_in_parent")).lte(keep))
        // Siblings share their depth: the order within a parent is by code.
        .order_by(Column::ParentId, sea_orm::Order::Asc)
        .order_by(Column::Code, sea_orm::Order::Asc)
        .to_owned()
}

fn child_counts_select(parent_ids: &[Uuid], within: Option<&UnitPath>) -> Select<unit::Entity> {
    let mut cond = Condition::all().add(Column::ParentId.is_in(parent_ids.iter().copied()));
    if let Some(within) = within {
        cond = cond.add(in_subtree(Column::Path, within));
    }
    unit::Entity::find()
        .select_only()
        .column(Column::ParentId)
        .column_as(Expr::cust("COUNT(*)"), "children")
        .filter(cond)
        .group_by(Column::ParentId)
}

/// How many children within `within` each of `parent_ids` has, in one statement; a parent
/// without any is left out.
#[tracing::instrument(skip_all, fields(parents = parent_ids.len()))]
pub async fn child_counts(
    db: &impl ConnectionTrait,
    parent_ids: &[Uuid],
    within: Option<&UnitPath>,
) -> Result<HashMap<Uuid, u64>, StoreError> {
    if parent_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let counts: Vec<(Uuid, i64)> = child_counts_select(parent_ids, within)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts
        .into_iter()
        .map(|(parent, n)| (parent, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Refreshes the planner's statistics of the unit table, after a list was loaded or changed
/// in bulk: until autovacuum gets to it, PostgreSQL plans subtree queries blind.
pub async fn analyze(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    db.execute_unprepared("ANALYZE unit").await?;
    Ok(())
}
