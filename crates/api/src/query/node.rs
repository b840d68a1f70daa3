use async_graphql::{Context, ID, Object};
use domain::policy::{Action, can};
use store::Db;

use crate::error::{AppResultExt, StoreResultExt};
use crate::query::account::visible_account;
use crate::relay::{NodeKind, parse_global_id};
use crate::types::account::Account;
use crate::types::node::Node;
use crate::types::page::{Page, Person};
use crate::types::report::{Report, ReportingRound};
use crate::types::unit::Unit;
use crate::{ApiError, auth};
use app::By;

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object of the viewer's subtree by its global id. An unknown or malformed id, or an
    /// object outside the subtree, answers `NOT_FOUND`.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        let actor = auth::actor(ctx).await?;
        let Some((kind, uuid)) = parse_global_id(&id) else {
            return Err(ApiError::NotFound.into());
        };
        let db = ctx.data_unchecked::<Db>();
        let node = match kind {
            NodeKind::Unit => {
                let unit = store::units::by_id(db, uuid)
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?;
                can(&actor, Action::Read, &unit.path).map_err(ApiError::from)?;
                Node::Unit(Unit(unit))
            }
            NodeKind::Account => {
                Node::Account(Account(visible_account(ctx, &actor, uuid).await?.0))
            }
            NodeKind::Page => Node::Page(Page(
                app::pages::page_for(db, By::Account(&actor), uuid, Action::Read)
                    .await
                    .or_api(ctx)?
                    .0,
            )),
            NodeKind::AuditEvent => {
                let record = store::audit::by_id(db, uuid)
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?;
                let unit = record.unit_path.clone().ok_or(ApiError::NotFound)?;
                can(&actor, Action::ReadAudit, &unit).map_err(ApiError::from)?;
                Node::AuditEvent(crate::types::audit::AuditEvent(record))
            }
            NodeKind::ReportingRound => Node::ReportingRound(ReportingRound(
                app::reports::round_for(db, By::Account(&actor), uuid)
                    .await
                    .or_api(ctx)?,
            )),
            NodeKind::Report => {
                let (report, unit, round) =
                    app::reports::report_for(db, By::Account(&actor), uuid, Action::Read)
                        .await
                        .or_api(ctx)?;
                Node::Report(Report::new(report, unit, round.deadline))
            }
            NodeKind::Campaign => Node::Campaign(crate::types::campaign::Campaign(
                app::campaigns::campaign_for(db, By::Account(&actor), uuid)
                    .await
                    .or_api(ctx)?
                    .0,
            )),
            NodeKind::Post => Node::Post(crate::types::campaign::Post(
                app::campaigns::post_for(db, By::Account(&actor), uuid)
                    .await
                    .or_api(ctx)?
                    .0,
            )),
            NodeKind::ShareRequest => {
                Node::ShareRequest(crate::types::campaign::ShareRequest::new(
                    app::campaigns::share_request_for(db, By::Account(&actor), uuid)
                        .await
                        .or_api(ctx)?
                        .0,
                ))
            }
            NodeKind::PageReview => {
                let review = store::effect::review_by_id(db, uuid)
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?;
                let unit = store::units::by_id(db, review.unit_id)
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?;
                can(&actor, Action::Read, &unit.path).map_err(ApiError::from)?;
                Node::PageReview(crate::types::stats::PageReview(review))
            }
            NodeKind::OutreachEntry => {
                let entry = store::effect::outreach_by_id(db, uuid)
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?;
                let unit = store::units::by_id(db, entry.unit_id)
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?;
                can(&actor, Action::Read, &unit.path).map_err(ApiError::from)?;
                Node::OutreachEntry(crate::types::stats::OutreachEntry(entry))
            }
            NodeKind::Person => Node::Person(Person(
                app::people::person_for(db, By::Account(&actor), uuid, Action::Read)
                    .await
                    .or_api(ctx)?
                    .0,
            )),
        };
        Ok(Some(node))
    }
}
