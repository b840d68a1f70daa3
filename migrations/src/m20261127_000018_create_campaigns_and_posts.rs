//! Campaigns, the post log and share requests (issue 13):
//! - `campaign`: directed by a unit for its subtree; its lists (hashtags, key messages,
//!   materials) as JSON arrays of strings, the levels that take part comma-separated;
//! - `post`: a post of a unit's page, by its canonical link (unique), original or a share of
//!   another logged post (a page shares one post once), the page's unit kept with it for
//!   lists by subtree;
//! - `post_campaign`: which campaigns a post was logged under;
//! - `share_request`: a unit's post its admin asked the pages below to share (one per post).

use sea_orm_migration::prelude::*;

use crate::index;
use sea_orm_migration::schema::{
    date, pk_uuid, string_len, text, text_null, timestamp_with_time_zone, uuid, uuid_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Page {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Campaign {
    Table,
    Id,
    UnitId,
    Title,
    Theme,
    Description,
    StartsOn,
    EndsOn,
    Hashtags,
    KeyMessages,
    Materials,
    Levels,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Post {
    Table,
    Id,
    PageId,
    UnitId,
    Url,
    Kind,
    SharedFromPostId,
    PublishedAt,
    Title,
    LoggedBy,
    LoggedAt,
}

#[derive(DeriveIden)]
enum PostCampaign {
    Table,
    PostId,
    CampaignId,
}

#[derive(DeriveIden)]
enum ShareRequest {
    Table,
    Id,
    PostId,
    UnitId,
    Deadline,
    Message,
    CreatedBy,
    CreatedAt,
}

fn to_unit(name: &str, table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Unit::Table, Unit::Id)
        .on_delete(ForeignKeyAction::NoAction)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Campaign::Table)
                    .col(pk_uuid(Campaign::Id))
                    .col(uuid(Campaign::UnitId))
                    .col(string_len(Campaign::Title, 200))
                    .col(text_null(Campaign::Theme))
                    .col(text_null(Campaign::Description))
                    .col(date(Campaign::StartsOn))
                    .col(date(Campaign::EndsOn))
                    .col(text(Campaign::Hashtags))
                    .col(text(Campaign::KeyMessages))
                    .col(text(Campaign::Materials))
                    .col(string_len(Campaign::Levels, 64))
                    .col(uuid_null(Campaign::CreatedBy))
                    .col(timestamp_with_time_zone(Campaign::CreatedAt))
                    .foreign_key(&mut to_unit(
                        "fk_campaign_unit",
                        Campaign::Table,
                        Campaign::UnitId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_campaign_unit",
            Campaign::Table,
            &["unit_id", "starts_on", "id"],
            false,
        )
        .await?;
        create_posts(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ShareRequest::Table.into_iden(),
            PostCampaign::Table.into_iden(),
            Post::Table.into_iden(),
            Campaign::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_posts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Post::Table)
                .col(pk_uuid(Post::Id))
                .col(uuid(Post::PageId))
                .col(uuid(Post::UnitId))
                .col(string_len(Post::Url, 2000))
                .col(
                    string_len(Post::Kind, 16)
                        .check(Expr::col(Post::Kind).is_in(["ORIGINAL", "SHARE"])),
                )
                .col(uuid_null(Post::SharedFromPostId))
                .col(timestamp_with_time_zone(Post::PublishedAt))
                .col(text_null(Post::Title))
                .col(uuid_null(Post::LoggedBy))
                .col(timestamp_with_time_zone(Post::LoggedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_post_page")
                        .from(Post::Table, Post::PageId)
                        .to(Page::Table, Page::Id)
                        .on_delete(ForeignKeyAction::NoAction),
                )
                .foreign_key(&mut to_unit("fk_post_unit", Post::Table, Post::UnitId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_post_shared_from")
                        .from(Post::Table, Post::SharedFromPostId)
                        .to(Post::Table, Post::Id)
                        .on_delete(ForeignKeyAction::NoAction),
                )
                .to_owned(),
        )
        .await?;
    index(manager, "uq_post_url", Post::Table, &["url"], true).await?;
    index(
        manager,
        "uq_post_share_of_page",
        Post::Table,
        &["shared_from_post_id", "page_id"],
        true,
    )
    .await?;
    index(
        manager,
        "idx_post_unit_published",
        Post::Table,
        &["unit_id", "published_at", "id"],
        false,
    )
    .await?;
    index(
        manager,
        "idx_post_page_published",
        Post::Table,
        &["page_id", "published_at"],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(PostCampaign::Table)
                .col(uuid(PostCampaign::PostId))
                .col(uuid(PostCampaign::CampaignId))
                .primary_key(
                    Index::create()
                        .col(PostCampaign::PostId)
                        .col(PostCampaign::CampaignId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_post_campaign_post")
                        .from(PostCampaign::Table, PostCampaign::PostId)
                        .to(Post::Table, Post::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_post_campaign_campaign")
                        .from(PostCampaign::Table, PostCampaign::CampaignId)
                        .to(Campaign::Table, Campaign::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_post_campaign_campaign",
        PostCampaign::Table,
        &["campaign_id", "post_id"],
        false,
    )
    .await?;
    create_share_requests(manager).await
}

async fn create_share_requests(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ShareRequest::Table)
                .col(pk_uuid(ShareRequest::Id))
                .col(uuid(ShareRequest::PostId).unique_key())
                .col(uuid(ShareRequest::UnitId))
                .col(timestamp_with_time_zone(ShareRequest::Deadline))
                .col(text_null(ShareRequest::Message))
                .col(uuid_null(ShareRequest::CreatedBy))
                .col(timestamp_with_time_zone(ShareRequest::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_share_request_post")
                        .from(ShareRequest::Table, ShareRequest::PostId)
                        .to(Post::Table, Post::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(&mut to_unit(
                    "fk_share_request_unit",
                    ShareRequest::Table,
                    ShareRequest::UnitId,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_share_request_unit",
        ShareRequest::Table,
        &["unit_id", "deadline", "id"],
        false,
    )
    .await
}
