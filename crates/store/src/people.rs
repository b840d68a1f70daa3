//! The officers (cán bộ) of the units.

use domain::staff::Person;
use domain::text::fold;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entity::person::{self, Column};
use crate::filters::{count_rows, matches_search};
use crate::{Slice, SliceRequest, StoreError};

/// The position of a person in a unit's list: by folded name, then id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonCursor {
    pub key: String,
    pub id: Uuid,
}

impl PersonCursor {
    pub fn of(person: &Person) -> Self {
        Self {
            key: search_key(person),
            id: person.id,
        }
    }
}

/// The text a person is found and ordered by: name, position, phone and e-mail, folded.
fn search_key(person: &Person) -> String {
    fold(&format!(
        "{} {} {} {}",
        person.full_name,
        person.position,
        person.phone,
        person.email.as_deref().unwrap_or_default()
    ))
}

impl From<person::Model> for Person {
    fn from(m: person::Model) -> Self {
        Person {
            id: m.id,
            unit_id: m.unit_id,
            full_name: m.full_name,
            position: m.position,
            phone: m.phone,
            email: m.email,
            version: m.version,
            removed_at: m.removed_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

fn active(person: &Person) -> person::ActiveModel {
    person::ActiveModel {
        id: Set(person.id),
        unit_id: Set(person.unit_id),
        full_name: Set(person.full_name.clone()),
        position: Set(person.position.clone()),
        phone: Set(person.phone.clone()),
        email: Set(person.email.clone()),
        search_key: Set(search_key(person)),
        version: Set(person.version),
        removed_at: Set(person.removed_at),
        created_at: Set(person.created_at),
        updated_at: Set(person.updated_at),
    }
}

/// Registers a person.
pub async fn insert(db: &impl ConnectionTrait, person: &Person) -> Result<(), StoreError> {
    active(person).insert(db).await?;
    Ok(())
}

/// Writes `person` (whose version is already raised) over the stored one if that is still at
/// `expected_version`; otherwise `Conflict("version")` and nothing is written.
pub async fn save(
    db: &impl ConnectionTrait,
    person: &Person,
    expected_version: i32,
) -> Result<(), StoreError> {
    let mut model = active(person);
    model.id = sea_orm::ActiveValue::Unchanged(person.id);
    model.created_at = sea_orm::ActiveValue::NotSet;
    let result = person::Entity::update_many()
        .set(model)
        .filter(Column::Id.eq(person.id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict("version".to_owned()))
    }
}

/// The person with this id, read inside a writing transaction and locked until it ends
/// (`FOR UPDATE` on PostgreSQL; an SQLite writer holds the whole database already): a removal
/// and an assignment of the same person then happen one after the other.
pub async fn lock(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Person>, StoreError> {
    let mut query = person::Entity::find_by_id(id);
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    Ok(query.one(db).await?.map(Into::into))
}

/// The person with this id, removed or not.
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Person>, StoreError> {
    Ok(person::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into))
}

/// The people with these ids, removed or not, in no particular order.
#[tracing::instrument(skip_all, fields(count = ids.len()))]
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<Person>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(person::Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

fn of_unit(unit_id: Uuid, search: Option<&str>) -> sea_orm::Select<person::Entity> {
    let mut cond = Condition::all()
        .add(Column::UnitId.eq(unit_id))
        .add(Column::RemovedAt.is_null());
    if let Some(search) = search.and_then(|s| matches_search(Column::SearchKey, s)) {
        cond = cond.add(search);
    }
    person::Entity::find().filter(cond)
}

/// One slice of the people of a unit (not removed), by name.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    unit_id: Uuid,
    search: Option<&str>,
    slice: &SliceRequest<PersonCursor>,
) -> Result<Slice<Person>, StoreError> {
    let mut query = of_unit(unit_id, search);
    if let Some(after) = &slice.after {
        query = query.filter(
            Condition::any()
                .add(Column::SearchKey.gt(after.key.as_str()))
                .add(
                    Column::SearchKey
                        .eq(after.key.as_str())
                        .and(Column::Id.gt(after.id)),
                ),
        );
    }
    let rows = query
        .order_by_asc(Column::SearchKey)
        .order_by_asc(Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(rows, slice.first, |m| Ok(m.into()))
}

/// How many people (not removed) a unit has that match `search`.
pub async fn count(
    db: &impl ConnectionTrait,
    unit_id: Uuid,
    search: Option<&str>,
) -> Result<u64, StoreError> {
    count_rows(db, of_unit(unit_id, search)).await
}
