//! The link to one post of a Facebook Page, in one canonical form.
//!
//! Officers report the posts their Page published by pasting whatever «Sao chép liên kết»
//! gave them: `m.facebook.com/<page>/posts/pfbid…?mibextid=…`, `story.php?story_fbid=…&id=…`
//! from the basic site, `facebook.com/share/p/…` from the phone app, the link of a video, a
//! reel or a photo. [`PostUrl::parse`] checks that the link leads to one post of the Page the
//! report is for and writes it one way, so the same post pasted twice has the same link:
//!
//! - `https://www.facebook.com/<username>/posts/<id>` for a post of a Page with a username,
//! - `https://www.facebook.com/permalink.php?story_fbid=<id>&id=<page number>` for a post of a
//!   Page known by its number, and for every `permalink.php` or `story.php` link,
//! - `https://www.facebook.com/share/p/<code>` (or `share/v/`, `share/r/`, `share/`) for a
//!   share link,
//! - `https://www.facebook.com/<username or number>/videos/<digits>`,
//!   `https://www.facebook.com/reel/<digits>`, `https://www.facebook.com/watch/?v=<digits>`
//!   and `https://www.facebook.com/photo/?fbid=<digits>` for videos, reels and photos.
//!
//! A post id is 1–20 digits (not starting with 0) or `pfbid` followed by 20–80 letters and
//! digits, whose case matters. When the link names its Page (by username or by number) and
//! the Page can be compared with the report's, another Page is refused; share links, reels,
//! `watch` and photo links do not name their Page and are taken on trust.
//!
//! The canonical link is built from the checked ids, codes and the report's own Page only,
//! never copied from the input, so nothing else the officer pasted (tracking parameters,
//! fragments, tricks with user names, ports or look-alike hosts) can reach it.

use std::fmt;

use crate::DomainError;
use crate::page_url::{self, PREFIX, PageUrl};

/// A link to one post of a Facebook Page, canonical (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostUrl(String);

const PERMALINK_PREFIX: &str = "https://www.facebook.com/permalink.php?story_fbid=";

/// The prefix of a `pfbid` post id, in this case only.
const PFBID: &str = "pfbid";

/// Who a link says published the post, once compared with the report's Page.
enum Owner {
    /// A Page with this canonical username.
    Name(String),
    /// A Page known by this number.
    Number(String),
}

impl PostUrl {
    /// Numeric ids (of posts, videos, photos and Pages): 1–20 digits, the first not zero.
    pub const ID_MAX: usize = 20;
    /// `pfbid` ids: `pfbid` then 20–80 ASCII letters and digits.
    pub const PFBID_MIN: usize = 20;
    pub const PFBID_MAX: usize = 80;
    /// Share codes: 5–40 ASCII letters and digits.
    pub const SHARE_MIN: usize = 5;
    pub const SHARE_MAX: usize = 40;
    /// Album segments of a photo link (`a.123`, `pcb.456`): read, never written.
    const ALBUM_MAX: usize = 100;

    /// Checks a pasted link to a post of `page` and writes it in canonical form.
    pub fn parse(raw: &str, page: &PageUrl) -> Result<Self, DomainError> {
        let (path, query) = split(raw)?;
        // `.` and `..` move about the path and `\` is a slash to some browsers: no post link
        // needs them.
        if path.contains('\\') {
            return Err(DomainError::PostUrlInvalid);
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if segments.iter().any(|s| matches!(*s, "." | "..")) {
            return Err(DomainError::PostUrlInvalid);
        }
        let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
        let keys: Vec<&str> = lower.iter().map(String::as_str).collect();
        let link = match (keys.as_slice(), segments.as_slice()) {
            (["permalink.php" | "story.php"], _) => permalink(query, page)?,
            (["share", _], [_, code]) => format!("{PREFIX}share/{}", share_code(code)?),
            (["share", kind @ ("p" | "v" | "r"), _], [_, _, code]) => {
                format!("{PREFIX}share/{kind}/{}", share_code(code)?)
            }
            (["reel", _], [_, id]) => format!("{PREFIX}reel/{}", number(id)?),
            (["watch"], _) => {
                let id = page_url::query_value(query, "v").ok_or(DomainError::PostUrlInvalid)?;
                format!("{PREFIX}watch/?v={}", number(id)?)
            }
            (["photo" | "photo.php"], _) => {
                let id = page_url::query_value(query, "fbid").ok_or(DomainError::PostUrlInvalid)?;
                format!("{PREFIX}photo/?fbid={}", number(id)?)
            }
            ([_, "posts", _], [name, _, id]) => {
                let id = post_id(id)?;
                match owner(name, page)? {
                    Owner::Name(name) => format!("{PREFIX}{name}/posts/{id}"),
                    Owner::Number(number) => format!("{PERMALINK_PREFIX}{id}&id={number}"),
                }
            }
            ([_, "videos", _], [name, _, id]) => {
                let id = number(id)?;
                match owner(name, page)? {
                    Owner::Name(owner) | Owner::Number(owner) => {
                        format!("{PREFIX}{owner}/videos/{id}")
                    }
                }
            }
            ([_, "photos", _], [name, _, id]) => {
                let id = number(id)?;
                owner(name, page)?;
                format!("{PREFIX}photo/?fbid={id}")
            }
            ([_, "photos", _, _], [name, _, album, id]) => {
                let id = number(id)?;
                let album_ok = (1..=Self::ALBUM_MAX).contains(&album.len())
                    && album
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
                if !album_ok {
                    return Err(DomainError::PostUrlInvalid);
                }
                owner(name, page)?;
                format!("{PREFIX}photo/?fbid={id}")
            }
            _ => return Err(DomainError::PostUrlInvalid),
        };
        Ok(Self(link))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for PostUrl {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The path and query of a pasted link on one of Facebook's hosts; the fragment is dropped.
/// Refuses what is too long, holds spaces or hidden characters, has another scheme, or
/// another host (with user names, passwords and ports counted as another host).
fn split(raw: &str) -> Result<(&str, &str), DomainError> {
    if raw.len() > page_url::MAX_INPUT {
        return Err(DomainError::PostUrlInvalid);
    }
    let text = raw.trim();
    if text.is_empty()
        || text.chars().any(char::is_whitespace)
        || crate::text::has_hidden_characters(text)
    {
        return Err(DomainError::PostUrlInvalid);
    }
    let rest = page_url::strip_scheme(text).map_err(|_| DomainError::PostUrlInvalid)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(end);
    page_url::check_host(authority).map_err(|_| DomainError::PostUrlInvalid)?;
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    Ok(rest.split_once('?').unwrap_or((rest, "")))
}

/// `permalink.php` and `story.php`: the post and its Page's number are in the query.
fn permalink(query: &str, page: &PageUrl) -> Result<String, DomainError> {
    let story = page_url::query_value(query, "story_fbid").ok_or(DomainError::PostUrlInvalid)?;
    let story = post_id(story)?;
    let id = page_url::query_value(query, "id").ok_or(DomainError::PostUrlInvalid)?;
    let id = number(id)?;
    // A Page known by its username has a number too, but it is not known here.
    if let Some(own) = page.profile_id()
        && own != id
    {
        return Err(DomainError::PostOfAnotherPage);
    }
    Ok(format!("{PERMALINK_PREFIX}{story}&id={id}"))
}

/// A numeric id: 1–20 digits, the first not zero.
fn number(id: &str) -> Result<&str, DomainError> {
    let valid = (1..=PostUrl::ID_MAX).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_digit())
        && !id.starts_with('0');
    if valid {
        Ok(id)
    } else {
        Err(DomainError::PostUrlInvalid)
    }
}

/// A post id: numeric, or `pfbid` and 20–80 letters and digits (case kept).
fn post_id(id: &str) -> Result<&str, DomainError> {
    if let Some(code) = id.strip_prefix(PFBID) {
        let valid = (PostUrl::PFBID_MIN..=PostUrl::PFBID_MAX).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_alphanumeric());
        if valid {
            Ok(id)
        } else {
            Err(DomainError::PostUrlInvalid)
        }
    } else {
        number(id)
    }
}

/// A share code: 5–40 letters and digits (case kept).
fn share_code(code: &str) -> Result<&str, DomainError> {
    let valid = (PostUrl::SHARE_MIN..=PostUrl::SHARE_MAX).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric());
    if valid {
        Ok(code)
    } else {
        Err(DomainError::PostUrlInvalid)
    }
}

/// The Page a `/<page>/…` segment names, compared with the report's `page`.
///
/// Same Page (by [`PageUrl::identity`]: number, or username without dots or case): the
/// report's Page, as it is written. Two usernames or two numbers that differ: another Page.
/// A username against a number cannot be compared here (a Page with a username has a number
/// too): the link's own Page is kept, like `permalink.php` links of a Page known by username.
fn owner(segment: &str, page: &PageUrl) -> Result<Owner, DomainError> {
    let named =
        PageUrl::parse(&format!("{PREFIX}{segment}")).map_err(|_| DomainError::PostUrlInvalid)?;
    let same = named.identity() == page.identity();
    if !same && named.profile_id().is_some() == page.profile_id().is_some() {
        return Err(DomainError::PostOfAnotherPage);
    }
    let written = if same { page } else { &named };
    match (written.profile_id(), written.username()) {
        (Some(number), _) => Ok(Owner::Number(number.to_owned())),
        (None, Some(name)) => Ok(Owner::Name(name.to_owned())),
        (None, None) => Err(DomainError::PostUrlInvalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A `pfbid` id with both cases, which must survive as typed.
    const PF: &str = "pfbid0AbCdEfGhIjKlMnOpQrStUvWxYz123456789";
    const NUMBER: &str = "100064123456789";

    fn page(raw: &str) -> PageUrl {
        match PageUrl::parse(raw) {
            Ok(page) => page,
            Err(e) => panic!("{raw}: {e:?}"),
        }
    }

    /// The Page of the tests, with a username.
    fn named() -> PageUrl {
        page("https://www.facebook.com/mattranphuninh")
    }

    /// The same Page, spelt with dots.
    fn dotted() -> PageUrl {
        page("https://www.facebook.com/mat.tran.phuninh")
    }

    /// A Page known by its number.
    fn numbered() -> PageUrl {
        page(&format!("https://www.facebook.com/profile.php?id={NUMBER}"))
    }

    fn canonical(raw: &str, page: &PageUrl) -> String {
        match PostUrl::parse(raw, page) {
            Ok(url) => url.0,
            Err(e) => panic!("{raw}: {e:?}"),
        }
    }

    /// Checks a table of accepted links and their canonical forms, and that every canonical
    /// link reads back as itself.
    fn accepts(rows: Vec<(String, PageUrl, String)>) {
        for (raw, page, want) in rows {
            assert_eq!(canonical(&raw, &page), want, "{raw}");
            assert_eq!(canonical(&want, &page), want, "{want}");
        }
    }

    #[test]
    fn post_links_are_written_one_way() {
        let post = |id: &str| format!("https://www.facebook.com/mattranphuninh/posts/{id}");
        let permalink = |id: &str| {
            format!("https://www.facebook.com/permalink.php?story_fbid={id}&id={NUMBER}")
        };
        accepts(vec![
            (
                format!("https://www.facebook.com/mattranphuninh/posts/{PF}"),
                named(),
                post(PF),
            ),
            (
                "m.facebook.com/MatTranPhuNinh/posts/123456789012345/?mibextid=wwXIfr".to_owned(),
                named(),
                post("123456789012345"),
            ),
            (
                format!(
                    "https://mbasic.facebook.com/mattranphuninh/posts/{PF}?__cft__[0]=AZX_1-b&__tn__=%2CO%2CP-R"
                ),
                named(),
                post(PF),
            ),
            (
                format!("http://web.facebook.com/mattranphuninh/posts/{PF}#comments"),
                named(),
                post(PF),
            ),
            (
                format!("  HTTPS://WWW.FACEBOOK.COM/MatTranPhuNinh/POSTS/{PF}//  "),
                named(),
                post(PF),
            ),
            (
                format!(
                    "https://www.facebook.com/mat.tran.phuninh/posts/{PF}?rdid=x&share_url=https%3A%2F%2Fx"
                ),
                named(),
                post(PF),
            ),
            (
                "touch.facebook.com/mattranphuninh/posts/1?ref=embed_post&fbclid=IwAR0x".to_owned(),
                named(),
                post("1"),
            ),
            (
                format!("fb.com/mattranphuninh/posts/{PF}"),
                named(),
                post(PF),
            ),
            (
                "//www.fb.com/mattranphuninh/posts/98765432109876543210".to_owned(),
                named(),
                post("98765432109876543210"),
            ),
            // The Page of the report spelt with dots: its own spelling is written.
            (
                format!("https://www.facebook.com/MatTranPhuNinh/posts/{PF}?locale=vi_VN"),
                dotted(),
                format!("https://www.facebook.com/mat.tran.phuninh/posts/{PF}"),
            ),
            // A Page with a username, its post named by the Page's number: not checkable.
            (
                format!("https://www.facebook.com/{NUMBER}/posts/{PF}"),
                named(),
                permalink(PF),
            ),
            (
                format!("https://m.facebook.com/{NUMBER}/posts/{PF}/?app=fbl"),
                numbered(),
                permalink(PF),
            ),
            // A Page known by number, its post named by a username: not checkable.
            (
                "https://www.facebook.com/MatTranPhuNinh/posts/42".to_owned(),
                numbered(),
                post("42"),
            ),
            (
                format!("https://www.facebook.com/permalink.php?story_fbid={PF}&id={NUMBER}"),
                numbered(),
                permalink(PF),
            ),
            (
                format!(
                    "https://m.facebook.com/story.php?story_fbid=123&id={NUMBER}&eav=AfY&paipv=0"
                ),
                numbered(),
                permalink("123"),
            ),
            (
                format!(
                    "https://mbasic.facebook.com/story.php?id={NUMBER}&story_fbid={PF}&sfnsn=mo#x"
                ),
                named(),
                permalink(PF),
            ),
            (
                format!("WWW.FACEBOOK.COM/PERMALINK.PHP?fbclid=x&story_fbid=7&id={NUMBER}"),
                named(),
                permalink("7"),
            ),
        ]);
    }

    #[test]
    fn shares_videos_reels_and_photos_are_written_one_way() {
        accepts(vec![
            (
                "https://www.facebook.com/share/p/1AbCdEfGh/?mibextid=wwXIfr".to_owned(),
                named(),
                "https://www.facebook.com/share/p/1AbCdEfGh".to_owned(),
            ),
            (
                "https://www.facebook.com/share/1AbCdEfGh/".to_owned(),
                numbered(),
                "https://www.facebook.com/share/1AbCdEfGh".to_owned(),
            ),
            (
                "m.facebook.com/share/v/19XyZab".to_owned(),
                named(),
                "https://www.facebook.com/share/v/19XyZab".to_owned(),
            ),
            (
                "https://web.facebook.com/Share/R/abcde/?locale=vi_VN".to_owned(),
                named(),
                "https://www.facebook.com/share/r/abcde".to_owned(),
            ),
            (
                "https://www.facebook.com/mattranphuninh/videos/1234567890/?__tn__=%2CO".to_owned(),
                named(),
                "https://www.facebook.com/mattranphuninh/videos/1234567890".to_owned(),
            ),
            (
                "https://m.facebook.com/mat.tran.phuninh/videos/55/".to_owned(),
                named(),
                "https://www.facebook.com/mattranphuninh/videos/55".to_owned(),
            ),
            (
                format!("https://www.facebook.com/{NUMBER}/videos/123"),
                numbered(),
                format!("https://www.facebook.com/{NUMBER}/videos/123"),
            ),
            (
                "https://www.facebook.com/reel/123456789?fbclid=x&sfnsn=mo".to_owned(),
                named(),
                "https://www.facebook.com/reel/123456789".to_owned(),
            ),
            (
                "https://www.facebook.com/watch/?v=123456789&ref=sharing".to_owned(),
                named(),
                "https://www.facebook.com/watch/?v=123456789".to_owned(),
            ),
            (
                "https://m.facebook.com/watch?v=3&rdid=y#t".to_owned(),
                numbered(),
                "https://www.facebook.com/watch/?v=3".to_owned(),
            ),
            (
                "https://www.facebook.com/photo/?fbid=123&set=a.456".to_owned(),
                named(),
                "https://www.facebook.com/photo/?fbid=123".to_owned(),
            ),
            (
                "https://mbasic.facebook.com/photo.php?fbid=123&id=100064&set=a.1&eav=x".to_owned(),
                named(),
                "https://www.facebook.com/photo/?fbid=123".to_owned(),
            ),
            (
                "https://www.facebook.com/mattranphuninh/photos/a.123/456/?type=3".to_owned(),
                named(),
                "https://www.facebook.com/photo/?fbid=456".to_owned(),
            ),
            (
                "https://www.facebook.com/mattranphuninh/photos/456".to_owned(),
                dotted(),
                "https://www.facebook.com/photo/?fbid=456".to_owned(),
            ),
        ]);
    }

    #[test]
    fn display_and_as_ref_show_the_canonical_link() {
        let url =
            PostUrl::parse("m.facebook.com/mattranphuninh/posts/1?ref=x", &named()).expect("valid");
        let want = "https://www.facebook.com/mattranphuninh/posts/1";
        assert_eq!(url.as_str(), want);
        assert_eq!(url.to_string(), want);
        assert_eq!(url.as_ref(), want);
    }

    #[test]
    fn links_that_are_not_posts_are_refused() {
        let long = format!(
            "https://www.facebook.com/mattranphuninh/posts/1?fbclid={}",
            "a".repeat(2_000)
        );
        for raw in [
            "",
            "   ",
            "mattranphuninh",
            "https://www.facebook.com",
            "https://www.facebook.com/mattranphuninh",
            "https://www.facebook.com/mattranphuninh/",
            "https://www.facebook.com/mattranphuninh/posts",
            "https://www.facebook.com/mattranphuninh/posts/",
            "https://www.facebook.com/mattranphuninh/about/1",
            "https://www.facebook.com/mattranphuninh/posts/1/2",
            "https://www.facebook.com/mattranphuninh/videos/pfbid0AbCdEfGhIjKlMnOpQrStUv",
            "https://www.facebook.com/groups/123456/posts/789",
            "https://www.facebook.com/groups/posts/789",
            "https://www.facebook.com/groups/mattranphuninh/permalink/789/",
            "https://www.facebook.com/profile.php?id=100064123456789",
            "https://www.facebook.com/profile.php/posts/1",
            "https://www.facebook.com/people/Mat-Tran/100064/posts/1",
            "https://www.facebook.com/pg/mattranphuninh/posts/1",
            "https://www.facebook.com/mattran-phuninh/posts/1",
            "https://www.facebook.com/mặttrận/posts/1",
            "https://www.facebook.com/login.php?next=%2Fmattranphuninh%2Fposts%2F1",
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.facebook.com%2Fx%2Fposts%2F1",
            "https://www.facebook.com/sharer/sharer.php?u=x",
            "https://www.youtube.com/watch?v=123",
            "https://facebook.com.evil.vn/mattranphuninh/posts/1",
            "https://evil.vn/facebook.com/mattranphuninh/posts/1",
            "evil.vn/www.facebook.com/mattranphuninh/posts/1",
            "https://evilfacebook.com/mattranphuninh/posts/1",
            "https://user@facebook.com/mattranphuninh/posts/1",
            "https://facebook.com@evil.vn/mattranphuninh/posts/1",
            "https://www.facebook.com:443/mattranphuninh/posts/1",
            "facebook.com:8080/mattranphuninh/posts/1",
            "https://evil.vn\\@facebook.com/mattranphuninh/posts/1",
            "https:/www.facebook.com/mattranphuninh/posts/1",
            "ftp://www.facebook.com/mattranphuninh/posts/1",
            "javascript:alert(1)",
            "JavaScript://www.facebook.com/mattranphuninh/posts/1%0aalert(1)",
            "data:text/html,<script>",
            "https://www.facebook.com/mattranphuninh/posts/ 1",
            "https://www.facebook.com/mattranphuninh/posts/1\r\nX-Header: 1",
            "https://www.facebook.com/mattranphuninh/posts/1\u{202E}",
            "https://www.facebook.com/mattran\u{200B}phuninh/posts/1",
            "\u{0}https://www.facebook.com/mattranphuninh/posts/1",
            "https://www.facebook.com/mattranphuninh/posts/1#\u{2066}",
            &long,
            "https://www.facebook.com/mattranphuninh/./posts/1",
            "https://www.facebook.com/x/../mattranphuninh/posts/1",
            "https://www.facebook.com/mattranphuninh/posts/..",
            "https://www.facebook.com/mattranphuninh\\posts\\1",
            "https://www.facebook.com/events/123/",
            "https://www.facebook.com/stories/123",
        ] {
            assert_eq!(
                PostUrl::parse(raw, &named()),
                Err(DomainError::PostUrlInvalid),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn bad_ids_and_codes_are_refused() {
        let too_long_pfbid = format!(
            "https://www.facebook.com/mattranphuninh/posts/pfbid{}",
            "a".repeat(81)
        );
        let long_album = format!(
            "https://www.facebook.com/mattranphuninh/photos/{}/1",
            "a".repeat(101)
        );
        for raw in [
            "https://www.facebook.com/mattranphuninh/posts/0123",
            "https://www.facebook.com/mattranphuninh/posts/0",
            "https://www.facebook.com/mattranphuninh/posts/123456789012345678901",
            "https://www.facebook.com/mattranphuninh/posts/-1",
            "https://www.facebook.com/mattranphuninh/posts/12a",
            "https://www.facebook.com/mattranphuninh/posts/%31",
            "https://www.facebook.com/mattranphuninh/posts/pfbid0abc",
            "https://www.facebook.com/mattranphuninh/posts/PFBID0AbCdEfGhIjKlMnOpQrStUvWxYz",
            "https://www.facebook.com/mattranphuninh/posts/pfbid0AbCdEfGhIjKlMnOpQr_StUvWxYz",
            &too_long_pfbid,
            "https://www.facebook.com/share/p/abcd",
            "https://www.facebook.com/share/p/1AbC_dEfGh",
            &format!("https://www.facebook.com/share/p/{}", "a".repeat(41)),
            "https://www.facebook.com/share/x/1AbCdEfGh",
            "https://www.facebook.com/share/p",
            "https://www.facebook.com/share/p/1AbCdEfGh/extra",
            "https://www.facebook.com/permalink.php?story_fbid=1",
            &format!("https://www.facebook.com/permalink.php?id={NUMBER}"),
            &format!("https://www.facebook.com/permalink.php?story_fbid=abc&id={NUMBER}"),
            "https://www.facebook.com/permalink.php?story_fbid=1&id=0123",
            "https://www.facebook.com/permalink.php?story_fbid=1&id=mattranphuninh",
            &format!("https://www.facebook.com/permalink.php/x?story_fbid=1&id={NUMBER}"),
            "https://www.facebook.com/watch",
            "https://www.facebook.com/watch/?v=abc",
            "https://www.facebook.com/watch/?v=",
            "https://www.facebook.com/reel/abc",
            "https://www.facebook.com/reel",
            "https://www.facebook.com/photo/?fbid=",
            "https://www.facebook.com/photo.php?fbid=a.1",
            "https://www.facebook.com/mattranphuninh/photos/a.1%2F/2",
            &long_album,
        ] {
            assert_eq!(
                PostUrl::parse(raw, &named()),
                Err(DomainError::PostUrlInvalid),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn posts_of_another_page_are_refused() {
        for (raw, page) in [
            ("https://www.facebook.com/mattranquangnam/posts/1", named()),
            (
                "https://m.facebook.com/mat.tran.quang.nam/posts/1?mibextid=x",
                dotted(),
            ),
            ("https://www.facebook.com/mattranphuninh2/videos/7", named()),
            (
                "https://www.facebook.com/mattranquangnam/photos/a.1/2/",
                named(),
            ),
            (
                "https://www.facebook.com/100000000000001/posts/1",
                numbered(),
            ),
            (
                "https://www.facebook.com/permalink.php?story_fbid=1&id=100000000000001",
                numbered(),
            ),
            (
                "https://m.facebook.com/story.php?story_fbid=1&id=100000000000001&eav=x",
                numbered(),
            ),
            (
                "https://www.facebook.com/100000000000001/videos/1",
                numbered(),
            ),
        ] {
            assert_eq!(
                PostUrl::parse(raw, &page),
                Err(DomainError::PostOfAnotherPage),
                "{raw}"
            );
        }
        // A link that is no post at all says so, whatever Page it names.
        assert_eq!(
            PostUrl::parse(
                "https://www.facebook.com/mattranquangnam/posts/abc",
                &named()
            ),
            Err(DomainError::PostUrlInvalid)
        );
    }

    #[test]
    fn refusals_have_their_codes() {
        assert_eq!(DomainError::PostUrlInvalid.code(), "POST_URL_INVALID");
        assert_eq!(
            DomainError::PostOfAnotherPage.code(),
            "POST_OF_ANOTHER_PAGE"
        );
    }

    /// The pages the property tests post for.
    fn pages() -> impl Strategy<Value = PageUrl> {
        prop::sample::select(vec![
            "https://www.facebook.com/mattranphuninh",
            "https://www.facebook.com/mat.tran.phuninh",
            "https://www.facebook.com/profile.php?id=100064123456789",
        ])
        .prop_map(page)
    }

    fn post_ids() -> impl Strategy<Value = String> {
        prop_oneof!["[1-9][0-9]{0,19}", "pfbid[a-zA-Z0-9]{20,80}"]
    }

    /// Links to posts of the test pages, with any host, scheme and spelling, without tracking
    /// parameters or fragments.
    fn post_links() -> impl Strategy<Value = String> {
        let digits = "[1-9][0-9]{0,19}";
        let name = prop::sample::select(vec![
            "mattranphuninh",
            "MatTranPhuNinh",
            "mat.tran.phuninh",
            "MATTRANPHUNINH",
            "100064123456789",
        ]);
        let path = prop_oneof![
            (name.clone(), post_ids(), "/?").prop_map(|(n, id, s)| format!("{n}/posts/{id}{s}")),
            (
                post_ids(),
                prop::sample::select(vec!["permalink.php", "story.php"])
            )
                .prop_map(|(id, file)| format!("{file}?story_fbid={id}&id=100064123456789")),
            (
                post_ids(),
                prop::sample::select(vec!["permalink.php", "story.php"])
            )
                .prop_map(|(id, file)| format!("{file}?id=100064123456789&story_fbid={id}")),
            ("(p/|v/|r/|P/)?", "[a-zA-Z0-9]{5,40}", "/?")
                .prop_map(|(kind, code, s)| format!("share/{kind}{code}{s}")),
            (name.clone(), digits, "/?").prop_map(|(n, id, s)| format!("{n}/videos/{id}{s}")),
            (name, "(a|pcb)\\.[0-9]{1,20}/", digits)
                .prop_map(|(n, album, id)| format!("{n}/photos/{album}{id}/")),
            digits.prop_map(|id| format!("reel/{id}")),
            digits.prop_map(|id| format!("watch/?v={id}")),
            digits.prop_map(|id| format!("photo/?fbid={id}")),
            digits.prop_map(|id| format!("photo.php?fbid={id}")),
        ];
        (
            prop::sample::select(vec!["", "http://", "https://", "HTTPS://", "//"]),
            prop::sample::select(page_url::HOSTS.to_vec()),
            any::<bool>(),
            path,
        )
            .prop_map(|(scheme, host, upper, path)| {
                let host = if upper {
                    host.to_ascii_uppercase()
                } else {
                    host.to_owned()
                };
                format!("{scheme}{host}/{path}")
            })
    }

    /// Query parameters Facebook and others add to links, none of them read.
    fn tracking() -> impl Strategy<Value = Vec<(&'static str, String)>> {
        prop::collection::vec(
            (
                prop::sample::select(vec![
                    "__cft__[0]",
                    "__tn__",
                    "mibextid",
                    "rdid",
                    "fbclid",
                    "ref",
                    "share_url",
                    "paipv",
                    "eav",
                    "sfnsn",
                    "locale",
                    "set",
                    "type",
                    "app",
                    "refid",
                ]),
                "[a-zA-Z0-9%_.,:-]{0,40}",
            ),
            1..4,
        )
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(s in any::<String>(), page in pages()) {
            if let Ok(url) = PostUrl::parse(&s, &page) {
                prop_assert!(url.as_str().starts_with(PREFIX));
                prop_assert_eq!(PostUrl::parse(url.as_str(), &page), Ok(url.clone()));
            }
        }

        #[test]
        fn never_panics_on_near_misses(
            s in "(https?://)?(www\\.|m\\.)?facebook\\.com/[a-zA-Z0-9./?=&#%\\\\@:_-]{0,80}",
            page in pages(),
        ) {
            if let Ok(url) = PostUrl::parse(&s, &page) {
                prop_assert!(url.as_str().starts_with(PREFIX));
                prop_assert!(url.as_str().bytes().all(|b| b.is_ascii_alphanumeric()
                    || matches!(b, b':' | b'/' | b'.' | b'?' | b'=' | b'&')));
                prop_assert_eq!(PostUrl::parse(url.as_str(), &page), Ok(url.clone()));
            }
        }

        #[test]
        fn post_links_are_accepted_and_idempotent(raw in post_links(), page in pages()) {
            let url = PostUrl::parse(&raw, &page);
            prop_assert!(url.is_ok(), "{} for {}: {:?}", raw, page, url);
            let url = url.expect("checked");
            prop_assert!(url.as_str().starts_with(PREFIX));
            prop_assert_eq!(PostUrl::parse(url.as_str(), &page), Ok(url.clone()));
        }

        #[test]
        fn tracking_and_fragments_change_nothing(
            raw in post_links(),
            page in pages(),
            params in tracking(),
            fragment in "(#[a-zA-Z0-9_=&?/.-]{0,20})?",
        ) {
            let want = PostUrl::parse(&raw, &page);
            let mut tracked = raw.clone();
            for (key, value) in &params {
                let sep = if tracked.contains('?') { '&' } else { '?' };
                tracked = format!("{tracked}{sep}{key}={value}");
            }
            tracked.push_str(&fragment);
            prop_assert_eq!(PostUrl::parse(&tracked, &page), want.clone(), "{}", tracked);
            prop_assert_eq!(PostUrl::parse(&format!("{raw}{fragment}"), &page), want, "{}", raw);
        }
    }
}
