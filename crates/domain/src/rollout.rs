//! Rollout targets (G2) and the coverage they are measured by: by a deadline, a share of the
//! units of each level must have established their page — 100% of districts and 70% of
//! communes in the guideline, set by the province as data.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::DomainError;
use crate::page::PageStatus;
use crate::text::has_hidden_characters;
use crate::unit::UnitLevel;

/// The longest title of a plan or a reporting round, in characters.
pub const TITLE_MAX: usize = 200;

/// The statuses counted as "has a page" when a plan does not say: the page exists on
/// Facebook, whether or not the level above has verified it yet.
pub const DEFAULT_COUNTED: [PageStatus; 3] = [
    PageStatus::Established,
    PageStatus::Reported,
    PageStatus::Verified,
];

/// A share of units, exact to a hundredth of a percent (stored in basis points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(u16);

impl Share {
    pub const ALL: Self = Self(10_000);

    /// A share given as a fraction, 0–1 (e.g. 0.7 for 70%), rounded to a basis point.
    pub fn from_fraction(fraction: f64) -> Result<Self, DomainError> {
        if !fraction.is_finite() || !(0.0..=1.0).contains(&fraction) {
            return Err(DomainError::InvalidShare);
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "0 ≤ fraction ≤ 1, so 0 ≤ the product ≤ 10,000"
        )]
        Ok(Self((fraction * 10_000.0).round() as u16))
    }

    /// A stored share; out of range is `None`.
    pub fn from_basis_points(points: i32) -> Option<Self> {
        u16::try_from(points)
            .ok()
            .filter(|p| *p <= 10_000)
            .map(Self)
    }

    pub fn basis_points(self) -> u16 {
        self.0
    }

    pub fn fraction(self) -> f64 {
        f64::from(self.0) / 10_000.0
    }

    /// Whether `part` of `whole` reaches this share, in exact integer arithmetic. Nothing to
    /// count (`whole` 0) reaches every share.
    pub fn reached_by(self, part: u64, whole: u64) -> bool {
        u128::from(part) * 10_000 >= u128::from(self.0) * u128::from(whole)
    }

    /// How many of `whole` units make this share: the least `part` that reaches it.
    pub fn units_needed(self, whole: u64) -> u64 {
        let needed = (u128::from(self.0) * u128::from(whole)).div_ceil(10_000);
        u64::try_from(needed).unwrap_or(u64::MAX)
    }
}

/// The share of the units of a level that must have a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub level: UnitLevel,
    pub share: Share,
}

/// The guideline's targets: every district, 70% of communes.
pub fn guideline_targets() -> Vec<Target> {
    vec![
        Target {
            level: UnitLevel::District,
            share: Share::ALL,
        },
        Target {
            level: UnitLevel::Commune,
            share: Share(7_000),
        },
    ]
}

/// A plan as an admin sets it for its unit's subtree. Coverage of a unit is measured against
/// the plan of the nearest unit at or above it that has one, otherwise against the
/// guideline's targets without a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutPlan {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub title: String,
    pub deadline: Option<NaiveDate>,
    /// At most one per level, never for the national root.
    pub targets: Vec<Target>,
    /// The statuses counted as "has a page", in their order.
    pub counted: Vec<PageStatus>,
    pub version: i32,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

impl RolloutPlan {
    /// What applies where no plan was set: the guideline's targets, no deadline.
    pub fn guideline(unit_id: Uuid) -> Self {
        Self {
            id: Uuid::nil(),
            unit_id,
            title: "Chỉ tiêu theo Hướng dẫn".to_owned(),
            deadline: None,
            targets: guideline_targets(),
            counted: DEFAULT_COUNTED.to_vec(),
            version: 0,
            updated_by: None,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    /// The target of `level`, if the plan sets one.
    pub fn target(&self, level: UnitLevel) -> Option<Share> {
        self.targets
            .iter()
            .find(|t| t.level == level)
            .map(|t| t.share)
    }
}

/// A title of a plan or a round: white space collapsed, composed (NFC), 1–200 characters
/// without hidden ones.
pub fn parse_title(text: &str) -> Result<String, DomainError> {
    use unicode_normalization::UnicodeNormalization;
    let title: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect();
    if title.is_empty() || title.chars().count() > TITLE_MAX || has_hidden_characters(&title) {
        return Err(DomainError::InvalidTitle);
    }
    Ok(title)
}

/// Targets as set: at most one per level, none for the national root; in level order.
pub fn check_targets(targets: &[Target]) -> Result<Vec<Target>, DomainError> {
    let mut sorted = targets.to_vec();
    sorted.sort_by_key(|t| t.level);
    let duplicate = sorted.windows(2).any(|w| w[0].level == w[1].level);
    if duplicate || sorted.iter().any(|t| t.level == UnitLevel::Central) {
        return Err(DomainError::InvalidTargets);
    }
    Ok(sorted)
}

/// Whether a page in `status` may be counted as the unit having a page: it exists on its
/// platform (not a draft) and is not closed.
pub fn countable(status: PageStatus) -> bool {
    !matches!(status, PageStatus::Draft | PageStatus::Closed)
}

/// The statuses a plan counts: at least one, each [`countable`]; repeated ones once, in the
/// statuses' order.
pub fn check_counted(statuses: &[PageStatus]) -> Result<Vec<PageStatus>, DomainError> {
    let mut sorted = statuses.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.is_empty() || !sorted.iter().copied().all(countable) {
        return Err(DomainError::InvalidCountedStatuses);
    }
    Ok(sorted)
}

/// Days from `today` to the deadline: 0 on the day itself, negative once it has passed.
pub fn days_left(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (deadline - today).num_days()
}

/// How many units of a group have a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub units: u64,
    /// Units with a page in one of the counted statuses.
    pub with_page: u64,
    /// Units whose page the level above has verified.
    pub verified: u64,
}

impl Tally {
    /// `with_page` as a fraction of `units`; 0 for no units.
    pub fn share(&self) -> f64 {
        fraction(self.with_page, self.units)
    }

    /// `verified` as a fraction of `units`; 0 for no units.
    pub fn verified_share(&self) -> f64 {
        fraction(self.verified, self.units)
    }

    /// Units still without a page.
    pub fn missing(&self) -> u64 {
        self.units.saturating_sub(self.with_page)
    }

    #[must_use]
    pub fn plus(self, other: Tally) -> Tally {
        Tally {
            units: self.units + other.units,
            with_page: self.with_page + other.with_page,
            verified: self.verified + other.verified,
        }
    }
}

#[expect(clippy::cast_precision_loss, reason = "unit counts are far below 2^52")]
fn fraction(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The coverage of one level of a subtree against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelCoverage {
    pub level: UnitLevel,
    pub tally: Tally,
    pub target: Option<Share>,
}

impl LevelCoverage {
    /// Whether the target is reached; `None` without a target.
    pub fn met(&self) -> Option<bool> {
        self.target
            .map(|t| t.reached_by(self.tally.with_page, self.tally.units))
    }

    /// How many more units need a page to reach the target (0 once reached).
    pub fn short_by(&self) -> u64 {
        self.target.map_or(0, |t| {
            t.units_needed(self.tally.units)
                .saturating_sub(self.tally.with_page)
        })
    }
}

/// Per-level coverage from per-level tallies, against `plan`'s targets; in level order, the
/// national root's level left out.
pub fn levels(tallies: &[(UnitLevel, Tally)], plan: &RolloutPlan) -> Vec<LevelCoverage> {
    let mut out: Vec<LevelCoverage> = Vec::new();
    for &(level, tally) in tallies {
        if level == UnitLevel::Central {
            continue;
        }
        match out.iter_mut().find(|l| l.level == level) {
            Some(found) => found.tally = found.tally.plus(tally),
            None => out.push(LevelCoverage {
                level,
                tally,
                target: plan.target(level),
            }),
        }
    }
    out.sort_by_key(|l| l.level);
    out
}

/// The last instant of `day` in Việt Nam: what "as of that day" counts up to.
pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    next.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::time::VIETNAM).single())
        .map_or(DateTime::<Utc>::MAX_UTC, |t| t.with_timezone(&Utc))
}

/// How often a progress series takes a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Day,
    Week,
}

/// The most points a progress series may have.
pub const SERIES_MAX: usize = 400;

/// The days of a progress series from `from` to `to` (both included, `to` always last), one
/// per day or week; an error when `to` is before `from` or the series would be longer than
/// [`SERIES_MAX`].
pub fn series(from: NaiveDate, to: NaiveDate, every: Every) -> Result<Vec<NaiveDate>, SeriesError> {
    if to < from {
        return Err(SeriesError::Reversed);
    }
    let step = match every {
        Every::Day => 1,
        Every::Week => 7,
    };
    let span = (to - from).num_days();
    if span / step + 2 > i64::try_from(SERIES_MAX).unwrap_or(i64::MAX) {
        return Err(SeriesError::TooLong);
    }
    let mut days: Vec<NaiveDate> = (0..=span / step)
        .filter_map(|i| from.checked_add_days(chrono::Days::new(u64::try_from(i * step).ok()?)))
        .collect();
    if days.last() != Some(&to) {
        days.push(to);
    }
    Ok(days)
}

/// Why a progress series cannot be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SeriesError {
    #[error("Ngày kết thúc không được trước ngày bắt đầu.")]
    Reversed,
    #[error(
        "Chuỗi số liệu quá dài: tối đa 400 điểm; hãy chọn theo tuần hoặc rút ngắn khoảng thời gian."
    )]
    TooLong,
}

impl SeriesError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Reversed => "PERIOD_REVERSED",
            Self::TooLong => "SERIES_TOO_LONG",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn seventy_percent_of_ten_communes_is_seven() {
        let share = Share::from_fraction(0.7).expect("share");
        assert_eq!(share.basis_points(), 7_000);
        assert!(!share.reached_by(6, 10));
        assert!(share.reached_by(7, 10));
        assert_eq!(share.units_needed(10), 7);
        assert_eq!(share.units_needed(11), 8, "7.7 units round up");
        assert!(Share::ALL.reached_by(0, 0), "no units: nothing to reach");
    }

    #[test]
    fn shares_outside_zero_to_one_are_refused() {
        for bad in [-0.01, 1.0001, f64::NAN, f64::INFINITY] {
            assert_eq!(Share::from_fraction(bad), Err(DomainError::InvalidShare));
        }
        assert_eq!(Share::from_basis_points(10_001), None);
        assert_eq!(Share::from_basis_points(-1), None);
    }

    #[test]
    fn targets_take_one_share_per_level_below_the_root() {
        let t = |level, f| Target {
            level,
            share: Share::from_fraction(f).expect("share"),
        };
        let sorted = check_targets(&[t(UnitLevel::Commune, 0.7), t(UnitLevel::District, 1.0)])
            .expect("valid");
        assert_eq!(sorted[0].level, UnitLevel::District);
        assert!(check_targets(&[t(UnitLevel::Commune, 0.7), t(UnitLevel::Commune, 0.8)]).is_err());
        assert!(check_targets(&[t(UnitLevel::Central, 1.0)]).is_err());
    }

    #[test]
    fn drafts_and_closed_pages_never_count() {
        assert!(check_counted(&[PageStatus::Draft]).is_err());
        assert!(check_counted(&[PageStatus::Verified, PageStatus::Closed]).is_err());
        assert!(check_counted(&[]).is_err());
        assert_eq!(
            check_counted(&[
                PageStatus::Verified,
                PageStatus::Reported,
                PageStatus::Verified
            ]),
            Ok(vec![PageStatus::Reported, PageStatus::Verified])
        );
    }

    #[test]
    fn a_day_ends_at_midnight_in_viet_nam() {
        assert_eq!(
            end_of_day(day("2026-11-27")).to_rfc3339(),
            "2026-11-27T17:00:00+00:00"
        );
    }

    #[test]
    fn a_weekly_series_ends_on_its_last_day() {
        let days = series(day("2026-11-01"), day("2026-11-20"), Every::Week).expect("series");
        assert_eq!(
            days,
            vec![
                day("2026-11-01"),
                day("2026-11-08"),
                day("2026-11-15"),
                day("2026-11-20")
            ]
        );
        assert_eq!(
            series(day("2026-11-02"), day("2026-11-01"), Every::Day),
            Err(SeriesError::Reversed)
        );
        assert_eq!(
            series(day("2020-01-01"), day("2026-01-01"), Every::Day),
            Err(SeriesError::TooLong)
        );
        assert!(series(day("2020-01-01"), day("2026-01-01"), Every::Week).is_ok());
    }

    #[test]
    fn levels_merge_and_carry_the_plan_targets() {
        let plan = RolloutPlan::guideline(Uuid::nil());
        let tally = |units, with_page| Tally {
            units,
            with_page,
            verified: 0,
        };
        let levels = levels(
            &[
                (UnitLevel::Commune, tally(10, 6)),
                (UnitLevel::District, tally(1, 1)),
                (UnitLevel::Commune, tally(10, 8)),
            ],
            &plan,
        );
        assert_eq!(levels.len(), 2);
        assert_eq!(levels[0].met(), Some(true));
        assert_eq!(levels[1].tally, tally(20, 14));
        assert_eq!(levels[1].met(), Some(true));
        assert_eq!(levels[1].short_by(), 0);
    }

    proptest! {
        #[test]
        fn met_is_exactly_the_share_reaching_the_target(
            units in 0u64..20_000, part in 0u64..20_000, points in 0u16..=10_000
        ) {
            let part = part.min(units);
            let share = Share(points);
            let needed = share.units_needed(units);
            prop_assert_eq!(share.reached_by(part, units), part >= needed);
            prop_assert!(needed <= units);
        }
    }
}
