//! Database migrations of Trang Cộng Đồng.
//!
//! One `Migrator`, one file per migration, laid out as sea-orm's own examples do. The same
//! migrations run on PostgreSQL (production) and SQLite (the embedded default); where the two
//! differ, a migration branches on the backend. Only `store` depends on this crate.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_unit;
mod m20261126_000002_create_account;
mod m20261126_000010_harden_sign_in;
mod m20261126_000011_create_setting;
mod m20261126_000012_create_idempotent_request;
mod m20261126_000013_scope_audit_events;
mod m20261126_000014_byte_ordered_paths;
mod m20261126_000015_trigram_search;
mod m20261127_000016_create_page;
mod m20261127_000017_create_rollout_and_reports;
mod m20261127_000018_create_campaigns_and_posts;
mod m20261127_000019_create_page_stats_reviews_outreach;

/// Creates the index `name` on `columns` of `table`, unique or not.
async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create().name(name).table(table).to_owned();
    for column in columns {
        statement.col(Alias::new(*column));
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement).await
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_unit::Migration),
            Box::new(m20261126_000002_create_account::Migration),
            Box::new(m20261126_000010_harden_sign_in::Migration),
            Box::new(m20261126_000011_create_setting::Migration),
            Box::new(m20261126_000012_create_idempotent_request::Migration),
            Box::new(m20261126_000013_scope_audit_events::Migration),
            Box::new(m20261126_000014_byte_ordered_paths::Migration),
            Box::new(m20261126_000015_trigram_search::Migration),
            Box::new(m20261127_000016_create_page::Migration),
            Box::new(m20261127_000017_create_rollout_and_reports::Migration),
            Box::new(m20261127_000018_create_campaigns_and_posts::Migration),
            Box::new(m20261127_000019_create_page_stats_reviews_outreach::Migration),
        ]
    }
}
