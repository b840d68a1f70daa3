//! Reading pages and officers: `pages`, `pagesAwaitingVerification`, `checkPageName`, `people`.

use app::By;
use async_graphql::{Context, Object, SimpleObject};
use domain::policy::{Action, can, read_scope};
use store::pages::{PageFilter, ReportedCursor};
use store::{Db, SliceRequest};

use crate::error::{AppResultExt, StoreResultExt};
use crate::relay::list_limit;
use crate::types::connection::listed;
use crate::types::page::{
    NameCheck, Page, PageList, PagePosition, PageStatus, PersonList, PersonPosition, Platform,
    Staffing, decode_page_cursor, decode_person_cursor, decode_reported_cursor,
};
use crate::types::unit::{UnitLevel, list_complexity};
use crate::{ApiError, auth};

#[derive(Default)]
pub struct PageQuery;

/// A page status and how officers read it.
#[derive(SimpleObject)]
pub struct PageStatusOption {
    pub status: PageStatus,
    /// e.g. "Đã báo cáo".
    pub label: &'static str,
}

/// A page link checked, and its canonical form.
#[derive(SimpleObject)]
pub struct UrlCheck {
    /// Whether the link would be accepted.
    pub valid: bool,
    /// The form it would be stored in, when valid.
    pub url: Option<String>,
    /// What is wrong, in Vietnamese, when it is not.
    pub problem: Option<String>,
    /// Stable machine-readable code of the problem, e.g. `PAGE_URL_IS_GROUP`.
    pub code: Option<String>,
}

#[Object]
impl PageQuery {
    /// Pages of the units in the viewer's subtree (or below `unitCode`), in tree order of
    /// their units (each unit followed by the units below it). Every argument narrows the
    /// list.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    #[expect(clippy::too_many_arguments, reason = "one per GraphQL argument")]
    async fn pages(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only pages of this unit and the units below it; an unknown code, or one outside the viewer's subtree, answers `NOT_FOUND`."
        )]
        unit_code: Option<String>,
        #[graphql(desc = "Only pages of units of this tier.")] level: Option<UnitLevel>,
        #[graphql(desc = "Only pages on this platform.")] platform: Option<Platform>,
        #[graphql(desc = "Only pages in this status.")] status: Option<PageStatus>,
        #[graphql(
            desc = "Only pages whose name follows (true) or breaks (false) the naming rule."
        )]
        conforms: Option<bool>,
        #[graphql(desc = "Only pages with both duties held (COMPLETE) or a vacancy (INCOMPLETE).")]
        staffing: Option<Staffing>,
        #[graphql(desc = "Text in the page's name or link; case and diacritics are ignored.")]
        search: Option<String>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<PageList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let within = match unit_code {
            Some(code) => {
                let unit = store::units::by_code(db, code.trim())
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?;
                can(&actor, Action::Read, &unit.path).map_err(ApiError::from)?;
                unit.path
            }
            None => read_scope(&actor).root().clone(),
        };
        let filter = PageFilter {
            within: Some(within),
            level: level.map(Into::into),
            platform: platform.map(Into::into),
            status: status.map(Into::into),
            conforms,
            staffing: staffing.map(Into::into),
            search,
        };
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_page_cursor).transpose()?,
        };
        let found = store::pages::list(db, &filter, &slice)
            .await
            .or_internal(ctx)?;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |(page, path): &(domain::page::Page, String)| {
                PagePosition::Tree(store::pages::PageCursor {
                    unit_path: path.clone(),
                    id: page.id,
                })
            },
            |(page, _)| Page(page),
            move |db| {
                let filter = filter.clone();
                async move { store::pages::count(&db, &filter).await }
            },
        ))
    }

    /// For an admin: the reported pages of the units below its own, oldest report first —
    /// what it has to verify or return. Empty for other roles.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn pages_awaiting_verification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<PageList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_reported_cursor).transpose()?,
        };
        let found = if actor.role == domain::Role::Admin {
            store::pages::awaiting_verification(db, &actor.unit_path, &slice)
                .await
                .or_internal(ctx)?
        } else {
            store::Slice::empty(true)
        };
        let above = actor.unit_path.clone();
        let admin = actor.role == domain::Role::Admin;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |page: &domain::page::Page| {
                PagePosition::Reported(ReportedCursor {
                    reported_at: page.reported_at.unwrap_or(page.updated_at),
                    id: page.id,
                })
            },
            Page,
            move |db| {
                let above = above.clone();
                async move {
                    if admin {
                        store::pages::count_awaiting_verification(&db, &above).await
                    } else {
                        Ok(0)
                    }
                }
            },
        ))
    }

    /// Checks a proposed page name for a unit against the name the guideline prescribes.
    async fn check_page_name(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit's official code.")] unit_code: String,
        #[graphql(desc = "The proposed name.", validator(chars_max_length = 500))] name: String,
    ) -> async_graphql::Result<NameCheck> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let prescribed = app::pages::prescribed_name_for(db, By::Account(&actor), &unit_code)
            .await
            .or_api(ctx)?;
        Ok(NameCheck::new(prescribed, name))
    }

    /// Every page status with its Vietnamese label, in the order of a page's life: for a
    /// client's status filter and for reading status values in the audit trail.
    async fn page_statuses(&self) -> Vec<PageStatusOption> {
        domain::page::PageStatus::ALL
            .into_iter()
            .map(|status| PageStatusOption {
                status: status.into(),
                label: status.label(),
            })
            .collect()
    }

    /// Checks a page link as `createPage` and `updatePage` would, and shows the canonical
    /// form they would store (a Facebook link: `https://www.facebook.com/<username>`), before
    /// anything is saved.
    async fn check_page_url(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "FACEBOOK when omitted.")] platform: Option<Platform>,
        #[graphql(
            desc = "The link as typed or pasted.",
            validator(chars_max_length = 4000)
        )]
        url: String,
    ) -> async_graphql::Result<UrlCheck> {
        auth::actor(ctx).await?;
        let platform = platform.unwrap_or(Platform::Facebook).into();
        Ok(match app::pages::parse_url(platform, url.trim()) {
            Ok(url) => UrlCheck {
                valid: true,
                url: Some(url),
                problem: None,
                code: None,
            },
            Err(e) => UrlCheck {
                valid: false,
                url: None,
                problem: Some(e.to_string()),
                code: Some(e.code().to_owned()),
            },
        })
    }

    /// The officers (cán bộ) of a unit of the viewer's subtree, by name.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit's official code.")] unit_code: String,
        #[graphql(
            desc = "Text in the name, position, phone or e-mail; case and diacritics are ignored."
        )]
        search: Option<String>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<PersonList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let unit = store::units::by_code(db, unit_code.trim())
            .await
            .or_internal(ctx)?
            .ok_or(ApiError::NotFound)?;
        can(&actor, Action::Read, &unit.path).map_err(ApiError::from)?;
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_person_cursor).transpose()?,
        };
        let found = store::people::list(db, unit.id, search.as_deref(), &slice)
            .await
            .or_internal(ctx)?;
        let unit_id = unit.id;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            |p: &domain::staff::Person| PersonPosition(store::people::PersonCursor::of(p)),
            crate::types::page::Person,
            move |db| {
                let search = search.clone();
                async move { store::people::count(&db, unit_id, search.as_deref()).await }
            },
        ))
    }
}
