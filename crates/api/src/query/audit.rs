//! The audit trail for admins: `auditEvents`.

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use domain::policy::{Action, can};
use store::audit::{AuditCursor, AuditFilter};
use store::{Db, SliceRequest};

use crate::error::StoreResultExt;
use crate::relay::list_limit;
use crate::types::audit::{AuditEvent, AuditList, AuditPosition, decode_audit_cursor};
use crate::types::connection::listed;
use crate::types::unit::list_complexity;
use crate::{ApiError, auth};

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// What was changed in a unit's subtree, newest first: for admins (others are
    /// `FORBIDDEN`). Every argument narrows the list.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    #[expect(clippy::too_many_arguments, reason = "one per GraphQL argument")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The unit whose subtree to show; the admin's own unit when omitted. Outside the admin's subtree: `NOT_FOUND`."
        )]
        unit_code: Option<String>,
        #[graphql(
            desc = "Only this action, e.g. `page.verify`; `page.` for every action on pages.",
            validator(chars_max_length = 64)
        )]
        action: Option<String>,
        #[graphql(desc = "Only what this account did.", validator(chars_max_length = 64))]
        actor_username: Option<String>,
        #[graphql(desc = "From this moment on.")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "Before this moment.")] to: Option<DateTime<Utc>>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<AuditList> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let within = match unit_code {
            Some(code) => {
                store::units::by_code(db, code.trim())
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?
                    .path
            }
            None => actor.unit_path.clone(),
        };
        can(&actor, Action::ReadAudit, &within).map_err(ApiError::from)?;
        let slice = SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_audit_cursor).transpose()?,
        };
        let actor_id = match actor_username.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => {
                let found = match domain::Username::parse(name) {
                    Ok(name) => store::accounts::by_username(db, &name)
                        .await
                        .or_internal(ctx)?,
                    Err(_) => None,
                };
                match found {
                    Some(found) => Some(found.account.id),
                    // Nobody by that name has done anything.
                    None => {
                        return Ok(listed(
                            ctx,
                            store::Slice::empty(true),
                            false,
                            position,
                            AuditEvent,
                            |_| async { Ok::<_, store::StoreError>(0) },
                        ));
                    }
                }
            }
        };
        let filter = AuditFilter {
            within,
            action: action
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty()),
            actor_id,
            from,
            to,
        };
        let found = store::audit::list(db, &filter, &slice)
            .await
            .or_internal(ctx)?;
        Ok(listed(
            ctx,
            found,
            slice.after.is_some(),
            position,
            AuditEvent,
            move |db| {
                let filter = filter.clone();
                async move { store::audit::count(&db, &filter).await }
            },
        ))
    }
}

fn position(record: &store::audit::Record) -> AuditPosition {
    AuditPosition(AuditCursor {
        occurred_at: record.occurred_at,
        id: record.id,
    })
}
