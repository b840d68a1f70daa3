//! Reading how the pages do: `rankings`, `reviews`, `outreach`.

use app::By;
use async_graphql::{Context, Object};
use store::{Db, SliceRequest};

use crate::auth;
use crate::error::AppResultExt;
use crate::relay::{decode_moment_cursor, list_limit};
use crate::types::campaign::TALLY_COST;
use crate::types::connection::listed;
use crate::types::date::Date;
use crate::types::report::ProgressStep;
use crate::types::stats::{
    OutreachEntry, OutreachList, OutreachPosition, PageReview, RankBy, Ranking, ReviewList,
    ReviewPosition, StatsPoint, decode_outreach_cursor,
};
use crate::types::unit::{UnitLevel, list_complexity};

#[derive(Default)]
pub struct StatsQuery;

#[Object]
impl StatsQuery {
    /// The units directly below a unit (districts of a province, communes of a district) —
    /// or, with `level`, every unit of that tier in its subtree — ranked by their pages'
    /// figure `by`, the best first.
    #[graphql(complexity = "TALLY_COST + child_complexity * 10")]
    async fn rankings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        #[graphql(default_with = "RankBy::Followers")] by: RankBy,
        level: Option<UnitLevel>,
    ) -> async_graphql::Result<Ranking> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let (unit, items) = app::effect::ranking(
            db,
            By::Account(&actor),
            &unit_code,
            by.into(),
            level.map(Into::into),
        )
        .await
        .or_api(ctx)?;
        Ok(Ranking { unit, by, items })
    }

    /// The followers and posts of the pages of a unit's subtree at the end of each day (or
    /// week) from `from` to `to` (at most 60 points), for charts.
    #[graphql(complexity = "crate::query::report::COVERAGE_COST + child_complexity * 10")]
    async fn stats_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        from: Date,
        to: Date,
        #[graphql(default_with = "ProgressStep::Week")] every: ProgressStep,
    ) -> async_graphql::Result<Vec<StatsPoint>> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let (_, points) = app::stats::history(
            db,
            By::Account(&actor),
            &unit_code,
            from.0,
            to.0,
            every.into(),
        )
        .await
        .or_api(ctx)?;
        Ok(points
            .into_iter()
            .map(|(day, p)| StatsPoint {
                date: Date(day),
                followers: p.followers,
                posts: p.posts,
            })
            .collect())
    }

    /// The reviews of the pages of a unit's subtree (its own page's included), optionally of
    /// one period (`2026-11`, `2026-Q4`, `2026-H2`, `2026`), the latest first.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        period: Option<String>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<ReviewList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_moment_cursor).transpose()?,
        };
        let (unit, period) =
            app::effect::reviews_scope(db, By::Account(&actor), &unit_code, period.as_deref())
                .await
                .or_api(ctx)?;
        let found = app::effect::reviews(db, &unit, period.as_ref(), &slice)
            .await
            .or_api(ctx)?;
        let label = period.map(|p| p.label);
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |r: &store::effect::Review| ReviewPosition(r.created_at, r.id),
            PageReview,
            move |db| {
                let (path, label) = (unit.path.clone(), label.clone());
                async move { store::effect::count_reviews(&db, &path, label.as_deref()).await }
            },
        ))
    }

    /// Whom a unit told about its page (G7): member organisations and residential areas,
    /// when and how; the latest first.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn outreach(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<OutreachList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after
                .as_deref()
                .map(decode_outreach_cursor)
                .transpose()?
                .map(|p| (p.0, p.1)),
        };
        let unit = app::rollout::unit_for(
            db,
            By::Account(&actor),
            &unit_code,
            domain::policy::Action::Read,
        )
        .await
        .or_api(ctx)?;
        let found = store::effect::outreach_of(db, unit.id, &slice)
            .await
            .map_err(|e| crate::ApiError::from_store(ctx.data_opt(), &e))?;
        let unit_id = unit.id;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |o: &store::effect::OutreachEntry| OutreachPosition(o.informed_on, o.id),
            OutreachEntry,
            move |db| async move { store::effect::count_outreach(&db, unit_id).await },
        ))
    }
}
