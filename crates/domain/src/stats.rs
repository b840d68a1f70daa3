//! Page statistics (G8): dated snapshots of a page's figures — followers at the end of the
//! day, and for the period the snapshot covers the new follows, views (reach), post
//! engagements and posts — each figure with where it came from: typed in, uploaded from
//! Meta's Insights export, or pulled from the Graph API.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::DomainError;

/// The largest figure accepted: far beyond any Page, small enough for every database.
pub const FIGURE_MAX: i64 = 1_000_000_000_000;
/// The longest period one snapshot covers, in days.
pub const PERIOD_MAX_DAYS: i64 = 366;

/// Where a figure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatSource {
    /// Typed in on the form.
    Manual,
    /// Uploaded from the CSV that Meta Business Suite exports from Insights.
    MetaCsv,
    /// Pulled from the Graph API with the Page's access token.
    GraphApi,
}

impl StatSource {
    pub const ALL: [Self; 3] = [Self::Manual, Self::MetaCsv, Self::GraphApi];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "MANUAL",
            Self::MetaCsv => "META_CSV",
            Self::GraphApi => "GRAPH_API",
        }
    }
}

impl std::str::FromStr for StatSource {
    type Err = crate::page::UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(crate::page::UnknownValue)
    }
}

/// The figures of one snapshot; `None`: not known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Followers at the end of the day.
    pub followers: Option<i64>,
    /// New follows during the period.
    pub new_follows: Option<i64>,
    /// Views (reach) during the period.
    pub views: Option<i64>,
    /// Engagements with posts during the period.
    pub engagements: Option<i64>,
    /// Posts published during the period.
    pub posts: Option<i64>,
}

impl Figures {
    /// The figures as `(name, value)`, in a fixed order, named as the API names them.
    pub fn named(&self) -> [(&'static str, Option<i64>); 5] {
        [
            ("followers", self.followers),
            ("newFollows", self.new_follows),
            ("views", self.views),
            ("engagements", self.engagements),
            ("posts", self.posts),
        ]
    }

    /// Whether no figure is known.
    pub fn is_empty(&self) -> bool {
        self.named().iter().all(|(_, v)| v.is_none())
    }

    /// Checks every figure: a whole number from 0 to [`FIGURE_MAX`]. The name of the first
    /// wrong one comes with the problem.
    pub fn check(&self) -> Result<(), (&'static str, DomainError)> {
        for (name, value) in self.named() {
            if value.is_some_and(|v| !(0..=FIGURE_MAX).contains(&v)) {
                return Err((name, DomainError::InvalidFigure));
            }
        }
        if self.is_empty() {
            return Err(("followers", DomainError::NoFigures));
        }
        Ok(())
    }
}

/// Where each figure of a snapshot came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sources {
    pub followers: Option<StatSource>,
    pub new_follows: Option<StatSource>,
    pub views: Option<StatSource>,
    pub engagements: Option<StatSource>,
    pub posts: Option<StatSource>,
}

impl Sources {
    /// Every figure known in `figures`, from `source`.
    pub fn of(figures: &Figures, source: StatSource) -> Self {
        let from = |value: Option<i64>| value.map(|_| source);
        Self {
            followers: from(figures.followers),
            new_follows: from(figures.new_follows),
            views: from(figures.views),
            engagements: from(figures.engagements),
            posts: from(figures.posts),
        }
    }
}

/// A page's figures on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub page_id: Uuid,
    pub unit_id: Uuid,
    /// The day the snapshot is for: followers at its end, the period ending with it.
    pub day: NaiveDate,
    /// The first day of the period the period figures cover (the day itself for a daily one).
    pub period_start: NaiveDate,
    pub figures: Figures,
    pub sources: Sources,
    pub updated_at: DateTime<Utc>,
}

impl Snapshot {
    /// `self` with the known figures of `newer` laid over it, each with `source`.
    #[must_use]
    pub fn merged(mut self, newer: &Figures, period_start: NaiveDate, source: StatSource) -> Self {
        let pairs = [
            (
                &mut self.figures.followers,
                &mut self.sources.followers,
                newer.followers,
            ),
            (
                &mut self.figures.new_follows,
                &mut self.sources.new_follows,
                newer.new_follows,
            ),
            (
                &mut self.figures.views,
                &mut self.sources.views,
                newer.views,
            ),
            (
                &mut self.figures.engagements,
                &mut self.sources.engagements,
                newer.engagements,
            ),
            (
                &mut self.figures.posts,
                &mut self.sources.posts,
                newer.posts,
            ),
        ];
        for (figure, from, value) in pairs {
            if let Some(value) = value {
                *figure = Some(value);
                *from = Some(source);
            }
        }
        self.period_start = period_start;
        self
    }
}

/// A snapshot's day and period: the day not after today, the period starting on or before
/// it and at most [`PERIOD_MAX_DAYS`] long.
pub fn check_period(
    day: NaiveDate,
    period_start: NaiveDate,
    today: NaiveDate,
) -> Result<(), (&'static str, DomainError)> {
    if day > today {
        return Err(("day", DomainError::DateInFuture));
    }
    if period_start > day {
        return Err(("periodStart", DomainError::PeriodReversed));
    }
    if (day - period_start).num_days() >= PERIOD_MAX_DAYS {
        return Err(("periodStart", DomainError::PeriodTooLong));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn figures_are_whole_and_not_negative_and_at_least_one_is_given() {
        let ok = Figures {
            followers: Some(1200),
            ..Figures::default()
        };
        assert_eq!(ok.check(), Ok(()));
        let negative = Figures {
            views: Some(-1),
            ..ok
        };
        assert_eq!(negative.check(), Err(("views", DomainError::InvalidFigure)));
        let huge = Figures {
            posts: Some(FIGURE_MAX + 1),
            ..ok
        };
        assert_eq!(huge.check(), Err(("posts", DomainError::InvalidFigure)));
        assert_eq!(
            Figures::default().check(),
            Err(("followers", DomainError::NoFigures))
        );
    }

    #[test]
    fn a_newer_figure_replaces_the_older_and_keeps_its_source() {
        let old = Snapshot {
            page_id: Uuid::nil(),
            unit_id: Uuid::nil(),
            day: d("2026-11-20"),
            period_start: d("2026-11-20"),
            figures: Figures {
                followers: Some(100),
                views: Some(50),
                ..Figures::default()
            },
            sources: Sources {
                followers: Some(StatSource::Manual),
                views: Some(StatSource::Manual),
                ..Sources::default()
            },
            updated_at: Utc::now(),
        };
        let merged = old.merged(
            &Figures {
                followers: Some(120),
                engagements: Some(7),
                ..Figures::default()
            },
            d("2026-11-20"),
            StatSource::GraphApi,
        );
        assert_eq!(merged.figures.followers, Some(120));
        assert_eq!(merged.figures.views, Some(50), "kept");
        assert_eq!(merged.sources.followers, Some(StatSource::GraphApi));
        assert_eq!(merged.sources.views, Some(StatSource::Manual));
        assert_eq!(merged.sources.engagements, Some(StatSource::GraphApi));
    }

    #[test]
    fn periods_end_by_today_and_run_forward() {
        let today = d("2026-11-27");
        assert_eq!(
            check_period(d("2026-11-27"), d("2026-11-21"), today),
            Ok(())
        );
        assert_eq!(
            check_period(d("2026-11-28"), d("2026-11-28"), today),
            Err(("day", DomainError::DateInFuture))
        );
        assert_eq!(
            check_period(d("2026-11-20"), d("2026-11-21"), today),
            Err(("periodStart", DomainError::PeriodReversed))
        );
        assert_eq!(
            check_period(d("2026-11-20"), d("2025-11-01"), today),
            Err(("periodStart", DomainError::PeriodTooLong))
        );
    }
}
