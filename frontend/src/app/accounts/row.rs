//! One account in the list: who, where, the role menu, the state, and the actions the API
//! says the officer may take on it; the outcome of the last change shown under it. A new
//! display name is typed in the row itself and saved without a confirmation (it changes
//! nothing the officer may do).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use super::AccountList;
use super::list::saved;
use super::state::{AccountsAction, AccountsState, Pending, RowChange};
use crate::hooks::use_session;
use crate::models::{ListedAccount, Role};
use crate::services::accounts::{self as service, Change};
use crate::text;

/// How many columns the accounts table has (a row's notice spans them all).
pub const COLUMNS: &str = "5";

#[derive(Properties, PartialEq)]
pub struct AccountRowProps {
    pub state: UseReducerHandle<AccountsState>,
    pub list: AccountList,
    pub row: ListedAccount,
}

#[function_component]
pub fn AccountRow(props: &AccountRowProps) -> Html {
    let state = &props.state;
    let ListedAccount {
        account,
        viewer_can: can,
    } = &props.row;
    let busy = state.row_busy.as_deref() == Some(account.id.as_str());
    let session = use_session();
    // The name being typed, while renaming.
    let renaming = use_state(|| None::<String>);
    let rename = {
        let (renaming, name) = (renaming.clone(), account.display_name.clone());
        Callback::from(move |_: MouseEvent| renaming.set(Some(name.clone())))
    };
    let onname = {
        let renaming = renaming.clone();
        Callback::from(move |e: InputEvent| {
            renaming.set(Some(e.target_unchecked_into::<HtmlInputElement>().value()));
        })
    };
    let save_name = {
        let (renaming, state, list, client, account) = (
            renaming.clone(),
            state.clone(),
            props.list.clone(),
            session.client(),
            account.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(name) = (*renaming).clone() else {
                return;
            };
            state.dispatch(AccountsAction::RowStarted(account.id.clone()));
            let (renaming, state, list, client, account) = (
                renaming.clone(),
                state.clone(),
                list.clone(),
                client.clone(),
                account.clone(),
            );
            spawn_local(async move {
                let who = format!("{} ({})", account.display_name, account.username);
                state.dispatch(match service::rename(&client, &account.id, &name).await {
                    Ok(Change::Done { account: row, .. }) => {
                        renaming.set(None);
                        let changed = row.account.clone();
                        let message = format!(
                            "Đã đổi tên hiển thị của {who} thành {}.",
                            changed.display_name
                        );
                        list.edit(move |slice| saved(slice, row));
                        AccountsAction::RowDone {
                            account: changed,
                            password: None,
                            message,
                        }
                    }
                    Ok(Change::Refused(errors)) => AccountsAction::RowRefused {
                        id: account.id.clone(),
                        message: format!(
                            "Chưa đổi được tên hiển thị của {who}: {}",
                            errors.general(&[]).join(" ")
                        ),
                    },
                    Err(error) => AccountsAction::RowRefused {
                        id: account.id.clone(),
                        message: format!("Chưa đổi được tên hiển thị của {who}: {error}"),
                    },
                });
            });
        })
    };
    let cancel_rename = {
        let renaming = renaming.clone();
        Callback::from(move |_: MouseEvent| renaming.set(None))
    };
    let ask = |change: RowChange| {
        let (state, account) = (state.clone(), account.clone());
        Callback::from(move |_: MouseEvent| {
            state.dispatch(AccountsAction::Ask(Pending {
                account: account.clone(),
                change,
            }));
        })
    };
    let onrole = {
        let (state, account) = (state.clone(), account.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let Some(role) = Role::from_key(&value).filter(|role| *role != account.role) else {
                return;
            };
            state.dispatch(AccountsAction::Ask(Pending {
                account: account.clone(),
                change: RowChange::Role(role),
            }));
        })
    };
    let notice = state
        .row_notice
        .as_ref()
        .filter(|notice| notice.id == account.id)
        .map(|notice| {
            let (class, role) = if notice.ok {
                ("notice success", "status")
            } else {
                ("notice error", "alert")
            };
            html! {
                <tr class="row-notice">
                    <td colspan={COLUMNS}><p class={class} role={role}>{ &notice.text }</p></td>
                </tr>
            }
        });
    let role_options = menu_roles(&props.row).into_iter().map(|role| {
        html! { <option value={role.key()} selected={account.role == role}>{ role.label() }</option> }
    });
    // A new key draws the menu afresh, back on the saved role.
    let menu_key = format!("{}-{}", account.role.key(), state.role_menus);
    let last_login = account.last_login_at.as_deref().map_or_else(
        || "Chưa đăng nhập".to_owned(),
        |at| format!("Đăng nhập gần nhất: {}", text::format_datetime(at)),
    );
    let status = if account.active {
        "Đang hoạt động"
    } else {
        "Đã vô hiệu hóa"
    };
    let toggle = if account.active {
        can.disable
            .then_some(("Vô hiệu hóa", RowChange::Active(false)))
    } else {
        can.enable
            .then_some(("Kích hoạt lại", RowChange::Active(true)))
    };
    let toggle = toggle.map(|(label, change)| {
        html! {
            <button type="button" class="outline secondary" onclick={ask(change)} disabled={busy}>
                { label }
            </button>
        }
    });
    let reset = can.reset_password.then(|| {
        html! {
            <button type="button" class="outline" onclick={ask(RowChange::ResetPassword)}
                disabled={busy}>
                { "Đặt lại mật khẩu" }
            </button>
        }
    });
    let rename_button = (can.update && renaming.is_none()).then(|| {
        html! {
            <button type="button" class="outline secondary" onclick={rename} disabled={busy}>
                { "Đổi tên" }
            </button>
        }
    });
    let no_action = toggle.is_none() && reset.is_none() && rename_button.is_none();
    html! {
        <>
            <tr class={classes!((!account.active).then_some("inactive"))}>
                <td class="who" data-label="Tài khoản">
                    if let Some(name) = &*renaming {
                        <form class="rename" onsubmit={save_name}>
                            <label for={format!("name-{}", account.id)} class="visually-hidden">
                                { format!("Tên hiển thị mới của {}", account.username) }
                            </label>
                            <input id={format!("name-{}", account.id)} value={name.clone()}
                                oninput={onname} required=true />
                            <button type="submit" disabled={busy || name.trim().is_empty()}>{ "Lưu" }</button>
                            <button type="button" class="secondary" onclick={cancel_rename}>{ "Hủy" }</button>
                        </form>
                    } else {
                        <strong>{ &account.display_name }</strong>
                    }
                    <small class="username">{ &account.username }</small>
                    if account.must_change_password {
                        <small class="badge">{ "Chưa đổi mật khẩu dùng một lần" }</small>
                    }
                </td>
                <td class="unit" data-label="Đơn vị">{ &account.unit.full_name }</td>
                <td data-label="Vai trò">
                    <select key={menu_key} aria-label={format!("Vai trò của {}", account.username)}
                        onchange={onrole} disabled={!can.change_role || busy}>
                        { for role_options }
                    </select>
                </td>
                <td class="status" data-label="Trạng thái">
                    <span class="state">{ status }</span>
                    <small>{ last_login }</small>
                </td>
                <td data-label="Thao tác">
                    <div class="row-actions" aria-busy={busy.then_some("true")}>
                        { for rename_button }
                        { for toggle }
                        { for reset }
                        if no_action {
                            <small>{ "—" }</small>
                        }
                    </div>
                </td>
            </tr>
            { for notice }
        </>
    }
}

/// The roles the menu offers: those the account may be given, and always the one it has
/// (shown, even when it may not keep it).
fn menu_roles(row: &ListedAccount) -> Vec<Role> {
    let current = row.account.role;
    let mut roles = row.viewer_can.assignable_roles.clone();
    if !roles.contains(&current) {
        roles.push(current);
    }
    roles.sort_by_key(|role| Role::ALL.iter().position(|r| r == role));
    roles
}

#[cfg(test)]
mod tests {
    use super::super::state::tests::account;
    use super::*;
    use crate::models::AccountPermissions;

    #[test]
    fn the_menu_offers_the_assignable_roles_and_shows_the_current_one() {
        let row = |roles: &[Role]| ListedAccount {
            account: account("1", true),
            viewer_can: AccountPermissions {
                change_role: !roles.is_empty(),
                assignable_roles: roles.to_vec(),
                ..AccountPermissions::default()
            },
        };
        assert_eq!(
            menu_roles(&row(&[Role::Viewer, Role::Operator])),
            [Role::Operator, Role::Viewer]
        );
        assert_eq!(menu_roles(&row(&[])), [Role::Operator]);
    }
}
