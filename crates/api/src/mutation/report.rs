//! Setting rollout targets and running deployment reports: `setRolloutPlan`,
//! `createReportingRound`, `submitReport`, `acceptReport`, `returnReport`.

use app::By;
use app::reports::RoundInput;
use app::rollout::PlanInput;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use domain::report::ReportStep;
use store::Db;

use crate::error::AppResultExt;
use crate::relay::{NodeKind, id_of};
use crate::types::account::UserError;
use crate::types::date::Date;
use crate::types::page::PageStatus;
use crate::types::report::{Report, ReportingRound, RolloutPlan};
use crate::types::unit::UnitLevel;
use crate::{ApiError, auth};

/// A level's target share.
#[derive(InputObject)]
pub struct LevelTargetInput {
    pub level: UnitLevel,
    /// 0–1: 0.7 for 70%.
    pub share: f64,
}

/// The rollout plan of a unit's subtree.
#[derive(InputObject)]
pub struct SetRolloutPlanInput {
    /// A unit the viewer is an admin of, or of a unit above it.
    pub unit_code: String,
    pub title: String,
    pub deadline: Option<Date>,
    /// At most one per level; a level left out has no target. The guideline's: DISTRICT 1,
    /// COMMUNE 0.7.
    pub targets: Vec<LevelTargetInput>,
    /// The statuses counted as "has a page"; ESTABLISHED, REPORTED and VERIFIED when omitted.
    pub counted_statuses: Option<Vec<PageStatus>>,
    /// The plan's `version` the change was made on; omitted for a unit without its own plan.
    /// A plan changed since is not overwritten (`STALE_VERSION`).
    pub expected_version: Option<i32>,
}

/// The outcome of `setRolloutPlan`.
#[derive(SimpleObject, Default)]
pub struct SetRolloutPlanPayload {
    pub plan: Option<RolloutPlan>,
    pub user_errors: Vec<UserError>,
}

/// A new reporting round.
#[derive(InputObject)]
pub struct CreateReportingRoundInput {
    /// The asking unit: every unit directly below it gets a report to submit.
    pub unit_code: String,
    pub title: String,
    pub period_start: Date,
    pub period_end: Date,
    /// The last day a report counts as on time; not before today.
    pub deadline: Date,
}

/// The outcome of `createReportingRound`.
#[derive(SimpleObject, Default)]
pub struct CreateReportingRoundPayload {
    pub round: Option<ReportingRound>,
    pub user_errors: Vec<UserError>,
}

/// A report to submit.
#[derive(InputObject)]
pub struct SubmitReportInput {
    pub round_id: ID,
    /// The reporting unit: the viewer's own.
    pub unit_code: String,
    pub remarks: Option<String>,
}

/// A submitted report to accept.
#[derive(InputObject)]
pub struct AcceptReportInput {
    pub report_id: ID,
}

/// A submitted report to send back.
#[derive(InputObject)]
pub struct ReturnReportInput {
    pub report_id: ID,
    /// Required: what to fix.
    pub reason: String,
}

/// The outcome of a report mutation.
#[derive(SimpleObject, Default)]
pub struct ReportPayload {
    pub report: Option<Report>,
    pub user_errors: Vec<UserError>,
}

async fn report_payload(
    ctx: &Context<'_>,
    result: Result<domain::report::Report, Vec<UserError>>,
) -> async_graphql::Result<ReportPayload> {
    let report = match result {
        Ok(report) => report,
        Err(user_errors) => {
            return Ok(ReportPayload {
                report: None,
                user_errors,
            });
        }
    };
    let db = ctx.data_unchecked::<Db>();
    let unit = store::units::by_id(db, report.unit_id)
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
        .ok_or(ApiError::NotFound)?;
    let round = store::reports::round_by_id(db, report.round_id)
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
        .ok_or(ApiError::NotFound)?;
    Ok(ReportPayload {
        report: Some(Report::new(report, unit, round.deadline)),
        user_errors: Vec::new(),
    })
}

async fn review(
    ctx: &Context<'_>,
    report_id: &ID,
    step: ReportStep,
    reason: Option<&str>,
) -> async_graphql::Result<ReportPayload> {
    let actor = auth::actor(ctx).await?;
    let db = ctx.data_unchecked::<Db>();
    let result = app::reports::review_report(
        db,
        By::Account(&actor),
        id_of(report_id, NodeKind::Report)?,
        step,
        reason,
    )
    .await
    .or_user_errors(ctx)?;
    report_payload(ctx, result).await
}

#[derive(Default)]
pub struct ReportMutation;

#[Object]
impl ReportMutation {
    /// Sets the rollout plan of a unit's subtree (G2): an admin of the unit or above. It
    /// applies to the unit and every unit below that has no plan of its own.
    async fn set_rollout_plan(
        &self,
        ctx: &Context<'_>,
        input: SetRolloutPlanInput,
    ) -> async_graphql::Result<SetRolloutPlanPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        if input.targets.len() > 8 {
            return Err(ApiError::validation("targets", "Mỗi cấp chỉ có một chỉ tiêu.").into());
        }
        let counted = input
            .counted_statuses
            .map(|list| list.into_iter().map(Into::into).collect::<Vec<_>>());
        let result = app::rollout::set_rollout_plan(
            db,
            By::Account(&actor),
            PlanInput {
                unit_code: input.unit_code,
                title: input.title,
                deadline: input.deadline.map(|d| d.0),
                targets: input
                    .targets
                    .iter()
                    .map(|t| (t.level.into(), t.share))
                    .collect(),
                counted,
                expected_version: input.expected_version,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(plan) => SetRolloutPlanPayload {
                plan: Some(RolloutPlan(plan)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => SetRolloutPlanPayload {
                plan: None,
                user_errors,
            },
        })
    }

    /// Asks every unit directly below a unit for its deployment report by a deadline (G11):
    /// an admin of the unit or above.
    async fn create_reporting_round(
        &self,
        ctx: &Context<'_>,
        input: CreateReportingRoundInput,
    ) -> async_graphql::Result<CreateReportingRoundPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::reports::create_round(
            db,
            By::Account(&actor),
            RoundInput {
                unit_code: input.unit_code,
                title: input.title,
                period_start: input.period_start.0,
                period_end: input.period_end.0,
                deadline: input.deadline.0,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok((round, _)) => CreateReportingRoundPayload {
                round: Some(ReportingRound(round)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => CreateReportingRoundPayload {
                round: None,
                user_errors,
            },
        })
    }

    /// Submits the viewer's unit's report with the appendix filled from the registry and
    /// frozen (`NOT_STARTED` or `RETURNED` → `SUBMITTED`): an admin of that unit.
    async fn submit_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitReportInput,
    ) -> async_graphql::Result<ReportPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::reports::submit_report(
            db,
            By::Account(&actor),
            id_of(&input.round_id, NodeKind::ReportingRound)?,
            &input.unit_code,
            input.remarks.as_deref(),
        )
        .await
        .or_user_errors(ctx)?;
        report_payload(ctx, result).await
    }

    /// Accepts a submitted report (SUBMITTED → ACCEPTED): an admin of a unit above it.
    async fn accept_report(
        &self,
        ctx: &Context<'_>,
        input: AcceptReportInput,
    ) -> async_graphql::Result<ReportPayload> {
        review(ctx, &input.report_id, ReportStep::Accept, None).await
    }

    /// Sends a submitted report back with a reason (SUBMITTED → RETURNED): an admin of a
    /// unit above it. The unit may submit it again.
    async fn return_report(
        &self,
        ctx: &Context<'_>,
        input: ReturnReportInput,
    ) -> async_graphql::Result<ReportPayload> {
        review(
            ctx,
            &input.report_id,
            ReportStep::Return,
            Some(&input.reason),
        )
        .await
    }
}
