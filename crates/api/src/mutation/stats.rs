//! Statistics, reviews and outreach: `recordPageStats`, `importPageStats`, `setPageToken`,
//! `pullPageStats`, `reviewPage`, `logOutreach`.

use app::By;
use app::effect::{OutreachInput, ReviewInput};
use app::stats::{StatsInput, UploadedFile};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use domain::stats::Figures;
use store::Db;
use uuid::Uuid;

use crate::error::AppResultExt;
use crate::relay::{NodeKind, id_of};
use crate::types::account::UserError;
use crate::types::date::Date;
use crate::types::page::Page;
use crate::types::stats::{
    AudienceKind, OutreachChannel, OutreachEntry, PageReview, PageStatSnapshot, Rating,
};
use crate::{ApiError, auth};

/// The largest uploaded file, in bytes (the request itself is limited to 1 MiB).
const FILE_MAX_BYTES: usize = 512 * 1024;

fn page_id(id: &ID) -> Result<Uuid, ApiError> {
    id_of(id, NodeKind::Page)
}

/// Figures of a page typed in (G8).
#[derive(InputObject)]
pub struct RecordPageStatsInput {
    pub page_id: ID,
    /// The day the figures are for; not after today.
    pub day: Date,
    /// The first day of the period the period figures cover; the day itself when omitted.
    pub period_start: Option<Date>,
    /// Followers at the end of the day.
    pub followers: Option<i64>,
    pub new_follows: Option<i64>,
    /// Views (reach).
    pub views: Option<i64>,
    /// Post engagements.
    pub engagements: Option<i64>,
    pub posts: Option<i64>,
}

/// The outcome of `recordPageStats`.
#[derive(SimpleObject, Default)]
pub struct RecordPageStatsPayload {
    pub snapshot: Option<PageStatSnapshot>,
    pub user_errors: Vec<UserError>,
}

/// One CSV file exported from Meta Business Suite → Insights.
#[derive(InputObject)]
pub struct StatsFileInput {
    /// The file's name, as shown in errors.
    pub name: String,
    /// Its text (UTF-8), at most 512 KiB.
    pub content: String,
}

/// Meta Insights CSV files to import for a page.
#[derive(InputObject)]
pub struct ImportPageStatsInput {
    pub page_id: ID,
    /// 1–10 files; columns recognised by their Vietnamese or English headers.
    pub files: Vec<StatsFileInput>,
    /// Only read the files and answer what would be imported (the preview).
    #[graphql(default)]
    pub dry_run: bool,
}

/// The outcome of `importPageStats`.
#[derive(SimpleObject, Default)]
pub struct ImportPageStatsPayload {
    /// The days read, as imported (or, with `dryRun`, as they would be).
    pub snapshots: Vec<PageStatSnapshot>,
    /// Days written: 0 for a dry run or a refusal.
    pub imported: u64,
    pub user_errors: Vec<UserError>,
}

/// A Page access token to store, or none to disconnect.
#[derive(InputObject)]
pub struct SetPageTokenInput {
    pub page_id: ID,
    /// From Meta Business Suite; checked with the Graph API, then stored encrypted and never
    /// shown again. Null or empty: forget the stored one.
    pub token: Option<String>,
}

/// A page to pull now.
#[derive(InputObject)]
pub struct PullPageStatsInput {
    pub page_id: ID,
}

/// The outcome of `setPageToken` and `pullPageStats`.
#[derive(SimpleObject, Default)]
pub struct PageStatsPayload {
    pub page: Option<Page>,
    /// For `pullPageStats`: the days pulled.
    pub snapshots: Vec<PageStatSnapshot>,
    pub user_errors: Vec<UserError>,
}

/// A review of a page by the level above.
#[derive(InputObject)]
pub struct ReviewPageInput {
    pub page_id: ID,
    /// `2026-11` (month), `2026-Q4` (quarter), `2026-H2` (half year) or `2026` (year).
    pub period: String,
    pub rating: Rating,
    pub comments: Option<String>,
    pub recommendations: Option<String>,
}

/// The outcome of `reviewPage`.
#[derive(SimpleObject, Default)]
pub struct ReviewPagePayload {
    pub review: Option<PageReview>,
    pub user_errors: Vec<UserError>,
}

/// An entry of a unit's outreach log.
#[derive(InputObject)]
pub struct LogOutreachInput {
    /// The viewer's own unit.
    pub unit_code: String,
    pub audience_kind: AudienceKind,
    /// e.g. "Hội Nông dân xã", "Thôn Phú Mỹ".
    pub audience: String,
    pub channel: OutreachChannel,
    /// Not after today.
    pub informed_on: Date,
    /// About how many people.
    pub reached: Option<i32>,
    pub note: Option<String>,
}

/// The outcome of `logOutreach`.
#[derive(SimpleObject, Default)]
pub struct LogOutreachPayload {
    pub outreach: Option<OutreachEntry>,
    pub user_errors: Vec<UserError>,
}

async fn page_of(ctx: &Context<'_>, id: Uuid) -> Result<Option<Page>, ApiError> {
    let db = ctx.data_unchecked::<Db>();
    Ok(store::pages::by_id(db, id)
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
        .map(Page))
}

#[derive(Default)]
pub struct StatsMutation;

#[Object]
impl StatsMutation {
    /// Records figures of a page typed in (G8): an operator or admin of its unit. The day's
    /// stored figures are kept where none is given.
    async fn record_page_stats(
        &self,
        ctx: &Context<'_>,
        input: RecordPageStatsInput,
    ) -> async_graphql::Result<RecordPageStatsPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::stats::record_stats(
            db,
            By::Account(&actor),
            StatsInput {
                page_id: page_id(&input.page_id)?,
                day: input.day.0,
                period_start: input.period_start.map(|d| d.0),
                figures: Figures {
                    followers: input.followers,
                    new_follows: input.new_follows,
                    views: input.views,
                    engagements: input.engagements,
                    posts: input.posts,
                },
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(snapshot) => RecordPageStatsPayload {
                snapshot: Some(PageStatSnapshot(snapshot)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => RecordPageStatsPayload {
                snapshot: None,
                user_errors,
            },
        })
    }

    /// Imports the CSV files Meta Business Suite exports from a page's Insights (several at
    /// once): an operator or admin of its unit. A file of another page or of a layout not
    /// recognised refuses the whole upload; nothing is imported then.
    async fn import_page_stats(
        &self,
        ctx: &Context<'_>,
        input: ImportPageStatsInput,
    ) -> async_graphql::Result<ImportPageStatsPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        if input.files.len() > app::stats::FILES_MAX
            || input
                .files
                .iter()
                .any(|f| f.content.len() > FILE_MAX_BYTES || f.name.len() > 255)
        {
            return Ok(ImportPageStatsPayload {
                user_errors: vec![UserError::new(
                    Some("files"),
                    "FILE_TOO_LARGE",
                    format!(
                        "Tối đa {} tệp, mỗi tệp tối đa 512 KB.",
                        app::stats::FILES_MAX
                    ),
                )],
                ..ImportPageStatsPayload::default()
            });
        }
        let files: Vec<UploadedFile> = input
            .files
            .into_iter()
            .map(|f| UploadedFile {
                name: f.name,
                content: f.content,
            })
            .collect();
        let result = app::stats::import_stats(
            db,
            By::Account(&actor),
            page_id(&input.page_id)?,
            &files,
            input.dry_run,
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(snapshots) => ImportPageStatsPayload {
                imported: if input.dry_run {
                    0
                } else {
                    u64::try_from(snapshots.len()).unwrap_or(u64::MAX)
                },
                snapshots: snapshots.into_iter().map(PageStatSnapshot).collect(),
                user_errors: Vec::new(),
            },
            Err(user_errors) => ImportPageStatsPayload {
                user_errors,
                ..ImportPageStatsPayload::default()
            },
        })
    }

    /// Stores (or forgets) the Page access token a page's figures are pulled with: an admin
    /// of its unit or above. The token is checked with the Graph API — it must open this
    /// page — then stored encrypted; it is never returned.
    async fn set_page_token(
        &self,
        ctx: &Context<'_>,
        input: SetPageTokenInput,
    ) -> async_graphql::Result<PageStatsPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let id = page_id(&input.page_id)?;
        let result = app::stats::set_page_token(
            db,
            By::Account(&actor),
            ctx.data_opt::<app::stats::Graph>(),
            id,
            input.token.as_deref(),
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(_) => PageStatsPayload {
                page: page_of(ctx, id).await?,
                ..PageStatsPayload::default()
            },
            Err(user_errors) => PageStatsPayload {
                user_errors,
                ..PageStatsPayload::default()
            },
        })
    }

    /// Pulls a page's figures from the Graph API now: an operator or admin of its unit. A
    /// Graph API error is kept on the page (`Page.graphApi.lastError`) and returned.
    async fn pull_page_stats(
        &self,
        ctx: &Context<'_>,
        input: PullPageStatsInput,
    ) -> async_graphql::Result<PageStatsPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let id = page_id(&input.page_id)?;
        let Some(graph) = ctx.data_opt::<app::stats::Graph>() else {
            return Ok(PageStatsPayload {
                user_errors: vec![UserError::new(
                    Some("pageId"),
                    "GRAPH_NOT_CONFIGURED",
                    "Máy chủ chưa được cấu hình để lấy số liệu từ Graph API (TCD_TOKEN_KEY).",
                )],
                ..PageStatsPayload::default()
            });
        };
        let result = app::stats::pull(db, By::Account(&actor), graph, id)
            .await
            .or_user_errors(ctx)?;
        Ok(match result {
            Ok(snapshots) => PageStatsPayload {
                page: page_of(ctx, id).await?,
                snapshots: snapshots.into_iter().map(PageStatSnapshot).collect(),
                user_errors: Vec::new(),
            },
            Err(user_errors) => PageStatsPayload {
                page: page_of(ctx, id).await?,
                user_errors,
                ..PageStatsPayload::default()
            },
        })
    }

    /// Writes the level above's assessment of a page for a period (G8): an admin of a unit
    /// above the page's. The computed figures are kept with it as they stand.
    async fn review_page(
        &self,
        ctx: &Context<'_>,
        input: ReviewPageInput,
    ) -> async_graphql::Result<ReviewPagePayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::effect::review_page(
            db,
            By::Account(&actor),
            ReviewInput {
                page_id: page_id(&input.page_id)?,
                period: input.period,
                rating: input.rating.into(),
                comments: input.comments,
                recommendations: input.recommendations,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(review) => ReviewPagePayload {
                review: Some(PageReview(review)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => ReviewPagePayload {
                review: None,
                user_errors,
            },
        })
    }

    /// Logs that a unit told a member organisation or a residential area about its page
    /// (G7): an operator or admin of the unit.
    async fn log_outreach(
        &self,
        ctx: &Context<'_>,
        input: LogOutreachInput,
    ) -> async_graphql::Result<LogOutreachPayload> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let result = app::effect::log_outreach(
            db,
            By::Account(&actor),
            OutreachInput {
                unit_code: input.unit_code,
                audience_kind: input.audience_kind.as_str().to_owned(),
                audience: input.audience,
                channel: input.channel.as_str().to_owned(),
                informed_on: input.informed_on.0,
                reached: input.reached,
                note: input.note,
            },
        )
        .await
        .or_user_errors(ctx)?;
        Ok(match result {
            Ok(entry) => LogOutreachPayload {
                outreach: Some(OutreachEntry(entry)),
                user_errors: Vec::new(),
            },
            Err(user_errors) => LogOutreachPayload {
                outreach: None,
                user_errors,
            },
        })
    }
}
