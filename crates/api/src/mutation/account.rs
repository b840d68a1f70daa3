//! Account administration by the admins of the tree: `createAccount`, `updateAccount`,
//! `setAccountActive`, `resetPassword`.

use app::By;
use app::accounts::{NewAccountInput, Whose};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use store::Db;
use uuid::Uuid;

use crate::error::AppResultExt;
use crate::relay::{NodeKind, parse_global_id};
use crate::types::account::{Account, Role, UserError};
use crate::{ApiError, auth};

/// A new account at a unit of the admin's subtree.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// Code of the unit the account acts at.
    pub unit_code: String,
    /// 3–64 of a-z 0-9 . _ - (stored lower-case).
    pub username: String,
    pub display_name: String,
    /// At most the admin's own role.
    pub role: Role,
    /// 10–128 characters and hard to guess (`PASSWORD_TOO_WEAK` says why not). Omit it to
    /// have one generated and returned once. Either way the account must change it at its
    /// first sign-in.
    pub password: Option<String>,
}

/// The outcome of `createAccount`.
#[derive(SimpleObject, Default)]
pub struct CreateAccountPayload {
    pub account: Option<Account>,
    /// The generated password, shown this once, when no password was given.
    pub generated_password: Option<String>,
    pub user_errors: Vec<UserError>,
}

/// Changes to an account; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateAccountInput {
    pub id: ID,
    pub display_name: Option<String>,
    /// At most the admin's own role; an admin cannot lower its own.
    pub role: Option<Role>,
}

/// Enables or disables an account.
#[derive(InputObject)]
pub struct SetAccountActiveInput {
    pub id: ID,
    /// False ends the account's sessions at once. An admin cannot disable itself.
    pub active: bool,
}

/// The outcome of `updateAccount` and `setAccountActive`.
#[derive(SimpleObject, Default)]
pub struct UpdateAccountPayload {
    pub account: Option<Account>,
    pub user_errors: Vec<UserError>,
}

/// Whose password to reset.
#[derive(InputObject)]
pub struct ResetPasswordInput {
    pub id: ID,
}

/// The outcome of `resetPassword`.
#[derive(SimpleObject, Default)]
pub struct ResetPasswordPayload {
    pub account: Option<Account>,
    /// Shown this once; the account must replace it at its next sign-in.
    pub one_time_password: Option<String>,
    pub user_errors: Vec<UserError>,
}

/// The account id of a global id; anything else is `NOT_FOUND`.
fn account_id(id: &ID) -> Result<Uuid, ApiError> {
    match parse_global_id(id) {
        Some((NodeKind::Account, account_id)) => Ok(account_id),
        _ => Err(ApiError::NotFound),
    }
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Creates an account at a unit of the admin's subtree.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        input: CreateAccountInput,
    ) -> async_graphql::Result<CreateAccountPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let created = app::accounts::create_account(
            db,
            By::Account(&actor),
            NewAccountInput {
                unit_code: input.unit_code,
                username: input.username,
                display_name: Some(input.display_name),
                role: input.role.into(),
                password: input.password,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match created {
            Ok(created) => CreateAccountPayload {
                account: Some(Account(created.account)),
                generated_password: created.generated_password,
                user_errors: Vec::new(),
            },
            Err(user_errors) => CreateAccountPayload {
                user_errors,
                ..CreateAccountPayload::default()
            },
        })
    }

    /// Changes an account's display name and/or role.
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        input: UpdateAccountInput,
    ) -> async_graphql::Result<UpdateAccountPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let updated = app::accounts::update_account(
            db,
            &actor,
            account_id(&input.id)?,
            input.display_name.as_deref(),
            input.role.map(Into::into),
        )
        .await
        .or_user_errors(ctx)?;
        Ok(UpdateAccountPayload::of(updated))
    }

    /// Enables or disables an account. Disabling ends its sessions at once.
    async fn set_account_active(
        &self,
        ctx: &Context<'_>,
        input: SetAccountActiveInput,
    ) -> async_graphql::Result<UpdateAccountPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let updated =
            app::accounts::set_account_active(db, &actor, account_id(&input.id)?, input.active)
                .await
                .or_user_errors(ctx)?;
        Ok(UpdateAccountPayload::of(updated))
    }

    /// Replaces an account's password with a one-time password, returned once. The account's
    /// sessions end and it must choose a new password at its next sign-in.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: ResetPasswordInput,
    ) -> async_graphql::Result<ResetPasswordPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let reset = app::accounts::reset_password(
            db,
            By::Account(&actor),
            Whose::Id(account_id(&input.id)?),
            None,
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match reset {
            Ok(reset) => ResetPasswordPayload {
                account: Some(Account(reset.account)),
                one_time_password: reset.generated_password,
                user_errors: Vec::new(),
            },
            Err(user_errors) => ResetPasswordPayload {
                user_errors,
                ..ResetPasswordPayload::default()
            },
        })
    }
}

impl UpdateAccountPayload {
    fn of(result: Result<domain::Account, Vec<UserError>>) -> Self {
        match result {
            Ok(account) => Self {
                account: Some(Account(account)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => Self {
                user_errors,
                ..Self::default()
            },
        }
    }
}
