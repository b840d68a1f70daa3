//! The link to a Facebook Page, in one canonical form.
//!
//! Officers paste whatever their browser or phone shows: `m.facebook.com/…?mibextid=…`,
//! `fb.com/MatTranPhuNinh/`, `facebook.com/profile.php?id=…&fbclid=…`, the link of a post on
//! the page, of a group, of another site. [`PageUrl::parse`] keeps only what names the Page and
//! writes it one way, so the same Page always has the same link (the link is unique among
//! pages):
//!
//! - `https://www.facebook.com/<username>` for a Page with a username (lower-case), or
//! - `https://www.facebook.com/profile.php?id=<digits>` for a Page known by its number.
//!
//! The canonical link is built from the checked username or number only, never copied from
//! the input, so nothing else the officer pasted (tracking parameters, fragments, tricks with
//! user names, ports or look-alike hosts) can reach it.

use std::fmt;

use crate::DomainError;

/// A link to a Facebook Page, canonical: `https://www.facebook.com/<username>` or
/// `https://www.facebook.com/profile.php?id=<digits>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageUrl(String);

/// The hosts that serve Facebook Pages, lower-case.
pub(crate) const HOSTS: &[&str] = &[
    "facebook.com",
    "www.facebook.com",
    "m.facebook.com",
    "mbasic.facebook.com",
    "web.facebook.com",
    "touch.facebook.com",
    "fb.com",
    "www.fb.com",
];

pub(crate) const PREFIX: &str = "https://www.facebook.com/";
const PROFILE_PREFIX: &str = "https://www.facebook.com/profile.php?id=";

/// First path segments that lead to one piece of content: a post, photo, video, story, reel,
/// event or share link.
const CONTENT: &[&str] = &[
    "permalink.php",
    "story.php",
    "photo.php",
    "photo",
    "photos",
    "video.php",
    "videos",
    "watch",
    "reel",
    "reels",
    "stories",
    "events",
    "event",
    "share",
    "media",
    "notes",
    "posts",
];

/// First path segments that are parts of Facebook, not Pages. Anything that looks like a
/// username must be listed (names shorter than a username are refused anyway), and so are
/// the segments `target` reads itself, so that `/pg/groups` is no more a Page than `/groups`.
const RESERVED: &[&str] = &[
    "about",
    "ads",
    "ajax",
    "api",
    "bookmarks",
    "business",
    "campaign",
    "careers",
    "checkpoint",
    "comment",
    "commerce",
    "communityhelp",
    "composer",
    "crisisresponse",
    "developers",
    "dialog",
    "directory",
    "discover",
    "feed",
    "feeds",
    "friends",
    "fundraisers",
    "games",
    "gaming",
    "graph",
    "groups",
    "hashtag",
    "help",
    "home",
    "instantgames",
    "jobs",
    "latest",
    "legal",
    "lite",
    "live",
    "login",
    "logout",
    "marketplace",
    "me",
    "memories",
    "messages",
    "messenger",
    "mobile",
    "notifications",
    "offers",
    "onthisday",
    "page",
    "pages",
    "people",
    "places",
    "plugins",
    "policies",
    "privacy",
    "profile",
    "public",
    "recover",
    "reg",
    "saved",
    "search",
    "security",
    "settings",
    "sharer",
    "shops",
    "signup",
    "support",
    "terms",
    "weather",
];

/// Second path segments of a Page that lead to one piece of content when followed by more.
/// Alone they are tabs of the Page (`/<page>/posts`, `/<page>/photos`): the Page itself.
const PAGE_CONTENT: &[&str] = &[
    "activity",
    "events",
    "notes",
    "permalink",
    "photo",
    "photos",
    "posts",
    "reel",
    "reels",
    "stories",
    "story",
    "video",
    "videos",
];

/// Longest input considered.
pub(crate) const MAX_INPUT: usize = 2_000;

/// What a link turned out to name.
enum Target<'a> {
    /// A username, as typed (checked and lower-cased later).
    Username(&'a str),
    /// A numeric id, as typed (checked later).
    Id(&'a str),
}

impl PageUrl {
    /// Usernames: letters, digits and dots, 5–50 of them.
    pub const USERNAME_MIN: usize = 5;
    pub const USERNAME_MAX: usize = 50;
    /// Numeric ids: 1–20 digits, the first not zero.
    pub const ID_MAX: usize = 20;

    /// Checks a pasted link and writes it in the canonical form.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        if raw.len() > MAX_INPUT {
            return Err(DomainError::PageUrlNotFacebook);
        }
        let text = raw.trim();
        if text.is_empty()
            || text.chars().any(char::is_whitespace)
            || crate::text::has_hidden_characters(text)
        {
            return Err(DomainError::PageUrlNotFacebook);
        }
        let rest = strip_scheme(text)?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(end);
        check_host(authority)?;
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        match target(path, query)? {
            Target::Username(name) => Self::from_username(name),
            Target::Id(id) => Self::from_id(id),
        }
    }

    fn from_username(name: &str) -> Result<Self, DomainError> {
        if name.bytes().all(|b| b.is_ascii_digit()) {
            return Self::from_id(name);
        }
        let valid = (Self::USERNAME_MIN..=Self::USERNAME_MAX).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
            && !name.starts_with('.')
            && !name.ends_with('.')
            && !name.contains("..");
        let name = name.to_ascii_lowercase();
        // `.php`, `.com` and the like name files and sites, never a Page.
        let extension = name.rsplit_once('.').map(|(_, ext)| ext);
        let reserved = RESERVED.contains(&name.as_str())
            || CONTENT.contains(&name.as_str())
            || matches!(
                extension,
                Some("php" | "html" | "htm" | "com" | "net" | "vn")
            );
        if !valid || reserved {
            return Err(DomainError::PageUrlNotAPage);
        }
        Ok(Self(format!("{PREFIX}{name}")))
    }

    fn from_id(id: &str) -> Result<Self, DomainError> {
        let valid = (1..=Self::ID_MAX).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_digit())
            && !id.starts_with('0');
        if valid {
            Ok(Self(format!("{PROFILE_PREFIX}{id}")))
        } else {
            Err(DomainError::PageUrlNotAPage)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Page's username, or `None` for a Page known by its number.
    pub fn username(&self) -> Option<&str> {
        if self.0.starts_with(PROFILE_PREFIX) {
            None
        } else {
            self.0.strip_prefix(PREFIX)
        }
    }

    /// The Page's number, for a Page known by it (`profile.php?id=`).
    pub fn profile_id(&self) -> Option<&str> {
        self.0.strip_prefix(PROFILE_PREFIX)
    }

    /// What identifies the Page on Facebook: its number, or its username without dots —
    /// Facebook does not count periods or case in a username, so `mat.tran.phuninh` and
    /// `mattranphuninh` are one Page. Two links with one identity are one page's.
    pub fn identity(&self) -> String {
        match (self.profile_id(), self.username()) {
            (Some(id), _) => format!("facebook:id:{id}"),
            (None, Some(name)) => format!("facebook:{}", name.replace('.', "")),
            (None, None) => self.0.clone(),
        }
    }
}

impl fmt::Display for PageUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for PageUrl {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// What follows `http://`, `https://`, `//` or nothing; refuses every other scheme.
pub(crate) fn strip_scheme(text: &str) -> Result<&str, DomainError> {
    for scheme in ["https://", "http://"] {
        if let Some(head) = text.get(..scheme.len())
            && head.eq_ignore_ascii_case(scheme)
        {
            return Ok(&text[scheme.len()..]);
        }
    }
    if let Some(rest) = text.strip_prefix("//") {
        return Ok(rest);
    }
    // Without a scheme the link starts with its host: a colon before the first slash is a
    // scheme (`javascript:`, `mailto:`, `https:/x`) or a port, both refused.
    let end = text.find(['/', '?', '#']).unwrap_or(text.len());
    if text[..end].contains(':') {
        return Err(DomainError::PageUrlNotFacebook);
    }
    Ok(text)
}

/// The host must be one of Facebook's, with no user name, password or port.
pub(crate) fn check_host(authority: &str) -> Result<(), DomainError> {
    if HOSTS
        .iter()
        .any(|host| host.eq_ignore_ascii_case(authority))
    {
        Ok(())
    } else {
        Err(DomainError::PageUrlNotFacebook)
    }
}

/// The Page a path and query lead to, or why they lead to none.
fn target<'a>(path: &'a str, query: &'a str) -> Result<Target<'a>, DomainError> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // `.` and `..` move about the path: whatever the browser would make of them, no Page link
    // needs them.
    if segments.iter().any(|s| matches!(*s, "." | "..")) || path.contains('\\') {
        return Err(DomainError::PageUrlNotAPage);
    }
    let Some(first) = segments.first() else {
        return Err(DomainError::PageUrlNotAPage);
    };
    let first = first.to_ascii_lowercase();
    let second = segments.get(1).copied();
    match first.as_str() {
        "profile.php" if segments.len() == 1 => query_value(query, "id")
            .map(Target::Id)
            .ok_or(DomainError::PageUrlNotAPage),
        // `/people/<Name>/<digits>` and the older `/pages/<Name>/<digits>`.
        "people" | "pages" => match segments.get(2) {
            Some(id) if id.bytes().all(|b| b.is_ascii_digit()) => Ok(Target::Id(id)),
            _ => Err(DomainError::PageUrlNotAPage),
        },
        "pg" => second
            .map(Target::Username)
            .ok_or(DomainError::PageUrlNotAPage),
        "groups" | "group.php" => Err(DomainError::PageUrlIsGroup),
        // The Watch feed alone is a part of Facebook; with a video chosen it is the video.
        "watch" if segments.len() == 1 && query_value(query, "v").is_none() => {
            Err(DomainError::PageUrlNotAPage)
        }
        _ if CONTENT.contains(&first.as_str()) => Err(DomainError::PageUrlIsPost),
        _ if RESERVED.contains(&first.as_str()) => Err(DomainError::PageUrlNotAPage),
        _ => {
            if let Some(tab) = second
                && segments.len() > 2
                && PAGE_CONTENT.contains(&tab.to_ascii_lowercase().as_str())
            {
                return Err(DomainError::PageUrlIsPost);
            }
            Ok(Target::Username(segments[0]))
        }
    }
}

/// The value of the first parameter named `key` in a query.
pub(crate) fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_do_not_make_another_page() {
        let dotted = PageUrl::parse("https://www.facebook.com/mat.tran.phuninh").expect("valid");
        let plain = PageUrl::parse("fb.com/MatTranPhuNinh").expect("valid");
        assert_eq!(dotted.as_str(), "https://www.facebook.com/mat.tran.phuninh");
        assert_eq!(dotted.identity(), plain.identity());
        let numbered = PageUrl::parse("https://facebook.com/profile.php?id=100089").expect("valid");
        assert_eq!(numbered.identity(), "facebook:id:100089");
    }
    use proptest::prelude::*;

    fn canonical(raw: &str) -> String {
        match PageUrl::parse(raw) {
            Ok(url) => url.0,
            Err(e) => panic!("{raw}: {e:?}"),
        }
    }

    #[test]
    fn page_links_are_written_one_way() {
        for (raw, want) in [
            (
                "https://m.facebook.com/mattranphuninh?mibextid=abc",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "fb.com/MatTranPhuNinh/",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "facebook.com/mattranphuninh",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "  HTTPS://WWW.FACEBOOK.COM/MatTran.PhuNinh//  ",
                "https://www.facebook.com/mattran.phuninh",
            ),
            (
                "http://web.facebook.com/mattranphuninh#top",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "https://mbasic.facebook.com/mattranphuninh?refid=17&__tn__=%2CdC-R&__cft__[0]=AZX",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "https://touch.facebook.com/mattranphuninh/?ref=page_internal&rdid=x&share_url=y",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "www.fb.com/mattranphuninh",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "//facebook.com/mattranphuninh",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "https://www.facebook.com/profile.php?id=100064&fbclid=x",
                "https://www.facebook.com/profile.php?id=100064",
            ),
            (
                "https://m.facebook.com/profile.php?fbclid=x&id=100064&sk=about#x",
                "https://www.facebook.com/profile.php?id=100064",
            ),
            (
                "https://facebook.com/people/Mat-Tran-Phu-Ninh/100089/",
                "https://www.facebook.com/profile.php?id=100089",
            ),
            (
                "https://facebook.com/people/Mặt-Trận-Phú-Ninh/100089/?mibextid=x",
                "https://www.facebook.com/profile.php?id=100089",
            ),
            (
                "https://www.facebook.com/pages/Mat-Tran-Phu-Ninh/100089",
                "https://www.facebook.com/profile.php?id=100089",
            ),
            (
                "https://www.facebook.com/100089",
                "https://www.facebook.com/profile.php?id=100089",
            ),
            (
                "https://www.facebook.com/pg/mattranphuninh/about/?ref=page_internal",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "https://www.facebook.com/mattranphuninh/about",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "https://www.facebook.com/mattranphuninh/posts/",
                "https://www.facebook.com/mattranphuninh",
            ),
            (
                "https://www.facebook.com/mattranphuninh/photos",
                "https://www.facebook.com/mattranphuninh",
            ),
        ] {
            assert_eq!(canonical(raw), want, "{raw}");
        }
    }

    #[test]
    fn usernames_and_numbers_are_told_apart() {
        let named = PageUrl::parse("fb.com/MatTranPhuNinh").expect("valid");
        assert_eq!(named.username(), Some("mattranphuninh"));
        assert_eq!(named.profile_id(), None);
        assert_eq!(named.to_string(), "https://www.facebook.com/mattranphuninh");
        let numbered = PageUrl::parse("facebook.com/profile.php?id=100064").expect("valid");
        assert_eq!(numbered.username(), None);
        assert_eq!(numbered.profile_id(), Some("100064"));
    }

    #[test]
    fn posts_and_other_content_are_refused() {
        for raw in [
            "https://www.facebook.com/mattranphuninh/posts/pfbid02abc",
            "https://www.facebook.com/mattranphuninh/posts/123456789",
            "https://www.facebook.com/mattranphuninh/videos/123456789/",
            "https://www.facebook.com/mattranphuninh/photos/a.123/456/",
            "https://www.facebook.com/permalink.php?story_fbid=1&id=2",
            "https://m.facebook.com/story.php?story_fbid=1&id=2",
            "https://www.facebook.com/photo.php?fbid=1",
            "https://www.facebook.com/photo/?fbid=1&set=a.2",
            "https://www.facebook.com/watch/?v=123",
            "https://www.facebook.com/watch/live/?v=123",
            "https://www.facebook.com/reel/123",
            "https://www.facebook.com/events/123/",
            "https://www.facebook.com/share/p/1AbCdEf/",
            "https://www.facebook.com/share/1AbCdEf/",
            "https://www.facebook.com/stories/123",
        ] {
            assert_eq!(
                PageUrl::parse(raw),
                Err(DomainError::PageUrlIsPost),
                "{raw}"
            );
        }
    }

    #[test]
    fn groups_are_refused() {
        for raw in [
            "https://www.facebook.com/groups/mattranphuninh",
            "https://www.facebook.com/groups/123456/posts/789",
            "facebook.com/GROUPS/123",
        ] {
            assert_eq!(
                PageUrl::parse(raw),
                Err(DomainError::PageUrlIsGroup),
                "{raw}"
            );
        }
    }

    #[test]
    fn parts_of_facebook_that_are_not_pages_are_refused() {
        for raw in [
            "https://www.facebook.com",
            "https://www.facebook.com/",
            "https://www.facebook.com/?sk=h_chr",
            "https://www.facebook.com/login",
            "https://www.facebook.com/login.php?next=x",
            "https://www.facebook.com/home.php",
            "https://www.facebook.com/search/top?q=mat%20tran",
            "https://www.facebook.com/watch",
            "https://www.facebook.com/marketplace/item/1",
            "https://www.facebook.com/gaming/x",
            "https://www.facebook.com/help/123",
            "https://www.facebook.com/policies",
            "https://www.facebook.com/settings",
            "https://www.facebook.com/messages/t/1",
            "https://www.facebook.com/notifications",
            "https://www.facebook.com/hashtag/mattran",
            "https://www.facebook.com/pages/create",
            "https://www.facebook.com/pg/groups",
            "https://www.facebook.com/pg/posts/1",
            "https://www.facebook.com/pg",
            "https://www.facebook.com/people/Mat-Tran",
            "https://www.facebook.com/l.php?u=https%3A%2F%2Fevil.com",
            "https://www.facebook.com/sharer/sharer.php?u=x",
            "https://www.facebook.com/profile.php",
            "https://www.facebook.com/profile.php?id=abc",
            "https://www.facebook.com/profile.php?id=0123",
            "https://www.facebook.com/profile.php?id=123456789012345678901",
            "https://www.facebook.com/abcd",
            "https://www.facebook.com/mat-tran",
            "https://www.facebook.com/mat_tran_phu",
            "https://www.facebook.com/mặttrận",
            "https://www.facebook.com/mat%74ranphuninh",
            "https://www.facebook.com/.mattran",
            "https://www.facebook.com/mattran.",
            "https://www.facebook.com/mattranphuninh.com",
            "https://www.facebook.com/mattranphuninh/../groups/1",
            "https://www.facebook.com/a\\mattranphuninh",
            &format!("https://www.facebook.com/{}", "a".repeat(51)),
        ] {
            assert_eq!(
                PageUrl::parse(raw),
                Err(DomainError::PageUrlNotAPage),
                "{raw}"
            );
        }
        assert!(PageUrl::parse(&format!("https://www.facebook.com/{}", "a".repeat(50))).is_ok());
    }

    #[test]
    fn other_sites_and_tricks_are_refused() {
        for raw in [
            "",
            "   ",
            "mattranphuninh",
            "https://www.youtube.com/@mattranphuninh",
            "youtube.com/mattranphuninh",
            "javascript:alert(1)",
            "JavaScript://facebook.com/%0aalert(1)",
            "data:text/html,<script>",
            "mailto:mattran@facebook.com",
            "ftp://facebook.com/mattranphuninh",
            "https://facebook.com.evil.com/x",
            "https://evilfacebook.com/x",
            "https://www.facebook.com.vn/mattranphuninh",
            "https://facebook.com./mattranphuninh",
            "https://l.facebook.com/l.php?u=x",
            "https://business.facebook.com/mattranphuninh",
            "https://fb.watch/abc",
            "https://user@facebook.com/mattranphuninh",
            "https://evil.com@facebook.com/mattranphuninh",
            "https://facebook.com@evil.com/mattranphuninh",
            "https://user:pass@www.facebook.com/mattranphuninh",
            "https://www.facebook.com:443/mattranphuninh",
            "facebook.com:8080/mattranphuninh",
            "https://evil.com\\@facebook.com/mattranphuninh",
            "https:/www.facebook.com/mattranphuninh",
            "https:www.facebook.com/mattranphuninh",
            "https://www.facebook.com/matt ranphuninh",
            "https://www.facebook.com/\u{0}mattranphuninh",
            "https://www.facebook.com/mattran\u{200B}phuninh",
            "https://www.facebook.com/mattranphuninh\u{202E}",
            "\u{0}https://www.facebook.com/mattranphuninh",
            "https://www.facebook.com/mattranphuninh\r\nX-Header: 1",
            "https://www.facébook.com/mattranphuninh",
            "https://xn--www.facebook.com/mattranphuninh",
        ] {
            assert_eq!(
                PageUrl::parse(raw),
                Err(DomainError::PageUrlNotFacebook),
                "{raw:?}"
            );
        }
        let long = format!(
            "https://www.facebook.com/mattranphuninh?x={}",
            "a".repeat(2_000)
        );
        assert_eq!(PageUrl::parse(&long), Err(DomainError::PageUrlNotFacebook));
        // A long tracking parameter within the limit is dropped like any other.
        let tracked = format!(
            "https://www.facebook.com/mattranphuninh?fbclid={}",
            "a".repeat(1_900)
        );
        assert_eq!(
            PageUrl::parse(&tracked).map(|u| u.0),
            Ok("https://www.facebook.com/mattranphuninh".to_owned())
        );
    }

    #[test]
    fn refusals_explain_themselves_in_vietnamese() {
        for (error, code) in [
            (DomainError::PageUrlNotFacebook, "PAGE_URL_NOT_FACEBOOK"),
            (DomainError::PageUrlIsPost, "PAGE_URL_IS_POST"),
            (DomainError::PageUrlIsGroup, "PAGE_URL_IS_GROUP"),
            (DomainError::PageUrlNotAPage, "PAGE_URL_NOT_A_PAGE"),
        ] {
            assert_eq!(error.code(), code);
            let message = error.to_string();
            assert!(
                message.contains("https://www.facebook.com/mattranphuninh"),
                "{message}"
            );
            assert!(unicode_normalization::is_nfc(&message), "{message}");
        }
        assert!(
            DomainError::PageUrlNotFacebook
                .to_string()
                .starts_with("Đường dẫn không phải trang Facebook")
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in "\\PC{0,80}") {
            if let Ok(url) = PageUrl::parse(&s) {
                prop_assert!(url.as_str().starts_with(PREFIX));
                prop_assert_eq!(PageUrl::parse(url.as_str()), Ok(url.clone()));
            }
        }

        #[test]
        fn never_panics_on_any_text(s in any::<String>()) {
            let once = PageUrl::parse(&s);
            if let Ok(url) = once {
                prop_assert_eq!(PageUrl::parse(url.as_str()), Ok(url.clone()));
            }
        }

        #[test]
        fn pasted_page_links_come_out_canonical(
            scheme in prop::sample::select(vec!["", "http://", "https://", "HTTPS://", "//"]),
            host in prop::sample::select(HOSTS.to_vec()),
            upper in any::<bool>(),
            name in "[a-zA-Z][a-zA-Z0-9]{4,20}(\\.[a-zA-Z0-9]{1,10})?",
            tail in prop::sample::select(vec!["", "/", "/about", "/posts", "//", "/about/?ref=x"]),
            query in "(\\?(fbclid|mibextid|ref|__tn__)=[a-zA-Z0-9%_-]{0,20})?",
            fragment in "(#[a-z]{0,5})?",
        ) {
            let host = if upper { host.to_ascii_uppercase() } else { host.to_owned() };
            let raw = format!("{scheme}{host}/{name}{tail}{query}{fragment}");
            let lower = name.to_ascii_lowercase();
            prop_assume!(!RESERVED.contains(&lower.as_str()) && !CONTENT.contains(&lower.as_str()));
            prop_assume!(!matches!(lower.rsplit_once('.'), Some((_, "php" | "html" | "htm" | "com" | "net" | "vn"))));
            let want = format!("{PREFIX}{lower}");
            let url = PageUrl::parse(&raw);
            prop_assert_eq!(
                url.as_ref().map(PageUrl::as_str),
                Ok(want.as_str()),
                "{}", raw
            );
            let url = url.expect("checked");
            prop_assert_eq!(PageUrl::parse(url.as_str()), Ok(url.clone()));
        }

        #[test]
        fn numbered_pages_come_out_canonical(
            host in prop::sample::select(HOSTS.to_vec()),
            id in "[1-9][0-9]{0,16}",
            junk in "(&(fbclid|mibextid|sk)=[a-zA-Z0-9]{0,10})?",
        ) {
            let want = format!("{PROFILE_PREFIX}{id}");
            for raw in [
                format!("https://{host}/profile.php?id={id}{junk}"),
                format!("{host}/people/Some-Name/{id}/"),
                format!("{host}/{id}"),
            ] {
                let url = PageUrl::parse(&raw);
                prop_assert_eq!(url.as_ref().map(PageUrl::as_str), Ok(want.as_str()), "{}", raw);
            }
        }
    }
}
