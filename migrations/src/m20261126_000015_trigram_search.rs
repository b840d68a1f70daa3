//! Text search over units and accounts served by trigram indexes on PostgreSQL (issue 10).
//!
//! Searches are `search_key LIKE '%text%'` over a folded key (case and diacritics removed):
//! without an index every search reads the whole table (10,811 units). `pg_trgm`'s GIN
//! operator class serves such a `LIKE` for any text of three characters or more. `pg_trgm`
//! ships with PostgreSQL (contrib) and is a trusted extension, which the database's owner may
//! create; where it is missing or not allowed, searches keep working by scanning, and the
//! migration says so in the server log instead of failing. SQLite keeps scanning (it has no
//! such index; its tables are the small embedded ones).
//!
//! `fastupdate = off`: both tables are written rarely and in bulk (an import of the whole
//! list), and GIN's default would leave those rows in a pending list that every search scans
//! until a vacuum: 2.3 ms instead of 0.08 ms for a search of the whole country right after an
//! import.

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
        manager
            .get_connection()
            .execute_unprepared(
                r"DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'pg_trgm is not available (%): unit and account searches scan their tables', SQLERRM;
    END;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS idx_unit_search_trgm ON unit USING gin (search_key gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX IF NOT EXISTS idx_account_search_trgm ON account USING gin (search_key gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_account_search_trgm")
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_unit_search_trgm")
            .await?;
        Ok(())
    }
}
