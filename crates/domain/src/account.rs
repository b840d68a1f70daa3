//! Accounts: who may sign in, at which unit, with which role.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use crate::DomainError;
use crate::unit::UnitPath;

/// What an account may do at its unit. Ordered: `Viewer < Operator < Admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Reads the unit's subtree.
    Viewer,
    /// Also writes its own unit's objects: pages, staff, posts.
    Operator,
    /// Also manages the accounts of its subtree and approves what its children submit.
    Admin,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Viewer, Self::Operator, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Operator => "operator",
            Self::Admin => "admin",
        }
    }

    /// The Vietnamese name an officer reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Viewer => "Chỉ xem",
            Self::Operator => "Cán bộ vận hành",
            Self::Admin => "Quản trị",
        }
    }
}

impl FromStr for Role {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == lower)
            .ok_or_else(|| DomainError::UnknownRole(s.to_owned()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sign-in name: 3–64 of a-z 0-9 `.` `_` `-`, compared case-insensitively (stored lower-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    pub const MIN: usize = 3;
    pub const MAX: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = raw.trim().to_ascii_lowercase();
        let valid = (Self::MIN..=Self::MAX).contains(&name.len())
            && name.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            });
        if valid {
            Ok(Self(name))
        } else {
            Err(DomainError::InvalidUsername)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name shown for an account: 1–100 characters, trimmed, NFC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name: String = raw
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .nfc()
            .collect();
        let length = name.chars().count();
        if length == 0 || length > Self::MAX || name.chars().any(char::is_control) {
            return Err(DomainError::InvalidDisplayName);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Password rules: 8–128 characters, not the username.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// Checks a new password against the rules.
pub fn check_new_password(password: &str, username: &Username) -> Result<(), DomainError> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Err(DomainError::PasswordTooShort);
    }
    if length > PASSWORD_MAX {
        return Err(DomainError::PasswordTooLong);
    }
    if password.trim().eq_ignore_ascii_case(username.as_str()) {
        return Err(DomainError::PasswordIsUsername);
    }
    Ok(())
}

/// An account as the rest of the system sees it (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: Uuid,
    pub username: Username,
    pub display_name: String,
    pub unit_id: Uuid,
    pub role: Role,
    pub active: bool,
    pub must_change_password: bool,
    pub token_version: i32,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// Who is acting: an account, at its unit, with its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Uuid,
    pub unit_path: UnitPath,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_to_lower_case_and_checked() {
        assert_eq!(
            Username::parse(" Tinh.QuangNam ").map(|u| u.0),
            Ok("tinh.quangnam".to_owned())
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse(&"a".repeat(65)).is_err());
        assert!(Username::parse(&"a".repeat(64)).is_ok());
        for bad in ["có dấu", "a b", "a@b", "tên", "x;drop"] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
        assert!(Username::parse("xa.tam-dan_2").is_ok());
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Nguyễn   Văn A ").map(|d| d.0),
            Ok("Nguyễn Văn A".to_owned())
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"a".repeat(101)).is_err());
        assert!(DisplayName::parse("a\u{0007}b").is_err());
    }

    #[test]
    fn passwords_follow_the_rules() {
        let user = Username::parse("huyen.phuninh").expect("valid");
        assert_eq!(
            check_new_password("short", &user),
            Err(DomainError::PasswordTooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), &user),
            Err(DomainError::PasswordTooLong)
        );
        assert_eq!(
            check_new_password("HUYEN.PHUNINH", &user),
            Err(DomainError::PasswordIsUsername)
        );
        assert_eq!(check_new_password("mật khẩu dài", &user), Ok(()));
    }

    #[test]
    fn roles_are_ordered_and_parse_in_any_case() {
        assert!(Role::Viewer < Role::Operator && Role::Operator < Role::Admin);
        assert_eq!("ADMIN".parse::<Role>(), Ok(Role::Admin));
        assert!("root".parse::<Role>().is_err());
    }
}
