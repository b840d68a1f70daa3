//! The naming rule over every unit of both official lists (three tiers, January 2025; two
//! tiers, July 2025): each unit's prescribed page name conforms to itself however it is typed,
//! and never when one of its parts is changed or its diacritics are stripped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use domain::page_name::{Named, PageName};
use domain::text::fold;
use domain::unit::UnitKind;
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

struct Row {
    code: String,
    name: String,
    kind: UnitKind,
    parent: Option<String>,
}

fn list(file: &str) -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("the official unit list is in data/");
    text.lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            Row {
                code: fields[0].to_owned(),
                name: fields[1].to_owned(),
                kind: fields[2].parse().expect("a known kind"),
                parent: Some(fields[4]).filter(|p| !p.is_empty()).map(str::to_owned),
            }
        })
        .collect()
}

/// Every unit of a list with the units above it, nearest first.
fn units(file: &str) -> Vec<Chain> {
    let rows: &'static [Row] = Vec::leak(list(file));
    let by_code: HashMap<&str, &Row> = rows.iter().map(|r| (r.code.as_str(), r)).collect();
    let named = |r: &'static Row| Named {
        kind: r.kind,
        name: &r.name,
    };
    rows.iter()
        .map(|row| {
            let mut above = Vec::new();
            let mut parent = row.parent.as_deref();
            while let Some(code) = parent {
                let up = by_code[code];
                above.push(named(up));
                parent = up.parent.as_deref();
            }
            (named(row), above)
        })
        .collect()
}

type Chain = (Named<'static>, Vec<Named<'static>>);

fn all_units() -> &'static [Chain] {
    static ALL: OnceLock<Vec<Chain>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = units("vn-admin-units-2025-01.csv");
        all.extend(units("vn-admin-units-2025-07.csv"));
        all
    })
}

/// The same text with the tone of "oa", "oe" and "uy" on the other vowel: "Hòa" ↔ "Hoà",
/// "Thủy" ↔ "Thuỷ".
fn other_tone_style(text: &str) -> String {
    const PAIRS: [(&str, &str); 15] = [
        ("òa", "oà"),
        ("óa", "oá"),
        ("ỏa", "oả"),
        ("õa", "oã"),
        ("ọa", "oạ"),
        ("òe", "oè"),
        ("óe", "oé"),
        ("ỏe", "oẻ"),
        ("õe", "oẽ"),
        ("ọe", "oẹ"),
        ("ùy", "uỳ"),
        ("úy", "uý"),
        ("ủy", "uỷ"),
        ("ũy", "uỹ"),
        ("ụy", "uỵ"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for (old, new) in PAIRS {
            for (from, to) in [(old, new), (new, old)] {
                if let Some(tail) = rest.strip_prefix(from) {
                    out.push_str(to);
                    rest = tail;
                    continue 'scan;
                }
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn strip_diacritics(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

#[test]
fn every_prescribed_name_conforms_to_itself_however_it_is_typed() {
    let mut changed_style = 0;
    for (unit, above) in all_units() {
        let (unit, above) = (*unit, above.as_slice());
        let name = PageName::of(unit, above);
        let expected = name.display();
        let nfd: String = expected.nfd().collect();
        let old_style = other_tone_style(&expected);
        if old_style != expected {
            changed_style += 1;
        }
        for variant in [
            expected.clone(),
            nfd,
            old_style.clone(),
            old_style.nfd().collect(),
            expected.replace(' ', "  "),
            format!(" \t{expected}\n"),
            expected.to_uppercase(),
            expected.to_lowercase(),
        ] {
            let check = name.check(&variant);
            assert!(
                check.conforms,
                "{variant:?} should conform to {expected:?}: {:?}",
                check.problems
            );
            assert!(check.problems.is_empty());
        }
        let username = name.username();
        assert!(
            username.len() >= 5
                && username.len() <= 50
                && username
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.'),
            "{username:?} for {expected:?}"
        );
    }
    assert!(
        changed_style > 100,
        "the lists hold names with oa/oe/uy tones"
    );
}

#[test]
fn stripping_the_diacritics_never_conforms() {
    for (unit, above) in all_units() {
        let (unit, above) = (*unit, above.as_slice());
        let name = PageName::of(unit, above);
        let stripped = strip_diacritics(&name.display());
        let check = name.check(&stripped);
        assert!(!check.conforms, "{stripped:?}");
        assert!(
            check.problems[0].starts_with("Thiếu dấu tiếng Việt"),
            "{stripped:?}: {:?}",
            check.problems
        );
    }
}

#[test]
fn changing_any_one_part_never_conforms() {
    let all = all_units();
    for (i, (unit, above)) in all.iter().enumerate() {
        let name = PageName::of(*unit, above);
        let expected = name.display();
        let (outside, inside) = match expected.split_once(" (") {
            Some((outside, inside)) => (outside, Some(inside.trim_end_matches(')'))),
            None => (expected.as_str(), None),
        };
        let mut wrong = vec![
            expected.replacen("Mặt trận ", "", 1),
            format!("Trang {expected}"),
            format!("{expected} chính thức"),
            expected.replacen("Mặt trận", "Mặt trận Tổ quốc", 1),
        ];
        // Another unit of the same level with another name, in place of this one.
        let other = all[i + 1..]
            .iter()
            .chain(&all[..i])
            .find(|(o, _)| o.kind == unit.kind && fold(o.name) != fold(unit.name))
            .expect("another unit of the same kind");
        wrong.push(expected.replacen(unit.name, other.0.name, 1));
        if let Some(inside) = inside {
            let parts: Vec<&str> = inside.split(", ").collect();
            wrong.push(outside.to_owned());
            for (p, part) in parts.iter().enumerate() {
                let mut dropped = parts.clone();
                dropped.remove(p);
                wrong.push(format!("{outside} ({})", dropped.join(", ")));
                let mut doubled = parts.clone();
                doubled.insert(p, part);
                wrong.push(format!("{outside} ({})", doubled.join(", ")));
                // The same kind of unit with another name: a wrong district or province.
                let ancestor = above
                    .iter()
                    .find(|a| part.ends_with(a.name))
                    .expect("each part names an ancestor");
                let replacement = all
                    .iter()
                    .find(|(o, _)| o.kind == ancestor.kind && fold(o.name) != fold(ancestor.name))
                    .expect("another unit of the same kind");
                let mut replaced = parts.clone();
                let swapped = part.replacen(ancestor.name, replacement.0.name, 1);
                replaced[p] = &swapped;
                wrong.push(format!("{outside} ({})", replaced.join(", ")));
            }
            if parts.len() > 1 {
                let reversed: Vec<&str> = parts.iter().rev().copied().collect();
                wrong.push(format!("{outside} ({})", reversed.join(", ")));
            }
        }
        for variant in wrong {
            let check = name.check(&variant);
            assert!(
                !check.conforms,
                "{variant:?} must not conform to {expected:?}"
            );
            assert!(!check.problems.is_empty(), "{variant:?}");
        }
    }
}

proptest! {
    /// Any mix of upper and lower case and any runs of white space between the words conform.
    #[test]
    fn case_and_spacing_never_matter(
        pick in any::<prop::sample::Index>(),
        upper in prop::collection::vec(any::<bool>(), 80),
        spaces in prop::collection::vec(1usize..4, 20),
    ) {
        let all = all_units();
        let (unit, above) = &all[pick.index(all.len())];
        let name = PageName::of(*unit, above);
        let expected = name.display();
        let cased: String = expected
            .chars()
            .zip(upper.iter().cycle())
            .map(|(c, up)| if *up { c.to_uppercase().collect::<String>() } else { c.to_lowercase().collect() })
            .collect();
        let mut spaced = String::new();
        for (word, n) in cased.split(' ').zip(spaces.iter().cycle()) {
            spaced.push_str(word);
            spaced.push_str(&" ".repeat(*n));
        }
        let check = name.check(&spaced);
        prop_assert!(check.conforms, "{:?}: {:?}", spaced, check.problems);
    }
}
