//! The search box and the accounts table, one slice at a time.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::AccountList;
use super::row::AccountRow;
use super::state::{AccountsAction, AccountsState};
use crate::components::{Empty, ErrorBox, Loading, More};
use crate::hooks::Listing;
use crate::models::{ListedAccount, Role};
use crate::services::Slice;

#[derive(Properties, PartialEq)]
pub struct SearchBoxProps {
    pub state: UseReducerHandle<AccountsState>,
    pub list: AccountList,
}

#[function_component]
pub fn SearchBox(props: &SearchBoxProps) -> Html {
    let oninput = {
        let state = props.state.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            state.dispatch(AccountsAction::Search(value));
        })
    };
    let onrole = {
        let state = props.state.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            state.dispatch(AccountsAction::FilterRole(Role::from_key(&value)));
        })
    };
    let picked = props.state.role_filter;
    let roles = Role::ALL.into_iter().map(|role| {
        html! { <option value={role.key()} selected={picked == Some(role)}>{ role.label() }</option> }
    });
    html! {
        <form role="search" onsubmit={|e: SubmitEvent| e.prevent_default()}>
            <label for="account-search" class="visually-hidden">{ "Tìm tài khoản" }</label>
            <input id="account-search" type="search" placeholder="Tìm theo tên đăng nhập hoặc họ tên"
                value={props.state.search.clone()} {oninput}
                aria-busy={props.list.loading().then_some("true")} />
            <label for="account-role">
                { "Vai trò" }
                <select id="account-role" onchange={onrole}>
                    <option value="" selected={picked.is_none()}>{ "Mọi vai trò" }</option>
                    { for roles }
                </select>
            </label>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountTableProps {
    pub state: UseReducerHandle<AccountsState>,
    pub list: AccountList,
    /// The unit listed: another unit's accounts still on screen are not shown.
    pub code: Option<String>,
}

#[function_component]
pub fn AccountTable(props: &AccountTableProps) -> Html {
    let AccountTableProps { state, list, code } = props;
    let shown = list
        .loaded()
        .filter(|(query, _)| query.0 == *code)
        .map(|(_, slice)| slice);
    let slice = match (shown, list.error()) {
        (_, Some(error)) => {
            return html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> };
        }
        (Some(slice), None) => slice,
        (None, None) => return html! { <Loading text="Đang tải tài khoản…" /> },
    };
    if slice.items.is_empty() {
        let text = match (state.search.trim(), state.role_filter) {
            ("", None) => "Chưa có tài khoản nào.".to_owned(),
            ("", Some(role)) => format!("Không có tài khoản nào có vai trò {}.", role.label()),
            (search, _) => format!("Không có tài khoản nào khớp với “{search}”."),
        };
        return html! { <Empty text={text} /> };
    }
    let rows = slice.items.iter().map(|row| {
        html! {
            <AccountRow key={row.account.id.clone()} state={state.clone()} list={list.clone()}
                row={row.clone()} />
        }
    });
    html! {
        <>
            <p><small>{ format!("{} tài khoản", slice.total) }</small></p>
            <div class="overflow-auto">
                <table class="striped accounts">
                    <thead>
                        <tr>
                            <th scope="col">{ "Tài khoản" }</th>
                            <th scope="col">{ "Đơn vị" }</th>
                            <th scope="col">{ "Vai trò" }</th>
                            <th scope="col">{ "Trạng thái" }</th>
                            <th scope="col">{ "Thao tác" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            if slice.next().is_some() {
                <More shown={slice.shown()} total={slice.total} busy={list.loading_more()}
                    on_more={list.more()} />
            }
        </>
    }
}

/// A new account goes first in the list.
pub fn added(slice: &mut Slice<ListedAccount>, row: ListedAccount) {
    slice.total += 1;
    slice.items.insert(0, row);
}

/// A saved account replaces its row, with what may now be done to it.
pub fn saved(slice: &mut Slice<ListedAccount>, row: ListedAccount) {
    for item in &mut slice.items {
        if item.account.id == row.account.id {
            *item = row.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::tests::account;
    use super::*;
    use crate::models::AccountPermissions;

    fn row(id: &str, active: bool) -> ListedAccount {
        ListedAccount {
            account: account(id, active),
            viewer_can: AccountPermissions::default(),
        }
    }

    #[test]
    fn a_created_account_joins_the_list_first() {
        let mut slice = Slice {
            items: vec![row("1", true)],
            total: 1,
            next: None,
        };
        added(&mut slice, row("2", true));
        assert_eq!((slice.total, slice.items[0].account.id.as_str()), (2, "2"));
    }

    #[test]
    fn a_row_change_replaces_the_row_in_place() {
        let mut slice = Slice {
            items: vec![row("1", true), row("2", true)],
            total: 2,
            next: None,
        };
        saved(&mut slice, row("2", false));
        assert!(slice.items[0].account.active);
        assert!(!slice.items[1].account.active);
    }
}
