//! The audit trail: who changed what, when, through which door, at which unit.

use chrono::Utc;
use domain::UnitPath;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use crate::StoreError;
use crate::entity::audit_event;

/// How a change reached the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The API, by a signed-in account.
    Api,
    /// The server's command line, by its operator.
    Cli,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Cli => "cli",
        }
    }
}

/// One change worth keeping.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor_id: Option<Uuid>,
    pub via: Via,
    /// e.g. `account.create`, `account.disable`.
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<Uuid>,
    /// The unit the change concerns: the audit trail of a subtree is a prefix of it.
    pub unit_path: Option<&'a UnitPath>,
    /// The unit of the account that acted; `None` for the operator.
    pub actor_unit_path: Option<&'a UnitPath>,
    /// The request that caused the change, to find it in the server's log.
    pub request_id: Option<&'a str>,
    /// Before/after values as JSON; never secrets.
    pub detail: Option<serde_json::Value>,
}

pub async fn record(db: &impl ConnectionTrait, event: Event<'_>) -> Result<(), StoreError> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        occurred_at: Set(Utc::now()),
        actor_id: Set(event.actor_id),
        via: Set(event.via.as_str().to_owned()),
        action: Set(event.action.to_owned()),
        target_type: Set(event.target_type.to_owned()),
        target_id: Set(event.target_id),
        unit_path: Set(event.unit_path.map(|p| p.as_str().to_owned())),
        actor_unit_path: Set(event.actor_unit_path.map(|p| p.as_str().to_owned())),
        request_id: Set(event.request_id.map(str::to_owned)),
        detail: Set(event.detail.map(|d| d.to_string())),
    }
    .insert(db)
    .await?;
    Ok(())
}
