//! Reporting rounds, the reports in them, and what a report's appendix is filled from.

use domain::page::{Duty, Page, PageStatus};
use domain::report::{Report, ReportingRound};
use domain::staff::Person;
use domain::unit::{Unit, UnitPath};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, SqlErr,
};
use uuid::Uuid;

use crate::entity::report::{self, Column};
use crate::entity::{page, reporting_round, unit};
use crate::filters::{count_rows, in_subtree};
use crate::{Slice, SliceRequest, StoreError};

impl From<reporting_round::Model> for ReportingRound {
    fn from(m: reporting_round::Model) -> Self {
        Self {
            id: m.id,
            unit_id: m.unit_id,
            title: m.title,
            period_start: m.period_start,
            period_end: m.period_end,
            deadline: m.deadline,
            created_by: m.created_by,
            created_at: m.created_at,
        }
    }
}

impl TryFrom<report::Model> for Report {
    type Error = StoreError;

    fn try_from(m: report::Model) -> Result<Self, Self::Error> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("report {}: {what}", m.id));
        let snapshot = m
            .snapshot
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|_| corrupt("snapshot"))?;
        Ok(Report {
            id: m.id,
            round_id: m.round_id,
            unit_id: m.unit_id,
            status: m.status.parse().map_err(|_| corrupt("status"))?,
            remarks: m.remarks,
            submitted_at: m.submitted_at,
            first_submitted_at: m.first_submitted_at,
            submitted_by: m.submitted_by,
            returned_reason: m.returned_reason,
            reviewed_at: m.reviewed_at,
            reviewed_by: m.reviewed_by,
            snapshot,
            version: m.version,
        })
    }
}

fn active(
    report: &Report,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<report::ActiveModel, StoreError> {
    let snapshot = report
        .snapshot
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("report {}: {e}", report.id)))?;
    Ok(report::ActiveModel {
        id: Set(report.id),
        round_id: Set(report.round_id),
        unit_id: Set(report.unit_id),
        status: Set(report.status.as_str().to_owned()),
        remarks: Set(report.remarks.clone()),
        submitted_at: Set(report.submitted_at),
        first_submitted_at: Set(report.first_submitted_at),
        submitted_by: Set(report.submitted_by),
        returned_reason: Set(report.returned_reason.clone()),
        reviewed_at: Set(report.reviewed_at),
        reviewed_by: Set(report.reviewed_by),
        snapshot: Set(snapshot),
        version: Set(report.version),
        updated_at: Set(now),
    })
}

/// Keeps a new round and its reports, one per reporting unit.
#[tracing::instrument(skip_all, fields(round = %round.id, reports = reports.len()))]
pub async fn insert_round(
    db: &impl ConnectionTrait,
    round: &ReportingRound,
    reports: &[Report],
) -> Result<(), StoreError> {
    reporting_round::ActiveModel {
        id: Set(round.id),
        unit_id: Set(round.unit_id),
        title: Set(round.title.clone()),
        period_start: Set(round.period_start),
        period_end: Set(round.period_end),
        deadline: Set(round.deadline),
        created_by: Set(round.created_by),
        created_at: Set(round.created_at),
    }
    .insert(db)
    .await?;
    for chunk in reports.chunks(500) {
        let models = chunk
            .iter()
            .map(|r| active(r, round.created_at))
            .collect::<Result<Vec<_>, _>>()?;
        report::Entity::insert_many(models).exec(db).await?;
    }
    Ok(())
}

/// Writes `report` (whose version is already raised) over the stored one if that is still
/// at `expected_version`; otherwise `Conflict("version")` and nothing is written.
pub async fn save(
    db: &impl ConnectionTrait,
    report: &Report,
    expected_version: i32,
) -> Result<(), StoreError> {
    let mut model = active(report, chrono::Utc::now())?;
    model.id = sea_orm::ActiveValue::Unchanged(report.id);
    let result = report::Entity::update_many()
        .set(model)
        .filter(Column::Id.eq(report.id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await;
    match result {
        Ok(r) if r.rows_affected == 1 => Ok(()),
        Ok(_) => Err(StoreError::Conflict("version".to_owned())),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(StoreError::Conflict("version".to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

/// The round with this id.
pub async fn round_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<ReportingRound>, StoreError> {
    Ok(reporting_round::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into))
}

/// The rounds with these ids, in no particular order.
pub async fn rounds_by_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<ReportingRound>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(reporting_round::Entity::find()
        .filter(reporting_round::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// The report with this id.
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Report>, StoreError> {
    report::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Report::try_from)
        .transpose()
}

/// The report of the unit with `unit_id` in the round with `round_id`.
pub async fn of_unit(
    db: &impl ConnectionTrait,
    round_id: Uuid,
    unit_id: Uuid,
) -> Result<Option<Report>, StoreError> {
    report::Entity::find()
        .filter(Column::RoundId.eq(round_id))
        .filter(Column::UnitId.eq(unit_id))
        .one(db)
        .await?
        .map(Report::try_from)
        .transpose()
}

/// The rounds a unit issued, and those it must report in; newest first.
fn rounds_of_unit(unit_id: Uuid) -> sea_orm::Select<reporting_round::Entity> {
    reporting_round::Entity::find().filter(
        Condition::any()
            .add(reporting_round::Column::UnitId.eq(unit_id))
            .add(
                reporting_round::Column::Id.in_subquery(
                    Query::select()
                        .column(Column::RoundId)
                        .from(report::Entity)
                        .and_where(Column::UnitId.eq(unit_id))
                        .to_owned(),
                ),
            ),
    )
}

/// One slice of the rounds the unit with `unit_id` issued or must report in, newest first
/// (ids are time-ordered).
#[tracing::instrument(skip(db))]
pub async fn rounds_of(
    db: &impl ConnectionTrait,
    unit_id: Uuid,
    slice: &SliceRequest<Uuid>,
) -> Result<Slice<ReportingRound>, StoreError> {
    let mut query = rounds_of_unit(unit_id);
    if let Some(after) = slice.after {
        query = query.filter(reporting_round::Column::Id.lt(after));
    }
    let rows = query
        .order_by_desc(reporting_round::Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(rows, slice.first, |m| Ok(m.into()))
}

/// How many rounds the unit with `unit_id` issued or must report in.
pub async fn count_rounds_of(db: &impl ConnectionTrait, unit_id: Uuid) -> Result<u64, StoreError> {
    count_rows(db, rounds_of_unit(unit_id)).await
}

/// The reports of these rounds whose units lie in the subtree at `within`, with the units'
/// paths, in tree order of their units.
#[tracing::instrument(skip_all, fields(rounds = round_ids.len()))]
pub async fn reports_of_rounds(
    db: &impl ConnectionTrait,
    round_ids: &[Uuid],
    within: &UnitPath,
) -> Result<Vec<(Report, Unit)>, StoreError> {
    if round_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = report::Entity::find()
        .join(JoinType::InnerJoin, report::Relation::Unit.def())
        .filter(Column::RoundId.is_in(round_ids.iter().copied()))
        .filter(in_subtree(unit::Column::Path, within))
        .order_by_asc(unit::Column::Path)
        .select_also(unit::Entity)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(r, u)| {
            let unit = u.ok_or_else(|| StoreError::Corrupt(format!("report {}: unit", r.id)))?;
            Ok((Report::try_from(r)?, Unit::try_from(unit)?))
        })
        .collect()
}

/// Every unit of the subtree at `within`, the root first, in tree order.
pub async fn subtree_units(
    db: &impl ConnectionTrait,
    within: &UnitPath,
) -> Result<Vec<Unit>, StoreError> {
    crate::units::subtree(db, within).await
}

/// The live (not closed) Facebook page of each unit of the subtree at `within` that has one.
pub async fn live_pages_in(
    db: &impl ConnectionTrait,
    within: &UnitPath,
) -> Result<Vec<Page>, StoreError> {
    page::Entity::find()
        .join(JoinType::InnerJoin, page::Relation::Unit.def())
        .filter(in_subtree(unit::Column::Path, within))
        .filter(page::Column::Platform.eq("FACEBOOK"))
        .filter(page::Column::Status.ne(PageStatus::Closed.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(Page::try_from)
        .collect()
}

/// The current holders of the duties on these pages: (page id, duty, person).
pub async fn current_duties(
    db: &impl ConnectionTrait,
    page_ids: &[Uuid],
) -> Result<Vec<(Uuid, Duty, Person)>, StoreError> {
    let mut out = Vec::new();
    for chunk in page_ids.chunks(1000) {
        let assignments = crate::pages::assignments_of(db, chunk, true).await?;
        let person_ids: Vec<Uuid> = assignments.iter().map(|a| a.person_id).collect();
        let people: std::collections::HashMap<Uuid, Person> =
            crate::people::by_ids(db, &person_ids)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
        for a in assignments {
            if let Some(person) = people.get(&a.person_id) {
                out.push((a.page_id, a.duty, person.clone()));
            }
        }
    }
    Ok(out)
}
