//! Deployment reports (G11, G12): a unit asks the units directly below it for a report on
//! the appendix form by a deadline; each fills it from the registry, adds remarks and
//! submits (the appendix is frozen then); the asking level accepts it or returns it.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::page::{Duty, PageStatus};
use domain::policy::Action;
use domain::report::{
    Appendix, AppendixLevel, AppendixRow, AppendixTotals, Officer, Report, ReportStatus,
    ReportStep, ReportingRound, check_round_dates,
};
use domain::rollout::{Tally, levels, parse_title};
use domain::{Unit, UnitLevel};
use store::units::UnitFilter;
use store::{Begin, ConnectionTrait, SliceRequest, StoreError};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::error::Problems;
use crate::rollout::{plan_applying_to, unit_for};
use crate::{AppError, By};

/// The longest remarks or reason, in characters.
pub const REMARKS_MAX: usize = 4000;

/// A new reporting round.
#[derive(Debug, Clone)]
pub struct RoundInput {
    pub unit_code: String,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub deadline: NaiveDate,
}

/// Asks every unit directly below the unit with this code for a report: an admin of the
/// unit or above.
pub async fn create_round(
    db: &impl Begin,
    by: By<'_>,
    input: RoundInput,
) -> Result<(ReportingRound, Vec<Report>), AppError> {
    let unit = unit_for(db, by, &input.unit_code, Action::Oversee).await?;
    let mut problems = Problems::default();
    let title = problems.check("title", parse_title(&input.title));
    for (field, problem) in check_round_dates(
        input.period_start,
        input.period_end,
        input.deadline,
        crate::pages::today(),
    ) {
        problems.check::<()>(field, Err(problem));
    }
    problems.done()?;
    let Some(title) = title else {
        return Err(AppError::Invalid(Vec::new()));
    };
    let children = store::units::list(
        db,
        &UnitFilter {
            parent_id: Some(unit.id),
            ..UnitFilter::default()
        },
        &SliceRequest {
            first: 100_000,
            after: None,
        },
    )
    .await?
    .items;
    if children.is_empty() {
        return Err(AppError::invalid(
            Some("unitCode"),
            "NO_REPORTING_UNITS",
            "Đơn vị không có đơn vị trực thuộc nào để yêu cầu báo cáo.",
        ));
    }
    let now = Utc::now();
    let round = ReportingRound {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        title,
        period_start: input.period_start,
        period_end: input.period_end,
        deadline: input.deadline,
        created_by: by.account_id(),
        created_at: now,
    };
    let reports: Vec<Report> = children
        .iter()
        .map(|child| Report {
            id: Uuid::now_v7(),
            round_id: round.id,
            unit_id: child.id,
            status: ReportStatus::NotStarted,
            remarks: None,
            submitted_at: None,
            first_submitted_at: None,
            submitted_by: None,
            returned_reason: None,
            reviewed_at: None,
            reviewed_by: None,
            snapshot: None,
            version: 1,
        })
        .collect();
    let txn = store::begin(db).await?;
    store::reports::insert_round(&txn, &round, &reports).await?;
    let audited = Event::ReportingRoundCreated {
        unit: unit.code.clone(),
        title: round.title.clone(),
        deadline: round.deadline,
        reports: reports.len(),
    };
    audit::record(&txn, by, &unit.path, Some(round.id), &audited).await?;
    store::commit(txn).await?;
    Ok((round, reports))
}

/// Whether the actor reads the round: it reads the asking unit, or it reads a unit that must
/// report in it (a district reads the province's round through its own report).
pub async fn round_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    round_id: Uuid,
) -> Result<ReportingRound, AppError> {
    let round = store::reports::round_by_id(db, round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = store::units::by_id(db, round.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if by.may(Action::Read, &unit.path).is_ok() {
        return Ok(round);
    }
    let By::Account(actor) = by else {
        return Ok(round);
    };
    let own = store::reports::reports_of_rounds(db, &[round.id], &actor.unit_path).await?;
    if own.is_empty() {
        Err(AppError::NotFound)
    } else {
        Ok(round)
    }
}

/// The report with this id, its unit and round, if the actor may take `action` at its unit.
pub async fn report_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    report_id: Uuid,
    action: Action,
) -> Result<(Report, Unit, ReportingRound), AppError> {
    let report = store::reports::by_id(db, report_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = store::units::by_id(db, report.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(Action::Read, &unit.path)?;
    by.may(action, &unit.path)?;
    let round = store::reports::round_by_id(db, report.round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((report, unit, round))
}

/// The appendix of `unit` as the registry stands now: one row per unit of its subtree, the
/// totals, and the coverage of each level against the applying plan.
pub async fn appendix(db: &impl ConnectionTrait, unit: &Unit) -> Result<Appendix, AppError> {
    let plan = plan_applying_to(db, unit).await?;
    let units = store::reports::subtree_units(db, &unit.path).await?;
    let pages = store::reports::live_pages_in(db, &unit.path).await?;
    let page_ids: Vec<Uuid> = pages.iter().map(|p| p.id).collect();
    let mut duties: HashMap<(Uuid, Duty), Officer> = HashMap::new();
    for (page_id, duty, person) in store::reports::current_duties(db, &page_ids).await? {
        duties.insert(
            (page_id, duty),
            Officer {
                full_name: person.full_name,
                position: person.position,
                phone: person.phone,
            },
        );
    }
    let pages: HashMap<Uuid, domain::page::Page> =
        pages.into_iter().map(|p| (p.unit_id, p)).collect();
    let mut totals = AppendixTotals::default();
    let mut tallies: Vec<(UnitLevel, Tally)> = Vec::new();
    let mut rows = Vec::with_capacity(units.len());
    for u in &units {
        let page = pages.get(&u.id);
        let counted = page.is_some_and(|p| plan.counted.contains(&p.status));
        let verified = page.is_some_and(|p| p.status == PageStatus::Verified);
        let leader = page.and_then(|p| duties.remove(&(p.id, Duty::Leader)));
        let operator = page.and_then(|p| duties.remove(&(p.id, Duty::Operator)));
        totals.units += 1;
        totals.with_page += u64::from(counted);
        totals.verified += u64::from(verified);
        totals.name_conforms += u64::from(page.is_some_and(|p| p.name_conforms));
        totals.fully_staffed += u64::from(leader.is_some() && operator.is_some());
        tallies.push((
            u.level,
            Tally {
                units: 1,
                with_page: u64::from(counted),
                verified: u64::from(verified),
            },
        ));
        rows.push(AppendixRow {
            unit_code: u.code.as_str().to_owned(),
            unit_name: u.full_name(),
            level: u.level.as_str().to_owned(),
            page_name: page.map(|p| p.name.clone()),
            url: page.and_then(|p| p.url.clone()),
            established_on: page.and_then(|p| p.established_on),
            status: page.map(|p| p.status.as_str().to_owned()),
            name_conforms: page.map(|p| p.name_conforms),
            leader,
            operator,
            supported_by: page.and_then(|p| match (&p.supported_by, &p.supporter_contact) {
                (Some(org), Some(contact)) => Some(format!("{org} ({contact})")),
                (Some(org), None) => Some(org.clone()),
                (None, contact) => contact.clone(),
            }),
            notes: page.and_then(|p| p.notes.clone()),
        });
    }
    let coverage = levels(&tallies, &plan)
        .into_iter()
        .map(|l| AppendixLevel {
            level: l.level.as_str().to_owned(),
            units: l.tally.units,
            with_page: l.tally.with_page,
            share: l.tally.share(),
            target: l.target.map(domain::rollout::Share::fraction),
            met: l.met(),
        })
        .collect();
    Ok(Appendix {
        unit_code: unit.code.as_str().to_owned(),
        unit_name: unit.full_name(),
        generated_at: Utc::now(),
        rows,
        totals,
        coverage,
    })
}

/// A report's appendix: as submitted while the asking level holds it, otherwise as it would
/// be submitted now.
pub async fn appendix_of(
    db: &impl ConnectionTrait,
    report: &Report,
    unit: &Unit,
) -> Result<Appendix, AppError> {
    match (&report.snapshot, report.frozen()) {
        (Some(snapshot), true) => Ok(snapshot.clone()),
        _ => appendix(db, unit).await,
    }
}

fn invalid_step(e: domain::report::ReportStepError) -> AppError {
    AppError::invalid(None, e.code(), e.to_string())
}

fn stale() -> AppError {
    AppError::invalid(
        None,
        "STALE_VERSION",
        "Báo cáo vừa được người khác thay đổi. Hãy tải lại rồi thử lại.",
    )
}

/// Submits the report of the unit with `unit_code` in a round, with the appendix frozen as
/// the registry stands: an admin of that unit.
pub async fn submit_report(
    db: &impl Begin,
    by: By<'_>,
    round_id: Uuid,
    unit_code: &str,
    remarks: Option<&str>,
) -> Result<Report, AppError> {
    let unit = unit_for(db, by, unit_code, Action::Read).await?;
    let report = store::reports::of_unit(db, round_id, unit.id)
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(Action::SubmitReport, &unit.path)?;
    let mut problems = Problems::default();
    let remarks = problems.text("remarks", remarks, REMARKS_MAX);
    problems.done()?;
    let status = report
        .status
        .apply(ReportStep::Submit)
        .map_err(invalid_step)?;
    let snapshot = appendix(db, &unit).await?;
    let now = Utc::now();
    let mut updated = report.clone();
    updated.status = status;
    updated.remarks = remarks;
    updated.submitted_at = Some(now);
    updated.first_submitted_at = report.first_submitted_at.or(Some(now));
    updated.submitted_by = by.account_id();
    updated.returned_reason = None;
    updated.snapshot = Some(snapshot);
    updated.version = report.version + 1;
    let txn = store::begin(db).await?;
    match store::reports::save(&txn, &updated, report.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(stale()),
        Err(e) => return Err(e.into()),
    }
    let audited = Event::ReportSubmitted {
        round_id,
        rows: updated.snapshot.as_ref().map_or(0, |a| a.rows.len()),
        resubmitted: report.status == ReportStatus::Returned,
    };
    audit::record(&txn, by, &unit.path, Some(report.id), &audited).await?;
    store::commit(txn).await?;
    Ok(updated)
}

/// Accepts a submitted report, or returns it with a reason: an admin of a unit above the
/// reporting one.
pub async fn review_report(
    db: &impl Begin,
    by: By<'_>,
    report_id: Uuid,
    step: ReportStep,
    reason: Option<&str>,
) -> Result<Report, AppError> {
    let (report, unit, _) = report_for(db, by, report_id, step.action()).await?;
    let mut problems = Problems::default();
    let reason = problems.text("reason", reason, REMARKS_MAX);
    problems.done()?;
    if step == ReportStep::Return && reason.is_none() {
        return Err(AppError::invalid(
            Some("reason"),
            "REASON_REQUIRED",
            "Hãy ghi rõ lý do trả lại để đơn vị biết cần bổ sung gì.",
        ));
    }
    let status = report.status.apply(step).map_err(invalid_step)?;
    let now = Utc::now();
    let mut updated = report.clone();
    updated.status = status;
    updated.reviewed_at = Some(now);
    updated.reviewed_by = by.account_id();
    updated.returned_reason = reason.clone();
    updated.version = report.version + 1;
    let txn = store::begin(db).await?;
    match store::reports::save(&txn, &updated, report.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(stale()),
        Err(e) => return Err(e.into()),
    }
    let audited = match step {
        ReportStep::Return => Event::ReportReturned { reason },
        _ => Event::ReportAccepted,
    };
    audit::record(&txn, by, &unit.path, Some(report.id), &audited).await?;
    store::commit(txn).await?;
    Ok(updated)
}
