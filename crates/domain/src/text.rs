//! Vietnamese text folding for search.
//!
//! Officers type names with or without diacritics, in any case, from keyboards that produce
//! composed (NFC) or decomposed (NFD) text. Folding maps all of them to one key: decompose,
//! drop every combining mark (tone marks and the vowel marks of ă â ê ô ơ ư), map đ/Đ to d,
//! lower-case, and collapse runs of whitespace to one space, then compose again (NFC), so a
//! name in a script whose letters decompose without marks, such as Hangul, keeps its length.
//! The same function builds the stored search key and the query, so both sides always agree.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Folds `text` to its search key: `fold("Thành phố  Tam Kỳ") == "thanh pho tam ky"`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out.nfc().collect()
}

/// Whether `text` holds a character no name should: a control character, an invisible
/// format character (bidirectional overrides that reorder what an officer reads, zero-width
/// spaces and joiners that make two names look alike), a line or paragraph separator, or a
/// code point that is unassigned, private or a lone surrogate.
pub fn has_hidden_characters(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            c.general_category(),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::Unassigned
                | GeneralCategory::PrivateUse
                | GeneralCategory::Surrogate
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
    })
}

#[cfg(test)]
mod tests {
    use super::fold;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn strips_tones_vowel_marks_and_stroke() {
        assert_eq!(fold("Phú Ninh"), "phu ninh");
        assert_eq!(fold("PHÚ NINH"), "phu ninh");
        assert_eq!(fold("Đà Nẵng"), "da nang");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
        assert_eq!(fold("Ủy ban Trung ương"), "uy ban trung uong");
        assert_eq!(fold("Ơ Ư Ă Â Ê Ô"), "o u a a e o");
    }

    #[test]
    fn collapses_and_trims_whitespace() {
        assert_eq!(fold("  Tam \t Kỳ  "), "tam ky");
        assert_eq!(fold(""), "");
        assert_eq!(fold("   "), "");
    }

    #[test]
    fn other_scripts_keep_their_length() {
        let hangul = "한국어이름".repeat(20);
        assert_eq!(fold(&hangul).chars().count(), 100);
    }

    #[test]
    fn hidden_characters_are_found() {
        use super::has_hidden_characters;
        for bad in [
            "a\u{202E}b",
            "a\u{200B}b",
            "a\u{200D}b",
            "a\u{2066}b",
            "a\u{FEFF}b",
            "a\u{0}b",
            "a\u{2028}b",
            "a\u{E000}b",
        ] {
            assert!(has_hidden_characters(bad), "{bad:?}");
        }
        for good in [
            "Nguyễn Văn A",
            "Phường 12",
            "Ia H'Drai",
            "한국어",
            "Đặng-Thị Ánh",
        ] {
            assert!(!has_hidden_characters(good), "{good:?}");
        }
    }

    #[test]
    fn keeps_digits_and_punctuation() {
        assert_eq!(fold("Phường 12"), "phuong 12");
        assert_eq!(fold("Ia H'Drai"), "ia h'drai");
    }

    proptest! {
        #[test]
        fn is_insensitive_to_normal_form(s in "\\PC{0,40}") {
            let nfc: String = s.nfc().collect();
            let nfd: String = s.nfd().collect();
            prop_assert_eq!(fold(&nfc), fold(&nfd));
        }

        #[test]
        fn is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn yields_no_marks_and_no_upper_case_vietnamese(s in "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐÀÁ ]{0,40}") {
            let folded = fold(&s);
            prop_assert!(folded.chars().all(|c| c.is_ascii_lowercase() || c == ' '), "{folded}");
        }
    }
}
