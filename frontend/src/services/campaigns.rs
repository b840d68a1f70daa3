//! Peak propaganda campaigns ("đợt tuyên truyền"), the post log of a unit's page ("sổ bài
//! viết"), and the requests to share a post ("đề nghị chia sẻ") with where each asked page
//! stands. Every figure and every permission is the API's: the app only shows them.

use super::ops::{
    CampaignDetail, Campaigns, CreateCampaign, LogPost, PagePoster, Posts, RecordShare,
    RequestShares, ShareRequestDetail, ShareRequests, campaign_detail, campaigns, create_campaign,
    log_post, page_poster, posts, record_share, request_shares, share_request_detail,
    share_requests,
};
use super::{Client, Slice};
use crate::error::Error;
use crate::models::{FieldErrors, Level, UserError};
use crate::text::{parse_day, parse_vietnam_datetime};

/// A unit's live Facebook page, as the API gives it (`Unit.page`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LivePage {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
}

/// The officer's unit on these screens: its page, and what the viewer may do there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnUnit {
    pub code: String,
    pub full_name: String,
    pub committee_name: String,
    pub page: Option<LivePage>,
    /// Log the unit's posts and shares.
    pub write: bool,
    /// Direct a campaign.
    pub oversee: bool,
}

macro_rules! own_unit_from {
    ($($module:ident),*) => {$(
        impl From<$module::OwnUnit> for OwnUnit {
            fn from(u: $module::OwnUnit) -> Self {
                Self {
                    code: u.code,
                    full_name: u.full_name,
                    committee_name: u.committee_name,
                    page: u.page.map(|p| LivePage { id: p.id, name: p.name, url: p.url }),
                    write: u.viewer_can.write,
                    oversee: u.viewer_can.oversee,
                }
            }
        }
    )*};
}

own_unit_from!(campaigns, posts, share_requests);

/// The user errors of a payload, as the app's.
macro_rules! user_errors {
    ($errors:expr) => {
        FieldErrors(
            $errors
                .into_iter()
                .map(|e| UserError {
                    field: e.field,
                    message: e.message,
                    code: e.code,
                })
                .collect(),
        )
    };
}

/// Errors of a form the app finds before sending it: a day it cannot read.
fn unreadable(field: &str, message: &str) -> UserError {
    UserError::new(Some(field), message, "UNREADABLE")
}

const DAY_FORMAT: &str = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026.";
const MOMENT_FORMAT: &str = "Nhập ngày giờ theo dạng dd/mm/yyyy HH:MM, ví dụ 31/12/2026 17:00.";

// ---------------------------------------------------------------------------------------
// Campaigns

/// A campaign as the app shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Campaign {
    pub id: String,
    /// The directing committee.
    pub unit_name: String,
    pub title: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub active: bool,
    pub hashtags: Vec<String>,
    pub key_messages: Vec<String>,
    pub materials: Vec<String>,
    pub levels: Vec<Level>,
    pub created_at: String,
}

macro_rules! campaign_from {
    ($($module:ident),*) => {$(
        impl From<$module::CampaignFields> for Campaign {
            fn from(c: $module::CampaignFields) -> Self {
                Self {
                    id: c.id,
                    unit_name: c.unit_name,
                    title: c.title,
                    theme: c.theme,
                    description: c.description,
                    starts_on: c.starts_on,
                    ends_on: c.ends_on,
                    active: c.active,
                    hashtags: c.hashtags,
                    key_messages: c.key_messages,
                    materials: c.materials,
                    levels: c
                        .levels
                        .into_iter()
                        .map(|l| match l {
                            $module::UnitLevel::CENTRAL => Level::Central,
                            $module::UnitLevel::PROVINCE => Level::Province,
                            $module::UnitLevel::DISTRICT => Level::District,
                            _ => Level::Commune,
                        })
                        .collect(),
                    created_at: c.created_at,
                }
            }
        }
    )*};
}

campaign_from!(campaigns, campaign_detail);

/// The campaigns of the officer's unit.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignsView {
    pub unit: OwnUnit,
    pub campaigns: Slice<Campaign>,
}

impl crate::hooks::Listing for CampaignsView {
    fn next(&self) -> Option<String> {
        self.campaigns.next.clone()
    }

    fn total(&self) -> i64 {
        self.campaigns.total
    }

    fn shown(&self) -> usize {
        self.campaigns.items.len()
    }

    fn append(&mut self, more: Self) {
        self.campaigns.items.extend(more.campaigns.items);
        self.campaigns.next = more.campaigns.next;
        self.campaigns.total = more.campaigns.total;
    }
}

/// How many items one request asks for.
pub const LIMIT: i64 = 20;

pub async fn campaigns(
    client: &Client,
    code: &str,
    after: Option<String>,
) -> Result<CampaignsView, Error> {
    let data = client
        .execute::<Campaigns>(campaigns::Variables {
            code: code.to_owned(),
            first: Some(LIMIT),
            after,
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let list = data.campaigns;
    Ok(CampaignsView {
        unit: unit.into(),
        campaigns: Slice::new(
            list.nodes.into_iter().map(Campaign::from),
            list.total_count,
            list.page_info.has_next_page,
            list.page_info.end_cursor,
        ),
    })
}

/// A unit directly below, with its subtree's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildProgress {
    pub code: String,
    pub name: String,
    pub units: i64,
    pub posted: i64,
    pub posts: i64,
    pub share: f64,
}

/// A campaign's progress under a unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub code: String,
    pub name: String,
    pub units: i64,
    pub posted: i64,
    pub posts: i64,
    pub share: f64,
    pub children: Vec<ChildProgress>,
    /// The units that have logged nothing yet (a first slice) and how many there are.
    pub silent: Vec<(String, String)>,
    pub silent_total: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CampaignView {
    pub campaign: Campaign,
    pub progress: Progress,
}

/// How many silent units the campaign screen lists.
pub const SILENT_LIMIT: i64 = 100;

/// A campaign and its progress under `unit_code` (the API's default when `None`).
pub async fn campaign(
    client: &Client,
    id: &str,
    unit_code: Option<String>,
) -> Result<CampaignView, Error> {
    let data = client
        .execute::<CampaignDetail>(campaign_detail::Variables {
            id: id.to_owned(),
            unit_code,
            first: Some(SILENT_LIMIT),
        })
        .await?;
    let Some(campaign_detail::CampaignDetailNode::Campaign(c)) = data.node else {
        return Err(Error::NotFound);
    };
    let p = c.progress;
    Ok(CampaignView {
        progress: Progress {
            code: p.unit.code,
            name: p.unit.full_name,
            units: p.units,
            posted: p.posted,
            posts: p.posts,
            share: p.share,
            children: p
                .children
                .into_iter()
                .map(|c| ChildProgress {
                    code: c.unit.code,
                    name: c.unit.full_name,
                    units: c.units,
                    posted: c.posted,
                    posts: c.posts,
                    share: c.share,
                })
                .collect(),
            silent_total: p.silent.total_count,
            silent: p
                .silent
                .nodes
                .into_iter()
                .map(|u| (u.code, u.full_name))
                .collect(),
        },
        campaign: c.campaign_fields.into(),
    })
}

/// The new campaign form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CampaignForm {
    pub title: String,
    pub theme: String,
    pub description: String,
    /// `dd/mm/yyyy`; empty: today.
    pub starts_on: String,
    /// `dd/mm/yyyy`; empty: the start day.
    pub ends_on: String,
    /// Separated by commas or spaces.
    pub hashtags: String,
    /// One per line.
    pub key_messages: String,
    /// One link per line.
    pub materials: String,
    pub levels: Vec<Level>,
}

/// Hashtags typed separated by commas or spaces.
pub fn split_hashtags(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Non-empty lines, trimmed.
pub fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn optional_day(field: &str, text: &str, errors: &mut Vec<UserError>) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let day = parse_day(text);
    if day.is_none() {
        errors.push(unreadable(field, DAY_FORMAT));
    }
    day
}

/// Directs a campaign for the unit `code`; the new campaign's id.
pub async fn create_campaign(
    client: &Client,
    code: &str,
    form: &CampaignForm,
) -> Result<Result<String, FieldErrors>, Error> {
    let mut errors = Vec::new();
    let starts_on = optional_day("startsOn", &form.starts_on, &mut errors);
    let ends_on = optional_day("endsOn", &form.ends_on, &mut errors);
    if !errors.is_empty() {
        return Ok(Err(FieldErrors(errors)));
    }
    let levels = (!form.levels.is_empty()).then(|| {
        form.levels
            .iter()
            .map(|l| match l {
                Level::Central => create_campaign::UnitLevel::CENTRAL,
                Level::Province => create_campaign::UnitLevel::PROVINCE,
                Level::District => create_campaign::UnitLevel::DISTRICT,
                Level::Commune => create_campaign::UnitLevel::COMMUNE,
            })
            .collect()
    });
    let data = client
        .execute::<CreateCampaign>(create_campaign::Variables {
            input: create_campaign::CreateCampaignInput {
                unit_code: code.to_owned(),
                title: form.title.trim().to_owned(),
                theme: optional(&form.theme),
                description: optional(&form.description),
                starts_on,
                ends_on,
                hashtags: split_hashtags(&form.hashtags),
                key_messages: split_lines(&form.key_messages),
                materials: split_lines(&form.materials),
                levels,
            },
        })
        .await?;
    let p = data.create_campaign;
    let errors = user_errors!(p.user_errors);
    Ok(match p.campaign {
        Some(c) if errors.is_empty() => Ok(c.id),
        _ => Err(errors),
    })
}

// ---------------------------------------------------------------------------------------
// Posts

/// How many of the pages asked shared, late or not yet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Compliance {
    pub shared: i64,
    pub not_yet: i64,
    pub late: i64,
    pub pages: i64,
    pub rate: f64,
}

macro_rules! compliance_from {
    ($($ty:path),*) => {$(
        impl From<$ty> for Compliance {
            fn from(c: $ty) -> Self {
                Self { shared: c.shared, not_yet: c.not_yet, late: c.late, pages: c.pages, rate: c.rate }
            }
        }
    )*};
}

compliance_from!(
    posts::PostsPostsNodesShareRequestCompliance,
    share_request_detail::ShareRequestDetailNodeOnShareRequestCompliance
);

/// The request to share a post, as the post log shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestSummary {
    pub id: String,
    pub deadline: String,
    pub overdue: bool,
    pub compliance: Compliance,
}

/// A logged post.
#[derive(Clone, Debug, PartialEq)]
pub struct PostRow {
    pub id: String,
    pub unit_name: String,
    pub url: String,
    /// A share of another unit's post.
    pub is_share: bool,
    pub published_at: String,
    pub title: Option<String>,
    pub campaigns: Vec<String>,
    pub share_request: Option<RequestSummary>,
    pub can_request_shares: bool,
}

/// The post log of the officer's unit.
#[derive(Clone, Debug, PartialEq)]
pub struct PostsView {
    pub unit: OwnUnit,
    /// The campaigns running today, to log a post under: (id, title).
    pub active_campaigns: Vec<(String, String)>,
    pub posts: Slice<PostRow>,
}

impl crate::hooks::Listing for PostsView {
    fn next(&self) -> Option<String> {
        self.posts.next.clone()
    }

    fn total(&self) -> i64 {
        self.posts.total
    }

    fn shown(&self) -> usize {
        self.posts.items.len()
    }

    fn append(&mut self, more: Self) {
        self.posts.items.extend(more.posts.items);
        self.posts.next = more.posts.next;
        self.posts.total = more.posts.total;
    }
}

/// The posts of `code`'s pages, the latest first; `today` is `YYYY-MM-DD`.
pub async fn posts(
    client: &Client,
    code: &str,
    today: &str,
    after: Option<String>,
) -> Result<PostsView, Error> {
    let data = client
        .execute::<Posts>(posts::Variables {
            code: code.to_owned(),
            today: today.to_owned(),
            first: Some(LIMIT),
            after,
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let list = data.posts;
    Ok(PostsView {
        unit: unit.into(),
        active_campaigns: data
            .campaigns
            .nodes
            .into_iter()
            .map(|c| (c.id, c.title))
            .collect(),
        posts: Slice::new(
            list.nodes.into_iter().map(|p| PostRow {
                id: p.id,
                unit_name: p.unit_name,
                url: p.url,
                is_share: matches!(p.kind, posts::PostKind::SHARE),
                published_at: p.published_at,
                title: p.title,
                campaigns: p.campaigns.into_iter().map(|c| c.title).collect(),
                share_request: p.share_request.map(|r| RequestSummary {
                    id: r.id,
                    deadline: r.deadline,
                    overdue: r.overdue,
                    compliance: r.compliance.into(),
                }),
                can_request_shares: p.viewer_can.request_shares,
            }),
            list.total_count,
            list.page_info.has_next_page,
            list.page_info.end_cursor,
        ),
    })
}

/// The form to log a post, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostForm {
    pub url: String,
    pub title: String,
    /// `dd/mm/yyyy HH:MM` in Vietnam.
    pub published_at: String,
    pub campaign_ids: Vec<String>,
}

/// Logs a post of the page `page_id`.
pub async fn log_post(
    client: &Client,
    page_id: &str,
    form: &PostForm,
) -> Result<Result<(), FieldErrors>, Error> {
    let published_at = if form.published_at.trim().is_empty() {
        None
    } else {
        match parse_vietnam_datetime(&form.published_at, 0) {
            Some(at) => Some(at),
            None => {
                return Ok(Err(FieldErrors(vec![unreadable(
                    "publishedAt",
                    MOMENT_FORMAT,
                )])));
            }
        }
    };
    let data = client
        .execute::<LogPost>(log_post::Variables {
            input: log_post::LogPostInput {
                page_id: page_id.to_owned(),
                url: form.url.trim().to_owned(),
                published_at,
                title: optional(&form.title),
                campaign_ids: form.campaign_ids.clone(),
                shared_from_post_id: None,
            },
        })
        .await?;
    let p = data.log_post;
    let errors = user_errors!(p.user_errors);
    Ok(if p.post.is_some() && errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

/// The form to ask the pages below to share a post, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShareAskForm {
    /// `dd/mm/yyyy HH:MM` in Vietnam; a day alone means its end.
    pub deadline: String,
    pub message: String,
}

/// Asks every live page below to share the post; the request's id.
pub async fn request_shares(
    client: &Client,
    post_id: &str,
    form: &ShareAskForm,
) -> Result<Result<String, FieldErrors>, Error> {
    let Some(deadline) = parse_vietnam_datetime(&form.deadline, 23 * 60 + 59) else {
        return Ok(Err(FieldErrors(vec![unreadable(
            "deadline",
            MOMENT_FORMAT,
        )])));
    };
    let data = client
        .execute::<RequestShares>(request_shares::Variables {
            input: request_shares::RequestSharesInput {
                post_id: post_id.to_owned(),
                deadline,
                message: optional(&form.message),
            },
        })
        .await?;
    let p = data.request_shares;
    let errors = user_errors!(p.user_errors);
    Ok(match p.share_request {
        Some(r) if errors.is_empty() => Ok(r.id),
        _ => Err(errors),
    })
}

// ---------------------------------------------------------------------------------------
// Share requests

/// Where a page stands on a share request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareStatus {
    Shared,
    Late,
    NotYet,
}

impl ShareStatus {
    pub const ALL: [Self; 3] = [Self::NotYet, Self::Shared, Self::Late];

    pub fn label(self) -> &'static str {
        match self {
            Self::Shared => "Đã chia sẻ",
            Self::Late => "Chia sẻ muộn",
            Self::NotYet => "Chưa chia sẻ",
        }
    }

    /// As the API's `ShareStatus` spells it.
    pub fn key(self) -> &'static str {
        match self {
            Self::Shared => "SHARED",
            Self::Late => "LATE",
            Self::NotYet => "NOT_YET",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

macro_rules! share_status_from {
    ($($module:ident),*) => {$(
        impl From<$module::ShareStatus> for ShareStatus {
            fn from(s: $module::ShareStatus) -> Self {
                match s {
                    $module::ShareStatus::SHARED => Self::Shared,
                    $module::ShareStatus::LATE => Self::Late,
                    _ => Self::NotYet,
                }
            }
        }
    )*};
}

share_status_from!(share_requests, share_request_detail);

/// A request addressed to the officer's unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareItem {
    pub id: String,
    pub post_url: String,
    pub post_title: Option<String>,
    /// The committee whose post it is.
    pub post_unit_name: String,
    /// The asking committee.
    pub unit_name: String,
    pub deadline: String,
    pub message: Option<String>,
    pub overdue: bool,
    pub status: Option<ShareStatus>,
    pub shared_at: Option<String>,
}

impl From<share_requests::ShareItem> for ShareItem {
    fn from(r: share_requests::ShareItem) -> Self {
        Self {
            id: r.id,
            post_url: r.post.url,
            post_title: r.post.title,
            post_unit_name: r.post.unit_name,
            unit_name: r.unit_name,
            deadline: r.deadline,
            message: r.message,
            overdue: r.overdue,
            status: r.status.map(Into::into),
            shared_at: r.shared_at,
        }
    }
}

/// The share to-do list of the officer's unit.
#[derive(Clone, Debug, PartialEq)]
pub struct SharesView {
    pub unit: OwnUnit,
    /// Still to share.
    pub pending: Vec<ShareItem>,
    /// Shared, on time or late.
    pub done: Vec<ShareItem>,
}

pub async fn shares(client: &Client, code: &str) -> Result<SharesView, Error> {
    let data = client
        .execute::<ShareRequests>(share_requests::Variables {
            code: code.to_owned(),
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    Ok(SharesView {
        unit: unit.into(),
        pending: data
            .pending
            .nodes
            .into_iter()
            .map(ShareItem::from)
            .collect(),
        done: data
            .all
            .nodes
            .into_iter()
            .map(ShareItem::from)
            .filter(|r| matches!(r.status, Some(ShareStatus::Shared | ShareStatus::Late)))
            .collect(),
    })
}

/// Records the share of request `request_id` on the page `page_id`, at `url`.
pub async fn record_share(
    client: &Client,
    request_id: &str,
    page_id: &str,
    url: &str,
) -> Result<Result<(), FieldErrors>, Error> {
    let data = client
        .execute::<RecordShare>(record_share::Variables {
            input: record_share::RecordShareInput {
                share_request_id: request_id.to_owned(),
                page_id: page_id.to_owned(),
                url: url.trim().to_owned(),
                published_at: None,
            },
        })
        .await?;
    let p = data.record_share;
    let errors = user_errors!(p.user_errors);
    Ok(if p.share_request.is_some() && errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

/// The compliance under a unit directly below.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildCompliance {
    pub code: String,
    pub name: String,
    pub compliance: Compliance,
}

/// A page asked to share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskedPage {
    pub code: String,
    pub name: String,
    pub status: ShareStatus,
    pub shared_at: Option<String>,
    pub share_url: Option<String>,
}

/// One request's compliance under a unit.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestView {
    pub id: String,
    pub post_url: String,
    pub post_title: Option<String>,
    pub post_unit_name: String,
    pub unit_name: String,
    pub deadline: String,
    pub message: Option<String>,
    pub overdue: bool,
    pub compliance: Compliance,
    pub children: Vec<ChildCompliance>,
    pub units: Slice<AskedPage>,
}

/// How many asked pages the request screen lists.
pub const UNITS_LIMIT: i64 = 100;

/// The request `id` under `unit_code` (the API's default when `None`), its asked pages
/// only at `status` when given.
pub async fn share_request(
    client: &Client,
    id: &str,
    unit_code: Option<String>,
    status: Option<ShareStatus>,
) -> Result<RequestView, Error> {
    let data = client
        .execute::<ShareRequestDetail>(share_request_detail::Variables {
            id: id.to_owned(),
            unit_code,
            status: status.map(|s| match s {
                ShareStatus::Shared => share_request_detail::ShareStatus::SHARED,
                ShareStatus::Late => share_request_detail::ShareStatus::LATE,
                ShareStatus::NotYet => share_request_detail::ShareStatus::NOT_YET,
            }),
            first: Some(UNITS_LIMIT),
            after: None,
        })
        .await?;
    let Some(share_request_detail::ShareRequestDetailNode::ShareRequest(r)) = data.node else {
        return Err(Error::NotFound);
    };
    Ok(RequestView {
        id: r.id,
        post_url: r.post.url,
        post_title: r.post.title,
        post_unit_name: r.post.unit_name,
        unit_name: r.unit_name,
        deadline: r.deadline,
        message: r.message,
        overdue: r.overdue,
        compliance: r.compliance.into(),
        children: r
            .children
            .into_iter()
            .map(|c| ChildCompliance {
                code: c.unit.code,
                name: c.unit.full_name,
                compliance: Compliance {
                    shared: c.shared,
                    not_yet: c.not_yet,
                    late: c.late,
                    pages: c.pages,
                    rate: c.rate,
                },
            })
            .collect(),
        units: Slice::new(
            r.units.nodes.into_iter().map(|a| AskedPage {
                code: a.unit.code,
                name: a.unit.full_name,
                status: a.status.into(),
                shared_at: a.shared_at,
                share_url: a.share.map(|s| s.url),
            }),
            r.units.total_count,
            r.units.page_info.has_next_page,
            r.units.page_info.end_cursor,
        ),
    })
}

// ---------------------------------------------------------------------------------------
// QR poster

/// What the QR poster of a page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poster {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
    pub unit_full_name: String,
    pub committee_name: String,
}

pub async fn poster(client: &Client, id: &str) -> Result<Poster, Error> {
    let data = client
        .execute::<PagePoster>(page_poster::Variables { id: id.to_owned() })
        .await?;
    let Some(page_poster::PagePosterNode::Page(p)) = data.node else {
        return Err(Error::NotFound);
    };
    Ok(Poster {
        id: p.id,
        name: p.name,
        url: p.url,
        unit_full_name: p.unit.full_name,
        committee_name: p.unit.committee_name,
    })
}

/// Where the API serves the QR code of a page's link.
pub fn qr_url(page_id: &str) -> String {
    format!("/qr/pages/{page_id}.svg")
}

#[cfg(test)]
mod tests {
    use super::{split_hashtags, split_lines};

    #[test]
    fn hashtags_and_lines_are_split_as_typed() {
        assert_eq!(
            split_hashtags("#DaiDoanKet, #QuangNam  MatTran;x"),
            vec!["#DaiDoanKet", "#QuangNam", "MatTran", "x"]
        );
        assert_eq!(
            split_lines(" Một \n\n Hai\r\n"),
            vec!["Một".to_owned(), "Hai".to_owned()]
        );
    }
}
