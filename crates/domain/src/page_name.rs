//! The prescribed name of a unit's Community Page (guideline G3, G4) and the check of a
//! proposed name against it.
//!
//! The name is built from the unit and the units above it, so the server computes it even for
//! a viewer who cannot see those units:
//! - commune under a district: "Mặt trận Phường An Mỹ (thành phố Tam Kỳ, tỉnh Quảng Nam)";
//! - commune directly under its province (the two-tier tree since July 2025):
//!   "Mặt trận Xã Tam Dân (tỉnh Quảng Nam)";
//! - district: "Mặt trận Phú Ninh (tỉnh Quảng Nam)", keeping the kind when the name is a number
//!   ("Mặt trận Quận 1 (thành phố Hồ Chí Minh)");
//! - province: "Mặt trận tỉnh Quảng Nam", "Mặt trận thành phố Đà Nẵng".
//!
//! Two spellings of one name conform when they differ only in Unicode normalisation (NFC or
//! NFD), in where the tone mark sits ("Hoà"/"Hòa", "Thuỷ"/"Thủy"), in runs of white space or
//! in letter case. Everything else — a missing diacritic, a missing, wrong, reordered or
//! added part — does not, and the check says what is wrong in words an officer understands.

use unicode_normalization::UnicodeNormalization;

use crate::text::fold;
use crate::unit::{ROOT_NAME, UnitKind, UnitLevel};

/// What the Front is called at the head of every page name.
const LEAD: &str = "Mặt trận";
/// The page name of the Central Committee.
const CENTRAL_NAME: &str = "Mặt trận Tổ quốc Việt Nam";
/// Facebook's longest page username.
const USERNAME_MAX: usize = 50;

/// The name and kind of one unit, as the naming rule needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named<'a> {
    pub kind: UnitKind,
    pub name: &'a str,
}

/// The prescribed page name of a unit, in its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageName {
    /// What follows "Mặt trận": "Phú Ninh", "Phường An Mỹ", "tỉnh Quảng Nam".
    head: String,
    /// The units above, in the brackets: "huyện Phú Ninh", "tỉnh Quảng Nam".
    qualifiers: Vec<String>,
    /// The words of the username: the unit's, then those of the units above it.
    handle: Vec<String>,
}

/// The result of checking a proposed name against the prescribed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameCheck {
    pub conforms: bool,
    pub expected: String,
    /// What is wrong, in Vietnamese; empty when the name conforms.
    pub problems: Vec<String>,
}

impl PageName {
    /// The prescribed name of `unit`, whose ancestors are `above` from the nearest up (its
    /// district, then its province; the national root may be among them and is ignored).
    pub fn of(unit: Named<'_>, above: &[Named<'_>]) -> Self {
        let level = unit.kind.level();
        if level == UnitLevel::Central {
            return Self {
                head: CENTRAL_NAME[LEAD.len() + 1..].to_owned(),
                qualifiers: Vec::new(),
                handle: vec!["toquocvietnam".to_owned()],
            };
        }
        let mut handle = vec![handle_word(unit)];
        let head = match level {
            UnitLevel::Province => lower_full(unit),
            UnitLevel::District if !is_number(unit.name) => unit.name.to_owned(),
            _ => format!("{} {}", unit.kind.prefix(), unit.name),
        };
        let mut qualifiers = Vec::new();
        if level != UnitLevel::Province {
            for ancestor in above {
                let ancestor_level = ancestor.kind.level();
                if ancestor_level == UnitLevel::District && level == UnitLevel::Commune
                    || ancestor_level == UnitLevel::Province
                {
                    qualifiers.push(lower_full(*ancestor));
                    handle.push(handle_word(*ancestor));
                }
            }
        }
        Self {
            head,
            qualifiers,
            handle,
        }
    }

    /// The whole prescribed name.
    pub fn display(&self) -> String {
        let mut name = format!("{LEAD} {}", self.head);
        if !self.qualifiers.is_empty() {
            name.push_str(" (");
            name.push_str(&self.qualifiers.join(", "));
            name.push(')');
        }
        name
    }

    /// A Facebook username for the page: ASCII lower-case letters, digits and dots, at least 5
    /// and at most 50 characters — `mattran.phuninh.quangnam`. The units above are dropped
    /// from the nearest up when the whole would be too long.
    pub fn username(&self) -> String {
        let mut words: Vec<&str> = std::iter::once("mattran")
            .chain(self.handle.iter().map(String::as_str))
            .filter(|w| !w.is_empty())
            .collect();
        let length = |words: &[&str]| words.iter().map(|w| w.len() + 1).sum::<usize>() - 1;
        while words.len() > 2 && length(&words) > USERNAME_MAX {
            words.remove(2);
        }
        let mut username = words.join(".");
        username.truncate(USERNAME_MAX);
        username.trim_end_matches('.').to_owned()
    }

    /// Whether `proposed` is the prescribed name, however it is typed: cheaper than
    /// [`PageName::check`], which also says what is wrong.
    pub fn conforms(&self, proposed: &str) -> bool {
        key(proposed) == key(&self.display())
    }

    /// Checks `proposed` against the prescribed name.
    pub fn check(&self, proposed: &str) -> NameCheck {
        let expected = self.display();
        let conforms = key(proposed) == key(&expected);
        let problems = if conforms {
            Vec::new()
        } else {
            self.problems(proposed, &expected)
        };
        NameCheck {
            conforms,
            expected,
            problems,
        }
    }

    fn problems(&self, proposed: &str, expected: &str) -> Vec<String> {
        let proposed = collapse(proposed);
        if proposed.is_empty() {
            return vec![format!("Chưa nhập tên trang. Tên đúng: “{expected}”.")];
        }
        if fold(&proposed) == fold(expected) {
            return vec![diacritics_problem(&proposed, expected)];
        }
        let mut problems = Vec::new();
        let (outside, inside, after) = split_brackets(&proposed);
        let lead_words = LEAD.split(' ').count();
        let head = match lead_at(outside) {
            Some(0) => skip_words(outside, lead_words),
            Some(start) => {
                problems.push(format!(
                    "Thừa “{}” trước “{LEAD}”.",
                    outside[..start].trim()
                ));
                skip_words(&outside[start..], lead_words)
            }
            None if fold(outside).starts_with(&fold(LEAD)) => {
                problems.push(format!("Sai dấu ở chữ “{LEAD}” đầu tên."));
                skip_words(outside, lead_words)
            }
            None => {
                problems.push(format!("Tên phải bắt đầu bằng “{LEAD}”."));
                outside
            }
        };
        part_problem(&mut problems, head, &self.head, "tên đơn vị");
        match (inside, self.qualifiers.is_empty()) {
            (None, false) => problems.push(format!(
                "Thiếu phần trong ngoặc: ({}).",
                self.qualifiers.join(", ")
            )),
            (Some(inside), true) => {
                problems.push(format!("Thừa phần trong ngoặc: ({}).", inside.trim()));
            }
            (Some(inside), false) => self.qualifier_problems(&mut problems, inside),
            (None, true) => {}
        }
        match after {
            Some(Bracket::Unclosed) => problems.push("Thiếu dấu đóng ngoặc “)”.".to_owned()),
            Some(Bracket::After(rest)) if !rest.trim().is_empty() => {
                problems.push(format!("Thừa “{}” sau dấu đóng ngoặc.", rest.trim()));
            }
            _ => {}
        }
        if problems.is_empty() {
            problems.push(format!(
                "Sai khoảng trắng hoặc dấu câu. Tên đúng: “{expected}”."
            ));
        }
        problems
    }

    fn qualifier_problems(&self, problems: &mut Vec<String>, inside: &str) {
        let given: Vec<&str> = inside
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let given_keys: Vec<String> = given.iter().map(|p| key(p)).collect();
        let wanted_keys: Vec<String> = self.qualifiers.iter().map(|q| key(q)).collect();
        let mut sorted_given = given_keys.clone();
        let mut sorted_wanted = wanted_keys.clone();
        sorted_given.sort();
        sorted_wanted.sort();
        if sorted_given == sorted_wanted {
            if given_keys != wanted_keys {
                problems.push(format!(
                    "Sai thứ tự trong ngoặc: đúng là ({}).",
                    self.qualifiers.join(", ")
                ));
            }
            return;
        }
        let mut used = vec![false; given.len()];
        for (wanted, wanted_key) in self.qualifiers.iter().zip(&wanted_keys) {
            if let Some(i) = given_keys.iter().position(|k| k == wanted_key) {
                used[i] = true;
                continue;
            }
            // A part of the same kind ("huyện …", "tỉnh …") names the wrong unit or spells it
            // wrongly; with no such part, the unit is missing altogether.
            let kind = kind_words(wanted);
            let same_kind = given.iter().enumerate().find(|(i, part)| {
                !used[*i] && !kind.is_empty() && kind_words(part) == kind && {
                    fold(part).starts_with(&fold(&kind))
                }
            });
            match same_kind {
                Some((i, part)) => {
                    used[i] = true;
                    if fold(part) == fold(wanted) {
                        problems.push(format!("Sai dấu ở “{part}”: đúng là “{wanted}”."));
                    } else {
                        problems.push(format!("Sai “{part}”: đúng là “{wanted}”."));
                    }
                }
                None => problems.push(format!("Thiếu “{wanted}” trong ngoặc.")),
            }
        }
        for (part, used) in given.iter().zip(used) {
            if !used {
                problems.push(format!("Thừa “{part}” trong ngoặc."));
            }
        }
    }
}

/// The check of `proposed` against the name prescribed for `unit` under `above`.
pub fn check(unit: Named<'_>, above: &[Named<'_>], proposed: &str) -> NameCheck {
    PageName::of(unit, above).check(proposed)
}

/// "tỉnh Quảng Nam", "thành phố Tam Kỳ", "huyện Phú Ninh": the kind lower-cased, then the name.
fn lower_full(unit: Named<'_>) -> String {
    format!("{} {}", lower_first(unit.kind.prefix()), unit.name)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

fn is_number(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_digit())
}

/// A unit's word in a username: its name folded to ASCII without spaces, with its kind when the
/// name is a number ("quan1", "phuong12").
fn handle_word(unit: Named<'_>) -> String {
    let word = if is_number(unit.name) {
        format!("{} {}", unit.kind.prefix(), unit.name)
    } else if unit.name == ROOT_NAME {
        "vietnam".to_owned()
    } else {
        unit.name.to_owned()
    };
    fold(&word)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The first words of a qualifier that name its kind: "thành phố" of "thành phố Tam Kỳ".
fn kind_words(part: &str) -> String {
    let folded = fold(part);
    for kind in UnitKind::ALL {
        let prefix = fold(kind.prefix());
        if folded == prefix || folded.starts_with(&format!("{prefix} ")) {
            return prefix;
        }
    }
    String::new()
}

/// Runs of white space collapsed to one space, and none at either end.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where "Mặt trận" starts in `text`, at a word's start.
fn lead_at(text: &str) -> Option<usize> {
    let lead = key(LEAD);
    let words = LEAD.split(' ').count();
    let starts = std::iter::once(0).chain(
        text.char_indices()
            .filter(|(_, c)| c.is_whitespace())
            .map(|(i, c)| i + c.len_utf8()),
    );
    for start in starts {
        let head: Vec<&str> = text[start..].split_whitespace().take(words).collect();
        if key(&head.join(" ")) == lead {
            return Some(start);
        }
    }
    None
}

/// `text` without its first `n` words.
fn skip_words(text: &str, n: usize) -> &str {
    let mut rest = text.trim_start();
    for _ in 0..n {
        rest = rest
            .find(char::is_whitespace)
            .map_or("", |i| rest[i..].trim_start());
    }
    rest
}

enum Bracket<'a> {
    Unclosed,
    After(&'a str),
}

/// Splits "A (B) C" into "A", "B" and what follows the closing bracket.
fn split_brackets(text: &str) -> (&str, Option<&str>, Option<Bracket<'_>>) {
    match text.find('(') {
        None => (text.trim(), None, None),
        Some(open) => {
            let outside = text[..open].trim();
            let rest = &text[open + 1..];
            match rest.find(')') {
                None => (outside, Some(rest), Some(Bracket::Unclosed)),
                Some(close) => (
                    outside,
                    Some(&rest[..close]),
                    Some(Bracket::After(&rest[close + 1..])),
                ),
            }
        }
    }
}

fn part_problem(problems: &mut Vec<String>, given: &str, wanted: &str, what: &str) {
    if key(given) == key(wanted) {
        return;
    }
    if given.trim().is_empty() {
        problems.push(format!("Thiếu {what} “{wanted}”."));
    } else if fold(given) == fold(wanted) {
        problems.push(format!("Sai dấu ở “{}”: đúng là “{wanted}”.", given.trim()));
    } else {
        problems.push(format!(
            "Sai {what}: ghi “{}”, đúng là “{wanted}”.",
            given.trim()
        ));
    }
}

/// The problem of a name that has the right letters but not the right diacritics.
fn diacritics_problem(proposed: &str, expected: &str) -> String {
    if !proposed.nfd().any(is_vietnamese_mark) && !proposed.contains(['đ', 'Đ']) {
        return format!("Thiếu dấu tiếng Việt. Tên đúng: “{expected}”.");
    }
    let wrong: Vec<&str> = proposed
        .split_whitespace()
        .zip(expected.split_whitespace())
        .filter(|(given, wanted)| key(given) != key(wanted))
        .map(|(given, _)| given)
        .collect();
    format!(
        "Sai hoặc thiếu dấu ở: {}. Tên đúng: “{expected}”.",
        wrong
            .iter()
            .map(|w| format!("“{w}”"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The five tone marks of Vietnamese, as combining characters.
fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// Any mark a Vietnamese letter carries: a tone, or the breve, circumflex or horn of ă â ê ô ơ ư.
fn is_vietnamese_mark(c: char) -> bool {
    is_tone_mark(c) || matches!(c, '\u{302}' | '\u{306}' | '\u{31b}')
}

/// The comparison key of a name: decomposed, lower-cased, white space collapsed, and in each
/// word the tone mark moved after the letters, so that "Hoà" and "Hòa", "Thuỷ" and "Thủy",
/// NFC and NFD all give one key while "Hoa" and "Hóa" stay apart.
fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut tones = String::new();
    let mut pending_space = false;
    for c in text.nfd() {
        if c.is_whitespace() {
            out.push_str(&tones);
            tones.clear();
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if is_tone_mark(c) {
            tones.push(c);
        } else if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
            out.extend(c.to_lowercase());
        } else {
            // Punctuation ends a word: its tone stays with it.
            out.push_str(&tones);
            tones.clear();
            out.push(c);
        }
    }
    out.push_str(&tones);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUANG_NAM: Named<'static> = Named {
        kind: UnitKind::Province,
        name: "Quảng Nam",
    };
    const PHU_NINH: Named<'static> = Named {
        kind: UnitKind::RuralDistrict,
        name: "Phú Ninh",
    };
    const TAM_KY: Named<'static> = Named {
        kind: UnitKind::City,
        name: "Tam Kỳ",
    };

    fn an_my() -> PageName {
        PageName::of(
            Named {
                kind: UnitKind::Ward,
                name: "An Mỹ",
            },
            &[TAM_KY, QUANG_NAM],
        )
    }

    fn tam_dan() -> PageName {
        PageName::of(
            Named {
                kind: UnitKind::Commune,
                name: "Tam Dân",
            },
            &[PHU_NINH, QUANG_NAM],
        )
    }

    #[test]
    fn names_follow_the_guideline_at_every_level() {
        assert_eq!(
            an_my().display(),
            "Mặt trận Phường An Mỹ (thành phố Tam Kỳ, tỉnh Quảng Nam)"
        );
        assert_eq!(
            tam_dan().display(),
            "Mặt trận Xã Tam Dân (huyện Phú Ninh, tỉnh Quảng Nam)"
        );
        assert_eq!(
            PageName::of(PHU_NINH, &[QUANG_NAM]).display(),
            "Mặt trận Phú Ninh (tỉnh Quảng Nam)"
        );
        let hcm = Named {
            kind: UnitKind::CentralCity,
            name: "Hồ Chí Minh",
        };
        let quan_1 = Named {
            kind: UnitKind::UrbanDistrict,
            name: "1",
        };
        assert_eq!(
            PageName::of(quan_1, &[hcm]).display(),
            "Mặt trận Quận 1 (thành phố Hồ Chí Minh)"
        );
        assert_eq!(
            PageName::of(QUANG_NAM, &[]).display(),
            "Mặt trận tỉnh Quảng Nam"
        );
        let da_nang = Named {
            kind: UnitKind::CentralCity,
            name: "Đà Nẵng",
        };
        assert_eq!(
            PageName::of(da_nang, &[]).display(),
            "Mặt trận thành phố Đà Nẵng"
        );
        let two_tier = Named {
            kind: UnitKind::Commune,
            name: "Tam Dân",
        };
        assert_eq!(
            PageName::of(two_tier, &[QUANG_NAM]).display(),
            "Mặt trận Xã Tam Dân (tỉnh Quảng Nam)"
        );
        let town = Named {
            kind: UnitKind::Town,
            name: "Điện Bàn",
        };
        assert_eq!(
            PageName::of(
                Named {
                    kind: UnitKind::Township,
                    name: "Vĩnh Điện"
                },
                &[town, QUANG_NAM]
            )
            .display(),
            "Mặt trận Thị trấn Vĩnh Điện (thị xã Điện Bàn, tỉnh Quảng Nam)"
        );
    }

    #[test]
    fn usernames_are_ascii_dotted_words() {
        assert_eq!(
            PageName::of(PHU_NINH, &[QUANG_NAM]).username(),
            "mattran.phuninh.quangnam"
        );
        assert_eq!(tam_dan().username(), "mattran.tamdan.phuninh.quangnam");
        assert_eq!(PageName::of(QUANG_NAM, &[]).username(), "mattran.quangnam");
        let hcm = Named {
            kind: UnitKind::CentralCity,
            name: "Hồ Chí Minh",
        };
        let quan_1 = Named {
            kind: UnitKind::UrbanDistrict,
            name: "1",
        };
        assert_eq!(
            PageName::of(quan_1, &[hcm]).username(),
            "mattran.quan1.hochiminh"
        );
        let long = Named {
            kind: UnitKind::Commune,
            name: "Thượng Nung Thượng Nung Thượng Nung Thượng",
        };
        let username = PageName::of(long, &[PHU_NINH, QUANG_NAM]).username();
        assert!(username.len() <= USERNAME_MAX, "{username}");
        assert!(username.starts_with("mattran.thuongnung"), "{username}");
    }

    #[test]
    fn spelling_variants_conform() {
        let name = an_my();
        for variant in [
            "Mặt trận Phường An Mỹ (thành phố Tam Kỳ, tỉnh Quảng Nam)",
            "  mặt TRẬN   phường an mỹ (Thành Phố Tam Kỳ,  tỉnh quảng nam) ",
        ] {
            assert!(name.check(variant).conforms, "{variant}");
        }
        let nfd: String = name.display().nfd().collect();
        assert!(name.check(&nfd).conforms);
        let hoa = PageName::of(
            Named {
                kind: UnitKind::Commune,
                name: "Hòa Khương",
            },
            &[
                Named {
                    kind: UnitKind::RuralDistrict,
                    name: "Hòa Vang",
                },
                Named {
                    kind: UnitKind::CentralCity,
                    name: "Đà Nẵng",
                },
            ],
        );
        assert!(
            hoa.check("Mặt trận Xã Hoà Khương (huyện Hoà Vang, thành phố Đà Nẵng)")
                .conforms
        );
    }

    #[test]
    fn problems_are_named_in_vietnamese() {
        let name = tam_dan();
        let check = name.check("Mặt trận Xã Tam Dân");
        assert!(!check.conforms);
        assert_eq!(
            check.problems,
            ["Thiếu phần trong ngoặc: (huyện Phú Ninh, tỉnh Quảng Nam)."]
        );
        let check = name.check("Mat tran Xa Tam Dan (huyen Phu Ninh, tinh Quang Nam)");
        assert_eq!(check.problems.len(), 1);
        assert!(check.problems[0].starts_with("Thiếu dấu tiếng Việt"));
        let check = name.check("Mặt trận Xã Tam Dân (huyện Núi Thành, tỉnh Quảng Nam)");
        assert_eq!(
            check.problems,
            ["Sai “huyện Núi Thành”: đúng là “huyện Phú Ninh”."]
        );
        let check = name.check("Mặt trận Xã Tam Dân (tỉnh Quảng Nam, huyện Phú Ninh)");
        assert_eq!(
            check.problems,
            ["Sai thứ tự trong ngoặc: đúng là (huyện Phú Ninh, tỉnh Quảng Nam)."]
        );
        let check = name.check("Mặt trận Xã Tam Dân (huyện Phú Ninh)");
        assert_eq!(check.problems, ["Thiếu “tỉnh Quảng Nam” trong ngoặc."]);
        let check = name.check("Trang Mặt trận Xã Tam Dân (huyện Phú Ninh, tỉnh Quảng Nam)");
        assert_eq!(check.problems, ["Thừa “Trang” trước “Mặt trận”."]);
        let check = name.check("Xã Tam Dân (huyện Phú Ninh, tỉnh Quảng Nam)");
        assert_eq!(check.problems, ["Tên phải bắt đầu bằng “Mặt trận”."]);
        let check = name.check("Mặt trận Xã Tam Dân (huyện Phú Ninh, tỉnh Quảng Nam) chính thức");
        assert_eq!(check.problems, ["Thừa “chính thức” sau dấu đóng ngoặc."]);
        let check = name.check("Mặt trận Tam Dân (huyện Phú Ninh, tỉnh Quảng Nam)");
        assert_eq!(
            check.problems,
            ["Sai tên đơn vị: ghi “Tam Dân”, đúng là “Xã Tam Dân”."]
        );
        let check = name.check("Mặt trận Xã Tam Dan (huyện Phú Ninh, tỉnh Quảng Nam)");
        assert!(check.problems[0].contains("“Dan”"), "{:?}", check.problems);
        let check = name.check("");
        assert!(check.problems[0].starts_with("Chưa nhập tên trang"));
    }

    #[test]
    fn keys_ignore_tone_placement_but_not_tones() {
        assert_eq!(key("Thuỷ"), key("Thủy"));
        assert_eq!(key("Khoá"), key("Khóa"));
        assert_ne!(key("Hoa"), key("Hóa"));
        assert_ne!(key("Hòa"), key("Hóa"));
        assert_ne!(key("Tân"), key("Tấn"));
    }
}
