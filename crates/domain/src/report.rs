//! The deployment report (G11): a reporting round issued by a unit asks each unit directly
//! below it for a report on the appendix form by a deadline; the report is filled from the
//! registry, frozen when submitted, and accepted or returned by the issuing level.
//!
//! ```text
//! NOT_STARTED ──submit──▶ SUBMITTED ──accept──▶ ACCEPTED
//!                           │   ▲
//!                      return   submit
//!                           ▼   │
//!                          RETURNED
//! ```

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;
use crate::page::UnknownValue;
use crate::policy::{Action, can};
use crate::time::today_in_vietnam;
use crate::{Actor, UnitPath};

/// A reporting round: what a unit asked of the units directly below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingRound {
    pub id: Uuid,
    /// The issuing unit.
    pub unit_id: Uuid,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The last day a report counts as on time.
    pub deadline: NaiveDate,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A round's dates: the period in order, the deadline not already past.
pub fn check_round_dates(
    period_start: NaiveDate,
    period_end: NaiveDate,
    deadline: NaiveDate,
    today: NaiveDate,
) -> Vec<(&'static str, DomainError)> {
    let mut problems = Vec::new();
    if period_end < period_start {
        problems.push(("periodEnd", DomainError::PeriodReversed));
    }
    if deadline < today {
        problems.push(("deadline", DomainError::DeadlinePassed));
    }
    problems
}

/// One unit's report in a round.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: Uuid,
    pub round_id: Uuid,
    /// The reporting unit.
    pub unit_id: Uuid,
    pub status: ReportStatus,
    pub remarks: Option<String>,
    /// The latest submission.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The first submission: whether the report came on time is decided by it.
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<Uuid>,
    /// Why the issuing level returned it, while it is returned.
    pub returned_reason: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<Uuid>,
    /// The appendix as submitted; `None` until the first submission.
    pub snapshot: Option<Appendix>,
    pub version: i32,
}

impl Report {
    /// Whether the report came by the deadline; `None` until it is submitted.
    pub fn on_time(&self, deadline: NaiveDate) -> Option<bool> {
        self.first_submitted_at
            .map(|at| today_in_vietnam(at) <= deadline)
    }

    /// Late: submitted after the deadline, or not submitted and the deadline has passed.
    pub fn is_late(&self, deadline: NaiveDate, today: NaiveDate) -> bool {
        match self.on_time(deadline) {
            Some(on_time) => !on_time,
            None => today > deadline,
        }
    }

    /// Whether the appendix is frozen: submitted and not returned.
    pub fn frozen(&self) -> bool {
        matches!(
            self.status,
            ReportStatus::Submitted | ReportStatus::Accepted
        )
    }
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportStatus {
    NotStarted,
    Submitted,
    Returned,
    Accepted,
}

impl ReportStatus {
    pub const ALL: [Self; 4] = [
        Self::NotStarted,
        Self::Submitted,
        Self::Returned,
        Self::Accepted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "NOT_STARTED",
            Self::Submitted => "SUBMITTED",
            Self::Returned => "RETURNED",
            Self::Accepted => "ACCEPTED",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Chưa nộp",
            Self::Submitted => "Đã nộp",
            Self::Returned => "Bị trả lại",
            Self::Accepted => "Đã tiếp nhận",
        }
    }

    /// Whether the issuing level holds the report: submitted or accepted.
    pub fn is_in(self) -> bool {
        matches!(self, Self::Submitted | Self::Accepted)
    }

    /// The status `step` leads to, or why it cannot be taken.
    pub fn apply(self, step: ReportStep) -> Result<Self, ReportStepError> {
        match (step, self) {
            (ReportStep::Submit, Self::NotStarted | Self::Returned) => Ok(Self::Submitted),
            (ReportStep::Accept, Self::Submitted) => Ok(Self::Accepted),
            (ReportStep::Return, Self::Submitted) => Ok(Self::Returned),
            (_, from) => Err(ReportStepError(from)),
        }
    }
}

impl FromStr for ReportStatus {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(UnknownValue)
    }
}

/// A step in a report's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    /// By an admin of the reporting unit.
    Submit,
    /// By an admin of a unit above it (the issuing level).
    Accept,
    Return,
}

impl ReportStep {
    /// What the policy must allow at the reporting unit.
    pub fn action(self) -> Action {
        match self {
            Self::Submit => Action::SubmitReport,
            Self::Accept | Self::Return => Action::Approve,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Accept => "accept",
            Self::Return => "return",
        }
    }
}

/// A step that the report's status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Không thể thực hiện khi báo cáo đang ở trạng thái «{}».", .0.label())]
pub struct ReportStepError(pub ReportStatus);

impl ReportStepError {
    pub fn code(self) -> &'static str {
        "INVALID_TRANSITION"
    }
}

/// Where a round stands over its reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoundStats {
    pub reports: u64,
    /// Held by the asking level: submitted or accepted.
    pub submitted: u64,
    pub accepted: u64,
    pub returned: u64,
    pub not_started: u64,
    /// Submitted after the deadline, or not submitted and the deadline has passed.
    pub late: u64,
    /// First submitted by the deadline.
    pub on_time: u64,
}

impl RoundStats {
    /// The figures of `reports`, a round's with `deadline`, on `today`.
    pub fn of<'a>(
        reports: impl IntoIterator<Item = &'a Report>,
        deadline: NaiveDate,
        today: NaiveDate,
    ) -> Self {
        let mut stats = Self::default();
        for r in reports {
            stats.reports += 1;
            stats.submitted += u64::from(r.status.is_in());
            stats.accepted += u64::from(r.status == ReportStatus::Accepted);
            stats.returned += u64::from(r.status == ReportStatus::Returned);
            stats.not_started += u64::from(r.status == ReportStatus::NotStarted);
            stats.late += u64::from(r.is_late(deadline, today));
            stats.on_time += u64::from(r.on_time(deadline) == Some(true));
        }
        stats
    }

    /// Submitted reports as a share of all; 0 for none.
    pub fn reporting_rate(&self) -> f64 {
        ratio(self.submitted, self.reports)
    }

    /// Reports first submitted on time as a share of all; 0 for none.
    pub fn on_time_rate(&self) -> f64 {
        ratio(self.on_time, self.reports)
    }
}

#[expect(clippy::cast_precision_loss, reason = "report counts are small")]
fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// What an actor may do to a report, as the policy and the status machine decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPermissions {
    pub submit: bool,
    pub accept: bool,
    pub return_report: bool,
}

/// [`ReportPermissions`] of `actor` for a report in `status` of the unit at `unit`.
pub fn report_permissions(
    actor: &Actor,
    status: ReportStatus,
    unit: &UnitPath,
) -> ReportPermissions {
    let allows =
        |step: ReportStep| can(actor, step.action(), unit).is_ok() && status.apply(step).is_ok();
    ReportPermissions {
        submit: allows(ReportStep::Submit),
        accept: allows(ReportStep::Accept),
        return_report: allows(ReportStep::Return),
    }
}

/// The appendix form (phụ lục) of a deployment report: one row per unit of the reporting
/// unit's subtree, with totals and coverage. Kept as submitted, so it is stored as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Appendix {
    pub unit_code: String,
    /// e.g. "Huyện Phú Ninh".
    pub unit_name: String,
    pub generated_at: DateTime<Utc>,
    pub rows: Vec<AppendixRow>,
    pub totals: AppendixTotals,
    pub coverage: Vec<AppendixLevel>,
}

/// One unit's line of the appendix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppendixRow {
    pub unit_code: String,
    /// e.g. "Xã Tam Dân".
    pub unit_name: String,
    /// `district`, `commune`…
    pub level: String,
    pub page_name: Option<String>,
    pub url: Option<String>,
    pub established_on: Option<NaiveDate>,
    /// e.g. `VERIFIED`.
    pub status: Option<String>,
    pub name_conforms: Option<bool>,
    pub leader: Option<Officer>,
    pub operator: Option<Officer>,
    pub supported_by: Option<String>,
    pub notes: Option<String>,
}

/// A page's leader or operator as the appendix shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Officer {
    pub full_name: String,
    pub position: String,
    pub phone: String,
}

/// The appendix's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppendixTotals {
    pub units: u64,
    /// Units with a page in a counted status.
    pub with_page: u64,
    pub verified: u64,
    pub name_conforms: u64,
    /// Pages with both a leader and an operator.
    pub fully_staffed: u64,
}

/// Coverage of one level as the appendix states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppendixLevel {
    pub level: String,
    pub units: u64,
    pub with_page: u64,
    pub share: f64,
    pub target: Option<f64>,
    pub met: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;
    use crate::unit::UnitCode;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    fn report(first: Option<&str>) -> Report {
        Report {
            id: Uuid::nil(),
            round_id: Uuid::nil(),
            unit_id: Uuid::nil(),
            status: ReportStatus::NotStarted,
            remarks: None,
            submitted_at: first.map(at),
            first_submitted_at: first.map(at),
            submitted_by: None,
            returned_reason: None,
            reviewed_at: None,
            reviewed_by: None,
            snapshot: None,
            version: 1,
        }
    }

    #[test]
    fn on_time_means_by_the_end_of_the_deadline_in_viet_nam() {
        let deadline: NaiveDate = "2026-12-25".parse().expect("date");
        // 23:59 on the 25th in Việt Nam.
        assert_eq!(
            report(Some("2026-12-25T16:59:00Z")).on_time(deadline),
            Some(true)
        );
        // 00:01 on the 26th in Việt Nam.
        assert_eq!(
            report(Some("2026-12-25T17:01:00Z")).on_time(deadline),
            Some(false)
        );
        let unsent = report(None);
        assert!(!unsent.is_late(deadline, deadline));
        assert!(unsent.is_late(deadline, deadline.succ_opt().expect("day")));
    }

    #[test]
    fn a_returned_report_is_submitted_again_and_an_accepted_one_is_final() {
        use ReportStatus as S;
        use ReportStep as T;
        assert_eq!(S::NotStarted.apply(T::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.apply(T::Return), Ok(S::Returned));
        assert_eq!(S::Returned.apply(T::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.apply(T::Accept), Ok(S::Accepted));
        assert!(S::Accepted.apply(T::Submit).is_err());
        assert!(S::Submitted.apply(T::Submit).is_err());
        assert!(S::NotStarted.apply(T::Accept).is_err());
    }

    #[test]
    fn the_unit_submits_and_the_level_above_reviews() {
        let province = UnitPath::root(&UnitCode::root()).child(&UnitCode::parse("49").expect("c"));
        let district = province.child(&UnitCode::parse("518").expect("c"));
        let actor = |path: &UnitPath, role| Actor {
            account_id: Uuid::nil(),
            role,
            unit_path: path.clone(),
        };
        let own = report_permissions(
            &actor(&district, Role::Admin),
            ReportStatus::NotStarted,
            &district,
        );
        assert!(own.submit && !own.accept);
        let operator = report_permissions(
            &actor(&district, Role::Operator),
            ReportStatus::NotStarted,
            &district,
        );
        assert!(!operator.submit, "the unit's admin submits");
        let above = report_permissions(
            &actor(&province, Role::Admin),
            ReportStatus::Submitted,
            &district,
        );
        assert!(above.accept && above.return_report && !above.submit);
    }
}
