//! What is written about a person: their full name, their position (chức vụ) and their email
//! address, each checked and written one way.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::DomainError;

/// Trims, collapses runs of whitespace to one space and composes (NFC).
fn tidy(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

/// A person's full name (họ và tên): 2–100 characters, trimmed, single-spaced, NFC; letters,
/// with spaces, apostrophes (`H'Hen Niê`), hyphens and dots between them; no digits and no
/// hidden characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    pub const MIN: usize = 2;
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = tidy(raw);
        let length = name.chars().count();
        let valid = (Self::MIN..=Self::MAX).contains(&length)
            && !crate::text::has_hidden_characters(&name)
            && name.chars().any(char::is_alphabetic)
            // Not `is_alphabetic` alone: it holds for letter-numbers such as Ⅱ.
            && !name.chars().any(char::is_numeric)
            && name.chars().all(|c| {
                c.is_alphabetic()
                    || unicode_normalization::char::is_combining_mark(c)
                    || matches!(c, ' ' | '\'' | '\u{2019}' | '\u{02BC}' | '-' | '.')
            });
        if valid {
            Ok(Self(name))
        } else {
            Err(DomainError::InvalidPersonName)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A position (chức vụ), e.g. "Phó Chủ tịch Ủy ban MTTQ phường 12": 1–100 characters,
/// trimmed, single-spaced, NFC, no hidden characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Position(String);

impl Position {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let position = tidy(raw);
        let length = position.chars().count();
        if length == 0 || length > Self::MAX || crate::text::has_hidden_characters(&position) {
            return Err(DomainError::InvalidPosition);
        }
        Ok(Self(position))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, checked sanely rather than by the letter of RFC 5322: `local@domain`,
/// at most 254 characters, the local part (at most 64) of letters, digits and
/// ``!#$%&'*+/=?^_`{|}~-`` with single dots between them, the domain of at least two labels
/// of letters, digits and hyphens. The domain is lower-cased; the local part is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;
    pub const LOCAL_MAX: usize = 64;
    pub const LABEL_MAX: usize = 63;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let text = raw.trim();
        if text.len() > Self::MAX {
            return Err(DomainError::InvalidEmail);
        }
        let Some((local, domain)) = text.split_once('@') else {
            return Err(DomainError::InvalidEmail);
        };
        let local_ok = (1..=Self::LOCAL_MAX).contains(&local.len())
            && local.split('.').all(|atom| {
                !atom.is_empty()
                    && atom
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b))
            });
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                (1..=Self::LABEL_MAX).contains(&label.len())
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_alphabetic()));
        if !local_ok || !domain_ok {
            return Err(DomainError::InvalidEmail);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`, lower-case.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_tidied() {
        assert_eq!(
            PersonName::parse("  Nguyễn   Văn\tAn ").map(|n| n.0),
            Ok("Nguyễn Văn An".to_owned())
        );
        let nfd: String = "Trần Thị Ánh".nfd().collect();
        assert_eq!(
            PersonName::parse(&nfd).map(|n| n.0),
            Ok("Trần Thị Ánh".to_owned())
        );
        for good in [
            "Lê A",
            "H'Hen Niê",
            "Y Moan Ênuôl",
            "Nguyễn Thị Thu-Hà",
            "Phạm V. Đồng",
            "Ksor H\u{2019}Bình",
            "김민준",
        ] {
            assert!(PersonName::parse(good).is_ok(), "{good}");
        }
        assert!(PersonName::parse(&"Á".repeat(100)).is_ok());
    }

    #[test]
    fn bad_names_are_refused() {
        for bad in [
            "",
            "   ",
            "A",
            "Nguyễn Văn 2",
            "Nguyễn Văn Ⅱ",
            "Trần ٣",
            "Nguyễn\u{202E}Văn An",
            "Nguyễn\u{200B}Văn",
            "Lê\u{0}An",
            "Lê <b>An</b>",
            "an@example.com",
            "--",
            "' .",
        ] {
            assert_eq!(
                PersonName::parse(bad),
                Err(DomainError::InvalidPersonName),
                "{bad:?}"
            );
        }
        assert!(PersonName::parse(&"a".repeat(101)).is_err());
    }

    #[test]
    fn positions_are_tidied_and_bounded() {
        assert_eq!(
            Position::parse("  Phó Chủ tịch   Ủy ban MTTQ phường 12 ").map(|p| p.0),
            Ok("Phó Chủ tịch Ủy ban MTTQ phường 12".to_owned())
        );
        assert!(Position::parse("X").is_ok());
        assert!(Position::parse(&"ư".repeat(100)).is_ok());
        for bad in ["", "  ", "Chủ\u{202E}tịch", "Chủ tịch\u{7}"] {
            assert_eq!(
                Position::parse(bad),
                Err(DomainError::InvalidPosition),
                "{bad:?}"
            );
        }
        assert!(Position::parse(&"ư".repeat(101)).is_err());
    }

    #[test]
    fn emails_are_checked_and_their_domain_lower_cased() {
        assert_eq!(
            Email::parse("  MatTran.PhuNinh@Gmail.COM ").map(|e| e.0),
            Ok("MatTran.PhuNinh@gmail.com".to_owned())
        );
        let email = Email::parse("mttq+trang@quangnam.gov.vn").expect("valid");
        assert_eq!(email.domain(), "quangnam.gov.vn");
        assert_eq!(email.to_string(), "mttq+trang@quangnam.gov.vn");
        for good in ["a@b.vn", "o'brien@x-y.com", "a_b-c@xn--nm-1ia.vn"] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "mattran",
            "@gmail.com",
            "mattran@",
            "mattran@gmail",
            "mat@tran@gmail.com",
            "mat tran@gmail.com",
            "mattran@gmail .com",
            "mattran@gmail..com",
            "mattran@.gmail.com",
            "mattran@gmail.com.",
            "mattran@-gmail.com",
            "mattran@gmail-.com",
            ".mattran@gmail.com",
            "mattran.@gmail.com",
            "mat..tran@gmail.com",
            "mặttrận@gmail.com",
            "mattran@mặttrận.vn",
            "mattran@127.0.0.1",
            "mattran@[127.0.0.1]",
            "\"mat tran\"@gmail.com",
            "mattran\u{0}@gmail.com",
            "mattran@gmail.com\u{200B}",
            "mattran@gmail.com\r\nBcc: x@y.com",
            "<mattran@gmail.com>",
        ] {
            assert_eq!(Email::parse(bad), Err(DomainError::InvalidEmail), "{bad:?}");
        }
        let long_local = format!("{}@gmail.com", "a".repeat(65));
        assert!(Email::parse(&long_local).is_err());
        let long = format!(
            "{}@{}.vn",
            "a".repeat(64),
            vec!["b".repeat(60); 4].join(".")
        );
        assert!(long.len() > 254);
        assert!(Email::parse(&long).is_err());
    }

    #[test]
    fn refusals_are_explained() {
        for (error, code) in [
            (DomainError::InvalidPersonName, "INVALID_PERSON_NAME"),
            (DomainError::InvalidPosition, "INVALID_POSITION"),
            (DomainError::InvalidEmail, "INVALID_EMAIL"),
        ] {
            assert_eq!(error.code(), code);
            assert!(unicode_normalization::is_nfc(&error.to_string()));
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_is_idempotent(s in "\\PC{0,120}") {
            if let Ok(name) = PersonName::parse(&s) {
                prop_assert_eq!(PersonName::parse(name.as_str()), Ok(name.clone()));
            }
            if let Ok(position) = Position::parse(&s) {
                prop_assert_eq!(Position::parse(position.as_str()), Ok(position.clone()));
            }
            if let Ok(email) = Email::parse(&s) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            }
        }
    }
}
