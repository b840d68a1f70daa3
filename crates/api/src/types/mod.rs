//! Output types: thin wrappers over domain types.

pub mod account;
pub mod connection;
pub mod node;
pub mod unit;
