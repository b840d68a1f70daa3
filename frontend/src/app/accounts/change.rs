//! A change to one account, confirmed first, then run, its outcome reported under the
//! account's row.

use yew::platform::spawn_local;
use yew::prelude::*;

use super::AccountList;
use super::list::saved;
use super::state::{AccountsAction, AccountsState, Pending, RowChange, dispatcher};
use crate::components::Confirm;
use crate::services::Client;
use crate::services::accounts::{self as service, Change};

#[derive(Properties, PartialEq)]
pub struct ConfirmChangeProps {
    pub state: UseReducerHandle<AccountsState>,
    pub list: AccountList,
    pub client: Client,
}

/// The confirmation of the pending change, if any.
#[function_component]
pub fn ConfirmChange(props: &ConfirmChangeProps) -> Html {
    let ConfirmChangeProps {
        state,
        list,
        client,
    } = props;
    let Some(pending) = state.pending.clone() else {
        return html! {};
    };
    let (question, details, label) = pending.question();
    let on_confirm = {
        let (state, list, client) = (state.clone(), list.clone(), client.clone());
        Callback::from(move |()| run(&state, &list, &client, pending.clone()))
    };
    html! {
        <Confirm question={question} details={details} confirm_label={label}
            {on_confirm} on_cancel={dispatcher(state, || AccountsAction::Cancel)} />
    }
}

/// Runs a confirmed change and reports its outcome under the account's row.
fn run(
    state: &UseReducerHandle<AccountsState>,
    list: &AccountList,
    client: &Client,
    pending: Pending,
) {
    let id = pending.account.id.clone();
    state.dispatch(AccountsAction::RowStarted(id.clone()));
    let (state, list, client) = (state.clone(), list.clone(), client.clone());
    spawn_local(async move {
        let result = match pending.change {
            RowChange::Role(role) => service::set_role(&client, &id, role).await,
            RowChange::Active(active) => service::set_active(&client, &id, active).await,
            RowChange::ResetPassword => service::reset_password(&client, &id).await,
        };
        state.dispatch(match result {
            Ok(Change::Done { account, password }) => {
                let message = pending.done(&account.account);
                let changed = account.account.clone();
                list.edit(move |slice| saved(slice, account));
                AccountsAction::RowDone {
                    account: changed,
                    password,
                    message,
                }
            }
            Ok(Change::Refused(errors)) => AccountsAction::RowRefused {
                id,
                message: pending.failed(&errors.general(&[]).join(" ")),
            },
            Err(error) => AccountsAction::RowRefused {
                id,
                message: pending.failed(&error.to_string()),
            },
        });
    });
}
