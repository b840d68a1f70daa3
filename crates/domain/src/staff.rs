//! The officers (cán bộ) of a unit, who hold the duties on its pages (G10).

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An officer of a unit, as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub full_name: String,
    /// Chức vụ, e.g. "Phó Chủ tịch Ủy ban MTTQ".
    pub position: String,
    /// The national form, e.g. "0912345678".
    pub phone: String,
    pub email: Option<String>,
    /// Raised by every change: an edit made against an older version is refused.
    pub version: i32,
    /// When the person was removed from the unit's list; kept for the assignment history.
    pub removed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
