//! The unit tree.

use super::Client;
use super::ops::{UnitPage, UnitSummary, unit_page, unit_summary};
use crate::error::Error;
use crate::models::Unit;

/// How many children one page of the list shows.
pub const PAGE_SIZE: i64 = 50;

/// A child unit in the list, with how many units it has below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildUnit {
    pub unit: Unit,
    pub children: i64,
}

/// One page of a unit: the unit, its ancestors, and a page of its (matching) children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitPageData {
    pub unit: Unit,
    /// From the province down, the unit itself left out.
    pub ancestors: Vec<Unit>,
    pub children: Vec<ChildUnit>,
    /// How many children match, across every page.
    pub total: i64,
    /// Where the next page starts, when there is one.
    pub next: Option<String>,
}

pub async fn unit_page(
    client: &Client,
    code: &str,
    search: Option<&str>,
    after: Option<String>,
) -> Result<UnitPageData, Error> {
    let data = client
        .execute::<UnitPage>(unit_page::Variables {
            code: code.to_owned(),
            search: search.map(str::to_owned),
            first: Some(PAGE_SIZE),
            after,
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let units = data.units;
    Ok(UnitPageData {
        ancestors: unit.ancestors.into_iter().map(Unit::from).collect(),
        unit: unit.unit_fields.into(),
        children: units
            .nodes
            .into_iter()
            .map(|c| ChildUnit {
                unit: c.unit_fields.into(),
                children: c.children.total_count,
            })
            .collect(),
        total: units.total_count,
        next: units
            .page_info
            .has_next_page
            .then_some(units.page_info.end_cursor)
            .flatten(),
    })
}

/// The unit with this code, for a title.
pub async fn unit(client: &Client, code: &str) -> Result<Unit, Error> {
    let data = client
        .execute::<UnitSummary>(unit_summary::Variables {
            code: code.to_owned(),
        })
        .await?;
    data.unit.map(Unit::from).ok_or(Error::NotFound)
}
