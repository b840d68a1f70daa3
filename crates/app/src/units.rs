//! The unit list: imported from a file by the operator.

use domain::{UnitCode, UnitPath};
use store::Begin;
use store::import::{ImportError, ImportOptions, ImportPlan, Progress, UnitRow};

use crate::By;
use crate::audit::{self, Event};

/// The setting that names the embedded edition the units are, if they are one.
pub const EDITION_SETTING: &str = "unit_edition";

/// Imports a unit list in one transaction (`tcd units import`, and the seeding of an empty
/// database), records in the database which embedded edition it now holds (`edition`, or
/// none when the file is not one), and audits the import with what it changed.
pub async fn import_list(
    db: &impl Begin,
    rows: &[UnitRow],
    options: ImportOptions,
    edition: Option<&str>,
    progress: impl FnMut(Progress),
) -> Result<ImportPlan, ImportError> {
    let txn = store::begin(db).await?;
    let plan = store::import::apply(&txn, rows, options, progress).await?;
    let recorded = store::setting::get(&txn, EDITION_SETTING).await?;
    if recorded.as_deref() != edition {
        match edition {
            Some(edition) => store::setting::set(&txn, EDITION_SETTING, edition).await?,
            None => store::setting::remove(&txn, EDITION_SETTING).await?,
        }
    }
    if !plan.is_noop() {
        let r = &plan.report;
        let event = Event::UnitsImported {
            edition: edition.map(str::to_owned),
            inserted: r.inserted,
            renamed: r.renamed,
            moved: r.moved,
            relevelled: r.relevelled,
            removed: r.removed,
        };
        let national = UnitPath::root(&UnitCode::root());
        audit::record(&txn, By::Operator, &national, None, &event).await?;
        crate::pages::check_names_again(&txn).await?;
    }
    store::commit(txn).await?;
    Ok(plan)
}
