//! Account administration (admins, over their subtree).

use super::Client;
use super::ops::{
    Accounts, CreateAccount, ResetPassword, SetAccountActive, UpdateAccount, accounts,
    create_account, reset_password, set_account_active, update_account,
};
use crate::error::Error;
use crate::models::{Account, FieldErrors, Role, UserError};

/// How many accounts one page of the list shows.
pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountList {
    pub accounts: Vec<Account>,
    pub total: i64,
    pub next: Option<String>,
}

pub async fn list(
    client: &Client,
    unit_code: Option<&str>,
    search: Option<&str>,
    after: Option<String>,
) -> Result<AccountList, Error> {
    let data = client
        .execute::<Accounts>(accounts::Variables {
            unit_code: unit_code.map(str::to_owned),
            search: search.map(str::to_owned),
            first: Some(PAGE_SIZE),
            after,
        })
        .await?;
    let list = data.accounts;
    Ok(AccountList {
        accounts: list.nodes.into_iter().map(Account::from).collect(),
        total: list.total_count,
        next: list
            .page_info
            .has_next_page
            .then_some(list.page_info.end_cursor)
            .flatten(),
    })
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
        account: Account,
        password: Option<String>,
    },
    Refused(FieldErrors),
}

fn change(account: Option<Account>, password: Option<String>, errors: Vec<UserError>) -> Change {
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
        p.account.map(Account::from),
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
        p.account.map(Account::from),
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
        p.account.map(Account::from),
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
        p.account.map(Account::from),
        p.one_time_password,
        p.user_errors.into_iter().map(UserError::from).collect(),
    ))
}
