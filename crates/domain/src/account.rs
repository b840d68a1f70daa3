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
        if length == 0 || length > Self::MAX || crate::text::has_hidden_characters(&name) {
            return Err(DomainError::InvalidDisplayName);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Password rules: 10–128 characters, not the username, and hard to guess.
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// Words that make a password easy to guess here, as they are typed without diacritics: the
/// estimator knows English words and names, not these.
const EASY_WORDS: &[&str] = &[
    "matkhau",
    "mat khau",
    "matran",
    "mattran",
    "mattrantoquoc",
    "mttq",
    "ubmttq",
    "uyban",
    "toquoc",
    "vietnam",
    "anhyeuem",
    "emyeuanh",
    "yeuem",
    "yeuanh",
    "tinhyeu",
    "hanhphuc",
    "binhan",
    "thanhcong",
    "giadinh",
    "doanket",
    "xinchao",
    "chaoban",
    "bacho",
    "hochiminh",
    "hanoi",
    "saigon",
    "danang",
    "quangnam",
    "tamky",
    "hoian",
    "haiphong",
    "cantho",
    "nguyen",
    "tran",
    "pham",
    "hoang",
    "huynh",
    "phan",
    "dang",
    "ngoc",
    "thanh",
    "minh",
    "quantri",
    "quantrivien",
    "canbo",
    "vanhanh",
    "tinh",
    "huyen",
    "phuong",
    "thitran",
    "thanhpho",
    "thixa",
    "trangcongdong",
    "congdong",
    "facebook",
    "fanpage",
    "zalo",
];

/// Checks a new password against the rules. `context` holds what else an attacker would try
/// first for this account: its display name, the names of its unit and the units above.
pub fn check_new_password(
    password: &str,
    username: &Username,
    context: &[&str],
) -> Result<(), DomainError> {
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
    let mut inputs: Vec<String> = vec![username.as_str().to_owned()];
    inputs.extend(
        username
            .as_str()
            .split(['.', '_', '-'])
            .filter(|part| part.len() > 2)
            .map(str::to_owned),
    );
    for text in context {
        let folded = crate::text::fold(text);
        inputs.push(folded.replace(' ', ""));
        inputs.extend(folded.split(' ').filter(|w| w.len() > 2).map(str::to_owned));
    }
    let mut inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    inputs.extend(EASY_WORDS);
    // Diacritics typed or not, "Mậtkhẩu" is as easy to guess as "matkhau".
    let folded = crate::text::fold(password);
    let weakest = [password, folded.as_str()]
        .into_iter()
        .map(|p| zxcvbn::zxcvbn(p, &inputs))
        .min_by_key(|e| u8::from(e.score()))
        .expect("two estimates");
    if u8::from(weakest.score()) < 3 {
        let reason = weakest
            .feedback()
            .and_then(zxcvbn::feedback::Feedback::warning)
            .map_or("dễ đoán", weakness);
        return Err(DomainError::PasswordTooWeak(reason.to_owned()));
    }
    Ok(())
}

/// Why the estimator found a password easy, in the words an officer reads.
fn weakness(warning: zxcvbn::feedback::Warning) -> &'static str {
    use zxcvbn::feedback::Warning;
    match warning {
        Warning::StraightRowsOfKeysAreEasyToGuess
        | Warning::ShortKeyboardPatternsAreEasyToGuess => "là một dãy phím liền nhau trên bàn phím",
        Warning::RepeatsLikeAaaAreEasyToGuess
        | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => "lặp lại ký tự hoặc cụm ký tự",
        Warning::ThisIsATop10Password
        | Warning::ThisIsATop100Password
        | Warning::ThisIsACommonPassword
        | Warning::ThisIsSimilarToACommonlyUsedPassword => "là mật khẩu rất phổ biến",
        Warning::SequencesLikeAbcAreEasyToGuess => "là một dãy tuần tự như abc hoặc 1234",
        Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess => {
            "chứa năm hoặc ngày tháng"
        }
        Warning::AWordByItselfIsEasyToGuess => {
            "chỉ là một từ thông dụng, tên đăng nhập hoặc tên đơn vị"
        }
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
        | Warning::CommonNamesAndSurnamesAreEasyToGuess => "chỉ là họ tên",
    }
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
    /// When disabled: the unit whose admin disabled it. Only that unit's admins, or those of
    /// a unit above, may enable it again.
    pub disabled_by: Option<UnitPath>,
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
        for hidden in ["Nguyễn\u{202E}Văn A", "Nguyễn\u{200B}Văn", "A\u{2066}B"] {
            assert_eq!(
                DisplayName::parse(hidden),
                Err(DomainError::InvalidDisplayName),
                "{hidden:?}"
            );
        }
        let hangul = "한".repeat(100);
        assert!(DisplayName::parse(&hangul).is_ok());
    }

    #[test]
    fn passwords_follow_the_rules() {
        let user = Username::parse("huyen.phuninh").expect("valid");
        let check = |p: &str| check_new_password(p, &user, &["Huyện Phú Ninh", "Tỉnh Quảng Nam"]);
        assert_eq!(check("short"), Err(DomainError::PasswordTooShort));
        assert_eq!(check(&"x".repeat(129)), Err(DomainError::PasswordTooLong));
        assert_eq!(check("HUYEN.PHUNINH"), Err(DomainError::PasswordIsUsername));
        assert_eq!(check("Ngựa vằn ăn cỏ bên bờ sông Thu Bồn"), Ok(()));
        assert_eq!(check("k7#Vq2!mZp9x"), Ok(()));
    }

    #[test]
    fn easy_passwords_are_refused_with_a_reason() {
        let user = Username::parse("huyen.phuninh").expect("valid");
        let context = ["Nguyễn Văn An", "Huyện Phú Ninh", "Tỉnh Quảng Nam"];
        for easy in [
            "12345678910",
            "password123",
            "qwertyuiop",
            "matkhau123",
            "Mậtkhẩu2024",
            "phuninh2024",
            "PhuNinh@123",
            "quangnam123",
            "anhyeuem123",
            "aaaaaaaaaaaa",
            "nguyenvanan1",
        ] {
            let verdict = check_new_password(easy, &user, &context);
            assert!(
                matches!(verdict, Err(DomainError::PasswordTooWeak(_))),
                "{easy}: {verdict:?}"
            );
        }
        let Err(e) = check_new_password("12345678910", &user, &context) else {
            panic!("weak");
        };
        assert!(e.to_string().starts_with("Mật khẩu quá dễ đoán:"), "{e}");
        assert_eq!(e.code(), "PASSWORD_TOO_WEAK");
    }

    #[test]
    fn roles_are_ordered_and_parse_in_any_case() {
        assert!(Role::Viewer < Role::Operator && Role::Operator < Role::Admin);
        assert_eq!("ADMIN".parse::<Role>(), Ok(Role::Admin));
        assert!("root".parse::<Role>().is_err());
    }
}
