//! Rollout plans and coverage: how many units of a subtree have their page, counted in SQL
//! over the units' materialised paths (never unit by unit in Rust), now or as of a past
//! instant from the pages' status history.

use chrono::{DateTime, Utc};
use domain::page::PageStatus;
use domain::rollout::{RolloutPlan, Share, Tally, Target};
use domain::unit::{Unit, UnitLevel, UnitPath};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    SqlErr,
};
use uuid::Uuid;

use crate::entity::rollout_plan::{self, Column};
use crate::filters::subtree_range;
use crate::sql::{Params, count};
use crate::units::{UnitCursor, read_unit, unit_columns};
use crate::{Slice, SliceRequest, StoreError};

/// The platform coverage counts: the Community Page is a Facebook fanpage (G1).
const PLATFORM: &str = "FACEBOOK";

/// Reads one level's target column of a stored plan.
type TargetColumn = fn(&rollout_plan::Model) -> Option<i32>;

const LEVELS: [(UnitLevel, TargetColumn); 3] = [
    (UnitLevel::Province, |m| m.target_province),
    (UnitLevel::District, |m| m.target_district),
    (UnitLevel::Commune, |m| m.target_commune),
];

impl TryFrom<rollout_plan::Model> for RolloutPlan {
    type Error = StoreError;

    fn try_from(m: rollout_plan::Model) -> Result<Self, Self::Error> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("rollout plan {}: {what}", m.id));
        let mut targets = Vec::new();
        for (level, get) in LEVELS {
            if let Some(points) = get(&m) {
                let share = Share::from_basis_points(points).ok_or_else(|| corrupt("target"))?;
                targets.push(Target { level, share });
            }
        }
        let counted = m
            .counted_statuses
            .split(',')
            .map(|s| s.parse::<PageStatus>().map_err(|_| corrupt("status")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RolloutPlan {
            id: m.id,
            unit_id: m.unit_id,
            title: m.title,
            deadline: m.deadline,
            targets,
            counted,
            version: m.version,
            updated_by: m.updated_by,
            updated_at: m.updated_at,
        })
    }
}

fn active(plan: &RolloutPlan) -> rollout_plan::ActiveModel {
    let target = |level| plan.target(level).map(|s| i32::from(s.basis_points()));
    rollout_plan::ActiveModel {
        id: Set(plan.id),
        unit_id: Set(plan.unit_id),
        title: Set(plan.title.clone()),
        deadline: Set(plan.deadline),
        target_province: Set(target(UnitLevel::Province)),
        target_district: Set(target(UnitLevel::District)),
        target_commune: Set(target(UnitLevel::Commune)),
        counted_statuses: Set(plan
            .counted
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        version: Set(plan.version),
        updated_by: Set(plan.updated_by),
        updated_at: Set(plan.updated_at),
    }
}

/// The plan set at the unit with this id, if any.
pub async fn plan_of(
    db: &impl ConnectionTrait,
    unit_id: Uuid,
) -> Result<Option<RolloutPlan>, StoreError> {
    rollout_plan::Entity::find()
        .filter(Column::UnitId.eq(unit_id))
        .one(db)
        .await?
        .map(RolloutPlan::try_from)
        .transpose()
}

/// The plan that applies to the unit at `path`: its own, or the nearest one above it.
#[tracing::instrument(skip(db))]
pub async fn applying_to(
    db: &impl ConnectionTrait,
    path: &UnitPath,
) -> Result<Option<RolloutPlan>, StoreError> {
    let mut paths: Vec<String> = path
        .ancestors()
        .iter()
        .map(|p| p.as_str().to_owned())
        .collect();
    paths.push(path.as_str().to_owned());
    let mut p = Params::new(db.get_database_backend());
    let listed = paths
        .iter()
        .map(|path| p.push(path.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        r#"SELECT "rp".* FROM "rollout_plan" AS "rp" JOIN "unit" AS "u" ON "u"."id" = "rp"."unit_id"
        WHERE "u"."path" IN ({listed}) ORDER BY "u"."depth" DESC LIMIT 1"#
    );
    rollout_plan::Entity::find()
        .from_raw_sql(p.statement(sql))
        .one(db)
        .await?
        .map(RolloutPlan::try_from)
        .transpose()
}

/// Sets the plan of its unit: a new one (`expected_version` `None`) or over the stored one
/// if that is still at `expected_version`. A plan already set, or changed since, is
/// `Conflict("version")`.
pub async fn save_plan(
    db: &impl ConnectionTrait,
    plan: &RolloutPlan,
    expected_version: Option<i32>,
) -> Result<(), StoreError> {
    let result = match expected_version {
        None => active(plan).insert(db).await.map(|_| 1),
        Some(version) => {
            let mut model = active(plan);
            model.id = sea_orm::ActiveValue::Unchanged(plan.id);
            rollout_plan::Entity::update_many()
                .set(model)
                .filter(Column::Id.eq(plan.id))
                .filter(Column::Version.eq(version))
                .exec(db)
                .await
                .map(|r| r.rows_affected)
        }
    };
    match result {
        Ok(1) => Ok(()),
        Ok(_) => Err(StoreError::Conflict("version".to_owned())),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(StoreError::Conflict("version".to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Which statuses count and when: what a coverage statement reads of the pages.
#[derive(Debug, Clone)]
pub struct Counting<'a> {
    pub counted: &'a [PageStatus],
    /// `None`: now; otherwise the pages as they stood just before this instant.
    pub as_of: Option<DateTime<Utc>>,
}

/// `(unit_id, status)` of every Facebook page, with its status as `counting` reads it: now,
/// or the status its latest event before `as_of` left it in (a page created later has none).
fn pages_as_counted(counting: &Counting<'_>, p: &mut Params) -> String {
    match counting.as_of {
        None => format!(
            r#"SELECT "unit_id", "status" FROM "page" WHERE "platform" = '{PLATFORM}' AND "status" <> 'CLOSED'"#
        ),
        Some(at) => {
            let at = p.push(at);
            format!(
                r#"SELECT "pg"."unit_id", (SELECT "e"."to_status" FROM "page_event" AS "e"
                     WHERE "e"."page_id" = "pg"."id" AND "e"."occurred_at" < {at}
                     ORDER BY "e"."occurred_at" DESC, "e"."id" DESC LIMIT 1) AS "status"
                   FROM "page" AS "pg" WHERE "pg"."platform" = '{PLATFORM}' AND "pg"."created_at" < {at}"#
            )
        }
    }
}

/// The counts of one group of a coverage statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupTally {
    /// The child of the subtree's root the units lie under; the root's own id for the root.
    pub child_id: Uuid,
    pub level: UnitLevel,
    pub tally: Tally,
}

/// How many units of each level under each child of `root` (and `root` itself) have a page,
/// as `counting` counts: one statement, one index range per child over the units' paths.
#[tracing::instrument(skip(db, counting), fields(root = %root.path.as_str()))]
pub async fn tally(
    db: &impl ConnectionTrait,
    root: &Unit,
    counting: &Counting<'_>,
) -> Result<Vec<GroupTally>, StoreError> {
    if counting.counted.is_empty() {
        return Err(StoreError::Corrupt("no counted status".to_owned()));
    }
    let mut p = Params::new(db.get_database_backend());
    let pages = pages_as_counted(counting, &mut p);
    let statuses: Vec<&str> = counting.counted.iter().map(|s| s.as_str()).collect();
    let counted = p.list(&statuses);
    let root_id = p.push(root.id);
    let sql = format!(
        r#"WITH "s" AS NOT MATERIALIZED ({pages})
        SELECT "c"."id", "u"."level", COUNT(*), COUNT("s"."unit_id"),
               SUM(CASE WHEN "s"."status" = 'VERIFIED' THEN 1 ELSE 0 END)
        FROM "unit" AS "c"
        JOIN "unit" AS "u" ON "u"."path" >= "c"."path"
             AND "u"."path" < SUBSTR("c"."path", 1, LENGTH("c"."path") - 1) || '0'
        LEFT JOIN "s" ON "s"."unit_id" = "u"."id" AND "s"."status" IN ({counted})
        WHERE "c"."parent_id" = {root_id}
        GROUP BY "c"."id", "u"."level"
        UNION ALL
        SELECT "u"."id", "u"."level", COUNT(*), COUNT("s"."unit_id"),
               SUM(CASE WHEN "s"."status" = 'VERIFIED' THEN 1 ELSE 0 END)
        FROM "unit" AS "u"
        LEFT JOIN "s" ON "s"."unit_id" = "u"."id" AND "s"."status" IN ({counted})
        WHERE "u"."id" = {root_id}
        GROUP BY "u"."id", "u"."level""#
    );
    db.query_all_raw(p.statement(sql))
        .await?
        .iter()
        .map(|row| {
            let level: String = row.try_get_by_index(1)?;
            Ok(GroupTally {
                child_id: row.try_get_by_index(0)?,
                level: level
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("unit level {level}")))?,
                tally: Tally {
                    units: count(row, 2)?,
                    with_page: count(row, 3)?,
                    verified: count(row, 4)?,
                },
            })
        })
        .collect()
}

/// One slice of the units of the subtree at `within` without a page as `counting` counts,
/// in the order of unit lists (by depth, then code), optionally of one level only; the
/// national root is never listed.
#[tracing::instrument(skip(db, counting))]
pub async fn missing(
    db: &impl ConnectionTrait,
    within: &UnitPath,
    level: Option<UnitLevel>,
    counting: &Counting<'_>,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<Unit>, StoreError> {
    let mut p = Params::new(db.get_database_backend());
    let pages = pages_as_counted(counting, &mut p);
    let statuses: Vec<&str> = counting.counted.iter().map(|s| s.as_str()).collect();
    let counted = p.list(&statuses);
    let (from, until) = subtree_range(within);
    let (from, until) = (p.push(from), p.push(until));
    let mut filters = Vec::new();
    if let Some(level) = level {
        filters.push(format!(r#" AND "u"."level" = {}"#, p.push(level.as_str())));
    }
    if let Some(after) = &slice.after {
        let (depth, code) = (p.push(after.depth), p.push(after.code.as_str()));
        filters.push(format!(
            r#" AND ("u"."depth" > {depth} OR ("u"."depth" = {depth} AND "u"."code" > {code}))"#
        ));
    }
    let filters = filters.concat();
    let limit = p.push(i64::try_from(slice.first + 1).unwrap_or(i64::MAX));
    let columns = unit_columns(r#""u"."#);
    let sql = format!(
        r#"WITH "s" AS ({pages})
        SELECT {columns} FROM "unit" AS "u"
        WHERE "u"."path" >= {from} AND "u"."path" < {until} AND "u"."depth" > 0{filters}
          AND NOT EXISTS (SELECT 1 FROM "s" WHERE "s"."unit_id" = "u"."id" AND "s"."status" IN ({counted}))
        ORDER BY "u"."depth", "u"."code" LIMIT {limit}"#
    );
    let rows = db.query_all_raw(p.statement(sql)).await?;
    Slice::from_rows(rows, slice.first, |row| read_unit(&row))
}

/// One point of a progress series: how many units of `level` had a page at the point's
/// instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointTally {
    /// The index of the point's instant in the instants asked for.
    pub point: usize,
    pub level: UnitLevel,
    pub with_page: u64,
    pub verified: u64,
}

/// For each of `instants`, how many units of each level of the subtree at `within` had a
/// page in one of `counted`'s statuses just before it, from the pages' status history: one
/// statement, each page's history cut into intervals (a window over its events), each
/// interval counted at the instants it covers. Groups with nothing counted are left out.
#[tracing::instrument(skip(db, counted, instants), fields(points = instants.len()))]
pub async fn history(
    db: &impl ConnectionTrait,
    within: &UnitPath,
    counted: &[PageStatus],
    instants: &[DateTime<Utc>],
) -> Result<Vec<PointTally>, StoreError> {
    if instants.is_empty() || counted.is_empty() {
        return Ok(Vec::new());
    }
    let mut p = Params::new(db.get_database_backend());
    let points = instants
        .iter()
        .enumerate()
        .map(|(i, at)| format!("(CAST({i} AS BIGINT), {})", p.push(*at)))
        .collect::<Vec<_>>()
        .join(", ");
    let statuses: Vec<&str> = counted.iter().map(|s| s.as_str()).collect();
    let counted = p.list(&statuses);
    let (from, until) = subtree_range(within);
    let (from, until) = (p.push(from), p.push(until));
    let sql = format!(
        r#"WITH "pts" ("i", "t") AS (VALUES {points}),
        "ev" AS (
            SELECT "u"."level" AS "level", "pg"."unit_id" AS "unit_id", "e"."to_status" AS "status",
                   "e"."occurred_at" AS "since",
                   LEAD("e"."occurred_at") OVER (PARTITION BY "e"."page_id" ORDER BY "e"."occurred_at", "e"."id") AS "until"
            FROM "page_event" AS "e"
            JOIN "page" AS "pg" ON "pg"."id" = "e"."page_id"
            JOIN "unit" AS "u" ON "u"."id" = "pg"."unit_id"
            WHERE "u"."path" >= {from} AND "u"."path" < {until} AND "pg"."platform" = '{PLATFORM}'
        )
        SELECT "pts"."i", "ev"."level", COUNT(DISTINCT "ev"."unit_id"),
               COUNT(DISTINCT CASE WHEN "ev"."status" = 'VERIFIED' THEN "ev"."unit_id" END)
        FROM "pts" JOIN "ev" ON "ev"."since" < "pts"."t" AND ("ev"."until" IS NULL OR "ev"."until" >= "pts"."t")
        WHERE "ev"."status" IN ({counted})
        GROUP BY "pts"."i", "ev"."level""#
    );
    db.query_all_raw(p.statement(sql))
        .await?
        .iter()
        .map(|row| {
            let point: i64 = row.try_get_by_index(0)?;
            let level: String = row.try_get_by_index(1)?;
            Ok(PointTally {
                point: usize::try_from(point)
                    .map_err(|_| StoreError::Corrupt("series point".to_owned()))?,
                level: level
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("unit level {level}")))?,
                with_page: count(row, 2)?,
                verified: count(row, 3)?,
            })
        })
        .collect()
}
