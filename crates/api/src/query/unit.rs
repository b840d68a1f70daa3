use async_graphql::{Context, Object};
use domain::Actor;
use domain::policy::{Action, can};
use store::Db;
use store::units::UnitFilter;

use crate::error::StoreResultExt;
use crate::loaders::Loaders;
use crate::types::unit::{Unit, UnitLevel, UnitList, list_units, unit_scope};
use crate::{ApiError, auth};

#[derive(Default)]
pub struct UnitQuery;

/// The unit with this code, if the viewer may read it; `NOT_FOUND` either way otherwise.
async fn readable_unit(ctx: &Context<'_>, code: &str) -> Result<domain::Unit, ApiError> {
    let actor = auth::actor(ctx).await?;
    let db = ctx.data_unchecked::<Db>();
    let found = store::units::by_code(db, code.trim())
        .await
        .or_internal(ctx)?;
    readable(&actor, found)
}

/// The unit found, if the viewer may read it: an unknown unit and one out of sight answer
/// the same `NOT_FOUND`.
fn readable(actor: &Actor, found: Option<domain::Unit>) -> Result<domain::Unit, ApiError> {
    let unit = found.ok_or(ApiError::NotFound)?;
    can(actor, Action::Read, &unit.path)?;
    Ok(unit)
}

#[Object]
impl UnitQuery {
    /// The unit with this official code, e.g. "49" (Quảng Nam) or "20341" (Phường An Mỹ).
    /// An unknown code, or a unit outside the viewer's subtree, answers `NOT_FOUND`.
    async fn unit(&self, ctx: &Context<'_>, code: String) -> async_graphql::Result<Option<Unit>> {
        let look = ctx.look_ahead();
        if !look.field("parent").exists() && !look.field("ancestors").exists() {
            return Ok(Some(Unit(readable_unit(ctx, &code).await?)));
        }
        // The units above it are read with it and handed to the request's loader, where
        // `parent` and `ancestors` find them (each still checks the viewer's scope first).
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let (found, above) = store::units::with_ancestors(db, code.trim())
            .await
            .or_internal(ctx)?
            .map_or((None, Vec::new()), |(unit, above)| (Some(unit), above));
        let unit = readable(&actor, found)?;
        ctx.data_unchecked::<Loaders>()
            .unit_by_code
            .feed_many(above.into_iter().map(|u| (u.code.as_str().to_owned(), u)))
            .await;
        Ok(Some(Unit(unit)))
    }

    /// Units of the viewer's subtree, shallowest first then by code. Every argument narrows
    /// the list.
    #[graphql(complexity = "crate::types::unit::list_complexity(first, child_complexity)")]
    #[expect(clippy::too_many_arguments, reason = "one per GraphQL argument")]
    async fn units(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only the direct children of the unit with this code; an unknown code answers `NOT_FOUND`."
        )]
        parent_code: Option<String>,
        #[graphql(
            desc = "Only units below the unit with this code, at any depth (the unit itself left out): to search one unit's whole subtree. An unknown code answers `NOT_FOUND`."
        )]
        within_code: Option<String>,
        #[graphql(desc = "Only units of this tier.")] level: Option<UnitLevel>,
        #[graphql(
            desc = "Text in the name or code; case and diacritics are ignored, so \"tam ky\" finds \"Thành phố Tam Kỳ\"."
        )]
        search: Option<String>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<UnitList> {
        let mut filter = UnitFilter {
            level: level.map(Into::into),
            search,
            ..unit_scope(ctx).await?
        };
        if let Some(code) = &parent_code {
            filter.parent_code = Some(code.trim().to_owned());
        }
        if let Some(code) = within_code {
            filter.below = Some(readable_unit(ctx, &code).await?.path);
        }
        let first_slice = after.is_none();
        let listed = list_units(ctx, filter, first, after).await?;
        if let Some(code) = parent_code
            && first_slice
            && listed.edges.is_empty()
        {
            // Nothing listed: a parent without children, or one that is unknown or out of
            // sight, which answers `NOT_FOUND`.
            readable_unit(ctx, &code).await?;
        }
        Ok(listed)
    }
}
