//! The audit trail of a unit's subtree, for admins: what was changed, by whom, when, and the
//! fields' values before and after.

use super::ops::{AuditEvents, audit_events};
use super::{Client, Slice};
use crate::error::Error;

/// How many events one request asks for.
pub const LIST_LIMIT: i64 = 50;

/// What the trail is narrowed to, in the API's terms; `None`: any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// The unit whose subtree to show; the admin's own unit when `None`.
    pub unit_code: Option<String>,
    /// An action or the prefix of an area (`page.`, `person.`, `account.`).
    pub action: Option<String>,
    pub actor_username: Option<String>,
    /// RFC 3339 bounds: from `from` on, before `to`.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One field changed: its name, and its value before and after ("—" when it had none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One event of the trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub id: String,
    pub occurred_at: String,
    /// What was done, as the API words it ("Xác nhận trang").
    pub action: String,
    /// The page's id, when a page was acted on.
    pub page_id: Option<String>,
    pub unit: Option<String>,
    pub actor_name: Option<String>,
    pub actor_username: Option<String>,
    pub changes: Vec<Change>,
    /// The detail as the API gave it, when it is not the `before`/`after` shape.
    pub raw_detail: Option<String>,
}

/// A value as an officer reads it: text without quotes, nothing as "—".
fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "—".to_owned(),
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields a detail's `before` and `after` objects name, each once; `Err` with the text
/// when it is not that shape.
pub fn changes(detail: &str) -> Result<Vec<Change>, String> {
    let parsed: serde_json::Value = serde_json::from_str(detail).map_err(|_| detail.to_owned())?;
    let side = |key: &str| parsed.get(key).and_then(serde_json::Value::as_object);
    let (before, after) = (side("before"), side("after"));
    if before.is_none() && after.is_none() {
        return Err(detail.to_owned());
    }
    let mut fields: Vec<&String> = before
        .into_iter()
        .chain(after)
        .flat_map(|m| m.keys())
        .collect();
    fields.sort();
    fields.dedup();
    Ok(fields
        .into_iter()
        .map(|field| Change {
            field: field.clone(),
            before: shown(before.and_then(|m| m.get(field))),
            after: shown(after.and_then(|m| m.get(field))),
        })
        .collect())
}

pub async fn list(
    client: &Client,
    query: &AuditQuery,
    after: Option<String>,
) -> Result<Slice<AuditRow>, Error> {
    let data = client
        .execute::<AuditEvents>(audit_events::Variables {
            unit_code: query.unit_code.clone(),
            action: query.action.clone(),
            actor_username: query.actor_username.clone(),
            from: query.from.clone(),
            to: query.to.clone(),
            first: Some(LIST_LIMIT),
            after,
        })
        .await?;
    let list = data.audit_events;
    let rows = list.nodes.into_iter().map(|e| {
        let (changes, raw_detail) = match e.detail.as_deref().map(changes) {
            None => (Vec::new(), None),
            Some(Ok(changes)) => (changes, None),
            Some(Err(raw)) => (Vec::new(), Some(raw)),
        };
        AuditRow {
            id: e.id,
            occurred_at: e.occurred_at,
            action: e.action_label,
            page_id: e.target_id.filter(|_| e.target_type == "page"),
            unit: e.unit.map(|u| u.full_name),
            actor_name: e.actor_name,
            actor_username: e.actor_username,
            changes,
            raw_detail,
        }
    });
    Ok(Slice::new(
        rows,
        list.total_count,
        list.page_info.has_next_page,
        list.page_info.end_cursor,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detail_lists_each_changed_field_before_and_after() {
        let found = changes(
            r#"{"before":{"status":"REPORTED","note":null},"after":{"status":"VERIFIED","active":false}}"#,
        )
        .unwrap_or_default();
        let text: Vec<String> = found
            .iter()
            .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
            .collect();
        assert_eq!(
            text,
            [
                "active: — → false",
                "note: — → —",
                "status: REPORTED → VERIFIED"
            ]
        );
    }

    #[test]
    fn a_detail_of_another_shape_is_shown_as_it_came() {
        assert_eq!(changes("not json"), Err("not json".to_owned()));
        assert_eq!(changes(r#"{"x":1}"#), Err(r#"{"x":1}"#.to_owned()));
        assert_eq!(changes(r#"{"after":{}}"#), Ok(Vec::new()));
    }
}
