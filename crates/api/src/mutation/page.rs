//! Registering and running pages, and their staff: `createPage`, `updatePage`, the status
//! steps (`reportPage`, `verifyPage`, `returnPage`, `suspendPage`, `closePage`, `reopenPage`),
//! `createPerson`, `updatePerson`, `removePerson`, `assignPerson`.

use app::By;
use app::pages::{NewPageInput, PageChanges};
use app::people::{AssignInput, NewPersonInput, PersonChanges};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use domain::page::Transition;
use store::Db;

use crate::auth;
use crate::error::AppResultExt;
use crate::relay::{NodeKind, id_of};
use crate::types::account::UserError;
use crate::types::date::Date;
use crate::types::page::{Duty, Page, Person, Platform};

/// A new page of a unit.
#[derive(InputObject)]
pub struct CreatePageInput {
    /// The unit whose page it is: the viewer's own unit.
    pub unit_code: String,
    /// FACEBOOK when omitted.
    pub platform: Option<Platform>,
    /// The page's display name; `checkPageName` and `Unit.expectedPageName` give the
    /// prescribed one.
    pub name: String,
    /// The page's link; Facebook links are normalised (`https://m.facebook.com/x?mibextid=…`
    /// becomes `https://www.facebook.com/x`). Without it the page is a DRAFT.
    pub url: Option<String>,
    pub established_on: Option<Date>,
    /// The organisation that helps build the page (G5), e.g. "Huyện đoàn Phú Ninh".
    pub supported_by: Option<String>,
    pub supporter_contact: Option<String>,
    pub notes: Option<String>,
}

/// Changes to a page; omitted fields stay as they are, an empty text clears an optional one.
#[derive(InputObject)]
pub struct UpdatePageInput {
    pub page_id: ID,
    /// The `version` the change was made on: if the page changed since, nothing is written
    /// and `STALE_VERSION` says so.
    pub expected_version: i32,
    pub name: Option<String>,
    pub url: Option<String>,
    pub established_on: Option<Date>,
    pub supported_by: Option<String>,
    pub supporter_contact: Option<String>,
    pub notes: Option<String>,
}

/// A step in a page's life.
#[derive(InputObject)]
pub struct PageTransitionInput {
    pub page_id: ID,
    /// Why: required to return a page, kept in its history for every step.
    pub reason: Option<String>,
}

/// The outcome of a page mutation.
#[derive(SimpleObject, Default)]
pub struct PagePayload {
    pub page: Option<Page>,
    pub user_errors: Vec<UserError>,
}

impl PagePayload {
    fn of(result: Result<domain::page::Page, Vec<UserError>>) -> Self {
        match result {
            Ok(page) => Self {
                page: Some(Page(page)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => Self {
                page: None,
                user_errors,
            },
        }
    }
}

/// A new officer of a unit.
#[derive(InputObject)]
pub struct CreatePersonInput {
    /// The viewer's own unit.
    pub unit_code: String,
    pub full_name: String,
    /// Chức vụ.
    pub position: String,
    /// A Vietnamese mobile or landline number; +84 accepted.
    pub phone: String,
    pub email: Option<String>,
}

/// Changes to an officer; omitted fields stay as they are, an empty e-mail clears it.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    pub person_id: ID,
    /// The `version` the change was made on, when known.
    pub expected_version: Option<i32>,
    pub full_name: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Whom to take off a unit's list.
#[derive(InputObject)]
pub struct RemovePersonInput {
    pub person_id: ID,
}

/// The outcome of an officer mutation.
#[derive(SimpleObject, Default)]
pub struct PersonPayload {
    pub person: Option<Person>,
    pub user_errors: Vec<UserError>,
}

impl PersonPayload {
    fn of(result: Result<domain::staff::Person, Vec<UserError>>) -> Self {
        match result {
            Ok(person) => Self {
                person: Some(Person(person)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => Self {
                person: None,
                user_errors,
            },
        }
    }
}

/// Who takes a duty on a page.
#[derive(InputObject)]
pub struct AssignPersonInput {
    pub page_id: ID,
    /// An officer of the page's own unit.
    pub person_id: ID,
    pub duty: Duty,
    /// The first day; today when omitted. The current holder's duty ends that day.
    pub from: Option<Date>,
}

async fn step(
    ctx: &Context<'_>,
    input: PageTransitionInput,
    step: Transition,
) -> async_graphql::Result<PagePayload> {
    let actor = auth::actor(ctx).await?;
    let db = ctx.data_unchecked::<Db>();
    let page_id = id_of(&input.page_id, NodeKind::Page)?;
    let result = app::pages::transition(
        db,
        By::Account(&actor),
        page_id,
        step,
        input.reason.as_deref(),
    )
    .await
    .or_user_errors(ctx)?;
    Ok(PagePayload::of(result))
}

#[derive(Default)]
pub struct PageMutation;

#[Object]
impl PageMutation {
    /// Registers the page of the viewer's own unit (operators and admins).
    async fn create_page(
        &self,
        ctx: &Context<'_>,
        input: CreatePageInput,
    ) -> async_graphql::Result<PagePayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::pages::create_page(
            db,
            By::Account(&actor),
            NewPageInput {
                unit_code: input.unit_code,
                platform: input.platform.unwrap_or(Platform::Facebook).into(),
                name: input.name,
                url: input.url,
                established_on: input.established_on.map(|d| d.0),
                supported_by: input.supported_by,
                supporter_contact: input.supporter_contact,
                notes: input.notes,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(PagePayload::of(result))
    }

    /// Changes a page's details. Changing the name or link of a VERIFIED page sends it back
    /// to REPORTED, for the level above to verify again.
    async fn update_page(
        &self,
        ctx: &Context<'_>,
        input: UpdatePageInput,
    ) -> async_graphql::Result<PagePayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::pages::update_page(
            db,
            By::Account(&actor),
            PageChanges {
                page_id: id_of(&input.page_id, NodeKind::Page)?,
                expected_version: input.expected_version,
                name: input.name,
                url: input.url,
                established_on: input.established_on.map(|d| d.0),
                supported_by: input.supported_by,
                supporter_contact: input.supporter_contact,
                notes: input.notes,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(PagePayload::of(result))
    }

    /// Sends the page's name and link to the level above (ESTABLISHED or RETURNED →
    /// REPORTED): the unit's own operators and admins.
    async fn report_page(
        &self,
        ctx: &Context<'_>,
        input: PageTransitionInput,
    ) -> async_graphql::Result<PagePayload> {
        step(ctx, input, Transition::Report).await
    }

    /// Accepts a reported page (REPORTED → VERIFIED): an admin of a unit above it.
    async fn verify_page(
        &self,
        ctx: &Context<'_>,
        input: PageTransitionInput,
    ) -> async_graphql::Result<PagePayload> {
        step(ctx, input, Transition::Verify).await
    }

    /// Sends a reported page back with a reason (REPORTED → RETURNED): an admin of a unit
    /// above it. `reason` is required.
    async fn return_page(
        &self,
        ctx: &Context<'_>,
        input: PageTransitionInput,
    ) -> async_graphql::Result<PagePayload> {
        step(ctx, input, Transition::Return).await
    }

    /// Takes a page out of use for a while: an admin of its unit or above.
    async fn suspend_page(
        &self,
        ctx: &Context<'_>,
        input: PageTransitionInput,
    ) -> async_graphql::Result<PagePayload> {
        step(ctx, input, Transition::Suspend).await
    }

    /// Closes a page; the unit may then register another: an admin of its unit or above.
    async fn close_page(
        &self,
        ctx: &Context<'_>,
        input: PageTransitionInput,
    ) -> async_graphql::Result<PagePayload> {
        step(ctx, input, Transition::Close).await
    }

    /// Brings a suspended or closed page back (as ESTABLISHED, or DRAFT without a link): an
    /// admin of its unit or above. Refused while the unit has another live page.
    async fn reopen_page(
        &self,
        ctx: &Context<'_>,
        input: PageTransitionInput,
    ) -> async_graphql::Result<PagePayload> {
        step(ctx, input, Transition::Reopen).await
    }

    /// Registers an officer of the viewer's own unit.
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        input: CreatePersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::people::create_person(
            db,
            By::Account(&actor),
            NewPersonInput {
                unit_code: input.unit_code,
                full_name: input.full_name,
                position: input.position,
                phone: input.phone,
                email: input.email,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(PersonPayload::of(result))
    }

    /// Changes an officer's details.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        input: UpdatePersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::people::update_person(
            db,
            By::Account(&actor),
            PersonChanges {
                person_id: id_of(&input.person_id, NodeKind::Person)?,
                expected_version: input.expected_version,
                full_name: input.full_name,
                position: input.position,
                phone: input.phone,
                email: input.email,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(PersonPayload::of(result))
    }

    /// Takes an officer off the unit's list; refused (`PERSON_HOLDS_DUTY`) while the officer
    /// leads or runs a page.
    async fn remove_person(
        &self,
        ctx: &Context<'_>,
        input: RemovePersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::people::remove_person(
            db,
            By::Account(&actor),
            id_of(&input.person_id, NodeKind::Person)?,
        )
        .await
        .or_user_errors(ctx)?;
        Ok(PersonPayload::of(result))
    }

    /// Gives a duty on a page to an officer of the page's unit; whoever held it stops that
    /// day (the history stays in `Page.assignments`).
    async fn assign_person(
        &self,
        ctx: &Context<'_>,
        input: AssignPersonInput,
    ) -> async_graphql::Result<PagePayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::people::assign_person(
            db,
            By::Account(&actor),
            AssignInput {
                page_id: id_of(&input.page_id, NodeKind::Page)?,
                person_id: id_of(&input.person_id, NodeKind::Person)?,
                duty: input.duty.into(),
                from: input.from.map(|d| d.0),
            },
        )
        .await
        .or_user_errors(ctx)?
        .map(|(page, _)| page);
        Ok(PagePayload::of(result))
    }
}
