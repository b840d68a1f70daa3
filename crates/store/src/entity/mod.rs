//! sea-orm entities: private to this crate, converted to domain types at its edge.

pub mod unit;
