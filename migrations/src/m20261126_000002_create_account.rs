use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer, pk_uuid, string_len, string_len_uniq, text, text_null,
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
enum Account {
    Table,
    Id,
    Username,
    DisplayName,
    UnitId,
    Role,
    Active,
    MustChangePassword,
    PasswordHash,
    TokenVersion,
    SearchKey,
    CreatedAt,
    UpdatedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    AccountId,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    LastFailureAt,
    LockedUntil,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    OccurredAt,
    ActorId,
    Action,
    TargetType,
    TargetId,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_account(manager).await?;
        create_refresh_token(manager).await?;
        create_login_throttle(manager).await?;
        create_audit_event(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvent::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            RefreshToken::Table.into_iden(),
            Account::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_account(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Account::Table)
                .col(pk_uuid(Account::Id))
                .col(string_len_uniq(Account::Username, 64))
                .col(string_len(Account::DisplayName, 100))
                .col(uuid(Account::UnitId))
                .col(string_len(Account::Role, 16))
                .col(boolean(Account::Active))
                .col(boolean(Account::MustChangePassword))
                .col(text(Account::PasswordHash))
                .col(integer(Account::TokenVersion))
                .col(string_len(Account::SearchKey, 200))
                .col(timestamp_with_time_zone(Account::CreatedAt))
                .col(timestamp_with_time_zone(Account::UpdatedAt))
                .col(timestamp_with_time_zone_null(Account::LastLoginAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_account_unit")
                        .from(Account::Table, Account::UnitId)
                        .to(Unit::Table, Unit::Id)
                        .on_delete(ForeignKeyAction::NoAction),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_account_unit")
                .table(Account::Table)
                .col(Account::UnitId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

async fn create_refresh_token(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(RefreshToken::Table)
                .col(pk_uuid(RefreshToken::Id))
                .col(uuid(RefreshToken::AccountId))
                .col(uuid(RefreshToken::FamilyId))
                .col(string_len_uniq(RefreshToken::TokenHash, 64))
                .col(timestamp_with_time_zone(RefreshToken::CreatedAt))
                .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshToken::UsedAt))
                .col(timestamp_with_time_zone_null(RefreshToken::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_refresh_token_account")
                        .from(RefreshToken::Table, RefreshToken::AccountId)
                        .to(Account::Table, Account::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_refresh_token_family")
                .table(RefreshToken::Table)
                .col(RefreshToken::FamilyId)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_refresh_token_account")
                .table(RefreshToken::Table)
                .col(RefreshToken::AccountId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

async fn create_login_throttle(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(string_len(LoginThrottle::Key, 200).primary_key())
                .col(integer(LoginThrottle::Failures))
                .col(timestamp_with_time_zone(LoginThrottle::LastFailureAt))
                .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                .to_owned(),
        )
        .await?;
    Ok(())
}

async fn create_audit_event(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(AuditEvent::Table)
                .col(pk_uuid(AuditEvent::Id))
                .col(timestamp_with_time_zone(AuditEvent::OccurredAt))
                .col(uuid_null(AuditEvent::ActorId))
                .col(string_len(AuditEvent::Action, 64))
                .col(string_len(AuditEvent::TargetType, 32))
                .col(uuid_null(AuditEvent::TargetId))
                .col(text_null(AuditEvent::Detail))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_audit_event_target")
                .table(AuditEvent::Table)
                .col(AuditEvent::TargetId)
                .col(AuditEvent::OccurredAt)
                .to_owned(),
        )
        .await?;
    Ok(())
}
