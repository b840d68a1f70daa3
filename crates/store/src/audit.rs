//! The audit trail: who changed what, when.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use crate::StoreError;
use crate::entity::audit_event;

/// One change worth keeping.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor_id: Option<Uuid>,
    /// e.g. `account.create`, `account.disable`.
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<Uuid>,
    /// Before/after values as JSON; never secrets.
    pub detail: Option<serde_json::Value>,
}

pub async fn record(db: &impl ConnectionTrait, event: Event<'_>) -> Result<(), StoreError> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        occurred_at: Set(Utc::now()),
        actor_id: Set(event.actor_id),
        action: Set(event.action.to_owned()),
        target_type: Set(event.target_type.to_owned()),
        target_id: Set(event.target_id),
        detail: Set(event.detail.map(|d| d.to_string())),
    }
    .insert(db)
    .await?;
    Ok(())
}
