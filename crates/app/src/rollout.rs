//! Rollout targets and the coverage dashboard (G2): the plan an admin sets for its subtree,
//! and how far each level and each child unit is, now or as of a past day.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::page::PageStatus;
use domain::policy::Action;
use domain::rollout::{
    Every, LevelCoverage, RolloutPlan, Share, Tally, Target, check_counted, check_targets,
    days_left, end_of_day, levels, parse_title, series,
};
use domain::{Unit, UnitLevel};
use store::rollout::Counting;
use store::{Begin, ConnectionTrait, Slice, SliceRequest, StoreError};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::error::Problems;
use crate::{AppError, By};

/// A plan as an admin sets it.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub unit_code: String,
    pub title: String,
    pub deadline: Option<NaiveDate>,
    /// Per level, the target share as a fraction 0–1.
    pub targets: Vec<(UnitLevel, f64)>,
    /// The statuses counted as "has a page"; the guideline's when `None`.
    pub counted: Option<Vec<PageStatus>>,
    /// The version of the plan the change was made on; `None` for a unit without a plan.
    pub expected_version: Option<i32>,
}

fn stale() -> AppError {
    AppError::invalid(
        Some("expectedVersion"),
        "STALE_VERSION",
        "Chỉ tiêu vừa được người khác thay đổi. Hãy tải lại để xem bản mới nhất rồi sửa lại.",
    )
}

/// The unit with this code, if the actor may take `action` there.
pub async fn unit_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    action: Action,
) -> Result<Unit, AppError> {
    let unit = store::units::by_code(db, unit_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(action, &unit.path)?;
    Ok(unit)
}

/// Sets the rollout plan of a unit's subtree: an admin of the unit or above.
pub async fn set_rollout_plan(
    db: &impl Begin,
    by: By<'_>,
    input: PlanInput,
) -> Result<RolloutPlan, AppError> {
    let unit = unit_for(db, by, &input.unit_code, Action::Oversee).await?;
    let mut problems = Problems::default();
    let title = problems.check("title", parse_title(&input.title));
    let targets = problems.check(
        "targets",
        input
            .targets
            .iter()
            .map(|&(level, share)| Share::from_fraction(share).map(|share| Target { level, share }))
            .collect::<Result<Vec<_>, _>>()
            .and_then(|t| check_targets(&t)),
    );
    let counted = problems.check(
        "countedStatuses",
        check_counted(
            input
                .counted
                .as_deref()
                .unwrap_or(&domain::rollout::DEFAULT_COUNTED),
        ),
    );
    problems.done()?;
    let (Some(title), Some(targets), Some(counted)) = (title, targets, counted) else {
        return Err(AppError::Invalid(Vec::new()));
    };
    let existing = store::rollout::plan_of(db, unit.id).await?;
    if existing.as_ref().map(|p| p.version) != input.expected_version {
        return Err(stale());
    }
    let plan = RolloutPlan {
        id: existing.as_ref().map_or_else(Uuid::now_v7, |p| p.id),
        unit_id: unit.id,
        title,
        deadline: input.deadline,
        targets,
        counted,
        version: existing.as_ref().map_or(1, |p| p.version + 1),
        updated_by: by.account_id(),
        updated_at: Utc::now(),
    };
    let txn = store::begin(db).await?;
    match store::rollout::save_plan(&txn, &plan, input.expected_version).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(stale()),
        Err(e) => return Err(e.into()),
    }
    let audited = Event::RolloutPlanSet {
        unit: unit.code.clone(),
        before: existing,
        after: plan.clone(),
    };
    audit::record(&txn, by, &unit.path, Some(plan.id), &audited).await?;
    store::commit(txn).await?;
    Ok(plan)
}

/// The plan applying to `unit`: its own or the nearest above; the guideline's otherwise.
pub async fn plan_applying_to(
    db: &impl ConnectionTrait,
    unit: &Unit,
) -> Result<RolloutPlan, AppError> {
    Ok(store::rollout::applying_to(db, &unit.path)
        .await?
        .unwrap_or_else(|| RolloutPlan::guideline(unit.id)))
}

/// One child unit's line of the dashboard.
#[derive(Debug, Clone)]
pub struct ChildCoverage {
    pub unit: Unit,
    /// All levels of its subtree together.
    pub tally: Tally,
    pub levels: Vec<LevelCoverage>,
}

/// A subtree's coverage: per level, per child, against the applying plan.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub unit: Unit,
    pub plan: RolloutPlan,
    /// The day the figures are for; `None`: now.
    pub as_of: Option<NaiveDate>,
    pub levels: Vec<LevelCoverage>,
    /// In tree order.
    pub children: Vec<ChildCoverage>,
    /// Days from the day the figures are for to the plan's deadline (negative once past).
    pub days_left: Option<i64>,
}

/// The instant the figures of `as_of` are counted up to; `None` for today or later (now).
fn instant_of(as_of: Option<NaiveDate>, today: NaiveDate) -> Option<DateTime<Utc>> {
    as_of.filter(|d| *d < today).map(end_of_day)
}

/// The coverage of the subtree of the unit with this code, which the actor must read.
pub async fn coverage(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    as_of: Option<NaiveDate>,
) -> Result<Coverage, AppError> {
    let unit = unit_for(db, by, unit_code, Action::Read).await?;
    let plan = plan_applying_to(db, &unit).await?;
    let today = crate::pages::today();
    let counting = Counting {
        counted: &plan.counted,
        as_of: instant_of(as_of, today),
    };
    let groups = store::rollout::tally(db, &unit, &counting).await?;
    let child_ids: Vec<Uuid> = groups
        .iter()
        .map(|g| g.child_id)
        .filter(|id| *id != unit.id)
        .collect();
    let mut child_units = store::units::by_ids(db, &child_ids).await?;
    child_units.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    let mut by_child: HashMap<Uuid, Vec<(UnitLevel, Tally)>> = HashMap::new();
    for g in &groups {
        by_child
            .entry(g.child_id)
            .or_default()
            .push((g.level, g.tally));
    }
    let all: Vec<(UnitLevel, Tally)> = groups.iter().map(|g| (g.level, g.tally)).collect();
    let children = child_units
        .into_iter()
        .map(|child| {
            let tallies = by_child.remove(&child.id).unwrap_or_default();
            let levels = levels(&tallies, &plan);
            ChildCoverage {
                tally: levels
                    .iter()
                    .fold(Tally::default(), |sum, l| sum.plus(l.tally)),
                levels,
                unit: child,
            }
        })
        .collect();
    let day = as_of.filter(|d| *d < today).unwrap_or(today);
    Ok(Coverage {
        levels: levels(&all, &plan),
        days_left: plan.deadline.map(|d| days_left(d, day)),
        as_of: as_of.filter(|d| *d < today),
        children,
        plan,
        unit,
    })
}

/// One slice of the units of the subtree still without a page (as of a day), in unit-list
/// order.
pub async fn missing(
    db: &impl ConnectionTrait,
    unit: &Unit,
    plan: &RolloutPlan,
    as_of: Option<NaiveDate>,
    level: Option<UnitLevel>,
    slice: &SliceRequest<store::units::UnitCursor>,
) -> Result<Slice<Unit>, AppError> {
    let counting = Counting {
        counted: &plan.counted,
        as_of: instant_of(as_of, crate::pages::today()),
    };
    Ok(store::rollout::missing(db, &unit.path, level, &counting, slice).await?)
}

/// A point of a progress series.
#[derive(Debug, Clone)]
pub struct ProgressPoint {
    pub date: NaiveDate,
    pub levels: Vec<LevelCoverage>,
}

/// The coverage of the subtree of the unit with this code on each day (or week) from `from`
/// to `to`, from the pages' status history; the units are those of today's tree.
pub async fn coverage_history(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    from: NaiveDate,
    to: NaiveDate,
    every: Every,
) -> Result<(Unit, RolloutPlan, Vec<ProgressPoint>), AppError> {
    let unit = unit_for(db, by, unit_code, Action::Read).await?;
    let days = series(from, to, every).map_err(|e| {
        AppError::invalid(
            Some(if e == domain::rollout::SeriesError::Reversed {
                "to"
            } else {
                "every"
            }),
            e.code(),
            e.to_string(),
        )
    })?;
    let plan = plan_applying_to(db, &unit).await?;
    let now = Utc::now();
    let instants: Vec<DateTime<Utc>> = days.iter().map(|d| end_of_day(*d).min(now)).collect();
    let current = store::rollout::tally(
        db,
        &unit,
        &Counting {
            counted: &plan.counted,
            as_of: None,
        },
    )
    .await?;
    let units: Vec<(UnitLevel, Tally)> = current
        .iter()
        .map(|g| {
            (
                g.level,
                Tally {
                    units: g.tally.units,
                    ..Tally::default()
                },
            )
        })
        .collect();
    let counted = store::rollout::history(db, &unit.path, &plan.counted, &instants).await?;
    let points = days
        .iter()
        .enumerate()
        .map(|(i, date)| {
            let mut tallies = units.clone();
            tallies.extend(counted.iter().filter(|t| t.point == i).map(|t| {
                (
                    t.level,
                    Tally {
                        units: 0,
                        with_page: t.with_page,
                        verified: t.verified,
                    },
                )
            }));
            ProgressPoint {
                date: *date,
                levels: levels(&tallies, &plan),
            }
        })
        .collect();
    Ok((unit, plan, points))
}
