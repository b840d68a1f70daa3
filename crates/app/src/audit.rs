//! The audit trail's events, typed: what an operation records, in the same transaction as its
//! change, with the unit it concerns (so "the log of my subtree" is one indexed query) and the
//! same shape whether the API or the command line made the change.

use domain::{Role, UnitCode, UnitPath};
use serde_json::{Value, json};
use store::ConnectionTrait;
use uuid::Uuid;

use crate::By;

/// An account's name and role, before or after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub display_name: String,
    pub role: Role,
}

impl Profile {
    fn json(&self) -> Value {
        json!({ "displayName": self.display_name, "role": self.role.as_str() })
    }
}

/// What happened. Never a secret: a password change is recorded, not the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    AccountCreated {
        username: String,
        role: Role,
        unit: UnitCode,
    },
    AccountUpdated {
        before: Profile,
        after: Profile,
    },
    AccountDisabled,
    AccountEnabled,
    /// An admin (or the operator) gave the account a new password.
    PasswordReset,
    /// The account changed its own password.
    PasswordChanged,
    /// A unit list was imported; what it changed (units whose only change is their path are
    /// not counted).
    UnitsImported {
        /// The embedded edition the units now are, if they are one.
        edition: Option<String>,
        inserted: u64,
        renamed: u64,
        moved: u64,
        relevelled: u64,
        removed: u64,
    },
}

impl Event {
    /// The stored action name, e.g. `account.create`.
    pub fn action(&self) -> &'static str {
        match self {
            Self::AccountCreated { .. } => "account.create",
            Self::AccountUpdated { .. } => "account.update",
            Self::AccountDisabled => "account.disable",
            Self::AccountEnabled => "account.enable",
            Self::PasswordReset => "account.reset_password",
            Self::PasswordChanged => "account.change_password",
            Self::UnitsImported { .. } => "units.import",
        }
    }

    /// What kind of object the event is about.
    fn target_type(&self) -> &'static str {
        match self {
            Self::AccountCreated { .. }
            | Self::AccountUpdated { .. }
            | Self::AccountDisabled
            | Self::AccountEnabled
            | Self::PasswordReset
            | Self::PasswordChanged => "account",
            Self::UnitsImported { .. } => "unit",
        }
    }

    /// The event's details as stored.
    fn detail(&self) -> Option<Value> {
        match self {
            Self::AccountCreated {
                username,
                role,
                unit,
            } => {
                Some(json!({ "unit": unit.as_str(), "role": role.as_str(), "username": username }))
            }
            Self::AccountUpdated { before, after } => {
                Some(json!({ "before": before.json(), "after": after.json() }))
            }
            Self::AccountDisabled
            | Self::AccountEnabled
            | Self::PasswordReset
            | Self::PasswordChanged => None,
            Self::UnitsImported {
                edition,
                inserted,
                renamed,
                moved,
                relevelled,
                removed,
            } => Some(json!({
                "edition": edition,
                "inserted": inserted,
                "renamed": renamed,
                "moved": moved,
                "relevelled": relevelled,
                "removed": removed,
            })),
        }
    }
}

/// Records `event` about `target_id` (when it is about one object), at the unit at `unit`,
/// done by `by`.
pub async fn record(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit: &UnitPath,
    target_id: Option<Uuid>,
    event: &Event,
) -> Result<(), store::StoreError> {
    store::audit::record(
        db,
        store::audit::Event {
            actor_id: by.account_id(),
            via: match by {
                By::Account(_) => store::audit::Via::Api,
                By::Operator => store::audit::Via::Cli,
            },
            action: event.action(),
            target_type: event.target_type(),
            target_id,
            unit_path: Some(unit),
            detail: event.detail(),
        },
    )
    .await
}
