use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    pk_uuid, small_integer, string_len, string_len_uniq, timestamp_with_time_zone, uuid_null,
};
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
    Code,
    Name,
    Kind,
    Level,
    ParentId,
    Path,
    Depth,
    SearchKey,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Unit::Table)
                    .col(pk_uuid(Unit::Id))
                    .col(string_len_uniq(Unit::Code, 10))
                    .col(string_len(Unit::Name, 200))
                    .col(string_len(Unit::Kind, 64))
                    .col(string_len(Unit::Level, 16))
                    .col(uuid_null(Unit::ParentId))
                    .col(string_len(Unit::Path, 200))
                    .col(small_integer(Unit::Depth))
                    .col(string_len(Unit::SearchKey, 400))
                    .col(timestamp_with_time_zone(Unit::CreatedAt))
                    .col(timestamp_with_time_zone(Unit::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_unit_parent")
                            .from(Unit::Table, Unit::ParentId)
                            .to(Unit::Table, Unit::Id)
                            // NO ACTION, not RESTRICT: SQLite must be able to drop the table
                            // with its self-reference in the down migration.
                            .on_delete(ForeignKeyAction::NoAction)
                            .on_update(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_unit_parent")
                    .table(Unit::Table)
                    .col(Unit::ParentId)
                    .col(Unit::Code)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_unit_depth_code")
                    .table(Unit::Table)
                    .col(Unit::Depth)
                    .col(Unit::Code)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Subtree queries are `path LIKE 'prefix%'`; under a non-C collation PostgreSQL
            // only uses an index built with the pattern operator class for that.
            manager
                .get_connection()
                .execute_unprepared("CREATE INDEX idx_unit_path ON unit (path text_pattern_ops)")
                .await?;
        } else {
            manager
                .create_index(
                    Index::create()
                        .name("idx_unit_path")
                        .table(Unit::Table)
                        .col(Unit::Path)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Unit::Table).to_owned())
            .await
    }
}
