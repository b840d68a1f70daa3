//! Output types: thin wrappers over domain types.

pub mod account;
pub mod audit;
pub mod campaign;
pub mod connection;
pub mod date;
pub mod node;
pub mod page;
pub mod report;
pub mod stats;
pub mod unit;
