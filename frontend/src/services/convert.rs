//! From the per-operation types `graphql_client` generates to the app's models. Each
//! operation module has its own copy of the schema's enums and of the fragments it uses, so
//! the conversions are stamped out once per module.

use crate::models::{
    Account, AccountPermissions, Level, ListedAccount, PageBadge, Person, Role, Unit, UserError,
};

use super::ops::{
    accounts, change_password, coverage_missing, create_account, create_person, dashboard, login,
    page_detail, page_draft, page_list, people, refresh_session, report_detail, report_page,
    reporting_rounds, reset_password, round_detail, set_account_active, unit_screen, unit_search,
    unit_summary, update_account,
};

/// `Role` and `UnitLevel` of an operation module into the app's. A value newer than this
/// build falls back to the least privilege / the lowest tier.
macro_rules! enums_from {
    ($($module:ident),*) => {$(
        impl From<$module::Role> for Role {
            fn from(role: $module::Role) -> Self {
                match role {
                    $module::Role::ADMIN => Self::Admin,
                    $module::Role::OPERATOR => Self::Operator,
                    _ => Self::Viewer,
                }
            }
        }
        impl From<$module::UnitLevel> for Level {
            fn from(level: $module::UnitLevel) -> Self {
                level_from!($module, level)
            }
        }
    )*};
}

macro_rules! level_from {
    ($module:ident, $level:expr) => {
        match $level {
            $module::UnitLevel::CENTRAL => Level::Central,
            $module::UnitLevel::PROVINCE => Level::Province,
            $module::UnitLevel::DISTRICT => Level::District,
            _ => Level::Commune,
        }
    };
}

/// The account fragment of an operation module (`$fragment`).
macro_rules! account_from {
    ($($module:ident :: $fragment:ident),*) => {$(
        impl From<$module::$fragment> for Account {
            fn from(a: $module::$fragment) -> Self {
                Self {
                    id: a.id,
                    username: a.username,
                    display_name: a.display_name,
                    role: a.role.into(),
                    active: a.active,
                    must_change_password: a.must_change_password,
                    created_at: a.created_at,
                    last_login_at: a.last_login_at,
                    unit: a.unit.into(),
                }
            }
        }
    )*};
}

/// The account fragment of an operation module that asks what the viewer may do to it.
macro_rules! listed_account_from {
    ($($module:ident :: $fragment:ident),*) => {$(
        impl From<$module::$fragment> for ListedAccount {
            fn from(a: $module::$fragment) -> Self {
                let can = a.viewer_can;
                Self {
                    viewer_can: AccountPermissions {
                        update: can.update,
                        change_role: can.change_role,
                        assignable_roles: can.assignable_roles.into_iter().map(Into::into).collect(),
                        disable: can.disable,
                        enable: can.enable,
                        reset_password: can.reset_password,
                    },
                    account: Account {
                        id: a.id,
                        username: a.username,
                        display_name: a.display_name,
                        role: a.role.into(),
                        active: a.active,
                        must_change_password: a.must_change_password,
                        created_at: a.created_at,
                        last_login_at: a.last_login_at,
                        unit: a.unit.into(),
                    },
                }
            }
        }
    )*};
}

/// The `userErrors` item type of an operation module.
macro_rules! user_errors_from {
    ($($ty:path),*) => {$(
        impl From<$ty> for UserError {
            fn from(e: $ty) -> Self {
                Self { field: e.field, message: e.message, code: e.code }
            }
        }
    )*};
}

enums_from!(
    login,
    refresh_session,
    change_password,
    accounts,
    create_account,
    update_account,
    set_account_active,
    reset_password,
    unit_summary
);

account_from!(
    login::AccountFields,
    refresh_session::AccountFields,
    change_password::AccountFields
);

listed_account_from!(
    accounts::AccountRow,
    create_account::AccountRow,
    update_account::AccountRow,
    set_account_active::AccountRow,
    reset_password::AccountRow
);

user_errors_from!(
    login::LoginLoginUserErrors,
    refresh_session::RefreshSessionRefreshSessionUserErrors,
    change_password::ChangePasswordChangePasswordUserErrors,
    create_account::CreateAccountCreateAccountUserErrors,
    update_account::UpdateAccountUpdateAccountUserErrors,
    set_account_active::SetAccountActiveSetAccountActiveUserErrors,
    reset_password::ResetPasswordResetPasswordUserErrors,
    report_page::ReportPageResultUserErrors,
    create_person::CreatePersonResultUserErrors
);

/// `UnitLevel` of the unit-only operation modules.
macro_rules! levels_from {
    ($($module:ident),*) => {$(
        impl From<$module::UnitLevel> for Level {
            fn from(level: $module::UnitLevel) -> Self {
                level_from!($module, level)
            }
        }
    )*};
}

/// The `UnitFields` fragment of an operation module: every unit the app shows.
macro_rules! unit_from {
    ($($module:ident),*) => {$(
        impl From<$module::UnitFields> for Unit {
            fn from(u: $module::UnitFields) -> Self {
                Self {
                    code: u.code,
                    full_name: u.full_name,
                    committee_name: u.committee_name,
                    level: u.level.into(),
                }
            }
        }
    )*};
}

levels_from!(
    unit_screen,
    unit_search,
    page_detail,
    page_draft,
    people,
    page_list,
    dashboard,
    coverage_missing,
    reporting_rounds,
    round_detail,
    report_detail
);

unit_from!(
    login,
    refresh_session,
    change_password,
    accounts,
    create_account,
    update_account,
    set_account_active,
    reset_password,
    unit_screen,
    unit_search,
    unit_summary,
    page_detail,
    page_draft,
    people,
    page_list,
    dashboard,
    coverage_missing,
    reporting_rounds,
    round_detail,
    report_detail
);

/// The `PageBadge` fragment of the unit screens.
macro_rules! badge_from {
    ($($module:ident),*) => {$(
        impl From<$module::PageBadge> for PageBadge {
            fn from(p: $module::PageBadge) -> Self {
                Self { id: p.id, status_label: p.status_label, url: p.url }
            }
        }
    )*};
}

badge_from!(unit_screen, unit_search);

/// The `PersonFields` fragment of an operation module.
macro_rules! person_from {
    ($($module:ident),*) => {$(
        impl From<$module::PersonFields> for Person {
            fn from(p: $module::PersonFields) -> Self {
                Self {
                    id: p.id,
                    full_name: p.full_name,
                    position: p.position,
                    phone: p.phone,
                    email: p.email,
                    version: p.version,
                    removed: p.removed,
                }
            }
        }
    )*};
}

person_from!(people, page_detail);
