//! The audit trail: who changed what, when, through which door, at which unit.

use chrono::{DateTime, Utc};
use domain::UnitPath;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entity::audit_event::{self, Column};
use crate::filters::{count_rows, in_subtree};
use crate::{Slice, SliceRequest, StoreError};

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

/// One recorded change, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub via: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<Uuid>,
    pub unit_path: Option<UnitPath>,
    pub actor_unit_path: Option<UnitPath>,
    pub request_id: Option<String>,
    /// JSON text.
    pub detail: Option<String>,
}

impl From<audit_event::Model> for Record {
    fn from(m: audit_event::Model) -> Self {
        Self {
            id: m.id,
            occurred_at: m.occurred_at,
            actor_id: m.actor_id,
            via: m.via,
            action: m.action,
            target_type: m.target_type,
            target_id: m.target_id,
            unit_path: m.unit_path.map(UnitPath::from_stored),
            actor_unit_path: m.actor_unit_path.map(UnitPath::from_stored),
            request_id: m.request_id,
            detail: m.detail,
        }
    }
}

/// Which events a list shows. Every field narrows it.
#[derive(Debug, Clone)]
pub struct AuditFilter {
    /// Only events about units in this subtree.
    pub within: UnitPath,
    /// e.g. `page.verify`; a prefix ending in a dot (`page.`) matches every action of it.
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The position of an event in the newest-first list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor {
    pub occurred_at: DateTime<Utc>,
    pub id: Uuid,
}

impl AuditFilter {
    fn condition(&self) -> Condition {
        let mut cond = Condition::all().add(in_subtree(Column::UnitPath, &self.within));
        if let Some(action) = &self.action {
            cond = cond.add(match action.strip_suffix('.') {
                Some(area) => Column::Action.starts_with(format!("{area}.")),
                None => Column::Action.eq(action.as_str()),
            });
        }
        if let Some(actor) = self.actor_id {
            cond = cond.add(Column::ActorId.eq(actor));
        }
        if let Some(from) = self.from {
            cond = cond.add(Column::OccurredAt.gte(from));
        }
        if let Some(to) = self.to {
            cond = cond.add(Column::OccurredAt.lt(to));
        }
        cond
    }
}

/// One slice of the events matching `filter`, newest first.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    slice: &SliceRequest<AuditCursor>,
) -> Result<Slice<Record>, StoreError> {
    let mut query = audit_event::Entity::find().filter(filter.condition());
    if let Some(after) = &slice.after {
        query = query.filter(
            Condition::any()
                .add(Column::OccurredAt.lt(after.occurred_at))
                .add(
                    Column::OccurredAt
                        .eq(after.occurred_at)
                        .and(Column::Id.lt(after.id)),
                ),
        );
    }
    let rows = query
        .order_by_desc(Column::OccurredAt)
        .order_by_desc(Column::Id)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(rows, slice.first, |m| Ok(m.into()))
}

/// How many events match `filter`.
pub async fn count(db: &impl ConnectionTrait, filter: &AuditFilter) -> Result<u64, StoreError> {
    count_rows(db, audit_event::Entity::find().filter(filter.condition())).await
}

/// The event with this id.
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Record>, StoreError> {
    Ok(audit_event::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into))
}
