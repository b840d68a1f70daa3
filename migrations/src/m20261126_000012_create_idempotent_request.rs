//! Idempotency keys (issue 8): a mutation sent with an `Idempotency-Key` header is recorded
//! with its answer in the same transaction as its effects, so a retry whose first answer was
//! lost gets that answer again instead of doing the work twice.
//!
//! - `key_id`: HMAC of the account and the client's key under a server key, so the table
//!   never holds the client's key itself.
//! - `fingerprint`: SHA-256 of the request (document, operation, variables), to refuse the
//!   same key sent with a different request.
//! - `response`: the answer, sealed (ChaCha20-Poly1305) under a key derived from the
//!   client's key: it can hold a one-time password, and a copy of the database alone does
//!   not open it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    binary_null, integer_null, string_len, timestamp_with_time_zone, uuid,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotentRequest {
    Table,
    KeyId,
    AccountId,
    Fingerprint,
    Status,
    Response,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotentRequest::Table)
                    .col(string_len(IdempotentRequest::KeyId, 64).primary_key())
                    .col(uuid(IdempotentRequest::AccountId))
                    .col(string_len(IdempotentRequest::Fingerprint, 64))
                    .col(integer_null(IdempotentRequest::Status))
                    .col(binary_null(IdempotentRequest::Response))
                    .col(timestamp_with_time_zone(IdempotentRequest::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_idempotent_request_account")
                            .from(IdempotentRequest::Table, IdempotentRequest::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotent_request_created_at")
                    .table(IdempotentRequest::Table)
                    .col(IdempotentRequest::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotentRequest::Table).to_owned())
            .await
    }
}
