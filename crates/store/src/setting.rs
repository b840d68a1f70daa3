//! Facts about the database itself, kept as named values: e.g. which official unit list it
//! was seeded with.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::StoreError;
use crate::entity::setting::{self, Column};

/// The value stored under `name`, if any.
#[tracing::instrument(skip(db))]
pub async fn get(db: &impl ConnectionTrait, name: &str) -> Result<Option<String>, StoreError> {
    Ok(setting::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .map(|m| m.value))
}

/// Stores `value` under `name`, replacing what was there.
#[tracing::instrument(skip(db))]
pub async fn set(db: &impl ConnectionTrait, name: &str, value: &str) -> Result<(), StoreError> {
    setting::Entity::insert(setting::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(Column::Name)
            .update_columns([Column::Value, Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Forgets the value stored under `name`.
#[tracing::instrument(skip(db))]
pub async fn remove(db: &impl ConnectionTrait, name: &str) -> Result<(), StoreError> {
    setting::Entity::delete_by_id(name.to_owned())
        .exec(db)
        .await?;
    Ok(())
}
