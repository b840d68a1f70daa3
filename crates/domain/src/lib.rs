//! The pure rules of Trang Cộng Đồng.
//!
//! This crate owns the vocabulary every other crate speaks: administrative units, their levels
//! and kinds, unit codes, and Vietnamese text folding for search. It performs no I/O and has no
//! async code; it must not depend on sea-orm, async-graphql, actix or tokio. Every rule here is
//! unit-tested beside its code.

mod error;
pub mod text;
pub mod unit;

pub use error::DomainError;
pub use unit::{Unit, UnitCode, UnitKind, UnitLevel, UnitPath};
