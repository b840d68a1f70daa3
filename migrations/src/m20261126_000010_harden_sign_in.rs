//! Sign-in hardened against races and hostile input (issue 7):
//! - `login_throttle` is recreated for one-statement reservations: times as epoch
//!   milliseconds, so the reservation compares them in SQL the same way on both databases,
//!   and the id of the attempt that last wrote the row. Its rows are short-lived counters;
//!   losing them on upgrade only forgets recent failures.
//! - `refresh_token.replayed_at`: a used refresh token is honoured once more within the
//!   grace period, not any number of times.
//! - `account.disabled_by`: the path of the unit whose admin disabled the account; only that
//!   level or one above may enable it again.
//! - `account.search_key` becomes `text` on PostgreSQL: the folded key of a long name in
//!   another script can be longer than the name (SQLite does not enforce lengths).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, integer, string_len, string_len_null, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    LastFailureMs,
    LockedUntilMs,
    Attempt,
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    ReplayedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    DisabledBy,
    SearchKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginThrottle::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(string_len(LoginThrottle::Key, 200).primary_key())
                    .col(integer(LoginThrottle::Failures))
                    .col(big_integer(LoginThrottle::LastFailureMs))
                    .col(big_integer_null(LoginThrottle::LockedUntilMs))
                    .col(string_len_null(LoginThrottle::Attempt, 36))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RefreshToken::Table)
                    .add_column(timestamp_with_time_zone_null(RefreshToken::ReplayedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Account::Table)
                    .add_column(text_null(Account::DisabledBy))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("ALTER TABLE account ALTER COLUMN search_key TYPE text")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginThrottle::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(string_len(LoginThrottle::Key, 200).primary_key())
                    .col(integer(LoginThrottle::Failures))
                    .col(timestamp_with_time_zone(Alias::new("last_failure_at")))
                    .col(timestamp_with_time_zone_null(Alias::new("locked_until")))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .alter_table(
                    Table::alter()
                        .table(Account::Table)
                        .modify_column(
                            ColumnDef::new(Account::SearchKey)
                                .string_len(200)
                                .not_null(),
                        )
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Account::Table)
                    .drop_column(Account::DisabledBy)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RefreshToken::Table)
                    .drop_column(RefreshToken::ReplayedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
