//! The root query, merged from one object per area.

pub mod account;
mod audit;
mod campaign;
mod node;
mod page;
pub(crate) mod report;
mod stats;
mod unit;

use async_graphql::MergedObject;

/// Every query the API answers.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    unit::UnitQuery,
    account::AccountQuery,
    page::PageQuery,
    audit::AuditQuery,
    report::ReportQuery,
    campaign::CampaignQuery,
    stats::StatsQuery,
);
