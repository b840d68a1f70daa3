use async_graphql::{Context, ID, Object};
use store::DatabaseConnection;

use crate::ApiError;
use crate::error::StoreResultExt;
use crate::relay::{NodeKind, parse_global_id};
use crate::types::node::Node;
use crate::types::unit::Unit;

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id. An unknown or malformed id answers `NOT_FOUND`.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        let Some((kind, uuid)) = parse_global_id(&id) else {
            return Err(ApiError::NotFound.into());
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let node = match kind {
            NodeKind::Unit => store::units::by_id(db, uuid)
                .await
                .or_internal(ctx)?
                .map(|u| Node::Unit(Unit(u))),
        };
        node.map(Some).ok_or_else(|| ApiError::NotFound.into())
    }
}
