use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, timestamp_with_time_zone};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Facts about the database itself, one value per name: e.g. which official unit list it was
/// seeded with.
#[derive(DeriveIden)]
enum Setting {
    Table,
    Name,
    Value,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Setting::Table)
                    .col(string_len(Setting::Name, 64).primary_key())
                    .col(string_len(Setting::Value, 200))
                    .col(timestamp_with_time_zone(Setting::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Setting::Table).to_owned())
            .await
    }
}
