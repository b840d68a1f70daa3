//! Community pages: their platforms, the status machine a page goes through from its creation
//! to its verification by the level above (guideline G6), and the two duties on every page
//! (G10).
//!
//! ```text
//! DRAFT ──(has a URL)──▶ ESTABLISHED ──report──▶ REPORTED ──verify──▶ VERIFIED
//!                              ▲                    │  ▲                  │
//!                              │                 return │ report     name or URL changed
//!                              │                    ▼  │                  │
//!                              │                 RETURNED            REPORTED
//!  any live status ──suspend──▶ SUSPENDED ──reopen──▶ DRAFT / ESTABLISHED
//!  any status but CLOSED ──close──▶ CLOSED ──reopen──▶ DRAFT / ESTABLISHED
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::DomainError;
use crate::policy::Action;
use crate::text::has_hidden_characters;

/// The longest page name, in characters.
pub const NAME_MAX: usize = 200;
/// The longest link, in bytes.
pub const URL_MAX: usize = 2000;

/// A page name as typed: white space trimmed and collapsed, composed (NFC); 1–200 characters
/// without hidden ones. Whether it follows the naming rule is [`crate::page_name`]'s question.
pub fn parse_page_name(text: &str) -> Result<String, DomainError> {
    let name = collapse(text);
    if name.is_empty() || name.chars().count() > NAME_MAX || has_hidden_characters(&name) {
        return Err(DomainError::InvalidPageName);
    }
    Ok(name)
}

/// An optional free text (notes, a reason, an organisation): trimmed and composed (NFC);
/// empty is none; at most `max` characters; line breaks and tabs allowed, other hidden
/// characters not.
pub fn parse_text(text: &str, max: usize) -> Result<Option<String>, DomainError> {
    use unicode_normalization::UnicodeNormalization;
    let text: String = text.trim().nfc().collect();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(DomainError::TextTooLong(max));
    }
    if text.split(['\n', '\t', '\r']).any(has_hidden_characters) {
        return Err(DomainError::HiddenCharacters);
    }
    Ok(Some(text))
}

fn collapse(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

/// The link of a page on a platform other than Facebook: an `http(s)` address with a host,
/// no white space or hidden characters, at most 2,000 bytes; the scheme and host lower-cased.
pub fn parse_web_url(text: &str) -> Result<String, DomainError> {
    let text = text.trim();
    if text.len() > URL_MAX || text.chars().any(char::is_whitespace) || has_hidden_characters(text)
    {
        return Err(DomainError::InvalidWebUrl);
    }
    let lower = text.to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return Err(DomainError::InvalidWebUrl);
    };
    let rest = &text[scheme_len..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let valid_host = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    if !valid_host {
        return Err(DomainError::InvalidWebUrl);
    }
    Ok(format!(
        "{}{}{}",
        &lower[..scheme_len],
        host.to_ascii_lowercase(),
        &rest[host_end..]
    ))
}

/// What identifies a page's link on its platform, for "one page per link": a Facebook Page's
/// number or dot-less username ([`crate::page_url::PageUrl::identity`]), otherwise the
/// canonical link itself.
pub fn url_identity(platform: Platform, url: &str) -> String {
    match platform {
        Platform::Facebook => {
            crate::page_url::PageUrl::parse(url).map_or_else(|_| url.to_owned(), |u| u.identity())
        }
        _ => url.to_owned(),
    }
}

/// A page cannot have been established after `today`.
pub fn check_established_on(on: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    if on > today {
        Err(DomainError::DateInFuture)
    } else {
        Ok(())
    }
}

/// A unit's page on a platform, as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub platform: Platform,
    pub name: String,
    /// Whether the name conformed to the naming rule when it was last saved (the rule is
    /// applied again whenever the unit list changes).
    pub name_conforms: bool,
    /// The canonical link, once the page exists on its platform.
    pub url: Option<String>,
    pub status: PageStatus,
    pub established_on: Option<NaiveDate>,
    /// The organisation that helps build the page (G5), e.g. "Huyện đoàn Phú Ninh".
    pub supported_by: Option<String>,
    /// How to reach that organisation: a person, a phone number.
    pub supporter_contact: Option<String>,
    pub notes: Option<String>,
    /// Raised by every change: an edit made against an older version is refused.
    pub version: i32,
    /// When the page was last reported to the level above.
    pub reported_at: Option<DateTime<Utc>>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

/// One entry of a page's history: a status change or an edit, with who, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEvent {
    pub id: Uuid,
    pub page_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// The account; `None` for the server's operator.
    pub actor_id: Option<Uuid>,
    /// `create`, `update`, or a [`Transition`]'s name.
    pub action: String,
    pub from_status: Option<PageStatus>,
    pub to_status: PageStatus,
    pub reason: Option<String>,
}

/// Who holds a duty on a page, from when to when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub id: Uuid,
    pub page_id: Uuid,
    pub person_id: Uuid,
    pub duty: Duty,
    pub starts_on: NaiveDate,
    /// `None` while the person still holds the duty.
    pub ends_on: Option<NaiveDate>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// Where a page lives. Facebook first; the others are ready for later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Facebook,
    Zalo,
    Youtube,
    Tiktok,
    Website,
}

impl Platform {
    pub const ALL: [Self; 5] = [
        Self::Facebook,
        Self::Zalo,
        Self::Youtube,
        Self::Tiktok,
        Self::Website,
    ];

    /// The stored and published spelling, e.g. `FACEBOOK`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Facebook => "FACEBOOK",
            Self::Zalo => "ZALO",
            Self::Youtube => "YOUTUBE",
            Self::Tiktok => "TIKTOK",
            Self::Website => "WEBSITE",
        }
    }

    /// The name officers know it by.
    pub fn label(self) -> &'static str {
        match self {
            Self::Facebook => "Facebook",
            Self::Zalo => "Zalo",
            Self::Youtube => "YouTube",
            Self::Tiktok => "TikTok",
            Self::Website => "Trang web",
        }
    }
}

impl FromStr for Platform {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or(UnknownValue)
    }
}

/// A stored value that names no known variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown value")]
pub struct UnknownValue;

/// Where a page stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageStatus {
    /// Being set up: no link yet.
    Draft,
    /// Exists on the platform (has its link), not yet reported to the level above.
    Established,
    /// Name and link sent to the level above, waiting for its verification.
    Reported,
    /// Checked and accepted by an admin of a unit above.
    Verified,
    /// Sent back by the level above with a reason, to be fixed and reported again.
    Returned,
    /// Taken out of use for a while by an admin.
    Suspended,
    /// No longer the unit's page; the unit may register another.
    Closed,
}

impl PageStatus {
    pub const ALL: [Self; 7] = [
        Self::Draft,
        Self::Established,
        Self::Reported,
        Self::Verified,
        Self::Returned,
        Self::Suspended,
        Self::Closed,
    ];

    /// The stored and published spelling, e.g. `REPORTED`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::Established => "ESTABLISHED",
            Self::Reported => "REPORTED",
            Self::Verified => "VERIFIED",
            Self::Returned => "RETURNED",
            Self::Suspended => "SUSPENDED",
            Self::Closed => "CLOSED",
        }
    }

    /// The status as officers read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Đang lập",
            Self::Established => "Đã thành lập",
            Self::Reported => "Đã báo cáo",
            Self::Verified => "Đã xác nhận",
            Self::Returned => "Bị trả lại",
            Self::Suspended => "Tạm ngưng",
            Self::Closed => "Đã đóng",
        }
    }

    /// Whether the page is the unit's page on its platform: every status but `Closed`. At most
    /// one live page per unit and platform.
    pub fn is_live(self) -> bool {
        self != Self::Closed
    }

    /// The status of a page that has just been created, or reopened.
    pub fn initial(has_url: bool) -> Self {
        if has_url {
            Self::Established
        } else {
            Self::Draft
        }
    }

    /// The status after the page's details were edited: a draft that got its link is
    /// established; a verified page whose name or link changed must be verified again.
    #[must_use]
    pub fn after_edit(self, has_url: bool, name_or_url_changed: bool) -> Self {
        match self {
            Self::Draft if has_url => Self::Established,
            Self::Verified if name_or_url_changed => Self::Reported,
            other => other,
        }
    }

    /// The status `transition` leads to from this one, or why it cannot be taken.
    pub fn apply(self, transition: Transition, has_url: bool) -> Result<Self, TransitionError> {
        use PageStatus as S;
        use Transition as T;
        match (transition, self) {
            (T::Report, S::Established | S::Returned) => Ok(S::Reported),
            (T::Report, S::Draft) => Err(TransitionError::NoUrl),
            (T::Verify | T::Return, S::Reported) => Ok(if transition == T::Verify {
                S::Verified
            } else {
                S::Returned
            }),
            (T::Suspend, s) if s.is_live() && s != S::Suspended => Ok(S::Suspended),
            (T::Close, s) if s.is_live() => Ok(S::Closed),
            (T::Reopen, S::Suspended | S::Closed) => Ok(S::initial(has_url)),
            _ => Err(TransitionError::NotFrom(self)),
        }
    }
}

impl FromStr for PageStatus {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or(UnknownValue)
    }
}

impl fmt::Display for PageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step an officer takes on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transition {
    /// Send the name and link to the level above (the unit's own officers).
    Report,
    /// Accept a reported page (an admin of a unit above).
    Verify,
    /// Send a reported page back with a reason (an admin of a unit above).
    Return,
    /// Take the page out of use for a while (an admin of the unit or above).
    Suspend,
    /// Close the page (an admin of the unit or above).
    Close,
    /// Bring a suspended or closed page back (an admin of the unit or above).
    Reopen,
}

impl Transition {
    pub const ALL: [Self; 6] = [
        Self::Report,
        Self::Verify,
        Self::Return,
        Self::Suspend,
        Self::Close,
        Self::Reopen,
    ];

    /// What the policy must allow at the page's unit.
    pub fn action(self) -> Action {
        match self {
            Self::Report => Action::Write,
            Self::Verify | Self::Return => Action::Approve,
            Self::Suspend | Self::Close | Self::Reopen => Action::Oversee,
        }
    }

    /// Whether the step needs a reason from the officer.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Return)
    }

    /// The stored name of the step, e.g. `report`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Report => "report",
            Self::Verify => "verify",
            Self::Return => "return",
            Self::Suspend => "suspend",
            Self::Close => "close",
            Self::Reopen => "reopen",
        }
    }
}

/// The Vietnamese name of an entry of a page's history: `create`, `update` or a
/// [`Transition`]'s name.
pub fn history_label(action: &str) -> &'static str {
    match action {
        "create" => "Tạo trang",
        "update" => "Sửa thông tin",
        "report" => "Báo cáo lên cấp trên",
        "verify" => "Xác nhận",
        "return" => "Trả lại",
        "suspend" => "Tạm ngưng",
        "close" => "Đóng trang",
        "reopen" => "Mở lại",
        _ => "Thay đổi khác",
    }
}

/// Why a transition cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Trang chưa có đường dẫn: hãy nhập đường dẫn của trang trước khi báo cáo.")]
    NoUrl,
    #[error("Không thể thực hiện khi trang đang ở trạng thái «{}».", .0.label())]
    NotFrom(PageStatus),
}

impl TransitionError {
    pub fn code(self) -> &'static str {
        match self {
            Self::NoUrl => "PAGE_HAS_NO_URL",
            Self::NotFrom(_) => "INVALID_TRANSITION",
        }
    }
}

/// What an actor may do to a page, as [`crate::policy::can`] and the status machine decide
/// it: for a client to show only the actions it will be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[expect(clippy::struct_excessive_bools, reason = "one flag per action")]
pub struct PagePermissions {
    /// Change its details and assign its leader and operator.
    pub update: bool,
    pub report: bool,
    pub verify: bool,
    pub return_page: bool,
    pub suspend: bool,
    pub close: bool,
    pub reopen: bool,
}

/// [`PagePermissions`] of `actor` for a page in `status`, with or without a link, of the unit
/// at `unit`.
pub fn page_permissions(
    actor: &crate::Actor,
    status: PageStatus,
    has_url: bool,
    unit: &crate::UnitPath,
) -> PagePermissions {
    let allows = |step: Transition| {
        crate::policy::can(actor, step.action(), unit).is_ok()
            && status.apply(step, has_url).is_ok()
    };
    PagePermissions {
        update: status.is_live() && crate::policy::can(actor, Action::Write, unit).is_ok(),
        report: allows(Transition::Report),
        verify: allows(Transition::Verify),
        return_page: allows(Transition::Return),
        suspend: allows(Transition::Suspend),
        close: allows(Transition::Close),
        reopen: allows(Transition::Reopen),
    }
}

/// Whether a page has both its duties filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Staffing {
    /// A current leader and a current operator.
    Complete,
    /// One of them, or both, missing.
    Incomplete,
}

/// The two duties every page has exactly one holder of (G10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Duty {
    /// Lãnh đạo phụ trách: the leader in charge.
    Leader,
    /// Cán bộ quản lý, vận hành: the officer who runs the page.
    Operator,
}

impl Duty {
    pub const ALL: [Self; 2] = [Self::Leader, Self::Operator];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Leader => "LEADER",
            Self::Operator => "OPERATOR",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Leader => "Lãnh đạo phụ trách",
            Self::Operator => "Cán bộ quản lý, vận hành",
        }
    }
}

impl FromStr for Duty {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or(UnknownValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PageStatus as S;
    use Transition as T;

    #[test]
    fn a_page_goes_from_draft_to_verified() {
        let mut status = S::initial(false);
        assert_eq!(status, S::Draft);
        assert_eq!(status.apply(T::Report, false), Err(TransitionError::NoUrl));
        status = status.after_edit(true, true);
        assert_eq!(status, S::Established);
        status = status.apply(T::Report, true).expect("reportable");
        assert_eq!(status, S::Reported);
        assert_eq!(status.apply(T::Return, true), Ok(S::Returned));
        status = status.apply(T::Verify, true).expect("verifiable");
        assert_eq!(status, S::Verified);
        assert_eq!(status.after_edit(true, false), S::Verified);
        assert_eq!(status.after_edit(true, true), S::Reported);
    }

    #[test]
    fn a_returned_page_is_reported_again() {
        assert_eq!(S::Returned.apply(T::Report, true), Ok(S::Reported));
        assert_eq!(
            S::Returned.apply(T::Verify, true),
            Err(TransitionError::NotFrom(S::Returned))
        );
    }

    #[test]
    fn suspending_closing_and_reopening() {
        for status in [
            S::Draft,
            S::Established,
            S::Reported,
            S::Verified,
            S::Returned,
        ] {
            assert_eq!(status.apply(T::Suspend, true), Ok(S::Suspended));
            assert_eq!(status.apply(T::Close, true), Ok(S::Closed));
            assert!(status.apply(T::Reopen, true).is_err());
        }
        assert_eq!(S::Suspended.apply(T::Close, true), Ok(S::Closed));
        assert!(S::Suspended.apply(T::Suspend, true).is_err());
        assert!(S::Closed.apply(T::Close, true).is_err());
        assert_eq!(S::Closed.apply(T::Reopen, true), Ok(S::Established));
        assert_eq!(S::Suspended.apply(T::Reopen, false), Ok(S::Draft));
    }

    #[test]
    fn only_reported_pages_are_verified_or_returned() {
        for status in S::ALL {
            for t in [T::Verify, T::Return] {
                assert_eq!(status.apply(t, true).is_ok(), status == S::Reported);
            }
        }
    }

    #[test]
    fn texts_are_trimmed_composed_and_bounded() {
        assert_eq!(
            parse_page_name("  Mặt  trận\tPhú Ninh ").as_deref(),
            Ok("Mặt trận Phú Ninh")
        );
        assert!(parse_page_name("   ").is_err());
        assert!(parse_page_name("Mặt trận\u{202e}Phú Ninh").is_err());
        assert!(parse_page_name(&"a".repeat(201)).is_err());
        assert_eq!(parse_text("  ", 10), Ok(None));
        assert_eq!(
            parse_text("dòng 1\ndòng 2", 100),
            Ok(Some("dòng 1\ndòng 2".to_owned()))
        );
        assert_eq!(parse_text("abc", 2), Err(DomainError::TextTooLong(2)));
        assert_eq!(
            parse_text("a\u{0}b", 10),
            Err(DomainError::HiddenCharacters)
        );
    }

    #[test]
    fn web_links_need_a_scheme_and_a_host() {
        assert_eq!(
            parse_web_url(" HTTPS://Zalo.ME/mattran ").as_deref(),
            Ok("https://zalo.me/mattran")
        );
        for bad in [
            "zalo.me/x",
            "javascript:alert(1)",
            "https://localhost/x",
            "https://a b.vn",
            "ftp://x.vn",
        ] {
            assert!(parse_web_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spellings_round_trip() {
        for s in S::ALL {
            assert_eq!(s.as_str().parse(), Ok(s));
        }
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse(), Ok(p));
        }
        for d in Duty::ALL {
            assert_eq!(d.as_str().parse(), Ok(d));
        }
        assert!("facebook".parse::<Platform>().is_err());
    }
}
