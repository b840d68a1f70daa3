//! Running the pages, measured (issue 13):
//! - `page_stat`: one snapshot per page and day — followers at the day's end and, for the
//!   period ending that day, new follows, views, post engagements and posts — each figure with
//!   its source (`MANUAL`, `META_CSV`, `GRAPH_API`); the page's unit kept with it for subtree
//!   reads;
//! - `page_token`: a Page access token for the Graph API, encrypted (never stored in clear),
//!   the Graph Page it opens, and the outcome of the latest pull;
//! - `page_review`: the level above's assessment of a page for a period;
//! - `outreach`: which member organisations and residential areas a unit told about its page.

use sea_orm_migration::prelude::*;

use crate::index;
use sea_orm_migration::schema::{
    big_integer_null, date, integer_null, pk_uuid, string_len, string_len_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
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

#[derive(DeriveIden, Clone, Copy)]
enum PageStat {
    Table,
    Id,
    PageId,
    UnitId,
    Day,
    PeriodStart,
    Followers,
    FollowersSource,
    NewFollows,
    NewFollowsSource,
    Views,
    ViewsSource,
    Engagements,
    EngagementsSource,
    Posts,
    PostsSource,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PageToken {
    Table,
    PageId,
    Sealed,
    GraphPageId,
    GraphPageName,
    LastPulledAt,
    LastErrorCode,
    LastErrorMessage,
    LastErrorAt,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PageReview {
    Table,
    Id,
    PageId,
    UnitId,
    ReviewerUnitId,
    Period,
    PeriodStart,
    PeriodEnd,
    Rating,
    Comments,
    Recommendations,
    Figures,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outreach {
    Table,
    Id,
    UnitId,
    AudienceKind,
    Audience,
    Channel,
    InformedOn,
    Reached,
    Note,
    CreatedBy,
    CreatedAt,
}

const SOURCES: [&str; 3] = ["MANUAL", "META_CSV", "GRAPH_API"];

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::NoAction)
        .to_owned()
}

fn source(column: PageStat) -> ColumnDef {
    string_len_null(column, 16)
        .check(Expr::col(column).is_in(SOURCES))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PageStat::Table)
                    .col(pk_uuid(PageStat::Id))
                    .col(uuid(PageStat::PageId))
                    .col(uuid(PageStat::UnitId))
                    .col(date(PageStat::Day))
                    .col(date(PageStat::PeriodStart))
                    .col(big_integer_null(PageStat::Followers))
                    .col(source(PageStat::FollowersSource))
                    .col(big_integer_null(PageStat::NewFollows))
                    .col(source(PageStat::NewFollowsSource))
                    .col(big_integer_null(PageStat::Views))
                    .col(source(PageStat::ViewsSource))
                    .col(big_integer_null(PageStat::Engagements))
                    .col(source(PageStat::EngagementsSource))
                    .col(big_integer_null(PageStat::Posts))
                    .col(source(PageStat::PostsSource))
                    .col(uuid_null(PageStat::UpdatedBy))
                    .col(timestamp_with_time_zone(PageStat::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_page_stat_page",
                        (PageStat::Table, PageStat::PageId),
                        (Page::Table, Page::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_page_stat_unit",
                        (PageStat::Table, PageStat::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_page_stat_day",
            PageStat::Table,
            &["page_id", "day"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_page_stat_unit_day",
            PageStat::Table,
            &["unit_id", "day"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PageToken::Table)
                    .col(uuid(PageToken::PageId).primary_key())
                    .col(text(PageToken::Sealed))
                    .col(string_len(PageToken::GraphPageId, 32))
                    .col(text_null(PageToken::GraphPageName))
                    .col(timestamp_with_time_zone_null(PageToken::LastPulledAt))
                    .col(string_len_null(PageToken::LastErrorCode, 32))
                    .col(text_null(PageToken::LastErrorMessage))
                    .col(timestamp_with_time_zone_null(PageToken::LastErrorAt))
                    .col(uuid_null(PageToken::UpdatedBy))
                    .col(timestamp_with_time_zone(PageToken::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_page_token_page",
                        (PageToken::Table, PageToken::PageId),
                        (Page::Table, Page::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        create_reviews_and_outreach(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Outreach::Table.into_iden(),
            PageReview::Table.into_iden(),
            PageToken::Table.into_iden(),
            PageStat::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_reviews_and_outreach(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PageReview::Table)
                .col(pk_uuid(PageReview::Id))
                .col(uuid(PageReview::PageId))
                .col(uuid(PageReview::UnitId))
                .col(uuid(PageReview::ReviewerUnitId))
                .col(string_len(PageReview::Period, 16))
                .col(date(PageReview::PeriodStart))
                .col(date(PageReview::PeriodEnd))
                .col(string_len(PageReview::Rating, 16).check(
                    Expr::col(PageReview::Rating).is_in(["GOOD", "FAIR", "AVERAGE", "WEAK"]),
                ))
                .col(text_null(PageReview::Comments))
                .col(text_null(PageReview::Recommendations))
                .col(text(PageReview::Figures))
                .col(uuid_null(PageReview::CreatedBy))
                .col(timestamp_with_time_zone(PageReview::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_page_review_page",
                    (PageReview::Table, PageReview::PageId),
                    (Page::Table, Page::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_page_review_unit",
                    (PageReview::Table, PageReview::UnitId),
                    (Unit::Table, Unit::Id),
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "uq_page_review_period",
        PageReview::Table,
        &["page_id", "period"],
        true,
    )
    .await?;
    index(
        manager,
        "idx_page_review_unit",
        PageReview::Table,
        &["unit_id", "period_start"],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(Outreach::Table)
                .col(pk_uuid(Outreach::Id))
                .col(uuid(Outreach::UnitId))
                .col(string_len(Outreach::AudienceKind, 32).check(
                    Expr::col(Outreach::AudienceKind).is_in([
                        "MEMBER_ORGANISATION",
                        "RESIDENTIAL_AREA",
                        "OTHER",
                    ]),
                ))
                .col(string_len(Outreach::Audience, 200))
                .col(string_len(Outreach::Channel, 32))
                .col(date(Outreach::InformedOn))
                .col(integer_null(Outreach::Reached))
                .col(text_null(Outreach::Note))
                .col(uuid_null(Outreach::CreatedBy))
                .col(timestamp_with_time_zone(Outreach::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_outreach_unit",
                    (Outreach::Table, Outreach::UnitId),
                    (Unit::Table, Unit::Id),
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_outreach_unit",
        Outreach::Table,
        &["unit_id", "informed_on"],
        false,
    )
    .await
}
