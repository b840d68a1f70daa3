//! Rollout targets and deployment reports (issue 12):
//! - `rollout_plan`: at most one per unit — its title, deadline, the target share of each
//!   level in basis points (none: no target) and the statuses counted as "has a page";
//! - `reporting_round`: what a unit asked of the units directly below it, by a deadline;
//! - `report`: one per round and reporting unit (unique), its status, remarks, who submitted
//!   when, the review, and the appendix frozen at submission (JSON text).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    date, date_null, integer, integer_null, pk_uuid, string_len, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum RolloutPlan {
    Table,
    Id,
    UnitId,
    Title,
    Deadline,
    TargetProvince,
    TargetDistrict,
    TargetCommune,
    /// Comma-separated page statuses, e.g. `ESTABLISHED,REPORTED,VERIFIED`.
    CountedStatuses,
    Version,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReportingRound {
    Table,
    Id,
    UnitId,
    Title,
    PeriodStart,
    PeriodEnd,
    Deadline,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Report {
    Table,
    Id,
    RoundId,
    UnitId,
    Status,
    Remarks,
    SubmittedAt,
    FirstSubmittedAt,
    SubmittedBy,
    ReturnedReason,
    ReviewedAt,
    ReviewedBy,
    Snapshot,
    Version,
    UpdatedAt,
}

const REPORT_STATUSES: [&str; 4] = ["NOT_STARTED", "SUBMITTED", "RETURNED", "ACCEPTED"];

fn basis_points(column: RolloutPlan) -> ColumnDef {
    integer_null(column)
        .check(Expr::col(column).between(0, 10_000))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RolloutPlan::Table)
                    .col(pk_uuid(RolloutPlan::Id))
                    .col(uuid(RolloutPlan::UnitId).unique_key())
                    .col(string_len(RolloutPlan::Title, 200))
                    .col(date_null(RolloutPlan::Deadline))
                    .col(basis_points(RolloutPlan::TargetProvince))
                    .col(basis_points(RolloutPlan::TargetDistrict))
                    .col(basis_points(RolloutPlan::TargetCommune))
                    .col(string_len(RolloutPlan::CountedStatuses, 200))
                    .col(integer(RolloutPlan::Version))
                    .col(uuid_null(RolloutPlan::UpdatedBy))
                    .col(timestamp_with_time_zone(RolloutPlan::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rollout_plan_unit")
                            .from(RolloutPlan::Table, RolloutPlan::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportingRound::Table)
                    .col(pk_uuid(ReportingRound::Id))
                    .col(uuid(ReportingRound::UnitId))
                    .col(string_len(ReportingRound::Title, 200))
                    .col(date(ReportingRound::PeriodStart))
                    .col(date(ReportingRound::PeriodEnd))
                    .col(date(ReportingRound::Deadline))
                    .col(uuid_null(ReportingRound::CreatedBy))
                    .col(timestamp_with_time_zone(ReportingRound::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reporting_round_unit")
                            .from(ReportingRound::Table, ReportingRound::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reporting_round_unit")
                    .table(ReportingRound::Table)
                    .col(ReportingRound::UnitId)
                    .col(ReportingRound::Id)
                    .to_owned(),
            )
            .await?;
        create_report(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Report::Table.into_iden(),
            ReportingRound::Table.into_iden(),
            RolloutPlan::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_report(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Report::Table)
                .col(pk_uuid(Report::Id))
                .col(uuid(Report::RoundId))
                .col(uuid(Report::UnitId))
                .col(
                    string_len(Report::Status, 16)
                        .check(Expr::col(Report::Status).is_in(REPORT_STATUSES)),
                )
                .col(text_null(Report::Remarks))
                .col(timestamp_with_time_zone_null(Report::SubmittedAt))
                .col(timestamp_with_time_zone_null(Report::FirstSubmittedAt))
                .col(uuid_null(Report::SubmittedBy))
                .col(text_null(Report::ReturnedReason))
                .col(timestamp_with_time_zone_null(Report::ReviewedAt))
                .col(uuid_null(Report::ReviewedBy))
                .col(text_null(Report::Snapshot))
                .col(integer(Report::Version))
                .col(timestamp_with_time_zone(Report::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_report_round")
                        .from(Report::Table, Report::RoundId)
                        .to(ReportingRound::Table, ReportingRound::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_report_unit")
                        .from(Report::Table, Report::UnitId)
                        .to(Unit::Table, Unit::Id)
                        .on_delete(ForeignKeyAction::NoAction),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("uq_report_round_unit")
                .table(Report::Table)
                .col(Report::RoundId)
                .col(Report::UnitId)
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_report_unit")
                .table(Report::Table)
                .col(Report::UnitId)
                .col(Report::RoundId)
                .to_owned(),
        )
        .await?;
    Ok(())
}
