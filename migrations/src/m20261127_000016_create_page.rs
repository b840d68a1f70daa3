//! Community pages, their staff and their history (issue 11):
//! - `page`: a unit's page on a platform, its status and version; at most one live (not
//!   closed) page per unit and platform, and a link belongs to one page only (compared by
//!   what identifies it: a Facebook username without its dots) — both unique indexes, so two
//!   officers racing cannot get around them;
//! - `page_event`: every status change and edit of a page, with who, when and why;
//! - `person`: the officers (cán bộ) of a unit; removed people stay for the history;
//! - `assignment`: who holds which duty on a page from when to when; at most one current
//!   holder per page and duty (a unique index over the rows without an end);
//! - `audit_event` gets the acting account's unit and the request id;
//! - on PostgreSQL, trigram indexes serve the page and person searches.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, date, date_null, integer, pk_uuid, string_len, string_len_null, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};
use sea_orm_migration::sea_orm::DatabaseBackend;

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
    UnitId,
    Platform,
    Name,
    NameConforms,
    Url,
    /// What identifies the link on its platform (a Facebook username without dots): unique.
    UrlIdentity,
    Status,
    EstablishedOn,
    SupportedBy,
    SupporterContact,
    Notes,
    SearchKey,
    Version,
    ReportedAt,
    CreatedBy,
    CreatedAt,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PageEvent {
    Table,
    Id,
    PageId,
    OccurredAt,
    ActorId,
    Action,
    FromStatus,
    ToStatus,
    Reason,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    UnitId,
    FullName,
    Position,
    Phone,
    Email,
    SearchKey,
    Version,
    RemovedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Assignment {
    Table,
    Id,
    PageId,
    PersonId,
    Duty,
    StartsOn,
    EndsOn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    ActorUnitPath,
    RequestId,
}

const STATUSES: [&str; 7] = [
    "DRAFT",
    "ESTABLISHED",
    "REPORTED",
    "VERIFIED",
    "RETURNED",
    "SUSPENDED",
    "CLOSED",
];
const PLATFORMS: [&str; 5] = ["FACEBOOK", "ZALO", "YOUTUBE", "TIKTOK", "WEBSITE"];
const DUTIES: [&str; 2] = ["LEADER", "OPERATOR"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_page(manager).await?;
        create_page_event(manager).await?;
        create_person(manager).await?;
        create_assignment(manager).await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Searches are `LIKE '%text%'` over folded keys: served by trigram indexes where
            // `pg_trgm` is available (see migration 15).
            manager
                .get_connection()
                .execute_unprepared(
                    r"DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS idx_page_search_trgm ON page USING gin (search_key gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX IF NOT EXISTS idx_person_search_trgm ON person USING gin (search_key gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$",
                )
                .await?;
        }
        for column in [
            text_null(AuditEvent::ActorUnitPath),
            string_len_null(AuditEvent::RequestId, 64),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditEvent::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [AuditEvent::RequestId, AuditEvent::ActorUnitPath] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditEvent::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            Assignment::Table.into_iden(),
            Person::Table.into_iden(),
            PageEvent::Table.into_iden(),
            Page::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn one_of(column: impl IntoIden, values: &[&str]) -> SimpleExpr {
    Expr::col(column).is_in(values.iter().copied())
}

async fn create_page(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Page::Table)
                .col(pk_uuid(Page::Id))
                .col(uuid(Page::UnitId))
                .col(string_len(Page::Platform, 16).check(one_of(Page::Platform, &PLATFORMS)))
                .col(string_len(Page::Name, 200))
                .col(boolean(Page::NameConforms))
                .col(string_len_null(Page::Url, 2048))
                .col(string_len_null(Page::UrlIdentity, 2048))
                .col(string_len(Page::Status, 16).check(one_of(Page::Status, &STATUSES)))
                .col(date_null(Page::EstablishedOn))
                .col(string_len_null(Page::SupportedBy, 200))
                .col(string_len_null(Page::SupporterContact, 200))
                .col(text_null(Page::Notes))
                .col(string_len(Page::SearchKey, 600))
                .col(integer(Page::Version))
                .col(timestamp_with_time_zone_null(Page::ReportedAt))
                .col(uuid_null(Page::CreatedBy))
                .col(timestamp_with_time_zone(Page::CreatedAt))
                .col(uuid_null(Page::UpdatedBy))
                .col(timestamp_with_time_zone(Page::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_page_unit")
                        .from(Page::Table, Page::UnitId)
                        .to(Unit::Table, Unit::Id)
                        .on_delete(ForeignKeyAction::NoAction),
                )
                .to_owned(),
        )
        .await?;
    let db = manager.get_connection();
    // Partial unique indexes: the same statement on PostgreSQL and SQLite.
    db.execute_unprepared(
        "CREATE UNIQUE INDEX uq_page_live_unit_platform ON page (unit_id, platform) \
         WHERE status <> 'CLOSED'",
    )
    .await?;
    manager
        .create_index(
            Index::create()
                .name("uq_page_url")
                .table(Page::Table)
                .col(Page::UrlIdentity)
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_page_unit")
                .table(Page::Table)
                .col(Page::UnitId)
                .to_owned(),
        )
        .await?;
    db.execute_unprepared(
        "CREATE INDEX idx_page_reported ON page (reported_at, id) WHERE status = 'REPORTED'",
    )
    .await?;
    Ok(())
}

async fn create_page_event(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PageEvent::Table)
                .col(pk_uuid(PageEvent::Id))
                .col(uuid(PageEvent::PageId))
                .col(timestamp_with_time_zone(PageEvent::OccurredAt))
                .col(uuid_null(PageEvent::ActorId))
                .col(string_len(PageEvent::Action, 16))
                .col(string_len_null(PageEvent::FromStatus, 16))
                .col(string_len(PageEvent::ToStatus, 16))
                .col(text_null(PageEvent::Reason))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_page_event_page")
                        .from(PageEvent::Table, PageEvent::PageId)
                        .to(Page::Table, Page::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_page_event_page")
                .table(PageEvent::Table)
                .col(PageEvent::PageId)
                .col(PageEvent::OccurredAt)
                .to_owned(),
        )
        .await
}

async fn create_person(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Person::Table)
                .col(pk_uuid(Person::Id))
                .col(uuid(Person::UnitId))
                .col(string_len(Person::FullName, 100))
                .col(string_len(Person::Position, 100))
                .col(string_len(Person::Phone, 16))
                .col(string_len_null(Person::Email, 254))
                .col(string_len(Person::SearchKey, 300))
                .col(integer(Person::Version))
                .col(timestamp_with_time_zone_null(Person::RemovedAt))
                .col(timestamp_with_time_zone(Person::CreatedAt))
                .col(timestamp_with_time_zone(Person::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_person_unit")
                        .from(Person::Table, Person::UnitId)
                        .to(Unit::Table, Unit::Id)
                        .on_delete(ForeignKeyAction::NoAction),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_person_unit")
                .table(Person::Table)
                .col(Person::UnitId)
                .col(Person::FullName)
                .to_owned(),
        )
        .await
}

async fn create_assignment(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Assignment::Table)
                .col(pk_uuid(Assignment::Id))
                .col(uuid(Assignment::PageId))
                .col(uuid(Assignment::PersonId))
                .col(string_len(Assignment::Duty, 16).check(one_of(Assignment::Duty, &DUTIES)))
                .col(date(Assignment::StartsOn))
                .col(date_null(Assignment::EndsOn))
                .col(uuid_null(Assignment::CreatedBy))
                .col(timestamp_with_time_zone(Assignment::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_assignment_page")
                        .from(Assignment::Table, Assignment::PageId)
                        .to(Page::Table, Page::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_assignment_person")
                        .from(Assignment::Table, Assignment::PersonId)
                        .to(Person::Table, Person::Id)
                        .on_delete(ForeignKeyAction::NoAction),
                )
                .to_owned(),
        )
        .await?;
    let db = manager.get_connection();
    db.execute_unprepared(
        "CREATE UNIQUE INDEX uq_assignment_current ON assignment (page_id, duty) \
         WHERE ends_on IS NULL",
    )
    .await?;
    db.execute_unprepared(
        "CREATE INDEX idx_assignment_person_current ON assignment (person_id) \
         WHERE ends_on IS NULL",
    )
    .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_assignment_page")
                .table(Assignment::Table)
                .col(Assignment::PageId)
                .col(Assignment::StartsOn)
                .to_owned(),
        )
        .await
}
