//! The rollout's progress (coverage against the rollout plan) and the deployment reports
//! the units send up in reporting rounds. Every figure is the API's: the app only shows it.

use super::ops::{
    AcceptReport, CoverageMissing, CreateReportingRound, Dashboard, ReportDetail, ReportingRounds,
    ReturnReport, RoundDetail, SetRolloutPlan, SubmitReport, accept_report, coverage_missing,
    create_reporting_round, dashboard, report_detail, reporting_rounds, return_report,
    round_detail, set_rollout_plan, submit_report,
};
use super::{Client, Slice};
use crate::error::Error;
use crate::models::{FieldErrors, Level, Unit, UserError};

/// A level's figures against the plan's target.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelFigures {
    pub level: Level,
    /// "Huyện", as the API words it.
    pub label: String,
    pub units: i64,
    pub with_page: i64,
    /// 0–1.
    pub share: f64,
    /// 0–1; `None` without a target.
    pub target: Option<f64>,
    pub met: Option<bool>,
    pub short_by: i64,
    pub verified: i64,
    pub missing: i64,
}

/// A unit directly below, with its whole subtree's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildFigures {
    pub unit: Unit,
    pub units: i64,
    pub with_page: i64,
    pub share: f64,
    pub verified: i64,
    pub met: Option<bool>,
}

/// The rollout plan a unit is measured against.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The unit that set it (its code and name); `None` for the guideline's targets.
    pub set_by: Option<(String, String)>,
    pub is_default: bool,
    pub title: String,
    pub deadline: Option<String>,
    pub targets: Vec<(Level, f64)>,
    pub version: i64,
}

/// One point of the progress chart: the share of each level on a day.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryPoint {
    pub date: String,
    pub levels: Vec<(Level, String, f64)>,
}

/// The dashboard of a unit.
#[derive(Clone, Debug, PartialEq)]
pub struct DashboardView {
    pub unit: Unit,
    /// From the province down, the unit itself left out.
    pub ancestors: Vec<Unit>,
    /// The viewer may set the unit's plan and ask the units below for reports.
    pub oversee: bool,
    pub plan: Plan,
    pub levels: Vec<LevelFigures>,
    pub met: Option<bool>,
    pub deadline: Option<String>,
    pub days_left: Option<i64>,
    /// Worst first: the lowest share first, in tree order among equals.
    pub children: Vec<ChildFigures>,
    pub history: Vec<HistoryPoint>,
}

/// How far back the progress chart goes, in days.
pub const HISTORY_DAYS: i64 = 84;

/// The dashboard of the unit with this code; `today` and `from` are `YYYY-MM-DD`.
pub async fn dashboard(
    client: &Client,
    code: &str,
    from: &str,
    today: &str,
) -> Result<DashboardView, Error> {
    let data = client
        .execute::<Dashboard>(dashboard::Variables {
            code: code.to_owned(),
            from: from.to_owned(),
            to: today.to_owned(),
        })
        .await?;
    let c = data.coverage;
    let mut children: Vec<ChildFigures> = c
        .children
        .into_iter()
        .map(|child| ChildFigures {
            unit: child.unit.into(),
            units: child.units,
            with_page: child.with_page,
            share: child.share,
            verified: child.verified,
            met: child.met,
        })
        .collect();
    children.sort_by(|a, b| a.share.total_cmp(&b.share));
    let plan = c.plan;
    Ok(DashboardView {
        ancestors: c.unit.ancestors.into_iter().map(Unit::from).collect(),
        oversee: c.unit.viewer_can.oversee,
        unit: c.unit.unit_fields.into(),
        plan: Plan {
            set_by: plan.unit.map(|u| (u.code, u.full_name)),
            is_default: plan.is_default,
            title: plan.title,
            deadline: plan.deadline,
            targets: plan
                .targets
                .into_iter()
                .map(|t| (t.level.into(), t.share))
                .collect(),
            version: plan.version,
        },
        levels: c
            .levels
            .into_iter()
            .map(|l| LevelFigures {
                level: l.level.into(),
                label: l.label,
                units: l.units,
                with_page: l.with_page,
                share: l.share,
                target: l.target,
                met: l.met,
                short_by: l.short_by,
                verified: l.verified,
                missing: l.missing,
            })
            .collect(),
        met: c.met,
        deadline: c.deadline,
        days_left: c.days_left,
        children,
        history: data
            .coverage_history
            .into_iter()
            .map(|p| HistoryPoint {
                date: p.date,
                levels: p
                    .levels
                    .into_iter()
                    .map(|l| (l.level.into(), l.label, l.share))
                    .collect(),
            })
            .collect(),
    })
}

/// How many units without a page one request asks for.
pub const MISSING_LIMIT: i64 = 20;

/// A slice of the units of the subtree still without a page.
pub async fn missing(
    client: &Client,
    code: &str,
    after: Option<String>,
) -> Result<Slice<Unit>, Error> {
    let data = client
        .execute::<CoverageMissing>(coverage_missing::Variables {
            code: code.to_owned(),
            first: Some(MISSING_LIMIT),
            after,
        })
        .await?;
    let list = data.coverage.missing;
    Ok(Slice::new(
        list.nodes.into_iter().map(Unit::from),
        list.total_count,
        list.page_info.has_next_page,
        list.page_info.end_cursor,
    ))
}

/// The plan form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanForm {
    pub title: String,
    /// `dd/mm/yyyy`; empty: no deadline.
    pub deadline: String,
    /// A level's target in percent, as typed; empty: no target.
    pub targets: Vec<(Level, String)>,
}

/// The id of a level's target input (`target-DISTRICT`).
pub fn target_field(level: Level) -> String {
    format!("target-{}", level_key(level))
}

/// A level as the API's `UnitLevel` spells it.
pub fn level_key(level: Level) -> &'static str {
    match level {
        Level::Central => "CENTRAL",
        Level::Province => "PROVINCE",
        Level::District => "DISTRICT",
        Level::Commune => "COMMUNE",
    }
}

/// Errors of a form the app finds before sending it: a day or a number it cannot read.
fn unreadable(field: &str, message: &str) -> UserError {
    UserError::new(Some(field), message, "UNREADABLE")
}

const DAY_FORMAT: &str = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026.";

/// A day typed, for the API; `Err` with the field's error when it is not a day.
fn day(field: &str, text: &str, errors: &mut Vec<UserError>) -> String {
    crate::text::parse_day(text).unwrap_or_else(|| {
        errors.push(unreadable(field, DAY_FORMAT));
        String::new()
    })
}

/// Sets the unit's rollout plan over `expected_version` (`None` when the unit has no plan
/// of its own yet).
pub async fn set_plan(
    client: &Client,
    code: &str,
    form: &PlanForm,
    expected_version: Option<i64>,
) -> Result<Result<(), FieldErrors>, Error> {
    let mut errors = Vec::new();
    let deadline =
        (!form.deadline.trim().is_empty()).then(|| day("deadline", &form.deadline, &mut errors));
    let mut targets = Vec::new();
    for (level, typed) in &form.targets {
        let typed = typed.trim().trim_end_matches('%').trim();
        if typed.is_empty() {
            continue;
        }
        match typed.replace(',', ".").parse::<f64>() {
            Ok(percent) => targets.push(set_rollout_plan::LevelTargetInput {
                level: plan_level(*level),
                share: percent / 100.0,
            }),
            Err(_) => errors.push(unreadable(
                &target_field(*level),
                "Nhập chỉ tiêu bằng số phần trăm, ví dụ 70.",
            )),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(FieldErrors(errors)));
    }
    let data = client
        .execute::<SetRolloutPlan>(set_rollout_plan::Variables {
            input: set_rollout_plan::SetRolloutPlanInput {
                unit_code: code.to_owned(),
                title: form.title.trim().to_owned(),
                deadline,
                targets,
                counted_statuses: None,
                expected_version,
            },
        })
        .await?;
    let p = data.set_rollout_plan;
    Ok(outcome(
        p.plan.is_some(),
        p.user_errors
            .into_iter()
            .map(|e| UserError {
                field: e.field,
                message: e.message,
                code: e.code,
            })
            .collect(),
    ))
}

fn plan_level(level: Level) -> set_rollout_plan::UnitLevel {
    match level {
        Level::Central => set_rollout_plan::UnitLevel::CENTRAL,
        Level::Province => set_rollout_plan::UnitLevel::PROVINCE,
        Level::District => set_rollout_plan::UnitLevel::DISTRICT,
        Level::Commune => set_rollout_plan::UnitLevel::COMMUNE,
    }
}

/// Done, or why not.
fn outcome(done: bool, errors: Vec<UserError>) -> Result<(), FieldErrors> {
    if done && errors.is_empty() {
        Ok(())
    } else {
        Err(FieldErrors(errors))
    }
}

/// A reporting round with its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Round {
    pub id: String,
    /// The unit that asked for the reports.
    pub unit: Unit,
    pub title: String,
    pub period_start: String,
    pub period_end: String,
    pub deadline: String,
    pub days_left: i64,
    pub report_count: i64,
    pub submitted_count: i64,
    pub accepted_count: i64,
    pub returned_count: i64,
    pub not_started_count: i64,
    pub late_count: i64,
    pub reporting_rate: f64,
    pub on_time_rate: f64,
}

macro_rules! round_from {
    ($($module:ident),*) => {$(
        impl From<$module::RoundFields> for Round {
            fn from(r: $module::RoundFields) -> Self {
                Self {
                    id: r.id,
                    unit: r.unit.into(),
                    title: r.title,
                    period_start: r.period_start,
                    period_end: r.period_end,
                    deadline: r.deadline,
                    days_left: r.days_left,
                    report_count: r.report_count,
                    submitted_count: r.submitted_count,
                    accepted_count: r.accepted_count,
                    returned_count: r.returned_count,
                    not_started_count: r.not_started_count,
                    late_count: r.late_count,
                    reporting_rate: r.reporting_rate,
                    on_time_rate: r.on_time_rate,
                }
            }
        }
    )*};
}

round_from!(reporting_rounds, round_detail);

/// The rounds a unit issued or must report in, and whether the viewer may start one.
#[derive(Clone, Debug, PartialEq)]
pub struct Rounds {
    pub oversee: bool,
    pub rounds: Slice<Round>,
}

impl crate::hooks::Listing for Rounds {
    fn next(&self) -> Option<String> {
        self.rounds.next.clone()
    }

    fn total(&self) -> i64 {
        self.rounds.total
    }

    fn shown(&self) -> usize {
        self.rounds.items.len()
    }

    fn append(&mut self, more: Self) {
        self.rounds.items.extend(more.rounds.items);
        self.rounds.next = more.rounds.next;
        self.rounds.total = more.rounds.total;
    }
}

/// How many rounds one request asks for.
pub const ROUNDS_LIMIT: i64 = 20;

pub async fn rounds(client: &Client, code: &str, after: Option<String>) -> Result<Rounds, Error> {
    let data = client
        .execute::<ReportingRounds>(reporting_rounds::Variables {
            code: code.to_owned(),
            first: Some(ROUNDS_LIMIT),
            after,
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let list = data.reporting_rounds;
    Ok(Rounds {
        oversee: unit.viewer_can.oversee,
        rounds: Slice::new(
            list.nodes.into_iter().map(Round::from),
            list.total_count,
            list.page_info.has_next_page,
            list.page_info.end_cursor,
        ),
    })
}

/// The new round form's fields, days typed `dd/mm/yyyy`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundForm {
    pub title: String,
    pub period_start: String,
    pub period_end: String,
    pub deadline: String,
}

/// Asks every unit directly below `code` for its report; the new round's id.
pub async fn create_round(
    client: &Client,
    code: &str,
    form: &RoundForm,
) -> Result<Result<String, FieldErrors>, Error> {
    let mut errors = Vec::new();
    let period_start = day("periodStart", &form.period_start, &mut errors);
    let period_end = day("periodEnd", &form.period_end, &mut errors);
    let deadline = day("deadline", &form.deadline, &mut errors);
    if !errors.is_empty() {
        return Ok(Err(FieldErrors(errors)));
    }
    let data = client
        .execute::<CreateReportingRound>(create_reporting_round::Variables {
            input: create_reporting_round::CreateReportingRoundInput {
                unit_code: code.to_owned(),
                title: form.title.trim().to_owned(),
                period_start,
                period_end,
                deadline,
            },
        })
        .await?;
    let p = data.create_reporting_round;
    let errors: Vec<UserError> = p
        .user_errors
        .into_iter()
        .map(|e| UserError {
            field: e.field,
            message: e.message,
            code: e.code,
        })
        .collect();
    Ok(match p.round {
        Some(round) if errors.is_empty() => Ok(round.id),
        _ => Err(FieldErrors(errors)),
    })
}

/// What the viewer may do to a report, as the API decides it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportPermissions {
    pub submit: bool,
    pub accept: bool,
    pub return_report: bool,
}

/// A report in a round's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    pub id: String,
    pub unit: Unit,
    /// "Đã nộp", as the API words it.
    pub status_label: String,
    pub submitted_at: Option<String>,
    pub on_time: Option<bool>,
    pub late: bool,
    pub can: ReportPermissions,
}

/// A round and the reports of it the viewer reads.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundView {
    pub round: Round,
    pub reports: Vec<ReportRow>,
}

pub async fn round(client: &Client, id: &str) -> Result<RoundView, Error> {
    let data = client
        .execute::<RoundDetail>(round_detail::Variables { id: id.to_owned() })
        .await?;
    let Some(round_detail::RoundDetailNode::ReportingRound(round)) = data.node else {
        return Err(Error::NotFound);
    };
    Ok(RoundView {
        reports: round
            .reports
            .into_iter()
            .map(|r| ReportRow {
                id: r.id,
                unit: r.unit.into(),
                status_label: r.status_label,
                submitted_at: r.submitted_at,
                on_time: r.on_time,
                late: r.late,
                can: ReportPermissions {
                    submit: r.viewer_can.submit,
                    accept: r.viewer_can.accept,
                    return_report: r.viewer_can.can_return,
                },
            })
            .collect(),
        round: round.round_fields.into(),
    })
}

/// An officer named in the appendix: name, position, phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Officer {
    pub full_name: String,
    pub position: String,
    pub phone: String,
}

/// One line of the appendix: a unit of the reporting unit's subtree and its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppendixRow {
    pub unit_code: String,
    pub unit_name: String,
    pub page_name: Option<String>,
    pub url: Option<String>,
    pub established_on: Option<String>,
    pub status_label: String,
    pub name_conforms: Option<bool>,
    pub leader: Option<Officer>,
    pub operator: Option<Officer>,
    pub supported_by: Option<String>,
    pub notes: Option<String>,
}

/// A level's coverage as the appendix states it.
#[derive(Clone, Debug, PartialEq)]
pub struct AppendixLevel {
    pub level: Option<Level>,
    pub units: i64,
    pub with_page: i64,
    pub share: f64,
    pub target: Option<f64>,
    pub met: Option<bool>,
}

/// The appendix's totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub units: i64,
    pub with_page: i64,
    pub verified: i64,
    pub name_conforms: i64,
    pub fully_staffed: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Appendix {
    /// The submitted snapshot (later edits to pages do not change it).
    pub frozen: bool,
    pub unit_name: String,
    pub generated_at: String,
    pub rows: Vec<AppendixRow>,
    pub totals: Totals,
    pub coverage: Vec<AppendixLevel>,
}

/// A unit's report in a round, with its appendix.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportView {
    pub id: String,
    pub unit: Unit,
    pub round_id: String,
    pub round_title: String,
    /// The unit that asked for it.
    pub round_unit: Unit,
    pub period_start: String,
    pub period_end: String,
    pub deadline: String,
    pub status_label: String,
    pub submitted_at: Option<String>,
    pub on_time: Option<bool>,
    pub late: bool,
    pub remarks: Option<String>,
    pub returned_reason: Option<String>,
    pub reviewed_at: Option<String>,
    pub submitted_by: Option<String>,
    pub xlsx_url: String,
    pub csv_url: String,
    pub can: ReportPermissions,
    pub appendix: Appendix,
}

pub async fn report(client: &Client, id: &str) -> Result<ReportView, Error> {
    let data = client
        .execute::<ReportDetail>(report_detail::Variables { id: id.to_owned() })
        .await?;
    let Some(report_detail::ReportDetailNode::Report(r)) = data.node else {
        return Err(Error::NotFound);
    };
    let a = r.appendix;
    let t = a.totals;
    Ok(ReportView {
        id: r.id,
        unit: r.unit.into(),
        round_id: r.round.id,
        round_title: r.round.title,
        round_unit: r.round.unit.into(),
        period_start: r.round.period_start,
        period_end: r.round.period_end,
        deadline: r.round.deadline,
        status_label: r.status_label,
        submitted_at: r.submitted_at,
        on_time: r.on_time,
        late: r.late,
        remarks: r.remarks,
        returned_reason: r.returned_reason,
        reviewed_at: r.reviewed_at,
        submitted_by: r.submitted_by,
        xlsx_url: r.xlsx_url,
        csv_url: r.csv_url,
        can: ReportPermissions {
            submit: r.viewer_can.submit,
            accept: r.viewer_can.accept,
            return_report: r.viewer_can.can_return,
        },
        appendix: Appendix {
            frozen: a.frozen,
            unit_name: a.unit_name,
            generated_at: a.generated_at,
            rows: a
                .rows
                .into_iter()
                .map(|row| AppendixRow {
                    unit_code: row.unit_code,
                    unit_name: row.unit_name,
                    page_name: row.page_name,
                    url: row.url,
                    established_on: row.established_on,
                    status_label: row.status_label,
                    name_conforms: row.name_conforms,
                    leader: row.leader.map(|o| Officer {
                        full_name: o.full_name,
                        position: o.position,
                        phone: o.phone,
                    }),
                    operator: row.operator.map(|o| Officer {
                        full_name: o.full_name,
                        position: o.position,
                        phone: o.phone,
                    }),
                    supported_by: row.supported_by,
                    notes: row.notes,
                })
                .collect(),
            totals: Totals {
                units: t.units,
                with_page: t.with_page,
                verified: t.verified,
                name_conforms: t.name_conforms,
                fully_staffed: t.fully_staffed,
            },
            coverage: a
                .coverage
                .into_iter()
                .map(|c| AppendixLevel {
                    level: c.level.map(Level::from),
                    units: c.units,
                    with_page: c.with_page,
                    share: c.share,
                    target: c.target,
                    met: c.met,
                })
                .collect(),
        },
    })
}

/// A step on a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportStep {
    Submit,
    Accept,
    Return,
}

impl ReportStep {
    pub fn label(self) -> &'static str {
        match self {
            Self::Submit => "Nộp báo cáo",
            Self::Accept => "Tiếp nhận",
            Self::Return => "Trả lại",
        }
    }

    /// What it says once done.
    pub fn done(self) -> &'static str {
        match self {
            Self::Submit => "Đã nộp báo cáo.",
            Self::Accept => "Đã tiếp nhận báo cáo.",
            Self::Return => "Đã trả lại báo cáo.",
        }
    }
}

/// Submits the viewer's unit's report in the round, with its remarks.
pub async fn submit(
    client: &Client,
    round_id: &str,
    unit_code: &str,
    remarks: &str,
) -> Result<Result<(), FieldErrors>, Error> {
    let remarks = remarks.trim();
    let data = client
        .execute::<SubmitReport>(submit_report::Variables {
            input: submit_report::SubmitReportInput {
                round_id: round_id.to_owned(),
                unit_code: unit_code.to_owned(),
                remarks: (!remarks.is_empty()).then(|| remarks.to_owned()),
            },
        })
        .await?;
    let p = data.result;
    Ok(outcome(
        p.report.is_some(),
        p.user_errors
            .into_iter()
            .map(|e| UserError {
                field: e.field,
                message: e.message,
                code: e.code,
            })
            .collect(),
    ))
}

/// Accepts a submitted report.
pub async fn accept(client: &Client, id: &str) -> Result<Result<(), FieldErrors>, Error> {
    let data = client
        .execute::<AcceptReport>(accept_report::Variables {
            input: accept_report::AcceptReportInput {
                report_id: id.to_owned(),
            },
        })
        .await?;
    let p = data.result;
    Ok(outcome(
        p.report.is_some(),
        p.user_errors
            .into_iter()
            .map(|e| UserError {
                field: e.field,
                message: e.message,
                code: e.code,
            })
            .collect(),
    ))
}

/// Sends a submitted report back with the reason.
pub async fn return_with(
    client: &Client,
    id: &str,
    reason: &str,
) -> Result<Result<(), FieldErrors>, Error> {
    let data = client
        .execute::<ReturnReport>(return_report::Variables {
            input: return_report::ReturnReportInput {
                report_id: id.to_owned(),
                reason: reason.trim().to_owned(),
            },
        })
        .await?;
    let p = data.result;
    Ok(outcome(
        p.report.is_some(),
        p.user_errors
            .into_iter()
            .map(|e| UserError {
                field: e.field,
                message: e.message,
                code: e.code,
            })
            .collect(),
    ))
}

/// Accepts or returns a report (returning needs the reason).
pub async fn review(
    client: &Client,
    step: ReportStep,
    id: &str,
    reason: Option<String>,
) -> Result<Result<(), FieldErrors>, Error> {
    match step {
        ReportStep::Return => return_with(client, id, reason.as_deref().unwrap_or("")).await,
        _ => accept(client, id).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_an_unreadable_day_or_target_says_which_field() {
        let mut errors = Vec::new();
        assert_eq!(day("deadline", "04/12/2026", &mut errors), "2026-12-04");
        assert!(errors.is_empty());
        day("deadline", "4 tháng 12", &mut errors);
        assert_eq!(errors[0].field.as_deref(), Some("deadline"));
        assert_eq!(target_field(Level::Commune), "target-COMMUNE");
    }
}
