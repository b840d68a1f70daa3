//! The unit tree: a unit's direct children, or a search of its whole subtree.

use super::ops::{UnitScreen, UnitSearch, UnitSummary, unit_screen, unit_search, unit_summary};
use super::{Client, Slice};
use crate::error::Error;
use crate::models::{PageBadge, Unit, UnitPermissions};

/// How many units one request asks for.
pub const LIST_LIMIT: i64 = 50;

/// A unit in the list, with how many units it has directly below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildUnit {
    pub unit: Unit,
    pub children: i64,
    /// For a search hit: the units between the searched unit and the hit, from the top
    /// down ("Huyện Phú Ninh" for Xã Tam Thành searched from Quảng Nam); empty for a unit
    /// directly below.
    pub between: Vec<Unit>,
    /// The unit's page, if it has one.
    pub page: Option<PageBadge>,
}

/// A unit and a slice of its children, or of the units anywhere below it that match a
/// search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitListing {
    pub unit: Unit,
    /// What the viewer may do at the unit.
    pub viewer_can: UnitPermissions,
    /// The unit's page, if it has one.
    pub page: Option<PageBadge>,
    /// From the province down, the unit itself left out.
    pub ancestors: Vec<Unit>,
    pub children: Slice<ChildUnit>,
    /// The search the list answers; `None`: the unit's direct children.
    pub search: Option<String>,
}

/// The unit with this code and a slice of its direct children, or, with a search, of the
/// matching units at any depth below it.
pub async fn listing(
    client: &Client,
    code: &str,
    search: Option<&str>,
    after: Option<String>,
) -> Result<UnitListing, Error> {
    match search {
        None => children(client, code, after).await,
        Some(search) => search_within(client, code, search, after).await,
    }
}

async fn children(
    client: &Client,
    code: &str,
    after: Option<String>,
) -> Result<UnitListing, Error> {
    let data = client
        .execute::<UnitScreen>(unit_screen::Variables {
            code: code.to_owned(),
            first: Some(LIST_LIMIT),
            after,
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let units = data.units;
    let children = units.nodes.into_iter().map(|c| ChildUnit {
        unit: c.unit_fields.into(),
        children: c.children.total_count,
        between: Vec::new(),
        page: c.page.map(Into::into),
    });
    Ok(UnitListing {
        ancestors: unit.ancestors.into_iter().map(Unit::from).collect(),
        viewer_can: UnitPermissions {
            read_accounts: unit.viewer_can.read_accounts,
            read_audit: unit.viewer_can.read_audit,
            write: unit.viewer_can.write,
            ..UnitPermissions::default()
        },
        page: unit.page.map(Into::into),
        unit: unit.unit_fields.into(),
        children: Slice::new(
            children,
            units.total_count,
            units.page_info.has_next_page,
            units.page_info.end_cursor,
        ),
        search: None,
    })
}

async fn search_within(
    client: &Client,
    code: &str,
    search: &str,
    after: Option<String>,
) -> Result<UnitListing, Error> {
    let data = client
        .execute::<UnitSearch>(unit_search::Variables {
            code: code.to_owned(),
            search: search.to_owned(),
            first: Some(LIST_LIMIT),
            after,
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let units = data.units;
    let hits = units.nodes.into_iter().map(|hit| ChildUnit {
        unit: hit.unit_fields.into(),
        children: hit.children.total_count,
        between: below(code, hit.ancestors.into_iter().map(Unit::from).collect()),
        page: hit.page.map(Into::into),
    });
    Ok(UnitListing {
        ancestors: unit.ancestors.into_iter().map(Unit::from).collect(),
        viewer_can: UnitPermissions {
            read_accounts: unit.viewer_can.read_accounts,
            read_audit: unit.viewer_can.read_audit,
            write: unit.viewer_can.write,
            ..UnitPermissions::default()
        },
        page: unit.page.map(Into::into),
        unit: unit.unit_fields.into(),
        children: Slice::new(
            hits,
            units.total_count,
            units.page_info.has_next_page,
            units.page_info.end_cursor,
        ),
        search: Some(search.to_owned()),
    })
}

/// The ancestors of a hit that sit below the searched unit `code`. The API gives them as
/// far up as the officer's own unit, which may be above the unit searched.
fn below(code: &str, ancestors: Vec<Unit>) -> Vec<Unit> {
    match ancestors.iter().position(|u| u.code == code) {
        Some(at) => ancestors.into_iter().skip(at + 1).collect(),
        None => ancestors,
    }
}

/// The unit with this code and what the viewer may do there.
pub async fn unit(client: &Client, code: &str) -> Result<(Unit, UnitPermissions), Error> {
    let data = client
        .execute::<UnitSummary>(unit_summary::Variables {
            code: code.to_owned(),
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let can = unit.viewer_can;
    Ok((
        unit.unit_fields.into(),
        UnitPermissions {
            read_accounts: can.read_accounts,
            read_audit: can.read_audit,
            create_account: can.create_account,
            assignable_roles: can.assignable_roles.into_iter().map(Into::into).collect(),
            write: false,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Level;

    fn unit(code: &str, level: Level) -> Unit {
        Unit {
            code: code.to_owned(),
            full_name: format!("Đơn vị {code}"),
            committee_name: format!("Ban Thường trực UBMTTQ đơn vị {code}"),
            level,
        }
    }

    #[test]
    fn a_hit_is_placed_by_the_units_between_it_and_the_unit_searched() {
        let ancestors = vec![unit("49", Level::Province), unit("518", Level::District)];
        let codes = |units: Vec<Unit>| units.into_iter().map(|u| u.code).collect::<Vec<_>>();
        assert_eq!(codes(below("49", ancestors.clone())), ["518"]);
        assert!(below("518", ancestors.clone()).is_empty());
        // Searched from above the officer's own unit's ancestors (the national root).
        assert_eq!(codes(below("VN", ancestors)), ["49", "518"]);
    }
}
