//! Vietnamese telephone numbers, in their national form.
//!
//! Officers write numbers many ways: `0912 345 678`, `091.234.5678`, `+84 912-345-678`,
//! `(0235) 3812 345`, `0084912345678`. [`PhoneNumber::parse`] keeps the digits and writes them
//! in the national form, with the leading `0`:
//!
//! - a mobile number: 10 digits starting `03`, `05`, `07`, `08` or `09`;
//! - a landline: 11 digits starting `02` (`02` and the rest of the area code, then the
//!   subscriber's number, e.g. `0235 3812 345` in Quảng Nam, `024 3825 1234` in Hà Nội).

use std::fmt;

use crate::DomainError;

/// A Vietnamese telephone number in its national form, e.g. `0912345678` or `02353812345`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

/// Longest input considered: a number with generous separators.
const MAX_INPUT: usize = 64;

impl PhoneNumber {
    /// Digits of a mobile number, with the leading `0`.
    pub const MOBILE_LEN: usize = 10;
    /// Digits of a landline number, with the leading `0`.
    pub const LANDLINE_LEN: usize = 11;

    /// Checks a number as typed and writes it in the national form. Accepts the prefixes
    /// `+84`, `84` and `0084` in place of the leading `0` (and `+84 (0)…`), and spaces, dots,
    /// dashes and parentheses between digits.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        if raw.len() > MAX_INPUT {
            return Err(DomainError::InvalidPhone);
        }
        let text = raw.trim();
        let (plus, text) = match text.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut digits = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '\u{A0}' | '.' | '-' | '(' | ')' => {}
                _ => return Err(DomainError::InvalidPhone),
            }
        }
        // The number without its country code or leading 0. No national number starts with
        // `8` or `00`, so `84…` and `0084…` are the country code.
        let (national, after_country_code) = if plus {
            (
                digits.strip_prefix("84").ok_or(DomainError::InvalidPhone)?,
                true,
            )
        } else if let Some(rest) = digits.strip_prefix("0084") {
            (rest, true)
        } else if let Some(rest) = digits.strip_prefix('0') {
            (rest, false)
        } else {
            (
                digits.strip_prefix("84").ok_or(DomainError::InvalidPhone)?,
                true,
            )
        };
        // `+84 (0)912…`: the 0 some write after the country code.
        let national = if after_country_code {
            national.strip_prefix('0').unwrap_or(national)
        } else {
            national
        };
        let number = format!("0{national}");
        let valid = match number.as_bytes() {
            [b'0', b'3' | b'5' | b'7' | b'8' | b'9', ..] => number.len() == Self::MOBILE_LEN,
            [b'0', b'2', ..] => number.len() == Self::LANDLINE_LEN,
            _ => false,
        };
        if valid {
            Ok(Self(number))
        } else {
            Err(DomainError::InvalidPhone)
        }
    }

    /// The national form, e.g. `0912345678`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The international form, e.g. `+84912345678`.
    pub fn international(&self) -> String {
        format!("+84{}", &self.0[1..])
    }

    /// Whether the number is a mobile one (10 digits); otherwise a landline (11 digits, `02…`).
    pub fn is_mobile(&self) -> bool {
        self.0.len() == Self::MOBILE_LEN
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn national(raw: &str) -> String {
        match PhoneNumber::parse(raw) {
            Ok(phone) => phone.0,
            Err(e) => panic!("{raw}: {e:?}"),
        }
    }

    #[test]
    fn mobile_numbers_are_written_one_way() {
        for raw in [
            "0912345678",
            "0912 345 678",
            "091.234.5678",
            "091-234-5678",
            "(091) 234 5678",
            "+84912345678",
            "+84 912 345 678",
            "+84 (0) 912 345 678",
            "+840912345678",
            "84912345678",
            "0084912345678",
            "0084 (0)912 345 678",
            "  0912\u{A0}345\u{A0}678  ",
        ] {
            assert_eq!(national(raw), "0912345678", "{raw}");
        }
        for prefix in ["03", "05", "07", "08", "09"] {
            let raw = format!("{prefix}12345678");
            assert_eq!(national(&raw), raw);
        }
    }

    #[test]
    fn landlines_have_eleven_digits() {
        for raw in [
            "02353812345",
            "(0235) 3812 345",
            "0235.3812.345",
            "+84 235 3812 345",
            "84 235 3812345",
            "024 3825 1234",
        ] {
            let phone = PhoneNumber::parse(raw).expect(raw);
            assert_eq!(phone.as_str().len(), 11, "{raw}");
            assert!(phone.as_str().starts_with("02"), "{raw}");
            assert!(!phone.is_mobile());
        }
        assert_eq!(national("+84 24 3825 1234"), "02438251234");
        // Ten digits starting 02 are neither a mobile nor a landline.
        assert_eq!(
            PhoneNumber::parse("0235381234"),
            Err(DomainError::InvalidPhone)
        );
    }

    #[test]
    fn other_numbers_are_refused() {
        for raw in [
            "",
            "   ",
            "091234567",
            "09123456789",
            "0112345678",
            "0412345678",
            "0612345678",
            "1912345678",
            "912345678",
            "+1 912 345 678",
            "+8491234567",
            "+84 91 234 56789",
            "0912a45678",
            "0912345678 ext 12",
            "0912/345/678",
            "+ 0912345678",
            "0912+345678",
            "++84912345678",
            "113",
            "1900 1234",
            "08412345678",
            "0912345678\u{0}",
            "٠٩١٢٣٤٥٦٧٨",
            "０９１２３４５６７８",
        ] {
            assert_eq!(
                PhoneNumber::parse(raw),
                Err(DomainError::InvalidPhone),
                "{raw:?}"
            );
        }
        assert_eq!(
            PhoneNumber::parse(&format!("0912345678{}", " ".repeat(60))),
            Err(DomainError::InvalidPhone)
        );
    }

    #[test]
    fn forms_for_people_and_machines() {
        let phone = PhoneNumber::parse("0912 345 678").expect("valid");
        assert_eq!(phone.as_str(), "0912345678");
        assert_eq!(phone.to_string(), "0912345678");
        assert_eq!(phone.international(), "+84912345678");
        assert!(phone.is_mobile());
        let landline = PhoneNumber::parse("(0235) 3812 345").expect("valid");
        assert_eq!(landline.international(), "+842353812345");
    }

    #[test]
    fn the_refusal_is_explained() {
        let e = DomainError::InvalidPhone;
        assert_eq!(e.code(), "INVALID_PHONE");
        assert!(
            e.to_string().starts_with("Số điện thoại không hợp lệ"),
            "{e}"
        );
        assert!(unicode_normalization::is_nfc(&e.to_string()));
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in "\\PC{0,30}") {
            if let Ok(phone) = PhoneNumber::parse(&s) {
                prop_assert_eq!(PhoneNumber::parse(phone.as_str()), Ok(phone.clone()));
                prop_assert_eq!(PhoneNumber::parse(&phone.international()), Ok(phone.clone()));
            }
        }

        #[test]
        fn separators_do_not_matter(
            number in "0(3|5|7|8|9)[0-9]{8}|02[0-9]{9}",
            cuts in prop::collection::vec((0usize..12, prop::sample::select(vec![" ", ".", "-"])), 0..4),
            prefix in prop::sample::select(vec!["0", "+84", "84", "0084", "+84 (0)"]),
        ) {
            let mut typed = format!("{prefix}{}", &number[1..]);
            for (at, sep) in cuts {
                let at = (prefix.len() + at).min(typed.len());
                typed.insert_str(at, sep);
            }
            prop_assert_eq!(PhoneNumber::parse(&typed).map(|p| p.0), Ok(number.clone()), "{}", typed);
        }
    }
}
