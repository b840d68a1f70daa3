//! Reading the rollout and the deployment reports: `coverage`, `coverageHistory`,
//! `reportingRounds`.

use std::sync::Arc;

use app::By;
use async_graphql::{Context, Object};
use domain::policy::Action;
use store::{Db, SliceRequest};

use crate::error::AppResultExt;
use crate::relay::list_limit;
use crate::types::connection::listed;
use crate::types::date::Date;
use crate::types::report::{
    Coverage, CoveragePoint, ProgressStep, ReportingRound, RoundList, RoundPosition,
};
use crate::types::unit::list_complexity;
use crate::{ApiError, auth};

/// The weight of counting a whole subtree: a request may hold a few coverage figures, not
/// dozens of aliases of the whole country.
pub(crate) const COVERAGE_COST: usize = 200;

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// How far the rollout of a unit's subtree is (G2): per level against the plan's targets,
    /// per child unit, and the units still without a page. With `asOf` before today, the
    /// figures are those of the end of that day, from the pages' status history. It counts
    /// a whole subtree, so a request holds only a few of them.
    #[graphql(complexity = "COVERAGE_COST + child_complexity")]
    async fn coverage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        #[graphql(desc = "A past day; today when omitted.")] as_of: Option<Date>,
    ) -> async_graphql::Result<Coverage> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let coverage =
            app::rollout::coverage(db, By::Account(&actor), &unit_code, as_of.map(|d| d.0))
                .await
                .or_api(ctx)?;
        Ok(Coverage(Arc::new(coverage)))
    }

    /// The coverage of a unit's subtree at the end of each day (or week) from `from` to `to`
    /// (at most 400 points), from the pages' status history, for a progress chart.
    #[graphql(complexity = "COVERAGE_COST + child_complexity * 10")]
    async fn coverage_history(
        &self,
        ctx: &Context<'_>,
        unit_code: String,
        from: Date,
        to: Date,
        #[graphql(default_with = "ProgressStep::Week")] every: ProgressStep,
    ) -> async_graphql::Result<Vec<CoveragePoint>> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let (_, _, points) = app::rollout::coverage_history(
            db,
            By::Account(&actor),
            &unit_code,
            from.0,
            to.0,
            every.into(),
        )
        .await
        .or_api(ctx)?;
        Ok(points.into_iter().map(CoveragePoint).collect())
    }

    /// The reporting rounds a unit issued or must report in, newest first.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn reporting_rounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<RoundList> {
        use async_graphql::connection::CursorType;
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let unit = app::rollout::unit_for(db, By::Account(&actor), &unit_code, Action::Read)
            .await
            .or_api(ctx)?;
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after
                .as_deref()
                .map(|c| RoundPosition::decode_cursor(c).map(|p| p.0))
                .transpose()
                .map_err(|_| ApiError::validation("after", "Con trỏ phân trang không hợp lệ."))?,
        };
        let found = store::reports::rounds_of(db, unit.id, &slice)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        let unit_id = unit.id;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |r: &domain::report::ReportingRound| RoundPosition(r.id),
            ReportingRound,
            move |db| async move { store::reports::count_rounds_of(&db, unit_id).await },
        ))
    }
}
