//! Peak propaganda campaigns (đợt tuyên truyền cao điểm, G9), the post log and "share this"
//! requests (G8): what a campaign is made of, which units take part, and how a unit's share
//! of a requested post is judged.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::DomainError;
use crate::page::{PageStatus, UnknownValue, parse_text, parse_web_url};
use crate::text::has_hidden_characters;
use crate::unit::UnitLevel;

/// The most hashtags, key messages or materials one campaign lists.
pub const LIST_MAX: usize = 20;
/// The longest key message, in characters.
pub const MESSAGE_MAX: usize = 1_000;
/// The longest description of a campaign or message of a share request, in characters.
pub const DESCRIPTION_MAX: usize = 4_000;
/// The longest theme, in characters.
pub const THEME_MAX: usize = 500;
/// The longest title or summary of a logged post, in characters.
pub const POST_TITLE_MAX: usize = 500;
/// The most campaigns one post is logged under.
pub const POST_CAMPAIGNS_MAX: usize = 10;
/// The longest hashtag, `#` left out.
pub const HASHTAG_MAX: usize = 100;

/// A campaign directed by a unit for its subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: Uuid,
    /// The unit that directs it; its subtree takes part.
    pub unit_id: Uuid,
    pub title: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// With their `#`, as written.
    pub hashtags: Vec<String>,
    pub key_messages: Vec<String>,
    /// Links to the campaign's materials (outlines, banners, videos).
    pub materials: Vec<String>,
    /// The levels whose units take part, in level order.
    pub levels: Vec<UnitLevel>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl Campaign {
    /// Whether the campaign runs on `day` (both ends included).
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }

    /// Whether units of `level` take part.
    pub fn takes_part(&self, level: UnitLevel) -> bool {
        self.levels.contains(&level)
    }
}

/// A campaign's dates: it may not end before it starts.
pub fn check_dates(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), DomainError> {
    if ends_on < starts_on {
        Err(DomainError::EndsBeforeStart)
    } else {
        Ok(())
    }
}

/// A hashtag as Facebook links it: `#` then 1–100 letters (Vietnamese ones included),
/// digits or underscores. The `#` may be left out when typed; it is written back.
pub fn parse_hashtag(text: &str) -> Result<String, DomainError> {
    use unicode_normalization::UnicodeNormalization;
    let text = text.trim();
    let body: String = text.strip_prefix('#').unwrap_or(text).nfc().collect();
    let valid = !body.is_empty()
        && body.chars().count() <= HASHTAG_MAX
        && body.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !has_hidden_characters(&body);
    if valid {
        Ok(format!("#{body}"))
    } else {
        Err(DomainError::InvalidHashtag)
    }
}

/// Hashtags, each checked, duplicates (by case) dropped, at most [`LIST_MAX`].
pub fn parse_hashtags(items: &[String]) -> Result<Vec<String>, DomainError> {
    let items = check_count(items)?;
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let tag = parse_hashtag(item)?;
        if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    Ok(out)
}

/// Key messages: non-empty texts of at most [`MESSAGE_MAX`] characters, blank ones dropped.
pub fn parse_messages(items: &[String]) -> Result<Vec<String>, DomainError> {
    let items = check_count(items)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if let Some(text) = parse_text(item, MESSAGE_MAX)? {
            out.push(text);
        }
    }
    Ok(out)
}

/// Links to materials: `http(s)` addresses, duplicates dropped.
pub fn parse_materials(items: &[String]) -> Result<Vec<String>, DomainError> {
    let items = check_count(items)?;
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let url = parse_web_url(item)?;
        if !out.contains(&url) {
            out.push(url);
        }
    }
    Ok(out)
}

/// The levels that take part: at least one, the national root never, in level order.
pub fn parse_levels(levels: &[UnitLevel]) -> Result<Vec<UnitLevel>, DomainError> {
    let mut out: Vec<UnitLevel> = levels
        .iter()
        .copied()
        .filter(|l| *l != UnitLevel::Central)
        .collect();
    out.sort();
    out.dedup();
    if out.is_empty() {
        Err(DomainError::NoLevels)
    } else {
        Ok(out)
    }
}

fn check_count(items: &[String]) -> Result<&[String], DomainError> {
    if items.len() > LIST_MAX {
        Err(DomainError::TooManyItems(LIST_MAX))
    } else {
        Ok(items)
    }
}

/// Whether a post is the unit's own or a share of another unit's logged post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostKind {
    Original,
    Share,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Original => "ORIGINAL",
            Self::Share => "SHARE",
        }
    }
}

impl std::str::FromStr for PostKind {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ORIGINAL" => Ok(Self::Original),
            "SHARE" => Ok(Self::Share),
            _ => Err(UnknownValue),
        }
    }
}

/// A post logged on a unit's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: Uuid,
    pub page_id: Uuid,
    /// The page's unit, kept with the post for lists by subtree.
    pub unit_id: Uuid,
    /// Canonical ([`crate::post_url::PostUrl`]); one post per link.
    pub url: String,
    pub kind: PostKind,
    /// The logged post this one shares, for a share.
    pub shared_from: Option<Uuid>,
    pub published_at: DateTime<Utc>,
    pub title: Option<String>,
    pub campaign_ids: Vec<Uuid>,
    pub logged_by: Option<Uuid>,
    pub logged_at: DateTime<Utc>,
}

/// A post's publication time: not in the future (a minute of clock skew allowed).
pub fn check_published_at(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), DomainError> {
    if at > now + chrono::Duration::minutes(1) {
        Err(DomainError::PublishedInFuture)
    } else {
        Ok(())
    }
}

/// The pages a share request asks and a post may be logged on: those that exist on Facebook
/// and are in use (not drafts without a link, not suspended or closed).
pub const LIVE: [PageStatus; 4] = [
    PageStatus::Established,
    PageStatus::Reported,
    PageStatus::Verified,
    PageStatus::Returned,
];

/// A unit's post marked by its admin for the pages below to share by a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareRequest {
    pub id: Uuid,
    pub post_id: Uuid,
    /// The unit of the post, which asks; the pages of its subtree below it share.
    pub unit_id: Uuid,
    pub deadline: DateTime<Utc>,
    pub message: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// Where a page stands on a share request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShareStatus {
    /// Shared by the deadline.
    Shared,
    /// Shared after the deadline.
    Late,
    /// Not shared (yet; past the deadline the request is overdue for it).
    NotYet,
}

impl ShareStatus {
    pub const ALL: [Self; 3] = [Self::Shared, Self::Late, Self::NotYet];

    /// Where a page stands given when its share was published, if it was.
    pub fn of(shared_at: Option<DateTime<Utc>>, deadline: DateTime<Utc>) -> Self {
        match shared_at {
            Some(at) if at <= deadline => Self::Shared,
            Some(_) => Self::Late,
            None => Self::NotYet,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shared => "SHARED",
            Self::Late => "LATE",
            Self::NotYet => "NOT_YET",
        }
    }
}

/// How many pages stand where on a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Compliance {
    pub shared: u64,
    pub late: u64,
    pub not_yet: u64,
}

impl Compliance {
    /// Every page asked.
    pub fn pages(&self) -> u64 {
        self.shared + self.late + self.not_yet
    }

    /// The part of the pages that shared by the deadline, 0–1 (0 when none was asked).
    pub fn rate(&self) -> f64 {
        ratio(self.shared, self.pages())
    }

    pub fn count(&mut self, status: ShareStatus) {
        match status {
            ShareStatus::Shared => self.shared += 1,
            ShareStatus::Late => self.late += 1,
            ShareStatus::NotYet => self.not_yet += 1,
        }
    }

    #[must_use]
    pub fn plus(self, other: Self) -> Self {
        Self {
            shared: self.shared + other.shared,
            late: self.late + other.late,
            not_yet: self.not_yet + other.not_yet,
        }
    }
}

/// `part / whole`, 0 for an empty whole.
#[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The deadline of a share request: later than now.
pub fn check_share_deadline(
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if deadline <= now {
        Err(DomainError::DeadlinePassed)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_keep_vietnamese_letters_and_gain_their_hash() {
        assert_eq!(parse_hashtag("DaiDoanKet").as_deref(), Ok("#DaiDoanKet"));
        assert_eq!(parse_hashtag(" #ĐạiĐoànKết ").as_deref(), Ok("#ĐạiĐoànKết"));
        for bad in ["#", "", "#đại đoàn kết", "#a-b", "#x\u{202e}y", "#<script>"] {
            assert_eq!(
                parse_hashtag(bad),
                Err(DomainError::InvalidHashtag),
                "{bad}"
            );
        }
        let long = format!("#{}", "a".repeat(HASHTAG_MAX + 1));
        assert_eq!(parse_hashtag(&long), Err(DomainError::InvalidHashtag));
    }

    #[test]
    fn lists_drop_duplicates_and_blanks_and_refuse_floods() {
        let tags = parse_hashtags(&["#MTTQ".into(), "mttq".into(), "#DaiDoanKet".into()]);
        assert_eq!(tags, Ok(vec!["#MTTQ".to_owned(), "#DaiDoanKet".to_owned()]));
        let messages = parse_messages(&["  ".into(), "  Đoàn kết toàn dân\n".into()]);
        assert_eq!(messages, Ok(vec!["Đoàn kết toàn dân".to_owned()]));
        let flood = vec!["#a".to_owned(); LIST_MAX + 1];
        assert_eq!(
            parse_hashtags(&flood),
            Err(DomainError::TooManyItems(LIST_MAX))
        );
        assert_eq!(
            parse_materials(&["javascript:alert(1)".into()]),
            Err(DomainError::InvalidWebUrl)
        );
    }

    #[test]
    fn levels_are_sorted_and_never_empty() {
        assert_eq!(
            parse_levels(&[UnitLevel::Commune, UnitLevel::District, UnitLevel::Commune]),
            Ok(vec![UnitLevel::District, UnitLevel::Commune])
        );
        assert_eq!(parse_levels(&[]), Err(DomainError::NoLevels));
        assert_eq!(
            parse_levels(&[UnitLevel::Central]),
            Err(DomainError::NoLevels)
        );
    }

    #[test]
    fn a_share_is_judged_by_its_publication_against_the_deadline() {
        let deadline = DateTime::parse_from_rfc3339("2026-12-01T17:00:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        let before = deadline - chrono::Duration::hours(1);
        let after = deadline + chrono::Duration::seconds(1);
        assert_eq!(ShareStatus::of(Some(before), deadline), ShareStatus::Shared);
        assert_eq!(
            ShareStatus::of(Some(deadline), deadline),
            ShareStatus::Shared
        );
        assert_eq!(ShareStatus::of(Some(after), deadline), ShareStatus::Late);
        assert_eq!(ShareStatus::of(None, deadline), ShareStatus::NotYet);
        let mut c = Compliance::default();
        for s in [
            ShareStatus::Shared,
            ShareStatus::NotYet,
            ShareStatus::Shared,
        ] {
            c.count(s);
        }
        assert_eq!(c.pages(), 3);
        assert!((c.rate() - 2.0 / 3.0).abs() < 1e-9);
        assert!(Compliance::default().rate().abs() < f64::EPSILON);
    }

    #[test]
    fn dates_and_times_are_checked() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(check_dates(d("2026-12-01"), d("2026-12-01")), Ok(()));
        assert_eq!(
            check_dates(d("2026-12-02"), d("2026-12-01")),
            Err(DomainError::EndsBeforeStart)
        );
        let now = Utc::now();
        assert_eq!(
            check_published_at(now + chrono::Duration::hours(1), now),
            Err(DomainError::PublishedInFuture)
        );
        assert_eq!(check_published_at(now, now), Ok(()));
        assert_eq!(
            check_share_deadline(now, now),
            Err(DomainError::DeadlinePassed)
        );
    }
}
