//! Peak propaganda campaigns, the post log and "share this" requests (G8, G9): a unit directs
//! a campaign for its subtree; operators log their page's posts under campaigns; an admin
//! asks the pages below to share one of its unit's posts by a deadline, and each operator
//! records the share. Campaigns and share requests are read down the tree from the unit that
//! issued them ([`Action::ReadDirective`]); everything else only within the reader's subtree.

use chrono::{DateTime, NaiveDate, Utc};
use domain::campaign::{
    self, Campaign, Compliance, LIVE, Post, PostKind, ShareRequest, ShareStatus,
};
use domain::page::{Page, Platform};
use domain::page_url::PageUrl;
use domain::policy::Action;
use domain::post_url::PostUrl;
use domain::rollout::parse_title;
use domain::{Unit, UnitLevel};
use store::campaigns::{
    AskedPage, CampaignCursor, CampaignFilter, PostCursor, PostFilter, RequestFilter,
    RequestForPage, ShareRequestCursor,
};
use store::units::UnitCursor;
use store::{Begin, ConnectionTrait, Slice, SliceRequest, StoreError};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::error::Problems;
use crate::pages::page_for;
use crate::rollout::unit_for;
use crate::{AppError, By};

/// A new campaign.
#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    pub unit_code: String,
    pub title: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub hashtags: Vec<String>,
    pub key_messages: Vec<String>,
    pub materials: Vec<String>,
    /// `None`: every level from the unit's own down.
    pub levels: Option<Vec<UnitLevel>>,
}

/// Directs a campaign for the subtree of the unit with this code: an admin of the unit or
/// above.
pub async fn create_campaign(
    db: &impl Begin,
    by: By<'_>,
    input: CampaignInput,
) -> Result<Campaign, AppError> {
    let unit = unit_for(db, by, &input.unit_code, Action::Oversee).await?;
    let mut problems = Problems::default();
    let title = problems.check("title", parse_title(&input.title));
    let theme = problems.text("theme", input.theme.as_deref(), campaign::THEME_MAX);
    let description = problems.text(
        "description",
        input.description.as_deref(),
        campaign::DESCRIPTION_MAX,
    );
    let hashtags = problems.check("hashtags", campaign::parse_hashtags(&input.hashtags));
    let key_messages = problems.check("keyMessages", campaign::parse_messages(&input.key_messages));
    let materials = problems.check("materials", campaign::parse_materials(&input.materials));
    let levels = input.levels.unwrap_or_else(|| {
        UnitLevel::ALL
            .into_iter()
            .filter(|l| *l >= unit.level)
            .collect()
    });
    let levels = problems.check("levels", campaign::parse_levels(&levels));
    if levels
        .as_ref()
        .is_some_and(|ls| ls.iter().any(|l| *l < unit.level))
    {
        problems.user_error(
            "levels",
            "LEVEL_ABOVE_UNIT",
            "Cấp tham gia chỉ gồm cấp của đơn vị phát động và các cấp dưới.",
        );
    }
    let starts_on = input.starts_on.unwrap_or_else(crate::pages::today);
    let ends_on = input.ends_on.unwrap_or(starts_on);
    problems.check("endsOn", campaign::check_dates(starts_on, ends_on));
    problems.done()?;
    let (Some(title), Some(hashtags), Some(key_messages), Some(materials), Some(levels)) =
        (title, hashtags, key_messages, materials, levels)
    else {
        return Err(AppError::Invalid(Vec::new()));
    };
    let campaign = Campaign {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        title,
        theme,
        description,
        starts_on,
        ends_on,
        hashtags,
        key_messages,
        materials,
        levels,
        created_by: by.account_id(),
        created_at: Utc::now(),
    };
    let txn = store::begin(db).await?;
    store::campaigns::insert_campaign(&txn, &campaign).await?;
    let audited = Event::CampaignCreated {
        unit: unit.code.clone(),
        title: campaign.title.clone(),
        starts_on,
        ends_on,
        levels: campaign
            .levels
            .iter()
            .map(|l| l.as_str().to_owned())
            .collect(),
    };
    audit::record(&txn, by, &unit.path, Some(campaign.id), &audited).await?;
    store::commit(txn).await?;
    Ok(campaign)
}

/// Whether the actor reads a directive (campaign, share request) of the unit with this id:
/// it is in the actor's subtree or above it.
async fn directive_unit(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_id: Uuid,
) -> Result<Unit, AppError> {
    let unit = store::units::by_id(db, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(Action::ReadDirective, &unit.path)?;
    Ok(unit)
}

/// The campaign with this id and its unit, if the actor reads it.
pub async fn campaign_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    id: Uuid,
) -> Result<(Campaign, Unit), AppError> {
    let campaign = store::campaigns::campaigns_by_ids(db, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let unit = directive_unit(db, by, campaign.unit_id).await?;
    Ok((campaign, unit))
}

/// The campaigns a unit follows: its own and those of every unit above it, optionally only
/// those running on `active_on`.
pub async fn campaigns_of(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    active_on: Option<NaiveDate>,
) -> Result<CampaignFilter, AppError> {
    let unit = unit_for(db, by, unit_code, Action::Read).await?;
    let mut unit_ids: Vec<Uuid> = store::units::ancestors(db, &unit)
        .await?
        .iter()
        .map(|u| u.id)
        .collect();
    unit_ids.push(unit.id);
    Ok(CampaignFilter {
        unit_ids,
        active_on,
    })
}

/// One slice of the campaigns `filter` holds.
pub async fn campaigns(
    db: &impl ConnectionTrait,
    filter: &CampaignFilter,
    slice: &SliceRequest<CampaignCursor>,
) -> Result<Slice<Campaign>, AppError> {
    Ok(store::campaigns::campaigns(db, filter, slice).await?)
}

/// The unit under which to count a directive's progress: the one with `unit_code` (which
/// the actor must read, and which must lie in the directive's subtree), or by default the
/// directive's own unit when the actor reads it, else the actor's own unit.
pub async fn drill_unit(
    db: &impl ConnectionTrait,
    by: By<'_>,
    directive_unit: &Unit,
    unit_code: Option<&str>,
) -> Result<Unit, AppError> {
    let unit = match (unit_code, by) {
        (Some(code), _) => unit_for(db, by, code, Action::Read).await?,
        (None, By::Account(actor)) if !actor.unit_path.contains(&directive_unit.path) => {
            store::units::by_code(db, actor.unit_path.code())
                .await?
                .ok_or(AppError::NotFound)?
        }
        (None, _) => directive_unit.clone(),
    };
    if directive_unit.path.contains(&unit.path) {
        Ok(unit)
    } else {
        Err(AppError::NotFound)
    }
}

/// A campaign's progress in one group of units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub unit: Unit,
    pub units: u64,
    pub posted: u64,
    pub posts: u64,
}

/// A campaign's progress under `root`: over the whole subtree, and per child of `root`.
pub async fn progress(
    db: &impl ConnectionTrait,
    campaign: &Campaign,
    root: &Unit,
) -> Result<(Progress, Vec<Progress>), AppError> {
    let tallies = store::campaigns::progress(db, campaign, root).await?;
    let total = Progress {
        unit: root.clone(),
        units: tallies.iter().map(|t| t.units).sum(),
        posted: tallies.iter().map(|t| t.posted).sum(),
        posts: tallies.iter().map(|t| t.posts).sum(),
    };
    let rows = by_child(db, root, tallies.iter().map(|t| (t.child_id, *t)))
        .await?
        .into_iter()
        .map(|(unit, t)| Progress {
            unit,
            units: t.units,
            posted: t.posted,
            posts: t.posts,
        })
        .collect();
    Ok((total, rows))
}

/// The groups of a subtree statement that lie under a child of `root` (the root's own group
/// left out), each with that child, in code order: one statement for the children.
async fn by_child<T>(
    db: &impl ConnectionTrait,
    root: &Unit,
    groups: impl Iterator<Item = (Uuid, T)>,
) -> Result<Vec<(Unit, T)>, AppError> {
    let groups: Vec<(Uuid, T)> = groups.filter(|(id, _)| *id != root.id).collect();
    let ids: Vec<Uuid> = groups.iter().map(|(id, _)| *id).collect();
    let mut children = store::units::by_ids(db, &ids).await?;
    children.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
    let mut groups: std::collections::HashMap<Uuid, T> = groups.into_iter().collect();
    Ok(children
        .into_iter()
        .filter_map(|unit| groups.remove(&unit.id).map(|t| (unit, t)))
        .collect())
}

/// One slice of the units of `root`'s subtree that take part and have posted nothing.
pub async fn silent_units(
    db: &impl ConnectionTrait,
    campaign: &Campaign,
    root: &Unit,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<Unit>, AppError> {
    Ok(store::campaigns::silent_units(db, campaign, &root.path, slice).await?)
}

/// One slice of the units of `root`'s subtree that take part, each with its posts under the
/// campaign, optionally only those that posted or not.
pub async fn participants(
    db: &impl ConnectionTrait,
    campaign: &Campaign,
    root: &Unit,
    posted: Option<bool>,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<(Unit, u64)>, AppError> {
    Ok(store::campaigns::participants(db, campaign, &root.path, posted, slice).await?)
}

/// A post to log.
#[derive(Debug, Clone, Default)]
pub struct PostInput {
    pub page_id: Uuid,
    pub url: String,
    pub published_at: Option<DateTime<Utc>>,
    pub title: Option<String>,
    pub campaign_ids: Vec<Uuid>,
    pub shared_from_post_id: Option<Uuid>,
}

/// The Facebook link of a page a post may be logged on, or why none may be.
fn postable(page: &Page) -> Result<PageUrl, AppError> {
    let url = (page.platform == Platform::Facebook && LIVE.contains(&page.status))
        .then_some(page.url.as_deref())
        .flatten()
        .and_then(|u| PageUrl::parse(u).ok());
    url.ok_or_else(|| {
        AppError::invalid(
            Some("pageId"),
            "PAGE_NOT_LIVE",
            "Trang chưa có đường dẫn Facebook hoặc đang tạm ngưng, đã đóng: chưa thể ghi nhận bài viết.",
        )
    })
}

fn post_not_found(field: &str) -> AppError {
    AppError::invalid(
        Some(field),
        "POST_NOT_FOUND",
        "Không tìm thấy bài viết này trong sổ bài viết.",
    )
}

/// The logged post with this id, if the actor reads it: in its subtree, or a post above it
/// that its unit asked to share.
pub async fn post_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    id: Uuid,
) -> Result<(Post, Unit), AppError> {
    let post = store::campaigns::posts_by_ids(db, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let unit = store::units::by_id(db, post.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if by.may(Action::Read, &unit.path).is_ok() {
        return Ok((post, unit));
    }
    by.may(Action::ReadDirective, &unit.path)?;
    let asked = store::campaigns::share_requests_of_posts(db, &[post.id]).await?;
    if asked.is_empty() {
        Err(AppError::NotFound)
    } else {
        Ok((post, unit))
    }
}

/// Logs a post of a unit's page: an operator or admin of that unit. A share names the
/// logged post it shares (of another unit, one the actor reads).
pub async fn log_post(db: &impl Begin, by: By<'_>, input: PostInput) -> Result<Post, AppError> {
    let (page, unit) = page_for(db, by, input.page_id, Action::Write).await?;
    let page_url = postable(&page)?;
    let shared_from = match input.shared_from_post_id {
        None => None,
        Some(id) => {
            let (source, _) = post_for(db, by, id)
                .await
                .map_err(|_| post_not_found("sharedFromPostId"))?;
            if source.unit_id == unit.id {
                return Err(AppError::invalid(
                    Some("sharedFromPostId"),
                    "SHARE_OF_OWN_POST",
                    "Bài chia sẻ phải là bài của đơn vị khác, không phải bài của chính trang này.",
                ));
            }
            Some(source)
        }
    };
    save_post(db, by, &page, &unit, &page_url, input, shared_from, None).await
}

/// Checks the rest of a post's input and keeps it, in one transaction with its audit record.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one post, checked by callers"
)]
async fn save_post(
    db: &impl Begin,
    by: By<'_>,
    page: &Page,
    unit: &Unit,
    page_url: &PageUrl,
    input: PostInput,
    shared_from: Option<Post>,
    share_request_id: Option<Uuid>,
) -> Result<Post, AppError> {
    let now = Utc::now();
    let mut problems = Problems::default();
    let url = problems.check("url", PostUrl::parse(&input.url, page_url));
    let title = problems.text("title", input.title.as_deref(), campaign::POST_TITLE_MAX);
    let published_at = input.published_at.unwrap_or(now);
    problems.check(
        "publishedAt",
        campaign::check_published_at(published_at, now),
    );
    let mut campaign_ids = input.campaign_ids.clone();
    if let Some(source) = &shared_from
        && campaign_ids.is_empty()
    {
        // A share carries the campaigns of the post it shares.
        campaign_ids.clone_from(&source.campaign_ids);
    }
    campaign_ids.sort_unstable();
    campaign_ids.dedup();
    if campaign_ids.len() > campaign::POST_CAMPAIGNS_MAX {
        problems.check::<()>(
            "campaignIds",
            Err(domain::DomainError::TooManyItems(
                campaign::POST_CAMPAIGNS_MAX,
            )),
        );
    } else {
        let found = store::campaigns::campaigns_by_ids(db, &campaign_ids).await?;
        let readable =
            found.len() == campaign_ids.len() && campaign_units_contain(db, &found, unit).await?;
        if !readable {
            problems.user_error(
                "campaignIds",
                "CAMPAIGN_NOT_FOUND",
                "Không tìm thấy đợt tuyên truyền này trong các đợt đơn vị tham gia.",
            );
        }
    }
    problems.done()?;
    let Some(url) = url else {
        return Err(AppError::Invalid(Vec::new()));
    };
    let post = Post {
        id: Uuid::now_v7(),
        page_id: page.id,
        unit_id: unit.id,
        url: url.as_str().to_owned(),
        kind: if shared_from.is_some() {
            PostKind::Share
        } else {
            PostKind::Original
        },
        shared_from: shared_from.as_ref().map(|s| s.id),
        published_at,
        title,
        campaign_ids,
        logged_by: by.account_id(),
        logged_at: now,
    };
    let txn = store::begin(db).await?;
    match store::campaigns::insert_post(&txn, &post).await {
        Ok(()) => {}
        Err(StoreError::Conflict(what)) if what == "url" => {
            return Err(AppError::invalid(
                Some("url"),
                "POST_ALREADY_LOGGED",
                "Bài viết này đã có trong sổ bài viết.",
            ));
        }
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::invalid(
                Some("sharedFromPostId"),
                "ALREADY_SHARED",
                "Trang này đã ghi nhận chia sẻ bài viết đó rồi.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let audited = Event::PostLogged {
        page_id: page.id,
        url: post.url.clone(),
        kind: post.kind.as_str().to_owned(),
        shared_from: post.shared_from,
        campaigns: post.campaign_ids.len(),
        share_request_id,
    };
    audit::record(&txn, by, &unit.path, Some(post.id), &audited).await?;
    store::commit(txn).await?;
    Ok(post)
}

/// Whether every campaign is one `unit` takes part in: directed by it or a unit above it.
async fn campaign_units_contain(
    db: &impl ConnectionTrait,
    campaigns: &[Campaign],
    unit: &Unit,
) -> Result<bool, AppError> {
    if campaigns.is_empty() {
        return Ok(true);
    }
    let ids: Vec<Uuid> = campaigns.iter().map(|c| c.unit_id).collect();
    let units = store::units::by_ids(db, &ids).await?;
    Ok(campaigns.iter().all(|c| {
        units
            .iter()
            .any(|u| u.id == c.unit_id && u.path.contains(&unit.path))
    }))
}

/// Which posts a list holds, for the actor: the unit's subtree must be readable, and so must
/// a campaign named.
pub async fn posts_filter(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    campaign_id: Option<Uuid>,
    kind: Option<PostKind>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<PostFilter, AppError> {
    let unit = unit_for(db, by, unit_code, Action::Read).await?;
    if let Some(id) = campaign_id {
        campaign_for(db, by, id).await?;
    }
    Ok(PostFilter {
        within: Some(unit.path),
        campaign_id,
        kind,
        from,
        to,
    })
}

/// One slice of the posts `filter` holds.
pub async fn posts(
    db: &impl ConnectionTrait,
    filter: &PostFilter,
    slice: &SliceRequest<PostCursor>,
) -> Result<Slice<Post>, AppError> {
    Ok(store::campaigns::posts(db, filter, slice).await?)
}

/// A request to share a post.
#[derive(Debug, Clone)]
pub struct ShareRequestInput {
    pub post_id: Uuid,
    pub deadline: DateTime<Utc>,
    pub message: Option<String>,
}

/// Asks every live page below the post's unit to share it by a deadline: an admin of the
/// post's unit.
pub async fn request_shares(
    db: &impl Begin,
    by: By<'_>,
    input: ShareRequestInput,
) -> Result<ShareRequest, AppError> {
    let (post, unit) = post_for(db, by, input.post_id).await?;
    by.may(Action::Read, &unit.path)?;
    by.may(Action::RequestShares, &unit.path)?;
    let now = Utc::now();
    let mut problems = Problems::default();
    problems.check(
        "deadline",
        campaign::check_share_deadline(input.deadline, now),
    );
    let message = problems.text(
        "message",
        input.message.as_deref(),
        campaign::DESCRIPTION_MAX,
    );
    problems.done()?;
    let request = ShareRequest {
        id: Uuid::now_v7(),
        post_id: post.id,
        unit_id: unit.id,
        deadline: input.deadline,
        message,
        created_by: by.account_id(),
        created_at: now,
    };
    let txn = store::begin(db).await?;
    match store::campaigns::insert_share_request(&txn, &request).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::invalid(
                Some("postId"),
                "ALREADY_REQUESTED",
                "Bài viết này đã được đề nghị chia sẻ.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let audited = Event::SharesRequested {
        post_id: post.id,
        deadline: request.deadline,
    };
    audit::record(&txn, by, &unit.path, Some(request.id), &audited).await?;
    store::commit(txn).await?;
    Ok(request)
}

/// The share request with this id and the unit that issued it, if the actor reads it.
pub async fn share_request_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    id: Uuid,
) -> Result<(ShareRequest, Unit), AppError> {
    let request = store::campaigns::share_requests_by_ids(db, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let unit = directive_unit(db, by, request.unit_id).await?;
    Ok((request, unit))
}

/// A share to record.
#[derive(Debug, Clone)]
pub struct RecordShareInput {
    pub share_request_id: Uuid,
    pub page_id: Uuid,
    pub url: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// Records a page's share of a requested post: an operator or admin of a unit below the one
/// that asked. Returns the share, logged as a post of the page.
pub async fn record_share(
    db: &impl Begin,
    by: By<'_>,
    input: RecordShareInput,
) -> Result<(ShareRequest, Post), AppError> {
    let (request, asking) = share_request_for(db, by, input.share_request_id).await?;
    let (page, unit) = page_for(db, by, input.page_id, Action::Write).await?;
    if !asking.path.contains(&unit.path) || asking.id == unit.id {
        return Err(AppError::invalid(
            Some("pageId"),
            "NOT_ASKED",
            "Đề nghị chia sẻ này không gửi tới trang của đơn vị.",
        ));
    }
    let page_url = postable(&page)?;
    let source = store::campaigns::posts_by_ids(db, &[request.post_id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let post = save_post(
        db,
        by,
        &page,
        &unit,
        &page_url,
        PostInput {
            page_id: page.id,
            url: input.url,
            published_at: input.published_at,
            title: source.title.clone(),
            campaign_ids: Vec::new(),
            shared_from_post_id: Some(source.id),
        },
        Some(source),
        Some(request.id),
    )
    .await?;
    Ok((request, post))
}

/// Which share requests a list holds for the actor: those addressed to the unit with this
/// code (or, with `issued`, those it issued), as its live Facebook page stands on them.
pub async fn share_requests_filter(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    status: Option<ShareStatus>,
    issued: bool,
) -> Result<RequestFilter, AppError> {
    let unit = unit_for(db, by, unit_code, Action::Read).await?;
    let page_id = store::pages::live_of_units(db, &[unit.id], Platform::Facebook)
        .await?
        .into_iter()
        .find(|p| LIVE.contains(&p.status))
        .map(|p| p.id);
    Ok(RequestFilter {
        unit: unit.path,
        issued,
        page_id,
        status,
    })
}

/// One slice of the share requests `filter` holds.
pub async fn share_requests(
    db: &impl ConnectionTrait,
    filter: &RequestFilter,
    slice: &SliceRequest<ShareRequestCursor>,
) -> Result<Slice<RequestForPage>, AppError> {
    Ok(store::campaigns::share_requests(db, filter, slice).await?)
}

/// A request's compliance in one group of pages.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCompliance {
    pub unit: Unit,
    pub compliance: Compliance,
}

/// A share request's compliance under `root`: over the whole subtree and per child.
pub async fn compliance(
    db: &impl ConnectionTrait,
    request: &ShareRequest,
    root: &Unit,
) -> Result<(Compliance, Vec<GroupCompliance>), AppError> {
    let tallies = store::campaigns::compliance(db, request, &LIVE, root).await?;
    let of = |t: &store::campaigns::ComplianceTally| Compliance {
        shared: t.shared,
        late: t.late,
        not_yet: t.not_yet,
    };
    let total = tallies
        .iter()
        .map(of)
        .fold(Compliance::default(), Compliance::plus);
    let rows = by_child(db, root, tallies.iter().map(|t| (t.child_id, of(t))))
        .await?
        .into_iter()
        .map(|(unit, compliance)| GroupCompliance { unit, compliance })
        .collect();
    Ok((total, rows))
}

/// One slice of the pages of `root`'s subtree a request asks, optionally at one status.
pub async fn asked_pages(
    db: &impl ConnectionTrait,
    request: &ShareRequest,
    root: &Unit,
    status: Option<ShareStatus>,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<AskedPage>, AppError> {
    Ok(store::campaigns::asked(db, request, &LIVE, &root.path, status, slice).await?)
}

/// Where one page stands on a request, from when its share was published.
pub fn status_of(request: &ShareRequest, shared_at: Option<DateTime<Utc>>) -> ShareStatus {
    ShareStatus::of(shared_at, request.deadline)
}
