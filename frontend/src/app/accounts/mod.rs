//! "Tài khoản": the accounts of a unit and below — search, create (the generated password
//! shown once), change role, disable ("vô hiệu hóa") and enable again, reset password, each
//! offered only where the API says the officer may. Every change to an account is confirmed
//! first and its outcome shown under the account's row.

mod change;
mod create_form;
mod list;
mod row;
mod state;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::{ErrorBox, Loading, OneTimeSecret};
use crate::error::Error;
use crate::hooks::{ListHandle, use_list, use_session, use_title};
use crate::models::{ListedAccount, Role, Unit, UnitPermissions};
use crate::services::Slice;
use crate::services::accounts as service;
use crate::services::units as unit_service;
use change::ConfirmChange;
use create_form::CreateForm;
use list::{AccountTable, SearchBox};
use state::{AccountsAction, AccountsState, dispatcher};

/// What the list is of: a unit's code (`None`: the officer's own), the search typed, and
/// the role picked.
type Query = (Option<String>, Option<String>, Option<Role>);

/// The accounts list as the screen's parts share it.
pub type AccountList = ListHandle<Query, Slice<ListedAccount>>;

#[derive(Properties, PartialEq)]
pub struct AccountsProps {
    /// The unit whose accounts are listed and created; the officer's own when `None`.
    pub code: Option<String>,
}

#[function_component]
pub fn Accounts(props: &AccountsProps) -> Html {
    use_title("Tài khoản");
    let session = use_session();
    let state = use_reducer(AccountsState::default);
    let unit = use_state(|| None::<Result<(Unit, UnitPermissions), Error>>);
    let me = session.account().cloned();
    let client = session.client();

    // The unit, and what the officer may do there, as the API says.
    let unit_code = props
        .code
        .clone()
        .or_else(|| me.as_ref().map(|a| a.unit.code.clone()));
    {
        let (unit, client) = (unit.clone(), client.clone());
        use_effect_with(unit_code, move |code| {
            unit.set(None);
            if let Some(code) = code.clone() {
                spawn_local(async move {
                    unit.set(Some(unit_service::unit(&client, &code).await));
                });
            }
        });
    }

    let list: AccountList = {
        let trimmed = state.search.trim();
        let query = (
            props.code.clone(),
            (!trimmed.is_empty()).then(|| trimmed.to_owned()),
            state.role_filter,
        );
        let client = client.clone();
        use_list(
            query,
            state.search.clone(),
            move |(code, search, role): Query, after| {
                let client = client.clone();
                async move {
                    service::list(&client, code.as_deref(), role, search.as_deref(), after).await
                }
            },
        )
    };

    let (unit, can) = match &*unit {
        None => return html! { <Loading /> },
        Some(Err(error)) => return html! { <ErrorBox error={error.clone()} /> },
        Some(Ok((unit, can))) => (unit.clone(), can.clone()),
    };
    if !can.read_accounts {
        return html! { <ErrorBox error={Error::Forbidden} /> };
    }

    html! {
        <section class="accounts-page">
            <hgroup>
                <h1>{ "Tài khoản" }</h1>
                <p>{ format!("{} và các đơn vị trực thuộc", unit.full_name) }</p>
            </hgroup>
            if let Some(secret) = &state.secret {
                <OneTimeSecret title={secret.title.clone()} secret={secret.password.clone()}
                    on_close={dispatcher(&state, || AccountsAction::CloseSecret)} />
            }
            if can.create_account && !can.assignable_roles.is_empty() {
                <CreateForm state={state.clone()} list={list.clone()} client={client.clone()}
                    unit={unit.clone()} roles={can.assignable_roles.clone()} />
            }
            <SearchBox state={state.clone()} list={list.clone()} />
            <AccountTable state={state.clone()} list={list.clone()} code={props.code.clone()} />
            <ConfirmChange state={state.clone()} list={list.clone()} client={client.clone()} />
        </section>
    }
}
