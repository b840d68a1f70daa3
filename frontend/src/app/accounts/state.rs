//! The accounts screen's state: the search typed, the create form, the password to hand
//! over, and the change to one account waiting for confirmation or running.

use std::rc::Rc;

use yew::prelude::*;

use crate::models::{Account, FieldErrors, Role};
use crate::services::accounts::NewAccount;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftField {
    Username,
    DisplayName,
    Role,
    Password,
}

/// A change to one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowChange {
    Role(Role),
    Active(bool),
    ResetPassword,
}

/// A change the admin asked for, to confirm (or running once confirmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The account as it is before the change.
    pub account: Account,
    pub change: RowChange,
}

/// "Nguyễn Thị Dân (xa.tamdan)".
fn who(account: &Account) -> String {
    format!("{} ({})", account.display_name, account.username)
}

impl Pending {
    /// The question to confirm, what the change means, and the confirming button's label.
    pub fn question(&self) -> (String, Vec<String>, &'static str) {
        let account = &self.account;
        let who = who(account);
        match self.change {
            RowChange::Role(role) => (
                format!(
                    "Đổi vai trò của {who} từ {} thành {}?",
                    account.role.label(),
                    role.label()
                ),
                vec![role.allows(&account.unit.full_name)],
                "Đổi vai trò",
            ),
            RowChange::Active(false) => (
                format!("Vô hiệu hóa tài khoản của {who}?"),
                vec![
                    "Cán bộ sẽ không đăng nhập được nữa và các phiên đang mở kết thúc ngay. \
                     Có thể kích hoạt lại sau."
                        .to_owned(),
                ],
                "Vô hiệu hóa",
            ),
            RowChange::Active(true) => (
                format!("Kích hoạt lại tài khoản của {who}?"),
                vec![format!(
                    "Cán bộ sẽ đăng nhập lại được, với vai trò {}.",
                    account.role.label()
                )],
                "Kích hoạt lại",
            ),
            RowChange::ResetPassword => (
                format!("Đặt lại mật khẩu của {who}?"),
                vec![
                    "Mật khẩu cũ sẽ không dùng được nữa. Hệ thống tạo một mật khẩu dùng một lần \
                     để bạn chuyển cho cán bộ; họ phải đổi mật khẩu khi đăng nhập."
                        .to_owned(),
                ],
                "Đặt lại mật khẩu",
            ),
        }
    }

    /// What is shown once the server made the change; `saved` is the account it answered.
    pub fn done(&self, saved: &Account) -> String {
        let who = who(saved);
        match self.change {
            RowChange::Role(_) => format!(
                "Đã đổi vai trò của {who} từ {} thành {}.",
                self.account.role.label(),
                saved.role.label()
            ),
            RowChange::Active(false) => format!("Đã vô hiệu hóa tài khoản của {who}."),
            RowChange::Active(true) => format!("Đã kích hoạt lại tài khoản của {who}."),
            RowChange::ResetPassword => format!("Đã đặt lại mật khẩu của {who}."),
        }
    }

    /// What is shown when the change was refused or failed, with the reason.
    pub fn failed(&self, reason: &str) -> String {
        let what = match self.change {
            RowChange::Role(_) => "Chưa đổi được vai trò",
            RowChange::Active(false) => "Chưa vô hiệu hóa được tài khoản",
            RowChange::Active(true) => "Chưa kích hoạt lại được tài khoản",
            RowChange::ResetPassword => "Chưa đặt lại được mật khẩu",
        };
        let reason = if reason.trim().is_empty() {
            "Vui lòng thử lại."
        } else {
            reason.trim()
        };
        format!("{what} của {}: {reason}", who(&self.account))
    }
}

/// The outcome of the last change to a row, shown under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowNotice {
    pub id: String,
    pub ok: bool,
    pub text: String,
}

/// A password to hand over once: to whom, and the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    pub title: String,
    pub password: String,
}

/// The accounts screen's state, but for the list itself (the list hook's).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountsState {
    pub search: String,
    /// Only accounts of this role; `None`: every role.
    pub role_filter: Option<Role>,
    pub form_open: bool,
    pub draft: NewAccount,
    pub form_errors: FieldErrors,
    pub creating: bool,
    pub secret: Option<Secret>,
    /// The change waiting for the admin's confirmation.
    pub pending: Option<Pending>,
    /// The account a change is running on.
    pub row_busy: Option<String>,
    pub row_notice: Option<RowNotice>,
    /// Bumped to redraw the role menus from the saved roles, after a role change was
    /// cancelled or refused (the menu still shows the role picked).
    pub role_menus: u32,
}

pub enum AccountsAction {
    Search(String),
    FilterRole(Option<Role>),
    ToggleForm,
    Edit(DraftField, String),
    CreateStarted,
    CreateInvalid(FieldErrors),
    Created {
        account: Account,
        password: Option<String>,
    },
    Ask(Pending),
    Cancel,
    RowStarted(String),
    RowDone {
        account: Account,
        password: Option<String>,
        message: String,
    },
    RowRefused {
        id: String,
        message: String,
    },
    CloseSecret,
}

impl AccountsState {
    fn created(&mut self, account: Account, password: Option<String>) {
        self.creating = false;
        self.form_open = false;
        self.draft = NewAccount::default();
        self.secret = password.map(|password| Secret {
            title: format!("Đã tạo tài khoản {}", account.username),
            password,
        });
    }

    fn row_done(&mut self, account: Account, password: Option<String>, message: String) {
        self.row_busy = None;
        self.row_notice = Some(RowNotice {
            id: account.id.clone(),
            ok: true,
            text: message,
        });
        if let Some(password) = password {
            self.secret = Some(Secret {
                title: format!("Đã đặt lại mật khẩu cho {}", account.username),
                password,
            });
        }
    }
}

impl Reducible for AccountsState {
    type Action = AccountsAction;

    fn reduce(self: Rc<Self>, action: AccountsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            AccountsAction::Search(text) => next.search = text,
            AccountsAction::FilterRole(role) => next.role_filter = role,
            AccountsAction::ToggleForm => {
                next.form_open = !next.form_open;
                next.form_errors = FieldErrors::default();
            }
            AccountsAction::Edit(field, value) => match field {
                DraftField::Username => next.draft.username = value,
                DraftField::DisplayName => next.draft.display_name = value,
                DraftField::Role => next.draft.role = Role::from_key(&value),
                DraftField::Password => next.draft.password = value,
            },
            AccountsAction::CreateStarted => {
                next.creating = true;
                next.form_errors = FieldErrors::default();
            }
            AccountsAction::CreateInvalid(errors) => {
                next.creating = false;
                next.form_errors = errors;
            }
            AccountsAction::Created { account, password } => next.created(account, password),
            AccountsAction::Ask(pending) => {
                next.pending = Some(pending);
                next.row_notice = None;
            }
            AccountsAction::Cancel => {
                next.pending = None;
                next.role_menus += 1;
            }
            AccountsAction::RowStarted(id) => {
                next.pending = None;
                next.row_busy = Some(id);
                next.row_notice = None;
            }
            AccountsAction::RowDone {
                account,
                password,
                message,
            } => next.row_done(account, password, message),
            AccountsAction::RowRefused { id, message } => {
                next.row_busy = None;
                next.row_notice = Some(RowNotice {
                    id,
                    ok: false,
                    text: message,
                });
                next.role_menus += 1;
            }
            AccountsAction::CloseSecret => next.secret = None,
        }
        Rc::new(next)
    }
}

/// A callback that sends `action` to the screen's state.
pub fn dispatcher<T: 'static>(
    state: &UseReducerHandle<AccountsState>,
    action: impl Fn() -> AccountsAction + 'static,
) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |_| state.dispatch(action()))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::models::{Level, Unit};

    pub fn account(id: &str, active: bool) -> Account {
        Account {
            id: id.to_owned(),
            username: format!("user.{id}"),
            display_name: "Nguyễn Văn A".to_owned(),
            role: Role::Operator,
            active,
            must_change_password: false,
            created_at: "2026-11-26T07:00:00Z".to_owned(),
            last_login_at: None,
            unit: Unit {
                code: "20392".to_owned(),
                full_name: "Xã Tam Dân".to_owned(),
                committee_name: "Ban Thường trực UBMTTQ xã Tam Dân".to_owned(),
                level: Level::Commune,
            },
        }
    }

    #[test]
    fn a_created_account_shows_its_password_once() {
        let state = Rc::new(AccountsState::default())
            .reduce(AccountsAction::ToggleForm)
            .reduce(AccountsAction::Created {
                account: account("2", true),
                password: Some("Mk-123".to_owned()),
            });
        assert!(!state.form_open);
        assert_eq!(
            state.secret.as_ref().map(|s| s.password.as_str()),
            Some("Mk-123")
        );
        let closed = state.reduce(AccountsAction::CloseSecret);
        assert_eq!(closed.secret, None);
    }

    #[test]
    fn a_row_change_done_frees_the_row_and_says_so() {
        let state = Rc::new(AccountsState::default())
            .reduce(AccountsAction::RowStarted("2".to_owned()))
            .reduce(AccountsAction::RowDone {
                account: account("2", false),
                password: None,
                message: "Đã vô hiệu hóa tài khoản của Nguyễn Văn A (user.2).".to_owned(),
            });
        assert_eq!(state.row_busy, None);
        assert!(
            state
                .row_notice
                .as_ref()
                .is_some_and(|n| n.ok && n.id == "2")
        );
    }

    #[test]
    fn a_role_change_says_from_what_to_what_and_what_an_admin_may_do() {
        let pending = Pending {
            account: account("7", true),
            change: RowChange::Role(Role::Admin),
        };
        let (question, details, label) = pending.question();
        assert_eq!(
            question,
            "Đổi vai trò của Nguyễn Văn A (user.7) từ Cán bộ vận hành thành Quản trị?"
        );
        assert!(details[0].contains("quản lý mọi tài khoản của Xã Tam Dân"));
        assert_eq!(label, "Đổi vai trò");
        let saved = Account {
            role: Role::Admin,
            ..account("7", true)
        };
        assert_eq!(
            pending.done(&saved),
            "Đã đổi vai trò của Nguyễn Văn A (user.7) từ Cán bộ vận hành thành Quản trị."
        );
    }

    #[test]
    fn disabling_is_never_called_locking() {
        for change in [RowChange::Active(false), RowChange::Active(true)] {
            let pending = Pending {
                account: account("7", change == RowChange::Active(true)),
                change,
            };
            let (question, details, label) = pending.question();
            let said = format!("{question} {} {label}", details.join(" "));
            assert!(!said.to_lowercase().contains("khóa"), "{said}");
        }
        let disable = Pending {
            account: account("7", true),
            change: RowChange::Active(false),
        };
        assert_eq!(disable.question().2, "Vô hiệu hóa");
        assert_eq!(
            disable.failed("Không có quyền."),
            "Chưa vô hiệu hóa được tài khoản của Nguyễn Văn A (user.7): Không có quyền."
        );
    }

    #[test]
    fn nothing_changes_until_confirmed_and_a_cancelled_role_menu_is_redrawn() {
        let asked = Rc::new(AccountsState::default()).reduce(AccountsAction::Ask(Pending {
            account: account("1", true),
            change: RowChange::Role(Role::Viewer),
        }));
        assert!(asked.pending.is_some());
        assert_eq!(asked.row_busy, None);
        let cancelled = asked.clone().reduce(AccountsAction::Cancel);
        assert_eq!(cancelled.pending, None);
        assert_eq!(cancelled.role_menus, asked.role_menus + 1);
        let refused = asked
            .reduce(AccountsAction::RowStarted("1".to_owned()))
            .reduce(AccountsAction::RowRefused {
                id: "1".to_owned(),
                message: "Chưa đổi được vai trò của …".to_owned(),
            });
        assert_eq!(refused.pending, None);
        let notice = refused.row_notice.as_ref().expect("a notice");
        assert!(!notice.ok);
        assert_eq!(
            refused.role_menus, 1,
            "the menu goes back to the saved role"
        );
    }
}
