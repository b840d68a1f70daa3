//! Administrative units: the tree every Front committee, page and account hangs from.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use crate::DomainError;

/// The code of the national root above the provinces.
pub const ROOT_CODE: &str = "VN";
/// The name of the national root: the Central Committee of the Front.
pub const ROOT_NAME: &str = "Ủy ban Trung ương MTTQ Việt Nam";

/// A tier of the administrative tree. Since July 2025 communes hang directly under provinces,
/// so the level of a unit says what it is, not how deep it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitLevel {
    Central,
    Province,
    District,
    Commune,
}

impl UnitLevel {
    pub const ALL: [Self; 4] = [Self::Central, Self::Province, Self::District, Self::Commune];

    /// The stable spelling used in files and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
        }
    }

    /// The Vietnamese word an officer reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Central => "Trung ương",
            Self::Province => "Tỉnh",
            Self::District => "Huyện",
            Self::Commune => "Xã",
        }
    }

    /// Whether a unit of this level may sit directly under a unit of `parent` level.
    pub fn may_have_parent(self, parent: UnitLevel) -> bool {
        match self {
            Self::Central => false,
            Self::Province => parent == Self::Central,
            Self::District => parent == Self::Province,
            // Three tiers (guideline) or two tiers (since July 2025).
            Self::Commune => matches!(parent, Self::District | Self::Province),
        }
    }
}

impl FromStr for UnitLevel {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
            .ok_or_else(|| DomainError::UnknownLevel(s.to_owned()))
    }
}

impl fmt::Display for UnitLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The official kind of a unit, as the General Statistics Office names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    Central,
    Province,
    CentralCity,
    RuralDistrict,
    UrbanDistrict,
    Town,
    City,
    Commune,
    Ward,
    Township,
    SpecialZone,
}

impl UnitKind {
    pub const ALL: [Self; 11] = [
        Self::Central,
        Self::Province,
        Self::CentralCity,
        Self::RuralDistrict,
        Self::UrbanDistrict,
        Self::Town,
        Self::City,
        Self::Commune,
        Self::Ward,
        Self::Township,
        Self::SpecialZone,
    ];

    /// The official Vietnamese name of the kind, as in the unit lists.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "Trung ương",
            Self::Province => "Tỉnh",
            Self::CentralCity => "Thành phố trực thuộc trung ương",
            Self::RuralDistrict => "Huyện",
            Self::UrbanDistrict => "Quận",
            Self::Town => "Thị xã",
            Self::City => "Thành phố",
            Self::Commune => "Xã",
            Self::Ward => "Phường",
            Self::Township => "Thị trấn",
            Self::SpecialZone => "Đặc khu",
        }
    }

    /// The word written before a unit's name: "Thành phố Hà Nội", not
    /// "Thành phố trực thuộc trung ương Hà Nội".
    pub fn prefix(self) -> &'static str {
        match self {
            Self::CentralCity => Self::City.as_str(),
            other => other.as_str(),
        }
    }

    /// The level this kind belongs to.
    pub fn level(self) -> UnitLevel {
        match self {
            Self::Central => UnitLevel::Central,
            Self::Province | Self::CentralCity => UnitLevel::Province,
            Self::RuralDistrict | Self::UrbanDistrict | Self::Town | Self::City => {
                UnitLevel::District
            }
            Self::Commune | Self::Ward | Self::Township | Self::SpecialZone => UnitLevel::Commune,
        }
    }

    /// Parses the kind of a unit at `level`; "Thành phố" alone is a district-level city.
    pub fn parse_at(kind: &str, level: UnitLevel) -> Result<Self, DomainError> {
        let parsed = kind.parse::<Self>()?;
        if parsed.level() == level {
            Ok(parsed)
        } else {
            Err(DomainError::KindNotAtLevel {
                kind: kind.to_owned(),
                level: level.to_string(),
            })
        }
    }
}

impl FromStr for UnitKind {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| DomainError::UnknownKind(s.to_owned()))
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An official unit code: the GSO code (2 digits for a province, 3 for a district, 5 for a
/// commune) or `VN` for the national root.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let valid = (2..=10).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        if valid {
            Ok(Self(code.to_owned()))
        } else {
            Err(DomainError::InvalidUnitCode(code.to_owned()))
        }
    }

    pub fn root() -> Self {
        Self(ROOT_CODE.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The materialised ancestor path of a unit: the codes from the root down to the unit itself,
/// each followed by `/`, e.g. `/VN/49/502/20341/`. A unit's subtree is every unit whose path
/// starts with its path: in SQL a range of paths in byte order, which both databases index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitPath(String);

impl UnitPath {
    /// The path of a unit with no parent.
    pub fn root(code: &UnitCode) -> Self {
        Self(format!("/{code}/"))
    }

    /// The path of `code` as a child of the unit with this path.
    #[must_use]
    pub fn child(&self, code: &UnitCode) -> Self {
        Self(format!("{}{code}/", self.0))
    }

    /// Wraps a stored path. Paths are only ever built by `root` and `child`, so a stored one
    /// is trusted.
    pub fn from_stored(path: String) -> Self {
        Self(path)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this unit or one of its descendants.
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// Depth in the tree: 0 for the root.
    pub fn depth(&self) -> usize {
        // A path is `/` followed by each code and a `/`: one more slash than codes.
        self.0
            .bytes()
            .filter(|b| *b == b'/')
            .count()
            .saturating_sub(2)
    }

    /// The codes from the root down to the unit itself.
    pub fn codes(&self) -> impl DoubleEndedIterator<Item = &str> {
        self.0.split('/').filter(|segment| !segment.is_empty())
    }

    /// The code of the unit itself, the last of the path.
    pub fn code(&self) -> &str {
        self.codes().next_back().unwrap_or_default()
    }

    /// The paths of the units above this one, from the root down, without the unit itself.
    pub fn ancestors(&self) -> Vec<UnitPath> {
        let mut paths: Vec<UnitPath> = Vec::new();
        let mut codes = self.codes().peekable();
        while let Some(code) = codes.next() {
            if codes.peek().is_none() {
                break;
            }
            let path = match paths.last() {
                Some(above) => format!("{}{code}/", above.0),
                None => format!("/{code}/"),
            };
            paths.push(UnitPath(path));
        }
        paths
    }

    /// The path of the unit directly above; `None` for a root.
    pub fn parent(&self) -> Option<UnitPath> {
        self.ancestors().pop()
    }
}

/// One administrative unit as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: Uuid,
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    pub level: UnitLevel,
    pub parent_id: Option<Uuid>,
    pub path: UnitPath,
}

impl Unit {
    /// The name with its kind, as officers write it: "Phường An Mỹ", "Thành phố Hà Nội".
    pub fn full_name(&self) -> String {
        full_name(self.kind, &self.name)
    }

    /// The unit's Front committee: "Ban Thường trực UBMTTQ phường An Mỹ".
    pub fn committee_name(&self) -> String {
        committee_name(self.kind, &self.name)
    }
}

/// The Front committee of a unit as officers name it: "Ban Thường trực UBMTTQ huyện Phú Ninh".
pub fn committee_name(kind: UnitKind, name: &str) -> String {
    if kind == UnitKind::Central {
        return format!("Ban Thường trực {name}");
    }
    let prefix = kind.prefix();
    let mut chars = prefix.chars();
    let lowered: String = chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default();
    format!("Ban Thường trực UBMTTQ {lowered} {name}")
}

/// The name of a unit with its kind.
pub fn full_name(kind: UnitKind, name: &str) -> String {
    if kind == UnitKind::Central {
        name.to_owned()
    } else {
        format!("{} {name}", kind.prefix())
    }
}

/// The text a unit is found by: its code and its full name, folded.
pub fn search_key(code: &UnitCode, kind: UnitKind, name: &str) -> String {
    crate::text::fold(&format!("{code} {}", full_name(kind, name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> UnitCode {
        UnitCode::parse(s).expect("valid code")
    }

    #[test]
    fn levels_and_kinds_round_trip_through_their_spelling() {
        for level in UnitLevel::ALL {
            assert_eq!(level.as_str().parse::<UnitLevel>(), Ok(level));
        }
        for kind in UnitKind::ALL {
            assert_eq!(kind.as_str().parse::<UnitKind>(), Ok(kind));
        }
        assert!("Tinh".parse::<UnitKind>().is_err());
        assert!("ward".parse::<UnitLevel>().is_err());
    }

    #[test]
    fn a_kind_must_match_its_level() {
        assert_eq!(
            UnitKind::parse_at("Thành phố", UnitLevel::District),
            Ok(UnitKind::City)
        );
        assert_eq!(
            UnitKind::parse_at("Thành phố trực thuộc trung ương", UnitLevel::Province),
            Ok(UnitKind::CentralCity)
        );
        assert!(matches!(
            UnitKind::parse_at("Xã", UnitLevel::District),
            Err(DomainError::KindNotAtLevel { .. })
        ));
    }

    #[test]
    fn full_names_use_the_short_prefix() {
        assert_eq!(full_name(UnitKind::Ward, "An Mỹ"), "Phường An Mỹ");
        assert_eq!(
            full_name(UnitKind::CentralCity, "Hà Nội"),
            "Thành phố Hà Nội"
        );
        assert_eq!(full_name(UnitKind::Central, ROOT_NAME), ROOT_NAME);
    }

    #[test]
    fn committees_are_named_after_their_unit() {
        assert_eq!(
            committee_name(UnitKind::RuralDistrict, "Phú Ninh"),
            "Ban Thường trực UBMTTQ huyện Phú Ninh"
        );
        assert_eq!(
            committee_name(UnitKind::CentralCity, "Đà Nẵng"),
            "Ban Thường trực UBMTTQ thành phố Đà Nẵng"
        );
        assert_eq!(
            committee_name(UnitKind::Commune, "Tam Dân"),
            "Ban Thường trực UBMTTQ xã Tam Dân"
        );
        assert_eq!(
            committee_name(UnitKind::Central, ROOT_NAME),
            "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam"
        );
    }

    #[test]
    fn search_key_holds_code_kind_and_name_folded() {
        assert_eq!(
            search_key(&code("502"), UnitKind::City, "Tam Kỳ"),
            "502 thanh pho tam ky"
        );
    }

    #[test]
    fn codes_are_short_digits_or_capitals() {
        assert!(UnitCode::parse("49").is_ok());
        assert!(UnitCode::parse("20341").is_ok());
        assert!(UnitCode::parse("VN").is_ok());
        for bad in ["", "4", "4a", "49 ", "49/1", "12345678901", "4%"] {
            assert!(UnitCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_path_names_its_ancestors_from_the_root_down() {
        let path = UnitPath::from_stored("/VN/49/502/20341/".to_owned());
        let ancestors = path.ancestors();
        let above: Vec<&str> = ancestors.iter().map(UnitPath::as_str).collect();
        assert_eq!(above, ["/VN/", "/VN/49/", "/VN/49/502/"]);
        assert_eq!(path.code(), "20341");
        let parent = path.parent().expect("a commune has a parent");
        assert_eq!(parent.code(), "502");
        let root = UnitPath::from_stored("/VN/".to_owned());
        assert!(root.ancestors().is_empty());
        assert_eq!(root.parent(), None);
    }

    #[test]
    fn paths_nest_and_contain_their_descendants_only() {
        let root = UnitPath::root(&UnitCode::root());
        let province = root.child(&code("49"));
        let district = province.child(&code("502"));
        let other = root.child(&code("48"));
        let lookalike = root.child(&code("490"));
        assert_eq!(district.as_str(), "/VN/49/502/");
        assert_eq!(district.depth(), 2);
        assert_eq!((root.depth(), province.depth()), (0, 1));
        let commune = district.child(&code("20341"));
        assert_eq!(commune.depth(), commune.codes().count() - 1);
        assert_eq!(district.codes().collect::<Vec<_>>(), ["VN", "49", "502"]);
        assert!(province.contains(&district));
        assert!(province.contains(&province));
        assert!(!district.contains(&province));
        assert!(!province.contains(&other));
        assert!(!province.contains(&lookalike));
    }

    #[test]
    fn communes_hang_under_districts_or_provinces() {
        assert!(UnitLevel::Commune.may_have_parent(UnitLevel::District));
        assert!(UnitLevel::Commune.may_have_parent(UnitLevel::Province));
        assert!(!UnitLevel::District.may_have_parent(UnitLevel::District));
        assert!(!UnitLevel::Province.may_have_parent(UnitLevel::Province));
        assert!(UnitLevel::Province.may_have_parent(UnitLevel::Central));
    }
}
