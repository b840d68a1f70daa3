//! The audit trail as the API shows it: who changed what, when, at which unit.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use store::audit::{AuditCursor, Record};

use super::connection::Listed;
use super::unit::Unit;
use crate::ApiError;
use crate::loaders::Loaders;
use crate::relay::{NodeKind, decode_moment_cursor, encode_moment_cursor, global_id};

/// One recorded change. Passwords and tokens never appear in it.
pub struct AuditEvent(pub Record);

async fn unit_at(
    ctx: &Context<'_>,
    path: Option<&domain::UnitPath>,
) -> Result<Option<Unit>, ApiError> {
    let Some(path) = path else {
        return Ok(None);
    };
    Ok(ctx
        .data_unchecked::<Loaders>()
        .unit_by_code
        .load_one(path.code().to_owned())
        .await
        .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
        .map(Unit))
}

impl AuditEvent {
    async fn actor_names(&self, ctx: &Context<'_>) -> Result<Option<(String, String)>, ApiError> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        ctx.data_unchecked::<Loaders>()
            .account_name
            .load_one(id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))
    }
}

#[Object]
impl AuditEvent {
    /// Global id.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::AuditEvent, self.0.id)
    }

    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// What was done, e.g. `page.create`, `page.verify`, `account.disable`, `person.update`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// What was done, as officers read it, e.g. "Xác nhận trang".
    async fn action_label(&self) -> &'static str {
        app::audit::action_label(&self.0.action)
    }

    /// What kind of object it was done to: `page`, `person`, `account` or `unit`.
    async fn target_type(&self) -> &str {
        &self.0.target_type
    }

    /// The global id of the object it was done to, when it is one object.
    async fn target_id(&self) -> Option<ID> {
        let kind = match self.0.target_type.as_str() {
            "page" => NodeKind::Page,
            "person" => NodeKind::Person,
            "account" => NodeKind::Account,
            _ => return None,
        };
        self.0.target_id.map(|id| global_id(kind, id))
    }

    /// The unit the object belongs to.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        Ok(unit_at(ctx, self.0.unit_path.as_ref()).await?)
    }

    /// The sign-in name of the account that acted; null for the server's operator (`via`
    /// `cli`).
    async fn actor_username(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.actor_names(ctx).await?.map(|(username, _)| username))
    }

    /// The display name of the account that acted; null for the server's operator.
    async fn actor_name(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.actor_names(ctx).await?.map(|(_, name)| name))
    }

    /// The unit of the account that acted, when that unit is in the viewer's subtree (an
    /// admin above it acted otherwise).
    async fn actor_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        let actor = crate::auth::actor(ctx).await?;
        let path = self
            .0
            .actor_unit_path
            .as_ref()
            .filter(|p| domain::policy::read_scope(&actor).includes(p));
        Ok(unit_at(ctx, path).await?)
    }

    /// How the change came: `api` (a signed-in account) or `cli` (the server's operator).
    async fn via(&self) -> &str {
        &self.0.via
    }

    /// The id of the request that made the change, as in the server's log and the
    /// `X-Request-Id` response header.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The changed fields before and after, as JSON text (e.g.
    /// `{"before":{"status":"REPORTED"},"after":{"status":"VERIFIED"}}`).
    async fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
}

/// An event's place in the newest-first trail, as a connection's cursor.
pub struct AuditPosition(pub AuditCursor);

impl async_graphql::connection::CursorType for AuditPosition {
    type Error = &'static str;

    /// Not used: the list reads its `after` argument with the rest of its arguments.
    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_audit_cursor(s)
            .map(Self)
            .map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_moment_cursor(self.0.occurred_at, self.0.id)
    }
}

pub fn decode_audit_cursor(cursor: &str) -> Result<AuditCursor, ApiError> {
    let (occurred_at, id) = decode_moment_cursor(cursor)?;
    Ok(AuditCursor { occurred_at, id })
}

/// The audit trail as a connection.
pub type AuditList = Listed<AuditEvent, AuditPosition>;
