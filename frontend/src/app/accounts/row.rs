//! One account in the list: who, where, the role menu, the state, and the actions the API
//! says the officer may take on it; the outcome of the last change shown under it.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::state::{AccountsAction, AccountsState, Pending, RowChange};
use crate::models::{ListedAccount, Role};
use crate::text;

/// How many columns the accounts table has (a row's notice spans them all).
pub const COLUMNS: &str = "5";

#[derive(Properties, PartialEq)]
pub struct AccountRowProps {
    pub state: UseReducerHandle<AccountsState>,
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
    let no_action = toggle.is_none() && reset.is_none();
    html! {
        <>
            <tr class={classes!((!account.active).then_some("inactive"))}>
                <td class="who" data-label="Tài khoản">
                    <strong>{ &account.display_name }</strong>
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
