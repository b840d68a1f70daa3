//! Rollout coverage (`Coverage`, `RolloutPlan`, `CoveragePoint`) and deployment reports
//! (`ReportingRound`, `Report`, `Appendix`).

use std::sync::Arc;

use async_graphql::connection::CursorType;
use async_graphql::{ComplexObject, Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use domain::report::{self as rules, RoundStats};
use domain::rollout as plan_rules;
use store::{Db, SliceRequest};

use crate::error::AppResultExt;
use crate::loaders::Loaders;
use crate::relay::{NodeKind, decode_cursor, encode_cursor, global_id, list_limit};
use crate::types::connection::{Listed, listed};
use crate::types::date::Date;
use crate::types::page::PageStatus;
use crate::types::unit::{Unit, UnitLevel, UnitList, UnitPosition, decode_unit_cursor};
use crate::{ApiError, auth};

/// How often a progress series takes a point.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressStep {
    Day,
    Week,
}

impl From<ProgressStep> for plan_rules::Every {
    fn from(step: ProgressStep) -> Self {
        match step {
            ProgressStep::Day => Self::Day,
            ProgressStep::Week => Self::Week,
        }
    }
}

/// A level's target share.
#[derive(SimpleObject)]
pub struct LevelTarget {
    pub level: UnitLevel,
    /// The share of the level's units that must have a page, 0–1 (0.7 for 70%).
    pub share: f64,
}

/// The rollout plan of a subtree (G2): a deadline, a target share per level, and the page
/// statuses counted as "has a page".
pub struct RolloutPlan(pub plan_rules::RolloutPlan);

#[Object]
impl RolloutPlan {
    /// The unit that set it; `null` for the guideline's targets, which apply where no unit
    /// above has set a plan.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        if self.0.version == 0 {
            return Ok(None);
        }
        Ok(Some(Unit(unit_of(ctx, self.0.unit_id).await?)))
    }

    /// Whether these are the guideline's targets (no plan set).
    async fn is_default(&self) -> bool {
        self.0.version == 0
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn deadline(&self) -> Option<Date> {
        self.0.deadline.map(Date)
    }

    async fn targets(&self) -> Vec<LevelTarget> {
        self.0
            .targets
            .iter()
            .map(|t| LevelTarget {
                level: t.level.into(),
                share: t.share.fraction(),
            })
            .collect()
    }

    /// The statuses counted as "has a page" (`withPage`); `verified` counts VERIFIED only.
    async fn counted_statuses(&self) -> Vec<PageStatus> {
        self.0.counted.iter().map(|s| (*s).into()).collect()
    }

    /// Raised by every change; 0 for the guideline's targets. `setRolloutPlan` takes it as
    /// `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        (self.0.version > 0).then_some(self.0.updated_at)
    }
}

/// The coverage of one level of a subtree against its target.
pub struct LevelCoverage(pub plan_rules::LevelCoverage);

#[Object]
impl LevelCoverage {
    async fn level(&self) -> UnitLevel {
        self.0.level.into()
    }

    /// e.g. "Xã".
    async fn label(&self) -> &'static str {
        self.0.level.label()
    }

    /// Units of this level in the subtree.
    async fn units(&self) -> u64 {
        self.0.tally.units
    }

    /// Units with a page in one of the plan's counted statuses.
    async fn with_page(&self) -> u64 {
        self.0.tally.with_page
    }

    /// `withPage / units`, 0–1; 0 without units.
    async fn share(&self) -> f64 {
        self.0.tally.share()
    }

    /// The plan's target share for this level, 0–1; `null` without a target.
    async fn target(&self) -> Option<f64> {
        self.0.target.map(plan_rules::Share::fraction)
    }

    /// Whether `withPage` reaches the target (exact, not rounded); `null` without a target.
    async fn met(&self) -> Option<bool> {
        self.0.met()
    }

    /// How many more units need a page to reach the target.
    async fn short_by(&self) -> u64 {
        self.0.short_by()
    }

    /// Units whose page the level above has verified.
    async fn verified(&self) -> u64 {
        self.0.tally.verified
    }

    /// `verified / units`, 0–1.
    async fn verified_share(&self) -> f64 {
        self.0.tally.verified_share()
    }

    /// Units still without a page.
    async fn missing(&self) -> u64 {
        self.0.tally.missing()
    }
}

/// One child unit's line of the dashboard: the same figures for its subtree.
pub struct ChildCoverage(pub app::rollout::ChildCoverage);

#[Object]
impl ChildCoverage {
    async fn unit(&self) -> Unit {
        Unit(self.0.unit.clone())
    }

    /// Units in the child's subtree (the child included), all levels together.
    async fn units(&self) -> u64 {
        self.0.tally.units
    }

    async fn with_page(&self) -> u64 {
        self.0.tally.with_page
    }

    /// `withPage / units`, 0–1.
    async fn share(&self) -> f64 {
        self.0.tally.share()
    }

    async fn verified(&self) -> u64 {
        self.0.tally.verified
    }

    async fn verified_share(&self) -> f64 {
        self.0.tally.verified_share()
    }

    /// Whether every level of its subtree reaches its target; `null` when no level has one.
    async fn met(&self) -> Option<bool> {
        met_all(&self.0.levels)
    }

    /// Per level, against the plan's targets.
    async fn levels(&self) -> Vec<LevelCoverage> {
        self.0.levels.iter().copied().map(LevelCoverage).collect()
    }
}

fn met_all(levels: &[plan_rules::LevelCoverage]) -> Option<bool> {
    levels
        .iter()
        .filter_map(plan_rules::LevelCoverage::met)
        .reduce(|a, b| a && b)
}

/// How far a subtree's rollout is (G2): per level against the plan's targets, per child unit
/// for the drill-down, and the units still without a page.
pub struct Coverage(pub Arc<app::rollout::Coverage>);

#[Object]
impl Coverage {
    async fn unit(&self) -> Unit {
        Unit(self.0.unit.clone())
    }

    /// The day the figures are for; `null`: now.
    async fn as_of(&self) -> Option<Date> {
        self.0.as_of.map(Date)
    }

    /// The plan measured against.
    async fn plan(&self) -> RolloutPlan {
        RolloutPlan(self.0.plan.clone())
    }

    /// Per level of the subtree (the unit's own level included), in level order.
    async fn levels(&self) -> Vec<LevelCoverage> {
        self.0.levels.iter().copied().map(LevelCoverage).collect()
    }

    /// Whether every level with a target reaches it.
    async fn met(&self) -> Option<bool> {
        met_all(&self.0.levels)
    }

    /// One line per unit directly below, in tree order.
    async fn children(&self) -> Vec<ChildCoverage> {
        self.0.children.iter().cloned().map(ChildCoverage).collect()
    }

    async fn deadline(&self) -> Option<Date> {
        self.0.plan.deadline.map(Date)
    }

    /// Days from the figures' day to the deadline: 0 on the day, negative once past; `null`
    /// without a deadline.
    async fn days_left(&self) -> Option<i64> {
        self.0.days_left
    }

    /// The units of the subtree still without a page (as of the same day): by tier, then by
    /// code; the subtree's root first when it lacks one.
    #[graphql(complexity = "crate::types::unit::list_complexity(first, child_complexity)")]
    async fn missing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only units of this tier.")] level: Option<UnitLevel>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<UnitList> {
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_unit_cursor).transpose()?,
        };
        let level = level.map(domain::UnitLevel::from);
        let found =
            app::rollout::missing(db, &self.0.unit, &self.0.plan, self.0.as_of, level, &slice)
                .await
                .or_api(ctx)?;
        let total: u64 = self
            .0
            .levels
            .iter()
            .filter(|l| level.is_none_or(|level| l.level == level))
            .map(|l| l.tally.missing())
            .sum();
        let mut found = found;
        found.total = Some(total);
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            UnitPosition::of,
            Unit,
            |_| async { Ok::<u64, store::StoreError>(0) },
        ))
    }
}

/// The coverage of a subtree on one day of a progress series.
pub struct CoveragePoint(pub app::rollout::ProgressPoint);

#[Object]
impl CoveragePoint {
    async fn date(&self) -> Date {
        Date(self.0.date)
    }

    async fn levels(&self) -> Vec<LevelCoverage> {
        self.0.levels.iter().copied().map(LevelCoverage).collect()
    }
}

pub(crate) async fn unit_of(
    ctx: &Context<'_>,
    unit_id: uuid::Uuid,
) -> Result<domain::Unit, ApiError> {
    ctx.data_unchecked::<Loaders>()
        .unit_by_id
        .load_one(unit_id)
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
        .ok_or_else(|| ApiError::internal_message(ctx, "object without its unit"))
}

/// Where a report stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    /// Not submitted yet.
    NotStarted,
    /// Submitted; the appendix is frozen.
    Submitted,
    /// Sent back with a reason, to be submitted again.
    Returned,
    /// Accepted by the level that asked for it.
    Accepted,
}

impl From<rules::ReportStatus> for ReportStatus {
    fn from(s: rules::ReportStatus) -> Self {
        match s {
            rules::ReportStatus::NotStarted => Self::NotStarted,
            rules::ReportStatus::Submitted => Self::Submitted,
            rules::ReportStatus::Returned => Self::Returned,
            rules::ReportStatus::Accepted => Self::Accepted,
        }
    }
}

/// A reporting round: what a unit asked of the units directly below it (G11).
#[derive(Clone)]
pub struct ReportingRound(pub rules::ReportingRound);

impl ReportingRound {
    /// The reports of this round that the viewer reads, through the request's loader.
    async fn visible_reports(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Arc<Vec<(rules::Report, domain::Unit)>>, ApiError> {
        let actor = auth::actor(ctx).await?;
        Ok(ctx
            .data_unchecked::<Loaders>()
            .reports_of_round
            .load_one((self.0.id, actor.unit_path.as_str().to_owned()))
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            .unwrap_or_default())
    }

    async fn stats(&self, ctx: &Context<'_>) -> Result<RoundStats, ApiError> {
        let reports = self.visible_reports(ctx).await?;
        Ok(RoundStats::of(
            reports.iter().map(|(r, _)| r),
            self.0.deadline,
            app::pages::today(),
        ))
    }
}

#[Object]
impl ReportingRound {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::ReportingRound, self.0.id)
    }

    /// The unit that asked for the reports.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        Ok(Unit(unit_of(ctx, self.0.unit_id).await?))
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }

    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }

    /// The last day a report counts as on time (Việt Nam's day).
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }

    /// Days from today to the deadline: 0 on the day, negative once past.
    async fn days_left(&self) -> i64 {
        plan_rules::days_left(self.0.deadline, app::pages::today())
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// One report per unit asked, in tree order; only those of units the viewer reads (a
    /// district sees its own).
    async fn reports(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Report>> {
        let reports = self.visible_reports(ctx).await?;
        Ok(reports
            .iter()
            .map(|(r, u)| Report::new(r.clone(), u.clone(), self.0.deadline))
            .collect())
    }

    /// Reports asked for (that the viewer reads).
    async fn report_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(self.stats(ctx).await?.reports)
    }

    /// Reports submitted or accepted.
    async fn submitted_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(self.stats(ctx).await?.submitted)
    }

    async fn accepted_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(self.stats(ctx).await?.accepted)
    }

    async fn returned_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(self.stats(ctx).await?.returned)
    }

    /// Reports never submitted.
    async fn not_started_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(self.stats(ctx).await?.not_started)
    }

    /// Reports submitted after the deadline, or not submitted once it has passed.
    async fn late_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(self.stats(ctx).await?.late)
    }

    /// `submittedCount / reportCount`, 0–1.
    async fn reporting_rate(&self, ctx: &Context<'_>) -> async_graphql::Result<f64> {
        Ok(self.stats(ctx).await?.reporting_rate())
    }

    /// Reports first submitted by the deadline, as a share of all, 0–1.
    async fn on_time_rate(&self, ctx: &Context<'_>) -> async_graphql::Result<f64> {
        Ok(self.stats(ctx).await?.on_time_rate())
    }
}

/// A unit's deployment report in a round.
#[derive(Clone)]
pub struct Report {
    record: Box<rules::Report>,
    unit: domain::Unit,
    deadline: chrono::NaiveDate,
}

impl Report {
    /// `record` of `unit` in a round due on `deadline`.
    pub fn new(record: rules::Report, unit: domain::Unit, deadline: chrono::NaiveDate) -> Self {
        Self {
            record: Box::new(record),
            unit,
            deadline,
        }
    }
}

/// What the viewer may do to a report.
#[derive(SimpleObject)]
pub struct ReportPermissions {
    pub submit: bool,
    pub accept: bool,
    #[graphql(name = "return")]
    pub return_report: bool,
}

#[Object]
impl Report {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Report, self.record.id)
    }

    /// The reporting unit.
    async fn unit(&self) -> Unit {
        Unit(self.unit.clone())
    }

    async fn round(&self, ctx: &Context<'_>) -> async_graphql::Result<ReportingRound> {
        let round = ctx
            .data_unchecked::<Loaders>()
            .round_by_id
            .load_one(self.record.round_id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            .ok_or_else(|| ApiError::internal_message(ctx, "report without its round"))?;
        Ok(ReportingRound(round))
    }

    async fn status(&self) -> ReportStatus {
        self.record.status.into()
    }

    /// e.g. "Đã nộp".
    async fn status_label(&self) -> &'static str {
        self.record.status.label()
    }

    /// The latest submission.
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.record.submitted_at
    }

    /// The first submission, which decides `onTime`.
    async fn first_submitted_at(&self) -> Option<DateTime<Utc>> {
        self.record.first_submitted_at
    }

    /// Whether it was first submitted by the deadline; `null` until submitted.
    async fn on_time(&self) -> Option<bool> {
        self.record.on_time(self.deadline)
    }

    /// Submitted late, or not submitted and the deadline has passed.
    async fn late(&self) -> bool {
        self.record.is_late(self.deadline, app::pages::today())
    }

    /// The reporting unit's remarks.
    async fn remarks(&self) -> Option<&str> {
        self.record.remarks.as_deref()
    }

    /// Why it was returned, while it is returned.
    async fn returned_reason(&self) -> Option<&str> {
        self.record.returned_reason.as_deref()
    }

    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.record.reviewed_at
    }

    /// Who submitted it last: the account's display name.
    async fn submitted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(id) = self.record.submitted_by else {
            return Ok(None);
        };
        let name = ctx
            .data_unchecked::<Loaders>()
            .account_name
            .load_one(id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(Some(name.map_or_else(
            || "Tài khoản đã xoá".to_owned(),
            |(_, display)| display,
        )))
    }

    /// The appendix: as submitted while the asking level holds the report, otherwise filled
    /// from the registry as it stands now (what submitting would freeze). Read it one report
    /// at a time: filling it reads the unit's whole subtree.
    #[graphql(complexity = 50)]
    async fn appendix(&self, ctx: &Context<'_>) -> async_graphql::Result<Appendix> {
        let db = ctx.data_unchecked::<Db>();
        let appendix = app::reports::appendix_of(db, &self.record, &self.unit)
            .await
            .or_api(ctx)?;
        Ok(Appendix {
            frozen: self.record.frozen(),
            appendix,
        })
    }

    /// Where to download it: `GET` with the same bearer token.
    async fn xlsx_url(&self) -> String {
        format!(
            "/export/reports/{}.xlsx",
            global_id(NodeKind::Report, self.record.id).0
        )
    }

    async fn csv_url(&self) -> String {
        format!(
            "/export/reports/{}.csv",
            global_id(NodeKind::Report, self.record.id).0
        )
    }

    async fn viewer_can(&self, ctx: &Context<'_>) -> async_graphql::Result<ReportPermissions> {
        let actor = auth::actor(ctx).await?;
        let p = rules::report_permissions(&actor, self.record.status, &self.unit.path);
        Ok(ReportPermissions {
            submit: p.submit,
            accept: p.accept,
            return_report: p.return_report,
        })
    }
}

/// The appendix form (phụ lục) of a deployment report.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Appendix {
    /// Whether it is the submitted snapshot (later edits to pages do not change it).
    pub frozen: bool,
    #[graphql(skip)]
    pub appendix: rules::Appendix,
}

/// A page's leader or operator as the appendix shows them.
#[derive(SimpleObject)]
pub struct AppendixOfficer {
    pub full_name: String,
    pub position: String,
    pub phone: String,
}

impl From<&rules::Officer> for AppendixOfficer {
    fn from(o: &rules::Officer) -> Self {
        Self {
            full_name: o.full_name.clone(),
            position: o.position.clone(),
            phone: o.phone.clone(),
        }
    }
}

/// One unit's line of the appendix.
pub struct AppendixRow(rules::AppendixRow);

#[Object]
impl AppendixRow {
    async fn unit_code(&self) -> &str {
        &self.0.unit_code
    }

    /// e.g. "Xã Tam Dân".
    async fn unit_name(&self) -> &str {
        &self.0.unit_name
    }

    async fn level(&self) -> Option<UnitLevel> {
        self.0
            .level
            .parse::<domain::UnitLevel>()
            .ok()
            .map(Into::into)
    }

    async fn page_name(&self) -> Option<&str> {
        self.0.page_name.as_deref()
    }

    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    async fn established_on(&self) -> Option<Date> {
        self.0.established_on.map(Date)
    }

    async fn status(&self) -> Option<PageStatus> {
        self.0
            .status
            .as_deref()
            .and_then(|s| s.parse::<domain::page::PageStatus>().ok())
            .map(Into::into)
    }

    /// e.g. "Đã xác nhận"; "Chưa có trang" without a page.
    async fn status_label(&self) -> &'static str {
        self.0
            .status
            .as_deref()
            .and_then(|s| s.parse::<domain::page::PageStatus>().ok())
            .map_or("Chưa có trang", domain::page::PageStatus::label)
    }

    async fn name_conforms(&self) -> Option<bool> {
        self.0.name_conforms
    }

    async fn leader(&self) -> Option<AppendixOfficer> {
        self.0.leader.as_ref().map(Into::into)
    }

    async fn operator(&self) -> Option<AppendixOfficer> {
        self.0.operator.as_ref().map(Into::into)
    }

    /// The supporting organisation and its contact (G5).
    async fn supported_by(&self) -> Option<&str> {
        self.0.supported_by.as_deref()
    }

    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
}

/// The appendix's totals.
#[derive(SimpleObject)]
pub struct AppendixTotals {
    pub units: u64,
    pub with_page: u64,
    pub verified: u64,
    pub name_conforms: u64,
    pub fully_staffed: u64,
}

/// A level's coverage as the appendix states it.
#[derive(SimpleObject)]
pub struct AppendixLevel {
    pub level: Option<UnitLevel>,
    pub units: u64,
    pub with_page: u64,
    pub share: f64,
    pub target: Option<f64>,
    pub met: Option<bool>,
}

#[ComplexObject]
impl Appendix {
    async fn unit_code(&self) -> &str {
        &self.appendix.unit_code
    }

    async fn unit_name(&self) -> &str {
        &self.appendix.unit_name
    }

    /// When the figures were read from the registry.
    async fn generated_at(&self) -> DateTime<Utc> {
        self.appendix.generated_at
    }

    /// One per unit of the reporting unit's subtree, the unit itself first, in tree order.
    async fn rows(&self) -> Vec<AppendixRow> {
        self.appendix
            .rows
            .iter()
            .cloned()
            .map(AppendixRow)
            .collect()
    }

    async fn totals(&self) -> AppendixTotals {
        let t = self.appendix.totals;
        AppendixTotals {
            units: t.units,
            with_page: t.with_page,
            verified: t.verified,
            name_conforms: t.name_conforms,
            fully_staffed: t.fully_staffed,
        }
    }

    async fn coverage(&self) -> Vec<AppendixLevel> {
        self.appendix
            .coverage
            .iter()
            .map(|l| AppendixLevel {
                level: l.level.parse::<domain::UnitLevel>().ok().map(Into::into),
                units: l.units,
                with_page: l.with_page,
                share: l.share,
                target: l.target,
                met: l.met,
            })
            .collect()
    }
}

/// A round's place in a list, newest first, as a connection's cursor.
pub struct RoundPosition(pub uuid::Uuid);

impl CursorType for RoundPosition {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_cursor(s)
            .ok()
            .and_then(|t| t.parse().ok())
            .map(Self)
            .ok_or("Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_cursor(&self.0.to_string())
    }
}

/// A list of reporting rounds as a connection.
pub type RoundList = Listed<ReportingRound, RoundPosition>;
