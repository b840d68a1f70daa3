//! Campaigns, the post log and share requests: `createCampaign`, `logPost`, `requestShares`,
//! `recordShare`.

use app::By;
use app::campaigns::{CampaignInput, PostInput, ShareRequestInput};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use store::Db;
use uuid::Uuid;

use crate::error::AppResultExt;
use crate::relay::{NodeKind, id_of};
use crate::types::account::UserError;
use crate::types::campaign::{Campaign, Post, ShareRequest};
use crate::types::date::Date;
use crate::types::unit::UnitLevel;
use crate::{ApiError, auth};

/// The most ids one list of an input holds: more is refused before anything is read.
const IDS_MAX: usize = 50;

/// A new campaign.
#[derive(InputObject)]
pub struct CreateCampaignInput {
    /// The directing unit: one the viewer is an admin of, or below it.
    pub unit_code: String,
    pub title: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    /// Today when omitted.
    pub starts_on: Option<Date>,
    /// The start day when omitted.
    pub ends_on: Option<Date>,
    /// At most 20; `#` optional.
    #[graphql(default)]
    pub hashtags: Vec<String>,
    /// At most 20.
    #[graphql(default)]
    pub key_messages: Vec<String>,
    /// Links (`http(s)://…`) to outlines, banners, videos; at most 20.
    #[graphql(default)]
    pub materials: Vec<String>,
    /// The levels whose units take part; the directing unit's and every level below when
    /// omitted.
    pub levels: Option<Vec<UnitLevel>>,
}

/// The outcome of `createCampaign`.
#[derive(SimpleObject, Default)]
pub struct CreateCampaignPayload {
    pub campaign: Option<Campaign>,
    pub user_errors: Vec<UserError>,
}

/// A post of a page to log.
#[derive(InputObject)]
pub struct LogPostInput {
    /// A page of the viewer's own unit, live on Facebook.
    pub page_id: ID,
    /// The post's link as Facebook gives it (`…/posts/…`, `permalink.php?story_fbid=…`,
    /// `share/p/…`, `pfbid…`); tracking parameters are dropped, a post of another page is
    /// refused.
    pub url: String,
    /// Now when omitted; not in the future.
    pub published_at: Option<DateTime<Utc>>,
    /// A title or summary.
    pub title: Option<String>,
    /// Campaigns of the unit or above it; at most 10.
    #[graphql(default)]
    pub campaign_ids: Vec<ID>,
    /// For a share: the logged post of another unit it shares.
    pub shared_from_post_id: Option<ID>,
}

/// The outcome of `logPost`.
#[derive(SimpleObject, Default)]
pub struct LogPostPayload {
    pub post: Option<Post>,
    pub user_errors: Vec<UserError>,
}

/// A request that the pages below share a post.
#[derive(InputObject)]
pub struct RequestSharesInput {
    /// A post of the viewer's own unit.
    pub post_id: ID,
    /// When the shares are due; in the future.
    pub deadline: DateTime<Utc>,
    pub message: Option<String>,
}

/// The outcome of `requestShares` and `recordShare`.
#[derive(SimpleObject, Default)]
pub struct ShareRequestPayload {
    pub share_request: Option<ShareRequest>,
    /// For `recordShare`: the share, logged as a post of the page.
    pub post: Option<Post>,
    pub user_errors: Vec<UserError>,
}

/// A page's share of a requested post.
#[derive(InputObject)]
pub struct RecordShareInput {
    pub share_request_id: ID,
    /// The viewer's unit's page, below the asking unit.
    pub page_id: ID,
    /// The link of the shared post on that page.
    pub url: String,
    /// Now when omitted.
    pub published_at: Option<DateTime<Utc>>,
}

/// An id of an input that names another object: malformed or of another kind, it is that
/// field's problem, like an id of nothing.
fn reference(id: &ID, kind: NodeKind, field: &str, code: &str) -> Result<Uuid, UserError> {
    id_of(id, kind).map_err(|_| {
        UserError::new(
            Some(field),
            code,
            "Không tìm thấy đối tượng này hoặc bạn không có quyền xem.",
        )
    })
}

#[derive(Default)]
pub struct CampaignMutation;

#[Object]
impl CampaignMutation {
    /// Directs a peak propaganda campaign for a unit's subtree (G9): an admin of the unit or
    /// above.
    async fn create_campaign(
        &self,
        ctx: &Context<'_>,
        input: CreateCampaignInput,
    ) -> async_graphql::Result<CreateCampaignPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::campaigns::create_campaign(
            db,
            By::Account(&actor),
            CampaignInput {
                unit_code: input.unit_code,
                title: input.title,
                theme: input.theme,
                description: input.description,
                starts_on: input.starts_on.map(|d| d.0),
                ends_on: input.ends_on.map(|d| d.0),
                hashtags: input.hashtags,
                key_messages: input.key_messages,
                materials: input.materials,
                levels: input
                    .levels
                    .map(|ls| ls.into_iter().map(Into::into).collect()),
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(campaign) => CreateCampaignPayload {
                campaign: Some(Campaign(campaign)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => CreateCampaignPayload {
                campaign: None,
                user_errors,
            },
        })
    }

    /// Logs a post of a unit's page (G8): an operator or admin of that unit. The same link
    /// is logged once.
    async fn log_post(
        &self,
        ctx: &Context<'_>,
        input: LogPostInput,
    ) -> async_graphql::Result<LogPostPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        if input.campaign_ids.len() > IDS_MAX {
            return Err(ApiError::validation("campaignIds", "Danh sách quá dài.").into());
        }
        let mut user_errors = Vec::new();
        let mut campaign_ids = Vec::with_capacity(input.campaign_ids.len());
        for id in &input.campaign_ids {
            match reference(id, NodeKind::Campaign, "campaignIds", "CAMPAIGN_NOT_FOUND") {
                Ok(uuid) => campaign_ids.push(uuid),
                Err(e) => user_errors.push(e),
            }
        }
        let shared_from_post_id = match &input.shared_from_post_id {
            None => None,
            Some(id) => match reference(id, NodeKind::Post, "sharedFromPostId", "POST_NOT_FOUND") {
                Ok(uuid) => Some(uuid),
                Err(e) => {
                    user_errors.push(e);
                    None
                }
            },
        };
        if !user_errors.is_empty() {
            user_errors.truncate(1);
            return Ok(LogPostPayload {
                post: None,
                user_errors,
            });
        }
        let result = app::campaigns::log_post(
            db,
            By::Account(&actor),
            PostInput {
                page_id: id_of(&input.page_id, NodeKind::Page)?,
                url: input.url,
                published_at: input.published_at,
                title: input.title,
                campaign_ids,
                shared_from_post_id,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(post) => LogPostPayload {
                post: Some(Post(post)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => LogPostPayload {
                post: None,
                user_errors,
            },
        })
    }

    /// Asks every live page below a post's unit to share it by a deadline ("đề nghị chia
    /// sẻ"): an admin of the post's unit. A post is asked for once.
    async fn request_shares(
        &self,
        ctx: &Context<'_>,
        input: RequestSharesInput,
    ) -> async_graphql::Result<ShareRequestPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::campaigns::request_shares(
            db,
            By::Account(&actor),
            ShareRequestInput {
                post_id: id_of(&input.post_id, NodeKind::Post)?,
                deadline: input.deadline,
                message: input.message,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(request) => ShareRequestPayload {
                share_request: Some(ShareRequest::new(request)),
                post: None,
                user_errors: Vec::new(),
            },
            Err(user_errors) => ShareRequestPayload {
                user_errors,
                ..ShareRequestPayload::default()
            },
        })
    }

    /// Records a page's share of a requested post ("đã chia sẻ"): an operator or admin of a
    /// unit below the asking one. The share is logged as a post of the page.
    async fn record_share(
        &self,
        ctx: &Context<'_>,
        input: RecordShareInput,
    ) -> async_graphql::Result<ShareRequestPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::campaigns::record_share(
            db,
            By::Account(&actor),
            app::campaigns::RecordShareInput {
                share_request_id: id_of(&input.share_request_id, NodeKind::ShareRequest)?,
                page_id: id_of(&input.page_id, NodeKind::Page)?,
                url: input.url,
                published_at: input.published_at,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok((request, post)) => ShareRequestPayload {
                share_request: Some(ShareRequest::new(request)),
                post: Some(Post(post)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => ShareRequestPayload {
                user_errors,
                ..ShareRequestPayload::default()
            },
        })
    }
}
