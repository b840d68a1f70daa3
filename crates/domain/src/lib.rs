//! The pure rules of Trang Cộng Đồng.
//!
//! This crate owns the vocabulary every other crate speaks: administrative units, their levels
//! and kinds, unit codes, accounts and roles, the authorization policy, the page naming rule,
//! and Vietnamese text folding for search. It performs no I/O and has no
//! async code; it must not depend on sea-orm, async-graphql, actix or tokio. Every rule here is
//! unit-tested beside its code.

pub mod account;
pub mod campaign;
pub mod effect;
mod error;
pub mod meta_csv;
pub mod page;
pub mod page_name;
pub mod page_url;
pub mod person;
pub mod phone;
pub mod policy;
pub mod post_url;
pub mod report;
pub mod rollout;
pub mod secret;
pub mod staff;
pub mod stats;
pub mod text;
pub mod throttle;
pub mod time;
pub mod unit;

pub use account::{Account, Actor, DisplayName, Role, Username};
pub use error::DomainError;
pub use unit::{Unit, UnitCode, UnitKind, UnitLevel, UnitPath};
