//! The app's own view of the API's objects, independent of the per-operation types
//! `graphql_client` generates (each operation gets its own copy of `Role`, `Account`, …).

/// What an account may do in its subtree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    Operator,
    Viewer,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Admin, Self::Operator, Self::Viewer];

    /// The name officers use for the role.
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Quản trị",
            Self::Operator => "Cán bộ vận hành",
            Self::Viewer => "Chỉ xem",
        }
    }

    /// The value used in form controls.
    pub fn key(self) -> &'static str {
        match self {
            Self::Admin => "ADMIN",
            Self::Operator => "OPERATOR",
            Self::Viewer => "VIEWER",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.key() == key)
    }

    /// What an account with this role may do, acting at `unit` ("Huyện Phú Ninh"): told
    /// before an admin gives the role to someone.
    pub fn allows(self, unit: &str) -> String {
        match self {
            Self::Admin => format!(
                "Quản trị được quản lý mọi tài khoản của {unit} và các đơn vị trực thuộc \
                 (tạo tài khoản, đổi vai trò, vô hiệu hóa, đặt lại mật khẩu), xác minh trang \
                 và phát động chiến dịch tuyên truyền."
            ),
            Self::Operator => format!(
                "Cán bộ vận hành được cập nhật trang, cán bộ phụ trách và bài đăng của {unit}, \
                 và xem các đơn vị trực thuộc."
            ),
            Self::Viewer => format!(
                "Chỉ xem: xem được thông tin của {unit} và các đơn vị trực thuộc, \
                 không thay đổi được gì."
            ),
        }
    }
}

/// Tier of an administrative unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Central,
    Province,
    District,
    Commune,
}

impl Level {
    /// The breadcrumb label of the tier.
    pub fn label(self) -> &'static str {
        match self {
            Self::Central => "Trung ương",
            Self::Province => "Tỉnh",
            Self::District => "Huyện",
            Self::Commune => "Xã",
        }
    }
}

/// A unit as the app shows it. Its names come from the API, which owns the naming rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    /// "Huyện Phú Ninh", "Thành phố Đà Nẵng".
    pub full_name: String,
    /// "Ban Thường trực UBMTTQ huyện Phú Ninh".
    pub committee_name: String,
    pub level: Level,
}

/// What the viewer may do at a unit, as the API decides it (`Unit.viewerCan`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per permission, as the API answers them"
)]
pub struct UnitPermissions {
    /// Open the accounts of the unit and below.
    pub read_accounts: bool,
    /// See the audit trail of the unit and below.
    pub read_audit: bool,
    pub create_account: bool,
    /// The roles an account created here may get; empty when none may be created.
    pub assignable_roles: Vec<Role>,
    /// Change the unit's own records (its page, its officers).
    pub write: bool,
}

/// A unit's page as a list shows it: its status as officers read it, and its link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageBadge {
    pub id: String,
    /// "Đã báo cáo", as the API words it.
    pub status_label: String,
    pub url: Option<String>,
}

/// What the viewer may do to an account, as the API decides it (`Account.viewerCan`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per action, as the API answers them"
)]
pub struct AccountPermissions {
    /// Change its display name.
    pub update: bool,
    pub change_role: bool,
    /// The roles the account may be given, its current one included when it may keep it.
    pub assignable_roles: Vec<Role>,
    pub disable: bool,
    pub enable: bool,
    pub reset_password: bool,
}

/// A page status as the API lists it (`Query.pageStatuses`): its name, as the API's
/// `PageStatus` enum spells it ("REPORTED"), and its label ("Đã báo cáo").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusOption {
    pub status: String,
    pub label: String,
}

/// The label of `value` when it is the name of a status in `statuses`.
pub fn status_label<'a>(statuses: &'a [StatusOption], value: &str) -> Option<&'a str> {
    statuses
        .iter()
        .find(|s| s.status == value)
        .map(|s| s.label.as_str())
}

/// An officer (cán bộ) of a unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub full_name: String,
    /// Chức vụ.
    pub position: String,
    pub phone: String,
    pub email: Option<String>,
    pub version: i64,
    /// Taken off the unit's list (still named in the assignment history).
    pub removed: bool,
}

/// A proposed page name checked by the API against the prescribed one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameCheck {
    pub conforms: bool,
    pub expected: String,
    /// What is wrong, in Vietnamese; empty when the name conforms.
    pub problems: Vec<String>,
}

/// A signed-in officer's account, or one in the accounts list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: String,
    pub last_login_at: Option<String>,
    pub unit: Unit,
}

/// An account in the accounts list, with what the viewer may do to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedAccount {
    pub account: Account,
    pub viewer_can: AccountPermissions,
}

/// A validation problem the API reports in a mutation payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserError {
    /// The input field it is about ("password"), or `None` for the form as a whole.
    pub field: Option<String>,
    pub message: String,
    pub code: String,
}

impl UserError {
    pub fn new(field: Option<&str>, message: &str, code: &str) -> Self {
        Self {
            field: field.map(str::to_owned),
            message: message.to_owned(),
            code: code.to_owned(),
        }
    }
}

/// The user errors of one form submission, looked up by field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<UserError>);

impl FieldErrors {
    /// The message to show beside this input, if any.
    pub fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|e| e.field.as_deref() == Some(field))
            .map(|e| e.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    /// Messages about no field the form shows: shown above the form. `fields` are the
    /// inputs the form has, so an error about an unexpected field is not lost.
    pub fn general(&self, fields: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|e| e.field.as_deref().is_none_or(|f| !fields.contains(&f)))
            .map(|e| e.message.clone())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_found_by_field_and_the_rest_is_general() {
        let errors = FieldErrors(vec![
            UserError::new(Some("password"), "Mật khẩu quá ngắn.", "TOO_SHORT"),
            UserError::new(None, "Không lưu được.", "X"),
            UserError::new(Some("unitCode"), "Đơn vị không hợp lệ.", "Y"),
        ]);
        assert_eq!(
            errors.get("password").as_deref(),
            Some("Mật khẩu quá ngắn.")
        );
        assert_eq!(errors.get("username"), None);
        assert_eq!(
            errors.general(&["password", "username"]),
            vec!["Không lưu được.", "Đơn vị không hợp lệ."]
        );
    }

    #[test]
    fn a_status_name_reads_as_its_label_and_nothing_else_does() {
        let statuses = [StatusOption {
            status: "REPORTED".to_owned(),
            label: "Đã báo cáo".to_owned(),
        }];
        assert_eq!(status_label(&statuses, "REPORTED"), Some("Đã báo cáo"));
        assert_eq!(status_label(&statuses, "Đã báo cáo"), None);
        assert_eq!(status_label(&[], "REPORTED"), None);
    }

    #[test]
    fn roles_round_trip_through_their_keys() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::Operator.label(), "Cán bộ vận hành");
    }
}
