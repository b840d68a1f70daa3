//! Materialised paths compare byte by byte on PostgreSQL too (issue 10).
//!
//! A subtree is the range `prefix <= path < prefix-raised-by-one`, which an ordinary b-tree
//! index serves in every plan, generic ones included (a parameterised `LIKE $1` is served by
//! none). The range is only right when `/` sorts as the byte it is: under a language collation
//! (`en_US.UTF-8`, the usual database default) punctuation is skipped at first, and
//! `/VN/490/` would sort inside `/VN/49/`'s range. So the path columns get the `C` collation,
//! and the unit path index becomes a plain one (the pattern-operator index of the first
//! migration is not used by ranges). SQLite's default collation is already byte order.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_unit_path")
            .await?;
        db.execute_unprepared("ALTER TABLE unit ALTER COLUMN path TYPE varchar(200) COLLATE \"C\"")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_unit_path ON unit (path)")
            .await?;
        // Its index is rebuilt with the column.
        db.execute_unprepared(
            "ALTER TABLE audit_event ALTER COLUMN unit_path TYPE text COLLATE \"C\"",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "ALTER TABLE audit_event ALTER COLUMN unit_path TYPE text COLLATE \"default\"",
        )
        .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_unit_path")
            .await?;
        db.execute_unprepared(
            "ALTER TABLE unit ALTER COLUMN path TYPE varchar(200) COLLATE \"default\"",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_unit_path ON unit (path text_pattern_ops)")
            .await?;
        Ok(())
    }
}
