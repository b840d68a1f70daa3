//! The official unit lists shipped with the product, which one a database holds, and
//! importing a list so that this stays true.

use std::collections::HashSet;
use std::fmt;

use anyhow::{Context as _, bail};
use clap::ValueEnum;
use domain::UnitLevel;
use store::DatabaseConnection;
use store::import::{self, ImportError, ImportOptions, ImportPlan, Progress, UnitRow};
use store::units::UnitFilter;

/// The three-tier list (63 provinces, 696 districts, 10,051 communes) the guideline was
/// written for: province → district → commune.
pub const OFFICIAL_UNITS_2025_01: &str = include_str!("../../../data/vn-admin-units-2025-01.csv");

/// The two-tier list after the July 2025 reorganisation (34 provinces, 3,321 communes).
pub const OFFICIAL_UNITS_2025_07: &str = include_str!("../../../data/vn-admin-units-2025-07.csv");

/// The name under which a database keeps the edition of its unit list (`store::setting`).
pub const EDITION_SETTING: &str = app::units::EDITION_SETTING;

/// An edition of the official unit list embedded in `tcd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum UnitEdition {
    /// January 2025: province → district → commune.
    #[default]
    #[value(name = "2025-01")]
    January2025,
    /// July 2025: province → commune.
    #[value(name = "2025-07")]
    July2025,
}

impl UnitEdition {
    pub const ALL: [Self; 2] = [Self::January2025, Self::July2025];

    /// The spelling of `--units` and of the stored setting.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::January2025 => "2025-01",
            Self::July2025 => "2025-07",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == value)
    }

    /// The embedded CSV.
    pub fn csv(self) -> &'static str {
        match self {
            Self::January2025 => OFFICIAL_UNITS_2025_01,
            Self::July2025 => OFFICIAL_UNITS_2025_07,
        }
    }

    /// Whether the list has districts between provinces and communes.
    pub fn three_tier(self) -> bool {
        self == Self::January2025
    }

    /// How an officer recognises it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::January2025 => "ba cấp tỉnh → huyện → xã, tháng 01/2025",
            Self::July2025 => "hai cấp tỉnh → xã, sau sắp xếp tháng 07/2025",
        }
    }

    /// The edition's rows.
    pub fn rows(self) -> Result<Vec<UnitRow>, ImportError> {
        import::parse_csv(self.csv().as_bytes())
    }
}

impl fmt::Display for UnitEdition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which unit list a database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// No unit at all.
    Empty,
    /// Exactly this embedded edition: seeded with it, or imported from an identical file.
    Edition(UnitEdition),
    /// Units from elsewhere (an edited file, or a database older than the record): only
    /// their shape is known.
    Other { three_tier: bool },
}

impl Holding {
    /// Whether a database holding this may be started as `edition`: nothing would be loaded
    /// over it, but the officer must not believe it holds another edition than it does.
    pub fn accepts(self, edition: UnitEdition) -> bool {
        match self {
            Self::Empty => true,
            Self::Edition(held) => held == edition,
            Self::Other { three_tier } => three_tier == edition.three_tier(),
        }
    }

    /// Whether the units have districts.
    pub fn three_tier(self) -> bool {
        match self {
            Self::Empty => true,
            Self::Edition(edition) => edition.three_tier(),
            Self::Other { three_tier } => three_tier,
        }
    }
}

impl fmt::Display for Holding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("chưa có đơn vị nào"),
            Self::Edition(e) => write!(f, "danh mục đơn vị {e} ({})", e.describe()),
            Self::Other { three_tier: true } => {
                f.write_str("một danh mục đơn vị ba cấp nhập từ tệp")
            }
            Self::Other { three_tier: false } => {
                f.write_str("một danh mục đơn vị hai cấp nhập từ tệp")
            }
        }
    }
}

/// Which unit list `db` holds.
pub async fn holding(db: &DatabaseConnection) -> anyhow::Result<Holding> {
    if store::units::total(db).await? == 0 {
        return Ok(Holding::Empty);
    }
    if let Some(edition) = store::setting::get(db, EDITION_SETTING)
        .await?
        .as_deref()
        .and_then(UnitEdition::parse)
    {
        return Ok(Holding::Edition(edition));
    }
    let districts = UnitFilter {
        level: Some(UnitLevel::District),
        ..UnitFilter::default()
    };
    let three_tier = store::units::count(db, &districts).await? > 0;
    Ok(Holding::Other { three_tier })
}

/// At start: refuses a database that holds another list than `wanted` (when it was asked
/// for), and loads `wanted` (default 2025-01) into an empty database when `load`.
pub async fn prepare_units(
    db: &DatabaseConnection,
    wanted: Option<UnitEdition>,
    load: bool,
) -> anyhow::Result<()> {
    let held = holding(db).await?;
    if let Some(wanted) = wanted
        && !held.accepts(wanted)
    {
        bail!(
            "cơ sở dữ liệu này đã có {held}, không phải danh mục {wanted} ({}); tcd không nạp \
             chồng danh mục này lên danh mục kia. Hãy dùng một cơ sở dữ liệu mới cho {wanted} \
             (ví dụ --database-url sqlite://data/tcd-{wanted}.db), hoặc bỏ --units / TCD_UNITS \
             để chạy với danh mục đang có.",
            wanted.describe()
        );
    }
    if held == Holding::Empty && load {
        let edition = wanted.unwrap_or_default();
        let plan = seed(db, edition)
            .await
            .with_context(|| format!("cannot load the official unit list {edition}"))?;
        tracing::info!(%edition, report = %plan.report, "loaded the official unit list into an empty database");
    }
    Ok(())
}

/// Loads `edition` into an empty database and records it, in one transaction.
pub async fn seed(
    db: &DatabaseConnection,
    edition: UnitEdition,
) -> Result<ImportPlan, ImportError> {
    let rows = edition.rows()?;
    app::units::import_list(
        db,
        &rows,
        ImportOptions::default(),
        Some(edition.as_str()),
        |_| {},
    )
    .await
}

/// Imports a unit list (`tcd units import`) with `app::units::import_list`, keeping the
/// record of the database's edition true: after a successful import the units are exactly
/// the file's, so the database holds an embedded edition only when the file is one.
pub async fn import_list(
    db: &DatabaseConnection,
    rows: &[UnitRow],
    options: ImportOptions,
    progress: impl FnMut(Progress),
) -> Result<ImportPlan, ImportError> {
    let edition = edition_of(rows)?;
    app::units::import_list(
        db,
        rows,
        options,
        edition.map(UnitEdition::as_str),
        progress,
    )
    .await
}

/// The embedded edition these rows are, whatever their order.
fn edition_of(rows: &[UnitRow]) -> Result<Option<UnitEdition>, ImportError> {
    let key = |r: &UnitRow| {
        (
            r.code.clone(),
            r.name.clone(),
            r.kind,
            r.level,
            r.parent_code.clone(),
        )
    };
    let given: HashSet<_> = rows.iter().map(key).collect();
    for edition in UnitEdition::ALL {
        let official = edition.rows()?;
        if official.len() == rows.len() && official.iter().map(key).collect::<HashSet<_>>() == given
        {
            return Ok(Some(edition));
        }
    }
    Ok(None)
}
