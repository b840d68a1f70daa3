//! The official unit lists shipped with the product.

use store::DatabaseConnection;
use store::import::{self, ImportError, ImportOptions, ImportReport};

/// The three-tier list (63 provinces, 696 districts, 10,051 communes) the guideline was
/// written for: province → district → commune.
pub const OFFICIAL_UNITS_2025_01: &str = include_str!("../../../data/vn-admin-units-2025-01.csv");

/// The two-tier list after the July 2025 reorganisation (34 provinces, 3,321 communes).
pub const OFFICIAL_UNITS_2025_07: &str = include_str!("../../../data/vn-admin-units-2025-07.csv");

/// Loads the 2025-01 list when the database holds no unit yet, so a new installation shows
/// real units at once. Returns what was imported, or `None` when units already existed.
pub async fn seed_units_if_empty(
    db: &DatabaseConnection,
) -> Result<Option<ImportReport>, ImportError> {
    if store::units::total(db).await? > 0 {
        return Ok(None);
    }
    let rows = import::parse_csv(OFFICIAL_UNITS_2025_01.as_bytes())?;
    let report = import::import(db, &rows, ImportOptions::default(), |_| {})
        .await?
        .report;
    tracing::info!(%report, "loaded the official unit list into an empty database");
    Ok(Some(report))
}
