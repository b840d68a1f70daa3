//! Refresh tokens: stored only as hashes, rotated on every use, grouped in families so that
//! the reuse of a rotated token (a sign it was stolen) revokes every token of its family.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entity::refresh_token::{self, Column};

/// A refresh token to store.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub account_id: Uuid,
    pub family_id: Uuid,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was current: it is now used, and the new one is stored in its family.
    Rotated { account_id: Uuid, family_id: Uuid },
    /// The token had already been used or revoked: its whole family is now revoked.
    Reused { account_id: Uuid },
    /// Unknown or expired.
    Invalid,
}

pub async fn insert(db: &impl ConnectionTrait, token: NewRefreshToken) -> Result<(), StoreError> {
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(token.account_id),
        family_id: Set(token.family_id),
        token_hash: Set(token.token_hash),
        created_at: Set(Utc::now()),
        expires_at: Set(token.expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        replayed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Exchanges the token with hash `presented` for `next` (same family), or detects reuse. Run
/// it in a transaction.
///
/// A token used less than `grace` ago is honoured once more, and only once: two tabs of one
/// browser that renew at the same moment both present the cookie they share. A further
/// replay, or one later than that, means the token was copied, and the whole family is
/// revoked.
#[tracing::instrument(skip_all)]
pub async fn rotate(
    db: &impl ConnectionTrait,
    presented: &str,
    next: Successor<'_>,
    now: DateTime<Utc>,
    grace: Duration,
) -> Result<Rotation, StoreError> {
    let Some(token) = refresh_token::Entity::find()
        .filter(Column::TokenHash.eq(presented))
        .one(db)
        .await?
    else {
        return Ok(Rotation::Invalid);
    };
    let reused = || async {
        revoke_family(db, token.account_id, token.family_id, now).await?;
        tracing::warn!(account_id = %token.account_id, "refresh token reused: session family revoked");
        Ok::<_, StoreError>(Rotation::Reused {
            account_id: token.account_id,
        })
    };
    if token.revoked_at.is_some() {
        return reused().await;
    }
    if token.expires_at <= now {
        return Ok(Rotation::Invalid);
    }
    let recently = |used: DateTime<Utc>| TimeDelta::from_std(grace).is_ok_and(|g| now - used <= g);
    match token.used_at {
        Some(used) if recently(used) => {
            if !replay_once(db, token.id, now).await? {
                return reused().await;
            }
        }
        Some(_) => return reused().await,
        None => {
            let marked = refresh_token::Entity::update_many()
                .col_expr(Column::UsedAt, Expr::value(now))
                .filter(Column::Id.eq(token.id))
                .filter(Column::UsedAt.is_null())
                .exec(db)
                .await?;
            // Used by another request between our read and our write: just now, so this is
            // the one replay the grace period allows, unless there is none.
            if marked.rows_affected == 0
                && (grace.is_zero() || !replay_once(db, token.id, now).await?)
            {
                return reused().await;
            }
        }
    }
    insert(
        db,
        NewRefreshToken {
            account_id: token.account_id,
            family_id: token.family_id,
            token_hash: next.token_hash.to_owned(),
            expires_at: next.expires_at,
        },
    )
    .await?;
    Ok(Rotation::Rotated {
        account_id: token.account_id,
        family_id: token.family_id,
    })
}

/// Marks the one replay a used token is allowed within the grace period; false when it had
/// one already.
async fn replay_once(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let marked = refresh_token::Entity::update_many()
        .col_expr(Column::ReplayedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::ReplayedAt.is_null())
        .exec(db)
        .await?;
    Ok(marked.rows_affected == 1)
}

/// The token that replaces a presented one.
#[derive(Debug, Clone, Copy)]
pub struct Successor<'a> {
    pub token_hash: &'a str,
    pub expires_at: DateTime<Utc>,
}

async fn revoke_family(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    refresh_token::Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .filter(Column::FamilyId.eq(family_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    crate::notify::account_changed(db, account_id).await
}

/// Revokes the session the token with this hash belongs to (sign-out).
pub async fn revoke_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(token) = refresh_token::Entity::find()
        .filter(Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    {
        revoke_family(db, token.account_id, token.family_id, now).await?;
    }
    Ok(())
}

/// Revokes every session of an account.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    refresh_token::Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .filter(Column::AccountId.eq(account_id))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    crate::notify::account_changed(db, account_id).await
}
