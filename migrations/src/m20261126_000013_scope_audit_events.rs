//! The audit trail gets the unit each event concerns and the door it came through (issue 9):
//! - `unit_path`: the path of the unit of the object changed, indexed, so the events of a
//!   subtree are one prefix query. Filled in for the existing account events from the
//!   account's unit.
//! - `via`: `api` (a signed-in account) or `cli` (the server's operator, no account), instead
//!   of a `via` in the detail of command-line events only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, text_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Via,
    UnitPath,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvent::Table)
                    .add_column(string_len(AuditEvent::Via, 8).default("api"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvent::Table)
                    .add_column(text_null(AuditEvent::UnitPath))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE audit_event SET via = 'cli' WHERE actor_id IS NULL")
            .await?;
        db.execute_unprepared(
            "UPDATE audit_event SET unit_path = (SELECT unit.path FROM account \
             JOIN unit ON unit.id = account.unit_id WHERE account.id = audit_event.target_id) \
             WHERE target_type = 'account'",
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_event_unit_path")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::UnitPath)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_audit_event_unit_path")
                    .table(AuditEvent::Table)
                    .to_owned(),
            )
            .await?;
        for column in [AuditEvent::UnitPath, AuditEvent::Via] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditEvent::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
