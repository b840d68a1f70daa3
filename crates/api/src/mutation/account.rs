//! Account administration by the admins of the tree: `createAccount`, `updateAccount`,
//! `setAccountActive`, `resetPassword`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use domain::policy::{AccountChange, Action, can};
use domain::{DisplayName, Username};
use serde_json::json;
use store::accounts::NewAccount;
use store::{ConnectionTrait, Db, StoreError};
use uuid::Uuid;

use crate::auth::password;
use crate::error::StoreResultExt;
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

/// Records an account change in the audit trail.
pub(super) async fn audit(
    db: &impl ConnectionTrait,
    actor_id: Option<Uuid>,
    action: &str,
    account_id: Uuid,
    detail: Option<serde_json::Value>,
) -> Result<(), StoreError> {
    store::audit::record(
        db,
        store::audit::Event {
            actor_id,
            action,
            target_type: "account",
            target_id: Some(account_id),
            detail,
        },
    )
    .await
}

/// The account behind a global id, checked against the policy for the change `change` makes
/// of it.
async fn target(
    ctx: &Context<'_>,
    id: &ID,
    change: impl FnOnce(&domain::Account) -> AccountChange,
) -> Result<(domain::Actor, domain::Account), ApiError> {
    let actor = auth::actor(ctx).await?;
    let Some((NodeKind::Account, account_id)) = parse_global_id(id) else {
        return Err(ApiError::NotFound);
    };
    let db = ctx.data_unchecked::<Db>();
    let (account, unit) = store::accounts::with_unit(db, account_id)
        .await
        .or_internal(ctx)?
        .ok_or(ApiError::NotFound)?;
    can(
        &actor,
        Action::ManageAccount {
            account_id,
            role: account.role,
            change: change(&account),
        },
        &unit.path,
    )?;
    Ok((actor, account))
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
        let unit = store::units::by_code(db, input.unit_code.trim())
            .await
            .or_internal(ctx)?
            .ok_or(ApiError::NotFound)?;
        let role: domain::Role = input.role.into();
        can(&actor, Action::CreateAccount { role }, &unit.path).map_err(ApiError::from)?;

        let mut errors = Vec::new();
        let username = Username::parse(&input.username)
            .map_err(|e| errors.push(UserError::from_domain("username", &e)))
            .ok();
        let display_name = DisplayName::parse(&input.display_name)
            .map_err(|e| errors.push(UserError::from_domain("displayName", &e)))
            .ok();
        if let (Some(password), Some(username)) = (&input.password, &username) {
            let easy = super::password_context(ctx, &input.display_name, &unit).await?;
            let easy: Vec<&str> = easy.iter().map(String::as_str).collect();
            if let Err(e) = domain::account::check_new_password(password, username, &easy) {
                errors.push(UserError::from_domain("password", &e));
            }
        }
        let (Some(username), Some(display_name), true) =
            (username, display_name, errors.is_empty())
        else {
            return Ok(CreateAccountPayload {
                user_errors: errors,
                ..CreateAccountPayload::default()
            });
        };

        let (hash, generated) = password::initial(input.password.as_deref())
            .await
            .map_err(|e| ApiError::internal(ctx, &e))?;
        let txn = store::begin(db).await.or_internal(ctx)?;
        let created = store::accounts::create(
            &txn,
            NewAccount {
                username,
                display_name,
                unit_id: unit.id,
                role,
                password_hash: hash,
                must_change_password: true,
            },
        )
        .await;
        let account = match created {
            Ok(account) => account,
            Err(StoreError::Conflict(_)) => {
                return Ok(CreateAccountPayload {
                    user_errors: vec![UserError::new(
                        Some("username"),
                        "USERNAME_TAKEN",
                        "Tên đăng nhập này đã được dùng.",
                    )],
                    ..CreateAccountPayload::default()
                });
            }
            Err(e) => return Err(ApiError::internal(ctx, &e).into()),
        };
        let detail = json!({ "unit": unit.code.as_str(), "role": role.as_str(), "username": account.username.as_str() });
        audit(
            &txn,
            Some(actor.account_id),
            "account.create",
            account.id,
            Some(detail),
        )
        .await
        .or_internal(ctx)?;
        store::commit(txn).await.or_internal(ctx)?;
        Ok(CreateAccountPayload {
            account: Some(Account(account)),
            generated_password: generated,
            user_errors: Vec::new(),
        })
    }

    /// Changes an account's display name and/or role.
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        input: UpdateAccountInput,
    ) -> async_graphql::Result<UpdateAccountPayload> {
        let new_role: Option<domain::Role> = input.role.map(Into::into);
        let (actor, account) = target(ctx, &input.id, |_| AccountChange::Edit { new_role }).await?;
        let display_name = match input
            .display_name
            .as_deref()
            .map(DisplayName::parse)
            .transpose()
        {
            Ok(name) => name,
            Err(e) => {
                return Ok(UpdateAccountPayload {
                    user_errors: vec![UserError::from_domain("displayName", &e)],
                    ..UpdateAccountPayload::default()
                });
            }
        };
        let db = ctx.data_unchecked::<Db>();
        let txn = store::begin(db).await.or_internal(ctx)?;
        let updated =
            store::accounts::update_profile(&txn, account.id, display_name.as_ref(), new_role)
                .await
                .or_internal(ctx)?;
        let detail = json!({
            "before": { "displayName": account.display_name, "role": account.role.as_str() },
            "after": { "displayName": updated.display_name, "role": updated.role.as_str() },
        });
        audit(
            &txn,
            Some(actor.account_id),
            "account.update",
            account.id,
            Some(detail),
        )
        .await
        .or_internal(ctx)?;
        store::commit(txn).await.or_internal(ctx)?;
        Ok(UpdateAccountPayload {
            account: Some(Account(updated)),
            user_errors: Vec::new(),
        })
    }

    /// Enables or disables an account. Disabling ends its sessions at once.
    async fn set_account_active(
        &self,
        ctx: &Context<'_>,
        input: SetAccountActiveInput,
    ) -> async_graphql::Result<UpdateAccountPayload> {
        let change = |account: &domain::Account| {
            if input.active {
                AccountChange::Enable {
                    disabled_at_depth: account.disabled_by.as_ref().map(domain::UnitPath::depth),
                }
            } else {
                AccountChange::Disable
            }
        };
        let (actor, account) = target(ctx, &input.id, change).await?;
        let db = ctx.data_unchecked::<Db>();
        let txn = store::begin(db).await.or_internal(ctx)?;
        let updated = if input.active {
            store::accounts::enable(&txn, account.id).await
        } else {
            store::accounts::disable(&txn, account.id, &actor.unit_path).await
        }
        .or_internal(ctx)?;
        let action = if input.active {
            "account.enable"
        } else {
            "account.disable"
        };
        audit(&txn, Some(actor.account_id), action, account.id, None)
            .await
            .or_internal(ctx)?;
        store::commit(txn).await.or_internal(ctx)?;
        Ok(UpdateAccountPayload {
            account: Some(Account(updated)),
            user_errors: Vec::new(),
        })
    }

    /// Replaces an account's password with a one-time password, returned once. The account's
    /// sessions end and it must choose a new password at its next sign-in.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: ResetPasswordInput,
    ) -> async_graphql::Result<ResetPasswordPayload> {
        let (actor, account) = target(ctx, &input.id, |_| AccountChange::ResetPassword).await?;
        let one_time = password::generate();
        let hash = password::hash(&one_time)
            .await
            .map_err(|e| ApiError::internal(ctx, &e))?;
        let db = ctx.data_unchecked::<Db>();
        let txn = store::begin(db).await.or_internal(ctx)?;
        let updated = store::accounts::set_password(&txn, account.id, hash, true)
            .await
            .or_internal(ctx)?;
        // The officer signs in with the new password at once, not after a lock from failures.
        store::throttle::clear(
            &txn,
            &store::throttle::account_key(account.username.as_str()),
        )
        .await
        .or_internal(ctx)?;
        audit(
            &txn,
            Some(actor.account_id),
            "account.reset_password",
            account.id,
            None,
        )
        .await
        .or_internal(ctx)?;
        store::commit(txn).await.or_internal(ctx)?;
        Ok(ResetPasswordPayload {
            account: Some(Account(updated)),
            one_time_password: Some(one_time),
            user_errors: Vec::new(),
        })
    }
}
