use async_graphql::{Context, Object};
use store::DatabaseConnection;
use store::units::UnitFilter;

use crate::ApiError;
use crate::error::StoreResultExt;
use crate::types::connection::Paged;
use crate::types::unit::{Unit, UnitLevel, list_units, scoped_filter};

#[derive(Default)]
pub struct UnitQuery;

#[Object]
impl UnitQuery {
    /// The unit with this official code, e.g. "49" (Quảng Nam) or "20341" (Phường An Mỹ).
    /// An unknown code answers `NOT_FOUND`.
    async fn unit(&self, ctx: &Context<'_>, code: String) -> async_graphql::Result<Option<Unit>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let unit = store::units::by_code(db, code.trim())
            .await
            .or_internal(ctx)?;
        let scope = scoped_filter(ctx).within;
        match unit {
            Some(unit) if scope.is_none_or(|s| s.contains(&unit.path)) => Ok(Some(Unit(unit))),
            _ => Err(ApiError::NotFound.into()),
        }
    }

    /// Units, shallowest first then by code. Every argument narrows the list.
    #[graphql(complexity = "crate::types::unit::list_complexity(first, child_complexity)")]
    async fn units(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only the direct children of the unit with this code; an unknown code answers `NOT_FOUND`."
        )]
        parent_code: Option<String>,
        #[graphql(desc = "Only units of this tier.")] level: Option<UnitLevel>,
        #[graphql(
            desc = "Text in the name or code; case and diacritics are ignored, so \"tam ky\" finds \"Thành phố Tam Kỳ\"."
        )]
        search: Option<String>,
        #[graphql(desc = "Page size, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Paged<Unit>> {
        let mut filter = UnitFilter {
            level: level.map(Into::into),
            search,
            ..scoped_filter(ctx)
        };
        if let Some(code) = parent_code {
            let db = ctx.data_unchecked::<DatabaseConnection>();
            let parent = store::units::by_code(db, code.trim())
                .await
                .or_internal(ctx)?;
            let visible =
                parent.filter(|p| filter.within.as_ref().is_none_or(|s| s.contains(&p.path)));
            let Some(parent) = visible else {
                return Err(ApiError::NotFound.into());
            };
            filter.parent_id = Some(parent.id);
        }
        Ok(list_units(ctx, filter, first, after).await?)
    }
}
