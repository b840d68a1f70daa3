//! Queries over the administrative unit tree.

use domain::unit::UnitPath;
use domain::{Unit, UnitCode, UnitKind, UnitLevel};
use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::sqlx::{self, Row as _};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, IdenStatic, QueryFilter,
    QueryOrder, QueryResult, QuerySelect, QueryTrait, Select, Statement,
};
use uuid::Uuid;

use crate::entity::unit::{self, Column};
use crate::filters::{below, count_rows, counting, in_subtree, matches_search, subtree_range};
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
        unit_from(
            m.id,
            &m.code,
            m.name,
            &m.kind,
            &m.level,
            m.parent_id,
            m.path,
        )
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

/// [`UNIT_COLUMNS`] for a statement written out by hand, quoted, each after `prefix` (a
/// table's quoted name and a dot, or nothing).
pub(crate) fn unit_columns(prefix: &str) -> String {
    UNIT_COLUMNS
        .iter()
        .map(|column| format!(r#"{prefix}"{}""#, column.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many columns [`unit_columns`] lists: what a statement selects after them starts here.
pub(crate) const UNIT_COLUMN_COUNT: usize = UNIT_COLUMNS.len();

/// A unit as [`UNIT_COLUMNS`] reads it.
type UnitRow = (Uuid, String, String, String, String, Option<Uuid>, String);

/// Where a windowed statement puts `list_total`, the count of the list a row belongs to:
/// right after [`UNIT_COLUMNS`].
const LIST_TOTAL_AT: usize = UNIT_COLUMNS.len();

/// A unit from a row of [`UNIT_COLUMNS`] followed by `list_total`.
fn counted_unit(row: &QueryResult) -> Result<(Unit, u64), StoreError> {
    let unit = read_unit(row)?;
    let total: i64 = match row.try_as_pg_row() {
        Some(pg) => pg.try_get_unchecked(LIST_TOTAL_AT).map_err(undecodable)?,
        None => row.try_get_by_index(LIST_TOTAL_AT)?,
    };
    Ok((unit, count_of(total)))
}

/// A unit from a row of [`UNIT_COLUMNS`]. On PostgreSQL it is decoded from sqlx's row without
/// sqlx's check of each column's type against the Rust type (the statement names the columns,
/// so their types are known; the values are still checked as they are decoded): that check
/// cost as much as the decoding itself. The code, kind and level are read in place, not
/// copied into strings of their own first.
pub(crate) fn read_unit(row: &QueryResult) -> Result<Unit, StoreError> {
    let Some(pg) = row.try_as_pg_row() else {
        let (id, code, name, kind, level, parent_id, path): UnitRow =
            row.try_get_many_by_index()?;
        return unit_from(id, &code, name, &kind, &level, parent_id, path);
    };
    let get = || -> Result<Result<Unit, StoreError>, sqlx::Error> {
        Ok(unit_from(
            pg.try_get_unchecked(0)?,
            pg.try_get_unchecked(1)?,
            pg.try_get_unchecked(2)?,
            pg.try_get_unchecked(3)?,
            pg.try_get_unchecked(4)?,
            pg.try_get_unchecked(5)?,
            pg.try_get_unchecked(6)?,
        ))
    };
    get().map_err(undecodable)?
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "a map_err function, and the error ends here"
)]
fn undecodable(e: sqlx::Error) -> StoreError {
    StoreError::Corrupt(format!("a unit row cannot be read: {e}"))
}

/// The units `select` (of [`UNIT_COLUMNS`]) finds.
async fn read_units(
    db: &impl ConnectionTrait,
    select: Select<unit::Entity>,
) -> Result<Vec<Unit>, StoreError> {
    let statement = select.build(db.get_database_backend());
    db.query_all_raw(statement)
        .await?
        .iter()
        .map(read_unit)
        .collect()
}

/// The first unit `select` (of [`UNIT_COLUMNS`]) finds.
async fn read_one_unit(
    db: &impl ConnectionTrait,
    select: Select<unit::Entity>,
) -> Result<Option<Unit>, StoreError> {
    let statement = select.limit(1).build(db.get_database_backend());
    db.query_one_raw(statement)
        .await?
        .as_ref()
        .map(read_unit)
        .transpose()
}

/// Every unit, selecting [`UNIT_COLUMNS`].
fn units() -> Select<unit::Entity> {
    unit::Entity::find().select_only().columns(UNIT_COLUMNS)
}

/// A unit from its stored columns, checked against the domain's rules.
fn unit_from(
    id: Uuid,
    code: &str,
    name: String,
    kind: &str,
    level: &str,
    parent_id: Option<Uuid>,
    path: String,
) -> Result<Unit, StoreError> {
    let corrupt = |e: domain::DomainError| StoreError::Corrupt(format!("unit {code}: {e}"));
    let level: UnitLevel = level.parse().map_err(corrupt)?;
    let kind = UnitKind::parse_at(kind, level).map_err(corrupt)?;
    let code = UnitCode::parse(code).map_err(corrupt)?;
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

fn count_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The unit with this official code.
#[tracing::instrument(skip(db))]
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Unit>, StoreError> {
    read_one_unit(db, units().filter(Column::Code.eq(code))).await
}

/// The unit with this official code and every unit above it up to the national root (nearest
/// first), in one statement: a walk up the parents (`WITH RECURSIVE`), for a client that
/// reads a unit with its parents or ancestors. Each step must go up a level, so even a
/// corrupt table with a cycle of parents ends the walk.
#[tracing::instrument(skip(db))]
pub async fn with_ancestors(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<(Unit, Vec<Unit>)>, StoreError> {
    let backend = db.get_database_backend();
    let placeholder = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let (columns, of_u) = (unit_columns(""), unit_columns(r#""u"."#));
    let sql = format!(
        r#"WITH RECURSIVE "up" ({columns}, "depth") AS (
            SELECT {columns}, "depth" FROM "unit" WHERE "code" = {placeholder}
            UNION ALL
            SELECT {of_u}, "u"."depth"
            FROM "unit" AS "u" JOIN "up" ON "u"."id" = "up"."parent_id" AND "u"."depth" < "up"."depth"
        ) SELECT {columns} FROM "up" ORDER BY "depth" DESC"#
    );
    let statement = Statement::from_sql_and_values(backend, sql, [code.into()]);
    let mut units = db
        .query_all_raw(statement)
        .await?
        .iter()
        .map(read_unit)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    // The deepest is the unit itself, unless the code is unknown.
    Ok(units
        .next()
        .filter(|unit| unit.code.as_str() == code)
        .map(|unit| (unit, units.collect())))
}

/// Every unit of the tree (10,811 for the whole country): for work over the whole tree, such
/// as checking every page's name again after an import.
#[tracing::instrument(skip(db))]
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Unit>, StoreError> {
    read_units(db, units()).await
}

/// The unit with this id.
#[tracing::instrument(skip(db))]
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Unit>, StoreError> {
    read_one_unit(db, units().filter(Column::Id.eq(id))).await
}

/// The units with these ids, in no particular order; unknown ids are left out.
#[tracing::instrument(skip_all, fields(count = ids.len()))]
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Unit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    read_units(db, units().filter(Column::Id.is_in(ids.iter().copied()))).await
}

/// Every unit of the subtree at `within`, the unit itself first, in tree order.
#[tracing::instrument(skip(db))]
pub async fn subtree(
    db: &impl ConnectionTrait,
    within: &UnitPath,
) -> Result<Vec<Unit>, StoreError> {
    read_units(
        db,
        units()
            .filter(in_subtree(Column::Path, within))
            .order_by_asc(Column::Path),
    )
    .await
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
    read_units(
        db,
        units()
            .filter(Column::Code.is_in(codes))
            .order_by_asc(Column::Depth),
    )
    .await
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
    let rows = read_units(db, list_select(filter, slice)).await?;
    Slice::from_rows(rows, slice.first, Ok)
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
        .map(counted_unit)
        .collect::<Result<Vec<_>, _>>()?;
    let total = rows.first().map_or(0, |(_, total)| *total);
    let mut slice = Slice::from_rows(rows, first, |(unit, _)| Ok(unit))?;
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
        children_statement(backend, parent_ids, within, slice),
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
    read_units(
        db,
        units().filter(Column::Code.is_in(codes.iter().map(String::as_str))),
    )
    .await
}

/// For each of `parent_ids` that lies within `within`, one slice of its children, in list
/// order: one statement for every parent, whatever their number. A parent with no children,
/// or outside `within`, gets an empty slice. The first slices (no cursor) also carry how many
/// children each parent has, so their `totalCount` costs nothing more.
///
/// The scope is checked on the parents: a subtree holds the children of each of its units,
/// and every unit a viewer can reach lies within its scope.
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
    let statement = children_statement(db.get_database_backend(), parent_ids, within, slice);
    let mut rows: HashMap<Uuid, Vec<(Unit, u64)>> = HashMap::new();
    for row in db.query_all_raw(statement).await? {
        let row = if counted {
            counted_unit(&row)?
        } else {
            (read_unit(&row)?, 0)
        };
        if let Some(parent) = row.0.parent_id {
            rows.entry(parent).or_default().push(row);
        }
    }
    for (parent, mut rows) in rows {
        // Siblings share their depth: list order among them is code order, and codes are
        // ASCII, ordered alike by every collation.
        rows.sort_unstable_by(|(a, _), (b, _)| a.code.cmp(&b.code));
        let total = rows.first().map_or(0, |(_, total)| *total);
        let mut children = Slice::from_rows(rows, slice.first, |(unit, _)| Ok(unit))?;
        children.total = counted.then_some(total);
        slices.insert(parent, children);
    }
    Ok(slices)
}

/// The statement of [`children_of`]. Its rows come in no particular order; a first slice
/// (no cursor) has each parent's count of children after [`UNIT_COLUMNS`].
fn children_statement(
    backend: DbBackend,
    parent_ids: &[Uuid],
    within: Option<&UnitPath>,
    slice: &SliceRequest<UnitCursor>,
) -> Statement {
    match backend {
        DbBackend::Postgres => children_lateral(parent_ids, within, slice),
        _ => backend.build(&children_windowed(parent_ids, within, slice)),
    }
}

/// On PostgreSQL: for each parent, a `LATERAL` walk of the `(parent_id, code)` index that
/// stops after `first + 1` children, and an index-only count of them. No sort: a window over
/// every child (what SQLite gets) sorted all 234 communes of 17 districts to keep 102, and
/// cost PostgreSQL two and a half times the CPU.
fn children_lateral(
    parent_ids: &[Uuid],
    within: Option<&UnitPath>,
    slice: &SliceRequest<UnitCursor>,
) -> Statement {
    use std::fmt::Write as _;

    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(parent_ids.len() + 5);
    let mut param = |value: sea_orm::Value| {
        values.push(value);
        format!("${}", values.len())
    };
    let counted = slice.after.is_none();
    let mut sql = format!("SELECT {}", unit_columns(r#""c"."#));
    if counted {
        sql.push_str(r#", "n"."list_total""#);
    }
    sql.push_str(r#" FROM "unit" AS "p""#);
    if counted {
        sql.push_str(
            r#" CROSS JOIN LATERAL (SELECT COUNT(*) AS "list_total" FROM "unit" WHERE "parent_id" = "p"."id") AS "n""#,
        );
    }
    let _ = write!(
        sql,
        r#" CROSS JOIN LATERAL (SELECT {} FROM "unit" WHERE "parent_id" = "p"."id""#,
        unit_columns("")
    );
    if let Some(after) = &slice.after {
        let depth = param(after.depth.into());
        let code = param(after.code.as_str().into());
        let _ = write!(
            sql,
            r#" AND ("depth" > {depth} OR ("depth" = {depth} AND "code" > {code}))"#
        );
    }
    // Siblings share their depth: their list order is code order, the index's.
    let keep = param(
        i64::try_from(slice.first.saturating_add(1))
            .unwrap_or(i64::MAX)
            .into(),
    );
    let _ = write!(
        sql,
        r#" ORDER BY "code" LIMIT {keep}) AS "c" WHERE "p"."id" IN ("#
    );
    for (i, id) in parent_ids.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let id = param((*id).into());
        sql.push_str(&id);
    }
    sql.push(')');
    if let Some(within) = within {
        let (from, until) = subtree_range(within);
        let (from, until) = (param(from.into()), param(until.into()));
        let _ = write!(sql, r#" AND "p"."path" >= {from} AND "p"."path" < {until}"#);
    }
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// Elsewhere (SQLite, which has no `LATERAL`): `ROW_NUMBER()` over each parent's children
/// keeps the first `slice.first + 1` of each, and `COUNT(*)` over the same window counts them.
fn children_windowed(
    parent_ids: &[Uuid],
    within: Option<&UnitPath>,
    slice: &SliceRequest<UnitCursor>,
) -> SelectStatement {
    let mut cond = children_within(parent_ids, within);
    if let Some(after) = &slice.after {
        cond = cond.add(after_cursor(after));
    }
    let ranked = units()
        .filter(cond)
        // `list_total` right after the unit's columns, where `counted_unit` reads it.
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
        .to_owned()
}

/// The children of those of `parent_ids` that lie within `within`. The ids are given twice,
/// so that PostgreSQL reads the children from the `(parent_id, code)` index: with only the
/// subquery, it guesses a handful of children in all and scans the table to join them.
fn children_within(parent_ids: &[Uuid], within: Option<&UnitPath>) -> Condition {
    Condition::all()
        .add(Column::ParentId.is_in(parent_ids.iter().copied()))
        .add(Column::ParentId.in_subquery(parents_within(parent_ids, within)))
}

/// The ids of those of `parent_ids` that lie within `within`.
fn parents_within(parent_ids: &[Uuid], within: Option<&UnitPath>) -> SelectStatement {
    let mut parents = Query::select()
        .column(Column::Id)
        .from(unit::Entity)
        .and_where(Column::Id.is_in(parent_ids.iter().copied()))
        .to_owned();
    if let Some(within) = within {
        parents.and_where(in_subtree(Column::Path, within));
    }
    parents
}

fn child_counts_select(parent_ids: &[Uuid], within: Option<&UnitPath>) -> Select<unit::Entity> {
    unit::Entity::find()
        .select_only()
        .column(Column::ParentId)
        .column_as(Expr::cust("COUNT(*)"), "children")
        .filter(children_within(parent_ids, within))
        .group_by(Column::ParentId)
}

/// How many children each of `parent_ids` that lies within `within` has, in one statement;
/// a parent without any is left out.
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
