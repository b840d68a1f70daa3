//! Relay conventions: opaque global ids, opaque cursors and bounded slice sizes.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::ApiError;

/// How many items a list returns when a client gives no `first`.
pub const DEFAULT_LIST_LIMIT: i32 = 20;
/// The largest `first` a client may ask for.
pub const MAX_LIST_LIMIT: i32 = 100;

/// The kinds of object that have a global id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Unit,
    Account,
    Page,
    Person,
    AuditEvent,
    ReportingRound,
    Report,
    Campaign,
    Post,
    ShareRequest,
    PageReview,
    OutreachEntry,
}

impl NodeKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Unit => "Unit",
            Self::Account => "Account",
            Self::Page => "Page",
            Self::Person => "Person",
            Self::AuditEvent => "AuditEvent",
            Self::ReportingRound => "ReportingRound",
            Self::Report => "Report",
            Self::Campaign => "Campaign",
            Self::Post => "Post",
            Self::ShareRequest => "ShareRequest",
            Self::PageReview => "PageReview",
            Self::OutreachEntry => "OutreachEntry",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "Unit" => Some(Self::Unit),
            "Account" => Some(Self::Account),
            "Page" => Some(Self::Page),
            "Person" => Some(Self::Person),
            "AuditEvent" => Some(Self::AuditEvent),
            "ReportingRound" => Some(Self::ReportingRound),
            "Report" => Some(Self::Report),
            "Campaign" => Some(Self::Campaign),
            "Post" => Some(Self::Post),
            "ShareRequest" => Some(Self::ShareRequest),
            "PageReview" => Some(Self::PageReview),
            "OutreachEntry" => Some(Self::OutreachEntry),
            _ => None,
        }
    }
}

/// The global id of an object: opaque to clients, stable across releases.
pub fn global_id(kind: NodeKind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.as_str())))
}

/// Decodes a global id; anything malformed is simply an id of nothing.
pub fn parse_global_id(id: &str) -> Option<(NodeKind, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (kind, uuid) = text.split_once(':')?;
    Some((NodeKind::parse(kind)?, Uuid::parse_str(uuid).ok()?))
}

/// The id of an object of `kind` named by a global id in an input; anything else (malformed,
/// another kind) is an id of nothing: `NOT_FOUND`.
pub fn id_of(id: &ID, kind: NodeKind) -> Result<Uuid, ApiError> {
    match parse_global_id(id) {
        Some((found, uuid)) if found == kind => Ok(uuid),
        _ => Err(ApiError::NotFound),
    }
}

/// Encodes a cursor from its parts.
pub fn encode_cursor(parts: &str) -> String {
    URL_SAFE_NO_PAD.encode(parts)
}

/// Decodes a cursor to its parts; a cursor not made by this server is a validation error.
pub fn decode_cursor(cursor: &str) -> Result<String, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| ApiError::validation("after", "Con trỏ phân trang không hợp lệ."))
}

/// The cursor of an item in a list ordered by a moment, then by id: the moment in
/// microseconds and the id.
pub fn encode_moment_cursor(at: chrono::DateTime<chrono::Utc>, id: Uuid) -> String {
    encode_cursor(&format!("{}|{id}", at.timestamp_micros()))
}

/// Decodes [`encode_moment_cursor`]'s cursors; anything else is a validation error.
pub fn decode_moment_cursor(
    cursor: &str,
) -> Result<(chrono::DateTime<chrono::Utc>, Uuid), ApiError> {
    let bad = || ApiError::validation("after", "Con trỏ phân trang không hợp lệ.");
    let text = decode_cursor(cursor)?;
    let (micros, id) = text.split_once('|').ok_or_else(bad)?;
    let at = chrono::DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?)
        .ok_or_else(bad)?;
    Ok((at, id.parse().map_err(|_| bad())?))
}

/// Checks `first`, defaulting it, and returns it as a row count.
pub fn list_limit(first: Option<i32>) -> Result<u64, ApiError> {
    let first = first.unwrap_or(DEFAULT_LIST_LIMIT);
    if (1..=MAX_LIST_LIMIT).contains(&first) {
        Ok(u64::try_from(first).unwrap_or(1))
    } else {
        Err(ApiError::validation(
            "first",
            format!("Số mục mỗi lần tải (first) phải từ 1 đến {MAX_LIST_LIMIT}."),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_round_trip_and_reject_garbage() {
        let id = Uuid::now_v7();
        let gid = global_id(NodeKind::Unit, id);
        assert_eq!(parse_global_id(&gid), Some((NodeKind::Unit, id)));
        assert_eq!(parse_global_id("not base64!"), None);
        assert_eq!(parse_global_id(&URL_SAFE_NO_PAD.encode("Page:x")), None);
        assert_eq!(
            parse_global_id(&URL_SAFE_NO_PAD.encode(format!("Kampagne:{id}"))),
            None
        );
        for kind in [NodeKind::Campaign, NodeKind::Post, NodeKind::ShareRequest] {
            assert_eq!(parse_global_id(&global_id(kind, id)), Some((kind, id)));
        }
        let account = global_id(NodeKind::Account, id);
        assert_eq!(parse_global_id(&account), Some((NodeKind::Account, id)));
    }

    #[test]
    fn page_size_is_bounded() {
        assert_eq!(list_limit(None).ok(), Some(20));
        assert_eq!(list_limit(Some(1)).ok(), Some(1));
        assert_eq!(list_limit(Some(100)).ok(), Some(100));
        assert!(list_limit(Some(0)).is_err());
        assert!(list_limit(Some(101)).is_err());
        assert!(list_limit(Some(-5)).is_err());
    }
}
