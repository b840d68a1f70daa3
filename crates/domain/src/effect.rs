//! How effective and far-reaching a page is (G8): its figures computed from the post log,
//! the share requests and the statistics, rankings among sibling units, and the periodic
//! review by the level above.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::campaign::{Compliance, ratio};

/// Days without a post after which a page is inactive.
pub const INACTIVE_AFTER_DAYS: i64 = 30;

/// A page's computed figures, as of a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Effectiveness {
    /// Followers on the latest snapshot by the day.
    pub followers: Option<i64>,
    /// Followers on the latest snapshot 30 and 90 days before.
    pub followers_30_days_ago: Option<i64>,
    pub followers_90_days_ago: Option<i64>,
    /// Posts logged as published in the last 30 and 90 days.
    pub posts_30_days: u64,
    pub posts_90_days: u64,
    pub last_post_at: Option<DateTime<Utc>>,
    /// How the page stands on the share requests addressed to it.
    pub shares: Compliance,
    /// Post engagements of the snapshots of the last 30 days.
    pub engagements_30_days: Option<i64>,
}

impl Effectiveness {
    pub fn growth_30_days(&self) -> Option<i64> {
        Some(self.followers? - self.followers_30_days_ago?)
    }

    pub fn growth_90_days(&self) -> Option<i64> {
        Some(self.followers? - self.followers_90_days_ago?)
    }

    /// Posts a week, over the last 90 days.
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    pub fn posts_per_week(&self) -> f64 {
        self.posts_90_days as f64 * 7.0 / 90.0
    }

    /// Engagements per post over the last 30 days; `None` without posts or figures.
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    pub fn engagement_per_post(&self) -> Option<f64> {
        let engagements = self.engagements_30_days?;
        (self.posts_30_days > 0).then(|| engagements as f64 / self.posts_30_days as f64)
    }

    /// The share of requests shared by their deadline, 0–1; `None` when none was addressed.
    pub fn share_compliance(&self) -> Option<f64> {
        (self.shares.pages() > 0).then(|| ratio(self.shares.shared, self.shares.pages()))
    }

    /// No post in the last [`INACTIVE_AFTER_DAYS`] days before `now`.
    pub fn inactive(&self, now: DateTime<Utc>) -> bool {
        self.last_post_at
            .is_none_or(|at| now - at > Duration::days(INACTIVE_AFTER_DAYS))
    }
}

/// What a ranking orders by (the larger the better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RankBy {
    Followers,
    Growth30Days,
    Growth90Days,
    PostsPerWeek,
    ShareCompliance,
    EngagementPerPost,
}

impl RankBy {
    /// The figure ranked, as a number; `None` ranks last.
    #[expect(clippy::cast_precision_loss, reason = "followers far below 2^52")]
    pub fn value(self, e: &Effectiveness) -> Option<f64> {
        match self {
            Self::Followers => e.followers.map(|v| v as f64),
            Self::Growth30Days => e.growth_30_days().map(|v| v as f64),
            Self::Growth90Days => e.growth_90_days().map(|v| v as f64),
            Self::PostsPerWeek => Some(e.posts_per_week()),
            Self::ShareCompliance => e.share_compliance(),
            Self::EngagementPerPost => e.engagement_per_post(),
        }
    }
}

/// Ranks items by a figure, the best first: equal figures share a rank (1, 2, 2, 4), items
/// without the figure come last and have no rank. Ties keep the items' order.
pub fn rank<T>(items: Vec<(T, Effectiveness)>, by: RankBy) -> Vec<(Option<u32>, T, Effectiveness)> {
    let mut keyed: Vec<(Option<f64>, T, Effectiveness)> = items
        .into_iter()
        .map(|(item, e)| (by.value(&e), item, e))
        .collect();
    keyed.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    let mut ranked = Vec::with_capacity(keyed.len());
    let mut previous: Option<(f64, u32)> = None;
    for (position, (value, item, e)) in keyed.into_iter().enumerate() {
        let position = u32::try_from(position + 1).unwrap_or(u32::MAX);
        let rank = value.map(|v| match previous {
            Some((p, r)) if (p - v).abs() < 1e-9 => r,
            _ => position,
        });
        if let (Some(v), Some(r)) = (value, rank) {
            previous = Some((v, r));
        }
        ranked.push((rank, item, e));
    }
    ranked
}

/// The rating of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    /// Tốt.
    Good,
    /// Khá.
    Fair,
    /// Trung bình.
    Average,
    /// Yếu.
    Weak,
}

impl Rating {
    pub const ALL: [Self; 4] = [Self::Good, Self::Fair, Self::Average, Self::Weak];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Good => "GOOD",
            Self::Fair => "FAIR",
            Self::Average => "AVERAGE",
            Self::Weak => "WEAK",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Good => "Tốt",
            Self::Fair => "Khá",
            Self::Average => "Trung bình",
            Self::Weak => "Yếu",
        }
    }
}

impl std::str::FromStr for Rating {
    type Err = crate::page::UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(crate::page::UnknownValue)
    }
}

/// A review period as officers name it: a month `2026-11`, a quarter `2026-Q4`, a half
/// `2026-H2` or a year `2026`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReviewPeriod {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl ReviewPeriod {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim().to_ascii_uppercase();
        let bad = || DomainError::InvalidPeriod;
        let (year, rest) = text.split_at(text.find('-').unwrap_or(text.len()));
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let (first_month, months) = match rest {
            "" => (1, 12),
            q if q.len() == 2 && q.starts_with('Q') => {
                let n: u32 = q[1..].parse().map_err(|_| bad())?;
                if !(1..=4).contains(&n) {
                    return Err(bad());
                }
                (3 * n - 2, 3)
            }
            h if h.len() == 2 && h.starts_with('H') => {
                let n: u32 = h[1..].parse().map_err(|_| bad())?;
                if !(1..=2).contains(&n) {
                    return Err(bad());
                }
                (6 * n - 5, 6)
            }
            m if m.len() == 2 => {
                let n: u32 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&n) {
                    return Err(bad());
                }
                (n, 1)
            }
            _ => return Err(bad()),
        };
        let start = NaiveDate::from_ymd_opt(year, first_month, 1).ok_or_else(bad)?;
        let end = start
            .checked_add_months(chrono::Months::new(months))
            .and_then(|d| d.pred_opt())
            .ok_or_else(bad)?;
        Ok(Self {
            label: text,
            start,
            end,
        })
    }

    /// The period in Vietnamese: "tháng 11/2026", "quý IV/2026", "6 tháng cuối năm 2026",
    /// "năm 2026".
    pub fn label_vi(&self) -> String {
        let year = self.start.year();
        let months = (self.end.month() + 12 - self.start.month()) % 12 + 1;
        match months {
            1 => format!("tháng {}/{year}", self.start.month()),
            3 => {
                let q =
                    ["I", "II", "III", "IV"][usize::try_from(self.start.month() / 3).unwrap_or(0)];
                format!("quý {q}/{year}")
            }
            6 if self.start.month() == 1 => format!("6 tháng đầu năm {year}"),
            6 => format!("6 tháng cuối năm {year}"),
            _ => format!("năm {year}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(followers: Option<i64>, posts_90: u64) -> Effectiveness {
        Effectiveness {
            followers,
            followers_30_days_ago: followers.map(|f| f - 10),
            posts_90_days: posts_90,
            ..Effectiveness::default()
        }
    }

    #[test]
    fn rankings_share_ranks_on_ties_and_put_the_unknown_last() {
        let ranked = rank(
            vec![
                ("a", figures(Some(100), 0)),
                ("b", figures(None, 0)),
                ("c", figures(Some(300), 0)),
                ("d", figures(Some(100), 0)),
            ],
            RankBy::Followers,
        );
        let order: Vec<(Option<u32>, &str)> = ranked.iter().map(|(r, i, _)| (*r, *i)).collect();
        assert_eq!(
            order,
            vec![(Some(1), "c"), (Some(2), "a"), (Some(2), "d"), (None, "b")]
        );
    }

    #[test]
    fn computed_figures() {
        let now = Utc::now();
        let e = Effectiveness {
            followers: Some(1_000),
            followers_30_days_ago: Some(900),
            followers_90_days_ago: Some(700),
            posts_30_days: 4,
            posts_90_days: 18,
            last_post_at: Some(now - Duration::days(3)),
            shares: Compliance {
                shared: 3,
                late: 1,
                not_yet: 0,
            },
            engagements_30_days: Some(200),
        };
        assert_eq!(e.growth_30_days(), Some(100));
        assert_eq!(e.growth_90_days(), Some(300));
        assert!((e.posts_per_week() - 1.4).abs() < 1e-9);
        assert_eq!(e.engagement_per_post(), Some(50.0));
        assert_eq!(e.share_compliance(), Some(0.75));
        assert!(!e.inactive(now));
        let quiet = Effectiveness {
            last_post_at: Some(now - Duration::days(31)),
            ..e
        };
        assert!(quiet.inactive(now));
        assert!(Effectiveness::default().inactive(now));
        assert_eq!(Effectiveness::default().share_compliance(), None);
    }

    #[test]
    fn periods_as_officers_name_them() {
        let q4 = ReviewPeriod::parse("2026-q4").expect("quarter");
        assert_eq!(q4.start, NaiveDate::from_ymd_opt(2026, 10, 1).expect("d"));
        assert_eq!(q4.end, NaiveDate::from_ymd_opt(2026, 12, 31).expect("d"));
        assert_eq!(q4.label, "2026-Q4");
        assert_eq!(q4.label_vi(), "quý IV/2026");
        let feb = ReviewPeriod::parse("2028-02").expect("month");
        assert_eq!(feb.end, NaiveDate::from_ymd_opt(2028, 2, 29).expect("d"));
        assert_eq!(feb.label_vi(), "tháng 2/2028");
        assert_eq!(
            ReviewPeriod::parse("2026").expect("year").label_vi(),
            "năm 2026"
        );
        assert_eq!(
            ReviewPeriod::parse("2026-H2").expect("half").label_vi(),
            "6 tháng cuối năm 2026"
        );
        for bad in [
            "",
            "26",
            "2026-13",
            "2026-Q5",
            "2026-H3",
            "1999",
            "2026-11-01",
            "abc",
        ] {
            assert_eq!(
                ReviewPeriod::parse(bad),
                Err(DomainError::InvalidPeriod),
                "{bad}"
            );
        }
    }
}
