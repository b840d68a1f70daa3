//! Queries over the administrative unit tree.

use domain::unit::UnitPath;
use domain::{Unit, UnitCode, UnitKind, UnitLevel};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::entity::unit::{self, Column};
use crate::filters::{below, in_subtree, matches_search};
use crate::{Slice, SliceRequest, StoreError};

/// The position of a unit in every unit list: shallower units first, then by official code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCursor {
    pub depth: i16,
    pub code: String,
}

impl UnitCursor {
    pub fn of(unit: &Unit) -> Self {
        Self {
            depth: i16::try_from(unit.path.depth()).unwrap_or(i16::MAX),
            code: unit.code.as_str().to_owned(),
        }
    }
}

/// Which units a list shows. Every field narrows it; an empty filter lists everything.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Only this unit and its descendants: the viewer's scope.
    pub within: Option<UnitPath>,
    /// Only the descendants of the unit at this path, the unit itself left out.
    pub below: Option<UnitPath>,
    /// Only the direct children of this unit.
    pub parent_id: Option<Uuid>,
    pub level: Option<UnitLevel>,
    /// Diacritics- and case-insensitive text found in the code or the full name.
    pub search: Option<String>,
}

impl UnitFilter {
    fn condition(&self) -> Condition {
        let mut cond = Condition::all();
        if let Some(within) = &self.within {
            cond = cond.add(in_subtree(Column::Path, within));
        }
        if let Some(above) = &self.below {
            cond = cond.add(below(Column::Path, above));
        }
        if let Some(parent_id) = self.parent_id {
            cond = cond.add(Column::ParentId.eq(parent_id));
        }
        if let Some(level) = self.level {
            cond = cond.add(Column::Level.eq(level.as_str()));
        }
        if let Some(search) = self
            .search
            .as_deref()
            .and_then(|s| matches_search(Column::SearchKey, s))
        {
            cond = cond.add(search);
        }
        cond
    }
}

impl TryFrom<unit::Model> for Unit {
    type Error = StoreError;

    fn try_from(m: unit::Model) -> Result<Self, Self::Error> {
        let corrupt = |e: domain::DomainError| StoreError::Corrupt(format!("unit {}: {e}", m.code));
        let level: UnitLevel = m.level.parse().map_err(corrupt)?;
        let kind = UnitKind::parse_at(&m.kind, level).map_err(corrupt)?;
        let code = UnitCode::parse(&m.code).map_err(corrupt)?;
        Ok(Unit {
            id: m.id,
            code,
            name: m.name,
            kind,
            level,
            parent_id: m.parent_id,
            path: UnitPath::from_stored(m.path),
        })
    }
}

fn convert(models: Vec<unit::Model>) -> Result<Vec<Unit>, StoreError> {
    models.into_iter().map(Unit::try_from).collect()
}

/// The unit with this official code.
#[tracing::instrument(skip(db))]
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Unit>, StoreError> {
    unit::Entity::find()
        .filter(Column::Code.eq(code))
        .one(db)
        .await?
        .map(Unit::try_from)
        .transpose()
}

/// The unit with this id.
#[tracing::instrument(skip(db))]
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Unit>, StoreError> {
    unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Unit::try_from)
        .transpose()
}

/// The units with these ids, in no particular order; unknown ids are left out.
#[tracing::instrument(skip_all, fields(count = ids.len()))]
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Unit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    convert(
        unit::Entity::find()
            .filter(Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await?,
    )
}

/// The ancestors of `unit` below the national root, from the province down, without the unit.
#[tracing::instrument(skip_all, fields(code = %unit.code))]
pub async fn ancestors(db: &impl ConnectionTrait, unit: &Unit) -> Result<Vec<Unit>, StoreError> {
    let codes: Vec<&str> = unit
        .path
        .codes()
        .skip(1)
        .filter(|c| *c != unit.code.as_str())
        .collect();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    convert(
        unit::Entity::find()
            .filter(Column::Code.is_in(codes))
            .order_by_asc(Column::Depth)
            .all(db)
            .await?,
    )
}

/// One slice of the units matching `filter`, in cursor order.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &UnitFilter,
    slice: &SliceRequest<UnitCursor>,
) -> Result<Slice<Unit>, StoreError> {
    let mut cond = filter.condition();
    if let Some(after) = &slice.after {
        cond = cond.add(
            Condition::any().add(Column::Depth.gt(after.depth)).add(
                Condition::all()
                    .add(Column::Depth.eq(after.depth))
                    .add(Column::Code.gt(&after.code)),
            ),
        );
    }
    let models = unit::Entity::find()
        .filter(cond)
        .order_by_asc(Column::Depth)
        .order_by_asc(Column::Code)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(models, slice.first, Unit::try_from)
}

/// How many units match `filter`.
#[tracing::instrument(skip(db))]
pub async fn count(db: &impl ConnectionTrait, filter: &UnitFilter) -> Result<u64, StoreError> {
    Ok(unit::Entity::find()
        .filter(filter.condition())
        .count(db)
        .await?)
}

/// How many units there are, the national root included.
pub async fn total(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    Ok(unit::Entity::find().count(db).await?)
}
