//! Account administration (admins, over their subtree).

use super::ops::{
    Accounts, CreateAccount, ResetPassword, SetAccountActive, UpdateAccount, accounts,
    create_account, reset_password, set_account_active, update_account,
};
use super::{Client, Slice};
use crate::error::Error;
use crate::models::{FieldErrors, ListedAccount, Role, UserError};

/// How many accounts one request asks for.
pub const LIST_LIMIT: i64 = 50;

/// A slice of the accounts of a unit and below, each with what the viewer may do to it.
pub async fn list(
    client: &Client,
    unit_code: Option<&str>,
    role: Option<Role>,
    search: Option<&str>,
    after: Option<String>,
) -> Result<Slice<ListedAccount>, Error> {
    use accounts::Role as R;
    let data = client
        .execute::<Accounts>(accounts::Variables {
            unit_code: unit_code.map(str::to_owned),
            role: role.map(|role| role_of(role, R::ADMIN, R::OPERATOR, R::VIEWER)),
            search: search.map(str::to_owned),
            first: Some(LIST_LIMIT),
            after,
        })
        .await?;
    let list = data.accounts;
    Ok(Slice::new(
        list.nodes.into_iter().map(ListedAccount::from),
        list.total_count,
        list.page_info.has_next_page,
        list.page_info.end_cursor,
    ))
}

/// What the admin fills in to create an account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewAccount {
    pub unit_code: String,
    pub username: String,
    pub display_name: String,
    pub role: Option<Role>,
    /// Empty: the server generates a one-time password.
    pub password: String,
}

/// The result of a mutation on an account: the changed account and, when the server made
/// one, the password to hand over once; or the reasons it was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Done {
        account: ListedAccount,
        password: Option<String>,
    },
    Refused(FieldErrors),
}

fn change(
    account: Option<ListedAccount>,
    password: Option<String>,
    errors: Vec<UserError>,
) -> Change {
    match account {
        Some(account) if errors.is_empty() => Change::Done { account, password },
        _ => Change::Refused(FieldErrors(errors)),
    }
}

fn role_of<R>(role: Role, admin: R, operator: R, viewer: R) -> R {
    match role {
        Role::Admin => admin,
        Role::Operator => operator,
        Role::Viewer => viewer,
    }
}

pub async fn create(client: &Client, new: &NewAccount, role: Role) -> Result<Change, Error> {
    use create_account::Role as R;
    let password = new.password.trim();
    let data = client
        .execute_once::<CreateAccount>(create_account::Variables {
            input: create_account::CreateAccountInput {
                unit_code: new.unit_code.clone(),
                username: new.username.trim().to_owned(),
                display_name: new.display_name.trim().to_owned(),
                role: role_of(role, R::ADMIN, R::OPERATOR, R::VIEWER),
                password: (!password.is_empty()).then(|| password.to_owned()),
            },
        })
        .await?;
    let p = data.create_account;
    Ok(change(
        p.account.map(ListedAccount::from),
        p.generated_password,
        p.user_errors.into_iter().map(UserError::from).collect(),
    ))
}

pub async fn set_role(client: &Client, id: &str, role: Role) -> Result<Change, Error> {
    use update_account::Role as R;
    let data = client
        .execute::<UpdateAccount>(update_account::Variables {
            input: update_account::UpdateAccountInput {
                id: id.to_owned(),
                display_name: None,
                role: Some(role_of(role, R::ADMIN, R::OPERATOR, R::VIEWER)),
            },
        })
        .await?;
    let p = data.update_account;
    Ok(change(
        p.account.map(ListedAccount::from),
        None,
        p.user_errors.into_iter().map(UserError::from).collect(),
    ))
}

/// Gives the account another display name.
pub async fn rename(client: &Client, id: &str, name: &str) -> Result<Change, Error> {
    let data = client
        .execute::<UpdateAccount>(update_account::Variables {
            input: update_account::UpdateAccountInput {
                id: id.to_owned(),
                display_name: Some(name.trim().to_owned()),
                role: None,
            },
        })
        .await?;
    let p = data.update_account;
    Ok(change(
        p.account.map(ListedAccount::from),
        None,
        p.user_errors.into_iter().map(UserError::from).collect(),
    ))
}

pub async fn set_active(client: &Client, id: &str, active: bool) -> Result<Change, Error> {
    let data = client
        .execute::<SetAccountActive>(set_account_active::Variables {
            input: set_account_active::SetAccountActiveInput {
                id: id.to_owned(),
                active,
            },
        })
        .await?;
    let p = data.set_account_active;
    Ok(change(
        p.account.map(ListedAccount::from),
        None,
        p.user_errors.into_iter().map(UserError::from).collect(),
    ))
}

pub async fn reset_password(client: &Client, id: &str) -> Result<Change, Error> {
    let data = client
        .execute_once::<ResetPassword>(reset_password::Variables {
            input: reset_password::ResetPasswordInput { id: id.to_owned() },
        })
        .await?;
    let p = data.reset_password;
    Ok(change(
        p.account.map(ListedAccount::from),
        p.one_time_password,
        p.user_errors.into_iter().map(UserError::from).collect(),
    ))
}
