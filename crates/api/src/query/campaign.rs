//! Reading campaigns, the post log and share requests: `campaigns`, `posts`, `shareRequests`.

use app::By;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use store::{Db, SliceRequest};

use crate::error::AppResultExt;
use crate::relay::{NodeKind, decode_moment_cursor, list_limit, parse_global_id};
use crate::types::campaign::prime_units;
use crate::types::campaign::{
    Campaign, CampaignList, CampaignPosition, Post, PostKind, PostList, PostPosition, ShareRequest,
    ShareRequestList, ShareRequestPosition, ShareStatus, decode_campaign_cursor,
};
use crate::types::connection::listed;
use crate::types::date::Date;
use crate::types::unit::list_complexity;
use crate::{ApiError, auth};

#[derive(Default)]
pub struct CampaignQuery;

#[Object]
impl CampaignQuery {
    /// The campaigns a unit takes part in: its own unit's and those of every unit above it
    /// (a commune sees its province's and its district's), the latest start first.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn campaigns(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        #[graphql(desc = "Only the campaigns running on this day.")] active_on: Option<Date>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<CampaignList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_campaign_cursor).transpose()?,
        };
        let filter = app::campaigns::campaigns_of(
            db,
            By::Account(&actor),
            &unit_code,
            active_on.map(|d| d.0),
        )
        .await
        .or_api(ctx)?;
        let found = app::campaigns::campaigns(db, &filter, &slice)
            .await
            .or_api(ctx)?;
        prime_units(ctx, found.items.iter().map(|c| c.unit_id)).await?;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |c: &domain::campaign::Campaign| {
                CampaignPosition(store::campaigns::CampaignCursor {
                    starts_on: c.starts_on,
                    id: c.id,
                })
            },
            Campaign,
            move |db| {
                let filter = filter.clone();
                async move { store::campaigns::count_campaigns(&db, &filter).await }
            },
        ))
    }

    /// The posts logged by the pages of a unit's subtree, the latest published first.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    #[expect(clippy::too_many_arguments, reason = "one per filter of the list")]
    async fn posts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        #[graphql(desc = "Only those logged under this campaign.")] campaign_id: Option<ID>,
        kind: Option<PostKind>,
        #[graphql(desc = "Published at or after.")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "Published before.")] to: Option<DateTime<Utc>>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<PostList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after
                .as_deref()
                .map(decode_moment_cursor)
                .transpose()?
                .map(|(published_at, id)| store::campaigns::PostCursor { published_at, id }),
        };
        let campaign_id = match campaign_id {
            None => None,
            Some(id) => match parse_global_id(&id) {
                Some((NodeKind::Campaign, uuid)) => Some(uuid),
                _ => return Err(ApiError::NotFound.into()),
            },
        };
        let filter = app::campaigns::posts_filter(
            db,
            By::Account(&actor),
            &unit_code,
            campaign_id,
            kind.map(Into::into),
            from,
            to,
        )
        .await
        .or_api(ctx)?;
        let found = app::campaigns::posts(db, &filter, &slice)
            .await
            .or_api(ctx)?;
        prime_units(ctx, found.items.iter().map(|p| p.unit_id)).await?;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |p: &domain::campaign::Post| {
                PostPosition(store::campaigns::PostCursor {
                    published_at: p.published_at,
                    id: p.id,
                })
            },
            Post,
            move |db| {
                let filter = filter.clone();
                async move { store::campaigns::count_posts(&db, &filter).await }
            },
        ))
    }

    /// The share requests a unit must act on — those of the units above it, with where its
    /// page stands on each (`status`) — or, with `issued`, those it issued; the nearest
    /// deadline first.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn share_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A unit the viewer reads.")] unit_code: String,
        #[graphql(desc = "Only those where the unit's page stands so.")] status: Option<
            ShareStatus,
        >,
        #[graphql(
            desc = "The requests the unit issued instead of those addressed to it.",
            default = false
        )]
        issued: bool,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<ShareRequestList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after
                .as_deref()
                .map(decode_moment_cursor)
                .transpose()?
                .map(|(deadline, id)| store::campaigns::ShareRequestCursor { deadline, id }),
        };
        let filter = app::campaigns::share_requests_filter(
            db,
            By::Account(&actor),
            &unit_code,
            status.map(Into::into),
            issued,
        )
        .await
        .or_api(ctx)?;
        let found = app::campaigns::share_requests(db, &filter, &slice)
            .await
            .or_api(ctx)?;
        prime_units(ctx, found.items.iter().map(|r| r.request.unit_id)).await?;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |r: &store::campaigns::RequestForPage| {
                ShareRequestPosition(store::campaigns::ShareRequestCursor {
                    deadline: r.request.deadline,
                    id: r.request.id,
                })
            },
            ShareRequest::listed,
            move |db| {
                let filter = filter.clone();
                async move { store::campaigns::count_share_requests(&db, &filter).await }
            },
        ))
    }
}
