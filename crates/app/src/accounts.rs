//! Accounts: created, changed, disabled and enabled, and given new passwords, by the admins
//! of the tree through the API and by the operator on the command line.

use domain::policy::{AccountChange, Action};
use domain::{Account, Actor, DisplayName, Role, Unit, Username};
use store::accounts::NewAccount;
use store::{Begin, StoreError};
use uuid::Uuid;

use crate::audit::{self, Event, Profile};
use crate::{AppError, By, UserError, password};

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccountInput {
    /// Code of the unit it acts at.
    pub unit_code: String,
    pub username: String,
    /// `None`: the committee's name, e.g. "Ban Thường trực UBMTTQ huyện Phú Ninh".
    pub display_name: Option<String>,
    pub role: Role,
    /// `None`: generate one, shown once.
    pub password: Option<String>,
}

/// A created account, with the password generated for it, if one was.
#[derive(Debug, Clone)]
pub struct WithPassword {
    pub account: Account,
    pub generated_password: Option<String>,
}

/// Creates an account at a unit of the actor's subtree, with at most the actor's role.
pub async fn create_account(
    db: &impl Begin,
    by: By<'_>,
    input: NewAccountInput,
) -> Result<WithPassword, AppError> {
    let unit = store::units::by_code(db, input.unit_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(Action::CreateAccount { role: input.role }, &unit.path)?;

    let mut errors = Vec::new();
    let username = Username::parse(&input.username)
        .map_err(|e| errors.push(UserError::from_domain("username", &e)))
        .ok();
    let display_name = input.display_name.unwrap_or_else(|| unit.committee_name());
    let parsed_name = DisplayName::parse(&display_name)
        .map_err(|e| errors.push(UserError::from_domain("displayName", &e)))
        .ok();
    if let (Some(given), Some(username)) = (&input.password, &username) {
        let weak =
            password::check_new(db, "password", given, username, &display_name, &unit).await?;
        errors.extend(weak);
    }
    let (Some(username), Some(display_name), true) = (username, parsed_name, errors.is_empty())
    else {
        return Err(AppError::Invalid(errors));
    };

    let (hash, generated) = password::initial(input.password.as_deref()).await?;
    let txn = store::begin(db).await?;
    let created = store::accounts::create(
        &txn,
        NewAccount {
            username,
            display_name,
            unit_id: unit.id,
            role: input.role,
            password_hash: hash,
            must_change_password: password::must_change(by, generated.is_some()),
        },
    )
    .await;
    let account = match created {
        Ok(account) => account,
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::invalid(
                Some("username"),
                "USERNAME_TAKEN",
                "Tên đăng nhập này đã được dùng.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let event = Event::AccountCreated {
        username: account.username.as_str().to_owned(),
        role: account.role,
        unit: unit.code.clone(),
    };
    audit::record(&txn, by, &unit.path, Some(account.id), &event).await?;
    store::commit(txn).await?;
    Ok(WithPassword {
        account,
        generated_password: generated,
    })
}

/// The account with this id and its unit, if the actor may make `change` of it.
async fn target(
    db: &impl Begin,
    by: By<'_>,
    account_id: Uuid,
    change: impl FnOnce(&Account) -> AccountChange,
) -> Result<(Account, Unit), AppError> {
    let (account, unit) = store::accounts::with_unit(db, account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(
        Action::ManageAccount {
            account_id,
            role: account.role,
            change: change(&account),
        },
        &unit.path,
    )?;
    Ok((account, unit))
}

/// Changes an account's display name and/or role; `None` keeps it.
pub async fn update_account(
    db: &impl Begin,
    actor: &Actor,
    account_id: Uuid,
    display_name: Option<&str>,
    role: Option<Role>,
) -> Result<Account, AppError> {
    let by = By::Account(actor);
    let (account, unit) = target(db, by, account_id, |_| AccountChange::Edit {
        new_role: role,
    })
    .await?;
    let display_name = display_name
        .map(DisplayName::parse)
        .transpose()
        .map_err(|e| AppError::Invalid(vec![UserError::from_domain("displayName", &e)]))?;
    let txn = store::begin(db).await?;
    let updated =
        store::accounts::update_profile(&txn, account.id, display_name.as_ref(), role).await?;
    let event = Event::AccountUpdated {
        before: Profile {
            display_name: account.display_name,
            role: account.role,
        },
        after: Profile {
            display_name: updated.display_name.clone(),
            role: updated.role,
        },
    };
    audit::record(&txn, by, &unit.path, Some(updated.id), &event).await?;
    store::commit(txn).await?;
    Ok(updated)
}

/// Enables or disables an account; disabling ends its sessions at once.
pub async fn set_account_active(
    db: &impl Begin,
    actor: &Actor,
    account_id: Uuid,
    active: bool,
) -> Result<Account, AppError> {
    let by = By::Account(actor);
    let change = |account: &Account| {
        if active {
            AccountChange::Enable {
                disabled_at_depth: account.disabled_by.as_ref().map(domain::UnitPath::depth),
            }
        } else {
            AccountChange::Disable
        }
    };
    let (account, unit) = target(db, by, account_id, change).await?;
    let txn = store::begin(db).await?;
    let (updated, event) = if active {
        (
            store::accounts::enable(&txn, account.id).await?,
            Event::AccountEnabled,
        )
    } else {
        (
            store::accounts::disable(&txn, account.id, &actor.unit_path).await?,
            Event::AccountDisabled,
        )
    };
    audit::record(&txn, by, &unit.path, Some(updated.id), &event).await?;
    store::commit(txn).await?;
    Ok(updated)
}

/// Whose password to reset.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    Id(Uuid),
    /// A sign-in name, as typed (the command line).
    Username(&'a str),
}

/// Gives an account a new password: `given` (checked like any new password), or a generated
/// one, returned once. Ends its sessions and any wait from failed sign-ins. Whether it must
/// be changed at the next sign-in: [`password::must_change`].
pub async fn reset_password(
    db: &impl Begin,
    by: By<'_>,
    whose: Whose<'_>,
    given: Option<&str>,
) -> Result<WithPassword, AppError> {
    let account_id = match whose {
        Whose::Id(id) => id,
        Whose::Username(name) => {
            let name = Username::parse(name).map_err(|_| AppError::NotFound)?;
            store::accounts::by_username(db, &name)
                .await?
                .ok_or(AppError::NotFound)?
                .account
                .id
        }
    };
    let (account, unit) = target(db, by, account_id, |_| AccountChange::ResetPassword).await?;
    if let Some(given) = given {
        let weak = password::check_new(
            db,
            "password",
            given,
            &account.username,
            &account.display_name,
            &unit,
        )
        .await?;
        if let Some(weak) = weak {
            return Err(AppError::Invalid(vec![weak]));
        }
    }
    let (hash, generated) = password::initial(given).await?;
    let txn = store::begin(db).await?;
    let must_change = password::must_change(by, generated.is_some());
    let updated = store::accounts::set_password(&txn, account.id, hash, must_change).await?;
    // The officer signs in with the new password at once, not after a wait from failures.
    store::throttle::clear(
        &txn,
        &store::throttle::account_key(account.username.as_str()),
    )
    .await?;
    audit::record(
        &txn,
        by,
        &unit.path,
        Some(account.id),
        &Event::PasswordReset,
    )
    .await?;
    store::commit(txn).await?;
    Ok(WithPassword {
        account: updated,
        generated_password: generated,
    })
}

/// Sets the password the account chose for itself, once the caller has checked its current
/// one (with the sign-in throttle), and records the change.
pub async fn set_own_password(
    db: &impl Begin,
    actor: &Actor,
    current_password: &str,
    new_password: &str,
) -> Result<Account, AppError> {
    let (account, unit) = store::accounts::with_unit(db, actor.account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(weak) = password::check_new(
        db,
        "newPassword",
        new_password,
        &account.username,
        &account.display_name,
        &unit,
    )
    .await?
    {
        return Err(AppError::Invalid(vec![weak]));
    }
    if new_password == current_password {
        return Err(AppError::invalid(
            Some("newPassword"),
            "PASSWORD_UNCHANGED",
            "Mật khẩu mới phải khác mật khẩu hiện tại.",
        ));
    }
    let hash = password::hash(new_password).await?;
    let txn = store::begin(db).await?;
    let updated = store::accounts::set_password(&txn, account.id, hash, false).await?;
    audit::record(
        &txn,
        By::Account(actor),
        &unit.path,
        Some(account.id),
        &Event::PasswordChanged,
    )
    .await?;
    store::commit(txn).await?;
    Ok(updated)
}
