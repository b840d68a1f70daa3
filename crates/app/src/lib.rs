//! The use cases of Trang Cộng Đồng: one function per operation, called by the GraphQL
//! resolvers, the command line and the tests alike.
//!
//! Each takes who acts ([`By`]) and the operation's input, and in this order: reads what it
//! acts on, asks [`domain::policy::can`] once, checks the input (breaking a rule is
//! [`AppError::Invalid`] with the fields' problems, nothing written), then writes in one
//! transaction with one typed [`audit::Event`], and returns the result. It knows neither HTTP
//! nor GraphQL nor SQL: those stay in `api`/`server` and `store`.
//!
//! Adding an operation: the rule in `domain` (an [`domain::policy::Action`] if it needs a new
//! permission), the statements in `store`, the use case here (with its audit event), then
//! the resolver in `api` that maps its input and output, and a black-box test.

pub mod accounts;
pub mod audit;
pub mod campaigns;
pub mod effect;
mod error;
pub mod pages;
pub mod password;
pub mod people;
pub mod reports;
pub mod rollout;
pub mod sessions;
pub mod stats;
pub mod units;

pub use error::{AppError, UserError};

use domain::policy::{Action, Denied, can};
use domain::{Actor, UnitPath};

/// Who performs an operation.
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    /// A signed-in account, within what the policy allows it.
    Account(&'a Actor),
    /// The operator of the server, on its command line (`tcd account …`): may do anything.
    Operator,
}

impl By<'_> {
    /// Whether the policy lets this actor do `action` at the unit at `target`.
    pub fn may(&self, action: Action, target: &UnitPath) -> Result<(), Denied> {
        match self {
            Self::Account(actor) => can(actor, action, target),
            Self::Operator => Ok(()),
        }
    }

    /// The acting account's id, if an account acts.
    pub fn account_id(&self) -> Option<uuid::Uuid> {
        match self {
            Self::Account(actor) => Some(actor.account_id),
            Self::Operator => None,
        }
    }
}
