//! Requests sent with an idempotency key, and their answers.
//!
//! A keyed request claims its key inside the transaction it runs in and records its answer
//! there before committing, so the record exists exactly when the request's effects do. A
//! second request with the key finds the record (on PostgreSQL it first waits for a first
//! request still running, on SQLite the write lock already serialises them) and is answered
//! from it. What is stored is opaque here: the caller identifies and seals it.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::StoreError;
use crate::entity::idempotent_request::{self, Column, Entity};

/// How long a key is remembered.
pub const KEPT_FOR: TimeDelta = TimeDelta::hours(24);

/// What a key's claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: the request runs, and [`complete`] records its answer.
    New,
    /// The key was used by a request that finished.
    Done(Recorded),
    /// The key's record has no answer (not reachable when claims and answers share a
    /// transaction, but never mistaken for one).
    Unfinished { fingerprint: String },
}

/// A finished request's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub fingerprint: String,
    pub status: u16,
    pub response: Vec<u8>,
}

/// Claims `key_id` for `account_id`'s request `fingerprint` at `now`; a record older than
/// [`KEPT_FOR`] is forgotten first.
#[tracing::instrument(skip(db))]
pub async fn claim(
    db: &impl ConnectionTrait,
    key_id: &str,
    account_id: Uuid,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Claim, StoreError> {
    Entity::delete_many()
        .filter(Column::KeyId.eq(key_id))
        .filter(Column::CreatedAt.lt(now - KEPT_FOR))
        .exec(db)
        .await?;
    let inserted = Entity::insert(idempotent_request::ActiveModel {
        key_id: Set(key_id.to_owned()),
        account_id: Set(account_id),
        fingerprint: Set(fingerprint.to_owned()),
        status: Set(None),
        response: Set(None),
        created_at: Set(now),
    })
    .on_conflict(OnConflict::column(Column::KeyId).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let found = Entity::find_by_id(key_id.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Conflict("idempotency key".to_owned()))?;
    Ok(
        match (
            found.status.and_then(|s| u16::try_from(s).ok()),
            found.response,
        ) {
            (Some(status), Some(response)) => Claim::Done(Recorded {
                fingerprint: found.fingerprint,
                status,
                response,
            }),
            _ => Claim::Unfinished {
                fingerprint: found.fingerprint,
            },
        },
    )
}

/// Records the answer of the request that claimed `key_id`.
#[tracing::instrument(skip(db, response))]
pub async fn complete(
    db: &impl ConnectionTrait,
    key_id: &str,
    status: u16,
    response: Vec<u8>,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::Status, i32::from(status).into())
        .col_expr(Column::Response, response.into())
        .filter(Column::KeyId.eq(key_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets every record older than [`KEPT_FOR`]; returns how many.
#[tracing::instrument(skip(db))]
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(Entity::delete_many()
        .filter(Column::CreatedAt.lt(now - KEPT_FOR))
        .exec(db)
        .await?
        .rows_affected)
}
